/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * XLSX writing over libxlsxwriter (xlsx_write.h), through a temporary file
 * that is always removed, with a pass over libzip that makes numbers exact.
 */
#include "formats/xlsx_write.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "formats/xlsx.h"

#define MAX_LIST_BYTES 255 /* Excel's limit on an inline validation list */

/* Formats v with the fewest significant digits (15 to 17) that read back as v. */
static void exact_double(char out[32], double v)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(out, 32, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

/* True when libxlsxwriter's 16 significant digits lose something of v. */
static bool needs_17(double v)
{
	char s[32];
	snprintf(s, sizeof s, "%.16G", v);
	return strtod(s, NULL) != v;
}

static const struct lc_xlsx_wcell *wcell(const struct lc_xlsx_wsheet *s, size_t r, size_t c)
{
	return s->cells ? &s->cells[r * s->n_cols + c] : NULL;
}

/* The first occurrence of needle in [p, end), or NULL (bounded, unlike strstr). */
static const char *find(const char *p, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	while (p + n <= end) {
		const char *q = memchr(p, needle[0], (size_t)(end - p - (ptrdiff_t)n) + 1);
		if (!q)
			return NULL;
		if (memcmp(q, needle, n) == 0)
			return q;
		p = q + 1;
	}
	return NULL;
}

/*
 * Rewrites the <v> of every number cell of one worksheet part with its
 * exact text. libxlsxwriter writes number cells as <c r="B2"[ s="1"]><v>..</v>
 * and other cells with a t attribute, so a scan for that shape suffices.
 */
static int rewrite_numbers(const struct lc_xlsx_wsheet *s, const char *xml, size_t len,
                           struct lc_buf *out)
{
	const char *p = xml, *end = xml + len;
	size_t first = s->header ? 2 : 1; /* the sheet row of data row 0 */
	for (;;) {
		const char *q = find(p, end, "<c r=\"");
		if (!q)
			break;
		const char *e = find(q, end, ">");
		if (!e)
			return LC_EINTERNAL;
		const char *refp = q + 6, *refe = find(refp, e, "\"");
		long row, col;
		bool typed = find(q, e, " t=\"") != NULL;
		lc_buf_append(out, p, (size_t)(e + 1 - p));
		p = e + 1;
		if (typed || e[-1] == '/' || !refe || end - p < 3 || memcmp(p, "<v>", 3) != 0 ||
		    lc_xlsx_parse_ref(lc_slice_make(refp, (size_t)(refe - refp)), &row, &col))
			continue;
		const char *ve = find(p, end, "</v>");
		if (!ve)
			return LC_EINTERNAL;
		if ((size_t)row < first || (size_t)row - first >= s->n_rows ||
		    (size_t)col > s->n_cols)
			continue;
		const struct lc_xlsx_wcell *c = wcell(s, (size_t)row - first, (size_t)col - 1);
		if (!c || c->kind != LC_XLSX_W_NUMBER || !isfinite(c->num))
			continue;
		char num[32];
		exact_double(num, c->num);
		lc_buf_puts(out, "<v>");
		lc_buf_puts(out, num);
		p = ve;
	}
	lc_buf_append(out, p, (size_t)(end - p));
	return lc_buf_error(out);
}

/* Makes the numbers of the sheets that need it exact, in the file at path. */
static int exact_numbers(const char *path, const struct lc_xlsx_wsheet *sheets, size_t n,
                         const bool *patch, struct lc_diag *diag)
{
	int rc = 0, zerr = 0;
	struct lc_buf *bufs = lc_xcalloc(n, sizeof *bufs);
	for (size_t i = 0; i < n; i++)
		lc_buf_init(&bufs[i], LC_LIMIT_XLSX_PART);
	zip_t *za = zip_open(path, 0, &zerr);
	if (!za) {
		lc_diag_addf(diag, NULL, 0, 0, NULL, "err_xlsxw_reopen", LC_ARG_I("error", zerr));
		rc = LC_EIO;
		goto out;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		if (!patch[i])
			continue;
		char name[64];
		snprintf(name, sizeof name, "xl/worksheets/sheet%zu.xml", i + 1);
		zip_int64_t idx = zip_name_locate(za, name, 0);
		zip_file_t *zf = idx < 0 ? NULL : zip_fopen_index(za, (zip_uint64_t)idx, 0);
		if (!zf) {
			rc = LC_EINTERNAL;
			break;
		}
		struct lc_buf xml;
		lc_buf_init(&xml, LC_LIMIT_XLSX_PART);
		char chunk[16384];
		zip_int64_t got;
		while ((got = zip_fread(zf, chunk, sizeof chunk)) > 0)
			lc_buf_append(&xml, chunk, (size_t)got);
		zip_fclose(zf);
		if (got < 0 || lc_buf_error(&xml))
			rc = LC_EINTERNAL;
		else
			rc = rewrite_numbers(&sheets[i], lc_buf_cstr(&xml), xml.len, &bufs[i]);
		lc_buf_cleanup(&xml);
		if (rc)
			break;
		zip_source_t *src = zip_source_buffer(za, bufs[i].data, bufs[i].len, 0);
		if (!src || zip_file_replace(za, (zip_uint64_t)idx, src, 0) < 0) {
			zip_source_free(src);
			rc = LC_EINTERNAL;
		}
	}
	if (rc) {
		zip_discard(za);
	} else if (zip_close(za) < 0) {
		lc_diag_addf(diag, NULL, 0, 0, NULL, "err_xlsxw_rewrite",
		             LC_ARG_S("reason", zip_strerror(za)));
		zip_discard(za);
		rc = LC_EIO;
	}
out:
	for (size_t i = 0; i < n; i++)
		lc_buf_cleanup(&bufs[i]);
	lc_free(bufs);
	return rc;
}

/* What failed (code) on which cell (NULL: none), with libxlsxwriter's own words as the reason. */
static int lxw_fail(struct lc_diag *diag, const char *sheet, const char *code, const char *cell,
                    lxw_error e)
{
	lc_diag_addf(diag, NULL, 0, 0, sheet, code, LC_ARG_S("cell", cell ? cell : ""),
	             LC_ARG_S("reason", lxw_strerror(e)));
	return e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED ? LC_ELIMIT : LC_EINVAL;
}

static int add_validation(lxw_worksheet *ws, const struct lc_xlsx_wsheet *s, size_t j,
                          struct lc_diag *diag)
{
	const struct lc_xlsx_wcol *c = &s->cols[j];
	lxw_data_validation v;
	memset(&v, 0, sizeof v);
	char **list = NULL;
	int rc = 0;
	switch (c->validate) {
	case LC_XLSX_VALID_LIST:
		if (c->list) {
			size_t bytes = 0;
			list = lc_xcalloc(c->n_list + 1, sizeof *list);
			for (size_t k = 0; k < c->n_list; k++) {
				bytes += strlen(c->list[k]) + (k > 0);
				/* libxlsxwriter takes char **; it only reads the strings. */
				list[k] = (char *)(uintptr_t)c->list[k];
			}
			if (bytes > MAX_LIST_BYTES || c->n_list == 0) {
				lc_diag_addf(diag, NULL, 0, 0, s->name, "err_xlsxw_list_bytes",
				             LC_ARG_I("column", j + 1),
				             LC_ARG_I("limit", MAX_LIST_BYTES));
				rc = LC_EINVAL;
				goto out;
			}
			v.validate = LXW_VALIDATION_TYPE_LIST;
			v.value_list = list;
		} else {
			lc_diag_addf(diag, NULL, 0, 0, s->name, "err_xlsxw_list_empty",
			             LC_ARG_I("column", j + 1));
			rc = LC_EINVAL;
			goto out;
		}
		v.dropdown = LXW_VALIDATION_ON;
		break;
	case LC_XLSX_VALID_DECIMAL:
	case LC_XLSX_VALID_INTEGER:
		v.validate = c->validate == LC_XLSX_VALID_DECIMAL ? LXW_VALIDATION_TYPE_DECIMAL
		                                                  : LXW_VALIDATION_TYPE_INTEGER;
		v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
		v.minimum_number = c->min;
		v.maximum_number = c->max;
		break;
	default: goto out;
	}
	v.ignore_blank = LXW_VALIDATION_ON;
	v.show_input = c->input_message ? LXW_VALIDATION_ON : LXW_VALIDATION_OFF;
	v.show_error = LXW_VALIDATION_ON;
	v.input_title = (char *)(uintptr_t)c->input_title;
	v.input_message = (char *)(uintptr_t)c->input_message;
	size_t first = s->header ? 1 : 0;
	size_t rows = s->valid_rows ? s->valid_rows : (s->n_rows ? s->n_rows : 1);
	lxw_error e = worksheet_data_validation_range(
	    ws, (lxw_row_t)first, (lxw_col_t)j, (lxw_row_t)(first + rows - 1), (lxw_col_t)j, &v);
	if (e)
		rc = lxw_fail(diag, s->name, "err_xlsxw_validation", NULL, e);
out:
	lc_free(list);
	return rc;
}

static int write_sheet(lxw_workbook *wb, lxw_format *bold, const struct lc_xlsx_wsheet *s,
                       size_t index, bool *patch, struct lc_diag *diag)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, s->name);
	if (!ws) {
		lc_diag_add(diag, NULL, 0, 0, s->name ? s->name : "", "err_xlsxw_sheet_name");
		return LC_EINVAL;
	}
	if (s->n_rows > LC_LIMIT_CSV_ROWS || s->n_cols > LC_LIMIT_CSV_COLS ||
	    s->valid_rows > LC_LIMIT_CSV_ROWS) {
		lc_diag_addf(diag, NULL, 0, 0, s->name, "err_xlsxw_size",
		             LC_ARG_I("rows", LC_LIMIT_CSV_ROWS),
		             LC_ARG_I("columns", LC_LIMIT_CSV_COLS));
		return LC_ELIMIT;
	}
	lxw_error e;
	size_t first = 0;
	if (s->header) {
		for (size_t j = 0; j < s->n_cols; j++)
			if (s->cols[j].header) {
				e = worksheet_write_string(ws, 0, (lxw_col_t)j, s->cols[j].header,
				                           bold);
				if (e)
					return lxw_fail(diag, s->name, "err_xlsxw_header", NULL, e);
			}
		worksheet_freeze_panes(ws, 1, 0);
		first = 1;
	}
	for (size_t j = 0; j < s->n_cols; j++) {
		if (s->cols[j].width > 0) {
			e = worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, s->cols[j].width,
			                         NULL);
			if (e)
				return lxw_fail(diag, s->name, "err_xlsxw_width", NULL, e);
		}
		int rc = add_validation(ws, s, j, diag);
		if (rc)
			return rc;
	}
	for (size_t r = 0; r < s->n_rows && s->cells; r++)
		for (size_t j = 0; j < s->n_cols; j++) {
			const struct lc_xlsx_wcell *c = wcell(s, r, j);
			lxw_row_t row = (lxw_row_t)(first + r);
			e = LXW_NO_ERROR;
			if (c->kind == LC_XLSX_W_TEXT && c->text && c->text[0])
				e = worksheet_write_string(ws, row, (lxw_col_t)j, c->text, NULL);
			else if (c->kind == LC_XLSX_W_NUMBER && isfinite(c->num)) {
				e = worksheet_write_number(ws, row, (lxw_col_t)j, c->num, NULL);
				if (needs_17(c->num))
					patch[index] = true;
			}
			if (e) {
				char ref[16];
				return lxw_fail(diag, s->name, "err_xlsxw_cell",
				                lc_xlsx_format_ref((long)row + 1, (long)j + 1, ref),
				                e);
			}
		}
	if (s->hidden) {
		if (index == 0) {
			lc_diag_add(diag, NULL, 0, 0, s->name, "err_xlsxw_first_hidden");
			return LC_EINVAL;
		}
		worksheet_hide(ws);
	}
	if (s->protect)
		worksheet_protect(ws, NULL, NULL);
	return 0;
}

