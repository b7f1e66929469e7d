/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Tests of engine/normalise.c: every method on hand-computed columns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/diag.h"
#include "base/error.h"
#include "engine/normalise.h"
#include "engine/rank.h"
#include "engine/spec.h"
#include "engine_fixture.h"

#define N 5
static const double X1[N] = {1, 2, 4, 8, NA};
static const double X2[N] = {5, 3, 3, 1, 2};
static const double X3[N] = {7, 7, 7, 7, 7};

struct run {
	double x[6 * N];
	int rc;
	size_t warnings;
};

static struct run normalise(const char *step_json, double x1_target, double x2_target)
{
	struct lc_tree t;
	fixture_tree(&t);
	t.nodes[0].target = x1_target;
	t.nodes[1].target = x2_target;
	t.nodes[2].target = 8;
	struct lc_spec s;
	lc_spec_init(&s);
	char text[512];
	snprintf(text, sizeof text, "{\"steps\": [%s]}", step_json);
	assert_int_equal(lc_spec_parse(&s, text, strlen(text), NULL, NULL), 0);
	struct run r;
	for (size_t i = 0; i < N; i++) {
		r.x[0 * N + i] = X1[i];
		r.x[1 * N + i] = X2[i];
		r.x[2 * N + i] = X3[i];
	}
	double ranks[N];
	struct lc_rank_pair pairs[N];
	struct lc_diag warn, diag;
	lc_diag_init(&warn);
	lc_diag_init(&diag);
	r.rc = lc_normalise_run(&s.steps[0], &t, r.x, N, ranks, pairs, &warn, &diag);
	r.warnings = warn.count;
	lc_diag_cleanup(&warn);
	lc_diag_cleanup(&diag);
	lc_spec_cleanup(&s);
	lc_tree_cleanup(&t);
	return r;
}

static void expect(const double *got, const double *want)
{
	for (size_t i = 0; i < N; i++)
		assert_near(got[i], want[i]);
}

static void test_minmax(void **state)
{
	(void)state;
	struct run r = normalise(
	    "{\"op\": \"normalise\", \"method\": \"minmax\", \"lo\": 0, \"hi\": 1}", NAN, NAN);
	assert_int_equal(r.rc, 0);
	expect(r.x, (double[]){0, 1.0 / 7, 3.0 / 7, 1, NA});
	/* Direction -1: -x, so the smallest raw value scores 1. */
	expect(r.x + N, (double[]){0, 0.5, 0.5, 1, 0.75});
	/* Zero range: NA and one warning. */
	expect(r.x + 2 * N, (double[]){NA, NA, NA, NA, NA});
	assert_int_equal(r.warnings, 1);
	r = normalise("{\"op\": \"normalise\", \"method\": \"minmax\", \"lo\": 1, \"hi\": 100}",
	              NAN, NAN);
	expect(r.x, (double[]){1, 1 + 99.0 / 7, 1 + 3 * 99.0 / 7, 100, NA});
}

static void test_zscore(void **state)
{
	(void)state;
	struct run r = normalise(
	    "{\"op\": \"normalise\", \"method\": \"zscore\", \"mean\": 10, \"sd\": 2}", NAN, NAN);
	/* x1: mean 3.75, sd sqrt(28.75 / 3). */
	double sd = sqrt(28.75 / 3);
	expect(r.x, (double[]){10 + 2 * (1 - 3.75) / sd, 10 + 2 * (2 - 3.75) / sd,
	                       10 + 2 * (4 - 3.75) / sd, 10 + 2 * (8 - 3.75) / sd, NA});
	/* x2 reversed: -5 -3 -3 -1 -2, mean -2.8, sd sqrt(8.8 / 4). */
	double sd2 = sqrt(8.8 / 4);
	expect(r.x + N, (double[]){10 + 2 * (-5 + 2.8) / sd2, 10 + 2 * (-3 + 2.8) / sd2,
	                           10 + 2 * (-3 + 2.8) / sd2, 10 + 2 * (-1 + 2.8) / sd2,
	                           10 + 2 * (-2 + 2.8) / sd2});
	assert_int_equal(r.warnings, 1); /* x3 has no spread */
}

