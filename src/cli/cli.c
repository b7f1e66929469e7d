/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Command dispatch and option parsing for the command line (cli.h). */
#include "cli/cli.h"

#include "base/buf.h"
#include "base/catalogue.h"
#include "base/diag.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/slice.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
    {"serve", lc_cmd_serve, "serve the web interface and the JSON API"},
    {"init", lc_cmd_init, "create an empty database with the framework loaded"},
    {"demo", lc_cmd_demo, "create a database with the framework and demonstration data"},
    {"check", lc_cmd_check, "check a database's integrity and migration state"},
    {"index", lc_cmd_index, "compute a composite index from COINr-format files"},
    {"award", lc_cmd_award, "rank an award round's nominations from the jurors' scores"},
    {"conference", lc_cmd_conference,
     "a conference's registrations (CSV or JSON), ticket keys, tickets and badges"},
    {"user", lc_cmd_user, "add, list, change the password of, or disable accounts"},
    {"outbox", lc_cmd_outbox, "deliver queued e-mail by SMTP"},
    {"import", lc_cmd_import, "import observations from a CSV file, all or nothing"},
    {"workflow", lc_cmd_workflow, "send due reminders and take deadline steps of workflows"},
    {"framework", lc_cmd_framework, "list, export, import or publish framework versions"},
    {"backup", lc_cmd_backup, "copy a database safely while the server runs, and check the copy"},
    {"restore", lc_cmd_restore, "replace a database with a checked backup"},
    {"library", lc_cmd_library, "export, import or reindex the case-study library"},
    {NULL, NULL, NULL},
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: learncity <command> [options]\n"
	           "       learncity --help | --version\n\nCommands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "\nRun 'learncity <command> --help' for a command's options.\n");
}

int lc_cli_main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return LC_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
		usage(stdout);
		return LC_EXIT_OK;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
		printf("learncity %s\n", LC_VERSION);
		return LC_EXIT_OK;
	}
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "learncity: unknown command '%s'\n", name);
	usage(stderr);
	return LC_EXIT_USAGE;
}

static struct lc_cli_opt *find_opt(struct lc_cli_opt *opts, struct lc_slice name)
{
	for (struct lc_cli_opt *o = opts; o->name; o++)
		if (lc_slice_eq(name, o->name))
			return o;
	return NULL;
}

