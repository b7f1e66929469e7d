/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Lookup in the table of embedded files. */
#include "base/embedded.h"

#include <string.h>

const struct lc_embedded_file *lc_embedded_find(const char *name)
{
	for (size_t i = 0; i < lc_embedded_count; i++)
		if (strcmp(lc_embedded_files[i].name, name) == 0)
			return &lc_embedded_files[i];
	return NULL;
}
