/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * multipart/form-data over a complete body buffer (see multipart.h). One
 * pass: find the opening delimiter, then for each part read its header block
 * (bounded), find the next delimiter, and record the data between as a slice.
 * Delimiter search only starts at CR bytes and a boundary holds no CR, so the
 * work is linear in the body size whatever the input.
 */
#include "web/multipart.h"

#include <stdbool.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/utf8.h"

/* Diagnostics lists are optional here: lc_diag_add takes NULL. */

/* RFC 2046 section 5.1.1: a boundary is 1 to 70 of these, not ending in a space. */
#define BOUNDARY_MAX 70

static bool is_bchar(char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

/* RFC 9110 tchar: the bytes of a token (header and parameter names, bare values). */
static bool is_tchar(char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Text we copy out for a caller: UTF-8 without NUL or other C0 controls but TAB. */
static bool clean_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
			return false;
	return lc_utf8_valid(s, n);
}

/* A parameter list cursor over a header value: "type; a=b; c="d"". */
struct params {
	const char *s;
	size_t n, pos;
};

static void skip_ows(struct params *p)
{
	while (p->pos < p->n && is_ows(p->s[p->pos]))
		p->pos++;
}

/*
 * The next parameter after a ';'. With escapes (HTTP quoted-pair, as in
 * Content-Type), a backslash in a quoted string takes the next byte
 * literally, and the unescaped value is copied to arena a. Without (as
 * browsers write Content-Disposition per the HTML standard, which
 * percent-encodes '"' and never escapes a backslash), a quoted value runs to
 * the next '"'. Returns 1 with a parameter, 0 at the end, LC_EINVAL when
 * malformed.
 */
static int next_param(struct params *p, bool escapes, struct lc_arena *a, struct lc_slice *name,
                      struct lc_slice *value)
{
	skip_ows(p);
	if (p->pos == p->n)
		return 0;
	if (p->s[p->pos] != ';')
		return LC_EINVAL;
	p->pos++;
	skip_ows(p);
	if (p->pos == p->n)
		return 0; /* a trailing ';' is harmless */
	size_t start = p->pos;
	while (p->pos < p->n && is_tchar(p->s[p->pos]))
		p->pos++;
	*name = lc_slice_make(p->s + start, p->pos - start);
	skip_ows(p);
	if (name->len == 0 || p->pos == p->n || p->s[p->pos] != '=')
		return LC_EINVAL;
	p->pos++;
	skip_ows(p);
	if (p->pos < p->n && p->s[p->pos] == '"') {
		p->pos++;
		start = p->pos;
		bool escaped = false;
		while (p->pos < p->n && p->s[p->pos] != '"') {
			if (escapes && p->s[p->pos] == '\\') {
				escaped = true;
				p->pos++;
			}
			p->pos++;
		}
		if (p->pos >= p->n)
			return LC_EINVAL; /* unterminated */
		size_t end = p->pos++;
		if (!escaped) {
			*value = lc_slice_make(p->s + start, end - start);
			return 1;
		}
		char *copy = lc_arena_alloc(a, end - start + 1);
		size_t k = 0;
		for (size_t i = start; i < end; i++) {
			if (p->s[i] == '\\')
				i++;
			copy[k++] = p->s[i];
		}
		copy[k] = '\0';
		*value = lc_slice_make(copy, k);
		return 1;
	}
	start = p->pos;
	while (p->pos < p->n && is_tchar(p->s[p->pos]))
		p->pos++;
	*value = lc_slice_make(p->s + start, p->pos - start);
	return value->len ? 1 : LC_EINVAL;
}

int lc_multipart_boundary(const char *content_type, struct lc_arena *a, struct lc_slice *boundary,
                          struct lc_diag *d)
{
	static const char want[] = "multipart/form-data";
	struct lc_slice ct = lc_slice_cstr(content_type ? content_type : "");
	struct lc_slice type;
	lc_slice_cut(ct, ';', &type);
	if (!lc_slice_eq_nocase(lc_slice_trim(type), want)) {
		lc_diag_addf(d, NULL, 0, 0, "Content-Type", "err_multipart_body",
		             LC_ARG_S("want", want));
		return LC_EINVAL;
	}
	struct params p = {ct.ptr, ct.len, type.len};
	struct lc_slice name, value, found = {NULL, 0};
	int rc;
	while ((rc = next_param(&p, true, a, &name, &value)) == 1) {
		if (!lc_slice_eq_nocase(name, "boundary"))
			continue;
		if (found.ptr) {
			lc_diag_add(d, NULL, 0, 0, "Content-Type",
			            "err_multipart_boundary_parameter_repeated");
			return LC_EINVAL;
		}
		found = value;
	}
	if (rc < 0) {
		lc_diag_add(d, NULL, 0, 0, "Content-Type",
		            "err_multipart_header_s_parameters_malformed");
		return LC_EINVAL;
	}
	if (!found.ptr || found.len == 0) {
		lc_diag_add(d, NULL, 0, 0, "Content-Type",
		            "err_multipart_boundary_parameter_missing");
		return LC_EINVAL;
	}
	bool ok = found.len <= BOUNDARY_MAX && found.ptr[found.len - 1] != ' ';
	for (size_t i = 0; ok && i < found.len; i++)
		ok = is_bchar(found.ptr[i]);
	if (!ok) {
		lc_diag_addf(d, NULL, 0, 0, "Content-Type",
		             "err_multipart_boundary_1_letters_digits",
		             LC_ARG_I("limit", BOUNDARY_MAX));
		return LC_EINVAL;
	}
	*boundary = found;
	return 0;
}

/*
 * The offset of the next delimiter "\r\n--" boundary at or after from that
 * is followed by "--" or by optional white space and CRLF, or len when none.
 * Look-alikes followed by anything else are data, as Go and Python read them.
 */
static size_t find_delim(const char *body, size_t len, size_t from, struct lc_slice b)
{
	size_t k = b.len + 4;
	while (from < len && len - from >= k) {
		const char *cr = memchr(body + from, '\r', len - from - k + 1);
		if (!cr)
			return len;
		size_t at = (size_t)(cr - body);
		if (body[at + 1] == '\n' && body[at + 2] == '-' && body[at + 3] == '-' &&
		    memcmp(body + at + 4, b.ptr, b.len) == 0) {
			size_t e = at + k;
			if (len - e >= 2 && body[e] == '-' && body[e + 1] == '-')
				return at;
			while (e < len && is_ows(body[e]))
				e++;
			if (len - e >= 2 && body[e] == '\r' && body[e + 1] == '\n')
				return at;
		}
		from = at + 1;
	}
	return len;
}

/* One part's header block, from which a part is filled. */
static int parse_headers(const char *h, size_t n, struct lc_arena *a,
                         struct lc_multipart_part *part, size_t index, struct lc_diag *d)
{
	bool have_cd = false, have_ct = false;
	size_t pos = 0;
	part->name = NULL;
	part->filename = NULL;
	part->content_type = NULL;
	while (pos < n) {
		/* The block ends with CRLF, so every line here has one. */
		const char *eol = memchr(h + pos, '\r', n - pos);
		size_t end = eol ? (size_t)(eol - h) : n;
		struct lc_slice line = lc_slice_make(h + pos, end - pos);
		pos = end + 2;
		if (line.len == 0 || is_ows(line.ptr[0]) || end + 1 >= n || h[end + 1] != '\n') {
			lc_diag_addf(d, NULL, 0, 0, NULL, "err_multipart_part_header_line_folded",
			             LC_ARG_I("index", index));
			return LC_EINVAL;
		}
		struct lc_slice fname;
		struct lc_slice rest = lc_slice_cut(line, ':', &fname);
		bool tok = fname.len > 0 && rest.ptr;
		for (size_t i = 0; tok && i < fname.len; i++)
			tok = is_tchar(fname.ptr[i]);
		if (!tok) {
			lc_diag_addf(d, NULL, 0, 0, NULL, "err_multipart_part_header_line_has",
			             LC_ARG_I("index", index));
			return LC_EINVAL;
		}
		struct lc_slice value = lc_slice_trim(rest);
		if (lc_slice_eq_nocase(fname, "Content-Type")) {
			if (have_ct || !clean_text(value.ptr, value.len)) {
				lc_diag_addf(d, NULL, 0, 0, NULL,
				             "err_multipart_part_content_type_repeated",
				             LC_ARG_I("index", index));
				return LC_EINVAL;
			}
			have_ct = true;
			part->content_type = lc_arena_strndup(a, value.ptr, value.len);
			continue;
		}
		if (!lc_slice_eq_nocase(fname, "Content-Disposition"))
			continue;
		if (have_cd) {
			lc_diag_addf(d, NULL, 0, 0, NULL,
			             "err_multipart_part_content_disposition_repeated",
			             LC_ARG_I("index", index));
			return LC_EINVAL;
		}
		have_cd = true;
		struct lc_slice dtype;
		lc_slice_cut(value, ';', &dtype);
		if (!lc_slice_eq_nocase(lc_slice_trim(dtype), "form-data")) {
			lc_diag_addf(d, NULL, 0, 0, NULL,
			             "err_multipart_part_content_disposition_form",
			             LC_ARG_I("index", index));
			return LC_EINVAL;
		}
		struct params p = {value.ptr, value.len, dtype.len};
		struct lc_slice pn, pv;
		int rc;
		while ((rc = next_param(&p, false, a, &pn, &pv)) == 1) {
			const char **slot = lc_slice_eq_nocase(pn, "name")       ? &part->name
			                    : lc_slice_eq_nocase(pn, "filename") ? &part->filename
			                                                         : NULL;
			if (!slot)
				continue; /* filename* and others: RFC 7578 section 4.2 */
			if (*slot) {
				lc_diag_addf(d, NULL, 0, 0, NULL,
				             "err_multipart_part_parameter_repeated",
				             LC_ARG_I("index", index));
				return LC_EINVAL;
			}
			if (pv.len > LC_LIMIT_MULTIPART_NAME) {
				lc_diag_addf(d, NULL, 0, 0, NULL,
				             "err_multipart_part_name_file_name",
				             LC_ARG_I("index", index),
				             LC_ARG_I("limit", (unsigned)LC_LIMIT_MULTIPART_NAME));
				return LC_ELIMIT;
			}
			if (!clean_text(pv.ptr, pv.len)) {
				lc_diag_addf(d, NULL, 0, 0, NULL,
				             "err_multipart_part_name_file_name_2",
				             LC_ARG_I("index", index));
				return LC_EINVAL;
			}
			*slot = lc_arena_strndup(a, pv.ptr, pv.len);
		}
		if (rc < 0) {
			lc_diag_addf(d, NULL, 0, 0, NULL,
			             "err_multipart_part_content_disposition_parameters",
			             LC_ARG_I("index", index));
			return LC_EINVAL;
		}
	}
	if (!have_cd || !part->name || !part->name[0]) {
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_multipart_part_has_content_disposition",
		             LC_ARG_I("index", index));
		return LC_EINVAL;
	}
	return 0;
}

