/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/conference/programme*.c on the demonstration database:
 * the demo's two releases, edits refused for the wrong people or bad input
 * (nothing written), releases with their SEQUENCE numbers and changelog,
 * one e-mail per person per release, the editor's warnings, favourites.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "accounts_fixture.h"
#include "base/alloc.h"
#include "domain/conference/event.h"
#include "domain/conference/programme.h"

static const json_t *session_titled(const json_t *doc, const char *en)
{
	size_t i;
	const json_t *s;
	json_array_foreach(json_object_get(doc, "sessions"), i, s)
	{
		if (strcmp(lc_prog_tr(json_object_get(s, "title"), "en"), en) == 0)
			return s;
	}
	return NULL;
}

static json_int_t num(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static void load(struct lc_db *db, struct lc_conf_event *e)
{
	assert_int_equal(lc_conf_event_load(db, LC_CONF_EVENT_DEMO_SLUG, e), 0);
}

/* The demo has three days, six rooms, forty sessions and two releases with their changes. */
static void test_demo(void **state)
{
	struct lc_db *db = *state;
	struct lc_conf_event e;
	load(db, &e);
	json_t *v = NULL;
	assert_int_equal(lc_prog_released(db, &e, NULL, &v), 0);
	const json_t *doc = json_object_get(v, "programme");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(v, "version"), "name")), "v2");
	assert_int_equal(json_array_size(json_object_get(doc, "rooms")), 6);
	assert_int_equal(json_array_size(json_object_get(doc, "sessions")), 40);
	assert_null(json_object_get(json_array_get(json_object_get(doc, "speakers"), 0), "email"));
	const json_t *moved = session_titled(doc, "Digital inclusion");
	assert_int_equal(num(moved, "sequence"), 1);
	assert_true(
	    json_is_true(json_object_get(session_titled(doc, "Learning festivals"), "cancelled")));
	assert_int_equal(num(session_titled(doc, "Learning festivals"), "sequence"), 1);
	/* A renaming is not material for a calendar. */
	assert_int_equal(
	    num(session_titled(doc, "Learning neighbourhoods: the city block as a school"),
	        "sequence"),
	    0);
	json_decref(v);
	json_t *log = NULL;
	assert_int_equal(lc_prog_changelog(db, &e, "fr", &log), 0);
	json_t *items = json_object_get(log, "items");
	assert_int_equal(json_array_size(items), 2);
	json_t *ch = json_object_get(json_array_get(items, 0), "changes");
	assert_int_equal(json_array_size(json_object_get(ch, "moved")), 1);
	assert_int_equal(json_array_size(json_object_get(ch, "cancelled")), 1);
	assert_int_equal(json_array_size(json_object_get(ch, "renamed")), 1);
	assert_int_equal(json_array_size(json_object_get(ch, "new")), 1);
	json_t *m = json_array_get(json_object_get(ch, "moved"), 0);
	assert_string_equal(json_string_value(json_object_get(m, "title")),
	                    "L’inclusion numérique");
	assert_string_equal(json_string_value(json_object_get(m, "old_room")), "Salle D");
	assert_string_equal(json_string_value(json_object_get(m, "room")), "Salle B");
	json_decref(log);
	lc_conf_event_cleanup(&e);
}

