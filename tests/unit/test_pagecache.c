/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Tests of web/pagecache.c: hits, generations, time to live, eviction, threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "web/pagecache.h"

static const char *const html = "text/html; charset=utf-8";

static bool get(struct lc_pagecache *c, const char *key, uint64_t gen, char *out, size_t size)
{
	struct lc_buf b;
	lc_buf_init(&b, 1 << 20);
	const char *type = NULL;
	bool hit = lc_pagecache_get(c, key, strlen(key), gen, &b, &type);
	if (hit) {
		assert_ptr_equal(type, html);
		snprintf(out, size, "%s", lc_buf_cstr(&b));
	}
	lc_buf_cleanup(&b);
	return hit;
}

static void put(struct lc_pagecache *c, const char *key, uint64_t gen, const char *body)
{
	lc_pagecache_put(c, key, strlen(key), gen, html, body, strlen(body));
}

static void test_hit_miss_and_generation(void **state)
{
	(void)state;
	struct lc_pagecache *c = lc_pagecache_new(1 << 20, 60000);
	char out[64];
	assert_false(get(c, "en\n/cities", 1, out, sizeof out));
	put(c, "en\n/cities", 1, "<p>cities</p>");
	assert_true(get(c, "en\n/cities", 1, out, sizeof out));
	assert_string_equal(out, "<p>cities</p>");
	/* Another language is another key. */
	assert_false(get(c, "fr\n/cities", 1, out, sizeof out));
	/* A write moved the generation: stale, and dropped. */
	assert_false(get(c, "en\n/cities", 2, out, sizeof out));
	assert_false(get(c, "en\n/cities", 1, out, sizeof out));
	put(c, "en\n/cities", 2, "new");
	put(c, "en\n/cities", 2, "newer");
	assert_true(get(c, "en\n/cities", 2, out, sizeof out));
	assert_string_equal(out, "newer");
	struct lc_pagecache_stats st;
	lc_pagecache_stats(c, &st);
	assert_int_equal(st.entries, 1);
	assert_int_equal(st.hits, 2);
	lc_pagecache_free(c);
	lc_pagecache_free(NULL);
}

static void test_time_to_live(void **state)
{
	(void)state;
	struct lc_pagecache *c = lc_pagecache_new(1 << 20, 30);
	char out[16];
	put(c, "k", 7, "v");
	assert_true(get(c, "k", 7, out, sizeof out));
	struct timespec ts = {0, 60 * 1000 * 1000};
	nanosleep(&ts, NULL);
	assert_false(get(c, "k", 7, out, sizeof out));
	lc_pagecache_free(c);
}

/* Expired pages that nobody asks for again do not stay until their shard is full. */
static void test_expired_swept(void **state)
{
	(void)state;
	struct lc_pagecache *c = lc_pagecache_new(1 << 20, 500);
	char key[32];
	for (int i = 0; i < 200; i++) {
		snprintf(key, sizeof key, "/old/%d", i);
		put(c, key, 1, "an old page");
	}
	struct timespec ts = {0, 600 * 1000 * 1000};
	nanosleep(&ts, NULL);
	for (int i = 0; i < 200; i++) {
		snprintf(key, sizeof key, "/new/%d", i);
		put(c, key, 1, "a new page");
	}
	struct lc_pagecache_stats st;
	lc_pagecache_stats(c, &st);
	assert_int_equal(st.entries, 200);
	lc_pagecache_free(c);
}

static void test_eviction_by_size(void **state)
{
	(void)state;
	/* 16 shards of 1 KiB: a shard holds a few 300-byte bodies at most. */
	struct lc_pagecache *c = lc_pagecache_new(16 * 1024, 60000);
	char body[301];
	memset(body, 'x', 300);
	body[300] = '\0';
	char key[32];
	for (int i = 0; i < 500; i++) {
		snprintf(key, sizeof key, "/page/%d", i);
		put(c, key, 1, body);
	}
	struct lc_pagecache_stats st;
	lc_pagecache_stats(c, &st);
	assert_true(st.bytes <= 16 * 1024);
	assert_true(st.evictions > 0);
	assert_int_equal(st.stores, 500);
	/* The newest entry survives; a body larger than a shard is not stored. */
	char out[400];
	assert_true(get(c, "/page/499", 1, out, sizeof out));
	char big[2048];
	memset(big, 'y', 2047);
	big[2047] = '\0';
	put(c, "big", 1, big);
	assert_false(get(c, "big", 1, out, sizeof out));
	lc_pagecache_free(c);
}

static struct lc_pagecache *shared;

static void *worker(void *arg)
{
	long id = (long)arg;
	char key[32], out[64];
	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof key, "/k/%d", (int)((i * 7 + id) % 300));
		if (!get(shared, key, 1, out, sizeof out))
			put(shared, key, 1, key);
		else
			assert_string_equal(out, key);
	}
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	shared = lc_pagecache_new(64 * 1024, 60000);
	pthread_t t[4];
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	struct lc_pagecache_stats st;
	lc_pagecache_stats(shared, &st);
	assert_int_equal(st.hits + st.misses, 80000);
	lc_pagecache_free(shared);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hit_miss_and_generation),
	    cmocka_unit_test(test_time_to_live),
	    cmocka_unit_test(test_expired_swept),
	    cmocka_unit_test(test_eviction_by_size),
	    cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
