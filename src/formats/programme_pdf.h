/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A conference programme as a printable PDF (cairo and pango, as the
 * badges): A4 portrait, by day and then by room, each session with its
 * time, title, type, track, interpretation languages and speakers, names in
 * their own scripts shaped by pango with the Noto fonts (Arabic right to
 * left, Chinese, Cyrillic, ...). Pages break between sessions, never inside
 * one; a room's heading is repeated on the next page when its sessions go on.
 */
#ifndef LC_PROGRAMME_PDF_H
#define LC_PROGRAMME_PDF_H

#include <jansson.h>

struct lc_buf;

/* The words of the document, in the reader's language. Borrowed. */
struct lc_prog_pdf_words {
	const char *heading;   /* "Programme" */
	const char *version;   /* "Version" */
	const char *times_in;  /* "times in" */
	const char *off_site;  /* the room of sessions without one */
	const char *cancelled; /* "Cancelled" */
	const char *chair;     /* "Chair" */
};

/*
 * Appends the PDF of view (domain/conference/programme.h's lc_prog_view:
 * "conference", "version", "days", "rooms") to out. 0; LC_ELIMIT when out is
 * full; LC_EINTERNAL when cairo fails.
 */
int lc_prog_pdf(const json_t *view, const struct lc_prog_pdf_words *w, struct lc_buf *out);

#endif
