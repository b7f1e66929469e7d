/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of engine/uncertainty.c on a small hand-made index (8 units, 4
 * indicators, 2 pillars, 1 index): the mapping of a sample row to a spec
 * (bins, null = step absent, uniform, noisy weights reproducible from the
 * seed), the spec errors a user can make, and that the uncertainty and
 * sensitivity analyses give identical results whatever the thread count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "engine/matrix.h"
#include "engine/pipeline.h"
#include "engine/spec.h"
#include "engine/tree.h"
#include "engine/uncertainty.h"

struct fixture {
	struct lc_tree tree;
	struct lc_matrix data;
	struct lc_engine_input in;
};

static const char *const UNITS[8] = {"AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "HHH"};
/* Indicator values by unit; one NA (imputation matters) and an outlier in i3. */
static const double VALUES[4][8] = {
    {3, 5, 2, 8, 6, 7, 1, 4},
    {10, 30, 20, 50, 40, NAN, 60, 70},
    {1, 2, 3, 2, 1, 3, 2, 40},
    {0.5, 0.9, 0.1, 0.4, 0.3, 0.8, 0.7, 0.6},
};

static int setup(void **state)
{
	struct fixture *f = lc_xcalloc(1, sizeof(*f));
	struct lc_diag d;
	lc_diag_init(&d);
	lc_tree_init(&f->tree);
	assert_int_equal(lc_tree_add(&f->tree, "i1", NULL, 1, 1, 1, NAN, NULL, "P1", 0, &d, NULL),
	                 0);
	assert_int_equal(lc_tree_add(&f->tree, "i2", NULL, 1, 1, 1, NAN, NULL, "P1", 0, &d, NULL),
	                 0);
	assert_int_equal(lc_tree_add(&f->tree, "i3", NULL, 1, -1, 1, NAN, NULL, "P2", 0, &d, NULL),
	                 0);
	assert_int_equal(lc_tree_add(&f->tree, "i4", NULL, 1, 1, 2, NAN, NULL, "P2", 0, &d, NULL),
	                 0);
	assert_int_equal(
	    lc_tree_add(&f->tree, "P1", NULL, 2, 1, 1, NAN, NULL, "Index", 0, &d, NULL), 0);
	assert_int_equal(
	    lc_tree_add(&f->tree, "P2", NULL, 2, 1, 1, NAN, NULL, "Index", 0, &d, NULL), 0);
	assert_int_equal(
	    lc_tree_add(&f->tree, "Index", NULL, 3, 1, 1, NAN, NULL, NULL, 0, &d, NULL), 0);
	assert_int_equal(lc_tree_finish(&f->tree, NULL, &d), 0);
	lc_matrix_init(&f->data);
	lc_matrix_alloc(&f->data, 8, f->tree.n, 0, 0);
	for (size_t u = 0; u < 8; u++) {
		f->data.ucodes[u] = lc_xstrdup(UNITS[u]);
		for (size_t i = 0; i < 4; i++)
			f->data.x[i * 8 + u] = VALUES[i][u];
	}
	f->in.tree = &f->tree;
	f->in.data = &f->data;
	lc_diag_cleanup(&d);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	lc_tree_cleanup(&f->tree);
	lc_matrix_cleanup(&f->data);
	lc_free(f);
	return 0;
}

#define STEPS                                                                                      \
	"\"steps\": [{\"op\": \"impute\", \"method\": \"median\"},"                                \
	"{\"op\": \"treat\", \"winmax\": 2, \"skew\": 2.0, \"kurt\": 3.5},"                        \
	"{\"op\": \"normalise\", \"method\": \"minmax\", \"lo\": 0, \"hi\": 100},"                 \
	"{\"op\": \"aggregate\", \"method\": \"arithmetic\"}]"

static const char *const SPEC_OK =
    "{" STEPS ", \"uncertain\": ["
    "{\"name\": \"Winmax\", \"path\": \"steps[1].winmax\", \"values\": [0, 1, 2, 3, 4]},"
    "{\"name\": \"Norm\", \"path\": \"steps[2]\", \"values\": ["
    " {\"op\": \"normalise\", \"method\": \"minmax\", \"lo\": 1, \"hi\": 100},"
    " {\"op\": \"normalise\", \"method\": \"zscore\", \"mean\": 10, \"sd\": 2}]},"
    "{\"name\": \"Weights\", \"noisy_weights\": {\"levels\": [2], \"f\": 0.25, \"sets\": 20}},"
    "{\"name\": \"Agg\", \"path\": \"steps[3].method\", \"values\": [\"arithmetic\", "
    "\"geometric\"]},"
    "{\"name\": \"Imputation\", \"path\": \"steps[0]\", \"values\": [{\"op\": \"impute\", "
    "\"method\": \"mean\"}, null]},"
    "{\"name\": \"Skew\", \"path\": \"steps[1].skew\", \"uniform\": [1.5, 2.5]}]}";

static void parse(struct lc_spec *s, const char *text)
{
	struct lc_diag d;
	lc_diag_init(&d);
	lc_spec_init(s);
	int rc = lc_spec_parse(s, text, strlen(text), "spec.json", &d);
	if (rc)
		for (size_t k = 0; k < d.count; k++)
			print_error("%s: %s\n", d.items[k].field ? d.items[k].field : "",
			            d.items[k].message);
	assert_int_equal(rc, 0);
	lc_diag_cleanup(&d);
}

static void test_bins(void **state)
{
	(void)state;
	assert_int_equal(lc_ua_bin(0.0, 5), 0);
	assert_int_equal(lc_ua_bin(0.1999, 5), 0);
	assert_int_equal(lc_ua_bin(0.2, 5), 1);
	assert_int_equal(lc_ua_bin(0.5, 2), 1);
	assert_int_equal(lc_ua_bin(0.4999, 2), 0);
	assert_int_equal(lc_ua_bin(0.99999, 5), 4);
	assert_int_equal(lc_ua_bin(1.0, 5), 4); /* never past the last bin */
	assert_int_equal(lc_ua_bin(-0.1, 5), 0);
	assert_int_equal(lc_ua_bin(NAN, 3), 0);
}

static void test_mapping(void **state)
{
	struct fixture *f = *state;
	struct lc_spec spec;
	struct lc_ua ua;
	struct lc_diag d;
	const struct lc_spec *rs;
	const double *w;

	parse(&spec, SPEC_OK);
	lc_diag_init(&d);
	assert_int_equal(lc_ua_init(&ua, &f->in, &spec, 99, &d), 0);
	assert_int_equal(d.count, 0);
	assert_int_equal(ua.d, 6);
	assert_int_equal(ua.inputs[0].kind, LC_UA_NUMBER);
	assert_int_equal(ua.inputs[1].kind, LC_UA_STEP);
	assert_int_equal(ua.inputs[2].kind, LC_UA_NOISY);
	assert_int_equal(ua.inputs[3].kind, LC_UA_STEP);
	assert_int_equal(ua.inputs[4].kind, LC_UA_STEP);
	assert_int_equal(ua.inputs[5].kind, LC_UA_UNIFORM);
	assert_string_equal(ua.inputs[5].name, "Skew");
	/* The nominal ranks exist for every unit. */
	for (size_t u = 0; u < 8; u++)
		assert_true(ua.nom_rank[u] >= 1 && ua.nom_rank[u] <= 8);

	struct lc_ua_ws *ws = lc_ua_ws_new(&ua);
	/* Lowest bins: winmax 0, minmax 1..100, weight set 0, arithmetic, mean, skew 1.5. */
	double u0[6] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
	assert_int_equal(lc_ua_apply(&ua, ws, u0, &rs, &w), 0);
	assert_int_equal(rs->steps[1].u.treat.winmax, 0);
	assert_int_equal(rs->steps[2].u.normalise.method, LC_NORM_MINMAX);
	assert_true(rs->steps[2].u.normalise.lo == 1.0);
	assert_int_equal(rs->steps[3].u.aggregate.method, LC_AGG_ARITHMETIC);
	assert_false(rs->steps[0].absent);
	assert_int_equal(rs->steps[0].u.impute.method, LC_IMPUTE_MEAN);
	assert_true(rs->steps[1].u.treat.skew == 1.5);
	assert_ptr_equal(w, ua.inputs[2].weights);

	/* Bin edges and the middle: 0.2 is winmax 1; 0.5 picks the second of two; null absent. */
	double u1[6] = {0.2, 0.5, 0.999, 0.75, 0.5, 0.25};
	assert_int_equal(lc_ua_apply(&ua, ws, u1, &rs, &w), 0);
	assert_int_equal(rs->steps[1].u.treat.winmax, 1);
	assert_int_equal(rs->steps[2].u.normalise.method, LC_NORM_ZSCORE);
	assert_true(rs->steps[2].u.normalise.mean == 10.0 && rs->steps[2].u.normalise.sd == 2.0);
	assert_int_equal(rs->steps[3].u.aggregate.method, LC_AGG_GEOMETRIC);
	assert_true(rs->steps[0].absent);
	assert_true(fabs(rs->steps[1].u.treat.skew - 1.75) < 1e-12);
	assert_ptr_equal(w, ua.inputs[2].weights + 19 * f->tree.n);
	/* The nominal spec itself is never touched. */
	assert_int_equal(spec.steps[1].u.treat.winmax, 2);
	assert_true(spec.steps[1].u.treat.skew == 2.0);
	assert_false(spec.steps[0].absent);
	assert_int_equal(spec.steps[2].u.normalise.method, LC_NORM_MINMAX);
	assert_true(spec.steps[2].u.normalise.lo == 0.0);

	/* Noisy weights: only level 2 moves, within w(1 +- f), and sets differ. */
	for (size_t s = 0; s < 20; s++) {
		const double *ws2 = ua.inputs[2].weights + s * f->tree.n;
		for (size_t c = 0; c < f->tree.n; c++) {
			if (f->tree.nodes[c].level != 2) {
				assert_true(ws2[c] == ua.nom_weights[c]);
				continue;
			}
			assert_true(ws2[c] >= ua.nom_weights[c] * 0.75);
			assert_true(ws2[c] <= ua.nom_weights[c] * 1.25);
			assert_true(ws2[c] != ua.nom_weights[c]);
		}
	}
	assert_true(memcmp(ua.inputs[2].weights, ua.inputs[2].weights + f->tree.n,
	                   f->tree.n * sizeof(double)) != 0);

	/* The same seed draws the same sets; another seed other sets. */
	struct lc_ua ua2, ua3;
	assert_int_equal(lc_ua_init(&ua2, &f->in, &spec, 99, &d), 0);
	assert_int_equal(lc_ua_init(&ua3, &f->in, &spec, 100, &d), 0);
	assert_memory_equal(ua.inputs[2].weights, ua2.inputs[2].weights,
	                    20 * f->tree.n * sizeof(double));
	assert_true(memcmp(ua.inputs[2].weights, ua3.inputs[2].weights,
	                   20 * f->tree.n * sizeof(double)) != 0);
	lc_ua_cleanup(&ua2);
	lc_ua_cleanup(&ua3);

	lc_ua_ws_free(ws);
	lc_ua_cleanup(&ua);
	lc_ua_cleanup(NULL);
	lc_diag_cleanup(&d);
	lc_spec_cleanup(&spec);
}

/* Expects lc_ua_init to fail on spec text with a message containing want. */
static void expect_error(struct fixture *f, const char *text, const char *want)
{
	struct lc_spec spec;
	struct lc_ua ua;
	struct lc_diag d;
	bool found = false;

	parse(&spec, text);
	lc_diag_init(&d);
	assert_true(lc_ua_init(&ua, &f->in, &spec, 1, &d) != 0);
	for (size_t k = 0; k < d.count; k++)
		found = found || strstr(d.items[k].message, want) != NULL;
	if (!found)
		for (size_t k = 0; k < d.count; k++)
			print_error("got: %s\n", d.items[k].message);
	assert_true(found);
	lc_ua_cleanup(&ua);
	lc_diag_cleanup(&d);
	lc_spec_cleanup(&spec);
}

static void test_errors(void **state)
{
	struct fixture *f = *state;
	expect_error(f, "{" STEPS "}", "no \"uncertain\" list");
	expect_error(f, "{" STEPS ", \"uncertain\": [{\"path\": \"steps[1].winmax\"}]}",
	             "exactly one of");
	expect_error(f,
	             "{" STEPS ", \"uncertain\": [{\"path\": \"steps[9]\", \"values\": [null]}]}",
	             "does not name a step");
	expect_error(f,
	             "{" STEPS ", \"uncertain\": [{\"path\": \"steps[1].winmax\", \"values\": [1],"
	             " \"colour\": 1}]}",
	             "unknown key");
	expect_error(
	    f, "{" STEPS ", \"uncertain\": [{\"path\": \"steps[1].skew\", \"uniform\": [3, 2]}]}",
	    "lo < hi");
	expect_error(f,
	             "{" STEPS ", \"uncertain\": [{\"path\": \"steps[1]\", \"uniform\": [1, 2]}]}",
	             "numeric key");
	expect_error(f,
	             "{" STEPS ", \"uncertain\": [{\"noisy_weights\": {\"levels\": [7], \"f\": 0.2,"
	             " \"sets\": 3}}]}",
	             "levels[0]");
	expect_error(f,
	             "{" STEPS ", \"uncertain\": [{\"noisy_weights\": {\"levels\": [2], \"f\": 1.5,"
	             " \"sets\": 3}}]}",
	             "0 < f < 1");
	expect_error(f,
	             "{" STEPS ", \"uncertain\": [{\"path\": \"steps[3].method\", \"values\": "
	             "[\"mode\"]}]}",
	             "");
	expect_error(f,
	             "{" STEPS ", \"uncertain\": ["
	             "{\"name\": \"A\", \"path\": \"steps[0]\", \"values\": [null]},"
	             "{\"name\": \"B\", \"path\": \"steps[0].method\", \"values\": [\"mean\"]}]}",
	             "both replace the same step");
}

static void run_analysis(struct fixture *f, bool sa, unsigned threads, struct lc_ua_report *rep)
{
	struct lc_spec spec;
	struct lc_ua ua;
	struct lc_diag d;
	struct lc_ua_opts o = {.n = 256, .threads = threads, .boot = 100};

	parse(&spec, SPEC_OK);
	lc_diag_init(&d);
	assert_int_equal(lc_ua_init(&ua, &f->in, &spec, 2024, &d), 0);
	if (sa)
		assert_int_equal(lc_ua_sensitivity(&ua, &o, rep), 0);
	else
		assert_int_equal(lc_ua_uncertainty(&ua, &o, rep), 0);
	assert_int_equal(rep->threads, threads);
	lc_ua_cleanup(&ua);
	lc_diag_cleanup(&d);
	lc_spec_cleanup(&spec);
}

static void test_thread_independent(void **state)
{
	struct fixture *f = *state;
	for (int sa = 0; sa < 2; sa++) {
		struct lc_ua_report r1, r2, r4;
		run_analysis(f, sa, 1, &r1);
		run_analysis(f, sa, 2, &r2);
		run_analysis(f, sa, 4, &r4);
		assert_int_equal(r1.runs, sa ? 256 * 8 : 256);
		assert_int_equal(r1.stat_runs, r1.runs);
		assert_int_equal(r1.n_units, 8);
		assert_memory_equal(r1.units, r2.units, 8 * sizeof(*r1.units));
		assert_memory_equal(r1.units, r4.units, 8 * sizeof(*r1.units));
		assert_int_equal(r1.failed, r2.failed);
		assert_int_equal(r1.failed, r4.failed);
		for (size_t u = 0; u < 8; u++) {
			const struct lc_ua_unit_stats *s = &r1.units[u];
			assert_true(s->rank_q5 <= s->rank_median && s->rank_median <= s->rank_q95);
			assert_true(s->rank_mean >= 1 && s->rank_mean <= 8);
			assert_true(s->score_q5 <= s->score_q95);
		}
		if (sa) {
			assert_true(r1.has_sobol);
			assert_memory_equal(r1.y, r2.y, r1.runs * sizeof(double));
			assert_memory_equal(r1.y, r4.y, r1.runs * sizeof(double));
			assert_memory_equal(r1.sobol.idx, r4.sobol.idx, 6 * sizeof(*r1.sobol.idx));
			assert_int_equal(r1.sobol.n_used + r1.sobol.n_dropped, 256);
			for (size_t i = 0; i < 6; i++) {
				assert_true(isfinite(r1.sobol.idx[i].st));
				assert_true(r1.sobol.idx[i].st_lo <= r1.sobol.idx[i].st_hi);
			}
		}
		lc_ua_report_cleanup(&r1);
		lc_ua_report_cleanup(&r2);
		lc_ua_report_cleanup(&r4);
	}
}

static void test_score_output_and_failures(void **state)
{
	struct fixture *f = *state;
	struct lc_spec spec;
	struct lc_ua ua;
	struct lc_diag d;
	struct lc_ua_report rep;
	/* zscore with mean 0 gives negative values: the geometric mean must fail, counted. */
	const char *text =
	    "{" STEPS ", \"uncertain\": ["
	    "{\"name\": \"Norm\", \"path\": \"steps[2]\", \"values\": ["
	    " {\"op\": \"normalise\", \"method\": \"minmax\", \"lo\": 1, \"hi\": 100},"
	    " {\"op\": \"normalise\", \"method\": \"zscore\", \"mean\": 0, \"sd\": 1}]},"
	    "{\"name\": \"Agg\", \"path\": \"steps[3].method\", \"values\": [\"arithmetic\", "
	    "\"geometric\"]}]}";
	struct lc_ua_opts o = {.n = 128, .threads = 2, .output = LC_UA_OUT_SCORE, .unit = 3};

	parse(&spec, text);
	lc_diag_init(&d);
	assert_int_equal(lc_ua_init(&ua, &f->in, &spec, 5, &d), 0);
	assert_int_equal(lc_ua_sensitivity(&ua, &o, &rep), 0);
	assert_int_equal(rep.runs, 128 * 4);
	/* About a quarter of the runs pair zscore with geometric. */
	assert_true(rep.failed > 60 && rep.failed < 200);
	assert_true(rep.first_error != 0);
	assert_true(rep.first_error_msg[0] != '\0');
	size_t nan = 0;
	for (size_t r = 0; r < rep.runs; r++)
		nan += isnan(rep.y[r]) ? 1u : 0u;
	assert_int_equal(nan, rep.failed);
	assert_true(rep.sobol.n_dropped > 0);
	lc_ua_report_cleanup(&rep);

	o.unit = 8; /* no such unit */
	assert_int_equal(lc_ua_sensitivity(&ua, &o, &rep), LC_EINVAL);
	lc_ua_report_cleanup(&rep);
	lc_ua_cleanup(&ua);
	lc_diag_cleanup(&d);
	lc_spec_cleanup(&spec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bins),
	    cmocka_unit_test_setup_teardown(test_mapping, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_thread_independent, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_score_output_and_failures, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
