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
#include "formats/csv.h"

#define FORMAT   "learncity-framework/1"
#define CODE_MAX 32
#define UNIT_MAX 64
#define ISO(col) "strftime('%Y-%m-%dT%H:%M:%SZ', " col ", 'unixepoch')"

static const char *const directions[] = {"higher_is_better", "lower_is_better", "neutral", NULL};
static const char *const types[] = {"number", "percentage", "yes_no", "maturity_0_4", "text", NULL};
static const char *const provenances[] = {"verified", "secondary", "provisional", NULL};

static bool one_of(const char *s, const char *const *set)
{
	for (; s && *set; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

/* A number as the shortest decimal text that reads back to the same double. */
static void fmt_num(double v, char *out, size_t size)
{
	snprintf(out, size, "%.15g", v);
	if (strtod(out, NULL) != v)
		snprintf(out, size, "%.17g", v);
}

/* ---- problems ----------------------------------------------------------- */

void lc_framework_problems_init(struct lc_framework_problems *p)
{
	memset(p, 0, sizeof(*p));
}

void lc_framework_problems_cleanup(struct lc_framework_problems *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->count; i++) {
		lc_free(p->items[i].field);
		lc_free(p->items[i].value);
		lc_free(p->items[i].reason);
	}
	lc_free(p->items);
	memset(p, 0, sizeof(*p));
}

static char *dup_cut(const char *s, size_t max)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	if (n > max) {
		/* Cut on a character boundary so the text stays valid UTF-8. */
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	char *c = lc_xmalloc(n + 1);
	memcpy(c, s, n);
	c[n] = '\0';
	return c;
}

static void problem_add(struct lc_framework_problems *p, long row, long column, const char *field,
                        const char *value, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void problem_add(struct lc_framework_problems *p, long row, long column, const char *field,
                        const char *value, const char *fmt, ...)
{
	if (!p)
		return;
	if (p->count >= LC_DIAG_DEFAULT_MAX) {
		p->dropped++;
		return;
	}
	if (p->count == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->items = lc_xreallocarray(p->items, p->cap, sizeof(*p->items));
	}
	char reason[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	struct lc_framework_problem *e = &p->items[p->count++];
	e->row = row;
	e->column = column;
	e->field = dup_cut(field, 200);
	e->value = dup_cut(value, 200);
	e->reason = dup_cut(reason, sizeof(reason));
}

json_t *lc_framework_problems_json(const struct lc_framework_problems *p)
{
	json_t *a = json_array();
	for (size_t i = 0; p && i < p->count; i++) {
		const struct lc_framework_problem *e = &p->items[i];
		json_array_append_new(
		    a, json_pack("{s:I, s:I, s:o, s:o, s:s}", "row", (json_int_t)e->row, "column",
		                 (json_int_t)e->column, "field", lc_row_cstr(e->field), "value",
		                 lc_row_cstr(e->value), "reason", e->reason ? e->reason : ""));
	}
	return a;
}

void lc_framework_problems_format(const struct lc_framework_problems *p, struct lc_buf *out)
{
	for (size_t i = 0; p && i < p->count; i++) {
		const struct lc_framework_problem *e = &p->items[i];
		if (e->row)
			lc_buf_printf(out, "line %ld, ", e->row);
		if (e->column)
			lc_buf_printf(out, "column %ld, ", e->column);
		if (e->field)
			lc_buf_printf(out, "%s: ", e->field);
		if (e->value)
			lc_buf_printf(out, "\"%s\": ", e->value);
		lc_buf_printf(out, "%s\n", e->reason ? e->reason : "");
	}
	if (p && p->dropped)
		lc_buf_printf(out, "... and %zu more problem(s)\n", p->dropped);
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
static int version_find(struct lc_db *db, const char *code, sqlite3_int64 *vid, bool *draft)
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
static int exists(struct lc_db *db, const char *sql, sqlite3_int64 vid)
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
static int frozen(struct lc_db *db, sqlite3_int64 vid, bool draft, const char **why)
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
	     "index runs were computed with this version, so it never changes: make a new draft"},
	    {"SELECT EXISTS (SELECT 1 FROM observations WHERE measurement_id IN (" VERSION_MS "))",
	     "observations were entered against this version, so it never changes: make a "
	     "new draft"},
	    {"SELECT EXISTS (SELECT 1 FROM self_assessments WHERE feature_id IN (" VERSION_FS "))"
	     " OR EXISTS (SELECT 1 FROM local_measurements WHERE feature_id IN (" VERSION_FS "))",
	     "self-assessments or local measurements refer to this version, so it never "
	     "changes: make a new draft"},
	};
#undef VERSION_MS
#undef VERSION_FS
	/* clang-format on */
	*why = NULL;
	if (!draft) {
		*why = "this version is published, and published versions never change: make a "
		       "new draft from it";
		return 1;
	}
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		int rc = exists(db, checks[i].sql, vid);
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
	int err = version_find(db, code, &vid, &draft);
	if (err)
		return err;
	int rc = frozen(db, vid, draft, why);
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
	*out = json_pack("{s:s, s:o, s:o}", "format", FORMAT, "version", version, "parts", parts);
	return *out ? 0 : LC_EINTERNAL;
}

/* ---- CSV export --------------------------------------------------------- */

static void csv_str(struct lc_buf *b, const char *s, bool last)
{
	if (s)
		lc_buf_append_csv(b, s, strlen(s));
	lc_buf_putc(b, last ? '\n' : ',');
}

static void csv_text(struct lc_buf *b, json_t *obj, const char *key, const char *lang)
{
	csv_str(b, json_string_value(json_object_get(json_object_get(obj, key), lang)), false);
}

static void csv_num(struct lc_buf *b, json_t *v)
{
	if (json_is_number(v)) {
		char t[40];
		fmt_num(json_number_value(v), t, sizeof(t));
		csv_str(b, t, false);
	} else {
		lc_buf_putc(b, ',');
	}
}

/* The columns of a part, area or feature: code, title_en, title_fr, status. */
static void csv_node(struct lc_buf *b, json_t *n)
{
	csv_str(b, json_string_value(json_object_get(n, "code")), false);
	csv_text(b, n, "title", "en");
	csv_text(b, n, "title", "fr");
	csv_str(b, json_string_value(json_object_get(n, "provenance")), false);
}

int lc_framework_export_csv(struct lc_db *db, const char *code, struct lc_buf *out)
{
	json_t *doc = NULL;
	int err = lc_framework_export_json(db, code, &doc);
	if (err)
		return err;
	lc_buf_printf(out, "%s\n", LC_FRAMEWORK_CSV_COLUMNS);
	size_t i, j, k, l;
	json_t *p, *a, *f, *m;
	json_array_foreach(json_object_get(doc, "parts"), i, p)
	{
		json_array_foreach(json_object_get(p, "areas"), j, a)
		{
			json_array_foreach(json_object_get(a, "features"), k, f)
			{
				json_t *ms = json_object_get(f, "measurements");
				if (json_array_size(ms) == 0) {
					csv_node(out, p);
					csv_node(out, a);
					csv_node(out, f);
					lc_buf_append(out, ",,,,,,,,\n", 9);
				}
				json_array_foreach(ms, l, m)
				{
					csv_node(out, p);
					csv_node(out, a);
					csv_node(out, f);
					csv_str(out, json_string_value(json_object_get(m, "code")),
					        false);
					csv_text(out, m, "label", "en");
					csv_text(out, m, "label", "fr");
					csv_str(out, json_string_value(json_object_get(m, "unit")),
					        false);
					csv_str(out,
					        json_string_value(json_object_get(m, "direction")),
					        false);
					csv_str(out, json_string_value(json_object_get(m, "type")),
					        false);
					csv_num(out, json_object_get(m, "goalpost_low"));
					csv_num(out, json_object_get(m, "goalpost_high"));
					csv_str(out,
					        json_string_value(json_object_get(m, "provenance")),
					        true);
				}
			}
		}
	}
	json_decref(doc);
	return out->err ? LC_ELIMIT : 0;
}

/* ---- validation --------------------------------------------------------- */

struct vctx {
	struct lc_framework_problems *p;
	const struct lc_csv *csv; /* the rows came from this CSV, or NULL */
	json_t *codes;            /* every code seen in the version: code -> true */
	size_t nodes;
	bool over; /* more nodes than LC_LIMIT_FRAMEWORK_NODES */
};

/* Where a node is: a JSON path, or flat names (CSV columns, form fields) with a prefix. */
struct loc {
	const char *path;   /* NULL: flat names */
	const char *prefix; /* "part_", "area_", "feature_", "version_" or "" */
	long ri;            /* the CSV row index, or -1 */
};

/* The flat name of key: "title" -> PREFIX"title_en", "label.fr" -> "label_fr", ... */
static void flat_name(const char *prefix, const char *key, char *out, size_t size)
{
	if (!key) {
		size_t n = strlen(prefix);
		snprintf(out, size, "%.*s", (int)(n > 0 ? n - 1 : 0), prefix);
	} else if (strcmp(key, "title") == 0 || strcmp(key, "title.en") == 0) {
		snprintf(out, size, "%stitle_en", prefix);
	} else if (strcmp(key, "title.fr") == 0) {
		snprintf(out, size, "%stitle_fr", prefix);
	} else if (strcmp(key, "label") == 0 || strcmp(key, "label.en") == 0) {
		snprintf(out, size, "label_en");
	} else if (strcmp(key, "label.fr") == 0) {
		snprintf(out, size, "label_fr");
	} else if (strncmp(key, "title.", 6) == 0 || strncmp(key, "label.", 6) == 0) {
		snprintf(out, size, "%s%s_en", strncmp(key, "title", 5) == 0 ? prefix : "",
		         strncmp(key, "title", 5) == 0 ? "title" : "label");
	} else if (strcmp(key, "provenance") == 0) {
		snprintf(out, size, "%sstatus", prefix);
	} else if (strcmp(key, "code") == 0) {
		snprintf(out, size, "%scode", prefix);
	} else {
		snprintf(out, size, "%s", key);
	}
}

/* A JSON value as the text a person typed: strings as they are, null as nothing. */
static char *value_text(const json_t *v)
{
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return dup_cut(json_string_value(v), 200);
	if (json_is_number(v)) {
		char t[40];
		fmt_num(json_number_value(v), t, sizeof(t));
		return dup_cut(t, 200);
	}
	char t[201];
	size_t n = json_dumpb(v, t, sizeof(t) - 1, JSON_COMPACT | JSON_ENCODE_ANY);
	t[n < sizeof(t) - 1 ? n : sizeof(t) - 1] = '\0';
	return dup_cut(t, 200);
}

static void vproblem(struct vctx *v, const struct loc *l, const char *key, const json_t *value,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void vproblem(struct vctx *v, const struct loc *l, const char *key, const json_t *value,
                     const char *fmt, ...)
{
	char field[256], reason[400];
	if (l->path)
		snprintf(field, sizeof(field), "%s%s%s", l->path, key && l->path[0] ? "." : "",
		         key ? key : "");
	else
		flat_name(l->prefix, key, field, sizeof(field));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	long row = 0, col = 0;
	char *text = NULL;
	if (v->csv && l->ri >= 0 && (size_t)l->ri < v->csv->n_rows) {
		row = v->csv->line[l->ri];
		long c = lc_csv_find_col(v->csv, field);
		if (c >= 0) {
			col = c + 1;
			text = dup_cut(lc_csv_cstr(v->csv, (size_t)l->ri, (size_t)c), 200);
		}
	}
	if (!col)
		text = value_text(value);
	problem_add(v->p, row, col, field, text && text[0] ? text : NULL, "%s", reason);
	lc_free(text);
}

/* A code: 1..32 ASCII letters, digits, '.', '-', '_'. */
static bool code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	bool ok = n >= 1 && n <= CODE_MAX;
	for (size_t i = 0; ok && i < n; i++) {
		char c = s[i];
		ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		     c == '.' || c == '-' || c == '_';
	}
	return ok;
}

/* The node's code if valid and (unless version) unique in the version; else NULL. */
static const char *check_code(struct vctx *v, const struct loc *l, json_t *node, bool version)
{
	json_t *c = json_object_get(node, "code");
	const char *s = json_string_value(c);
	if (!c || json_is_null(c) || (s && !s[0])) {
		vproblem(v, l, "code", c, "is required");
		return NULL;
	}
	if (!code_ok(s)) {
		vproblem(v, l, "code", c,
		         "must be 1 to 32 letters, digits, dots, hyphens or underscores");
		return NULL;
	}
	if (version) {
		size_t n = strlen(s);
		if ((n >= 4 && strcmp(s + n - 4, ".csv") == 0) ||
		    (n >= 5 && strcmp(s + n - 5, ".json") == 0)) {
			vproblem(v, l, "code", c, "must not end in .csv or .json (file addresses)");
			return NULL;
		}
		return s;
	}
	if (strcmp(s, "index") == 0) {
		vproblem(v, l, "code", c, "\"index\" is reserved for the overall score");
		return NULL;
	}
	if (json_object_get(v->codes, s)) {
		vproblem(v, l, "code", c,
		         "is used twice in this version: every code must be unique");
		return NULL;
	}
	json_object_set_new(v->codes, s, json_true());
	return s;
}

/* A translatable text: an object of language -> non-empty text, with "en". */
static void check_text(struct vctx *v, const struct loc *l, json_t *node, const char *key,
                       bool required)
{
	json_t *t = json_object_get(node, key);
	if (!t || json_is_null(t)) {
		if (required)
			vproblem(v, l, key, NULL, "is required");
		return;
	}
	if (!json_is_object(t)) {
		vproblem(v, l, key, t, "must map language codes to texts, with \"en\"");
		return;
	}
	json_t *en = json_object_get(t, "en");
	if (!json_is_string(en) || json_string_length(en) == 0) {
		char k[32];
		snprintf(k, sizeof(k), "%s.en", key);
		vproblem(v, l, k, en, "is required: a text in English");
	}
	const char *lang;
	json_t *x;
	json_object_foreach(t, lang, x)
	{
		char k[64];
		snprintf(k, sizeof(k), "%s.%.16s", key, lang);
		if (!lc_text_lang_ok(lang))
			vproblem(v, l, k, NULL, "\"%.16s\" is not a language code", lang);
		else if (!json_is_string(x) || (json_string_length(x) == 0 && strcmp(lang, "en")))
			vproblem(v, l, k, x, "must be a non-empty text");
		else if (json_string_length(x) > LC_LIMIT_TEXT_BYTES)
			vproblem(v, l, k, NULL, "is longer than %u bytes", LC_LIMIT_TEXT_BYTES);
	}
}

static void check_enum(struct vctx *v, const struct loc *l, json_t *node, const char *key,
                       const char *const *set, const char *expect)
{
	json_t *x = json_object_get(node, key);
	const char *s = json_string_value(x);
	if (!x || json_is_null(x) || (s && !s[0]))
		vproblem(v, l, key, x, "is required: %s", expect);
	else if (!one_of(s, set))
		vproblem(v, l, key, x, "must be %s", expect);
}

/* s without leading and trailing white space, or NULL when it has none to lose. */
static json_t *trimmed(const json_t *s)
{
	const char *t = json_string_value(s);
	size_t n = json_string_length(s), a = 0;
	if (!t)
		return NULL;
	while (a < n && strchr(" \t\r\n\v\f", t[a]) && t[a])
		a++;
	while (n > a && strchr(" \t\r\n\v\f", t[n - 1]) && t[n - 1])
		n--;
	if (a == 0 && n == json_string_length(s))
		return NULL;
	return json_stringn(t + a, n - a);
}

/*
 * Tidies a node in place before it is checked: texts and the unit lose
 * leading and trailing white space (a CSV cell loses it anyway, so every way
 * in stores the same text and an export imports back unchanged), and an
 * empty unit becomes none.
 */
static void tidy(json_t *node)
{
	static const char *const texts[] = {"title", "label", "note", NULL};
	for (size_t i = 0; texts[i]; i++) {
		json_t *t = json_object_get(node, texts[i]);
		const char *lang;
		json_t *x;
		void *tmp;
		json_object_foreach_safe(t, tmp, lang, x)
		{
			json_t *y = trimmed(x);
			if (y)
				json_object_set_new(t, lang, y);
		}
	}
	json_t *unit = json_object_get(node, "unit");
	json_t *u = trimmed(unit);
	if (u)
		json_object_set_new(node, "unit", u);
	if (json_is_string(json_object_get(node, "unit")) &&
	    json_string_length(json_object_get(node, "unit")) == 0)
		json_object_set_new(node, "unit", json_null());
}

static bool check_node(struct vctx *v, const struct loc *l, json_t *node)
{
	if (!json_is_object(node)) {
		vproblem(v, l, NULL, node, "must be an object");
		return false;
	}
	tidy(node);
	if (++v->nodes > LC_LIMIT_FRAMEWORK_NODES) {
		if (!v->over)
			vproblem(v, l, NULL, NULL,
			         "a framework version has at most %d parts, areas, features and "
			         "measurements together",
			         LC_LIMIT_FRAMEWORK_NODES);
		v->over = true;
		return false;
	}
	return true;
}

static void check_measurement(struct vctx *v, const struct loc *l, json_t *m)
{
	if (!check_node(v, l, m))
		return;
	check_code(v, l, m, false);
	check_text(v, l, m, "label", true);
	json_t *unit = json_object_get(m, "unit");
	if (unit && !json_is_null(unit) &&
	    (!json_is_string(unit) || json_string_length(unit) > UNIT_MAX))
		vproblem(v, l, "unit", unit, "must be a text of at most %d bytes, or empty",
		         UNIT_MAX);
	check_enum(v, l, m, "direction", directions,
	           "higher_is_better, lower_is_better or neutral");
	check_enum(v, l, m, "type", types, "number, percentage, yes_no, maturity_0_4 or text");
	json_t *lo = json_object_get(m, "goalpost_low"), *hi = json_object_get(m, "goalpost_high");
	bool ok = true;
	if (lo && !json_is_null(lo) && !(json_is_number(lo) && isfinite(json_number_value(lo)))) {
		vproblem(v, l, "goalpost_low", lo, "must be a number, or empty");
		ok = false;
	}
	if (hi && !json_is_null(hi) && !(json_is_number(hi) && isfinite(json_number_value(hi)))) {
		vproblem(v, l, "goalpost_high", hi, "must be a number, or empty");
		ok = false;
	}
	if (ok && json_is_number(lo) && json_is_number(hi) &&
	    !(json_number_value(lo) < json_number_value(hi)))
		vproblem(v, l, "goalpost_high", hi, "must be greater than the low goalpost");
	check_enum(v, l, m, "provenance", provenances, "verified, secondary or provisional");
}

/* A level's array of children: problems when it is not an array. */
static json_t *check_list(struct vctx *v, const struct loc *l, json_t *node, const char *key)
{
	json_t *a = json_object_get(node, key);
	if (!json_is_array(a)) {
		vproblem(v, l, key, a, "must be an array");
		return NULL;
	}
	return a;
}

/* A part, area or feature: code, title, provenance. */
static bool check_group(struct vctx *v, const struct loc *l, json_t *n)
{
	if (!check_node(v, l, n))
		return false;
	check_code(v, l, n, false);
	check_text(v, l, n, "title", true);
	check_enum(v, l, n, "provenance", provenances, "verified, secondary or provisional");
	return true;
}

/* The location of a child node: its JSON path, or the CSV row it came from. */
static void child_loc(struct vctx *v, struct loc *l, char *buf, size_t size, const char *parent,
                      const char *key, size_t i, json_t *n, const char *prefix)
{
	json_t *ri = json_object_get(n, "_ri");
	if (v->csv) {
		l->path = NULL;
		l->prefix = prefix;
		l->ri = json_is_integer(ri) ? (long)json_integer_value(ri) : -1;
	} else {
		snprintf(buf, size, "%s%s%s[%zu]", parent, parent[0] ? "." : "", key, i);
		l->path = buf;
		l->prefix = prefix;
		l->ri = -1;
	}
}

static bool date_ok(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m < 1 || m > 12 || d < 1)
		return false;
	return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

static void check_version(struct vctx *v, const struct loc *l, json_t *ver)
{
	if (!json_is_object(ver)) {
		vproblem(v, l, NULL, ver, "must be an object");
		return;
	}
	tidy(ver);
	check_code(v, l, ver, true);
	check_text(v, l, ver, "title", true);
	check_text(v, l, ver, "note", false);
	json_t *adopted = json_object_get(ver, "adopted");
	if (adopted && !json_is_null(adopted) && !date_ok(json_string_value(adopted)))
		vproblem(v, l, "adopted", adopted, "must be a date YYYY-MM-DD, or null");
	check_enum(v, l, ver, "provenance", provenances, "verified, secondary or provisional");
}

/* Walks the parts of doc (problems in v); the version itself is checked by the caller. */
static void check_tree(struct vctx *v, json_t *doc)
{
	struct loc top = {.path = "", .prefix = "", .ri = -1};
	json_t *parts = check_list(v, &top, doc, "parts");
	if (!parts)
		return;
	char pp[64], ap[96], fp[128], mp[176];
	size_t i, j, k, m;
	json_t *p, *a, *f, *x;
	json_array_foreach(parts, i, p)
	{
		struct loc pl, al, fl, ml;
		child_loc(v, &pl, pp, sizeof(pp), "", "parts", i, p, "part_");
		if (!check_group(v, &pl, p))
			continue;
		json_t *areas = check_list(v, &pl, p, "areas");
		json_array_foreach(areas, j, a)
		{
			child_loc(v, &al, ap, sizeof(ap), pp, "areas", j, a, "area_");
			if (!check_group(v, &al, a))
				continue;
			json_t *features = check_list(v, &al, a, "features");
			json_array_foreach(features, k, f)
			{
				child_loc(v, &fl, fp, sizeof(fp), ap, "features", k, f, "feature_");
				if (!check_group(v, &fl, f))
					continue;
				json_t *ms = check_list(v, &fl, f, "measurements");
				json_array_foreach(ms, m, x)
				{
					child_loc(v, &ml, mp, sizeof(mp), fp, "measurements", m, x,
					          "");
					check_measurement(v, &ml, x);
					if (v->over)
						return;
				}
			}
		}
	}
}

/* ---- CSV import --------------------------------------------------------- */

static const struct {
	const char *name;
	bool required;
} csv_columns[] = {
    {"part_code", true},
    {"part_title_en", true},
    {"part_title_fr", false},
    {"part_status", false},
    {"area_code", true},
    {"area_title_en", true},
    {"area_title_fr", false},
    {"area_status", false},
    {"feature_code", true},
    {"feature_title_en", true},
    {"feature_title_fr", false},
    {"feature_status", false},
    {"code", true},
    {"label_en", true},
    {"label_fr", false},
    {"unit", false},
    {"direction", true},
    {"type", true},
    {"goalpost_low", false},
    {"goalpost_high", false},
    {"status", false},
};
#define N_CSV_COLUMNS (sizeof(csv_columns) / sizeof(csv_columns[0]))

struct csv_in {
	const struct lc_csv *csv;
	long col[N_CSV_COLUMNS];
	struct lc_framework_problems *p;
};

/* A cell as text without the neutralising quote of our export ("'-5" -> "-5"); "" when absent. */
static const char *cell(const struct csv_in *c, size_t row, size_t k)
{
	if (c->col[k] < 0)
		return "";
	const char *s = lc_csv_cstr(c->csv, row, (size_t)c->col[k]);
	if (s[0] == '\'' && s[1] && strchr("=+-@\t\r", s[1]))
		return s + 1;
	return s;
}

static long col_of(const char *name)
{
	for (size_t k = 0; k < N_CSV_COLUMNS; k++)
		if (strcmp(csv_columns[k].name, name) == 0)
			return (long)k;
	return -1;
}

static const char *cellc(const struct csv_in *c, size_t row, const char *name)
{
	long k = col_of(name);
	return k < 0 ? "" : cell(c, row, (size_t)k);
}

/* A cell as a JSON string, null when empty; a problem when it is not UTF-8. */
static json_t *cell_json(const struct csv_in *c, size_t row, const char *name)
{
	const char *s = cellc(c, row, name);
	if (!s[0])
		return json_null();
	json_t *j = json_string(s);
	if (!j) {
		long k = col_of(name);
		problem_add(c->p, c->csv->line[row], c->col[k] + 1, name, NULL,
		            "is not valid UTF-8 text");
		return json_null();
	}
	return j;
}

/* {"en": .., "fr": ..} from PREFIX_en and PREFIX_fr; empty cells left out. */
static json_t *cell_text(const struct csv_in *c, size_t row, const char *base)
{
	char en[48], fr[48];
	snprintf(en, sizeof(en), "%s_en", base);
	snprintf(fr, sizeof(fr), "%s_fr", base);
	json_t *t = json_object();
	json_t *e = cell_json(c, row, en), *f = cell_json(c, row, fr);
	if (!json_is_null(e))
		json_object_set(t, "en", e);
	if (!json_is_null(f))
		json_object_set(t, "fr", f);
	json_decref(e);
	json_decref(f);
	return t;
}

static json_t *cell_num(const struct csv_in *c, size_t row, const char *name)
{
	const char *s = cellc(c, row, name);
	struct lc_slice sl = lc_slice_make(s, strlen(s));
	double d = 0;
	if (lc_csv_is_na(sl))
		return json_null();
	if (lc_csv_number(sl, &d) != 0 || !isfinite(d)) {
		problem_add(c->p, c->csv->line[row], c->col[col_of(name)] + 1, name, s,
		            "is not a number");
		return json_null();
	}
	return json_real(d);
}

/* A part, area or feature of row: code, title, provenance and an empty child list. */
static json_t *csv_group(const struct csv_in *c, size_t row, const char *prefix,
                         const char *children)
{
	char k[48];
	snprintf(k, sizeof(k), "%scode", prefix);
	json_t *code = cell_json(c, row, k);
	snprintf(k, sizeof(k), "%stitle", prefix);
	json_t *title = cell_text(c, row, k);
	snprintf(k, sizeof(k), "%sstatus", prefix);
	json_t *prov = cell_json(c, row, k);
	if (json_is_null(prov)) {
		json_decref(prov);
		prov = json_string("provisional");
	}
	return json_pack("{s:o, s:o, s:o, s:[], s:I}", "code", code, "title", title, "provenance",
	                 prov, children, "_ri", (json_int_t)row);
}

/*
 * The group of row under list (an array of groups), found by code: a new one
 * is appended; an existing one must have the same title and status as on its
 * first row. Borrowed from list.
 */
static json_t *csv_merge(const struct csv_in *c, size_t row, json_t *list, const char *prefix,
                         const char *children, const char *what)
{
	json_t *g = csv_group(c, row, prefix, children);
	const char *code = json_string_value(json_object_get(g, "code"));
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x)
	{
		const char *xc = json_string_value(json_object_get(x, "code"));
		if (!code || !xc || strcmp(code, xc) != 0)
			continue;
		if (!json_equal(json_object_get(x, "title"), json_object_get(g, "title")) ||
		    !json_equal(json_object_get(x, "provenance"),
		                json_object_get(g, "provenance"))) {
			char k[48];
			snprintf(k, sizeof(k), "%stitle_en", prefix);
			long first = c->csv->line[json_integer_value(json_object_get(x, "_ri"))];
			problem_add(
			    c->p, c->csv->line[row], c->col[col_of(k)] + 1, k, cellc(c, row, k),
			    "the %s %s has another title or status on line %ld", what, code, first);
		}
		json_decref(g);
		return x;
	}
	json_array_append_new(list, g);
	return g;
}

