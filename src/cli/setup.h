/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What `init` and `demo` share: opening or creating the database with the
 * --force rule, and printing a loader's diagnostics. Internal to src/cli/.
 */
#ifndef LC_SETUP_H
#define LC_SETUP_H

#include <stdbool.h>

struct lc_db;
struct lc_diag;

/*
 * Opens path, creating and migrating it. A database that holds cities is
 * refused (LC_EXIT_FAIL, with a message) unless force, which deletes the
 * file and its -wal/-shm companions first. Returns 0 with *out set (caller
 * closes with lc_db_close), or an exit code.
 */
int lc_setup_open(const char *cmd, const char *path, bool force, struct lc_db **out);
/* Prints "learncity CMD: what failed" and the diagnostics to stderr. */
void lc_setup_report(const char *cmd, const struct lc_diag *d, int err);

#endif
