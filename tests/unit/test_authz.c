/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The permission matrix: every protected action (every row of
 * lc_authz_actions) against every kind of actor -- nobody, an account
 * without role, each demo role, the command-line operator -- on an object
 * inside the role's scope ("own") and outside it ("other"). The expected
 * answer is written below as a table; an action added to the enum without
 * its row here (or in the rules table) fails the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "accounts_fixture.h"

/* Columns: anonymous, no role, admin, coordinator:cork, natcom:IE, jury:2024, participant, expert,
 * system.
 */
enum { NACTORS = 9 };
static const char *const actor_names[NACTORS] = {"anonymous",   "norole", "admin",
                                                 "coordinator", "natcom", "jury",
                                                 "participant", "expert", "system"};

/* 'A' allowed, 'L' LC_EAUTH (log in first), 'P' LC_EPERM. */
struct expect {
	const char *own;   /* object in scope: own account, Cork, IE, 2024 */
	const char *other; /* object out of scope: another account, another city, FR, 2019 */
};

static const struct expect matrix[LC_ACT__COUNT] = {
    /*                                    anon/none/adm/coo/nat/jur/par/exp/sys */
    [LC_ACT_VIEW_DIRECTORY] = {"AAAAAAAAA", "AAAAAAAAA"},
    [LC_ACT_LOGIN] = {"AAAAAAAAA", "AAAAAAAAA"},
    [LC_ACT_VIEW_OWN_ACCOUNT] = {"LAAAAAAAA", "LAAAAAAAA"},
    [LC_ACT_EDIT_OWN_ACCOUNT] = {"LAAAAAAAA", "LPAPPPPPA"},
    [LC_ACT_MANAGE_OWN_TOKENS] = {"LAAAAAAAA", "LPAPPPPPA"},
    [LC_ACT_VIEW_ADMIN] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_MANAGE_USERS] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_INVITE] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_VIEW_AUDIT] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_VIEW_OUTBOX] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_SEND_OUTBOX] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_MANAGE_SETTINGS] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_EDIT_CITY] = {"LPAAPPPPA", "LPAPPPPPA"},
    [LC_ACT_ENDORSE_FOR_COUNTRY] = {"LPAPAPPPA", "LPAPPPPPA"},
    [LC_ACT_SCORE_ROUND] = {"LPAPPAPPA", "LPAPPPPPA"},
    [LC_ACT_JOIN_CONFERENCE] = {"LPAPPPAPA", "LPAPPPAPA"},
    [LC_ACT_VIEW_OBSERVATIONS] = {"LPAAPPPPA", "LPAPPPPPA"},
    [LC_ACT_ENTER_OBSERVATIONS] = {"LPAAPPPPA", "LPAPPPPPA"},
    [LC_ACT_SUBMIT_YEAR] = {"LPAAPPPPA", "LPAPPPPPA"},
    [LC_ACT_REVIEW_OBSERVATIONS] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_EDIT_FRAMEWORK] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_RUN_INDEX] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_APPLY_MEMBERSHIP] = {"LAAAAAAAA", "LPAPPPPPA"},
    [LC_ACT_MANAGE_CALLS] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_SCREEN_APPLICATION] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_RECOMMEND_MEMBERSHIP] = {"LPAPPPPAA", "LPAPPPPAA"},
    [LC_ACT_DECIDE_MEMBERSHIP] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_FILE_REPORT] = {"LPAAPPPPA", "LPAPPPPPA"},
    [LC_ACT_REVIEW_REPORT] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_MANAGE_AWARD] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_PREPARE_NOMINATION] = {"LPAAPPPPA", "LPAPPPPPA"},
    [LC_ACT_WRITE_CASE] = {"LPAAPPPPA", "LPAPPPPPA"},
    [LC_ACT_CURATE_LIBRARY] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_MANAGE_CONFERENCE] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_REGISTER_CONFERENCE] = {"LAAAAAAAA", "LAAAAAAAA"},
    [LC_ACT_CHECK_IN] = {"LPAPPPPPA", "LPAPPPPPA"}, /* checkin:SLUG: test_checkin.c */
    [LC_ACT_ISSUE_LETTERS] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_EDIT_PROGRAMME] = {"LPAPPPPPA", "LPAPPPPPA"},
    [LC_ACT_STAR_SESSIONS] = {"LAAAAAAAA", "LAAAAAAAA"},
};

static int64_t city(struct lc_db *db, const char *slug)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id FROM cities WHERE slug = ?1");
	lc_db_bind_text(st, 1, slug);
	int64_t id = lc_db_step(db, st) == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	return id;
}

static void load_actors(struct lc_db *db, struct lc_actor *a)
{
	static const char *const emails[] = {NULL,       DEMO_NOROLE, DEMO_ADMIN,
	                                     DEMO_COORD, DEMO_NATCOM, DEMO_JURY,
	                                     DEMO_PART,  DEMO_EXPERT, NULL};
	lc_actor_anonymous(&a[0]);
	for (int i = 1; i < 8; i++)
		assert_int_equal(fx_actor(db, emails[i], &a[i]), 0);
	lc_actor_system(&a[8]);
}

