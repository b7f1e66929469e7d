/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of db/backup.c: a backup during a burst of writes holds every row
 * committed before it began and a consistent state; the copy is one file,
 * mode 0600, checked; bad files (not SQLite, damaged, newer, not learncity)
 * are refused; restore refuses an existing database without force and one
 * another connection holds open even with it, and leaves the target as it
 * was whenever it refuses; a stale -wal never reaches the restored file;
 * names of scheduled backups and pruning keep the newest N.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/error.h"
#include "db/backup.h"
#include "db/db.h"
#include "query.h"

static char dir[64];

static void at(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", dir, name);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/lc-test-backup-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

/* Removes every file of the folder, then the folder. */
static int teardown(void **state)
{
	(void)state;
	DIR *dh = opendir(dir);
	if (dh) {
		struct dirent *e;
		while ((e = readdir(dh)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char p[512];
			at(p, sizeof p, e->d_name);
			unlink(p);
		}
		closedir(dh);
	}
	rmdir(dir);
	return 0;
}

/* The names in the folder that start with prefix. */
static int count_files(const char *prefix)
{
	int n = 0;
	DIR *dh = opendir(dir);
	assert_non_null(dh);
	struct dirent *e;
	while ((e = readdir(dh)) != NULL)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(dh);
	return n;
}

static bool file_exists(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0;
}

/* A migrated database with a table of n rows (ids 1..n). */
static void make_db(const char *p, long n)
{
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(p, LC_DB_CREATE, &db), 0);
	assert_int_equal(lc_db_exec(db, "CREATE TABLE burst (id INTEGER PRIMARY KEY, v TEXT)"), 0);
	assert_int_equal(lc_db_begin(db), 0);
	for (long i = 0; i < n; i++)
		assert_int_equal(
		    lc_db_exec(db, "INSERT INTO burst (v) VALUES (hex(randomblob(64)))"), 0);
	assert_int_equal(lc_db_commit(db), 0);
	lc_db_close(db);
}

/* The rows of burst in the database at p (opened read-only), and its largest id. */
static long rows_in(const char *p, long *max_id)
{
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(p, LC_DB_READONLY, &db), 0);
	long n = lc_test_count(db, "SELECT count(*) FROM burst");
	if (max_id)
		*max_id = lc_test_count(db, "SELECT coalesce(max(id), 0) FROM burst");
	lc_db_close(db);
	return n;
}

/* The journal mode recorded in a database file's header: 1 rollback, 2 WAL. */
static int header_mode(const char *p)
{
	unsigned char h[20];
	int fd = open(p, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, h, sizeof h), (ssize_t)sizeof h);
	close(fd);
	return h[18];
}

static void write_file(const char *p, const void *data, size_t n)
{
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

/* ---- a backup during a write burst -------------------------------------- */

struct burst {
	char path[256];
	atomic_long committed; /* the largest id whose transaction has committed */
	atomic_bool stop;
};

/* Inserts one row per transaction until told to stop, publishing each commit. */
static void *writer(void *arg)
{
	struct burst *b = arg;
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(b->path, 0, &db), 0);
	while (!atomic_load(&b->stop)) {
		assert_int_equal(lc_db_begin(db), 0);
		assert_int_equal(
		    lc_db_exec(db, "INSERT INTO burst (v) VALUES (hex(randomblob(64)))"), 0);
		int64_t id = lc_db_last_id(db);
		assert_int_equal(lc_db_commit(db), 0);
		atomic_store(&b->committed, (long)id);
	}
	lc_db_close(db);
	return NULL;
}

static void test_backup_during_write_burst(void **state)
{
	(void)state;
	struct burst b = {.committed = 0, .stop = false};
	at(b.path, sizeof b.path, "live.db");
	make_db(b.path, 2000);
	atomic_store(&b.committed, 2000);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, writer, &b), 0);
	while (atomic_load(&b.committed) < 2100)
		usleep(1000);

	char out[256];
	at(out, sizeof out, "copy.db");
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_backup_info info = {0};
	long before = atomic_load(&b.committed);
	assert_int_equal(lc_backup_write(b.path, out, false, &info, &d), 0);
	long after = atomic_load(&b.committed);
	atomic_store(&b.stop, true);
	pthread_join(th, NULL);
	assert_int_equal(lc_diag_total(&d), 0);
	lc_diag_cleanup(&d);

	/* Every row committed before the backup began; one state: ids 1..n without a gap. */
	long max_id = 0, n = rows_in(out, &max_id);
	assert_true(n >= before);
	assert_int_equal(n, max_id);
	assert_true(n <= after);
	assert_int_equal(info.schema, lc_db_schema_version_embedded());
	struct stat sb;
	assert_int_equal(stat(out, &sb), 0);
	assert_int_equal(info.bytes, (int64_t)sb.st_size);
	/* Readable by its owner only: it holds password hashes. */
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* One self-contained file: rollback journal mode, nothing beside it. */
	assert_int_equal(header_mode(out), 1);
	assert_int_equal(count_files("copy.db"), 1);
	lc_diag_init(&d);
	assert_int_equal(lc_backup_verify(out, &info, &d), 0);
	lc_diag_cleanup(&d);
}

