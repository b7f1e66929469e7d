/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The workflow engine on a small process defined here: a case opened by its
 * owner, endorsed or declined by the National Commission of its country
 * (reason required to decline), escalated by the clock after 30 days with
 * reminders 14 and 7 days before, decided by the secretariat. Checks the
 * table checker, roles and scopes, reasons, guards, effects rolled back,
 * history, audit and outbox rows, listing, and the clock to the second.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "accounts_fixture.h"
#include "base/alloc.h"
#include "base/limits.h"
#include "domain/workflow/workflow.h"

#define DAY 86400

static const struct lc_wf_state states[] = {
    {.name = "draft"},
    {.name = "submitted",
     .due_days = 30,
     .remind_days = {14, 7},
     .remind = LC_WF_TELL_NATCOM,
     .on_due = "escalate"},
    {.name = "escalated"},
    {.name = "endorsed"},
    {.name = "declined", .terminal = true},
    {.name = "approved", .terminal = true},
};

static const struct lc_wf_transition transitions[] = {
    {"submit", "draft", "submitted", LC_ACT_APPLY_MEMBERSHIP, LC_WF_OWNER, LC_WF_TELL_NATCOM},
    {"endorse", "submitted", "endorsed", LC_ACT_ENDORSE_FOR_COUNTRY, 0,
     LC_WF_TELL_OWNER | LC_WF_TELL_SECRETARIAT},
    {"decline", "submitted", "declined", LC_ACT_ENDORSE_FOR_COUNTRY, LC_WF_REASON,
     LC_WF_TELL_OWNER},
    {"escalate", "submitted", "escalated", LC_ACT_SCREEN_APPLICATION, LC_WF_CLOCK,
     LC_WF_TELL_SECRETARIAT},
    {"endorse_late", "escalated", "endorsed", LC_ACT_ENDORSE_FOR_COUNTRY, 0, 0},
    {"approve", "endorsed", "approved", LC_ACT_DECIDE_MEMBERSHIP, LC_WF_REASON, LC_WF_TELL_OWNER},
};

static int guard_calls, effect_fail;

static int guard(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
                 const struct lc_wf_transition *t, struct lc_diag *d)
{
	(void)db;
	(void)actor;
	(void)item;
	guard_calls++;
	if (strcmp(t->name, "endorse") == 0 && guard_calls > 100) {
		lc_diag_add_text(d, NULL, 0, 0, NULL, "The cap is reached");
		return LC_ECONFLICT;
	}
	return 0;
}

