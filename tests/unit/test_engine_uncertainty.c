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
#include "formats/coinr.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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

static void test_cache_same(void **state)
{
	struct fixture *f = *state;
	struct lc_spec spec;
	struct lc_ua ua;
	struct lc_diag d;
	struct lc_ua_report r1, r2;
	/* Imputation and winmax discrete: steps 0 and 1 are cached (4 x 5 combinations). */
	const char *text =
	    "{" STEPS ", \"uncertain\": ["
	    "{\"name\": \"Winmax\", \"path\": \"steps[1].winmax\", \"values\": [0, 1, 2, 3, 4]},"
	    "{\"name\": \"Imp\", \"path\": \"steps[0]\", \"values\": [{\"op\": \"impute\", "
	    "\"method\": \"mean\"}, null, {\"op\": \"impute\", \"method\": \"median\"}, "
	    "{\"op\": \"impute\", \"method\": \"mean\"}]},"
	    "{\"name\": \"Weights\", \"noisy_weights\": {\"levels\": [1, 2], \"f\": 0.5, "
	    "\"sets\": 7}},"
	    "{\"name\": \"Lo\", \"path\": \"steps[2].lo\", \"uniform\": [0, 50]}]}";
	struct lc_ua_opts o = {.n = 200, .threads = 3};

	parse(&spec, text);
	lc_diag_init(&d);
	assert_int_equal(lc_ua_init(&ua, &f->in, &spec, 8, &d), 0);
	assert_int_equal(lc_ua_sensitivity(&ua, &o, &r1), 0);
	o.no_cache = true;
	assert_int_equal(lc_ua_sensitivity(&ua, &o, &r2), 0);
	assert_int_equal(r1.cached_steps, 2);
	assert_memory_equal(r1.y, r2.y, r1.runs * sizeof(double));
	assert_memory_equal(r1.units, r2.units, 8 * sizeof(*r1.units));
	lc_ua_report_cleanup(&r1);
	lc_ua_report_cleanup(&r2);
	lc_ua_cleanup(&ua);
	lc_spec_cleanup(&spec);
	lc_diag_cleanup(&d);
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

	/* Cancelled (a web job's flag): LC_EBUSY, the report says so, nothing leaks. */
	atomic_bool stop = true;
	o.cancel = &stop;
	assert_int_equal(lc_ua_uncertainty(&ua, &o, &rep), LC_EBUSY);
	assert_int_equal(rep.not_run, 128);
	lc_ua_report_cleanup(&rep);
	o.cancel = NULL;

	o.unit = 8; /* no such unit */
	assert_int_equal(lc_ua_sensitivity(&ua, &o, &rep), LC_EINVAL);
	lc_ua_report_cleanup(&rep);
	lc_ua_cleanup(&ua);
	lc_diag_cleanup(&d);
	lc_spec_cleanup(&spec);
}

/* ASEM (51 units, 49 indicators) loaded from the shared COINr files, or skipped. */
struct asem {
	struct lc_tree tree;
	struct lc_matrix data;
	struct lc_engine_input in;
	char shared[1024], source[1024];
};

static bool asem_load(struct asem *a)
{
	const char *sh = getenv("LC_SHARED_DIR"), *src = getenv("LC_SOURCE_DIR");
	char idata[1200], imeta[1200];
	struct lc_diag d;
	int rc;

	if (!sh || !src)
		return false;
	snprintf(a->shared, sizeof(a->shared), "%s", sh);
	snprintf(a->source, sizeof(a->source), "%s", src);
	snprintf(idata, sizeof(idata), "%s/coinr-asem/ASEM_iData.csv", sh);
	snprintf(imeta, sizeof(imeta), "%s/coinr-asem/ASEM_iMeta.csv", sh);
	lc_tree_init(&a->tree);
	lc_matrix_init(&a->data);
	lc_diag_init(&d);
	rc = lc_coinr_load_files(idata, imeta, &a->tree, &a->data, &d);
	lc_diag_cleanup(&d);
	assert_int_equal(rc, 0);
	a->in.tree = &a->tree;
	a->in.data = &a->data;
	return true;
}

static void asem_free(struct asem *a)
{
	lc_tree_cleanup(&a->tree);
	lc_matrix_cleanup(&a->data);
}

