/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The network at a glance for the home page and /api/v1/network: what our
 * directory holds, the published membership figures (a dated series, kept
 * apart because the directory holds only part of the network), the latest
 * award round and the conferences.
 */
#ifndef LC_NETWORK_H
#define LC_NETWORK_H

#include <jansson.h>

struct lc_db;

/*
 * {
 *  "directory": {"cities": 58, "members": 57, "countries": 31, "regions": 5,
 *                "without_region": 0,
 *                "per_region": [{"code": "AFR", "name": "Africa", "cities": 7,
 *                                "members": 7, "countries": 5}, ...]},
 *  "published": [{"as_of": "2016", "members": 115, "countries": 28 | null,
 *                 "source": "...", "provenance": "secondary"}, ...]   (oldest first),
 *  "published_latest": {same shape} | null,
 *  "latest_award": {as an item of lc_award_list} | null,
 *  "conferences": [items of lc_conference_list, by number],
 *  "last_conference": {same shape as a conferences item} | null,
 *  "next_conference": {same shape} | null,
 *  "upcoming_event": {lc_conf_event_json of the soonest conference run here
 *                     that has not ended} | null
 * }
 * "directory.members" counts cities whose current status is "member";
 * "without_region" counts cities whose country has no known UNESCO region.
 * as_of dates are "YYYY", "YYYY-MM" or "YYYY-MM-DD" (the precision published).
 * Last/next are relative to today (UTC). Caller owns *out. 0 or LC_EDB.
 */
int lc_network_summary(struct lc_db *db, const char *lang, json_t **out);
/* As lc_network_summary with "today" given as "YYYY-MM-DD" (for tests). */
int lc_network_summary_on(struct lc_db *db, const char *lang, const char *today, json_t **out);

#endif
