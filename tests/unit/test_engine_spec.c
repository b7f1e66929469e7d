/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Tests of engine/spec.c: parsing, defaults, errors with paths, copy, path and overrides. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "engine/spec.h"

static const char RECIPE[] =
    "{\"steps\": ["
    "{\"op\": \"denominate\"},"
    "{\"op\": \"impute\", \"method\": \"group_mean\", \"group\": \"EurAsia_group\"},"
    "{\"op\": \"screen\", \"by\": \"na\", \"min_fraction\": 0.9},"
    "{\"op\": \"treat\", \"winmax\": 5, \"skew\": 2.0, \"kurt\": 3.5, \"fallback\": \"log_CT\"},"
    "{\"op\": \"normalise\", \"method\": \"minmax\", \"lo\": 0, \"hi\": 100},"
    "{\"op\": \"aggregate\", \"method\": \"arithmetic\"}],"
    "\"uncertain\": [{\"name\": \"Winmax\", \"path\": \"steps[3].winmax\", \"values\": [1, 2]}]}";

static int parse(struct lc_spec *s, const char *text, struct lc_diag *d)
{
	lc_spec_init(s);
	lc_diag_init(d);
	return lc_spec_parse(s, text, strlen(text), "spec.json", d);
}

static void test_recipe(void **state)
{
	(void)state;
	struct lc_spec s;
	struct lc_diag d;
	assert_int_equal(parse(&s, RECIPE, &d), 0);
	assert_int_equal(s.n_steps, 6);
	assert_int_equal(s.steps[1].op, LC_OP_IMPUTE);
	assert_int_equal(s.steps[1].u.impute.method, LC_IMPUTE_GROUP_MEAN);
	assert_string_equal(s.steps[1].u.impute.group, "EurAsia_group");
	assert_true(s.steps[2].u.screen.min_fraction == 0.9);
	assert_int_equal(s.steps[3].u.treat.winmax, 5);
	assert_int_equal(s.steps[3].u.treat.fallback, LC_TREAT_LOG_CT);
	assert_true(s.steps[4].u.normalise.hi == 100);
	assert_true(json_is_array(s.uncertain));
	assert_int_equal(json_array_size(s.uncertain), 1);
	lc_spec_cleanup(&s);
	lc_diag_cleanup(&d);
}

static void test_defaults(void **state)
{
	(void)state;
	struct lc_spec s;
	struct lc_diag d;
	assert_int_equal(
	    parse(&s,
	          "{\"steps\": [{\"op\": \"impute\"}, {\"op\": \"screen\"}, "
	          "{\"op\": \"treat\"}, {\"op\": \"normalise\"}, {\"op\": \"aggregate\"}]}",
	          &d),
	    0);
	assert_int_equal(s.steps[0].u.impute.method, LC_IMPUTE_MEAN);
	assert_int_equal(s.steps[1].u.screen.by, LC_SCREEN_NA);
	assert_true(s.steps[1].u.screen.min_fraction == 0.66);
	assert_int_equal(s.steps[2].u.treat.winmax, 5);
	assert_true(s.steps[2].u.treat.skew == 2.0 && s.steps[2].u.treat.kurt == 3.5);
	assert_int_equal(s.steps[3].u.normalise.method, LC_NORM_MINMAX);
	assert_true(s.steps[3].u.normalise.lo == 0 && s.steps[3].u.normalise.hi == 100);
	assert_int_equal(s.steps[4].u.aggregate.method, LC_AGG_ARITHMETIC);
	assert_true(isnan(s.steps[4].u.aggregate.min_fraction));
	lc_spec_cleanup(&s);
	lc_diag_cleanup(&d);
}

/* Parses text expecting failure and returns "field: message" of the first problem. */
static const char *error_of(const char *text)
{
	static char msg[256];
	struct lc_spec s;
	struct lc_diag d;
	assert_int_not_equal(parse(&s, text, &d), 0);
	assert_true(d.count > 0);
	assert_int_equal(s.n_steps, 0);
	snprintf(msg, sizeof msg, "%s: %s", d.items[0].field ? d.items[0].field : "-",
	         d.items[0].message);
	lc_spec_cleanup(&s);
	lc_diag_cleanup(&d);
	return msg;
}

