/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A request and its response, as handlers see them. Functions are named
 * lc_req_* and lc_resp_* after the two structs this module defines.
 *
 * A request owns an arena: everything parsed or decoded for it (path,
 * parameters, cookies, headers) and everything a handler allocates with
 * lc_req_alloc lives there and is freed when the request completes. Strings
 * in struct lc_req are NUL-terminated, valid UTF-8 without NUL bytes unless
 * said otherwise, and borrowed until the request completes.
 *
 * The response body is a bounded buffer (LC_LIMIT_HTTP_RESPONSE) that the
 * server hands to libmicrohttpd without copying. Nothing here does I/O; the
 * server (server.h) fills struct lc_req and sends struct lc_resp, and the
 * router (router.h) validates parameters before a handler runs.
 */
#ifndef LC_HTTP_H
#define LC_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/slice.h"
#include "web/urlcodec.h"

struct lc_arena;
struct lc_multipart_part;
struct lc_param_spec;
struct lc_route;
struct lc_resp;

/* Methods as bits, so that a route may accept several. HEAD is served by GET routes. */
enum lc_http_method {
	LC_HTTP_GET = 1u << 0,
	LC_HTTP_POST = 1u << 1,
	LC_HTTP_PUT = 1u << 2,
	LC_HTTP_PATCH = 1u << 3,
	LC_HTTP_DELETE = 1u << 4,
	LC_HTTP_OPTIONS = 1u << 5,
	LC_HTTP_OTHER = 1u << 15, /* anything else (TRACE, CONNECT, ...): always 405 or 404 */
};

/* The method for a name as sent ("GET"); LC_HTTP_GET for "HEAD"; LC_HTTP_OTHER when unknown. */
enum lc_http_method lc_http_method_parse(const char *name);
/* "GET", "POST", ...; "OTHER" for LC_HTTP_OTHER. */
const char *lc_http_method_name(enum lc_http_method m);
/* The reason phrase of a status ("Not Found"); "Unknown" when not listed. */
const char *lc_http_status_text(int status);

/* One header: name and value, borrowed. */
struct lc_header {
	const char *name;
	const char *value;
};

/* One typed value of a declared parameter. */
struct lc_value {
	const char *str; /* decoded text, NUL-terminated */
	size_t len;
	long num; /* int: the number; bool: 0 or 1; enum: index into choices; string: 0 */
};

/*
 * A declared parameter after validation, in the order of the route's
 * declarations. When absent and without default, present is false and
 * v.str is NULL. A default counts as present (from_default is true).
 */
struct lc_req_param {
	const char *name; /* spec->name, so that lookups need not know the router's specs */
	const struct lc_param_spec *spec;
	bool present;
	bool from_default;
	struct lc_value v;    /* the value (the last one sent, when repeated) */
	struct lc_value *all; /* every value sent, for specs with multi; else &v or NULL */
	size_t count;         /* number of values in all */
};

struct lc_req {
	struct lc_arena *arena; /* owned by whoever built the request (the server) */

	enum lc_http_method method; /* LC_HTTP_GET for HEAD requests */
	bool is_head; /* the client asked HEAD: headers only, the server drops the body */
	const char *method_name; /* as sent, e.g. "HEAD" */

	const char *raw_path; /* as sent, still percent-encoded, without the query */
	const char *path;     /* percent-decoded (set by the router); NULL before routing */
	bool api;             /* path starts with "/api/": errors are answered as JSON */

	/* Raw query pairs (still encoded; '+' may already be a space), set by the server. */
	struct lc_urlcodec_pair *query;
	size_t nquery;

	/* Request headers; names compared ignoring case. Use lc_req_header. */
	const struct lc_header *headers;
	size_t nheaders;

	/* The body as received (not NUL-terminated unless a handler makes it so). */
	const char *body;
	size_t body_len;
	const char *content_type; /* the Content-Type header or NULL */
	/* A multipart/form-data body's parts (web/multipart.h), parsed by the router
	 * before the handler runs; its plain fields also bind LC_PARAM_FORM parameters. */
	const struct lc_multipart_part *parts;
	size_t nparts;

	/* Set by the router before the handler runs. */
	const struct lc_route *route;
	/* One per declared parameter, in declaration order, then one per undeclared
	 * {name} of the pattern; their spec points to the router's copy. */
	struct lc_req_param *params;
	size_t nparams;

	/* Resolved UI language (router + i18n.h): "en", "fr", ...; never NULL in a handler. */
	const char *lang;
	const char *dir; /* "ltr" or "rtl", for <html dir> */
	const json_t *t; /* the message catalogue of lang (borrowed), or NULL without i18n */

	const char *remote_addr; /* "127.0.0.1", "::1"; "" when unknown */
	bool secure_cookies;     /* cookies get the Secure attribute (server configuration) */
	void *app;               /* the application context from the server configuration */
	void *user; /* free for the application (e.g. the session set by a before hook) */
	/*
	 * Draws lc_resp_error's HTML pages: the error_page hook of the router
	 * handling this request (router.h), set by the router, or by the server
	 * for an answer it gives before routing; NULL: lc_resp_error_builtin.
	 */
	void (*error_page)(struct lc_req *req, struct lc_resp *resp, int status,
	                   const char *message);

	/* Private to the router: the result of lc_router_match. */
	struct lc_slice *segs_;
	size_t nsegs_;
	int match_; /* 0 not yet matched, 1 matched a route, else the error status */
	unsigned allow_;

