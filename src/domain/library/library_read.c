/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The case-study library's reading side (library.h): a case and its
 * versions as JSON, the index of published versions (lib_facets and the
 * six lib_fts_<lang> tables), the search with its facets, the query
 * builder that keeps what people type from ever being FTS5 syntax, and the
 * suggestions.
 */
#include "domain/library/library.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/library/library_internal.h"
#include "domain/platform/clock.h"
#include "domain/platform/row.h"
#include "domain/workflow/workflow.h"

#define NLANGS 6

const char *const lc_library_facet_names[LC_LIBRARY_FACETS] = {"region", "country", "area", "sdg",
                                                               "group",  "period",  "lang"};

/* Per language, in the order of lc_library_langs: literal SQL for the statement cache. */
#define PER_LANG(a, b)                                                                             \
	{                                                                                          \
		a "ar" b, a "zh" b, a "en" b, a "fr" b, a "ru" b, a "es" b                         \
	}
static const char *const fts_delete[NLANGS] = PER_LANG("DELETE FROM lib_fts_", " WHERE rowid = ?1");
static const char *const fts_insert[NLANGS] = PER_LANG(
    "INSERT INTO lib_fts_", " (rowid, title, summary, keywords, body) VALUES (?1, ?2, ?3, ?4, ?5)");
/* Weights: a word of the title counts ten times one of the body, keywords six, the summary four. */
static const char *const fts_match[NLANGS] = {
#define M(l)                                                                                       \
	"SELECT rowid, bm25(lib_fts_" l ", 10.0, 4.0, 6.0, 1.0) FROM lib_fts_" l                   \
	" WHERE lib_fts_" l " MATCH ?1"
    M("ar"), M("zh"), M("en"), M("fr"), M("ru"), M("es"),
#undef M
};
/* The snippet of one case, for the page's cards only: a snippet costs more than its match. */
static const char *const fts_snippet[NLANGS] = {
#define M(l)                                                                                       \
	"SELECT snippet(lib_fts_" l ", -1, char(2), char(3), '…', 16) FROM lib_fts_" l             \
	" WHERE lib_fts_" l " MATCH ?1 AND rowid = ?2"
    M("ar"), M("zh"), M("en"), M("fr"), M("ru"), M("es"),
#undef M
};
/* The search box's suggestions: a MATCH on the column title searches that column only. */
static const char *const fts_titles[NLANGS] =
    PER_LANG("SELECT rowid, title FROM lib_fts_", " WHERE title MATCH ?1 ORDER BY rank LIMIT 8");

static const char *const text_cols[] = {
    "title",      "summary", "context",        "objectives",      "activities", "outcomes",
    "challenges", "lessons", "sustainability", "transferability", "keywords"};

/* ---- a version as JSON ---------------------------------------------------------------------- */

static json_t *iso(int64_t t)
{
	char b[21];
	lc_clock_iso(t, b);
	return json_string(b);
}

int lib_version_json(struct lc_db *db, int64_t id, long n, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT original, meta, updated_at, published_at"
	                                  " FROM lib_versions WHERE case_id = ?1 AND n = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, n);
	int rc = lc_db_step(db, st);
	json_t *v = NULL;
	if (rc == 1) {
		v = json_loads(lc_db_text(st, 1), 0, NULL);
		if (!v)
			v = json_object();
		json_object_set_new(v, "version", json_integer(n));
		json_object_set_new(v, "original", json_string(lc_db_text(st, 0)));
		json_object_set_new(v, "updated_at", iso(sqlite3_column_int64(st, 2)));
		json_object_set_new(v, "version_published_at",
		                    sqlite3_column_type(st, 3) == SQLITE_NULL
		                        ? json_null()
		                        : iso(sqlite3_column_int64(st, 3)));
		if (!json_object_get(v, "licence"))
			json_object_set_new(v, "licence", json_string("CC-BY-4.0"));
	}
	lc_db_release(db, st);
	if (rc != 1)
		return rc < 0 ? rc : LC_ENOTFOUND;
	json_t *texts = json_object();
	json_object_set_new(v, "texts", texts);
	st =
	    lc_db_stmt(db, "SELECT lang, title, summary, context, objectives, activities, outcomes,"
	                   " challenges, lessons, sustainability, transferability, keywords"
	                   " FROM lib_texts WHERE case_id = ?1 AND n = ?2 ORDER BY lang");
	if (!st) {
		json_decref(v);
		return LC_EDB;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, n);
	while (lc_db_next(db, st, &rc)) {
		json_t *t = json_object();
		for (int i = 0; i < 11; i++)
			if (lc_db_text(st, i + 1))
				json_object_set_new(t, text_cols[i],
				                    json_string(lc_db_text(st, i + 1)));
		json_object_set_new(texts, lc_db_text(st, 0), t);
	}
	if (rc < 0) {
		json_decref(v);
		return rc;
	}
	*out = v;
	return 0;
}

/* ---- the index of published versions -------------------------------------------------------- */

static int add_facet(struct lc_db *db, int64_t id, const char *facet, const char *value)
{
	if (!value || !value[0])
		return 0;
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT OR IGNORE INTO lib_facets (case_id, facet, value)"
	                                  " VALUES (?1, ?2, ?3)");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, facet);
	lc_db_bind_text(st, 3, value);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static int add_list(struct lc_db *db, int64_t id, const char *facet, const json_t *list)
{
	size_t i;
	const json_t *x;
	int err = 0;
	json_array_foreach(list, i, x)
	{
		if (!err)
			err = add_facet(db, id, facet, json_string_value(x));
	}
	return err;
}