/* Builds the framework document of a CSV file; problems of the cells in p. */
static json_t *csv_doc(const struct lc_csv *csv, struct lc_framework_problems *p)
{
	struct csv_in c = {.csv = csv, .p = p};
	bool ok = true;
	for (size_t k = 0; k < N_CSV_COLUMNS; k++) {
		c.col[k] = lc_csv_find_col(csv, csv_columns[k].name);
		if (c.col[k] < 0 && csv_columns[k].required) {
			problem_add(p, csv->line[0], 0, csv_columns[k].name, NULL,
			            "the column is missing (columns: %s)",
			            LC_FRAMEWORK_CSV_COLUMNS);
			ok = false;
		}
	}
	for (size_t j = 0; j < csv->n_cols; j++) {
		const char *name = lc_csv_cstr(csv, 0, j);
		if (col_of(name) < 0) {
			problem_add(p, csv->line[0], (long)j + 1, name, name,
			            "is not a column of a framework file");
			ok = false;
		} else if (lc_csv_find_col(csv, name) != (long)j) {
			problem_add(p, csv->line[0], (long)j + 1, name, name,
			            "the column appears twice");
			ok = false;
		}
	}
	if (!ok)
		return NULL;
	if (csv->n_rows < 2) {
		problem_add(p, csv->line[0], 0, NULL, NULL,
		            "the file has no rows after the header");
		return NULL;
	}
	json_t *parts = json_array();
	for (size_t r = 1; r < csv->n_rows; r++) {
		json_t *part = csv_merge(&c, r, parts, "part_", "areas", "part");
		json_t *area =
		    csv_merge(&c, r, json_object_get(part, "areas"), "area_", "features", "area");
		json_t *feature = csv_merge(&c, r, json_object_get(area, "features"), "feature_",
		                            "measurements", "feature");
		if (!cellc(&c, r, "code")[0]) {
			/* A feature without measurements: nothing else may be filled in. */
			for (size_t k = (size_t)col_of("code"); k < N_CSV_COLUMNS; k++)
				if (cell(&c, r, k)[0])
					problem_add(
					    p, csv->line[r], c.col[k] + 1, csv_columns[k].name,
					    cell(&c, r, k),
					    "a row without a measurement code describes a "
					    "feature without measurements: leave this empty");
			continue;
		}
		json_t *status = cell_json(&c, r, "status");
		if (json_is_null(status)) {
			json_decref(status);
			status = json_string("provisional");
		}
		json_t *m = json_pack(
		    "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "code",
		    cell_json(&c, r, "code"), "label", cell_text(&c, r, "label"), "unit",
		    cell_json(&c, r, "unit"), "direction", cell_json(&c, r, "direction"), "type",
		    cell_json(&c, r, "type"), "goalpost_low", cell_num(&c, r, "goalpost_low"),
		    "goalpost_high", cell_num(&c, r, "goalpost_high"), "provenance", status, "_ri",
		    (json_int_t)r);
		json_array_append_new(json_object_get(feature, "measurements"), m);
	}
	return json_pack("{s:s, s:o}", "format", FORMAT, "parts", parts);
}

