/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Data-entry templates (obs_template.h): the catalogue gives the rows,
 * lc_obs_list the year's and last year's values, and the rows are written
 * as CSV here or handed to formats/xlsx_write as cells.
 */
#include "domain/monitoring/obs_template.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/monitoring/obs_import.h"
#include "domain/monitoring/observation.h"
#include "formats/xlsx_write.h"

enum { T_CODE, T_LABEL, T_UNIT, T_TYPE, T_ALLOWED, T_LAST, T_VALUE, T_SOURCE, T_NOTE, T__N };

static const char *const headers[T__N] = {"code",      "label", "unit",   "type", "allowed",
                                          "last_year", "value", "source", "note"};

/* The item of a lc_obs_list answer with this code (framework measurements only), or NULL. */
static const json_t *item_of(const json_t *list, const char *code)
{
	size_t i;
	const json_t *it;
	json_array_foreach(json_object_get(list, "items"), i, it)
	{
		const char *c = json_string_value(json_object_get(it, "code"));
		if (c && strcmp(c, code) == 0 && !json_is_true(json_object_get(it, "local")))
			return it;
	}
	return NULL;
}

/* The current version of an item, or NULL. */
static const json_t *current(const json_t *item)
{
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(item, "versions"), i, v)
	{
		if (json_is_true(json_object_get(v, "current")))
			return v;
	}
	return NULL;
}

static const char *member(const json_t *o, const char *k)
{
	const char *s = o ? json_string_value(json_object_get(o, k)) : NULL;
	return s ? s : "";
}

/* True when text is the shortest text of a finite double: it reads back unchanged. */
static bool canonical_number(const char *text, double *num)
{
	char tmp[32];
	if (!*text || lc_slice_to_double(lc_slice_cstr(text), num) != 0)
		return false;
	lc_obs_number_text(*num, tmp);
	return strcmp(tmp, text) == 0;
}

/* What may be entered, in words, for the "allowed" column. */
static void allowed_text(const struct lc_obs_measure *m, char *out, size_t size)
{
	switch (m->type) {
	case LC_OBS_PERCENTAGE: snprintf(out, size, "0 to 100"); return;
	case LC_OBS_MATURITY: snprintf(out, size, "0 to 4 (whole level)"); return;
	case LC_OBS_YES_NO: snprintf(out, size, "yes or no"); return;
	case LC_OBS_TEXT: snprintf(out, size, "text"); return;
	case LC_OBS_NUMBER:
		if (!isnan(m->low) && !isnan(m->high))
			snprintf(out, size, "%.17g to %.17g", fmin(m->low, m->high),
			         fmax(m->low, m->high));
		else
			snprintf(out, size, "any number");
		return;
	}
	out[0] = '\0';
}

/* The year's list and the most recent earlier year's that holds values. */
static int load_values(struct lc_db *db, const struct lc_actor *actor, const char *slug, long year,
                       json_t **cur, json_t **prev, long *prev_year)
{
	*prev = NULL;
	*prev_year = 0;
	int err = lc_obs_current(db, actor, slug, year, cur);
	if (!err)
		err = lc_obs_previous(db, actor, slug, year, prev, prev_year);
	return err;
}

/* One cell of value text: a number cell when the text reads back the same, else text. */
static struct lc_xlsx_wcell value_cell(const char *text)
{
	struct lc_xlsx_wcell c = {.kind = LC_XLSX_W_EMPTY};
	double v;
	if (!*text)
		return c;
	if (canonical_number(text, &v)) {
		c.kind = LC_XLSX_W_NUMBER;
		c.num = v;
	} else {
		c.kind = LC_XLSX_W_TEXT;
		c.text = text;
	}
	return c;
}

static struct lc_xlsx_wcell text_cell(const char *text)
{
	struct lc_xlsx_wcell c = {.kind = *text ? LC_XLSX_W_TEXT : LC_XLSX_W_EMPTY, .text = text};
	return c;
}

/* A CSV value field: a number as is (never a formula), anything else escaped. */
static void csv_value(struct lc_buf *b, const char *text)
{
	double v;
	if (*text && lc_slice_to_double(lc_slice_cstr(text), &v) == 0 && !strchr(text, ','))
		lc_buf_puts(b, text);
	else
		lc_buf_append_csv(b, text, strlen(text));
}

