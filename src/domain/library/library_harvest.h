/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What the library hands to those who harvest it rather than read it: the
 * published cases (and the tombstones of withdrawn ones) in the order of
 * their ids or of their datestamps, filtered by date, region and Key
 * Features area, for the OAI-PMH repository, the Atom feed and the sitemap
 * (web/routes/library_feeds.c), and the names of the vocabularies those
 * formats print. A case never published is never listed: only
 * lib_cases.published versions are read.
 */
#ifndef LC_LIBRARY_HARVEST_H
#define LC_LIBRARY_HARVEST_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct lc_db;

/* A harvest (all members optional but limit). */
struct lc_library_harvest {
	int64_t from;       /* datestamps from this second (inclusive); 0: no bound */
	int64_t until;      /* datestamps to this second (inclusive); 0: no bound */
	const char *region; /* a region code ("AFR"), or NULL */
	const char *area;   /* a Key Features area code ("community"), or NULL */
	int64_t after;      /* only ids greater than this (paging by id) */
	long limit;         /* at most this many items (1 .. LC_LIMIT_LIBRARY_HARVEST) */
	bool deleted;       /* withdrawn cases too, as tombstones */
	bool newest_first;  /* by datestamp, newest first (feeds); else by id */
	bool records;       /* each item carries "case": the case as the public reads it */
	const char *lang;   /* names of the city and country in "case" */
};

/*
 * The cases of the harvest:
 * {"items": [{"id": 12, "datestamp": 1735689600, "deleted": false,
 *             "region": "EUR", "areas": ["community"], "langs": ["en", "fr"],
 *             "case": {...lc_library_get...}}],
 *  "total": 40}
 * The datestamp of a published case is the publication of the version the
 * public reads; of a withdrawn one, its withdrawal. total counts every case
 * of the harvest, whatever after and limit say. Caller owns *out.
 * 0, LC_EINVAL (limit out of range), LC_EDB.
 */
int lc_library_harvest(struct lc_db *db, const struct lc_library_harvest *h, json_t **out);

/*
 * The names in lang (English when there is none) of the regions, the Key
 * Features areas and the SDGs:
 * {"region": {"AFR": "Africa"}, "area": {"community": "..."}, "sdg": {"4": "..."}},
 * each also listing its codes in order under "<kind>_order". Caller owns *out. 0 or LC_EDB.
 */
int lc_library_harvest_vocab(struct lc_db *db, const char *lang, json_t **out);

/* The earliest datestamp of any harvestable case in *t (0 when there is none). 0 or LC_EDB. */
int lc_library_earliest(struct lc_db *db, int64_t *t);

#endif
