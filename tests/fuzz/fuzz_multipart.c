/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * libFuzzer target for web/multipart.c. The input's first line (up to LF) is
 * the Content-Type header value and the rest the body, so mutations reach
 * both the parameter parser and the part parser. Every part found is checked
 * to lie inside the body and its strings touched; lc_multipart_text is run
 * for each name. The same request then goes through a router whose route
 * declares form parameters, so that the binding of a multipart form's plain
 * fields (web/router.c) runs too.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "web/http.h"
#include "web/multipart.h"
#include "web/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int handler(struct lc_req *req, struct lc_resp *resp)
{
	const char *s = lc_req_str(req, "csrf");
	lc_buf_printf(&resp->body, "%s %ld %zu", s ? s : "", lc_req_int(req, "n", 0), req->nparts);
	return 0;
}

static const struct lc_param_spec params[] = {
    {.name = "csrf", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 64},
    {.name = "n", .source = LC_PARAM_FORM, .type = LC_PARAM_INT, .min = -5, .max = 500},
    {0}};
static const struct lc_route routes[] = {
    {LC_HTTP_POST, "/upload", handler, params, 0, 0, NULL},
};

static void dispatch(struct lc_arena *a, const char *ct, const char *body, size_t len)
{
	struct lc_router *r;
	if (lc_router_new(routes, 1, NULL, &r, NULL) != 0)
		__builtin_trap();
	struct lc_req req;
	lc_req_init(&req, a);
	req.method = LC_HTTP_POST;
	req.method_name = "POST";
	req.raw_path = "/upload";
	struct lc_header h[1] = {{"Content-Type", ct}};
	req.headers = h;
	req.nheaders = 1;
	req.content_type = ct;
	req.body = body;
	req.body_len = len;
	struct lc_resp resp;
	lc_resp_init(&resp, &req);
	lc_router_dispatch(r, &req, &resp);
	lc_resp_cleanup(&resp);
	lc_router_free(r);
}

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
	dispatch(a, ct, body, len);
	lc_arena_free(a);
	return 0;
}
