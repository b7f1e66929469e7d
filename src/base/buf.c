/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The bounded buffer of buf.h and its escaping appends. */
#include "base/buf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

void lc_buf_init(struct lc_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->err = 0;
}

void lc_buf_cleanup(struct lc_buf *b)
{
	if (!b)
		return;
	lc_free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->err = 0;
}

void lc_buf_reset(struct lc_buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->data)
		b->data[0] = '\0';
}

int lc_buf_error(const struct lc_buf *b)
{
	return b->err;
}

const char *lc_buf_cstr(const struct lc_buf *b)
{
	return b->data ? b->data : "";
}

char *lc_buf_steal(struct lc_buf *b, size_t *len)
{
	char *p = b->data ? b->data : lc_xstrdup("");
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

/* Makes room for n more bytes plus the terminator; false when over max. */
static int reserve(struct lc_buf *b, size_t n)
{
	if (b->err)
		return 0;
	if (n > b->max || b->len > b->max - n) {
		b->err = LC_ELIMIT;
		return 0;
	}
	size_t need = b->len + n + 1;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < need)
			cap *= 2;
		b->data = lc_xrealloc(b->data, cap);
		b->cap = cap;
	}
	return 1;
}

void lc_buf_append(struct lc_buf *b, const void *p, size_t n)
{
	if (!reserve(b, n))
		return;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void lc_buf_puts(struct lc_buf *b, const char *s)
{
	lc_buf_append(b, s, strlen(s));
}

void lc_buf_putc(struct lc_buf *b, char c)
{
	lc_buf_append(b, &c, 1);
}

void lc_buf_vprintf(struct lc_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || !reserve(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void lc_buf_printf(struct lc_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lc_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void lc_buf_put_double(struct lc_buf *b, double v)
{
	if (isnan(v))
		return;
	lc_buf_printf(b, "%.17g", v);
}

void lc_buf_append_html(struct lc_buf *b, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		lc_buf_append(b, s + start, i - start);
		lc_buf_puts(b, rep);
		start = i + 1;
	}
	lc_buf_append(b, s + start, n - start);
}

void lc_buf_append_json(struct lc_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		size_t elen = 2;
		esc[0] = '\\';
		if (c == '"' || c == '\\')
			esc[1] = (char)c;
		else if (c == '\n')
			esc[1] = 'n';
		else if (c == '\r')
			esc[1] = 'r';
		else if (c == '\t')
			esc[1] = 't';
		else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			/* < > & escaped too, so JSON is safe inside <script>. */
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		} else
			continue;
		lc_buf_append(b, s + start, i - start);
		lc_buf_append(b, esc, elen);
		start = i + 1;
	}
	lc_buf_append(b, s + start, n - start);
}

void lc_buf_append_csv(struct lc_buf *b, const char *s, size_t n)
{
	int formula = n > 0 && strchr("=+-@\t\r", s[0]) != NULL;
	int quote = formula;
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!quote) {
		lc_buf_append(b, s, n);
		return;
	}
	lc_buf_putc(b, '"');
	if (formula)
		lc_buf_putc(b, '\'');
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '"')
			continue;
		lc_buf_append(b, s + start, i + 1 - start);
		lc_buf_putc(b, '"');
		start = i + 1;
	}
	lc_buf_append(b, s + start, n - start);
	lc_buf_putc(b, '"');
}

void lc_buf_append_url(struct lc_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			lc_buf_putc(b, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			lc_buf_append(b, e, 3);
		}
	}
}