/* The text of the sections context .. transferability, one paragraph each. */
static char *body_of(const json_t *t)
{
	size_t len = 0;
	for (size_t i = 2; i < 10; i++) {
		const char *s = json_string_value(json_object_get(t, text_cols[i]));
		len += s ? strlen(s) + 1 : 0;
	}
	char *b = lc_xmalloc(len + 1);
	size_t at = 0;
	for (size_t i = 2; i < 10; i++) {
		const char *s = json_string_value(json_object_get(t, text_cols[i]));
		if (!s)
			continue;
		size_t l = strlen(s);
		memcpy(b + at, s, l);
		at += l;
		b[at++] = '\n';
	}
	b[at] = '\0';
	return b;
}

int lib_index(struct lc_db *db, int64_t id, long n)
{
	sqlite3_stmt *st = lc_db_stmt(db, "DELETE FROM lib_facets WHERE case_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int err = lc_db_step(db, st);
	lc_db_release(db, st);
	for (size_t l = 0; err >= 0 && l < NLANGS; l++) {
		st = lc_db_stmt(db, fts_delete[l]);
		if (!st)
			return LC_EDB;
		sqlite3_bind_int64(st, 1, id);
		err = lc_db_step(db, st);
		lc_db_release(db, st);
	}
	if (err < 0)
		return err;
	if (n == 0)
		return 0;

	json_t *v = NULL;
	err = lib_version_json(db, id, n, &v);
	if (err)
		return err;
	st = lc_db_stmt(db, "SELECT co.region, co.alpha2 FROM lib_cases c JOIN cities ci"
	                    " ON ci.id = c.city_id JOIN countries co ON co.alpha2 = ci.country"
	                    " WHERE c.id = ?1");
	char region[8] = "", country[3] = "";
	if (!st)
		err = LC_EDB;
	else {
		sqlite3_bind_int64(st, 1, id);
		int rc = lc_db_step(db, st);
		if (rc == 1) {
			snprintf(region, sizeof region, "%s",
			         lc_db_text(st, 0) ? lc_db_text(st, 0) : "");
			snprintf(country, sizeof country, "%s", lc_db_text(st, 1));
		}
		lc_db_release(db, st);
		err = rc < 0 ? rc : 0;
	}
	if (!err)
		err = add_facet(db, id, "region", region);
	if (!err)
		err = add_facet(db, id, "country", country);
	if (!err)
		err = add_list(db, id, "area", json_object_get(v, "areas"));
	if (!err)
		err = add_list(db, id, "sdg", json_object_get(v, "sdgs"));
	if (!err)
		err = add_list(db, id, "group", json_object_get(v, "target_groups"));
	/* The decades the period touches ("2010s"); an ongoing one runs to this year. */
	const json_t *period = json_object_get(v, "period");
	long start = (long)json_integer_value(json_object_get(period, "start"));
	long end = json_is_integer(json_object_get(period, "end"))
	               ? (long)json_integer_value(json_object_get(period, "end"))
	               : 0;
	if (start && !end) {
		char today[11];
		lc_clock_date(lc_clock_now(), today);
		end = strtol(today, NULL, 10);
	}
	for (long dec = start / 10 * 10; !err && start && dec <= end; dec += 10) {
		char b[24];
		snprintf(b, sizeof b, "%lds", dec);
		err = add_facet(db, id, "period", b);
	}
	const char *l;
	const json_t *t;
	json_object_foreach(json_object_get(v, "texts"), l, t)
	{
		long li = lc_str_index(lc_library_langs, NLANGS, l);
		if (err || li < 0)
			continue;
		err = add_facet(db, id, "lang", l);
		st = err ? NULL : lc_db_stmt(db, fts_insert[li]);
		if (!err && !st)
			err = LC_EDB;
		if (err)
			continue;
		char *body = body_of(t);
		sqlite3_bind_int64(st, 1, id);
		lc_db_bind_text(st, 2, json_string_value(json_object_get(t, "title")));
		lc_db_bind_text(st, 3, json_string_value(json_object_get(t, "summary")));
		lc_db_bind_text(st, 4, json_string_value(json_object_get(t, "keywords")));
		lc_db_bind_text(st, 5, body);
		err = lc_db_step(db, st);
		lc_db_release(db, st);
		lc_free(body);
		err = err < 0 ? err : 0;
	}
	json_decref(v);
	return err;
}

int lc_library_reindex(struct lc_db *db)
{
	int err = lc_db_begin(db);
	if (err)
		return err;
	for (size_t l = 0; !err && l < NLANGS; l++) {
		char sql[64];
		snprintf(sql, sizeof sql, "DELETE FROM lib_fts_%s", lc_library_langs[l]);
		err = lc_db_exec(db, sql);
	}
	if (!err)
		err = lc_db_exec(db, "DELETE FROM lib_facets");
	sqlite3_stmt *st =
	    err ? NULL
	        : lc_db_stmt(db, "SELECT id, published FROM lib_cases"
	                         " WHERE published IS NOT NULL AND withdrawn_at IS NULL");
	if (!err && !st)
		err = LC_EDB;
	int64_t *ids = NULL;
	long *ns = NULL;
	size_t count = 0, cap = 0;
	int rc = 0;
	while (!err && lc_db_next(db, st, &rc)) {
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			ids = lc_xreallocarray(ids, cap, sizeof *ids);
			ns = lc_xreallocarray(ns, cap, sizeof *ns);
		}
		ids[count] = sqlite3_column_int64(st, 0);
		ns[count++] = (long)sqlite3_column_int64(st, 1);
	}
	if (!err)
		err = rc;
	for (size_t i = 0; !err && i < count; i++)
		err = lib_index(db, ids[i], ns[i]);
	lc_free(ids);
	lc_free(ns);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

/* ---- one case -------------------------------------------------------------------------------- */

static const char *name_in(json_t *names, const char *lang)
{
	const char *s = json_string_value(json_object_get(names, lang));
	return s ? s : json_string_value(json_object_get(names, "en"));
}

/* {"slug", "name", "country", "country_name", "region"} of the case's city. */
static json_t *city_json(struct lc_db *db, int64_t id, const char *lang)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT ci.slug, ci.name, co.alpha2, co.name, co.region FROM lib_cases c"
	        " JOIN cities ci ON ci.id = c.city_id JOIN countries co ON co.alpha2 = ci.country"
	        " WHERE c.id = ?1");
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	json_t *o = NULL;
	if (lc_db_step(db, st) == 1) {
		json_t *cn = json_loads(lc_db_text(st, 1), 0, NULL);
		json_t *kn = json_loads(lc_db_text(st, 3), 0, NULL);
		o = json_pack("{s:s, s:s?, s:s, s:s?, s:s?}", "slug", lc_db_text(st, 0), "name",
		              name_in(cn, lang), "country", lc_db_text(st, 2), "country_name",
		              name_in(kn, lang), "region", lc_db_text(st, 4));
		json_decref(cn);
		json_decref(kn);
	}
	lc_db_release(db, st);
	return o;
}

