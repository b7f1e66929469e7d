/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Fuzz target for the library's import (lc_library_import): any input must
 * either import or be refused with its problems, never crash or leak. The
 * database is the demonstration's (its cities, so that valid cases reach the
 * writing and the index); each input runs inside a transaction that is
 * rolled back, so inputs do not interact.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/diag.h"
#include "base/log.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/demo/demo.h"
#include "domain/library/library.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lc_db *db;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db) {
		lc_log_set_level(LC_LOG_ERROR);
		struct lc_diag d;
		lc_diag_init(&d);
		if (lc_db_open(":memory:", 0, &db) != 0 || lc_demo_load(db, &d) != 0)
			abort();
		lc_diag_cleanup(&d);
	}
	if (lc_db_begin(db) != 0)
		abort();
	struct lc_actor sys;
	lc_actor_system(&sys);
	struct lc_diag d;
	lc_diag_init(&d);
	size_t n = 0;
	lc_library_import(db, &sys, (const char *)data, size, 0, &n, &d);
	lc_diag_cleanup(&d);
	lc_db_rollback(db);
	if (lc_db_depth(db) != 0)
		abort();
	return 0;
}
