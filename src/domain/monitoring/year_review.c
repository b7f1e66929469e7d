/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The review of a city-year's data (year_review.h): the process table, its
 * guard, the steps as the pages ask for them, the year's view and the
 * secretariat's queue. The engine (domain/workflow.h) writes every step.
 */
#include "domain/monitoring/year_review.h"

#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"
#include "domain/workflow/workflow.h"

/* ---- the process --------------------------------------------------------- */

/* No deadline and no terminal state: an approved year can always be returned. */
static const struct lc_wf_state states[] = {
    {.name = "draft", .waits_on = LC_WF_TELL_COORDINATORS},
    {.name = "submitted", .waits_on = LC_WF_TELL_SECRETARIAT},
    {.name = "returned", .waits_on = LC_WF_TELL_COORDINATORS},
    {.name = "approved"},
};

/* No e-mail on any step (tell 0): the year's page shows its state and comment. */
static const struct lc_wf_transition transitions[] = {
    {"submit", "draft", "submitted", LC_ACT_SUBMIT_YEAR, 0, 0},
    {"submit", "returned", "submitted", LC_ACT_SUBMIT_YEAR, 0, 0},
    {"return", "submitted", "returned", LC_ACT_REVIEW_OBSERVATIONS, LC_WF_REASON, 0},
    {"return", "approved", "returned", LC_ACT_REVIEW_OBSERVATIONS, LC_WF_REASON, 0},
    {"approve", "submitted", "approved", LC_ACT_REVIEW_OBSERVATIONS, 0, 0},
};

static const char *const state_names[] = {
    [LC_YEAR_REVIEW_DRAFT] = "draft",
    [LC_YEAR_REVIEW_SUBMITTED] = "submitted",
    [LC_YEAR_REVIEW_RETURNED] = "returned",
    [LC_YEAR_REVIEW_APPROVED] = "approved",
};

/* The catalogue keys of the states' names, said in messages. */
static const char *const state_keys[] = {
    [LC_YEAR_REVIEW_DRAFT] = "report_status_draft",
    [LC_YEAR_REVIEW_SUBMITTED] = "report_status_submitted",
    [LC_YEAR_REVIEW_RETURNED] = "report_status_returned",
    [LC_YEAR_REVIEW_APPROVED] = "report_status_approved",
};

/* A state name as a message argument: its catalogue key, or the name itself when unknown. */
static struct lc_diag_arg state_arg(const char *arg, const char *name)
{
	long i = lc_str_index(state_names, LC_YEAR_REVIEW_APPROVED + 1, name);
	return i >= 0 ? LC_ARG_K(arg, state_keys[i]) : LC_ARG_S(arg, name);
}

const char *lc_year_review_state_name(enum lc_year_review_state s)
{
	return (unsigned)s <= LC_YEAR_REVIEW_APPROVED ? state_names[s] : NULL;
}

int lc_year_review_state_parse(const char *s, enum lc_year_review_state *out)
{
	long i = lc_str_index(state_names, LC_YEAR_REVIEW_APPROVED + 1, s);
	if (i < 0)
		return LC_EINVAL;
	*out = (enum lc_year_review_state)i;
	return 0;
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

/* The id of the city of that slug: 0, LC_ENOTFOUND, LC_EDB. */
static int city_id(struct lc_db *db, const char *slug, int64_t *id)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id FROM cities WHERE slug = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, slug);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*id = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

/* The slug of a city in out ("" when unknown). */
static void city_slug(struct lc_db *db, int64_t city_id, char *out, size_t n)
{
	out[0] = '\0';
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT slug FROM cities WHERE id = ?1");
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, city_id);
	if (lc_db_step(db, st) == 1 && lc_db_text(st, 0))
		snprintf(out, n, "%s", lc_db_text(st, 0));
	lc_db_release(db, st);
}

/* A year is submitted only when it holds a value, whoever takes the step. */
static int guard(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
                 const struct lc_wf_transition *t, struct lc_diag *d)
{
	(void)actor;
	if (strcmp(t->to, "submitted") != 0)
		return 0;
	long long n = 0;
	int err = count_values(db, item->city_id, item->year, &n);
	if (err || n > 0)
		return err;
	char slug[LC_LIMIT_SLUG_BYTES + 1];
	city_slug(db, item->city_id, slug, sizeof slug);
	lc_diag_addf(d, NULL, 0, 0, NULL, "err_review_has_values_submit", LC_ARG_S("slug", slug),
	             LC_ARG_I("year", item->year));
	return LC_EINVAL;
}

/* "Cork 2025": the item's title in e-mails and history pages. */
static void title(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	char city[LC_LIMIT_NAME_BYTES + 1];
	lc_wf_city_name(db, item, city, sizeof city);
	snprintf(out, n, "%s %ld", city, item->year);
}

