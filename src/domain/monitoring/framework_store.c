/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Storing framework documents (framework.h): the import of a JSON or CSV
 * file as a new version, the load of the demonstration framework, and the
 * inserts of a validated tree that drafts share.
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

/* ---- writing ------------------------------------------------------------ */

int lc_framework_bind_json(sqlite3_stmt *st, int i, const json_t *v)
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

void lc_framework_bind_num(sqlite3_stmt *st, int i, const json_t *v)
{
	if (json_is_number(v))
		sqlite3_bind_double(st, i, json_number_value(v));
	else
		sqlite3_bind_null(st, i);
}

const char *lc_framework_str_of(const json_t *o, const char *k)
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
	lc_db_bind_text(st, 2, lc_framework_str_of(n, "code"));
	sqlite3_bind_int64(st, 3, (sqlite3_int64)position);
	int err = lc_framework_bind_json(st, 4, json_object_get(n, title_key));
	lc_db_bind_text(st, 5, lc_framework_str_of(n, "provenance"));
	if (strcmp(title_key, "label") == 0) {
		lc_db_bind_text(st, 6, lc_framework_str_of(n, "unit"));
		lc_db_bind_text(st, 7, lc_framework_str_of(n, "direction"));
		lc_db_bind_text(st, 8, lc_framework_str_of(n, "type"));
		lc_framework_bind_num(st, 9, json_object_get(n, "goalpost_low"));
		lc_framework_bind_num(st, 10, json_object_get(n, "goalpost_high"));
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

int lc_framework_insert_tree(struct lc_db *db, json_t *doc, sqlite3_int64 vid)
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
int lc_framework_insert_version(struct lc_db *db, json_t *ver, bool draft, sqlite3_int64 based_on,
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
	lc_db_bind_text(st, 1, lc_framework_str_of(ver, "code"));
	int err = lc_framework_bind_json(st, 2, json_object_get(ver, "title"));
	lc_db_bind_text(st, 3, lc_framework_str_of(ver, "adopted"));
	if (!err)
		err = lc_framework_bind_json(st, 4, json_object_get(ver, "note"));
	sqlite3_bind_int(st, 5, draft ? 0 : 1);
	lc_db_bind_text(st, 6, lc_framework_str_of(ver, "provenance"));
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
                     struct lc_csv *csv, struct lc_diag *p, int *err)
{
	*err = 0;
	if (len > LC_LIMIT_DATA_FILE) {
		lc_framework_problem_add(p, 0, 0, NULL, NULL, "err_fw_file_large",
		                         LC_FW_ARGS(LC_ARG_I("limit", LC_LIMIT_DATA_FILE)));
		*err = LC_ELIMIT;
		return NULL;
	}
	json_t *doc = NULL;
	if (o->format == LC_FRAMEWORK_CSV) {
		*err = lc_csv_parse(csv, text, len, NULL, p);
		if (*err)
			return NULL;
		doc = lc_framework_csv_doc(csv, p);
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
			/* jansson's own words: not ours to translate. */
			lc_diag_add_text(p, NULL, jerr.line, jerr.column, NULL, "%s", jerr.text);
			*err = LC_EINVAL;
			return NULL;
		}
		const char *format = lc_framework_str_of(doc, "format");
		if (!format || strcmp(format, LC_FRAMEWORK_DOC_FORMAT) != 0) {
			lc_framework_problem_add(
			    p, 0, 0, "format", format, "err_fw_format",
			    LC_FW_ARGS(LC_ARG_S("format", LC_FRAMEWORK_DOC_FORMAT)));
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

/* Checks that code is free; a problem in p when not. */
int lc_framework_check_free(struct lc_db *db, json_t *doc, bool flat, struct lc_diag *p)
{
	const char *code = lc_framework_str_of(json_object_get(doc, "version"), "code");
	int rc = code_taken(db, code);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		lc_framework_problem_add(p, 0, 0, flat ? "version_code" : "version.code", code,
		                         "err_fw_code_taken", NULL);
		return LC_EINVAL;
	}
	return 0;
}

/* Problems in file order: by row, then column. */
static int by_place(const void *a, const void *b)
{
	const struct lc_diag_entry *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return 0;
}

int lc_framework_import(struct lc_db *db, const struct lc_actor *actor, const char *text,
                        size_t len, const struct lc_framework_import_opts *opts, char *code_out,
                        size_t code_size, struct lc_diag *p)
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
		lc_framework_problem_add(p, 0, 0, "version_code", NULL, "err_fw_csv_code", NULL);
		err = LC_EINVAL;
		goto out;
	}
	doc = parse(text, len, opts, &csv, p, &err);
	if (!doc)
		goto out;
	err = lc_framework_check_doc(doc, is_csv ? &csv : NULL, is_csv, p);
	if (err == LC_EINVAL && p && p->count == 0)
		err = LC_EINVAL;
	if (err)
		goto out;
	err = lc_db_begin(db);
	if (err)
		goto out;
	in_tx = true;
	err = lc_framework_check_free(db, doc, is_csv, p);
	if (err)
		goto out;
	sqlite3_int64 vid = 0;
	json_t *ver = json_object_get(doc, "version");
	err = lc_framework_insert_version(db, ver, true, 0, &vid);
	if (!err)
		err = lc_framework_insert_tree(db, doc, vid);
	if (err)
		goto out;
	json_t *after = json_pack("{s:s, s:s}", "code", lc_framework_str_of(ver, "code"), "format",
	                          is_csv ? "csv" : "json");
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
		snprintf(code_out, code_size, "%s", lc_framework_str_of(ver, "code"));
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
	struct lc_diag p;
	lc_diag_init(&p);
	struct lc_framework_import_opts o = {.format = LC_FRAMEWORK_JSON};
	bool in_tx = false;
	int err = 0;
	json_t *doc = parse(text, len, &o, NULL, &p, &err);
	if (doc)
		err = lc_framework_check_doc(doc, NULL, false, &p);
	if (err)
		goto out;
	err = lc_db_begin(db);
	if (err)
		goto out;
	in_tx = true;
	const char *code = lc_framework_str_of(json_object_get(doc, "version"), "code");
	int rc = code_taken(db, code);
	if (rc != 0) {
		/* Already loaded (1) or an error (< 0). */
		err = rc < 0 ? rc : 0;
		goto out;
	}
	err = lc_db_exec(db, "UPDATE framework_versions SET is_current = 0 WHERE is_current = 1");
	sqlite3_int64 vid = 0;
	if (!err)
		err = lc_framework_insert_version(db, json_object_get(doc, "version"), false, 0,
		                                  &vid);
	if (!err)
		err = lc_framework_insert_tree(db, doc, vid);
	if (!err)
		err = lc_db_commit(db);
	if (!err)
		in_tx = false;
out:
	if (in_tx)
		lc_db_rollback(db);
	if (d) {
		/* The embedded file's problems name it, as a file's do. */
		size_t from = d->count;
		lc_diag_append(d, &p);
		for (size_t i = from; i < d->count; i++)
			if (!d->items[i].file)
				d->items[i].file = lc_xstrdup("framework");
	}
	lc_diag_cleanup(&p);
	json_decref(doc);
	return err;
}
