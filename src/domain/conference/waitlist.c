/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A waiting list over a workflow process (waitlist.h). */
#include "domain/conference/waitlist.h"

#include "domain/accounts/authz.h"
#include "domain/workflow/workflow.h"

bool lc_waitlist_must_wait(const struct lc_waitlist *w, long used, long waiting)
{
	return used > w->capacity || waiting > 0;
}

int lc_waitlist_offer_free(struct lc_db *db, const struct lc_waitlist *w)
{
	struct lc_actor sys;
	lc_actor_system(&sys);
	for (;;) {
		long used = 0, waiting = 0;
		int err = w->places(db, w->key, &used, &waiting);
		(void)waiting;
		if (err || used >= w->capacity)
			return err;
		int64_t next = 0;
		err = w->first(db, w->key, &next);
		if (err || !next)
			return err;
		err = lc_wf_take(db, &sys, w->process, next, "offered", NULL, NULL, NULL);
		if (err)
			return err;
	}
}
