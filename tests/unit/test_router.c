/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of web/router.c and web/http.c without a server: requests are built
 * by hand and dispatched; the response's status, headers and body checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/catalogue.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "web/http.h"
#include "web/i18n.h"
#include "web/router.h"

static int h_text(struct lc_req *req, struct lc_resp *resp)
{
	lc_buf_printf(&resp->body, "%s", (const char *)req->route->data);
	return 0;
}

static int h_slug(struct lc_req *req, struct lc_resp *resp)
{
	lc_buf_printf(&resp->body, "slug=%s path=%s", lc_req_str(req, "slug"), req->path);
	return 0;
}

static int h_list(struct lc_req *req, struct lc_resp *resp)
{
	const struct lc_req_param *area = lc_req_param(req, "area");
	lc_buf_printf(&resp->body,
	              "page=%ld%s sort=%s/%ld q=%s flag=%d areas=", lc_req_int(req, "page", -1),
	              lc_req_param(req, "page")->from_default ? "(default)" : "",
	              lc_req_str(req, "sort"), lc_req_int(req, "sort", -1),
	              lc_req_str(req, "q") ? lc_req_str(req, "q") : "-", lc_req_bool(req, "flag"));
	for (size_t i = 0; i < area->count; i++)
		lc_buf_printf(&resp->body, "%s%ld", i ? "," : "", area->all[i].num);
	assert_null(lc_req_param(req, "utm_source"));
	assert_null(lc_req_param(req, "lang"));
	return 0;
}

static int h_post(struct lc_req *req, struct lc_resp *resp)
{
	lc_buf_printf(&resp->body, "%s: name=%s n=%ld", lc_req_str(req, "slug"),
	              lc_req_str(req, "name"), lc_req_int(req, "n", 0));
	return 0;
}

static int h_api(struct lc_req *req, struct lc_resp *resp)
{
	json_t *v = json_pack("{s:s,s:f}", "slug", lc_req_str(req, "slug"), "score", 0.71);
	int rc = lc_resp_json(resp, v);
	json_decref(v);
	return rc;
}

static int h_rest(struct lc_req *req, struct lc_resp *resp)
{
	lc_buf_printf(&resp->body, "file=%s", lc_req_str(req, "file"));
	return 0;
}

static int h_err(struct lc_req *req, struct lc_resp *resp)
{
	(void)resp;
	return (int)(intptr_t)req->route->data;
}

static int h_item(struct lc_req *req, struct lc_resp *resp)
{
	lc_buf_printf(&resp->body, "item %ld lang=%s dir=%s user=%s", lc_req_int(req, "id", 0),
	              req->lang, req->dir, req->user ? (const char *)req->user : "-");
	if (req->t)
		lc_buf_printf(&resp->body, " hello=%s",
		              json_string_value(json_object_get(req->t, "hello")));
	return 0;
}

static int h_cookie(struct lc_req *req, struct lc_resp *resp)
{
	const char *sid = lc_req_cookie(req, "sid");
	lc_buf_printf(&resp->body, "sid=%s", sid ? sid : "-");
	assert_int_equal(lc_resp_set_cookie(resp, "sid", "abc123", 3600, 0), 0);
	assert_int_equal(
	    lc_resp_set_cookie(resp, "pref", "x", -1, LC_COOKIE_SCRIPT | LC_COOKIE_STRICT), 0);
	assert_int_equal(lc_resp_set_cookie(resp, "bad name", "x", 0, 0), LC_EINVAL);
	assert_int_equal(lc_resp_set_cookie(resp, "n", "semi;colon", 0, 0), LC_EINVAL);
	assert_int_equal(lc_resp_header(resp, "X-Bad", "a\r\nInjected: 1"), LC_EINVAL);
	assert_int_equal(lc_resp_header(resp, "X-Ok", "fine"), 0);
	return 0;
}

static int h_redirect(struct lc_req *req, struct lc_resp *resp)
{
	(void)req;
	lc_buf_puts(&resp->body, "dropped");
	return lc_resp_redirect(resp, "/cities/new");
}