/* Reads a whole small file; caller frees with lc_free. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = lc_xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

static void asem_spec(const struct asem *a, const char *name, struct lc_spec *spec)
{
	char path[1200];
	size_t len;
	snprintf(path, sizeof(path), "%s/bench/engine/%s", a->source, name);
	char *text = slurp(path, &len);
	struct lc_diag d;
	lc_diag_init(&d);
	lc_spec_init(spec);
	assert_int_equal(lc_spec_parse(spec, text, len, path, &d), 0);
	lc_diag_cleanup(&d);
	lc_free(text);
}

static void test_asem_threads(void **state)
{
	(void)state;
	struct asem a;
	struct lc_spec spec;
	struct lc_ua ua;
	struct lc_diag d;
	struct lc_ua_report r1, r2;
	struct lc_ua_opts o = {.n = 64, .boot = 200};

	if (!asem_load(&a))
		skip();
	asem_spec(&a, "asem_sa_spec.json", &spec);
	lc_diag_init(&d);
	assert_int_equal(lc_ua_init(&ua, &a.in, &spec, 42, &d), 0);
	assert_int_equal(ua.d, 6);
	o.threads = 1;
	assert_int_equal(lc_ua_sensitivity(&ua, &o, &r1), 0);
	o.threads = 2;
	assert_int_equal(lc_ua_sensitivity(&ua, &o, &r2), 0);
	assert_int_equal(r1.runs, 64 * 8);
	assert_int_equal(r1.failed, r2.failed);
	assert_memory_equal(r1.y, r2.y, r1.runs * sizeof(double));
	assert_memory_equal(r1.units, r2.units, r1.n_units * sizeof(*r1.units));
	assert_memory_equal(r1.sobol.idx, r2.sobol.idx, 6 * sizeof(*r1.sobol.idx));
	lc_ua_report_cleanup(&r1);
	lc_ua_report_cleanup(&r2);
	lc_ua_cleanup(&ua);
	lc_spec_cleanup(&spec);
	lc_diag_cleanup(&d);

	/* The command itself: identical CSV files with --threads 1 and --threads 2. */
	char tmpl[] = "/tmp/lc-ua-XXXXXX";
	char *dir = mkdtemp(tmpl);
	assert_non_null(dir);
	char idata[1200], imeta[1200], specp[1200], out1[1100], out2[1100];
	snprintf(idata, sizeof(idata), "%s/coinr-asem/ASEM_iData.csv", a.shared);
	snprintf(imeta, sizeof(imeta), "%s/coinr-asem/ASEM_iMeta.csv", a.shared);
	snprintf(specp, sizeof(specp), "%s/bench/engine/asem_sa_spec.json", a.source);
	snprintf(out1, sizeof(out1), "%s/t1", dir);
	snprintf(out2, sizeof(out2), "%s/t2", dir);
	for (int t = 1; t <= 2; t++) {
		char *argv[] = {"sensitivity",
		                "--idata",
		                idata,
		                "--imeta",
		                imeta,
		                "--spec",
		                specp,
		                "--runs",
		                "50",
		                "--seed",
		                "7",
		                "--threads",
		                t == 1 ? "1" : "2",
		                "--out",
		                t == 1 ? out1 : out2,
		                "--quiet",
		                NULL};
		assert_int_equal(lc_cmd_index_sensitivity(16, argv), LC_EXIT_OK);
	}
	const char *files[] = {"rankstats.csv", "sensitivity.csv"};
	for (int k = 0; k < 2; k++) {
		char p1[1200], p2[1200];
		size_t l1, l2;
		snprintf(p1, sizeof(p1), "%s/%s", out1, files[k]);
		snprintf(p2, sizeof(p2), "%s/%s", out2, files[k]);
		char *b1 = slurp(p1, &l1), *b2 = slurp(p2, &l2);
		assert_int_equal(l1, l2);
		assert_memory_equal(b1, b2, l1);
		assert_true(l1 > 100);
		lc_free(b1);
		lc_free(b2);
		unlink(p1);
		unlink(p2);
	}
	/* report.json records runs, failures, seed, threads and times. */
	char rp[1200];
	snprintf(rp, sizeof(rp), "%s/report.json", out2);
	char *rj = slurp(rp, NULL);
	assert_non_null(strstr(rj, "\"failed_runs\""));
	assert_non_null(strstr(rj, "\"threads\": 2"));
	assert_non_null(strstr(rj, "\"seed\": 7"));
	lc_free(rj);
	unlink(rp);
	snprintf(rp, sizeof(rp), "%s/report.json", out1);
	unlink(rp);

	/* The uncertainty command: rankstats.csv identical for 1 and 3 threads. */
	{
		char *b[2];
		size_t l[2];
		for (int t = 0; t < 2; t++) {
			char *argv[] = {
			    "uncertainty",      "--idata", idata,    "--imeta", imeta,
			    "--spec",           specp,     "--runs", "300",     "--threads",
			    t == 0 ? "1" : "3", "--out",   out1,     "--quiet", NULL};
			char p[1200];
			assert_int_equal(lc_cmd_index_uncertainty(14, argv), LC_EXIT_OK);
			snprintf(p, sizeof(p), "%s/rankstats.csv", out1);
			b[t] = slurp(p, &l[t]);
			unlink(p);
			snprintf(p, sizeof(p), "%s/report.json", out1);
			unlink(p);
		}
		assert_int_equal(l[0], l[1]);
		assert_memory_equal(b[0], b[1], l[0]);
		assert_non_null(strstr(b[0], "uCode,Nominal,Mean,Median,Q5,Q95,Runs,"));
		assert_non_null(strstr(b[0], "\nCHE,1,"));
		lc_free(b[0]);
		lc_free(b[1]);
	}
	rmdir(out1);
	rmdir(out2);
	rmdir(dir);

	/* Bad options exit 2. */
	char *bad1[] = {"sensitivity", "--idata", idata, "--runs", "x", NULL};
	assert_int_equal(lc_cmd_index_sensitivity(5, bad1), LC_EXIT_USAGE);
	char *bad2[] = {"uncertainty", "--idata", idata,   "--imeta",          imeta,
	                "--spec",      specp,     "--out", "/tmp/lc-ua-never", "--output",
	                "score:CHE",   NULL};
	assert_int_equal(lc_cmd_index_uncertainty(11, bad2), LC_EXIT_USAGE);
	char *bad3[] = {"sensitivity", "--idata", idata,   "--imeta",          imeta,
	                "--spec",      specp,     "--out", "/tmp/lc-ua-never", "--output",
	                "score:XXX",   "--quiet", NULL};
	assert_int_equal(lc_cmd_index_sensitivity(12, bad3), LC_EXIT_USAGE);
	asem_free(&a);
}

