/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The case-study library as one JSON document (library.h): the export of
 * every case in every state with all its versions and translations, the
 * import of such a document all or nothing (every problem said with its
 * place, nothing written unless there is none), and FTS5's integrity check
 * of the indexes. Validation of a version's members is library.c's; the
 * index of published versions is library_read.c's.
 */
#include "domain/library/library.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/library/library_internal.h"
#include "domain/platform/audit.h"
#include "domain/platform/clock.h"

#define NLANGS    6
#define NSECTIONS 11

static const char *const states[] = {"draft",     "submitted", "changes_requested",
                                     "published", "declined",  "withdrawn"};
#define NSTATES (sizeof states / sizeof *states)

/* ---- times ----------------------------------------------------------------------------------- */

static json_t *time_json(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	char b[21];
	lc_clock_iso(sqlite3_column_int64(st, col), b);
	return json_string(b);
}

/* Days from 1970-01-01 to the civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3u : 9u)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* "2025-03-01T09:30:00Z" exactly as lc_clock_iso writes it: true with *t. */
static bool parse_time(const char *s, int64_t *t)
{
	unsigned y, mo, d, h, mi, se;
	int used = 0;
	if (!s || strlen(s) != 20 ||
	    sscanf(s, "%4u-%2u-%2uT%2u:%2u:%2uZ%n", &y, &mo, &d, &h, &mi, &se, &used) != 6 ||
	    used != 20 || y < 1970 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || se > 59)
		return false;
	*t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	char back[21];
	lc_clock_iso(*t, back);
	return strcmp(back, s) == 0; /* refuses 2025-02-30 */
}

/* ---- export ---------------------------------------------------------------------------------- */

static const char *const text_cols[NSECTIONS] = {
    "title",      "summary", "context",        "objectives",      "activities", "outcomes",
    "challenges", "lessons", "sustainability", "transferability", "keywords"};

static int export_versions(struct lc_db *db, int64_t id, json_t *versions)
{
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT n, original, meta, created_at, updated_at, published_at"
	                   " FROM lib_versions WHERE case_id = ?1 ORDER BY n");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc;
	while (lc_db_next(db, st, &rc)) {
		json_t *meta = json_loads(lc_db_text(st, 2), 0, NULL);
		json_t *v =
		    json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:o}", "n",
		              (json_int_t)sqlite3_column_int64(st, 0), "original",
		              lc_db_text(st, 1), "meta", meta ? meta : json_object(), "created_at",
		              time_json(st, 3), "updated_at", time_json(st, 4), "published_at",
		              time_json(st, 5), "translations", json_object());
		json_array_append_new(versions, v);
	}
	if (rc < 0)
		return rc;
	st = lc_db_stmt(db, "SELECT n, lang, title, summary, context, objectives, activities,"
	                    " outcomes, challenges, lessons, sustainability, transferability,"
	                    " keywords FROM lib_texts WHERE case_id = ?1 ORDER BY n, lang");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	while (lc_db_next(db, st, &rc)) {
		size_t n = (size_t)sqlite3_column_int64(st, 0);
		json_t *v = n >= 1 ? json_array_get(versions, n - 1) : NULL;
		if (!v)
			continue; /* a text without its version: the foreign key forbids it */
		json_t *t = json_object();
		for (int i = 0; i < NSECTIONS; i++)
			if (lc_db_text(st, i + 2))
				json_object_set_new(t, text_cols[i],
				                    json_string(lc_db_text(st, i + 2)));
		json_object_set_new(json_object_get(v, "translations"), lc_db_text(st, 1), t);
	}
	return rc < 0 ? rc : 0;
}

