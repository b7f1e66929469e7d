/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/framework.c: the embedded KFLC (3 parts, 12 areas, the 38
 * feature themes DOMAIN.md lists, measurements), provenance at every level,
 * loading twice, and rejecting bad framework files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/diag.h"
#include "base/embedded.h"
#include "base/error.h"
#include "db/db.h"
#include "domain/demo.h"
#include "domain/framework.h"

static int setup(void **state)
{
	struct lc_db *db = NULL;
	if (lc_db_open(":memory:", 0, &db) != 0)
		return -1;
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	lc_db_close(*state);
	return 0;
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void test_empty(void **state)
{
	json_t *f = NULL;
	assert_int_equal(lc_framework_get(*state, "en", &f), LC_ENOTFOUND);
	assert_null(f);
}

static void load(struct lc_db *db)
{
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_demo_load_reference(db, &d), 0);
	assert_int_equal(lc_diag_total(&d), 0);
	lc_diag_cleanup(&d);
}

static void test_tree(void **state)
{
	struct lc_db *db = *state;
	load(db);
	load(db); /* a second load keeps the loaded version */
	json_t *f = NULL;
	assert_int_equal(lc_framework_get(db, "fr", &f), 0);
	json_t *counts = json_object_get(f, "counts");
	assert_int_equal(json_integer_value(json_object_get(counts, "parts")), 3);
	assert_int_equal(json_integer_value(json_object_get(counts, "areas")), 12);
	assert_int_equal(json_integer_value(json_object_get(counts, "features")), 38);
	long nm = (long)json_integer_value(json_object_get(counts, "measurements"));
	assert_true(nm >= 38);
	json_t *v = json_object_get(f, "version");
	assert_string_equal(str(v, "code"), "kflc-2013");
	assert_string_equal(str(v, "provenance"), "verified");
	assert_non_null(strstr(str(v, "note"), "not available"));

	static const char *const area_codes[] = {"1.1", "1.2", "1.3", "2.1", "2.2", "2.3",
	                                         "2.4", "2.5", "2.6", "3.1", "3.2", "3.3"};
	static const size_t features_per_area[] = {4, 2, 3, 4, 3, 3, 3, 4, 3, 3, 2, 4};
	size_t ai = 0, pi, aj, fk, ml;
	long seen_m = 0;
	json_t *p, *a, *fe, *m;
	json_array_foreach(json_object_get(f, "parts"), pi, p)
	{
		assert_string_equal(str(p, "provenance"), "verified");
		json_array_foreach(json_object_get(p, "areas"), aj, a)
		{
			assert_string_equal(str(a, "code"), area_codes[ai]);
			assert_string_equal(str(a, "provenance"), "verified");
			json_t *fs = json_object_get(a, "features");
			assert_int_equal(json_array_size(fs), features_per_area[ai]);
			json_array_foreach(fs, fk, fe)
			{
				assert_string_equal(str(fe, "provenance"), "provisional");
				assert_true(strncmp(str(fe, "code"), area_codes[ai], 3) == 0);
				json_t *ms = json_object_get(fe, "measurements");
				assert_true(json_array_size(ms) >= 1);
				json_array_foreach(ms, ml, m)
				{
					seen_m++;
					assert_string_equal(str(m, "provenance"), "provisional");
					const char *t = str(m, "type");
					assert_true(strcmp(t, "number") == 0 ||
					            strcmp(t, "percentage") == 0 ||
					            strcmp(t, "yes_no") == 0 ||
					            strcmp(t, "maturity_0_4") == 0 ||
					            strcmp(t, "text") == 0);
					assert_non_null(str(m, "direction"));
					assert_non_null(str(m, "label"));
					if (strcmp(t, "percentage") == 0)
						assert_true(json_real_value(json_object_get(
						                m, "goalpost_high")) == 100.0);
				}
			}
			ai++;
		}
	}
	assert_int_equal(ai, 12);
	assert_int_equal(seen_m, nm);
	json_t *a11 = json_array_get(
	    json_object_get(json_array_get(json_object_get(f, "parts"), 0), "areas"), 0);
	assert_string_equal(str(a11, "title"), "Individual empowerment and social cohesion");
	json_decref(f);
}

static void expect_bad(struct lc_db *db, const char *text, const char *field_part)
{
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_framework_load_json(db, text, strlen(text), &d), LC_EINVAL);
	assert_true(lc_diag_total(&d) >= 1);
	if (field_part)
		assert_non_null(strstr(d.items[0].field ? d.items[0].field : "", field_part));
	lc_diag_cleanup(&d);
}

static void test_bad_files(void **state)
{
	struct lc_db *db = *state;
	expect_bad(db, "{", NULL);
	expect_bad(db, "{\"format\": \"other\"}", "format");
	expect_bad(db,
	           "{\"format\": \"learncity-framework/1\", \"version\": {\"code\": \"v\","
	           " \"title\": {\"fr\": \"x\"}, \"provenance\": \"verified\"}, \"parts\": []}",
	           "version");
	expect_bad(db,
	           "{\"format\": \"learncity-framework/1\", \"version\": {\"code\": \"v\","
	           " \"title\": {\"en\": \"x\"}, \"provenance\": \"verified\"}, \"parts\": ["
	           "{\"code\": \"1\", \"title\": {\"en\": \"P\"}, \"provenance\": \"verified\","
	           " \"areas\": [{\"code\": \"1.1\", \"title\": {\"en\": \"A\"}, \"provenance\":"
	           " \"verified\", \"features\": [{\"code\": \"1.1.1\", \"title\": {\"en\": \"F\"},"
	           " \"provenance\": \"provisional\", \"measurements\": [{\"code\": \"m\","
	           " \"label\": {\"en\": \"M\"}, \"direction\": \"up\", \"type\": \"number\","
	           " \"provenance\": \"provisional\"}]}]}]}]}",
	           "measurements[0]");
	/* Nothing of the failed loads remains. */
	json_t *f = NULL;
	assert_int_equal(lc_framework_get(db, "en", &f), LC_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tree, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
