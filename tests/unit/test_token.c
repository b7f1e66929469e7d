/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/accounts/token.c: create (shown once, stored hashed), verify as a
 * Bearer value, list states, revoke, expiry, limits, ownership, a disabled
 * account's tokens, no token minted by a token, and every token revoked by a
 * password change or reset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "domain/accounts/token.h"
#include "accounts_fixture.h"

static void test_lifecycle(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor me, other;
	assert_int_equal(fx_actor(db, DEMO_COORD, &me), 0);
	assert_int_equal(fx_actor(db, DEMO_JURY, &other), 0);
	char tok[LC_TOKEN_CHARS + 1];
	int64_t id = 0, aid = 0, tid = 0;
	assert_int_equal(lc_token_create(db, &me, me.account_id, "ci script", 30, tok, &id), 0);
	assert_int_equal(strlen(tok), LC_TOKEN_CHARS);
	assert_memory_equal(tok, "lct_", 4);
	assert_int_equal(lc_token_verify(db, tok, &aid, &tid), 0);
	assert_int_equal(aid, me.account_id);
	assert_int_equal(tid, id);
	/* Someone else can neither create, list nor revoke my tokens. */
	assert_int_equal(lc_token_create(db, &other, me.account_id, "x", 0, tok, NULL), LC_EPERM);
	json_t *list = NULL;
	assert_int_equal(lc_token_list(db, &other, me.account_id, &list), LC_EPERM);
	assert_int_equal(lc_token_revoke(db, &other, me.account_id, id), LC_EPERM);
	assert_int_equal(lc_token_revoke(db, &other, other.account_id, id), LC_ENOTFOUND);
	assert_int_equal(lc_token_list(db, &me, me.account_id, &list), 0);
	assert_int_equal(json_array_size(list), 1);
	json_t *t = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(t, "name")), "ci script");
	assert_string_equal(json_string_value(json_object_get(t, "state")), "active");
	assert_memory_equal(json_string_value(json_object_get(t, "prefix")), tok + 4, 8);
	json_decref(list);

	/* Expiry: day 30 it stops working. */
	lc_clock_set_test(T0 + 30 * 86400);
	assert_int_equal(lc_token_verify(db, tok, &aid, NULL), LC_EAUTH);
	lc_clock_set_test(T0);

	/* Revoked: stops working, listed as revoked, second revoke is not found. */
	assert_int_equal(lc_token_revoke(db, &me, me.account_id, id), 0);
	assert_int_equal(lc_token_verify(db, tok, &aid, NULL), LC_EAUTH);
	assert_int_equal(lc_token_revoke(db, &me, me.account_id, id), LC_ENOTFOUND);
	assert_int_equal(lc_token_list(db, &me, me.account_id, &list), 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "state")),
	                    "revoked");
	json_decref(list);

	/* Malformed values. */
	assert_int_equal(lc_token_verify(db, NULL, &aid, NULL), LC_EAUTH);
	assert_int_equal(lc_token_verify(db, "lct_short", &aid, NULL), LC_EAUTH);
	tok[10] = tok[10] == 'A' ? 'B' : 'A';
	assert_int_equal(lc_token_verify(db, tok, &aid, NULL), LC_EAUTH);
	assert_int_equal(lc_token_create(db, &me, me.account_id, "", 0, tok, NULL), LC_EINVAL);
	assert_int_equal(lc_token_create(db, &me, me.account_id, "x", 400, tok, NULL), LC_EINVAL);
	assert_int_equal(lc_token_create(db, &me, me.account_id, "bad\nname", 0, tok, NULL),
	                 LC_EINVAL);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit WHERE object_type = 'token'"), 2);
}

