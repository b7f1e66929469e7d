/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Weights: the iMeta weights with a spec's overrides, and the effective
 * weight of each code (the product of its weight normalised among its
 * siblings and those of its ancestors).
 */
#ifndef LC_WEIGHTS_H
#define LC_WEIGHTS_H

#include <stddef.h>

struct lc_tree;
struct lc_code_value;
struct lc_diag;

/*
 * w[tree->n] := iMeta weights, then each override whose code exists.
 * Returns 0, or LC_EINVAL naming the first unknown code in diag.
 */
int lc_weights_resolve(const struct lc_tree *t, const struct lc_code_value *over, size_t n_over,
                       double *w, struct lc_diag *diag);
/*
 * eff[tree->n]: effective weights of w; siblings whose weights sum to 0
 * get 0. tmp: tree->n doubles of scratch.
 */
void lc_weights_effective(const struct lc_tree *t, const double *w, double *eff, double *tmp);

#endif
