/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A list's CSV and XLSX downloads (download.h). */
#include "web/routes/download.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/log.h"
#include "formats/xlsx_write.h"
#include "web/router.h"
#include "web/routes/auth.h"
#include "web/routes/site.h"

/* The declared parameter name, to ask the loader for one page after another. */
static struct lc_req_param *param_of(struct lc_req *req, const char *name)
{
	for (size_t i = 0; i < req->nparams; i++)
		if (req->params[i].name && strcmp(req->params[i].name, name) == 0)
			return &req->params[i];
	return NULL;
}

static void set_num(struct lc_req *req, struct lc_req_param *p, long v)
{
	p->present = true;
	p->from_default = false;
	p->v.num = v;
	p->v.str = lc_arena_printf(req->arena, "%ld", v);
	p->v.len = strlen(p->v.str);
}

/* The value at a dotted path of a row ("country.name"), or NULL. */
static const json_t *at_path(const json_t *row, const char *path)
{
	char key[64];
	const json_t *v = row;
	while (v && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof key)
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		v = json_object_get(v, key);
		path += n + (dot ? 1 : 0);
	}
	return v;
}

/* Every row of the list, each page in turn, into rows. LC_ELIMIT past LC_LIMIT_DOWNLOAD_ROWS. */
static int load_all(struct lc_req *req, const struct lc_download *dl, struct lc_db *db,
                    json_t *rows, struct lc_diag *d)
{
	struct lc_req_param *page = param_of(req, "page"), *per = param_of(req, "per_page");
	if (per)
		set_num(req, per, LC_LIMIT_PER_PAGE);
	for (long k = 1;; k++) {
		if (page)
			set_num(req, page, k);
		json_t *vm = NULL;
		int err = dl->load(req, db, &vm, d);
		if (err)
			return err;
		json_array_extend(rows, json_object_get(vm, "items"));
		long pages = (long)json_integer_value(json_object_get(vm, "pages"));
		json_decref(vm);
		if (json_array_size(rows) > LC_LIMIT_DOWNLOAD_ROWS) {
			lc_diag_addf(d, NULL, 0, 0, NULL, "err_download_too_many",
			             LC_ARG_I("limit", LC_LIMIT_DOWNLOAD_ROWS));
			return LC_ELIMIT;
		}
		if (!page || k >= pages || k >= LC_LIMIT_PAGE)
			return 0;
	}
}

/* A list of plain values as one cell's text, "2017; 2019" (in the request's arena), or NULL. */
static const char *joined(struct lc_req *req, const json_t *v)
{
	if (!json_is_array(v))
		return NULL;
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_HTTP_URL);
	size_t i;
	const json_t *e;
	json_array_foreach(v, i, e)
	{
		if (i)
			lc_buf_puts(&b, "; ");
		if (json_is_string(e))
			lc_buf_puts(&b, json_string_value(e));
		else if (json_is_integer(e))
			lc_buf_printf(&b, "%lld", (long long)json_integer_value(e));
		else if (json_is_real(e))
			lc_buf_printf(&b, "%g", json_real_value(e));
	}
	const char *s = lc_buf_error(&b) ? "" : lc_arena_strdup(req->arena, lc_buf_cstr(&b));
	lc_buf_cleanup(&b);
	return s;
}

/* The cell of a row for a column: its value, a list joined as text. New reference or NULL. */
static json_t *cell_of(struct lc_req *req, const json_t *row, const char *path)
{
	const json_t *v = at_path(row, path);
	const char *list = joined(req, v);
	return list ? json_string(list) : v ? json_incref((json_t *)v) : NULL;
}

static void csv_value(struct lc_buf *b, const json_t *v)
{
	char num[40];
	if (json_is_string(v))
		lc_buf_append_csv(b, json_string_value(v), json_string_length(v));
	else if (json_is_integer(v))
		lc_buf_printf(b, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v)) {
		snprintf(num, sizeof num, "%.17g", json_real_value(v));
		lc_buf_puts(b, num);
	} else if (json_is_boolean(v))
		lc_buf_puts(b, json_is_true(v) ? "true" : "false");
}

static int write_csv(struct lc_req *req, const struct lc_download *dl, const json_t *rows,
                     struct lc_buf *out)
{
	const struct lc_site_column *c;
	for (c = dl->columns; c->path; c++) {
		if (c != dl->columns)
			lc_buf_putc(out, ',');
		const char *h = lc_site_t(req, c->header_key);
		lc_buf_append_csv(out, h, strlen(h));
	}
	lc_buf_puts(out, "\r\n");
	size_t i;
	const json_t *row;
	json_array_foreach(rows, i, row)
	{
		for (c = dl->columns; c->path; c++) {
			if (c != dl->columns)
				lc_buf_putc(out, ',');
			json_t *v = cell_of(req, row, c->path);
			csv_value(out, v);
			json_decref(v);
		}
		lc_buf_puts(out, "\r\n");
	}
	return lc_buf_error(out) ? LC_ELIMIT : 0;
}

