/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Tests of base/buf.c, base/slice.c, base/arena.c and base/diag.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/slice.h"

static void test_append_and_limit(void **state)
{
	(void)state;
	struct lc_buf b;
	lc_buf_init(&b, 8);
	lc_buf_puts(&b, "abcd");
	lc_buf_printf(&b, "%d", 123);
	assert_string_equal(lc_buf_cstr(&b), "abcd123");
	assert_int_equal(lc_buf_error(&b), 0);
	lc_buf_puts(&b, "xy"); /* 9 > 8: fails, sticky */
	assert_int_equal(lc_buf_error(&b), LC_ELIMIT);
	lc_buf_puts(&b, "");
	assert_string_equal(lc_buf_cstr(&b), "abcd123");
	lc_buf_reset(&b);
	assert_int_equal(lc_buf_error(&b), 0);
	assert_string_equal(lc_buf_cstr(&b), "");
	lc_buf_cleanup(&b);
}

static void test_escapes(void **state)
{
	(void)state;
	struct lc_buf b;
	lc_buf_init(&b, 1 << 16);
	const char *x = "<a href=\"x\">'&'</a>";
	lc_buf_append_html(&b, x, strlen(x));
	assert_string_equal(lc_buf_cstr(&b),
	                    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	lc_buf_reset(&b);
	const char *j = "a\"b\\c\n\x01</script>";
	lc_buf_append_json(&b, j, strlen(j));
	assert_string_equal(lc_buf_cstr(&b), "a\\\"b\\\\c\\n\\u0001\\u003c/script\\u003e");
	lc_buf_reset(&b);
	lc_buf_append_csv(&b, "plain", 5);
	lc_buf_putc(&b, ',');
	lc_buf_append_csv(&b, "a,\"b\"", 5);
	lc_buf_putc(&b, ',');
	lc_buf_append_csv(&b, "=1+1", 4);
	assert_string_equal(lc_buf_cstr(&b), "plain,\"a,\"\"b\"\"\",\"'=1+1\"");
	lc_buf_reset(&b);
	lc_buf_append_url(&b, "São Paulo/x", strlen("São Paulo/x"));
	assert_string_equal(lc_buf_cstr(&b), "S%C3%A3o%20Paulo%2Fx");
	lc_buf_reset(&b);
	lc_buf_put_double(&b, 0.71);
	assert_string_equal(lc_buf_cstr(&b), "0.70999999999999996");
	lc_buf_cleanup(&b);
}

static void test_slices(void **state)
{
	(void)state;
	struct lc_slice head;
	struct lc_slice rest = lc_slice_cut(lc_slice_cstr("key=value"), '=', &head);
	assert_true(lc_slice_eq(head, "key"));
	assert_true(lc_slice_eq(rest, "value"));
	rest = lc_slice_cut(lc_slice_cstr("novalue"), '=', &head);
	assert_null(rest.ptr);
	assert_true(lc_slice_eq(lc_slice_trim(lc_slice_cstr("  x \n")), "x"));
	assert_true(lc_slice_eq_nocase(lc_slice_cstr("GeT"), "get"));
	long v;
	assert_int_equal(lc_slice_to_long(lc_slice_cstr("42"), 1, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(lc_slice_to_long(lc_slice_cstr("101"), 1, 100, &v), LC_EINVAL);
	assert_int_equal(lc_slice_to_long(lc_slice_cstr("4x"), 1, 100, &v), LC_EINVAL);
	assert_int_equal(lc_slice_to_long(lc_slice_cstr(""), 1, 100, &v), LC_EINVAL);
	/* Past LONG_MAX is refused, not wrapped (UBSan traps the overflow). */
	assert_int_equal(lc_slice_to_long(lc_slice_cstr("9999999999999999999"), 0, LONG_MAX, &v),
	                 LC_EINVAL);
	assert_int_equal(lc_slice_to_long(lc_slice_cstr("9223372036854775807"), 0, LONG_MAX, &v),
	                 0);
	assert_true(v == LONG_MAX);
	assert_int_equal(lc_slice_to_long(lc_slice_cstr("-"), -5, 100, &v), LC_EINVAL);
	double d;
	assert_int_equal(lc_slice_to_double(lc_slice_cstr("1e3"), &d), 0);
	assert_true(d == 1000.0);
	assert_int_equal(lc_slice_to_double(lc_slice_cstr("inf"), &d), LC_EINVAL);
	assert_int_equal(lc_slice_to_double(lc_slice_cstr(" 1"), &d), LC_EINVAL);
}

static void test_str_index(void **state)
{
	(void)state;
	static const char *const names[] = {"draft", "submitted", NULL, "approved"};
	assert_int_equal(lc_str_index(names, 4, "draft"), 0);
	assert_int_equal(lc_str_index(names, 4, "approved"), 3);
	assert_int_equal(lc_str_index(names, 4, "Draft"), -1);
	assert_int_equal(lc_str_index(names, 4, ""), -1);
	assert_int_equal(lc_str_index(names, 4, NULL), -1);
	assert_int_equal(lc_str_index(names, 1, "submitted"), -1);
}

static void test_arena(void **state)
{
	(void)state;
	struct lc_arena *a = lc_arena_new();
	for (int i = 0; i < 2000; i++) {
		char *s = lc_arena_printf(a, "item %d", i);
		assert_string_equal(s, lc_arena_printf(a, "item %d", i));
	}
	char *big = lc_arena_alloc(a, 1 << 20);
	memset(big, 1, 1 << 20);
	lc_arena_reset(a);
	assert_string_equal(lc_arena_strndup(a, "abcdef", 3), "abc");
	lc_arena_free(a);
	lc_arena_free(NULL);
}

static void test_diag(void **state)
{
	(void)state;
	struct lc_diag d;
	lc_diag_init(&d);
	d.max = 2;
	lc_diag_add(&d, "data.csv", 3, 4, "Population", "not a number: '%s'", "abc");
	lc_diag_add(&d, NULL, 0, 0, "email", "is required");
	lc_diag_add(&d, NULL, 0, 0, NULL, "dropped");
	assert_int_equal(lc_diag_total(&d), 3);
	struct lc_buf b;
	lc_buf_init(&b, 4096);
	lc_diag_format(&d, &b);
	assert_string_equal(lc_buf_cstr(&b), "data.csv:3:4: Population: not a number: 'abc'\n"
	                                     "email: is required\n... and 1 more problems\n");
	lc_buf_cleanup(&b);
	lc_diag_cleanup(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_append_and_limit),
	    cmocka_unit_test(test_escapes),
	    cmocka_unit_test(test_slices),
	    cmocka_unit_test(test_str_index),
	    cmocka_unit_test(test_arena),
	    cmocka_unit_test(test_diag),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