static int effect(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
                  const struct lc_wf_transition *t, const char *reason, struct lc_diag *d)
{
	(void)actor;
	(void)reason;
	(void)d;
	if (strcmp(t->name, "approve") != 0)
		return 0;
	if (effect_fail)
		return LC_ECONFLICT;
	/* A visible side effect inside the transaction: a setting row. */
	sqlite3_stmt *st =
	    lc_db_stmt(db, "INSERT INTO settings (key, value) VALUES ('wf.test.approved', ?1)");
	sqlite3_bind_int64(st, 1, item->id);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static void title(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	(void)db;
	snprintf(out, n, "Test case %lld (%s)", (long long)item->id, item->country);
}

static const struct lc_wf_process proc = {
    .name = "testcase",
    .initial = "draft",
    .states = states,
    .nstates = sizeof states / sizeof *states,
    .transitions = transitions,
    .ntransitions = sizeof transitions / sizeof *transitions,
    .path_fmt = "/testcases/%lld",
    .guard = guard,
    .effect = effect,
    .title = title,
};

static int64_t new_case(struct lc_db *db, const char *owner_email, const char *country)
{
	struct lc_actor owner;
	assert_int_equal(fx_actor(db, owner_email, &owner), 0);
	struct lc_wf_item init = {.owner_id = owner.account_id, .year = 2025};
	snprintf(init.country, sizeof init.country, "%s", country);
	int64_t id = 0;
	assert_int_equal(lc_wf_create(db, &owner, &proc, &init, &id), 0);
	assert_true(id > 0);
	return id;
}

static void test_process_check(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_int_equal(lc_wf_process_check(&proc, &why), 0);
	/* A terminal state with a way out, an unknown state, a duplicate pair. */
	enum { NT = sizeof transitions / sizeof *transitions };
	struct lc_wf_transition bad[NT + 1];
	memcpy(bad, transitions, sizeof transitions);
	bad[NT] =
	    (struct lc_wf_transition){"undo", "declined", "draft", LC_ACT_DECIDE_MEMBERSHIP, 0, 0};
	struct lc_wf_process p = proc;
	p.transitions = bad;
	p.ntransitions = NT + 1;
	assert_int_equal(lc_wf_process_check(&p, &why), LC_EINVAL);
	assert_non_null(strstr(why, "terminal"));
	bad[NT] =
	    (struct lc_wf_transition){"go", "draft", "nowhere", LC_ACT_DECIDE_MEMBERSHIP, 0, 0};
	assert_int_equal(lc_wf_process_check(&p, &why), LC_EINVAL);
	assert_non_null(strstr(why, "names a state"));
	bad[NT] = (struct lc_wf_transition){"again", "draft", "submitted", LC_ACT_DECIDE_MEMBERSHIP,
	                                    0,       0};
	assert_int_equal(lc_wf_process_check(&p, &why), LC_EINVAL);
	assert_non_null(strstr(why, "same pair"));
	/* on_due must name a clock transition. */
	struct lc_wf_state st2[] = {{.name = "draft", .due_days = 3, .on_due = "submit"},
	                            {.name = "submitted"}};
	struct lc_wf_transition tr2[] = {
	    {"submit", "draft", "submitted", LC_ACT_APPLY_MEMBERSHIP, LC_WF_OWNER, 0}};
	struct lc_wf_process p2 = {.name = "x",
	                           .initial = "draft",
	                           .states = st2,
	                           .nstates = 2,
	                           .transitions = tr2,
	                           .ntransitions = 1};
	assert_int_equal(lc_wf_process_check(&p2, &why), LC_EINVAL);
	assert_non_null(strstr(why, "on_due"));
}

static void test_roles_and_reasons(void **state)
{
	struct lc_db *db = *state;
	int64_t id = new_case(db, DEMO_NOROLE, "IE");
	struct lc_actor anon, norole, natcom, coord, admin, part;
	lc_actor_anonymous(&anon);
	assert_int_equal(fx_actor(db, DEMO_NOROLE, &norole), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);

	struct lc_diag d;
	lc_diag_init(&d);
	/* Only the owner (or an admin) submits; strangers learn nothing. */
	assert_int_equal(lc_wf_take(db, &anon, &proc, id, "submitted", NULL, &d, NULL), LC_EAUTH);
	assert_int_equal(lc_wf_take(db, &part, &proc, id, "submitted", NULL, &d, NULL), LC_EPERM);
	assert_int_equal(lc_wf_take(db, &natcom, &proc, id, "submitted", NULL, &d, NULL), LC_EPERM);
	/* A state that the process has not, and a jump the table does not allow. */
	assert_int_equal(lc_wf_take(db, &norole, &proc, id, "limbo", NULL, &d, NULL), LC_ECONFLICT);
	assert_int_equal(lc_wf_take(db, &norole, &proc, id, "approved", "x", &d, NULL),
	                 LC_ECONFLICT);
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	struct lc_wf_item it;
	assert_int_equal(lc_wf_take(db, &norole, &proc, id, "submitted", NULL, &d, &it), 0);
	assert_string_equal(it.state, "submitted");
	assert_int_equal(it.due_at, T0 + 30 * DAY);
	assert_int_equal(it.next_remind_at, T0 + 16 * DAY);

	/* The owner may not endorse; the natcom of another country may not either. */
	assert_int_equal(lc_wf_take(db, &norole, &proc, id, "endorsed", NULL, &d, NULL), LC_EPERM);
	assert_int_equal(lc_wf_take(db, &coord, &proc, id, "endorsed", NULL, &d, NULL), LC_EPERM);
	/* Declining needs a reason (blank does not count). */
	assert_int_equal(lc_wf_take(db, &natcom, &proc, id, "declined", "   ", &d, NULL),
	                 LC_EINVAL);
	assert_non_null(strstr(d.items[d.count - 1].message, "reason"));
	/* The clock's step is not for people, admins included. */
	assert_int_equal(lc_wf_take(db, &admin, &proc, id, "escalated", "x", &d, NULL), LC_EPERM);
	lc_diag_cleanup(&d);
	lc_diag_init(&d);

	/* What the natcom may do now, as the page shows it. */
	assert_int_equal(lc_wf_may_view(&natcom, &it), 0);
	assert_int_equal(lc_wf_may_view(&part, &it), LC_EPERM);
	assert_int_equal(lc_wf_may_view(&anon, &it), LC_EAUTH);
	assert_int_equal(lc_wf_may_view(&norole, &it), 0);
	json_t *j = NULL;
	assert_int_equal(lc_wf_item_json(db, &natcom, &it, &j), 0);
	assert_int_equal(json_array_size(json_object_get(j, "next")), 2);
	json_decref(j);

	long long out0 = fx_count(db, "SELECT count(*) FROM outbox");
	assert_int_equal(lc_wf_take(db, &natcom, &proc, id, "endorsed", NULL, &d, NULL), 0);
	/* Told: the owner and the secretariat (one admin in the demo). */
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox"), out0 + 2);
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM audit WHERE action = 'testcase.endorse'"), 1);

	/* The effect failing rolls everything back. */
	effect_fail = 1;
	assert_int_equal(lc_wf_take(db, &admin, &proc, id, "approved", "good plan", &d, NULL),
	                 LC_ECONFLICT);
	effect_fail = 0;
	assert_int_equal(lc_wf_get(db, &proc, id, &it), 0);
	assert_string_equal(it.state, "endorsed");
	/* (the demo's conference registrations have approved steps of their own) */
	assert_int_equal(fx_count(db, "SELECT count(*) FROM wf_history WHERE to_state = 'approved'"
	                              " AND item_id IN (SELECT id FROM wf_items"
	                              " WHERE process = 'testcase')"),
	                 0);
	assert_int_equal(lc_wf_take(db, &admin, &proc, id, "approved", "  good plan ", &d, &it), 0);
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM settings WHERE key = 'wf.test.approved'"), 1);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM wf_history WHERE reason = 'good plan'"),
	                 1);
	/* Terminal: nothing leaves it. */
	assert_int_equal(lc_wf_take(db, &admin, &proc, id, "endorsed", NULL, &d, NULL),
	                 LC_ECONFLICT);
	assert_int_equal(lc_wf_item_json(db, &admin, &it, &j), 0);
	assert_true(json_is_true(json_object_get(j, "terminal")));
	assert_int_equal(json_array_size(json_object_get(j, "history")), 4);
	json_decref(j);
	/* History is append-only. */
	assert_int_not_equal(lc_db_exec(db, "DELETE FROM wf_history"), 0);
	lc_diag_cleanup(&d);
}

