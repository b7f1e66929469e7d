/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Who may be nominated for the Learning City Award: ONE function, so that
 * the nomination (at its start, when the city sends its dossier, when the
 * National Commission nominates) and the clock (at the National
 * Commission's deadline) apply the same rules. The rules, with their
 * parameters from the round (award_round.h):
 *  - the city is a member now: suspended, lapsed or withdrawn members, and
 *    cities that are not members, are not eligible;
 *  - it has been a member for more than min_member_months at the close of
 *    nominations (a membership whose start is unknown counts from its
 *    known_by date; one known by neither is not old enough);
 *  - a city awarded in round Y is eligible again only from round
 *    Y + bar_years.
 * Each failed rule is a problem in d with arguments, said in the reader's
 * language by the catalogue. The secretariat's override is the
 * nomination's (nomination.h), recorded with its reason.
 */
#ifndef LC_AWARD_ELIGIBILITY_H
#define LC_AWARD_ELIGIBILITY_H

#include <stdint.h>

struct lc_award_round;
struct lc_db;
struct lc_diag;

/*
 * Is city_id eligible for round r? 0 eligible; LC_EINVAL not eligible,
 * with every failed rule in d (field "city"; codes err_award_not_member,
 * err_award_member_status {status}, err_award_member_since_unknown,
 * err_award_member_months {since, months, deadline},
 * err_award_awarded {awarded, from}); LC_ENOTFOUND (no such city), LC_EDB.
 */
int lc_award_eligibility_check(struct lc_db *db, const struct lc_award_round *r, int64_t city_id,
                               struct lc_diag *d);

#endif
