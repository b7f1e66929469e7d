/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The secretariat's pages: /admin/users (search, invite, one person's roles,
 * disable with a confirmation step and a reason, enable), /admin/audit (the
 * audit trail with filters, and its JSON export at /api/v1/audit) and
 * /admin/outbox (every message and its delivery state, retry of a failed
 * one). Permissions are decided in domain/ (authz.h): the route table's
 * action pre-check only chooses between the page and a 403, and every
 * domain call here checks again.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/download.h"
#include "web/routes/auth.h"
#include "web/routes/label.h"

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/catalogue.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/account.h"
#include "domain/platform/audit.h"
#include "domain/platform/outbox.h"
#include "domain/accounts/role.h"
#include "web/http.h"
#include "web/i18n.h"
#include "web/router.h"

static const char *const account_statuses[] = {"invited", "active", "disabled", NULL};
static const char *const role_kinds[] = {"admin", "coordinator", "natcom",
                                         "jury",  "participant", NULL};
static const char *const outbox_states[] = {"queued", "sending", "sent", "failed", NULL};
static const struct lc_label account_status_labels[] = {
    {"invited", "account_status_invited"},
    {"active", "account_status_active"},
    {"disabled", "account_status_disabled"},
    {NULL, NULL},
};
static const struct lc_label *const role_labels = lc_label_roles;
static const struct lc_label outbox_state_labels[] = {
    {"queued", "outbox_state_queued"},
    {"sending", "outbox_state_sending"},
    {"sent", "outbox_state_sent"},
    {"failed", "outbox_state_failed"},
    {NULL, NULL},
};
static const char *const users_done[] = {"invited", "disabled", "enabled",
                                         "granted", "revoked",  NULL};

static const struct lc_param_spec admin_users_params[] = {
    {.name = "q",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_SEARCH_BYTES},
    {.name = "status",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_ENUM,
     .choices = account_statuses},
    {.name = "role", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = role_kinds},
    {.name = "done", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = users_done},
    LC_PAGE_PARAMS,
    {.name = NULL},
};

static const struct lc_param_spec admin_invite_params[] = {
    {.name = "email", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 512},
    {.name = "name", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 512},
    {.name = "language", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 8},
    {.name = "role_kind", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 16},
    {.name = "scope", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 100},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec admin_user_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "done", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = users_done},
    {.name = NULL},
};

static const struct lc_param_spec admin_reason_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "reason", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 1000},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec admin_role_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "role_kind", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 16},
    {.name = "scope", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 100},
    {.name = "spec", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 128},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec admin_audit_params[] = {
    {.name = "person",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_EMAIL_BYTES},
    {.name = "action", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 64},
    {.name = "object_type", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 32},
    {.name = "object_id", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 64},
    {.name = "from", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 10},
    {.name = "to", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 10},
    {.name = "export", .source = LC_PARAM_QUERY, .type = LC_PARAM_BOOL},
    LC_PAGE_PARAMS,
    {.name = NULL},
};

static const struct lc_param_spec admin_outbox_params[] = {
    {.name = "state", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = outbox_states},
    {.name = "done",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_ENUM,
     .choices = (const char *const[]){"retried", NULL}},
    LC_PAGE_PARAMS,
    {.name = NULL},
};

static const struct lc_param_spec admin_outbox_retry_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* A non-empty string parameter, or NULL. */
static const char *param(const struct lc_req *req, const char *name)
{
	const char *s = lc_req_str(req, name);
	return s && *s ? s : NULL;
}

/* Options for a select: {value, label, selected}, labels from table. */
static json_t *options(struct lc_req *req, const char *const *values, const struct lc_label *table,
                       const char *current)
{
	json_t *a = json_array();
	for (size_t i = 0; values[i]; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", values[i], "label",
		                                   lc_label_text(req, table, values[i]), "selected",
		                                   current && !strcmp(current, values[i])));
	return a;
}

