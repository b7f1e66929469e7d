/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The one place that calls malloc and free. Out of memory aborts (see alloc.h).
 */
#include "base/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

static void oom(size_t n)
{
	fprintf(stderr, "learncity: out of memory (%zu bytes)\n", n);
	abort();
}

void *lc_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *lc_xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		oom(count * size);
	return p;
}

void *lc_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

void *lc_xreallocarray(void *p, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		oom(SIZE_MAX);
	return lc_xrealloc(p, count * size);
}

char *lc_xstrdup(const char *s)
{
	return lc_xstrndup(s, strlen(s));
}

char *lc_xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = lc_xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void lc_free(void *p)
{
	free(p);
}

void lc_alloc_server_policy(int arenas)
{
#if defined(__GLIBC__)
	if (arenas > 0)
		mallopt(M_ARENA_MAX, arenas);
#else
	(void)arenas;
#endif
}

void lc_alloc_release(void)
{
#if defined(__GLIBC__)
	malloc_trim(0);
#endif
}
