/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Small queries the unit tests share (tests/unit/support/). */
#ifndef LC_TEST_QUERY_H
#define LC_TEST_QUERY_H

struct lc_db;

/* The first column of the one row that sql returns (a count); fails the test otherwise. */
long lc_test_count(struct lc_db *db, const char *sql);

#endif
