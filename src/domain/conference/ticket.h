/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Signed tickets of a conference (migration 0018): the text a badge's QR
 * code carries, checked at the door, even by a device without a connection.
 *
 * Each conference has an Ed25519 key (libsodium) known by a key id; the
 * active key signs, rotation makes a new one and retires the old, which
 * keeps its public half (tickets it signed stay valid) and loses its secret.
 * The secret seed lives only in checkin_keys.secret_seed of the active key:
 * no view, answer, audit row or log ever holds it, and the copies a
 * signature needs are wiped after use.
 *
 * A ticket is "LCT1." followed by unpadded base64url of 79 bytes: version
 * (1), conference id (4), registration id (4), serial (4), key id (2), all
 * big-endian, then the 64-byte signature of those 15 bytes. The signed bytes
 * name the conference, so another conference's key (or a ticket of another
 * conference) never verifies. A registration has one current ticket; a
 * change of name or category re-issues it under a new serial and the old
 * serial joins the conference's revocation list, as does a cancellation.
 *
 * It does not know registrations (the registration side calls
 * lc_ticket_reissue) and checks no roles: callers do.
 */
#ifndef LC_CONFERENCE_TICKET_H
#define LC_CONFERENCE_TICKET_H

#include <jansson.h>
#include <stdint.h>

struct lc_actor;
struct lc_db;

#define LC_TICKET_PREFIX "LCT1."
/* The signed bytes and the whole decoded ticket. */
#define LC_TICKET_BODY_BYTES 15
#define LC_TICKET_BYTES      (LC_TICKET_BODY_BYTES + 64)
/* The text: prefix and base64url of LC_TICKET_BYTES without padding. */
#define LC_TICKET_CHARS (5 + 106)
/* A public key as unpadded base64url. */
#define LC_TICKET_KEY_CHARS 43

struct lc_ticket {
	int64_t conference_id;
	int64_t registration_id;
	int64_t serial;
	int key_id;
	uint8_t signature[64];
};

/* Why a ticket was refused (LC_TICKET_VALID when it was not). */
enum lc_ticket_status {
	LC_TICKET_VALID = 0,
	LC_TICKET_MALFORMED,     /* not a ticket: prefix, length, encoding, version */
	LC_TICKET_OTHER,         /* a ticket of another conference */
	LC_TICKET_UNKNOWN_KEY,   /* a key id this conference never had */
	LC_TICKET_BAD_SIGNATURE, /* altered, or signed by another key */
	LC_TICKET_REVOKED,       /* re-issued or cancelled */
};

/* Why re-issue. */
enum lc_ticket_reason {
	LC_TICKET_CHANGED,   /* name or category changed: a new ticket replaces it */
	LC_TICKET_CANCELLED, /* the registration ended: no new ticket */
};

/* The machine name of a status ("valid", "malformed", "other_conference", ...). Static. */
const char *lc_ticket_status_name(enum lc_ticket_status s);

/*
 * Makes the conference's first key when it has none (0 when it has one).
 * Within the caller's transaction or its own. 0 or LC_EDB.
 */
int lc_ticket_keys_ensure(struct lc_db *db, int64_t conference_id);

/*
 * Retires the active key (its secret erased) and makes the next one; with
 * the audit row "checkin.key_rotate" by actor. *key_id (may be NULL) gets the
 * new key id. 0, LC_ELIMIT (65,535 keys), LC_EDB.
 */
int lc_ticket_key_rotate(struct lc_db *db, const struct lc_actor *actor, int64_t conference_id,
                         int *key_id);

/*
 * The conference's public keys, oldest first:
 * [{"key_id": 1, "public_key": "<base64url>", "active": false,
 *   "created_at": "2026-09-21T00:00:00Z", "retired_at": "..." | null}, ...]
 * Caller owns *out. 0 or LC_EDB.
 */
int lc_ticket_keys_json(struct lc_db *db, int64_t conference_id, json_t **out);

/*
 * The revoked serials of the conference, ascending: [3, 7, ...]. Bounded by
 * the tickets issued. Caller owns *out. 0 or LC_EDB.
 */
int lc_ticket_revoked_json(struct lc_db *db, int64_t conference_id, json_t **out);

/*
 * The registration's current ticket as text, issuing the first one (and the
 * conference's first key) when it has none. out holds LC_TICKET_CHARS + 1.
 * 0, LC_EINVAL (an id out of the ticket's range), LC_EDB.
 */
int lc_ticket_current(struct lc_db *db, int64_t conference_id, int64_t registration_id,
                      char out[LC_TICKET_CHARS + 1]);

/*
 * What the registration side calls when a registration's name or category
 * changes (LC_TICKET_CHANGED: the current ticket is revoked and a new one
 * issued into out, which may then not be NULL) or when it is cancelled or
 * withdrawn (LC_TICKET_CANCELLED: revoked, nothing issued, out may be NULL).
 * Runs in the caller's transaction when there is one, so the change and its
 * ticket commit together. A registration without a ticket just gets one
 * (CHANGED) or nothing happens (CANCELLED). 0, LC_EINVAL, LC_EDB.
 */
int lc_ticket_reissue(struct lc_db *db, int64_t conference_id, int64_t registration_id,
                      enum lc_ticket_reason why, char *out);

/*
 * Decodes a ticket's text (len bytes, not NUL-terminated) without checking
 * its signature. 0 or LC_EINVAL (not a ticket).
 */
int lc_ticket_decode(const char *text, size_t len, struct lc_ticket *t);

/* 1 when t's signature verifies under the 32-byte public key pk, else 0. */
int lc_ticket_signature_ok(const struct lc_ticket *t, const uint8_t pk[32]);

/*
 * Verifies a ticket for a conference: decoded, of this conference, signed by
 * one of its keys, not revoked. *status says which; t (may be NULL) gets the
 * decoded ticket when it is at least well formed. 0 when valid, LC_EINVAL
 * when refused, LC_EDB.
 */
int lc_ticket_verify(struct lc_db *db, int64_t conference_id, const char *text, size_t len,
                     struct lc_ticket *t, enum lc_ticket_status *status);

#endif
