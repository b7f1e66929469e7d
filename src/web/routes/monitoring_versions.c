/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Every version of one value of a city-year, page by page, newest first:
 * /cities/{slug}/data/{year}/versions/{code} and its /api/v1 twin
 * /api/v1/cities/{slug}/observations/{code}/versions?year=. The data-entry
 * pages and lc_obs_list show the latest LC_OBS_VERSIONS_SHOWN versions of a
 * value and link here when a value has more.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"

#include "base/error.h"
#include "base/limits.h"
#include "domain/monitoring/observation.h"
#include "web/http.h"

/* The city's own measurements' codes are 1..40 bytes. */
#define CODE_PARAM                                                                                 \
	{                                                                                          \
		.name = "code", .source = LC_PARAM_PATH, .type = LC_PARAM_STRING, .max_len = 40    \
	}
static const struct lc_param_spec obs_versions_api_params[] = {
    CODE_PARAM,
    {.name = "year",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_INT,
     .required = true,
     .min = LC_OBS_YEAR_MIN,
     .max = 9999},
    LC_PAGE_PARAMS,
    {.name = "local", .source = LC_PARAM_QUERY, .type = LC_PARAM_BOOL},
    {.name = NULL},
};

static const struct lc_param_spec obs_versions_page_params[] = {
    CODE_PARAM,
    {.name = "year",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_INT,
     .min = LC_OBS_YEAR_MIN,
     .max = 9999},
    LC_PAGE_PARAMS,
    {.name = "local", .source = LC_PARAM_QUERY, .type = LC_PARAM_BOOL},
    {.name = NULL},
};

static int load(struct lc_req *req, json_t **vm)
{
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_obs_versions(db, &lc_auth_user(req)->actor, lc_req_str(req, "slug"),
		                      lc_req_str(req, "code"), lc_req_bool(req, "local"),
		                      lc_req_int(req, "year", 0), lc_req_int(req, "page", 1),
		                      lc_req_int(req, "per_page", LC_DEFAULT_PER_PAGE), vm);
	lc_site_db_read_end(req, db);
	return err;
}

static int route_api_obs_versions(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL;
	int err = load(req, &vm);
	if (!err)
		err = lc_resp_json(resp, vm);
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

static int route_obs_versions(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL;
	int err = load(req, &vm);
	if (err)
		return lc_auth_fail(req, resp, err);
	lc_auth_human_times(vm);
	json_t *extra = json_object();
	json_object_set_new(extra, "pager", lc_site_pager(req, vm));
	err = lc_site_page(req, resp, "obs_versions", lc_site_t(req, "data_all_versions"), NULL, vm,
	                   extra);
	json_decref(vm);
	json_decref(extra);
	return err;
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/api/v1/cities/{slug}/observations/{code}/versions", route_api_obs_versions,
     obs_versions_api_params, 0, 0, NULL},
    {LC_HTTP_GET, "/cities/{slug}/data/{year}/versions/{code}", route_obs_versions,
     obs_versions_page_params, 0, 0, NULL},
};

#undef A

LC_ROUTE_GROUP(monitoring_versions, rows);