int lc_library_export(struct lc_db *db, json_t **out)
{
	*out = NULL;
	int err = lc_db_begin_read(db);
	if (err)
		return err;
	json_t *cases = json_array();
	sqlite3_stmt *st = lc_db_stmt(
	    db,
	    "SELECT c.id, ci.slug, w.state, c.created_at, c.featured, c.published,"
	    " c.published_at, c.withdrawn_at, c.withdrawn_reason FROM lib_cases c"
	    " JOIN wf_items w ON w.id = c.id JOIN cities ci ON ci.id = c.city_id ORDER BY c.id");
	int rc = 0;
	if (!st)
		err = LC_EDB;
	while (!err && lc_db_next(db, st, &rc)) {
		json_t *c =
		    json_pack("{s:I, s:s, s:s, s:o, s:b, s:o, s:o, s:o, s:o}", "id",
		              (json_int_t)sqlite3_column_int64(st, 0), "city", lc_db_text(st, 1),
		              "state", lc_db_text(st, 2), "created_at", time_json(st, 3),
		              "featured", sqlite3_column_int(st, 4), "published",
		              sqlite3_column_type(st, 5) == SQLITE_NULL
		                  ? json_null()
		                  : json_integer(sqlite3_column_int64(st, 5)),
		              "published_at", time_json(st, 6), "withdrawn",
		              sqlite3_column_type(st, 7) == SQLITE_NULL
		                  ? json_null()
		                  : json_pack("{s:o, s:s}", "at", time_json(st, 7), "reason",
		                              lc_db_text(st, 8) ? lc_db_text(st, 8) : ""),
		              "versions", json_array());
		json_array_append_new(cases, c);
	}
	if (!err)
		err = rc < 0 ? rc : 0;
	/* The versions after the cases: one statement of each kind at a time. */
	size_t i;
	json_t *c;
	json_array_foreach(cases, i, c)
	{
		if (err)
			break;
		err = export_versions(db, (int64_t)json_integer_value(json_object_get(c, "id")),
		                      json_object_get(c, "versions"));
	}
	lc_db_commit(db);
	if (err) {
		json_decref(cases);
		return err;
	}
	*out = json_pack("{s:s, s:i, s:o}", "format", LC_LIBRARY_FORMAT, "version",
	                 LC_LIBRARY_FORMAT_VERSION, "cases", cases);
	return 0;
}

/* ---- import: checking ------------------------------------------------------------------------ */

/* What the check of one case found, for the writing pass. */
struct plan {
	int64_t id; /* 0: a new one */
	int64_t city_id;
	char country[3];
	long published; /* 0: none */
	long latest;
	bool withdrawn;
};

struct importer {
	struct lc_db *db;
	struct lc_diag *d;
	unsigned flags;
	struct lc_buf path; /* the place being checked, "cases[3].versions[0]" */
};

/* Shortens the path back to n bytes. */
static void cut(struct lc_buf *b, size_t n)
{
	if (b->data && n <= b->len) {
		b->len = n;
		b->data[n] = '\0';
	}
}

/* The place at.member (member NULL: at itself) as a new field of d's last entries from. */
static void place(struct importer *im, size_t from, const char *lang, bool meta)
{
	for (size_t i = from; i < im->d->count; i++) {
		struct lc_diag_entry *e = &im->d->items[i];
		struct lc_buf p;
		lc_buf_init(&p, 4096);
		lc_buf_puts(&p, lc_buf_cstr(&im->path));
		const char *f = e->field;
		const char *l = lang ? lang : lc_diag_arg(e, "lang");
		bool section = f && lc_str_index(lc_library_sections, NSECTIONS, f) >= 0;
		if (l && (lang || section))
			lc_buf_printf(&p, ".translations.%s", l);
		else if (meta)
			lc_buf_puts(&p, ".meta");
		if (f && (!lang || section) && strcmp(f, "texts") != 0)
			lc_buf_printf(&p, ".%s", f);
		lc_free(e->field);
		e->field = lc_xstrdup(lc_buf_cstr(&p));
		lc_buf_cleanup(&p);
	}
}

static void problem_type(struct importer *im, const char *member, const char *expected)
{
	size_t from = im->d->count;
	lc_diag_addf(im->d, NULL, 0, 0, member, "err_library_type",
	             LC_ARG_S("field", member ? member : lc_buf_cstr(&im->path)),
	             LC_ARG_S("expected", expected));
	place(im, from, NULL, false);
}

