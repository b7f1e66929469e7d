/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Backups and restore of a learncity database with SQLite's online backup
 * API, and the folder of scheduled backups (names stamped with UTC time, the
 * newest N kept).
 *
 * A backup is taken in one read transaction of the source, which in WAL mode
 * never blocks the server's writers and sees one committed state: every
 * transaction committed before it began is in the copy. Every file this
 * module writes is written to a temporary name beside its target, checked
 * with PRAGMA integrity_check, fsynced and renamed, so a reader of the
 * target name sees the old file or the whole new one, never a part. Files
 * are created with mode 0600: a backup holds password hashes.
 *
 * It knows no table but schema_migrations. Problems a user must read go into
 * a struct lc_diag (field "backup", "restore", "integrity" or "migration").
 */
#ifndef LC_BACKUP_H
#define LC_BACKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lc_diag;

/* What a backup or a restored file holds. */
struct lc_backup_info {
	int schema;    /* the highest applied migration */
	int64_t bytes; /* size of the file */
};

/*
 * Copies the database at db_path (only read: never migrated) into
 * out_path: a temporary file beside it, the backup, journal mode DELETE so
 * that the copy is one self-contained file, integrity_check, fsync, rename,
 * fsync of the folder. An existing out_path is refused unless overwrite.
 * info may be NULL. Errors: LC_ENOTFOUND (no database at db_path),
 * LC_ECONFLICT (out_path exists), LC_EBUSY (the source stayed locked for
 * LC_LIMIT_BACKUP_BUSY_MS), LC_EINVAL (out_path is the database itself, or
 * the copy fails integrity_check: the source is damaged), LC_EIO, LC_EDB; each with
 * an entry in d. Nothing is left at out_path or beside it on failure.
 */
int lc_backup_write(const char *db_path, const char *out_path, bool overwrite,
                    struct lc_backup_info *info, struct lc_diag *d);

/*
 * Checks that path is a learncity database this binary can use: a SQLite
 * file (by its header), passing integrity_check, with a migration level
 * from 1 to lc_db_schema_version_embedded() (an older one is fine: the
 * pending migrations apply when the server opens it). Opens it read-only.
 * 0 when it is, LC_ENOTFOUND, LC_EINVAL with the problems in d, or LC_EDB.
 */
int lc_backup_verify(const char *path, struct lc_backup_info *info, struct lc_diag *d);

/*
 * Replaces the database at db_path with the backup file: copies it to a
 * temporary file beside db_path, verifies the copy (lc_backup_verify), then
 * takes exclusive use of the live database (switching it out of WAL mode,
 * which SQLite refuses while another connection has it open, then an
 * exclusive lock), removes its -wal and -shm under that lock, renames the
 * copy over it and fsyncs the folder. A database (or a -wal, -shm or
 * -journal of one) at db_path is refused unless force; a database another
 * process holds open (a running server) is refused even with force.
 * Errors: LC_ENOTFOUND (no file), LC_EINVAL (not a usable learncity
 * database, with the problems in d, or db_path is the file itself),
 * LC_ECONFLICT (db_path exists without force), LC_EBUSY (in use), LC_EIO,
 * LC_EDB. On any
 * error db_path is left as it was.
 */
int lc_backup_restore(const char *file, const char *db_path, bool force,
                      struct lc_backup_info *info, struct lc_diag *d);

/*
 * The name of a scheduled backup taken at Unix time t:
 * "learncity-20260101T030000Z.db" (UTC; names sort as times do). out holds
 * LC_BACKUP_NAME_BYTES.
 */
#define LC_BACKUP_NAME_BYTES 32
void lc_backup_name(int64_t t, char out[LC_BACKUP_NAME_BYTES]);
/* The time stamped in a scheduled backup's name, or -1 when name is not exactly one. */
int64_t lc_backup_name_time(const char *name);

/*
 * The time of the newest scheduled backup in dir (0 when there is none).
 * Other files are ignored. 0, LC_EIO (dir cannot be read) or LC_ELIMIT.
 */
int lc_backup_newest(const char *dir, int64_t *t);

/*
 * Deletes the scheduled backups of dir but the newest keep (keep >= 1);
 * never touches a file whose name is not exactly a backup's. *removed gets
 * the number deleted. 0, LC_EIO or LC_ELIMIT.
 */
int lc_backup_prune(const char *dir, long keep, size_t *removed);

/*
 * One scheduled backup: lc_backup_write of db_path into dir under
 * lc_backup_name(now), then lc_backup_prune(dir, keep). The file's path
 * goes to written (size bytes) when given. Errors as lc_backup_write; a
 * failed prune after a good backup is logged, not an error.
 */
int lc_backup_take(const char *db_path, const char *dir, int64_t now, long keep, char *written,
                   size_t size, size_t *removed, struct lc_diag *d);

#endif
