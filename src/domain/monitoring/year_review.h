/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The review of a city-year's monitoring data, as the workflow process
 * "year_review" (domain/workflow.h): draft -> submitted (the city's
 * coordinator) -> approved (the secretariat), or submitted -> returned with
 * a required comment (the secretariat) -> submitted again. An approved year
 * can be returned (with a comment) to correct it. A city-year is one item of
 * wf_items (city_id, year), created in draft when its first value is
 * entered; every step is a row of wf_history and an audit row
 * "year_review.<step>" in the same transaction, taken by the engine. No
 * e-mail is sent: the coordinator reads the comment on the year's page.
 *
 * The states and steps are the process table; this module adds the rule the
 * table cannot say (a year is submitted only when it holds a value: the
 * process's guard), the questions the monitoring pages ask (a year's state,
 * its history and the steps an actor may take, the secretariat's queue),
 * and LC_YEAR_REVIEW_APPROVED_SQL for the modules that read approved values
 * (observations, scores, the engine's input, the monitoring pages).
 *
 * Values themselves are domain/observation.h's; this module reads them only
 * to count them.
 */
#ifndef LC_YEAR_REVIEW_H
#define LC_YEAR_REVIEW_H

#include <stddef.h>
#include <jansson.h>

struct lc_actor;
struct lc_db;
struct lc_diag;
struct lc_wf_process;

/*
 * The "year_review" process table, in the registry of
 * domain/workflow/processes.h like every process: the clock finds no
 * deadline in it (a year under review has none), the secretariat's
 * pipeline counts its years by state. A city-year is addressed by its city
 * and year (lc_year_review_item_id), and its queue is lc_year_review_queue.
 */
extern const struct lc_wf_process lc_year_review_process;

/*
 * The workflow item (wf_items id) of a city's year, in *id: 0 when the
 * year has none yet (no value entered). 0, LC_ENOTFOUND (no such city),
 * LC_EDB. Reads nothing a stranger may not know: callers check the right
 * to see the item (the engine's lc_wf_history_of does).
 */
int lc_year_review_item_id(struct lc_db *db, const char *city_slug, long year, int64_t *id);

/*
 * The city-years whose data is approved, as a table of (city_id, year) to
 * join in SQL: `JOIN " LC_YEAR_REVIEW_APPROVED_SQL " r ON r.city_id = ...`.
 * The process name is written out so that SQLite uses the partial indexes of
 * migration 0012.
 */
#define LC_YEAR_REVIEW_APPROVED_SQL                                                                \
	"(SELECT city_id, year FROM wf_items WHERE process = 'year_review'"                        \
	" AND state = 'approved')"

enum lc_year_review_state {
	LC_YEAR_REVIEW_DRAFT = 0,
	LC_YEAR_REVIEW_SUBMITTED,
	LC_YEAR_REVIEW_RETURNED,
	LC_YEAR_REVIEW_APPROVED,
};

/* "draft", "submitted", "returned", "approved"; NULL outside the enum. */
const char *lc_year_review_state_name(enum lc_year_review_state s);
/* 0 or LC_EINVAL. */
int lc_year_review_state_parse(const char *s, enum lc_year_review_state *out);

/*
 * The state of a city's year: LC_YEAR_REVIEW_DRAFT when it has no item yet
 * (no value entered). 0 or LC_EDB.
 */
int lc_year_review_state_get(struct lc_db *db, int64_t city_id, long year,
                             enum lc_year_review_state *out);
/* As lc_year_review_state_get, but 1 when the year has an item, 0 when it has none. */
int lc_year_review_state_find(struct lc_db *db, int64_t city_id, long year,
                              enum lc_year_review_state *out);

/*
 * Makes sure the city's year has its item (a draft, with its "create"
 * history and audit rows, actor recorded as their author), inside the
 * caller's transaction. 1 when it was created now (so the year holds no
 * values yet), 0 when it existed, or LC_EDB.
 */
int lc_year_review_ensure(struct lc_db *db, const struct lc_actor *actor, int64_t city_id,
                          long year);

/*
 * The steps, each in its own transaction (nested in the caller's when there
 * is one), checked in this order: the city, the actor's right, the comment,
 * the state, then the engine's checks and the guard:
 * - submit: LC_ACT_SUBMIT_YEAR on the city; from draft or returned; the year
 *   must hold at least one value.
 * - return: LC_ACT_REVIEW_OBSERVATIONS; from submitted or approved; comment
 *   required (1..LC_LIMIT_REASON_BYTES bytes after trimming).
 * - approve: LC_ACT_REVIEW_OBSERVATIONS; from submitted.
 * Problems a user must read go to d (may be NULL). Errors: LC_ENOTFOUND (no
 * such city), LC_EAUTH/LC_EPERM, LC_ECONFLICT (the step is not allowed from
 * the current state), LC_EINVAL (missing or long comment, no values),
 * LC_EBUSY, LC_EDB.
 */
int lc_year_review_submit(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                          long year, struct lc_diag *d);
int lc_year_review_return(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                          long year, const char *comment, struct lc_diag *d);
int lc_year_review_approve(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                           long year, struct lc_diag *d);

/*
 * A city-year's state and its history, oldest first:
 * {"city": "cork", "year": 2025, "status": "returned", "comment": "..." | null,
 *  "may": {"submit": false, "return": true, "approve": false},
 *  "history": [{"from": null | "draft", "to": "draft", "comment": null,
 *               "actor": "coordinator.cork@example.org", "at": "2026-...Z"}, ...],
 *  "history_total": 5, "history_more": false}
 * "comment" is the comment of the step that entered the current state (a
 * return's). "history" holds the latest LC_WF_HISTORY_SHOWN steps, as every
 * workflow item's; "history_total" counts them all. "may" says which steps
 * the actor may take now (permission and state; submit also needs a value),
 * so that pages show only the buttons that work; the steps decide again.
 * Requires LC_ACT_VIEW_OBSERVATIONS on the city. LC_ENOTFOUND, LC_EAUTH,
 * LC_EPERM, LC_EDB. Caller owns *out.
 */
int lc_year_review_get(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                       long year, json_t **out);

/* What the review queue lists (lc_year_review_queue). */
struct lc_year_review_query {
	const char *status; /* "draft", "submitted", "returned", "approved"; NULL = every state */
	const char *city; /* one city's years only, by slug (its coordinators' view); NULL = all */
	long year;        /* one year only; 0 = every year */
	const char *lang; /* the language of city names; NULL = English */
	long page;        /* from 1; 0 means 1 */
	long per_page;    /* 1..LC_LIMIT_PER_PAGE; 0 means LC_DEFAULT_PER_PAGE */
};

/*
 * The secretariat's review queue: city-years in the state of q (every
 * state when NULL), the longest waiting first (by the time of their last
 * step), a page at a time:
 * {"items": [{"city": "cork", "city_name": "Cork", "year": 2025,
 *             "status": "submitted", "comment": null | "...",
 *             "entered": 41, "total": 60, "percent": 68,
 *             "submitted_at": "2026-...Z" | null, "submitted_by": "..." | null,
 *             "updated_at": "2026-...Z", "href": "/cities/cork/data/2025"}, ...],
 *  "total": 3, "page": 1, "per_page": 20, "pages": 1,
 *  "filters": {"status": "submitted" | null}}
 * entered counts the year's current values of measurements of the current
 * framework, total the framework's measurements. submitted_* are of the
 * last submission. Requires LC_ACT_REVIEW_OBSERVATIONS, or for one city's
 * years (q->city, newest year first) LC_ACT_VIEW_OBSERVATIONS on it
 * (LC_ENOTFOUND when there is no such city). 0, LC_EAUTH,
 * LC_EPERM, LC_EINVAL (a bad status or page), LC_EDB. Caller owns *out.
 */
int lc_year_review_queue(struct lc_db *db, const struct lc_actor *actor,
                         const struct lc_year_review_query *q, json_t **out);

#endif
