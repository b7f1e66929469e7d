/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of base/catalogue.c and web/i18n.c: loading, fallback to English,
 * negotiation, direction and names, the embedded set, and the languages as
 * data (a new language is a catalogue and a row of i18n/languages.json).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/catalogue.h"
#include "base/diag.h"
#include "base/embedded.h"
#include "base/error.h"
#include "web/i18n.h"

#define SRC(lang, text)                                                                            \
	{                                                                                          \
		lang, text, sizeof(text) - 1, NULL, false                                          \
	}

static struct lc_catalogue *load(void)
{
	static const struct lc_catalogue_source src[] = {
	    SRC("fr", "{\"hello\":\"Bonjour\",\"only_fr\":\"x\"}"),
	    SRC("en", "{\"hello\":\"Hello\",\"bye\":\"Goodbye\"}"),
	    {"ar", "{\"hello\":\"\u0645\u0631\u062d\u0628\u0627\"}",
	     sizeof "{\"hello\":\"\u0645\u0631\u062d\u0628\u0627\"}" - 1,
	     "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", true},
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

static void test_dir_and_names(void **state)
{
	(void)state;
	struct lc_catalogue *i = load();
	/* The direction is the language's, given with it: no list of scripts in code. */
	assert_string_equal(lc_catalogue_dir(i, "ar"), "rtl");
	assert_string_equal(lc_catalogue_dir(i, "AR"), "rtl");
	assert_string_equal(lc_catalogue_dir(i, "en"), "ltr");
	assert_string_equal(lc_catalogue_dir(i, "fr"), "ltr");
	assert_string_equal(lc_catalogue_dir(i, "he"), "ltr"); /* not a language of the set */
	assert_string_equal(lc_catalogue_dir(i, NULL), "ltr");
	assert_string_equal(lc_catalogue_dir(NULL, "ar"), "ltr");
	assert_string_equal(lc_catalogue_name(i, "ar"),
	                    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629");
	assert_string_equal(lc_catalogue_name(i, "pt-br"), "pt-br"); /* given no name */
	assert_null(lc_catalogue_name(i, "de"));
	assert_null(lc_catalogue_name(NULL, "en"));
	struct lc_buf b;
	lc_buf_init(&b, 64);
	lc_catalogue_list_codes(i, &b);
	assert_string_equal(lc_buf_cstr(&b), "en, ar, fr, pt-br");
	lc_buf_cleanup(&b);
	lc_catalogue_free(i);
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
	const struct lc_catalogue_source no_name[] = {{"en", "{}", 2, "", false}};
	expect_bad(no_en, 1, "English");
	expect_bad(bad_json, 1, "");
	expect_bad(not_obj, 1, "object");
	expect_bad(not_str, 1, "strings");
	expect_bad(bad_key, 1, "keys");
	expect_bad(bad_code, 1, "language code");
	expect_bad(twice, 2, "twice");
	expect_bad(dup_key, 1, "");
	expect_bad(no_name, 1, "name");
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

/* The embedded file name, or a failure. */
static const struct lc_embedded_file *embedded(const char *name)
{
	const struct lc_embedded_file *f = lc_embedded_find(name);
	if (!f)
		fail_msg("%s is not embedded", name);
	return f;
}

/* The embedded i18n/languages.json with one more row, as text (free with free()). */
static char *languages_plus(const char *row)
{
	const struct lc_embedded_file *f = embedded("i18n/languages.json");
	json_t *rows = json_loadb((const char *)f->data, f->len, 0, NULL);
	assert_true(json_is_array(rows));
	assert_int_equal(json_array_append_new(rows, json_loads(row, 0, NULL)), 0);
	char *text = json_dumps(rows, 0);
	json_decref(rows);
	return text;
}

#define FILE_OF(n, text)                                                                           \
	((struct lc_embedded_file){(n), (const unsigned char *)(text), strlen(text)})

static void expect_bad_files(const struct lc_embedded_file *files, size_t n, const char *what)
{
	struct lc_catalogue *c = (struct lc_catalogue *)1;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_catalogue_new_files(files, n, &c, &d), LC_EINVAL);
	assert_null(c);
	assert_true(d.count >= 1);
	if (!strstr(d.items[0].message, what))
		fail_msg("\"%s\" lacks \"%s\"", d.items[0].message, what);
	lc_diag_cleanup(&d);
}

static void test_a_language_is_a_catalogue_and_a_row(void **state)
{
	(void)state;
	/* Spanish and Arabic added as a deployment would add them: the committed
	 * files, a row each in languages.json and a catalogue each. */
	char *rows = languages_plus("{\"code\": \"es\", \"name\": \"Español\", \"dir\": \"ltr\"}");
	json_t *all = json_loads(rows, 0, NULL);
	json_array_append_new(all, json_pack("{s:s,s:s,s:s}", "code", "ar", "name",
	                                     "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "dir",
	                                     "rtl"));
	char *rows2 = json_dumps(all, 0);
	json_decref(all);
	const struct lc_embedded_file files[] = {
	    *embedded("i18n/en.json"),
	    *embedded("i18n/fr.json"),
	    FILE_OF("i18n/languages.json", rows2),
	    FILE_OF("i18n/es.json", "{\"nav_cities\": \"Ciudades\"}"),
	    FILE_OF("i18n/ar.json", "{\"nav_cities\": \"\u0627\u0644\u0645\u062f\u0646\"}"),
	    FILE_OF("templates/home.mustache", "not a catalogue"),
	};
	struct lc_catalogue *c;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_catalogue_new_files(files, 6, &c, &d), 0);
	assert_int_equal(d.count, 0);
	assert_int_equal(lc_catalogue_count(c), 4);
	assert_string_equal(lc_catalogue_lang(c, 0), "en");
	assert_string_equal(lc_catalogue_supported(c, lc_slice_cstr("ES")), "es");
	assert_string_equal(lc_catalogue_name(c, "es"), "Español");
	assert_string_equal(lc_catalogue_name(c, "fr"), "Français");
	assert_string_equal(lc_catalogue_dir(c, "es"), "ltr");
	assert_string_equal(lc_catalogue_dir(c, "ar"), "rtl");
	assert_string_equal(lc_catalogue_get(c, "es", "nav_cities"), "Ciudades");
	/* What the Spanish catalogue lacks, English says. */
	assert_string_equal(lc_catalogue_get(c, "es", "nav_awards"),
	                    lc_catalogue_get(c, "en", "nav_awards"));
	bool fq;
	assert_string_equal(neg(c, NULL, NULL, "es-ES,es;q=0.9,en;q=0.5", &fq), "es");
	assert_string_equal(neg(c, "ar", NULL, NULL, &fq), "ar");
	lc_diag_cleanup(&d);
	lc_catalogue_free(c);

	/* A catalogue without its row, a row without its catalogue, a bad row. */
	const struct lc_embedded_file no_row[] = {
	    *embedded("i18n/en.json"), *embedded("i18n/fr.json"), *embedded("i18n/languages.json"),
	    FILE_OF("i18n/es.json", "{}")};
	expect_bad_files(no_row, 4, "no row");
	const struct lc_embedded_file no_catalogue[] = {*embedded("i18n/en.json"),
	                                                *embedded("i18n/fr.json"),
	                                                FILE_OF("i18n/languages.json", rows)};
	expect_bad_files(no_catalogue, 3, "no catalogue");
	const char *bad_rows[] = {
	    "[{\"code\": \"en\", \"name\": \"English\", \"dir\": \"up\"}]",
	    "[{\"code\": \"en\", \"name\": \"\", \"dir\": \"ltr\"}]",
	    "[{\"code\": \"EN\", \"name\": \"English\", \"dir\": \"ltr\"}]",
	    "[{\"code\": \"en\", \"name\": \"English\", \"dir\": \"ltr\", \"x\": 1}]",
	    "[{\"code\": \"en\", \"name\": \"English\"}]",
	    "[\"en\"]",
	};
	for (size_t k = 0; k < sizeof bad_rows / sizeof *bad_rows; k++) {
		const struct lc_embedded_file bad[] = {*embedded("i18n/en.json"),
		                                       FILE_OF("i18n/languages.json", bad_rows[k])};
		expect_bad_files(bad, 2, "a language is");
	}
	const struct lc_embedded_file not_list[] = {*embedded("i18n/en.json"),
	                                            FILE_OF("i18n/languages.json", "{}")};
	expect_bad_files(not_list, 2, "array");
	const struct lc_embedded_file no_list[] = {*embedded("i18n/en.json")};
	expect_bad_files(no_list, 1, "missing");
	const struct lc_embedded_file no_english[] = {
	    *embedded("i18n/fr.json"),
	    FILE_OF("i18n/languages.json",
	            "[{\"code\": \"fr\", \"name\": \"Français\", \"dir\": \"ltr\"}]")};
	expect_bad_files(no_english, 2, "English");
	free(rows);
	free(rows2);
}

static void test_the_committed_languages(void **state)
{
	(void)state;
	/* The shipped list: English and French, both left to right, named in themselves. */
	const struct lc_catalogue *c = lc_catalogue_shared();
	assert_non_null(c);
	assert_ptr_equal(lc_catalogue_shared(), c);
	assert_int_equal(lc_catalogue_count(c), 2);
	assert_string_equal(lc_catalogue_name(c, "en"), "English");
	assert_string_equal(lc_catalogue_name(c, "fr"), "Français");
	assert_string_equal(lc_catalogue_dir(c, "fr"), "ltr");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_load_and_fallback),
	    cmocka_unit_test(test_dir_and_names),
	    cmocka_unit_test(test_negotiate),
	    cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_embedded),
	    cmocka_unit_test(test_a_language_is_a_catalogue_and_a_row),
	    cmocka_unit_test(test_the_committed_languages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
