/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Who is calling, and the doors in and out: the router's before hook
 * (session cookie or Bearer token -> the actor; CSRF on every
 * state-changing request that relies on the cookie; the route's login flag
 * and a pre-check of its authz action), the login and logout page and API,
 * /api/v1/me, accepting an invitation and resetting a forgotten password.
 *
 * It owns no rule: sessions, throttling, tokens and permissions are
 * domain/'s (session.h, token.h, authz.h), and the handlers only present
 * what the domain answers. Secrets (passwords, session ids, tokens) pass
 * through here and are never logged or echoed into a page.
 */
#include "web/routes/routes.h"

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
#include "domain/account.h"
#include "domain/authz.h"
#include "domain/onetime.h"
#include "domain/session.h"
#include "domain/token.h"
#include "web/http.h"
#include "web/i18n.h"
#include "web/router.h"
#include "web/static.h"

const struct lc_param_spec lc_login_form_params[] = {
    {.name = "next", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 512},
    {.name = "done",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_ENUM,
     .choices = (const char *const[]){"logged_out", "reset_sent", NULL}},
    {.name = NULL},
};

const struct lc_param_spec lc_login_params[] = {
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

const struct lc_param_spec lc_logout_params[] = {
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

const struct lc_param_spec lc_link_params[] = {
    LC_LINK_TOKEN_PARAM,
    {.name = NULL},
};

const struct lc_param_spec lc_invitation_params[] = {
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

const struct lc_param_spec lc_forgot_params[] = {
    {.name = "email", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 512},
    LC_CSRF_PARAM,
    {.name = NULL},
};

const struct lc_param_spec lc_reset_params[] = {
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

int lc_route_action(unsigned flags)
{
	unsigned a = (flags >> 8) & 0xffu;
	return a ? (int)a - 1 : -1;
}

struct lc_web_user *lc_auth_user(struct lc_req *req)
{
	if (req->user)
		return req->user;
	/* Before the hook ran (or without it): a fresh anonymous caller. The arena
	 * aborts when memory runs out, so this never fails. */
	struct lc_web_user *u = lc_req_alloc(req, sizeof *u);
	memset(u, 0, sizeof *u);
	lc_actor_anonymous(&u->actor);
	req->user = u;
	return u;
}

bool lc_auth_safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return false;
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return false;
	return true;
}

/* Answers 303 to the login page with next = the current page. */
static int to_login(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_HTTP_URL * 4);
	lc_buf_puts(&b, "/login");
	if (req->method == LC_HTTP_GET) {
		const char *here = lc_site_url_with(req, NULL, NULL);
		lc_buf_puts(&b, "?next=");
		lc_buf_append_url(&b, here, strlen(here));
	}
	int err = lc_buf_error(&b) ? LC_ELIMIT : lc_resp_redirect(resp, lc_buf_cstr(&b));
	lc_buf_cleanup(&b);
	return err ? err : 1;
}

/* Answers 401: JSON for the API, the login page's way otherwise. */
static int need_login(struct lc_req *req, struct lc_resp *resp)
{
	if (req->api || req->method != LC_HTTP_GET) {
		lc_resp_error(resp, 401, "%s", lc_site_t(req, "auth_required"));
		return 1;
	}
	return to_login(req, resp);
}

/* The value of "Authorization: Bearer X", or NULL. */
static const char *bearer_of(const struct lc_req *req)
{
	const char *h = lc_req_header(req, "Authorization");
	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return h;
}

bool lc_auth_same_origin(const char *origin, const char *host)
{
	if (!origin || !host || !*host)
		return false;
	const char *p = strstr(origin, "://");
	if (!p || p == origin)
		return false;
	return strcmp(p + 3, host) == 0;
}

/*
 * For a request without a session: a browser names the page a form came
 * from in Origin; one from another site is refused (login CSRF), while
 * clients that send no Origin (curl, scripts) carry no ambient authority.
 */
static bool origin_ok(const struct lc_req *req)
{
	const char *origin = lc_req_header(req, "Origin");
	if (!origin)
		return true;
	return lc_auth_same_origin(origin, lc_req_header(req, "Host"));
}

/*
 * A logged-in person's preferred language applies when the request did not
 * choose one itself (no ?lang= and no lang cookie): Accept-Language is the
 * browser's guess, the account's setting is the person's word.
 */
static void prefer_language(struct lc_req *req, const char *lang)
{
	const struct lc_app *app = req->app;
	if (!app || !app->i18n || !lang || !*lang || lc_req_cookie(req, LC_I18N_COOKIE))
		return;
	for (size_t i = 0; i < req->nquery; i++)
		if (lc_slice_eq(req->query[i].name, "lang"))
			return;
	const char *code = lc_catalogue_supported(app->i18n, lc_slice_cstr(lang));
	if (!code)
		return;
	req->lang = code;
	req->dir = lc_catalogue_dir(app->i18n, code);
	req->t = lc_catalogue_strings(app->i18n, code);
}

/*
 * Who is calling, from the request head alone: a Bearer token, else the
 * session cookie. Runs once per request, whichever of the head and before
 * hooks comes first; it reads the database but writes nothing into the
 * response except the refusal of a wrong token. 0, 1 when it has answered,
 * or a negative LC_E* code.
 */
static int identify(struct lc_req *req, struct lc_resp *resp, struct lc_web_user *u)
{
	if (u->identified)
		return 0;
	u->identified = true;
	const char *bearer = bearer_of(req);
	const char *cookie = lc_req_cookie(req, LC_SESSION_COOKIE);
	if (!bearer && !cookie)
		return 0;
	struct lc_db *db = NULL;
	int rc = lc_site_db(req, &db);
	if (rc)
		goto out;
	if (bearer) {
		int64_t account_id = 0;
		int err = lc_token_verify(db, bearer, &account_id, NULL);
		if (!err)
			err = lc_actor_load(db, account_id, &u->actor);
		if (err == LC_EDB) {
			rc = err;
			goto out;
		}
		if (err) {
			/* A wrong token is an error, not anonymity: the caller meant someone. */
			lc_actor_anonymous(&u->actor);
			lc_resp_header(resp, "WWW-Authenticate", "Bearer");
			lc_resp_error(resp, 401, "%s", lc_site_t(req, "token_invalid"));
			rc = 1;
			goto out;
		}
		u->bearer = true;
		u->actor.via_token = true;
	} else {
		int err = lc_session_lookup(db, cookie, &u->session);
		if (!err)
			err = lc_actor_load(db, u->session.account_id, &u->actor);
		if (err == LC_EDB) {
			rc = err;
			goto out;
		}
		if (err) {
			/* Expired or ended: forget it, so the browser stops sending it. */
			lc_actor_anonymous(&u->actor);
			memset(&u->session, 0, sizeof u->session);
			u->stale_cookie = true;
		} else {
			u->has_session = true;
			u->cookie = lc_arena_strdup(req->arena, cookie);
		}
	}
out:
	lc_site_db_release(req, db);
	return rc;
}

/* What the caller changes in the request: the actor's address, the person's language. */
static void settle(struct lc_req *req, struct lc_web_user *u)
{
	snprintf(u->actor.addr, sizeof u->actor.addr, "%s",
	         req->remote_addr ? req->remote_addr : "");
	if (u->actor.kind == LC_ACTOR_ACCOUNT)
		prefer_language(req, u->actor.lang);
}

/* What the caller changes in the response: a stale cookie deleted, no caching of personal pages. */
static void mark(struct lc_resp *resp, const struct lc_web_user *u)
{
	if (u->stale_cookie)
		lc_resp_set_cookie(resp, LC_SESSION_COOKIE, "", 0, 0);
	/* A person's pages are theirs: no shared or back-button cache keeps them. */
	if (u->actor.kind == LC_ACTOR_ACCOUNT)
		lc_resp_header(resp, "Cache-Control", "no-store");
}

/* The route's login flag and the pre-check of its action. 0, 1 when answered, or LC_E*. */
static int gate(struct lc_req *req, struct lc_resp *resp, const struct lc_web_user *u)
{
	unsigned flags = req->route ? req->route->flags : 0;
	int action = lc_route_action(flags);
	if ((flags & LC_ROUTE_LOGIN) && u->actor.kind == LC_ACTOR_ANONYMOUS)
		return need_login(req, resp);
	if (action < 0)
		return 0;
	int err = lc_authz_check(&u->actor, (enum lc_action)action, NULL);
	if (err == LC_EAUTH)
		return need_login(req, resp);
	if (err == LC_EPERM) {
		lc_resp_error(resp, 403, "%s", lc_site_t(req, "forbidden"));
		return 1;
	}
	return err;
}

/*
 * The caller of req, identified (once) and settled into the request, for
 * both hooks: *out is NULL for static files, which are public and never
 * change anything (a browser sends the cookie with each one, and a session
 * lookup apiece would be waste). 0, 1 when identify answered, or LC_E*.
 */
static int caller(struct lc_req *req, struct lc_resp *resp, struct lc_web_user **out)
{
	*out = NULL;
	if (req->route && req->route->handler == lc_static_handler)
		return 0;
	struct lc_web_user *u = lc_auth_user(req);
	int rc = identify(req, resp, u);
	if (rc)
		return rc;
	/* Again when the head hook ran: dispatch resolved the language anew since. */
	settle(req, u);
	*out = u;
	return 0;
}

int lc_auth_head(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u;
	int rc = caller(req, resp, &u);
	if (rc || !u)
		return rc;
	rc = gate(req, resp, u);
	if (rc > 0)
		mark(resp, u);
	return rc;
}

int lc_auth_before(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u;
	int rc = caller(req, resp, &u);
	if (rc || !u)
		return rc;
	mark(resp, u);
	if (req->method != LC_HTTP_GET && !u->bearer) {
		if (u->has_session) {
			const char *tok = lc_req_header(req, "X-CSRF-Token");
			if (!tok)
				tok = lc_req_str(req, "csrf");
			if (!lc_session_csrf_ok(&u->session, tok)) {
				lc_resp_error(resp, 403, "%s", lc_site_t(req, "csrf_failed"));
				return 1;
			}
		} else if (!origin_ok(req)) {
			lc_resp_error(resp, 403, "%s", lc_site_t(req, "csrf_failed"));
			return 1;
		}
	}
	return gate(req, resp, u);
}

json_t *lc_auth_globals(struct lc_req *req)
{
	json_t *g = json_object();
	struct lc_web_user *u = req->user;
	if (!u || u->actor.kind != LC_ACTOR_ACCOUNT)
		return g;
	json_object_set_new(
	    g, "me",
	    json_pack("{s:I,s:s,s:s,s:b,s:b,s:b}", "id", (json_int_t)u->actor.account_id, "email",
	              u->actor.email, "name", u->actor.name, "admin",
	              lc_authz_check(&u->actor, LC_ACT_VIEW_ADMIN, NULL) == 0, "audit",
	              lc_authz_check(&u->actor, LC_ACT_VIEW_AUDIT, NULL) == 0, "outbox",
	              lc_authz_check(&u->actor, LC_ACT_VIEW_OUTBOX, NULL) == 0));
	if (u->has_session)
		json_object_set_new(g, "csrf", json_string(u->session.csrf));
	return g;
}

int lc_auth_fail(struct lc_req *req, struct lc_resp *resp, int err)
{
	if (err == LC_EAUTH && !req->api && req->method == LC_HTTP_GET) {
		int rc = to_login(req, resp);
		return rc > 0 ? 0 : rc;
	}
	if (err == LC_EAUTH) {
		lc_resp_error(resp, 401, "%s", lc_site_t(req, "auth_required"));
		return 0;
	}
	if (err == LC_EPERM) {
		lc_resp_error(resp, 403, "%s", lc_site_t(req, "forbidden"));
		return 0;
	}
	if (err == LC_EBUSY) {
		/* Throttled by the domain: the caller should wait, not see a server fault. */
		lc_resp_header(resp, "Retry-After", "60");
		lc_resp_error(resp, 429, "%s", lc_site_t(req, "login_throttled"));
		return 0;
	}
	return err;
}

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

/* True for "YYYY-MM-DDTHH:MM:SSZ". */
static bool iso_time(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	for (size_t i = 0; i < sizeof shape - 1; i++) {
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
			return false;
	}
	return s[sizeof shape - 1] == '\0';
}

void lc_auth_human_times(json_t *v)
{
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e) lc_auth_human_times(e);
		return;
	}
	if (!json_is_object(v))
		return;
	const char *key;
	json_t *val;
	json_object_foreach(v, key, val)
	{
		size_t n = strlen(key);
		const char *s = json_string_value(val);
		if (s && (strcmp(key, "at") == 0 || (n > 3 && strcmp(key + n - 3, "_at") == 0)) &&
		    iso_time(s)) {
			char out[17];
			memcpy(out, s, 16);
			out[10] = ' ';
			out[16] = '\0';
			json_string_set(val, out);
		} else if (json_is_object(val) || json_is_array(val)) {
			lc_auth_human_times(val);
		}
	}
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
	const char *done = param(req, "done");
	if (done && req->method == LC_HTTP_GET) {
		char key[48];
		snprintf(key, sizeof key, "done_%s", done);
		json_object_set_new(vm, "done", json_string(lc_site_t(req, key)));
	}
	int err =
	    lc_site_page(req, resp, "login", lc_site_t(req, "login_title"), "login", vm, NULL);
	json_decref(vm);
	resp->status = status;
	return err;
}

