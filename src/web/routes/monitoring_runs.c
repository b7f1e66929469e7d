/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The API of index runs and background jobs: POST /api/v1/index-runs queues
 * a run (202 with Location /api/v1/jobs/{id}), GET /api/v1/jobs/{id} shows a
 * job's progress, POST /api/v1/jobs/{id}/cancel asks it to stop, and GET
 * /api/v1/index-runs lists the stored runs and /api/v1/index-runs/{id} shows
 * one (lc_score_matrix); POST /api/v1/index-specs saves
 * a spec that later runs may name. The work itself happens on the
 * worker thread of `serve` (domain/job.c): these handlers only read and
 * write rows. Admin only (LC_ACT_RUN_INDEX, checked again in domain/).
 *
 * The pages: /admin/index-runs lists the stored runs and the latest
 * index-run jobs, and has the form that starts one (then 303 to /admin/jobs/{id}); /admin/jobs/{id}
 * shows a job's progress bar, refreshing itself while it runs (a <noscript> meta refresh, or
 * static/job.js polling /api/v1/jobs/{id}), a cancel button with a confirmation step, and on
 * success the links to the results.
 */
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/platform/job.h"
#include "domain/monitoring/score.h"
#include "web/http.h"
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/label.h"

static const struct lc_param_spec index_runs_params[] = {
    {.name = "year", .source = LC_PARAM_QUERY, .type = LC_PARAM_INT, .min = 0, .max = 2999},
    {.name = NULL},
};

static const struct lc_param_spec job_id_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static int route_api_index_run_new(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	json_t *body = NULL;
	char msg[256];
	struct lc_db *db = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = 0;
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		goto out;
	}
	const json_t *year = json_object_get(body, "year"), *runs = json_object_get(body, "runs");
	const json_t *spec = json_object_get(body, "spec");
	if (!json_is_integer(year) || (runs && !json_is_integer(runs)) ||
	    (spec && !json_is_string(spec)) || (runs && json_integer_value(runs) < 0)) {
		lc_resp_error(resp, 400,
		              "Give {\"year\": 2024, \"runs\": 1000} (runs optional, "
		              "from 0 to %d).",
		              LC_SCORE_MAX_RUNS);
		goto out;
	}
	size_t n = runs ? (size_t)json_integer_value(runs) : LC_SCORE_DEFAULT_RUNS;
	err = lc_site_db(req, &db);
	int64_t id = 0;
	if (!err)
		err = lc_score_enqueue(db, &u->actor, (long)json_integer_value(year), n,
		                       json_string_value(spec), &id, &d);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL) {
		lc_resp_error(resp, 400, "%s: %s", d.count ? d.items[0].field : "input",
		              d.count ? d.items[0].message : "invalid");
		err = 0;
		goto out;
	}
	if (err)
		goto out;
	char loc[64];
	snprintf(loc, sizeof loc, "/api/v1/jobs/%lld", (long long)id);
	lc_resp_header(resp, "Location", loc);
	json_t *j =
	    json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "state", "queued", "href", loc);
	err = lc_resp_json(resp, j);
	resp->status = 202;
	json_decref(j);
out:
	lc_diag_cleanup(&d);
	json_decref(body);
	return lc_auth_fail(req, resp, err);
}

static int route_api_index_spec_new(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	json_t *body = NULL;
	char msg[256];
	struct lc_db *db = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = 0;
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		goto out;
	}
	const char *name = json_string_value(json_object_get(body, "name"));
	const json_t *spec = json_object_get(body, "spec");
	if (!name || !json_is_object(spec)) {
		lc_resp_error(resp, 400, "Give {\"name\": \"...\", \"spec\": {\"steps\": [...]}}.");
		goto out;
	}
	err = lc_site_db(req, &db);
	if (!err)
		err = lc_score_spec_save(db, &u->actor, name, spec, &d);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ECONFLICT) {
		lc_resp_error(resp, err == LC_EINVAL ? 400 : 409, "%s: %s",
		              d.count && d.items[0].field ? d.items[0].field : "name",
		              d.count ? d.items[0].message : "a spec with this name exists");
		err = 0;
		goto out;
	}
	if (err)
		goto out;
	json_t *j = json_pack("{s:s}", "name", name);
	err = lc_resp_json(resp, j);
	resp->status = 201;
	json_decref(j);
out:
	lc_diag_cleanup(&d);
	json_decref(body);
	return lc_auth_fail(req, resp, err);
}

