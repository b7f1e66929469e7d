/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The award's jury: JSON API. It owns no rule: jurors, assignments and
 * conflicts of interest are domain/award/jury.h's, which checks who may.
 *
 *   GET  /api/v1/award-rounds/{year}/conflicts    the conflicts the caller may see
 *   POST /api/v1/award-rounds/{year}/conflicts    {"nomination", "action", "type"?,
 *                                                  "juror"?, "reason"?}: 200 the conflicts
 *   POST /api/v1/award-rounds/{year}/jurors       {"juror", "country"?, "panel"?, "load"}: 201
 *   POST /api/v1/award-rounds/{year}/assignments  {"juror", "nomination"}: 201
 *   GET  /api/v1/nominations/{id}/scores/me       the caller's sheet (a juror of the round)
 *   PUT  /api/v1/nominations/{id}/scores/me       {"scores"?, "comment"?, "submit"?}: the sheet
 *   GET  /api/v1/award-rounds/{year}/ranking      the jury's ranking (the secretariat): JSON,
 *                                                  or CSV with ?format=csv or Accept: text/csv
 * Refusals: 401 anonymous, 403 not yours, 404 (a nomination a juror does
 * not read answers as one that does not exist), 409 not from this state
 * (or a juror's load), 422 {"error", "problems": [...]} with every problem.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "domain/award/jury.h"
#include "engine/award.h"
#include "formats/award_csv.h"
#include "web/http.h"

static const struct lc_param_spec year_params[] = {
    {.name = "year", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1900, .max = 2999},
    {.name = NULL},
};

/* ---- conflicts ------------------------------------------------------------------------------ */

static int load_conflicts(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	return lc_jury_conflicts(db, lc_auth_actor(req), lc_req_int(req, "year", 0), req->lang, vm);
}

static const struct lc_site_view conflicts_view = {.load = load_conflicts};

/* The JSON object body of a write, or 1 when it answered 400. */
static int body_of(struct lc_req *req, struct lc_resp *resp, json_t **body)
{
	char msg[256];
	*body = NULL;
	if (lc_req_json(req, body, msg, sizeof msg) || !json_is_object(*body)) {
		json_decref(*body);
		*body = NULL;
		lc_resp_error(resp, 400, "the body is a JSON object");
		return 1;
	}
	return 0;
}

static int route_conflict_post(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL, *vm = NULL;
	if (body_of(req, resp, &body))
		return 0;
	struct lc_diag d;
	lc_diag_init(&d);
	long year = lc_req_int(req, "year", 0);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_jury_conflict(db, lc_auth_actor(req), year, body, &d);
	if (!err)
		err = lc_jury_conflicts(db, lc_auth_actor(req), year, req->lang, &vm);
	lc_site_db_release(req, db);
	err = err ? lc_auth_api_fail(req, resp, err, &d) : lc_resp_json(resp, vm);
	json_decref(vm);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

/* ---- jurors and assignments ----------------------------------------------------------------- */

static int route_juror_post(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL;
	if (body_of(req, resp, &body))
		return 0;
	const json_t *load = json_object_get(body, "load");
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_jury_juror_set(db, lc_auth_actor(req), lc_req_int(req, "year", 0),
		                        json_string_value(json_object_get(body, "juror")),
		                        json_string_value(json_object_get(body, "country")),
		                        json_string_value(json_object_get(body, "panel")),
		                        json_is_integer(load) ? (long)json_integer_value(load) : 0,
		                        &d);
	lc_site_db_release(req, db);
	if (!err) {
		err = lc_resp_json(resp, body);
		resp->status = 201;
	} else {
		err = lc_auth_api_fail(req, resp, err, &d);
	}
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

static int route_assignment_post(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL;
	if (body_of(req, resp, &body))
		return 0;
	const json_t *nom = json_object_get(body, "nomination");
	struct lc_diag d;
	lc_diag_init(&d);
	int err = 0;
	if (!json_is_integer(nom) || json_integer_value(nom) <= 0) {
		lc_diag_add(&d, NULL, 0, 0, "nomination", "err_jury_nomination");
		err = LC_EINVAL;
	}
	struct lc_db *db = NULL;
	if (!err)
		err = lc_site_db(req, &db);
	if (!err)
		err = lc_jury_assign(db, lc_auth_actor(req), lc_req_int(req, "year", 0),
		                     (int64_t)json_integer_value(nom),
		                     json_string_value(json_object_get(body, "juror")), &d);
	lc_site_db_release(req, db);
	if (!err) {
		err = lc_resp_json(resp, body);
		resp->status = 201;
	} else {
		err = lc_auth_api_fail(req, resp, err, &d);
	}
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

/* ---- a juror's scores ---------------------------------------------------------------------- */

static const struct lc_param_spec id_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = NULL},
};

static int load_scores(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	return lc_jury_score_get(db, lc_auth_actor(req), lc_site_path_id(req), req->lang, vm);
}

static const struct lc_site_view scores_view = {.load = load_scores};

static int route_scores_put(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL, *vm = NULL;
	if (body_of(req, resp, &body))
		return 0;
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = lc_site_path_id(req);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_jury_score_put(db, lc_auth_actor(req), id, body, &d);
	if (!err)
		err = lc_jury_score_get(db, lc_auth_actor(req), id, req->lang, &vm);
	lc_site_db_release(req, db);
	err = err ? lc_auth_api_fail(req, resp, err, &d) : lc_resp_json(resp, vm);
	json_decref(vm);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

/* ---- the jury's ranking ------------------------------------------------------------------- */

static const char *const ranking_formats[] = {"json", "csv", NULL};

static const struct lc_param_spec ranking_params[] = {
    {.name = "year", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1900, .max = 2999},
    {.name = "format", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = ranking_formats},
    {.name = NULL},
};

/* CSV when ?format=csv, or without ?format when Accept names text/csv. */
static bool wants_csv(const struct lc_req *req)
{
	const char *f = lc_req_str(req, "format");
	if (f && *f)
		return strcmp(f, "csv") == 0;
	const char *accept = lc_req_header(req, "Accept");
	for (const char *p = accept; p && *p; p++)
		if (strncasecmp(p, "text/csv", 8) == 0)
			return true;
	return false;
}

static int route_ranking(struct lc_req *req, struct lc_resp *resp)
{
	long year = lc_req_int(req, "year", 0);
	struct lc_award_input in;
	struct lc_award_result r;
	struct lc_diag d;
	struct lc_buf b;
	json_t *doc = NULL;
	lc_award_input_init(&in);
	memset(&r, 0, sizeof(r));
	lc_diag_init(&d);
	lc_buf_init(&b, LC_LIMIT_HTTP_RESPONSE);
	struct lc_award_opts opts = {.seed = LC_AWARD_RANKING_SEED,
	                             .threads = LC_LIMIT_AWARD_RANKING_THREADS};
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_jury_rank(db, lc_auth_actor(req), year, &opts, &in, &r, &d);
	lc_site_db_read_end(req, db);
	if (err) {
		err = lc_auth_api_fail(req, resp, err, &d);
	} else if (wants_csv(req)) {
		lc_award_csv_write_ranking(&b, &in, &r);
		if (lc_buf_error(&b)) {
			err = lc_auth_fail(req, resp, LC_ELIMIT);
		} else {
			lc_resp_text(resp, "text/csv; charset=utf-8", lc_buf_cstr(&b), b.len);
			lc_resp_header(resp, "Content-Disposition",
			               lc_arena_printf(
			                   req->arena,
			                   "attachment; filename=\"award-%ld-ranking.csv\"", year));
		}
	} else {
		doc = lc_award_ranking_json(&in, &r);
		json_object_set_new(doc, "year", json_integer(year));
		err = lc_resp_json(resp, doc);
	}
	json_decref(doc);
	lc_buf_cleanup(&b);
	lc_diag_cleanup(&d);
	lc_award_result_cleanup(&r);
	lc_award_input_cleanup(&in);
	return err;
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/api/v1/award-rounds/{year}/conflicts", lc_site_view, year_params, 0,
     LC_ROUTE_LOGIN, &conflicts_view},
    {LC_HTTP_POST, "/api/v1/award-rounds/{year}/conflicts", route_conflict_post, year_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_POST, "/api/v1/award-rounds/{year}/jurors", route_juror_post, year_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_AWARD), NULL},
    {LC_HTTP_POST, "/api/v1/award-rounds/{year}/assignments", route_assignment_post, year_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_AWARD), NULL},
    {LC_HTTP_GET, "/api/v1/award-rounds/{year}/ranking", route_ranking, ranking_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_AWARD), NULL},
    {LC_HTTP_GET, "/api/v1/nominations/{id}/scores/me", lc_site_view, id_params, 0, LC_ROUTE_LOGIN,
     &scores_view},
    {LC_HTTP_PUT, "/api/v1/nominations/{id}/scores/me", route_scores_put, id_params, 0,
     LC_ROUTE_LOGIN, NULL},
};

#undef A

LC_ROUTE_GROUP(award_jury, rows);
