/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Failed-login throttling (throttle.h). The wait is computed from the
 * failures inside the window: with n allowed, the (n)-th most recent failure
 * must leave the window before another attempt, so the wait is that
 * failure's time plus the window minus now. Each failure is one row per
 * count it belongs to (account, pair, address).
 */
#include "domain/accounts/throttle.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/platform/clock.h"

/*
 * The key of an e-mail address: trimmed of blanks and lower-cased (ASCII), which for
 * every address lc_account_email_normalise accepts is its normalised form, so that
 * the counts need no account (this module sits below domain/accounts/account).
 */
static void email_key(const char *email, char *out, size_t n)
{
	out[0] = '\0';
	if (!email)
		return;
	size_t len = strnlen(email, LC_LIMIT_EMAIL_BYTES + 1);
	while (len && (email[0] == ' ' || email[0] == '\t'))
		email++, len--;
	while (len && (email[len - 1] == ' ' || email[len - 1] == '\t'))
		len--;
	size_t i = 0;
	for (; i < len && i + 1 < n; i++) {
		char c = email[i];
		out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	out[i] = '\0';
}

static int wait_for(struct lc_db *db, const char *kind, const char *key, long limit, int64_t now,
                    long *wait_s)
{
	if (!key || !key[0])
		return 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT at FROM login_failures"
	                                  " WHERE kind = ?1 AND key = ?2 AND at > ?3"
	                                  " ORDER BY at DESC LIMIT 1 OFFSET ?4");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, kind);
	lc_db_bind_text(st, 2, key);
	sqlite3_bind_int64(st, 3, now - LC_LIMIT_THROTTLE_WINDOW_S);
	sqlite3_bind_int64(st, 4, limit - 1);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		long w = (long)(sqlite3_column_int64(st, 0) + LC_LIMIT_THROTTLE_WINDOW_S - now);
		if (w < 1)
			w = 1;
		if (w > *wait_s)
			*wait_s = w;
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* Bytes of a pair's key: "pair " + e-mail + " " + address (addresses over 63 bytes are
 * not counted). */
#define PAIR_KEY_BYTES (5 + LC_LIMIT_EMAIL_BYTES + 1 + 64)

/* The key of the pair (account, address), or "" when either is unknown. */
static void pair_key(const char *key, const char *addr, char *out, size_t n)
{
	out[0] = '\0';
	if (key[0] && addr && addr[0] && strlen(addr) < 64)
		snprintf(out, n, "pair %s %s", key, addr);
}

int lc_throttle_wait(struct lc_db *db, const char *email, const char *addr, long *wait_s)
{
	*wait_s = 0;
	char key[LC_LIMIT_EMAIL_BYTES + 1], pair[PAIR_KEY_BYTES];
	email_key(email, key, sizeof key);
	pair_key(key, addr, pair, sizeof pair);
	int64_t now = lc_clock_now();
	int err = wait_for(db, "account", key, LC_LIMIT_THROTTLE_ACCOUNT, now, wait_s);
	if (!err)
		err = wait_for(db, "addr", pair, LC_LIMIT_THROTTLE_PAIR, now, wait_s);
	if (!err)
		err = wait_for(db, "addr", addr, LC_LIMIT_THROTTLE_ADDR, now, wait_s);
	return err;
}

static int record(struct lc_db *db, const char *kind, const char *key, int64_t now)
{
	if (!key || !key[0])
		return 0;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "INSERT INTO login_failures (kind, key, at) VALUES (?1, ?2, ?3)");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, kind);
	lc_db_bind_text(st, 2, key);
	sqlite3_bind_int64(st, 3, now);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_throttle_fail(struct lc_db *db, const char *email, const char *addr)
{
	char key[LC_LIMIT_EMAIL_BYTES + 1], pair[PAIR_KEY_BYTES];
	email_key(email, key, sizeof key);
	pair_key(key, addr, pair, sizeof pair);
	int64_t now = lc_clock_now();
	int err = lc_db_begin(db);
	if (err)
		return err;
	err = record(db, "account", key, now);
	if (!err)
		err = record(db, "addr", pair, now);
	if (!err)
		err = record(db, "addr", addr && strlen(addr) < 64 ? addr : NULL, now);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

int lc_throttle_clear(struct lc_db *db, const char *email, const char *addr)
{
	char key[LC_LIMIT_EMAIL_BYTES + 1], pair[PAIR_KEY_BYTES];
	email_key(email, key, sizeof key);
	if (!key[0])
		return 0;
	/* NULL addr: every pair of the account, by the prefix "pair <e-mail> " (a normalised
	 * address holds no space). */
	if (addr)
		pair_key(key, addr, pair, sizeof pair);
	else
		snprintf(pair, sizeof pair, "pair %s ", key);
	sqlite3_stmt *st =
	    lc_db_stmt(db, "DELETE FROM login_failures WHERE (kind = 'account' AND key = ?1)"
	                   " OR (kind = 'addr' AND ?3 AND key = ?2)"
	                   " OR (kind = 'addr' AND NOT ?3 AND substr(key, 1, length(?2)) = ?2)");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, key);
	lc_db_bind_text(st, 2, pair);
	sqlite3_bind_int(st, 3, addr != NULL);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_throttle_purge(struct lc_db *db)
{
	sqlite3_stmt *st = lc_db_stmt(db, "DELETE FROM login_failures WHERE at <= ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, lc_clock_now() - LC_LIMIT_THROTTLE_WINDOW_S);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}
