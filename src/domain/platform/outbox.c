/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The outbox and its delivery (outbox.h). A message is rendered by
 * mail/mail.c when it is queued and sent by mail/smtp.c; this module keeps
 * the table, the claims and the retries. A message is claimed in a short
 * transaction, sent with no transaction open (an SMTP exchange may take
 * seconds and must not hold the write lock), and its outcome recorded in
 * another short transaction.
 */
#include "domain/platform/outbox.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/platform/clock.h"
#include "domain/platform/row.h"
#include "domain/platform/secret.h"
#include "domain/platform/setting.h"
#include "mail/address.h"
#include "mail/mail.h"
#include "mail/smtp.h"

#define ISO(col) "strftime('%Y-%m-%dT%H:%M:%SZ', " col ", 'unixepoch')"

static bool text_ok(const char *s, size_t max, bool one_line)
{
	size_t n = s ? strnlen(s, max + 1) : 0;
	if (!s || n > max || !lc_utf8_valid(s, n))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\r' || (c == '\n' && one_line) || c == 0x7f ||
		    (c < 0x20 && c != '\n' && c != '\t'))
			return false;
	}
	return true;
}

/* Queues a message within the caller's transaction; html, kind and lang may be NULL. */
static int store(struct lc_db *db, const struct lc_actor *actor, const char *to,
                 const char *subject, const char *body, const char *html, const char *kind,
                 const char *lang, const char *secret, int64_t *id)
{
	char norm[LC_LIMIT_EMAIL_BYTES + 1];
	if (!to || lc_address_normalise(to, strlen(to), norm, sizeof norm) != 0)
		return LC_EINVAL;
	if (!subject || strlen(subject) > LC_LIMIT_MAIL_SUBJECT_BYTES ||
	    (body && strlen(body) > LC_LIMIT_MAIL_BODY_BYTES) ||
	    (html && strlen(html) > LC_LIMIT_MAIL_HTML_BYTES))
		return LC_ELIMIT;
	if (!subject[0] || !text_ok(subject, LC_LIMIT_MAIL_SUBJECT_BYTES, true) ||
	    !text_ok(body, LC_LIMIT_MAIL_BODY_BYTES, false) ||
	    (html && !lc_utf8_valid(html, strlen(html))) || (secret && !text_ok(secret, 256, true)))
		return LC_EINVAL;
	int err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO outbox (to_addr, subject, body, secret,"
	                                  " created_at, next_attempt_at, html, kind, lang)"
	                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8)");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	lc_db_bind_text(st, 1, norm);
	lc_db_bind_text(st, 2, subject);
	lc_db_bind_text(st, 3, body);
	lc_db_bind_text(st, 4, secret);
	sqlite3_bind_int64(st, 5, lc_clock_now());
	lc_db_bind_text(st, 6, html);
	lc_db_bind_text(st, 7, kind);
	lc_db_bind_text(st, 8, lang);
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto out;
	int64_t mid = lc_db_last_id(db);
	json_t *after = json_pack("{s:s,s:s}", "to", norm, "subject", subject);
	if (kind)
		json_object_set_new(after, "kind", json_string(kind));
	if (lang)
		json_object_set_new(after, "lang", json_string(lang));
	err = lc_audit_append_id(db, actor, "outbox.enqueue", "outbox", mid, NULL, after, NULL);
	json_decref(after);
	if (!err)
		err = lc_db_commit(db);
	if (!err && id)
		*id = mid;
out:
	if (err)
		lc_db_rollback(db);
	return err;
}

int lc_outbox_enqueue(struct lc_db *db, const struct lc_actor *actor, const char *to,
                      const char *subject, const char *body, const char *secret, int64_t *id)
{
	return store(db, actor, to, subject, body, NULL, NULL, NULL, secret, id);
}