/* The versions ever published, in order. */
static json_t *published_versions(struct lc_db *db, int64_t id)
{
	json_t *a = json_array();
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT n FROM lib_versions WHERE case_id = ?1"
	                                  " AND published_at IS NOT NULL ORDER BY n");
	if (!st)
		return a;
	sqlite3_bind_int64(st, 1, id);
	int rc;
	while (lc_db_next(db, st, &rc))
		json_array_append_new(a, json_integer(sqlite3_column_int64(st, 0)));
	return a;
}

/* "City, Country (2025). Title. learncity case study 12, version 2. CC BY 4.0." */
static void cite(json_t *v, int64_t id, long n)
{
	json_t *city = json_object_get(v, "city");
	const char *orig = json_string_value(json_object_get(v, "original"));
	const char *title = json_string_value(
	    json_object_get(json_object_get(json_object_get(v, "texts"), orig), "title"));
	const char *when = json_string_value(json_object_get(v, "version_published_at"));
	char year[5] = "n.d.";
	if (when)
		snprintf(year, sizeof year, "%.4s", when);
	const char *lic = json_string_value(json_object_get(v, "licence"));
	char b[1024];
	snprintf(b, sizeof b, "%s, %s (%s). %s. learncity case study %lld, version %ld. %s.",
	         json_string_value(json_object_get(city, "name")),
	         json_string_value(json_object_get(city, "country_name")), year, title ? title : "",
	         (long long)id, n, lic ? lic : "CC-BY-4.0");
	json_object_set_new(v, "cite", json_string(b));
}

int lc_library_get(struct lc_db *db, const struct lc_actor *actor, int64_t id, long n,
                   const char *lang, json_t **out)
{
	*out = NULL;
	struct lib_case c;
	int err = lib_case_load(db, id, &c);
	if (err)
		return err;
	struct lc_authz_object obj = {.city_id = c.city_id};
	bool editor = lc_authz_check(actor, LC_ACT_WRITE_CASE, &obj) == 0 ||
	              lc_authz_check(actor, LC_ACT_CURATE_LIBRARY, NULL) == 0;
	if (n == 0)
		n = editor ? c.latest : c.published;
	if (n == 0 || n > c.latest)
		return LC_ENOTFOUND;
	json_t *v = NULL;
	err = lib_version_json(db, id, n, &v);
	if (err)
		return err;
	/* The public reads versions that were published, and nothing of a withdrawn case but
	 * its tombstone. */
	if (!editor && json_is_null(json_object_get(v, "version_published_at"))) {
		json_decref(v);
		return LC_ENOTFOUND;
	}
	json_object_set_new(v, "id", json_integer(id));
	json_object_set_new(v, "city", city_json(db, id, lang));
	json_object_set_new(v, "published_versions", published_versions(db, id));
	json_object_set_new(v, "latest_published",
	                    c.published ? json_integer(c.published) : json_null());
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT featured, published_at, withdrawn_at, withdrawn_reason"
	                   " FROM lib_cases WHERE id = ?1");
	if (!st) {
		json_decref(v);
		return LC_EDB;
	}
	sqlite3_bind_int64(st, 1, id);
	if (lc_db_step(db, st) == 1) {
		json_object_set_new(v, "featured", json_boolean(sqlite3_column_int(st, 0)));
		json_object_set_new(v, "published_at",
		                    sqlite3_column_type(st, 1) == SQLITE_NULL
		                        ? json_null()
		                        : iso(sqlite3_column_int64(st, 1)));
		json_object_set_new(v, "withdrawn",
		                    sqlite3_column_type(st, 2) == SQLITE_NULL
		                        ? json_null()
		                        : json_pack("{s:o, s:s}", "at",
		                                    iso(sqlite3_column_int64(st, 2)), "reason",
		                                    lc_db_text(st, 3)));
	}
	lc_db_release(db, st);
	cite(v, id, n);
	if (c.withdrawn && !editor) {
		/* The tombstone: the title, the citation, the reason and the date. */
		const char *orig = json_string_value(json_object_get(v, "original"));
		json_t *texts = json_object_get(v, "texts");
		json_t *title = json_object_get(json_object_get(texts, orig), "title");
		json_t *keep = json_pack("{s:{s:O}}", orig, "title", title);
		json_object_set_new(v, "texts", keep);
		static const char *const gone[] = {
		    "period",   "areas",    "sdgs",     "targets", "target_groups",
		    "settings", "partners", "funding",  "reached", "evidence",
		    "related",  "images",   "documents"};
		for (size_t i = 0; i < sizeof gone / sizeof *gone; i++)
			json_object_del(v, gone[i]);
	}
	if (editor) {
		json_object_set_new(v, "state", json_string(c.state));
		struct lc_wf_item it;
		json_t *wf = NULL;
		if (lc_wf_get(db, &lc_library_process, id, &it) == 0 &&
		    lc_wf_item_json(db, actor, &it, &wf) == 0) {
			json_object_set(v, "next", json_object_get(wf, "next"));
			json_object_set(v, "history", json_object_get(wf, "history"));
		}
		json_decref(wf);
	}
	*out = v;
	return 0;
}

