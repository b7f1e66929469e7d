/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The workflow engine (see workflow.h): process tables checked once, items
 * in wf_items, history in wf_history, one transaction per transition with
 * its audit row, its e-mails and the process's effect; the clock's
 * reminders and deadline transitions in lc_wf_tick. Reading items, their
 * history and lists is workflow_view.c.
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

#define DAY 86400

/* ---- process tables ------------------------------------------------------ */

const struct lc_wf_state *lc_wf_state_find(const struct lc_wf_process *p, const char *name)
{
	for (size_t i = 0; name && i < p->nstates; i++)
		if (strcmp(p->states[i].name, name) == 0)
			return &p->states[i];
	return NULL;
}

const struct lc_wf_transition *lc_wf_transition_find(const struct lc_wf_process *p,
                                                     const char *from, const char *to)
{
	for (size_t i = 0; from && to && i < p->ntransitions; i++) {
		const struct lc_wf_transition *t = &p->transitions[i];
		if (strcmp(t->from, from) == 0 && strcmp(t->to, to) == 0)
			return t;
	}
	return NULL;
}

static const struct lc_wf_transition *transition_named(const struct lc_wf_process *p,
                                                       const char *from, const char *name)
{
	for (size_t i = 0; i < p->ntransitions; i++) {
		const struct lc_wf_transition *t = &p->transitions[i];
		if (strcmp(t->from, from) == 0 && strcmp(t->name, name) == 0)
			return t;
	}
	return NULL;
}

static int bad(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return LC_EINVAL;
}

int lc_wf_process_check(const struct lc_wf_process *p, const char **why)
{
	if (why)
		*why = NULL;
	if (!p || !p->name || !p->nstates || !p->states || !p->initial)
		return bad(why, "a process needs a name, states and an initial state");
	if (!lc_wf_state_find(p, p->initial))
		return bad(why, "the initial state is not a state of the process");
	for (size_t i = 0; i < p->nstates; i++) {
		const struct lc_wf_state *s = &p->states[i];
		if (!s->name || !*s->name || strlen(s->name) > 31)
			return bad(why, "a state has no name or one longer than 31 bytes");
		for (size_t j = 0; j < i; j++)
			if (strcmp(p->states[j].name, s->name) == 0)
				return bad(why, "two states have the same name");
		if (s->terminal && (s->due_days || s->keep_due || s->on_due))
			return bad(why, "a terminal state has a deadline");
		if (s->due_days < 0 || (s->due_days && s->keep_due))
			return bad(why, "a state's deadline is negative or both counted and kept");
		for (size_t k = 0; k < LC_WF_MAX_REMINDERS; k++) {
			if (s->remind_days[k] < 0)
				return bad(why,
				           "a reminder is set a negative number of days ahead");
			if (k && s->remind_days[k] && s->remind_days[k] >= s->remind_days[k - 1])
				return bad(why, "reminders must come closer to the deadline");
			if (k && s->remind_days[k] && !s->remind_days[k - 1])
				return bad(why, "a reminder follows the end of the list");
		}
		if (s->on_due) {
			const struct lc_wf_transition *t = transition_named(p, s->name, s->on_due);
			if (!t || !(t->flags & LC_WF_CLOCK))
				return bad(why,
				           "a state's on_due names no clock transition from it");
		}
	}
	for (size_t i = 0; i < p->ntransitions; i++) {
		const struct lc_wf_transition *t = &p->transitions[i];
		if (!t->name || !*t->name)
			return bad(why, "a transition has no name");
		const struct lc_wf_state *from = lc_wf_state_find(p, t->from);
		if (!from || !lc_wf_state_find(p, t->to))
			return bad(why, "a transition names a state the process does not have");
		if (from->terminal)
			return bad(why, "a transition leaves a terminal state");
		if ((unsigned)t->action >= LC_ACT__COUNT)
			return bad(why, "a transition names no action of the rules table");
		if (lc_wf_transition_find(p, t->from, t->to) != t)
			return bad(why, "two transitions join the same pair of states");
	}
	return 0;
}

/* ---- items --------------------------------------------------------------- */