static const char *const sorts[] = {"name", "score", NULL};
static const struct lc_param_spec list_params[] = {
    {.name = "page",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_INT,
     .min = 1,
     .max = 100,
     .dflt = "1"},
    {.name = "sort",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_ENUM,
     .choices = sorts,
     .dflt = "name"},
    {.name = "q", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 10},
    {.name = "flag", .source = LC_PARAM_QUERY, .type = LC_PARAM_BOOL},
    {.name = "area",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_INT,
     .min = 1,
     .max = 12,
     .multi = true},
    {0}};
static const struct lc_param_spec post_params[] = {
    {.name = "name", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .required = true},
    {.name = "n", .source = LC_PARAM_FORM, .type = LC_PARAM_INT},
    {0}};
static const struct lc_param_spec item_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = 1000}, {0}};

static const struct lc_route routes[] = {
    {LC_HTTP_GET, "/", h_text, NULL, 0, 0, "home"},
    {LC_HTTP_GET, "/cities", h_list, list_params, 0, 0, NULL},
    {LC_HTTP_GET, "/cities/{slug}", h_slug, NULL, 0, 0, NULL},
    {LC_HTTP_GET, "/cities/new", h_text, NULL, 0, 0, "new form"},
    {LC_HTTP_POST, "/cities/{slug}", h_post, post_params, 0, 0, NULL},
    {LC_HTTP_GET, "/api/v1/cities/{slug}", h_api, NULL, 0, 0, NULL},
    {LC_HTTP_GET, "/static/{file*}", h_rest, NULL, 0, 0, NULL},
    {LC_HTTP_GET, "/missing", h_err, NULL, 0, 0, (void *)(intptr_t)LC_ENOTFOUND},
    {LC_HTTP_GET, "/boom", h_err, NULL, 0, 0, (void *)(intptr_t)LC_EINTERNAL},
    {LC_HTTP_GET, "/forbidden", h_err, NULL, 0, 0, (void *)(intptr_t)LC_EPERM},
    {LC_HTTP_GET | LC_HTTP_POST, "/items/{id}", h_item, item_params, 0, 1, NULL},
    {LC_HTTP_GET, "/cookie", h_cookie, NULL, 0, 0, NULL},
    {LC_HTTP_GET, "/go", h_redirect, NULL, 0, 0, NULL},
};

struct call {
	struct lc_arena *arena;
	struct lc_req req;
	struct lc_resp resp;
	struct lc_header hdrs[4];
	int status;
};

/* Dispatches "METHOD target" with optional body and header pairs (name, value, ..., NULL). */
static void run(struct call *c, const struct lc_router *r, const char *method, const char *target,
                const char *body, ...)
{
	c->arena = lc_arena_new();
	lc_req_init(&c->req, c->arena);
	c->req.method = lc_http_method_parse(method);
	c->req.is_head = strcmp(method, "HEAD") == 0;
	c->req.method_name = method;
	const char *q = strchr(target, '?');
	c->req.raw_path = q ? lc_arena_strndup(c->arena, target, (size_t)(q - target)) : target;
	if (q) {
		size_t max = LC_LIMIT_HTTP_PARAMS + 1;
		c->req.query = lc_arena_alloc(c->arena, max * sizeof *c->req.query);
		lc_urlcodec_split_query(lc_slice_cstr(q + 1), c->req.query, max, &c->req.nquery);
	}
	va_list ap;
	va_start(ap, body);
	size_t n = 0;
	const char *name;
	while (n < 4 && (name = va_arg(ap, const char *))) {
		c->hdrs[n].name = name;
		c->hdrs[n].value = va_arg(ap, const char *);
		n++;
	}
	va_end(ap);
	c->req.headers = c->hdrs;
	c->req.nheaders = n;
	if (body) {
		c->req.body = body;
		c->req.body_len = strlen(body);
		c->req.content_type = lc_req_header(&c->req, "Content-Type");
	}
	lc_resp_init(&c->resp, &c->req);
	c->status = lc_router_dispatch(r, &c->req, &c->resp);
	assert_int_equal(c->status, c->resp.status);
}

