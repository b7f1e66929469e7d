/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The domain's row helpers (domain/platform/row.h): a list's page checked
 * and defaulted, its OFFSET, and the paged answer every list gives
 * {items, total, page, per_page, pages}.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "base/error.h"
#include "base/limits.h"
#include "domain/platform/row.h"

static void test_page_defaults_and_bounds(void **state)
{
	(void)state;
	struct lc_row_page p;
	assert_int_equal(lc_row_page_init(&p, 0, 0), 0);
	assert_int_equal(p.page, 1);
	assert_int_equal(p.per_page, LC_DEFAULT_PER_PAGE);
	assert_int_equal(lc_row_page_offset(&p), 0);
	assert_int_equal(lc_row_page_init(&p, 3, 7), 0);
	assert_int_equal(lc_row_page_offset(&p), 14);
	assert_int_equal(lc_row_page_init(&p, LC_LIMIT_PAGE, LC_LIMIT_PER_PAGE), 0);
	assert_int_equal(lc_row_page_offset(&p), (long)(LC_LIMIT_PAGE - 1) * LC_LIMIT_PER_PAGE);
	assert_int_equal(lc_row_page_init(&p, LC_LIMIT_PAGE + 1, 1), LC_EINVAL);
	assert_int_equal(lc_row_page_init(&p, -1, 1), LC_EINVAL);
	assert_int_equal(lc_row_page_init(&p, 1, LC_LIMIT_PER_PAGE + 1), LC_EINVAL);
	assert_int_equal(lc_row_page_init(&p, 1, -5), LC_EINVAL);
}

static void test_paged_answer(void **state)
{
	(void)state;
	struct lc_row_page p;
	assert_int_equal(lc_row_page_init(&p, 2, 20), 0);
	json_t *j = lc_row_paged(json_pack("[i,i]", 1, 2), 41, &p);
	assert_non_null(j);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 41);
	assert_int_equal(json_integer_value(json_object_get(j, "page")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "per_page")), 20);
	assert_int_equal(json_integer_value(json_object_get(j, "pages")), 3);
	json_decref(j);
	/* An empty list has no page at all. */
	j = lc_row_paged(json_array(), 0, &p);
	assert_int_equal(json_integer_value(json_object_get(j, "pages")), 0);
	assert_int_equal(json_object_size(j), 5);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_page_defaults_and_bounds),
	    cmocka_unit_test(test_paged_answer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
