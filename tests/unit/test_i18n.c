/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Tests of web/i18n.c: loading, fallback to English, negotiation, direction, the embedded set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/catalogue.h"
#include "base/diag.h"
#include "base/error.h"
#include "web/i18n.h"

#define SRC(lang, text)                                                                            \
	{                                                                                          \
		lang, text, sizeof(text) - 1                                                       \
	}

static struct lc_catalogue *load(void)
{
	static const struct lc_catalogue_source src[] = {
	    SRC("fr", "{\"hello\":\"Bonjour\",\"only_fr\":\"x\"}"),
	    SRC("en", "{\"hello\":\"Hello\",\"bye\":\"Goodbye\"}"),
	    SRC("ar", "{\"hello\":\"\u0645\u0631\u062d\u0628\u0627\"}"),
	    SRC("pt-br", "{}"),
	};
	struct lc_catalogue *i;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_catalogue_new(src, 4, &i, &d), 0);
	assert_int_equal(d.count, 0);
	lc_diag_cleanup(&d);
	return i;
}

static void test_load_and_fallback(void **state)
{
	(void)state;
	struct lc_catalogue *i = load();
	assert_int_equal(lc_catalogue_count(i), 4);
	assert_string_equal(lc_catalogue_lang(i, 0), "en");
	assert_string_equal(lc_catalogue_lang(i, 1), "ar");
	assert_string_equal(lc_catalogue_lang(i, 2), "fr");
	assert_string_equal(lc_catalogue_lang(i, 3), "pt-br");
	assert_null(lc_catalogue_lang(i, 4));
	assert_string_equal(lc_catalogue_get(i, "fr", "hello"), "Bonjour");
	assert_string_equal(lc_catalogue_get(i, "fr", "bye"), "Goodbye");     /* from English */
	assert_string_equal(lc_catalogue_get(i, "en", "only_fr"), "only_fr"); /* the key itself */
	assert_string_equal(lc_catalogue_get(i, "zz", "hello"), "Hello");
	const json_t *fr = lc_catalogue_strings(i, "fr");
	assert_string_equal(json_string_value(json_object_get(fr, "bye")), "Goodbye");
	assert_string_equal(lc_catalogue_supported(i, lc_slice_cstr("FR")), "fr");
	assert_string_equal(lc_catalogue_supported(i, lc_slice_cstr("pt-BR")), "pt-br");
	assert_null(lc_catalogue_supported(i, lc_slice_cstr("de")));
	assert_null(lc_catalogue_supported(i, lc_slice_make(NULL, 0)));
	lc_catalogue_free(i);
}

static void test_dir(void **state)
{
	(void)state;
	assert_string_equal(lc_catalogue_dir("ar"), "rtl");
	assert_string_equal(lc_catalogue_dir("he"), "rtl");
	assert_string_equal(lc_catalogue_dir("fa"), "rtl");
	assert_string_equal(lc_catalogue_dir("ur-PK"), "rtl");
	assert_string_equal(lc_catalogue_dir("en"), "ltr");
	assert_string_equal(lc_catalogue_dir("fr"), "ltr");
	assert_string_equal(lc_catalogue_dir("arn"), "ltr");
	assert_string_equal(lc_catalogue_dir(NULL), "ltr");
}

static const char *neg(struct lc_catalogue *i, const char *q, const char *c, const char *al,
                       bool *fq)
{
	return lc_i18n_negotiate(i, lc_slice_cstr(q), lc_slice_cstr(c), lc_slice_cstr(al), fq);
}

static void test_negotiate(void **state)
{
	(void)state;
	struct lc_catalogue *i = load();
	bool fq;
	assert_string_equal(neg(i, "fr", "ar", "en", &fq), "fr");
	assert_true(fq);
	assert_string_equal(neg(i, "de", "ar", "fr", &fq), "ar");
	assert_false(fq);
	assert_string_equal(neg(i, NULL, "xx", "de;q=1, fr;q=0.5, en;q=0.4", &fq), "fr");
	assert_string_equal(neg(i, NULL, NULL, "pt-BR,pt;q=0.9", &fq), "pt-br");
	assert_string_equal(neg(i, NULL, NULL, "de", &fq), "en");
	assert_string_equal(neg(i, NULL, NULL, NULL, &fq), "en");
	assert_string_equal(lc_i18n_negotiate(NULL, lc_slice_cstr("fr"), lc_slice_cstr(NULL),
	                                      lc_slice_cstr(NULL), &fq),
	                    "en");
	lc_catalogue_free(i);
}

static void expect_bad(const struct lc_catalogue_source *src, size_t n, const char *what)
{
	struct lc_catalogue *i = (struct lc_catalogue *)1;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_catalogue_new(src, n, &i, &d), LC_EINVAL);
	assert_null(i);
	assert_true(d.count >= 1);
	if (!strstr(d.items[0].message, what))
		fail_msg("\"%s\" lacks \"%s\"", d.items[0].message, what);
	lc_diag_cleanup(&d);
}

static void test_bad(void **state)
{
	(void)state;
	const struct lc_catalogue_source no_en[] = {SRC("fr", "{}")};
	const struct lc_catalogue_source bad_json[] = {SRC("en", "{\"a\":")};
	const struct lc_catalogue_source not_obj[] = {SRC("en", "[]")};
	const struct lc_catalogue_source not_str[] = {SRC("en", "{\"a\":1}")};
	const struct lc_catalogue_source bad_key[] = {SRC("en", "{\"a.b\":\"x\"}")};
	const struct lc_catalogue_source bad_code[] = {SRC("EN", "{}")};
	const struct lc_catalogue_source twice[] = {SRC("en", "{}"), SRC("en", "{}")};
	const struct lc_catalogue_source dup_key[] = {SRC("en", "{\"a\":\"1\",\"a\":\"2\"}")};
	expect_bad(no_en, 1, "English");
	expect_bad(bad_json, 1, "");
	expect_bad(not_obj, 1, "object");
	expect_bad(not_str, 1, "strings");
	expect_bad(bad_key, 1, "keys");
	expect_bad(bad_code, 1, "language code");
	expect_bad(twice, 2, "twice");
	expect_bad(dup_key, 1, "");
}

static void test_embedded(void **state)
{
	(void)state;
	/* The committed catalogues load, English first, every one complete after fallback. */
	struct lc_catalogue *i;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_catalogue_new_embedded(&i, &d), 0);
	assert_string_equal(lc_catalogue_lang(i, 0), "en");
	const json_t *en = lc_catalogue_strings(i, "en");
	for (size_t k = 1; k < lc_catalogue_count(i); k++)
		assert_true(json_object_size(lc_catalogue_strings(i, lc_catalogue_lang(i, k))) >=
		            json_object_size(en));
	lc_diag_cleanup(&d);
	lc_catalogue_free(i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_load_and_fallback), cmocka_unit_test(test_dir),
	    cmocka_unit_test(test_negotiate),         cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_embedded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
