/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity outbox send --db PATH [--smtp smtp://host:port] [--from ADDR]`:
 * delivers the queued e-mail whose time has come, by SMTP. The server and
 * sender come from the options or else from the settings table (smtp.url,
 * smtp.from, smtp.user, smtp.password). Exit 0 when every attempted message
 * was delivered, 1 when some failed (they stay queued with a delay), 2 on bad
 * usage or missing configuration.
 */
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/limits.h"
#include "cli/cli.h"
#include "db/db.h"
#include "domain/platform/outbox.h"
#include "mail/smtp.h"

static const char *const usage =
    "Usage: learncity outbox send --db PATH [--smtp smtp://host:port] [--from ADDR]\n"
    "Delivers queued e-mail. Without --smtp/--from the settings smtp.url and smtp.from\n"
    "are used (and smtp.user, smtp.password when set).\n\nOptions:\n";

static int outbox_send(int argc, char **argv)
{
	const char *cmd = "outbox send";
	struct lc_cli_opt opts[] = {
	    {.name = "db", .help = "the database file"},
	    {.name = "smtp", .help = "the SMTP server, smtp://host:port or smtps://host:port"},
	    {.name = "from", .help = "the sender address"},
	    {.name = "help", .flag = true, .help = "show this help"},
	    {0},
	};
	int rc = lc_cli_parse(cmd, argc, argv, 1, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	if (opts[3].value) {
		fputs(usage, stdout);
		lc_cli_print_opts(opts);
		return LC_EXIT_OK;
	}
	const char *path = opts[0].value;
	if (!path || !path[0]) {
		fprintf(stderr, "learncity %s: option '--db' is required\n", cmd);
		return LC_EXIT_USAGE;
	}
	struct lc_db *db = NULL;
	int err = lc_db_open(path, 0, &db);
	if (err) {
		fprintf(stderr, "learncity %s: cannot open %s: %s\n", cmd, path, lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	char storage[4096];
	struct lc_smtp_config cfg = {0};
	err = lc_outbox_config_load(db, &cfg, storage, sizeof storage);
	if (err && err != LC_ENOTFOUND) {
		fprintf(stderr, "learncity %s: cannot read the SMTP settings: %s\n", cmd,
		        lc_strerror(err));
		lc_db_close(db);
		return LC_EXIT_FAIL;
	}
	if (opts[1].value)
		cfg.url = opts[1].value;
	if (opts[2].value)
		cfg.from = opts[2].value;
	if (!cfg.url || !cfg.from) {
		fprintf(stderr,
		        "learncity %s: no SMTP server configured: give --smtp and --from, or set"
		        " smtp.url and smtp.from\n",
		        cmd);
		lc_db_close(db);
		return LC_EXIT_USAGE;
	}
	int sent = 0, failed = 0, queued = 0;
	for (;;) {
		struct lc_outbox_report rep;
		err = lc_outbox_deliver(db, &cfg, LC_LIMIT_OUTBOX_BATCH, &rep);
		if (err)
			break;
		sent += rep.sent;
		failed += rep.failed;
		queued = rep.queued;
		/* A full batch may mean more are due; a failure waits for its backoff. */
		if (rep.sent + rep.failed < LC_LIMIT_OUTBOX_BATCH)
			break;
	}
	if (err == LC_EINVAL) {
		fprintf(stderr,
		        "learncity %s: bad SMTP settings: the server must be smtp:// or smtps://"
		        " and the sender an e-mail address\n",
		        cmd);
		rc = LC_EXIT_USAGE;
	} else if (err) {
		fprintf(stderr, "learncity %s: %s\n", cmd, lc_strerror(err));
		rc = LC_EXIT_FAIL;
	} else {
		printf("learncity %s: %d sent, %d failed, %d still queued\n", cmd, sent, failed,
		       queued);
		rc = failed ? LC_EXIT_FAIL : LC_EXIT_OK;
	}
	lc_db_close(db);
	return rc;
}

int lc_cmd_outbox(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "send") == 0)
		return outbox_send(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)) {
		fputs(usage, stdout);
		return LC_EXIT_OK;
	}
	fprintf(stderr, "learncity outbox: expected the subcommand 'send'\n%s", usage);
	return LC_EXIT_USAGE;
}
