/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Accounts (account.h). Password hashing is slow by design, so every
 * function hashes BEFORE it opens its transaction: the write lock is never
 * held during a hash. Reading accounts is account_read.c.
 */
#include "domain/accounts/account.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/slice.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/platform/clock.h"
#include "domain/accounts/onetime.h"
#include "domain/platform/outbox.h"
#include "domain/accounts/password.h"
#include "domain/accounts/role.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"
#include "domain/accounts/throttle.h"
#include "mail/address.h"
#include "domain/accounts/account_internal.h"

static const char *const status_names[] = {"invited", "active", "disabled"};

const char *lc_account_status_name(enum lc_account_status s)
{
	return (unsigned)s <= LC_ACCOUNT_DISABLED ? status_names[s] : "invited";
}

int lc_account_status_parse(const char *s, enum lc_account_status *out)
{
	long i = lc_str_index(status_names, 3, s);
	if (i < 0)
		return LC_EINVAL;
	*out = (enum lc_account_status)i;
	return 0;
}

/* ---- e-mail addresses ---------------------------------------------------- */

int lc_account_email_normalise(const char *in, size_t len, char *out, size_t n)
{
	return lc_address_normalise(in, len, out, n);
}

/* ---- helpers ------------------------------------------------------------- */

static bool name_ok(const char *s)
{
	size_t n = s ? strnlen(s, LC_LIMIT_NAME_BYTES + 1) : 0;
	if (n == 0 || n > LC_LIMIT_NAME_BYTES || !lc_utf8_valid(s, n))
		return false;
	bool visible = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return false;
		visible = visible || c != ' ';
	}
	return visible;
}

/* {"email", "name", "lang", "status"}: what an audit row shows of an account. */
static int snapshot(struct lc_db *db, int64_t id, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT email, name, lang, status FROM accounts WHERE id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*out = json_pack("{s:o,s:o,s:o,s:o}", "email", lc_row_str(st, 0), "name",
		                 lc_row_str(st, 1), "lang", lc_row_str(st, 2), "status",
		                 lc_row_str(st, 3));
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

static int exec_id(struct lc_db *db, const char *sql, int64_t id)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, lc_clock_now());
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* Ends sessions and tokens of an account (disable); within the caller's transaction. */
static int end_access(struct lc_db *db, int64_t id, bool tokens)
{
	int err = exec_id(db, "DELETE FROM sessions WHERE account_id = ?1 AND ?2 = ?2", id);
	if (!err && tokens)
		err = exec_id(db,
		              "UPDATE access_tokens SET revoked_at = ?2"
		              " WHERE account_id = ?1 AND revoked_at IS NULL",
		              id);
	if (!err)
		err = lc_onetime_void(db, id);
	return err;
}

static int check_new(struct lc_db *db, const struct lc_account_new *in, struct lc_diag *d,
                     char *norm, char *hash)
{
	int err = 0;
	if (!in->email || lc_account_email_normalise(in->email, strlen(in->email), norm,
	                                             LC_LIMIT_EMAIL_BYTES + 1) != 0) {
		lc_diag_add(d, NULL, 0, 0, "email", "err_account_valid_e_mail_address");
		err = LC_EINVAL;
	}
	if (!name_ok(in->name)) {
		lc_diag_add(d, NULL, 0, 0, "name", "err_account_1_200_bytes_text");
		err = LC_EINVAL;
	}
	if (in->lang && !lc_text_lang_ok(in->lang)) {
		lc_diag_add(d, NULL, 0, 0, "lang", "err_account_language_code");
		err = LC_EINVAL;
	}
	if (in->password) {
		const char *why = NULL;
		if (lc_password_check(in->password, norm, &why) != 0) {
			lc_diag_add(d, NULL, 0, 0, "password", why);
			err = LC_EINVAL;
		}
	}
	if (!err && in->password)
		err = lc_password_hash(in->password, hash);
	(void)db;
	return err;
}