/* ---- writing ------------------------------------------------------------ */

static int bind_json(sqlite3_stmt *st, int i, const json_t *v)
{
	if (!v || json_is_null(v))
		return sqlite3_bind_null(st, i) == SQLITE_OK ? 0 : LC_EDB;
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_TEXT_BYTES * 4);
	int err = lc_row_dump(v, &b);
	if (!err)
		err = lc_db_bind_text(st, i, lc_buf_cstr(&b));
	lc_buf_cleanup(&b);
	return err;
}

static void bind_num(sqlite3_stmt *st, int i, const json_t *v)
{
	if (json_is_number(v))
		sqlite3_bind_double(st, i, json_number_value(v));
	else
		sqlite3_bind_null(st, i);
}

static const char *str_of(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Inserts a validated node: ?1 parent, ?2 code, ?3 position, ?4 title, ?5 provenance [...]. */
static int insert_node(struct lc_db *db, const char *sql, sqlite3_int64 parent, json_t *n,
                       size_t position, const char *title_key, sqlite3_int64 *id)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, parent);
	lc_db_bind_text(st, 2, str_of(n, "code"));
	sqlite3_bind_int64(st, 3, (sqlite3_int64)position);
	int err = bind_json(st, 4, json_object_get(n, title_key));
	lc_db_bind_text(st, 5, str_of(n, "provenance"));
	if (strcmp(title_key, "label") == 0) {
		lc_db_bind_text(st, 6, str_of(n, "unit"));
		lc_db_bind_text(st, 7, str_of(n, "direction"));
		lc_db_bind_text(st, 8, str_of(n, "type"));
		bind_num(st, 9, json_object_get(n, "goalpost_low"));
		bind_num(st, 10, json_object_get(n, "goalpost_high"));
	}
	int rc = err ? err : lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		return rc == LC_ECONFLICT ? LC_EINVAL : rc;
	*id = lc_db_last_id(db);
	return 0;
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

