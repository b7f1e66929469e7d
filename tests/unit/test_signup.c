/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Sign-up with a confirmed e-mail address (account.h lc_account_signup and
 * lc_account_confirm_signup): the account stays invited until the e-mailed
 * link is opened with the sign-up password; the link is single-use, expires,
 * and only the newest works; login before confirmation says why only to
 * whoever knows the password; an administrator's invitation is not taken
 * over by a sign-up.
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
#include "domain/accounts/onetime.h"
#include "domain/platform/outbox.h"
#include "domain/accounts/session.h"
#include "domain/accounts/throttle.h"

#define BASE "https://lc.example"
#define PW   "Learning-city-2026!"

/* The secret and body of the newest outbox message (caller frees the secret). */
static char *newest_secret(struct lc_db *db, char *body_out, size_t n)
{
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT secret, body, to_addr FROM outbox ORDER BY id DESC LIMIT 1");
	char *s = NULL;
	if (st && lc_db_step(db, st) == 1) {
		s = lc_xstrdup(lc_db_text(st, 0));
		snprintf(body_out, n, "%s", lc_db_text(st, 1));
	}
	lc_db_release(db, st);
	return s;
}

static int64_t signup(struct lc_db *db, const char *email, const char *name, const char *pw,
                      const char *addr, int expect)
{
	struct lc_actor anon;
	lc_actor_anonymous(&anon);
	struct lc_account_new in = {.email = email, .name = name, .password = pw};
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0;
	assert_int_equal(lc_account_signup(db, &anon, &in, addr, BASE, &d, &id, NULL), expect);
	lc_diag_cleanup(&d);
	return id;
}

static void test_signup_confirm(void **state)
{
	struct lc_db *db = *state;
	long long msgs = fx_count(db, "SELECT count(*) FROM outbox");
	int64_t id = signup(db, "Ann@Example.net", "Ann", PW, "10.0.0.1", 0);
	assert_true(id > 0);
	struct lc_account a;
	assert_int_equal(lc_account_get(db, id, &a), 0);
	assert_int_equal(a.status, LC_ACCOUNT_INVITED);
	assert_true(a.has_password);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox"), msgs + 1);
	char body[4096];
	char *tok = newest_secret(db, body, sizeof body);
	assert_non_null(tok);
	assert_non_null(strstr(body, BASE "/signup/verify?token=" LC_OUTBOX_SECRET));
	assert_null(strstr(body, tok));
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit WHERE action ="
	                              " 'account.signup'"),
	                 1);

	/* Not active: login refused; the right password learns why, a wrong one does not. */
	struct lc_login_result res;
	struct lc_login li = {.email = "ann@example.net", .password = PW, .addr = "10.0.0.9"};
	assert_int_equal(lc_session_login(db, &li, &res), LC_EAUTH);
	assert_true(res.unconfirmed);
	li.password = "not the password at all";
	assert_int_equal(lc_session_login(db, &li, &res), LC_EAUTH);
	assert_false(res.unconfirmed);
	li.email = "nobody@example.net";
	assert_int_equal(lc_session_login(db, &li, &res), LC_EAUTH);
	assert_false(res.unconfirmed);
	assert_int_equal(lc_throttle_clear(db, "ann@example.net", NULL), 0);

	/* A wrong token, or the wrong password, activates nothing and keeps the token. */
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t got = 0;
	assert_int_equal(lc_account_confirm_signup(
	                     db, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", PW, &d, &got),
	                 LC_EAUTH);
	assert_int_equal(lc_account_confirm_signup(db, "short", PW, &d, &got), LC_EAUTH);
	assert_int_equal(lc_account_confirm_signup(db, tok, "Wrong-password-2026!", &d, &got),
	                 LC_EINVAL);
	assert_int_equal(lc_account_confirm_signup(db, tok, NULL, &d, &got), LC_EINVAL);
	assert_int_equal(lc_account_get(db, id, &a), 0);
	assert_int_equal(a.status, LC_ACCOUNT_INVITED);
	/* The link and the password: active, audited, and the link works once. */
	assert_int_equal(lc_account_confirm_signup(db, tok, PW, &d, &got), 0);
	assert_int_equal(got, id);
	assert_int_equal(lc_account_get(db, id, &a), 0);
	assert_int_equal(a.status, LC_ACCOUNT_ACTIVE);
	assert_int_equal(lc_account_confirm_signup(db, tok, PW, &d, &got), LC_EAUTH);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit WHERE action ="
	                              " 'account.verify'"),
	                 1);
	li.email = "ann@example.net";
	li.password = PW;
	assert_int_equal(lc_session_login(db, &li, &res), 0);
	/* Active now: signing up again answers as for a new address, changes nothing in the
	 * account, and tells its owner (at most LC_LIMIT_SIGNUPS_PER_HOUR times an hour). */
	msgs = fx_count(db, "SELECT count(*) FROM outbox");
	long long audits = fx_count(db, "SELECT count(*) FROM audit WHERE object_type = 'account'");
	assert_int_equal(
	    signup(db, "ann@example.net", "Mallory", "Another-password-99", "10.0.0.1", 0), 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox"), msgs + 1);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox WHERE id = (SELECT max(id) FROM"
	                              " outbox) AND secret IS NULL AND body LIKE '%Someone tried to"
	                              " sign up%" BASE "/password/forgot%'"),
	                 1);
	assert_int_equal(fx_count(db,
	                          "SELECT count(*) FROM outbox WHERE to_addr = 'ann@example.net'"
	                          " AND subject LIKE 'Someone tried%'"),
	                 1);
	assert_int_equal(lc_account_get(db, id, &a), 0);
	assert_string_equal(a.name, "Ann");
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit WHERE object_type = 'account'"),
	                 audits);
	assert_int_equal(lc_session_login(db, &li, &res), 0); /* the password is unchanged */
	for (int i = 1; i < LC_LIMIT_SIGNUPS_PER_HOUR + 3; i++)
		signup(db, "ann@example.net", "Ann", PW, "10.0.0.1", 0);
	assert_int_equal(fx_count(db,
	                          "SELECT count(*) FROM outbox WHERE to_addr = 'ann@example.net'"
	                          " AND subject LIKE 'Someone tried%'"),
	                 LC_LIMIT_SIGNUPS_PER_HOUR);
	lc_diag_cleanup(&d);
	lc_free(tok);
}

