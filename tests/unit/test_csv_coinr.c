/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Tests of formats/coinr.c: column kinds, unit order, groups, denominators and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "engine/matrix.h"
#include "engine/tree.h"
#include "formats/coinr.h"
#include "formats/csv.h"

static const char META[] = "Level,iCode,Direction,Weight,Target,Denominator,Parent\n"
                           "1,a,1,2,NA,Pop,R\n"
                           "1,b,-1,NA,5,NA,R\n"
                           "2,R,1,1,NA,NA,NA\n"
                           "NA,Pop,NA,NA,NA,NA,NA\n";

static int load(const char *meta, const char *data, struct lc_tree *t, struct lc_matrix *m,
                struct lc_diag *d)
{
	struct lc_csv im, id;
	lc_csv_init(&im);
	lc_csv_init(&id);
	lc_tree_init(t);
	lc_matrix_init(m);
	lc_diag_init(d);
	int rc = lc_csv_parse(&im, meta, strlen(meta), "iMeta.csv", d);
	if (!rc)
		rc = lc_csv_parse(&id, data, strlen(data), "iData.csv", d);
	if (!rc)
		rc = lc_coinr_load(&id, &im, t, m, d);
	lc_csv_cleanup(&im);
	lc_csv_cleanup(&id);
	return rc;
}

static void test_kinds_and_order(void **state)
{
	(void)state;
	struct lc_tree t;
	struct lc_matrix m;
	struct lc_diag d;
	const char *data = "uName,uCode,Region,Pop,Time,b,a,R\n"
	                   "Zed,ZZ,north,10,2020,1,2,99\n"
	                   "Ay,AA,south,NA,2020,NA,4,99\n"
	                   "Em,MM,,5,2020,3,6,99\n";
	assert_int_equal(load(META, data, &t, &m, &d), 0);
	assert_int_equal(t.n, 3);
	assert_true(t.nodes[1].weight == 1); /* NA weight: 1 */
	assert_int_equal(t.nodes[1].direction, -1);
	assert_true(t.nodes[1].target == 5);
	assert_string_equal(t.nodes[0].denominator, "Pop");
	/* Units sorted by uCode; aggregates' columns are not read. */
	assert_int_equal(m.n_units, 3);
	assert_string_equal(m.ucodes[0], "AA");
	assert_string_equal(m.ucodes[1], "MM");
	assert_string_equal(m.ucodes[2], "ZZ");
	assert_string_equal(m.unames[0], "Ay");
	assert_true(m.x[0 * 3 + 0] == 4);
	assert_true(isnan(m.x[1 * 3 + 0]));
	assert_true(m.x[1 * 3 + 2] == 1);
	assert_true(isnan(m.x[2 * 3 + 0]));
	/* Region is a group; Pop (numeric) a group and a denominator; Time neither. */
	assert_int_equal(lc_matrix_find_group(&m, "Region"), 0);
	assert_true(lc_matrix_find_denom(&m, "Pop") >= 0);
	assert_int_equal(lc_matrix_find_denom(&m, "Region"), -1);
	assert_int_equal(lc_matrix_find_group(&m, "Time"), -1);
	assert_int_equal(m.n_group_levels[0], 2);
	assert_string_equal(m.group_levels[0][m.groups[0]], "south");
	assert_int_equal(m.groups[1], -1); /* MM's empty region */
	long p = lc_matrix_find_denom(&m, "Pop");
	assert_true(isnan(m.denoms[(size_t)p * 3 + 0]));
	assert_true(m.denoms[(size_t)p * 3 + 2] == 10);
	lc_diag_cleanup(&d);
	lc_matrix_cleanup(&m);
	lc_tree_cleanup(&t);
}

