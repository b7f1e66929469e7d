/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/conference/ticket.c: tickets signed per conference, their
 * refusals (one flipped byte, another conference's key, a revoked serial),
 * re-issue, and key rotation keeping old tickets valid.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include <sodium.h>

#include "base/error.h"
#include "db/db.h"
#include "demo_db.h"
#include "domain/accounts/authz.h"
#include "domain/conference/event.h"
#include "domain/conference/ticket.h"

static int64_t demo_conf(struct lc_db *db)
{
	struct lc_conf_event e;
	assert_int_equal(lc_conf_event_load(db, LC_CONF_EVENT_DEMO_SLUG, &e), 0);
	int64_t id = e.id;
	lc_conf_event_cleanup(&e);
	return id;
}

/* A second conference, to hold another key. */
static int64_t other_conf(struct lc_db *db)
{
	assert_int_equal(lc_db_exec(db, "INSERT OR IGNORE INTO conference_events (slug, title,"
	                                " start_date, end_date, timezone, venue, languages,"
	                                " created_at) VALUES ('other-conf', '{\"en\": \"Other\"}',"
	                                " '2027-01-01', '2027-01-02', 'UTC',"
	                                " '{\"name\": {\"en\": \"Hall\"}}', '[\"en\"]', 0)"),
	                 0);
	struct lc_conf_event e;
	assert_int_equal(lc_conf_event_load(db, "other-conf", &e), 0);
	int64_t id = e.id;
	lc_conf_event_cleanup(&e);
	return id;
}

static enum lc_ticket_status check(struct lc_db *db, int64_t conf, const char *text)
{
	enum lc_ticket_status s = LC_TICKET_VALID;
	int rc = lc_ticket_verify(db, conf, text, strlen(text), NULL, &s);
	assert_int_equal(rc, s == LC_TICKET_VALID ? 0 : LC_EINVAL);
	return s;
}

static void test_issue_verify(void **state)
{
	struct lc_db *db = *state;
	int64_t conf = demo_conf(db);
	char a[LC_TICKET_CHARS + 1], b[LC_TICKET_CHARS + 1];
	assert_int_equal(lc_ticket_current(db, conf, 41, a), 0);
	assert_int_equal(strlen(a), LC_TICKET_CHARS);
	assert_memory_equal(a, LC_TICKET_PREFIX, 5);
	/* Asking again gives the same ticket, not a new one. */
	assert_int_equal(lc_ticket_current(db, conf, 41, b), 0);
	assert_string_equal(a, b);
	struct lc_ticket t;
	enum lc_ticket_status s;
	assert_int_equal(lc_ticket_verify(db, conf, a, strlen(a), &t, &s), 0);
	assert_int_equal(s, LC_TICKET_VALID);
	assert_int_equal(t.conference_id, conf);
	assert_int_equal(t.registration_id, 41);
	assert_int_equal(t.key_id, 1);
	/* Ids a ticket cannot carry are refused before anything is written. */
	assert_int_equal(lc_ticket_current(db, conf, 0, a), LC_EINVAL);
	assert_int_equal(lc_ticket_current(db, conf, (int64_t)UINT32_MAX + 1, a), LC_EINVAL);
}

/* Every single byte flipped anywhere in the ticket is refused. */
static void test_flipped_byte(void **state)
{
	struct lc_db *db = *state;
	int64_t conf = demo_conf(db);
	char a[LC_TICKET_CHARS + 1];
	assert_int_equal(lc_ticket_current(db, conf, 42, a), 0);
	assert_int_equal(check(db, conf, a), LC_TICKET_VALID);
	uint8_t raw[LC_TICKET_BYTES];
	size_t n = 0;
	assert_int_equal(sodium_base642bin(raw, sizeof raw, a + 5, strlen(a) - 5, NULL, &n, NULL,
	                                   sodium_base64_VARIANT_URLSAFE_NO_PADDING),
	                 0);
	assert_int_equal(n, sizeof raw);
	for (size_t i = 0; i < sizeof raw; i++) {
		uint8_t bad[LC_TICKET_BYTES];
		memcpy(bad, raw, sizeof raw);
		bad[i] ^= 0x01;
		char text[LC_TICKET_CHARS + 1];
		memcpy(text, LC_TICKET_PREFIX, 5);
		sodium_bin2base64(text + 5, sizeof text - 5, bad, sizeof bad,
		                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		enum lc_ticket_status s = check(db, conf, text);
		assert_int_not_equal(s, LC_TICKET_VALID);
		if (i >= LC_TICKET_BODY_BYTES)
			assert_int_equal(s, LC_TICKET_BAD_SIGNATURE);
	}
	/* A flipped character of the text, its truncation, and junk. */
	char text[LC_TICKET_CHARS + 1];
	memcpy(text, a, sizeof text);
	text[60] = text[60] == 'A' ? 'B' : 'A';
	assert_int_not_equal(check(db, conf, text), LC_TICKET_VALID);
	assert_int_equal(check(db, conf, "LCT1.abc"), LC_TICKET_MALFORMED);
	assert_int_equal(check(db, conf, ""), LC_TICKET_MALFORMED);
	memcpy(text, a, sizeof text);
	text[0] = 'X';
	assert_int_equal(check(db, conf, text), LC_TICKET_MALFORMED);
}

/* A ticket signed with another conference's key, or for another conference, is refused. */
static void test_other_conference(void **state)
{
	struct lc_db *db = *state;
	int64_t conf = demo_conf(db), other = other_conf(db);
	char mine[LC_TICKET_CHARS + 1], theirs[LC_TICKET_CHARS + 1];
	assert_int_equal(lc_ticket_current(db, conf, 43, mine), 0);
	assert_int_equal(lc_ticket_current(db, other, 43, theirs), 0);
	assert_int_equal(check(db, other, theirs), LC_TICKET_VALID);
	assert_int_equal(check(db, conf, theirs), LC_TICKET_OTHER);
	assert_int_equal(check(db, other, mine), LC_TICKET_OTHER);

	/* The other conference's key signing a body that names this one. */
	struct lc_ticket t;
	assert_int_equal(lc_ticket_decode(mine, strlen(mine), &t), 0);
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT secret_seed FROM checkin_keys"
	                                  " WHERE conference_id = ?1 AND active = 1");
	sqlite3_bind_int64(st, 1, other);
	assert_int_equal(lc_db_step(db, st), 1);
	uint8_t seed[32], pk[32], sk[64], b[LC_TICKET_BODY_BYTES];
	memcpy(seed, sqlite3_column_blob(st, 0), 32);
	lc_db_release(db, st);
	crypto_sign_seed_keypair(pk, sk, seed);
	b[0] = 1;
	for (int i = 0; i < 4; i++) {
		b[1 + i] = (uint8_t)(t.conference_id >> (24 - 8 * i));
		b[5 + i] = (uint8_t)(t.registration_id >> (24 - 8 * i));
		b[9 + i] = (uint8_t)(t.serial >> (24 - 8 * i));
	}
	b[13] = 0;
	b[14] = 1;
	uint8_t raw[LC_TICKET_BYTES];
	memcpy(raw, b, sizeof b);
	crypto_sign_detached(raw + LC_TICKET_BODY_BYTES, NULL, b, sizeof b, sk);
	char forged[LC_TICKET_CHARS + 1];
	memcpy(forged, LC_TICKET_PREFIX, 5);
	sodium_bin2base64(forged + 5, sizeof forged - 5, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	/* The forgery is otherwise perfect: this conference's key 1 verifies it not. */
	assert_int_equal(lc_ticket_decode(forged, strlen(forged), &t), 0);
	assert_int_equal(check(db, conf, forged), LC_TICKET_BAD_SIGNATURE);
}

/* A re-issued ticket revokes the old serial; a cancellation revokes without a new one. */
static void test_reissue_revoked(void **state)
{
	struct lc_db *db = *state;
	int64_t conf = demo_conf(db);
	char old[LC_TICKET_CHARS + 1], cur[LC_TICKET_CHARS + 1];
	assert_int_equal(lc_ticket_current(db, conf, 44, old), 0);
	assert_int_equal(lc_ticket_reissue(db, conf, 44, LC_TICKET_CHANGED, cur), 0);
	assert_string_not_equal(old, cur);
	assert_int_equal(check(db, conf, old), LC_TICKET_REVOKED);
	assert_int_equal(check(db, conf, cur), LC_TICKET_VALID);
	struct lc_ticket to, tc;
	assert_int_equal(lc_ticket_decode(old, strlen(old), &to), 0);
	assert_int_equal(lc_ticket_decode(cur, strlen(cur), &tc), 0);
	assert_true(tc.serial > to.serial);

	json_t *revoked = NULL;
	assert_int_equal(lc_ticket_revoked_json(db, conf, &revoked), 0);
	bool found = false;
	for (size_t i = 0; i < json_array_size(revoked); i++)
		found |= json_integer_value(json_array_get(revoked, i)) == to.serial;
	assert_true(found);
	json_decref(revoked);

	/* The current ticket is the new one. */
	char again[LC_TICKET_CHARS + 1];
	assert_int_equal(lc_ticket_current(db, conf, 44, again), 0);
	assert_string_equal(again, cur);

	assert_int_equal(lc_ticket_reissue(db, conf, 44, LC_TICKET_CANCELLED, NULL), 0);
	assert_int_equal(check(db, conf, cur), LC_TICKET_REVOKED);
	assert_int_equal(lc_ticket_reissue(db, conf, 44, LC_TICKET_CHANGED, NULL), LC_EINVAL);
}

/* Rotation: new tickets use the new key, old ones still verify, the old secret is gone. */
static void test_rotate(void **state)
{
	struct lc_db *db = *state;
	int64_t conf = demo_conf(db);
	char before[LC_TICKET_CHARS + 1], after[LC_TICKET_CHARS + 1];
	assert_int_equal(lc_ticket_current(db, conf, 45, before), 0);
	struct lc_actor sys;
	lc_actor_system(&sys);
	int kid = 0;
	assert_int_equal(lc_ticket_key_rotate(db, &sys, conf, &kid), 0);
	assert_int_equal(kid, 2);
	assert_int_equal(lc_ticket_current(db, conf, 46, after), 0);
	struct lc_ticket t;
	assert_int_equal(lc_ticket_decode(after, strlen(after), &t), 0);
	assert_int_equal(t.key_id, 2);
	assert_int_equal(check(db, conf, before), LC_TICKET_VALID);
	assert_int_equal(check(db, conf, after), LC_TICKET_VALID);

	json_t *keys = NULL;
	assert_int_equal(lc_ticket_keys_json(db, conf, &keys), 0);
	assert_int_equal(json_array_size(keys), 2);
	assert_false(json_is_true(json_object_get(json_array_get(keys, 0), "active")));
	assert_true(json_is_true(json_object_get(json_array_get(keys, 1), "active")));
	assert_int_equal(
	    strlen(json_string_value(json_object_get(json_array_get(keys, 0), "public_key"))),
	    LC_TICKET_KEY_CHARS);
	assert_null(json_object_get(json_array_get(keys, 0), "secret_seed"));
	json_decref(keys);

	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT count(*) FROM checkin_keys WHERE conference_id = ?1"
	                   " AND secret_seed IS NOT NULL");
	sqlite3_bind_int64(st, 1, conf);
	assert_int_equal(lc_db_step(db, st), 1);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	lc_db_release(db, st);

	/* A key id the conference never had. */
	assert_int_equal(lc_ticket_decode(after, strlen(after), &t), 0);
	t.key_id = 9;
	uint8_t raw[LC_TICKET_BYTES];
	raw[0] = 1;
	for (int i = 0; i < 4; i++) {
		raw[1 + i] = (uint8_t)(t.conference_id >> (24 - 8 * i));
		raw[5 + i] = (uint8_t)(t.registration_id >> (24 - 8 * i));
		raw[9 + i] = (uint8_t)(t.serial >> (24 - 8 * i));
	}
	raw[13] = 0;
	raw[14] = 9;
	memcpy(raw + LC_TICKET_BODY_BYTES, t.signature, 64);
	char text[LC_TICKET_CHARS + 1];
	memcpy(text, LC_TICKET_PREFIX, 5);
	sodium_bin2base64(text + 5, sizeof text - 5, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	assert_int_equal(check(db, conf, text), LC_TICKET_UNKNOWN_KEY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_issue_verify),     cmocka_unit_test(test_flipped_byte),
	    cmocka_unit_test(test_other_conference), cmocka_unit_test(test_reissue_revoked),
	    cmocka_unit_test(test_rotate),
	};
	return cmocka_run_group_tests(tests, lc_test_demo_setup, lc_test_demo_teardown);
}