static void problem(struct importer *im, const char *member, const char *code)
{
	size_t from = im->d->count;
	lc_diag_add(im->d, NULL, 0, 0, member, code);
	place(im, from, NULL, false);
}

/* Members of obj not among keys are problems. */
static void only(struct importer *im, const json_t *obj, const char *const *keys, size_t n)
{
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)obj, k, v)
	{
		if (lc_str_index(keys, n, k) < 0) {
			size_t from = im->d->count;
			lc_diag_addf(im->d, NULL, 0, 0, k, "err_library_field",
			             LC_ARG_S("field", k));
			place(im, from, NULL, false);
		}
	}
}

/* A time member (nullable or not): true when valid, with *t (0 for null). */
static bool time_member(struct importer *im, const json_t *obj, const char *member, bool nullable,
                        int64_t *t)
{
	const json_t *v = json_object_get(obj, member);
	*t = 0;
	if (nullable && (!v || json_is_null(v)))
		return true;
	if (!json_is_string(v) || !parse_time(json_string_value(v), t)) {
		size_t from = im->d->count;
		lc_diag_addf(im->d, NULL, 0, 0, member, "err_library_import_time",
		             LC_ARG_S("value", json_is_string(v) ? json_string_value(v) : "?"));
		place(im, from, NULL, false);
		return false;
	}
	return true;
}

static int find_city(struct lc_db *db, const char *slug, struct plan *p)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id, country FROM cities WHERE slug = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, slug);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		p->city_id = sqlite3_column_int64(st, 0);
		snprintf(p->country, sizeof p->country, "%s",
		         lc_db_text(st, 1) ? lc_db_text(st, 1) : "");
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static int id_taken(struct lc_db *db, int64_t id, bool *taken)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT 1 FROM wf_items WHERE id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	*taken = rc == 1;
	return rc < 0 ? rc : 0;
}

/* One version; *was_published: it has a publication time. 0 or LC_EDB. */
static int check_version(struct importer *im, const json_t *v, long n, bool full_if_latest,
                         bool latest, bool *was_published)
{
	static const char *const keys[] = {
	    "n", "original", "created_at", "updated_at", "published_at", "meta", "translations"};
	*was_published = false;
	if (!json_is_object(v)) {
		problem_type(im, NULL, "object");
		return 0;
	}
	only(im, v, keys, sizeof keys / sizeof *keys);
	const json_t *jn = json_object_get(v, "n");
	if (!json_is_integer(jn) || json_integer_value(jn) != n)
		problem(im, "n", "err_library_import_versions");
	int64_t t;
	time_member(im, v, "created_at", false, &t);
	time_member(im, v, "updated_at", false, &t);
	if (time_member(im, v, "published_at", true, &t))
		*was_published = t != 0;
	const char *orig = json_string_value(json_object_get(v, "original"));
	if (!orig || lc_str_index(lc_library_langs, NLANGS, orig) < 0) {
		size_t from = im->d->count;
		lc_diag_addf(im->d, NULL, 0, 0, "original", "err_library_lang",
		             LC_ARG_S("lang", orig ? orig : "?"));
		place(im, from, NULL, false);
		orig = NULL;
	}
	const json_t *meta = json_object_get(v, "meta");
	size_t from = im->d->count;
	int err = lib_check_meta(im->db, meta, im->d);
	if (err)
		return err;
	place(im, from, NULL, true);
	const json_t *tr = json_object_get(v, "translations");
	if (!json_is_object(tr)) {
		problem_type(im, "translations", "{language: {section: text}}");
		return 0;
	}
	const char *l;
	const json_t *t1;
	json_object_foreach((json_t *)tr, l, t1)
	{
		from = im->d->count;
		if (lc_str_index(lc_library_langs, NLANGS, l) < 0) {
			lc_diag_addf(im->d, NULL, 0, 0, "translations", "err_library_lang",
			             LC_ARG_S("lang", l));
			place(im, from, NULL, false);
			continue;
		}
		lib_check_text(l, t1, im->d);
		place(im, from, l, false);
	}
	if (orig && !json_object_get(tr, orig)) {
		from = im->d->count;
		lc_diag_addf(im->d, NULL, 0, 0, NULL, "err_library_import_original",
		             LC_ARG_S("lang", orig));
		place(im, from, orig, false);
	}
	/* What the public read, and what a curator was asked to read, passed the checks. */
	if (orig && json_is_object(meta) && (*was_published || (full_if_latest && latest))) {
		json_t *whole = json_deep_copy(meta);
		json_object_set_new(whole, "original", json_string(orig));
		json_object_set(whole, "texts", (json_t *)tr);
		from = im->d->count;
		lib_check_submission(whole, im->d);
		place(im, from, NULL, true);
		json_decref(whole);
	}
	return 0;
}