static void done(struct call *c)
{
	lc_resp_cleanup(&c->resp);
	lc_arena_free(c->arena);
}

static const char *body(struct call *c)
{
	return lc_buf_cstr(&c->resp.body);
}

static const char *header(struct call *c, const char *name)
{
	for (size_t i = 0; i < c->resp.nheaders; i++)
		if (strcmp(c->resp.headers[i].name, name) == 0)
			return c->resp.headers[i].value;
	return NULL;
}

static struct lc_router *router(const struct lc_router_opts *o)
{
	struct lc_router *r;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_router_new(routes, sizeof routes / sizeof routes[0], o, &r, &d), 0);
	lc_diag_cleanup(&d);
	return r;
}

/* Runs one request and checks status and, when want is not NULL, the body. */
static void expect(const struct lc_router *r, const char *method, const char *target, int status,
                   const char *want)
{
	struct call c;
	run(&c, r, method, target, NULL, NULL);
	if (c.status != status)
		fail_msg("%s %s: status %d, want %d (%s)", method, target, c.status, status,
		         body(&c));
	if (want && strcmp(body(&c), want) != 0)
		fail_msg("%s %s: body \"%s\", want \"%s\"", method, target, body(&c), want);
	done(&c);
}

static void expect_has(const struct lc_router *r, const char *method, const char *target,
                       int status, const char *part)
{
	struct call c;
	run(&c, r, method, target, NULL, NULL);
	if (c.status != status || !strstr(body(&c), part))
		fail_msg("%s %s: %d \"%s\", want %d with \"%s\"", method, target, c.status,
		         body(&c), status, part);
	done(&c);
}

static void test_match(void **state)
{
	(void)state;
	struct lc_router *r = router(NULL);
	expect(r, "GET", "/", 200, "home");
	expect(r, "HEAD", "/", 200, "home"); /* the server drops the body of HEAD */
	expect(r, "GET", "/cities/cork", 200, "slug=cork path=/cities/cork");
	expect(r, "GET", "/cities/new", 200, "new form"); /* a literal wins over {slug} */
	expect(r, "GET", "/cities/S%C3%A3o%20Paulo", 200, "slug=São Paulo path=/cities/São Paulo");
	expect(r, "GET", "/static/css/app.css", 200, "file=css/app.css");
	expect(r, "GET", "/static/a", 200, "file=a");
	expect_has(r, "GET", "/static", 404, "nothing here");
	expect_has(r, "GET", "/nowhere", 404, "<!doctype html>");
	expect_has(r, "GET", "/cities/a/b", 404, "nothing here");
	expect_has(r, "GET", "//cities", 404, "nothing here");
	expect_has(r, "GET", "/cities//", 404, "nothing here");
	lc_router_free(r);
}

static void test_bad_paths(void **state)
{
	(void)state;
	struct lc_router *r = router(NULL);
	expect(r, "GET", "/cities/..", 400, NULL);
	expect(r, "GET", "/cities/%2e%2E", 400, NULL);
	expect(r, "GET", "/cities/.", 400, NULL);
	expect(r, "GET", "/cities/a%2Fb", 400, NULL);
	expect(r, "GET", "/cities/a%5Cb", 400, NULL);
	expect(r, "GET", "/cities/a%00b", 400, NULL);
	expect(r, "GET", "/cities/%ZZ", 400, NULL);
	expect(r, "GET", "/cities/%C3%28", 400, NULL);
	expect(r, "GET", "/static/../etc/passwd", 400, NULL);
	expect(r, "GET", "relative", 400, NULL);
	char *long_path = lc_xmalloc(LC_LIMIT_HTTP_URL + 10);
	memset(long_path, 'a', LC_LIMIT_HTTP_URL + 9);
	long_path[0] = '/';
	long_path[LC_LIMIT_HTTP_URL + 9] = '\0';
	expect(r, "GET", long_path, 414, NULL);
	lc_free(long_path);
	lc_router_free(r);
}

