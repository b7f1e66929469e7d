/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The monitoring framework as data (framework.h): the current version read
 * as a tree with one statement per level, and the loader of the JSON format
 * of data/kflc.json:
 *
 *   {"format": "learncity-framework/1",
 *    "version": {"code", "title": {lang: text}, "adopted": date|null,
 *                "note": {lang: text}|null, "provenance"},
 *    "parts": [{"code", "title", "provenance",
 *      "areas": [{"code", "title", "provenance",
 *        "features": [{"code", "title", "provenance",
 *          "measurements": [{"code", "label", "unit": text|null, "direction",
 *                            "type", "goalpost_low": number|null,
 *                            "goalpost_high": number|null, "provenance"}]}]}]}]}
 */
#include "domain/framework.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/row.h"
#include "domain/text.h"

/* ---- reading ------------------------------------------------------------ */

/* Borrowed nodes of the tree being built, found by their row id. */
struct node_index {
	sqlite3_int64 *ids;
	json_t **nodes;
	size_t count, cap;
};

static void index_add(struct node_index *x, sqlite3_int64 id, json_t *node)
{
	if (x->count == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 16;
		x->ids = lc_xreallocarray(x->ids, x->cap, sizeof(*x->ids));
		x->nodes = lc_xreallocarray(x->nodes, x->cap, sizeof(*x->nodes));
	}
	x->ids[x->count] = id;
	x->nodes[x->count] = node;
	x->count++;
}

/* Rows come grouped by parent, so the last hit is checked first. */
static json_t *index_find(const struct node_index *x, sqlite3_int64 id, size_t *hint)
{
	if (*hint < x->count && x->ids[*hint] == id)
		return x->nodes[*hint];
	for (size_t i = 0; i < x->count; i++) {
		if (x->ids[i] == id) {
			*hint = i;
			return x->nodes[i];
		}
	}
	return NULL;
}

static void index_cleanup(struct node_index *x)
{
	lc_free(x->ids);
	lc_free(x->nodes);
	memset(x, 0, sizeof(*x));
}

/* clang-format off */
static const char *const version_sql =
	"SELECT id, code, " LC_ROW_TR("title") ", adopted, " LC_ROW_TR("note") ", provenance"
	" FROM framework_versions WHERE is_current = 1";

/* Each level: id, parent id, code, title, provenance; ?2 the version id. */
static const char *const parts_sql =
	"SELECT p.id, 0, p.code, " LC_ROW_TR("p.title") ", p.provenance"
	" FROM framework_parts p WHERE p.version_id = ?2 ORDER BY p.position, p.code";
static const char *const areas_sql =
	"SELECT a.id, a.part_id, a.code, " LC_ROW_TR("a.title") ", a.provenance"
	" FROM framework_areas a JOIN framework_parts p ON p.id = a.part_id"
	" WHERE p.version_id = ?2 ORDER BY p.position, a.position, a.code";
static const char *const features_sql =
	"SELECT f.id, f.area_id, f.code, " LC_ROW_TR("f.title") ", f.provenance"
	" FROM framework_features f JOIN framework_areas a ON a.id = f.area_id"
	" JOIN framework_parts p ON p.id = a.part_id"
	" WHERE p.version_id = ?2 ORDER BY p.position, a.position, f.position, f.code";
static const char *const measurements_sql =
	"SELECT m.id, m.feature_id, m.code, " LC_ROW_TR("m.label") ", m.provenance,"
	" m.unit, m.direction, m.type, m.goalpost_low, m.goalpost_high"
	" FROM framework_measurements m JOIN framework_features f ON f.id = m.feature_id"
	" JOIN framework_areas a ON a.id = f.area_id"
	" JOIN framework_parts p ON p.id = a.part_id"
	" WHERE p.version_id = ?2"
	" ORDER BY p.position, a.position, f.position, m.position, m.code";
/* clang-format on */

/*
 * Reads one level: each row becomes a node appended to its parent's array
 * `child_key` (or to top when parents is NULL) and indexed in mine.
 */
