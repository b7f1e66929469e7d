/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of db/db.c: opening and migrating (twice, idempotently), refusing a
 * database from a newer learncity, the statement cache, transactions and
 * savepoints, injected failures rolling back, the check, and the pool under
 * threads with a concurrent writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "query.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/lc-test-db-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	static const char *const sfx[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		char p[160];
		snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
		unlink(p);
	}
	rmdir(dir);
	lc_db_fault_set(0);
	return 0;
}

static void test_open_and_migrate_twice(void **state)
{
	(void)state;
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(path, 0, &db), LC_ENOTFOUND);
	assert_null(db);
	assert_int_equal(lc_db_open(path, LC_DB_CREATE, &db), 0);
	int embedded = lc_db_schema_version_embedded();
	assert_true(embedded >= 1);
	assert_int_equal(lc_db_schema_version(db), embedded);
	assert_int_equal(lc_db_migrate(db), 0);
	/* Every embedded migration is applied; numbers may have gaps while branches that
	 * each own a number are merged, so compare the newest rather than the count. */
	long applied = lc_test_count(db, "SELECT count(*) FROM schema_migrations");
	assert_true(applied >= 1 && applied <= embedded);
	assert_int_equal(lc_test_count(db, "SELECT max(version) FROM schema_migrations"), embedded);
	assert_int_equal(lc_test_count(db, "PRAGMA foreign_keys"), 1);
	sqlite3_stmt *st = lc_db_stmt(db, "PRAGMA journal_mode");
	assert_int_equal(lc_db_step(db, st), 1);
	assert_string_equal(lc_db_text(st, 0), "wal");
	lc_db_release(db, st);
	lc_db_close(db);

	assert_int_equal(lc_db_open(path, 0, &db), 0);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM schema_migrations"), applied);
	/* Regions come with the first migration. */
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM regions"), 5);
	lc_db_close(db);
}

static void test_newer_database_refused(void **state)
{
	(void)state;
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(path, LC_DB_CREATE, &db), 0);
	assert_int_equal(lc_db_exec(db, "INSERT INTO schema_migrations (version, name, sha256)"
	                                " VALUES (9999, '9999_future.sql', 'x')"),
	                 0);
	lc_db_close(db);
	assert_int_equal(lc_db_open(path, 0, &db), LC_ECONFLICT);
	assert_null(db);
	/* check can still open it and says why. */
	assert_int_equal(lc_db_open(path, LC_DB_NO_MIGRATE, &db), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_db_check(db, &d), 0);
	assert_int_equal(lc_diag_total(&d), 1);
	assert_non_null(strstr(d.items[0].message, "newer"));
	lc_diag_cleanup(&d);
	lc_db_close(db);
}

static void test_check_reports_drift(void **state)
{
	(void)state;
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(path, LC_DB_CREATE, &db), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_db_check(db, &d), 0);
	assert_int_equal(lc_diag_total(&d), 0);
	/* One migration's checksum drifts (whatever the number of migrations). */
	assert_int_equal(
	    lc_db_exec(db, "UPDATE schema_migrations SET sha256 = 'changed' WHERE version = 1"), 0);
	assert_int_equal(lc_db_check(db, &d), 0);
	assert_int_equal(lc_diag_total(&d), 1);
	assert_non_null(strstr(d.items[0].message, "checksum"));
	lc_diag_cleanup(&d);

	/* A broken foreign key (written with enforcement off) is found. */
	lc_diag_init(&d);
	assert_int_equal(lc_db_exec(db, "UPDATE schema_migrations SET sha256 = 'x';"
	                                "DELETE FROM schema_migrations"),
	                 0);
	assert_int_equal(lc_db_exec(db, "PRAGMA foreign_keys=OFF;"
	                                "INSERT INTO countries (alpha2, alpha3, numeric, name,"
	                                " sort_key, region, region_provenance) VALUES ('ZZ', 'ZZZ',"
	                                " 999, '{\"en\":\"Z\"}', '{\"en\":\"z\"}', 'EUR',"
	                                " 'verified');"
	                                "UPDATE countries SET region = 'AFR' WHERE alpha2 = 'ZZ';"
	                                "DELETE FROM regions WHERE code = 'AFR';"
	                                "PRAGMA foreign_keys=ON"),
	                 0);
	assert_int_equal(lc_db_check(db, &d), 0);
	bool fk = false, mig = false;
	for (size_t i = 0; i < d.count; i++) {
		fk = fk || strcmp(d.items[i].field, "foreign_key") == 0;
		mig = mig || strcmp(d.items[i].field, "migration") == 0;
	}
	assert_true(fk);
	assert_true(mig);
	lc_diag_cleanup(&d);
	lc_db_close(db);
}