/* Inserts the account and its roles with their audit rows; inside a transaction. */
static int insert(struct lc_db *db, const struct lc_actor *actor, const struct lc_account_new *in,
                  const char *norm, const char *hash, struct lc_diag *d, int64_t *id)
{
	int64_t now = lc_clock_now();
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO accounts (email, email_norm, name, lang,"
	                                  " status, password_hash, created_at, updated_at)"
	                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)");
	if (!st)
		return LC_EDB;
	char email[LC_LIMIT_EMAIL_BYTES + 1];
	/* The address as typed, without the surrounding blanks the normalised copy dropped. */
	const char *e = in->email;
	while (*e == ' ' || *e == '\t')
		e++;
	snprintf(email, sizeof email, "%.*s", (int)strlen(norm), e);
	lc_db_bind_text(st, 1, email);
	lc_db_bind_text(st, 2, norm);
	lc_db_bind_text(st, 3, in->name);
	lc_db_bind_text(st, 4, in->lang ? in->lang : "en");
	lc_db_bind_text(st, 5, hash ? "active" : "invited");
	lc_db_bind_text(st, 6, hash);
	sqlite3_bind_int64(st, 7, now);
	int err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err == LC_ECONFLICT) {
		lc_diag_add(d, NULL, 0, 0, "email", "err_account_already_has_account");
		return LC_ECONFLICT;
	}
	if (err < 0)
		return err;
	*id = lc_db_last_id(db);
	json_t *after = NULL;
	err = snapshot(db, *id, &after);
	if (!err)
		err = lc_audit_append_id(db, actor, "account.create", "account", *id, NULL, after,
		                         NULL);
	json_decref(after);
	for (size_t i = 0; !err && i < in->nroles; i++) {
		err = lc_role_grant(db, actor, *id, &in->roles[i]);
		if (err == LC_ENOTFOUND || err == LC_EINVAL)
			lc_diag_addf(d, NULL, 0, 0, "role", "err_account_role_names_nothing_exists",
			             LC_ARG_I("index", i + 1));
	}
	return err;
}

int lc_account_create(struct lc_db *db, const struct lc_actor *actor,
                      const struct lc_account_new *in, struct lc_diag *d, int64_t *id)
{
	*id = 0;
	int err = lc_authz_check(actor, LC_ACT_MANAGE_USERS, NULL);
	if (err)
		return err;
	char norm[LC_LIMIT_EMAIL_BYTES + 1], hash[LC_PASSWORD_HASH_BYTES] = "";
	err = check_new(db, in, d, norm, hash);
	if (err)
		return err;
	err = lc_db_begin(db);
	if (err)
		return err;
	int64_t nid = 0;
	err = insert(db, actor, in, norm, in->password ? hash : NULL, d, &nid);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	else
		*id = nid;
	sodium_memzero(hash, sizeof hash);
	return err;
}

static bool base_url_ok(const char *u)
{
	size_t n = u ? strnlen(u, 201) : 0;
	if (n == 0 || n > 200 || u[n - 1] == '/')
		return false;
	if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)u[i] <= 0x20 || u[i] == 0x7f || u[i] == '"' || u[i] == '<' ||
		    u[i] == '>')
			return false;
	return true;
}

enum link_kind { LINK_INVITE, LINK_RESET, LINK_SIGNUP };

