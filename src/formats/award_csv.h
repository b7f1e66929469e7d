/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The award's scores and criteria as two CSV files (issue 13), read into
 * the ranking engine's input (engine/award.h) for `learncity award rank`:
 *
 *   scores:   nomination,juror,criterion,score   one row per mark; an empty
 *             score (or NA) is "not scored"
 *   criteria: criterion,weight,independent       independent is 0 or 1
 *             (optional column, 0 when absent); a counted criterion's
 *             weight is a number above 0, an independent one's may be empty
 *
 * Columns are found by their header names, in any order, others ignored.
 * Nominations and jurors come out in the order they first appear. Every
 * problem is reported with file, line and column as an err_award_csv_*
 * code: a missing column, an empty or over-long name, a bad weight or
 * flag, a criterion listed twice or unknown, a score that is not a number,
 * the same nomination, juror and criterion twice (naming the first line),
 * and the LC_LIMIT_AWARD_* limits. Nothing is kept on error.
 */
#ifndef LC_AWARD_CSV_H
#define LC_AWARD_CSV_H

struct lc_csv;
struct lc_diag;
struct lc_award_input;

/*
 * Fills in (initialised, empty) from parsed scores and criteria tables.
 * Returns 0, or LC_EINVAL / LC_ELIMIT with every problem in diag; on error
 * in is left empty.
 */
int lc_award_csv_load(const struct lc_csv *scores, const struct lc_csv *criteria,
                      struct lc_award_input *in, struct lc_diag *diag);
/* Reads both files (lc_csv_read_file), then loads them; LC_EIO when one cannot be read. */
int lc_award_csv_load_files(const char *scores_path, const char *criteria_path,
                            struct lc_award_input *in, struct lc_diag *diag);

#endif