int lc_outbox_lang(struct lc_db *db, const char *to, char *out, size_t n)
{
	snprintf(out, n, "en");
	char norm[LC_LIMIT_EMAIL_BYTES + 1];
	if (!to || lc_address_normalise(to, strlen(to), norm, sizeof norm) != 0)
		return 0;
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT coalesce((SELECT lang FROM accounts WHERE email_norm = ?1),"
	        " (SELECT nullif(language, '') FROM applications WHERE lower(contact_email) = ?1"
	        "  AND language <> '' ORDER BY item_id DESC LIMIT 1), 'en')");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, norm);
	int rc = lc_db_step(db, st);
	if (rc == 1 && lc_db_text(st, 0))
		snprintf(out, n, "%s", lc_db_text(st, 0));
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_outbox_mail(struct lc_db *db, const struct lc_actor *actor, const char *to, const char *kind,
                   const json_t *vars, const char *secret, int64_t *id)
{
	char lang[16];
	int err = lc_outbox_lang(db, to, lang, sizeof lang);
	if (err)
		return err;
	struct lc_mail m;
	err = lc_mail_render(kind, lang, vars, &m);
	if (err)
		return err;
	err = store(db, actor, to, m.subject, m.text, m.html, kind, m.lang, secret, id);
	lc_mail_cleanup(&m);
	return err;
}

int lc_outbox_count_since(struct lc_db *db, const char *to, const char *kind, int64_t since,
                          long *n)
{
	*n = 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT count(*) FROM outbox WHERE to_addr = ?1"
	                                  " AND kind = ?2 AND created_at > ?3");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, to);
	lc_db_bind_text(st, 2, kind);
	sqlite3_bind_int64(st, 3, since);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*n = (long)sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* ---- settings ------------------------------------------------------------ */

static int copy_setting(struct lc_db *db, const char *key, const char **dst, char *storage,
                        size_t n, size_t *used)
{
	char *v = NULL;
	int err = lc_setting_get(db, key, &v);
	if (err)
		return err;
	size_t len = strlen(v);
	if (*used + len + 1 > n) {
		lc_free(v);
		return LC_ELIMIT;
	}
	memcpy(storage + *used, v, len + 1);
	*dst = storage + *used;
	*used += len + 1;
	lc_free(v);
	return 0;
}

int lc_outbox_config_load(struct lc_db *db, struct lc_smtp_config *cfg, char *storage, size_t n)
{
	memset(cfg, 0, sizeof *cfg);
	size_t used = 0;
	int err = copy_setting(db, "smtp.url", &cfg->url, storage, n, &used);
	if (!err)
		err = copy_setting(db, "smtp.from", &cfg->from, storage, n, &used);
	if (err)
		return err;
	/* User and password are optional, each on its own. */
	err = copy_setting(db, "smtp.user", &cfg->user, storage, n, &used);
	if (!err || err == LC_ENOTFOUND)
		err = copy_setting(db, "smtp.password", &cfg->password, storage, n, &used);
	return err == LC_ENOTFOUND ? 0 : err;
}

/* ---- the message --------------------------------------------------------- */

/* s with the secret where the placeholder is; without one, say the link is gone. */
static void put_secret(struct lc_buf *b, const char *s, const char *secret)
{
	const char *p = s, *hit;
	size_t plen = strlen(LC_OUTBOX_SECRET);
	while ((hit = strstr(p, LC_OUTBOX_SECRET)) != NULL) {
		lc_buf_append(b, p, (size_t)(hit - p));
		lc_buf_puts(b, secret ? secret : "(expired: ask for a new link)");
		p = hit + plen;
	}
	lc_buf_puts(b, p);
}

/* ---- delivery ------------------------------------------------------------ */

