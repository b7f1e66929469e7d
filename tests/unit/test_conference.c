/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Tests of domain/conference/conference.c on the demonstration data: the six ICLCs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "db/db.h"
#include "demo_db.h"
#include "domain/conference/conference.h"
#include "domain/demo/demo.h"

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void test_list(void **state)
{
	struct lc_db *db = *state;
	json_t *list = NULL;
	assert_int_equal(lc_conference_list(db, "en", &list), 0);
	assert_int_equal(json_array_size(list), 6);
	static const char *const hosts[] = {"beijing",  "mexico-city", "cork",
	                                    "medellin", "yeonsu-gu",   "jubail-industrial-city"};
	static const char *const starts[] = {"2013-10-21", "2015-09-28", "2017-09-18",
	                                     "2019-10-01", "2021-10-27", "2024-12-03"};
	for (size_t i = 0; i < 6; i++) {
		json_t *c = json_array_get(list, i);
		assert_int_equal(json_integer_value(json_object_get(c, "number")), (long)i + 1);
		assert_string_equal(str(json_object_get(c, "host"), "slug"), hosts[i]);
		assert_string_equal(str(c, "start_date"), starts[i]);
		assert_non_null(str(c, "theme"));
		assert_string_equal(str(c, "provenance"), "secondary");
	}
	json_t *c1 = json_array_get(list, 0);
	assert_true(json_is_null(json_object_get(c1, "award_year")));
	assert_non_null(strstr(str(c1, "outcome"), "Beijing Declaration"));
	assert_non_null(strstr(str(c1, "participation"), "102 countries"));
	json_t *c5 = json_array_get(list, 4);
	assert_string_equal(str(c5, "mode"), "hybrid");
	assert_int_equal(json_integer_value(json_object_get(c5, "award_year")), 2021);
	assert_string_equal(str(json_object_get(json_object_get(c5, "host"), "country"), "code"),
	                    "KR");
	json_t *c6 = json_array_get(list, 5);
	assert_true(json_is_null(json_object_get(c6, "participation")));
	assert_int_equal(json_integer_value(json_object_get(c6, "year")), 2024);
	json_decref(list);
}

static void test_get(void **state)
{
	struct lc_db *db = *state;
	json_t *c = NULL;
	assert_int_equal(lc_conference_get(db, 3, "fr", &c), 0);
	assert_string_equal(str(c, "theme"), "Global goals, local actions"); /* English fallback */
	assert_string_equal(str(json_object_get(json_object_get(c, "host"), "country"), "name"),
	                    "Irlande");
	assert_int_equal(json_integer_value(json_object_get(c, "award_year")), 2017);
	json_decref(c);
	c = NULL;
	assert_int_equal(lc_conference_get(db, 7, "en", &c), LC_ENOTFOUND);
	assert_int_equal(lc_conference_get(db, 0, "en", &c), LC_ENOTFOUND);
	assert_null(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_list),
	    cmocka_unit_test(test_get),
	};
	return cmocka_run_group_tests(tests, lc_test_demo_setup, lc_test_demo_teardown);
}
