/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Check-in at a conference's door (checkin.h). */
#include "domain/conference/checkin.h"

#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/conference/ticket.h"
#include "domain/platform/clock.h"

static int may(const struct lc_actor *actor, int64_t conference_id)
{
	struct lc_authz_object obj = {.conference_id = conference_id};
	return lc_authz_check(actor, LC_ACT_CHECK_IN, &obj);
}

static bool chars_ok(const char *s, size_t lo, size_t hi, const char *extra)
{
	size_t n = s ? strlen(s) : 0;
	if (n < lo || n > hi)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || strchr(extra, c) != NULL;
		if (!ok)
			return false;
	}
	return true;
}

/* Checks every scan's shape; problems to d. */
static int check_batch(const json_t *scans, struct lc_diag *d)
{
	if (!json_is_array(scans) || json_array_size(scans) == 0) {
		lc_diag_add(d, NULL, 0, 0, "scans", "err_checkin_batch_empty");
		return LC_EINVAL;
	}
	if (json_array_size(scans) > LC_LIMIT_CHECKIN_BATCH) {
		lc_diag_addf(d, NULL, 0, 0, "scans", "err_checkin_batch_long",
		             LC_ARG_I("limit", LC_LIMIT_CHECKIN_BATCH));
		return LC_ELIMIT;
	}
	int rc = 0;
	int64_t now = lc_clock_now();
	size_t i;
	json_t *s;
	json_array_foreach(scans, i, s)
	{
		char f[48];
		const char *ticket = json_string_value(json_object_get(s, "ticket"));
		if (!ticket || strlen(ticket) > LC_LIMIT_BADGE_TICKET_BYTES) {
			snprintf(f, sizeof f, "scans[%zu].ticket", i);
			lc_diag_add(d, NULL, 0, 0, f, "err_checkin_ticket");
			rc = LC_EINVAL;
		}
		if (!chars_ok(json_string_value(json_object_get(s, "device")), 1, 64, "._-")) {
			snprintf(f, sizeof f, "scans[%zu].device", i);
			lc_diag_add(d, NULL, 0, 0, f, "err_checkin_device");
			rc = LC_EINVAL;
		}
		if (!chars_ok(json_string_value(json_object_get(s, "nonce")), 16, 64, "_-")) {
			snprintf(f, sizeof f, "scans[%zu].nonce", i);
			lc_diag_add(d, NULL, 0, 0, f, "err_checkin_nonce");
			rc = LC_EINVAL;
		}
		json_t *at = json_object_get(s, "scanned_at");
		if (!json_is_integer(at) || json_integer_value(at) < 0 ||
		    json_integer_value(at) > now + LC_LIMIT_CHECKIN_SKEW) {
			snprintf(f, sizeof f, "scans[%zu].scanned_at", i);
			lc_diag_add(d, NULL, 0, 0, f, "err_checkin_time");
			rc = LC_EINVAL;
		}
	}
	return rc;
}

static json_t *iso(int64_t t)
{
	char s[21];
	lc_clock_iso(t, s);
	return json_string(s);
}

/* A scan already recorded under this nonce: 1 with its result filled, 0 none. */
static int known_nonce(struct lc_db *db, int64_t conf, const char *nonce, json_t *res)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT c.registration_id, c.scanned_at, c.repeated,"
	        " (SELECT min(scanned_at) FROM checkins f WHERE f.conference_id = c.conference_id"
	        "  AND f.registration_id = c.registration_id)"
	        " FROM checkins c WHERE c.conference_id = ?1 AND c.nonce = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, conf);
	lc_db_bind_text(st, 2, nonce);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		bool repeated = sqlite3_column_int(st, 2) != 0;
		json_object_set_new(res, "status",
		                    json_string(repeated ? "already_checked_in" : "checked_in"));
		json_object_set_new(res, "registration_id",
		                    json_integer(sqlite3_column_int64(st, 0)));
		json_object_set_new(res, "scanned_at", iso(sqlite3_column_int64(st, 1)));
		if (repeated)
			json_object_set_new(res, "first_at", iso(sqlite3_column_int64(st, 3)));
		json_object_set_new(res, "recorded", json_false());
	}
	lc_db_release(db, st);
	return rc;
}

/* One scan: verified, then recorded (flagged when the registration has a scan already). */
static int one(struct lc_db *db, const struct lc_actor *actor, int64_t conf, const json_t *s,
               json_t *res, long *recorded)
{
	const char *nonce = json_string_value(json_object_get(s, "nonce"));
	const char *text = json_string_value(json_object_get(s, "ticket"));
	int64_t at = json_integer_value(json_object_get(s, "scanned_at"));
	json_object_set_new(res, "nonce", json_string(nonce));
	int rc = known_nonce(db, conf, nonce, res);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	struct lc_ticket t;
	enum lc_ticket_status why;
	rc = lc_ticket_verify(db, conf, text, strlen(text), &t, &why);
	if (rc == LC_EINVAL) {
		json_object_set_new(res, "status", json_string("refused"));
		json_object_set_new(res, "reason", json_string(lc_ticket_status_name(why)));
		json_object_set_new(res, "registration_id", json_null());
		json_object_set_new(res, "scanned_at", iso(at));
		json_object_set_new(res, "recorded", json_false());
		return 0;
	}
	if (rc)
		return rc;
	int64_t first = 0;
	rc = lc_checkin_first(db, conf, t.registration_id, &first);
	if (rc < 0)
		return rc;
	bool repeated = rc == 1;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "INSERT INTO checkins (conference_id, nonce,"
	                   " registration_id, serial, device, scanned_at, received_at,"
	                   " account_id, repeated)"
	                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, conf);
	lc_db_bind_text(st, 2, nonce);
	sqlite3_bind_int64(st, 3, t.registration_id);
	sqlite3_bind_int64(st, 4, t.serial);
	lc_db_bind_text(st, 5, json_string_value(json_object_get(s, "device")));
	sqlite3_bind_int64(st, 6, at);
	sqlite3_bind_int64(st, 7, lc_clock_now());
	if (actor && actor->kind == LC_ACTOR_ACCOUNT)
		sqlite3_bind_int64(st, 8, actor->account_id);
	sqlite3_bind_int(st, 9, repeated);
	rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	(*recorded)++;
	json_object_set_new(res, "status",
	                    json_string(repeated ? "already_checked_in" : "checked_in"));
	json_object_set_new(res, "registration_id", json_integer(t.registration_id));
	json_object_set_new(res, "scanned_at", iso(at));
	if (repeated)
		json_object_set_new(res, "first_at", iso(first < at ? first : at));
	json_object_set_new(res, "recorded", json_true());
	return 0;
}