static void test_limits_and_disable(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor me, sys;
	assert_int_equal(fx_actor(db, DEMO_PART, &me), 0);
	lc_actor_system(&sys);
	char tok[LC_TOKEN_CHARS + 1];
	for (int i = 0; i < LC_LIMIT_TOKENS_PER_ACCOUNT; i++)
		assert_int_equal(lc_token_create(db, &me, me.account_id, "t", 1, tok, NULL), 0);
	char extra[LC_TOKEN_CHARS + 1];
	assert_int_equal(lc_token_create(db, &me, me.account_id, "t", 1, extra, NULL), LC_ELIMIT);
	assert_string_equal(extra, "");
	int64_t aid;
	assert_int_equal(lc_token_verify(db, tok, &aid, NULL), 0);
	assert_int_equal(lc_account_disable(db, &sys, me.account_id, "test"), 0);
	assert_int_equal(lc_token_verify(db, tok, &aid, NULL), LC_EAUTH);
	/* Enabled again: the tokens stay revoked. */
	assert_int_equal(lc_account_enable(db, &sys, me.account_id, "test"), 0);
	assert_int_equal(lc_token_verify(db, tok, &aid, NULL), LC_EAUTH);
}

/* A token cannot mint another one: a stolen token would otherwise outlive its expiry. */
static void test_no_token_from_token(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor me;
	assert_int_equal(fx_actor(db, DEMO_PART, &me), 0);
	char tok[LC_TOKEN_CHARS + 1], next[LC_TOKEN_CHARS + 1];
	assert_int_equal(lc_token_create(db, &me, me.account_id, "first", 1, tok, NULL), 0);
	struct lc_actor via = me;
	via.via_token = true;
	assert_int_equal(lc_token_create(db, &via, me.account_id, "second", 1, next, NULL),
	                 LC_EPERM);
	assert_string_equal(next, "");
	assert_int_equal(fx_count(db, "SELECT count(*) FROM access_tokens WHERE name = 'second'"),
	                 0);
}

/* The newest outbox message's secret: the reset link's token. */
static void newest_secret(struct lc_db *db, char *out, size_t n)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT secret FROM outbox ORDER BY id DESC LIMIT 1");
	assert_non_null(st);
	assert_int_equal(lc_db_step(db, st), 1);
	snprintf(out, n, "%s", lc_db_text(st, 0) ? lc_db_text(st, 0) : "");
	lc_db_release(db, st);
}

/* Changing or resetting the password revokes every token, and says so in the audit row. */
static void test_password_revokes_tokens(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor me;
	assert_int_equal(fx_actor(db, DEMO_PART, &me), 0);
	char a[LC_TOKEN_CHARS + 1], b[LC_TOKEN_CHARS + 1];
	int64_t aid = 0;
	assert_int_equal(lc_token_create(db, &me, me.account_id, "a", 30, a, NULL), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_account_set_password(db, &me, me.account_id, DEMO_PART_PW,
	                                         "a changed passphrase", 0, &d),
	                 0);
	assert_int_equal(lc_token_verify(db, a, &aid, NULL), LC_EAUTH);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit WHERE action = 'account.password'"
	                              " AND json_extract(after, '$.tokens_revoked') = 1"),
	                 1);

	/* A reset by e-mail link: the same. */
	assert_int_equal(lc_token_create(db, &me, me.account_id, "b", 30, b, NULL), 0);
	assert_int_equal(lc_account_request_reset(db, DEMO_PART, "https://lc.example"), 0);
	char secret[128];
	newest_secret(db, secret, sizeof secret);
	int64_t got = 0;
	assert_int_equal(lc_account_reset_password(db, secret, "a reset passphrase", &d, &got), 0);
	assert_int_equal(lc_token_verify(db, b, &aid, NULL), LC_EAUTH);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM access_tokens WHERE revoked_at IS NULL"
	                              " AND account_id = (SELECT id FROM accounts WHERE email = "
	                              "'participant@example.org')"),
	                 0);
	lc_diag_cleanup(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_lifecycle, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_limits_and_disable, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_no_token_from_token, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_password_revokes_tokens, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
