/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* CSV reading over libcsv (csv.h). */
#include "formats/csv.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"

void lc_csv_init(struct lc_csv *c)
{
	memset(c, 0, sizeof *c);
}

void lc_csv_cleanup(struct lc_csv *c)
{
	if (!c)
		return;
	lc_free(c->bytes);
	lc_free(c->off);
	lc_free(c->len);
	lc_free(c->line);
	lc_free(c->file);
	lc_csv_init(c);
}

/* The parse in progress: cells of ragged rows are kept until the end. */
struct parse {
	const char *file;
	struct lc_diag *diag;
	struct lc_buf bytes;
	size_t *off, *len; /* cells in file order */
	size_t n_cells, cap_cells;
	size_t *row_start; /* first cell of each row; n_rows + 1 entries at the end */
	long *line;
	size_t n_rows, cap_rows;
	size_t fields; /* of the current row */
	long cur_line; /* line being fed */
	long row_line; /* where the current row started */
	int err;       /* first error code */
	bool stop;     /* a limit was hit: ignore the rest */
};

/* Records the first error code, and the problem key where it is, with its limit unless < 0. */
static void fail(struct parse *p, int code, long line, long col, const char *key, long long limit)
{
	if (!p->err)
		p->err = code;
	if (limit < 0)
		lc_diag_add(p->diag, p->file, line, col, NULL, key);
	else
		lc_diag_addf(p->diag, p->file, line, col, NULL, key, LC_ARG_I("limit", limit));
}

static void on_field(void *data, size_t n, void *arg)
{
	struct parse *p = arg;
	if (p->stop)
		return;
	const char *s = data ? data : "";
	if (p->fields == 0) {
		/* The row started as many lines up as the field holds line breaks. */
		long nl = 0;
		for (size_t i = 0; i < n; i++)
			nl += s[i] == '\n';
		p->row_line = p->cur_line - nl;
	}
	if (n > LC_LIMIT_CSV_FIELD) {
		fail(p, LC_ELIMIT, p->row_line, (long)p->fields + 1, "err_csv_field_long",
		     LC_LIMIT_CSV_FIELD);
		p->stop = true;
		return;
	}
	if (p->fields >= LC_LIMIT_CSV_COLS) {
		fail(p, LC_ELIMIT, p->row_line, (long)p->fields + 1, "err_csv_columns_many",
		     LC_LIMIT_CSV_COLS);
		p->stop = true;
		return;
	}
	if (p->n_cells == p->cap_cells) {
		p->cap_cells = p->cap_cells ? p->cap_cells * 2 : 256;
		p->off = lc_xreallocarray(p->off, p->cap_cells, sizeof *p->off);
		p->len = lc_xreallocarray(p->len, p->cap_cells, sizeof *p->len);
	}
	p->off[p->n_cells] = p->bytes.len;
	p->len[p->n_cells] = n;
	p->n_cells++;
	lc_buf_append(&p->bytes, s, n);
	lc_buf_putc(&p->bytes, '\0');
	p->fields++;
}

static void on_record(int term, void *arg)
{
	(void)term;
	struct parse *p = arg;
	if (p->stop)
		return;
	if (p->fields == 0) {
		/* libcsv reports a record for a line of only spaces: skip it. */
		return;
	}
	if (p->n_rows >= LC_LIMIT_CSV_ROWS) {
		fail(p, LC_ELIMIT, p->row_line, 0, "err_csv_rows_many", LC_LIMIT_CSV_ROWS);
		p->stop = true;
		return;
	}
	if (p->n_rows + 2 > p->cap_rows) {
		p->cap_rows = p->cap_rows ? p->cap_rows * 2 : 64;
		p->row_start = lc_xreallocarray(p->row_start, p->cap_rows, sizeof *p->row_start);
		p->line = lc_xreallocarray(p->line, p->cap_rows, sizeof *p->line);
	}
	p->row_start[p->n_rows] = p->n_cells - p->fields;
	p->line[p->n_rows] = p->row_line;
	p->n_rows++;
	p->row_start[p->n_rows] = p->n_cells;
	p->fields = 0;
}