/* ---- the query builder ----------------------------------------------------------------------- */

/* Characters that belong to a word: letters, digits, marks, anything outside ASCII, and the
 * joiners inside one (c++, l'école, e-learning): unicode61 decides what is a token; we only
 * decide where a quoted string starts and ends. */
static bool word_char(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_';
}

long lc_library_match(const char *q, size_t len, bool prefix, char *out, size_t n)
{
	if (n == 0)
		return -1;
	out[0] = '\0';
	size_t at = 0;
	long terms = 0;
	size_t i = 0;
	size_t last_end = 0; /* where the last term's closing quote is */
	while (i < len && terms < LC_LIMIT_LIBRARY_QUERY_TERMS) {
		while (i < len && !word_char((unsigned char)q[i]))
			i++;
		if (i >= len)
			break;
		size_t s = i;
		/* A word runs to the next white space, but ends at its last word character. */
		while (i < len && q[i] != ' ' && q[i] != '\t' && q[i] != '\n' && q[i] != '\r')
			i++;
		size_t e = i;
		while (e > s && !word_char((unsigned char)q[e - 1]) && q[e - 1] != '+')
			e--;
		/* Worst case: every byte a quote (doubled), two quotes, a space, '*' and NUL. */
		if (at + 2 * (e - s) + 5 > n)
			return -1;
		if (terms)
			out[at++] = ' ';
		out[at++] = '"';
		for (size_t k = s; k < e; k++) {
			if (q[k] == '\0')
				continue; /* never part of SQL text */
			out[at++] = q[k];
			if (q[k] == '"')
				out[at++] = '"';
		}
		out[at++] = '"';
		last_end = at;
		terms++;
	}
	if (prefix && terms && last_end == at)
		out[at++] = '*';
	out[at] = '\0';
	return (long)at;
}

/* ---- search ---------------------------------------------------------------------------------- */

/* A result on its way to a card: the case, its snippet and the language the snippet is in. */
struct hit {
	int64_t id;
	char *snippet; /* owned, or NULL */
	int lang;      /* index of the snippet's language, or -1 */
	int64_t date;  /* published_at */
};

/*
 * What the search needs of every published case, kept in memory between
 * queries: ids ascending, dates, each case's facet values (indexes into one
 * table of distinct values), and the orders by date and by city. Built from
 * lib_cases and lib_facets in one scan and shared by every connection to
 * the same file until lib_generation.n (migration 0027) moves: a query then
 * costs a few array walks instead of a scan of lib_facets.
 */
struct snap {
	char *file;  /* owned: the database file, "" for one in memory (never shared) */
	int64_t gen; /* lib_generation.n it was built at */
	int refs;    /* under snap_lock */
	size_t n;
	int64_t *id, *date;
	uint32_t *voff; /* case i's values are vals[voff[i] .. voff[i + 1]) */
	uint32_t *vals;
	size_t nv;
	char **vstr;     /* owned strings */
	uint8_t *vfacet; /* the facet of each value */
	uint32_t *by_date, *by_city;
};

static pthread_mutex_t snap_lock = PTHREAD_MUTEX_INITIALIZER;
static struct snap *snap_shared; /* the last built for a file, one reference held here */

static void snap_free(struct snap *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nv; i++)
		lc_free(s->vstr[i]);
	lc_free(s->vstr);
	lc_free(s->vfacet);
	lc_free(s->file);
	lc_free(s->id);
	lc_free(s->date);
	lc_free(s->voff);
	lc_free(s->vals);
	lc_free(s->by_date);
	lc_free(s->by_city);
	lc_free(s);
}

static void snap_unref(struct snap *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&snap_lock);
	bool last = --s->refs == 0;
	pthread_mutex_unlock(&snap_lock);
	if (last)
		snap_free(s);
}

struct order {
	int64_t date, id;
	const char *city;
	uint32_t idx;
};

static int by_date(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	if (x->date != y->date)
		return (x->date < y->date) - (x->date > y->date);
	return (x->id > y->id) - (x->id < y->id);
}

static int by_city(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	int c = strcmp(x->city, y->city);
	return c ? c : by_date(a, b);
}

static long snap_find(const struct snap *s, int64_t id)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->id[lo] == id ? (long)lo : -1;
}