static void test_backup_refusals(void **state)
{
	(void)state;
	char db[256], out[256], missing[256];
	at(db, sizeof db, "a.db");
	at(out, sizeof out, "out.db");
	at(missing, sizeof missing, "missing.db");
	make_db(db, 10);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_backup_write(missing, out, false, NULL, &d), LC_ENOTFOUND);
	assert_false(file_exists(out));
	/* The database itself, even with overwrite. */
	assert_int_equal(lc_backup_write(db, db, true, NULL, &d), LC_EINVAL);
	assert_int_equal(rows_in(db, NULL), 10);
	/* An existing file is kept unless overwrite. */
	write_file(out, "keep", 4);
	assert_int_equal(lc_backup_write(db, out, false, NULL, &d), LC_ECONFLICT);
	struct stat sb;
	assert_int_equal(stat(out, &sb), 0);
	assert_int_equal(sb.st_size, 4);
	assert_int_equal(lc_diag_total(&d), 3);
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(lc_backup_write(db, out, true, NULL, &d), 0);
	assert_int_equal(rows_in(out, NULL), 10);
	/* No temporary file is left beside it. */
	assert_int_equal(count_files("out.db"), 1);
	lc_diag_cleanup(&d);
}

/* Sets the free-page count of a database's header to a wrong value: integrity_check fails. */
static void damage(const char *p)
{
	int fd = open(p, O_RDWR);
	assert_true(fd >= 0);
	unsigned char seven[4] = {0, 0, 0, 7};
	assert_int_equal(pwrite(fd, seven, 4, 36), 4);
	close(fd);
}

static void test_damaged_source_gives_no_backup(void **state)
{
	(void)state;
	char db[256], out[256];
	at(db, sizeof db, "a.db");
	at(out, sizeof out, "out.db");
	make_db(db, 10);
	damage(db);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_backup_write(db, out, false, NULL, &d), LC_EINVAL);
	assert_true(lc_diag_total(&d) >= 1);
	assert_string_equal(d.items[d.count - 1].field, "integrity");
	assert_false(file_exists(out));
	assert_int_equal(count_files("out.db"), 0);
	lc_diag_cleanup(&d);
}

/* ---- verify -------------------------------------------------------------- */

/* The message of the last problem of lc_backup_verify(p), which must fail with err. */
static void verify_fails(const char *p, int err, const char *needle)
{
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_backup_verify(p, NULL, &d), err);
	assert_true(d.count >= 1);
	if (!strstr(d.items[d.count - 1].message, needle))
		fail_msg("'%s' does not say '%s'", d.items[d.count - 1].message, needle);
	lc_diag_cleanup(&d);
}

