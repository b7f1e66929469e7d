/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The search tokenizer "lc": FTS5's unicode61 (case folded, diacritics
 * removed) with what a multilingual library needs on top of it. Each token
 * unicode61 yields is cleaned and then
 *
 *   - loses its combining marks (Arabic harakat, decomposed Latin accents)
 *     and the Arabic tatweel, and has Cyrillic ё folded to е;
 *   - when it holds Chinese, Japanese or Korean characters, is split into
 *     overlapping bigrams of those characters (one character alone stays a
 *     unigram), so that a two-character query finds a longer compound
 *     written without spaces;
 *   - otherwise is stemmed with the Snowball stemmer of the table's
 *     language, the unstemmed word being indexed at the same position so
 *     that prefix queries (FTS5_TOKENIZE_PREFIX, never stemmed) find it.
 *
 * Arguments: one optional language code, "en", "fr", "es", "ru" or "ar"
 * (stemmed), "zh" or "none" (not stemmed); other unicode61 options are not
 * accepted. Example: CREATE VIRTUAL TABLE t USING fts5(x, tokenize='lc fr').
 * A token longer than LC_LIMIT_FTS_TOKEN_BYTES is passed on as unicode61
 * made it.
 */
#ifndef LC_FTS_TOKENIZER_H
#define LC_FTS_TOKENIZER_H

#include <sqlite3.h>

/*
 * Registers the tokenizer "lc" on connection h (FTS5 must be compiled in).
 * Returns 0, or LC_EDB when FTS5 or unicode61 cannot be found.
 */
int lc_fts_register(sqlite3 *h);

#endif
