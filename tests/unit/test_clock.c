/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The domain clock: the test hook and the UTC day and time texts every module shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/platform/clock.h"

static void test_texts(void **state)
{
	(void)state;
	char day[11], iso[21];
	lc_clock_date(0, day);
	assert_string_equal(day, "1970-01-01");
	lc_clock_iso(1790000000, iso); /* the accounts tests' fixed time */
	assert_string_equal(iso, "2026-09-21T14:13:20Z");
	lc_clock_date(1790000000, day);
	assert_string_equal(day, "2026-09-21");
	/* The last second of a leap day. */
	lc_clock_iso(951868799, iso);
	assert_string_equal(iso, "2000-02-29T23:59:59Z");
}

static void test_hook(void **state)
{
	(void)state;
	lc_clock_set_test(42);
	assert_int_equal(lc_clock_now(), 42);
	lc_clock_set_test(0);
	assert_true(lc_clock_now() > 1790000000 - 86400 * 365);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_texts),
	    cmocka_unit_test(test_hook),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
