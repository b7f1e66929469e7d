/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The region allocator of arena.h: a list of blocks, bump allocation. */
#include "base/arena.h"

#include <stdalign.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"

#define BLOCK_SIZE (16u << 10)

struct block {
	struct block *next;
	size_t size, used;
	alignas(max_align_t) unsigned char data[];
};

struct lc_arena {
	struct block *head;
};

static struct block *block_new(size_t size)
{
	struct block *b = lc_xmalloc(sizeof *b + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct lc_arena *lc_arena_new(void)
{
	struct lc_arena *a = lc_xmalloc(sizeof *a);
	a->head = block_new(BLOCK_SIZE);
	return a;
}

static void free_blocks(struct block *b)
{
	while (b) {
		struct block *next = b->next;
		lc_free(b);
		b = next;
	}
}

void lc_arena_free(struct lc_arena *a)
{
	if (!a)
		return;
	free_blocks(a->head);
	lc_free(a);
}

void lc_arena_reset(struct lc_arena *a)
{
	/* Keep the oldest block (last in the list): it has the standard size. */
	struct block *b = a->head, *keep = NULL;
	while (b) {
		struct block *next = b->next;
		if (!next && b->size == BLOCK_SIZE)
			keep = b;
		else
			lc_free(b);
		b = next;
	}
	if (!keep)
		keep = block_new(BLOCK_SIZE);
	keep->used = 0;
	a->head = keep;
}

void *lc_arena_alloc(struct lc_arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	n = (n + align - 1) & ~(align - 1);
	struct block *b = a->head;
	if (b->size - b->used < n) {
		if (n > BLOCK_SIZE / 4) {
			/* A large object gets its own block behind the current one. */
			struct block *big = block_new(n);
			big->next = b->next;
			b->next = big;
			big->used = n;
			return big->data;
		}
		b = block_new(BLOCK_SIZE);
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += n;
	return p;
}

void *lc_arena_calloc(struct lc_arena *a, size_t n)
{
	void *p = lc_arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

char *lc_arena_strndup(struct lc_arena *a, const char *s, size_t n)
{
	char *p = lc_arena_alloc(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *lc_arena_strdup(struct lc_arena *a, const char *s)
{
	return lc_arena_strndup(a, s, strlen(s));
}

char *lc_arena_printf(struct lc_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return lc_arena_strdup(a, "");
	char *p = lc_arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
