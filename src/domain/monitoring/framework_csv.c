/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The framework as a CSV file (framework.h): a version's export, one row per
 * measurement, and the document built from an imported file, each problem
 * of a cell named by its row and column.
 */
#include "domain/monitoring/framework.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/platform/clock.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"
#include "domain/monitoring/framework_internal.h"
#include "formats/csv.h"

/* ---- CSV export --------------------------------------------------------- */

static void csv_str(struct lc_buf *b, const char *s, bool last)
{
	if (s)
		lc_buf_append_csv(b, s, strlen(s));
	lc_buf_putc(b, last ? '\n' : ',');
}

static void csv_text(struct lc_buf *b, json_t *obj, const char *key, const char *lang)
{
	csv_str(b, json_string_value(json_object_get(json_object_get(obj, key), lang)), false);
}

static void csv_num(struct lc_buf *b, json_t *v)
{
	if (json_is_number(v)) {
		char t[40];
		lc_framework_fmt_num(json_number_value(v), t, sizeof(t));
		csv_str(b, t, false);
	} else {
		lc_buf_putc(b, ',');
	}
}

/* The columns of a part, area or feature: code, title_en, title_fr, status. */
static void csv_node(struct lc_buf *b, json_t *n)
{
	csv_str(b, json_string_value(json_object_get(n, "code")), false);
	csv_text(b, n, "title", "en");
	csv_text(b, n, "title", "fr");
	csv_str(b, json_string_value(json_object_get(n, "provenance")), false);
}

int lc_framework_export_csv(struct lc_db *db, const char *code, struct lc_buf *out)
{
	json_t *doc = NULL;
	int err = lc_framework_export_json(db, code, &doc);
	if (err)
		return err;
	lc_buf_printf(out, "%s\n", LC_FRAMEWORK_CSV_COLUMNS);
	size_t i, j, k, l;
	json_t *p, *a, *f, *m;
	json_array_foreach(json_object_get(doc, "parts"), i, p)
	{
		json_array_foreach(json_object_get(p, "areas"), j, a)
		{
			json_array_foreach(json_object_get(a, "features"), k, f)
			{
				json_t *ms = json_object_get(f, "measurements");
				if (json_array_size(ms) == 0) {
					csv_node(out, p);
					csv_node(out, a);
					csv_node(out, f);
					lc_buf_append(out, ",,,,,,,,\n", 9);
				}
				json_array_foreach(ms, l, m)
				{
					csv_node(out, p);
					csv_node(out, a);
					csv_node(out, f);
					csv_str(out, json_string_value(json_object_get(m, "code")),
					        false);
					csv_text(out, m, "label", "en");
					csv_text(out, m, "label", "fr");
					csv_str(out, json_string_value(json_object_get(m, "unit")),
					        false);
					csv_str(out,
					        json_string_value(json_object_get(m, "direction")),
					        false);
					csv_str(out, json_string_value(json_object_get(m, "type")),
					        false);
					csv_num(out, json_object_get(m, "goalpost_low"));
					csv_num(out, json_object_get(m, "goalpost_high"));
					csv_str(out,
					        json_string_value(json_object_get(m, "provenance")),
					        true);
				}
			}
		}
	}
	json_decref(doc);
	return out->err ? LC_ELIMIT : 0;
}

/* ---- CSV import --------------------------------------------------------- */

static const struct {
	const char *name;
	bool required;
} csv_columns[] = {
    {"part_code", true},
    {"part_title_en", true},
    {"part_title_fr", false},
    {"part_status", false},
    {"area_code", true},
    {"area_title_en", true},
    {"area_title_fr", false},
    {"area_status", false},
    {"feature_code", true},
    {"feature_title_en", true},
    {"feature_title_fr", false},
    {"feature_status", false},
    {"code", true},
    {"label_en", true},
    {"label_fr", false},
    {"unit", false},
    {"direction", true},
    {"type", true},
    {"goalpost_low", false},
    {"goalpost_high", false},
    {"status", false},
};
#define N_CSV_COLUMNS (sizeof(csv_columns) / sizeof(csv_columns[0]))

