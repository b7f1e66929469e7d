/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The per-run city summaries (score_summaries, scores.peer_median) and the
 * per-area intervals, on the demo database (two synthetic cycles, each
 * with an index run and its uncertainty analysis):
 *  - every city's profile from the summaries equals the profile computed
 *    the slow way from the run's whole scores and the directory, for every
 *    year, in English and French (the test that keeps the fast path true);
 *  - the comparison is not empty: cities have peer groups and medians;
 *  - a run whose summaries are gone is read the slow way with the same result;
 *  - every area and part has its 90 % intervals stored, bracketing the nominal
 *    figures, and the profile shows them (areas and the trend's bands);
 *  - the dashboard's coverage from the counts a run stored (scores.n_values)
 *    equals the coverage counted from the values, for the latest and the
 *    first cycle;
 *  - the profile's city head (slug, name, region, population) is what
 *    lc_city_get gives, in both languages, and unknown slugs are not found;
 *  - summaries are written once: an UPDATE is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/error.h"
#include "db/db.h"
#include "query.h"
#include "base/diag.h"
#include "domain/directory/city.h"
#include "domain/monitoring/demo_monitoring.h"
#include "domain/monitoring/monitoring_view.h"
#include "domain/monitoring/score.h"
#include "demo_db.h"

/* The slugs of the cities the runs scored. */
static json_t *scored_slugs(struct lc_db *db)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT DISTINCT c.slug FROM score_summaries s"
	                                  " JOIN cities c ON c.id = s.city_id ORDER BY c.slug");
	assert_non_null(st);
	json_t *a = json_array();
	int rc;
	while (lc_db_next(db, st, &rc))
		json_array_append_new(a, json_string(lc_db_text(st, 0)));
	lc_db_release(db, st);
	assert_true(rc >= 0);
	return a;
}

/* Fast and slow profile of slug in year (0 = latest) and lang must be equal. */
static void same_profile(struct lc_db *db, const char *slug, long year, const char *lang)
{
	json_t *fast = NULL, *slow = NULL;
	assert_int_equal(lc_db_begin_read(db), 0);
	assert_int_equal(lc_monview_city_from(db, slug, lang, year, true, &fast), 0);
	assert_int_equal(lc_monview_city_from(db, slug, lang, year, false, &slow), 0);
	assert_int_equal(lc_db_commit(db), 0);
	if (!json_equal(fast, slow)) {
		char *a = json_dumps(fast, JSON_SORT_KEYS | JSON_INDENT(1));
		char *b = json_dumps(slow, JSON_SORT_KEYS | JSON_INDENT(1));
		fprintf(stderr,
		        "profile of %s (%ld, %s) differs:\n--- summaries\n%s\n--- slow\n%s\n", slug,
		        year, lang, a, b);
		free(a);
		free(b);
		fail();
	}
	json_decref(fast);
	json_decref(slow);
}

static void summaries_equal_slow_path(void **state)
{
	struct lc_db *db = *state;
	json_t *slugs = scored_slugs(db);
	assert_true(json_array_size(slugs) >= 10);
	size_t i;
	json_t *s;
	json_array_foreach(slugs, i, s)
	{
		const char *slug = json_string_value(s);
		same_profile(db, slug, 0, "en");
		same_profile(db, slug, 2022, "en");
		same_profile(db, slug, 2024, "fr");
	}
	json_decref(slugs);
	/* Not vacuous: the summaries carry groups and medians, and the fast path read them. */
	assert_true(lc_test_count(db, "SELECT count(*) FROM score_summaries WHERE peers > 0") > 0);
	assert_true(lc_test_count(db, "SELECT count(*) FROM scores WHERE peer_median IS NOT NULL") >
	            0);
	assert_int_equal(lc_test_count(db,
	                               "SELECT count(*) FROM scores WHERE peer_median IS NOT NULL"
	                               " AND level <> 2"),
	                 0);
	json_t *sc = NULL;
	assert_int_equal(lc_score_city(db, "cork", &sc), 0);
	json_t *last = json_array_get(json_object_get(sc, "years"),
	                              json_array_size(json_object_get(sc, "years")) - 1);
	assert_non_null(json_object_get(last, "peer_group"));
	assert_true(json_object_size(json_object_get(last, "peer_median")) > 0);
	json_decref(sc);
	json_t *vm = NULL;
	assert_int_equal(lc_monview_city(db, "cork", "en", 0, &vm), 0);
	assert_true(json_integer_value(json_object_get(json_object_get(vm, "peers"), "count")) > 0);
	json_decref(vm);
}

static void run_without_summaries(void **state)
{
	struct lc_db *db = *state;
	json_t *before = NULL, *after = NULL;
	assert_int_equal(lc_monview_city(db, "cork", "en", 0, &before), 0);
	/* As a run stored before migration 0007: no summaries, no peer medians. Deleting
	 * is what a test may do; the run's scores themselves cannot change. */
	assert_int_equal(lc_db_begin(db), 0);
	assert_int_equal(lc_db_exec(db, "DELETE FROM score_summaries WHERE run_id ="
	                                " (SELECT max(id) FROM index_runs)"),
	                 0);
	assert_int_equal(lc_monview_city(db, "cork", "en", 0, &after), 0);
	lc_db_rollback(db);
	assert_true(json_equal(before, after));
	json_decref(before);
	json_decref(after);
}

