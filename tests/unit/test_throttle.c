/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/throttle.c: the per-account and per-address windows, the
 * wait computed from the oldest failure that counts, case-insensitive
 * account keys, clearing, and purging.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "base/limits.h"
#include "domain/throttle.h"
#include "accounts_fixture.h"

static void test_account_window(void **state)
{
	struct lc_db *db = *state;
	long w = -1;
	for (int i = 0; i < LC_LIMIT_THROTTLE_ACCOUNT; i++) {
		assert_int_equal(lc_throttle_wait(db, "a@example.org", NULL, &w), 0);
		assert_int_equal(w, 0);
		lc_clock_set_test(T0 + i * 10);
		assert_int_equal(
		    lc_throttle_fail(db, i % 2 ? "A@EXAMPLE.org" : "a@example.org", NULL), 0);
	}
	/* Failures at T0, T0+10, ... T0+40: wait until the first leaves the window. */
	assert_int_equal(lc_throttle_wait(db, "a@example.org", NULL, &w), 0);
	assert_int_equal(w, LC_LIMIT_THROTTLE_WINDOW_S - 40);
	assert_int_equal(lc_throttle_wait(db, "b@example.org", NULL, &w), 0);
	assert_int_equal(w, 0);
	lc_clock_set_test(T0 + LC_LIMIT_THROTTLE_WINDOW_S);
	assert_int_equal(lc_throttle_wait(db, "a@example.org", NULL, &w), 0);
	assert_int_equal(w, 0);
	lc_clock_set_test(T0 + 50);
	assert_int_equal(lc_throttle_clear(db, "A@example.org"), 0);
	assert_int_equal(lc_throttle_wait(db, "a@example.org", NULL, &w), 0);
	assert_int_equal(w, 0);
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
	    cmocka_unit_test_setup_teardown(test_account_window, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_address_window, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
