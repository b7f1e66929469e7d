/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Observation import (obs_import.h): header mapping for the long and wide
 * layouts, then one pass that turns every row into a checked entry (one
 * array for the whole file, no allocation per row), then one write.
 */
#include "domain/monitoring/obs_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "formats/csv.h"
#include "formats/xlsx.h"

enum {
	C_CITY,
	C_CODE,
	C_YEAR,
	C_VALUE,
	C_UNIT,
	C_SOURCE,
	C_NOTE,
	C_LABEL,
	C_LAST,
	C_TYPE,
	C_ALLOWED,
	C__N
};

static const struct {
	const char *name;
	int col;
} header_names[] = {
    {"city", C_CITY},
    {"code", C_CODE},
    {"measurement", C_CODE},
    {"year", C_YEAR},
    {"value", C_VALUE},
    {"unit", C_UNIT},
    {"source", C_SOURCE},
    {"note", C_NOTE},
    {"label", C_LABEL},
    {"last_year", C_LAST},
    {"last year's value", C_LAST},
    {"last_year_value", C_LAST},
    {"type", C_TYPE},
    {"allowed", C_ALLOWED},
};

static const char *const col_label[C__N] = {"city",      "code",   "year",   "value",
                                            "unit",      "source", "note",   "label",
                                            "last_year", "type",   "allowed"};

static struct lc_slice cell(const struct lc_obs_table *t, size_t r, long c)
{
	if (c < 0)
		return lc_slice_make("", 0);
	return t->cells[r * t->n_cols + (size_t)c];
}

static long row_line(const struct lc_obs_table *t, size_t r)
{
	return t->line ? t->line[r] : (long)r + 1;
}

/* Maps header columns; every problem to d. 0 or LC_EINVAL. */
static int map_header(const struct lc_obs_table *t, enum lc_obs_layout *layout, long col[C__N],
                      struct lc_diag *d)
{
	int err = 0;
	for (int i = 0; i < C__N; i++)
		col[i] = -1;
	long line = t->n_rows ? row_line(t, 0) : 1;
	for (size_t c = 0; c < t->n_cols; c++) {
		struct lc_slice h = lc_slice_trim(cell(t, 0, (long)c));
		int which = -1;
		for (size_t k = 0; k < sizeof header_names / sizeof header_names[0]; k++)
			if (lc_slice_eq_nocase(h, header_names[k].name))
				which = header_names[k].col;
		if (which < 0) {
			char name[64];
			snprintf(name, sizeof name, "%.*s", (int)(h.len > 60 ? 60 : h.len),
			         h.ptr ? h.ptr : "");
			lc_diag_addf(d, t->file, line, (long)c + 1, NULL,
			             "err_import_column_unknown", LC_ARG_S("column", name));
			err = LC_EINVAL;
		} else if (col[which] >= 0) {
			lc_diag_addf(d, t->file, line, (long)c + 1, col_label[which],
			             "err_import_column_appears_twice",
			             LC_ARG_S("which", col_label[which]));
			err = LC_EINVAL;
		} else {
			col[which] = (long)c;
		}
	}
	if (*layout == LC_OBS_LAYOUT_AUTO)
		*layout = col[C_CITY] >= 0 ? LC_OBS_LAYOUT_LONG : LC_OBS_LAYOUT_WIDE;
	static const int need_long[] = {C_CITY, C_CODE, C_YEAR, C_VALUE};
	static const int need_wide[] = {C_CODE, C_VALUE};
	const int *need = *layout == LC_OBS_LAYOUT_LONG ? need_long : need_wide;
	size_t nneed = *layout == LC_OBS_LAYOUT_LONG ? 4 : 2;
	for (size_t i = 0; i < nneed; i++) {
		if (col[need[i]] < 0) {
			lc_diag_addf(d, t->file, line, 0, col_label[need[i]],
			             "err_import_column_missing",
			             LC_ARG_S("column", col_label[need[i]]));
			err = LC_EINVAL;
		}
	}
	if (*layout == LC_OBS_LAYOUT_WIDE && (col[C_CITY] >= 0 || col[C_YEAR] >= 0)) {
		lc_diag_add(d, t->file, line, 0, NULL, "err_import_wide_template_has_city");
		err = LC_EINVAL;
	}
	return err;
}

