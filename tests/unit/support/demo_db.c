/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The demonstration-database fixture of demo_db.h. */
#include "demo_db.h"

#include "base/diag.h"
#include "db/db.h"
#include "domain/demo/demo.h"

int lc_test_demo_setup(void **state)
{
	struct lc_db *db = NULL;
	if (lc_db_open(":memory:", 0, &db) != 0)
		return -1;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_demo_load(db, &d);
	lc_diag_cleanup(&d);
	if (err) {
		lc_db_close(db);
		return -1;
	}
	*state = db;
	return 0;
}

int lc_test_demo_teardown(void **state)
{
	lc_db_close(*state);
	return 0;
}