static void test_signup_again_and_expiry(void **state)
{
	struct lc_db *db = *state;
	int64_t id = signup(db, "bob@example.net", "Bob", PW, "10.0.0.2", 0);
	char body[4096];
	char *tok1 = newest_secret(db, body, sizeof body);
	/* Again (not confirmed yet): same account, new link, the latest password; the old link
	 * stops working. */
	int64_t id2 =
	    signup(db, "BOB@example.net", "Robert", "Another-password-2027", "10.0.0.3", 0);
	assert_int_equal(id2, id);
	char *tok2 = newest_secret(db, body, sizeof body);
	assert_string_not_equal(tok1, tok2);
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t got = 0;
	assert_int_equal(lc_account_confirm_signup(db, tok1, PW, &d, &got), LC_EAUTH);
	assert_int_equal(lc_account_confirm_signup(db, tok2, PW, &d, &got), LC_EINVAL);
	struct lc_account a;
	assert_int_equal(lc_account_get(db, id, &a), 0);
	assert_string_equal(a.name, "Robert");
	/* At most LC_LIMIT_SIGNUPS_PER_HOUR links an hour: more sign-ups send nothing. */
	long long msgs = fx_count(db, "SELECT count(*) FROM outbox");
	for (int i = 2; i < LC_LIMIT_SIGNUPS_PER_HOUR + 2; i++)
		signup(db, "bob@example.net", "Robert", "Another-password-2027", "10.0.1.1", 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox"),
	                 msgs + LC_LIMIT_SIGNUPS_PER_HOUR - 2);
	char *tok3 = newest_secret(db, body, sizeof body);
	/* The link expires. */
	lc_clock_set_test(T0 + LC_LIMIT_SIGNUP_TTL_S + 1);
	assert_int_equal(lc_account_confirm_signup(db, tok3, "Another-password-2027", &d, &got),
	                 LC_EAUTH);
	assert_int_equal(lc_account_get(db, id, &a), 0);
	assert_int_equal(a.status, LC_ACCOUNT_INVITED);
	/* A new sign-up sends a new link that works. */
	signup(db, "bob@example.net", "Robert", "Another-password-2027", "10.0.1.2", 0);
	char *tok4 = newest_secret(db, body, sizeof body);
	assert_int_equal(lc_account_confirm_signup(db, tok4, "Another-password-2027", &d, &got), 0);
	assert_int_equal(got, id);
	lc_diag_cleanup(&d);
	lc_free(tok1);
	lc_free(tok2);
	lc_free(tok3);
	lc_free(tok4);
}

static void test_signup_not_over_invitation(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	struct lc_account_new in = {.email = "invitee@example.fr", .name = "Invitee"};
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0;
	assert_int_equal(lc_account_invite(db, &admin, &in, BASE, &d, &id), 0);
	char body[4096];
	char *tok = newest_secret(db, body, sizeof body);
	/* A sign-up does not replace an administrator's invitation... */
	assert_int_equal(signup(db, "invitee@example.fr", "Someone", PW, "10.0.0.4", 0), 0);
	int64_t got = 0;
	assert_int_equal(lc_onetime_peek(db, tok, LC_ONETIME_INVITE, &got), 0);
	/* ...and an invitation link does not confirm at /signup/verify. */
	assert_int_equal(lc_account_confirm_signup(db, tok, PW, &d, &got), LC_EAUTH);
	/* Sign-ups are throttled per client address, and need a valid base URL. */
	struct lc_actor anon;
	lc_actor_anonymous(&anon);
	struct lc_account_new ok = {.email = "x@example.net", .name = "X", .password = PW};
	assert_int_equal(
	    lc_account_signup(db, &anon, &ok, "10.0.0.5", "javascript:x", &d, &id, NULL),
	    LC_EINVAL);
	assert_int_equal(lc_account_signup(db, &anon, &ok, "10.0.0.5", NULL, &d, &id, NULL),
	                 LC_EINVAL);
	lc_diag_cleanup(&d);
	lc_free(tok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_signup_confirm, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_signup_again_and_expiry, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_signup_not_over_invitation, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
