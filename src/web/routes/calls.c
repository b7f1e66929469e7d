/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The calls for membership applications: the secretariat's page that opens
 * and edits them (/admin/calls), and the API (/api/v1/calls). The rules
 * (dates, one open call per year, the cap) are domain/call.h's.
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

/* A string member or "". */
static const char *str_or_empty(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* ---- calls ----------------------------------------------------------------------------------- */

/* Also serves /admin/calls/{id}, whose id is then an undeclared path string (path_id). */
static const struct lc_param_spec calls_params[] = {
    {.name = "year", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 8},
    {.name = "title", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 200},
    {.name = "opens", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 10},
    {.name = "closes", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 10},
    {.name = "cap", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 8},
    {.name = "done", .source = LC_PARAM_QUERY, .type = LC_PARAM_BOOL},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static void call_from(struct lc_call *c, const char *year, const char *title, const char *opens,
                      const char *closes, long cap)
{
	c->year = lc_site_number(year, -1);
	snprintf(c->title, sizeof c->title, "%s", title ? title : "");
	snprintf(c->opens, sizeof c->opens, "%s", opens ? opens : "");
	snprintf(c->closes, sizeof c->closes, "%s", closes ? closes : "");
	c->cap = cap;
}

static int calls_page(struct lc_req *req, struct lc_resp *resp, int status, json_t *errors,
                      int64_t err_id)
{
	struct lc_db *db = NULL;
	json_t *vm = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_call_list(db, false, &vm);
	lc_site_db_read_end(req, db);
	if (err)
		return err;
	json_object_set_new(vm, "errors", errors ? errors : json_object());
	if (err_id && errors && json_object_size(errors))
		json_object_set_new(vm, "edit_errors", json_true());
	json_object_set_new(vm, "done", json_boolean(lc_req_bool(req, "done")));
	if (!err_id && errors && json_object_size(errors))
		json_object_set_new(vm, "new_errors", json_true());
	err = lc_site_page(req, resp, "admin_calls", lc_site_t(req, "calls_title"), "calls", vm,
	                   NULL);
	json_decref(vm);
	resp->status = status;
	return err;
}

static int route_admin_calls(struct lc_req *req, struct lc_resp *resp)
{
	return lc_auth_fail(req, resp, calls_page(req, resp, 200, NULL, 0));
}

static int route_admin_call_save(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_call c = {.id = lc_site_path_id(req)};
	call_from(&c, lc_req_str(req, "year"), lc_req_str(req, "title"), lc_req_str(req, "opens"),
	          lc_req_str(req, "closes"), lc_site_number(lc_req_str(req, "cap"), -1));
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_call_save(db, &u->actor, &c, &d, NULL);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ECONFLICT)
		err = calls_page(req, resp, 422, lc_site_field_errors(req, &d), c.id);
	else if (!err)
		err = lc_resp_redirect(resp, "/admin/calls?done=1");
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

static int route_api_calls(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	json_t *vm = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_call_list(db, false, &vm);
	lc_site_db_read_end(req, db);
	if (!err)
		err = lc_resp_json(resp, vm);
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

static int route_api_call_save(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	json_t *body = NULL;
	char msg[256];
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		return 0;
	}
	struct lc_call c = {.id = lc_site_path_id(req)};
	char year[24] = "";
	const json_t *jy = json_object_get(body, "year");
	if (json_is_integer(jy))
		snprintf(year, sizeof year, "%" JSON_INTEGER_FORMAT, json_integer_value(jy));
	const json_t *jc = json_object_get(body, "cap");
	call_from(&c, jy ? (json_is_integer(jy) ? year : "x") : "", str_or_empty(body, "title"),
	          str_or_empty(body, "opens"), str_or_empty(body, "closes"),
	          !jc                   ? 0
	          : json_is_integer(jc) ? (long)json_integer_value(jc)
	                                : -1);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int64_t id = 0;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_call_save(db, &u->actor, &c, &d, &id);
	if (!err)
		err = lc_call_get(db, id, &c);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ECONFLICT) {
		err = lc_site_refuse(req, resp, err, &d);
	} else if (!err) {
		json_t *j = lc_call_json(&c);
		err = lc_resp_json(resp, j);
		json_decref(j);
		if (req->method == LC_HTTP_POST)
			resp->status = 201;
	}
	lc_diag_cleanup(&d);
	json_decref(body);
	return lc_auth_fail(req, resp, err);
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/admin/calls", route_admin_calls, calls_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_CALLS), NULL},
    {LC_HTTP_POST, "/admin/calls", route_admin_call_save, calls_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_CALLS), NULL},
    {LC_HTTP_POST, "/admin/calls/{id}", route_admin_call_save, calls_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_CALLS), NULL},
    {LC_HTTP_GET, "/api/v1/calls", route_api_calls, NULL, 0, 0, NULL},
    {LC_HTTP_POST, "/api/v1/calls", route_api_call_save, NULL, 0, LC_ROUTE_LOGIN | A(MANAGE_CALLS),
     NULL},
    {LC_HTTP_PUT, "/api/v1/calls/{id}", route_api_call_save, calls_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_CALLS), NULL},
};

#undef A

LC_ROUTE_GROUP(calls, rows);
