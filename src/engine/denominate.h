/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Denomination: each indicator with an iMeta Denominator is divided by that
 * denominator column of the data. A missing or zero denominator gives NA
 * (a zero one with a warning: COINr would give Inf).
 */
#ifndef LC_DENOMINATE_H
#define LC_DENOMINATE_H

#include <stddef.h>

struct lc_tree;
struct lc_matrix;
struct lc_diag;

/*
 * x holds n units (units[i] indexes m's units) column-major by tree column.
 * Returns 0, or LC_EINVAL when a denominator column does not exist (diag).
 * warn (may be NULL) gets a warning per indicator with a zero denominator.
 */
int lc_denominate_run(const struct lc_tree *t, const struct lc_matrix *m, const size_t *units,
                      size_t n, double *x, struct lc_diag *warn, struct lc_diag *diag);

#endif
