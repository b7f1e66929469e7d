/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Background jobs: the jobs table's SQL, the claim/run/finish cycle of one
 * job, and the worker thread of `serve`. Everything between the web side and
 * the worker goes through the table (enqueue, progress, cancel flag), so a
 * request never waits for a job and the worker holds no pointer into
 * requests. Job kinds are given by the caller; this file knows none.
 */
#include "domain/platform/job.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/limits.h"
#include "domain/platform/row.h"
#include "base/log.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/platform/clock.h"

#define ISO(col) "strftime('%Y-%m-%dT%H:%M:%SZ', " col ", 'unixepoch')"

static const char *const state_names[] = {"queued", "running", "done", "failed", "cancelled"};

const char *lc_job_state_name(enum lc_job_state s)
{
	if ((unsigned)s >= sizeof(state_names) / sizeof(state_names[0]))
		return NULL;
	return state_names[s];
}

struct lc_job_ctx {
	struct lc_db *db;
	int64_t id;
	int64_t last_ms; /* monotonic ms of the last row write */
	atomic_bool cancel;
	const atomic_bool *stop; /* the worker's stop flag, or NULL */
	char message[200];
};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void copy_msg(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int lc_job_progress(struct lc_job_ctx *ctx, size_t done, size_t total, const char *message,
                    bool force)
{
	if (!ctx)
		return 0;
	if (message)
		copy_msg(ctx->message, sizeof ctx->message, message);
	if (ctx->stop && atomic_load(ctx->stop))
		atomic_store(&ctx->cancel, true);
	int64_t now = mono_ms();
	if (!force && now - ctx->last_ms < LC_JOB_PROGRESS_MS)
		return atomic_load(&ctx->cancel) ? 1 : 0;
	ctx->last_ms = now;
	/* Progress is advisory: a failed write is logged and the job goes on. */
	sqlite3_stmt *st = lc_db_stmt(ctx->db, "UPDATE jobs SET done = ?2, total = ?3, message = ?4"
	                                       " WHERE id = ?1 RETURNING cancel_requested");
	if (st) {
		sqlite3_bind_int64(st, 1, ctx->id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)(done > total ? total : done));
		sqlite3_bind_int64(st, 3, (sqlite3_int64)total);
		lc_db_bind_text(st, 4, ctx->message);
		if (lc_db_step(ctx->db, st) == 1 && sqlite3_column_int(st, 0))
			atomic_store(&ctx->cancel, true);
		lc_db_release(ctx->db, st);
	}
	return atomic_load(&ctx->cancel) ? 1 : 0;
}

atomic_bool *lc_job_cancel_flag(struct lc_job_ctx *ctx)
{
	return ctx ? &ctx->cancel : NULL;
}

int lc_job_enqueue(struct lc_db *db, const struct lc_actor *actor, const char *kind,
                   const json_t *params, int64_t *id)
{
	if (!kind || !*kind || strlen(kind) > 40)
		return LC_EINVAL;
	char *text = NULL;
	if (params) {
		size_t n = json_dumpb(params, NULL, 0, JSON_COMPACT);
		text = lc_xmalloc(n + 1);
		json_dumpb(params, text, n, JSON_COMPACT);
		text[n] = '\0';
	}
	int err = lc_db_begin(db);
	if (err)
		goto out;
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO jobs (kind, params, state, created_by,"
	                                  " created_by_email, created_at) VALUES (?1, ?2, 'queued',"
	                                  " ?3, ?4, ?5)");
	if (!st) {
		err = LC_EDB;
		goto fail;
	}
	lc_db_bind_text(st, 1, kind);
	lc_db_bind_text(st, 2, text ? text : "{}");
	if (actor->kind == LC_ACTOR_ACCOUNT)
		sqlite3_bind_int64(st, 3, actor->account_id);
	lc_db_bind_text(st, 4, actor->kind == LC_ACTOR_ANONYMOUS ? "anonymous" : actor->email);
	sqlite3_bind_int64(st, 5, lc_clock_now());
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto fail;
	*id = lc_db_last_id(db);
	err = lc_db_commit(db);
	if (!err)
		goto out;
fail:
	lc_db_rollback(db);
out:
	lc_free(text);
	return err < 0 ? err : 0;
}

