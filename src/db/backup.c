/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Backups with SQLite's online backup API, their check, restore with
 * exclusive use of the target, and the folder of scheduled backups
 * (backup.h). Every file is written to a temporary name, checked, fsynced
 * and renamed.
 */
#include "db/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/log.h"
#include "db/db.h"

/* The files SQLite keeps beside a database. */
static const char *const companions[] = {"-wal", "-shm", "-journal"};
#define N_COMPANIONS (sizeof companions / sizeof companions[0])

/* a followed by b into out; LC_ELIMIT when it does not fit. */
static int join(char *out, size_t size, const char *a, const char *b)
{
	int n = snprintf(out, size, "%s%s", a, b);
	return n < 0 || (size_t)n >= size ? LC_ELIMIT : 0;
}

/* The folder holding path ("." for a bare name). */
static int folder_of(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return join(out, size, ".", "");
	size_t n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= size)
		return LC_ELIMIT;
	memcpy(out, path, n);
	out[n] = '\0';
	return 0;
}

/* Makes a rename in the folder holding path durable. */
static int fsync_folder(const char *path)
{
	char dir[LC_LIMIT_PATH_BYTES];
	if (folder_of(path, dir, sizeof dir))
		return LC_ELIMIT;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return LC_EIO;
	int err = fsync(fd) == 0 ? 0 : LC_EIO;
	close(fd);
	return err;
}

/* A temporary file beside a target, removed unless it was renamed. */
struct tmp {
	char path[LC_LIMIT_PATH_BYTES]; /* empty once renamed */
	int fd;
};

/* Creates target + tag ("...XXXXXX") with mode 0600 (mkstemp). */
static int tmp_create(struct tmp *t, const char *target, const char *tag, const char *field,
                      struct lc_diag *d)
{
	t->fd = -1;
	if (join(t->path, sizeof t->path, target, tag)) {
		t->path[0] = '\0';
		lc_diag_addf(d, NULL, 0, 0, field, "err_backup_path_long",
		             LC_ARG_S("path", target));
		return LC_ELIMIT;
	}
	t->fd = mkstemp(t->path);
	if (t->fd < 0) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_backup_tmp_create",
		             LC_ARG_S("path", target), LC_ARG_S("reason", strerror(errno)));
		t->path[0] = '\0';
		return LC_EIO;
	}
	return 0;
}

static void tmp_discard(struct tmp *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	if (!t->path[0])
		return;
	unlink(t->path);
	char journal[LC_LIMIT_PATH_BYTES + 16];
	if (!join(journal, sizeof journal, t->path, "-journal"))
		unlink(journal);
	t->path[0] = '\0';
}

static int map_sqlite(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE: return 0;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return LC_EBUSY;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT: return LC_EINVAL;
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
	case SQLITE_FULL: return LC_EIO;
	default: return LC_EDB;
	}
}

/*
 * Copies the database src into the empty file dest in one backup step, so
 * that the copy is one read transaction of the source (in WAL mode it never
 * blocks a writer, and a writer never restarts it), then makes the copy a
 * self-contained file (journal mode DELETE). label names the source in
 * messages.
 */