static void test_verify_refuses_bad_files(void **state)
{
	(void)state;
	char p[256];
	at(p, sizeof p, "missing.db");
	verify_fails(p, LC_ENOTFOUND, "no file");
	at(p, sizeof p, "text.db");
	write_file(p, "uCode,x1\nAAA,1\n", 15);
	verify_fails(p, LC_EINVAL, "not a SQLite database");
	at(p, sizeof p, "empty.db");
	write_file(p, "", 0);
	verify_fails(p, LC_EINVAL, "not a SQLite database");
	verify_fails(dir, LC_EINVAL, "not a regular file");

	/* A SQLite database that is not learncity's. */
	at(p, sizeof p, "other.db");
	sqlite3 *h = NULL;
	assert_int_equal(sqlite3_open(p, &h), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(h, "CREATE TABLE t (x); INSERT INTO t VALUES (1)", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(h);
	verify_fails(p, LC_EINVAL, "not a learncity database");

	/* One written by a newer learncity. */
	at(p, sizeof p, "newer.db");
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(p, LC_DB_CREATE, &db), 0);
	assert_int_equal(lc_db_exec(db, "INSERT INTO schema_migrations (version, name, sha256)"
	                                " VALUES (9999, '9999_future.sql', 'x')"),
	                 0);
	lc_db_close(db);
	verify_fails(p, LC_EINVAL, "newer learncity");

	/* A damaged one. */
	at(p, sizeof p, "damaged.db");
	make_db(p, 10);
	damage(p);
	verify_fails(p, LC_EINVAL, "fails integrity_check");
}

/* ---- restore ------------------------------------------------------------- */

static void test_restore_into_new_path(void **state)
{
	(void)state;
	char src[256], bk[256], target[256];
	at(src, sizeof src, "src.db");
	at(bk, sizeof bk, "bk.db");
	at(target, sizeof target, "target.db");
	make_db(src, 25);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_backup_write(src, bk, false, NULL, &d), 0);
	struct lc_backup_info info = {0};
	assert_int_equal(lc_backup_restore(bk, target, false, &info, &d), 0);
	assert_int_equal(lc_diag_total(&d), 0);
	assert_int_equal(info.schema, lc_db_schema_version_embedded());
	assert_int_equal(rows_in(target, NULL), 25);
	assert_int_equal(count_files("target.db"), 1);
	/* The restored database passes the whole check. */
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(target, LC_DB_NO_MIGRATE, &db), 0);
	assert_int_equal(lc_db_check(db, &d), 0);
	assert_int_equal(lc_diag_total(&d), 0);
	lc_db_close(db);
	/* The file itself as its own target is refused. */
	assert_int_equal(lc_backup_restore(bk, bk, true, NULL, &d), LC_EINVAL);
	lc_diag_cleanup(&d);
}

static void test_restore_refuses_live_database(void **state)
{
	(void)state;
	char src[256], bk[256], target[256];
	at(src, sizeof src, "src.db");
	at(bk, sizeof bk, "bk.db");
	at(target, sizeof target, "target.db");
	make_db(src, 5);
	make_db(target, 40);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_backup_write(src, bk, false, NULL, &d), 0);

	/* An existing database: not without force. */
	assert_int_equal(lc_backup_restore(bk, target, false, NULL, &d), LC_ECONFLICT);
	assert_int_equal(rows_in(target, NULL), 40);

	/* Open in another connection (a server): not even with force. */
	struct lc_db *server = NULL;
	assert_int_equal(lc_db_open(target, 0, &server), 0);
	assert_int_equal(lc_test_count(server, "SELECT count(*) FROM burst"), 40);
	assert_int_equal(lc_backup_restore(bk, target, true, NULL, &d), LC_EBUSY);
	assert_non_null(strstr(d.items[d.count - 1].message, "another process"));
	assert_int_equal(lc_test_count(server, "SELECT count(*) FROM burst"), 40);
	assert_int_equal(lc_db_exec(server, "INSERT INTO burst (v) VALUES ('after')"), 0);
	assert_int_equal(lc_test_count(server, "SELECT count(*) FROM burst"), 41);
	lc_db_close(server);
	assert_int_equal(rows_in(target, NULL), 41);
	/* Nothing was left beside it. */
	assert_int_equal(count_files("target.db.restore-"), 0);

	/* Closed: force replaces it. */
	assert_int_equal(lc_backup_restore(bk, target, true, NULL, &d), 0);
	assert_int_equal(rows_in(target, NULL), 5);
	lc_diag_cleanup(&d);
}

/*
 * A server that stopped without checkpointing leaves committed pages in the
 * -wal. Restored over, the new file must hold the backup's rows only: a
 * -wal left beside it would be read into it.
 */
static void test_restore_discards_stale_wal(void **state)
{
	(void)state;
	char src[256], bk[256], target[256], wal[280];
	at(src, sizeof src, "src.db");
	at(bk, sizeof bk, "bk.db");
	at(target, sizeof target, "target.db");
	snprintf(wal, sizeof wal, "%s-wal", target);
	make_db(src, 3);
	make_db(target, 0);
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(target, 0, &db), 0);
	sqlite3_db_config(lc_db_sqlite(db), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	assert_int_equal(lc_db_exec(db, "INSERT INTO burst (v) VALUES ('stale'), ('stale')"), 0);
	lc_db_close(db);
	struct stat sb;
	assert_int_equal(stat(wal, &sb), 0);
	assert_true(sb.st_size > 0);

	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_backup_write(src, bk, false, NULL, &d), 0);
	assert_int_equal(lc_backup_restore(bk, target, true, NULL, &d), 0);
	assert_false(file_exists(wal));
	assert_int_equal(rows_in(target, NULL), 3);
	assert_int_equal(lc_db_open(target, 0, &db), 0);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM burst WHERE v = 'stale'"), 0);
	lc_db_close(db);
	lc_diag_cleanup(&d);
}

