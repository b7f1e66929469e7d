/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The diagnostics list of diag.h. The English rendering reads the embedded
 * English catalogue, parsed once on first use and kept for the process's
 * life (read-only, so threads share it).
 */
#include "base/diag.h"

#include <assert.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/embedded.h"
#include "base/limits.h"

static json_t *english;
static pthread_once_t english_once = PTHREAD_ONCE_INIT;

static void load_english(void)
{
	const struct lc_embedded_file *f = lc_embedded_find("i18n/en.json");
	if (f)
		english = json_loadb((const char *)f->data, f->len, 0, NULL);
}

const char *lc_diag_english(const char *key)
{
	pthread_once(&english_once, load_english);
	return key ? json_string_value(json_object_get(english, key)) : NULL;
}

static const char *english_lookup(const void *ctx, const char *key)
{
	(void)ctx;
	return lc_diag_english(key);
}

void lc_diag_init(struct lc_diag *d)
{
	d->items = NULL;
	d->count = d->cap = d->dropped = 0;
	d->max = LC_DIAG_DEFAULT_MAX;
}

static void entry_cleanup(struct lc_diag_entry *e)
{
	lc_free(e->file);
	lc_free(e->field);
	lc_free(e->code);
	for (size_t k = 0; k < e->nargs; k++) {
		lc_free(e->args[k].name);
		lc_free(e->args[k].value);
	}
	lc_free(e->args);
	lc_free(e->message);
}

void lc_diag_cleanup(struct lc_diag *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->count; i++)
		entry_cleanup(&d->items[i]);
	lc_free(d->items);
	d->items = NULL;
	d->count = d->cap = d->dropped = 0;
}

/* The next free entry with its place filled in, or NULL when the list is full. */
static struct lc_diag_entry *push(struct lc_diag *d, const char *file, long line, long column,
                                  const char *field)
{
	if (d->count >= d->max) {
		d->dropped++;
		return NULL;
	}
	if (d->count == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->items = lc_xreallocarray(d->items, d->cap, sizeof *d->items);
	}
	struct lc_diag_entry *e = &d->items[d->count++];
	memset(e, 0, sizeof *e);
	e->file = file ? lc_xstrdup(file) : NULL;
	e->line = line;
	e->column = column;
	e->field = field ? lc_xstrdup(field) : NULL;
	return e;
}

/* s cut to at most max bytes, never inside a UTF-8 sequence. */
static char *dup_cut(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return lc_xstrndup(s, n);
}

#ifndef NDEBUG
/* For the asserts below: a catalogue key is [a-z0-9_]+. */
static bool key_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}
#endif

void lc_diag_addv(struct lc_diag *d, const char *file, long line, long column, const char *field,
                  const char *code, const struct lc_diag_arg *args)
{
	/* A code is a key of ours: a sentence or a missing key here is our bug. */
	assert(key_ok(code));
	assert(lc_diag_english(code) != NULL);
	if (!d)
		return;
	struct lc_diag_entry *e = push(d, file, line, column, field);
	if (!e)
		return;
	e->code = lc_xstrdup(code);
	size_t n = 0;
	while (args && args[n].name)
		n++;
	assert(n <= LC_DIAG_MAX_ARGS);
	if (n > LC_DIAG_MAX_ARGS)
		n = LC_DIAG_MAX_ARGS;
	e->args = n ? lc_xcalloc(n, sizeof *e->args) : NULL;
	for (size_t k = 0; k < n; k++) {
		const struct lc_diag_arg *a = &args[k];
		assert(key_ok(a->name));
		char num[64];
		struct lc_diag_value *v = &e->args[k];
		v->name = lc_xstrdup(a->name);
		switch (a->type) {
		case LC_DIAG_ARG_INT:
			snprintf(num, sizeof num, "%lld", a->i);
			v->value = lc_xstrdup(num);
			v->number = true;
			break;
		case LC_DIAG_ARG_REAL:
			snprintf(num, sizeof num, "%g", a->d);
			v->value = lc_xstrdup(num);
			v->number = true;
			break;
		case LC_DIAG_ARG_KEY:
			assert(key_ok(a->s) && lc_diag_english(a->s) != NULL);
			v->value = lc_xstrdup(a->s ? a->s : "");
			v->key = true;
			break;
		default: v->value = dup_cut(a->s ? a->s : "", LC_LIMIT_DIAG_VALUE_BYTES); break;
		}
	}
	e->nargs = n;
	struct lc_buf msg;
	lc_buf_init(&msg, 4096);
	const char *text = lc_diag_english(code);
	lc_diag_render(text ? text : code, e, english_lookup, NULL, &msg);
	e->message = lc_buf_steal(&msg, NULL);
}

void lc_diag_add_text(struct lc_diag *d, const char *file, long line, long column,
                      const char *field, const char *fmt, ...)
{
	if (!d)
		return;
	struct lc_diag_entry *e = push(d, file, line, column, field);
	if (!e)
		return;
	struct lc_buf msg;
	lc_buf_init(&msg, 4096);
	va_list ap;
	va_start(ap, fmt);
	lc_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	e->message = lc_buf_steal(&msg, NULL);
}

