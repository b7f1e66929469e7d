/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Tests of web/multipart.c: boundaries, parts, names, file names, limits and malformed bodies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "web/multipart.h"

#define CT "multipart/form-data; boundary=XyZ"

static int parse(struct lc_arena *a, const char *ct, const char *body, struct lc_multipart_part **p,
                 size_t *n, struct lc_diag *d)
{
	return lc_multipart_parse(ct, body, strlen(body), a, p, n, d);
}

static bool data_is(const struct lc_multipart_part *p, const char *s)
{
	return p->len == strlen(s) && memcmp(p->data, s, p->len) == 0;
}

static void test_boundary(void **state)
{
	(void)state;
	struct lc_arena *a = lc_arena_new();
	struct lc_slice b;
	assert_int_equal(lc_multipart_boundary(CT, a, &b, NULL), 0);
	assert_true(lc_slice_eq(b, "XyZ"));
	assert_int_equal(lc_multipart_boundary("Multipart/Form-Data ; charset=utf-8 ;BOUNDARY = "
	                                       "\"a b:c\" ;",
	                                       a, &b, NULL),
	                 0);
	assert_true(lc_slice_eq(b, "a b:c"));
	assert_int_equal(
	    lc_multipart_boundary("multipart/form-data; boundary=\"q\\\"\\x\"", a, &b, NULL),
	    LC_EINVAL); /* '"' is not a boundary character */
	assert_int_equal(
	    lc_multipart_boundary("multipart/form-data; boundary=\"a\\b\"", a, &b, NULL), 0);
	assert_true(lc_slice_eq(b, "ab"));
	struct lc_diag d;
	lc_diag_init(&d);
	const char *bad[] = {
	    NULL,
	    "",
	    "text/plain; boundary=x",
	    "multipart/mixed; boundary=x",
	    "multipart/form-data",
	    "multipart/form-data; boundary=",
	    "multipart/form-data; boundary=\"\"",
	    "multipart/form-data; boundary=\"ends \"",
	    "multipart/form-data; boundary=a; boundary=b",
	    "multipart/form-data; boundary=\"unterminated",
	    "multipart/form-data; =x; boundary=a",
	    "multipart/form-data boundary=a",
	    "multipart/form-data; boundary=a{b",
	    "multipart/form-data; boundary=0123456789012345678901234567890123456789012345678901234"
	    "5678901234567890",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(lc_multipart_boundary(bad[i], a, &b, &d), LC_EINVAL);
	assert_int_equal(d.count, sizeof bad / sizeof bad[0]);
	lc_diag_cleanup(&d);
	/* 70 characters is the longest allowed. */
	assert_int_equal(
	    lc_multipart_boundary("multipart/form-data; boundary=012345678901234567890123456789"
	                          "0123456789012345678901234567890123456789",
	                          a, &b, NULL),
	    0);
	lc_arena_free(a);
}

static void test_parts(void **state)
{
	(void)state;
	struct lc_arena *a = lc_arena_new();
	struct lc_multipart_part *p;
	size_t n;
	const char *body = "preamble to ignore\r\n"
	                   "--XyZ\r\n"
	                   "Content-Disposition: form-data; name=\"csrf\"\r\n"
	                   "\r\n"
	                   "tok123\r\n"
	                   "--XyZ  \t\r\n"
	                   "content-disposition: FORM-DATA; filename=\"S\xC3\xA3o Paulo.csv\"; "
	                   "name=file\r\n"
	                   "Content-Type: text/csv\r\n"
	                   "X-Other: ignored\r\n"
	                   "\r\n"
	                   "a,b\r\n1,2\r\n--XyZnot a delimiter\r\n\r\n"
	                   "--XyZ\r\n"
	                   "Content-Disposition: form-data; name=\"empty\"\r\n"
	                   "\r\n"
	                   "\r\n"
	                   "--XyZ--\r\n"
	                   "epilogue --XyZ\r\n";
	assert_int_equal(parse(a, CT, body, &p, &n, NULL), 0);
	assert_int_equal(n, 3);
	assert_string_equal(p[0].name, "csrf");
	assert_null(p[0].filename);
	assert_null(p[0].content_type);
	assert_true(data_is(&p[0], "tok123"));
	assert_string_equal(p[1].name, "file");
	assert_string_equal(p[1].filename, "S\xC3\xA3o Paulo.csv");
	assert_string_equal(p[1].content_type, "text/csv");
	assert_true(data_is(&p[1], "a,b\r\n1,2\r\n--XyZnot a delimiter\r\n"));
	assert_string_equal(p[2].name, "empty");
	assert_int_equal(p[2].len, 0);

	assert_ptr_equal(lc_multipart_find(p, n, "file"), &p[1]);
	assert_null(lc_multipart_find(p, n, "nope"));
	assert_string_equal(lc_multipart_text(p, n, "csrf", a), "tok123");
	assert_null(lc_multipart_text(p, n, "file", a)); /* a file is not a text field */
	assert_string_equal(lc_multipart_text(p, n, "empty", a), "");

	/* Body opening with the delimiter; binary data with NUL and CR bytes kept whole. */
	static const char bin[] = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
	                          "filename=\"a\\b.xlsx\"\r\n\r\nPK\x03\x04\0\r\r\n-\r\n--XyZ--";
	assert_int_equal(lc_multipart_parse(CT, bin, sizeof bin - 1, a, &p, &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].filename, "a\\b.xlsx"); /* browsers never escape '\\' */
	assert_int_equal(p[0].len, 9);
	assert_memory_equal(p[0].data, "PK\x03\x04\0\r\r\n-", 9);
	assert_null(lc_multipart_text(p, n, "f", a));

	/* No parts at all; a part without headers is refused (no name). */
	assert_int_equal(parse(a, CT, "--XyZ--", &p, &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_null(p);
	lc_arena_free(a);
}

static void test_malformed(void **state)
{
	(void)state;
	struct lc_arena *a = lc_arena_new();
	struct lc_multipart_part *p;
	size_t n;
	struct lc_diag d;
	lc_diag_init(&d);
	const char *bad[] = {
	    "",
	    "no delimiter at all",
	    "--XyZ",
	    "--XyZ\r\n",
	    "--XyZx\r\n--XyZ--",
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nunclosed",
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--XyZ",
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--XyZ junk\r\n",
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\nno end of headers",
	    "--XyZ\r\n\r\nx\r\n--XyZ--",
	    "--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--",
	    "--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--XyZ--",
	    "--XyZ\r\nContent-Disposition: form-data; filename=a\r\n\r\nx\r\n--XyZ--",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--XyZ--",
	    "--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n--XyZ--",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--XyZ--",
	    ("--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: form-data; "
	     "name=b\r\n\r\nx\r\n--XyZ--"),
	    "--XyZ\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\nx\r\n--XyZ--",
	    "--XyZ\r\nContent-Disposition: form-data; name=a\rb\r\n\r\nx\r\n--XyZ--",
	    "--XyZ\r\nBad Name: x\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--XyZ--",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"\xC3\x28\"\r\n\r\nx\r\n--XyZ--",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\x01\"\r\n\r\nx\r\n--XyZ--",
	    "--XyZ\r\nContent-Disposition: form-data; name=a b\r\n\r\nx\r\n--XyZ--",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t before = d.count;
		assert_int_equal(parse(a, CT, bad[i], &p, &n, &d), LC_EINVAL);
		assert_null(p);
		assert_int_equal(n, 0);
		assert_int_equal(d.count, before + 1); /* one clear sentence each */
	}
	struct lc_buf out;
	lc_buf_init(&out, 1 << 16);
	lc_diag_format(&d, &out);
	assert_non_null(strstr(lc_buf_cstr(&out), "no opening boundary"));
	assert_non_null(strstr(lc_buf_cstr(&out), "not closed by a boundary"));
	assert_non_null(strstr(lc_buf_cstr(&out), "has no Content-Disposition with a name"));
	lc_buf_cleanup(&out);
	lc_diag_cleanup(&d);
	/* A body that is not multipart at all. */
	assert_int_equal(parse(a, "application/x-www-form-urlencoded", "a=1", &p, &n, NULL),
	                 LC_EINVAL);
	lc_arena_free(a);
}

static void test_limits(void **state)
{
	(void)state;
	struct lc_arena *a = lc_arena_new();
	struct lc_multipart_part *p;
	size_t n;
	struct lc_buf b;
	lc_buf_init(&b, 1u << 22);

	/* Exactly the limit of parts passes, one more fails. */
	for (unsigned i = 0; i < LC_LIMIT_MULTIPART_PARTS; i++)
		lc_buf_printf(&b,
		              "--XyZ\r\nContent-Disposition: form-data; name=\"f%u\"\r\n\r\n%u\r\n",
		              i, i);
	size_t mark = b.len;
	lc_buf_puts(&b, "--XyZ--");
	assert_int_equal(parse(a, CT, lc_buf_cstr(&b), &p, &n, NULL), 0);
	assert_int_equal(n, LC_LIMIT_MULTIPART_PARTS);
	assert_string_equal(lc_multipart_text(p, n, "f63", a), "63");
	b.len = mark;
	lc_buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n\r\n--XyZ--");
	assert_int_equal(parse(a, CT, lc_buf_cstr(&b), &p, &n, NULL), LC_ELIMIT);

	/* A header block over the limit. */
	lc_buf_reset(&b);
	lc_buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=a\r\nX-Pad: ");
	for (unsigned i = 0; i < LC_LIMIT_MULTIPART_HEADER; i++)
		lc_buf_putc(&b, 'p');
	lc_buf_puts(&b, "\r\n\r\nx\r\n--XyZ--");
	assert_int_equal(parse(a, CT, lc_buf_cstr(&b), &p, &n, NULL), LC_ELIMIT);

	/* Names and file names up to the limit. */
	for (int over = 0; over <= 1; over++) {
		lc_buf_reset(&b);
		lc_buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=a; filename=\"");
		for (unsigned i = 0; i < LC_LIMIT_MULTIPART_NAME + (unsigned)over; i++)
			lc_buf_putc(&b, 'n');
		lc_buf_puts(&b, "\"\r\n\r\nx\r\n--XyZ--");
		assert_int_equal(parse(a, CT, lc_buf_cstr(&b), &p, &n, NULL), over ? LC_ELIMIT : 0);
	}

	/* Many near-miss delimiters: stays linear and reads them as data. */
	lc_buf_reset(&b);
	lc_buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n");
	for (unsigned i = 0; i < 100000; i++)
		lc_buf_puts(&b, "\r\n--Xy");
	lc_buf_puts(&b, "\r\n--XyZ--");
	assert_int_equal(parse(a, CT, lc_buf_cstr(&b), &p, &n, NULL), 0);
	assert_int_equal(p[0].len, 600000);
	lc_buf_cleanup(&b);
	lc_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_boundary),
	    cmocka_unit_test(test_parts),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
