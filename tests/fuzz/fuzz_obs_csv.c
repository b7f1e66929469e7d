/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Fuzz target for the observation import (lc_obs_import_csv): any input
 * must either import or be refused with diagnostics, never crash or leak.
 * The database is the in-memory demonstration database (cities, framework,
 * accounts), loaded once; each input runs as the operator inside a
 * transaction that is rolled back, so inputs do not interact. The wide
 * template's city and year are given, so headers without a city column
 * exercise that layout too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/diag.h"
#include "base/log.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/demo/demo.h"
#include "domain/monitoring/obs_import.h"

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
	struct lc_obs_import_opts o = {.city = "cork", .year = "2025"};
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_obs_summary sum;
	lc_obs_import_csv(db, &sys, (const char *)data, size, "fuzz.csv", &o, &d, &sum);
	lc_diag_cleanup(&d);
	lc_db_rollback(db);
	if (lc_db_depth(db) != 0)
		abort();
	return 0;
}
