/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Tests of base/utf8.c: well-formed and ill-formed sequences of Unicode table 3-7. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/utf8.h"

#define VALID(s) lc_utf8_valid(s, sizeof(s) - 1)

static void test_valid(void **state)
{
	(void)state;
	assert_true(VALID(""));
	assert_true(VALID("plain ascii"));
	assert_true(VALID("S\xC3\xA3o Paulo"));                 /* São */
	assert_true(VALID("\xE4\xB8\xAD\xE6\x96\x87"));         /* 中文 */
	assert_true(VALID("\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A")); /* عربي */
	assert_true(VALID("\xF0\x9F\x98\x80"));                 /* U+1F600 */
	assert_true(VALID("\xF4\x8F\xBF\xBF"));                 /* U+10FFFF */
	assert_true(VALID("\xEF\xBF\xBD"));                     /* U+FFFD */
}

static void test_invalid(void **state)
{
	(void)state;
	assert_false(VALID("\x80"));             /* lone continuation */
	assert_false(VALID("\xC3"));             /* truncated */
	assert_false(VALID("\xC0\xAF"));         /* overlong '/' */
	assert_false(VALID("\xC1\xBF"));         /* overlong */
	assert_false(VALID("\xE0\x80\xAF"));     /* overlong 3-byte */
	assert_false(VALID("\xED\xA0\x80"));     /* surrogate D800 */
	assert_false(VALID("\xF0\x80\x80\xAF")); /* overlong 4-byte */
	assert_false(VALID("\xF4\x90\x80\x80")); /* above U+10FFFF */
	assert_false(VALID("\xF5\x80\x80\x80"));
	assert_false(VALID("\xFF"));
	assert_false(VALID("ok\xE4\xB8"));   /* truncated at the end */
	assert_false(VALID("\xE4\x41\xAD")); /* bad continuation */
}

static void test_decode_encode(void **state)
{
	(void)state;
	uint32_t cp;
	assert_int_equal(lc_utf8_decode("\xC3\xA3", 2, &cp), 2);
	assert_int_equal(cp, 0xE3);
	assert_int_equal(lc_utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(lc_utf8_decode("\xF0\x9F\x98", 3, &cp), 0);
	assert_int_equal(lc_utf8_decode("", 0, &cp), 0);
	char out[4];
	for (uint32_t c = 0; c <= 0x10FFFF; c += 0x101) {
		size_t n = lc_utf8_encode(c, out);
		if (c >= 0xD800 && c <= 0xDFFF) {
			assert_int_equal(n, 0);
			continue;
		}
		assert_true(n > 0);
		assert_int_equal(lc_utf8_decode(out, n, &cp), n);
		assert_int_equal(cp, c);
	}
	assert_int_equal(lc_utf8_encode(0x110000, out), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid),
	    cmocka_unit_test(test_invalid),
	    cmocka_unit_test(test_decode_encode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