static void test_methods(void **state)
{
	(void)state;
	struct lc_router *r = router(NULL);
	struct call c;
	run(&c, r, "DELETE", "/cities/cork", NULL, NULL);
	assert_int_equal(c.status, 405);
	assert_string_equal(header(&c, "Allow"), "GET, HEAD, POST");
	done(&c);
	run(&c, r, "POST", "/", NULL, NULL);
	assert_int_equal(c.status, 405);
	assert_string_equal(header(&c, "Allow"), "GET, HEAD");
	done(&c);
	run(&c, r, "OPTIONS", "/items/3", NULL, NULL);
	assert_int_equal(c.status, 204);
	assert_string_equal(header(&c, "Allow"), "GET, HEAD, POST");
	done(&c);
	run(&c, r, "TRACE", "/", NULL, NULL);
	assert_int_equal(c.status, 405);
	done(&c);
	lc_router_free(r);
}

static void test_trailing_slash(void **state)
{
	(void)state;
	struct lc_router *r = router(NULL);
	struct call c;
	run(&c, r, "GET", "/cities/?page=2&q=a+b%2B", NULL, NULL);
	assert_int_equal(c.status, 308);
	assert_string_equal(header(&c, "Location"), "/cities?page=2&q=a+b%2B");
	done(&c);
	run(&c, r, "GET", "/cities/cork/", NULL, NULL);
	assert_int_equal(c.status, 308);
	assert_string_equal(header(&c, "Location"), "/cities/cork");
	done(&c);
	expect(r, "GET", "/nowhere/", 404, NULL);
	/* Never an open redirect to another host. */
	expect(r, "GET", "//evil.example/", 404, NULL);
	expect(r, "GET", "/%5Cevil.example/", 400, NULL);
	expect(r, "GET", "//static/x/", 404, NULL);
	expect(r, "GET", "/static//x/", 404, NULL);
	expect(r, "GET", "/static//x", 404, NULL);
	lc_router_free(r);
}

static void test_params(void **state)
{
	(void)state;
	struct lc_router *r = router(NULL);
	expect(r, "GET", "/cities", 200, "page=1(default) sort=name/0 q=- flag=0 areas=");
	expect(r, "GET", "/cities?page=3&sort=score&q=S%C3%A3o&flag=on&area=2&area=12", 200,
	       "page=3 sort=score/1 q=São flag=1 areas=2,12");
	/* Undeclared parameters (tracking noise, lang) are ignored; an empty int is absent. */
	expect(r, "GET", "/cities?utm_source=x&fbclid=%ZZ&lang=fr&page=&q=", 200,
	       "page=1(default) sort=name/0 q= flag=0 areas=");
	expect(r, "GET", "/cities?page=2&page=5", 200, "page=5 sort=name/0 q=- flag=0 areas=");
	expect(r, "GET", "/cities?%70age=7", 200, "page=7 sort=name/0 q=- flag=0 areas=");
	expect_has(r, "GET", "/cities?page=0", 400, "Parameter &#39;page&#39;");
	expect_has(r, "GET", "/cities?page=101", 400, "range");
	expect_has(r, "GET", "/cities?page=1x", 400, "page");
	expect_has(r, "GET", "/cities?sort=evil", 400, "sort");
	expect_has(r, "GET", "/cities?q=01234567890", 400, "too long");
	expect_has(r, "GET", "/cities?q=%00", 400, "encoding");
	expect_has(r, "GET", "/cities?flag=maybe", 400, "flag");
	expect_has(r, "GET", "/cities?area=13", 400, "area");
	expect(r, "GET", "/items/1000", 200, "item 1000 lang=en dir=ltr user=-");
	expect_has(r, "GET", "/items/1001", 400, "id");
	expect_has(r, "GET", "/items/abc", 400, "id");
	/* Too many parameters. */
	char big[LC_LIMIT_HTTP_PARAMS * 6 + 32] = "/cities?";
	size_t at = strlen(big);
	for (int i = 0; i <= LC_LIMIT_HTTP_PARAMS; i++, at += 4)
		memcpy(big + at, "x=1&", 5);
	expect_has(r, "GET", big, 400, "Too many");
	lc_router_free(r);
}

