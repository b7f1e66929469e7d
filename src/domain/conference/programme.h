/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A conference's programme (migration 0017): rooms, session types, tracks,
 * speakers and sessions of one conference (event.h), edited by the
 * secretariat as a work in progress and released in named versions. The
 * public sees only released versions; releasing freezes the work in
 * progress into a snapshot, raises each session's SEQUENCE on a material
 * change (time, duration, room, cancellation), and queues one e-mail per
 * person (speakers, people who starred a changed session) per release.
 *
 * A programme document, the shape of the work in progress and of every
 * snapshot (texts in every language they were given in):
 *   {"rooms": [{"id", "name": {lang: text}, "capacity", "accessible", "floor"}],
 *    "types": [{"id", "code", "name": {lang: text}}],
 *    "tracks": [{"id", "code", "name": {lang: text}}],
 *    "speakers": [{"id", "name", "name_native", "title", "organisation", "city",
 *                  "bio": {lang: text}}],
 *    "sessions": [{"id", "title": {..}, "abstract": {..}, "type": code, "track": code | null,
 *                  "room": id | null, "start": "YYYY-MM-DDTHH:MM" (local), "duration" (minutes),
 *                  "languages": [lang], "chair": id | null, "speakers": [id],
 *                  "cancelled": bool, "sequence": n}]}
 * Speakers' e-mail addresses are never in a document.
 *
 * This module owns the programme_* tables, sign-ups for sessions with a
 * capacity included (process "session_signup", below), and writes no file
 * format (formats/ical.h, formats/frab.h).
 */
#ifndef LC_PROGRAMME_H
#define LC_PROGRAMME_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "domain/workflow/workflow.h"

struct lc_actor;
struct lc_conf_event;
struct lc_db;
struct lc_diag;

/*
 * Writes of the work in progress. Each takes a JSON spec; id 0 creates,
 * another id updates (members absent from spec keep their value). Every
 * problem goes to d with its field before anything is written; the write
 * and its audit row commit together. Requires LC_ACT_EDIT_PROGRAMME.
 * 0 with *out_id set (may be NULL); LC_EINVAL (d), LC_ENOTFOUND (id not of
 * this conference), LC_EAUTH/LC_EPERM, LC_EDB.
 *
 * room: {"name": {"en", ...}, "capacity": 1.., "accessible": bool, "floor": text}
 * label (kind "type" or "track"): {"code": [a-z0-9-]+, "name": {"en", ...}}
 * speaker: {"name", "name_native"?, "title"?, "organisation"?, "city"?, "email"?, "lang"?,
 *           "bio"?: {lang: text}}
 * session: {"title": {"en", ...}, "abstract"?: {..}, "type": code, "track"?: code | null,
 *           "room"?: id | null, "start": "YYYY-MM-DDTHH:MM" within the conference's days,
 *           "duration": minutes, "languages"?: [conference languages], "chair"?: id | null,
 *           "speakers"?: [id], "cancelled"?: bool, "capacity"?: 1.. | null (sign-ups)}
 */
int lc_prog_room_put(struct lc_db *db, const struct lc_actor *actor, const struct lc_conf_event *e,
                     int64_t id, const json_t *spec, struct lc_diag *d, int64_t *out_id);
int lc_prog_label_put(struct lc_db *db, const struct lc_actor *actor, const struct lc_conf_event *e,
                      const char *kind, int64_t id, const json_t *spec, struct lc_diag *d,
                      int64_t *out_id);
int lc_prog_speaker_put(struct lc_db *db, const struct lc_actor *actor,
                        const struct lc_conf_event *e, int64_t id, const json_t *spec,
                        struct lc_diag *d, int64_t *out_id);
int lc_prog_session_put(struct lc_db *db, const struct lc_actor *actor,
                        const struct lc_conf_event *e, int64_t id, const json_t *spec,
                        struct lc_diag *d, int64_t *out_id);

/*
 * The work in progress as a document (above), each session's "sequence"
 * being the one it would get if released now, with "warnings" (see
 * lc_prog_warnings). Requires LC_ACT_EDIT_PROGRAMME. Caller owns *out.
 * 0, LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_prog_draft(struct lc_db *db, const struct lc_actor *actor, const struct lc_conf_event *e,
                  json_t **out);

/*
 * Releases the work in progress as version name ([A-Za-z0-9._-], at most
 * LC_LIMIT_PROG_VERSION_NAME) with note (at most LC_LIMIT_PROG_NOTE_BYTES):
 * the snapshot, its audit row "programme.release" and one "programme_changed"
 * e-mail to each speaker and starrer of a session moved, cancelled or
 * renamed since the previous release, all in one transaction.
 * Requires LC_ACT_EDIT_PROGRAMME. 0; LC_EINVAL (d: a bad or taken name, a
 * note too long, nothing to release), LC_ELIMIT (too many versions),
 * LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_prog_release(struct lc_db *db, const struct lc_actor *actor, const struct lc_conf_event *e,
                    const char *name, const char *note, struct lc_diag *d);

/*
 * A released version: name NULL for the newest. Public.
 * {"version": {"name", "note", "released_at" (ISO UTC), "previous": name | null},
 *  "programme": document}. Caller owns *out. 0, LC_ENOTFOUND (no such
 * version, or nothing released), LC_EDB.
 */