/*
 * The prefix cache (leading steps computed once per combination of discrete
 * inputs) must give the same bytes as running every step in every run.
 */
static void test_asem_cache_same(void **state)
{
	(void)state;
	const char *specs[2] = {"asem_sa_spec.json", "asem_vignette_sa_spec.json"};
	const size_t want_k[2] = {3, 5}; /* before the skew range; before aggregation */
	struct asem a;

	if (!asem_load(&a))
		skip();
	for (int k = 0; k < 2; k++) {
		struct lc_spec spec;
		struct lc_ua ua;
		struct lc_diag d;
		struct lc_ua_report r1, r2;
		struct lc_ua_opts o = {.n = 100, .threads = 2, .boot = 0};

		asem_spec(&a, specs[k], &spec);
		lc_diag_init(&d);
		assert_int_equal(lc_ua_init(&ua, &a.in, &spec, 3, &d), 0);
		assert_int_equal(lc_ua_sensitivity(&ua, &o, &r1), 0);
		o.no_cache = true;
		assert_int_equal(lc_ua_sensitivity(&ua, &o, &r2), 0);
		assert_int_equal(r1.cached_steps, want_k[k]);
		assert_int_equal(r2.cached_steps, 0);
		assert_int_equal(r1.failed, r2.failed);
		assert_int_equal(r1.first_failed_run, r2.first_failed_run);
		assert_string_equal(r1.first_error_msg, r2.first_error_msg);
		assert_memory_equal(r1.y, r2.y, r1.runs * sizeof(double));
		assert_memory_equal(r1.units, r2.units, r1.n_units * sizeof(*r1.units));
		lc_ua_report_cleanup(&r1);
		lc_ua_report_cleanup(&r2);
		lc_ua_cleanup(&ua);
		lc_spec_cleanup(&spec);
		lc_diag_cleanup(&d);
	}
	asem_free(&a);
}

/* One row of a COINr vignette CSV: the quoted first field and up to 8 numbers. */
static size_t csv_row(char *line, char *name, size_t name_len, double *v, size_t max)
{
	size_t n = 0;
	char *p = line, *q;
	if (*p == '"')
		p++;
	q = strchr(p, '"') ? strchr(p, '"') : strchr(p, ',');
	if (!q)
		return 0;
	snprintf(name, name_len, "%.*s", (int)(q - p), p);
	p = strchr(q, ',');
	while (p && n < max) {
		p++;
		v[n++] = strtod(p, &q);
		p = strchr(q, ',');
	}
	return n;
}

/*
 * Sanity against COINr's published vignette (N = 100, so noisy): our N = 1000
 * results must be of the same shape. Tolerances (documented in
 * docs/methodology): each S and S_T within the vignette's own 5-95 %
 * bootstrap interval widened by 0.05; each unit's nominal rank equal, its
 * mean rank within 2 of the vignette's (uncertainty and sensitivity analyses)
 * and its 5 and 95 % rank quantiles within 3.
 */
