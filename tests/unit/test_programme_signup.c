/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of sign-up for sessions with a capacity (domain/conference/
 * programme_signup.c) on the demonstration database, the evidence
 * first: a session of capacity 30 takes 30 approved participants and puts
 * the 31st on its waiting list; an overlapping sign-up is refused; a person
 * whose registration is not approved is refused; and the waiting list is
 * registration's (waitlist.h): a withdrawal offers the place to the first
 * waiting, the offer holds it for the person's category's hours, the
 * workflow clock expires it and passes it on. Refusals write nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "accounts_fixture.h"
#include "base/diag.h"
#include "base/error.h"
#include "domain/conference/event.h"
#include "domain/conference/programme.h"
#include "domain/workflow/processes.h"
#include "domain/workflow/workflow.h"

#define HOUR 3600

static void exec(struct lc_db *db, const char *sql)
{
	assert_int_equal(lc_db_exec(db, sql), 0);
}

/*
 * n accounts p<i>@example.net with a registration for the demo conference in
 * state (approved, pending) in its first category.
 */
static void people(struct lc_db *db, int from, int n, const char *state)
{
	for (int i = from; i < from + n; i++) {
		char sql[1400];
		snprintf(
		    sql, sizeof sql,
		    "INSERT INTO accounts (email, email_norm, name, status, created_at,"
		    " updated_at, password_hash) VALUES ('p%d@example.net', 'p%d@example.net', "
		    "'Person %d',"
		    " 'active', 1, 1, '$argon2id$x');"
		    "INSERT INTO wf_items (process, state, owner_id, created_at, entered_at)"
		    " VALUES ('conference_registration', '%s', last_insert_rowid(), 1, 1);"
		    "INSERT INTO conference_registrations (item_id, event_id, category_id, email,"
		    " name, lang, answers, created_at, updated_at) SELECT last_insert_rowid(),"
		    " e.id, (SELECT min(id) FROM conference_categories WHERE event_id = e.id),"
		    " 'p%d@example.net', 'Person %d', 'en', '{}', 1, 1 FROM conference_events e"
		    " WHERE e.slug = '%s';",
		    i, i, i, state, i, i, LC_CONF_EVENT_DEMO_SLUG);
		exec(db, sql);
	}
}

static void who(struct lc_db *db, int i, struct lc_actor *a)
{
	char email[64];
	snprintf(email, sizeof email, "p%d@example.net", i);
	assert_int_equal(fx_actor(db, email, a), 0);
}

/* The first session of the newest release that is not cancelled, and one overlapping it. */
static void sessions(struct lc_db *db, const struct lc_conf_event *e, int64_t *a, int64_t *b,
                     int64_t *apart)
{
	json_t *rel = NULL;
	assert_int_equal(lc_prog_released(db, e, NULL, &rel), 0);
	const json_t *all = json_object_get(json_object_get(rel, "programme"), "sessions");
	*a = *b = *apart = 0;
	const json_t *sa = NULL;
	size_t i;
	const json_t *s;
	json_array_foreach(all, i, s)
	{
		if (json_is_true(json_object_get(s, "cancelled")))
			continue;
		if (!sa) {
			sa = s;
			*a = json_integer_value(json_object_get(s, "id"));
			continue;
		}
		const char *x = json_string_value(json_object_get(sa, "start"));
		const char *y = json_string_value(json_object_get(s, "start"));
		long x0 = lc_prog_minutes(x), y0 = lc_prog_minutes(y);
		long x1 = x0 + (long)json_integer_value(json_object_get(sa, "duration"));
		long y1 = y0 + (long)json_integer_value(json_object_get(s, "duration"));
		bool same_day = strncmp(x, y, 10) == 0;
		if (!*b && same_day && x0 < y1 && y0 < x1)
			*b = json_integer_value(json_object_get(s, "id"));
		if (!*apart && (!same_day || y0 >= x1 || x0 >= y1))
			*apart = json_integer_value(json_object_get(s, "id"));
	}
	json_decref(rel);
	assert_true(*a && *b && *apart);
}

static void set_capacity(struct lc_db *db, int64_t id, int capacity)
{
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE programme_sessions SET capacity = %d WHERE id = %lld",
	         capacity, (long long)id);
	exec(db, sql);
}

static const char *state_of(struct lc_db *db, int person, int64_t session)
{
	static char s[32];
	char sql[400];
	snprintf(sql, sizeof sql,
	         "SELECT w.state FROM programme_signups p JOIN wf_items w ON w.id = p.item_id"
	         " JOIN accounts a ON a.id = p.account_id WHERE a.email = 'p%d@example.net'"
	         " AND p.session_id = %lld AND p.active = 1",
	         person, (long long)session);
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	snprintf(s, sizeof s, "%s",
	         lc_db_step(db, st) == 1 && lc_db_text(st, 0) ? lc_db_text(st, 0) : "none");
	lc_db_release(db, st);
	return s;
}

