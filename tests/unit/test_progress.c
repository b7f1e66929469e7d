/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Biennial progress reports and the membership lifecycle: both process
 * tables pass the checker; every (state, target) pair is refused to every
 * role that may not take it; a cohort opens one report per member city
 * with its deadline; reminders; overdue at the deadline and the lapse of
 * report and membership exactly when the grace period ends, to the second;
 * pre-fill from the previous report; validation of answers; returning with
 * a comment and submitting again; the list's scoping.
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
#include "base/buf.h"
#include "base/catalogue.h"
#include "domain/workflow/membership.h"
#include "domain/workflow/processes.h"
#include "domain/workflow/progress.h"
#include "domain/workflow/questionnaire.h"
#include "domain/accounts/role.h"
#include "domain/workflow/workflow.h"

#define DAY 86400
/* Deadline 2026-12-31: due at 2027-01-01T00:00:00Z. */
#define DUE 1798761600LL

static int64_t city(struct lc_db *db, const char *slug)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT id FROM cities WHERE slug = '%s'", slug);
	return (int64_t)fx_count(db, sql);
}

static int64_t open_one(struct lc_db *db, int64_t city_id, long year, const char *deadline,
                        long grace)
{
	struct lc_actor admin;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	struct lc_progress_cohort c = {.year = year,
	                               .deadline = deadline,
	                               .grace_days = grace,
	                               .cities = &city_id,
	                               .ncities = 1};
	int64_t cid = 0;
	json_t *ids = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_progress_cohort_open(db, &admin, &c, &cid, &ids, &d);
	if (err && d.count)
		fprintf(stderr, "cohort: %s\n", d.items[0].message);
	assert_int_equal(err, 0);
	lc_diag_cleanup(&d);
	assert_int_equal(json_array_size(ids), 1);
	int64_t id = (int64_t)json_integer_value(json_array_get(ids, 0));
	json_decref(ids);
	return id;
}

static void fill_required(struct lc_db *db, const struct lc_actor *a, int64_t id)
{
	json_t *ans = json_pack("{s:s, s:s, s:s, s:s}", "contact_name", "Jane Murphy, coordinator",
	                        "plan_adopted", "yes", "progress_planning", "A plan was adopted.",
	                        "progress_involvement", "Partners met four times.");
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_progress_save(db, a, id, ans, &d), 0);
	lc_diag_cleanup(&d);
	json_decref(ans);
}

static void test_tables(void **state)
{
	(void)state;
	size_t n;
	const struct lc_wf_process *const *p = lc_processes(&n);
	assert_true(n >= 2);
	for (size_t i = 0; i < n; i++) {
		const char *why = NULL;
		int rc = lc_wf_process_check(p[i], &why);
		if (rc)
			fprintf(stderr, "%s: %s\n", p[i]->name, why);
		assert_int_equal(rc, 0);
	}
	assert_ptr_equal(lc_process_find("report"), &lc_progress_process);
	assert_ptr_equal(lc_process_find("membership"), &lc_membership_process);
	json_t *q = NULL;
	assert_int_equal(lc_questionnaire_get(&q), 0);
	assert_non_null(lc_questionnaire_find(q, "progress_planning"));
	json_decref(q);
}

/* The actors of the matrix; "other" coordinates another city than the report's. */
enum { ANON, NOROLE, NATCOM, PART, EXPERT, JURY, OTHER, COORD, ADMIN, SYS, NACTORS };

static void load_actors(struct lc_db *db, struct lc_actor *a)
{
	lc_actor_anonymous(&a[ANON]);
	lc_actor_system(&a[SYS]);
	assert_int_equal(fx_actor(db, DEMO_NOROLE, &a[NOROLE]), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &a[NATCOM]), 0);
	assert_int_equal(fx_actor(db, DEMO_PART, &a[PART]), 0);
	assert_int_equal(fx_actor(db, DEMO_EXPERT, &a[EXPERT]), 0);
	assert_int_equal(fx_actor(db, DEMO_JURY, &a[JURY]), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &a[COORD]), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &a[ADMIN]), 0);
	/* The participant also coordinates Espoo: a coordinator, of the wrong city. */
	struct lc_role r = {.kind = LC_ROLE_COORDINATOR, .city_id = city(db, "espoo")};
	assert_true(r.city_id > 0);
	assert_int_equal(lc_role_grant(db, &a[SYS], fx_id(db, DEMO_PART), &r), 0);
	assert_int_equal(fx_actor(db, DEMO_PART, &a[OTHER]), 0);
}

