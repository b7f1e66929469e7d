/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * UTF-8 validation and decoding on slices (RFC 3629): no overlong forms, no
 * surrogates, nothing above U+10FFFF. Used wherever outside text enters:
 * URLs, forms, cookies, templates, imports. Owns nothing.
 */
#ifndef LC_UTF8_H
#define LC_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when the n bytes at s are well-formed UTF-8 (NUL bytes are allowed here). */
bool lc_utf8_valid(const char *s, size_t n);

/*
 * Decodes the code point that starts s (n bytes available) into *cp and
 * returns its length in bytes (1-4), or 0 when the sequence is malformed,
 * truncated or n is 0.
 */
size_t lc_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Writes the UTF-8 form of cp (at most 4 bytes) to out; returns its length, 0 if cp is invalid. */
size_t lc_utf8_encode(uint32_t cp, char out[4]);

#endif
