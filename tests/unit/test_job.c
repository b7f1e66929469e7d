/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Background jobs: the queue runs in id order, a job's progress and result
 * are readable as JSON, a failing job keeps its message, an unknown kind
 * fails, a queued job cancels at once and a running one at its next
 * progress report, and the worker thread stops cleanly (cancelling what it
 * runs). The worker tests use a pool on a temporary file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/platform/job.h"

static void nap_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static int run_ok(struct lc_db *db, struct lc_job_ctx *ctx, const struct lc_actor *actor,
                  const json_t *params, const char **result_type, int64_t *result_id, char *msg,
                  size_t msg_size)
{
	(void)db, (void)actor, (void)msg, (void)msg_size;
	for (size_t i = 0; i <= 10; i++)
		if (lc_job_progress(ctx, i, 10, "counting", i == 5))
			return LC_EBUSY;
	*result_type = "index_run";
	*result_id = json_integer_value(json_object_get(params, "n"));
	return 0;
}

static int run_fail(struct lc_db *db, struct lc_job_ctx *ctx, const struct lc_actor *actor,
                    const json_t *params, const char **result_type, int64_t *result_id, char *msg,
                    size_t msg_size)
{
	(void)db, (void)ctx, (void)actor, (void)params, (void)result_type, (void)result_id;
	snprintf(msg, msg_size, "no approved city for 1999");
	return LC_EINVAL;
}

/* Runs until cancelled (at most ~20 s, so a broken test ends). */
static int run_slow(struct lc_db *db, struct lc_job_ctx *ctx, const struct lc_actor *actor,
                    const json_t *params, const char **result_type, int64_t *result_id, char *msg,
                    size_t msg_size)
{
	(void)db, (void)actor, (void)params, (void)result_type, (void)result_id, (void)msg,
	    (void)msg_size;
	for (size_t i = 0; i < 2000; i++) {
		if (lc_job_progress(ctx, i, 2000, "waiting", i == 0))
			return LC_EBUSY;
		nap_ms(10);
	}
	return 0;
}

static const struct lc_job_kind kinds[] = {
    {"ok", run_ok},
    {"fail", run_fail},
    {"slow", run_slow},
};

static json_t *get(struct lc_db *db, int64_t id)
{
	struct lc_actor sys;
	lc_actor_system(&sys);
	json_t *j = NULL;
	assert_int_equal(lc_job_get(db, &sys, id, &j), 0);
	return j;
}

static const char *state_of(json_t *j)
{
	return json_string_value(json_object_get(j, "state"));
}

static long long count(struct lc_db *db, const char *sql)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	assert_non_null(st);
	assert_int_equal(lc_db_step(db, st), 1);
	long long n = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return n;
}

