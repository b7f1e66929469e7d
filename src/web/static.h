/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The embedded files under static/ served at /static/<name>, with a
 * Content-Type from the extension, a strong ETag (a hash of the content),
 * Cache-Control: public, max-age=86400, and 304 Not Modified when
 * If-None-Match names the current ETag. Bodies are never copied: they point
 * into the binary. The index is built once per process on first use.
 */
#ifndef LC_STATIC_H
#define LC_STATIC_H

#include <stddef.h>

struct lc_embedded_file;
struct lc_req;
struct lc_resp;

/*
 * A route handler: declare it as
 *   {LC_HTTP_GET, "/static/{file*}", lc_static_handler}
 * It serves the embedded file "static/<file>" or answers 404.
 */
int lc_static_handler(struct lc_req *req, struct lc_resp *resp);

/* The Content-Type for a file name by its extension; "application/octet-stream" if unknown. */
const char *lc_static_content_type(const char *name);

/*
 * The ETag of embedded "static/<name>" (with quotes, e.g. "\"3f2a...\""), for
 * cache-busting links such as /static/app.css?v=...; NULL when absent.
 * Static for the life of the process.
 */
const char *lc_static_etag(const char *name);

/* Bytes an ETag of lc_static_make_etag needs, quotes and NUL included. */
#define LC_STATIC_ETAG_BYTES 48

/*
 * Writes into out (size bytes, at least LC_STATIC_ETAG_BYTES) the strong
 * ETag of the len bytes at data, with its quotes: what static files carry.
 */
void lc_static_make_etag(const unsigned char *data, size_t len, char *out, size_t size);

/*
 * Answers with an embedded file (borrowed: it lives as long as the process)
 * as static files are answered: the Content-Type of its name's extension,
 * the ETag etag (from lc_static_make_etag, borrowed until the response is
 * sent), the given Cache-Control, and 304 Not Modified with no body when
 * If-None-Match names etag. The body points into the binary.
 */
void lc_static_send(struct lc_req *req, struct lc_resp *resp, const struct lc_embedded_file *file,
                    const char *etag, const char *cache_control);

/*
 * Test hook: builds the index from files[0..n) (names "static/...", borrowed
 * for the life of the process) instead of the embedded table. Call it before
 * any other lc_static_* function; later calls do nothing.
 */
void lc_static_use_files(const struct lc_embedded_file *files, size_t n);

#endif
