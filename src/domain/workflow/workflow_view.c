/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Reading workflow items (workflow.h): one item with the steps its reader
 * may take and its latest history, the paged history behind the process's
 * view rule, and the lists and counts of items by state. Nothing here
 * writes.
 */
#include "domain/workflow/workflow.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/slice.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/platform/clock.h"
#include "domain/platform/outbox.h"
#include "domain/platform/row.h"

/* ---- views --------------------------------------------------------------- */

static json_t *iso_or_null(int64_t t)
{
	if (!t)
		return json_null();
	char s[21];
	lc_clock_iso(t, s);
	return json_string(s);
}

static json_t *int_or_null(int64_t v)
{
	return v ? json_integer((json_int_t)v) : json_null();
}

/* The number of history rows of an item (of one transition, or all). */
static int history_count(struct lc_db *db, int64_t item_id, const char *transition,
                         long long *total)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT count(*) FROM wf_history WHERE item_id = ?1"
	                                  " AND (?2 IS NULL OR transition = ?2)");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, item_id);
	lc_db_bind_text(st, 2, transition);
	int rc = lc_db_step(db, st);
	*total = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/*
 * Up to limit history rows of an item (of one transition, or all), newest
 * first after skipping offset; oldest first among those when oldest_first.
 */
static int history_rows(struct lc_db *db, int64_t item_id, const char *transition, long limit,
                        long offset, bool oldest_first, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT transition, from_state, to_state, actor_email,"
	                                  " reason, at FROM wf_history WHERE item_id = ?1"
	                                  " AND (?2 IS NULL OR transition = ?2)"
	                                  " ORDER BY id DESC LIMIT ?3 OFFSET ?4");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, item_id);
	lc_db_bind_text(st, 2, transition);
	sqlite3_bind_int64(st, 3, limit);
	sqlite3_bind_int64(st, 4, offset);
	json_t *rows = json_array();
	int rc;
	while (lc_db_next(db, st, &rc)) {
		json_t *r = json_pack(
		    "{s:o, s:o, s:o, s:o, s:o, s:o}", "transition", lc_row_str(st, 0), "from",
		    lc_row_str(st, 1), "to", lc_row_str(st, 2), "actor", lc_row_str(st, 3),
		    "reason", lc_row_str(st, 4), "at", iso_or_null(sqlite3_column_int64(st, 5)));
		if (oldest_first)
			json_array_insert_new(rows, 0, r);
		else
			json_array_append_new(rows, r);
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(rows);
		return rc;
	}
	*out = rows;
	return 0;
}

int lc_wf_item_json(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *it,
                    json_t **out)
{
	const struct lc_wf_process *p = it->process;
	const struct lc_wf_state *s = lc_wf_state_find(p, it->state);
	int64_t now = lc_clock_now();
	json_t *next = json_array();
	for (size_t i = 0; i < p->ntransitions; i++) {
		const struct lc_wf_transition *t = &p->transitions[i];
		if ((t->flags & LC_WF_CLOCK) || lc_wf_may(actor, it, t))
			continue;
		json_array_append_new(next,
		                      json_pack("{s:s, s:s, s:b}", "name", t->name, "to", t->to,
		                                "reason_required", (t->flags & LC_WF_REASON) != 0));
	}
	json_t *hist = NULL;
	long long total = 0;
	int err = history_rows(db, it->id, NULL, LC_WF_HISTORY_SHOWN, 0, true, &hist);
	if (!err)
		err = history_count(db, it->id, NULL, &total);
	if (err) {
		json_decref(next);
		json_decref(hist);
		return err;
	}
	*out =
	    json_pack("{s:I, s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o}",
	              "id", (json_int_t)it->id, "process", p->name, "state", it->state, "terminal",
	              s && s->terminal, "owner_id", int_or_null(it->owner_id), "city_id",
	              int_or_null(it->city_id), "country",
	              it->country[0] ? json_string(it->country) : json_null(), "year",
	              int_or_null(it->year), "created_at", iso_or_null(it->created_at),
	              "entered_at", iso_or_null(it->entered_at), "due_at", iso_or_null(it->due_at),
	              "overdue", lc_wf_overdue(it, now), "next", next, "history", hist);
	if (*out) {
		json_object_set_new(*out, "history_total", json_integer((json_int_t)total));
		json_object_set_new(*out, "history_more",
		                    json_boolean(total > (long long)json_array_size(hist)));
	}
	return *out ? 0 : LC_EINTERNAL;
}

int lc_wf_history(struct lc_db *db, const struct lc_wf_item *item, const char *transition,
                  long page, long per_page, json_t **out)
{
	*out = NULL;
	struct lc_row_page pg;
	if (lc_row_page_init(&pg, page, per_page))
		return LC_EINVAL;
	long long total = 0;
	json_t *rows = NULL;
	int err = history_count(db, item->id, transition, &total);
	if (!err)
		err = history_rows(db, item->id, transition, pg.per_page, lc_row_page_offset(&pg),
		                   false, &rows);
	if (err)
		return err;
	*out = lc_row_paged(rows, total, &pg);
	return *out ? 0 : LC_EINTERNAL;
}

