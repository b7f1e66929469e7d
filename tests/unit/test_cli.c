/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of cli/cli.c's option parsers: durations ("30m", "24h", "7d") read
 * strictly, bounds and overflow refused, and their shortest spelling.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>

#include "cli/cli.h"

static long parse(const char *v, long lo, long hi)
{
	long out = -1;
	int rc = lc_cli_opt_duration("test", "every", v, lo, hi, &out);
	return rc == 0 ? out : -rc;
}

static void test_duration_good(void **state)
{
	(void)state;
	assert_int_equal(parse("24h", 60, 366L * 86400), 86400);
	assert_int_equal(parse("30m", 60, 366L * 86400), 1800);
	assert_int_equal(parse("7d", 60, 366L * 86400), 7 * 86400);
	assert_int_equal(parse("90s", 60, 366L * 86400), 90);
	assert_int_equal(parse("1m", 60, 366L * 86400), 60);
	assert_int_equal(parse("366d", 60, 366L * 86400), 366L * 86400);
}

static void test_duration_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "",
	    "h",
	    "24",
	    "24H",
	    "+5m",
	    "-5m",
	    "5 m",
	    " 5m",
	    "5m ",
	    "5mm",
	    "1.5h",
	    "1h30m",
	    "0m",
	    "59s",
	    "367d",
	    "0x10m",
	    "5w",
	    "9999999999999999999d",
	    "9223372036854775807s",
	    "24hours",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (parse(bad[i], 60, 366L * 86400) != -LC_EXIT_USAGE)
			fail_msg("'%s' was read as a duration", bad[i]);
	assert_int_equal(parse(NULL, 60, 120), -LC_EXIT_USAGE);
}

static void test_duration_format(void **state)
{
	(void)state;
	char b[32];
	lc_cli_format_duration(60, b, sizeof b);
	assert_string_equal(b, "1m");
	lc_cli_format_duration(366L * 86400, b, sizeof b);
	assert_string_equal(b, "366d");
	lc_cli_format_duration(90, b, sizeof b);
	assert_string_equal(b, "90s");
	lc_cli_format_duration(7200, b, sizeof b);
	assert_string_equal(b, "2h");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_duration_good),
	    cmocka_unit_test(test_duration_bad),
	    cmocka_unit_test(test_duration_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