static void test_restore_bad_files_change_nothing(void **state)
{
	(void)state;
	char target[256], p[256];
	at(target, sizeof target, "target.db");
	make_db(target, 7);
	struct lc_diag d;
	lc_diag_init(&d);
	at(p, sizeof p, "text.db");
	write_file(p, "not a database at all", 21);
	assert_int_equal(lc_backup_restore(p, target, true, NULL, &d), LC_EINVAL);
	at(p, sizeof p, "damaged.db");
	make_db(p, 10);
	damage(p);
	assert_int_equal(lc_backup_restore(p, target, true, NULL, &d), LC_EINVAL);
	at(p, sizeof p, "newer.db");
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(p, LC_DB_CREATE, &db), 0);
	assert_int_equal(lc_db_exec(db, "INSERT INTO schema_migrations (version, name, sha256)"
	                                " VALUES (9999, '9999_future.sql', 'x')"),
	                 0);
	lc_db_close(db);
	assert_int_equal(lc_backup_restore(p, target, true, NULL, &d), LC_EINVAL);
	at(p, sizeof p, "missing.db");
	assert_int_equal(lc_backup_restore(p, target, true, NULL, &d), LC_ENOTFOUND);
	/* No copy was left beside it. */
	assert_int_equal(count_files("target.db.restore-"), 0);
	assert_int_equal(rows_in(target, NULL), 7);
	lc_diag_cleanup(&d);
}

/* A backup from an older learncity restores; its migrations apply on the next open. */
static void test_restore_older_schema(void **state)
{
	(void)state;
	char src[256], target[256];
	at(src, sizeof src, "old.db");
	at(target, sizeof target, "target.db");
	make_db(src, 2);
	int known = lc_db_schema_version_embedded();
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(src, 0, &db), 0);
	char sql[128];
	snprintf(sql, sizeof sql, "DELETE FROM schema_migrations WHERE version = %d", known);
	assert_int_equal(lc_db_exec(db, sql), 0);
	lc_db_close(db);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_backup_info info = {0};
	assert_int_equal(lc_backup_restore(src, target, false, &info, &d), 0);
	assert_true(info.schema < known);
	lc_diag_cleanup(&d);
}

/* Files of a database without the database: refused without force, removed with it. */
static void test_restore_orphan_companions(void **state)
{
	(void)state;
	char src[256], target[256], wal[280];
	at(src, sizeof src, "src.db");
	at(target, sizeof target, "target.db");
	snprintf(wal, sizeof wal, "%s-wal", target);
	make_db(src, 4);
	write_file(wal, "junk", 4);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_backup_restore(src, target, false, NULL, &d), LC_ECONFLICT);
	assert_non_null(strstr(d.items[0].message, "-wal"));
	assert_false(file_exists(target));
	assert_int_equal(lc_backup_restore(src, target, true, NULL, &d), 0);
	assert_false(file_exists(wal));
	assert_int_equal(rows_in(target, NULL), 4);
	lc_diag_cleanup(&d);
}

/* ---- the folder of scheduled backups ------------------------------------- */