/* May actor k take t? The rules the tables mean. */
static bool allowed(const struct lc_wf_transition *t, int k)
{
	if (t->flags & LC_WF_CLOCK)
		return k == SYS;
	if (k == ADMIN || k == SYS)
		return true;
	return t->action == LC_ACT_FILE_REPORT && k == COORD;
}

static void put_state(struct lc_db *db, int64_t id, const char *s)
{
	sqlite3_stmt *st = lc_db_stmt(db, "UPDATE wf_items SET state = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, s);
	assert_int_equal(lc_db_step(db, st), 0);
	lc_db_release(db, st);
}

static void matrix(struct lc_db *db, const struct lc_wf_process *p, int64_t id, struct lc_actor *a,
                   long *refused, long *taken)
{
	for (size_t i = 0; i < p->nstates; i++) {
		for (size_t j = 0; j < p->nstates; j++) {
			const char *from = p->states[i].name, *to = p->states[j].name;
			const struct lc_wf_transition *t = lc_wf_transition_find(p, from, to);
			for (int k = 0; k < NACTORS; k++) {
				put_state(db, id, from);
				struct lc_diag d;
				lc_diag_init(&d);
				int rc = lc_wf_take(db, &a[k], p, id, to, "A reason.", &d, NULL);
				lc_diag_cleanup(&d);
				if (t && allowed(t, k)) {
					if (rc)
						fprintf(stderr, "%s %s->%s actor %d: %d\n", p->name,
						        from, to, k, rc);
					assert_int_equal(rc, 0);
					(*taken)++;
				} else {
					if (!rc)
						fprintf(stderr, "%s %s->%s actor %d allowed\n",
						        p->name, from, to, k);
					assert_true(rc == LC_ECONFLICT || rc == LC_EPERM ||
					            rc == LC_EAUTH);
					if (k == ANON)
						assert_int_equal(rc, LC_EAUTH);
					(*refused)++;
				}
			}
		}
	}
}

static void test_forbidden_matrix(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor a[NACTORS];
	load_actors(db, a);
	int64_t cork = city(db, "cork");
	int64_t id = open_one(db, cork, 2026, "2026-12-31", 90);
	fill_required(db, &a[COORD], id);
	long refused = 0, taken = 0;
	matrix(db, &lc_progress_process, id, a, &refused, &taken);
	/* 3 submits x 3 actors, accept and return x 2, flag x2 and lapse by the system. */
	assert_int_equal(taken, 3 * 3 + 2 * 2 + 3);
	assert_true(refused > 300);
	struct lc_wf_item m;
	assert_int_equal(lc_membership_item(db, cork, &m), 0);
	refused = taken = 0;
	matrix(db, &lc_membership_process, m.id, a, &refused, &taken);
	/* 9 steps, each by the admin and the system. */
	assert_int_equal(taken, 9 * 2);
	/* A coordinator cannot override its own membership, a stranger learns nothing. */
	assert_int_equal(lc_membership_take(db, &a[COORD], cork, "suspended", "x", NULL, NULL),
	                 LC_EPERM);
	assert_int_equal(lc_membership_take(db, &a[ANON], cork, "suspended", "x", NULL, NULL),
	                 LC_EAUTH);
}

static void test_membership_overrides(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	int64_t cork = city(db, "cork");
	struct lc_diag d;
	lc_diag_init(&d);
	/* A reason is required. */
	assert_int_equal(lc_membership_take(db, &admin, cork, "suspended", "  ", &d, NULL),
	                 LC_EINVAL);
	struct lc_wf_item it;
	assert_int_equal(
	    lc_membership_take(db, &admin, cork, "suspended", "No contact for two years", &d, &it),
	    0);
	assert_string_equal(it.state, "suspended");
	assert_int_equal(fx_count(db, "SELECT count(*) FROM memberships m JOIN cities c"
	                              " ON c.id = m.city_id WHERE c.slug = 'cork'"
	                              " AND m.to_date IS NULL AND m.status = 'suspended'"
	                              " AND m.reason = 'No contact for two years'"),
	                 1);
	/* Admitting a suspended member is refused: it is reinstated. */
	assert_int_equal(lc_membership_admit(db, &admin, cork, "x"), LC_ECONFLICT);
	assert_int_equal(
	    lc_membership_take(db, &admin, cork, "member", "Contact restored", &d, &it), 0);
	assert_int_equal(
	    lc_membership_take(db, &admin, cork, "withdrawn", "The city left", &d, &it), 0);
	/* Admitted again: the item is restored, not duplicated. */
	assert_int_equal(lc_membership_admit(db, &admin, cork, "Application approved"), 0);
	assert_int_equal(lc_membership_item(db, cork, &it), 0);
	assert_string_equal(it.state, "member");
	assert_int_equal(fx_count(db, "SELECT count(*) FROM wf_items WHERE process = 'membership'"),
	                 1);
	/* A city that was never a member gets its item when admitted. */
	int64_t t = city(db, "tunis");
	assert_int_equal(lc_db_exec(db, "DELETE FROM memberships WHERE city_id ="
	                                " (SELECT id FROM cities WHERE slug = 'tunis')"),
	                 0);
	assert_int_equal(lc_membership_item(db, t, &it), LC_ENOTFOUND);
	assert_int_equal(lc_membership_admit(db, &admin, t, NULL), 0);
	assert_int_equal(lc_membership_item(db, t, &it), 0);
	assert_string_equal(it.state, "member");
	assert_int_equal(fx_count(db, "SELECT count(*) FROM memberships m JOIN cities c"
	                              " ON c.id = m.city_id WHERE c.slug = 'tunis'"
	                              " AND m.to_date IS NULL AND m.status = 'member'"),
	                 1);
	/* History with reasons, as the city page shows it. */
	json_t *j = NULL;
	assert_int_equal(lc_membership_item(db, cork, &it), 0);
	assert_int_equal(lc_wf_item_json(db, &admin, &it, &j), 0);
	assert_int_equal(json_array_size(json_object_get(j, "history")), 5);
	json_decref(j);
	lc_diag_cleanup(&d);
}

static void test_clock_and_lapse(void **state)
{
	struct lc_db *db = *state;
	size_t np;
	const struct lc_wf_process *const *procs = lc_processes(&np);
	int64_t cork = city(db, "cork");
	int64_t id = open_one(db, cork, 2026, "2026-12-31", 90);
	struct lc_wf_item it;
	assert_int_equal(lc_wf_get(db, &lc_progress_process, id, &it), 0);
	assert_string_equal(it.state, "draft");
	assert_int_equal(it.due_at, DUE);
	/* People read the deadline as the day it was set to, not the midnight after it. */
	char day[11];
	lc_wf_due_day(&it, day);
	assert_string_equal(day, "2026-12-31");
	assert_int_equal(it.next_remind_at, DUE - 30 * DAY);
	long long out0 = fx_count(db, "SELECT count(*) FROM outbox");
	struct lc_wf_tick_report r;
	/* Reminders 30 and 7 days ahead, to Cork's coordinator. */
	assert_int_equal(lc_wf_tick(db, procs, np, DUE - 30 * DAY - 1, &r), 0);
	assert_int_equal(r.reminders, 0);
	assert_int_equal(lc_wf_tick(db, procs, np, DUE - 30 * DAY, &r), 0);
	assert_int_equal(r.reminders, 1);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox WHERE to_addr ="
	                              " 'coordinator.cork@example.org'"),
	                 1);
	/* The reminder names the deadline's day, 31 December, not 1 January. */
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox WHERE to_addr ="
	                              " 'coordinator.cork@example.org'"
	                              " AND instr(body, '31 December 2026') > 0"),
	                 1);
	assert_int_equal(lc_wf_tick(db, procs, np, DUE - 7 * DAY, &r), 0);
	assert_int_equal(r.reminders, 1);
	/* Overdue at the deadline, to the second. */
	lc_clock_set_test(DUE - 1);
	assert_int_equal(lc_wf_tick(db, procs, np, DUE - 1, &r), 0);
	assert_int_equal(r.moved, 0);
	lc_clock_set_test(DUE);
	assert_int_equal(lc_wf_tick(db, procs, np, DUE, &r), 0);
	assert_int_equal(r.moved, 1);
	assert_int_equal(lc_wf_get(db, &lc_progress_process, id, &it), 0);
	assert_string_equal(it.state, "overdue");
	assert_int_equal(it.due_at, DUE + 90 * DAY);
	assert_int_equal(it.next_remind_at, DUE + 60 * DAY);
	/* Coordinators and the secretariat were told when the membership lapses. */
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox WHERE subject LIKE '%overdue'"
	                              " AND body LIKE '%lapses on 1 April 2027 (UTC)%'"),
	                 2);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox"), out0 + 4);
	/* The last second of grace: nothing. */
	lc_clock_set_test(DUE + 90 * DAY - 1);
	assert_int_equal(lc_wf_tick(db, procs, np, DUE + 90 * DAY - 1, &r), 0);
	assert_int_equal(lc_wf_get(db, &lc_progress_process, id, &it), 0);
	assert_string_equal(it.state, "overdue");
	assert_int_equal(fx_count(db, "SELECT count(*) FROM memberships m WHERE m.city_id ="
	                              " (SELECT id FROM cities WHERE slug = 'cork')"
	                              " AND m.to_date IS NULL AND m.status = 'member'"),
	                 1);
	/* The grace period ends: report and membership lapse, the row dated that day. */
	lc_clock_set_test(DUE + 90 * DAY);
	assert_int_equal(lc_wf_tick(db, procs, np, DUE + 90 * DAY, &r), 0);
	assert_int_equal(r.failed, 0);
	assert_int_equal(lc_wf_get(db, &lc_progress_process, id, &it), 0);
	assert_string_equal(it.state, "lapsed");
	assert_int_equal(fx_count(db,
	                          "SELECT count(*) FROM memberships m WHERE m.city_id ="
	                          " (SELECT id FROM cities WHERE slug = 'cork')"
	                          " AND m.to_date IS NULL AND m.status = 'lapsed'"
	                          " AND m.from_date = '2027-04-01'"
	                          " AND m.reason LIKE 'The progress report 2026 was not filed%'"),
	                 1);
	struct lc_wf_item m;
	assert_int_equal(lc_membership_item(db, cork, &m), 0);
	assert_string_equal(m.state, "lapsed");
	lc_clock_set_test(T0);
}

