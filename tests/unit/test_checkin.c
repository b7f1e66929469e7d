/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/conference/checkin.c and the role checkin:SLUG: uploads
 * repeated change nothing, one ticket on two devices keeps both scans and
 * flags the second, refused tickets are answered and not recorded, a bad
 * batch writes nothing, and only the conference's door staff may scan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "accounts_fixture.h"
#include "domain/accounts/role.h"
#include "domain/conference/checkin.h"
#include "domain/conference/event.h"
#include "domain/conference/ticket.h"

static int64_t conf_id(struct lc_db *db, const char *slug)
{
	struct lc_conf_event e;
	assert_int_equal(lc_conf_event_load(db, slug, &e), 0);
	int64_t id = e.id;
	lc_conf_event_cleanup(&e);
	return id;
}

static int64_t other_conf(struct lc_db *db)
{
	assert_int_equal(lc_db_exec(db, "INSERT OR IGNORE INTO conference_events (slug, title,"
	                                " start_date, end_date, timezone, venue, languages,"
	                                " created_at) VALUES ('other-conf', '{\"en\": \"Other\"}',"
	                                " '2027-01-01', '2027-01-02', 'UTC',"
	                                " '{\"name\": {\"en\": \"Hall\"}}', '[\"en\"]', 0)"),
	                 0);
	return conf_id(db, "other-conf");
}

static long rows(struct lc_db *db)
{
	return fx_count(db, "SELECT count(*) FROM checkins");
}

/* The norole account made door staff of the demo conference. */
static void door_staff(struct lc_db *db, struct lc_actor *staff)
{
	struct lc_actor sys;
	lc_actor_system(&sys);
	struct lc_role r;
	const char *why = NULL;
	assert_int_equal(lc_role_parse(db, "checkin:" LC_CONF_EVENT_DEMO_SLUG, &r, &why), 0);
	assert_int_equal(r.kind, LC_ROLE_CHECKIN);
	assert_int_equal(lc_role_grant(db, &sys, fx_id(db, DEMO_NOROLE), &r), 0);
	assert_int_equal(fx_actor(db, DEMO_NOROLE, staff), 0);
}

static json_t *scan(const char *ticket, const char *device, const char *nonce, long at)
{
	return json_pack("{s:s, s:s, s:s, s:I}", "ticket", ticket, "device", device, "nonce", nonce,
	                 "scanned_at", (json_int_t)at);
}

static const char *status_of(json_t *out, size_t i)
{
	return json_string_value(
	    json_object_get(json_array_get(json_object_get(out, "results"), i), "status"));
}

static void test_role(void **state)
{
	struct lc_db *db = *state;
	int64_t conf = conf_id(db, LC_CONF_EVENT_DEMO_SLUG), other = other_conf(db);
	struct lc_actor staff, anon, part;
	door_staff(db, &staff);
	lc_actor_anonymous(&anon);
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	struct lc_authz_object mine = {.conference_id = conf}, theirs = {.conference_id = other};
	assert_int_equal(lc_authz_check(&staff, LC_ACT_CHECK_IN, &mine), 0);
	assert_int_equal(lc_authz_check(&staff, LC_ACT_CHECK_IN, &theirs), LC_EPERM);
	assert_int_equal(lc_authz_check(&part, LC_ACT_CHECK_IN, &mine), LC_EPERM);
	assert_int_equal(lc_authz_check(&anon, LC_ACT_CHECK_IN, &mine), LC_EAUTH);
	json_t *roles = NULL;
	assert_int_equal(lc_role_list(db, staff.account_id, "en", &roles), 0);
	bool found = false;
	for (size_t i = 0; i < json_array_size(roles); i++)
		found |=
		    strcmp(json_string_value(json_object_get(json_array_get(roles, i), "spec")),
		           "checkin:" LC_CONF_EVENT_DEMO_SLUG) == 0;
	assert_true(found);
	json_decref(roles);
	struct lc_role r;
	const char *why = NULL;
	assert_int_equal(lc_role_parse(db, "checkin", &r, &why), LC_EINVAL);
	assert_int_equal(lc_role_parse(db, "checkin:no-such-conference", &r, &why), LC_ENOTFOUND);

	/* Not door staff: nothing recorded. */
	json_t *batch = json_array(), *out = NULL;
	json_array_append_new(batch, scan("LCT1.x", "door-1", "nonce-aaaaaaaaaaaaaa", T0));
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_checkin_record(db, &part, conf, batch, &out, &d), LC_EPERM);
	assert_int_equal(lc_checkin_record(db, &staff, other, batch, &out, &d), LC_EPERM);
	assert_null(out);
	lc_diag_cleanup(&d);
	json_decref(batch);
}

