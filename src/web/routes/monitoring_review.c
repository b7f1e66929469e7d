/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The review of reporting years in the browser: the secretariat's queue
 * (/admin/review, and its JSON twin /api/v1/review), the confirmation pages
 * of approving or returning a city's year (/admin/review/{slug}/{year}, a
 * return needs a comment) and the coordinator's confirmation before a
 * submission (/cities/{slug}/data/{year}/submit). Confirmations are plain
 * pages with a form, so they work without JavaScript.
 *
 * The steps themselves (the forms' POSTs and the API's
 * /api/v1/cities/{slug}/years/{year}/{submit,return,approve}) and a year's
 * whole history (/cities/{slug}/data/{year}/history and its /api/v1 twin)
 * are the generic workflow routes (workflow.h), one struct lc_wf_route a
 * step, since the path names the step; every step is taken by
 * domain/monitoring/year_review.h, which checks the permission and the
 * status again; this file only chooses pages, forms and redirects.
 */
#include "web/routes/monitoring_review.h"
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/workflow.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/directory/city.h"
#include "domain/monitoring/framework.h"
#include "domain/monitoring/year_review.h"
#include "web/http.h"
#include "web/router.h"

/* "all" lists every status; the others are lc_year_review_state_name's. */
static const char *const queue_statuses[] = {"submitted", "returned", "approved",
                                             "draft",     "all",      NULL};
static const char *const queue_done[] = {"approved", "returned", NULL};
static const struct lc_label review_done[] = {
    {"approved", "review_done_approved"},
    {"returned", "review_done_returned"},
    {NULL, NULL},
};

static const struct lc_param_spec review_queue_params[] = {
    {.name = "status",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_ENUM,
     .choices = queue_statuses,
     .dflt = "submitted"},
    {.name = "done", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = queue_done},
    LC_PAGE_PARAMS,
    {.name = NULL},
};

/*
 * {year} is not declared: as in monitoring_entry.c, a malformed year of a
 * forged POST must meet the CSRF check (403) before any 400.
 */
static const struct lc_param_spec review_step_params[] = {
    {.name = "step",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_ENUM,
     .choices = (const char *const[]){"approve", "return", NULL},
     .dflt = "approve"},
    {.name = "comment",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_TEXT_BYTES},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* {year} of the path as 1900..2999, or 0. */
static long year_of(const struct lc_req *req)
{
	const char *s = lc_req_str(req, "year");
	long y = 0;
	if (!s || strlen(s) != 4)
		return 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		y = y * 10 + (*p - '0');
	}
	return y >= 1900 && y <= 2999 ? y : 0;
}

const struct lc_label lc_review_states[] = {
    {"draft", "report_status_draft"},
    {"submitted", "report_status_submitted"},
    {"returned", "report_status_returned"},
    {"approved", "report_status_approved"},
    {NULL, NULL},
};

/* The label of a reporting status in the request's language. */
static const char *status_text(struct lc_req *req, const char *status)
{
	return lc_label_text(req, lc_review_states, status ? status : "draft");
}

/* ---- the queue ---------------------------------------------------------------------------- */

static int load_queue(struct lc_req *req, json_t **vm)
{
	const char *st = lc_req_str(req, "status");
	struct lc_year_review_query q = {
	    .status = st && strcmp(st, "all") != 0 ? st : NULL,
	    .lang = req->lang,
	    .page = lc_req_int(req, "page", 1),
	    .per_page = lc_req_int(req, "per_page", LC_DEFAULT_PER_PAGE),
	};
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_year_review_queue(db, lc_auth_actor(req), &q, vm);
	lc_site_db_release(req, db);
	return err;
}

static int route_api_review(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL;
	int err = load_queue(req, &vm);
	if (!err)
		err = lc_resp_json(resp, vm);
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

static int route_admin_review(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL, *extra = NULL;
	int err = load_queue(req, &vm);
	if (err)
		return lc_auth_fail(req, resp, err);
	const char *cur = lc_req_str(req, "status");
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(vm, "items"), i, it)
	{
		const char *s = json_string_value(json_object_get(it, "status"));
		json_object_set_new(it, "status_text", json_string(status_text(req, s)));
		json_object_set_new(it, "is_submitted",
		                    json_boolean(s && strcmp(s, "submitted") == 0));
	}
	json_t *opts = json_array();
	for (size_t k = 0; queue_statuses[k]; k++) {
		const char *label = strcmp(queue_statuses[k], "all") == 0
		                        ? lc_site_t(req, "report_status_all")
		                        : status_text(req, queue_statuses[k]);
		json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", queue_statuses[k],
		                                      "label", label, "selected",
		                                      cur && !strcmp(cur, queue_statuses[k])));
	}
	long total = (long)json_integer_value(json_object_get(vm, "total"));
	extra = json_object();
	json_object_set_new(extra, "has_results", json_boolean(total > 0));
	json_object_set_new(extra, "pager", lc_site_pager(req, vm));
	json_object_set_new(extra, "statuses", opts);
	json_object_set_new(extra, "waiting", json_boolean(!cur || strcmp(cur, "submitted") == 0));
	const char *done = lc_label_key(review_done, lc_req_str(req, "done"));
	if (done)
		json_object_set_new(extra, "done", json_string(lc_site_t(req, done)));
	lc_auth_human_times(vm);
	err = lc_site_page(req, resp, "admin_review", lc_site_t(req, "review_title"), "review", vm,
	                   extra);
	json_decref(vm);
	json_decref(extra);
	return err;
}

