/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of engine/montecarlo.c: identical bytes whatever the thread count,
 * failed runs counted with their status, per-thread workspaces, progress
 * reports, cancellation and bad options.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/limits.h"
#include "engine/montecarlo.h"

#define OUT_LEN 5

struct ctx {
	uint64_t seed;
	atomic_int ws_made, ws_freed;
	bool slow;
	bool fail_ws;
};

/* A run's random stream depends only on (seed, run): splitmix64 of both. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

struct ws {
	double acc[64]; /* scratch the model reuses: must not leak between runs */
};

static void *ws_new(void *vctx)
{
	struct ctx *c = vctx;
	if (c->fail_ws && atomic_load(&c->ws_made) == 1)
		return NULL;
	atomic_fetch_add(&c->ws_made, 1);
	return lc_xcalloc(1, sizeof(struct ws));
}

static void ws_free(void *vctx, void *w)
{
	struct ctx *c = vctx;
	atomic_fetch_add(&c->ws_freed, 1);
	lc_free(w);
}

static int model(void *vctx, void *vws, size_t run, double *out)
{
	struct ctx *c = vctx;
	struct ws *w = vws;
	uint64_t s = mix(c->seed ^ mix(run));
	if (run % 7 == 3)
		return LC_EINVAL;
	for (int k = 0; k < 64; k++) {
		s = mix(s);
		w->acc[k] = (double)(s >> 11) * 0x1.0p-53;
	}
	for (int j = 0; j < OUT_LEN; j++) {
		double v = 0;
		for (int k = 0; k < 64; k++)
			v += sin(w->acc[k] * (j + 1));
		out[j] = v;
	}
	if (c->slow) {
		struct timespec ts = {0, 200000};
		nanosleep(&ts, NULL);
	}
	return 0;
}

static void run_with(unsigned threads, size_t runs, double *out, signed char *st,
                     struct lc_mc_report *rep, struct ctx *c)
{
	struct lc_mc_opts o = {.runs = runs,
	                       .threads = threads,
	                       .out_len = OUT_LEN,
	                       .run = model,
	                       .ws_new = ws_new,
	                       .ws_free = ws_free,
	                       .ctx = c};
	assert_int_equal(lc_mc_run(&o, out, st, rep), 0);
}

static void test_thread_count_independent(void **state)
{
	(void)state;
	const size_t runs = 10007;
	const unsigned tc[3] = {1, 2, 4};
	double *out[3];
	signed char *st[3];
	for (int k = 0; k < 3; k++) {
		struct ctx c = {.seed = 12345};
		struct lc_mc_report rep;
		out[k] = lc_xreallocarray(NULL, runs * OUT_LEN, sizeof(double));
		st[k] = lc_xmalloc(runs);
		run_with(tc[k], runs, out[k], st[k], &rep, &c);
		assert_int_equal(rep.threads, tc[k]);
		assert_int_equal(rep.done, runs);
		assert_int_equal(rep.failed, (runs + 3) / 7);
		assert_int_equal(rep.not_run, 0);
		assert_false(rep.cancelled);
		assert_int_equal(rep.first_failed_run, 3);
		assert_int_equal(rep.first_error, LC_EINVAL);
		assert_int_equal(atomic_load(&c.ws_made), (int)tc[k]);
		assert_int_equal(atomic_load(&c.ws_freed), (int)tc[k]);
	}
	for (int k = 1; k < 3; k++) {
		assert_memory_equal(out[0], out[k], runs * OUT_LEN * sizeof(double));
		assert_memory_equal(st[0], st[k], runs);
	}
	for (size_t r = 0; r < runs; r++) {
		if (r % 7 == 3) {
			assert_int_equal(st[0][r], LC_EINVAL);
			assert_true(isnan(out[0][r * OUT_LEN]));
		} else {
			assert_int_equal(st[0][r], LC_MC_OK);
			assert_true(isfinite(out[0][r * OUT_LEN + OUT_LEN - 1]));
		}
	}
	/* Another seed gives other numbers. */
	{
		struct ctx c = {.seed = 54321};
		struct lc_mc_report rep;
		double *o2 = lc_xreallocarray(NULL, runs * OUT_LEN, sizeof(double));
		run_with(2, runs, o2, NULL, &rep, &c);
		assert_true(memcmp(o2, out[0], runs * OUT_LEN * sizeof(double)) != 0);
		lc_free(o2);
	}
	for (int k = 0; k < 3; k++) {
		lc_free(out[k]);
		lc_free(st[k]);
	}
}