static int snap_build(struct lc_db *db, int64_t gen, struct snap **out)
{
	*out = NULL;
	struct snap *s = lc_xcalloc(1, sizeof *s);
	s->gen = gen;
	s->refs = 1;
	char **city = NULL;
	size_t cap = 0, vcap = 0, nvals = 0, dcap = 0;
	json_t *dict = json_object(); /* "facet:value" -> index */
	int err = 0, rc = 0;
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT c.id, c.published_at, json_extract(ci.sort_key, '$.en') FROM lib_cases c"
	        " JOIN cities ci ON ci.id = c.city_id"
	        " WHERE c.published IS NOT NULL AND c.withdrawn_at IS NULL ORDER BY c.id");
	if (!st)
		err = LC_EDB;
	while (!err && lc_db_next(db, st, &rc)) {
		if (s->n == cap) {
			cap = cap ? cap * 2 : 256;
			s->id = lc_xreallocarray(s->id, cap, sizeof *s->id);
			s->date = lc_xreallocarray(s->date, cap, sizeof *s->date);
			city = lc_xreallocarray(city, cap, sizeof *city);
		}
		s->id[s->n] = sqlite3_column_int64(st, 0);
		s->date[s->n] = sqlite3_column_int64(st, 1);
		city[s->n++] = lc_xstrdup(lc_db_text(st, 2) ? lc_db_text(st, 2) : "");
	}
	if (!err)
		err = rc < 0 ? rc : 0;
	s->voff = lc_xcalloc(s->n + 1, sizeof *s->voff);
	st = err ? NULL : lc_db_stmt(db, "SELECT case_id, facet, value FROM lib_facets");
	if (!err && !st)
		err = LC_EDB;
	/* Rows counted per case first, placed after: lib_facets is in no case order. */
	uint32_t *rows_case = NULL, *rows_val = NULL;
	size_t nrows = 0, rcap = 0;
	while (!err && lc_db_next(db, st, &rc)) {
		long i = snap_find(s, sqlite3_column_int64(st, 0));
		long f = lc_str_index(lc_library_facet_names, LC_LIBRARY_FACETS, lc_db_text(st, 1));
		const char *v = lc_db_text(st, 2);
		if (i < 0 || f < 0 || !v)
			continue;
		char key[600];
		snprintf(key, sizeof key, "%ld:%s", f, v);
		json_t *k = json_object_get(dict, key);
		uint32_t vi;
		if (k) {
			vi = (uint32_t)json_integer_value(k);
		} else {
			if (s->nv == vcap) {
				vcap = vcap ? vcap * 2 : 64;
				s->vstr = lc_xreallocarray(s->vstr, vcap, sizeof *s->vstr);
				s->vfacet = lc_xreallocarray(s->vfacet, vcap, sizeof *s->vfacet);
			}
			vi = (uint32_t)s->nv;
			s->vstr[s->nv] = lc_xstrdup(v);
			s->vfacet[s->nv++] = (uint8_t)f;
			json_object_set_new(dict, key, json_integer(vi));
		}
		if (nrows == rcap) {
			rcap = rcap ? rcap * 2 : 1024;
			rows_case = lc_xreallocarray(rows_case, rcap, sizeof *rows_case);
			rows_val = lc_xreallocarray(rows_val, rcap, sizeof *rows_val);
		}
		rows_case[nrows] = (uint32_t)i;
		rows_val[nrows++] = vi;
		s->voff[i + 1]++;
	}
	if (!err)
		err = rc < 0 ? rc : 0;
	for (size_t i = 0; i < s->n; i++)
		s->voff[i + 1] += s->voff[i];
	s->vals = lc_xcalloc(nrows + 1, sizeof *s->vals);
	uint32_t *fill = lc_xcalloc(s->n + 1, sizeof *fill);
	for (size_t r = 0; r < nrows; r++) {
		uint32_t i = rows_case[r];
		s->vals[s->voff[i] + fill[i]++] = rows_val[r];
	}
	lc_free(fill);
	lc_free(rows_case);
	lc_free(rows_val);
	(void)nvals, (void)dcap;
	struct order *o = lc_xcalloc(s->n + 1, sizeof *o);
	for (size_t i = 0; i < s->n; i++)
		o[i] = (struct order){s->date[i], s->id[i], city[i], (uint32_t)i};
	s->by_date = lc_xcalloc(s->n + 1, sizeof *s->by_date);
	s->by_city = lc_xcalloc(s->n + 1, sizeof *s->by_city);
	qsort(o, s->n, sizeof *o, by_date);
	for (size_t i = 0; i < s->n; i++)
		s->by_date[i] = o[i].idx;
	qsort(o, s->n, sizeof *o, by_city);
	for (size_t i = 0; i < s->n; i++)
		s->by_city[i] = o[i].idx;
	lc_free(o);
	for (size_t i = 0; i < s->n; i++)
		lc_free(city[i]);
	lc_free(city);
	json_decref(dict);
	if (err) {
		snap_free(s);
		return err;
	}
	*out = s;
	return 0;
}

/* The snapshot current for db (a reference the caller drops with snap_unref). 0 or LC_EDB. */
static int snap_get(struct lc_db *db, struct snap **out)
{
	*out = NULL;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT n FROM lib_generation WHERE id = 1");
	if (!st)
		return LC_EDB;
	int rc = lc_db_step(db, st);
	int64_t gen = rc == 1 ? sqlite3_column_int64(st, 0) : -1;
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	const char *file = sqlite3_db_filename(lc_db_sqlite(db), "main");
	bool shareable = file && file[0];
	if (shareable) {
		pthread_mutex_lock(&snap_lock);
		struct snap *s = snap_shared;
		if (s && s->gen == gen && strcmp(s->file, file) == 0) {
			s->refs++;
			*out = s;
		}
		pthread_mutex_unlock(&snap_lock);
		if (*out)
			return 0;
	}
	struct snap *s = NULL;
	int err = snap_build(db, gen, &s);
	if (err)
		return err;
	s->file = lc_xstrdup(shareable ? file : "");
	if (shareable) {
		/* The newest wins; an older snapshot goes when its last reader is done. */
		pthread_mutex_lock(&snap_lock);
		struct snap *old = snap_shared;
		bool newer = !old || strcmp(old->file, file) != 0 || old->gen <= gen;
		if (newer) {
			snap_shared = s;
			s->refs++;
		}
		pthread_mutex_unlock(&snap_lock);
		if (newer)
			snap_unref(old);
	}
	*out = s;
	return 0;
}

