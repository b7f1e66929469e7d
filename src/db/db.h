/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The SQLite layer: one connection (struct lc_db) with its cache of prepared
 * statements and its transaction depth, a blocking pool of connections for
 * the threaded server, the embedded migrations, the database check, and a
 * fault-injection hook for tests.
 *
 * It owns connections and statements. It knows no table but
 * schema_migrations: the SQL of each domain lives in src/domain/.
 *
 * A connection is used by one thread at a time (the pool enforces this for
 * the server). SQLite is opened in multi-thread mode (no per-connection mutex).
 */
#ifndef LC_DB_H
#define LC_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

struct lc_db;
struct lc_db_pool;
struct lc_diag;

enum {
	LC_DB_CREATE = 1u << 0,     /* create the file when missing (else LC_ENOTFOUND) */
	LC_DB_NO_MIGRATE = 1u << 1, /* do not apply pending migrations (for `check`) */
	LC_DB_READONLY = 1u << 2,   /* open read-only; implies LC_DB_NO_MIGRATE */
};

/*
 * Opens path (":memory:" allowed) with WAL, foreign_keys=ON, busy_timeout
 * LC_LIMIT_DB_BUSY_MS and synchronous=NORMAL, then applies the embedded
 * migrations that are not yet applied, all of them in one transaction.
 * Errors: LC_ENOTFOUND (missing file without LC_DB_CREATE), LC_ECONFLICT (the
 * database holds a migration this binary does not know: written by a newer
 * learncity; nothing is changed), LC_EDB (SQLite failed; details logged).
 * Caller frees *out with lc_db_close.
 */
int lc_db_open(const char *path, unsigned flags, struct lc_db **out);
/* Finalises every cached statement and closes the connection. NULL allowed. */
void lc_db_close(struct lc_db *db);

/*
 * The cached prepared statement for sql (compared by content), ready to bind:
 * it has been reset and its bindings cleared, whatever its previous user left.
 * Borrowed: valid until lc_db_close; never finalise it. NULL on error (the
 * SQL does not compile, the cache already holds LC_LIMIT_DB_STMT_CACHE
 * statements -- our SQL is a fixed set of literals, so that means SQL is
 * being built at run time -- or an injected fault); lc_db_errmsg says why.
 *
 * Usage: st = lc_db_stmt(db, SQL); bind with sqlite3_bind_*; loop on
 * lc_db_step(db, st); then lc_db_release(db, st). Forgetting the release is
 * harmless for correctness (the next lc_db_stmt of the same SQL, a commit,
 * and the pool's release all reset it) but keeps a read snapshot open until
 * then (a loop run to the end has already reset it). Do not request the same
 * SQL again while iterating it: that resets the outer loop.
 */
sqlite3_stmt *lc_db_stmt(struct lc_db *db, const char *sql);
/*
 * One step: 1 when a row is ready, 0 when done (the statement is then reset,
 * keeping its bindings, so no snapshot stays open), LC_EBUSY when the database
 * stayed locked past the busy timeout, LC_ECONFLICT on a constraint
 * violation, LC_EDB on another error (logged).
 */
int lc_db_step(struct lc_db *db, sqlite3_stmt *st);
/*
 * How many statements on this connection could not be prepared or run so
 * far (a constraint refusal is an answer, not a failure, and is not
 * counted). For code that calls best-effort helpers (a case's title or page
 * for an e-mail) and must still not go on past a failed read: compare the
 * count before and after.
 */
long lc_db_failures(const struct lc_db *db);

/*
 * Steps st for a loop without an assignment in its condition:
 *   int rc; while (lc_db_next(db, st, &rc)) { ...row... }  if (rc < 0) error;
 * True while a row is ready; at the end *rc is 0 (done) or the negative
 * error of lc_db_step.
 */
bool lc_db_next(struct lc_db *db, sqlite3_stmt *st, int *rc);
/* Resets st and clears its bindings; marks it free for the next user. NULL allowed. */
void lc_db_release(struct lc_db *db, sqlite3_stmt *st);
/* Runs one or more statements without results (no caching). 0, LC_ECONFLICT or LC_EDB. */
int lc_db_exec(struct lc_db *db, const char *sql);

/* Column helpers: the text of column i, or NULL when it is SQL NULL. Borrowed until the next step.
 */
const char *lc_db_text(sqlite3_stmt *st, int i);
/* Binds a C string (NULL binds SQL NULL); SQLite copies it. 0 or LC_EDB. */
int lc_db_bind_text(sqlite3_stmt *st, int i, const char *s);

/*
 * Transactions. lc_db_begin starts BEGIN IMMEDIATE (the write lock is taken
 * now, so a busy database fails here and not at the first write); a nested
 * begin opens a SAVEPOINT instead, so a function may begin/commit without
 * knowing whether its caller already did. lc_db_commit ends the innermost
 * level; when it fails the level stays open and the caller rolls it back.
 * lc_db_rollback undoes the innermost level and always leaves the connection
 * usable. The outermost commit or rollback resets every cached statement.
 * Errors: LC_EBUSY, LC_ECONFLICT (a deferred constraint), LC_EDB.
 */
