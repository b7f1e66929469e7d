/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/accounts/role.c: parsing "ROLE[:SCOPE]" with a reason for every
 * refusal, formatting, granting (permission, idempotence, one audit row,
 * missing account), revoking (not held, one's own admin role).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/accounts/role.h"
#include "accounts_fixture.h"

static void expect_role(struct lc_db *db, const char *spec, int err, const char *why_part)
{
	struct lc_role r;
	const char *why = NULL;
	assert_int_equal(lc_role_parse(db, spec, &r, &why), err);
	if (why_part) {
		assert_non_null(why);
		assert_non_null(strstr(why, why_part));
	}
}

static void test_roles(void **state)
{
	struct lc_db *db = *state;
	expect_role(db, "admin", 0, NULL);
	expect_role(db, "natcom:ie", 0, NULL);
	expect_role(db, "king", LC_EINVAL, "no known role");
	expect_role(db, "admin:cork", LC_EINVAL, "no scope");
	expect_role(db, "coordinator", LC_EINVAL, "needs a city");
	expect_role(db, "coordinator:", LC_EINVAL, "needs a city");
	expect_role(db, "coordinator:Bad Slug", LC_EINVAL, "malformed");
	expect_role(db, "coordinator:atlantis", LC_ENOTFOUND, "no city");
	expect_role(db, "natcom:IRL", LC_EINVAL, "two letters");
	expect_role(db, "natcom:QQ", LC_ENOTFOUND, "no known country");
	expect_role(db, "jury:20x4", LC_EINVAL, "malformed year");
	expect_role(db, "jury:2016", LC_ENOTFOUND, "no award round");

	struct lc_actor admin, coord;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	struct lc_role r;
	assert_int_equal(lc_role_parse(db, "coordinator:medellin", &r, NULL), 0);
	assert_int_equal(lc_role_grant(db, &coord, coord.account_id, &r), LC_EPERM);
	long long n = fx_count(db, "SELECT count(*) FROM audit");
	assert_int_equal(lc_role_grant(db, &admin, coord.account_id, &r), 0);
	assert_int_equal(lc_role_grant(db, &admin, coord.account_id, &r), 0); /* idempotent */
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit"), n + 1);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	assert_int_equal(coord.nroles, 2);
	assert_int_equal(lc_role_grant(db, &admin, 999999, &r), LC_ENOTFOUND);
	assert_int_equal(lc_role_revoke(db, &admin, coord.account_id, &r), 0);
	assert_int_equal(lc_role_revoke(db, &admin, coord.account_id, &r), LC_ENOTFOUND);
	assert_int_equal(lc_role_parse(db, "admin", &r, NULL), 0);
	assert_int_equal(lc_role_revoke(db, &admin, admin.account_id, &r), LC_EPERM);
	char spec[64];
	assert_int_equal(lc_role_parse(db, "jury:2024", &r, NULL), 0);
	assert_int_equal(lc_role_format(db, &r, spec, sizeof spec), 0);
	assert_string_equal(spec, "jury:2024");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_roles, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
