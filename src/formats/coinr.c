/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Loading COINr iData/iMeta tables into an engine tree and matrix (coinr.h). */
#include "formats/coinr.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "engine/matrix.h"
#include "engine/spec.h"
#include "engine/tree.h"
#include "formats/csv.h"

enum col_kind { COL_SKIP, COL_UCODE, COL_UNAME, COL_IND, COL_GROUP, COL_DENOM, COL_BOTH };

static char *cell_dup(const struct lc_csv *c, size_t r, long col)
{
	if (col < 0)
		return NULL;
	struct lc_slice s = lc_slice_trim(lc_csv_cell(c, r, (size_t)col));
	if (lc_csv_is_na(s))
		return NULL;
	return lc_xstrndup(s.ptr, s.len);
}

static const char *meta_type(const struct lc_csv *im, size_t r, long c_type)
{
	return c_type >= 0 ? lc_csv_cstr(im, r, (size_t)c_type) : "";
}

/* Reads one numeric iMeta cell; NA gives dflt. */
static int meta_number(const struct lc_csv *im, size_t r, long col, double dflt, double *out,
                       struct lc_diag *diag)
{
	*out = dflt;
	if (col < 0)
		return 0;
	double v;
	if (lc_csv_number(lc_csv_cell(im, r, (size_t)col), &v) != 0) {
		lc_diag_addf(diag, im->file, im->line[r], col + 1, lc_csv_cstr(im, 0, (size_t)col),
		             "err_coinr_number",
		             LC_ARG_S("value", lc_csv_cstr(im, r, (size_t)col)));
		return LC_EINVAL;
	}
	if (!isnan(v))
		*out = v;
	return 0;
}

static int load_meta(const struct lc_csv *im, struct lc_tree *t, struct lc_diag *diag)
{
	int rc = 0;
	const char *req[] = {"Level", "iCode", "Parent"};
	for (size_t k = 0; k < 3; k++)
		if (lc_csv_find_col(im, req[k]) < 0) {
			lc_diag_add(diag, im->file, 1, 0, req[k], "err_coinr_column_missing");
			rc = LC_EINVAL;
		}
	if (rc)
		return rc;
	long c_level = lc_csv_find_col(im, "Level"), c_code = lc_csv_find_col(im, "iCode");
	long c_parent = lc_csv_find_col(im, "Parent"), c_name = lc_csv_find_col(im, "iName");
	long c_dir = lc_csv_find_col(im, "Direction"), c_w = lc_csv_find_col(im, "Weight");
	long c_target = lc_csv_find_col(im, "Target"), c_type = lc_csv_find_col(im, "Type");
	long c_den = lc_csv_find_col(im, "Denominator");
	for (size_t r = 1; r < im->n_rows; r++) {
		const char *type = meta_type(im, r, c_type);
		if (strcmp(type, "Group") == 0 || strcmp(type, "Denominator") == 0 ||
		    strcmp(type, "Other") == 0)
			continue;
		struct lc_slice lv = lc_slice_trim(lc_csv_cell(im, r, (size_t)c_level));
		if (lc_csv_is_na(lv) && c_type < 0)
			continue; /* no Type column: a row without Level describes a column */
		long level = 0;
		if (lc_slice_to_long(lv, 1, LC_LIMIT_ENGINE_LEVELS, &level) != 0) {
			lc_diag_addf(diag, im->file, im->line[r], c_level + 1, "Level",
			             "err_coinr_level",
			             LC_ARG_S("value", lc_csv_cstr(im, r, (size_t)c_level)),
			             LC_ARG_I("limit", LC_LIMIT_ENGINE_LEVELS));
			rc = LC_EINVAL;
			continue;
		}
		char *code = cell_dup(im, r, c_code);
		if (!code) {
			lc_diag_add(diag, im->file, im->line[r], c_code + 1, "iCode",
			            "err_coinr_code_missing");
			rc = LC_EINVAL;
			continue;
		}
		double dir, w, target;
		int e = meta_number(im, r, c_dir, 1, &dir, diag);
		e |= meta_number(im, r, c_w, 1, &w, diag);
		e |= meta_number(im, r, c_target, NAN, &target, diag);
		char *name = cell_dup(im, r, c_name);
		char *den = level == 1 ? cell_dup(im, r, c_den) : NULL;
		char *parent = cell_dup(im, r, c_parent);
		if (!e && lc_tree_add(t, code, name, (int)level, (int)dir, w, target, den, parent,
		                      im->line[r], diag, im->file) != 0)
			e = LC_ELIMIT;
		if (!e) {
			struct lc_tree_node *nd = &t->nodes[t->n - 1];
			nd->col_code = c_code + 1;
			nd->col_level = c_level + 1;
			nd->col_parent = c_parent + 1;
			if (dir != 1 && dir != -1)
				nd->direction = 0; /* reported by lc_tree_finish */
		}
		if (e)
			rc = LC_EINVAL;
		lc_free(code);
		lc_free(name);
		lc_free(den);
		lc_free(parent);
	}
	if (lc_tree_finish(t, im->file, diag) != 0)
		rc = LC_EINVAL;
	return rc;
}

