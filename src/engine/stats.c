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