static int check_case(struct importer *im, const json_t *c, struct plan *p, json_t *seen)
{
	static const char *const keys[] = {"id",           "city",      "state",
	                                   "created_at",   "featured",  "published",
	                                   "published_at", "withdrawn", "versions"};
	memset(p, 0, sizeof *p);
	if (!json_is_object(c)) {
		problem_type(im, NULL, "object");
		return 0;
	}
	only(im, c, keys, sizeof keys / sizeof *keys);
	const json_t *jid = json_object_get(c, "id");
	if (jid && !json_is_null(jid)) {
		if (!json_is_integer(jid) || json_integer_value(jid) < 1) {
			problem_type(im, "id", "a whole number from 1");
		} else if (!(im->flags & LC_LIBRARY_IMPORT_NEW_IDS)) {
			p->id = (int64_t)json_integer_value(jid);
			char key[24];
			snprintf(key, sizeof key, "%lld", (long long)p->id);
			bool taken = json_object_get(seen, key) != NULL;
			json_object_set_new(seen, key, json_true());
			int err = taken ? 0 : id_taken(im->db, p->id, &taken);
			if (err)
				return err;
			if (taken) {
				size_t from = im->d->count;
				lc_diag_addf(im->d, NULL, 0, 0, "id", "err_library_import_id",
				             LC_ARG_I("id", p->id));
				place(im, from, NULL, false);
			}
		}
	}
	const char *slug = json_string_value(json_object_get(c, "city"));
	int err = slug ? find_city(im->db, slug, p) : 0;
	if (err)
		return err;
	if (!p->city_id) {
		size_t from = im->d->count;
		lc_diag_addf(im->d, NULL, 0, 0, "city", "err_library_city",
		             LC_ARG_S("slug", slug ? slug : ""));
		place(im, from, NULL, false);
	}
	const char *state = json_string_value(json_object_get(c, "state"));
	if (!state || lc_str_index(states, NSTATES, state) < 0) {
		size_t from = im->d->count;
		lc_diag_addf(im->d, NULL, 0, 0, "state", "err_library_value",
		             LC_ARG_S("field", "state"), LC_ARG_S("value", state ? state : "?"));
		place(im, from, NULL, false);
		state = NULL;
	}
	int64_t t, pub_at;
	time_member(im, c, "created_at", false, &t);
	bool pub_at_ok = time_member(im, c, "published_at", true, &pub_at);
	const json_t *feat = json_object_get(c, "featured");
	if (feat && !json_is_boolean(feat))
		problem_type(im, "featured", "true or false");
	const json_t *pub = json_object_get(c, "published");
	if (pub && !json_is_null(pub) && (!json_is_integer(pub) || json_integer_value(pub) < 1))
		problem_type(im, "published", "a version's number or null");
	else if (json_is_integer(pub))
		p->published = (long)json_integer_value(pub);
	const json_t *wd = json_object_get(c, "withdrawn");
	if (wd && !json_is_null(wd)) {
		static const char *const wkeys[] = {"at", "reason"};
		size_t mark = im->path.len;
		lc_buf_puts(&im->path, ".withdrawn");
		const json_t *reason = json_object_get(wd, "reason");
		if (!json_is_object(wd) || !json_is_string(reason)) {
			problem_type(im, NULL, "{\"at\": time, \"reason\": text}");
		} else {
			only(im, wd, wkeys, 2);
			time_member(im, wd, "at", false, &t);
			if (json_string_length(reason) > LC_LIMIT_LIBRARY_TEXT_BYTES) {
				size_t from = im->d->count;
				lc_diag_addf(im->d, NULL, 0, 0, "reason", "err_library_too_long",
				             LC_ARG_S("field", "reason"),
				             LC_ARG_I("limit", LC_LIMIT_LIBRARY_TEXT_BYTES));
				place(im, from, NULL, false);
			}
		}
		cut(&im->path, mark);
		p->withdrawn = true;
	}

	const json_t *versions = json_object_get(c, "versions");
	if (!json_is_array(versions) || json_array_size(versions) == 0) {
		problem_type(im, "versions", "a list of at least one version");
		return 0;
	}
	if (json_array_size(versions) > LC_LIMIT_LIBRARY_IMPORT_VERSIONS) {
		size_t from = im->d->count;
		lc_diag_addf(im->d, NULL, 0, 0, "versions", "err_library_too_many",
		             LC_ARG_S("field", "versions"),
		             LC_ARG_I("limit", LC_LIMIT_LIBRARY_IMPORT_VERSIONS));
		place(im, from, NULL, false);
		return 0;
	}
	p->latest = (long)json_array_size(versions);
	long newest_published = 0;
	size_t i;
	const json_t *v;
	json_array_foreach(versions, i, v)
	{
		size_t mark = im->path.len;
		lc_buf_printf(&im->path, ".versions[%zu]", i);
		bool was = false;
		err = check_version(im, v, (long)i + 1, state && strcmp(state, "submitted") == 0,
		                    i + 1 == json_array_size(versions), &was);
		cut(&im->path, mark);
		if (err)
			return err;
		if (was)
			newest_published = (long)i + 1;
	}

	/* The state, the published version and the tombstone tell one story. */
	if (p->published != newest_published)
		problem(im, "published", "err_library_import_published");
	else if (pub_at_ok && (pub_at != 0) != (p->published != 0))
		problem(im, "published_at", "err_library_import_published_at");
	if (!state)
		return 0;
	bool is_published = strcmp(state, "published") == 0;
	bool open = strcmp(state, "draft") == 0 || strcmp(state, "submitted") == 0 ||
	            strcmp(state, "changes_requested") == 0;
	if ((is_published && p->published != p->latest) ||
	    (open && p->published && p->published >= p->latest)) {
		size_t from = im->d->count;
		lc_diag_addf(im->d, NULL, 0, 0, "state", "err_library_import_state",
		             LC_ARG_S("state", state));
		place(im, from, NULL, false);
	}
	if (p->withdrawn != (strcmp(state, "withdrawn") == 0 && p->published))
		problem(im, "withdrawn", "err_library_import_withdrawn");
	if (json_is_true(feat) && (!p->published || p->withdrawn))
		problem(im, "featured", "err_library_import_featured");
	return 0;
}