static bool selected(const struct lc_library_query *q, int f, const char *value)
{
	for (size_t i = 0; i < q->nvalues[f]; i++)
		if (q->values[f][i] && strcmp(q->values[f][i], value) == 0)
			return true;
	return false;
}

/* The facet's bits every case must have: those of the facets with a selection. */
static unsigned wanted(const struct lc_library_query *q)
{
	unsigned w = 0;
	for (int f = 0; f < LC_LIBRARY_FACETS; f++)
		if (q->nvalues[f])
			w |= 1u << f;
	return w;
}

/* The label of a facet value: the vocabulary's or the directory's name, or the value. */
static json_t *facet_label(struct lc_db *db, int f, const char *value, const char *lang)
{
	static const char *const sql[LC_LIBRARY_FACETS] = {
	    "SELECT name FROM regions WHERE code = ?1",
	    "SELECT name FROM countries WHERE alpha2 = ?1",
	    "SELECT name FROM lib_vocab WHERE kind = 'area' AND code = ?1",
	    "SELECT name FROM lib_vocab WHERE kind = 'sdg' AND code = ?1",
	    NULL,
	    NULL,
	    NULL,
	};
	if (!sql[f])
		return json_string(value);
	sqlite3_stmt *st = lc_db_stmt(db, sql[f]);
	if (!st)
		return json_string(value);
	lc_db_bind_text(st, 1, value);
	json_t *out = NULL;
	if (lc_db_step(db, st) == 1) {
		json_t *names = json_loads(lc_db_text(st, 0), 0, NULL);
		const char *s = name_in(names, lang);
		out = json_string(s ? s : value);
		json_decref(names);
	}
	lc_db_release(db, st);
	return out ? out : json_string(value);
}

/* {"region": [{"value", "label", "count", "selected"}], ...}, each by count then value, with
 * the selected values that found nothing listed at 0 so they can be unselected. */
static json_t *facets_json(struct lc_db *db, const struct lc_library_query *q, json_t **counts)
{
	json_t *o = json_object();
	for (int f = 0; f < LC_LIBRARY_FACETS; f++) {
		for (size_t i = 0; i < q->nvalues[f]; i++)
			if (q->values[f][i] && !json_object_get(counts[f], q->values[f][i]))
				json_object_set_new(counts[f], q->values[f][i], json_integer(0));
		json_t *a = json_array();
		const char *v;
		json_t *c;
		json_object_foreach(counts[f], v, c)
		{
			json_array_append_new(a, json_pack("{s:s, s:o, s:I, s:b}", "value", v,
			                                   "label", facet_label(db, f, v, q->lang),
			                                   "count", json_integer_value(c),
			                                   "selected", selected(q, f, v)));
		}
		/* Most cases first, then by value (stable across requests). */
		size_t n = json_array_size(a);
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0; j--) {
				json_t *x = json_array_get(a, j - 1), *y = json_array_get(a, j);
				json_int_t cx = json_integer_value(json_object_get(x, "count"));
				json_int_t cy = json_integer_value(json_object_get(y, "count"));
				const char *vx = json_string_value(json_object_get(x, "value"));
				const char *vy = json_string_value(json_object_get(y, "value"));
				if (cx > cy || (cx == cy && strcmp(vx, vy) <= 0))
					break;
				json_incref(x);
				json_array_set(a, j - 1, y);
				json_array_set_new(a, j, x);
			}
		json_object_set_new(o, lc_library_facet_names[f], a);
	}
	return o;
}

/* The snippet as parts [{"text", "hit"}], the markers char(2) and char(3) removed. */
static json_t *snippet_parts(const char *s)
{
	json_t *a = json_array();
	bool hit = false;
	const char *p = s;
	while (p && *p) {
		size_t n = strcspn(p, "\x02\x03");
		if (n)
			json_array_append_new(a,
			                      json_pack("{s:s%, s:b}", "text", p, n, "hit", hit));
		p += n;
		if (*p)
			hit = *p++ == '\x02';
	}
	return a;
}

