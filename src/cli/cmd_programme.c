/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity conference programme export|import`: a conference programme's
 * work in progress to and from a file, for the secretariat at the command
 * line (the operator acts as the system).
 *
 *   export --db PATH --conference SLUG [--format csv|json] [--out FILE]
 *     JSON: the whole programme document (rooms, types, tracks, speakers,
 *     sessions); CSV: the sessions. Standard output without --out; a file is
 *     written under a temporary name and renamed.
 *   import --db PATH --conference SLUG [--format csv|json] FILE
 *     Into the work in progress (not a release), all or nothing: every
 *     problem is printed with its row and field and the database is left as
 *     it was. The format follows the file's extension (.csv) unless given.
 *
 * Exit 1 on a problem (the conference does not exist, the file is refused),
 * 2 on bad usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "cli/cli.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/conference/event.h"
#include "domain/conference/programme_io.h"
#include "formats/programme_file.h"

static const char *const usage =
    "Usage: learncity conference programme export --db PATH --conference SLUG\n"
    "                                             [--format csv|json] [--out FILE]\n"
    "       learncity conference programme import --db PATH --conference SLUG\n"
    "                                             [--format csv|json] FILE\n"
    "Writes a conference programme's work in progress to a file (JSON: rooms, types,\n"
    "tracks, speakers and sessions; CSV: the sessions), or reads one into it, all or\n"
    "nothing: any problem is printed with its row and nothing is changed.\n\nOptions:\n";

/* Reads at most LC_LIMIT_PROG_IMPORT_BYTES of path into b. 0, LC_EIO, LC_ELIMIT. */
static int read_file(const char *path, struct lc_buf *b)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return LC_EIO;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		lc_buf_append(b, chunk, n);
	int err = ferror(f) ? LC_EIO : lc_buf_error(b) ? LC_ELIMIT : 0;
	fclose(f);
	return err;
}

static bool is_csv(const char *fmt, const char *path)
{
	if (fmt)
		return strcmp(fmt, "csv") == 0;
	size_t n = strlen(path);
	return n >= 4 && strcmp(path + n - 4, ".csv") == 0;
}

static int run(bool import, int argc, char **argv)
{
	const char *cmd = import ? "conference programme import" : "conference programme export";
	struct lc_cli_opt opts[] = {
	    {.name = "db", .required = true, .help = "the database file"},
	    {.name = "conference", .required = true, .help = "the conference's slug"},
	    {.name = "format", .help = "csv or json (export: json by default)"},
	    {.name = "out", .help = "export: the file to write (standard output by default)"},
	    {.name = "help", .flag = true, .help = "show this help"},
	    {0},
	};
	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		fputs(usage, stdout);
		lc_cli_print_opts(opts);
		return LC_EXIT_OK;
	}
	const char *pos[1] = {NULL};
	size_t npos = 0;
	int rc = lc_cli_parse(cmd, argc, argv, 1, opts, pos, import ? 1 : 0, &npos);
	if (rc)
		return rc;
	const char *fmt = opts[2].value;
	if (fmt && strcmp(fmt, "csv") != 0 && strcmp(fmt, "json") != 0) {
		fprintf(stderr, "learncity %s: --format: '%s' is neither csv nor json\n", cmd, fmt);
		return LC_EXIT_USAGE;
	}
	if (import && (npos != 1 || opts[3].value)) {
		fprintf(stderr, "learncity %s: expected one FILE (and no --out)\n%s", cmd, usage);
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
	struct lc_conf_event e = {0};
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_buf b;
	lc_buf_init(&b, import ? LC_LIMIT_PROG_IMPORT_BYTES : LC_LIMIT_PROG_EXPORT_BYTES);
	json_t *doc = NULL, *counts = NULL;
	int status = LC_EXIT_FAIL;
	err = lc_conf_event_load(db, opts[1].value, &e);
	if (err == LC_ENOTFOUND) {
		fprintf(stderr, "learncity %s: no conference '%s'\n", cmd, opts[1].value);
		goto out;
	}
	if (!err && !import) {
		err = lc_prog_export_doc(db, &sys, &e, &doc);
		if (!err && fmt && strcmp(fmt, "csv") == 0) {
			err = lc_prog_file_write_csv(doc, e.languages, &b);
		} else if (!err) {
			char *s = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
			lc_buf_puts(&b, s ? s : "null");
			lc_buf_putc(&b, '\n');
			lc_free(s);
			err = lc_buf_error(&b);
		}
		if (!err && opts[3].value && lc_cli_write_atomic(opts[3].value, &b) != 0) {
			fprintf(stderr, "learncity %s: cannot write %s: %s\n", cmd, opts[3].value,
			        strerror(errno));
			goto out;
		}
		if (!err && !opts[3].value)
			fwrite(b.data, 1, b.len, stdout);
	} else if (!err) {
		err = read_file(pos[0], &b);
		if (err == LC_EIO) {
			fprintf(stderr, "learncity %s: cannot read %s: %s\n", cmd, pos[0],
			        strerror(errno));
			goto out;
		}
		if (err == LC_ELIMIT)
			lc_diag_addf(&d, NULL, 0, 0, NULL, "err_prog_file_too_big",
			             LC_ARG_I("limit", LC_LIMIT_PROG_IMPORT_BYTES));
		else if (is_csv(fmt, pos[0]))
			err = lc_prog_file_parse_csv(b.data, b.len, &doc, &d);
		else
			err = lc_prog_file_parse_json(b.data, b.len, &doc, &d);
		if (!err)
			err = lc_prog_import(db, &sys, &e, doc, &d, &counts);
		if (!err)
			printf(
			    "learncity %s: %lld created, %lld updated in the work in progress of "
			    "%s\n",
			    cmd, (long long)json_integer_value(json_object_get(counts, "created")),
			    (long long)json_integer_value(json_object_get(counts, "updated")),
			    e.slug);
	}
	if (lc_diag_total(&d)) {
		/* Rows are the file's: say which file, as a compiler would. */
		for (size_t k = 0; import && k < d.count; k++)
			if (!d.items[k].file && d.items[k].line)
				d.items[k].file = lc_xstrdup(pos[0]);
		struct lc_buf msg;
		lc_buf_init(&msg, 1u << 20);
		lc_cli_format_diag(&d, &msg);
		fprintf(stderr, "learncity %s: %s: nothing was changed\n%s", cmd,
		        import ? pos[0] : e.slug, lc_buf_cstr(&msg));
		lc_buf_cleanup(&msg);
	} else if (err) {
		fprintf(stderr, "learncity %s: %s\n", cmd, lc_strerror(err));
	}
	if (!err)
		status = LC_EXIT_OK;
out:
	json_decref(doc);
	json_decref(counts);
	lc_buf_cleanup(&b);
	lc_diag_cleanup(&d);
	lc_conf_event_cleanup(&e);
	lc_db_close(db);
	return status;
}

int lc_cmd_conference_programme(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "export") == 0)
		return run(false, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return run(true, argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)) {
		fputs(usage, stdout);
		return LC_EXIT_OK;
	}
	fprintf(stderr, "learncity conference programme: expected 'export' or 'import'\n%s", usage);
	return LC_EXIT_USAGE;
}
