/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The route groups (web/routes/groups.c) and the workflow routes' labels
 * (web/routes/workflow.h): the joined table holds every group's rows in the
 * list's order, no two rows answer the same method on the same pattern (so
 * the order of the groups never decides a request), the router accepts the
 * table, and a state's label is its literal key's text, else its name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include <jansson.h>

#include "base/diag.h"
#include "base/limits.h"
#include "web/http.h"
#include "web/router.h"
#include "web/routes/group.h"
#include "web/routes/reports.h"
#include "web/routes/site.h"
#include "web/routes/workflow.h"

static void test_table_joins_every_group_in_order(void **state)
{
	(void)state;
	size_t ng = 0, n = 0, at = 0;
	const struct lc_route_group *const *g = lc_routes_groups(&ng);
	const struct lc_route *t = lc_routes_table(&n);
	assert_true(ng > 0);
	assert_true(n <= LC_LIMIT_ROUTES);
	for (size_t i = 0; i < ng; i++) {
		assert_non_null(g[i]->name);
		assert_true(g[i]->n > 0);
		for (size_t k = 0; k < ng; k++)
			if (k != i)
				assert_string_not_equal(g[i]->name, g[k]->name);
		for (size_t r = 0; r < g[i]->n; r++, at++) {
			assert_true(at < n);
			assert_ptr_equal(t[at].handler, g[i]->rows[r].handler);
			assert_string_equal(t[at].pattern, g[i]->rows[r].pattern);
		}
	}
	assert_int_equal(at, n);
}

static void test_no_two_rows_share_a_method_and_pattern(void **state)
{
	(void)state;
	size_t n = 0;
	const struct lc_route *t = lc_routes_table(&n);
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			if (strcmp(t[i].pattern, t[k].pattern) == 0 &&
			    (t[i].methods & t[k].methods)) {
				print_error("%s is declared twice for one method\n", t[i].pattern);
				fail();
			}
}

static void test_router_accepts_the_table(void **state)
{
	(void)state;
	size_t n = 0;
	const struct lc_route *t = lc_routes_table(&n);
	struct lc_router_opts opts = {0};
	lc_routes_opts(&opts);
	struct lc_router *r = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_router_new(t, n, &opts, &r, &d), 0);
	assert_int_equal(d.count, 0);
	lc_router_free(r);
	lc_diag_cleanup(&d);
}

static void test_labels_come_from_literal_keys(void **state)
{
	(void)state;
	struct lc_req req;
	memset(&req, 0, sizeof req);
	json_t *t = json_pack("{s:s,s:s}", "wf_state_submitted", "soumis", "report_state_draft",
	                      "composed");
	req.t = t;
	assert_string_equal(lc_label_text(&req, lc_reports_states, "submitted"), "soumis");
	/* A key the table does not list is never composed from the name. */
	assert_string_equal(lc_label_text(&req, lc_reports_states, "draft"), "wf_state_draft");
	assert_string_equal(lc_label_text(&req, lc_reports_states, "unheard_of"), "unheard_of");
	assert_string_equal(lc_label_text(&req, lc_reports_states, NULL), "");
	json_decref(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_joins_every_group_in_order),
	    cmocka_unit_test(test_no_two_rows_share_a_method_and_pattern),
	    cmocka_unit_test(test_router_accepts_the_table),
	    cmocka_unit_test(test_labels_come_from_literal_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