static int copy_into(sqlite3 *src, const char *dest, const char *label, const char *field,
                     struct lc_diag *d)
{
	sqlite3 *h = NULL;
	int err = 0;
	int rc = sqlite3_open_v2(dest, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_backup_copy_open", LC_ARG_S("path", label),
		             LC_ARG_S("reason", h ? sqlite3_errmsg(h) : sqlite3_errstr(rc)));
		err = LC_EIO;
		goto out;
	}
	sqlite3_backup *b = sqlite3_backup_init(h, "main", src, "main");
	if (!b) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_backup_copy_start", LC_ARG_S("path", label),
		             LC_ARG_S("reason", sqlite3_errmsg(h)));
		err = LC_EDB;
		goto out;
	}
	int waited_ms = 0;
	for (;;) {
		rc = sqlite3_backup_step(b, -1);
		bool busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
		if (!busy || waited_ms >= LC_LIMIT_BACKUP_BUSY_MS)
			break;
		sqlite3_sleep(50);
		waited_ms += 50;
	}
	sqlite3_backup_finish(b);
	if ((rc & 0xff) != SQLITE_DONE) {
		err = map_sqlite(rc);
		if (!err)
			err = LC_EDB;
		if (err == LC_EBUSY)
			lc_diag_addf(d, NULL, 0, 0, field, "err_backup_locked",
			             LC_ARG_S("path", label),
			             LC_ARG_I("limit", LC_LIMIT_BACKUP_BUSY_MS));
		else
			lc_diag_addf(d, NULL, 0, 0, field, "err_backup_copy_failed",
			             LC_ARG_S("path", label),
			             LC_ARG_S("reason", sqlite3_errstr(rc)));
		goto out;
	}
	rc = sqlite3_exec(h, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_backup_copy_finish",
		             LC_ARG_S("path", label), LC_ARG_S("reason", sqlite3_errmsg(h)));
		err = map_sqlite(rc) ? map_sqlite(rc) : LC_EDB;
	}
out:
	if (h && sqlite3_close(h) != SQLITE_OK && !err) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_backup_copy_close",
		             LC_ARG_S("path", label));
		err = LC_EIO;
	}
	return err;
}

/*
 * Opens the database to copy without changing it (no migration, no journal
 * mode). Read-write, so that closing the last connection to a WAL database
 * checkpoints it and removes its -wal and -shm as usual instead of leaving
 * them beside it; only read. Caller closes *out with sqlite3_close.
 */
static int open_source(const char *path, const char *field, sqlite3 **out, struct lc_diag *d)
{
	int rc = sqlite3_open_v2(path, out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_backup_open", LC_ARG_S("path", path),
		             LC_ARG_S("reason", *out ? sqlite3_errmsg(*out) : sqlite3_errstr(rc)));
		sqlite3_close(*out);
		*out = NULL;
		return map_sqlite(rc) ? map_sqlite(rc) : LC_EDB;
	}
	sqlite3_busy_timeout(*out, LC_LIMIT_DB_BUSY_MS);
	return 0;
}

/* True when path begins with SQLite's 16-byte header string. */
static int is_sqlite_file(const char *path, bool *yes)
{
	static const char magic[16] = "SQLite format 3";
	*yes = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? LC_ENOTFOUND : LC_EIO;
	char head[16];
	ssize_t n = read(fd, head, sizeof head);
	close(fd);
	if (n < 0)
		return LC_EIO;
	*yes = n == (ssize_t)sizeof head && memcmp(head, magic, sizeof head) == 0;
	return 0;
}

/*
 * lc_backup_verify with label naming the file in messages; with
 * any_schema, a migration level newer than this binary's is accepted (a
 * backup copies whatever it is given).
 */
