/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Tests of engine/tree.c: linking and every validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/diag.h"
#include "base/error.h"
#include "engine_fixture.h"

static void test_links(void **state)
{
	(void)state;
	struct lc_tree t;
	fixture_tree(&t);
	assert_true(t.finished);
	assert_int_equal(t.n_ind, 3);
	assert_int_equal(t.n_agg, 3);
	assert_int_equal(t.n_levels, 3);
	assert_int_equal(t.root, 5);
	/* Aggregates by level: A, B, then Index. */
	assert_int_equal(t.agg[0], 3);
	assert_int_equal(t.agg[1], 4);
	assert_int_equal(t.agg[2], 5);
	const struct lc_tree_node *a = &t.nodes[3];
	assert_int_equal(a->n_children, 2);
	assert_int_equal(t.children[a->first_child], 0);
	assert_int_equal(t.children[a->first_child + 1], 1);
	assert_int_equal(lc_tree_find(&t, "x3"), 2);
	assert_int_equal(lc_tree_find(&t, "nope"), -1);
	lc_tree_cleanup(&t);
}

/* Finishes a tree of (code, level, parent) rows and returns the first message. */
static int check(const char *const rows[][3], size_t n, char *msg, size_t cap)
{
	struct lc_tree t;
	lc_tree_init(&t);
	struct lc_diag d;
	lc_diag_init(&d);
	for (size_t i = 0; i < n; i++)
		lc_tree_add(&t, rows[i][0], NULL, (int)(rows[i][1][0] - '0'), 1, 1, NAN, NULL,
		            rows[i][2], (long)i + 2, &d, "iMeta.csv");
	int rc = lc_tree_finish(&t, "iMeta.csv", &d);
	msg[0] = '\0';
	if (d.count)
		snprintf(msg, cap, "%ld: %s", d.items[0].line, d.items[0].message);
	lc_diag_cleanup(&d);
	lc_tree_cleanup(&t);
	return rc;
}

static void test_errors(void **state)
{
	(void)state;
	char msg[256];
	const char *const dup[][3] = {{"a", "1", "R"}, {"a", "1", "R"}, {"R", "2", NULL}};
	assert_int_equal(check(dup, 3, msg, sizeof msg), LC_EINVAL);
	assert_string_equal(msg, "3: duplicate code 'a' (first on line 2)");
	const char *const unknown[][3] = {{"a", "1", "Q"}, {"R", "2", NULL}};
	assert_int_equal(check(unknown, 2, msg, sizeof msg), LC_EINVAL);
	assert_string_equal(msg, "2: unknown parent 'Q' of 'a'");
	const char *const skip[][3] = {
	    {"a", "1", "R"}, {"b", "1", "M"}, {"M", "2", "R"}, {"R", "3", NULL}};
	assert_int_equal(check(skip, 4, msg, sizeof msg), LC_EINVAL);
	assert_string_equal(msg, "2: parent 'R' of 'a' is at level 3, not 2 (a level skips)");
	const char *const cycle[][3] = {{"a", "1", "M"}, {"M", "2", "N"}, {"N", "2", "M"}};
	assert_int_equal(check(cycle, 3, msg, sizeof msg), LC_EINVAL);
	assert_non_null(strstr(msg, "level"));
	const char *const self[][3] = {{"a", "1", "a"}};
	assert_int_equal(check(self, 1, msg, sizeof msg), LC_EINVAL);
	assert_string_equal(msg, "2: 'a' is its own parent (a cycle)");
	const char *const childless[][3] = {
	    {"a", "1", "R"}, {"M", "2", "R"}, {"R", "3", NULL}, {"b", "1", "Z"}, {"Z", "2", "R"}};
	assert_int_equal(check(childless, 5, msg, sizeof msg), LC_EINVAL);
	/* a's parent R is at level 3: reported first. */
	assert_non_null(strstr(msg, "a level skips"));
	const char *const empty_agg[][3] = {
	    {"a", "1", "M"}, {"M", "2", "R"}, {"E", "2", "R"}, {"R", "3", NULL}};
	assert_int_equal(check(empty_agg, 4, msg, sizeof msg), LC_EINVAL);
	assert_string_equal(msg, "4: aggregate 'E' has no children");
	const char *const low_top[][3] = {{"a", "1", "M"}, {"M", "2", NULL}, {"b", "1", NULL}};
	assert_int_equal(check(low_top, 3, msg, sizeof msg), LC_EINVAL);
	assert_string_equal(msg, "4: 'b' at level 1 has no parent but the top level is 2");
	assert_int_equal(check(NULL, 0, msg, sizeof msg), LC_EINVAL);
}

static void test_cycle_walk(void **state)
{
	(void)state;
	/* A genuine cycle through levels: the walk up never ends without the check. */
	struct lc_tree t;
	lc_tree_init(&t);
	struct lc_diag d;
	lc_diag_init(&d);
	lc_tree_add(&t, "a", NULL, 1, 1, 1, NAN, NULL, "M", 2, &d, NULL);
	lc_tree_add(&t, "M", NULL, 2, 1, 1, NAN, NULL, "N", 3, &d, NULL);
	lc_tree_add(&t, "N", NULL, 3, 1, 1, NAN, NULL, "M", 4, &d, NULL);
	assert_int_equal(lc_tree_finish(&t, NULL, &d), LC_EINVAL);
	bool cycle = false;
	for (size_t i = 0; i < d.count; i++)
		cycle = cycle || strstr(d.items[i].message, "cycle");
	assert_true(cycle);
	lc_diag_cleanup(&d);
	lc_tree_cleanup(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_links),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_cycle_walk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
