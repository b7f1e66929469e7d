/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The response cache of pagecache.h: 16 shards, each a mutex, a small
 * open hash table of chains, and a FIFO list for eviction by age.
 */
#include "web/pagecache.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/buf.h"

#define SHARDS  16
#define BUCKETS 256 /* per shard; chains stay short for a few thousand pages */

struct entry {
	struct entry *next;          /* in its bucket's chain */
	struct entry *older, *newer; /* in the shard's FIFO */
	uint64_t hash, gen, expires_ms;
	const char *content_type;
	size_t klen, len;
	char *key;  /* owned */
	char *body; /* owned */
};

struct shard {
	pthread_mutex_t lock;
	struct entry *buckets[BUCKETS];
	struct entry *oldest, *newest;
	size_t bytes, entries;
	uint64_t hits, misses, stores, evictions;
};

struct lc_pagecache {
	size_t shard_max; /* bytes per shard */
	unsigned ttl_ms;
	struct shard shards[SHARDS];
};

/* FNV-1a: keys are short and from our own code paths. */
static uint64_t hash_key(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)k[i];
		h *= 1099511628211u;
	}
	return h;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct lc_pagecache *lc_pagecache_new(size_t max_bytes, unsigned ttl_ms)
{
	struct lc_pagecache *c = lc_xcalloc(1, sizeof *c);
	c->shard_max = max_bytes / SHARDS;
	c->ttl_ms = ttl_ms;
	for (int i = 0; i < SHARDS; i++)
		pthread_mutex_init(&c->shards[i].lock, NULL);
	return c;
}

static void entry_free(struct entry *e)
{
	lc_free(e->key);
	lc_free(e->body);
	lc_free(e);
}

void lc_pagecache_free(struct lc_pagecache *c)
{
	if (!c)
		return;
	for (int i = 0; i < SHARDS; i++) {
		struct entry *e = c->shards[i].oldest;
		while (e) {
			struct entry *n = e->newer;
			entry_free(e);
			e = n;
		}
		pthread_mutex_destroy(&c->shards[i].lock);
	}
	lc_free(c);
}

static struct entry **find(struct shard *s, uint64_t h, const char *key, size_t klen)
{
	struct entry **p = &s->buckets[h % BUCKETS];
	while (*p && !((*p)->hash == h && (*p)->klen == klen && memcmp((*p)->key, key, klen) == 0))
		p = &(*p)->next;
	return p;
}

/* Unlinks e (found at *slot in its chain) from the chain and the FIFO, and frees it. */
static void drop(struct shard *s, struct entry **slot, struct entry *e)
{
	*slot = e->next;
	if (e->older)
		e->older->newer = e->newer;
	else
		s->oldest = e->newer;
	if (e->newer)
		e->newer->older = e->older;
	else
		s->newest = e->older;
	s->bytes -= e->klen + e->len;
	s->entries--;
	entry_free(e);
}

bool lc_pagecache_get(struct lc_pagecache *c, const char *key, size_t klen, uint64_t gen,
                      struct lc_buf *out, const char **content_type)
{
	uint64_t h = hash_key(key, klen);
	struct shard *s = &c->shards[h % SHARDS];
	bool hit = false;
	pthread_mutex_lock(&s->lock);
	struct entry **slot = find(s, h, key, klen);
	struct entry *e = *slot;
	if (e && (e->gen != gen || now_ms() >= e->expires_ms)) {
		drop(s, slot, e);
		e = NULL;
	}
	if (e) {
		lc_buf_append(out, e->body, e->len);
		*content_type = e->content_type;
		hit = true;
		s->hits++;
	} else {
		s->misses++;
	}
	pthread_mutex_unlock(&s->lock);
	return hit;
}

void lc_pagecache_put(struct lc_pagecache *c, const char *key, size_t klen, uint64_t gen,
                      const char *content_type, const void *body, size_t len)
{
	if (klen + len > c->shard_max)
		return;
	uint64_t h = hash_key(key, klen);
	struct shard *s = &c->shards[h % SHARDS];
	struct entry *e = lc_xcalloc(1, sizeof *e);
	e->hash = h;
	e->gen = gen;
	e->expires_ms = now_ms() + c->ttl_ms;
	e->content_type = content_type;
	e->klen = klen;
	e->len = len;
	e->key = lc_xmalloc(klen);
	memcpy(e->key, key, klen);
	e->body = lc_xmalloc(len);
	memcpy(e->body, body, len);

	pthread_mutex_lock(&s->lock);
	struct entry **slot = find(s, h, key, klen);
	if (*slot)
		drop(s, slot, *slot);
	/*
	 * Every entry lives ttl_ms, so the FIFO's oldest expire first: sweep them,
	 * or pages nobody asks for again would hold their memory until the shard
	 * is full (a crawler's thousand distinct URLs would fill the cache).
	 */
	uint64_t now = now_ms();
	while (s->oldest && s->oldest->expires_ms <= now) {
		struct entry *old = s->oldest;
		drop(s, find(s, old->hash, old->key, old->klen), old);
	}
	while (s->oldest && s->bytes + klen + len > c->shard_max) {
		struct entry *old = s->oldest;
		drop(s, find(s, old->hash, old->key, old->klen), old);
		s->evictions++;
	}
	e->next = s->buckets[h % BUCKETS];
	s->buckets[h % BUCKETS] = e;
	e->older = s->newest;
	if (s->newest)
		s->newest->newer = e;
	else
		s->oldest = e;
	s->newest = e;
	s->bytes += klen + len;
	s->entries++;
	s->stores++;
	pthread_mutex_unlock(&s->lock);
}

void lc_pagecache_stats(struct lc_pagecache *c, struct lc_pagecache_stats *out)
{
	memset(out, 0, sizeof *out);
	for (int i = 0; i < SHARDS; i++) {
		struct shard *s = &c->shards[i];
		pthread_mutex_lock(&s->lock);
		out->hits += s->hits;
		out->misses += s->misses;
		out->stores += s->stores;
		out->evictions += s->evictions;
		out->bytes += s->bytes;
		out->entries += s->entries;
		pthread_mutex_unlock(&s->lock);
	}
}
