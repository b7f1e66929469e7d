/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What waits on a person, across processes (see inbox.h). */
#include "domain/workflow/inbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/platform/clock.h"

/* One case found waiting, before the view check. */
struct waiting {
	const struct lc_wf_process *p;
	int64_t id;
	int64_t entered_at;
};

struct found {
	struct waiting *v;
	size_t n, cap;
	bool capped; /* LC_LIMIT_INBOX_SCAN reached: more cases wait than were looked at */
};

/* The actor's scopes as the query reads them. */
struct scopes {
	bool admin, expert;
	char cities[LC_LIMIT_ACCOUNT_ROLES * 24 + 3];   /* JSON array of coordinator city ids */
	char countries[LC_LIMIT_ACCOUNT_ROLES * 6 + 3]; /* JSON array of natcom alpha-2 codes */
};

static void scopes_of(const struct lc_actor *a, struct scopes *s)
{
	struct lc_buf c, k;
	lc_buf_init(&c, sizeof s->cities - 1);
	lc_buf_init(&k, sizeof s->countries - 1);
	lc_buf_putc(&c, '[');
	lc_buf_putc(&k, '[');
	s->admin = s->expert = false;
	for (size_t i = 0; i < a->nroles; i++) {
		const struct lc_role *r = &a->roles[i];
		if (r->kind == LC_ROLE_ADMIN)
			s->admin = true;
		else if (r->kind == LC_ROLE_EXPERT)
			s->expert = true;
		else if (r->kind == LC_ROLE_COORDINATOR)
			lc_buf_printf(&c, "%s%lld", c.len > 1 ? "," : "", (long long)r->city_id);
		else if (r->kind == LC_ROLE_NATCOM)
			lc_buf_printf(&k, "%s\"%.2s\"", k.len > 1 ? "," : "", r->country);
	}
	lc_buf_putc(&c, ']');
	lc_buf_putc(&k, ']');
	snprintf(s->cities, sizeof s->cities, "%s", lc_buf_error(&c) ? "[]" : lc_buf_cstr(&c));
	snprintf(s->countries, sizeof s->countries, "%s",
	         lc_buf_error(&k) ? "[]" : lc_buf_cstr(&k));
	lc_buf_cleanup(&c);
	lc_buf_cleanup(&k);
}

/* Adds the cases of process p in state st that wait on the actor (scopes s). */
static int scan_state(struct lc_db *db, const struct lc_actor *a, const struct scopes *s,
                      const struct lc_wf_process *p, const struct lc_wf_state *st, struct found *f)
{
	unsigned w = st->waits_on;
	bool all =
	    ((w & LC_WF_TELL_SECRETARIAT) && s->admin) || ((w & LC_WF_TELL_EXPERTS) && s->expert);
	int64_t owner = (w & LC_WF_TELL_OWNER) ? a->account_id : -1;
	const char *cities = (w & LC_WF_TELL_COORDINATORS) ? s->cities : "[]";
	const char *countries = (w & LC_WF_TELL_NATCOM) ? s->countries : "[]";
	if (!all && owner <= 0 && !strcmp(cities, "[]") && !strcmp(countries, "[]"))
		return 0;
	sqlite3_stmt *q = lc_db_stmt(
	    db, "SELECT id, entered_at FROM wf_items WHERE process = ?1 AND state = ?2"
	        " AND (?3 OR owner_id = ?4 OR city_id IN (SELECT value FROM json_each(?5))"
	        " OR country IN (SELECT value FROM json_each(?6)))"
	        " ORDER BY entered_at, id LIMIT ?7");
	if (!q)
		return LC_EDB;
	sqlite3_bind_int(q, 3, all);
	lc_db_bind_text(q, 1, p->name);
	lc_db_bind_text(q, 2, st->name);
	sqlite3_bind_int64(q, 4, owner);
	lc_db_bind_text(q, 5, cities);
	lc_db_bind_text(q, 6, countries);
	sqlite3_bind_int64(q, 7, (sqlite3_int64)(LC_LIMIT_INBOX_SCAN - f->n + 1));
	int rc;
	while (lc_db_next(db, q, &rc)) {
		if (f->n == LC_LIMIT_INBOX_SCAN) {
			f->capped = true;
			break;
		}
		if (f->n == f->cap) {
			f->cap = f->cap ? f->cap * 2 : 64;
			f->v = lc_xrealloc(f->v, f->cap * sizeof *f->v);
		}
		f->v[f->n++] =
		    (struct waiting){p, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1)};
	}
	lc_db_release(db, q);
	return rc < 0 ? rc : 0;
}