/* ---- import: writing ------------------------------------------------------------------------- */

static const char *const insert_text =
    "INSERT INTO lib_texts (case_id, n, lang, title, summary, context, objectives, activities,"
    " outcomes, challenges, lessons, sustainability, transferability, keywords)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

static void bind_time(sqlite3_stmt *st, int i, const json_t *v)
{
	int64_t t = 0;
	if (json_is_string(v) && parse_time(json_string_value(v), &t))
		sqlite3_bind_int64(st, i, t);
	else
		sqlite3_bind_null(st, i);
}

static int step(struct lc_db *db, sqlite3_stmt *st)
{
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static int write_version(struct lc_db *db, int64_t id, const json_t *v)
{
	json_int_t n = json_integer_value(json_object_get(v, "n"));
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO lib_versions (case_id, n, original, meta,"
	                                  " created_at, updated_at, published_at)"
	                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		return LC_EDB;
	/* As library.c stores it: compact, keys sorted. */
	char *meta = json_dumps(json_object_get(v, "meta"), JSON_COMPACT | JSON_SORT_KEYS);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, n);
	lc_db_bind_text(st, 3, json_string_value(json_object_get(v, "original")));
	lc_db_bind_text(st, 4, meta ? meta : "{}");
	bind_time(st, 5, json_object_get(v, "created_at"));
	bind_time(st, 6, json_object_get(v, "updated_at"));
	bind_time(st, 7, json_object_get(v, "published_at"));
	int err = step(db, st);
	lc_free(meta); /* jansson allocates with malloc */
	const char *l;
	const json_t *t;
	json_object_foreach(json_object_get(v, "translations"), l, t)
	{
		if (err)
			break;
		st = lc_db_stmt(db, insert_text);
		if (!st)
			return LC_EDB;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, n);
		lc_db_bind_text(st, 3, l);
		for (int i = 0; i < NSECTIONS; i++) {
			const char *s = json_string_value(json_object_get(t, text_cols[i]));
			/* An empty section is no section, as when a draft is saved. */
			lc_db_bind_text(st, 4 + i, s && s[0] ? s : NULL);
		}
		err = step(db, st);
	}
	return err;
}

