/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/directory/city.c and domain/platform/text.c on the demonstration data: the
 * folded search (accents, case, apostrophes), filters, sorting, pagination
 * bounds, one city's record, and not found.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "demo_db.h"
#include "domain/directory/city.h"
#include "domain/demo/demo.h"
#include "domain/platform/text.h"

static void assert_fold(const char *in, const char *want)
{
	struct lc_buf b;
	lc_buf_init(&b, 1024);
	lc_text_fold(in, strlen(in), &b);
	assert_string_equal(lc_buf_cstr(&b), want);
	lc_buf_cleanup(&b);
}

static void assert_slug(const char *in, const char *want)
{
	struct lc_buf b;
	lc_buf_init(&b, 1024);
	lc_text_slug(in, strlen(in), &b);
	assert_string_equal(lc_buf_cstr(&b), want);
	lc_buf_cleanup(&b);
}

static void test_fold_and_slug(void **state)
{
	(void)state;
	assert_fold("Medellín", "medellin");
	assert_fold("SØNDERBORG", "sonderborg");
	assert_fold("N'Zérékoré", "nzerekore");
	assert_fold("N\xe2\x80\x99Z\xc3\xa9r\xc3\xa9kor\xc3\xa9", "nzerekore");
	assert_fold("  Câmara   de--Lobos ", "camara de lobos");
	assert_fold("Straße Łódź Œuvre", "strasse lodz oeuvre");
	assert_fold("Mayo-Baléo", "mayo baleo");
	assert_fold("\xff\xfe bad \xc3", "bad"); /* invalid UTF-8 is dropped */
	assert_fold("서대문구", "서대문구");     /* other scripts pass through */
	assert_fold("", "");
	assert_slug("Câmara de Lobos", "camara-de-lobos");
	assert_slug("N'Zérékoré", "n-zerekore");
	assert_slug("Sønderborg", "sonderborg");
	assert_slug("Seodaemun-gu", "seodaemun-gu");
	assert_true(lc_text_slug_ok("n-zerekore"));
	assert_false(lc_text_slug_ok("-x"));
	assert_false(lc_text_slug_ok("Cork"));
	assert_false(lc_text_slug_ok(""));
	assert_true(lc_text_lang_ok("fr"));
	assert_false(lc_text_lang_ok("FR"));
	assert_false(lc_text_lang_ok("f'r"));
	assert_string_equal(lc_text_lang("x'); DROP"), "en");
}

/* Runs a query and returns the list; fails the test on an error. */
static json_t *list(struct lc_db *db, const struct lc_city_query *q)
{
	json_t *out = NULL;
	assert_int_equal(lc_city_list(db, q, &out), 0);
	assert_non_null(out);
	return out;
}

static long total(json_t *l)
{
	return (long)json_integer_value(json_object_get(l, "total"));
}

static const char *item_slug(json_t *l, size_t i)
{
	return json_string_value(
	    json_object_get(json_array_get(json_object_get(l, "items"), i), "slug"));
}

static void expect_one(struct lc_db *db, const char *q, const char *slug)
{
	struct lc_city_query cq = {.q = q};
	json_t *l = list(db, &cq);
	assert_int_equal(total(l), 1);
	assert_string_equal(item_slug(l, 0), slug);
	json_decref(l);
}

static void test_search(void **state)
{
	struct lc_db *db = *state;
	expect_one(db, "medellin", "medellin");
	expect_one(db, "MEDELLÍN", "medellin");
	expect_one(db, "sonder", "sonderborg");
	expect_one(db, "Sønder", "sonderborg");
	expect_one(db, "nzere", "n-zerekore");
	expect_one(db, "n'zere", "n-zerekore");
	expect_one(db, "n zerekore", "n-zerekore");
	expect_one(db, "camara de", "camara-de-lobos");
	expect_one(db, "pecs", "pecs");
	expect_one(db, "bouake", "bouake");

	struct lc_city_query q = {.q = "cork"};
	json_t *l = list(db, &q);
	json_t *it = json_array_get(json_object_get(l, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(it, "name")), "Cork");
	json_t *years = json_object_get(it, "award_years");
	assert_int_equal(json_array_size(years), 2);
	assert_int_equal(json_integer_value(json_array_get(years, 0)), 2015);
	assert_int_equal(json_integer_value(json_array_get(years, 1)), 2024);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(it, "country"), "code")), "IE");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(it, "region"), "code")), "EUR");
	assert_string_equal(json_string_value(json_object_get(it, "status")), "member");
	json_decref(l);

	q = (struct lc_city_query){.q = "zzzz-nowhere"};
	l = list(db, &q);
	assert_int_equal(total(l), 0);
	assert_int_equal(json_integer_value(json_object_get(l, "pages")), 0);
	json_decref(l);
	/* Punctuation only: folds to nothing, matches all. */
	q = (struct lc_city_query){.q = "'-"};
	l = list(db, &q);
	assert_int_equal(total(l), 58);
	json_decref(l);
}