/* The first sentence (or 200 bytes, cut at a character) of a summary. */
static json_t *one_line(const char *s)
{
	if (!s)
		return json_null();
	size_t n = strcspn(s, "\n");
	const char *dot = strstr(s, ". ");
	if (dot && (size_t)(dot - s) + 1 < n)
		n = (size_t)(dot - s) + 1;
	if (n > 200) {
		n = 200;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return json_stringn(s, n);
}

/* The result card of case id: title and line in the preferred language when it has it. */
static json_t *card(struct lc_db *db, const struct hit *x, const char *lang)
{
	const char *snip_lang = x->lang >= 0 ? lc_library_langs[x->lang] : NULL;
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT t.lang, t.title, t.summary, c.featured FROM lib_cases c"
	        " JOIN lib_versions v ON v.case_id = c.id AND v.n = c.published"
	        " JOIN lib_texts t ON t.case_id = v.case_id AND t.n = v.n WHERE c.id = ?1"
	        " ORDER BY t.lang = ?2 DESC, t.lang = ?3 DESC, t.lang = v.original DESC LIMIT 1");
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, x->id);
	lc_db_bind_text(st, 2, snip_lang ? snip_lang : lang);
	lc_db_bind_text(st, 3, lang);
	json_t *o = NULL;
	if (lc_db_step(db, st) == 1) {
		char date[11];
		lc_clock_date(x->date, date);
		o = json_pack("{s:I, s:s, s:s, s:o, s:b, s:s}", "id", (json_int_t)x->id, "lang",
		              lc_db_text(st, 0), "title", lc_db_text(st, 1), "line",
		              one_line(lc_db_text(st, 2)), "featured", sqlite3_column_int(st, 3),
		              "published_at", date);
		json_object_set_new(o, "rtl", json_boolean(strcmp(lc_db_text(st, 0), "ar") == 0));
	}
	lc_db_release(db, st);
	if (o) {
		json_object_set_new(o, "city", city_json(db, x->id, lang));
		json_object_set_new(o, "snippet",
		                    x->snippet ? snippet_parts(x->snippet) : json_null());
		json_object_set_new(o, "snippet_lang",
		                    snip_lang ? json_string(snip_lang) : json_null());
	}
	return o;
}

struct ranked {
	double rank;
	int64_t date;
	uint32_t idx;
};

static int by_rank(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return (x->date < y->date) - (x->date > y->date);
}

/* What one query found among the snapshot's cases. */
struct found {
	uint8_t *in;    /* a candidate: published, and matching the text if there is one */
	uint8_t *match; /* bit per facet: its selection holds one of the case's values */
	double *rank;   /* bm25 (lower is better), with a text */
	int8_t *lang;   /* the language of the best match, with a text */
};

