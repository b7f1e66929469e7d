/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Countries: ISO 3166-1 codes and names (English, French) from Debian's
 * iso-codes, with the UNESCO region where we know it and the provenance of
 * that region. Loaded from the embedded data/countries.csv by `init`.
 */
#ifndef LC_COUNTRY_H
#define LC_COUNTRY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct lc_db;
struct lc_diag;

/*
 * Countries sorted by their name in lang (accent-insensitive), for dropdowns:
 *   [{"code": "IE", "alpha3": "IRL", "numeric": 372, "name": "Ireland",
 *     "region": {"code": "EUR", "name": "Europe and North America"} or null,
 *     "region_provenance": "verified" | "secondary" | "provisional" | null,
 *     "cities": 3}, ...]
 * With with_cities_only, only countries that have at least one city in the
 * directory. Caller owns *out. 0 or LC_EDB.
 */
int lc_country_list(struct lc_db *db, const char *lang, bool with_cities_only, json_t **out);

/*
 * One country by alpha-2 code (upper case), same shape as a list item.
 * LC_ENOTFOUND, LC_EINVAL (malformed code) or LC_EDB.
 */
int lc_country_get(struct lc_db *db, const char *code, const char *lang, json_t **out);

/*
 * Loads countries from CSV text (header: alpha2,alpha3,numeric,name_en,name_fr,
 * region,region_provenance), inserting new codes and updating existing ones,
 * in one transaction. Bad rows go to d and abort the load (LC_EINVAL);
 * LC_EDB on a database error.
 */
int lc_country_load_csv(struct lc_db *db, const char *text, size_t len, struct lc_diag *d);

#endif
