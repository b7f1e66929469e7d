/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/accounts/onetime.c: a token works once, expires, is bound to its
 * purpose, and a newer token voids the older one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/accounts/onetime.h"
#include "accounts_fixture.h"

static void test_single_use_and_expiry(void **state)
{
	struct lc_db *db = *state;
	int64_t me = fx_id(db, DEMO_NOROLE), got = 0;
	char a[LC_ONETIME_CHARS + 1], b[LC_ONETIME_CHARS + 1];
	assert_int_equal(lc_onetime_create(db, me, LC_ONETIME_RESET, 3600, a), 0);
	assert_int_equal(strlen(a), LC_ONETIME_CHARS);
	assert_int_equal(lc_onetime_peek(db, a, LC_ONETIME_RESET, &got), 0);
	assert_int_equal(got, me);
	assert_int_equal(lc_onetime_peek(db, a, LC_ONETIME_INVITE, &got), LC_EAUTH);
	assert_int_equal(lc_onetime_consume(db, a, LC_ONETIME_RESET, &got), 0);
	assert_int_equal(got, me);
	assert_int_equal(lc_onetime_consume(db, a, LC_ONETIME_RESET, &got), LC_EAUTH);
	assert_int_equal(got, 0);

	/* Expiry. */
	assert_int_equal(lc_onetime_create(db, me, LC_ONETIME_INVITE, 60, b), 0);
	lc_clock_set_test(T0 + 60);
	assert_int_equal(lc_onetime_peek(db, b, LC_ONETIME_INVITE, &got), LC_EAUTH);
	assert_int_equal(lc_onetime_consume(db, b, LC_ONETIME_INVITE, &got), LC_EAUTH);
	lc_clock_set_test(T0);

	/* A new token voids the previous one of the same purpose. */
	assert_int_equal(lc_onetime_create(db, me, LC_ONETIME_RESET, 3600, a), 0);
	assert_int_equal(lc_onetime_create(db, me, LC_ONETIME_RESET, 3600, b), 0);
	assert_int_equal(lc_onetime_peek(db, a, LC_ONETIME_RESET, &got), LC_EAUTH);
	assert_int_equal(lc_onetime_peek(db, b, LC_ONETIME_RESET, &got), 0);
	assert_int_equal(lc_onetime_void(db, me), 0);
	assert_int_equal(lc_onetime_peek(db, b, LC_ONETIME_RESET, &got), LC_EAUTH);

	assert_int_equal(lc_onetime_create(db, me, LC_ONETIME_RESET, 0, a), LC_EINVAL);
	assert_int_equal(lc_onetime_peek(db, "", LC_ONETIME_RESET, &got), LC_EAUTH);
	assert_int_equal(lc_onetime_peek(db, NULL, LC_ONETIME_RESET, &got), LC_EAUTH);
	assert_int_equal(lc_onetime_peek(db, "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
	                                 LC_ONETIME_RESET, &got),
	                 LC_EAUTH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_single_use_and_expiry, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
