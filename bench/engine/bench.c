/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Benchmark of the deterministic pipeline (engine/pipeline.c), the unit of
 * work of the Monte Carlo analyses: runs per second of ENGINE.md's ASEM
 * recipe (median of repeated timings), then a scaling table on synthetic
 * data up to 10,000 units x 200 indicators x 4 levels with the same recipe.
 * Usage: bench_engine SHARED_DIR [REPEATS]. Single-threaded; one result
 * reused across runs, as each Monte Carlo thread does.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "engine/matrix.h"
#include "engine/pipeline.h"
#include "engine/spec.h"
#include "engine/tree.h"
#include "formats/coinr.h"

static const char RECIPE[] =
    "{\"steps\": [{\"op\": \"denominate\"},"
    "{\"op\": \"impute\", \"method\": \"group_mean\", \"group\": \"EurAsia_group\"},"
    "{\"op\": \"screen\", \"by\": \"na\", \"min_fraction\": 0.9},"
    "{\"op\": \"treat\", \"winmax\": 5, \"skew\": 2.0, \"kurt\": 3.5, \"fallback\": \"log_CT\"},"
    "{\"op\": \"normalise\", \"method\": \"minmax\", \"lo\": 0, \"hi\": 100},"
    "{\"op\": \"aggregate\", \"method\": \"arithmetic\"}]}";

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double p = *(const double *)a, q = *(const double *)b;
	return (p > q) - (p < q);
}

/*
 * Median seconds per run over repeats timings of batch runs each: wall
 * clock, and this thread's CPU time in *cpu (steadier on a loaded machine).
 */
static double time_runs(const struct lc_engine_input *in, const struct lc_spec *spec, size_t batch,
                        size_t repeats, double *cpu)
{
	struct lc_pipeline_result r;
	lc_pipeline_result_init(&r);
	double *t = lc_xcalloc(repeats, sizeof *t), *c = lc_xcalloc(repeats, sizeof *c);
	double sink = 0;
	if (lc_pipeline_run(in, spec, NULL, &r, NULL) != 0) {
		fprintf(stderr, "bench: the pipeline failed\n");
		exit(1);
	}
	for (size_t k = 0; k < repeats; k++) {
		double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
		for (size_t i = 0; i < batch; i++) {
			lc_pipeline_run(in, spec, NULL, &r, NULL);
			sink += r.x[r.n_units - 1];
		}
		t[k] = (clock_s(CLOCK_MONOTONIC) - t0) / (double)batch;
		c[k] = (clock_s(CLOCK_THREAD_CPUTIME_ID) - c0) / (double)batch;
	}
	qsort(t, repeats, sizeof *t, cmp_double);
	qsort(c, repeats, sizeof *c, cmp_double);
	double med = t[repeats / 2];
	*cpu = c[repeats / 2];
	lc_free(c);
	if (sink == 12345.678)
		printf(" ");
	lc_free(t);
	lc_pipeline_result_cleanup(&r);
	return med;
}

