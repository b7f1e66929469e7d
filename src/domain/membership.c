/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Dated membership statuses (see membership.h). */
#include "domain/membership.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/clock.h"

static const char *const statuses[] = {"member", "lapsed", "suspended", "withdrawn", "applicant"};

static void today(char *out, size_t n)
{
	time_t t = (time_t)lc_clock_now();
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(out, n, "%Y-%m-%d", &tm))
		snprintf(out, n, "1970-01-01");
}

int lc_membership_set(struct lc_db *db, const struct lc_actor *actor, int64_t city_id,
                      const char *status, const char *reason)
{
	int err = lc_authz_check(actor, LC_ACT_DECIDE_MEMBERSHIP, NULL);
	if (err)
		return err;
	if (!status || lc_str_index(statuses, sizeof statuses / sizeof *statuses, status) < 0)
		return LC_EINVAL;
	struct lc_slice r = lc_slice_trim(lc_slice_cstr(reason ? reason : ""));
	if (r.len > LC_LIMIT_REASON_BYTES || (!r.len && strcmp(status, "member") != 0))
		return LC_EINVAL;
	char why[LC_LIMIT_REASON_BYTES + 1];
	memcpy(why, r.ptr, r.len);
	why[r.len] = '\0';
	char day[16];
	today(day, sizeof day);
	err = lc_db_begin(db);
	if (err)
		return err;
	char current[16] = "";
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT c.id, m.status FROM cities c LEFT JOIN memberships"
	                   " m ON m.city_id = c.id AND m.to_date IS NULL"
	                   " WHERE c.id = ?1");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, city_id);
	err = lc_db_step(db, st);
	if (err == 1 && lc_db_text(st, 1))
		snprintf(current, sizeof current, "%s", lc_db_text(st, 1));
	lc_db_release(db, st);
	if (err <= 0) {
		err = err ? err : LC_ENOTFOUND;
		goto out;
	}
	err = 0;
	if (strcmp(current, status) == 0)
		goto out;
	/* A row that started today and is replaced today ends today too (to_date >= from_date). */
	st = lc_db_stmt(db, "UPDATE memberships SET to_date = max(?2, coalesce(from_date, ?2))"
	                    " WHERE city_id = ?1 AND to_date IS NULL");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, city_id);
	lc_db_bind_text(st, 2, day);
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto out;
	st = lc_db_stmt(db, "INSERT INTO memberships (city_id, status, from_date, reason, source,"
	                    " provenance) VALUES (?1, ?2, ?3, ?4, 'learncity', 'verified')");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, city_id);
	lc_db_bind_text(st, 2, status);
	lc_db_bind_text(st, 3, day);
	lc_db_bind_text(st, 4, why[0] ? why : NULL);
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto out;
	char action[40];
	snprintf(action, sizeof action, "membership.%s", status);
	json_t *before = current[0] ? json_pack("{s:s}", "status", current) : NULL;
	json_t *after = json_pack("{s:s, s:s}", "status", status, "from", day);
	err = lc_audit_append_id(db, actor, action, "city", city_id, before, after,
	                         why[0] ? why : NULL);
	json_decref(before);
	json_decref(after);
out:
	if (err) {
		lc_db_rollback(db);
		return err;
	}
	return lc_db_commit(db);
}
