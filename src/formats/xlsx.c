/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * XLSX reading over libzip and expat (xlsx.h). Each XML part streams from
 * zip_fread through expat in small chunks while its inflated bytes are
 * counted, so nothing depends on the sizes a zip declares. The workbook
 * handle owns the zip, the sheet list and the shared strings; a table owns
 * a copy of the shared strings' bytes and its cells point into them, so a
 * long string referenced by many cells is stored once.
 */
#include "formats/xlsx.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/utf8.h"

#define MAX_ROW       1048576L /* Excel's last row */
#define MAX_COL       16384L   /* Excel's last column, XFD */
#define MAX_PATH      1024     /* a part name; ours are ~30 bytes */
#define MAX_SHEETNAME 255      /* Excel allows 31 characters */
#define CHUNK         16384    /* bytes inflated and parsed at a time */

struct sheet_info {
	char *name;
	char *rid;
	char *path; /* the worksheet part, or NULL when the sheet is not a worksheet */
	bool hidden;
};

struct lc_xlsx {
	zip_t *za;
	char *file;
	char *owned_data; /* the file's bytes for lc_xlsx_open_file */
	size_t max_inflated, max_part, max_cells;
	size_t inflated; /* bytes inflated so far over all parts */
	struct sheet_info *sheets;
	size_t n_sheets, cap_sheets;
	char *workbook_path;
	char *sst_path; /* NULL when the workbook has no shared strings */
	bool sst_loaded;
	struct lc_buf sst; /* strings, each NUL-terminated; starts with one NUL */
	size_t *sst_off;   /* n_sst offsets into sst */
	uint32_t *sst_len; /* n_sst lengths */
	size_t n_sst, cap_sst;
};

/* A part being parsed; the state of each kind of part embeds it first. */
struct part {
	struct lc_xlsx *x;
	struct lc_diag *diag;
	const char *name;
	XML_Parser p;
	int err;
};

/* Sets *err to code unless set, and records the problem key with args (may be NULL). */
static void report_args(struct lc_xlsx *x, struct lc_diag *diag, int *err, int code,
                        const char *part, long line, long col, const char *key,
                        const struct lc_diag_arg *args)
{
	if (err && !*err)
		*err = code;
	lc_diag_addv(diag, x ? x->file : NULL, line, col, part, key, args);
}

/* An argument list for the _args functions: LC_ARG_ values, ended here. */
#define ARGS(...) ((const struct lc_diag_arg[]){__VA_ARGS__, {NULL, 0, NULL, 0, 0.0}})
#define report(x, diag, err, code, part, line, col, key)                                           \
	report_args((x), (diag), (err), (code), (part), (line), (col), (key), NULL)
#define reportf(x, diag, err, code, part, line, col, key, ...)                                     \
	report_args((x), (diag), (err), (code), (part), (line), (col), (key), ARGS(__VA_ARGS__))

/* Records the first problem of a part where the parser stands, and stops the parser. */
static void part_fail_args(struct part *pt, int code, const char *key,
                           const struct lc_diag_arg *args)
{
	if (pt->err)
		return;
	pt->err = code;
	lc_diag_addv(pt->diag, pt->x->file, (long)XML_GetCurrentLineNumber(pt->p),
	             (long)XML_GetCurrentColumnNumber(pt->p) + 1, pt->name, key, args);
	XML_StopParser(pt->p, XML_FALSE);
}

#define part_fail(pt, code, key)       part_fail_args((pt), (code), (key), NULL)
#define part_failf(pt, code, key, ...) part_fail_args((pt), (code), (key), ARGS(__VA_ARGS__))

/* Element names come as "namespace-uri local" (separator ' '): the local part. */
static const char *local_name(const char *n)
{
	const char *s = strrchr(n, ' ');
	return s ? s + 1 : n;
}

/* The attribute with this local name, in a namespace when ns, else unqualified. */
static const char *attr(const char **a, const char *name, bool ns)
{
	for (size_t i = 0; a[i]; i += 2) {
		bool q = strchr(a[i], ' ') != NULL;
		if (q == ns && strcmp(local_name(a[i]), name) == 0)
			return a[i + 1];
	}
	return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                       int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	part_fail(ud, LC_EINVAL, "err_xlsx_doctype");
}

static void on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
                      int value_len, const XML_Char *base, const XML_Char *sysid,
                      const XML_Char *pubid, const XML_Char *notation)
{
	(void)is_param;
	(void)value;
	(void)value_len;
	(void)base;
	(void)sysid;
	(void)pubid;
	(void)notation;
	part_failf(ud, LC_EINVAL, "err_xlsx_entity", LC_ARG_S("name", name));
}

/*
 * Resolves a relationship target against the directory of its source part
 * ("" for the package root; a leading '/' means the root). "." and ".."
 * segments are resolved inside the package; climbing above the root or a
 * name longer than MAX_PATH gives NULL. Caller frees with lc_free.
 */
static char *resolve(const char *dir, const char *target)
{
	char out[MAX_PATH];
	size_t n = 0;
	if (target[0] == '/')
		target++;
	else {
		n = strlen(dir);
		if (n >= sizeof out)
			return NULL;
		memcpy(out, dir, n);
	}
	const char *s = target;
	while (*s) {
		const char *e = strchr(s, '/');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len == 0 || (len == 1 && s[0] == '.')) {
			/* nothing */
		} else if (len == 2 && s[0] == '.' && s[1] == '.') {
			if (n == 0)
				return NULL;
			n--; /* the trailing '/' */
			while (n > 0 && out[n - 1] != '/')
				n--;
		} else {
			if (n + len + 2 > sizeof out)
				return NULL;
			memcpy(out + n, s, len);
			n += len;
			if (e)
				out[n++] = '/';
		}
		s = e ? e + 1 : s + len;
	}
	if (n == 0 || out[n - 1] == '/')
		return NULL;
	return lc_xstrndup(out, n);
}