static int insert_tree(struct lc_db *db, json_t *doc, sqlite3_int64 vid)
{
	size_t i, j, k, m;
	json_t *p, *a, *f, *x;
	int err = 0;
	json_array_foreach(json_object_get(doc, "parts"), i, p)
	{
		sqlite3_int64 pid, aid, fid, mid;
		err = insert_node(db, part_ins, vid, p, i + 1, "title", &pid);
		if (err)
			return err;
		json_array_foreach(json_object_get(p, "areas"), j, a)
		{
			err = insert_node(db, area_ins, pid, a, j + 1, "title", &aid);
			if (err)
				return err;
			json_array_foreach(json_object_get(a, "features"), k, f)
			{
				err = insert_node(db, feature_ins, aid, f, k + 1, "title", &fid);
				if (err)
					return err;
				json_array_foreach(json_object_get(f, "measurements"), m, x)
				{
					err = insert_node(db, measurement_ins, fid, x, m + 1,
					                  "label", &mid);
					if (err)
						return err;
				}
			}
		}
	}
	return 0;
}

/* Inserts the version row of doc (status draft or published) in *vid. */
static int insert_version(struct lc_db *db, json_t *ver, bool draft, sqlite3_int64 based_on,
                          sqlite3_int64 *vid)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db,
	    "INSERT INTO framework_versions (code, title, adopted, note, is_current, provenance,"
	    " status, based_on, created_at, published_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	if (!st)
		return LC_EDB;
	int64_t now = lc_clock_now();
	lc_db_bind_text(st, 1, str_of(ver, "code"));
	int err = bind_json(st, 2, json_object_get(ver, "title"));
	lc_db_bind_text(st, 3, str_of(ver, "adopted"));
	if (!err)
		err = bind_json(st, 4, json_object_get(ver, "note"));
	sqlite3_bind_int(st, 5, draft ? 0 : 1);
	lc_db_bind_text(st, 6, str_of(ver, "provenance"));
	lc_db_bind_text(st, 7, draft ? "draft" : "published");
	if (based_on)
		sqlite3_bind_int64(st, 8, based_on);
	sqlite3_bind_int64(st, 9, now);
	if (!draft)
		sqlite3_bind_int64(st, 10, now);
	int rc = err ? err : lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	*vid = lc_db_last_id(db);
	return 0;
}

