/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The award's jury (domain/award/jury.h): jurors and their rows (every
 * problem listed, nothing written), assignments at the load and load + 1,
 * the conflicts the system suggests (same country, same e-mail domain,
 * never a public mail domain), every conflict step for every role, and
 * conflict hiding: a juror in conflict finds the nomination in no list or
 * count, and every request for it answers as for one that does not exist.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "accounts_fixture.h"
#include "domain/award/jury.h"
#include "domain/award/nomination.h"
#include "domain/workflow/workflow.h"
#include "engine/award.h"

#define J1 "juror.one@univ-lyon.fr"
#define J2 "juror.two@education.ie"
#define J3 "juror.three@example.org" /* the demo coordinators' domain */
#define J4 "juror.four@gmail.com"

static void exec(struct lc_db *db, const char *sql)
{
	assert_int_equal(lc_db_exec(db, sql), 0);
}

/* An active account with jury:2027. */
static void juror_account(struct lc_db *db, const char *email)
{
	char sql[512];
	snprintf(sql, sizeof sql,
	         "INSERT INTO accounts (email, email_norm, name, status, password_hash, created_at,"
	         " updated_at) VALUES ('%s', '%s', 'Juror', 'active', '$argon2id$x', 1, 1);"
	         "INSERT INTO role_grants (account_id, role, year, created_at)"
	         " VALUES (last_insert_rowid(), 'jury', 2027, 1);",
	         email, email);
	exec(db, sql);
}

static int64_t nominate(struct lc_db *db, const struct lc_actor *a, const char *slug,
                        const char *override)
{
	int64_t id = 0;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_nomination_create(db, a, 2027, slug, override, &id, &d), 0);
	lc_diag_cleanup(&d);
	return id;
}

static int set_juror(struct lc_db *db, const struct lc_actor *a, const char *email,
                     const char *country, long load)
{
	struct lc_diag d;
	lc_diag_init(&d);
	int rc = lc_jury_juror_set(db, a, 2027, email, country, "EUR", load, &d);
	lc_diag_cleanup(&d);
	return rc;
}

static int assign(struct lc_db *db, const struct lc_actor *a, int64_t id, const char *email,
                  const char *code)
{
	struct lc_diag d;
	lc_diag_init(&d);
	int rc = lc_jury_assign(db, a, 2027, id, email, &d);
	if (code)
		assert_true(lc_diag_has(&d, code));
	lc_diag_cleanup(&d);
	return rc;
}

static int step(struct lc_db *db, const struct lc_actor *a, int64_t id, const char *action,
                const char *type, const char *juror, const char *reason)
{
	json_t *b = json_pack("{s:I, s:s, s:s?, s:s?, s:s?}", "nomination", (json_int_t)id,
	                      "action", action, "type", type, "juror", juror, "reason", reason);
	struct lc_diag d;
	lc_diag_init(&d);
	int rc = lc_jury_conflict(db, a, 2027, b, &d);
	lc_diag_cleanup(&d);
	json_decref(b);
	return rc;
}

/* Two nominations (Dublin by the Commission, Cork by the secretariat) and four jurors. */
struct world {
	struct lc_actor admin, natcom, coord, j1, j2, j3, j4;
	int64_t dublin, cork;
};

static void build(struct lc_db *db, struct world *w)
{
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &w->admin), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &w->natcom), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &w->coord), 0);
	w->dublin = nominate(db, &w->natcom, "dublin", NULL);
	w->cork = nominate(db, &w->admin, "cork", "Decided by the secretariat.");
	juror_account(db, J1);
	juror_account(db, J2);
	juror_account(db, J3);
	juror_account(db, J4);
	/* A second coordinator of Cork with a public address: says nothing of J4. */
	exec(db,
	     "INSERT INTO accounts (email, email_norm, name, status, created_at, updated_at)"
	     " VALUES ('cork.helper@gmail.com', 'cork.helper@gmail.com', 'Helper', 'invited', 1,"
	     " 1); INSERT INTO role_grants (account_id, role, city_id, created_at) VALUES"
	     " (last_insert_rowid(), 'coordinator', (SELECT id FROM cities WHERE slug = 'cork'),"
	     " 1);");
	assert_int_equal(set_juror(db, &w->admin, J1, "FR", 2), 0);
	assert_int_equal(set_juror(db, &w->admin, J2, "ie", 5), 0);
	assert_int_equal(set_juror(db, &w->admin, J3, NULL, 5), 0);
	assert_int_equal(set_juror(db, &w->admin, J4, "DE", 5), 0);
	assert_int_equal(fx_actor(db, J1, &w->j1), 0);
	assert_int_equal(fx_actor(db, J2, &w->j2), 0);
	assert_int_equal(fx_actor(db, J3, &w->j3), 0);
	assert_int_equal(fx_actor(db, J4, &w->j4), 0);
}

