/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Observations of a city's own (observation.h): the self-assessment of the
 * key features and the city's local measurements with their values, each
 * checked like every other way of entering values and audited.
 */
#include "domain/monitoring/observation.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
#include "domain/monitoring/year_review.h"
#include "domain/platform/row.h"
#include "domain/monitoring/observation_internal.h"

/* ---- self-assessment ---- */

static bool links_ok(const json_t *links, struct lc_diag *d)
{
	if (!links)
		return true;
	if (!json_is_array(links) || json_array_size(links) > 50) {
		lc_diag_add(d, NULL, 0, 0, "links", "err_obs_links_list_most_50");
		return false;
	}
	size_t i;
	const json_t *l;
	bool ok = true;
	json_array_foreach(links, i, l)
	{
		const char *s = json_string_value(l);
		if (!s || strlen(s) > LC_LIMIT_HTTP_URL ||
		    (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)) {
			lc_diag_addf(d, NULL, 0, 0, "links", "err_obs_link_http_s_address",
			             LC_ARG_I("index", i + 1));
			ok = false;
		}
	}
	return ok;
}

int lc_obs_put_self_assessment(struct lc_db *db, const struct lc_actor *actor,
                               const char *city_slug, const char *feature_code, long year,
                               long maturity, const char *evidence, const json_t *links,
                               struct lc_diag *d)
{
	int64_t city_id = 0, feature_id = 0;
	int err = lc_obs_find_city(db, city_slug, &city_id);
	if (err)
		return err;
	struct lc_authz_object obj = {.city_id = city_id};
	err = lc_authz_check(actor, LC_ACT_ENTER_OBSERVATIONS, &obj);
	if (err)
		return err;
	bool bad = false;
	if (maturity < 0 || maturity > 4) {
		lc_diag_add(d, NULL, 0, 0, "maturity", "err_obs_maturity_level_0_4");
		bad = true;
	}
	long ymax = lc_obs_current_year();
	if (year < LC_OBS_YEAR_MIN || year > ymax) {
		lc_diag_addf(d, NULL, 0, 0, "year", "err_obs_year",
		             LC_ARG_I("min", LC_OBS_YEAR_MIN), LC_ARG_I("max", ymax));
		bad = true;
	}
	if (evidence && lc_obs_check_text(lc_slice_cstr(evidence), NULL, 0, 0, "evidence", d))
		bad = true;
	if (!links_ok(links, d))
		bad = true;
	if (bad)
		return LC_EINVAL;
	struct lc_buf lb;
	lc_buf_init(&lb, LC_LIMIT_TEXT_BYTES);
	if (links)
		lc_row_dump(links, &lb);
	else
		lc_buf_puts(&lb, "[]");
	const char *links_text = lc_buf_cstr(&lb);
	sqlite3_stmt *st = NULL;
	err = lc_buf_error(&lb) ? LC_ELIMIT : lc_db_begin(db);
	if (err)
		goto done;
	st = lc_db_stmt(db, "SELECT f.id FROM framework_features f"
	                    " JOIN framework_areas a ON a.id = f.area_id"
	                    " JOIN framework_parts p ON p.id = a.part_id"
	                    " JOIN framework_versions v ON v.id = p.version_id AND v.is_current = 1"
	                    " WHERE f.code = ?1");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	lc_db_bind_text(st, 1, feature_code);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		feature_id = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	if (rc <= 0) {
		err = rc < 0 ? rc : LC_ENOTFOUND;
		goto out;
	}
	enum lc_year_review_state s;
	const char *why = NULL;
	err = lc_year_review_state_get(db, city_id, year, &s);
	if (err)
		goto out;
	if (!lc_obs_status_allows(actor, s, &why)) {
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_obs_status",
		             LC_ARG_S("city_slug", city_slug), LC_ARG_I("year", year),
		             LC_ARG_K("why", why));
		err = LC_ECONFLICT;
		goto out;
	}
	err = lc_year_review_ensure(db, actor, city_id, year);
	if (err < 0)
		goto out;
	err = 0;
	st = lc_db_stmt(db, "SELECT id, version, maturity, evidence, links FROM self_assessments"
	                    " WHERE city_id = ?1 AND feature_id = ?2 AND year = ?3"
	                    " AND is_current = 1");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, city_id);
	sqlite3_bind_int64(st, 2, feature_id);
	sqlite3_bind_int64(st, 3, year);
	rc = lc_db_step(db, st);
	int64_t old_id = 0, version = 1;
	if (rc == 1) {
		const char *ev = lc_db_text(st, 3), *lk = lc_db_text(st, 4);
		if (sqlite3_column_int64(st, 2) == maturity &&
		    strcmp(ev ? ev : "", evidence ? evidence : "") == 0 &&
		    strcmp(lk ? lk : "", links_text) == 0) {
			lc_db_release(db, st);
			goto out; /* unchanged: no new version */
		}
		old_id = sqlite3_column_int64(st, 0);
		version = sqlite3_column_int64(st, 1) + 1;
	}
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	if (old_id) {
		st = lc_db_stmt(db, "UPDATE self_assessments SET is_current = 0 WHERE id = ?1");
		if (!st) {
			err = LC_EDB;
			goto out;
		}
		sqlite3_bind_int64(st, 1, old_id);
		rc = lc_db_step(db, st);
		lc_db_release(db, st);
		if (rc < 0) {
			err = rc;
			goto out;
		}
	}
	st = lc_db_stmt(db, "INSERT INTO self_assessments (city_id, feature_id, year, version,"
	                    " is_current, maturity, evidence, links, author_id, author_email,"
	                    " created_at) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?9, ?10)");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, city_id);
	sqlite3_bind_int64(st, 2, feature_id);
	sqlite3_bind_int64(st, 3, year);
	sqlite3_bind_int64(st, 4, version);
	sqlite3_bind_int64(st, 5, maturity);
	lc_db_bind_text(st, 6, evidence && evidence[0] ? evidence : NULL);
	lc_db_bind_text(st, 7, links_text);
	lc_obs_bind_author(st, 8, 9, actor);
	sqlite3_bind_int64(st, 10, lc_clock_now());
	rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	json_t *after = json_pack("{s:s, s:I, s:s, s:I, s:I}", "city", city_slug, "year",
	                          (json_int_t)year, "feature", feature_code, "version",
	                          (json_int_t)version, "maturity", (json_int_t)maturity);
	char oid[48];
	snprintf(oid, sizeof oid, "%lld/%ld", (long long)city_id, year);
	err = after ? lc_audit_append(db, actor, "self_assessment.put", "city_year", oid, NULL,
	                              after, NULL)
	            : LC_EINTERNAL;
	json_decref(after);
