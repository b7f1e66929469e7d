/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Conference badges as PDF, drawn with cairo and laid out by pango (which
 * shapes every script: Arabic right to left, Chinese, Cyrillic, with the
 * Noto fonts through fontconfig), the ticket's QR code drawn module by
 * module from libqrencode's matrix. A badge is A6 portrait: a band in the
 * category's colour naming the category, the name in Latin script, the name
 * in the person's own script, organisation, city and country, and the QR
 * code. A sheet puts four badges on each A4 page with cut marks; single
 * badges are one A6 page each.
 *
 * It knows nothing of the database: callers fill struct lc_badge (the
 * registration side, or the spreadsheet reader of badge_csv.h).
 */
#ifndef LC_BADGE_PDF_H
#define LC_BADGE_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lc_buf;

/* What a badge shows about one registration. Strings are borrowed UTF-8; NULL or "" omits. */
struct lc_badge {
	const char *name_latin;  /* required: the name in Latin script */
	const char *name_native; /* the name in the person's own script */
	const char *organisation;
	const char *city;
	const char *country;
	const char *category; /* the category as printed ("Mayor", "Press") */
	uint32_t colour;      /* the category's colour, 0xRRGGBB */
	const char *language; /* BCP 47 tag of name_native ("ar", "zh-Hans", "ru"): picks glyphs */
	const char *ticket;   /* the signed ticket the QR code carries; NULL: no QR code */
};

/*
 * Draws n badges (1..LC_LIMIT_BADGES) into a PDF appended to out: an A4
 * sheet of four a page, or single A6 badges. 0, LC_EINVAL (a badge without
 * a Latin name, n out of range), LC_ELIMIT (a ticket too long for a QR
 * code, out full), LC_EINTERNAL (cairo failed).
 */
int lc_badge_pdf(const struct lc_badge *badges, size_t n, bool single, struct lc_buf *out);

#endif
