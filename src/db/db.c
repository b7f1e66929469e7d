/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The SQLite connection, its statement cache and transaction depth, the
 * migration runner over the embedded migrations/NNNN_name.sql files, the
 * database check, the connection pool and the fault-injection hook (db.h).
 * It does not know the domain's tables.
 */
#include "db/db.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/embedded.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/log.h"
#include "db/fts_tokenizer.h"

struct cached_stmt {
	uint64_t hash;
	char *sql; /* owned */
	sqlite3_stmt *st;
};

struct lc_db {
	sqlite3 *h;
	struct cached_stmt *cache; /* owned, count entries */
	size_t count;
	size_t cap;
	int depth;     /* transaction nesting */
	long failures; /* statements that could not be prepared or run (lc_db_failures) */
};

/* ---- fault injection ---------------------------------------------------- */

static atomic_long fault_countdown;

void lc_db_fault_set(long n)
{
	atomic_store(&fault_countdown, n > 0 ? n : 0);
}

bool lc_db_fault_pending(void)
{
	return atomic_load(&fault_countdown) > 0;
}

/* True when this call is the one chosen to fail. */
static bool fault_fires(void)
{
	long cur = atomic_load(&fault_countdown);
	while (cur > 0) {
		if (atomic_compare_exchange_weak(&fault_countdown, &cur, cur - 1))
			return cur == 1;
	}
	return false;
}

/* ---- errors ------------------------------------------------------------- */

static int map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE: return 0;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return LC_EBUSY;
	case SQLITE_CONSTRAINT: return LC_ECONFLICT;
	default: return LC_EDB;
	}
}

const char *lc_db_errmsg(struct lc_db *db)
{
	if (!db || !db->h)
		return "no database connection";
	const char *m = sqlite3_errmsg(db->h);
	return m ? m : "unknown SQLite error";
}

/* ---- open and close ----------------------------------------------------- */

static int pragma(struct lc_db *db, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		lc_log_error("db: %s: %s", sql, err ? err : sqlite3_errstr(rc));
		sqlite3_free(err);
		return map_rc(rc) ? map_rc(rc) : LC_EDB;
	}
	return 0;
}

/* Committed write transactions of this process, over all connections. */
static atomic_uint_fast64_t write_generation;

/*
 * SQLite calls this when a transaction commits; a read-only one commits
 * nothing and does not call it (test_db checks both).
 */
static int on_commit(void *arg)
{
	(void)arg;
	atomic_fetch_add(&write_generation, 1);
	return 0;
}

uint64_t lc_db_write_generation(void)
{
	return atomic_load(&write_generation);
}

