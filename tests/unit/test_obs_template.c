/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Data-entry templates and XLSX import (domain/monitoring/obs_template.c and the XLSX
 * half of domain/monitoring/obs_import.c): the CSV template's rows with last year's
 * and this year's values; who may download one; an XLSX template of every
 * measurement type read back unchanged (numbers and texts identical, no new
 * version); a template of another city or year refused; a file told apart
 * by content; the shortest text of a double.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "accounts_fixture.h"
#include "base/buf.h"
#include "domain/monitoring/obs_import.h"
#include "domain/monitoring/obs_template.h"
#include "domain/monitoring/observation.h"

static bool has_msg(const struct lc_diag *d, const char *needle)
{
	for (size_t i = 0; i < d->count; i++)
		if (strstr(d->items[i].message, needle))
			return true;
	return false;
}

static void put(struct lc_db *db, const struct lc_actor *a, const char *csv)
{
	struct lc_diag d;
	lc_diag_init(&d);
	int rc = lc_obs_import_csv(db, a, csv, strlen(csv), "seed.csv", NULL, &d, NULL);
	if (rc) {
		struct lc_buf b;
		lc_buf_init(&b, 1u << 16);
		lc_diag_format(&d, &b);
		print_message("%s", lc_buf_cstr(&b));
		lc_buf_cleanup(&b);
	}
	assert_int_equal(rc, 0);
	lc_diag_cleanup(&d);
}

static void test_csv_template(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor coord;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	put(db, &coord,
	    "city,code,year,value\ncork,1.1.1.a,2023,90\ncork,1.1.1.a,2024,91\n"
	    "cork,1.1.1.b,2024,-3\n");
	put(db, &coord, "city,code,year,value,source,note\ncork,1.1.1.a,2025,92.5,Census,-draft\n");
	struct lc_buf b;
	lc_buf_init(&b, 1u << 22);
	struct lc_diag d;
	lc_diag_init(&d);
	long last = -1;
	assert_int_equal(
	    lc_obs_template(db, &coord, "cork", 2025, LC_OBS_TEMPLATE_CSV, &b, &last, &d), 0);
	assert_int_equal(last, 2024); /* the most recent earlier year with values */
	const char *s = lc_buf_cstr(&b);
	assert_true(
	    strncmp(s, "code,label,unit,type,allowed,last_year,value,source,note\r\n", 58) == 0);
	/* A note starting with '-' is neutralised in CSV like every export; numbers are not. */
	assert_non_null(strstr(s, "\r\n1.1.1.a,Adult literacy rate,%,percentage,0 to "
	                          "100,91,92.5,Census,\"'-draft\"\r\n"));
	assert_non_null(strstr(s, "\r\n1.1.1.b,"));
	assert_non_null(strstr(s, ",number,any number,-3,,,\r\n"));
	/* Every measurement has its row. */
	struct lc_obs_catalog cat;
	assert_int_equal(lc_obs_catalog_load(db, &cat), 0);
	size_t lines = 0;
	for (const char *p = s; (p = strstr(p, "\r\n")); p += 2)
		lines++;
	assert_int_equal(lines, cat.nm + 1);
	lc_obs_catalog_cleanup(&cat);
	/* A year without earlier values. */
	lc_buf_reset(&b);
	assert_int_equal(
	    lc_obs_template(db, &coord, "cork", 2023, LC_OBS_TEMPLATE_CSV, &b, &last, &d), 0);
	assert_int_equal(last, 0);
	lc_buf_cleanup(&b);
	lc_diag_cleanup(&d);
}

