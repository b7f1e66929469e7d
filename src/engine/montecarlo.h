/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A parallel runner for Monte Carlo work: runs 0 .. R-1 of a model callback
 * shared among T POSIX threads. Each thread has its own workspace (made and
 * freed through callbacks, so a run never allocates), runs are handed out in
 * small chunks from an atomic counter, and every run writes its results to a
 * caller-provided array at its own run index. Results are therefore
 * identical for a seed whatever the thread count, provided the callback
 * draws its randomness from the seed and the run index only (never from a
 * generator shared between runs or from thread identity).
 *
 * Failed runs (callback returns an error) are counted and their status kept;
 * their output slots are set to NaN. Progress is reported from the calling
 * thread through a callback (for a terminal progress bar or a web job), and
 * the work can be cancelled through a flag or from the progress callback.
 *
 * The module owns its threads and nothing else. No I/O.
 */
#ifndef LC_ENGINE_MONTECARLO_H
#define LC_ENGINE_MONTECARLO_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Evaluates run `run`. ctx is shared by all threads (read-only, or written
 * only at indices owned by this run); ws is this thread's workspace; out is
 * this run's out_len slots of the result array (NULL when out_len is 0).
 * Returns 0, or a negative LC_E* code when the run fails.
 */
typedef int (*lc_mc_run_fn)(void *ctx, void *ws, size_t run, double *out);
/* Makes one thread's workspace; NULL is an error (the whole call fails). */
typedef void *(*lc_mc_ws_new_fn)(void *ctx);
/* Frees a workspace made by lc_mc_ws_new_fn. */
typedef void (*lc_mc_ws_free_fn)(void *ctx, void *ws);
/*
 * Called on the calling thread about every progress_ms and once at the end
 * with done == runs finished (failed included) out of total. Returning
 * nonzero cancels the remaining runs.
 */
typedef int (*lc_mc_progress_fn)(void *user, size_t done, size_t total);

/* Status of a run in the status array. */
enum {
	LC_MC_OK = 0,
	LC_MC_NOT_RUN = 1, /* cancelled before it started */
	                   /* negative: the LC_E* code the callback returned */
};

struct lc_mc_opts {
	size_t runs;              /* R, at most LC_LIMIT_ENGINE_RUNS */
	unsigned threads;         /* T; 0 = the number of online cores; capped at R */
	size_t out_len;           /* doubles each run writes into out */
	lc_mc_run_fn run;         /* required */
	lc_mc_ws_new_fn ws_new;   /* optional: NULL gives a NULL workspace */
	lc_mc_ws_free_fn ws_free; /* optional */
	void *ctx;
	lc_mc_progress_fn progress; /* optional */
	void *progress_user;
	unsigned progress_ms; /* 0 = 100 ms */
	atomic_bool *cancel;  /* optional flag another thread may raise */
};

struct lc_mc_report {
	size_t runs;     /* asked for */
	size_t done;     /* finished, failed included */
	size_t failed;   /* callback returned an error */
	size_t not_run;  /* skipped after cancellation */
	int first_error; /* error of the lowest-numbered failed run, or 0 */
	size_t first_failed_run;
	bool cancelled;
	unsigned threads; /* threads actually used */
	double seconds;   /* wall-clock time of the runs */
};

/*
 * splitmix64: derives independent seeds for the streams and runs that one
 * user seed feeds (lc_mc_mix64(seed ^ (STREAM + run))), so that a run's
 * draws depend on the seed and its index only.
 */
uint64_t lc_mc_mix64(uint64_t x);

/* The number of online cores (at least 1). */
unsigned lc_mc_online_cores(void);

/*
 * Runs opts->runs runs. out (runs * out_len doubles, may be NULL when
 * out_len is 0) and status (runs entries, may be NULL) are preallocated by
 * the caller and written at each run's index. rep (required) is filled in
 * every case. Returns 0 when every run was attempted (failed runs do not make
 * the call fail: read rep->failed), LC_EBUSY when cancelled, LC_EINVAL on
 * bad options, LC_ELIMIT past the run limit, LC_EINTERNAL when a workspace
 * or a thread could not be made.
 */
int lc_mc_run(const struct lc_mc_opts *opts, double *out, signed char *status,
              struct lc_mc_report *rep);

#endif