int lc_db_begin(struct lc_db *db);
/*
 * Starts a read snapshot (BEGIN DEFERRED; a SAVEPOINT when nested): the
 * statements until lc_db_commit see one state of the database, and SQLite
 * takes its file locks once instead of once per statement. Never write
 * inside one: upgrading a deferred transaction can fail with LC_EBUSY
 * without waiting. Errors as lc_db_begin.
 */
int lc_db_begin_read(struct lc_db *db);
int lc_db_commit(struct lc_db *db);
void lc_db_rollback(struct lc_db *db);
/* Transaction nesting depth: 0 outside any transaction. */
int lc_db_depth(const struct lc_db *db);

/*
 * The number of write transactions committed by this process's connections
 * since it started. It changes whenever data changed, so caches of derived
 * data compare it. Thread-safe.
 */
uint64_t lc_db_write_generation(void);

/* The last SQLite message of this connection (never NULL; borrowed). */
const char *lc_db_errmsg(struct lc_db *db);
/* The rowid of the last INSERT and the rows changed by the last statement. */
int64_t lc_db_last_id(struct lc_db *db);
int lc_db_changes(struct lc_db *db);
/* The raw handle, for what this module does not wrap (backup API). Borrowed. */
sqlite3 *lc_db_sqlite(struct lc_db *db);

/*
 * Migrations are the embedded files "migrations/NNNN_name.sql" (sources in
 * src/db/migrations/), applied in number order, each recorded in
 * schema_migrations (version, name, applied_at, sha256 of the file).
 * lc_db_migrate applies the pending ones in one transaction (all or none);
 * lc_db_open calls it. Errors as lc_db_open.
 */
int lc_db_migrate(struct lc_db *db);
/*
 * lc_db_migrate, but only the pending migrations numbered up to version:
 * tests of a data migration build the schema and rows it starts from, then
 * call lc_db_migrate. Errors as lc_db_migrate.
 */
int lc_db_migrate_to(struct lc_db *db, int version);
/* The highest embedded migration version. */
int lc_db_schema_version_embedded(void);
/* The highest applied version (0 for an empty database), or a negative LC_E code. */
int lc_db_schema_version(struct lc_db *db);

/*
 * Checks the database: PRAGMA integrity_check, PRAGMA foreign_key_check,
 * migrations embedded but not applied, applied but unknown to this binary,
 * and applied ones whose checksum differs from the embedded file. Each
 * problem becomes one entry of d (field "integrity", "foreign_key" or
 * "migration"). Returns 0 when the checks could run (problems or not: see
 * lc_diag_total), LC_EDB when they could not.
 */
int lc_db_check(struct lc_db *db, struct lc_diag *d);
/*
 * PRAGMA integrity_check alone: each problem it reports becomes one entry of
 * d (field "integrity"). 0 when it could run, LC_EDB when it could not.
 */
int lc_db_check_integrity(struct lc_db *db, struct lc_diag *d);

/*
 * A pool of n connections to path (1 <= n <= LC_LIMIT_DB_POOL), opened with
 * flags (see lc_db_open). The first connection is opened (and migrated) now,
 * so a bad path or a newer database fails here; the others are opened on
 * first demand, without migrating. (":memory:" gives every connection its
 * own empty database: pools want a file.) Errors as lc_db_open, LC_EINVAL
 * for a bad n.
 * Caller frees with lc_db_pool_free once every connection is released.
 */
int lc_db_pool_new(const char *path, size_t n, unsigned flags, struct lc_db_pool **out);
/*
 * Gives every connection of the pool a page cache of kib KiB (0: SQLite's
 * default of about 2 MiB), those open now and those opened later; call it
 * before handing connections out. The caches fill as the database grows and
 * never shrink, so pool size x kib is the bound on what they hold. 0,
 * LC_EINVAL (over LC_LIMIT_DB_CACHE_KIB), LC_EDB.
 */
int lc_db_pool_cache(struct lc_db_pool *p, long kib);
void lc_db_pool_free(struct lc_db_pool *p);
/*
 * Waits until a connection is free and lends it to the calling thread.
 * Thread-safe. 0, or the error of opening a new connection.
 */
int lc_db_pool_acquire(struct lc_db_pool *p, struct lc_db **out);
/*
 * Gives a connection back: rolls back a transaction left open (a bug; logged)
 * and resets its statements so no read snapshot outlives the request.
 */
void lc_db_pool_release(struct lc_db_pool *p, struct lc_db *db);

/*
 * Test hook: after lc_db_fault_set(n) with n > 0, the n-th following call of
 * lc_db_stmt, lc_db_step, lc_db_exec, lc_db_begin or lc_db_commit (counted
 * over all threads) fails as SQLite would (LC_EDB, or NULL from lc_db_stmt)
 * and the countdown stops. n = 0 disables it. lc_db_fault_pending() tells
 * whether the fault has not fired yet.
 */
void lc_db_fault_set(long n);
bool lc_db_fault_pending(void);

#endif
