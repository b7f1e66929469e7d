/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The review of a city's reporting year: draft -> submitted (the city's
 * coordinator) -> approved (the secretariat), or submitted -> returned with a
 * required comment (the secretariat) -> submitted again. An approved year
 * can be returned (with a comment) to correct it. Every transition is a row
 * of report_history and of the audit trail, in the same transaction.
 *
 * Only approved data is what index runs use: domain/monitoring_input.h
 * builds the engine's input (tree and matrix) from the approved values of a
 * year.
 *
 * This module owns the report_years and report_history tables' SQL. Values
 * themselves are domain/observation.h's.
 */
#ifndef LC_REPORTING_H
#define LC_REPORTING_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct lc_actor;
struct lc_db;
struct lc_diag;

enum lc_report_status {
	LC_REPORT_DRAFT = 0,
	LC_REPORT_SUBMITTED,
	LC_REPORT_RETURNED,
	LC_REPORT_APPROVED,
};

/* "draft", "submitted", "returned", "approved"; NULL outside the enum. */
const char *lc_report_status_name(enum lc_report_status s);
/* 0 or LC_EINVAL. */
int lc_report_status_parse(const char *s, enum lc_report_status *out);

/*
 * The status of a city's year: LC_REPORT_DRAFT when it has none yet (no
 * value entered). 0 or LC_EDB.
 */
int lc_report_status_get(struct lc_db *db, int64_t city_id, long year, enum lc_report_status *out);

/*
 * Makes sure the city's year has a status row (a draft, with its history row),
 * inside the caller's transaction. 1 when it was created now (so the year
 * holds no values yet), 0 when it existed, or LC_EDB.
 */
int lc_report_ensure(struct lc_db *db, const struct lc_actor *actor, int64_t city_id, long year);

/*
 * The transitions, each in its own transaction (nested in the caller's
 * when there is one), each checked against the rules table:
 * - submit: LC_ACT_SUBMIT_YEAR on the city; from draft or returned; the year
 *   must hold at least one value.
 * - return: LC_ACT_REVIEW_OBSERVATIONS; from submitted or approved; comment
 *   required (1..LC_LIMIT_TEXT_BYTES bytes after trimming).
 * - approve: LC_ACT_REVIEW_OBSERVATIONS; from submitted.
 * Problems a user must read go to d (may be NULL). Errors: LC_ENOTFOUND (no
 * such city), LC_EAUTH/LC_EPERM, LC_ECONFLICT (the transition is not allowed
 * from the current status), LC_EINVAL (missing comment, no values),
 * LC_EBUSY, LC_EDB.
 */
int lc_report_submit(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                     long year, struct lc_diag *d);
int lc_report_return(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                     long year, const char *comment, struct lc_diag *d);
int lc_report_approve(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                      long year, struct lc_diag *d);

/*
 * A city-year's status and its history, oldest first:
 * {"city": "cork", "year": 2025, "status": "returned", "comment": "..." | null,
 *  "may": {"submit": false, "return": true, "approve": false},
 *  "history": [{"from": null | "draft", "to": "draft", "comment": null,
 *               "actor": "coordinator.cork@example.org", "at": "2026-...Z"}, ...]}
 * "may" says which transitions the actor may take now (permission and
 * status; submit also needs a value), so that pages show only the buttons
 * that work; the transitions decide again.
 * Requires LC_ACT_VIEW_OBSERVATIONS on the city. LC_ENOTFOUND, LC_EAUTH,
 * LC_EPERM, LC_EDB. Caller owns *out.
 */
int lc_report_get(struct lc_db *db, const struct lc_actor *actor, const char *city_slug, long year,
                  json_t **out);

/* What the review queue lists (lc_report_queue). */
struct lc_report_query {
	const char *status; /* "draft", "submitted", "returned", "approved"; NULL = every status */
	const char *lang;   /* the language of city names; NULL = English */
	long page;          /* from 1; 0 means 1 */
	long per_page;      /* 1..LC_LIMIT_PER_PAGE; 0 means LC_DEFAULT_PER_PAGE */
};

/*
 * The secretariat's review queue: city-years with the status of q (every
 * status when NULL), the longest waiting first (by the time of their last
 * transition), a page at a time:
 * {"items": [{"city": "cork", "city_name": "Cork", "year": 2025,
 *             "status": "submitted", "comment": null | "...",
 *             "entered": 41, "total": 60, "percent": 68,
 *             "submitted_at": "2026-...Z" | null, "submitted_by": "..." | null,
 *             "updated_at": "2026-...Z", "href": "/cities/cork/data/2025"}, ...],
 *  "total": 3, "page": 1, "per_page": 20, "pages": 1,
 *  "filters": {"status": "submitted" | null}}
 * entered counts the year's current values of measurements of the current
 * framework, total the framework's measurements. submitted_* are of the
 * last submission. Requires LC_ACT_REVIEW_OBSERVATIONS. 0, LC_EAUTH,
 * LC_EPERM, LC_EINVAL (a bad status or page), LC_EDB. Caller owns *out.
 */
int lc_report_queue(struct lc_db *db, const struct lc_actor *actor, const struct lc_report_query *q,
                    json_t **out);

#endif
