/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The review of a reporting year (reporting.h): the status machine, its
 * history and audit.
 */
#include "domain/monitoring/reporting.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/platform/clock.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"

static const char *const status_names[] = {
    [LC_REPORT_DRAFT] = "draft",
    [LC_REPORT_SUBMITTED] = "submitted",
    [LC_REPORT_RETURNED] = "returned",
    [LC_REPORT_APPROVED] = "approved",
};

const char *lc_report_status_name(enum lc_report_status s)
{
	return (unsigned)s <= LC_REPORT_APPROVED ? status_names[s] : NULL;
}

int lc_report_status_parse(const char *s, enum lc_report_status *out)
{
	long i = lc_str_index(status_names, LC_REPORT_APPROVED + 1, s);
	if (i < 0)
		return LC_EINVAL;
	*out = (enum lc_report_status)i;
	return 0;
}

/* The status row: 1 found (with *out), 0 none, or a negative error. */
static int read_status(struct lc_db *db, int64_t city_id, long year, enum lc_report_status *out)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT status FROM report_years"
	                                  " WHERE city_id = ?1 AND year = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, city_id);
	sqlite3_bind_int64(st, 2, year);
	int rc = lc_db_step(db, st);
	*out = LC_REPORT_DRAFT;
	if (rc == 1 && lc_report_status_parse(lc_db_text(st, 0), out) != 0)
		rc = LC_EDB; /* the CHECK constraint makes this impossible */
	lc_db_release(db, st);
	return rc;
}

int lc_report_status_get(struct lc_db *db, int64_t city_id, long year, enum lc_report_status *out)
{
	int rc = read_status(db, city_id, year, out);
	return rc < 0 ? rc : 0;
}

static void bind_actor(sqlite3_stmt *st, int id_col, int email_col, const struct lc_actor *actor)
{
	if (actor && actor->kind == LC_ACTOR_ACCOUNT) {
		sqlite3_bind_int64(st, id_col, actor->account_id);
		lc_db_bind_text(st, email_col, actor->email);
	} else {
		sqlite3_bind_null(st, id_col);
		lc_db_bind_text(st, email_col,
		                actor && actor->kind == LC_ACTOR_SYSTEM ? "system" : "anonymous");
	}
}

static int add_history(struct lc_db *db, const struct lc_actor *actor, int64_t city_id, long year,
                       const char *from, const char *to, const char *comment)
{
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO report_history (city_id, year, from_status,"
	                                  " to_status, comment, actor_id, actor_email, at)"
	                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, city_id);
	sqlite3_bind_int64(st, 2, year);
	lc_db_bind_text(st, 3, from);
	lc_db_bind_text(st, 4, to);
	lc_db_bind_text(st, 5, comment);
	bind_actor(st, 6, 7, actor);
	sqlite3_bind_int64(st, 8, lc_clock_now());
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_report_ensure(struct lc_db *db, const struct lc_actor *actor, int64_t city_id, long year)
{
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT OR IGNORE INTO report_years"
	                                  " (city_id, year, status, updated_at)"
	                                  " VALUES (?1, ?2, 'draft', ?3)");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, city_id);
	sqlite3_bind_int64(st, 2, year);
	sqlite3_bind_int64(st, 3, lc_clock_now());
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (lc_db_changes(db) == 0)
		return 0;
	rc = add_history(db, actor, city_id, year, NULL, "draft", NULL);
	return rc < 0 ? rc : 1;
}

static int find_city(struct lc_db *db, const char *slug, int64_t *id)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id FROM cities WHERE slug = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, slug);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*id = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 1 ? 0 : LC_ENOTFOUND;
}

/* The number of current values of a city's year (any measurement) in *n. 0 or LC_EDB. */
static int count_values(struct lc_db *db, int64_t city_id, long year, long long *n)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT count(*) FROM observations"
	                                  " WHERE city_id = ?1 AND year = ?2 AND is_current = 1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, city_id);
	sqlite3_bind_int64(st, 2, year);
	int rc = lc_db_step(db, st);
	*n = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* True when status from may become to (the status machine of reporting.h). */
static bool step_ok(enum lc_report_status from, enum lc_report_status to)
{
	switch (to) {
	case LC_REPORT_SUBMITTED: return from == LC_REPORT_DRAFT || from == LC_REPORT_RETURNED;
	case LC_REPORT_RETURNED: return from == LC_REPORT_SUBMITTED || from == LC_REPORT_APPROVED;
	case LC_REPORT_APPROVED: return from == LC_REPORT_SUBMITTED;
	case LC_REPORT_DRAFT: return false;
	}
	return false;
}

