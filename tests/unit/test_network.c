/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Tests of domain/directory/network.c: the summary of the demonstration network. */
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
#include "domain/demo/demo.h"
#include "domain/directory/network.h"

static json_int_t num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static void test_summary(void **state)
{
	struct lc_db *db = *state;
	json_t *s = NULL;
	assert_int_equal(lc_network_summary_on(db, "en", "2024-01-01", &s), 0);
	json_t *dir = json_object_get(s, "directory");
	assert_int_equal(num(dir, "cities"), 58);
	assert_int_equal(num(dir, "members"), 57);
	assert_int_equal(num(dir, "countries"), 34);
	assert_int_equal(num(dir, "regions"), 5);
	assert_int_equal(num(dir, "without_region"), 0);
	json_t *per = json_object_get(dir, "per_region");
	assert_int_equal(json_array_size(per), 5);
	json_int_t cities = 0, members = 0;
	size_t i;
	json_t *r;
	json_array_foreach(per, i, r)
	{
		cities += num(r, "cities");
		members += num(r, "members");
	}
	assert_int_equal(cities, 58);
	assert_int_equal(members, 57);

	json_t *pub = json_object_get(s, "published");
	assert_int_equal(json_array_size(pub), 6);
	assert_string_equal(json_string_value(json_object_get(json_array_get(pub, 0), "as_of")),
	                    "2016");
	json_t *latest = json_object_get(s, "published_latest");
	assert_int_equal(num(latest, "members"), 425);
	assert_int_equal(num(latest, "countries"), 91);
	assert_true(json_is_null(json_object_get(json_array_get(pub, 3), "countries"))); /* 2023 */

	json_t *award = json_object_get(s, "latest_award");
	assert_int_equal(num(award, "year"), 2024);
	assert_int_equal(json_array_size(json_object_get(award, "awardees")), 10);
	assert_int_equal(json_array_size(json_object_get(s, "conferences")), 6);
	assert_int_equal(num(json_object_get(s, "last_conference"), "number"), 5);
	assert_int_equal(num(json_object_get(s, "next_conference"), "number"), 6);
	json_decref(s);

	assert_int_equal(lc_network_summary_on(db, "fr", "2026-01-01", &s), 0);
	assert_int_equal(num(json_object_get(s, "last_conference"), "number"), 6);
	assert_true(json_is_null(json_object_get(s, "next_conference")));
	/* The demonstration conference is run here, four months from the day of the demo. */
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(s, "upcoming_event"), "slug")),
	    "demo-conference");
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(json_object_get(s, "directory"), "per_region"), 0),
	        "name")),
	    "Afrique");
	json_decref(s);
	assert_int_equal(lc_network_summary(db, "en", &s), 0);
	json_decref(s);
	/* Once it has ended, no conference is upcoming. */
	assert_int_equal(lc_network_summary_on(db, "en", "2100-01-01", &s), 0);
	assert_true(json_is_null(json_object_get(s, "upcoming_event")));
	json_decref(s);
}

static void test_empty_database(void **state)
{
	(void)state;
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(":memory:", 0, &db), 0);
	json_t *s = NULL;
	assert_int_equal(lc_network_summary_on(db, "en", "2024-01-01", &s), 0);
	assert_int_equal(num(json_object_get(s, "directory"), "cities"), 0);
	assert_true(json_is_null(json_object_get(s, "latest_award")));
	assert_true(json_is_null(json_object_get(s, "published_latest")));
	assert_true(json_is_null(json_object_get(s, "last_conference")));
	json_decref(s);
	lc_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_summary),
	    cmocka_unit_test(test_empty_database),
	};
	return cmocka_run_group_tests(tests, lc_test_demo_setup, lc_test_demo_teardown);
}
