/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The award's eligibility rules (award_eligibility.h): one query, three rules. */
#include "domain/award/award_eligibility.h"

#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "db/db.h"
#include "domain/award/award_round.h"

/*
 * ?1 city, ?2 round year, ?3 months, ?4 the close of nominations.
 * The current membership (no end date), the day it counts from, that day
 * plus the months (SQLite's calendar arithmetic: 2025-03-31 + 12 months is
 * 2026-03-31), and the city's latest award before this round.
 */
static const char *const sql =
    "SELECT c.id, m.status, coalesce(m.from_date, m.known_by),"
    " date(coalesce(m.from_date, m.known_by), '+' || ?3 || ' months'),"
    " (SELECT max(a.round_year) FROM awards a WHERE a.city_id = c.id AND a.round_year < ?2)"
    " FROM cities c LEFT JOIN memberships m ON m.city_id = c.id AND m.to_date IS NULL"
    " WHERE c.id = ?1";

int lc_award_eligibility_check(struct lc_db *db, const struct lc_award_round *r, int64_t city_id,
                               struct lc_diag *d)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, city_id);
	sqlite3_bind_int64(st, 2, r->year);
	sqlite3_bind_int64(st, 3, r->min_member_months);
	lc_db_bind_text(st, 4, r->nominations_close);
	int rc = lc_db_step(db, st);
	if (rc != 1) {
		lc_db_release(db, st);
		return rc < 0 ? rc : LC_ENOTFOUND;
	}
	bool problem = false;
	const char *status = lc_db_text(st, 1);
	const char *since = lc_db_text(st, 2);
	const char *enough = lc_db_text(st, 3);
	if (!status || strcmp(status, "applicant") == 0) {
		lc_diag_add(d, NULL, 0, 0, "city", "err_award_not_member");
		problem = true;
	} else if (strcmp(status, "member") != 0) {
		lc_diag_addf(
		    d, NULL, 0, 0, "city", "err_award_member_status",
		    LC_ARG_K("status", strcmp(status, "suspended") == 0 ? "wf_state_suspended"
		                       : strcmp(status, "lapsed") == 0  ? "wf_state_lapsed"
		                                                        : "wf_state_withdrawn"));
		problem = true;
	} else if (!since || !enough) {
		lc_diag_add(d, NULL, 0, 0, "city", "err_award_member_since_unknown");
		problem = true;
	} else if (strcmp(enough, r->nominations_close) >= 0) {
		/* "More than" the months: the day the months are complete is not enough. */
		lc_diag_addf(d, NULL, 0, 0, "city", "err_award_member_months",
		             LC_ARG_S("since", since), LC_ARG_I("months", r->min_member_months),
		             LC_ARG_S("deadline", r->nominations_close));
		problem = true;
	}
	if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
		long awarded = (long)sqlite3_column_int64(st, 4);
		if (r->year < awarded + r->bar_years) {
			lc_diag_addf(d, NULL, 0, 0, "city", "err_award_awarded",
			             LC_ARG_I("awarded", awarded),
			             LC_ARG_I("from", awarded + r->bar_years));
			problem = true;
		}
	}
	lc_db_release(db, st);
	return problem ? LC_EINVAL : 0;
}
