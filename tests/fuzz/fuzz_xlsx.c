/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Fuzz target for formats/xlsx.c: the input is the bytes of an uploaded
 * workbook (a zip). It is opened with limits lowered so that a run stays
 * fast and small, every sheet is read and every cell's text and type are
 * touched. The seed corpus holds small valid and invalid workbooks, some
 * with stored (uncompressed) members so that mutations reach the XML.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/diag.h"
#include "formats/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lc_diag d;
	struct lc_xlsx *x;
	struct lc_xlsx_opts o = {
	    .max_inflated = 8u << 20, .max_part = 4u << 20, .max_cells = 1u << 16};
	lc_diag_init(&d);
	if (lc_xlsx_open_mem(&x, data, size, "fuzz.xlsx", &o, &d) == 0) {
		for (size_t i = 0; i < lc_xlsx_sheet_count(x); i++) {
			struct lc_xlsx_table t;
			(void)lc_xlsx_sheet_hidden(x, i);
			if (lc_xlsx_read_sheet(x, lc_xlsx_sheet_name(x, i), &t, &d) == 0) {
				size_t sum = 0;
				for (size_t r = 0; r < t.n_rows; r++)
					for (size_t c = 0; c < t.n_cols; c++) {
						const struct lc_xlsx_cell *cell =
						    lc_xlsx_cell(&t, r, c);
						size_t len = strlen(lc_xlsx_cstr(&t, r, c));
						sum += len + cell->type + cell->formula;
						/* XML text holds no NUL: the length is the C
						 * string's. */
						if (len != cell->len)
							__builtin_trap();
					}
				(void)lc_xlsx_find_col(&t, "code");
				(void)sum;
			}
			lc_xlsx_table_cleanup(&t);
		}
		lc_xlsx_free(x);
	}
	lc_diag_cleanup(&d);
	return 0;
}
