/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What monitoring_view.c (a city's profile) and monitoring_network.c (the
 * network dashboard) share and no other module includes.
 */
#ifndef LC_MONITORING_VIEW_INTERNAL_H
#define LC_MONITORING_VIEW_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lc_db;

/* Sort context of rank_areas: qsort has none, so the key is in the pair. */
struct lc_monview_keyed {
	double key;
	size_t i;
};

/* v, or JSON null when v is NULL (for json_pack's "o", which takes ownership). */
json_t *lc_monview_or_null(json_t *v);
/* v, or JSON false when v is NULL. */
json_t *lc_monview_or_false(json_t *v);
/* s, or "" when s is NULL. */
const char *lc_monview_str_or(const char *s);
/* The finite number at key of o in *out; false when there is none. */
bool lc_monview_num_of(const json_t *o, const char *key, double *out);
/* x rounded to one decimal, as the pages show it. */
double lc_monview_round1(double x);
/* qsort order of struct lc_monview_keyed: the greatest key first. */
int lc_monview_by_key_desc(const void *a, const void *b);
/* Whether code is an area's (level 2: "1.1"). */
bool lc_monview_is_area(const json_t *code);
/*
 * Region, population and region name of every city, keyed by slug:
 * {"cork": [region|null, pop|null, region name|null]}. 0 or LC_EDB.
 */
int lc_monview_city_facts(struct lc_db *db, const char *lang, json_t **out);

/*
 * Names the areas of codes (an index run's "codes" list, whose names are
 * stored empty: a run is computed from codes, not from titles) with the
 * titles of the framework version that run was computed with, in lang (else
 * English), or of the current version when run is 0 or has none. A code the
 * version does not hold keeps its name. 0 or LC_EDB.
 */
int lc_monview_name_areas(struct lc_db *db, const char *lang, int64_t run, json_t *codes);

#endif