static int route_api_job(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_db *db = NULL;
	json_t *j = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_job_get(db, &u->actor, lc_req_int(req, "id", 0), &j);
	lc_site_db_release(req, db);
	if (!err) {
		resp->status = 200;
		err = lc_resp_json(resp, j);
		lc_resp_header(resp, "Cache-Control", "no-store");
	}
	json_decref(j);
	return lc_auth_fail(req, resp, err);
}

static int route_api_job_cancel(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_db *db = NULL;
	json_t *j = NULL;
	int64_t id = lc_req_int(req, "id", 0);
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_job_cancel(db, &u->actor, id);
	if (!err)
		err = lc_job_get(db, &u->actor, id, &j);
	lc_site_db_release(req, db);
	if (!err)
		err = lc_resp_json(resp, j);
	json_decref(j);
	return lc_auth_fail(req, resp, err);
}

static int route_api_index_run(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	json_t *j = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_score_matrix(db, lc_req_int(req, "id", 0), &j);
	lc_site_db_release(req, db);
	if (!err)
		err = lc_resp_json(resp, j);
	json_decref(j);
	return lc_auth_fail(req, resp, err);
}

static int route_api_index_runs(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	json_t *j = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_score_list(db, lc_req_int(req, "year", 0), &j);
	lc_site_db_release(req, db);
	if (!err)
		err = lc_resp_json(resp, j);
	json_decref(j);
	return lc_auth_fail(req, resp, err);
}

/* ---- pages: /admin/index-runs and /admin/jobs/{id} ---------------------------------------- */

static const struct lc_param_spec admin_index_runs_params[] = {
    {.name = "page",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_INT,
     .min = 1,
     .max = LC_LIMIT_PAGE,
     .dflt = "1"},
    {.name = "year", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 8},
    {.name = "runs", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 8},
    {.name = "spec", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 80},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec admin_job_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "confirm", .source = LC_PARAM_QUERY, .type = LC_PARAM_BOOL},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* A decimal number of at most 9 digits from a form field, or -1 (empty or not a number). */
static long form_number(const char *s)
{
	long v = 0;
	if (!s || !*s || strlen(s) > 9)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v;
}

static const struct lc_label job_states[] = {
    {"queued", "job_state_queued"},       {"running", "job_state_running"},
    {"done", "job_state_done"},           {"failed", "job_state_failed"},
    {"cancelled", "job_state_cancelled"}, {NULL, NULL},
};

/* The label of a job state in the request's language. */
static const char *state_text(struct lc_req *req, const char *state)
{
	return lc_label_text(req, job_states, state);
}

/*
 * Decorates a job (lc_job_get's JSON) for a page: state_text, running (queued
 * or running), year and uncertainty runs from its params, and the number of
 * cities of its run from runs (lc_score_list's items, may be NULL).
 */
static void job_for_page(struct lc_req *req, json_t *job, const json_t *runs)
{
	const char *state = json_string_value(json_object_get(job, "state"));
	bool running = state && (!strcmp(state, "queued") || !strcmp(state, "running"));
	const json_t *params = json_object_get(job, "params");
	json_object_set_new(job, "state_text", json_string(state_text(req, state)));
	json_object_set_new(job, "running", json_boolean(running));
	json_object_set(job, "year", json_object_get(params, "year"));
	json_object_set(job, "ua_runs", json_object_get(params, "runs"));
	json_object_set(job, "spec", json_object_get(params, "spec"));
	json_int_t rid = json_integer_value(json_object_get(json_object_get(job, "result"), "id"));
	size_t i;
	const json_t *r;
	json_array_foreach(json_object_get(runs, "items"), i, r)
	{
		if (rid && json_integer_value(json_object_get(r, "id")) == rid)
			json_object_set(job, "cities", json_object_get(r, "cities"));
	}
	json_int_t pct =
	    (json_int_t)(json_real_value(json_object_get(job, "progress")) * 100 + 0.5);
	json_object_set_new(job, "percent", json_integer(pct));
}

/* Jobs shown on the runs page (the latest; each has its own page). */
#define RECENT_JOBS 10

/*
 * The page of runs: the stored runs (lc_score_list, newest first, a page at
 * a time) and the latest index-run jobs (queued, running, failed and
 * cancelled ones have no stored run). form: the start form's state {year,
 * runs, spec, error} (may be NULL).
 */
