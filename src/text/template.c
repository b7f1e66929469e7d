/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The Mustache compiler and renderer of template.h. A set owns an arena
 * holding every template's source copy, instruction list and names; it is
 * immutable after lc_tpl_set_new, so any number of threads render from it.
 * Rendering keeps its context stack on the C stack and writes only to the
 * caller's buffer.
 */
#include "text/template.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/embedded.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/utf8.h"

/*
 * Diagnostics lists are optional in this module's API. Its problems are
 * about the templates shipped inside the binary (pages, partials, mail
 * texts), read by whoever changes them in a log or a test, not by a user:
 * they stay English text rather than catalogue codes.
 */
#define diag_add(d, ...) ((d) ? lc_diag_add_text((d), __VA_ARGS__) : (void)0)

enum op_kind { OP_TEXT, OP_VAR, OP_RAW, OP_SECTION, OP_INVERTED, OP_END, OP_PARTIAL };

/* A compiled name: "." or parts of a dotted name, each NUL-terminated. */
struct name {
	const char **parts;
	size_t *lens;  /* lengths of parts, so lookups need no strlen */
	size_t nparts; /* 0 for "." */
};

struct op {
	enum op_kind kind;
	const char *text; /* OP_TEXT: bytes; OP_PARTIAL: the indentation of a standalone tag */
	size_t len;
	struct name name;  /* OP_VAR, OP_RAW, OP_SECTION, OP_INVERTED */
	size_t end;        /* OP_SECTION, OP_INVERTED: index of the matching OP_END */
	size_t partial;    /* OP_PARTIAL: template index, resolved after parsing */
	const char *pname; /* OP_PARTIAL: name until resolved */
	size_t offset;     /* where the tag starts, for messages */
};

struct tpl {
	const char *name;
	const char *src; /* copy, for messages */
	size_t len;
	struct op *ops;
	size_t nops;
};

struct lc_tpl_set {
	struct lc_arena *arena;
	struct tpl *tpls;
	size_t n;
};