int lc_route_login_form(struct lc_req *req, struct lc_resp *resp)
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

int lc_route_login(struct lc_req *req, struct lc_resp *resp)
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
	return lc_resp_redirect(resp, lc_auth_safe_next(next) ? next : "/account");
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

int lc_route_logout(struct lc_req *req, struct lc_resp *resp)
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

int lc_route_api_login(struct lc_req *req, struct lc_resp *resp)
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

int lc_route_api_logout(struct lc_req *req, struct lc_resp *resp)
{
	int err = end_session(req, resp);
	if (err)
		return err;
	json_t *j = json_pack("{s:b}", "logged_out", 1);
	err = lc_resp_json(resp, j);
	json_decref(j);
	return err;
}

int lc_route_api_me(struct lc_req *req, struct lc_resp *resp)
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
	struct lc_db *db = NULL;
	int64_t id = 0;
	struct lc_account acc;
	memset(&acc, 0, sizeof acc);
	int err = lc_site_db(req, &db);
	if (err)
		return err;
	err = lc_onetime_peek(db, token, purpose, &id);
	if (!err)
		err = lc_account_get(db, id, &acc);
	lc_site_db_release(req, db);
	if (err == LC_EAUTH || err == LC_ENOTFOUND) {
		lc_resp_error(resp, 404, "%s", lc_site_t(req, "link_invalid"));
		return 0;
	}
	if (err)
		return err;
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

int lc_route_invitation_form(struct lc_req *req, struct lc_resp *resp)
{
	return onetime_page(req, resp, LC_ONETIME_INVITE, 200, NULL, NULL);
}

int lc_route_reset_form(struct lc_req *req, struct lc_resp *resp)
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

int lc_route_invitation(struct lc_req *req, struct lc_resp *resp)
{
	return use_link(req, resp, LC_ONETIME_INVITE);
}

int lc_route_reset(struct lc_req *req, struct lc_resp *resp)
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

int lc_route_forgot_form(struct lc_req *req, struct lc_resp *resp)
{
	return forgot_page(req, resp, false);
}

int lc_route_forgot(struct lc_req *req, struct lc_resp *resp)
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
