/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Tests of formats/csv.c: cells, quoting, line numbers, ragged rows, limits, NA and numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "formats/csv.h"

static int parse(struct lc_csv *c, struct lc_diag *d, const char *text)
{
	lc_csv_init(c);
	lc_diag_init(d);
	return lc_csv_parse(c, text, strlen(text), "f.csv", d);
}

static void test_cells(void **state)
{
	(void)state;
	struct lc_csv c;
	struct lc_diag d;
	const char *text = "\xEF\xBB\xBF"
	                   "uCode,\"Name, long\",x\r\n"
	                   "AUT, Austria ,1.5\r\n"
	                   "\n"
	                   "BEL,\"Bel\ngium \"\"B\"\"\",NA\n"
	                   "CHE,,\n";
	assert_int_equal(parse(&c, &d, text), 0);
	assert_int_equal(c.n_rows, 4);
	assert_int_equal(c.n_cols, 3);
	assert_string_equal(lc_csv_cstr(&c, 0, 0), "uCode"); /* BOM skipped */
	assert_string_equal(lc_csv_cstr(&c, 0, 1), "Name, long");
	assert_string_equal(lc_csv_cstr(&c, 1, 1), "Austria"); /* trimmed */
	assert_string_equal(lc_csv_cstr(&c, 2, 1), "Bel\ngium \"B\"");
	assert_int_equal(lc_csv_cell(&c, 3, 1).len, 0);
	/* Lines: the blank line 3 is skipped; BEL starts on line 4 and spans two. */
	assert_int_equal(c.line[0], 1);
	assert_int_equal(c.line[1], 2);
	assert_int_equal(c.line[2], 4);
	assert_int_equal(c.line[3], 6);
	assert_int_equal(lc_csv_find_col(&c, "x"), 2);
	assert_int_equal(lc_csv_find_col(&c, "y"), -1);
	double v;
	assert_int_equal(lc_csv_number(lc_csv_cell(&c, 1, 2), &v), 0);
	assert_true(v == 1.5);
	assert_int_equal(lc_csv_number(lc_csv_cell(&c, 2, 2), &v), 0);
	assert_true(isnan(v));
	assert_int_equal(lc_csv_number(lc_csv_cell(&c, 3, 2), &v), 0);
	assert_true(isnan(v));
	assert_int_equal(lc_csv_number(lc_csv_cell(&c, 1, 1), &v), LC_EINVAL);
	assert_true(lc_csv_is_na(lc_slice_cstr(" NA ")));
	assert_false(lc_csv_is_na(lc_slice_cstr("na")));
	lc_csv_cleanup(&c);
	lc_diag_cleanup(&d);
}

static void test_ragged(void **state)
{
	(void)state;
	struct lc_csv c;
	struct lc_diag d;
	assert_int_equal(parse(&c, &d, "a,b,c\n1,2,3\n1,2\n1,2,3,4\n"), LC_EINVAL);
	assert_int_equal(d.count, 2);
	assert_string_equal(d.items[0].file, "f.csv");
	assert_int_equal(d.items[0].line, 3);
	assert_int_equal(d.items[0].column, 3);
	assert_string_equal(d.items[0].message, "2 fields where the header has 3");
	assert_int_equal(d.items[1].line, 4);
	assert_int_equal(d.items[1].column, 4);
	assert_int_equal(c.n_rows, 0);
	lc_csv_cleanup(&c);
	lc_diag_cleanup(&d);
}

static void test_malformed(void **state)
{
	(void)state;
	struct lc_csv c;
	struct lc_diag d;
	assert_int_equal(parse(&c, &d, "a,b\n1,\"x\"y\n"), LC_EINVAL);
	assert_int_equal(d.items[0].line, 2);
	lc_csv_cleanup(&c);
	lc_diag_cleanup(&d);
	assert_int_equal(parse(&c, &d, "a,b\n1,\"open\n"), LC_EINVAL);
	lc_csv_cleanup(&c);
	lc_diag_cleanup(&d);
	assert_int_equal(parse(&c, &d, ""), LC_EINVAL);
	assert_string_equal(d.items[0].message, "empty file: a header row is needed");
	lc_csv_cleanup(&c);
	lc_diag_cleanup(&d);
	/* No final newline is fine. */
	assert_int_equal(parse(&c, &d, "a,b\n1,2"), 0);
	assert_int_equal(c.n_rows, 2);
	lc_csv_cleanup(&c);
	lc_diag_cleanup(&d);
}

static void test_field_limit(void **state)
{
	(void)state;
	size_t n = LC_LIMIT_CSV_FIELD + 10;
	char *big = lc_xmalloc(n + 8);
	memcpy(big, "a\n", 2);
	memset(big + 2, 'x', n);
	big[n + 2] = '\n';
	big[n + 3] = '\0';
	struct lc_csv c;
	struct lc_diag d;
	assert_int_equal(parse(&c, &d, big), LC_ELIMIT);
	assert_int_equal(d.items[0].line, 2);
	lc_csv_cleanup(&c);
	lc_diag_cleanup(&d);
	lc_free(big);
}

static void test_missing_file(void **state)
{
	(void)state;
	struct lc_csv c;
	struct lc_diag d;
	lc_csv_init(&c);
	lc_diag_init(&d);
	assert_int_equal(lc_csv_read_file(&c, "/nonexistent/x.csv", &d), LC_EIO);
	assert_int_equal(d.count, 1);
	lc_csv_cleanup(&c);
	lc_diag_cleanup(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cells),        cmocka_unit_test(test_ragged),
	    cmocka_unit_test(test_malformed),    cmocka_unit_test(test_field_limit),
	    cmocka_unit_test(test_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
