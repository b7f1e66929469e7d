/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Fuzz target for the search-key folding that every directory search query
 * goes through (lc_text_fold) and for slugs (lc_text_slug). Properties: no
 * crash; the key holds no upper-case ASCII, no leading, trailing or double
 * space; folding a key again changes nothing; a non-empty slug is a valid slug.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "domain/platform/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lc_buf a, b, s;
	lc_buf_init(&a, 1u << 20);
	lc_buf_init(&b, 1u << 20);
	lc_buf_init(&s, 1u << 20);
	lc_text_fold((const char *)data, size, &a);
	const char *k = lc_buf_cstr(&a);
	size_t n = a.len;
	if (n && (k[0] == ' ' || k[n - 1] == ' '))
		abort();
	for (size_t i = 0; i < n; i++) {
		if (k[i] >= 'A' && k[i] <= 'Z')
			abort();
		if (k[i] == ' ' && i + 1 < n && k[i + 1] == ' ')
			abort();
	}
	lc_text_fold(k, n, &b);
	if (b.len != n || memcmp(lc_buf_cstr(&b), k, n) != 0)
		abort();
	lc_text_slug((const char *)data, size, &s);
	if (s.len && s.len <= 80 && !lc_text_slug_ok(lc_buf_cstr(&s)))
		abort();
	lc_buf_cleanup(&a);
	lc_buf_cleanup(&b);
	lc_buf_cleanup(&s);
	return 0;
}
