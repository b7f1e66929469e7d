/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Parsed snapshots of released programmes, shared between requests.
 * Released versions never change (programme_versions is append-only), and
 * parsing one is most of the cost of a programme page, so a page parses a
 * snapshot once per process. Entries are matched on the snapshot's full
 * text, never on an id alone, so two databases in one process (the tests)
 * cannot see each other's programmes. Not for other modules.
 */
#ifndef LC_PROGRAMME_CACHE_H
#define LC_PROGRAMME_CACHE_H

#include <stddef.h>

#include <jansson.h>

/*
 * The document of snapshot text[0..n) (a JSON object; an empty object when
 * it is not one), shared: the caller owns a reference and must not change
 * the document (jansson's reference counts are atomic, its reads are safe
 * from many threads). Keeps at most LC_LIMIT_PROG_CACHED_SNAPSHOTS.
 */
json_t *lc_prog_cache_doc(const char *text, size_t n);

struct lc_conf_event;
struct lc_db;

/*
 * lc_prog_released (programme.h) whose "programme" is the shared document
 * of lc_prog_cache_doc: for read-only callers (the pages). Caller owns
 * *out and must not change its "programme".
 */
int lc_prog_released_shared(struct lc_db *db, const struct lc_conf_event *e, const char *name,
                            json_t **out);

#endif
