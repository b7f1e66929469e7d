/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The FTS5 tokenizer "lc" (fts_tokenizer.h): unicode61 underneath, then
 * marks removed, ё folded, CJK bigrams and Snowball stems. It owns one
 * Snowball stemmer per tokenizer instance (FTS5 makes one per table and
 * connection, and a connection is used by one thread at a time, which is
 * what the stemmer needs). It knows no table.
 */
#include "db/fts_tokenizer.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <libstemmer.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/utf8.h"

/* unicode61 with every letter, digit and private-use character a token
 * character, as its default, plus the non-spacing marks: Arabic harakat
 * must not cut a word in pieces (we remove them from the token instead). */
static const char *const inner_args[] = {"remove_diacritics", "2", "categories", "L* N* Co Mn"};

struct module {
	fts5_tokenizer inner; /* unicode61's methods */
	void *inner_data;
};

struct tokenizer {
	struct module *mod;      /* borrowed from the registration */
	Fts5Tokenizer *inner;    /* owned: a unicode61 instance */
	struct sb_stemmer *stem; /* owned; NULL: no stemming */
};

struct run {
	struct tokenizer *t;
	void *ctx;
	int flags;
	int (*emit)(void *, int, const char *, int, int, int);
	const char *text; /* the text being tokenized, for offsets */
};

static const struct {
	const char *code;
	const char *algorithm; /* NULL: not stemmed */
} languages[] = {
    {"en", "english"}, {"fr", "french"}, {"es", "spanish"}, {"ru", "russian"},
    {"ar", "arabic"},  {"zh", NULL},     {"none", NULL},
};

/* Marks that carry no meaning for search: combining accents, Cyrillic
 * titlo, Hebrew points, Arabic harakat and Quranic marks, and the tatweel
 * (a stretching stroke). */
