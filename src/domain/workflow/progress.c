/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Biennial progress reports: cohorts, answers, the "report" process (see progress.h); the lists in
 * progress_list.c. */
#include "domain/workflow/progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/platform/clock.h"
#include "domain/workflow/membership.h"
#include "domain/monitoring/observation.h"
#include "domain/platform/outbox.h"
#include "domain/workflow/questionnaire.h"
#include "domain/platform/row.h"
#include "domain/workflow/workflow.h"

#define DAY 86400

/* ---- the process --------------------------------------------------------- */

static const struct lc_wf_state states[] = {
    /* The cohort's deadline, given at creation, holds while the report is a draft. */
    {.name = "draft",
     .keep_due = true,
     .remind_days = {30, 7},
     .remind = LC_WF_TELL_COORDINATORS,
     .on_due = "flag",
     .waits_on = LC_WF_TELL_COORDINATORS},
    {.name = "submitted", .waits_on = LC_WF_TELL_SECRETARIAT},
    /* The effect of "return" sets the deadline: the cohort's, or 30 days at least. */
    {.name = "returned",
     .keep_due = true,
     .remind_days = {7},
     .remind = LC_WF_TELL_COORDINATORS,
     .on_due = "flag",
     .waits_on = LC_WF_TELL_COORDINATORS},
    /* The effect of "flag" sets the deadline to the cohort's plus its grace period. */
    {.name = "overdue",
     .keep_due = true,
     .remind_days = {30, 7},
     .remind = LC_WF_TELL_COORDINATORS | LC_WF_TELL_SECRETARIAT,
     .on_due = "lapse",
     .waits_on = LC_WF_TELL_COORDINATORS},
    {.name = "accepted", .terminal = true},
    {.name = "lapsed", .terminal = true},
};

#define TELL_ALL (LC_WF_TELL_COORDINATORS | LC_WF_TELL_SECRETARIAT)

static const struct lc_wf_transition transitions[] = {
    {"submit", "draft", "submitted", LC_ACT_FILE_REPORT, 0, LC_WF_TELL_SECRETARIAT},
    {"submit", "returned", "submitted", LC_ACT_FILE_REPORT, 0, LC_WF_TELL_SECRETARIAT},
    {"submit", "overdue", "submitted", LC_ACT_FILE_REPORT, 0, LC_WF_TELL_SECRETARIAT},
    {"accept", "submitted", "accepted", LC_ACT_REVIEW_REPORT, 0, LC_WF_TELL_COORDINATORS},
    {"return", "submitted", "returned", LC_ACT_REVIEW_REPORT, LC_WF_REASON,
     LC_WF_TELL_COORDINATORS},
    /* No engine e-mail for "flag": it would name the passed deadline; the effect tells
     * the coordinators and the secretariat when the membership lapses instead. */
    {"flag", "draft", "overdue", LC_ACT_REVIEW_REPORT, LC_WF_CLOCK, 0},
    {"flag", "returned", "overdue", LC_ACT_REVIEW_REPORT, LC_WF_CLOCK, 0},
    {"lapse", "overdue", "lapsed", LC_ACT_REVIEW_REPORT, LC_WF_CLOCK, TELL_ALL},
};

/* The cohort of a report: its due time, grace and year. */
struct cohort {
	int64_t id, due_at;
	long grace_days, year;
	char deadline[16];
};

static int cohort_of(struct lc_db *db, int64_t item_id, struct cohort *c)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT k.id, k.due_at, k.grace_days, k.year, k.deadline"
	                                  " FROM reports r JOIN report_cohorts k"
	                                  " ON k.id = r.cohort_id WHERE r.item_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, item_id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		c->id = sqlite3_column_int64(st, 0);
		c->due_at = sqlite3_column_int64(st, 1);
		c->grace_days = (long)sqlite3_column_int64(st, 2);
		c->year = (long)sqlite3_column_int64(st, 3);
		snprintf(c->deadline, sizeof c->deadline, "%s",
		         lc_db_text(st, 4) ? lc_db_text(st, 4) : "");
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

