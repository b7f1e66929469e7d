/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Imputation of missing indicator values, column by column: the column's
 * mean or median, or the mean or median of the unit's group (an iData
 * group column). Non-missing values never change; a unit whose group is NA,
 * or whose group has no value, stays NA.
 */
#ifndef LC_IMPUTE_H
#define LC_IMPUTE_H

#include <stddef.h>

struct lc_tree;
struct lc_matrix;
struct lc_diag;
struct lc_step;
struct lc_rank_pair;

/*
 * x: n units (units[i] indexes m) by tree column. scratch: at least n
 * pairs; tmp: at least 2 * max(n, levels of the group column) doubles;
 * grp: at least n ints.
 * Returns 0, or LC_EINVAL when the group column does not exist (diag).
 */
int lc_impute_run(const struct lc_step *st, const struct lc_tree *t, const struct lc_matrix *m,
                  const size_t *units, size_t n, double *x, struct lc_rank_pair *scratch,
                  double *tmp, int *grp, struct lc_diag *diag);

#endif