static void test_who_may(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor norole, anon, coord, admin;
	assert_int_equal(fx_actor(db, DEMO_NOROLE, &norole), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	lc_actor_anonymous(&anon);
	struct lc_buf b;
	lc_buf_init(&b, 1u << 22);
	struct lc_diag d;
	lc_diag_init(&d);
	enum lc_obs_template_format csv = LC_OBS_TEMPLATE_CSV;
	assert_int_equal(lc_obs_template(db, &norole, "cork", 2025, csv, &b, NULL, &d), LC_EPERM);
	assert_int_equal(lc_obs_template(db, &anon, "cork", 2025, csv, &b, NULL, &d), LC_EAUTH);
	assert_int_equal(lc_obs_template(db, &coord, "medellin", 2025, csv, &b, NULL, &d),
	                 LC_EPERM);
	assert_int_equal(lc_obs_template(db, &admin, "medellin", 2025, csv, &b, NULL, &d), 0);
	assert_int_equal(lc_obs_template(db, &coord, "atlantis", 2025, csv, &b, NULL, &d),
	                 LC_ENOTFOUND);
	assert_int_equal(d.count, 0);
	assert_int_equal(lc_obs_template(db, &coord, "cork", 1999, csv, &b, NULL, &d), LC_EINVAL);
	assert_int_equal(lc_obs_template(db, &coord, "cork", 2027, csv, &b, NULL, &d), LC_EINVAL);
	assert_int_equal(d.count, 2);
	/* A buffer too small for the workbook: a limit, not a crash. */
	struct lc_buf small;
	lc_buf_init(&small, 100);
	assert_int_equal(
	    lc_obs_template(db, &coord, "cork", 2025, LC_OBS_TEMPLATE_XLSX, &small, NULL, &d),
	    LC_ELIMIT);
	lc_buf_cleanup(&small);
	lc_buf_cleanup(&b);
	lc_diag_cleanup(&d);
}

/* One value per measurement type, with texts that a spreadsheet might mistake for numbers. */
static void seed_every_type(struct lc_db *db, const struct lc_actor *a, size_t *n)
{
	struct lc_obs_catalog cat;
	assert_int_equal(lc_obs_catalog_load(db, &cat), 0);
	static const char *const vals[][3] = {
	    /* number, percentage, yes_no, maturity, text: value, source, note */
	    {"8.7", "Survey 2024", "-estimate"},
	    {"69.9", "", "includes 0.1 revisions"},
	    {"yes", "Council minutes", ""},
	    {"3", "", ""},
	    {"Plan adopted in 2024, 12 partners", "", "00123"},
	};
	struct lc_buf csv;
	lc_buf_init(&csv, 1u << 16);
	lc_buf_puts(&csv, "city,code,year,value,source,note\n");
	bool done[5] = {false};
	*n = 0;
	for (size_t i = 0; i < cat.nm; i++) {
		int t = (int)cat.m[i].type;
		if (done[t])
			continue;
		done[t] = true;
		lc_buf_printf(&csv, "cork,%s,2025,", cat.m[i].code);
		for (int k = 0; k < 3; k++) {
			if (k)
				lc_buf_putc(&csv, ',');
			lc_buf_printf(&csv, "\"%s\"", vals[t][k]);
		}
		lc_buf_putc(&csv, '\n');
		(*n)++;
	}
	/* More numbers whose shortest text libxlsxwriter would not write. */
	for (size_t i = 0, extra = 0; i < cat.nm && extra < 3; i++) {
		if (cat.m[i].type != LC_OBS_NUMBER || strcmp(cat.m[i].code, "1.1.1.b") == 0)
			continue;
		static const char *const more[] = {"92.6", "0.30000000000000004", "1e-07"};
		lc_buf_printf(&csv, "cork,%s,2025,%s,,\n", cat.m[i].code, more[extra++]);
		(*n)++;
	}
	lc_obs_catalog_cleanup(&cat);
	put(db, a, lc_buf_cstr(&csv));
	lc_buf_cleanup(&csv);
}

static void test_xlsx_round_trip(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor coord;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	size_t n;
	seed_every_type(db, &coord, &n);
	long long before = fx_count(db, "SELECT count(*) FROM observations");
	struct lc_buf x;
	lc_buf_init(&x, 1u << 22);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(
	    lc_obs_template(db, &coord, "cork", 2025, LC_OBS_TEMPLATE_XLSX, &x, NULL, &d), 0);
	assert_true(lc_obs_is_xlsx(x.data, x.len));
	/* City and year come from the workbook's meta sheet. */
	struct lc_obs_summary sum;
	int rc = lc_obs_import_bytes(db, &coord, x.data, x.len, "t.xlsx", NULL, &d, &sum);
	assert_int_equal(rc, 0);
	assert_int_equal(sum.rows, n);
	assert_int_equal(sum.unchanged, n);
	assert_int_equal(sum.written, 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), before);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations WHERE value_text = "
	                              "'0.30000000000000004' AND is_current = 1"),
	                 1);

	/* Given apart, they must agree with the workbook's. */
	struct lc_obs_import_opts o = {.city = "medellin", .year = "2025"};
	assert_int_equal(lc_obs_import_xlsx(db, &coord, x.data, x.len, "t.xlsx", &o, &d, &sum),
	                 LC_EINVAL);
	assert_true(has_msg(&d, "made for the city 'cork', not 'medellin'"));
	o.city = "cork";
	o.year = "2024";
	assert_int_equal(lc_obs_import_xlsx(db, &coord, x.data, x.len, "t.xlsx", &o, &d, &sum),
	                 LC_EINVAL);
	assert_true(has_msg(&d, "made for the year 2025, not 2024"));
	o.year = "2025";
	assert_int_equal(lc_obs_import_xlsx(db, &coord, x.data, x.len, "t.xlsx", &o, &d, &sum), 0);
	assert_int_equal(sum.unchanged, n);

	/* The same from a file on disk; and a file that only looks like a zip. */
	char path[] = "/tmp/lc-obs-template-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, x.data, x.len), (ssize_t)x.len);
	close(fd);
	assert_int_equal(lc_obs_import_file(db, &coord, path, NULL, &d, &sum), 0);
	assert_int_equal(sum.unchanged, n);
	unlink(path);
	assert_int_equal(lc_obs_import_file(db, &coord, path, NULL, &d, &sum), LC_EIO);
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(lc_obs_import_bytes(db, &coord, "PK\3\4junk", 8, "f.xlsx", &o, &d, &sum),
	                 LC_EINVAL);
	assert_true(d.count > 0);
	/* A row cap far below the template's rows: refused by the limit before any check. */
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	o.max_rows = 20;
	assert_int_equal(lc_obs_import_xlsx(db, &coord, x.data, x.len, "t.xlsx", &o, &d, &sum),
	                 LC_ELIMIT);
	assert_true(has_msg(&d, "at most 20 rows"));
	/* Far below: the reader's cell cap, lowered with it, stops the read itself. */
	o.max_rows = 2;
	assert_int_equal(lc_obs_import_xlsx(db, &coord, x.data, x.len, "t.xlsx", &o, &d, &sum),
	                 LC_ELIMIT);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), before);
	lc_buf_cleanup(&x);
	lc_diag_cleanup(&d);
}

static void test_number_text(void **state)
{
	(void)state;
	char s[32];
	static const struct {
		double v;
		const char *text;
	} cases[] = {
	    {8.7, "8.7"},
	    {69.9, "69.9"},
	    {0.1, "0.1"},
	    {1e-7, "1e-07"},
	    {-3, "-3"},
	    {1e21, "1e+21"},
	    {0.1 + 0.2, "0.30000000000000004"},
	    {1.0 / 3, "0.3333333333333333"},
	    {123456789012345678.0, "1.2345678901234568e+17"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(lc_obs_number_text(cases[i].v, s), strlen(cases[i].text));
		assert_string_equal(s, cases[i].text);
	}
	assert_true(lc_obs_is_xlsx("PK\3\4", 4));
	assert_false(lc_obs_is_xlsx("PK\3", 3));
	assert_false(lc_obs_is_xlsx("code,value\n", 11));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_csv_template, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_who_may, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_xlsx_round_trip, fx_setup, fx_teardown),
	    cmocka_unit_test(test_number_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
