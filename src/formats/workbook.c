/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The workbooks learncity exports (workbook.h): approved observations, and
 * the scores of an index run, written through lc_xlsx_write from the
 * view-models the domain builds. Numbers are number cells, so that a
 * workbook reads back as the same doubles.
 */
#include "formats/workbook.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "formats/xlsx_write.h"

/* A string member or "". */
static const char *str_or_empty(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

int lc_workbook_observations(const json_t *rows, long year, struct lc_buf *out, struct lc_diag *d)
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
	int err = lc_xlsx_write(&sheet, 1, out, d);
	lc_free(cells);
	return err;
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

int lc_workbook_scores(const json_t *m, const char *only, struct lc_buf *out, struct lc_diag *d)
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
	int err = lc_xlsx_write(sheets, 2, out, d);
	lc_free(cols);
	lc_free(cells);
	return err;
}