int lc_cli_parse(const char *cmd, int argc, char **argv, int first, struct lc_cli_opt *opts,
                 const char **pos, size_t max_pos, size_t *npos)
{
	size_t np = 0;
	bool only_pos = false;
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		if (only_pos || a[0] != '-' || a[1] == '\0') {
			if (np == max_pos) {
				fprintf(stderr, "learncity %s: unexpected argument '%s'\n", cmd, a);
				return LC_EXIT_USAGE;
			}
			pos[np++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (a[1] != '-') {
			fprintf(stderr, "learncity %s: unknown option '%s'\n", cmd, a);
			return LC_EXIT_USAGE;
		}
		struct lc_slice body = lc_slice_cstr(a + 2), name;
		struct lc_slice val = lc_slice_cut(body, '=', &name);
		struct lc_cli_opt *o = find_opt(opts, name);
		if (!o) {
			fprintf(stderr, "learncity %s: unknown option '--%.*s'\n", cmd,
			        (int)name.len, name.ptr);
			return LC_EXIT_USAGE;
		}
		if (o->flag) {
			if (val.ptr) {
				fprintf(stderr, "learncity %s: option '--%s' takes no value\n", cmd,
				        o->name);
				return LC_EXIT_USAGE;
			}
			o->value = "1";
		} else if (val.ptr) {
			o->value = val.ptr;
		} else if (i + 1 < argc) {
			o->value = argv[++i];
		} else {
			fprintf(stderr, "learncity %s: option '--%s' needs a value\n", cmd,
			        o->name);
			return LC_EXIT_USAGE;
		}
	}
	for (struct lc_cli_opt *o = opts; o->name; o++) {
		if (o->required && !o->value) {
			fprintf(stderr, "learncity %s: option '--%s' is required\n", cmd, o->name);
			return LC_EXIT_USAGE;
		}
	}
	if (npos)
		*npos = np;
	return 0;
}

void lc_cli_print_opts(const struct lc_cli_opt *opts)
{
	for (const struct lc_cli_opt *o = opts; o->name; o++) {
		char left[64];
		snprintf(left, sizeof left, "--%s%s", o->name, o->flag ? "" : " VALUE");
		printf("  %-24s %s%s%s%s\n", left, o->help, o->required ? " (required)" : "",
		       o->value && !o->flag ? "; default " : "",
		       o->value && !o->flag ? o->value : "");
	}
}

int lc_cli_opt_long(const char *cmd, const char *name, const char *value, long lo, long hi,
                    long *out)
{
	if (lc_slice_to_long(lc_slice_cstr(value), lo, hi, out) != 0) {
		fprintf(stderr,
		        "learncity %s: --%s must be a whole number from %ld to %ld, not '%s'\n",
		        cmd, name, lo, hi, value);
		return LC_EXIT_USAGE;
	}
	return 0;
}

static const struct {
	char unit;
	long seconds;
} units[] = {{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};

void lc_cli_format_duration(long s, char *out, size_t size)
{
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (s % units[i].seconds == 0 || units[i].seconds == 1) {
			snprintf(out, size, "%ld%c", s / units[i].seconds, units[i].unit);
			return;
		}
	}
}

int lc_cli_opt_duration(const char *cmd, const char *name, const char *value, long lo, long hi,
                        long *out)
{
	if (!value)
		value = "";
	struct lc_slice v = lc_slice_cstr(value);
	long n = 0;
	bool ok = false;
	if (v.len >= 2 && v.ptr[0] >= '0' && v.ptr[0] <= '9') {
		for (size_t i = 0; i < sizeof units / sizeof units[0] && !ok; i++) {
			if (v.ptr[v.len - 1] != units[i].unit)
				continue;
			/* The number alone must fit [lo, hi] once multiplied: no overflow. */
			ok = lc_slice_to_long(lc_slice_make(v.ptr, v.len - 1), 0,
			                      hi / units[i].seconds, &n) == 0;
			n *= units[i].seconds;
		}
	}
	if (!ok || n < lo || n > hi) {
		char a[32], b[32];
		lc_cli_format_duration(lo, a, sizeof a);
		lc_cli_format_duration(hi, b, sizeof b);
		fprintf(stderr,
		        "learncity %s: --%s must be a duration such as 30m, 24h or 7d (a whole "
		        "number and one of s, m, h, d) from %s to %s, not '%s'\n",
		        cmd, name, a, b, value);
		return LC_EXIT_USAGE;
	}
	*out = n;
	return 0;
}

const char *lc_cli_language(const struct lc_catalogue *cat)
{
	const char *env = getenv("LANG");
	char tag[9] = "";
	size_t n = 0;
	while (env && n < sizeof tag - 1 && env[n] >= 'a' && env[n] <= 'z') {
		tag[n] = env[n];
		n++;
	}
	const char *lang = lc_catalogue_supported(cat, lc_slice_make(tag, n));
	return lang ? lang : "en";
}

void lc_cli_format_diag(const struct lc_diag *d, struct lc_buf *out)
{
	struct lc_catalogue *cat = NULL;
	if (lc_catalogue_new_embedded(&cat, NULL) != 0) {
		lc_diag_format(d, out);
		return;
	}
	lc_catalogue_format_diag(cat, lc_cli_language(cat), d, out);
	lc_catalogue_free(cat);
}

int lc_cli_write_atomic(const char *path, const struct lc_buf *b)
{
	struct lc_buf tmp;
	lc_buf_init(&tmp, 4096 + 16);
	lc_buf_printf(&tmp, "%s.XXXXXX", path);
	if (lc_buf_error(&tmp)) {
		lc_buf_cleanup(&tmp);
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkstemp(tmp.data);
	int rc = -1;
	if (fd < 0)
		goto out;
	/* mkstemp creates 0600; an export, a PDF or a badge sheet is shared like any output. */
	FILE *f = fchmod(fd, 0644) == 0 ? fdopen(fd, "wb") : NULL;
	if (!f) {
		close(fd);
		unlink(tmp.data);
		goto out;
	}
	bool ok = b->len == 0 || fwrite(b->data, 1, b->len, f) == b->len;
	ok = fflush(f) == 0 && ok;
	ok = fsync(fileno(f)) == 0 && ok;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp.data, path) != 0) {
		int saved = errno;
		unlink(tmp.data);
		errno = saved;
		goto out;
	}
	rc = 0;
out:
	lc_buf_cleanup(&tmp);
	return rc;
}