/* The year's page: /cities/{slug}/data/{year}. */
static void path(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	char slug[LC_LIMIT_SLUG_BYTES + 1];
	city_slug(db, item->city_id, slug, sizeof slug);
	if (slug[0])
		snprintf(out, n, "/cities/%s/data/%ld", slug, item->year);
	else if (n)
		out[0] = '\0';
}

/* Who reads a year under review: as before the workflow, whoever may view its values. */
static int may_view(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item)
{
	(void)db;
	struct lc_authz_object obj = {.city_id = item->city_id};
	return lc_authz_check(actor, LC_ACT_VIEW_OBSERVATIONS, &obj);
}

const struct lc_wf_process lc_year_review_process = {
    .name = "year_review",
    .initial = "draft",
    .states = states,
    .nstates = sizeof states / sizeof *states,
    .transitions = transitions,
    .ntransitions = sizeof transitions / sizeof *transitions,
    .guard = guard,
    .title = title,
    .path = path,
    .may_view = may_view,
};

/* ---- items --------------------------------------------------------------- */

/* The item of a city's year: 1 found (with *it), 0 none, or a negative error. */
static int find_item(struct lc_db *db, int64_t city_id, long year, struct lc_wf_item *it)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id FROM wf_items WHERE process = 'year_review'"
	                                  " AND city_id = ?1 AND year = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, city_id);
	sqlite3_bind_int64(st, 2, year);
	int rc = lc_db_step(db, st);
	int64_t id = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc != 1)
		return rc;
	int err = lc_wf_get(db, &lc_year_review_process, id, it);
	return err ? err : 1;
}

int lc_year_review_state_find(struct lc_db *db, int64_t city_id, long year,
                              enum lc_year_review_state *out)
{
	struct lc_wf_item it;
	*out = LC_YEAR_REVIEW_DRAFT;
	int rc = find_item(db, city_id, year, &it);
	if (rc == 1 && lc_year_review_state_parse(it.state, out) != 0)
		rc = LC_EDB; /* only the process table's states are ever written */
	return rc;
}

int lc_year_review_state_get(struct lc_db *db, int64_t city_id, long year,
                             enum lc_year_review_state *out)
{
	int rc = lc_year_review_state_find(db, city_id, year, out);
	return rc < 0 ? rc : 0;
}

/* ensure: 1 created (with *it), 0 existed (with *it), or a negative error. */
static int ensure_item(struct lc_db *db, const struct lc_actor *actor, int64_t city_id, long year,
                       struct lc_wf_item *it)
{
	int rc = find_item(db, city_id, year, it);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	struct lc_wf_item init = {.city_id = city_id, .year = year};
	int64_t id = 0;
	int err = lc_wf_create(db, actor, &lc_year_review_process, &init, &id);
	if (!err)
		err = lc_wf_get(db, &lc_year_review_process, id, it);
	return err ? err : 1;
}