int lc_csv_parse(struct lc_csv *c, const char *data, size_t len, const char *file,
                 struct lc_diag *diag)
{
	struct parse p;
	memset(&p, 0, sizeof p);
	p.file = file;
	p.diag = diag;
	p.cur_line = 1;
	lc_buf_init(&p.bytes, (size_t)LC_LIMIT_CSV_BYTES * 2 + 64);
	lc_csv_cleanup(c);
	int rc = 0;
	struct csv_parser cp;
	bool cp_live = false;
	if (len > LC_LIMIT_CSV_BYTES) {
		fail(&p, LC_ELIMIT, 0, 0, "err_csv_file_larger_bytes", LC_LIMIT_CSV_BYTES);
		goto out;
	}
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		rc = LC_EINTERNAL;
		goto out;
	}
	cp_live = true;
	/* Fed a line at a time so that every callback knows its line number. */
	size_t pos = 0;
	while (pos < len && !p.stop) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t chunk = nl ? (size_t)(nl - (data + pos)) + 1 : len - pos;
		if (csv_parse(&cp, data + pos, chunk, on_field, on_record, &p) != chunk) {
			fail(&p, LC_EINVAL, p.cur_line, 0, "err_csv_quote", -1);
			goto out;
		}
		pos += chunk;
		if (nl)
			p.cur_line++;
	}
	if (!p.stop && csv_fini(&cp, on_field, on_record, &p) != 0) {
		/* The last line holding data: the count ran one past a final newline. */
		long last = len > 0 && data[len - 1] == '\n' ? p.cur_line - 1 : p.cur_line;
		fail(&p, LC_EINVAL, last, 0, "err_csv_unclosed", -1);
		goto out;
	}
	if (p.err)
		goto out;
	if (lc_buf_error(&p.bytes)) {
		fail(&p, LC_ELIMIT, 0, 0, "err_csv_file_larger_bytes", LC_LIMIT_CSV_BYTES);
		goto out;
	}
	if (p.n_rows == 0) {
		fail(&p, LC_EINVAL, 1, 0, "err_csv_empty", -1);
		goto out;
	}
	size_t nc = p.row_start[1] - p.row_start[0];
	for (size_t r = 1; r < p.n_rows; r++) {
		size_t f = p.row_start[r + 1] - p.row_start[r];
		if (f != nc) {
			if (!p.err)
				p.err = LC_EINVAL;
			if (diag)
				lc_diag_addf(diag, file, p.line[r], (long)(f < nc ? f + 1 : nc + 1),
				             NULL, "err_csv_fields_where_header_has",
				             LC_ARG_I("fields", f), LC_ARG_I("columns", nc));
		}
	}
	if (p.err)
		goto out;
	/* Every row has nc cells, so the cells in file order are already row-major. */
	c->n_rows = p.n_rows;
	c->n_cols = nc;
	c->bytes = lc_buf_steal(&p.bytes, NULL);
	if (!c->bytes)
		c->bytes = lc_xstrdup("");
	c->off = p.off;
	c->len = p.len;
	c->line = p.line;
	c->file = file ? lc_xstrdup(file) : NULL;
	p.off = p.len = NULL;
	p.line = NULL;
out:
	if (cp_live)
		csv_free(&cp);
	if (!rc)
		rc = p.err;
	lc_buf_cleanup(&p.bytes);
	lc_free(p.off);
	lc_free(p.len);
	lc_free(p.row_start);
	lc_free(p.line);
	return rc;
}

int lc_csv_read_file(struct lc_csv *c, const char *path, struct lc_diag *diag)
{
	lc_csv_cleanup(c);
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (diag)
			lc_diag_addf(diag, path, 0, 0, NULL, "err_csv_open",
			             LC_ARG_S("error", strerror(errno)));
		return LC_EIO;
	}
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_CSV_BYTES);
	char chunk[65536];
	size_t n;
	int rc = 0;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		lc_buf_append(&b, chunk, n);
	if (ferror(f)) {
		if (diag)
			lc_diag_add(diag, path, 0, 0, NULL, "err_csv_read_error");
		rc = LC_EIO;
	} else if (lc_buf_error(&b)) {
		if (diag)
			lc_diag_addf(diag, path, 0, 0, NULL, "err_csv_file_larger_bytes",
			             LC_ARG_I("limit", (size_t)LC_LIMIT_CSV_BYTES));
		rc = LC_ELIMIT;
	}
	fclose(f);
	if (!rc)
		rc = lc_csv_parse(c, b.data ? b.data : "", b.len, path, diag);
	lc_buf_cleanup(&b);
	return rc;
}

struct lc_slice lc_csv_cell(const struct lc_csv *c, size_t row, size_t col)
{
	size_t k = row * c->n_cols + col;
	return lc_slice_make(c->bytes + c->off[k], c->len[k]);
}

const char *lc_csv_cstr(const struct lc_csv *c, size_t row, size_t col)
{
	return c->bytes + c->off[row * c->n_cols + col];
}

long lc_csv_find_col(const struct lc_csv *c, const char *name)
{
	for (size_t j = 0; j < c->n_cols; j++)
		if (lc_slice_eq(lc_csv_cell(c, 0, j), name))
			return (long)j;
	return -1;
}

bool lc_csv_is_na(struct lc_slice s)
{
	s = lc_slice_trim(s);
	return s.len == 0 || lc_slice_eq(s, "NA");
}

int lc_csv_number(struct lc_slice s, double *out)
{
	if (lc_csv_is_na(s)) {
		*out = NAN;
		return 0;
	}
	return lc_slice_to_double(lc_slice_trim(s), out);
}