int lc_checkin_record(struct lc_db *db, const struct lc_actor *actor, int64_t conference_id,
                      const json_t *scans, json_t **out, struct lc_diag *d)
{
	*out = NULL;
	int rc = may(actor, conference_id);
	if (rc)
		return rc;
	rc = check_batch(scans, d);
	if (rc)
		return rc;
	rc = lc_db_begin(db);
	if (rc)
		return rc;
	json_t *results = json_array();
	long recorded = 0;
	size_t i;
	json_t *s;
	json_array_foreach(scans, i, s)
	{
		json_t *res = json_object();
		json_array_append_new(results, res);
		rc = one(db, actor, conference_id, s, res, &recorded);
		if (rc)
			break;
	}
	if (rc == 0)
		rc = lc_db_commit(db);
	if (rc) {
		lc_db_rollback(db);
		json_decref(results);
		return rc;
	}
	*out = json_pack("{s:o, s:i}", "results", results, "recorded", (json_int_t)recorded);
	return 0;
}

int lc_checkin_first(struct lc_db *db, int64_t conference_id, int64_t registration_id, int64_t *at)
{
	*at = 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT min(scanned_at) FROM checkins"
	                                  " WHERE conference_id = ?1 AND registration_id = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, conference_id);
	sqlite3_bind_int64(st, 2, registration_id);
	int rc = lc_db_step(db, st);
	bool found = false;
	if (rc == 1 && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*at = sqlite3_column_int64(st, 0);
		found = true;
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : found ? 1 : 0;
}

int lc_checkin_counts(struct lc_db *db, const struct lc_actor *actor, int64_t conference_id,
                      json_t **out)
{
	*out = NULL;
	int rc = may(actor, conference_id);
	if (rc)
		return rc;
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT count(DISTINCT registration_id), count(*), coalesce(sum(repeated), 0),"
	        " max(scanned_at) FROM checkins WHERE conference_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, conference_id);
	rc = lc_db_step(db, st);
	json_t *o = NULL;
	if (rc == 1)
		o = json_pack(
		    "{s:I, s:I, s:I, s:o}", "checked_in", (json_int_t)sqlite3_column_int64(st, 0),
		    "scans", (json_int_t)sqlite3_column_int64(st, 1), "repeated",
		    (json_int_t)sqlite3_column_int64(st, 2), "last_at",
		    sqlite3_column_type(st, 3) == SQLITE_NULL ? json_null()
		                                              : iso(sqlite3_column_int64(st, 3)));
	lc_db_release(db, st);
	if (rc < 0 || !o) {
		json_decref(o);
		return rc < 0 ? rc : LC_EDB;
	}
	st =
	    lc_db_stmt(db, "SELECT device, count(*), max(scanned_at) FROM checkins"
	                   " WHERE conference_id = ?1 GROUP BY device ORDER BY 3 DESC, 1 LIMIT ?2");
	if (!st) {
		json_decref(o);
		return LC_EDB;
	}
	sqlite3_bind_int64(st, 1, conference_id);
	sqlite3_bind_int(st, 2, LC_LIMIT_CHECKIN_DEVICES);
	json_t *devices = json_array();
	while (lc_db_next(db, st, &rc))
		json_array_append_new(devices,
		                      json_pack("{s:s, s:I, s:o}", "device", lc_db_text(st, 0),
		                                "scans", (json_int_t)sqlite3_column_int64(st, 1),
		                                "last_at", iso(sqlite3_column_int64(st, 2))));
	json_object_set_new(o, "devices", devices);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int lc_checkin_offline(struct lc_db *db, const struct lc_actor *actor, int64_t conference_id,
                       const char *slug, json_t **out)
{
	*out = NULL;
	int rc = may(actor, conference_id);
	if (rc)
		return rc;
	rc = lc_ticket_keys_ensure(db, conference_id);
	json_t *keys = NULL, *revoked = NULL;
	if (!rc)
		rc = lc_ticket_keys_json(db, conference_id, &keys);
	if (!rc)
		rc = lc_ticket_revoked_json(db, conference_id, &revoked);
	if (rc) {
		json_decref(keys);
		return rc;
	}
	*out = json_pack("{s:{s:I, s:s}, s:o, s:o, s:o}", "conference", "id",
	                 (json_int_t)conference_id, "slug", slug, "keys", keys, "revoked", revoked,
	                 "at", iso(lc_clock_now()));
	return 0;
}
