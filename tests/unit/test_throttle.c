/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/accounts/throttle.c: the per-(account, address), per-address and
 * per-account windows, the wait computed from the oldest failure that
 * counts, case-insensitive account keys, the owner never locked out from
 * another address, clearing, and purging.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "base/limits.h"
#include "domain/accounts/throttle.h"
#include "accounts_fixture.h"

static void test_pair_window(void **state)
{
	struct lc_db *db = *state;
	long w = -1;
	const char *ip = "203.0.113.5";
	for (int i = 0; i < LC_LIMIT_THROTTLE_PAIR; i++) {
		assert_int_equal(lc_throttle_wait(db, "a@example.org", ip, &w), 0);
		assert_int_equal(w, 0);
		lc_clock_set_test(T0 + i * 10);
		assert_int_equal(
		    lc_throttle_fail(db, i % 2 ? "A@EXAMPLE.org" : "a@example.org", ip), 0);
	}
	/* Failures at T0, T0+10, ... T0+40: wait until the first leaves the window. */
	assert_int_equal(lc_throttle_wait(db, "a@example.org", ip, &w), 0);
	assert_int_equal(w, LC_LIMIT_THROTTLE_WINDOW_S - 40);
	/* Keyed by the normalised address: blanks around it and its case do not matter. */
	assert_int_equal(lc_throttle_wait(db, " \tA@Example.ORG ", ip, &w), 0);
	assert_int_equal(w, LC_LIMIT_THROTTLE_WINDOW_S - 40);
	assert_int_equal(lc_throttle_wait(db, "b@example.org", ip, &w), 0);
	assert_int_equal(w, 0);
	/* The owner, from another address, is not held back by someone else's guesses. */
	assert_int_equal(lc_throttle_wait(db, "a@example.org", "198.51.100.20", &w), 0);
	assert_int_equal(w, 0);
	assert_int_equal(lc_throttle_wait(db, "a@example.org", NULL, &w), 0);
	assert_int_equal(w, 0);
	lc_clock_set_test(T0 + LC_LIMIT_THROTTLE_WINDOW_S);
	assert_int_equal(lc_throttle_wait(db, "a@example.org", ip, &w), 0);
	assert_int_equal(w, 0);
	lc_clock_set_test(T0 + 50);
	assert_int_equal(lc_throttle_clear(db, "A@example.org", ip), 0);
	assert_int_equal(lc_throttle_wait(db, "a@example.org", ip, &w), 0);
	assert_int_equal(w, 0);
}

/* Many addresses guessing one account reach the ceiling; a reset's clear lifts it. */
static void test_account_ceiling(void **state)
{
	struct lc_db *db = *state;
	long w = -1;
	char ip[32];
	int spread = LC_LIMIT_THROTTLE_ACCOUNT / LC_LIMIT_THROTTLE_PAIR;
	for (int i = 0; i < spread; i++) {
		snprintf(ip, sizeof ip, "198.51.100.%d", i + 1);
		for (int k = 0; k < LC_LIMIT_THROTTLE_PAIR; k++)
			assert_int_equal(lc_throttle_fail(db, "a@example.org", ip), 0);
		assert_int_equal(lc_throttle_wait(db, "a@example.org", "192.0.2.200", &w), 0);
		assert_int_equal(w, i + 1 < spread ? 0 : LC_LIMIT_THROTTLE_WINDOW_S);
	}
	assert_int_equal(lc_throttle_clear(db, "a@example.org", NULL), 0);
	assert_int_equal(lc_throttle_wait(db, "a@example.org", "192.0.2.200", &w), 0);
	assert_int_equal(w, 0);
	assert_int_equal(lc_throttle_wait(db, "a@example.org", "198.51.100.1", &w), 0);
	assert_int_equal(w, 0);
	/* The addresses' own counts stay. */
	assert_int_equal(fx_count(db, "SELECT count(*) FROM login_failures"),
	                 spread * LC_LIMIT_THROTTLE_PAIR);
}

static void test_address_window(void **state)
{
	struct lc_db *db = *state;
	long w = -1;
	char email[64];
	/* Many accounts from one address: the address is throttled, not the accounts. */
	for (int i = 0; i < LC_LIMIT_THROTTLE_ADDR; i++) {
		snprintf(email, sizeof email, "user%d@example.org", i);
		assert_int_equal(lc_throttle_fail(db, email, "198.51.100.9"), 0);
	}
	assert_int_equal(lc_throttle_wait(db, "new@example.org", "198.51.100.9", &w), 0);
	assert_int_equal(w, LC_LIMIT_THROTTLE_WINDOW_S);
	assert_int_equal(lc_throttle_wait(db, "new@example.org", "198.51.100.10", &w), 0);
	assert_int_equal(w, 0);
	assert_int_equal(lc_throttle_wait(db, "new@example.org", "", &w), 0);
	assert_int_equal(w, 0);
	lc_clock_set_test(T0 + LC_LIMIT_THROTTLE_WINDOW_S + 1);
	assert_int_equal(lc_throttle_purge(db), 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM login_failures"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_pair_window, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_account_ceiling, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_address_window, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