/* The directory of a part name including its '/', as a length. */
static size_t dir_len(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? (size_t)(s - path) + 1 : 0;
}

/*
 * Streams one part through expat with the given handlers. A missing part
 * is LC_ENOTFOUND, reported only when required.
 */
static int parse_part(struct lc_xlsx *x, struct part *pt, const char *name, bool required,
                      XML_StartElementHandler start, XML_EndElementHandler end,
                      XML_CharacterDataHandler chars)
{
	int rc = 0;
	zip_file_t *zf = NULL;
	XML_Parser p = NULL;
	char buf[CHUNK];

	pt->x = x;
	pt->name = name;
	pt->err = 0;
	zip_int64_t idx = zip_name_locate(x->za, name, ZIP_FL_NOCASE);
	if (idx < 0) {
		if (!required)
			return LC_ENOTFOUND;
		reportf(x, pt->diag, &rc, LC_EINVAL, name, 0, 0, "err_xlsx_part_missing",
		        LC_ARG_S("part", name));
		return rc;
	}
	zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
	if (!zf) {
		reportf(x, pt->diag, &rc, LC_EINVAL, name, 0, 0, "err_xlsx_part_read",
		        LC_ARG_S("reason", zip_strerror(x->za)));
		goto out;
	}
	p = XML_ParserCreateNS(NULL, ' ');
	if (!p) {
		rc = LC_EINTERNAL;
		goto out;
	}
	pt->p = p;
	XML_SetUserData(p, pt);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	XML_SetEntityDeclHandler(p, on_entity);
	XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
	XML_SetElementHandler(p, start, end);
	if (chars)
		XML_SetCharacterDataHandler(p, chars);

	size_t part_bytes = 0;
	for (;;) {
		zip_int64_t n = zip_fread(zf, buf, sizeof buf);
		if (n < 0) {
			reportf(x, pt->diag, &rc, LC_EINVAL, name, 0, 0, "err_xlsx_part_corrupt",
			        LC_ARG_S("reason", zip_file_strerror(zf)));
			goto out;
		}
		part_bytes += (size_t)n;
		x->inflated += (size_t)n;
		if (part_bytes > x->max_part) {
			reportf(x, pt->diag, &rc, LC_ELIMIT, name, 0, 0, "err_xlsx_part_large",
			        LC_ARG_I("limit", x->max_part));
			goto out;
		}
		if (x->inflated > x->max_inflated) {
			reportf(x, pt->diag, &rc, LC_ELIMIT, name, 0, 0, "err_xlsx_inflated",
			        LC_ARG_I("limit", x->max_inflated));
			goto out;
		}
		if (XML_Parse(p, buf, (int)n, n == 0) != XML_STATUS_OK) {
			if (!pt->err)
				reportf(x, pt->diag, &rc, LC_EINVAL, name,
				        (long)XML_GetCurrentLineNumber(p),
				        (long)XML_GetCurrentColumnNumber(p) + 1, "err_xlsx_xml",
				        LC_ARG_S("reason", XML_ErrorString(XML_GetErrorCode(p))));
			break;
		}
		if (pt->err || n == 0)
			break;
	}
	if (pt->err && !rc)
		rc = pt->err;
out:
	if (p)
		XML_ParserFree(p);
	pt->p = NULL;
	if (zf)
		zip_fclose(zf);
	return rc;
}

/* ---- _rels/.rels and the workbook's relationships ---- */

struct rel {
	char *id, *target, *type;
};

struct rels_state {
	struct part pt;
	struct rel *items;
	size_t n, cap;
};

static void rels_start(void *ud, const XML_Char *el, const XML_Char **a)
{
	struct rels_state *st = ud;
	if (st->pt.err || strcmp(local_name(el), "Relationship") != 0)
		return;
	const char *id = attr(a, "Id", false), *target = attr(a, "Target", false);
	const char *type = attr(a, "Type", false), *mode = attr(a, "TargetMode", false);
	if (!id || !target || !type || (mode && strcmp(mode, "External") == 0))
		return;
	if (st->n >= LC_LIMIT_XLSX_MEMBERS) {
		part_failf(&st->pt, LC_ELIMIT, "err_xlsx_rels_many",
		           LC_ARG_I("limit", LC_LIMIT_XLSX_MEMBERS));
		return;
	}
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 16;
		st->items = lc_xreallocarray(st->items, st->cap, sizeof *st->items);
	}
	struct rel *r = &st->items[st->n++];
	r->id = lc_xstrdup(id);
	r->target = lc_xstrdup(target);
	r->type = lc_xstrdup(type);
}

static void rels_end(void *ud, const XML_Char *el)
{
	(void)ud;
	(void)el;
}

static void rels_cleanup(struct rels_state *st)
{
	for (size_t i = 0; i < st->n; i++) {
		lc_free(st->items[i].id);
		lc_free(st->items[i].target);
		lc_free(st->items[i].type);
	}
	lc_free(st->items);
}

/* ---- xl/workbook.xml ---- */

struct wb_state {
	struct part pt;
};

