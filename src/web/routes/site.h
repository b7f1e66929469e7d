/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The page toolkit: what every route handler of web/routes/ shares, and
 * which knows no module. The application context (struct lc_app), the
 * caller as the before hook found it (struct lc_web_user), the access rules
 * a route row carries in its flags, the database borrowed for a request,
 * rendering a page with the layout's globals (catalogue, language, language
 * links, navigation, the caller and the CSRF token of every form), the HTML
 * error page, pagination, the anonymous page cache, problems said in the
 * request's language and refusals. The route groups (group.h) sit above it;
 * the hooks that identify the caller (auth.h) use it.
 */
#ifndef LC_SITE_H
#define LC_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "domain/accounts/authz.h"
#include "domain/accounts/session.h"
#include "web/router.h"

struct lc_db;
struct lc_diag;
struct lc_diag_entry;
struct lc_db_pool;
struct lc_req;
struct lc_resp;
struct lc_tpl_set;
struct lc_catalogue;
struct lc_pagecache;

/* What every handler reaches through req->app. Borrowed by the server. */
struct lc_app {
	struct lc_db_pool *pool;
	const struct lc_tpl_set *templates;
	const struct lc_catalogue *i18n;
	struct lc_pagecache *cache; /* anonymous responses; NULL: no caching */
	/* "https://host" without trailing slash: the links of invitation and reset
	 * e-mails. Configured, never taken from the Host header (a forged Host would
	 * send a victim's reset link to the attacker's site). */
	const char *base_url;
};

/*
 * A route whose anonymous GET answers may be cached: its table entry has
 * lc_site_cached as handler and a struct lc_site_cacheable as data. A
 * request with credentials or cookies other than "lang", or whose response
 * sets a header, bypasses the cache; so does an answer other than 200.
 */
struct lc_site_cacheable {
	lc_handler handler;
};
int lc_site_cached(struct lc_req *req, struct lc_resp *resp);
/* A row of a route group for a cached route: public GET, handler behind the page cache. */
#define LC_SITE_CACHED(pattern, handler, params)                                                   \
	{                                                                                          \
		LC_HTTP_GET, pattern, lc_site_cached, params, 0, 0,                                \
		    &(const struct lc_site_cacheable)                                              \
		{                                                                                  \
			handler                                                                    \
		}                                                                                  \
	}

/*
 * Access rules of a route, in struct lc_route.flags, applied by the before
 * hook (auth.c) before the handler runs. The permission decision itself is
 * lc_authz_check's: the hook only pre-checks the route's action so that a
 * refused request gets a 403 page (or the login page) instead of a form, and
 * the domain functions the handler calls check again on the object.
 * Every method other than GET/HEAD is state-changing: a request that carries
 * a session cookie must then prove it with the CSRF token (form field "csrf",
 * which such a route declares, or the X-CSRF-Token header); Bearer requests
 * carry no ambient authority and are exempt.
 */
enum {
	LC_ROUTE_LOGIN = 1u << 0, /* anonymous: page -> 303 /login?next=..., API -> 401 */
};
/* The authz action a route performs, stored in flags bits 8..15. */
#define LC_ROUTE_ACTION(a) ((((unsigned)(a)) + 1u) << 8)
/* The action of a route's flags, or -1 when it declares none (public route). */
int lc_route_action(unsigned flags);

/* Who is calling, as the before hook found out; req->user points to it. */
struct lc_web_user {
	struct lc_actor actor;     /* anonymous unless a session or a token says otherwise */
	bool has_session;          /* a live cookie session (session is valid) */
	struct lc_session session; /* csrf: the token forms carry */
	bool bearer;               /* authenticated by a personal access token */
	const char *cookie;        /* the session cookie value (arena), or NULL; never logged */
	bool identified;           /* the head was read for credentials (once per request) */
	bool stale_cookie;         /* the cookie named an ended session: delete it */
};

/* The page and per_page query parameters of every paginated list (lc_site_pager). */
#define LC_PAGE_PARAMS                                                                             \
	{.name = "page",                                                                           \
	 .source = LC_PARAM_QUERY,                                                                 \
	 .type = LC_PARAM_INT,                                                                     \
	 .min = 1,                                                                                 \
	 .max = LC_LIMIT_PAGE,                                                                     \
	 .dflt = "1"},                                                                             \
	{                                                                                          \
		.name = "per_page", .source = LC_PARAM_QUERY, .type = LC_PARAM_INT, .min = 1,      \
		.max = LC_LIMIT_PER_PAGE, .dflt = "20"                                             \
	}

