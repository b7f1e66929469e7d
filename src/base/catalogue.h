/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Message catalogues: the words of the interface and of every problem a
 * user reads, one flat JSON object (key -> string) per language,
 * i18n/<lang>.json embedded in the binary. The supported languages are the
 * rows of i18n/languages.json (code, name in the language itself, writing
 * direction), each with its catalogue: adding a language is a catalogue
 * and a row, no code. "en" must exist and fills in keys another catalogue lacks (at
 * load time, so lookups never fall through at run time; the catalogue check
 * in the tests keeps the files themselves complete). Keys use letters,
 * digits, '_' and '-' (no dots: templates read them as {{t.key}}).
 *
 * A problem's text (an lc_diag entry's code) places its arguments as
 * {name}; lc_catalogue_message says an entry in a language. Choosing a
 * request's language is the web's (web/i18n.h); the command line's is
 * LANG or --lang.
 */
#ifndef LC_CATALOGUE_H
#define LC_CATALOGUE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/slice.h"

struct lc_buf;
struct lc_catalogue;
struct lc_diag;
struct lc_diag_entry;
struct lc_embedded_file;

/* A catalogue given in memory (tests): its language and JSON text, borrowed during the call. */
struct lc_catalogue_source {
	const char *lang; /* "en", "fr", "pt-br": 2 to 8 of [a-z-] */
	const char *json;
	size_t len;
	const char *name; /* the language's name in itself ("Français"); NULL: the code */
	bool rtl;         /* written right to left (Arabic, Hebrew, ...) */
};

/*
 * Loads n catalogues. A problem (bad JSON, a value that is not a string, a
 * bad key or language code, no "en") goes into diag (may be NULL) and the
 * result is LC_EINVAL with *out NULL. Free with lc_catalogue_free.
 */
int lc_catalogue_new(const struct lc_catalogue_source *src, size_t n, struct lc_catalogue **out,
                     struct lc_diag *diag);
/*
 * Loads the languages of the embedded i18n/languages.json, each from its
 * embedded i18n/<code>.json, as lc_catalogue_new. A row without its
 * catalogue, a catalogue without its row, and a bad row (code, name or
 * dir "ltr"/"rtl" missing or wrong, another key) are problems too.
 */
int lc_catalogue_new_embedded(struct lc_catalogue **out, struct lc_diag *diag);
/* As lc_catalogue_new_embedded over another table of n files (tests). */
int lc_catalogue_new_files(const struct lc_embedded_file *files, size_t n,
                           struct lc_catalogue **out, struct lc_diag *diag);
/*
 * The embedded catalogues, loaded once for the whole process on first use
 * (thread-safe) and never freed: for code that has no set at hand, such as
 * the domain checking a language code. NULL when they do not load.
 */
const struct lc_catalogue *lc_catalogue_shared(void);
void lc_catalogue_free(struct lc_catalogue *c);

/* Number of supported languages, and the code of the k-th (sorted, "en" first). */
size_t lc_catalogue_count(const struct lc_catalogue *c);
const char *lc_catalogue_lang(const struct lc_catalogue *c, size_t k);
/* The codes in the same order (lc_catalogue_count of them). Borrowed. */
const char *const *lc_catalogue_codes(const struct lc_catalogue *c);

/* The supported code equal to tag ignoring case (static for the set's life), or NULL. */
const char *lc_catalogue_supported(const struct lc_catalogue *c, struct lc_slice tag);

/* The strings of lang, missing keys filled from "en"; "en"'s when lang is unknown. Borrowed. */
const json_t *lc_catalogue_strings(const struct lc_catalogue *c, const char *lang);

/* The message key in lang (falling back to "en"), or key itself when no catalogue has it. */
const char *lc_catalogue_get(const struct lc_catalogue *c, const char *lang, const char *key);

/*
 * Appends the entry said in lang: its code's text with the arguments in
 * place, or its message when it has no code (or c is NULL: English).
 */
void lc_catalogue_message(const struct lc_catalogue *c, const char *lang,
                          const struct lc_diag_entry *e, struct lc_buf *out);
/*
 * lc_diag_format in lang: one line per entry, "file:line:column: field:
 * message", then the count of dropped entries.
 */
void lc_catalogue_format_diag(const struct lc_catalogue *c, const char *lang,
                              const struct lc_diag *d, struct lc_buf *out);

/* "rtl" when lang is a supported language written right to left, else "ltr" (c or lang NULL too).
 */
const char *lc_catalogue_dir(const struct lc_catalogue *c, const char *lang);

/* The name of supported language lang in itself ("Français"), or NULL. Borrowed. */
const char *lc_catalogue_name(const struct lc_catalogue *c, const char *lang);

/*
 * Appends the supported codes, separated by ", " ("en, fr"): what a
 * problem with a language code lists as the choices.
 */
void lc_catalogue_list_codes(const struct lc_catalogue *c, struct lc_buf *out);

#endif
