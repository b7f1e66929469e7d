/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The router of router.h: compiles route patterns once, matches decoded
 * path segments, validates declared parameters and calls handlers. It owns
 * its compiled routes; the route table itself is borrowed.
 */
#include "web/router.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/utf8.h"
#include "web/i18n.h"
#include "web/multipart.h"
#include "web/urlcodec.h"

/*
 * Diagnostics lists are optional in this module's API. Its problems are
 * about route tables written in the code, found at start-up by whoever
 * wrote them, not by a user: they stay English text rather than catalogue
 * codes.
 */
#define diag_add(d, ...) ((d) ? lc_diag_add_text((d), __VA_ARGS__) : (void)0)

#define MAX_SEGS 64 /* segments of a path; deeper paths match nothing */

enum seg_kind { SEG_REST = 0, SEG_PARAM = 1, SEG_LIT = 2 }; /* ordered by precedence */

struct seg {
	enum seg_kind kind;
	const char *text; /* literal, or parameter name (owned) */
	size_t len;
	int spec; /* SEG_PARAM/SEG_REST: index into specs */
};

struct croute {
	const struct lc_route *route;
	struct seg *segs;
	size_t nsegs;
	struct lc_param_spec *specs; /* declared then implicit path parameters (owned) */
	size_t nspecs;
};

struct lc_router {
	struct croute *routes;
	size_t n;
	struct lc_router_opts opts;
};

const struct lc_router_opts *lc_router_opts(const struct lc_router *r)
{
	return &r->opts;
}