/* The supported languages as options, current selected. */
static json_t *lang_options(struct lc_req *req, const char *current)
{
	const struct lc_app *app = req->app;
	json_t *a = json_array();
	size_t n = app->i18n ? lc_catalogue_count(app->i18n) : 0;
	for (size_t k = 0; k < n; k++) {
		const char *code = lc_catalogue_lang(app->i18n, k);
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", code, "label",
		                                   lc_catalogue_name(app->i18n, code), "selected",
		                                   current && !strcmp(current, code)));
	}
	return a;
}

/* "done" message of a redirect after a change. */
static void set_done(struct lc_req *req, json_t *vm)
{
	const char *done = lc_auth_done_text(req, param(req, "done"));
	if (done && req->method == LC_HTTP_GET)
		json_object_set_new(vm, "done", json_string(done));
}

/* Parses a role from the form ("role_kind" + "scope", or "spec"); *have false when none. */
static int form_role(struct lc_req *req, struct lc_db *db, struct lc_role *r, bool *have,
                     const char **why)
{
	const char *spec = param(req, "spec");
	const char *kind = param(req, "role_kind");
	const char *scope = param(req, "scope");
	*have = false;
	if (!spec && kind)
		spec = scope ? lc_arena_printf(req->arena, "%s:%s", kind, scope) : kind;
	if (!spec)
		return 0;
	*have = true;
	return lc_role_parse(db, spec, r, why);
}

/* Why a role was refused: the catalogue's sentence, with the domain's detail. */
static const char *role_reason(struct lc_req *req, const char *why)
{
	const char *msg = lc_site_t(req, "role_bad");
	return why ? lc_arena_printf(req->arena, "%s (%s)", msg, why) : msg;
}

/* ---- /admin/users ------------------------------------------------------------------------- */

/* The accounts the filters ask for, with their status and roles said in words (page and download).
 */
static int load_users(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	struct lc_account_query q = {
	    .q = param(req, "q"),
	    .status = param(req, "status"),
	    .role = param(req, "role"),
	    .page = lc_req_int(req, "page", 1),
	    .per_page = lc_req_int(req, "per_page", LC_DEFAULT_PER_PAGE),
	};
	int err = lc_account_list(db, lc_auth_actor(req), &q, vm);
	if (err)
		return err;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(*vm, "items"), i, it)
	{
		const char *st = json_string_value(json_object_get(it, "status"));
		json_object_set_new(it, "status_text",
		                    json_string(lc_label_text(req, account_status_labels, st)));
		json_t *texts = json_array();
		size_t k;
		json_t *r;
		json_array_foreach(json_object_get(it, "roles"), k, r)
		{
			if (json_is_string(r))
				json_array_append_new(
				    texts, json_string(lc_label_role(req, json_string_value(r))));
		}
		json_object_set_new(it, "roles_text", texts);
	}
	return 0;
}

static const struct lc_site_column user_columns[] = {
    {"name", "display_name"},  {"email", "email"},        {"roles_text", "roles"},
    {"status_text", "status"}, {"created_at", "created"}, {0},
};
static const struct lc_download users_download = {
    .load = load_users, .columns = user_columns, .file = "users"};

