/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* NA-skipping column statistics (stats.h). */
#include "engine/stats.h"

#include <math.h>
#include <stdlib.h>

double lc_stats_mean(const double *x, size_t n, size_t *count)
{
	double s = 0;
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(x[i])) {
			s += x[i];
			m++;
		}
	if (count)
		*count = m;
	return m ? s / (double)m : NAN;
}

double lc_stats_sd(const double *x, size_t n)
{
	size_t m;
	double mu = lc_stats_mean(x, n, &m);
	if (m < 2)
		return NAN;
	double ss = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(x[i]))
			ss += (x[i] - mu) * (x[i] - mu);
	return sqrt(ss / (double)(m - 1));
}

void lc_stats_range(const double *x, size_t n, double *min, double *max)
{
	double lo = NAN, hi = NAN;
	for (size_t i = 0; i < n; i++) {
		if (isnan(x[i]))
			continue;
		if (isnan(lo) || x[i] < lo)
			lo = x[i];
		if (isnan(hi) || x[i] > hi)
			hi = x[i];
	}
	*min = lo;
	*max = hi;
}

static int cmp_double(const void *a, const void *b)
{
	double p = *(const double *)a, q = *(const double *)b;
	return (p > q) - (p < q);
}

double lc_stats_median_sort(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof *v, cmp_double);
	if (n % 2)
		return v[n / 2];
	return (v[n / 2 - 1] + v[n / 2]) / 2;
}

int lc_stats_skew_kurt(const double *x, size_t n, double *skew, double *kurt)
{
	size_t m;
	double mu = lc_stats_mean(x, n, &m);
	*skew = *kurt = NAN;
	if (m < 4)
		return -1;
	double s2 = 0, s3 = 0, s4 = 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(x[i]))
			continue;
		double c = x[i] - mu, c2 = c * c;
		s2 += c2;
		s3 += c2 * c;
		s4 += c2 * c2;
	}
	if (!(s2 > 0))
		return -1;
	double dn = (double)m;
	double g1 = sqrt(dn) * s3 / (s2 * sqrt(s2));
	*skew = g1 * sqrt(dn * (dn - 1)) / (dn - 2);
	double r = dn * s4 / (s2 * s2);
	*kurt = ((dn + 1) * (r - 3) + 6) * (dn - 1) / ((dn - 2) * (dn - 3));
	return 0;
}

/*
 * The k-th smallest of v[0..n) (0-based), moving elements around (Hoare's
 * selection as Wirth writes it). Linear on average: a full sort of every
 * unit's runs was the largest cost after the runs themselves.
 */
static double select_kth(double *v, size_t n, size_t k)
{
	ptrdiff_t l = 0, m = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
	while (l < m) {
		double x = v[kk];
		ptrdiff_t i = l, j = m;
		do {
			while (v[i] < x)
				i++;
			while (x < v[j])
				j--;
			if (i <= j) {
				double t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				j--;
			}
		} while (i <= j);
		if (j < kk)
			l = i;
		if (kk < i)
			m = j;
	}
	return v[k];
}

/* R's type-7 quantile of v[0..n) (n >= 1, no NaN) by selection; reorders v. */
double lc_stats_quantile7(double *v, size_t n, double p)
{
	double h = (double)(n - 1) * p, f = floor(h), x0, x1;
	size_t lo = (size_t)f;
	x0 = select_kth(v, n, lo);
	if (lo + 1 >= n || h == f)
		return x0;
	/* After selection everything past lo is >= x0: the next order statistic is their min. */
	x1 = v[lo + 1];
	for (size_t i = lo + 2; i < n; i++)
		if (v[i] < x1)
			x1 = v[i];
	return x0 + (h - f) * (x1 - x0);
}
