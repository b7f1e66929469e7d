/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The monitoring framework as data (framework.h): versions read as trees
 * with one statement per level, their JSON and CSV import and export, and
 * the draft -> published life of a version with its measurement edits.
 *
 * Every way in (a JSON file, a CSV file, a copy of a version, a form) builds
 * the same JSON document of the "learncity-framework/1" format:
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
 *
 * and one validator walks it collecting every problem before anything is
 * written, so a file is taken whole or not at all. Nodes that came from a
 * CSV row carry "_ri" (the row index) so that a problem names the row,
 * column and cell it came from; nodes from a form name form fields.
 *
 * This file reads versions (trees, lists, states, the JSON export); the
 * validator is framework_check.c, CSV both ways framework_csv.c, import and
 * the inserts framework_store.c, drafts and the edit form framework_edit.c.
 */
#include "domain/monitoring/framework.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/platform/clock.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"
#include "domain/monitoring/framework_internal.h"
#include "formats/csv.h"

#define ISO(col) "strftime('%Y-%m-%dT%H:%M:%SZ', " col ", 'unixepoch')"

/* A number as the shortest decimal text that reads back to the same double. */
void lc_framework_fmt_num(double v, char *out, size_t size)
{
	snprintf(out, size, "%.15g", v);
	if (strtod(out, NULL) != v)
		snprintf(out, size, "%.17g", v);
}

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
/* ?1 the language path, ?2 the code or NULL for the current version. */
static const char *const version_sql =
	"SELECT id, code, " LC_ROW_TR("title") ", adopted, " LC_ROW_TR("note") ", provenance,"
	" status, is_current, title, note"
	" FROM framework_versions WHERE (?2 IS NULL AND is_current = 1) OR code = ?2";

/* Each level: id, parent id, code, title, provenance, raw title; ?2 the version id. */
static const char *const parts_sql =
	"SELECT p.id, 0, p.code, " LC_ROW_TR("p.title") ", p.provenance, p.title"
	" FROM framework_parts p WHERE p.version_id = ?2 ORDER BY p.position, p.code";
static const char *const areas_sql =
	"SELECT a.id, a.part_id, a.code, " LC_ROW_TR("a.title") ", a.provenance, a.title"
	" FROM framework_areas a JOIN framework_parts p ON p.id = a.part_id"
	" WHERE p.version_id = ?2 ORDER BY p.position, a.position, a.code";
static const char *const features_sql =
	"SELECT f.id, f.area_id, f.code, " LC_ROW_TR("f.title") ", f.provenance, f.title"
	" FROM framework_features f JOIN framework_areas a ON a.id = f.area_id"
	" JOIN framework_parts p ON p.id = a.part_id"
	" WHERE p.version_id = ?2 ORDER BY p.position, a.position, f.position, f.code";
static const char *const measurements_sql =
	"SELECT m.id, m.feature_id, m.code, " LC_ROW_TR("m.label") ", m.provenance, m.label,"
	" m.unit, m.direction, m.type, m.goalpost_low, m.goalpost_high"
	" FROM framework_measurements m JOIN framework_features f ON f.id = m.feature_id"
	" JOIN framework_areas a ON a.id = f.area_id"
	" JOIN framework_parts p ON p.id = a.part_id"
	" WHERE p.version_id = ?2"
	" ORDER BY p.position, a.position, f.position, m.position, m.code";
/* clang-format on */

/* How a tree is read: for people (one language, optional ids) or for export (every language). */
struct read_mode {
	bool raw;
	bool ids;
};

/*
 * Reads one level: each row becomes a node appended to its parent's array
 * `child_key` (or to top when parents is NULL) and indexed in mine.
 */