void lc_diag_append(struct lc_diag *d, const struct lc_diag *src)
{
	for (size_t i = 0; src && i < src->count; i++) {
		const struct lc_diag_entry *s = &src->items[i];
		struct lc_diag_entry *e = push(d, s->file, s->line, s->column, s->field);
		if (!e)
			continue;
		e->code = s->code ? lc_xstrdup(s->code) : NULL;
		e->args = s->nargs ? lc_xcalloc(s->nargs, sizeof *e->args) : NULL;
		for (size_t k = 0; k < s->nargs; k++) {
			e->args[k].name = lc_xstrdup(s->args[k].name);
			e->args[k].value = lc_xstrdup(s->args[k].value);
			e->args[k].number = s->args[k].number;
			e->args[k].key = s->args[k].key;
		}
		e->nargs = s->nargs;
		e->message = s->message ? lc_xstrdup(s->message) : NULL;
	}
	if (src)
		d->dropped += src->dropped;
}

void lc_diag_append_under(struct lc_diag *d, const struct lc_diag *src, const char *field)
{
	size_t from = d->count;
	lc_diag_append(d, src);
	for (size_t i = from; field && i < d->count; i++) {
		struct lc_diag_entry *e = &d->items[i];
		struct lc_buf f;
		lc_buf_init(&f, 4096);
		lc_buf_puts(&f, field);
		if (e->field)
			lc_buf_printf(&f, ": %s", e->field);
		lc_free(e->field);
		e->field = lc_buf_steal(&f, NULL);
	}
}

const char *lc_diag_arg(const struct lc_diag_entry *e, const char *name)
{
	for (size_t k = 0; e && k < e->nargs; k++)
		if (strcmp(e->args[k].name, name) == 0)
			return e->args[k].value;
	return NULL;
}

bool lc_diag_has(const struct lc_diag *d, const char *code)
{
	for (size_t i = 0; d && i < d->count; i++)
		if (d->items[i].code && strcmp(d->items[i].code, code) == 0)
			return true;
	return false;
}

size_t lc_diag_total(const struct lc_diag *d)
{
	return d->count + d->dropped;
}

void lc_diag_render(const char *text, const struct lc_diag_entry *e, lc_diag_lookup lookup,
                    const void *ctx, struct lc_buf *out)
{
	const char *p = text;
	while (*p) {
		const char *open = strchr(p, '{');
		if (!open) {
			lc_buf_puts(out, p);
			return;
		}
		lc_buf_append(out, p, (size_t)(open - p));
		const char *close = open + 1;
		while ((*close >= 'a' && *close <= 'z') || (*close >= '0' && *close <= '9') ||
		       *close == '_')
			close++;
		const struct lc_diag_value *value = NULL;
		if (*close == '}' && close > open + 1)
			for (size_t k = 0; k < e->nargs && !value; k++)
				if (strlen(e->args[k].name) == (size_t)(close - open - 1) &&
				    memcmp(e->args[k].name, open + 1, (size_t)(close - open - 1)) ==
				        0)
					value = &e->args[k];
		if (value) {
			const char *said = value->key && lookup ? lookup(ctx, value->value) : NULL;
			/* A key's text is not rendered again: arguments never nest further. */
			lc_buf_puts(out, said ? said : value->value);
			p = close + 1;
		} else {
			lc_buf_putc(out, '{');
			p = open + 1;
		}
	}
}

json_t *lc_diag_args_json(const struct lc_diag_entry *e)
{
	json_t *o = json_object();
	for (size_t k = 0; k < e->nargs; k++) {
		const struct lc_diag_value *v = &e->args[k];
		char *end = NULL;
		long long n = v->number ? strtoll(v->value, &end, 10) : 0;
		json_t *j = !v->number            ? json_string(v->value)
		            : end && *end == '\0' ? json_integer((json_int_t)n)
		                                  : json_real(strtod(v->value, NULL));
		json_object_set_new(o, v->name, j ? j : json_null());
	}
	return o;
}

void lc_diag_format(const struct lc_diag *d, struct lc_buf *out)
{
	for (size_t i = 0; i < d->count; i++) {
		const struct lc_diag_entry *e = &d->items[i];
		if (e->file)
			lc_buf_printf(out, "%s:", e->file);
		if (e->line)
			lc_buf_printf(out, "%ld:", e->line);
		if (e->column)
			lc_buf_printf(out, "%ld:", e->column);
		if (e->file || e->line || e->column)
			lc_buf_putc(out, ' ');
		if (e->field)
			lc_buf_printf(out, "%s: ", e->field);
		lc_buf_printf(out, "%s\n", e->message ? e->message : "");
	}
	if (d->dropped)
		lc_buf_printf(out, "... and %zu more problems\n", d->dropped);
}
