/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The International Conferences on Learning Cities (ICLC). Read side.
 */
#ifndef LC_CONFERENCE_H
#define LC_CONFERENCE_H

#include <jansson.h>

struct lc_db;

/*
 * Every conference, by number:
 * [{"number": 1, "year": 2013, "start_date": "2013-10-21", "end_date": "2013-10-23",
 *   "host": {"slug": "beijing", "name": "Beijing", "country": {"code": "CN", "name": "China"}},
 *   "mode": "in_person" | "hybrid" | null,
 *   "theme": "...", "outcome": "..." | null, "participation": "..." | null,
 *   "award_year": 2015 | null          (the award round conferred there),
 *   "provenance": "verified"}, ...]
 * Texts in lang with fallback to English. Caller owns *out. 0 or LC_EDB.
 */
int lc_conference_list(struct lc_db *db, const char *lang, json_t **out);

/* One conference by number, same shape. LC_ENOTFOUND, LC_EDB. Caller owns *out. */
int lc_conference_get(struct lc_db *db, long number, const char *lang, json_t **out);

#endif
