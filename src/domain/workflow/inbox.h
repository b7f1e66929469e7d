/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What waits on a person: across the processes given, the open cases whose
 * current state is their turn (struct lc_wf_state.waits_on), oldest first,
 * so that a home page lists a person's work without knowing any process.
 *
 * Whose turn a state is reads from the process tables: the owner of the
 * case (an applicant), the coordinators of its city, the National
 * Commission of its country, the secretariat (every admin), the expert
 * jury. A person sees only cases they may see (lc_wf_may_view and the
 * process's may_view), and never learns of others, not even by a count.
 */
#ifndef LC_INBOX_H
#define LC_INBOX_H

#include <stddef.h>

#include <jansson.h>

#include "domain/workflow/workflow.h"

struct lc_db;

/*
 * The cases of procs (n of them) waiting on actor, the oldest in its state
 * first, at most limit (1..LC_LIMIT_PER_PAGE):
 * {"items": [{"process": "report", "id": 7, "title": "...", "href":
 *   "/reports/7" | "", "state": "returned", "entered_at": "...Z",
 *   "due_at": "...Z" | null, "due": "2027-06-30" | "", "overdue": false}],
 *  "total": 12, "more": true}
 * total counts every waiting case the actor may see. 0 with *out (caller
 * owns), LC_EAUTH (anonymous), LC_EINVAL (limit), LC_EDB.
 */
int lc_inbox_list(struct lc_db *db, const struct lc_actor *actor,
                  const struct lc_wf_process *const *procs, size_t n, long limit, json_t **out);

#endif
