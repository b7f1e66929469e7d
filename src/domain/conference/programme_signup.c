/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Sign-up for the programme's sessions that have a capacity (programme.h,
 * migration 0024), on the workflow engine (process "session_signup"):
 *
 *   signed_up --waitlist--> waitlisted  (the system: the session is full or people wait)
 *   waitlisted --offer--> offered       (the clock: a place freed; holds it offer_hours)
 *   offered --accept--> signed_up       (the person)
 *   offered --decline--> withdrawn      (the person; the place passes on at once)
 *   offered --expire--> expired         (the clock at the offer's deadline; passes on)
 *   signed_up|waitlisted --withdraw--> withdrawn (the person)
 *
 * The waiting list is registration's (waitlist.h); an offer holds its place
 * for the offer_hours of the person's registration category, and the
 * workflow clock expires it. Only a participant whose registration for the
 * conference is approved may sign up, for a session of the newest release
 * that is not cancelled, and not for two sessions at the same time.
 */
#include "domain/conference/programme.h"

#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/conference/category.h"
#include "domain/conference/event.h"
#include "domain/conference/programme_internal.h"
#include "domain/conference/waitlist.h"
#include "domain/platform/clock.h"
#include "domain/workflow/workflow.h"

#define STAR    LC_ACT_STAR_SESSIONS
#define EDIT    LC_ACT_EDIT_PROGRAMME
#define OWNER   LC_WF_TELL_OWNER
#define CLOCK   LC_WF_CLOCK
#define BYOWNER LC_WF_OWNER

static const struct lc_wf_state states[] = {
    {.name = "signed_up"},
    {.name = "waitlisted"},
    /* An offer's deadline is the person's category's offer_hours, set by the effect. */
    {.name = "offered", .on_due = "expire", .waits_on = OWNER},
    {.name = "withdrawn", .terminal = true},
    {.name = "expired", .terminal = true},
};

static const struct lc_wf_transition transitions[] = {
    {"waitlist", "signed_up", "waitlisted", EDIT, CLOCK, 0},
    {"offer", "waitlisted", "offered", EDIT, CLOCK, OWNER},
    {"accept", "offered", "signed_up", STAR, BYOWNER, 0},
    {"decline", "offered", "withdrawn", STAR, BYOWNER, 0},
    {"expire", "offered", "expired", EDIT, CLOCK, OWNER},
    {"withdraw", "signed_up", "withdrawn", STAR, BYOWNER, 0},
    {"withdraw", "waitlisted", "withdrawn", STAR, BYOWNER, 0},
};

/* ---- the sign-up's row -------------------------------------------------------------------- */

struct signup {
	int64_t session_id, account_id, event_id;
	char slug[LC_LIMIT_CONF_SLUG + 1];
};

static int signup_load(struct lc_db *db, int64_t item_id, struct signup *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT p.session_id, p.account_id, s.event_id, e.slug"
	                                  " FROM programme_signups p"
	                                  " JOIN programme_sessions s ON s.id = p.session_id"
	                                  " JOIN conference_events e ON e.id = s.event_id"
	                                  " WHERE p.item_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, item_id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		out->session_id = sqlite3_column_int64(st, 0);
		out->account_id = sqlite3_column_int64(st, 1);
		out->event_id = sqlite3_column_int64(st, 2);
		snprintf(out->slug, sizeof out->slug, "%s",
		         lc_db_text(st, 3) ? lc_db_text(st, 3) : "");
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 1 ? 0 : LC_ENOTFOUND;
}

/* Runs sql with ?1 = a and ?2 = b (NULL when b is 0 and null_b). */
static int exec2(struct lc_db *db, const char *sql, int64_t a, int64_t b, bool null_b)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, a);
	if (null_b && !b)
		sqlite3_bind_null(st, 2);
	else
		sqlite3_bind_int64(st, 2, b);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* The approved registration's category of account in conference event, 0 when none. */
