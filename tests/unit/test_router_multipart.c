/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The router and multipart/form-data bodies (web/router.c with
 * web/multipart.c): plain fields bind declared form parameters as a
 * urlencoded form's would (no percent-decoding), file parts stay in
 * req->parts and never bind, bad text or a malformed body answers 400
 * before the handler runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/arena.h"
#include "web/http.h"
#include "web/multipart.h"
#include "web/router.h"

#define CT "multipart/form-data; boundary=XyZ"

static int handler(struct lc_req *req, struct lc_resp *resp)
{
	const struct lc_multipart_part *f = lc_multipart_find(req->parts, req->nparts, "file");
	lc_buf_printf(&resp->body, "csrf=%s n=%ld file=%s:%zu parts=%zu",
	              lc_req_str(req, "csrf") ? lc_req_str(req, "csrf") : "-",
	              lc_req_int(req, "n", -1), f && f->filename ? f->filename : "-",
	              f ? f->len : 0, req->nparts);
	return 0;
}

static const struct lc_param_spec params[] = {
    {.name = "csrf", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 8},
    {.name = "n", .source = LC_PARAM_FORM, .type = LC_PARAM_INT, .min = 0, .max = 9},
    {.name = "file", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 4},
    {0}};
static const struct lc_route routes[] = {
    {LC_HTTP_POST, "/upload", handler, params, 0, 0, NULL},
};

/* Dispatches body with content type ct; returns the status, the answer in out. */
static int post(const char *ct, const char *body, size_t len, char *out, size_t out_size)
{
	struct lc_router *r;
	assert_int_equal(lc_router_new(routes, 1, NULL, &r, NULL), 0);
	struct lc_arena *a = lc_arena_new();
	struct lc_req req;
	lc_req_init(&req, a);
	req.method = LC_HTTP_POST;
	req.method_name = "POST";
	req.raw_path = "/upload";
	req.content_type = ct;
	req.body = body;
	req.body_len = len;
	struct lc_resp resp;
	lc_resp_init(&resp, &req);
	int status = lc_router_dispatch(r, &req, &resp);
	snprintf(out, out_size, "%s", lc_buf_cstr(&resp.body));
	lc_resp_cleanup(&resp);
	lc_arena_free(a);
	lc_router_free(r);
	return status;
}

static void test_binding(void **state)
{
	(void)state;
	char out[512];
	static const char body[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\na+b%41\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n7\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n"
	    "Content-Type: text/csv\r\n\r\nlonger than the max_len of the field\r\n--XyZ--\r\n";
	assert_int_equal(post(CT, body, sizeof body - 1, out, sizeof out), 200);
	/* Taken as sent ('+' and '%41' are not decoded); the file neither binds nor trips the
	   max_len of a field of the same name. */
	assert_string_equal(out, "csrf=a+b%41 n=7 file=big.csv:36 parts=3");
	/* Validation applies as to any form: n out of range. */
	static const char bad_n[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n12\r\n--XyZ--";
	assert_int_equal(post(CT, bad_n, sizeof bad_n - 1, out, sizeof out), 400);
	assert_non_null(strstr(out, "Parameter"));
}

static void test_refused(void **state)
{
	(void)state;
	char out[512];
	static const char nul[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\na\0b\r\n--XyZ--";
	assert_int_equal(post(CT, nul, sizeof nul - 1, out, sizeof out), 400);
	assert_non_null(strstr(out, "invalid encoding or characters"));
	static const char latin1[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\xE9t\xE9\r\n--XyZ--";
	assert_int_equal(post(CT, latin1, sizeof latin1 - 1, out, sizeof out), 400);
	static const char cut[] = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nx";
	assert_int_equal(post(CT, cut, sizeof cut - 1, out, sizeof out), 400);
	assert_non_null(strstr(out, "Malformed multipart form"));
	assert_int_equal(post("multipart/form-data", cut, sizeof cut - 1, out, sizeof out), 400);
	assert_non_null(strstr(out, "boundary"));
	/* A binary file part is fine: only plain fields must be text. */
	static const char bin[] = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
	                          "filename=\"a.xlsx\"\r\n\r\nPK\3\4\0\xff\r\n--XyZ--";
	assert_int_equal(post(CT, bin, sizeof bin - 1, out, sizeof out), 200);
	assert_string_equal(out, "csrf=- n=-1 file=a.xlsx:6 parts=1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_binding),
	    cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
