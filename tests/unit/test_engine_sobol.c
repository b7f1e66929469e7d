/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of engine/sobol.c: the Saltelli design's layout and reproducibility,
 * the estimators on models with known indices (Ishigami a = 7, b = 0.1; a
 * linear model), failed runs, bootstrap intervals and R's type-7 quantile.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "engine/sobol.h"

static double ishigami(const double *u)
{
	const double a = 7.0, b = 0.1;
	double x1 = -M_PI + 2 * M_PI * u[0], x2 = -M_PI + 2 * M_PI * u[1];
	double x3 = -M_PI + 2 * M_PI * u[2];
	double s2 = sin(x2);
	return sin(x1) + a * s2 * s2 + b * pow(x3, 4) * sin(x1);
}

/* Evaluates f on every run of the design; caller frees with lc_free. */
static double *evaluate(const struct lc_sobol_design *dz, double (*f)(const double *))
{
	size_t runs = lc_sobol_design_runs(dz);
	double *y = lc_xreallocarray(NULL, runs, sizeof(double));
	double row[16];
	for (size_t r = 0; r < runs; r++) {
		lc_sobol_design_row(dz, r, row);
		y[r] = f(row);
	}
	return y;
}

static void check_ishigami(enum lc_sobol_source src, size_t n)
{
	const double s[3] = {0.314, 0.442, 0.0}, st[3] = {0.558, 0.442, 0.244};
	struct lc_sobol_design dz;
	struct lc_sobol_result res;
	struct lc_sobol_opts opts = {.boot = 0, .seed = 1, .lo = 0.05, .hi = 0.95};

	assert_int_equal(lc_sobol_design_init(&dz, n, 3, 2024, src), 0);
	double *y = evaluate(&dz, ishigami);
	assert_int_equal(lc_sobol_estimate(y, n, 3, &opts, &res), 0);
	assert_int_equal(res.n_used, n);
	assert_int_equal(res.n_dropped, 0);
	for (int i = 0; i < 3; i++) {
		assert_true(fabs(res.idx[i].s - s[i]) < 0.02);
		assert_true(fabs(res.idx[i].st - st[i]) < 0.02);
		assert_true(isnan(res.idx[i].s_lo));
	}
	/* Exact variance of Ishigami: a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2. */
	double v = 49.0 / 8 + 0.1 * pow(M_PI, 4) / 5 + 0.01 * pow(M_PI, 8) / 18 + 0.5;
	assert_true(fabs(res.var - v) / v < 0.02);
	lc_sobol_result_cleanup(&res);
	lc_free(y);
	lc_sobol_design_cleanup(&dz);
}

static void test_ishigami_qmc(void **state)
{
	(void)state;
	check_ishigami(LC_SOBOL_QMC, 100000);
}

static void test_ishigami_rng(void **state)
{
	(void)state;
	check_ishigami(LC_SOBOL_RNG, 100000);
}

static double linear(const double *u)
{
	return 1.0 * u[0] + 2.0 * u[1] + 3.0 * u[2] + 0.0 * u[3];
}

static void test_linear(void **state)
{
	(void)state;
	/* Y = sum c_i X_i, X_i ~ U(0,1): S_i = S_Ti = c_i^2 / sum c^2 = 1/14, 4/14, 9/14, 0. */
	const double want[4] = {1.0 / 14, 4.0 / 14, 9.0 / 14, 0};
	struct lc_sobol_design dz;
	struct lc_sobol_result res;
	struct lc_sobol_opts opts = {.boot = 200, .seed = 7, .lo = 0.05, .hi = 0.95};

	assert_int_equal(lc_sobol_design_init(&dz, 8192, 4, 5, LC_SOBOL_AUTO), 0);
	assert_int_equal(dz.source, LC_SOBOL_QMC);
	double *y = evaluate(&dz, linear);
	assert_int_equal(lc_sobol_estimate(y, 8192, 4, &opts, &res), 0);
	for (int i = 0; i < 4; i++) {
		assert_true(fabs(res.idx[i].s - want[i]) < 0.01);
		assert_true(fabs(res.idx[i].st - want[i]) < 0.01);
		assert_true(res.idx[i].s_lo <= res.idx[i].s_hi);
		assert_true(res.idx[i].st_lo <= res.idx[i].st_hi);
		/* The intervals are narrow at this N and hold the estimate. */
		assert_true(res.idx[i].st_lo <= res.idx[i].st + 1e-12);
		assert_true(res.idx[i].st_hi >= res.idx[i].st - 1e-12);
		assert_true(res.idx[i].st_hi - res.idx[i].st_lo < 0.05);
	}
	lc_sobol_result_cleanup(&res);
	lc_free(y);
	lc_sobol_design_cleanup(&dz);
}