int lc_prog_released(struct lc_db *db, const struct lc_conf_event *e, const char *name,
                     json_t **out);

/*
 * Every release, newest first, with what changed from the one before:
 * {"items": [{"name", "note", "released_at", "changes": lc_prog_changes (in lang)}]}.
 * Public. Caller owns *out. 0, LC_EDB.
 */
int lc_prog_changelog(struct lc_db *db, const struct lc_conf_event *e, const char *lang,
                      json_t **out);

/*
 * What changed from document old (NULL: nothing before) to new, texts in lang:
 * {"new": [s], "cancelled": [s], "moved": [s + "old_start", "old_room", "old_duration"],
 *  "renamed": [s + "old_title"], "count"}, s being {"id", "title", "start", "room"}
 * (room: its name, or null). New reference.
 */
json_t *lc_prog_changes(const json_t *old_doc, const json_t *new_doc, const char *lang);

/*
 * The editor's warnings about document doc: {"code", "session", "other"?, "speaker"?}
 * with code "room_twice" (two sessions overlap in one room), "speaker_twice"
 * (a speaker or chair in two overlapping sessions), "outside_day" (a session
 * running past midnight, longer than its day's slot), "room_small" (more people
 * signed up, a session's "signups", than its room holds). New reference (an array).
 */
json_t *lc_prog_warnings(const json_t *doc);

/*
 * Stars (on) or unstars a session of the newest release for the actor.
 * Requires a login (LC_ACT_STAR_SESSIONS). 0, LC_ENOTFOUND (not a session of
 * a release of e), LC_ELIMIT (more than LC_LIMIT_PROG_FAVOURITES), LC_EAUTH,
 * LC_EDB.
 */
int lc_prog_favourite_set(struct lc_db *db, const struct lc_actor *actor,
                          const struct lc_conf_event *e, int64_t session_id, bool on);

/* The ids of the actor's starred sessions of e, as a JSON array in *out. 0, LC_EAUTH, LC_EDB. */
int lc_prog_favourites(struct lc_db *db, const struct lc_actor *actor,
                       const struct lc_conf_event *e, json_t **out);

/* What a programme page shows: NULL / 0 members mean "any". Borrowed. */
struct lc_prog_filter {
	const char *track, *type, *lang, *day; /* a track or type code, a language, YYYY-MM-DD */
	int64_t room;
	const json_t *only; /* session ids (a person's favourites), or NULL */
};

/*
 * A released version (NULL: the newest) for pages and the API, in lang:
 * {"conference": lc_conf_event_json, "version", "count",
 *  "days": [{"date", "sessions": [session]}], "tracks"/"types": [{"code", "name", "selected"}],
 *  "rooms": [{"id", "name", "selected"}], "languages": [{"code", "selected"}], "filters"},
 * session being lc_prog_session_json. Public. 0, LC_ENOTFOUND, LC_EDB.
 */
int lc_prog_view(struct lc_db *db, const struct lc_conf_event *e, const char *version,
                 const char *lang, const struct lc_prog_filter *f, json_t **out);

/*
 * Session s of document doc in lang: {"id", "title", "abstract", "start", "day", "time",
 * "end_time", "duration", "room": {"id", "name", "capacity", "accessible", "floor"} | null,
 * "type": {"code", "name"}, "track": {..} | null, "languages", "chair": person | null,
 * "speakers": [{"id", "name", "name_native"?}], "cancelled", "sequence"}. New reference.
 */
json_t *lc_prog_session_json(const json_t *doc, const json_t *s, const char *lang);

/* {"conference", "version", "session"} of the newest release. 0, LC_ENOTFOUND, LC_EDB. */
int lc_prog_session_view(struct lc_db *db, const struct lc_conf_event *e, int64_t id,
                         const char *lang, json_t **out);

/*
 * {"conference", "version", "speakers": [{"id", "name", "name_native"?, "title",
 * "organisation", "city", "bio", "sessions": [session]}]} of the newest release, and
 * "speaker" (the one) when id is not 0. 0, LC_ENOTFOUND, LC_EDB.
 */
int lc_prog_speakers_view(struct lc_db *db, const struct lc_conf_event *e, int64_t id,
                          const char *lang, json_t **out);