/* ---- one year: confirmation pages --------------------------------------------------------- */

/*
 * The view-model of a city-year's confirmation page: lc_year_review_get's, with
 * the city's name and the year's completeness. LC_ENOTFOUND for a bad year.
 */
static int load_year(struct lc_req *req, json_t **vm)
{
	const char *slug = lc_req_str(req, "slug");
	long year = year_of(req);
	json_t *rep = NULL, *city = NULL;
	struct lc_db *db = NULL;
	*vm = NULL;
	int err = year ? lc_site_db(req, &db) : LC_ENOTFOUND;
	if (!err)
		err = lc_year_review_get(db, lc_auth_actor(req), slug, year, &rep);
	if (!err)
		err = lc_city_get(db, slug, req->lang, &city);
	json_t *years = NULL;
	struct lc_year_review_query q = {.city = slug, .year = year, .lang = req->lang};
	if (!err)
		err = lc_year_review_queue(db, lc_auth_actor(req), &q, &years);
	lc_site_db_release(req, db);
	if (err)
		goto out;
	json_object_set(rep, "city_name", json_object_get(city, "name"));
	/* The year's completeness, so that nobody submits or approves 3 values of 57 unawares. */
	size_t k;
	json_t *y;
	json_array_foreach(json_object_get(years, "items"), k, y)
	{
		if (json_integer_value(json_object_get(y, "year")) != year)
			continue;
		json_int_t entered = json_integer_value(json_object_get(y, "entered"));
		json_int_t total = json_integer_value(json_object_get(y, "total"));
		json_object_set_new(rep, "completeness",
		                    json_pack("{s:I, s:I, s:I, s:I, s:b}", "entered", entered,
		                              "total", total, "missing", total - entered, "percent",
		                              json_integer_value(json_object_get(y, "percent")),
		                              "incomplete", entered < total));
	}
	json_decref(years);
	json_object_set_new(
	    rep, "status_text",
	    json_string(status_text(req, json_string_value(json_object_get(rep, "status")))));
	size_t i;
	json_t *h;
	json_array_foreach(json_object_get(rep, "history"), i, h)
	{
		json_object_set_new(
		    h, "to_text",
		    json_string(status_text(req, json_string_value(json_object_get(h, "to")))));
	}
	lc_auth_human_times(rep);
	*vm = rep;
	rep = NULL;
out:
	json_decref(rep);
	json_decref(city);
	return err;
}

/* Renders the review confirmation page; comment and error are the form's state (may be NULL). */
static int step_page(struct lc_req *req, struct lc_resp *resp, const char *step,
                     const char *comment, const char *error, int status)
{
	json_t *vm = NULL;
	int err = load_year(req, &vm);
	if (err)
		return lc_auth_fail(req, resp, err);
	bool approve = strcmp(step, "approve") == 0;
	const json_t *may = json_object_get(vm, "may");
	bool allowed = json_is_true(json_object_get(may, approve ? "approve" : "return"));
	json_t *extra = json_pack("{s:b,s:b,s:b,s:s?,s:s?}", "approve", approve, "return", !approve,
	                          "allowed", allowed, "comment_text", comment, "error", error);
	const char *title = lc_arena_printf(
	    req->arena, "%s – %s %ld", lc_site_t(req, approve ? "review_approve" : "review_return"),
	    json_string_value(json_object_get(vm, "city_name")), year_of(req));
	err = lc_site_page(req, resp, "review_step", title, "review", vm, extra);
	if (!err)
		resp->status = status ? status : allowed ? 200 : 409;
	json_decref(vm);
	json_decref(extra);
	return err;
}

static int route_admin_review_step(struct lc_req *req, struct lc_resp *resp)
{
	const char *step = lc_req_str(req, "step");
	return step_page(req, resp, step && *step ? step : "approve", NULL, NULL, 0);
}