static void test_form(void **state)
{
	(void)state;
	struct lc_router *r = router(NULL);
	struct call c;
	run(&c, r, "POST", "/cities/cork", "name=Cork+City&n=5&extra=1", "Content-Type",
	    "application/x-www-form-urlencoded; charset=UTF-8", NULL);
	assert_int_equal(c.status, 200);
	assert_string_equal(body(&c), "cork: name=Cork City n=5");
	done(&c);
	run(&c, r, "POST", "/cities/cork", "n=5", "Content-Type",
	    "application/x-www-form-urlencoded", NULL);
	assert_int_equal(c.status, 400);
	assert_non_null(strstr(body(&c), "required"));
	done(&c);
	/* Form parameters are not read from the query string of a POST, nor from other bodies. */
	run(&c, r, "POST", "/cities/cork?name=x", "name=y", "Content-Type", "text/plain", NULL);
	assert_int_equal(c.status, 400);
	done(&c);
	run(&c, r, "POST", "/cities/cork", "name=", "Content-Type",
	    "application/x-www-form-urlencoded", NULL);
	assert_int_equal(c.status, 400);
	done(&c);
	lc_router_free(r);
}

static void test_api_errors_and_json(void **state)
{
	(void)state;
	struct lc_router *r = router(NULL);
	struct call c;
	run(&c, r, "GET", "/api/v1/cities/cork", NULL, NULL);
	assert_int_equal(c.status, 200);
	assert_string_equal(c.resp.content_type, "application/json");
	assert_string_equal(body(&c), "{\"slug\":\"cork\",\"score\":0.70999999999999996}");
	done(&c);
	run(&c, r, "GET", "/api/v1/nothing", NULL, NULL);
	assert_int_equal(c.status, 404);
	assert_string_equal(c.resp.content_type, "application/json");
	assert_string_equal(body(&c),
	                    "{\"error\":{\"status\":404,\"message\":\"There is nothing here.\"}}");
	done(&c);
	run(&c, r, "GET", "/api/v1/cities/%ZZ", NULL, NULL);
	assert_int_equal(c.status, 400);
	assert_non_null(strstr(body(&c), "{\"error\":{\"status\":400,"));
	done(&c);
	expect_has(r, "GET", "/missing", 404, "nothing here");
	expect_has(r, "GET", "/boom", 500, "Something went wrong");
	expect_has(r, "GET", "/forbidden", 403, "may not");
	lc_router_free(r);
}

static void test_cookies_and_headers(void **state)
{
	(void)state;
	struct lc_router *r = router(NULL);
	struct call c;
	run(&c, r, "GET", "/cookie", NULL, "Cookie", "a=1; sid=\"s3cr3t\"; b=2", NULL);
	assert_string_equal(body(&c), "sid=s3cr3t");
	assert_int_equal(c.resp.nheaders, 3);
	assert_string_equal(c.resp.headers[0].value,
	                    "sid=abc123; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax");
	assert_string_equal(c.resp.headers[1].value, "pref=x; Path=/; SameSite=Strict");
	assert_string_equal(header(&c, "X-Ok"), "fine");
	done(&c);
	run(&c, r, "GET", "/cookie", NULL, NULL);
	assert_string_equal(body(&c), "sid=-");
	done(&c);
	run(&c, r, "GET", "/go", NULL, NULL);
	assert_int_equal(c.status, 303);
	assert_string_equal(header(&c, "Location"), "/cities/new");
	assert_string_equal(body(&c), "");
	done(&c);
	lc_router_free(r);
}

