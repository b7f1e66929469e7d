/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of formats/programme_file.c (the programme's import and export
 * files) and formats/programme_atom.c (the changelog's feed): shapes
 * refused with their row and field, the CSV writer and reader agreeing,
 * the feed's escaping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "formats/ical.h"
#include "formats/programme_atom.h"
#include "formats/programme_file.h"

static void test_json_shape(void **state)
{
	(void)state;
	struct lc_diag d;
	lc_diag_init(&d);
	json_t *doc = NULL;
	const char *bad = "{\"sessions\": [{\"id\": 1}, {\"id\": -2, \"colour\": 1}, 3],"
	                  " \"rooms\": {}, \"other\": []}";
	assert_int_equal(lc_prog_file_parse_json(bad, strlen(bad), &doc, &d), LC_EINVAL);
	assert_null(doc);
	assert_true(lc_diag_has(&d, "err_prog_file_member")); /* "other", "colour" */
	assert_true(lc_diag_has(&d, "err_prog_file_id"));     /* -2 */
	assert_true(lc_diag_has(&d, "err_prog_file_list"));   /* rooms, the 3 */
	bool row2 = false;
	for (size_t i = 0; i < d.count; i++)
		row2 = row2 || (d.items[i].line == 2 && d.items[i].field &&
		                strcmp(d.items[i].field, "sessions: colour") == 0);
	assert_true(row2);
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(lc_prog_file_parse_json("{\"sessions\": [", 14, &doc, &d), LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_prog_file_json"));
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	const char *ok = "{\"sessions\": [{\"id\": 4, \"start\": \"2027-04-07T09:00\"}]}";
	assert_int_equal(lc_prog_file_parse_json(ok, strlen(ok), &doc, &d), 0);
	assert_int_equal(json_integer_value(json_object_get(
	                     json_array_get(json_object_get(doc, "sessions"), 0), "row")),
	                 1);
	json_decref(doc);
	lc_diag_cleanup(&d);
}

static void test_csv_round_trip(void **state)
{
	(void)state;
	const char *in =
	    "{\"sessions\": [{\"id\": 7, \"start\": \"2027-04-07T09:00\", \"duration\": 90,"
	    " \"room\": 2, \"type\": \"plenary\", \"track\": null,"
	    " \"languages\": [\"en\", \"ar\"], \"chair\": null, \"speakers\": [3, 4],"
	    " \"cancelled\": true, \"title\": {\"en\": \"=1+1, \\\"quoted\\\"\","
	    " \"ar\": \"ليلى\"}, \"abstract\": {\"en\": \"two\\nlines\"}}]}";
	json_t *doc = json_loads(in, 0, NULL);
	assert_non_null(doc);
	json_t *langs = json_pack("[s, s]", "en", "ar");
	struct lc_buf b;
	lc_buf_init(&b, 1 << 16);
	assert_int_equal(lc_prog_file_write_csv(doc, langs, &b), 0);
	/* Formula injection neutralised in the file... */
	assert_non_null(strstr(lc_buf_cstr(&b), "\"'=1+1, \"\"quoted\"\"\""));
	struct lc_diag d;
	lc_diag_init(&d);
	json_t *back = NULL;
	assert_int_equal(lc_prog_file_parse_csv(b.data, b.len, &back, &d), 0);
	json_t *s = json_array_get(json_object_get(back, "sessions"), 0);
	/* ... and undone on the way back in. */
	assert_string_equal(json_string_value(json_object_get(json_object_get(s, "title"), "en")),
	                    "=1+1, \"quoted\"");
	json_t *orig = json_array_get(json_object_get(doc, "sessions"), 0);
	static const char *const same[] = {"id",       "start",     "duration",  "room",
	                                   "type",     "track",     "languages", "chair",
	                                   "speakers", "cancelled", "title",     "abstract"};
	for (size_t i = 0; i < sizeof same / sizeof *same; i++)
		assert_true(
		    json_equal(json_object_get(orig, same[i]), json_object_get(s, same[i])));
	assert_int_equal(json_integer_value(json_object_get(s, "row")), 2);
	json_decref(back);
	json_decref(doc);
	json_decref(langs);
	lc_buf_cleanup(&b);
	lc_diag_cleanup(&d);
}

static void test_csv_columns(void **state)
{
	(void)state;
	struct lc_diag d;
	lc_diag_init(&d);
	json_t *doc = NULL;
	const char *text = "id,start,colour,title.en\nx,2027-04-07T09:00,red,A\n";
	assert_int_equal(lc_prog_file_parse_csv(text, strlen(text), &doc, &d), LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_prog_file_column"));
	assert_true(lc_diag_has(&d, "err_prog_file_id"));
	assert_null(doc);
	lc_diag_cleanup(&d);
}

static void test_atom_escapes(void **state)
{
	(void)state;
	json_t *log = json_loads(
	    "{\"items\": [{\"name\": \"v2\", \"note\": \"a <b> & c\", \"released_at\":"
	    " \"2027-01-02T03:04:05Z\", \"changes\": {\"first\": false, \"new\": [], "
	    "\"cancelled\": [],"
	    " \"renamed\": [], \"moved\": [{\"id\": 5, \"title\": \"R&D \\u0001\", \"when\":"
	    " \"2027-04-07 10:00\", \"room\": \"B\", \"old_when\": \"2027-04-07 09:00\", "
	    "\"old_room\":"
	    " null}]}}]}",
	    0, NULL);
	assert_non_null(log);
	struct lc_prog_export x = {.slug = "c", .title = "T<>"};
	struct lc_prog_atom_words w = {"Changes",   "Version", "First", "Moved",
	                               "Cancelled", "Renamed", "New"};
	struct lc_buf b;
	lc_buf_init(&b, 1 << 16);
	assert_int_equal(lc_prog_atom(log, &x, &w, &b), 0);
	const char *s = lc_buf_cstr(&b);
	assert_non_null(strstr(s, "<title>T&lt;&gt; \xe2\x80\x94 Changes</title>"));
	assert_non_null(strstr(s, "<summary>a &lt;b&gt; &amp; c</summary>"));
	assert_non_null(strstr(s, "R&amp;D : 2027-04-07 09:00 \xe2\x86\x92 2027-04-07 10:00, B"));
	assert_null(strchr(s, '\x01')); /* not a character XML allows */
	assert_non_null(strstr(s, "<id>tag:learncity,2024:conferences/c/changelog:v2</id>"));
	lc_buf_cleanup(&b);
	json_decref(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json_shape),
	    cmocka_unit_test(test_csv_round_trip),
	    cmocka_unit_test(test_csv_columns),
	    cmocka_unit_test(test_atom_escapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