static int write_case(struct lc_db *db, const struct lc_actor *actor, const json_t *c,
                      struct plan *p, int64_t *id)
{
	const char *state = json_string_value(json_object_get(c, "state"));
	const json_t *versions = json_object_get(c, "versions");
	const json_t *last = json_array_get(versions, json_array_size(versions) - 1);
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO wf_items (id, process, state, city_id,"
	                                  " country, created_at, entered_at)"
	                                  " VALUES (?1, 'library', ?2, ?3, ?4, ?5, ?6)");
	if (!st)
		return LC_EDB;
	if (p->id)
		sqlite3_bind_int64(st, 1, p->id);
	lc_db_bind_text(st, 2, state);
	sqlite3_bind_int64(st, 3, p->city_id);
	lc_db_bind_text(st, 4, p->country);
	bind_time(st, 5, json_object_get(c, "created_at"));
	bind_time(st, 6, json_object_get(last, "updated_at"));
	int err = step(db, st);
	if (err)
		return err;
	*id = lc_db_last_id(db);
	st = lc_db_stmt(db, "INSERT INTO wf_history (item_id, transition, to_state, actor_email,"
	                    " reason, at) VALUES (?1, 'import', ?2, ?3, NULL, ?4)");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, *id);
	lc_db_bind_text(st, 2, state);
	lc_db_bind_text(st, 3, actor->kind == LC_ACTOR_ACCOUNT ? actor->email : "system");
	sqlite3_bind_int64(st, 4, lc_clock_now());
	err = step(db, st);
	if (err)
		return err;
	const json_t *wd = json_object_get(c, "withdrawn");
	st = lc_db_stmt(db, "INSERT INTO lib_cases (id, city_id, created_at, featured, published,"
	                    " published_at, withdrawn_at, withdrawn_reason)"
	                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int64(st, 2, p->city_id);
	bind_time(st, 3, json_object_get(c, "created_at"));
	sqlite3_bind_int(st, 4, json_is_true(json_object_get(c, "featured")));
	if (p->published)
		sqlite3_bind_int64(st, 5, p->published);
	bind_time(st, 6, json_object_get(c, "published_at"));
	if (p->withdrawn) {
		bind_time(st, 7, json_object_get(wd, "at"));
		lc_db_bind_text(st, 8, json_string_value(json_object_get(wd, "reason")));
	}
	err = step(db, st);
	size_t i;
	const json_t *v;
	json_array_foreach(versions, i, v)
	{
		if (err)
			break;
		err = write_version(db, *id, v);
	}
	if (!err && p->published && !p->withdrawn)
		err = lib_index(db, *id, p->published);
	return err;
}

