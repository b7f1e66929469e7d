/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Observations: value validation per type (a table of cases), batches that
 * are all or nothing with every problem listed, versions kept on
 * correction, unchanged values not re-versioned, permissions, audit rows,
 * the append-only triggers, and the self-assessment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "accounts_fixture.h"
#include "base/limits.h"
#include "domain/monitoring/monitoring_input.h"
#include "domain/monitoring/observation.h"
#include "domain/monitoring/year_review.h"
#include "engine/matrix.h"
#include "engine/tree.h"

struct vcase {
	enum lc_obs_type type;
	double low, high;
	const char *in;
	bool ok;
	const char *norm; /* expected stored text when ok */
	double num;       /* expected number when ok (NaN: none) */
	const char *why;  /* a word of the reason when not ok */
};

static const struct vcase vcases[] = {
    {LC_OBS_NUMBER, NAN, NAN, "12.5", true, "12.5", 12.5, NULL},
    {LC_OBS_NUMBER, NAN, NAN, " -3 ", true, "-3", -3, NULL},
    {LC_OBS_NUMBER, NAN, NAN, "1e3", true, "1e3", 1000, NULL},
    {LC_OBS_NUMBER, NAN, NAN, "12,5", false, NULL, 0, "point"},
    {LC_OBS_NUMBER, NAN, NAN, "1,000", false, NULL, 0, "thousands"},
    {LC_OBS_NUMBER, NAN, NAN, "0x10", false, NULL, 0, "not a number"},
    {LC_OBS_NUMBER, NAN, NAN, "inf", false, NULL, 0, "not a number"},
    {LC_OBS_NUMBER, NAN, NAN, "1e999", false, NULL, 0, "too large"},
    {LC_OBS_NUMBER, NAN, NAN, "", false, NULL, 0, "empty"},
    {LC_OBS_NUMBER, 0, 50, "51", false, NULL, 0, "goalposts"},
    {LC_OBS_NUMBER, 0, 50, "50", true, "50", 50, NULL},
    {LC_OBS_PERCENTAGE, 0, 100, "92.5", true, "92.5", 92.5, NULL},
    {LC_OBS_PERCENTAGE, 0, 100, "92.5 %", true, "92.5", 92.5, NULL},
    {LC_OBS_PERCENTAGE, NAN, NAN, "100.1", false, NULL, 0, "0 to 100"},
    {LC_OBS_PERCENTAGE, NAN, NAN, "-1", false, NULL, 0, "0 to 100"},
    {LC_OBS_YES_NO, 0, 1, "Yes", true, "yes", 1, NULL},
    {LC_OBS_YES_NO, 0, 1, "non", true, "no", 0, NULL},
    {LC_OBS_YES_NO, 0, 1, "0", true, "no", 0, NULL},
    {LC_OBS_YES_NO, 0, 1, "maybe", false, NULL, 0, "yes or no"},
    {LC_OBS_MATURITY, 0, 4, "3", true, "3", 3, NULL},
    {LC_OBS_MATURITY, 0, 4, "5", false, NULL, 0, "0 to 4"},
    {LC_OBS_MATURITY, 0, 4, "2.5", false, NULL, 0, "whole"},
    {LC_OBS_TEXT, NAN, NAN, " a plan ", true, "a plan", NAN, NULL},
    {LC_OBS_TEXT, NAN, NAN, "\xff\xfe", false, NULL, 0, "UTF-8"},
};

