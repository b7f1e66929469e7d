/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * XML for those who follow or crawl the site: an Atom feed (RFC 4287) and
 * a sitemap (sitemaps.org 0.9, with xhtml:link hreflang alternates), from
 * lists of JSON entries a route prepares; and the XML text escaping that
 * every XML writer of formats/ shares. Knows nothing of what the entries
 * are. Owns nothing.
 */
#ifndef LC_ATOM_H
#define LC_ATOM_H

#include <stddef.h>

#include <jansson.h>

struct lc_buf;

/*
 * Appends n bytes of UTF-8 text s escaped for XML character data and
 * attribute values (& < > " '), leaving out what XML 1.0 cannot carry at
 * all (control characters other than TAB, LF and CR; U+FFFE and U+FFFF).
 */
void lc_atom_text(struct lc_buf *b, const char *s, size_t n);

/*
 * The Atom feed of feed:
 * {"id": URI, "title", "lang", "updated": "...Z", "self": URL, "alternate": URL,
 *  "author": NAME,
 *  "entries": [{"id": URI, "title", "lang", "dir"?, "updated": "...Z",
 *               "published": "...Z", "summary"?, "link": URL, "author": NAME,
 *               "rights"?, "categories": [{"term", "label"}]}]}
 * appended to out. 0; LC_EINVAL (a required member is missing), LC_ELIMIT (out full).
 */
int lc_atom_feed(const json_t *feed, struct lc_buf *out);

/*
 * The sitemap of urls: [{"loc": URL, "lastmod": "YYYY-MM-DD"?,
 * "alternates": [{"hreflang", "href"}]?}] appended to out. 0; LC_EINVAL
 * (an entry without loc), LC_ELIMIT (out full).
 */
int lc_atom_sitemap(const json_t *urls, struct lc_buf *out);

#endif
