/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity conference registrations --db PATH --conference SLUG [--format csv|json]`:
 * a conference's registrations on standard output, for the secretariat at the
 * command line (the operator: every registration, as the organisers' export
 * at /admin/conferences/{slug}). CSV: one row per registration, oldest first,
 * without dietary or accessibility needs (domain/conference/registration.h);
 * JSON: every page of the organisers' list joined, with the waiting lists
 * and the needs as totals. Exit 1 when the conference does not exist, 2 on
 * bad usage.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "cli/cli.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/conference/registration.h"

#define OUT_MAX (256u << 20) /* 2,000 registrations are well under 1 MiB */

static const char *const usage =
    "Usage: learncity conference registrations --db PATH --conference SLUG [--format csv|json]\n"
    "Prints a conference's registrations (CSV by default).\n\nOptions:\n";

/* Every page of the organisers' list, joined into the first page's object. */
static int all_json(struct lc_db *db, const struct lc_actor *sys, const char *slug, json_t **out)
{
	*out = NULL;
	json_t *all = NULL;
	for (long page = 1;; page++) {
		struct lc_conf_reg_query q = {.page = page, .per_page = LC_LIMIT_PER_PAGE};
		json_t *v = NULL;
		int err = lc_conf_reg_list(db, sys, slug, &q, "en", &v);
		if (err) {
			json_decref(all);
			return err;
		}
		long pages = (long)json_integer_value(json_object_get(v, "pages"));
		if (!all) {
			all = v;
		} else {
			json_array_extend(json_object_get(all, "items"),
			                  json_object_get(v, "items"));
			json_decref(v);
		}
		if (page >= pages || page >= LC_LIMIT_PAGE)
			break;
	}
	json_object_del(all, "page");
	json_object_del(all, "per_page");
	json_object_del(all, "pages");
	*out = all;
	return 0;
}

static int registrations(int argc, char **argv)
{
	const char *cmd = "conference registrations";
	struct lc_cli_opt opts[] = {
	    {.name = "db", .required = true, .help = "the database file"},
	    {.name = "conference", .required = true, .help = "the conference's slug"},
	    {.name = "format", .help = "csv (default) or json"},
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
	const char *fmt = opts[2].value ? opts[2].value : "csv";
	if (strcmp(fmt, "csv") != 0 && strcmp(fmt, "json") != 0) {
		fprintf(stderr, "learncity %s: --format: '%s' is neither csv nor json\n", cmd, fmt);
		return LC_EXIT_USAGE;
	}
	struct lc_db *db = NULL;
	int err = lc_db_open(opts[0].value, 0, &db);
	if (err) {
		fprintf(stderr, "learncity %s: cannot open %s: %s\n", cmd, opts[0].value,
		        lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	struct lc_actor sys;
	lc_actor_system(&sys);
	struct lc_buf b;
	lc_buf_init(&b, OUT_MAX);
	if (strcmp(fmt, "csv") == 0) {
		err = lc_conf_reg_csv(db, &sys, opts[1].value, &b);
	} else {
		json_t *v = NULL;
		err = all_json(db, &sys, opts[1].value, &v);
		if (!err) {
			char *s = json_dumps(v, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
			lc_buf_puts(&b, s ? s : "null");
			lc_buf_putc(&b, '\n');
			lc_free(s);
		}
		json_decref(v);
	}
	lc_db_close(db);
	if (!err)
		fwrite(lc_buf_cstr(&b), 1, strlen(lc_buf_cstr(&b)), stdout);
	lc_buf_cleanup(&b);
	if (err == LC_ENOTFOUND) {
		fprintf(stderr, "learncity %s: no conference '%s'\n", cmd, opts[1].value);
		return LC_EXIT_FAIL;
	}
	if (err) {
		fprintf(stderr, "learncity %s: %s\n", cmd, lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	return LC_EXIT_OK;
}

/* `learncity conference remind`: the reminder before the conference, once per person. */
static int remind(int argc, char **argv)
{
	const char *cmd = "conference remind";
	struct lc_cli_opt opts[] = {
	    {.name = "db", .required = true, .help = "the database file"},
	    {.name = "conference", .required = true, .help = "the conference's slug"},
	    {.name = "help", .flag = true, .help = "show this help"},
	    {0},
	};
	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		fputs(
		    "Usage: learncity conference remind --db PATH --conference SLUG\n"
		    "Queues the reminder e-mail to every approved participant not yet reminded.\n\n"
		    "Options:\n",
		    stdout);
		lc_cli_print_opts(opts);
		return LC_EXIT_OK;
	}
	int rc = lc_cli_parse(cmd, argc, argv, 1, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	struct lc_db *db = NULL;
	int err = lc_db_open(opts[0].value, 0, &db);
	if (err) {
		fprintf(stderr, "learncity %s: cannot open %s: %s\n", cmd, opts[0].value,
		        lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	struct lc_actor sys;
	lc_actor_system(&sys);
	long sent = 0;
	err = lc_conf_reg_remind(db, &sys, opts[1].value, &sent);
	lc_db_close(db);
	if (err == LC_ENOTFOUND) {
		fprintf(stderr, "learncity %s: no conference '%s'\n", cmd, opts[1].value);
		return LC_EXIT_FAIL;
	}
	if (err) {
		fprintf(stderr, "learncity %s: %s\n", cmd, lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	printf("learncity %s: %ld reminders queued\n", cmd, sent);
	return LC_EXIT_OK;
}

int lc_cmd_conference(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "registrations") == 0)
		return registrations(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "programme") == 0)
		return lc_cmd_conference_programme(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "remind") == 0)
		return remind(argc - 1, argv + 1);
	static const char *const door[] = {"checkin-keys", "ticket", "badges", "--help", "help"};
	for (size_t i = 0; argc >= 2 && i < sizeof door / sizeof *door; i++)
		if (strcmp(argv[1], door[i]) == 0) {
			if (i >= 3)
				fputs(usage, stdout); /* then the door's own usage */
			return lc_cmd_conference_door(argc, argv);
		}
	fprintf(stderr,
	        "learncity conference: expected 'registrations', 'programme', 'remind', "
	        "'checkin-keys', 'ticket' or 'badges'\n%s",
	        usage);
	return LC_EXIT_USAGE;
}
