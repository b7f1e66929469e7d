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

/* The problems of a version's meta object (the members of lib_versions.meta): unknown
 * members, types, vocabularies, byte limits. Fields are the member names. 0 or LC_EDB. */
int lib_check_meta(struct lc_db *db, const json_t *meta, struct lc_diag *d);

/* The problems of one language's text {section: text} (a title needed, byte limits). */
void lib_check_text(const char *lang, const json_t *text, struct lc_diag *d);

/* The checks before submission on a version as the case's JSON ("original", "texts" and the
 * meta members): required sections, word limits, areas and SDGs with primaries, alt text.
 * Fields are section names (with the argument "lang") or member names. */
void lib_check_submission(const json_t *v, struct lc_diag *d);

/* The number of words of UTF-8 text; a CJK character counts as half a word. */
long lib_words(const char *s);

#endif
