/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A cache of rendered anonymous responses (pages and API answers), so that a
 * page view that many people share costs a lookup instead of queries and a
 * render. An entry is served only while both hold:
 *   - no write has committed in this process since it was stored (the
 *     caller passes lc_db_write_generation(), which every commit moves), and
 *   - it is younger than the time to live, which bounds how long a change
 *     made by another process (a CLI import beside the server) stays unseen.
 * Keys are opaque bytes (the caller puts in everything the answer depends
 * on: language, path, query). The cache is bounded in bytes; when full it
 * evicts the oldest entries of a shard. Thread-safe (sharded mutexes).
 * It owns copies of what it stores and knows nothing of HTTP or SQLite.
 */
#ifndef LC_PAGECACHE_H
#define LC_PAGECACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lc_buf;
struct lc_pagecache;

/*
 * A cache of at most max_bytes of bodies and keys, whose entries live at
 * most ttl_ms milliseconds. Caller frees with lc_pagecache_free.
 */
struct lc_pagecache *lc_pagecache_new(size_t max_bytes, unsigned ttl_ms);
void lc_pagecache_free(struct lc_pagecache *c);

/*
 * On a fresh entry for key stored at generation gen, appends its body to out,
 * sets *content_type (a static string given to lc_pagecache_put) and returns
 * true. Otherwise returns false and leaves out alone.
 */
bool lc_pagecache_get(struct lc_pagecache *c, const char *key, size_t klen, uint64_t gen,
                      struct lc_buf *out, const char **content_type);
/*
 * Stores a copy of body under key for generation gen, replacing an older
 * entry. content_type must be a string with static lifetime. Bodies larger
 * than a shard's share of the cache are not stored.
 */
void lc_pagecache_put(struct lc_pagecache *c, const char *key, size_t klen, uint64_t gen,
                      const char *content_type, const void *body, size_t len);

/* Counters since creation, for the benchmark and tests. */
struct lc_pagecache_stats {
	uint64_t hits, misses, stores, evictions;
	size_t bytes, entries;
};
void lc_pagecache_stats(struct lc_pagecache *c, struct lc_pagecache_stats *out);

#endif