/* 1 when a version has this code, 0 when none, or an error. */
static int code_taken(struct lc_db *db, const char *code)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT 1 FROM framework_versions WHERE code = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, code);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc;
}

/* Parses and checks a whole document; every problem in p. The version is checked at vloc. */
static json_t *parse(const char *text, size_t len, const struct lc_framework_import_opts *o,
                     struct lc_csv *csv, struct lc_framework_problems *p, int *err)
{
	*err = 0;
	if (len > LC_LIMIT_DATA_FILE) {
		problem_add(p, 0, 0, NULL, NULL, "the file is larger than %u bytes",
		            LC_LIMIT_DATA_FILE);
		*err = LC_ELIMIT;
		return NULL;
	}
	json_t *doc = NULL;
	if (o->format == LC_FRAMEWORK_CSV) {
		struct lc_diag d;
		lc_diag_init(&d);
		*err = lc_csv_parse(csv, text, len, NULL, &d);
		for (size_t i = 0; i < d.count; i++)
			problem_add(p, d.items[i].line, d.items[i].column, d.items[i].field, NULL,
			            "%s", d.items[i].message);
		lc_diag_cleanup(&d);
		if (*err)
			return NULL;
		doc = csv_doc(csv, p);
		if (!doc) {
			*err = LC_EINVAL;
			return NULL;
		}
		json_t *title = json_object();
		json_object_set_new(
		    title, "en",
		    json_string(o->title && o->title[0] ? o->title : (o->code ? o->code : "")));
		json_object_set_new(doc, "version",
		                    json_pack("{s:o, s:o, s:n, s:n, s:s}", "code",
		                              lc_row_cstr(o->code), "title", title, "adopted",
		                              "note", "provenance", "provisional"));
	} else {
		json_error_t jerr;
		doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
		if (!doc) {
			problem_add(p, jerr.line, jerr.column, NULL, NULL, "%s", jerr.text);
			*err = LC_EINVAL;
			return NULL;
		}
		const char *format = str_of(doc, "format");
		if (!format || strcmp(format, FORMAT) != 0) {
			problem_add(p, 0, 0, "format", format, "expected \"" FORMAT "\"");
			*err = LC_EINVAL;
			json_decref(doc);
			return NULL;
		}
		json_t *ver = json_object_get(doc, "version");
		if (json_is_object(ver) && o->code)
			json_object_set_new(ver, "code", lc_row_cstr(o->code));
		if (json_is_object(ver) && o->title && o->title[0]) {
			json_t *t = json_object_get(ver, "title");
			if (!json_is_object(t)) {
				t = json_object();
				json_object_set_new(ver, "title", t);
			}
			json_object_set_new(t, "en", lc_row_cstr(o->title));
		}
	}
	return doc;
}

