/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Unit screening (screen.h). */
#include "engine/screen.h"

#include <math.h>

#include "engine/spec.h"
#include "engine/tree.h"

void lc_screen_run(const struct lc_step *st, const struct lc_tree *t, double *x, size_t *n,
                   size_t *units, size_t *dropped, size_t *n_dropped, size_t *pos, double *na,
                   double *zero)
{
	size_t n0 = *n, kept = 0;
	double ni = (double)t->n_ind;
	/* Counted column by column: the matrix is column-major, so memory is read in order. */
	for (size_t i = 0; i < n0; i++)
		na[i] = zero[i] = 0;
	for (size_t k = 0; k < t->n_ind; k++) {
		const double *col = x + t->ind[k] * n0;
		for (size_t i = 0; i < n0; i++) {
			double v = col[i];
			na[i] += isnan(v) ? 1 : 0;
			zero[i] += v == 0 ? 1 : 0;
		}
	}
	for (size_t i = 0; i < n0; i++) {
		/*
		 * As COINr: availability is the share of indicators with a value;
		 * the non-zero share counts zeros among the values present only,
		 * so missing values do not dilute the zeros. A unit with no value
		 * has no zero: the zeros rule keeps it (screening by "na" or
		 * "both" is what drops it), where COINr's 0/0 gives NA.
		 */
		double present = ni - na[i];
		double avail = 1 - na[i] / ni;
		double nonzero = present > 0 ? 1 - zero[i] / present : 1;
		double f = st->u.screen.min_fraction;
		bool keep;
		switch (st->u.screen.by) {
		case LC_SCREEN_ZEROS: keep = nonzero >= f; break;
		case LC_SCREEN_BOTH: keep = avail >= f && nonzero >= f; break;
		default: keep = avail >= f; break;
		}
		if (keep)
			pos[kept++] = i;
		else
			dropped[(*n_dropped)++] = units[i];
	}
	if (kept == n0)
		return;
	/*
	 * Compacting column by column in increasing order never overwrites a
	 * value still to be read: the new offset col * kept + k is at most the
	 * old one col * n0 + pos(k).
	 */
	for (size_t c = 0; c < t->n; c++)
		for (size_t k = 0; k < kept; k++)
			x[c * kept + k] = x[c * n0 + pos[k]];
	for (size_t k = 0; k < kept; k++)
		units[k] = units[pos[k]];
	*n = kept;
}
