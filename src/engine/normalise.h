/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Normalisation of each indicator (ENGINE.md formulas): the direction is
 * applied first (x := Direction * x, target and goalposts likewise), then
 * minmax, zscore, rank, percentile_rank, borda, dist_to_max,
 * dist_to_target, fraction_of_max or goalposts. A column that cannot be
 * normalised (zero range, zero sd, zero max) becomes NA with a warning.
 */
#ifndef LC_NORMALISE_H
#define LC_NORMALISE_H

#include <stddef.h>

struct lc_tree;
struct lc_step;
struct lc_diag;
struct lc_rank_pair;

/*
 * x: n units by tree column; level-1 columns are normalised in place.
 * ranks: n doubles; scratch: n pairs. warn may be NULL. Returns 0, or
 * LC_EINVAL (diag) when dist_to_target meets an indicator without a Target
 * or goalposts one without goalposts.
 */
int lc_normalise_run(const struct lc_step *st, const struct lc_tree *t, double *x, size_t n,
                     double *ranks, struct lc_rank_pair *scratch, struct lc_diag *warn,
                     struct lc_diag *diag);

#endif