/* The row's creator, for the permission check. */
static int job_owner(struct lc_db *db, int64_t id, int64_t *owner)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT coalesce(created_by, 0) FROM jobs WHERE id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*owner = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc == 1 ? 0 : rc == 0 ? LC_ENOTFOUND : rc;
}

static int may_see(struct lc_db *db, const struct lc_actor *actor, int64_t id)
{
	int64_t owner = 0;
	int err = job_owner(db, id, &owner);
	if (err)
		return err;
	if (actor->kind == LC_ACTOR_ACCOUNT && owner != 0 && owner == actor->account_id)
		return 0;
	return lc_authz_check(actor, LC_ACT_RUN_INDEX, NULL);
}

static json_t *text_or_null(sqlite3_stmt *st, int i)
{
	const char *s = lc_db_text(st, i);
	return s ? json_string(s) : json_null();
}

/* The columns job_json reads, in its order. */
#define JOB_COLUMNS                                                                                \
	"id, kind, state, done, total, message, result_type, result_id, " ISO(                     \
	    "created_at") ", " ISO("started_at") ", " ISO("finished_at") ", params, "              \
	                                                                 "created_by_email"

/* A row of JOB_COLUMNS as the JSON of lc_job_get. NULL on allocation failure. */
static json_t *job_json(sqlite3_stmt *st)
{
	const char *state = lc_db_text(st, 2);
	sqlite3_int64 done = sqlite3_column_int64(st, 3), total = sqlite3_column_int64(st, 4);
	double progress = total > 0 ? (double)done / (double)total : 0.0;
	if (state && strcmp(state, "done") == 0)
		progress = 1.0;
	json_t *result = json_null();
	const char *rtype = lc_db_text(st, 6);
	if (rtype && sqlite3_column_type(st, 7) != SQLITE_NULL) {
		char href[96];
		int64_t rid = sqlite3_column_int64(st, 7);
		if (strcmp(rtype, "index_run") == 0)
			snprintf(href, sizeof href, "/api/v1/index-runs/%lld", (long long)rid);
		else
			href[0] = '\0';
		json_decref(result);
		result = json_pack("{s:s, s:I, s:o}", "type", rtype, "id", (json_int_t)rid, "href",
		                   href[0] ? json_string(href) : json_null());
	}
	const char *ptext = lc_db_text(st, 11);
	json_t *params = ptext ? json_loads(ptext, 0, NULL) : NULL;
	if (!json_is_object(params)) {
		json_decref(params);
		params = json_object();
	}
	return json_pack("{s:I, s:o, s:o, s:f, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
	                 (json_int_t)sqlite3_column_int64(st, 0), "kind", text_or_null(st, 1),
	                 "state", text_or_null(st, 2), "progress", progress, "done",
	                 (json_int_t)done, "total", (json_int_t)total, "message",
	                 text_or_null(st, 5), "result", result, "created_at", text_or_null(st, 8),
	                 "started_at", text_or_null(st, 9), "finished_at", text_or_null(st, 10),
	                 "params", params, "created_by", text_or_null(st, 12));
}

int lc_job_get(struct lc_db *db, const struct lc_actor *actor, int64_t id, json_t **out)
{
	int err = may_see(db, actor, id);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT " JOB_COLUMNS " FROM jobs WHERE id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	if (rc != 1) {
		lc_db_release(db, st);
		return rc == 0 ? LC_ENOTFOUND : rc;
	}
	*out = job_json(st);
	lc_db_release(db, st);
	return *out ? 0 : LC_EINTERNAL;
}

