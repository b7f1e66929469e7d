/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Writing XLSX workbooks over libxlsxwriter from a simple description, for
 * data-entry templates that cities download pre-filled, fill in offline and
 * upload back (formats/xlsx.h reads them). A sheet has a header row (bold
 * and frozen), columns with widths and optional data validation (a list of
 * allowed values, or a numeric range, with an input message), and data
 * rows of text or number cells. A sheet may be hidden and protected, for a
 * "meta" sheet of machine-readable codes.
 *
 * libxlsxwriter writes numbers with 16 significant digits; this module then
 * rewrites every number that needs 17 with the shortest text that reads
 * back as the same double, so values go through a template unchanged. Text
 * cells are always written as text, never as formulas, whatever they start
 * with. libxlsxwriter writes to a file: the module writes a temporary file
 * (in $TMPDIR or /tmp), reads it back into the caller's buffer and removes
 * it on every path.
 */
#ifndef LC_XLSX_WRITE_H
#define LC_XLSX_WRITE_H

#include <stdbool.h>
#include <stddef.h>

struct lc_buf;
struct lc_diag;

enum lc_xlsx_wkind {
	LC_XLSX_W_EMPTY = 0,
	LC_XLSX_W_TEXT,   /* text, UTF-8, at most 32,767 characters (Excel's limit) */
	LC_XLSX_W_NUMBER, /* num; NaN and infinities are written as empty cells */
};

struct lc_xlsx_wcell {
	int kind; /* enum lc_xlsx_wkind */
	const char *text;
	double num;
};

enum lc_xlsx_valid {
	LC_XLSX_VALID_NONE = 0,
	/* One of list[], joined with commas at most 255 bytes (Excel's limit on an
	   inline list). A list drawn from a range of cells is left out on purpose:
	   libxlsxwriter 1.1.4 leaks the range's text for each such validation. */
	LC_XLSX_VALID_LIST,
	LC_XLSX_VALID_DECIMAL, /* a number in [min, max] */
	LC_XLSX_VALID_INTEGER, /* a whole number in [min, max] */
};

struct lc_xlsx_wcol {
	const char *header; /* text of the header row; NULL for an empty header cell */
	double width;       /* in characters; 0 keeps the default */
	int validate;       /* enum lc_xlsx_valid, applied to the data rows */
	const char *const *list;
	size_t n_list;
	double min, max;
	const char *input_title;   /* shown when a cell is selected; may be NULL */
	const char *input_message; /* may be NULL */
};

struct lc_xlsx_wsheet {
	const char *name; /* at most 31 characters, none of []:*?/\ */
	const struct lc_xlsx_wcol *cols;
	size_t n_cols;
	const struct lc_xlsx_wcell *cells; /* n_rows * n_cols, row-major; may be NULL */
	size_t n_rows;                     /* data rows below the header */
	size_t valid_rows; /* rows that validation covers; 0 means n_rows (at least 1) */
	bool header;       /* write cols[].header as a bold, frozen first row */
	bool hidden;       /* hidden tab; the first sheet may not be hidden */
	bool protect;      /* locked against edits (without a password) */
};

/*
 * Writes a workbook of n sheets into out (appended; out's maximum applies).
 * Returns 0; LC_EINVAL for a bad description (bad sheet name, hidden first
 * sheet, a validation list too long or empty, a bad input message) with the
 * problem in diag; LC_ELIMIT for a text longer than Excel allows or when
 * out's maximum is exceeded; LC_EIO when the temporary file fails.
 */
int lc_xlsx_write(const struct lc_xlsx_wsheet *sheets, size_t n, struct lc_buf *out,
                  struct lc_diag *diag);

#endif
