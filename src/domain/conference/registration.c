/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A person's registration for a conference, on the workflow engine (registration.h). */
#include "domain/conference/registration.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/conference/category.h"
#include "domain/conference/event.h"
#include "domain/conference/form.h"
#include "domain/conference/ticket.h"
#include "domain/conference/waitlist.h"
#include "domain/platform/clock.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"

#define REG     LC_ACT_REGISTER_CONFERENCE
#define MANAGE  LC_ACT_MANAGE_CONFERENCE
#define OWNER   LC_WF_TELL_OWNER
#define SECRET  LC_WF_TELL_SECRETARIAT
#define REASON  LC_WF_REASON
#define CLOCK   LC_WF_CLOCK
#define BYOWNER LC_WF_OWNER

static const struct lc_wf_state states[] = {
    {.name = "pending", .waits_on = SECRET},
    {.name = "approved"},
    {.name = "waitlisted"},
    /* An offer's deadline is the category's offer_hours, set by the effect. */
    {.name = "offered", .on_due = "expire", .waits_on = OWNER},
    {.name = "rejected", .terminal = true},
    {.name = "withdrawn", .terminal = true},
    {.name = "cancelled", .terminal = true},
    {.name = "expired", .terminal = true},
};

/* Approval, waiting list, offer and rejection have e-mails of their own (registration_mail.c). */
static const struct lc_wf_transition transitions[] = {
    {"approve", "pending", "approved", MANAGE, 0, 0},
    {"reject", "pending", "rejected", MANAGE, REASON, 0},
    {"waitlist", "pending", "waitlisted", MANAGE, 0, 0},
    {"offer", "waitlisted", "offered", MANAGE, CLOCK, 0},
    {"accept", "offered", "approved", REG, BYOWNER, 0},
    {"decline", "offered", "withdrawn", REG, BYOWNER, 0},
    {"expire", "offered", "expired", MANAGE, CLOCK, OWNER},
    {"promote", "waitlisted", "approved", MANAGE, REASON, 0},
    {"remove", "waitlisted", "cancelled", MANAGE, REASON, OWNER},
    {"cancel", "pending", "cancelled", MANAGE, REASON, OWNER},
    {"cancel", "approved", "cancelled", MANAGE, REASON, OWNER},
    {"withdraw", "pending", "withdrawn", REG, BYOWNER, 0},
    {"withdraw", "approved", "withdrawn", REG, BYOWNER, 0},
    {"withdraw", "waitlisted", "withdrawn", REG, BYOWNER, 0},
    {"repend", "approved", "pending", MANAGE, CLOCK, SECRET},
};

/* ---- the registration's row --------------------------------------------------------------- */

struct reg {
	int64_t event_id, category_id, offer_until;
	char slug[LC_LIMIT_CONF_SLUG + 1];
	char email[LC_LIMIT_EMAIL_BYTES + 1];
};

static int reg_load(struct lc_db *db, int64_t id, struct reg *r)
{
	memset(r, 0, sizeof *r);
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT r.event_id, r.category_id, r.offer_until, e.slug,"
	                                  " r.email FROM conference_registrations r"
	                                  " JOIN conference_events e ON e.id = r.event_id"
	                                  " WHERE r.item_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		r->event_id = sqlite3_column_int64(st, 0);
		r->category_id = sqlite3_column_int64(st, 1);
		r->offer_until = sqlite3_column_int64(st, 2);
		snprintf(r->slug, sizeof r->slug, "%s", lc_db_text(st, 3) ? lc_db_text(st, 3) : "");
		snprintf(r->email, sizeof r->email, "%s",
		         lc_db_text(st, 4) ? lc_db_text(st, 4) : "");
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

static int exec_id(struct lc_db *db, const char *sql, int64_t id, int64_t v)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, v);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* ---- the process's hooks ------------------------------------------------------------------ */

static int guard(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
                 const struct lc_wf_transition *t, struct lc_diag *d)
{
	(void)actor;
	/* A manual promotion takes a free place; it never goes past the capacity. */
	if (strcmp(t->name, "promote") != 0)
		return 0;
	struct reg r;
	struct lc_conf_category c;
	int err = reg_load(db, item->id, &r);
	if (!err)
		err = lc_conf_category_load_id(db, r.category_id, &c);
	if (err)
		return err;
	long used = 0, waiting = 0;
	err = lc_conf_category_places(db, c.id, &used, &waiting);
	if (!err && used >= c.capacity) {
		lc_diag_addf(d, NULL, 0, 0, "to", "err_conf_reg_full",
		             LC_ARG_I("capacity", c.capacity));
		err = LC_ECONFLICT;
	}
	lc_conf_category_cleanup(&c);
	return err;
}

