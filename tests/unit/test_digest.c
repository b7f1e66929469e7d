/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The weekly summary of what waits on a person (domain/home/digest.c): only
 * for people who chose it, once a week, only when something waits, in the
 * person's language, with states in words and deadlines as days.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "accounts_fixture.h"
#include "domain/home/digest.h"
#include "domain/monitoring/observation.h"
#include "domain/monitoring/year_review.h"
#include "domain/platform/clock.h"
#include "domain/workflow/inbox.h"
#include "domain/workflow/processes.h"

#define WEEK (7 * 86400)

static long long digests(struct lc_db *db, const char *to)
{
	char sql[256];
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM outbox WHERE kind = 'digest' AND to_addr = '%s'", to);
	return fx_count(db, sql);
}

static void test_weekly(void **state)
{
	struct lc_db *db = *state;
	size_t np;
	const struct lc_wf_process *const *procs = lc_processes(&np);
	struct lc_actor admin, coord;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	/* Cork submits its 2025 data: the year now waits on the secretariat. */
	struct lc_obs_row r = {.city = lc_slice_cstr("cork"),
	                       .measurement = lc_slice_cstr("1.1.1.a"),
	                       .year = lc_slice_cstr("2025"),
	                       .value = lc_slice_cstr("80"),
	                       .line = 1};
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_obs_put(db, &coord, &r, 1, &d, NULL), 0);
	assert_int_equal(lc_year_review_submit(db, &coord, "cork", 2025, &d), 0);
	lc_diag_cleanup(&d);
	json_t *inbox = NULL;
	assert_int_equal(lc_inbox_list(db, &admin, procs, np, 5, &inbox), 0);
	long long waiting = json_integer_value(json_object_get(inbox, "total"));
	json_decref(inbox);
	assert_true(waiting > 0);
	int64_t now = lc_clock_now();
	long sent = -1;
	assert_int_equal(lc_digest_tick(db, procs, np, now, &sent), 0);
	assert_int_equal(sent, 0);

	bool weekly = true;
	assert_int_equal(lc_digest_get(db, &admin, &weekly), 0);
	assert_false(weekly);
	assert_int_equal(lc_digest_set(db, &admin, true), 0);
	assert_int_equal(lc_digest_get(db, &admin, &weekly), 0);
	assert_true(weekly);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit WHERE action = 'account.digest'"),
	                 1);

	assert_int_equal(lc_digest_tick(db, procs, np, now, &sent), 0);
	assert_int_equal(sent, 1);
	assert_int_equal(digests(db, DEMO_ADMIN), 1);
	/* Its cases are said in words, with the count in the subject. */
	char sql[200];
	snprintf(
	    sql, sizeof sql,
	    "SELECT count(*) FROM outbox WHERE kind = 'digest' AND subject LIKE '%lld case(s)%%'"
	    " AND instr(body, 'weekly summary') > 0 AND instr(body, '/home') > 0",
	    waiting);
	assert_int_equal(fx_count(db, sql), 1);
	/* Not again within the week; again a week later. */
	assert_int_equal(lc_digest_tick(db, procs, np, now + WEEK - 1, &sent), 0);
	assert_int_equal(sent, 0);
	assert_int_equal(lc_digest_tick(db, procs, np, now + WEEK, &sent), 0);
	assert_int_equal(sent, 1);
	assert_int_equal(digests(db, DEMO_ADMIN), 2);
	/* Turned off: nothing more. */
	assert_int_equal(lc_digest_set(db, &admin, false), 0);
	assert_int_equal(lc_digest_tick(db, procs, np, now + 3 * WEEK, &sent), 0);
	assert_int_equal(sent, 0);
}

/* Nothing waiting: no message, and the look is noted so it is not repeated every pass. */
static void test_nothing_waiting(void **state)
{
	struct lc_db *db = *state;
	size_t np;
	const struct lc_wf_process *const *procs = lc_processes(&np);
	struct lc_actor part, anon;
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	lc_actor_anonymous(&anon);
	bool weekly;
	assert_int_equal(lc_digest_set(db, &anon, true), LC_EAUTH);
	assert_int_equal(lc_digest_get(db, &anon, &weekly), LC_EAUTH);
	assert_int_equal(lc_digest_set(db, &part, true), 0);
	long sent = -1;
	int64_t now = lc_clock_now();
	assert_int_equal(lc_digest_tick(db, procs, np, now, &sent), 0);
	assert_int_equal(sent, 0);
	assert_int_equal(digests(db, DEMO_PART), 0);
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM account_digests WHERE last_at IS NOT NULL"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_weekly, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_nothing_waiting, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