int lc_db_open(const char *path, unsigned flags, struct lc_db **out)
{
	*out = NULL;
	bool memory = strcmp(path, ":memory:") == 0;
	bool readonly = (flags & LC_DB_READONLY) != 0;
	if (!memory && !(flags & LC_DB_CREATE)) {
		struct stat sb;
		if (stat(path, &sb) != 0)
			return errno == ENOENT ? LC_ENOTFOUND : LC_EIO;
	}
	int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	oflags |= readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (!readonly && (flags & LC_DB_CREATE))
		oflags |= SQLITE_OPEN_CREATE;

	struct lc_db *db = lc_xcalloc(1, sizeof(*db));
	int err = 0;
	int rc = sqlite3_open_v2(path, &db->h, oflags, NULL);
	if (rc != SQLITE_OK) {
		lc_log_error("db: cannot open %s: %s", path,
		             db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		err = (rc & 0xff) == SQLITE_CANTOPEN ? LC_EIO : LC_EDB;
		goto out;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, LC_LIMIT_DB_BUSY_MS);
	sqlite3_commit_hook(db->h, on_commit, NULL);
	/* Before the migrations: the library's index is declared with it. */
	err = lc_fts_register(db->h);
	if (err)
		goto out;
	/* WAL lets the readers of page views run beside one writer. */
	if (!readonly && !memory) {
		err = pragma(db, "PRAGMA journal_mode=WAL");
		if (err)
			goto out;
	}
	err = pragma(db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL");
	if (err)
		goto out;
	if (!readonly && !(flags & LC_DB_NO_MIGRATE)) {
		err = lc_db_migrate(db);
		if (err)
			goto out;
	}
out:
	if (err) {
		lc_db_close(db);
		return err;
	}
	*out = db;
	return 0;
}

void lc_db_close(struct lc_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->count; i++) {
		sqlite3_finalize(db->cache[i].st);
		lc_free(db->cache[i].sql);
	}
	lc_free(db->cache);
	if (db->h)
		sqlite3_close_v2(db->h);
	lc_free(db);
}

sqlite3 *lc_db_sqlite(struct lc_db *db)
{
	return db->h;
}

int64_t lc_db_last_id(struct lc_db *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

int lc_db_changes(struct lc_db *db)
{
	return sqlite3_changes(db->h);
}

/* ---- statements --------------------------------------------------------- */

/* FNV-1a: the cache is small, this only avoids most strcmp calls. */
static uint64_t hash_sql(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

sqlite3_stmt *lc_db_stmt(struct lc_db *db, const char *sql)
{
	if (fault_fires()) {
		lc_log_debug("db: injected fault in lc_db_stmt");
		db->failures++;
		return NULL;
	}
	uint64_t h = hash_sql(sql);
	for (size_t i = 0; i < db->count; i++) {
		struct cached_stmt *c = &db->cache[i];
		if (c->hash == h && strcmp(c->sql, sql) == 0) {
			sqlite3_reset(c->st);
			sqlite3_clear_bindings(c->st);
			return c->st;
		}
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		lc_log_error("db: cannot prepare: %s: %s", sqlite3_errmsg(db->h), sql);
		sqlite3_finalize(st);
		db->failures++;
		return NULL;
	}
	/* Our SQL is a fixed set of literals; past the cap something builds SQL dynamically. */
	if (db->count == LC_LIMIT_DB_STMT_CACHE) {
		lc_log_error("db: statement cache full (%d); not caching: %s",
		             LC_LIMIT_DB_STMT_CACHE, sql);
		sqlite3_finalize(st);
		return NULL;
	}
	if (db->count == db->cap) {
		db->cap = db->cap ? db->cap * 2 : 32;
		db->cache = lc_xreallocarray(db->cache, db->cap, sizeof(*db->cache));
	}
	db->cache[db->count].hash = h;
	db->cache[db->count].sql = lc_xstrdup(sql);
	db->cache[db->count].st = st;
	db->count++;
	return st;
}

int lc_db_step(struct lc_db *db, sqlite3_stmt *st)
{
	if (fault_fires()) {
		lc_log_debug("db: injected fault in lc_db_step");
		sqlite3_reset(st);
		db->failures++;
		return LC_EDB;
	}
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		/* Ends the statement's read snapshot now rather than at the next use. */
		sqlite3_reset(st);
		return 0;
	}
	int err = map_rc(rc);
	if (err == LC_ECONFLICT) {
		lc_log_debug("db: constraint: %s", sqlite3_errmsg(db->h));
	} else {
		lc_log_error("db: step failed: %s: %s", sqlite3_errmsg(db->h), sqlite3_sql(st));
		db->failures++;
	}
	sqlite3_reset(st);
	return err ? err : LC_EDB;
}

long lc_db_failures(const struct lc_db *db)
{
	return db->failures;
}

bool lc_db_next(struct lc_db *db, sqlite3_stmt *st, int *rc)
{
	*rc = lc_db_step(db, st);
	if (*rc == 1) {
		*rc = 0;
		return true;
	}
	return false;
}

void lc_db_release(struct lc_db *db, sqlite3_stmt *st)
{
	(void)db;
	if (!st)
		return;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static void reset_all(struct lc_db *db)
{
	for (size_t i = 0; i < db->count; i++)
		sqlite3_reset(db->cache[i].st);
}

int lc_db_exec(struct lc_db *db, const char *sql)
{
	if (fault_fires()) {
		lc_log_debug("db: injected fault in lc_db_exec");
		return LC_EDB;
	}
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		int err = map_rc(rc);
		if (err != LC_ECONFLICT)
			lc_log_error("db: exec failed: %s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return err ? err : LC_EDB;
	}
	return 0;
}

const char *lc_db_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int lc_db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	int rc = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
	return rc == SQLITE_OK ? 0 : LC_EDB;
}

/* ---- transactions ------------------------------------------------------- */

int lc_db_depth(const struct lc_db *db)
{
	return db->depth;
}

/* BEGIN IMMEDIATE for writers, BEGIN DEFERRED for read snapshots, SAVEPOINT when nested. */
static int begin(struct lc_db *db, bool write)
{
	if (fault_fires()) {
		lc_log_debug("db: injected fault in lc_db_begin");
		return LC_EDB;
	}
	char sql[48];
	if (db->depth == 0)
		snprintf(sql, sizeof(sql), "%s", write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
	else
		snprintf(sql, sizeof(sql), "SAVEPOINT lc_%d", db->depth);
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		lc_log_warn("db: %s failed: %s", sql, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		int err = map_rc(rc);
		return err ? err : LC_EDB;
	}
	db->depth++;
	return 0;
}

int lc_db_begin(struct lc_db *db)
{
	return begin(db, true);
}

int lc_db_begin_read(struct lc_db *db)
{
	return begin(db, false);
}

int lc_db_commit(struct lc_db *db)
{
	assert(db->depth > 0);
	if (db->depth <= 0)
		return LC_EINTERNAL;
	if (fault_fires()) {
		lc_log_debug("db: injected fault in lc_db_commit");
		return LC_EDB;
	}
	char sql[48];
	if (db->depth == 1) {
		reset_all(db);
		snprintf(sql, sizeof(sql), "COMMIT");
	} else {
		snprintf(sql, sizeof(sql), "RELEASE lc_%d", db->depth - 1);
	}
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		lc_log_warn("db: %s failed: %s", sql, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		int err = map_rc(rc);
		return err ? err : LC_EDB;
	}
	db->depth--;
	return 0;
}

void lc_db_rollback(struct lc_db *db)
{
	if (db->depth <= 0)
		return;
	char sql[80];
	if (db->depth == 1) {
		reset_all(db);
		snprintf(sql, sizeof(sql), "ROLLBACK");
	} else {
		snprintf(sql, sizeof(sql), "ROLLBACK TO lc_%d; RELEASE lc_%d", db->depth - 1,
		         db->depth - 1);
	}
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	/* SQLite may already have rolled back on its own (an I/O error or a full disk). */
	if (rc != SQLITE_OK && !(db->depth == 1 && sqlite3_get_autocommit(db->h)))
		lc_log_error("db: %s failed: %s", sql, msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	db->depth--;
}

/* ---- migrations --------------------------------------------------------- */

struct migration {
	int version;
	const char *name; /* the embedded file name, borrowed */
	const struct lc_embedded_file *file;
};

/* "migrations/0001_init.sql" -> 1; 0 when the name is not a migration. */
static int migration_version(const char *name)
{
	const char *pre = "migrations/";
	size_t plen = strlen(pre), n = strlen(name);
	if (n < plen + 9 || strncmp(name, pre, plen) != 0 || strcmp(name + n - 4, ".sql") != 0)
		return 0;
	const char *p = name + plen;
	int v = 0;
	for (int i = 0; i < 4; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		v = v * 10 + (p[i] - '0');
	}
	return p[4] == '_' ? v : 0;
}

static int cmp_migration(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;
	return (x->version > y->version) - (x->version < y->version);
}

/* The embedded migrations in version order; caller frees with lc_free. */
static struct migration *embedded_migrations(size_t *count)
{
	struct migration *m = lc_xcalloc(lc_embedded_count + 1, sizeof(*m));
	size_t n = 0;
	for (size_t i = 0; i < lc_embedded_count; i++) {
		int v = migration_version(lc_embedded_files[i].name);
		if (v > 0) {
			m[n].version = v;
			m[n].name = lc_embedded_files[i].name + strlen("migrations/");
			m[n].file = &lc_embedded_files[i];
			n++;
		}
	}
	qsort(m, n, sizeof(*m), cmp_migration);
	*count = n;
	return m;
}

int lc_db_schema_version_embedded(void)
{
	size_t n;
	struct migration *m = embedded_migrations(&n);
	int v = n ? m[n - 1].version : 0;
	lc_free(m);
	return v;
}

static void sha256_hex(const unsigned char *data, size_t len, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(hex, 65, h, sizeof(h));
}

static const char *SQL_MIGRATIONS_TABLE =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    " sha256 TEXT NOT NULL) STRICT";

/*
 * Reads the applied versions into a bitmap (index = version). Returns 0,
 * LC_ECONFLICT when one is unknown to this binary, or LC_EDB.
 */
static int read_applied(struct lc_db *db, const struct migration *m, size_t n, bool *applied,
                        int *max_applied)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT version, name FROM schema_migrations");
	if (!st)
		return LC_EDB;
	int err = 0, rc;
	*max_applied = 0;
	while (lc_db_next(db, st, &rc)) {
		int v = sqlite3_column_int(st, 0);
		bool known = false;
		for (size_t i = 0; i < n; i++)
			known = known || m[i].version == v;
		if (!known || v <= 0 || v > LC_LIMIT_DB_MIGRATIONS) {
			lc_log_error("db: migration %d (%s) is newer than this learncity; refusing "
			             "the database",
			             v, lc_db_text(st, 1) ? lc_db_text(st, 1) : "?");
			err = LC_ECONFLICT;
			continue;
		}
		applied[v] = true;
		if (v > *max_applied)
			*max_applied = v;
	}
	if (rc < 0)
		err = rc;
	lc_db_release(db, st);
	return err;
}

int lc_db_migrate(struct lc_db *db)
{
	return lc_db_migrate_to(db, LC_LIMIT_DB_MIGRATIONS);
}

int lc_db_migrate_to(struct lc_db *db, int version)
{
	size_t n;
	struct migration *m = embedded_migrations(&n);
	bool *applied = lc_xcalloc(LC_LIMIT_DB_MIGRATIONS + 1, sizeof(bool));
	int err = 0, max_applied = 0;
	bool in_tx = false;

	err = lc_db_exec(db, SQL_MIGRATIONS_TABLE);
	if (err)
		goto out;
	err = read_applied(db, m, n, applied, &max_applied);
	if (err)
		goto out;
	size_t pending = 0;
	for (size_t i = 0; i < n; i++)
		pending += !applied[m[i].version] && m[i].version <= version;
	if (pending == 0)
		goto out;

	/* Another process may be migrating: take the write lock, then read again. */
	err = lc_db_begin(db);
	if (err)
		goto out;
	in_tx = true;
	memset(applied, 0, (LC_LIMIT_DB_MIGRATIONS + 1) * sizeof(bool));
	err = read_applied(db, m, n, applied, &max_applied);
	if (err)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (applied[m[i].version] || m[i].version > version)
			continue;
		lc_log_info("db: applying migration %s", m[i].name);
		err = lc_db_exec(db, (const char *)m[i].file->data);
		if (err) {
			lc_log_error("db: migration %s failed: %s", m[i].name, lc_db_errmsg(db));
			goto out;
		}
		char hex[65];
		sha256_hex(m[i].file->data, m[i].file->len, hex);
		sqlite3_stmt *st = lc_db_stmt(
		    db,
		    "INSERT INTO schema_migrations (version, name, sha256) VALUES (?1, ?2, ?3)");
		if (!st) {
			err = LC_EDB;
			goto out;
		}
		sqlite3_bind_int(st, 1, m[i].version);
		lc_db_bind_text(st, 2, m[i].name);
		lc_db_bind_text(st, 3, hex);
		int rc = lc_db_step(db, st);
		lc_db_release(db, st);
		if (rc < 0) {
			err = rc;
			goto out;
		}
	}
	err = lc_db_commit(db);
	if (err)
		goto out;
	in_tx = false;
out:
	if (in_tx)
		lc_db_rollback(db);
	lc_free(applied);
	lc_free(m);
	return err;
}

int lc_db_schema_version(struct lc_db *db)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
	                                  "AND name = 'schema_migrations'");
	if (!st)
		return LC_EDB;
	int rc = lc_db_step(db, st);
	bool exists = rc == 1 && sqlite3_column_int(st, 0) > 0;
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (!exists)
		return 0;
	st = lc_db_stmt(db, "SELECT coalesce(max(version), 0) FROM schema_migrations");
	if (!st)
		return LC_EDB;
	rc = lc_db_step(db, st);
	int v = rc == 1 ? sqlite3_column_int(st, 0) : 0;
	lc_db_release(db, st);
	return rc < 0 ? rc : v;
}

