/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * libFuzzer target for the request line and headers as our code sees them:
 * libmicrohttpd parses the raw bytes; we get the method, the URL (path and
 * query), the headers and the body, and the access handler's code
 * (lc_server_head, the body limit, lc_router_dispatch with the before hook,
 * the page cache and every route of the site) does the rest. See
 * fuzz_site.h for the site, served from behind a trusted proxy (so
 * X-Forwarded-For is read) from a loopback peer.
 *
 * An input is a request as written on the wire: "METHOD URL VERSION",
 * header lines "Name: value", an empty line, the body. Lines end with LF or
 * CRLF. In header values, $TOKEN, $SESSION and $CSRF stand for the
 * administrator's bearer token, session cookie value and CSRF token, so
 * that the fuzzer reaches what lies behind a login. Properties: no crash,
 * leak or undefined behaviour, a known status, no header with CR or LF, and
 * every API refusal a JSON error.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "fuzz_site.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_HEADERS 64

/* s with the placeholders replaced (caller frees with lc_free). */
static char *substitute(const char *s)
{
	static const char *const marks[] = {"$TOKEN", "$SESSION", "$CSRF"};
	struct lc_buf b;
	lc_buf_init(&b, 1u << 20);
	while (*s) {
		size_t i = 0;
		for (; i < 3; i++)
			if (strncmp(s, marks[i], strlen(marks[i])) == 0)
				break;
		if (i == 3) {
			lc_buf_putc(&b, *s++);
			continue;
		}
		lc_buf_puts(&b, i == 0   ? lc_fuzz_site_token(LC_FUZZ_ADMIN)
		                : i == 1 ? lc_fuzz_site_session(LC_FUZZ_ADMIN)
		                         : lc_fuzz_site_csrf(LC_FUZZ_ADMIN));
		s += strlen(marks[i]);
	}
	lc_buf_putc(&b, '\0');
	size_t len;
	return lc_buf_steal(&b, &len);
}

/* The next line of s (up to LF, without CR LF), NUL-terminated in place; NULL at the end. */
static char *next_line(char **s, char *end)
{
	if (*s >= end)
		return NULL;
	char *line = *s;
	char *nl = memchr(line, '\n', (size_t)(end - line));
	char *stop = nl ? nl : end;
	*s = nl ? nl + 1 : end;
	if (stop > line && stop[-1] == '\r')
		stop--;
	*stop = '\0';
	return line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lc_fuzz_site_init(true, true);
	/* The head ends at the first empty line; the body is the rest. */
	size_t head = size;
	const uint8_t *body = NULL;
	for (size_t i = 0; i < size; i++) {
		if (data[i] != '\n')
			continue;
		if (i + 1 < size && data[i + 1] == '\n') {
			head = i + 1;
			body = data + i + 2;
			break;
		}
		if (i + 2 < size && data[i + 1] == '\r' && data[i + 2] == '\n') {
			head = i + 1;
			body = data + i + 3;
			break;
		}
	}
	/* libmicrohttpd hands over NUL-terminated strings: a NUL never reaches us. */
	if (memchr(data, '\0', head))
		return 0;
	char *text = lc_xmalloc(head + 1);
	memcpy(text, data, head);
	text[head] = '\0';
	char *p = text, *end = text + head;
	struct lc_fuzz_request rq = {.peer = "127.0.0.1"};
	char *values[MAX_HEADERS] = {0};
	char *line = next_line(&p, end);
	char *url = line ? strchr(line, ' ') : NULL;
	if (!url || url == line)
		goto out;
	*url++ = '\0';
	char *version = strchr(url, ' ');
	if (version)
		*version = '\0';
	if (!*url)
		goto out;
	rq.method = line;
	rq.url = url;
	while ((line = next_line(&p, end)) != NULL && *line) {
		char *colon = strchr(line, ':');
		if (!colon || colon == line || rq.nheaders == MAX_HEADERS)
			goto out; /* libmicrohttpd answers 400 itself */
		*colon++ = '\0';
		while (*colon == ' ' || *colon == '\t')
			colon++;
		values[rq.nheaders] = substitute(colon);
		rq.names[rq.nheaders] = line;
		rq.values[rq.nheaders] = values[rq.nheaders];
		rq.nheaders++;
	}
	rq.body = body;
	rq.body_len = body ? size - (size_t)(body - data) : 0;
	lc_fuzz_site_serve(&rq);
out:
	for (size_t i = 0; i < MAX_HEADERS; i++)
		lc_free(values[i]);
	lc_free(text);
	return 0;
}
