/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The Frab schedule (the format conference apps such as Giggity, ConfClerk
 * and Fahrplan read) of a conference programme, in JSON (the c3voc schema)
 * and XML (its schedule.xml XSD); tests/frab/ holds both and says where they
 * come from. Days run from the conference's first to its last day; each
 * session sits in its room (sessions without a room in x->no_room's room);
 * cancelled sessions are left out, since the format has no status for them.
 * GUIDs are derived from the conference's slug and the session's id, so
 * they stay the same across releases.
 */
#ifndef LC_FRAB_H
#define LC_FRAB_H

#include <jansson.h>

#include "formats/ical.h"

struct lc_buf;

/* The schedule of doc as a JSON value in *out (caller owns). 0; LC_EINVAL (bad zone or dates). */
int lc_frab_json(const json_t *doc, const struct lc_prog_export *x, const char *no_room,
                 json_t **out);

/* The schedule of doc as XML, appended to out. 0; LC_EINVAL, LC_ELIMIT (out full). */
int lc_frab_xml(const json_t *doc, const struct lc_prog_export *x, const char *no_room,
                struct lc_buf *out);

/* A UUID (version 8, from a BLAKE2b hash) named by text, into out[37]. Stable for a text. */
void lc_frab_uuid(const char *text, char out[37]);

#endif