/* The checks of a whole document; problems in p; LC_EINVAL or LC_ELIMIT when any. */
static int check_doc(json_t *doc, const struct lc_csv *csv, bool flat_version,
                     struct lc_framework_problems *p)
{
	size_t before = p ? p->count + p->dropped : 0;
	struct vctx v = {.p = p, .csv = csv, .codes = json_object()};
	struct loc vl = {.path = flat_version ? NULL : "version", .prefix = "version_", .ri = -1};
	check_version(&v, &vl, json_object_get(doc, "version"));
	check_tree(&v, doc);
	json_decref(v.codes);
	if (v.over)
		return LC_ELIMIT;
	return p && p->count + p->dropped > before ? LC_EINVAL : 0;
}

/* Checks that code is free; a problem in p when not. */
static int check_free(struct lc_db *db, json_t *doc, bool flat, struct lc_framework_problems *p)
{
	const char *code = str_of(json_object_get(doc, "version"), "code");
	int rc = code_taken(db, code);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		problem_add(p, 0, 0, flat ? "version_code" : "version.code", code,
		            "is already the code of a framework version");
		return LC_EINVAL;
	}
	return 0;
}

/* Problems in file order: by row, then column. */
static int by_place(const void *a, const void *b)
{
	const struct lc_framework_problem *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return 0;
}

int lc_framework_import(struct lc_db *db, const struct lc_actor *actor, const char *text,
                        size_t len, const struct lc_framework_import_opts *opts, char *code_out,
                        size_t code_size, struct lc_framework_problems *p)
{
	int err = lc_authz_check(actor, LC_ACT_EDIT_FRAMEWORK, NULL);
	if (err)
		return err;
	struct lc_csv csv;
	lc_csv_init(&csv);
	bool is_csv = opts->format == LC_FRAMEWORK_CSV;
	bool in_tx = false;
	json_t *doc = NULL;
	if (is_csv && (!opts->code || !opts->code[0])) {
		problem_add(p, 0, 0, "version_code", NULL,
		            "a CSV file needs the new version's code (it holds only the rows)");
		err = LC_EINVAL;
		goto out;
	}
	doc = parse(text, len, opts, &csv, p, &err);
	if (!doc)
		goto out;
	err = check_doc(doc, is_csv ? &csv : NULL, is_csv, p);
	if (err == LC_EINVAL && p && p->count == 0)
		err = LC_EINVAL;
	if (err)
		goto out;
	err = lc_db_begin(db);
	if (err)
		goto out;
	in_tx = true;
	err = check_free(db, doc, is_csv, p);
	if (err)
		goto out;
	sqlite3_int64 vid = 0;
	json_t *ver = json_object_get(doc, "version");
	err = insert_version(db, ver, true, 0, &vid);
	if (!err)
		err = insert_tree(db, doc, vid);
	if (err)
		goto out;
	json_t *after =
	    json_pack("{s:s, s:s}", "code", str_of(ver, "code"), "format", is_csv ? "csv" : "json");
	err = lc_audit_append_id(db, actor, "framework.import", "framework_version", vid, NULL,
	                         after, NULL);
	json_decref(after);
	if (err)
		goto out;
	err = lc_db_commit(db);
	if (err)
		goto out;
	in_tx = false;
	if (code_out && code_size)
		snprintf(code_out, code_size, "%s", str_of(ver, "code"));
out:
	if (in_tx)
		lc_db_rollback(db);
	if (p && is_csv && p->count > 1)
		qsort(p->items, p->count, sizeof(*p->items), by_place);
	json_decref(doc);
	lc_csv_cleanup(&csv);
	return err;
}

int lc_framework_load_json(struct lc_db *db, const char *text, size_t len, struct lc_diag *d)
{
	struct lc_framework_problems p;
	lc_framework_problems_init(&p);
	struct lc_framework_import_opts o = {.format = LC_FRAMEWORK_JSON};
	bool in_tx = false;
	int err = 0;
	json_t *doc = parse(text, len, &o, NULL, &p, &err);
	if (doc)
		err = check_doc(doc, NULL, false, &p);
	if (err)
		goto out;
	err = lc_db_begin(db);
	if (err)
		goto out;
	in_tx = true;
	const char *code = str_of(json_object_get(doc, "version"), "code");
	int rc = code_taken(db, code);
	if (rc != 0) {
		/* Already loaded (1) or an error (< 0). */
		err = rc < 0 ? rc : 0;
		goto out;
	}
	err = lc_db_exec(db, "UPDATE framework_versions SET is_current = 0 WHERE is_current = 1");
	sqlite3_int64 vid = 0;
	if (!err)
		err = insert_version(db, json_object_get(doc, "version"), false, 0, &vid);
	if (!err)
		err = insert_tree(db, doc, vid);
	if (!err)
		err = lc_db_commit(db);
	if (!err)
		in_tx = false;
out:
	if (in_tx)
		lc_db_rollback(db);
	for (size_t i = 0; i < p.count; i++) {
		const struct lc_framework_problem *e = &p.items[i];
		if (e->value)
			lc_diag_addf(d, "framework", e->row, e->column, e->field,
			             "err_framework_problem", LC_ARG_S("value", e->value),
			             LC_ARG_S("reason", e->reason));
		else
			lc_diag_addf(d, "framework", e->row, e->column, e->field,
			             "err_framework_problem_2", LC_ARG_S("reason", e->reason));
	}
	lc_framework_problems_cleanup(&p);
	json_decref(doc);
	return err;
}

/* ---- editing ------------------------------------------------------------ */