static void test_statement_cache(void **state)
{
	(void)state;
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(":memory:", 0, &db), 0);
	const char *sql = "SELECT ?1 + 1";
	sqlite3_stmt *a = lc_db_stmt(db, sql);
	assert_non_null(a);
	sqlite3_bind_int(a, 1, 41);
	assert_int_equal(lc_db_step(db, a), 1);
	assert_int_equal(sqlite3_column_int(a, 0), 42);
	/* Not released: the next request resets it and clears its bindings. */
	char copy[32];
	snprintf(copy, sizeof(copy), "%s", sql);
	sqlite3_stmt *b = lc_db_stmt(db, copy);
	assert_ptr_equal(a, b);
	assert_int_equal(lc_db_step(db, b), 1);
	assert_int_equal(sqlite3_column_type(b, 0), SQLITE_NULL);
	lc_db_release(db, b);
	lc_db_release(db, NULL);
	assert_null(lc_db_stmt(db, "SELECT nonsense FROM nowhere"));
	assert_non_null(strstr(lc_db_errmsg(db), "no such"));
	/* A constraint violation maps to LC_ECONFLICT. */
	assert_int_equal(lc_db_exec(db, "CREATE TABLE t (x INTEGER PRIMARY KEY) STRICT"), 0);
	sqlite3_stmt *ins = lc_db_stmt(db, "INSERT INTO t (x) VALUES (?1)");
	sqlite3_bind_int(ins, 1, 1);
	assert_int_equal(lc_db_step(db, ins), 0);
	lc_db_release(db, ins);
	ins = lc_db_stmt(db, "INSERT INTO t (x) VALUES (?1)");
	sqlite3_bind_int(ins, 1, 1);
	assert_int_equal(lc_db_step(db, ins), LC_ECONFLICT);
	lc_db_release(db, ins);
	lc_db_close(db);
	lc_db_close(NULL);
}

static void test_transactions_and_savepoints(void **state)
{
	(void)state;
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(":memory:", 0, &db), 0);
	assert_int_equal(lc_db_exec(db, "CREATE TABLE t (x INTEGER) STRICT"), 0);
	assert_int_equal(lc_db_begin(db), 0);
	assert_int_equal(lc_db_exec(db, "INSERT INTO t VALUES (1)"), 0);
	assert_int_equal(lc_db_begin(db), 0);
	assert_int_equal(lc_db_depth(db), 2);
	assert_int_equal(lc_db_exec(db, "INSERT INTO t VALUES (2)"), 0);
	lc_db_rollback(db);
	assert_int_equal(lc_db_begin(db), 0);
	assert_int_equal(lc_db_exec(db, "INSERT INTO t VALUES (3)"), 0);
	assert_int_equal(lc_db_commit(db), 0);
	assert_int_equal(lc_db_commit(db), 0);
	assert_int_equal(lc_db_depth(db), 0);
	assert_int_equal(lc_test_count(db, "SELECT sum(x) FROM t"), 4);
	assert_int_equal(lc_db_begin(db), 0);
	assert_int_equal(lc_db_exec(db, "INSERT INTO t VALUES (100)"), 0);
	lc_db_rollback(db);
	lc_db_rollback(db); /* outside a transaction: nothing */
	assert_int_equal(lc_test_count(db, "SELECT sum(x) FROM t"), 4);
	lc_db_close(db);
}

/* A read snapshot sees one state and commits nothing; writes move the generation. */
static void test_read_snapshot_and_generation(void **state)
{
	(void)state;
	struct lc_db *w = NULL, *r = NULL;
	assert_int_equal(lc_db_open(path, LC_DB_CREATE, &w), 0);
	assert_int_equal(lc_db_exec(w, "CREATE TABLE t (x INTEGER) STRICT"), 0);
	assert_int_equal(lc_db_open(path, 0, &r), 0);
	uint64_t g0 = lc_db_write_generation();
	assert_int_equal(lc_db_begin_read(r), 0);
	assert_int_equal(lc_test_count(r, "SELECT count(*) FROM t"), 0);
	assert_int_equal(lc_db_exec(w, "INSERT INTO t VALUES (1)"), 0);
	uint64_t g1 = lc_db_write_generation();
	assert_true(g1 > g0);
	/* The snapshot still sees the state at its first read. */
	assert_int_equal(lc_test_count(r, "SELECT count(*) FROM t"), 0);
	assert_int_equal(lc_db_commit(r), 0);
	assert_int_equal(lc_db_write_generation(), g1);
	assert_int_equal(lc_test_count(r, "SELECT count(*) FROM t"), 1);
	assert_int_equal(lc_db_write_generation(), g1);
	lc_db_close(r);
	lc_db_close(w);
}