static void test_late_submission(void **state)
{
	struct lc_db *db = *state;
	size_t np;
	const struct lc_wf_process *const *procs = lc_processes(&np);
	struct lc_actor coord, admin;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	int64_t id = open_one(db, city(db, "cork"), 2026, "2026-12-31", 90);
	struct lc_wf_tick_report r;
	lc_clock_set_test(DUE);
	assert_int_equal(lc_wf_tick(db, procs, np, DUE, &r), 0);
	/* Still open to the coordinator while overdue; no deadline once submitted. */
	fill_required(db, &coord, id);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_progress_take(db, &coord, id, "submitted", NULL, &d), 0);
	struct lc_wf_item it;
	assert_int_equal(lc_wf_get(db, &lc_progress_process, id, &it), 0);
	assert_int_equal(it.due_at, 0);
	/* Returned after the deadline: 30 days to answer. */
	assert_int_equal(lc_progress_take(db, &admin, id, "returned", "Add the figures", &d), 0);
	assert_int_equal(lc_wf_get(db, &lc_progress_process, id, &it), 0);
	assert_int_equal(it.due_at, DUE + 30 * DAY);
	lc_clock_set_test(DUE + 100 * DAY);
	assert_int_equal(lc_wf_tick(db, procs, np, DUE + 100 * DAY, &r), 0);
	assert_int_equal(lc_wf_get(db, &lc_progress_process, id, &it), 0);
	/* Overdue again; its grace already over, it still gets 14 days. */
	assert_string_equal(it.state, "overdue");
	assert_int_equal(it.due_at, DUE + 114 * DAY);
	lc_diag_cleanup(&d);
	lc_clock_set_test(T0);
}