static void wb_start(void *ud, const XML_Char *el, const XML_Char **a)
{
	struct wb_state *st = ud;
	struct lc_xlsx *x = st->pt.x;
	if (st->pt.err || strcmp(local_name(el), "sheet") != 0)
		return;
	const char *name = attr(a, "name", false), *rid = attr(a, "id", true);
	const char *state = attr(a, "state", false);
	if (!name || !rid || !name[0]) {
		part_fail(&st->pt, LC_EINVAL, "err_xlsx_sheet_unnamed");
		return;
	}
	if (strlen(name) > MAX_SHEETNAME) {
		part_failf(&st->pt, LC_EINVAL, "err_xlsx_sheet_name_long",
		           LC_ARG_I("limit", MAX_SHEETNAME));
		return;
	}
	for (size_t i = 0; i < x->n_sheets; i++)
		if (strcmp(x->sheets[i].name, name) == 0) {
			part_failf(&st->pt, LC_EINVAL, "err_xlsx_sheet_twice",
			           LC_ARG_S("sheet", name));
			return;
		}
	if (x->n_sheets >= LC_LIMIT_XLSX_MEMBERS) {
		part_failf(&st->pt, LC_ELIMIT, "err_xlsx_sheets_many",
		           LC_ARG_I("limit", LC_LIMIT_XLSX_MEMBERS));
		return;
	}
	if (x->n_sheets == x->cap_sheets) {
		x->cap_sheets = x->cap_sheets ? x->cap_sheets * 2 : 8;
		x->sheets = lc_xreallocarray(x->sheets, x->cap_sheets, sizeof *x->sheets);
	}
	struct sheet_info *s = &x->sheets[x->n_sheets++];
	s->name = lc_xstrdup(name);
	s->rid = lc_xstrdup(rid);
	s->path = NULL;
	s->hidden = state && (strcmp(state, "hidden") == 0 || strcmp(state, "veryHidden") == 0);
}

/*
 * Decodes, in place, ECMA-376's escapes of characters that XML cannot carry
 * ("_x000D_" for CR, "_x005F_" for an underscore that would otherwise start
 * an escape) and returns the new length. An escape of NUL or of a surrogate
 * stays as written, so a text never holds a NUL byte.
 */
static size_t unescape_xstring(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] == '_' && i + 7 <= n && s[i + 1] == 'x' && s[i + 6] == '_') {
			uint32_t cp = 0;
			size_t k = 2;
			for (; k < 6; k++) {
				char c = s[i + k];
				int v = c >= '0' && c <= '9'   ? c - '0'
				        : c >= 'A' && c <= 'F' ? c - 'A' + 10
				        : c >= 'a' && c <= 'f' ? c - 'a' + 10
				                               : -1;
				if (v < 0)
					break;
				cp = cp * 16 + (uint32_t)v;
			}
			char u[4];
			size_t len = k == 6 && cp ? lc_utf8_encode(cp, u) : 0;
			if (len) {
				/* At most 3 bytes replace 7, so the write never passes the read. */
				memcpy(s + o, u, len);
				o += len;
				i += 7;
				continue;
			}
		}
		s[o++] = s[i++];
	}
	return o;
}

/* The same over a buffer's contents. */
static void unescape_buf(struct lc_buf *b)
{
	if (b->data && !b->err) {
		b->len = unescape_xstring(b->data, b->len);
		b->data[b->len] = '\0';
	}
}

/* ---- shared strings and cell text: <t> inside <si> or <is>, not inside <rPh> ---- */

struct sst_state {
	struct part pt;
	int in_si;  /* depth inside <si> */
	int in_rph; /* depth inside phonetic runs, whose text is not the cell's */
	bool in_t;
	struct lc_buf cur;
};

static void sst_start(void *ud, const XML_Char *el, const XML_Char **a)
{
	(void)a;
	struct sst_state *st = ud;
	if (st->pt.err)
		return;
	const char *n = local_name(el);
	if (strcmp(n, "si") == 0) {
		st->in_si++;
		if (st->in_si == 1)
			lc_buf_reset(&st->cur);
	} else if (st->in_si && strcmp(n, "rPh") == 0) {
		st->in_rph++;
	} else if (st->in_si && !st->in_rph && strcmp(n, "t") == 0) {
		st->in_t = true;
	}
}

static void sst_end(void *ud, const XML_Char *el)
{
	struct sst_state *st = ud;
	struct lc_xlsx *x = st->pt.x;
	if (st->pt.err)
		return;
	const char *n = local_name(el);
	if (strcmp(n, "t") == 0) {
		st->in_t = false;
	} else if (strcmp(n, "rPh") == 0 && st->in_rph) {
		st->in_rph--;
	} else if (strcmp(n, "si") == 0 && st->in_si) {
		if (--st->in_si)
			return;
		if (lc_buf_error(&st->cur)) {
			part_failf(&st->pt, LC_ELIMIT, "err_xlsx_sst_long",
			           LC_ARG_I("index", x->n_sst),
			           LC_ARG_I("limit", LC_LIMIT_CSV_FIELD));
			return;
		}
		if (x->n_sst >= x->max_cells) {
			part_failf(&st->pt, LC_ELIMIT, "err_xlsx_sst_many",
			           LC_ARG_I("limit", x->max_cells));
			return;
		}
		if (x->n_sst == x->cap_sst) {
			x->cap_sst = x->cap_sst ? x->cap_sst * 2 : 256;
			x->sst_off = lc_xreallocarray(x->sst_off, x->cap_sst, sizeof *x->sst_off);
			x->sst_len = lc_xreallocarray(x->sst_len, x->cap_sst, sizeof *x->sst_len);
		}
		unescape_buf(&st->cur);
		x->sst_off[x->n_sst] = x->sst.len;
		x->sst_len[x->n_sst] = (uint32_t)st->cur.len;
		x->n_sst++;
		lc_buf_append(&x->sst, st->cur.data ? st->cur.data : "", st->cur.len);
		lc_buf_putc(&x->sst, '\0');
		if (lc_buf_error(&x->sst))
			part_failf(&st->pt, LC_ELIMIT, "err_xlsx_sst_bytes",
			           LC_ARG_I("limit", x->max_part));
	}
}

