/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Request accessors and response helpers of http.h: headers, cookies,
 * parameters, redirects, JSON bodies and error answers.
 */
#include "web/http.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/utf8.h"

#define RESP_INITIAL_BYTES (8u << 10)

enum lc_http_method lc_http_method_parse(const char *name)
{
	static const struct {
		const char *name;
		enum lc_http_method m;
	} t[] = {{"GET", LC_HTTP_GET},        {"HEAD", LC_HTTP_GET},    {"POST", LC_HTTP_POST},
	         {"PUT", LC_HTTP_PUT},        {"PATCH", LC_HTTP_PATCH}, {"DELETE", LC_HTTP_DELETE},
	         {"OPTIONS", LC_HTTP_OPTIONS}};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(name, t[i].name) == 0)
			return t[i].m;
	return LC_HTTP_OTHER;
}

const char *lc_http_method_name(enum lc_http_method m)
{
	switch (m) {
	case LC_HTTP_GET: return "GET";
	case LC_HTTP_POST: return "POST";
	case LC_HTTP_PUT: return "PUT";
	case LC_HTTP_PATCH: return "PATCH";
	case LC_HTTP_DELETE: return "DELETE";
	case LC_HTTP_OPTIONS: return "OPTIONS";
	case LC_HTTP_OTHER: break;
	}
	return "OTHER";
}

const char *lc_http_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

int lc_http_status_for_error(int err)
{
	switch (err) {
	case LC_ENOTFOUND: return 404;
	case LC_EINVAL: return 400;
	case LC_EAUTH: return 401;
	case LC_EPERM: return 403;
	case LC_ECONFLICT: return 409;
	case LC_ELIMIT: return 413;
	case LC_EBUSY: return 503;
	default: return 500;
	}
}

void lc_req_init(struct lc_req *r, struct lc_arena *a)
{
	memset(r, 0, sizeof *r);
	r->arena = a;
	r->method = LC_HTTP_GET;
	r->method_name = "GET";
	r->raw_path = "/";
	r->lang = "en";
	r->dir = "ltr";
	r->remote_addr = "";
}

void *lc_req_alloc(struct lc_req *r, size_t n)
{
	return lc_arena_alloc(r->arena, n);
}

const char *lc_req_header(const struct lc_req *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

const char *lc_req_cookie(struct lc_req *r, const char *name)
{
	if (!r->cookies_parsed_) {
		r->cookies_parsed_ = true;
		const char *h = lc_req_header(r, "Cookie");
		if (h) {
			/* At most one pair per 4 bytes of a header of at most
			 * LC_LIMIT_COOKIE_BYTES. */
			size_t max = LC_LIMIT_COOKIE_BYTES / 4;
			r->cookies_ = lc_arena_alloc(r->arena, max * sizeof *r->cookies_);
			/* An oversized header counts as no cookies at all. */
			if (lc_urlcodec_split_cookies(lc_slice_cstr(h), r->cookies_, max,
			                              &r->ncookies_) != 0 &&
			    strlen(h) > LC_LIMIT_COOKIE_BYTES)
				r->ncookies_ = 0;
		}
	}
	for (size_t i = 0; i < r->ncookies_; i++)
		if (lc_slice_eq(r->cookies_[i].name, name)) {
			struct lc_slice v = r->cookies_[i].value;
			return lc_arena_strndup(r->arena, v.ptr ? v.ptr : "", v.len);
		}
	return NULL;
}

const struct lc_req_param *lc_req_param(const struct lc_req *r, const char *name)
{
	for (size_t i = 0; i < r->nparams; i++)
		if (strcmp(r->params[i].name, name) == 0)
			return &r->params[i];
	return NULL;
}

const char *lc_req_str(const struct lc_req *r, const char *name)
{
	const struct lc_req_param *p = lc_req_param(r, name);
	return p && p->present ? p->v.str : NULL;
}

long lc_req_int(const struct lc_req *r, const char *name, long dflt)
{
	const struct lc_req_param *p = lc_req_param(r, name);
	return p && p->present ? p->v.num : dflt;
}

bool lc_req_bool(const struct lc_req *r, const char *name)
{
	const struct lc_req_param *p = lc_req_param(r, name);
	return p && p->present && p->v.num != 0;
}

int lc_req_json(const struct lc_req *r, json_t **out, char *msg, size_t n)
{
	*out = NULL;
	struct lc_slice type;
	lc_slice_cut(lc_slice_cstr(r->content_type), ';', &type);
	if (!lc_slice_eq_nocase(lc_slice_trim(type), "application/json")) {
		if (msg)
			snprintf(msg, n, "The body must be JSON (Content-Type: application/json).");
		return LC_EINVAL;
	}
	json_error_t err;
	json_t *v = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!v) {
		if (msg)
			snprintf(msg, n, "The body is not valid JSON: line %d, column %d: %s.",
			         err.line, err.column, err.text);
		return LC_EINVAL;
	}
	*out = v;
	return 0;
}

void lc_resp_init(struct lc_resp *resp, struct lc_req *r)
{
	memset(resp, 0, sizeof *resp);
	resp->req = r;
	resp->status = 200;
	resp->content_type = "text/html; charset=utf-8";
	lc_buf_init(&resp->body, LC_LIMIT_HTTP_RESPONSE);
	/* Start with room for a typical page instead of regrowing from 256 bytes six times. */
	resp->body.data = lc_xmalloc(RESP_INITIAL_BYTES);
	resp->body.cap = RESP_INITIAL_BYTES;
	resp->body.data[0] = '\0';
}

