/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What score.c (computing and storing runs) and score_read.c (reading them
 * back) share and no other module includes.
 */
#ifndef LC_SCORE_INTERNAL_H
#define LC_SCORE_INTERNAL_H

/* A Unix time column as ISO 8601 UTC text, in SQL. */
#define LC_SCORE_ISO(col) "strftime('%Y-%m-%dT%H:%M:%SZ', " col ", 'unixepoch')"

/* A copy of s (caller frees with lc_free), or NULL when s is NULL. */
char *lc_score_dup_or_null(const char *s);

#endif
