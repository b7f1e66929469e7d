/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Outlier treatment (treat.h). */
#include "engine/treat.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "engine/spec.h"
#include "engine/stats.h"
#include "engine/tree.h"

static bool fails(double skew, double kurt, double skew_lim, double kurt_lim)
{
	return fabs(skew) >= skew_lim && kurt >= kurt_lim;
}

/*
 * Moves every value tied at the maximum (high) or minimum to the nearest
 * value inside; returns how many points were winsorised for the first time
 * (a point already moved that is at the extreme again is not counted twice,
 * as in COINr), or 0 when all values are equal.
 */
static size_t winsorise_once(double *col, size_t n, bool high, signed char *flags)
{
	/* The extreme and the nearest distinct value inside it, in one pass. */
	double ext = NAN, next = NAN;
	for (size_t i = 0; i < n; i++) {
		double v = col[i];
		if (isnan(v) || v == ext)
			continue;
		if (isnan(ext) || (high ? v > ext : v < ext)) {
			next = ext;
			ext = v;
		} else if (isnan(next) || (high ? v > next : v < next)) {
			next = v;
		}
	}
	if (isnan(next))
		return 0;
	size_t fresh = 0;
	for (size_t i = 0; i < n; i++)
		if (col[i] == ext) {
			col[i] = next;
			fresh += flags[i] == 0;
			flags[i] = high ? 1 : -1;
		}
	/* Moving at least one point is progress even when none is new. */
	return fresh ? fresh : SIZE_MAX;
}

static void log_transform(double *col, size_t n, bool negative_skew_plus)
{
	double lo, hi;
	lc_stats_range(col, n, &lo, &hi);
	double a = 0.01 * (hi - lo);
	for (size_t i = 0; i < n; i++) {
		if (isnan(col[i]))
			continue;
		if (negative_skew_plus)
			col[i] = -log(hi + a - col[i]);
		else
			col[i] = log(col[i] - lo + a);
	}
}

void lc_treat_run(const struct lc_step *st, const struct lc_tree *t, double *x, size_t n,
                  struct lc_treat_info *info, signed char *points, const size_t *units, size_t n_in,
                  double *backup, signed char *flags)
{
	double sl = st->u.treat.skew, kl = st->u.treat.kurt;
	for (size_t k = 0; k < t->n_ind; k++) {
		size_t c = t->ind[k];
		double *col = x + c * n;
		struct lc_treat_info *in = &info[c];
		memset(in, 0, sizeof *in);
		in->skew1 = in->kurt1 = NAN;
		if (points)
			for (size_t i = 0; i < n; i++)
				points[c * n_in + units[i]] = 0;
		if (lc_stats_skew_kurt(col, n, &in->skew0, &in->kurt0) != 0) {
			in->status = LC_TREAT_SKIPPED;
			in->pass0 = true;
			continue;
		}
		in->pass0 = !fails(in->skew0, in->kurt0, sl, kl);
		if (in->pass0) {
			in->status = LC_TREAT_PASSED;
			continue;
		}
		memcpy(backup, col, n * sizeof *col);
		memset(flags, 0, n);
		double sk = in->skew0, ku = in->kurt0;
		bool pass = false;
		size_t nwin = 0;
		while (nwin < (size_t)st->u.treat.winmax) {
			size_t ch = winsorise_once(col, n, sk >= 0, flags);
			if (!ch)
				break;
			if (ch != SIZE_MAX)
				nwin += ch;
			if (lc_stats_skew_kurt(col, n, &sk, &ku) != 0) {
				/* No variance left: nothing to test, it cannot fail. */
				pass = true;
				break;
			}
			if (!fails(sk, ku, sl, kl)) {
				pass = true;
				break;
			}
		}
		in->nwin = (int)nwin;
		if (pass || st->u.treat.fallback == LC_TREAT_NONE) {
			in->status = pass ? LC_TREAT_WINSORISED : LC_TREAT_FAILED;
			in->pass1 = pass;
			in->skew1 = sk;
			in->kurt1 = ku;
			if (points)
				for (size_t i = 0; i < n; i++)
					points[c * n_in + units[i]] = flags[i];
			continue;
		}
		memcpy(col, backup, n * sizeof *col);
		log_transform(col, n,
		              st->u.treat.fallback == LC_TREAT_LOG_CT_PLUS && in->skew0 < 0);
		in->status = LC_TREAT_LOGGED;
		if (lc_stats_skew_kurt(col, n, &in->skew1, &in->kurt1) == 0)
			in->pass1 = !fails(in->skew1, in->kurt1, sl, kl);
		else
			in->pass1 = true;
	}
}