static int users_page(struct lc_req *req, struct lc_resp *resp, int status, json_t *invite)
{
	struct lc_db *db = NULL;
	json_t *vm = NULL, *extra = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = load_users(req, db, &vm, NULL);
	lc_site_db_release(req, db);
	if (err)
		goto out;
	const char *fq = param(req, "q"), *fstatus = param(req, "status"),
	           *frole = param(req, "role");
	long total = (long)json_integer_value(json_object_get(vm, "total"));
	const char *kind = invite ? json_string_value(json_object_get(invite, "role_kind")) : NULL;
	const char *lang = invite ? json_string_value(json_object_get(invite, "lang")) : NULL;
	extra = json_object();
	json_object_set_new(extra, "has_results", json_boolean(total > 0));
	json_object_set_new(extra, "pager", lc_site_pager(req, vm));
	json_object_set_new(
	    extra, "form",
	    json_pack("{s:s?,s:o,s:o,s:b}", "q", fq, "statuses",
	              options(req, account_statuses, account_status_labels, fstatus), "roles",
	              options(req, role_kinds, role_labels, frole), "active",
	              fq || fstatus || frole));
	json_object_set_new(extra, "downloads", lc_download_links(req, "/admin/users"));
	json_t *inv = invite ? json_deep_copy(invite) : json_object();
	json_object_set_new(inv, "roles", options(req, role_kinds, role_labels, kind));
	json_object_set_new(inv, "language_options", lang_options(req, lang ? lang : req->lang));
	json_object_set_new(extra, "invite", inv);
	set_done(req, vm);
	lc_auth_human_times(vm);
	err = lc_site_page(req, resp, "admin_users", lc_site_t(req, "admin_users_title"), "admin",
	                   vm, extra);
	resp->status = status;
out:
	json_decref(vm);
	json_decref(extra);
	if (err == LC_EINVAL) {
		lc_resp_error(resp, 400, "%s", lc_site_t(req, "filter_bad"));
		err = 0;
	}
	return lc_auth_fail(req, resp, err);
}

static int route_admin_users(struct lc_req *req, struct lc_resp *resp)
{
	return users_page(req, resp, 200, NULL);
}

static int route_admin_invite(struct lc_req *req, struct lc_resp *resp)
{
	const struct lc_app *app = req->app;
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	json_t *errors = json_object();
	json_t *invite =
	    json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?}", "email", param(req, "email"), "name",
	              param(req, "name"), "lang", param(req, "language"), "role_kind",
	              param(req, "role_kind"), "scope", param(req, "scope"));
	struct lc_role role;
	bool have_role = false;
	const char *why = NULL;
	int err = lc_site_db(req, &db);
	if (err)
		goto out;
	if (!param(req, "email"))
		json_object_set_new(errors, "email", json_string(lc_site_t(req, "email_missing")));
	if (!param(req, "name"))
		json_object_set_new(errors, "name", json_string(lc_site_t(req, "name_missing")));
	err = form_role(req, db, &role, &have_role, &why);
	if (err == LC_EINVAL || err == LC_ENOTFOUND) {
		json_object_set_new(errors, "role", json_string(role_reason(req, why)));
		err = 0;
	}
	if (err)
		goto out;
	if (json_object_size(errors) == 0) {
		struct lc_account_new in = {
		    .email = param(req, "email"),
		    .name = param(req, "name"),
		    .lang = param(req, "language"),
		    .roles = have_role ? &role : NULL,
		    .nroles = have_role ? 1 : 0,
		};
		err = lc_account_invite(db, lc_auth_actor(req), &in, app->base_url, &d, NULL);
		if (err == LC_EINVAL || err == LC_ECONFLICT) {
			for (size_t i = 0; i < d.count; i++) {
				const char *f = d.items[i].field ? d.items[i].field : "email";
				if (!json_object_get(errors, f))
					json_object_set_new(
					    errors, f,
					    json_string(lc_site_problem(req, &d.items[i])));
			}
			if (err == LC_ECONFLICT && !json_object_get(errors, "email"))
				json_object_set_new(errors, "email",
				                    json_string(lc_site_t(req, "email_taken")));
			err = 0;
		} else if (!err) {
			lc_site_db_release(req, db);
			db = NULL;
			err = lc_resp_redirect(resp, "/admin/users?done=invited");
			goto out;
		}
	}
	if (err)
		goto out;
	lc_site_db_release(req, db);
	db = NULL;
	json_object_set(invite, "errors", errors);
	err = users_page(req, resp, 422, invite);
out:
	lc_site_db_release(req, db);
	lc_diag_cleanup(&d);
	json_decref(errors);
	json_decref(invite);
	return lc_auth_fail(req, resp, err);
}

