/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of engine/pipeline.c with engine/rank.c and engine/denominate.c:
 * stages kept or not, reuse of a result across runs and inputs, absent
 * steps, dropped units, ranks with ties and NA, errors without a diag.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>

#include "base/diag.h"
#include "base/error.h"
#include "engine/pipeline.h"
#include "engine/rank.h"
#include "engine_fixture.h"

static void test_rank(void **state)
{
	(void)state;
	const double x[6] = {3, NA, 5, 3, 1, 5};
	double r[6];
	struct lc_rank_pair p[6];
	assert_int_equal(lc_rank_min(x, 6, true, r, p), 5);
	const double hi[6] = {3, NA, 1, 3, 5, 1};
	for (size_t i = 0; i < 6; i++)
		assert_near(r[i], hi[i]);
	lc_rank_min(x, 6, false, r, p);
	const double lo[6] = {2, NA, 4, 2, 1, 4};
	for (size_t i = 0; i < 6; i++)
		assert_near(r[i], lo[i]);
}

/* The reference order, through qsort. */
static int cmp_ref(const void *a, const void *b)
{
	const struct lc_rank_pair *p = a, *q = b;
	if (p->v != q->v)
		return p->v < q->v ? -1 : 1;
	return (p->i > q->i) - (p->i < q->i);
}

/* lc_rank_sort_pairs (an introsort) gives qsort's order on sorted, reversed, constant,
 * few-valued and random inputs of every size up to 300, and one of 20,000. */
static void test_sort_pairs(void **state)
{
	(void)state;
	uint64_t seed = 12345;
	size_t sizes[302];
	for (size_t n = 0; n <= 300; n++)
		sizes[n] = n;
	sizes[301] = 20000;
	struct lc_rank_pair *a = calloc(20000, sizeof *a), *b = calloc(20000, sizeof *b);
	assert_non_null(a);
	assert_non_null(b);
	for (size_t s = 0; s < 302; s++) {
		size_t n = sizes[s];
		for (int kind = 0; kind < 5; kind++) {
			for (size_t i = 0; i < n; i++) {
				seed = seed * 6364136223846793005u + 1442695040888963407u;
				double r = (double)(seed >> 11) / 9007199254740992.0;
				double v = kind == 0   ? (double)i
				           : kind == 1 ? (double)(n - i)
				           : kind == 2 ? 7.0
				           : kind == 3 ? (double)((seed >> 20) % 3)
				                       : r * 100 - 50;
				a[i] = b[i] =
				    (struct lc_rank_pair){v, (i * 7919) % (n ? n : 1) + i * n};
			}
			lc_rank_sort_pairs(a, n);
			if (n > 1)
				qsort(b, n, sizeof *b, cmp_ref);
			for (size_t i = 0; i < n; i++) {
				assert_true(a[i].v == b[i].v);
				assert_int_equal(a[i].i, b[i].i);
			}
		}
	}
	free(a);
	free(b);
}

#define N 4
static const double X1[N] = {2, 4, 6, 8};
static const double X2[N] = {1, 2, NA, 3};
static const double X3[N] = {5, 5, 1, 2};
static const double DEN[N] = {2, 0, 3, NA};

static int parse(struct lc_spec *s, const char *text)
{
	lc_spec_init(s);
	return lc_spec_parse(s, text, strlen(text), NULL, NULL);
}