static int exec_bound(struct lc_db *db, const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* Claims the next due message: *id = 0 when none. */
static int claim(struct lc_db *db, int64_t now, int64_t *id)
{
	*id = 0;
	int err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id FROM outbox WHERE state = 'queued'"
	                                  " AND coalesce(next_attempt_at, 0) <= ?1"
	                                  " ORDER BY next_attempt_at, id LIMIT 1");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, now);
	err = lc_db_step(db, st);
	int64_t found = err == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (err < 0)
		goto out;
	err = 0;
	if (found)
		err = exec_bound(
		    db, "UPDATE outbox SET state = 'sending', claimed_at = ?2 WHERE id = ?1", found,
		    now);
	if (!err)
		err = lc_db_commit(db);
	if (!err)
		*id = found;
out:
	if (err)
		lc_db_rollback(db);
	return err;
}

static int record_failure(struct lc_db *db, int64_t id, long attempts, const char *why)
{
	int64_t now = lc_clock_now();
	bool give_up = attempts >= LC_LIMIT_OUTBOX_ATTEMPTS;
	int64_t delay = 60;
	for (long i = 1; i < attempts && delay < LC_LIMIT_OUTBOX_BACKOFF_MAX_S; i++)
		delay *= 2;
	if (delay > LC_LIMIT_OUTBOX_BACKOFF_MAX_S)
		delay = LC_LIMIT_OUTBOX_BACKOFF_MAX_S;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "UPDATE outbox SET attempts = ?2, last_error = ?3, claimed_at = NULL,"
	                   " state = CASE WHEN ?4 THEN 'failed' ELSE 'queued' END,"
	                   " secret = CASE WHEN ?4 THEN NULL ELSE secret END,"
	                   " next_attempt_at = CASE WHEN ?4 THEN NULL ELSE ?5 END WHERE id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, attempts);
	lc_db_bind_text(st, 3, why);
	sqlite3_bind_int(st, 4, give_up);
	sqlite3_bind_int64(st, 5, now + delay);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_outbox_attach(struct lc_db *db, int64_t id, const char *filename, const char *content_type,
                     const void *data, size_t len)
{
	if (!filename || !content_type || !data || len == 0 ||
	    strcmp(content_type, "text/calendar") != 0 || strlen(filename) > 100 ||
	    strspn(filename, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
	        strlen(filename) ||
	    !*filename)
		return LC_EINVAL;
	if (len > LC_LIMIT_MAIL_ATTACHMENT_BYTES)
		return LC_ELIMIT;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT count(*) FROM outbox_attachments WHERE outbox_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	long n = rc == 1 ? (long)sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (n >= LC_LIMIT_MAIL_ATTACHMENTS)
		return LC_ELIMIT;
	st = lc_db_stmt(db, "INSERT INTO outbox_attachments (outbox_id, filename, content_type,"
	                    " data) VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, filename);
	lc_db_bind_text(st, 3, content_type);
	sqlite3_bind_blob(st, 4, data, (int)len, SQLITE_TRANSIENT);
	rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* A message's attachments, copied out of the database for the send. */
struct files {
	struct lc_smtp_attachment a[LC_LIMIT_MAIL_ATTACHMENTS];
	size_t n;
};

static int files_load(struct lc_db *db, int64_t id, struct files *f)
{
	memset(f, 0, sizeof *f);
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT filename, content_type, data"
	                                  " FROM outbox_attachments WHERE outbox_id = ?1"
	                                  " ORDER BY id LIMIT ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, LC_LIMIT_MAIL_ATTACHMENTS);
	int rc;
	while ((rc = lc_db_step(db, st)) == 1 && f->n < LC_LIMIT_MAIL_ATTACHMENTS) {
		struct lc_smtp_attachment *a = &f->a[f->n++];
		size_t len = (size_t)sqlite3_column_bytes(st, 2);
		void *data = lc_xmalloc(len ? len : 1);
		if (len)
			memcpy(data, sqlite3_column_blob(st, 2), len);
		a->filename = lc_xstrdup(lc_db_text(st, 0));
		a->content_type = lc_xstrdup(lc_db_text(st, 1));
		a->data = data;
		a->len = len;
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static void files_cleanup(struct files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		lc_free((void *)f->a[i].filename);
		lc_free((void *)f->a[i].content_type);
		lc_free((void *)f->a[i].data);
	}
	f->n = 0;
}

static int deliver_one(struct lc_db *db, const struct lc_smtp_config *cfg, int64_t id,
                       struct lc_outbox_report *rep)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT to_addr, subject, body, secret, attempts, html,"
	                                  " lang FROM outbox WHERE id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	if (rc != 1) {
		lc_db_release(db, st);
		return rc < 0 ? rc : LC_ENOTFOUND;
	}
	char *to = lc_xstrdup(lc_db_text(st, 0));
	char *subject = lc_xstrdup(lc_db_text(st, 1));
	long attempts = (long)sqlite3_column_int64(st, 4) + 1;
	const char *secret = lc_db_text(st, 3);
	struct lc_buf text, html;
	lc_buf_init(&text, LC_LIMIT_MAIL_BODY_BYTES + 1024);
	lc_buf_init(&html, LC_LIMIT_MAIL_HTML_BYTES + 1024);
	put_secret(&text, lc_db_text(st, 2) ? lc_db_text(st, 2) : "", secret);
	if (lc_db_text(st, 5)) {
		put_secret(&html, lc_db_text(st, 5), secret);
	} else {
		/* Queued as plain text: its HTML part is the text, escaped. */
		char *h = lc_mail_html_from_text(lc_db_text(st, 6), subject, lc_buf_cstr(&text));
		lc_buf_puts(&html, h ? h : "");
		if (!h)
			html.err = LC_ELIMIT;
		if (h)
			sodium_memzero(h, strlen(h));
		lc_free(h);
	}
	lc_db_release(db, st);
	char why[512] = "";
	int sent;
	if (lc_buf_error(&text) || lc_buf_error(&html)) {
		snprintf(why, sizeof why, "message too large");
		sent = LC_ELIMIT;
	} else {
		struct files files;
		sent = files_load(db, id, &files);
		struct lc_smtp_message m = {.to = to,
		                            .subject = subject,
		                            .text = lc_buf_cstr(&text),
		                            .html = lc_buf_cstr(&html),
		                            .date = lc_clock_now(),
		                            .id = id,
		                            .attachments = files.a,
		                            .nattachments = files.n};
		if (sent)
			snprintf(why, sizeof why, "cannot read the attachments");
		else
			sent = lc_smtp_send(cfg, &m, why, sizeof why);
		files_cleanup(&files);
	}
	if (text.data)
		sodium_memzero(text.data, text.len);
	if (html.data)
		sodium_memzero(html.data, html.len);
	lc_buf_cleanup(&text);
	lc_buf_cleanup(&html);
	int err = lc_db_begin(db);
	if (err)
		goto out;
	if (sent == 0) {
		st = lc_db_stmt(db, "UPDATE outbox SET state = 'sent', sent_at = ?2, attempts = ?3,"
		                    " secret = NULL, claimed_at = NULL, next_attempt_at = NULL,"
		                    " last_error = NULL WHERE id = ?1");
		err = st ? 0 : LC_EDB;
		if (!err) {
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int64(st, 2, lc_clock_now());
			sqlite3_bind_int64(st, 3, attempts);
			rc = lc_db_step(db, st);
			lc_db_release(db, st);
			err = rc < 0 ? rc : 0;
		}
		rep->sent++;
	} else {
		lc_log_warn("outbox: message %lld to %s not delivered (attempt %ld): %s",
		            (long long)id, to, attempts, why);
		err = record_failure(db, id, attempts, why);
		rep->failed++;
	}
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
out:
	lc_free(to);
	lc_free(subject);
	return err;
}

int lc_outbox_deliver(struct lc_db *db, const struct lc_smtp_config *cfg, size_t max,
                      struct lc_outbox_report *rep)
{
	memset(rep, 0, sizeof *rep);
	if (lc_smtp_config_check(cfg))
		return LC_EINVAL;
	if (max == 0 || max > LC_LIMIT_OUTBOX_BATCH)
		max = LC_LIMIT_OUTBOX_BATCH;
	int64_t now = lc_clock_now();
	/* A sender that crashed mid-delivery left its claim: queue those again. */
	int err = exec_bound(db,
	                     "UPDATE outbox SET state = 'queued', claimed_at = NULL"
	                     " WHERE state = 'sending' AND claimed_at < ?1 - ?2",
	                     now, LC_LIMIT_OUTBOX_SENDING_S);
	for (size_t i = 0; !err && i < max; i++) {
		int64_t id = 0;
		err = claim(db, now, &id);
		if (err || !id)
			break;
		err = deliver_one(db, cfg, id, rep);
	}
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT count(*) FROM outbox WHERE state = 'queued'");
	if (!st)
		return LC_EDB;
	int rc = lc_db_step(db, st);
	if (rc == 1)
		rep->queued = sqlite3_column_int(st, 0);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_outbox_list(struct lc_db *db, const struct lc_actor *actor, const struct lc_outbox_query *q,
                   json_t **out)
{
	*out = NULL;
	int err = lc_authz_check(actor, LC_ACT_VIEW_OUTBOX, NULL);
	if (err)
		return err;
	const char *state = q->state && q->state[0] ? q->state : NULL;
	if (state && strcmp(state, "queued") != 0 && strcmp(state, "sending") != 0 &&
	    strcmp(state, "sent") != 0 && strcmp(state, "failed") != 0)
		return LC_EINVAL;
	struct lc_row_page pg;
	if (lc_row_page_init(&pg, q->page, q->per_page))
		return LC_EINVAL;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT count(*) FROM outbox WHERE ?1 IS NULL OR state = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, state);
	int rc = lc_db_step(db, st);
	long long total = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	st = lc_db_stmt(
	    db,
	    "SELECT id, to_addr, subject, body, state, attempts, last_error, kind, lang, " ISO(
	        "created_at") ", " ISO("next_attempt_at") ", " ISO("sent_at") " FROM outbox WHERE "
	                                                                      "?1 IS NULL OR state "
	                                                                      "= ?1"
	                                                                      " ORDER BY id DESC "
	                                                                      "LIMIT ?2 OFFSET ?3");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, state);
	sqlite3_bind_int64(st, 2, pg.per_page);
	sqlite3_bind_int64(st, 3, lc_row_page_offset(&pg));
	static const char *const keys[] = {"id",    "to",         "subject",         "body",
	                                   "state", "attempts",   "last_error",      "kind",
	                                   "lang",  "created_at", "next_attempt_at", "sent_at"};
	json_t *items = json_array();
	while ((rc = lc_db_step(db, st)) == 1) {
		json_t *o = json_object();
		for (int i = 0; i < 12; i++)
			json_object_set_new(
			    o, keys[i], i == 0 || i == 5 ? lc_row_int(st, i) : lc_row_str(st, i));
		json_array_append_new(items, o);
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = lc_row_paged(items, total, &pg);
	if (!*out)
		return LC_EINTERNAL;
	json_object_set_new(*out, "filters", json_pack("{s:o}", "state", lc_row_cstr(state)));
	return 0;
}

int lc_outbox_retry(struct lc_db *db, const struct lc_actor *actor, int64_t id)
{
	int err = lc_authz_check(actor, LC_ACT_SEND_OUTBOX, NULL);
	if (err)
		return err;
	err = lc_db_begin(db);
	if (err)
		return err;
	err = exec_bound(db,
	                 "UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = ?2"
	                 " WHERE id = ?1 AND state = 'failed'",
	                 id, lc_clock_now());
	if (!err && lc_db_changes(db) != 1)
		err = LC_ENOTFOUND;
	if (!err)
		err = lc_audit_append_id(db, actor, "outbox.retry", "outbox", id, NULL, NULL, NULL);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}
