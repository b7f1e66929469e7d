/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Background jobs (jobs table): long work such as an index run never runs on
 * an HTTP thread. A request enqueues a row (state "queued"); a worker thread
 * started by `serve` (lc_jobs_start) claims queued jobs one at a time in id
 * order, runs the kind's function with a connection of the pool, and ends
 * the row "done" (with a result reference), "failed" (with a message) or
 * "cancelled". Progress (done/total and a message) is written to the row by
 * lc_job_progress at most every LC_JOB_PROGRESS_MS, and cancellation is a
 * flag on the row (lc_job_cancel) that the worker reads at each progress
 * write, so every part talks through the database only: the web side needs
 * no pointer to the worker.
 *
 * This module owns the jobs table's SQL and the worker thread. It knows no
 * job kind: the caller of lc_jobs_start passes the table of kinds (serve
 * passes lc_score_job_kind; tests pass their own).
 */
#ifndef LC_JOB_H
#define LC_JOB_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct lc_actor;
struct lc_db;
struct lc_db_pool;

/* Progress rows are written at most this often (ms); also the queue poll period. */
#define LC_JOB_PROGRESS_MS 250

enum lc_job_state {
	LC_JOB_QUEUED = 0,
	LC_JOB_RUNNING,
	LC_JOB_DONE,
	LC_JOB_FAILED,
	LC_JOB_CANCELLED,
};

/* "queued", "running", "done", "failed", "cancelled"; NULL outside the enum. */
const char *lc_job_state_name(enum lc_job_state s);

/* What a running job sees: opaque; pass it to lc_job_progress. */
struct lc_job_ctx;

/*
 * One job kind. run is called on the worker thread with a pool connection
 * (no transaction open), the job's params (borrowed JSON object) and the
 * actor who enqueued it (loaded from the row; system for jobs without an
 * account). It returns 0 and may set *result_type (a static string such as
 * "index_run") and *result_id; or a negative LC_E code with a message for
 * the user in msg (msg_size bytes, "" when it has none); LC_EBUSY after
 * lc_job_progress returned nonzero means cancelled.
 */
struct lc_job_kind {
	const char *kind; /* "index_run" */
	int (*run)(struct lc_db *db, struct lc_job_ctx *ctx, const struct lc_actor *actor,
	           const json_t *params, const char **result_type, int64_t *result_id, char *msg,
	           size_t msg_size);
};

/*
 * Reports progress (done of total, and a short message; NULL keeps the
 * previous one). Writes the row when LC_JOB_PROGRESS_MS passed since the last
 * write (or force), then reads the cancel flag. Returns nonzero when the job
 * was asked to cancel (the kind should stop and return LC_EBUSY). Call on the
 * worker thread only, outside any transaction of the job's own. ctx NULL is
 * allowed (a job function run directly, e.g. by `learncity demo`): returns 0.
 */
int lc_job_progress(struct lc_job_ctx *ctx, size_t done, size_t total, const char *message,
                    bool force);
/* The cancel flag as last read (for engine loops that poll an atomic_bool). NULL: NULL. */
atomic_bool *lc_job_cancel_flag(struct lc_job_ctx *ctx);

/*
 * Enqueues a job of kind with params (borrowed JSON object, NULL = {}) on
 * behalf of actor, in its own transaction (nested in the caller's). *id gets
 * the job id. 0, LC_EINVAL (kind empty or too long), LC_EBUSY, LC_EDB.
 * Authorisation is the caller's (the kind's domain function checks it).
 */
int lc_job_enqueue(struct lc_db *db, const struct lc_actor *actor, const char *kind,
                   const json_t *params, int64_t *id);

/*
 * A job as JSON:
 * {"id": 7, "kind": "index_run", "state": "running", "progress": 0.42,
 *  "done": 420, "total": 1000, "message": "uncertainty analysis",
 *  "result": {"type": "index_run", "id": 3, "href": "/api/v1/index-runs/3"} | null,
 *  "created_at": "2026-11-24T04:00:00Z", "started_at": "..." | null,
 *  "finished_at": "..." | null, "params": {"year": 2024, ...},
 *  "created_by": "admin@example.org"}
 * progress is done/total in [0, 1] (0 while total is 0; 1 when done).
 * Readable by its creator and by actors allowed LC_ACT_RUN_INDEX. 0,
 * LC_ENOTFOUND, LC_EAUTH/LC_EPERM, LC_EDB. Caller owns *out.
 */
int lc_job_get(struct lc_db *db, const struct lc_actor *actor, int64_t id, json_t **out);

/*
 * The jobs of kind (NULL = every kind), newest first, a page at a time:
 * {"items": [{"id", "kind", "state", "progress", "done", "total", "message",
 *             "params": {...}, "result": {...} | null, "created_by": "email",
 *             "created_at", "started_at", "finished_at"}, ...],
 *  "total": 12, "page": 1, "per_page": 20, "pages": 1}
 * Items as lc_job_get's, with the job's params and its creator. Requires
 * LC_ACT_RUN_INDEX. page from 1 (0 means 1), per_page 1..LC_LIMIT_PER_PAGE
 * (0 means LC_DEFAULT_PER_PAGE). 0, LC_EAUTH/LC_EPERM, LC_EINVAL, LC_EDB.
 * Caller owns *out.
 */
int lc_job_list(struct lc_db *db, const struct lc_actor *actor, const char *kind, long page,
                long per_page, json_t **out);

/*
 * Asks a job to stop: a queued job becomes "cancelled" at once; a running
 * one gets its cancel flag (it ends "cancelled" at its next progress
 * report). Same permission as lc_job_get; audited ("job.cancel") when it
 * changed something. 0 (also when already finished: nothing changes), LC_ENOTFOUND,
 * LC_EAUTH/LC_EPERM, LC_EBUSY, LC_EDB.
 */
int lc_job_cancel(struct lc_db *db, const struct lc_actor *actor, int64_t id);

/*
 * Runs the oldest queued job, if any, on this thread with db: 1 when a job
 * ran (whatever its outcome), 0 when none was queued, LC_EDB/LC_EBUSY. For
 * tests and the worker. A job whose kind is not in kinds fails with a
 * message.
 */
int lc_job_run_next(struct lc_db *db, const struct lc_job_kind *kinds, size_t n_kinds);

/*
 * Marks jobs left "running" by a process that died as failed ("interrupted:
 * the server stopped"); lc_jobs_start calls it. Queued jobs stay queued
 * and run when a worker takes them. 0, LC_EBUSY or LC_EDB.
 */
int lc_job_recover(struct lc_db *db);

/* The worker thread. */
struct lc_jobs;
/*
 * Marks the jobs a dead process left running failed (lc_job_recover), then
 * starts one worker thread that polls pool for queued jobs every
 * LC_JOB_PROGRESS_MS and runs them with kinds (borrowed; static). When the
 * database is busy (another process writing) the recovery is retried by the
 * worker at each poll, and no job is claimed before it succeeded. 0,
 * LC_EBUSY/LC_EDB (no connection), or LC_EINTERNAL (the thread could not
 * start). Caller stops it with lc_jobs_stop before freeing the pool.
 */
int lc_jobs_start(struct lc_db_pool *pool, const struct lc_job_kind *kinds, size_t n_kinds,
                  struct lc_jobs **out);
/*
 * Stops the worker: a running job is asked to cancel (it ends "cancelled"
 * at its next progress report, or its outcome is kept if it finishes
 * first), then the thread is joined and freed. NULL allowed.
 */
void lc_jobs_stop(struct lc_jobs *j);

#endif