struct csv_in {
	const struct lc_csv *csv;
	long col[N_CSV_COLUMNS];
	struct lc_diag *p;
};

/* A cell as text without the neutralising quote of our export ("'-5" -> "-5"); "" when absent. */
static const char *cell(const struct csv_in *c, size_t row, size_t k)
{
	if (c->col[k] < 0)
		return "";
	const char *s = lc_csv_cstr(c->csv, row, (size_t)c->col[k]);
	if (s[0] == '\'' && s[1] && strchr("=+-@\t\r", s[1]))
		return s + 1;
	return s;
}

static long col_of(const char *name)
{
	for (size_t k = 0; k < N_CSV_COLUMNS; k++)
		if (strcmp(csv_columns[k].name, name) == 0)
			return (long)k;
	return -1;
}

static const char *cellc(const struct csv_in *c, size_t row, const char *name)
{
	long k = col_of(name);
	return k < 0 ? "" : cell(c, row, (size_t)k);
}

/* A cell as a JSON string, null when empty; a problem when it is not UTF-8. */
static json_t *cell_json(const struct csv_in *c, size_t row, const char *name)
{
	const char *s = cellc(c, row, name);
	if (!s[0])
		return json_null();
	json_t *j = json_string(s);
	if (!j) {
		long k = col_of(name);
		lc_framework_problem_add(c->p, c->csv->line[row], c->col[k] + 1, name, NULL,
		                         "err_fw_utf8", NULL);
		return json_null();
	}
	return j;
}

/* {"en": .., "fr": ..} from PREFIX_en and PREFIX_fr; empty cells left out. */
static json_t *cell_text(const struct csv_in *c, size_t row, const char *base)
{
	char en[48], fr[48];
	snprintf(en, sizeof(en), "%s_en", base);
	snprintf(fr, sizeof(fr), "%s_fr", base);
	json_t *t = json_object();
	json_t *e = cell_json(c, row, en), *f = cell_json(c, row, fr);
	if (!json_is_null(e))
		json_object_set(t, "en", e);
	if (!json_is_null(f))
		json_object_set(t, "fr", f);
	json_decref(e);
	json_decref(f);
	return t;
}

static json_t *cell_num(const struct csv_in *c, size_t row, const char *name)
{
	const char *s = cellc(c, row, name);
	struct lc_slice sl = lc_slice_make(s, strlen(s));
	double d = 0;
	if (lc_csv_is_na(sl))
		return json_null();
	if (lc_csv_number(sl, &d) != 0 || !isfinite(d)) {
		lc_framework_problem_add(c->p, c->csv->line[row], c->col[col_of(name)] + 1, name, s,
		                         "err_fw_not_number", NULL);
		return json_null();
	}
	return json_real(d);
}

/* A part, area or feature of row: code, title, provenance and an empty child list. */
static json_t *csv_group(const struct csv_in *c, size_t row, const char *prefix,
                         const char *children)
{
	char k[48];
	snprintf(k, sizeof(k), "%scode", prefix);
	json_t *code = cell_json(c, row, k);
	snprintf(k, sizeof(k), "%stitle", prefix);
	json_t *title = cell_text(c, row, k);
	snprintf(k, sizeof(k), "%sstatus", prefix);
	json_t *prov = cell_json(c, row, k);
	if (json_is_null(prov)) {
		json_decref(prov);
		prov = json_string("provisional");
	}
	return json_pack("{s:o, s:o, s:o, s:[], s:I}", "code", code, "title", title, "provenance",
	                 prov, children, "_ri", (json_int_t)row);
}

/*
 * The group of row under list (an array of groups), found by code: a new one
 * is appended; an existing one must have the same title and status as on its
 * first row (else the problem differs, a catalogue key). Borrowed from list.
 */
