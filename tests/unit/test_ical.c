/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of formats/ical.c and formats/frab.c: folding at 75 octets without
 * splitting UTF-8, an Arabic description that survives unfolding byte for
 * byte, escaping, the VTIMEZONE, UTC DTSTAMP, stable UIDs, SEQUENCE and
 * STATUS:CANCELLED, parsing back through libical; the Frab JSON's days and
 * offsets. (Schema and XSD validation run in tests/http/programme.test.mjs.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include <libical/ical.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/utf8.h"
#include "formats/frab.h"
#include "formats/ical.h"

static const char arabic[] =
    "تتعلم المدن معًا: يتبادل رؤساء البلديات والخبراء ما جربوه وما نجح وما لم ينجح، "
    "ويضعون خطة للتعلم مدى الحياة في كل حي.";

static json_t *doc(void)
{
	json_t *d = json_loads(
	    "{\"rooms\": [{\"id\": 1, \"name\": {\"en\": \"Room A\", \"fr\": \"Salle A\"}, "
	    "\"capacity\": 100}],"
	    " \"types\": [{\"id\": 1, \"code\": \"plenary\", \"name\": {\"en\": \"Plenary\"}}],"
	    " \"tracks\": [{\"id\": 2, \"code\": \"green\", \"name\": {\"en\": \"Green\"}}],"
	    " \"speakers\": [{\"id\": 5, \"name\": \"Layla Haddad\", \"name_native\": "
	    "\"\\u0644\\u064a\\u0644\\u0649\", \"bio\": {}}],"
	    " \"sessions\": ["
	    "  {\"id\": 11, \"title\": {\"en\": \"Mayors, cities; and \\\\ more\\nnext\"},"
	    "   \"abstract\": {\"en\": \"x\"}, \"type\": \"plenary\", \"track\": \"green\","
	    "   \"room\": 1, \"start\": \"2027-04-09T10:00\", \"duration\": 90, \"languages\": "
	    "[\"en\"], \"chair\": null, \"speakers\": [5], \"cancelled\": false, \"sequence\": 2},"
	    "  {\"id\": 12, \"title\": {\"en\": \"Cancelled one\"}, \"abstract\": {},"
	    "   \"type\": \"plenary\", \"track\": null, \"room\": null, \"start\": "
	    "\"2027-04-10T09:00\", \"duration\": 30, \"languages\": [], \"chair\": null, "
	    "\"speakers\": [], \"cancelled\": true, \"sequence\": 1}]}",
	    0, NULL);
	json_object_set_new(
	    json_object_get(json_array_get(json_object_get(d, "sessions"), 0), "abstract"), "ar",
	    json_string(arabic));
	return d;
}

static const struct lc_prog_export X = {
    .slug = "demo-conference",
    .title = "Demo",
    .timezone = "Europe/Paris",
    .start_date = "2027-04-09",
    .end_date = "2027-04-11",
    .lang = "ar",
    .base_url = "https://learncity.example.org",
    .version = "v2",
    .dtstamp = 1790000000,
};

static void export_ics(struct lc_buf *b)
{
	json_t *d = doc();
	lc_buf_init(b, 1 << 20);
	assert_int_equal(lc_ical_programme(d, &X, b), 0);
	json_decref(d);
}

/* Every line ends in CRLF, holds at most 75 octets and whole UTF-8 characters. */
static void test_lines(void **state)
{
	(void)state;
	struct lc_buf b;
	export_ics(&b);
	const char *s = lc_buf_cstr(&b);
	size_t folds = 0;
	for (const char *line = s; *line;) {
		const char *end = strstr(line, "\r\n");
		assert_non_null(end);
		size_t n = (size_t)(end - line);
		assert_true(n <= 75);
		assert_null(memchr(line, '\n', n));
		assert_true(lc_utf8_valid(line, n));
		folds += line[0] == ' ';
		line = end + 2;
	}
	assert_true(folds > 2); /* the Arabic abstract is folded */
	lc_buf_cleanup(&b);
}

/* Unfolded, the description is the Arabic text byte for byte; text is escaped. */
static void test_unfold_escape(void **state)
{
	(void)state;
	struct lc_buf b, u;
	export_ics(&b);
	lc_buf_init(&u, 1 << 20);
	const char *s = lc_buf_cstr(&b);
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '\r' && s[i + 1] == '\n' && s[i + 2] == ' ') {
			i += 2;
			continue;
		}
		lc_buf_putc(&u, s[i]);
	}
	const char *t = lc_buf_cstr(&u);
	char want[1024];
	snprintf(want, sizeof want, "\r\nDESCRIPTION:%s\\n\\nLayla Haddad (ليلى)\r\n", arabic);
	assert_non_null(strstr(t, want));
	assert_non_null(strstr(t, "\r\nSUMMARY:Mayors\\, cities\\; and \\\\ more\\nnext\r\n"));
	assert_non_null(strstr(t, "\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"));
	assert_non_null(strstr(t, "\r\nDTSTART;TZID=Europe/Paris:20270409T100000\r\n"));
	assert_non_null(strstr(t, "\r\nDTEND;TZID=Europe/Paris:20270409T113000\r\n"));
	assert_non_null(strstr(t, "\r\nDTSTAMP:20260921T"));
	assert_non_null(strstr(t, "\r\nUID:session-11-demo-conference@learncity\r\n"));
	assert_non_null(strstr(t, "\r\nSEQUENCE:2\r\n"));
	assert_non_null(strstr(t, "\r\nSTATUS:CANCELLED\r\n"));
	assert_non_null(strstr(t, "\r\nURL:https://learncity.example.org/conferences/"
	                          "demo-conference/sessions/11\r\n"));
	/* DTSTAMP is in UTC. */
	const char *dt = strstr(t, "\r\nDTSTAMP:");
	assert_int_equal(dt[2 + 8 + 15], 'Z');
	lc_buf_cleanup(&u);
	lc_buf_cleanup(&b);
}

