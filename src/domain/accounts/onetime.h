/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Single-use expiring tokens for invitations and password resets
 * (onetime_tokens table): 32 random bytes as 43 base64url characters, sent
 * in an e-mail link; only their SHA-256 is stored. Creating a token voids the
 * account's earlier unused tokens of the same purpose, so only the latest
 * link works. Used by account.c; the web layer calls account.h, and
 * lc_onetime_peek to show a form before the token is consumed.
 */
#ifndef LC_ONETIME_H
#define LC_ONETIME_H

#include <stdint.h>

struct lc_db;

#define LC_ONETIME_CHARS 43

enum lc_onetime_purpose {
	LC_ONETIME_INVITE = 0,
	LC_ONETIME_RESET,
};

/*
 * Makes a token for an account valid ttl_s seconds; clear receives it (put
 * it in the message, never in a log). Within the caller's transaction if one
 * is open. 0, LC_EINVAL (ttl_s <= 0), LC_EDB.
 */
int lc_onetime_create(struct lc_db *db, int64_t account_id, enum lc_onetime_purpose purpose,
                      long ttl_s, char clear[LC_ONETIME_CHARS + 1]);

/*
 * The account of an unused, unexpired token of this purpose, without using
 * it (to show the "choose a password" form). 0; LC_EAUTH (malformed, unknown,
 * used, expired or of the other purpose), LC_EDB.
 */
int lc_onetime_peek(struct lc_db *db, const char *clear, enum lc_onetime_purpose purpose,
                    int64_t *account_id);

/*
 * Uses the token: as lc_onetime_peek, then marks it used (used_at), so a
 * second use fails with LC_EAUTH. Call inside the transaction that does what
 * the token allows, so a failure there leaves the token unused.
 */
int lc_onetime_consume(struct lc_db *db, const char *clear, enum lc_onetime_purpose purpose,
                       int64_t *account_id);

/* Voids every unused token of an account (any purpose). 0 or LC_EDB. */
int lc_onetime_void(struct lc_db *db, int64_t account_id);

#endif