/* Reports the row's formula cells (flagged by the reader); true when there is one. */
static bool formula_cells(const struct lc_obs_table *t, size_t r, const long col[C__N], long line,
                          struct lc_diag *d)
{
	bool any = false;
	for (int k = 0; k < C__N; k++) {
		if (col[k] < 0 || !t->formula[r * t->n_cols + (size_t)col[k]])
			continue;
		struct lc_slice v = cell(t, r, col[k]);
		char value[64];
		snprintf(value, sizeof value, "%.*s", (int)(v.len > 60 ? 60 : v.len),
		         v.ptr ? v.ptr : "");
		lc_diag_addf(d, t->file, line, col[k] + 1, col_label[k], "err_import_formula",
		             LC_ARG_S("value", value));
		any = true;
	}
	return any;
}

static bool unit_eq(struct lc_slice given, const char *unit)
{
	given = lc_slice_trim(given);
	if (!unit)
		return given.len == 0;
	return lc_slice_eq_nocase(given, unit);
}

int lc_obs_import_table(struct lc_db *db, const struct lc_actor *actor,
                        const struct lc_obs_table *t, const struct lc_obs_import_opts *opts,
                        struct lc_diag *d, struct lc_obs_summary *sum)
{
	static const struct lc_obs_import_opts none = {0};
	if (!opts)
		opts = &none;
	struct lc_obs_summary local = {0};
	if (!sum)
		sum = &local;
	memset(sum, 0, sizeof *sum);
	size_t max_rows = opts->max_rows && opts->max_rows < LC_LIMIT_CSV_ROWS
	                      ? opts->max_rows
	                      : (size_t)LC_LIMIT_CSV_ROWS;
	if (t->n_rows > max_rows + 1 || t->n_cols > LC_LIMIT_CSV_COLS) {
		lc_diag_addf(d, t->file, 0, 0, NULL, "err_import_file_has_rows_data",
		             LC_ARG_I("value", t->n_rows ? t->n_rows - 1 : 0),
		             LC_ARG_I("max_rows", max_rows),
		             LC_ARG_I("max_columns", (unsigned)LC_LIMIT_CSV_COLS));
		return LC_ELIMIT;
	}
	if (t->n_rows == 0 || t->n_cols == 0) {
		lc_diag_add(d, t->file, 0, 0, NULL, "err_import_file_empty_needs_header");
		return LC_EINVAL;
	}
	enum lc_obs_layout layout = opts->layout;
	long col[C__N];
	int err = map_header(t, &layout, col, d);
	if (layout == LC_OBS_LAYOUT_WIDE && (!opts->city || !opts->year)) {
		lc_diag_add(d, t->file, 0, 0, NULL, "err_import_wide_template_needs_city");
		err = LC_EINVAL;
	}
	if (err)
		return err;

