/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Message catalogues of the user interface and of e-mail (below the domain,
 * so that mail is rendered in its reader's language; the choice of a
 * request's language is web/i18n.h).
 *
 * A catalogue is a flat JSON object, key -> string, one per language:
 * i18n/<lang>.json embedded in the binary. Any language present is
 * supported; "en" must exist and fills in keys another catalogue lacks (at
 * load time, so lookups never fall through at run time). Keys use letters,
 * digits, '_' and '-' (no dots: templates read them as {{t.key}}).
 */
#ifndef LC_TEXT_I18N_H
#define LC_TEXT_I18N_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/slice.h"

struct lc_diag;
struct lc_i18n;

/* A catalogue given in memory (tests): lang code and JSON text, borrowed during the call. */
struct lc_i18n_source {
	const char *lang; /* "en", "fr", "pt-br": 2 to 8 of [a-z-] */
	const char *json;
	size_t len;
};

/*
 * Loads n catalogues. A problem (bad JSON, a value that is not a string, a
 * bad key or language code, no "en") goes into diag (may be NULL) and the
 * result is LC_EINVAL with *out NULL. Free with lc_i18n_free.
 */
int lc_i18n_new(const struct lc_i18n_source *src, size_t n, struct lc_i18n **out,
                struct lc_diag *diag);
/* Loads every embedded "i18n/<lang>.json", as lc_i18n_new. */
int lc_i18n_new_embedded(struct lc_i18n **out, struct lc_diag *diag);
void lc_i18n_free(struct lc_i18n *i);

/* Number of supported languages, and the code of the k-th (sorted, "en" first). */
size_t lc_i18n_count(const struct lc_i18n *i);
const char *lc_i18n_lang(const struct lc_i18n *i, size_t k);

/* The supported code equal to tag ignoring case (static for the set's life), or NULL. */
const char *lc_i18n_supported(const struct lc_i18n *i, struct lc_slice tag);

/* The catalogue of lang, missing keys filled from "en"; "en"'s when lang is unknown. Borrowed. */
const json_t *lc_i18n_catalogue(const struct lc_i18n *i, const char *lang);

/* The message key in lang (falling back to "en"), or key itself when no catalogue has it. */
const char *lc_i18n_get(const struct lc_i18n *i, const char *lang, const char *key);

/* "rtl" for Arabic, Hebrew, Persian and Urdu (ar, he, fa, ur and their subtags), else "ltr". */
const char *lc_i18n_dir(const char *lang);

/* The supported codes in lc_i18n_lang's order (lc_i18n_count of them), borrowed. */
const char *const *lc_i18n_codes(const struct lc_i18n *i);

#endif