/* Turns an offset into a 1-based line and column for a message. */
static void where(const char *src, size_t off, long *line, long *col)
{
	long l = 1, c = 1;
	for (size_t i = 0; i < off; i++) {
		if (src[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}

struct parser {
	struct lc_arena *a;
	struct tpl *t;
	struct lc_diag *diag;
	size_t cap;
	int err;
};

static struct op *emit(struct parser *p, enum op_kind kind, size_t offset)
{
	if (p->t->nops == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 32;
		struct op *ops = lc_arena_alloc(p->a, cap * sizeof *ops);
		if (p->t->nops)
			memcpy(ops, p->t->ops, p->t->nops * sizeof *ops);
		p->t->ops = ops;
		p->cap = cap;
	}
	struct op *o = &p->t->ops[p->t->nops++];
	memset(o, 0, sizeof *o);
	o->kind = kind;
	o->offset = offset;
	return o;
}

static void fail(struct parser *p, size_t off, const char *msg)
{
	long line, col;
	where(p->t->src, off, &line, &col);
	diag_add(p->diag, p->t->name, line, col, NULL, "%s", msg);
	p->err = LC_EINVAL;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int compile_name(struct parser *p, const char *s, size_t n, struct name *out, size_t off)
{
	out->parts = NULL;
	out->nparts = 0;
	if (n == 1 && s[0] == '.')
		return 0;
	size_t parts = 1;
	for (size_t i = 0; i < n; i++) {
		if (is_space(s[i]) || s[i] == '{' || s[i] == '}') {
			fail(p, off, "a name holds no spaces or braces");
			return LC_EINVAL;
		}
		if (s[i] == '.')
			parts++;
	}
	if (n == 0 || s[0] == '.' || s[n - 1] == '.') {
		fail(p, off, "empty name or name part");
		return LC_EINVAL;
	}
	out->parts = lc_arena_alloc(p->a, parts * sizeof *out->parts);
	out->lens = lc_arena_alloc(p->a, parts * sizeof *out->lens);
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		if (i == start) {
			fail(p, off, "empty name part");
			return LC_EINVAL;
		}
		out->lens[out->nparts] = i - start;
		out->parts[out->nparts++] = lc_arena_strndup(p->a, s + start, i - start);
		start = i + 1;
	}
	return 0;
}

static bool names_equal(const struct name *a, const char *s, size_t n)
{
	/* Compare a compiled name with the raw text of a closing tag. */
	if (a->nparts == 0)
		return n == 1 && s[0] == '.';
	size_t pos = 0;
	for (size_t i = 0; i < a->nparts; i++) {
		size_t l = a->lens[i];
		if (i) {
			if (pos >= n || s[pos] != '.')
				return false;
			pos++;
		}
		if (n - pos < l || memcmp(s + pos, a->parts[i], l) != 0)
			return false;
		pos += l;
	}
	return pos == n;
}

/* The first occurrence of the k-byte pat in s[0..n), or NULL (memmem is not in C17 or POSIX). */
static const char *find(const char *s, size_t n, const char *pat, size_t k)
{
	while (n >= k) {
		const char *c = memchr(s, pat[0], n - k + 1);
		if (!c)
			return NULL;
		if (memcmp(c, pat, k) == 0)
			return c;
		n -= (size_t)(c - s) + 1;
		s = c + 1;
	}
	return NULL;
}

static void parse(struct parser *p)
{
	const char *s = p->t->src;
	size_t n = p->t->len;
	size_t text_start = 0, line_start = 0, i = 0;
	size_t stack[LC_LIMIT_TEMPLATE_DEPTH];
	size_t depth = 0;

	while (i < n) {
		const char *open = find(s + i, n - i, "{{", 2);
		if (!open)
			break;
		size_t tag = (size_t)(open - s);
		/* Track the start of the tag's line for the standalone rule. */
		for (size_t k = i; k < tag; k++)
			if (s[k] == '\n')
				line_start = k + 1;
		size_t tag_line = line_start;
		size_t body = tag + 2;
		char sigil = body < n ? s[body] : '\0';
		bool triple = sigil == '{';
		const char *close_pat = triple ? "}}}" : "}}";
		size_t close_len = triple ? 3 : 2;
		const char *close = find(s + body, n - body, close_pat, close_len);
		if (!close) {
			fail(p, tag, "unclosed tag");
			return;
		}
		size_t after = (size_t)(close - s) + close_len;
		size_t cs = body, ce = (size_t)(close - s);
		enum op_kind kind = OP_VAR;
		bool comment = false;
		switch (sigil) {
		case '#':
			kind = OP_SECTION;
			cs++;
			break;
		case '^':
			kind = OP_INVERTED;
			cs++;
			break;
		case '/':
			kind = OP_END;
			cs++;
			break;
		case '>':
			kind = OP_PARTIAL;
			cs++;
			break;
		case '{':
		case '&':
			kind = OP_RAW;
			cs++;
			break;
		case '!': comment = true; break;
		case '=': fail(p, tag, "set delimiters are not supported"); return;
		default: break;
		}
		while (cs < ce && is_space(s[cs]))
			cs++;
		while (ce > cs && is_space(s[ce - 1]))
			ce--;

		bool can_stand = comment || kind == OP_SECTION || kind == OP_INVERTED ||
		                 kind == OP_END || kind == OP_PARTIAL;
		bool standalone = false;
		size_t eol = after;
		if (can_stand) {
			standalone = true;
			for (size_t k = line_start; k < tag; k++)
				if (!is_ws(s[k]))
					standalone = false;
			while (eol < n && is_ws(s[eol]))
				eol++;
			if (eol < n && s[eol] == '\r' && eol + 1 < n && s[eol + 1] == '\n')
				eol += 2;
			else if (eol < n && s[eol] == '\n')
				eol++;
			else if (eol < n)
				standalone = false;
		}
		size_t text_end = standalone ? line_start : tag;
		if (text_end > text_start) {
			struct op *o = emit(p, OP_TEXT, text_start);
			o->text = s + text_start;
			o->len = text_end - text_start;
		}
		text_start = standalone ? eol : after;
		i = text_start;
		if (standalone)
			line_start = eol;

		if (comment)
			continue;
		if (kind == OP_END) {
			if (depth == 0) {
				fail(p, tag, "closing tag without an open section");
				return;
			}
			struct op *open_op = &p->t->ops[stack[depth - 1]];
			if (!names_equal(&open_op->name, s + cs, ce - cs)) {
				fail(p, tag, "closing tag does not match the open section");
				return;
			}
			depth--;
			open_op->end = p->t->nops;
			emit(p, OP_END, tag);
			continue;
		}
		if (kind == OP_PARTIAL) {
			struct op *o = emit(p, OP_PARTIAL, tag);
			if (ce == cs) {
				fail(p, tag, "a partial needs a name");
				return;
			}
			o->pname = lc_arena_strndup(p->a, s + cs, ce - cs);
			if (standalone) {
				/* The indentation of a standalone partial indents each of its
				 * lines. */
				o->text = s + tag_line;
				o->len = tag - tag_line;
			}
			continue;
		}
		struct op *o = emit(p, kind, tag);
		if (compile_name(p, s + cs, ce - cs, &o->name, tag) != 0)
			return;
		if (kind == OP_SECTION || kind == OP_INVERTED) {
			if (depth == LC_LIMIT_TEMPLATE_DEPTH) {
				fail(p, tag, "sections nested too deeply");
				return;
			}
			stack[depth++] = p->t->nops - 1;
		}
	}
	if (n > text_start) {
		struct op *o = emit(p, OP_TEXT, text_start);
		o->text = s + text_start;
		o->len = n - text_start;
	}
	if (depth)
		fail(p, p->t->ops[stack[depth - 1]].offset, "section is not closed");
}

static const struct tpl *find_tpl(const struct lc_tpl_set *set, const char *name, size_t *index)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->tpls[i].name, name) == 0) {
			if (index)
				*index = i;
			return &set->tpls[i];
		}
	return NULL;
}

