/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A waiting list over a workflow process, shared by the conference's
 * registration categories (registration.h) and the programme's sessions
 * with a capacity (programme.h, session sign-up). The places of a list are
 * taken by its cases in the states that hold one; a newcomer waits when the
 * list is full or anyone waits before them; whenever a place frees, the
 * first case on the list (by the time it joined) is taken to "offered" by
 * the system, and the process's own effect sets the offer's deadline, after
 * which the workflow clock (lc_wf_tick) takes its on_due step.
 *
 * This module owns no table: the process's module says how to count places
 * and who is first.
 */
#ifndef LC_CONF_WAITLIST_H
#define LC_CONF_WAITLIST_H

#include <stdbool.h>
#include <stdint.h>

struct lc_db;
struct lc_wf_process;

struct lc_waitlist {
	const struct lc_wf_process *process; /* its "waitlisted" cases move to "offered" */
	int64_t key;                         /* the category or session the list is of */
	long capacity;
	/* Places taken now (*used) and cases waiting (*waiting). 0 or an error. */
	int (*places)(struct lc_db *db, int64_t key, long *used, long *waiting);
	/* The wf_items id of the first case waiting, 0 when none. 0 or an error. */
	int (*first)(struct lc_db *db, int64_t key, int64_t *item);
};

/*
 * Whether a newcomer whose own place is already counted in used must wait:
 * the list is over capacity, or someone waits before them.
 */
bool lc_waitlist_must_wait(const struct lc_waitlist *w, long used, long waiting);

/*
 * Offers every free place of w to the first cases on its list, each taken to
 * "offered" by the system actor; inside the caller's transaction. 0 or an error.
 */
int lc_waitlist_offer_free(struct lc_db *db, const struct lc_waitlist *w);

#endif
