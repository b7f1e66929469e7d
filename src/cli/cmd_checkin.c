/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity conference checkin-keys|badges`: the on-site side of a
 * conference from the command line.
 *
 * checkin-keys --db PATH --conference SLUG [--rotate] prints the
 * conference's ticket keys (domain/conference/ticket.h), one a line:
 * "key_id public_key(base64url) active|retired created_at", making the first
 * key when there is none; --rotate retires the active key first (tickets it
 * signed stay valid) and makes the next. Secrets are never printed.
 *
 * ticket --db PATH --conference SLUG --registration ID prints the
 * registration's current ticket (issuing the first one), the text for the
 * ticket column of a badge spreadsheet.
 *
 * badges --from FILE.csv --out FILE.pdf [--single] prints the badges of a
 * secretariat's spreadsheet (formats/badge_csv.h names its columns): an A4
 * sheet of four a page, or one A6 page a badge. The PDF is written to a
 * temporary name and renamed; a bad file writes nothing and exits 2 with
 * every problem's line and column, in LANG's language.
 *
 * Exit 0, 1 when the database or a file fails, 2 on bad usage, an unknown
 * conference or a bad spreadsheet.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "cli/cli.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/conference/event.h"
#include "domain/conference/ticket.h"
#include "formats/badge_csv.h"
#include "formats/badge_pdf.h"
#include "formats/letter_pdf.h"

/* Badges of LC_LIMIT_BADGES people: about 60 KiB of fonts, then a few KiB a page. */
#define PDF_MAX (256u << 20)

static const char *const usage =
    "Usage: learncity conference checkin-keys --db PATH --conference SLUG [--rotate]\n"
    "       learncity conference ticket --db PATH --conference SLUG --registration ID\n"
    "       learncity conference badges --from FILE.csv --out FILE.pdf [--single]\n"
    "checkin-keys prints the public keys that sign the conference's tickets\n"
    "(--rotate: retire the active key and make the next one).\n"
    "ticket prints a registration's current ticket, for a badge's QR code.\n"
    "badges prints badges from a spreadsheet (see README.md for its columns).\n";

/* Opens the database and finds the conference; prints why not. 0 or an exit code. */
static int open_conference(const char *cmd, const char *path, const char *slug, struct lc_db **db,
                           int64_t *conf)
{
	int err = lc_db_open(path, 0, db);
	if (err) {
		fprintf(stderr, "learncity %s: cannot open %s: %s\n", cmd, path, lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	struct lc_conf_event e;
	err = lc_conf_event_load(*db, slug, &e);
	if (err) {
		fprintf(stderr, "learncity %s: --conference: %s\n", cmd,
		        err == LC_ENOTFOUND ? "no conference has this slug" : lc_strerror(err));
		lc_db_close(*db);
		*db = NULL;
		return err == LC_ENOTFOUND ? LC_EXIT_USAGE : LC_EXIT_FAIL;
	}
	*conf = e.id;
	lc_conf_event_cleanup(&e);
	return 0;
}

static int ticket(int argc, char **argv)
{
	const char *cmd = "conference ticket";
	struct lc_cli_opt opts[] = {
	    {.name = "db", .required = true, .help = "the database file"},
	    {.name = "conference", .required = true, .help = "the conference's slug"},
	    {.name = "registration", .required = true, .help = "the registration's number"},
	    {.name = "help", .flag = true, .help = "show this help"},
	    {0},
	};
	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		fputs(usage, stdout);
		lc_cli_print_opts(opts);
		return LC_EXIT_OK;
	}
	int rc = lc_cli_parse(cmd, argc, argv, 1, opts, NULL, 0, NULL);
	long reg = 0;
	if (!rc)
		rc = lc_cli_opt_long(cmd, "registration", opts[2].value, 1, (long)UINT32_MAX, &reg);
	if (rc)
		return rc;
	struct lc_db *db = NULL;
	int64_t conf = 0;
	rc = open_conference(cmd, opts[0].value, opts[1].value, &db, &conf);
	if (rc)
		return rc;
	char text[LC_TICKET_CHARS + 1];
	int err = lc_ticket_current(db, conf, reg, text);
	lc_db_close(db);
	if (err) {
		fprintf(stderr, "learncity %s: %s\n", cmd, lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	printf("%s\n", text);
	return LC_EXIT_OK;
}

static int checkin_keys(int argc, char **argv)
{
	const char *cmd = "conference checkin-keys";
	struct lc_cli_opt opts[] = {
	    {.name = "db", .required = true, .help = "the database file"},
	    {.name = "conference", .required = true, .help = "the conference's slug"},
	    {.name = "rotate", .flag = true, .help = "retire the active key and make the next one"},
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
	struct lc_db *db = NULL;
	int64_t conf = 0;
	rc = open_conference(cmd, opts[0].value, opts[1].value, &db, &conf);
	if (rc)
		return rc;
	int err = lc_ticket_keys_ensure(db, conf);
	if (!err && opts[2].value) {
		struct lc_actor sys;
		lc_actor_system(&sys);
		err = lc_ticket_key_rotate(db, &sys, conf, NULL);
	}
	json_t *keys = NULL;
	if (!err)
		err = lc_ticket_keys_json(db, conf, &keys);
	lc_db_close(db);
	if (err) {
		fprintf(stderr, "learncity %s: %s\n", cmd, lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	size_t i;
	json_t *k;
	json_array_foreach(keys, i, k)
	{
		printf("%lld %s %s %s\n",
		       (long long)json_integer_value(json_object_get(k, "key_id")),
		       json_string_value(json_object_get(k, "public_key")),
		       json_is_true(json_object_get(k, "active")) ? "active" : "retired",
		       json_string_value(json_object_get(k, "created_at")));
	}
	json_decref(keys);
	return LC_EXIT_OK;
}

static int badges(int argc, char **argv)
{
	const char *cmd = "conference badges";
	struct lc_cli_opt opts[] = {
	    {.name = "from", .required = true, .help = "the spreadsheet, CSV in UTF-8"},
	    {.name = "out", .required = true, .help = "the PDF to write"},
	    {.name = "single", .flag = true, .help = "one A6 badge a page instead of A4 sheets"},
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
	struct lc_diag d;
	struct lc_badge_csv sheet;
	struct lc_buf pdf, msg;
	lc_diag_init(&d);
	lc_badge_csv_init(&sheet);
	lc_buf_init(&pdf, PDF_MAX);
	lc_buf_init(&msg, 1u << 20);
	int err = lc_badge_csv_read_file(&sheet, opts[0].value, &d);
	if (err) {
		lc_cli_format_diag(&d, &msg);
		fprintf(stderr, "%s", lc_buf_cstr(&msg));
		rc = err == LC_EIO ? LC_EXIT_FAIL : LC_EXIT_USAGE;
		goto out;
	}
	err = lc_badge_pdf(sheet.badges, sheet.n, opts[2].value != NULL, &pdf);
	lc_pdf_fonts_release();
	if (err) {
		fprintf(stderr, "learncity %s: cannot draw the badges: %s\n", cmd,
		        lc_strerror(err));
		rc = LC_EXIT_FAIL;
		goto out;
	}
	if (lc_cli_write_atomic(opts[1].value, &pdf) != 0) {
		fprintf(stderr, "learncity %s: cannot write %s: %s\n", cmd, opts[1].value,
		        strerror(errno));
		rc = LC_EXIT_FAIL;
		goto out;
	}
	printf("learncity %s: %zu badges written to %s\n", cmd, sheet.n, opts[1].value);
out:
	lc_buf_cleanup(&msg);
	lc_buf_cleanup(&pdf);
	lc_badge_csv_cleanup(&sheet);
	lc_diag_cleanup(&d);
	return rc;
}

int lc_cmd_conference_door(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "badges") == 0)
		return badges(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "ticket") == 0)
		return ticket(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "checkin-keys") == 0)
		return checkin_keys(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)) {
		fputs(usage, stdout);
		return LC_EXIT_OK;
	}
	fprintf(stderr, "learncity conference: expected 'checkin-keys', 'ticket' or 'badges'\n%s",
	        usage);
	return LC_EXIT_USAGE;
}