static void test_answers_review_prefill(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor coord, admin, natcom;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	int64_t cork = city(db, "cork");
	int64_t id = open_one(db, cork, 2026, "2026-12-31", -1);
	struct lc_diag d;
	lc_diag_init(&d);
	/* Submitting an empty report names every required question. */
	assert_int_equal(lc_progress_take(db, &coord, id, "submitted", NULL, &d), LC_EINVAL);
	assert_int_equal(d.count, 4);
	assert_string_equal(d.items[0].field, "contact_name");
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	/* Types, word limits, read-only statistics, unknown questions: all refused at once. */
	char many[2200];
	for (int i = 0; i < 201; i++)
		memcpy(many + 5 * i, "word ", 5);
	many[5 * 201] = '\0';
	json_t *bad =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "learners_reached", "12.5",
	              "budget_share", "lots", "plan_adopted", "maybe", "cluster", "sports",
	              "challenges", many, "stat_literacy", "99", "nope", "x", "contact_name", 5);
	assert_int_equal(lc_progress_save(db, &coord, id, bad, &d), LC_EINVAL);
	json_decref(bad);
	assert_int_equal(d.count, 7);
	bool words = false;
	for (size_t i = 0; i < d.count; i++)
		words = words || (strcmp(d.items[i].field, "challenges") == 0 &&
		                  strstr(d.items[i].message, "201 words, at most 200"));
	assert_true(words);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM report_answers"), 0);
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	/* Others may neither read nor write. */
	json_t *v = NULL;
	assert_int_equal(lc_progress_get(db, &natcom, id, "en", &v), LC_EPERM);
	json_t *one = json_pack("{s:s}", "contact_name", "x");
	assert_int_equal(lc_progress_save(db, &natcom, id, one, &d), LC_EPERM);
	json_decref(one);
	fill_required(db, &coord, id);
	json_t *more = json_pack("{s:s, s:i, s:b, s:s}", "case_title", "Learning festival",
	                         "learners_reached", 12000, "plan_adopted", 1, "cluster", "equity");
	assert_int_equal(lc_progress_save(db, &coord, id, more, &d), 0);
	json_decref(more);
	assert_int_equal(lc_progress_take(db, &coord, id, "submitted", NULL, &d), 0);
	/* Submitted: no more edits. */
	one = json_pack("{s:s}", "case_title", "Changed");
	assert_int_equal(lc_progress_save(db, &coord, id, one, &d), LC_ECONFLICT);
	json_decref(one);
	/* The state is named in the reader's language. */
	assert_true(d.count > 0);
	assert_string_equal(d.items[d.count - 1].message,
	                    "A report that is submitted cannot be edited");
	struct lc_buf fr;
	lc_buf_init(&fr, 4096);
	lc_catalogue_message(lc_catalogue_shared(), "fr", &d.items[d.count - 1], &fr);
	assert_string_equal(lc_buf_cstr(&fr),
	                    "Un rapport à l’état soumis ne peut pas être modifié");
	lc_buf_cleanup(&fr);
	/* Returned with a comment, which the coordinator sees first. */
	assert_int_equal(lc_progress_take(db, &admin, id, "returned", NULL, &d), LC_EINVAL);
	assert_int_equal(
	    lc_progress_take(db, &admin, id, "returned", "Please add the budget share.", &d), 0);
	assert_int_equal(lc_progress_get(db, &coord, id, "fr", &v), 0);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(json_object_get(v, "comments"), 0), "reason")),
	                    "Please add the budget share.");
	assert_true(json_is_true(json_object_get(v, "can_edit")));
	/* Labels in French; the saved answers are there. */
	const json_t *s0 = json_array_get(json_object_get(v, "sections"), 0);
	assert_string_equal(json_string_value(json_object_get(s0, "title")),
	                    "Informations générales");
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(json_object_get(s0, "questions"), 1), "value")),
	                    "yes");
	json_decref(v);
	one = json_pack("{s:f}", "budget_share", 4.5);
	assert_int_equal(lc_progress_save(db, &coord, id, one, &d), 0);
	json_decref(one);
	assert_int_equal(lc_progress_take(db, &coord, id, "submitted", NULL, &d), 0);
	assert_int_equal(lc_progress_take(db, &admin, id, "accepted", NULL, &d), 0);
	/* Two years later: the new report starts from this one's answers. */
	lc_clock_set_test(T0 + 730 * DAY);
	int64_t id2 = open_one(db, cork, 2028, "2028-12-31", 90);
	assert_int_equal(lc_progress_get(db, &coord, id2, "en", &v), 0);
	assert_int_equal(json_integer_value(json_object_get(v, "prefilled_from")), id);
	assert_string_equal(json_string_value(json_object_get(v, "state")), "draft");
	json_decref(v);
	char sql[200];
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM report_answers WHERE item_id = %lld AND"
	         " ((question = 'budget_share' AND value = '4.5') OR (question = 'cluster'"
	         " AND value = 'equity'))",
	         (long long)id2);
	assert_int_equal(fx_count(db, sql), 2);
	/* A second report for the same year is refused. */
	struct lc_progress_cohort c = {.year = 2028,
	                               .deadline = "2028-12-31",
	                               .grace_days = 90,
	                               .cities = &cork,
	                               .ncities = 1};
	int64_t cid;
	assert_int_equal(lc_progress_cohort_open(db, &admin, &c, &cid, NULL, &d), LC_EINVAL);
	lc_diag_cleanup(&d);
	lc_clock_set_test(T0);
}

