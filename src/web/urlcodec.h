/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Decoding of what a browser sends besides the body's own format: percent
 * escapes, query strings and application/x-www-form-urlencoded bodies,
 * the Cookie header (RFC 6265) and Accept-Language (RFC 9110 q-values).
 *
 * Everything works on slices and never trusts a NUL terminator. Splitting
 * functions return slices into the input (nothing is copied or decoded);
 * lc_urlcodec_decode makes the decoded copy in an arena, so that a handler
 * only pays for the parameters it declared. Owns nothing.
 */
#ifndef LC_URLCODEC_H
#define LC_URLCODEC_H

#include <stdbool.h>
#include <stddef.h>

#include "base/slice.h"

struct lc_arena;

/* One raw (still encoded) name=value pair of a query string, form body or Cookie header. */
struct lc_urlcodec_pair {
	struct lc_slice name;
	struct lc_slice value; /* empty (ptr may be NULL) for "name" without '=' */
};

/*
 * Percent-decodes s into a NUL-terminated copy in arena a; with plus_as_space
 * (query strings and form bodies), '+' becomes a space. *out gets the decoded
 * text and its length. Returns 0, or LC_EINVAL when an escape is malformed
 * ("%4" or "%zz"), when the result holds a NUL byte or control characters other
 * than TAB, CR and LF, or is not valid UTF-8. *out is untouched on error.
 */
int lc_urlcodec_decode(struct lc_arena *a, struct lc_slice s, bool plus_as_space,
                       struct lc_slice *out);

/*
 * Splits a query string or an x-www-form-urlencoded body ("a=1&b=2" with
 * '&' separators; empty pieces skipped) into at most max raw pairs stored in
 * out, count in *n. Returns 0, or LC_ELIMIT when there are more than max
 * pairs (the first max are stored).
 */
int lc_urlcodec_split_query(struct lc_slice s, struct lc_urlcodec_pair *out, size_t max, size_t *n);

/*
 * Splits a Cookie header ("a=1; b=2") into at most max pairs. Values lose one
 * pair of surrounding double quotes; names and values are trimmed of spaces.
 * Malformed pieces (no '=', empty name) are skipped as RFC 6265 section 5.4
 * asks of user agents. Returns 0, LC_ELIMIT when the header is longer than
 * LC_LIMIT_COOKIE_BYTES (nothing stored) or holds more than max pairs (the
 * first max are stored).
 */
int lc_urlcodec_split_cookies(struct lc_slice header, struct lc_urlcodec_pair *out, size_t max,
                              size_t *n);

/* One language range of Accept-Language with its weight. */
struct lc_urlcodec_lang {
	struct lc_slice tag; /* "fr-CA", "en", "*": as sent */
	int q;               /* weight in thousandths, 0..1000 */
};

/*
 * Parses Accept-Language into at most max ranges sorted by descending q
 * (stable: equal weights keep the sender's order); ranges with q=0 or a
 * malformed tag or weight are dropped. Returns 0 (also when more than max
 * ranges are present: the rest are ignored).
 */
int lc_urlcodec_parse_accept_language(struct lc_slice header, struct lc_urlcodec_lang *out,
                                      size_t max, size_t *n);

/*
 * Picks, from the n supported language codes (lowercase primary tags such as
 * "en", "fr", "pt-br"), the best match for an Accept-Language header: by
 * descending weight, a range matches a code equal to the whole range or to
 * its primary subtag, ignoring case ("fr-CA" matches "fr"); "*" is ignored.
 * Returns the index into supported, or -1.
 */
int lc_urlcodec_pick_language(struct lc_slice header, const char *const *supported, size_t n);

#endif
