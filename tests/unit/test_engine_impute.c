/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Tests of engine/impute.c: column and group means and medians, NA groups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/diag.h"
#include "base/error.h"
#include "engine/impute.h"
#include "engine/rank.h"
#include "engine/spec.h"
#include "engine_fixture.h"

#define N 6
static const double X1[N] = {1, NA, 3, 10, NA, 6};
static const double X2[N] = {NA, 2, 4, 8, 16, NA};
static const double X3[N] = {1, 2, 3, 4, 5, 6};
/* Groups: g0 = units 1-3, g1 = units 4-5, unit 6 NA. */
static const int G[N] = {0, 0, 0, 1, 1, -1};

static int impute(const char *step, double *x)
{
	struct lc_tree t;
	struct lc_matrix m;
	fixture_tree(&t);
	fixture_matrix(&m, N, X1, X2, X3, G, NULL);
	struct lc_spec s;
	lc_spec_init(&s);
	char text[256];
	snprintf(text, sizeof text, "{\"steps\": [%s]}", step);
	assert_int_equal(lc_spec_parse(&s, text, strlen(text), NULL, NULL), 0);
	memcpy(x, m.x, 6 * N * sizeof *x);
	size_t units[N] = {0, 1, 2, 3, 4, 5};
	struct lc_rank_pair pairs[N];
	double tmp[2 * N];
	int grp[N];
	int rc = lc_impute_run(&s.steps[0], &t, &m, units, N, x, pairs, tmp, grp, NULL);
	lc_spec_cleanup(&s);
	lc_matrix_cleanup(&m);
	lc_tree_cleanup(&t);
	return rc;
}

static void expect(const double *got, const double *want)
{
	for (size_t i = 0; i < N; i++)
		assert_near(got[i], want[i]);
}

static void test_whole_column(void **state)
{
	(void)state;
	double x[6 * N];
	assert_int_equal(impute("{\"op\": \"impute\", \"method\": \"mean\"}", x), 0);
	expect(x, (double[]){1, 5, 3, 10, 5, 6});
	expect(x + N, (double[]){7.5, 2, 4, 8, 16, 7.5});
	expect(x + 2 * N, X3); /* complete columns never change */
	assert_int_equal(impute("{\"op\": \"impute\", \"method\": \"median\"}", x), 0);
	expect(x, (double[]){1, 4.5, 3, 10, 4.5, 6});
	expect(x + N, (double[]){6, 2, 4, 8, 16, 6});
}

static void test_groups(void **state)
{
	(void)state;
	double x[6 * N];
	assert_int_equal(
	    impute("{\"op\": \"impute\", \"method\": \"group_mean\", \"group\": \"G\"}", x), 0);
	/* x1: unit 2 from g0 (1, 3), unit 5 from g1 (10). x2: unit 1 from g0 (2, 4); unit 6 has no
	 * group. */
	expect(x, (double[]){1, 2, 3, 10, 10, 6});
	expect(x + N, (double[]){3, 2, 4, 8, 16, NA});
	assert_int_equal(impute("{\"op\": \"impute\", \"method\": \"group_median\", \"group\": "
	                        "\"G\"}",
	                        x),
	                 0);
	expect(x, (double[]){1, 2, 3, 10, 10, 6});
	expect(x + N, (double[]){3, 2, 4, 8, 16, NA});
	assert_int_equal(impute("{\"op\": \"impute\", \"method\": \"group_mean\", \"group\": "
	                        "\"Nope\"}",
	                        x),
	                 LC_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_whole_column),
	    cmocka_unit_test(test_groups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
