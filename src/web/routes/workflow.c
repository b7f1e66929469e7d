/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * One set of handlers for the routes of every workflow process (workflow.h):
 * the steps, page form and /api/v1 JSON, and the whole history of a case,
 * page by page, newest first. A case's own page shows only its latest steps
 * (LC_WF_HISTORY_SHOWN) and links to the whole history when there are more.
 * Each route row's data is the process's struct lc_wf_route.
 */
#include "web/routes/workflow.h"

#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "domain/workflow/workflow.h"
#include "web/http.h"
#include "web/routes/auth.h"
#include "web/routes/site.h"

const struct lc_param_spec lc_wf_history_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    LC_PAGE_PARAMS,
    {.name = NULL},
};

/* The step form's fields, after the {id} of lc_wf_step_params. */
#define STEP_FIELDS                                                                                \
	{.name = "to", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 31},           \
	    {.name = "reason",                                                                     \
	     .source = LC_PARAM_FORM,                                                              \
	     .type = LC_PARAM_STRING,                                                              \
	     .max_len = LC_LIMIT_REASON_BYTES},                                                    \
	    {.name = "confirm", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 31},  \
	    {.name = "link_city",                                                                  \
	     .source = LC_PARAM_FORM,                                                              \
	     .type = LC_PARAM_STRING,                                                              \
	     .max_len = 96},                                                                       \
	    {.name = "comment",                                                                    \
	     .source = LC_PARAM_FORM,                                                              \
	     .type = LC_PARAM_STRING,                                                              \
	     .max_len = LC_LIMIT_TEXT_BYTES},                                                      \
	    LC_CSRF_PARAM

const struct lc_param_spec lc_wf_step_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    STEP_FIELDS,
    {.name = NULL},
};

const struct lc_param_spec lc_wf_case_step_params[] = {
    STEP_FIELDS,
    {.name = NULL},
};

static const struct lc_wf_route *route_of(const struct lc_req *req)
{
	return req->route ? req->route->data : NULL;
}

/* Sets step_label, to_label and from_label on every entry of the array h. */
static void label_entries(struct lc_req *req, const struct lc_wf_route *r, json_t *h)
{
	size_t i;
	json_t *e;
	json_array_foreach(h, i, e)
	{
		const char *from = json_string_value(json_object_get(e, "from"));
		json_object_set_new(
		    e, "step_label",
		    json_string(lc_label_text(
		        req, r->steps, json_string_value(json_object_get(e, "transition")))));
		json_object_set_new(
		    e, "to_label",
		    json_string(lc_label_text(req, r->states,
		                              json_string_value(json_object_get(e, "to")))));
		/* "submitted (draft → submitted)" reads better than the step and the state
		 * alone, which share their words. */
		if (from && *from)
			json_object_set_new(e, "from_label",
			                    json_string(lc_label_text(req, r->states, from)));
	}
}

void lc_wf_route_label_history(struct lc_req *req, const struct lc_wf_route *r, json_t *vm)
{
	label_entries(req, r, json_object_get(vm, "history"));
	json_int_t id = json_integer_value(json_object_get(vm, "id"));
	if (r->process->path_fmt && id > 0)
		json_object_set_new(
		    vm, "history_href",
		    json_string(lc_arena_printf(
		        req->arena, "%s/history",
		        lc_arena_printf(req->arena, r->process->path_fmt, (long long)id))));
}

/* ---- steps ----------------------------------------------------------------------------------- */

static const char *reason_name(const struct lc_wf_route *r)
{
	return r->reason_field ? r->reason_field : "reason";
}

/* True when step (a transition's name) requires a reason from some state of p. */
static bool step_needs_reason(const struct lc_wf_process *p, const char *step)
{
	for (size_t i = 0; i < p->ntransitions; i++)
		if (strcmp(p->transitions[i].name, step) == 0 &&
		    (p->transitions[i].flags & LC_WF_REASON))
			return true;
	return false;
}

/*
 * Reads the API step's JSON body: to, reason and link borrowed from *body
 * (caller frees). 1 when it answered 400, else 0.
 */
static int read_api_step(struct lc_req *req, struct lc_resp *resp, const struct lc_wf_route *r,
                         json_t **body, const char **to, const char **reason, const char **link)
{
	char msg[256];
	*link = NULL;
	if (r->step) {
		/* The path names the step: only a step that needs a reason reads the body. */
		*to = r->step;
		*reason = NULL;
		if (!step_needs_reason(r->process, r->step))
			return 0;
		if (lc_req_json(req, body, msg, sizeof msg)) {
			lc_resp_error(resp, 400, "%s", msg);
			return 1;
		}
		*reason = json_string_value(json_object_get(*body, reason_name(r)));
		return 0;
	}
	if (lc_site_read_step(req, resp, body, to, reason))
		return 1;
	if (r->link_field) {
		const json_t *l = json_object_get(*body, r->link_field);
		if (l && !json_is_null(l) && !json_is_string(l)) {
			lc_resp_error(resp, 400, "\"%s\" must be a string or null", r->link_field);
			return 1;
		}
		*link = json_string_value(l);
	}
	return 0;
}

