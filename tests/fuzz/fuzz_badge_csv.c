/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Fuzz target for formats/badge_csv.c, the secretariat's badge spreadsheet:
 * the reader only. Drawing is left to tests/http/badges.test.mjs: cairo and
 * fontconfig keep caches for the life of a process, which a fuzzer's leak
 * check counts against every input.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "formats/badge_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lc_diag d;
	struct lc_badge_csv b;
	lc_diag_init(&d);
	lc_badge_csv_init(&b);
	(void)lc_badge_csv_parse(&b, (const char *)data, size, "badges.csv", &d);
	lc_badge_csv_cleanup(&b);
	lc_diag_cleanup(&d);
	return 0;
}
