/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/accounts/session.c: login creates a new session each time (the id
 * is never reused), lookup, idle and absolute expiry with the test clock,
 * CSRF derivation and constant-time check, logout (a stolen id stops
 * working), logout everywhere, disabled accounts, rehash at login, and
 * throttled logins answering LC_EBUSY with a wait.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/limits.h"
#include "domain/accounts/session.h"
#include "accounts_fixture.h"

static int login(struct lc_db *db, const char *email, const char *pw, struct lc_login_result *res)
{
	struct lc_login in = {
	    .email = email, .password = pw, .addr = "192.0.2.7", .user_agent = "test"};
	return lc_session_login(db, &in, res);
}

static void test_login_lookup_logout(void **state)
{
	struct lc_db *db = *state;
	struct lc_login_result r1, r2;
	assert_int_equal(login(db, "Admin@Example.ORG", DEMO_ADMIN_PW, &r1), 0);
	assert_int_equal(strlen(r1.cookie), LC_SESSION_ID_CHARS);
	assert_int_equal(strlen(r1.session.csrf), LC_SESSION_CSRF_CHARS);
	assert_int_equal(login(db, DEMO_ADMIN, DEMO_ADMIN_PW, &r2), 0);
	assert_string_not_equal(r1.cookie, r2.cookie); /* a new id at every login */
	assert_string_not_equal(r1.session.csrf, r2.session.csrf);

	struct lc_session s;
	assert_int_equal(lc_session_lookup(db, r1.cookie, &s), 0);
	assert_int_equal(s.account_id, fx_id(db, DEMO_ADMIN));
	assert_string_equal(s.csrf, r1.session.csrf);
	assert_true(lc_session_csrf_ok(&s, r1.session.csrf));
	assert_false(lc_session_csrf_ok(&s, r2.session.csrf));
	assert_false(lc_session_csrf_ok(&s, NULL));
	assert_false(lc_session_csrf_ok(&s, "short"));

	/* A copy of the cookie (stolen) works until logout, then never again. */
	char stolen[LC_SESSION_ID_CHARS + 1];
	memcpy(stolen, r1.cookie, sizeof stolen);
	assert_int_equal(lc_session_logout(db, r1.cookie), 0);
	assert_int_equal(lc_session_lookup(db, stolen, &s), LC_EAUTH);
	assert_int_equal(lc_session_lookup(db, r2.cookie, &s), 0);
	assert_int_equal(lc_session_logout(db, stolen), 0); /* again: not an error */
	assert_int_equal(lc_session_lookup(db, "garbage", &s), LC_EAUTH);
	assert_int_equal(lc_session_lookup(db, NULL, &s), LC_EAUTH);

	/* Wrong password, unknown address, no role: same answer. */
	assert_int_equal(login(db, DEMO_ADMIN, "wrong password!", &r1), LC_EAUTH);
	assert_int_equal(login(db, "nobody@example.org", "whatever it is", &r1), LC_EAUTH);
	assert_int_equal(login(db, "not an address", "whatever it is", &r1), LC_EAUTH);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit WHERE action = 'session.login'"),
	                 2);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit WHERE action = 'session.logout'"),
	                 1);
}

