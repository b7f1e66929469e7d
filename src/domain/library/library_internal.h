/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What library.c (writing, curation) and library_read.c (reading, search) share. */
#ifndef LC_LIBRARY_INTERNAL_H
#define LC_LIBRARY_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct lc_db;

/* The facts of a case as stored in lib_cases and wf_items. */
struct lib_case {
	int64_t id;
	int64_t city_id;
	char state[32];
	long published; /* 0: never published */
	long latest;    /* the highest version */
	bool withdrawn;
};

/* Loads case id: 0, LC_ENOTFOUND, LC_EDB. */
int lib_case_load(struct lc_db *db, int64_t id, struct lib_case *c);

/* The version's meta and texts as the case's JSON members (caller owns *out). 0 or LC_EDB. */
int lib_version_json(struct lc_db *db, int64_t id, long n, json_t **out);

/* Writes the published version n of case id into lib_facets and lib_fts_*
 * (after removing what they held of it); n 0 only removes. 0 or LC_EDB. */
int lib_index(struct lc_db *db, int64_t id, long n);

/* The number of words of UTF-8 text; a CJK character counts as half a word. */
long lib_words(const char *s);

#endif
