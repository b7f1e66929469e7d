/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Fuzz target for formats/programme_file.c, the programme files that
 * `learncity conference programme import` reads: every input goes through
 * the JSON parser and the CSV parser, and what the CSV parser accepts is
 * written back as CSV (the export's writer) and parsed again.
 */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/limits.h"
#include "formats/programme_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lc_diag d;
	lc_diag_init(&d);
	json_t *doc = NULL;
	if (lc_prog_file_parse_json((const char *)data, size, &doc, &d) == 0)
		json_decref(doc);
	doc = NULL;
	if (lc_prog_file_parse_csv((const char *)data, size, &doc, &d) == 0) {
		json_t *langs = json_pack("[s, s]", "en", "fr");
		struct lc_buf b;
		lc_buf_init(&b, LC_LIMIT_PROG_IMPORT_BYTES);
		json_t *again = NULL;
		if (lc_prog_file_write_csv(doc, langs, &b) == 0 &&
		    lc_prog_file_parse_csv(b.data, b.len, &again, &d) == 0)
			json_decref(again);
		lc_buf_cleanup(&b);
		json_decref(langs);
		json_decref(doc);
	}
	lc_diag_cleanup(&d);
	return 0;
}