/* Makes a one-time token and queues its message; inside a transaction. */
static int send_link(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                     enum link_kind kind, const char *base_url, const char *to, const char *name)
{
	char token[LC_ONETIME_CHARS + 1];
	/* A sign-up confirmation is an invitation the person asked for themself: same
	 * purpose (the account is invited until it is confirmed), shorter life. */
	enum lc_onetime_purpose purpose = kind == LINK_RESET ? LC_ONETIME_RESET : LC_ONETIME_INVITE;
	long ttl = kind == LINK_INVITE  ? LC_LIMIT_INVITE_TTL_S
	           : kind == LINK_RESET ? LC_LIMIT_RESET_TTL_S
	                                : LC_LIMIT_SIGNUP_TTL_S;
	int err = lc_onetime_create(db, id, purpose, ttl, token);
	if (err)
		return err;
	static const char *const kinds[] = {"invite", "reset", "signup"};
	static const char *const paths[] = {"/invitations", "/password/reset", "/signup/verify"};
	char link[512];
	snprintf(link, sizeof link, "%s%s?token=" LC_OUTBOX_SECRET, base_url, paths[kind]);
	json_t *vars = json_pack("{s:s,s:s}", "name", name, "link", link);
	err = lc_outbox_mail(db, actor, to, kinds[kind], vars, token, NULL);
	json_decref(vars);
	sodium_memzero(token, sizeof token);
	return err;
}

/* Whether an account has a password hash (an invited one with a hash awaits the
 * confirmation of its sign-up). 1 yes, 0 no, < 0 error. */
static int has_hash(struct lc_db *db, int64_t id)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT password_hash IS NOT NULL FROM accounts"
	                                  " WHERE id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	int yes = rc == 1 ? sqlite3_column_int(st, 0) : 0;
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : yes;
}

/*
 * Tells the owner of an account that someone tried to sign up with its address,
 * at most LC_LIMIT_SIGNUPS_PER_HOUR times an hour (no mail bombing); to is its
 * normalised address, as the outbox stores it. Within the caller's transaction.
 * The visitor is never told.
 */
static int tell_owner(struct lc_db *db, const struct lc_actor *actor, const struct lc_account *a,
                      const char *to, const char *base_url)
{
	long recent = 0;
	int err = lc_outbox_count_since(db, to, "signup_taken", lc_clock_now() - 3600, &recent);
	if (err || recent >= LC_LIMIT_SIGNUPS_PER_HOUR)
		return err;
	char login[256], forgot[256];
	snprintf(login, sizeof login, "%s/login", base_url);
	snprintf(forgot, sizeof forgot, "%s/password/forgot", base_url);
	json_t *vars =
	    json_pack("{s:s,s:s,s:s}", "name", a->name, "login", login, "forgot", forgot);
	err = lc_outbox_mail(db, actor, to, "signup_taken", vars, NULL, NULL);
	json_decref(vars);
	return err;
}