/* The stored answers of a report: {question: value}. */
static int answers_of(struct lc_db *db, int64_t item_id, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT question, value FROM report_answers WHERE item_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, item_id);
	json_t *a = json_object();
	int rc;
	while (lc_db_next(db, st, &rc))
		json_object_set_new(a, lc_db_text(st, 0), json_string(lc_db_text(st, 1)));
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* Submitting needs every required answer. */
static int guard(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
                 const struct lc_wf_transition *t, struct lc_diag *d)
{
	(void)actor;
	if (strcmp(t->name, "submit") != 0)
		return 0;
	json_t *q = NULL, *a = NULL;
	int err = lc_questionnaire_get(&q);
	if (!err)
		err = answers_of(db, item->id, &a);
	if (!err)
		err = lc_questionnaire_complete(q, a, d);
	json_decref(q);
	json_decref(a);
	return err;
}

/*
 * The deadline of the state just entered, which the engine cannot count
 * (it depends on the cohort): written to the item with its first reminder
 * still ahead, as the engine would have. Only this module's process rows.
 */

static void title(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n);

/*
 * Tells the city's coordinators and the secretariat (each address once)
 * that the report is overdue and when the membership lapses without it.
 */
static int tell_overdue(struct lc_db *db, const struct lc_actor *actor,
                        const struct lc_wf_item *item, const struct cohort *c, int64_t lapse)
{
	char day[16];
	lc_clock_date(lapse, day);
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT DISTINCT a.email FROM role_grants g JOIN accounts a ON a.id = g.account_id"
	        " WHERE a.status = 'active' AND ((g.role = 'coordinator' AND g.city_id = ?1)"
	        " OR g.role = 'admin') ORDER BY a.email LIMIT ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, item->city_id);
	sqlite3_bind_int(st, 2, LC_LIMIT_WF_RECIPIENTS);
	/* Collect first: queueing writes while the cursor reads. */
	char to[LC_LIMIT_WF_RECIPIENTS][LC_LIMIT_EMAIL_BYTES + 1];
	size_t n = 0;
	int rc;
	while (lc_db_next(db, st, &rc) && n < LC_LIMIT_WF_RECIPIENTS)
		snprintf(to[n++], sizeof to[0], "%s", lc_db_text(st, 0));
	lc_db_release(db, st);
	json_t *vars = lc_wf_mail_vars(db, item);
	if (!vars)
		return LC_EDB;
	json_object_set_new(vars, "deadline_date", json_string(c->deadline));
	json_object_set_new(vars, "lapse_date", json_string(day));
	for (size_t i = 0; rc >= 0 && i < n; i++)
		rc = lc_outbox_mail(db, actor, to[i], "report_overdue", vars, NULL, NULL);
	json_decref(vars);
	return rc < 0 ? rc : 0;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int effect(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
                  const struct lc_wf_transition *t, const char *reason, struct lc_diag *d)
{
	(void)reason;
	if (strcmp(t->name, "return") != 0 && strcmp(t->name, "flag") != 0 &&
	    strcmp(t->name, "lapse") != 0)
		return 0;
	struct cohort c;
	int err = cohort_of(db, item->id, &c);
	if (err)
		return err;
	int64_t now = lc_clock_now();
	if (strcmp(t->name, "return") == 0)
		return lc_wf_set_due(db, item,
		                     max64(c.due_at, now + (int64_t)LC_PROGRESS_RETURN_DAYS * DAY));
	if (strcmp(t->name, "flag") == 0) {
		int64_t lapse = max64(c.due_at + (int64_t)c.grace_days * DAY,
		                      now + (int64_t)LC_PROGRESS_LATE_DAYS * DAY);
		err = lc_wf_set_due(db, item, lapse);
		return err ? err : tell_overdue(db, actor, item, &c, lapse);
	}
	/* The lapse of the report is the lapse of the membership, in the same transaction. */
	struct lc_wf_item m;
	err = lc_membership_item(db, item->city_id, &m);
	if (err == LC_ENOTFOUND)
		return 0; /* not a member any more: nothing to lapse */
	if (err)
		return err;
	if (strcmp(m.state, "member") != 0 && strcmp(m.state, "suspended") != 0)
		return 0;
	char why[160];
	snprintf(why, sizeof why,
	         "The progress report %ld was not filed by %s and its grace period of %ld days"
	         " ended.",
	         c.year, c.deadline, c.grace_days);
	return lc_membership_take(db, actor, item->city_id, "lapsed", why, d, NULL);
}

static void title(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	char city[96]; /* titles are at most 160 bytes (workflow.c) */
	lc_wf_city_name(db, item, city, sizeof city);
	/* A title only: a very long name may be cut. */
	if (snprintf(out, n, "Progress report %ld of %s", item->year, city) >= (int)n)
		return;
}

const struct lc_wf_process lc_progress_process = {
    .name = "report",
    .initial = "draft",
    .states = states,
    .nstates = sizeof states / sizeof *states,
    .transitions = transitions,
    .ntransitions = sizeof transitions / sizeof *transitions,
    .path_fmt = "/reports/%lld",
    .guard = guard,
    .effect = effect,
    .title = title,
};

/* ---- cohorts ------------------------------------------------------------- */

/* "YYYY-MM-DD" as the Unix time of the end of that day (UTC); false when not a date. */
static bool day_end(const char *s, int64_t *out)
{
	int y, m, dd;
	char tail;
	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3)
		return false;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = dd};
	time_t t = timegm(&tm);
	/* timegm normalises 2026-02-30 into March: a date that moved was not a date. */
	if (t == (time_t)-1 || tm.tm_year != y - 1900 || tm.tm_mon != m - 1 || tm.tm_mday != dd)
		return false;
	*out = (int64_t)t + DAY;
	return true;
}

