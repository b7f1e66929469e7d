/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity workflow tick --db PATH [--at YYYY-MM-DDTHH:MM:SSZ]`: does what
 * the clock owes the workflows (domain/workflow/workflow.h) at the given time, now by
 * default: the reminders that are due and the deadline steps whose time has
 * passed (escalations, overdue reports, lapses). The server does the same
 * every --outbox-interval seconds; this is for cron, and for rehearsing a
 * date. Exit 0 when every due step was taken, 1 when some were refused
 * (logged), 2 on bad usage.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/error.h"
#include "base/slice.h"
#include "cli/cli.h"
#include "db/db.h"
#include "domain/platform/clock.h"
#include "domain/workflow/processes.h"
#include "domain/workflow/workflow.h"

static const char *const usage =
    "Usage: learncity workflow tick --db PATH [--at YYYY-MM-DDTHH:MM:SSZ]\n"
    "Sends the workflow reminders that are due and takes the steps whose deadline\n"
    "has passed, as of --at (default: now, UTC).\n\nOptions:\n";

/* "2026-11-24T08:00:00Z" (UTC) to Unix seconds; 0 or LC_EINVAL. */
static int parse_utc(const char *s, int64_t *out)
{
	/* Fixed layout: digits where the template has 'd'. */
	static const char tmpl[] = "dddd-dd-ddTdd:dd:ddZ";
	if (strlen(s) != sizeof tmpl - 1)
		return LC_EINVAL;
	for (size_t i = 0; tmpl[i]; i++)
		if (tmpl[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != tmpl[i])
			return LC_EINVAL;
	struct lc_slice all = lc_slice_cstr(s);
	long f[6];
	static const size_t at[6] = {0, 5, 8, 11, 14, 17}, len[6] = {4, 2, 2, 2, 2, 2};
	static const long lo[6] = {1970, 1, 1, 0, 0, 0}, hi[6] = {2999, 12, 31, 23, 59, 60};
	for (int i = 0; i < 6; i++) {
		struct lc_slice part = {all.ptr + at[i], len[i]};
		if (lc_slice_to_long(part, lo[i], hi[i], &f[i]) != 0)
			return LC_EINVAL;
	}
	struct tm tm = {.tm_year = (int)f[0] - 1900,
	                .tm_mon = (int)f[1] - 1,
	                .tm_mday = (int)f[2],
	                .tm_hour = (int)f[3],
	                .tm_min = (int)f[4],
	                .tm_sec = (int)f[5]};
	time_t t = timegm(&tm);
	if (t == (time_t)-1 || tm.tm_mday != (int)f[2])
		return LC_EINVAL; /* 2026-02-31 normalises into March: refuse it */
	*out = (int64_t)t;
	return 0;
}

static int tick(int argc, char **argv)
{
	const char *cmd = "workflow tick";
	struct lc_cli_opt opts[] = {
	    {.name = "db", .required = true, .help = "the database file"},
	    {.name = "at", .help = "the time to act as of, YYYY-MM-DDTHH:MM:SSZ (default: now)"},
	    {.name = "help", .flag = true, .help = "show this help"},
	    {0},
	};
	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		fputs(usage, stdout);
		lc_cli_print_opts(opts);
		return LC_EXIT_OK;
	}
	int rc = lc_cli_parse(cmd, argc, argv, 1, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	int64_t now = lc_clock_now();
	if (opts[1].value && parse_utc(opts[1].value, &now) != 0) {
		fprintf(stderr, "learncity %s: --at: '%s' is not YYYY-MM-DDTHH:MM:SSZ\n", cmd,
		        opts[1].value);
		return LC_EXIT_USAGE;
	}
	/* Everything the pass writes (history, membership dates, e-mails) is dated as of --at,
	   so a rehearsal reads as it would on that day. */
	if (opts[1].value)
		lc_clock_set_test(now);
	struct lc_db *db = NULL;
	int err = lc_db_open(opts[0].value, 0, &db);
	if (err) {
		fprintf(stderr, "learncity %s: cannot open %s: %s\n", cmd, opts[0].value,
		        lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	size_t n;
	const struct lc_wf_process *const *procs = lc_processes(&n);
	struct lc_wf_tick_report rep = {0};
	err = lc_wf_tick(db, procs, n, now, &rep);
	lc_db_close(db);
	if (err) {
		fprintf(stderr, "learncity %s: %s\n", cmd, lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	printf("learncity %s: %ld reminders sent, %ld steps taken, %ld refused\n", cmd,
	       rep.reminders, rep.moved, rep.failed);
	return rep.failed ? LC_EXIT_FAIL : LC_EXIT_OK;
}

int lc_cmd_workflow(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "tick") == 0)
		return tick(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)) {
		fputs(usage, stdout);
		return LC_EXIT_OK;
	}
	fprintf(stderr, "learncity workflow: expected the subcommand 'tick'\n%s", usage);
	return LC_EXIT_USAGE;
}