static int read_level(struct lc_db *db, const char *sql, const char *path, sqlite3_int64 version,
                      const struct node_index *parents, json_t *top, const char *child_key,
                      const char *title_key, const char *my_children, struct node_index *mine,
                      json_int_t *count)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, path);
	sqlite3_bind_int64(st, 2, version);
	size_t hint = 0;
	int rc;
	while (lc_db_next(db, st, &rc)) {
		json_t *parent_list = top;
		if (parents) {
			json_t *p = index_find(parents, sqlite3_column_int64(st, 1), &hint);
			if (!p)
				continue;
			parent_list = json_object_get(p, child_key);
		}
		json_t *node = json_pack("{s:o, s:o, s:o}", "code", lc_row_str(st, 2), title_key,
		                         lc_row_str(st, 3), "provenance", lc_row_str(st, 4));
		if (my_children) {
			json_object_set_new(node, my_children, json_array());
		} else {
			json_object_set_new(node, "unit", lc_row_str(st, 5));
			json_object_set_new(node, "direction", lc_row_str(st, 6));
			json_object_set_new(node, "type", lc_row_str(st, 7));
			json_object_set_new(node, "goalpost_low", lc_row_real(st, 8));
			json_object_set_new(node, "goalpost_high", lc_row_real(st, 9));
		}
		json_array_append_new(parent_list, node);
		if (mine)
			index_add(mine, sqlite3_column_int64(st, 0), node);
		(*count)++;
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_framework_get(struct lc_db *db, const char *lang, json_t **out)
{
	*out = NULL;
	char path[8];
	lc_text_lang_path(lang, path, sizeof(path));
	sqlite3_stmt *st = lc_db_stmt(db, version_sql);
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, path);
	int rc = lc_db_step(db, st);
	if (rc != 1) {
		lc_db_release(db, st);
		return rc < 0 ? rc : LC_ENOTFOUND;
	}
	sqlite3_int64 vid = sqlite3_column_int64(st, 0);
	json_t *version = json_pack("{s:o, s:o, s:o, s:o, s:o}", "code", lc_row_str(st, 1), "title",
	                            lc_row_str(st, 2), "adopted", lc_row_str(st, 3), "note",
	                            lc_row_str(st, 4), "provenance", lc_row_str(st, 5));
	lc_db_release(db, st);

	json_t *parts = json_array();
	struct node_index pi = {0}, ai = {0}, fi = {0};
	json_int_t np = 0, na = 0, nf = 0, nm = 0;
	int err =
	    read_level(db, parts_sql, path, vid, NULL, parts, NULL, "title", "areas", &pi, &np);
	if (!err)
		err = read_level(db, areas_sql, path, vid, &pi, NULL, "areas", "title", "features",
		                 &ai, &na);
	if (!err)
		err = read_level(db, features_sql, path, vid, &ai, NULL, "features", "title",
		                 "measurements", &fi, &nf);
	if (!err)
		err = read_level(db, measurements_sql, path, vid, &fi, NULL, "measurements",
		                 "label", NULL, NULL, &nm);
	index_cleanup(&pi);
	index_cleanup(&ai);
	index_cleanup(&fi);
	if (err) {
		json_decref(version);
		json_decref(parts);
		return err;
	}
	*out =
	    json_pack("{s:o, s:{s:I, s:I, s:I, s:I}, s:o}", "version", version, "counts", "parts",
	              np, "areas", na, "features", nf, "measurements", nm, "parts", parts);
	return *out ? 0 : LC_EINTERNAL;
}

/* ---- loading ------------------------------------------------------------ */

struct load {
	struct lc_db *db;
	struct lc_diag *d;
	char where[160];
};

/* A required code: non-empty ASCII string of letters, digits, '.', '-', '_' (<= 32 bytes). */
static const char *get_code(struct load *l, json_t *obj, const char *what)
{
	const char *s = json_string_value(json_object_get(obj, "code"));
	size_t n = s ? strlen(s) : 0;
	bool ok = n >= 1 && n <= 32;
	for (size_t i = 0; ok && i < n; i++) {
		char c = s[i];
		ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		     c == '.' || c == '-' || c == '_';
	}
	if (!ok) {
		lc_diag_add(l->d, "framework", 0, 0, l->where, "%s needs a short ASCII code", what);
		return NULL;
	}
	return s;
}

/*
 * A translatable text: an object of language -> non-empty string with "en".
 * Writes its JSON into out. Optional texts may be absent or null (out stays empty).
 */
static int get_text(struct load *l, json_t *obj, const char *key, bool required, struct lc_buf *out)
{
	json_t *t = json_object_get(obj, key);
	if (!t || json_is_null(t)) {
		if (!required)
			return 0;
		lc_diag_add(l->d, "framework", 0, 0, l->where, "'%s' is required", key);
		return LC_EINVAL;
	}
	const char *lang;
	json_t *v;
	bool ok = json_is_object(t) && json_is_string(json_object_get(t, "en"));
	json_object_foreach(t, lang, v)
	{
		ok = ok && lc_text_lang_ok(lang) && json_is_string(v) &&
		     json_string_length(v) > 0 && json_string_length(v) <= LC_LIMIT_TEXT_BYTES;
	}
	if (!ok) {
		lc_diag_add(l->d, "framework", 0, 0, l->where,
		            "'%s' must map language codes to texts, with \"en\"", key);
		return LC_EINVAL;
	}
	return lc_row_dump(t, out);
}

static const char *get_provenance(struct load *l, json_t *obj)
{
	const char *s = json_string_value(json_object_get(obj, "provenance"));
	if (!lc_row_provenance_ok(s)) {
		lc_diag_add(l->d, "framework", 0, 0, l->where,
		            "provenance must be verified, secondary or provisional");
		return NULL;
	}
	return s;
}