static long long total(struct lc_db *db, const struct lc_actor *a)
{
	struct lc_nomination_query q = {.year = 2027};
	json_t *v = NULL;
	int rc = lc_nomination_list(db, a, &q, "en", &v);
	long long n = rc ? -rc - 1000 : (long long)json_integer_value(json_object_get(v, "total"));
	long long by = 0;
	const char *k;
	json_t *x;
	json_object_foreach(json_object_get(v, "by_state"), k, x) by += json_integer_value(x);
	if (!rc)
		assert_int_equal(by, n); /* the counts by state say no more than the list */
	json_decref(v);
	return n;
}

static void test_jurors(void **state)
{
	struct lc_db *db = *state;
	struct world w;
	build(db, &w);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM award_jurors WHERE round_year = 2027"),
	                 4 + 1); /* the demo's juror */
	assert_int_equal(fx_count(db, "SELECT count(*) FROM award_panels"), 1);
	long long audits = fx_count(db, "SELECT count(*) FROM audit");
	/* Every problem at once, nothing written. */
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_jury_juror_set(db, &w.admin, 2027, DEMO_NOROLE, "XX", "MARS", 0, &d),
	                 LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_jury_not_juror"));
	assert_true(lc_diag_has(&d, "err_jury_country"));
	assert_true(lc_diag_has(&d, "err_jury_panel"));
	assert_true(lc_diag_has(&d, "err_jury_load_range"));
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(lc_jury_juror_set(db, &w.admin, 2027, J1, NULL, NULL,
	                                   LC_LIMIT_AWARD_JUROR_LOAD + 1, &d),
	                 LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_jury_load_range"));
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(
	    lc_jury_juror_set(db, &w.admin, 2027, J1, NULL, NULL, LC_LIMIT_AWARD_JUROR_LOAD, &d),
	    0);
	lc_diag_cleanup(&d);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit"), audits + 1);
	/* A juror of 2024 is no juror of 2027; only the secretariat names jurors. */
	lc_diag_init(&d);
	assert_int_equal(lc_jury_juror_set(db, &w.admin, 2027, DEMO_JURY, NULL, NULL, 3, &d),
	                 LC_EINVAL);
	assert_int_equal(lc_jury_juror_set(db, &w.natcom, 2027, J1, NULL, NULL, 3, &d), LC_EPERM);
	assert_int_equal(lc_jury_juror_set(db, &w.j1, 2027, J1, NULL, NULL, 3, &d), LC_EPERM);
	assert_int_equal(lc_jury_juror_set(db, &w.admin, 2026, J1, NULL, NULL, 3, &d),
	                 LC_ENOTFOUND);
	lc_diag_cleanup(&d);
}

static void test_assign_load(void **state)
{
	struct lc_db *db = *state;
	struct world w;
	build(db, &w);
	assert_int_equal(set_juror(db, &w.admin, J1, "FR", 1), 0);
	assert_int_equal(assign(db, &w.admin, w.dublin, J1, NULL), 0);
	/* Again: no change. Load + 1: refused with the load, nothing written. */
	assert_int_equal(assign(db, &w.admin, w.dublin, J1, NULL), 0);
	assert_int_equal(assign(db, &w.admin, w.cork, J1, "err_jury_load"), LC_ECONFLICT);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM award_assignments"),
	                 1 + DEMO_2027_NOMINATIONS);
	assert_int_equal(set_juror(db, &w.admin, J1, "FR", 2), 0);
	assert_int_equal(assign(db, &w.admin, w.cork, J1, NULL), 0);
	/* Not a juror; not the secretariat. */
	assert_int_equal(assign(db, &w.admin, w.cork, DEMO_JURY, "err_jury_not_juror"), LC_EINVAL);
	assert_int_equal(assign(db, &w.natcom, w.cork, J2, NULL), LC_EPERM);
	assert_int_equal(assign(db, &w.j2, w.cork, J2, NULL), LC_EPERM);
	assert_int_equal(assign(db, &w.admin, 999999, J2, NULL), LC_ENOTFOUND);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM award_assignments"),
	                 2 + DEMO_2027_NOMINATIONS);
}