/* The iMeta Type of an iData column, or "" when iMeta does not list it. */
static const char *typed(const struct lc_csv *im, const char *col)
{
	long c_code = lc_csv_find_col(im, "iCode"), c_type = lc_csv_find_col(im, "Type");
	if (c_code < 0 || c_type < 0)
		return "";
	for (size_t r = 1; r < im->n_rows; r++)
		if (strcmp(lc_csv_cstr(im, r, (size_t)c_code), col) == 0)
			return lc_csv_cstr(im, r, (size_t)c_type);
	return "";
}

/* A unit's code and its row, sorted by code. */
struct unit_row {
	const char *code;
	size_t row;
};

static int cmp_units(const void *a, const void *b)
{
	const struct unit_row *p = a, *q = b;
	return strcmp(p->code, q->code);
}

static int load_data(const struct lc_csv *id, const struct lc_csv *im, const struct lc_tree *t,
                     const char *time, struct lc_matrix *m, struct lc_diag *diag)
{
	int rc = 0;
	long c_u = lc_csv_find_col(id, "uCode");
	if (c_u < 0) {
		lc_diag_add(diag, id->file, 1, 0, "uCode", "err_coinr_column_missing");
		return LC_EINVAL;
	}
	long c_time = lc_csv_find_col(id, "Time");
	if (time && c_time < 0) {
		lc_diag_add(diag, id->file, 1, 0, "Time", "err_coinr_time_column");
		return LC_EINVAL;
	}
	/* The rows to read: all, or those of the Time asked for (panel data). */
	size_t *rows = lc_xcalloc(id->n_rows + 1, sizeof *rows);
	size_t n_units = 0;
	bool panel = false;
	for (size_t r = 1; r < id->n_rows; r++) {
		struct lc_slice tv = c_time >= 0 ? lc_slice_trim(lc_csv_cell(id, r, (size_t)c_time))
		                                 : lc_slice_make("", 0);
		if (time && !lc_slice_eq(tv, time))
			continue;
		if (c_time >= 0 && !time && n_units > 0 &&
		    !lc_slice_eq(tv, lc_csv_cstr(id, rows[0], (size_t)c_time)))
			panel = true;
		rows[n_units++] = r;
	}
	if (n_units == 0 || n_units > LC_LIMIT_ENGINE_UNITS) {
		if (time && n_units == 0)
			lc_diag_addf(diag, id->file, 0, 0, "Time", "err_coinr_time_rows",
			             LC_ARG_S("value", time));
		else
			lc_diag_addf(diag, id->file, 0, 0, NULL, "err_coinr_units",
			             LC_ARG_I("count", n_units),
			             LC_ARG_I("limit", LC_LIMIT_ENGINE_UNITS));
		lc_free(rows);
		return n_units ? LC_ELIMIT : LC_EINVAL;
	}
	if (t->n > LC_LIMIT_ENGINE_CELLS / n_units) {
		lc_diag_addf(diag, id->file, 0, 0, NULL, "err_coinr_cells",
		             LC_ARG_I("count", n_units), LC_ARG_I("codes", t->n),
		             LC_ARG_I("limit", LC_LIMIT_ENGINE_CELLS));
		lc_free(rows);
		return LC_ELIMIT;
	}
	enum col_kind *kind = lc_xcalloc(id->n_cols + 1, sizeof *kind);
	long *code_of = lc_xcalloc(id->n_cols + 1, sizeof *code_of);
	size_t n_groups = 0, n_denoms = 0;
	for (size_t j = 0; j < id->n_cols; j++) {
		const char *name = lc_csv_cstr(id, 0, j);
		long dup = -1;
		for (size_t k = 0; k < j && dup < 0; k++)
			if (strcmp(lc_csv_cstr(id, 0, k), name) == 0)
				dup = (long)k;
		if (dup >= 0) {
			lc_diag_add(diag, id->file, id->line[0], (long)j + 1, name,
			            "err_coinr_column_twice");
			rc = LC_EINVAL;
			continue;
		}
		long code = lc_tree_find(t, name);
		if ((long)j == c_u) {
			kind[j] = COL_UCODE;
		} else if (strcmp(name, "uName") == 0) {
			kind[j] = COL_UNAME;
		} else if (strcmp(name, "Time") == 0) {
			kind[j] = COL_SKIP;
		} else if (code >= 0 && t->nodes[code].level == 1) {
			kind[j] = COL_IND;
			code_of[j] = code;
		} else if (code >= 0) {
			kind[j] = COL_SKIP; /* aggregates are computed, never read */
		} else {
			const char *ty = typed(im, name);
			bool numeric = true;
			for (size_t k = 0; k < n_units && numeric; k++) {
				double v;
				numeric = lc_csv_number(lc_csv_cell(id, rows[k], j), &v) == 0;
			}
			if (strcmp(ty, "Group") == 0)
				kind[j] = COL_GROUP;
			else if (strcmp(ty, "Denominator") == 0)
				kind[j] = COL_DENOM;
			else
				kind[j] = numeric ? COL_BOTH : COL_GROUP;
		}
		if (kind[j] == COL_GROUP || kind[j] == COL_BOTH)
			n_groups++;
		if (kind[j] == COL_DENOM || kind[j] == COL_BOTH)
			n_denoms++;
	}
	/* Every indicator needs a column. */
	for (size_t k = 0; k < t->n_ind; k++) {
		bool found = false;
		for (size_t j = 0; j < id->n_cols && !found; j++)
			found = kind[j] == COL_IND && (size_t)code_of[j] == t->ind[k];
		if (!found) {
			const struct lc_tree_node *nd = &t->nodes[t->ind[k]];
			lc_diag_addf(diag, im->file, nd->line, nd->col_code, nd->code,
			             "err_coinr_no_column",
			             LC_ARG_S("file", id->file ? id->file : "iData"));
			rc = LC_EINVAL;
		}
	}
	if (rc)
		goto out;

	struct unit_row *order = lc_xcalloc(n_units + 1, sizeof *order);
	for (size_t i = 0; i < n_units; i++) {
		order[i].row = rows[i];
		order[i].code = lc_csv_cstr(id, rows[i], (size_t)c_u);
	}
	qsort(order, n_units, sizeof *order, cmp_units);

	lc_matrix_alloc(m, n_units, t->n, n_denoms, n_groups);
	size_t g = 0, d = 0;
	for (size_t j = 0; j < id->n_cols; j++) {
		if (kind[j] == COL_GROUP || kind[j] == COL_BOTH)
			m->group_names[g++] = lc_xstrdup(lc_csv_cstr(id, 0, j));
		if (kind[j] == COL_DENOM || kind[j] == COL_BOTH)
			m->denom_names[d++] = lc_xstrdup(lc_csv_cstr(id, 0, j));
	}
	for (size_t i = 0; i < n_units; i++) {
		size_t r = order[i].row;
		struct lc_slice u = lc_slice_trim(lc_csv_cell(id, r, (size_t)c_u));
		if (lc_csv_is_na(u)) {
			lc_diag_add(diag, id->file, id->line[r], c_u + 1, "uCode",
			            "err_coinr_ucode_missing");
			rc = LC_EINVAL;
		}
		m->ucodes[i] = lc_xstrndup(u.ptr, u.len);
		if (i > 0 && strcmp(m->ucodes[i], m->ucodes[i - 1]) == 0) {
			lc_diag_addf(diag, id->file, id->line[r], c_u + 1, "uCode",
			             panel ? "err_coinr_ucode_twice_panel"
			                   : "err_coinr_ucode_twice",
			             LC_ARG_S("value", m->ucodes[i]));
			rc = LC_EINVAL;
		}
		g = d = 0;
		for (size_t j = 0; j < id->n_cols; j++) {
			struct lc_slice cell = lc_csv_cell(id, r, j);
			double v = NAN;
			switch (kind[j]) {
			case COL_UNAME: m->unames[i] = lc_xstrndup(cell.ptr, cell.len); break;
			case COL_IND:
			case COL_DENOM:
			case COL_BOTH:
				if (lc_csv_number(cell, &v) != 0) {
					if (kind[j] == COL_BOTH)
						break;
					lc_diag_addf(diag, id->file, id->line[r], (long)j + 1,
					             lc_csv_cstr(id, 0, j), "err_coinr_number",
					             LC_ARG_S("value", lc_csv_cstr(id, r, j)));
					rc = LC_EINVAL;
					break;
				}
				if (kind[j] == COL_IND)
					m->x[(size_t)code_of[j] * n_units + i] = v;
				else
					m->denoms[d * n_units + i] = v;
				break;
			default: break;
			}
			if (kind[j] == COL_GROUP || kind[j] == COL_BOTH) {
				struct lc_slice s = lc_slice_trim(cell);
				if (!lc_csv_is_na(s)) {
					size_t nl = m->n_group_levels[g];
					size_t id_ = nl;
					for (size_t l = 0; l < nl && id_ == nl; l++)
						if (lc_slice_eq(s, m->group_levels[g][l]))
							id_ = l;
					if (id_ == nl) {
						m->group_levels[g] = lc_xreallocarray(
						    m->group_levels[g], nl + 1, sizeof(char *));
						m->group_levels[g][nl] = lc_xstrndup(s.ptr, s.len);
						m->n_group_levels[g] = nl + 1;
					}
					m->groups[g * n_units + i] = (int)id_;
				}
				g++;
			}
			if (kind[j] == COL_DENOM || kind[j] == COL_BOTH)
				d++;
		}
	}
	lc_free(order);
	/* Denominators named in iMeta must be columns. */
	for (size_t k = 0; k < t->n_ind; k++) {
		const struct lc_tree_node *nd = &t->nodes[t->ind[k]];
		if (nd->denominator && lc_matrix_find_denom(m, nd->denominator) < 0) {
			long c_den = lc_csv_find_col(im, "Denominator");
			lc_diag_addf(diag, im->file, nd->line, c_den + 1, "Denominator",
			             "err_coinr_denominator", LC_ARG_S("value", nd->denominator),
			             LC_ARG_S("code", nd->code),
			             LC_ARG_S("file", id->file ? id->file : "iData"));
			rc = LC_EINVAL;
		}
	}
out:
	lc_free(rows);
	lc_free(kind);
	lc_free(code_of);
	return rc;
}

