/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Who is calling: the router's before and head hooks (session cookie or
 * Bearer token -> the actor; CSRF on every state-changing request that
 * relies on the cookie; the route's login flag and a pre-check of its authz
 * action), and how a handler answers a domain's refusal (login page, 401,
 * 403, 429). The doors in and out (login, invitations, resets) are login.c's.
 *
 * It owns no rule: sessions, throttling, tokens and permissions are
 * domain/'s (session.h, token.h, authz.h). Secrets (session ids, tokens)
 * pass through here and are never logged.
 */
#include "web/routes/auth.h"
#include "web/routes/label.h"

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

int lc_auth_api_fail(struct lc_req *req, struct lc_resp *resp, int err, const struct lc_diag *d)
{
	if (err == LC_EINVAL || err == LC_ELIMIT || err == LC_ECONFLICT)
		return lc_site_refuse(req, resp, err, d);
	return lc_auth_fail(req, resp, err);
}

const struct lc_actor *lc_auth_actor(struct lc_req *req)
{
	return &lc_auth_user(req)->actor;
}

/* The notices after a redirect of the account, login and user-administration pages. */
static const struct lc_label done_notices[] = {
    {"logged_out", "done_logged_out"},
    {"reset_sent", "done_reset_sent"},
    {"profile_saved", "done_profile_saved"},
    {"digest_saved", "done_digest_saved"},
    {"password_changed", "done_password_changed"},
    {"token_revoked", "done_token_revoked"},
    {"logged_out_others", "done_logged_out_others"},
    {"welcome", "done_welcome"},
    {"password_reset", "done_password_reset"},
    {"invited", "done_invited"},
    {"disabled", "done_disabled"},
    {"enabled", "done_enabled"},
    {"granted", "done_granted"},
    {"revoked", "done_revoked"},
    {"retried", "done_retried"},
    {NULL, NULL},
};

const char *lc_auth_done_text(const struct lc_req *req, const char *name)
{
	const char *key = lc_label_key(done_notices, name);
	return key ? lc_site_t(req, key) : NULL;
}

int lc_auth_link_account(struct lc_req *req, struct lc_resp *resp, enum lc_onetime_purpose purpose,
                         struct lc_account *acc)
{
	struct lc_db *db = NULL;
	int64_t id = 0;
	memset(acc, 0, sizeof *acc);
	int err = lc_site_db(req, &db);
	if (err)
		return err;
	err = lc_onetime_peek(db, lc_req_str(req, "token"), purpose, &id);
	if (!err)
		err = lc_account_get(db, id, acc);
	lc_site_db_release(req, db);
	if (err == LC_EAUTH || err == LC_ENOTFOUND) {
		lc_resp_error(resp, 404, "%s", lc_site_t(req, "link_invalid"));
		return 1;
	}
	return err;
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
