/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Opening a database for `init` and `demo` (setup.h). */
#include "cli/setup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "cli/cli.h"
#include "db/db.h"
#include "domain/demo/demo.h"

static int remove_db(const char *cmd, const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char name[4096];
		if ((size_t)snprintf(name, sizeof(name), "%s%s", path, suffixes[i]) >=
		    sizeof(name)) {
			fprintf(stderr, "learncity %s: the path is too long\n", cmd);
			return LC_EXIT_USAGE;
		}
		if (unlink(name) != 0 && errno != ENOENT) {
			fprintf(stderr, "learncity %s: cannot delete %s: %s\n", cmd, name,
			        strerror(errno));
			return LC_EXIT_FAIL;
		}
	}
	return 0;
}

int lc_setup_open(const char *cmd, const char *path, bool force, struct lc_db **out)
{
	*out = NULL;
	struct lc_db *db = NULL;
	if (force) {
		int rc = remove_db(cmd, path);
		if (rc)
			return rc;
	}
	int err = lc_db_open(path, LC_DB_CREATE, &db);
	if (err) {
		if (err == LC_ECONFLICT)
			fprintf(stderr,
			        "learncity %s: %s was written by a newer learncity (schema %d "
			        "here); refusing to touch it\n",
			        cmd, path, lc_db_schema_version_embedded());
		else
			fprintf(stderr, "learncity %s: cannot open %s: %s\n", cmd, path,
			        lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	bool empty = false;
	err = lc_demo_is_empty(db, &empty);
	if (err || !empty) {
		if (err)
			fprintf(stderr, "learncity %s: cannot read %s: %s\n", cmd, path,
			        lc_strerror(err));
		else
			fprintf(stderr,
			        "learncity %s: %s already holds cities; use --force to delete it "
			        "and start again\n",
			        cmd, path);
		lc_db_close(db);
		return LC_EXIT_FAIL;
	}
	*out = db;
	return 0;
}

void lc_setup_report(const char *cmd, const struct lc_diag *d, int err)
{
	fprintf(stderr, "learncity %s: failed: %s\n", cmd, lc_strerror(err));
	if (lc_diag_total(d) == 0)
		return;
	struct lc_buf b;
	lc_buf_init(&b, 1u << 20);
	lc_cli_format_diag(d, &b);
	fputs(lc_buf_cstr(&b), stderr);
	lc_buf_cleanup(&b);
}
