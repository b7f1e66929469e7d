/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The shared queries of query.h. */
#include "query.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db/db.h"

long lc_test_count(struct lc_db *db, const char *sql)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	assert_non_null(st);
	assert_int_equal(lc_db_step(db, st), 1);
	long n = (long)sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return n;
}