/* The coordinator's confirmation before submitting (the POST is year_submit's). */
static int route_data_submit_confirm(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL;
	int err = load_year(req, &vm);
	if (err)
		return lc_auth_fail(req, resp, err);
	bool allowed = json_is_true(json_object_get(json_object_get(vm, "may"), "submit"));
	json_t *extra = json_pack("{s:b,s:b}", "submit", true, "allowed", allowed);
	const char *title =
	    lc_arena_printf(req->arena, "%s – %s %ld", lc_site_t(req, "data_submit"),
	                    json_string_value(json_object_get(vm, "city_name")), year_of(req));
	err = lc_site_page(req, resp, "review_step", title, "cities", vm, extra);
	if (!err && !allowed)
		resp->status = 409;
	json_decref(vm);
	json_decref(extra);
	return lc_auth_fail(req, resp, err);
}

void lc_review_names(struct lc_req *req, struct lc_db *db, const char *slug, const char *area,
                     json_t *vm)
{
	json_t *city = NULL, *fw = NULL;
	const json_t *name = NULL;
	if (lc_city_get(db, slug, req->lang, &city) == 0)
		name = json_object_get(city, "name");
	json_object_set_new(vm, "city_name",
	                    json_is_string(name) ? json_incref((json_t *)(uintptr_t)name)
	                                         : json_string(slug ? slug : ""));
	json_decref(city);
	if (!area || lc_framework_get(db, req->lang, &fw) != 0)
		return;
	size_t pi, ai;
	const json_t *part, *a;
	json_array_foreach(json_object_get(fw, "parts"), pi, part)
	{
		json_array_foreach(json_object_get(part, "areas"), ai, a)
		{
			const char *code = json_string_value(json_object_get(a, "code"));
			if (code && strcmp(code, area) == 0)
				json_object_set(vm, "area_title", json_object_get(a, "title"));
		}
	}
	json_decref(fw);
}

/* ---- the steps and the history: the generic workflow routes ------------------------------- */

static const struct lc_label year_steps[] = {
    {"create", "year_step_create"},
    {"submit", "year_step_submit"},
    {"return", "year_step_return"},
    {"approve", "year_step_approve"},
    {NULL, NULL},
};

/* The step of the request's route row (its struct lc_wf_route's). */
static const char *route_step(const struct lc_req *req)
{
	const struct lc_wf_route *r = req->route ? req->route->data : NULL;
	return r && r->step ? r->step : "";
}

/* The case is the path's city-year: the year is checked here, the city by the domain. */
static int locate_year(struct lc_req *req, struct lc_db *db, int64_t *id)
{
	(void)db;
	*id = 0;
	return year_of(req) ? 0 : LC_ENOTFOUND;
}

/* The year's workflow item, for its history: none yet is LC_ENOTFOUND. */
static int item_year(struct lc_req *req, struct lc_db *db, int64_t *id)
{
	long year = year_of(req);
	int err =
	    year ? lc_year_review_item_id(db, lc_req_str(req, "slug"), year, id) : LC_ENOTFOUND;
	return !err && !*id ? LC_ENOTFOUND : err;
}

static int take_year(struct lc_req *req, struct lc_db *db, const struct lc_actor *actor, int64_t id,
                     const char *to, const char *reason, const char *link, struct lc_diag *d)
{
	(void)id;
	(void)link;
	const char *slug = lc_req_str(req, "slug");
	long year = year_of(req);
	if (strcmp(to, "submit") == 0)
		return lc_year_review_submit(db, actor, slug, year, d);
	if (strcmp(to, "return") == 0)
		return lc_year_review_return(db, actor, slug, year, reason ? reason : "", d);
	if (strcmp(to, "approve") == 0)
		return lc_year_review_approve(db, actor, slug, year, d);
	return LC_EINVAL;
}

static int view_year(struct lc_req *req, struct lc_db *db, int64_t id, json_t **out)
{
	(void)id;
	return lc_year_review_get(db, lc_auth_actor(req), lc_req_str(req, "slug"), year_of(req),
	                          out);
}

/*
 * A refused page step: the coordinator's submission answers the problem
 * alone; the secretariat's confirmation page comes back with the comment
 * and why (a return's only invalid input is its comment).
 */
