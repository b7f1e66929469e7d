/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of formats/xlsx.c and formats/xlsx_write.c: a round trip through
 * the writer and the reader (UTF-8, quotes, exact numbers, empty cells,
 * many rows, validation, a hidden meta sheet), hand-made packages built
 * here with libzip (formulas, inline and rich text, sparse sheets, booleans,
 * errors, prefixed namespaces), and hostile ones (DOCTYPE and entities, zip
 * bombs, non-zip input, a zip without a workbook, "..", too many members).
 * Every refusal must name its problem.
 *
 * With LC_XLSX_WRITE_CORPUS=dir set, the packages are also written to dir
 * as the fuzz seed corpus.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zip.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "formats/xlsx.h"
#include "formats/xlsx_write.h"

/* ---- building packages in memory ---- */

struct member {
	const char *name;
	const char *data; /* NUL-terminated */
};

/* When set, members are stored uncompressed (seeds whose XML a fuzzer can mutate). */
static bool g_store;

/* Zips members into out; a member may instead come from a libzip source. */
static void zip_members(const struct member *m, size_t n, zip_source_t *extra,
                        const char *extra_name, struct lc_buf *out)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	zip_source_keep(src);
	zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	for (size_t i = 0; i < n; i++) {
		zip_source_t *s = zip_source_buffer(za, m[i].data, strlen(m[i].data), 0);
		assert_non_null(s);
		zip_int64_t idx = zip_file_add(za, m[i].name, s, ZIP_FL_ENC_UTF_8);
		assert_true(idx >= 0);
		if (g_store)
			zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	}
	if (extra) {
		zip_int64_t idx = zip_file_add(za, extra_name, extra, 0);
		assert_true(idx >= 0);
		zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9);
	}
	assert_int_equal(zip_close(za), 0);
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
	zip_int64_t size = zip_source_tell(src);
	assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
	char *buf = lc_xmalloc((size_t)size);
	assert_int_equal(zip_source_read(src, buf, (zip_uint64_t)size), size);
	zip_source_close(src);
	zip_source_free(src);
	lc_buf_append(out, buf, (size_t)size);
	lc_free(buf);
	zip_error_fini(&ze);
}

/* Writes a package to the seed corpus when LC_XLSX_WRITE_CORPUS names a folder. */
static void corpus(const char *name, const struct lc_buf *b)
{
	const char *dir = getenv("LC_XLSX_WRITE_CORPUS");
	if (!dir)
		return;
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fwrite(b->data, 1, b->len, f);
	fclose(f);
}

static const char RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";

