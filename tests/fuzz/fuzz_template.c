/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * libFuzzer target for web/template.c: the input is a template set -- the
 * main template, then optionally "\n@@p\n" and a partial named "p", then
 * "\n@@q\n" and a partial "q" -- compiled and, when it compiles, rendered
 * against a fixed context with every kind of JSON value.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "text/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char context[] =
    "{\"s\":\"<b>&'\\\"x\",\"e\":\"\",\"n\":42,\"r\":0.71,\"t\":true,\"f\":false,\"z\":null,"
    "\"a\":[1,\"two\",{\"s\":\"inner\",\"a\":[]},[3]],\"o\":{\"s\":\"os\",\"o\":{\"n\":-1}},"
    "\"l\":[{\"n\":1},{\"n\":2},{\"n\":3}]}";

static const char *cut(const char *p, const char *end, const char *sep, const char **next)
{
	size_t k = strlen(sep);
	for (const char *c = p; c + k <= end; c++)
		if (memcmp(c, sep, k) == 0) {
			*next = c + k;
			return c;
		}
	*next = NULL;
	return end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *ctx, *globals;
	if (!ctx) {
		ctx = json_loads(context, 0, NULL);
		globals = json_pack("{s:{s:s},s:s}", "t", "hello", "Bonjour", "lang", "fr");
	}
	const char *p = (const char *)data, *end = p + size, *next;
	struct lc_tpl_source src[3];
	size_t n = 0;
	const char *names[] = {"main", "p", "q"};
	while (p && n < 3) {
		const char *e = cut(p, end, n == 0 ? "\n@@p\n" : "\n@@q\n", &next);
		src[n].name = names[n];
		src[n].text = p;
		src[n].len = (size_t)(e - p);
		n++;
		p = next;
	}
	struct lc_tpl_set *set;
	struct lc_diag d;
	lc_diag_init(&d);
	if (lc_tpl_set_new(src, n, &set, &d) == 0) {
		struct lc_buf out;
		lc_buf_init(&out, 1u << 20);
		for (size_t i = 0; i < n; i++)
			lc_tpl_render(set, names[i], ctx, globals, &out, &d);
		lc_buf_cleanup(&out);
		lc_tpl_set_free(set);
	}
	lc_diag_cleanup(&d);
	return 0;
}
