/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Search keys, slugs and language codes (text.h). The folding table covers
 * Latin-1, Latin Extended-A, the Romanian and Vietnamese letters, and upper
 * case Greek and Cyrillic: enough for the names of the network's cities.
 * Other scripts pass through unchanged. No SQL here.
 */
#include "domain/platform/text.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/limits.h"

struct fold_range {
	uint32_t lo, hi;
	const char *ascii; /* "" drops the character; " " separates words */
};

/* Sorted by lo; characters between ranges that are not listed are kept. */
static const struct fold_range ranges[] = {
    {0x00A0, 0x00A9, " "},  {0x00AA, 0x00AA, "a"},  {0x00AB, 0x00B9, " "},  {0x00BA, 0x00BA, "o"},
    {0x00BB, 0x00BF, " "},  {0x00C0, 0x00C5, "a"},  {0x00C6, 0x00C6, "ae"}, {0x00C7, 0x00C7, "c"},
    {0x00C8, 0x00CB, "e"},  {0x00CC, 0x00CF, "i"},  {0x00D0, 0x00D0, "d"},  {0x00D1, 0x00D1, "n"},
    {0x00D2, 0x00D6, "o"},  {0x00D7, 0x00D7, " "},  {0x00D8, 0x00D8, "o"},  {0x00D9, 0x00DC, "u"},
    {0x00DD, 0x00DD, "y"},  {0x00DE, 0x00DE, "th"}, {0x00DF, 0x00DF, "ss"}, {0x00E0, 0x00E5, "a"},
    {0x00E6, 0x00E6, "ae"}, {0x00E7, 0x00E7, "c"},  {0x00E8, 0x00EB, "e"},  {0x00EC, 0x00EF, "i"},
    {0x00F0, 0x00F0, "d"},  {0x00F1, 0x00F1, "n"},  {0x00F2, 0x00F6, "o"},  {0x00F7, 0x00F7, " "},
    {0x00F8, 0x00F8, "o"},  {0x00F9, 0x00FC, "u"},  {0x00FD, 0x00FD, "y"},  {0x00FE, 0x00FE, "th"},
    {0x00FF, 0x00FF, "y"},  {0x0100, 0x0105, "a"},  {0x0106, 0x010D, "c"},  {0x010E, 0x0111, "d"},
    {0x0112, 0x011B, "e"},  {0x011C, 0x0123, "g"},  {0x0124, 0x0127, "h"},  {0x0128, 0x0131, "i"},
    {0x0132, 0x0133, "ij"}, {0x0134, 0x0135, "j"},  {0x0136, 0x0138, "k"},  {0x0139, 0x0142, "l"},
    {0x0143, 0x014B, "n"},  {0x014C, 0x0151, "o"},  {0x0152, 0x0153, "oe"}, {0x0154, 0x0159, "r"},
    {0x015A, 0x0161, "s"},  {0x0162, 0x0167, "t"},  {0x0168, 0x0173, "u"},  {0x0174, 0x0175, "w"},
    {0x0176, 0x0178, "y"},  {0x0179, 0x017E, "z"},  {0x017F, 0x017F, "s"},  {0x01A0, 0x01A1, "o"},
    {0x01AF, 0x01B0, "u"},  {0x0218, 0x0219, "s"},  {0x021A, 0x021B, "t"},  {0x02BC, 0x02BC, ""},
    {0x0300, 0x036F, ""},   {0x1EA0, 0x1EB7, "a"},  {0x1EB8, 0x1EC7, "e"},  {0x1EC8, 0x1ECB, "i"},
    {0x1ECC, 0x1EE3, "o"},  {0x1EE4, 0x1EF1, "u"},  {0x1EF2, 0x1EF9, "y"},  {0x2000, 0x2017, " "},
    {0x2018, 0x2019, ""},   {0x201A, 0x206F, " "},  {0x3000, 0x3000, " "},
};

static const struct fold_range *find_range(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(ranges) / sizeof(ranges[0]);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < ranges[mid].lo)
			hi = mid;
		else if (cp > ranges[mid].hi)
			lo = mid + 1;
		else
			return &ranges[mid];
	}
	return NULL;
}