static void sst_chars(void *ud, const XML_Char *s, int len)
{
	struct sst_state *st = ud;
	if (!st->pt.err && st->in_t && len > 0)
		lc_buf_append(&st->cur, s, (size_t)len);
}

static int load_sst(struct lc_xlsx *x, struct lc_diag *diag)
{
	if (x->sst_loaded)
		return 0;
	x->sst_loaded = true;
	if (!x->sst_path)
		return 0;
	struct sst_state st;
	memset(&st, 0, sizeof st);
	st.pt.diag = diag;
	lc_buf_init(&st.cur, LC_LIMIT_CSV_FIELD);
	int rc = parse_part(x, &st.pt, x->sst_path, false, sst_start, sst_end, sst_chars);
	lc_buf_cleanup(&st.cur);
	if (rc == LC_ENOTFOUND)
		rc = 0;
	if (rc) {
		/* Leave no half-read strings behind for a later read. */
		x->n_sst = 0;
		x->sst_loaded = false;
		lc_buf_reset(&x->sst);
		lc_buf_putc(&x->sst, '\0');
	}
	return rc;
}

/* ---- references ---- */

int lc_xlsx_parse_ref(struct lc_slice ref, long *row, long *col)
{
	size_t i = 0;
	long c = 0, r = 0;
	while (i < ref.len && ref.ptr[i] >= 'A' && ref.ptr[i] <= 'Z' && i < 3) {
		c = c * 26 + (ref.ptr[i] - 'A' + 1);
		i++;
	}
	if (i == 0 || c > MAX_COL || i == ref.len || ref.ptr[i] == '0')
		return LC_EINVAL;
	size_t digits = 0;
	for (; i < ref.len; i++, digits++) {
		if (ref.ptr[i] < '0' || ref.ptr[i] > '9' || digits >= 7)
			return LC_EINVAL;
		r = r * 10 + (ref.ptr[i] - '0');
	}
	if (r < 1 || r > MAX_ROW)
		return LC_EINVAL;
	*row = r;
	*col = c;
	return 0;
}

char *lc_xlsx_format_ref(long row, long col, char out[16])
{
	char letters[4];
	size_t n = 0;
	if (col < 1 || col > MAX_COL || row < 1 || row > MAX_ROW) {
		snprintf(out, 16, "?");
		return out;
	}
	while (col > 0 && n < sizeof letters) {
		long m = (col - 1) % 26;
		letters[n++] = (char)('A' + m);
		col = (col - 1) / 26;
	}
	size_t k = 0;
	while (n > 0)
		out[k++] = letters[--n];
	snprintf(out + k, 16 - k, "%ld", row);
	return out;
}

/* ---- a worksheet ---- */

struct scell {
	uint32_t row, col; /* 1-based */
	struct lc_xlsx_cell c;
};

struct sheet_state {
	struct part pt;
	const char *sheet; /* its name, for messages */
	struct lc_buf *bytes;
	struct scell *cells;
	size_t n, cap;
	long max_row, max_col;
	long row, col; /* the current cell's, or the last one's */
	bool in_data, in_c, in_v, in_t;
	int in_is, in_rph;
	bool formula, has_v;
	char kind[16];
	struct lc_buf v, text;
};

/* part_fail for the cell where the parser stands: args gain its "sheet" and "cell". */
static void cell_fail_args(struct sheet_state *st, int code, const char *key,
                           const struct lc_diag_arg *args)
{
	char ref[16];
	struct lc_diag_arg all[LC_DIAG_MAX_ARGS + 1] = {
	    LC_ARG_S("sheet", st->sheet),
	    LC_ARG_S("cell", lc_xlsx_format_ref(st->row, st->col, ref))};
	size_t n = 2;
	for (; args && args->name && n < LC_DIAG_MAX_ARGS; args++)
		all[n++] = *args;
	all[n] = (struct lc_diag_arg){NULL, 0, NULL, 0, 0.0};
	part_fail_args(&st->pt, code, key, all);
}

#define cell_failf(st, code, key, ...) cell_fail_args((st), (code), (key), ARGS(__VA_ARGS__))

static void sheet_start(void *ud, const XML_Char *el, const XML_Char **a)
{
	struct sheet_state *st = ud;
	if (st->pt.err)
		return;
	const char *n = local_name(el);
	if (!st->in_data) {
		if (strcmp(n, "sheetData") == 0)
			st->in_data = true;
		return;
	}
	if (!st->in_c) {
		if (strcmp(n, "row") == 0) {
			const char *r = attr(a, "r", false);
			long v = st->row + 1;
			if (r && lc_slice_to_long(lc_slice_cstr(r), 1, MAX_ROW, &v)) {
				part_failf(&st->pt, LC_EINVAL, "err_xlsx_row_number",
				           LC_ARG_S("value", r));
				return;
			}
			st->row = v;
			st->col = 0;
		} else if (strcmp(n, "c") == 0) {
			const char *r = attr(a, "r", false), *t = attr(a, "t", false);
			if (r) {
				long row, col;
				if (lc_xlsx_parse_ref(lc_slice_cstr(r), &row, &col)) {
					part_failf(&st->pt, LC_EINVAL, "err_xlsx_cell_ref",
					           LC_ARG_S("value", r));
					return;
				}
				st->row = row;
				st->col = col;
			} else {
				if (st->row == 0)
					st->row = 1;
				st->col++;
			}
			if (st->row > MAX_ROW || st->col > MAX_COL) {
				part_fail(&st->pt, LC_EINVAL, "err_xlsx_cell_beyond");
				return;
			}
			snprintf(st->kind, sizeof st->kind, "%s", t ? t : "n");
			st->in_c = true;
			st->formula = st->has_v = false;
			lc_buf_reset(&st->v);
			lc_buf_reset(&st->text);
		}
		return;
	}
	if (strcmp(n, "v") == 0 && !st->in_is) {
		st->in_v = true;
		st->has_v = true;
	} else if (strcmp(n, "f") == 0 && !st->in_is) {
		st->formula = true;
	} else if (strcmp(n, "is") == 0) {
		st->in_is++;
	} else if (st->in_is && strcmp(n, "rPh") == 0) {
		st->in_rph++;
	} else if (st->in_is && !st->in_rph && strcmp(n, "t") == 0) {
		st->in_t = true;
		st->has_v = true;
	}
}