static void test_filters(void **state)
{
	struct lc_db *db = *state;
	struct lc_city_query q = {0};
	json_t *l = list(db, &q);
	assert_int_equal(total(l), 58);
	json_decref(l);

	q = (struct lc_city_query){.country = "ie"};
	l = list(db, &q);
	assert_int_equal(total(l), 3);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(l, "filters"), "country")), "IE");
	json_decref(l);
	q = (struct lc_city_query){.country = "KR"};
	l = list(db, &q);
	assert_int_equal(total(l), 6); /* five awardees and Yeonsu-gu, a host */
	json_decref(l);
	q = (struct lc_city_query){.award_year = 2017};
	l = list(db, &q);
	assert_int_equal(total(l), 16);
	json_decref(l);
	q = (struct lc_city_query){.status = "member"};
	l = list(db, &q);
	assert_int_equal(total(l), 57);
	json_decref(l);
	q = (struct lc_city_query){.status = "lapsed"};
	l = list(db, &q);
	assert_int_equal(total(l), 0);
	json_decref(l);
	q = (struct lc_city_query){.region = "AFR"};
	l = list(db, &q);
	assert_int_equal(total(l), 5); /* Bahir Dar, Mayo-Baléo, N'Zérékoré, Ibadan, Bouaké */
	json_decref(l);
	q = (struct lc_city_query){.region = "EUR", .award_year = 2024, .q = "g"};
	l = list(db, &q);
	assert_int_equal(total(l), 1);
	assert_string_equal(item_slug(l, 0), "glasgow");
	json_decref(l);
}

static void test_sorting(void **state)
{
	struct lc_db *db = *state;
	struct lc_city_query q = {.per_page = 100};
	json_t *l = list(db, &q);
	assert_string_equal(item_slug(l, 0), "al-wakra");
	assert_string_equal(item_slug(l, 57), "yeonsu-gu");
	json_decref(l);
	q.desc = true;
	l = list(db, &q);
	assert_string_equal(item_slug(l, 0), "yeonsu-gu");
	json_decref(l);

	assert_int_equal(lc_city_sort_parse("-award_year", &q.sort, &q.desc), 0);
	assert_int_equal(q.sort, LC_CITY_SORT_AWARD_YEAR);
	assert_true(q.desc);
	l = list(db, &q);
	json_t *first = json_array_get(json_object_get(l, "items"), 0);
	json_t *years = json_object_get(first, "award_years");
	assert_int_equal(json_integer_value(json_array_get(years, json_array_size(years) - 1)),
	                 2024);
	assert_string_equal(item_slug(l, 57), "yeonsu-gu"); /* no award: last */
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(l, "filters"), "sort")),
	    "-award_year");
	json_decref(l);
	assert_int_equal(lc_city_sort_parse("award_year", &q.sort, &q.desc), 0);
	l = list(db, &q);
	years = json_object_get(json_array_get(json_object_get(l, "items"), 0), "award_years");
	assert_int_equal(json_integer_value(json_array_get(years, 0)), 2015);
	assert_string_equal(item_slug(l, 57), "yeonsu-gu");
	json_decref(l);

	assert_int_equal(lc_city_sort_parse("region", &q.sort, &q.desc), 0);
	l = list(db, &q);
	json_t *reg = json_object_get(json_array_get(json_object_get(l, "items"), 0), "region");
	assert_string_equal(json_string_value(json_object_get(reg, "code")), "AFR");
	json_decref(l);

	assert_int_equal(lc_city_sort_parse("country", &q.sort, &q.desc), 0);
	q.lang = "fr";
	l = list(db, &q);
	/* Afrique du Sud has no city; Allemagne (Gelsenkirchen) comes first in French. */
	assert_string_equal(item_slug(l, 0), "gelsenkirchen");
	json_decref(l);

	assert_int_equal(lc_city_sort_parse("size", &q.sort, &q.desc), LC_EINVAL);
	assert_int_equal(lc_city_sort_parse(NULL, &q.sort, &q.desc), 0);
	assert_int_equal(q.sort, LC_CITY_SORT_NAME);
}

static void test_pagination_bounds(void **state)
{
	struct lc_db *db = *state;
	struct lc_city_query q = {0};
	json_t *l = list(db, &q);
	assert_int_equal(json_integer_value(json_object_get(l, "per_page")), LC_DEFAULT_PER_PAGE);
	assert_int_equal(json_integer_value(json_object_get(l, "pages")), 3);
	assert_int_equal(json_array_size(json_object_get(l, "items")), 20);
	json_decref(l);
	q.page = 3;
	l = list(db, &q);
	assert_int_equal(json_array_size(json_object_get(l, "items")), 18);
	json_decref(l);
	q.page = 4;
	l = list(db, &q);
	assert_int_equal(json_array_size(json_object_get(l, "items")), 0);
	assert_int_equal(total(l), 58);
	json_decref(l);

	json_t *out = NULL;
	q = (struct lc_city_query){.per_page = LC_LIMIT_PER_PAGE + 1};
	assert_int_equal(lc_city_list(db, &q, &out), LC_EINVAL);
	q = (struct lc_city_query){.per_page = -1};
	assert_int_equal(lc_city_list(db, &q, &out), LC_EINVAL);
	q = (struct lc_city_query){.page = -1};
	assert_int_equal(lc_city_list(db, &q, &out), LC_EINVAL);
	q = (struct lc_city_query){.status = "dead"};
	assert_int_equal(lc_city_list(db, &q, &out), LC_EINVAL);
	q = (struct lc_city_query){.region = "XYZ"};
	assert_int_equal(lc_city_list(db, &q, &out), LC_EINVAL);
	q = (struct lc_city_query){.country = "IRL"};
	assert_int_equal(lc_city_list(db, &q, &out), LC_EINVAL);
	q = (struct lc_city_query){.award_year = 99};
	assert_int_equal(lc_city_list(db, &q, &out), LC_EINVAL);
	char longq[LC_LIMIT_SEARCH_BYTES + 2];
	memset(longq, 'a', sizeof(longq) - 1);
	longq[sizeof(longq) - 1] = '\0';
	q = (struct lc_city_query){.q = longq};
	assert_int_equal(lc_city_list(db, &q, &out), LC_ELIMIT);
	assert_null(out);
}

