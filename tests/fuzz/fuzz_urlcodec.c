/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * libFuzzer target for outside input the web layer decodes before any
 * handler: percent-decoding, query and form splitting, Cookie and
 * Accept-Language headers, and a whole dispatch through the router (path
 * decoding, parameter validation, language negotiation). The input is used
 * as each of these; for the dispatch, "path?query" with the same bytes as
 * the Cookie and Accept-Language headers and as a form body.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/limits.h"
#include "web/http.h"
#include "web/router.h"
#include "web/urlcodec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int handler(struct lc_req *req, struct lc_resp *resp)
{
	lc_buf_printf(&resp->body, "%s %ld %d", lc_req_str(req, "s") ? lc_req_str(req, "s") : "",
	              lc_req_int(req, "n", 0), lc_req_bool(req, "b"));
	return 0;
}

static const char *const choices[] = {"a", "b", NULL};
static const struct lc_param_spec params[] = {
    {.name = "s", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 50},
    {.name = "n", .source = LC_PARAM_FORM, .type = LC_PARAM_INT, .min = -5, .max = 500},
    {.name = "e", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = choices, .dflt = "a"},
    {.name = "b", .source = LC_PARAM_QUERY, .type = LC_PARAM_BOOL, .multi = true},
    {0}};
static const struct lc_route routes[] = {
    {LC_HTTP_GET | LC_HTTP_POST, "/x/{id}", handler, params, 0, 0, NULL},
    {LC_HTTP_GET, "/x/new", handler, NULL, 0, 0, NULL},
    {LC_HTTP_GET, "/f/{rest*}", handler, NULL, 0, 0, NULL},
    {LC_HTTP_GET, "/", handler, NULL, 0, 0, NULL},
    {LC_HTTP_GET, "/api/v1/{id}", handler, NULL, 0, 0, NULL},
};

static void dispatch(struct lc_arena *a, const uint8_t *data, size_t size, const char *method)
{
	struct lc_router *r;
	if (lc_router_new(routes, sizeof routes / sizeof routes[0], NULL, &r, NULL) != 0)
		__builtin_trap();
	struct lc_req req;
	lc_req_init(&req, a);
	req.method = lc_http_method_parse(method);
	req.method_name = method;
	const char *all = lc_arena_strndup(a, (const char *)data, size);
	const char *q = memchr(data, '?', size);
	size_t plen = q ? (size_t)(q - (const char *)data) : size;
	req.raw_path = lc_arena_strndup(a, (const char *)data, plen);
	if (q) {
		size_t max = LC_LIMIT_HTTP_PARAMS + 1;
		req.query = lc_arena_alloc(a, max * sizeof *req.query);
		lc_urlcodec_split_query(lc_slice_make(q + 1, size - plen - 1), req.query, max,
		                        &req.nquery);
	}
	struct lc_header h[3] = {{"Cookie", all},
	                         {"Accept-Language", all},
	                         {"Content-Type", "application/x-www-form-urlencoded"}};
	req.headers = h;
	req.nheaders = 3;
	req.content_type = h[2].value;
	req.body = (const char *)data;
	req.body_len = size;
	struct lc_resp resp;
	lc_resp_init(&resp, &req);
	lc_router_dispatch(r, &req, &resp);
	lc_resp_cleanup(&resp);
	lc_router_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > LC_LIMIT_HTTP_URL * 2)
		return 0;
	struct lc_slice s = lc_slice_make((const char *)data, size);
	struct lc_arena *a = lc_arena_new();
	struct lc_slice d;
	if (lc_urlcodec_decode(a, s, true, &d) == 0 && d.ptr[d.len] != '\0')
		__builtin_trap();
	lc_urlcodec_decode(a, s, false, &d);

	struct lc_urlcodec_pair pairs[LC_LIMIT_HTTP_PARAMS];
	size_t n;
	lc_urlcodec_split_query(s, pairs, LC_LIMIT_HTTP_PARAMS, &n);
	for (size_t i = 0; i < n; i++) {
		lc_urlcodec_decode(a, pairs[i].name, true, &d);
		lc_urlcodec_decode(a, pairs[i].value, true, &d);
	}
	lc_urlcodec_split_cookies(s, pairs, LC_LIMIT_HTTP_PARAMS, &n);
	struct lc_urlcodec_lang langs[16];
	lc_urlcodec_parse_accept_language(s, langs, 16, &n);
	for (size_t i = 0; i < n; i++)
		if (langs[i].q < 1 || langs[i].q > 1000 || (i && langs[i].q > langs[i - 1].q))
			__builtin_trap();
	const char *sup[] = {"en", "fr", "pt-br"};
	lc_urlcodec_pick_language(s, sup, 3);

	dispatch(a, data, size, "GET");
	dispatch(a, data, size, "POST");
	lc_arena_free(a);
	return 0;
}
