/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Throttling of failed logins (login_failures table). A failure counts
 * three times: for the pair of account (normalised e-mail address, whether
 * or not it exists) and client address, for the client address, and for the
 * account. After LC_LIMIT_THROTTLE_PAIR failures of one pair, or
 * LC_LIMIT_THROTTLE_ADDR from one address, or LC_LIMIT_THROTTLE_ACCOUNT for
 * one account from everywhere, within LC_LIMIT_THROTTLE_WINDOW_S, further
 * attempts wait until the oldest failure that counts leaves the window. So
 * whoever guesses one account's password from one address is slowed down
 * without locking its owner out from another address; the per-account
 * ceiling only bounds distributed guessing, and a password reset lifts it.
 * Pairs are stored as kind 'addr' with key "pair <e-mail> <address>" (as
 * sign-ups use "signup <address>"), so that they never count as an address.
 * lc_session_login uses it; nothing here is audited (failures are not
 * changes, and the table is the record).
 */
#ifndef LC_THROTTLE_H
#define LC_THROTTLE_H

struct lc_db;

/*
 * How many seconds a login for this e-mail (normalised or not; NULL allowed)
 * from this address (NULL or "" = unknown, not counted) must wait: *wait_s
 * is 0 when it may proceed. 0 or LC_EDB.
 */
int lc_throttle_wait(struct lc_db *db, const char *email, const char *addr, long *wait_s);

/* Records a failed login for the e-mail and the address. 0 or LC_EDB. */
int lc_throttle_fail(struct lc_db *db, const char *email, const char *addr);

/*
 * Forgets the failures counted against an e-mail address: its per-account
 * count and its pair with addr (after a successful login from addr), or
 * with every address when addr is NULL (after a password reset). 0 or LC_EDB.
 */
int lc_throttle_clear(struct lc_db *db, const char *email, const char *addr);

/* Deletes failures older than the window (housekeeping). 0 or LC_EDB. */
int lc_throttle_purge(struct lc_db *db);

#endif