/* ---- check -------------------------------------------------------------- */

int lc_db_check_integrity(struct lc_db *db, struct lc_diag *d)
{
	sqlite3_stmt *st = lc_db_stmt(db, "PRAGMA integrity_check");
	if (!st)
		return LC_EDB;
	int rc;
	while (lc_db_next(db, st, &rc)) {
		const char *t = lc_db_text(st, 0);
		/* SQLite's own description of the damage: not ours to translate. */
		if (t && strcmp(t, "ok") != 0)
			lc_diag_add_text(d, NULL, 0, 0, "integrity", "%s", t);
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static int check_foreign_keys(struct lc_db *db, struct lc_diag *d)
{
	sqlite3_stmt *st = lc_db_stmt(db, "PRAGMA foreign_key_check");
	if (!st)
		return LC_EDB;
	int rc;
	while (lc_db_next(db, st, &rc)) {
		const char *table = lc_db_text(st, 0), *parent = lc_db_text(st, 2);
		lc_diag_addf(d, NULL, 0, 0, "foreign_key", "err_db_foreign_key",
		             LC_ARG_I("row", sqlite3_column_int64(st, 1)),
		             LC_ARG_S("table", table ? table : "?"),
		             LC_ARG_S("parent", parent ? parent : "?"));
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static int check_migrations(struct lc_db *db, struct lc_diag *d)
{
	size_t n;
	struct migration *m = embedded_migrations(&n);
	bool *seen = lc_xcalloc(n ? n : 1, sizeof(bool));
	int err = 0, rc = 0;
	sqlite3_stmt *st = NULL;

	int version = lc_db_schema_version(db);
	if (version < 0) {
		err = version;
		goto out;
	}
	if (version == 0) {
		lc_diag_add(d, NULL, 0, 0, "migration", "err_db_no_migration");
		goto out;
	}
	st = lc_db_stmt(db, "SELECT version, name, sha256 FROM schema_migrations ORDER BY version");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	while (lc_db_next(db, st, &rc)) {
		int v = sqlite3_column_int(st, 0);
		const char *name = lc_db_text(st, 1), *sum = lc_db_text(st, 2);
		size_t i = 0;
		while (i < n && m[i].version != v)
			i++;
		if (i == n) {
			char num[16];
			snprintf(num, sizeof num, "%04d", v);
			lc_diag_addf(d, NULL, 0, 0, "migration", "err_db_migration_unknown",
			             LC_ARG_S("version", num), LC_ARG_S("name", name ? name : "?"));
			continue;
		}
		seen[i] = true;
		char hex[65];
		sha256_hex(m[i].file->data, m[i].file->len, hex);
		if (!sum || strcmp(sum, hex) != 0)
			lc_diag_addf(d, NULL, 0, 0, "migration", "err_db_migration_drift",
			             LC_ARG_S("name", m[i].name));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (!seen[i])
			lc_diag_addf(d, NULL, 0, 0, "migration", "err_db_migration_missing",
			             LC_ARG_S("name", m[i].name));
out:
	lc_free(seen);
	lc_free(m);
	return err;
}

int lc_db_check(struct lc_db *db, struct lc_diag *d)
{
	int err = lc_db_check_integrity(db, d);
	if (!err)
		err = check_foreign_keys(db, d);
	if (!err)
		err = check_migrations(db, d);
	return err;
}

/* ---- pool --------------------------------------------------------------- */

struct lc_db_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *path;
	unsigned flags;
	size_t size;         /* connections allowed */
	size_t opened;       /* connections opened or being opened */
	struct lc_db **free; /* stack of idle connections */
	size_t nfree;
	struct lc_db **all; /* every opened connection, for lc_db_pool_free */
	size_t nall;
	long cache_kib; /* each connection's page cache; 0: SQLite's default */
};

/* Sets a connection's page cache to kib KiB (0: leave SQLite's default). */
static int set_cache(struct lc_db *db, long kib)
{
	if (kib <= 0)
		return 0;
	char sql[48];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%ld", kib);
	return pragma(db, sql);
}

int lc_db_pool_cache(struct lc_db_pool *p, long kib)
{
	if (kib < 0 || kib > LC_LIMIT_DB_CACHE_KIB)
		return LC_EINVAL;
	pthread_mutex_lock(&p->mu);
	p->cache_kib = kib;
	/* The idle ones now; those in use or opened later when they are opened. */
	int err = 0;
	for (size_t i = 0; i < p->nall && !err; i++)
		err = set_cache(p->all[i], kib);
	pthread_mutex_unlock(&p->mu);
	return err;
}

int lc_db_pool_new(const char *path, size_t n, unsigned flags, struct lc_db_pool **out)
{
	*out = NULL;
	if (n < 1 || n > LC_LIMIT_DB_POOL)
		return LC_EINVAL;
	struct lc_db *first = NULL;
	int err = lc_db_open(path, flags, &first);
	if (err)
		return err;
	struct lc_db_pool *p = lc_xcalloc(1, sizeof(*p));
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->path = lc_xstrdup(path);
	/* The first connection migrated already; the others need not try. */
	p->flags = flags | LC_DB_NO_MIGRATE;
	p->size = n;
	p->free = lc_xcalloc(n, sizeof(*p->free));
	p->all = lc_xcalloc(n, sizeof(*p->all));
	p->free[p->nfree++] = first;
	p->all[p->nall++] = first;
	p->opened = 1;
	*out = p;
	return 0;
}

void lc_db_pool_free(struct lc_db_pool *p)
{
	if (!p)
		return;
	assert(p->nfree == p->nall);
	for (size_t i = 0; i < p->nall; i++)
		lc_db_close(p->all[i]);
	lc_free(p->all);
	lc_free(p->free);
	lc_free(p->path);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	lc_free(p);
}

int lc_db_pool_acquire(struct lc_db_pool *p, struct lc_db **out)
{
	*out = NULL;
	pthread_mutex_lock(&p->mu);
	while (p->nfree == 0 && p->opened == p->size)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->nfree > 0) {
		*out = p->free[--p->nfree];
		pthread_mutex_unlock(&p->mu);
		return 0;
	}
	/* Open outside the lock: opening reads the schema and may wait on a writer. */
	p->opened++;
	pthread_mutex_unlock(&p->mu);
	struct lc_db *db = NULL;
	int err = lc_db_open(p->path, p->flags, &db);
	pthread_mutex_lock(&p->mu);
	if (!err && (err = set_cache(db, p->cache_kib)) != 0) {
		lc_db_close(db);
		db = NULL;
	}
	if (err) {
		p->opened--;
		pthread_cond_signal(&p->cv);
	} else {
		p->all[p->nall++] = db;
		*out = db;
	}
	pthread_mutex_unlock(&p->mu);
	return err;
}

void lc_db_pool_release(struct lc_db_pool *p, struct lc_db *db)
{
	if (!db)
		return;
	if (db->depth > 0) {
		lc_log_error(
		    "db: connection returned to the pool inside a transaction; rolling back");
		while (db->depth > 0)
			lc_db_rollback(db);
	}
	reset_all(db);
	pthread_mutex_lock(&p->mu);
	p->free[p->nfree++] = db;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}