/* Confirmation links made for an account in the last hour (mail-bombing cap). */
static int recent_links(struct lc_db *db, int64_t id, const char *purpose, long *n)
{
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT count(*) FROM onetime_tokens WHERE account_id = ?1"
	                   " AND purpose = ?3 AND created_at > ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, lc_clock_now() - 3600);
	lc_db_bind_text(st, 3, purpose);
	int rc = lc_db_step(db, st);
	*n = rc == 1 ? (long)sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_account_signup(struct lc_db *db, const struct lc_actor *actor,
                      const struct lc_account_new *in, const char *addr, const char *base_url,
                      struct lc_diag *d, int64_t *id, long *wait_s)
{
	*id = 0;
	long wait = 0;
	if (wait_s)
		*wait_s = 0;
	if (in->nroles || !in->password || !base_url_ok(base_url)) {
		if (!in->password)
			lc_diag_add(d, NULL, 0, 0, "password", "err_account_required");
		return LC_EINVAL;
	}
	/* Sign-ups are counted apart from failed logins (a key of their own), so that
	 * people signing up behind one address never lock each other out of logging in. */
	char key[96] = "";
	if (addr && *addr)
		snprintf(key, sizeof key, "signup %.80s", addr);
	int err = lc_throttle_wait(db, NULL, key, &wait);
	if (wait_s)
		*wait_s = wait;
	if (err)
		return err;
	if (wait > 0)
		return LC_EBUSY;
	/* Every attempt counts, so that addresses cannot be probed or accounts mass-made. */
	err = lc_throttle_fail(db, NULL, key);
	if (err)
		return err;
	char norm[LC_LIMIT_EMAIL_BYTES + 1], hash[LC_PASSWORD_HASH_BYTES] = "";
	err = check_new(db, in, d, norm, hash);
	if (err)
		goto wipe;
	err = lc_db_begin(db);
	if (err)
		goto wipe;
	int64_t nid = 0;
	struct lc_account old;
	err = lc_account_find(db, norm, &old);
	if (err == LC_ENOTFOUND) {
		/* Stored as invited, with its password, until the address is confirmed.
		 * insert() uses the actor only for the audit row: the visitor, with its address. */
		err = insert(db, actor, in, norm, NULL, d, &nid);
	} else if (!err) {
		/* Only a sign-up still awaiting its confirmation is signed up again (a new
		 * link, the latest password): an invitation an administrator sent stays theirs. */
		int h = old.status == LC_ACCOUNT_INVITED ? has_hash(db, old.id) : 0;
		if (h < 0) {
			err = h;
		} else if (h == 0) {
			/* The address has an account: the visitor sees the same answer as for a new
			 * one (no probing for who has an account here), and the owner is told. */
			err = tell_owner(db, actor, &old, norm, base_url);
			if (!err)
				err = lc_db_commit(db);
			if (err)
				lc_db_rollback(db);
			goto wipe;
		} else {
			nid = old.id;
		}
	}
	long recent = 0;
	if (!err)
		err = recent_links(db, nid, "invite", &recent);
	if (!err && recent >= LC_LIMIT_SIGNUPS_PER_HOUR) {
		/* Enough links this hour: the person finds one in the mailbox. */
		err = lc_db_commit(db);
		if (err)
			lc_db_rollback(db);
		else
			*id = nid;
		goto wipe;
	}
	if (!err) {
		sqlite3_stmt *st =
		    lc_db_stmt(db, "UPDATE accounts SET password_hash = ?2, name = ?3,"
		                   " lang = ?4, updated_at = ?5 WHERE id = ?1");
		err = st ? 0 : LC_EDB;
		if (st) {
			sqlite3_bind_int64(st, 1, nid);
			lc_db_bind_text(st, 2, hash);
			lc_db_bind_text(st, 3, in->name);
			lc_db_bind_text(st, 4, in->lang ? in->lang : "en");
			sqlite3_bind_int64(st, 5, lc_clock_now());
			err = lc_db_step(db, st);
			err = err < 0 ? err : 0;
			lc_db_release(db, st);
		}
	}
	if (!err)
		err = lc_audit_append_id(db, actor, "account.signup", "account", nid, NULL, NULL,
		                         NULL);
	if (!err)
		err = send_link(db, actor, nid, LINK_SIGNUP, base_url, norm, in->name);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	else
		*id = nid;
wipe:
	sodium_memzero(hash, sizeof hash);
	return err;
}

int lc_account_invite(struct lc_db *db, const struct lc_actor *actor,
                      const struct lc_account_new *in, const char *base_url, struct lc_diag *d,
                      int64_t *id)
{
	if (id)
		*id = 0;
	int err = lc_authz_check(actor, LC_ACT_INVITE, NULL);
	if (err)
		return err;
	if (!base_url_ok(base_url))
		return LC_EINVAL;
	struct lc_account_new plain = *in;
	plain.password = NULL;
	char norm[LC_LIMIT_EMAIL_BYTES + 1], hash[LC_PASSWORD_HASH_BYTES];
	err = check_new(db, &plain, d, norm, hash);
	if (err)
		return err;
	err = lc_db_begin(db);
	if (err)
		return err;
	struct lc_account old;
	int64_t aid = 0;
	err = lc_account_find(db, norm, &old);
	if (err == 0 && old.status != LC_ACCOUNT_INVITED) {
		lc_diag_add(d, NULL, 0, 0, "email", "err_account_already_has_account");
		err = LC_ECONFLICT;
	} else if (err == 0) {
		aid = old.id; /* invited again: a new link replaces the old one */
		for (size_t i = 0; !err && i < in->nroles; i++)
			err = lc_role_grant(db, actor, aid, &in->roles[i]);
	} else if (err == LC_ENOTFOUND) {
		err = insert(db, actor, &plain, norm, NULL, d, &aid);
	}
	if (!err)
		err = lc_audit_append_id(db, actor, "account.invite", "account", aid, NULL, NULL,
		                         NULL);
	if (!err)
		err = send_link(db, actor, aid, LINK_INVITE, base_url, norm, in->name);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	else if (id)
		*id = aid;
	return err;
}

/* Checks and hashes a new password for an account (before any transaction). */
static int prepare_password(struct lc_db *db, int64_t id, const char *password, struct lc_diag *d,
                            char hash[LC_PASSWORD_HASH_BYTES])
{
	struct lc_account a;
	int err = lc_account_get(db, id, &a);
	if (err)
		return err;
	char norm[LC_LIMIT_EMAIL_BYTES + 1];
	lc_account_email_normalise(a.email, strlen(a.email), norm, sizeof norm);
	const char *why = NULL;
	if (lc_password_check(password, norm, &why) != 0) {
		lc_diag_add(d, NULL, 0, 0, "password", why);
		return LC_EINVAL;
	}
	return lc_password_hash(password, hash);
}

/* Stores a hash, activating an invited account; audit row by actor. In a transaction. */
static int store_password(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                          const char *hash, const char *action)
{
	json_t *before = NULL, *after = NULL;
	int err = snapshot(db, id, &before);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(db, "UPDATE accounts SET password_hash = ?2, updated_at = ?3,"
	                                  " status = CASE status WHEN 'invited' THEN 'active'"
	                                  " ELSE status END WHERE id = ?1");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, hash);
	sqlite3_bind_int64(st, 3, lc_clock_now());
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto out;
	/* A new password ends every personal access token too: a token taken with the old
	 * password must not outlive it. The audit row counts them. */
	err = exec_id(db,
	              "UPDATE access_tokens SET revoked_at = ?2"
	              " WHERE account_id = ?1 AND revoked_at IS NULL",
	              id);
	if (err)
		goto out;
	int revoked = lc_db_changes(db);
	err = snapshot(db, id, &after);
	if (!err) {
		/* The snapshots never hold the hash: say only that it changed. */
		json_object_set_new(after, "password", json_string("(changed)"));
		json_object_set_new(after, "tokens_revoked", json_integer(revoked));
		err = lc_audit_append_id(db, actor, action, "account", id, before, after, NULL);
	}
out:
	json_decref(before);
	json_decref(after);
	return err;
}

