/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * libFuzzer target for web/multipart.c. The input's first line (up to LF) is
 * the Content-Type header value and the rest the body, so mutations reach
 * both the parameter parser and the part parser. Every part found is checked
 * to lie inside the body and its strings touched; lc_multipart_text is run
 * for each name.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "web/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	if (!nl)
		return 0;
	struct lc_arena *a = lc_arena_new();
	const char *ct = lc_arena_strndup(a, s, (size_t)(nl - s));
	const char *body = nl + 1;
	size_t len = size - (size_t)(nl - s) - 1;
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_multipart_part *parts;
	size_t n;
	int rc = lc_multipart_parse(ct, body, len, a, &parts, &n, &d);
	if (rc != 0 && (parts || n || d.count != 1))
		__builtin_trap();
	for (size_t i = 0; i < n; i++) {
		const struct lc_multipart_part *p = &parts[i];
		if (p->data < body || p->data + p->len > body + len || !p->name[0])
			__builtin_trap();
		if (p->filename && strlen(p->filename) > 255)
			__builtin_trap();
		if (p->content_type)
			(void)strlen(p->content_type);
		(void)lc_multipart_text(parts, n, p->name, a);
		if (lc_multipart_find(parts, n, p->name) > p)
			__builtin_trap();
	}
	lc_diag_cleanup(&d);
	lc_arena_free(a);
	return 0;
}
