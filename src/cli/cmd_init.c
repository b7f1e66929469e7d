/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity init --db PATH [--force]`: creates a database with the schema,
 * the regions, the countries and the monitoring framework.
 *
 * An existing database that holds no cities is brought up to date (pending
 * migrations, reference data refreshed): running init twice is harmless. One
 * that holds cities is refused unless --force, which deletes the file (and
 * its -wal and -shm companions) and starts afresh.
 */
#include <stdbool.h>
#include <stdio.h>

#include "base/diag.h"
#include "base/error.h"
#include "cli/cli.h"
#include "cli/setup.h"
#include "db/db.h"
#include "domain/demo/demo.h"

static const char *const usage =
    "Usage: learncity init --db PATH [--force]\n"
    "Creates a database with the schema, regions, countries and the KFLC framework.\n"
    "An existing database without cities is updated in place; one with cities is\n"
    "refused unless --force, which deletes it first.\n\nOptions:\n";

int lc_cmd_init(int argc, char **argv)
{
	struct lc_cli_opt opts[] = {
	    {.name = "db", .help = "the database file to create", .required = false},
	    {.name = "force", .flag = true, .help = "delete an existing database with data"},
	    {.name = "help", .flag = true, .help = "show this help"},
	    {0},
	};
	int rc = lc_cli_parse("init", argc, argv, 1, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	if (opts[2].value) {
		fputs(usage, stdout);
		lc_cli_print_opts(opts);
		return LC_EXIT_OK;
	}
	if (!opts[0].value || !opts[0].value[0]) {
		fprintf(stderr, "learncity init: option '--db' is required\n");
		return LC_EXIT_USAGE;
	}
	struct lc_db *db = NULL;
	rc = lc_setup_open("init", opts[0].value, opts[1].value != NULL, &db);
	if (rc)
		return rc;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_demo_load_reference(db, &d);
	if (err) {
		lc_setup_report("init", &d, err);
		rc = LC_EXIT_FAIL;
	} else {
		printf("learncity init: %s ready (schema version %d)\n", opts[0].value,
		       lc_db_schema_version(db));
	}
	lc_diag_cleanup(&d);
	lc_db_close(db);
	return rc;
}
