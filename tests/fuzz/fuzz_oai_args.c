/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * libFuzzer target for the OAI-PMH repository's reading of a harvester's
 * request: the input is a query string (or form body) split and decoded as
 * the route does, then read by lc_oai_parse. A request it accepts must
 * hold what each verb requires and nothing else; its resumption token, when
 * one reads, must write back to the same text; and the answer's opening and
 * error, written from whatever was accepted, must not let any argument
 * open or close an element. The same bytes are also read as a token.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/limits.h"
#include "formats/oai_pmh.h"
#include "web/urlcodec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A token that reads writes back to the same text. */
static void token_roundtrip(const char *s)
{
	struct lc_oai_token t;
	if (lc_oai_token_parse(s, &t) != 0)
		return;
	char back[160];
	lc_oai_token_write(&t, back, sizeof back);
	if (strcmp(back, s) != 0)
		abort();
}

/* Count of '<' in the text: every one must be ours. */
static size_t tags(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '<';
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lc_arena *a = lc_arena_new();
	const char *text = lc_arena_strndup(a, (const char *)data, size);
	token_roundtrip(text);

	struct lc_urlcodec_pair raw[LC_LIMIT_HTTP_PARAMS];
	size_t n = 0;
	struct lc_slice s = {(const char *)data, size};
	if (lc_urlcodec_split_query(s, raw, LC_LIMIT_HTTP_PARAMS, &n) != 0)
		goto out;
	struct lc_oai_pair pairs[LC_LIMIT_HTTP_PARAMS];
	for (size_t i = 0; i < n; i++) {
		struct lc_slice name, value;
		pairs[i].name = lc_urlcodec_decode(a, raw[i].name, true, &name) ? "" : name.ptr;
		pairs[i].value =
		    lc_urlcodec_decode(a, raw[i].value, true, &value) ? NULL : value.ptr;
	}
	struct lc_oai_request r;
	int err = lc_oai_parse(pairs, n, &r);
	if (err && (!r.error || !r.message))
		abort();
	if (!err) {
		if (r.verb < 0 || r.verb >= LC_OAI_VERBS)
			abort();
		const char *tok = r.args[LC_OAI_ARG_RESUMPTION_TOKEN];
		for (int k = 0; tok && k < LC_OAI_ARGS; k++)
			if (k != LC_OAI_ARG_RESUMPTION_TOKEN && r.args[k])
				abort(); /* a token is exclusive */
		if (!tok && r.verb == LC_OAI_GET_RECORD &&
		    (!r.args[LC_OAI_ARG_IDENTIFIER] || !r.args[LC_OAI_ARG_METADATA_PREFIX]))
			abort();
		if (r.from && r.until && r.from > r.until)
			abort();
		if (tok)
			token_roundtrip(tok);
	}
	/* The answer's frame: the tags are the writer's whatever the arguments hold. */
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_HTTP_RESPONSE);
	lc_oai_open(&b, "2024-01-01T00:00:00Z", "http://127.0.0.1/oai", &r);
	lc_oai_error(&b, err ? r.error : "noRecordsMatch", err ? r.message : text);
	lc_oai_close(&b);
	if (lc_buf_error(&b) || tags(lc_buf_cstr(&b)) != 9)
		abort();
	lc_buf_cleanup(&b);
out:
	lc_arena_free(a);
	return 0;
}
