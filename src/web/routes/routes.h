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

/*
 * The router's before hook: identifies the caller (Bearer token, else session
 * cookie), checks CSRF on state-changing requests, applies the route's flags
 * and pre-checks its action. See router.h for the return convention.
 */
int lc_auth_before(struct lc_req *req, struct lc_resp *resp);
/*
 * The router's head hook: the same identification and route rules (login
 * flag, action pre-check) from the request head alone, before the server
 * reads a body, so that an upload by someone the route refuses is never
 * buffered. CSRF needs the body and is left to lc_auth_before.
 */
int lc_auth_head(struct lc_req *req, struct lc_resp *resp);
/* The caller of a request (never NULL once the hook ran; anonymous before). */
struct lc_web_user *lc_auth_user(struct lc_req *req);
/* What the layout shows of the caller: {"me": {...} | absent, "csrf": "..." | absent}. */
json_t *lc_auth_globals(struct lc_req *req);
/*
 * Answers a domain error for a request: LC_EAUTH on a page -> 303 to the login
 * page, LC_EBUSY -> 429; others as the router maps them. Returns what the
 * handler should return.
 */
int lc_auth_fail(struct lc_req *req, struct lc_resp *resp, int err);
/*
 * True when next (the "next" parameter of the login page, outside input) is a
 * path of this site: "/x", never "//host", "/\\host", nor with control
 * characters or backslashes, so that a login never redirects elsewhere.
 */
bool lc_auth_safe_next(const char *next);
/*
 * True when an Origin header ("https://host[:port]") names the Host header's
 * site. "null", a missing scheme or an empty host are false.
 */
bool lc_auth_same_origin(const char *origin, const char *host);
/*
 * For pages only: rewrites, in place, every string member named "at" or
 * ending in "_at" that holds an ISO time "YYYY-MM-DDTHH:MM:SSZ" as
 * "YYYY-MM-DD HH:MM" (UTC); the API keeps the ISO form.
 */
