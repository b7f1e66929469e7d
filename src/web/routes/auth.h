/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Who is calling: the router's hooks that identify the caller (Bearer
 * token, else session cookie), check CSRF on state-changing requests and
 * apply a route row's access flags (site.h), and the helpers handlers use
 * to answer a domain's refusal. Below the route groups, above the page
 * toolkit (site.h); it serves no route itself (login.c does the doors).
 */
#ifndef LC_AUTH_H
#define LC_AUTH_H

#include <stdbool.h>

#include <jansson.h>

#include "domain/accounts/onetime.h"
#include "web/routes/site.h"

struct lc_account;
struct lc_req;
struct lc_resp;

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
/*
 * Answers a domain error for a request: LC_EAUTH on a page -> 303 to the login
 * page, LC_EBUSY -> 429; others as the router maps them. Returns what the
 * handler should return.
 */
int lc_auth_fail(struct lc_req *req, struct lc_resp *resp, int err);
/*
 * Answers a domain error for an API request: LC_EINVAL 422, LC_ELIMIT 413 and
 * LC_ECONFLICT 409 with the problems of d (lc_site_refuse); the rest as
 * lc_auth_fail. Returns what the handler should return.
 */
int lc_auth_api_fail(struct lc_req *req, struct lc_resp *resp, int err, const struct lc_diag *d);
/* The caller's actor, for the domain's role checks (anonymous before login). */
const struct lc_actor *lc_auth_actor(struct lc_req *req);
/*
 * The notice an account page shows after a redirect with ?done=name
 * ("profile_saved", "invited", ...), in the request's language; NULL for a
 * name that has none.
 */
const char *lc_auth_done_text(const struct lc_req *req, const char *name);
/*
 * The account a one-time link of purpose names (the request's "token"
 * parameter), before the link is used, for the form that uses it: 0 with
 * *acc; 1 when the link no longer works (malformed, unknown, used, expired,
 * of another purpose), answered 404 with the catalogue's "link_invalid";
 * or a negative error (LC_EDB, LC_EBUSY) for the handler to return.
 */
int lc_auth_link_account(struct lc_req *req, struct lc_resp *resp, enum lc_onetime_purpose purpose,
                         struct lc_account *acc);
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

#endif
