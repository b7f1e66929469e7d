/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The allocator. Out of memory is not recoverable here: these functions log
 * and abort instead of returning NULL. Sizes that come from outside must be
 * checked against base/limits.h before they reach these functions.
 * Memory from lc_xmalloc and friends is released with lc_free (NULL allowed).
 */
#ifndef LC_ALLOC_H
#define LC_ALLOC_H

#include <stddef.h>

void *lc_xmalloc(size_t n);
void *lc_xcalloc(size_t count, size_t size);
void *lc_xrealloc(void *p, size_t n);
/* Multiplies count * size and aborts on overflow. */
void *lc_xreallocarray(void *p, size_t count, size_t size);
char *lc_xstrdup(const char *s);
/* Copies at most n bytes of s and terminates the copy. */
char *lc_xstrndup(const char *s, size_t n);
void lc_free(void *p);

/*
 * A long-running server's allocator policy. glibc gives each thread that
 * allocates its own arena (up to eight per core) and keeps what is freed in
 * it: a server whose threads take turns building large pages holds the peak
 * of every arena at once, and its resident memory creeps up long after the
 * load has passed. lc_alloc_server_policy caps the arenas at `arenas` (the
 * HTTP threads plus the background ones); lc_alloc_release returns the free
 * pages of every arena to the system, and is called from a background pass.
 * Both do nothing on a C library without these controls.
 */
void lc_alloc_server_policy(int arenas);
void lc_alloc_release(void);

#endif
