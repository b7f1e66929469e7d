/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Personal access tokens (token.h). */
#include "domain/accounts/token.h"

#include <string.h>

#include "base/error.h"
#include "base/limits.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/platform/clock.h"
#include "domain/platform/row.h"
#include "domain/platform/secret.h"

#define ISO(col) "strftime('%Y-%m-%dT%H:%M:%SZ', " col ", 'unixepoch')"

static bool name_ok(const char *s)
{
	size_t n = s ? strnlen(s, LC_LIMIT_NAME_BYTES + 1) : 0;
	if (n == 0 || n > LC_LIMIT_NAME_BYTES || !lc_utf8_valid(s, n))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static int own(const struct lc_actor *actor, int64_t account_id)
{
	struct lc_authz_object obj = {.account_id = account_id};
	return lc_authz_check(actor, LC_ACT_MANAGE_OWN_TOKENS, &obj);
}

int lc_token_create(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                    const char *name, long days, char clear[LC_TOKEN_CHARS + 1], int64_t *id)
{
	clear[0] = '\0';
	int err = own(actor, account_id);
	if (err)
		return err;
	/* Only a session mints tokens: a token minting its successor would let a stolen
	 * one live on past its own expiry and revocation. */
	if (actor->via_token)
		return LC_EPERM;
	if (days == 0)
		days = LC_LIMIT_TOKEN_DEFAULT_DAYS;
	if (!name_ok(name) || days < 1 || days > LC_LIMIT_TOKEN_MAX_DAYS)
		return LC_EINVAL;
	int64_t now = lc_clock_now();
	err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT count(*) FROM access_tokens WHERE account_id = ?1"
	                                  " AND revoked_at IS NULL AND expires_at > ?2");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, now);
	err = lc_db_step(db, st);
	long live = err == 1 ? (long)sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (err < 0)
		goto out;
	err = live >= LC_LIMIT_TOKENS_PER_ACCOUNT ? LC_ELIMIT : 0;
	if (err)
		goto out;
	char secret[LC_SECRET_CHARS + 1];
	uint8_t hash[32];
	lc_secret_new(secret, hash);
	char prefix[9];
	memcpy(prefix, secret, 8);
	prefix[8] = '\0';
	st = lc_db_stmt(db, "INSERT INTO access_tokens (account_id, name, token_hash, prefix,"
	                    " created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, account_id);
	lc_db_bind_text(st, 2, name);
	sqlite3_bind_blob(st, 3, hash, sizeof hash, SQLITE_TRANSIENT);
	lc_db_bind_text(st, 4, prefix);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_int64(st, 6, now + (int64_t)days * 86400);
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto out; /* an existing account is checked by the foreign key */
	int64_t tid = lc_db_last_id(db);
	json_t *after = json_pack("{s:s,s:s,s:I,s:I}", "name", name, "prefix", prefix, "account_id",
	                          (json_int_t)account_id, "days", (json_int_t)days);
	err = lc_audit_append_id(db, actor, "token.create", "token", tid, NULL, after, NULL);
	json_decref(after);
	if (!err)
		err = lc_db_commit(db);
	if (!err) {
		memcpy(clear, LC_TOKEN_PREFIX, 4);
		memcpy(clear + 4, secret, LC_SECRET_CHARS + 1);
		if (id)
			*id = tid;
	}
out:
	if (err) {
		lc_db_rollback(db);
		if (err == LC_ECONFLICT)
			err = LC_ENOTFOUND;
	}
	return err;
}

int lc_token_list(struct lc_db *db, const struct lc_actor *actor, int64_t account_id, json_t **out)
{
	*out = NULL;
	int err = own(actor, account_id);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(
	    db,
	    "SELECT id, name, prefix, " ISO("created_at") ", " ISO("expires_at") ", " ISO(
	        "last_used_at") ", " ISO("revoked_at") ","
	                                               " CASE WHEN revoked_at IS NOT NULL THEN "
	                                               "'revoked'"
	                                               " WHEN expires_at <= ?2 THEN 'expired' ELSE "
	                                               "'active' END"
	                                               " FROM access_tokens WHERE account_id = ?1"
	                                               " ORDER BY created_at DESC, id DESC");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, lc_clock_now());
	json_t *a = json_array();
	int rc;
	static const char *const keys[] = {"id",         "name",         "prefix",     "created_at",
	                                   "expires_at", "last_used_at", "revoked_at", "state"};
	while ((rc = lc_db_step(db, st)) == 1) {
		json_t *o = json_object();
		json_object_set_new(o, keys[0], lc_row_int(st, 0));
		for (int i = 1; i < 8; i++)
			json_object_set_new(o, keys[i], lc_row_str(st, i));
		json_array_append_new(a, o);
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

int lc_token_revoke(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                    int64_t token_id)
{
	int err = own(actor, account_id);
	if (err)
		return err;
	err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "UPDATE access_tokens SET revoked_at = ?3"
	                   " WHERE id = ?1 AND account_id = ?2 AND revoked_at IS NULL");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, token_id);
	sqlite3_bind_int64(st, 2, account_id);
	sqlite3_bind_int64(st, 3, lc_clock_now());
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto out;
	err = lc_db_changes(db) == 1 ? 0 : LC_ENOTFOUND;
	if (!err) {
		json_t *after =
		    json_pack("{s:I,s:b}", "account_id", (json_int_t)account_id, "revoked", 1);
		err = lc_audit_append_id(db, actor, "token.revoke", "token", token_id, NULL, after,
		                         NULL);
		json_decref(after);
	}
	if (!err)
		err = lc_db_commit(db);
out:
	if (err)
		lc_db_rollback(db);
	return err;
}

int lc_token_verify(struct lc_db *db, const char *bearer, int64_t *account_id, int64_t *token_id)
{
	*account_id = 0;
	if (token_id)
		*token_id = 0;
	if (!bearer || strnlen(bearer, LC_TOKEN_CHARS + 1) != LC_TOKEN_CHARS ||
	    memcmp(bearer, LC_TOKEN_PREFIX, 4) != 0)
		return LC_EAUTH;
	uint8_t hash[32];
	if (lc_secret_hash(bearer + 4, hash, NULL) != 0)
		return LC_EAUTH;
	int64_t now = lc_clock_now();
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT t.id, t.account_id, coalesce(t.last_used_at, 0) FROM access_tokens t"
	        " JOIN accounts a ON a.id = t.account_id"
	        " WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND t.expires_at > ?2"
	        " AND a.status = 'active'");
	if (!st)
		return LC_EDB;
	sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, now);
	int rc = lc_db_step(db, st);
	int64_t tid = 0, aid = 0, last = 0;
	if (rc == 1) {
		tid = sqlite3_column_int64(st, 0);
		aid = sqlite3_column_int64(st, 1);
		last = sqlite3_column_int64(st, 2);
	}
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return LC_EAUTH;
	if (now - last >= LC_LIMIT_SESSION_TOUCH_S) {
		st = lc_db_stmt(db, "UPDATE access_tokens SET last_used_at = ?2 WHERE id = ?1");
		if (!st)
			return LC_EDB;
		sqlite3_bind_int64(st, 1, tid);
		sqlite3_bind_int64(st, 2, now);
		rc = lc_db_step(db, st);
		lc_db_release(db, st);
		if (rc < 0)
			return rc;
	}
	*account_id = aid;
	if (token_id)
		*token_id = tid;
	return 0;
}
