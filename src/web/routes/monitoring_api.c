/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Data entry through the API: PUT /api/v1/cities/{slug}/observations puts a
 * city's values for one year, all or nothing, and GET the same address lists
 * a city-year's values with every version.
 *
 * It owns no rule: validation, permissions, the reporting status and
 * versioning are domain/observation.h's (one batch through lc_obs_put or
 * lc_obs_import_csv), and this file only turns the request into rows and the
 * domain's problems into a JSON answer.
 *
 * Bodies:
 *   application/json  {"year": 2025, "values": [{"code": "1.1.1.a", "value": 92.5 | "92.5",
 *                      "source": "...", "note": "..."}, ...]}
 *   text/csv          the wide template layout of domain/obs_import.h
 *                     (code,value[,unit][,source][,note]; label and last_year ignored),
 *                     the year in the query: ?year=2025
 * Answers: 200 {"city", "year", "rows", "written", "corrected", "unchanged"};
 * 422 (or 403 when the only problems are permissions) with
 * {"error": {...}, "problems": [{"row", "column", "field", "message"}, ...]}
 * and nothing written.
 *
 * The review of a year (POST /api/v1/cities/{slug}/years/{year}/submit|
 * approve|return) is served by the workflow routes, in monitoring_review.c.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/monitoring_entry.h"
#include "web/routes/monitoring_review.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/log.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/monitoring/framework.h"
#include "domain/monitoring/monitoring_input.h"
#include "domain/monitoring/obs_import.h"
#include "domain/monitoring/obs_template.h"
#include "domain/monitoring/observation.h"
#include "domain/monitoring/year_review.h"
#include "domain/monitoring/score.h"
#include "engine/matrix.h"
#include "engine/tree.h"
#include "formats/xlsx.h"
#include "formats/coinr.h"
#include "formats/workbook.h"
#include "web/http.h"
#include "web/multipart.h"
#include "web/urlcodec.h"

static const struct lc_param_spec obs_api_params[] = {
    {.name = "year",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_INT,
     .min = LC_OBS_YEAR_MIN,
     .max = 9999},
    {.name = NULL},
};

/* Answers a refused batch: 422 (403 for permissions only) with every problem. */
static int answer_problems(const struct lc_req *req, struct lc_resp *resp, int err,
                           const struct lc_diag *d)
{
	int status = err == LC_EPERM ? 403 : 422;
	json_t *j = json_pack("{s:{s:i,s:s},s:o,s:I}", "error", "status", status, "message",
	                      err == LC_EPERM ? "you may not enter these values"
	                                      : "the values were refused; nothing was written",
	                      "problems", lc_site_problems(req, d, true), "dropped",
	                      (json_int_t)d->dropped);
	int rc = lc_resp_json(resp, j);
	json_decref(j);
	resp->status = status;
	return rc;
}

static int answer_summary(struct lc_resp *resp, const char *slug, long year,
                          const struct lc_obs_summary *s)
{
	json_t *j =
	    json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "city", slug, "year", (json_int_t)year, "rows",
	              (json_int_t)s->rows, "written", (json_int_t)s->written, "corrected",
	              (json_int_t)s->corrected, "unchanged", (json_int_t)s->unchanged);
	int rc = lc_resp_json(resp, j);
	json_decref(j);
	return rc;
}

/* A JSON member as the text of a cell: strings as they are, numbers printed
 * exactly, booleans as yes/no; absent or null is empty. Arena-allocated. */
static struct lc_slice cell_of(struct lc_req *req, const json_t *v, bool *bad)
{
	char tmp[64];
	const char *s = NULL;
	if (!v || json_is_null(v))
		return (struct lc_slice){"", 0};
	if (json_is_string(v))
		return (struct lc_slice){json_string_value(v), json_string_length(v)};
	if (json_is_integer(v)) {
		snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		s = tmp;
	} else if (json_is_real(v)) {
		snprintf(tmp, sizeof tmp, "%.17g", json_real_value(v));
		s = tmp;
	} else if (json_is_boolean(v)) {
		s = json_is_true(v) ? "yes" : "no";
	} else {
		*bad = true;
		return (struct lc_slice){"", 0};
	}
	const char *c = lc_arena_strdup(req->arena, s);
	return (struct lc_slice){c, strlen(c)};
}