/* Only the secretariat edits; a refused or bad edit writes nothing. */
static void test_refusals(void **state)
{
	struct lc_db *db = *state;
	struct lc_conf_event e;
	load(db, &e);
	struct lc_actor part, admin, anon;
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	lc_actor_anonymous(&anon);
	long long before = fx_count(db, "SELECT count(*) FROM programme_rooms");
	long long audits = fx_count(db, "SELECT count(*) FROM audit");
	json_t *room = json_pack("{s:{s:s}, s:i}", "name", "en", "Room Z", "capacity", 10);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_prog_room_put(db, &part, &e, 0, room, &d, NULL), LC_EPERM);
	assert_int_equal(lc_prog_room_put(db, &anon, &e, 0, room, &d, NULL), LC_EAUTH);
	json_t *draft = NULL;
	assert_int_equal(lc_prog_draft(db, &part, &e, &draft), LC_EPERM);
	assert_int_equal(lc_prog_release(db, &part, &e, "v9", "", &d), LC_EPERM);
	json_decref(room);
	/* Every problem of a bad session, each with its field. */
	json_t *bad =
	    json_pack("{s:{s:s}, s:s, s:s, s:i, s:i, s:[s], s:[i]}", "title", "fr", "Sans anglais",
	              "type", "nope", "start", "2001-01-01T25:00", "duration", 2, "room", 999999,
	              "languages", "xx", "speakers", 424242);
	long long sessions = fx_count(db, "SELECT count(*) FROM programme_sessions");
	assert_int_equal(lc_prog_session_put(db, &admin, &e, 0, bad, &d, NULL), LC_EINVAL);
	json_decref(bad);
	const char *fields[] = {"title",    "type",      "room",    "start",
	                        "duration", "languages", "speakers"};
	for (size_t k = 0; k < sizeof fields / sizeof *fields; k++) {
		bool seen = false;
		for (size_t i = 0; i < d.count; i++)
			seen =
			    seen || (d.items[i].field && strcmp(d.items[i].field, fields[k]) == 0);
		assert_true(seen);
	}
	assert_int_equal(fx_count(db, "SELECT count(*) FROM programme_sessions"), sessions);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM programme_rooms"), before);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit"), audits);
	/* A session of another id is not found; a start outside the conference's days is refused.
	 */
	json_t *move = json_pack("{s:s}", "start", "2001-01-01T10:00");
	assert_int_equal(lc_prog_session_put(db, &admin, &e, 999999, move, &d, NULL), LC_ENOTFOUND);
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	json_t *rel = NULL;
	assert_int_equal(lc_prog_released(db, &e, NULL, &rel), 0);
	json_int_t sid =
	    num(json_array_get(json_object_get(json_object_get(rel, "programme"), "sessions"), 0),
	        "id");
	json_decref(rel);
	assert_int_equal(lc_prog_session_put(db, &admin, &e, sid, move, &d, NULL), LC_EINVAL);
	assert_string_equal(d.items[0].code, "err_prog_start_day");
	json_decref(move);
	/* A release needs a good, new name, and something changed. */
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(lc_prog_release(db, &admin, &e, "v2", "", &d), LC_EINVAL);
	assert_int_equal(lc_prog_release(db, &admin, &e, "v 3", "", &d), LC_EINVAL);
	assert_int_equal(lc_prog_release(db, &admin, &e, "v3", "", &d), LC_EINVAL);
	assert_string_equal(d.items[d.count - 1].code, "err_prog_unchanged");
	assert_int_equal(fx_count(db, "SELECT count(*) FROM programme_versions"), 2);
	lc_diag_cleanup(&d);
	lc_conf_event_cleanup(&e);
}

/*
 * The evidence: a participant stars a session; the secretariat moves
 * it to another room and time in five edits and cancels another; the release
 * raises the moved session's SEQUENCE, marks the other cancelled, and the
 * participant gets exactly one e-mail.
 */
