/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Benchmark of the award's jury ranking (engine/award.c) at the size issue
 * 13 names: 300 nominations x 40 jurors x 8 criteria (one independent),
 * synthetic marks 0-10 (a nomination's quality, a juror's leniency, noise,
 * 5 % not scored), the full ranking with its bootstrap of 2,000 resamples.
 * It times lc_award_rank on THREADS threads and on one, then the same
 * ranking done naively: the point figures as before, but each bootstrap
 * resample recomputed from scratch (the drawn jurors' raw marks copied out,
 * weighted totals, means and ranks computed again), on the same threads.
 * Each figure is the median of REPEAT timings; the naive resamples' ranks
 * are checked to be the engine's, byte for byte.
 * Usage: bench_award [THREADS] [REPEAT] (default 2, 5). Target: the full
 * ranking under 0.5 s on 2 cores.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "engine/award.h"
#include "engine/montecarlo.h"
#include "engine/rank.h"

enum { NOMS = 300, JURORS = 40, CRITERIA = 8, BOOT = LC_AWARD_BOOT_DEFAULT, SEED = 2024 };

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now_s(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* CPU seconds of every thread of the process: steadier than wall time on a shared machine. */
static double cpu_s(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

static int cmp_double(const void *a, const void *b)
{
	double p = *(const double *)a, q = *(const double *)b;
	return (p > q) - (p < q);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return v[n / 2];
}

/* A uniform draw in [0, 1) from a splitmix64 state. */
static double unif(uint64_t *s)
{
	*s += 1;
	return (double)(lc_mc_mix64(*s) >> 11) * 0x1p-53;
}

static void synthetic(struct lc_award_input *in)
{
	uint64_t s = 42;
	lc_award_input_init(in);
	if (lc_award_input_alloc(in, NOMS, JURORS, CRITERIA) != 0) {
		fprintf(stderr, "bench_award: cannot allocate the input\n");
		exit(1);
	}
	double quality[NOMS], lenient[JURORS];
	for (size_t n = 0; n < NOMS; n++)
		quality[n] = 3 + 5 * unif(&s);
	for (size_t j = 0; j < JURORS; j++)
		lenient[j] = 2 * unif(&s) - 1;
	for (size_t c = 0; c < CRITERIA; c++)
		in->weight[c] = c < 4 ? 2 : 1;
	in->independent[CRITERIA - 1] = true;
	for (size_t n = 0; n < NOMS; n++)
		for (size_t j = 0; j < JURORS; j++)
			for (size_t c = 0; c < CRITERIA; c++) {
				if (unif(&s) < 0.05)
					continue;
				double v = round(quality[n] + lenient[j] + 3 * (unif(&s) - 0.5));
				in->score[(n * JURORS + j) * CRITERIA + c] = fmin(10, fmax(0, v));
			}
}

/* The naive bootstrap: every resample rebuilt from the raw marks. */
struct naive_ws {
	struct lc_award_input re;
	double *total, *mean;
	unsigned *count;
	struct lc_rank_pair *pairs;
};

static void *naive_ws_new(void *vctx)
{
	const struct lc_award_input *in = vctx;
	struct naive_ws *w = lc_xcalloc(1, sizeof(*w));
	lc_award_input_init(&w->re);
	if (lc_award_input_alloc(&w->re, in->n_noms, in->n_jurors, in->n_crit) != 0) {
		lc_free(w);
		return NULL;
	}
	memcpy(w->re.weight, in->weight, in->n_crit * sizeof(double));
	memcpy(w->re.independent, in->independent, in->n_crit * sizeof(bool));
	w->total = lc_xcalloc(in->n_noms * in->n_jurors, sizeof(double));
	w->mean = lc_xcalloc(in->n_noms, sizeof(double));
	w->count = lc_xcalloc(in->n_jurors, sizeof(unsigned));
	w->pairs = lc_xcalloc(in->n_noms, sizeof(*w->pairs));
	return w;
}

static void naive_ws_free(void *vctx, void *vws)
{
	(void)vctx;
	struct naive_ws *w = vws;
	lc_award_input_cleanup(&w->re);
	lc_free(w->total);
	lc_free(w->mean);
	lc_free(w->count);
	lc_free(w->pairs);
	lc_free(w);
}

static int naive_run(void *vctx, void *vws, size_t b, double *out)
{
	const struct lc_award_input *in = vctx;
	struct naive_ws *w = vws;
	size_t nn = in->n_noms, nj = in->n_jurors, nc = in->n_crit;
	int err = lc_award_draw(SEED, b, nj, w->count);
	if (err)
		return err;
	/* The drawn jurors one by one, in index order, with their raw marks. */
	size_t k = 0;
	for (size_t j = 0; j < nj; j++)
		for (unsigned t = 0; t < w->count[j]; t++, k++)
			for (size_t n = 0; n < nn; n++)
				memcpy(&w->re.score[(n * nj + k) * nc],
				       &in->score[(n * nj + j) * nc], nc * sizeof(double));
	lc_award_totals(&w->re, w->total);
	for (size_t n = 0; n < nn; n++) {
		double s = 0;
		size_t m = 0;
		for (size_t j = 0; j < nj; j++) {
			double t = w->total[n * nj + j];
			if (!isnan(t)) {
				s += t;
				m++;
			}
		}
		w->mean[n] = m ? s / (double)m : NAN;
	}
	lc_award_rank_desc(w->mean, nn, out, w->pairs);
	return 0;
}

static double time_fast(const struct lc_award_input *in, unsigned threads, size_t repeat,
                        double *boot_s, double *cpu)
{
	double *t = lc_xcalloc(repeat, sizeof(double)), *bt = lc_xcalloc(repeat, sizeof(double));
	double *ct = lc_xcalloc(repeat, sizeof(double));
	for (size_t i = 0; i < repeat; i++) {
		struct lc_award_opts o = {.seed = SEED, .threads = threads};
		struct lc_award_result r;
		double t0 = now_s(), c0 = cpu_s();
		if (lc_award_rank(in, &o, &r, NULL) != 0) {
			fprintf(stderr, "bench_award: the ranking failed\n");
			exit(1);
		}
		t[i] = now_s() - t0;
		ct[i] = cpu_s() - c0;
		bt[i] = r.boot_seconds;
		lc_award_result_cleanup(&r);
	}
	double m = median(t, repeat);
	*boot_s = median(bt, repeat);
	*cpu = median(ct, repeat);
	lc_free(ct);
	lc_free(t);
	lc_free(bt);
	return m;
}

int main(int argc, char **argv)
{
	unsigned threads = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 2;
	size_t repeat = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 5;
	if (threads < 1)
		threads = 1;
	if (repeat < 1)
		repeat = 1;
	struct lc_award_input in;
	synthetic(&in);
	printf("award ranking: %d nominations x %d jurors x %d criteria (1 independent), "
	       "bootstrap B = %d, median of %zu\n",
	       NOMS, JURORS, CRITERIA, BOOT, repeat);

	double boot_n, boot_1, cpu_n, cpu_1;
	double fast_n = time_fast(&in, threads, repeat, &boot_n, &cpu_n);
	double fast_1 = time_fast(&in, 1, repeat, &boot_1, &cpu_1);

	/* Naive: the point figures (the ranking with one resample), then B resamples from scratch.
	 */
	double *naive = lc_xcalloc(repeat, sizeof(double)),
	       *naive_cpu = lc_xcalloc(repeat, sizeof(double));
	double *ranks = lc_xcalloc((size_t)BOOT * NOMS, sizeof(double));
	for (size_t i = 0; i < repeat; i++) {
		struct lc_award_opts o = {.boot = 1, .seed = SEED, .threads = 1};
		struct lc_award_result r;
		struct lc_mc_report mr;
		struct lc_mc_opts mo = {.runs = BOOT,
		                        .threads = threads,
		                        .out_len = NOMS,
		                        .run = naive_run,
		                        .ws_new = naive_ws_new,
		                        .ws_free = naive_ws_free,
		                        .ctx = &in};
		double t0 = now_s(), c0 = cpu_s();
		int err = lc_award_rank(&in, &o, &r, NULL);
		if (!err)
			err = lc_mc_run(&mo, ranks, NULL, &mr);
		naive[i] = now_s() - t0;
		naive_cpu[i] = cpu_s() - c0;
		lc_award_result_cleanup(&r);
		if (err || mr.failed) {
			fprintf(stderr, "bench_award: the naive ranking failed\n");
			return 1;
		}
	}
	double naive_n = median(naive, repeat), naive_c = median(naive_cpu, repeat);

	/* The same bytes: each resample's ranks from the engine's weighted pass. */
	double *total = lc_xcalloc(NOMS * JURORS, sizeof(double));
	double *mean = lc_xcalloc(NOMS, sizeof(double)), *rk = lc_xcalloc(NOMS, sizeof(double));
	unsigned *count = lc_xcalloc(JURORS, sizeof(unsigned));
	struct lc_rank_pair *pairs = lc_xcalloc(NOMS, sizeof(*pairs));
	size_t differ = 0;
	lc_award_totals(&in, total);
	for (size_t b = 0; b < BOOT; b++) {
		if (lc_award_draw(SEED, b, JURORS, count) != 0)
			return 1;
		lc_award_resample_means(total, NOMS, JURORS, count, mean);
		lc_award_rank_desc(mean, NOMS, rk, pairs);
		differ += memcmp(rk, ranks + b * NOMS, NOMS * sizeof(double)) != 0;
	}

	printf("%-40s %8s %8s %10s\n", "", "wall s", "CPU s", "bootstrap");
	printf("%-40s %8.3f %8.3f %10.3f\n", "full ranking, engine, threads", fast_n, cpu_n,
	       boot_n);
	printf("%-40s %8.3f %8.3f %10.3f\n", "full ranking, engine, 1 thread", fast_1, cpu_1,
	       boot_1);
	printf("%-40s %8.3f %8.3f\n", "full ranking, naive resamples, threads", naive_n, naive_c);
	printf("threads %u; naive / engine: %.1fx wall, %.1fx CPU; resamples whose ranks differ: "
	       "%zu of %d\n",
	       threads, naive_n / fast_n, naive_c / cpu_n, differ, BOOT);
	printf("target: the full ranking under 0.5 s on 2 cores: %s\n",
	       fast_n < 0.5 ? "met" : "NOT met");
	lc_free(naive);
	lc_free(naive_cpu);
	lc_free(ranks);
	lc_free(total);
	lc_free(mean);
	lc_free(rk);
	lc_free(count);
	lc_free(pairs);
	lc_award_input_cleanup(&in);
	return differ ? 1 : 0;
}
