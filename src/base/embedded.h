/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Files compiled into the binary by cmake/embed.cmake: templates/, static/,
 * i18n/, data/ and migrations/ (from src/db/migrations), and
 * docs/openapi.json, which the build makes from docs/openapi.yaml. Names are
 * paths relative to the project root, e.g. "templates/layout.mustache".
 */
#ifndef LC_EMBEDDED_H
#define LC_EMBEDDED_H

#include <stddef.h>

struct lc_embedded_file {
	const char *name;
	const unsigned char *data; /* NUL-terminated beyond len */
	size_t len;
};

extern const struct lc_embedded_file lc_embedded_files[]; /* ends with a NULL name */
extern const size_t lc_embedded_count;

/* The embedded file with this name, or NULL. */
const struct lc_embedded_file *lc_embedded_find(const char *name);

#endif
