/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The whole history of a workflow case, page by page, newest first: the page
 * (/reports/{id}/history, /applications/{id}/history) and its /api/v1 twin,
 * served by one pair of handlers for every process. A case's own page shows
 * only its latest steps (LC_WF_HISTORY_SHOWN) and links here when there are
 * more. The route row's data names the process and the catalogue prefixes of
 * its steps and states (struct lc_wf_history_route).
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/limits.h"
#include "domain/application.h"
#include "domain/progress.h"
#include "domain/workflow.h"
#include "web/http.h"

/* A history route's data: the process and the catalogue prefixes of its steps and states. */
struct lc_wf_history_route {
	const struct lc_wf_process *process;
	const char *step_prefix;  /* catalogue prefix of its steps: "report_step_" */
	const char *state_prefix; /* catalogue prefix of its states: "wf_state_" */
};

static const struct lc_wf_history_route history_reports = {&lc_progress_process, "report_step_",
                                                           "wf_state_"};
static const struct lc_wf_history_route history_applications = {&lc_application_process,
                                                                "app_step_", "application_state_"};

static const struct lc_param_spec wf_history_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    LC_PAGE_PARAMS,
    {.name = NULL},
};

static const struct lc_wf_history_route *route_of(const struct lc_req *req)
{
	return req->route ? req->route->data : NULL;
}

static int load(struct lc_req *req, json_t **vm)
{
	const struct lc_wf_history_route *r = route_of(req);
	if (!r)
		return LC_EINTERNAL;
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_wf_history_of(db, &lc_auth_user(req)->actor, r->process,
		                       lc_req_int(req, "id", 0), lc_req_int(req, "page", 1),
		                       lc_req_int(req, "per_page", LC_DEFAULT_PER_PAGE), vm);
	lc_site_db_read_end(req, db);
	return err;
}

static int route_api_wf_history(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL;
	int err = load(req, &vm);
	if (!err)
		err = lc_resp_json(resp, vm);
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

/* The catalogue's prefix+name, else name itself (a step or state not yet translated). */
static const char *label(struct lc_req *req, const char *prefix, const char *name)
{
	char key[96];
	snprintf(key, sizeof key, "%s%s", prefix, name ? name : "");
	const char *t = lc_site_t(req, key);
	return strcmp(t, key) == 0 ? lc_arena_strdup(req->arena, name ? name : "") : t;
}

static int route_wf_history(struct lc_req *req, struct lc_resp *resp)
{
	const struct lc_wf_history_route *r = route_of(req);
	json_t *vm = NULL, *extra = NULL;
	int err = load(req, &vm);
	if (err)
		return lc_auth_fail(req, resp, err);
	size_t i;
	json_t *h;
	json_array_foreach(json_object_get(vm, "items"), i, h)
	{
		const char *from = json_string_value(json_object_get(h, "from"));
		json_object_set_new(
		    h, "step_label",
		    json_string(label(req, r->step_prefix,
		                      json_string_value(json_object_get(h, "transition")))));
		json_object_set_new(
		    h, "to_label",
		    json_string(
		        label(req, r->state_prefix, json_string_value(json_object_get(h, "to")))));
		if (from && *from)
			json_object_set_new(h, "from_label",
			                    json_string(label(req, r->state_prefix, from)));
	}
	lc_auth_human_times(vm);
	extra = json_object();
	json_object_set_new(extra, "pager", lc_site_pager(req, vm));
	err = lc_site_page(req, resp, "wf_history", lc_site_t(req, "wf_history_title"), NULL, vm,
	                   extra);
	json_decref(vm);
	json_decref(extra);
	return err;
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/applications/{id}/history", route_wf_history, wf_history_params, 0,
     LC_ROUTE_LOGIN, &history_applications},
    {LC_HTTP_GET, "/api/v1/applications/{id}/history", route_api_wf_history, wf_history_params, 0,
     LC_ROUTE_LOGIN, &history_applications},
    {LC_HTTP_GET, "/reports/{id}/history", route_wf_history, wf_history_params, 0, LC_ROUTE_LOGIN,
     &history_reports},
    {LC_HTTP_GET, "/api/v1/reports/{id}/history", route_api_wf_history, wf_history_params, 0,
     LC_ROUTE_LOGIN, &history_reports},
};

#undef A

LC_ROUTE_GROUP(workflow, rows);