#define ITEM_COLS                                                                                  \
	"id, process, state, owner_id, city_id, country, year, created_at, entered_at, due_at,"    \
	" next_remind_at, reminders_sent"

static void read_item(sqlite3_stmt *st, const struct lc_wf_process *p, struct lc_wf_item *it)
{
	memset(it, 0, sizeof *it);
	it->id = sqlite3_column_int64(st, 0);
	it->process = p;
	snprintf(it->state, sizeof it->state, "%s", lc_db_text(st, 2) ? lc_db_text(st, 2) : "");
	it->owner_id = sqlite3_column_int64(st, 3);
	it->city_id = sqlite3_column_int64(st, 4);
	snprintf(it->country, sizeof it->country, "%s", lc_db_text(st, 5) ? lc_db_text(st, 5) : "");
	it->year = (long)sqlite3_column_int64(st, 6);
	it->created_at = sqlite3_column_int64(st, 7);
	it->entered_at = sqlite3_column_int64(st, 8);
	it->due_at = sqlite3_column_int64(st, 9);
	it->next_remind_at = sqlite3_column_int64(st, 10);
	it->reminders_sent = (long)sqlite3_column_int64(st, 11);
}

int lc_wf_get(struct lc_db *db, const struct lc_wf_process *p, int64_t id, struct lc_wf_item *out)
{
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT " ITEM_COLS " FROM wf_items WHERE id = ?1 AND process = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, p->name);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		read_item(st, p, out);
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

/* The first reminder of the current deadline still ahead of now, from index k; 0 when none. */
static int64_t next_reminder(const struct lc_wf_state *s, int64_t due, long *k, int64_t now)
{
	if (!due)
		return 0;
	while (*k < LC_WF_MAX_REMINDERS && s->remind_days[*k]) {
		int64_t at = due - (int64_t)s->remind_days[*k] * DAY;
		if (at > now)
			return at;
		(*k)++; /* already past when the state was entered: no late reminder */
	}
	return 0;
}

/* Sets the deadline and reminders of entering state s at now. */
static void enter_state(struct lc_wf_item *it, const struct lc_wf_state *s, int64_t now)
{
	snprintf(it->state, sizeof it->state, "%s", s->name);
	it->entered_at = now;
	if (s->due_days > 0)
		it->due_at = now + (int64_t)s->due_days * DAY;
	else if (!s->keep_due)
		it->due_at = 0;
	long k = 0;
	it->next_remind_at = next_reminder(s, it->due_at, &k, now);
	it->reminders_sent = k;
}

