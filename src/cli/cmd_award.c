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
 * The ways in meet at struct lc_award_input: reading the award's database
 * (`--db PATH --year Y`) is to fill the same struct and share the rest.
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
#include "engine/award.h"
#include "formats/award_csv.h"

#define OUT_MAX (64u << 20) /* one answer: 1,000 nominations are ~200 KiB */

static const char *const CSV_COLS =
    "nomination,n_jurors,mean,median,sd,range,z_mean,rank_mean,rank_z,rank_schulze,"
    "rank_borda,rank_lo,rank_hi,p_top_k,n_z,borda,disagreement\n";

/* A figure: 12 significant digits, nothing for NaN. */
static void put_num(struct lc_buf *b, double v)
{
	if (!isnan(v))
		lc_buf_printf(b, "%.12g", v);
}

/* A figure for JSON: null for NaN. */
static json_t *jnum(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

/* A rank for JSON: a whole number, null when unranked. */
static json_t *jrank(double v)
{
	return isnan(v) ? json_null() : json_integer((json_int_t)v);
}

/* Nominations best first by the mean, unranked last, ties in the files' order. */
static int cmp_order(const void *pa, const void *pb, const struct lc_award_result *r)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	double x = r->noms[a].rank_mean, y = r->noms[b].rank_mean;
	if (isnan(x) != isnan(y))
		return isnan(x) ? 1 : -1;
	if (!isnan(x) && x != y)
		return x < y ? -1 : 1;
	return (a > b) - (a < b);
}

static size_t *best_first(const struct lc_award_result *r)
{
	size_t n = r->n_noms;
	size_t *order = lc_xcalloc(n + 1, sizeof(*order));
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	/* Insertion sort: a round has at most LC_LIMIT_AWARD_NOMINATIONS, sorted once. */
	for (size_t i = 1; i < n; i++) {
		size_t x = order[i], j = i;
		while (j > 0 && cmp_order(&x, &order[j - 1], r) < 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = x;
	}
	return order;
}

static void write_csv(struct lc_buf *b, const struct lc_award_input *in,
                      const struct lc_award_result *r)
{
	size_t *order = best_first(r);
	lc_buf_puts(b, CSV_COLS);
	for (size_t i = 0; i < r->n_noms; i++) {
		const struct lc_award_nom *m = &r->noms[order[i]];
		const char *name = in->noms[order[i]];
		const double f[] = {m->mean,       m->median,    m->sd,      m->range,
		                    m->z_mean,     m->rank_mean, m->rank_z,  m->rank_schulze,
		                    m->rank_borda, m->rank_lo,   m->rank_hi, m->p_top_k};
		lc_buf_append_csv(b, name, strlen(name));
		lc_buf_printf(b, ",%zu", m->n_jurors);
		for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
			lc_buf_putc(b, ',');
			put_num(b, f[k]);
		}
		lc_buf_printf(b, ",%zu,", m->n_z);
		put_num(b, m->borda);
		lc_buf_printf(b, ",%d\n", m->disagree ? 1 : 0);
	}
	lc_free(order);
}

static json_t *nomination_json(const char *name, const struct lc_award_nom *m)
{
	json_t *o = json_object();
	json_object_set_new(o, "nomination", json_string(name));
	json_object_set_new(o, "n_jurors", json_integer((json_int_t)m->n_jurors));
	json_object_set_new(o, "mean", jnum(m->mean));
	json_object_set_new(o, "median", jnum(m->median));
	json_object_set_new(o, "sd", jnum(m->sd));
	json_object_set_new(o, "range", jnum(m->range));
	json_object_set_new(o, "disagreement", json_boolean(m->disagree));
	json_object_set_new(o, "n_z", json_integer((json_int_t)m->n_z));
	json_object_set_new(o, "z_mean", jnum(m->z_mean));
	json_object_set_new(o, "borda", jnum(m->borda));
	json_object_set_new(o, "rank_mean", jrank(m->rank_mean));
	json_object_set_new(o, "rank_z", jrank(m->rank_z));
	json_object_set_new(o, "rank_schulze", jrank(m->rank_schulze));
	json_object_set_new(o, "rank_borda", jrank(m->rank_borda));
	json_object_set_new(o, "rank_lo", jrank(m->rank_lo));
	json_object_set_new(o, "rank_hi", jrank(m->rank_hi));
	json_object_set_new(o, "p_top_k", jnum(m->p_top_k));
	json_object_set_new(o, "boot_ranked", json_integer((json_int_t)m->boot_ranked));
	return o;
}

