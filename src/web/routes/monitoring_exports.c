/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Exports of APPROVED observations (public, like the published scores):
 *   GET /api/v1/observations.csv|.json?year=Y[&city=slug]  the current values
 *     (CSV text cells neutralised against formula injection by lc_buf_append_csv);
 *   GET /exports/observations.xlsx?year=Y[&city=slug]  the same rows as a workbook
 *     (formats/workbook.h: numbers as number cells that read back as the same double);
 *   GET /exports/scores.xlsx?year=Y[&city=slug]  the latest done index run of the year
 *     (lc_score_matrix): a city per row, a score per area, part and the index, and
 *     the rank with its 90 % interval; a second sheet says which run, and whether
 *     its figures are synthetic demonstration data;
 *   GET /exports/coinr/iData.csv|iMeta.csv?year=Y  the engine's input of that
 *     year (lc_monitoring_input_approved: measurements -> areas -> parts -> index)
 *     in COINr's format (formats/coinr.h), which `learncity index run --idata
 *     --imeta` reads back.
 * The files are written by formats/; this file reads the domain and answers.
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

static const struct lc_param_spec obs_export_params[] = {
    {.name = "year",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_INT,
     .required = true,
     .min = LC_OBS_YEAR_MIN,
     .max = 9999},
    {.name = "city", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 100},
    {.name = NULL},
};

/* A string member or "". */
static const char *str_or_empty(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/*
 * Collects the approved current values of a year (every city, or one) as a
 * JSON array of {city, year, code, value, number, unit, source, note}.
 * Approved years are public, so the caller's actor does not matter; local
 * measurements are left out (they are the city's own, not the network's).
 */
static int approved_values(struct lc_db *db, const struct lc_actor *actor, long year,
                           const char *only, json_t **out)
{
	struct lc_obs_catalog cat;
	json_t *all = json_array();
	int err = lc_obs_catalog_load(db, &cat);
	for (size_t c = 0; !err && c < cat.nc; c++) {
		const struct lc_obs_city *city = &cat.c[c];
		if (only && *only && strcmp(only, city->slug) != 0)
			continue;
		enum lc_year_review_state st = LC_YEAR_REVIEW_DRAFT;
		err = lc_year_review_state_get(db, city->id, year, &st);
		if (err || st != LC_YEAR_REVIEW_APPROVED)
			continue;
		json_t *list = NULL;
		err = lc_obs_current(db, actor, city->slug, year, &list);
		if (err)
			break;
		size_t i;
		const json_t *it;
		json_array_foreach(json_object_get(list, "items"), i, it)
		{
			const json_t *v = lc_monitoring_entry_current(it);
			if (!v || json_is_true(json_object_get(it, "local")))
				continue;
			json_array_append_new(
			    all,
			    json_pack(
			        "{s:s,s:I,s:O,s:O,s:O,s:O,s:O,s:O}", "city", city->slug, "year",
			        (json_int_t)year, "code", json_object_get(it, "code"), "value",
			        json_object_get(v, "value"), "number", json_object_get(v, "number"),
			        "unit", json_object_get(it, "unit"), "source",
			        json_object_get(v, "source"), "note", json_object_get(v, "note")));
		}
		json_decref(list);
	}
	lc_obs_catalog_cleanup(&cat);
	if (err) {
		json_decref(all);
		return err;
	}
	*out = all;
	return 0;
}

static void csv_field(struct lc_buf *b, const char *s)
{
	lc_buf_append_csv(b, s, strlen(s));
}

enum workbook { WORKBOOK_OBSERVATIONS, WORKBOOK_SCORES };

/* Answers a workbook of formats/workbook.h with its type and file name. */
static int send_workbook(struct lc_resp *resp, enum workbook kind, const json_t *vm, long year,
                         const char *only)
{
	bool scores = kind == WORKBOOK_SCORES;
	struct lc_diag d;
	lc_diag_init(&d);
	lc_buf_reset(&resp->body);
	int err = scores ? lc_workbook_scores(vm, only, &resp->body, &d)
	                 : lc_workbook_observations(vm, year, &resp->body, &d);
	if (err && d.count)
		lc_log_error("%s: %s", scores ? "scores.xlsx" : "observations.xlsx",
		             d.items[0].message);
	lc_diag_cleanup(&d);
	if (err)
		return err == LC_EINVAL ? LC_EINTERNAL : err;
	resp->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	return lc_resp_header(resp, "Content-Disposition",
	                      scores ? "attachment; filename=\"scores.xlsx\""
	                             : "attachment; filename=\"observations.xlsx\"");
}

static int route_export_scores_xlsx(struct lc_req *req, struct lc_resp *resp)
{
	json_t *m = NULL;
	struct lc_db *db = NULL;
	int64_t run = 0;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_score_latest(db, lc_req_int(req, "year", 0), &run);
	if (!err)
		err = lc_score_matrix(db, run, &m);
	lc_site_db_read_end(req, db);
	if (!err)
		err = send_workbook(resp, WORKBOOK_SCORES, m, 0, lc_req_str(req, "city"));
	json_decref(m);
	return lc_auth_fail(req, resp, err);
}

enum export_format { EXPORT_CSV, EXPORT_JSON, EXPORT_XLSX };

static int export_observations(struct lc_req *req, struct lc_resp *resp, enum export_format fmt)
{
	bool csv = fmt == EXPORT_CSV;
	struct lc_web_user *u = lc_auth_user(req);
	long year = lc_req_int(req, "year", 0);
	json_t *rows = NULL;
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = approved_values(db, &u->actor, year, lc_req_str(req, "city"), &rows);
	lc_site_db_read_end(req, db);
	if (err)
		goto out;
	if (fmt == EXPORT_XLSX) {
		err = send_workbook(resp, WORKBOOK_OBSERVATIONS, rows, year, NULL);
		goto out;
	}
	if (!csv) {
		json_t *j = json_pack("{s:I,s:O}", "year", (json_int_t)year, "observations", rows);
		err = lc_resp_json(resp, j);
		json_decref(j);
		goto out;
	}
	struct lc_buf *b = &resp->body;
	lc_buf_reset(b);
	lc_buf_puts(b, "city,year,code,value,unit,source,note\r\n");
	size_t i;
	const json_t *r;
	json_array_foreach(rows, i, r)
	{
		csv_field(b, str_or_empty(r, "city"));
		lc_buf_printf(b, ",%ld,", year);
		csv_field(b, str_or_empty(r, "code"));
		lc_buf_putc(b, ',');
		/* A number is written as a number (a leading minus is not a formula). */
		if (json_is_number(json_object_get(r, "number")))
			lc_buf_put_double(b, json_number_value(json_object_get(r, "number")));
		else
			csv_field(b, str_or_empty(r, "value"));
		lc_buf_putc(b, ',');
		csv_field(b, str_or_empty(r, "unit"));
		lc_buf_putc(b, ',');
		csv_field(b, str_or_empty(r, "source"));
		lc_buf_putc(b, ',');
		csv_field(b, str_or_empty(r, "note"));
		lc_buf_puts(b, "\r\n");
	}
	if (lc_buf_error(b)) {
		err = LC_ELIMIT;
		goto out;
	}
	resp->content_type = "text/csv; charset=utf-8";
	lc_resp_header(resp, "Content-Disposition", "attachment; filename=\"observations.csv\"");
out:
	json_decref(rows);
	return lc_auth_fail(req, resp, err);
}

static int route_api_obs_export_csv(struct lc_req *req, struct lc_resp *resp)
{
	return export_observations(req, resp, EXPORT_CSV);
}

static int route_api_obs_export_json(struct lc_req *req, struct lc_resp *resp)
{
	return export_observations(req, resp, EXPORT_JSON);
}

static int route_export_obs_xlsx(struct lc_req *req, struct lc_resp *resp)
{
	return export_observations(req, resp, EXPORT_XLSX);
}

static int export_coinr(struct lc_req *req, struct lc_resp *resp, bool meta)
{
	struct lc_tree tree;
	struct lc_matrix m;
	struct lc_diag d;
	struct lc_db *db = NULL;
	lc_tree_init(&tree);
	lc_matrix_init(&m);
	lc_diag_init(&d);
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_monitoring_input_approved(db, lc_req_int(req, "year", 0), &tree, &m, &d);
	lc_site_db_read_end(req, db);
	if (err)
		goto out;
	struct lc_buf *b = &resp->body;
	lc_buf_reset(b);
	if (meta)
		lc_coinr_write_imeta(b, &tree);
	else
		lc_coinr_write_idata(b, &tree, &m);
	if (lc_buf_error(b)) {
		err = LC_ELIMIT;
		goto out;
	}
	resp->content_type = "text/csv; charset=utf-8";
	lc_resp_header(resp, "Content-Disposition",
	               meta ? "attachment; filename=\"iMeta.csv\""
	                    : "attachment; filename=\"iData.csv\"");
out:
	lc_tree_cleanup(&tree);
	lc_matrix_cleanup(&m);
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

static int route_export_coinr_idata(struct lc_req *req, struct lc_resp *resp)
{
	return export_coinr(req, resp, false);
}

static int route_export_coinr_imeta(struct lc_req *req, struct lc_resp *resp)
{
	return export_coinr(req, resp, true);
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/api/v1/observations.csv", route_api_obs_export_csv, obs_export_params, 0, 0,
     NULL},
    {LC_HTTP_GET, "/api/v1/observations.json", route_api_obs_export_json, obs_export_params, 0, 0,
     NULL},
    {LC_HTTP_GET, "/exports/coinr/iData.csv", route_export_coinr_idata, obs_export_params, 0, 0,
     NULL},
    {LC_HTTP_GET, "/exports/coinr/iMeta.csv", route_export_coinr_imeta, obs_export_params, 0, 0,
     NULL},
    {LC_HTTP_GET, "/exports/observations.xlsx", route_export_obs_xlsx, obs_export_params, 0, 0,
     NULL},
    {LC_HTTP_GET, "/exports/scores.xlsx", route_export_scores_xlsx, obs_export_params, 0, 0, NULL},
};

#undef A

LC_ROUTE_GROUP(monitoring_exports, rows);
