/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Routes declared as data, and the dispatch of a request to its handler.
 *
 * A route is a method set, a path pattern, a handler and the parameters it
 * declares. Patterns are literal segments and {name} segments that match
 * one non-empty path segment; a last segment {name*} matches the rest of
 * the path (one or more non-empty segments, e.g. "/static/{file*}").
 * Literal segments win over {name} segments, which win over {name*}; among
 * equal patterns the first declared wins. An OPTIONS request to a path
 * without an OPTIONS route is answered 204 with an Allow header.
 *
 * lc_router_dispatch does, in order:
 *  1. decodes the path segment by segment (percent escapes; NUL, control
 *     characters, invalid UTF-8, an encoded '/' or '\\', "." and ".."
 *     segments -> 400; a path over LC_LIMIT_HTTP_URL -> 414);
 *  2. trailing slash: "/cities/" is answered 308 Permanent Redirect to
 *     "/cities" (query kept) when "/cities" would match; otherwise 404 (and
 *     always 404 for "//host/", which would redirect to another site);
 *  3. no pattern matches -> 404; a pattern matches but not the method
 *     -> 405 with an Allow header (GET routes allow HEAD too);
 *  4. declared parameters: path ones from the pattern, query ones from the
 *     query string, form ones from an application/x-www-form-urlencoded
 *     body (and from the query string for GET, so that a GET form works).
 *     Each is decoded and checked against its type and bounds; a bad or
 *     missing required one -> 400 "Parameter 'NAME': reason.". Undeclared
 *     parameters never reach the handler and are silently ignored, so that
 *     tracking noise (utm_*, fbclid, ...) never breaks a page. "lang" is
 *     reserved for every route: it selects the UI language (i18n.h) and is
 *     never declared. More than LC_LIMIT_HTTP_PARAMS pairs -> 400;
 *  5. resolves the UI language (req->lang, dir, t) and sets the lang cookie
 *     when ?lang= chose a supported language (this happens first, so that
 *     error pages are in the user's language too);
 *  6. runs the before hook, then the handler. A handler returns 0 with the
 *     response filled, or a negative LC_E* code which becomes an error page
 *     (LC_ENOTFOUND 404, LC_EINVAL 400, LC_EAUTH 401, LC_EPERM 403,
 *     LC_ECONFLICT 409, LC_ELIMIT 413, LC_EBUSY 503, others 500).
 * Errors are HTML pages, or JSON errors for paths under /api/.
 */
#ifndef LC_ROUTER_H
#define LC_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "web/http.h"

struct lc_diag;
struct lc_catalogue;

typedef int (*lc_handler)(struct lc_req *req, struct lc_resp *resp);

enum lc_param_source {
	LC_PARAM_QUERY, /* the query string */
	LC_PARAM_FORM,  /* an x-www-form-urlencoded body (or the query string for GET) */
	LC_PARAM_PATH,  /* a {name} segment of the pattern */
};

enum lc_param_type {
	LC_PARAM_STRING, /* UTF-8 text of at most max_len bytes (0: LC_LIMIT_NAME_BYTES) */
	LC_PARAM_INT,    /* decimal integer in [min, max] (both 0: any long) */
	LC_PARAM_ENUM,   /* one of choices, byte for byte */
	LC_PARAM_BOOL,   /* 1/0, true/false, on/off, yes/no; an empty value is false */
};

/*
 * A declared parameter. Arrays of these end with an entry whose name is NULL.
 * A path parameter that the pattern has but the route does not declare is a
 * string of at most LC_LIMIT_NAME_BYTES.
 */
struct lc_param_spec {
	const char *name;
	enum lc_param_source source;
	enum lc_param_type type;
	bool required;              /* absent (or empty, for non-strings) -> 400 */
	bool multi;                 /* keep every value (checkbox lists); else the last one wins */
	long min, max;              /* LC_PARAM_INT bounds, inclusive */
	size_t max_len;             /* LC_PARAM_STRING: bytes after decoding */
	const char *const *choices; /* LC_PARAM_ENUM: NULL-terminated list */
	const char *dflt;           /* text used when absent (validated like a sent value) */
};

struct lc_route {
	unsigned methods; /* LC_HTTP_* bits */
	const char *pattern;
	lc_handler handler;
	const struct lc_param_spec *params; /* NULL or ends with a NULL name */
	size_t max_body;  /* request body limit; 0: the server's (LC_LIMIT_HTTP_BODY) */
	unsigned flags;   /* free for the application (e.g. required role) */
	const void *data; /* free for the application; the router ignores both */
};

struct lc_router_opts {
	/* Message catalogues for language negotiation (borrowed); NULL: every request is "en". */
	const struct lc_catalogue *i18n;
	/*
	 * Runs after routing and validation, before the handler (sessions,
	 * CSRF checks, access rules by route->flags). Returns 0 to go on, a
	 * positive value when it has answered in resp (the handler is skipped),
	 * or a negative LC_E* code (answered as an error page).
	 */
	int (*before)(struct lc_req *req, struct lc_resp *resp);
	/*
	 * Runs on the request's head alone (path, query, headers), before any
	 * byte of its body is read, when the server calls lc_router_head for a
	 * request that carries a body: who is calling and whether the route
	 * lets them in, so that a refused upload is never buffered. Same
	 * return convention as before; a request it lets through still goes
	 * through before.
	 */
	int (*head)(struct lc_req *req, struct lc_resp *resp);
	/* Draws HTML error pages; NULL: lc_resp_error_builtin. Must not call lc_resp_error. */
	void (*error_page)(struct lc_req *req, struct lc_resp *resp, int status,
	                   const char *message);
};

struct lc_router;

/*
 * Builds a router over n routes (borrowed: usually a static table that
 * outlives the router) and opts (copied; NULL for defaults). Checks each
 * pattern and declaration; on a mistake adds to diag (may be NULL) and
 * returns LC_EINVAL. On success *out is the router; free with lc_router_free.
 */
int lc_router_new(const struct lc_route *routes, size_t n, const struct lc_router_opts *opts,
                  struct lc_router **out, struct lc_diag *diag);
void lc_router_free(struct lc_router *r);

/*
 * The first half of dispatch, which the server runs before reading a body
 * to choose its size limit: decodes req->raw_path and finds the route for
 * req->method. Returns the route, or NULL when the request will be answered
 * with an error or a redirect (bad path, 404, 405, trailing slash). The
 * result is kept in req; lc_router_dispatch does not repeat the work.
 */
const struct lc_route *lc_router_match(const struct lc_router *r, struct lc_req *req);

/*
 * For the server, before it reads a body: matches req (lc_router_match),
 * resolves its language and runs the head hook. Returns 1 when resp holds
 * the answer (a refusal; the body need not be read), 0 to go on reading.
 * A request that does not match a route goes on: dispatch answers it.
 */
int lc_router_head(const struct lc_router *r, struct lc_req *req, struct lc_resp *resp);

/*
 * Routes req (method, raw_path, query, headers, body filled) and fills resp:
 * see the steps above. Always leaves resp answerable; returns resp->status.
 */
int lc_router_dispatch(const struct lc_router *r, struct lc_req *req, struct lc_resp *resp);

/* The router's options (borrowed): the server sets an early answer's error page from them. */
const struct lc_router_opts *lc_router_opts(const struct lc_router *r);

#endif