/* A deterministic generator (splitmix64), so the synthetic data are the same on every run. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static double uniform(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

/* n_ind indicators, 5 per level-2 aggregate, 3 of those per level-3, one index. */
static void synthetic(size_t n_units, size_t n_ind, struct lc_tree *t, struct lc_matrix *m)
{
	lc_tree_init(t);
	size_t n2 = (n_ind + 4) / 5, n3 = (n2 + 2) / 3;
	char code[32], parent[32];
	for (size_t i = 0; i < n_ind; i++) {
		snprintf(code, sizeof code, "i%zu", i);
		snprintf(parent, sizeof parent, "p%zu", i / 5);
		lc_tree_add(t, code, NULL, 1, i % 4 == 3 ? -1 : 1, 1, NAN, i % 3 ? NULL : "Pop",
		            parent, 0, NULL, NULL);
	}
	for (size_t j = 0; j < n2; j++) {
		snprintf(code, sizeof code, "p%zu", j);
		snprintf(parent, sizeof parent, "s%zu", j / 3);
		lc_tree_add(t, code, NULL, 2, 1, 1, NAN, NULL, parent, 0, NULL, NULL);
	}
	for (size_t k = 0; k < n3; k++) {
		snprintf(code, sizeof code, "s%zu", k);
		lc_tree_add(t, code, NULL, 3, 1, 1, NAN, NULL, "Index", 0, NULL, NULL);
	}
	lc_tree_add(t, "Index", NULL, 4, 1, 1, NAN, NULL, NULL, 0, NULL, NULL);
	if (lc_tree_finish(t, NULL, NULL) != 0) {
		fprintf(stderr, "bench: bad synthetic tree\n");
		exit(1);
	}
	lc_matrix_init(m);
	lc_matrix_alloc(m, n_units, t->n, 1, 1);
	m->denom_names[0] = lc_xstrdup("Pop");
	m->group_names[0] = lc_xstrdup("EurAsia_group");
	m->group_levels[0] = lc_xcalloc(4, sizeof(char *));
	for (size_t l = 0; l < 4; l++) {
		snprintf(code, sizeof code, "g%zu", l);
		m->group_levels[0][l] = lc_xstrdup(code);
	}
	m->n_group_levels[0] = 4;
	for (size_t u = 0; u < n_units; u++) {
		snprintf(code, sizeof code, "U%06zu", u);
		m->ucodes[u] = lc_xstrdup(code);
		m->denoms[u] = 1 + 1000 * uniform();
		m->groups[u] = (int)(uniform() * 4);
	}
	for (size_t i = 0; i < n_ind; i++)
		for (size_t u = 0; u < n_units; u++) {
			/* Log-normal values, heavy tails for treatment, 3% missing. */
			double z =
			    sqrt(-2 * log(uniform() + 1e-300)) * cos(6.283185307179586 * uniform());
			m->x[t->ind[i] * n_units + u] =
			    uniform() < 0.03 ? NAN : exp(z * (1 + (double)(i % 3)));
		}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_engine SHARED_DIR [REPEATS]\n");
		return 2;
	}
	size_t repeats = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 15;
	if (repeats < 3)
		repeats = 3;
	struct lc_spec spec;
	lc_spec_init(&spec);
	if (lc_spec_parse(&spec, RECIPE, sizeof RECIPE - 1, NULL, NULL) != 0)
		return 1;

	struct lc_buf idata, imeta;
	lc_buf_init(&idata, 4096);
	lc_buf_init(&imeta, 4096);
	lc_buf_printf(&idata, "%s/coinr-asem/ASEM_iData.csv", argv[1]);
	lc_buf_printf(&imeta, "%s/coinr-asem/ASEM_iMeta.csv", argv[1]);
	struct lc_tree t;
	struct lc_matrix m;
	struct lc_diag d;
	lc_tree_init(&t);
	lc_matrix_init(&m);
	lc_diag_init(&d);
	if (lc_coinr_load_files(lc_buf_cstr(&idata), lc_buf_cstr(&imeta), &t, &m, &d) != 0) {
		fprintf(stderr, "bench: cannot load ASEM from %s\n", argv[1]);
		return 1;
	}
	struct lc_engine_input in = {&t, &m};
	double cpu, s = time_runs(&in, &spec, 2000, repeats, &cpu);
	printf("ASEM example recipe (%zu units x %zu indicators, %d levels), one thread,\n"
	       "median of %zu x 2000 runs: %.1f us/run wall (%.0f runs/s), %.1f us/run CPU "
	       "(%.0f runs/s)\n",
	       m.n_units, t.n_ind, t.n_levels, repeats, s * 1e6, 1 / s, cpu * 1e6, 1 / cpu);
	printf("COINr 1.1.14 needs about 0.1 s per regeneration: %.0fx faster (wall)\n\n", 0.1 / s);
	lc_matrix_cleanup(&m);
	lc_tree_cleanup(&t);

	printf("Scaling (same recipe, synthetic log-normal data, 3%% NA, 4 levels):\n");
	printf("%8s %11s %8s %12s %12s %12s %14s\n", "units", "indicators", "codes", "ms/run",
	       "CPU ms/run", "runs/s", "ns/cell/run");
	const size_t units[] = {100, 1000, 10000}, inds[] = {20, 200};
	for (size_t a = 0; a < 3; a++)
		for (size_t b = 0; b < 2; b++) {
			synthetic(units[a], inds[b], &t, &m);
			size_t cells = units[a] * inds[b];
			size_t batch = cells >= 1000000 ? 3 : cells >= 100000 ? 20 : 200;
			double c1,
			    sec = time_runs(&in, &spec, batch, repeats < 7 ? repeats : 7, &c1);
			printf("%8zu %11zu %8zu %12.3f %12.3f %12.1f %14.2f\n", units[a], inds[b],
			       t.n, sec * 1e3, c1 * 1e3, 1 / sec, sec * 1e9 / (double)cells);
			lc_matrix_cleanup(&m);
			lc_tree_cleanup(&t);
		}
	lc_spec_cleanup(&spec);
	lc_diag_cleanup(&d);
	lc_buf_cleanup(&idata);
	lc_buf_cleanup(&imeta);
	return 0;
}