static int by_age(const void *x, const void *y)
{
	const struct waiting *a = x, *b = y;
	if (a->entered_at != b->entered_at)
		return a->entered_at < b->entered_at ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* True when the actor may see the item, by the engine's rule and the process's own. */
static bool visible(struct lc_db *db, const struct lc_actor *a, const struct lc_wf_item *it)
{
	if (lc_wf_may_view(a, it) != 0)
		return false;
	return !it->process->may_view || it->process->may_view(db, a, it) == 0;
}

static json_t *item_json(struct lc_db *db, const struct lc_wf_item *it, int64_t now)
{
	char title[200], href[96], due[11] = "", entered[21], due_at[21];
	lc_wf_title(db, it, title, sizeof title);
	lc_wf_path(db, it, href, sizeof href);
	lc_clock_iso(it->entered_at, entered);
	if (it->due_at) {
		lc_wf_due_day(it, due);
		lc_clock_iso(it->due_at, due_at);
	}
	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s?, s:s, s:b}", "process",
	                 it->process->name, "id", (json_int_t)it->id, "title", title, "href", href,
	                 "state", it->state, "entered_at", entered, "due_at",
	                 it->due_at ? due_at : NULL, "due", due, "overdue", lc_wf_overdue(it, now));
}

int lc_inbox_list(struct lc_db *db, const struct lc_actor *actor,
                  const struct lc_wf_process *const *procs, size_t n, long limit, json_t **out)
{
	*out = NULL;
	if (!actor || actor->kind != LC_ACTOR_ACCOUNT)
		return LC_EAUTH;
	if (limit < 1 || limit > LC_LIMIT_PER_PAGE)
		return LC_EINVAL;
	struct scopes s;
	scopes_of(actor, &s);
	struct found f = {0};
	json_t *items = NULL;
	int err = lc_db_begin_read(db);
	if (err)
		return err;
	for (size_t i = 0; !err && i < n && !f.capped; i++)
		for (size_t k = 0; !err && k < procs[i]->nstates && !f.capped; k++)
			if (procs[i]->states[k].waits_on && !procs[i]->states[k].terminal)
				err = scan_state(db, actor, &s, procs[i], &procs[i]->states[k], &f);
	if (err)
		goto out;
	if (f.n)
		qsort(f.v, f.n, sizeof *f.v, by_age);
	items = json_array();
	long total = 0;
	int64_t now = lc_clock_now();
	for (size_t i = 0; i < f.n; i++) {
		struct lc_wf_item it;
		err = lc_wf_get(db, f.v[i].p, f.v[i].id, &it);
		if (err == LC_ENOTFOUND)
			continue;
		if (err)
			goto out;
		if (!visible(db, actor, &it))
			continue;
		if (total++ < limit)
			json_array_append_new(items, item_json(db, &it, now));
	}
	*out = json_pack("{s:O, s:I, s:b}", "items", items, "total", (json_int_t)total, "more",
	                 total > limit || f.capped);
	if (!*out)
		err = LC_EINTERNAL;
out:
	json_decref(items);
	lc_free(f.v);
	/* A read snapshot has nothing to commit; this only ends it. */
	if (err)
		lc_db_rollback(db);
	else
		err = lc_db_commit(db);
	return err;
}
