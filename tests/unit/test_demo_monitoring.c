/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The demo's synthetic reporting cycle: every awardee city approved for 2022
 * and 2024 with a value for every numeric measurement, every value marked
 * synthetic, one synthetic index run per year with rank intervals, the same
 * numbers at every load, and a second load that adds nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "accounts_fixture.h"
#include "domain/monitoring/demo_monitoring.h"
#include "domain/monitoring/observation.h"
#include "domain/monitoring/score.h"

static double sum_scores(struct lc_db *db)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT total(score) FROM scores");
	assert_non_null(st);
	assert_int_equal(lc_db_step(db, st), 1);
	double v = sqlite3_column_double(st, 0);
	lc_db_release(db, st);
	return v;
}

static void test_cycle(void **state)
{
	struct lc_db *db = *state;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_demo_load_monitoring(db, &d), 0);
	assert_int_equal(lc_diag_total(&d), 0);
	long long awardees = fx_count(db, "SELECT count(DISTINCT city_id) FROM awards");
	long long numeric =
	    fx_count(db, "SELECT count(*) FROM framework_measurements WHERE type <> 'text'");
	assert_true(awardees >= 2);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM wf_items WHERE process = 'year_review'"
	                              " AND state = 'approved'"
	                              " AND year IN (2022, 2024)"),
	                 2 * awardees);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), 2 * awardees * numeric);
	assert_int_equal(
	    fx_count(db,
	             "SELECT count(*) FROM observations WHERE source <> '" LC_OBS_SYNTHETIC_SOURCE
	             "'"),
	    0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM index_runs WHERE synthetic = 1"
	                              " AND state = 'done' AND ua_runs = 200"),
	                 2);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM scores WHERE code = 'index'"
	                              " AND rank_q5 <= rank AND rank <= rank_q95"),
	                 2 * awardees);
	int64_t run = 0;
	assert_int_equal(lc_score_latest(db, 2024, &run), 0);
	double total = sum_scores(db);
	/* Idempotent. */
	assert_int_equal(lc_demo_load_monitoring(db, &d), 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM index_runs"), 2);
	assert_true(sum_scores(db) == total);
	lc_diag_cleanup(&d);
	*state = (void *)(intptr_t)0;
	lc_db_close(db);

	/* Deterministic: a fresh database gives the same scores. */
	assert_int_equal(fx_setup(state), 0);
	db = *state;
	lc_diag_init(&d);
	assert_int_equal(lc_demo_load_monitoring(db, &d), 0);
	assert_true(sum_scores(db) == total);
	lc_diag_cleanup(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_cycle, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
