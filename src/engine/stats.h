/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Column statistics that skip NA (NaN): mean, standard deviation, median,
 * minimum and maximum, and the sample skewness and excess kurtosis that the
 * outlier treatment tests (ENGINE.md formulas, as R's e1071 type 2 and
 * COINr's skew()/kurt()). Nothing here allocates.
 */
#ifndef LC_STATS_H
#define LC_STATS_H

#include <stddef.h>

/* Mean of the non-NaN values; NaN when there are none. *count gets their number (may be NULL). */
double lc_stats_mean(const double *x, size_t n, size_t *count);
/* Sample standard deviation (n - 1) of the non-NaN values; NaN when fewer than 2. */
double lc_stats_sd(const double *x, size_t n);
/* Minimum and maximum of the non-NaN values (NaN when none). */
void lc_stats_range(const double *x, size_t n, double *min, double *max);
/*
 * R's type-7 quantile p (0..1) of v[0..n) (n >= 1, no NaN) by selection, in
 * linear time on average; reorders v. p = 0.5 is the median.
 */
double lc_stats_quantile7(double *v, size_t n, double p);
/* Median of v[0..n) (no NaN); sorts v in place. NaN when n is 0. */
double lc_stats_median_sort(double *v, size_t n);
/*
 * Skewness G1 and excess kurtosis G2 of the non-NaN values. Returns 0, or
 * -1 when there are fewer than 4 values or no variance (both set to NaN).
 */
int lc_stats_skew_kurt(const double *x, size_t n, double *skew, double *kurt);

#endif