/* One account with its roles, for the detail and confirmation pages. Caller decrefs. */
static int load_user(struct lc_req *req, int64_t id, json_t **out)
{
	struct lc_db *db = NULL;
	json_t *vm = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_account_json(db, id, req->lang, &vm);
	lc_site_db_release(req, db);
	if (err)
		return err;
	const char *st = json_string_value(json_object_get(vm, "status"));
	json_object_set_new(vm, "status_text",
	                    json_string(lc_label_text(req, account_status_labels, st)));
	json_object_set_new(vm, "is_disabled", json_boolean(st && !strcmp(st, "disabled")));
	json_object_set_new(vm, "is_self", json_boolean(id == lc_auth_actor(req)->account_id));
	/* The layout reads "lang" as the page's language: the account's is another thing. */
	json_object_set(vm, "preferred_lang", json_object_get(vm, "lang"));
	json_object_del(vm, "lang");
	*out = vm;
	return 0;
}

static int user_page(struct lc_req *req, struct lc_resp *resp, const char *tpl, int status,
                     json_t *errors)
{
	int64_t id = lc_req_int(req, "id", 0);
	json_t *vm = NULL;
	int err = load_user(req, id, &vm);
	if (err == LC_ENOTFOUND) {
		lc_resp_error(resp, 404, "%s", lc_site_t(req, "user_not_found"));
		return 0;
	}
	if (err)
		return lc_auth_fail(req, resp, err);
	if (errors)
		json_object_set(vm, "errors", errors);
	json_object_set_new(vm, "role_options", options(req, role_kinds, role_labels, NULL));
	const char *reason = param(req, "reason");
	if (reason)
		json_object_set_new(vm, "reason", json_string(reason));
	set_done(req, vm);
	lc_auth_human_times(vm);
	const char *name = json_string_value(json_object_get(vm, "name"));
	err = lc_site_page(req, resp, tpl, name ? name : lc_site_t(req, "admin_users_title"),
	                   "admin", vm, NULL);
	resp->status = status;
	json_decref(vm);
	return err;
}

static int route_admin_user(struct lc_req *req, struct lc_resp *resp)
{
	return user_page(req, resp, "admin_user", 200, NULL);
}

static int route_admin_disable_form(struct lc_req *req, struct lc_resp *resp)
{
	return user_page(req, resp, "admin_disable", 200, NULL);
}

/* Redirects to the account's page with a message. */
static int back_to_user(struct lc_req *req, struct lc_resp *resp, const char *done)
{
	return lc_resp_redirect(resp, lc_arena_printf(req->arena, "/admin/users/%ld?done=%s",
	                                              lc_req_int(req, "id", 0), done));
}

/* Disables or enables an account with a reason. */
static int change_status(struct lc_req *req, struct lc_resp *resp, bool disable)
{
	const char *reason = param(req, "reason");
	if (!reason) {
		json_t *errors = json_pack("{s:s}", "reason", lc_site_t(req, "reason_missing"));
		int err =
		    user_page(req, resp, disable ? "admin_disable" : "admin_user", 422, errors);
		json_decref(errors);
		return err;
	}
	struct lc_db *db = NULL;
	int64_t id = lc_req_int(req, "id", 0);
	int err = lc_site_db(req, &db);
	if (!err)
		err = disable ? lc_account_disable(db, lc_auth_actor(req), id, reason)
		              : lc_account_enable(db, lc_auth_actor(req), id, reason);
	lc_site_db_release(req, db);
	if (err == LC_ENOTFOUND) {
		lc_resp_error(resp, 404, "%s", lc_site_t(req, "user_not_found"));
		return 0;
	}
	if (!err)
		return back_to_user(req, resp, disable ? "disabled" : "enabled");
	return lc_auth_fail(req, resp, err);
}

static int route_admin_disable(struct lc_req *req, struct lc_resp *resp)
{
	return change_status(req, resp, true);
}

static int route_admin_enable(struct lc_req *req, struct lc_resp *resp)
{
	return change_status(req, resp, false);
}