static bool valid_name(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

static void croute_cleanup(struct croute *c)
{
	for (size_t i = 0; i < c->nsegs; i++)
		if (c->segs[i].kind != SEG_LIT)
			lc_free((void *)c->segs[i].text);
	lc_free(c->segs);
	lc_free(c->specs);
}

void lc_router_free(struct lc_router *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		croute_cleanup(&r->routes[i]);
	lc_free(r->routes);
	lc_free(r);
}

static int validate_value(struct lc_arena *a, const struct lc_param_spec *s, struct lc_slice raw,
                          bool decode, struct lc_value *out, const char **why);

static int compile_route(const struct lc_route *rt, struct croute *c, struct lc_diag *diag)
{
	const char *pat = rt->pattern;
	memset(c, 0, sizeof *c);
	c->route = rt;
	if (!pat || pat[0] != '/') {
		diag_add(diag, pat, 0, 0, NULL, "a pattern starts with '/'");
		return LC_EINVAL;
	}
	if (!rt->handler || !rt->methods) {
		diag_add(diag, pat, 0, 0, NULL, "a route needs methods and a handler");
		return LC_EINVAL;
	}
	size_t ndecl = 0;
	while (rt->params && rt->params[ndecl].name)
		ndecl++;
	c->segs = lc_xcalloc(MAX_SEGS, sizeof *c->segs);
	c->specs = lc_xcalloc(ndecl + MAX_SEGS, sizeof *c->specs);
	if (ndecl)
		memcpy(c->specs, rt->params, ndecl * sizeof *c->specs);
	c->nspecs = ndecl;

	struct lc_slice rest = lc_slice_cstr(pat + 1);
	while (rest.ptr && pat[1]) {
		struct lc_slice s;
		rest = lc_slice_cut(rest, '/', &s);
		if (c->nsegs == MAX_SEGS || s.len == 0) {
			diag_add(diag, pat, 0, 0, NULL, "empty segment or too many segments");
			return LC_EINVAL;
		}
		struct seg *g = &c->segs[c->nsegs++];
		if (s.ptr[0] == '{') {
			bool star = s.len > 3 && s.ptr[s.len - 2] == '*';
			size_t nl = s.len - 2 - (star ? 1 : 0);
			if (s.ptr[s.len - 1] != '}' || !valid_name(s.ptr + 1, nl) ||
			    (star && rest.ptr)) {
				diag_add(diag, pat, 0, 0, NULL,
				         "bad parameter segment (use {name} or a last {name*})");
				return LC_EINVAL;
			}
			g->kind = star ? SEG_REST : SEG_PARAM;
			g->text = lc_xstrndup(s.ptr + 1, nl);
			g->len = nl;
			g->spec = -1;
			for (size_t k = 0; k < c->nspecs; k++)
				if (strcmp(c->specs[k].name, g->text) == 0)
					g->spec = (int)k;
			for (size_t k = 0; k + 1 < c->nsegs; k++)
				if (c->segs[k].kind != SEG_LIT &&
				    strcmp(c->segs[k].text, g->text) == 0) {
					diag_add(diag, pat, 0, 0, g->text, "repeated parameter");
					return LC_EINVAL;
				}
			if (g->spec < 0) {
				/* An undeclared path parameter is a plain bounded string. */
				struct lc_param_spec *ps = &c->specs[c->nspecs];
				ps->name = g->text;
				ps->source = LC_PARAM_PATH;
				ps->type = LC_PARAM_STRING;
				ps->max_len = star ? LC_LIMIT_HTTP_URL : LC_LIMIT_NAME_BYTES;
				g->spec = (int)c->nspecs++;
			} else if (c->specs[g->spec].source != LC_PARAM_PATH) {
				diag_add(diag, pat, 0, 0, g->text,
				         "declared, but not as a path parameter");
				return LC_EINVAL;
			}
		} else {
			if (memchr(s.ptr, '{', s.len) || memchr(s.ptr, '}', s.len)) {
				diag_add(diag, pat, 0, 0, NULL, "braces inside a literal segment");
				return LC_EINVAL;
			}
			g->kind = SEG_LIT;
			g->text = s.ptr;
			g->len = s.len;
			g->spec = -1;
		}
	}

	struct lc_arena *a = lc_arena_new();
	int rc = 0;
	for (size_t k = 0; k < ndecl; k++) {
		const struct lc_param_spec *ps = &c->specs[k];
		const char *why = NULL;
		if (!valid_name(ps->name, strlen(ps->name)) || strcmp(ps->name, "lang") == 0)
			why = "a parameter name is [A-Za-z0-9_-]+ and not the reserved \"lang\"";
		else if (ps->type == LC_PARAM_ENUM && (!ps->choices || !ps->choices[0]))
			why = "an enum needs choices";
		else if (ps->type == LC_PARAM_INT && ps->min > ps->max)
			why = "min is above max";
		else if (ps->source == LC_PARAM_PATH) {
			bool found = false;
			for (size_t i = 0; i < c->nsegs; i++)
				if (c->segs[i].kind != SEG_LIT &&
				    strcmp(c->segs[i].text, ps->name) == 0)
					found = true;
			if (!found)
				why = "a path parameter missing from the pattern";
		}
		for (size_t j = 0; !why && j < k; j++)
			if (strcmp(c->specs[j].name, ps->name) == 0)
				why = "declared twice";
		struct lc_value v;
		if (!why && ps->dflt &&
		    validate_value(a, ps, lc_slice_cstr(ps->dflt), false, &v, &why) != 0)
			why = "the default is not a valid value";
		if (why) {
			diag_add(diag, pat, 0, 0, ps->name, "%s", why);
			rc = LC_EINVAL;
		}
	}
	lc_arena_free(a);
	return rc;
}

int lc_router_new(const struct lc_route *routes, size_t n, const struct lc_router_opts *opts,
                  struct lc_router **out, struct lc_diag *diag)
{
	struct lc_router *r = lc_xcalloc(1, sizeof *r);
	int rc = 0;
	*out = NULL;
	if (opts)
		r->opts = *opts;
	r->routes = lc_xcalloc(n ? n : 1, sizeof *r->routes);
	for (size_t i = 0; i < n; i++) {
		int e = compile_route(&routes[i], &r->routes[i], diag);
		r->n = i + 1;
		if (e)
			rc = e;
	}
	if (rc) {
		lc_router_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* Whether c matches the decoded segments; *spec_out gets its precedence vector. */
static bool croute_matches(const struct croute *c, const struct lc_slice *segs, size_t n)
{
	size_t i = 0;
	for (; i < c->nsegs; i++) {
		const struct seg *g = &c->segs[i];
		if (g->kind == SEG_REST) {
			/* One or more segments, none of them empty. */
			for (size_t k = i; k < n; k++)
				if (segs[k].len == 0)
					return false;
			return i < n;
		}
		if (i >= n || segs[i].len == 0)
			return false;
		if (g->kind == SEG_LIT &&
		    (segs[i].len != g->len || memcmp(segs[i].ptr, g->text, g->len) != 0))
			return false;
	}
	return i == n;
}

/* Negative when a takes precedence over b: earlier literal segments win. */
static int precedence(const struct croute *a, const struct croute *b)
{
	for (size_t i = 0; i < a->nsegs && i < b->nsegs; i++)
		if (a->segs[i].kind != b->segs[i].kind)
			return (int)b->segs[i].kind - (int)a->segs[i].kind;
	return 0;
}

/* The index of the best route among those matching segs with a method in mask, or -1. */
static int best_route(const struct lc_router *r, const struct lc_slice *segs, size_t n,
                      unsigned mask, unsigned *allow)
{
	int best = -1;
	for (size_t i = 0; i < r->n; i++) {
		const struct croute *c = &r->routes[i];
		if (!croute_matches(c, segs, n))
			continue;
		if (allow)
			*allow |= c->route->methods;
		if (!(c->route->methods & mask))
			continue;
		if (best < 0 || precedence(c, &r->routes[best]) < 0)
			best = (int)i;
	}
	return best;
}

static bool bad_segment(struct lc_slice d)
{
	if ((d.len == 1 && d.ptr[0] == '.') || (d.len == 2 && d.ptr[0] == '.' && d.ptr[1] == '.'))
		return true;
	return memchr(d.ptr, '/', d.len) || memchr(d.ptr, '\\', d.len);
}

/* Splits and decodes a raw path; 0, or an HTTP error status. */
static int decode_path(struct lc_req *req, struct lc_slice *segs, size_t *n, bool *trailing)
{
	const char *raw = req->raw_path;
	size_t len = strlen(raw);
	*n = 0;
	*trailing = false;
	if (len > LC_LIMIT_HTTP_URL)
		return 414;
	if (len == 0 || raw[0] != '/')
		return 400;
	struct lc_slice rest = lc_slice_make(raw + 1, len - 1);
	if (len > 1 && raw[len - 1] == '/') {
		*trailing = true;
		rest.len--;
	}
	struct lc_buf path;
	lc_buf_init(&path, LC_LIMIT_HTTP_URL);
	int st = 0;
	while (rest.len) {
		struct lc_slice s, d;
		rest = lc_slice_cut(rest, '/', &s);
		if (*n == MAX_SEGS) {
			st = 404;
			break;
		}
		if (lc_urlcodec_decode(req->arena, s, false, &d) != 0 || bad_segment(d)) {
			st = 400;
			break;
		}
		segs[(*n)++] = d;
		lc_buf_putc(&path, '/');
		lc_buf_append(&path, d.ptr, d.len);
		if (!rest.ptr)
			break;
		if (rest.len == 0 && *n < MAX_SEGS) /* "/a//": an empty last segment */
			segs[(*n)++] = lc_slice_make("", 0);
	}
	if (*n == 0)
		lc_buf_putc(&path, '/');
	if (*trailing && *n)
		lc_buf_putc(&path, '/');
	req->path = lc_arena_strndup(req->arena, lc_buf_cstr(&path), path.len);
	lc_buf_cleanup(&path);
	return st;
}

const struct lc_route *lc_router_match(const struct lc_router *r, struct lc_req *req)
{
	if (req->match_)
		return req->match_ == 1 ? req->route : NULL;
	req->error_page = r->opts.error_page;
	req->api = strncmp(req->raw_path, "/api/", 5) == 0 || strcmp(req->raw_path, "/api") == 0;
	struct lc_slice *segs = lc_arena_alloc(req->arena, MAX_SEGS * sizeof *segs);
	size_t n;
	bool trailing;
	int st = decode_path(req, segs, &n, &trailing);
	if (st) {
		req->match_ = st;
		return NULL;
	}
	req->segs_ = segs;
	req->nsegs_ = n;
	unsigned allow = 0;
	if (trailing) {
		/* "/cities/" is a mistake for "/cities": send the browser there. */
		if (best_route(r, segs, n, ~0u, NULL) >= 0) {
			req->match_ = 308;
			return NULL;
		}
		req->match_ = 404;
		return NULL;
	}
	int best = best_route(r, segs, n, (unsigned)req->method, &allow);
	if (best < 0) {
		req->allow_ = allow;
		req->match_ = allow ? 405 : 404;
		return NULL;
	}
	req->route = r->routes[best].route;
	req->match_ = 1;
	return req->route;
}

static const struct croute *croute_of(const struct lc_router *r, const struct lc_route *rt)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->routes[i].route == rt)
			return &r->routes[i];
	return NULL;
}

static bool eq_nocase(struct lc_slice a, const char *s)
{
	return lc_slice_eq_nocase(a, s);
}

/* Checks one value against its spec; 0 or LC_EINVAL with *why for the user. */
static int validate_value(struct lc_arena *a, const struct lc_param_spec *s, struct lc_slice raw,
                          bool decode, struct lc_value *out, const char **why)
{
	struct lc_slice d = raw;
	if (decode) {
		if (lc_urlcodec_decode(a, raw, true, &d) != 0) {
			*why = "invalid encoding or characters";
			return LC_EINVAL;
		}
	} else {
		d.ptr = lc_arena_strndup(a, raw.ptr ? raw.ptr : "", raw.len);
	}
	out->str = d.ptr;
	out->len = d.len;
	out->num = 0;
	switch (s->type) {
	case LC_PARAM_STRING: {
		size_t max = s->max_len ? s->max_len : LC_LIMIT_NAME_BYTES;
		if (d.len > max) {
			*why = "too long";
			return LC_EINVAL;
		}
		return 0;
	}
	case LC_PARAM_INT: {
		long lo = s->min, hi = s->max;
		if (lo == 0 && hi == 0) {
			lo = LONG_MIN + 1;
			hi = LONG_MAX;
		}
		if (lc_slice_to_long(d, lo, hi, &out->num) != 0) {
			*why = "not a whole number in the allowed range";
			return LC_EINVAL;
		}
		return 0;
	}
	case LC_PARAM_ENUM:
		for (long i = 0; s->choices[i]; i++)
			if (lc_slice_eq(d, s->choices[i])) {
				out->num = i;
				return 0;
			}
		*why = "not one of the allowed values";
		return LC_EINVAL;
	case LC_PARAM_BOOL:
		if (d.len == 0 || eq_nocase(d, "0") || eq_nocase(d, "false") ||
		    eq_nocase(d, "off") || eq_nocase(d, "no")) {
			out->num = 0;
			return 0;
		}
		if (eq_nocase(d, "1") || eq_nocase(d, "true") || eq_nocase(d, "on") ||
		    eq_nocase(d, "yes")) {
			out->num = 1;
			return 0;
		}
		*why = "not a yes/no value";
		return LC_EINVAL;
	}
	*why = "unknown type";
	return LC_EINVAL;
}

/* Whether a raw (encoded) pair name equals name; plain names need no decoding. */
static bool name_is(struct lc_arena *a, struct lc_slice raw, const char *name)
{
	if (!memchr(raw.ptr, '%', raw.len))
		return lc_slice_eq(raw, name);
	struct lc_slice d;
	return lc_urlcodec_decode(a, raw, true, &d) == 0 && lc_slice_eq(d, name);
}

static bool is_form(const char *ct)
{
	if (!ct)
		return false;
	struct lc_slice t;
	lc_slice_cut(lc_slice_cstr(ct), ';', &t);
	return lc_slice_eq_nocase(lc_slice_trim(t), "application/x-www-form-urlencoded");
}

static bool is_multipart(const char *ct)
{
	if (!ct)
		return false;
	struct lc_slice t;
	lc_slice_cut(lc_slice_cstr(ct), ';', &t);
	return lc_slice_eq_nocase(lc_slice_trim(t), "multipart/form-data");
}

/*
 * Parses a multipart/form-data body into req->parts and turns its plain
 * (non-file) fields into raw pairs, so that they bind like a urlencoded
 * form's (without percent-decoding). 0, or 400 with the message in resp.
 */
static int multipart_pairs(struct lc_req *req, struct lc_resp *resp,
                           struct lc_urlcodec_pair **pairs, size_t *n)
{
	struct lc_multipart_part *parts;
	size_t np;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_multipart_parse(req->content_type, req->body, req->body_len, req->arena,
	                             &parts, &np, &d);
	if (err) {
		lc_resp_error(resp, 400, "Malformed multipart form: %s.",
		              d.count ? d.items[0].message : lc_strerror(err));
		lc_diag_cleanup(&d);
		return 400;
	}
	lc_diag_cleanup(&d);
	req->parts = parts;
	req->nparts = np;
	*pairs = lc_arena_alloc(req->arena, (np ? np : 1) * sizeof **pairs);
	*n = 0;
	for (size_t i = 0; i < np; i++) {
		if (parts[i].filename)
			continue;
		bool ok = lc_utf8_valid(parts[i].data, parts[i].len);
		for (size_t k = 0; ok && k < parts[i].len; k++) {
			unsigned char ch = (unsigned char)parts[i].data[k];
			ok = ch >= 0x20 || ch == '\t' || ch == '\r' || ch == '\n';
		}
		if (!ok) {
			lc_resp_error(resp, 400, "Parameter '%s': invalid encoding or characters.",
			              parts[i].name);
			return 400;
		}
		(*pairs)[*n].name = lc_slice_cstr(parts[i].name);
		(*pairs)[(*n)++].value = lc_slice_make(parts[i].data, parts[i].len);
	}
	return 0;
}

/* Fills req->params; 0, or 400 with the message in resp. */
static int bind_params(const struct croute *c, struct lc_req *req, struct lc_resp *resp)
{
	struct lc_urlcodec_pair *form = NULL;
	size_t nform = 0;
	bool form_encoded = true;
	if (req->nquery > LC_LIMIT_HTTP_PARAMS) {
		lc_resp_error(resp, 400, "Too many parameters (at most %d).", LC_LIMIT_HTTP_PARAMS);
		return 400;
	}
	if (req->body_len && is_multipart(req->content_type)) {
		if (multipart_pairs(req, resp, &form, &nform))
			return 400;
		form_encoded = false;
	}
	if (req->body_len && is_form(req->content_type)) {
		form = lc_arena_alloc(req->arena, LC_LIMIT_HTTP_PARAMS * sizeof *form);
		if (lc_urlcodec_split_query(lc_slice_make(req->body, req->body_len), form,
		                            LC_LIMIT_HTTP_PARAMS, &nform) != 0) {
			lc_resp_error(resp, 400, "Too many form fields (at most %d).",
			              LC_LIMIT_HTTP_PARAMS);
			return 400;
		}
	}
	req->nparams = c->nspecs;
	req->params =
	    lc_arena_calloc(req->arena, (c->nspecs ? c->nspecs : 1) * sizeof *req->params);
	for (size_t k = 0; k < c->nspecs; k++) {
		const struct lc_param_spec *s = &c->specs[k];
		struct lc_req_param *p = &req->params[k];
		const char *why = NULL;
		p->name = s->name;
		p->spec = s;
		if (s->source == LC_PARAM_PATH) {
			for (size_t i = 0; i < c->nsegs; i++) {
				if (c->segs[i].spec != (int)k)
					continue;
				struct lc_slice v = req->segs_[i];
				if (c->segs[i].kind == SEG_REST) {
					/* The rest of the path, rejoined with '/'. */
					const char *start = req->segs_[i].ptr;
					struct lc_buf j;
					lc_buf_init(&j, LC_LIMIT_HTTP_URL);
					for (size_t m = i; m < req->nsegs_; m++) {
						if (m > i)
							lc_buf_putc(&j, '/');
						lc_buf_append(&j, req->segs_[m].ptr,
						              req->segs_[m].len);
					}
					start =
					    lc_arena_strndup(req->arena, lc_buf_cstr(&j), j.len);
					v = lc_slice_make(start, j.len);
					lc_buf_cleanup(&j);
				}
				if (validate_value(req->arena, s, v, false, &p->v, &why) != 0)
					goto bad;
				p->present = true;
				p->count = 1;
				p->all = &p->v;
			}
			continue;
		}
		/* Query, then form pairs (for GET, form parameters come in the query). */
		struct lc_urlcodec_pair *lists[2] = {req->query, form};
		size_t counts[2] = {req->nquery, nform};
		bool use[2] = {s->source == LC_PARAM_QUERY ||
		                   (s->source == LC_PARAM_FORM && req->method == LC_HTTP_GET),
		               s->source == LC_PARAM_FORM};
		size_t cap = 0;
		for (int l = 0; l < 2; l++) {
			if (!use[l])
				continue;
			for (size_t i = 0; i < counts[l]; i++) {
				struct lc_urlcodec_pair *q = &lists[l][i];
				if (l == 1 && !form_encoded
				        ? !lc_slice_eq(q->name, s->name)
				        : !name_is(req->arena, q->name, s->name))
					continue;
				/* "?page=" from a GET form means no page. */
				if (q->value.len == 0 &&
				    (s->type == LC_PARAM_INT || s->type == LC_PARAM_ENUM))
					continue;
				struct lc_value v;
				bool decode = l == 0 || form_encoded;
				if (validate_value(req->arena, s, q->value, decode, &v, &why) != 0)
					goto bad;
				p->present = true;
				p->v = v;
				if (!s->multi)
					continue;
				if (p->count == cap) {
					cap = cap ? cap * 2 : 4;
					struct lc_value *all =
					    lc_arena_alloc(req->arena, cap * sizeof *all);
					if (p->count)
						memcpy(all, p->all, p->count * sizeof *all);
					p->all = all;
				}
				p->all[p->count++] = v;
			}
		}
		if (p->present && !s->multi) {
			p->all = &p->v;
			p->count = 1;
		}
		if (s->required && (!p->present || p->v.len == 0)) {
			why = "required";
			goto bad;
		}
		if (!p->present && s->dflt) {
			if (validate_value(req->arena, s, lc_slice_cstr(s->dflt), false, &p->v,
			                   &why))
				goto bad;
			p->present = true;
			p->from_default = true;
			p->all = &p->v;
			p->count = 1;
		}
		continue;
	bad:
		lc_resp_error(resp, 400, "Parameter '%s': %s.", s->name, why);
		return 400;
	}
	return 0;
}

static void put_allow(struct lc_resp *resp, unsigned allow)
{
	char buf[128] = "";
	size_t n = 0;
	static const unsigned order[] = {LC_HTTP_GET,   LC_HTTP_POST,   LC_HTTP_PUT,
	                                 LC_HTTP_PATCH, LC_HTTP_DELETE, LC_HTTP_OPTIONS};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		if (!(allow & order[i]))
			continue;
		const char *name = lc_http_method_name((enum lc_http_method)order[i]);
		int w = snprintf(buf + n, sizeof buf - n, "%s%s%s", n ? ", " : "", name,
		                 order[i] == LC_HTTP_GET ? ", HEAD" : "");
		if (w > 0)
			n += (size_t)w;
	}
	lc_resp_header(resp, "Allow", buf);
}

