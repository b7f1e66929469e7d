/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Reading CSV (RFC 4180, via libcsv) into a table of cells: a header row
 * and records, each cell a slice with its line and column for messages.
 * Sizes are checked against base/limits.h (bytes, rows, columns, field
 * bytes); a record whose number of fields differs from the header's, a
 * malformed quote or a limit is reported in a struct lc_diag naming file,
 * line and column (the 1-based field number). A leading UTF-8 BOM is
 * skipped; blank lines are ignored; spaces around unquoted fields are
 * trimmed. What a cell means ("NA", numbers) is the caller's business;
 * lc_csv_is_na and lc_csv_number help.
 */
#ifndef LC_CSV_H
#define LC_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "base/slice.h"

struct lc_diag;

struct lc_csv {
	size_t n_rows; /* rows including the header (row 0) */
	size_t n_cols; /* fields of the header; every row has as many */
	char *bytes;   /* owned: every cell's text, each NUL-terminated */
	size_t *off;   /* owned: n_rows * n_cols offsets into bytes */
	size_t *len;   /* owned: n_rows * n_cols lengths */
	long *line;    /* owned: n_rows 1-based line numbers where rows start */
	char *file;    /* owned copy of the name used in messages, or NULL */
};

void lc_csv_init(struct lc_csv *c);
/* Frees everything; c may be parsed into again. NULL allowed. */
void lc_csv_cleanup(struct lc_csv *c);

/*
 * Parses len bytes of CSV text (not necessarily terminated). file names
 * the source in messages (may be NULL). Returns 0; LC_EINVAL (malformed:
 * ragged rows, bad quotes, empty file) or LC_ELIMIT (a limit) with every
 * problem found in diag. On error *c is left empty.
 */
int lc_csv_parse(struct lc_csv *c, const char *data, size_t len, const char *file,
                 struct lc_diag *diag);
/*
 * Reads and parses a file (at most LC_LIMIT_CSV_BYTES). As lc_csv_parse;
 * LC_EIO when the file cannot be read (with a diag entry).
 */
int lc_csv_read_file(struct lc_csv *c, const char *path, struct lc_diag *diag);

/* The cell at row, col (both 0-based; row 0 is the header); borrowed from c. */
struct lc_slice lc_csv_cell(const struct lc_csv *c, size_t row, size_t col);
/* The same as a NUL-terminated string, borrowed from c. */
const char *lc_csv_cstr(const struct lc_csv *c, size_t row, size_t col);
/* The header column named name, or -1. */
long lc_csv_find_col(const struct lc_csv *c, const char *name);
/* True for an empty cell or "NA" (COINr's and R's missing value). */
bool lc_csv_is_na(struct lc_slice s);
/*
 * Parses a numeric cell: NA (see lc_csv_is_na) gives NaN, a finite number
 * its value; returns 0 or LC_EINVAL for anything else.
 */
int lc_csv_number(struct lc_slice s, double *out);

#endif
