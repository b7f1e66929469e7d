/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What a file really is, from its bytes: the few document types the product
 * accepts as uploads (a signed pledge: PDF, PNG or JPEG). The name and the
 * Content-Type a client sends say what the client claims; this module says
 * what the content is, by its magic bytes and enough of its structure to
 * refuse a file that only starts like one (an HTML page renamed .pdf, a PNG
 * signature followed by a malformed header, a truncated JPEG). It decodes no
 * image and renders nothing. Pure: no I/O, no allocation; fuzzed.
 */
#ifndef LC_FILETYPE_H
#define LC_FILETYPE_H

#include <stddef.h>

/*
 * Identifies data (n bytes) as one of:
 *   "application/pdf"  "%PDF-1." or "%PDF-2." at the start, "%%EOF" within
 *                      the last 1024 bytes;
 *   "image/png"        the 8-byte signature, an IHDR chunk of length 13 with a
 *                      non-zero width and height, then chunks each within the
 *                      file up to an IEND chunk of length 0;
 *   "image/jpeg"       FF D8 FF at the start and the end-of-image marker FF D9
 *                      at the end (trailing NUL padding allowed).
 * 0 with *type set (a static string); LC_EINVAL with *why (static English
 * text, may be NULL) when it is none of them.
 */
int lc_filetype_sniff(const unsigned char *data, size_t n, const char **type, const char **why);

/* The usual file extension of a type from lc_filetype_sniff ("pdf"), or "bin". */
const char *lc_filetype_ext(const char *type);

#endif
