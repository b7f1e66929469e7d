/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/award/award.c on the demonstration data: 58 awards in five
 * rounds to 57 distinct cities (Cork twice), per-round counts, hosts,
 * ordering of awardees by country then name, and provenance.
 */
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
#include "domain/award/award.h"
#include "domain/demo/demo.h"

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void test_counts(void **state)
{
	struct lc_db *db = *state;
	json_t *rounds = NULL;
	assert_int_equal(lc_award_list(db, "en", &rounds), 0);
	assert_int_equal(json_array_size(rounds), 5);
	static const long years[] = {2024, 2021, 2019, 2017, 2015};
	static const size_t counts[] = {10, 10, 10, 16, 12};
	static const char *const hosts[] = {"jubail-industrial-city", "yeonsu-gu", "medellin",
	                                    "cork", "mexico-city"};
	const char *slugs[64];
	size_t nslugs = 0, total = 0, cork = 0;
	for (size_t i = 0; i < 5; i++) {
		json_t *r = json_array_get(rounds, i);
		assert_int_equal(json_integer_value(json_object_get(r, "year")), years[i]);
		json_t *aw = json_object_get(r, "awardees");
		assert_int_equal(json_array_size(aw), counts[i]);
		assert_int_equal(json_integer_value(json_object_get(r, "count")), counts[i]);
		assert_string_equal(str(json_object_get(r, "host_city"), "slug"), hosts[i]);
		size_t j;
		json_t *a;
		json_array_foreach(aw, j, a)
		{
			total++;
			const char *s = str(a, "slug");
			cork += strcmp(s, "cork") == 0;
			bool seen = false;
			for (size_t k = 0; k < nslugs; k++)
				seen = seen || strcmp(slugs[k], s) == 0;
			if (!seen)
				slugs[nslugs++] = s;
		}
	}
	assert_int_equal(total, 58);
	assert_int_equal(nslugs, 57);
	assert_int_equal(cork, 2);
	json_decref(rounds);
}

static void test_round_details(void **state)
{
	struct lc_db *db = *state;
	json_t *r = NULL;
	assert_int_equal(lc_award_round_get(db, 2015, "en", &r), 0);
	assert_int_equal(json_integer_value(json_object_get(r, "conference_number")), 2);
	assert_string_equal(str(r, "date"), "2015-09-30");
	assert_string_equal(str(r, "provenance"), "verified");
	assert_string_equal(str(r, "rules_provenance"), "secondary");
	assert_non_null(strstr(str(r, "eligibility"), "piloted the KFLC"));
	assert_true(json_is_null(json_object_get(r, "criteria")));
	json_t *aw = json_object_get(r, "awardees");
	/* By country name: Australia first, United Kingdom last. */
	assert_string_equal(str(json_array_get(aw, 0), "slug"), "melton");
	assert_string_equal(str(json_array_get(aw, 11), "slug"), "swansea");
	json_t *first = json_array_get(aw, 0);
	assert_string_equal(str(json_object_get(first, "country"), "name"), "Australia");
	assert_string_equal(str(json_object_get(first, "region"), "code"), "APA");
	json_decref(r);

	assert_int_equal(lc_award_round_get(db, 2019, "fr", &r), 0);
	assert_string_equal(str(r, "provenance"), "secondary");
	assert_true(json_is_null(json_object_get(r, "eligibility")));
	aw = json_object_get(r, "awardees");
	/* In French, Chine (Chengdu) precedes Colombie (Medellín) and Danemark. */
	assert_string_equal(str(json_array_get(aw, 0), "slug"), "chengdu");
	json_decref(r);

	assert_int_equal(lc_award_round_get(db, 2024, "en", &r), 0);
	assert_non_null(strstr(str(r, "criteria"), "innovative practices"));
	assert_string_equal(str(r, "rules_provenance"), "secondary");
	json_decref(r);

	r = NULL;
	assert_int_equal(lc_award_round_get(db, 2016, "en", &r), LC_ENOTFOUND);
	assert_int_equal(lc_award_round_get(db, 12, "en", &r), LC_ENOTFOUND);
	assert_null(r);
}

static void test_failure(void **state)
{
	struct lc_db *db = *state;
	json_t *r = NULL;
	lc_db_fault_set(2);
	assert_int_equal(lc_award_list(db, "en", &r), LC_EDB);
	lc_db_fault_set(0);
	assert_null(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_counts),
	    cmocka_unit_test(test_round_details),
	    cmocka_unit_test(test_failure),
	};
	return cmocka_run_group_tests(tests, lc_test_demo_setup, lc_test_demo_teardown);
}
