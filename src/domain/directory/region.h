/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The five UNESCO regions that group the network's members (fixed reference
 * data created by migration 0001). Read side only.
 */
#ifndef LC_REGION_H
#define LC_REGION_H

#include <stdbool.h>

#include <jansson.h>

struct lc_db;

/*
 * The regions in their customary order, for filter dropdowns:
 *   [{"code": "AFR", "name": "Africa", "cities": 7, "provenance": "verified"}, ...]
 * codes AFR (Africa), ARB (Arab States), APA (Asia and the Pacific), EUR
 * (Europe and North America), LAC (Latin America and the Caribbean); name in
 * lang with fallback to English; cities counts the directory's cities.
 * Caller owns *out (json_decref). 0 or LC_EDB.
 */
int lc_region_list(struct lc_db *db, const char *lang, json_t **out);

/* True when code is one of the five region codes (no database access). */
bool lc_region_code_ok(const char *code);

#endif
