/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Percent-decoding, query/form splitting, Cookie and Accept-Language parsing
 * of urlcodec.h. Splitters return slices into their input; only
 * lc_urlcodec_decode copies (into an arena).
 */
#include "web/urlcodec.h"

#include "base/arena.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/utf8.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int lc_urlcodec_decode(struct lc_arena *a, struct lc_slice s, bool plus_as_space,
                       struct lc_slice *out)
{
	/* Decoding never lengthens: the copy needs at most s.len bytes. */
	char *d = lc_arena_alloc(a, s.len + 1);
	size_t n = 0;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (c == '%') {
			if (s.len - i < 3)
				return LC_EINVAL;
			int h = hexval(s.ptr[i + 1]), l = hexval(s.ptr[i + 2]);
			if (h < 0 || l < 0)
				return LC_EINVAL;
			c = (char)(h * 16 + l);
			i += 2;
		} else if (c == '+' && plus_as_space) {
			c = ' ';
		}
		unsigned char u = (unsigned char)c;
		/* Control characters have no business in a URL or form field, but a
		 * textarea sends line breaks and tabs. */
		if ((u < 0x20 && c != '\t' && c != '\r' && c != '\n') || u == 0x7F)
			return LC_EINVAL;
		d[n++] = c;
	}
	d[n] = '\0';
	if (!lc_utf8_valid(d, n))
		return LC_EINVAL;
	*out = lc_slice_make(d, n);
	return 0;
}

int lc_urlcodec_split_query(struct lc_slice s, struct lc_urlcodec_pair *out, size_t max, size_t *n)
{
	size_t count = 0;
	struct lc_slice rest = s;
	*n = 0;
	while (rest.len) {
		struct lc_slice piece;
		rest = lc_slice_cut(rest, '&', &piece);
		if (piece.len == 0)
			continue;
		if (count == max) {
			*n = count;
			return LC_ELIMIT;
		}
		struct lc_slice name;
		struct lc_slice value = lc_slice_cut(piece, '=', &name);
		out[count].name = name;
		out[count].value = value;
		count++;
	}
	*n = count;
	return 0;
}

static struct lc_slice trim_sp(struct lc_slice a)
{
	while (a.len && (a.ptr[0] == ' ' || a.ptr[0] == '\t')) {
		a.ptr++;
		a.len--;
	}
	while (a.len && (a.ptr[a.len - 1] == ' ' || a.ptr[a.len - 1] == '\t'))
		a.len--;
	return a;
}

int lc_urlcodec_split_cookies(struct lc_slice header, struct lc_urlcodec_pair *out, size_t max,
                              size_t *n)
{
	*n = 0;
	if (header.len > LC_LIMIT_COOKIE_BYTES)
		return LC_ELIMIT;
	size_t count = 0;
	struct lc_slice rest = header;
	while (rest.len) {
		struct lc_slice piece;
		rest = lc_slice_cut(rest, ';', &piece);
		piece = trim_sp(piece);
		struct lc_slice name;
		struct lc_slice value = lc_slice_cut(piece, '=', &name);
		if (!value.ptr)
			continue; /* no '=' */
		name = trim_sp(name);
		value = trim_sp(value);
		if (name.len == 0)
			continue;
		if (value.len >= 2 && value.ptr[0] == '"' && value.ptr[value.len - 1] == '"') {
			value.ptr++;
			value.len -= 2;
		}
		if (count == max) {
			*n = count;
			return LC_ELIMIT;
		}
		out[count].name = name;
		out[count].value = value;
		count++;
	}
	*n = count;
	return 0;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* language-range = (1*8ALPHA *("-" 1*8alphanum)) / "*" (RFC 4647 section 2.1). */
static bool valid_range(struct lc_slice t)
{
	if (t.len == 1 && t.ptr[0] == '*')
		return true;
	size_t run = 0;
	bool first = true;
	for (size_t i = 0; i < t.len; i++) {
		char c = t.ptr[i];
		if (c == '-') {
			if (run == 0)
				return false;
			run = 0;
			first = false;
			continue;
		}
		if (!(is_alpha(c) || (!first && is_digit(c))))
			return false;
		if (++run > 8)
			return false;
	}
	return run > 0;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths; -1 if bad. */
static int parse_q(struct lc_slice v)
{
	if (v.len == 0 || v.len > 5 || (v.ptr[0] != '0' && v.ptr[0] != '1'))
		return -1;
	int q = (v.ptr[0] - '0') * 1000;
	if (v.len == 1)
		return q;
	if (v.ptr[1] != '.')
		return -1;
	int scale = 100;
	for (size_t i = 2; i < v.len; i++) {
		if (!is_digit(v.ptr[i]))
			return -1;
		q += (v.ptr[i] - '0') * scale;
		scale /= 10;
	}
	return q > 1000 ? -1 : q;
}

int lc_urlcodec_parse_accept_language(struct lc_slice header, struct lc_urlcodec_lang *out,
                                      size_t max, size_t *n)
{
	size_t count = 0;
	struct lc_slice rest = header;
	while (rest.len && count < max) {
		struct lc_slice piece;
		rest = lc_slice_cut(rest, ',', &piece);
		struct lc_slice tag;
		struct lc_slice params = lc_slice_cut(piece, ';', &tag);
		tag = trim_sp(tag);
		if (!valid_range(tag))
			continue;
		int q = 1000;
		bool bad = false;
		while (params.len) {
			struct lc_slice p;
			params = lc_slice_cut(params, ';', &p);
			p = trim_sp(p);
			struct lc_slice k;
			struct lc_slice v = lc_slice_cut(p, '=', &k);
			k = trim_sp(k);
			if (k.len == 1 && (k.ptr[0] == 'q' || k.ptr[0] == 'Q')) {
				q = parse_q(trim_sp(v));
				if (q < 0)
					bad = true;
			}
		}
		if (bad || q == 0)
			continue;
		/* Insertion keeps equal weights in the sender's order. */
		size_t j = count;
		while (j > 0 && out[j - 1].q < q) {
			out[j] = out[j - 1];
			j--;
		}
		out[j].tag = tag;
		out[j].q = q;
		count++;
	}
	*n = count;
	return 0;
}

int lc_urlcodec_pick_language(struct lc_slice header, const char *const *supported, size_t n)
{
	struct lc_urlcodec_lang langs[32];
	size_t nl;
	lc_urlcodec_parse_accept_language(header, langs, sizeof langs / sizeof langs[0], &nl);
	for (size_t i = 0; i < nl; i++) {
		struct lc_slice primary;
		lc_slice_cut(langs[i].tag, '-', &primary);
		/* The whole tag first ("pt-BR" for a supported "pt-br"), then its primary subtag.
		 */
		for (size_t k = 0; k < n; k++)
			if (lc_slice_eq_nocase(langs[i].tag, supported[k]))
				return (int)k;
		for (size_t k = 0; k < n; k++)
			if (lc_slice_eq_nocase(primary, supported[k]))
				return (int)k;
	}
	return -1;
}
