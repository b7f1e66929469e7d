/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Signing up: a city's coordinator-to-be gives a name, an e-mail address
 * and a password (/signup), and the link sent by e-mail confirms the address
 * and opens the account (/signup/verify). The account rules (password
 * strength, throttling, the one-time link) are domain/account.h's.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/account.h"
#include "domain/workflow/application.h"
#include "domain/workflow/call.h"
#include "domain/directory/country.h"
#include "domain/accounts/onetime.h"
#include "domain/accounts/session.h"
#include "web/http.h"
#include "web/multipart.h"

/* ---- sign-up --------------------------------------------------------------------------------- */

static const struct lc_param_spec signup_params[] = {
    {.name = "email", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 320},
    {.name = "name", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 400},
    {.name = "password", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 1024},
    {.name = "password2", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 1024},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec signup_verify_params[] = {
    {.name = "token",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .required = true,
     .max_len = LC_ONETIME_CHARS},
    {.name = "password", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 1024},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* The sign-up form; sent: the page saying where the confirmation link went. */
static int signup_page(struct lc_req *req, struct lc_resp *resp, int status, json_t *errors,
                       bool sent)
{
	json_t *vm = json_pack("{s:s,s:s,s:o,s:b}", "email",
	                       lc_req_str(req, "email") ? lc_req_str(req, "email") : "", "name",
	                       lc_req_str(req, "name") ? lc_req_str(req, "name") : "", "errors",
	                       errors ? errors : json_object(), "sent", sent);
	int err =
	    lc_site_page(req, resp, "signup", lc_site_t(req, "signup_title"), "signup", vm, NULL);
	json_decref(vm);
	resp->status = status;
	return err;
}

static int route_signup_form(struct lc_req *req, struct lc_resp *resp)
{
	if (lc_auth_user(req)->actor.kind == LC_ACTOR_ACCOUNT)
		return lc_resp_redirect(resp, "/apply");
	return signup_page(req, resp, 200, NULL, false);
}

static int route_signup(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	/* Someone logged in signs up no second account by accident. */
	if (u->actor.kind == LC_ACTOR_ACCOUNT)
		return lc_resp_redirect(resp, "/apply");
	const char *pw = lc_req_str(req, "password"), *pw2 = lc_req_str(req, "password2");
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int err = 0;
	if (pw && pw2 && strcmp(pw, pw2) != 0) {
		json_t *e = json_object();
		json_object_set_new(e, "password2",
		                    json_string(lc_site_t(req, "passwords_differ")));
		err = signup_page(req, resp, 422, e, false);
		goto out;
	}
	struct lc_account_new in = {.email =
	                                lc_req_str(req, "email") ? lc_req_str(req, "email") : "",
	                            .name = lc_req_str(req, "name") ? lc_req_str(req, "name") : "",
	                            .lang = req->lang,
	                            .password = pw ? pw : ""};
	int64_t id = 0;
	long wait = 0;
	err = lc_site_db(req, &db);
	if (!err)
		err =
		    lc_account_signup(db, &u->actor, &in, req->remote_addr,
		                      ((const struct lc_app *)req->app)->base_url, &d, &id, &wait);
	if (err == LC_EBUSY) {
		char s[24];
		snprintf(s, sizeof s, "%ld", wait > 0 ? wait : 1);
		lc_resp_header(resp, "Retry-After", s);
		json_t *e = json_object();
		json_object_set_new(e, "form", json_string(lc_site_t(req, "signup_throttled")));
		err = signup_page(req, resp, 429, e, false);
		goto out;
	}
	if (err == LC_EINVAL || err == LC_ECONFLICT) {
		err = signup_page(req, resp, 422, lc_site_field_errors(req, &d), false);
		goto out;
	}
	/* Not logged in yet: the address must be confirmed first, by the e-mailed link. */
	if (!err)
		err = signup_page(req, resp, 200, NULL, true);
out:
	lc_site_db_release(req, db);
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* The confirmation form of a sign-up link, or 404 when the link no longer works. */
static int verify_page(struct lc_req *req, struct lc_resp *resp, int status, json_t *errors)
{
	const char *token = lc_req_str(req, "token");
	struct lc_account acc;
	int err = lc_auth_link_account(req, resp, LC_ONETIME_INVITE, &acc);
	if (err)
		return err > 0 ? 0 : err;
	json_t *vm = json_pack("{s:s,s:s,s:o}", "email", acc.email, "token", token, "errors",
	                       errors ? json_incref(errors) : json_object());
	err = lc_site_page(req, resp, "signup_verify", lc_site_t(req, "signup_verify_title"),
	                   "signup", vm, NULL);
	json_decref(vm);
	resp->status = status;
	return err;
}

static int route_signup_verify_form(struct lc_req *req, struct lc_resp *resp)
{
	return verify_page(req, resp, 200, NULL);
}

static int route_signup_verify(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int64_t id = 0;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_account_confirm_signup(db, lc_req_str(req, "token"),
		                                lc_req_str(req, "password"), &d, &id);
	if (err == LC_EINVAL) {
		lc_site_db_release(req, db);
		db = NULL;
		json_t *e = json_object();
		json_object_set_new(e, "password",
		                    json_string(lc_site_t(req, "signup_verify_wrong_password")));
		err = verify_page(req, resp, 422, e);
		json_decref(e);
		goto out;
	}
	if (err == LC_EAUTH) {
		lc_resp_error(resp, 404, "%s", lc_site_t(req, "link_invalid"));
		err = 0;
		goto out;
	}
	if (err)
		goto out;
	/* Confirmed is logged in (the password was just given): the next step is the application.
	 * A session of this browser for another account ends with the new login. */
	struct lc_web_user *u = lc_auth_user(req);
	if (u->has_session)
		lc_session_logout(db, u->cookie);
	char cookie[LC_SESSION_ID_CHARS + 1];
	struct lc_session s;
	err = lc_session_create(db, id, req->remote_addr ? req->remote_addr : "",
	                        lc_req_header(req, "User-Agent"), cookie, &s);
	if (!err)
		err = lc_resp_set_cookie(resp, LC_SESSION_COOKIE, cookie,
		                         LC_LIMIT_SESSION_ABSOLUTE_S, 0);
	memset(cookie, 0, sizeof cookie);
	if (!err)
		err = lc_resp_redirect(resp, "/apply");
out:
	lc_site_db_release(req, db);
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* The signup link's token: in the query (GET) or the form (POST), never in the path. */
static const struct lc_param_spec verify_link_params[] = {
    {.name = "token",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .required = true,
     .max_len = LC_ONETIME_CHARS},
    {.name = NULL},
};

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/signup", route_signup_form, signup_params, 0, A(LOGIN), NULL},
    {LC_HTTP_POST, "/signup", route_signup, signup_params, 0, A(LOGIN), NULL},
    {LC_HTTP_GET, "/signup/verify", route_signup_verify_form, verify_link_params, 0, A(LOGIN),
     NULL},
    {LC_HTTP_POST, "/signup/verify", route_signup_verify, signup_verify_params, 0, A(LOGIN), NULL},
};

#undef A

LC_ROUTE_GROUP(signup, rows);
