/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Aggregation up the tree, level by level: each aggregate is the weighted
 * arithmetic, geometric, harmonic or power mean of its non-NA children
 * (weights renormalised over them), or the Copeland score of the units on
 * its children. With min_fraction, an aggregate whose share of non-NA
 * children is below it is NA. Geometric and harmonic means (and the power
 * mean where x^p is undefined) refuse x <= 0 with an error naming the code
 * and the unit: never a silent NaN.
 */
#ifndef LC_AGGREGATE_H
#define LC_AGGREGATE_H

#include <stddef.h>

struct lc_tree;
struct lc_step;
struct lc_diag;
struct lc_matrix;

/*
 * x: n units by tree column; aggregate columns are overwritten. w: tree->n
 * weights. ucodes of m via units[] name units in errors. acc, wsum, cnt:
 * n doubles each. Returns 0, LC_EINVAL, or LC_ELIMIT for Copeland over more
 * than LC_LIMIT_COPELAND_UNITS units (diag may be NULL).
 */
int lc_aggregate_run(const struct lc_step *st, const struct lc_tree *t, const double *w, double *x,
                     size_t n, const struct lc_matrix *m, const size_t *units, double *acc,
                     double *wsum, double *cnt, struct lc_diag *diag);

#endif