int lc_job_list(struct lc_db *db, const struct lc_actor *actor, const char *kind, long page,
                long per_page, json_t **out)
{
	*out = NULL;
	int err = lc_authz_check(actor, LC_ACT_RUN_INDEX, NULL);
	if (err)
		return err;
	struct lc_row_page pg;
	if (lc_row_page_init(&pg, page, per_page))
		return LC_EINVAL;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT count(*) FROM jobs WHERE ?1 IS NULL OR kind = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, kind);
	int rc = lc_db_step(db, st);
	long long total = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	st = lc_db_stmt(db, "SELECT " JOB_COLUMNS " FROM jobs WHERE ?1 IS NULL OR kind = ?1"
	                    " ORDER BY id DESC LIMIT ?2 OFFSET ?3");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, pg.per_page);
	sqlite3_bind_int64(st, 3, lc_row_page_offset(&pg));
	json_t *items = json_array();
	while (lc_db_next(db, st, &rc))
		json_array_append_new(items, job_json(st));
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = lc_row_paged(items, total, &pg);
	return *out ? 0 : LC_EINTERNAL;
}

int lc_job_cancel(struct lc_db *db, const struct lc_actor *actor, int64_t id)
{
	int err = may_see(db, actor, id);
	if (err)
		return err;
	err = lc_db_begin(db);
	if (err)
		return err;
	/* What the request changes: a queued job ends, a running one gets its flag once. */
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT state = 'queued',"
	                                  " state = 'running' AND cancel_requested = 0"
	                                  " FROM jobs WHERE id = ?1");
	if (!st) {
		err = LC_EDB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, id);
	err = lc_db_step(db, st);
	bool queued = err == 1 && sqlite3_column_int(st, 0);
	bool flag = err == 1 && sqlite3_column_int(st, 1);
	lc_db_release(db, st);
	if (err < 0)
		goto fail;
	if (!queued && !flag) {
		err = 0; /* finished, or already asked: nothing changes */
		goto fail;
	}
	st = lc_db_stmt(
	    db, "UPDATE jobs SET state = CASE state WHEN 'queued' THEN 'cancelled' ELSE state END,"
	        " finished_at = CASE state WHEN 'queued' THEN ?2 ELSE finished_at END,"
	        " cancel_requested = CASE state WHEN 'running' THEN 1 ELSE cancel_requested END"
	        " WHERE id = ?1");
	if (!st) {
		err = LC_EDB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, lc_clock_now());
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto fail;
	json_t *before = json_pack("{s:s}", "state", queued ? "queued" : "running");
	json_t *after = json_pack("{s:s, s:b}", "state", queued ? "cancelled" : "running",
	                          "cancel_requested", 1);
	err = lc_audit_append_id(db, actor, "job.cancel", "job", id, before, after, NULL);
	json_decref(before);
	json_decref(after);
	if (err)
		goto fail;
	err = lc_db_commit(db);
	if (!err)
		return 0;
fail:
	lc_db_rollback(db);
	return err;
}

/* Claims the oldest queued job: 1 with its id, kind and params, 0 when none. */
static int claim(struct lc_db *db, int64_t *id, char *kind, size_t kind_size, json_t **params,
                 int64_t *owner)
{
	int err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(db, "UPDATE jobs SET state = 'running', started_at = ?1"
	                                  " WHERE id = (SELECT id FROM jobs WHERE state = 'queued'"
	                                  " ORDER BY id LIMIT 1)"
	                                  " RETURNING id, kind, params, coalesce(created_by, 0)");
	if (!st) {
		lc_db_rollback(db);
		return LC_EDB;
	}
	sqlite3_bind_int64(st, 1, lc_clock_now());
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		*id = sqlite3_column_int64(st, 0);
		copy_msg(kind, kind_size, lc_db_text(st, 1));
		const char *p = lc_db_text(st, 2);
		*params = json_loads(p ? p : "{}", 0, NULL);
		*owner = sqlite3_column_int64(st, 3);
		/* RETURNING rows come one by one: finish the statement before commit. */
		while (lc_db_step(db, st) == 1)
			;
	}
	lc_db_release(db, st);
	if (rc < 0) {
		lc_db_rollback(db);
		return rc;
	}
	err = lc_db_commit(db);
	if (err) {
		lc_db_rollback(db);
		json_decref(*params);
		*params = NULL;
		return err;
	}
	return rc;
}