static void test_expiry(void **state)
{
	struct lc_db *db = *state;
	struct lc_login_result r;
	struct lc_session s;
	assert_int_equal(login(db, DEMO_COORD, DEMO_COORD_PW, &r), 0);
	/* Used before the idle limit: the idle expiry moves on. */
	lc_clock_set_test(T0 + LC_LIMIT_SESSION_IDLE_S - 10);
	assert_int_equal(lc_session_lookup(db, r.cookie, &s), 0);
	assert_int_equal(s.idle_expires_at, T0 + 2 * LC_LIMIT_SESSION_IDLE_S - 10);
	/* Idle too long: gone (and deleted). */
	lc_clock_set_test(T0 + 2 * LC_LIMIT_SESSION_IDLE_S);
	assert_int_equal(lc_session_lookup(db, r.cookie, &s), LC_EAUTH);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM sessions"), 0);

	/* Used every few hours: still ends at the absolute limit. */
	lc_clock_set_test(T0);
	assert_int_equal(login(db, DEMO_COORD, DEMO_COORD_PW, &r), 0);
	int64_t t = T0;
	while (t + 3600 < T0 + LC_LIMIT_SESSION_ABSOLUTE_S) {
		t += 3600;
		lc_clock_set_test(t);
		assert_int_equal(lc_session_lookup(db, r.cookie, &s), 0);
	}
	lc_clock_set_test(T0 + LC_LIMIT_SESSION_ABSOLUTE_S);
	assert_int_equal(lc_session_lookup(db, r.cookie, &s), LC_EAUTH);

	/* Purge removes expired sessions. */
	lc_clock_set_test(T0);
	assert_int_equal(login(db, DEMO_COORD, DEMO_COORD_PW, &r), 0);
	lc_clock_set_test(T0 + LC_LIMIT_SESSION_ABSOLUTE_S + 1);
	assert_int_equal(lc_session_purge(db), 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM sessions"), 0);
}

static void test_logout_everywhere(void **state)
{
	struct lc_db *db = *state;
	struct lc_login_result a, b, c, other;
	struct lc_session s;
	assert_int_equal(login(db, DEMO_JURY, DEMO_JURY_PW, &a), 0);
	assert_int_equal(login(db, DEMO_JURY, DEMO_JURY_PW, &b), 0);
	assert_int_equal(login(db, DEMO_JURY, DEMO_JURY_PW, &c), 0);
	assert_int_equal(login(db, DEMO_NATCOM, DEMO_NATCOM_PW, &other), 0);
	struct lc_actor jury, natcom;
	assert_int_equal(fx_actor(db, DEMO_JURY, &jury), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	int n = -1;
	/* Nobody ends another person's sessions, except admin. */
	assert_int_equal(lc_session_logout_all(db, &natcom, jury.account_id, 0, &n), LC_EPERM);
	/* Everywhere but here. */
	assert_int_equal(lc_session_logout_all(db, &jury, jury.account_id, c.session.id, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(lc_session_lookup(db, a.cookie, &s), LC_EAUTH);
	assert_int_equal(lc_session_lookup(db, b.cookie, &s), LC_EAUTH);
	assert_int_equal(lc_session_lookup(db, c.cookie, &s), 0);
	assert_int_equal(lc_session_lookup(db, other.cookie, &s), 0);
	assert_int_equal(lc_session_logout_all(db, &jury, jury.account_id, 0, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(lc_session_lookup(db, c.cookie, &s), LC_EAUTH);

	/* Disabling an account ends its sessions; it cannot log in. */
	struct lc_actor sys;
	lc_actor_system(&sys);
	assert_int_equal(lc_account_disable(db, &sys, natcom.account_id, "test"), 0);
	assert_int_equal(lc_session_lookup(db, other.cookie, &s), LC_EAUTH);
	assert_int_equal(login(db, DEMO_NATCOM, DEMO_NATCOM_PW, &other), LC_EAUTH);
}

static void test_rehash_at_login(void **state)
{
	struct lc_db *db = *state;
	/* Demo hashes are t=3/64 MiB; in light mode they "need rehash" and get replaced. */
	struct lc_login_result r;
	const char *sql =
	    "SELECT count(*) FROM accounts WHERE email_norm = 'participant@example.org'"
	    " AND password_hash LIKE '%m=65536,t=3%'";
	assert_int_equal(fx_count(db, sql), 1);
	assert_int_equal(login(db, DEMO_PART, DEMO_PART_PW, &r), 0);
	assert_int_equal(fx_count(db, sql), 0);
	assert_int_equal(login(db, DEMO_PART, DEMO_PART_PW, &r), 0); /* the new hash works */
}

static void test_throttled_login(void **state)
{
	struct lc_db *db = *state;
	struct lc_login_result r;
	for (int i = 0; i < LC_LIMIT_THROTTLE_PAIR; i++)
		assert_int_equal(login(db, DEMO_ADMIN, "wrong password!", &r), LC_EAUTH);
	/* Even the right password waits now from that address, without being checked. */
	assert_int_equal(login(db, DEMO_ADMIN, DEMO_ADMIN_PW, &r), LC_EBUSY);
	assert_int_equal(r.retry_after, LC_LIMIT_THROTTLE_WINDOW_S);
	/* The owner from another address is not locked out by those guesses. */
	struct lc_login elsewhere = {.email = DEMO_ADMIN,
	                             .password = DEMO_ADMIN_PW,
	                             .addr = "198.51.100.44",
	                             .user_agent = "test"};
	assert_int_equal(lc_session_login(db, &elsewhere, &r), 0);
	lc_clock_set_test(T0 + 100);
	assert_int_equal(login(db, DEMO_ADMIN, DEMO_ADMIN_PW, &r), LC_EBUSY);
	assert_int_equal(r.retry_after, LC_LIMIT_THROTTLE_WINDOW_S - 100);
	lc_clock_set_test(T0 + LC_LIMIT_THROTTLE_WINDOW_S);
	assert_int_equal(login(db, DEMO_ADMIN, DEMO_ADMIN_PW, &r), 0);
	/* Success forgets the account's failures. */
	assert_int_equal(login(db, DEMO_ADMIN, "wrong password!", &r), LC_EAUTH);
	assert_int_equal(login(db, DEMO_ADMIN, DEMO_ADMIN_PW, &r), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_login_lookup_logout, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_expiry, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_logout_everywhere, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_rehash_at_login, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_throttled_login, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