static int redeem(struct lc_db *db, const char *token, enum lc_onetime_purpose purpose,
                  const char *password, struct lc_diag *d, int64_t *account_id)
{
	*account_id = 0;
	int64_t id = 0;
	int err = lc_onetime_peek(db, token, purpose, &id);
	if (err)
		return err;
	char hash[LC_PASSWORD_HASH_BYTES];
	err = prepare_password(db, id, password, d, hash);
	if (err)
		return err;
	err = lc_db_begin(db);
	if (err)
		return err;
	int64_t again = 0;
	err = lc_onetime_consume(db, token, purpose, &again);
	if (!err && again != id)
		err = LC_EAUTH;
	struct lc_account a;
	if (!err)
		err = lc_account_get(db, id, &a);
	if (!err && (purpose == LC_ONETIME_INVITE ? a.status != LC_ACCOUNT_INVITED
	                                          : a.status != LC_ACCOUNT_ACTIVE))
		err = LC_EAUTH;
	/* The person acts on its own account: the audit row names them. */
	struct lc_actor self;
	lc_actor_anonymous(&self);
	if (!err) {
		self.kind = LC_ACTOR_ACCOUNT;
		self.account_id = id;
		snprintf(self.email, sizeof self.email, "%s", a.email);
		err = store_password(db, &self, id, hash,
		                     purpose == LC_ONETIME_INVITE ? "account.activate"
		                                                  : "account.reset_password");
	}
	if (!err && purpose == LC_ONETIME_RESET)
		err = exec_id(db, "DELETE FROM sessions WHERE account_id = ?1 AND ?2 = ?2", id);
	if (!err && purpose == LC_ONETIME_RESET)
		err = lc_throttle_clear(db, a.email, NULL);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	else
		*account_id = id;
	sodium_memzero(hash, sizeof hash);
	return err;
}

