/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Normalisation (normalise.h). */
#include "engine/normalise.h"

#include <math.h>
#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "engine/rank.h"
#include "engine/spec.h"
#include "engine/stats.h"
#include "engine/tree.h"

static void set_na(double *col, size_t n)
{
	for (size_t i = 0; i < n; i++)
		col[i] = NAN;
}

static const struct lc_code_value *find_cv(const struct lc_code_value *v, size_t n,
                                           const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].code, code) == 0)
			return &v[i];
	return NULL;
}

int lc_normalise_run(const struct lc_step *st, const struct lc_tree *t, double *x, size_t n,
                     double *ranks, struct lc_rank_pair *scratch, struct lc_diag *warn,
                     struct lc_diag *diag)
{
	enum lc_norm_method meth = st->u.normalise.method;
	for (size_t k = 0; k < t->n_ind; k++) {
		size_t c = t->ind[k];
		const struct lc_tree_node *nd = &t->nodes[c];
		double *col = x + c * n;
		double dir = nd->direction < 0 ? -1.0 : 1.0;
		if (dir < 0)
			for (size_t i = 0; i < n; i++)
				col[i] = -col[i];
		double lo, hi;
		lc_stats_range(col, n, &lo, &hi);
		if (isnan(lo))
			continue; /* all NA stays NA */
		/* A catalogue key saying why the column cannot be normalised. */
		const char *why = NULL;
		switch (meth) {
		case LC_NORM_MINMAX: {
			double a = st->u.normalise.lo, b = st->u.normalise.hi;
			if (hi == lo) {
				why = "norm_why_zero_range";
				break;
			}
			for (size_t i = 0; i < n; i++)
				col[i] = (col[i] - lo) / (hi - lo) * (b - a) + a;
			break;
		}
		case LC_NORM_ZSCORE: {
			double mu = lc_stats_mean(col, n, NULL), sd = lc_stats_sd(col, n);
			if (!(sd > 0)) {
				why = "norm_why_zero_sd";
				break;
			}
			for (size_t i = 0; i < n; i++)
				col[i] =
				    (col[i] - mu) / sd * st->u.normalise.sd + st->u.normalise.mean;
			break;
		}
		case LC_NORM_RANK:
		case LC_NORM_PERCENTILE_RANK:
		case LC_NORM_BORDA: {
			size_t m = lc_rank_min(col, n, false, ranks, scratch);
			if (meth == LC_NORM_PERCENTILE_RANK && m < 2) {
				why = "norm_why_few_values";
				break;
			}
			for (size_t i = 0; i < n; i++) {
				double r = ranks[i];
				if (meth == LC_NORM_PERCENTILE_RANK)
					col[i] = (r - 1) / (double)(m - 1);
				else if (meth == LC_NORM_BORDA)
					col[i] = r - 1;
				else
					col[i] = r;
			}
			break;
		}
		case LC_NORM_DIST_TO_MAX:
			if (hi == lo) {
				why = "norm_why_zero_range";
				break;
			}
			for (size_t i = 0; i < n; i++)
				col[i] = 1 - (hi - col[i]) / (hi - lo);
			break;
		case LC_NORM_FRACTION_OF_MAX:
			if (hi == 0) {
				why = "norm_why_zero_max";
				break;
			}
			for (size_t i = 0; i < n; i++)
				col[i] = col[i] / hi;
			break;
		case LC_NORM_DIST_TO_TARGET: {
			if (isnan(nd->target)) {
				if (diag)
					lc_diag_add(diag, NULL, 0, 0, nd->code, "err_norm_target");
				return LC_EINVAL;
			}
			double tg = dir * nd->target;
			if (tg == lo) {
				why = "norm_why_target_min";
				break;
			}
			for (size_t i = 0; i < n; i++) {
				double v = (col[i] - lo) / (tg - lo);
				if (st->u.normalise.cap && v > 1)
					v = 1;
				col[i] = v;
			}
			break;
		}
		case LC_NORM_GOALPOSTS: {
			const struct lc_code_value *gl =
			    find_cv(st->u.normalise.glo, st->u.normalise.n_glo, nd->code);
			const struct lc_code_value *gh =
			    find_cv(st->u.normalise.ghi, st->u.normalise.n_ghi, nd->code);
			if (!gl || !gh) {
				if (diag)
					lc_diag_add(diag, NULL, 0, 0, nd->code,
					            "err_norm_goalposts");
				return LC_EINVAL;
			}
			/* On the directed scale the goalposts swap and change sign. */
			double a = dir > 0 ? gl->value : -gh->value;
			double b = dir > 0 ? gh->value : -gl->value;
			for (size_t i = 0; i < n; i++) {
				if (isnan(col[i]))
					continue;
				double v = (col[i] - a) / (b - a);
				v = v < 0 ? 0 : v > 1 ? 1 : v;
				col[i] = v * st->u.normalise.scale;
			}
			break;
		}
		}
		if (why) {
			set_na(col, n);
			if (warn)
				lc_diag_addf(warn, NULL, 0, 0, nd->code, "warn_norm_na",
				             LC_ARG_K("why", why));
		}
	}
	return 0;
}
