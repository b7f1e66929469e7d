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
#include "domain/conference/event.h"
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

/* The demonstration conference is made with the demo, dated from today. */
static void test_event_demo(void **state)
{
	struct lc_db *db = *state;
	struct lc_conf_event e;
	assert_int_equal(lc_conf_event_load(db, LC_CONF_EVENT_DEMO_SLUG, &e), 0);
	assert_true(e.demo);
	assert_true(e.id > 0);
	assert_int_equal(e.number, 0);
	assert_string_equal(e.timezone, "Europe/Paris");
	assert_true(strcmp(e.start_date, e.end_date) < 0);
	assert_int_equal(json_array_size(e.languages), 6);
	json_t *v = lc_conf_event_json(&e, "fr");
	assert_string_equal(str(v, "title"),
	                    "Conférence de démonstration sur les villes apprenantes");
	assert_string_equal(str(json_object_get(v, "venue"), "name"), "Lieu de démonstration");
	assert_true(json_is_null(json_object_get(v, "city")));
	json_decref(v);
	lc_conf_event_cleanup(&e);
	/* A second demo run adds nothing. */
	assert_int_equal(lc_conf_event_demo(db), 0);
	json_t *list = NULL;
	assert_int_equal(lc_conf_event_list(db, "en", &list), 0);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(str(json_array_get(list, 0), "title"),
	                    "Demonstration conference on learning cities");
	json_decref(list);
}

/* A slug that is not there, or cannot be one, is not found; nothing is read past the limit. */
static void test_event_missing(void **state)
{
	struct lc_db *db = *state;
	struct lc_conf_event e;
	assert_int_equal(lc_conf_event_load(db, "iclc-2099", &e), LC_ENOTFOUND);
	assert_int_equal(lc_conf_event_load(db, "Demo-Conference", &e), LC_ENOTFOUND);
	assert_int_equal(lc_conf_event_load(db, "' OR 1=1 --", &e), LC_ENOTFOUND);
	assert_int_equal(lc_conf_event_load(db, NULL, &e), LC_ENOTFOUND);
	char long_slug[LC_LIMIT_CONF_SLUG + 2];
	memset(long_slug, 'a', sizeof long_slug - 1);
	long_slug[sizeof long_slug - 1] = '\0';
	assert_int_equal(lc_conf_event_load(db, long_slug, &e), LC_ENOTFOUND);
	assert_null(e.title);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_list),
	    cmocka_unit_test(test_get),
	    cmocka_unit_test(test_event_demo),
	    cmocka_unit_test(test_event_missing),
	};
	return cmocka_run_group_tests(tests, lc_test_demo_setup, lc_test_demo_teardown);
}
