/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A person's registration for a conference run in learncity, on the
 * workflow engine (process "conference_registration"):
 *
 *   pending --approve--> approved          (organisers; the system when not moderated)
 *   pending --reject--> rejected           (organisers, with a reason the person sees)
 *   pending --waitlist--> waitlisted       (the system when the category is full)
 *   waitlisted --offer--> offered          (the clock: a place freed; holds it offer_hours)
 *   offered --accept--> approved           (the person)
 *   offered --decline--> withdrawn         (the person; the place passes on at once)
 *   offered --expire--> expired            (the clock at the offer's deadline; passes on)
 *   waitlisted --promote--> approved       (organisers, with a reason, when a place is free)
 *   waitlisted --remove--> cancelled       (organisers, with a reason)
 *   pending|approved --cancel--> cancelled (organisers, with a reason)
 *   pending|approved|waitlisted --withdraw--> withdrawn (the person)
 *   approved --repend--> pending           (the system: an edit in a moderated category)
 *
 * Places: pending, approved and offered registrations take one each and
 * never exceed the category's capacity; a newcomer is waitlisted when the
 * category is full or anyone waits on its list (a freed place is the
 * list's). Whenever a place frees, the first on the list (by the time they
 * joined it) gets an offer, unless registration has closed. One active
 * registration (pending, approved, waitlisted, offered) per conference and
 * e-mail, compared case-insensitively; a withdrawn, rejected, cancelled or
 * expired person may register again.
 *
 * This module owns conference_registrations. Tickets, badges and check-in
 * refer to a registration by its id (the wf_items id).
 */
#ifndef LC_CONF_REGISTRATION_H
#define LC_CONF_REGISTRATION_H

#include <stdint.h>

#include <jansson.h>

#include "domain/workflow/workflow.h"

struct lc_actor;
struct lc_db;
struct lc_diag;

extern const struct lc_wf_process lc_conf_reg_process;

/*
 * Registers actor (a logged-in person: LC_ACT_REGISTER_CONFERENCE) for
 * conference slug in category code with answers (form.h's check). The
 * person's e-mail and language are the account's; the name is the answer
 * "name" when the form has one, else the account's name. Refusals:
 * LC_ENOTFOUND (no conference), LC_EINVAL (d: the category, each answer),
 * LC_ECONFLICT (d: not open, by invitation only, already registered).
 * 0 with *id the registration's id.
 */
int lc_conf_reg_create(struct lc_db *db, const struct lc_actor *actor, const char *slug,
                       const char *code, const json_t *answers, struct lc_diag *d, int64_t *id);

/*
 * Replaces the answers of registration id (its owner until the category
 * closes, or the organisers); an edit by its owner after approval in a
 * moderated category whose edit_repends is set returns it to pending.
 * LC_EINVAL (d), LC_ECONFLICT (closed, or a registration that has ended),
 * LC_EAUTH/LC_EPERM, LC_ENOTFOUND.
 */
int lc_conf_reg_update(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                       const json_t *answers, struct lc_diag *d);

/* Takes the step to state `to` (lc_wf_take's refusals), then offers freed places. */
int lc_conf_reg_take(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *to,
                     const char *reason, struct lc_diag *d);

/*
 * The registration for its owner and the organisers:
 * {"id", "state", "conference": {"slug", "title"}, "category": {"code", "name"},
 *  "email", "name", "name_latin", "lang", "answers", "offer_until": "...Z" | null,
 *  "reason": the reason of the last step (a rejection's) | null,
 *  "form": form.h's view with the answers, "workflow": lc_wf_item_json}.
 * 0 (caller owns *out), LC_EAUTH, LC_EPERM, LC_ENOTFOUND, LC_EDB.
 */
int lc_conf_reg_view(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *lang,
                     json_t **out);

/*
 * Offers every free place of category category_id to the first people on
 * its waiting list, at now, while registration is open; inside the
 * caller's transaction. 0 or an error.
 */
int lc_conf_reg_offer_free(struct lc_db *db, int64_t category_id, int64_t now);

/*
 * Queues the e-mail of the state registration id just entered, to its
 * person in their language, inside the caller's transaction: "approved" a
 * confirmation with the registration as an .ics attachment, "waitlisted",
 * "offered" (the hold's end in the conference's local time) and "rejected"
 * (with reason); other states send nothing here. 0 or an error.
 */
int lc_conf_reg_mail(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *state,
                     const char *reason);

/*
 * Sends the reminder before conference slug (mail kind conf_reg_reminder, in
 * each reader's language) to every approved registration of a person with
 * an account who has had none, in one transaction with its audit row
 * "conference.remind"; each person is reminded once, however often it runs.
 * For the organisers. 0 with *sent the count, LC_ENOTFOUND, LC_EAUTH/LC_EPERM,
 * LC_EDB.
 */
int lc_conf_reg_remind(struct lc_db *db, const struct lc_actor *actor, const char *slug,
                       long *sent);

/*
 * Appends registration id's badge (one A6 page, its current ticket in the QR
 * code, issued now when it has none) to out, when it belongs to conference
 * slug. For its owner and the organisers; anyone else gets LC_ENOTFOUND, as
 * for a registration that does not exist. Only an approved registration has
 * a badge: LC_ECONFLICT otherwise. 0, LC_EAUTH, LC_ENOTFOUND, LC_ECONFLICT,
 * LC_ELIMIT, LC_EINTERNAL, LC_EDB.
 */
struct lc_buf;
int lc_conf_reg_badge_pdf(struct lc_db *db, const struct lc_actor *actor, const char *slug,
                          int64_t id, struct lc_buf *out);

/*
 * The demonstration's registrations (after lc_conf_category_demo): names in
 * Arabic, Chinese, Cyrillic and Latin script in their languages; the expert
 * category full with two people waiting. Inside the demo's transaction. 0 or an error.
 */
int lc_conf_reg_demo(struct lc_db *db);

/* A filter over a conference's registrations, for the organisers. */
struct lc_conf_reg_query {
	const char *category; /* a category code, or NULL */
	const char *state;    /* a state, or NULL */
	const char *q;        /* a part of the name, the name in Latin letters or the e-mail */
	long page;            /* 0 means 1 */
	long per_page;        /* 0 means LC_DEFAULT_PER_PAGE */
};

/*
 * The registrations of conference slug matching q, oldest first, for the
 * organisers (LC_ACT_MANAGE_CONFERENCE):
 * {"conference": event.h's JSON, "items": [{"id", "state", "category",
 *   "category_name", "name", "name_latin", "email", "lang", "organisation",
 *   "country", "registered_at", "offer_until", "href"}], "total", "page",
 *  "per_page", "pages", "filters": {"category", "state", "q"},
 *  "by_state": {"approved": 3, ...} (over the conference, without the state
 *  filter), "categories": [{"code", "name", "capacity", "used", "waiting",
 *  "waitlist": [{"id", "name", "state", "since"}] in order}],
 *  "needs": {"dietary": [{"value", "count"}], "accessibility": n} (active
 *  registrations, totals without names)}.
 * 0 (caller owns *out), LC_EINVAL (page, state), LC_ENOTFOUND, LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_conf_reg_list(struct lc_db *db, const struct lc_actor *actor, const char *slug,
                     const struct lc_conf_reg_query *q, const char *lang, json_t **out);

/*
 * Every registration of conference slug as CSV (a header row, then one row
 * per registration, oldest first: id, state, category, name, name_latin,
 * email, lang, organisation, position, city, country, registered_at), cells
 * neutralised against formula injection; no dietary or accessibility needs
 * (the organisers get those as totals). For the organisers. 0, LC_ENOTFOUND,
 * LC_EAUTH/LC_EPERM, LC_ELIMIT (out full), LC_EDB.
 */
struct lc_buf;
int lc_conf_reg_csv(struct lc_db *db, const struct lc_actor *actor, const char *slug,
                    struct lc_buf *out);

#endif