static bool one_of(const char *s, const char *const *set)
{
	for (; s && *set; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

static int bind_goalpost(struct load *l, sqlite3_stmt *st, int i, json_t *v)
{
	if (!v || json_is_null(v))
		return sqlite3_bind_null(st, i) == SQLITE_OK ? 0 : LC_EDB;
	if (!json_is_number(v)) {
		lc_diag_add(l->d, "framework", 0, 0, l->where,
		            "a goalpost must be a number or null");
		return LC_EINVAL;
	}
	return sqlite3_bind_double(st, i, json_number_value(v)) == SQLITE_OK ? 0 : LC_EDB;
}

/* Inserts one row of a level: ?1 parent, ?2 code, ?3 position, ?4 title, ?5 provenance. */
static int insert_node(struct load *l, const char *sql, sqlite3_int64 parent, json_t *obj,
                       size_t position, const char *what, const char *title_key, sqlite3_int64 *id)
{
	const char *code = get_code(l, obj, what);
	const char *prov = get_provenance(l, obj);
	struct lc_buf title;
	lc_buf_init(&title, LC_LIMIT_TEXT_BYTES * 2);
	int err = code && prov ? get_text(l, obj, title_key, true, &title) : LC_EINVAL;
	if (err)
		goto out;
	sqlite3_stmt *st = lc_db_stmt(l->db, sql);
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, parent);
	lc_db_bind_text(st, 2, code);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)position);
	lc_db_bind_text(st, 4, lc_buf_cstr(&title));
	lc_db_bind_text(st, 5, prov);
	if (json_object_get(obj, "direction")) {
		static const char *const dirs[] = {"higher_is_better", "lower_is_better", "neutral",
		                                   NULL};
		static const char *const types[] = {"number",       "percentage", "yes_no",
		                                    "maturity_0_4", "text",       NULL};
		const char *dir = json_string_value(json_object_get(obj, "direction"));
		const char *type = json_string_value(json_object_get(obj, "type"));
		json_t *unit = json_object_get(obj, "unit");
		if (!one_of(dir, dirs) || !one_of(type, types) ||
		    (unit && !json_is_null(unit) && !json_is_string(unit))) {
			lc_diag_add(l->d, "framework", 0, 0, l->where,
			            "bad direction, type or unit of measurement %s", code);
			err = LC_EINVAL;
			lc_db_release(l->db, st);
			goto out;
		}
		lc_db_bind_text(st, 6, json_string_value(unit));
		lc_db_bind_text(st, 7, dir);
		lc_db_bind_text(st, 8, type);
		err = bind_goalpost(l, st, 9, json_object_get(obj, "goalpost_low"));
		if (!err)
			err = bind_goalpost(l, st, 10, json_object_get(obj, "goalpost_high"));
		if (err) {
			lc_db_release(l->db, st);
			goto out;
		}
	}
	int rc = lc_db_step(l->db, st);
	lc_db_release(l->db, st);
	if (rc < 0) {
		lc_diag_add(l->d, "framework", 0, 0, l->where, "cannot store %s %s: %s", what, code,
		            rc == LC_ECONFLICT ? "duplicate code or bad value"
		                               : lc_db_errmsg(l->db));
		err = rc == LC_ECONFLICT ? LC_EINVAL : rc;
		goto out;
	}
	*id = lc_db_last_id(l->db);
out:
	lc_buf_cleanup(&title);
	return err;
}

static json_t *get_list(struct load *l, json_t *obj, const char *key)
{
	json_t *a = json_object_get(obj, key);
	if (!json_is_array(a)) {
		lc_diag_add(l->d, "framework", 0, 0, l->where, "'%s' must be an array", key);
		return NULL;
	}
	return a;
}

static const char *const part_ins =
    "INSERT INTO framework_parts (version_id, code, position, title, provenance)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char *const area_ins =
    "INSERT INTO framework_areas (part_id, code, position, title, provenance)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char *const feature_ins =
    "INSERT INTO framework_features (area_id, code, position, title, provenance)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char *const measurement_ins =
    "INSERT INTO framework_measurements (feature_id, code, position, label, provenance, unit,"
    " direction, type, goalpost_low, goalpost_high)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

