/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The weekly e-mail of a person's home (migration 0021): what waits on them
 * across every process (inbox.h), for people who chose it on /account. The
 * clock (lc_digest_tick, from the server's mail pass) looks at each of them
 * once a week and queues one message, mail kind "digest", in their language,
 * only when something waits.
 */
#ifndef LC_DIGEST_H
#define LC_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lc_actor;
struct lc_db;
struct lc_wf_process;

/* Cases one message lists; "and N more" says the rest. */
#define LC_DIGEST_ITEMS 20
/* A week between two looks at a person's inbox. */
#define LC_DIGEST_PERIOD (7 * 86400)

/* Whether actor (an account) gets the weekly message, in *weekly. 0, LC_EAUTH, LC_EDB. */
int lc_digest_get(struct lc_db *db, const struct lc_actor *actor, bool *weekly);

/* Sets it for actor's own account, audited. 0, LC_EAUTH (not an account), LC_EDB. */
int lc_digest_set(struct lc_db *db, const struct lc_actor *actor, bool weekly);

/*
 * Looks, at now, at every active account that chose the message and was not
 * looked at in the last week: queues a "digest" mail when cases of procs
 * (n) wait on it, and notes the look either way. *sent: messages queued.
 * Each person in their own transaction. 0 or LC_EDB.
 */
int lc_digest_tick(struct lc_db *db, const struct lc_wf_process *const *procs, size_t n,
                   int64_t now, long *sent);

#endif