static int before(struct lc_req *req, struct lc_resp *resp)
{
	if (req->route->flags == 1 && lc_req_int(req, "id", 0) == 13) {
		lc_buf_puts(&resp->body, "stopped by hook");
		resp->status = 451;
		return 1;
	}
	if (lc_req_int(req, "id", 0) == 14)
		return LC_EAUTH;
	req->user = "alice";
	return 0;
}

static void error_page(struct lc_req *req, struct lc_resp *resp, int status, const char *message)
{
	lc_buf_printf(&resp->body, "custom %d %s [%s]", status, message, req->lang);
}

static void test_hooks_and_i18n(void **state)
{
	(void)state;
	const char en[] = "{\"hello\":\"Hello\",\"bye\":\"Bye\"}";
	const char fr[] = "{\"hello\":\"Bonjour\"}";
	struct lc_catalogue_source src[] = {{"fr", fr, sizeof fr - 1, "Français", false},
	                                    {"en", en, sizeof en - 1, "English", false}};
	struct lc_catalogue *i18n;
	assert_int_equal(lc_catalogue_new(src, 2, &i18n, NULL), 0);
	struct lc_router_opts o = {.i18n = i18n, .before = before, .error_page = error_page};
	struct lc_router *r = router(&o);
	expect(r, "GET", "/items/5", 200, "item 5 lang=en dir=ltr user=alice hello=Hello");
	expect(r, "GET", "/items/13", 451, "stopped by hook");
	expect(r, "GET", "/items/14", 401, "custom 401 Please sign in. [en]");
	expect(r, "GET", "/nowhere?lang=fr", 404, "custom 404 There is nothing here. [fr]");

	struct call c;
	run(&c, r, "GET", "/items/5?lang=fr", NULL, NULL);
	assert_string_equal(body(&c), "item 5 lang=fr dir=ltr user=alice hello=Bonjour");
	assert_string_equal(header(&c, "Set-Cookie"),
	                    "lang=fr; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax");
	done(&c);
	run(&c, r, "GET", "/items/5?lang=xx", NULL, "Cookie", "lang=fr", NULL);
	assert_string_equal(body(&c), "item 5 lang=fr dir=ltr user=alice hello=Bonjour");
	assert_null(header(&c, "Set-Cookie"));
	done(&c);
	run(&c, r, "GET", "/items/5", NULL, "Accept-Language", "de-DE, fr-CH;q=0.9, en;q=0.8",
	    NULL);
	assert_string_equal(body(&c), "item 5 lang=fr dir=ltr user=alice hello=Bonjour");
	done(&c);
	run(&c, r, "GET", "/items/5?lang=en", NULL, "Cookie", "lang=fr", "Accept-Language", "fr",
	    NULL);
	assert_string_equal(body(&c), "item 5 lang=en dir=ltr user=alice hello=Hello");
	assert_non_null(header(&c, "Set-Cookie"));
	done(&c);
	lc_router_free(r);
	lc_catalogue_free(i18n);
}

static int nop(struct lc_req *req, struct lc_resp *resp)
{
	(void)req;
	(void)resp;
	return 0;
}

static void bad_route(const struct lc_route *rt, const char *what)
{
	struct lc_router *r = (struct lc_router *)1;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_router_new(rt, 1, NULL, &r, &d), LC_EINVAL);
	assert_null(r);
	assert_true(d.count >= 1);
	if (!strstr(d.items[0].message, what))
		fail_msg("%s: \"%s\" lacks \"%s\"", rt->pattern, d.items[0].message, what);
	lc_diag_cleanup(&d);
}

