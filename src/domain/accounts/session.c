/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Sessions and login (session.h). The CSRF token is BLAKE2b keyed with the
 * raw session id over a fixed label: whoever holds the cookie can compute
 * it, a page on another site cannot read either, and nothing is stored.
 */
#include "domain/accounts/session.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/account.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/platform/clock.h"
#include "domain/accounts/password.h"
#include "domain/platform/secret.h"
#include "domain/accounts/throttle.h"

static void derive_csrf(const uint8_t raw[LC_SECRET_BYTES], char out[LC_SESSION_CSRF_CHARS + 1])
{
	static const char label[] = "learncity csrf v1";
	uint8_t mac[32];
	crypto_generichash(mac, sizeof mac, (const unsigned char *)label, sizeof label - 1, raw,
	                   LC_SECRET_BYTES);
	sodium_bin2base64(out, LC_SESSION_CSRF_CHARS + 1, mac, sizeof mac,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void actor_of(struct lc_actor *a, int64_t account_id, const char *email, const char *addr)
{
	lc_actor_anonymous(a);
	a->kind = LC_ACTOR_ACCOUNT;
	a->account_id = account_id;
	snprintf(a->email, sizeof a->email, "%s", email ? email : "");
	snprintf(a->addr, sizeof a->addr, "%s", addr ? addr : "");
}

/* Inserts the session row and its audit row; inside the caller's transaction. */
static int insert(struct lc_db *db, int64_t account_id, const char *email, const char *addr,
                  const char *ua, char cookie[LC_SESSION_ID_CHARS + 1], struct lc_session *out)
{
	uint8_t hash[32], raw[LC_SECRET_BYTES];
	char clear[LC_SECRET_CHARS + 1];
	lc_secret_new(clear, hash);
	lc_secret_hash(clear, hash, raw);
	int64_t now = lc_clock_now();
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO sessions (account_id, id_hash, created_at,"
	                                  " last_seen_at, idle_expires_at, expires_at, addr,"
	                                  " user_agent) VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6,"
	                                  " substr(?7, 1, 200))");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_blob(st, 2, hash, sizeof hash, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, now + LC_LIMIT_SESSION_IDLE_S);
	sqlite3_bind_int64(st, 5, now + LC_LIMIT_SESSION_ABSOLUTE_S);
	lc_db_bind_text(st, 6, addr && addr[0] && strlen(addr) < 64 ? addr : NULL);
	lc_db_bind_text(st, 7, ua);
	int err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		return err;
	memset(out, 0, sizeof *out);
	out->id = lc_db_last_id(db);
	out->account_id = account_id;
	out->created_at = out->last_seen_at = now;
	out->idle_expires_at = now + LC_LIMIT_SESSION_IDLE_S;
	out->expires_at = now + LC_LIMIT_SESSION_ABSOLUTE_S;
	derive_csrf(raw, out->csrf);
	struct lc_actor self;
	actor_of(&self, account_id, email, addr);
	json_t *after = json_pack("{s:I}", "session", (json_int_t)out->id);
	err = lc_audit_append_id(db, &self, "session.login", "account", account_id, NULL, after,
	                         NULL);
	json_decref(after);
	if (!err)
		memcpy(cookie, clear, LC_SECRET_CHARS + 1);
	sodium_memzero(raw, sizeof raw);
	sodium_memzero(clear, sizeof clear);
	return err;
}

int lc_session_create(struct lc_db *db, int64_t account_id, const char *addr,
                      const char *user_agent, char cookie[LC_SESSION_ID_CHARS + 1],
                      struct lc_session *out)
{
	cookie[0] = '\0';
	memset(out, 0, sizeof *out);
	struct lc_account a;
	int err = lc_account_get(db, account_id, &a);
	if (err)
		return err;
	if (a.status != LC_ACCOUNT_ACTIVE)
		return LC_EAUTH;
	err = lc_db_begin(db);
	if (err)
		return err;
	err = insert(db, account_id, a.email, addr, user_agent, cookie, out);
	if (!err)
		err = lc_db_commit(db);
	if (err) {
		lc_db_rollback(db);
		cookie[0] = '\0';
	}
	return err;
}

int lc_session_login(struct lc_db *db, const struct lc_login *in, struct lc_login_result *out)
{
	memset(out, 0, sizeof *out);
	long wait = 0;
	int err = lc_throttle_wait(db, in->email, in->addr, &wait);
	if (err)
		return err;
	if (wait > 0) {
		out->retry_after = wait;
		return LC_EBUSY;
	}
	struct lc_account a;
	err = in->email ? lc_account_find(db, in->email, &a) : LC_ENOTFOUND;
	if (err && err != LC_ENOTFOUND)
		return err;
	char hash[LC_PASSWORD_HASH_BYTES] = "";
	if (!err) {
		sqlite3_stmt *st =
		    lc_db_stmt(db, "SELECT password_hash FROM accounts WHERE id = ?1");
		if (!st)
			return LC_EDB;
		sqlite3_bind_int64(st, 1, a.id);
		int rc = lc_db_step(db, st);
		if (rc == 1 && lc_db_text(st, 0))
			snprintf(hash, sizeof hash, "%s", lc_db_text(st, 0));
		lc_db_release(db, st);
		if (rc < 0)
			return rc;
	}
	bool rehash = false;
	bool ok = false;
	if (!err && hash[0] && a.status == LC_ACCOUNT_INVITED) {
		/* A sign-up awaiting its confirmation: still no, but whoever knows the password
		 * may learn why (the others learn nothing new). */
		out->unconfirmed = lc_password_verify(hash, in->password, &rehash) == 0;
	} else if (err || !hash[0] || a.status != LC_ACCOUNT_ACTIVE) {
		/* Unknown, invited or disabled: spend the same time, then say no. */
		lc_password_dummy_verify(in->password);
	} else {
		ok = lc_password_verify(hash, in->password, &rehash) == 0;
	}
	if (!ok) {
		err = lc_throttle_fail(db, in->email, in->addr);
		return err ? err : LC_EAUTH;
	}
	char newhash[LC_PASSWORD_HASH_BYTES] = "";
	if (rehash && lc_password_hash(in->password, newhash) != 0)
		newhash[0] = '\0'; /* keep the old hash; try again next login */
	err = lc_db_begin(db);
	if (err)
		return err;
	if (newhash[0]) {
		sqlite3_stmt *st =
		    lc_db_stmt(db, "UPDATE accounts SET password_hash = ?2 WHERE id = ?1");
		err = st ? 0 : LC_EDB;
		if (st) {
			sqlite3_bind_int64(st, 1, a.id);
			lc_db_bind_text(st, 2, newhash);
			err = lc_db_step(db, st);
			err = err < 0 ? err : 0;
			lc_db_release(db, st);
		}
	}
	if (!err)
		err = lc_throttle_clear(db, in->email, in->addr);
	if (!err)
		err =
		    insert(db, a.id, a.email, in->addr, in->user_agent, out->cookie, &out->session);
	if (!err)
		err = lc_db_commit(db);
	if (err) {
		lc_db_rollback(db);
		memset(out, 0, sizeof *out);
	}
	sodium_memzero(newhash, sizeof newhash);
	return err;
}

int lc_session_lookup(struct lc_db *db, const char *cookie, struct lc_session *out)
{
	memset(out, 0, sizeof *out);
	uint8_t hash[32], raw[LC_SECRET_BYTES];
	if (lc_secret_hash(cookie, hash, raw) != 0)
		return LC_EAUTH;
	int64_t now = lc_clock_now();
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT s.id, s.account_id, s.created_at, s.last_seen_at, s.idle_expires_at,"
	        " s.expires_at, a.status = 'active' FROM sessions s"
	        " JOIN accounts a ON a.id = s.account_id WHERE s.id_hash = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_TRANSIENT);
	int rc = lc_db_step(db, st);
	struct lc_session s = {0};
	bool active = false;
	if (rc == 1) {
		s.id = sqlite3_column_int64(st, 0);
		s.account_id = sqlite3_column_int64(st, 1);
		s.created_at = sqlite3_column_int64(st, 2);
		s.last_seen_at = sqlite3_column_int64(st, 3);
		s.idle_expires_at = sqlite3_column_int64(st, 4);
		s.expires_at = sqlite3_column_int64(st, 5);
		active = sqlite3_column_int(st, 6) != 0;
	}
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return LC_EAUTH;
	if (!active || now >= s.idle_expires_at || now >= s.expires_at) {
		st = lc_db_stmt(db, "DELETE FROM sessions WHERE id = ?1");
		if (!st)
			return LC_EDB;
		sqlite3_bind_int64(st, 1, s.id);
		rc = lc_db_step(db, st);
		lc_db_release(db, st);
		return rc < 0 ? rc : LC_EAUTH;
	}
	if (now - s.last_seen_at >= LC_LIMIT_SESSION_TOUCH_S) {
		s.last_seen_at = now;
		s.idle_expires_at = now + LC_LIMIT_SESSION_IDLE_S;
		st = lc_db_stmt(db, "UPDATE sessions SET last_seen_at = ?2, idle_expires_at = ?3"
		                    " WHERE id = ?1");
		if (!st)
			return LC_EDB;
		sqlite3_bind_int64(st, 1, s.id);
		sqlite3_bind_int64(st, 2, s.last_seen_at);
		sqlite3_bind_int64(st, 3, s.idle_expires_at);
		rc = lc_db_step(db, st);
		lc_db_release(db, st);
		if (rc < 0)
			return rc;
	}
	derive_csrf(raw, s.csrf);
	sodium_memzero(raw, sizeof raw);
	*out = s;
	return 0;
}

bool lc_session_csrf_ok(const struct lc_session *s, const char *token)
{
	if (!s || !token || !s->csrf[0] ||
	    strnlen(token, LC_SESSION_CSRF_CHARS + 1) != LC_SESSION_CSRF_CHARS)
		return false;
	return sodium_memcmp(s->csrf, token, LC_SESSION_CSRF_CHARS) == 0;
}

int lc_session_logout(struct lc_db *db, const char *cookie)
{
	uint8_t hash[32];
	if (lc_secret_hash(cookie, hash, NULL) != 0)
		return 0;
	int err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(db, "DELETE FROM sessions WHERE id_hash = ?1"
	                                  " RETURNING id, account_id,"
	                                  " (SELECT email FROM accounts WHERE id = account_id)");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_TRANSIENT);
	int rc = lc_db_step(db, st);
	int64_t sid = 0, aid = 0;
	char email[LC_LIMIT_EMAIL_BYTES + 1] = "";
	if (rc == 1) {
		sid = sqlite3_column_int64(st, 0);
		aid = sqlite3_column_int64(st, 1);
		snprintf(email, sizeof email, "%s", lc_db_text(st, 2) ? lc_db_text(st, 2) : "");
		rc = lc_db_step(db, st); /* a RETURNING statement runs to its end */
	}
	lc_db_release(db, st);
	err = rc < 0 ? rc : 0;
	if (!err && sid) {
		struct lc_actor self;
		actor_of(&self, aid, email, NULL);
		json_t *before = json_pack("{s:I}", "session", (json_int_t)sid);
		err = lc_audit_append_id(db, &self, "session.logout", "account", aid, before, NULL,
		                         NULL);
		json_decref(before);
	}
out:
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

int lc_session_logout_all(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                          int64_t keep_session_id, int *ended)
{
	if (ended)
		*ended = 0;
	struct lc_authz_object obj = {.account_id = account_id};
	int err = lc_authz_check(actor, LC_ACT_EDIT_OWN_ACCOUNT, &obj);
	if (err)
		return err;
	err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "DELETE FROM sessions WHERE account_id = ?1 AND id <> ?2");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, keep_session_id);
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto out;
	int n = lc_db_changes(db);
	json_t *after = json_pack("{s:i,s:b}", "ended", n, "kept_current", keep_session_id != 0);
	err = lc_audit_append_id(db, actor, "session.logout_all", "account", account_id, NULL,
	                         after, NULL);
	json_decref(after);
	if (!err && ended)
		*ended = n;
out:
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

int lc_session_purge(struct lc_db *db)
{
	sqlite3_stmt *st =
	    lc_db_stmt(db, "DELETE FROM sessions WHERE idle_expires_at <= ?1 OR expires_at <= ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, lc_clock_now());
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}
