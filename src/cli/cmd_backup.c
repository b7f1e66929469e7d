/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity backup --db PATH --out FILE`: a copy of the database taken with
 * SQLite's online backup API (safe while the server writes), checked with
 * integrity_check before it is renamed into place.
 * `learncity restore FILE --db PATH`: replaces a database with a checked
 * backup, refusing to overwrite one without --force and one that a running
 * server holds open at all. The work is db/backup.c's.
 */
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "cli/cli.h"
#include "cli/setup.h"
#include "db/backup.h"
#include "db/db.h"

static const char *const backup_usage =
    "Usage: learncity backup --db PATH --out FILE [--force]\n"
    "Copies the database while the server may be writing (SQLite's online backup\n"
    "API), checks the copy with integrity_check, then renames it to FILE.\n\nOptions:\n";

/* Bad input and refusals are the user's to fix (2, 1); the rest failed while working (1). */
static int exit_code(int err)
{
	return err == LC_EINVAL || err == LC_ENOTFOUND ? LC_EXIT_USAGE : LC_EXIT_FAIL;
}

int lc_cmd_backup(int argc, char **argv)
{
	enum { DB, OUT, FORCE, HELP };
	struct lc_cli_opt opts[] = {
	    [DB] = {.name = "db", .required = true, .help = "the database file"},
	    [OUT] = {.name = "out", .required = true, .help = "the backup file to write"},
	    [FORCE] = {.name = "force", .flag = true, .help = "replace FILE if it exists"},
	    [HELP] = {.name = "help", .flag = true, .help = "show this help"},
	    {0},
	};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			fputs(backup_usage, stdout);
			lc_cli_print_opts(opts);
			return LC_EXIT_OK;
		}
	}
	int rc = lc_cli_parse("backup", argc, argv, 1, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_backup_info info = {0};
	int err =
	    lc_backup_write(opts[DB].value, opts[OUT].value, opts[FORCE].value != NULL, &info, &d);
	if (err) {
		lc_setup_report("backup", &d, err);
		if (err == LC_ECONFLICT)
			fprintf(stderr, "learncity backup: use --force to replace %s\n",
			        opts[OUT].value);
		rc = err == LC_ECONFLICT ? LC_EXIT_FAIL : exit_code(err);
	} else {
		printf("learncity backup: wrote %s (%lld bytes, schema version %d, integrity ok)\n",
		       opts[OUT].value, (long long)info.bytes, info.schema);
	}
	lc_diag_cleanup(&d);
	return rc;
}

static const char *const restore_usage =
    "Usage: learncity restore FILE --db PATH [--force]\n"
    "Replaces the database at PATH with the backup FILE once FILE passes\n"
    "integrity_check and its schema is one this learncity knows. A database at\n"
    "PATH is replaced only with --force, and never while a server has it open.\n\n"
    "Options:\n";

int lc_cmd_restore(int argc, char **argv)
{
	enum { DB, FORCE, HELP };
	struct lc_cli_opt opts[] = {
	    [DB] = {.name = "db", .required = true, .help = "the database file to replace"},
	    [FORCE] = {.name = "force", .flag = true, .help = "replace an existing database"},
	    [HELP] = {.name = "help", .flag = true, .help = "show this help"},
	    {0},
	};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			fputs(restore_usage, stdout);
			lc_cli_print_opts(opts);
			return LC_EXIT_OK;
		}
	}
	const char *pos[1];
	size_t npos = 0;
	int rc = lc_cli_parse("restore", argc, argv, 1, opts, pos, 1, &npos);
	if (rc)
		return rc;
	if (npos != 1) {
		fprintf(stderr, "learncity restore: which backup file? (learncity restore FILE "
		                "--db PATH)\n");
		return LC_EXIT_USAGE;
	}
	const char *file = pos[0], *path = opts[DB].value;
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_backup_info info = {0};
	int err = lc_backup_restore(file, path, opts[FORCE].value != NULL, &info, &d);
	if (err) {
		lc_setup_report("restore", &d, err);
		if (err == LC_ECONFLICT)
			fprintf(
			    stderr,
			    "learncity restore: nothing was changed; use --force to replace the "
			    "database at %s\n",
			    path);
		else
			fprintf(stderr, "learncity restore: nothing was changed\n");
		rc = err == LC_ECONFLICT || err == LC_EBUSY ? LC_EXIT_FAIL : exit_code(err);
		goto out;
	}
	printf("learncity restore: restored %s into %s (schema version %d)\n", file, path,
	       info.schema);
	int known = lc_db_schema_version_embedded();
	if (info.schema < known)
		printf("learncity restore: the backup is from an older learncity; migrations "
		       "%04d to %04d apply when 'learncity serve' next opens %s\n",
		       info.schema + 1, known, path);
out:
	lc_diag_cleanup(&d);
	return rc;
}