	/* Private to lc_req_cookie: the parsed Cookie header. */
	struct lc_urlcodec_pair *cookies_;
	size_t ncookies_;
	bool cookies_parsed_;
};

/*
 * Prepares an empty request whose allocations go to arena a (borrowed;
 * must outlive the request). Used by the server and by tests that build
 * requests by hand.
 */
void lc_req_init(struct lc_req *r, struct lc_arena *a);
/* n bytes in the request's arena, freed when the request completes. */
void *lc_req_alloc(struct lc_req *r, size_t n);

/* The first value of a request header (name ignoring case), or NULL. Borrowed. */
const char *lc_req_header(const struct lc_req *r, const char *name);
/*
 * The value of cookie name, or NULL. Cookies are parsed (and limited to
 * LC_LIMIT_COOKIE_BYTES) on the first call; values are returned as sent,
 * without percent-decoding. Borrowed.
 */
const char *lc_req_cookie(struct lc_req *r, const char *name);

/* The validated parameter name of the route, or NULL when the route does not declare it. */
const struct lc_req_param *lc_req_param(const struct lc_req *r, const char *name);
/* The text of parameter name (its default when absent), or NULL when absent without default. */
const char *lc_req_str(const struct lc_req *r, const char *name);
/* The value of an int, bool or enum parameter (enum: choice index), or dflt when absent. */
long lc_req_int(const struct lc_req *r, const char *name, long dflt);
/* True when a bool parameter is present and true ("1", "true", "on", "yes"). */
bool lc_req_bool(const struct lc_req *r, const char *name);

/*
 * Parses the body as JSON, for API requests. The Content-Type must be
 * application/json (parameters ignored); duplicate keys are rejected. Returns
 * 0 with *out set (caller frees with json_decref), or LC_EINVAL with a
 * sentence for the user in msg (size n; msg may be NULL), e.g. "The body is
 * not valid JSON: line 1, column 5: ...".
 */
int lc_req_json(const struct lc_req *r, json_t **out, char *msg, size_t n);

/* Flags of lc_resp_set_cookie. */
enum {
	LC_COOKIE_SCRIPT = 1u << 0, /* readable by scripts: no HttpOnly (for nothing secret) */
	LC_COOKIE_STRICT = 1u << 1, /* SameSite=Strict instead of Lax */
};

struct lc_resp {
	struct lc_req *req;       /* the request this answers (borrowed) */
	int status;               /* 200 unless set */
	const char *content_type; /* "text/html; charset=utf-8" unless set; static or arena */
	struct lc_buf body;       /* owned; max LC_LIMIT_HTTP_RESPONSE */
	/* A borrowed body that outlives the server (embedded files); replaces body when set. */
	const void *static_body;
	size_t static_len;
	struct lc_header *headers; /* extra headers, in the request's arena */
	size_t nheaders, cap_headers;
};

/*
 * Prepares a 200 text/html response to r with an empty body. Caller
 * releases it with lc_resp_cleanup (the server does this after sending).
 */
void lc_resp_init(struct lc_resp *resp, struct lc_req *r);
/* Frees the body. NULL allowed. */
void lc_resp_cleanup(struct lc_resp *resp);

/*
 * Adds a response header (copied into the request's arena). Returns 0, or
 * LC_EINVAL when name or value holds CR, LF or NUL (header injection) or name
 * is empty. Content-Type and the security headers are set by the server:
 * use resp->content_type for the first; a handler may override the second
 * by adding a header of the same name (e.g. a looser CSP for one page).
 */
int lc_resp_header(struct lc_resp *resp, const char *name, const char *value);

/*
 * Adds Set-Cookie: name=value; Path=/; Max-Age=max_age_s; HttpOnly;
 * SameSite=Lax (see flags), and Secure when the request says
 * secure_cookies. max_age_s < 0: a session cookie (no Max-Age); 0: delete
 * it. name must be a token and value cookie-octets (RFC 6265), else LC_EINVAL.
 */
int lc_resp_set_cookie(struct lc_resp *resp, const char *name, const char *value, long max_age_s,
                       unsigned flags);

/*
 * Answers 303 See Other to location (a path such as "/cities/x" or an
 * absolute URL), with an empty body. LC_EINVAL for CR/LF in location.
 */
int lc_resp_redirect(struct lc_resp *resp, const char *location);

/*
 * Replaces the body with v serialised compactly with 17 significant digits
 * for reals (exact round trip; JSON_REAL_PRECISION is for display only),
 * content type application/json. v is borrowed. Returns 0 or LC_ELIMIT when
 * the text exceeds LC_LIMIT_HTTP_RESPONSE (the body is then empty).
 */
int lc_resp_json(struct lc_resp *resp, const json_t *v);

/* Replaces the body with n bytes of s (copied) and sets the content type (static string). */
void lc_resp_text(struct lc_resp *resp, const char *content_type, const char *s, size_t n);

/*
 * Answers an error. For API requests (req->api) the body is
 * {"error":{"status":404,"message":"..."}}; otherwise an HTML page, drawn by
 * req->error_page when one is set (the router's hook, router.h) and by a
 * minimal built-in page otherwise. The message is for the user: no internals.
 */
void lc_resp_error(struct lc_resp *resp, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The minimal built-in HTML error page (what lc_resp_error draws without a hook). */
void lc_resp_error_builtin(struct lc_resp *resp, int status, const char *message);

/* The HTTP status a handler's error code stands for (LC_ENOTFOUND 404, LC_EINVAL 400, ...). */
int lc_http_status_for_error(int err);

#endif
