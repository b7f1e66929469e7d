/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity check --db PATH`: integrity, foreign keys and migration state of
 * a database, without changing it (pending migrations are reported, not
 * applied). Exit 0 when all is well, 1 with the problems listed.
 */
#include <stdio.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "cli/cli.h"
#include "db/db.h"

static const char *const usage =
    "Usage: learncity check --db PATH\n"
    "Checks integrity, foreign keys and migrations; exit 0 when all is well, 1 with\n"
    "the problems listed.\n\nOptions:\n";

int lc_cmd_check(int argc, char **argv)
{
	struct lc_cli_opt opts[] = {
	    {.name = "db", .help = "the database file"},
	    {.name = "help", .flag = true, .help = "show this help"},
	    {0},
	};
	int rc = lc_cli_parse("check", argc, argv, 1, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	if (opts[1].value) {
		fputs(usage, stdout);
		lc_cli_print_opts(opts);
		return LC_EXIT_OK;
	}
	const char *path = opts[0].value;
	if (!path || !path[0]) {
		fprintf(stderr, "learncity check: option '--db' is required\n");
		return LC_EXIT_USAGE;
	}
	struct lc_db *db = NULL;
	int err = lc_db_open(path, LC_DB_NO_MIGRATE, &db);
	if (err) {
		fprintf(stderr, "learncity check: cannot open %s: %s\n", path, lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	struct lc_diag d;
	lc_diag_init(&d);
	err = lc_db_check(db, &d);
	if (err) {
		fprintf(stderr, "learncity check: %s: the checks could not run: %s\n", path,
		        lc_db_errmsg(db));
		rc = LC_EXIT_FAIL;
	} else if (lc_diag_total(&d) > 0) {
		struct lc_buf b;
		lc_buf_init(&b, 1u << 20);
		lc_cli_format_diag(&d, &b);
		fprintf(stderr, "learncity check: %s: %zu problem(s)\n%s", path, lc_diag_total(&d),
		        lc_buf_cstr(&b));
		lc_buf_cleanup(&b);
		rc = LC_EXIT_FAIL;
	} else {
		printf("learncity check: %s: ok (schema version %d)\n", path,
		       lc_db_schema_version(db));
	}
	lc_diag_cleanup(&d);
	lc_db_close(db);
	return rc;
}