static void network_coverage_from_run(void **state)
{
	struct lc_db *db = *state;
	const long years[] = {0, 2022};
	for (int y = 0; y < 2; y++) {
		json_t *fast = NULL, *slow = NULL;
		assert_int_equal(lc_monview_network(db, "en", years[y], &fast), 0);
		assert_true(json_is_true(json_object_get(fast, "has_scores")));
		assert_true(json_is_number(json_object_get(fast, "coverage")));
		/* As a run stored before migration 0007: no counts. Only a test may lift the
		 * trigger that keeps scores as written, and it rolls back. */
		assert_int_equal(lc_db_begin(db), 0);
		assert_int_equal(lc_db_exec(db, "DROP TRIGGER scores_no_update;"
		                                " UPDATE scores SET n_values = NULL"),
		                 0);
		assert_int_equal(lc_monview_network(db, "en", years[y], &slow), 0);
		lc_db_rollback(db);
		assert_true(json_equal(fast, slow));
		json_decref(fast);
		json_decref(slow);
	}
	assert_true(lc_test_count(db, "SELECT count(*) FROM scores WHERE n_values > 0") > 0);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM scores WHERE n_values IS NOT NULL"
	                                   " AND level <> 2"),
	                 0);
}

static void city_head_as_directory(void **state)
{
	struct lc_db *db = *state;
	json_t *slugs = scored_slugs(db);
	const char *const langs[] = {"en", "fr"};
	size_t i;
	json_t *s;
	json_array_foreach(slugs, i, s)
	{
		for (int l = 0; l < 2; l++) {
			json_t *vm = NULL, *city = NULL;
			assert_int_equal(
			    lc_monview_city(db, json_string_value(s), langs[l], 0, &vm), 0);
			assert_int_equal(lc_city_get(db, json_string_value(s), langs[l], &city), 0);
			json_t *want =
			    json_pack("{s:O,s:O,s:O,s:O}", "slug", json_object_get(city, "slug"),
			              "name", json_object_get(city, "name"), "region",
			              json_object_get(city, "region"), "population",
			              json_object_get(city, "population"));
			assert_true(json_equal(json_object_get(vm, "city"), want));
			json_decref(want);
			json_decref(city);
			json_decref(vm);
		}
	}
	json_decref(slugs);
	json_t *vm = NULL;
	assert_int_equal(lc_monview_city(db, "no-such-city", "en", 0, &vm), LC_ENOTFOUND);
	assert_int_equal(lc_monview_city(db, "../x", "en", 0, &vm), LC_ENOTFOUND);
}

static double num(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void per_area_intervals(void **state)
{
	struct lc_db *db = *state;
	/* Every scored code of a run with uncertainty runs has both intervals. */
	assert_int_equal(
	    lc_test_count(db, "SELECT count(*) FROM scores s JOIN index_runs r"
	                      " ON r.id = s.run_id WHERE r.ua_runs > 0 AND s.score IS NOT NULL"
	                      " AND (s.rank_q5 IS NULL OR s.rank_q95 IS NULL"
	                      " OR s.score_q5 IS NULL OR s.score_q95 IS NULL)"),
	    0);
	assert_true(
	    lc_test_count(
	        db, "SELECT count(*) FROM scores WHERE level = 2 AND score_q5 IS NOT NULL") > 0);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM scores WHERE rank_q5 > rank_q95"
	                                   " OR score_q5 > score_q95 + 1e-9"),
	                 0);
	/* The profile: each scored area has its intervals around its score and rank. */
	json_t *vm = NULL;
	assert_int_equal(lc_monview_city(db, "cork", "en", 0, &vm), 0);
	size_t i, n = 0;
	json_t *a;
	json_array_foreach(json_object_get(vm, "areas"), i, a)
	{
		double s = num(a, "score");
		if (isnan(s))
			continue;
		n++;
		assert_true(num(a, "score_q5") <= s + 1e-6 && s - 1e-6 <= num(a, "score_q95"));
		assert_true(num(a, "rank_q5") <= num(a, "rank") &&
		            num(a, "rank") <= num(a, "rank_q95"));
	}
	assert_true(n > 0);
	/* The trend has a band per area: lo and hi per year, around the values. */
	json_t *trend = json_object_get(vm, "trend"), *se;
	size_t ny = json_array_size(json_object_get(trend, "years"));
	assert_true(ny >= 2);
	json_array_foreach(json_object_get(trend, "series"), i, se)
	{
		json_t *v = json_object_get(se, "values"), *lo = json_object_get(se, "lo"),
		       *hi = json_object_get(se, "hi");
		assert_int_equal(json_array_size(lo), ny);
		assert_int_equal(json_array_size(hi), ny);
		for (size_t y = 0; y < ny; y++) {
			if (!json_is_number(json_array_get(v, y)))
				continue;
			assert_true(json_number_value(json_array_get(lo, y)) <=
			            json_number_value(json_array_get(v, y)) + 1e-6);
			assert_true(json_number_value(json_array_get(hi, y)) >=
			            json_number_value(json_array_get(v, y)) - 1e-6);
		}
	}
	json_decref(vm);
}

static void written_once(void **state)
{
	struct lc_db *db = *state;
	assert_int_equal(lc_db_begin(db), 0);
	assert_int_not_equal(lc_db_exec(db, "UPDATE score_summaries SET peers = peers + 1"), 0);
	lc_db_rollback(db);
}

/* The demo database with its synthetic monitoring cycle (two index runs). */
static int setup(void **state)
{
	if (lc_test_demo_setup(state) != 0)
		return -1;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_demo_load_monitoring(*state, &d);
	lc_diag_cleanup(&d);
	return err ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(summaries_equal_slow_path), cmocka_unit_test(run_without_summaries),
	    cmocka_unit_test(network_coverage_from_run), cmocka_unit_test(per_area_intervals),
	    cmocka_unit_test(city_head_as_directory),    cmocka_unit_test(written_once),
	};
	return cmocka_run_group_tests(tests, setup, lc_test_demo_teardown);
}
