/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The message catalogues of catalogue.h. A set owns its catalogues (jansson
 * objects, filled in from "en" at load time) and its language codes; it is
 * read-only once loaded, so threads share it freely.
 */
#include "base/catalogue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/embedded.h"
#include "base/error.h"

/* Diagnostics lists are optional in this module's API. */
#define diag_add(d, ...) ((d) ? lc_diag_add_text((d), __VA_ARGS__) : (void)0)

struct lang {
	char *code;  /* owned */
	json_t *cat; /* owned */
};

struct lc_catalogue {
	struct lang *langs; /* "en" first, then sorted by code */
	const char **codes; /* the codes in the same order */
	size_t n;
};

static bool valid_code(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 8 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
			return false;
	return true;
}

static bool valid_key(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

void lc_catalogue_free(struct lc_catalogue *i)
{
	if (!i)
		return;
	for (size_t k = 0; k < i->n; k++) {
		lc_free(i->langs[k].code);
		json_decref(i->langs[k].cat);
	}
	lc_free(i->langs);
	lc_free(i->codes);
	lc_free(i);
}

static int cmp_lang(const void *a, const void *b)
{
	const struct lang *x = a, *y = b;
	bool xe = strcmp(x->code, "en") == 0, ye = strcmp(y->code, "en") == 0;
	if (xe != ye)
		return xe ? -1 : 1;
	return strcmp(x->code, y->code);
}

int lc_catalogue_new(const struct lc_catalogue_source *src, size_t n, struct lc_catalogue **out,
                     struct lc_diag *diag)
{
	struct lc_catalogue *i = lc_xcalloc(1, sizeof *i);
	int rc = 0;
	*out = NULL;
	i->langs = lc_xcalloc(n ? n : 1, sizeof *i->langs);
	for (size_t k = 0; k < n; k++) {
		char file[64];
		snprintf(file, sizeof file, "i18n/%.20s.json", src[k].lang);
		if (!valid_code(src[k].lang)) {
			diag_add(diag, file, 0, 0, NULL, "a language code is 2-8 of [a-z-]");
			rc = LC_EINVAL;
			continue;
		}
		json_error_t err;
		json_t *cat = json_loadb(src[k].json, src[k].len, JSON_REJECT_DUPLICATES, &err);
		if (!cat || !json_is_object(cat)) {
			diag_add(diag, file, cat ? 1 : err.line, cat ? 1 : err.column, NULL, "%s",
			         cat ? "a catalogue is a JSON object" : err.text);
			json_decref(cat);
			rc = LC_EINVAL;
			continue;
		}
		const char *key;
		json_t *v;
		json_object_foreach(cat, key, v)
		{
			if (!valid_key(key) || !json_is_string(v)) {
				diag_add(diag, file, 0, 0, key,
				         "keys are [A-Za-z0-9_-]+ and values strings");
				rc = LC_EINVAL;
			}
		}
		for (size_t j = 0; j < i->n; j++)
			if (strcmp(i->langs[j].code, src[k].lang) == 0) {
				diag_add(diag, file, 0, 0, NULL, "language given twice");
				rc = LC_EINVAL;
			}
		i->langs[i->n].code = lc_xstrdup(src[k].lang);
		i->langs[i->n].cat = cat;
		i->n++;
	}
	qsort(i->langs, i->n, sizeof *i->langs, cmp_lang);
	if (rc == 0 && (i->n == 0 || strcmp(i->langs[0].code, "en") != 0)) {
		diag_add(diag, "i18n/en.json", 0, 0, NULL, "the English catalogue is missing");
		rc = LC_EINVAL;
	}
	if (rc) {
		lc_catalogue_free(i);
		return rc;
	}
	/* Fill every catalogue from English now, so lookups never fall back at run time. */
	for (size_t k = 1; k < i->n; k++)
		json_object_update_missing(i->langs[k].cat, i->langs[0].cat);
	i->codes = lc_xcalloc(i->n, sizeof *i->codes);
	for (size_t k = 0; k < i->n; k++)
		i->codes[k] = i->langs[k].code;
	*out = i;
	return 0;
}

int lc_catalogue_new_embedded(struct lc_catalogue **out, struct lc_diag *diag)
{
	struct lc_catalogue_source *src = lc_xcalloc(lc_embedded_count + 1, sizeof *src);
	char **codes = lc_xcalloc(lc_embedded_count + 1, sizeof *codes);
	size_t n = 0;
	for (size_t k = 0; k < lc_embedded_count; k++) {
		const struct lc_embedded_file *f = &lc_embedded_files[k];
		size_t len = strlen(f->name);
		if (strncmp(f->name, "i18n/", 5) != 0 || len < 10 ||
		    strcmp(f->name + len - 5, ".json") != 0)
			continue;
		codes[n] = lc_xstrndup(f->name + 5, len - 10);
		src[n].lang = codes[n];
		src[n].json = (const char *)f->data;
		src[n].len = f->len;
		n++;
	}
	int rc = lc_catalogue_new(src, n, out, diag);
	for (size_t k = 0; k < n; k++)
		lc_free(codes[k]);
	lc_free(codes);
	lc_free(src);
	return rc;
}

size_t lc_catalogue_count(const struct lc_catalogue *i)
{
	return i ? i->n : 0;
}

const char *const *lc_catalogue_codes(const struct lc_catalogue *c)
{
	return c ? c->codes : NULL;
}

const char *lc_catalogue_lang(const struct lc_catalogue *i, size_t k)
{
	return i && k < i->n ? i->langs[k].code : NULL;
}

static const struct lang *find(const struct lc_catalogue *i, struct lc_slice tag)
{
	if (!i || !tag.ptr)
		return NULL;
	for (size_t k = 0; k < i->n; k++)
		if (lc_slice_eq_nocase(tag, i->langs[k].code))
			return &i->langs[k];
	return NULL;
}

const char *lc_catalogue_supported(const struct lc_catalogue *i, struct lc_slice tag)
{
	const struct lang *l = find(i, tag);
	return l ? l->code : NULL;
}

const json_t *lc_catalogue_strings(const struct lc_catalogue *i, const char *lang)
{
	if (!i)
		return NULL;
	const struct lang *l = find(i, lc_slice_cstr(lang));
	return l ? l->cat : i->langs[0].cat;
}

const char *lc_catalogue_get(const struct lc_catalogue *i, const char *lang, const char *key)
{
	const char *s = json_string_value(json_object_get(lc_catalogue_strings(i, lang), key));
	return s ? s : key;
}

struct said {
	const struct lc_catalogue *c;
	const char *lang;
};

static const char *say(const void *ctx, const char *key)
{
	const struct said *how = ctx;
	return lc_catalogue_get(how->c, how->lang, key);
}

void lc_catalogue_message(const struct lc_catalogue *c, const char *lang,
                          const struct lc_diag_entry *e, struct lc_buf *out)
{
	if (!e->code) {
		lc_buf_puts(out, e->message ? e->message : "");
		return;
	}
	if (!c) {
		lc_buf_puts(out, e->message ? e->message : e->code);
		return;
	}
	struct said how = {c, lang};
	lc_diag_render(lc_catalogue_get(c, lang, e->code), e, say, &how, out);
}

void lc_catalogue_format_diag(const struct lc_catalogue *c, const char *lang,
                              const struct lc_diag *d, struct lc_buf *out)
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
		lc_catalogue_message(c, lang, e, out);
		lc_buf_putc(out, '\n');
	}
	if (d->dropped) {
		struct lc_diag_entry more = {0};
		struct lc_diag_value n = {(char *)"count", NULL, true, false};
		char num[32];
		snprintf(num, sizeof num, "%zu", d->dropped);
		n.value = num;
		more.code = (char *)"diag_more";
		more.args = &n;
		more.nargs = 1;
		lc_catalogue_message(c, lang, &more, out);
		lc_buf_putc(out, '\n');
	}
}

const char *lc_catalogue_dir(const char *lang)
{
	static const char *const rtl[] = {"ar", "he", "fa", "ur"};
	if (!lang)
		return "ltr";
	struct lc_slice primary;
	lc_slice_cut(lc_slice_cstr(lang), '-', &primary);
	for (size_t k = 0; k < sizeof rtl / sizeof rtl[0]; k++)
		if (lc_slice_eq_nocase(primary, rtl[k]))
			return "rtl";
	return "ltr";
}