static struct lc_xlsx_wcell xlsx_cell(const json_t *v)
{
	struct lc_xlsx_wcell cell = {.kind = LC_XLSX_W_EMPTY};
	if (json_is_string(v)) {
		cell.kind = LC_XLSX_W_TEXT;
		cell.text = json_string_value(v);
	} else if (json_is_number(v)) {
		cell.kind = LC_XLSX_W_NUMBER;
		cell.num = json_number_value(v);
	} else if (json_is_boolean(v)) {
		cell.kind = LC_XLSX_W_TEXT;
		cell.text = json_is_true(v) ? "true" : "false";
	}
	return cell;
}

static int write_xlsx(struct lc_req *req, const struct lc_download *dl, const json_t *rows,
                      struct lc_buf *out)
{
	size_t nc = 0;
	while (dl->columns[nc].path)
		nc++;
	size_t nr = json_array_size(rows);
	struct lc_xlsx_wcol *cols = lc_xcalloc(nc, sizeof *cols);
	struct lc_xlsx_wcell *cells = lc_xcalloc(nr * nc + 1, sizeof *cells);
	for (size_t j = 0; j < nc; j++) {
		cols[j].header = lc_site_t(req, dl->columns[j].header_key);
		cols[j].width = 20;
	}
	/* The cells borrow their text from values kept until the workbook is written. */
	json_t *keep = json_array();
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < nc; j++) {
			json_t *v = cell_of(req, json_array_get(rows, i), dl->columns[j].path);
			cells[i * nc + j] = xlsx_cell(v);
			if (v)
				json_array_append_new(keep, v);
		}
	char name[32];
	snprintf(name, sizeof name, "%s", dl->file);
	struct lc_xlsx_wsheet sheet = {
	    .name = name, .cols = cols, .n_cols = nc, .cells = cells, .n_rows = nr, .header = true};
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_xlsx_write(&sheet, 1, out, &d);
	if (err && d.count)
		lc_log_error("%s.xlsx: %s", dl->file, d.items[0].message);
	lc_diag_cleanup(&d);
	json_decref(keep);
	lc_free(cols);
	lc_free(cells);
	return err == LC_EINVAL ? LC_EINTERNAL : err;
}

int lc_download_serve(struct lc_req *req, struct lc_resp *resp)
{
	const struct lc_download *dl = req->route->data;
	const char *pattern = req->route->pattern;
	size_t n = strlen(pattern);
	bool xlsx = n > 5 && strcmp(pattern + n - 5, ".xlsx") == 0;
	struct lc_db *db = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	json_t *rows = json_array();
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = load_all(req, dl, db, rows, &d);
	lc_site_db_read_end(req, db);
	if (err == LC_EINVAL || err == LC_ELIMIT) {
		if (d.count) {
			lc_resp_error(resp, err == LC_ELIMIT ? 413 : 400, "%s",
			              lc_site_problem(req, &d.items[0]));
			err = 0;
		}
		goto out;
	}
	if (err)
		goto out;
	lc_site_decorate(req, rows);
	lc_buf_reset(&resp->body);
	err = xlsx ? write_xlsx(req, dl, rows, &resp->body) : write_csv(req, dl, rows, &resp->body);
	if (err)
		goto out;
	resp->content_type =
	    xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	         : "text/csv; charset=utf-8";
	err = lc_resp_header(resp, "Content-Disposition",
	                     lc_arena_printf(req->arena, "attachment; filename=\"%s.%s\"", dl->file,
	                                     xlsx ? "xlsx" : "csv"));
out:
	json_decref(rows);
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

json_t *lc_download_links(struct lc_req *req, const char *path)
{
	struct lc_buf q;
	lc_buf_init(&q, LC_LIMIT_HTTP_URL);
	char sep = '?';
	for (size_t i = 0; i < req->nquery; i++) {
		const struct lc_urlcodec_pair *p = &req->query[i];
		if (lc_slice_eq(p->name, "page") || lc_slice_eq(p->name, "per_page") ||
		    lc_slice_eq(p->name, "lang"))
			continue;
		lc_buf_putc(&q, sep);
		lc_buf_append(&q, p->name.ptr, p->name.len);
		if (p->value.len) {
			lc_buf_putc(&q, '=');
			lc_buf_append(&q, p->value.ptr, p->value.len);
		}
		sep = '&';
	}
	const char *query = lc_buf_error(&q) ? "" : lc_buf_cstr(&q);
	json_t *links =
	    json_pack("{s:s, s:s}", "csv", lc_arena_printf(req->arena, "%s.csv%s", path, query),
	              "xlsx", lc_arena_printf(req->arena, "%s.xlsx%s", path, query));
	lc_buf_cleanup(&q);
	return links;
}
