/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Screening units by data availability: a unit is dropped when its share is
 * below min_fraction: for "na", its non-NA values over all indicators; for
 * "zeros", 1 - its zeros over its non-NA values (as COINr); "both" drops
 * on either. The matrix is compacted in place.
 */
#ifndef LC_SCREEN_H
#define LC_SCREEN_H

#include <stddef.h>

struct lc_tree;
struct lc_step;

/*
 * x holds *n units by tree->n columns; units[] maps them to input units.
 * Kept units stay in order; x and units are compacted and *n updated. The
 * input indices of dropped units are appended to dropped (room for *n
 * more) and *n_dropped increased. pos, na, zero: scratch for *n entries.
 */
void lc_screen_run(const struct lc_step *st, const struct lc_tree *t, double *x, size_t *n,
                   size_t *units, size_t *dropped, size_t *n_dropped, size_t *pos, double *na,
                   double *zero);

#endif
