/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Index runs on a tiny approved data set: the hand-checked scores (goalpost
 * normalisation 0..100 and arithmetic means over the measurements present),
 * ranks and their intervals (which bracket the nominal rank), results stored
 * per run (a second run after a correction leaves the first as it was),
 * only approved data entering, authorisation, the audit row, the job kind,
 * and the read side's JSON (city trend, heat map matrix, list).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "accounts_fixture.h"
#include "domain/platform/job.h"
#include "domain/monitoring/observation.h"
#include "domain/monitoring/year_review.h"
#include "domain/monitoring/score.h"

static struct lc_obs_row row(const char *city, const char *code, const char *year,
                             const char *value)
{
	struct lc_obs_row r = {.city = lc_slice_cstr(city),
	                       .measurement = lc_slice_cstr(code),
	                       .year = lc_slice_cstr(year),
	                       .value = lc_slice_cstr(value),
	                       .line = 1};
	return r;
}

static void approve(struct lc_db *db, const char *city, long year)
{
	struct lc_actor sys;
	lc_actor_system(&sys);
	assert_int_equal(lc_year_review_submit(db, &sys, city, year, NULL), 0);
	assert_int_equal(lc_year_review_approve(db, &sys, city, year, NULL), 0);
}

/*
 * 2025: Cork 1.1.1.a = 80, 1.1.2.a = 40; Medellín 60 and 100 (both
 * percentages with goalposts 0..100, so scores are the values); Amman 99 but
 * only submitted.
 */
static void load_data(struct lc_db *db)
{
	struct lc_actor sys;
	lc_actor_system(&sys);
	struct lc_obs_row rows[] = {
	    row("cork", "1.1.1.a", "2025", "80"),     row("cork", "1.1.2.a", "2025", "40"),
	    row("medellin", "1.1.1.a", "2025", "60"), row("medellin", "1.1.2.a", "2025", "100"),
	    row("amman", "1.1.1.a", "2025", "99"),
	};
	assert_int_equal(lc_obs_put(db, &sys, rows, 5, NULL, NULL), 0);
	approve(db, "cork", 2025);
	approve(db, "medellin", 2025);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_year_review_submit(db, &sys, "amman", 2025, &d), 0);
	lc_diag_cleanup(&d);
}