struct prog {
	size_t calls, last_done, last_total;
	size_t cancel_after; /* 0 = never */
};

static int on_progress(void *user, size_t done, size_t total)
{
	struct prog *p = user;
	p->calls++;
	assert_true(done >= p->last_done);
	p->last_done = done;
	p->last_total = total;
	return p->cancel_after && p->calls >= p->cancel_after;
}

static void test_progress_and_cancel(void **state)
{
	(void)state;
	const size_t runs = 4000;
	double *out = lc_xreallocarray(NULL, runs * OUT_LEN, sizeof(double));
	signed char *st = lc_xmalloc(runs);
	struct ctx c = {.seed = 1, .slow = true};
	struct prog p = {0};
	struct lc_mc_report rep;
	struct lc_mc_opts o = {.runs = runs,
	                       .threads = 2,
	                       .out_len = OUT_LEN,
	                       .run = model,
	                       .ws_new = ws_new,
	                       .ws_free = ws_free,
	                       .ctx = &c,
	                       .progress = on_progress,
	                       .progress_user = &p,
	                       .progress_ms = 5};

	/* Uncancelled: a final report with everything done. */
	o.runs = 200;
	assert_int_equal(lc_mc_run(&o, out, st, &rep), 0);
	assert_true(p.calls >= 1);
	assert_int_equal(p.last_done, 200);
	assert_int_equal(p.last_total, 200);

	/* Cancelled from the progress callback: the rest is marked, not dropped. */
	memset(&p, 0, sizeof(p));
	p.cancel_after = 2;
	o.runs = runs;
	assert_int_equal(lc_mc_run(&o, out, st, &rep), LC_EBUSY);
	assert_true(rep.cancelled);
	assert_true(rep.not_run > 0);
	assert_int_equal(rep.done + rep.not_run, runs);
	size_t nr = 0;
	for (size_t r = 0; r < runs; r++) {
		if (st[r] == LC_MC_NOT_RUN) {
			nr++;
			assert_true(isnan(out[r * OUT_LEN]));
		}
	}
	assert_int_equal(nr, rep.not_run);

	/* Cancelled by the flag before starting: nothing runs. */
	atomic_bool flag = true;
	o.cancel = &flag;
	o.progress = NULL;
	assert_int_equal(lc_mc_run(&o, out, st, &rep), LC_EBUSY);
	assert_int_equal(rep.done, 0);
	assert_int_equal(rep.not_run, runs);
	lc_free(out);
	lc_free(st);
}

static void test_bad_options(void **state)
{
	(void)state;
	struct lc_mc_report rep;
	struct ctx c = {.seed = 1};
	double out[3 * OUT_LEN];
	struct lc_mc_opts o = {.runs = 3, .threads = 8, .out_len = OUT_LEN, .ctx = &c};

	assert_int_equal(lc_mc_run(&o, out, NULL, &rep), LC_EINVAL); /* no model */
	o.run = model;
	assert_int_equal(lc_mc_run(&o, NULL, NULL, &rep), LC_EINVAL); /* no output array */
	o.runs = (size_t)LC_LIMIT_ENGINE_RUNS + 1;
	assert_int_equal(lc_mc_run(&o, out, NULL, &rep), LC_ELIMIT);
	o.runs = 0;
	assert_int_equal(lc_mc_run(&o, out, NULL, &rep), 0);
	assert_int_equal(rep.done, 0);
	/* More threads than runs: capped. */
	o.runs = 3;
	o.ws_new = ws_new;
	o.ws_free = ws_free;
	assert_int_equal(lc_mc_run(&o, out, NULL, &rep), 0);
	assert_int_equal(rep.threads, 3);
	assert_int_equal(rep.done, 3);
	/* A workspace that cannot be made fails the call, and nothing leaks. */
	struct ctx c2 = {.seed = 1, .fail_ws = true};
	o.ctx = &c2;
	assert_int_equal(lc_mc_run(&o, out, NULL, &rep), LC_EINTERNAL);
	assert_int_equal(atomic_load(&c2.ws_made), atomic_load(&c2.ws_freed));
	assert_true(lc_mc_online_cores() >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_thread_count_independent),
	    cmocka_unit_test(test_progress_and_cancel),
	    cmocka_unit_test(test_bad_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
