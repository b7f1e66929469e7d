/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A person's own account: /account (profile, password, personal access
 * tokens, logging out everywhere) and the token API (/api/v1/tokens).
 * Every change goes through domain/ (account.h, token.h, session.h), which
 * checks the permission on the account itself; these handlers present the
 * result. A new token is shown once, in the answer that created it, and
 * never again; no password or token is logged.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/label.h"

#include "domain/home/digest.h"

#include <stdio.h>
#include <string.h>

#include "base/catalogue.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/account.h"
#include "domain/accounts/session.h"
#include "domain/accounts/throttle.h"
#include "domain/accounts/token.h"
#include "web/http.h"
#include "web/i18n.h"
#include "web/router.h"

static const struct lc_label token_states[] = {
    {"active", "token_state_active"},
    {"expired", "token_state_expired"},
    {"revoked", "token_state_revoked"},
    {NULL, NULL},
};

static const char *const account_done[] = {
    "profile_saved", "password_changed", "token_revoked", "logged_out_others",
    "welcome",       "password_reset",   "digest_saved",  NULL};

static const struct lc_param_spec account_params[] = {
    {.name = "done", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = account_done},
    {.name = NULL},
};

static const struct lc_param_spec account_profile_params[] = {
    {.name = "name", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 512},
    {.name = "language", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 8},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec account_digest_params[] = {
    {.name = "weekly", .source = LC_PARAM_FORM, .type = LC_PARAM_BOOL},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec account_password_params[] = {
    {.name = "old_password",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_PASSWORD_BYTES},
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

static const struct lc_param_spec account_token_params[] = {
    {.name = "name", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 512},
    {.name = "expires_days",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_INT,
     .min = 1,
     .max = LC_LIMIT_TOKEN_MAX_DAYS,
     .dflt = "90"},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec csrf_only_params[] = {
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec token_id_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* Form state of the account page: what was typed, errors, a new token, a message. */
struct page_state {
	int status;
	const char *form;      /* which form the errors belong to */
	json_t *errors;        /* borrowed; field -> message */
	const char *new_token; /* shown once */
	const char *new_token_name;
	const char *done; /* a catalogue key */
};

static int account_page(struct lc_req *req, struct lc_resp *resp, const struct page_state *st)
{
	struct lc_web_user *u = lc_auth_user(req);
	const struct lc_app *app = req->app;
	struct lc_db *db = NULL;
	json_t *vm = NULL, *tokens = NULL;
	int err = lc_site_db(req, &db);
	if (err)
		goto out;
	bool weekly = false;
	err = lc_account_json(db, u->actor.account_id, req->lang, &vm);
	if (!err)
		err = lc_token_list(db, &u->actor, u->actor.account_id, &tokens);
	if (!err)
		err = lc_digest_get(db, &u->actor, &weekly);
	lc_site_db_release(req, db);
	db = NULL;
	if (err)
		goto out;
	size_t i;
	json_t *t;
	json_array_foreach(tokens, i, t)
	{
		const char *state = json_string_value(json_object_get(t, "state"));
		json_object_set_new(t, "state_label",
		                    json_string(lc_label_text(req, token_states, state)));
		json_object_set_new(t, "active", json_boolean(state && !strcmp(state, "active")));
	}
	json_object_set_new(vm, "tokens", tokens);
	json_object_set_new(vm, "digest_weekly", json_boolean(weekly));
	tokens = NULL;
	json_t *role;
	json_array_foreach(json_object_get(vm, "roles"), i, role)
	{
		json_object_set_new(role, "text",
		                    json_string(lc_label_role(
		                        req, json_string_value(json_object_get(role, "spec")))));
	}
	json_t *langs = json_array();
	const char *mine = json_string_value(json_object_get(vm, "lang"));
	size_t n = app->i18n ? lc_catalogue_count(app->i18n) : 0;
	for (size_t k = 0; k < n; k++) {
		const char *code = lc_catalogue_lang(app->i18n, k);
		json_array_append_new(langs, json_pack("{s:s,s:s,s:b}", "code", code, "name",
		                                       lc_catalogue_name(app->i18n, code),
		                                       "selected", mine && !strcmp(mine, code)));
	}
	json_object_set_new(vm, "language_options", langs);
	/* The layout reads "lang" as the page's language: the account's is another thing. */
	json_object_set(vm, "preferred_lang", json_object_get(vm, "lang"));
	json_object_del(vm, "lang");
	if (st && st->errors && st->form) {
		json_t *e = json_object();
		json_object_set(e, st->form, st->errors);
		json_object_set_new(vm, "errors", e);
	}
	if (st && st->new_token)
		json_object_set_new(vm, "new_token",
		                    json_pack("{s:s,s:s}", "token", st->new_token, "name",
		                              st->new_token_name ? st->new_token_name : ""));
	const char *done = st && st->done ? lc_site_t(req, st->done) : NULL;
	if (!done && req->method == LC_HTTP_GET)
		done = lc_auth_done_text(req, lc_req_str(req, "done"));
	if (done)
		json_object_set_new(vm, "done", json_string(done));
	json_object_set_new(vm, "token_max_days", json_integer(LC_LIMIT_TOKEN_MAX_DAYS));
	lc_auth_human_times(vm);
	err = lc_site_page(req, resp, "account", lc_site_t(req, "account_title"), "account", vm,
	                   NULL);
	if (st && st->status)
		resp->status = st->status;
out:
	lc_site_db_release(req, db);
	json_decref(vm);
	json_decref(tokens);
	return lc_auth_fail(req, resp, err);
}

static int route_account(struct lc_req *req, struct lc_resp *resp)
{
	return account_page(req, resp, NULL);
}

/* A non-empty string parameter, or NULL. */
static const char *param(const struct lc_req *req, const char *name)
{
	const char *s = lc_req_str(req, name);
	return s && *s ? s : NULL;
}

/* Copies the diag's entries into errors by field, as sentences. */
static void diag_errors(const struct lc_req *req, json_t *errors, const struct lc_diag *d,
                        const char *dflt)
{
	for (size_t i = 0; i < d->count; i++) {
		const char *f = d->items[i].field ? d->items[i].field : dflt;
		if (!json_object_get(errors, f))
			json_object_set_new(errors, f,
			                    json_string(lc_site_problem(req, &d->items[i])));
	}
}

/* The weekly summary of what waits on me (domain/home/digest.h): on or off. */
static int route_account_digest(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_digest_set(db, &u->actor, lc_req_bool(req, "weekly"));
	lc_site_db_release(req, db);
	if (err)
		return lc_auth_fail(req, resp, err);
	return lc_resp_redirect(resp, "/account?done=digest_saved");
}

static int route_account_profile(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	json_t *errors = json_object();
	const char *name = param(req, "name");
	int err = 0;
	if (!name) {
		json_object_set_new(errors, "name", json_string(lc_site_t(req, "name_missing")));
	} else {
		err = lc_site_db(req, &db);
		if (!err)
			err = lc_account_update(db, &u->actor, u->actor.account_id, name,
			                        param(req, "language"), &d);
		lc_site_db_release(req, db);
		if (err == LC_EINVAL) {
			diag_errors(req, errors, &d, "name");
			err = 0;
		} else if (!err) {
			err = lc_resp_redirect(resp, "/account?done=profile_saved");
			goto out;
		}
	}
	if (!err) {
		struct page_state st = {.status = 422, .form = "profile", .errors = errors};
		err = account_page(req, resp, &st);
	}
out:
	lc_diag_cleanup(&d);
	json_decref(errors);
	return lc_auth_fail(req, resp, err);
}

/* Sets Retry-After from the throttle of the caller's address and account. */
static void retry_after(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_db *db = NULL;
	long wait = 0;
	if (lc_site_db(req, &db) == 0)
		lc_throttle_wait(db, u->actor.email, req->remote_addr, &wait);
	lc_site_db_release(req, db);
	char s[24];
	snprintf(s, sizeof s, "%ld", wait > 0 ? wait : 60);
	lc_resp_header(resp, "Retry-After", s);
}

static int route_account_password(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	json_t *errors = json_object();
	const char *old = lc_req_str(req, "old_password");
	const char *pw = lc_req_str(req, "password");
	const char *pw2 = lc_req_str(req, "password2");
	int err = 0;
	if (!pw || !*pw)
		json_object_set_new(errors, "password",
		                    json_string(lc_site_t(req, "password_missing")));
	else if (!pw2 || strcmp(pw, pw2) != 0)
		json_object_set_new(errors, "password2",
		                    json_string(lc_site_t(req, "password_mismatch")));
	else {
		err = lc_site_db(req, &db);
		if (!err)
			err = lc_account_set_password(db, &u->actor, u->actor.account_id,
			                              old ? old : "", pw, u->session.id, &d);
		lc_site_db_release(req, db);
		if (err == LC_EINVAL) {
			diag_errors(req, errors, &d, "password");
			err = 0;
		} else if (err == LC_EAUTH) {
			json_object_set_new(errors, "old_password",
			                    json_string(lc_site_t(req, "old_password_wrong")));
			err = 0;
		} else if (err == LC_EBUSY) {
			/* Guessing the old password is throttled like a login. */
			json_object_set_new(errors, "old_password",
			                    json_string(lc_site_t(req, "login_throttled")));
			retry_after(req, resp);
			struct page_state st = {
			    .status = 429, .form = "password", .errors = errors};
			err = account_page(req, resp, &st);
			goto out;
		} else if (!err) {
			err = lc_resp_redirect(resp, "/account?done=password_changed");
			goto out;
		}
	}
	if (!err) {
		struct page_state st = {.status = 422, .form = "password", .errors = errors};
		err = account_page(req, resp, &st);
	}
out:
	lc_diag_cleanup(&d);
	json_decref(errors);
	return lc_auth_fail(req, resp, err);
}

/* Creates a token; on a bad name or too many tokens fills errors. */
static int create_token(struct lc_req *req, const char *name, long days,
                        char clear[LC_TOKEN_CHARS + 1], int64_t *id, json_t *errors)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_db *db = NULL;
	int err = 0;
	if (!name) {
		json_object_set_new(errors, "name", json_string(lc_site_t(req, "name_missing")));
		return LC_EINVAL;
	}
	err = lc_site_db(req, &db);
	if (!err)
		err = lc_token_create(db, &u->actor, u->actor.account_id, name, days, clear, id);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL)
		json_object_set_new(errors, "name", json_string(lc_site_t(req, "token_name_bad")));
	else if (err == LC_ELIMIT)
		json_object_set_new(errors, "name", json_string(lc_site_t(req, "token_too_many")));
	return err;
}

static int route_account_token_new(struct lc_req *req, struct lc_resp *resp)
{
	char clear[LC_TOKEN_CHARS + 1] = "";
	json_t *errors = json_object();
	const char *name = param(req, "name");
	int err = create_token(req, name, lc_req_int(req, "expires_days", 0), clear, NULL, errors);
	struct page_state st = {.form = "token", .errors = errors};
	if (err == LC_EINVAL || err == LC_ELIMIT) {
		st.status = 422;
		err = account_page(req, resp, &st);
	} else if (!err) {
		/* Shown once, in this answer; the page is not cached (no-store). */
		st.errors = NULL;
		st.status = 201;
		st.new_token = clear;
		st.new_token_name = name;
		err = account_page(req, resp, &st);
	}
	memset(clear, 0, sizeof clear);
	json_decref(errors);
	return lc_auth_fail(req, resp, err);
}

static int route_account_token_revoke(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_token_revoke(db, &u->actor, u->actor.account_id, lc_req_int(req, "id", 0));
	lc_site_db_release(req, db);
	if (!err)
		err = lc_resp_redirect(resp, "/account?done=token_revoked");
	return lc_auth_fail(req, resp, err);
}

static int route_account_logout_all(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err =
		    lc_session_logout_all(db, &u->actor, u->actor.account_id, u->session.id, NULL);
	lc_site_db_release(req, db);
	if (!err)
		err = lc_resp_redirect(resp, "/account?done=logged_out_others");
	return lc_auth_fail(req, resp, err);
}

static int route_api_tokens(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_db *db = NULL;
	json_t *list = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_token_list(db, &u->actor, u->actor.account_id, &list);
	lc_site_db_release(req, db);
	if (!err) {
		json_t *j = json_pack("{s:o}", "items", list);
		err = lc_resp_json(resp, j);
		json_decref(j);
	}
	return lc_auth_fail(req, resp, err);
}

static int route_api_token_new(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL, *errors = json_object();
	char msg[256], clear[LC_TOKEN_CHARS + 1] = "";
	int err = 0;
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		goto out;
	}
	const char *name = json_string_value(json_object_get(body, "name"));
	const json_t *days = json_object_get(body, "expires_days");
	if (days && !json_is_integer(days)) {
		lc_resp_error(resp, 400, "%s", lc_site_t(req, "token_days_bad"));
		goto out;
	}
	json_int_t nd = days ? json_integer_value(days) : 0;
	if (nd < 0 || nd > LC_LIMIT_TOKEN_MAX_DAYS) {
		lc_resp_error(resp, 400, "%s", lc_site_t(req, "token_days_bad"));
		goto out;
	}
	int64_t id = 0;
	err = create_token(req, name && *name ? name : NULL, (long)nd, clear, &id, errors);
	if (err == LC_EPERM && lc_auth_user(req)->actor.via_token) {
		lc_resp_error(resp, 403, "%s", lc_site_t(req, "token_needs_session"));
		err = 0;
		goto out;
	}
	if (err == LC_EINVAL || err == LC_ELIMIT) {
		lc_resp_error(resp, err == LC_EINVAL ? 400 : 422, "%s",
		              json_string_value(json_object_get(errors, "name")));
		err = 0;
		goto out;
	}
	if (err)
		goto out;
	json_t *j =
	    json_pack("{s:I,s:s,s:s,s:I}", "id", (json_int_t)id, "name", name, "token", clear,
	              "expires_days", (json_int_t)(nd ? nd : LC_LIMIT_TOKEN_DEFAULT_DAYS));
	err = lc_resp_json(resp, j);
	resp->status = 201;
	json_decref(j);
out:
	memset(clear, 0, sizeof clear);
	json_decref(body);
	json_decref(errors);
	return lc_auth_fail(req, resp, err);
}

static int route_api_token_revoke(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_token_revoke(db, &u->actor, u->actor.account_id, lc_req_int(req, "id", 0));
	lc_site_db_release(req, db);
	if (!err) {
		json_t *j = json_pack("{s:b}", "revoked", 1);
		err = lc_resp_json(resp, j);
		json_decref(j);
	}
	return lc_auth_fail(req, resp, err);
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/account", route_account, account_params, 0,
     LC_ROUTE_LOGIN | A(VIEW_OWN_ACCOUNT), NULL},
    {LC_HTTP_POST, "/account/profile", route_account_profile, account_profile_params, 0,
     LC_ROUTE_LOGIN | A(EDIT_OWN_ACCOUNT), NULL},
    {LC_HTTP_POST, "/account/digest", route_account_digest, account_digest_params, 0,
     LC_ROUTE_LOGIN | A(EDIT_OWN_ACCOUNT), NULL},
    {LC_HTTP_POST, "/account/password", route_account_password, account_password_params, 0,
     LC_ROUTE_LOGIN | A(EDIT_OWN_ACCOUNT), NULL},
    {LC_HTTP_POST, "/account/logout-all", route_account_logout_all, csrf_only_params, 0,
     LC_ROUTE_LOGIN | A(EDIT_OWN_ACCOUNT), NULL},
    {LC_HTTP_POST, "/account/tokens", route_account_token_new, account_token_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_OWN_TOKENS), NULL},
    {LC_HTTP_POST, "/account/tokens/{id}/revoke", route_account_token_revoke, token_id_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_OWN_TOKENS), NULL},
    {LC_HTTP_GET, "/api/v1/tokens", route_api_tokens, NULL, 0,
     LC_ROUTE_LOGIN | A(MANAGE_OWN_TOKENS), NULL},
    {LC_HTTP_POST, "/api/v1/tokens", route_api_token_new, NULL, 0,
     LC_ROUTE_LOGIN | A(MANAGE_OWN_TOKENS), NULL},
    {LC_HTTP_DELETE, "/api/v1/tokens/{id}", route_api_token_revoke, token_id_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_OWN_TOKENS), NULL},
};

#undef A

LC_ROUTE_GROUP(account, rows);