int lc_account_accept_invitation(struct lc_db *db, const char *token, const char *password,
                                 struct lc_diag *d, int64_t *account_id)
{
	return redeem(db, token, LC_ONETIME_INVITE, password, d, account_id);
}

int lc_account_reset_password(struct lc_db *db, const char *token, const char *password,
                              struct lc_diag *d, int64_t *account_id)
{
	return redeem(db, token, LC_ONETIME_RESET, password, d, account_id);
}

int lc_account_confirm_signup(struct lc_db *db, const char *token, const char *password,
                              struct lc_diag *d, int64_t *account_id)
{
	*account_id = 0;
	int64_t id = 0;
	int err = lc_onetime_peek(db, token, LC_ONETIME_INVITE, &id);
	if (err)
		return err;
	char hash[LC_PASSWORD_HASH_BYTES] = "";
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT password_hash FROM accounts WHERE id = ?1"
	                                  " AND status = 'invited'");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	if (rc == 1 && lc_db_text(st, 0))
		snprintf(hash, sizeof hash, "%s", lc_db_text(st, 0));
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	/* Not a sign-up (an administrator's invitation has no password yet): /invitations. */
	if (!hash[0])
		return LC_EAUTH;
	/* The password proves that whoever opens the link also made the sign-up, so a
	 * person tricked into opening someone else's link activates nothing for them. */
	bool rehash = false;
	if (!password || lc_password_verify(hash, password, &rehash) != 0) {
		lc_diag_add(d, NULL, 0, 0, "password", "err_account_password_chosen_sign_up");
		err = LC_EINVAL;
		goto out;
	}
	err = lc_db_begin(db);
	if (err)
		goto out;
	int64_t again = 0;
	err = lc_onetime_consume(db, token, LC_ONETIME_INVITE, &again);
	if (!err && again != id)
		err = LC_EAUTH;
	json_t *before = NULL, *after = NULL;
	if (!err)
		err = snapshot(db, id, &before);
	if (!err)
		err = exec_id(db,
		              "UPDATE accounts SET status = 'active', updated_at = ?2"
		              " WHERE id = ?1 AND status = 'invited' AND password_hash IS NOT NULL",
		              id);
	if (!err)
		err = snapshot(db, id, &after);
	struct lc_account a;
	if (!err)
		err = lc_account_get(db, id, &a);
	if (!err && a.status != LC_ACCOUNT_ACTIVE)
		err = LC_EAUTH;
	if (!err) {
		/* The person confirms its own address: the audit row names them. */
		struct lc_actor self;
		lc_actor_anonymous(&self);
		self.kind = LC_ACTOR_ACCOUNT;
		self.account_id = id;
		snprintf(self.email, sizeof self.email, "%s", a.email);
		err = lc_audit_append_id(db, &self, "account.verify", "account", id, before, after,
		                         NULL);
	}
	json_decref(before);
	json_decref(after);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	else
		*account_id = id;
out:
	sodium_memzero(hash, sizeof hash);
	return err;
}