out:
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
done:
	lc_buf_cleanup(&lb);
	return err;
}

/* ---- local measurements ---- */

static bool local_code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 40)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* The key feature with this code in the current framework: 1 (with *id), 0 or an error. */
static int find_feature(struct lc_db *db, const char *code, int64_t *id)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT f.id FROM framework_features f"
	                                  " JOIN framework_areas a ON a.id = f.area_id"
	                                  " JOIN framework_parts p ON p.id = a.part_id"
	                                  " JOIN framework_versions v ON v.id = p.version_id"
	                                  " AND v.is_current = 1 WHERE f.code = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, code);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*id = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc;
}

static bool local_ok(const struct lc_obs_local *m, struct lc_diag *d)
{
	bool ok = true;
	if (!local_code_ok(m->code)) {
		lc_diag_add(d, NULL, 0, 0, "code", "err_obs_code_1_40_letters");
		ok = false;
	}
	size_t ll = m->label ? strlen(m->label) : 0;
	if (ll == 0 || ll > LC_LIMIT_NAME_BYTES || !lc_utf8_valid(m->label, ll)) {
		lc_diag_addf(d, NULL, 0, 0, "label", "err_obs_label_1_bytes_text",
		             LC_ARG_I("limit", LC_LIMIT_NAME_BYTES));
		ok = false;
	}
	if (m->unit && (strlen(m->unit) > 40 || !lc_utf8_valid(m->unit, strlen(m->unit)))) {
		lc_diag_add(d, NULL, 0, 0, "unit", "err_obs_unit_most_40_bytes");
		ok = false;
	}
	if (!lc_obs_type_name(m->type) || m->direction < -1 || m->direction > 1) {
		lc_diag_add(d, NULL, 0, 0, "type", "err_obs_unknown_type_direction");
		ok = false;
	}
	if (!isnan(m->low) && !isnan(m->high) && !(m->low < m->high)) {
		lc_diag_add(d, NULL, 0, 0, "goalposts", "err_obs_low_goalpost_below_high");
		ok = false;
	}
	return ok;
}