static int verify(const char *path, const char *label, bool any_schema, const char *field,
                  struct lc_backup_info *info, struct lc_diag *d)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_backup_no_file", LC_ARG_S("path", label));
		return errno == ENOENT ? LC_ENOTFOUND : LC_EIO;
	}
	if (!S_ISREG(sb.st_mode)) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_backup_not_regular",
		             LC_ARG_S("path", label));
		return LC_EINVAL;
	}
	bool sqlite = false;
	int err = is_sqlite_file(path, &sqlite);
	if (err) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_backup_read", LC_ARG_S("path", label),
		             LC_ARG_K("reason", lc_error_key(err)));
		return err;
	}
	if (!sqlite) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_backup_not_sqlite",
		             LC_ARG_S("path", label));
		return LC_EINVAL;
	}
	struct lc_db *db = NULL;
	err = lc_db_open(path, LC_DB_READONLY, &db);
	if (err) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_backup_open", LC_ARG_S("path", label),
		             LC_ARG_K("reason", lc_error_key(err)));
		return err;
	}
	size_t before = lc_diag_total(d);
	err = lc_db_check_integrity(db, d);
	if (err) {
		lc_diag_addf(d, NULL, 0, 0, "integrity", "err_backup_integrity_run",
		             LC_ARG_S("path", label), LC_ARG_S("reason", lc_db_errmsg(db)));
		err = LC_EINVAL;
		goto out;
	}
	if (lc_diag_total(d) > before) {
		lc_diag_addf(d, NULL, 0, 0, "integrity", "err_backup_integrity",
		             LC_ARG_S("path", label));
		err = LC_EINVAL;
		goto out;
	}
	int v = lc_db_schema_version(db), known = lc_db_schema_version_embedded();
	if (v < 0) {
		lc_diag_addf(d, NULL, 0, 0, "migration", "err_backup_migrations_read",
		             LC_ARG_S("path", label), LC_ARG_S("reason", lc_db_errmsg(db)));
		err = LC_EINVAL;
		goto out;
	}
	if (v == 0 && !any_schema) {
		lc_diag_addf(d, NULL, 0, 0, "migration", "err_backup_not_learncity",
		             LC_ARG_S("path", label));
		err = LC_EINVAL;
		goto out;
	}
	if (v > known && !any_schema) {
		char have[16], knows[16];
		snprintf(have, sizeof have, "%04d", v);
		snprintf(knows, sizeof knows, "%04d", known);
		lc_diag_addf(d, NULL, 0, 0, "migration", "err_backup_newer",
		             LC_ARG_S("path", label), LC_ARG_S("version", have),
		             LC_ARG_S("known", knows));
		err = LC_EINVAL;
		goto out;
	}
	if (info) {
		info->schema = v;
		info->bytes = (int64_t)sb.st_size;
	}
out:
	lc_db_close(db);
	return err;
}

int lc_backup_verify(const char *path, struct lc_backup_info *info, struct lc_diag *d)
{
	return verify(path, path, false, "restore", info, d);
}

/* 0 and *yes when path exists (lstat: a dangling link counts), or LC_EIO. */
static int exists(const char *path, bool *yes, struct stat *sb)
{
	struct stat tmp;
	if (!sb)
		sb = &tmp;
	*yes = lstat(path, sb) == 0;
	return *yes || errno == ENOENT ? 0 : LC_EIO;
}

int lc_backup_write(const char *db_path, const char *out_path, bool overwrite,
                    struct lc_backup_info *info, struct lc_diag *d)
{
	const char *F = "backup";
	sqlite3 *src = NULL;
	struct tmp t = {.fd = -1};
	struct stat ss, os;
	int err = 0;
	if (stat(db_path, &ss) != 0) {
		lc_diag_addf(d, NULL, 0, 0, F, "err_backup_no_db", LC_ARG_S("path", db_path));
		return errno == ENOENT ? LC_ENOTFOUND : LC_EIO;
	}
	if (stat(out_path, &os) == 0) {
		if (os.st_dev == ss.st_dev && os.st_ino == ss.st_ino) {
			lc_diag_addf(d, NULL, 0, 0, F, "err_backup_is_db",
			             LC_ARG_S("path", out_path));
			return LC_EINVAL;
		}
		if (!overwrite || !S_ISREG(os.st_mode)) {
			lc_diag_addf(d, NULL, 0, 0, F, "err_backup_exists",
			             LC_ARG_S("path", out_path));
			return LC_ECONFLICT;
		}
	}
	err = open_source(db_path, F, &src, d);
	if (err)
		goto out;
	err = tmp_create(&t, out_path, ".tmp-XXXXXX", F, d);
	if (err)
		goto out;
	err = copy_into(src, t.path, db_path, F, d);
	sqlite3_close(src);
	src = NULL;
	if (err)
		goto out;
	if (fsync(t.fd) != 0) {
		lc_diag_addf(d, NULL, 0, 0, F, "err_backup_write", LC_ARG_S("path", out_path),
		             LC_ARG_S("reason", strerror(errno)));
		err = LC_EIO;
		goto out;
	}
	/* The copy, not the source, is what must pass: it is what the file will hold. */
	err = verify(t.path, db_path, true, F, info, d);
	if (err)
		goto out;
	if (rename(t.path, out_path) != 0) {
		lc_diag_addf(d, NULL, 0, 0, F, "err_backup_rename", LC_ARG_S("path", out_path),
		             LC_ARG_S("reason", strerror(errno)));
		err = LC_EIO;
		goto out;
	}
	t.path[0] = '\0';
	if (fsync_folder(out_path)) {
		lc_diag_addf(d, NULL, 0, 0, F, "err_backup_sync", LC_ARG_S("path", out_path));
		err = LC_EIO;
	}
out:
	sqlite3_close(src);
	tmp_discard(&t);
	return err;
}

