/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Data entry through the API: PUT /api/v1/cities/{slug}/observations puts a
 * city's values for one year, all or nothing, and GET the same address lists
 * a city-year's values with every version.
 *
 * It owns no rule: validation, permissions, the reporting status and
 * versioning are domain/observation.h's (one batch through lc_obs_put or
 * lc_obs_import_csv), and this file only turns the request into rows and the
 * domain's problems into a JSON answer. It does not serve the entry pages,
 * uploads or exports.
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
 * Review of a year (API; the pages are still to come):
 *   POST /api/v1/cities/{slug}/years/{year}/submit|approve, .../return with
 *   {"comment": "..."}: lc_report_submit/approve/return; 200 with the year's
 *   status and history, 409 when the transition is not allowed now, 422 with
 *   problems.
 *
 * The overview of a city's year (GET /cities/{slug}/data/{year}): its
 * status and the reviewer's comment, and the 12 areas with how many of their
 * measurements hold a value, each linking to its form; for a draft or
 * returned year a button submits it (POST /cities/{slug}/data/{year}/submit,
 * lc_report_submit decides who may).
 *
 * The entry page of one area of focus (GET and POST
 * /cities/{slug}/data/{year}/{area}): a form with every measurement of the
 * area (unit, type, allowed range, last year's value, value, source, note),
 * one batch through lc_obs_put on saving with every problem next to its
 * field, and each value's versions ("all versions": who, when, value).
 *
 * Files for offline entry (GET /cities/{slug}/data/{year}/template.xlsx|.csv):
 * the city-year's template (domain/obs_template.h), pre-filled with last
 * year's values. Upload (POST /cities/{slug}/data/{year}/upload, a
 * multipart form with the CSRF token and a "file" part, CSV or XLSX told
 * apart by content): one all-or-nothing import (lc_obs_import_bytes, at most
 * LC_LIMIT_UPLOAD_ROWS rows), and the year page again with every problem
 * (row, column, value, reason) or a summary of new, changed and unchanged values.
 *
 * Exports of APPROVED observations (public, like the published scores):
 *   GET /api/v1/observations.csv|.json?year=Y[&city=slug]  the current values
 *     (CSV text cells neutralised against formula injection by lc_buf_append_csv);
 *   GET /exports/observations.xlsx?year=Y[&city=slug]  the same rows as a workbook
 *     (numbers as number cells that read back as the same double);
 *   GET /exports/scores.xlsx?year=Y[&city=slug]  the latest done index run of the year
 *     (lc_score_matrix): a city per row, a score per area, part and the index, and
 *     the rank with its 90 % interval; a second sheet says which run, and whether
 *     its figures are synthetic demonstration data;
 *   GET /exports/coinr/iData.csv|iMeta.csv?year=Y  the engine's input of that
 *     year (lc_monitoring_input_approved: measurements -> areas -> parts -> index)
 *     in COINr's format, which `learncity index run --idata --imeta` reads back.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
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
#include "domain/authz.h"
#include "domain/framework.h"
#include "domain/monitoring_input.h"
#include "domain/obs_import.h"
#include "domain/obs_template.h"
#include "domain/observation.h"
#include "domain/reporting.h"
#include "domain/score.h"
#include "engine/matrix.h"
#include "engine/tree.h"
#include "formats/xlsx.h"
#include "formats/xlsx_write.h"
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