static void test_validate(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof vcases / sizeof vcases[0]; i++) {
		const struct vcase *c = &vcases[i];
		struct lc_obs_measure m = {
		    .code = "t.1", .type = c->type, .low = c->low, .high = c->high};
		struct lc_slice norm = {0};
		double num = 0;
		struct lc_diag d;
		lc_diag_init(&d);
		int rc = lc_obs_validate(&m, lc_slice_cstr(c->in), &norm, &num, NULL, 0, 0, &d);
		const char *why = d.count ? d.items[0].message : "";
		if ((rc == 0) != c->ok)
			fail_msg("case %zu '%s': rc %d (%s)", i, c->in, rc, why);
		/* A refusal is one coded problem of the value; success adds none. */
		assert_int_equal(d.count, c->ok ? 0 : 1);
		if (c->ok) {
			assert_true(lc_slice_eq(norm, c->norm));
			if (isnan(c->num))
				assert_true(isnan(num));
			else
				assert_true(num == c->num);
		} else if (!strstr(why, c->why)) {
			fail_msg("case %zu '%s': reason '%s' lacks '%s'", i, c->in, why, c->why);
		}
		if (d.count) {
			assert_non_null(d.items[0].code);
			assert_string_equal(d.items[0].field, "value");
		}
		lc_diag_cleanup(&d);
	}
}

static struct lc_obs_row row(const char *city, const char *code, const char *year,
                             const char *value, long line)
{
	struct lc_obs_row r = {.city = lc_slice_cstr(city),
	                       .measurement = lc_slice_cstr(code),
	                       .year = lc_slice_cstr(year),
	                       .value = lc_slice_cstr(value),
	                       .line = line};
	return r;
}

static void test_catalog(void **state)
{
	struct lc_db *db = *state;
	struct lc_obs_catalog cat;
	assert_int_equal(lc_obs_catalog_load(db, &cat), 0);
	assert_true(cat.nm > 50);
	assert_true(cat.nc > 10);
	assert_int_equal(cat.year_max, 2026); /* the fixture's clock */
	const struct lc_obs_measure *m = lc_obs_catalog_measure(&cat, lc_slice_cstr("1.1.1.a"));
	assert_non_null(m);
	assert_int_equal(m->type, LC_OBS_PERCENTAGE);
	assert_string_equal(m->area, "1.1");
	assert_string_equal(m->part, "1");
	assert_null(lc_obs_catalog_measure(&cat, lc_slice_cstr("1.1.1")));
	assert_non_null(lc_obs_catalog_city(&cat, lc_slice_cstr("cork")));
	assert_null(lc_obs_catalog_city(&cat, lc_slice_cstr("cor")));
	lc_obs_catalog_cleanup(&cat);
}