/* The Location for the trailing-slash redirect: the raw path without its last '/', and the query.
 */
static void redirect_trailing(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_HTTP_URL * 2);
	lc_buf_append(&b, req->raw_path, strlen(req->raw_path) - 1);
	/* "//host" or "/\\host" would send the browser to another site. */
	if (b.len >= 2 && (b.data[1] == '/' || b.data[1] == '\\')) {
		lc_buf_cleanup(&b);
		lc_resp_error(resp, 404, "%s", "There is nothing here.");
		return;
	}
	for (size_t i = 0; i < req->nquery; i++) {
		const struct lc_urlcodec_pair *q = &req->query[i];
		lc_buf_putc(&b, i ? '&' : '?');
		/* Re-encode what the server may have decoded ('+' became ' '); keep the rest raw.
		 */
		for (size_t k = 0; k < q->name.len; k++)
			lc_buf_putc(&b, q->name.ptr[k] == ' ' ? '+' : q->name.ptr[k]);
		if (q->value.ptr) {
			lc_buf_putc(&b, '=');
			for (size_t k = 0; k < q->value.len; k++)
				lc_buf_putc(&b, q->value.ptr[k] == ' ' ? '+' : q->value.ptr[k]);
		}
	}
	if (lc_buf_error(&b) || lc_resp_header(resp, "Location", lc_buf_cstr(&b)) != 0)
		lc_resp_error(resp, 400, "Bad request.");
	else
		resp->status = 308;
	lc_buf_cleanup(&b);
}