int lc_account_request_reset(struct lc_db *db, const char *email, const char *base_url)
{
	struct lc_account a;
	if (!email || !base_url_ok(base_url))
		return 0;
	int err = lc_account_find(db, email, &a);
	if (err == LC_ENOTFOUND || (!err && a.status != LC_ACCOUNT_ACTIVE))
		return 0;
	if (err)
		return err;
	/* A few messages an hour at most, so nobody can flood a person's mailbox. */
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT count(*) FROM onetime_tokens WHERE account_id = ?1"
	                   " AND purpose = 'reset' AND created_at > ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, a.id);
	sqlite3_bind_int64(st, 2, lc_clock_now() - 3600);
	int rc = lc_db_step(db, st);
	long recent = rc == 1 ? (long)sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (recent >= LC_LIMIT_RESETS_PER_HOUR)
		return 0;
	err = lc_db_begin(db);
	if (err)
		return err;
	struct lc_actor anon;
	lc_actor_anonymous(&anon);
	err = lc_audit_append_id(db, &anon, "account.request_reset", "account", a.id, NULL, NULL,
	                         NULL);
	if (!err) {
		char norm[LC_LIMIT_EMAIL_BYTES + 1];
		lc_account_email_normalise(a.email, strlen(a.email), norm, sizeof norm);
		err = send_link(db, &anon, a.id, LINK_RESET, base_url, norm, a.name);
	}
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

int lc_account_set_password(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                            const char *old_password, const char *password, int64_t keep_session_id,
                            struct lc_diag *d)
{
	struct lc_authz_object obj = {.account_id = account_id};
	int err = lc_authz_check(actor, LC_ACT_EDIT_OWN_ACCOUNT, &obj);
	if (err)
		return err;
	bool own = actor->kind == LC_ACTOR_ACCOUNT && actor->account_id == account_id;
	if (own) {
		/* The owner proves it knows the current password (a stolen session is not enough).
		 */
		sqlite3_stmt *st =
		    lc_db_stmt(db, "SELECT password_hash FROM accounts WHERE id = ?1");
		if (!st)
			return LC_EDB;
		sqlite3_bind_int64(st, 1, account_id);
		int rc = lc_db_step(db, st);
		char old[LC_PASSWORD_HASH_BYTES] = "";
		if (rc == 1 && lc_db_text(st, 0))
			snprintf(old, sizeof old, "%s", lc_db_text(st, 0));
		lc_db_release(db, st);
		if (rc < 0)
			return rc;
		/* Guessing the old password from a session counts as a failed login. */
		long wait = 0;
		err = lc_throttle_wait(db, actor->email, actor->addr, &wait);
		if (err)
			return err;
		if (wait > 0)
			return LC_EBUSY;
		bool rehash;
		if (!old_password || lc_password_verify(old, old_password, &rehash) != 0) {
			lc_diag_add(d, NULL, 0, 0, "old_password", "err_account_current_password");
			err = lc_throttle_fail(db, actor->email, actor->addr);
			return err ? err : LC_EAUTH;
		}
	}
	char hash[LC_PASSWORD_HASH_BYTES];
	err = prepare_password(db, account_id, password, d, hash);
	if (err)
		return err;
	err = lc_db_begin(db);
	if (err)
		return err;
	struct lc_account a;
	err = lc_account_get(db, account_id, &a);
	if (!err && a.status == LC_ACCOUNT_DISABLED)
		err = LC_EPERM;
	if (!err)
		err = store_password(db, actor, account_id, hash, "account.password");
	if (!err) {
		sqlite3_stmt *st =
		    lc_db_stmt(db, "DELETE FROM sessions WHERE account_id = ?1 AND id <> ?2");
		err = st ? 0 : LC_EDB;
		if (st) {
			sqlite3_bind_int64(st, 1, account_id);
			sqlite3_bind_int64(st, 2, keep_session_id);
			err = lc_db_step(db, st);
			err = err < 0 ? err : 0;
			lc_db_release(db, st);
		}
	}
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	sodium_memzero(hash, sizeof hash);
	return err;
}

int lc_account_update(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                      const char *name, const char *lang, struct lc_diag *d)
{
	struct lc_authz_object obj = {.account_id = account_id};
	int err = lc_authz_check(actor, LC_ACT_EDIT_OWN_ACCOUNT, &obj);
	if (err)
		return err;
	if (name && !name_ok(name)) {
		lc_diag_add(d, NULL, 0, 0, "name", "err_account_1_200_bytes_text");
		err = LC_EINVAL;
	}
	if (lang && !lc_text_lang_ok(lang)) {
		lc_diag_add(d, NULL, 0, 0, "lang", "err_account_language_code");
		err = LC_EINVAL;
	}
	if (err)
		return err;
	json_t *before = NULL, *after = NULL;
	err = lc_db_begin(db);
	if (err)
		return err;
	err = snapshot(db, account_id, &before);
	sqlite3_stmt *st = NULL;
	if (!err) {
		st = lc_db_stmt(db, "UPDATE accounts SET name = coalesce(?2, name),"
		                    " lang = coalesce(?3, lang), updated_at = ?4 WHERE id = ?1");
		err = st ? 0 : LC_EDB;
	}
	if (!err) {
		sqlite3_bind_int64(st, 1, account_id);
		lc_db_bind_text(st, 2, name);
		lc_db_bind_text(st, 3, lang);
		sqlite3_bind_int64(st, 4, lc_clock_now());
		err = lc_db_step(db, st);
		err = err < 0 ? err : 0;
		lc_db_release(db, st);
	}
	if (!err)
		err = snapshot(db, account_id, &after);
	if (!err)
		err = lc_audit_append_id(db, actor, "account.update", "account", account_id, before,
		                         after, NULL);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	json_decref(before);
	json_decref(after);
	return err;
}

static int set_status(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                      const char *reason, bool disable)
{
	int err = lc_authz_check(actor, LC_ACT_MANAGE_USERS, NULL);
	if (err)
		return err;
	if (disable && actor->kind == LC_ACTOR_ACCOUNT && actor->account_id == account_id)
		return LC_EPERM;
	if (!reason || !reason[0] || strlen(reason) > LC_LIMIT_TEXT_BYTES ||
	    !lc_utf8_valid(reason, strlen(reason)))
		return LC_EINVAL;
	json_t *before = NULL, *after = NULL;
	err = lc_db_begin(db);
	if (err)
		return err;
	struct lc_account a;
	err = lc_account_get(db, account_id, &a);
	if (err)
		goto out;
	if (disable == (a.status == LC_ACCOUNT_DISABLED) ||
	    (!disable && a.status != LC_ACCOUNT_DISABLED))
		goto out; /* nothing changes */
	err = snapshot(db, account_id, &before);
	sqlite3_stmt *st = NULL;
	if (!err) {
		st = lc_db_stmt(db,
		                "UPDATE accounts SET status = ?2, updated_at = ?3 WHERE id = ?1");
		err = st ? 0 : LC_EDB;
	}
	if (!err) {
		sqlite3_bind_int64(st, 1, account_id);
		lc_db_bind_text(st, 2,
		                disable          ? "disabled"
		                : a.has_password ? "active"
		                                 : "invited");
		sqlite3_bind_int64(st, 3, lc_clock_now());
		err = lc_db_step(db, st);
		err = err < 0 ? err : 0;
		lc_db_release(db, st);
	}
	if (!err && disable)
		err = end_access(db, account_id, true);
	if (!err)
		err = snapshot(db, account_id, &after);
	if (!err)
		err = lc_audit_append_id(db, actor, disable ? "account.disable" : "account.enable",
		                         "account", account_id, before, after, reason);
out:
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	json_decref(before);
	json_decref(after);
	return err;
}

int lc_account_disable(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                       const char *reason)
{
	return set_status(db, actor, account_id, reason, true);
}

int lc_account_enable(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                      const char *reason)
{
	return set_status(db, actor, account_id, reason, false);
}