int lc_framework_draft_new(struct lc_db *db, const struct lc_actor *actor, const char *from,
                           const char *code, const char *title_en, const char *title_fr,
                           struct lc_framework_problems *p)
{
	int err = lc_authz_check(actor, LC_ACT_EDIT_FRAMEWORK, NULL);
	if (err)
		return err;
	json_t *doc = NULL;
	bool in_tx = false;
	err = lc_db_begin(db);
	if (err)
		return err;
	in_tx = true;
	sqlite3_int64 from_id = 0, vid = 0;
	bool draft = false;
	err = version_find(db, from, &from_id, &draft);
	if (!err)
		err = lc_framework_export_json(db, from, &doc);
	if (err)
		goto out;
	json_t *ver = json_object_get(doc, "version");
	json_object_set_new(ver, "code", lc_row_cstr(code && code[0] ? code : NULL));
	json_object_set_new(ver, "adopted", json_null());
	if (title_en && title_en[0]) {
		json_t *t = json_object();
		json_object_set_new(t, "en", lc_row_cstr(title_en));
		if (title_fr && title_fr[0])
			json_object_set_new(t, "fr", lc_row_cstr(title_fr));
		json_object_set_new(ver, "title", t);
	}
	err = check_doc(doc, NULL, true, p);
	if (!err)
		err = check_free(db, doc, true, p);
	if (!err)
		err = insert_version(db, ver, true, from_id, &vid);
	if (!err)
		err = insert_tree(db, doc, vid);
	if (err)
		goto out;
	json_t *after =
	    json_pack("{s:s, s:s}", "code", str_of(ver, "code"), "from", from ? from : "current");
	err = lc_audit_append_id(db, actor, "framework.draft", "framework_version", vid, NULL,
	                         after, NULL);
	json_decref(after);
	if (!err)
		err = lc_db_commit(db);
	if (!err)
		in_tx = false;
out:
	if (in_tx)
		lc_db_rollback(db);
	json_decref(doc);
	return err;
}

/* A draft that may change: its id, or LC_ENOTFOUND / LC_ECONFLICT (reason in p). */
static int editable(struct lc_db *db, const char *code, sqlite3_int64 *vid,
                    struct lc_framework_problems *p)
{
	bool draft = false;
	const char *why = NULL;
	int err = version_find(db, code, vid, &draft);
	if (err)
		return err;
	int rc = frozen(db, *vid, draft, &why);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		problem_add(p, 0, 0, NULL, code, "%s", why);
		return LC_ECONFLICT;
	}
	return 0;
}

int lc_framework_publish(struct lc_db *db, const struct lc_actor *actor, const char *code,
                         struct lc_framework_problems *p)
{
	int err = lc_authz_check(actor, LC_ACT_EDIT_FRAMEWORK, NULL);
	if (err)
		return err;
	if (!code)
		return LC_ENOTFOUND;
	err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_int64 vid = 0;
	bool draft = false;
	err = version_find(db, code, &vid, &draft);
	if (err)
		goto fail;
	if (!draft) {
		problem_add(p, 0, 0, NULL, code, "this version is already published");
		err = LC_ECONFLICT;
		goto fail;
	}
	int n = exists(db,
	               "SELECT count(*) FROM framework_measurements m"
	               " JOIN framework_features f ON f.id = m.feature_id"
	               " JOIN framework_areas a ON a.id = f.area_id"
	               " JOIN framework_parts p ON p.id = a.part_id WHERE p.version_id = ?1",
	               vid);
	if (n <= 0) {
		if (n == 0)
			problem_add(p, 0, 0, NULL, code,
			            "a version without measurements cannot be published");
		err = n < 0 ? n : LC_EINVAL;
		goto fail;
	}
	json_t *before = NULL;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT code FROM framework_versions WHERE is_current = 1");
	if (!st) {
		err = LC_EDB;
		goto fail;
	}
	int rc = lc_db_step(db, st);
	if (rc == 1)
		before = json_pack("{s:o}", "current", lc_row_str(st, 0));
	lc_db_release(db, st);
	st = lc_db_stmt(db, "UPDATE framework_versions SET status = 'published', published_at = ?2"
	                    " WHERE id = ?1");
	if (!st) {
		json_decref(before);
		err = LC_EDB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, vid);
	sqlite3_bind_int64(st, 2, lc_clock_now());
	rc = lc_db_step(db, st);
	lc_db_release(db, st);
	err = rc < 0 ? rc : 0;
	if (!err)
		err = lc_db_exec(db, "UPDATE framework_versions SET is_current = 0"
		                     " WHERE is_current = 1");
	if (!err) {
		st = lc_db_stmt(db, "UPDATE framework_versions SET is_current = 1 WHERE id = ?1");
		if (!st) {
			err = LC_EDB;
		} else {
			sqlite3_bind_int64(st, 1, vid);
			rc = lc_db_step(db, st);
			lc_db_release(db, st);
			err = rc < 0 ? rc : 0;
		}
	}
	if (!err) {
		json_t *after = json_pack("{s:s}", "current", code);
		err = lc_audit_append_id(db, actor, "framework.publish", "framework_version", vid,
		                         before, after, NULL);
		json_decref(after);
	}
	json_decref(before);
	if (err)
		goto fail;
	err = lc_db_commit(db);
	if (err)
		goto fail;
	return 0;
fail:
	lc_db_rollback(db);
	return err;
}

/* clang-format off */
static const char *const measurement_one_sql =
	"SELECT m.id, m.code, json_extract(m.label, '$.en'), json_extract(m.label, '$.fr'),"
	" m.unit, m.direction, m.type, m.goalpost_low, m.goalpost_high, m.provenance,"
	" f.code, " LC_ROW_TR("f.title") ", m.label, f.id"
	" FROM framework_measurements m JOIN framework_features f ON f.id = m.feature_id"
	" JOIN framework_areas a ON a.id = f.area_id"
	" JOIN framework_parts p ON p.id = a.part_id"
	" WHERE m.id = ?2 AND p.version_id = ?3";
/* clang-format on */

static json_t *num_text(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_string("");
	char t[40];
	fmt_num(sqlite3_column_double(st, i), t, sizeof(t));
	return json_string(t);
}

static json_t *str_or_empty(sqlite3_stmt *st, int i)
{
	json_t *j = lc_row_str(st, i);
	if (json_is_null(j)) {
		json_decref(j);
		return json_string("");
	}
	return j;
}

/* The measurement as its form shows it, plus its raw label (for the edit) in *label. */
static int measurement_read(struct lc_db *db, sqlite3_int64 vid, int64_t id, const char *lang,
                            json_t **out, json_t **label)
{
	char path[8];
	lc_text_lang_path(lang, path, sizeof(path));
	sqlite3_stmt *st = lc_db_stmt(db, measurement_one_sql);
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, path);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int64(st, 3, vid);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		*out = json_pack(
		    "{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:o, s:o}}", "id",
		    (json_int_t)id, "code", lc_row_str(st, 1), "label_en", str_or_empty(st, 2),
		    "label_fr", str_or_empty(st, 3), "unit", str_or_empty(st, 4), "direction",
		    lc_row_str(st, 5), "type", lc_row_str(st, 6), "goalpost_low", num_text(st, 7),
		    "goalpost_high", num_text(st, 8), "status", lc_row_str(st, 9), "feature",
		    "code", lc_row_str(st, 10), "title", lc_row_str(st, 11));
		if (label)
			*label = lc_row_object(st, 12);
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

int lc_framework_measurement_get(struct lc_db *db, const char *version, int64_t id,
                                 const char *lang, json_t **out)
{
	*out = NULL;
	sqlite3_int64 vid = 0;
	bool draft = false;
	int err = version_find(db, version, &vid, &draft);
	if (!err && !version)
		err = LC_ENOTFOUND;
	if (!err)
		err = measurement_read(db, vid, id, lang, out, NULL);
	return err;
}

