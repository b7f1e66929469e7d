/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Personal access tokens for the JSON API (Authorization: Bearer). A token
 * is "lct_" followed by 43 characters of base64url (32 random bytes), shown
 * once at creation; the database keeps its SHA-256 and a display prefix
 * (the first 8 characters after "lct_"). Tokens are named, expire (at most
 * LC_LIMIT_TOKEN_MAX_DAYS) and can be revoked. It owns the access_tokens
 * table; account.c revokes an account's tokens when it is disabled and when
 * its password is changed or reset.
 */
#ifndef LC_TOKEN_H
#define LC_TOKEN_H

#include <stdint.h>

#include <jansson.h>

struct lc_actor;
struct lc_db;

/* Characters of a clear token ("lct_" + 43). */
#define LC_TOKEN_CHARS  47
#define LC_TOKEN_PREFIX "lct_"

/*
 * Creates a token for an account. Requires LC_ACT_MANAGE_OWN_TOKENS on the
 * account and an actor that is not itself authenticated by a token
 * (actor->via_token: LC_EPERM), so tokens are minted only from a session.
 * name: 1..LC_LIMIT_NAME_BYTES bytes of UTF-8 without control characters;
 * days: 1..LC_LIMIT_TOKEN_MAX_DAYS, 0 = LC_LIMIT_TOKEN_DEFAULT_DAYS. clear receives the token (show
 * it once, never log it); *id its row id (may be NULL). Audit "token.create" (name, prefix, expiry;
 * never the token). 0; LC_EINVAL (name, days), LC_ELIMIT (LC_LIMIT_TOKENS_PER_ACCOUNT live tokens),
 * LC_EPERM/LC_EAUTH, LC_EDB.
 */
int lc_token_create(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                    const char *name, long days, char clear[LC_TOKEN_CHARS + 1], int64_t *id);

/*
 * The tokens of an account, newest first, revoked and expired included:
 * [{"id": 4, "name": "ci", "prefix": "Ab3dE9xY", "created_at": "...Z",
 *   "expires_at": "...Z", "last_used_at": "...Z" | null, "revoked_at": null | "...Z",
 *   "state": "active" | "expired" | "revoked"}]
 * Requires LC_ACT_MANAGE_OWN_TOKENS on the account. Caller owns *out.
 * 0, LC_EPERM/LC_EAUTH, LC_EDB.
 */
int lc_token_list(struct lc_db *db, const struct lc_actor *actor, int64_t account_id, json_t **out);

/*
 * Revokes token id of an account. Requires LC_ACT_MANAGE_OWN_TOKENS on the
 * account. Audit "token.revoke". 0; LC_ENOTFOUND (no such token of this
 * account, or already revoked), LC_EPERM/LC_EAUTH, LC_EDB.
 */
int lc_token_revoke(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                    int64_t token_id);

/*
 * Verifies the value of an Authorization: Bearer header (the token alone,
 * without "Bearer "). Records last_used_at (at most every
 * LC_LIMIT_SESSION_TOUCH_S). 0 with *account_id (and *token_id, may be NULL)
 * set; LC_EAUTH (malformed, unknown, revoked, expired, or the account is not
 * active), LC_EDB. Then lc_actor_load(db, *account_id, ...) gives the actor.
 */
int lc_token_verify(struct lc_db *db, const char *bearer, int64_t *account_id, int64_t *token_id);

#endif
