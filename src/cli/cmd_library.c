/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity library export|import|reindex`: the case-study library from the
 * command line (domain/library/library.h does the work).
 *
 *   export --db PATH [--out FILE]     every case, every version and translation and its
 *                                     state as JSON (the format of lc_library_export), to
 *                                     stdout or written atomically to FILE
 *   import --db PATH [--new-ids] FILE the cases of such a file, all or nothing; exit 2 with
 *                                     every problem and its place, the database unchanged
 *   reindex --db PATH                 rebuilds the search index from the published versions,
 *                                     then runs FTS5's integrity-check and says so
 *
 * The actor is the command-line operator (the system), who curates.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/catalogue.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "cli/cli.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/library/library.h"

static const char *const usage =
    "Usage: learncity library export --db PATH [--out FILE]\n"
    "       learncity library import --db PATH [--new-ids] FILE\n"
    "       learncity library reindex --db PATH\n"
    "The case-study library: export every case with all its versions, translations\n"
    "and state as JSON; import such a file (all or nothing, every problem listed with\n"
    "its place); rebuild the search index from the published versions and check it.\n"
    "\nOptions:\n";

enum { O_DB, O_OUT, O_NEW_IDS, O_HELP };

/* Writes buf to path through a temporary file and a rename. 0 or LC_EIO (said). */
static int write_atomic(const char *path, const struct lc_buf *buf)
{
	if (lc_cli_write_atomic(path, buf) == 0)
		return 0;
	fprintf(stderr, "learncity library: cannot write %s: %s\n", path, strerror(errno));
	return LC_EIO;
}

/* Reads a whole file of at most max bytes into out. */
static int read_all(const char *path, size_t max, struct lc_buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "learncity library: cannot read %s: %s\n", path, strerror(errno));
		return LC_EIO;
	}
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (out->len + n > max) {
			fclose(f);
			fprintf(stderr, "learncity library: %s is larger than %zu bytes\n", path,
			        max);
			return LC_ELIMIT;
		}
		lc_buf_append(out, chunk, n);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad || lc_buf_error(out)) {
		fprintf(stderr, "learncity library: cannot read %s\n", path);
		return LC_EIO;
	}
	return 0;
}

/* The problems one a line, "place: message", in the environment's language. */
static void format_problems(const struct lc_diag *p, struct lc_buf *out)
{
	struct lc_catalogue *cat = NULL;
	if (lc_catalogue_new_embedded(&cat, NULL) != 0)
		cat = NULL;
	const char *lang = cat ? lc_cli_language(cat) : "en";
	for (size_t i = 0; i < p->count; i++) {
		const struct lc_diag_entry *e = &p->items[i];
		if (e->line)
			lc_buf_printf(out, "line %ld, column %ld: ", e->line, e->column);
		if (e->field)
			lc_buf_printf(out, "%s: ", e->field);
		lc_catalogue_message(cat, lang, e, out);
		lc_buf_putc(out, '\n');
	}
	if (p->dropped)
		lc_buf_printf(out, "... and %zu more problem(s)\n", p->dropped);
	lc_catalogue_free(cat);
}

static int cmd_export(struct lc_db *db, const char *out)
{
	json_t *doc = NULL;
	int err = lc_library_export(db, &doc);
	if (err) {
		fprintf(stderr, "learncity library: export: %s\n", lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	/* Keys sorted and one space of indent: the same library, the same bytes, readable
	 * diffs; 17 digits so that the indicators' numbers round-trip. */
	size_t flags = JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(17);
	size_t n = json_dumpb(doc, NULL, 0, flags);
	int rc = LC_EXIT_OK;
	if (n == 0 || n > LC_LIMIT_LIBRARY_EXPORT_BYTES) {
		fprintf(stderr, "learncity library: export: the library is larger than %u bytes\n",
		        LC_LIMIT_LIBRARY_EXPORT_BYTES);
		json_decref(doc);
		return LC_EXIT_FAIL;
	}
	struct lc_buf b;
	lc_buf_init(&b, n + 2);
	char *s = lc_xmalloc(n + 1);
	json_dumpb(doc, s, n, flags);
	lc_buf_append(&b, s, n);
	lc_buf_putc(&b, '\n');
	lc_free(s);
	size_t cases = json_array_size(json_object_get(doc, "cases"));
	json_decref(doc);
	if (out) {
		rc = write_atomic(out, &b) ? LC_EXIT_FAIL : LC_EXIT_OK;
		if (rc == LC_EXIT_OK)
			printf("learncity library: %zu case(s) written to %s\n", cases, out);
	} else if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
		rc = LC_EXIT_FAIL;
	}
	lc_buf_cleanup(&b);
	return rc;
}

static int cmd_import(struct lc_db *db, const char *file, bool new_ids)
{
	struct lc_buf text;
	lc_buf_init(&text, LC_LIMIT_LIBRARY_IMPORT_BYTES + 1);
	int err = read_all(file, LC_LIMIT_LIBRARY_IMPORT_BYTES, &text);
	if (err) {
		lc_buf_cleanup(&text);
		return err == LC_ELIMIT ? LC_EXIT_USAGE : LC_EXIT_FAIL;
	}
	/* One transaction writes the whole library: a page cache that holds it spares SQLite
	 * from spilling pages to the WAL and reading them back (2.9 s of CPU instead of 4.3 for
	 * 2,000 cases; bench/library). Only this connection's, for this command. */
	lc_db_exec(db, "PRAGMA cache_size = -" LC_LIMIT_LIBRARY_IMPORT_CACHE_KIB);
	struct lc_actor sys;
	lc_actor_system(&sys);
	struct lc_diag p;
	lc_diag_init(&p);
	size_t count = 0;
	err = lc_library_import(db, &sys, text.data ? text.data : "", text.len,
	                        new_ids ? LC_LIBRARY_IMPORT_NEW_IDS : 0, &count, &p);
	lc_buf_cleanup(&text);
	int rc = LC_EXIT_OK;
	if (err == LC_EINVAL || err == LC_ELIMIT) {
		struct lc_buf msg;
		lc_buf_init(&msg, 4u << 20);
		format_problems(&p, &msg);
		fprintf(stderr, "learncity library: %s: %zu problem(s), nothing written\n%s", file,
		        p.count + p.dropped, lc_buf_cstr(&msg));
		lc_buf_cleanup(&msg);
		rc = LC_EXIT_USAGE;
	} else if (err) {
		fprintf(stderr, "learncity library: %s: %s; nothing written\n", file,
		        lc_strerror(err));
		rc = LC_EXIT_FAIL;
	} else {
		printf("learncity library: %s: %zu case(s) imported\n", file, count);
	}
	lc_diag_cleanup(&p);
	return rc;
}

static int cmd_reindex(struct lc_db *db)
{
	int err = lc_library_reindex(db);
	if (err) {
		fprintf(stderr, "learncity library: reindex: %s\n", lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	long long n = 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT count(*) FROM lib_cases"
	                                  " WHERE published IS NOT NULL AND withdrawn_at IS NULL");
	if (st && lc_db_step(db, st) == 1)
		n = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	const char *bad = NULL;
	err = lc_library_fts_check(db, &bad);
	if (err) {
		fprintf(
		    stderr,
		    "learncity library: reindexed %lld published case(s), but the integrity-check"
		    " of the %s index fails: %s\n",
		    n, bad ? bad : "?", lc_db_errmsg(db));
		return LC_EXIT_FAIL;
	}
	printf("learncity library: reindexed %lld published case(s); FTS5 integrity-check passed"
	       " for ar, zh, en, fr, ru, es\n",
	       n);
	return LC_EXIT_OK;
}

int lc_cmd_library(int argc, char **argv)
{
	struct lc_cli_opt opts[] = {
	    [O_DB] = {.name = "db", .help = "the database file"},
	    [O_OUT] = {.name = "out", .help = "export: write to this file (default stdout)"},
	    [O_NEW_IDS] = {.name = "new-ids",
	                   .flag = true,
	                   .help = "import: give every case a new id instead of the file's"},
	    [O_HELP] = {.name = "help", .flag = true, .help = "show this help"},
	    {0},
	};
	const char *pos[2] = {NULL, NULL};
	size_t npos = 0;
	int rc = lc_cli_parse("library", argc, argv, 1, opts, pos, 2, &npos);
	if (rc)
		return rc;
	if (opts[O_HELP].value) {
		fputs(usage, stdout);
		lc_cli_print_opts(opts);
		return LC_EXIT_OK;
	}
	const char *sub = npos > 0 ? pos[0] : "";
	bool import = strcmp(sub, "import") == 0;
	bool known = import || strcmp(sub, "export") == 0 || strcmp(sub, "reindex") == 0;
	if (!known || npos != (import ? 2u : 1u)) {
		fputs(usage, stderr);
		return LC_EXIT_USAGE;
	}
	if ((opts[O_OUT].value && strcmp(sub, "export") != 0) ||
	    (opts[O_NEW_IDS].value && !import)) {
		fprintf(stderr, "learncity library %s: --%s does not apply\n", sub,
		        opts[O_OUT].value && strcmp(sub, "export") != 0 ? "out" : "new-ids");
		return LC_EXIT_USAGE;
	}
	if (!opts[O_DB].value || !opts[O_DB].value[0]) {
		fprintf(stderr, "learncity library: option '--db' is required\n");
		return LC_EXIT_USAGE;
	}
	struct lc_db *db = NULL;
	int err = lc_db_open(opts[O_DB].value, 0, &db);
	if (err) {
		fprintf(stderr, "learncity library: cannot open %s: %s\n", opts[O_DB].value,
		        lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	if (strcmp(sub, "export") == 0)
		rc = cmd_export(db, opts[O_OUT].value);
	else if (import)
		rc = cmd_import(db, pos[1], opts[O_NEW_IDS].value != NULL);
	else
		rc = cmd_reindex(db);
	lc_db_close(db);
	return rc;
}
