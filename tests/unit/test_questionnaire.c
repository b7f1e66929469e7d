/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The questionnaire as data: the embedded file passes its own checks; a
 * malformed one is refused with every problem; words are counted across
 * scripts and spaces; answers are normalised (trimmed, numbers in short
 * form, booleans as yes/no, null clears) or refused per question with a
 * sentence naming it; required answers are demanded at completion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "domain/workflow/questionnaire.h"

static void test_embedded(void **state)
{
	(void)state;
	json_t *q = NULL;
	assert_int_equal(lc_questionnaire_get(&q), 0);
	assert_string_equal(json_string_value(json_object_get(q, "provenance")), "provisional");
	const json_t *stat = lc_questionnaire_find(q, "stat_literacy");
	assert_non_null(stat);
	assert_string_equal(json_string_value(json_object_get(stat, "measurement")), "1.1.1.a");
	assert_null(lc_questionnaire_find(q, "nope"));
	assert_null(lc_questionnaire_find(q, NULL));
	/* Every question has a French label too. */
	size_t i, j;
	const json_t *s, *qu;
	json_array_foreach(json_object_get(q, "sections"), i, s)
	{
		assert_non_null(
		    json_string_value(json_object_get(json_object_get(s, "title"), "fr")));
		json_array_foreach(json_object_get(s, "questions"), j, qu)
		{
			assert_non_null(
			    json_string_value(json_object_get(json_object_get(qu, "label"), "fr")));
		}
	}
	json_decref(q);
}

static void test_malformed(void **state)
{
	(void)state;
	struct lc_diag d;
	lc_diag_init(&d);
	json_t *q = NULL;
	const char *bad = "{\"format\":\"learncity-questionnaire/1\",\"version\":\"x\","
	                  "\"sections\":[{\"id\":\"a\",\"title\":{\"en\":\"A\"},\"questions\":["
	                  "{\"id\":\"t\",\"type\":\"text\",\"label\":{\"en\":\"T\"}},"
	                  "{\"id\":\"t\",\"type\":\"colour\",\"label\":{\"en\":\"T\"}},"
	                  "{\"id\":\"c\",\"type\":\"choice\",\"label\":{\"en\":\"C\"}},"
	                  "{\"id\":\"s\",\"type\":\"statistic\",\"required\":true,"
	                  "\"label\":{\"en\":\"S\"}}]}]}";
	assert_int_equal(lc_questionnaire_parse(bad, strlen(bad), &q, &d), LC_EINVAL);
	assert_null(q);
	/* No max_words, a duplicate id, an unknown type, a choice without options, a
	 * statistic without measurement, a required statistic. */
	assert_int_equal(d.count, 6);
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(lc_questionnaire_parse("{", 1, &q, &d), LC_EINVAL);
	assert_int_equal(lc_questionnaire_parse("{\"format\":\"x\"}", 14, &q, &d), LC_EINVAL);
	lc_diag_cleanup(&d);
}

static void test_words(void **state)
{
	(void)state;
	assert_int_equal(lc_questionnaire_words("", 0), 0);
	assert_int_equal(lc_questionnaire_words("  one\ttwo\n three  ", 18), 3);
	/* A no-break space separates; accented letters and invalid bytes do not. */
	const char *s = "élan\xc2\xa0vital \xff\xfe";
	assert_int_equal(lc_questionnaire_words(s, strlen(s)), 3);
	/* An ideographic space separates too. */
	const char *cjk = "学习\xe3\x80\x80城市";
	assert_int_equal(lc_questionnaire_words(cjk, strlen(cjk)), 2);
}

static void test_normalise(void **state)
{
	(void)state;
	json_t *q = NULL, *out = NULL;
	assert_int_equal(lc_questionnaire_get(&q), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	json_t *in = json_pack("{s:s, s:i, s:f, s:b, s:n, s:s}", "contact_name", "  Jane  ",
	                       "learners_reached", 12000, "budget_share", 4.50, "plan_adopted", 0,
	                       "cluster", "case_title", " ");
	assert_int_equal(lc_questionnaire_normalise(q, in, &out, &d), 0);
	json_decref(in);
	assert_string_equal(json_string_value(json_object_get(out, "contact_name")), "Jane");
	assert_string_equal(json_string_value(json_object_get(out, "learners_reached")), "12000");
	assert_string_equal(json_string_value(json_object_get(out, "budget_share")), "4.5");
	assert_string_equal(json_string_value(json_object_get(out, "plan_adopted")), "no");
	assert_string_equal(json_string_value(json_object_get(out, "cluster")), "");
	assert_string_equal(json_string_value(json_object_get(out, "case_title")), "");
	/* Not complete: the narrative is required. */
	assert_int_equal(lc_questionnaire_complete(q, out, &d), LC_EINVAL);
	assert_string_equal(d.items[0].field, "progress_planning");
	assert_non_null(strstr(d.items[0].message, "is required"));
	json_decref(out);
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	in = json_pack("{s:s, s:f, s:s, s:[], s:s}", "learners_reached", "1.5", "budget_share",
	               101.0, "case_title",
	               "one two three four five six seven eight nine ten"
	               " eleven twelve thirteen fourteen fifteen sixteen"
	               " seventeen eighteen nineteen twenty twentyone",
	               "contact_name", "cluster", "gced");
	assert_int_equal(lc_questionnaire_normalise(q, in, &out, &d), LC_EINVAL);
	assert_null(out);
	json_decref(in);
	assert_int_equal(d.count, 4);
	for (size_t i = 0; i < d.count; i++)
		assert_non_null(strstr(d.items[i].message, "“"));
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	json_t *arr = json_array();
	assert_int_equal(lc_questionnaire_normalise(q, arr, &out, &d), LC_EINVAL);
	json_decref(arr);
	lc_diag_cleanup(&d);
	json_decref(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_embedded),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_words),
	    cmocka_unit_test(test_normalise),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