/* One transition: the rules of each are in the table of transition(). */
static int transition(struct lc_db *db, const struct lc_actor *actor, const char *slug, long year,
                      enum lc_report_status to, const char *comment, struct lc_diag *d)
{
	int64_t city_id = 0;
	int err = find_city(db, slug, &city_id);
	if (err)
		return err;
	struct lc_authz_object obj = {.city_id = city_id};
	enum lc_action act =
	    to == LC_REPORT_SUBMITTED ? LC_ACT_SUBMIT_YEAR : LC_ACT_REVIEW_OBSERVATIONS;
	err = lc_authz_check(actor, act, &obj);
	if (err)
		return err;
	struct lc_slice c = lc_slice_trim(lc_slice_cstr(comment));
	char *ctext = NULL;
	if (to == LC_REPORT_RETURNED) {
		if (c.len == 0 || c.len > LC_LIMIT_TEXT_BYTES) {
			lc_diag_add(d, NULL, 0, 0, "comment",
			            c.len ? "err_review_comment_long"
			                  : "err_review_comment_needed");
			return LC_EINVAL;
		}
		ctext = lc_xmalloc(c.len + 1);
		memcpy(ctext, c.ptr, c.len);
		ctext[c.len] = '\0';
	}
	err = lc_db_begin(db);
	if (err)
		goto done;
	enum lc_report_status from;
	int found = read_status(db, city_id, year, &from);
	if (found < 0) {
		err = found;
		goto out;
	}
	if (!step_ok(from, to)) {
		lc_diag_addf(d, NULL, 0, 0, "status", "err_review_become", LC_ARG_S("slug", slug),
		             LC_ARG_I("year", year),
		             LC_ARG_S("found", found ? lc_report_status_name(from) : "not started"),
		             LC_ARG_S("to", lc_report_status_name(to)));
		err = LC_ECONFLICT;
		goto out;
	}
	if (to == LC_REPORT_SUBMITTED) {
		long long n = 0;
		err = count_values(db, city_id, year, &n);
		if (err)
			goto out;
		if (n == 0) {
			lc_diag_addf(d, NULL, 0, 0, NULL, "err_review_has_values_submit",
			             LC_ARG_S("slug", slug), LC_ARG_I("year", year));
			err = LC_EINVAL;
			goto out;
		}
	}
	sqlite3_stmt *st = lc_db_stmt(db, "UPDATE report_years SET status = ?3, comment = ?4,"
	                                  " updated_at = ?5 WHERE city_id = ?1 AND year = ?2");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, city_id);
	sqlite3_bind_int64(st, 2, year);
	lc_db_bind_text(st, 3, lc_report_status_name(to));
	lc_db_bind_text(st, 4, ctext);
	sqlite3_bind_int64(st, 5, lc_clock_now());
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	err = add_history(db, actor, city_id, year, lc_report_status_name(from),
	                  lc_report_status_name(to), ctext);
	if (err)
		goto out;
	json_t *before = json_pack("{s:s}", "status", lc_report_status_name(from));
	json_t *after = json_pack("{s:s, s:s, s:I}", "status", lc_report_status_name(to), "city",
	                          slug, "year", (json_int_t)year);
	char oid[48], action[48];
	snprintf(oid, sizeof oid, "%lld/%ld", (long long)city_id, year);
	snprintf(action, sizeof action, "report.%s",
	         to == LC_REPORT_SUBMITTED  ? "submit"
	         : to == LC_REPORT_RETURNED ? "return"
	                                    : "approve");
	err = before && after
	          ? lc_audit_append(db, actor, action, "city_year", oid, before, after, ctext)
	          : LC_EINTERNAL;
	json_decref(before);
	json_decref(after);
out:
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
done:
	lc_free(ctext);
	return err;
}

int lc_report_submit(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                     long year, struct lc_diag *d)
{
	return transition(db, actor, city_slug, year, LC_REPORT_SUBMITTED, NULL, d);
}

int lc_report_return(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                     long year, const char *comment, struct lc_diag *d)
{
	return transition(db, actor, city_slug, year, LC_REPORT_RETURNED, comment, d);
}