static void test_names(void **state)
{
	(void)state;
	char name[LC_BACKUP_NAME_BYTES];
	lc_backup_name(1767225600, name); /* 2026-01-01T00:00:00Z */
	assert_string_equal(name, "learncity-20260101T000000Z.db");
	assert_int_equal(lc_backup_name_time(name), 1767225600);
	lc_backup_name(1767225600 + 86399, name);
	assert_string_equal(name, "learncity-20260101T235959Z.db");
	assert_int_equal(lc_backup_name_time(name), 1767225600 + 86399);
	static const char *const bad[] = {
	    "learncity-20260230T000000Z.db",     /* no such day */
	    "learncity-20261301T000000Z.db",     /* no such month */
	    "learncity-20260101T240000Z.db",     /* no such hour */
	    "learncity-20260101T000000z.db",     /* lower-case zone */
	    "learncity-20260101 000000Z.db",     /* no T */
	    "learncity-2026010T1000000Z.db",     /* misplaced T */
	    "learncity-20260101T000000Z.db.tmp", /* a temporary file */
	    "learncity-20260101T000000Z.db-wal", /* a companion */
	    "learncity-20260101T00000Z.db",      /* short */
	    "other-20260101T000000Z.db",         "learncity-+0260101T000000Z.db", "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (lc_backup_name_time(bad[i]) != -1)
			fail_msg("'%s' taken for a backup's name", bad[i]);
}

static void touch(const char *name)
{
	char p[256];
	at(p, sizeof p, name);
	write_file(p, "x", 1);
}

static void test_prune_keeps_newest(void **state)
{
	(void)state;
	int64_t t = 0;
	assert_int_equal(lc_backup_newest(dir, &t), 0);
	assert_int_equal(t, 0);
	touch("learncity-20250101T000000Z.db");
	touch("learncity-20250301T000000Z.db");
	touch("learncity-20250201T000000Z.db");
	touch("learncity-20250401T120000Z.db");
	touch("learncity-20250105T000000Z.db");
	touch("learncity-20240101T000000Z.db.tmp-abcdef");
	touch("notes.txt");
	touch("learncity.db");
	assert_int_equal(lc_backup_newest(dir, &t), 0);
	assert_int_equal(t, lc_backup_name_time("learncity-20250401T120000Z.db"));
	size_t removed = 99;
	assert_int_equal(lc_backup_prune(dir, 0, &removed), LC_EINVAL);
	assert_int_equal(lc_backup_prune(dir, 2, &removed), 0);
	assert_int_equal(removed, 3);
	char p[256];
	at(p, sizeof p, "learncity-20250401T120000Z.db");
	assert_true(file_exists(p));
	at(p, sizeof p, "learncity-20250301T000000Z.db");
	assert_true(file_exists(p));
	assert_int_equal(count_files("learncity-2025"), 2);
	/* Other files are never touched. */
	assert_int_equal(count_files("learncity-2024"), 1);
	assert_int_equal(count_files("notes.txt"), 1);
	assert_int_equal(count_files("learncity.db"), 1);
	assert_int_equal(lc_backup_prune(dir, 5, &removed), 0);
	assert_int_equal(removed, 0);
	char missing[256];
	at(missing, sizeof missing, "no-such-folder");
	assert_int_equal(lc_backup_newest(missing, &t), LC_EIO);
}

static void test_take(void **state)
{
	(void)state;
	char db[256], sub[256];
	at(db, sizeof db, "live.db");
	make_db(db, 3);
	at(sub, sizeof sub, "bk");
	assert_int_equal(mkdir(sub, 0700), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	char written[512];
	size_t removed = 0;
	for (int64_t day = 0; day < 4; day++)
		assert_int_equal(lc_backup_take(db, sub, 1767225600 + day * 86400, 3, written,
		                                sizeof written, &removed, &d),
		                 0);
	assert_int_equal(removed, 1);
	char want[512];
	snprintf(want, sizeof want, "%s/learncity-20260104T000000Z.db", sub);
	assert_string_equal(written, want);
	assert_int_equal(rows_in(written, NULL), 3);
	int64_t t = 0;
	assert_int_equal(lc_backup_newest(sub, &t), 0);
	assert_int_equal(t, 1767225600 + 3 * 86400);
	snprintf(want, sizeof want, "%s/learncity-20260101T000000Z.db", sub);
	assert_false(file_exists(want));
	/* Clean the subfolder for teardown. */
	for (int64_t day = 1; day < 4; day++) {
		char name[LC_BACKUP_NAME_BYTES];
		lc_backup_name(1767225600 + day * 86400, name);
		snprintf(want, sizeof want, "%s/%s", sub, name);
		assert_int_equal(unlink(want), 0);
	}
	assert_int_equal(rmdir(sub), 0);
	lc_diag_cleanup(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_backup_during_write_burst, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_backup_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_damaged_source_gives_no_backup, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verify_refuses_bad_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restore_into_new_path, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restore_refuses_live_database, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restore_discards_stale_wal, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restore_bad_files_change_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restore_older_schema, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restore_orphan_companions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_names, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_prune_keeps_newest, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_take, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