static void bind_opt_int(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static int store_item(struct lc_db *db, const struct lc_wf_item *it)
{
	sqlite3_stmt *st = lc_db_stmt(db, "UPDATE wf_items SET state = ?2, entered_at = ?3,"
	                                  " due_at = ?4, next_remind_at = ?5, reminders_sent = ?6"
	                                  " WHERE id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, it->id);
	lc_db_bind_text(st, 2, it->state);
	sqlite3_bind_int64(st, 3, it->entered_at);
	bind_opt_int(st, 4, it->due_at);
	bind_opt_int(st, 5, it->next_remind_at);
	sqlite3_bind_int64(st, 6, it->reminders_sent);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static int append_history(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                          const char *transition, const char *from, const char *to,
                          const char *reason, int64_t now)
{
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO wf_history (item_id, transition, from_state,"
	                                  " to_state, actor_id, actor_email, reason, at)"
	                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, transition);
	lc_db_bind_text(st, 3, from);
	lc_db_bind_text(st, 4, to);
	bind_opt_int(st, 5, actor && actor->kind == LC_ACTOR_ACCOUNT ? actor->account_id : 0);
	lc_db_bind_text(st, 6,
	                !actor                            ? "system"
	                : actor->kind == LC_ACTOR_ACCOUNT ? actor->email
	                : actor->kind == LC_ACTOR_SYSTEM  ? "system"
	                                                  : "anonymous");
	lc_db_bind_text(st, 7, reason);
	sqlite3_bind_int64(st, 8, now);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static json_t *item_snapshot(const struct lc_wf_item *it)
{
	return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)it->id, "process", it->process->name,
	                 "state", it->state);
}

static int audit(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *before,
                 const struct lc_wf_item *after, const char *verb, const char *reason)
{
	char action[96];
	snprintf(action, sizeof action, "%s.%s", after->process->name, verb);
	json_t *b = before ? json_pack("{s:s}", "state", before->state) : NULL;
	json_t *a = item_snapshot(after);
	int rc =
	    lc_audit_append_id(db, actor, action, after->process->name, after->id, b, a, reason);
	json_decref(b);
	json_decref(a);
	return rc;
}

int lc_wf_create(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_process *p,
                 const struct lc_wf_item *init, int64_t *id)
{
	const struct lc_wf_state *s = lc_wf_state_find(p, p->initial);
	if (!s)
		return LC_EINVAL;
	int64_t now = lc_clock_now();
	struct lc_wf_item it = *init;
	it.process = p;
	it.created_at = now;
	enter_state(&it, s, now);
	int err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO wf_items (process, state, owner_id, city_id,"
	                                  " country, year, created_at, entered_at, due_at,"
	                                  " next_remind_at, reminders_sent)"
	                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10)");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	lc_db_bind_text(st, 1, p->name);
	lc_db_bind_text(st, 2, it.state);
	bind_opt_int(st, 3, it.owner_id);
	bind_opt_int(st, 4, it.city_id);
	lc_db_bind_text(st, 5, it.country[0] ? it.country : NULL);
	bind_opt_int(st, 6, it.year);
	sqlite3_bind_int64(st, 7, now);
	bind_opt_int(st, 8, it.due_at);
	bind_opt_int(st, 9, it.next_remind_at);
	sqlite3_bind_int64(st, 10, it.reminders_sent);
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto out;
	it.id = lc_db_last_id(db);
	err = append_history(db, actor, it.id, "create", NULL, it.state, NULL, now);
	if (!err)
		err = audit(db, actor, NULL, &it, "create", NULL);
out:
	if (!err)
		err = lc_db_commit(db);
	/* A failed commit leaves the level open: it is ours to roll back. */
	if (err) {
		lc_db_rollback(db);
		return err;
	}
	if (id)
		*id = it.id;
	return 0;
}

/* ---- permissions --------------------------------------------------------- */

static struct lc_authz_object object_of(const struct lc_wf_item *it)
{
	struct lc_authz_object o = {.account_id = it->owner_id,
	                            .city_id = it->city_id,
	                            .country = it->country[0] ? it->country : NULL,
	                            .year = it->year};
	return o;
}

static bool is_owner(const struct lc_actor *actor, const struct lc_wf_item *it)
{
	return actor && actor->kind == LC_ACTOR_ACCOUNT && it->owner_id &&
	       actor->account_id == it->owner_id;
}

/* Role and scope only (not the state). */
static int may_take(const struct lc_actor *actor, const struct lc_wf_item *it,
                    const struct lc_wf_transition *t)
{
	if (t->flags & LC_WF_CLOCK) {
		if (actor && actor->kind == LC_ACTOR_SYSTEM)
			return 0;
		return !actor || actor->kind == LC_ACTOR_ANONYMOUS ? LC_EAUTH : LC_EPERM;
	}
	if ((t->flags & LC_WF_OWNER) && is_owner(actor, it))
		return 0;
	struct lc_authz_object o = object_of(it);
	int rc = lc_authz_check(actor, t->action, &o);
	/* An owner-only step checked through a scoped rule still refuses others. */
	return rc;
}

int lc_wf_may(const struct lc_actor *actor, const struct lc_wf_item *item,
              const struct lc_wf_transition *t)
{
	int rc = may_take(actor, item, t);
	if (rc)
		return rc;
	return strcmp(item->state, t->from) == 0 ? 0 : LC_ECONFLICT;
}

int lc_wf_may_view(const struct lc_actor *actor, const struct lc_wf_item *item)
{
	if (!actor || actor->kind == LC_ACTOR_ANONYMOUS)
		return LC_EAUTH;
	if (actor->kind == LC_ACTOR_SYSTEM || lc_actor_has_role(actor, LC_ROLE_ADMIN) ||
	    is_owner(actor, item))
		return 0;
	const struct lc_wf_process *p = item->process;
	for (size_t i = 0; i < p->ntransitions; i++) {
		const struct lc_wf_transition *t = &p->transitions[i];
		if (t->flags & LC_WF_CLOCK)
			continue;
		/* Rules open to every account (scoped to the owner) say nothing of others. */
		if (lc_authz_actions[t->action].any_account && !is_owner(actor, item))
			continue;
		if (may_take(actor, item, t) == 0)
			return 0;
	}
	return LC_EPERM;
}

/* ---- e-mail -------------------------------------------------------------- */

static const char *const recipient_sql[] = {
    "SELECT email FROM accounts WHERE id = ?1 AND status = 'active'",
    "SELECT a.email FROM role_grants g JOIN accounts a ON a.id = g.account_id"
    " WHERE g.role = 'coordinator' AND g.city_id = ?2 AND a.status = 'active'",
    "SELECT a.email FROM role_grants g JOIN accounts a ON a.id = g.account_id"
    " WHERE g.role = 'natcom' AND g.country = ?3 AND a.status = 'active'",
    "SELECT a.email FROM role_grants g JOIN accounts a ON a.id = g.account_id"
    " WHERE g.role = 'admin' AND a.status = 'active'",
    "SELECT a.email FROM role_grants g JOIN accounts a ON a.id = g.account_id"
    " WHERE g.role = 'expert' AND a.status = 'active'",
};

void lc_wf_city_name(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	snprintf(out, n, "a city");
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT coalesce(json_extract(name, '$.en'), slug)"
	                                  " FROM cities WHERE id = ?1");
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, item->city_id);
	if (lc_db_step(db, st) == 1 && lc_db_text(st, 0))
		snprintf(out, n, "%s", lc_db_text(st, 0));
	lc_db_release(db, st);
}