static int finish(struct lc_db *db, int64_t id, const char *state, const char *message,
                  const char *rtype, int64_t rid)
{
	int err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(
	    db,
	    "UPDATE jobs SET state = ?2, message = coalesce(?3, message), result_type = ?4,"
	    " result_id = ?5, finished_at = ?6, done = CASE ?2 WHEN 'done' THEN total ELSE done END"
	    " WHERE id = ?1");
	if (!st) {
		lc_db_rollback(db);
		return LC_EDB;
	}
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, state);
	lc_db_bind_text(st, 3, message);
	lc_db_bind_text(st, 4, rtype);
	if (rtype)
		sqlite3_bind_int64(st, 5, rid);
	sqlite3_bind_int64(st, 6, lc_clock_now());
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err >= 0)
		err = lc_db_commit(db);
	if (err < 0) {
		lc_db_rollback(db);
		return err;
	}
	return 0;
}

static int run_next(struct lc_db *db, const struct lc_job_kind *kinds, size_t n_kinds,
                    const atomic_bool *stop, struct lc_job_ctx **running, pthread_mutex_t *lock)
{
	int64_t id = 0, owner = 0;
	char kind[48];
	json_t *params = NULL;
	int rc = claim(db, &id, kind, sizeof kind, &params, &owner);
	if (rc <= 0)
		return rc;
	struct lc_job_ctx ctx = {.db = db, .id = id, .stop = stop};
	atomic_init(&ctx.cancel, false);
	if (lock) {
		pthread_mutex_lock(lock);
		*running = &ctx;
		pthread_mutex_unlock(lock);
	}
	const struct lc_job_kind *k = NULL;
	for (size_t i = 0; i < n_kinds; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			k = &kinds[i];
	struct lc_actor actor;
	lc_actor_system(&actor);
	char msg[256] = "";
	const char *rtype = NULL;
	int64_t rid = 0;
	int err = 0;
	if (!k) {
		snprintf(msg, sizeof msg, "unknown job kind '%s'", kind);
		err = LC_EINVAL;
	} else if (!params || !json_is_object(params)) {
		copy_msg(msg, sizeof msg, "the job's parameters are not a JSON object");
		err = LC_EINVAL;
	} else {
		if (owner != 0 && lc_actor_load(db, owner, &actor) != 0) {
			/* The account was disabled since: the job runs as nobody and fails its
			 * check. */
			lc_actor_anonymous(&actor);
		}
		err = k->run(db, &ctx, &actor, params, &rtype, &rid, msg, sizeof msg);
	}
	if (lock) {
		pthread_mutex_lock(lock);
		*running = NULL;
		pthread_mutex_unlock(lock);
	}
	json_decref(params);
	const char *state = "done";
	if (err == LC_EBUSY && atomic_load(&ctx.cancel)) {
		state = "cancelled";
		copy_msg(msg, sizeof msg, "cancelled");
	} else if (err) {
		state = "failed";
		if (!msg[0])
			copy_msg(msg, sizeof msg, lc_strerror(err));
	}
	if (!err)
		copy_msg(msg, sizeof msg, "done");
	int ferr = finish(db, id, state, msg, err ? NULL : rtype, rid);
	if (ferr)
		lc_log_error("job %lld: could not record its end (%s)", (long long)id,
		             lc_strerror(ferr));
	return 1;
}

int lc_job_run_next(struct lc_db *db, const struct lc_job_kind *kinds, size_t n_kinds)
{
	return run_next(db, kinds, n_kinds, NULL, NULL, NULL);
}

int lc_job_recover(struct lc_db *db)
{
	int err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "UPDATE jobs SET state = 'failed', finished_at = ?1,"
	                   " message = 'interrupted: the server stopped' WHERE state = 'running'");
	if (!st) {
		lc_db_rollback(db);
		return LC_EDB;
	}
	sqlite3_bind_int64(st, 1, lc_clock_now());
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err >= 0)
		err = lc_db_commit(db);
	if (err < 0) {
		lc_db_rollback(db);
		return err;
	}
	return 0;
}

