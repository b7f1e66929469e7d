/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * SMTP with libcurl (smtp.h). The parts are handed to libcurl through read
 * callbacks over the caller's buffers, so that a message holding a secret
 * (a link's token) is copied nowhere the caller cannot erase: only the CRLF
 * copies made here, which are zeroed before they are freed.
 */
#include "mail/smtp.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "mail/address.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

int lc_smtp_config_check(const struct lc_smtp_config *cfg)
{
	if (!cfg || !cfg->url || !cfg->from ||
	    (strncmp(cfg->url, "smtp://", 7) != 0 && strncmp(cfg->url, "smtps://", 8) != 0))
		return LC_EINVAL;
	char from[LC_LIMIT_EMAIL_BYTES + 1];
	return lc_address_normalise(cfg->from, strlen(cfg->from), from, sizeof from) ? LC_EINVAL
	                                                                             : 0;
}

static void put_date(struct lc_buf *b, int64_t now)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	lc_buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
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
		lc_buf_printf(b, "Subject: %s", s);
		return;
	}
	lc_buf_puts(b, "Subject:");
	size_t i = 0;
	while (i < n) {
		/* 45 bytes of input become 60 base64 characters: each word fits 75. */
		size_t j = i;
		while (j < n) {
			size_t k = j + 1;
			while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80)
				k++;
			if (k - i > 45)
				break;
			j = k;
		}
		char enc[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(enc, sizeof enc, (const unsigned char *)s + i, j - i,
		                  sodium_base64_VARIANT_ORIGINAL);
		lc_buf_printf(b, "%s=?UTF-8?B?%s?=", i ? "\r\n " : " ", enc);
		i = j;
	}
}

static const char *domain_of(const char *addr)
{
	const char *at = strrchr(addr, '@');
	return at && at[1] ? at + 1 : "localhost";
}

/* The text with CRLF line ends (quoted-printable keeps a lone LF as "=0A"). */
static void put_crlf(struct lc_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			lc_buf_putc(b, '\r');
		if (*s != '\r')
			lc_buf_putc(b, *s);
	}
}

struct source {
	const char *base;
	size_t len, pos;
};

static size_t source_read(char *dst, size_t size, size_t nitems, void *arg)
{
	struct source *s = arg;
	size_t n = size * nitems;
	if (n > s->len - s->pos)
		n = s->len - s->pos;
	memcpy(dst, s->base + s->pos, n);
	s->pos += n;
	return n;
}

static int source_seek(void *arg, curl_off_t offset, int origin)
{
	struct source *s = arg;
	if (origin != SEEK_SET || offset < 0 || (size_t)offset > s->len)
		return CURL_SEEKFUNC_CANTSEEK;
	s->pos = (size_t)offset;
	return CURL_SEEKFUNC_OK;
}

static CURLcode add_part(curl_mime *alt, const char *type, struct source *src)
{
	curl_mimepart *p = curl_mime_addpart(alt);
	if (!p)
		return CURLE_OUT_OF_MEMORY;
	CURLcode rc =
	    curl_mime_data_cb(p, (curl_off_t)src->len, source_read, source_seek, NULL, src);
	if (rc == CURLE_OK)
		rc = curl_mime_type(p, type);
	if (rc == CURLE_OK)
		rc = curl_mime_encoder(p, "quoted-printable");
	return rc;
}

