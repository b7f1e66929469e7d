/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Calls for membership applications (calls table): a year, a title, a
 * window of dates (UTC, both inclusive) in which applications may be
 * submitted, and the cap of applications one National Commission may
 * endorse in the call (3 unless the secretariat says otherwise). The
 * secretariat opens and edits calls (LC_ACT_MANAGE_CALLS); everyone with an
 * account may read them. This module owns the table; it does not know
 * applications (domain/workflow/application.h enforces the window and the cap).
 */
#ifndef LC_CALL_H
#define LC_CALL_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct lc_actor;
struct lc_db;
struct lc_diag;

#define LC_CALL_DEFAULT_CAP 3

struct lc_call {
	int64_t id;      /* 0 for a new call */
	long year;       /* 1900..2999, one call per year */
	char title[201]; /* 1..200 bytes of text */
	char opens[11];  /* "YYYY-MM-DD" */
	char closes[11]; /* "YYYY-MM-DD", not before opens */
	long cap;        /* 1..LC_LIMIT_CALL_CAP; 0 means LC_CALL_DEFAULT_CAP */
};

/*
 * Creates (in->id 0) or updates (in->id set) a call. Requires
 * LC_ACT_MANAGE_CALLS. Problems go to d by field ("year", "title",
 * "opens", "closes", "cap"). Audit "call.create" / "call.update" with
 * before and after. 0 with *id set (may be NULL); LC_EINVAL (see d),
 * LC_ECONFLICT (a call of that year exists; also in d), LC_ENOTFOUND,
 * LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_call_save(struct lc_db *db, const struct lc_actor *actor, const struct lc_call *in,
                 struct lc_diag *d, int64_t *id);

/* Loads a call. 0, LC_ENOTFOUND, LC_EDB. */
int lc_call_get(struct lc_db *db, int64_t id, struct lc_call *out);

/* True when today (UTC, at Unix time now) is within the call's window. */
bool lc_call_is_open(const struct lc_call *c, int64_t now);

/*
 * Every call, newest year first, for pages and the API:
 * {"calls": [{"id", "year", "title", "opens", "closes", "cap", "open": bool}]}
 * With open_only, only the calls open now. Caller owns *out. 0 or LC_EDB.
 */
int lc_call_list(struct lc_db *db, bool open_only, json_t **out);

/* One call as JSON (the shape of a list entry); NULL only when out of memory. */
json_t *lc_call_json(const struct lc_call *c);

/*
 * The demonstration's call: 2026, open 2026-09-01 to 2026-12-31, cap 3,
 * so that the demo (and the tests, whose clock stands in September 2026)
 * can apply. Inside the caller's transaction; no audit. 0 or LC_EDB.
 */
int lc_call_demo(struct lc_db *db);

#endif