void lc_tpl_set_free(struct lc_tpl_set *set)
{
	if (!set)
		return;
	lc_arena_free(set->arena);
	lc_free(set);
}

bool lc_tpl_exists(const struct lc_tpl_set *set, const char *name)
{
	return find_tpl(set, name, NULL) != NULL;
}

int lc_tpl_set_new(const struct lc_tpl_source *src, size_t n, struct lc_tpl_set **out,
                   struct lc_diag *diag)
{
	struct lc_tpl_set *set = lc_xcalloc(1, sizeof *set);
	set->arena = lc_arena_new();
	set->tpls = lc_arena_calloc(set->arena, (n ? n : 1) * sizeof *set->tpls);
	int rc = 0;
	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		struct tpl *t = &set->tpls[set->n];
		t->name = lc_arena_strdup(set->arena, src[i].name);
		if (find_tpl(set, t->name, NULL)) {
			diag_add(diag, t->name, 0, 0, NULL, "template given twice");
			rc = LC_EINVAL;
			continue;
		}
		if (src[i].len > LC_LIMIT_TEMPLATE_BYTES) {
			diag_add(diag, t->name, 0, 0, NULL, "template larger than %u bytes",
			         (unsigned)LC_LIMIT_TEMPLATE_BYTES);
			rc = LC_EINVAL;
			continue;
		}
		if (!lc_utf8_valid(src[i].text, src[i].len) || memchr(src[i].text, 0, src[i].len)) {
			diag_add(diag, t->name, 0, 0, NULL, "template is not valid UTF-8 text");
			rc = LC_EINVAL;
			continue;
		}
		t->src = lc_arena_strndup(set->arena, src[i].text, src[i].len);
		t->len = src[i].len;
		struct parser p = {set->arena, t, diag, 0, 0};
		parse(&p);
		if (p.err)
			rc = p.err;
		set->n++;
	}
	/* Partials name templates of the same set: resolve them now, once. */
	for (size_t i = 0; rc == 0 && i < set->n; i++) {
		struct tpl *t = &set->tpls[i];
		for (size_t k = 0; k < t->nops; k++) {
			struct op *o = &t->ops[k];
			if (o->kind != OP_PARTIAL)
				continue;
			if (!find_tpl(set, o->pname, &o->partial)) {
				long line, col;
				where(t->src, o->offset, &line, &col);
				diag_add(diag, t->name, line, col, NULL, "unknown partial \"%s\"",
				         o->pname);
				rc = LC_EINVAL;
			}
		}
	}
	if (rc) {
		lc_tpl_set_free(set);
		return rc;
	}
	*out = set;
	return 0;
}

