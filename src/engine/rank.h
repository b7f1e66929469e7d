/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Ranking a column with NA: ties share the best ("min") rank, NA stays NaN.
 * Sorting is O(n log n) over a caller-provided scratch array, so ranking
 * allocates nothing.
 */
#ifndef LC_RANK_H
#define LC_RANK_H

#include <stdbool.h>
#include <stddef.h>

/* A value and its position, the unit of sorting. */
struct lc_rank_pair {
	double v;
	size_t i;
};

/*
 * ranks[i] = rank of x[i] among the non-NaN values of x[0..n): with
 * descending, the highest value is 1 (scores); otherwise the lowest is 1
 * (COINr's rank normalisation). scratch holds at least n pairs. Returns the
 * number of non-NaN values.
 */
size_t lc_rank_min(const double *x, size_t n, bool descending, double *ranks,
                   struct lc_rank_pair *scratch);
/* Sorts pairs by v ascending, then by i (an introsort with the comparison inlined). */
void lc_rank_sort_pairs(struct lc_rank_pair *p, size_t n);

#endif
