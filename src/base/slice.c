/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Slice helpers of slice.h. */
#include "base/slice.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "base/error.h"

bool lc_slice_eq(struct lc_slice a, const char *s)
{
	size_t n = strlen(s);
	return a.len == n && (n == 0 || memcmp(a.ptr, s, n) == 0);
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

bool lc_slice_eq_nocase(struct lc_slice a, const char *s)
{
	size_t n = strlen(s);
	if (a.len != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)a.ptr[i]) != lower((unsigned char)s[i]))
			return false;
	return true;
}

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

struct lc_slice lc_slice_trim(struct lc_slice a)
{
	while (a.len && space(a.ptr[0])) {
		a.ptr++;
		a.len--;
	}
	while (a.len && space(a.ptr[a.len - 1]))
		a.len--;
	return a;
}

struct lc_slice lc_slice_cut(struct lc_slice a, char sep, struct lc_slice *head)
{
	const char *p = a.len ? memchr(a.ptr, sep, a.len) : NULL;
	if (!p) {
		*head = a;
		return lc_slice_make(NULL, 0);
	}
	*head = lc_slice_make(a.ptr, (size_t)(p - a.ptr));
	return lc_slice_make(p + 1, a.len - (size_t)(p - a.ptr) - 1);
}

int lc_slice_to_long(struct lc_slice a, long lo, long hi, long *out)
{
	size_t i = 0;
	bool neg = false;
	long v = 0;
	if (a.len && a.ptr[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == a.len || a.len > 19)
		return LC_EINVAL;
	for (; i < a.len; i++) {
		if (a.ptr[i] < '0' || a.ptr[i] > '9')
			return LC_EINVAL;
		/* 19 digits may pass LONG_MAX: refuse before the overflow, not after. */
		if (v > (LONG_MAX - (a.ptr[i] - '0')) / 10)
			return LC_EINVAL;
		v = v * 10 + (a.ptr[i] - '0');
	}
	if (neg)
		v = -v;
	if (v < lo || v > hi)
		return LC_EINVAL;
	*out = v;
	return 0;
}

int lc_slice_to_double(struct lc_slice a, double *out)
{
	char tmp[64];
	if (a.len == 0 || a.len >= sizeof tmp)
		return LC_EINVAL;
	memcpy(tmp, a.ptr, a.len);
	tmp[a.len] = '\0';
	if (space(tmp[0]))
		return LC_EINVAL;
	char *end;
	double v = strtod(tmp, &end);
	if (end != tmp + a.len || !isfinite(v))
		return LC_EINVAL;
	*out = v;
	return 0;
}

long lc_str_index(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (names[i] && strcmp(s, names[i]) == 0)
			return (long)i;
	return -1;
}