bool lc_wf_overdue(const struct lc_wf_item *it, int64_t now)
{
	return it->due_at && it->due_at <= now;
}

void lc_wf_due_day(const struct lc_wf_item *it, char out[11])
{
	out[0] = '\0';
	/* Late from due_at on: the second before it is the last one on time. */
	if (it->due_at)
		lc_clock_date(it->due_at - 1, out);
}

void lc_wf_title(struct lc_db *db, const struct lc_wf_item *it, char *out, size_t n)
{
	if (it->process->title)
		it->process->title(db, it, out, n);
	else
		snprintf(out, n, "%s #%lld", it->process->name, (long long)it->id);
}

void lc_wf_path(struct lc_db *db, const struct lc_wf_item *it, char *out, size_t n)
{
	if (it->process->path)
		it->process->path(db, it, out, n);
	else if (it->process->path_fmt)
		snprintf(out, n, it->process->path_fmt, (long long)it->id);
	else
		out[0] = '\0';
}

/*
 * Queues message kind with vars to each recipient of the tell bits (each
 * address once, at most LC_LIMIT_WF_RECIPIENTS), each in its own language.
 */
static int tell(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *it,
                unsigned bits, const char *kind, const json_t *vars)
{
	char seen[LC_LIMIT_WF_RECIPIENTS][LC_LIMIT_EMAIL_BYTES + 1];
	size_t nseen = 0;
	for (size_t k = 0; k < sizeof recipient_sql / sizeof *recipient_sql; k++) {
		if (!(bits & (1u << k)))
			continue;
		sqlite3_stmt *st = lc_db_stmt(db, recipient_sql[k]);
		if (!st)
			return LC_EDB;
		sqlite3_bind_int64(st, 1, it->owner_id);
		sqlite3_bind_int64(st, 2, it->city_id);
		lc_db_bind_text(st, 3, it->country);
		int rc;
		while (lc_db_next(db, st, &rc)) {
			const char *to = lc_db_text(st, 0);
			bool dup = false;
			for (size_t i = 0; i < nseen && !dup; i++)
				dup = strcmp(seen[i], to) == 0;
			if (dup || nseen == LC_LIMIT_WF_RECIPIENTS)
				continue;
			snprintf(seen[nseen++], sizeof seen[0], "%s", to);
		}
		lc_db_release(db, st);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < nseen; i++) {
		int rc = lc_outbox_mail(db, actor, seen[i], kind, vars, NULL, NULL);
		if (rc)
			return rc;
	}
	return 0;
}