static void test_suggestions(void **state)
{
	struct lc_db *db = *state;
	struct world w;
	build(db, &w);
	/* J2 is Irish: Dublin's country. J3 shares the coordinators' domain. J4's gmail says
	 * nothing. */
	assert_int_equal(assign(db, &w.admin, w.dublin, J2, NULL), 0);
	assert_int_equal(assign(db, &w.admin, w.cork, J3, NULL), 0);
	assert_int_equal(assign(db, &w.admin, w.cork, J4, NULL), 0);
	assert_int_equal(assign(db, &w.admin, w.cork, J1, NULL), 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM award_conflicts WHERE state ="
	                              " 'suggested' AND type = 'own_country'"),
	                 1);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM award_conflicts WHERE state ="
	                              " 'suggested' AND type = 'employer_adviser'"),
	                 1);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM award_conflicts"), 2);
	/* A suggestion is in force until dismissed: J2 sees nothing yet. */
	assert_int_equal(total(db, &w.j2), 0);
	assert_int_equal(total(db, &w.j4), 1);
	/* Dismissing needs a reason; then J2 reads Dublin. */
	assert_int_equal(step(db, &w.admin, w.dublin, "dismiss", NULL, J2, NULL), LC_EINVAL);
	assert_int_equal(step(db, &w.admin, w.dublin, "dismiss", NULL, J2, "Lives abroad."), 0);
	assert_int_equal(total(db, &w.j2), 1);
	/* Dismissed is final for a dismissal; the secretariat confirms the other one. */
	assert_int_equal(step(db, &w.admin, w.dublin, "dismiss", NULL, J2, "Again."), LC_ECONFLICT);
	assert_int_equal(step(db, &w.admin, w.cork, "confirm", NULL, J3, NULL), 0);
	assert_int_equal(step(db, &w.j3, w.cork, "withdraw", NULL, NULL, NULL), LC_ECONFLICT);
	assert_int_equal(total(db, &w.j3), 0);
	/* A confirmed conflict keeps a new assignment away. */
	assert_int_equal(assign(db, &w.admin, w.cork, J3, NULL), 0); /* already assigned */
	exec(db, "DELETE FROM award_assignments WHERE account_id = (SELECT id FROM accounts"
	         " WHERE email = '" J3 "')");
	assert_int_equal(assign(db, &w.admin, w.cork, J3, "err_jury_conflicted"), LC_ECONFLICT);
}

/* Every way to reach nomination id answers as for a nomination that does not exist. */
static void hidden(struct lc_db *db, const struct lc_actor *a, int64_t id)
{
	json_t *v = NULL;
	struct lc_nomination_file f;
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t ids[] = {id, 999999};
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(lc_nomination_get(db, a, ids[i], "en", &v), LC_ENOTFOUND);
		assert_int_equal(lc_wf_history_of(db, a, &lc_nomination_process, ids[i], 1, 20, &v),
		                 LC_ENOTFOUND);
		assert_int_equal(lc_nomination_file_get(db, a, ids[i], "consent", &f),
		                 LC_ENOTFOUND);
		assert_int_equal(lc_nomination_take(db, a, ids[i], "withdrawn", NULL, &d),
		                 LC_ENOTFOUND);
		json_t *patch = json_pack("{s:s}", "general", "x");
		assert_int_equal(lc_nomination_save(db, a, ids[i], patch, &d), LC_ENOTFOUND);
		json_decref(patch);
	}
	lc_diag_cleanup(&d);
}