static int sign(struct lc_db *db, const struct lc_conf_event *e, int person, int64_t session,
                char state[32], const char **code)
{
	struct lc_actor a;
	who(db, person, &a);
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_prog_signup(db, &a, e, session, &d, state);
	static char c[64];
	snprintf(c, sizeof c, "%s", d.count ? d.items[0].code : "");
	if (code)
		*code = c;
	lc_diag_cleanup(&d);
	return err;
}

static int tick(struct lc_db *db, int64_t now)
{
	size_t n;
	const struct lc_wf_process *const *p = lc_processes(&n);
	return lc_wf_tick(db, p, n, now, NULL);
}

static void test_process_table(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_int_equal(lc_wf_process_check(&lc_prog_signup_process, &why), 0);
	assert_ptr_equal(lc_process_find("session_signup"), &lc_prog_signup_process);
}

/* The evidence: capacity 30, the 31st waits; overlap and unapproved refused. */
static void test_capacity_overlap_unapproved(void **state)
{
	struct lc_db *db = *state;
	struct lc_conf_event e;
	assert_int_equal(lc_conf_event_load(db, LC_CONF_EVENT_DEMO_SLUG, &e), 0);
	int64_t a, b, apart;
	sessions(db, &e, &a, &b, &apart);
	people(db, 1, 32, "approved");
	people(db, 100, 1, "pending");
	char st[32];
	const char *code = NULL;
	/* A session without a capacity takes no sign-ups. */
	assert_int_equal(sign(db, &e, 1, a, st, &code), LC_ECONFLICT);
	assert_string_equal(code, "err_prog_signup_open");
	set_capacity(db, a, 30);
	set_capacity(db, b, 30);
	for (int i = 1; i <= 30; i++) {
		assert_int_equal(sign(db, &e, i, a, st, NULL), 0);
		assert_string_equal(st, "signed_up");
	}
	assert_int_equal(sign(db, &e, 31, a, st, NULL), 0);
	assert_string_equal(st, "waitlisted");
	assert_string_equal(state_of(db, 31, a), "waitlisted");
	/* Twice is refused; so is a session at the same time, even while waiting. */
	assert_int_equal(sign(db, &e, 1, a, st, &code), LC_ECONFLICT);
	assert_string_equal(code, "err_prog_signup_already");
	long long before = fx_count(db, "SELECT count(*) FROM programme_signups");
	long long audits = fx_count(db, "SELECT count(*) FROM audit");
	assert_int_equal(sign(db, &e, 1, b, st, &code), LC_ECONFLICT);
	assert_string_equal(code, "err_prog_signup_overlap");
	assert_int_equal(sign(db, &e, 31, b, st, &code), LC_ECONFLICT);
	assert_string_equal(code, "err_prog_signup_overlap");
	/* An unapproved participant is refused. */
	assert_int_equal(sign(db, &e, 100, b, st, &code), LC_ECONFLICT);
	assert_string_equal(code, "err_prog_signup_unapproved");
	assert_int_equal(fx_count(db, "SELECT count(*) FROM programme_signups"), before);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit"), audits);
	/* Anonymous: a login first. */
	struct lc_actor anon;
	lc_actor_anonymous(&anon);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_prog_signup(db, &anon, &e, a, &d, st), LC_EAUTH);
	lc_diag_cleanup(&d);
	/* A session at another time is fine. */
	set_capacity(db, apart, 5);
	assert_int_equal(sign(db, &e, 1, apart, st, NULL), 0);
	assert_string_equal(st, "signed_up");
	/* The organisers see the counts and the list, places first. */
	struct lc_actor admin, part;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	json_t *l = NULL;
	assert_int_equal(lc_prog_signup_list(db, &part, &e, a, "en", &l), LC_EPERM);
	assert_int_equal(lc_prog_signup_list(db, &admin, &e, a, "en", &l), 0);
	assert_int_equal(json_integer_value(json_object_get(l, "capacity")), 30);
	assert_int_equal(json_integer_value(json_object_get(l, "used")), 30);
	assert_int_equal(json_integer_value(json_object_get(l, "waiting")), 1);
	assert_int_equal(json_integer_value(json_object_get(l, "left")), 0);
	assert_int_equal(json_array_size(json_object_get(l, "items")), 31);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(json_object_get(l, "items"), 30), "email")),
	                    "p31@example.net");
	json_decref(l);
	/* The editor's draft counts the sign-ups; a room smaller than them is a warning. */
	char sql[200];
	snprintf(sql, sizeof sql,
	         "UPDATE programme_rooms SET capacity = 10 WHERE id = (SELECT room_id FROM"
	         " programme_sessions WHERE id = %lld)",
	         (long long)a);
	exec(db, sql);
	json_t *draft = NULL;
	assert_int_equal(lc_prog_draft(db, &admin, &e, &draft), 0);
	const json_t *s = lc_prog_find(json_object_get(draft, "sessions"), a, NULL);
	assert_int_equal(json_integer_value(json_object_get(s, "signups")), 30);
	assert_int_equal(json_integer_value(json_object_get(s, "waiting")), 1);
	bool small = false;
	size_t i;
	const json_t *w;
	json_array_foreach(json_object_get(draft, "warnings"), i, w) small =
	    small || (strcmp(json_string_value(json_object_get(w, "code")), "room_small") == 0 &&
	              json_integer_value(json_object_get(w, "session")) == a);
	assert_true(small);
	json_decref(draft);
	/* A release that cancels a session tells those signed up for it (who starred nothing). */
	json_t *cancel = json_pack("{s:b}", "cancelled", 1);
	lc_diag_init(&d);
	assert_int_equal(lc_prog_session_put(db, &admin, &e, apart, cancel, &d, NULL), 0);
	json_decref(cancel);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM programme_favourites f JOIN accounts a"
	                              " ON a.id = f.account_id WHERE a.email = 'p1@example.net'"),
	                 0);
	assert_int_equal(lc_prog_release(db, &admin, &e, "v3", "", &d), 0);
	lc_diag_cleanup(&d);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox WHERE kind = 'programme_changed'"
	                              " AND to_addr = 'p1@example.net'"),
	                 1);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox WHERE kind = 'programme_changed'"
	                              " AND to_addr = 'p2@example.net'"),
	                 0);
	lc_conf_event_cleanup(&e);
}