static const char WORKBOOK[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<sheet name=\"meta\" sheetId=\"2\" state=\"hidden\" r:id=\"rId2\"/></sheets></workbook>";

static const char WB_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet2.xml\"/>"
    "<Relationship Id=\"rId3\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/></Relationships>";

#define SHEET_HEAD                                                                                 \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                             \
	"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"          \
	"<sheetData>"
#define SHEET_TAIL "</sheetData></worksheet>"

static const char SST[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"3\" "
    "uniqueCount=\"3\">"
    "<si><t>code</t></si>"
    "<si><r><rPr><b/></rPr><t>Hel</t></r><r><t xml:space=\"preserve\">lo &amp; "
    "w\xC3\xB6rld </t></r><rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si>"
    "<si><t/></si></sst>";

/* A workbook of Data (sheet) and meta (hidden) with the shared strings above. */
static void book(const char *sheet1, struct lc_buf *out)
{
	struct member m[] = {
	    {"_rels/.rels", RELS},
	    {"xl/workbook.xml", WORKBOOK},
	    {"xl/_rels/workbook.xml.rels", WB_RELS},
	    {"xl/sharedStrings.xml", SST},
	    {"xl/worksheets/sheet1.xml", sheet1},
	    {"xl/worksheets/sheet2.xml", SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is>"
	                                            "<t>v1</t></is></c></row>" SHEET_TAIL},
	};
	lc_buf_init(out, 1u << 20);
	zip_members(m, sizeof m / sizeof m[0], NULL, NULL, out);
}

/* Reads the named sheet of a package; returns the error code. */
static int read_book(const struct lc_buf *b, const char *sheet, const struct lc_xlsx_opts *o,
                     struct lc_xlsx_table *t, struct lc_diag *d)
{
	struct lc_xlsx *x;
	lc_xlsx_table_init(t);
	int rc = lc_xlsx_open_mem(&x, b->data, b->len, "up.xlsx", o, d);
	if (rc)
		return rc;
	rc = lc_xlsx_read_sheet(x, sheet, t, d);
	lc_xlsx_free(x);
	return rc;
}

/* Asserts that the diagnostics mention every given phrase. */
static void assert_diag(const struct lc_diag *d, const char *phrase)
{
	struct lc_buf b;
	lc_buf_init(&b, 1u << 16);
	lc_diag_format(d, &b);
	if (!strstr(lc_buf_cstr(&b), phrase))
		fail_msg("diagnostics lack \"%s\":\n%s", phrase, lc_buf_cstr(&b));
	lc_buf_cleanup(&b);
}

/* ---- tests ---- */

static void test_refs(void **state)
{
	(void)state;
	long r, c;
	char out[16];
	assert_int_equal(lc_xlsx_parse_ref(lc_slice_cstr("A1"), &r, &c), 0);
	assert_true(r == 1 && c == 1);
	assert_int_equal(lc_xlsx_parse_ref(lc_slice_cstr("AB12"), &r, &c), 0);
	assert_true(r == 12 && c == 28);
	assert_int_equal(lc_xlsx_parse_ref(lc_slice_cstr("XFD1048576"), &r, &c), 0);
	assert_true(r == 1048576 && c == 16384);
	const char *bad[] = {"",         "A",   "1",   "A0",   "a1",  "XFE1",     "AAAA1",
	                     "A1048577", "A01", "A1 ", "$A$1", "A-1", "A12345678"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(lc_xlsx_parse_ref(lc_slice_cstr(bad[i]), &r, &c), LC_EINVAL);
	assert_string_equal(lc_xlsx_format_ref(7, 2, out), "B7");
	assert_string_equal(lc_xlsx_format_ref(1, 26, out), "Z1");
	assert_string_equal(lc_xlsx_format_ref(1, 27, out), "AA1");
	assert_string_equal(lc_xlsx_format_ref(1048576, 16384, out), "XFD1048576");
	for (long col = 1; col <= 16384; col++) {
		lc_xlsx_format_ref(3, col, out);
		assert_int_equal(lc_xlsx_parse_ref(lc_slice_cstr(out), &r, &c), 0);
		assert_true(r == 3 && c == col);
	}
}

static const double NUMBERS[] = {0.1 + 0.2,
                                 1.0 / 3.0,
                                 0.71,
                                 1e300,
                                 -2.5e-300,
                                 123456789012345678.0,
                                 4.9406564584124654e-324,
                                 0.0,
                                 -1.7976931348623157e308,
                                 2.0 / 3.0 * 100.0};

static void test_round_trip(void **state)
{
	(void)state;
	enum { ROWS = 20000, COLS = 4 };
	static const char *const levels[] = {"0", "1", "2", "3", "4"};
	struct lc_xlsx_wcol cols[COLS] = {
	    {.header = "code", .width = 12},
	    {.header = "label \xE2\x80\x94 libell\xC3\xA9", .width = 40},
	    {.header = "value",
	     .validate = LC_XLSX_VALID_DECIMAL,
	     .min = -1e308,
	     .max = 1e308,
	     .input_title = "Value",
	     .input_message = "A number in the measurement's unit"},
	    {.header = "level",
	     .validate = LC_XLSX_VALID_LIST,
	     .list = levels,
	     .n_list = 5,
	     .input_message = "Maturity 0 to 4"},
	};
	struct lc_xlsx_wcell *cells = lc_xcalloc(ROWS * COLS, sizeof *cells);
	char(*codes)[16] = lc_xcalloc(ROWS, sizeof *codes);
	static const char *const texts[] = {
	    "Z\xC3\xBCrich \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x8C\x8D",
	    "say \"hi\", 'there'",
	    "=1+1",
	    "<&> ]]>",
	    "  spaced  ",
	    "line\nbreak",
	    "@SUM(A1)",
	    "cr\r\nlf\x01end\tx"};
	size_t nt = sizeof texts / sizeof texts[0], nn = sizeof NUMBERS / sizeof NUMBERS[0];
	for (size_t r = 0; r < ROWS; r++) {
		struct lc_xlsx_wcell *row = &cells[r * COLS];
		snprintf(codes[r], sizeof codes[r], "M%zu", r);
		row[0] = (struct lc_xlsx_wcell){LC_XLSX_W_TEXT, codes[r], 0};
		row[1] = (struct lc_xlsx_wcell){LC_XLSX_W_TEXT, texts[r % nt], 0};
		if (r % 5 != 4) /* every fifth value left empty for the city to fill */
			row[2] = (struct lc_xlsx_wcell){LC_XLSX_W_NUMBER, NULL,
			                                r < nn ? NUMBERS[r] : (double)r / 7.0};
		if (r % 3 == 0)
			row[3] = (struct lc_xlsx_wcell){LC_XLSX_W_NUMBER, NULL, (double)(r % 5)};
	}
	struct lc_xlsx_wcol mcols[2] = {{.header = "key"}, {.header = "value"}};
	struct lc_xlsx_wcell mcells[4] = {{LC_XLSX_W_TEXT, "template", 0},
	                                  {LC_XLSX_W_TEXT, "observations/1", 0},
	                                  {LC_XLSX_W_TEXT, "year", 0},
	                                  {LC_XLSX_W_NUMBER, NULL, 2026}};
	struct lc_xlsx_wsheet sheets[2] = {
	    {.name = "Data",
	     .cols = cols,
	     .n_cols = COLS,
	     .cells = cells,
	     .n_rows = ROWS,
	     .header = true},
	    {.name = "meta",
	     .cols = mcols,
	     .n_cols = 2,
	     .cells = mcells,
	     .n_rows = 2,
	     .header = true,
	     .hidden = true,
	     .protect = true},
	};
	struct lc_buf out;
	struct lc_diag d;
	lc_buf_init(&out, 64u << 20);
	lc_diag_init(&d);
	assert_int_equal(lc_xlsx_write(sheets, 2, &out, &d), 0);
	assert_true(out.len > 1000);

	struct lc_xlsx *x;
	assert_int_equal(lc_xlsx_open_mem(&x, out.data, out.len, "t.xlsx", NULL, &d), 0);
	assert_int_equal(lc_xlsx_sheet_count(x), 2);
	assert_string_equal(lc_xlsx_sheet_name(x, 0), "Data");
	assert_string_equal(lc_xlsx_sheet_name(x, 1), "meta");
	assert_false(lc_xlsx_sheet_hidden(x, 0));
	assert_true(lc_xlsx_sheet_hidden(x, 1));
	struct lc_xlsx_table t;
	lc_xlsx_table_init(&t);
	assert_int_equal(lc_xlsx_read_sheet(x, NULL, &t, &d), 0);
	assert_string_equal(t.sheet, "Data");
	assert_int_equal(t.n_rows, ROWS + 1);
	assert_int_equal(t.n_cols, COLS);
	assert_string_equal(lc_xlsx_cstr(&t, 0, 1), cols[1].header);
	assert_int_equal(lc_xlsx_find_col(&t, "value"), 2);
	assert_int_equal(lc_xlsx_find_col(&t, "nope"), -1);
	for (size_t r = 0; r < ROWS; r++) {
		const struct lc_xlsx_wcell *w = &cells[r * COLS];
		assert_string_equal(lc_xlsx_cstr(&t, r + 1, 0), w[0].text);
		assert_string_equal(lc_xlsx_cstr(&t, r + 1, 1), w[1].text);
		assert_int_equal(lc_xlsx_cell(&t, r + 1, 1)->type, LC_XLSX_STRING);
		const struct lc_xlsx_cell *c = lc_xlsx_cell(&t, r + 1, 2);
		assert_false(c->formula);
		if (w[2].kind == LC_XLSX_W_NUMBER) {
			assert_int_equal(c->type, LC_XLSX_NUMBER);
			if (memcmp(&c->num, &w[2].num, sizeof c->num) != 0)
				fail_msg("row %zu: %.17g read back as %.17g (%s)", r, w[2].num,
				         c->num, lc_xlsx_cstr(&t, r + 1, 2));
		} else {
			assert_int_equal(c->type, LC_XLSX_EMPTY);
			assert_string_equal(lc_xlsx_cstr(&t, r + 1, 2), "");
			assert_true(isnan(c->num));
		}
		c = lc_xlsx_cell(&t, r + 1, 3);
		assert_int_equal(c->type, r % 3 == 0 ? LC_XLSX_NUMBER : LC_XLSX_EMPTY);
	}
	/* The number keeps its text: 0.1 + 0.2 needs all 17 digits. */
	assert_string_equal(lc_xlsx_cstr(&t, 1, 2), "0.30000000000000004");
	lc_xlsx_table_cleanup(&t);

	assert_int_equal(lc_xlsx_read_sheet(x, "meta", &t, &d), 0);
	assert_int_equal(t.n_rows, 3);
	assert_string_equal(lc_xlsx_cstr(&t, 1, 1), "observations/1");
	assert_true(lc_xlsx_cell(&t, 2, 1)->num == 2026);
	assert_string_equal(lc_xlsx_cstr(&t, 2, 1), "2026");
	lc_xlsx_table_cleanup(&t);

	assert_int_equal(lc_xlsx_read_sheet(x, "Nope", &t, &d), LC_ENOTFOUND);
	assert_diag(&d, "no sheet named 'Nope'; its sheets are 'Data', 'meta'");
	lc_xlsx_free(x);
	assert_int_equal(lc_diag_total(&d), 1);

	/* The one-call entry point of importers. */
	assert_int_equal(lc_xlsx_read_table(out.data, out.len, "t.xlsx", "meta", &t, &d), 0);
	assert_string_equal(lc_xlsx_cstr(&t, 1, 0), "template");
	lc_xlsx_table_cleanup(&t);

	/* A small template for the seed corpus. */
	sheets[0].n_rows = 12;
	lc_buf_reset(&out);
	assert_int_equal(lc_xlsx_write(sheets, 2, &out, &d), 0);
	assert_true(out.len < 10000);
	corpus("template.xlsx", &out);

	lc_buf_cleanup(&out);
	lc_diag_cleanup(&d);
	lc_free(cells);
	lc_free(codes);
}

static void test_writer_errors(void **state)
{
	(void)state;
	struct lc_xlsx_wcol col = {.header = "x"};
	struct lc_xlsx_wsheet s = {.name = "A", .cols = &col, .n_cols = 1, .header = true};
	struct lc_buf out;
	struct lc_diag d;
	lc_buf_init(&out, 1u << 20);
	lc_diag_init(&d);
	/* Every path must remove the temporary file: write into a folder of our own. */
	char tmp[] = "/tmp/test_xlsx-XXXXXX";
	assert_non_null(mkdtemp(tmp));
	const char *old_tmp = getenv("TMPDIR");
	char *saved = old_tmp ? lc_xstrdup(old_tmp) : NULL;
	setenv("TMPDIR", tmp, 1);

	s.hidden = true;
	assert_int_equal(lc_xlsx_write(&s, 1, &out, &d), LC_EINVAL);
	assert_diag(&d, "first sheet may not be hidden");
	s.hidden = false;

	s.name = "bad/name";
	assert_int_equal(lc_xlsx_write(&s, 1, &out, &d), LC_EINVAL);
	assert_diag(&d, "a sheet name must be");
	s.name = "A";

	char big[300];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	const char *list[] = {big};
	col.validate = LC_XLSX_VALID_LIST;
	col.list = list;
	col.n_list = 1;
	assert_int_equal(lc_xlsx_write(&s, 1, &out, &d), LC_EINVAL);
	assert_diag(&d, "a validation list must hold 1 to 255 bytes");
	col.list = NULL;
	assert_int_equal(lc_xlsx_write(&s, 1, &out, &d), LC_EINVAL);
	assert_diag(&d, "a list without values");
	col.validate = LC_XLSX_VALID_INTEGER;
	col.min = 0;
	col.max = 4;
	col.input_message = "0 to 4";
	assert_int_equal(lc_xlsx_write(&s, 1, &out, &d), 0);

	/* An output buffer too small. */
	struct lc_buf small;
	lc_buf_init(&small, 100);
	assert_int_equal(lc_xlsx_write(&s, 1, &small, &d), LC_ELIMIT);
	lc_buf_cleanup(&small);

	assert_int_equal(lc_xlsx_write(&s, 0, &out, &d), LC_EINVAL);

	DIR *dir = opendir(tmp);
	assert_non_null(dir);
	struct dirent *e;
	while ((e = readdir(dir)) != NULL)
		if (e->d_name[0] != '.')
			fail_msg("temporary file left behind: %s/%s", tmp, e->d_name);
	closedir(dir);
	assert_int_equal(rmdir(tmp), 0);

	/* A folder that cannot hold the temporary file. */
	setenv("TMPDIR", "/nonexistent-dir", 1);
	assert_int_equal(lc_xlsx_write(&s, 1, &out, &d), LC_EIO);
	assert_diag(&d, "cannot create a temporary file in /nonexistent-dir");
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	lc_free(saved);
	lc_buf_cleanup(&out);
	lc_diag_cleanup(&d);
}

static void test_cell_kinds(void **state)
{
	(void)state;
	struct lc_buf b;
	struct lc_diag d;
	struct lc_xlsx_table t;
	lc_diag_init(&d);
	static const char sheet[] = SHEET_HEAD
	    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
	    "<c r=\"C1\" t=\"s\"><v>2</v></c></row>"
	    /* a formula with its cached value; a shared formula without one */
	    "<row r=\"2\"><c r=\"A2\"><f>B2*2</f><v>4</v></c><c r=\"B2\"><v>2</v></c>"
	    "<c r=\"C2\"><f t=\"shared\" si=\"0\"/></c></row>"
	    /* inline rich text with a phonetic run; boolean; error; formula string */
	    "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><r><t>in</t></r><r><t>line</t></r>"
	    "<rPh><t>X</t></rPh></is></c><c r=\"B3\" t=\"b\"><v>1</v></c>"
	    "<c r=\"C3\" t=\"e\"><v>#N/A</v></c><c r=\"D3\" t=\"str\"><f>\"a\"&amp;\"b\"</f>"
	    "<v>ab</v></c></row>"
	    /* a styled cell without value does not count; cells without r follow on */
	    "<row r=\"4\"><c r=\"A4\" s=\"1\"/><c><v>1e-3</v></c><c><v>-0</v></c></row>"
	    "<row><c r=\"E5\"><v>44927</v></c></row>" SHEET_TAIL;
	book(sheet, &b);
	corpus("kinds.xlsx", &b);
	assert_int_equal(read_book(&b, NULL, NULL, &t, &d), 0);
	assert_int_equal(t.n_rows, 5);
	assert_int_equal(t.n_cols, 5);
	assert_string_equal(lc_xlsx_cstr(&t, 0, 0), "code");
	assert_string_equal(lc_xlsx_cstr(&t, 0, 1), "Hello & w\xC3\xB6rld ");
	assert_int_equal(lc_xlsx_cell(&t, 0, 2)->type, LC_XLSX_STRING);
	assert_string_equal(lc_xlsx_cstr(&t, 0, 2), "");

	const struct lc_xlsx_cell *c = lc_xlsx_cell(&t, 1, 0);
	assert_true(c->formula);
	assert_int_equal(c->type, LC_XLSX_NUMBER);
	assert_true(c->num == 4);
	assert_false(lc_xlsx_cell(&t, 1, 1)->formula);
	c = lc_xlsx_cell(&t, 1, 2);
	assert_true(c->formula);
	assert_int_equal(c->type, LC_XLSX_EMPTY);

	assert_string_equal(lc_xlsx_cstr(&t, 2, 0), "inline");
	c = lc_xlsx_cell(&t, 2, 1);
	assert_int_equal(c->type, LC_XLSX_BOOL);
	assert_true(c->num == 1);
	c = lc_xlsx_cell(&t, 2, 2);
	assert_int_equal(c->type, LC_XLSX_ERROR);
	assert_string_equal(lc_xlsx_cstr(&t, 2, 2), "#N/A");
	c = lc_xlsx_cell(&t, 2, 3);
	assert_int_equal(c->type, LC_XLSX_STRING);
	assert_true(c->formula);
	assert_string_equal(lc_xlsx_cstr(&t, 2, 3), "ab");

	assert_int_equal(lc_xlsx_cell(&t, 3, 0)->type, LC_XLSX_EMPTY);
	assert_string_equal(lc_xlsx_cstr(&t, 3, 1), "1e-3");
	assert_true(lc_xlsx_cell(&t, 3, 1)->num == 0.001);
	assert_string_equal(lc_xlsx_cstr(&t, 3, 2), "-0");
	/* A date stays the serial number Excel stores. */
	assert_string_equal(lc_xlsx_cstr(&t, 4, 4), "44927");
	assert_int_equal(lc_xlsx_cell(&t, 4, 0)->type, LC_XLSX_EMPTY);
	lc_xlsx_table_cleanup(&t);

	assert_int_equal(read_book(&b, "meta", NULL, &t, &d), 0);
	assert_string_equal(lc_xlsx_cstr(&t, 0, 0), "v1");
	lc_xlsx_table_cleanup(&t);

	/* ECMA-376 escapes of characters XML cannot carry are decoded, except NUL. */
	lc_buf_cleanup(&b);
	book(SHEET_HEAD "<row><c t=\"inlineStr\"><is><t>a_x000D_b_x005F_x0041_c_x0000_d_x41_"
	                "</t></is></c><c t=\"str\"><v>_xD83D_</v></c></row>" SHEET_TAIL,
	     &b);
	assert_int_equal(read_book(&b, NULL, NULL, &t, &d), 0);
	assert_string_equal(lc_xlsx_cstr(&t, 0, 0), "a\rb_x0041_c_x0000_d_x41_");
	assert_string_equal(lc_xlsx_cstr(&t, 0, 1), "_xD83D_");
	assert_int_equal(lc_xlsx_cell(&t, 0, 0)->len, strlen(lc_xlsx_cstr(&t, 0, 0)));
	lc_xlsx_table_cleanup(&t);

	/* The same package with stored members reads the same. */
	struct lc_buf stored;
	g_store = true;
	book(sheet, &stored);
	g_store = false;
	corpus("kinds-stored.xlsx", &stored);
	assert_int_equal(read_book(&stored, NULL, NULL, &t, &d), 0);
	assert_int_equal(t.n_rows, 5);
	assert_string_equal(lc_xlsx_cstr(&t, 0, 1), "Hello & w\xC3\xB6rld ");
	lc_xlsx_table_cleanup(&t);
	lc_buf_cleanup(&stored);
	assert_int_equal(lc_diag_total(&d), 0);
	lc_buf_cleanup(&b);
	lc_diag_cleanup(&d);
}

static void test_sparse(void **state)
{
	(void)state;
	struct lc_buf b;
	struct lc_diag d;
	struct lc_xlsx_table t;
	lc_diag_init(&d);
	book(SHEET_HEAD "<row r=\"2\"><c r=\"B2\"><v>1</v></c></row>"
	                "<row r=\"7\"><c r=\"D7\" t=\"s\"><v>0</v></c></row>" SHEET_TAIL,
	     &b);
	corpus("sparse.xlsx", &b);
	assert_int_equal(read_book(&b, "Data", NULL, &t, &d), 0);
	assert_int_equal(t.n_rows, 7);
	assert_int_equal(t.n_cols, 4);
	for (size_t r = 0; r < 7; r++)
		for (size_t c = 0; c < 4; c++) {
			bool set = (r == 1 && c == 1) || (r == 6 && c == 3);
			assert_int_equal(lc_xlsx_cell(&t, r, c)->type == LC_XLSX_EMPTY, !set);
		}
	assert_string_equal(lc_xlsx_cstr(&t, 6, 3), "code");
	lc_xlsx_table_cleanup(&t);
	lc_buf_cleanup(&b);

	/* A sheet without values is a table without rows. */
	book(SHEET_HEAD SHEET_TAIL, &b);
	assert_int_equal(read_book(&b, NULL, NULL, &t, &d), 0);
	assert_int_equal(t.n_rows, 0);
	assert_int_equal(lc_xlsx_find_col(&t, "x"), -1);
	lc_xlsx_table_cleanup(&t);
	lc_buf_cleanup(&b);
	lc_diag_cleanup(&d);
}

/* Another producer's style: prefixed elements, an absolute target, no shared strings. */
static void test_other_producer(void **state)
{
	(void)state;
	static const char wb[] =
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	    "<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	    "xmlns:rel=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	    "<x:sheets><x:sheet name=\"Feuille 1\" sheetId=\"1\" rel:id=\"R1\"/>"
	    "</x:sheets></x:workbook>";
	static const char rels[] =
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	    "<Relationship Id=\"R1\" Target=\"/xl/worksheets/../worksheets/s1.xml\" "
	    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	    "worksheet\"/>"
	    "<Relationship Id=\"R9\" Target=\"http://example.org/\" TargetMode=\"External\" "
	    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	    "hyperlink\"/>"
	    "</Relationships>";
	static const char sheet[] =
	    "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
	    "<x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>a</x:t></x:is>"
	    "</x:c><x:c r=\"B1\"><x:v>2.5</x:v></x:c></x:row></x:sheetData></x:worksheet>";
	struct member m[] = {{"xl/workbook.xml", wb},
	                     {"xl/_rels/workbook.xml.rels", rels},
	                     {"xl/worksheets/s1.xml", sheet}};
	struct lc_buf b;
	struct lc_diag d;
	struct lc_xlsx_table t;
	lc_diag_init(&d);
	lc_buf_init(&b, 1u << 20);
	zip_members(m, 3, NULL, NULL, &b);
	corpus("prefixed.xlsx", &b);
	assert_int_equal(read_book(&b, "Feuille 1", NULL, &t, &d), 0);
	assert_string_equal(lc_xlsx_cstr(&t, 0, 0), "a");
	assert_true(lc_xlsx_cell(&t, 0, 1)->num == 2.5);
	lc_xlsx_table_cleanup(&t);
	lc_buf_cleanup(&b);
	lc_diag_cleanup(&d);
}

/* Reads a package expected to fail with code, naming phrase. */
static void refused(const struct lc_buf *b, const char *sheet, const struct lc_xlsx_opts *o,
                    int code, const char *phrase)
{
	struct lc_diag d;
	struct lc_xlsx_table t;
	lc_diag_init(&d);
	assert_int_equal(read_book(b, sheet, o, &t, &d), code);
	assert_int_equal(t.n_rows, 0);
	assert_null(t.cells);
	assert_true(lc_diag_total(&d) >= 1);
	assert_diag(&d, phrase);
	lc_diag_cleanup(&d);
}

static void test_doctype(void **state)
{
	(void)state;
	struct lc_buf b;
	book("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
	     "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>\n" SHEET_HEAD
	     "<row><c t=\"inlineStr\"><is><t>&lol2;</t></is></c></row>" SHEET_TAIL,
	     &b);
	corpus("doctype.xlsx", &b);
	refused(&b, NULL, NULL, LC_EINVAL, "up.xlsx:2:16: xl/worksheets/sheet1.xml: DOCTYPE");
	lc_buf_cleanup(&b);

	/* An external entity in the shared strings is refused before any read. */
	struct member m[] = {
	    {"_rels/.rels", RELS},
	    {"xl/workbook.xml", WORKBOOK},
	    {"xl/_rels/workbook.xml.rels", WB_RELS},
	    {"xl/sharedStrings.xml",
	     "<!DOCTYPE sst [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><sst><si><t>&x;</t></si>"
	     "</sst>"},
	    {"xl/worksheets/sheet1.xml", SHEET_HEAD SHEET_TAIL},
	};
	lc_buf_init(&b, 1u << 20);
	zip_members(m, 5, NULL, NULL, &b);
	refused(&b, NULL, NULL, LC_EINVAL, "xl/sharedStrings.xml: DOCTYPE declarations");
	lc_buf_cleanup(&b);
}

/* A member of many spaces inside a worksheet, produced as libzip asks for it. */
struct bomb {
	size_t size, pos;
};

static zip_int64_t bomb_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct bomb *b = ud;
	static const char head[] = SHEET_HEAD, tail[] = SHEET_TAIL;
	switch (cmd) {
	case ZIP_SOURCE_OPEN: b->pos = 0; return 0;
	case ZIP_SOURCE_READ: {
		size_t n = b->size - b->pos < len ? b->size - b->pos : (size_t)len;
		char *out = data;
		for (size_t i = 0; i < n; i++) {
			size_t at = b->pos + i;
			size_t tail_at = b->size - (sizeof tail - 1);
			out[i] = at < sizeof head - 1 ? head[at]
			         : at >= tail_at      ? tail[at - tail_at]
			                              : ' ';
		}
		b->pos += n;
		return (zip_int64_t)n;
	}
	case ZIP_SOURCE_CLOSE: return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;
		zip_stat_init(st);
		st->size = b->size;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof *st;
	}
	case ZIP_SOURCE_ERROR: return 2 * sizeof(int);
	case ZIP_SOURCE_FREE: return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
		                                      ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
		                                      ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default: return -1;
	}
}

static void bomb_book(size_t size, struct lc_buf *out)
{
	struct member m[] = {
	    {"_rels/.rels", RELS},
	    {"xl/workbook.xml", WORKBOOK},
	    {"xl/_rels/workbook.xml.rels", WB_RELS},
	};
	static struct bomb bomb;
	bomb.size = size;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *s = zip_source_function_create(bomb_cb, &bomb, &ze);
	assert_non_null(s);
	lc_buf_init(out, 64u << 20);
	zip_members(m, 3, s, "xl/worksheets/sheet1.xml", out);
	zip_error_fini(&ze);
}

static long max_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void test_zip_bomb(void **state)
{
	(void)state;
	struct lc_buf b;
	/* A small bomb over a lowered limit. */
	bomb_book(4u << 20, &b);
	corpus("bomb-small.xlsx", &b);
	struct lc_xlsx_opts o = {.max_part = 1u << 20};
	refused(&b, NULL, &o, LC_ELIMIT, "xl/worksheets/sheet1.xml: the part inflates to more");
	struct lc_xlsx_opts o2 = {.max_inflated = 2u << 20};
	refused(&b, NULL, &o2, LC_ELIMIT, "the workbook inflates to more than 2097152 bytes");
	/* Under the default limits it is merely a sheet without values. */
	struct lc_xlsx_table t;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(read_book(&b, NULL, NULL, &t, &d), 0);
	assert_int_equal(t.n_rows, 0);
	lc_xlsx_table_cleanup(&t);
	lc_diag_cleanup(&d);
	lc_buf_cleanup(&b);

	/* A real one: 300 MiB that deflate to well under 1 MiB, read with the defaults. */
	bomb_book(300u << 20, &b);
	print_message("bomb: %zu bytes\n", b.len);
	assert_true(b.len < (1u << 20));
	long before = max_rss_kb();
	refused(&b, NULL, NULL, LC_ELIMIT, "more than 268435456 bytes (a zip bomb?)");
	long grew = max_rss_kb() - before;
	print_message("zip bomb: %zu bytes zipped, peak memory grew %ld KiB to %ld KiB\n", b.len,
	              grew, max_rss_kb());
	assert_true(grew < 16 * 1024);
	lc_buf_cleanup(&b);
}

static void test_not_xlsx(void **state)
{
	(void)state;
	struct lc_buf b;
	lc_buf_init(&b, 1u << 20);
	lc_buf_puts(&b, "code,value\nA,1\n");
	corpus("not-zip.xlsx", &b);
	refused(&b, NULL, NULL, LC_EINVAL, "up.xlsx: not an XLSX file: it is not a zip archive");
	lc_buf_reset(&b);
	lc_buf_puts(&b, "PK\x03\x04 truncated");
	refused(&b, NULL, NULL, LC_EINVAL, "not an XLSX file");
	lc_buf_reset(&b);
	lc_buf_append(&b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", 12);
	refused(&b, NULL, NULL, LC_EINVAL, "password-protected workbook or an old .xls");
	lc_buf_reset(&b);
	refused(&b, NULL, NULL, LC_EINVAL, "not a zip archive");
	lc_buf_cleanup(&b);

	/* A zip that is no workbook. */
	struct member m[] = {{"hello.txt", "hello"}};
	lc_buf_init(&b, 1u << 20);
	zip_members(m, 1, NULL, NULL, &b);
	corpus("no-workbook.xlsx", &b);
	refused(&b, NULL, NULL, LC_EINVAL, "the workbook has no part xl/workbook.xml");
	lc_buf_cleanup(&b);

	/* A workbook without sheets, and one whose sheet points nowhere. */
	struct member m2[] = {{"xl/workbook.xml", "<workbook><sheets/></workbook>"}};
	lc_buf_init(&b, 1u << 20);
	zip_members(m2, 1, NULL, NULL, &b);
	refused(&b, NULL, NULL, LC_EINVAL, "the workbook has no sheets");
	lc_buf_cleanup(&b);
	struct member m3[] = {
	    {"xl/workbook.xml", WORKBOOK},
	    {"xl/_rels/workbook.xml.rels", "<Relationships/>"},
	};
	lc_buf_init(&b, 1u << 20);
	zip_members(m3, 2, NULL, NULL, &b);
	refused(&b, NULL, NULL, LC_EINVAL, "sheet 'Data' refers to relationship 'rId1'");
	lc_buf_cleanup(&b);
	struct member m4[] = {{"xl/workbook.xml", WORKBOOK},
	                      {"xl/_rels/workbook.xml.rels", WB_RELS}};
	lc_buf_init(&b, 1u << 20);
	zip_members(m4, 2, NULL, NULL, &b);
	refused(&b, NULL, NULL, LC_EINVAL, "the workbook has no part xl/worksheets/sheet1.xml");
	lc_buf_cleanup(&b);
}

static void test_hostile_zip(void **state)
{
	(void)state;
	struct lc_buf b;
	struct member m[] = {
	    {"_rels/.rels", RELS},
	    {"xl/workbook.xml", WORKBOOK},
	    {"xl/_rels/workbook.xml.rels", WB_RELS},
	    {"xl/worksheets/../../evil.xml", "x"},
	};
	lc_buf_init(&b, 1u << 20);
	zip_members(m, 4, NULL, NULL, &b);
	corpus("dotdot.xlsx", &b);
	refused(&b, NULL, NULL, LC_EINVAL, "zip member name 'xl/worksheets/../../evil.xml'");
	lc_buf_cleanup(&b);

	/* A relationship climbing out of the package. */
	struct member m2[] = {
	    {"xl/workbook.xml", WORKBOOK},
	    {"xl/_rels/workbook.xml.rels",
	     "<Relationships><Relationship Id=\"rId1\" Target=\"../../etc/passwd\" "
	     "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	     "worksheet\"/></Relationships>"},
	};
	lc_buf_init(&b, 1u << 20);
	zip_members(m2, 2, NULL, NULL, &b);
	refused(&b, NULL, NULL, LC_EINVAL, "sheet 'Data' has a bad part name '../../etc/passwd'");
	lc_buf_cleanup(&b);

	/* Too many members. */
	enum { N = LC_LIMIT_XLSX_MEMBERS + 1 };
	struct member *many = lc_xcalloc(N, sizeof *many);
	char(*names)[32] = lc_xcalloc(N, sizeof *names);
	for (size_t i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "m%zu", i);
		many[i] = (struct member){names[i], ""};
	}
	lc_buf_init(&b, 1u << 20);
	zip_members(many, N, NULL, NULL, &b);
	refused(&b, NULL, NULL, LC_ELIMIT, "more than 1000 members");
	lc_buf_cleanup(&b);
	lc_free(many);
	lc_free(names);
}

static void test_bad_cells(void **state)
{
	(void)state;
	static const struct {
		const char *sheet, *phrase;
		int code;
	} cases[] = {
	    {"<row r=\"3\"><c r=\"B3\"><v>abc</v></c></row>",
	     "sheet 'Data', cell B3: 'abc' is not a number", LC_EINVAL},
	    {"<row><c r=\"A1\" t=\"s\"><v>3</v></c></row>",
	     "cell A1: shared string '3' does not exist", LC_EINVAL},
	    {"<row><c r=\"A1\" t=\"b\"><v>2</v></c></row>", "neither 0 nor 1", LC_EINVAL},
	    {"<row><c r=\"A1\" t=\"zz\"><v>2</v></c></row>", "unknown cell type 'zz'", LC_EINVAL},
	    {"<row><c r=\"A0\"><v>2</v></c></row>", "bad cell reference 'A0'", LC_EINVAL},
	    {"<row r=\"x\"/>", "bad row number 'x'", LC_EINVAL},
	    {"<row><c r=\"A1\"><v>1</v></c><c r=\"A1\"><v>2</v></c></row>", "cell A1: given twice",
	     LC_EINVAL},
	    {"<row><c r=\"A1000001\"><v>1</v></c></row>", "more than 1000000 rows", LC_ELIMIT},
	    {"<row><c r=\"NTQ1\"><v>1</v></c></row>", "more than 10000 columns", LC_ELIMIT},
	    {"<row><c r=\"A1\"><v>1</v></c>", "malformed XML", LC_EINVAL},
	    {"<row><c r=\"J900000\"><v>1</v></c></row>", "spans A1:J900000, more than", LC_ELIMIT},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char xml[1024];
		snprintf(xml, sizeof xml, "%s%s%s", SHEET_HEAD, cases[i].sheet, SHEET_TAIL);
		struct lc_buf b;
		book(xml, &b);
		if (i == 0)
			corpus("bad-number.xlsx", &b);
		refused(&b, NULL, NULL, cases[i].code, cases[i].phrase);
		lc_buf_cleanup(&b);
	}

	/* A cell longer than a CSV field, and more cells than a lowered limit. */
	struct lc_buf big;
	lc_buf_init(&big, 1u << 20);
	lc_buf_puts(&big, SHEET_HEAD "<row><c r=\"A1\" t=\"inlineStr\"><is><t>");
	for (size_t i = 0; i < LC_LIMIT_CSV_FIELD + 1; i++)
		lc_buf_putc(&big, 'x');
	lc_buf_puts(
	    &big, "</t></is></c><c r=\"B1\"><v>1</v></c><c r=\"C1\"><v>1</v></c></row>" SHEET_TAIL);
	struct lc_buf b;
	book(lc_buf_cstr(&big), &b);
	refused(&b, NULL, NULL, LC_ELIMIT, "cell A1: longer than 65536 bytes");
	lc_buf_cleanup(&b);
	book(SHEET_HEAD "<row><c r=\"A1\"><v>1</v></c><c r=\"B1\"><v>1</v></c><c r=\"C1\"><v>1</v>"
	                "</c><c r=\"D1\"><v>1</v></c></row>" SHEET_TAIL,
	     &b);
	struct lc_xlsx_opts o = {.max_cells = 3};
	refused(&b, NULL, &o, LC_ELIMIT, "cell D1: more than 3 cells");
	lc_buf_cleanup(&b);
	lc_buf_cleanup(&big);
}

static void test_open_file(void **state)
{
	(void)state;
	const char *src = getenv("LC_SOURCE_DIR");
	if (!src)
		skip();
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/fuzz/corpus/fuzz_xlsx/template.xlsx", src);
	struct lc_xlsx *x;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_xlsx_open_file(&x, path, NULL, &d), 0);
	struct lc_xlsx_table t;
	assert_int_equal(lc_xlsx_read_sheet(x, "Data", &t, &d), 0);
	assert_string_equal(lc_xlsx_cstr(&t, 0, 0), "code");
	assert_string_equal(lc_xlsx_cstr(&t, 1, 2), "0.30000000000000004");
	lc_xlsx_table_cleanup(&t);
	lc_xlsx_free(x);
	assert_int_equal(lc_xlsx_open_file(&x, "/nonexistent.xlsx", NULL, &d), LC_EIO);
	assert_null(x);
	assert_diag(&d, "/nonexistent.xlsx: cannot open the file");
	lc_diag_cleanup(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    /* First, so that the peak memory it measures is its own. */
	    cmocka_unit_test(test_zip_bomb),       cmocka_unit_test(test_refs),
	    cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_writer_errors),
	    cmocka_unit_test(test_cell_kinds),     cmocka_unit_test(test_sparse),
	    cmocka_unit_test(test_other_producer), cmocka_unit_test(test_doctype),
	    cmocka_unit_test(test_not_xlsx),       cmocka_unit_test(test_hostile_zip),
	    cmocka_unit_test(test_bad_cells),      cmocka_unit_test(test_open_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