/* Attachments within the limits, with plain file names and a known type. */
static bool attachments_ok(const struct lc_smtp_message *m)
{
	if (m->nattachments > LC_LIMIT_MAIL_ATTACHMENTS || (m->nattachments && !m->attachments))
		return false;
	for (size_t i = 0; i < m->nattachments; i++) {
		const struct lc_smtp_attachment *a = &m->attachments[i];
		if (!a->filename || !*a->filename || strlen(a->filename) > 100 || !a->data ||
		    a->len == 0 || a->len > LC_LIMIT_MAIL_ATTACHMENT_BYTES || !a->content_type ||
		    strcmp(a->content_type, "text/calendar") != 0)
			return false;
		for (const char *c = a->filename; *c; c++)
			if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
			      (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-'))
				return false;
	}
	return true;
}

int lc_smtp_send(const struct lc_smtp_config *cfg, const struct lc_smtp_message *m, char *errmsg,
                 size_t n)
{
	if (errmsg && n)
		errmsg[0] = '\0';
	char to[LC_LIMIT_EMAIL_BYTES + 1];
	if (lc_smtp_config_check(cfg) || !m || !m->to || !m->subject || !m->text || !m->html ||
	    lc_address_normalise(m->to, strlen(m->to), to, sizeof to) ||
	    strpbrk(m->subject, "\r\n") || !attachments_ok(m)) {
		snprintf(errmsg, n, "bad configuration or message");
		return LC_EINVAL;
	}
	pthread_once(&curl_once, curl_init_once);
	struct lc_buf text, html, hdr;
	lc_buf_init(&text, 2 * LC_LIMIT_MAIL_BODY_BYTES);
	lc_buf_init(&html, 2 * LC_LIMIT_MAIL_HTML_BYTES);
	lc_buf_init(&hdr, 4096);
	put_crlf(&text, m->text);
	put_crlf(&html, m->html);
	struct source st = {lc_buf_cstr(&text), text.len, 0};
	struct source sh = {lc_buf_cstr(&html), html.len, 0};
	struct curl_slist *headers = NULL, *rcpts = NULL;
	curl_mime *mime = NULL;
	int err = LC_EIO;
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(errmsg, n, "libcurl could not start");
		goto out;
	}
	if (lc_buf_error(&text) || lc_buf_error(&html)) {
		snprintf(errmsg, n, "message too large");
		err = LC_ELIMIT;
		goto out;
	}
	/* The headers, each its own list entry (a folded subject keeps its CRLF-space folds). */
	uint8_t rnd[12];
	randombytes_buf(rnd, sizeof rnd);
	char hex[25];
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	const char *lines[6];
	size_t starts[6], k = 0;
	starts[k++] = hdr.len;
	put_date(&hdr, m->date);
	lc_buf_putc(&hdr, '\0');
	starts[k++] = hdr.len;
	lc_buf_printf(&hdr, "Message-ID: <%lld.%s@%s>", (long long)m->id, hex,
	              domain_of(cfg->from));
	lc_buf_putc(&hdr, '\0');
	starts[k++] = hdr.len;
	lc_buf_printf(&hdr, "From: <%s>", cfg->from);
	lc_buf_putc(&hdr, '\0');
	starts[k++] = hdr.len;
	lc_buf_printf(&hdr, "To: <%s>", to);
	lc_buf_putc(&hdr, '\0');
	starts[k++] = hdr.len;
	put_subject(&hdr, m->subject);
	lc_buf_putc(&hdr, '\0');
	starts[k++] = hdr.len;
	lc_buf_puts(&hdr, "Auto-Submitted: auto-generated");
	if (lc_buf_error(&hdr)) {
		snprintf(errmsg, n, "headers too large");
		err = LC_ELIMIT;
		goto out;
	}
	for (size_t i = 0; i < k; i++) {
		lines[i] = hdr.data + starts[i];
		struct curl_slist *h = curl_slist_append(headers, lines[i]);
		if (!h)
			goto oom;
		headers = h;
	}
	/* multipart/alternative: the plain text first, the richest last (RFC 2046). */
	mime = curl_mime_init(c);
	curl_mime *alt = curl_mime_init(c);
	if (!mime || !alt) {
		curl_mime_free(alt);
		goto oom;
	}
	if (add_part(alt, "text/plain; charset=UTF-8", &st) != CURLE_OK ||
	    add_part(alt, "text/html; charset=UTF-8", &sh) != CURLE_OK) {
		curl_mime_free(alt);
		goto oom;
	}
	curl_mimepart *top = curl_mime_addpart(mime);
	if (!top || curl_mime_subparts(top, alt) != CURLE_OK) {
		curl_mime_free(alt);
		goto oom;
	}
	if (curl_mime_type(top, "multipart/alternative") != CURLE_OK)
		goto oom;
	for (size_t i = 0; i < m->nattachments; i++) {
		const struct lc_smtp_attachment *a = &m->attachments[i];
		curl_mimepart *p = curl_mime_addpart(mime);
		/* curl_mime_data copies the bytes; the name and type were checked above. */
		if (!p || curl_mime_data(p, a->data, a->len) != CURLE_OK ||
		    curl_mime_type(p, a->content_type) != CURLE_OK ||
		    curl_mime_filename(p, a->filename) != CURLE_OK ||
		    curl_mime_encoder(p, "base64") != CURLE_OK)
			goto oom;
	}
	char from[LC_LIMIT_EMAIL_BYTES + 3], rcpt[LC_LIMIT_EMAIL_BYTES + 3];
	snprintf(from, sizeof from, "<%s>", cfg->from);
	snprintf(rcpt, sizeof rcpt, "<%s>", to);
	rcpts = curl_slist_append(NULL, rcpt);
	if (!rcpts)
		goto oom;
	char ebuf[CURL_ERROR_SIZE] = "";
	long timeout = cfg->timeout_s > 0 ? cfg->timeout_s : LC_LIMIT_SMTP_TIMEOUT_S;
	curl_easy_setopt(c, CURLOPT_URL, cfg->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
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
	err = rc == CURLE_OK ? 0 : LC_EIO;
	goto out;
oom:
	snprintf(errmsg, n, "libcurl could not build the message");
	err = LC_EIO;
out:
	curl_slist_free_all(rcpts);
	curl_slist_free_all(headers);
	curl_mime_free(mime);
	curl_easy_cleanup(c);
	if (text.data)
		sodium_memzero(text.data, text.len);
	if (html.data)
		sodium_memzero(html.data, html.len);
	lc_buf_cleanup(&text);
	lc_buf_cleanup(&html);
	lc_buf_cleanup(&hdr);
	return err;
}