static void test_record(void **state)
{
	struct lc_db *db = *state;
	int64_t conf = conf_id(db, LC_CONF_EVENT_DEMO_SLUG);
	struct lc_actor staff;
	assert_int_equal(fx_actor(db, DEMO_NOROLE, &staff), 0);
	char t1[LC_TICKET_CHARS + 1], t2[LC_TICKET_CHARS + 1];
	assert_int_equal(lc_ticket_current(db, conf, 501, t1), 0);
	assert_int_equal(lc_ticket_current(db, conf, 502, t2), 0);
	long before = rows(db);

	/* Two devices were offline; both scanned registration 501, the first at T0 - 60. */
	json_t *batch = json_array();
	json_array_append_new(batch, scan(t1, "door-1", "n1-aaaaaaaaaaaaaaaa", T0 - 60));
	json_array_append_new(batch, scan(t2, "door-1", "n2-aaaaaaaaaaaaaaaa", T0 - 50));
	json_array_append_new(batch, scan(t1, "door-2", "n3-aaaaaaaaaaaaaaaa", T0 - 30));
	json_t *out = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_checkin_record(db, &staff, conf, batch, &out, &d), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "recorded")), 3);
	assert_string_equal(status_of(out, 0), "checked_in");
	assert_string_equal(status_of(out, 1), "checked_in");
	assert_string_equal(status_of(out, 2), "already_checked_in");
	json_t *third = json_array_get(json_object_get(out, "results"), 2);
	assert_string_equal(json_string_value(json_object_get(third, "first_at")),
	                    "2026-09-21T14:12:20Z"); /* T0 - 60 */
	json_decref(out);
	assert_int_equal(rows(db), before + 3);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM checkins WHERE registration_id = 501"
	                              " AND repeated = 1"),
	                 1);

	/* The same upload again: no change, the same answers. */
	out = NULL;
	assert_int_equal(lc_checkin_record(db, &staff, conf, batch, &out, &d), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "recorded")), 0);
	assert_string_equal(status_of(out, 0), "checked_in");
	assert_string_equal(status_of(out, 2), "already_checked_in");
	json_decref(out);
	assert_int_equal(rows(db), before + 3);
	json_decref(batch);

	/* Online, a second scan answers "already checked in" with the first time. */
	batch = json_array();
	json_array_append_new(batch, scan(t2, "door-3", "n4-aaaaaaaaaaaaaaaa", T0));
	out = NULL;
	assert_int_equal(lc_checkin_record(db, &staff, conf, batch, &out, &d), 0);
	assert_string_equal(status_of(out, 0), "already_checked_in");
	json_decref(out);
	json_decref(batch);

	json_t *counts = NULL;
	assert_int_equal(lc_checkin_counts(db, &staff, conf, &counts), 0);
	assert_int_equal(json_integer_value(json_object_get(counts, "checked_in")), 2);
	assert_int_equal(json_integer_value(json_object_get(counts, "scans")), 4);
	assert_int_equal(json_integer_value(json_object_get(counts, "repeated")), 2);
	assert_int_equal(json_array_size(json_object_get(counts, "devices")), 3);
	json_decref(counts);
	int64_t first = 0;
	assert_int_equal(lc_checkin_first(db, conf, 501, &first), 1);
	assert_int_equal(first, T0 - 60);
	assert_int_equal(lc_checkin_first(db, conf, 999, &first), 0);
	lc_diag_cleanup(&d);
}

