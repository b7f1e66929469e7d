/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A city's membership of the network as dated statuses (memberships table):
 * member, lapsed, suspended, withdrawn (and applicant), each from a date
 * with its reason; the row without an end date is the current one, and the
 * earlier rows are the history the city's page shows.
 */
#ifndef LC_MEMBERSHIP_H
#define LC_MEMBERSHIP_H

#include <stdint.h>

struct lc_actor;
struct lc_db;

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

#endif
