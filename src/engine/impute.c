/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Imputation (impute.h). */
#include "engine/impute.h"

#include <math.h>
#include <stdlib.h>

#include "base/diag.h"
#include "base/error.h"
#include "engine/matrix.h"
#include "engine/rank.h"
#include "engine/spec.h"
#include "engine/stats.h"
#include "engine/tree.h"

static void impute_whole(double *col, size_t n, bool median, double *tmp)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(col[i]))
			tmp[m++] = col[i];
	if (m == n || m == 0)
		return;
	double v;
	if (median) {
		v = lc_stats_median_sort(tmp, m);
	} else {
		double s = 0;
		for (size_t i = 0; i < m; i++)
			s += tmp[i];
		v = s / (double)m;
	}
	for (size_t i = 0; i < n; i++)
		if (isnan(col[i]))
			col[i] = v;
}

static int cmp_level_value(const void *a, const void *b)
{
	const struct lc_rank_pair *p = a, *q = b;
	if (p->i != q->i)
		return (p->i > q->i) - (p->i < q->i);
	return (p->v > q->v) - (p->v < q->v);
}

/*
 * Each level's mean or median goes into fill[level] (NaN for a level
 * without values); cnt has room for n_levels more doubles.
 */
static void impute_group(double *col, size_t n, const int *grp, size_t n_levels, bool median,
                         struct lc_rank_pair *pairs, double *fill, double *cnt)
{
	size_t missing = 0;
	for (size_t i = 0; i < n; i++)
		if (isnan(col[i]) && grp[i] >= 0)
			missing++;
	if (!missing)
		return;
	if (!median) {
		for (size_t l = 0; l < n_levels; l++)
			fill[l] = cnt[l] = 0;
		/* Summing in unit order, as R's mean over the group does. */
		for (size_t i = 0; i < n; i++)
			if (!isnan(col[i]) && grp[i] >= 0) {
				fill[grp[i]] += col[i];
				cnt[grp[i]] += 1;
			}
		for (size_t l = 0; l < n_levels; l++)
			fill[l] = cnt[l] > 0 ? fill[l] / cnt[l] : NAN;
	} else {
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (!isnan(col[i]) && grp[i] >= 0) {
				pairs[m].v = col[i];
				pairs[m].i = (size_t)grp[i];
				m++;
			}
		if (m > 1)
			qsort(pairs, m, sizeof *pairs, cmp_level_value);
		for (size_t l = 0; l < n_levels; l++)
			fill[l] = NAN;
		for (size_t k = 0; k < m;) {
			size_t e = k;
			while (e < m && pairs[e].i == pairs[k].i)
				e++;
			size_t len = e - k;
			fill[pairs[k].i] = (pairs[k + (len - 1) / 2].v + pairs[k + len / 2].v) / 2;
			k = e;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (isnan(col[i]) && grp[i] >= 0)
			col[i] = fill[grp[i]];
}

int lc_impute_run(const struct lc_step *st, const struct lc_tree *t, const struct lc_matrix *m,
                  const size_t *units, size_t n, double *x, struct lc_rank_pair *scratch,
                  double *tmp, int *grp, struct lc_diag *diag)
{
	enum lc_impute_method meth = st->u.impute.method;
	bool median = meth == LC_IMPUTE_MEDIAN || meth == LC_IMPUTE_GROUP_MEDIAN;
	if (meth == LC_IMPUTE_MEAN || meth == LC_IMPUTE_MEDIAN) {
		for (size_t k = 0; k < t->n_ind; k++)
			impute_whole(x + t->ind[k] * n, n, median, tmp);
		return 0;
	}
	long g = st->u.impute.group ? lc_matrix_find_group(m, st->u.impute.group) : -1;
	if (g < 0) {
		if (diag)
			lc_diag_addf(
			    diag, NULL, 0, 0, "group", "err_impute_group",
			    LC_ARG_S("group", st->u.impute.group ? st->u.impute.group : ""));
		return LC_EINVAL;
	}
	const int *gcol = m->groups + (size_t)g * m->n_units;
	size_t n_levels = m->n_group_levels[g];
	/* An id outside the group's levels is treated as NA rather than trusted. */
	for (size_t i = 0; i < n; i++) {
		int gi = gcol[units[i]];
		grp[i] = gi >= 0 && (size_t)gi < n_levels ? gi : -1;
	}
	for (size_t k = 0; k < t->n_ind; k++)
		impute_group(x + t->ind[k] * n, n, grp, n_levels, median, scratch, tmp,
		             tmp + n_levels);
	return 0;
}
