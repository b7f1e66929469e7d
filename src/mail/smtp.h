/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Sending one e-mail by SMTP with libcurl: the transport under the outbox
 * (domain/platform/outbox.h keeps the queue, the retries and the table). A message
 * goes out as a proper RFC 5322 message built with libcurl's MIME API: Date,
 * Message-ID, From, To, Subject (RFC 2047 encoded words when not ASCII),
 * Auto-Submitted, MIME-Version, and a multipart/alternative of a text/plain
 * and a text/html part, both UTF-8 in quoted-printable, inside a
 * multipart/mixed that also carries the message's attachments (base64).
 */
#ifndef LC_SMTP_H
#define LC_SMTP_H

#include <stddef.h>
#include <stdint.h>

/* SMTP settings. Strings are borrowed for the call. */
struct lc_smtp_config {
	const char *url;      /* "smtp://host:port" or "smtps://..." (required) */
	const char *from;     /* envelope and From: address (required) */
	const char *user;     /* NULL: no authentication */
	const char *password; /* with user */
	long timeout_s;       /* whole transaction; 0 = LC_LIMIT_SMTP_TIMEOUT_S */
};

/* A file sent with a message (base64, after the alternative parts). Borrowed for the call. */
struct lc_smtp_attachment {
	const char *filename;     /* [A-Za-z0-9._-]+ */
	const char *content_type; /* "text/calendar" */
	const void *data;
	size_t len;
};

/* One message. Strings are borrowed for the call and never copied by libcurl. */
struct lc_smtp_message {
	const char *to;      /* a normalised address (mail/address.h) */
	const char *subject; /* UTF-8, one line */
	const char *text;    /* UTF-8 text, LF line ends */
	const char *html;    /* UTF-8 HTML document */
	int64_t date;        /* Unix time for the Date header */
	int64_t id;          /* goes into the Message-ID (with random bytes) */
	const struct lc_smtp_attachment *attachments; /* NULL or nattachments files */
	size_t nattachments;                          /* at most LC_LIMIT_MAIL_ATTACHMENTS */
};

/* 0 when cfg is usable: an smtp:// or smtps:// URL and a valid From address; else LC_EINVAL. */
int lc_smtp_config_check(const struct lc_smtp_config *cfg);

/*
 * Sends m in one SMTP transaction. With a user, the password is never sent
 * in clear (plain smtp:// must upgrade with STARTTLS). 0; LC_EINVAL (bad cfg
 * or message); LC_EIO with errmsg (size n) saying why the server or the
 * network refused.
 */
int lc_smtp_send(const struct lc_smtp_config *cfg, const struct lc_smtp_message *m, char *errmsg,
                 size_t n);

#endif
