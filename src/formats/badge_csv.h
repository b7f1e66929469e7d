/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A secretariat's badge spreadsheet (CSV, UTF-8, one badge a row) read into
 * struct lc_badge for badge_pdf.h, for `learncity conference badges`.
 *
 * Columns, in any order, named by the header row: name_latin (required),
 * name_native, organisation, city, country, category, colour ("#RRGGBB";
 * empty: grey), language (the BCP 47 tag of name_native: "ar", "zh-Hans"),
 * ticket (the text the QR code carries; empty: no QR code). Every cell is
 * UTF-8 of at most LC_LIMIT_BADGE_FIELD_BYTES (a ticket
 * LC_LIMIT_BADGE_TICKET_BYTES); at most LC_LIMIT_BADGES rows. Every problem
 * is reported with its line and column; any problem refuses the whole file.
 */
#ifndef LC_BADGE_CSV_H
#define LC_BADGE_CSV_H

#include <stddef.h>

#include "formats/badge_pdf.h"
#include "formats/csv.h"

struct lc_diag;

struct lc_badge_csv {
	struct lc_csv csv;       /* owns the text the badges point into */
	struct lc_badge *badges; /* owned, n of them */
	size_t n;
};

void lc_badge_csv_init(struct lc_badge_csv *b);
/* Frees everything. NULL allowed. */
void lc_badge_csv_cleanup(struct lc_badge_csv *b);

/*
 * Parses len bytes of CSV named file (for messages; may be NULL). 0, or
 * LC_EINVAL / LC_ELIMIT with every problem in diag and b left empty.
 */
int lc_badge_csv_parse(struct lc_badge_csv *b, const char *data, size_t len, const char *file,
                       struct lc_diag *diag);
/* The same from a file (at most LC_LIMIT_CSV_BYTES); LC_EIO when it cannot be read. */
int lc_badge_csv_read_file(struct lc_badge_csv *b, const char *path, struct lc_diag *diag);

#endif