static int read_level(struct lc_db *db, const char *sql, const char *path, sqlite3_int64 version,
                      const struct read_mode *mode, const struct node_index *parents, json_t *top,
                      const char *child_key, const char *title_key, const char *my_children,
                      struct node_index *mine, json_int_t *count)
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
		json_t *node = json_object();
		if (mode->ids)
			json_object_set_new(node, "id", json_integer(sqlite3_column_int64(st, 0)));
		json_object_set_new(node, "code", lc_row_str(st, 2));
		json_object_set_new(node, title_key,
		                    mode->raw ? lc_row_object(st, 5) : lc_row_str(st, 3));
		if (!my_children) {
			json_object_set_new(node, "unit", lc_row_str(st, 6));
			json_object_set_new(node, "direction", lc_row_str(st, 7));
			json_object_set_new(node, "type", lc_row_str(st, 8));
			json_object_set_new(node, "goalpost_low", lc_row_real(st, 9));
			json_object_set_new(node, "goalpost_high", lc_row_real(st, 10));
		}
		json_object_set_new(node, "provenance", lc_row_str(st, 4));
		if (my_children)
			json_object_set_new(node, my_children, json_array());
		json_array_append_new(parent_list, node);
		if (mine)
			index_add(mine, sqlite3_column_int64(st, 0), node);
		(*count)++;
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* The parts of version vid as a tree in *parts, with the count of each level. */
static int read_tree(struct lc_db *db, const char *path, sqlite3_int64 vid,
                     const struct read_mode *mode, json_t **parts, json_int_t counts[4])
{
	struct node_index pi = {0}, ai = {0}, fi = {0};
	*parts = json_array();
	int err = read_level(db, parts_sql, path, vid, mode, NULL, *parts, NULL, "title", "areas",
	                     &pi, &counts[0]);
	if (!err)
		err = read_level(db, areas_sql, path, vid, mode, &pi, NULL, "areas", "title",
		                 "features", &ai, &counts[1]);
	if (!err)
		err = read_level(db, features_sql, path, vid, mode, &ai, NULL, "features", "title",
		                 "measurements", &fi, &counts[2]);
	if (!err)
		err = read_level(db, measurements_sql, path, vid, mode, &fi, NULL, "measurements",
		                 "label", NULL, NULL, &counts[3]);
	index_cleanup(&pi);
	index_cleanup(&ai);
	index_cleanup(&fi);
	if (err) {
		json_decref(*parts);
		*parts = NULL;
	}
	return err;
}

int lc_framework_get_version(struct lc_db *db, const char *code, const char *lang, bool ids,
                             json_t **out)
{
	*out = NULL;
	char path[8];
	lc_text_lang_path(lang, path, sizeof(path));
	sqlite3_stmt *st = lc_db_stmt(db, version_sql);
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, path);
	lc_db_bind_text(st, 2, code);
	int rc = lc_db_step(db, st);
	if (rc != 1) {
		lc_db_release(db, st);
		return rc < 0 ? rc : LC_ENOTFOUND;
	}
	sqlite3_int64 vid = sqlite3_column_int64(st, 0);
	json_t *version =
	    json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "code", lc_row_str(st, 1), "title",
	              lc_row_str(st, 2), "adopted", lc_row_str(st, 3), "note", lc_row_str(st, 4),
	              "provenance", lc_row_str(st, 5), "status", lc_row_str(st, 6), "is_current",
	              sqlite3_column_int(st, 7));
	lc_db_release(db, st);

	json_t *parts = NULL;
	json_int_t n[4] = {0, 0, 0, 0};
	struct read_mode mode = {.raw = false, .ids = ids};
	int err = read_tree(db, path, vid, &mode, &parts, n);
	if (err) {
		json_decref(version);
		return err;
	}
	*out =
	    json_pack("{s:o, s:{s:I, s:I, s:I, s:I}, s:o}", "version", version, "counts", "parts",
	              n[0], "areas", n[1], "features", n[2], "measurements", n[3], "parts", parts);
	return *out ? 0 : LC_EINTERNAL;
}

int lc_framework_get(struct lc_db *db, const char *lang, json_t **out)
{
	return lc_framework_get_version(db, NULL, lang, false, out);
}

/* The id and status of version code (NULL: current). 0, LC_ENOTFOUND, LC_EDB. */
int lc_framework_version_find(struct lc_db *db, const char *code, sqlite3_int64 *vid, bool *draft)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id, status FROM framework_versions"
	                                  " WHERE (?1 IS NULL AND is_current = 1) OR code = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, code);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		*vid = sqlite3_column_int64(st, 0);
		const char *s = lc_db_text(st, 1);
		*draft = s && strcmp(s, "draft") == 0;
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

