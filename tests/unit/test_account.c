/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/accounts/account.c: e-mail validation and
 * normalisation, creating with a weak or strong password, duplicate
 * addresses in any case, invitation (outbox message with the link's
 * placeholder, secret kept apart), accepting it once, password reset,
 * changing one's own password, editing, the list with search and
 * pagination, and permission refusals. Roles: test_role.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/limits.h"
#include "domain/accounts/onetime.h"
#include "domain/platform/outbox.h"
#include "domain/accounts/role.h"
#include "domain/accounts/session.h"
#include "accounts_fixture.h"

static void assert_email(const char *in, const char *want)
{
	char out[LC_LIMIT_EMAIL_BYTES + 1];
	int rc = lc_account_email_normalise(in, strlen(in), out, sizeof out);
	if (want) {
		assert_int_equal(rc, 0);
		assert_string_equal(out, want);
	} else {
		if (rc != LC_EINVAL)
			print_error("accepted: '%s'\n", in);
		assert_int_equal(rc, LC_EINVAL);
		assert_string_equal(out, "");
	}
}

static void test_email(void **state)
{
	(void)state;
	assert_email("Someone@Example.ORG", "someone@example.org");
	assert_email("  a.b+tag@sub.example.org\t", "a.b+tag@sub.example.org");
	assert_email("o'neil@example.ie", "o'neil@example.ie");
	assert_email("josé@exämple.org", "josé@exämple.org");
	assert_email("x@example", NULL);
	assert_email("@example.org", NULL);
	assert_email("a@", NULL);
	assert_email("a@@example.org", NULL);
	assert_email("a@b@example.org", NULL);
	assert_email(".a@example.org", NULL);
	assert_email("a.@example.org", NULL);
	assert_email("a..b@example.org", NULL);
	assert_email("a b@example.org", NULL);
	assert_email("a@exa mple.org", NULL);
	assert_email("a@-example.org", NULL);
	assert_email("a@example-.org", NULL);
	assert_email("a@example..org", NULL);
	assert_email("a@example.org\r\nBcc: x@evil.org", NULL);
	assert_email("<a@example.org>", NULL);
	assert_email("\"a\"@example.org", NULL);
	assert_email("a@example.org\xff", NULL);
	char long_local[80];
	memset(long_local, 'a', 65);
	snprintf(long_local + 65, sizeof long_local - 65, "@example.org");
	assert_email(long_local, NULL);
}

static void test_create(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin, coord;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	struct lc_role roles[1];
	assert_int_equal(lc_role_parse(db, "coordinator:cork", &roles[0], NULL), 0);
	struct lc_account_new in = {.email = "New.Person@Example.org",
	                            .name = "New Person",
	                            .lang = "fr",
	                            .password = "password1",
	                            .roles = roles,
	                            .nroles = 1};
	struct lc_diag d;
	int64_t id = 0;
	lc_diag_init(&d);
	assert_int_equal(lc_account_create(db, &coord, &in, &d, &id), LC_EPERM);
	assert_int_equal(lc_account_create(db, &admin, &in, &d, &id), LC_EINVAL);
	assert_int_equal(lc_diag_total(&d), 1);
	assert_string_equal(d.items[0].field, "password");
	assert_non_null(strstr(d.items[0].message, "shorter than 10"));
	lc_diag_cleanup(&d);

	in.password = "a fine long passphrase";
	lc_diag_init(&d);
	assert_int_equal(lc_account_create(db, &admin, &in, &d, &id), 0);
	lc_diag_cleanup(&d);
	struct lc_account a;
	assert_int_equal(lc_account_find(db, "new.person@EXAMPLE.org", &a), 0);
	assert_int_equal(a.id, id);
	assert_string_equal(a.email, "New.Person@Example.org");
	assert_string_equal(a.lang, "fr");
	assert_int_equal(a.status, LC_ACCOUNT_ACTIVE);
	struct lc_actor me;
	assert_int_equal(lc_actor_load(db, id, &me), 0);
	assert_int_equal(me.nroles, 1);
	assert_int_equal(me.roles[0].kind, LC_ROLE_COORDINATOR);

	/* Same address in another case: refused, nothing written. */
	long long n = fx_count(db, "SELECT count(*) FROM audit");
	in.email = "NEW.PERSON@example.org";
	lc_diag_init(&d);
	assert_int_equal(lc_account_create(db, &admin, &in, &d, &id), LC_ECONFLICT);
	assert_string_equal(d.items[0].field, "email");
	lc_diag_cleanup(&d);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit"), n);

	/* Bad fields are all reported. */
	struct lc_account_new bad = {
	    .email = "nope", .name = "", .lang = "xx-YY-zz", .password = "x"};
	lc_diag_init(&d);
	assert_int_equal(lc_account_create(db, &admin, &bad, &d, &id), LC_EINVAL);
	assert_int_equal(lc_diag_total(&d), 4);
	lc_diag_cleanup(&d);

	json_t *j = NULL;
	assert_int_equal(lc_account_json(db, me.account_id, "en", &j), 0);
	json_t *r0 = json_array_get(json_object_get(j, "roles"), 0);
	assert_string_equal(json_string_value(json_object_get(r0, "spec")), "coordinator:cork");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r0, "city"), "slug")),
	                    "cork");
	json_decref(j);
}