static int effect(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
                  const struct lc_wf_transition *t, const char *reason, struct lc_diag *d)
{
	(void)d;
	struct reg r;
	int err = reg_load(db, item->id, &r);
	if (err)
		return err;
	const struct lc_wf_state *s = lc_wf_state_find(&lc_conf_reg_process, item->state);
	int64_t now = lc_clock_now();
	if (strcmp(item->state, "offered") == 0) {
		struct lc_conf_category c;
		err = lc_conf_category_load_id(db, r.category_id, &c);
		if (err)
			return err;
		int64_t until = now + (int64_t)c.offer_hours * 3600;
		lc_conf_category_cleanup(&c);
		err = exec_id(
		    db, "UPDATE conference_registrations SET offer_until = ?2 WHERE item_id = ?1",
		    item->id, until);
		if (!err)
			err = lc_wf_set_due(db, item, until);
		if (!err && item->owner_id)
			err = lc_conf_reg_mail(db, actor, item->id, item->state, reason);
		return err;
	}
	err = exec_id(db,
	              "UPDATE conference_registrations SET offer_until = NULL, active = ?2"
	              " WHERE item_id = ?1",
	              item->id, s && s->terminal ? 0 : 1);
	/* The person hears of it in their language (the demonstration's people have no account). */
	if (!err && item->owner_id)
		err = lc_conf_reg_mail(db, actor, item->id, item->state, reason);
	/* A registration that ended leaves no valid ticket behind: its serial joins the
	 * revocation list the door checks. */
	if (!err && s && s->terminal)
		err = lc_ticket_reissue(db, r.event_id, item->id, LC_TICKET_CANCELLED, NULL);
	/* A place freed (or a step out of the waiting list) passes to the list at once. */
	bool frees = s && s->terminal && strcmp(t->from, "waitlisted") != 0;
	if (!err && frees)
		err = lc_conf_reg_offer_free(db, r.category_id, now);
	return err;
}

static void title(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	snprintf(out, n, "Registration #%lld", (long long)item->id);
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT r.name, json_extract(e.title, '$.en')"
	                                  " FROM conference_registrations r"
	                                  " JOIN conference_events e ON e.id = r.event_id"
	                                  " WHERE r.item_id = ?1");
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, item->id);
	if (lc_db_step(db, st) == 1)
		snprintf(out, n, "Registration of %s for %s",
		         lc_db_text(st, 0) ? lc_db_text(st, 0) : "",
		         lc_db_text(st, 1) ? lc_db_text(st, 1) : "");
	lc_db_release(db, st);
}

static void path(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	struct reg r;
	if (reg_load(db, item->id, &r) == 0)
		snprintf(out, n, "/conferences/%s/registrations/%lld", r.slug, (long long)item->id);
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
	return lc_authz_check(actor, MANAGE, NULL);
}

static void city_name(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	(void)db, (void)item;
	if (n)
		out[0] = '\0';
}

const struct lc_wf_process lc_conf_reg_process = {
    .name = "conference_registration",
    .initial = "pending",
    .states = states,
    .nstates = sizeof states / sizeof *states,
    .transitions = transitions,
    .ntransitions = sizeof transitions / sizeof *transitions,
    .path = path,
    .guard = guard,
    .effect = effect,
    .title = title,
    .may_view = may_view,
    .city_name = city_name,
};

/* ---- the waiting list --------------------------------------------------------------------- */