static int put_json(struct lc_req *req, struct lc_resp *resp, struct lc_db *db,
                    const struct lc_actor *actor, const char *slug, struct lc_diag *d,
                    struct lc_obs_summary *sum, long *year_out)
{
	json_t *body = NULL;
	char msg[256];
	int err = 0;
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		return 1;
	}
	const json_t *jy = json_object_get(body, "year");
	const json_t *values = json_object_get(body, "values");
	if (!json_is_integer(jy) || !json_is_array(values)) {
		lc_resp_error(resp, 400,
		              "the body needs \"year\" (a whole number) and \"values\" (a list)");
		err = 1;
		goto out;
	}
	size_t n = json_array_size(values);
	if (n > LC_LIMIT_CSV_ROWS) {
		lc_resp_error(resp, 413, "too many values in one request");
		err = 1;
		goto out;
	}
	*year_out = (long)json_integer_value(jy);
	char ybuf[32];
	snprintf(ybuf, sizeof ybuf, "%" JSON_INTEGER_FORMAT, json_integer_value(jy));
	struct lc_obs_row *rows = lc_req_alloc(req, (n ? n : 1) * sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		const json_t *it = json_array_get(values, i);
		bool bad = !json_is_object(it);
		struct lc_obs_row *r = &rows[i];
		memset(r, 0, sizeof *r);
		r->city = (struct lc_slice){slug, strlen(slug)};
		r->year = (struct lc_slice){ybuf, strlen(ybuf)};
		r->measurement = cell_of(req, json_object_get(it, "code"), &bad);
		r->value = cell_of(req, json_object_get(it, "value"), &bad);
		r->source = cell_of(req, json_object_get(it, "source"), &bad);
		r->note = cell_of(req, json_object_get(it, "note"), &bad);
		r->line = (long)i + 1;
		if (bad)
			lc_diag_add(d, NULL, r->line, 0, "values",
			            "err_entry_each_value_object_strings");
	}
	if (lc_diag_total(d)) {
		err = LC_EINVAL;
		goto out;
	}
	err = lc_obs_put(db, actor, rows, n, d, sum);
out:
	json_decref(body);
	return err;
}

static int route_api_obs_put(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	const char *slug = lc_req_str(req, "slug");
	struct lc_db *db = NULL;
	struct lc_diag d;
	struct lc_obs_summary sum = {0};
	long year = lc_req_int(req, "year", 0);
	lc_diag_init(&d);
	int err = 0;
	if (u->actor.kind == LC_ACTOR_ANONYMOUS) {
		err = LC_EAUTH;
		goto out;
	}
	err = lc_site_db(req, &db);
	if (!err)
		err = lc_obs_may_enter(db, &u->actor, slug);
	if (err)
		goto out;
	const char *ct = req->content_type ? req->content_type : "";
	if (strncasecmp(ct, "text/csv", 8) == 0) {
		if (!year) {
			lc_resp_error(resp, 400,
			              "a CSV body needs the year in the query: ?year=2025");
			goto out;
		}
		char ybuf[32];
		snprintf(ybuf, sizeof ybuf, "%ld", year);
		struct lc_obs_import_opts opts = {
		    .layout = LC_OBS_LAYOUT_WIDE, .city = slug, .year = ybuf};
		err = lc_obs_import_csv(db, &u->actor, req->body ? req->body : "", req->body_len,
		                        NULL, &opts, &d, &sum);
	} else {
		err = put_json(req, resp, db, &u->actor, slug, &d, &sum, &year);
		if (err == 1) {
			err = 0;
			goto out;
		}
	}
	if (err == LC_EINVAL || err == LC_EPERM || (err == LC_ELIMIT && lc_diag_total(&d))) {
		err = answer_problems(req, resp, err == LC_ELIMIT ? LC_EINVAL : err, &d);
		goto out;
	}
	if (!err)
		err = answer_summary(resp, slug, year, &sum);
out:
	lc_site_db_release(req, db);
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

static int route_api_obs_get(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	long year = lc_req_int(req, "year", 0);
	json_t *vm = NULL;
	struct lc_db *db = NULL;
	int err = 0;
	if (!year) {
		lc_resp_error(resp, 400, "give the year: ?year=2025");
		return 0;
	}
	err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_obs_list(db, &u->actor, lc_req_str(req, "slug"), year, &vm);
	lc_site_db_read_end(req, db);
	if (!err)
		err = lc_resp_json(resp, vm);
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_PUT, "/api/v1/cities/{slug}/observations", route_api_obs_put, obs_api_params,
     LC_LIMIT_HTTP_UPLOAD, LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/api/v1/cities/{slug}/observations", route_api_obs_get, obs_api_params, 0, 0,
     NULL},
};

#undef A

LC_ROUTE_GROUP(monitoring_api, rows);
