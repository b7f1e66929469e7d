/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Accounts: a person's e-mail address (unique, compared in a normalised lower
 * case copy), display name, preferred language, status (invited, active,
 * disabled) and password hash. Creating, inviting, activating, changing a
 * password, editing and disabling go through here; each checks the actor's
 * permission with lc_authz_check and appends an audit row in the same
 * transaction (before/after snapshots never hold a password or its hash).
 *
 * It owns the accounts table. Invitations and password resets use onetime.h
 * for the token and outbox.h for the message, in the same transaction.
 */
#ifndef LC_ACCOUNT_H
#define LC_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/limits.h"

struct lc_actor;
struct lc_db;
struct lc_diag;
struct lc_role;

enum lc_account_status {
	LC_ACCOUNT_INVITED = 0, /* created, no password yet; cannot log in */
	LC_ACCOUNT_ACTIVE,
	LC_ACCOUNT_DISABLED, /* cannot log in; sessions and tokens were ended */
};

struct lc_account {
	int64_t id;
	char email[LC_LIMIT_EMAIL_BYTES + 1]; /* as typed at creation */
	char name[LC_LIMIT_NAME_BYTES + 1];
	char lang[8];
	enum lc_account_status status;
	bool has_password;
	int64_t created_at, updated_at; /* Unix seconds */
};

/* "invited", "active", "disabled". */
const char *lc_account_status_name(enum lc_account_status s);

/* An e-mail address validated and normalised: lc_address_normalise (mail/address.h). */
int lc_account_email_normalise(const char *in, size_t len, char *out, size_t n);

/* What lc_account_create makes. */
struct lc_account_new {
	const char *email;
	const char *name;     /* 1..LC_LIMIT_NAME_BYTES bytes of UTF-8, no control characters */
	const char *lang;     /* "en" when NULL; must be a known language code */
	const char *password; /* NULL: the account stays invited; else checked and hashed,
	                         and the account is active */
	const struct lc_role *roles; /* granted in the same transaction (may be NULL) */
	size_t nroles;
};

/*
 * Creates an account. Requires LC_ACT_MANAGE_USERS. Problems a person must
 * read go into d (fields "email", "name", "lang", "password" with the
 * password policy's reason, "role"). Audit "account.create" plus one
 * "role.grant" per role. 0 with *id set; LC_EINVAL (see d), LC_ECONFLICT
 * (the e-mail address is taken; also in d), LC_EPERM/LC_EAUTH, LC_EDB.
 */
int lc_account_create(struct lc_db *db, const struct lc_actor *actor,
                      const struct lc_account_new *in, struct lc_diag *d, int64_t *id);

/*
 * Invites a person: creates the account (invited, without password) with its
 * roles, makes an invitation token (LC_LIMIT_INVITE_TTL_S) and queues the
 * e-mail with the link "<base_url>/invitations?token=<token>" in the outbox, all in
 * one transaction. Requires LC_ACT_INVITE. base_url: "https://host" without
 * trailing slash. Inviting an address whose account is still invited sends a
 * new invitation (the old link stops working). Errors as lc_account_create;
 * LC_ECONFLICT when the address belongs to an active or disabled account.
 * *id may be NULL.
 */
int lc_account_invite(struct lc_db *db, const struct lc_actor *actor,
                      const struct lc_account_new *in, const char *base_url, struct lc_diag *d,
                      int64_t *id);

/*
 * Accepts an invitation: consumes the token, checks and sets the password,
 * makes the account active. Anyone holding the token may (it is the
 * credential). Audit "account.activate" with the account itself as actor.
 * 0 with *account_id set; LC_EAUTH (unknown, used or expired token),
 * LC_EINVAL (weak password; reason in d, field "password"; the token stays
 * unused), LC_EDB.
 */
int lc_account_accept_invitation(struct lc_db *db, const char *token, const char *password,
                                 struct lc_diag *d, int64_t *account_id);

/*
 * Asks for a password reset for an e-mail address: when it belongs to an
 * active account, makes a reset token (LC_LIMIT_RESET_TTL_S) and queues the
 * e-mail with "<base_url>/password/reset?token=<token>", at most
 * LC_LIMIT_RESETS_PER_HOUR an hour per account (more asks are ignored).
 * Returns 0 whether or not the account exists (pages must not reveal which
 * addresses have accounts).
 * LC_EDB only.
 */
int lc_account_request_reset(struct lc_db *db, const char *email, const char *base_url);

/*
 * Resets a password with a reset token: consumes it, checks and sets the
 * password and ends every session of the account (logout everywhere).
 * Errors as lc_account_accept_invitation.
 */
int lc_account_reset_password(struct lc_db *db, const char *token, const char *password,
                              struct lc_diag *d, int64_t *account_id);

/*
 * Sets the password of an account. Requires LC_ACT_EDIT_OWN_ACCOUNT on the
 * account (its owner, admin or system). When the actor is the owner,
 * old_password must be its current password (LC_EAUTH otherwise, counted
 * as a failed login; LC_EBUSY while throttled, see throttle.h); others pass
 * NULL. Activates an invited account. Ends the account's other
 * sessions: every session except keep_session_id (0 = end all).
 * Audit "account.password" (no hash in it). 0, LC_EINVAL (policy; d),
 * LC_EAUTH, LC_EPERM, LC_ENOTFOUND, LC_EDB.
 */
int lc_account_set_password(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                            const char *old_password, const char *password, int64_t keep_session_id,
                            struct lc_diag *d);

