/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Ranks with ties at the minimum (rank.h). */
#include "engine/rank.h"

#include <math.h>
#include <stdlib.h>

static int cmp_pair(const void *a, const void *b)
{
	const struct lc_rank_pair *p = a, *q = b;
	if (p->v < q->v)
		return -1;
	if (p->v > q->v)
		return 1;
	return (p->i > q->i) - (p->i < q->i);
}

void lc_rank_sort_pairs(struct lc_rank_pair *p, size_t n)
{
	if (n > 1)
		qsort(p, n, sizeof *p, cmp_pair);
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
