/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of engine/aggregate.c and engine/weights.c through the pipeline:
 * each mean, Copeland, min_fraction, weight overrides (0 included), noisy
 * weights from the options, effective weights, and the refusal of x <= 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/diag.h"
#include "base/error.h"
#include "engine/pipeline.h"
#include "engine_fixture.h"

#define N 3
/* A = weighted mean of x1 (w 1) and x2 (w 2); B = x3; Index = mean of A and B. */
static const double X1[N] = {1, 2, 4};
static const double X2[N] = {4, NA, 1};
static const double X3[N] = {2, 3, 0.5};

struct agg {
	int rc;
	double a[N], b[N], index[N];
	double eff[6];
	char msg[256];
};

static struct agg aggregate(const char *step_json, const double *x3, const double *weights)
{
	struct lc_tree t;
	struct lc_matrix m;
	fixture_tree(&t);
	fixture_matrix(&m, N, X1, X2, x3 ? x3 : X3, NULL, NULL);
	struct lc_spec s;
	lc_spec_init(&s);
	char text[512];
	snprintf(text, sizeof text, "{\"steps\": [%s]}", step_json);
	assert_int_equal(lc_spec_parse(&s, text, strlen(text), NULL, NULL), 0);
	struct lc_pipeline_result r;
	lc_pipeline_result_init(&r);
	struct lc_diag diag;
	lc_diag_init(&diag);
	struct lc_engine_input in = {&t, &m};
	struct lc_pipeline_opts o = {false, weights};
	struct agg g;
	memset(&g, 0, sizeof g);
	g.rc = lc_pipeline_run(&in, &s, &o, &r, &diag);
	if (g.rc == 0) {
		for (size_t i = 0; i < N; i++) {
			g.a[i] = r.x[3 * N + i];
			g.b[i] = r.x[4 * N + i];
			g.index[i] = r.x[5 * N + i];
		}
		memcpy(g.eff, r.eff_weights, sizeof g.eff);
	} else if (diag.count) {
		snprintf(g.msg, sizeof g.msg, "%s: %s",
		         diag.items[0].field ? diag.items[0].field : "", diag.items[0].message);
	}
	lc_diag_cleanup(&diag);
	lc_pipeline_result_cleanup(&r);
	lc_spec_cleanup(&s);
	lc_matrix_cleanup(&m);
	lc_tree_cleanup(&t);
	return g;
}

static void test_arithmetic(void **state)
{
	(void)state;
	struct agg g = aggregate("{\"op\": \"aggregate\"}", NULL, NULL);
	assert_int_equal(g.rc, 0);
	/* U2's x2 is NA: its weight leaves the denominator. */
	double a[N] = {9.0 / 3, 2, 6.0 / 3};
	for (size_t i = 0; i < N; i++) {
		assert_near(g.a[i], a[i]);
		assert_near(g.b[i], X3[i]);
		assert_near(g.index[i], (a[i] + X3[i]) / 2);
	}
	double eff[6] = {1.0 / 6, 2.0 / 6, 0.5, 0.5, 0.5, 1};
	for (size_t c = 0; c < 6; c++)
		assert_near(g.eff[c], eff[c]);
}

static void test_geometric_harmonic_power(void **state)
{
	(void)state;
	struct agg g = aggregate("{\"op\": \"aggregate\", \"method\": \"geometric\"}", NULL, NULL);
	assert_int_equal(g.rc, 0);
	double a[N] = {cbrt(1 * 4 * 4), 2, cbrt(4 * 1 * 1)};
	for (size_t i = 0; i < N; i++) {
		assert_near(g.a[i], a[i]);
		assert_near(g.index[i], sqrt(a[i] * X3[i]));
	}
	g = aggregate("{\"op\": \"aggregate\", \"method\": \"harmonic\"}", NULL, NULL);
	assert_int_equal(g.rc, 0);
	double h[N] = {3 / (1 + 2.0 / 4), 2, 3 / (1.0 / 4 + 2)};
	for (size_t i = 0; i < N; i++) {
		assert_near(g.a[i], h[i]);
		assert_near(g.index[i], 2 / (1 / h[i] + 1 / X3[i]));
	}
	g = aggregate("{\"op\": \"aggregate\", \"method\": \"power\", \"p\": 2}", NULL, NULL);
	assert_int_equal(g.rc, 0);
	double p[N] = {sqrt(33.0 / 3), 2, sqrt(18.0 / 3)};
	for (size_t i = 0; i < N; i++) {
		assert_near(g.a[i], p[i]);
		assert_near(g.index[i], sqrt((p[i] * p[i] + X3[i] * X3[i]) / 2));
	}
}

