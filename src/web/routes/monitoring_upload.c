/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Files for offline entry (GET /cities/{slug}/data/{year}/template.xlsx|.csv):
 * the city-year's template (domain/obs_template.h), pre-filled with last
 * year's values. Upload (POST /cities/{slug}/data/{year}/upload, a
 * multipart form with the CSRF token and a "file" part, CSV or XLSX told
 * apart by content): one all-or-nothing import (lc_obs_import_bytes, at most
 * LC_LIMIT_UPLOAD_ROWS rows), and the year page again with every problem
 * (row, column, value, reason) or a summary of new, changed and unchanged values.
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

static int send_template(struct lc_req *req, struct lc_resp *resp, enum lc_obs_template_format fmt)
{
	struct lc_web_user *u = lc_auth_user(req);
	const char *slug = lc_req_str(req, "slug");
	long year = lc_monitoring_entry_year(req);
	struct lc_db *db = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = year ? lc_site_db_read(req, &db) : LC_ENOTFOUND;
	if (!err) {
		lc_buf_reset(&resp->body);
		err = lc_obs_template(db, &u->actor, slug, year, fmt, &resp->body, NULL, &d);
	}
	lc_site_db_read_end(req, db);
	if (err == LC_EINVAL) {
		lc_resp_error(resp, 404, "%s", d.count ? d.items[0].message : "no such year");
		err = 0;
		goto out;
	}
	if (err)
		goto out;
	bool xlsx = fmt == LC_OBS_TEMPLATE_XLSX;
	resp->content_type =
	    xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	         : "text/csv; charset=utf-8";
	/* The slug is [a-z0-9-] (the catalogue found it), safe inside the quotes. */
	char *disp = lc_arena_printf(req->arena, "attachment; filename=\"%s-%ld-template.%s\"",
	                             slug, year, xlsx ? "xlsx" : "csv");
	lc_resp_header(resp, "Content-Disposition", disp);
out:
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

static int route_data_template_xlsx(struct lc_req *req, struct lc_resp *resp)
{
	return send_template(req, resp, LC_OBS_TEMPLATE_XLSX);
}

static int route_data_template_csv(struct lc_req *req, struct lc_resp *resp)
{
	return send_template(req, resp, LC_OBS_TEMPLATE_CSV);
}

static const struct lc_param_spec data_upload_params[] = {
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* "G" for column 7: how a spreadsheet names a column (CSV files get the number). */
static const char *column_name(struct lc_req *req, long col, bool xlsx)
{
	if (col <= 0)
		return "";
	if (!xlsx)
		return lc_arena_printf(req->arena, "%ld", col);
	char ref[16];
	lc_xlsx_format_ref(1, col, ref);
	ref[strcspn(ref, "0123456789")] = '\0';
	return lc_arena_strdup(req->arena, ref);
}

/* The upload's problems for the page: [{row, column, field, message}]. */
static json_t *upload_problems(struct lc_req *req, const struct lc_diag *d, bool xlsx)
{
	json_t *a = json_array();
	for (size_t i = 0; i < d->count; i++) {
		const struct lc_diag_entry *e = &d->items[i];
		json_array_append_new(
		    a, json_pack("{s:s,s:s,s:s,s:s}", "row",
		                 e->line > 0 ? lc_arena_printf(req->arena, "%ld", e->line) : "",
		                 "column", column_name(req, e->column, xlsx), "field",
		                 e->field ? e->field : "", "message", lc_site_problem(req, e)));
	}
	return a;
}

static int route_data_upload(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	const char *slug = lc_req_str(req, "slug");
	long year = lc_monitoring_entry_year(req);
	struct lc_db *db = NULL;
	struct lc_diag d;
	struct lc_obs_summary sum = {0};
	json_t *upload = NULL;
	lc_diag_init(&d);
	int err = 0;
	if (u->actor.kind == LC_ACTOR_ANONYMOUS) {
		err = LC_EAUTH;
		goto out;
	}
	if (!year) {
		err = LC_ENOTFOUND;
		goto out;
	}
	const struct lc_multipart_part *f = lc_multipart_find(req->parts, req->nparts, "file");
	const char *name = f && f->filename && f->filename[0] ? f->filename : "upload";
	bool xlsx = f && lc_obs_is_xlsx(f->data, f->len);
	if (!f || !f->filename || f->len == 0) {
		lc_diag_add(&d, NULL, 0, 0, "file", "data_upload_no_file");
		err = LC_EINVAL;
	} else {
		char ybuf[16];
		snprintf(ybuf, sizeof ybuf, "%ld", year);
		struct lc_obs_import_opts opts = {.layout = LC_OBS_LAYOUT_WIDE,
		                                  .city = slug,
		                                  .year = ybuf,
		                                  .max_rows = LC_LIMIT_UPLOAD_ROWS};
		err = lc_site_db(req, &db);
		if (!err)
			err = lc_obs_import_bytes(db, &u->actor, f->data, f->len, name, &opts, &d,
			                          &sum);
		lc_site_db_release(req, db);
	}
	if (err && lc_diag_total(&d) == 0 && err != LC_EINVAL && err != LC_ELIMIT)
		goto out; /* a failure of ours or no permission at all: the usual pages */
	if (err) {
		upload = json_pack("{s:b,s:s,s:o,s:I,s:I,s:b}", "ok", 0, "file", name, "problems",
		                   upload_problems(req, &d, xlsx), "total",
		                   (json_int_t)lc_diag_total(&d), "dropped", (json_int_t)d.dropped,
		                   "has_more", d.dropped > 0);
		err = lc_monitoring_entry_year_page(req, resp, upload, err == LC_EPERM ? 403 : 422);
		goto out;
	}
	/* Redirected, so that reloading the page does not post the file again. */
	err = lc_resp_redirect(
	    resp,
	    lc_arena_printf(req->arena,
	                    "/cities/%s/data/%ld?uploaded=1&new=%zu&changed=%zu&unchanged=%zu",
	                    slug, year, sum.written - sum.corrected, sum.corrected, sum.unchanged));
out:
	json_decref(upload);
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

static int route_data_upload_get(struct lc_req *req, struct lc_resp *resp)
{
	/* The address of an upload's answer, reloaded or in another language: the year page. */
	return lc_resp_redirect(resp, lc_arena_printf(req->arena, "/cities/%s/data/%s?lang=%s",
	                                              lc_req_str(req, "slug"),
	                                              lc_req_str(req, "year"), req->lang));
}

/* The templates and the upload's address: the path's {slug} and {year}, read by the handler. */
static const struct lc_param_spec year_path_params[] = {
    {.name = NULL},
};

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/cities/{slug}/data/{year}/template.xlsx", route_data_template_xlsx,
     year_path_params, 0, 0, NULL},
    {LC_HTTP_GET, "/cities/{slug}/data/{year}/template.csv", route_data_template_csv,
     year_path_params, 0, 0, NULL},
    {LC_HTTP_POST, "/cities/{slug}/data/{year}/upload", route_data_upload, data_upload_params,
     LC_LIMIT_HTTP_UPLOAD, LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/cities/{slug}/data/{year}/upload", route_data_upload_get, year_path_params, 0,
     0, NULL},
};

#undef A

LC_ROUTE_GROUP(monitoring_upload, rows);
