/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Text helpers of the domain layer: the folded search key that makes the
 * directory search case- and accent-insensitive, and the language codes
 * translatable content is resolved with.
 *
 * Translatable fields are stored as a JSON object column {"en": .., "fr": ..}
 * (one key per language, "en" always present); SQL resolves them with
 * coalesce(json_extract(col, ?path), json_extract(col, '$.en')) where path is
 * "$.<lang>" from lc_text_lang_path. This module does no SQL.
 */
#ifndef LC_TEXT_H
#define LC_TEXT_H

#include <stdbool.h>
#include <stddef.h>

struct lc_buf;

/*
 * Appends to out the search key of the UTF-8 text s[0..n): lower case, Latin
 * letters stripped of accents (é → e, ø → o, ß → ss, æ → ae, ł → l ...),
 * apostrophes dropped, every other run of punctuation or spaces made one
 * space, no leading or trailing space. Other scripts are kept as they are;
 * invalid UTF-8 bytes are dropped. "N'Zérékoré" gives "nzerekore",
 * "Sønderborg" gives "sonderborg", "Câmara de Lobos" gives "camara de lobos".
 */
void lc_text_fold(const char *s, size_t n, struct lc_buf *out);

/*
 * Writes the slug for a name into out: the folded key with spaces as hyphens
 * ("Câmara de Lobos" -> "camara-de-lobos"). Non-Latin names may give "".
 */
void lc_text_slug(const char *s, size_t n, struct lc_buf *out);

/* True when s is a language code we resolve: 2 or 3 lower-case ASCII letters. */
bool lc_text_lang_ok(const char *s);
/*
 * The JSON path "$.<lang>" for lang into out[size]; "en" when lang is NULL or
 * not valid (never an error: an unknown language falls back to English).
 * Returns out.
 */
const char *lc_text_lang_path(const char *lang, char *out, size_t size);
/* lang when lc_text_lang_ok, else "en". */
const char *lc_text_lang(const char *lang);

/* True when s is a slug: 1..LC_LIMIT_SLUG_BYTES of [a-z0-9-], no leading/trailing hyphen. */
bool lc_text_slug_ok(const char *s);

#endif