/* The form parameter every state-changing form route declares: the CSRF token. */
#define LC_CSRF_PARAM                                                                              \
	{                                                                                          \
		.name = "csrf", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 64    \
	}

/*
 * Borrows a database connection for this request from the application's
 * pool; give it back with lc_site_db_release. 0 or the pool's error.
 */
int lc_site_db(struct lc_req *req, struct lc_db **db);
void lc_site_db_release(struct lc_req *req, struct lc_db *db);
/*
 * As lc_site_db, inside a read snapshot (lc_db_begin_read): the page's
 * queries see one state and SQLite locks once. For read-only handlers;
 * end with lc_site_db_read_end, which ends the snapshot and gives the
 * connection back (NULL allowed).
 */
int lc_site_db_read(struct lc_req *req, struct lc_db **db);
void lc_site_db_read_end(struct lc_req *req, struct lc_db *db);

/*
 * Renders page template tpl with the view-model vm (borrowed) as its root
 * context and, as globals, what every page shares (catalogue t, lang, dir,
 * title, the active navigation entry nav, language links, version) merged
 * with extra (borrowed; may be NULL: form state, pagination). Before
 * rendering, vm is decorated in place for presentation (see site.c):
 * labels for provenance, status and direction values, has_<array> flags and
 * name lists. Returns 0 or an LC_E code.
 */
int lc_site_page(struct lc_req *req, struct lc_resp *resp, const char *tpl, const char *title,
                 const char *nav, json_t *vm, json_t *extra);
/* A domain read function: a view-model for a language. */
typedef int (*lc_site_loader)(struct lc_db *db, const char *lang, json_t **out);
/*
 * Calls loader on a connection borrowed for the call; when wrap is not NULL
 * the result becomes {wrap: result}, so that collections are objects the
 * API can extend. Caller owns *vm. 0 or the loader's error.
 */
int lc_site_load(struct lc_req *req, lc_site_loader loader, const char *wrap, json_t **vm);

/*
 * A view: a read-only route that shows one view-model, as a page and as its
 * JSON twin under /api/v1. One row of a route group (LC_SITE_VIEW) declares
 * both paths; the handler lc_site_view answers either from this description:
 *  1. loads the view-model inside one read snapshot, by load (which reads the
 *     request's declared parameters) or, for a view that needs none, by the
 *     domain function list (wrapped as {wrap: result} when wrap is set);
 *  2. on the API path answers it as JSON, as it is;
 *  3. on the page path lets dress add what only people need (charts, form
 *     state, pagination, rounded numbers, the caller's actions) to the
 *     view-model and to extra, on the same connection once the snapshot has
 *     ended (a page may create what it shows on first look; a second
 *     connection could wait forever on a busy pool), then renders template tpl titled with the
 * catalogue message title_key (or the "title" dress puts in extra) under navigation entry nav.
 * LC_ENOTFOUND answers 404 and LC_EINVAL with problems in d answers 400 with
 * them, both in the reader's language; other errors as the router says. The
 * roles are the row's flags, checked by the before hook, and again by the
 * domain functions load calls. cached sends anonymous answers through the
 * page cache (lc_site_cached).
 */
struct lc_site_view {
	int (*load)(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d);
	lc_site_loader list;
	const char *wrap;
	const char *tpl;
	const char *title_key;
	const char *nav;
	int (*dress)(struct lc_req *req, struct lc_db *db, json_t *vm, json_t *extra);
	bool cached;
};
/* The handler of every view row (the row's data is its struct lc_site_view). */
int lc_site_view(struct lc_req *req, struct lc_resp *resp);
/* The two rows of a view: the page at page_pattern and its JSON twin at api_pattern. */
#define LC_SITE_VIEW_AT(page_pattern, api_pattern, view, params, flags)                            \
	{LC_HTTP_GET, page_pattern, lc_site_view, params, 0, flags, view},                         \
	{                                                                                          \
		LC_HTTP_GET, api_pattern, lc_site_view, params, 0, flags, view                     \
	}
/* The usual case: the twin is the page's path under /api/v1. */
#define LC_SITE_VIEW(pattern, view, params, flags)                                                 \
	LC_SITE_VIEW_AT(pattern, "/api/v1" pattern, view, params, flags)