/* The question ids a new report may inherit: every one but the statistics. */
static char *inheritable_ids(const json_t *q)
{
	json_t *ids = json_array();
	size_t i, j;
	const json_t *s, *qu;
	json_array_foreach(json_object_get(q, "sections"), i, s)
	{
		json_array_foreach(json_object_get(s, "questions"), j, qu)
		{
			const char *type = json_string_value(json_object_get(qu, "type"));
			if (type && strcmp(type, "statistic") != 0)
				json_array_append(ids, json_object_get(qu, "id"));
		}
	}
	char *text = json_dumps(ids, JSON_COMPACT);
	json_decref(ids);
	return text;
}

/* Is the city a current member, and has it a report of that year already? */
static int city_check(struct lc_db *db, int64_t city_id, long year, bool *member, bool *has,
                      char *country, char *slug, size_t nslug)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT c.country, c.slug, EXISTS (SELECT 1 FROM memberships m WHERE"
	        " m.city_id = c.id AND m.to_date IS NULL AND m.status = 'member'),"
	        " EXISTS (SELECT 1 FROM reports r JOIN report_cohorts k ON k.id = r.cohort_id"
	        " WHERE r.city_id = c.id AND k.year = ?2) FROM cities c WHERE c.id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, city_id);
	sqlite3_bind_int64(st, 2, year);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		snprintf(country, 3, "%s", lc_db_text(st, 0) ? lc_db_text(st, 0) : "");
		snprintf(slug, nslug, "%s", lc_db_text(st, 1) ? lc_db_text(st, 1) : "");
		*member = sqlite3_column_int(st, 2) != 0;
		*has = sqlite3_column_int(st, 3) != 0;
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

/* Every current member's id, in id order. Caller frees *ids with lc_free. */
static int all_members(struct lc_db *db, int64_t **ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT city_id FROM memberships WHERE to_date IS NULL"
	                                  " AND status = 'member' ORDER BY city_id");
	if (!st)
		return LC_EDB;
	size_t cap = 64;
	int64_t *v = lc_xcalloc(cap, sizeof *v);
	int rc;
	while (lc_db_next(db, st, &rc)) {
		if (*n == LC_LIMIT_REPORT_COHORT) {
			rc = LC_ELIMIT;
			break;
		}
		if (*n == cap) {
			cap *= 2;
			v = lc_xreallocarray(v, cap, sizeof *v);
		}
		v[(*n)++] = sqlite3_column_int64(st, 0);
	}
	lc_db_release(db, st);
	if (rc < 0) {
		lc_free(v);
		*n = 0;
		return rc;
	}
	*ids = v;
	return 0;
}

