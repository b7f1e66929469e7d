/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Observation import: a good long file imports; a file with every kind of
 * bad row lists each (row, column, value, reason) and writes nothing; the
 * wide template (blank rows skipped, unit checked); header problems; a
 * dry run; a re-import keeps versions; the cell-table entry point the XLSX
 * reader will use; the row limit; a file read from disk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accounts_fixture.h"
#include "base/buf.h"
#include "domain/monitoring/obs_import.h"

static int import(struct lc_db *db, const struct lc_actor *a, const char *csv,
                  const struct lc_obs_import_opts *o, struct lc_diag *d, struct lc_obs_summary *sum)
{
	return lc_obs_import_csv(db, a, csv, strlen(csv), "obs.csv", o, d, sum);
}

/* True when some entry of d has this line, column and a message containing needle. */
static bool has(const struct lc_diag *d, long line, long col, const char *needle)
{
	for (size_t i = 0; i < d->count; i++)
		if (d->items[i].line == line && d->items[i].column == col &&
		    strstr(d->items[i].message, needle))
			return true;
	return false;
}

static void dump(const struct lc_diag *d)
{
	struct lc_buf b;
	lc_buf_init(&b, 1u << 16);
	lc_diag_format(d, &b);
	print_message("%s", lc_buf_cstr(&b));
	lc_buf_cleanup(&b);
}

static void test_good_long(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor coord;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_obs_summary sum;
	const char *csv = "\xEF\xBB\xBF"
	                  "City,Code,Year,Value,Unit,Source,Note\r\n"
	                  "cork,1.1.1.a,2025,92.5,%,Census 2022,\r\n"
	                  "cork,1.1.1.b,2025,12,\"per 1,000\",,estimate\r\n"
	                  "cork,1.3.3.b,2025,Yes,,,\r\n"
	                  "cork,2.1.4.b,2024,3,,,\r\n";
	int rc = import(db, &coord, csv, NULL, &d, &sum);
	if (rc)
		dump(&d);
	assert_int_equal(rc, 0);
	assert_int_equal(sum.rows, 4);
	assert_int_equal(sum.written, 4);
	assert_int_equal(sum.city_years, 2);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), 4);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations WHERE value_text = 'yes'"
	                              " AND value_num = 1"),
	                 1);
	/* A corrected file: one new version, the rest unchanged. */
	const char *fix = "city,code,year,value\n"
	                  "cork,1.1.1.a,2025,93\n"
	                  "cork,1.3.3.b,2025,yes\n";
	assert_int_equal(import(db, &coord, fix, NULL, &d, &sum), 0);
	/* 1.3.3.b's source and note were empty before too: unchanged. */
	assert_int_equal(sum.written, 1);
	assert_int_equal(sum.corrected, 1);
	assert_int_equal(sum.unchanged, 1);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), 5);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations WHERE is_current = 1"), 4);
	assert_int_equal(lc_diag_total(&d), 0);
	lc_diag_cleanup(&d);
}

static void test_every_bad_row_listed(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor sys;
	lc_actor_system(&sys);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_obs_summary sum;
	const char *csv = "city,code,year,value,unit,source,note\n"
	                  "cork,1.1.1.a,2025,50,%,,\n"           /* 2: good */
	                  "atlantis,1.1.1.a,2025,50,%,,\n"       /* 3: unknown city */
	                  "cork,1.1.1.z,2025,50,%,,\n"           /* 4: unknown measurement */
	                  "cork,1.1.1.a,1999,50,%,,\n"           /* 5: wrong year */
	                  "cork,1.1.1.a,2025.5,50,%,,\n"         /* 6: wrong year */
	                  "cork,1.1.1.b,2025,-,,,\n"             /* 7: not a number */
	                  "cork,1.1.1.a,2024,150,%,,\n"          /* 8: out of range */
	                  "cork,2.1.4.b,2024,=SUM(A1:A3),,,\n"   /* 9: formula */
	                  "cork,1.1.1.a,2023,0.5,ratio,,\n"      /* 10: wrong unit */
	                  "cork,1.1.1.a,2025,51,%,,\n"           /* 11: duplicate of 2 */
	                  "cork,1.3.3.b,2025,perhaps,,,\n"       /* 12: not yes/no */
	                  "cork,1.1.1.b,2025,5,,=HYPERLINK(),\n" /* 13: formula source */
	                  "cork,1.1.1.a,2022,,%,,\n";            /* 14: empty value */
	assert_int_equal(import(db, &sys, csv, NULL, &d, &sum), LC_EINVAL);
	if (lc_diag_total(&d) != 12)
		dump(&d);
	assert_true(has(&d, 3, 1, "unknown city"));
	assert_true(has(&d, 4, 2, "unknown measurement"));
	assert_true(has(&d, 5, 3, "2000 to 2026"));
	assert_true(has(&d, 6, 3, "whole number"));
	assert_true(has(&d, 7, 4, "not a number"));
	assert_true(has(&d, 8, 4, "'150' is a percentage"));
	assert_true(has(&d, 9, 4, "formula"));
	assert_true(has(&d, 10, 5, "not the unit of 1.1.1.a"));
	assert_true(has(&d, 11, 0, "duplicate: row 2"));
	assert_true(has(&d, 12, 4, "yes or no"));
	assert_true(has(&d, 13, 6, "formula"));
	assert_true(has(&d, 14, 4, "empty"));
	assert_int_equal(lc_diag_total(&d), 12);
	assert_string_equal(d.items[0].file, "obs.csv");
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), 0);
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM wf_items WHERE process = 'year_review'"), 0);
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM audit WHERE action LIKE 'observations%'"), 0);
	lc_diag_cleanup(&d);
}

