/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Signed tickets of a conference (ticket.h). */
#include "domain/conference/ticket.h"

#include <stdbool.h>
#include <string.h>

#include <sodium.h>

#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/platform/clock.h"
#include "domain/platform/secret.h"

#define TICKET_VERSION 1
#define KEY_ID_MAX     LC_LIMIT_CHECKIN_KEYS

const char *lc_ticket_status_name(enum lc_ticket_status s)
{
	switch (s) {
	case LC_TICKET_VALID: return "valid";
	case LC_TICKET_MALFORMED: return "malformed";
	case LC_TICKET_OTHER: return "other_conference";
	case LC_TICKET_UNKNOWN_KEY: return "unknown_key";
	case LC_TICKET_BAD_SIGNATURE: return "bad_signature";
	case LC_TICKET_REVOKED: return "revoked";
	}
	return "malformed";
}

static void put_be(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

static uint64_t get_be(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

static void body(const struct lc_ticket *t, uint8_t out[LC_TICKET_BODY_BYTES])
{
	out[0] = TICKET_VERSION;
	put_be(out + 1, (uint64_t)t->conference_id, 4);
	put_be(out + 5, (uint64_t)t->registration_id, 4);
	put_be(out + 9, (uint64_t)t->serial, 4);
	put_be(out + 13, (uint64_t)t->key_id, 2);
}

static bool in_range(int64_t v)
{
	return v >= 1 && v <= (int64_t)UINT32_MAX;
}

static void encode(const struct lc_ticket *t, char out[LC_TICKET_CHARS + 1])
{
	uint8_t raw[LC_TICKET_BYTES];
	body(t, raw);
	memcpy(raw + LC_TICKET_BODY_BYTES, t->signature, 64);
	memcpy(out, LC_TICKET_PREFIX, 5);
	sodium_bin2base64(out + 5, LC_TICKET_CHARS + 1 - 5, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int lc_ticket_decode(const char *text, size_t len, struct lc_ticket *t)
{
	lc_secret_init();
	memset(t, 0, sizeof *t);
	if (!text || len != LC_TICKET_CHARS || memcmp(text, LC_TICKET_PREFIX, 5) != 0)
		return LC_EINVAL;
	uint8_t raw[LC_TICKET_BYTES];
	size_t n = 0;
	const char *end = NULL;
	if (sodium_base642bin(raw, sizeof raw, text + 5, len - 5, NULL, &n, &end,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    n != sizeof raw || end != text + len || raw[0] != TICKET_VERSION)
		return LC_EINVAL;
	t->conference_id = (int64_t)get_be(raw + 1, 4);
	t->registration_id = (int64_t)get_be(raw + 5, 4);
	t->serial = (int64_t)get_be(raw + 9, 4);
	t->key_id = (int)get_be(raw + 13, 2);
	memcpy(t->signature, raw + LC_TICKET_BODY_BYTES, 64);
	if (!in_range(t->conference_id) || !in_range(t->registration_id) || !in_range(t->serial) ||
	    t->key_id < 1) {
		memset(t, 0, sizeof *t);
		return LC_EINVAL;
	}
	/* The same bytes must encode back: base64 with stray low bits is another text. */
	char again[LC_TICKET_CHARS + 1];
	encode(t, again);
	if (memcmp(again, text, len) != 0) {
		memset(t, 0, sizeof *t);
		return LC_EINVAL;
	}
	return 0;
}

int lc_ticket_signature_ok(const struct lc_ticket *t, const uint8_t pk[32])
{
	lc_secret_init();
	uint8_t b[LC_TICKET_BODY_BYTES];
	body(t, b);
	return crypto_sign_verify_detached(t->signature, b, sizeof b, pk) == 0;
}

/* A new key pair; the seed goes to the database, the copies are wiped. */
static int insert_key(struct lc_db *db, int64_t conf, int key_id)
{
	lc_secret_init();
	uint8_t seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES],
	    sk[crypto_sign_SECRETKEYBYTES];
	randombytes_buf(seed, sizeof seed);
	crypto_sign_seed_keypair(pk, sk, seed);
	sodium_memzero(sk, sizeof sk);
	int rc = LC_EDB;
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO checkin_keys (conference_id, key_id,"
	                                  " public_key, secret_seed, active, created_at)"
	                                  " VALUES (?1, ?2, ?3, ?4, 1, ?5)");
	if (st) {
		sqlite3_bind_int64(st, 1, conf);
		sqlite3_bind_int(st, 2, key_id);
		sqlite3_bind_blob(st, 3, pk, sizeof pk, SQLITE_TRANSIENT);
		sqlite3_bind_blob(st, 4, seed, sizeof seed, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 5, lc_clock_now());
		rc = lc_db_step(db, st);
		lc_db_release(db, st);
	}
	sodium_memzero(seed, sizeof seed);
	return rc < 0 ? rc : 0;
}

/* The active key's id, 0 when the conference has none. */
static int active_key(struct lc_db *db, int64_t conf, int *key_id)
{
	*key_id = 0;
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT key_id FROM checkin_keys WHERE conference_id = ?1 AND active = 1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, conf);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*key_id = sqlite3_column_int(st, 0);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_ticket_keys_ensure(struct lc_db *db, int64_t conference_id)
{
	int rc = lc_db_begin(db);
	if (rc)
		return rc;
	int kid = 0;
	rc = active_key(db, conference_id, &kid);
	if (rc == 0 && kid == 0)
		rc = insert_key(db, conference_id, 1);
	if (rc == 0)
		rc = lc_db_commit(db);
	if (rc)
		lc_db_rollback(db);
	return rc;
}

int lc_ticket_key_rotate(struct lc_db *db, const struct lc_actor *actor, int64_t conference_id,
                         int *key_id)
{
	int rc = lc_db_begin(db);
	if (rc)
		return rc;
	int next = 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT coalesce(max(key_id), 0) FROM checkin_keys"
	                                  " WHERE conference_id = ?1");
	if (!st) {
		rc = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, conference_id);
	rc = lc_db_step(db, st);
	if (rc == 1)
		next = sqlite3_column_int(st, 0) + 1;
	lc_db_release(db, st);
	if (rc < 0)
		goto out;
	if (next > KEY_ID_MAX) {
		rc = LC_ELIMIT;
		goto out;
	}
	st =
	    lc_db_stmt(db, "UPDATE checkin_keys SET active = 0, secret_seed = NULL, retired_at = ?2"
	                   " WHERE conference_id = ?1 AND active = 1");
	if (!st) {
		rc = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, conference_id);
	sqlite3_bind_int64(st, 2, lc_clock_now());
	rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		goto out;
	rc = insert_key(db, conference_id, next);
	if (rc)
		goto out;
	json_t *after =
	    json_pack("{s:I, s:i}", "conference_id", (json_int_t)conference_id, "key_id", next);
	rc = lc_audit_append_id(db, actor, "checkin.key_rotate", "conference", conference_id, NULL,
	                        after, NULL);
	json_decref(after);
	if (rc)
		goto out;
	rc = lc_db_commit(db);
out:
	if (rc) {
		lc_db_rollback(db);
		return rc;
	}
	if (key_id)
		*key_id = next;
	return 0;
}

static json_t *iso_or_null(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	char iso[21];
	lc_clock_iso(sqlite3_column_int64(st, i), iso);
	return json_string(iso);
}

int lc_ticket_keys_json(struct lc_db *db, int64_t conference_id, json_t **out)
{
	lc_secret_init();
	*out = NULL;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT key_id, public_key, active, created_at, retired_at"
	                   " FROM checkin_keys WHERE conference_id = ?1 ORDER BY key_id");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, conference_id);
	json_t *list = json_array();
	int rc;
	while (lc_db_next(db, st, &rc)) {
		char b64[LC_TICKET_KEY_CHARS + 1];
		const void *pk = sqlite3_column_blob(st, 1);
		if (!pk || sqlite3_column_bytes(st, 1) != 32)
			continue;
		sodium_bin2base64(b64, sizeof b64, pk, 32,
		                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		json_array_append_new(list, json_pack("{s:i, s:s, s:b, s:o, s:o}", "key_id",
		                                      sqlite3_column_int(st, 0), "public_key", b64,
		                                      "active", sqlite3_column_int(st, 2) != 0,
		                                      "created_at", iso_or_null(st, 3),
		                                      "retired_at", iso_or_null(st, 4)));
	}
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

int lc_ticket_revoked_json(struct lc_db *db, int64_t conference_id, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT serial FROM tickets WHERE conference_id = ?1"
	                                  " AND revoked_at IS NOT NULL ORDER BY serial");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, conference_id);
	json_t *list = json_array();
	int rc;
	while (lc_db_next(db, st, &rc))
		json_array_append_new(list, json_integer(sqlite3_column_int64(st, 0)));
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

/* The registration's current ticket into t; 1 found, 0 none, <0 error. */
static int load_current(struct lc_db *db, int64_t conf, int64_t reg, struct lc_ticket *t)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT serial, key_id, signature FROM tickets"
	                                  " WHERE conference_id = ?1 AND registration_id = ?2"
	                                  " AND revoked_at IS NULL");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, conf);
	sqlite3_bind_int64(st, 2, reg);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		t->conference_id = conf;
		t->registration_id = reg;
		t->serial = sqlite3_column_int64(st, 0);
		t->key_id = sqlite3_column_int(st, 1);
		const void *sig = sqlite3_column_blob(st, 2);
		if (sig && sqlite3_column_bytes(st, 2) == 64)
			memcpy(t->signature, sig, 64);
	}
	lc_db_release(db, st);
	return rc;
}