static void test_clock(void **state)
{
	struct lc_db *db = *state;
	const struct lc_wf_process *procs[] = {&proc};
	int64_t id = new_case(db, DEMO_NOROLE, "IE");
	struct lc_actor norole;
	assert_int_equal(fx_actor(db, DEMO_NOROLE, &norole), 0);
	assert_int_equal(lc_wf_take(db, &norole, &proc, id, "submitted", NULL, NULL, NULL), 0);
	long long out0 = fx_count(db, "SELECT count(*) FROM outbox");
	struct lc_wf_tick_report r;
	/* Nothing before the first reminder (16 days after submission). */
	assert_int_equal(lc_wf_tick(db, procs, 1, T0 + 16 * DAY - 1, &r), 0);
	assert_int_equal(r.reminders, 0);
	assert_int_equal(lc_wf_tick(db, procs, 1, T0 + 16 * DAY, &r), 0);
	assert_int_equal(r.reminders, 1);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox"), out0 + 1);
	/* Not twice. */
	assert_int_equal(lc_wf_tick(db, procs, 1, T0 + 16 * DAY + 60, &r), 0);
	assert_int_equal(r.reminders, 0);
	assert_int_equal(lc_wf_tick(db, procs, 1, T0 + 23 * DAY, &r), 0);
	assert_int_equal(r.reminders, 1);
	/* The deadline, to the second. */
	assert_int_equal(lc_wf_tick(db, procs, 1, T0 + 30 * DAY - 1, &r), 0);
	assert_int_equal(r.moved, 0);
	struct lc_wf_item it;
	assert_int_equal(lc_wf_get(db, &proc, id, &it), 0);
	assert_string_equal(it.state, "submitted");
	lc_clock_set_test(T0 + 30 * DAY);
	assert_int_equal(lc_wf_tick(db, procs, 1, T0 + 30 * DAY, &r), 0);
	assert_int_equal(r.moved, 1);
	assert_int_equal(lc_wf_get(db, &proc, id, &it), 0);
	assert_string_equal(it.state, "escalated");
	assert_int_equal(it.due_at, 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM wf_history WHERE actor_email = 'system'"
	                              " AND transition = 'escalate'"),
	                 1);
	/* The natcom may still endorse once escalated. */
	struct lc_actor natcom;
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	assert_int_equal(lc_wf_take(db, &natcom, &proc, id, "endorsed", NULL, NULL, NULL), 0);
	lc_clock_set_test(T0);
}

