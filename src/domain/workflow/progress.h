/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The biennial progress report: every member city reports every two years,
 * and a member that does not report lapses.
 *
 * The secretariat opens a cohort (a year, a deadline, a grace period, the
 * member cities that must report); each city of it gets a report, a
 * workflow item of the process "report" (domain/workflow/workflow.h) whose deadline
 * is the cohort's. The city's coordinators answer the questionnaire
 * (domain/workflow/questionnaire.h), saving drafts, pre-filled from the city's
 * previous report, and submit; the secretariat accepts or returns it with
 * comments, and a returned report is corrected and submitted again.
 *
 * The clock: reminders 30 and 7 days before the deadline; at the deadline a
 * report still in draft (or returned) becomes overdue, and its coordinators
 * and the secretariat are told; a coordinator may still submit it. At the
 * deadline plus the grace period, to the second, an overdue report lapses,
 * and its effect lapses the city's membership through the membership
 * process (domain/workflow/membership.h) with a dated row.
 *
 * This module owns the report_cohorts, reports and report_answers tables.
 * It does not render pages (web/routes/reports.c) nor send e-mail itself
 * (the workflow engine does).
 */
#ifndef LC_PROGRESS_H
#define LC_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct lc_actor;
struct lc_db;
struct lc_diag;
struct lc_wf_process;

/* The "report" process table (registered in domain/workflow/processes.c). */
extern const struct lc_wf_process lc_progress_process;

#define LC_PROGRESS_GRACE_DAYS  90 /* the default grace period after the deadline */
#define LC_PROGRESS_RETURN_DAYS 30 /* a returned report's least time to answer */
#define LC_PROGRESS_LATE_DAYS   14 /* an overdue report's least time before it lapses */

/* A cohort to open. */
struct lc_progress_cohort {
	long year;             /* the reporting year, 2000..2999 */
	const char *deadline;  /* "YYYY-MM-DD", a day after today; due at its end (UTC) */
	long grace_days;       /* 0..LC_LIMIT_REPORT_GRACE_DAYS; <0: LC_PROGRESS_GRACE_DAYS */
	const int64_t *cities; /* the cities (current members), or NULL: every current member */
	size_t ncities;
};

/*
 * Opens a cohort: one report per city, each in draft with the cohort's
 * deadline, pre-filled from the city's latest earlier report (answers to
 * questions the questionnaire still has). All or nothing. Requires
 * LC_ACT_REVIEW_REPORT. A listed city that is not a current member, or that
 * already has a report of that year, is a problem (named in d). 0 with
 * *cohort_id and *ids (a JSON array of the new report ids; caller
 * json_decref; may be NULL); LC_EINVAL (d), LC_EAUTH/LC_EPERM, LC_ELIMIT,
 * LC_EDB.
 */
int lc_progress_cohort_open(struct lc_db *db, const struct lc_actor *actor,
                            const struct lc_progress_cohort *c, int64_t *cohort_id, json_t **ids,
                            struct lc_diag *d);

/*
 * The cohorts, newest first: [{"id", "year", "deadline", "grace_days",
 * "lapse_on", "reports", "by_state": {...}}]. Requires LC_ACT_REVIEW_REPORT.
 * 0 (caller owns *out), LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_progress_cohorts(struct lc_db *db, const struct lc_actor *actor, json_t **out);

/*
 * Report id as the page and the API show it, labels in lang ("en", "fr";
 * others fall back to English): the workflow item (lc_wf_item_json: state,
 * deadline, "next" steps, history) plus "city" {id, slug, name}, "cohort"
 * {id, year, deadline, grace_days, lapse_on}, "questionnaire" {version,
 * provenance, note}, "sections" [{id, title, help, questions: [{id, type,
 * label, help, required, max_words, min, max, options [{value, label}],
 * value (the saved answer or null), words, measurement, monitoring {value,
 * year, unit, source, synthetic: the demo's invented values} | null}]}], "comments" (the
 * secretariat's reasons for returning, newest first: [{reason, actor, at}]), "prefilled_from" (a
 * report id or null) and "can_edit". Visible to admins and the city's coordinators. 0 (caller owns
 * *out); LC_ENOTFOUND, LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_progress_get(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *lang,
                    json_t **out);

/*
 * Saves answers (JSON object question id -> value, see
 * lc_questionnaire_normalise; "" or null clears one) as the report's draft,
 * all or nothing, while it is draft, returned or overdue. Required answers
 * are not demanded until submission. Audit "report.save". Requires
 * LC_ACT_FILE_REPORT on the city. 0; LC_EINVAL (problems in d, each with
 * the question id as field), LC_ECONFLICT (not editable in its state),
 * LC_ENOTFOUND, LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_progress_save(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                     const json_t *answers, struct lc_diag *d);

/*
 * Moves report id to state `to` ("submitted", "accepted", "returned") as
 * lc_wf_take does; submitting checks that every required question is
 * answered (LC_EINVAL, one problem per missing answer). 0; errors as
 * lc_wf_take.
 */
int lc_progress_take(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *to,
                     const char *reason, struct lc_diag *d);

/* A filter of reports. */
struct lc_progress_query {
	const char *state; /* or NULL */
	int64_t city_id;   /* or 0 */
	long year;         /* or 0 */
	bool open_only;
	long page;     /* 1-based; 0 means 1 */
	long per_page; /* 0: LC_DEFAULT_PER_PAGE, at most LC_LIMIT_PER_PAGE */
};

/*
 * The reports an actor may see, by state (overdue first, then returned,
 * draft, submitted, accepted, lapsed), by deadline within a state. Admins
 * see every report, coordinators their cities' (a city_id outside them is
 * LC_EPERM), others none (LC_EPERM). {"items": [{"id", "state", "year",
 * "city": {slug, name}, "deadline", "due_at", "due_on" (the last day still
 * on time when that is not the deadline: a returned report's answer, an
 * overdue one's last day before the lapse; else ""), "overdue" (state
 * overdue, or past its deadline), "cohort"}], "by_state": {...}, "page",
 * "pages", "per_page", "total"}. 0 (caller owns *out); LC_EINVAL (page),
 * LC_EAUTH, LC_EPERM, LC_EDB.
 */
int lc_progress_list(struct lc_db *db, const struct lc_actor *actor,
                     const struct lc_progress_query *q, const char *lang, json_t **out);

#endif