/* Signs and stores a new ticket for the registration under the active key. */
static int issue(struct lc_db *db, int64_t conf, int64_t reg, struct lc_ticket *t)
{
	int rc = lc_ticket_keys_ensure(db, conf);
	if (rc)
		return rc;
	memset(t, 0, sizeof *t);
	t->conference_id = conf;
	t->registration_id = reg;
	uint8_t seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES],
	    sk[crypto_sign_SECRETKEYBYTES];
	bool have_seed = false;
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT k.key_id, k.secret_seed,"
	        " (SELECT coalesce(max(serial), 0) + 1 FROM tickets WHERE conference_id = ?1)"
	        " FROM checkin_keys k WHERE k.conference_id = ?1 AND k.active = 1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, conf);
	rc = lc_db_step(db, st);
	if (rc == 1 && sqlite3_column_bytes(st, 1) == (int)sizeof seed) {
		t->key_id = sqlite3_column_int(st, 0);
		memcpy(seed, sqlite3_column_blob(st, 1), sizeof seed);
		t->serial = sqlite3_column_int64(st, 2);
		have_seed = true;
	}
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (!have_seed)
		return LC_EINTERNAL;
	if (!in_range(t->serial)) {
		sodium_memzero(seed, sizeof seed);
		return LC_ELIMIT;
	}
	uint8_t b[LC_TICKET_BODY_BYTES];
	body(t, b);
	crypto_sign_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof seed);
	crypto_sign_detached(t->signature, NULL, b, sizeof b, sk);
	sodium_memzero(sk, sizeof sk);
	st = lc_db_stmt(db, "INSERT INTO tickets (conference_id, registration_id, serial, key_id,"
	                    " signature, issued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, conf);
	sqlite3_bind_int64(st, 2, reg);
	sqlite3_bind_int64(st, 3, t->serial);
	sqlite3_bind_int(st, 4, t->key_id);
	sqlite3_bind_blob(st, 5, t->signature, 64, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 6, lc_clock_now());
	rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_ticket_current(struct lc_db *db, int64_t conference_id, int64_t registration_id,
                      char out[LC_TICKET_CHARS + 1])
{
	if (!in_range(conference_id) || !in_range(registration_id))
		return LC_EINVAL;
	int rc = lc_db_begin(db);
	if (rc)
		return rc;
	struct lc_ticket t;
	memset(&t, 0, sizeof t);
	rc = load_current(db, conference_id, registration_id, &t);
	if (rc == 0)
		rc = issue(db, conference_id, registration_id, &t);
	else if (rc == 1)
		rc = 0;
	if (rc == 0)
		rc = lc_db_commit(db);
	if (rc) {
		lc_db_rollback(db);
		return rc;
	}
	encode(&t, out);
	return 0;
}

int lc_ticket_reissue(struct lc_db *db, int64_t conference_id, int64_t registration_id,
                      enum lc_ticket_reason why, char *out)
{
	if (!in_range(conference_id) || !in_range(registration_id) ||
	    (why == LC_TICKET_CHANGED && !out))
		return LC_EINVAL;
	int rc = lc_db_begin(db);
	if (rc)
		return rc;
	sqlite3_stmt *st = lc_db_stmt(db, "UPDATE tickets SET revoked_at = ?3, revoked_why = ?4"
	                                  " WHERE conference_id = ?1 AND registration_id = ?2"
	                                  " AND revoked_at IS NULL");
	if (!st) {
		rc = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, conference_id);
	sqlite3_bind_int64(st, 2, registration_id);
	sqlite3_bind_int64(st, 3, lc_clock_now());
	lc_db_bind_text(st, 4, why == LC_TICKET_CHANGED ? "changed" : "cancelled");
	rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		goto out;
	rc = 0;
	struct lc_ticket t;
	if (why == LC_TICKET_CHANGED)
		rc = issue(db, conference_id, registration_id, &t);
	if (rc == 0)
		rc = lc_db_commit(db);
out:
	if (rc) {
		lc_db_rollback(db);
		return rc;
	}
	if (why == LC_TICKET_CHANGED)
		encode(&t, out);
	return 0;
}

int lc_ticket_verify(struct lc_db *db, int64_t conference_id, const char *text, size_t len,
                     struct lc_ticket *t, enum lc_ticket_status *status)
{
	struct lc_ticket local;
	if (!t)
		t = &local;
	*status = LC_TICKET_MALFORMED;
	if (lc_ticket_decode(text, len, t) != 0)
		return LC_EINVAL;
	if (t->conference_id != conference_id) {
		*status = LC_TICKET_OTHER;
		return LC_EINVAL;
	}
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT public_key, (SELECT revoked_at IS NOT NULL FROM tickets"
	                   " WHERE conference_id = ?1 AND serial = ?3 AND registration_id = ?4)"
	                   " FROM checkin_keys WHERE conference_id = ?1 AND key_id = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, conference_id);
	sqlite3_bind_int(st, 2, t->key_id);
	sqlite3_bind_int64(st, 3, t->serial);
	sqlite3_bind_int64(st, 4, t->registration_id);
	uint8_t pk[32];
	bool known = false, revoked = false;
	int rc = lc_db_step(db, st);
	if (rc == 1 && sqlite3_column_bytes(st, 0) == 32) {
		memcpy(pk, sqlite3_column_blob(st, 0), 32);
		known = true;
		/* A serial the database never issued to this registration counts as revoked. */
		revoked =
		    sqlite3_column_type(st, 1) == SQLITE_NULL || sqlite3_column_int(st, 1) != 0;
	}
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (!known) {
		*status = LC_TICKET_UNKNOWN_KEY;
		return LC_EINVAL;
	}
	if (!lc_ticket_signature_ok(t, pk)) {
		*status = LC_TICKET_BAD_SIGNATURE;
		return LC_EINVAL;
	}
	if (revoked) {
		*status = LC_TICKET_REVOKED;
		return LC_EINVAL;
	}
	*status = LC_TICKET_VALID;
	return 0;
}