/* Copies the answers of the city's latest earlier report into report id. */
static int prefill(struct lc_db *db, int64_t id, int64_t city_id, const char *allowed, int64_t now)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT max(item_id) FROM reports WHERE city_id = ?1"
	                                  " AND item_id <> ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, city_id);
	sqlite3_bind_int64(st, 2, id);
	int rc = lc_db_step(db, st);
	int64_t prev = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (!prev)
		return 0;
	st = lc_db_stmt(db, "INSERT INTO report_answers (item_id, question, value, updated_at)"
	                    " SELECT ?1, question, value, ?3 FROM report_answers WHERE item_id = ?2"
	                    " AND question IN (SELECT value FROM json_each(?4))");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, prev);
	sqlite3_bind_int64(st, 3, now);
	lc_db_bind_text(st, 4, allowed);
	rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	st = lc_db_stmt(db, "UPDATE reports SET prefilled_from = ?2 WHERE item_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, prev);
	rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static int open_report(struct lc_db *db, const struct lc_actor *actor, int64_t cohort, long year,
                       int64_t due, int64_t city_id, const char *country, const char *allowed,
                       int64_t *id)
{
	struct lc_wf_item init = {.city_id = city_id, .year = year, .due_at = due};
	snprintf(init.country, sizeof init.country, "%s", country);
	int err = lc_wf_create(db, actor, &lc_progress_process, &init, id);
	if (err)
		return err;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "INSERT INTO reports (item_id, cohort_id, city_id) VALUES (?1, ?2, ?3)");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int64(st, 2, cohort);
	sqlite3_bind_int64(st, 3, city_id);
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		return err;
	return prefill(db, *id, city_id, allowed, lc_clock_now());
}

