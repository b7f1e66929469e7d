/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Importing observations from a table of cells: a CSV file now (via
 * formats/csv), an XLSX workbook later (its reader builds the same
 * struct lc_obs_table). Two layouts, told apart by the header row (names
 * are matched ignoring case and surrounding spaces):
 *
 * Long: one value per row, for any cities and years.
 *   city,code,year,value[,unit][,source][,note]
 *   cork,1.1.1.a,2025,92.5,%,National census 2022,
 *   ("measurement" is accepted for "code")
 *
 * Wide template: one row per measurement, for ONE city and year given by
 * the caller (opts->city, opts->year; the XLSX template carries them in a
 * hidden sheet "meta", see domain/monitoring/obs_template.h). The downloaded template
 * is pre-filled with every measurement and last year's value; rows whose
 * value is left empty are skipped.
 *   code,label,unit,type,allowed,last_year,value,source,note
 *   ("last year's value" and "last_year_value" are accepted for
 *   "last_year"; label, type, allowed and last_year are ignored on import)
 *
 * A file is either CSV or XLSX, told apart by content (a ZIP signature
 * means XLSX), never by its name. From a workbook the sheet "Data" is read
 * (the first sheet when there is none); cells holding a formula are refused.
 *
 * A unit column, when present, must match the measurement's unit (a file
 * in the wrong unit is refused, not converted). Every problem of every row
 * is collected (row, column, value, reason: unknown city or measurement,
 * wrong year, value out of range, wrong unit, duplicate row, a formula cell)
 * and then nothing is written; otherwise every value is written in one
 * transaction through domain/monitoring/observation.h (which also checks permissions
 * and the reporting status). Limits: LC_LIMIT_CSV_* of base/limits.h.
 */
#ifndef LC_OBS_IMPORT_H
#define LC_OBS_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/slice.h"
#include "domain/monitoring/observation.h"

struct lc_actor;
struct lc_db;
struct lc_diag;

/* A parsed table: row 0 is the header. Borrowed by the import. */
struct lc_obs_table {
	size_t n_rows, n_cols;
	const struct lc_slice *cells; /* n_rows * n_cols, row-major */
	const long *line;             /* n_rows row numbers users see, or NULL (row index + 1) */
	/*
	 * n_rows * n_cols flags, or NULL: the cell holds a spreadsheet formula
	 * (the XLSX reader's lc_xlsx_cell.formula; its text is the cached result).
	 * Such cells are refused like a CSV cell starting with '='.
	 */
	const bool *formula;
	const char *file; /* the name in messages, or NULL */
};

enum lc_obs_layout {
	LC_OBS_LAYOUT_AUTO = 0, /* long when the header has a "city" column, else wide */
	LC_OBS_LAYOUT_LONG,
	LC_OBS_LAYOUT_WIDE,
};

struct lc_obs_import_opts {
	enum lc_obs_layout layout;
	const char *city; /* wide template: the city's slug */
	const char *year; /* wide template: the year, as text (checked like a cell) */
	bool dry_run;     /* check everything, write nothing (permissions and statuses included) */
	/* may be NULL; files read from disk and workbooks add a phase "reading"
	   (0 of 1 before, 1 of 1 after) to observation.h's "checking" and "writing" */
	const struct lc_obs_progress *progress;
	size_t max_rows; /* data rows accepted; 0: LC_LIMIT_CSV_ROWS (uploads pass less) */
};

/*
 * Imports a table. opts may be NULL (auto layout, no progress). Problems go
 * to d. Returns 0 (sum filled; may be NULL), LC_EINVAL (bad rows or header:
 * nothing written), LC_EPERM (only permission problems), LC_ELIMIT,
 * LC_ENOTFOUND (no framework loaded), LC_EBUSY, LC_EDB.
 */
int lc_obs_import_table(struct lc_db *db, const struct lc_actor *actor,
                        const struct lc_obs_table *t, const struct lc_obs_import_opts *opts,
                        struct lc_diag *d, struct lc_obs_summary *sum);

/* Parses CSV text (see formats/csv.h) and imports it as above. */
int lc_obs_import_csv(struct lc_db *db, const struct lc_actor *actor, const char *data, size_t len,
                      const char *file, const struct lc_obs_import_opts *opts, struct lc_diag *d,
                      struct lc_obs_summary *sum);

/* Reads a CSV file (at most LC_LIMIT_CSV_BYTES) and imports it; LC_EIO when unreadable. */
int lc_obs_import_csv_file(struct lc_db *db, const struct lc_actor *actor, const char *path,
                           const struct lc_obs_import_opts *opts, struct lc_diag *d,
                           struct lc_obs_summary *sum);

/*
 * Writes the shortest decimal text that reads back as v (at most 24 bytes
 * with the NUL: "8.7", not libxlsxwriter's "8.699999999999999") and returns
 * its length. A workbook's number cell is a double, so this is its text on
 * import, and an untouched template changes nothing.
 */
size_t lc_obs_number_text(double v, char out[32]);

/* True when data starts with a ZIP local file header ("PK\3\4"): an XLSX workbook. */
bool lc_obs_is_xlsx(const void *data, size_t len);

/*
 * Imports len bytes of an XLSX workbook (see above). City and year of the
 * wide template come from opts, or else from the workbook's "meta" sheet;
 * when both give them and they differ, the file is refused (a template
 * downloaded for another city or year). Errors as lc_obs_import_table, and
 * the reader's (formats/xlsx.h: LC_EINVAL for a malformed or hostile
 * workbook, LC_ELIMIT for a zip bomb), always with the problem in d.
 */
int lc_obs_import_xlsx(struct lc_db *db, const struct lc_actor *actor, const void *data, size_t len,
                       const char *file, const struct lc_obs_import_opts *opts, struct lc_diag *d,
                       struct lc_obs_summary *sum);

/* CSV or XLSX by content (lc_obs_is_xlsx), then as the functions above. */
int lc_obs_import_bytes(struct lc_db *db, const struct lc_actor *actor, const void *data,
                        size_t len, const char *file, const struct lc_obs_import_opts *opts,
                        struct lc_diag *d, struct lc_obs_summary *sum);

/* The same for a file on disk; LC_EIO when unreadable. */
int lc_obs_import_file(struct lc_db *db, const struct lc_actor *actor, const char *path,
                       const struct lc_obs_import_opts *opts, struct lc_diag *d,
                       struct lc_obs_summary *sum);

#endif