static void test_put_versions(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor coord;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_obs_row rows[] = {row("cork", "1.1.1.a", "2025", "91", 1),
	                            row("cork", "1.3.3.b", "2025", "yes", 2)};
	rows[0].source = lc_slice_cstr("Census");
	struct lc_obs_summary sum;
	assert_int_equal(lc_obs_put(db, &coord, rows, 2, &d, &sum), 0);
	assert_int_equal(sum.written, 2);
	assert_int_equal(sum.city_years, 1);
	/* The same again: nothing new. */
	assert_int_equal(lc_obs_put(db, &coord, rows, 2, &d, &sum), 0);
	assert_int_equal(sum.written, 0);
	assert_int_equal(sum.unchanged, 2);
	/* A correction adds a version. */
	rows[0].value = lc_slice_cstr("92.5");
	assert_int_equal(lc_obs_put(db, &coord, rows, 1, &d, &sum), 0);
	assert_int_equal(sum.written, 1);
	assert_int_equal(sum.corrected, 1);
	assert_int_equal(lc_diag_total(&d), 0);

	json_t *list = NULL;
	assert_int_equal(lc_obs_list(db, &coord, "cork", 2025, &list), 0);
	assert_string_equal(json_string_value(json_object_get(list, "status")), "draft");
	json_t *items = json_object_get(list, "items");
	assert_int_equal(json_array_size(items), 2);
	json_t *a = json_array_get(items, 0);
	assert_string_equal(json_string_value(json_object_get(a, "code")), "1.1.1.a");
	assert_string_equal(json_string_value(json_object_get(a, "value")), "92.5");
	json_t *v = json_object_get(a, "versions");
	assert_int_equal(json_array_size(v), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 0), "version")), 2);
	assert_true(json_is_true(json_object_get(json_array_get(v, 0), "current")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(v, 1), "value")),
	                    "91");
	assert_true(json_is_false(json_object_get(json_array_get(v, 1), "current")));
	/* The author by name, never by e-mail address: approved values are public. */
	assert_string_equal(json_string_value(json_object_get(json_array_get(v, 1), "author")),
	                    "Demo Coordinator (Cork)");
	assert_string_equal(json_string_value(json_object_get(json_array_get(v, 1), "at")),
	                    "2026-09-21T14:13:20Z");
	json_decref(list);

	/* The current values alone: the same items and values, one version each. */
	assert_int_equal(lc_obs_current(db, &coord, "cork", 2025, &list), 0);
	assert_string_equal(json_string_value(json_object_get(list, "status")), "draft");
	items = json_object_get(list, "items");
	assert_int_equal(json_array_size(items), 2);
	a = json_array_get(items, 0);
	assert_string_equal(json_string_value(json_object_get(a, "value")), "92.5");
	v = json_object_get(a, "versions");
	assert_int_equal(json_array_size(v), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 0), "version")), 2);
	assert_true(json_is_true(json_object_get(json_array_get(v, 0), "current")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(v, 0), "source")),
	                    "Census");
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "value")),
	                    "yes");
	json_decref(list);

	/* Audit: one row per city-year and batch that wrote something. */
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM audit WHERE action = 'observations.put'"), 2);
	/* Versions are never overwritten, even by SQL. */
	assert_int_not_equal(lc_db_exec(db, "UPDATE observations SET value_text = 'x'"), 0);
	assert_int_not_equal(lc_db_exec(db, "UPDATE observations SET is_current = 1"), 0);

	/* Others may not read a draft. */
	struct lc_actor anon, natcom;
	lc_actor_anonymous(&anon);
	assert_int_equal(lc_obs_list(db, &anon, "cork", 2025, &list), LC_EAUTH);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	assert_int_equal(lc_obs_list(db, &natcom, "cork", 2025, &list), LC_EPERM);
	assert_int_equal(lc_obs_list(db, &coord, "nowhere", 2025, &list), LC_ENOTFOUND);
	assert_int_equal(lc_obs_current(db, &anon, "cork", 2025, &list), LC_EAUTH);
	assert_int_equal(lc_obs_current(db, &natcom, "cork", 2025, &list), LC_EPERM);
	assert_int_equal(lc_obs_current(db, &coord, "nowhere", 2025, &list), LC_ENOTFOUND);
	lc_diag_cleanup(&d);
}

static void test_bad_batch_writes_nothing(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor sys;
	lc_actor_system(&sys);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_obs_row rows[] = {
	    row("cork", "1.1.1.a", "2025", "50", 1),  row("atlantis", "1.1.1.a", "2025", "5", 2),
	    row("cork", "9.9.9", "2025", "5", 3),     row("cork", "1.1.1.a", "2031", "5", 4),
	    row("cork", "1.1.1.a", "2024", "101", 5), row("cork", "1.1.1.b", "2024", "=A1", 6),
	    row("cork", "2.1.4.b", "2024", "7", 7),   row("cork", "1.1.1.a", "2025", "51", 8),
	};
	assert_int_equal(lc_obs_put(db, &sys, rows, 8, &d, NULL), LC_EINVAL);
	/* Six bad rows; the duplicate is found once the rows are good. */
	assert_int_equal(lc_diag_total(&d), 6);
	assert_int_equal(d.items[0].line, 2);
	assert_string_equal(d.items[0].field, "city");
	assert_int_equal(d.items[2].line, 4);
	assert_string_equal(d.items[2].field, "year");
	assert_non_null(strstr(d.items[4].message, "formula"));
	assert_non_null(strstr(d.items[5].message, "0 to 4"));
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), 0);
	lc_diag_cleanup(&d);

	lc_diag_init(&d);
	struct lc_obs_row dup[] = {row("cork", "1.1.1.a", "2025", "50", 1),
	                           row("cork", "1.1.1.b", "2025", "5", 2),
	                           row("cork", "1.1.1.a", "2025", "51", 3)};
	assert_int_equal(lc_obs_put(db, &sys, dup, 3, &d, NULL), LC_EINVAL);
	assert_int_equal(lc_diag_total(&d), 1);
	assert_int_equal(d.items[0].line, 3);
	assert_non_null(strstr(d.items[0].message, "row 1"));
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), 0);
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM wf_items WHERE process = 'year_review'"), 0);
	lc_diag_cleanup(&d);
}

