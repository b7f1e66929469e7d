/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Denomination (denominate.h). */
#include "engine/denominate.h"

#include <math.h>

#include "base/diag.h"
#include "base/error.h"
#include "engine/matrix.h"
#include "engine/tree.h"

int lc_denominate_run(const struct lc_tree *t, const struct lc_matrix *m, const size_t *units,
                      size_t n, double *x, struct lc_diag *warn, struct lc_diag *diag)
{
	for (size_t k = 0; k < t->n_ind; k++) {
		size_t c = t->ind[k];
		const struct lc_tree_node *nd = &t->nodes[c];
		if (!nd->denominator)
			continue;
		long d = lc_matrix_find_denom(m, nd->denominator);
		if (d < 0) {
			if (diag)
				lc_diag_addf(diag, NULL, 0, 0, nd->code, "err_denominate_column",
				             LC_ARG_S("denominator", nd->denominator));
			return LC_EINVAL;
		}
		const double *den = m->denoms + (size_t)d * m->n_units;
		double *col = x + c * n;
		size_t zeros = 0;
		for (size_t i = 0; i < n; i++) {
			double v = den[units[i]];
			if (v == 0) {
				zeros++;
				col[i] = NAN;
			} else {
				col[i] = col[i] / v; /* NaN in either gives NA */
			}
		}
		if (zeros && warn)
			lc_diag_addf(warn, NULL, 0, 0, nd->code, "warn_denominate_zero",
			             LC_ARG_S("denominator", nd->denominator),
			             LC_ARG_I("count", zeros));
	}
	return 0;
}