int lc_report_approve(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                      long year, struct lc_diag *d)
{
	return transition(db, actor, city_slug, year, LC_REPORT_APPROVED, NULL, d);
}

/* Sets res["may"] from res["status"]: the transitions actor may take now. 0 or LC_EDB. */
static int add_may(struct lc_db *db, const struct lc_actor *actor, int64_t city_id, long year,
                   json_t *res)
{
	enum lc_report_status from = LC_REPORT_DRAFT;
	lc_report_status_parse(json_string_value(json_object_get(res, "status")), &from);
	struct lc_authz_object obj = {.city_id = city_id};
	bool review = lc_authz_check(actor, LC_ACT_REVIEW_OBSERVATIONS, &obj) == 0;
	bool submit = lc_authz_check(actor, LC_ACT_SUBMIT_YEAR, &obj) == 0 &&
	              step_ok(from, LC_REPORT_SUBMITTED);
	if (submit) {
		long long n = 0;
		int err = count_values(db, city_id, year, &n);
		if (err)
			return err;
		submit = n > 0;
	}
	json_object_set_new(res, "may",
	                    json_pack("{s:b, s:b, s:b}", "submit", submit, "return",
	                              review && step_ok(from, LC_REPORT_RETURNED), "approve",
	                              review && step_ok(from, LC_REPORT_APPROVED)));
	return 0;
}

int lc_report_get(struct lc_db *db, const struct lc_actor *actor, const char *city_slug, long year,
                  json_t **out)
{
	*out = NULL;
	int64_t city_id = 0;
	int err = find_city(db, city_slug, &city_id);
	if (err)
		return err;
	struct lc_authz_object obj = {.city_id = city_id};
	err = lc_authz_check(actor, LC_ACT_VIEW_OBSERVATIONS, &obj);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT status, comment FROM report_years"
	                                  " WHERE city_id = ?1 AND year = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, city_id);
	sqlite3_bind_int64(st, 2, year);
	int rc = lc_db_step(db, st);
	json_t *res =
	    json_pack("{s:s, s:I, s:o, s:o, s:[]}", "city", city_slug, "year", (json_int_t)year,
	              "status", rc == 1 ? lc_row_str(st, 0) : json_string("draft"), "comment",
	              rc == 1 ? lc_row_str(st, 1) : json_null(), "history");
	lc_db_release(db, st);
	if (rc < 0 || !res) {
		json_decref(res);
		return rc < 0 ? rc : LC_EINTERNAL;
	}
	err = add_may(db, actor, city_id, year, res);
	if (err) {
		json_decref(res);
		return err;
	}
	st = lc_db_stmt(db, "SELECT from_status, to_status, comment, actor_email,"
	                    " strftime('%Y-%m-%dT%H:%M:%SZ', at, 'unixepoch')"
	                    " FROM report_history WHERE city_id = ?1 AND year = ?2 ORDER BY id");
	if (!st) {
		json_decref(res);
		return LC_EDB;
	}
	sqlite3_bind_int64(st, 1, city_id);
	sqlite3_bind_int64(st, 2, year);
	json_t *h = json_object_get(res, "history");
	while (lc_db_next(db, st, &rc))
		json_array_append_new(h, json_pack("{s:o, s:o, s:o, s:o, s:o}", "from",
		                                   lc_row_str(st, 0), "to", lc_row_str(st, 1),
		                                   "comment", lc_row_str(st, 2), "actor",
		                                   lc_row_str(st, 3), "at", lc_row_str(st, 4)));
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(res);
		return rc;
	}
	*out = res;
	return 0;
}

/* ---- the review queue ---- */

#define ISO(col) "strftime('%Y-%m-%dT%H:%M:%SZ', " col ", 'unixepoch')"

/* The last submission of a city-year (report_history), column c of it. */
#define LAST_SUBMIT(c)                                                                             \
	"(SELECT h." c " FROM report_history h WHERE h.city_id = r.city_id AND h.year = r.year"    \
	" AND h.to_status = 'submitted' ORDER BY h.id DESC LIMIT 1)"

