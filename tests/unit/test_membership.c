/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Dated membership statuses: rules, reasons, history rows and audit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "accounts_fixture.h"
#include "domain/workflow/membership.h"
#include "domain/workflow/workflow.h"

static int64_t cork(struct lc_db *db)
{
	return (int64_t)fx_count(db, "SELECT id FROM cities WHERE slug = 'cork'");
}

static void test_set(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin, coord, anon;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	lc_actor_anonymous(&anon);
	int64_t id = cork(db);
	assert_true(id > 0);
	long long rows = fx_count(db, "SELECT count(*) FROM memberships");
	assert_int_equal(lc_membership_set(db, &anon, id, "suspended", "x"), LC_EAUTH);
	assert_int_equal(lc_membership_set(db, &coord, id, "suspended", "x"), LC_EPERM);
	assert_int_equal(lc_membership_set(db, &admin, id, "suspended", "  "), LC_EINVAL);
	assert_int_equal(lc_membership_set(db, &admin, id, "king", "x"), LC_EINVAL);
	assert_int_equal(lc_membership_set(db, &admin, 999999, "suspended", "x"), LC_ENOTFOUND);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM memberships"), rows);
	assert_int_equal(lc_membership_set(db, &admin, id, "suspended", "No report since 2022"), 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM memberships"), rows + 1);
	/* Cork's current status is the new one, dated today (the test clock), with its reason. */
	assert_int_equal(fx_count(db, "SELECT count(*) FROM memberships m JOIN cities c"
	                              " ON c.id = m.city_id WHERE c.slug = 'cork'"
	                              " AND m.to_date IS NULL AND m.status = 'suspended'"
	                              " AND m.from_date = '2026-09-21'"
	                              " AND m.reason = 'No report since 2022'"),
	                 1);
	/* The same status again changes nothing. */
	assert_int_equal(lc_membership_set(db, &admin, id, "suspended", "again"), 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM memberships"), rows + 1);
	assert_int_equal(lc_membership_set(db, &admin, id, "member", NULL), 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit WHERE action IN "
	                              "('membership.suspended', 'membership.member')"),
	                 2);
}

/* Members from before the workflow get their lifecycle item once; lookups for pages. */
static void test_sync_and_lookups(void **state)
{
	struct lc_db *db = *state;
	long created = -1;
	long long members = fx_count(db, "SELECT count(*) FROM memberships WHERE to_date IS NULL"
	                                 " AND status = 'member'");
	assert_int_equal(lc_membership_sync(db, &created), 0);
	assert_int_equal(created, members);
	assert_int_equal(lc_membership_sync(db, &created), 0);
	assert_int_equal(created, 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM wf_items WHERE process = 'membership'"
	                              " AND state = 'member'"),
	                 members);
	int64_t id = 0;
	assert_int_equal(lc_membership_city_id(db, "cork", &id), 0);
	assert_int_equal(id, cork(db));
	assert_int_equal(lc_membership_city_id(db, "atlantis", &id), LC_ENOTFOUND);
	struct lc_wf_item it;
	assert_int_equal(lc_membership_item(db, cork(db), &it), 0);
	char path[96];
	assert_int_equal(lc_membership_item_path(db, it.id, path, sizeof path), 0);
	assert_string_equal(path, "/cities/cork#h-membership");
	assert_int_equal(lc_membership_item_path(db, 999999, path, sizeof path), LC_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_set, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_sync_and_lookups, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