int lc_progress_cohort_open(struct lc_db *db, const struct lc_actor *actor,
                            const struct lc_progress_cohort *c, int64_t *cohort_id, json_t **ids,
                            struct lc_diag *d)
{
	if (ids)
		*ids = NULL;
	int err = lc_authz_check(actor, LC_ACT_REVIEW_REPORT, NULL);
	if (err)
		return err;
	size_t before = lc_diag_total(d);
	int64_t due = 0, now = lc_clock_now();
	long grace = c->grace_days < 0 ? LC_PROGRESS_GRACE_DAYS : c->grace_days;
	if (c->year < 2000 || c->year > 2999)
		lc_diag_add(d, NULL, 0, 0, "year", "err_report_year_between_2000_2999");
	if (!day_end(c->deadline, &due))
		lc_diag_add(d, NULL, 0, 0, "deadline", "err_report_deadline_date_yyyy_mm");
	else if (due - DAY <= now)
		lc_diag_add(d, NULL, 0, 0, "deadline", "err_report_deadline_after_today");
	if (grace > LC_LIMIT_REPORT_GRACE_DAYS)
		lc_diag_addf(d, NULL, 0, 0, "grace_days", "err_report_grace_period_between_0",
		             LC_ARG_I("limit", LC_LIMIT_REPORT_GRACE_DAYS));
	if (c->ncities > LC_LIMIT_REPORT_COHORT)
		return LC_ELIMIT;
	if (lc_diag_total(d) > before)
		return LC_EINVAL;
	json_t *q = NULL, *out = json_array();
	char *allowed = NULL;
	int64_t *all = NULL;
	size_t n = c->ncities;
	const int64_t *cities = c->cities;
	err = lc_questionnaire_get(&q);
	if (err)
		goto done;
	allowed = inheritable_ids(q);
	err = lc_db_begin(db);
	if (err)
		goto done;
	if (!cities) {
		err = all_members(db, &all, &n);
		cities = all;
	}
	if (!err && !n) {
		lc_diag_add(d, NULL, 0, 0, "cities", "err_report_member_city_report");
		err = LC_EINVAL;
	}
	sqlite3_stmt *st = NULL;
	if (!err) {
		st =
		    lc_db_stmt(db, "INSERT INTO report_cohorts (year, deadline, due_at, grace_days,"
		                   " questionnaire, created_at, created_by)"
		                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
		err = st ? 0 : LC_EDB;
	}
	if (!err) {
		sqlite3_bind_int64(st, 1, c->year);
		lc_db_bind_text(st, 2, c->deadline);
		sqlite3_bind_int64(st, 3, due);
		sqlite3_bind_int64(st, 4, grace);
		lc_db_bind_text(st, 5, json_string_value(json_object_get(q, "version")));
		sqlite3_bind_int64(st, 6, now);
		if (actor->kind == LC_ACTOR_ACCOUNT)
			sqlite3_bind_int64(st, 7, actor->account_id);
		err = lc_db_step(db, st);
		lc_db_release(db, st);
		err = err < 0 ? err : 0;
	}
	int64_t cid = err ? 0 : lc_db_last_id(db);
	for (size_t i = 0; !err && i < n; i++) {
		bool member = false, has = false;
		char country[3] = "", slug[96] = "";
		int rc =
		    city_check(db, cities[i], c->year, &member, &has, country, slug, sizeof slug);
		if (rc == LC_ENOTFOUND) {
			lc_diag_addf(d, NULL, 0, 0, "cities", "err_report_city_does_exist",
			             LC_ARG_I("id", (long long)cities[i]));
			continue;
		}
		if (!rc && !member) {
			lc_diag_addf(d, NULL, 0, 0, "cities", "err_report_current_member",
			             LC_ARG_S("slug", slug));
			continue;
		}
		if (!rc && has) {
			lc_diag_addf(d, NULL, 0, 0, "cities",
			             "err_report_already_has_progress_report",
			             LC_ARG_S("slug", slug));
			continue;
		}
		if (rc) {
			err = rc;
			break;
		}
		int64_t id = 0;
		err = open_report(db, actor, cid, c->year, due, cities[i], country, allowed, &id);
		if (!err)
			json_array_append_new(out, json_integer((json_int_t)id));
	}
	if (!err && lc_diag_total(d) > before)
		err = LC_EINVAL;
	if (!err) {
		char deadline[16];
		lc_clock_date(due - DAY, deadline);
		json_t *after =
		    json_pack("{s:I, s:s, s:I, s:O}", "year", (json_int_t)c->year, "deadline",
		              deadline, "grace_days", (json_int_t)grace, "reports", out);
		err = lc_audit_append_id(db, actor, "report.cohort_open", "report_cohort", cid,
		                         NULL, after, NULL);
		json_decref(after);
	}
	if (err)
		lc_db_rollback(db);
	else
		err = lc_db_commit(db);
	if (!err) {
		*cohort_id = cid;
		if (ids) {
			*ids = out;
			out = NULL;
		}
	}
done:
	json_decref(q);
	json_decref(out);
	lc_free(allowed);
	lc_free(all);
	return err;
}

int lc_progress_cohorts(struct lc_db *db, const struct lc_actor *actor, json_t **out)
{
	*out = NULL;
	int err = lc_authz_check(actor, LC_ACT_REVIEW_REPORT, NULL);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT k.id, k.year, k.deadline, k.grace_days, k.due_at,"
	        " (SELECT json_group_object(state, n) FROM (SELECT w.state, count(*) AS n"
	        "  FROM reports r JOIN wf_items w ON w.id = r.item_id WHERE r.cohort_id = k.id"
	        "  GROUP BY w.state)),"
	        " (SELECT count(*) FROM reports r WHERE r.cohort_id = k.id)"
	        " FROM report_cohorts k ORDER BY k.id DESC LIMIT 200");
	if (!st)
		return LC_EDB;
	json_t *list = json_array();
	int rc;
	while (lc_db_next(db, st, &rc)) {
		char lapse[16];
		lc_clock_date(sqlite3_column_int64(st, 4) + sqlite3_column_int64(st, 3) * DAY,
		              lapse);
		json_array_append_new(
		    list, json_pack("{s:o, s:o, s:o, s:o, s:s, s:o, s:o}", "id", lc_row_int(st, 0),
		                    "year", lc_row_int(st, 1), "deadline", lc_row_str(st, 2),
		                    "grace_days", lc_row_int(st, 3), "lapse_on", lapse, "by_state",
		                    lc_row_object(st, 5), "reports", lc_row_int(st, 6)));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

/* ---- one report ---------------------------------------------------------- */

/* A translated member {"en": ..., "fr": ...} in lang, else English, else NULL. */
static const char *tr(const json_t *o, const char *lang)
{
	const char *s = json_string_value(json_object_get(o, lang));
	return s ? s : json_string_value(json_object_get(o, "en"));
}

/* The report's city: {id, slug, name}. */
static int city_json(struct lc_db *db, int64_t city_id, const char *lang, json_t **out)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT c.id, c.slug, " LC_ROW_TR("c.name") " FROM cities c WHERE c.id = ?2");
	if (!st)
		return LC_EDB;
	char path[16];
	snprintf(path, sizeof path, "$.%s", lang && strlen(lang) < 8 ? lang : "en");
	lc_db_bind_text(st, 1, path);
	sqlite3_bind_int64(st, 2, city_id);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*out = json_pack("{s:o, s:o, s:o}", "id", lc_row_int(st, 0), "slug",
		                 lc_row_str(st, 1), "name", lc_row_str(st, 2));
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

/*
 * The city's latest monitoring value of a measurement in the report's year
 * or the two before, as the actor may see it: {value, year, unit, source,
 * synthetic, approved}, or NULL.
 */
static json_t *monitoring_value(struct lc_db *db, const struct lc_actor *actor, const char *slug,
                                long year, const char *code, json_t *cache)
{
	for (long y = year; y > year - 3; y--) {
		char key[16];
		snprintf(key, sizeof key, "%ld", y);
		json_t *list = json_object_get(cache, key);
		if (!list) {
			if (lc_obs_current(db, actor, slug, y, &list) != 0)
				list = json_object();
			json_object_set_new(cache, key, list);
		}
		size_t i;
		const json_t *it;
		json_array_foreach(json_object_get(list, "items"), i, it)
		{
			const char *c = json_string_value(json_object_get(it, "code"));
			const json_t *v = json_object_get(it, "value");
			if (!c || strcmp(c, code) != 0 || !json_is_string(v))
				continue;
			/* The current version's source: the demo's invented values say so. */
			const char *src = NULL;
			size_t k;
			const json_t *ver;
			json_array_foreach(json_object_get(it, "versions"), k, ver)
			{
				if (json_is_true(json_object_get(ver, "current")))
					src = json_string_value(json_object_get(ver, "source"));
			}
			/* A value of a year not yet approved is quoted, and said to be so. */
			const char *status = json_string_value(json_object_get(list, "status"));
			return json_pack("{s:O, s:I, s:O, s:s?, s:b, s:b}", "value", v, "year",
			                 (json_int_t)y, "unit", json_object_get(it, "unit"),
			                 "source", src, "synthetic",
			                 src && strcmp(src, LC_OBS_SYNTHETIC_SOURCE) == 0,
			                 "approved", status && strcmp(status, "approved") == 0);
		}
	}
	return NULL;
}

static json_t *sections_json(struct lc_db *db, const struct lc_actor *actor, const json_t *q,
                             const json_t *answers, const char *lang, const char *slug, long year)
{
	json_t *out = json_array(), *cache = json_object();
	size_t i, j, k;
	const json_t *s, *qu, *o;
	json_array_foreach(json_object_get(q, "sections"), i, s)
	{
		json_t *qs = json_array();
		json_array_foreach(json_object_get(s, "questions"), j, qu)
		{
			const char *id = json_string_value(json_object_get(qu, "id"));
			const char *type = json_string_value(json_object_get(qu, "type"));
			const char *v = json_string_value(json_object_get(answers, id));
			json_t *opts = json_array();
			json_array_foreach(json_object_get(qu, "options"), k, o)
			{
				const char *ov = json_string_value(json_object_get(o, "value"));
				json_array_append_new(
				    opts, json_pack("{s:s, s:s?, s:b}", "value", ov, "label",
				                    tr(json_object_get(o, "label"), lang),
				                    "selected", v && ov && strcmp(v, ov) == 0));
			}
			json_t *mon = NULL;
			const char *code = json_string_value(json_object_get(qu, "measurement"));
			if (code)
				mon = monitoring_value(db, actor, slug, year, code, cache);
			json_t *x = json_pack(
			    "{s:s, s:s, s:s?, s:s?, s:b, s:O?, s:O?, s:O?, s:o, s:s?, s:I, s:s?, "
			    "s:o}",
			    "id", id, "type", type, "label", tr(json_object_get(qu, "label"), lang),
			    "help", tr(json_object_get(qu, "help"), lang), "required",
			    json_is_true(json_object_get(qu, "required")), "max_words",
			    json_object_get(qu, "max_words"), "min", json_object_get(qu, "min"),
			    "max", json_object_get(qu, "max"), "options", opts, "value", v, "words",
			    (json_int_t)(v ? lc_questionnaire_words(v, strlen(v)) : 0),
			    "measurement", code, "monitoring", mon ? mon : json_null());
			json_array_append_new(qs, x);
		}
		json_array_append_new(
		    out, json_pack("{s:O, s:s?, s:s?, s:o}", "id", json_object_get(s, "id"),
		                   "title", tr(json_object_get(s, "title"), lang), "help",
		                   tr(json_object_get(s, "help"), lang), "questions", qs));
	}
	json_decref(cache);
	return out;
}

/* The catalogue keys of the states' names, said in messages. */
static const struct {
	const char *state, *key;
} state_keys[] = {
    {"draft", "wf_state_draft"},       {"submitted", "wf_state_submitted"},
    {"returned", "wf_state_returned"}, {"overdue", "wf_state_overdue"},
    {"accepted", "wf_state_accepted"}, {"lapsed", "wf_state_lapsed"},
};

/* A state name as a message argument: its catalogue key, or the name itself when unknown. */
static struct lc_diag_arg state_arg(const char *arg, const char *state)
{
	for (size_t i = 0; i < sizeof state_keys / sizeof state_keys[0]; i++)
		if (strcmp(state_keys[i].state, state) == 0)
			return LC_ARG_K(arg, state_keys[i].key);
	return LC_ARG_S(arg, state);
}

static bool editable_state(const char *state)
{
	return strcmp(state, "draft") == 0 || strcmp(state, "returned") == 0 ||
	       strcmp(state, "overdue") == 0;
}

static int may_file(const struct lc_actor *actor, const struct lc_wf_item *it)
{
	struct lc_authz_object o = {.city_id = it->city_id};
	return lc_authz_check(actor, LC_ACT_FILE_REPORT, &o);
}

/* The item, if the actor may see it. */
static int visible_item(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                        struct lc_wf_item *it)
{
	int err = lc_authz_check(actor, LC_ACT_VIEW_OWN_ACCOUNT, NULL);
	if (err)
		return err; /* anonymous: 401 before anything is read */
	err = lc_wf_get(db, &lc_progress_process, id, it);
	if (err)
		return err;
	return lc_wf_may_view(actor, it);
}

int lc_progress_get(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *lang,
                    json_t **out)
{
	*out = NULL;
	struct lc_wf_item it;
	struct cohort c;
	json_t *vm = NULL, *city = NULL, *q = NULL, *answers = NULL;
	int err = visible_item(db, actor, id, &it);
	if (!err)
		err = cohort_of(db, id, &c);
	if (!err)
		err = city_json(db, it.city_id, lang, &city);
	if (!err)
		err = lc_questionnaire_get(&q);
	if (!err)
		err = answers_of(db, id, &answers);
	if (!err)
		err = lc_wf_item_json(db, actor, &it, &vm);
	if (err)
		goto out;
	char lapse[16];
	lc_clock_date(c.due_at + (int64_t)c.grace_days * DAY, lapse);
	json_object_set(vm, "city", city);
	json_object_set_new(vm, "cohort",
	                    json_pack("{s:I, s:I, s:s, s:I, s:s}", "id", (json_int_t)c.id, "year",
	                              (json_int_t)c.year, "deadline", c.deadline, "grace_days",
	                              (json_int_t)c.grace_days, "lapse_on", lapse));
	json_object_set_new(vm, "questionnaire",
	                    json_pack("{s:O, s:O, s:s?}", "version", json_object_get(q, "version"),
	                              "provenance", json_object_get(q, "provenance"), "note",
	                              tr(json_object_get(q, "note"), lang)));
	json_object_set_new(vm, "sections",
	                    sections_json(db, actor, q, answers, lang,
	                                  json_string_value(json_object_get(city, "slug")),
	                                  c.year));
	/* The secretariat's comments: the reasons of the latest returns, newest first. */
	json_t *returns = NULL;
	err = lc_wf_history(db, &it, "return", 1, LC_WF_HISTORY_SHOWN, &returns);
	if (err)
		goto out;
	json_t *comments = json_array();
	size_t i;
	const json_t *h;
	json_array_foreach(json_object_get(returns, "items"), i, h) json_array_append_new(
	    comments, json_pack("{s:O, s:O, s:O}", "reason", json_object_get(h, "reason"), "actor",
	                        json_object_get(h, "actor"), "at", json_object_get(h, "at")));
	json_decref(returns);
	json_object_set_new(vm, "comments", comments);
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT prefilled_from FROM reports WHERE item_id = ?1");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	json_object_set_new(vm, "prefilled_from", rc == 1 ? lc_row_int(st, 0) : json_null());
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	json_object_set_new(vm, "can_edit",
	                    json_boolean(editable_state(it.state) && may_file(actor, &it) == 0));
	*out = vm;
	vm = NULL;
out:
	json_decref(vm);
	json_decref(city);
	json_decref(q);
	json_decref(answers);
	return err;
}

int lc_progress_save(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                     const json_t *answers, struct lc_diag *d)
{
	struct lc_wf_item it;
	json_t *q = NULL, *norm = NULL;
	int err = visible_item(db, actor, id, &it);
	if (!err)
		err = may_file(actor, &it);
	if (err)
		return err;
	if (!editable_state(it.state)) {
		lc_diag_addf(d, NULL, 0, 0, "state", "err_report_report_edited",
		             state_arg("state", it.state));
		return LC_ECONFLICT;
	}
	err = lc_questionnaire_get(&q);
	if (!err)
		err = lc_questionnaire_normalise(q, answers, &norm, d);
	json_decref(q);
	if (err)
		return err;
	err = lc_db_begin(db);
	if (err) {
		json_decref(norm);
		return err;
	}
	/* Re-read inside the transaction: a submission may have come in between. */
	err = lc_wf_get(db, &lc_progress_process, id, &it);
	if (!err && !editable_state(it.state))
		err = LC_ECONFLICT;
	int64_t now = lc_clock_now();
	json_t *changed = json_array();
	const char *qid;
	json_t *v;
	json_object_foreach(norm, qid, v)
	{
		if (err)
			break;
		const char *text = json_string_value(v);
		sqlite3_stmt *st =
		    *text ? lc_db_stmt(db,
		                       "INSERT INTO report_answers (item_id, question, value,"
		                       " updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5)"
		                       " ON CONFLICT (item_id, question) DO UPDATE SET"
		                       " value = excluded.value, updated_at = excluded.updated_at,"
		                       " updated_by = excluded.updated_by"
		                       " WHERE value <> excluded.value")
		          : lc_db_stmt(db, "DELETE FROM report_answers WHERE item_id = ?1"
		                           " AND question = ?2");
		if (!st) {
			err = LC_EDB;
			break;
		}
		sqlite3_bind_int64(st, 1, id);
		lc_db_bind_text(st, 2, qid);
		if (*text) {
			lc_db_bind_text(st, 3, text);
			sqlite3_bind_int64(st, 4, now);
			if (actor->kind == LC_ACTOR_ACCOUNT)
				sqlite3_bind_int64(st, 5, actor->account_id);
		}
		int rc = lc_db_step(db, st);
		lc_db_release(db, st);
		if (rc < 0)
			err = rc;
		else if (lc_db_changes(db) > 0)
			json_array_append_new(changed, json_string(qid));
	}
	if (!err && json_array_size(changed)) {
		json_t *after = json_pack("{s:O}", "questions", changed);
		err = lc_audit_append_id(db, actor, "report.save", "report", id, NULL, after, NULL);
		json_decref(after);
	}
	json_decref(changed);
	json_decref(norm);
	if (err) {
		if (err == LC_ECONFLICT)
			lc_diag_add(d, NULL, 0, 0, "state",
			            "err_report_report_was_submitted_meanwhile");
		lc_db_rollback(db);
		return err;
	}
	return lc_db_commit(db);
}

int lc_progress_take(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *to,
                     const char *reason, struct lc_diag *d)
{
	return lc_wf_take(db, actor, &lc_progress_process, id, to, reason, d, NULL);
}