int lc_multipart_parse(const char *content_type, const char *body, size_t len, struct lc_arena *a,
                       struct lc_multipart_part **parts, size_t *nparts, struct lc_diag *d)
{
	struct lc_slice b;
	struct lc_multipart_part *out = NULL;
	size_t n = 0;
	*parts = NULL;
	*nparts = 0;
	int rc = lc_multipart_boundary(content_type, a, &b, d);
	if (rc)
		return rc;
	if (!body)
		len = 0;

	/* The first delimiter may open the body without the CRLF before it. */
	size_t pos;
	if (len >= b.len + 2 && body[0] == '-' && body[1] == '-' &&
	    memcmp(body + 2, b.ptr, b.len) == 0)
		pos = b.len + 2;
	else {
		size_t at = find_delim(body, len, 0, b);
		if (at == len) {
			lc_diag_add(d, NULL, 0, 0, NULL, "err_multipart_body_has_opening_boundary");
			return LC_EINVAL;
		}
		pos = at + b.len + 4;
	}

	for (;;) {
		/* pos is just after a delimiter: "--" closes, else padding and CRLF. */
		if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
			break;
		while (pos < len && is_ows(body[pos]))
			pos++;
		if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n') {
			lc_diag_add(d, NULL, 0, 0, NULL,
			            "err_multipart_boundary_line_malformed_cut");
			rc = LC_EINVAL;
			goto out;
		}
		pos += 2;
		if (n == LC_LIMIT_MULTIPART_PARTS) {
			lc_diag_addf(d, NULL, 0, 0, NULL, "err_multipart_form_has_more_parts",
			             LC_ARG_I("limit", (unsigned)LC_LIMIT_MULTIPART_PARTS));
			rc = LC_ELIMIT;
			goto out;
		}
		/* The header block ends at the first empty line, within the limit. */
		size_t window = len - pos;
		if (window > LC_LIMIT_MULTIPART_HEADER + 4)
			window = LC_LIMIT_MULTIPART_HEADER + 4;
		size_t hlen = 0;
		bool found = false;
		if (window >= 2 && body[pos] == '\r' && body[pos + 1] == '\n') {
			found = true; /* no headers at all */
		} else {
			for (size_t i = 0; i + 4 <= window; i++) {
				const char *c = memchr(body + pos + i, '\r', window - 3 - i);
				if (!c)
					break;
				i = (size_t)(c - (body + pos));
				if (memcmp(c, "\r\n\r\n", 4) == 0) {
					hlen = i + 2;
					found = true;
					break;
				}
			}
		}
		if (!found || hlen > LC_LIMIT_MULTIPART_HEADER) {
			bool big = window > LC_LIMIT_MULTIPART_HEADER;
			lc_diag_addf(
			    d, NULL, 0, 0, NULL,
			    big ? "err_multipart_headers_long" : "err_multipart_headers_unended",
			    LC_ARG_I("index", n + 1), LC_ARG_I("limit", LC_LIMIT_MULTIPART_HEADER));
			rc = big ? LC_ELIMIT : LC_EINVAL;
			goto out;
		}
		if (!out)
			out = lc_arena_calloc(a, LC_LIMIT_MULTIPART_PARTS * sizeof *out);
		struct lc_multipart_part *part = &out[n];
		rc = parse_headers(body + pos, hlen, a, part, n + 1, d);
		if (rc)
			goto out;
		pos += hlen + 2;
		size_t at = find_delim(body, len, pos, b);
		if (at == len) {
			lc_diag_addf(d, NULL, 0, 0, NULL, "err_multipart_part_closed_boundary",
			             LC_ARG_I("index", n + 1));
			rc = LC_EINVAL;
			goto out;
		}
		part->data = body + pos;
		part->len = at - pos;
		n++;
		pos = at + b.len + 4;
	}
	*parts = n ? out : NULL;
	*nparts = n;
	rc = 0;
out:
	return rc;
}

const struct lc_multipart_part *lc_multipart_find(const struct lc_multipart_part *parts, size_t n,
                                                  const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(parts[i].name, name) == 0)
			return &parts[i];
	return NULL;
}

const char *lc_multipart_text(const struct lc_multipart_part *parts, size_t n, const char *name,
                              struct lc_arena *a)
{
	for (size_t i = 0; i < n; i++) {
		const struct lc_multipart_part *p = &parts[i];
		if (p->filename || strcmp(p->name, name) != 0)
			continue;
		if (memchr(p->data, '\0', p->len) || !lc_utf8_valid(p->data, p->len))
			return NULL;
		return lc_arena_strndup(a, p->data, p->len);
	}
	return NULL;
}
