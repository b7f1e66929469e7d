/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Sessions and login. A session id is 32 random bytes, given to the browser
 * once as 43 characters of unpadded base64url (the cookie value); the
 * database keeps only its SHA-256 (sessions table), so a copy of the
 * database does not let anyone log in. A session ends when unused for
 * LC_LIMIT_SESSION_IDLE_S or LC_LIMIT_SESSION_ABSOLUTE_S after login,
 * at logout, at logout everywhere, at a password reset and when the
 * account is disabled.
 *
 * The CSRF token is derived from the session id (a keyed BLAKE2b of it), so
 * nothing more is stored: a request proves it knows the session id's
 * derivative, which a cross-site form cannot read. Login goes through
 * lc_session_login, which applies the throttle, verifies the password,
 * rehashes it when the parameters changed and always creates a NEW session.
 * Times come from clock.h.
 */
#ifndef LC_SESSION_H
#define LC_SESSION_H

#include <stdbool.h>
#include <stdint.h>

struct lc_actor;
struct lc_db;

/* Characters of a session cookie value and of a CSRF token (base64url of 32 bytes). */
#define LC_SESSION_ID_CHARS   43
#define LC_SESSION_CSRF_CHARS 43
/* The cookie's name, for the web layer. */
#define LC_SESSION_COOKIE "lc_session"

struct lc_session {
	int64_t id; /* row id: names the session in lists and keep_session_id */
	int64_t account_id;
	char csrf[LC_SESSION_CSRF_CHARS + 1]; /* the CSRF token to put in forms */
	int64_t created_at, last_seen_at;
	int64_t idle_expires_at, expires_at; /* the earlier of the two ends it */
};

struct lc_login {
	const char *email;
	const char *password;
	const char *addr;       /* client address, for throttling and audit ("" if unknown) */
	const char *user_agent; /* may be NULL; stored truncated to 200 bytes */
};

struct lc_login_result {
	char cookie[LC_SESSION_ID_CHARS + 1]; /* the new session id in clear: set it as the cookie,
	                                         never log it */
	struct lc_session session;
	long retry_after; /* seconds to wait when LC_EBUSY is returned */
	bool unconfirmed; /* with LC_EAUTH: the password is right but the account's sign-up
	                     is not confirmed yet (only someone knowing the password learns it) */
};

/*
 * Logs in: when the account or the address is throttled returns LC_EBUSY
 * with retry_after (answer 429 with Retry-After) without checking the
 * password; else verifies the password (an unknown address costs the same
 * time), records a failure on a mismatch (LC_EAUTH: unknown address, wrong
 * password, invited or disabled account alike; out->unconfirmed when the
 * password is that of a sign-up whose address is not yet confirmed), or on success clears the
 * account's failures, rehashes when needed and creates a new session.
 * Audit "session.login" (never on failure: failures go to the throttle table).
 * 0, LC_EAUTH, LC_EBUSY, LC_EDB.
 */
int lc_session_login(struct lc_db *db, const struct lc_login *in, struct lc_login_result *out);

/*
 * Creates a session for an active account without a password (after
 * accepting an invitation). cookie receives the id in clear. Audit
 * "session.login". 0, LC_EAUTH (account not active), LC_ENOTFOUND, LC_EDB.
 */
int lc_session_create(struct lc_db *db, int64_t account_id, const char *addr,
                      const char *user_agent, char cookie[LC_SESSION_ID_CHARS + 1],
                      struct lc_session *out);

/*
 * The live session of a cookie value. Checks idle and absolute expiry (an
 * expired session is deleted) and that the account is still active; moves
 * last_seen and the idle expiry forward (written at most every
 * LC_LIMIT_SESSION_TOUCH_S). Fills out->csrf. 0; LC_EAUTH (malformed,
 * unknown, expired, or the account is not active), LC_EDB.
 */
int lc_session_lookup(struct lc_db *db, const char *cookie, struct lc_session *out);

/*
 * Constant-time comparison of a submitted CSRF token with the session's.
 * False for NULL or a wrong length.
 */
bool lc_session_csrf_ok(const struct lc_session *s, const char *token);

/*
 * Ends the session of this cookie value (logout). Ending an unknown or
 * expired session is not an error. Audit "session.logout" when one ended.
 * 0 or LC_EDB.
 */
int lc_session_logout(struct lc_db *db, const char *cookie);

/*
 * Ends every session of an account (logout everywhere), or every one but
 * keep_session_id (0 = none kept). Requires LC_ACT_EDIT_OWN_ACCOUNT on the
 * account. Audit "session.logout_all" with the number ended. *ended may be
 * NULL. 0, LC_EPERM/LC_EAUTH, LC_EDB.
 */
int lc_session_logout_all(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                          int64_t keep_session_id, int *ended);

/* Deletes expired sessions (housekeeping for the server's periodic task). 0 or LC_EDB. */
int lc_session_purge(struct lc_db *db);

#endif
