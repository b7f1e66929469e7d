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
#include "base/limits.h"
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
	lc_diag_add_text(&d, "data.csv", 3, 4, "Population", "not a number: '%s'", "abc");
	lc_diag_addf(&d, NULL, 0, 0, "email", "err_csv_fields_where_header_has",
	             LC_ARG_I("fields", 3), LC_ARG_I("columns", 4));
	lc_diag_add(&d, NULL, 0, 0, NULL, "err_account_required");
	assert_int_equal(lc_diag_total(&d), 3);
	/* A text entry has no code; a coded one its code, arguments and English rendering. */
	assert_null(d.items[0].code);
	assert_string_equal(d.items[1].code, "err_csv_fields_where_header_has");
	assert_int_equal(d.items[1].nargs, 2);
	assert_string_equal(lc_diag_arg(&d.items[1], "columns"), "4");
	assert_true(d.items[1].args[1].number);
	assert_null(lc_diag_arg(&d.items[1], "row"));
	assert_true(lc_diag_has(&d, "err_csv_fields_where_header_has"));
	assert_false(lc_diag_has(&d, "err_account_required")); /* dropped: only counted */
	struct lc_buf b;
	lc_buf_init(&b, 4096);
	lc_diag_format(&d, &b);
	assert_string_equal(lc_buf_cstr(&b), "data.csv:3:4: Population: not a number: 'abc'\n"
	                                     "email: 3 fields where the header has 4\n"
	                                     "... and 1 more problems\n");
	lc_buf_cleanup(&b);
	lc_diag_cleanup(&d);
}

/* Placeholders: known names replaced, key arguments said through the lookup, the rest kept. */
static const char *shout(const void *ctx, const char *key)
{
	(void)ctx;
	return strcmp(key, "err_obs_status_approved") == 0 ? "IS APPROVED" : NULL;
}

static void test_diag_render(void **state)
{
	(void)state;
	struct lc_diag d;
	lc_diag_init(&d);
	char long_value[400];
	memset(long_value, 'x', sizeof long_value - 1);
	long_value[sizeof long_value - 1] = '\0';
	lc_diag_addf(&d, NULL, 0, 0, NULL, "err_obs_status", LC_ARG_S("city_slug", long_value),
	             LC_ARG_I("year", 2024), LC_ARG_K("why", "err_obs_status_approved"));
	const struct lc_diag_entry *e = &d.items[0];
	assert_int_equal(strlen(lc_diag_arg(e, "city_slug")), LC_LIMIT_DIAG_VALUE_BYTES);
	assert_true(e->args[2].key);
	struct lc_buf b;
	lc_buf_init(&b, 4096);
	lc_diag_render("{year} {why} {nothing} {year {} {", e, shout, NULL, &b);
	assert_string_equal(lc_buf_cstr(&b), "2024 IS APPROVED {nothing} {year {} {");
	lc_buf_reset(&b);
	lc_diag_render("{why}", e, NULL, NULL, &b);
	assert_string_equal(lc_buf_cstr(&b), "err_obs_status_approved");
	/* The English rendering says the key argument in English. */
	assert_non_null(strstr(e->message, " 2024 is approved: its values cannot change"));
	/* A copy keeps code, arguments and message. */
	struct lc_diag c;
	lc_diag_init(&c);
	lc_diag_append(&c, &d);
	assert_string_equal(c.items[0].code, "err_obs_status");
	assert_string_equal(c.items[0].message, e->message);
	assert_true(c.items[0].args[2].key);
	/* Under a part's name: fields are prefixed, codes and arguments kept. */
	lc_diag_add(&d, NULL, 0, 0, "path", "err_account_required");
	lc_diag_append_under(&c, &d, "uncertain[1].values[0]");
	assert_int_equal(c.count, 3);
	assert_string_equal(c.items[1].field, "uncertain[1].values[0]");
	assert_string_equal(c.items[1].code, "err_obs_status");
	assert_true(c.items[1].args[2].key);
	assert_string_equal(c.items[2].field, "uncertain[1].values[0]: path");
	assert_string_equal(c.items[2].code, "err_account_required");
	lc_diag_cleanup(&c);
	lc_buf_cleanup(&b);
	lc_diag_cleanup(&d);
	lc_diag_add(NULL, NULL, 0, 0, NULL, "err_account_required"); /* no list: nothing */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_append_and_limit),
	    cmocka_unit_test(test_diag_render),
	    cmocka_unit_test(test_escapes),
	    cmocka_unit_test(test_slices),
	    cmocka_unit_test(test_str_index),
	    cmocka_unit_test(test_arena),
	    cmocka_unit_test(test_diag),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