int lc_xlsx_write(const struct lc_xlsx_wsheet *sheets, size_t n, struct lc_buf *out,
                  struct lc_diag *diag)
{
	int rc = 0;
	char path[4096];
	bool *patch = lc_xcalloc(n ? n : 1, sizeof *patch);
	const char *dir = getenv("TMPDIR");
	if (!dir || !dir[0])
		dir = "/tmp";
	snprintf(path, sizeof path, "%s/learncity-xlsx-XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd < 0) {
		lc_diag_addf(diag, NULL, 0, 0, NULL, "err_xlsxw_tmp", LC_ARG_S("path", dir),
		             LC_ARG_S("reason", strerror(errno)));
		lc_free(patch);
		return LC_EIO;
	}
	close(fd);
	/* From here on the temporary file is removed at out, whatever happens. */
	lxw_workbook *wb = workbook_new(path);
	if (!wb) {
		rc = LC_EIO;
		goto out;
	}
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	if (n == 0) {
		lc_diag_add(diag, NULL, 0, 0, NULL, "err_xlsxw_no_sheet");
		rc = LC_EINVAL;
	}
	for (size_t i = 0; i < n && !rc; i++)
		rc = write_sheet(wb, bold, &sheets[i], i, patch, diag);
	if (rc) {
		/* workbook_close is the only way to free a workbook; its file is removed below. */
		workbook_close(wb);
		goto out;
	}
	lxw_error e = workbook_close(wb);
	if (e) {
		lc_diag_addf(diag, NULL, 0, 0, NULL, "err_xlsxw_write",
		             LC_ARG_S("reason", lxw_strerror(e)));
		rc = LC_EIO;
		goto out;
	}
	bool any = false;
	for (size_t i = 0; i < n; i++)
		any = any || patch[i];
	if (any) {
		rc = exact_numbers(path, sheets, n, patch, diag);
		if (rc)
			goto out;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		rc = LC_EIO;
		goto out;
	}
	char chunk[16384];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		lc_buf_append(out, chunk, got);
	if (ferror(f))
		rc = LC_EIO;
	fclose(f);
	if (!rc && lc_buf_error(out))
		rc = LC_ELIMIT;
out:
	unlink(path);
	lc_free(patch);
	return rc;
}