/* The UTC day of t, or "-" when there is no date (t = 0). */
static void format_date(int64_t t, char out[11])
{
	if (t)
		lc_clock_date(t, out);
	else
		snprintf(out, 11, "-");
}

/*
 * What every e-mail about a case says of it (mail/mail.h): "process", its
 * "title" (the process's, which the catalogue's mail_title_<process>
 * replaces in the reader's language), "id", "country", "year", "city" when
 * the case has one, "path" and "due_date" (the current deadline, UTC day)
 * when set. Caller owns the result.
 */
json_t *lc_wf_mail_vars(struct lc_db *db, const struct lc_wf_item *it)
{
	/* The hooks say "" when they cannot read; a failed read must still stop the caller. */
	long failures = lc_db_failures(db);
	char title[160], path[96], city[LC_LIMIT_NAME_BYTES + 1] = "";
	lc_wf_title(db, it, title, sizeof title);
	lc_wf_path(db, it, path, sizeof path);
	if (it->process->city_name)
		it->process->city_name(db, it, city, sizeof city);
	else if (it->city_id)
		lc_wf_city_name(db, it, city, sizeof city);
	json_t *v =
	    json_pack("{s:s,s:s,s:I,s:s,s:I}", "process", it->process->name, "title", title, "id",
	              (json_int_t)it->id, "country", it->country, "year", (json_int_t)it->year);
	if (city[0])
		json_object_set_new(v, "city", json_string(city));
	if (path[0])
		json_object_set_new(v, "path", json_string(path));
	if (it->due_at) {
		char due[11];
		lc_wf_due_day(it, due);
		json_object_set_new(v, "due_date", json_string(due));
	}
	if (lc_db_failures(db) != failures) {
		json_decref(v);
		return NULL;
	}
	return v;
}

static int tell_transition(struct lc_db *db, const struct lc_actor *actor,
                           const struct lc_wf_item *it, const struct lc_wf_transition *t,
                           const char *reason)
{
	if (!t->tell)
		return 0;
	json_t *v = lc_wf_mail_vars(db, it);
	if (!v)
		return LC_EDB;
	json_object_set_new(v, "step", json_string(t->name));
	json_object_set_new(v, "from", json_string(t->from));
	json_object_set_new(v, "to", json_string(t->to));
	json_object_set_new(
	    v, "by",
	    json_string(actor && actor->kind == LC_ACTOR_ACCOUNT ? actor->email : "learncity"));
	if (reason)
		json_object_set_new(v, "reason", json_string(reason));
	int rc = tell(db, actor, it, t->tell, "wf_transition", v);
	json_decref(v);
	return rc;
}

/* ---- transitions --------------------------------------------------------- */

static int check_reason(const struct lc_wf_transition *t, const char *reason, const char **out,
                        char *buf, size_t n, struct lc_diag *d)
{
	*out = NULL;
	struct lc_slice r = lc_slice_trim(lc_slice_cstr(reason ? reason : ""));
	if (r.len > LC_LIMIT_REASON_BYTES) {
		lc_diag_addf(d, NULL, 0, 0, "reason", "err_wf_reason_longer_bytes",
		             LC_ARG_I("limit", (unsigned)LC_LIMIT_REASON_BYTES));
		return LC_EINVAL;
	}
	if (!r.len) {
		if (!(t->flags & LC_WF_REASON))
			return 0;
		lc_diag_addf(d, NULL, 0, 0, "reason", "err_wf_reason_required",
		             LC_ARG_S("name", t->name));
		return LC_EINVAL;
	}
	if (r.len >= n)
		return LC_ELIMIT;
	memcpy(buf, r.ptr, r.len);
	buf[r.len] = '\0';
	*out = buf;
	return 0;
}