static bool dropped(uint32_t c)
{
	return (c >= 0x0300 && c <= 0x036F) || (c >= 0x0483 && c <= 0x0489) ||
	       (c >= 0x0591 && c <= 0x05C7) || (c >= 0x0610 && c <= 0x061A) ||
	       (c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640 ||
	       (c >= 0x06D6 && c <= 0x06DC) || (c >= 0x06DF && c <= 0x06E4) || c == 0x06E7 ||
	       c == 0x06E8 || (c >= 0x06EA && c <= 0x06ED) || (c >= 0x1AB0 && c <= 0x1AFF) ||
	       (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
	       (c >= 0xFE20 && c <= 0xFE2F);
}

/* Scripts written without spaces between words (Han, kana) and Hangul,
 * which is searched the same way. */
static bool cjk(uint32_t c)
{
	return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3100 && c <= 0x312F) ||
	       (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
	       (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0x20000 && c <= 0x3FFFF);
}

/* One word of a non-CJK script: its stem, and the word itself at the same
 * position when indexing (prefix queries look for the word). */
static int emit_word(struct run *r, int tflags, const char *w, int n, int start, int end)
{
	if (n <= 0)
		return SQLITE_OK;
	if (!r->t->stem || (r->flags & FTS5_TOKENIZE_PREFIX))
		return r->emit(r->ctx, tflags, w, n, start, end);
	const sb_symbol *s = sb_stemmer_stem(r->t->stem, (const sb_symbol *)w, n);
	if (!s) /* out of memory inside the stemmer */
		return SQLITE_NOMEM;
	int sn = sb_stemmer_length(r->t->stem);
	int rc = r->emit(r->ctx, tflags, (const char *)s, sn, start, end);
	if (rc == SQLITE_OK && (r->flags & FTS5_TOKENIZE_DOCUMENT) &&
	    (sn != n || memcmp(s, w, (size_t)n) != 0))
		rc = r->emit(r->ctx, FTS5_TOKEN_COLOCATED, w, n, start, end);
	return rc;
}

/* Byte offsets, in the original text, of each CJK character of the token
 * [start, end): unicode61 leaves these characters as they are, so the k-th
 * one of the cleaned token is the k-th one there. Returns their number. */
static int cjk_offsets(const char *text, int start, int end, int *os, int *oe, int max)
{
	int k = 0;
	int i = start;
	while (i < end && k < max) {
		uint32_t c = 0;
		size_t l = lc_utf8_decode(text + i, (size_t)(end - i), &c);
		if (l == 0)
			l = 1;
		if (cjk(c)) {
			os[k] = i;
			oe[k] = i + (int)l;
			k++;
		}
		i += (int)l;
	}
	return k;
}

static int on_token(void *arg, int tflags, const char *tok, int n, int start, int end)
{
	struct run *r = arg;
	if (n > LC_LIMIT_FTS_TOKEN_BYTES)
		return r->emit(r->ctx, tflags, tok, n, start, end);

	char w[LC_LIMIT_FTS_TOKEN_BYTES];
	int wn = 0;
	int ncjk = 0;
	/* Cleaned token, and where each of its characters starts in w. */
	int cs[LC_LIMIT_FTS_TOKEN_BYTES + 1];
	bool cc[LC_LIMIT_FTS_TOKEN_BYTES];
	int nc = 0;
	for (int i = 0; i < n;) {
		uint32_t c = 0;
		size_t l = lc_utf8_decode(tok + i, (size_t)(n - i), &c);
		if (l == 0) { /* unicode61 only yields valid UTF-8; keep the byte */
			cs[nc] = wn;
			cc[nc++] = false;
			w[wn++] = tok[i++];
			continue;
		}
		i += (int)l;
		if (dropped(c))
			continue;
		if (c == 0x0451 || c == 0x0401) /* ё, Ё */
			c = 0x0435;
		char enc[4];
		size_t el = lc_utf8_encode(c, enc);
		cs[nc] = wn;
		cc[nc] = cjk(c);
		ncjk += cc[nc];
		nc++;
		memcpy(w + wn, enc, el); /* el <= l: never longer than the original */
		wn += (int)el;
	}
	cs[nc] = wn;
	if (wn == 0)
		return SQLITE_OK; /* marks alone */
	if (ncjk == 0)
		return emit_word(r, tflags, w, wn, start, end);

	int os[LC_LIMIT_FTS_TOKEN_BYTES], oe[LC_LIMIT_FTS_TOKEN_BYTES];
	int found = cjk_offsets(r->text, start, end, os, oe, LC_LIMIT_FTS_TOKEN_BYTES);
	if (found != ncjk) /* cannot happen with unicode61; index the token whole */
		return emit_word(r, tflags, w, wn, start, end);

	/* Runs of the cleaned token: CJK runs become bigrams, others words. */
	int k = 0; /* CJK characters before character i */
	int rc = SQLITE_OK;
	int first = tflags;
	for (int i = 0; i < nc && rc == SQLITE_OK;) {
		int j = i;
		while (j < nc && cc[j] == cc[i])
			j++;
		if (!cc[i]) {
			int ostart = k == 0 ? start : oe[k - 1];
			int oend = k < ncjk ? os[k] : end;
			rc = emit_word(r, first, w + cs[i], cs[j] - cs[i], ostart, oend);
		} else if (j - i == 1) {
			rc = r->emit(r->ctx, first, w + cs[i], cs[j] - cs[i], os[k], oe[k]);
			k++;
		} else {
			for (int b = i; b + 1 < j && rc == SQLITE_OK; b++, k++) {
				rc = r->emit(r->ctx, first, w + cs[b], cs[b + 2] - cs[b], os[k],
				             oe[k + 1]);
				first = 0;
			}
			k++; /* the run's last character */
		}
		first = 0;
		i = j;
	}
	return rc;
}

/* ---- the FTS5 methods ------------------------------------------------------ */

static void tok_delete(Fts5Tokenizer *p)
{
	struct tokenizer *t = (struct tokenizer *)p;
	if (!t)
		return;
	if (t->inner)
		t->mod->inner.xDelete(t->inner);
	if (t->stem)
		sb_stemmer_delete(t->stem);
	lc_free(t);
}

static int tok_create(void *data, const char **argv, int argc, Fts5Tokenizer **out)
{
	*out = NULL;
	struct module *mod = data;
	const char *algorithm = NULL;
	if (argc > 1)
		return SQLITE_ERROR;
	if (argc == 1) {
		size_t i = 0;
		while (i < sizeof(languages) / sizeof(languages[0]) &&
		       strcmp(languages[i].code, argv[0]) != 0)
			i++;
		if (i == sizeof(languages) / sizeof(languages[0]))
			return SQLITE_ERROR;
		algorithm = languages[i].algorithm;
	}
	struct tokenizer *t = lc_xcalloc(1, sizeof(*t));
	t->mod = mod;
	int rc = mod->inner.xCreate(mod->inner_data, (const char **)inner_args,
	                            (int)(sizeof(inner_args) / sizeof(inner_args[0])), &t->inner);
	if (rc != SQLITE_OK)
		goto out;
	if (algorithm) {
		t->stem = sb_stemmer_new(algorithm, "UTF_8");
		if (!t->stem)
			rc = SQLITE_NOMEM;
	}
out:
	if (rc != SQLITE_OK) {
		tok_delete((Fts5Tokenizer *)t);
		return rc;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
                        int (*emit)(void *, int, const char *, int, int, int))
{
	struct tokenizer *t = (struct tokenizer *)p;
	struct run r = {.t = t, .ctx = ctx, .flags = flags, .emit = emit, .text = text};
	return t->mod->inner.xTokenize(t->inner, &r, flags, text, n, on_token);
}

static fts5_api *fts5_of(sqlite3 *h)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return api;
}

int lc_fts_register(sqlite3 *h)
{
	fts5_api *api = fts5_of(h);
	if (!api || api->iVersion < 2)
		return LC_EDB;
	struct module *mod = lc_xcalloc(1, sizeof(*mod));
	if (api->xFindTokenizer(api, "unicode61", &mod->inner_data, &mod->inner) != SQLITE_OK) {
		lc_free(mod);
		return LC_EDB;
	}
	fts5_tokenizer methods = {tok_create, tok_delete, tok_tokenize};
	/* SQLite calls lc_free on mod when the connection closes, or now on failure. */
	if (api->xCreateTokenizer(api, "lc", mod, &methods, lc_free) != SQLITE_OK)
		return LC_EDB;
	return 0;
}