int lc_tpl_set_new_embedded(struct lc_tpl_set **out, struct lc_diag *diag)
{
	static const char prefix[] = "templates/", suffix[] = ".mustache";
	const size_t pl = sizeof prefix - 1, sl = sizeof suffix - 1;
	struct lc_tpl_source *src = lc_xcalloc(lc_embedded_count + 1, sizeof *src);
	char **names = lc_xcalloc(lc_embedded_count + 1, sizeof *names);
	size_t n = 0;
	for (size_t k = 0; k < lc_embedded_count; k++) {
		const struct lc_embedded_file *f = &lc_embedded_files[k];
		size_t len = strlen(f->name);
		if (len <= pl + sl || strncmp(f->name, prefix, pl) != 0 ||
		    strcmp(f->name + len - sl, suffix) != 0)
			continue;
		names[n] = lc_xstrndup(f->name + pl, len - pl - sl);
		src[n].name = names[n];
		src[n].text = (const char *)f->data;
		src[n].len = f->len;
		n++;
	}
	int rc = lc_tpl_set_new(src, n, out, diag);
	for (size_t k = 0; k < n; k++)
		lc_free(names[k]);
	lc_free(names);
	lc_free(src);
	return rc;
}

/* Rendering state shared by the recursion; the context stack lives here, on the C stack. */
struct render {
	const struct lc_tpl_set *set;
	const json_t *globals;
	const json_t *stack[LC_LIMIT_TEMPLATE_DEPTH + 2];
	size_t depth;   /* entries in stack */
	size_t base;    /* names are looked up in stack[base..depth-1], then the globals */
	size_t nesting; /* sections and partials entered */
	struct lc_buf *out;
	struct lc_diag *diag;
	const char *indent; /* of the standalone partials being rendered, or NULL */
	size_t indent_len;
	bool line_start; /* the next byte starts a line of an indented partial */
	bool text;       /* plain text: {{name}} is not HTML-escaped */
	char decimal;    /* the mark between a real's units and decimals (globals' decimal_mark) */
	int err;
	/* lc_tpl_render_in: where the layout writes {{{slot}}}, page renders over page_ctx. */
	const char *slot;
	const struct tpl *page;
	const json_t *page_ctx;
};

/*
 * lc_buf_append with its common case inlined: room left and no error. A page
 * makes hundreds of small appends; the rest goes through lc_buf_append,
 * which keeps the limit and the sticky error.
 */
static inline void out_append(struct lc_buf *b, const char *s, size_t n)
{
	if (!b->err && b->data && n < b->cap - b->len && b->len + n <= b->max) {
		memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len] = '\0';
		return;
	}
	lc_buf_append(b, s, n);
}

static void put(struct render *r, const char *s, size_t n)
{
	if (!r->indent) {
		out_append(r->out, s, n);
		return;
	}
	/* Inside an indented partial: each line the template writes starts with the indent. */
	while (n) {
		if (r->line_start) {
			out_append(r->out, r->indent, r->indent_len);
			r->line_start = false;
		}
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) + 1 : n;
		out_append(r->out, s, k);
		s += k;
		n -= k;
		if (nl)
			r->line_start = true;
	}
}

