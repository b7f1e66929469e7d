/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity award rank`: the award's jury ranking (engine/award.h) over a
 * scores file and a criteria file (formats/award_csv.h), for a jury that
 * keeps its marks outside learncity. One row per nomination on standard
 * output, best first (CSV), or everything the engine gives (JSON: the
 * nominations, the jurors with their normalisation, each criterion's
 * alpha). The output depends on the files and the options only, never on
 * --threads. Bad files exit 2 naming file, line and column, in LANG's
 * language.
 *
 * The ways in meet at struct lc_award_input: `--db PATH --year Y` reads the
 * round's submitted sheets through lc_jury_rank, as the API and the admin
 * page do, and shares the rest.
 */
#include "cli/cli.h"

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/award/jury.h"
#include "engine/award.h"
#include "formats/award_csv.h"

#define OUT_MAX (64u << 20) /* one answer: 1,000 nominations are ~200 KiB */

static int write_json(struct lc_buf *b, const struct lc_award_input *in,
                      const struct lc_award_result *r)
{
	json_t *doc = lc_award_ranking_json(in, r);
	/* 12 digits: figures to read, not to round-trip; the same in the CSV. */
	size_t flags = JSON_INDENT(2) | JSON_REAL_PRECISION(12) | JSON_PRESERVE_ORDER;
	size_t n = json_dumpb(doc, NULL, 0, flags);
	if (n == 0) {
		json_decref(doc);
		return LC_EINTERNAL;
	}
	char *s = lc_xmalloc(n + 1);
	json_dumpb(doc, s, n, flags);
	json_decref(doc);
	lc_buf_append(b, s, n);
	lc_buf_putc(b, '\n');
	lc_free(s);
	return LC_OK;
}

static void print_diag(const struct lc_diag *d)
{
	struct lc_buf b;
	lc_buf_init(&b, 1u << 20);
	lc_cli_format_diag(d, &b);
	fprintf(stderr, "%s", lc_buf_cstr(&b));
	lc_buf_cleanup(&b);
}

static int cmd_rank(int argc, char **argv)
{
	static const char *cmd = "award rank";
	struct lc_cli_opt opts[] = {
	    {"scores", NULL, false, false, "CSV: nomination,juror,criterion,score"},
	    {"criteria", NULL, false, false, "CSV: criterion,weight,independent"},
	    {"top", "3", false, false, "k of the probability of being in the top k"},
	    {"seed", "1", false, false, "seed of the bootstrap's draws (0..2^63-1)"},
	    {"format", "csv", false, false, "csv (one row per nomination) or json (everything)"},
	    {"flag-sd", "1", false, false, "flag a nomination whose jurors' sd is above this"},
	    {"threads", NULL, false, false, "bootstrap threads; default: online cores"},
	    {"help", NULL, true, false, "show this help"},
	    {"db", NULL, false, false, "the database: rank round --year from its submitted sheets"},
	    {"year", NULL, false, false, "the round, with --db"},
	    {NULL, NULL, false, false, NULL},
	};
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf(
			    "Usage: learncity award rank (--scores FILE.csv --criteria FILE.csv | "
			    "--db PATH --year Y)\n"
			    "                            [--top K] [--seed S]\n"
			    "                            [--format csv|json] [--flag-sd X] "
			    "[--threads T]\n\n"
			    "Ranks the nominations of an award round from the jurors' scores:\n"
			    "weighted totals, mean, median, disagreement, per-juror z-scores,\n"
			    "Schulze and Borda orders, Krippendorff's alpha per criterion (JSON)\n"
			    "and a bootstrap over jurors (%d resamples) giving each nomination a\n"
			    "90%% rank interval and its probability of being in the top K.\n"
			    "An empty score is \"not scored\"; independent is 0 or 1.\n"
			    "With --db, the round's submitted score sheets (none of a juror in\n"
			    "conflict), nominations named by their city's slug.\n\n"
			    "Options:\n",
			    LC_AWARD_BOOT_DEFAULT);
			lc_cli_print_opts(opts);
			return LC_EXIT_OK;
		}
	if (lc_cli_parse(cmd, argc, argv, 1, opts, NULL, 0, NULL) != 0)
		return LC_EXIT_USAGE;
	long top, seed, threads = 0;
	double flag_sd;
	if (lc_cli_opt_long(cmd, "top", opts[2].value, 1, LC_LIMIT_AWARD_NOMINATIONS, &top) ||
	    lc_cli_opt_long(cmd, "seed", opts[3].value, 0, LONG_MAX, &seed) ||
	    (opts[6].value && lc_cli_opt_long(cmd, "threads", opts[6].value, 1, 1024, &threads)))
		return LC_EXIT_USAGE;
	bool from_db = opts[8].value != NULL;
	long year = 0;
	if (from_db ? (!opts[9].value || opts[0].value || opts[1].value)
	            : (!opts[0].value || !opts[1].value || opts[9].value)) {
		fprintf(stderr, "learncity %s: give --scores and --criteria, or --db and --year\n",
		        cmd);
		return LC_EXIT_USAGE;
	}
	if (from_db && lc_cli_opt_long(cmd, "year", opts[9].value, 1900, 2999, &year))
		return LC_EXIT_USAGE;
	bool json = strcmp(opts[4].value, "json") == 0;
	if (!json && strcmp(opts[4].value, "csv") != 0) {
		fprintf(stderr, "learncity %s: --format must be csv or json, not '%s'\n", cmd,
		        opts[4].value);
		return LC_EXIT_USAGE;
	}
	if (lc_slice_to_double(lc_slice_cstr(opts[5].value), &flag_sd) != 0 || !(flag_sd > 0) ||
	    isinf(flag_sd)) {
		fprintf(stderr, "learncity %s: --flag-sd must be a number above 0, not '%s'\n", cmd,
		        opts[5].value);
		return LC_EXIT_USAGE;
	}

	struct lc_award_input in;
	struct lc_award_result r;
	struct lc_diag diag;
	struct lc_buf out;
	lc_award_input_init(&in);
	memset(&r, 0, sizeof(r));
	lc_diag_init(&diag);
	lc_buf_init(&out, OUT_MAX);
	int exit_code = LC_EXIT_USAGE;
	struct lc_db *db = NULL;
	struct lc_award_opts ao = {.seed = (uint64_t)seed,
	                           .top_k = (size_t)top,
	                           .threads = (unsigned)threads,
	                           .flag_sd = flag_sd};
	int rc;
	if (from_db) {
		rc = lc_db_open(opts[8].value, 0, &db);
		if (rc != 0) {
			fprintf(stderr, "learncity %s: cannot open %s: %s\n", cmd, opts[8].value,
			        lc_strerror(rc));
			exit_code = LC_EXIT_FAIL;
			goto out;
		}
		struct lc_actor sys;
		lc_actor_system(&sys);
		rc = lc_jury_rank(db, &sys, year, &ao, &in, &r, &diag);
		if (rc == LC_ENOTFOUND) {
			fprintf(stderr, "learncity %s: no award round %ld\n", cmd, year);
			goto out;
		}
	} else {
		rc = lc_award_csv_load_files(opts[0].value, opts[1].value, &in, &diag);
		if (rc != 0) {
			print_diag(&diag);
			goto out;
		}
		rc = lc_award_rank(&in, &ao, &r, &diag);
	}
	if (rc != 0) {
		print_diag(&diag);
		if (rc != LC_EINVAL && rc != LC_ELIMIT) {
			fprintf(stderr, "learncity %s: %s\n", cmd, lc_strerror(rc));
			exit_code = LC_EXIT_FAIL;
		}
		goto out;
	}
	if (json)
		rc = write_json(&out, &in, &r);
	else
		lc_award_csv_write_ranking(&out, &in, &r);
	if (rc != 0 || lc_buf_error(&out)) {
		fprintf(stderr, "learncity %s: the answer would be larger than %u bytes\n", cmd,
		        OUT_MAX);
		exit_code = LC_EXIT_FAIL;
		goto out;
	}
	exit_code = fwrite(out.data, 1, out.len, stdout) == out.len && fflush(stdout) == 0
	                ? LC_EXIT_OK
	                : LC_EXIT_FAIL;
out:
	lc_db_close(db);
	lc_buf_cleanup(&out);
	lc_diag_cleanup(&diag);
	lc_award_result_cleanup(&r);
	lc_award_input_cleanup(&in);
	return exit_code;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: learncity award <subcommand> [options]\n\n"
	           "Subcommands:\n"
	           "  rank   rank an award round's nominations from the jurors' scores\n\n"
	           "Run 'learncity award rank --help' for its options.\n");
}

int lc_cmd_award(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return LC_EXIT_USAGE;
	}
	const char *sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
		usage(stdout);
		return LC_EXIT_OK;
	}
	if (strcmp(sub, "rank") == 0)
		return cmd_rank(argc - 1, argv + 1);
	fprintf(stderr, "learncity award: unknown subcommand '%s'\n", sub);
	usage(stderr);
	return LC_EXIT_USAGE;
}