static void test_cohort_and_list(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor coord, admin, natcom;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_progress_cohort c = {.year = 2026, .deadline = "2026-02-30", .grace_days = 400};
	int64_t cid = 0;
	json_t *ids = NULL;
	assert_int_equal(lc_progress_cohort_open(db, &coord, &c, &cid, &ids, &d), LC_EPERM);
	assert_int_equal(lc_progress_cohort_open(db, &admin, &c, &cid, &ids, &d), LC_EINVAL);
	assert_int_equal(d.count, 2);
	c.deadline = "2026-09-21"; /* today: too late */
	c.grace_days = -1;
	assert_int_equal(lc_progress_cohort_open(db, &admin, &c, &cid, &ids, &d), LC_EINVAL);
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	c.deadline = "2027-03-31";
	assert_int_equal(lc_progress_cohort_open(db, &admin, &c, &cid, &ids, &d), 0);
	long long members = fx_count(db, "SELECT count(*) FROM memberships WHERE to_date IS NULL"
	                                 " AND status = 'member'");
	assert_int_equal((long long)json_array_size(ids), members);
	json_decref(ids);
	json_t *list = NULL;
	struct lc_progress_query q = {.per_page = 5};
	assert_int_equal(lc_progress_list(db, &admin, &q, "en", &list), 0);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), members);
	assert_int_equal(json_array_size(json_object_get(list, "items")), 5);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(list, "by_state"), "draft")),
	    members);
	json_decref(list);
	q = (struct lc_progress_query){0};
	assert_int_equal(lc_progress_list(db, &coord, &q, "en", &list), 0);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 1);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_object_get(json_array_get(json_object_get(list, "items"), 0), "city"),
	        "slug")),
	    "cork");
	json_decref(list);
	q.city_id = city(db, "espoo");
	assert_int_equal(lc_progress_list(db, &coord, &q, "en", &list), LC_EPERM);
	q.city_id = 0;
	assert_int_equal(lc_progress_list(db, &natcom, &q, "en", &list), LC_EPERM);
	/* Cork files; at the deadline every other report is overdue and listed first. */
	list = NULL;
	q = (struct lc_progress_query){.per_page = 1};
	assert_int_equal(lc_progress_list(db, &coord, &q, "en", &list), 0);
	int64_t cork_report = json_integer_value(
	    json_object_get(json_array_get(json_object_get(list, "items"), 0), "id"));
	json_decref(list);
	fill_required(db, &coord, cork_report);
	assert_int_equal(lc_progress_take(db, &coord, cork_report, "submitted", NULL, &d), 0);
	size_t np;
	const struct lc_wf_process *const *procs = lc_processes(&np);
	struct lc_wf_tick_report r;
	int64_t due = 1806537600LL; /* 2027-04-01T00:00:00Z, the end of 2027-03-31 */
	lc_clock_set_test(due);
	assert_int_equal(lc_wf_tick(db, procs, np, due, &r), 0);
	assert_int_equal(r.moved, members - 1);
	q = (struct lc_progress_query){.per_page = 10, .page = 1};
	assert_int_equal(lc_progress_list(db, &admin, &q, "en", &list), 0);
	const json_t *first = json_array_get(json_object_get(list, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "state")), "overdue");
	assert_true(json_is_true(json_object_get(first, "overdue")));
	json_decref(list);
	/* The last page crosses from the overdue reports to the submitted one. */
	long last = (long)((members + 9) / 10);
	q.page = last;
	assert_int_equal(lc_progress_list(db, &admin, &q, "en", &list), 0);
	const json_t *items = json_object_get(list, "items");
	assert_int_equal((long long)json_array_size(items), members - (last - 1) * 10);
	const json_t *end = json_array_get(items, json_array_size(items) - 1);
	assert_string_equal(json_string_value(json_object_get(end, "state")), "submitted");
	assert_int_equal(json_integer_value(json_object_get(end, "id")), cork_report);
	assert_int_equal(json_integer_value(json_object_get(list, "pages")), last);
	json_decref(list);
	q = (struct lc_progress_query){.state = "submitted"};
	assert_int_equal(lc_progress_list(db, &admin, &q, "en", &list), 0);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 1);
	json_decref(list);
	lc_clock_set_test(T0);
	json_t *cohorts = NULL;
	assert_int_equal(lc_progress_cohorts(db, &admin, &cohorts), 0);
	assert_int_equal(json_array_size(cohorts), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(cohorts, 0), "lapse_on")),
	    "2027-06-30");
	json_decref(cohorts);
	lc_diag_cleanup(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tables),
	    cmocka_unit_test_setup_teardown(test_forbidden_matrix, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_membership_overrides, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_clock_and_lapse, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_late_submission, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_answers_review_prefill, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_cohort_and_list, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
