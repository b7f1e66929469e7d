/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Fuzz target for the CSV import of framework versions (lc_framework_import,
 * LC_FRAMEWORK_CSV): any input must either import as a draft or be refused
 * with problems, never crash or leak. An input that imports must also survive
 * the round trip: its CSV export imports again and exports to the same bytes.
 * Each input runs inside a transaction that is rolled back.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/log.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "base/diag.h"
#include "domain/monitoring/framework.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lc_db *db;

static int import(struct lc_actor *sys, const char *text, size_t len, const char *code)
{
	struct lc_diag p;
	lc_diag_init(&p);
	struct lc_framework_import_opts o = {.format = LC_FRAMEWORK_CSV, .code = code};
	char out[40];
	int err = lc_framework_import(db, sys, text, len, &o, out, sizeof out, &p);
	/* A refusal always says why. */
	if (err == LC_EINVAL && p.count == 0)
		abort();
	lc_diag_cleanup(&p);
	return err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db) {
		lc_log_set_level(LC_LOG_ERROR);
		if (lc_db_open(":memory:", 0, &db) != 0)
			abort();
	}
	if (lc_db_begin(db) != 0)
		abort();
	struct lc_actor sys;
	lc_actor_system(&sys);
	if (import(&sys, (const char *)data, size, "fz") == 0) {
		struct lc_buf a, b;
		lc_buf_init(&a, 64u << 20);
		lc_buf_init(&b, 64u << 20);
		if (lc_framework_export_csv(db, "fz", &a) != 0)
			abort();
		if (import(&sys, a.data, a.len, "fz2") != 0)
			abort();
		if (lc_framework_export_csv(db, "fz2", &b) != 0)
			abort();
		if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
			abort();
		lc_buf_cleanup(&a);
		lc_buf_cleanup(&b);
	}
	lc_db_rollback(db);
	if (lc_db_depth(db) != 0)
		abort();
	return 0;
}
