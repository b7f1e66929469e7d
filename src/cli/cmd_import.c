/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity import observations FILE --db PATH [--as EMAIL]`: imports a
 * city's monitoring values from a CSV or XLSX file (told apart by content,
 * not by name; long layout or the wide template, see domain/monitoring/obs_import.h)
 * in one transaction. A downloaded XLSX template names its city and year
 * itself; a CSV template needs --city and --year. Exit 0 with a summary; 2
 * with every problem listed and nothing written; 1 when the database
 * fails. A progress bar goes to stderr when it is a terminal; the summary
 * line is always printed. The actor is the command-line operator unless
 * --as names an active account, whose permissions then apply.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "cli/cli.h"
#include "db/db.h"
#include "domain/accounts/account.h"
#include "domain/accounts/authz.h"
#include "domain/monitoring/obs_import.h"

static const char *const usage =
    "Usage: learncity import observations FILE --db PATH [--as EMAIL]\n"
    "                [--city SLUG --year YYYY] [--dry-run]\n"
    "Imports monitoring values from a CSV or XLSX file (told apart by content),\n"
    "all or nothing.\n"
    "Long layout: columns city,code,year,value[,unit][,source][,note].\n"
    "Wide template: columns code,label,unit,type,allowed,last_year,value,source,note\n"
    "for the city and year given by --city and --year (a downloaded XLSX template\n"
    "names them itself).\n"
    "Exit 0 with a summary; 2 with every problem listed and nothing written.\n\nOptions:\n";

struct bar {
	bool tty;
	int last;
};

static void progress(void *ctx, const char *phase, size_t done, size_t total)
{
	struct bar *b = ctx;
	if (!b->tty || total == 0)
		return;
	int pct = (int)(done * 100 / total);
	if (pct == b->last && done != total)
		return;
	b->last = pct;
	char bar[41];
	int fill = pct * 40 / 100;
	for (int i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\r%-8s [%s] %3d%% %zu/%zu", phase, bar, pct, done, total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

static int print_problems(const char *file, const struct lc_diag *d, int err)
{
	struct lc_buf b;
	lc_buf_init(&b, 4u << 20);
	lc_cli_format_diag(d, &b);
	fprintf(stderr, "learncity import: %s: %zu problem(s), nothing written (%s)\n%s", file,
	        lc_diag_total(d), lc_strerror(err), lc_buf_cstr(&b));
	lc_buf_cleanup(&b);
	return LC_EXIT_USAGE;
}

int lc_cmd_import(int argc, char **argv)
{
	struct lc_cli_opt opts[] = {
	    {.name = "db", .help = "the database file"},
	    {.name = "as", .help = "act as this account (its permissions apply)"},
	    {.name = "city", .help = "wide template: the city's slug"},
	    {.name = "year", .help = "wide template: the reporting year"},
	    {.name = "dry-run", .flag = true, .help = "check everything, write nothing"},
	    {.name = "help", .flag = true, .help = "show this help"},
	    {0},
	};
	const char *pos[2] = {NULL, NULL};
	size_t npos = 0;
	int rc = lc_cli_parse("import", argc, argv, 1, opts, pos, 2, &npos);
	if (rc)
		return rc;
	if (opts[5].value) {
		fputs(usage, stdout);
		lc_cli_print_opts(opts);
		return LC_EXIT_OK;
	}
	if (npos != 2 || strcmp(pos[0], "observations") != 0) {
		fputs(usage, stderr);
		return LC_EXIT_USAGE;
	}
	const char *file = pos[1], *path = opts[0].value;
	if (!path || !path[0]) {
		fprintf(stderr, "learncity import: option '--db' is required\n");
		return LC_EXIT_USAGE;
	}
	struct lc_db *db = NULL;
	int err = lc_db_open(path, 0, &db);
	if (err) {
		fprintf(stderr, "learncity import: cannot open %s: %s\n", path, lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	struct lc_actor actor;
	lc_actor_system(&actor);
	if (opts[1].value) {
		struct lc_account acc;
		err = lc_account_find(db, opts[1].value, &acc);
		if (!err)
			err = lc_actor_load(db, acc.id, &actor);
		if (err) {
			fprintf(stderr, "learncity import: --as %s: no active account (%s)\n",
			        opts[1].value, lc_strerror(err));
			lc_db_close(db);
			return LC_EXIT_USAGE;
		}
	}
	struct bar bar = {.tty = isatty(STDERR_FILENO) == 1, .last = -1};
	struct lc_obs_progress prog = {.fn = progress, .ctx = &bar};
	struct lc_obs_import_opts io = {.city = opts[2].value,
	                                .year = opts[3].value,
	                                .dry_run = opts[4].value != NULL,
	                                .progress = &prog};
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_obs_summary sum;
	err = lc_obs_import_file(db, &actor, file, &io, &d, &sum);
	if (err == LC_EINVAL || err == LC_EPERM || err == LC_ELIMIT || err == LC_EIO ||
	    err == LC_ENOTFOUND || (err && lc_diag_total(&d) > 0)) {
		rc = print_problems(file, &d, err);
	} else if (err) {
		fprintf(stderr, "learncity import: %s: %s (%s); nothing written\n", file,
		        lc_strerror(err), lc_db_errmsg(db));
		rc = LC_EXIT_FAIL;
	} else {
		printf("learncity import: %s: %zu value(s) in %zu city-year(s): %zu written "
		       "(%zu correction(s)), %zu unchanged%s\n",
		       file, sum.rows, sum.city_years, sum.written, sum.corrected, sum.unchanged,
		       io.dry_run ? "; dry run, nothing kept" : "");
		rc = LC_EXIT_OK;
	}
	lc_diag_cleanup(&d);
	lc_db_close(db);
	return rc;
}