/* Grants or revokes the role of the form. */
static int change_role(struct lc_req *req, struct lc_resp *resp, bool grant)
{
	struct lc_db *db = NULL;
	struct lc_role role;
	bool have = false;
	const char *why = NULL;
	int64_t id = lc_req_int(req, "id", 0);
	int err = lc_site_db(req, &db);
	if (err)
		goto out;
	err = form_role(req, db, &role, &have, &why);
	if (!err && !have) {
		err = LC_EINVAL;
		why = lc_site_t(req, "role_missing");
	}
	if (err == LC_EINVAL || err == LC_ENOTFOUND) {
		lc_site_db_release(req, db);
		db = NULL;
		json_t *errors = json_pack("{s:s}", "role", role_reason(req, why));
		err = user_page(req, resp, "admin_user", 422, errors);
		json_decref(errors);
		goto out;
	}
	if (err)
		goto out;
	err = grant ? lc_role_grant(db, lc_auth_actor(req), id, &role)
	            : lc_role_revoke(db, lc_auth_actor(req), id, &role);
	lc_site_db_release(req, db);
	db = NULL;
	if (err == LC_ENOTFOUND) {
		lc_resp_error(resp, 404, "%s", lc_site_t(req, "user_not_found"));
		err = 0;
	} else if (err == LC_ELIMIT) {
		lc_resp_error(resp, 422, "%s", lc_site_t(req, "role_too_many"));
		err = 0;
	} else if (!err) {
		err = back_to_user(req, resp, grant ? "granted" : "revoked");
	}
out:
	lc_site_db_release(req, db);
	return lc_auth_fail(req, resp, err);
}

static int route_admin_grant(struct lc_req *req, struct lc_resp *resp)
{
	return change_role(req, resp, true);
}

static int route_admin_revoke(struct lc_req *req, struct lc_resp *resp)
{
	return change_role(req, resp, false);
}

/* ---- /admin/audit ------------------------------------------------------------------------- */

static void audit_query(const struct lc_req *req, struct lc_audit_query *q)
{
	memset(q, 0, sizeof *q);
	q->person = param(req, "person");
	q->action = param(req, "action");
	q->object_type = param(req, "object_type");
	q->object_id = param(req, "object_id");
	q->from = param(req, "from");
	q->to = param(req, "to");
	q->page = lc_req_int(req, "page", 1);
	q->per_page = lc_req_int(req, "per_page", LC_DEFAULT_PER_PAGE);
}

/* Adds "<key>_text": the snapshot as indented JSON, for a <pre>. */
static void snapshot_text(struct lc_req *req, json_t *item, const char *key)
{
	const json_t *v = json_object_get(item, key);
	if (!v || json_is_null(v))
		return;
	size_t flags = JSON_INDENT(1) | JSON_SORT_KEYS;
	size_t n = json_dumpb(v, NULL, 0, flags);
	if (n == 0 || n > LC_LIMIT_AUDIT_JSON_BYTES * 2)
		return;
	char *s = lc_req_alloc(req, n + 1);
	json_dumpb(v, s, n, flags);
	s[n] = '\0';
	char name[32];
	snprintf(name, sizeof name, "%s_text", key);
	json_object_set_new(item, name, json_stringn(s, n));
}

/* The entries the filters ask for (page and download). */
static int load_audit(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	struct lc_audit_query q;
	audit_query(req, &q);
	int err = lc_audit_list(db, lc_auth_actor(req), &q, vm);
	if (err == LC_EINVAL && d)
		lc_diag_add(d, NULL, 0, 0, "filter", "filter_bad");
	return err;
}

static const struct lc_site_column audit_columns[] = {
    {"at", "audit_when"},
    {"actor.email", "audit_person"},
    {"action", "audit_action"},
    {"object.type", "audit_object_type"},
    {"object.id", "audit_object_id"},
    {"reason", "reason"},
    {0},
};
static const struct lc_download audit_download = {
    .load = load_audit, .columns = audit_columns, .file = "audit"};

