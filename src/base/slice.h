/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * String slices: a pointer and a length into memory someone else owns.
 * Parsers of outside input work on slices and never rely on a NUL terminator.
 */
#ifndef LC_SLICE_H
#define LC_SLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct lc_slice {
	const char *ptr;
	size_t len;
};

static inline struct lc_slice lc_slice_make(const char *p, size_t n)
{
	struct lc_slice s = {p, n};
	return s;
}

static inline struct lc_slice lc_slice_cstr(const char *s)
{
	return lc_slice_make(s, s ? strlen(s) : 0);
}

/* True when the slice equals the C string s byte for byte. */
bool lc_slice_eq(struct lc_slice a, const char *s);
/* The same, ignoring ASCII case. */
bool lc_slice_eq_nocase(struct lc_slice a, const char *s);
/* Drops ASCII white space at both ends. */
struct lc_slice lc_slice_trim(struct lc_slice a);
/*
 * Splits at the first sep: *head gets what precedes it and the return value
 * what follows. Without sep, *head is the whole slice and the rest is empty
 * with ptr NULL.
 */
struct lc_slice lc_slice_cut(struct lc_slice a, char sep, struct lc_slice *head);
/*
 * Parses a whole slice as a decimal integer in [lo, hi]; 0 or LC_EINVAL.
 * No sign other than a leading '-', no spaces, no trailing bytes.
 */
int lc_slice_to_long(struct lc_slice a, long lo, long hi, long *out);
/*
 * The index of s in the n strings of names (exact match), or -1 when s is
 * NULL or absent: the one lookup behind every enum <-> name table.
 */
long lc_str_index(const char *const *names, size_t n, const char *s);
/* Parses a whole slice as a finite double (strtod syntax, no spaces); 0 or LC_EINVAL. */
int lc_slice_to_double(struct lc_slice a, double *out);

#endif
