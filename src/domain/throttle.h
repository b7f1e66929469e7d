/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Throttling of failed logins (login_failures table), per account (by
 * normalised e-mail address, whether or not it exists) and per client
 * address: after LC_LIMIT_THROTTLE_ACCOUNT failures for one address, or
 * LC_LIMIT_THROTTLE_ADDR from one client, within LC_LIMIT_THROTTLE_WINDOW_S,
 * further attempts wait until the oldest failure in the window leaves it.
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

/* Forgets the failures of an e-mail address (after a successful login or a reset). */
int lc_throttle_clear(struct lc_db *db, const char *email);

/* Deletes failures older than the window (housekeeping). 0 or LC_EDB. */
int lc_throttle_purge(struct lc_db *db);

#endif