static int approved_category(struct lc_db *db, int64_t event_id, int64_t account_id,
                             int64_t *category)
{
	*category = 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT r.category_id FROM conference_registrations r"
	                                  " JOIN wf_items w ON w.id = r.item_id"
	                                  " WHERE r.event_id = ?1 AND w.owner_id = ?2"
	                                  " AND r.active = 1 AND w.state = 'approved' LIMIT 1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, account_id);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*category = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* ---- the waiting list --------------------------------------------------------------------- */

static int places(struct lc_db *db, int64_t session_id, long *used, long *waiting)
{
	*used = *waiting = 0;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT coalesce(sum(w.state IN ('signed_up', 'offered')), 0),"
	                   " coalesce(sum(w.state IN ('waitlisted', 'offered')), 0)"
	                   " FROM programme_signups p JOIN wf_items w ON w.id = p.item_id"
	                   " WHERE p.session_id = ?1 AND p.active = 1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, session_id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		*used = (long)sqlite3_column_int64(st, 0);
		*waiting = (long)sqlite3_column_int64(st, 1);
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static int first_waiting(struct lc_db *db, int64_t session_id, int64_t *item)
{
	*item = 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT w.id FROM programme_signups p"
	                                  " JOIN wf_items w ON w.id = p.item_id"
	                                  " WHERE p.session_id = ?1 AND p.active = 1"
	                                  " AND w.state = 'waitlisted'"
	                                  " ORDER BY w.entered_at, w.id LIMIT 1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, session_id);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*item = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* The capacity of session_id (0: it takes no sign-ups; also when cancelled). */
static int capacity_of(struct lc_db *db, int64_t session_id, long *capacity)
{
	*capacity = 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT coalesce(capacity, 0) FROM programme_sessions"
	                                  " WHERE id = ?1 AND cancelled = 0");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, session_id);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*capacity = (long)sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static struct lc_waitlist waitlist_of(int64_t session_id, long capacity)
{
	return (struct lc_waitlist){.process = &lc_prog_signup_process,
	                            .key = session_id,
	                            .capacity = capacity,
	                            .places = places,
	                            .first = first_waiting};
}

int lc_prog_signup_offer_free(struct lc_db *db, int64_t session_id)
{
	long capacity = 0;
	int err = capacity_of(db, session_id, &capacity);
	if (err || capacity == 0)
		return err;
	struct lc_waitlist w = waitlist_of(session_id, capacity);
	return lc_waitlist_offer_free(db, &w);
}

/* ---- the process's hooks ------------------------------------------------------------------ */

static int effect(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
                  const struct lc_wf_transition *t, const char *reason, struct lc_diag *d)
{
	(void)actor, (void)reason, (void)d;
	struct signup s;
	int err = signup_load(db, item->id, &s);
	if (err)
		return err;
	const struct lc_wf_state *st = lc_wf_state_find(&lc_prog_signup_process, item->state);
	if (strcmp(item->state, "offered") == 0) {
		/* The same clock as the registration's list: the person's category's hours. */
		long hours = LC_LIMIT_PROG_SIGNUP_OFFER_HOURS;
		int64_t cat = 0;
		err = approved_category(db, s.event_id, s.account_id, &cat);
		struct lc_conf_category c;
		if (!err && cat && lc_conf_category_load_id(db, cat, &c) == 0) {
			if (c.offer_hours > 0)
				hours = c.offer_hours;
			lc_conf_category_cleanup(&c);
		}
		int64_t until = lc_clock_now() + (int64_t)hours * 3600;
		if (!err)
			err = exec2(
			    db, "UPDATE programme_signups SET offer_until = ?2 WHERE item_id = ?1",
			    item->id, until, false);
		if (!err)
			err = lc_wf_set_due(db, item, until);
		return err;
	}
	err = exec2(
	    db, "UPDATE programme_signups SET offer_until = NULL, active = ?2 WHERE item_id = ?1",
	    item->id, st && st->terminal ? 0 : 1, false);
	/* A place freed passes to the list at once. */
	if (!err && st && st->terminal && strcmp(t->from, "waitlisted") != 0)
		err = lc_prog_signup_offer_free(db, s.session_id);
	return err;
}

static void title(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	snprintf(out, n, "Sign-up #%lld", (long long)item->id);
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT a.name, json_extract(s.title, '$.en')"
	                                  " FROM programme_signups p"
	                                  " JOIN accounts a ON a.id = p.account_id"
	                                  " JOIN programme_sessions s ON s.id = p.session_id"
	                                  " WHERE p.item_id = ?1");
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, item->id);
	if (lc_db_step(db, st) == 1)
		snprintf(out, n, "Sign-up of %s for %s", lc_db_text(st, 0) ? lc_db_text(st, 0) : "",
		         lc_db_text(st, 1) ? lc_db_text(st, 1) : "");
	lc_db_release(db, st);
}