/* The transition in the caller's transaction. */
static int take_locked(struct lc_db *db, const struct lc_actor *actor,
                       const struct lc_wf_process *p, int64_t id, const char *to,
                       const char *reason_in, struct lc_diag *d, struct lc_wf_item *out)
{
	struct lc_wf_item it, before;
	int err = lc_wf_get(db, p, id, &it);
	if (err)
		return err;
	before = it;
	const struct lc_wf_transition *t = lc_wf_transition_find(p, it.state, to);
	if (!t) {
		if (!lc_wf_state_find(p, to))
			lc_diag_addf(d, NULL, 0, 0, "to", "err_wf_state",
			             LC_ARG_S("to", to ? to : ""), LC_ARG_S("name", p->name));
		else
			lc_diag_addf(d, NULL, 0, 0, "to", "err_wf_become",
			             LC_ARG_S("name", p->name), LC_ARG_S("state", it.state),
			             LC_ARG_S("to", to));
		/* Tell a stranger nothing of the item beyond "no". */
		if (lc_wf_may_view(actor, &it))
			return lc_wf_may_view(actor, &it);
		return LC_ECONFLICT;
	}
	err = may_take(actor, &it, t);
	if (err) {
		lc_diag_addf(d, NULL, 0, 0, "to", "err_wf_you_may", LC_ARG_S("name", t->name),
		             LC_ARG_S("name2", p->name));
		return err;
	}
	char rbuf[LC_LIMIT_REASON_BYTES + 1];
	const char *reason;
	err = check_reason(t, reason_in, &reason, rbuf, sizeof rbuf, d);
	if (err)
		return err;
	if (p->guard) {
		err = p->guard(db, actor, &it, t, d);
		if (err)
			return err;
	}
	int64_t now = lc_clock_now();
	enter_state(&it, lc_wf_state_find(p, t->to), now);
	err = store_item(db, &it);
	if (!err)
		err = append_history(db, actor, it.id, t->name, t->from, t->to, reason, now);
	if (!err)
		err = audit(db, actor, &before, &it, t->name, reason);
	if (!err)
		err = tell_transition(db, actor, &it, t, reason);
	if (!err && p->effect)
		err = p->effect(db, actor, &it, t, reason, d);
	if (!err && out)
		*out = it;
	return err;
}

int lc_wf_take(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_process *p,
               int64_t id, const char *to, const char *reason, struct lc_diag *d,
               struct lc_wf_item *out)
{
	int err = lc_db_begin(db);
	if (err)
		return err;
	err = take_locked(db, actor, p, id, to, reason, d, out);
	if (!err)
		err = lc_db_commit(db);
	/* A failed commit leaves the level open: it is ours to roll back. */
	if (err)
		lc_db_rollback(db);
	return err;
}

int lc_wf_set_due(struct lc_db *db, const struct lc_wf_item *item, int64_t due)
{
	const struct lc_wf_state *s = lc_wf_state_find(item->process, item->state);
	if (!s || s->terminal || due < 0)
		return LC_EINVAL;
	struct lc_wf_item it = *item;
	it.due_at = due;
	long k = 0;
	it.next_remind_at = next_reminder(s, due, &k, lc_clock_now());
	it.reminders_sent = k;
	return store_item(db, &it);
}

/* ---- the clock ----------------------------------------------------------- */

static const struct lc_wf_process *process_named(const struct lc_wf_process *const *procs, size_t n,
                                                 const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(procs[i]->name, name) == 0)
			return procs[i];
	return NULL;
}

/* Collects up to LC_LIMIT_WF_TICK (id, process) pairs of a query with ?1 = now. */
static int due_ids(struct lc_db *db, const char *sql, int64_t now,
                   const struct lc_wf_process *const *procs, size_t nprocs, int64_t *ids,
                   const struct lc_wf_process **ps, size_t *n)
{
	*n = 0;
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, now);
	int rc;
	while (lc_db_next(db, st, &rc)) {
		const struct lc_wf_process *p = process_named(procs, nprocs, lc_db_text(st, 1));
		if (!p || *n == LC_LIMIT_WF_TICK)
			continue;
		ids[*n] = sqlite3_column_int64(st, 0);
		ps[(*n)++] = p;
	}
	lc_db_release(db, st);
	return rc;
}

