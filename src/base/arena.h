/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A region allocator: many small allocations freed together. A request owns
 * one; everything it parses, decodes and renders lives there.
 */
#ifndef LC_ARENA_H
#define LC_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct lc_arena;

/* A new, empty arena. Caller frees with lc_arena_free. */
struct lc_arena *lc_arena_new(void);
/* Frees the arena and everything allocated in it. NULL allowed. */
void lc_arena_free(struct lc_arena *a);
/* Frees everything allocated in it but keeps the first block for reuse. */
void lc_arena_reset(struct lc_arena *a);
/* n bytes aligned for any type, valid until the arena is freed or reset. */
void *lc_arena_alloc(struct lc_arena *a, size_t n);
/* As lc_arena_alloc, zero-filled. */
void *lc_arena_calloc(struct lc_arena *a, size_t n);
/* A NUL-terminated copy of n bytes of s (s need not be terminated). */
char *lc_arena_strndup(struct lc_arena *a, const char *s, size_t n);
char *lc_arena_strdup(struct lc_arena *a, const char *s);
char *lc_arena_printf(struct lc_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
