/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity index`: composite indices from COINr-format files.
 * `index run` loads iData/iMeta and a spec, runs the pipeline and writes one
 * CSV per step (denominated, imputed, screened, treated, normalised,
 * aggregated), ranks.csv, treatment.csv, treated_points.csv, weights.csv
 * and report.json, each atomically (temporary file, then rename).
 * `index uncertainty` and `index sensitivity` live in cmd_index_ua.c.
 */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "engine/matrix.h"
#include "engine/pipeline.h"
#include "engine/rank.h"
#include "engine/spec.h"
#include "engine/tree.h"
#include "formats/coinr.h"

#define OUT_MAX (1u << 30) /* one output file; far above any index we can hold */

static void print_diag(const struct lc_diag *d)
{
	struct lc_buf b;
	lc_buf_init(&b, 1u << 20);
	lc_cli_format_diag(d, &b);
	fprintf(stderr, "%s", lc_buf_cstr(&b));
	lc_buf_cleanup(&b);
}

/* Writes buf to dir/name through a temporary file and a rename. */
static int write_atomic(const char *dir, const char *name, const struct lc_buf *buf)
{
	if (lc_buf_error(buf)) {
		fprintf(stderr, "learncity index: %s would be larger than %u bytes\n", name,
		        OUT_MAX);
		return LC_ELIMIT;
	}
	struct lc_buf path, tmp;
	lc_buf_init(&path, 4096);
	lc_buf_init(&tmp, 4096);
	lc_buf_printf(&path, "%s/%s", dir, name);
	lc_buf_printf(&tmp, "%s/.%s.XXXXXX", dir, name);
	int rc = LC_EIO;
	if (lc_buf_error(&path) || lc_buf_error(&tmp))
		goto out;
	int fd = mkstemp(tmp.data);
	if (fd < 0)
		goto fail;
	/* mkstemp creates 0600; results are meant to be shared like any output file. */
	if (fchmod(fd, 0644) != 0) {
		close(fd);
		unlink(tmp.data);
		goto fail;
	}
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		close(fd);
		unlink(tmp.data);
		goto fail;
	}
	size_t n = buf->len;
	bool ok = (n == 0 || fwrite(buf->data, 1, n, f) == n);
	ok = (fflush(f) == 0) && ok;
	ok = (fsync(fileno(f)) == 0) && ok;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp.data, path.data) != 0) {
		unlink(tmp.data);
		goto fail;
	}
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "learncity index: cannot write %s: %s\n", lc_buf_cstr(&path),
	        strerror(errno));
out:
	lc_buf_cleanup(&path);
	lc_buf_cleanup(&tmp);
	return rc;
}

/* Creates dir and its missing parents (mkdir -p). */
static int make_dirs(const char *dir)
{
	struct lc_buf p;
	lc_buf_init(&p, 4096);
	lc_buf_puts(&p, dir);
	int rc = lc_buf_error(&p) ? -1 : 0;
	for (size_t i = 1; rc == 0 && i <= p.len; i++) {
		if (p.data[i] != '/' && p.data[i] != '\0')
			continue;
		char save = p.data[i];
		p.data[i] = '\0';
		if (mkdir(p.data, 0777) != 0 && errno != EEXIST)
			rc = -1;
		p.data[i] = save;
	}
	lc_buf_cleanup(&p);
	return rc;
}

static void put_str(struct lc_buf *b, const char *s)
{
	lc_buf_append_csv(b, s, strlen(s));
}

/* The columns a stage file shows: indicators before aggregation, every code after. */
static bool shown(const struct lc_tree *t, size_t c, bool all)
{
	return all || t->nodes[c].level == 1;
}

static void write_header(struct lc_buf *b, const struct lc_tree *t, bool all)
{
	lc_buf_puts(b, "uCode");
	for (size_t c = 0; c < t->n; c++)
		if (shown(t, c, all)) {
			lc_buf_putc(b, ',');
			put_str(b, t->nodes[c].code);
		}
	lc_buf_putc(b, '\n');
}

static void matrix_csv(struct lc_buf *b, const struct lc_tree *t, const struct lc_matrix *m,
                       const size_t *units, size_t n, const double *x, bool all)
{
	write_header(b, t, all);
	for (size_t i = 0; i < n; i++) {
		put_str(b, m->ucodes[units[i]]);
		for (size_t c = 0; c < t->n; c++)
			if (shown(t, c, all)) {
				lc_buf_putc(b, ',');
				lc_buf_put_double(b, x[c * n + i]);
			}
		lc_buf_putc(b, '\n');
	}
}

static const char *stage_file(enum lc_op op)
{
	switch (op) {
	case LC_OP_DENOMINATE: return "denominated.csv";
	case LC_OP_IMPUTE: return "imputed.csv";
	case LC_OP_SCREEN: return "screened.csv";
	case LC_OP_TREAT: return "treated.csv";
	case LC_OP_NORMALISE: return "normalised.csv";
	case LC_OP_AGGREGATE: return "aggregated.csv";
	}
	return "stage.csv";
}

/*
 * The file of stage i: the op's name, with "-2", "-3"... before ".csv"
 * for a second or later step of the same op, so that none overwrites another.
 */
static void stage_name(const struct lc_pipeline_result *r, size_t i, char *out, size_t cap)
{
	size_t nth = 1;
	for (size_t k = 0; k < i; k++)
		nth += r->stages[k].op == r->stages[i].op;
	const char *base = stage_file(r->stages[i].op);
	if (nth == 1)
		snprintf(out, cap, "%s", base);
	else
		snprintf(out, cap, "%.*s-%zu.csv", (int)(strlen(base) - 4), base, nth);
}

static const char *status_name(enum lc_treat_status s)
{
	switch (s) {
	case LC_TREAT_PASSED: return "passed";
	case LC_TREAT_WINSORISED: return "winsorised";
	case LC_TREAT_LOGGED: return "log";
	case LC_TREAT_FAILED: return "failed";
	case LC_TREAT_SKIPPED: return "skipped";
	}
	return "?";
}

static void treatment_csv(struct lc_buf *b, const struct lc_tree *t, const struct lc_matrix *m,
                          const struct lc_pipeline_result *r)
{
	lc_buf_puts(b, "iCode,status,treated,nwin,pass_before,skew_before,kurt_before,"
	               "pass_after,skew_after,kurt_after,points\n");
	for (size_t k = 0; k < t->n_ind; k++) {
		size_t c = t->ind[k];
		const struct lc_treat_info *in = &r->treat[c];
		bool treated = in->status == LC_TREAT_WINSORISED || in->status == LC_TREAT_LOGGED ||
		               in->status == LC_TREAT_FAILED;
		put_str(b, t->nodes[c].code);
		lc_buf_printf(b, ",%s,%s,%d,%s,", status_name(in->status),
		              treated ? "TRUE" : "FALSE", in->nwin, in->pass0 ? "TRUE" : "FALSE");
		lc_buf_put_double(b, in->skew0);
		lc_buf_putc(b, ',');
		lc_buf_put_double(b, in->kurt0);
		lc_buf_printf(b, ",%s,", !treated ? "" : in->pass1 ? "TRUE" : "FALSE");
		lc_buf_put_double(b, treated ? in->skew1 : NAN);
		lc_buf_putc(b, ',');
		lc_buf_put_double(b, treated ? in->kurt1 : NAN);
		lc_buf_putc(b, ',');
		/* The units winsorised, "AUS:high;BEL:low", when the winsorised values were kept.
		 */
		struct lc_buf pts;
		lc_buf_init(&pts, OUT_MAX);
		if (r->treat_points)
			for (size_t u = 0; u < m->n_units; u++) {
				signed char f = r->treat_points[c * m->n_units + u];
				if (f)
					lc_buf_printf(&pts, "%s%s:%s", pts.len ? ";" : "",
					              m->ucodes[u], f > 0 ? "high" : "low");
			}
		put_str(b, lc_buf_cstr(&pts));
		lc_buf_cleanup(&pts);
		lc_buf_putc(b, '\n');
	}
}

/* COINr's treated-points table: "winhi" / "winlo" per cell of the treat stage. */
static void points_csv(struct lc_buf *b, const struct lc_tree *t, const struct lc_matrix *m,
                       const struct lc_pipeline_result *r, const struct lc_stage *sg)
{
	write_header(b, t, false);
	for (size_t i = 0; i < sg->n_units; i++) {
		size_t u = sg->units[i];
		put_str(b, m->ucodes[u]);
		for (size_t c = 0; c < t->n; c++) {
			if (t->nodes[c].level != 1)
				continue;
			signed char f = r->treat_points[c * m->n_units + u];
			lc_buf_puts(b, f > 0 ? ",winhi" : f < 0 ? ",winlo" : ",");
		}
		lc_buf_putc(b, '\n');
	}
}

static void ranks_csv(struct lc_buf *b, const struct lc_tree *t, const struct lc_matrix *m,
                      struct lc_pipeline_result *r)
{
	bool all = r->aggregated;
	size_t n = r->n_units;
	double *ranks = lc_xreallocarray(NULL, t->n * n + 1, sizeof *ranks);
	for (size_t c = 0; c < t->n; c++)
		lc_pipeline_rank(r, c, ranks + c * n);
	matrix_csv(b, t, m, r->units, n, ranks, all);
	lc_free(ranks);
}

static void weights_csv(struct lc_buf *b, const struct lc_tree *t,
                        const struct lc_pipeline_result *r)
{
	lc_buf_puts(b, "iCode,Level,Weight,EffWeight\n");
	for (size_t c = 0; c < t->n; c++) {
		put_str(b, t->nodes[c].code);
		lc_buf_printf(b, ",%d,", t->nodes[c].level);
		lc_buf_put_double(b, r->weights[c]);
		lc_buf_putc(b, ',');
		lc_buf_put_double(b, r->eff_weights[c]);
		lc_buf_putc(b, '\n');
	}
}

static void json_str(struct lc_buf *b, const char *s)
{
	lc_buf_putc(b, '"');
	lc_buf_append_json(b, s ? s : "", s ? strlen(s) : 0);
	lc_buf_putc(b, '"');
}

static void report_json(struct lc_buf *b, const struct lc_tree *t, const struct lc_matrix *m,
                        const struct lc_spec *spec, const struct lc_pipeline_result *r)
{
	lc_buf_printf(b, "{\n  \"units_in\": %zu,\n  \"units_out\": %zu,\n  \"indicators\": %zu,\n",
	              m->n_units, r->n_units, t->n_ind);
	lc_buf_puts(b, "  \"steps\": [");
	for (size_t i = 0; i < r->n_stages; i++) {
		lc_buf_printf(b, "%s{\"step\": %zu, \"op\": ", i ? ", " : "", r->stages[i].step);
		json_str(b, lc_spec_op_name(r->stages[i].op));
		lc_buf_puts(b, ", \"file\": ");
		char name[64];
		stage_name(r, i, name, sizeof name);
		json_str(b, name);
		lc_buf_putc(b, '}');
	}
	lc_buf_puts(b, "],\n  \"dropped_units\": [");
	for (size_t i = 0; i < r->n_dropped; i++) {
		if (i)
			lc_buf_puts(b, ", ");
		json_str(b, m->ucodes[r->dropped[i]]);
	}
	lc_buf_puts(b, "],\n");
	if (r->treated) {
		size_t win = 0, logged = 0, failed = 0;
		for (size_t k = 0; k < t->n_ind; k++) {
			enum lc_treat_status s = r->treat[t->ind[k]].status;
			win += s == LC_TREAT_WINSORISED;
			logged += s == LC_TREAT_LOGGED;
			failed += s == LC_TREAT_FAILED;
		}
		lc_buf_printf(b,
		              "  \"treatment\": {\"winsorised\": %zu, \"log\": %zu, \"failed\": "
		              "%zu},\n",
		              win, logged, failed);
	}
	if (r->aggregated && t->root >= 0) {
		lc_buf_puts(b, "  \"index\": ");
		json_str(b, t->nodes[t->root].code);
		lc_buf_puts(b, ",\n");
	}
	/* run computes the nominal index only; say so when the spec has uncertain inputs. */
	if (spec->uncertain && json_array_size(spec->uncertain) > 0)
		lc_buf_printf(b,
		              "  \"uncertain_inputs_ignored\": %zu,\n"
		              "  \"note\": \"the nominal run; use 'index uncertainty' or 'index "
		              "sensitivity' for the uncertain inputs\",\n",
		              json_array_size(spec->uncertain));
	lc_buf_puts(b, "  \"warnings\": [");
	for (size_t i = 0; i < r->warnings.count; i++) {
		const struct lc_diag_entry *e = &r->warnings.items[i];
		lc_buf_puts(b, i ? ",\n    {" : "\n    {");
		lc_buf_puts(b, "\"field\": ");
		if (e->field)
			json_str(b, e->field);
		else
			lc_buf_puts(b, "null");
		lc_buf_puts(b, ", \"message\": ");
		json_str(b, e->message);
		lc_buf_putc(b, '}');
	}
	lc_buf_puts(b, r->warnings.count ? "\n  ]\n}\n" : "]\n}\n");
}

static int emit(const char *dir, const char *name, struct lc_buf *b, int *rc)
{
	if (*rc == 0)
		*rc = write_atomic(dir, name, b);
	lc_buf_reset(b);
	return *rc;
}

static int cmd_run(int argc, char **argv)
{
	struct lc_cli_opt opts[] = {
	    {"idata", NULL, false, true, "COINr iData CSV: one row per unit"},
	    {"imeta", NULL, false, true, "COINr iMeta CSV: the indicator tree"},
	    {"spec", NULL, false, true, "pipeline spec (JSON)"},
	    {"out", NULL, false, true, "output directory (created if missing)"},
	    {"time", NULL, false, false, "read only the iData rows of this Time (panel data)"},
	    {"help", NULL, true, false, "show this help"},
	    {NULL, NULL, false, false, NULL},
	};
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf(
			    "Usage: learncity index run --idata F --imeta F --spec F --out DIR "
			    "[--time T]\n\n"
			    "Runs the pipeline of the spec and writes one CSV per step\n"
			    "(denominated, imputed, screened, treated, normalised, aggregated),\n"
			    "ranks.csv, treatment.csv, treated_points.csv, weights.csv and\n"
			    "report.json into DIR.\n\nOptions:\n");
			lc_cli_print_opts(opts);
			return LC_EXIT_OK;
		}
	if (lc_cli_parse("index run", argc, argv, 1, opts, NULL, 0, NULL) != 0)
		return LC_EXIT_USAGE;
	const char *dir = opts[3].value;

	struct lc_tree tree;
	struct lc_matrix data;
	struct lc_spec spec;
	struct lc_diag diag;
	struct lc_pipeline_result res;
	struct lc_buf b;
	lc_tree_init(&tree);
	lc_matrix_init(&data);
	lc_spec_init(&spec);
	lc_diag_init(&diag);
	lc_pipeline_result_init(&res);
	lc_buf_init(&b, OUT_MAX);
	int exit_code = LC_EXIT_USAGE;

	int rc = lc_coinr_load_files_time(opts[0].value, opts[1].value, opts[4].value, &tree, &data,
	                                  &diag);
	if (rc == 0)
		rc = lc_coinr_read_spec(opts[2].value, &spec, &diag);
	if (rc != 0) {
		print_diag(&diag);
		exit_code = rc == LC_EIO ? LC_EXIT_FAIL : LC_EXIT_USAGE;
		goto out;
	}
	struct lc_engine_input in = {&tree, &data};
	struct lc_pipeline_opts po = {true, NULL};
	rc = lc_pipeline_run(&in, &spec, &po, &res, &diag);
	if (rc != 0) {
		fprintf(stderr, "learncity index run: the pipeline failed:\n");
		print_diag(&diag);
		goto out;
	}
	if (make_dirs(dir) != 0) {
		fprintf(stderr, "learncity index run: cannot create %s: %s\n", dir,
		        strerror(errno));
		exit_code = LC_EXIT_FAIL;
		goto out;
	}
	rc = 0;
	const struct lc_stage *treat_stage = NULL;
	for (size_t i = 0; i < res.n_stages; i++) {
		const struct lc_stage *sg = &res.stages[i];
		matrix_csv(&b, &tree, &data, sg->units, sg->n_units, sg->x,
		           sg->op == LC_OP_AGGREGATE);
		char name[64];
		stage_name(&res, i, name, sizeof name);
		emit(dir, name, &b, &rc);
		if (sg->op == LC_OP_TREAT)
			treat_stage = sg;
	}
	ranks_csv(&b, &tree, &data, &res);
	emit(dir, "ranks.csv", &b, &rc);
	if (res.treated && treat_stage) {
		treatment_csv(&b, &tree, &data, &res);
		emit(dir, "treatment.csv", &b, &rc);
		points_csv(&b, &tree, &data, &res, treat_stage);
		emit(dir, "treated_points.csv", &b, &rc);
	}
	if (res.aggregated) {
		weights_csv(&b, &tree, &res);
		emit(dir, "weights.csv", &b, &rc);
	}
	report_json(&b, &tree, &data, &spec, &res);
	emit(dir, "report.json", &b, &rc);
	exit_code = rc == 0 ? LC_EXIT_OK : LC_EXIT_FAIL;
out:
	lc_buf_cleanup(&b);
	lc_pipeline_result_cleanup(&res);
	lc_diag_cleanup(&diag);
	lc_spec_cleanup(&spec);
	lc_matrix_cleanup(&data);
	lc_tree_cleanup(&tree);
	return exit_code;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: learncity index <subcommand> [options]\n\n"
	           "Subcommands:\n"
	           "  run          run a pipeline spec over COINr iData/iMeta files\n"
	           "  uncertainty  uncertainty analysis of the spec's uncertain inputs\n"
	           "  sensitivity  Sobol sensitivity analysis of the spec's uncertain inputs\n\n"
	           "Run 'learncity index <subcommand> --help' for its options.\n");
}

int lc_cmd_index(int argc, char **argv)
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
	/* Each subcommand sees itself as argv[0]. */
	if (strcmp(sub, "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(sub, "uncertainty") == 0)
		return lc_cmd_index_uncertainty(argc - 1, argv + 1);
	if (strcmp(sub, "sensitivity") == 0)
		return lc_cmd_index_sensitivity(argc - 1, argv + 1);
	fprintf(stderr, "learncity index: unknown subcommand '%s'\n", sub);
	usage(stderr);
	return LC_EXIT_USAGE;
}