	struct lc_obs_catalog cat;
	struct lc_obs_entry *e = NULL;
	err = lc_obs_catalog_load(db, &cat);
	if (err) {
		if (err == LC_ENOTFOUND)
			lc_diag_add(d, t->file, 0, 0, NULL, "err_import_framework_loaded_database");
		goto out;
	}
	size_t n = 0;
	bool wide = layout == LC_OBS_LAYOUT_WIDE;
	struct lc_slice fixed_city = lc_slice_cstr(opts->city),
	                fixed_year = lc_slice_cstr(opts->year);
	if (wide) {
		/* The template's city and year: said once, not once per row. */
		long y = 0;
		if (!lc_obs_catalog_city(&cat, lc_slice_trim(fixed_city))) {
			char value[64];
			snprintf(value, sizeof value, "%.*s",
			         (int)(fixed_city.len > 60 ? 60 : fixed_city.len),
			         fixed_city.ptr ? fixed_city.ptr : "");
			lc_diag_addf(d, t->file, 0, 0, "city", "err_import_city_unknown",
			             LC_ARG_S("value", value));
			err = LC_EINVAL;
		}
		if (lc_slice_to_long(lc_slice_trim(fixed_year), cat.year_min, cat.year_max, &y) !=
		    0) {
			char value[64];
			snprintf(value, sizeof value, "%.*s",
			         (int)(fixed_year.len > 60 ? 60 : fixed_year.len),
			         fixed_year.ptr ? fixed_year.ptr : "");
			lc_diag_addf(d, t->file, 0, 0, "year", "err_obs_year_cell",
			             LC_ARG_S("value", value), LC_ARG_I("min", cat.year_min),
			             LC_ARG_I("max", cat.year_max));
			err = LC_EINVAL;
		}
		if (err)
			goto out;
	}
	e = lc_xcalloc(t->n_rows, sizeof *e);
	for (size_t r = 1; r < t->n_rows; r++) {
		struct lc_obs_row row = {
		    .city = wide ? fixed_city : cell(t, r, col[C_CITY]),
		    .measurement = cell(t, r, col[C_CODE]),
		    .year = wide ? fixed_year : cell(t, r, col[C_YEAR]),
		    .value = cell(t, r, col[C_VALUE]),
		    .source = cell(t, r, col[C_SOURCE]),
		    .note = cell(t, r, col[C_NOTE]),
		    .line = row_line(t, r),
		    .col_city = wide ? 0 : col[C_CITY] + 1,
		    .col_measurement = col[C_CODE] + 1,
		    .col_year = wide ? 0 : col[C_YEAR] + 1,
		    .col_value = col[C_VALUE] + 1,
		    .col_source = col[C_SOURCE] + 1,
		    .col_note = col[C_NOTE] + 1,
		};
		/* A template row left blank is a measurement the city does not report. */
		if (wide && lc_slice_trim(row.value).len == 0 &&
		    lc_slice_trim(row.source).len == 0 && lc_slice_trim(row.note).len == 0)
			continue;
		if (t->formula && formula_cells(t, r, col, row.line, d)) {
			err = LC_EINVAL;
			continue;
		}
		if (lc_obs_check_row(&cat, &row, t->file, &e[n], d) != 0) {
			err = LC_EINVAL;
			continue;
		}
		if (col[C_UNIT] >= 0 && !unit_eq(cell(t, r, col[C_UNIT]), e[n].m->unit)) {
			struct lc_slice u = lc_slice_trim(cell(t, r, col[C_UNIT]));
			char value[48];
			snprintf(value, sizeof value, "%.*s", (int)(u.len > 40 ? 40 : u.len),
			         u.ptr ? u.ptr : "");
			if (e[n].m->unit)
				lc_diag_addf(d, t->file, row.line, col[C_UNIT] + 1, "unit",
				             "err_import_unit", LC_ARG_S("value", value),
				             LC_ARG_S("code", e[n].m->code),
				             LC_ARG_S("unit", e[n].m->unit));
			else
				lc_diag_addf(d, t->file, row.line, col[C_UNIT] + 1, "unit",
				             "err_import_unit_none", LC_ARG_S("value", value),
				             LC_ARG_S("code", e[n].m->code));
			err = LC_EINVAL;
			continue;
		}
		n++;
		if (opts->progress && opts->progress->fn && (r & 16383) == 0)
			opts->progress->fn(opts->progress->ctx, "checking", r, t->n_rows - 1);
	}
	if (opts->progress && opts->progress->fn)
		opts->progress->fn(opts->progress->ctx, "checking", t->n_rows - 1, t->n_rows - 1);
	if (err) {
		/* Duplicates among the good rows are problems too: list them now. */
		lc_obs_check_duplicates(e, n, t->file, d);
		sum->rows = t->n_rows - 1;
		goto out;
	}
	if (n == 0) {
		lc_diag_add(d, t->file, 0, 0, NULL, "err_import_file_holds_values");
		err = LC_EINVAL;
		goto out;
	}
	if (opts->dry_run) {
		/* Run every check of the write, then undo it. */
		err = lc_db_begin(db);
		if (err)
			goto out;
		err = lc_obs_write(db, actor, &cat, e, n, t->file, d, sum, opts->progress);
		lc_db_rollback(db);
	} else {
		err = lc_obs_write(db, actor, &cat, e, n, t->file, d, sum, opts->progress);
	}
out:
	lc_free(e);
	lc_obs_catalog_cleanup(&cat);
	return err;
}

/* Reports the "reading" phase (0 before, 1 after): a big file's parse is the slow part. */
static void reading(const struct lc_obs_import_opts *o, size_t done)
{
	if (o && o->progress && o->progress->fn)
		o->progress->fn(o->progress->ctx, "reading", done, 1);
}

/* Imports a parsed CSV, then cleans it up. */
static int import_csv(struct lc_db *db, const struct lc_actor *actor, struct lc_csv *csv,
                      const char *file, const struct lc_obs_import_opts *opts, struct lc_diag *d,
                      struct lc_obs_summary *sum)
{
	struct lc_slice *cells =
	    lc_xreallocarray(NULL, csv->n_rows * csv->n_cols + 1, sizeof *cells);
	for (size_t i = 0; i < csv->n_rows * csv->n_cols; i++)
		cells[i] = lc_slice_make(csv->bytes + csv->off[i], csv->len[i]);
	struct lc_obs_table t = {.n_rows = csv->n_rows,
	                         .n_cols = csv->n_cols,
	                         .cells = cells,
	                         .line = csv->line,
	                         .file = file};
	int err = lc_obs_import_table(db, actor, &t, opts, d, sum);
	lc_free(cells);
	lc_csv_cleanup(csv);
	return err;
}