static int load_tree(struct load *l, json_t *root, sqlite3_int64 vid)
{
	json_t *parts = get_list(l, root, "parts");
	if (!parts)
		return LC_EINVAL;
	size_t i, j, k, m;
	json_t *p, *a, *f, *ms;
	json_array_foreach(parts, i, p)
	{
		sqlite3_int64 pid, aid, fid, mid;
		snprintf(l->where, sizeof(l->where), "parts[%zu]", i);
		int err = insert_node(l, part_ins, vid, p, i + 1, "part", "title", &pid);
		json_t *areas = err ? NULL : get_list(l, p, "areas");
		if (!areas)
			return err ? err : LC_EINVAL;
		json_array_foreach(areas, j, a)
		{
			snprintf(l->where, sizeof(l->where), "parts[%zu].areas[%zu]", i, j);
			err = insert_node(l, area_ins, pid, a, j + 1, "area", "title", &aid);
			json_t *features = err ? NULL : get_list(l, a, "features");
			if (!features)
				return err ? err : LC_EINVAL;
			json_array_foreach(features, k, f)
			{
				snprintf(l->where, sizeof(l->where),
				         "parts[%zu].areas[%zu].features[%zu]", i, j, k);
				err = insert_node(l, feature_ins, aid, f, k + 1, "feature", "title",
				                  &fid);
				json_t *list = err ? NULL : get_list(l, f, "measurements");
				if (!list)
					return err ? err : LC_EINVAL;
				json_array_foreach(list, m, ms)
				{
					snprintf(l->where, sizeof(l->where),
					         "parts[%zu].areas[%zu].features[%zu]."
					         "measurements[%zu]",
					         i, j, k, m);
					if (!json_object_get(ms, "direction")) {
						lc_diag_add(l->d, "framework", 0, 0, l->where,
						            "'direction' is required");
						return LC_EINVAL;
					}
					err = insert_node(l, measurement_ins, fid, ms, m + 1,
					                  "measurement", "label", &mid);
					if (err)
						return err;
				}
			}
		}
	}
	return 0;
}

int lc_framework_load_json(struct lc_db *db, const char *text, size_t len, struct lc_diag *d)
{
	if (len > LC_LIMIT_DATA_FILE)
		return LC_ELIMIT;
	struct load l = {.db = db, .d = d};
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	struct lc_buf title, note;
	lc_buf_init(&title, LC_LIMIT_TEXT_BYTES * 2);
	lc_buf_init(&note, LC_LIMIT_TEXT_BYTES * 2);
	int err = 0;
	bool in_tx = false;
	if (!root) {
		lc_diag_add(d, "framework", jerr.line, jerr.column, NULL, "%s", jerr.text);
		err = LC_EINVAL;
		goto out;
	}
	snprintf(l.where, sizeof(l.where), "format");
	const char *format = json_string_value(json_object_get(root, "format"));
	if (!format || strcmp(format, "learncity-framework/1") != 0) {
		lc_diag_add(d, "framework", 0, 0, l.where, "expected \"learncity-framework/1\"");
		err = LC_EINVAL;
		goto out;
	}
	json_t *v = json_object_get(root, "version");
	snprintf(l.where, sizeof(l.where), "version");
	const char *code = get_code(&l, v, "the version");
	const char *prov = get_provenance(&l, v);
	json_t *adopted = json_object_get(v, "adopted");
	if (!code || !prov || (adopted && !json_is_null(adopted) && !json_is_string(adopted))) {
		err = LC_EINVAL;
		goto out;
	}
	err = get_text(&l, v, "title", true, &title);
	if (!err)
		err = get_text(&l, v, "note", false, &note);
	if (err)
		goto out;

	err = lc_db_begin(db);
	if (err)
		goto out;
	in_tx = true;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT 1 FROM framework_versions WHERE code = ?1");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	lc_db_bind_text(st, 1, code);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc != 0) {
		/* Already loaded (1) or an error (< 0). */
		err = rc < 0 ? rc : 0;
		goto out;
	}
	err = lc_db_exec(db, "UPDATE framework_versions SET is_current = 0 WHERE is_current = 1");
	if (err)
		goto out;
	st =
	    lc_db_stmt(db, "INSERT INTO framework_versions (code, title, adopted, note, is_current,"
	                   " provenance) VALUES (?1, ?2, ?3, ?4, 1, ?5)");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	lc_db_bind_text(st, 1, code);
	lc_db_bind_text(st, 2, lc_buf_cstr(&title));
	lc_db_bind_text(st, 3, json_string_value(adopted));
	lc_db_bind_text(st, 4, note.len ? lc_buf_cstr(&note) : NULL);
	lc_db_bind_text(st, 5, prov);
	rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0) {
		lc_diag_add(d, "framework", 0, 0, "version", "cannot store the version: %s",
		            lc_db_errmsg(db));
		err = rc == LC_ECONFLICT ? LC_EINVAL : rc;
		goto out;
	}
	err = load_tree(&l, root, lc_db_last_id(db));
	if (err)
		goto out;
	err = lc_db_commit(db);
	if (!err)
		in_tx = false;
out:
	if (in_tx)
		lc_db_rollback(db);
	lc_buf_cleanup(&title);
	lc_buf_cleanup(&note);
	json_decref(root);
	return err;
}