static const char *message_for(int status)
{
	switch (status) {
	case 400: return "The request is not valid.";
	case 401: return "Please sign in.";
	case 403: return "You may not do this.";
	case 404: return "There is nothing here.";
	case 409: return "This conflicts with the current state; reload and try again.";
	case 413: return "The request is too large.";
	case 414: return "The address is too long.";
	case 503: return "The service is busy; try again in a moment.";
	default: return "Something went wrong on our side.";
	}
}

int lc_router_head(const struct lc_router *r, struct lc_req *req, struct lc_resp *resp)
{
	req->error_page = r->opts.error_page;
	if (!lc_router_match(r, req) || !r->opts.head)
		return 0;
	/* The refusal speaks the user's language; dispatch sets the lang cookie, if any. */
	lc_i18n_resolve(r->opts.i18n, req, NULL);
	int rc = r->opts.head(req, resp);
	if (rc < 0) {
		int st = lc_http_status_for_error(rc);
		if (st >= 500)
			lc_log_error("%s %s: head check failed: %s", req->method_name, req->path,
			             lc_strerror(rc));
		lc_resp_error(resp, st, "%s", message_for(st));
	}
	return rc != 0 ? 1 : 0;
}

int lc_router_dispatch(const struct lc_router *r, struct lc_req *req, struct lc_resp *resp)
{
	req->error_page = r->opts.error_page;
	lc_router_match(r, req);
	/* The language first, so that error pages speak it too. */
	lc_i18n_resolve(r->opts.i18n, req, resp);
	switch (req->match_) {
	case 1: break;
	case 308: redirect_trailing(req, resp); return resp->status;
	case 405:
		if (req->method == LC_HTTP_OPTIONS) {
			resp->status = 204;
			put_allow(resp, req->allow_);
			return resp->status;
		}
		lc_resp_error(resp, 405, "This address does not accept %s.", req->method_name);
		put_allow(resp, req->allow_);
		return resp->status;
	default:
		lc_resp_error(resp, req->match_, "%s", message_for(req->match_));
		return resp->status;
	}
	const struct croute *c = croute_of(r, req->route);
	if (bind_params(c, req, resp) != 0)
		return resp->status;
	int rc = 0;
	if (r->opts.before) {
		rc = r->opts.before(req, resp);
		if (rc > 0)
			return resp->status;
	}
	if (rc == 0)
		rc = req->route->handler(req, resp);
	if (rc < 0) {
		int st = lc_http_status_for_error(rc);
		if (st >= 500)
			lc_log_error("%s %s: handler failed: %s", req->method_name, req->path,
			             lc_strerror(rc));
		lc_resp_error(resp, st, "%s", message_for(st));
	} else if (lc_buf_error(&resp->body)) {
		lc_log_error("%s %s: response exceeds %u bytes", req->method_name, req->path,
		             (unsigned)LC_LIMIT_HTTP_RESPONSE);
		lc_resp_error(resp, 500, "%s", message_for(500));
	}
	return resp->status;
}