int lc_obs_import_csv(struct lc_db *db, const struct lc_actor *actor, const char *data, size_t len,
                      const char *file, const struct lc_obs_import_opts *opts, struct lc_diag *d,
                      struct lc_obs_summary *sum)
{
	struct lc_csv csv;
	lc_csv_init(&csv);
	if (sum)
		memset(sum, 0, sizeof *sum);
	int err = lc_csv_parse(&csv, data, len, file, d);
	return err ? err : import_csv(db, actor, &csv, file, opts, d, sum);
}

int lc_obs_import_csv_file(struct lc_db *db, const struct lc_actor *actor, const char *path,
                           const struct lc_obs_import_opts *opts, struct lc_diag *d,
                           struct lc_obs_summary *sum)
{
	struct lc_csv csv;
	lc_csv_init(&csv);
	if (sum)
		memset(sum, 0, sizeof *sum);
	reading(opts, 0);
	int err = lc_csv_read_file(&csv, path, d);
	if (!err)
		reading(opts, 1);
	return err ? err : import_csv(db, actor, &csv, path, opts, d, sum);
}

size_t lc_obs_number_text(double v, char out[32])
{
	/* A double with a representation of at most 15 digits prints it at %.15g
	   (its error is below half a unit of the 15th digit), so this is the shortest. */
	int n = 0;
	for (int p = 15; p <= 17; p++) {
		n = snprintf(out, 32, "%.*g", p, v);
		if (strtod(out, NULL) == v)
			break;
	}
	return n > 0 ? (size_t)n : 0;
}

bool lc_obs_is_xlsx(const void *data, size_t len)
{
	return len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;
}

/*
 * The template's city and year from the workbook's "meta" sheet (rows of
 * key,value), into meta_city and meta_year (empty when absent). A workbook
 * without the sheet is fine: a hand-made file names them elsewhere.
 */
static int read_meta(struct lc_xlsx *x, char *city, size_t city_size, char *year, size_t year_size,
                     struct lc_diag *d)
{
	city[0] = year[0] = '\0';
	bool found = false;
	for (size_t i = 0; i < lc_xlsx_sheet_count(x) && !found; i++)
		found = strcmp(lc_xlsx_sheet_name(x, i), "meta") == 0;
	if (!found)
		return 0;
	struct lc_xlsx_table t;
	lc_xlsx_table_init(&t);
	int err = lc_xlsx_read_sheet(x, "meta", &t, d);
	for (size_t r = 0; !err && r < t.n_rows && t.n_cols >= 2; r++) {
		const char *k = lc_xlsx_cstr(&t, r, 0), *v = lc_xlsx_cstr(&t, r, 1);
		if (strcmp(k, "city") == 0)
			snprintf(city, city_size, "%s", v);
		else if (strcmp(k, "year") == 0)
			snprintf(year, year_size, "%s", v);
	}
	lc_xlsx_table_cleanup(&t);
	return err;
}