static void test_errors(void **state)
{
	(void)state;
	assert_string_equal(error_of("{\"steps\": [{\"op\": \"denominate\"}, {\"op\": \"treat\", "
	                             "\"winmx\": 5}]}"),
	                    "steps[1].winmx: unknown key for op 'treat'");
	assert_string_equal(error_of("{\"steps\": [{\"op\": \"normalize\"}]}"),
	                    "steps[0].op: unknown op 'normalize' (expected denominate, impute, "
	                    "screen, treat, normalise or aggregate)");
	assert_string_equal(
	    error_of("{\"steps\": [{\"op\": \"normalise\", \"method\": \"minmix\"}]}"),
	    "steps[0].method: unknown value 'minmix' (expected minmax, zscore, rank, "
	    "percentile_rank, borda, dist_to_max, dist_to_target, fraction_of_max, "
	    "goalposts)");
	assert_string_equal(error_of("{\"steps\": [{\"op\": \"screen\", \"min_fraction\": 2}]}"),
	                    "steps[0].min_fraction: 2 is out of range [0, 1]");
	assert_string_equal(error_of("{\"steps\": [{\"op\": \"treat\", \"winmax\": \"5\"}]}"),
	                    "steps[0].winmax: must be a number");
	assert_string_equal(error_of("{\"steps\": [{\"op\": \"treat\", \"winmax\": 2.5}]}"),
	                    "steps[0].winmax: must be a whole number");
	assert_string_equal(error_of("{\"steps\": [{\"op\": \"impute\", \"method\": "
	                             "\"group_median\"}]}"),
	                    "steps[0].group: is required by group_mean and group_median");
	assert_string_equal(
	    error_of("{\"steps\": [{\"op\": \"aggregate\", \"method\": \"power\"}]}"),
	    "steps[0].p: the power mean needs a non-zero \"p\"");
	assert_string_equal(error_of("{\"steps\": [{\"op\": \"aggregate\", \"weights\": {\"a\": "
	                             "-1}}]}"),
	                    "steps[0].weights.a: must be a finite number >= 0");
	assert_string_equal(error_of("{\"steps\": [], \"stepz\": 1}"),
	                    "stepz: unknown key (expected \"steps\" or \"uncertain\")");
	assert_string_equal(error_of("{\"stps\": []}"), "stps: unknown key (expected \"steps\" or "
	                                                "\"uncertain\")");
	assert_string_equal(error_of("[1]"),
	                    "-: a spec must be a JSON object with a \"steps\" array");
	assert_string_equal(error_of("{\"steps\": [{\"op\": \"normalise\", \"method\": "
	                             "\"goalposts\", \"lo\": {\"a\": 2}, \"hi\": {\"a\": 1}}]}"),
	                    "steps[0].lo: goalposts of 'a' need lo < hi");
	assert_string_equal(error_of("{\"steps\": [{\"op\": 1}]}"),
	                    "steps[0].op: is required and must be a string");
	assert_string_equal(error_of("{\"steps\": [3]}"),
	                    "steps[0]: a step must be an object with an \"op\"");
	/* Invalid JSON names line and column. */
	struct lc_spec s;
	struct lc_diag d;
	assert_int_equal(parse(&s, "{\"steps\": [\n  {\"op\": }]}", &d), LC_EINVAL);
	assert_int_equal(d.items[0].line, 2);
	assert_true(d.items[0].column > 0);
	lc_spec_cleanup(&s);
	lc_diag_cleanup(&d);
}

