/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Error codes shared by every layer. Fallible functions return 0 or one of
 * these negative values; lc_strerror() gives a short English phrase for logs.
 * Messages meant for a user (a bad row, a bad field) go into a struct lc_diag.
 */
#ifndef LC_ERROR_H
#define LC_ERROR_H

enum {
	LC_OK = 0,
	LC_EINVAL = -1,    /* input is malformed or out of range */
	LC_ENOTFOUND = -2, /* the named object does not exist */
	LC_ELIMIT = -3,    /* a size or count exceeds a limit in base/limits.h */
	LC_EIO = -4,       /* a file or socket operation failed */
	LC_EDB = -5,       /* SQLite reported an error */
	LC_EPERM = -6,     /* the actor may not do this */
	LC_ECONFLICT = -7, /* the object changed or already exists */
	LC_EINTERNAL = -8, /* a bug or an unexpected library failure */
	LC_EAUTH = -9,     /* no or bad credentials */
	LC_EBUSY = -10,    /* throttled or locked; try again later */
};

/* A static, never-NULL phrase for an error code. */
const char *lc_strerror(int err);
/*
 * The catalogue key ("err_code_...") that says the same phrase in the
 * reader's language, for a diagnostic's reason argument (LC_ARG_K).
 */
const char *lc_error_key(int err);

#endif