static void test_hiding(void **state)
{
	struct lc_db *db = *state;
	struct world w;
	build(db, &w);
	assert_int_equal(assign(db, &w.admin, w.dublin, J1, NULL), 0);
	assert_int_equal(assign(db, &w.admin, w.cork, J1, NULL), 0);
	assert_int_equal(total(db, &w.j1), 2);
	json_t *v = NULL;
	assert_int_equal(lc_nomination_get(db, &w.j1, w.dublin, "en", &v), 0);
	json_decref(v);
	/* Not assigned: as if it did not exist. */
	hidden(db, &w.j4, w.dublin);
	assert_int_equal(step(db, &w.j4, w.dublin, "declare", "personal", NULL, NULL),
	                 LC_ENOTFOUND);
	/* J1 declares: Dublin leaves its list, its counts and every view. */
	assert_int_equal(step(db, &w.j1, w.dublin, "declare", "bogus", NULL, NULL), LC_EINVAL);
	assert_int_equal(step(db, &w.j1, w.dublin, "declare", "personal", NULL, "My cousin."), 0);
	assert_int_equal(total(db, &w.j1), 1);
	hidden(db, &w.j1, w.dublin);
	/* Withdrawn before confirmation: back. */
	assert_int_equal(step(db, &w.j1, w.dublin, "withdraw", NULL, NULL, NULL), 0);
	assert_int_equal(total(db, &w.j1), 2);
	assert_int_equal(step(db, &w.j1, w.dublin, "declare", "personal", NULL, NULL), 0);
	assert_int_equal(step(db, &w.admin, w.dublin, "confirm", NULL, J1, NULL), 0);
	/* Confirmed: the juror cannot take it back nor declare over it. */
	assert_int_equal(step(db, &w.j1, w.dublin, "withdraw", NULL, NULL, NULL), LC_ECONFLICT);
	assert_int_equal(step(db, &w.j1, w.dublin, "declare", "other", NULL, NULL), LC_ECONFLICT);
	hidden(db, &w.j1, w.dublin);
	/* The secretariat still sees everything. */
	assert_int_equal(total(db, &w.admin), 2 + DEMO_2027_NOMINATIONS);
	/* Steps by role. */
	assert_int_equal(step(db, &w.admin, w.cork, "declare", "other", NULL, NULL), LC_EPERM);
	assert_int_equal(step(db, &w.j1, w.cork, "set", "other", J1, NULL), LC_EPERM);
	assert_int_equal(step(db, &w.natcom, w.cork, "declare", "other", NULL, NULL), LC_EPERM);
	assert_int_equal(step(db, &w.coord, w.cork, "set", "other", J1, NULL), LC_EPERM);
	struct lc_actor anon;
	lc_actor_anonymous(&anon);
	assert_int_equal(step(db, &anon, w.cork, "set", "other", J1, NULL), LC_EAUTH);
	assert_int_equal(step(db, &w.admin, w.cork, "fly", "other", J1, NULL), LC_EINVAL);
	assert_int_equal(step(db, &w.admin, w.cork, "set", "other", J4, NULL), 0);
	/* The lists of conflicts: the secretariat's with cities, the juror's without. */
	json_t *all = NULL, *mine = NULL;
	assert_int_equal(lc_jury_conflicts(db, &w.admin, 2027, "en", &all), 0);
	assert_int_equal(json_integer_value(json_object_get(all, "total")), 2);
	assert_non_null(json_object_get(json_array_get(json_object_get(all, "items"), 0), "city"));
	assert_int_equal(lc_jury_conflicts(db, &w.j1, 2027, "en", &mine), 0);
	assert_int_equal(json_integer_value(json_object_get(mine, "total")), 1);
	assert_null(json_object_get(json_array_get(json_object_get(mine, "items"), 0), "city"));
	assert_int_equal(lc_jury_conflicts(db, &w.natcom, 2027, "en", &v), LC_EPERM);
	assert_int_equal(lc_jury_conflicts(db, &anon, 2027, "en", &v), LC_EAUTH);
	json_decref(all);
	json_decref(mine);
	/* Every change is in the audit trail. */
	assert_true(fx_count(db, "SELECT count(*) FROM audit WHERE action = 'award.conflict'") >=
	            5);
}

/* Puts scores (a JSON text) on the sheet; the problem code expected, or NULL. */
static int score(struct lc_db *db, const struct lc_actor *a, int64_t id, const char *body,
                 const char *code)
{
	json_t *b = json_loads(body, 0, NULL);
	assert_non_null(b);
	struct lc_diag d;
	lc_diag_init(&d);
	int rc = lc_jury_score_put(db, a, id, b, &d);
	if (code)
		assert_true(lc_diag_has(&d, code));
	lc_diag_cleanup(&d);
	json_decref(b);
	return rc;
}

#define SCORING_OPEN  1807747200LL /* 2027-04-15T00:00:00Z, the demo round's first day */
#define SCORING_AFTER 1814400000LL /* 2027-07-01T00:00:00Z, the day after its last */
#define FULL                                                                                       \
	"{\"plan\": 8, \"coordination\": 7, \"resources\": 6, \"monitoring\": 5,"                  \
	" \"access\": 9, \"culture\": 4, \"innovation\": 7.5, \"gnlc\": 10}"