static void path(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	struct signup s;
	if (signup_load(db, item->id, &s) == 0)
		snprintf(out, n, "/conferences/%s/sessions/%lld", s.slug, (long long)s.session_id);
	else if (n)
		out[0] = '\0';
}

static int may_view(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item)
{
	(void)db;
	if (actor->kind == LC_ACTOR_ANONYMOUS)
		return LC_EAUTH;
	if (item->owner_id && actor->account_id == item->owner_id)
		return 0;
	return lc_authz_check(actor, EDIT, NULL);
}

static void city_name(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	(void)db, (void)item;
	if (n)
		out[0] = '\0';
}

const struct lc_wf_process lc_prog_signup_process = {
    .name = "session_signup",
    .initial = "signed_up",
    .states = states,
    .nstates = sizeof states / sizeof *states,
    .transitions = transitions,
    .ntransitions = sizeof transitions / sizeof *transitions,
    .path = path,
    .effect = effect,
    .title = title,
    .may_view = may_view,
    .city_name = city_name,
};

/* ---- signing up --------------------------------------------------------------------------- */

/* The actor's active sign-up for session_id: its item id and state ("" when none). */
static int mine(struct lc_db *db, int64_t account_id, int64_t session_id, int64_t *item,
                char state[32])
{
	*item = 0;
	state[0] = '\0';
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT w.id, w.state FROM programme_signups p"
	                                  " JOIN wf_items w ON w.id = p.item_id"
	                                  " WHERE p.session_id = ?1 AND p.account_id = ?2"
	                                  " AND p.active = 1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, session_id);
	sqlite3_bind_int64(st, 2, account_id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		*item = sqlite3_column_int64(st, 0);
		snprintf(state, 32, "%s", lc_db_text(st, 1) ? lc_db_text(st, 1) : "");
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* Do two sessions of a document overlap in time (the same day, intervals meeting)? */
static bool overlap(const json_t *a, const json_t *b)
{
	const char *sa = json_string_value(json_object_get(a, "start"));
	const char *sb = json_string_value(json_object_get(b, "start"));
	if (!sa || !sb || strncmp(sa, sb, 10) != 0)
		return false;
	long a0 = lc_prog_minutes(sa), b0 = lc_prog_minutes(sb);
	long a1 = a0 + (long)json_integer_value(json_object_get(a, "duration"));
	long b1 = b0 + (long)json_integer_value(json_object_get(b, "duration"));
	return a0 < b1 && b0 < a1;
}

/* A session of doc the account is signed up or waiting for that overlaps s, or NULL. */
static int clash(struct lc_db *db, int64_t account_id, const json_t *doc, const json_t *s,
                 const json_t **other)
{
	*other = NULL;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT p.session_id FROM programme_signups p"
	                                  " WHERE p.account_id = ?1 AND p.active = 1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, account_id);
	int rc;
	while ((rc = lc_db_step(db, st)) == 1 && !*other) {
		const json_t *o = lc_prog_find(json_object_get(doc, "sessions"),
		                               sqlite3_column_int64(st, 0), NULL);
		if (o && o != s && !json_is_true(json_object_get(o, "cancelled")) && overlap(o, s))
			*other = o;
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_prog_signup(struct lc_db *db, const struct lc_actor *actor, const struct lc_conf_event *e,
                   int64_t session_id, struct lc_diag *d, char state[32])
{
	state[0] = '\0';
	int err = lc_authz_check(actor, STAR, NULL);
	if (err)
		return err;
	if (actor->kind != LC_ACTOR_ACCOUNT)
		return LC_EAUTH;
	json_t *rel = NULL;
	err = lc_prog_released(db, e, NULL, &rel);
	if (err)
		return err;
	const json_t *doc = json_object_get(rel, "programme");
	const json_t *s = lc_prog_find(json_object_get(doc, "sessions"), session_id, NULL);
	if (!s || json_is_true(json_object_get(s, "cancelled"))) {
		err = LC_ENOTFOUND;
		goto out;
	}
	long capacity = 0;
	int64_t category = 0, item = 0;
	char now_state[32];
	err = capacity_of(db, session_id, &capacity);
	if (!err)
		err = approved_category(db, e->id, actor->account_id, &category);
	if (!err)
		err = mine(db, actor->account_id, session_id, &item, now_state);
	if (err)
		goto out;
	if (capacity == 0) {
		lc_diag_add(d, NULL, 0, 0, "session", "err_prog_signup_open");
		err = LC_ECONFLICT;
		goto out;
	}
	if (!category) {
		lc_diag_add(d, NULL, 0, 0, "session", "err_prog_signup_unapproved");
		err = LC_ECONFLICT;
		goto out;
	}
	/* Signing up again while a place is offered accepts it. */
	if (item && strcmp(now_state, "offered") == 0) {
		err = lc_wf_take(db, actor, &lc_prog_signup_process, item, "signed_up", NULL, d,
		                 NULL);
		if (!err)
			snprintf(state, 32, "signed_up");
		goto out;
	}
	if (item) {
		lc_diag_addf(d, NULL, 0, 0, "session", "err_prog_signup_already",
		             LC_ARG_S("state", now_state));
		err = LC_ECONFLICT;
		goto out;
	}
	const json_t *other = NULL;
	err = clash(db, actor->account_id, doc, s, &other);
	if (err)
		goto out;
	if (other) {
		lc_diag_addf(
		    d, NULL, 0, 0, "session", "err_prog_signup_overlap",
		    LC_ARG_S("title", lc_prog_tr(json_object_get(other, "title"), actor->lang)),
		    LC_ARG_S("start", json_string_value(json_object_get(other, "start"))));
		err = LC_ECONFLICT;
		goto out;
	}
	err = lc_db_begin(db);
	if (err)
		goto out;
	struct lc_wf_item init = {.owner_id = actor->account_id};
	err = lc_wf_create(db, actor, &lc_prog_signup_process, &init, &item);
	if (!err) {
		sqlite3_stmt *st =
		    lc_db_stmt(db, "INSERT INTO programme_signups (item_id, session_id,"
		                   " account_id, created_at) VALUES (?1, ?2, ?3, ?4)");
		if (!st)
			err = LC_EDB;
		else {
			sqlite3_bind_int64(st, 1, item);
			sqlite3_bind_int64(st, 2, session_id);
			sqlite3_bind_int64(st, 3, actor->account_id);
			sqlite3_bind_int64(st, 4, lc_clock_now());
			int rc = lc_db_step(db, st);
			lc_db_release(db, st);
			err = rc < 0 ? rc : 0;
		}
	}
	long used = 0, waiting = 0;
	if (!err)
		err = places(db, session_id, &used, &waiting);
	struct lc_waitlist w = waitlist_of(session_id, capacity);
	bool wait = !err && lc_waitlist_must_wait(&w, used, waiting);
	if (wait) {
		struct lc_actor sys;
		lc_actor_system(&sys);
		err = lc_wf_take(db, &sys, &lc_prog_signup_process, item, "waitlisted", NULL, d,
		                 NULL);
	}
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	else
		snprintf(state, 32, "%s", wait ? "waitlisted" : "signed_up");
out:
	json_decref(rel);
	return err;
}

int lc_prog_signup_withdraw(struct lc_db *db, const struct lc_actor *actor,
                            const struct lc_conf_event *e, int64_t session_id)
{
	int err = lc_authz_check(actor, STAR, NULL);
	if (err)
		return err;
	if (actor->kind != LC_ACTOR_ACCOUNT)
		return LC_EAUTH;
	int64_t item = 0;
	char state[32];
	/* Only a session of this conference. */
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT 1 FROM programme_sessions WHERE id = ?1 AND event_id = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, session_id);
	sqlite3_bind_int64(st, 2, e->id);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return LC_ENOTFOUND;
	err = mine(db, actor->account_id, session_id, &item, state);
	if (err)
		return err;
	if (!item)
		return LC_ENOTFOUND;
	return lc_wf_take(db, actor, &lc_prog_signup_process, item, "withdrawn", NULL, NULL, NULL);
}

int lc_prog_signup_mine(struct lc_db *db, const struct lc_actor *actor,
                        const struct lc_conf_event *e, json_t **out)
{
	*out = json_object();
	if (actor->kind != LC_ACTOR_ACCOUNT)
		return 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT p.session_id, w.state, p.offer_until"
	                                  " FROM programme_signups p"
	                                  " JOIN wf_items w ON w.id = p.item_id"
	                                  " JOIN programme_sessions s ON s.id = p.session_id"
	                                  " WHERE p.account_id = ?1 AND p.active = 1"
	                                  " AND s.event_id = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, actor->account_id);
	sqlite3_bind_int64(st, 2, e->id);
	int rc;
	while ((rc = lc_db_step(db, st)) == 1) {
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)sqlite3_column_int64(st, 0));
		char until[21] = "";
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			lc_clock_iso(sqlite3_column_int64(st, 2), until);
		json_object_set_new(*out, key,
		                    json_pack("{s:s, s:s*}", "state", lc_db_text(st, 1),
		                              "offer_until", *until ? until : NULL));
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_prog_signup_counts(struct lc_db *db, int64_t event_id, json_t *doc)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT p.session_id,"
	                                  " sum(w.state IN ('signed_up', 'offered')),"
	                                  " sum(w.state = 'waitlisted')"
	                                  " FROM programme_signups p"
	                                  " JOIN wf_items w ON w.id = p.item_id"
	                                  " JOIN programme_sessions s ON s.id = p.session_id"
	                                  " WHERE s.event_id = ?1 AND p.active = 1"
	                                  " GROUP BY p.session_id");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, event_id);
	int rc;
	while ((rc = lc_db_step(db, st)) == 1) {
		json_t *s = (json_t *)lc_prog_find(json_object_get(doc, "sessions"),
		                                   sqlite3_column_int64(st, 0), NULL);
		if (!s)
			continue;
		json_object_set_new(s, "signups", json_integer(sqlite3_column_int64(st, 1)));
		json_object_set_new(s, "waiting", json_integer(sqlite3_column_int64(st, 2)));
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_prog_signup_list(struct lc_db *db, const struct lc_actor *actor,
                        const struct lc_conf_event *e, int64_t session_id, const char *lang,
                        json_t **out)
{
	*out = NULL;
	int err = lc_authz_check(actor, EDIT, NULL);
	if (err)
		return err;
	json_t *doc = NULL;
	err = lc_prog_doc(db, e->id, &doc);
	if (err)
		return err;
	const json_t *s = lc_prog_find(json_object_get(doc, "sessions"), session_id, NULL);
	if (!s) {
		json_decref(doc);
		return LC_ENOTFOUND;
	}
	long capacity = 0, used = 0, waiting = 0;
	err = capacity_of(db, session_id, &capacity);
	if (!err)
		err = places(db, session_id, &used, &waiting);
	sqlite3_stmt *st = err ? NULL
	                       : lc_db_stmt(db, "SELECT a.name, a.email, w.state, w.entered_at,"
	                                        " p.offer_until FROM programme_signups p"
	                                        " JOIN wf_items w ON w.id = p.item_id"
	                                        " JOIN accounts a ON a.id = p.account_id"
	                                        " WHERE p.session_id = ?1 AND p.active = 1"
	                                        " ORDER BY w.state = 'waitlisted', w.entered_at,"
	                                        " w.id LIMIT ?2");
	if (!err && !st)
		err = LC_EDB;
	json_t *items = json_array();
	long n = 0;
	if (!err) {
		sqlite3_bind_int64(st, 1, session_id);
		sqlite3_bind_int64(st, 2, LC_LIMIT_PROG_SIGNUP_LIST);
		int rc;
		while ((rc = lc_db_step(db, st)) == 1) {
			char since[21] = "", until[21] = "";
			lc_clock_iso(sqlite3_column_int64(st, 3), since);
			if (sqlite3_column_type(st, 4) != SQLITE_NULL)
				lc_clock_iso(sqlite3_column_int64(st, 4), until);
			const char *state = lc_db_text(st, 2);
			json_array_append_new(
			    items,
			    json_pack("{s:s, s:s, s:s, s:b, s:s, s:s*}", "name", lc_db_text(st, 0),
			              "email", lc_db_text(st, 1), "state", state, "waiting",
			              state && strcmp(state, "waitlisted") == 0, "since", since,
			              "offer_until", *until ? until : NULL));
			n++;
		}
		lc_db_release(db, st);
		err = rc < 0 ? rc : 0;
	}
	if (!err) {
		long places_left = capacity > used ? capacity - used : 0;
		*out =
		    json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:o, s:I}", "conference",
		              lc_conf_event_json(e, lang), "session",
		              lc_prog_session_json(doc, s, lang), "capacity", (json_int_t)capacity,
		              "used", (json_int_t)used, "waiting", (json_int_t)waiting, "left",
		              (json_int_t)places_left, "items", items, "shown", (json_int_t)n);
	} else
		json_decref(items);
	json_decref(doc);
	return err;
}

