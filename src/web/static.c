/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Static files of static.h. The index of embedded "static/" files, with
 * their ETags and content types, is built once per process (pthread_once)
 * and never freed: it lives as long as the embedded data it describes.
 */
#include "web/static.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/embedded.h"
#include "base/error.h"
#include "web/http.h"

#define PREFIX     "static/"
#define PREFIX_LEN (sizeof PREFIX - 1)

struct entry {
	const struct lc_embedded_file *file;
	const char *name; /* after "static/" */
	const char *type;
	char etag[LC_STATIC_ETAG_BYTES];
};

static struct entry *entries;
static size_t nentries;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static const struct lc_embedded_file *source = NULL; /* NULL: lc_embedded_files */
static size_t nsource;

const char *lc_static_content_type(const char *name)
{
	static const char *const types[][2] = {
	    {".css", "text/css; charset=utf-8"},
	    {".js", "text/javascript; charset=utf-8"},
	    {".mjs", "text/javascript; charset=utf-8"},
	    {".json", "application/json"},
	    {".svg", "image/svg+xml"},
	    {".png", "image/png"},
	    {".jpg", "image/jpeg"},
	    {".jpeg", "image/jpeg"},
	    {".gif", "image/gif"},
	    {".webp", "image/webp"},
	    {".ico", "image/x-icon"},
	    {".woff2", "font/woff2"},
	    {".woff", "font/woff"},
	    {".txt", "text/plain; charset=utf-8"},
	    {".html", "text/html; charset=utf-8"},
	    {".xml", "application/xml"},
	    {".pdf", "application/pdf"},
	    {".csv", "text/csv; charset=utf-8"},
	    {".yaml", "application/yaml"},
	    {".map", "application/json"},
	};
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		size_t k = strlen(types[i][0]);
		if (n > k && strcmp(name + n - k, types[i][0]) == 0)
			return types[i][1];
	}
	return "application/octet-stream";
}

/* 64-bit FNV-1a: enough to tell versions of our own files apart. */
static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3u;
	}
	return h;
}

void lc_static_make_etag(const unsigned char *data, size_t len, char *out, size_t size)
{
	snprintf(out, size, "\"%016llx-%zx\"", (unsigned long long)fnv1a(data, len), len);
}

static void build_index(void)
{
	if (!source) {
		source = lc_embedded_files;
		nsource = lc_embedded_count;
	}
	entries = lc_xcalloc(nsource + 1, sizeof *entries);
	for (size_t i = 0; i < nsource; i++) {
		const struct lc_embedded_file *f = &source[i];
		if (strncmp(f->name, PREFIX, PREFIX_LEN) != 0)
			continue;
		struct entry *e = &entries[nentries++];
		e->file = f;
		e->name = f->name + PREFIX_LEN;
		e->type = lc_static_content_type(f->name);
		lc_static_make_etag(f->data, f->len, e->etag, sizeof e->etag);
	}
}

static const struct entry *find(const char *name)
{
	pthread_once(&once, build_index);
	if (!name)
		return NULL;
	for (size_t i = 0; i < nentries; i++)
		if (strcmp(entries[i].name, name) == 0)
			return &entries[i];
	return NULL;
}

void lc_static_use_files(const struct lc_embedded_file *files, size_t n)
{
	/* Documented to come before any other call, so nothing reads the index yet. */
	if (entries)
		return;
	source = files;
	nsource = n;
	pthread_once(&once, build_index);
}

const char *lc_static_etag(const char *name)
{
	const struct entry *e = find(name);
	return e ? e->etag : NULL;
}

/* Whether an If-None-Match list ("a", W/"b" or *) names etag (weak comparison, RFC 9110 13.1.2). */
static bool matches(const char *inm, const char *etag)
{
	size_t el = strlen(etag);
	const char *p = inm;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (strncmp(p, etag, el) == 0 && (p[el] == '\0' || p[el] == ',' || p[el] == ' '))
			return true;
		while (*p && *p != ',')
			p++;
	}
	return false;
}

void lc_static_send(struct lc_req *req, struct lc_resp *resp, const struct lc_embedded_file *file,
                    const char *etag, const char *cache_control)
{
	lc_resp_header(resp, "ETag", etag);
	lc_resp_header(resp, "Cache-Control", cache_control);
	const char *inm = lc_req_header(req, "If-None-Match");
	resp->content_type = lc_static_content_type(file->name);
	if (inm && matches(inm, etag)) {
		resp->status = 304;
		return;
	}
	resp->static_body = file->data;
	resp->static_len = file->len;
}

int lc_static_handler(struct lc_req *req, struct lc_resp *resp)
{
	const struct entry *e = find(lc_req_str(req, "file"));
	if (!e)
		return LC_ENOTFOUND;
	lc_static_send(req, resp, e->file, e->etag, "public, max-age=86400");
	return 0;
}
