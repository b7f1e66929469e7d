/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Check-in at a conference's door (migration 0018, table checkins): batches
 * of ticket scans uploaded by the staff's devices, online one at a time or
 * offline many at once, and the counts organisers watch.
 *
 * Each scan carries the nonce its device drew: a scan already recorded
 * (an upload repeated after a lost answer) changes nothing and answers as
 * it did. A registration scanned again (twice at the door, or once on each
 * of two devices that were offline) keeps every scan; the later ones are
 * flagged "repeated" and answer "already checked in" with the first time.
 * Tickets are verified here against the database (ticket.h); a refused
 * ticket is answered, not recorded. The caller needs LC_ACT_CHECK_IN on the
 * conference (the role checkin:SLUG, or admin).
 */
#ifndef LC_CONFERENCE_CHECKIN_H
#define LC_CONFERENCE_CHECKIN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct lc_actor;
struct lc_db;
struct lc_diag;

/*
 * Records a batch: scans is [{"ticket": TEXT, "device": ID, "nonce": TEXT,
 * "scanned_at": UNIX-SECONDS}, ...], 1..LC_LIMIT_CHECKIN_BATCH of them; the
 * nonce is 16..64 base64url characters, the device 1..64 of [A-Za-z0-9._-],
 * scanned_at not more than LC_LIMIT_CHECKIN_SKEW seconds ahead of the server.
 * A malformed scan refuses the whole batch (problems in d, field
 * "scans[i].name", nothing written). *out gets one result a scan, in order:
 * {"nonce", "status": "checked_in" | "already_checked_in" | "refused",
 *  "reason": "revoked" | "bad_signature" | ... (refused only),
 *  "registration_id": 12 | null, "scanned_at": ISO,
 *  "first_at": ISO (already_checked_in: the first scan's time),
 *  "recorded": true when this call wrote the scan (false on a repeated upload)}
 * wrapped as {"results": [...], "recorded": N}. Caller owns *out.
 * 0, LC_EINVAL, LC_ELIMIT, LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_checkin_record(struct lc_db *db, const struct lc_actor *actor, int64_t conference_id,
                      const json_t *scans, json_t **out, struct lc_diag *d);

/*
 * The organisers' counts: {"checked_in": registrations with a scan,
 * "scans": N, "repeated": N (flagged), "devices": [{"device", "scans",
 * "last_at"}, ...] (most recent first, at most LC_LIMIT_CHECKIN_DEVICES),
 * "last_at": ISO | null}. LC_ACT_CHECK_IN. Caller owns *out.
 */
int lc_checkin_counts(struct lc_db *db, const struct lc_actor *actor, int64_t conference_id,
                      json_t **out);

/*
 * What the offline page downloads: {"conference": {"id", "slug"}, "keys":
 * lc_ticket_keys_json, "revoked": lc_ticket_revoked_json, "at": ISO}.
 * Makes the conference's first key when it has none. LC_ACT_CHECK_IN.
 */
int lc_checkin_offline(struct lc_db *db, const struct lc_actor *actor, int64_t conference_id,
                       const char *slug, json_t **out);

/*
 * When the registration was first checked in: 1 with *at set, 0 never, or
 * LC_EDB. No permission check (for certificates of attendance).
 */
int lc_checkin_first(struct lc_db *db, int64_t conference_id, int64_t registration_id, int64_t *at);

#endif