/* The text of a {lang: text} object in lang, English when it has none, "" when neither. Borrowed.
 */
const char *lc_prog_tr(const json_t *obj, const char *lang);

/* The element of array arr whose "id" (or "code" when code is set) matches; NULL when none. */
const json_t *lc_prog_find(const json_t *arr, int64_t id, const char *code);

/*
 * Sign-up for sessions with a capacity (migration 0024, programme_signup.c), on
 * the workflow engine: signed_up, waitlisted, offered (a freed place, held for
 * the offer_hours of the person's registration category, then expired by the
 * workflow clock), withdrawn, expired. The waiting list is registration's
 * (waitlist.h).
 */
extern const struct lc_wf_process lc_prog_signup_process;

/*
 * Signs the actor up for session_id of the newest release of e, or accepts
 * the place offered to them; *state is then "signed_up" or "waitlisted" (the
 * session full, or people waiting). Refusals, each coded in d:
 * LC_ECONFLICT with err_prog_signup_open (the session takes no sign-ups),
 * err_prog_signup_unapproved (no approved registration for e),
 * err_prog_signup_already, err_prog_signup_overlap (signed up or waiting for
 * a session at the same time); LC_ENOTFOUND (no such session in the release,
 * or cancelled), LC_EAUTH, LC_EDB. A refusal writes nothing.
 */
int lc_prog_signup(struct lc_db *db, const struct lc_actor *actor, const struct lc_conf_event *e,
                   int64_t session_id, struct lc_diag *d, char state[32]);

/* Withdraws the actor's sign-up (or place on the list, or offer) for session_id; a
 * freed place is offered at once. 0, LC_ENOTFOUND (none), LC_EAUTH, LC_EDB. */
int lc_prog_signup_withdraw(struct lc_db *db, const struct lc_actor *actor,
                            const struct lc_conf_event *e, int64_t session_id);

/* The actor's active sign-ups of e: {"<session id>": {"state", "offer_until": "...Z" | null}}.
 * Anonymous: {}. Caller owns *out. 0 or LC_EDB. */
int lc_prog_signup_mine(struct lc_db *db, const struct lc_actor *actor,
                        const struct lc_conf_event *e, json_t **out);

/* The sessions of e that take sign-ups now: {"<id>": {"capacity", "used", "waiting", "left"}}.
 * Public. Caller owns *out. 0 or LC_EDB. */
int lc_prog_signup_places(struct lc_db *db, const struct lc_conf_event *e, json_t **out);

/* Sets "signups" (places taken) and "waiting" on the sessions of doc that have any. 0, LC_EDB. */
int lc_prog_signup_counts(struct lc_db *db, int64_t event_id, json_t *doc);

/* Offers the free places of session_id to its waiting list; inside the caller's transaction. */
int lc_prog_signup_offer_free(struct lc_db *db, int64_t session_id);

/*
 * For the organisers (LC_ACT_EDIT_PROGRAMME): {"conference", "session" (the work in
 * progress's, lc_prog_session_json), "capacity" (0: no sign-ups), "used", "waiting",
 * "left", "items": [{"name", "email", "state", "waiting", "since", "offer_until"}]
 * (places first, then the list in its order; at most LC_LIMIT_PROG_SIGNUP_LIST),
 * "shown"}. 0, LC_ENOTFOUND, LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_prog_signup_list(struct lc_db *db, const struct lc_actor *actor,
                        const struct lc_conf_event *e, int64_t session_id, const char *lang,
                        json_t **out);

/*
 * The now-and-next view of the newest release at the venue's local time of
 * Unix time now, or at local time at ("YYYY-MM-DDTHH:MM", a preview) when not
 * NULL: {"conference", "version", "on_day" (today is a conference day),
 * "before" (the conference is still to come), "today", "time" ("HH:MM"),
 * "now": [session] (running), "next": [session] (every one starting at the
 * first start after now, today), "later" (how many start after those)}.
 * Public. 0, LC_EINVAL (at), LC_ENOTFOUND (nothing released), LC_EDB.
 */
int lc_prog_now(struct lc_db *db, const struct lc_conf_event *e, const char *at, int64_t now,
                const char *lang, json_t **out);

/* Minutes since midnight of "YYYY-MM-DDTHH:MM", or -1 when s is not one. */
int lc_prog_minutes(const char *s);

/* The conference's days, "YYYY-MM-DD" from its start to its end date (at most
 * LC_LIMIT_PROG_DAYS), as a new JSON array. */
json_t *lc_prog_days(const struct lc_conf_event *e);

/* The demonstration conference's programme: rooms, tracks, speakers, about forty sessions and
 * two releases. Inside the demo's transaction, after lc_conf_event_demo. 0 or LC_EDB. */
int lc_prog_demo(struct lc_db *db);

#endif
