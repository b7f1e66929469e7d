/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Fuzz target for formats/xlsx.c. The input is the bytes of an uploaded
 * workbook (a zip), opened with limits lowered so that a run stays fast and
 * small; every sheet is read and every cell's text and type are touched.
 *
 * Mutated zips mostly fail their CRCs, so an input that starts with '<' is
 * taken as XML instead: the part before a line "====" becomes the first
 * worksheet and the part after it the shared strings of a fixed workbook,
 * zipped here uncompressed. That lets mutations reach the XML handlers.
 * The seed corpus holds small valid and invalid workbooks and XML seeds.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <zip.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "formats/xlsx.h"

static const char RELS[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";
static const char WORKBOOK[] =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char WB_RELS[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/></Relationships>";

static void add(zip_t *za, const char *name, const void *p, size_t n)
{
	zip_source_t *s = zip_source_buffer(za, p, n, 0);
	zip_int64_t i = s ? zip_file_add(za, name, s, 0) : -1;
	if (i < 0) {
		zip_source_free(s);
		return;
	}
	zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0);
}

/* Zips sheet and shared strings XML into a workbook; caller frees with lc_free. */
static char *wrap(const char *xml, size_t size, size_t *len)
{
	const char *sep = NULL;
	for (size_t i = 0; i + 6 <= size && !sep; i++)
		if (memcmp(xml + i, "\n====\n", 6) == 0)
			sep = xml + i;
	size_t sheet_len = sep ? (size_t)(sep - xml) : size;
	zip_error_t ze;
	zip_error_init(&ze);
	char *out = NULL;
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_source_keep(src);
	zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (!za)
		goto out;
	add(za, "_rels/.rels", RELS, sizeof RELS - 1);
	add(za, "xl/workbook.xml", WORKBOOK, sizeof WORKBOOK - 1);
	add(za, "xl/_rels/workbook.xml.rels", WB_RELS, sizeof WB_RELS - 1);
	add(za, "xl/worksheets/sheet1.xml", xml, sheet_len);
	if (sep)
		add(za, "xl/sharedStrings.xml", sep + 6, size - sheet_len - 6);
	if (zip_close(za) < 0) {
		zip_discard(za);
		goto out;
	}
	if (zip_source_open(src) < 0)
		goto out;
	zip_source_seek(src, 0, SEEK_END);
	zip_int64_t n = zip_source_tell(src);
	zip_source_seek(src, 0, SEEK_SET);
	if (n > 0) {
		out = lc_xmalloc((size_t)n);
		if (zip_source_read(src, out, (zip_uint64_t)n) != n) {
			lc_free(out);
			out = NULL;
		}
		*len = (size_t)n;
	}
	zip_source_close(src);
out:
	zip_source_free(src);
	zip_error_fini(&ze);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lc_diag d;
	struct lc_xlsx *x;
	struct lc_xlsx_opts o = {
	    .max_inflated = 8u << 20, .max_part = 4u << 20, .max_cells = 1u << 16};
	char *wrapped = NULL;
	if (size > 0 && data[0] == '<') {
		wrapped = wrap((const char *)data, size, &size);
		if (!wrapped)
			return 0;
		data = (const uint8_t *)wrapped;
	}
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
	lc_free(wrapped);
	return 0;
}
