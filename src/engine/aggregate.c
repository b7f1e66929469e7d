/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Aggregation (aggregate.h). */
#include "engine/aggregate.h"

#include <math.h>

#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "engine/matrix.h"
#include "engine/spec.h"
#include "engine/tree.h"

static int refuse(const struct lc_tree *t, size_t agg, size_t child, const struct lc_matrix *m,
                  size_t unit, double v, const char *code, struct lc_diag *diag)
{
	if (diag)
		lc_diag_addf(diag, NULL, 0, 0, t->nodes[agg].code, code,
		             LC_ARG_S("code", t->nodes[child].code), LC_ARG_G("value", v),
		             LC_ARG_S("unit", m->ucodes[unit]));
	return LC_EINVAL;
}

/*
 * Copeland: for each pair of units, e_jk sums the (normalised) weights of
 * the children where j beats k plus half those where they tie; each unit
 * scores the sum over k of sign(e_jk - 1/2). A child NA for either unit of
 * a pair counts for neither. O(n^2 * children).
 */
static void copeland(const struct lc_tree *t, const struct lc_tree_node *a, const double *w,
                     const double *x, size_t n, double *out, double *cnt)
{
	double ws = 0;
	for (size_t k = 0; k < a->n_children; k++)
		ws += w[t->children[a->first_child + k]];
	for (size_t j = 0; j < n; j++) {
		out[j] = 0;
		cnt[j] = 0;
		for (size_t k = 0; k < a->n_children; k++)
			if (!isnan(x[t->children[a->first_child + k] * n + j]))
				cnt[j]++;
	}
	if (!(ws > 0)) {
		for (size_t j = 0; j < n; j++)
			out[j] = NAN;
		return;
	}
	for (size_t j = 0; j < n; j++) {
		if (cnt[j] == 0)
			continue;
		for (size_t k = j + 1; k < n; k++) {
			if (cnt[k] == 0)
				continue;
			double e = 0, f = 0;
			for (size_t c = 0; c < a->n_children; c++) {
				size_t ch = t->children[a->first_child + c];
				double xj = x[ch * n + j], xk = x[ch * n + k], wc = w[ch] / ws;
				if (isnan(xj) || isnan(xk))
					continue;
				if (xj > xk)
					e += wc;
				else if (xj < xk)
					f += wc;
				else {
					e += wc / 2;
					f += wc / 2;
				}
			}
			out[j] += (e > 0.5) - (e < 0.5);
			out[k] += (f > 0.5) - (f < 0.5);
		}
	}
	for (size_t j = 0; j < n; j++)
		if (cnt[j] == 0)
			out[j] = NAN;
}

int lc_aggregate_run(const struct lc_step *st, const struct lc_tree *t, const double *w, double *x,
                     size_t n, const struct lc_matrix *m, const size_t *units, double *acc,
                     double *wsum, double *cnt, struct lc_diag *diag)
{
	enum lc_agg_method meth = st->u.aggregate.method;
	double p = st->u.aggregate.p, mf = st->u.aggregate.min_fraction;
	if (meth == LC_AGG_COPELAND && n > LC_LIMIT_COPELAND_UNITS) {
		if (diag)
			lc_diag_addf(diag, NULL, 0, 0, "method", "err_agg_copeland_units",
			             LC_ARG_I("limit", LC_LIMIT_COPELAND_UNITS),
			             LC_ARG_I("count", n));
		return LC_ELIMIT;
	}
	for (size_t g = 0; g < t->n_agg; g++) {
		size_t a = t->agg[g];
		const struct lc_tree_node *nd = &t->nodes[a];
		double *out = x + a * n;
		if (meth == LC_AGG_COPELAND) {
			copeland(t, nd, w, x, n, out, cnt);
		} else {
			for (size_t i = 0; i < n; i++)
				acc[i] = wsum[i] = cnt[i] = 0;
			for (size_t k = 0; k < nd->n_children; k++) {
				size_t ch = t->children[nd->first_child + k];
				const double *col = x + ch * n;
				double wc = w[ch];
				/* The arithmetic mean, by far the commonest, gets its own loop. */
				if (meth == LC_AGG_ARITHMETIC) {
					for (size_t i = 0; i < n; i++) {
						double v = col[i];
						if (isnan(v))
							continue;
						cnt[i]++;
						wsum[i] += wc;
						acc[i] += wc * v;
					}
					continue;
				}
				for (size_t i = 0; i < n; i++) {
					double v = col[i];
					if (isnan(v))
						continue;
					cnt[i]++;
					wsum[i] += wc;
					switch (meth) {
					case LC_AGG_GEOMETRIC:
						if (!(v > 0))
							return refuse(t, a, ch, m, units[i], v,
							              "err_agg_geometric", diag);
						acc[i] += wc * log(v);
						break;
					case LC_AGG_HARMONIC:
						if (!(v > 0))
							return refuse(t, a, ch, m, units[i], v,
							              "err_agg_harmonic", diag);
						acc[i] += wc / v;
						break;
					case LC_AGG_POWER:
						if (v < 0 || (v == 0 && p < 0))
							return refuse(t, a, ch, m, units[i], v,
							              "err_agg_power", diag);
						acc[i] += wc * pow(v, p);
						break;
					default: acc[i] += wc * v; break;
					}
				}
			}
			for (size_t i = 0; i < n; i++) {
				double r;
				if (cnt[i] == 0 || !(wsum[i] > 0))
					r = NAN;
				else if (meth == LC_AGG_GEOMETRIC)
					r = exp(acc[i] / wsum[i]);
				else if (meth == LC_AGG_HARMONIC)
					r = wsum[i] / acc[i];
				else if (meth == LC_AGG_POWER)
					r = pow(acc[i] / wsum[i], 1 / p);
				else
					r = acc[i] / wsum[i];
				out[i] = r;
			}
		}
		if (!isnan(mf) && nd->n_children)
			for (size_t i = 0; i < n; i++)
				if (cnt[i] / (double)nd->n_children < mf)
					out[i] = NAN;
	}
	return 0;
}
