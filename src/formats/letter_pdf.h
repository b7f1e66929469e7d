/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A one-page A4 letter as PDF, drawn with cairo and laid out by pango (any
 * script, right to left where the text is): a heading, the date line,
 * paragraphs, and at the foot the verification code and the address where
 * anyone may check it. The words come from the caller (domain/conference/
 * letter.c says them in the reader's language); this knows no database.
 */
#ifndef LC_LETTER_PDF_H
#define LC_LETTER_PDF_H

#include <stddef.h>

struct lc_buf;

struct lc_letter_text {
	const char *heading;           /* "Letter of invitation" */
	const char *date_line;         /* "Paris, 7 December 2026" */
	const char *const *paragraphs; /* n_paragraphs of them */
	size_t n_paragraphs;
	const char *signature; /* "The secretariat of ..." */
	const char
	    *verify_line;     /* "Verification code ABCD...: https://.../letters/verify/ABCD..." */
	const char *language; /* BCP 47 tag of the text */
};

/* Appends the PDF to out. 0, LC_EINVAL (no heading), LC_ELIMIT (out full), LC_EINTERNAL. */
int lc_letter_pdf(const struct lc_letter_text *t, struct lc_buf *out);

/*
 * Frees the process-wide font caches pango, cairo and fontconfig keep after
 * drawing (badges too), so a leak checker sees none. Once, at the end of a
 * process that drew PDFs, when nothing draws any more.
 */
void lc_pdf_fonts_release(void);

#endif