static void add_cell(struct sheet_state *st, const struct lc_xlsx_cell *c)
{
	if (st->row > (long)LC_LIMIT_CSV_ROWS) {
		cell_failf(st, LC_ELIMIT, "err_xlsx_rows_many",
		           LC_ARG_I("limit", LC_LIMIT_CSV_ROWS));
		return;
	}
	if (st->col > (long)LC_LIMIT_CSV_COLS) {
		cell_failf(st, LC_ELIMIT, "err_xlsx_cols_many",
		           LC_ARG_I("limit", LC_LIMIT_CSV_COLS));
		return;
	}
	if (st->n >= st->pt.x->max_cells) {
		cell_failf(st, LC_ELIMIT, "err_xlsx_cells_many",
		           LC_ARG_I("limit", st->pt.x->max_cells));
		return;
	}
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 256;
		st->cells = lc_xreallocarray(st->cells, st->cap, sizeof *st->cells);
	}
	struct scell *s = &st->cells[st->n++];
	s->row = (uint32_t)st->row;
	s->col = (uint32_t)st->col;
	s->c = *c;
	if (st->row > st->max_row)
		st->max_row = st->row;
	if (st->col > st->max_col)
		st->max_col = st->col;
}

/* Appends a cell's own text to the table's bytes. */
static void put_text(struct sheet_state *st, struct lc_xlsx_cell *c, const struct lc_buf *b)
{
	c->off = st->bytes->len;
	c->len = (uint32_t)b->len;
	lc_buf_append(st->bytes, b->data ? b->data : "", b->len);
	lc_buf_putc(st->bytes, '\0');
}

static void end_cell(struct sheet_state *st)
{
	struct lc_xlsx *x = st->pt.x;
	struct lc_xlsx_cell c = {0, 0, LC_XLSX_EMPTY, st->formula, NAN};
	if (lc_buf_error(&st->v) || lc_buf_error(&st->text)) {
		cell_failf(st, LC_ELIMIT, "err_xlsx_cell_long",
		           LC_ARG_I("limit", LC_LIMIT_CSV_FIELD));
		return;
	}
	const char *v = lc_buf_cstr(&st->v);
	if (!st->has_v) {
		if (st->formula)
			add_cell(st, &c);
		return;
	}
	if (strcmp(st->kind, "s") == 0) {
		long i;
		if (lc_slice_to_long(lc_slice_cstr(v), 0, (long)x->n_sst - 1, &i)) {
			cell_failf(st, LC_EINVAL, "err_xlsx_sst_missing", LC_ARG_S("value", v),
			           LC_ARG_I("count", x->n_sst));
			return;
		}
		c.type = LC_XLSX_STRING;
		c.off = x->sst_off[i];
		c.len = x->sst_len[i];
	} else if (strcmp(st->kind, "inlineStr") == 0) {
		c.type = LC_XLSX_STRING;
		unescape_buf(&st->text);
		put_text(st, &c, &st->text);
	} else if (strcmp(st->kind, "str") == 0 || strcmp(st->kind, "d") == 0) {
		c.type = LC_XLSX_STRING;
		unescape_buf(&st->v);
		put_text(st, &c, &st->v);
	} else if (strcmp(st->kind, "e") == 0) {
		c.type = LC_XLSX_ERROR;
		put_text(st, &c, &st->v);
	} else if (strcmp(st->kind, "b") == 0) {
		if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
			cell_failf(st, LC_EINVAL, "err_xlsx_boolean", LC_ARG_S("value", v));
			return;
		}
		c.type = LC_XLSX_BOOL;
		c.num = v[0] == '1';
		put_text(st, &c, &st->v);
	} else if (strcmp(st->kind, "n") == 0) {
		if (lc_slice_to_double(lc_slice_cstr(v), &c.num)) {
			cell_failf(st, LC_EINVAL, "err_xlsx_number", LC_ARG_S("value", v));
			return;
		}
		c.type = LC_XLSX_NUMBER;
		put_text(st, &c, &st->v);
	} else {
		cell_failf(st, LC_EINVAL, "err_xlsx_cell_type", LC_ARG_S("value", st->kind));
		return;
	}
	if (lc_buf_error(st->bytes)) {
		cell_failf(st, LC_ELIMIT, "err_xlsx_text_bytes", LC_ARG_I("limit", st->bytes->max));
		return;
	}
	add_cell(st, &c);
}