int lc_wf_history_of(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_process *p,
                     int64_t id, long page, long per_page, json_t **out)
{
	*out = NULL;
	if (!actor || actor->kind == LC_ACTOR_ANONYMOUS)
		return LC_EAUTH;
	struct lc_wf_item it;
	int err = lc_wf_get(db, p, id, &it);
	if (!err)
		err = p->may_view ? p->may_view(db, actor, &it) : lc_wf_may_view(actor, &it);
	if (!err)
		err = lc_wf_history(db, &it, NULL, page, per_page, out);
	if (err)
		return err;
	char title[LC_LIMIT_NAME_BYTES * 2], path[64];
	lc_wf_title(db, &it, title, sizeof title);
	lc_wf_path(db, &it, path, sizeof path);
	json_object_set_new(*out, "item",
	                    json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)it.id,
	                              "process", p->name, "state", it.state, "title", title, "path",
	                              path));
	return 0;
}

int lc_wf_list(struct lc_db *db, const struct lc_wf_process *p, const struct lc_wf_query *q,
               int64_t **ids, size_t *n, long *total, json_t **by_state)
{
	*ids = NULL;
	*n = 0;
	*total = 0;
	if (by_state)
		*by_state = NULL;
	struct lc_row_page pg;
	if (lc_row_page_init(&pg, q->page, q->per_page))
		return LC_EINVAL;
	/* The states the filter leaves out, as a JSON array: terminal ones for open_only,
	 * and for waiting_only those that are nobody's turn too (a member city). */
	json_t *term = json_array();
	for (size_t i = 0; i < p->nstates; i++)
		if (p->states[i].terminal || (q->waiting_only && !p->states[i].waits_on))
			json_array_append_new(term, json_string(p->states[i].name));
	char *terms = json_dumps(term, JSON_COMPACT);
	json_decref(term);
	if (!terms)
		return LC_EINTERNAL;
#define WHERE                                                                                      \
	" WHERE process = ?1 AND (?3 IS NULL OR country = ?3) AND (?4 = 0 OR owner_id = ?4)"       \
	" AND (?5 = 0 OR city_id = ?5) AND (?6 = 0 OR year = ?6)"                                  \
	" AND (?7 = 0 OR state NOT IN (SELECT value FROM json_each(?8)))"
	int err = 0;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT id FROM wf_items" WHERE " AND (?2 IS NULL OR state = ?2)"
	                   " ORDER BY (due_at IS NOT NULL AND due_at <= ?9) DESC,"
	                   " due_at IS NULL, due_at, created_at, id"
	                   " LIMIT ?10 OFFSET ?11");
	sqlite3_stmt *ct = NULL;
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	int64_t *v = lc_xcalloc((size_t)pg.per_page, sizeof *v);
	*ids = v;
	for (int pass = 0; pass < 2 && !err; pass++) {
		sqlite3_stmt *s = pass ? ct : st;
		if (pass) {
			s = ct = lc_db_stmt(db, "SELECT state, count(*) FROM wf_items" WHERE
			                        " GROUP BY state");
			if (!s) {
				err = LC_EDB;
				break;
			}
		}
		lc_db_bind_text(s, 1, p->name);
		lc_db_bind_text(s, 3, q->country && *q->country ? q->country : NULL);
		sqlite3_bind_int64(s, 4, q->owner_id);
		sqlite3_bind_int64(s, 5, q->city_id);
		sqlite3_bind_int64(s, 6, q->year);
		sqlite3_bind_int(s, 7, q->open_only || q->waiting_only);
		lc_db_bind_text(s, 8, terms);
		if (!pass) {
			lc_db_bind_text(s, 2, q->state);
			sqlite3_bind_int64(s, 9, lc_clock_now());
			sqlite3_bind_int64(s, 10, pg.per_page);
			sqlite3_bind_int64(s, 11, lc_row_page_offset(&pg));
		}
		json_t *counts = pass ? json_object() : NULL;
		int rc;
		while (lc_db_next(db, s, &rc)) {
			if (!pass) {
				v[(*n)++] = sqlite3_column_int64(s, 0);
				continue;
			}
			long c = (long)sqlite3_column_int64(s, 1);
			const char *name = lc_db_text(s, 0);
			json_object_set_new(counts, name, json_integer(c));
			if (!q->state || strcmp(q->state, name) == 0)
				*total += c;
		}
		lc_db_release(db, s);
		if (rc < 0)
			err = rc;
		if (pass && !err && by_state)
			*by_state = counts;
		else
			json_decref(counts);
	}
#undef WHERE
out:
	lc_free(terms);
	if (err) {
		lc_free(*ids);
		*ids = NULL;
		*n = 0;
	}
	return err;
}
