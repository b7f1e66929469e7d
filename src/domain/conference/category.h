/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A conference run in learncity as its secretariat sets it up: the
 * conference itself (created and edited here; event.h reads it) and its
 * participant categories, each with its form as data (form.h), its
 * capacity, its registration window, its visibility (public or by
 * invitation only), whether it is moderated, whether an edit after
 * approval returns a registration to pending, and how long an offer from
 * its waiting list holds a place. The public view of a conference (its
 * categories, their places and how to register) is here too.
 *
 * This module owns conference_categories and writes conference_events.
 * Registrations are registration.h's.
 */
#ifndef LC_CONF_CATEGORY_H
#define LC_CONF_CATEGORY_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/limits.h"

struct lc_actor;
struct lc_db;
struct lc_diag;

struct lc_conf_category {
	int64_t id;
	int64_t event_id;
	char code[LC_LIMIT_CONF_FORM_ID + 1];
	json_t *name; /* {lang: text}, owned */
	json_t *form; /* form.h's shape, owned */
	long capacity;
	char opens[11], closes[11]; /* ISO days, inclusive, UTC */
	bool invitation;            /* invitation only */
	bool moderated;
	bool edit_repends; /* an edit after approval returns a moderated registration to pending */
	long offer_hours;  /* an offer from the waiting list holds its place so long */
};

/* Frees name and form. NULL allowed. */
void lc_conf_category_cleanup(struct lc_conf_category *c);

/* The category code of conference event_id. 0, LC_ENOTFOUND, LC_EDB. */
int lc_conf_category_load(struct lc_db *db, int64_t event_id, const char *code,
                          struct lc_conf_category *out);
/* The category of that id. 0, LC_ENOTFOUND, LC_EDB. */
int lc_conf_category_load_id(struct lc_db *db, int64_t id, struct lc_conf_category *out);

/* Is registration open at now (from the start of opens to the end of closes, UTC)? */
bool lc_conf_category_open(const struct lc_conf_category *c, int64_t now);
/* The end (Unix seconds) of the category's closing day. */
int64_t lc_conf_category_close_at(const struct lc_conf_category *c);

/*
 * Places of a category now: *used (pending, approved, and places an offer
 * holds) and *waiting (on its waiting list, offers included). 0, LC_EDB.
 */
int lc_conf_category_places(struct lc_db *db, int64_t category_id, long *used, long *waiting);

/*
 * Creates (slug NULL) or edits (slug of an existing conference) a
 * conference from spec, the JSON of POST /api/v1/conferences and PUT
 * /api/v1/conferences/{slug}:
 * {"slug" (creation only), "title": text | {lang: text}, "start_date",
 *  "end_date", "timezone", "venue": {"name": text | {lang: text}, "address"?},
 *  "languages": ["en", ...], "demo"?: false,
 *  "categories"?: [{"code", "name": text | {lang: text}, "form"? (form.h; the
 *    default form when absent), "capacity" (1..LC_LIMIT_CONF_CAPACITY),
 *    "opens", "closes" (ISO days, opens <= closes <= end_date),
 *    "visibility": "public" | "invitation", "moderated": bool,
 *    "edit_repends"?: true, "offer_hours"?: 48}]}.
 * On creation without categories, the eight defaults (mayor, minister,
 * delegation, international, ngo, expert, press, staff) open from today
 * to the day before the conference, 100 places each. On an edit the
 * categories given replace those of the same code and add new ones; a
 * category absent from the list stays; capacity never falls below the
 * places in use. Every problem goes to d with its field; nothing is written
 * unless all is well. Requires LC_ACT_MANAGE_CONFERENCE. Audit
 * "conference.create" / "conference.edit". 0 with the slug in slug_out;
 * LC_EINVAL (d), LC_ENOTFOUND, LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_conf_save(struct lc_db *db, const struct lc_actor *actor, const char *slug,
                 const json_t *spec, struct lc_diag *d, char slug_out[LC_LIMIT_CONF_SLUG + 1]);

/*
 * The public view of conference slug: event.h's JSON with "categories":
 * [{"code", "name", "capacity", "used", "available", "waiting", "full",
 *   "opens", "closes", "open" (now), "visibility", "invitation", "moderated",
 *   "register_href"}], in lang. 0 (caller owns *out), LC_ENOTFOUND, LC_EDB.
 */
int lc_conf_view(struct lc_db *db, const char *slug, const char *lang, json_t **out);

/* A category's JSON as in lc_conf_view, with "form" (form.h's view) when with_form. */
json_t *lc_conf_category_json(struct lc_db *db, const struct lc_conf_category *c, const char *slug,
                              const char *lang, bool with_form);

/*
 * The demonstration conference's categories (event.h's demo): the eight
 * defaults, the expert category small (2 places; registration.h's demo
 * fills it and puts two on its waiting list). Inside the demo's
 * transaction; nothing when it has categories. 0 or LC_EDB.
 */
int lc_conf_category_demo(struct lc_db *db);

#endif