static void sheet_end(void *ud, const XML_Char *el)
{
	struct sheet_state *st = ud;
	if (st->pt.err || !st->in_data)
		return;
	const char *n = local_name(el);
	if (strcmp(n, "sheetData") == 0 && !st->in_c) {
		st->in_data = false;
	} else if (!st->in_c) {
		return;
	} else if (strcmp(n, "c") == 0) {
		end_cell(st);
		st->in_c = st->in_v = st->in_t = false;
		st->in_is = st->in_rph = 0;
	} else if (strcmp(n, "v") == 0) {
		st->in_v = false;
	} else if (strcmp(n, "t") == 0) {
		st->in_t = false;
	} else if (strcmp(n, "rPh") == 0 && st->in_rph) {
		st->in_rph--;
	} else if (strcmp(n, "is") == 0 && st->in_is) {
		st->in_is--;
	}
}

static void sheet_chars(void *ud, const XML_Char *s, int len)
{
	struct sheet_state *st = ud;
	if (st->pt.err || len <= 0)
		return;
	if (st->in_v)
		lc_buf_append(&st->v, s, (size_t)len);
	else if (st->in_t)
		lc_buf_append(&st->text, s, (size_t)len);
}

/* ---- the public functions ---- */

void lc_xlsx_table_init(struct lc_xlsx_table *t)
{
	memset(t, 0, sizeof *t);
}

void lc_xlsx_table_cleanup(struct lc_xlsx_table *t)
{
	if (!t)
		return;
	lc_free(t->cells);
	lc_free(t->bytes);
	lc_free(t->sheet);
	lc_free(t->file);
	lc_xlsx_table_init(t);
}

void lc_xlsx_free(struct lc_xlsx *x)
{
	if (!x)
		return;
	if (x->za)
		zip_discard(x->za);
	for (size_t i = 0; i < x->n_sheets; i++) {
		lc_free(x->sheets[i].name);
		lc_free(x->sheets[i].rid);
		lc_free(x->sheets[i].path);
	}
	lc_free(x->sheets);
	lc_free(x->workbook_path);
	lc_free(x->sst_path);
	lc_buf_cleanup(&x->sst);
	lc_free(x->sst_off);
	lc_free(x->sst_len);
	lc_free(x->owned_data);
	lc_free(x->file);
	lc_free(x);
}