static void test_injected_failure_rolls_back(void **state)
{
	(void)state;
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(":memory:", 0, &db), 0);
	assert_int_equal(lc_db_exec(db, "CREATE TABLE t (x INTEGER) STRICT"), 0);
	assert_int_equal(lc_db_begin(db), 0);
	assert_int_equal(lc_db_exec(db, "INSERT INTO t VALUES (7)"), 0);
	lc_db_fault_set(1);
	assert_true(lc_db_fault_pending());
	assert_int_equal(lc_db_commit(db), LC_EDB);
	assert_false(lc_db_fault_pending());
	lc_db_rollback(db);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM t"), 0);

	lc_db_fault_set(2);
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT 1");
	assert_non_null(st);
	assert_int_equal(lc_db_step(db, st), LC_EDB);
	lc_db_release(db, st);
	lc_db_fault_set(1);
	assert_null(lc_db_stmt(db, "SELECT 1"));
	lc_db_fault_set(1);
	assert_int_equal(lc_db_begin(db), LC_EDB);
	assert_int_equal(lc_db_depth(db), 0);
	lc_db_close(db);

	/* A failure in the middle of migrating leaves nothing half-applied. */
	for (long n = 1; n < 12; n++) {
		lc_db_fault_set(n);
		int err = lc_db_open(path, LC_DB_CREATE, &db);
		bool fired = !lc_db_fault_pending();
		lc_db_fault_set(0);
		if (!fired) {
			assert_int_equal(err, 0);
			lc_db_close(db);
			break;
		}
		assert_int_not_equal(err, 0);
		assert_null(db);
		assert_int_equal(lc_db_open(path, LC_DB_NO_MIGRATE, &db), 0);
		assert_int_equal(
		    lc_test_count(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'regions'"),
		    0);
		lc_db_close(db);
	}
	assert_int_equal(lc_db_open(path, 0, &db), 0);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM regions"), 5);
	lc_db_close(db);
}

struct worker {
	struct lc_db_pool *pool;
	int iterations;
	int writer;
	int errors;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < w->iterations; i++) {
		struct lc_db *db = NULL;
		if (lc_db_pool_acquire(w->pool, &db) != 0) {
			w->errors++;
			continue;
		}
		if (w->writer) {
			if (lc_db_begin(db) != 0 ||
			    lc_db_exec(db, "INSERT INTO app_meta (key, value) VALUES"
			                   " ('k' || (SELECT count(*) FROM app_meta), 'v')") != 0 ||
			    lc_db_commit(db) != 0) {
				w->errors++;
				lc_db_rollback(db);
			}
		} else {
			sqlite3_stmt *st = lc_db_stmt(db, "SELECT count(*) FROM regions");
			if (!st || lc_db_step(db, st) != 1 || sqlite3_column_int(st, 0) != 5)
				w->errors++;
			/* Deliberately not released: the pool resets it. */
		}
		lc_db_pool_release(w->pool, db);
	}
	return NULL;
}

static void test_pool_under_threads(void **state)
{
	(void)state;
	struct lc_db_pool *pool = NULL;
	assert_int_equal(lc_db_pool_new(path, 0, LC_DB_CREATE, &pool), LC_EINVAL);
	assert_int_equal(lc_db_pool_new(path, 3, LC_DB_CREATE, &pool), 0);
	enum { N = 8 };
	pthread_t t[N];
	struct worker w[N];
	for (int i = 0; i < N; i++) {
		w[i] = (struct worker){.pool = pool, .iterations = 200, .writer = i == 0};
		assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < N; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].errors, 0);
	}
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_pool_acquire(pool, &db), 0);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM app_meta"), 200);
	/* A transaction left open is rolled back on release. */
	assert_int_equal(lc_db_begin(db), 0);
	assert_int_equal(lc_db_exec(db, "DELETE FROM app_meta"), 0);
	lc_db_pool_release(pool, db);
	assert_int_equal(lc_db_pool_acquire(pool, &db), 0);
	assert_int_equal(lc_db_depth(db), 0);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM app_meta"), 200);
	lc_db_pool_release(pool, db);
	lc_db_pool_free(pool);
	lc_db_pool_free(NULL);
}

/* The pool's page-cache size reaches the connection open now and those opened later. */
static void test_pool_cache(void **state)
{
	(void)state;
	struct lc_db_pool *pool = NULL;
	assert_int_equal(lc_db_pool_new(path, 2, LC_DB_CREATE, &pool), 0);
	assert_int_equal(lc_db_pool_cache(pool, -1), LC_EINVAL);
	assert_int_equal(lc_db_pool_cache(pool, LC_LIMIT_DB_CACHE_KIB + 1), LC_EINVAL);
	assert_int_equal(lc_db_pool_cache(pool, 512), 0);
	struct lc_db *a = NULL, *b = NULL;
	assert_int_equal(lc_db_pool_acquire(pool, &a), 0);
	assert_int_equal(lc_db_pool_acquire(pool, &b), 0); /* opened now */
	assert_int_equal(lc_test_count(a, "PRAGMA cache_size"), -512);
	assert_int_equal(lc_test_count(b, "PRAGMA cache_size"), -512);
	lc_db_pool_release(pool, a);
	lc_db_pool_release(pool, b);
	lc_db_pool_free(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_open_and_migrate_twice, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_newer_database_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_check_reports_drift, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_statement_cache, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_transactions_and_savepoints, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_read_snapshot_and_generation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_injected_failure_rolls_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pool_under_threads, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pool_cache, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