static int write_json(struct lc_buf *b, const struct lc_award_input *in,
                      const struct lc_award_result *r)
{
	json_t *doc = json_object(), *noms = json_array(), *jurors = json_array(),
	       *crits = json_array();
	size_t *order = best_first(r);
	json_object_set_new(doc, "boot", json_integer((json_int_t)r->boot));
	json_object_set_new(doc, "seed", json_integer((json_int_t)r->seed));
	json_object_set_new(doc, "top_k", json_integer((json_int_t)r->top_k));
	json_object_set_new(doc, "flag_sd", json_real(r->flag_sd));
	json_object_set_new(doc, "z_min_scores", json_integer(LC_AWARD_Z_MIN_SCORES));
	for (size_t i = 0; i < r->n_noms; i++)
		json_array_append_new(noms,
		                      nomination_json(in->noms[order[i]], &r->noms[order[i]]));
	for (size_t j = 0; j < r->n_jurors; j++) {
		const struct lc_award_juror *ju = &r->jurors[j];
		json_t *o = json_object();
		json_object_set_new(o, "juror", json_string(in->jurors[j]));
		json_object_set_new(o, "n_scores", json_integer((json_int_t)ju->n_scores));
		json_object_set_new(o, "mean", jnum(ju->mean));
		json_object_set_new(o, "sd", jnum(ju->sd));
		json_object_set_new(o, "normalised", json_boolean(ju->normalised));
		json_array_append_new(jurors, o);
	}
	for (size_t c = 0; c < r->n_crit; c++) {
		const struct lc_award_crit *cr = &r->crits[c];
		json_t *o = json_object();
		json_object_set_new(o, "criterion", json_string(in->crits[c]));
		json_object_set_new(o, "weight", json_real(in->weight[c]));
		json_object_set_new(o, "independent", json_boolean(in->independent[c]));
		json_object_set_new(o, "alpha", jnum(cr->alpha));
		json_object_set_new(o, "n_units", json_integer((json_int_t)cr->n_units));
		json_object_set_new(o, "n_values", json_integer((json_int_t)cr->n_values));
		json_array_append_new(crits, o);
	}
	json_object_set_new(doc, "nominations", noms);
	json_object_set_new(doc, "jurors", jurors);
	json_object_set_new(doc, "criteria", crits);
	lc_free(order);
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
	    {"scores", NULL, false, true, "CSV: nomination,juror,criterion,score"},
	    {"criteria", NULL, false, true, "CSV: criterion,weight,independent"},
	    {"top", "3", false, false, "k of the probability of being in the top k"},
	    {"seed", "1", false, false, "seed of the bootstrap's draws (0..2^63-1)"},
	    {"format", "csv", false, false, "csv (one row per nomination) or json (everything)"},
	    {"flag-sd", "1", false, false, "flag a nomination whose jurors' sd is above this"},
	    {"threads", NULL, false, false, "bootstrap threads; default: online cores"},
	    {"help", NULL, true, false, "show this help"},
	    {NULL, NULL, false, false, NULL},
	};
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf(
			    "Usage: learncity award rank --scores FILE.csv --criteria FILE.csv "
			    "[--top K] [--seed S]\n"
			    "                            [--format csv|json] [--flag-sd X] "
			    "[--threads T]\n\n"
			    "Ranks the nominations of an award round from the jurors' scores:\n"
			    "weighted totals, mean, median, disagreement, per-juror z-scores,\n"
			    "Schulze and Borda orders, Krippendorff's alpha per criterion (JSON)\n"
			    "and a bootstrap over jurors (%d resamples) giving each nomination a\n"
			    "90%% rank interval and its probability of being in the top K.\n"
			    "An empty score is \"not scored\"; independent is 0 or 1.\n\n"
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
	int rc = lc_award_csv_load_files(opts[0].value, opts[1].value, &in, &diag);
	if (rc != 0) {
		print_diag(&diag);
		goto out;
	}
	struct lc_award_opts ao = {.seed = (uint64_t)seed,
	                           .top_k = (size_t)top,
	                           .threads = (unsigned)threads,
	                           .flag_sd = flag_sd};
	rc = lc_award_rank(&in, &ao, &r, &diag);
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
		write_csv(&out, &in, &r);
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
