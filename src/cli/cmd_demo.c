/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity demo --db PATH [--force]`: a database with the reference data
 * and the demonstration data (award winners, award rounds, conferences and
 * the published membership series, from DOMAIN.md with provenance).
 * Idempotent: when the demonstration data is already there it says so and
 * succeeds. A database holding other cities is refused unless --force, which
 * deletes it first.
 */
#include <stdbool.h>
#include <stdio.h>

#include "base/diag.h"
#include "base/error.h"
#include "cli/cli.h"
#include "cli/setup.h"
#include "db/db.h"
#include "domain/demo/demo.h"
#include "domain/monitoring/demo_monitoring.h"

static const char *const usage =
    "Usage: learncity demo --db PATH [--force]\n"
    "Creates (or completes) a database with the framework and the demonstration data.\n"
    "Running it again on a demonstration database changes nothing.\n\nOptions:\n";

int lc_cmd_demo(int argc, char **argv)
{
	struct lc_cli_opt opts[] = {
	    {.name = "db", .help = "the database file"},
	    {.name = "force", .flag = true, .help = "delete an existing database first"},
	    {.name = "help", .flag = true, .help = "show this help"},
	    {0},
	};
	int rc = lc_cli_parse("demo", argc, argv, 1, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	if (opts[2].value) {
		fputs(usage, stdout);
		lc_cli_print_opts(opts);
		return LC_EXIT_OK;
	}
	const char *path = opts[0].value;
	if (!path || !path[0]) {
		fprintf(stderr, "learncity demo: option '--db' is required\n");
		return LC_EXIT_USAGE;
	}
	/* Already a demonstration database: nothing to do. */
	if (!opts[1].value) {
		struct lc_db *db = NULL;
		if (lc_db_open(path, 0, &db) == 0) {
			bool loaded = false;
			int err = lc_demo_is_loaded(db, &loaded);
			lc_db_close(db);
			if (!err && loaded) {
				printf("learncity demo: %s already holds the demonstration data\n",
				       path);
				return LC_EXIT_OK;
			}
		}
	}
	struct lc_db *db = NULL;
	rc = lc_setup_open("demo", path, opts[1].value != NULL, &db);
	if (rc)
		return rc;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_demo_load(db, &d);
	/* The synthetic reporting cycle and its index runs (apart: unit tests share lc_demo_load).
	 */
	if (!err)
		err = lc_demo_load_monitoring(db, &d);
	if (err) {
		lc_setup_report("demo", &d, err);
		rc = LC_EXIT_FAIL;
	} else {
		printf("learncity demo: %s ready with the demonstration data\n", path);
	}
	lc_diag_cleanup(&d);
	lc_db_close(db);
	return rc;
}