int lc_year_review_ensure(struct lc_db *db, const struct lc_actor *actor, int64_t city_id,
                          long year)
{
	struct lc_wf_item it;
	return ensure_item(db, actor, city_id, year, &it);
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

int lc_year_review_item_id(struct lc_db *db, const char *city_slug, long year, int64_t *id)
{
	int64_t city_id = 0;
	struct lc_wf_item it;
	*id = 0;
	int err = find_city(db, city_slug, &city_id);
	if (err)
		return err;
	int rc = find_item(db, city_id, year, &it);
	if (rc == 1)
		*id = it.id;
	return rc < 0 ? rc : 0;
}

/* ---- steps --------------------------------------------------------------- */

/*
 * One step to state `to`. The right and the comment are checked before
 * anything is read so that a stranger learns nothing of the year, and the
 * state before the engine so that the refusal names the year; the engine
 * then checks all of it again, runs the guard and writes.
 */
static int step(struct lc_db *db, const struct lc_actor *actor, const char *slug, long year,
                enum lc_year_review_state to, const char *comment, struct lc_diag *d)
{
	const char *to_name = lc_year_review_state_name(to);
	int64_t city_id = 0;
	int err = find_city(db, slug, &city_id);
	if (err)
		return err;
	struct lc_authz_object obj = {.city_id = city_id};
	err = lc_authz_check(
	    actor, to == LC_YEAR_REVIEW_SUBMITTED ? LC_ACT_SUBMIT_YEAR : LC_ACT_REVIEW_OBSERVATIONS,
	    &obj);
	if (err)
		return err;
	if (to == LC_YEAR_REVIEW_RETURNED) {
		struct lc_slice c = lc_slice_trim(lc_slice_cstr(comment));
		if (c.len == 0 || c.len > LC_LIMIT_REASON_BYTES) {
			lc_diag_add(d, NULL, 0, 0, "comment",
			            c.len ? "err_review_comment_long"
			                  : "err_review_comment_needed");
			return LC_EINVAL;
		}
	}
	err = lc_db_begin(db);
	if (err)
		return err;
	struct lc_wf_item it;
	int found = find_item(db, city_id, year, &it);
	if (found < 0) {
		err = found;
		goto out;
	}
	const char *from = found ? it.state : "draft";
	if (!lc_wf_transition_find(&lc_year_review_process, from, to_name)) {
		lc_diag_addf(d, NULL, 0, 0, "status", "err_review_become", LC_ARG_S("slug", slug),
		             LC_ARG_I("year", year),
		             found ? state_arg("found", from)
		                   : LC_ARG_K("found", "report_status_not_started"),
		             state_arg("to", to_name));
		err = LC_ECONFLICT;
		goto out;
	}
	/* A year without an item has no values either: the guard refuses it after this. */
	if (!found) {
		err = ensure_item(db, actor, city_id, year, &it);
		if (err < 0)
			goto out;
	}
	err = lc_wf_take(db, actor, &lc_year_review_process, it.id, to_name,
	                 to == LC_YEAR_REVIEW_RETURNED ? comment : NULL, d, NULL);
out:
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

int lc_year_review_submit(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                          long year, struct lc_diag *d)
{
	return step(db, actor, city_slug, year, LC_YEAR_REVIEW_SUBMITTED, NULL, d);
}

int lc_year_review_return(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                          long year, const char *comment, struct lc_diag *d)
{
	return step(db, actor, city_slug, year, LC_YEAR_REVIEW_RETURNED, comment, d);
}

int lc_year_review_approve(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                           long year, struct lc_diag *d)
{
	return step(db, actor, city_slug, year, LC_YEAR_REVIEW_APPROVED, NULL, d);
}

/* ---- the year's view ----------------------------------------------------- */

/* May actor take the step of that name now (role, scope and the year's state)? */
static bool may_step(const struct lc_actor *actor, const struct lc_wf_item *it, const char *name)
{
	for (size_t i = 0; i < lc_year_review_process.ntransitions; i++) {
		const struct lc_wf_transition *t = &transitions[i];
		if (strcmp(t->name, name) == 0 && lc_wf_may(actor, it, t) == 0)
			return true;
	}
	return false;
}

/* Sets res["may"]: the steps actor may take now on it (a draft without an item when none). */
static int add_may(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *it,
                   json_t *res)
{
	bool submit = may_step(actor, it, "submit");
	if (submit) {
		long long n = 0;
		int err = count_values(db, it->city_id, it->year, &n);
		if (err)
			return err;
		submit = n > 0;
	}
	json_object_set_new(res, "may",
	                    json_pack("{s:b, s:b, s:b}", "submit", submit, "return",
	                              may_step(actor, it, "return"), "approve",
	                              may_step(actor, it, "approve")));
	return 0;
}

/* The engine's history rows in the shape of the year's view: from, to, comment, actor, at. */
static json_t *history_of(const json_t *rows)
{
	json_t *h = json_array();
	size_t i;
	const json_t *r;
	json_array_foreach(rows, i, r)
	{
		json_array_append_new(
		    h, json_pack("{s:O, s:O, s:O, s:O, s:O}", "from", json_object_get(r, "from"),
		                 "to", json_object_get(r, "to"), "comment",
		                 json_object_get(r, "reason"), "actor", json_object_get(r, "actor"),
		                 "at", json_object_get(r, "at")));
	}
	return h;
}

int lc_year_review_get(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                       long year, json_t **out)
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
	struct lc_wf_item it = {
	    .process = &lc_year_review_process, .city_id = city_id, .year = year};
	snprintf(it.state, sizeof it.state, "draft");
	int found = find_item(db, city_id, year, &it);
	if (found < 0)
		return found;
	json_t *wf = NULL, *res = NULL;
	if (found) {
		err = lc_wf_item_json(db, actor, &it, &wf);
		if (err)
			return err;
	}
	json_t *rows = json_object_get(wf, "history");
	size_t n = json_array_size(rows);
	const json_t *last = n ? json_object_get(json_array_get(rows, n - 1), "reason") : NULL;
	res = json_pack("{s:s, s:I, s:s, s:O, s:o, s:I, s:b}", "city", city_slug, "year",
	                (json_int_t)year, "status", it.state, "comment",
	                last ? (json_t *)last : json_null(), "history", history_of(rows),
	                "history_total",
	                (json_int_t)json_integer_value(json_object_get(wf, "history_total")),
	                "history_more", json_is_true(json_object_get(wf, "history_more")));
	json_decref(wf);
	if (!res)
		return LC_EINTERNAL;
	err = add_may(db, actor, &it, res);
	if (err) {
		json_decref(res);
		return err;
	}
	*out = res;
	return 0;
}

/* ---- the review queue ---------------------------------------------------- */

#define ISO(col) "strftime('%Y-%m-%dT%H:%M:%SZ', " col ", 'unixepoch')"

/* The last submission of a city-year, column c of it. */
#define LAST_SUBMIT(c)                                                                             \
	"(SELECT h." c " FROM wf_history h WHERE h.item_id = r.id"                                 \
	" AND h.to_state = 'submitted' ORDER BY h.id DESC LIMIT 1)"

/* The comment of the step that entered the current state. */
#define LAST_REASON                                                                                \
	"(SELECT h.reason FROM wf_history h WHERE h.item_id = r.id ORDER BY h.id DESC LIMIT 1)"

int lc_year_review_queue(struct lc_db *db, const struct lc_actor *actor,
                         const struct lc_year_review_query *q, json_t **out)
{
	*out = NULL;
	struct lc_authz_object city = {0};
	int err = 0;
	if (q->city) {
		err = city_id(db, q->city, &city.city_id);
		if (!err)
			err = lc_authz_check(actor, LC_ACT_VIEW_OBSERVATIONS, &city);
	} else {
		err = lc_authz_check(actor, LC_ACT_REVIEW_OBSERVATIONS, NULL);
	}
	if (err)
		return err;
	enum lc_year_review_state want;
	const char *status = q->status && q->status[0] ? q->status : NULL;
	if (status && lc_year_review_state_parse(status, &want) != 0)
		return LC_EINVAL;
	struct lc_row_page pg;
	if (lc_row_page_init(&pg, q->page, q->per_page))
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
	st = lc_db_stmt(db, "SELECT count(*) FROM wf_items WHERE process = 'year_review'"
	                    " AND (?1 IS NULL OR state = ?1) AND (?2 = 0 OR city_id = ?2)"
	                    " AND (?3 = 0 OR year = ?3)");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	lc_db_bind_text(st, 1, status);
	sqlite3_bind_int64(st, 2, city.city_id);
	sqlite3_bind_int64(st, 3, q->year);
	rc = lc_db_step(db, st);
	long long total = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	st = lc_db_stmt(
	    db, "SELECT c.slug, coalesce(json_extract(c.name, ?4), json_extract(c.name, '$.en')),"
	        " r.year, r.state, " LAST_REASON ","
	        " (SELECT count(*) FROM observations o"
	        "  JOIN framework_measurements m ON m.id = o.measurement_id"
	        "  JOIN framework_features f ON f.id = m.feature_id"
	        "  JOIN framework_areas a ON a.id = f.area_id"
	        "  JOIN framework_parts p ON p.id = a.part_id"
	        "  JOIN framework_versions v ON v.id = p.version_id AND v.is_current = 1"
	        "  WHERE o.city_id = r.city_id AND o.year = r.year AND o.is_current = 1),"
	        " " ISO(LAST_SUBMIT("at")) ", " LAST_SUBMIT("actor_email") ", " ISO(
	            "r.entered_at") " FROM wf_items r JOIN cities c ON c.id = r.city_id"
	                            " WHERE r.process = 'year_review'"
	                            " AND (?1 IS NULL OR r.state = ?1)"
	                            " AND (?5 = 0 OR r.city_id = ?5)"
	                            " AND (?6 = 0 OR r.year = ?6)"
	                            " ORDER BY CASE WHEN ?5 = 0 THEN r.entered_at END,"
	                            " r.city_id, CASE WHEN ?5 = 0 THEN r.year ELSE -r.year END"
	                            " LIMIT ?2 OFFSET ?3");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	lc_db_bind_text(st, 1, status);
	sqlite3_bind_int64(st, 2, pg.per_page);
	sqlite3_bind_int64(st, 3, lc_row_page_offset(&pg));
	sqlite3_bind_int64(st, 6, q->year);
	lc_db_bind_text(st, 4, path);
	sqlite3_bind_int64(st, 5, city.city_id);
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
	*out = lc_row_paged(json_incref(items), total, &pg);
	if (!*out)
		err = LC_EINTERNAL;
	else
		json_object_set_new(*out, "filters",
		                    json_pack("{s:o}", "status", lc_row_cstr(status)));
out:
	json_decref(items);
	/* A read snapshot has nothing to commit; this only ends it. */
	if (err)
		lc_db_rollback(db);
	else
		err = lc_db_commit(db);
	return err;
}
