/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Fuzz target for the loader of framework JSON files (lc_framework_load_json): any input must
 * either load or be refused with diagnostics, never crash or leak. Each input
 * runs inside a transaction that is rolled back, so inputs do not interact.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/diag.h"
#include "base/log.h"
#include "db/db.h"
#include "domain/monitoring/framework.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lc_db *db;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db) {
		lc_log_set_level(LC_LOG_ERROR);
		if (lc_db_open(":memory:", 0, &db) != 0)
			abort();
	}
	if (lc_db_begin(db) != 0)
		abort();
	struct lc_diag d;
	lc_diag_init(&d);
	lc_framework_load_json(db, (const char *)data, size, &d);
	lc_diag_cleanup(&d);
	lc_db_rollback(db);
	if (lc_db_depth(db) != 0)
		abort();
	return 0;
}
