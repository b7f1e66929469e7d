/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Ranks with ties at the minimum (rank.h). */
#include "engine/rank.h"

#include <math.h>
#include <stdbool.h>

/* The order of pairs: v ascending, then i (a total order: no NaN reaches here). */
static inline bool before(const struct lc_rank_pair *p, const struct lc_rank_pair *q)
{
	if (p->v < q->v)
		return true;
	if (p->v > q->v)
		return false;
	return p->i < q->i;
}

static inline void swap_pairs(struct lc_rank_pair *a, struct lc_rank_pair *b)
{
	struct lc_rank_pair t = *a;
	*a = *b;
	*b = t;
}

static void insertion_sort(struct lc_rank_pair *p, size_t n)
{
	for (size_t k = 1; k < n; k++) {
		struct lc_rank_pair x = p[k];
		size_t j = k;
		while (j > 0 && before(&x, &p[j - 1])) {
			p[j] = p[j - 1];
			j--;
		}
		p[j] = x;
	}
}

static void sift_down(struct lc_rank_pair *p, size_t root, size_t n)
{
	for (;;) {
		size_t c = 2 * root + 1;
		if (c >= n)
			return;
		if (c + 1 < n && before(&p[c], &p[c + 1]))
			c++;
		if (!before(&p[root], &p[c]))
			return;
		swap_pairs(&p[root], &p[c]);
		root = c;
	}
}

static void heap_sort(struct lc_rank_pair *p, size_t n)
{
	for (size_t k = n / 2; k-- > 0;)
		sift_down(p, k, n);
	for (size_t end = n; end-- > 1;) {
		swap_pairs(&p[0], &p[end]);
		sift_down(p, 0, end);
	}
}

/*
 * Introsort: quicksort with a median-of-three pivot, insertion sort for short
 * ranges, heapsort past a depth limit (no quadratic input). The comparison is
 * inlined: ranking every area of every uncertainty run made qsort's calls
 * through a function pointer the largest cost of an index run.
 */
static void intro_sort(struct lc_rank_pair *p, size_t n, int depth)
{
	while (n > 16) {
		if (depth-- == 0) {
			heap_sort(p, n);
			return;
		}
		size_t mid = n / 2;
		if (before(&p[mid], &p[0]))
			swap_pairs(&p[mid], &p[0]);
		if (before(&p[n - 1], &p[0]))
			swap_pairs(&p[n - 1], &p[0]);
		if (before(&p[n - 1], &p[mid]))
			swap_pairs(&p[n - 1], &p[mid]);
		/* p[0] <= pivot <= p[n-1]: both ends are sentinels for the scans. */
		struct lc_rank_pair pivot = p[mid];
		size_t i = 0, j = n - 1;
		for (;;) {
			do
				i++;
			while (before(&p[i], &pivot));
			do
				j--;
			while (before(&pivot, &p[j]));
			if (i >= j)
				break;
			swap_pairs(&p[i], &p[j]);
		}
		/* [0, j] <= pivot <= [j + 1, n): recurse on the smaller side. */
		size_t left = j + 1;
		if (left < n - left) {
			intro_sort(p, left, depth);
			p += left;
			n -= left;
		} else {
			intro_sort(p + left, n - left, depth);
			n = left;
		}
	}
	insertion_sort(p, n);
}

void lc_rank_sort_pairs(struct lc_rank_pair *p, size_t n)
{
	if (n < 2)
		return;
	int depth = 0;
	for (size_t m = n; m > 1; m >>= 1)
		depth += 2;
	intro_sort(p, n, depth);
}

size_t lc_rank_min(const double *x, size_t n, bool descending, double *ranks,
                   struct lc_rank_pair *scratch)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(x[i])) {
			ranks[i] = NAN;
			continue;
		}
		/* Negating turns "highest first" into an ascending sort. */
		scratch[m].v = descending ? -x[i] : x[i];
		scratch[m].i = i;
		m++;
	}
	lc_rank_sort_pairs(scratch, m);
	size_t start = 0;
	for (size_t k = 0; k < m; k++) {
		if (k > 0 && scratch[k].v != scratch[k - 1].v)
			start = k;
		ranks[scratch[k].i] = (double)(start + 1);
	}
	return m;
}
