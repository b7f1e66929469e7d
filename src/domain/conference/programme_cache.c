/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Parsed snapshots of released programmes, shared between requests (programme_cache.h). */
#include "domain/conference/programme_cache.h"

#include <pthread.h>
#include <string.h>

#include "base/alloc.h"
#include "base/limits.h"

struct entry {
	char *text; /* owned copy of the snapshot's text */
	size_t n;
	json_t *doc;        /* one reference held by the cache */
	unsigned long used; /* the clock when last found, for replacing the oldest */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct entry cache[LC_LIMIT_PROG_CACHED_SNAPSHOTS];
static unsigned long clock_;

json_t *lc_prog_cache_doc(const char *text, size_t n)
{
	json_t *doc = NULL;
	pthread_mutex_lock(&mu);
	for (size_t i = 0; i < LC_LIMIT_PROG_CACHED_SNAPSHOTS; i++) {
		struct entry *e = &cache[i];
		if (e->doc && e->n == n && memcmp(e->text, text, n) == 0) {
			e->used = ++clock_;
			doc = json_incref(e->doc);
			break;
		}
	}
	pthread_mutex_unlock(&mu);
	if (doc)
		return doc;
	/* Parsed outside the lock: two requests may parse the same text at once;
	   the second one's copy simply replaces another entry. */
	doc = json_loadb(text, n, 0, NULL);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return json_object();
	}
	char *copy = lc_xmalloc(n ? n : 1);
	memcpy(copy, text, n);
	pthread_mutex_lock(&mu);
	struct entry *old = &cache[0];
	for (size_t i = 1; i < LC_LIMIT_PROG_CACHED_SNAPSHOTS; i++)
		if (!cache[i].doc || (old->doc && cache[i].used < old->used))
			old = &cache[i];
	json_t *drop = old->doc;
	char *drop_text = old->text;
	*old = (struct entry){.text = copy, .n = n, .doc = json_incref(doc), .used = ++clock_};
	pthread_mutex_unlock(&mu);
	json_decref(drop);
	lc_free(drop_text);
	return doc;
}