int lc_coinr_load_time(const struct lc_csv *idata, const struct lc_csv *imeta, const char *time,
                       struct lc_tree *tree, struct lc_matrix *m, struct lc_diag *diag)
{
	int rc = load_meta(imeta, tree, diag);
	if (rc)
		return rc;
	return load_data(idata, imeta, tree, time, m, diag);
}

int lc_coinr_load(const struct lc_csv *idata, const struct lc_csv *imeta, struct lc_tree *tree,
                  struct lc_matrix *m, struct lc_diag *diag)
{
	return lc_coinr_load_time(idata, imeta, NULL, tree, m, diag);
}

int lc_coinr_load_files(const char *idata_path, const char *imeta_path, struct lc_tree *tree,
                        struct lc_matrix *m, struct lc_diag *diag)
{
	return lc_coinr_load_files_time(idata_path, imeta_path, NULL, tree, m, diag);
}

int lc_coinr_load_files_time(const char *idata_path, const char *imeta_path, const char *time,
                             struct lc_tree *tree, struct lc_matrix *m, struct lc_diag *diag)
{
	struct lc_csv id, im;
	lc_csv_init(&id);
	lc_csv_init(&im);
	int rc = lc_csv_read_file(&im, imeta_path, diag);
	if (!rc)
		rc = lc_csv_read_file(&id, idata_path, diag);
	if (!rc)
		rc = lc_coinr_load_time(&id, &im, time, tree, m, diag);
	lc_csv_cleanup(&id);
	lc_csv_cleanup(&im);
	return rc;
}

