/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/directory/country.c and domain/directory/region.c: the embedded countries with
 * names in two languages and their regions, dropdown lists, and the CSV
 * loader's diagnostics.
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
#include "domain/directory/country.h"
#include "domain/demo/demo.h"
#include "domain/directory/region.h"

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void test_lists(void **state)
{
	struct lc_db *db = *state;
	json_t *all = NULL, *used = NULL;
	assert_int_equal(lc_country_list(db, "en", false, &all), 0);
	assert_int_equal(json_array_size(all), 249);
	assert_int_equal(lc_country_list(db, "fr", true, &used), 0);
	assert_int_equal(json_array_size(used), 34);
	/* French order ignores accents: Égypte sits among the E's, before Équateur and Espagne. */
	size_t i, egypt = 0, ecuador = 0, ethiopia = 0;
	json_t *c;
	json_array_foreach(used, i, c)
	{
		if (strcmp(str(c, "code"), "EG") == 0)
			egypt = i;
		if (strcmp(str(c, "code"), "EC") == 0)
			ecuador = i;
		if (strcmp(str(c, "code"), "ET") == 0)
			ethiopia = i;
	}
	assert_string_equal(str(json_array_get(used, 0), "code"), "DE"); /* Allemagne */
	assert_true(egypt < ecuador && ecuador < ethiopia);
	assert_true(ethiopia < json_array_size(used) - 1);
	json_decref(all);
	json_decref(used);

	json_t *ie = NULL;
	assert_int_equal(lc_country_get(db, "IE", "fr", &ie), 0);
	assert_string_equal(str(ie, "name"), "Irlande");
	assert_string_equal(str(ie, "alpha3"), "IRL");
	assert_int_equal(json_integer_value(json_object_get(ie, "numeric")), 372);
	assert_int_equal(json_integer_value(json_object_get(ie, "cities")), 3);
	assert_string_equal(str(json_object_get(ie, "region"), "code"), "EUR");
	assert_string_equal(str(ie, "region_provenance"), "verified");
	json_decref(ie);
	json_t *x = NULL;
	assert_int_equal(lc_country_get(db, "XX", "en", &x), LC_ENOTFOUND);
	assert_int_equal(lc_country_get(db, "ie", "en", &x), LC_EINVAL);
	assert_null(x);
}

static void test_regions(void **state)
{
	struct lc_db *db = *state;
	json_t *r = NULL;
	assert_int_equal(lc_region_list(db, "fr", &r), 0);
	assert_int_equal(json_array_size(r), 5);
	assert_string_equal(str(json_array_get(r, 0), "code"), "AFR");
	assert_string_equal(str(json_array_get(r, 0), "name"), "Afrique");
	json_int_t sum = 0;
	size_t i;
	json_t *e;
	json_array_foreach(r, i, e) sum += json_integer_value(json_object_get(e, "cities"));
	assert_int_equal(sum, 58);
	json_decref(r);
	assert_true(lc_region_code_ok("LAC"));
	assert_false(lc_region_code_ok("lac"));
	assert_false(lc_region_code_ok(NULL));
}

static void expect_bad(struct lc_db *db, const char *csv, long line)
{
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_not_equal(lc_country_load_csv(db, csv, strlen(csv), &d), 0);
	assert_true(lc_diag_total(&d) >= 1);
	assert_int_equal(d.items[0].line, line);
	lc_diag_cleanup(&d);
}

static void test_csv_loader(void **state)
{
	struct lc_db *db = *state;
	const char *hdr = "alpha2,alpha3,numeric,name_en,name_fr,region,region_provenance\n";
	char buf[512];
	expect_bad(db, "", 0);
	expect_bad(db, "a,b\n", 1);
	snprintf(buf, sizeof(buf), "%sZZ,ZZZ,1000,Z,,,\n", hdr);
	expect_bad(db, buf, 2);
	snprintf(buf, sizeof(buf), "%sZZ,ZZZ,999,Z,,EUR,\n", hdr);
	expect_bad(db, buf, 2);
	snprintf(buf, sizeof(buf), "%sZZ,ZZZ,999,Z,,,\nzz,ZZY,998,Y,,,\n", hdr);
	expect_bad(db, buf, 3);
	snprintf(buf, sizeof(buf), "%s\"ZZ,ZZZ,999\n", hdr);
	expect_bad(db, buf, 2);
	/* A good file adds and updates in one transaction. */
	snprintf(buf, sizeof(buf), "%sZZ,ZZZ,999,\"Zed, Republic of\",Zède,AFR,provisional\n", hdr);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_country_load_csv(db, buf, strlen(buf), &d), 0);
	lc_diag_cleanup(&d);
	json_t *z = NULL;
	assert_int_equal(lc_country_get(db, "ZZ", "fr", &z), 0);
	assert_string_equal(str(z, "name"), "Zède");
	json_decref(z);
	assert_int_equal(lc_country_get(db, "ZZ", "de", &z), 0);
	assert_string_equal(str(z, "name"), "Zed, Republic of");
	json_decref(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lists),
	    cmocka_unit_test(test_regions),
	    cmocka_unit_test(test_csv_loader),
	};
	return cmocka_run_group_tests(tests, lc_test_demo_setup, lc_test_demo_teardown);
}