static void test_header_problems(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor sys;
	lc_actor_system(&sys);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(import(db, &sys, "city,code,yr,value,colour\ncork,1.1.1.a,2025,5,red\n",
	                        NULL, &d, NULL),
	                 LC_EINVAL);
	assert_true(has(&d, 1, 3, "unknown column 'yr'"));
	assert_true(has(&d, 1, 5, "unknown column 'colour'"));
	assert_true(has(&d, 1, 0, "'year' is missing"));
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(import(db, &sys, "city,code,code,year,value\n", NULL, &d, NULL),
	                 LC_EINVAL);
	assert_true(has(&d, 1, 3, "twice"));
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	/* A header and nothing else. */
	assert_int_equal(import(db, &sys, "city,code,year,value\n", NULL, &d, NULL), LC_EINVAL);
	assert_true(has(&d, 0, 0, "no values"));
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	/* Ragged rows come from the CSV reader. */
	assert_int_equal(import(db, &sys, "city,code,year,value\ncork,1.1.1.a\n", NULL, &d, NULL),
	                 LC_EINVAL);
	assert_true(lc_diag_total(&d) > 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), 0);
	lc_diag_cleanup(&d);
}

static void test_wide_template(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor coord;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_obs_summary sum;
	const char *csv = "code,label,unit,last year's value,value,source,note\n"
	                  "1.1.1.a,Adult literacy rate,%,91,92,Census,\n"
	                  "1.1.1.b,Adults enrolled,\"per 1,000\",,,,\n"
	                  "1.3.3.b,A plan,,yes,no,,dropped in 2025\n";
	struct lc_obs_import_opts o = {.city = "cork", .year = "2025"};
	/* Without the city and year: refused. */
	assert_int_equal(import(db, &coord, csv, NULL, &d, &sum), LC_EINVAL);
	assert_true(has(&d, 0, 0, "--city"));
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	int rc = import(db, &coord, csv, &o, &d, &sum);
	if (rc)
		dump(&d);
	assert_int_equal(rc, 0);
	assert_int_equal(sum.rows, 2); /* the blank row is skipped */
	assert_int_equal(sum.written, 2);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations WHERE year = 2025"), 2);
	/* Another city: Cork's coordinator may not. A bad year is named. */
	o.city = "medellin";
	assert_int_equal(import(db, &coord, csv, &o, &d, &sum), LC_EPERM);
	o.city = "cork";
	o.year = "next";
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(import(db, &coord, csv, &o, &d, &sum), LC_EINVAL);
	assert_int_equal(lc_diag_total(&d), 1);
	assert_true(has(&d, 0, 0, "'next': the year"));
	o.year = "2025";
	o.city = "atlantis";
	assert_int_equal(import(db, &coord, csv, &o, &d, &sum), LC_EINVAL);
	assert_int_equal(lc_diag_total(&d), 2);
	assert_true(has(&d, 0, 0, "'atlantis': unknown city"));
	o.city = "cork";
	/* A city or year column has no place in the wide template. */
	o.year = "2025";
	o.layout = LC_OBS_LAYOUT_WIDE;
	assert_int_equal(import(db, &coord, "city,code,value\ncork,1.1.1.a,5\n", &o, &d, &sum),
	                 LC_EINVAL);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), 2);
	lc_diag_cleanup(&d);
}

static void test_dry_run(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor sys, natcom;
	lc_actor_system(&sys);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_obs_summary sum;
	struct lc_obs_import_opts o = {.dry_run = true};
	const char *csv = "city,code,year,value\ncork,1.1.1.a,2025,5\nmedellin,1.1.1.a,2025,6\n";
	assert_int_equal(import(db, &sys, csv, &o, &d, &sum), 0);
	assert_int_equal(sum.written, 2);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), 0);
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM audit WHERE action LIKE 'observations%'"), 0);
	/* Permissions are part of the check. */
	assert_int_equal(import(db, &natcom, csv, &o, &d, &sum), LC_EPERM);
	assert_int_equal(lc_db_depth(db), 0);
	lc_diag_cleanup(&d);
}