/* Starts an indented line before data that is not template text (data never indents itself). */
static void put_data_prefix(struct render *r)
{
	if (r->indent && r->line_start) {
		out_append(r->out, r->indent, r->indent_len);
		r->line_start = false;
	}
}

static const json_t *lookup(const struct render *r, const struct name *nm)
{
	if (nm->nparts == 0)
		return r->stack[r->depth - 1];
	const json_t *v = NULL;
	for (size_t i = r->depth; i-- > r->base && !v;)
		if (json_is_object(r->stack[i]))
			v = json_object_getn(r->stack[i], nm->parts[0], nm->lens[0]);
	if (!v && r->globals)
		v = json_object_getn(r->globals, nm->parts[0], nm->lens[0]);
	for (size_t k = 1; v && k < nm->nparts; k++)
		v = json_is_object(v) ? json_object_getn(v, nm->parts[k], nm->lens[k]) : NULL;
	return v;
}

/* Writes n in decimal at the end of out[0..24); returns where the digits start. */
static char *fmt_uint(unsigned long long n, char *end)
{
	do {
		*--end = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	return end;
}

static size_t fmt_int(json_int_t v, char out[40])
{
	char tmp[24];
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	char *p = fmt_uint(u, tmp + sizeof tmp);
	size_t n = (size_t)(tmp + sizeof tmp - p), k = 0;
	if (v < 0)
		out[k++] = '-';
	memcpy(out + k, p, n);
	return k + n;
}

/*
 * A real as "%.15g" prints it. Page numbers are mostly short decimals such
 * as 61.5 or 0.71, and printf's float path dominated rendering time; so when
 * the value is exactly the double nearest to a decimal with at most 6
 * fraction digits and fewer than 16 significant digits, that decimal is
 * written directly (it is what %.15g prints, trailing zeros dropped), and
 * printf handles the rest.
 */
static size_t fmt_real(double v, char out[40])
{
	static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
	double a = v < 0 ? -v : v;
	/* Below 1e-4 %.15g switches to exponents: leave those to printf. */
	if (a < 1e9 && a >= 1e-4) {
		for (int d = 0; d <= 6; d++) {
			double m = a * p10[d];
			if (m >= 1e15)
				break;
			long long k = (long long)(m + 0.5);
			if ((double)k / p10[d] != a)
				continue;
			unsigned long long ip = (unsigned long long)k / (unsigned long long)p10[d];
			unsigned long long fp = (unsigned long long)k % (unsigned long long)p10[d];
			char tmp[24];
			char *q = fmt_uint(ip, tmp + sizeof tmp);
			size_t n = 0, len = (size_t)(tmp + sizeof tmp - q);
			if (v < 0)
				out[n++] = '-';
			memcpy(out + n, q, len);
			n += len;
			if (d) {
				out[n++] = '.';
				for (int i = d - 1; i >= 0; i--) {
					out[n + (size_t)i] = (char)('0' + fp % 10);
					fp /= 10;
				}
				n += (size_t)d;
			}
			return n;
		}
	}
	int k = snprintf(out, 40, "%.15g", v);
	return k > 0 ? (size_t)k : 0;
}

void lc_tpl_put_number(struct lc_buf *out, const json_t *v)
{
	char tmp[40];
	size_t k = 0;
	if (json_is_integer(v))
		k = fmt_int(json_integer_value(v), tmp);
	else if (json_is_real(v))
		k = fmt_real(json_real_value(v), tmp);
	lc_buf_append(out, tmp, k);
}

/*
 * HTML-escapes like lc_buf_append_html (& < > " ' as entities), appending
 * unescaped runs whole: this is the innermost loop of every page.
 */
static void append_html(struct lc_buf *out, const char *s, size_t n)
{
	static const char *const rep[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
	static const unsigned char len[] = {5, 4, 4, 6, 5};
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		int k;
		switch (s[i]) {
		case '&': k = 0; break;
		case '<': k = 1; break;
		case '>': k = 2; break;
		case '"': k = 3; break;
		case '\'': k = 4; break;
		default: continue;
		}
		if (i > start)
			out_append(out, s + start, i - start);
		out_append(out, rep[k], len[k]);
		start = i + 1;
	}
	if (n > start)
		out_append(out, s + start, n - start);
}

static void interpolate(struct render *r, const json_t *v, bool escape)
{
	const char *s = NULL;
	size_t n = 0;
	char tmp[40];
	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		n = json_string_length(v);
		break;
	case JSON_INTEGER:
		n = fmt_int(json_integer_value(v), tmp);
		s = tmp;
		break;
	case JSON_REAL:
		n = fmt_real(json_real_value(v), tmp);
		if (r->decimal != '.') {
			char *dot = memchr(tmp, '.', n);
			if (dot)
				*dot = r->decimal;
		}
		s = tmp;
		break;
	case JSON_TRUE:
		s = "true";
		n = 4;
		break;
	case JSON_FALSE:
		s = "false";
		n = 5;
		break;
	default: return;
	}
	if (n == 0)
		return;
	put_data_prefix(r);
	if (escape && !r->text)
		append_html(r->out, s, n);
	else
		out_append(r->out, s, n);
}

