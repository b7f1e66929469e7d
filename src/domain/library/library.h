/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The case-study library: cities write up what works, the secretariat
 * curates, everyone searches and cites.
 *
 * A case is an item of the workflow process "library" (its wf_items id is
 * its stable id) with numbered versions. Each version holds the structured
 * facts (one JSON object, below) and its text in one or more of the six
 * languages (ar, zh, en, fr, ru, es), one of them the original.
 *
 * Curation: draft -> submitted (the city's coordinator, after the checks)
 * -> changes_requested (a curator, with a comment: the thread is the
 * history's reasons) -> submitted ..., then published or declined (a
 * curator, with a reason). A published case may be withdrawn (reason
 * required) and keeps a tombstone. A city never publishes its own case: a
 * curator who coordinates the case's city is refused (the guard). Editing a
 * published case takes the step "revise" (published -> draft) and opens
 * version n+1; the public still reads the published version n until the
 * new one is published.
 *
 * Search reads lib_facets and lib_fts_<lang>, which hold published
 * versions only (written by the publish and withdraw effects): a draft is
 * never in a result, a count, a feed or an export.
 *
 * The case's JSON (lc_library_get; PUT and POST take the same members):
 * {"id": 12, "version": 2, "state": "published", "original": "fr",
 *  "city": {"slug", "name", "country", "country_name", "region"},
 *  "period": {"start": 2015, "end": 2020 | null},
 *  "areas": ["community", ...], "primary_area": "community",
 *  "sdgs": ["4", "5"], "primary_sdg": "4", "targets": ["4.6"],
 *  "target_groups": ["adults", ...], "settings": ["non_formal", ...],
 *  "partners": [{"name", "type", "role"}], "funding": ["..."],
 *  "reached": {"number": 1200, "year": 2019},
 *  "evidence": {"evaluation": "external", "indicators":
 *               [{"name", "baseline", "value", "year", "source"}]},
 *  "related": [{"kind": "case"|"nomination"|"report"|"session", "id": 7}],
 *  "images": [{"src": "...", "alt": {"en": "..."}, "credit", "licence"}],
 *  "documents": [{"src": "...", "lang", "title", "credit", "licence"}],
 *  "licence": "CC-BY-4.0", "featured": false,
 *  "texts": {"fr": {"title", "summary", "context", "objectives", "activities",
 *                   "outcomes", "challenges", "lessons", "sustainability",
 *                   "transferability", "keywords"}, "en": {...}},
 *  "published_versions": [1, 2], "published_at": "...Z" | null,
 *  "withdrawn": null | {"at": "...Z", "reason": "..."},
 *  "cite": "Ville, Pays (2025). Titre. learncity case study 12, version 2. CC BY 4.0."}
 * Those who may edit or curate see also "checks" (the problems listed
 * before submission, with codes) and "next" (the steps they may take).
 */
#ifndef LC_LIBRARY_H
#define LC_LIBRARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct lc_actor;
struct lc_db;
struct lc_diag;
struct lc_wf_process;

/* The process table "library", in the registry of domain/workflow/processes.h. */
extern const struct lc_wf_process lc_library_process;

/* The six languages of the library's text, in UN order; NULL-terminated. */
extern const char *const lc_library_langs[];
/* The sections of a text, title first; NULL-terminated. */
extern const char *const lc_library_sections[];

/*
 * Creates a draft: body needs "city" (a slug), "lang" (the original
 * language) and "title"; any other member of the case's JSON may follow.
 * Requires LC_ACT_WRITE_CASE on the city. 0 with *id; LC_EINVAL (every
 * problem in d), LC_EAUTH, LC_EPERM, LC_EDB. Nothing is written on error.
 */
int lc_library_create(struct lc_db *db, const struct lc_actor *actor, const json_t *body,
                      int64_t *id, struct lc_diag *d);

/*
 * Changes the case's working version with the members of patch (a member
 * replaces its value; "texts" merges per language and section, null
 * removing one; the original language cannot be removed). A published case
 * is revised first (a new version, copied from the published one). A case
 * submitted, declined or withdrawn cannot be edited: LC_ECONFLICT with the
 * sentence in d. Drafts may break the word limits (the checks say so);
 * they may not break the byte limits (LC_EINVAL). 0, LC_ENOTFOUND,
 * LC_EAUTH, LC_EPERM, LC_EINVAL, LC_ECONFLICT, LC_EDB.
 */
int lc_library_update(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                      const json_t *patch, struct lc_diag *d);

/*
 * Takes a step of the process (to: "submitted", "changes_requested",
 * "published", "declined", "withdrawn", "draft"), through lc_wf_take: the
 * checks guard "submitted" (LC_EINVAL with their problems in d), and a
 * curator of the case's own city is refused "published" (LC_EPERM).
 */
int lc_library_take(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *to,
                    const char *reason, struct lc_diag *d);

/* Sets or clears the "featured" label of a published case (curators). */
int lc_library_feature(struct lc_db *db, const struct lc_actor *actor, int64_t id, bool on);

/*
 * Deletes a case that was never published, with its versions (curators,
 * and the city's coordinators for a draft). Its workflow history stays.
 * 0, LC_ENOTFOUND, LC_EAUTH, LC_EPERM, LC_ECONFLICT (ever published: withdraw it), LC_EDB.
 */
int lc_library_delete(struct lc_db *db, const struct lc_actor *actor, int64_t id);

/*
 * The checks before submission of the case's working version, as entries
 * of d (field, code err_library_check_*): the original's title, summary,
 * context, objectives, activities and outcomes; the summary's and each
 * section's word limits in every language; at least one area and one SDG,
 * each with its primary among them; alt text on every image in the
 * original language. 0 (d may be empty), LC_ENOTFOUND, LC_EDB.
 */
int lc_library_checks(struct lc_db *db, int64_t id, struct lc_diag *d);

/*
 * The case as JSON (header comment), in version n (0: the version this
 * actor reads: the published one for the public, the working one for its
 * editors and curators). Names in lang ("en", "fr"). The public gets
 * LC_ENOTFOUND for a case or version never published; a withdrawn case
 * answers 0 with "withdrawn" set and nothing of its text but its
 * original's title, so that the caller shows the tombstone (410). Caller
 * json_decrefs *out. 0, LC_ENOTFOUND, LC_EDB.
 */
int lc_library_get(struct lc_db *db, const struct lc_actor *actor, int64_t id, long n,
                   const char *lang, json_t **out);

/*
 * Rebuilds lib_facets and the full-text indexes from the published
 * versions (the CLI's reindex; also used by tests). 0 or LC_EDB.
 */
int lc_library_reindex(struct lc_db *db);

/* A search (all members optional). Facet arrays hold up to LC_LIMIT_LIBRARY_FACET_VALUES. */
enum { LC_LIBRARY_FACETS = 7 };
extern const char *const lc_library_facet_names[LC_LIBRARY_FACETS]; /* region ... lang */
struct lc_library_query {
	const char *q; /* the text a person typed, anything at all; NULL or "" lists all */
	/* Selected values per facet, in the order of lc_library_facet_names. */
	const char *const *values[LC_LIBRARY_FACETS];
	size_t nvalues[LC_LIBRARY_FACETS];
	const char *sort; /* "relevance" (default with q), "date" (default without), "city" */
	long page, per_page;
	const char *lang; /* names of vocabularies and the preferred text's language */
};

/*
 * Published cases matching query, with facet counts (each facet counted
 * with the other facets' selections only) and highlighted snippets:
 * {"q", "items": [{"id", "title", "lang", "city": {...}, "line", "snippet",
 *   "published_at", "featured"}], "total", "page", "per_page", "pages",
 *  "facets": {"region": [{"value", "label", "count", "selected"}], ...}}
 * The query never reaches FTS5 as syntax: it is cut into words, each
 * quoted (lc_library_match). 0, LC_EINVAL (page out of range), LC_EDB.
 */
int lc_library_search(struct lc_db *db, const struct lc_library_query *query, json_t **out);

/*
 * The FTS5 MATCH expression for what a person typed: every run of letters
 * and digits (and the characters joined to them, as "c++" or "l'école")
 * becomes a quoted string with its quotes doubled, joined by spaces (AND);
 * prefix adds '*' to the last. At most LC_LIMIT_LIBRARY_QUERY_TERMS words;
 * "" when there is none. Writes at most n bytes (NUL included) to out and
 * returns the length, or -1 when it does not fit.
 */
long lc_library_match(const char *q, size_t len, bool prefix, char *out, size_t n);

/*
 * Titles of published cases starting with, or containing words starting
 * with, what was typed (the search box's suggestions): ["title", ...] of at
 * most 8. 0 or LC_EDB.
 */
int lc_library_suggest(struct lc_db *db, const char *q, json_t **out);

/*
 * The published case studies of the city of that slug, newest first, at
 * most 50: [{"id", "lang", "title", "rtl"}] in their original language.
 * 0 or LC_EDB.
 */
int lc_library_city_cases(struct lc_db *db, const char *slug, json_t **out);

/*
 * A vocabulary of the form, kind "area" (the Key Features' twelve) or "sdg"
 * (the seventeen goals), in order: [{"code", "name"}] named in lang (English
 * when lang has no name). Caller owns *out. 0 or LC_EDB.
 */
int lc_library_vocab(struct lc_db *db, const char *kind, const char *lang, json_t **out);

/*
 * The cities actor may write a case study for, by name: [{"slug", "name"}]
 * (curators: every city; coordinators: their own). Caller owns *out. 0,
 * LC_EAUTH (anonymous), LC_EPERM (none), LC_EDB.
 */
int lc_library_cities(struct lc_db *db, const struct lc_actor *actor, const char *lang,
                      json_t **out);

/* A file sent with a case (borrowed strings and bytes). */
struct lc_library_upload {
	const char *kind;     /* "image" (PNG or JPEG) or "document" (PDF) */
	const char *lang;     /* the language of its alt text or of the document */
	const char *licence;  /* may be NULL */
	const char *credit;   /* may be NULL */
	const char *alt;      /* an image's alt text in lang; may be NULL (the checks say so) */
	const char *filename; /* as sent; only its letters and digits are kept */
	const unsigned char *data;
	size_t n;
};

/*
 * Adds a file to the case's working version: its type decided by its
 * content (formats/filetype.h), at most LC_LIMIT_LIBRARY_FILE_BYTES and
 * LC_LIMIT_LIBRARY_FILES a case; the version's "images" (with alt text,
 * credit, licence) or "documents" gets {"src": "/library/{id}/files/{fid}",
 * ...} through lc_library_update (same rules, same audit) and the audit
 * "library.file". 0 with *fid; LC_EINVAL, LC_ELIMIT (problems in d),
 * LC_ENOTFOUND, LC_EAUTH, LC_EPERM, LC_ECONFLICT, LC_EDB. Nothing is written
 * on error.
 */
int lc_library_file_put(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                        const struct lc_library_upload *u, int64_t *fid, struct lc_diag *d);

/* A stored file, as lc_library_file_get returns it. */
struct lc_library_file {
	unsigned char *data; /* owned: lc_library_file_cleanup */
	size_t size;
	char content_type[32];
	char filename[128];
};

/*
 * File fid of case id: to its writers and curators any; to everyone else
 * only a file the published version names (a draft's files are never
 * served to the public, nor a withdrawn case's). 0, LC_ENOTFOUND, LC_EDB.
 */
int lc_library_file_get(struct lc_db *db, const struct lc_actor *actor, int64_t id, int64_t fid,
                        struct lc_library_file *out);
void lc_library_file_cleanup(struct lc_library_file *f);

/* The words of a text as the checks count them (a CJK character is half a word). */
long lc_library_words(const char *s);

/*
 * The curator's queue (LC_ACT_CURATE_LIBRARY): every case in state (NULL:
 * all), submitted ones first and the longest waiting at their top, then the
 * others most recently moved first:
 * {"items": [{"id", "state", "since", "featured", "city": {"slug", "name"},
 *   "lang", "rtl", "title", "version"}], "total", "page", "per_page", "pages",
 *  "by_state": {state: count}, "state"}. 0, LC_EAUTH, LC_EPERM, LC_EINVAL
 * (an unknown state, a page size out of bounds), LC_EDB.
 */
int lc_library_queue(struct lc_db *db, const struct lc_actor *actor, const char *state, long page,
                     long per_page, const char *lang, json_t **out);

/*
 * The demonstration's case studies (data/demo-library.json: text written
 * for learncity, marked as such, in the six languages), created and
 * published as the system actor inside the caller's transaction. 0,
 * LC_EINTERNAL (the embedded file is missing or bad), or a write's error.
 */
int lc_library_demo(struct lc_db *db);

/*
 * The library as one JSON document (the CLI's export and import; README.md's
 * "library export" documents it for people):
 * {"format": "learncity-library", "version": 1, "cases": [
 *   {"id": 12, "city": "cork", "state": "published", "created_at": "...Z",
 *    "featured": false, "published": 2 | null, "published_at": "...Z" | null,
 *    "withdrawn": null | {"at": "...Z", "reason": "..."},
 *    "versions": [{"n": 1, "original": "fr", "created_at": "...Z", "updated_at": "...Z",
 *                  "published_at": "...Z" | null, "meta": {the meta members of the case's
 *                  JSON above: period ... licence},
 *                  "translations": {"fr": {"title", "summary", ...}, "en": {...}}}]}]}
 * Cases by id, versions by n, every object's keys sorted, times in UTC to the second: the
 * same library gives the same bytes. The workflow's history (the curators' comments) is
 * not part of it.
 */
#define LC_LIBRARY_FORMAT         "learncity-library"
#define LC_LIBRARY_FORMAT_VERSION 1

/* Every case of the library (every state, every version) as that document; caller
 * json_decrefs *out. 0 or LC_EDB. */
int lc_library_export(struct lc_db *db, json_t **out);

/* lc_library_import's flags: give every case a new id instead of the file's. */
enum { LC_LIBRARY_IMPORT_NEW_IDS = 1 };

/*
 * Adds the cases of a document in the export's format (text of len bytes),
 * all or nothing, in one transaction. Each case keeps its "id" unless the id
 * is absent or flags has LC_LIBRARY_IMPORT_NEW_IDS; an id any workflow item
 * of this database already has is a problem. Every problem goes to d with
 * its place as field ("cases[3].versions[0].translations.fr.summary"):
 * JSON syntax, unknown members, a city no slug names, states and versions
 * that do not agree, byte limits, and for every version ever published (and
 * a submitted one) the checks before submission, word limits included.
 * Published versions are indexed for search. Requires LC_ACT_CURATE_LIBRARY.
 * 0 with *count cases added; LC_EINVAL (problems in d, nothing written),
 * LC_ELIMIT (the text is larger than LC_LIMIT_LIBRARY_IMPORT_BYTES), LC_EAUTH,
 * LC_EPERM, LC_EDB.
 */
int lc_library_import(struct lc_db *db, const struct lc_actor *actor, const char *text, size_t len,
                      unsigned flags, size_t *count, struct lc_diag *d);

/*
 * Runs FTS5's integrity-check on each language's index. 0 (every index is
 * sound), LC_EDB with *lang the first that is not (a static string).
 */
int lc_library_fts_check(struct lc_db *db, const char **lang);

#endif
