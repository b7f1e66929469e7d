/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The lists of progress reports (progress.h): a cohort's reports, a city's
 * reports and the secretariat's queues, as the JSON the pages and the API
 * show. Nothing here writes.
 */
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

/* ---- lists --------------------------------------------------------------- */

/* The order of the lists: what is late, then what waits for the city, then the secretariat. */
static const char *const list_order[] = {"overdue",   "returned", "draft",
                                         "submitted", "accepted", "lapsed"};

static int row_json(struct lc_db *db, int64_t id, const char *lang, json_t **out)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db,
	    "SELECT w.id, w.state, w.year, c.slug, " LC_ROW_TR(
	        "c.name") ","
	                  " k.deadline, w.due_at, k.id FROM wf_items w"
	                  " JOIN reports r ON r.item_id = w.id JOIN cities c ON c.id = r.city_id"
	                  " JOIN report_cohorts k ON k.id = r.cohort_id WHERE w.id = ?2");
	if (!st)
		return LC_EDB;
	char path[16];
	snprintf(path, sizeof path, "$.%s", lang && strlen(lang) < 8 ? lang : "en");
	lc_db_bind_text(st, 1, path);
	sqlite3_bind_int64(st, 2, id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		int64_t due = sqlite3_column_int64(st, 6);
		/* Late: past its deadline, or flagged by the clock (whose deadline is the lapse).
		 */
		bool late = strcmp(lc_db_text(st, 1) ? lc_db_text(st, 1) : "", "overdue") == 0 ||
		            (due && due <= lc_clock_now());
		/* due_at is the moment the report becomes late (the start of the next day);
		 * due_on names the last day still on time, and stays empty while that is the
		 * cohort's deadline, which the lists show anyway. */
		char dd[16] = "";
		if (due) {
			lc_clock_date(due - 1, dd);
			const char *deadline = lc_db_text(st, 5);
			if (deadline && strcmp(deadline, dd) == 0)
				dd[0] = '\0';
		}
		*out = json_pack("{s:o, s:o, s:o, s:{s:o, s:o}, s:o, s:o, s:s, s:b, s:o}", "id",
		                 lc_row_int(st, 0), "state", lc_row_str(st, 1), "year",
		                 lc_row_int(st, 2), "city", "slug", lc_row_str(st, 3), "name",
		                 lc_row_str(st, 4), "deadline", lc_row_str(st, 5), "due_at",
		                 due ? lc_row_int(st, 6) : json_null(), "due_on", dd, "overdue",
		                 late, "cohort", lc_row_int(st, 7));
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

/* Appends the rows [off, off + cnt) of query q to items, in blocks of the largest page. */
static int fetch_rows(struct lc_db *db, struct lc_wf_query q, long off, long cnt, const char *lang,
                      json_t *items)
{
	const long per = LC_LIMIT_PER_PAGE;
	int err = 0;
	while (!err && cnt > 0) {
		q.page = off / per + 1;
		q.per_page = per;
		int64_t *ids = NULL;
		size_t n = 0;
		long t = 0;
		err = lc_wf_list(db, &lc_progress_process, &q, &ids, &n, &t, NULL);
		size_t i = (size_t)(off % per);
		if (!err && i >= n)
			cnt = 0; /* fewer rows than counted: someone moved one meanwhile */
		for (; !err && i < n && cnt > 0; i++, off++, cnt--) {
			json_t *row = NULL;
			err = row_json(db, ids[i], lang, &row);
			if (!err)
				json_array_append_new(items, row);
		}
		lc_free(ids);
	}
	return err;
}

int lc_progress_list(struct lc_db *db, const struct lc_actor *actor,
                     const struct lc_progress_query *q, const char *lang, json_t **out)
{
	*out = NULL;
	int err = lc_authz_check(actor, LC_ACT_VIEW_OWN_ACCOUNT, NULL);
	if (err)
		return err;
	bool admin = lc_authz_check(actor, LC_ACT_REVIEW_REPORT, NULL) == 0;
	/* A coordinator sees the reports of the cities it coordinates: one query each. */
	int64_t scopes[LC_LIMIT_ACCOUNT_ROLES];
	size_t nscopes = 0;
	if (admin) {
		scopes[nscopes++] = q->city_id;
	} else if (q->city_id) {
		struct lc_authz_object o = {.city_id = q->city_id};
		err = lc_authz_check(actor, LC_ACT_FILE_REPORT, &o);
		if (err)
			return err;
		scopes[nscopes++] = q->city_id;
	} else {
		for (size_t i = 0; i < actor->nroles; i++)
			if (actor->roles[i].kind == LC_ROLE_COORDINATOR)
				scopes[nscopes++] = actor->roles[i].city_id;
		if (!nscopes)
			return LC_EPERM;
	}
	struct lc_row_page pg;
	if (lc_row_page_init(&pg, q->page, q->per_page))
		return LC_EINVAL;
	long page = pg.page, per = pg.per_page;
	json_t *items = json_array(), *by = json_object();
	long total = 0, start = (page - 1) * per, want = per;
	for (size_t s = 0; !err && s < nscopes; s++) {
		struct lc_wf_query base = {.city_id = scopes[s],
		                           .year = q->year,
		                           .open_only = q->open_only,
		                           .per_page = 1};
		int64_t *ids = NULL;
		size_t n = 0;
		long t = 0;
		json_t *counts = NULL;
		err = lc_wf_list(db, &lc_progress_process, &base, &ids, &n, &t, &counts);
		lc_free(ids);
		const char *k;
		json_t *v;
		json_object_foreach(counts, k, v)
		{
			json_int_t before = json_integer_value(json_object_get(by, k));
			json_object_set_new(by, k, json_integer(before + json_integer_value(v)));
		}
		/* By state, overdue first; within a state, the engine's order (by deadline). */
		for (size_t i = 0; !err && i < sizeof list_order / sizeof *list_order; i++) {
			if (q->state && strcmp(q->state, list_order[i]) != 0)
				continue;
			long c = (long)json_integer_value(json_object_get(counts, list_order[i]));
			total += c;
			if (want <= 0)
				continue;
			if (start >= c) {
				start -= c;
				continue;
			}
			long take = c - start < want ? c - start : want;
			struct lc_wf_query sq = base;
			sq.state = list_order[i];
			err = fetch_rows(db, sq, start, take, lang, items);
			want -= take;
			start = 0;
		}
		json_decref(counts);
	}
	if (err) {
		json_decref(items);
		json_decref(by);
		return err;
	}
	*out =
	    json_pack("{s:o, s:o, s:I, s:I, s:I, s:I}", "items", items, "by_state", by, "page",
	              (json_int_t)page, "pages", (json_int_t)(total ? (total + per - 1) / per : 1),
	              "per_page", (json_int_t)per, "total", (json_int_t)total);
	return *out ? 0 : LC_EINTERNAL;
}