static void test_stages_and_reuse(void **state)
{
	(void)state;
	struct lc_tree t;
	struct lc_matrix m;
	fixture_tree(&t);
	t.nodes[0].denominator = lc_xstrdup("D");
	fixture_matrix(&m, N, X1, X2, X3, NULL, DEN);
	struct lc_spec s;
	assert_int_equal(parse(&s, "{\"steps\": [{\"op\": \"denominate\"}, {\"op\": \"screen\", "
	                           "\"min_fraction\": 0.9}, {\"op\": \"normalise\", \"lo\": 0, "
	                           "\"hi\": 1}, {\"op\": \"aggregate\"}]}"),
	                 0);
	struct lc_engine_input in = {&t, &m};
	struct lc_pipeline_result r;
	lc_pipeline_result_init(&r);
	struct lc_pipeline_opts keep = {true, NULL};
	assert_int_equal(lc_pipeline_run(&in, &s, &keep, &r, NULL), 0);
	assert_int_equal(r.n_stages, 4);
	/* Denominated x1: 1, NA (zero denominator, warned), 2, NA (missing). */
	const struct lc_stage *d = &r.stages[0];
	assert_int_equal(d->n_units, 4);
	assert_near(d->x[0], 1);
	assert_true((bool)isnan(d->x[1]));
	assert_near(d->x[2], 2);
	assert_true((bool)isnan(d->x[3]));
	assert_int_equal(r.warnings.count >= 1, 1);
	/* Screening at 0.9 keeps only U1 (U2, U4 lost x1, U3 lost x2). */
	assert_int_equal(r.n_units, 1);
	assert_int_equal(r.units[0], 0);
	assert_int_equal(r.n_dropped, 3);
	assert_int_equal(r.stages[1].n_units, 1);
	assert_true(r.aggregated);

	/* Without stages, the same result object, another spec: nothing kept. */
	struct lc_spec s2;
	assert_int_equal(parse(&s2, "{\"steps\": [null, {\"op\": \"normalise\", \"lo\": 0, \"hi\": "
	                            "1}, {\"op\": \"aggregate\"}]}"),
	                 0);
	assert_true(s2.steps[0].absent);
	assert_int_equal(lc_pipeline_run(&in, &s2, NULL, &r, NULL), 0);
	assert_int_equal(r.n_stages, 0);
	assert_null(r.treat_points);
	assert_int_equal(r.n_units, 4);
	/* x1 normalised 0, 1/3, 2/3, 1; x2 reversed: -1 -2 NA -3 -> 1, 0.5, NA, 0. */
	assert_near(r.x[0 * N + 1], 1.0 / 3);
	assert_near(r.x[1 * N + 0], 1);
	assert_true((bool)isnan(r.x[1 * N + 2]));
	/* A = (x1 + 2 x2) / 3 over available; U3: x1 alone. */
	assert_near(r.x[3 * N + 0], (0 + 2.0) / 3);
	assert_near(r.x[3 * N + 2], 2.0 / 3);
	double ranks[N];
	lc_pipeline_rank(&r, 5, ranks);
	/* Index = (A + x3n) / 2; x3 normalised 1, 1, 0, 0.25. */
	double a[N] = {2.0 / 3, (1.0 / 3 + 1) / 3, 2.0 / 3, (1 + 0) / 3.0};
	double b[N] = {1, 1, 0, 0.25};
	for (size_t i = 0; i < N; i++)
		assert_near(r.x[5 * N + i], (a[i] + b[i]) / 2);
	assert_near(ranks[0], 1);
	assert_near(ranks[1], 2);
	assert_near(ranks[2], 3);
	assert_near(ranks[3], 4);

	/* A smaller input reuses the buffers; a bigger one grows them. */
	struct lc_matrix small;
	fixture_matrix(&small, 2, X1, X2, X3, NULL, DEN);
	struct lc_engine_input in2 = {&t, &small};
	assert_int_equal(lc_pipeline_run(&in2, &s2, NULL, &r, NULL), 0);
	assert_int_equal(r.n_units, 2);
	double big1[50], big2[50], big3[50];
	for (size_t i = 0; i < 50; i++) {
		big1[i] = (double)i;
		big2[i] = (double)(i * i);
		big3[i] = 50 - (double)i;
	}
	struct lc_matrix big;
	fixture_matrix(&big, 50, big1, big2, big3, NULL, NULL);
	struct lc_engine_input in3 = {&t, &big};
	assert_int_equal(lc_pipeline_run(&in3, &s2, NULL, &r, NULL), 0);
	assert_int_equal(r.n_units, 50);

	/* An error without a diag is only a return code. */
	struct lc_spec s3;
	assert_int_equal(parse(&s3, "{\"steps\": [{\"op\": \"impute\", \"method\": \"group_mean\", "
	                            "\"group\": \"nope\"}]}"),
	                 0);
	assert_int_equal(lc_pipeline_run(&in, &s3, NULL, &r, NULL), LC_EINVAL);
	/* Screening everything away is an error. */
	struct lc_spec s4;
	assert_int_equal(parse(&s4, "{\"steps\": [{\"op\": \"screen\", \"by\": \"zeros\", "
	                            "\"min_fraction\": 1}]}"),
	                 0);
	const double zero[N] = {0, 0, 0, 0};
	struct lc_matrix zm;
	fixture_matrix(&zm, N, zero, zero, zero, NULL, NULL);
	struct lc_engine_input in4 = {&t, &zm};
	struct lc_diag diag;
	lc_diag_init(&diag);
	assert_int_equal(lc_pipeline_run(&in4, &s4, NULL, &r, &diag), LC_EINVAL);
	assert_int_equal(diag.count, 1);
	lc_diag_cleanup(&diag);

	lc_matrix_cleanup(&zm);
	lc_spec_cleanup(&s4);
	lc_spec_cleanup(&s3);
	lc_matrix_cleanup(&big);
	lc_matrix_cleanup(&small);
	lc_spec_cleanup(&s2);
	lc_pipeline_result_cleanup(&r);
	lc_spec_cleanup(&s);
	lc_matrix_cleanup(&m);
	lc_tree_cleanup(&t);
}