/* The first registration waiting for a place in category key. */
static int first_waiting(struct lc_db *db, int64_t key, int64_t *item)
{
	*item = 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT w.id FROM conference_registrations r"
	                                  " JOIN wf_items w ON w.id = r.item_id"
	                                  " WHERE r.category_id = ?1 AND r.active = 1"
	                                  " AND w.state = 'waitlisted'"
	                                  " ORDER BY w.entered_at, w.id LIMIT 1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, key);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*item = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* The waiting list of category c. */
static struct lc_waitlist waitlist_of(const struct lc_conf_category *c)
{
	return (struct lc_waitlist){.process = &lc_conf_reg_process,
	                            .key = c->id,
	                            .capacity = c->capacity,
	                            .places = lc_conf_category_places,
	                            .first = first_waiting};
}

int lc_conf_reg_offer_free(struct lc_db *db, int64_t category_id, int64_t now)
{
	struct lc_conf_category c;
	int err = lc_conf_category_load_id(db, category_id, &c);
	if (err)
		return err;
	bool open = now < lc_conf_category_close_at(&c);
	struct lc_waitlist w = waitlist_of(&c);
	lc_conf_category_cleanup(&c);
	/* No offer goes out after registration closes. */
	if (!open)
		return 0;
	return lc_waitlist_offer_free(db, &w);
}

/* ---- registering -------------------------------------------------------------------------- */

static int duplicate(struct lc_db *db, int64_t event_id, const char *email, bool *dup)
{
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT 1 FROM conference_registrations WHERE event_id = ?1"
	                   " AND email = ?2 COLLATE NOCASE AND active = 1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, event_id);
	lc_db_bind_text(st, 2, email);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	*dup = rc == 1;
	return rc < 0 ? rc : 0;
}

/* The registration's name: the answer "name", else the account's. */
static const char *name_of(const json_t *answers, const struct lc_actor *actor)
{
	const char *n = json_string_value(json_object_get(answers, "name"));
	return n && *n ? n : actor->name[0] ? actor->name : actor->email;
}

int lc_conf_reg_create(struct lc_db *db, const struct lc_actor *actor, const char *slug,
                       const char *code, const json_t *answers, struct lc_diag *d, int64_t *id)
{
	*id = 0;
	int err = lc_authz_check(actor, REG, NULL);
	if (err)
		return err;
	if (actor->kind != LC_ACTOR_ACCOUNT)
		return LC_EPERM;
	struct lc_conf_event e;
	struct lc_conf_category c;
	memset(&c, 0, sizeof c);
	err = lc_conf_event_load(db, slug, &e);
	if (err)
		return err;
	json_t *kept = NULL;
	err = lc_conf_category_load(db, e.id, code, &c);
	if (err == LC_ENOTFOUND) {
		lc_diag_addf(d, NULL, 0, 0, "category", "err_conf_reg_category",
		             LC_ARG_S("code", code ? code : ""));
		err = LC_EINVAL;
		goto done;
	}
	if (err)
		goto done;
	int64_t now = lc_clock_now();
	if (c.invitation) {
		lc_diag_add(d, NULL, 0, 0, "category", "err_conf_reg_invitation");
		err = LC_ECONFLICT;
		goto done;
	}
	if (!lc_conf_category_open(&c, now)) {
		lc_diag_addf(d, NULL, 0, 0, "category", "err_conf_reg_closed",
		             LC_ARG_S("opens", c.opens), LC_ARG_S("closes", c.closes));
		err = LC_ECONFLICT;
		goto done;
	}
	kept = lc_conf_form_answers(db, c.form, answers, d);
	if (!kept) {
		err = LC_EINVAL;
		goto done;
	}
	err = lc_db_begin(db);
	if (err)
		goto done;
	bool dup = false;
	err = duplicate(db, e.id, actor->email, &dup);
	if (!err && dup) {
		lc_diag_addf(d, NULL, 0, 0, "email", "err_conf_reg_duplicate",
		             LC_ARG_S("email", actor->email));
		err = LC_ECONFLICT;
	}
	struct lc_wf_item init = {.owner_id = actor->account_id};
	if (!err)
		err = lc_wf_create(db, actor, &lc_conf_reg_process, &init, id);
	if (!err) {
		sqlite3_stmt *st = lc_db_stmt(
		    db,
		    "INSERT INTO conference_registrations (item_id, event_id, category_id, email,"
		    " name, name_latin, lang, answers, created_at, updated_at)"
		    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)");
		char *a = json_dumps(kept, JSON_COMPACT);
		if (!st) {
			err = LC_EDB;
		} else {
			sqlite3_bind_int64(st, 1, *id);
			sqlite3_bind_int64(st, 2, e.id);
			sqlite3_bind_int64(st, 3, c.id);
			lc_db_bind_text(st, 4, actor->email);
			lc_db_bind_text(st, 5, name_of(kept, actor));
			lc_db_bind_text(st, 6,
			                json_string_value(json_object_get(kept, "name_latin")));
			lc_db_bind_text(st, 7, lc_text_lang(actor->lang));
			lc_db_bind_text(st, 8, a ? a : "{}");
			sqlite3_bind_int64(st, 9, now);
			int rc = lc_db_step(db, st);
			lc_db_release(db, st);
			err = rc < 0 ? rc : 0;
		}
		lc_free(a);
	}
	if (!err) {
		/* A full category, or one with people waiting, puts the newcomer on its list:
		 * a freed place is the list's. */
		long used = 0, waiting = 0;
		err = lc_conf_category_places(db, c.id, &used, &waiting);
		struct lc_actor sys;
		lc_actor_system(&sys);
		/* used counts the newcomer's own pending place. */
		struct lc_waitlist w = waitlist_of(&c);
		if (!err && lc_waitlist_must_wait(&w, used, waiting))
			err = lc_wf_take(db, &sys, &lc_conf_reg_process, *id, "waitlisted", NULL, d,
			                 NULL);
		else if (!err && !c.moderated)
			err = lc_wf_take(db, &sys, &lc_conf_reg_process, *id, "approved", NULL, d,
			                 NULL);
	}
	if (!err)
		err = lc_db_commit(db);
	if (err) {
		lc_db_rollback(db);
		*id = 0;
	}
done:
	json_decref(kept);
	lc_conf_category_cleanup(&c);
	lc_conf_event_cleanup(&e);
	return err;
}

/* The item of registration id, with the right to act on it as its owner or organiser. */
static int item_of(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                   struct lc_wf_item *it)
{
	int err = lc_wf_get(db, &lc_conf_reg_process, id, it);
	if (!err)
		err = may_view(db, actor, it);
	return err;
}

/* Does the registration's name or name in Latin letters differ from these? */
static int name_changed(struct lc_db *db, int64_t id, const char *name, const char *latin,
                        bool *changed)
{
	*changed = false;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT name IS NOT ?2 OR name_latin IS NOT ?3"
	                                  " FROM conference_registrations WHERE item_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, name);
	lc_db_bind_text(st, 3, latin);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*changed = sqlite3_column_int(st, 0) != 0;
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_conf_reg_update(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                       const json_t *answers, struct lc_diag *d)
{
	struct lc_wf_item it;
	int err = item_of(db, actor, id, &it);
	if (err)
		return err;
	bool owner = it.owner_id && it.owner_id == actor->account_id;
	bool manager = lc_authz_check(actor, MANAGE, NULL) == 0;
	struct reg r;
	struct lc_conf_category c;
	memset(&c, 0, sizeof c);
	err = reg_load(db, id, &r);
	if (!err)
		err = lc_conf_category_load_id(db, r.category_id, &c);
	if (err)
		return err;
	json_t *kept = NULL;
	const struct lc_wf_state *s = lc_wf_state_find(&lc_conf_reg_process, it.state);
	if (!s || s->terminal) {
		lc_diag_add(d, NULL, 0, 0, NULL, "err_conf_reg_ended");
		err = LC_ECONFLICT;
		goto done;
	}
	if (!manager && lc_clock_now() >= lc_conf_category_close_at(&c)) {
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_conf_reg_closed", LC_ARG_S("opens", c.opens),
		             LC_ARG_S("closes", c.closes));
		err = LC_ECONFLICT;
		goto done;
	}
	kept = lc_conf_form_answers(db, c.form, answers, d);
	if (!kept) {
		err = LC_EINVAL;
		goto done;
	}
	err = lc_db_begin(db);
	if (err)
		goto done;
	const char *n = json_string_value(json_object_get(kept, "name"));
	const char *name = n && *n ? n : actor->name[0] ? actor->name : r.email;
	const char *latin = json_string_value(json_object_get(kept, "name_latin"));
	bool renamed = false;
	if (!err)
		err = name_changed(db, id, name, latin, &renamed);
	sqlite3_stmt *st = err ? NULL
	                       : lc_db_stmt(db, "UPDATE conference_registrations SET answers = ?2,"
	                                        " name = ?3, name_latin = ?4, updated_at = ?5"
	                                        " WHERE item_id = ?1");
	char *a = json_dumps(kept, JSON_COMPACT);
	if (!st) {
		err = err ? err : LC_EDB;
	} else {
		sqlite3_bind_int64(st, 1, id);
		lc_db_bind_text(st, 2, a ? a : "{}");
		lc_db_bind_text(st, 3, name);
		lc_db_bind_text(st, 4, latin);
		sqlite3_bind_int64(st, 5, lc_clock_now());
		int rc = lc_db_step(db, st);
		lc_db_release(db, st);
		err = rc < 0 ? rc : 0;
	}
	lc_free(a);
	/* The badge prints the name: a ticket naming the old one is revoked and replaced. */
	if (!err && renamed) {
		char ticket[LC_TICKET_CHARS + 1];
		err = lc_ticket_reissue(db, r.event_id, id, LC_TICKET_CHANGED, ticket);
	}
	/* An approved person who changes their answers in a moderated category is reviewed again.
	 */
	if (!err && owner && strcmp(it.state, "approved") == 0 && c.moderated && c.edit_repends) {
		struct lc_actor sys;
		lc_actor_system(&sys);
		err = lc_wf_take(db, &sys, &lc_conf_reg_process, id, "pending",
		                 "The registration was edited after its approval.", d, NULL);
	}
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
done:
	json_decref(kept);
	lc_conf_category_cleanup(&c);
	return err;
}

int lc_conf_reg_take(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *to,
                     const char *reason, struct lc_diag *d)
{
	struct lc_wf_item it;
	int err = item_of(db, actor, id, &it);
	if (err)
		return err;
	return lc_wf_take(db, actor, &lc_conf_reg_process, id, to, reason, d, NULL);
}

/* ---- the view ----------------------------------------------------------------------------- */

int lc_conf_reg_view(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *lang,
                     json_t **out)
{
	*out = NULL;
	struct lc_wf_item it;
	int err = item_of(db, actor, id, &it);
	if (err)
		return err;
	struct reg r;
	struct lc_conf_category c;
	struct lc_conf_event e;
	memset(&c, 0, sizeof c);
	memset(&e, 0, sizeof e);
	err = reg_load(db, id, &r);
	if (!err)
		err = lc_conf_category_load_id(db, r.category_id, &c);
	if (!err)
		err = lc_conf_event_load(db, r.slug, &e);
	json_t *wf = NULL, *v = NULL;
	if (!err)
		err = lc_wf_item_json(db, actor, &it, &wf);
	sqlite3_stmt *st = NULL;
	if (!err) {
		st =
		    lc_db_stmt(db, "SELECT r.email, r.name, r.name_latin, r.lang, r.answers,"
		                   " strftime('%Y-%m-%dT%H:%M:%SZ', r.offer_until, 'unixepoch'),"
		                   " (SELECT h.reason FROM wf_history h WHERE h.item_id = r.item_id"
		                   "  ORDER BY h.id DESC LIMIT 1)"
		                   " FROM conference_registrations r WHERE r.item_id = ?1");
		if (!st)
			err = LC_EDB;
	}
	if (!err) {
		sqlite3_bind_int64(st, 1, id);
		int rc = lc_db_step(db, st);
		if (rc == 1) {
			json_t *answers = lc_row_object(st, 4);
			json_t *ev = lc_conf_event_json(&e, lang);
			const char *cname =
			    json_string_value(json_object_get(c.name, lc_text_lang(lang)));
			if (!cname)
				cname = json_string_value(json_object_get(c.name, "en"));
			v = json_pack(
			    "{s:I, s:s, s:{s:s, s:O, s:b}, s:{s:s, s:s, s:b, s:s, s:s}, s:o,"
			    " s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:O}",
			    "id", (json_int_t)id, "state", it.state, "conference", "slug", e.slug,
			    "title", json_object_get(ev, "title"), "demo", e.demo, "category",
			    "code", c.code, "name", cname ? cname : c.code, "moderated",
			    c.moderated, "opens", c.opens, "closes", c.closes, "email",
			    lc_row_str(st, 0), "name", lc_row_str(st, 1), "name_latin",
			    lc_row_str(st, 2), "lang", lc_row_str(st, 3), "answers", answers,
			    "offer_until", lc_row_str(st, 5), "reason", lc_row_str(st, 6), "form",
			    lc_conf_form_view(c.form, answers, NULL, lang), "workflow", wf);
			json_decref(ev);
		}
		lc_db_release(db, st);
		err = rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : v ? 0 : LC_EINTERNAL;
	}
	json_decref(wf);
	lc_conf_category_cleanup(&c);
	lc_conf_event_cleanup(&e);
	if (err) {
		json_decref(v);
		return err;
	}
	*out = v;
	return 0;
}

/* ---- the demonstration -------------------------------------------------------------------- */

struct demo_person {
	const char *category, *email, *name, *name_latin, *lang, *country, *org;
};

static const struct demo_person people[] = {
    {"mayor", "amina.haddad@example.org", "أمينة حداد", "Amina Haddad", "ar", "MA", "مدينة الرباط"},
    {"delegation", "li.wei@example.org", "李伟", "Li Wei", "zh", "CN", "杭州市"},
    {"ngo", "olga.smirnova@example.org", "Ольга Смирнова", "Olga Smirnova", "ru", "RU",
     "Учимся вместе"},
    {"expert", "maria.garcia@example.org", "María García", "María García", "es", "ES",
     "Universidad de Sevilla"},
    {"expert", "jean.dupont@example.org", "Jean Dupont", "Jean Dupont", "fr", "FR",
     "Ville de Lyon"},
    /* The expert category has two places: these two wait, in this order. */
    {"expert", "aoife.murphy@example.org", "Aoife Murphy", "Aoife Murphy", "en", "IE",
     "Cork City Council"},
    {"expert", "kofi.mensah@example.org", "Kofi Mensah", "Kofi Mensah", "en", "GH",
     "University of Ghana"},
};

int lc_conf_reg_demo(struct lc_db *db)
{
	struct lc_conf_event e;
	int err = lc_conf_event_load(db, LC_CONF_EVENT_DEMO_SLUG, &e);
	if (err)
		return err == LC_ENOTFOUND ? 0 : err;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT count(*) FROM conference_registrations WHERE event_id = ?1");
	int rc = LC_EDB;
	if (st) {
		sqlite3_bind_int64(st, 1, e.id);
		rc = lc_db_step(db, st);
		if (rc == 1 && sqlite3_column_int64(st, 0) > 0)
			rc = 0;
		lc_db_release(db, st);
	}
	struct lc_actor sys;
	lc_actor_system(&sys);
	for (size_t i = 0; rc == 1 && !err && i < sizeof people / sizeof *people; i++) {
		const struct demo_person *p = &people[i];
		struct lc_conf_category c;
		err = lc_conf_category_load(db, e.id, p->category, &c);
		if (err)
			break;
		json_t *answers = json_pack(
		    "{s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "name", p->name, "name_latin",
		    p->name_latin, "organisation", p->org, "country", p->country, "dietary",
		    i % 2 ? "vegetarian" : "none", "list_consent", i % 3 != 0, "privacy", 1);
		struct lc_wf_item init = {0};
		int64_t id = 0;
		err = lc_wf_create(db, &sys, &lc_conf_reg_process, &init, &id);
		char *a = json_dumps(answers, JSON_COMPACT);
		sqlite3_stmt *ins =
		    err ? NULL
		        : lc_db_stmt(db, "INSERT INTO conference_registrations"
		                         " (item_id, event_id, category_id, email,"
		                         " name, name_latin, lang, answers, created_at,"
		                         " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
		                         " ?7, ?8, ?9, ?9)");
		if (!err && !ins)
			err = LC_EDB;
		if (!err) {
			sqlite3_bind_int64(ins, 1, id);
			sqlite3_bind_int64(ins, 2, e.id);
			sqlite3_bind_int64(ins, 3, c.id);
			lc_db_bind_text(ins, 4, p->email);
			lc_db_bind_text(ins, 5, p->name);
			lc_db_bind_text(ins, 6, p->name_latin);
			lc_db_bind_text(ins, 7, p->lang);
			lc_db_bind_text(ins, 8, a ? a : "{}");
			sqlite3_bind_int64(ins, 9, lc_clock_now());
			int r2 = lc_db_step(db, ins);
			lc_db_release(db, ins);
			err = r2 < 0 ? r2 : 0;
		}
		lc_free(a);
		json_decref(answers);
		long used = 0, waiting = 0;
		if (!err)
			err = lc_conf_category_places(db, c.id, &used, &waiting);
		if (!err)
			err = lc_wf_take(db, &sys, &lc_conf_reg_process, id,
			                 used > c.capacity || waiting ? "waitlisted" : "approved",
			                 NULL, NULL, NULL);
		lc_conf_category_cleanup(&c);
	}
	lc_conf_event_cleanup(&e);
	return err ? err : rc < 0 ? rc : 0;
}