/* Marks the cases matching expr in any language, keeping each one's best rank. */
static int match_text(struct lc_db *db, const struct snap *s, const char *expr, struct found *fd)
{
	for (int l = 0; l < NLANGS; l++) {
		sqlite3_stmt *st = lc_db_stmt(db, fts_match[l]);
		if (!st)
			return LC_EDB;
		lc_db_bind_text(st, 1, expr);
		int rc;
		while (lc_db_next(db, st, &rc)) {
			long i = snap_find(s, sqlite3_column_int64(st, 0));
			double r = sqlite3_column_double(st, 1);
			if (i < 0 || (fd->in[i] && r >= fd->rank[i]))
				continue;
			fd->in[i] = 1;
			fd->rank[i] = r;
			fd->lang[i] = (int8_t)l;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

int lc_library_search(struct lc_db *db, const struct lc_library_query *q, json_t **out)
{
	*out = NULL;
	struct lc_row_page pg;
	int err = 0;
	if (q->page < 0 || q->page > LC_LIMIT_PAGE || q->per_page < 0 ||
	    q->per_page > LC_LIMIT_PER_PAGE)
		return LC_EINVAL;
	pg.page = q->page ? q->page : 1;
	pg.per_page = q->per_page ? q->per_page : LC_DEFAULT_PER_PAGE;
	for (int f = 0; f < LC_LIBRARY_FACETS; f++)
		if (q->nvalues[f] > LC_LIMIT_LIBRARY_FACET_VALUES)
			return LC_EINVAL;
	const char *text = q->q ? q->q : "";
	size_t tl = strnlen(text, LC_LIMIT_LIBRARY_QUERY_BYTES + 1);
	if (tl > LC_LIMIT_LIBRARY_QUERY_BYTES)
		return LC_EINVAL;
	char expr[2 * LC_LIMIT_LIBRARY_QUERY_BYTES + 4 * LC_LIMIT_LIBRARY_QUERY_TERMS + 8];
	long el = lc_library_match(text, tl, false, expr, sizeof expr);
	if (el < 0)
		return LC_EINVAL;

	json_t *counts[LC_LIBRARY_FACETS] = {NULL};
	for (int f = 0; f < LC_LIBRARY_FACETS; f++)
		counts[f] = json_object();
	struct snap *s = NULL;
	struct found fd = {0};
	bool *sel = NULL;
	long *cnt = NULL;
	struct ranked *res = NULL;
	err = lc_db_begin_read(db);
	if (err)
		goto out;
	err = snap_get(db, &s);
	if (err) {
		lc_db_rollback(db);
		goto out;
	}
	size_t n = s->n;
	fd.in = lc_xcalloc(n + 1, 1);
	fd.match = lc_xcalloc(n + 1, 1);
	if (el > 0) {
		fd.rank = lc_xcalloc(n + 1, sizeof *fd.rank);
		fd.lang = lc_xcalloc(n + 1, sizeof *fd.lang);
		err = match_text(db, s, expr, &fd);
		if (err) {
			lc_db_rollback(db);
			goto out;
		}
	} else {
		memset(fd.in, 1, n);
	}
	/* The selected values, then each candidate's match bits, then each value's count over
	 * the candidates matching every other facet's selection. */
	sel = lc_xcalloc(s->nv + 1, sizeof *sel);
	for (size_t v = 0; v < s->nv; v++)
		sel[v] = selected(q, s->vfacet[v], s->vstr[v]);
	unsigned w = wanted(q);
	cnt = lc_xcalloc(s->nv + 1, sizeof *cnt);
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		if (!fd.in[i])
			continue;
		unsigned m = 0;
		for (uint32_t k = s->voff[i]; k < s->voff[i + 1]; k++)
			if (sel[s->vals[k]])
				m |= 1u << s->vfacet[s->vals[k]];
		fd.match[i] = (uint8_t)m;
		for (uint32_t k = s->voff[i]; k < s->voff[i + 1]; k++) {
			unsigned others = w & ~(1u << s->vfacet[s->vals[k]]);
			if ((m & others) == others)
				cnt[s->vals[k]]++;
		}
		total += (m & w) == w;
	}
	for (size_t v = 0; v < s->nv; v++)
		if (cnt[v])
			json_object_set_new(counts[s->vfacet[v]], s->vstr[v], json_integer(cnt[v]));

	/* The page of results in the order asked: by rank, or along the snapshot's orders. */
	const char *sort = q->sort && q->sort[0] ? q->sort : el > 0 ? "relevance" : "date";
	bool relevance = strcmp(sort, "relevance") == 0 && el > 0;
	size_t from = (size_t)(pg.page - 1) * (size_t)pg.per_page;
	size_t to = from + (size_t)pg.per_page, nres = 0;
	res = lc_xcalloc(relevance ? total + 1 : (size_t)pg.per_page + 1, sizeof *res);
	if (relevance) {
		for (size_t i = 0; i < n; i++)
			if (fd.in[i] && (fd.match[i] & w) == w)
				res[nres++] = (struct ranked){fd.rank[i], s->date[i], (uint32_t)i};
		qsort(res, nres, sizeof *res, by_rank);
	} else {
		const uint32_t *order = strcmp(sort, "city") == 0 ? s->by_city : s->by_date;
		size_t seen = 0;
		for (size_t j = 0; j < n && seen < to; j++) {
			uint32_t i = order[j];
			if (!fd.in[i] || (fd.match[i] & w) != w)
				continue;
			if (seen++ >= from)
				res[nres++] = (struct ranked){0.0, s->date[i], i};
		}
		from = 0;
	}
	json_t *items = json_array();
	for (size_t j = from; j < nres && j < (relevance ? to : nres); j++) {
		uint32_t i = res[j].idx;
		struct hit x = {
		    .id = s->id[i], .lang = fd.lang ? fd.lang[i] : -1, .date = s->date[i]};
		sqlite3_stmt *st = fd.lang ? lc_db_stmt(db, fts_snippet[x.lang]) : NULL;
		if (st) {
			lc_db_bind_text(st, 1, expr);
			sqlite3_bind_int64(st, 2, x.id);
			if (lc_db_step(db, st) == 1)
				x.snippet = lc_xstrdup(lc_db_text(st, 0) ? lc_db_text(st, 0) : "");
			lc_db_release(db, st);
		}
		json_t *c = card(db, &x, q->lang ? q->lang : "en");
		lc_free(x.snippet);
		if (c)
			json_array_append_new(items, c);
	}
	json_t *o = lc_row_paged(items, (long long)total, &pg);
	json_object_set_new(o, "q", json_string(text));
	json_object_set_new(o, "sort", json_string(sort));
	json_object_set_new(o, "facets", facets_json(db, q, counts));
	lc_db_commit(db);
	*out = o;
out:
	for (int f = 0; f < LC_LIBRARY_FACETS; f++)
		json_decref(counts[f]);
	lc_free(fd.in);
	lc_free(fd.match);
	lc_free(fd.rank);
	lc_free(fd.lang);
	lc_free(sel);
	lc_free(cnt);
	lc_free(res);
	snap_unref(s);
	return err;
}

int lc_library_suggest(struct lc_db *db, const char *q, json_t **out)
{
	*out = json_array();
	char expr[2 * 400 + 4 * LC_LIMIT_LIBRARY_QUERY_TERMS + 8];
	size_t n = q ? strnlen(q, 400) : 0;
	long el = lc_library_match(q ? q : "", n, true, expr, sizeof expr);
	if (el <= 0)
		return 0;
	for (int l = 0; l < NLANGS && json_array_size(*out) < 8; l++) {
		sqlite3_stmt *st = lc_db_stmt(db, fts_titles[l]);
		if (!st)
			return LC_EDB;
		lc_db_bind_text(st, 1, expr);
		int rc;
		while (lc_db_next(db, st, &rc))
			if (json_array_size(*out) < 8)
				json_array_append_new(
				    *out,
				    json_pack("{s:I, s:s, s:s}", "id",
				              (json_int_t)sqlite3_column_int64(st, 0), "title",
				              lc_db_text(st, 1), "lang", lc_library_langs[l]));
		if (rc < 0)
			return rc;
	}
	return 0;
}

int lc_library_city_cases(struct lc_db *db, const char *slug, json_t **out)
{
	*out = json_array();
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT c.id, t.lang, t.title FROM lib_cases c JOIN cities ci ON ci.id = c.city_id"
	        " JOIN lib_versions v ON v.case_id = c.id AND v.n = c.published"
	        " JOIN lib_texts t ON t.case_id = v.case_id AND t.n = v.n AND t.lang = v.original"
	        " WHERE ci.slug = ?1 AND c.withdrawn_at IS NULL ORDER BY c.published_at DESC, c.id"
	        " LIMIT 50");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, slug);
	int rc;
	while (lc_db_next(db, st, &rc))
		json_array_append_new(*out,
		                      json_pack("{s:I, s:s, s:s, s:b}", "id",
		                                (json_int_t)sqlite3_column_int64(st, 0), "lang",
		                                lc_db_text(st, 1), "title", lc_db_text(st, 2),
		                                "rtl", strcmp(lc_db_text(st, 1), "ar") == 0));
	return rc;
}