/* One 0/1 answer of a query on ?1 = vid; negative on error. */
int lc_framework_exists(struct lc_db *db, const char *sql, sqlite3_int64 vid)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, vid);
	int rc = lc_db_step(db, st);
	int v = rc == 1 ? sqlite3_column_int(st, 0) : 0;
	lc_db_release(db, st);
	return rc < 0 ? rc : v;
}

/*
 * 1 and *why when version vid may not change, 0 when it may, or an error.
 * Only a draft can be unreferenced: data is entered against the current
 * version and runs use it, but a draft is checked all the same, so that the
 * rule holds whatever a later feature lets point at a draft.
 */
int lc_framework_frozen(struct lc_db *db, sqlite3_int64 vid, bool draft, const char **why)
{
	/* clang-format off */
#define VERSION_MS "SELECT m.id FROM framework_measurements m" \
	" JOIN framework_features f ON f.id = m.feature_id" \
	" JOIN framework_areas a ON a.id = f.area_id" \
	" JOIN framework_parts p ON p.id = a.part_id WHERE p.version_id = ?1"
#define VERSION_FS "SELECT f.id FROM framework_features f JOIN framework_areas a ON a.id = f.area_id" \
	" JOIN framework_parts p ON p.id = a.part_id WHERE p.version_id = ?1"
	static const struct {
		const char *sql;
		const char *why;
	} checks[] = {
	    {"SELECT EXISTS (SELECT 1 FROM index_runs WHERE framework_version_id = ?1)",
	     "err_fw_runs"},
	    {"SELECT EXISTS (SELECT 1 FROM observations WHERE measurement_id IN (" VERSION_MS "))",
	     "err_fw_observations"},
	    {"SELECT EXISTS (SELECT 1 FROM self_assessments WHERE feature_id IN (" VERSION_FS "))"
	     " OR EXISTS (SELECT 1 FROM local_measurements WHERE feature_id IN (" VERSION_FS "))",
	     "err_fw_local"},
	};
#undef VERSION_MS
#undef VERSION_FS
	/* clang-format on */
	*why = NULL;
	if (!draft) {
		*why = "err_fw_published";
		return 1;
	}
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		int rc = lc_framework_exists(db, checks[i].sql, vid);
		if (rc != 0) {
			if (rc > 0)
				*why = checks[i].why;
			return rc;
		}
	}
	return 0;
}

int lc_framework_version_state(struct lc_db *db, const char *code, const char **status,
                               bool *is_frozen, const char **why)
{
	sqlite3_int64 vid = 0;
	bool draft = false;
	int err = lc_framework_version_find(db, code, &vid, &draft);
	if (err)
		return err;
	int rc = lc_framework_frozen(db, vid, draft, why);
	if (rc < 0)
		return rc;
	*status = draft ? "draft" : "published";
	*is_frozen = rc == 1;
	return 0;
}