void lc_auth_human_times(json_t *v);
/* The page and per_page query parameters of every paginated list (lc_site_pager). */
#define LC_PAGE_PARAMS                                                                             \
	{.name = "page",                                                                           \
	 .source = LC_PARAM_QUERY,                                                                 \
	 .type = LC_PARAM_INT,                                                                     \
	 .min = 1,                                                                                 \
	 .max = 1000000,                                                                           \
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
/*
 * Rounds every real number of a view-model, in place, to the given number of
 * decimals: for pages that show scores to people, after anything that needs
 * the exact values (charts) has used them. The JSON API keeps full precision.
 */
void lc_site_round_reals(json_t *vm, int decimals);
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
/* The catalogue message key in the request's language (never NULL). */
const char *lc_site_t(const struct lc_req *req, const char *key);
/*
 * The current path with its query, where the query pair named key is set to
 * value (or removed when value is NULL) and "lang" is always removed; in the
 * request's arena. For language links and pagination.
 */
const char *lc_site_url_with(struct lc_req *req, const char *key, const char *value);

/* The API's description, docs/openapi.yaml as JSON (openapi.c). */
int lc_route_api_openapi(struct lc_req *req, struct lc_resp *resp);

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
/* Framework versions: API (import, export, publish) and admin pages (framework.c). */
int lc_route_api_framework_versions(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_framework_version(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_framework_import(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_framework_publish(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_framework(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_framework_draft(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_framework_import(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_framework_version(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_framework_measurement(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_framework_measurement_new(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_framework_measurement_save(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_framework_measurement_add(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_framework_remove_form(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_framework_remove(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_framework_publish_form(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_framework_publish(struct lc_req *req, struct lc_resp *resp);
extern const struct lc_param_spec lc_framework_params[], lc_framework_versions_params[],
    lc_framework_import_params[], lc_framework_version_params[], lc_framework_publish_params[],
    lc_framework_api_publish_params[], lc_framework_draft_params[],
    lc_framework_measurement_params[], lc_framework_measurement_new_params[],
    lc_framework_measurement_remove_params[], lc_framework_import_form_params[];

/* Accounts and sessions (auth.c). */
int lc_route_login_form(struct lc_req *req, struct lc_resp *resp);
int lc_route_login(struct lc_req *req, struct lc_resp *resp);
int lc_route_logout(struct lc_req *req, struct lc_resp *resp);
int lc_route_invitation_form(struct lc_req *req, struct lc_resp *resp);
int lc_route_invitation(struct lc_req *req, struct lc_resp *resp);
int lc_route_forgot_form(struct lc_req *req, struct lc_resp *resp);
int lc_route_forgot(struct lc_req *req, struct lc_resp *resp);
int lc_route_reset_form(struct lc_req *req, struct lc_resp *resp);
int lc_route_reset(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_login(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_logout(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_me(struct lc_req *req, struct lc_resp *resp);
extern const struct lc_param_spec lc_login_params[], lc_logout_params[], lc_invitation_params[],
    lc_forgot_params[], lc_reset_params[], lc_login_form_params[], lc_link_params[];
/* The account page (account.c). */
int lc_route_account(struct lc_req *req, struct lc_resp *resp);
int lc_route_account_profile(struct lc_req *req, struct lc_resp *resp);
int lc_route_account_password(struct lc_req *req, struct lc_resp *resp);
int lc_route_account_token_new(struct lc_req *req, struct lc_resp *resp);
int lc_route_account_token_revoke(struct lc_req *req, struct lc_resp *resp);
int lc_route_account_logout_all(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_token_new(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_token_revoke(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_tokens(struct lc_req *req, struct lc_resp *resp);
extern const struct lc_param_spec lc_account_params[], lc_account_profile_params[],
    lc_account_password_params[], lc_account_token_params[], lc_csrf_only_params[],
    lc_token_id_params[];
/* The administration (admin.c). */
int lc_route_admin(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_users(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_invite(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_user(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_disable_form(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_disable(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_enable(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_grant(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_revoke(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_audit(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_audit(struct lc_req *req, struct lc_resp *resp);
/* Index runs and background jobs (monitoring_runs.c). */
extern const struct lc_param_spec lc_index_runs_params[];
extern const struct lc_param_spec lc_job_id_params[];
int lc_route_api_index_run_new(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_index_runs(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_index_run(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_index_spec_new(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_job(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_job_cancel(struct lc_req *req, struct lc_resp *resp);
/* Their pages: the list and start form, a job's progress (monitoring_runs.c). */
int lc_route_admin_index_runs(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_index_run_new(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_job(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_job_cancel(struct lc_req *req, struct lc_resp *resp);
extern const struct lc_param_spec lc_admin_index_runs_params[], lc_admin_job_params[];
/* The review of reporting years: queue, confirmations, steps (monitoring_review.c). */
int lc_route_admin_review(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_review(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_review_step(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_review_approve(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_review_return(struct lc_req *req, struct lc_resp *resp);
int lc_route_data_submit_confirm(struct lc_req *req, struct lc_resp *resp);
extern const struct lc_param_spec lc_review_queue_params[], lc_review_step_params[];
/*
 * Sets vm["city_name"] (the city's name in the request's language, else its
 * slug) and, when area is not NULL, vm["area_title"] (the area of focus's
 * title, when the current framework has it), reading through db: for the
 * headings of the data-entry pages.
 */
void lc_review_names(struct lc_req *req, struct lc_db *db, const char *slug, const char *area,
                     json_t *vm);
int lc_route_admin_outbox(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_outbox_retry(struct lc_req *req, struct lc_resp *resp);
extern const struct lc_param_spec lc_admin_users_params[], lc_admin_invite_params[],
    lc_admin_user_params[], lc_admin_reason_params[], lc_admin_role_params[],
    lc_admin_audit_params[], lc_admin_outbox_params[], lc_admin_outbox_retry_params[];

/* Monitoring pages (monitoring_pages.c): a city's profile and the network dashboard. */
int lc_route_city_monitoring(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_city_monitoring(struct lc_req *req, struct lc_resp *resp);
int lc_route_monitoring(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_monitoring(struct lc_req *req, struct lc_resp *resp);
extern const struct lc_param_spec lc_monitoring_params[];
/* Monitoring data entry (monitoring_entry.c): PUT and GET of a city's observations. */
int lc_route_api_obs_put(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_obs_get(struct lc_req *req, struct lc_resp *resp);
extern const struct lc_param_spec lc_obs_api_params[];
/* Exports of approved observations, ?year=Y (required) [&city=slug] (monitoring_entry.c). */
int lc_route_api_obs_export_csv(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_obs_export_json(struct lc_req *req, struct lc_resp *resp);
int lc_route_export_coinr_idata(struct lc_req *req, struct lc_resp *resp);
int lc_route_export_coinr_imeta(struct lc_req *req, struct lc_resp *resp);
extern const struct lc_param_spec lc_obs_export_params[];
/* Review of a city's year through the API (monitoring_entry.c). */
int lc_route_api_year_submit(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_year_return(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_year_approve(struct lc_req *req, struct lc_resp *resp);
extern const struct lc_param_spec lc_obs_year_params[];
/* The entry form of one area of focus of a city's year (monitoring_entry.c). */
int lc_route_data_area(struct lc_req *req, struct lc_resp *resp);
/* The overview of a city's year: status, comment, the areas with completeness. */
int lc_route_data_year(struct lc_req *req, struct lc_resp *resp);
/* The coordinator's submit button of that page. */
int lc_route_data_submit(struct lc_req *req, struct lc_resp *resp);
extern const struct lc_param_spec lc_data_year_params[];
int lc_route_data_area_save(struct lc_req *req, struct lc_resp *resp);
extern const struct lc_param_spec lc_data_area_params[];
/* Offline entry (monitoring_entry.c): a city-year's template, and its upload (multipart). */
int lc_route_data_template_xlsx(struct lc_req *req, struct lc_resp *resp);
int lc_route_data_template_csv(struct lc_req *req, struct lc_resp *resp);
int lc_route_data_upload(struct lc_req *req, struct lc_resp *resp);
/* GET of the upload's address (a reload, a language switch): a redirect to the year page. */
int lc_route_data_upload_get(struct lc_req *req, struct lc_resp *resp);
extern const struct lc_param_spec lc_data_upload_params[];
/* Approved observations as a workbook, same parameters as the CSV export. */
int lc_route_export_obs_xlsx(struct lc_req *req, struct lc_resp *resp);
/* The latest index run of ?year= as a workbook of scores and rank intervals. */
int lc_route_export_scores_xlsx(struct lc_req *req, struct lc_resp *resp);

/* Progress reports and membership overrides (reports.c). */
int lc_route_api_reports(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_report_cohort(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_report(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_report_put(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_report_step(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_membership_step(struct lc_req *req, struct lc_resp *resp);
int lc_route_report(struct lc_req *req, struct lc_resp *resp);
int lc_route_report_save(struct lc_req *req, struct lc_resp *resp);
int lc_route_report_step(struct lc_req *req, struct lc_resp *resp);
int lc_route_city_reports(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_reports(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_cohorts(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_cohort_open(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_pipeline(struct lc_req *req, struct lc_resp *resp);
int lc_route_membership_step(struct lc_req *req, struct lc_resp *resp);
int lc_route_membership_item(struct lc_req *req, struct lc_resp *resp);
/* monitoring_versions.c: every version of one value, paged. */
extern const struct lc_param_spec lc_obs_versions_api_params[], lc_obs_versions_page_params[];
int lc_route_obs_versions(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_obs_versions(struct lc_req *req, struct lc_resp *resp);

/* workflow.c: the paged history of a case of any process. */
struct lc_wf_process;
struct lc_wf_history_route {
	const struct lc_wf_process *process;
	const char *step_prefix;  /* catalogue prefix of its steps: "report_step_" */
	const char *state_prefix; /* catalogue prefix of its states: "wf_state_" */
};
extern const struct lc_wf_history_route lc_wf_history_reports, lc_wf_history_applications;
extern const struct lc_param_spec lc_wf_history_params[];
int lc_route_wf_history(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_wf_history(struct lc_req *req, struct lc_resp *resp);

extern const struct lc_param_spec lc_reports_list_params[], lc_report_id_params[],
    lc_report_page_params[], lc_report_step_params[], lc_report_cohort_params[],
    lc_membership_step_params[], lc_membership_item_params[];
/*
 * For the city page of slug: {"reports_link": true} for who may file its
 * reports, and for the secretariat "membership_admin": {state, state_label,
 * steps: [{to, name, label}], has_steps}; NULL when there is nothing for
 * the caller. Caller owns the result.
 */
json_t *lc_reports_city_extra(struct lc_req *req, const char *slug);

/* The declared parameters of the directory list, page and API alike (city.c). */
extern const struct lc_param_spec lc_city_list_params[];

/* Membership applications, calls and sign-up (applications.c). */
int lc_route_signup_form(struct lc_req *req, struct lc_resp *resp);
int lc_route_signup(struct lc_req *req, struct lc_resp *resp);
int lc_route_signup_verify_form(struct lc_req *req, struct lc_resp *resp);
int lc_route_signup_verify(struct lc_req *req, struct lc_resp *resp);
int lc_route_apply_form(struct lc_req *req, struct lc_resp *resp);
int lc_route_apply(struct lc_req *req, struct lc_resp *resp);
int lc_route_application(struct lc_req *req, struct lc_resp *resp);
int lc_route_application_save(struct lc_req *req, struct lc_resp *resp);
int lc_route_application_step(struct lc_req *req, struct lc_resp *resp);
int lc_route_application_pledge(struct lc_req *req, struct lc_resp *resp);
int lc_route_pledge_download(struct lc_req *req, struct lc_resp *resp);
int lc_route_applications_mine(struct lc_req *req, struct lc_resp *resp);
int lc_route_applications_natcom(struct lc_req *req, struct lc_resp *resp);
int lc_route_applications_expert(struct lc_req *req, struct lc_resp *resp);
int lc_route_applications_admin(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_calls(struct lc_req *req, struct lc_resp *resp);
int lc_route_admin_call_save(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_calls(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_call_save(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_applications(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_application(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_application_new(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_application_put(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_application_step(struct lc_req *req, struct lc_resp *resp);
int lc_route_api_pledge_put(struct lc_req *req, struct lc_resp *resp);
extern const struct lc_param_spec lc_calls_params[], lc_signup_params[], lc_signup_verify_params[],
    lc_apply_params[], lc_application_params[], lc_pledge_params[], lc_applications_params[];

#endif
