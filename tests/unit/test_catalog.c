/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The interface's languages stay complete: every catalogue has the same keys
 * as English, and every {{t.key}} a template uses exists. A page can then
 * never show a raw key in any language.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/embedded.h"

static json_t *load(const char *name)
{
	const struct lc_embedded_file *f = lc_embedded_find(name);
	assert_non_null(f);
	json_error_t e;
	json_t *v = json_loadb((const char *)f->data, f->len, 0, &e);
	if (!v)
		fail_msg("%s:%d: %s", name, e.line, e.text);
	assert_true(json_is_object(v));
	return v;
}

static void test_catalogues_have_the_same_keys(void **state)
{
	(void)state;
	json_t *en = load("i18n/en.json");
	size_t langs = 0;
	for (size_t i = 0; i < lc_embedded_count; i++) {
		const char *name = lc_embedded_files[i].name;
		/* languages.json is the list of languages, not a catalogue. */
		if (strncmp(name, "i18n/", 5) != 0 || strcmp(name, "i18n/languages.json") == 0)
			continue;
		langs++;
		json_t *other = load(name);
		const char *key;
		json_t *v;
		json_object_foreach(en, key, v)
		{
			if (!json_is_string(json_object_get(other, key)))
				fail_msg("%s lacks key %s", name, key);
		}
		json_object_foreach(other, key, v)
		{
			if (!json_object_get(en, key))
				fail_msg("%s has key %s that English lacks", name, key);
		}
		json_decref(other);
	}
	assert_true(langs >= 2);
	json_decref(en);
}

static void test_templates_use_known_keys(void **state)
{
	(void)state;
	json_t *en = load("i18n/en.json");
	size_t templates = 0, uses = 0;
	for (size_t i = 0; i < lc_embedded_count; i++) {
		const struct lc_embedded_file *f = &lc_embedded_files[i];
		if (strncmp(f->name, "templates/", 10) != 0)
			continue;
		templates++;
		const char *s = (const char *)f->data, *end = s + f->len;
		for (const char *p = s; (p = strstr(p, "{{t.")) != NULL && p < end; p += 4) {
			const char *k = p + 4, *close = strstr(k, "}}");
			assert_non_null(close);
			char key[128];
			size_t n = (size_t)(close - k);
			assert_true(n < sizeof key);
			memcpy(key, k, n);
			key[n] = '\0';
			if (!json_object_get(en, key))
				fail_msg("%s uses {{t.%s}}, which the catalogue lacks", f->name,
				         key);
			uses++;
		}
	}
	assert_true(templates >= 5);
	assert_true(uses > 50);
	json_decref(en);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_catalogues_have_the_same_keys),
	    cmocka_unit_test(test_templates_use_known_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