static void test_get(void **state)
{
	struct lc_db *db = *state;
	json_t *c = NULL;
	assert_int_equal(lc_city_get(db, "cork", "fr", &c), 0);
	assert_string_equal(json_string_value(json_object_get(c, "name")), "Cork");
	assert_string_equal(json_string_value(json_object_get(json_object_get(c, "names"), "en")),
	                    "Cork");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(c, "country"), "name")), "Irlande");
	assert_true(json_is_null(json_object_get(c, "population")));
	assert_true(json_is_null(json_object_get(c, "latitude")));
	json_t *awards = json_object_get(c, "awards");
	assert_int_equal(json_array_size(awards), 2);
	json_t *a0 = json_array_get(awards, 0);
	assert_int_equal(json_integer_value(json_object_get(a0, "year")), 2015);
	assert_int_equal(json_integer_value(json_object_get(a0, "conference_number")), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(a0, "host_city"), "slug")),
	    "mexico-city");
	json_t *hosted = json_object_get(c, "conferences_hosted");
	assert_int_equal(json_array_size(hosted), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(hosted, 0), "number")),
	                 3);
	json_t *m = json_object_get(c, "membership");
	assert_int_equal(json_array_size(m), 1);
	json_t *m0 = json_array_get(m, 0);
	assert_string_equal(json_string_value(json_object_get(m0, "status")), "member");
	assert_true(json_is_null(json_object_get(m0, "from")));
	assert_string_equal(json_string_value(json_object_get(m0, "known_by")), "2015-09-30");
	assert_string_equal(json_string_value(json_object_get(m0, "provenance")), "verified");
	json_decref(c);

	assert_int_equal(lc_city_get(db, "seodaemun-gu", "en", &c), 0);
	assert_string_equal(json_string_value(json_object_get(c, "kind")), "district");
	json_decref(c);
	assert_int_equal(lc_city_get(db, "yeonsu-gu", "en", &c), 0);
	assert_true(json_is_null(json_object_get(c, "status")));
	assert_int_equal(json_array_size(json_object_get(c, "membership")), 0);
	assert_int_equal(json_array_size(json_object_get(c, "conferences_hosted")), 1);
	json_decref(c);
	assert_int_equal(lc_city_get(db, "medellin", "en", &c), 0);
	assert_string_equal(json_string_value(json_object_get(c, "name")), "Medellín");
	assert_string_equal(json_string_value(json_object_get(c, "provenance")), "secondary");
	json_decref(c);

	c = NULL;
	assert_int_equal(lc_city_get(db, "atlantis", "en", &c), LC_ENOTFOUND);
	assert_int_equal(lc_city_get(db, "Cork", "en", &c), LC_ENOTFOUND);
	assert_int_equal(lc_city_get(db, "", "en", &c), LC_ENOTFOUND);
	assert_null(c);
}

static void test_injected_failures(void **state)
{
	struct lc_db *db = *state;
	for (long n = 1; n <= 5; n++) {
		json_t *c = NULL;
		lc_db_fault_set(n);
		int err = lc_city_get(db, "cork", "en", &c);
		bool fired = !lc_db_fault_pending();
		lc_db_fault_set(0);
		if (fired) {
			assert_int_equal(err, LC_EDB);
			assert_null(c);
		} else {
			assert_int_equal(err, 0);
			json_decref(c);
		}
		struct lc_city_query q = {0};
		lc_db_fault_set(n);
		err = lc_city_list(db, &q, &c);
		fired = !lc_db_fault_pending();
		lc_db_fault_set(0);
		if (fired) {
			assert_int_equal(err, LC_EDB);
			assert_null(c);
		} else {
			json_decref(c);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fold_and_slug),     cmocka_unit_test(test_search),
	    cmocka_unit_test(test_filters),           cmocka_unit_test(test_sorting),
	    cmocka_unit_test(test_pagination_bounds), cmocka_unit_test(test_get),
	    cmocka_unit_test(test_injected_failures),
	};
	return cmocka_run_group_tests(tests, lc_test_demo_setup, lc_test_demo_teardown);
}
