/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The outbox and its SMTP delivery (outbox.h). A message is claimed in a
 * short transaction, sent with no transaction open (an SMTP exchange may
 * take seconds and must not hold the write lock), and its outcome recorded
 * in another short transaction.
 */
#include "domain/outbox.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/clock.h"
#include "domain/row.h"
#include "domain/secret.h"
#include "domain/setting.h"

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

int lc_outbox_enqueue(struct lc_db *db, const struct lc_actor *actor, const char *to,
                      const char *subject, const char *body, const char *secret, int64_t *id)
{
	char norm[LC_LIMIT_EMAIL_BYTES + 1];
	if (!to || lc_account_email_normalise(to, strlen(to), norm, sizeof norm) != 0)
		return LC_EINVAL;
	if (!subject || strlen(subject) > LC_LIMIT_MAIL_SUBJECT_BYTES ||
	    (body && strlen(body) > LC_LIMIT_MAIL_BODY_BYTES))
		return LC_ELIMIT;
	if (!subject[0] || !text_ok(subject, LC_LIMIT_MAIL_SUBJECT_BYTES, true) ||
	    !text_ok(body, LC_LIMIT_MAIL_BODY_BYTES, false) ||
	    (secret && !text_ok(secret, 256, true)))
		return LC_EINVAL;
	int err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO outbox (to_addr, subject, body, secret,"
	                                  " created_at, next_attempt_at)"
	                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	lc_db_bind_text(st, 1, norm);
	lc_db_bind_text(st, 2, subject);
	lc_db_bind_text(st, 3, body);
	lc_db_bind_text(st, 4, secret);
	sqlite3_bind_int64(st, 5, lc_clock_now());
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto out;
	int64_t mid = lc_db_last_id(db);
	json_t *after = json_pack("{s:s,s:s}", "to", norm, "subject", subject);
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

static void put_date(struct lc_buf *b, int64_t now)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	lc_buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday],
	              tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	              tm.tm_sec);
}

/* Subject per RFC 2047: encoded words of whole UTF-8 characters, folded lines. */
static void put_subject(struct lc_buf *b, const char *s)
{
	size_t n = strlen(s);
	bool ascii = true;
	for (size_t i = 0; i < n; i++)
		ascii = ascii && (unsigned char)s[i] < 0x80;
	if (ascii && n <= 900) {
		lc_buf_printf(b, "Subject: %s\r\n", s);
		return;
	}
	lc_buf_puts(b, "Subject:");
	size_t i = 0;
	while (i < n) {
		/* 45 bytes of input become 60 base64 characters: each word fits 75. */
		size_t j = i, take = 0;
		while (j < n) {
			size_t k = j + 1;
			while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80)
				k++;
			if (k - i > 45)
				break;
			j = k;
		}
		take = j - i;
		char enc[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(enc, sizeof enc, (const unsigned char *)s + i, take,
		                  sodium_base64_VARIANT_ORIGINAL);
		lc_buf_printf(b, "%s=?UTF-8?B?%s?=", i ? "\r\n " : " ", enc);
		i = j;
	}
	lc_buf_puts(b, "\r\n");
}

/* Quoted-printable (RFC 2045) with CRLF line ends and soft breaks before 76 columns. */
static void put_qp(struct lc_buf *b, const char *s)
{
	size_t col = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if (c == '\n') {
			lc_buf_puts(b, "\r\n");
			col = 0;
			continue;
		}
		bool at_end = p[1] == '\n' || p[1] == '\0';
		bool lit =
		    (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_end);
		/* A line starting with '.' is escaped so no SMTP server mistakes it for the end. */
		if (c == '.' && col == 0)
			lit = false;
		size_t w = lit ? 1 : 3;
		if (col + w > 75) {
			lc_buf_puts(b, "=\r\n");
			col = 0;
		}
		if (lit)
			lc_buf_putc(b, (char)c);
		else
			lc_buf_printf(b, "=%02X", c);
		col += w;
	}
	lc_buf_puts(b, "\r\n");
}

static const char *domain_of(const char *addr)
{
	const char *at = strrchr(addr, '@');
	return at && at[1] ? at + 1 : "localhost";
}

static void build(struct lc_buf *b, const char *from, const char *to, const char *subject,
                  const char *body, const char *secret, int64_t id)
{
	put_date(b, lc_clock_now());
	uint8_t rnd[12];
	randombytes_buf(rnd, sizeof rnd);
	char hex[25];
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	lc_buf_printf(b, "Message-ID: <%lld.%s@%s>\r\n", (long long)id, hex, domain_of(from));
	lc_buf_printf(b, "From: <%s>\r\nTo: <%s>\r\n", from, to);
	put_subject(b, subject);
	lc_buf_puts(b,
	            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	            "Content-Transfer-Encoding: quoted-printable\r\nAuto-Submitted: auto-generated"
	            "\r\n\r\n");
	/* The secret goes where the placeholder is; without one, say the link is gone. */
	struct lc_buf text;
	lc_buf_init(&text, LC_LIMIT_MAIL_BODY_BYTES + 1024);
	const char *p = body, *hit;
	size_t plen = strlen(LC_OUTBOX_SECRET);
	while ((hit = strstr(p, LC_OUTBOX_SECRET)) != NULL) {
		lc_buf_append(&text, p, (size_t)(hit - p));
		lc_buf_puts(&text, secret ? secret : "(expired: ask for a new link)");
		p = hit + plen;
	}
	lc_buf_puts(&text, p);
	put_qp(b, lc_buf_cstr(&text));
	sodium_memzero(text.data, text.len);
	lc_buf_cleanup(&text);
}

