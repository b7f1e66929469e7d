/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of engine/screen.c: by NA, zeros (counted among the values present,
 * as COINr) and both; compaction of the matrix.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/screen.h"
#include "engine/spec.h"
#include "engine_fixture.h"

#define N 4
/* Unit 1: complete; unit 2: one NA; unit 3: two zeros; unit 4: NA and zero. */
static const double X1[N] = {1, NA, 0, NA};
static const double X2[N] = {2, 2, 0, 0};
static const double X3[N] = {3, 3, 3, 3};

/* Screens the units whose columns are c1, c2, c3 (N values each). */
static size_t screen_cols(const char *step, const double *c1, const double *c2, const double *c3,
                          size_t *units, size_t *dropped, size_t *n_dropped, double *x)
{
	struct lc_tree t;
	fixture_tree(&t);
	struct lc_spec s;
	lc_spec_init(&s);
	char text[256];
	snprintf(text, sizeof text, "{\"steps\": [%s]}", step);
	assert_int_equal(lc_spec_parse(&s, text, strlen(text), NULL, NULL), 0);
	for (size_t i = 0; i < 6 * N; i++)
		x[i] = NAN;
	for (size_t i = 0; i < N; i++) {
		x[i] = c1[i];
		x[N + i] = c2[i];
		x[2 * N + i] = c3[i];
		units[i] = 10 + i; /* input indices need not be positions */
	}
	size_t n = N, pos[N];
	double na[N], zero[N];
	*n_dropped = 0;
	lc_screen_run(&s.steps[0], &t, x, &n, units, dropped, n_dropped, pos, na, zero);
	lc_spec_cleanup(&s);
	lc_tree_cleanup(&t);
	return n;
}

static size_t screen(const char *step, size_t *units, size_t *dropped, size_t *n_dropped, double *x)
{
	return screen_cols(step, X1, X2, X3, units, dropped, n_dropped, x);
}

static void test_by_na(void **state)
{
	(void)state;
	size_t units[N], dropped[N], nd;
	double x[6 * N];
	/* 2/3 available for units 2 and 4: kept at 0.66, dropped at 0.9. */
	assert_int_equal(
	    screen("{\"op\": \"screen\", \"min_fraction\": 0.66}", units, dropped, &nd, x), 4);
	assert_int_equal(
	    screen("{\"op\": \"screen\", \"min_fraction\": 0.9}", units, dropped, &nd, x), 2);
	assert_int_equal(nd, 2);
	assert_int_equal(dropped[0], 11);
	assert_int_equal(dropped[1], 13);
	assert_int_equal(units[0], 10);
	assert_int_equal(units[1], 12);
	/* The kept rows are compacted column by column. */
	assert_near(x[0], 1);
	assert_near(x[1], 0);
	assert_near(x[2], 2);
	assert_near(x[3], 0);
	assert_near(x[4], 3);
}

static void test_zeros_and_both(void **state)
{
	(void)state;
	size_t units[N], dropped[N], nd;
	double x[6 * N];
	/* Non-zero shares: 1, 1, 1/3, 1/2 (zeros among the values present). */
	assert_int_equal(screen("{\"op\": \"screen\", \"by\": \"zeros\", \"min_fraction\": 0.5}",
	                        units, dropped, &nd, x),
	                 3);
	assert_int_equal(dropped[0], 12);
	/* Both: unit 4 has 2/3 available and 2/3 non-zero; unit 2 2/3 available. */
	assert_int_equal(screen("{\"op\": \"screen\", \"by\": \"both\", \"min_fraction\": 0.7}",
	                        units, dropped, &nd, x),
	                 1);
	assert_int_equal(units[0], 10);
}

/*
 * Unit 4 (NA, 0, 3) has one zero among two values present: a non-zero
 * share of 1/2, below 0.6, so it is dropped as COINr drops it. Dividing by
 * all three indicators would give 2/3 and keep it.
 */
static void test_zeros_among_present(void **state)
{
	(void)state;
	size_t units[N], dropped[N], nd;
	double x[6 * N];
	assert_int_equal(screen("{\"op\": \"screen\", \"by\": \"zeros\", \"min_fraction\": 0.6}",
	                        units, dropped, &nd, x),
	                 2);
	assert_int_equal(nd, 2);
	assert_int_equal(dropped[0], 12);
	assert_int_equal(dropped[1], 13);
	assert_int_equal(units[0], 10);
	assert_int_equal(units[1], 11);
	/* 1/2 is not below 0.5: kept at the boundary. */
	assert_int_equal(screen("{\"op\": \"screen\", \"by\": \"zeros\", \"min_fraction\": 0.5}",
	                        units, dropped, &nd, x),
	                 3);
}

/*
 * A unit without any value has no zero: screening by zeros keeps it (COINr's
 * 0/0 gives NA there); screening by NA or both drops it.
 */
static void test_zeros_no_value(void **state)
{
	(void)state;
	static const double c1[N] = {NA, 0, 1, 0}, c2[N] = {NA, 0, 2, 5}, c3[N] = {NA, 0, 3, NA};
	size_t units[N], dropped[N], nd;
	double x[6 * N];
	assert_int_equal(screen_cols("{\"op\": \"screen\", \"by\": \"zeros\", "
	                             "\"min_fraction\": 0.5}",
	                             c1, c2, c3, units, dropped, &nd, x),
	                 3);
	assert_int_equal(nd, 1);
	assert_int_equal(dropped[0], 11); /* all zeros */
	assert_int_equal(units[0], 10);   /* no value */
	assert_true(isnan(x[0]));
	/* Unit 4 (0, 5, NA): 1 - 1/2 = 1/2, kept at 0.5. */
	assert_int_equal(units[2], 13);
	assert_int_equal(screen_cols("{\"op\": \"screen\", \"by\": \"both\", "
	                             "\"min_fraction\": 0.5}",
	                             c1, c2, c3, units, dropped, &nd, x),
	                 2);
	assert_int_equal(dropped[0], 10);
	assert_int_equal(dropped[1], 11);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_by_na),
	    cmocka_unit_test(test_zeros_and_both),
	    cmocka_unit_test(test_zeros_among_present),
	    cmocka_unit_test(test_zeros_no_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