static bool truthy(const json_t *v)
{
	if (!v)
		return false;
	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE: return false;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	default: return true;
	}
}

static void too_deep(struct render *r, const struct tpl *t, const struct op *o)
{
	long line, col;
	where(t->src, o->offset, &line, &col);
	diag_add(r->diag, t->name, line, col, NULL,
	         "sections and partials nested deeper than %d (a recursive partial?)",
	         LC_LIMIT_TEMPLATE_DEPTH);
	r->err = LC_ELIMIT;
}

static void render_ops(struct render *r, const struct tpl *t, size_t from, size_t to);

/* True when op names the slot: one part, equal to it. */
static bool is_slot(const struct op *o, const char *slot)
{
	return o->name.nparts == 1 && o->name.lens[0] == strlen(slot) &&
	       memcmp(o->name.parts[0], slot, o->name.lens[0]) == 0;
}

/*
 * Renders the page where the layout's op o writes the slot: over the page's
 * context alone (the layout's sections are not looked into) and the
 * globals, straight into the output; the page's own {{{slot}}} is a name
 * like any other.
 */
static void render_page(struct render *r, const struct tpl *t, const struct op *o)
{
	if (r->nesting == LC_LIMIT_TEMPLATE_DEPTH) {
		too_deep(r, t, o);
		return;
	}
	const char *slot = r->slot;
	size_t base = r->base;
	r->slot = NULL;
	r->base = r->depth;
	r->stack[r->depth++] = r->page_ctx;
	r->nesting++;
	render_ops(r, r->page, 0, r->page->nops);
	r->nesting--;
	r->depth--;
	r->base = base;
	r->slot = slot;
}