int lc_obs_template(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                    long year, enum lc_obs_template_format fmt, struct lc_buf *out, long *last_year,
                    struct lc_diag *d)
{
	struct lc_obs_catalog cat;
	json_t *cur = NULL, *prev = NULL;
	struct lc_xlsx_wcell *cells = NULL;
	char(*allowed)[64] = NULL;
	long prev_year = 0;
	int err = lc_obs_catalog_load(db, &cat);
	if (err)
		goto out;
	const struct lc_obs_city *city = lc_obs_catalog_city(&cat, lc_slice_cstr(city_slug));
	if (!city) {
		err = LC_ENOTFOUND;
		goto out;
	}
	struct lc_authz_object obj = {.city_id = city->id, .year = year};
	err = lc_authz_check(actor, LC_ACT_ENTER_OBSERVATIONS, &obj);
	if (err)
		goto out;
	if (year < cat.year_min || year > cat.year_max) {
		lc_diag_addf(d, NULL, 0, 0, "year", "err_template_year",
		             LC_ARG_I("year_min", cat.year_min),
		             LC_ARG_I("year_max", cat.year_max));
		err = LC_EINVAL;
		goto out;
	}
	err = load_values(db, actor, city->slug, year, &cur, &prev, &prev_year);
	if (err)
		goto out;
	cells = lc_xcalloc((cat.nm ? cat.nm : 1) * T__N, sizeof *cells);
	allowed = lc_xcalloc(cat.nm ? cat.nm : 1, sizeof *allowed);
	if (fmt == LC_OBS_TEMPLATE_CSV) {
		for (int k = 0; k < T__N; k++)
			lc_buf_printf(out, "%s%s", k ? "," : "", headers[k]);
		lc_buf_puts(out, "\r\n");
	}
	for (size_t i = 0; i < cat.nm; i++) {
		const struct lc_obs_measure *m = &cat.m[i];
		const json_t *now = current(item_of(cur, m->code));
		const json_t *last = prev ? current(item_of(prev, m->code)) : NULL;
		allowed_text(m, allowed[i], sizeof allowed[i]);
		const char *row[T__N] = {m->code,
		                         m->label,
		                         m->unit ? m->unit : "",
		                         lc_obs_type_name(m->type),
		                         allowed[i],
		                         member(last, "value"),
		                         member(now, "value"),
		                         member(now, "source"),
		                         member(now, "note")};
		if (fmt == LC_OBS_TEMPLATE_CSV) {
			for (int k = 0; k < T__N; k++) {
				if (k)
					lc_buf_putc(out, ',');
				if (k == T_LAST || k == T_VALUE)
					csv_value(out, row[k]);
				else
					lc_buf_append_csv(out, row[k], strlen(row[k]));
			}
			lc_buf_puts(out, "\r\n");
			continue;
		}
		struct lc_xlsx_wcell *c = &cells[i * T__N];
		for (int k = 0; k < T__N; k++)
			c[k] = k == T_LAST || k == T_VALUE ? value_cell(row[k]) : text_cell(row[k]);
	}
	if (fmt == LC_OBS_TEMPLATE_XLSX) {
		static const struct lc_xlsx_wcol cols[T__N] = {
		    {.header = "code", .width = 12},
		    {.header = "label", .width = 48},
		    {.header = "unit", .width = 10},
		    {.header = "type", .width = 13},
		    {.header = "allowed", .width = 18},
		    {.header = "last_year", .width = 12},
		    {.header = "value",
		     .width = 14,
		     .input_title = "Value",
		     .input_message = "In the unit shown, within the allowed values. Leave "
		                      "empty when not reported. No formulas."},
		    {.header = "source", .width = 30},
		    {.header = "note", .width = 30},
		};
		static const struct lc_xlsx_wcol meta_cols[2] = {{.header = "key", .width = 18},
		                                                 {.header = "value", .width = 24}};
		char ybuf[24], lbuf[24], vbuf[24];
		snprintf(ybuf, sizeof ybuf, "%ld", year);
		snprintf(lbuf, sizeof lbuf, "%ld", prev_year);
		snprintf(vbuf, sizeof vbuf, "%lld", (long long)cat.version_id);
		const struct lc_xlsx_wcell meta[] = {
		    text_cell("city"),
		    text_cell(city->slug),
		    text_cell("year"),
		    text_cell(ybuf),
		    text_cell("last_year"),
		    text_cell(prev_year ? lbuf : ""),
		    text_cell("framework_version"),
		    text_cell(vbuf),
		};
		const struct lc_xlsx_wsheet sheets[2] = {
		    {.name = "Data",
		     .cols = cols,
		     .n_cols = T__N,
		     .cells = cells,
		     .n_rows = cat.nm,
		     .header = true},
		    {.name = "meta",
		     .cols = meta_cols,
		     .n_cols = 2,
		     .cells = meta,
		     .n_rows = sizeof meta / sizeof meta[0] / 2,
		     .header = true,
		     .hidden = true,
		     .protect = true},
		};
		err = lc_xlsx_write(sheets, 2, out, d);
		if (err)
			goto out;
	}
	if (lc_buf_error(out))
		err = LC_ELIMIT;
	if (last_year)
		*last_year = prev_year;
out:
	lc_free(cells);
	lc_free(allowed);
	json_decref(cur);
	json_decref(prev);
	lc_obs_catalog_cleanup(&cat);
	return err;
}
