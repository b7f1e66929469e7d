/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Weights and effective weights (weights.h). */
#include "engine/weights.h"

#include "base/diag.h"
#include "base/error.h"
#include "engine/spec.h"
#include "engine/tree.h"

int lc_weights_resolve(const struct lc_tree *t, const struct lc_code_value *over, size_t n_over,
                       double *w, struct lc_diag *diag)
{
	for (size_t i = 0; i < t->n; i++)
		w[i] = t->nodes[i].weight;
	for (size_t k = 0; k < n_over; k++) {
		long i = lc_tree_find(t, over[k].code);
		if (i < 0) {
			if (diag)
				lc_diag_addf(diag, NULL, 0, 0, "weights", "err_weights_code",
				             LC_ARG_S("code", over[k].code));
			return LC_EINVAL;
		}
		w[i] = over[k].value;
	}
	return 0;
}

void lc_weights_effective(const struct lc_tree *t, const double *w, double *eff, double *tmp)
{
	/* tmp[p]: the sum of the weights of p's children; tmp-less top level summed apart. */
	double top = 0;
	for (size_t i = 0; i < t->n; i++)
		tmp[i] = 0;
	for (size_t i = 0; i < t->n; i++) {
		long p = t->nodes[i].parent;
		if (p >= 0)
			tmp[p] += w[i];
		else
			top += w[i];
	}
	/* Parents before children: by level from the top down. */
	for (int lv = t->n_levels; lv >= 1; lv--)
		for (size_t i = 0; i < t->n; i++) {
			if (t->nodes[i].level != lv)
				continue;
			long p = t->nodes[i].parent;
			double s = p >= 0 ? tmp[p] : top;
			double up = p >= 0 ? eff[p] : 1.0;
			eff[i] = s > 0 ? w[i] / s * up : 0;
		}
}