static int route_admin_audit(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_audit_query q;
	audit_query(req, &q);
	struct lc_db *db = NULL;
	json_t *vm = NULL, *extra = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = load_audit(req, db, &vm, NULL);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL) {
		lc_resp_error(resp, 400, "%s", lc_site_t(req, "filter_bad"));
		return 0;
	}
	if (err)
		return lc_auth_fail(req, resp, err);
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(vm, "items"), i, it)
	{
		snapshot_text(req, it, "before");
		snapshot_text(req, it, "after");
	}
	lc_auth_human_times(vm);
	long total = (long)json_integer_value(json_object_get(vm, "total"));
	extra = json_object();
	json_object_set_new(extra, "has_results", json_boolean(total > 0));
	json_object_set_new(extra, "pager", lc_site_pager(req, vm));
	/* The export link: the same filters on the API. */
	const char *here = lc_site_url_with(req, "export", "1");
	const char *query = strchr(here, '?');
	json_object_set_new(
	    extra, "export_href",
	    json_string(lc_arena_printf(req->arena, "/api/v1/audit%s", query ? query : "")));
	json_object_set_new(
	    extra, "form",
	    json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:b}", "person", q.person, "action", q.action,
	              "object_type", q.object_type, "object_id", q.object_id, "from", q.from, "to",
	              q.to, "active",
	              q.person || q.action || q.object_type || q.object_id || q.from || q.to));
	json_object_set_new(extra, "downloads", lc_download_links(req, "/admin/audit"));
	err = lc_site_page(req, resp, "admin_audit", lc_site_t(req, "admin_audit_title"), "audit",
	                   vm, extra);
	json_decref(vm);
	json_decref(extra);
	return err;
}

static int route_api_audit(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_audit_query q;
	audit_query(req, &q);
	struct lc_db *db = NULL;
	json_t *vm = NULL;
	bool export = lc_req_bool(req, "export");
	int err = lc_site_db(req, &db);
	if (!err && export) {
		json_t *items = NULL;
		err = lc_audit_export(db, lc_auth_actor(req), &q, &items);
		if (!err)
			vm = json_pack("{s:o}", "items", items);
	} else if (!err) {
		err = lc_audit_list(db, lc_auth_actor(req), &q, &vm);
	}
	lc_site_db_release(req, db);
	if (err == LC_EINVAL) {
		lc_resp_error(resp, 400, "%s", lc_site_t(req, "filter_bad"));
		return 0;
	}
	if (err == LC_ELIMIT) {
		lc_resp_error(resp, 413, "%s", lc_site_t(req, "export_too_big"));
		return 0;
	}
	if (!err) {
		if (export)
			lc_resp_header(resp, "Content-Disposition",
			               "attachment; filename=\"audit.json\"");
		err = lc_resp_json(resp, vm);
	}
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

/* ---- /admin/outbox ------------------------------------------------------------------------ */

/* The messages the filter asks for, with their state said in words (page and download). */
static int load_outbox(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	struct lc_outbox_query q = {
	    .state = param(req, "state"),
	    .page = lc_req_int(req, "page", 1),
	    .per_page = lc_req_int(req, "per_page", LC_DEFAULT_PER_PAGE),
	};
	int err = lc_outbox_list(db, lc_auth_actor(req), &q, vm);
	if (err)
		return err;
	bool may_send = lc_authz_check(lc_auth_actor(req), LC_ACT_SEND_OUTBOX, NULL) == 0;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(*vm, "items"), i, it)
	{
		const char *st = json_string_value(json_object_get(it, "state"));
		json_object_set_new(it, "state_text",
		                    json_string(lc_label_text(req, outbox_state_labels, st)));
		json_object_set_new(it, "can_retry",
		                    json_boolean(may_send && st && !strcmp(st, "failed")));
	}
	return 0;
}

/* The bodies stay out: long texts, each on the page for whoever needs it. */
static const struct lc_site_column outbox_columns[] = {
    {"to", "outbox_to"},
    {"subject", "outbox_subject"},
    {"state_text", "state"},
    {"attempts", "outbox_attempts"},
    {"created_at", "created"},
    {"sent_at", "outbox_sent"},
    {"last_error", "outbox_last_error"},
    {0},
};
static const struct lc_download outbox_download = {
    .load = load_outbox, .columns = outbox_columns, .file = "outbox"};