/* libical reads it back: two events, the zone, the cancelled status. */
static void test_parse_back(void **state)
{
	(void)state;
	struct lc_buf b;
	export_ics(&b);
	icalcomponent *cal = icalparser_parse_string(lc_buf_cstr(&b));
	assert_non_null(cal);
	assert_int_equal(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 2);
	assert_int_equal(icalcomponent_count_components(cal, ICAL_VTIMEZONE_COMPONENT), 1);
	icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	const char *desc = icalcomponent_get_description(ev);
	assert_non_null(desc);
	assert_memory_equal(desc, arabic, strlen(arabic));
	ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT);
	assert_int_equal(icalcomponent_get_status(ev), ICAL_STATUS_CANCELLED);
	icalcomponent_free(cal);
	lc_buf_cleanup(&b);
}

/* The fold never cuts a character, at every position of a long multibyte line. */
static void test_fold_positions(void **state)
{
	(void)state;
	for (size_t pre = 0; pre < 8; pre++) {
		char in[600];
		size_t n = 0;
		memcpy(in, "DESCRIPTION:", 12);
		n = 12;
		for (size_t i = 0; i < pre; i++)
			in[n++] = 'x';
		for (size_t i = 0; i < 100; i++) {
			memcpy(in + n, i % 2 ? "\xF0\x9F\x8C\x8D" : "\xE5\x9F\x8E", i % 2 ? 4 : 3);
			n += i % 2 ? 4 : 3;
		}
		struct lc_buf out;
		lc_buf_init(&out, 4096);
		lc_ical_fold(in, n, &out);
		const char *s = lc_buf_cstr(&out);
		for (const char *line = s; *line;) {
			const char *end = strstr(line, "\r\n");
			assert_true(end - line <= 75);
			assert_true(lc_utf8_valid(line, (size_t)(end - line)));
			line = end + 2;
		}
		lc_buf_cleanup(&out);
	}
}

/* Frab: one day per conference day with its offset, the cancelled session left out. */
static void test_frab(void **state)
{
	(void)state;
	json_t *d = doc(), *j = NULL;
	assert_int_equal(lc_frab_json(d, &X, "Off-site", &j), 0);
	json_t *c = json_object_get(json_object_get(j, "schedule"), "conference");
	assert_string_equal(json_string_value(json_object_get(c, "acronym")), "demo_conference");
	json_t *days = json_object_get(c, "days");
	assert_int_equal(json_array_size(days), 3);
	json_t *ev = json_array_get(
	    json_object_get(json_object_get(json_array_get(days, 0), "rooms"), "Room A"), 0);
	assert_string_equal(json_string_value(json_object_get(ev, "date")),
	                    "2027-04-09T10:00:00+02:00");
	assert_string_equal(json_string_value(json_object_get(ev, "duration")), "01:30");
	assert_int_equal(json_object_size(json_object_get(json_array_get(days, 1), "rooms")), 0);
	char a[37], b[37];
	lc_frab_uuid("learncity:demo-conference:session:11", a);
	lc_frab_uuid("learncity:demo-conference:session:11", b);
	assert_string_equal(a, b);
	assert_string_equal(json_string_value(json_object_get(ev, "guid")), a);
	json_decref(j);
	struct lc_buf x;
	lc_buf_init(&x, 1 << 20);
	assert_int_equal(lc_frab_xml(d, &X, "Off-site", &x), 0);
	assert_non_null(
	    strstr(lc_buf_cstr(&x), "<title>Mayors, cities; and \\ more\nnext</title>"));
	lc_buf_cleanup(&x);
	struct lc_prog_export bad = X;
	bad.timezone = "Mars/Olympus";
	assert_int_equal(lc_frab_json(d, &bad, "Off-site", &j), LC_EINVAL);
	lc_buf_init(&x, 1 << 20);
	assert_int_equal(lc_ical_programme(d, &bad, &x), LC_EINVAL);
	lc_buf_cleanup(&x);
	json_decref(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lines),      cmocka_unit_test(test_unfold_escape),
	    cmocka_unit_test(test_parse_back), cmocka_unit_test(test_fold_positions),
	    cmocka_unit_test(test_frab),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