/*
 * Rounds every real number of a view-model, in place, to the given number of
 * decimals: for pages that show scores to people, after anything that needs
 * the exact values (charts) has used them. The JSON API keeps full precision.
 */
void lc_site_round_reals(json_t *vm, int decimals);
/*
 * What a page adds to its view-model, in place, for a reader: a translated
 * "<key>_label" beside every "provenance", "status" and "direction" code,
 * "has_X" for every non-empty array X (lc_site_page does this to every page;
 * downloads do it to their rows).
 */
void lc_site_decorate(const struct lc_req *req, json_t *v);
/*
 * Pagination for a page of a list view-model ({"page", "pages", "per_page",
 * "total"}): {from, to, total, prev_href, next_href, links: [{n, href, current}
 * or {gap}]}, links keeping the request's other query parameters (the
 * "pager" partial draws it). Caller owns the result.
 */
json_t *lc_site_pager(struct lc_req *req, const json_t *list);

/*
 * The problems of d as a JSON array for API answers (new reference):
 * [{"field": "motivation" | null, "message": "...", "code": "err_..." | null,
 *   "args": {"limit": 200, ...}}], each with "row" and "column" first when
 * with_place (file imports). The message is said in the request's language
 * from the code and its arguments; code is null for a text the catalogues
 * do not hold (a library's message), said as it is.
 */
json_t *lc_site_problems(const struct lc_req *req, const struct lc_diag *d, bool with_place);
/* The entry said in the request's language (in the request's arena; never NULL). */
const char *lc_site_problem(const struct lc_req *req, const struct lc_diag_entry *e);
/* The same for a problem held in a view-model as {"code", "args", "message"} (as lc_site_problems).
 */
const char *lc_site_problem_json(const struct lc_req *req, const json_t *p);
/*
 * Answers a refused API request: status, and the body
 * {"error": {"status": 422, "message": message}, "problems": [...]}
 * (lc_site_problems without places). Returns what lc_resp_json returns.
 */
/*
 * Reads the body of a workflow step, {"to": STATE, "reason": TEXT | null}:
 * 0 with *body (caller frees with json_decref) and *to, *reason (may be
 * NULL) borrowed from it; 1 when it answered 400 (nothing to free).
 */
int lc_site_read_step(struct lc_req *req, struct lc_resp *resp, json_t **body, const char **to,
                      const char **reason);
int lc_site_refusal(const struct lc_req *req, struct lc_resp *resp, int status, const char *message,
                    const struct lc_diag *d);
/*
 * A decimal number written as text ("22.7", as a value was entered) with the
 * request's decimal mark ("22,7" in French), in the request's arena; any
 * other text as it is. Reals of a view-model need none of this: pages print
 * them with the mark (text/template.h).
 */
const char *lc_site_decimal(const struct lc_req *req, const char *text);
/* The catalogue message key in the request's language (never NULL). */
const char *lc_site_t(const struct lc_req *req, const char *key);
/*
 * The current path with its query, where the query pair named key is set to
 * value (or removed when value is NULL) and "lang" is always removed; in the
 * request's arena. For language links and pagination.
 */
const char *lc_site_url_with(struct lc_req *req, const char *key, const char *value);

/* The API's description, docs/openapi.yaml as JSON (openapi.c). */
/* Router options: the error page of site.c (the caller fills in i18n and the hooks). */
void lc_site_router_opts(struct lc_router_opts *opts);

/*
 * Answers a refused API request with its problems (lc_site_refusal): 422 for
 * LC_EINVAL, 413 LC_ELIMIT, 429 LC_EBUSY, else the error's status; the
 * message is the first problem in the reader's language.
 */
int lc_site_refuse(const struct lc_req *req, struct lc_resp *resp, int err,
                   const struct lc_diag *d);
/* {field: sentence} of d for a page's form ("form" for a problem without a field); new reference.
 */
json_t *lc_site_field_errors(const struct lc_req *req, const struct lc_diag *d);
/*
 * The path's {id}: declared as an integer, or undeclared (a string, read
 * here: a positive decimal, else -1); 0 when absent.
 */
int64_t lc_site_path_id(const struct lc_req *req);
/* s as a decimal number; 0 when s is NULL or empty, bad when it is not a number. */
long lc_site_number(const char *s, long bad);

#endif
