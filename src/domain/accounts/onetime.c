/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Single-use expiring tokens (onetime.h). */
#include "domain/accounts/onetime.h"

#include "base/error.h"
#include "db/db.h"
#include "domain/platform/clock.h"
#include "domain/platform/secret.h"

static const char *purpose_name(enum lc_onetime_purpose p)
{
	return p == LC_ONETIME_INVITE ? "invite" : "reset";
}

int lc_onetime_create(struct lc_db *db, int64_t account_id, enum lc_onetime_purpose purpose,
                      long ttl_s, char clear[LC_ONETIME_CHARS + 1])
{
	clear[0] = '\0';
	if (ttl_s <= 0)
		return LC_EINVAL;
	int64_t now = lc_clock_now();
	/* Only the latest link works: earlier unused ones of the same purpose are voided. */
	sqlite3_stmt *st = lc_db_stmt(db, "UPDATE onetime_tokens SET used_at = ?3"
	                                  " WHERE account_id = ?1 AND purpose = ?2"
	                                  " AND used_at IS NULL");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, account_id);
	lc_db_bind_text(st, 2, purpose_name(purpose));
	sqlite3_bind_int64(st, 3, now);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	uint8_t hash[32];
	char tmp[LC_SECRET_CHARS + 1];
	lc_secret_new(tmp, hash);
	st = lc_db_stmt(db, "INSERT INTO onetime_tokens (account_id, purpose, token_hash,"
	                    " created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, account_id);
	lc_db_bind_text(st, 2, purpose_name(purpose));
	sqlite3_bind_blob(st, 3, hash, sizeof hash, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, now + ttl_s);
	rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	for (int i = 0; i <= LC_SECRET_CHARS; i++)
		clear[i] = tmp[i];
	return 0;
}

static int find(struct lc_db *db, const char *clear, enum lc_onetime_purpose purpose,
                int64_t *account_id, int64_t *row)
{
	*account_id = 0;
	uint8_t hash[32];
	if (lc_secret_hash(clear, hash, NULL) != 0)
		return LC_EAUTH;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id, account_id FROM onetime_tokens"
	                                  " WHERE token_hash = ?1 AND purpose = ?2"
	                                  " AND used_at IS NULL AND expires_at > ?3");
	if (!st)
		return LC_EDB;
	sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_TRANSIENT);
	lc_db_bind_text(st, 2, purpose_name(purpose));
	sqlite3_bind_int64(st, 3, lc_clock_now());
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		*row = sqlite3_column_int64(st, 0);
		*account_id = sqlite3_column_int64(st, 1);
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_EAUTH : 0;
}

int lc_onetime_peek(struct lc_db *db, const char *clear, enum lc_onetime_purpose purpose,
                    int64_t *account_id)
{
	int64_t row;
	return find(db, clear, purpose, account_id, &row);
}

int lc_onetime_consume(struct lc_db *db, const char *clear, enum lc_onetime_purpose purpose,
                       int64_t *account_id)
{
	int64_t row = 0;
	int err = find(db, clear, purpose, account_id, &row);
	if (err)
		return err;
	/* "used_at IS NULL" again: of two concurrent uses only one changes the row. */
	sqlite3_stmt *st = lc_db_stmt(db, "UPDATE onetime_tokens SET used_at = ?2"
	                                  " WHERE id = ?1 AND used_at IS NULL");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, row);
	sqlite3_bind_int64(st, 2, lc_clock_now());
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (lc_db_changes(db) != 1) {
		*account_id = 0;
		return LC_EAUTH;
	}
	return 0;
}

int lc_onetime_void(struct lc_db *db, int64_t account_id)
{
	sqlite3_stmt *st = lc_db_stmt(db, "UPDATE onetime_tokens SET used_at = ?2"
	                                  " WHERE account_id = ?1 AND used_at IS NULL");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, lc_clock_now());
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}