/* The waiting list as registration's clock: withdraw, offer, accept; expire and pass on. */
static void test_waiting_list_clock(void **state)
{
	struct lc_db *db = *state;
	struct lc_conf_event e;
	assert_int_equal(lc_conf_event_load(db, LC_CONF_EVENT_DEMO_SLUG, &e), 0);
	int64_t a, b, apart;
	sessions(db, &e, &a, &b, &apart);
	people(db, 1, 5, "approved");
	set_capacity(db, a, 2);
	char st[32];
	for (int i = 1; i <= 5; i++)
		assert_int_equal(sign(db, &e, i, a, st, NULL), 0);
	assert_string_equal(state_of(db, 3, a), "waitlisted");
	/* Withdrawing frees a place: the first waiting gets the offer, the others wait. */
	struct lc_actor p1, p3;
	who(db, 1, &p1);
	who(db, 3, &p3);
	assert_int_equal(lc_prog_signup_withdraw(db, &p1, &e, a), 0);
	assert_string_equal(state_of(db, 1, a), "none");
	assert_string_equal(state_of(db, 3, a), "offered");
	assert_string_equal(state_of(db, 4, a), "waitlisted");
	assert_int_equal(lc_prog_signup_withdraw(db, &p1, &e, a), LC_ENOTFOUND);
	/* The person is told of the offer. */
	assert_true(fx_count(db, "SELECT count(*) FROM outbox WHERE to_addr = 'p3@example.net'") >=
	            1);
	/* A newcomer waits behind the list while an offer is out. */
	people(db, 6, 1, "approved");
	assert_int_equal(sign(db, &e, 6, a, st, NULL), 0);
	assert_string_equal(st, "waitlisted");
	/* The offer holds for the category's hours, then the clock expires it and passes it on. */
	assert_int_equal(tick(db, T0 + 47 * HOUR), 0);
	assert_string_equal(state_of(db, 3, a), "offered");
	assert_int_equal(tick(db, T0 + 24 * 365 * HOUR), 0);
	assert_string_equal(state_of(db, 3, a), "none");
	assert_string_equal(state_of(db, 4, a), "offered");
	/* Signing up again while offered takes the place. */
	assert_int_equal(sign(db, &e, 4, a, st, NULL), 0);
	assert_string_equal(st, "signed_up");
	assert_string_equal(state_of(db, 4, a), "signed_up");
	assert_string_equal(state_of(db, 5, a), "waitlisted");
	/* A raised capacity offers the new place at once (through the editor's write). */
	struct lc_actor admin;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	json_t *spec = json_pack("{s:i}", "capacity", 3);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_prog_session_put(db, &admin, &e, a, spec, &d, NULL), 0);
	json_decref(spec);
	assert_string_equal(state_of(db, 5, a), "offered");
	/* A bad capacity is refused with its field. */
	spec = json_pack("{s:i}", "capacity", 0);
	assert_int_equal(lc_prog_session_put(db, &admin, &e, a, spec, &d, NULL), LC_EINVAL);
	json_decref(spec);
	lc_diag_cleanup(&d);
	(void)p3;
	lc_conf_event_cleanup(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_process_table),
	    cmocka_unit_test_setup_teardown(test_capacity_overlap_unapproved, fx_setup,
	                                    fx_teardown),
	    cmocka_unit_test_setup_teardown(test_waiting_list_clock, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
