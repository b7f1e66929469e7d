/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The parallel Monte Carlo runner (see montecarlo.h). Threads take chunks of
 * run indices from one atomic counter: which thread runs which run varies
 * between calls, but every run writes only its own slots, so the results
 * do not. The calling thread waits on a condition variable, waking every
 * progress_ms to report progress, so no callback of the caller runs on a
 * worker thread except the model itself.
 */
#include "engine/montecarlo.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/limits.h"

/* Runs handed out at once: large enough to keep the counter cold, small for balance. */
#define MC_CHUNK_MAX 64

struct mc_shared {
	const struct lc_mc_opts *o;
	double *out;
	signed char *status;
	size_t chunk;
	atomic_size_t next; /* first run not yet handed out */
	atomic_size_t done;
	atomic_size_t failed;
	atomic_size_t not_run;
	atomic_bool stop; /* raised by the progress callback */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned finished; /* workers that have returned; under mu */
};

struct mc_worker {
	struct mc_shared *sh;
	void *ws;
	pthread_t tid;
	bool started;
	size_t first_failed; /* lowest failed run of this worker, or SIZE_MAX */
	int first_error;
};

static bool cancelled(struct mc_shared *sh)
{
	if (atomic_load_explicit(&sh->stop, memory_order_relaxed))
		return true;
	return sh->o->cancel && atomic_load_explicit(sh->o->cancel, memory_order_relaxed);
}

static void mark_not_run(struct mc_shared *sh, size_t r)
{
	size_t len = sh->o->out_len;
	if (sh->status)
		sh->status[r] = LC_MC_NOT_RUN;
	for (size_t k = 0; sh->out && k < len; k++)
		sh->out[r * len + k] = NAN;
}

static void *worker_main(void *arg)
{
	struct mc_worker *w = arg;
	struct mc_shared *sh = w->sh;
	const struct lc_mc_opts *o = sh->o;
	size_t len = o->out_len;

	for (;;) {
		size_t start, end;
		if (cancelled(sh))
			break;
		start = atomic_fetch_add_explicit(&sh->next, sh->chunk, memory_order_relaxed);
		if (start >= o->runs)
			break;
		end = start + sh->chunk < o->runs ? start + sh->chunk : o->runs;
		for (size_t r = start; r < end; r++) {
			double *slot = sh->out && len ? sh->out + r * len : NULL;
			int rc;
			if (cancelled(sh)) {
				/* The rest of a claimed chunk is not run either; say so per run. */
				mark_not_run(sh, r);
				atomic_fetch_add_explicit(&sh->not_run, 1, memory_order_relaxed);
				continue;
			}
			rc = o->run(o->ctx, w->ws, r, slot);
			if (rc != 0) {
				for (size_t k = 0; slot && k < len; k++)
					slot[k] = NAN;
				if (r < w->first_failed) {
					w->first_failed = r;
					w->first_error = rc;
				}
				atomic_fetch_add_explicit(&sh->failed, 1, memory_order_relaxed);
			}
			if (sh->status)
				sh->status[r] =
				    (signed char)(rc < 0 && rc >= -127 ? rc
				                                       : (rc ? LC_EINTERNAL : 0));
			atomic_fetch_add_explicit(&sh->done, 1, memory_order_relaxed);
		}
	}
	pthread_mutex_lock(&sh->mu);
	sh->finished++;
	pthread_cond_signal(&sh->cv);
	pthread_mutex_unlock(&sh->mu);
	return NULL;
}

uint64_t lc_mc_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

unsigned lc_mc_online_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > 1024 ? 1024u : (unsigned)n;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Waits until every worker has returned, reporting progress on the way. */
static void wait_workers(struct mc_shared *sh, unsigned nthreads)
{
	const struct lc_mc_opts *o = sh->o;
	unsigned ms = o->progress_ms ? o->progress_ms : 100;

	pthread_mutex_lock(&sh->mu);
	while (sh->finished < nthreads) {
		if (!o->progress) {
			pthread_cond_wait(&sh->cv, &sh->mu);
			continue;
		}
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += (long)(ms % 1000) * 1000000L;
		ts.tv_sec += (time_t)(ms / 1000) + ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&sh->cv, &sh->mu, &ts);
		if (sh->finished >= nthreads)
			break;
		pthread_mutex_unlock(&sh->mu);
		/* The callback runs unlocked: it may be slow (terminal, job table). */
		if (o->progress(o->progress_user, atomic_load(&sh->done), o->runs) != 0)
			atomic_store(&sh->stop, true);
		pthread_mutex_lock(&sh->mu);
	}
	pthread_mutex_unlock(&sh->mu);
}