static void test_asem_vignette(void **state)
{
	(void)state;
	struct asem a;
	struct lc_spec spec;
	struct lc_ua ua;
	struct lc_diag d;
	struct lc_ua_report sa, uar;
	struct lc_ua_opts o = {.n = 1000, .boot = 500};
	char path[1200], line[512], name[64];
	double v[8];
	FILE *f;

	if (!asem_load(&a))
		skip();
	asem_spec(&a, "asem_vignette_sa_spec.json", &spec);
	lc_diag_init(&d);
	assert_int_equal(lc_ua_init(&ua, &a.in, &spec, 1, &d), 0);
	assert_int_equal(lc_ua_sensitivity(&ua, &o, &sa), 0);
	assert_int_equal(lc_ua_uncertainty(&ua, &o, &uar), 0);
	assert_int_equal(sa.failed, 0);
	assert_int_equal(uar.failed, 0);

	snprintf(path, sizeof(path), "%s/coinr-asem/vignette_SA_N100_sensitivity.csv", a.shared);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f)); /* header */
	size_t rows = 0;
	while (fgets(line, sizeof(line), f)) {
		/* Variable, Si, STi, Si_q5, Si_q95, STi_q5, STi_q95 */
		if (csv_row(line, name, sizeof(name), v, 6) != 6)
			continue;
		size_t i = 0;
		while (i < ua.d && strcmp(ua.inputs[i].name, name) != 0)
			i++;
		assert_true(i < ua.d);
		const struct lc_sobol_index *x = &sa.sobol.idx[i];
		if (!(x->s > v[2] - 0.05 && x->s < v[3] + 0.05 && x->st > v[4] - 0.05 &&
		      x->st < v[5] + 0.05))
			print_error("%s: S %.3f ST %.3f; vignette S [%.3f, %.3f] ST [%.3f, %.3f]\n",
			            name, x->s, x->st, v[2], v[3], v[4], v[5]);
		assert_true(x->s > v[2] - 0.05 && x->s < v[3] + 0.05);
		assert_true(x->st > v[4] - 0.05 && x->st < v[5] + 0.05);
		rows++;
	}
	fclose(f);
	assert_int_equal(rows, 4);

	/* Rank statistics of both analyses against COINr's (the SA's over all its runs). */
	for (int which = 0; which < 2; which++) {
		snprintf(path, sizeof(path), "%s/coinr-asem/vignette_%s_N100_rankstats.csv",
		         a.shared, which ? "SA" : "UA");
		f = fopen(path, "r");
		assert_non_null(f);
		assert_non_null(fgets(line, sizeof(line), f));
		rows = 0;
		while (fgets(line, sizeof(line), f)) {
			/* uCode, Nominal, Mean, Median, Q5, Q95 */
			if (csv_row(line, name, sizeof(name), v, 5) != 5)
				continue;
			long u = lc_matrix_find_unit(&a.data, name);
			assert_true(u >= 0);
			const struct lc_ua_unit_stats *s = which ? &sa.units[u] : &uar.units[u];
			assert_true(s->nom_rank == v[0]);
			if (fabs(s->rank_mean - v[1]) > 2 || fabs(s->rank_q5 - v[3]) > 3 ||
			    fabs(s->rank_q95 - v[4]) > 3)
				print_error(
				    "%s: mean %.2f q5 %.1f q95 %.1f; vignette %.2f %.1f %.1f\n",
				    name, s->rank_mean, s->rank_q5, s->rank_q95, v[1], v[3], v[4]);
			assert_true(fabs(s->rank_mean - v[1]) <= 2);
			assert_true(fabs(s->rank_q5 - v[3]) <= 3);
			assert_true(fabs(s->rank_q95 - v[4]) <= 3);
			rows++;
		}
		fclose(f);
		assert_int_equal(rows, 51);
	}
	lc_ua_report_cleanup(&sa);
	lc_ua_report_cleanup(&uar);
	lc_ua_cleanup(&ua);
	lc_spec_cleanup(&spec);
	lc_diag_cleanup(&d);
	asem_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bins),
	    cmocka_unit_test_setup_teardown(test_mapping, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_thread_independent, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cache_same, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_score_output_and_failures, setup, teardown),
	    cmocka_unit_test(test_asem_threads),
	    cmocka_unit_test(test_asem_cache_same),
	    cmocka_unit_test(test_asem_vignette),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
