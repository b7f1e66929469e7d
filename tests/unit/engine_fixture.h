/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A small framework for the engine's unit tests: indicators x1 (weight 1,
 * target 10), x2 (direction -1, weight 2) under A, x3 under B, A and B
 * under Index; units U1..Un with the given columns, one group column "G"
 * and one denominator column "D".
 */
#ifndef LC_TEST_ENGINE_FIXTURE_H
#define LC_TEST_ENGINE_FIXTURE_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "engine/matrix.h"
#include "engine/tree.h"

#define NA NAN

/* got equals want to 1e-12 relative, or both are NA (cmocka here lacks assert_double_equal). */
#define assert_near(got, want)                                                                     \
	do {                                                                                       \
		double g_ = (got), w_ = (want);                                                    \
		if (isnan(w_) || isnan(g_))                                                        \
			assert_true((bool)isnan(w_) && (bool)isnan(g_));                           \
		else                                                                               \
			assert_true(fabs(g_ - w_) <= 1e-12 * fmax(1.0, fabs(w_)));                 \
	} while (0)

static inline void fixture_tree(struct lc_tree *t)
{
	lc_tree_init(t);
	lc_tree_add(t, "x1", NULL, 1, 1, 1, 10, NULL, "A", 2, NULL, NULL);
	lc_tree_add(t, "x2", NULL, 1, -1, 2, NAN, NULL, "A", 3, NULL, NULL);
	lc_tree_add(t, "x3", NULL, 1, 1, 1, NAN, NULL, "B", 4, NULL, NULL);
	lc_tree_add(t, "A", NULL, 2, 1, 1, NAN, NULL, "Index", 5, NULL, NULL);
	lc_tree_add(t, "B", NULL, 2, 1, 1, NAN, NULL, "Index", 6, NULL, NULL);
	lc_tree_add(t, "Index", NULL, 3, 1, 1, NAN, NULL, NULL, 7, NULL, NULL);
	lc_tree_finish(t, NULL, NULL);
}

/* x1, x2, x3: n values each; groups: n ids (-1 = NA) with 2 levels; den: n values. */
static inline void fixture_matrix(struct lc_matrix *m, size_t n, const double *x1, const double *x2,
                                  const double *x3, const int *groups, const double *den)
{
	lc_matrix_init(m);
	lc_matrix_alloc(m, n, 6, 1, 1);
	for (size_t i = 0; i < n; i++) {
		char code[16];
		snprintf(code, sizeof code, "U%zu", i + 1);
		m->ucodes[i] = lc_xstrdup(code);
		m->x[0 * n + i] = x1[i];
		m->x[1 * n + i] = x2[i];
		m->x[2 * n + i] = x3[i];
		m->groups[i] = groups ? groups[i] : 0;
		m->denoms[i] = den ? den[i] : 1;
	}
	m->denom_names[0] = lc_xstrdup("D");
	m->group_names[0] = lc_xstrdup("G");
	m->group_levels[0] = lc_xcalloc(2, sizeof(char *));
	m->group_levels[0][0] = lc_xstrdup("g0");
	m->group_levels[0][1] = lc_xstrdup("g1");
	m->n_group_levels[0] = 2;
}

#endif