int lc_mc_run(const struct lc_mc_opts *opts, double *out, signed char *status,
              struct lc_mc_report *rep)
{
	struct mc_shared sh;
	struct mc_worker *w = NULL;
	pthread_condattr_t ca;
	unsigned nthreads, started = 0;
	double t0;
	int err = LC_OK;

	memset(rep, 0, sizeof(*rep));
	rep->runs = opts ? opts->runs : 0;
	if (!opts || !opts->run || (opts->out_len && !out))
		return LC_EINVAL;
	if (opts->runs > LC_LIMIT_ENGINE_RUNS)
		return LC_ELIMIT;
	if (opts->runs == 0)
		return LC_OK;
	nthreads = opts->threads ? opts->threads : lc_mc_online_cores();
	if (nthreads > opts->runs)
		nthreads = (unsigned)opts->runs;

	memset(&sh, 0, sizeof(sh));
	sh.o = opts;
	sh.out = opts->out_len ? out : NULL;
	sh.status = status;
	sh.chunk = opts->runs / ((size_t)nthreads * 16);
	if (sh.chunk < 1)
		sh.chunk = 1;
	if (sh.chunk > MC_CHUNK_MAX)
		sh.chunk = MC_CHUNK_MAX;
	atomic_init(&sh.next, 0);
	atomic_init(&sh.done, 0);
	atomic_init(&sh.failed, 0);
	atomic_init(&sh.not_run, 0);
	atomic_init(&sh.stop, false);
	pthread_mutex_init(&sh.mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&sh.cv, &ca);
	pthread_condattr_destroy(&ca);

	/* Workspaces are made up front so a failure leaves no thread running. */
	w = lc_xcalloc(nthreads, sizeof(*w));
	for (unsigned t = 0; t < nthreads; t++) {
		w[t].sh = &sh;
		w[t].first_failed = SIZE_MAX;
		if (opts->ws_new) {
			w[t].ws = opts->ws_new(opts->ctx);
			if (!w[t].ws) {
				err = LC_EINTERNAL;
				goto out;
			}
		}
	}
	t0 = now_seconds();
	for (unsigned t = 0; t < nthreads; t++) {
		if (pthread_create(&w[t].tid, NULL, worker_main, &w[t]) != 0)
			break;
		w[t].started = true;
		started++;
	}
	if (started == 0) {
		err = LC_EINTERNAL;
		goto out;
	}
	/* With fewer threads than asked the runs still all happen; results do not change. */
	wait_workers(&sh, started);
	for (unsigned t = 0; t < started; t++)
		pthread_join(w[t].tid, NULL);
	rep->seconds = now_seconds() - t0;

	/* Runs never handed out because of a cancellation. */
	for (size_t r = atomic_load(&sh.next); r < opts->runs; r++) {
		mark_not_run(&sh, r);
		atomic_fetch_add(&sh.not_run, 1);
	}
	rep->threads = started;
	rep->done = atomic_load(&sh.done);
	rep->failed = atomic_load(&sh.failed);
	rep->not_run = atomic_load(&sh.not_run);
	rep->cancelled = rep->not_run > 0;
	rep->first_failed_run = SIZE_MAX;
	for (unsigned t = 0; t < started; t++) {
		if (w[t].first_failed < rep->first_failed_run) {
			rep->first_failed_run = w[t].first_failed;
			rep->first_error = w[t].first_error;
		}
	}
	if (rep->first_failed_run == SIZE_MAX)
		rep->first_failed_run = 0;
	if (opts->progress)
		opts->progress(opts->progress_user, rep->done, opts->runs);
	if (rep->cancelled)
		err = LC_EBUSY;
out:
	for (unsigned t = 0; w && t < nthreads; t++)
		if (w[t].ws && opts->ws_free)
			opts->ws_free(opts->ctx, w[t].ws);
	lc_free(w);
	pthread_cond_destroy(&sh.cv);
	pthread_mutex_destroy(&sh.mu);
	return err;
}