static json_t *csv_merge(const struct csv_in *c, size_t row, json_t *list, const char *prefix,
                         const char *children, const char *differs)
{
	json_t *g = csv_group(c, row, prefix, children);
	const char *code = json_string_value(json_object_get(g, "code"));
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x)
	{
		const char *xc = json_string_value(json_object_get(x, "code"));
		if (!code || !xc || strcmp(code, xc) != 0)
			continue;
		if (!json_equal(json_object_get(x, "title"), json_object_get(g, "title")) ||
		    !json_equal(json_object_get(x, "provenance"),
		                json_object_get(g, "provenance"))) {
			char k[48];
			snprintf(k, sizeof(k), "%stitle_en", prefix);
			long first = c->csv->line[json_integer_value(json_object_get(x, "_ri"))];
			lc_framework_problem_add(
			    c->p, c->csv->line[row], c->col[col_of(k)] + 1, k, cellc(c, row, k),
			    differs, LC_FW_ARGS(LC_ARG_S("code", code), LC_ARG_I("line", first)));
		}
		json_decref(g);
		return x;
	}
	json_array_append_new(list, g);
	return g;
}

/* Builds the framework document of a CSV file; problems of the cells in p. */
json_t *lc_framework_csv_doc(const struct lc_csv *csv, struct lc_diag *p)
{
	struct csv_in c = {.csv = csv, .p = p};
	bool ok = true;
	for (size_t k = 0; k < N_CSV_COLUMNS; k++) {
		c.col[k] = lc_csv_find_col(csv, csv_columns[k].name);
		if (c.col[k] < 0 && csv_columns[k].required) {
			lc_framework_problem_add(
			    p, csv->line[0], 0, csv_columns[k].name, NULL, "err_fw_column_missing",
			    LC_FW_ARGS(LC_ARG_S("columns", LC_FRAMEWORK_CSV_COLUMNS)));
			ok = false;
		}
	}
	for (size_t j = 0; j < csv->n_cols; j++) {
		const char *name = lc_csv_cstr(csv, 0, j);
		if (col_of(name) < 0) {
			lc_framework_problem_add(p, csv->line[0], (long)j + 1, name, name,
			                         "err_fw_column_unknown", NULL);
			ok = false;
		} else if (lc_csv_find_col(csv, name) != (long)j) {
			lc_framework_problem_add(p, csv->line[0], (long)j + 1, name, name,
			                         "err_fw_column_twice", NULL);
			ok = false;
		}
	}
	if (!ok)
		return NULL;
	if (csv->n_rows < 2) {
		lc_framework_problem_add(p, csv->line[0], 0, NULL, NULL, "err_fw_no_rows", NULL);
		return NULL;
	}
	json_t *parts = json_array();
	for (size_t r = 1; r < csv->n_rows; r++) {
		json_t *part = csv_merge(&c, r, parts, "part_", "areas", "err_fw_part_differs");
		json_t *area = csv_merge(&c, r, json_object_get(part, "areas"), "area_", "features",
		                         "err_fw_area_differs");
		json_t *feature = csv_merge(&c, r, json_object_get(area, "features"), "feature_",
		                            "measurements", "err_fw_feature_differs");
		if (!cellc(&c, r, "code")[0]) {
			/* A feature without measurements: nothing else may be filled in. */
			for (size_t k = (size_t)col_of("code"); k < N_CSV_COLUMNS; k++)
				if (cell(&c, r, k)[0])
					lc_framework_problem_add(
					    p, csv->line[r], c.col[k] + 1, csv_columns[k].name,
					    cell(&c, r, k), "err_fw_feature_only", NULL);
			continue;
		}
		json_t *status = cell_json(&c, r, "status");
		if (json_is_null(status)) {
			json_decref(status);
			status = json_string("provisional");
		}
		json_t *m = json_pack(
		    "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "code",
		    cell_json(&c, r, "code"), "label", cell_text(&c, r, "label"), "unit",
		    cell_json(&c, r, "unit"), "direction", cell_json(&c, r, "direction"), "type",
		    cell_json(&c, r, "type"), "goalpost_low", cell_num(&c, r, "goalpost_low"),
		    "goalpost_high", cell_num(&c, r, "goalpost_high"), "provenance", status, "_ri",
		    (json_int_t)r);
		json_array_append_new(json_object_get(feature, "measurements"), m);
	}
	return json_pack("{s:s, s:o}", "format", LC_FRAMEWORK_DOC_FORMAT, "parts", parts);
}