int lc_prog_signup_places(struct lc_db *db, const struct lc_conf_event *e, json_t **out)
{
	*out = json_object();
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT s.id, s.capacity,"
	        " (SELECT count(*) FROM programme_signups p JOIN wf_items w ON w.id = p.item_id"
	        "  WHERE p.session_id = s.id AND p.active = 1"
	        "  AND w.state IN ('signed_up', 'offered')),"
	        " (SELECT count(*) FROM programme_signups p JOIN wf_items w ON w.id = p.item_id"
	        "  WHERE p.session_id = s.id AND p.active = 1 AND w.state = 'waitlisted')"
	        " FROM programme_sessions s WHERE s.event_id = ?1 AND s.capacity IS NOT NULL"
	        " AND s.cancelled = 0");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, e->id);
	int rc;
	while ((rc = lc_db_step(db, st)) == 1) {
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)sqlite3_column_int64(st, 0));
		json_int_t cap = sqlite3_column_int64(st, 1), used = sqlite3_column_int64(st, 2);
		json_object_set_new(*out, key,
		                    json_pack("{s:I, s:I, s:I, s:I}", "capacity", cap, "used", used,
		                              "waiting", (json_int_t)sqlite3_column_int64(st, 3),
		                              "left", cap > used ? cap - used : 0));
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}
