/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity index uncertainty` and `learncity index sensitivity`: load
 * COINr-format files and a spec with an "uncertain" list, run the analysis
 * of engine/uncertainty.h on every core, and write rankstats.csv,
 * sensitivity.csv (sensitivity only) and report.json into an output
 * folder, each written to a temporary name and renamed. A progress bar goes
 * to stderr when stderr is a terminal. The CSV files depend only on the
 * inputs, the options and the seed, never on --threads; report.json also
 * records the thread count and the times.
 *
 * Owns nothing past a call. Exit codes: 0 done, 1 failure while working
 * (I/O, every run failed), 2 bad options or bad input (with a message).
 */
#include "cli/cli.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "engine/matrix.h"
#include "engine/pipeline.h"
#include "engine/spec.h"
#include "engine/tree.h"
#include "engine/uncertainty.h"
#include "formats/coinr.h"

/* Output files are small (one row per unit or input); this bounds a bug, not the data. */
#define UA_OUT_MAX (64u << 20)

enum ua_mode { UA_MODE_UA, UA_MODE_SA };

struct ua_args {
	const char *idata, *imeta, *spec, *out;
	long runs, threads, boot;
	uint64_t seed;
	enum lc_sobol_source source;
	enum lc_ua_output output;
	const char *output_unit; /* for score:UCODE */
	bool progress;
	bool quiet; /* no progress bar, no summary line */
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Reads a whole file of at most max bytes; caller frees *text with lc_free. */
static int read_file(const char *path, size_t max, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct lc_buf b;
	char chunk[65536];
	size_t n;
	int err = 0;

	*text = NULL;
	*len = 0;
	if (!f)
		return LC_EIO;
	lc_buf_init(&b, max);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		lc_buf_append(&b, chunk, n);
	if (ferror(f))
		err = LC_EIO;
	else if (lc_buf_error(&b))
		err = LC_ELIMIT;
	fclose(f);
	if (err) {
		lc_buf_cleanup(&b);
		return err;
	}
	*text = lc_buf_steal(&b, len);
	return 0;
}

/* Writes len bytes to dir/name through a temporary file and a rename. */
static int write_atomic(const char *dir, const char *name, const char *data, size_t len)
{
	char path[4096], tmp[4200];
	FILE *f;
	int ok;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return LC_ELIMIT;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	f = fopen(tmp, "wb");
	if (!f)
		return LC_EIO;
	ok = fwrite(data, 1, len, f) == len;
	ok = (fflush(f) == 0) && ok;
	ok = (fsync(fileno(f)) == 0) && ok;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return LC_EIO;
	}
	return 0;
}

/* As `index run` writes numbers: 17 significant digits (exact round trip), NA as "". */
static void put_num(struct lc_buf *b, double v)
{
	lc_buf_put_double(b, v);
}

struct unit_ref {
	const char *code;
	size_t index;
};

static int by_ucode(const void *a, const void *b)
{
	const struct unit_ref *x = a, *y = b;
	return strcmp(x->code, y->code);
}

/* rankstats.csv: one row per input unit, sorted by uCode. */
static int write_rankstats(const char *dir, const struct lc_matrix *m,
                           const struct lc_ua_report *rep)
{
	struct lc_buf b;
	struct unit_ref *order = lc_xcalloc(rep->n_units ? rep->n_units : 1, sizeof(*order));
	int err;

	for (size_t u = 0; u < rep->n_units; u++) {
		order[u].code = m->ucodes[u];
		order[u].index = u;
	}
	qsort(order, rep->n_units, sizeof(*order), by_ucode);
	lc_buf_init(&b, UA_OUT_MAX);
	lc_buf_puts(&b, "uCode,Nominal,Mean,Median,Q5,Q95,Runs,"
	                "ScoreNominal,ScoreMean,ScoreMedian,ScoreQ5,ScoreQ95\n");
	for (size_t k = 0; k < rep->n_units; k++) {
		const struct lc_ua_unit_stats *s = &rep->units[order[k].index];
		const char *code = order[k].code;
		const double v[] = {s->nom_rank,     s->rank_mean, s->rank_median, s->rank_q5,
		                    s->rank_q95,     NAN,          s->nom_score,   s->score_mean,
		                    s->score_median, s->score_q5,  s->score_q95};
		lc_buf_append_csv(&b, code, strlen(code));
		for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
			lc_buf_putc(&b, ',');
			if (i == 5)
				lc_buf_printf(&b, "%zu", s->n_runs);
			else
				put_num(&b, v[i]);
		}
		lc_buf_putc(&b, '\n');
	}
	err = lc_buf_error(&b);
	if (!err)
		err = write_atomic(dir, "rankstats.csv", lc_buf_cstr(&b), strlen(lc_buf_cstr(&b)));
	lc_buf_cleanup(&b);
	lc_free(order);
	return err;
}

/* sensitivity.csv: one row per uncertain input, in the spec's order. */
static int write_sensitivity(const char *dir, const struct lc_ua *ua,
                             const struct lc_ua_report *rep)
{
	struct lc_buf b;
	int err;

	lc_buf_init(&b, UA_OUT_MAX);
	lc_buf_puts(&b, "input,S,S_lo,S_hi,ST,ST_lo,ST_hi\n");
	for (size_t i = 0; i < ua->d; i++) {
		const struct lc_sobol_index *x = &rep->sobol.idx[i];
		const double v[6] = {x->s, x->s_lo, x->s_hi, x->st, x->st_lo, x->st_hi};
		lc_buf_append_csv(&b, ua->inputs[i].name, strlen(ua->inputs[i].name));
		for (size_t k = 0; k < 6; k++) {
			lc_buf_putc(&b, ',');
			put_num(&b, v[k]);
		}
		lc_buf_putc(&b, '\n');
	}
	err = lc_buf_error(&b);
	if (!err)
		err =
		    write_atomic(dir, "sensitivity.csv", lc_buf_cstr(&b), strlen(lc_buf_cstr(&b)));
	lc_buf_cleanup(&b);
	return err;
}

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static int write_report(const char *dir, enum ua_mode mode, const struct ua_args *a,
                        const struct lc_ua *ua, const struct lc_ua_report *rep, double total_s)
{
	json_t *o = json_object(), *names = json_array();
	size_t flags = JSON_INDENT(2) | JSON_REAL_PRECISION(10) | JSON_PRESERVE_ORDER, len;
	char *text;
	int err;

	for (size_t i = 0; i < ua->d; i++)
		json_array_append_new(names, json_string(ua->inputs[i].name));
	json_object_set_new(o, "analysis",
	                    json_string(mode == UA_MODE_SA ? "sensitivity" : "uncertainty"));
	json_object_set_new(o, "inputs", names);
	if (mode == UA_MODE_SA)
		json_object_set_new(o, "base_sample", json_integer((json_int_t)a->runs));
	json_object_set_new(o, "runs", json_integer((json_int_t)rep->runs));
	json_object_set_new(o, "failed_runs", json_integer((json_int_t)rep->failed));
	json_object_set_new(o, "not_run", json_integer((json_int_t)rep->not_run));
	if (rep->failed > 0) {
		json_object_set_new(o, "first_failed_run",
		                    json_integer((json_int_t)rep->first_failed_run));
		json_object_set_new(o, "first_error", json_string(rep->first_error_msg));
	}
	json_object_set_new(o, "statistics_runs", json_integer((json_int_t)rep->stat_runs));
	json_object_set_new(o, "seed", json_integer((json_int_t)a->seed));
	json_object_set_new(
	    o, "design",
	    json_string(rep->source == LC_SOBOL_QMC ? "sobol-sequence-digital-shift" : "mt19937"));
	json_object_set_new(o, "quantiles", json_string("R type 7"));
	json_object_set_new(o, "cached_steps", json_integer((json_int_t)rep->cached_steps));
	json_object_set_new(o, "threads", json_integer(rep->threads));
	json_object_set_new(o, "run_seconds", json_real(rep->seconds));
	json_object_set_new(o, "total_seconds", json_real(total_s));
	json_object_set_new(o, "runs_per_second",
	                    num_or_null(rep->seconds > 0 ? (double)rep->runs / rep->seconds : NAN));
	if (mode == UA_MODE_SA) {
		json_object_set_new(
		    o, "output", json_string(a->output == LC_UA_OUT_SCORE ? "score" : "rankshift"));
		if (a->output == LC_UA_OUT_SCORE)
			json_object_set_new(o, "output_unit", json_string(a->output_unit));
		json_object_set_new(o, "bootstrap", json_integer((json_int_t)a->boot));
		json_object_set_new(o, "sobol_rows_used",
		                    json_integer((json_int_t)rep->sobol.n_used));
		json_object_set_new(o, "sobol_rows_dropped",
		                    json_integer((json_int_t)rep->sobol.n_dropped));
		json_object_set_new(o, "output_mean", num_or_null(rep->sobol.mean));
		json_object_set_new(o, "output_variance", num_or_null(rep->sobol.var));
	}
	len = json_dumpb(o, NULL, 0, flags);
	if (len == 0) {
		json_decref(o);
		return LC_EINTERNAL;
	}
	text = lc_xmalloc(len + 1);
	json_dumpb(o, text, len, flags);
	text[len++] = '\n';
	json_decref(o);
	err = write_atomic(dir, "report.json", text, len);
	lc_free(text);
	return err;
}

struct bar {
	double t0;
	int last_pct;
};

static int on_progress(void *user, size_t done, size_t total)
{
	struct bar *b = user;
	int pct = total ? (int)(done * 100 / total) : 100;
	char bar[41];
	if (pct == b->last_pct)
		return 0;
	b->last_pct = pct;
	for (int i = 0; i < 40; i++)
		bar[i] = i < pct * 40 / 100 ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\r[%s] %3d%% %zu/%zu runs %.1f s", bar, pct, done, total,
	        now_seconds() - b->t0);
	if (done >= total)
		fputc('\n', stderr);
	fflush(stderr);
	return 0;
}

static void print_diag(const char *cmd, const struct lc_diag *d)
{
	struct lc_buf b;
	lc_buf_init(&b, 1u << 20);
	lc_cli_format_diag(d, &b);
	fprintf(stderr, "learncity index %s: the input has problems:\n%s", cmd, lc_buf_cstr(&b));
	lc_buf_cleanup(&b);
}

static int parse_args(const char *cmd, enum ua_mode mode, int argc, char **argv, struct ua_args *a)
{
	static const char out_default[] = "rankshift", boot_default[] = "1000";
	struct lc_cli_opt opts[] = {
	    {"idata", NULL, false, false, "iData.csv: one row per unit (COINr format)"},
	    {"imeta", NULL, false, false, "iMeta.csv: the indicator tree (COINr format)"},
	    {"spec", NULL, false, false, "pipeline spec (JSON) with an \"uncertain\" list"},
	    {"runs", "1000", false, false,
	     mode == UA_MODE_SA ? "base sample N; the design makes N(d+2) runs"
	                        : "number of Monte Carlo runs"},
	    {"seed", "1", false, false, "seed of every random draw (0..2^63-1)"},
	    {"out", NULL, false, false, "output folder (made if missing)"},
	    {"threads", NULL, false, false, "worker threads; default: online cores"},
	    {"design", "auto", false, false,
	     "sample: auto, sobol (quasi-random, d <= 20) or random (MT19937)"},
	    {"output", out_default, false, false,
	     "SA output: rankshift (mean |rank - nominal rank|) or score:UCODE"},
	    {"bootstrap", boot_default, false, false, "SA bootstrap resamples for the intervals"},
	    {"progress", NULL, true, false, "force the progress bar even when not a terminal"},
	    {"quiet", NULL, true, false, "no progress bar and no summary"},
	    {"help", NULL, true, false, "show this help"},
	    {NULL, NULL, false, false, NULL},
	};
	long v;
	int rc = lc_cli_parse(cmd, argc, argv, 1, opts, NULL, 0, NULL);

	if (rc)
		return rc;
	if (opts[12].value) {
		printf("Usage: learncity index %s --idata F --imeta F --spec F --out DIR "
		       "[options]\n\n",
		       mode == UA_MODE_SA ? "sensitivity" : "uncertainty");
		lc_cli_print_opts(opts);
		return -1;
	}
	for (int i = 0; i < 6; i++) {
		if (i == 3 || i == 4)
			continue;
		if (!opts[i].value) {
			fprintf(stderr, "learncity %s: option '--%s' is required\n", cmd,
			        opts[i].name);
			return LC_EXIT_USAGE;
		}
	}
	a->idata = opts[0].value;
	a->imeta = opts[1].value;
	a->spec = opts[2].value;
	a->out = opts[5].value;
	if (lc_cli_opt_long(cmd, "runs", opts[3].value, 2, LC_LIMIT_ENGINE_RUNS, &a->runs))
		return LC_EXIT_USAGE;
	if (lc_cli_opt_long(cmd, "seed", opts[4].value, 0, LONG_MAX, &v))
		return LC_EXIT_USAGE;
	a->seed = (uint64_t)v;
	a->threads = 0;
	if (opts[6].value && lc_cli_opt_long(cmd, "threads", opts[6].value, 1, 1024, &a->threads))
		return LC_EXIT_USAGE;
	if (strcmp(opts[7].value, "auto") == 0) {
		a->source = LC_SOBOL_AUTO;
	} else if (strcmp(opts[7].value, "sobol") == 0) {
		a->source = LC_SOBOL_QMC;
	} else if (strcmp(opts[7].value, "random") == 0) {
		a->source = LC_SOBOL_RNG;
	} else {
		fprintf(stderr, "learncity %s: --design must be auto, sobol or random, not '%s'\n",
		        cmd, opts[7].value);
		return LC_EXIT_USAGE;
	}
	a->output = LC_UA_OUT_RANKSHIFT;
	if (strncmp(opts[8].value, "score:", 6) == 0 && opts[8].value[6] != '\0') {
		a->output = LC_UA_OUT_SCORE;
		a->output_unit = opts[8].value + 6;
	} else if (strcmp(opts[8].value, "rankshift") != 0) {
		fprintf(stderr,
		        "learncity %s: --output must be rankshift or score:UCODE, not '%s'\n", cmd,
		        opts[8].value);
		return LC_EXIT_USAGE;
	}
	if (mode == UA_MODE_UA && (opts[8].value != out_default || opts[9].value != boot_default)) {
		fprintf(stderr,
		        "learncity %s: --output and --bootstrap belong to 'index sensitivity'\n",
		        cmd);
		return LC_EXIT_USAGE;
	}
	if (lc_cli_opt_long(cmd, "bootstrap", opts[9].value, 0, 100000, &a->boot))
		return LC_EXIT_USAGE;
	a->progress = opts[10].value ? true : isatty(STDERR_FILENO) == 1;
	a->quiet = opts[11].value != NULL;
	if (a->quiet)
		a->progress = false;
	return 0;
}

static int make_dir(const char *cmd, const char *dir)
{
	struct stat st;
	if (mkdir(dir, 0777) == 0 || errno == EEXIST) {
		if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
			return 0;
	}
	fprintf(stderr, "learncity %s: cannot use '%s' as the output folder: %s\n", cmd, dir,
	        strerror(errno ? errno : ENOTDIR));
	return LC_EXIT_FAIL;
}

static int run_command(enum ua_mode mode, int argc, char **argv)
{
	const char *cmd = mode == UA_MODE_SA ? "index sensitivity" : "index uncertainty";
	const char *sub = mode == UA_MODE_SA ? "sensitivity" : "uncertainty";
	struct ua_args a;
	struct lc_tree tree;
	struct lc_matrix data;
	struct lc_spec spec;
	struct lc_ua ua;
	struct lc_ua_report rep;
	struct lc_diag diag;
	struct lc_engine_input in = {.tree = &tree, .data = &data};
	struct bar bar = {0, -1};
	char *text = NULL;
	size_t len = 0;
	double t0 = now_seconds();
	int rc, exit_code = LC_EXIT_OK;

	memset(&a, 0, sizeof(a));
	memset(&ua, 0, sizeof(ua));
	memset(&rep, 0, sizeof(rep));
	lc_tree_init(&tree);
	lc_matrix_init(&data);
	lc_spec_init(&spec);
	lc_diag_init(&diag);
	rc = parse_args(cmd, mode, argc, argv, &a);
	if (rc) {
		exit_code = rc < 0 ? LC_EXIT_OK : rc;
		goto out;
	}

	if (lc_coinr_load_files(a.idata, a.imeta, &tree, &data, &diag) != 0) {
		print_diag(sub, &diag);
		exit_code = LC_EXIT_USAGE;
		goto out;
	}
	rc = read_file(a.spec, LC_LIMIT_SPEC_BYTES, &text, &len);
	if (rc) {
		fprintf(stderr, "learncity %s: cannot read the spec '%s': %s\n", cmd, a.spec,
		        rc == LC_ELIMIT ? "larger than the limit" : strerror(errno));
		exit_code = LC_EXIT_USAGE;
		goto out;
	}
	if (lc_spec_parse(&spec, text, len, a.spec, &diag) != 0 ||
	    lc_ua_init(&ua, &in, &spec, a.seed, &diag) != 0) {
		print_diag(sub, &diag);
		exit_code = LC_EXIT_USAGE;
		goto out;
	}
	struct lc_ua_opts o = {.n = (size_t)a.runs,
	                       .threads = (unsigned)a.threads,
	                       .source = a.source,
	                       .output = a.output,
	                       .boot = (size_t)a.boot};
	if (a.output == LC_UA_OUT_SCORE) {
		long u = lc_matrix_find_unit(&data, a.output_unit);
		if (u < 0) {
			fprintf(stderr, "learncity %s: --output names unit '%s', not in %s\n", cmd,
			        a.output_unit, a.idata);
			exit_code = LC_EXIT_USAGE;
			goto out;
		}
		o.unit = (size_t)u;
	}
	/* Both analyses draw from one Saltelli design, whose N(d + 2) is bounded. */
	if ((size_t)a.runs > LC_LIMIT_ENGINE_RUNS / (ua.d + 2)) {
		fprintf(stderr,
		        "learncity %s: --runs %ld with %zu inputs is too many: N x (inputs + 2) "
		        "may be at most %d\n",
		        cmd, a.runs, ua.d, LC_LIMIT_ENGINE_RUNS);
		exit_code = LC_EXIT_USAGE;
		goto out;
	}
	if (a.source == LC_SOBOL_QMC && 2 * ua.d > LC_SOBOL_QMC_MAX_DIM) {
		fprintf(stderr,
		        "learncity %s: --design sobol allows at most %d inputs (%zu given)\n", cmd,
		        LC_SOBOL_QMC_MAX_DIM / 2, ua.d);
		exit_code = LC_EXIT_USAGE;
		goto out;
	}
	if (make_dir(cmd, a.out) != 0) {
		exit_code = LC_EXIT_FAIL;
		goto out;
	}
	if (a.progress) {
		bar.t0 = now_seconds();
		o.progress = on_progress;
		o.progress_user = &bar;
	}
	rc = mode == UA_MODE_SA ? lc_ua_sensitivity(&ua, &o, &rep)
	                        : lc_ua_uncertainty(&ua, &o, &rep);
	if (rc) {
		fprintf(stderr, "learncity %s: the analysis stopped: %s\n", cmd, lc_strerror(rc));
		exit_code = LC_EXIT_FAIL;
		goto out;
	}
	if (rep.failed > 0)
		fprintf(stderr, "learncity %s: %zu of %zu runs failed; first (run %zu): %s\n", cmd,
		        rep.failed, rep.runs, rep.first_failed_run, rep.first_error_msg);
	if (rep.failed == rep.runs) {
		fprintf(stderr, "learncity %s: every run failed: nothing to report\n", cmd);
		exit_code = LC_EXIT_FAIL;
		goto out;
	}
	rc = write_rankstats(a.out, &data, &rep);
	if (!rc && mode == UA_MODE_SA)
		rc = write_sensitivity(a.out, &ua, &rep);
	if (!rc)
		rc = write_report(a.out, mode, &a, &ua, &rep, now_seconds() - t0);
	if (rc) {
		fprintf(stderr, "learncity %s: cannot write into '%s': %s\n", cmd, a.out,
		        lc_strerror(rc));
		exit_code = LC_EXIT_FAIL;
		goto out;
	}
	if (a.quiet)
		goto out;
	printf("%s: %zu runs (%zu failed) in %.3f s on %u threads (%.0f runs/s); wrote %s\n", sub,
	       rep.runs, rep.failed, rep.seconds, rep.threads,
	       rep.seconds > 0 ? (double)rep.runs / rep.seconds : 0.0, a.out);
out:
	lc_ua_report_cleanup(&rep);
	lc_ua_cleanup(&ua);
	lc_spec_cleanup(&spec);
	lc_matrix_cleanup(&data);
	lc_tree_cleanup(&tree);
	lc_diag_cleanup(&diag);
	lc_free(text);
	return exit_code;
}

int lc_cmd_index_uncertainty(int argc, char **argv)
{
	return run_command(UA_MODE_UA, argc, argv);
}

int lc_cmd_index_sensitivity(int argc, char **argv)
{
	return run_command(UA_MODE_SA, argc, argv);
}
