/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Calls for applications (call.h). */
#include "domain/workflow/call.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/platform/clock.h"

bool lc_call_is_open(const struct lc_call *c, int64_t now)
{
	char today[11];
	lc_clock_date(now, today);
	return strcmp(c->opens, today) <= 0 && strcmp(today, c->closes) <= 0;
}

/* A real calendar date written "YYYY-MM-DD". */
static bool date_ok(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return false;
	int max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

static bool text_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max || !lc_utf8_valid(s, n))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static void read_call(sqlite3_stmt *st, struct lc_call *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	c->year = (long)sqlite3_column_int64(st, 1);
	snprintf(c->title, sizeof c->title, "%s", lc_db_text(st, 2) ? lc_db_text(st, 2) : "");
	snprintf(c->opens, sizeof c->opens, "%s", lc_db_text(st, 3) ? lc_db_text(st, 3) : "");
	snprintf(c->closes, sizeof c->closes, "%s", lc_db_text(st, 4) ? lc_db_text(st, 4) : "");
	c->cap = (long)sqlite3_column_int64(st, 5);
}

#define CALL_COLS "id, year, title, opens, closes, cap"

int lc_call_get(struct lc_db *db, int64_t id, struct lc_call *out)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT " CALL_COLS " FROM calls WHERE id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		read_call(st, out);
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

json_t *lc_call_json(const struct lc_call *c)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:I,s:b}", "id", (json_int_t)c->id, "year",
	                 (json_int_t)c->year, "title", c->title, "opens", c->opens, "closes",
	                 c->closes, "cap", (json_int_t)c->cap, "open",
	                 lc_call_is_open(c, lc_clock_now()));
}

int lc_call_list(struct lc_db *db, bool open_only, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT " CALL_COLS " FROM calls ORDER BY year DESC");
	if (!st)
		return LC_EDB;
	json_t *a = json_array();
	int rc;
	int64_t now = lc_clock_now();
	while (lc_db_next(db, st, &rc)) {
		struct lc_call c;
		read_call(st, &c);
		if (!open_only || lc_call_is_open(&c, now))
			json_array_append_new(a, lc_call_json(&c));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = json_pack("{s:o}", "calls", a);
	return 0;
}

static int check(const struct lc_call *c, struct lc_diag *d)
{
	int err = 0;
	if (c->year < 1900 || c->year > 2999) {
		lc_diag_add(d, NULL, 0, 0, "year", "err_call_year_between_1900_2999");
		err = LC_EINVAL;
	}
	if (!text_ok(c->title, 200)) {
		lc_diag_add(d, NULL, 0, 0, "title", "err_account_1_200_bytes_text");
		err = LC_EINVAL;
	}
	if (!date_ok(c->opens)) {
		lc_diag_add(d, NULL, 0, 0, "opens", "err_call_date_written_yyyy_mm");
		err = LC_EINVAL;
	}
	if (!date_ok(c->closes)) {
		lc_diag_add(d, NULL, 0, 0, "closes", "err_call_date_written_yyyy_mm");
		err = LC_EINVAL;
	} else if (date_ok(c->opens) && strcmp(c->closes, c->opens) < 0) {
		lc_diag_add(d, NULL, 0, 0, "closes", "err_call_come_before_opening_date");
		err = LC_EINVAL;
	}
	if (c->cap < 0 || c->cap > LC_LIMIT_CALL_CAP) {
		lc_diag_addf(d, NULL, 0, 0, "cap", "err_call_whole_number_1",
		             LC_ARG_I("limit", LC_LIMIT_CALL_CAP));
		err = LC_EINVAL;
	}
	return err;
}

int lc_call_save(struct lc_db *db, const struct lc_actor *actor, const struct lc_call *in,
                 struct lc_diag *d, int64_t *id)
{
	int err = lc_authz_check(actor, LC_ACT_MANAGE_CALLS, NULL);
	if (err)
		return err;
	err = check(in, d);
	if (err)
		return err;
	struct lc_call c = *in, old;
	if (!c.cap)
		c.cap = LC_CALL_DEFAULT_CAP;
	json_t *before = NULL, *after = NULL;
	err = lc_db_begin(db);
	if (err)
		return err;
	if (c.id) {
		err = lc_call_get(db, c.id, &old);
		if (err)
			goto out;
		before = lc_call_json(&old);
	}
	sqlite3_stmt *st =
	    lc_db_stmt(db, c.id ? "UPDATE calls SET year = ?2, title = ?3, opens = ?4, closes = ?5,"
	                          " cap = ?6, updated_at = ?7 WHERE id = ?1"
	                        : "INSERT INTO calls (year, title, opens, closes, cap, created_at,"
	                          " updated_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?7)");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	if (c.id)
		sqlite3_bind_int64(st, 1, c.id);
	sqlite3_bind_int64(st, 2, c.year);
	lc_db_bind_text(st, 3, c.title);
	lc_db_bind_text(st, 4, c.opens);
	lc_db_bind_text(st, 5, c.closes);
	sqlite3_bind_int64(st, 6, c.cap);
	sqlite3_bind_int64(st, 7, lc_clock_now());
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err == LC_ECONFLICT)
		lc_diag_add(d, NULL, 0, 0, "year", "err_call_already_has_call");
	if (err < 0)
		goto out;
	err = 0;
	if (!c.id)
		c.id = lc_db_last_id(db);
	after = lc_call_json(&c);
	err = lc_audit_append_id(db, actor, before ? "call.update" : "call.create", "call", c.id,
	                         before, after, NULL);
out:
	json_decref(before);
	json_decref(after);
	if (err) {
		lc_db_rollback(db);
		return err;
	}
	err = lc_db_commit(db);
	if (!err && id)
		*id = c.id;
	return err;
}

int lc_call_demo(struct lc_db *db)
{
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT OR IGNORE INTO calls (year, title, opens, closes,"
	                                  " cap, created_at, updated_at) VALUES (2026,"
	                                  " 'Call for applications 2026', '2026-09-01',"
	                                  " '2026-12-31', 3, ?1, ?1)");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, lc_clock_now());
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}