/* True when a member name has a ".." segment, a backslash or a leading '/'. */
static bool bad_member_name(const char *s)
{
	if (s[0] == '/' || strchr(s, '\\'))
		return true;
	for (const char *p = s; (p = strstr(p, "..")) != NULL; p += 2)
		if ((p == s || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
			return true;
	return false;
}

/* Reads the package relationships, the workbook and its relationships. */
static int read_workbook(struct lc_xlsx *x, struct lc_diag *diag)
{
	int rc = 0;
	struct rels_state root, wbr;
	memset(&root, 0, sizeof root);
	memset(&wbr, 0, sizeof wbr);
	root.pt.diag = diag;
	wbr.pt.diag = diag;

	rc = parse_part(x, &root.pt, "_rels/.rels", false, rels_start, rels_end, NULL);
	if (rc && rc != LC_ENOTFOUND)
		goto out;
	rc = 0;
	for (size_t i = 0; i < root.n && !x->workbook_path; i++)
		if (ends_with(root.items[i].type, "/officeDocument"))
			x->workbook_path = resolve("", root.items[i].target);
	if (!x->workbook_path)
		x->workbook_path = lc_xstrdup("xl/workbook.xml");

	struct wb_state wb;
	memset(&wb, 0, sizeof wb);
	wb.pt.diag = diag;
	rc = parse_part(x, &wb.pt, x->workbook_path, true, wb_start, rels_end, NULL);
	if (rc)
		goto out;
	if (x->n_sheets == 0) {
		report(x, diag, &rc, LC_EINVAL, x->workbook_path, 0, 0, "err_xlsx_no_sheets");
		goto out;
	}

	/* xl/workbook.xml's relationships are in xl/_rels/workbook.xml.rels. */
	size_t d = dir_len(x->workbook_path);
	char dir[MAX_PATH], rels[MAX_PATH + 16];
	snprintf(dir, sizeof dir, "%.*s", (int)d, x->workbook_path);
	snprintf(rels, sizeof rels, "%s_rels/%s.rels", dir, x->workbook_path + d);
	rc = parse_part(x, &wbr.pt, rels, true, rels_start, rels_end, NULL);
	if (rc)
		goto out;
	for (size_t i = 0; i < wbr.n; i++)
		if (!x->sst_path && ends_with(wbr.items[i].type, "/sharedStrings"))
			x->sst_path = resolve(dir, wbr.items[i].target);
	for (size_t s = 0; s < x->n_sheets; s++) {
		struct sheet_info *si = &x->sheets[s];
		size_t i = 0;
		while (i < wbr.n && strcmp(wbr.items[i].id, si->rid) != 0)
			i++;
		if (i == wbr.n) {
			reportf(x, diag, &rc, LC_EINVAL, rels, 0, 0, "err_xlsx_sheet_rel",
			        LC_ARG_S("sheet", si->name), LC_ARG_S("value", si->rid));
			goto out;
		}
		if (!ends_with(wbr.items[i].type, "/worksheet"))
			continue; /* a chart or dialog sheet: listed, not readable */
		si->path = resolve(dir, wbr.items[i].target);
		if (!si->path) {
			reportf(x, diag, &rc, LC_EINVAL, rels, 0, 0, "err_xlsx_sheet_part",
			        LC_ARG_S("sheet", si->name),
			        LC_ARG_S("value", wbr.items[i].target));
			goto out;
		}
	}
out:
	rels_cleanup(&root);
	rels_cleanup(&wbr);
	return rc;
}

static void set_opts(struct lc_xlsx *x, const struct lc_xlsx_opts *o)
{
	x->max_inflated = o && o->max_inflated ? o->max_inflated : LC_LIMIT_XLSX_INFLATED;
	x->max_part = o && o->max_part ? o->max_part : LC_LIMIT_XLSX_PART;
	x->max_cells = o && o->max_cells ? o->max_cells : LC_LIMIT_XLSX_CELLS;
}

int lc_xlsx_open_mem(struct lc_xlsx **out, const void *data, size_t len, const char *file,
                     const struct lc_xlsx_opts *opts, struct lc_diag *diag)
{
	int rc = 0;
	zip_error_t ze;
	zip_error_init(&ze);
	*out = NULL;
	struct lc_xlsx *x = lc_xcalloc(1, sizeof *x);
	x->file = file ? lc_xstrdup(file) : NULL;
	set_opts(x, opts);
	lc_buf_init(&x->sst, x->max_part);
	lc_buf_putc(&x->sst, '\0');

	const unsigned char *b = data;
	if (len >= 8 && memcmp(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
		report(x, diag, &rc, LC_EINVAL, NULL, 0, 0, "err_xlsx_ole");
		goto out;
	}
	if (len < 4 || b[0] != 'P' || b[1] != 'K') {
		report(x, diag, &rc, LC_EINVAL, NULL, 0, 0, "err_xlsx_not_zip");
		goto out;
	}
	zip_source_t *zs = zip_source_buffer_create(data, len, 0, &ze);
	if (!zs) {
		rc = LC_EINTERNAL;
		goto out;
	}
	x->za = zip_open_from_source(zs, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (!x->za) {
		zip_source_free(zs);
		if (zip_error_code_zip(&ze) == ZIP_ER_NOZIP)
			report(x, diag, &rc, LC_EINVAL, NULL, 0, 0, "err_xlsx_not_zip");
		else
			reportf(x, diag, &rc, LC_EINVAL, NULL, 0, 0, "err_xlsx_zip",
			        LC_ARG_S("reason", zip_error_strerror(&ze)));
		goto out;
	}
	zip_int64_t n = zip_get_num_entries(x->za, 0);
	if (n < 0 || n > (zip_int64_t)LC_LIMIT_XLSX_MEMBERS) {
		reportf(x, diag, &rc, LC_ELIMIT, NULL, 0, 0, "err_xlsx_members_many",
		        LC_ARG_I("limit", LC_LIMIT_XLSX_MEMBERS));
		goto out;
	}
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		zip_stat_init(&st);
		const char *name = zip_get_name(x->za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
		if (!name || zip_stat_index(x->za, (zip_uint64_t)i, 0, &st) != 0) {
			reportf(x, diag, &rc, LC_EINVAL, NULL, 0, 0, "err_xlsx_member_unreadable",
			        LC_ARG_I("index", i));
			goto out;
		}
		if (bad_member_name(name)) {
			reportf(x, diag, &rc, LC_EINVAL, NULL, 0, 0, "err_xlsx_member_name",
			        LC_ARG_S("name", name));
			goto out;
		}
		if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
		    st.encryption_method != ZIP_EM_NONE) {
			reportf(x, diag, &rc, LC_EINVAL, NULL, 0, 0, "err_xlsx_member_encrypted",
			        LC_ARG_S("name", name));
			goto out;
		}
	}
	rc = read_workbook(x, diag);
out:
	zip_error_fini(&ze);
	if (rc) {
		lc_xlsx_free(x);
		return rc;
	}
	*out = x;
	return 0;
}

int lc_xlsx_open_file(struct lc_xlsx **out, const char *path, const struct lc_xlsx_opts *opts,
                      struct lc_diag *diag)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		lc_diag_add(diag, path, 0, 0, NULL, "err_import_open_file");
		return LC_EIO;
	}
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_HTTP_UPLOAD);
	char chunk[CHUNK];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && !lc_buf_error(&b))
		lc_buf_append(&b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad || lc_buf_error(&b)) {
		if (bad)
			lc_diag_add(diag, path, 0, 0, NULL, "err_xlsx_read");
		else
			lc_diag_addf(diag, path, 0, 0, NULL, "err_xlsx_file_large",
			             LC_ARG_I("limit", LC_LIMIT_HTTP_UPLOAD));
		lc_buf_cleanup(&b);
		return bad ? LC_EIO : LC_ELIMIT;
	}
	size_t len;
	char *data = lc_buf_steal(&b, &len);
	struct lc_xlsx *x;
	int rc = lc_xlsx_open_mem(&x, data ? data : "", len, path, opts, diag);
	if (rc) {
		lc_free(data);
		return rc;
	}
	x->owned_data = data;
	*out = x;
	return 0;
}

size_t lc_xlsx_sheet_count(const struct lc_xlsx *x)
{
	return x->n_sheets;
}

const char *lc_xlsx_sheet_name(const struct lc_xlsx *x, size_t i)
{
	return i < x->n_sheets ? x->sheets[i].name : NULL;
}

bool lc_xlsx_sheet_hidden(const struct lc_xlsx *x, size_t i)
{
	return i < x->n_sheets && x->sheets[i].hidden;
}