static int runs_page(struct lc_req *req, struct lc_resp *resp, json_t *form, int status)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_db *db = NULL;
	json_t *jobs = NULL, *runs = NULL, *vm = NULL, *extra = NULL, *years = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_job_list(db, &u->actor, lc_score_job_kind.kind, 1, RECENT_JOBS, &jobs);
	if (!err)
		err = lc_score_list(db, 0, &runs);
	if (!err)
		err = lc_score_years(db, &years);
	lc_site_db_release(req, db);
	if (err)
		goto out;
	size_t i;
	json_t *job;
	json_array_foreach(json_object_get(jobs, "items"), i, job) job_for_page(req, job, runs);
	const json_t *all = json_object_get(runs, "items");
	size_t total = json_array_size(all), per = LC_DEFAULT_PER_PAGE;
	size_t page = (size_t)lc_req_int(req, "page", 1), from = (page - 1) * per;
	json_t *items = json_array();
	for (size_t k = from; k < total && k < from + per; k++) {
		json_t *r = json_deep_copy(json_array_get(all, k));
		json_object_set_new(
		    r, "state_text",
		    json_string(state_text(req, json_string_value(json_object_get(r, "state")))));
		json_array_append_new(items, r);
	}
	vm = json_pack("{s:o,s:I,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page",
	               (json_int_t)page, "per_page", (json_int_t)per, "pages",
	               (json_int_t)((total + per - 1) / per));
	extra = json_object();
	json_object_set_new(extra, "has_results", json_boolean(total > 0));
	json_object_set_new(extra, "pager", lc_site_pager(req, vm));
	json_object_set(extra, "jobs", json_object_get(jobs, "items"));
	json_object_set_new(extra, "has_jobs",
	                    json_boolean(json_array_size(json_object_get(jobs, "items")) > 0));
	json_t *f = form ? json_deep_copy(form) : json_object();
	if (!json_object_get(f, "runs"))
		json_object_set_new(f, "runs", json_integer(LC_SCORE_DEFAULT_RUNS));
	json_object_set_new(f, "max_runs", json_integer(LC_SCORE_MAX_RUNS));
	/* Only the years a run can compute are offered; the asked one, else the newest, chosen. */
	const char *asked = json_string_value(json_object_get(f, "year"));
	size_t k;
	json_t *y;
	json_array_foreach(years, k, y)
	{
		json_int_t yv = json_integer_value(json_object_get(y, "year"));
		json_object_set_new(y, "selected",
		                    json_boolean(asked ? lc_site_number(asked, -1) == yv : k == 0));
	}
	json_object_set(f, "years", years);
	json_object_set_new(f, "has_years", json_boolean(json_array_size(years) > 0));
	json_object_set_new(extra, "form", f);
	lc_auth_human_times(vm);
	lc_auth_human_times(extra);
	err = lc_site_page(req, resp, "admin_index_runs", lc_site_t(req, "runs_title"), "runs", vm,
	                   extra);
	if (!err && status)
		resp->status = status;
out:
	json_decref(jobs);
	json_decref(runs);
	json_decref(years);
	json_decref(vm);
	json_decref(extra);
	return lc_auth_fail(req, resp, err);
}

static int route_admin_index_runs(struct lc_req *req, struct lc_resp *resp)
{
	return runs_page(req, resp, NULL, 0);
}

static int route_admin_index_run_new(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	const char *ys = lc_req_str(req, "year"), *rs = lc_req_str(req, "runs");
	const char *spec = lc_req_str(req, "spec");
	long year = form_number(ys), runs = rs && *rs ? form_number(rs) : LC_SCORE_DEFAULT_RUNS;
	struct lc_db *db = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0;
	int err = 0;
	if (year < 0 || runs < 0) {
		lc_diag_add(&d, NULL, 0, 0, year < 0 ? "year" : "runs",
		            year < 0 ? "runs_bad_year" : "runs_bad_runs");
		err = LC_EINVAL;
	} else {
		err = lc_site_db(req, &db);
		if (!err)
			err = lc_score_enqueue(db, &u->actor, year, (size_t)runs,
			                       spec && *spec ? spec : NULL, &id, &d);
		lc_site_db_release(req, db);
	}
	if (err == LC_EINVAL) {
		json_t *form = json_pack("{s:s,s:s,s:s,s:s}", "year", ys ? ys : "", "runs",
		                         rs ? rs : "", "spec", spec ? spec : "", "error",
		                         d.count ? lc_site_problem(req, &d.items[0])
		                                 : lc_site_t(req, "runs_bad"));
		err = runs_page(req, resp, form, 422);
		json_decref(form);
		lc_diag_cleanup(&d);
		return err;
	}
	lc_diag_cleanup(&d);
	if (!err) {
		char to[64];
		snprintf(to, sizeof to, "/admin/jobs/%lld", (long long)id);
		err = lc_resp_redirect(resp, to);
	}
	return lc_auth_fail(req, resp, err);
}