/* Every code of version vid but measurement skip's, as code -> true. */
static int version_codes(struct lc_db *db, sqlite3_int64 vid, int64_t skip, json_t *codes)
{
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT p.code, a.code, f.code, m.code, m.id FROM framework_parts p"
	                   " LEFT JOIN framework_areas a ON a.part_id = p.id"
	                   " LEFT JOIN framework_features f ON f.area_id = a.id"
	                   " LEFT JOIN framework_measurements m ON m.feature_id = f.id"
	                   " WHERE p.version_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, vid);
	int rc;
	while (lc_db_next(db, st, &rc)) {
		for (int i = 0; i < 4; i++) {
			const char *c = lc_db_text(st, i);
			if (i == 3 && sqlite3_column_int64(st, 4) == skip)
				continue;
			if (c)
				json_object_set_new(codes, c, json_true());
		}
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static json_t *form_str(const char *s)
{
	return s && s[0] ? lc_row_cstr(s) : json_null();
}

/* A goalpost as typed: empty -> null, a number, or the text itself (the check refuses it). */
static json_t *form_num(const char *s)
{
	double d;
	if (!s || !s[0])
		return json_null();
	if (lc_csv_number(lc_slice_make(s, strlen(s)), &d) == 0 && isfinite(d))
		return json_real(d);
	return lc_row_cstr(s);
}

/* The feature id of code in version vid. */
static int feature_find(struct lc_db *db, sqlite3_int64 vid, const char *code, sqlite3_int64 *id)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT f.id FROM framework_features f"
	                                  " JOIN framework_areas a ON a.id = f.area_id"
	                                  " JOIN framework_parts p ON p.id = a.part_id"
	                                  " WHERE p.version_id = ?1 AND f.code = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, vid);
	lc_db_bind_text(st, 2, code);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*id = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

int lc_framework_measurement_save(struct lc_db *db, const struct lc_actor *actor,
                                  const char *version, int64_t id, const char *feature_code,
                                  const struct lc_framework_measure_form *f, int64_t *id_out,
                                  struct lc_framework_problems *p)
{
	int err = lc_authz_check(actor, LC_ACT_EDIT_FRAMEWORK, NULL);
	if (err)
		return err;
	if (!version)
		return LC_ENOTFOUND;
	json_t *before = NULL, *label = NULL, *node = NULL, *codes = json_object();
	err = lc_db_begin(db);
	if (err) {
		json_decref(codes);
		return err;
	}
	sqlite3_int64 vid = 0, fid = 0;
	err = editable(db, version, &vid, p);
	if (err)
		goto out;
	if (id > 0) {
		err = measurement_read(db, vid, id, "en", &before, &label);
	} else {
		label = json_object();
		err = feature_code ? feature_find(db, vid, feature_code, &fid) : LC_ENOTFOUND;
	}
	if (!err)
		err = version_codes(db, vid, id, codes);
	if (err)
		goto out;
	/* Other languages than the form's two are kept as they were. */
	json_object_del(label, "en");
	json_object_del(label, "fr");
	if (f->label_en && f->label_en[0])
		json_object_set_new(label, "en", lc_row_cstr(f->label_en));
	if (f->label_fr && f->label_fr[0])
		json_object_set_new(label, "fr", lc_row_cstr(f->label_fr));
	node = json_pack("{s:o, s:O, s:o, s:o, s:o, s:o, s:o, s:o}", "code", form_str(f->code),
	                 "label", label, "unit", form_str(f->unit), "direction",
	                 form_str(f->direction), "type", form_str(f->type), "goalpost_low",
	                 form_num(f->goalpost_low), "goalpost_high", form_num(f->goalpost_high),
	                 "provenance", form_str(f->status));
	struct vctx v = {.p = p, .codes = codes};
	struct loc l = {.path = NULL, .prefix = "", .ri = -1};
	size_t had = p ? p->count + p->dropped : 0;
	check_measurement(&v, &l, node);
	if (p && p->count + p->dropped > had) {
		err = LC_EINVAL;
		goto out;
	}
	sqlite3_stmt *st;
	if (id > 0) {
		st = lc_db_stmt(db, "UPDATE framework_measurements SET code = ?2, label = ?4,"
		                    " provenance = ?5, unit = ?6, direction = ?7, type = ?8,"
		                    " goalpost_low = ?9, goalpost_high = ?10 WHERE id = ?1");
	} else {
		st =
		    lc_db_stmt(db, "INSERT INTO framework_measurements (feature_id, code, position,"
		                   " label, provenance, unit, direction, type, goalpost_low,"
		                   " goalpost_high) VALUES (?1, ?2, (SELECT coalesce(max(position),"
		                   " 0) + 1 FROM framework_measurements WHERE feature_id = ?1), ?4,"
		                   " ?5, ?6, ?7, ?8, ?9, ?10)");
	}
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id > 0 ? id : fid);
	lc_db_bind_text(st, 2, str_of(node, "code"));
	err = bind_json(st, 4, label);
	lc_db_bind_text(st, 5, str_of(node, "provenance"));
	lc_db_bind_text(st, 6, str_of(node, "unit"));
	lc_db_bind_text(st, 7, str_of(node, "direction"));
	lc_db_bind_text(st, 8, str_of(node, "type"));
	bind_num(st, 9, json_object_get(node, "goalpost_low"));
	bind_num(st, 10, json_object_get(node, "goalpost_high"));
	int rc = err ? err : lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	int64_t mid = id > 0 ? id : lc_db_last_id(db);
	json_t *after = NULL;
	err = measurement_read(db, vid, mid, "en", &after, NULL);
	if (!err)
		err = lc_audit_append_id(
		    db, actor, id > 0 ? "framework.measurement_edit" : "framework.measurement_add",
		    "framework_measurement", mid, before, after, NULL);
	json_decref(after);
	if (!err)
		err = lc_db_commit(db);
	if (!err && id_out)
		*id_out = mid;
out:
	if (err)
		lc_db_rollback(db);
	json_decref(before);
	json_decref(label);
	json_decref(node);
	json_decref(codes);
	return err;
}

int lc_framework_measurement_remove(struct lc_db *db, const struct lc_actor *actor,
                                    const char *version, int64_t id,
                                    struct lc_framework_problems *p)
{
	int err = lc_authz_check(actor, LC_ACT_EDIT_FRAMEWORK, NULL);
	if (err)
		return err;
	if (!version)
		return LC_ENOTFOUND;
	err = lc_db_begin(db);
	if (err)
		return err;
	json_t *before = NULL;
	sqlite3_int64 vid = 0;
	err = editable(db, version, &vid, p);
	if (!err)
		err = measurement_read(db, vid, id, "en", &before, NULL);
	if (err)
		goto out;
	sqlite3_stmt *st = lc_db_stmt(db, "DELETE FROM framework_measurements WHERE id = ?1");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	err = rc < 0 ? rc : 0;
	if (!err)
		err = lc_audit_append_id(db, actor, "framework.measurement_remove",
		                         "framework_measurement", id, before, NULL, NULL);
	if (!err)
		err = lc_db_commit(db);
out:
	if (err)
		lc_db_rollback(db);
	json_decref(before);
	return err;
}
