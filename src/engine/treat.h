/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Outlier treatment, one indicator at a time (ENGINE.md, COINr's Treat with
 * winsorise then log_CT): an indicator fails when |skew| >= skew and
 * kurtosis >= kurt; while it fails and fewer than winmax points have been
 * changed, every value tied at the extreme on the side of the skew takes
 * the next value inside; if it still fails, the winsorisation is undone and
 * the fallback transform is applied to the original values (fallback none
 * keeps the winsorised values).
 */
#ifndef LC_TREAT_H
#define LC_TREAT_H

#include <stddef.h>

struct lc_tree;
struct lc_step;
struct lc_treat_info;

/*
 * x: n units by tree column; level-1 columns are treated. info: tree->n
 * entries, filled for level-1 columns. points (may be NULL): tree->n *
 * n_in flags indexed [col * n_in + units[i]], set to +1/-1 for values
 * winsorised high/low and 0 otherwise. backup: n doubles; flags: n bytes.
 */
void lc_treat_run(const struct lc_step *st, const struct lc_tree *t, double *x, size_t n,
                  struct lc_treat_info *info, signed char *points, const size_t *units, size_t n_in,
                  double *backup, signed char *flags);

#endif