void lc_resp_cleanup(struct lc_resp *resp)
{
	if (!resp)
		return;
	lc_buf_cleanup(&resp->body);
}

static bool header_safe(const char *s)
{
	for (; *s; s++)
		if (*s == '\r' || *s == '\n')
			return false;
	return true;
}

int lc_resp_header(struct lc_resp *resp, const char *name, const char *value)
{
	if (!name[0] || !header_safe(name) || !header_safe(value) || strchr(name, ':'))
		return LC_EINVAL;
	if (resp->nheaders == resp->cap_headers) {
		size_t cap = resp->cap_headers ? resp->cap_headers * 2 : 8;
		struct lc_header *h = lc_arena_alloc(resp->req->arena, cap * sizeof *h);
		if (resp->nheaders)
			memcpy(h, resp->headers, resp->nheaders * sizeof *h);
		resp->headers = h;
		resp->cap_headers = cap;
	}
	resp->headers[resp->nheaders].name = lc_arena_strdup(resp->req->arena, name);
	resp->headers[resp->nheaders].value = lc_arena_strdup(resp->req->arena, value);
	resp->nheaders++;
	return 0;
}

/* tchar of RFC 9110 section 5.6.2. */
static bool is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* cookie-octet of RFC 6265 section 4.1.1. */
static bool is_cookie_octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
	       (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

int lc_resp_set_cookie(struct lc_resp *resp, const char *name, const char *value, long max_age_s,
                       unsigned flags)
{
	if (!name[0])
		return LC_EINVAL;
	for (const char *p = name; *p; p++)
		if (!is_tchar((unsigned char)*p))
			return LC_EINVAL;
	for (const char *p = value; *p; p++)
		if (!is_cookie_octet((unsigned char)*p))
			return LC_EINVAL;
	char age[40] = "";
	if (max_age_s >= 0)
		snprintf(age, sizeof age, "; Max-Age=%ld", max_age_s);
	const char *v = lc_arena_printf(resp->req->arena, "%s=%s; Path=/%s%s; SameSite=%s%s", name,
	                                value, age, (flags & LC_COOKIE_SCRIPT) ? "" : "; HttpOnly",
	                                (flags & LC_COOKIE_STRICT) ? "Strict" : "Lax",
	                                resp->req->secure_cookies ? "; Secure" : "");
	return lc_resp_header(resp, "Set-Cookie", v);
}

int lc_resp_redirect(struct lc_resp *resp, const char *location)
{
	int rc = lc_resp_header(resp, "Location", location);
	if (rc)
		return rc;
	resp->status = 303;
	resp->static_body = NULL;
	resp->static_len = 0;
	lc_buf_reset(&resp->body);
	return 0;
}

static int dump_cb(const char *s, size_t n, void *data)
{
	struct lc_buf *b = data;
	lc_buf_append(b, s, n);
	return lc_buf_error(b) ? -1 : 0;
}

int lc_resp_json(struct lc_resp *resp, const json_t *v)
{
	resp->static_body = NULL;
	resp->static_len = 0;
	resp->content_type = "application/json";
	lc_buf_reset(&resp->body);
	/* Without JSON_REAL_PRECISION jansson writes 17 significant digits: exact round trips. */
	if (json_dump_callback(v, dump_cb, &resp->body, JSON_COMPACT | JSON_ENCODE_ANY) != 0 ||
	    lc_buf_error(&resp->body)) {
		lc_buf_reset(&resp->body);
		return LC_ELIMIT;
	}
	return 0;
}

void lc_resp_text(struct lc_resp *resp, const char *content_type, const char *s, size_t n)
{
	resp->static_body = NULL;
	resp->static_len = 0;
	resp->content_type = content_type;
	lc_buf_reset(&resp->body);
	lc_buf_append(&resp->body, s, n);
}

void lc_resp_error_builtin(struct lc_resp *resp, int status, const char *message)
{
	const char *lang = resp->req->lang ? resp->req->lang : "en";
	const char *dir = resp->req->dir ? resp->req->dir : "ltr";
	struct lc_buf *b = &resp->body;
	lc_buf_printf(b,
	              "<!doctype html>\n<html lang=\"%s\" dir=\"%s\"><head><meta charset=\"utf-8\">"
	              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	              "<title>%d %s</title></head>\n<body><main><h1>%d %s</h1>\n<p>",
	              lang, dir, status, lc_http_status_text(status), status,
	              lc_http_status_text(status));
	lc_buf_append_html(b, message, strlen(message));
	lc_buf_puts(b, "</p>\n<p><a href=\"/\">learncity</a></p></main></body></html>\n");
}

void lc_resp_error(struct lc_resp *resp, int status, const char *fmt, ...)
{
	struct lc_req *req = resp->req;
	va_list ap;
	va_start(ap, fmt);
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* A message cut at the buffer's end must not end inside a UTF-8 sequence. */
	size_t n = strlen(msg);
	while (n && !lc_utf8_valid(msg, n))
		msg[--n] = '\0';

	resp->status = status;
	resp->static_body = NULL;
	resp->static_len = 0;
	lc_buf_reset(&resp->body);
	if (req->api) {
		resp->content_type = "application/json";
		lc_buf_printf(&resp->body, "{\"error\":{\"status\":%d,\"message\":\"", status);
		lc_buf_append_json(&resp->body, msg, strlen(msg));
		lc_buf_puts(&resp->body, "\"}}");
		return;
	}
	resp->content_type = "text/html; charset=utf-8";
	if (req->error_page)
		req->error_page(req, resp, status, msg);
	else
		lc_resp_error_builtin(resp, status, msg);
}
