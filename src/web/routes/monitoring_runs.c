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
 */
#include <stdio.h>

#include "base/diag.h"
#include "base/error.h"
#include "db/db.h"
#include "domain/job.h"
#include "domain/score.h"
#include "web/http.h"
#include "web/routes/routes.h"

const struct lc_param_spec lc_index_runs_params[] = {
    {.name = "year", .source = LC_PARAM_QUERY, .type = LC_PARAM_INT, .min = 0, .max = 2999},
    {.name = NULL},
};

const struct lc_param_spec lc_job_id_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    LC_CSRF_PARAM,
    {.name = NULL},
};

int lc_route_api_index_run_new(struct lc_req *req, struct lc_resp *resp)
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

int lc_route_api_index_spec_new(struct lc_req *req, struct lc_resp *resp)
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

int lc_route_api_job(struct lc_req *req, struct lc_resp *resp)
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

int lc_route_api_job_cancel(struct lc_req *req, struct lc_resp *resp)
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

int lc_route_api_index_run(struct lc_req *req, struct lc_resp *resp)
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

int lc_route_api_index_runs(struct lc_req *req, struct lc_resp *resp)
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