int lc_wf_route_api_step(struct lc_req *req, struct lc_resp *resp)
{
	const struct lc_wf_route *r = route_of(req);
	if (!r)
		return LC_EINTERNAL;
	struct lc_web_user *u = lc_auth_user(req);
	if (u->actor.kind == LC_ACTOR_ANONYMOUS)
		return lc_auth_fail(req, resp, LC_EAUTH);
	json_t *body = NULL, *vm = NULL;
	const char *to, *reason, *link;
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int64_t id = 0;
	int err = 0;
	if (read_api_step(req, resp, r, &body, &to, &reason, &link))
		goto out;
	err = lc_site_db(req, &db);
	if (!err)
		err = r->locate(req, db, &id);
	if (!err)
		err = r->take(req, db, &u->actor, id, to, reason, link, &d);
	if (!err)
		err = r->view(req, db, id, &vm);
	lc_site_db_release(req, db);
	if (!err)
		err = lc_resp_json(resp, vm);
	else if ((err == LC_EINVAL || err == LC_ECONFLICT) && r->refused_api)
		err = r->refused_api(req, resp, err == LC_EINVAL ? 422 : 409, &d);
	else if (err == LC_EINVAL || err == LC_ECONFLICT)
		err = lc_site_refuse(req, resp, err, &d);
out:
	json_decref(vm);
	json_decref(body);
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/*
 * True when the page form carries its ticked confirmation: confirm is "1"
 * (a box), "on", "true" or "yes". A text, not a boolean parameter, since an
 * application's button names the state it confirms (confirm=submitted) and
 * that route asks no confirmation: its form must not be refused for it.
 */
static bool confirmed(const struct lc_req *req)
{
	const char *c = lc_req_str(req, "confirm");
	return c && (strcmp(c, "1") == 0 || strcasecmp(c, "on") == 0 ||
	             strcasecmp(c, "true") == 0 || strcasecmp(c, "yes") == 0);
}

int lc_wf_route_step(struct lc_req *req, struct lc_resp *resp)
{
	const struct lc_wf_route *r = route_of(req);
	if (!r)
		return LC_EINTERNAL;
	struct lc_web_user *u = lc_auth_user(req);
	if (u->actor.kind == LC_ACTOR_ANONYMOUS)
		return lc_auth_fail(req, resp, LC_EAUTH);
	const char *to = r->step ? r->step : lc_req_str(req, "to");
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int64_t id = 0;
	int err = lc_site_db(req, &db);
	if (!err)
		err = r->locate(req, db, &id);
	if (!err && r->confirm && !confirmed(req)) {
		lc_site_db_release(req, db);
		err = r->refused(req, resp, id, 422, NULL);
		goto out;
	}
	if (!err && (!to || !*to))
		err = LC_EINVAL;
	else if (!err)
		err = r->take(req, db, &u->actor, id, to, lc_req_str(req, reason_name(r)),
		              r->link_field ? lc_req_str(req, r->link_field) : NULL, &d);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ECONFLICT)
		err = r->refused(req, resp, id, err == LC_EINVAL ? 422 : 409, &d);
	else if (!err)
		err = lc_resp_redirect(resp, r->done(req, id, to));
out:
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* ---- history --------------------------------------------------------------------------------- */

static int load(struct lc_req *req, json_t **vm)
{
	const struct lc_wf_route *r = route_of(req);
	if (!r)
		return LC_EINTERNAL;
	struct lc_db *db = NULL;
	int64_t id = lc_req_int(req, "id", 0);
	int err = lc_site_db_read(req, &db);
	if (!err && r->item)
		err = r->item(req, db, &id);
	if (!err)
		err = lc_wf_history_of(db, &lc_auth_user(req)->actor, r->process, id,
		                       lc_req_int(req, "page", 1),
		                       lc_req_int(req, "per_page", LC_DEFAULT_PER_PAGE), vm);
	lc_site_db_read_end(req, db);
	return err;
}

int lc_wf_route_api_history(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL;
	int err = load(req, &vm);
	if (!err)
		err = lc_resp_json(resp, vm);
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

int lc_wf_route_history(struct lc_req *req, struct lc_resp *resp)
{
	const struct lc_wf_route *r = route_of(req);
	json_t *vm = NULL, *extra = NULL;
	int err = load(req, &vm);
	if (err)
		return lc_auth_fail(req, resp, err);
	/* The partial draws vm["history"], as on a case's page. */
	json_object_set(vm, "history", json_object_get(vm, "items"));
	label_entries(req, r, json_object_get(vm, "history"));
	lc_auth_human_times(vm);
	extra = json_object();
	json_object_set_new(extra, "pager", lc_site_pager(req, vm));
	err = lc_site_page(req, resp, "wf_history", lc_site_t(req, "wf_history_title"), NULL, vm,
	                   extra);
	json_decref(vm);
	json_decref(extra);
	return err;
}