int lc_library_import(struct lc_db *db, const struct lc_actor *actor, const char *text, size_t len,
                      unsigned flags, size_t *count, struct lc_diag *d)
{
	*count = 0;
	int err = lc_authz_check(actor, LC_ACT_CURATE_LIBRARY, NULL);
	if (err)
		return err;
	if (len > LC_LIMIT_LIBRARY_IMPORT_BYTES) {
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_library_import_size",
		             LC_ARG_I("limit", LC_LIMIT_LIBRARY_IMPORT_BYTES));
		return LC_ELIMIT;
	}
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		lc_diag_addf(d, NULL, je.line, je.column, NULL, "err_library_import_json",
		             LC_ARG_S("reason", je.text));
		return LC_EINVAL;
	}
	struct importer im = {.db = db, .d = d, .flags = flags};
	lc_buf_init(&im.path, 4096);
	struct plan *plans = NULL;
	json_t *seen = json_object();
	const json_t *cases = json_object_get(root, "cases");
	size_t before = lc_diag_total(d);
	if (!json_is_object(root) || !json_is_string(json_object_get(root, "format")) ||
	    strcmp(json_string_value(json_object_get(root, "format")), LC_LIBRARY_FORMAT) != 0 ||
	    !json_is_integer(json_object_get(root, "version")) ||
	    json_integer_value(json_object_get(root, "version")) != LC_LIBRARY_FORMAT_VERSION ||
	    !json_is_array(cases)) {
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_library_import_format",
		             LC_ARG_S("format", LC_LIBRARY_FORMAT),
		             LC_ARG_I("version", LC_LIBRARY_FORMAT_VERSION));
		err = LC_EINVAL;
		goto out;
	}
	static const char *const top[] = {"format", "version", "cases"};
	only(&im, root, top, 3);
	if (json_array_size(cases) > LC_LIMIT_LIBRARY_IMPORT_CASES) {
		lc_diag_addf(d, NULL, 0, 0, "cases", "err_library_too_many",
		             LC_ARG_S("field", "cases"),
		             LC_ARG_I("limit", LC_LIMIT_LIBRARY_IMPORT_CASES));
		err = LC_EINVAL;
		goto out;
	}
	err = lc_db_begin(db);
	if (err)
		goto out;
	plans = lc_xcalloc(json_array_size(cases) + 1, sizeof *plans);
	size_t i;
	const json_t *c;
	json_array_foreach(cases, i, c)
	{
		cut(&im.path, 0);
		lc_buf_printf(&im.path, "cases[%zu]", i);
		err = check_case(&im, c, &plans[i], seen);
		if (err)
			break;
	}
	if (!err && lc_diag_total(d) > before)
		err = LC_EINVAL;
	json_array_foreach(cases, i, c)
	{
		if (err)
			break;
		int64_t id = 0;
		err = write_case(db, actor, c, &plans[i], &id);
	}
	if (!err) {
		json_t *after = json_pack("{s:I}", "cases", (json_int_t)json_array_size(cases));
		err = lc_audit_append(db, actor, "library.import", "library", "cases", NULL, after,
		                      NULL);
		json_decref(after);
	}
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	else
		*count = json_array_size(cases);
out:
	lc_free(plans);
	json_decref(seen);
	json_decref(root);
	lc_buf_cleanup(&im.path);
	return err;
}

/* ---- the indexes' integrity ------------------------------------------------------------------ */

int lc_library_fts_check(struct lc_db *db, const char **lang)
{
	*lang = NULL;
	for (size_t l = 0; l < NLANGS; l++) {
		char sql[96];
		snprintf(sql, sizeof sql,
		         "INSERT INTO lib_fts_%s (lib_fts_%s) VALUES ('integrity-check')",
		         lc_library_langs[l], lc_library_langs[l]);
		if (lc_db_exec(db, sql) != 0) {
			*lang = lc_library_langs[l];
			return LC_EDB;
		}
	}
	return 0;
}