static void test_bad_routes(void **state)
{
	(void)state;
	static const char *const none[] = {NULL};
	static const struct lc_param_spec p_lang[] = {{.name = "lang", .source = LC_PARAM_QUERY},
	                                              {0}};
	static const struct lc_param_spec p_enum[] = {
	    {.name = "e", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = none}, {0}};
	static const struct lc_param_spec p_dflt[] = {{.name = "n",
	                                               .source = LC_PARAM_QUERY,
	                                               .type = LC_PARAM_INT,
	                                               .min = 1,
	                                               .max = 2,
	                                               .dflt = "3"},
	                                              {0}};
	static const struct lc_param_spec p_path[] = {{.name = "x", .source = LC_PARAM_PATH}, {0}};
	static const struct lc_param_spec p_src[] = {{.name = "x", .source = LC_PARAM_QUERY}, {0}};
	static const struct lc_param_spec p_twice[] = {
	    {.name = "a", .source = LC_PARAM_QUERY}, {.name = "a", .source = LC_PARAM_FORM}, {0}};
	struct lc_route rt[] = {
	    {LC_HTTP_GET, "nope", nop, NULL, 0, 0, NULL},
	    {LC_HTTP_GET, "/a//b", nop, NULL, 0, 0, NULL},
	    {LC_HTTP_GET, "/a/", nop, NULL, 0, 0, NULL},
	    {LC_HTTP_GET, "/{x", nop, NULL, 0, 0, NULL},
	    {LC_HTTP_GET, "/{x*}/b", nop, NULL, 0, 0, NULL},
	    {LC_HTTP_GET, "/{x}/{x}", nop, NULL, 0, 0, NULL},
	    {LC_HTTP_GET, "/a{x}", nop, NULL, 0, 0, NULL},
	    {LC_HTTP_GET, "/a", nop, p_lang, 0, 0, NULL},
	    {LC_HTTP_GET, "/a", nop, p_enum, 0, 0, NULL},
	    {LC_HTTP_GET, "/a", nop, p_dflt, 0, 0, NULL},
	    {LC_HTTP_GET, "/a", nop, p_path, 0, 0, NULL},
	    {LC_HTTP_GET, "/{x}", nop, p_src, 0, 0, NULL},
	    {LC_HTTP_GET, "/a", nop, p_twice, 0, 0, NULL},
	    {0, "/a", nop, NULL, 0, 0, NULL},
	};
	const char *what[] = {"starts with",
	                      "empty segment",
	                      "empty segment",
	                      "bad parameter",
	                      "bad parameter",
	                      "repeated",
	                      "braces",
	                      "reserved",
	                      "choices",
	                      "default",
	                      "missing from the pattern",
	                      "not as a path",
	                      "twice",
	                      "methods"};
	for (size_t i = 0; i < sizeof rt / sizeof rt[0]; i++)
		bad_route(&rt[i], what[i]);
}

static void test_json_body(void **state)
{
	(void)state;
	struct lc_arena *a = lc_arena_new();
	struct lc_req r;
	lc_req_init(&r, a);
	char msg[200];
	json_t *v;
	r.content_type = "application/json; charset=utf-8";
	r.body = "{\"a\":[1,2.5]}xx";
	r.body_len = 13;
	assert_int_equal(lc_req_json(&r, &v, msg, sizeof msg), 0);
	assert_true(json_is_array(json_object_get(v, "a")));
	json_decref(v);
	r.body = "{\"a\":1,\"a\":2}";
	r.body_len = strlen(r.body);
	assert_int_equal(lc_req_json(&r, &v, msg, sizeof msg), LC_EINVAL);
	assert_null(v);
	assert_non_null(strstr(msg, "not valid JSON"));
	r.content_type = "text/plain";
	assert_int_equal(lc_req_json(&r, &v, NULL, 0), LC_EINVAL);
	r.content_type = NULL;
	assert_int_equal(lc_req_json(&r, &v, msg, sizeof msg), LC_EINVAL);
	assert_non_null(strstr(msg, "application/json"));
	lc_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_match),
	    cmocka_unit_test(test_bad_paths),
	    cmocka_unit_test(test_methods),
	    cmocka_unit_test(test_trailing_slash),
	    cmocka_unit_test(test_params),
	    cmocka_unit_test(test_form),
	    cmocka_unit_test(test_api_errors_and_json),
	    cmocka_unit_test(test_cookies_and_headers),
	    cmocka_unit_test(test_hooks_and_i18n),
	    cmocka_unit_test(test_bad_routes),
	    cmocka_unit_test(test_json_body),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