static void test_ranks(void **state)
{
	(void)state;
	struct run r = normalise("{\"op\": \"normalise\", \"method\": \"rank\"}", NAN, NAN);
	expect(r.x, (double[]){1, 2, 3, 4, NA});
	/* -5 -3 -3 -1 -2: ties share the lowest rank. */
	expect(r.x + N, (double[]){1, 2, 2, 5, 4});
	expect(r.x + 2 * N, (double[]){1, 1, 1, 1, 1});
	r = normalise("{\"op\": \"normalise\", \"method\": \"percentile_rank\"}", NAN, NAN);
	expect(r.x, (double[]){0, 1.0 / 3, 2.0 / 3, 1, NA});
	expect(r.x + N, (double[]){0, 0.25, 0.25, 1, 0.75});
	r = normalise("{\"op\": \"normalise\", \"method\": \"borda\"}", NAN, NAN);
	expect(r.x, (double[]){0, 1, 2, 3, NA});
	expect(r.x + N, (double[]){0, 1, 1, 4, 3});
}

static void test_dist_and_fraction(void **state)
{
	(void)state;
	struct run r = normalise("{\"op\": \"normalise\", \"method\": \"dist_to_max\"}", NAN, NAN);
	expect(r.x, (double[]){0, 1.0 / 7, 3.0 / 7, 1, NA});
	r = normalise("{\"op\": \"normalise\", \"method\": \"fraction_of_max\"}", NAN, NAN);
	expect(r.x, (double[]){0.125, 0.25, 0.5, 1, NA});
	/* x2 reversed: max of -x is -1. */
	expect(r.x + N, (double[]){5, 3, 3, 1, 2});
	expect(r.x + 2 * N, (double[]){1, 1, 1, 1, 1});
}

static void test_dist_to_target(void **state)
{
	(void)state;
	/* x1: (x - 1) / (4 - 1); x2 (direction -1, target 2): (5 - x) / (5 - 2). */
	struct run r = normalise("{\"op\": \"normalise\", \"method\": \"dist_to_target\"}", 4, 2);
	assert_int_equal(r.rc, 0);
	expect(r.x, (double[]){0, 1.0 / 3, 1, 7.0 / 3, NA});
	expect(r.x + N, (double[]){0, 2.0 / 3, 2.0 / 3, 4.0 / 3, 1});
	r = normalise("{\"op\": \"normalise\", \"method\": \"dist_to_target\", \"cap\": true}", 4,
	              2);
	expect(r.x, (double[]){0, 1.0 / 3, 1, 1, NA});
	expect(r.x + N, (double[]){0, 2.0 / 3, 2.0 / 3, 1, 1});
	/* No Target: an error, not a silent NA. */
	r = normalise("{\"op\": \"normalise\", \"method\": \"dist_to_target\"}", 4, NAN);
	assert_int_equal(r.rc, LC_EINVAL);
}

static void test_goalposts(void **state)
{
	(void)state;
	struct run r =
	    normalise("{\"op\": \"normalise\", \"method\": \"goalposts\", \"scale\": 100,"
	              " \"lo\": {\"x1\": 0, \"x2\": 0, \"x3\": 0}, \"hi\": {\"x1\": 4, \"x2\": 4, "
	              "\"x3\": 10}}",
	              NAN, NAN);
	assert_int_equal(r.rc, 0);
	expect(r.x, (double[]){25, 50, 100, 100, NA});
	/* Direction -1: (hi - x) / (hi - lo), truncated to [0, 1]. */
	expect(r.x + N, (double[]){0, 25, 25, 75, 50});
	expect(r.x + 2 * N, (double[]){70, 70, 70, 70, 70});
	r = normalise("{\"op\": \"normalise\", \"method\": \"goalposts\","
	              " \"lo\": {\"x1\": 0}, \"hi\": {\"x1\": 4}}",
	              NAN, NAN);
	assert_int_equal(r.rc, LC_EINVAL); /* x2 has no goalposts */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_minmax),         cmocka_unit_test(test_zscore),
	    cmocka_unit_test(test_ranks),          cmocka_unit_test(test_dist_and_fraction),
	    cmocka_unit_test(test_dist_to_target), cmocka_unit_test(test_goalposts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