static int route_admin_outbox(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	json_t *vm = NULL, *extra = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = load_outbox(req, db, &vm, NULL);
	lc_site_db_release(req, db);
	if (err)
		return lc_auth_fail(req, resp, err);
	long total = (long)json_integer_value(json_object_get(vm, "total"));
	extra = json_object();
	json_object_set_new(extra, "has_results", json_boolean(total > 0));
	json_object_set_new(extra, "pager", lc_site_pager(req, vm));
	json_object_set_new(
	    extra, "form",
	    json_pack("{s:o,s:b}", "states",
	              options(req, outbox_states, outbox_state_labels, param(req, "state")),
	              "active", param(req, "state") != NULL));
	json_object_set_new(extra, "downloads", lc_download_links(req, "/admin/outbox"));
	set_done(req, vm);
	lc_auth_human_times(vm);
	err = lc_site_page(req, resp, "admin_outbox", lc_site_t(req, "admin_outbox_title"),
	                   "outbox", vm, extra);
	json_decref(vm);
	json_decref(extra);
	return err;
}

static int route_admin_outbox_retry(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_outbox_retry(db, lc_auth_actor(req), lc_req_int(req, "id", 0));
	lc_site_db_release(req, db);
	if (err == LC_ENOTFOUND) {
		lc_resp_error(resp, 404, "%s", lc_site_t(req, "message_not_found"));
		return 0;
	}
	if (!err)
		err = lc_resp_redirect(resp, "/admin/outbox?done=retried");
	return lc_auth_fail(req, resp, err);
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/admin/users", route_admin_users, admin_users_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_USERS), NULL},
    LC_DOWNLOADS("/admin/users", &users_download, admin_users_params,
                 LC_ROUTE_LOGIN | A(MANAGE_USERS)),
    {LC_HTTP_POST, "/admin/users/invite", route_admin_invite, admin_invite_params, 0,
     LC_ROUTE_LOGIN | A(INVITE), NULL},
    {LC_HTTP_GET, "/admin/users/{id}", route_admin_user, admin_user_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_USERS), NULL},
    {LC_HTTP_GET, "/admin/users/{id}/disable", route_admin_disable_form, admin_user_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_USERS), NULL},
    {LC_HTTP_POST, "/admin/users/{id}/disable", route_admin_disable, admin_reason_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_USERS), NULL},
    {LC_HTTP_POST, "/admin/users/{id}/enable", route_admin_enable, admin_reason_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_USERS), NULL},
    {LC_HTTP_POST, "/admin/users/{id}/roles", route_admin_grant, admin_role_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_USERS), NULL},
    {LC_HTTP_POST, "/admin/users/{id}/roles/revoke", route_admin_revoke, admin_role_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_USERS), NULL},
    {LC_HTTP_GET, "/admin/audit", route_admin_audit, admin_audit_params, 0,
     LC_ROUTE_LOGIN | A(VIEW_AUDIT), NULL},
    LC_DOWNLOADS("/admin/audit", &audit_download, admin_audit_params,
                 LC_ROUTE_LOGIN | A(VIEW_AUDIT)),
    {LC_HTTP_GET, "/admin/outbox", route_admin_outbox, admin_outbox_params, 0,
     LC_ROUTE_LOGIN | A(VIEW_OUTBOX), NULL},
    LC_DOWNLOADS("/admin/outbox", &outbox_download, admin_outbox_params,
                 LC_ROUTE_LOGIN | A(VIEW_OUTBOX)),
    {LC_HTTP_POST, "/admin/outbox/{id}/retry", route_admin_outbox_retry, admin_outbox_retry_params,
     0, LC_ROUTE_LOGIN | A(SEND_OUTBOX), NULL},
    {LC_HTTP_GET, "/api/v1/audit", route_api_audit, admin_audit_params, 0,
     LC_ROUTE_LOGIN | A(VIEW_AUDIT), NULL},
};

#undef A

LC_ROUTE_GROUP(admin, rows);