static void test_permissions(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor a;
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_obs_row r[] = {row("cork", "1.1.1.a", "2025", "50", 1),
	                         row("medellin", "1.1.1.a", "2025", "50", 2)};
	/* Cork's coordinator may not enter Medellín's values: the whole batch fails. */
	assert_int_equal(fx_actor(db, DEMO_COORD, &a), 0);
	assert_int_equal(lc_obs_put(db, &a, r, 2, &d, NULL), LC_EPERM);
	assert_int_equal(lc_diag_total(&d), 1);
	assert_non_null(strstr(d.items[0].message, "medellin"));
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), 0);
	static const char *const others[] = {DEMO_NATCOM, DEMO_JURY, DEMO_PART, DEMO_NOROLE};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(fx_actor(db, others[i], &a), 0);
		assert_int_equal(lc_obs_put(db, &a, r, 1, &d, NULL), LC_EPERM);
	}
	lc_actor_anonymous(&a);
	assert_int_equal(lc_obs_put(db, &a, r, 1, &d, NULL), LC_EPERM);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), 0);
	/* The admin may. */
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &a), 0);
	assert_int_equal(lc_obs_put(db, &a, r, 2, &d, NULL), 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), 2);
	lc_diag_cleanup(&d);
}

static void test_self_assessment(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor coord, natcom;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	json_t *links = json_pack("[s]", "https://example.org/plan.pdf");
	assert_int_equal(lc_obs_put_self_assessment(db, &coord, "cork", "1.1.1", 2025, 2,
	                                            "A plan adopted in 2024", links, &d),
	                 0);
	/* Unchanged: no new version; changed: a second one. */
	assert_int_equal(lc_obs_put_self_assessment(db, &coord, "cork", "1.1.1", 2025, 2,
	                                            "A plan adopted in 2024", links, &d),
	                 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM self_assessments"), 1);
	assert_int_equal(lc_obs_put_self_assessment(db, &coord, "cork", "1.1.1", 2025, 3,
	                                            "A plan adopted in 2024", links, &d),
	                 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM self_assessments"), 2);
	assert_int_equal(fx_count(db, "SELECT maturity FROM self_assessments WHERE is_current = 1"),
	                 3);
	assert_int_equal(lc_diag_total(&d), 0);
	assert_int_equal(
	    lc_obs_put_self_assessment(db, &coord, "cork", "1.1.1", 2025, 5, NULL, NULL, &d),
	    LC_EINVAL);
	json_t *bad = json_pack("[s]", "javascript:alert(1)");
	assert_int_equal(
	    lc_obs_put_self_assessment(db, &coord, "cork", "1.1.1", 2025, 1, NULL, bad, &d),
	    LC_EINVAL);
	assert_int_equal(
	    lc_obs_put_self_assessment(db, &coord, "cork", "9.9.9", 2025, 1, NULL, NULL, &d),
	    LC_ENOTFOUND);
	assert_int_equal(
	    lc_obs_put_self_assessment(db, &natcom, "cork", "1.1.1", 2025, 1, NULL, NULL, &d),
	    LC_EPERM);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM self_assessments"), 2);
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM audit WHERE action = 'self_assessment.put'"), 2);
	json_decref(links);
	json_decref(bad);
	lc_diag_cleanup(&d);
}

static void test_local_measurements(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor coord, natcom, admin;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_obs_local m = {.code = "cork.harbour-visits",
	                         .label = "Learning visits to the harbour",
	                         .feature = "1.1.1",
	                         .unit = "visits",
	                         .type = LC_OBS_NUMBER,
	                         .direction = 1,
	                         .low = 0,
	                         .high = 10000};
	int64_t id = 0;
	assert_int_equal(lc_obs_local_add(db, &coord, "cork", &m, &d, &id), 0);
	assert_true(id > 0);
	assert_int_equal(lc_obs_local_add(db, &coord, "cork", &m, &d, NULL), LC_ECONFLICT);
	assert_int_equal(lc_obs_local_add(db, &natcom, "cork", &m, &d, NULL), LC_EPERM);
	struct lc_obs_local bad = m;
	bad.code = "no spaces";
	bad.low = 5;
	bad.high = 1;
	assert_int_equal(lc_obs_local_add(db, &coord, "cork", &bad, &d, NULL), LC_EINVAL);
	bad = m;
	bad.code = "other";
	bad.feature = "9.9.9";
	assert_int_equal(lc_obs_local_add(db, &coord, "cork", &bad, &d, NULL), LC_ENOTFOUND);
	lc_diag_cleanup(&d);
	lc_diag_init(&d);

	assert_int_equal(lc_obs_put_local(db, &coord, "cork", "cork.harbour-visits", 2025, "120",
	                                  "Port log", NULL, &d),
	                 0);
	assert_int_equal(lc_obs_put_local(db, &coord, "cork", "cork.harbour-visits", 2025, "120",
	                                  "Port log", NULL, &d),
	                 0); /* unchanged */
	assert_int_equal(lc_obs_put_local(db, &coord, "cork", "cork.harbour-visits", 2025, "130",
	                                  "Port log", NULL, &d),
	                 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"
	                              " WHERE local_measurement_id IS NOT NULL"),
	                 2);
	assert_int_equal(lc_diag_total(&d), 0);
	assert_int_equal(lc_obs_put_local(db, &coord, "cork", "cork.harbour-visits", 2025, "20000",
	                                  NULL, NULL, &d),
	                 LC_EINVAL);
	assert_int_equal(lc_obs_put_local(db, &coord, "cork", "nothing", 2025, "1", NULL, NULL, &d),
	                 LC_ENOTFOUND);
	assert_int_equal(
	    lc_obs_put_local(db, &natcom, "cork", "cork.harbour-visits", 2025, "1", NULL, NULL, &d),
	    LC_EPERM);
	/* The same code in another city is another measurement. */
	assert_int_equal(lc_obs_put_local(db, &admin, "medellin", "cork.harbour-visits", 2025, "1",
	                                  NULL, NULL, &d),
	                 LC_ENOTFOUND);

	/* Listed after the framework's values, marked local. */
	struct lc_obs_row r = {.city = lc_slice_cstr("cork"),
	                       .measurement = lc_slice_cstr("1.1.1.a"),
	                       .year = lc_slice_cstr("2025"),
	                       .value = lc_slice_cstr("70"),
	                       .line = 1};
	assert_int_equal(lc_obs_put(db, &coord, &r, 1, &d, NULL), 0);
	json_t *list = NULL;
	assert_int_equal(lc_obs_list(db, &coord, "cork", 2025, &list), 0);
	json_t *items = json_object_get(list, "items");
	assert_int_equal(json_array_size(items), 2);
	json_t *loc = json_array_get(items, 1);
	assert_true(json_is_true(json_object_get(loc, "local")));
	assert_true(json_is_false(json_object_get(json_array_get(items, 0), "local")));
	assert_string_equal(json_string_value(json_object_get(loc, "value")), "130");
	assert_int_equal(json_array_size(json_object_get(loc, "versions")), 2);
	json_decref(list);
	assert_int_equal(lc_obs_current(db, &coord, "cork", 2025, &list), 0);
	loc = json_array_get(json_object_get(list, "items"), 1);
	assert_true(json_is_true(json_object_get(loc, "local")));
	assert_string_equal(json_string_value(json_object_get(loc, "value")), "130");
	assert_int_equal(json_array_size(json_object_get(loc, "versions")), 1);
	json_decref(list);

	/* Submitted: locked for the coordinator; never in the network's index. */
	assert_int_equal(lc_year_review_submit(db, &coord, "cork", 2025, &d), 0);
	assert_int_equal(lc_obs_put_local(db, &coord, "cork", "cork.harbour-visits", 2025, "140",
	                                  NULL, NULL, &d),
	                 LC_ECONFLICT);
	/* The refusal says why in words, not as a catalogue key. */
	assert_true(d.count > 0);
	assert_string_equal(
	    d.items[d.count - 1].message,
	    "cork 2025 is submitted for review: its values cannot change until it is "
	    "returned");
	assert_int_equal(lc_year_review_approve(db, &admin, "cork", 2025, &d), 0);
	struct lc_tree t;
	struct lc_matrix mx;
	lc_tree_init(&t);
	lc_matrix_init(&mx);
	assert_int_equal(lc_monitoring_input_approved(db, 2025, &t, &mx, &d), 0);
	assert_int_equal(lc_tree_find(&t, "cork.harbour-visits"), -1);
	assert_int_equal(mx.n_units, 1);
	size_t set = 0;
	for (size_t i = 0; i < mx.n_units * mx.n_cols; i++)
		set += isnan(mx.x[i]) ? 0u : 1u;
	assert_int_equal(set, 1);
	lc_tree_cleanup(&t);
	lc_matrix_cleanup(&mx);
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM audit WHERE action = 'observations.put_local'"), 2);
	lc_diag_cleanup(&d);
}

/* A value corrected many times shows its latest versions; the rest are paged. */
static void test_versions_paged(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor coord, anon;
	lc_actor_anonymous(&anon);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_obs_summary sum;
	char value[8];
	for (int i = 1; i <= 25; i++) {
		snprintf(value, sizeof value, "%d", i);
		struct lc_obs_row r = row("cork", "1.1.1.a", "2025", value, 1);
		assert_int_equal(lc_obs_put(db, &coord, &r, 1, &d, &sum), 0);
	}
	assert_int_equal(lc_diag_total(&d), 0);
	lc_diag_cleanup(&d);
	json_t *list = NULL;
	assert_int_equal(lc_obs_list(db, &coord, "cork", 2025, &list), 0);
	json_t *a = json_array_get(json_object_get(list, "items"), 0);
	json_t *v = json_object_get(a, "versions");
	assert_int_equal(json_array_size(v), LC_OBS_VERSIONS_SHOWN);
	assert_int_equal(json_integer_value(json_object_get(a, "versions_total")), 25);
	assert_string_equal(json_string_value(json_object_get(a, "value")), "25");
	assert_true(json_is_true(json_object_get(json_array_get(v, 0), "current")));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 0), "version")), 25);
	json_decref(list);

	/* Every version, newest first, a page at a time. */
	json_t *p = NULL;
	assert_int_equal(lc_obs_versions(db, &coord, "cork", "1.1.1.a", false, 2025, 3, 10, &p), 0);
	assert_int_equal(json_integer_value(json_object_get(p, "total")), 25);
	assert_int_equal(json_integer_value(json_object_get(p, "pages")), 3);
	v = json_object_get(p, "items");
	assert_int_equal(json_array_size(v), 5);
	assert_string_equal(json_string_value(json_object_get(json_array_get(v, 4), "value")), "1");
	json_decref(p);
	/* Past the last page: no rows, the same total. */
	assert_int_equal(lc_obs_versions(db, &coord, "cork", "1.1.1.a", false, 2025, 9, 10, &p), 0);
	assert_int_equal(json_array_size(json_object_get(p, "items")), 0);
	assert_int_equal(json_integer_value(json_object_get(p, "total")), 25);
	json_decref(p);
	/* Not a local measurement; no value of that code; nobody's business. */
	assert_int_equal(lc_obs_versions(db, &coord, "cork", "1.1.1.a", true, 2025, 1, 10, &p),
	                 LC_ENOTFOUND);
	assert_int_equal(lc_obs_versions(db, &coord, "cork", "9.9.9.z", false, 2025, 1, 10, &p),
	                 LC_ENOTFOUND);
	assert_int_equal(lc_obs_versions(db, &anon, "cork", "1.1.1.a", false, 2025, 1, 10, &p),
	                 LC_EAUTH);
	assert_int_equal(lc_obs_versions(db, &coord, "cork", "1.1.1.a", false, 2025, 1, 0, &p), 0);
	assert_int_equal(json_integer_value(json_object_get(p, "per_page")), LC_DEFAULT_PER_PAGE);
	json_decref(p);
	assert_int_equal(lc_obs_versions(db, &coord, "cork", "1.1.1.a", false, 2025, 1, 1000, &p),
	                 LC_EINVAL);
}