static void test_scores(void **state)
{
	struct lc_db *db = *state;
	struct world w;
	build(db, &w);
	assert_int_equal(assign(db, &w.admin, w.dublin, J1, NULL), 0);
	assert_int_equal(assign(db, &w.admin, w.dublin, J4, NULL), 0);
	/* The window, at its edges. */
	assert_int_equal(score(db, &w.j1, w.dublin, "{}", "err_jury_scoring_closed"), LC_ECONFLICT);
	lc_clock_set_test(SCORING_OPEN - 1);
	assert_int_equal(score(db, &w.j1, w.dublin, "{}", "err_jury_scoring_closed"), LC_ECONFLICT);
	lc_clock_set_test(SCORING_AFTER + 1);
	assert_int_equal(score(db, &w.j1, w.dublin, "{}", "err_jury_scoring_closed"), LC_ECONFLICT);
	lc_clock_set_test(SCORING_AFTER - 1);
	assert_int_equal(score(db, &w.j1, w.dublin, "{\"plan\": 1}", NULL), 0);
	lc_clock_set_test(SCORING_OPEN);
	/* Every bad score at once; nothing written. */
	long long before = fx_count(db, "SELECT count(*) FROM award_scores");
	assert_int_equal(score(db, &w.j1, w.dublin,
	                       "{\"scores\": {\"plan\": 11, \"culture\": -1, \"access\": \"x\","
	                       " \"nope\": 3}}",
	                       "err_jury_score_range"),
	                 LC_EINVAL);
	assert_int_equal(
	    score(db, &w.j1, w.dublin, "{\"scores\": {\"nope\": 3}}", "err_jury_criterion"),
	    LC_EINVAL);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM award_scores"), before);
	/* 0 and the scale's top are scores; a draft, then a refused submit, then a submit. */
	assert_int_equal(score(db, &w.j1, w.dublin,
	                       "{\"scores\": {\"plan\": 0, \"gnlc\": 10},"
	                       " \"comment\": \"Strong plan.\"}",
	                       NULL),
	                 0);
	assert_int_equal(score(db, &w.j1, w.dublin, "{\"submit\": true}", "err_jury_score_missing"),
	                 LC_EINVAL);
	assert_int_equal(
	    score(db, &w.j1, w.dublin, "{\"scores\": " FULL ", \"submit\": true}", NULL), 0);
	assert_int_equal(
	    score(db, &w.j1, w.dublin, "{\"scores\": {\"plan\": 1}}", "err_jury_submitted"),
	    LC_ECONFLICT);
	/* After own: J4 sees J1's sheet only once it has submitted its own. */
	json_t *v = NULL;
	assert_int_equal(lc_jury_score_get(db, &w.j4, w.dublin, "en", &v), 0);
	assert_string_equal(json_string_value(json_object_get(v, "state")), "none");
	assert_null(json_object_get(v, "others"));
	json_decref(v);
	assert_int_equal(
	    score(db, &w.j4, w.dublin, "{\"scores\": " FULL ", \"submit\": true}", NULL), 0);
	assert_int_equal(lc_jury_score_get(db, &w.j4, w.dublin, "en", &v), 0);
	assert_int_equal(json_array_size(json_object_get(v, "others")), 1);
	json_decref(v);
	/* J1 recuses after scoring: its scores stay (and their audit rows), seen by nobody. */
	assert_int_equal(step(db, &w.admin, w.dublin, "set", "personal", J1, "Found late."), 0);
	assert_int_equal(lc_jury_score_get(db, &w.j4, w.dublin, "en", &v), 0);
	assert_int_equal(json_array_size(json_object_get(v, "others")), 0);
	json_decref(v);
	assert_int_equal(lc_jury_score_get(db, &w.j1, w.dublin, "en", &v), LC_ENOTFOUND);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM award_scores s JOIN accounts a ON"
	                              " a.id = s.account_id WHERE a.email = '" J1 "'"),
	                 8);
	assert_true(
	    fx_count(db, "SELECT count(*) FROM audit WHERE action = 'award.score.submit'") == 2);
	/* Not a juror of the round, or not assigned: nothing there. */
	assert_int_equal(lc_jury_score_get(db, &w.natcom, w.dublin, "en", &v), LC_ENOTFOUND);
	assert_int_equal(lc_jury_score_get(db, &w.admin, w.dublin, "en", &v), LC_ENOTFOUND);
	assert_int_equal(lc_jury_score_get(db, &w.j2, w.dublin, "en", &v), LC_ENOTFOUND);
	assert_int_equal(score(db, &w.j2, w.cork, "{}", NULL), LC_ENOTFOUND);
}