/* The secret of the newest outbox message, as the SMTP delivery would substitute it. */
static char *newest_secret(struct lc_db *db, char *body_out, size_t n)
{
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT secret, body FROM outbox ORDER BY id DESC LIMIT 1");
	char *s = NULL;
	if (lc_db_step(db, st) == 1) {
		s = lc_xstrdup(lc_db_text(st, 0));
		snprintf(body_out, n, "%s", lc_db_text(st, 1));
	}
	lc_db_release(db, st);
	return s;
}

static void test_invite_accept_reset(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin, norole;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_NOROLE, &norole), 0);
	struct lc_role roles[1];
	assert_int_equal(lc_role_parse(db, "natcom:fr", &roles[0], NULL), 0);
	struct lc_account_new in = {
	    .email = "invitee@example.fr", .name = "Invitee", .roles = roles, .nroles = 1};
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0;
	assert_int_equal(lc_account_invite(db, &norole, &in, "https://lc.example", &d, &id),
	                 LC_EPERM);
	assert_int_equal(lc_account_invite(db, &admin, &in, "javascript:x", &d, &id), LC_EINVAL);
	assert_int_equal(lc_account_invite(db, &admin, &in, "https://lc.example", &d, &id), 0);
	struct lc_account a;
	assert_int_equal(lc_account_get(db, id, &a), 0);
	assert_int_equal(a.status, LC_ACCOUNT_INVITED);
	assert_false(a.has_password);
	char body[4096];
	char *tok = newest_secret(db, body, sizeof body);
	assert_non_null(tok);
	assert_non_null(strstr(body, "https://lc.example/invitations?token=" LC_OUTBOX_SECRET));
	assert_null(strstr(body, tok));
	/* An invited account cannot log in. */
	struct lc_login_result res;
	struct lc_login li = {.email = "invitee@example.fr", .password = "anything at all"};
	assert_int_equal(lc_session_login(db, &li, &res), LC_EAUTH);

	/* Inviting again replaces the link. */
	assert_int_equal(lc_account_invite(db, &admin, &in, "https://lc.example", &d, &id), 0);
	char *tok2 = newest_secret(db, body, sizeof body);
	int64_t got = 0;
	assert_int_equal(lc_onetime_peek(db, tok, LC_ONETIME_INVITE, &got), LC_EAUTH);
	assert_int_equal(lc_onetime_peek(db, tok2, LC_ONETIME_INVITE, &got), 0);
	/* A weak password keeps the token usable. */
	assert_int_equal(lc_account_accept_invitation(db, tok2, "123456", &d, &got), LC_EINVAL);
	assert_int_equal(lc_account_accept_invitation(db, tok2, "a brand new secret", &d, &got), 0);
	assert_int_equal(got, id);
	assert_int_equal(lc_account_accept_invitation(db, tok2, "a brand new secret", &d, &got),
	                 LC_EAUTH);
	assert_int_equal(lc_account_get(db, id, &a), 0);
	assert_int_equal(a.status, LC_ACCOUNT_ACTIVE);
	li.password = "a brand new secret";
	assert_int_equal(lc_session_login(db, &li, &res), 0);
	char cookie[LC_SESSION_ID_CHARS + 1];
	memcpy(cookie, res.cookie, sizeof cookie);
	/* Active now: a new invitation is refused. */
	assert_int_equal(lc_account_invite(db, &admin, &in, "https://lc.example", &d, &id),
	                 LC_ECONFLICT);
	lc_diag_cleanup(&d);
	lc_free(tok);
	lc_free(tok2);

	/* Reset: unknown addresses get the same answer and no message. */
	long long msgs = fx_count(db, "SELECT count(*) FROM outbox");
	assert_int_equal(lc_account_request_reset(db, "nobody@example.org", "https://lc.example"),
	                 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox"), msgs);
	assert_int_equal(lc_account_request_reset(db, "INVITEE@example.fr", "https://lc.example"),
	                 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox"), msgs + 1);
	tok = newest_secret(db, body, sizeof body);
	assert_non_null(strstr(body, "/password/reset?token=" LC_OUTBOX_SECRET));
	lc_diag_init(&d);
	assert_int_equal(lc_onetime_peek(db, tok, LC_ONETIME_INVITE, &got), LC_EAUTH);
	assert_int_equal(lc_account_reset_password(db, tok, "the reset passphrase", &d, &got), 0);
	assert_int_equal(lc_account_reset_password(db, tok, "the reset passphrase", &d, &got),
	                 LC_EAUTH);
	lc_diag_cleanup(&d);
	lc_free(tok);
	/* The reset ended every session; the new password works, the old does not. */
	struct lc_session s;
	assert_int_equal(lc_session_lookup(db, cookie, &s), LC_EAUTH);
	assert_int_equal(lc_session_login(db, &li, &res), LC_EAUTH);
	li.password = "the reset passphrase";
	assert_int_equal(lc_session_login(db, &li, &res), 0);
	assert_int_equal(lc_onetime_peek(db, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	                                 LC_ONETIME_RESET, &got),
	                 LC_EAUTH);
	/* At most LC_LIMIT_RESETS_PER_HOUR reset messages an hour. */
	msgs = fx_count(db, "SELECT count(*) FROM outbox");
	for (int i = 0; i < LC_LIMIT_RESETS_PER_HOUR + 2; i++)
		assert_int_equal(
		    lc_account_request_reset(db, "invitee@example.fr", "https://lc.example"), 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox"),
	                 msgs + LC_LIMIT_RESETS_PER_HOUR - 1);
	lc_clock_set_test(T0 + 3600);
	assert_int_equal(lc_account_request_reset(db, "invitee@example.fr", "https://lc.example"),
	                 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox"),
	                 msgs + LC_LIMIT_RESETS_PER_HOUR);
}

static void test_own_password_and_update(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor me, other, admin;
	assert_int_equal(fx_actor(db, DEMO_JURY, &me), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &other), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	snprintf(me.addr, sizeof me.addr, "192.0.2.9");
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_account_set_password(db, &me, me.account_id, "wrong old one",
	                                         "another long password", 0, &d),
	                 LC_EAUTH);
	assert_int_equal(
	    lc_account_set_password(db, &me, me.account_id, DEMO_JURY_PW, "qwerty", 0, &d),
	    LC_EINVAL);
	assert_int_equal(lc_account_set_password(db, &other, me.account_id, NULL,
	                                         "another long password", 0, &d),
	                 LC_EPERM);
	assert_int_equal(lc_account_set_password(db, &me, me.account_id, DEMO_JURY_PW,
	                                         "another long password", 0, &d),
	                 0);
	/* Guessing the old password is throttled like a login. */
	for (int i = 1; i < LC_LIMIT_THROTTLE_PAIR; i++)
		assert_int_equal(lc_account_set_password(db, &me, me.account_id, "guess guess",
		                                         "another long password 2", 0, &d),
		                 LC_EAUTH);
	assert_int_equal(lc_account_set_password(db, &me, me.account_id, "another long password",
	                                         "another long password 2", 0, &d),
	                 LC_EBUSY);
	lc_clock_set_test(T0 + LC_LIMIT_THROTTLE_WINDOW_S);
	/* An admin sets it without the old one. */
	assert_int_equal(
	    lc_account_set_password(db, &admin, me.account_id, NULL, "the admin chose this", 0, &d),
	    0);
	assert_int_equal(lc_account_update(db, &me, me.account_id, "Juror <b>One</b>", "fr", &d),
	                 0);
	assert_int_equal(lc_account_update(db, &other, me.account_id, "x", NULL, &d), LC_EPERM);
	assert_int_equal(lc_account_update(db, &me, me.account_id, "bad\x01name", NULL, &d),
	                 LC_EINVAL);
	lc_diag_cleanup(&d);
	struct lc_account a;
	assert_int_equal(lc_account_get(db, me.account_id, &a), 0);
	assert_string_equal(a.name, "Juror <b>One</b>");
	assert_string_equal(a.lang, "fr");
	/* Audit rows never hold a hash. */
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit WHERE coalesce(before, '') ||"
	                              " coalesce(after, '') LIKE '%argon2%'"),
	                 0);
	/* Disabling oneself is refused; a reason is required. */
	assert_int_equal(lc_account_disable(db, &admin, admin.account_id, "me"), LC_EPERM);
	assert_int_equal(lc_account_disable(db, &admin, me.account_id, ""), LC_EINVAL);
	assert_int_equal(lc_account_disable(db, &me, other.account_id, "x"), LC_EPERM);
}