/*
 * Takes exclusive use of the database at path for a restore: switching it
 * out of WAL mode needs every other connection closed (SQLite checkpoints
 * and deletes the -wal itself), and an exclusive transaction in rollback
 * mode then keeps every other process from reading or writing it until
 * *out is closed. *out is NULL when path is not a SQLite database (no
 * process can be using it as one).
 */
static int take_exclusive(const char *path, sqlite3 **out, struct lc_diag *d)
{
	*out = NULL;
	sqlite3 *h = NULL;
	int err = 0;
	int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		lc_diag_addf(d, NULL, 0, 0, "restore", "err_backup_open", LC_ARG_S("path", path),
		             LC_ARG_S("reason", h ? sqlite3_errmsg(h) : sqlite3_errstr(rc)));
		err = LC_EIO;
		goto out;
	}
	sqlite3_busy_timeout(h, LC_LIMIT_RESTORE_LOCK_MS);
	rc = sqlite3_exec(h, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, "BEGIN EXCLUSIVE", NULL, NULL, NULL);
	if ((rc & 0xff) == SQLITE_NOTADB)
		goto out;
	if (rc != SQLITE_OK) {
		err = map_sqlite(rc) ? map_sqlite(rc) : LC_EDB;
		if (err == LC_EBUSY)
			lc_diag_addf(d, NULL, 0, 0, "restore", "err_backup_in_use",
			             LC_ARG_S("path", path));
		else
			lc_diag_addf(d, NULL, 0, 0, "restore", "err_backup_lock",
			             LC_ARG_S("path", path), LC_ARG_S("reason", sqlite3_errmsg(h)));
		goto out;
	}
	*out = h;
	h = NULL;
out:
	if (h)
		sqlite3_close(h);
	return err;
}

static void release_exclusive(sqlite3 *h)
{
	if (!h)
		return;
	sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(h);
}

int lc_backup_restore(const char *file, const char *db_path, bool force,
                      struct lc_backup_info *info, struct lc_diag *d)
{
	const char *F = "restore";
	sqlite3 *src = NULL, *lock = NULL;
	struct tmp t = {.fd = -1};
	struct stat fs, ts;
	int err = 0;
	if (stat(file, &fs) != 0) {
		lc_diag_addf(d, NULL, 0, 0, F, "err_backup_no_file", LC_ARG_S("path", file));
		return errno == ENOENT ? LC_ENOTFOUND : LC_EIO;
	}
	bool sqlite = false;
	err = S_ISREG(fs.st_mode) ? is_sqlite_file(file, &sqlite) : 0;
	if (err || !sqlite) {
		lc_diag_addf(d, NULL, 0, 0, F, "err_backup_not_sqlite", LC_ARG_S("path", file));
		return err ? err : LC_EINVAL;
	}
	/* The target: the database and the files SQLite keeps beside it. */
	bool db_exists = false, live = false, wal = false;
	err = exists(db_path, &db_exists, &ts);
	for (size_t i = 0; !err && i < N_COMPANIONS; i++) {
		char p[LC_LIMIT_PATH_BYTES];
		bool e = false;
		err = join(p, sizeof p, db_path, companions[i]);
		if (!err)
			err = exists(p, &e, NULL);
		live = live || e;
		wal = wal || (e && i == 0);
	}
	if (err) {
		lc_diag_addf(d, NULL, 0, 0, F, "err_backup_look", LC_ARG_S("path", db_path));
		return err;
	}
	live = live || db_exists;
	if (db_exists && ts.st_dev == fs.st_dev && ts.st_ino == fs.st_ino) {
		lc_diag_addf(d, NULL, 0, 0, F, "err_backup_is_db", LC_ARG_S("path", file));
		return LC_EINVAL;
	}
	if (live && !force) {
		if (wal)
			lc_diag_addf(d, NULL, 0, 0, F, "err_backup_db_exists_wal",
			             LC_ARG_S("path", db_path));
		else
			lc_diag_addf(d, NULL, 0, 0, F, "err_backup_db_exists",
			             LC_ARG_S("path", db_path));
		return LC_ECONFLICT;
	}

