/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The library's linked data for the case page (library.c): a case as a
 * schema.org Article in JSON-LD, and that JSON made safe to sit inside a
 * <script type="application/ld+json"> element. The feeds, the sitemap and
 * the OAI-PMH repository are this file's route group (library_feeds.c).
 */
#ifndef LC_ROUTES_LIBRARY_FEEDS_H
#define LC_ROUTES_LIBRARY_FEEDS_H

#include <jansson.h>

struct lc_db;
struct lc_req;

/*
 * The JSON-LD of the case c (lc_library_get's JSON, a published version),
 * with absolute URLs under the site's base URL and the vocabularies named
 * in the request's language; NULL for a withdrawn case or a version never
 * published (nothing to describe to the world). Caller owns the result.
 */
json_t *lc_library_ld(struct lc_req *req, struct lc_db *db, const json_t *c);

/*
 * ld serialised for an HTML script element: every '<', '>' and '&' written
 * as a JSON \u escape, so that no text of a case can close the element or
 * open a comment. In the request's arena; NULL when ld is NULL.
 */
const char *lc_library_ld_script(struct lc_req *req, const json_t *ld);

/* "https://creativecommons.org/licenses/by/4.0/" for "CC-BY-4.0" and its kin, else NULL. */
const char *lc_library_licence_url(const char *spdx);

#endif
