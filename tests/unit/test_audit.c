/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/platform/audit.c: rows appended by domain changes in the same
 * transaction (a rolled-back change leaves no row), the triggers that refuse
 * UPDATE and DELETE, the filters (person, action prefix, object, date range),
 * pagination, the export, and the permission to read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/accounts/role.h"
#include "accounts_fixture.h"

static void test_append_only(void **state)
{
	struct lc_db *db = *state;
	long long n = fx_count(db, "SELECT count(*) FROM audit");
	assert_true(n > 0); /* the demo accounts and their roles */
	assert_int_not_equal(lc_db_exec(db, "UPDATE audit SET action = 'x'"), 0);
	assert_int_not_equal(lc_db_exec(db, "DELETE FROM audit"), 0);
	assert_int_not_equal(lc_db_exec(db, "DELETE FROM audit WHERE id = 1"), 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit"), n);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit WHERE action = 'x'"), 0);

	/* A change rolled back takes its audit row with it. */
	struct lc_actor sys;
	lc_actor_system(&sys);
	assert_int_equal(lc_db_begin(db), 0);
	assert_int_equal(lc_account_disable(db, &sys, fx_id(db, DEMO_PART), "oops"), 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit"), n + 1);
	lc_db_rollback(db);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit"), n);
}

static long long total(json_t *page)
{
	return json_integer_value(json_object_get(page, "total"));
}

static void test_filters(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin, coord;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	snprintf(admin.addr, sizeof admin.addr, "203.0.113.5");
	int64_t part = fx_id(db, DEMO_PART);
	lc_clock_set_test(T0 + 86400); /* the next day */
	assert_int_equal(lc_account_disable(db, &admin, part, "left the network"), 0);
	assert_int_equal(lc_account_enable(db, &admin, part, "came back"), 0);
	struct lc_role r;
	assert_int_equal(lc_role_parse(db, "jury:2024", &r, NULL), 0);
	assert_int_equal(lc_role_grant(db, &admin, part, &r), 0);

	json_t *j = NULL;
	struct lc_audit_query q = {0};
	assert_int_equal(lc_audit_list(db, &coord, &q, &j), LC_EPERM);
	struct lc_actor anon;
	lc_actor_anonymous(&anon);
	assert_int_equal(lc_audit_list(db, &anon, &q, &j), LC_EAUTH);

	q.person = "ADMIN@example.org";
	assert_int_equal(lc_audit_list(db, &admin, &q, &j), 0);
	assert_int_equal(total(j), 3);
	json_t *first = json_array_get(json_object_get(j, "items"), 0); /* newest first */
	assert_string_equal(json_string_value(json_object_get(first, "action")), "role.grant");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(first, "after"), "role")),
	    "jury:2024");
	assert_string_equal(json_string_value(json_object_get(first, "addr")), "203.0.113.5");
	json_decref(j);

	struct lc_audit_query q2 = {.action = "account.", .from = "2026-09-22"};
	assert_int_equal(lc_audit_list(db, &admin, &q2, &j), 0);
	assert_int_equal(total(j), 2);
	json_t *dis = json_array_get(json_object_get(j, "items"), 1);
	assert_string_equal(json_string_value(json_object_get(dis, "action")), "account.disable");
	assert_string_equal(json_string_value(json_object_get(dis, "reason")), "left the network");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(dis, "before"), "status")), "active");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(dis, "after"), "status")),
	    "disabled");
	json_decref(j);

	/* Date range: the demo rows are on the first day only. */
	struct lc_audit_query q3 = {.to = "2026-09-21"};
	assert_int_equal(lc_audit_list(db, &admin, &q3, &j), 0);
	long long first_day = total(j);
	json_decref(j);
	assert_int_equal(first_day, fx_count(db, "SELECT count(*) FROM audit") - 3);

	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)part);
	struct lc_audit_query q4 = {
	    .object_type = "account", .object_id = id, .per_page = 2, .page = 2};
	assert_int_equal(lc_audit_list(db, &admin, &q4, &j), 0);
	assert_int_equal(total(j), 5); /* create, grant participant, disable, enable, grant */
	assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "pages")), 3);
	json_decref(j);

	/* Export: all matching rows, oldest first. */
	q4.per_page = 0;
	assert_int_equal(lc_audit_export(db, &admin, &q4, &j), 0);
	assert_int_equal(json_array_size(j), 5);
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "action")),
	                    "account.create");
	json_decref(j);
	assert_int_equal(lc_audit_export(db, &coord, &q4, &j), LC_EPERM);

	struct lc_audit_query bad = {.from = "2026-13-01"};
	assert_int_equal(lc_audit_list(db, &admin, &bad, &j), LC_EINVAL);
	struct lc_audit_query bad2 = {.per_page = 1000};
	assert_int_equal(lc_audit_list(db, &admin, &bad2, &j), LC_EINVAL);
	/* Injection attempts are just strings that match nothing. */
	struct lc_audit_query inj = {.person = "' OR 1=1 --"};
	assert_int_equal(lc_audit_list(db, &admin, &inj, &j), 0);
	assert_int_equal(total(j), 0);
	json_decref(j);
}

/* The trail only grows: its count stops past LC_LIMIT_AUDIT_COUNT and says so. */
static void test_count_capped(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(lc_db_exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
	                                " SELECT i + 1 FROM n WHERE i < 10005)"
	                                " INSERT INTO audit (at, actor_email, action, object_type)"
	                                " SELECT 1800000000 + i, 'system', 'test.bulk', 'test'"
	                                " FROM n"),
	                 0);
	json_t *j = NULL;
	struct lc_audit_query q = {.per_page = 100};
	assert_int_equal(lc_audit_list(db, &admin, &q, &j), 0);
	assert_int_equal(total(j), LC_LIMIT_AUDIT_COUNT);
	assert_true(json_is_true(json_object_get(j, "total_more")));
	assert_int_equal(json_integer_value(json_object_get(j, "pages")),
	                 LC_LIMIT_AUDIT_COUNT / 100);
	json_decref(j);
	/* A filter that matches fewer rows counts them exactly. */
	struct lc_audit_query few = {.action = "account"};
	assert_int_equal(lc_audit_list(db, &admin, &few, &j), 0);
	assert_true(total(j) < LC_LIMIT_AUDIT_COUNT);
	assert_true(json_is_false(json_object_get(j, "total_more")));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_append_only, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_filters, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_count_capped, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