/*
 * Looking back from a year: lc_obs_previous gives the latest earlier year that
 * holds values, whole; lc_obs_latest_before gives each value from the latest
 * year that has it. Years without values are skipped; a person who may not see
 * a city's unapproved years gets nothing from them.
 */
static void test_look_back(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor coord, anon;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	lc_actor_anonymous(&anon);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_obs_row r[] = {row("cork", "1.1.1.a", "2019", "40", 1),
	                         row("cork", "1.3.3.b", "2019", "no", 2),
	                         row("cork", "1.1.1.a", "2021", "45", 3)};
	assert_int_equal(lc_obs_put(db, &coord, r, 3, &d, NULL), 0);
	json_t *l = NULL;
	long y = -1;
	assert_int_equal(lc_obs_previous(db, &coord, "cork", 2024, &l, &y), 0);
	assert_int_equal(y, 2021);
	assert_int_equal(json_array_size(json_object_get(l, "items")), 1);
	json_decref(l);
	assert_int_equal(lc_obs_previous(db, &coord, "cork", 2021, &l, &y), 0);
	assert_int_equal(y, 2019);
	assert_int_equal(json_array_size(json_object_get(l, "items")), 2);
	json_decref(l);
	assert_int_equal(lc_obs_previous(db, &coord, "cork", 2019, &l, &y), 0);
	assert_null(l);
	assert_int_equal(y, 0);
	/* Each value from the latest year that has it. */
	assert_int_equal(lc_obs_latest_before(db, &coord, "cork", 2024, &l), 0);
	json_t *items = json_object_get(l, "items");
	assert_int_equal(json_array_size(items), 2);
	for (size_t i = 0; i < 2; i++) {
		json_t *it = json_array_get(items, i);
		const char *code = json_string_value(json_object_get(it, "code"));
		bool a = strcmp(code, "1.1.1.a") == 0;
		assert_string_equal(json_string_value(json_object_get(it, "value")),
		                    a ? "45" : "no");
		assert_int_equal(json_integer_value(json_object_get(it, "year")), a ? 2021 : 2019);
	}
	json_decref(l);
	/* Not yet approved: the public sees no earlier year. */
	assert_int_equal(lc_obs_previous(db, &anon, "cork", 2024, &l, &y), 0);
	assert_null(l);
	assert_int_equal(lc_obs_latest_before(db, &anon, "cork", 2024, &l), 0);
	assert_int_equal(json_array_size(json_object_get(l, "items")), 0);
	json_decref(l);
	/* A city that is not there has nothing before. */
	assert_int_equal(lc_obs_latest_before(db, &coord, "atlantis", 2024, &l), 0);
	assert_int_equal(json_array_size(json_object_get(l, "items")), 0);
	json_decref(l);
	lc_diag_cleanup(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_validate),
	    cmocka_unit_test_setup_teardown(test_catalog, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_put_versions, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_versions_paged, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_batch_writes_nothing, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_permissions, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_look_back, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_self_assessment, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_local_measurements, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