static void test_queue_run_fail(void **state)
{
	(void)state;
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(":memory:", 0, &db), 0);
	struct lc_actor sys, anon;
	lc_actor_system(&sys);
	lc_actor_anonymous(&anon);
	int64_t a = 0, b = 0, c = 0, e = 0;
	json_t *p = json_pack("{s:i}", "n", 42);
	assert_int_equal(lc_job_enqueue(db, &sys, "ok", p, &a), 0);
	json_decref(p);
	assert_int_equal(lc_job_enqueue(db, &sys, "fail", NULL, &b), 0);
	assert_int_equal(lc_job_enqueue(db, &sys, "nosuch", NULL, &c), 0);
	assert_int_equal(lc_job_enqueue(db, &sys, "ok", NULL, &e), 0);
	assert_int_equal(lc_job_enqueue(db, &sys, "", NULL, &e), LC_EINVAL);
	assert_true(a < b && b < c && c < e);

	json_t *j = get(db, a);
	assert_string_equal(state_of(j), "queued");
	assert_true(json_real_value(json_object_get(j, "progress")) == 0.0);
	assert_true(json_is_null(json_object_get(j, "result")));
	json_decref(j);
	/* Anonymous may not read a job. */
	assert_int_equal(lc_job_get(db, &anon, a, &j), LC_EAUTH);
	assert_int_equal(lc_job_get(db, &sys, 9999, &j), LC_ENOTFOUND);

	/* The last one is cancelled while queued: it never runs. */
	assert_int_equal(lc_job_cancel(db, &sys, e), 0);
	j = get(db, e);
	assert_string_equal(state_of(j), "cancelled");
	json_decref(j);

	/* Oldest first. */
	assert_int_equal(lc_job_run_next(db, kinds, 3), 1);
	j = get(db, a);
	assert_string_equal(state_of(j), "done");
	assert_true(json_real_value(json_object_get(j, "progress")) == 1.0);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 10);
	json_t *r = json_object_get(j, "result");
	assert_string_equal(json_string_value(json_object_get(r, "type")), "index_run");
	assert_int_equal(json_integer_value(json_object_get(r, "id")), 42);
	assert_string_equal(json_string_value(json_object_get(r, "href")), "/api/v1/index-runs/42");
	assert_non_null(json_string_value(json_object_get(j, "finished_at")));
	json_decref(j);
	j = get(db, b);
	assert_string_equal(state_of(j), "queued");
	json_decref(j);
	assert_int_equal(lc_job_run_next(db, kinds, 3), 1);
	j = get(db, b);
	assert_string_equal(state_of(j), "failed");
	assert_string_equal(json_string_value(json_object_get(j, "message")),
	                    "no approved city for 1999");
	assert_true(json_is_null(json_object_get(j, "result")));
	json_decref(j);
	assert_int_equal(lc_job_run_next(db, kinds, 3), 1);
	j = get(db, c);
	assert_string_equal(state_of(j), "failed");
	assert_non_null(strstr(json_string_value(json_object_get(j, "message")), "nosuch"));
	json_decref(j);
	/* Nothing left (the cancelled one is skipped). */
	assert_int_equal(lc_job_run_next(db, kinds, 3), 0);
	/* Cancelling a finished job changes nothing. */
	assert_int_equal(lc_job_cancel(db, &sys, a), 0);
	j = get(db, a);
	assert_string_equal(state_of(j), "done");
	json_decref(j);
	/* Only the cancel that changed something left an audit row. */
	assert_int_equal(count(db, "SELECT count(*) FROM audit WHERE action = 'job.cancel'"), 1);

	/* The list: newest first, params and creator, a page at a time, kind filter. */
	json_t *l = NULL;
	assert_int_equal(lc_job_list(db, &anon, NULL, 1, 10, &l), LC_EAUTH);
	assert_int_equal(lc_job_list(db, &sys, NULL, 1, 0, &l), 0);
	assert_int_equal(json_integer_value(json_object_get(l, "total")), 4);
	json_t *first = json_array_get(json_object_get(l, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(first, "id")), e);
	assert_string_equal(json_string_value(json_object_get(first, "created_by")), "system");
	json_decref(l);
	assert_int_equal(lc_job_list(db, &sys, "ok", 2, 1, &l), 0);
	assert_int_equal(json_integer_value(json_object_get(l, "total")), 2);
	assert_int_equal(json_integer_value(json_object_get(l, "pages")), 2);
	json_t *last = json_array_get(json_object_get(l, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(last, "id")), a);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(last, "params"), "n")),
	                 42);
	json_decref(l);
	assert_int_equal(lc_job_list(db, &sys, NULL, 0, 1000, &l), LC_EINVAL);
	/* lc_job_progress without a job is a no-op. */
	assert_int_equal(lc_job_progress(NULL, 1, 2, "x", true), 0);
	assert_null(lc_job_cancel_flag(NULL));
	assert_string_equal(lc_job_state_name(LC_JOB_CANCELLED), "cancelled");
	assert_null(lc_job_state_name((enum lc_job_state)99));
	lc_db_close(db);
}

static const char *wait_state(struct lc_db *db, int64_t id, const char *want, char *buf,
                              size_t size)
{
	for (int i = 0; i < 1000; i++) {
		json_t *j = get(db, id);
		snprintf(buf, size, "%s", state_of(j));
		json_decref(j);
		if (strcmp(buf, want) == 0)
			break;
		nap_ms(10);
	}
	return buf;
}