int lc_report_queue(struct lc_db *db, const struct lc_actor *actor, const struct lc_report_query *q,
                    json_t **out)
{
	*out = NULL;
	int err = lc_authz_check(actor, LC_ACT_REVIEW_OBSERVATIONS, NULL);
	if (err)
		return err;
	enum lc_report_status want;
	const char *status = q->status && q->status[0] ? q->status : NULL;
	if (status && lc_report_status_parse(status, &want) != 0)
		return LC_EINVAL;
	long page = q->page ? q->page : 1;
	long per = q->per_page ? q->per_page : LC_DEFAULT_PER_PAGE;
	if (page < 1 || page > 1000000 || per < 1 || per > LC_LIMIT_PER_PAGE)
		return LC_EINVAL;
	char path[16];
	lc_text_lang_path(q->lang, path, sizeof path);
	json_t *items = NULL;
	err = lc_db_begin_read(db);
	if (err)
		return err;
	/* The framework's size: the denominator of every row's completeness. */
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT count(*) FROM framework_measurements m"
	                                  " JOIN framework_features f ON f.id = m.feature_id"
	                                  " JOIN framework_areas a ON a.id = f.area_id"
	                                  " JOIN framework_parts p ON p.id = a.part_id"
	                                  " JOIN framework_versions v ON v.id = p.version_id"
	                                  " WHERE v.is_current = 1");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	int rc = lc_db_step(db, st);
	long long nm = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	st = lc_db_stmt(db, "SELECT count(*) FROM report_years WHERE ?1 IS NULL OR status = ?1");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	lc_db_bind_text(st, 1, status);
	rc = lc_db_step(db, st);
	long long total = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	st = lc_db_stmt(
	    db, "SELECT c.slug, coalesce(json_extract(c.name, ?4), json_extract(c.name, '$.en')),"
	        " r.year, r.status, r.comment,"
	        " (SELECT count(*) FROM observations o"
	        "  JOIN framework_measurements m ON m.id = o.measurement_id"
	        "  JOIN framework_features f ON f.id = m.feature_id"
	        "  JOIN framework_areas a ON a.id = f.area_id"
	        "  JOIN framework_parts p ON p.id = a.part_id"
	        "  JOIN framework_versions v ON v.id = p.version_id AND v.is_current = 1"
	        "  WHERE o.city_id = r.city_id AND o.year = r.year AND o.is_current = 1),"
	        " " ISO(LAST_SUBMIT("at")) ", " LAST_SUBMIT("actor_email") ", " ISO(
	            "r.updated_at") " FROM report_years r JOIN cities c ON c.id = r.city_id"
	                            " WHERE ?1 IS NULL OR r.status = ?1"
	                            " ORDER BY r.updated_at, r.city_id, r.year LIMIT ?2 OFFSET ?3");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	lc_db_bind_text(st, 1, status);
	sqlite3_bind_int64(st, 2, per);
	sqlite3_bind_int64(st, 3, (page - 1) * per);
	lc_db_bind_text(st, 4, path);
	items = json_array();
	while (lc_db_next(db, st, &rc)) {
		const char *slug = lc_db_text(st, 0);
		long long entered = sqlite3_column_int64(st, 5);
		long year = (long)sqlite3_column_int64(st, 2);
		char href[LC_LIMIT_SLUG_BYTES + 48];
		snprintf(href, sizeof href, "/cities/%s/data/%ld", slug ? slug : "", year);
		json_array_append_new(
		    items,
		    json_pack("{s:o, s:o, s:I, s:o, s:o, s:I, s:I, s:I, s:o, s:o, s:o, s:s}",
		              "city", lc_row_str(st, 0), "city_name", lc_row_str(st, 1), "year",
		              (json_int_t)year, "status", lc_row_str(st, 3), "comment",
		              lc_row_str(st, 4), "entered", (json_int_t)entered, "total",
		              (json_int_t)nm, "percent",
		              (json_int_t)(nm ? (entered * 100 + nm / 2) / nm : 0), "submitted_at",
		              lc_row_str(st, 6), "submitted_by", lc_row_str(st, 7), "updated_at",
		              lc_row_str(st, 8), "href", href));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	*out = json_pack("{s:O, s:I, s:I, s:I, s:I, s:{s:o}}", "items", items, "total",
	                 (json_int_t)total, "page", (json_int_t)page, "per_page", (json_int_t)per,
	                 "pages", (json_int_t)((total + per - 1) / per), "filters", "status",
	                 lc_row_cstr(status));
	if (!*out)
		err = LC_EINTERNAL;
out:
	json_decref(items);
	/* A read snapshot has nothing to commit; this only ends it. */
	if (err)
		lc_db_rollback(db);
	else
		err = lc_db_commit(db);
	return err;
}