static int route_admin_job(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_db *db = NULL;
	json_t *job = NULL, *runs = NULL, *extra = NULL;
	int64_t id = lc_req_int(req, "id", 0);
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_job_get(db, &u->actor, id, &job);
	if (!err)
		err = lc_score_list(db, 0, &runs);
	lc_site_db_release(req, db);
	if (err)
		goto out;
	job_for_page(req, job, runs);
	bool running = json_is_true(json_object_get(job, "running"));
	extra = json_pack("{s:b}", "confirm_cancel", running && lc_req_bool(req, "confirm"));
	/*
	 * While the job runs the page refreshes itself: every 2 s by a <noscript>
	 * meta refresh, or every second by static/job.js, which polls the API and
	 * reloads once the job has ended (no inline script: the CSP forbids it).
	 */
	if (running) {
		json_object_set_new(extra, "refresh", json_integer(2));
		json_object_set_new(extra, "script", json_string("job.js"));
	}
	lc_auth_human_times(job);
	char title[96];
	snprintf(title, sizeof title, "%s %lld", lc_site_t(req, "job_title"), (long long)id);
	err = lc_site_page(req, resp, "admin_job", title, "runs", job, extra);
out:
	json_decref(job);
	json_decref(runs);
	json_decref(extra);
	return lc_auth_fail(req, resp, err);
}

static int route_admin_job_cancel(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_db *db = NULL;
	int64_t id = lc_req_int(req, "id", 0);
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_job_cancel(db, &u->actor, id);
	lc_site_db_release(req, db);
	if (!err) {
		char to[64];
		snprintf(to, sizeof to, "/admin/jobs/%lld", (long long)id);
		err = lc_resp_redirect(resp, to);
	}
	return lc_auth_fail(req, resp, err);
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_POST, "/api/v1/index-runs", route_api_index_run_new, NULL, 0,
     LC_ROUTE_LOGIN | A(RUN_INDEX), NULL},
    {LC_HTTP_GET, "/api/v1/index-runs", route_api_index_runs, index_runs_params, 0,
     LC_ROUTE_LOGIN | A(RUN_INDEX), NULL},
    {LC_HTTP_GET, "/api/v1/index-runs/{id}", route_api_index_run, job_id_params, 0,
     LC_ROUTE_LOGIN | A(RUN_INDEX), NULL},
    {LC_HTTP_POST, "/api/v1/index-specs", route_api_index_spec_new, NULL, 0,
     LC_ROUTE_LOGIN | A(RUN_INDEX), NULL},
    {LC_HTTP_GET, "/api/v1/jobs/{id}", route_api_job, job_id_params, 0,
     LC_ROUTE_LOGIN | A(RUN_INDEX), NULL},
    {LC_HTTP_POST, "/api/v1/jobs/{id}/cancel", route_api_job_cancel, job_id_params, 0,
     LC_ROUTE_LOGIN | A(RUN_INDEX), NULL},
    {LC_HTTP_GET, "/admin/index-runs", route_admin_index_runs, admin_index_runs_params, 0,
     LC_ROUTE_LOGIN | A(RUN_INDEX), NULL},
    {LC_HTTP_POST, "/admin/index-runs", route_admin_index_run_new, admin_index_runs_params, 0,
     LC_ROUTE_LOGIN | A(RUN_INDEX), NULL},
    {LC_HTTP_GET, "/admin/jobs/{id}", route_admin_job, admin_job_params, 0,
     LC_ROUTE_LOGIN | A(RUN_INDEX), NULL},
    {LC_HTTP_POST, "/admin/jobs/{id}/cancel", route_admin_job_cancel, admin_job_params, 0,
     LC_ROUTE_LOGIN | A(RUN_INDEX), NULL},
};

#undef A

LC_ROUTE_GROUP(monitoring_runs, rows);