/* The entry point the XLSX reader will use: cells with their own row numbers. */
static void test_table(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor sys;
	lc_actor_system(&sys);
	struct lc_slice cells[] = {
	    lc_slice_cstr("city"),    lc_slice_cstr("code"), lc_slice_cstr("year"),
	    lc_slice_cstr("value"),   lc_slice_cstr("cork"), lc_slice_cstr("1.1.1.a"),
	    lc_slice_cstr("2025"),    lc_slice_cstr("40"),   lc_slice_cstr("cork"),
	    lc_slice_cstr("1.1.1.a"), lc_slice_cstr("2026"), lc_slice_cstr("400"),
	};
	long lines[] = {5, 7, 9};
	struct lc_obs_table t = {
	    .n_rows = 3, .n_cols = 4, .cells = cells, .line = lines, .file = "book.xlsx"};
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_obs_import_table(db, &sys, &t, NULL, &d, NULL), LC_EINVAL);
	assert_int_equal(lc_diag_total(&d), 1);
	assert_int_equal(d.items[0].line, 9);
	assert_int_equal(d.items[0].column, 4);
	assert_string_equal(d.items[0].file, "book.xlsx");
	cells[11] = lc_slice_cstr("41");
	assert_int_equal(lc_obs_import_table(db, &sys, &t, NULL, &d, NULL), 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), 2);
	/* A cell the reader flags as a formula is refused, whatever its cached value. */
	bool formula[12] = {false};
	formula[7] = true;
	cells[11] = lc_slice_cstr("42");
	t.formula = formula;
	assert_int_equal(lc_obs_import_table(db, &sys, &t, NULL, &d, NULL), LC_EINVAL);
	assert_int_equal(lc_diag_total(&d), 2);
	assert_int_equal(d.items[1].line, 7);
	assert_int_equal(d.items[1].column, 4);
	assert_non_null(strstr(d.items[1].message, "'40' is the result of a formula"));
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), 2);
	/* Past the row limit: refused before any cell is read. */
	struct lc_obs_table big = {.n_rows = (size_t)LC_LIMIT_CSV_ROWS + 2, .n_cols = 4};
	assert_int_equal(lc_obs_import_table(db, &sys, &big, NULL, &d, NULL), LC_ELIMIT);
	lc_diag_cleanup(&d);
}

static void test_file(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor sys;
	lc_actor_system(&sys);
	char path[] = "/tmp/lc-obs-import-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *csv = "city,code,year,value\ncork,1.1.1.a,2025,5\n";
	assert_int_equal(write(fd, csv, strlen(csv)), (ssize_t)strlen(csv));
	close(fd);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_obs_summary sum;
	assert_int_equal(lc_obs_import_csv_file(db, &sys, path, NULL, &d, &sum), 0);
	assert_int_equal(sum.written, 1);
	unlink(path);
	assert_int_equal(lc_obs_import_csv_file(db, &sys, path, NULL, &d, &sum), LC_EIO);
	assert_true(lc_diag_total(&d) > 0);
	lc_diag_cleanup(&d);
}

/*
 * Every database call of an import failing in turn: the import reports an
 * error and leaves nothing behind, or (once the fault lies past its calls)
 * succeeds; the connection stays usable and outside any transaction.
 */
static void test_faults(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor coord;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	const char *csv = "city,code,year,value\ncork,1.1.1.a,2025,5\ncork,1.1.1.b,2025,6\n"
	                  "cork,1.1.1.a,2024,7\n";
	bool done = false;
	for (long n = 1; n < 200 && !done; n++) {
		struct lc_diag d;
		lc_diag_init(&d);
		struct lc_obs_summary sum;
		lc_db_fault_set(n);
		int rc = import(db, &coord, csv, NULL, &d, &sum);
		done = lc_db_fault_pending();
		lc_db_fault_set(0);
		assert_int_equal(lc_db_depth(db), 0);
		if (rc == 0) {
			assert_true(done);
			assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), 3);
		} else {
			assert_int_equal(fx_count(db, "SELECT count(*) FROM observations"), 0);
			assert_int_equal(
			    fx_count(db,
			             "SELECT count(*) FROM wf_items WHERE process = 'year_review'"),
			    0);
		}
		lc_diag_cleanup(&d);
	}
	assert_true(done);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_good_long, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_every_bad_row_listed, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_header_problems, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_wide_template, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_dry_run, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_table, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_file, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_faults, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