int lc_obs_local_add(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                     const struct lc_obs_local *m, struct lc_diag *d, int64_t *id)
{
	static const char *const dirs[] = {"lower_is_better", "neutral", "higher_is_better"};
	int64_t city_id = 0, feature_id = 0;
	int err = lc_obs_find_city(db, city_slug, &city_id);
	if (err)
		return err;
	struct lc_authz_object obj = {.city_id = city_id};
	err = lc_authz_check(actor, LC_ACT_ENTER_OBSERVATIONS, &obj);
	if (err)
		return err;
	if (!local_ok(m, d))
		return LC_EINVAL;
	err = lc_db_begin(db);
	if (err)
		return err;
	int rc = find_feature(db, m->feature, &feature_id);
	if (rc <= 0) {
		if (rc == 0)
			lc_diag_add(d, NULL, 0, 0, "feature", "err_obs_unknown_key_feature");
		err = rc < 0 ? rc : LC_ENOTFOUND;
		goto out;
	}
	sqlite3_stmt *st =
	    lc_db_stmt(db, "INSERT INTO local_measurements (city_id, feature_id, code, label, unit,"
	                   " direction, type, goalpost_low, goalpost_high, created_at)"
	                   " VALUES (?1, ?2, ?3, json_object('en', ?4), ?5, ?6, ?7, ?8, ?9, ?10)");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, city_id);
	sqlite3_bind_int64(st, 2, feature_id);
	lc_db_bind_text(st, 3, m->code);
	lc_db_bind_text(st, 4, m->label);
	lc_db_bind_text(st, 5, m->unit && m->unit[0] ? m->unit : NULL);
	lc_db_bind_text(st, 6, dirs[m->direction + 1]);
	lc_db_bind_text(st, 7, lc_obs_type_name(m->type));
	if (isnan(m->low))
		sqlite3_bind_null(st, 8);
	else
		sqlite3_bind_double(st, 8, m->low);
	if (isnan(m->high))
		sqlite3_bind_null(st, 9);
	else
		sqlite3_bind_double(st, 9, m->high);
	sqlite3_bind_int64(st, 10, lc_clock_now());
	rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0) {
		if (rc == LC_ECONFLICT)
			lc_diag_addf(d, NULL, 0, 0, "code", "err_obs_already_has_measurement",
			             LC_ARG_S("city_slug", city_slug), LC_ARG_S("code", m->code));
		err = rc;
		goto out;
	}
	int64_t new_id = lc_db_last_id(db);
	json_t *after = json_pack("{s:s, s:s, s:s, s:s}", "city", city_slug, "code", m->code,
	                          "feature", m->feature, "type", lc_obs_type_name(m->type));
	err = after ? lc_audit_append_id(db, actor, "local_measurement.create", "local_measurement",
	                                 new_id, NULL, after, NULL)
	            : LC_EINTERNAL;
	json_decref(after);
	if (!err && id)
		*id = new_id;
out:
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

/* The local measurement code of the city: 1 with *m filled (unit copied to unit), 0, or error. */
static int find_local(struct lc_db *db, int64_t city_id, const char *code, struct lc_obs_measure *m,
                      char *unit, size_t unit_size)
{
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT id, type, unit, goalpost_low, goalpost_high"
	                   " FROM local_measurements WHERE city_id = ?1 AND code = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, city_id);
	lc_db_bind_text(st, 2, code);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		m->id = sqlite3_column_int64(st, 0);
		if (lc_obs_type_parse(lc_db_text(st, 1), &m->type) != 0)
			m->type = LC_OBS_TEXT;
		const char *u = lc_db_text(st, 2);
		if (u) {
			snprintf(unit, unit_size, "%s", u);
			m->unit = unit;
		}
		if (sqlite3_column_type(st, 3) != SQLITE_NULL)
			m->low = sqlite3_column_double(st, 3);
		if (sqlite3_column_type(st, 4) != SQLITE_NULL)
			m->high = sqlite3_column_double(st, 4);
	}
	lc_db_release(db, st);
	return rc;
}

