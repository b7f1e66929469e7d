/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Editing framework versions (framework.h): a new draft copied from another
 * version, publishing, and the measurement form (read, save, remove), every
 * change refused whole when the version is frozen or the form has problems.
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

/* ---- editing ------------------------------------------------------------ */

int lc_framework_draft_new(struct lc_db *db, const struct lc_actor *actor, const char *from,
                           const char *code, const char *title_en, const char *title_fr,
                           struct lc_diag *p)
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
	err = lc_framework_version_find(db, from, &from_id, &draft);
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
	err = lc_framework_check_doc(doc, NULL, true, p);
	if (!err)
		err = lc_framework_check_free(db, doc, true, p);
	if (!err)
		err = lc_framework_insert_version(db, ver, true, from_id, &vid);
	if (!err)
		err = lc_framework_insert_tree(db, doc, vid);
	if (err)
		goto out;
	json_t *after = json_pack("{s:s, s:s}", "code", lc_framework_str_of(ver, "code"), "from",
	                          from ? from : "current");
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
static int editable(struct lc_db *db, const char *code, sqlite3_int64 *vid, struct lc_diag *p)
{
	bool draft = false;
	const char *why = NULL;
	int err = lc_framework_version_find(db, code, vid, &draft);
	if (err)
		return err;
	int rc = lc_framework_frozen(db, *vid, draft, &why);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		lc_framework_problem_add(p, 0, 0, NULL, code, why, NULL);
		return LC_ECONFLICT;
	}
	return 0;
}

int lc_framework_publish(struct lc_db *db, const struct lc_actor *actor, const char *code,
                         struct lc_diag *p)
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
	err = lc_framework_version_find(db, code, &vid, &draft);
	if (err)
		goto fail;
	if (!draft) {
		lc_framework_problem_add(p, 0, 0, NULL, code, "err_fw_already", NULL);
		err = LC_ECONFLICT;
		goto fail;
	}
	int n = lc_framework_exists(
	    db,
	    "SELECT count(*) FROM framework_measurements m"
	    " JOIN framework_features f ON f.id = m.feature_id"
	    " JOIN framework_areas a ON a.id = f.area_id"
	    " JOIN framework_parts p ON p.id = a.part_id WHERE p.version_id = ?1",
	    vid);
	if (n <= 0) {
		if (n == 0)
			lc_framework_problem_add(p, 0, 0, NULL, code, "err_fw_empty", NULL);
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
	lc_framework_fmt_num(sqlite3_column_double(st, i), t, sizeof(t));
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
	int err = lc_framework_version_find(db, version, &vid, &draft);
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
                                  struct lc_diag *p)
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
	struct lc_framework_vctx v = {.p = p, .codes = codes};
	struct lc_framework_loc l = {.path = NULL, .prefix = "", .ri = -1};
	size_t had = lc_diag_total(p);
	lc_framework_check_measurement(&v, &l, node);
	if (p && lc_diag_total(p) > had) {
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
	lc_db_bind_text(st, 2, lc_framework_str_of(node, "code"));
	err = lc_framework_bind_json(st, 4, label);
	lc_db_bind_text(st, 5, lc_framework_str_of(node, "provenance"));
	lc_db_bind_text(st, 6, lc_framework_str_of(node, "unit"));
	lc_db_bind_text(st, 7, lc_framework_str_of(node, "direction"));
	lc_db_bind_text(st, 8, lc_framework_str_of(node, "type"));
	lc_framework_bind_num(st, 9, json_object_get(node, "goalpost_low"));
	lc_framework_bind_num(st, 10, json_object_get(node, "goalpost_high"));
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
                                    const char *version, int64_t id, struct lc_diag *p)
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