struct lc_jobs {
	struct lc_db_pool *pool;
	const struct lc_job_kind *kinds;
	size_t n_kinds;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_bool stop;
	/*
	 * Jobs a dead process left running were marked failed. Until then the
	 * worker claims nothing: a job it claimed would look like theirs.
	 */
	bool recovered;
	struct lc_job_ctx *running; /* under lock */
};

static void *worker_main(void *arg)
{
	struct lc_jobs *j = arg;
	while (!atomic_load(&j->stop)) {
		struct lc_db *db = NULL;
		int rc = 0;
		if (lc_db_pool_acquire(j->pool, &db) == 0) {
			if (!j->recovered) {
				rc = lc_job_recover(db);
				j->recovered = rc == 0;
				if (j->recovered)
					lc_log_info("jobs: interrupted jobs are marked failed");
			}
			/* Run queued jobs back to back; then wait for the next poll. */
			while (j->recovered && !atomic_load(&j->stop)) {
				rc = run_next(db, j->kinds, j->n_kinds, &j->stop, &j->running,
				              &j->lock);
				if (rc != 1)
					break;
			}
			lc_db_pool_release(j->pool, db);
		}
		if (rc < 0)
			lc_log_warn("jobs: could not %s (%s)",
			            j->recovered ? "read the queue"
			                         : "mark interrupted jobs failed",
			            lc_strerror(rc));
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += (long)LC_JOB_PROGRESS_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec += 1;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&j->lock);
		if (!atomic_load(&j->stop))
			pthread_cond_timedwait(&j->wake, &j->lock, &until);
		pthread_mutex_unlock(&j->lock);
	}
	return NULL;
}

int lc_jobs_start(struct lc_db_pool *pool, const struct lc_job_kind *kinds, size_t n_kinds,
                  struct lc_jobs **out)
{
	/*
	 * Recover now, so that the jobs are right before the server says it
	 * listens; when another process holds the write lock (a long import)
	 * the worker retries at each poll instead of never starting.
	 */
	struct lc_db *db = NULL;
	int err = lc_db_pool_acquire(pool, &db);
	if (err)
		return err;
	err = lc_job_recover(db);
	lc_db_pool_release(pool, db);
	if (err)
		lc_log_warn("jobs: could not mark interrupted jobs failed yet (%s); retrying",
		            lc_strerror(err));
	struct lc_jobs *j = lc_xcalloc(1, sizeof *j);
	j->pool = pool;
	j->kinds = kinds;
	j->n_kinds = n_kinds;
	j->recovered = err == 0;
	atomic_init(&j->stop, false);
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->wake, NULL);
	if (pthread_create(&j->thread, NULL, worker_main, j) != 0) {
		pthread_cond_destroy(&j->wake);
		pthread_mutex_destroy(&j->lock);
		lc_free(j);
		return LC_EINTERNAL;
	}
	*out = j;
	return 0;
}

void lc_jobs_stop(struct lc_jobs *j)
{
	if (!j)
		return;
	pthread_mutex_lock(&j->lock);
	atomic_store(&j->stop, true);
	if (j->running)
		atomic_store(&j->running->cancel, true);
	pthread_cond_signal(&j->wake);
	pthread_mutex_unlock(&j->lock);
	pthread_join(j->thread, NULL);
	pthread_cond_destroy(&j->wake);
	pthread_mutex_destroy(&j->lock);
	lc_free(j);
}
