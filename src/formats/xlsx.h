/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Reading XLSX workbooks (Office Open XML spreadsheets) over libzip and
 * expat into a table of cells, so that importers treat an uploaded
 * workbook like a CSV file and can name "sheet, row, column" in messages.
 *
 * The module reads the package's sheet list (xl/workbook.xml and its
 * relationships), the shared strings (rich text runs joined, phonetic runs
 * left out) and one worksheet's cells. It never evaluates anything: a cell
 * holding a formula is reported as such (lc_xlsx_cell.formula) together
 * with the value its author's spreadsheet cached, and the importer refuses
 * it. Text escapes of control characters ("_x000D_") are decoded. Dates
 * are not recognised: Excel stores them as serial day numbers
 * and the reader leaves them as numbers (telling them apart would need the
 * styles part). Number cells keep the exact text of <v>, so a value goes
 * through a workbook unchanged, and its parsed double.
 *
 * Outside input is hostile: any DOCTYPE or ENTITY declaration is refused
 * (no entity is ever expanded), the members of the zip are capped
 * (LC_LIMIT_XLSX_MEMBERS), inflated bytes are counted while they stream
 * through the XML parser in small chunks and the read stops at
 * LC_LIMIT_XLSX_PART per part and LC_LIMIT_XLSX_INFLATED in all (declared
 * sizes are never trusted: a zip bomb fails fast in little memory), rows,
 * columns and cell bytes are capped with the CSV limits and the table's
 * cells with LC_LIMIT_XLSX_CELLS. Encrypted workbooks, non-zip input and
 * member names with ".." are refused. Every problem goes into a struct
 * lc_diag naming the file, the part, and the XML line and column where
 * known.
 *
 * The module does not write workbooks (formats/xlsx_write.h does) nor know
 * what a cell means to an importer.
 */
#ifndef LC_XLSX_H
#define LC_XLSX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/slice.h"

struct lc_diag;
struct lc_xlsx; /* an open workbook: opaque */

enum lc_xlsx_type {
	LC_XLSX_EMPTY = 0, /* no value (a formula cell may still be empty) */
	LC_XLSX_STRING,    /* shared, inline or a formula's string result */
	LC_XLSX_NUMBER,    /* text is <v> exactly as written; num its value */
	LC_XLSX_BOOL,      /* text "0" or "1"; num 0 or 1 */
	LC_XLSX_ERROR,     /* text like "#N/A" or "#DIV/0!" */
};

struct lc_xlsx_cell {
	size_t off;   /* of the NUL-terminated text in the table's bytes */
	uint32_t len; /* bytes of text, at most LC_LIMIT_CSV_FIELD */
	uint8_t type; /* enum lc_xlsx_type */
	bool formula; /* the cell holds a formula (<f>): importers refuse it */
	double num;   /* LC_XLSX_NUMBER and LC_XLSX_BOOL; NaN otherwise */
};

/*
 * One sheet as a dense table. Row r and column c (both 0-based) are the
 * sheet's row r + 1 and column c + 1 (A is column 1); rows and columns
 * reach the last cell that holds a value or a formula, and the cells in
 * between are LC_XLSX_EMPTY. A sheet without values has no rows.
 */
struct lc_xlsx_table {
	size_t n_rows, n_cols;
	struct lc_xlsx_cell *cells; /* owned: n_rows * n_cols, row-major */
	char *bytes;                /* owned: cell texts; bytes[0] is "" for empty cells */
	size_t n_bytes;
	char *sheet; /* owned: the sheet's name */
	char *file;  /* owned copy of the name used in messages, or NULL */
};

/* Optional settings; a zero field takes the default from base/limits.h. */
struct lc_xlsx_opts {
	size_t max_inflated; /* all parts read (LC_LIMIT_XLSX_INFLATED) */
	size_t max_part;     /* one part (LC_LIMIT_XLSX_PART) */
	size_t max_cells;    /* cells of the dense table (LC_LIMIT_XLSX_CELLS) */
};