static int remind(struct lc_db *db, const struct lc_actor *sys, const struct lc_wf_process *p,
                  int64_t id, int64_t now)
{
	struct lc_wf_item it;
	int err = lc_db_begin(db);
	if (err)
		return err;
	err = lc_wf_get(db, p, id, &it);
	if (err || !it.next_remind_at || it.next_remind_at > now)
		goto out; /* someone moved it meanwhile */
	const struct lc_wf_state *s = lc_wf_state_find(p, it.state);
	if (!s) {
		err = LC_EINTERNAL;
		goto out;
	}
	json_t *v = lc_wf_mail_vars(db, &it);
	if (!v) {
		err = LC_EDB;
		goto out;
	}
	json_object_set_new(v, "state", json_string(it.state));
	err = tell(db, sys, &it, s->remind, "wf_reminder", v);
	json_decref(v);
	if (err)
		goto out;
	it.reminders_sent++;
	long k = it.reminders_sent;
	it.next_remind_at = next_reminder(s, it.due_at, &k, now);
	it.reminders_sent = k;
	err = store_item(db, &it);
	if (!err)
		err = audit(db, sys, &it, &it, "remind", NULL);
out:
	if (err) {
		lc_db_rollback(db);
		return err;
	}
	return lc_db_commit(db);
}

int lc_wf_tick(struct lc_db *db, const struct lc_wf_process *const *procs, size_t nprocs,
               int64_t now, struct lc_wf_tick_report *r)
{
	struct lc_wf_tick_report rep = {0};
	struct lc_actor sys;
	lc_actor_system(&sys);
	int64_t *ids = lc_xcalloc(LC_LIMIT_WF_TICK, sizeof *ids);
	const struct lc_wf_process **ps = lc_xcalloc(LC_LIMIT_WF_TICK, sizeof *ps);
	size_t n;
	int err = due_ids(db,
	                  "SELECT id, process FROM wf_items WHERE next_remind_at <= ?1"
	                  " ORDER BY next_remind_at, id",
	                  now, procs, nprocs, ids, ps, &n);
	for (size_t i = 0; !err && i < n; i++) {
		int rc = remind(db, &sys, ps[i], ids[i], now);
		if (rc == 0)
			rep.reminders++;
		else if (rc == LC_EDB || rc == LC_EBUSY)
			err = rc;
	}
	if (!err)
		err = due_ids(db,
		              "SELECT id, process FROM wf_items WHERE due_at <= ?1"
		              " ORDER BY due_at, id",
		              now, procs, nprocs, ids, ps, &n);
	for (size_t i = 0; !err && i < n; i++) {
		struct lc_wf_item it;
		if (lc_wf_get(db, ps[i], ids[i], &it) != 0)
			continue;
		const struct lc_wf_state *s = lc_wf_state_find(ps[i], it.state);
		const struct lc_wf_transition *t =
		    s && s->on_due ? transition_named(ps[i], s->name, s->on_due) : NULL;
		if (!t)
			continue; /* a deadline without a clock step: the item shows as overdue */
		char reason[96], due[16];
		format_date(it.due_at, due);
		snprintf(reason, sizeof reason, "The deadline of %s passed.", due);
		struct lc_diag d;
		lc_diag_init(&d);
		int rc = lc_wf_take(db, &sys, ps[i], it.id, t->to, reason, &d, NULL);
		if (rc == 0) {
			rep.moved++;
		} else {
			rep.failed++;
			lc_log_warn("workflow: %s %lld: the clock could not %s: %s", ps[i]->name,
			            (long long)it.id, t->name, lc_strerror(rc));
			if (rc == LC_EDB || rc == LC_EBUSY)
				err = rc;
		}
		lc_diag_cleanup(&d);
	}
	lc_free(ids);
	lc_free(ps);
	if (r)
		*r = rep;
	return err;
}
