/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of engine/treat.c and the skewness/kurtosis of engine/stats.c on
 * hand-checked columns (values from COINr's treat vignette, 1..10, 30, 100).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/pipeline.h"
#include "engine/spec.h"
#include "engine/stats.h"
#include "engine/treat.h"
#include "engine_fixture.h"

#define N 12
static const double UP[N] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100};
static const double FLAT[N] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
static const double DOWN[N] = {-100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};

struct treated {
	double x[6 * N];
	struct lc_treat_info info[6];
	signed char points[6 * N];
};

static void treat(const char *step_json, const double *c1, const double *c2, const double *c3,
                  struct treated *out)
{
	struct lc_tree t;
	fixture_tree(&t);
	struct lc_spec s;
	lc_spec_init(&s);
	char text[256];
	snprintf(text, sizeof text, "{\"steps\": [%s]}", step_json);
	assert_int_equal(lc_spec_parse(&s, text, strlen(text), NULL, NULL), 0);
	memcpy(out->x, c1, N * sizeof(double));
	memcpy(out->x + N, c2, N * sizeof(double));
	memcpy(out->x + 2 * N, c3, N * sizeof(double));
	size_t units[N];
	for (size_t i = 0; i < N; i++)
		units[i] = i;
	double backup[N];
	signed char flags[N];
	lc_treat_run(&s.steps[0], &t, out->x, N, out->info, out->points, units, N, backup, flags);
	lc_spec_cleanup(&s);
	lc_tree_cleanup(&t);
}

static void test_skew_kurt(void **state)
{
	(void)state;
	double sk, ku;
	assert_int_equal(lc_stats_skew_kurt(UP, N, &sk, &ku), 0);
	assert_near(sk, 3.0632410342394985);
	assert_near(ku, 9.741390834569144);
	/* NA is skipped; fewer than 4 values cannot be tested. */
	const double few[5] = {1, NA, 2, 3, NA};
	assert_int_equal(lc_stats_skew_kurt(few, 5, &sk, &ku), -1);
	const double same[4] = {2, 2, 2, 2};
	assert_int_equal(lc_stats_skew_kurt(same, 4, &sk, &ku), -1);
}

static void test_winsorise(void **state)
{
	(void)state;
	struct treated r;
	treat("{\"op\": \"treat\"}", UP, FLAT, DOWN, &r);
	/* High outlier: 100 takes the next value, 30; one point; then it passes. */
	assert_int_equal(r.info[0].status, LC_TREAT_WINSORISED);
	assert_int_equal(r.info[0].nwin, 1);
	assert_false(r.info[0].pass0);
	assert_true(r.info[0].pass1);
	assert_near(r.info[0].skew1, 1.7120380600890506);
	assert_near(r.info[0].kurt1, 1.8157805377242044);
	assert_near(r.x[11], 30);
	assert_int_equal(r.points[11], 1);
	assert_int_equal(r.points[10], 0);
	/* Symmetric: untouched. */
	assert_int_equal(r.info[1].status, LC_TREAT_PASSED);
	assert_true(r.info[1].pass0);
	/* Low outlier: -100 takes 1; flagged low. */
	assert_int_equal(r.info[2].status, LC_TREAT_WINSORISED);
	assert_near(r.info[2].skew0, -3.39841518161968);
	assert_near(r.x[2 * N], 1);
	assert_int_equal(r.points[2 * N], -1);
}

static void test_ties_count_once_each(void **state)
{
	(void)state;
	struct treated r;
	/*
	 * Lower limits make UP fail after its first pass (30, 30): the second
	 * pass moves both 30s to 10 but only unit 11 is new, so two points.
	 */
	treat("{\"op\": \"treat\", \"skew\": 1, \"kurt\": 1}", UP, FLAT, FLAT, &r);
	assert_int_equal(r.info[0].status, LC_TREAT_WINSORISED);
	assert_int_equal(r.info[0].nwin, 2);
	assert_near(r.x[10], 10);
	assert_near(r.x[11], 10);
	assert_int_equal(r.points[10], 1);
	assert_int_equal(r.points[11], 1);
	assert_near(r.info[0].skew1, -0.26791802441365);
	assert_near(r.info[0].kurt1, -1.372795930165337);
}

static void test_fallbacks(void **state)
{
	(void)state;
	struct treated r;
	/* Nothing may be winsorised: straight to ln(x - min + 0.01 (max - min)). */
	treat("{\"op\": \"treat\", \"winmax\": 0}", UP, FLAT, DOWN, &r);
	assert_int_equal(r.info[0].status, LC_TREAT_LOGGED);
	assert_int_equal(r.info[0].nwin, 0);
	for (size_t i = 0; i < N; i++)
		assert_near(r.x[i], log(UP[i] - 1 + 0.99));
	/* log_CT ignores the sign of the skew. */
	for (size_t i = 0; i < N; i++)
		assert_near(r.x[2 * N + i], log(DOWN[i] + 100 + 1.11));
	/* log_CT_plus mirrors for a negative skew. */
	treat("{\"op\": \"treat\", \"winmax\": 0, \"fallback\": \"log_CT_plus\"}", UP, FLAT, DOWN,
	      &r);
	for (size_t i = 0; i < N; i++) {
		assert_near(r.x[i], log(UP[i] - 1 + 0.99));
		assert_near(r.x[2 * N + i], -log(11 + 1.11 - DOWN[i]));
	}
	/* none: values kept, reported as failing. */
	treat("{\"op\": \"treat\", \"winmax\": 0, \"fallback\": \"none\"}", UP, FLAT, DOWN, &r);
	assert_int_equal(r.info[0].status, LC_TREAT_FAILED);
	assert_false(r.info[0].pass1);
	for (size_t i = 0; i < N; i++)
		assert_near(r.x[i], UP[i]);
}

static void test_thresholds(void **state)
{
	(void)state;
	struct treated r;
	/* Kurtosis limit above the column's: it passes untreated. */
	treat("{\"op\": \"treat\", \"kurt\": 10}", UP, FLAT, DOWN, &r);
	assert_int_equal(r.info[0].status, LC_TREAT_PASSED);
	assert_near(r.x[11], 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_skew_kurt),
	    cmocka_unit_test(test_winsorise),
	    cmocka_unit_test(test_ties_count_once_each),
	    cmocka_unit_test(test_fallbacks),
	    cmocka_unit_test(test_thresholds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