static int refused_year(struct lc_req *req, struct lc_resp *resp, int64_t id, int status,
                        const struct lc_diag *d)
{
	(void)id;
	const char *step = route_step(req);
	const char *problem = d && d->count ? lc_site_problem(req, &d->items[0]) : NULL;
	if (strcmp(step, "submit") == 0) {
		lc_resp_error(resp, status, "%s",
		              problem ? problem : lc_site_t(req, "data_submit_refused"));
		return 0;
	}
	const char *why = status == 422 && strcmp(step, "return") == 0
	                      ? lc_site_t(req, "review_comment_required")
	                  : problem ? problem
	                            : lc_site_t(req, "review_refused");
	return step_page(req, resp, step, lc_req_str(req, "comment"), why, status);
}

static int refused_api_year(struct lc_req *req, struct lc_resp *resp, int status,
                            const struct lc_diag *d)
{
	json_t *j = json_pack("{s:{s:i,s:s},s:o}", "error", "status", status, "message",
	                      lc_site_t(req, status == 409 ? "refused_conflict" : "review_refused"),
	                      "problems", lc_site_problems(req, d, true));
	int err = lc_resp_json(resp, j);
	json_decref(j);
	resp->status = status;
	return err;
}

/* After a submission, the year's page; after a review, the queue saying what was done. */
static const char *done_year(struct lc_req *req, int64_t id, const char *to)
{
	(void)id;
	if (strcmp(to, "submit") == 0)
		return lc_arena_printf(req->arena, "/cities/%s/data/%ld?submitted=1",
		                       lc_req_str(req, "slug"), year_of(req));
	return lc_arena_printf(req->arena, "/admin/review?done=%s",
	                       strcmp(to, "approve") == 0 ? "approved" : "returned");
}

#define YEAR_WF(name)                                                                              \
	{                                                                                          \
		.process = &lc_year_review_process, .states = lc_review_states,                    \
		.steps = year_steps, .locate = locate_year, .take = take_year, .view = view_year,  \
		.step = name, .reason_field = "comment", .item = item_year,                        \
		.refused = refused_year, .refused_api = refused_api_year, .done = done_year,       \
	}

static const struct lc_wf_route year_wf = YEAR_WF(NULL);
static const struct lc_wf_route year_submit = YEAR_WF("submit");
static const struct lc_wf_route year_return = YEAR_WF("return");
static const struct lc_wf_route year_approve = YEAR_WF("approve");

#undef YEAR_WF

/* A year's history: the page's; {slug} and {year} are the path's. */
static const struct lc_param_spec year_history_params[] = {
    LC_PAGE_PARAMS,
    {.name = NULL},
};

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/admin/review", route_admin_review, review_queue_params, 0,
     LC_ROUTE_LOGIN | A(REVIEW_OBSERVATIONS), NULL},
    {LC_HTTP_GET, "/api/v1/review", route_api_review, review_queue_params, 0,
     LC_ROUTE_LOGIN | A(REVIEW_OBSERVATIONS), NULL},
    {LC_HTTP_GET, "/admin/review/{slug}/{year}", route_admin_review_step, review_step_params, 0,
     LC_ROUTE_LOGIN | A(REVIEW_OBSERVATIONS), NULL},
    {LC_HTTP_POST, "/admin/review/{slug}/{year}/approve", lc_wf_route_step, lc_wf_case_step_params,
     0, LC_ROUTE_LOGIN | A(REVIEW_OBSERVATIONS), &year_approve},
    {LC_HTTP_POST, "/admin/review/{slug}/{year}/return", lc_wf_route_step, lc_wf_case_step_params,
     0, LC_ROUTE_LOGIN | A(REVIEW_OBSERVATIONS), &year_return},
    {LC_HTTP_GET, "/cities/{slug}/data/{year}/submit", route_data_submit_confirm, NULL, 0, 0, NULL},
    {LC_HTTP_POST, "/cities/{slug}/data/{year}/submit", lc_wf_route_step, lc_wf_case_step_params, 0,
     0, &year_submit},
    {LC_HTTP_GET, "/cities/{slug}/data/{year}/history", lc_wf_route_history, year_history_params, 0,
     LC_ROUTE_LOGIN, &year_wf},
    {LC_HTTP_POST, "/api/v1/cities/{slug}/years/{year}/submit", lc_wf_route_api_step, NULL, 0, 0,
     &year_submit},
    {LC_HTTP_POST, "/api/v1/cities/{slug}/years/{year}/return", lc_wf_route_api_step, NULL, 0, 0,
     &year_return},
    {LC_HTTP_POST, "/api/v1/cities/{slug}/years/{year}/approve", lc_wf_route_api_step, NULL, 0, 0,
     &year_approve},
    {LC_HTTP_GET, "/api/v1/cities/{slug}/years/{year}/history", lc_wf_route_api_history,
     year_history_params, 0, LC_ROUTE_LOGIN, &year_wf},
};

#undef A

LC_ROUTE_GROUP(monitoring_review, rows);