static void test_worker_cancel_stop(void **state)
{
	(void)state;
	char path[] = "/tmp/lc-test-job-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	struct lc_db_pool *pool = NULL;
	assert_int_equal(lc_db_pool_new(path, 3, LC_DB_CREATE, &pool), 0);
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_pool_acquire(pool, &db), 0);
	struct lc_actor sys;
	lc_actor_system(&sys);
	/* A job left running by a dead process is marked failed at start. */
	int64_t stale = 0;
	assert_int_equal(lc_job_enqueue(db, &sys, "ok", NULL, &stale), 0);
	assert_int_equal(lc_db_exec(db, "UPDATE jobs SET state = 'running'"), 0);

	struct lc_jobs *w = NULL;
	assert_int_equal(lc_jobs_start(pool, kinds, 3, &w), 0);
	char buf[32];
	json_t *j = get(db, stale);
	assert_string_equal(state_of(j), "failed");
	json_decref(j);

	int64_t a = 0, s1 = 0, s2 = 0;
	assert_int_equal(lc_job_enqueue(db, &sys, "ok", NULL, &a), 0);
	assert_string_equal(wait_state(db, a, "done", buf, sizeof buf), "done");

	/* A running job cancelled through the row. */
	assert_int_equal(lc_job_enqueue(db, &sys, "slow", NULL, &s1), 0);
	assert_string_equal(wait_state(db, s1, "running", buf, sizeof buf), "running");
	assert_int_equal(lc_job_cancel(db, &sys, s1), 0);
	assert_string_equal(wait_state(db, s1, "cancelled", buf, sizeof buf), "cancelled");

	/* Stopping the worker cancels the job it runs and joins the thread. */
	assert_int_equal(lc_job_enqueue(db, &sys, "slow", NULL, &s2), 0);
	assert_string_equal(wait_state(db, s2, "running", buf, sizeof buf), "running");
	lc_jobs_stop(w);
	j = get(db, s2);
	assert_string_equal(state_of(j), "cancelled");
	json_decref(j);
	lc_jobs_stop(NULL);

	lc_db_pool_release(pool, db);
	lc_db_pool_free(pool);
	char side[64];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

/*
 * A server restarted while another process holds the write lock (a long
 * import) cannot mark the dead server's job failed at once: the worker
 * still starts, marks it failed as soon as the lock is free, and only then
 * runs queued jobs. Waits out one busy timeout (LC_LIMIT_DB_BUSY_MS).
 */
static void test_recover_when_busy(void **state)
{
	(void)state;
	char path[] = "/tmp/lc-test-job-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	struct lc_db_pool *pool = NULL;
	assert_int_equal(lc_db_pool_new(path, 3, LC_DB_CREATE, &pool), 0);
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_pool_acquire(pool, &db), 0);
	struct lc_actor sys;
	lc_actor_system(&sys);
	int64_t stale = 0, queued = 0;
	assert_int_equal(lc_job_enqueue(db, &sys, "ok", NULL, &stale), 0);
	assert_int_equal(lc_db_exec(db, "UPDATE jobs SET state = 'running'"), 0);
	assert_int_equal(lc_job_enqueue(db, &sys, "ok", NULL, &queued), 0);

	struct lc_db *other = NULL;
	assert_int_equal(lc_db_open(path, 0, &other), 0);
	assert_int_equal(lc_db_begin(other), 0); /* holds the write lock */
	struct lc_jobs *w = NULL;
	assert_int_equal(lc_jobs_start(pool, kinds, 3, &w), 0);
	assert_non_null(w);
	json_t *j = get(db, stale);
	assert_string_equal(state_of(j), "running");
	json_decref(j);
	lc_db_rollback(other);
	lc_db_close(other);

	char buf[32];
	assert_string_equal(wait_state(db, stale, "failed", buf, sizeof buf), "failed");
	j = get(db, stale);
	assert_string_equal(json_string_value(json_object_get(j, "message")),
	                    "interrupted: the server stopped");
	json_decref(j);
	assert_string_equal(wait_state(db, queued, "done", buf, sizeof buf), "done");
	lc_jobs_stop(w);

	lc_db_pool_release(pool, db);
	lc_db_pool_free(pool);
	char side[64];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_queue_run_fail),
	    cmocka_unit_test(test_worker_cancel_stop),
	    cmocka_unit_test(test_recover_when_busy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
