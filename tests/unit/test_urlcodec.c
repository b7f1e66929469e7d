/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Tests of web/urlcodec.c: percent-decoding, query and form splitting, cookies, Accept-Language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/limits.h"
#include "web/urlcodec.h"

static int dec(struct lc_arena *a, const char *in, bool plus, struct lc_slice *out)
{
	return lc_urlcodec_decode(a, lc_slice_cstr(in), plus, out);
}

static void test_decode(void **state)
{
	(void)state;
	struct lc_arena *a = lc_arena_new();
	struct lc_slice d;
	assert_int_equal(dec(a, "S%C3%A3o+Paulo%2Fx", true, &d), 0);
	assert_string_equal(d.ptr, "São Paulo/x");
	assert_int_equal(d.len, strlen("São Paulo/x"));
	assert_int_equal(dec(a, "a+b", false, &d), 0);
	assert_string_equal(d.ptr, "a+b");
	assert_int_equal(dec(a, "%2b%2B", true, &d), 0);
	assert_string_equal(d.ptr, "++");
	assert_int_equal(dec(a, "", true, &d), 0);
	assert_int_equal(d.len, 0);
	assert_int_equal(dec(a, "line%0D%0Anext%09tab", true, &d), 0);
	assert_string_equal(d.ptr, "line\r\nnext\ttab");
	/* Malformed escapes, NUL, controls, invalid UTF-8. */
	assert_int_equal(dec(a, "%", true, &d), LC_EINVAL);
	assert_int_equal(dec(a, "%4", true, &d), LC_EINVAL);
	assert_int_equal(dec(a, "%zz", true, &d), LC_EINVAL);
	assert_int_equal(dec(a, "a%00b", true, &d), LC_EINVAL);
	assert_int_equal(dec(a, "%01", true, &d), LC_EINVAL);
	assert_int_equal(dec(a, "%7F", true, &d), LC_EINVAL);
	assert_int_equal(dec(a, "%C3", true, &d), LC_EINVAL);
	assert_int_equal(dec(a, "%C0%AF", true, &d), LC_EINVAL);
	assert_int_equal(dec(a, "\xFF", true, &d), LC_EINVAL);
	/* Slices are not NUL-terminated: only len bytes are read. */
	assert_int_equal(lc_urlcodec_decode(a, lc_slice_make("ab%41zz", 5), true, &d), 0);
	assert_string_equal(d.ptr, "abA");
	assert_int_equal(lc_urlcodec_decode(a, lc_slice_make("ab%41", 4), true, &d), LC_EINVAL);
	lc_arena_free(a);
}

static void test_split_query(void **state)
{
	(void)state;
	struct lc_urlcodec_pair p[4];
	size_t n;
	assert_int_equal(lc_urlcodec_split_query(lc_slice_cstr("a=1&&b=&c&=d"), p, 4, &n), 0);
	assert_int_equal(n, 4);
	assert_true(lc_slice_eq(p[0].name, "a") && lc_slice_eq(p[0].value, "1"));
	assert_true(lc_slice_eq(p[1].name, "b") && p[1].value.len == 0 && p[1].value.ptr);
	assert_true(lc_slice_eq(p[2].name, "c") && p[2].value.ptr == NULL);
	assert_true(p[3].name.len == 0 && lc_slice_eq(p[3].value, "d"));
	assert_int_equal(lc_urlcodec_split_query(lc_slice_cstr("a=1&b=2&c=3&d=4&e=5"), p, 4, &n),
	                 LC_ELIMIT);
	assert_int_equal(n, 4);
	assert_int_equal(lc_urlcodec_split_query(lc_slice_cstr(""), p, 4, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(lc_urlcodec_split_query(lc_slice_make("x=1&y=2", 3), p, 4, &n), 0);
	assert_int_equal(n, 1);
}

static void test_cookies(void **state)
{
	(void)state;
	struct lc_urlcodec_pair p[8];
	size_t n;
	assert_int_equal(
	    lc_urlcodec_split_cookies(lc_slice_cstr(" sid=abc; lang=fr ;junk; =x; q=\"quoted\";e="),
	                              p, 8, &n),
	    0);
	assert_int_equal(n, 4);
	assert_true(lc_slice_eq(p[0].name, "sid") && lc_slice_eq(p[0].value, "abc"));
	assert_true(lc_slice_eq(p[1].name, "lang") && lc_slice_eq(p[1].value, "fr"));
	assert_true(lc_slice_eq(p[2].name, "q") && lc_slice_eq(p[2].value, "quoted"));
	assert_true(lc_slice_eq(p[3].name, "e") && p[3].value.len == 0);
	char big[LC_LIMIT_COOKIE_BYTES + 2];
	memset(big, 'a', sizeof big - 1);
	big[0] = 'x';
	big[1] = '=';
	big[sizeof big - 1] = '\0';
	assert_int_equal(lc_urlcodec_split_cookies(lc_slice_cstr(big), p, 8, &n), LC_ELIMIT);
	assert_int_equal(n, 0);
	assert_int_equal(lc_urlcodec_split_cookies(lc_slice_cstr("a=1;b=2;c=3"), p, 2, &n),
	                 LC_ELIMIT);
	assert_int_equal(n, 2);
}

static void test_accept_language(void **state)
{
	(void)state;
	struct lc_urlcodec_lang l[8];
	size_t n;
	lc_urlcodec_parse_accept_language(
	    lc_slice_cstr("de;q=0.5, fr-CA , en;q=0.8,*;q=0.1, xx;q=0, bad;q=2, 12;q=1, es;q=0.8"),
	    l, 8, &n);
	assert_int_equal(n, 5);
	assert_true(lc_slice_eq(l[0].tag, "fr-CA") && l[0].q == 1000);
	assert_true(lc_slice_eq(l[1].tag, "en") && l[1].q == 800);
	assert_true(lc_slice_eq(l[2].tag, "es") && l[2].q == 800); /* stable order */
	assert_true(lc_slice_eq(l[3].tag, "de") && l[3].q == 500);
	assert_true(lc_slice_eq(l[4].tag, "*") && l[4].q == 100);

	const char *sup[] = {"en", "fr", "pt-br"};
	assert_int_equal(lc_urlcodec_pick_language(lc_slice_cstr("fr-CA,en;q=0.5"), sup, 3), 1);
	assert_int_equal(lc_urlcodec_pick_language(lc_slice_cstr("de, EN-gb;q=0.9"), sup, 3), 0);
	assert_int_equal(lc_urlcodec_pick_language(lc_slice_cstr("pt-BR"), sup, 3), 2);
	assert_int_equal(lc_urlcodec_pick_language(lc_slice_cstr("de, *"), sup, 3), -1);
	assert_int_equal(lc_urlcodec_pick_language(lc_slice_cstr(""), sup, 3), -1);
	assert_int_equal(lc_urlcodec_pick_language(lc_slice_cstr("fr;q=0, en;q=0.1"), sup, 3), 0);
	assert_int_equal(lc_urlcodec_pick_language(lc_slice_cstr(";;;,,,=q"), sup, 3), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode),
	    cmocka_unit_test(test_split_query),
	    cmocka_unit_test(test_cookies),
	    cmocka_unit_test(test_accept_language),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
