/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * libFuzzer target for the upload type check (formats/filetype.h): any
 * bytes are either refused with a reason or given one of the three types,
 * and an accepted file starts with that type's magic bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/filetype.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *type = NULL, *why = NULL;
	if (lc_filetype_sniff(data, size, &type, &why) == 0) {
		if (!type)
			__builtin_trap();
		if (strcmp(type, "application/pdf") == 0 && memcmp(data, "%PDF-", 5) != 0)
			__builtin_trap();
		if (strcmp(type, "image/png") == 0 && data[1] != 'P')
			__builtin_trap();
		if (strcmp(type, "image/jpeg") == 0 && data[0] != 0xFF)
			__builtin_trap();
	} else if (!why || type) {
		__builtin_trap();
	}
	(void)lc_filetype_ext(type);
	return 0;
}