static double score_of(struct lc_db *db, int64_t run, const char *city, const char *code,
                       const char *col)
{
	char sql[256];
	snprintf(sql, sizeof sql,
	         "SELECT %s FROM scores s JOIN cities c ON c.id = s.city_id"
	         " WHERE s.run_id = %lld AND c.slug = '%s' AND s.code = '%s'",
	         col, (long long)run, city, code);
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	assert_non_null(st);
	double v = NAN;
	if (lc_db_step(db, st) == 1 && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_double(st, 0);
	lc_db_release(db, st);
	return v;
}

static void test_run_scores(void **state)
{
	struct lc_db *db = *state;
	load_data(db);
	struct lc_actor admin, coord;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_score_opts o = {.year = 2025, .runs = 200, .threads = 2};
	int64_t run1 = 0, run2 = 0;
	assert_int_equal(lc_score_run(db, &coord, &o, NULL, &run1, &d), LC_EPERM);
	assert_int_equal(lc_score_run(db, &admin, &o, NULL, &run1, &d), 0);
	assert_int_equal(lc_diag_total(&d), 0);
	assert_true(run1 > 0);

	/* Hand-checked: measurements = values; area 1.1 and part 1 and the index
	 * are means over what is present: Cork 60, Medellín 80. */
	assert_true(fabs(score_of(db, run1, "cork", "1.1", "score") - 60) < 1e-9);
	assert_true(fabs(score_of(db, run1, "medellin", "1.1", "score") - 80) < 1e-9);
	assert_true(fabs(score_of(db, run1, "cork", "1", "score") - 60) < 1e-9);
	assert_true(fabs(score_of(db, run1, "cork", "index", "score") - 60) < 1e-9);
	assert_true(fabs(score_of(db, run1, "medellin", "index", "score") - 80) < 1e-9);
	/* An area without data has no score. */
	assert_true(isnan(score_of(db, run1, "cork", "1.2", "score")));
	assert_true(score_of(db, run1, "medellin", "index", "rank") == 1);
	assert_true(score_of(db, run1, "cork", "index", "rank") == 2);
	/* Rank intervals bracket the nominal rank (here they are exact: weights
	 * noise of 25 % cannot bring Cork above 65 nor Medellín below 75). */
	for (int i = 0; i < 2; i++) {
		const char *c = i ? "cork" : "medellin";
		double r = score_of(db, run1, c, "index", "rank");
		assert_true(score_of(db, run1, c, "index", "rank_q5") <= r);
		assert_true(score_of(db, run1, c, "index", "rank_q95") >= r);
		assert_true(score_of(db, run1, c, "index", "rank_median") == r);
	}
	/* Areas and parts carry their own 90 % intervals of rank and score too. */
	assert_true(score_of(db, run1, "cork", "1.1", "rank") == 2);
	const char *const per_area[] = {"1.1", "1", "index"};
	for (int i = 0; i < 3; i++) {
		const char *c = per_area[i];
		double r = score_of(db, run1, "cork", c, "rank");
		double s = score_of(db, run1, "cork", c, "score");
		assert_true(score_of(db, run1, "cork", c, "rank_q5") <= r);
		assert_true(score_of(db, run1, "cork", c, "rank_q95") >= r);
		assert_true(score_of(db, run1, "cork", c, "score_q5") <= s + 1e-9);
		assert_true(score_of(db, run1, "cork", c, "score_q95") >= s - 1e-9);
	}
	/* An area without data has no interval either. */
	assert_true(isnan(score_of(db, run1, "cork", "1.2", "score_q5")));
	assert_true(isnan(score_of(db, run1, "cork", "1.2", "rank_q5")));
	/* Only approved data: Amman is not scored. */
	assert_true(isnan(score_of(db, run1, "amman", "index", "score")));
	assert_int_equal(fx_count(db, "SELECT count(DISTINCT city_id) FROM scores"), 2);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit WHERE action = 'index.run'"), 1);

	/* A correction and a second run: the first run's figures stay. */
	struct lc_actor sys;
	lc_actor_system(&sys);
	assert_int_equal(lc_year_review_return(db, &sys, "cork", 2025, "recheck", NULL), 0);
	struct lc_obs_row fix = row("cork", "1.1.2.a", "2025", "100");
	assert_int_equal(lc_obs_put(db, &sys, &fix, 1, NULL, NULL), 0);
	approve(db, "cork", 2025);
	o.runs = 0;
	assert_int_equal(lc_score_run(db, &admin, &o, NULL, &run2, &d), 0);
	assert_true(run2 > run1);
	assert_true(fabs(score_of(db, run1, "cork", "index", "score") - 60) < 1e-9);
	assert_true(fabs(score_of(db, run2, "cork", "index", "score") - 90) < 1e-9);
	assert_true(score_of(db, run2, "cork", "index", "rank") == 1);
	/* Without uncertainty runs, no interval. */
	assert_true(isnan(score_of(db, run2, "cork", "index", "rank_q5")));
	/* Stored rows never change. */
	assert_int_not_equal(lc_db_exec(db, "UPDATE scores SET score = 0"), 0);

	/* Read side. */
	int64_t latest = 0;
	assert_int_equal(lc_score_latest(db, 2025, &latest), 0);
	assert_int_equal(latest, run2);
	assert_int_equal(lc_score_latest(db, 2019, &latest), LC_ENOTFOUND);
	json_t *j = NULL;
	assert_int_equal(lc_score_matrix(db, run1, &j), 0);
	json_t *cities = json_object_get(j, "cities"), *codes = json_object_get(j, "codes");
	assert_int_equal(json_array_size(cities), 2);
	json_t *first = json_array_get(cities, 0);
	assert_string_equal(json_string_value(json_object_get(first, "slug")), "medellin");
	assert_true(json_array_size(json_object_get(first, "scores")) == json_array_size(codes));
	size_t last = json_array_size(codes) - 1;
	assert_string_equal(json_string_value(json_object_get(json_array_get(codes, last), "code")),
	                    "index");
	assert_true(json_real_value(json_array_get(json_object_get(first, "scores"), last)) == 80);
	assert_true(json_real_value(json_object_get(first, "rank_q95")) >= 1);
	json_decref(j);
	assert_int_equal(lc_score_matrix(db, 9999, &j), LC_ENOTFOUND);

	assert_int_equal(lc_score_city(db, "cork", &j), 0);
	json_t *years = json_object_get(j, "years");
	assert_int_equal(json_array_size(years), 1);
	json_t *y = json_array_get(years, 0);
	assert_int_equal(json_integer_value(json_object_get(y, "year")), 2025);
	assert_int_equal(json_integer_value(json_object_get(y, "run")), run2);
	json_t *ix = json_object_get(json_object_get(y, "scores"), "index");
	assert_true(json_real_value(json_object_get(ix, "score")) == 90);
	assert_true(json_array_size(json_object_get(j, "codes")) > 3);
	json_decref(j);
	assert_int_equal(lc_score_city(db, "nowhere", &j), LC_ENOTFOUND);

	assert_int_equal(lc_score_list(db, 2025, &j), 0);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
	json_decref(j);
	lc_diag_cleanup(&d);
}

static void test_errors_and_job(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin, coord;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	/* No approved city in 2025 yet. */
	struct lc_score_opts o = {.year = 2025, .runs = 10};
	int64_t run = 0, job = 0;
	assert_int_equal(lc_score_run(db, &admin, &o, NULL, &run, &d), LC_EINVAL);
	assert_non_null(strstr(d.items[0].message, "approved"));
	assert_int_equal(lc_score_enqueue(db, &coord, 2025, 10, NULL, &job, &d), LC_EPERM);
	assert_int_equal(lc_score_enqueue(db, &admin, 1800, 10, NULL, &job, &d), LC_EINVAL);
	assert_int_equal(lc_score_enqueue(db, &admin, 2025, LC_SCORE_MAX_RUNS + 1, NULL, &job, &d),
	                 LC_EINVAL);
	/* A year that cannot be computed is refused before any job is made, and says why. */
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	job = 0;
	assert_int_equal(lc_score_enqueue(db, &admin, 2025, 10, NULL, &job, &d), LC_EINVAL);
	assert_int_equal(job, 0);
	assert_string_equal(d.items[0].code, "err_score_few_cities");
	json_t *j = NULL;
	assert_int_equal(lc_score_years(db, &j), 0);
	for (size_t k = 0; k < json_array_size(j); k++)
		assert_true(json_integer_value(json_object_get(json_array_get(j, k), "year")) !=
		            2025);
	json_decref(j);
	/* With data, the year is offered, and the job runs and references its run. */
	load_data(db);
	assert_int_equal(lc_score_years(db, &j), 0);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(j, 0), "year")), 2025);
	json_decref(j);
	assert_int_equal(lc_score_enqueue(db, &admin, 2025, 50, NULL, &job, &d), 0);
	assert_int_equal(lc_job_run_next(db, &lc_score_job_kind, 1), 1);
	assert_int_equal(lc_job_get(db, &admin, job, &j), 0);
	assert_string_equal(json_string_value(json_object_get(j, "state")), "done");
	json_t *r = json_object_get(j, "result");
	assert_string_equal(json_string_value(json_object_get(r, "type")), "index_run");
	assert_true(json_integer_value(json_object_get(r, "id")) > 0);
	json_decref(j);
	/* The coordinator may not read the admin's job. */
	assert_int_equal(lc_job_get(db, &coord, job, &j), LC_EPERM);
	/* The default spec fixes goalposts: a percentage 0..100 and a number from data. */
	assert_int_equal(lc_score_default_spec(db, &j), 0);
	json_t *lo = json_object_get(json_array_get(json_object_get(j, "steps"), 0), "lo");
	assert_true(json_real_value(json_object_get(lo, "1.1.1.a")) == 0);
	assert_non_null(json_object_get(lo, "1.1.1.b"));
	assert_non_null(json_object_get(j, "uncertain"));
	json_decref(j);

	/* A saved spec: minmax instead of goalposts, no uncertainty. */
	json_t *spec = json_loads("{\"steps\": [{\"op\": \"normalise\", \"method\": \"minmax\","
	                          " \"lo\": 0, \"hi\": 10}, {\"op\": \"aggregate\"}]}",
	                          0, NULL);
	assert_int_equal(lc_score_spec_save(db, &coord, "minmax", spec, &d), LC_EPERM);
	assert_int_equal(lc_score_spec_save(db, &admin, "minmax", spec, &d), 0);
	assert_int_equal(lc_score_spec_save(db, &admin, "minmax", spec, &d), LC_ECONFLICT);
	json_t *bad = json_pack("{s:i}", "steps", 1);
	assert_int_equal(lc_score_spec_save(db, &admin, "bad", bad, &d), LC_EINVAL);
	json_decref(bad);
	json_decref(spec);
	assert_int_equal(lc_score_enqueue(db, &admin, 2025, 0, "nosuch", &job, &d), LC_EINVAL);
	assert_int_equal(lc_score_enqueue(db, &admin, 2025, 0, "minmax", &job, &d), 0);
	assert_int_equal(lc_job_run_next(db, &lc_score_job_kind, 1), 1);
	assert_int_equal(lc_job_get(db, &admin, job, &j), 0);
	assert_string_equal(json_string_value(json_object_get(j, "state")), "done");
	run = json_integer_value(json_object_get(json_object_get(j, "result"), "id"));
	json_decref(j);
	/* minmax over Cork and Medellín: 1.1.1.a Cork 10, Medellín 0; 1.1.2.a Cork 0, Medellín 10.
	 */
	assert_int_equal(lc_score_matrix(db, run, &j), 0);
	json_t *cs = json_object_get(j, "cities");
	size_t li = json_array_size(json_object_get(j, "codes")) - 1;
	for (size_t i = 0; i < 2; i++)
		assert_true(fabs(json_real_value(json_array_get(
		                     json_object_get(json_array_get(cs, i), "scores"), li)) -
		                 5) < 1e-9);
	json_decref(j);
	lc_diag_cleanup(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_run_scores, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_errors_and_job, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
