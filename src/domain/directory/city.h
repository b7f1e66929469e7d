/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The public directory of cities: search, filter, sort and page the list,
 * and one city's page (names, country, region, membership history, awards,
 * conferences hosted). Read side only; writes come with the membership
 * workflow later. Both calls run on every page view: each is a handful of
 * indexed prepared statements.
 *
 * A city's "status" is its current membership status: the status of its
 * membership row whose "to" date is empty, or null when it has none.
 */
#ifndef LC_CITY_H
#define LC_CITY_H

#include <stdbool.h>

#include <jansson.h>

struct lc_db;

enum lc_city_sort {
	LC_CITY_SORT_NAME = 0,   /* folded name in the requested language */
	LC_CITY_SORT_COUNTRY,    /* country name, then city name */
	LC_CITY_SORT_REGION,     /* region order (AFR, ARB, APA, EUR, LAC), then country, name */
	LC_CITY_SORT_AWARD_YEAR, /* ascending: earliest award; descending: latest award;
	                            cities without an award come last either way; then name */
};

/* The membership statuses, in the order pages list them. */
#define LC_CITY_STATUSES "member", "applicant", "lapsed", "suspended", "withdrawn"

struct lc_city_query {
	const char *lang;    /* language of names; NULL or unknown means "en" */
	const char *q;       /* search text (<= LC_LIMIT_SEARCH_BYTES) or NULL/"" for all */
	const char *region;  /* region code ("EUR") or NULL */
	const char *country; /* ISO alpha-2 ("IE", any case) or NULL */
	long award_year;     /* cities awarded that year, or 0 for any */
	const char *status;  /* one of LC_CITY_STATUSES or NULL */
	enum lc_city_sort sort;
	bool desc;
	long page;     /* 1-based; 0 means 1 */
	long per_page; /* 1..LC_LIMIT_PER_PAGE; 0 means LC_DEFAULT_PER_PAGE */
};

/*
 * Parses a sort parameter: "name", "country", "region", "award_year", each
 * optionally prefixed with '-' for descending. NULL or "" gives name
 * ascending. 0 or LC_EINVAL.
 */
int lc_city_sort_parse(const char *s, enum lc_city_sort *sort, bool *desc);
/* The parameter spelling of a sort ("-award_year"); static string. */
const char *lc_city_sort_name(enum lc_city_sort sort, bool desc);
/* True when s is one of LC_CITY_STATUSES. */
bool lc_city_status_ok(const char *s);

/*
 * The page of cities matching q:
 * {
 *   "items": [{"slug": "medellin", "name": "Medellín",
 *              "country": {"code": "CO", "name": "Colombia"},
 *              "region": {"code": "LAC", "name": "Latin America and the Caribbean"} | null,
 *              "status": "member" | ... | null,
 *              "award_years": [2019]}, ...],
 *   "total": 57, "page": 1, "per_page": 20, "pages": 3,
 *   "filters": {"q": "..." | null, "region": "LAC" | null, "country": "CO" | null,
 *               "award_year": 2019 | null, "status": "member" | null,
 *               "sort": "name" | "-name" | "country" | ..., "lang": "en"}
 * }
 * Search: the folded q (see lc_text_fold) is a substring of the folded names
 * of the city in any language ("medellin" finds Medellín, "sonder" finds
 * Sønderborg). A page past the last gives no items with the right totals;
 * "pages" is 0 when nothing matches.
 * Errors: LC_EINVAL (negative page, per_page out of bounds, malformed region
 * or country code, unknown status, award_year outside 1900..2999),
 * LC_ELIMIT (q too long), LC_EDB. Caller owns *out.
 */
int lc_city_list(struct lc_db *db, const struct lc_city_query *q, json_t **out);

/*
 * Every city matching q's filters (its page and per_page are ignored), in
 * q's order, with what a map needs:
 * [{"slug": "cork", "name": "Cork", "country": {"code": "IE", "name":
 *   "Ireland", "numeric": 372}, "latitude": 51.9 | null, "longitude": -8.5 |
 *   null}, ...]. Same errors as lc_city_list; caller owns *out.
 */
int lc_city_places(struct lc_db *db, const struct lc_city_query *q, json_t **out);

/*
 * One city:
 * {
 *   "slug": "cork", "name": "Cork", "names": {"en": "Cork", "fr": "Cork"},
 *   "kind": "city" | "district" | "county" | "consortium" | null,
 *   "country": {"code": "IE", "name": "Ireland"},
 *   "region": {"code": "EUR", "name": "...", "provenance": "verified"} | null,
 *   "status": "member" | null,
 *   "population": 210000 | null, "population_year": 2022 | null,
 *   "area_km2": 187.0 | null, "latitude": 51.9 | null, "longitude": -8.47 | null,
 *   "provenance": "verified" | "secondary" | "provisional",
 *   "membership": [{"status": "member", "from": "2015-01-01" | null, "to": null,
 *                   "known_by": "2015-09-30" | null, "reason": null | "...",
 *                   "source": "...", "provenance": "verified"}, ...]   (oldest first),
 *   "awards": [{"year": 2015, "conference_number": 2 | null,
 *               "host_city": {"slug": "mexico-city", "name": "Mexico City"} | null,
 *               "provenance": "verified"}, ...]   (by year),
 *   "conferences_hosted": [{"number": 3, "year": 2017, "title": "Global goals, local actions",
 *                           "start_date": "2017-09-18", "end_date": "2017-09-20"}, ...]
 * }
 * "known_by" is a date by which the status is known to have held, when the
 * start date is unknown (an award winner was a member at its award).
 * Errors: LC_ENOTFOUND (no such slug, or a malformed one), LC_EDB. Caller owns *out.
 */
int lc_city_get(struct lc_db *db, const char *slug, const char *lang, json_t **out);

struct lc_actor;

/* What lc_city_create records: a city as an approved application describes it. */
struct lc_city_new {
	const char *name;     /* English name, 1..LC_LIMIT_NAME_BYTES bytes */
	const char *country;  /* alpha-2, any case; must exist */
	long population;      /* or 0 when unknown */
	long population_year; /* the year of the population, or 0 */
	double area_km2;      /* or 0 when unknown */
};

/*
 * Finds the city of that name in that country (by the folded name, so
 * "Saint-Étienne" finds "saint etienne"), or creates it: slug from the name
 * (with the country, then a number, appended when taken), the folded
 * search and sort keys (domain/platform/text.h), kind "city", provenance
 * "verified" (the secretariat checked the application). Requires
 * LC_ACT_DECIDE_MEMBERSHIP: cities join through the membership decision.
 * Audit "city.create" when it creates. Within the caller's transaction
 * when there is one. 0 with *id and *created (may be NULL) set; LC_EINVAL,
 * LC_ENOTFOUND (no such country), LC_EAUTH/LC_EPERM, LC_EDB.
 */
/*
 * The existing city that lc_city_create would find for this name and
 * country (the same folded-name rule), for warning about it before anyone
 * acts: *out = {"id", "slug", "name", "status": "member" | "suspended" |
 * "lapsed" | "withdrawn" | "applicant" | null (no current membership row)},
 * or NULL when there is none. Caller owns *out. 0, LC_EDB.
 */
int lc_city_match(struct lc_db *db, const char *name, const char *country, json_t **out);

int lc_city_create(struct lc_db *db, const struct lc_actor *actor, const struct lc_city_new *in,
                   int64_t *id, bool *created);

#endif
