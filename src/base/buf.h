/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A growable byte buffer with a maximum size and a sticky error. After one
 * append fails (the maximum would be exceeded), later appends do nothing and
 * the caller checks lc_buf_error() once at the end. The contents are always
 * NUL-terminated (the terminator is not counted in len).
 *
 * Escaping is a kind of append: HTML, JSON string, CSV field and URL.
 */
#ifndef LC_BUF_H
#define LC_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct lc_buf {
	char *data; /* owned; NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
	size_t max; /* appends that would make len exceed max fail */
	int err;    /* 0, or LC_ELIMIT after a failed append */
};

/* Prepares an empty buffer that may grow to max bytes. */
void lc_buf_init(struct lc_buf *b, size_t max);
/* Frees the contents; the buffer may be initialised again. NULL allowed. */
void lc_buf_cleanup(struct lc_buf *b);
/* Empties the buffer and clears its error; keeps the allocation. */
void lc_buf_reset(struct lc_buf *b);
/* 0 or LC_ELIMIT when an append failed since init or reset. */
int lc_buf_error(const struct lc_buf *b);
/* The contents as a C string ("" when empty); borrowed until the next append. */
const char *lc_buf_cstr(const struct lc_buf *b);
/* Hands the contents to the caller (free with lc_free) and empties the buffer. */
char *lc_buf_steal(struct lc_buf *b, size_t *len);

void lc_buf_append(struct lc_buf *b, const void *p, size_t n);
void lc_buf_puts(struct lc_buf *b, const char *s);
void lc_buf_putc(struct lc_buf *b, char c);
void lc_buf_printf(struct lc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lc_buf_vprintf(struct lc_buf *b, const char *fmt, va_list ap);
/* Appends a double with 17 significant digits (exact round trip); NaN as "". */
void lc_buf_put_double(struct lc_buf *b, double v);

/* Escapes & < > " ' for HTML text and attribute values. */
void lc_buf_append_html(struct lc_buf *b, const char *s, size_t n);
/* Appends s as a JSON string body (without the quotes), escaping as RFC 8259 asks. */
void lc_buf_append_json(struct lc_buf *b, const char *s, size_t n);
/*
 * Appends s as one CSV field (RFC 4180): quoted when it holds a comma, quote,
 * CR or LF. A field starting with = + - @ TAB or CR is prefixed with a single
 * quote so that spreadsheets do not run it as a formula.
 */
void lc_buf_append_csv(struct lc_buf *b, const char *s, size_t n);
/* Percent-encodes everything but unreserved characters (RFC 3986). */
void lc_buf_append_url(struct lc_buf *b, const char *s, size_t n);

#endif
