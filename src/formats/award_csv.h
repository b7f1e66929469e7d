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

#include <jansson.h>

struct lc_csv;
struct lc_diag;
struct lc_award_input;
struct lc_award_result;
struct lc_buf;

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

/*
 * The ranking as CSV, one row per nomination best first by the mean (unranked
 * last, ties in the input's order): nomination,n_jurors,mean,median,sd,range,
 * z_mean,rank_mean,rank_z,rank_schulze,rank_borda,rank_lo,rank_hi,p_top_k,n_z,
 * borda,disagreement; figures to 12 significant digits, empty for none.
 */
void lc_award_csv_write_ranking(struct lc_buf *b, const struct lc_award_input *in,
                                const struct lc_award_result *r);
/*
 * The ranking as JSON: {"boot", "seed", "top_k", "flag_sd", "z_min_scores",
 * "nominations": [same order and fields as the CSV, ranks whole, null for none,
 * "boot_ranked"], "jurors": [{"juror", "n_scores", "mean", "sd", "normalised"}],
 * "criteria": [{"criterion", "weight", "independent", "alpha", "n_units",
 * "n_values"}]}. The caller owns it.
 */
json_t *lc_award_ranking_json(const struct lc_award_input *in, const struct lc_award_result *r);

#endif
