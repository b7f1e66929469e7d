/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Fuzz target for formats/badge_csv.c, the secretariat's badge spreadsheet.
 * A file that loads is drawn too (its first badge, alone), so the PDF
 * writer sees every text and colour the reader lets through.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/diag.h"
#include "formats/badge_csv.h"
#include "formats/badge_pdf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lc_diag d;
	struct lc_badge_csv b;
	lc_diag_init(&d);
	lc_badge_csv_init(&b);
	if (lc_badge_csv_parse(&b, (const char *)data, size, "badges.csv", &d) == 0) {
		struct lc_buf out;
		lc_buf_init(&out, 8u << 20);
		(void)lc_badge_pdf(b.badges, 1, true, &out);
		lc_buf_cleanup(&out);
	}
	lc_badge_csv_cleanup(&b);
	lc_diag_cleanup(&d);
	return 0;
}