static void test_copeland(void **state)
{
	(void)state;
	struct agg g = aggregate("{\"op\": \"aggregate\", \"method\": \"copeland\"}", NULL, NULL);
	assert_int_equal(g.rc, 0);
	/*
	 * A over x1 (1/3) and x2 (2/3), U2's x2 NA: U1-U2 e = 0 / 1/3, U1-U3
	 * e = 2/3 / 1/3, U2-U3 e = 0 / 1/3: scores 0, -2, -2.
	 */
	assert_near(g.a[0], 0);
	assert_near(g.a[1], -2);
	assert_near(g.a[2], -2);
	/* B over x3 alone: 2, 3, 0.5 -> U2 beats both, U1 beats U3. */
	assert_near(g.b[0], 0);
	assert_near(g.b[1], 2);
	assert_near(g.b[2], -2);
}

static void test_min_fraction(void **state)
{
	(void)state;
	struct agg g = aggregate("{\"op\": \"aggregate\", \"min_fraction\": 0.75}", NULL, NULL);
	assert_int_equal(g.rc, 0);
	assert_near(g.a[0], 3);
	assert_true((bool)isnan(g.a[1])); /* one child of two */
	/* Index of U2: A is NA, so one child of two again. */
	assert_true((bool)isnan(g.index[1]));
	assert_near(g.index[2], (2 + 0.5) / 2);
}

static void test_weight_overrides(void **state)
{
	(void)state;
	struct agg g =
	    aggregate("{\"op\": \"aggregate\", \"weights\": {\"x2\": 0, \"B\": 3}}", NULL, NULL);
	assert_int_equal(g.rc, 0);
	for (size_t i = 0; i < N; i++) {
		assert_near(g.a[i], X1[i]);
		assert_near(g.index[i], (X1[i] + 3 * X3[i]) / 4);
	}
	assert_near(g.eff[1], 0);
	assert_near(g.eff[0], 0.25);
	assert_near(g.eff[2], 0.75);
	/* Weights from the options replace both iMeta and the spec's. */
	const double ones[6] = {1, 1, 1, 1, 1, 1};
	g = aggregate("{\"op\": \"aggregate\", \"weights\": {\"x2\": 0}}", NULL, ones);
	assert_near(g.a[0], 2.5);
	/* An unknown code is an error. */
	g = aggregate("{\"op\": \"aggregate\", \"weights\": {\"nope\": 1}}", NULL, NULL);
	assert_int_equal(g.rc, LC_EINVAL);
}

static void test_refuses_non_positive(void **state)
{
	(void)state;
	const double x3[N] = {2, 3, 0};
	struct agg g = aggregate("{\"op\": \"aggregate\", \"method\": \"geometric\"}", x3, NULL);
	assert_int_equal(g.rc, LC_EINVAL);
	assert_non_null(strstr(g.msg, "'x3' is 0 for unit 'U3'"));
	g = aggregate("{\"op\": \"aggregate\", \"method\": \"harmonic\"}", x3, NULL);
	assert_int_equal(g.rc, LC_EINVAL);
	const double neg[N] = {2, -1, 1};
	g = aggregate("{\"op\": \"aggregate\", \"method\": \"power\", \"p\": 0.5}", neg, NULL);
	assert_int_equal(g.rc, LC_EINVAL);
	assert_non_null(strstr(g.msg, "for unit 'U2'"));
	/* The arithmetic mean takes them. */
	g = aggregate("{\"op\": \"aggregate\"}", neg, NULL);
	assert_int_equal(g.rc, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_arithmetic),
	    cmocka_unit_test(test_geometric_harmonic_power),
	    cmocka_unit_test(test_copeland),
	    cmocka_unit_test(test_min_fraction),
	    cmocka_unit_test(test_weight_overrides),
	    cmocka_unit_test(test_refuses_non_positive),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