static void test_errors(void **state)
{
	(void)state;
	struct lc_tree t;
	struct lc_matrix m;
	struct lc_diag d;
	/* Indicator without a column, bad number, duplicate and empty uCode. */
	assert_int_equal(load(META, "uCode,Pop,a\nX,1,1\n", &t, &m, &d), LC_EINVAL);
	assert_string_equal(d.items[0].message, "indicator has no column in iData.csv");
	assert_int_equal(d.items[0].line, 3);
	lc_diag_cleanup(&d);
	lc_matrix_cleanup(&m);
	lc_tree_cleanup(&t);
	assert_int_equal(load(META, "uCode,Pop,a,b\nX,1,1,2\nX,1,x,2\n,1,1,1\n", &t, &m, &d),
	                 LC_EINVAL);
	bool dup = false, num = false, empty = false;
	for (size_t i = 0; i < d.count; i++) {
		dup = dup || strstr(d.items[i].message, "duplicate uCode 'X'");
		num = num || (strstr(d.items[i].message, "'x' is not a number") &&
		              d.items[i].line == 3 && d.items[i].column == 3);
		empty = empty || strstr(d.items[i].message, "missing uCode");
	}
	assert_true(dup && num && empty);
	lc_diag_cleanup(&d);
	lc_matrix_cleanup(&m);
	lc_tree_cleanup(&t);
	/* A denominator that is not numeric. */
	assert_int_equal(load(META, "uCode,Pop,a,b\nX,many,1,2\n", &t, &m, &d), LC_EINVAL);
	assert_non_null(strstr(d.items[0].message, "'Pop' of 'a' is not a numeric column"));
	lc_diag_cleanup(&d);
	lc_matrix_cleanup(&m);
	lc_tree_cleanup(&t);
	/* No uCode column; a Level that is not a level. */
	assert_int_equal(load(META, "id,a,b\nX,1,2\n", &t, &m, &d), LC_EINVAL);
	lc_diag_cleanup(&d);
	lc_matrix_cleanup(&m);
	lc_tree_cleanup(&t);
	assert_int_equal(load("Level,iCode,Parent\nx,a,NA\n", "uCode,a\nX,1\n", &t, &m, &d),
	                 LC_EINVAL);
	assert_int_equal(d.items[0].column, 1);
	lc_diag_cleanup(&d);
	lc_matrix_cleanup(&m);
	lc_tree_cleanup(&t);
}

/* What lc_coinr_write_imeta and lc_coinr_write_idata write reads back as the same tree and matrix.
 */
static void test_write_reads_back(void **state)
{
	(void)state;
	struct lc_tree t, t2;
	struct lc_matrix m, m2;
	struct lc_diag d, d2;
	const char *data = "uName,uCode,Pop,b,a\n"
	                   "\"Zed, Z\",ZZ,10,1.5,2\n"
	                   "Ay,AA,NA,NA,4\n";
	assert_int_equal(load(META, data, &t, &m, &d), 0);
	struct lc_buf meta, idata;
	lc_buf_init(&meta, 1u << 20);
	lc_buf_init(&idata, 1u << 20);
	lc_coinr_write_imeta(&meta, &t);
	lc_coinr_write_idata(&idata, &t, &m);
	assert_false(lc_buf_error(&meta));
	assert_false(lc_buf_error(&idata));
	assert_int_equal(load(lc_buf_cstr(&meta), lc_buf_cstr(&idata), &t2, &m2, &d2), 0);
	assert_int_equal(t2.n_ind, t.n_ind);
	assert_int_equal(m2.n_units, m.n_units);
	for (size_t i = 0; i < t.n; i++) {
		assert_string_equal(t2.nodes[i].code, t.nodes[i].code);
		assert_int_equal(t2.nodes[i].level, t.nodes[i].level);
		assert_int_equal(t2.nodes[i].direction, t.nodes[i].direction);
		assert_true(t2.nodes[i].weight == t.nodes[i].weight);
	}
	for (size_t u = 0; u < m.n_units; u++) {
		assert_string_equal(m2.ucodes[u], m.ucodes[u]);
		assert_string_equal(m2.unames[u], m.unames[u]);
		for (size_t k = 0; k < t.n_ind; k++) {
			double a = m.x[t.ind[k] * m.n_units + u],
			       b = m2.x[t2.ind[k] * m2.n_units + u];
			assert_true((isnan(a) && isnan(b)) || a == b);
		}
	}
	lc_buf_cleanup(&meta);
	lc_buf_cleanup(&idata);
	lc_tree_cleanup(&t);
	lc_tree_cleanup(&t2);
	lc_matrix_cleanup(&m);
	lc_matrix_cleanup(&m2);
	lc_diag_cleanup(&d);
	lc_diag_cleanup(&d2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kinds_and_order),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_write_reads_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
