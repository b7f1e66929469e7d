/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The pages and the JSON API. Each file of web/routes/ serves one domain
 * both ways: a page renders the domain's view-model (a json_t from domain/)
 * through a template, and /api/v1/... serves the same json_t as JSON.
 * site.c holds the route table, the application context and what every page
 * shares (layout globals, language links, error pages, decoration).
 */
#ifndef LC_ROUTES_H
#define LC_ROUTES_H

#include <stddef.h>

#include <jansson.h>

#include "web/router.h"

struct lc_db;
struct lc_db_pool;
struct lc_req;
struct lc_resp;
struct lc_tpl_set;
struct lc_i18n;
struct lc_pagecache;

/* What every handler reaches through req->app. Borrowed by the server. */
struct lc_app {
	struct lc_db_pool *pool;
	const struct lc_tpl_set *templates;
	const struct lc_i18n *i18n;
	struct lc_pagecache *cache; /* anonymous responses; NULL: no caching */
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

/* The route table (static) and its length. */
const struct lc_route *lc_routes_table(size_t *n);
/* Router options: the error page hook (the caller fills in i18n). */
void lc_routes_opts(struct lc_router_opts *opts);

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
 * The whole of a read-only route: loads the view-model as lc_site_load, then
 * answers it as JSON when tpl is NULL, else as page tpl titled with the
 * catalogue message title_key and with navigation entry nav.
 */
int lc_site_serve(struct lc_req *req, struct lc_resp *resp, lc_site_loader loader, const char *wrap,
                  const char *tpl, const char *title_key, const char *nav);
/* The catalogue message key in the request's language (never NULL). */
const char *lc_site_t(const struct lc_req *req, const char *key);
/*
 * The current path with its query, where the query pair named key is set to
 * value (or removed when value is NULL) and "lang" is always removed; in the
 * request's arena. For language links and pagination.
 */
const char *lc_site_url_with(struct lc_req *req, const char *key, const char *value);

/* Handlers, by file. */
int lc_route_home(struct lc_req *req, struct lc_resp *resp);            /* network.c */
int lc_route_api_health(struct lc_req *req, struct lc_resp *resp);      /* network.c */
int lc_route_api_network(struct lc_req *req, struct lc_resp *resp);     /* network.c */
int lc_route_cities(struct lc_req *req, struct lc_resp *resp);          /* city.c */
int lc_route_api_cities(struct lc_req *req, struct lc_resp *resp);      /* city.c */
int lc_route_city(struct lc_req *req, struct lc_resp *resp);            /* city.c */
int lc_route_api_city(struct lc_req *req, struct lc_resp *resp);        /* city.c */
int lc_route_awards(struct lc_req *req, struct lc_resp *resp);          /* award.c */
int lc_route_api_awards(struct lc_req *req, struct lc_resp *resp);      /* award.c */
int lc_route_conferences(struct lc_req *req, struct lc_resp *resp);     /* conference.c */
int lc_route_api_conferences(struct lc_req *req, struct lc_resp *resp); /* conference.c */
int lc_route_framework(struct lc_req *req, struct lc_resp *resp);       /* framework.c */
int lc_route_api_framework(struct lc_req *req, struct lc_resp *resp);   /* framework.c */

/* The declared parameters of the directory list, page and API alike (city.c). */
extern const struct lc_param_spec lc_city_list_params[];

#endif
