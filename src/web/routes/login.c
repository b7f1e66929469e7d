/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The doors in and out: the login and logout page and API, /api/v1/me,
 * accepting an invitation and resetting a forgotten password.
 *
 * It owns no rule: sessions, throttling, tokens and passwords are
 * domain/'s, and the handlers only present what the domain answers.
 * Secrets (passwords, session ids, tokens) pass through here and are never
 * logged or echoed into a page.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/catalogue.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/log.h"
#include "db/db.h"
#include "domain/accounts/account.h"
#include "domain/accounts/authz.h"
#include "domain/accounts/onetime.h"
#include "domain/accounts/session.h"
#include "domain/accounts/token.h"
#include "web/http.h"
#include "web/i18n.h"
#include "web/router.h"
#include "web/static.h"

static const struct lc_param_spec login_form_params[] = {
    {.name = "next", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 512},
    {.name = "done",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_ENUM,
     .choices = (const char *const[]){"logged_out", "reset_sent", NULL}},
    {.name = NULL},
};

static const struct lc_param_spec login_params[] = {
    {.name = "email",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_EMAIL_BYTES},
    {.name = "password",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_PASSWORD_BYTES},
    {.name = "next", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 512},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec logout_params[] = {
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* The token of a one-time link: in the query (GET) or the form (POST), never in the path,
 * which the access log records. */
#define LC_LINK_TOKEN_PARAM                                                                        \
	{                                                                                          \
		.name = "token", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING,                 \
		.required = true, .max_len = LC_ONETIME_CHARS                                      \
	}

static const struct lc_param_spec link_params[] = {
    LC_LINK_TOKEN_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec invitation_params[] = {
    LC_LINK_TOKEN_PARAM,
    {.name = "name", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 512},
    {.name = "password",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_PASSWORD_BYTES},
    {.name = "password2",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_PASSWORD_BYTES},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec forgot_params[] = {
    {.name = "email", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 512},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec reset_params[] = {
    LC_LINK_TOKEN_PARAM,
    {.name = "password",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_PASSWORD_BYTES},
    {.name = "password2",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_PASSWORD_BYTES},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* A non-empty string parameter, or NULL. */
static const char *param(const struct lc_req *req, const char *name)
{
	const char *s = lc_req_str(req, name);
	return s && *s ? s : NULL;
}

/* Sets the session cookie (HttpOnly, SameSite=Lax, Secure when configured). */
static int set_session_cookie(struct lc_resp *resp, const char *value)
{
	return lc_resp_set_cookie(resp, LC_SESSION_COOKIE, value, LC_LIMIT_SESSION_ABSOLUTE_S, 0);
}

/* Adds "field": message to errors, for display next to the field. */
static void field_error(json_t *errors, const char *field, const char *message)
{
	if (!json_object_get(errors, field))
		json_object_set_new(errors, field, json_string(message));
}

/* Copies the diag's entries into errors by field ("form" when none), as sentences. */
static void diag_errors(const struct lc_req *req, json_t *errors, const struct lc_diag *d)
{
	for (size_t i = 0; i < d->count; i++)
		field_error(errors, d->items[i].field ? d->items[i].field : "form",
		            lc_site_problem(req, &d->items[i]));
}

/* ---- login and logout ---------------------------------------------------------------------- */

static int login_page(struct lc_req *req, struct lc_resp *resp, int status, const char *email,
                      const char *next, const char *error)
{
	json_t *vm = json_object();
	if (email)
		json_object_set_new(vm, "email", json_string(email));
	if (next && lc_auth_safe_next(next))
		json_object_set_new(vm, "next", json_string(next));
	if (error)
		json_object_set_new(vm, "error", json_string(error));
	const char *done =
	    req->method == LC_HTTP_GET ? lc_auth_done_text(req, param(req, "done")) : NULL;
	if (done)
		json_object_set_new(vm, "done", json_string(done));
	int err =
	    lc_site_page(req, resp, "login", lc_site_t(req, "login_title"), "login", vm, NULL);
	json_decref(vm);
	resp->status = status;
	return err;
}

static int route_login_form(struct lc_req *req, struct lc_resp *resp)
{
	return login_page(req, resp, 200, NULL, param(req, "next"), NULL);
}

/* Runs a login; fills res. On LC_EBUSY sets Retry-After on resp. */
static int do_login(struct lc_req *req, struct lc_resp *resp, const char *email,
                    const char *password, struct lc_login_result *res)
{
	memset(res, 0, sizeof *res);
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (err)
		return err;
	/* A new login replaces the session this browser had. */
	if (u->has_session)
		lc_session_logout(db, u->cookie);
	struct lc_login in = {
	    .email = email,
	    .password = password,
	    .addr = req->remote_addr ? req->remote_addr : "",
	    .user_agent = lc_req_header(req, "User-Agent"),
	};
	memset(res, 0, sizeof *res);
	err = lc_session_login(db, &in, res);
	lc_site_db_release(req, db);
	if (err == LC_EBUSY) {
		char s[24];
		snprintf(s, sizeof s, "%ld", res->retry_after > 0 ? res->retry_after : 1);
		lc_resp_header(resp, "Retry-After", s);
	}
	if (!err)
		err = set_session_cookie(resp, res->cookie);
	return err;
}

static int route_login(struct lc_req *req, struct lc_resp *resp)
{
	const char *email = param(req, "email");
	const char *password = param(req, "password");
	const char *next = param(req, "next");
	if (!email || !password)
		return login_page(req, resp, 422, email, next, lc_site_t(req, "login_missing"));
	struct lc_login_result res;
	int err = do_login(req, resp, email, password, &res);
	memset(&res.cookie, 0, sizeof res.cookie);
	if (err == LC_EAUTH)
		return login_page(
		    req, resp, 401, email, next,
		    lc_site_t(req, res.unconfirmed ? "login_unconfirmed" : "login_failed"));
	if (err == LC_EBUSY)
		return login_page(req, resp, 429, email, next, lc_site_t(req, "login_throttled"));
	if (err)
		return err;
	return lc_resp_redirect(resp, lc_auth_safe_next(next) ? next : "/home");
}

/* Ends this browser's session, if any, and deletes the cookie. */
static int end_session(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	int err = 0;
	if (u->has_session) {
		struct lc_db *db = NULL;
		err = lc_site_db(req, &db);
		if (!err)
			err = lc_session_logout(db, u->cookie);
		lc_site_db_release(req, db);
	}
	lc_resp_set_cookie(resp, LC_SESSION_COOKIE, "", 0, 0);
	return err;
}

static int route_logout(struct lc_req *req, struct lc_resp *resp)
{
	int err = end_session(req, resp);
	return err ? err : lc_resp_redirect(resp, "/login?done=logged_out");
}

/* The account as JSON for the API (caller decrefs), or NULL with *err. */
static json_t *me_json(struct lc_req *req, int64_t id, int *err)
{
	struct lc_db *db = NULL;
	json_t *j = NULL;
	*err = lc_site_db(req, &db);
	if (!*err)
		*err = lc_account_json(db, id, req->lang, &j);
	lc_site_db_release(req, db);
	return j;
}

static int route_api_login(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL;
	char msg[256];
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		return 0;
	}
	const char *email = json_string_value(json_object_get(body, "email"));
	const char *password = json_string_value(json_object_get(body, "password"));
	int err = 0;
	if (!email || !password || strlen(password) > LC_LIMIT_PASSWORD_BYTES ||
	    strlen(email) > LC_LIMIT_EMAIL_BYTES) {
		lc_resp_error(resp, 400, "%s", lc_site_t(req, "login_missing"));
		goto out;
	}
	struct lc_login_result res;
	err = do_login(req, resp, email, password, &res);
	memset(&res.cookie, 0, sizeof res.cookie);
	if (err == LC_EAUTH) {
		lc_resp_error(
		    resp, 401, "%s",
		    lc_site_t(req, res.unconfirmed ? "login_unconfirmed" : "login_failed"));
		err = 0;
		goto out;
	}
	if (err == LC_EBUSY) {
		lc_resp_error(resp, 429, "%s", lc_site_t(req, "login_throttled"));
		err = 0;
		goto out;
	}
	if (err)
		goto out;
	json_t *me = me_json(req, res.session.account_id, &err);
	if (err)
		goto out;
	json_t *answer = json_pack("{s:s,s:o}", "csrf_token", res.session.csrf, "me", me);
	err = lc_resp_json(resp, answer);
	json_decref(answer);
out:
	json_decref(body);
	return err;
}

static int route_api_logout(struct lc_req *req, struct lc_resp *resp)
{
	int err = end_session(req, resp);
	if (err)
		return err;
	json_t *j = json_pack("{s:b}", "logged_out", 1);
	err = lc_resp_json(resp, j);
	json_decref(j);
	return err;
}

static int route_api_me(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	int err;
	json_t *me = me_json(req, u->actor.account_id, &err);
	if (err)
		return lc_auth_fail(req, resp, err);
	json_object_set_new(me, "auth", json_string(u->bearer ? "token" : "session"));
	err = lc_resp_json(resp, me);
	json_decref(me);
	return err;
}

/* ---- invitations and password resets ------------------------------------------------------- */

/* The form of a one-time link, or a page saying it no longer works. */
static int onetime_page(struct lc_req *req, struct lc_resp *resp, enum lc_onetime_purpose purpose,
                        int status, json_t *errors, const char *name)
{
	const char *token = lc_req_str(req, "token");
	struct lc_account acc;
	int err = lc_auth_link_account(req, resp, purpose, &acc);
	if (err)
		return err > 0 ? 0 : err;
	bool invite = purpose == LC_ONETIME_INVITE;
	json_t *vm = json_pack("{s:s,s:s}", "email", acc.email, "name", name ? name : acc.name);
	json_object_set_new(vm, "action", json_string(invite ? "/invitations" : "/password/reset"));
	json_object_set_new(vm, "token", json_string(token));
	if (errors)
		json_object_set(vm, "errors", errors);
	err = lc_site_page(req, resp, invite ? "invitation" : "password_reset",
	                   lc_site_t(req, invite ? "invitation_title" : "reset_title"), NULL, vm,
	                   NULL);
	json_decref(vm);
	resp->status = status;
	return err;
}

static int route_invitation_form(struct lc_req *req, struct lc_resp *resp)
{
	return onetime_page(req, resp, LC_ONETIME_INVITE, 200, NULL, NULL);
}

static int route_reset_form(struct lc_req *req, struct lc_resp *resp)
{
	return onetime_page(req, resp, LC_ONETIME_RESET, 200, NULL, NULL);
}

/* Checks the two password fields; adds an error when they differ or are empty. */
static bool passwords_match(struct lc_req *req, json_t *errors)
{
	const char *a = lc_req_str(req, "password"), *b = lc_req_str(req, "password2");
	if (!a || !*a) {
		field_error(errors, "password", lc_site_t(req, "password_missing"));
		return false;
	}
	if (!b || strcmp(a, b) != 0) {
		field_error(errors, "password2", lc_site_t(req, "password_mismatch"));
		return false;
	}
	return true;
}

/* Accepts an invitation or a reset: the token is the credential, then a new session. */
static int use_link(struct lc_req *req, struct lc_resp *resp, enum lc_onetime_purpose purpose)
{
	bool invite = purpose == LC_ONETIME_INVITE;
	const char *token = lc_req_str(req, "token");
	const char *name = invite ? param(req, "name") : NULL;
	json_t *errors = json_object();
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int64_t id = 0;
	int err = 0;
	if (invite && !name)
		field_error(errors, "name", lc_site_t(req, "name_missing"));
	if (!passwords_match(req, errors) || json_object_size(errors)) {
		err = onetime_page(req, resp, purpose, 422, errors, name);
		goto out;
	}
	err = lc_site_db(req, &db);
	if (err)
		goto out;
	if (invite)
		err = lc_account_accept_invitation(db, token, lc_req_str(req, "password"), &d, &id);
	else
		err = lc_account_reset_password(db, token, lc_req_str(req, "password"), &d, &id);
	if (err == LC_EINVAL) {
		lc_site_db_release(req, db);
		db = NULL;
		diag_errors(req, errors, &d);
		err = onetime_page(req, resp, purpose, 422, errors, name);
		goto out;
	}
	if (err == LC_EAUTH) {
		lc_resp_error(resp, 404, "%s", lc_site_t(req, "link_invalid"));
		err = 0;
		goto out;
	}
	if (err)
		goto out;
	char cookie[LC_SESSION_ID_CHARS + 1];
	struct lc_session sess;
	err = lc_session_create(db, id, req->remote_addr ? req->remote_addr : "",
	                        lc_req_header(req, "User-Agent"), cookie, &sess);
	if (err)
		goto out;
	if (invite) {
		struct lc_actor actor;
		if (lc_actor_load(db, id, &actor) == 0) {
			snprintf(actor.addr, sizeof actor.addr, "%s",
			         req->remote_addr ? req->remote_addr : "");
			/* The name is a courtesy: a bad one leaves the invited name in place. */
			lc_diag_cleanup(&d);
			lc_diag_init(&d);
			lc_account_update(db, &actor, id, name, NULL, &d);
		}
	}
	err = set_session_cookie(resp, cookie);
	memset(cookie, 0, sizeof cookie);
	if (!err)
		err = lc_resp_redirect(resp, invite ? "/account?done=welcome"
		                                    : "/account?done=password_reset");
out:
	lc_site_db_release(req, db);
	lc_diag_cleanup(&d);
	json_decref(errors);
	return err;
}

static int route_invitation(struct lc_req *req, struct lc_resp *resp)
{
	return use_link(req, resp, LC_ONETIME_INVITE);
}

static int route_reset(struct lc_req *req, struct lc_resp *resp)
{
	return use_link(req, resp, LC_ONETIME_RESET);
}

static int forgot_page(struct lc_req *req, struct lc_resp *resp, bool sent)
{
	json_t *vm = json_pack("{s:b}", "sent", sent);
	int err = lc_site_page(req, resp, "password_forgot", lc_site_t(req, "forgot_title"), NULL,
	                       vm, NULL);
	json_decref(vm);
	return err;
}

static int route_forgot_form(struct lc_req *req, struct lc_resp *resp)
{
	return forgot_page(req, resp, false);
}

static int route_forgot(struct lc_req *req, struct lc_resp *resp)
{
	const char *email = param(req, "email");
	const struct lc_app *app = req->app;
	if (email) {
		struct lc_db *db = NULL;
		int err = lc_site_db(req, &db);
		if (!err)
			err = lc_account_request_reset(db, email, app->base_url);
		lc_site_db_release(req, db);
		if (err)
			return err;
	}
	/* The same answer whether or not the address has an account. */
	return forgot_page(req, resp, true);
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/login", route_login_form, login_form_params, 0, A(LOGIN), NULL},
    {LC_HTTP_POST, "/login", route_login, login_params, 0, A(LOGIN), NULL},
    {LC_HTTP_POST, "/logout", route_logout, logout_params, 0, 0, NULL},
    {LC_HTTP_GET, "/invitations", route_invitation_form, link_params, 0, A(LOGIN), NULL},
    {LC_HTTP_POST, "/invitations", route_invitation, invitation_params, 0, A(LOGIN), NULL},
    {LC_HTTP_GET, "/password/forgot", route_forgot_form, NULL, 0, A(LOGIN), NULL},
    {LC_HTTP_POST, "/password/forgot", route_forgot, forgot_params, 0, A(LOGIN), NULL},
    {LC_HTTP_GET, "/password/reset", route_reset_form, link_params, 0, A(LOGIN), NULL},
    {LC_HTTP_POST, "/password/reset", route_reset, reset_params, 0, A(LOGIN), NULL},
    {LC_HTTP_POST, "/api/v1/login", route_api_login, NULL, 0, A(LOGIN), NULL},
    {LC_HTTP_POST, "/api/v1/logout", route_api_logout, NULL, 0, 0, NULL},
    {LC_HTTP_GET, "/api/v1/me", route_api_me, NULL, 0, LC_ROUTE_LOGIN | A(VIEW_OWN_ACCOUNT), NULL},
};

#undef A

LC_ROUTE_GROUP(login, rows);
