/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * multipart/form-data (RFC 7578 over RFC 2046) parsed from a complete body
 * buffer: the way browsers upload files. The server collects a request body
 * whole (bounded by the route's max_body), so a parser over one buffer is all
 * we need, and unlike libmicrohttpd's MHD_PostProcessor (which wants a live
 * connection and callbacks) it can be unit-tested and fuzzed.
 *
 * Parts are returned in the order sent. Names, file names and part content
 * types are NUL-terminated copies in the caller's arena; a part's data is a
 * slice of the body, not copied. Repeated names are allowed (several files
 * in one field). Transfer encodings (deprecated by RFC 7578) are ignored:
 * data is taken as sent. Owns nothing beyond what it puts in the arena.
 */
#ifndef LC_MULTIPART_H
#define LC_MULTIPART_H

#include <stddef.h>

#include "base/slice.h"

struct lc_arena;
struct lc_diag;

struct lc_multipart_part {
	const char *name;         /* Content-Disposition name: valid UTF-8, no NUL, not empty */
	const char *filename;     /* Content-Disposition filename as sent (UTF-8, no NUL, may
	                             hold a path: never use it as one), or NULL for a plain field */
	const char *content_type; /* the part's Content-Type as sent, or NULL when absent */
	const char *data;         /* borrowed from the body; not NUL-terminated */
	size_t len;
};

/*
 * Finds the boundary in a Content-Type header value ("multipart/form-data;
 * boundary=xyz", the parameter quoted or not, names case-insensitive).
 * *boundary gets a slice of content_type, or of a copy in arena a when the
 * value used quoted-pair escapes. Returns 0, or LC_EINVAL (with a sentence in
 * d, which may be NULL) when the media type is not multipart/form-data or the
 * boundary is missing, repeated, empty, longer than 70 bytes or holds
 * characters RFC 2046 does not allow.
 */
int lc_multipart_boundary(const char *content_type, struct lc_arena *a, struct lc_slice *boundary,
                          struct lc_diag *d);

/*
 * Parses body (len bytes, need not be NUL-terminated) sent with the given
 * Content-Type header value. *parts gets an array of *nparts parts in arena a
 * (NULL and 0 for a body with no parts). Returns 0, or with one sentence in d
 * (which may be NULL):
 *   LC_EINVAL  the Content-Type is not multipart/form-data with a boundary, the
 *              body has no opening or closing delimiter, a part has no
 *              Content-Disposition "form-data" with a name, a header is
 *              malformed, or a name or file name is not UTF-8 or holds NUL
 *   LC_ELIMIT  more than LC_LIMIT_MULTIPART_PARTS parts, a part's header block
 *              longer than LC_LIMIT_MULTIPART_HEADER, or a name or file name
 *              longer than LC_LIMIT_MULTIPART_NAME
 * On error *parts and *nparts are NULL and 0. What precedes the first
 * delimiter (preamble) and follows the last (epilogue) is ignored.
 */
int lc_multipart_parse(const char *content_type, const char *body, size_t len, struct lc_arena *a,
                       struct lc_multipart_part **parts, size_t *nparts, struct lc_diag *d);

/* The first part named name, or NULL. */
const struct lc_multipart_part *lc_multipart_find(const struct lc_multipart_part *parts, size_t n,
                                                  const char *name);

/*
 * The data of the first plain (non-file) field named name as a NUL-terminated
 * copy in arena a, or NULL when there is none or its data is not UTF-8 or
 * holds a NUL byte: for small fields such as a CSRF token.
 */
const char *lc_multipart_text(const struct lc_multipart_part *parts, size_t n, const char *name,
                              struct lc_arena *a);

#endif