int lc_framework_versions(struct lc_db *db, const char *lang, bool drafts, long page, long per_page,
                          json_t **out)
{
	*out = NULL;
	char path[8];
	lc_text_lang_path(lang, path, sizeof(path));
	if (page < 1)
		page = 1;
	if (per_page < 1 || per_page > LC_LIMIT_PER_PAGE)
		per_page = LC_DEFAULT_PER_PAGE;
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT count(*) FROM framework_versions WHERE ?1 OR status = 'published'");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int(st, 1, drafts);
	int rc = lc_db_step(db, st);
	json_int_t total = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	/* clang-format off */
	st = lc_db_stmt(db,
	    "SELECT v.code, " LC_ROW_TR("v.title") ", v.status, v.is_current, v.adopted, b.code, "
	    ISO("v.created_at") ", " ISO("v.published_at") ","
	    " (SELECT count(*) FROM framework_parts p WHERE p.version_id = v.id),"
	    " (SELECT count(*) FROM framework_areas a JOIN framework_parts p ON p.id = a.part_id"
	    "  WHERE p.version_id = v.id),"
	    " (SELECT count(*) FROM framework_features f JOIN framework_areas a ON a.id = f.area_id"
	    "  JOIN framework_parts p ON p.id = a.part_id WHERE p.version_id = v.id),"
	    " (SELECT count(*) FROM framework_measurements m"
	    "  JOIN framework_features f ON f.id = m.feature_id"
	    "  JOIN framework_areas a ON a.id = f.area_id"
	    "  JOIN framework_parts p ON p.id = a.part_id WHERE p.version_id = v.id),"
	    " (SELECT count(*) FROM index_runs r WHERE r.framework_version_id = v.id)"
	    " FROM framework_versions v LEFT JOIN framework_versions b ON b.id = v.based_on"
	    " WHERE ?2 OR v.status = 'published'"
	    " ORDER BY v.is_current DESC, v.status = 'draft' DESC, v.id DESC LIMIT ?3 OFFSET ?4");
	/* clang-format on */
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, path);
	sqlite3_bind_int(st, 2, drafts);
	sqlite3_bind_int64(st, 3, per_page);
	sqlite3_bind_int64(st, 4, (page - 1) * per_page);
	json_t *items = json_array();
	while (lc_db_next(db, st, &rc)) {
		const char *code = lc_db_text(st, 0);
		char href[96];
		snprintf(href, sizeof(href), "/admin/framework/%s", code ? code : "");
		json_array_append_new(
		    items,
		    json_pack("{s:o, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:I, "
		              "s:s}",
		              "code", lc_row_str(st, 0), "title", lc_row_str(st, 1), "status",
		              lc_row_str(st, 2), "is_current", sqlite3_column_int(st, 3), "adopted",
		              lc_row_str(st, 4), "based_on", lc_row_str(st, 5), "created_at",
		              lc_row_str(st, 6), "published_at", lc_row_str(st, 7), "parts",
		              (json_int_t)sqlite3_column_int64(st, 8), "areas",
		              (json_int_t)sqlite3_column_int64(st, 9), "features",
		              (json_int_t)sqlite3_column_int64(st, 10), "measurements",
		              (json_int_t)sqlite3_column_int64(st, 11), "runs",
		              (json_int_t)sqlite3_column_int64(st, 12), "href", href));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	json_int_t pages = (total + per_page - 1) / per_page;
	*out = json_pack("{s:o, s:I, s:I, s:I, s:I}", "items", items, "total", total, "page",
	                 (json_int_t)page, "pages", pages ? pages : 1, "per_page",
	                 (json_int_t)per_page);
	return 0;
}

int lc_framework_export_json(struct lc_db *db, const char *code, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = lc_db_stmt(db, version_sql);
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, "$.en");
	lc_db_bind_text(st, 2, code);
	int rc = lc_db_step(db, st);
	if (rc != 1) {
		lc_db_release(db, st);
		return rc < 0 ? rc : LC_ENOTFOUND;
	}
	sqlite3_int64 vid = sqlite3_column_int64(st, 0);
	json_t *note =
	    sqlite3_column_type(st, 9) == SQLITE_NULL ? json_null() : lc_row_object(st, 9);
	json_t *version = json_pack("{s:o, s:o, s:o, s:o, s:o}", "code", lc_row_str(st, 1), "title",
	                            lc_row_object(st, 8), "adopted", lc_row_str(st, 3), "note",
	                            note, "provenance", lc_row_str(st, 5));
	lc_db_release(db, st);
	json_t *parts = NULL;
	json_int_t n[4] = {0, 0, 0, 0};
	struct read_mode mode = {.raw = true, .ids = false};
	int err = read_tree(db, "$.en", vid, &mode, &parts, n);
	if (err) {
		json_decref(version);
		return err;
	}
	*out = json_pack("{s:s, s:o, s:o}", "format", LC_FRAMEWORK_DOC_FORMAT, "version", version,
	                 "parts", parts);
	return *out ? 0 : LC_EINTERNAL;
}