/* ---- SMTP ---------------------------------------------------------------- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct upload {
	const char *p;
	size_t left;
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nmemb;
	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* One SMTP transaction. 0, or LC_EIO with err (size n) saying why. */
static int smtp_send(const struct lc_smtp_config *cfg, const char *to, const struct lc_buf *msg,
                     char *errmsg, size_t n)
{
	pthread_once(&curl_once, curl_init_once);
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(errmsg, n, "libcurl could not start");
		return LC_EIO;
	}
	char from[LC_LIMIT_EMAIL_BYTES + 3], rcpt[LC_LIMIT_EMAIL_BYTES + 3];
	snprintf(from, sizeof from, "<%s>", cfg->from);
	snprintf(rcpt, sizeof rcpt, "<%s>", to);
	struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
	struct upload u = {msg->data, msg->len};
	char ebuf[CURL_ERROR_SIZE] = "";
	long timeout = cfg->timeout_s > 0 ? cfg->timeout_s : LC_LIMIT_SMTP_TIMEOUT_S;
	curl_easy_setopt(c, CURLOPT_URL, cfg->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)LC_LIMIT_SMTP_CONNECT_S);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	if (cfg->user && cfg->user[0]) {
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->password ? cfg->password : "");
		/* Never send a password in clear: plain smtp:// must upgrade with STARTTLS. */
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	}
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		snprintf(errmsg, n, "%s%s%s", curl_easy_strerror(rc), ebuf[0] ? ": " : "", ebuf);
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(c);
	return rc == CURLE_OK ? 0 : LC_EIO;
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

static int deliver_one(struct lc_db *db, const struct lc_smtp_config *cfg, int64_t id,
                       struct lc_outbox_report *rep)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT to_addr, subject, body, secret, attempts"
	                                  " FROM outbox WHERE id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	if (rc != 1) {
		lc_db_release(db, st);
		return rc < 0 ? rc : LC_ENOTFOUND;
	}
	char *to = lc_xstrdup(lc_db_text(st, 0));
	struct lc_buf msg;
	lc_buf_init(&msg, 2 * LC_LIMIT_MAIL_BODY_BYTES + 16384);
	long attempts = (long)sqlite3_column_int64(st, 4) + 1;
	build(&msg, cfg->from, to, lc_db_text(st, 1), lc_db_text(st, 2), lc_db_text(st, 3), id);
	lc_db_release(db, st);
	char why[512] = "";
	int sent = lc_buf_error(&msg) ? (snprintf(why, sizeof why, "message too large"), LC_ELIMIT)
	                              : smtp_send(cfg, to, &msg, why, sizeof why);
	sodium_memzero(msg.data, msg.len);
	lc_buf_cleanup(&msg);
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
	return err;
}

int lc_outbox_deliver(struct lc_db *db, const struct lc_smtp_config *cfg, size_t max,
                      struct lc_outbox_report *rep)
{
	memset(rep, 0, sizeof *rep);
	if (!cfg || !cfg->url || !cfg->from ||
	    (strncmp(cfg->url, "smtp://", 7) != 0 && strncmp(cfg->url, "smtps://", 8) != 0))
		return LC_EINVAL;
	char from[LC_LIMIT_EMAIL_BYTES + 1];
	if (lc_account_email_normalise(cfg->from, strlen(cfg->from), from, sizeof from) != 0)
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
	long page = q->page ? q->page : 1;
	long per = q->per_page ? q->per_page : LC_DEFAULT_PER_PAGE;
	if (page < 1 || page > 1000000 || per < 1 || per > LC_LIMIT_PER_PAGE)
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
	    "SELECT id, to_addr, subject, body, state, attempts, last_error, " ISO(
	        "created_at") ", " ISO("next_attempt_at") ", " ISO("sent_at") " FROM outbox WHERE "
	                                                                      "?1 IS NULL OR state "
	                                                                      "= ?1"
	                                                                      " ORDER BY id DESC "
	                                                                      "LIMIT ?2 OFFSET ?3");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, state);
	sqlite3_bind_int64(st, 2, per);
	sqlite3_bind_int64(st, 3, (page - 1) * per);
	static const char *const keys[] = {
	    "id",         "to",         "subject",         "body",   "state", "attempts",
	    "last_error", "created_at", "next_attempt_at", "sent_at"};
	json_t *items = json_array();
	while ((rc = lc_db_step(db, st)) == 1) {
		json_t *o = json_object();
		for (int i = 0; i < 10; i++)
			json_object_set_new(
			    o, keys[i], i == 0 || i == 5 ? lc_row_int(st, i) : lc_row_str(st, i));
		json_array_append_new(items, o);
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o,s:I,s:I,s:I,s:I,s:{s:o}}", "items", items, "total", total, "page",
	                 (json_int_t)page, "per_page", (json_int_t)per, "pages",
	                 (json_int_t)((total + per - 1) / per), "filters", "state",
	                 lc_row_cstr(state));
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
