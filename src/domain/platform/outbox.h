/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The outbox (outbox table): e-mail is queued in the transaction of the
 * change that causes it, written in its reader's language (mail/mail.h),
 * and delivered later by the SMTP transport (mail/smtp.h; `learncity
 * outbox send`, or the server periodically). States: queued ->
 * sending -> sent, or back to queued with a growing delay after a failure
 * (attempts and last error recorded), and failed after
 * LC_LIMIT_OUTBOX_ATTEMPTS attempts (kept; lc_outbox_retry queues it again).
 * A message is never deleted.
 *
 * A message may carry a secret (the token of an invitation or reset link):
 * the body holds the placeholder LC_OUTBOX_SECRET where it goes, and the
 * secret is kept apart until delivery, then erased (also when the message
 * fails for good). Lists show the body with the placeholder, never the
 * secret. Only delivery and a cron-like caller need no actor; everything
 * else checks it.
 */
#ifndef LC_OUTBOX_H
#define LC_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "mail/smtp.h"

struct lc_actor;
struct lc_db;

/* Where a message's secret goes in its body. */
#define LC_OUTBOX_SECRET "{{secret}}"

/*
 * Queues a message within the caller's transaction. to: an e-mail address
 * (validated as account.h does); subject: UTF-8, at most
 * LC_LIMIT_MAIL_SUBJECT_BYTES, no CR/LF; body: UTF-8 text, at most
 * LC_LIMIT_MAIL_BODY_BYTES; secret: NULL or the text replacing
 * LC_OUTBOX_SECRET at delivery. Audit "outbox.enqueue" (to and subject).
 * 0 with *id set (may be NULL); LC_EINVAL, LC_ELIMIT, LC_EDB.
 */
int lc_outbox_enqueue(struct lc_db *db, const struct lc_actor *actor, const char *to,
                      const char *subject, const char *body, const char *secret, int64_t *id);

/*
 * The language mail to this address is written in: the account's
 * language, else the language of the newest application giving it as the
 * contact address, else "en" (then lc_mail_render falls back to English
 * for a language without a catalogue). out: at least 9 bytes. 0, LC_EDB.
 */
int lc_outbox_lang(struct lc_db *db, const char *to, char *out, size_t n);

/*
 * Renders message kind (mail/mail.h) for to in its language
 * (lc_outbox_lang) with vars (borrowed), and queues it as
 * lc_outbox_enqueue does, with its HTML part, kind and language. vars may
 * hold LC_OUTBOX_SECRET where the secret goes (in "link"). 0 with *id set
 * (may be NULL); LC_EINVAL, LC_ELIMIT, LC_ENOTFOUND (unknown kind),
 * LC_EINTERNAL (templates), LC_EDB.
 */
int lc_outbox_mail(struct lc_db *db, const struct lc_actor *actor, const char *to, const char *kind,
                   const json_t *vars, const char *secret, int64_t *id);

/*
 * Attaches a file to queued message id within the caller's transaction; it
 * goes out with the message (lc_outbox_deliver). content_type: only
 * "text/calendar" so far; filename [A-Za-z0-9._-], at most 100 bytes; len
 * 1..LC_LIMIT_MAIL_ATTACHMENT_BYTES; at most LC_LIMIT_MAIL_ATTACHMENTS a
 * message. 0, LC_EINVAL, LC_ELIMIT, LC_EDB.
 */
int lc_outbox_attach(struct lc_db *db, int64_t id, const char *filename, const char *content_type,
                     const void *data, size_t len);

/*
 * Messages of this kind queued for to (normalised) since the given time,
 * into *n. 0, LC_EDB.
 */
int lc_outbox_count_since(struct lc_db *db, const char *to, const char *kind, int64_t since,
                          long *n);

/*
 * Reads the SMTP settings from the settings table: keys "smtp.url",
 * "smtp.from", "smtp.user", "smtp.password". The strings are copied into
 * storage (size n) and cfg points into it. 0, LC_ENOTFOUND (no smtp.url or
 * smtp.from), LC_ELIMIT (storage too small), LC_EDB.
 */
int lc_outbox_config_load(struct lc_db *db, struct lc_smtp_config *cfg, char *storage, size_t n);

struct lc_outbox_report {
	int sent;   /* delivered now */
	int failed; /* attempts that failed now (the messages stay queued or became failed) */
	int queued; /* messages still waiting after this pass (due later) */
};

/*
 * Delivers up to max (0 = LC_LIMIT_OUTBOX_BATCH) queued messages whose time
 * has come, one SMTP transaction each (lc_smtp_send: a text and an HTML
 * part, the secret put in both where the placeholder is). Claims
 * each message (state sending) in its own short transaction, sends outside
 * any transaction, then records sent, or the error with the next attempt
 * time. Messages left 'sending' by a crashed sender for more than
 * LC_LIMIT_OUTBOX_SENDING_S are queued again. No actor: the caller (the
 * CLI, the server's timer) decides. 0 (failures are counted, not errors),
 * LC_EINVAL (bad cfg), LC_EDB.
 */
int lc_outbox_deliver(struct lc_db *db, const struct lc_smtp_config *cfg, size_t max,
                      struct lc_outbox_report *rep);

struct lc_outbox_query {
	const char *state; /* "queued" | "sending" | "sent" | "failed" | NULL */
	long page;         /* 1-based; 0 means 1 */
	long per_page;     /* 1..LC_LIMIT_PER_PAGE; 0 means LC_DEFAULT_PER_PAGE */
};

/*
 * The messages, newest first. Requires LC_ACT_VIEW_OUTBOX.
 * {"items": [{"id": 3, "to": "...", "subject": "...", "body": "... {{secret}} ...",
 *             "kind": "invite" | null, "lang": "fr" | null,
 *             "state": "queued", "attempts": 1, "last_error": "..." | null,
 *             "created_at": "...Z", "next_attempt_at": "...Z" | null,
 *             "sent_at": "...Z" | null}, ...],
 *  "total", "page", "per_page", "pages", "filters": {"state": null}}
 * 0; LC_EINVAL (state, page), LC_EPERM/LC_EAUTH, LC_EDB. Caller owns *out.
 */
int lc_outbox_list(struct lc_db *db, const struct lc_actor *actor, const struct lc_outbox_query *q,
                   json_t **out);

/*
 * Queues a failed message again now (attempts reset). Requires
 * LC_ACT_SEND_OUTBOX. Audit "outbox.retry". 0, LC_ENOTFOUND (no failed
 * message with this id), LC_EPERM/LC_EAUTH, LC_EDB.
 */
int lc_outbox_retry(struct lc_db *db, const struct lc_actor *actor, int64_t id);

#endif
