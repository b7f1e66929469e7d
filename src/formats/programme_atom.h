/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The Atom feed (RFC 4287) of a conference programme's changelog: one entry
 * per release, newest first, saying what changed from the release before
 * (new, cancelled, moved with the old and new time and room, renamed), as
 * domain/conference/programme.h's lc_prog_changelog answers it. The words
 * come from the caller (the reader's catalogue); this module writes XML only.
 * Entry ids stay the same across requests (the conference's slug and the
 * release's name), so a feed reader shows each release once.
 */
#ifndef LC_PROGRAMME_ATOM_H
#define LC_PROGRAMME_ATOM_H

#include <jansson.h>

struct lc_buf;
struct lc_prog_export;

/* The words of the feed, in the reader's language. Borrowed. */
struct lc_prog_atom_words {
	const char *feed_title; /* "Changes to the programme" */
	const char *version;    /* "Version" */
	const char *first;      /* "The first release of the programme." */
	const char *moved, *cancelled, *renamed, *added;
};

/*
 * Appends the feed of changelog (lc_prog_changelog's {"items": [...]}) to
 * out. x gives the conference's slug, title and base URL (links are
 * relative to "/" when x->base_url is NULL). 0; LC_ELIMIT when out is full.
 */
int lc_prog_atom(const json_t *changelog, const struct lc_prog_export *x,
                 const struct lc_prog_atom_words *w, struct lc_buf *out);

#endif
