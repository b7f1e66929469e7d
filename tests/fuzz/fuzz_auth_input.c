/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * libFuzzer target for the outside input the accounts web layer judges
 * itself, before or beside the domain: the login page's "next" parameter
 * (an open redirect if misjudged), the Origin and Host headers of a form
 * posted without a session (login CSRF), and the time rewriting of pages.
 * The input is split at its first NUL into two strings; each property below
 * must hold for every input.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "web/routes/auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *a = lc_xmalloc(size + 1);
	memcpy(a, data, size);
	a[size] = '\0';
	size_t alen = strlen(a);
	const char *b = alen < size ? a + alen + 1 : "";

	/* A redirect target it accepts stays on this site. */
	if (lc_auth_safe_next(a)) {
		if (a[0] != '/' || a[1] == '/' || a[1] == '\\')
			abort();
		for (const char *p = a; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == '\\')
				abort();
	}

	/* An origin it accepts names exactly the host, after a scheme. */
	if (lc_auth_same_origin(a, b)) {
		const char *p = strstr(a, "://");
		if (!p || p == a || strcmp(p + 3, b) != 0 || !*b)
			abort();
	}

	/* Time rewriting leaves other strings alone and never grows one. */
	json_t *v = json_pack("{s:s%,s:s%,s:[{s:s%}]}", "at", a, alen, "name", a, alen, "items",
	                      "created_at", b, strlen(b));
	if (v) {
		lc_auth_human_times(v);
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *at = json_string_value(json_object_get(v, "at"));
		if (!name || strcmp(name, a) != 0 || !at || strlen(at) > alen)
			abort();
		json_decref(v);
	}
	lc_free(a);
	return 0;
}