/*
 * Decodes one UTF-8 sequence at s[*i..n); advances *i. Returns the code point
 * or UINT32_MAX for an invalid byte (which is skipped).
 */
static uint32_t next_cp(const unsigned char *s, size_t n, size_t *i)
{
	unsigned char c = s[*i];
	size_t len;
	uint32_t cp;
	if (c < 0x80) {
		(*i)++;
		return c;
	} else if ((c & 0xE0) == 0xC0) {
		len = 2;
		cp = c & 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3;
		cp = c & 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4;
		cp = c & 0x07;
	} else {
		(*i)++;
		return UINT32_MAX;
	}
	if (*i + len > n) {
		(*i)++;
		return UINT32_MAX;
	}
	for (size_t k = 1; k < len; k++) {
		if ((s[*i + k] & 0xC0) != 0x80) {
			(*i)++;
			return UINT32_MAX;
		}
		cp = (cp << 6) | (s[*i + k] & 0x3F);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < min_cp[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
		(*i)++;
		return UINT32_MAX;
	}
	*i += len;
	return cp;
}

static void put_cp(struct lc_buf *out, uint32_t cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	lc_buf_append(out, b, n);
}

/* Lower case for the scripts we know: ASCII, Greek, Cyrillic. */
static uint32_t lower_cp(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0x0391 && cp <= 0x03A9 && cp != 0x03A2)
		return cp + 32;
	if (cp >= 0x0410 && cp <= 0x042F)
		return cp + 32;
	if (cp >= 0x0400 && cp <= 0x040F)
		return cp + 80;
	return cp;
}

/* sep is what a separator becomes (' ' or '-'); apostrophes become sep when apos_sep. */
static void fold(const char *s, size_t n, struct lc_buf *out, char sep, int apos_sep)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start = out->len;
	int pending = 0;
	while (i < n) {
		uint32_t cp = next_cp(u, n, &i);
		if (cp == UINT32_MAX)
			continue;
		const char *rep = NULL;
		char one[2] = {0, 0};
		if (cp < 0x80) {
			if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
				one[0] = (char)cp;
				rep = one;
			} else if (cp >= 'A' && cp <= 'Z') {
				one[0] = (char)(cp + 32);
				rep = one;
			} else if (cp == '\'' || cp == '`') {
				rep = apos_sep ? " " : "";
			} else {
				rep = " ";
			}
		} else {
			const struct fold_range *r = find_range(cp);
			if (r) {
				rep = r->ascii;
				if ((cp == 0x2019 || cp == 0x2018 || cp == 0x02BC) && apos_sep)
					rep = " ";
			}
		}
		if (rep && rep[0] == '\0')
			continue;
		if (rep && rep[0] == ' ') {
			pending = 1;
			continue;
		}
		if (pending && out->len > start)
			lc_buf_putc(out, sep);
		pending = 0;
		if (rep)
			lc_buf_puts(out, rep);
		else
			put_cp(out, lower_cp(cp));
	}
}

void lc_text_fold(const char *s, size_t n, struct lc_buf *out)
{
	fold(s, n, out, ' ', 0);
}

void lc_text_slug(const char *s, size_t n, struct lc_buf *out)
{
	size_t start = out->len;
	fold(s, n, out, '-', 1);
	/* Keep only [a-z0-9-]: a slug goes into URLs unescaped. */
	size_t w = start;
	for (size_t r = start; r < out->len; r++) {
		char c = out->data[r];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (c == '-' && w > start && out->data[w - 1] != '-'))
			out->data[w++] = c;
	}
	while (w > start && out->data[w - 1] == '-')
		w--;
	if (out->data) {
		out->len = w;
		out->data[w] = '\0';
	}
}

bool lc_text_lang_ok(const char *s)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	if (n < 2 || n > 3)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return false;
	return true;
}

const char *lc_text_lang(const char *lang)
{
	return lc_text_lang_ok(lang) ? lang : "en";
}

const char *lc_text_lang_path(const char *lang, char *out, size_t size)
{
	snprintf(out, size, "$.%s", lc_text_lang(lang));
	return out;
}

bool lc_text_slug_ok(const char *s)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	if (n < 1 || n > LC_LIMIT_SLUG_BYTES || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}