static void test_path(void **state)
{
	(void)state;
	struct lc_spec_path p;
	assert_int_equal(lc_spec_path_parse("steps[3].winmax", &p, NULL), 0);
	assert_int_equal(p.step, 3);
	assert_string_equal(p.key, "winmax");
	assert_int_equal(lc_spec_path_parse("steps[12]", &p, NULL), 0);
	assert_int_equal(p.step, 12);
	assert_string_equal(p.key, "");
	const char *bad[] = {"steps",     "steps[]", "steps[x]",     "steps[1",   "steps[1]x",
	                     "steps[1].", "step[1]", "steps[1].a-b", "steps[-1]", "steps[1].a.b"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(lc_spec_path_parse(bad[i], &p, NULL), LC_EINVAL);
}

static void test_apply(void **state)
{
	(void)state;
	struct lc_spec s, c;
	struct lc_diag d;
	assert_int_equal(parse(&s, RECIPE, &d), 0);
	lc_spec_copy(&c, &s);
	struct lc_spec_path p;
	/* A key. */
	lc_spec_path_parse("steps[3].winmax", &p, NULL);
	json_t *v = json_integer(2);
	assert_int_equal(lc_spec_apply(&c, &p, v, &d), 0);
	json_decref(v);
	assert_int_equal(c.steps[3].u.treat.winmax, 2);
	assert_true(c.steps[3].u.treat.skew == 2.0);    /* other keys stay */
	assert_int_equal(s.steps[3].u.treat.winmax, 5); /* the copy shares nothing */
	/* A whole step, then its removal (indices stay). */
	lc_spec_path_parse("steps[4]", &p, NULL);
	v = json_pack("{s:s, s:s, s:f, s:f}", "op", "normalise", "method", "zscore", "mean", 10.0,
	              "sd", 2.0);
	assert_int_equal(lc_spec_apply(&c, &p, v, &d), 0);
	json_decref(v);
	assert_int_equal(c.steps[4].u.normalise.method, LC_NORM_ZSCORE);
	assert_true(c.steps[4].u.normalise.mean == 10);
	lc_spec_path_parse("steps[1]", &p, NULL);
	assert_int_equal(lc_spec_apply(&c, &p, NULL, &d), 0);
	assert_true(c.steps[1].absent);
	assert_int_equal(c.n_steps, 6);
	/* A key of an absent step cannot be set; a bad value leaves the spec as it was. */
	lc_spec_path_parse("steps[1].method", &p, NULL);
	v = json_string("median");
	assert_int_equal(lc_spec_apply(&c, &p, v, &d), LC_EINVAL);
	json_decref(v);
	lc_spec_path_parse("steps[5].method", &p, NULL);
	v = json_string("geometric");
	assert_int_equal(lc_spec_apply(&c, &p, v, &d), 0);
	json_decref(v);
	assert_int_equal(c.steps[5].u.aggregate.method, LC_AGG_GEOMETRIC);
	v = json_string("nonsense");
	assert_int_equal(lc_spec_apply(&c, &p, v, &d), LC_EINVAL);
	json_decref(v);
	assert_int_equal(c.steps[5].u.aggregate.method, LC_AGG_GEOMETRIC);
	lc_spec_path_parse("steps[9]", &p, NULL);
	assert_int_equal(lc_spec_apply(&c, &p, NULL, &d), LC_EINVAL);
	/* The fast numeric path. */
	lc_spec_path_parse("steps[3].skew", &p, NULL);
	assert_int_equal(lc_spec_set_number(&c, &p, 1.75, NULL), 0);
	assert_true(c.steps[3].u.treat.skew == 1.75);
	lc_spec_path_parse("steps[3].winmax", &p, NULL);
	assert_int_equal(lc_spec_set_number(&c, &p, 3.4, NULL), 0);
	assert_int_equal(c.steps[3].u.treat.winmax, 3);
	lc_spec_path_parse("steps[3].fallback", &p, NULL);
	assert_int_equal(lc_spec_set_number(&c, &p, 1, NULL), LC_EINVAL);
	lc_spec_path_parse("steps[2].min_fraction", &p, NULL);
	assert_int_equal(lc_spec_set_number(&c, &p, 1.5, NULL), LC_EINVAL);
	lc_spec_path_parse("steps[1].method", &p, NULL);
	assert_int_equal(lc_spec_set_number(&c, &p, 1, NULL), LC_EINVAL);
	lc_spec_cleanup(&c);
	lc_spec_cleanup(&s);
	lc_diag_cleanup(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_recipe), cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_errors), cmocka_unit_test(test_path),
	    cmocka_unit_test(test_apply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