static void test_release_once(void **state)
{
	struct lc_db *db = *state;
	struct lc_conf_event e;
	load(db, &e);
	struct lc_actor part, admin;
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	json_t *rel = NULL;
	assert_int_equal(lc_prog_released(db, &e, NULL, &rel), 0);
	const json_t *doc = json_object_get(rel, "programme");
	const json_t *a = session_titled(doc, "Skills for green jobs");
	const json_t *b = session_titled(doc, "Measuring a learning city");
	json_int_t ida = num(a, "id"), idb = num(b, "id");
	json_int_t room_a = num(a, "room");
	json_int_t seq_b = num(b, "sequence");
	char day[11];
	snprintf(day, sizeof day, "%s", json_string_value(json_object_get(a, "start")));
	json_decref(rel);
	assert_int_equal(lc_prog_favourite_set(db, &part, &e, ida, true), 0);
	assert_int_equal(lc_prog_favourite_set(db, &part, &e, ida, true), 0); /* idempotent */
	json_t *fav = NULL;
	assert_int_equal(lc_prog_favourites(db, &part, &e, &fav), 0);
	assert_int_equal(json_array_size(fav), 1);
	json_decref(fav);
	struct lc_diag d;
	lc_diag_init(&d);
	static const char *const times[] = {"T17:30", "T18:00", "T18:15", "T18:30", "T18:45"};
	json_int_t room_to = 0;
	json_t *draft = NULL;
	assert_int_equal(lc_prog_draft(db, &admin, &e, &draft), 0);
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(draft, "rooms"), i, r) if (num(r, "id") != room_a)
	    room_to = num(r, "id");
	json_decref(draft);
	for (size_t k = 0; k < 5; k++) {
		char start[17];
		snprintf(start, sizeof start, "%.10s%s", day, times[k]);
		json_t *spec = json_pack("{s:s, s:I}", "start", start, "room", room_to);
		assert_int_equal(lc_prog_session_put(db, &admin, &e, ida, spec, &d, NULL), 0);
		json_decref(spec);
	}
	json_t *cancel = json_pack("{s:b}", "cancelled", 1);
	assert_int_equal(lc_prog_session_put(db, &admin, &e, idb, cancel, &d, NULL), 0);
	json_decref(cancel);
	/* Edits are not public and send nothing. */
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM outbox WHERE kind = 'programme_changed'"), 0);
	assert_int_equal(lc_prog_release(db, &admin, &e, "v3", "Moves", &d), 0);
	assert_int_equal(d.count, 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox WHERE kind = 'programme_changed'"
	                              " AND to_addr = 'participant@example.org'"),
	                 1);
	assert_int_equal(lc_prog_released(db, &e, NULL, &rel), 0);
	doc = json_object_get(rel, "programme");
	a = lc_prog_find(json_object_get(doc, "sessions"), ida, NULL);
	b = lc_prog_find(json_object_get(doc, "sessions"), idb, NULL);
	assert_int_equal(num(a, "sequence"), 1); /* five edits, one release: one step */
	assert_int_equal(num(a, "room"), room_to);
	assert_int_equal(num(b, "sequence"), seq_b + 1);
	assert_true(json_is_true(json_object_get(b, "cancelled")));
	json_decref(rel);
	json_t *log = NULL;
	assert_int_equal(lc_prog_changelog(db, &e, "en", &log), 0);
	json_t *ch = json_object_get(json_array_get(json_object_get(log, "items"), 0), "changes");
	assert_int_equal(num(ch, "count"), 2);
	json_t *m = json_array_get(json_object_get(ch, "moved"), 0);
	assert_int_equal(num(m, "id"), ida);
	char want[17];
	snprintf(want, sizeof want, "%.10s 18:45", day);
	assert_string_equal(json_string_value(json_object_get(m, "when")), want);
	snprintf(want, sizeof want, "%.10s 14:00", day);
	assert_string_equal(json_string_value(json_object_get(m, "old_when")), want);
	assert_int_equal(num(json_array_get(json_object_get(ch, "cancelled"), 0), "id"), idb);
	json_decref(log);
	/* The e-mail names the moved session, in the participant's language. */
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT body FROM outbox WHERE kind = 'programme_changed'");
	assert_int_equal(lc_db_step(db, st), 1);
	assert_non_null(strstr(lc_db_text(st, 0), "Skills for green jobs"));
	assert_null(strstr(lc_db_text(st, 0), "Measuring a learning city"));
	lc_db_release(db, st);
	assert_int_equal(lc_prog_favourite_set(db, &part, &e, ida, false), 0);
	assert_int_equal(lc_prog_favourite_set(db, &part, &e, 999999, true), LC_ENOTFOUND);
	lc_diag_cleanup(&d);
	lc_conf_event_cleanup(&e);
}

/* The editor warns of a room used twice, a speaker in two places, a session past its day. */
static void test_warnings(void **state)
{
	(void)state;
	json_t *doc = json_loads(
	    "{\"speakers\": [{\"id\": 7}],"
	    " \"sessions\": ["
	    "  {\"id\": 1, \"start\": \"2027-04-01T10:00\", \"duration\": 60, \"room\": 1,"
	    "   \"speakers\": [7], \"chair\": null},"
	    "  {\"id\": 2, \"start\": \"2027-04-01T10:30\", \"duration\": 60, \"room\": 1,"
	    "   \"speakers\": [], \"chair\": 7},"
	    "  {\"id\": 3, \"start\": \"2027-04-01T11:00\", \"duration\": 60, \"room\": 1,"
	    "   \"speakers\": [], \"chair\": null},"
	    "  {\"id\": 4, \"start\": \"2027-04-01T23:00\", \"duration\": 120, \"room\": 2,"
	    "   \"speakers\": [], \"chair\": null},"
	    "  {\"id\": 5, \"start\": \"2027-04-01T10:00\", \"duration\": 60, \"room\": 1,"
	    "   \"speakers\": [7], \"chair\": null, \"cancelled\": true}]}",
	    0, NULL);
	json_t *w = lc_prog_warnings(doc);
	char *text = json_dumps(w, JSON_COMPACT);
	assert_string_equal(text, "[{\"code\":\"room_twice\",\"session\":1,\"other\":2},"
	                          "{\"code\":\"speaker_twice\",\"session\":1,\"other\":2,"
	                          "\"speaker\":7},"
	                          "{\"code\":\"room_twice\",\"session\":2,\"other\":3},"
	                          "{\"code\":\"outside_day\",\"session\":4}]");
	lc_free(text);
	json_decref(w);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_demo, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_refusals, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_release_once, fx_setup, fx_teardown),
	    cmocka_unit_test(test_warnings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