	err = tmp_create(&t, db_path, ".restore-XXXXXX", F, d);
	if (err)
		goto out;
	err = open_source(file, F, &src, d);
	if (err)
		goto out;
	err = copy_into(src, t.path, file, F, d);
	sqlite3_close(src);
	src = NULL;
	if (err)
		goto out;
	if (db_exists && S_ISREG(ts.st_mode) && fchmod(t.fd, ts.st_mode & 07777) != 0)
		lc_log_warn("restore: cannot give %s the mode of %s: %s", t.path, db_path,
		            strerror(errno));
	if (fsync(t.fd) != 0) {
		lc_diag_addf(d, NULL, 0, 0, F, "err_backup_write_beside", LC_ARG_S("path", db_path),
		             LC_ARG_S("reason", strerror(errno)));
		err = LC_EIO;
		goto out;
	}
	err = verify(t.path, file, false, F, info, d);
	if (err)
		goto out;

	if (db_exists && S_ISREG(ts.st_mode)) {
		err = take_exclusive(db_path, &lock, d);
		if (err)
			goto out;
	}
	/*
	 * Under the lock nobody uses the old -wal and -shm (the database is out
	 * of WAL mode); a stale -wal left beside the new file would be read into
	 * it as if it were its own.
	 */
	for (size_t i = 0; i < N_COMPANIONS; i++) {
		char p[LC_LIMIT_PATH_BYTES];
		if (join(p, sizeof p, db_path, companions[i]) == 0 && unlink(p) != 0 &&
		    errno != ENOENT) {
			lc_diag_addf(d, NULL, 0, 0, F, "err_backup_remove", LC_ARG_S("path", p),
			             LC_ARG_S("reason", strerror(errno)));
			err = LC_EIO;
			goto out;
		}
	}
	if (rename(t.path, db_path) != 0) {
		lc_diag_addf(d, NULL, 0, 0, F, "err_backup_rename", LC_ARG_S("path", db_path),
		             LC_ARG_S("reason", strerror(errno)));
		err = LC_EIO;
		goto out;
	}
	t.path[0] = '\0';
	if (fsync_folder(db_path)) {
		lc_diag_addf(d, NULL, 0, 0, F, "err_backup_sync", LC_ARG_S("path", db_path));
		err = LC_EIO;
	}
out:
	release_exclusive(lock);
	sqlite3_close(src);
	tmp_discard(&t);
	return err;
}

/* ---- the folder of scheduled backups ------------------------------------ */

void lc_backup_name(int64_t t, char out[LC_BACKUP_NAME_BYTES])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) ||
	    strftime(out, LC_BACKUP_NAME_BYTES, "learncity-%Y%m%dT%H%M%SZ.db", &tm) == 0)
		snprintf(out, LC_BACKUP_NAME_BYTES, "learncity-invalid.db");
}