/* The round's ranking input and its ranking (two threads, the default seed). */
static void rank(struct lc_db *db, const struct lc_actor *admin, struct lc_award_input *in,
                 struct lc_award_result *r)
{
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_jury_ranking_input(db, admin, 2027, in, &d), 0);
	struct lc_award_opts o = {.boot = 200, .seed = 7, .threads = 2};
	assert_int_equal(lc_award_rank(in, &o, r, &d), 0);
	lc_diag_cleanup(&d);
}

#define J5 "juror.five@univ-lyon.fr"

static void test_ranking_without_conflicted(void **state)
{
	struct lc_db *db = *state;
	struct world w;
	build(db, &w);
	struct lc_actor j5;
	juror_account(db, J5);
	assert_int_equal(set_juror(db, &w.admin, J5, NULL, 5), 0);
	assert_int_equal(fx_actor(db, J5, &j5), 0);
	lc_clock_set_test(SCORING_OPEN);
	struct lc_award_input in0;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_jury_ranking_input(db, &w.admin, 2027, &in0, &d), LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_jury_no_scores"));
	assert_int_equal(lc_jury_ranking_input(db, &w.j1, 2027, &in0, &d), LC_EPERM);
	lc_diag_cleanup(&d);
	lc_award_input_cleanup(&in0);
	/* J1 and J4 score both; J5 scores Cork only. */
	const char *sheet[] = {
	    "{\"scores\": " FULL ", \"submit\": true}",
	    "{\"scores\": {\"plan\": 3, \"coordination\": 4, \"resources\": 2, \"monitoring\": 5,"
	    " \"access\": 1, \"culture\": 6, \"innovation\": 2, \"gnlc\": 3}, \"submit\": true}"};
	const struct lc_actor *both[] = {&w.j1, &w.j4};
	for (size_t k = 0; k < 2; k++) {
		assert_int_equal(assign(db, &w.admin, w.dublin, both[k]->email, NULL), 0);
		assert_int_equal(assign(db, &w.admin, w.cork, both[k]->email, NULL), 0);
		assert_int_equal(score(db, both[k], w.dublin, sheet[k], NULL), 0);
		assert_int_equal(score(db, both[k], w.cork, sheet[1 - k], NULL), 0);
	}
	assert_int_equal(assign(db, &w.admin, w.cork, J5, NULL), 0);
	assert_int_equal(score(db, &j5, w.cork, sheet[1], NULL), 0);
	struct lc_award_input a, b;
	struct lc_award_result ra, rb;
	rank(db, &w.admin, &a, &ra);
	/* Now J5 also reads Dublin, scores it at the top, and recuses: nothing changes. */
	assert_int_equal(assign(db, &w.admin, w.dublin, J5, NULL), 0);
	assert_int_equal(score(db, &j5, w.dublin, sheet[0], NULL), 0);
	assert_int_equal(step(db, &j5, w.dublin, "declare", "employer_adviser", NULL, NULL), 0);
	rank(db, &w.admin, &b, &rb);
	assert_int_equal(a.n_noms, b.n_noms);
	assert_int_equal(a.n_jurors, b.n_jurors);
	assert_int_equal(a.n_jurors, 3);
	size_t cells = a.n_noms * a.n_jurors * a.n_crit;
	assert_memory_equal(a.score, b.score, cells * sizeof *a.score);
	for (size_t n = 0; n < a.n_noms; n++) {
		assert_string_equal(a.noms[n], b.noms[n]);
		assert_int_equal(ra.noms[n].n_jurors, rb.noms[n].n_jurors);
		assert_memory_equal(&ra.noms[n].mean, &rb.noms[n].mean, sizeof(double));
		assert_memory_equal(&ra.noms[n].rank_mean, &rb.noms[n].rank_mean, sizeof(double));
		assert_memory_equal(&ra.noms[n].rank_lo, &rb.noms[n].rank_lo, sizeof(double));
		assert_memory_equal(&ra.noms[n].rank_hi, &rb.noms[n].rank_hi, sizeof(double));
		assert_memory_equal(&ra.noms[n].p_top_k, &rb.noms[n].p_top_k, sizeof(double));
	}
	/* Dublin has its two jurors' totals, Cork three; the recused sheet is still stored. */
	assert_int_equal(fx_count(db, "SELECT count(*) FROM award_score_sheets WHERE state ="
	                              " 'submitted'"),
	                 6);
	lc_award_input_cleanup(&a);
	lc_award_input_cleanup(&b);
	lc_award_result_cleanup(&ra);
	lc_award_result_cleanup(&rb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_jurors, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_assign_load, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_suggestions, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_hiding, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_scores, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_ranking_without_conflicted, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