static void test_list(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin, coord;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	json_t *j = NULL;
	struct lc_account_query q = {0};
	assert_int_equal(lc_account_list(db, &coord, &q, &j), LC_EPERM);
	assert_int_equal(lc_account_list(db, &admin, &q, &j), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 8);
	json_t *first = json_array_get(json_object_get(j, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "email")), DEMO_ADMIN);
	assert_string_equal(json_string_value(json_array_get(json_object_get(first, "roles"), 0)),
	                    "admin");
	json_decref(j);
	struct lc_account_query q2 = {.q = "CORK"};
	assert_int_equal(lc_account_list(db, &admin, &q2, &j), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	struct lc_account_query q3 = {.role = "jury", .status = "active"};
	assert_int_equal(lc_account_list(db, &admin, &q3, &j), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 2); /* 2024 and 2027 */
	json_decref(j);
	struct lc_account_query q4 = {.per_page = 4, .page = 2};
	assert_int_equal(lc_account_list(db, &admin, &q4, &j), 0);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 4);
	assert_int_equal(json_integer_value(json_object_get(j, "pages")), 2);
	json_decref(j);
	struct lc_account_query bad = {.role = "king"};
	assert_int_equal(lc_account_list(db, &admin, &bad, &j), LC_EINVAL);
	struct lc_account_query inj = {.q = "%' OR '1'='1"};
	assert_int_equal(lc_account_list(db, &admin, &inj, &j), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 0);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_email),
	    cmocka_unit_test_setup_teardown(test_create, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_invite_accept_reset, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_own_password_and_update, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_list, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
