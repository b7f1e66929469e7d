/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A city's membership of the network as dated statuses (memberships table):
 * member, lapsed, suspended, withdrawn (and applicant), each from a date
 * with its reason; the row without an end date is the current one, and the
 * earlier rows are the history the city's page shows.
 *
 * The lifecycle of a member city is also a workflow process ("membership",
 * domain/workflow/workflow.h): one item per member city, in state member, lapsed,
 * suspended or withdrawn. The secretariat suspends, reinstates, withdraws,
 * restores or lapses a member with a reason; the progress-report process
 * lapses it through the same table when a report is overdue past its grace
 * period. Every step's effect writes the dated row with lc_membership_set,
 * so the rows and the item never disagree.
 */
#ifndef LC_MEMBERSHIP_H
#define LC_MEMBERSHIP_H

#include <stddef.h>
#include <stdint.h>

struct lc_actor;
struct lc_db;
struct lc_diag;
struct lc_wf_item;
struct lc_wf_process;

/* The "membership" process table (registered in domain/workflow/processes.c). */
extern const struct lc_wf_process lc_membership_process;

/*
 * Makes status the city's current membership from today (UTC, the domain
 * clock): ends the current row (to_date = today) and inserts the new one
 * (from_date = today, reason, source "learncity", provenance verified), with
 * an audit row "membership.<status>". Within the
 * caller's transaction when there is one. Setting the current status again
 * changes nothing and returns 0. Requires LC_ACT_DECIDE_MEMBERSHIP (the
 * system actor, used by the workflow clock, may). status: "member",
 * "lapsed", "suspended", "withdrawn", "applicant"; reason required (1..
 * LC_LIMIT_REASON_BYTES) except for "member".
 * 0; LC_EINVAL, LC_ENOTFOUND (no such city), LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_membership_set(struct lc_db *db, const struct lc_actor *actor, int64_t city_id,
                      const char *status, const char *reason);

/*
 * Makes a city a member: the approval of an application calls it inside
 * its own transaction. Creates the city's membership workflow item (state
 * member) when it has none, or restores it to member (a lapsed or
 * withdrawn city admitted again), and writes the dated "member" row with
 * the reason (may be NULL: "Admitted."). Admitting a member again changes
 * nothing. Requires LC_ACT_DECIDE_MEMBERSHIP (admin or the system actor).
 * 0; LC_ENOTFOUND (no such city), LC_EAUTH/LC_EPERM, LC_EINVAL, LC_EDB.
 */
int lc_membership_admit(struct lc_db *db, const struct lc_actor *actor, int64_t city_id,
                        const char *reason);

/*
 * The city's membership workflow item. When the city has none yet but its
 * current status is "member" (cities loaded before the workflow existed),
 * creates it in state member as the system (the history says so). 0 with
 * *out filled; LC_ENOTFOUND when the city has no item and is not a member,
 * LC_EDB.
 */
int lc_membership_item(struct lc_db *db, int64_t city_id, struct lc_wf_item *out);

/*
 * Takes the membership transition to state `to` ("suspended", "member",
 * "withdrawn", "lapsed") for the city, with its reason (required): the
 * secretariat's overrides and the progress report's lapse. Problems for
 * the user go to d (may be NULL). 0 with *out (may be NULL) the item after;
 * errors as lc_wf_take, LC_ENOTFOUND when the city has no membership.
 */
int lc_membership_take(struct lc_db *db, const struct lc_actor *actor, int64_t city_id,
                       const char *to, const char *reason, struct lc_diag *d,
                       struct lc_wf_item *out);

/*
 * Creates the missing membership items of every city whose current status
 * is "member" (the demonstration loader calls it). *created (may be NULL)
 * gets how many. 0, LC_EDB.
 */
int lc_membership_sync(struct lc_db *db, long *created);

/* The id of the city with that slug: 0 with *id, LC_ENOTFOUND, LC_EDB. */
int lc_membership_city_id(struct lc_db *db, const char *slug, int64_t *id);

/*
 * The page of membership item id: "/cities/<slug>#h-membership" in out
 * (n bytes). 0, LC_ENOTFOUND (no such item), LC_EDB.
 */
int lc_membership_item_path(struct lc_db *db, int64_t id, char *out, size_t n);

#endif
