/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The monitoring view-models: strengths, weaknesses and improvements of a
 * city's areas (only above/below its own mean, areas without a score
 * skipped), the population classes of the peer groups, and the empty
 * states of a profile and of the dashboard on the demo database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "base/error.h"
#include "domain/monitoring/monitoring_view.h"
#include "demo_db.h"

static json_t *area(const char *code, json_t *score, json_t *previous)
{
	return json_pack("{s:s,s:o,s:o}", "code", code, "score", score, "previous", previous);
}

static const char *code_at(const json_t *arr, size_t i)
{
	return json_string_value(json_object_get(json_array_get(arr, i), "code"));
}

static void rank_areas(void **state)
{
	(void)state;
	json_t *areas = json_array();
	json_array_append_new(areas, area("1.1", json_real(80), json_real(60)));
	json_array_append_new(areas, area("1.2", json_real(40), json_real(45)));
	json_array_append_new(areas, area("1.3", json_null(), json_real(50)));
	json_array_append_new(areas, area("2.1", json_real(60), json_null()));
	json_array_append_new(areas, area("2.2", json_real(70), json_real(69)));
	json_t *s, *w, *im;
	/* mean of 80, 40, 60, 70 = 62.5 */
	lc_monview_rank_areas(areas, 3, &s, &w, &im);
	assert_int_equal(json_array_size(s), 2);
	assert_string_equal(code_at(s, 0), "1.1");
	assert_string_equal(code_at(s, 1), "2.2");
	assert_int_equal(json_array_size(w), 2);
	assert_string_equal(code_at(w, 0), "1.2");
	assert_string_equal(code_at(w, 1), "2.1");
	assert_int_equal(json_array_size(im), 2); /* 1.2 went down: not an improvement */
	assert_string_equal(code_at(im, 0), "1.1");
	assert_string_equal(code_at(im, 1), "2.2");
	json_t *a0 = json_array_get(areas, 0);
	assert_true(json_real_value(json_object_get(a0, "vs_own_mean")) == 17.5);
	assert_true(json_real_value(json_object_get(a0, "change")) == 20.0);
	assert_null(json_object_get(json_array_get(areas, 2), "vs_own_mean"));
	json_decref(s);
	json_decref(w);
	json_decref(im);
	/* k limits the lists; an empty array gives empty lists. */
	lc_monview_rank_areas(areas, 1, &s, &w, &im);
	assert_int_equal(json_array_size(s), 1);
	assert_int_equal(json_array_size(w), 1);
	assert_int_equal(json_array_size(im), 1);
	json_decref(s);
	json_decref(w);
	json_decref(im);
	json_decref(areas);
	areas = json_array();
	lc_monview_rank_areas(areas, 3, &s, &w, &im);
	assert_int_equal(json_array_size(s) + json_array_size(w) + json_array_size(im), 0);
	json_decref(s);
	json_decref(w);
	json_decref(im);
	json_decref(areas);
}

static void pop_classes(void **state)
{
	(void)state;
	assert_null(lc_monview_pop_class(0));
	assert_null(lc_monview_pop_class(-5));
	assert_string_equal(lc_monview_pop_class(99999), "<100k");
	assert_string_equal(lc_monview_pop_class(100000), "100k-500k");
	assert_string_equal(lc_monview_pop_class(999999), "500k-1M");
	assert_string_equal(lc_monview_pop_class(1000000), "1M-5M");
	assert_string_equal(lc_monview_pop_class(5000000), ">5M");
}

static void city_profile(void **state)
{
	struct lc_db *db = *state;
	json_t *vm = NULL;
	assert_int_equal(lc_monview_city(db, "no-such-city", "en", 0, &vm), LC_ENOTFOUND);
	assert_int_equal(lc_monview_city(db, "cork", "en", 0, &vm), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(vm, "city"), "slug")),
	                    "cork");
	/* Whatever the demo holds, the shape is whole and the flags agree with it. */
	assert_true(json_is_array(json_object_get(vm, "areas")));
	assert_true(json_is_array(json_object_get(vm, "values")));
	assert_true(json_is_boolean(json_object_get(vm, "synthetic")));
	bool has_scores = json_is_true(json_object_get(vm, "has_scores"));
	bool has_values = json_is_true(json_object_get(vm, "has_values"));
	assert_int_equal(json_is_true(json_object_get(vm, "has_data")), has_scores || has_values);
	assert_int_equal(json_array_size(json_object_get(vm, "values")) > 0, has_values);
	if (!has_scores)
		assert_true(json_is_null(json_object_get(vm, "rank")));
	json_decref(vm);
	/* A year without data is an empty profile, not an error. */
	assert_int_equal(lc_monview_city(db, "cork", "en", 1901, &vm), 0);
	assert_false(json_is_true(json_object_get(vm, "has_scores")));
	json_decref(vm);
}

static void network(void **state)
{
	struct lc_db *db = *state;
	json_t *vm = NULL;
	assert_int_equal(lc_monview_network(db, "en", 1901, &vm), 0);
	assert_false(json_is_true(json_object_get(vm, "has_scores")));
	assert_int_equal(json_array_size(json_object_get(vm, "cities")), 0);
	json_decref(vm);
	assert_int_equal(lc_monview_network(db, "en", 0, &vm), 0);
	json_t *c;
	size_t i;
	json_array_foreach(json_object_get(vm, "cities"), i, c)
	{
		json_t *lo = json_object_get(c, "rank_q5");
		if (json_is_integer(lo)) {
			assert_true(json_integer_value(lo) <=
			            json_integer_value(json_object_get(c, "rank")));
			assert_true(json_integer_value(json_object_get(c, "rank")) <=
			            json_integer_value(json_object_get(c, "rank_q95")));
		}
	}
	json_decref(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rank_areas),
	    cmocka_unit_test(pop_classes),
	    cmocka_unit_test(city_profile),
	    cmocka_unit_test(network),
	};
	return cmocka_run_group_tests(tests, lc_test_demo_setup, lc_test_demo_teardown);
}