static char code(int rc)
{
	return rc == 0 ? 'A' : rc == LC_EAUTH ? 'L' : rc == LC_EPERM ? 'P' : '?';
}

static void test_rules_table_complete(void **state)
{
	(void)state;
	for (int a = 0; a < LC_ACT__COUNT; a++) {
		const struct lc_authz_rule *r = &lc_authz_actions[a];
		assert_non_null(r->name);
		assert_int_equal(r->action, a);
		for (int b = 0; b < a; b++)
			assert_string_not_equal(r->name, lc_authz_actions[b].name);
		assert_non_null(matrix[a].own);
		assert_non_null(matrix[a].other);
		assert_int_equal(strlen(matrix[a].own), NACTORS);
		assert_int_equal(strlen(matrix[a].other), NACTORS);
	}
	assert_int_equal(lc_authz_check(NULL, LC_ACT__COUNT, NULL), LC_EINVAL);
	assert_null(lc_authz_action_name(LC_ACT__COUNT));
}

static void test_matrix(void **state)
{
	struct lc_db *db = *state;
	static struct lc_actor actors[NACTORS];
	load_actors(db, actors);
	int64_t cork = city(db, "cork"), other_city = city(db, "medellin");
	assert_true(cork > 0 && other_city > 0);
	int64_t admin_id = fx_id(db, DEMO_ADMIN), part_id = fx_id(db, DEMO_PART);
	int failures = 0;
	for (int a = 0; a < LC_ACT__COUNT; a++) {
		for (int i = 0; i < NACTORS; i++) {
			int64_t self = actors[i].account_id;
			struct lc_authz_object own = {.account_id = self ? self : admin_id,
			                              .city_id = cork,
			                              .country = "ie",
			                              .year = 2024};
			struct lc_authz_object other = {.account_id =
			                                    self == part_id ? admin_id : part_id,
			                                .city_id = other_city,
			                                .country = "FR",
			                                .year = 2019};
			if (actors[i].kind == LC_ACTOR_SYSTEM || self == 0)
				own.account_id = other.account_id;
			char got_own = code(lc_authz_check(&actors[i], (enum lc_action)a, &own));
			char got_other =
			    code(lc_authz_check(&actors[i], (enum lc_action)a, &other));
			/* Anonymous has no own account: its "own" column is the same check. */
			if (got_own != matrix[a].own[i] || got_other != matrix[a].other[i]) {
				print_error("%s x %s: own %c (want %c), other %c (want %c)\n",
				            lc_authz_action_name((enum lc_action)a), actor_names[i],
				            got_own, matrix[a].own[i], got_other,
				            matrix[a].other[i]);
				failures++;
			}
		}
	}
	assert_int_equal(failures, 0);
}

/* With no object, a scoped action asks "on at least one": a menu entry. */
static void test_any_object(void **state)
{
	struct lc_db *db = *state;
	static struct lc_actor actors[NACTORS];
	load_actors(db, actors);
	assert_int_equal(lc_authz_check(&actors[3], LC_ACT_EDIT_CITY, NULL), 0);
	assert_int_equal(lc_authz_check(&actors[4], LC_ACT_EDIT_CITY, NULL), LC_EPERM);
	assert_int_equal(lc_authz_check(&actors[4], LC_ACT_ENDORSE_FOR_COUNTRY, NULL), 0);
	assert_int_equal(lc_authz_check(&actors[5], LC_ACT_SCORE_ROUND, NULL), 0);
	assert_int_equal(lc_authz_check(&actors[0], LC_ACT_SCORE_ROUND, NULL), LC_EAUTH);
	assert_int_equal(lc_authz_check(&actors[3], LC_ACT_ENTER_OBSERVATIONS, NULL), 0);
	assert_int_equal(lc_authz_check(&actors[3], LC_ACT_REVIEW_OBSERVATIONS, NULL), LC_EPERM);
	assert_true(lc_actor_has_role(&actors[2], LC_ROLE_ADMIN));
	assert_false(lc_actor_has_role(&actors[1], LC_ROLE_ADMIN));
	assert_string_equal(actors[3].email, DEMO_COORD);
	assert_int_equal(actors[3].nroles, 1);
}

/* Only active accounts become actors. */
static void test_actor_load_status(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor sys, a;
	lc_actor_system(&sys);
	assert_int_equal(lc_account_disable(db, &sys, fx_id(db, DEMO_PART), "left the network"), 0);
	assert_int_equal(fx_actor(db, DEMO_PART, &a), LC_EAUTH);
	assert_int_equal(a.kind, LC_ACTOR_ANONYMOUS);
	assert_int_equal(lc_actor_load(db, 999999, &a), LC_ENOTFOUND);
	assert_int_equal(lc_account_enable(db, &sys, fx_id(db, DEMO_PART), "came back"), 0);
	assert_int_equal(fx_actor(db, DEMO_PART, &a), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rules_table_complete),
	    cmocka_unit_test_setup_teardown(test_matrix, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_any_object, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_actor_load_status, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