/* Spreads the sheet's cells over a dense table. */
static int build_table(struct lc_xlsx *x, struct sheet_state *st, struct lc_xlsx_table *t,
                       struct lc_diag *diag)
{
	int rc = 0;
	size_t rows = (size_t)st->max_row, cols = (size_t)st->max_col;
	/* rows <= 10^6 and cols <= 10^4, so the product does not overflow. */
	if (rows * cols > x->max_cells) {
		char ref[16];
		reportf(x, diag, &rc, LC_ELIMIT, st->pt.name, 0, 0, "err_xlsx_sheet_span",
		        LC_ARG_S("sheet", st->sheet),
		        LC_ARG_S("cell", lc_xlsx_format_ref(st->max_row, st->max_col, ref)),
		        LC_ARG_I("limit", x->max_cells));
		return rc;
	}
	t->n_rows = rows;
	t->n_cols = cols;
	t->cells = rows && cols ? lc_xcalloc(rows * cols, sizeof *t->cells) : NULL;
	for (size_t i = 0; i < rows * cols; i++)
		t->cells[i].num = NAN;
	for (size_t i = 0; i < st->n; i++) {
		struct scell *s = &st->cells[i];
		struct lc_xlsx_cell *c = &t->cells[(s->row - 1) * cols + (s->col - 1)];
		if (c->type != LC_XLSX_EMPTY || c->formula) {
			char ref[16];
			reportf(x, diag, &rc, LC_EINVAL, st->pt.name, 0, 0, "err_xlsx_cell_twice",
			        LC_ARG_S("sheet", st->sheet),
			        LC_ARG_S("cell", lc_xlsx_format_ref(s->row, s->col, ref)));
			return rc;
		}
		*c = s->c;
	}
	return 0;
}

int lc_xlsx_read_sheet(struct lc_xlsx *x, const char *sheet, struct lc_xlsx_table *t,
                       struct lc_diag *diag)
{
	int rc = 0;
	struct lc_buf bytes;
	struct sheet_state st;
	memset(&st, 0, sizeof st);
	lc_buf_init(&bytes, x->max_inflated);
	lc_buf_init(&st.v, LC_LIMIT_CSV_FIELD);
	lc_buf_init(&st.text, LC_LIMIT_CSV_FIELD);
	lc_xlsx_table_init(t);

	size_t i = 0;
	if (sheet)
		while (i < x->n_sheets && strcmp(x->sheets[i].name, sheet) != 0)
			i++;
	if (i == x->n_sheets) {
		/* Name the sheets there are, so the user sees what to rename. */
		char names[200] = "";
		size_t used = 0;
		for (size_t k = 0; k < x->n_sheets && used < sizeof names; k++) {
			int w = snprintf(names + used, sizeof names - used, "%s'%s'", k ? ", " : "",
			                 x->sheets[k].name);
			if (w < 0)
				break;
			used += (size_t)w;
		}
		if (used >= sizeof names)
			snprintf(names + sizeof names - 4, 4, "...");
		reportf(x, diag, &rc, LC_ENOTFOUND, NULL, 0, 0, "err_xlsx_sheet_missing",
		        LC_ARG_S("sheet", sheet ? sheet : ""), LC_ARG_S("sheets", names));
		goto out;
	}
	struct sheet_info *si = &x->sheets[i];
	if (!si->path) {
		reportf(x, diag, &rc, LC_EINVAL, NULL, 0, 0, "err_xlsx_not_worksheet",
		        LC_ARG_S("sheet", si->name));
		goto out;
	}
	rc = load_sst(x, diag);
	if (rc)
		goto out;
	/* The table's bytes begin with the shared strings, so cells can point into them. */
	lc_buf_append(&bytes, x->sst.data, x->sst.len);
	st.pt.diag = diag;
	st.sheet = si->name;
	st.bytes = &bytes;
	rc = parse_part(x, &st.pt, si->path, true, sheet_start, sheet_end, sheet_chars);
	if (rc)
		goto out;
	rc = build_table(x, &st, t, diag);
	if (rc)
		goto out;
	t->sheet = lc_xstrdup(si->name);
	t->file = x->file ? lc_xstrdup(x->file) : NULL;
	t->bytes = lc_buf_steal(&bytes, &t->n_bytes);
out:
	if (rc)
		lc_xlsx_table_cleanup(t);
	lc_free(st.cells);
	lc_buf_cleanup(&st.v);
	lc_buf_cleanup(&st.text);
	lc_buf_cleanup(&bytes);
	return rc;
}

int lc_xlsx_read_table(const void *data, size_t len, const char *file, const char *sheet,
                       struct lc_xlsx_table *t, struct lc_diag *diag)
{
	struct lc_xlsx *x;
	lc_xlsx_table_init(t);
	int rc = lc_xlsx_open_mem(&x, data, len, file, NULL, diag);
	if (rc)
		return rc;
	rc = lc_xlsx_read_sheet(x, sheet, t, diag);
	lc_xlsx_free(x);
	return rc;
}

const struct lc_xlsx_cell *lc_xlsx_cell(const struct lc_xlsx_table *t, size_t row, size_t col)
{
	return &t->cells[row * t->n_cols + col];
}

const char *lc_xlsx_cstr(const struct lc_xlsx_table *t, size_t row, size_t col)
{
	return t->bytes + lc_xlsx_cell(t, row, col)->off;
}

struct lc_slice lc_xlsx_text(const struct lc_xlsx_table *t, size_t row, size_t col)
{
	const struct lc_xlsx_cell *c = lc_xlsx_cell(t, row, col);
	return lc_slice_make(t->bytes + c->off, c->len);
}

long lc_xlsx_find_col(const struct lc_xlsx_table *t, const char *name)
{
	if (t->n_rows == 0)
		return -1;
	for (size_t j = 0; j < t->n_cols; j++)
		if (lc_xlsx_cell(t, 0, j)->type == LC_XLSX_STRING &&
		    lc_slice_eq(lc_xlsx_text(t, 0, j), name))
			return (long)j;
	return -1;
}
