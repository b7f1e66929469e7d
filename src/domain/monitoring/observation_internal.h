/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What observation.c and observation_local.c share and no other module
 * includes: the helpers that both the values and the self-assessment write
 * with.
 */
#ifndef LC_OBSERVATION_INTERNAL_H
#define LC_OBSERVATION_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/monitoring/year_review.h"
#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

struct lc_actor;
struct lc_db;

/* Marks one version (?1) no longer current, before its successor is inserted. */
#define LC_OBS_SQL_SUPERSEDE "UPDATE observations SET is_current = 0 WHERE id = ?1"

/* This year by the domain's clock (UTC). */
long lc_obs_current_year(void);
/* Checks a free text (UTF-8, length); 0, or LC_EINVAL with a problem in d at file, line, col,
 * field. */
int lc_obs_check_text(struct lc_slice s, const char *file, long line, long col, const char *field,
                      struct lc_diag *d);
/* Whether column i of st holds exactly the bytes of s. */
bool lc_obs_col_eq(sqlite3_stmt *st, int i, struct lc_slice s);
/* Binds s as text borrowed until the statement is reset (SQLITE_STATIC). */
void lc_obs_bind_slice(sqlite3_stmt *st, int i, struct lc_slice s);
/* Binds the actor as author: its account id (or NULL) and e-mail. */
void lc_obs_bind_author(sqlite3_stmt *st, int id_col, int email_col, const struct lc_actor *actor);
/* Can this actor change values of a year in status s? Sets why on refusal. */
bool lc_obs_status_allows(const struct lc_actor *actor, enum lc_year_review_state s,
                          const char **why);
/* The id of the city slug: 0, LC_ENOTFOUND or LC_EDB. */
int lc_obs_find_city(struct lc_db *db, const char *slug, int64_t *id);

#endif