/* Reads the data sheet of an open workbook and imports it. */
static int import_workbook(struct lc_db *db, const struct lc_actor *actor, struct lc_xlsx *x,
                           const char *file, const struct lc_obs_import_opts *opts,
                           struct lc_diag *d, struct lc_obs_summary *sum)
{
	struct lc_obs_import_opts o = {0};
	if (opts)
		o = *opts;
	char city[LC_LIMIT_SLUG_BYTES + 1], year[16];
	struct lc_xlsx_table t;
	struct lc_slice *cells = NULL;
	bool *formula = NULL;
	char *numtext = NULL;
	lc_xlsx_table_init(&t);
	int err = read_meta(x, city, sizeof city, year, sizeof year, d);
	if (err)
		goto out;
	if (city[0] && o.city && strcmp(city, o.city) != 0) {
		lc_diag_addf(d, file, 0, 0, "city", "err_import_template_was_made_city",
		             LC_ARG_S("city", city), LC_ARG_S("city2", o.city));
		err = LC_EINVAL;
	}
	if (year[0] && o.year && strcmp(year, o.year) != 0) {
		lc_diag_addf(d, file, 0, 0, "year", "err_import_template_was_made_year",
		             LC_ARG_S("year", year), LC_ARG_S("year2", o.year));
		err = LC_EINVAL;
	}
	if (err)
		goto out;
	if (!o.city && city[0])
		o.city = city;
	if (!o.year && year[0])
		o.year = year;
	bool has_data = false;
	for (size_t i = 0; i < lc_xlsx_sheet_count(x) && !has_data; i++)
		has_data = strcmp(lc_xlsx_sheet_name(x, i), "Data") == 0;
	reading(&o, 0);
	err = lc_xlsx_read_sheet(x, has_data ? "Data" : NULL, &t, d);
	if (err)
		goto out;
	reading(&o, 1);
	size_t n = t.n_rows * t.n_cols, nnum = 0;
	cells = lc_xreallocarray(NULL, n + 1, sizeof *cells);
	formula = lc_xreallocarray(NULL, n + 1, sizeof *formula);
	for (size_t i = 0; i < n; i++)
		nnum += t.cells[i].type == LC_XLSX_NUMBER;
	/* Number cells read as the shortest text of their double (see lc_obs_number_text). */
	numtext = lc_xreallocarray(NULL, nnum + 1, 32);
	nnum = 0;
	for (size_t r = 0; r < t.n_rows; r++)
		for (size_t c = 0; c < t.n_cols; c++) {
			const struct lc_xlsx_cell *xc = lc_xlsx_cell(&t, r, c);
			struct lc_slice txt = lc_xlsx_text(&t, r, c);
			if (xc->type == LC_XLSX_NUMBER) {
				char *p = numtext + 32 * nnum++;
				txt = lc_slice_make(p, lc_obs_number_text(xc->num, p));
			}
			cells[r * t.n_cols + c] = txt;
			formula[r * t.n_cols + c] = xc->formula;
		}
	struct lc_obs_table tab = {.n_rows = t.n_rows,
	                           .n_cols = t.n_cols,
	                           .cells = cells,
	                           .formula = formula,
	                           .file = file};
	err = lc_obs_import_table(db, actor, &tab, &o, d, sum);
out:
	lc_free(cells);
	lc_free(formula);
	lc_free(numtext);
	lc_xlsx_table_cleanup(&t);
	return err;
}

/* Reader settings for an import: a row cap lowers the cell cap, so a huge sheet stops early. */
static void xlsx_opts_for(const struct lc_obs_import_opts *opts, struct lc_xlsx_opts *xo)
{
	memset(xo, 0, sizeof *xo);
	if (opts && opts->max_rows && opts->max_rows < LC_LIMIT_CSV_ROWS)
		xo->max_cells = (opts->max_rows + 1) * 32; /* the template has 9 columns */
}

int lc_obs_import_xlsx(struct lc_db *db, const struct lc_actor *actor, const void *data, size_t len,
                       const char *file, const struct lc_obs_import_opts *opts, struct lc_diag *d,
                       struct lc_obs_summary *sum)
{
	struct lc_xlsx *x = NULL;
	struct lc_xlsx_opts xo;
	if (sum)
		memset(sum, 0, sizeof *sum);
	xlsx_opts_for(opts, &xo);
	int err = lc_xlsx_open_mem(&x, data, len, file, &xo, d);
	if (!err)
		err = import_workbook(db, actor, x, file, opts, d, sum);
	lc_xlsx_free(x);
	return err;
}

int lc_obs_import_bytes(struct lc_db *db, const struct lc_actor *actor, const void *data,
                        size_t len, const char *file, const struct lc_obs_import_opts *opts,
                        struct lc_diag *d, struct lc_obs_summary *sum)
{
	if (lc_obs_is_xlsx(data, len))
		return lc_obs_import_xlsx(db, actor, data, len, file, opts, d, sum);
	return lc_obs_import_csv(db, actor, data, len, file, opts, d, sum);
}

int lc_obs_import_file(struct lc_db *db, const struct lc_actor *actor, const char *path,
                       const struct lc_obs_import_opts *opts, struct lc_diag *d,
                       struct lc_obs_summary *sum)
{
	unsigned char sig[4];
	size_t got = 0;
	FILE *f = fopen(path, "rb");
	if (f) {
		got = fread(sig, 1, sizeof sig, f);
		fclose(f);
	} else {
		lc_diag_add(d, path, 0, 0, NULL, "err_import_open_file");
		return LC_EIO;
	}
	if (!lc_obs_is_xlsx(sig, got))
		return lc_obs_import_csv_file(db, actor, path, opts, d, sum);
	struct lc_xlsx *x = NULL;
	struct lc_xlsx_opts xo;
	if (sum)
		memset(sum, 0, sizeof *sum);
	xlsx_opts_for(opts, &xo);
	int err = lc_xlsx_open_file(&x, path, &xo, d);
	if (!err)
		err = import_workbook(db, actor, x, path, opts, d, sum);
	lc_xlsx_free(x);
	return err;
}