static void test_design_layout(void **state)
{
	(void)state;
	struct lc_sobol_design dz, dz2, dz3;
	double row[3];

	assert_int_equal(lc_sobol_design_init(&dz, 10, 3, 42, LC_SOBOL_QMC), 0);
	assert_int_equal(lc_sobol_design_runs(&dz), 50);
	for (size_t j = 0; j < 10; j++) {
		lc_sobol_design_row(&dz, j, row);
		assert_memory_equal(row, dz.a + j * 3, sizeof(row));
		lc_sobol_design_row(&dz, 10 + j, row);
		assert_memory_equal(row, dz.b + j * 3, sizeof(row));
		for (size_t i = 0; i < 3; i++) {
			lc_sobol_design_row(&dz, (2 + i) * 10 + j, row);
			for (size_t k = 0; k < 3; k++) {
				double want = k == i ? dz.b[j * 3 + k] : dz.a[j * 3 + k];
				assert_true(row[k] == want);
				assert_true(row[k] >= 0 && row[k] < 1);
			}
		}
	}
	/* Same seed, same design; another seed, another design. */
	assert_int_equal(lc_sobol_design_init(&dz2, 10, 3, 42, LC_SOBOL_QMC), 0);
	assert_memory_equal(dz.a, dz2.a, 30 * sizeof(double));
	assert_memory_equal(dz.b, dz2.b, 30 * sizeof(double));
	assert_int_equal(lc_sobol_design_init(&dz3, 10, 3, 43, LC_SOBOL_QMC), 0);
	assert_true(memcmp(dz.a, dz3.a, 30 * sizeof(double)) != 0);
	lc_sobol_design_cleanup(&dz);
	lc_sobol_design_cleanup(&dz2);
	lc_sobol_design_cleanup(&dz3);

	assert_int_equal(lc_sobol_design_init(&dz, 1, 3, 1, LC_SOBOL_QMC), LC_EINVAL);
	assert_int_equal(lc_sobol_design_init(&dz, 10, 0, 1, LC_SOBOL_QMC), LC_EINVAL);
	assert_int_equal(lc_sobol_design_init(&dz, 10, 21, 1, LC_SOBOL_QMC), LC_EINVAL);
	assert_int_equal(lc_sobol_design_init(&dz, 10, 21, 1, LC_SOBOL_AUTO), 0);
	assert_int_equal(dz.source, LC_SOBOL_RNG);
	lc_sobol_design_cleanup(&dz);
	assert_int_equal(lc_sobol_design_init(&dz, 5000000, 3, 1, LC_SOBOL_RNG), LC_ELIMIT);
	lc_sobol_design_cleanup(NULL);
}

static void test_failed_runs(void **state)
{
	(void)state;
	struct lc_sobol_design dz;
	struct lc_sobol_result res, ref;
	struct lc_sobol_opts opts = {.boot = 0};
	size_t n = 4096;

	assert_int_equal(lc_sobol_design_init(&dz, n, 3, 9, LC_SOBOL_QMC), 0);
	double *y = evaluate(&dz, ishigami);
	assert_int_equal(lc_sobol_estimate(y, n, 3, &opts, &ref), 0);
	/* One failed run in A_B^(2) and one in B: their base rows go, counted. */
	y[4 * n + 17] = NAN;
	y[n + 100] = INFINITY;
	assert_int_equal(lc_sobol_estimate(y, n, 3, &opts, &res), 0);
	assert_int_equal(res.n_used, n - 2);
	assert_int_equal(res.n_dropped, 2);
	for (int i = 0; i < 3; i++)
		assert_true(fabs(res.idx[i].s - ref.idx[i].s) < 0.02);
	lc_sobol_result_cleanup(&res);
	lc_sobol_result_cleanup(&ref);

	/* A constant model has no variance to share: error, NaN indices. */
	for (size_t r = 0; r < lc_sobol_design_runs(&dz); r++)
		y[r] = 3.0;
	assert_int_equal(lc_sobol_estimate(y, n, 3, &opts, &res), LC_EINVAL);
	assert_true(isnan(res.idx[0].s));
	lc_sobol_result_cleanup(&res);
	lc_free(y);
	lc_sobol_design_cleanup(&dz);
}

static void test_bootstrap_reproducible(void **state)
{
	(void)state;
	struct lc_sobol_design dz;
	struct lc_sobol_result r1, r2;
	struct lc_sobol_opts opts = {.boot = 300, .seed = 11, .lo = 0.05, .hi = 0.95};

	assert_int_equal(lc_sobol_design_init(&dz, 2000, 3, 3, LC_SOBOL_RNG), 0);
	double *y = evaluate(&dz, ishigami);
	assert_int_equal(lc_sobol_estimate(y, 2000, 3, &opts, &r1), 0);
	assert_int_equal(lc_sobol_estimate(y, 2000, 3, &opts, &r2), 0);
	assert_memory_equal(r1.idx, r2.idx, 3 * sizeof(*r1.idx));
	for (int i = 0; i < 3; i++) {
		assert_true(r1.idx[i].s_lo < r1.idx[i].s_hi);
		assert_true(r1.idx[i].st_lo < r1.idx[i].st_hi);
	}
	/* At N = 2000 the true S_T (0.558, 0.442, 0.244) lies within or near the interval. */
	assert_true(r1.idx[0].st_lo < 0.558 + 0.03 && r1.idx[0].st_hi > 0.558 - 0.03);
	lc_sobol_result_cleanup(&r1);
	lc_sobol_result_cleanup(&r2);
	lc_free(y);
	lc_sobol_design_cleanup(&dz);
}

static void test_quantile7(void **state)
{
	(void)state;
	/* R: quantile(1:10, c(0, .05, .5, .95, 1)) = 1, 1.45, 5.5, 9.55, 10. */
	double x[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	assert_true(fabs(lc_sobol_quantile7(x, 10, 0.0) - 1.0) < 1e-12);
	assert_true(fabs(lc_sobol_quantile7(x, 10, 0.05) - 1.45) < 1e-12);
	assert_true(fabs(lc_sobol_quantile7(x, 10, 0.5) - 5.5) < 1e-12);
	assert_true(fabs(lc_sobol_quantile7(x, 10, 0.95) - 9.55) < 1e-12);
	assert_true(fabs(lc_sobol_quantile7(x, 10, 1.0) - 10.0) < 1e-12);
	assert_true(fabs(lc_sobol_quantile7(x, 1, 0.3) - 1.0) < 1e-12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ishigami_qmc), cmocka_unit_test(test_ishigami_rng),
	    cmocka_unit_test(test_linear),       cmocka_unit_test(test_design_layout),
	    cmocka_unit_test(test_failed_runs),  cmocka_unit_test(test_bootstrap_reproducible),
	    cmocka_unit_test(test_quantile7),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