/* Several threads share one input and spec, each with its own result. */
struct worker {
	const struct lc_engine_input *in;
	const struct lc_spec *spec;
	double sum;
	int failures;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct lc_pipeline_result r;
	lc_pipeline_result_init(&r);
	for (int k = 0; k < 2000; k++) {
		if (lc_pipeline_run(w->in, w->spec, NULL, &r, NULL) != 0) {
			w->failures++;
			continue;
		}
		for (size_t i = 0; i < r.n_units; i++)
			w->sum += r.x[5 * r.n_units + i];
	}
	lc_pipeline_result_cleanup(&r);
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	struct lc_tree t;
	struct lc_matrix m;
	fixture_tree(&t);
	double a[40], b[40], c[40];
	for (size_t i = 0; i < 40; i++) {
		a[i] = (double)((i * 7) % 11);
		b[i] = i % 5 ? (double)(i * i % 13) : NA;
		c[i] = (double)(i % 3) + 0.5;
	}
	fixture_matrix(&m, 40, a, b, c, NULL, NULL);
	struct lc_spec s;
	assert_int_equal(parse(&s, "{\"steps\": [{\"op\": \"impute\"}, {\"op\": \"treat\"}, "
	                           "{\"op\": \"normalise\", \"method\": \"zscore\"}, "
	                           "{\"op\": \"aggregate\"}]}"),
	                 0);
	struct lc_engine_input in = {&t, &m};
	struct worker one = {&in, &s, 0, 0};
	work(&one);
	struct worker w[3];
	pthread_t th[3];
	for (size_t k = 0; k < 3; k++) {
		w[k] = (struct worker){&in, &s, 0, 0};
		assert_int_equal(pthread_create(&th[k], NULL, work, &w[k]), 0);
	}
	for (size_t k = 0; k < 3; k++) {
		pthread_join(th[k], NULL);
		assert_int_equal(w[k].failures, 0);
		/* Bit for bit the same sums as the single thread's. */
		assert_true(w[k].sum == one.sum);
	}
	lc_spec_cleanup(&s);
	lc_matrix_cleanup(&m);
	lc_tree_cleanup(&t);
}

static void test_mismatch(void **state)
{
	(void)state;
	struct lc_tree t;
	struct lc_matrix m;
	fixture_tree(&t);
	fixture_matrix(&m, N, X1, X2, X3, NULL, NULL);
	m.n_cols = 5; /* not the tree's */
	struct lc_spec s;
	assert_int_equal(parse(&s, "{\"steps\": []}"), 0);
	struct lc_engine_input in = {&t, &m};
	struct lc_pipeline_result r;
	lc_pipeline_result_init(&r);
	assert_int_equal(lc_pipeline_run(&in, &s, NULL, &r, NULL), LC_EINVAL);
	m.n_cols = 6;
	lc_pipeline_result_cleanup(&r);
	lc_spec_cleanup(&s);
	lc_matrix_cleanup(&m);
	lc_tree_cleanup(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rank),
	    cmocka_unit_test(test_sort_pairs),
	    cmocka_unit_test(test_stages_and_reuse),
	    cmocka_unit_test(test_threads),
	    cmocka_unit_test(test_mismatch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