static void render_ops(struct render *r, const struct tpl *t, size_t from, size_t to)
{
	for (size_t i = from; i < to && !r->err; i++) {
		const struct op *o = &t->ops[i];
		switch (o->kind) {
		case OP_TEXT: put(r, o->text, o->len); break;
		case OP_VAR:
		case OP_RAW: {
			if (o->kind == OP_RAW && r->slot && is_slot(o, r->slot)) {
				render_page(r, t, o);
				break;
			}
			const json_t *v = lookup(r, &o->name);
			if (v)
				interpolate(r, v, o->kind == OP_VAR);
			break;
		}
		case OP_SECTION:
		case OP_INVERTED: {
			const json_t *v = lookup(r, &o->name);
			bool on = truthy(v);
			if (r->nesting == LC_LIMIT_TEMPLATE_DEPTH) {
				too_deep(r, t, o);
				return;
			}
			r->nesting++;
			if (o->kind == OP_INVERTED) {
				if (!on)
					render_ops(r, t, i + 1, o->end);
			} else if (on && json_is_array(v)) {
				size_t k;
				const json_t *e;
				json_array_foreach(v, k, e)
				{
					r->stack[r->depth++] = e;
					render_ops(r, t, i + 1, o->end);
					r->depth--;
					if (r->err)
						break;
				}
			} else if (on) {
				r->stack[r->depth++] = v;
				render_ops(r, t, i + 1, o->end);
				r->depth--;
			}
			r->nesting--;
			i = o->end; /* the OP_END */
			break;
		}
		case OP_END: break;
		case OP_PARTIAL: {
			if (r->nesting == LC_LIMIT_TEMPLATE_DEPTH) {
				too_deep(r, t, o);
				return;
			}
			const struct tpl *pt = &r->set->tpls[o->partial];
			const char *saved = r->indent;
			size_t saved_len = r->indent_len;
			bool saved_ls = r->line_start;
			char buf[256];
			if (o->len) {
				/* Nested standalone partials add their indentations up. */
				size_t n = 0;
				if (saved && saved_len < sizeof buf) {
					memcpy(buf, saved, saved_len);
					n = saved_len;
				}
				size_t k = o->len < sizeof buf - n ? o->len : sizeof buf - n;
				memcpy(buf + n, o->text, k);
				r->indent = buf;
				r->indent_len = n + k;
				r->line_start = true;
			}
			r->nesting++;
			render_ops(r, pt, 0, pt->nops);
			r->nesting--;
			if (o->len) {
				r->indent = saved;
				r->indent_len = saved_len;
				r->line_start = saved_ls;
			}
			break;
		}
		}
	}
}

static int render_named(const struct lc_tpl_set *set, const char *name, const json_t *ctx,
                        const json_t *globals, struct lc_buf *out, struct lc_diag *diag, bool text,
                        const char *slot, const struct tpl *page, const json_t *page_ctx)
{
	const struct tpl *t = find_tpl(set, name, NULL);
	if (!t)
		return LC_ENOTFOUND;
	struct render r;
	r.set = set;
	r.globals = globals;
	r.depth = 0;
	r.base = 0;
	r.nesting = 0;
	r.out = out;
	r.diag = diag;
	r.indent = NULL;
	r.indent_len = 0;
	r.line_start = false;
	r.text = text;
	/* One byte: the marks in use (".", ",") are ASCII; anything else reads as ".". */
	const char *mark = json_string_value(json_object_get(globals, "decimal_mark"));
	r.decimal = mark && strlen(mark) == 1 ? mark[0] : '.';
	r.err = 0;
	r.slot = slot;
	r.page = page;
	r.page_ctx = page_ctx ? page_ctx : json_null();
	r.stack[r.depth++] = ctx ? ctx : json_null();
	render_ops(&r, t, 0, t->nops);
	if (!r.err && lc_buf_error(out)) {
		diag_add(diag, t->name, 0, 0, NULL, "output larger than the buffer allows");
		r.err = LC_ELIMIT;
	}
	return r.err;
}

int lc_tpl_render(const struct lc_tpl_set *set, const char *name, const json_t *ctx,
                  const json_t *globals, struct lc_buf *out, struct lc_diag *diag)
{
	return render_named(set, name, ctx, globals, out, diag, false, NULL, NULL, NULL);
}

int lc_tpl_render_in(const struct lc_tpl_set *set, const char *layout, const char *slot,
                     const char *page, const json_t *ctx, const json_t *globals, struct lc_buf *out,
                     struct lc_diag *diag)
{
	const struct tpl *p = find_tpl(set, page, NULL);
	if (!p)
		return LC_ENOTFOUND;
	return render_named(set, layout, NULL, globals, out, diag, false, slot, p, ctx);
}

int lc_tpl_render_text(const struct lc_tpl_set *set, const char *name, const json_t *ctx,
                       const json_t *globals, struct lc_buf *out, struct lc_diag *diag)
{
	return render_named(set, name, ctx, globals, out, diag, true, NULL, NULL, NULL);
}
