/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity framework list|export|import|publish`: the framework versions
 * from the command line (domain/monitoring/framework.h does the work).
 *
 *   list                      the versions with their status and counts
 *   export [--version CODE] [--format json|csv] [--output FILE]
 *                             a version (default: the current one) as JSON or CSV,
 *                             to stdout or written atomically to FILE
 *   import FILE [--code CODE] [--title TEXT] [--format json|csv]
 *                             a new draft from a JSON or CSV file, all or nothing;
 *                             exit 2 with every problem (line, column, value, reason)
 *   publish CODE              makes draft CODE the current version
 *
 * The actor is the command-line operator unless --as names an active
 * account, whose permissions then apply. It owns no rule.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/catalogue.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "cli/cli.h"
#include "db/db.h"
#include "domain/accounts/account.h"
#include "domain/accounts/authz.h"
#include "domain/monitoring/framework.h"

/* The entry in the environment's language, appended to out. */
static void say_problem(const struct lc_diag_entry *e, struct lc_buf *out)
{
	struct lc_catalogue *cat = NULL;
	if (lc_catalogue_new_embedded(&cat, NULL) != 0)
		cat = NULL;
	lc_catalogue_message(cat, cat ? lc_cli_language(cat) : "en", e, out);
	lc_catalogue_free(cat);
}

/*
 * A file's problems one a line, "line L, column C, field: "value": reason",
 * in the environment's language.
 */
static void format_problems(const struct lc_diag *p, struct lc_buf *out)
{
	struct lc_catalogue *cat = NULL;
	if (lc_catalogue_new_embedded(&cat, NULL) != 0)
		cat = NULL;
	const char *lang = cat ? lc_cli_language(cat) : "en";
	for (size_t i = 0; i < p->count; i++) {
		const struct lc_diag_entry *e = &p->items[i];
		const char *value = lc_diag_arg(e, "value");
		if (e->line)
			lc_buf_printf(out, "line %ld, ", e->line);
		if (e->column)
			lc_buf_printf(out, "column %ld, ", e->column);
		if (e->field)
			lc_buf_printf(out, "%s: ", e->field);
		if (value)
			lc_buf_printf(out, "\"%s\": ", value);
		lc_catalogue_message(cat, lang, e, out);
		lc_buf_putc(out, '\n');
	}
	if (p->dropped)
		lc_buf_printf(out, "... and %zu more problem(s)\n", p->dropped);
	lc_catalogue_free(cat);
}

static const char *const usage =
    "Usage: learncity framework list --db PATH\n"
    "       learncity framework export --db PATH [--version CODE] [--format json|csv]\n"
    "                                  [--output FILE]\n"
    "       learncity framework import FILE --db PATH [--code CODE] [--title TEXT]\n"
    "                                  [--format json|csv] [--as EMAIL]\n"
    "       learncity framework publish CODE --db PATH [--as EMAIL]\n"
    "Framework versions: list them, export one as JSON or CSV (one row per\n"
    "measurement), import a file as a new draft (all or nothing, every problem\n"
    "listed), publish a draft as the current version.\n\nOptions:\n";

enum { O_DB, O_VERSION, O_FORMAT, O_OUTPUT, O_CODE, O_TITLE, O_AS, O_HELP };

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && lc_slice_eq_nocase(lc_slice_make(s + n - m, m), suffix);
}

/* Writes buf to path through a temporary file and a rename. */
static int write_atomic(const char *path, const struct lc_buf *buf)
{
	if (lc_cli_write_atomic(path, buf) == 0)
		return 0;
	fprintf(stderr, "learncity framework: cannot write %s: %s\n", path, strerror(errno));
	return LC_EIO;
}

/* Reads a whole file of at most max bytes into out. */
static int read_all(const char *path, size_t max, struct lc_buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "learncity framework: cannot read %s: %s\n", path, strerror(errno));
		return LC_EIO;
	}
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (out->len + n > max) {
			fclose(f);
			fprintf(stderr, "learncity framework: %s is larger than %zu bytes\n", path,
			        max);
			return LC_ELIMIT;
		}
		lc_buf_append(out, chunk, n);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad || lc_buf_error(out)) {
		fprintf(stderr, "learncity framework: cannot read %s\n", path);
		return LC_EIO;
	}
	return 0;
}

static int load_actor(struct lc_db *db, const char *as, struct lc_actor *actor)
{
	lc_actor_system(actor);
	if (!as)
		return 0;
	struct lc_account acc;
	int err = lc_account_find(db, as, &acc);
	if (!err)
		err = lc_actor_load(db, acc.id, actor);
	if (err)
		fprintf(stderr, "learncity framework: --as %s: no active account (%s)\n", as,
		        lc_strerror(err));
	return err;
}

static int cmd_list(struct lc_db *db)
{
	json_t *vm = NULL;
	int err = lc_framework_versions(db, "en", true, 1, LC_LIMIT_PER_PAGE, &vm);
	if (err) {
		fprintf(stderr, "learncity framework: %s\n", lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	size_t i;
	json_t *it;
	printf("%-20s %-10s %-7s %6s %6s %8s %12s %5s  %s\n", "code", "status", "current", "parts",
	       "areas", "features", "measurements", "runs", "title");
	json_array_foreach(json_object_get(vm, "items"), i, it)
	{
		printf("%-20s %-10s %-7s %6lld %6lld %8lld %12lld %5lld  %s\n",
		       json_string_value(json_object_get(it, "code")),
		       json_string_value(json_object_get(it, "status")),
		       json_is_true(json_object_get(it, "is_current")) ? "yes" : "",
		       (long long)json_integer_value(json_object_get(it, "parts")),
		       (long long)json_integer_value(json_object_get(it, "areas")),
		       (long long)json_integer_value(json_object_get(it, "features")),
		       (long long)json_integer_value(json_object_get(it, "measurements")),
		       (long long)json_integer_value(json_object_get(it, "runs")),
		       json_string_value(json_object_get(it, "title")));
	}
	json_decref(vm);
	return LC_EXIT_OK;
}

static int cmd_export(struct lc_db *db, const struct lc_cli_opt *opts)
{
	const char *format = opts[O_FORMAT].value, *out = opts[O_OUTPUT].value;
	if (!format)
		format = out && ends_with(out, ".csv") ? "csv" : "json";
	if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "learncity framework: --format must be json or csv\n");
		return LC_EXIT_USAGE;
	}
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_DATA_FILE * 4u);
	int err;
	if (strcmp(format, "csv") == 0) {
		err = lc_framework_export_csv(db, opts[O_VERSION].value, &b);
	} else {
		json_t *doc = NULL;
		err = lc_framework_export_json(db, opts[O_VERSION].value, &doc);
		if (!err) {
			/* Indented for people and diffs; 17 digits so that numbers round-trip. */
			size_t n =
			    json_dumpb(doc, NULL, 0, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
			char *s = lc_xmalloc(n + 1);
			json_dumpb(doc, s, n, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
			lc_buf_append(&b, s, n);
			lc_buf_putc(&b, '\n');
			lc_free(s);
		}
		json_decref(doc);
	}
	int rc = LC_EXIT_OK;
	if (err) {
		fprintf(stderr, "learncity framework: export %s: %s\n",
		        opts[O_VERSION].value ? opts[O_VERSION].value : "(current)",
		        err == LC_ENOTFOUND ? "no such version" : lc_strerror(err));
		rc = err == LC_ENOTFOUND ? LC_EXIT_USAGE : LC_EXIT_FAIL;
	} else if (out) {
		rc = write_atomic(out, &b) ? LC_EXIT_FAIL : LC_EXIT_OK;
	} else if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
		rc = LC_EXIT_FAIL;
	}
	lc_buf_cleanup(&b);
	return rc;
}

static int cmd_import(struct lc_db *db, const char *file, const struct lc_cli_opt *opts)
{
	const char *format = opts[O_FORMAT].value;
	if (!format)
		format = ends_with(file, ".csv") ? "csv" : "json";
	if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "learncity framework: --format must be json or csv\n");
		return LC_EXIT_USAGE;
	}
	struct lc_actor actor;
	if (load_actor(db, opts[O_AS].value, &actor))
		return LC_EXIT_USAGE;
	struct lc_buf text;
	lc_buf_init(&text, LC_LIMIT_DATA_FILE + 1);
	int err = read_all(file, LC_LIMIT_DATA_FILE, &text);
	if (err) {
		lc_buf_cleanup(&text);
		return err == LC_ELIMIT ? LC_EXIT_USAGE : LC_EXIT_FAIL;
	}
	struct lc_framework_import_opts o = {
	    .format = strcmp(format, "csv") == 0 ? LC_FRAMEWORK_CSV : LC_FRAMEWORK_JSON,
	    .code = opts[O_CODE].value,
	    .title = opts[O_TITLE].value};
	struct lc_diag p;
	lc_diag_init(&p);
	char code[40] = "";
	err = lc_framework_import(db, &actor, text.data ? text.data : "", text.len, &o, code,
	                          sizeof code, &p);
	int rc = LC_EXIT_OK;
	if (err == LC_EINVAL || err == LC_ELIMIT) {
		struct lc_buf msg;
		lc_buf_init(&msg, 4u << 20);
		format_problems(&p, &msg);
		fprintf(stderr, "learncity framework: %s: %zu problem(s), nothing written\n%s",
		        file, p.count + p.dropped, lc_buf_cstr(&msg));
		lc_buf_cleanup(&msg);
		rc = LC_EXIT_USAGE;
	} else if (err) {
		fprintf(stderr, "learncity framework: %s: %s; nothing written\n", file,
		        lc_strerror(err));
		rc = err == LC_EPERM || err == LC_EAUTH ? LC_EXIT_USAGE : LC_EXIT_FAIL;
	} else {
		printf("learncity framework: %s: imported as draft version %s\n", file, code);
	}
	lc_diag_cleanup(&p);
	lc_buf_cleanup(&text);
	return rc;
}

static int cmd_publish(struct lc_db *db, const char *code, const struct lc_cli_opt *opts)
{
	struct lc_actor actor;
	if (load_actor(db, opts[O_AS].value, &actor))
		return LC_EXIT_USAGE;
	struct lc_diag p;
	lc_diag_init(&p);
	int err = lc_framework_publish(db, &actor, code, &p);
	int rc = LC_EXIT_OK;
	if (err) {
		struct lc_buf msg;
		lc_buf_init(&msg, 4096);
		if (p.count)
			say_problem(&p.items[0], &msg);
		fprintf(stderr, "learncity framework: publish %s: %s\n", code,
		        p.count               ? lc_buf_cstr(&msg)
		        : err == LC_ENOTFOUND ? "no such version"
		                              : lc_strerror(err));
		lc_buf_cleanup(&msg);
		rc = err == LC_EDB ? LC_EXIT_FAIL : LC_EXIT_USAGE;
	} else {
		printf("learncity framework: %s is published and current\n", code);
	}
	lc_diag_cleanup(&p);
	return rc;
}

int lc_cmd_framework(int argc, char **argv)
{
	struct lc_cli_opt opts[] = {
	    [O_DB] = {.name = "db", .help = "the database file"},
	    [O_VERSION] = {.name = "version",
	                   .help = "export: the version's code (default current)"},
	    [O_FORMAT] = {.name = "format", .help = "json or csv (default: from the file name)"},
	    [O_OUTPUT] = {.name = "output", .help = "export: write to this file (default stdout)"},
	    [O_CODE] = {.name = "code",
	                .help = "import: the new version's code (required for CSV)"},
	    [O_TITLE] = {.name = "title", .help = "import: the new version's English title"},
	    [O_AS] = {.name = "as", .help = "act as this account (its permissions apply)"},
	    [O_HELP] = {.name = "help", .flag = true, .help = "show this help"},
	    {0},
	};
	const char *pos[3] = {NULL, NULL, NULL};
	size_t npos = 0;
	int rc = lc_cli_parse("framework", argc, argv, 1, opts, pos, 3, &npos);
	if (rc)
		return rc;
	if (opts[O_HELP].value) {
		fputs(usage, stdout);
		lc_cli_print_opts(opts);
		return LC_EXIT_OK;
	}
	const char *sub = npos > 0 ? pos[0] : "";
	bool needs_arg = strcmp(sub, "import") == 0 || strcmp(sub, "publish") == 0;
	bool known = needs_arg || strcmp(sub, "list") == 0 || strcmp(sub, "export") == 0;
	if (!known || npos != (needs_arg ? 2u : 1u)) {
		fputs(usage, stderr);
		return LC_EXIT_USAGE;
	}
	if (!opts[O_DB].value || !opts[O_DB].value[0]) {
		fprintf(stderr, "learncity framework: option '--db' is required\n");
		return LC_EXIT_USAGE;
	}
	struct lc_db *db = NULL;
	int err = lc_db_open(opts[O_DB].value, 0, &db);
	if (err) {
		fprintf(stderr, "learncity framework: cannot open %s: %s\n", opts[O_DB].value,
		        lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	if (strcmp(sub, "list") == 0)
		rc = cmd_list(db);
	else if (strcmp(sub, "export") == 0)
		rc = cmd_export(db, opts);
	else if (strcmp(sub, "import") == 0)
		rc = cmd_import(db, pos[1], opts);
	else
		rc = cmd_publish(db, pos[1], opts);
	lc_db_close(db);
	return rc;
}