int lc_coinr_read_spec(const char *path, struct lc_spec *spec, struct lc_diag *diag)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		lc_diag_addf(diag, path, 0, 0, NULL, "err_csv_open",
		             LC_ARG_S("error", strerror(errno)));
		return LC_EIO;
	}
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_SPEC_BYTES);
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		lc_buf_append(&b, chunk, n);
	int rc = 0;
	if (ferror(f)) {
		lc_diag_add(diag, path, 0, 0, NULL, "err_csv_read_error");
		rc = LC_EIO;
	} else if (lc_buf_error(&b)) {
		lc_diag_addf(diag, path, 0, 0, NULL, "err_spec_large",
		             LC_ARG_I("limit", LC_LIMIT_SPEC_BYTES));
		rc = LC_ELIMIT;
	}
	fclose(f);
	if (!rc)
		rc = lc_spec_parse(spec, lc_buf_cstr(&b), b.len, path, diag);
	lc_buf_cleanup(&b);
	return rc;
}

/* ---- writing ------------------------------------------------------------------------------- */

/* A CSV cell, quoted when needed and neutralised against formula injection. */
static void csv_field(struct lc_buf *b, const char *s)
{
	lc_buf_append_csv(b, s, strlen(s));
}

void lc_coinr_write_imeta(struct lc_buf *b, const struct lc_tree *t)
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

void lc_coinr_write_idata(struct lc_buf *b, const struct lc_tree *t, const struct lc_matrix *m)
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
