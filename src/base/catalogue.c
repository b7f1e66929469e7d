/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The message catalogues of catalogue.h. A set owns its catalogues (jansson
 * objects, filled in from "en" at load time) and its language codes; it is
 * read-only once loaded, so threads share it freely.
 */
#include "base/catalogue.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/embedded.h"
#include "base/error.h"

/*
 * Diagnostics lists are optional in this module's API. Its problems are
 * the catalogues' own: when a catalogue cannot be read there is no
 * catalogue to say them from, so they stay English text (and jansson's
 * words as they are).
 */
#define diag_add(d, ...) ((d) ? lc_diag_add_text((d), __VA_ARGS__) : (void)0)

struct lang {
	char *code;  /* owned */
	char *name;  /* owned: the language's name in itself */
	bool rtl;    /* written right to left */
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
		lc_free(i->langs[k].name);
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
		if (src[k].name && !*src[k].name) {
			diag_add(diag, file, 0, 0, NULL, "a language's name is not empty");
			rc = LC_EINVAL;
		}
		i->langs[i->n].code = lc_xstrdup(src[k].lang);
		i->langs[i->n].name = lc_xstrdup(src[k].name ? src[k].name : src[k].lang);
		i->langs[i->n].rtl = src[k].rtl;
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

static const char languages_file[] = "i18n/languages.json";

/* The catalogue file of a language code ("i18n/fr.json"), or NULL. */
static const struct lc_embedded_file *catalogue_file(const struct lc_embedded_file *files, size_t n,
                                                     const char *code)
{
	char name[64];
	snprintf(name, sizeof name, "i18n/%.20s.json", code);
	for (size_t k = 0; k < n; k++)
		if (strcmp(files[k].name, name) == 0)
			return &files[k];
	return NULL;
}

/* Checks one row of languages.json into *src; false (with the problem in diag) when bad. */
static bool read_row(const json_t *row, size_t index, struct lc_catalogue_source *src,
                     struct lc_diag *diag)
{
	char field[32];
	snprintf(field, sizeof field, "[%zu]", index);
	const char *code = json_string_value(json_object_get(row, "code"));
	const char *name = json_string_value(json_object_get(row, "name"));
	const char *dir = json_string_value(json_object_get(row, "dir"));
	if (!json_is_object(row) || json_object_size(row) != 3 || !code || !valid_code(code) ||
	    !name || !*name || !dir || (strcmp(dir, "ltr") != 0 && strcmp(dir, "rtl") != 0)) {
		diag_add(diag, languages_file, 0, 0, field,
		         "a language is {\"code\": 2-8 of [a-z-], \"name\": its name in itself, "
		         "\"dir\": \"ltr\" or \"rtl\"}");
		return false;
	}
	src->lang = code;
	src->name = name;
	src->rtl = strcmp(dir, "rtl") == 0;
	return true;
}

int lc_catalogue_new_files(const struct lc_embedded_file *files, size_t n,
                           struct lc_catalogue **out, struct lc_diag *diag)
{
	int rc = 0;
	json_t *rows = NULL;
	struct lc_catalogue_source *src = NULL;
	*out = NULL;
	const struct lc_embedded_file *lf = NULL;
	for (size_t k = 0; k < n && !lf; k++)
		if (strcmp(files[k].name, languages_file) == 0)
			lf = &files[k];
	if (!lf) {
		diag_add(diag, languages_file, 0, 0, NULL, "the list of languages is missing");
		rc = LC_EINVAL;
		goto out;
	}
	json_error_t jerr;
	rows = json_loadb((const char *)lf->data, lf->len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_array(rows)) {
		diag_add(diag, languages_file, rows ? 1 : jerr.line, rows ? 1 : jerr.column, NULL,
		         "%s", rows ? "the list of languages is a JSON array" : jerr.text);
		rc = LC_EINVAL;
		goto out;
	}
	size_t nrows = json_array_size(rows);
	src = lc_xcalloc(nrows + 1, sizeof *src);
	for (size_t k = 0; k < nrows; k++) {
		if (!read_row(json_array_get(rows, k), k, &src[k], diag)) {
			rc = LC_EINVAL;
			continue;
		}
		const struct lc_embedded_file *f = catalogue_file(files, n, src[k].lang);
		if (!f) {
			diag_add(diag, languages_file, 0, 0, src[k].lang,
			         "this language has no catalogue i18n/%.20s.json", src[k].lang);
			rc = LC_EINVAL;
			continue;
		}
		src[k].json = (const char *)f->data;
		src[k].len = f->len;
	}
	/* A catalogue no row names would be silently unused: say so. */
	for (size_t k = 0; k < n; k++) {
		const char *name = files[k].name;
		size_t len = strlen(name);
		if (strncmp(name, "i18n/", 5) != 0 || len < 10 ||
		    strcmp(name + len - 5, ".json") != 0 || strcmp(name, languages_file) == 0)
			continue;
		bool listed = false;
		for (size_t r = 0; r < nrows && !listed; r++)
			listed = src[r].lang && strlen(src[r].lang) == len - 10 &&
			         strncmp(name + 5, src[r].lang, len - 10) == 0;
		if (!listed) {
			diag_add(diag, name, 0, 0, NULL, "this catalogue has no row in %s",
			         languages_file);
			rc = LC_EINVAL;
		}
	}
	if (!rc)
		rc = lc_catalogue_new(src, nrows, out, diag);
out:
	lc_free(src);
	json_decref(rows);
	return rc;
}

int lc_catalogue_new_embedded(struct lc_catalogue **out, struct lc_diag *diag)
{
	return lc_catalogue_new_files(lc_embedded_files, lc_embedded_count, out, diag);
}

static struct lc_catalogue *shared;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static void load_shared(void)
{
	if (lc_catalogue_new_embedded(&shared, NULL) != 0)
		shared = NULL;
}

const struct lc_catalogue *lc_catalogue_shared(void)
{
	pthread_once(&shared_once, load_shared);
	return shared;
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

const char *lc_catalogue_dir(const struct lc_catalogue *c, const char *lang)
{
	const struct lang *l = find(c, lc_slice_cstr(lang));
	return l && l->rtl ? "rtl" : "ltr";
}

const char *lc_catalogue_name(const struct lc_catalogue *c, const char *lang)
{
	const struct lang *l = find(c, lc_slice_cstr(lang));
	return l ? l->name : NULL;
}

void lc_catalogue_list_codes(const struct lc_catalogue *c, struct lc_buf *out)
{
	for (size_t k = 0; c && k < c->n; k++) {
		if (k)
			lc_buf_puts(out, ", ");
		lc_buf_puts(out, c->langs[k].code);
	}
}