static void test_list(void **state)
{
	struct lc_db *db = *state;
	int64_t a = new_case(db, DEMO_NOROLE, "IE");
	int64_t b = new_case(db, DEMO_PART, "FR");
	int64_t c = new_case(db, DEMO_NOROLE, "IE");
	struct lc_actor norole;
	assert_int_equal(fx_actor(db, DEMO_NOROLE, &norole), 0);
	assert_int_equal(lc_wf_take(db, &norole, &proc, c, "submitted", NULL, NULL, NULL), 0);
	int64_t *ids;
	size_t n;
	long total;
	json_t *by = NULL;
	struct lc_wf_query q = {.country = "IE"};
	assert_int_equal(lc_wf_list(db, &proc, &q, &ids, &n, &total, &by), 0);
	assert_int_equal(n, 2);
	assert_int_equal(total, 2);
	/* The case with a deadline comes first. */
	assert_int_equal(ids[0], c);
	assert_int_equal(ids[1], a);
	assert_int_equal(json_integer_value(json_object_get(by, "draft")), 1);
	assert_int_equal(json_integer_value(json_object_get(by, "submitted")), 1);
	lc_free(ids);
	json_decref(by);
	q = (struct lc_wf_query){.state = "draft", .per_page = 1, .page = 2};
	assert_int_equal(lc_wf_list(db, &proc, &q, &ids, &n, &total, NULL), 0);
	assert_int_equal(total, 2);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], b);
	lc_free(ids);
	q = (struct lc_wf_query){.per_page = 1000};
	assert_int_equal(lc_wf_list(db, &proc, &q, &ids, &n, &total, NULL), LC_EINVAL);
}

/* A long history: the item shows its latest steps; the rest are paged, newest first. */
static void test_history_paged(void **state)
{
	struct lc_db *db = *state;
	int64_t id = new_case(db, DEMO_NOROLE, "IE");
	/* 29 more steps after "create", written as the engine writes them. */
	for (int i = 1; i <= 29; i++) {
		sqlite3_stmt *st = lc_db_stmt(
		    db, "INSERT INTO wf_history (item_id, transition, from_state, to_state,"
		        " actor_email, reason, at) VALUES (?1, 'note', 'draft', 'draft', "
		        "'x@example.org',"
		        " ?2, ?3)");
		char r[8];
		snprintf(r, sizeof r, "r%d", i);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, r, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, T0 + i);
		assert_int_equal(lc_db_step(db, st), 0);
		lc_db_release(db, st);
	}
	struct lc_actor owner, part, anon;
	lc_actor_anonymous(&anon);
	assert_int_equal(fx_actor(db, DEMO_NOROLE, &owner), 0);
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	struct lc_wf_item it;
	assert_int_equal(lc_wf_get(db, &proc, id, &it), 0);
	json_t *j = NULL;
	assert_int_equal(lc_wf_item_json(db, &owner, &it, &j), 0);
	json_t *h = json_object_get(j, "history");
	assert_int_equal(json_array_size(h), LC_WF_HISTORY_SHOWN);
	assert_int_equal(json_integer_value(json_object_get(j, "history_total")), 30);
	assert_true(json_is_true(json_object_get(j, "history_more")));
	/* The latest twenty, oldest first: r10 .. r29. */
	assert_string_equal(json_string_value(json_object_get(json_array_get(h, 0), "reason")),
	                    "r10");
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(h, LC_WF_HISTORY_SHOWN - 1), "reason")),
	                    "r29");
	json_decref(j);

	/* Page 2 of 20: the ten oldest, ending with "create". */
	assert_int_equal(lc_wf_history(db, &it, NULL, 2, 20, &j), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 30);
	assert_int_equal(json_integer_value(json_object_get(j, "pages")), 2);
	h = json_object_get(j, "items");
	assert_int_equal(json_array_size(h), 10);
	assert_string_equal(json_string_value(json_object_get(json_array_get(h, 0), "reason")),
	                    "r9");
	assert_string_equal(json_string_value(json_object_get(json_array_get(h, 9), "transition")),
	                    "create");
	json_decref(j);
	/* One transition only. */
	assert_int_equal(lc_wf_history(db, &it, "create", 1, 5, &j), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	assert_int_equal(lc_wf_history(db, &it, NULL, 0, LC_LIMIT_PER_PAGE + 1, &j), LC_EINVAL);
	assert_null(j);

	/* Through the view check: strangers learn nothing, not even that it exists. */
	assert_int_equal(lc_wf_history_of(db, &anon, &proc, id, 1, 20, &j), LC_EAUTH);
	assert_int_equal(lc_wf_history_of(db, &anon, &proc, id + 1000, 1, 20, &j), LC_EAUTH);
	assert_int_equal(lc_wf_history_of(db, &part, &proc, id, 1, 20, &j), LC_EPERM);
	assert_int_equal(lc_wf_history_of(db, &owner, &proc, id + 1000, 1, 20, &j), LC_ENOTFOUND);
	assert_int_equal(lc_wf_history_of(db, &owner, &proc, id, 1, 20, &j), 0);
	char path[64];
	snprintf(path, sizeof path, "/testcases/%lld", (long long)id);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "item"), "path")),
	                    path);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 20);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_process_check),
	    cmocka_unit_test_setup_teardown(test_roles_and_reasons, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_clock, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_list, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_history_paged, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