/*
 * Opens a workbook held in memory (an uploaded body) and reads its sheet
 * list. data is borrowed until lc_xlsx_free. file names the source in
 * messages (may be NULL); opts may be NULL. On success *out is a handle the
 * caller frees with lc_xlsx_free. Returns 0; LC_EINVAL (not a zip, not a
 * workbook, encrypted, malformed XML, DOCTYPE) or LC_ELIMIT (members or
 * inflated bytes) with the problem in diag.
 */
int lc_xlsx_open_mem(struct lc_xlsx **out, const void *data, size_t len, const char *file,
                     const struct lc_xlsx_opts *opts, struct lc_diag *diag);
/* The same for a file on disk (at most LC_LIMIT_HTTP_UPLOAD bytes); LC_EIO when unreadable. */
int lc_xlsx_open_file(struct lc_xlsx **out, const char *path, const struct lc_xlsx_opts *opts,
                      struct lc_diag *diag);
/* Closes the workbook. NULL allowed. */
void lc_xlsx_free(struct lc_xlsx *x);

/* Sheets in workbook order. */
size_t lc_xlsx_sheet_count(const struct lc_xlsx *x);
/* The name of sheet i; borrowed until lc_xlsx_free. */
const char *lc_xlsx_sheet_name(const struct lc_xlsx *x, size_t i);
/* True when sheet i is hidden or very hidden. */
bool lc_xlsx_sheet_hidden(const struct lc_xlsx *x, size_t i);

void lc_xlsx_table_init(struct lc_xlsx_table *t);
/* Frees everything; t may be read into again. NULL allowed. */
void lc_xlsx_table_cleanup(struct lc_xlsx_table *t);

/*
 * Reads the sheet named sheet (exact, case-sensitive), or the first sheet
 * in workbook order when sheet is NULL, into t (which must be initialised
 * or cleaned up). Returns 0; LC_ENOTFOUND (no such sheet), LC_EINVAL
 * (malformed part or cell, bad reference, shared string out of range) or
 * LC_ELIMIT with the problems in diag. On error *t is left empty.
 */
int lc_xlsx_read_sheet(struct lc_xlsx *x, const char *sheet, struct lc_xlsx_table *t,
                       struct lc_diag *diag);

/*
 * The importer's entry point: opens len bytes of a workbook, reads the
 * named sheet (or the first when sheet is NULL) into t and closes the
 * workbook; t owns everything it refers to. Errors as lc_xlsx_open_mem and
 * lc_xlsx_read_sheet.
 */
int lc_xlsx_read_table(const void *data, size_t len, const char *file, const char *sheet,
                       struct lc_xlsx_table *t, struct lc_diag *diag);

/* The cell at row, col (0-based); borrowed from t. Both must be in range. */
const struct lc_xlsx_cell *lc_xlsx_cell(const struct lc_xlsx_table *t, size_t row, size_t col);
/* Its text as a NUL-terminated string ("" when empty), borrowed from t. */
const char *lc_xlsx_cstr(const struct lc_xlsx_table *t, size_t row, size_t col);
/* Its text as a slice, borrowed from t. */
struct lc_slice lc_xlsx_text(const struct lc_xlsx_table *t, size_t row, size_t col);
/* The header column (row 0) whose text is name, or -1. */
long lc_xlsx_find_col(const struct lc_xlsx_table *t, const char *name);

/*
 * Parses a cell reference such as "B7" or "XFD1048576" into a 1-based row
 * and column (columns A..XFD, rows 1..1048576). Returns 0 or LC_EINVAL.
 */
int lc_xlsx_parse_ref(struct lc_slice ref, long *row, long *col);
/*
 * Writes a cell reference ("B7") for a 1-based row and column into out
 * (at least 16 bytes), for messages. Returns out.
 */
char *lc_xlsx_format_ref(long row, long col, char out[16]);

#endif