/* Writes e (a local value) as a new version unless equal to the current one. */
static int write_local(struct lc_db *db, const struct lc_actor *actor, const struct lc_obs_entry *e,
                       int64_t *version)
{
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT id, version, value_text, source, note FROM observations"
	                   " WHERE city_id = ?1 AND year = ?2 AND coalesce(measurement_id, 0) = 0"
	                   " AND coalesce(local_measurement_id, 0) = ?3 AND is_current = 1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, e->city->id);
	sqlite3_bind_int64(st, 2, e->year);
	sqlite3_bind_int64(st, 3, e->m->id);
	int rc = lc_db_step(db, st);
	int64_t old_id = 0;
	bool same = false;
	*version = 1;
	if (rc == 1) {
		same = lc_obs_col_eq(st, 2, e->value) && lc_obs_col_eq(st, 3, e->source) &&
		       lc_obs_col_eq(st, 4, e->note);
		old_id = sqlite3_column_int64(st, 0);
		*version = sqlite3_column_int64(st, 1) + 1;
	}
	lc_db_release(db, st);
	if (rc < 0 || same)
		return rc < 0 ? rc : 1;
	if (old_id) {
		st = lc_db_stmt(db, LC_OBS_SQL_SUPERSEDE);
		if (!st)
			return LC_EDB;
		sqlite3_bind_int64(st, 1, old_id);
		rc = lc_db_step(db, st);
		lc_db_release(db, st);
		if (rc < 0)
			return rc;
	}
	st =
	    lc_db_stmt(db, "INSERT INTO observations (city_id, local_measurement_id, year, version,"
	                   " is_current, value_text, value_num, source, note, author_id,"
	                   " author_email, created_at)"
	                   " VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, e->city->id);
	sqlite3_bind_int64(st, 2, e->m->id);
	sqlite3_bind_int64(st, 3, e->year);
	sqlite3_bind_int64(st, 4, *version);
	sqlite3_bind_text(st, 5, e->value.ptr, (int)e->value.len, SQLITE_STATIC);
	if (isnan(e->num))
		sqlite3_bind_null(st, 6);
	else
		sqlite3_bind_double(st, 6, e->num);
	lc_obs_bind_slice(st, 7, e->source);
	lc_obs_bind_slice(st, 8, e->note);
	lc_obs_bind_author(st, 9, 10, actor);
	sqlite3_bind_int64(st, 11, lc_clock_now());
	rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_obs_put_local(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                     const char *code, long year, const char *value, const char *source,
                     const char *note, struct lc_diag *d)
{
	int64_t city_id = 0;
	int err = lc_obs_find_city(db, city_slug, &city_id);
	if (err)
		return err;
	struct lc_authz_object obj = {.city_id = city_id};
	err = lc_authz_check(actor, LC_ACT_ENTER_OBSERVATIONS, &obj);
	if (err)
		return err;
	err = lc_db_begin(db);
	if (err)
		return err;
	struct lc_obs_measure m = {.code = (char *)code, .low = NAN, .high = NAN};
	struct lc_obs_city city = {.id = city_id, .slug = (char *)city_slug};
	struct lc_obs_entry e = {.city = &city, .m = &m, .year = year};
	char unit[64] = "";
	int rc = find_local(db, city_id, code, &m, unit, sizeof unit);
	if (rc <= 0) {
		if (rc == 0)
			lc_diag_addf(d, NULL, 0, 0, "code", "err_obs_has_local_measurement",
			             LC_ARG_S("city_slug", city_slug),
			             LC_ARG_S("code", code ? code : ""));
		err = rc < 0 ? rc : LC_ENOTFOUND;
		goto out;
	}
	long ymax = lc_obs_current_year();
	if (year < LC_OBS_YEAR_MIN || year > ymax) {
		lc_diag_addf(d, NULL, 0, 0, "year", "err_obs_year",
		             LC_ARG_I("min", LC_OBS_YEAR_MIN), LC_ARG_I("max", ymax));
		err = LC_EINVAL;
	}
	if (lc_obs_validate(&m, lc_slice_cstr(value), &e.value, &e.num, NULL, 0, 0, d) != 0)
		err = LC_EINVAL;
	e.source = lc_slice_trim(lc_slice_cstr(source));
	e.note = lc_slice_trim(lc_slice_cstr(note));
	if (lc_obs_check_text(e.source, NULL, 0, 0, "source", d) ||
	    lc_obs_check_text(e.note, NULL, 0, 0, "note", d))
		err = LC_EINVAL;
	if (err)
		goto out;
	enum lc_year_review_state s;
	const char *refusal = NULL;
	err = lc_year_review_state_get(db, city_id, year, &s);
	if (err)
		goto out;
	if (!lc_obs_status_allows(actor, s, &refusal)) {
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_obs_status",
		             LC_ARG_S("city_slug", city_slug), LC_ARG_I("year", year),
		             LC_ARG_K("why", refusal));
		err = LC_ECONFLICT;
		goto out;
	}
	err = lc_year_review_ensure(db, actor, city_id, year);
	if (err < 0)
		goto out;
	int64_t version = 0;
	err = write_local(db, actor, &e, &version);
	if (err) {
		err = err == 1 ? 0 : err; /* unchanged */
		goto out;
	}
	json_t *after =
	    json_pack("{s:s, s:I, s:s, s:I}", "city", city_slug, "year", (json_int_t)year,
	              "local_code", code, "version", (json_int_t)version);
	char oid[48];
	snprintf(oid, sizeof oid, "%lld/%ld", (long long)city_id, year);
	err = after ? lc_audit_append(db, actor, "observations.put_local", "city_year", oid, NULL,
	                              after, NULL)
	            : LC_EINTERNAL;
	json_decref(after);
out:
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}