/*
 * Changes name and/or preferred language (NULL leaves a field). Requires
 * LC_ACT_EDIT_OWN_ACCOUNT on the account. Audit "account.update" with before
 * and after. 0, LC_EINVAL (d), LC_EPERM/LC_EAUTH, LC_ENOTFOUND, LC_EDB.
 */
int lc_account_update(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                      const char *name, const char *lang, struct lc_diag *d);

/*
 * Disables an account: status disabled, every session deleted, every token
 * revoked, pending one-time tokens voided. Requires LC_ACT_MANAGE_USERS; an
 * actor cannot disable itself (LC_EPERM). reason is required (non-empty,
 * LC_EINVAL otherwise) and recorded in the audit row "account.disable".
 * Disabling a disabled account changes nothing. 0, LC_ENOTFOUND, LC_EDB.
 */
int lc_account_disable(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                       const char *reason);
/* Makes a disabled account active again (invited when it has no password).
 * Requires LC_ACT_MANAGE_USERS; reason required. Audit "account.enable". */
int lc_account_enable(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                      const char *reason);

/* One account by id or by e-mail address (any case). 0, LC_ENOTFOUND, LC_EDB. No permission
 * check: callers decide what to show. */
int lc_account_get(struct lc_db *db, int64_t id, struct lc_account *out);
int lc_account_find(struct lc_db *db, const char *email, struct lc_account *out);

struct lc_account_query {
	const char *q;      /* substring of e-mail or name (any case), NULL/"" for all;
	                       at most LC_LIMIT_SEARCH_BYTES */
	const char *status; /* "invited" | "active" | "disabled" | NULL */
	const char *role;   /* a role kind name, or NULL */
	long page;          /* 1-based; 0 means 1 */
	long per_page;      /* 1..LC_LIMIT_PER_PAGE; 0 means LC_DEFAULT_PER_PAGE */
};

/*
 * The accounts page, sorted by e-mail address. Requires LC_ACT_MANAGE_USERS.
 * {"items": [{"id": 1, "email": "...", "name": "...", "lang": "en",
 *             "status": "active", "created_at": "2026-11-24T03:00:00Z",
 *             "roles": ["admin", "coordinator:cork"]}, ...],
 *  "total": 5, "page": 1, "per_page": 20, "pages": 1,
 *  "filters": {"q": null, "status": null, "role": null}}
 * 0; LC_EINVAL (bad page, per_page, status or role), LC_ELIMIT (q too long),
 * LC_EPERM/LC_EAUTH, LC_EDB. Caller owns *out.
 */
int lc_account_list(struct lc_db *db, const struct lc_actor *actor,
                    const struct lc_account_query *q, json_t **out);

/*
 * One account as JSON for /api/v1/me and the account page:
 * {"id", "email", "name", "lang", "status", "created_at",
 *  "roles": (as lc_role_list)}
 * No permission check beyond what the caller did. Caller owns *out.
 * 0, LC_ENOTFOUND, LC_EDB.
 */
int lc_account_json(struct lc_db *db, int64_t id, const char *lang, json_t **out);

/*
 * Self-registration (/signup): anyone may sign up for an account of their own,
 * with no role (a prospective coordinator who then applies for membership).
 * in->password is required and checked against the policy; in->roles must be
 * empty. The account is stored invited, with the password's hash, until the
 * address is confirmed: one transaction makes a confirmation token (purpose
 * invite, LC_LIMIT_SIGNUP_TTL_S) and queues the e-mail with the link
 * "<base_url>/signup/verify?token=<token>". Signing up again with an address
 * whose sign-up is not yet confirmed keeps the account, takes the new name,
 * language and password and sends a new link (the old one stops working), at
 * most LC_LIMIT_SIGNUPS_PER_HOUR links an hour per account (more are not
 * sent, still 0). Every attempt counts against the client address addr
 * (domain/accounts/throttle.h, under a key of its own: sign-ups never block logins), at
 * most LC_LIMIT_THROTTLE_ADDR in its window, so that one client cannot
 * mass-create accounts nor flood a mailbox: LC_EBUSY with *wait_s (may be
 * NULL) when it must wait. Audit "account.create" (new account) and
 * "account.signup" (each link) by actor (the anonymous visitor with its
 * address). When the address already has an active, disabled or
 * administrator-invited account nothing changes in it: the owner gets an
 * e-mail saying someone tried to sign up with the address (at most
 * LC_LIMIT_SIGNUPS_PER_HOUR an hour) and the call returns 0 with *id 0, so
 * that the visitor's answer is the same as for a new address (sign-up does
 * not tell who has an account). 0 with *id; LC_EINVAL (see d; also a bad
 * base_url), LC_EBUSY, LC_EDB.
 */
int lc_account_signup(struct lc_db *db, const struct lc_actor *actor,
                      const struct lc_account_new *in, const char *addr, const char *base_url,
                      struct lc_diag *d, int64_t *id, long *wait_s);

/*
 * Confirms a sign-up with the token of its e-mail link and the password
 * chosen at sign-up (so that whoever opens the link also made the sign-up):
 * consumes the token and makes the account active. Audit "account.verify"
 * with the account itself as actor. 0 with *account_id; LC_EAUTH (unknown,
 * used or expired token, or the token of an administrator's invitation),
 * LC_EINVAL (wrong password; field "password" in d; the token stays
 * unused), LC_EDB.
 */
int lc_account_confirm_signup(struct lc_db *db, const char *token, const char *password,
                              struct lc_diag *d, int64_t *account_id);

#endif