/* Refused tickets are answered, not recorded; a malformed scan refuses the whole batch. */
static void test_refusals(void **state)
{
	struct lc_db *db = *state;
	int64_t conf = conf_id(db, LC_CONF_EVENT_DEMO_SLUG);
	struct lc_actor staff;
	assert_int_equal(fx_actor(db, DEMO_NOROLE, &staff), 0);
	char old[LC_TICKET_CHARS + 1], cur[LC_TICKET_CHARS + 1];
	assert_int_equal(lc_ticket_current(db, conf, 601, old), 0);
	assert_int_equal(lc_ticket_reissue(db, conf, 601, LC_TICKET_CHANGED, cur), 0);
	long before = rows(db);
	json_t *batch = json_array(), *out = NULL;
	json_array_append_new(batch, scan(old, "door-1", "r1-aaaaaaaaaaaaaaaa", T0));
	char forged[LC_TICKET_CHARS + 1];
	memcpy(forged, cur, sizeof forged);
	forged[80] = forged[80] == 'A' ? 'B' : 'A';
	json_array_append_new(batch, scan(forged, "door-1", "r2-aaaaaaaaaaaaaaaa", T0));
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_checkin_record(db, &staff, conf, batch, &out, &d), 0);
	json_t *r0 = json_array_get(json_object_get(out, "results"), 0);
	assert_string_equal(json_string_value(json_object_get(r0, "status")), "refused");
	assert_string_equal(json_string_value(json_object_get(r0, "reason")), "revoked");
	assert_string_equal(status_of(out, 1), "refused");
	json_decref(out);
	assert_int_equal(rows(db), before);

	/* One good scan beside a bad nonce, a device with a space and a time in the future. */
	json_decref(batch);
	batch = json_array();
	json_array_append_new(batch, scan(cur, "door-1", "r3-aaaaaaaaaaaaaaaa", T0));
	json_array_append_new(batch, scan(cur, "door-1", "short", T0));
	json_array_append_new(batch, scan(cur, "door 1", "r5-aaaaaaaaaaaaaaaa", T0));
	json_array_append_new(batch, scan(cur, "door-1", "r6-aaaaaaaaaaaaaaaa", T0 + 2 * 86400));
	out = NULL;
	assert_int_equal(lc_checkin_record(db, &staff, conf, batch, &out, &d), LC_EINVAL);
	assert_null(out);
	assert_int_equal(d.count, 3);
	assert_true(lc_diag_has(&d, "err_checkin_nonce"));
	assert_true(lc_diag_has(&d, "err_checkin_device"));
	assert_true(lc_diag_has(&d, "err_checkin_time"));
	assert_int_equal(rows(db), before);
	json_decref(batch);

	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	batch = json_array();
	assert_int_equal(lc_checkin_record(db, &staff, conf, batch, &out, &d), LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_checkin_batch_empty"));
	for (int i = 0; i <= LC_LIMIT_CHECKIN_BATCH; i++)
		json_array_append_new(batch, scan(cur, "door-1", "r7-aaaaaaaaaaaaaaaa", T0));
	assert_int_equal(lc_checkin_record(db, &staff, conf, batch, &out, &d), LC_ELIMIT);
	assert_int_equal(rows(db), before);
	json_decref(batch);
	lc_diag_cleanup(&d);
}

static void test_offline_bundle(void **state)
{
	struct lc_db *db = *state;
	int64_t conf = conf_id(db, LC_CONF_EVENT_DEMO_SLUG);
	struct lc_actor staff;
	assert_int_equal(fx_actor(db, DEMO_NOROLE, &staff), 0);
	json_t *b = NULL;
	assert_int_equal(lc_checkin_offline(db, &staff, conf, LC_CONF_EVENT_DEMO_SLUG, &b), 0);
	assert_true(json_array_size(json_object_get(b, "keys")) >= 1);
	assert_true(json_array_size(json_object_get(b, "revoked")) >= 1);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(b, "conference"), "id")), conf);
	char *text = json_dumps(b, 0);
	assert_null(strstr(text, "seed"));
	free(text);
	json_decref(b);
	struct lc_actor part;
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	assert_int_equal(lc_checkin_offline(db, &part, conf, LC_CONF_EVENT_DEMO_SLUG, &b),
	                 LC_EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_role),
	    cmocka_unit_test(test_record),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_offline_bundle),
	};
	return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