/* The current version of an item (the one flagged current), or NULL. */
static const json_t *current_version(const json_t *item)
{
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(item, "versions"), i,
	                   v) if (json_is_true(json_object_get(v, "current"))) return v;
	return NULL;
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
		enum lc_report_status st = LC_REPORT_DRAFT;
		err = lc_report_status_get(db, city->id, year, &st);
		if (err || st != LC_REPORT_APPROVED)
			continue;
		json_t *list = NULL;
		err = lc_obs_current(db, actor, city->slug, year, &list);
		if (err)
			break;
		size_t i;
		const json_t *it;
		json_array_foreach(json_object_get(list, "items"), i, it)
		{
			const json_t *v = current_version(it);
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

/* The export's rows as a workbook into resp: one sheet "Observations". */
static int export_xlsx(struct lc_resp *resp, long year, const json_t *rows)
{
	static const struct lc_xlsx_wcol cols[] = {
	    {.header = "city", .width = 16}, {.header = "year", .width = 8},
	    {.header = "code", .width = 12}, {.header = "value", .width = 14},
	    {.header = "unit", .width = 10}, {.header = "source", .width = 30},
	    {.header = "note", .width = 30},
	};
	enum { NC = sizeof cols / sizeof cols[0] };
	size_t n = json_array_size(rows);
	struct lc_xlsx_wcell *cells = lc_xcalloc((n ? n : 1) * NC, sizeof *cells);
	size_t i;
	const json_t *r;
	json_array_foreach(rows, i, r)
	{
		struct lc_xlsx_wcell *c = &cells[i * NC];
		static const char *const keys[NC] = {"city", NULL,     "code", "value",
		                                     "unit", "source", "note"};
		for (int k = 0; k < NC; k++) {
			const char *s = keys[k] ? str_or_empty(r, keys[k]) : "";
			c[k] = (struct lc_xlsx_wcell){.kind = *s ? LC_XLSX_W_TEXT : LC_XLSX_W_EMPTY,
			                              .text = s};
		}
		c[1] = (struct lc_xlsx_wcell){.kind = LC_XLSX_W_NUMBER, .num = (double)year};
		/* A number as a number cell: the writer keeps every digit of its double. */
		const json_t *num = json_object_get(r, "number");
		if (json_is_number(num))
			c[3] = (struct lc_xlsx_wcell){.kind = LC_XLSX_W_NUMBER,
			                              .num = json_number_value(num)};
	}
	const struct lc_xlsx_wsheet sheet = {.name = "Observations",
	                                     .cols = cols,
	                                     .n_cols = NC,
	                                     .cells = cells,
	                                     .n_rows = n,
	                                     .header = true};
	struct lc_diag d;
	lc_diag_init(&d);
	lc_buf_reset(&resp->body);
	int err = lc_xlsx_write(&sheet, 1, &resp->body, &d);
	if (err && d.count)
		lc_log_error("observations.xlsx: %s", d.items[0].message);
	lc_diag_cleanup(&d);
	lc_free(cells);
	if (err)
		return err == LC_EINVAL ? LC_EINTERNAL : err;
	resp->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	lc_resp_header(resp, "Content-Disposition", "attachment; filename=\"observations.xlsx\"");
	return 0;
}

/* A JSON number as a number cell; anything else (null: a missing score) as an empty cell. */
static struct lc_xlsx_wcell num_cell(const json_t *v)
{
	struct lc_xlsx_wcell c = {.kind = LC_XLSX_W_EMPTY};
	if (json_is_number(v)) {
		c.kind = LC_XLSX_W_NUMBER;
		c.num = json_number_value(v);
	}
	return c;
}

/* The scores of run m (lc_score_matrix's view-model) as a workbook into resp. */
static int scores_xlsx(struct lc_resp *resp, const json_t *m, const char *only)
{
	static const char *const ranks[] = {"rank", "rank_q5", "rank_median", "rank_q95"};
	enum { NR = sizeof ranks / sizeof ranks[0] };
	const json_t *codes = json_object_get(m, "codes"), *cities = json_object_get(m, "cities");
	size_t nk = json_array_size(codes), nc = json_array_size(cities), ncols = 2 + nk + NR;
	struct lc_xlsx_wcol *cols = lc_xcalloc(ncols, sizeof *cols);
	struct lc_xlsx_wcell *cells = lc_xcalloc((nc ? nc : 1) * ncols, sizeof *cells);
	cols[0] = (struct lc_xlsx_wcol){.header = "city", .width = 18};
	cols[1] = (struct lc_xlsx_wcol){.header = "name", .width = 24};
	for (size_t k = 0; k < nk; k++)
		cols[2 + k] = (struct lc_xlsx_wcol){
		    .header = str_or_empty(json_array_get(codes, k), "code"), .width = 9};
	for (size_t r = 0; r < NR; r++)
		cols[2 + nk + r] = (struct lc_xlsx_wcol){.header = ranks[r], .width = 11};
	size_t n = 0;
	for (size_t i = 0; i < nc; i++) {
		const json_t *c = json_array_get(cities, i);
		if (only && *only && strcmp(only, str_or_empty(c, "slug")) != 0)
			continue;
		struct lc_xlsx_wcell *row = &cells[n++ * ncols];
		row[0] =
		    (struct lc_xlsx_wcell){.kind = LC_XLSX_W_TEXT, .text = str_or_empty(c, "slug")};
		row[1] =
		    (struct lc_xlsx_wcell){.kind = LC_XLSX_W_TEXT, .text = str_or_empty(c, "name")};
		for (size_t k = 0; k < nk; k++)
			row[2 + k] = num_cell(json_array_get(json_object_get(c, "scores"), k));
		for (size_t r = 0; r < NR; r++)
			row[2 + nk + r] = num_cell(json_object_get(c, ranks[r]));
	}
	char run[32], year[16], runs[32];
	snprintf(run, sizeof run, "%" JSON_INTEGER_FORMAT,
	         json_integer_value(json_object_get(m, "run")));
	snprintf(year, sizeof year, "%" JSON_INTEGER_FORMAT,
	         json_integer_value(json_object_get(m, "year")));
	snprintf(runs, sizeof runs, "%" JSON_INTEGER_FORMAT,
	         json_integer_value(json_object_get(m, "runs")));
	bool synthetic = json_is_true(json_object_get(m, "synthetic"));
#define T(s)                                                                                       \
	{                                                                                          \
		.kind = LC_XLSX_W_TEXT, .text = (s)                                                \
	}
	const struct lc_xlsx_wcell about[] = {
	    T("run"),
	    T(run),
	    T("year"),
	    T(year),
	    T("uncertainty runs"),
	    T(runs),
	    T("ranks"),
	    T("rank, then the 5th percentile, median and 95th percentile of the rank "
	      "over the uncertainty runs: a 90 % interval"),
	    T("data"),
	    T(synthetic ? "SYNTHETIC DEMONSTRATION DATA, NOT STATISTICS"
	                : "approved observations")};
#undef T
	static const struct lc_xlsx_wcol about_cols[] = {{.header = "about", .width = 18},
	                                                 {.header = NULL, .width = 90}};
	const struct lc_xlsx_wsheet sheets[] = {
	    {.name = "Scores",
	     .cols = cols,
	     .n_cols = ncols,
	     .cells = cells,
	     .n_rows = n,
	     .header = true},
	    {.name = "About",
	     .cols = about_cols,
	     .n_cols = 2,
	     .cells = about,
	     .n_rows = sizeof about / sizeof about[0] / 2,
	     .header = true},
	};
	struct lc_diag d;
	lc_diag_init(&d);
	lc_buf_reset(&resp->body);
	int err = lc_xlsx_write(sheets, 2, &resp->body, &d);
	if (err && d.count)
		lc_log_error("scores.xlsx: %s", d.items[0].message);
	lc_diag_cleanup(&d);
	lc_free(cols);
	lc_free(cells);
	if (err)
		return err == LC_EINVAL ? LC_EINTERNAL : err;
	resp->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	lc_resp_header(resp, "Content-Disposition", "attachment; filename=\"scores.xlsx\"");
	return 0;
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
		err = scores_xlsx(resp, m, lc_req_str(req, "city"));
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
		err = export_xlsx(resp, year, rows);
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

/* iMeta: one row per tree node, in the tree's order (indicators first). */
static void write_imeta(struct lc_buf *b, const struct lc_tree *t)
{
	lc_buf_puts(b, "iCode,iName,Level,Parent,Direction,Weight,Type\r\n");
	for (size_t i = 0; i < t->n; i++) {
		const struct lc_tree_node *nd = &t->nodes[i];
		csv_field(b, nd->code);
		lc_buf_putc(b, ',');
		csv_field(b, nd->name ? nd->name : nd->code);
		lc_buf_printf(b, ",%d,", nd->level);
		if (nd->parent_code)
			csv_field(b, nd->parent_code);
		lc_buf_printf(b, ",%d,", nd->direction);
		lc_buf_put_double(b, nd->weight);
		lc_buf_puts(b, nd->level == 1 ? ",Indicator\r\n" : ",Aggregate\r\n");
	}
}

/* iData: one row per approved city, one column per indicator; NA when missing. */
static void write_idata(struct lc_buf *b, const struct lc_tree *t, const struct lc_matrix *m)
{
	lc_buf_puts(b, "uCode,uName");
	for (size_t k = 0; k < t->n_ind; k++) {
		lc_buf_putc(b, ',');
		csv_field(b, t->nodes[t->ind[k]].code);
	}
	lc_buf_puts(b, "\r\n");
	for (size_t u = 0; u < m->n_units; u++) {
		csv_field(b, m->ucodes[u]);
		lc_buf_putc(b, ',');
		csv_field(b, m->unames[u] ? m->unames[u] : m->ucodes[u]);
		for (size_t k = 0; k < t->n_ind; k++) {
			double x = m->x[t->ind[k] * m->n_units + u];
			lc_buf_putc(b, ',');
			if (isnan(x))
				lc_buf_puts(b, "NA");
			else
				lc_buf_put_double(b, x);
		}
		lc_buf_puts(b, "\r\n");
	}
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
		write_imeta(b, &tree);
	else
		write_idata(b, &tree, &m);
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

/*
 * {year} of a path, as a number from LC_OBS_YEAR_MIN to 9999, or 0. Not a
 * declared parameter on purpose: the router would answer a malformed year
 * with 400 before the before hook's CSRF check, and a state-changing route
 * must refuse a forged request with 403 whatever its path holds.
 */
static long path_year(const struct lc_req *req)
{
	const char *s = lc_req_str(req, "year");
	long y = 0;
	if (!s || !*s || strlen(s) > 4)
		return 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		y = y * 10 + (*p - '0');
	}
	return y >= LC_OBS_YEAR_MIN ? y : 0;
}

static const struct lc_param_spec obs_year_params[] = {
    {.name = NULL},
};

enum review_step { STEP_SUBMIT, STEP_RETURN, STEP_APPROVE };

static int review(struct lc_req *req, struct lc_resp *resp, enum review_step step)
{
	struct lc_web_user *u = lc_auth_user(req);
	const char *slug = lc_req_str(req, "slug");
	long year = path_year(req);
	json_t *body = NULL, *vm = NULL;
	struct lc_db *db = NULL;
	struct lc_diag d;
	char msg[256];
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
	const char *comment = NULL;
	if (step == STEP_RETURN) {
		if (lc_req_json(req, &body, msg, sizeof msg)) {
			lc_resp_error(resp, 400, "%s", msg);
			goto out;
		}
		comment = json_string_value(json_object_get(body, "comment"));
	}
	err = lc_site_db(req, &db);
	if (err)
		goto out;
	if (step == STEP_SUBMIT)
		err = lc_report_submit(db, &u->actor, slug, year, &d);
	else if (step == STEP_RETURN)
		err = lc_report_return(db, &u->actor, slug, year, comment ? comment : "", &d);
	else
		err = lc_report_approve(db, &u->actor, slug, year, &d);
	if (!err)
		err = lc_report_get(db, &u->actor, slug, year, &vm);
	if (err == LC_EINVAL || err == LC_ECONFLICT) {
		int status = err == LC_EINVAL ? 422 : 409;
		json_t *j =
		    json_pack("{s:{s:i,s:s},s:o}", "error", "status", status, "message",
		              status == 409 ? "this step is not allowed from the year's status"
		                            : "the step was refused",
		              "problems", lc_site_problems(req, &d, true));
		err = lc_resp_json(resp, j);
		json_decref(j);
		resp->status = status;
		goto out;
	}
	if (!err)
		err = lc_resp_json(resp, vm);
out:
	lc_site_db_release(req, db);
	lc_diag_cleanup(&d);
	json_decref(body);
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

static int route_api_year_submit(struct lc_req *req, struct lc_resp *resp)
{
	return review(req, resp, STEP_SUBMIT);
}

static int route_api_year_return(struct lc_req *req, struct lc_resp *resp)
{
	return review(req, resp, STEP_RETURN);
}

static int route_api_year_approve(struct lc_req *req, struct lc_resp *resp)
{
	return review(req, resp, STEP_APPROVE);
}

static const struct lc_param_spec data_area_params[] = {
    {.name = "area", .source = LC_PARAM_PATH, .type = LC_PARAM_STRING, .max_len = 16},
    {.name = "saved", .source = LC_PARAM_QUERY, .type = LC_PARAM_BOOL},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* The item of a city-year list with this code, or NULL. */
static const json_t *item_of(const json_t *list, const char *code)
{
	size_t i;
	const json_t *it;
	json_array_foreach(json_object_get(list, "items"), i,
	                   it) if (strcmp(str_or_empty(it, "code"), code) == 0) return it;
	return NULL;
}

/* The type's name in the request's language. */
static const char *type_label(struct lc_req *req, enum lc_obs_type t)
{
	char key[48];
	snprintf(key, sizeof key, "data_type_%s", lc_obs_type_name(t));
	return lc_site_t(req, key);
}

/* What a person may type for m, as text ("0 to 100", "yes or no"), or "". */
static const char *range_text(struct lc_req *req, const struct lc_obs_measure *m)
{
	char tmp[96] = "";
	switch (m->type) {
	case LC_OBS_PERCENTAGE: return "0 – 100";
	case LC_OBS_MATURITY: return "0 – 4";
	case LC_OBS_YES_NO: return lc_site_t(req, "data_yes_no");
	case LC_OBS_NUMBER:
		if (!isnan(m->low) && !isnan(m->high))
			snprintf(tmp, sizeof tmp, "%g – %g", m->low, m->high);
		break;
	case LC_OBS_TEXT: break;
	}
	return lc_arena_strdup(req->arena, tmp);
}

/*
 * Renders the area page. typed: code -> {value, source, note} as posted (or
 * NULL: the stored values); errors: code -> {field -> message} (or NULL).
 */
static int area_page(struct lc_req *req, struct lc_resp *resp, json_t *typed, json_t *errors,
                     int status)
{
	struct lc_web_user *u = lc_auth_user(req);
	const char *slug = lc_req_str(req, "slug"), *area = lc_req_str(req, "area");
	long year = path_year(req);
	struct lc_obs_catalog cat;
	json_t *cur = NULL, *prev = NULL, *items = json_array(), *vm = NULL, *names = json_object();
	struct lc_db *db = NULL;
	memset(&cat, 0, sizeof cat);
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_obs_catalog_load(db, &cat);
	if (!err)
		err = lc_obs_list(db, &u->actor, slug, year, &cur);
	if (!err && lc_obs_current(db, &u->actor, slug, year - 1, &prev))
		prev = NULL; /* last year is a help, not a requirement */
	if (!err)
		lc_review_names(req, db, slug, area, names);
	lc_site_db_read_end(req, db);
	if (err)
		goto out;
	for (size_t i = 0; i < cat.nm; i++) {
		const struct lc_obs_measure *m = &cat.m[i];
		if (strcmp(m->area, area) != 0)
			continue;
		const json_t *it = item_of(cur, m->code),
		             *last = prev ? item_of(prev, m->code) : NULL;
		const json_t *cv = it ? current_version(it) : NULL;
		const json_t *ty = typed ? json_object_get(typed, m->code) : NULL;
		const json_t *src = ty ? ty : cv;
		json_t *e = errors ? json_object_get(errors, m->code) : NULL;
		json_t *versions = it ? json_object_get(it, "versions") : NULL;
		json_t *row = json_pack(
		    "{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:b}", "code", m->code, "label",
		    m->label, "unit", m->unit ? m->unit : "", "type", type_label(req, m->type),
		    "range", range_text(req, m), "last_year",
		    last ? str_or_empty(last, "value") : "", "value", str_or_empty(src, "value"),
		    "source", str_or_empty(src, "source"), "note", str_or_empty(src, "note"),
		    "versions", versions ? json_incref(versions) : json_array(), "has_versions",
		    json_array_size(versions) > 0);
		if (e)
			json_object_set(row, "error", e);
		json_int_t nv = it ? json_integer_value(json_object_get(it, "versions_total")) : 0;
		if (nv > (json_int_t)json_array_size(versions)) {
			/* Slugs and codes are URL-safe ([a-z0-9-], [A-Za-z0-9._-]). */
			char href[256];
			snprintf(href, sizeof href, "/cities/%s/data/%ld/versions/%s", slug, year,
			         m->code);
			json_object_set_new(row, "versions_more", json_true());
			json_object_set_new(row, "versions_total", json_integer(nv));
			json_object_set_new(row, "versions_href", json_string(href));
		}
		json_array_append_new(items, row);
	}
	if (!json_array_size(items)) {
		err = LC_ENOTFOUND;
		goto out;
	}
	vm = json_pack("{s:s,s:I,s:s,s:O,s:O,s:b,s:b}", "city", slug, "year", (json_int_t)year,
	               "area", area, "status", json_object_get(cur, "status"), "items", items,
	               "saved", lc_req_bool(req, "saved"), "has_errors",
	               errors && json_object_size(errors) > 0);
	lc_auth_human_times(vm);
	json_object_update(vm, names);
	const char *aname = json_string_value(json_object_get(names, "area_title"));
	char title[320];
	snprintf(title, sizeof title, "%s %s – %s %ld", area, aname ? aname : "",
	         json_string_value(json_object_get(names, "city_name")), year);
	err = lc_site_page(req, resp, "data_area", title, "cities", vm, NULL);
	if (!err && status)
		resp->status = status;
out:
	lc_obs_catalog_cleanup(&cat);
	json_decref(cur);
	json_decref(prev);
	json_decref(items);
	json_decref(vm);
	json_decref(names);
	return err;
}

static int route_data_area(struct lc_req *req, struct lc_resp *resp)
{
	if (!path_year(req))
		return lc_auth_fail(req, resp, LC_ENOTFOUND);
	return lc_auth_fail(req, resp, area_page(req, resp, NULL, NULL, 0));
}

/* The decoded value of form field name, or "" (arena). */
static const char *form_field(struct lc_req *req, const struct lc_urlcodec_pair *p, size_t n,
                              const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < n; i++) {
		if (p[i].name.len != len || memcmp(p[i].name.ptr, name, len) != 0)
			continue;
		struct lc_slice out;
		if (lc_urlcodec_decode(req->arena, p[i].value, true, &out) == 0)
			return out.ptr;
	}
	return "";
}

static int route_data_area_save(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	const char *slug = lc_req_str(req, "slug"), *area = lc_req_str(req, "area");
	long year = path_year(req);
	struct lc_urlcodec_pair pairs[LC_LIMIT_HTTP_PARAMS];
	size_t np = 0;
	struct lc_obs_catalog cat;
	struct lc_diag d;
	struct lc_db *db = NULL;
	json_t *typed = json_object(), *errors = json_object();
	memset(&cat, 0, sizeof cat);
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
	err = lc_urlcodec_split_query((struct lc_slice){req->body ? req->body : "", req->body_len},
	                              pairs, LC_LIMIT_HTTP_PARAMS, &np);
	if (err)
		goto out;
	err = lc_site_db(req, &db);
	if (!err)
		err = lc_obs_may_enter(db, &u->actor, slug);
	if (!err)
		err = lc_obs_catalog_load(db, &cat);
	if (err)
		goto out;
	char ybuf[32], name[64];
	snprintf(ybuf, sizeof ybuf, "%ld", year);
	struct lc_obs_row *rows = lc_req_alloc(req, (cat.nm ? cat.nm : 1) * sizeof *rows);
	const char **codes = lc_req_alloc(req, (cat.nm ? cat.nm : 1) * sizeof *codes);
	size_t n = 0;
	for (size_t i = 0; i < cat.nm; i++) {
		const struct lc_obs_measure *m = &cat.m[i];
		if (strcmp(m->area, area) != 0)
			continue;
		snprintf(name, sizeof name, "v_%s", m->code);
		const char *v = form_field(req, pairs, np, name);
		snprintf(name, sizeof name, "s_%s", m->code);
		const char *src = form_field(req, pairs, np, name);
		snprintf(name, sizeof name, "n_%s", m->code);
		const char *note = form_field(req, pairs, np, name);
		json_object_set_new(
		    typed, m->code,
		    json_pack("{s:s,s:s,s:s}", "value", v, "source", src, "note", note));
		if (!*v)
			continue; /* an empty field is "not entered": nothing to write */
		struct lc_obs_row *r = &rows[n];
		memset(r, 0, sizeof *r);
		r->city = (struct lc_slice){slug, strlen(slug)};
		r->measurement = (struct lc_slice){m->code, strlen(m->code)};
		r->year = (struct lc_slice){ybuf, strlen(ybuf)};
		r->value = (struct lc_slice){v, strlen(v)};
		r->source = (struct lc_slice){src, strlen(src)};
		r->note = (struct lc_slice){note, strlen(note)};
		r->line = (long)n + 1;
		codes[n++] = m->code;
	}
	err = lc_obs_put(db, &u->actor, rows, n, &d, NULL);
	lc_site_db_release(req, db);
	db = NULL;
	if (err == LC_EINVAL || err == LC_EPERM) {
		for (size_t i = 0; i < d.count; i++) {
			const struct lc_diag_entry *e = &d.items[i];
			const char *code =
			    e->line >= 1 && (size_t)e->line <= n ? codes[e->line - 1] : NULL;
			const char *field = e->field && strcmp(e->field, "source") == 0 ? "source"
			                    : e->field && strcmp(e->field, "note") == 0 ? "note"
			                                                                : "value";
			if (!code)
				continue;
			json_t *fe = json_object_get(errors, code);
			if (!fe) {
				fe = json_object();
				json_object_set_new(errors, code, fe);
			}
			if (!json_object_get(fe, field))
				json_object_set_new(fe, field,
				                    json_string(lc_site_problem(req, e)));
		}
		if (err == LC_EPERM && !json_object_size(errors)) {
			err = LC_EPERM;
			goto out;
		}
		err = area_page(req, resp, typed, errors, err == LC_EPERM ? 403 : 422);
		goto out;
	}
	if (!err) {
		char *to = lc_req_alloc(req, 256);
		snprintf(to, 256, "/cities/%s/data/%ld/%s?saved=1", slug, year, area);
		err = lc_resp_redirect(resp, to);
	}
out:
	lc_site_db_release(req, db);
	lc_obs_catalog_cleanup(&cat);
	lc_diag_cleanup(&d);
	json_decref(typed);
	json_decref(errors);
	return lc_auth_fail(req, resp, err);
}

/*
 * Renders the overview of a city's year; upload (may be NULL) is the
 * result of an upload to show above the areas, and status (0: 200) the
 * answer's status.
 */
static int year_page(struct lc_req *req, struct lc_resp *resp, json_t *upload, int status)
{
	struct lc_web_user *u = lc_auth_user(req);
	const char *slug = lc_req_str(req, "slug");
	long year = path_year(req);
	json_t *fw = NULL, *cur = NULL, *rep = NULL, *areas = json_array(), *vm = NULL;
	json_t *names = json_object();
	struct lc_db *db = NULL;
	int err = year ? lc_site_db_read(req, &db) : LC_ENOTFOUND;
	if (!err)
		err = lc_obs_current(db, &u->actor, slug, year, &cur);
	if (!err)
		err = lc_framework_get(db, req->lang, &fw);
	if (!err && lc_report_get(db, &u->actor, slug, year, &rep))
		rep = NULL; /* a year without a status row yet: a draft without history */
	if (!err)
		lc_review_names(req, db, slug, NULL, names);
	lc_site_db_read_end(req, db);
	if (err)
		goto out;
	size_t total = 0, done = 0, pi, ai, fi, mi;
	const json_t *part, *area, *feat, *m;
	json_array_foreach(json_object_get(fw, "parts"), pi, part)
	{
		json_array_foreach(json_object_get(part, "areas"), ai, area)
		{
			size_t n = 0, k = 0;
			json_array_foreach(json_object_get(area, "features"), fi, feat)
			{
				json_array_foreach(json_object_get(feat, "measurements"), mi, m)
				{
					n++;
					const json_t *it = item_of(cur, str_or_empty(m, "code"));
					if (it && json_is_string(json_object_get(it, "value")))
						k++;
				}
			}
			total += n;
			done += k;
			json_array_append_new(
			    areas, json_pack("{s:s,s:s,s:I,s:I,s:I,s:b}", "code",
			                     str_or_empty(area, "code"), "title",
			                     str_or_empty(area, "title"), "entered", (json_int_t)k,
			                     "total", (json_int_t)n, "percent",
			                     (json_int_t)(n ? (k * 100 + n / 2) / n : 0),
			                     "complete", n && k == n));
		}
	}
	const char *st = rep ? str_or_empty(rep, "status") : "draft";
	vm = json_pack("{s:s,s:I,s:s,s:O?,s:O,s:I,s:I}", "city", slug, "year", (json_int_t)year,
	               "status", rep ? str_or_empty(rep, "status") : "draft", "comment",
	               rep ? json_object_get(rep, "comment") : json_null(), "areas", areas,
	               "entered", (json_int_t)done, "total", (json_int_t)total);
	if (!vm) {
		err = LC_EINTERNAL;
		goto out;
	}
	json_object_set_new(
	    vm, "can_submit",
	    json_boolean(done > 0 && (strcmp(st, "draft") == 0 || strcmp(st, "returned") == 0)));
	json_object_set_new(vm, "submitted", json_boolean(lc_req_bool(req, "submitted")));
	/* The review: what this person may do now, and who returned the year last. */
	json_object_update(vm, names);
	json_object_set(vm, "may", json_object_get(rep, "may"));
	size_t hi;
	const json_t *h;
	json_array_foreach(json_object_get(rep, "history"), hi, h)
	{
		if (strcmp(str_or_empty(h, "to"), "returned") == 0)
			json_object_set_new(vm, "returned",
			                    json_pack("{s:s,s:s}", "by", str_or_empty(h, "actor"),
			                              "at", str_or_empty(h, "at")));
	}
	if (strcmp(st, "returned") != 0)
		json_object_del(vm, "returned");
	lc_auth_human_times(vm);
	/* As the domain decides who may write (observation.h): the city's people while
	   the year is a draft or returned, the secretariat also while it is submitted. */
	bool open = strcmp(st, "draft") == 0 || strcmp(st, "returned") == 0 ||
	            (strcmp(st, "submitted") == 0 &&
	             lc_authz_check(&u->actor, LC_ACT_REVIEW_OBSERVATIONS, NULL) == 0);
	bool can_upload = open && u->actor.kind != LC_ACTOR_ANONYMOUS;
	json_object_set_new(vm, "can_upload", json_boolean(can_upload));
	json_object_set_new(vm, "show_files", json_boolean(can_upload || upload));
	if (upload)
		json_object_set(vm, "upload", upload);
	char title[320];
	snprintf(title, sizeof title, "%s – %s %ld", lc_site_t(req, "data_year"),
	         json_string_value(json_object_get(names, "city_name")), year);
	err = lc_site_page(req, resp, "data_year", title, "cities", vm, NULL);
	if (!err && status)
		resp->status = status;
out:
	json_decref(fw);
	json_decref(cur);
	json_decref(rep);
	json_decref(areas);
	json_decref(vm);
	json_decref(names);
	return lc_auth_fail(req, resp, err);
}

static int route_data_year(struct lc_req *req, struct lc_resp *resp)
{
	json_t *upload = NULL;
	if (lc_req_bool(req, "uploaded"))
		upload = json_pack("{s:b,s:I,s:I,s:I}", "ok", 1, "new",
		                   (json_int_t)lc_req_int(req, "new", 0), "changed",
		                   (json_int_t)lc_req_int(req, "changed", 0), "unchanged",
		                   (json_int_t)lc_req_int(req, "unchanged", 0));
	int rc = year_page(req, resp, upload, 0);
	json_decref(upload);
	return rc;
}

static const struct lc_param_spec data_year_params[] = {
    {.name = "submitted", .source = LC_PARAM_QUERY, .type = LC_PARAM_BOOL},
    /* The summary of a successful upload, after its redirect. */
    {.name = "uploaded", .source = LC_PARAM_QUERY, .type = LC_PARAM_BOOL},
    {.name = "new", .source = LC_PARAM_QUERY, .type = LC_PARAM_INT, .max = LC_LIMIT_CSV_ROWS},
    {.name = "changed", .source = LC_PARAM_QUERY, .type = LC_PARAM_INT, .max = LC_LIMIT_CSV_ROWS},
    {.name = "unchanged", .source = LC_PARAM_QUERY, .type = LC_PARAM_INT, .max = LC_LIMIT_CSV_ROWS},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static int route_data_submit(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	const char *slug = lc_req_str(req, "slug");
	long year = path_year(req);
	struct lc_db *db = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = 0;
	if (u->actor.kind == LC_ACTOR_ANONYMOUS)
		err = LC_EAUTH;
	else if (!year)
		err = LC_ENOTFOUND;
	else
		err = lc_site_db(req, &db);
	if (!err)
		err = lc_report_submit(db, &u->actor, slug, year, &d);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ECONFLICT) {
		lc_resp_error(resp, err == LC_EINVAL ? 422 : 409, "%s",
		              d.count ? lc_site_problem(req, &d.items[0])
		                      : lc_site_t(req, "data_submit_refused"));
		err = 0;
	} else if (!err) {
		char *to = lc_req_alloc(req, 200);
		snprintf(to, 200, "/cities/%s/data/%ld?submitted=1", slug, year);
		err = lc_resp_redirect(resp, to);
	}
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

static int send_template(struct lc_req *req, struct lc_resp *resp, enum lc_obs_template_format fmt)
{
	struct lc_web_user *u = lc_auth_user(req);
	const char *slug = lc_req_str(req, "slug");
	long year = path_year(req);
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
	long year = path_year(req);
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
		err = year_page(req, resp, upload, err == LC_EPERM ? 403 : 422);
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

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_PUT, "/api/v1/cities/{slug}/observations", route_api_obs_put, obs_api_params,
     LC_LIMIT_HTTP_UPLOAD, LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/api/v1/cities/{slug}/observations", route_api_obs_get, obs_api_params, 0, 0,
     NULL},
    {LC_HTTP_GET, "/cities/{slug}/data/{year}", route_data_year, data_year_params, 0, 0, NULL},
    {LC_HTTP_POST, "/cities/{slug}/data/{year}/submit", route_data_submit, data_year_params, 0, 0,
     NULL},
    {LC_HTTP_GET, "/cities/{slug}/data/{year}/{area}", route_data_area, data_area_params, 0, 0,
     NULL},
    {LC_HTTP_POST, "/cities/{slug}/data/{year}/{area}", route_data_area_save, data_area_params, 0,
     0, NULL},
    {LC_HTTP_POST, "/api/v1/cities/{slug}/years/{year}/submit", route_api_year_submit,
     obs_year_params, 0, 0, NULL},
    {LC_HTTP_POST, "/api/v1/cities/{slug}/years/{year}/return", route_api_year_return,
     obs_year_params, 0, 0, NULL},
    {LC_HTTP_POST, "/api/v1/cities/{slug}/years/{year}/approve", route_api_year_approve,
     obs_year_params, 0, 0, NULL},
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
    {LC_HTTP_GET, "/cities/{slug}/data/{year}/template.xlsx", route_data_template_xlsx,
     obs_year_params, 0, 0, NULL},
    {LC_HTTP_GET, "/cities/{slug}/data/{year}/template.csv", route_data_template_csv,
     obs_year_params, 0, 0, NULL},
    {LC_HTTP_POST, "/cities/{slug}/data/{year}/upload", route_data_upload, data_upload_params,
     LC_LIMIT_HTTP_UPLOAD, LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/cities/{slug}/data/{year}/upload", route_data_upload_get, obs_year_params, 0, 0,
     NULL},
};

#undef A

LC_ROUTE_GROUP(monitoring_entry, rows);