/* The decimal number of the n digits at s, or -1 when one is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int64_t lc_backup_name_time(const char *name)
{
	/* learncity-YYYYMMDDTHHMMSSZ.db */
	static const char pre[] = "learncity-";
	size_t plen = sizeof pre - 1;
	if (strlen(name) != plen + 19 || strncmp(name, pre, plen) != 0)
		return -1;
	const char *s = name + plen;
	if (s[8] != 'T' || strcmp(s + 15, "Z.db") != 0)
		return -1;
	int y = digits(s, 4), mo = digits(s + 4, 2), dd = digits(s + 6, 2);
	int h = digits(s + 9, 2), mi = digits(s + 11, 2), se = digits(s + 13, 2);
	if (y < 1970 || mo < 1 || mo > 12 || dd < 1 || dd > 31 || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || se < 0 || se > 59)
		return -1;
	struct tm tm = {.tm_year = y - 1900,
	                .tm_mon = mo - 1,
	                .tm_mday = dd,
	                .tm_hour = h,
	                .tm_min = mi,
	                .tm_sec = se};
	time_t t = timegm(&tm);
	if (t < 0)
		return -1;
	/* A day that does not exist (February 30) comes back as another name. */
	char again[LC_BACKUP_NAME_BYTES];
	lc_backup_name((int64_t)t, again);
	return strcmp(again, name) == 0 ? (int64_t)t : -1;
}

/* The times of the scheduled backups in dir; caller frees *times with lc_free. */
static int list_backups(const char *dir, int64_t **times, size_t *n)
{
	*times = NULL;
	*n = 0;
	DIR *dh = opendir(dir);
	if (!dh)
		return LC_EIO;
	size_t cap = 0;
	int err = 0;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(dh)) != NULL) {
		int64_t t = lc_backup_name_time(e->d_name);
		if (t < 0)
			continue;
		if (*n == LC_LIMIT_BACKUP_FILES) {
			err = LC_ELIMIT;
			break;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			*times = lc_xreallocarray(*times, cap, sizeof **times);
		}
		(*times)[(*n)++] = t;
	}
	if (!err && errno != 0)
		err = LC_EIO;
	closedir(dh);
	if (err) {
		lc_free(*times);
		*times = NULL;
		*n = 0;
	}
	return err;
}

int lc_backup_newest(const char *dir, int64_t *t)
{
	*t = 0;
	int64_t *times;
	size_t n;
	int err = list_backups(dir, &times, &n);
	for (size_t i = 0; i < n; i++)
		if (times[i] > *t)
			*t = times[i];
	lc_free(times);
	return err;
}

static int newest_first(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x < y) - (x > y);
}

int lc_backup_prune(const char *dir, long keep, size_t *removed)
{
	*removed = 0;
	if (keep < 1)
		return LC_EINVAL;
	int64_t *times;
	size_t n;
	int err = list_backups(dir, &times, &n);
	if (err)
		return err;
	qsort(times, n, sizeof *times, newest_first);
	for (size_t i = (size_t)keep; i < n; i++) {
		char name[LC_BACKUP_NAME_BYTES], p[LC_LIMIT_PATH_BYTES];
		lc_backup_name(times[i], name);
		if (snprintf(p, sizeof p, "%s/%s", dir, name) >= (int)sizeof p) {
			err = LC_ELIMIT;
			continue;
		}
		if (unlink(p) != 0) {
			lc_log_warn("backup: cannot remove %s: %s", p, strerror(errno));
			err = LC_EIO;
			continue;
		}
		(*removed)++;
	}
	lc_free(times);
	return err;
}

int lc_backup_take(const char *db_path, const char *dir, int64_t now, long keep, char *written,
                   size_t size, size_t *removed, struct lc_diag *d)
{
	char name[LC_BACKUP_NAME_BYTES], p[LC_LIMIT_PATH_BYTES];
	*removed = 0;
	lc_backup_name(now, name);
	if (snprintf(p, sizeof p, "%s/%s", dir, name) >= (int)sizeof p) {
		lc_diag_addf(d, NULL, 0, 0, "backup", "err_backup_path_long",
		             LC_ARG_S("path", dir));
		return LC_ELIMIT;
	}
	/* Two backups in the same second hold the same data: the later replaces the earlier. */
	int err = lc_backup_write(db_path, p, true, NULL, d);
	if (err)
		return err;
	if (written)
		snprintf(written, size, "%s", p);
	int perr = lc_backup_prune(dir, keep, removed);
	if (perr)
		lc_log_warn("backup: pruning %s: %s", dir, lc_strerror(perr));
	return 0;
}
