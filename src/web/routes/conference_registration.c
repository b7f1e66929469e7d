/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Registrations for a conference run in learncity: the JSON API. It owns no
 * rule: registrations, places and the waiting list are
 * domain/conference/registration.h's; steps go through the generic
 * workflow routes (workflow.h).
 *
 * API:
 *   POST /api/v1/conferences/{slug}/registrations      {"category", "answers"}: 201 the
 * registration GET  /api/v1/conferences/{slug}/registrations/{id} the registration (its owner,
 * organisers) PUT  /api/v1/conferences/{slug}/registrations/{id} {"answers"}: 200 the registration
 *   POST /api/v1/conferences/{slug}/registrations/{id}/transitions {"to", "reason"?}: 200
 * Refusals: 401, 403, 404, 409 (closed, by invitation, already registered, not from
 * this state), 422 {"error", "problems": [...]} with every problem.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/label.h"
#include "web/routes/workflow.h"

#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "domain/conference/registration.h"
#include "web/http.h"

static const struct lc_actor *actor_of(struct lc_req *req)
{
	return &lc_auth_user(req)->actor;
}

/* 422 for LC_EINVAL, 409 with the first problem for LC_ECONFLICT, else as lc_auth_fail. */
static int api_fail(struct lc_req *req, struct lc_resp *resp, int err, const struct lc_diag *d)
{
	if (err == LC_ECONFLICT)
		return lc_site_refusal(req, resp, 409,
		                       d->count ? lc_site_problem(req, &d->items[0])
		                                : "not possible in the current state",
		                       d);
	if (err == LC_EINVAL || err == LC_ELIMIT)
		return lc_site_refuse(req, resp, err, d);
	return lc_auth_fail(req, resp, err);
}

static const struct lc_param_spec slug_params[] = {
    {.name = "slug", .source = LC_PARAM_PATH, .type = LC_PARAM_STRING, .max_len = 64},
    {.name = NULL},
};

static const struct lc_param_spec id_params[] = {
    {.name = "slug", .source = LC_PARAM_PATH, .type = LC_PARAM_STRING, .max_len = 64},
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = NULL},
};

/* The registration of the path, when it belongs to the path's conference. */
static int view(struct lc_req *req, struct lc_db *db, int64_t id, json_t **out)
{
	int err = lc_conf_reg_view(db, actor_of(req), id, req->lang, out);
	const char *slug = lc_req_str(req, "slug");
	if (!err && slug &&
	    strcmp(json_string_value(json_object_get(json_object_get(*out, "conference"), "slug")),
	           slug) != 0) {
		json_decref(*out);
		*out = NULL;
		err = LC_ENOTFOUND;
	}
	return err;
}

static int route_api_create(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL, *vm = NULL;
	char msg[256];
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		return 0;
	}
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int64_t id = 0;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_conf_reg_create(db, actor_of(req), lc_req_str(req, "slug"),
		                         json_string_value(json_object_get(body, "category")),
		                         json_object_get(body, "answers"), &d, &id);
	if (!err)
		err = view(req, db, id, &vm);
	lc_site_db_release(req, db);
	if (!err) {
		err = lc_resp_json(resp, vm);
		resp->status = 201;
	} else {
		err = api_fail(req, resp, err, &d);
	}
	json_decref(vm);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

static int route_api_get(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL;
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = view(req, db, lc_site_path_id(req), &vm);
	lc_site_db_read_end(req, db);
	if (!err)
		err = lc_resp_json(resp, vm);
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

static int route_api_put(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL, *vm = NULL;
	char msg[256];
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		return 0;
	}
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int64_t id = lc_site_path_id(req);
	int err = lc_site_db(req, &db);
	if (!err)
		err = view(req, db, id, &vm); /* the path's conference, and the right to see it */
	json_decref(vm);
	vm = NULL;
	if (!err)
		err =
		    lc_conf_reg_update(db, actor_of(req), id, json_object_get(body, "answers"), &d);
	if (!err)
		err = view(req, db, id, &vm);
	lc_site_db_release(req, db);
	if (!err)
		err = lc_resp_json(resp, vm);
	else
		err = api_fail(req, resp, err, &d);
	json_decref(vm);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

/* ---- the workflow routes' data (workflow.h) ---------------------------------------------- */

static const struct lc_label states[] = {
    {"pending", "conf_state_pending"},
    {"approved", "conf_state_approved"},
    {"waitlisted", "conf_state_waitlisted"},
    {"offered", "conf_state_offered"},
    {"rejected", "conf_state_rejected"},
    {"withdrawn", "conf_state_withdrawn"},
    {"cancelled", "conf_state_cancelled"},
    {"expired", "conf_state_expired"},
    {NULL, NULL},
};

static const struct lc_label steps[] = {
    {"create", "conf_step_create"},   {"approve", "conf_step_approve"},
    {"reject", "conf_step_reject"},   {"waitlist", "conf_step_waitlist"},
    {"offer", "conf_step_offer"},     {"accept", "conf_step_accept"},
    {"decline", "conf_step_decline"}, {"expire", "conf_step_expire"},
    {"promote", "conf_step_promote"}, {"remove", "conf_step_remove"},
    {"cancel", "conf_step_cancel"},   {"withdraw", "conf_step_withdraw"},
    {"repend", "conf_step_repend"},   {NULL, NULL},
};

static int locate(struct lc_req *req, struct lc_db *db, int64_t *id)
{
	json_t *v = NULL;
	*id = lc_site_path_id(req);
	/* The path's conference must be the registration's. */
	int err = view(req, db, *id, &v);
	json_decref(v);
	return err == LC_EAUTH || err == LC_EPERM ? 0 : err;
}

static int take(struct lc_req *req, struct lc_db *db, const struct lc_actor *actor, int64_t id,
                const char *to, const char *reason, const char *link, struct lc_diag *d)
{
	(void)req, (void)link;
	return lc_conf_reg_take(db, actor, id, to, reason, d);
}

static int refused_api(struct lc_req *req, struct lc_resp *resp, int status,
                       const struct lc_diag *d)
{
	return lc_site_refusal(req, resp, status,
	                       d && d->count ? lc_site_problem(req, &d->items[0])
	                                     : "not possible in the current state",
	                       d);
}

static const struct lc_wf_route reg_wf = {
    .process = &lc_conf_reg_process,
    .states = states,
    .steps = steps,
    .locate = locate,
    .take = take,
    .view = view,
    .refused_api = refused_api,
};

/* ---- the routes ---- */

static const struct lc_route rows[] = {
    {LC_HTTP_POST, "/api/v1/conferences/{slug}/registrations", route_api_create, slug_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/api/v1/conferences/{slug}/registrations/{id}", route_api_get, id_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_PUT, "/api/v1/conferences/{slug}/registrations/{id}", route_api_put, id_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_POST, "/api/v1/conferences/{slug}/registrations/{id}/transitions",
     lc_wf_route_api_step, id_params, 0, LC_ROUTE_LOGIN, &reg_wf},
};

LC_ROUTE_GROUP(conference_registration, rows);
