/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The UNESCO Learning City Award: rounds (year, conference where it was
 * conferred, eligibility and selection rules) and their awardees. Read side.
 */
#ifndef LC_AWARD_H
#define LC_AWARD_H

#include <jansson.h>

struct lc_db;

/*
 * Every round with a result, newest first: the past rounds, and a round run in
 * learncity (award_round.h) once it has awardees:
 * [{"year": 2024, "conference_number": 6 | null,
 *   "host_city": {"slug": "jubail-industrial-city", "name": "...",
 *                 "country": {"code": "SA", "name": "Saudi Arabia"}} | null,
 *   "date": "2024-12-05" | null          (the conference's last day),
 *   "eligibility": "..." | null, "selection": "..." | null, "criteria": "..." | null,
 *   "rules_provenance": "secondary" | null   (of eligibility, selection and criteria),
 *   "provenance": "secondary"                (of the list of awardees),
 *   "count": 10,
 *   "awardees": [{"slug": "bouake", "name": "Bouaké",
 *                 "country": {"code": "CI", "name": "..."},
 *                 "region": {"code": "AFR", "name": "Africa"} | null,
 *                 "provenance": "secondary"}, ...]   (by country name, then city name)
 *  }, ...]
 * Caller owns *out. 0 or LC_EDB.
 */
int lc_award_list(struct lc_db *db, const char *lang, json_t **out);

/* One round, same shape as an item above. LC_ENOTFOUND, LC_EDB. Caller owns *out. */
int lc_award_round_get(struct lc_db *db, long year, const char *lang, json_t **out);

#endif
