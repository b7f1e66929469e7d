/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The case-study library's writing side (library.h): the process table
 * and its guard and effects, validating and saving drafts, the checks
 * before submission, featuring and deleting. Reading and search are
 * library_read.c's; the engine (domain/workflow/workflow.h) takes the steps.
 */
#include "domain/library/library.h"

#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/embedded.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/slice.h"
#include "base/alloc.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/library/library_internal.h"
#include "domain/platform/audit.h"
#include "domain/platform/clock.h"
#include "domain/workflow/workflow.h"

const char *const lc_library_langs[] = {"ar", "zh", "en", "fr", "ru", "es", NULL};
const char *const lc_library_sections[] = {
    "title",      "summary", "context",        "objectives",      "activities", "outcomes",
    "challenges", "lessons", "sustainability", "transferability", "keywords",   NULL};
#define NLANGS    6
#define NSECTIONS 11

/* One UPDATE per section: the statement cache wants literal SQL. */
static const char *const set_section[NSECTIONS] = {
#define SET(c) "UPDATE lib_texts SET " c " = ?4 WHERE case_id = ?1 AND n = ?2 AND lang = ?3"
    SET("title"),          SET("summary"),         SET("context"),    SET("objectives"),
    SET("activities"),     SET("outcomes"),        SET("challenges"), SET("lessons"),
    SET("sustainability"), SET("transferability"), SET("keywords"),
#undef SET
};

/* The sections the original language must have before submission. */
static const char *const required[] = {"title",      "summary",    "context",
                                       "objectives", "activities", "outcomes"};

static const char *const groups[] = {
    "children", "youth",    "adults",     "older_people", "women",    "migrants",
    "refugees", "disabled", "unemployed", "low_literacy", "families", "teachers",
    "workers",  "rural",    "indigenous", "everyone",     NULL};
static const char *const settings[] = {"formal", "non_formal",   "informal", "workplace",
                                       "family", "community",    "online",   "library",
                                       "museum", "public_space", NULL};
static const char *const evaluations[] = {"none", "internal", "external", "academic", NULL};
static const char *const related_kinds[] = {"case", "nomination", "report", "session", NULL};
static const char *const licences[] = {"CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC0-1.0",
                                       NULL};
/* Members of the case's JSON kept in lib_versions.meta. */
static const char *const meta_keys[] = {
    "period",        "areas",    "primary_area", "sdgs",      "primary_sdg", "targets",
    "target_groups", "settings", "partners",     "funding",   "reached",     "evidence",
    "related",       "images",   "licence",      "documents", NULL};

static size_t count(const char *const *names)
{
	size_t n = 0;
	while (names[n])
		n++;
	return n;
}

static bool one_of(const char *const *names, const char *s)
{
	return s && lc_str_index(names, count(names), s) >= 0;
}

/* ---- words --------------------------------------------------------------------------------- */

static bool space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x3000 ||
	       (c >= 0x2000 && c <= 0x200B);
}

static bool ideograph(uint32_t c)
{
	return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

long lib_words(const char *s)
{
	long words = 0, half = 0;
	bool in = false;
	size_t len = s ? strlen(s) : 0;
	for (size_t i = 0; i < len;) {
		uint32_t c = 0;
		size_t k = lc_utf8_decode(s + i, len - i, &c);
		if (!k)
			k = 1, c = 0xFFFD;
		i += k;
		if (ideograph(c)) { /* written without spaces: about two characters a word */
			half++;
			in = false;
			continue;
		}
		bool sp = space(c);
		if (!sp && !in)
			words++;
		in = !sp;
	}
	return words + (half + 1) / 2;
}

/* ---- the case ------------------------------------------------------------------------------ */

int lib_case_load(struct lc_db *db, int64_t id, struct lib_case *c)
{
	memset(c, 0, sizeof *c);
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT c.city_id, w.state, coalesce(c.published, 0), c.withdrawn_at IS NOT NULL,"
	        " (SELECT max(n) FROM lib_versions v WHERE v.case_id = c.id)"
	        " FROM lib_cases c JOIN wf_items w ON w.id = c.id WHERE c.id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		c->id = id;
		c->city_id = sqlite3_column_int64(st, 0);
		snprintf(c->state, sizeof c->state, "%s",
		         lc_db_text(st, 1) ? lc_db_text(st, 1) : "");
		c->published = (long)sqlite3_column_int64(st, 2);
		c->withdrawn = sqlite3_column_int(st, 3) != 0;
		c->latest = (long)sqlite3_column_int64(st, 4);
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

static int may_write(const struct lc_actor *actor, int64_t city_id)
{
	struct lc_authz_object obj = {.city_id = city_id};
	return lc_authz_check(actor, LC_ACT_WRITE_CASE, &obj);
}

/* ---- validation ---------------------------------------------------------------------------- */

static void bad_type(struct lc_diag *d, const char *field, const char *expected)
{
	lc_diag_addf(d, NULL, 0, 0, field, "err_library_type", LC_ARG_S("field", field),
	             LC_ARG_S("expected", expected));
}

/* A string of at most max bytes (NULL allowed when nullable). */
static bool check_string(const json_t *v, const char *field, size_t max, bool nullable,
                         struct lc_diag *d)
{
	if (nullable && (!v || json_is_null(v)))
		return true;
	if (!json_is_string(v)) {
		bad_type(d, field, "text");
		return false;
	}
	if (json_string_length(v) > max) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_library_too_long", LC_ARG_S("field", field),
		             LC_ARG_I("limit", max));
		return false;
	}
	return true;
}

/* An array of at most max entries. */
static bool check_array(const json_t *v, const char *field, size_t max, struct lc_diag *d)
{
	if (!json_is_array(v)) {
		bad_type(d, field, "list");
		return false;
	}
	if (json_array_size(v) > max) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_library_too_many", LC_ARG_S("field", field),
		             LC_ARG_I("limit", max));
		return false;
	}
	return true;
}

/* A list of distinct codes, each one of names (or, names NULL, a vocabulary kind's). */
static int check_codes(struct lc_db *db, const json_t *v, const char *field,
                       const char *const *names, const char *vocab, struct lc_diag *d)
{
	if (!check_array(v, field, LC_LIMIT_LIBRARY_LIST, d))
		return 0;
	size_t i;
	const json_t *x;
	json_array_foreach(v, i, x)
	{
		const char *s = json_string_value(x);
		bool ok = s != NULL;
		if (ok && names)
			ok = one_of(names, s);
		else if (ok) {
			sqlite3_stmt *st =
			    lc_db_stmt(db, "SELECT 1 FROM lib_vocab WHERE kind = ?1 AND code = ?2");
			if (!st)
				return LC_EDB;
			lc_db_bind_text(st, 1, vocab);
			lc_db_bind_text(st, 2, s);
			int rc = lc_db_step(db, st);
			lc_db_release(db, st);
			if (rc < 0)
				return rc;
			ok = rc == 1;
		}
		for (size_t j = 0; ok && j < i; j++)
			ok = !json_equal(x, json_array_get(v, j));
		if (!ok) {
			lc_diag_addf(d, NULL, 0, 0, field, "err_library_value",
			             LC_ARG_S("field", field), LC_ARG_S("value", s ? s : "?"));
			return 0;
		}
	}
	return 0;
}

/* An object whose members are all among keys, each a short string (or, for numeric, a number). */
static void check_record(const json_t *v, const char *field, const char *const *keys,
                         const char *need, struct lc_diag *d)
{
	if (!json_is_object(v)) {
		bad_type(d, field, "object");
		return;
	}
	const char *k;
	const json_t *x;
	json_object_foreach((json_t *)v, k, x)
	{
		if (!one_of(keys, k)) {
			lc_diag_addf(d, NULL, 0, 0, field, "err_library_field",
			             LC_ARG_S("field", k));
			return;
		}
		if (json_is_number(x) || json_is_null(x))
			continue;
		if (!check_string(x, field, LC_LIMIT_LIBRARY_FIELD_BYTES, true, d))
			return;
	}
	if (need && !json_is_string(json_object_get(v, need)))
		lc_diag_addf(d, NULL, 0, 0, field, "err_library_missing", LC_ARG_S("field", field),
		             LC_ARG_S("member", need));
}

static bool year_ok(const json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) >= 1900 && json_integer_value(v) <= 2999;
}

/* The meta member k = v; problems to d. 0 or LC_EDB. */
static int check_meta(struct lc_db *db, const char *k, const json_t *v, struct lc_diag *d)
{
	static const char *const partner_keys[] = {"name", "type", "role", NULL};
	static const char *const indicator_keys[] = {"name", "baseline", "value",
	                                             "year", "source",   NULL};
	static const char *const image_keys[] = {"src", "alt", "credit", "licence", NULL};
	size_t i;
	const json_t *x;
	if (strcmp(k, "period") == 0) {
		const json_t *s = json_object_get(v, "start"), *e = json_object_get(v, "end");
		if (!json_is_object(v) || !year_ok(s) || (e && !json_is_null(e) && !year_ok(e)) ||
		    json_object_size(v) > 2)
			bad_type(d, k, "{\"start\": year, \"end\": year or null}");
		else if (year_ok(e) && json_integer_value(e) < json_integer_value(s))
			lc_diag_add(d, NULL, 0, 0, k, "err_library_period");
	} else if (strcmp(k, "areas") == 0) {
		return check_codes(db, v, k, NULL, "area", d);
	} else if (strcmp(k, "sdgs") == 0) {
		return check_codes(db, v, k, NULL, "sdg", d);
	} else if (strcmp(k, "primary_area") == 0 || strcmp(k, "primary_sdg") == 0) {
		check_string(v, k, 32, true, d);
	} else if (strcmp(k, "target_groups") == 0) {
		return check_codes(db, v, k, groups, NULL, d);
	} else if (strcmp(k, "settings") == 0) {
		return check_codes(db, v, k, settings, NULL, d);
	} else if (strcmp(k, "targets") == 0) {
		if (!check_array(v, k, LC_LIMIT_LIBRARY_LIST, d))
			return 0;
		json_array_foreach(v, i, x)
		{
			const char *s = json_string_value(x);
			unsigned goal = 0;
			char rest[4] = "";
			int used = 0;
			/* "4.6", "4.a": a goal, a dot, a target of one or two digits or a letter.
			 */
			if (!s || strlen(s) > 5 ||
			    sscanf(s, "%2u.%2[0-9a-c]%n", &goal, rest, &used) != 2 ||
			    (size_t)used != strlen(s) || goal < 1 || goal > 17) {
				lc_diag_addf(d, NULL, 0, 0, k, "err_library_value",
				             LC_ARG_S("field", k), LC_ARG_S("value", s ? s : "?"));
				break;
			}
		}
	} else if (strcmp(k, "funding") == 0) {
		if (!check_array(v, k, LC_LIMIT_LIBRARY_LIST, d))
			return 0;
		json_array_foreach(
		    v, i, x) if (!check_string(x, k, LC_LIMIT_LIBRARY_FIELD_BYTES, false, d)) break;
	} else if (strcmp(k, "partners") == 0) {
		if (!check_array(v, k, LC_LIMIT_LIBRARY_LIST, d))
			return 0;
		json_array_foreach(v, i, x) check_record(x, k, partner_keys, "name", d);
	} else if (strcmp(k, "reached") == 0) {
		const json_t *num = json_object_get(v, "number");
		if (!json_is_object(v) || !json_is_integer(num) || json_integer_value(num) < 0 ||
		    !year_ok(json_object_get(v, "year")) || json_object_size(v) != 2)
			bad_type(d, k, "{\"number\": count, \"year\": year}");
	} else if (strcmp(k, "evidence") == 0) {
		const json_t *ev = json_object_get(v, "evaluation"),
		             *ind = json_object_get(v, "indicators");
		if (!json_is_object(v) || (ev && !one_of(evaluations, json_string_value(ev))) ||
		    json_object_size(v) > (size_t)(!!ev + !!ind)) {
			bad_type(d, k,
			         "{\"evaluation\": none|internal|external|academic, "
			         "\"indicators\": [...]}");
			return 0;
		}
		if (ind && check_array(ind, k, LC_LIMIT_LIBRARY_LIST, d))
			json_array_foreach(ind, i, x) check_record(x, k, indicator_keys, "name", d);
	} else if (strcmp(k, "related") == 0) {
		if (!check_array(v, k, LC_LIMIT_LIBRARY_LIST, d))
			return 0;
		json_array_foreach(v, i, x)
		{
			const json_t *id = json_object_get(x, "id");
			if (!json_is_object(x) || json_object_size(x) != 2 ||
			    !one_of(related_kinds, json_string_value(json_object_get(x, "kind"))) ||
			    !json_is_integer(id) || json_integer_value(id) < 1) {
				bad_type(
				    d, k,
				    "{\"kind\": case|nomination|report|session, \"id\": number}");
				break;
			}
		}
	} else if (strcmp(k, "images") == 0) {
		if (!check_array(v, k, LC_LIMIT_LIBRARY_LIST, d))
			return 0;
		json_array_foreach(v, i, x)
		{
			const json_t *alt = json_object_get(x, "alt");
			json_t *plain = json_deep_copy(x);
			json_object_del(plain, "alt");
			check_record(plain, k, image_keys, "src", d);
			json_decref(plain);
			if (alt && !json_is_object(alt))
				bad_type(d, k, "{\"alt\": {language: text}}");
			const char *l;
			const json_t *a;
			json_object_foreach((json_t *)alt, l, a)
			{
				if (!one_of(lc_library_langs, l))
					lc_diag_addf(d, NULL, 0, 0, k, "err_library_lang",
					             LC_ARG_S("lang", l));
				else
					check_string(a, k, LC_LIMIT_LIBRARY_FIELD_BYTES, false, d);
			}
		}
	} else if (strcmp(k, "documents") == 0) {
		static const char *const document_keys[] = {"src",    "lang",    "title",
		                                            "credit", "licence", NULL};
		if (!check_array(v, k, LC_LIMIT_LIBRARY_LIST, d))
			return 0;
		json_array_foreach(v, i, x) check_record(x, k, document_keys, "src", d);
	} else if (strcmp(k, "licence") == 0) {
		if (!one_of(licences, json_string_value(v)))
			lc_diag_addf(
			    d, NULL, 0, 0, k, "err_library_value", LC_ARG_S("field", k),
			    LC_ARG_S("value", json_is_string(v) ? json_string_value(v) : "?"));
	}
	return 0;
}

/* The "texts" member: {lang: {section: text|null} | null}. existing: the languages the version
 * has (a new one needs its title); original: the language that cannot be removed. */
static void check_texts(const json_t *texts, const char *original, const bool *existing,
                        struct lc_diag *d)
{
	if (!json_is_object(texts)) {
		bad_type(d, "texts", "{language: {section: text}}");
		return;
	}
	const char *l;
	const json_t *t;
	json_object_foreach((json_t *)texts, l, t)
	{
		long li = lc_str_index(lc_library_langs, NLANGS, l);
		if (li < 0) {
			lc_diag_addf(d, NULL, 0, 0, "texts", "err_library_lang",
			             LC_ARG_S("lang", l));
			continue;
		}
		if (json_is_null(t)) {
			if (original && strcmp(l, original) == 0)
				lc_diag_addf(d, NULL, 0, 0, "texts", "err_library_original",
				             LC_ARG_S("lang", l));
			continue;
		}
		if (!json_is_object(t)) {
			bad_type(d, "texts", "{language: {section: text}}");
			continue;
		}
		const char *s;
		const json_t *x;
		json_object_foreach((json_t *)t, s, x)
		{
			long si = lc_str_index(lc_library_sections, NSECTIONS, s);
			if (si < 0) {
				lc_diag_addf(d, NULL, 0, 0, "texts", "err_library_field",
				             LC_ARG_S("field", s));
				continue;
			}
			if (si == 0 &&
			    (!json_is_string(x) || json_string_length(x) == 0 ||
			     strspn(json_string_value(x), " \t\r\n") == json_string_length(x))) {
				lc_diag_addf(d, NULL, 0, 0, "title", "err_library_title",
				             LC_ARG_S("lang", l));
				continue;
			}
			check_string(x, s,
			             si == 0 ? LC_LIMIT_LIBRARY_TITLE_BYTES
			                     : LC_LIMIT_LIBRARY_TEXT_BYTES,
			             true, d);
		}
		if (!existing[li] && !json_is_string(json_object_get(t, "title")))
			lc_diag_addf(d, NULL, 0, 0, "title", "err_library_title",
			             LC_ARG_S("lang", l));
	}
}

/* Every member of patch (create-only members excluded by the caller). 0 or LC_EDB. */
static int check_patch(struct lc_db *db, const json_t *patch, const char *original,
                       const bool *existing, struct lc_diag *d)
{
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)patch, k, v)
	{
		if (strcmp(k, "texts") == 0)
			check_texts(v, original, existing, d);
		else if (one_of(meta_keys, k)) {
			if (json_is_null(v))
				continue; /* removes the member */
			int err = check_meta(db, k, v, d);
			if (err)
				return err;
		} else
			lc_diag_addf(d, NULL, 0, 0, k, "err_library_field", LC_ARG_S("field", k));
	}
	return 0;
}

int lib_check_meta(struct lc_db *db, const json_t *meta, struct lc_diag *d)
{
	if (!json_is_object(meta)) {
		bad_type(d, "meta", "object");
		return 0;
	}
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)meta, k, v)
	{
		if (!one_of(meta_keys, k) || json_is_null(v)) {
			lc_diag_addf(d, NULL, 0, 0, k, "err_library_field", LC_ARG_S("field", k));
			continue;
		}
		int err = check_meta(db, k, v, d);
		if (err)
			return err;
	}
	return 0;
}

void lib_check_text(const char *lang, const json_t *text, struct lc_diag *d)
{
	json_t *texts = json_object();
	json_object_set(texts, lang, (json_t *)text);
	bool none[NLANGS] = {false};
	check_texts(texts, lang, none, d);
	json_decref(texts);
}

/* ---- writing a version --------------------------------------------------------------------- */

/* The languages version n has, and its original. 0 or LC_EDB. */
static int version_langs(struct lc_db *db, int64_t id, long n, bool *has, char original[4])
{
	memset(has, 0, NLANGS * sizeof *has);
	original[0] = '\0';
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT t.lang, v.original FROM lib_versions v"
	                   " LEFT JOIN lib_texts t ON t.case_id = v.case_id AND t.n = v.n"
	                   " WHERE v.case_id = ?1 AND v.n = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, n);
	int rc;
	while (lc_db_next(db, st, &rc)) {
		long li = lc_str_index(lc_library_langs, NLANGS, lc_db_text(st, 0));
		if (li >= 0)
			has[li] = true;
		snprintf(original, 4, "%s", lc_db_text(st, 1) ? lc_db_text(st, 1) : "");
	}
	return rc;
}

static int apply_meta(struct lc_db *db, int64_t id, long n, const json_t *patch)
{
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT meta FROM lib_versions WHERE case_id = ?1 AND n = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, n);
	int rc = lc_db_step(db, st);
	json_t *meta = rc == 1 ? json_loads(lc_db_text(st, 0), 0, NULL) : NULL;
	lc_db_release(db, st);
	if (!meta)
		return rc < 0 ? rc : LC_EDB;
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)patch, k, v)
	{
		if (!one_of(meta_keys, k))
			continue;
		if (json_is_null(v))
			json_object_del(meta, k);
		else
			json_object_set(meta, k, (json_t *)v);
	}
	char *text = json_dumps(meta, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(meta);
	if (!text)
		return LC_EDB;
	st = lc_db_stmt(db, "UPDATE lib_versions SET meta = ?3, updated_at = ?4"
	                    " WHERE case_id = ?1 AND n = ?2");
	int err = st ? 0 : LC_EDB;
	if (!err) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, n);
		lc_db_bind_text(st, 3, text);
		sqlite3_bind_int64(st, 4, lc_clock_now());
		err = lc_db_step(db, st);
		lc_db_release(db, st);
	}
	lc_free(text); /* jansson allocates with malloc */
	return err < 0 ? err : 0;
}

static int apply_texts(struct lc_db *db, int64_t id, long n, const json_t *texts)
{
	const char *l;
	const json_t *t;
	int err = 0;
	json_object_foreach((json_t *)texts, l, t)
	{
		sqlite3_stmt *st;
		const char *title = json_string_value(json_object_get(t, "title"));
		if (!json_is_null(t) && !title) {
			st = NULL; /* an existing translation (checked): only its sections change */
		} else if (json_is_null(t)) {
			st = lc_db_stmt(db, "DELETE FROM lib_texts WHERE case_id = ?1 AND n = ?2"
			                    " AND lang = ?3");
		} else {
			/* A new translation starts with its title (checked present). */
			st = lc_db_stmt(db, "INSERT INTO lib_texts (case_id, n, lang, title)"
			                    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING");
		}
		if (!st && (json_is_null(t) || title))
			return LC_EDB;
		if (st) {
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int64(st, 2, n);
			lc_db_bind_text(st, 3, l);
			if (title)
				lc_db_bind_text(st, 4, title);
			err = lc_db_step(db, st);
			lc_db_release(db, st);
			if (err < 0)
				return err;
		}
		const char *s;
		const json_t *x;
		json_object_foreach((json_t *)t, s, x)
		{
			long si = lc_str_index(lc_library_sections, NSECTIONS, s);
			st = si >= 0 ? lc_db_stmt(db, set_section[si]) : NULL;
			if (!st)
				return LC_EDB;
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int64(st, 2, n);
			lc_db_bind_text(st, 3, l);
			const char *val = json_string_value(x);
			lc_db_bind_text(st, 4, val && val[0] ? val : NULL);
			err = lc_db_step(db, st);
			lc_db_release(db, st);
			if (err < 0)
				return err;
		}
	}
	return 0;
}

static int apply(struct lc_db *db, int64_t id, long n, const json_t *patch)
{
	int err = apply_meta(db, id, n, patch);
	const json_t *texts = json_object_get(patch, "texts");
	if (!err && texts)
		err = apply_texts(db, id, n, texts);
	return err;
}

/* ---- create and update --------------------------------------------------------------------- */

static int find_city(struct lc_db *db, const char *slug, int64_t *id, char country[3])
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id, country FROM cities WHERE slug = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, slug ? slug : "");
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(country, 3, "%s", lc_db_text(st, 1) ? lc_db_text(st, 1) : "");
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

int lc_library_create(struct lc_db *db, const struct lc_actor *actor, const json_t *body,
                      int64_t *id, struct lc_diag *d)
{
	*id = 0;
	if (actor->kind == LC_ACTOR_ANONYMOUS)
		return LC_EAUTH;
	if (!json_is_object(body)) {
		bad_type(d, "body", "object");
		return LC_EINVAL;
	}
	const char *slug = json_string_value(json_object_get(body, "city"));
	const char *lang = json_string_value(json_object_get(body, "lang"));
	const json_t *title = json_object_get(body, "title");
	int64_t city_id = 0;
	char country[3] = "";
	int err = find_city(db, slug, &city_id, country);
	if (err == LC_ENOTFOUND) {
		/* Only someone who may write somewhere learns that the slug names no city. */
		err = lc_authz_check(actor, LC_ACT_WRITE_CASE, NULL);
		if (!err) {
			lc_diag_addf(d, NULL, 0, 0, "city", "err_library_city",
			             LC_ARG_S("slug", slug ? slug : ""));
			err = LC_EINVAL;
		}
		return err;
	}
	if (!err)
		err = may_write(actor, city_id);
	if (err)
		return err;

	struct lc_diag own;
	lc_diag_init(&own);
	if (!one_of(lc_library_langs, lang))
		lc_diag_addf(&own, NULL, 0, 0, "lang", "err_library_lang",
		             LC_ARG_S("lang", lang ? lang : ""));
	json_t *patch = json_deep_copy(body);
	json_object_del(patch, "city");
	json_object_del(patch, "lang");
	json_object_del(patch, "title");
	/* The title goes with the original's text, checked there. */
	json_t *texts = json_object_get(patch, "texts");
	if (!texts) {
		texts = json_object();
		json_object_set_new(patch, "texts", texts);
	}
	if (lang && one_of(lc_library_langs, lang) && json_is_object(texts)) {
		json_t *orig = json_object_get(texts, lang);
		if (!json_is_object(orig)) {
			orig = json_object();
			json_object_set_new(texts, lang, orig);
		}
		json_object_set(orig, "title", title ? (json_t *)title : json_null());
	}
	bool none[NLANGS] = {false};
	err = check_patch(db, patch, lang, none, &own);
	if (err)
		goto out;
	if (lc_diag_total(&own)) {
		err = LC_EINVAL;
		goto out;
	}
	err = lc_db_begin(db);
	if (err)
		goto out;
	struct lc_wf_item init = {
	    .owner_id = actor->kind == LC_ACTOR_ACCOUNT ? actor->account_id : 0,
	    .city_id = city_id,
	};
	snprintf(init.country, sizeof init.country, "%s", country);
	err = lc_wf_create(db, actor, &lc_library_process, &init, id);
	int64_t now = lc_clock_now();
	sqlite3_stmt *st = NULL;
	if (!err) {
		st = lc_db_stmt(
		    db, "INSERT INTO lib_cases (id, city_id, created_at) VALUES (?1, ?2, ?3)");
		err = st ? 0 : LC_EDB;
	}
	if (!err) {
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, city_id);
		sqlite3_bind_int64(st, 3, now);
		err = lc_db_step(db, st);
		lc_db_release(db, st);
	}
	if (err >= 0) {
		st = lc_db_stmt(db, "INSERT INTO lib_versions (case_id, n, original, created_at,"
		                    " updated_at) VALUES (?1, 1, ?2, ?3, ?3)");
		err = st ? 0 : LC_EDB;
	}
	if (!err) {
		sqlite3_bind_int64(st, 1, *id);
		lc_db_bind_text(st, 2, lang);
		sqlite3_bind_int64(st, 3, now);
		err = lc_db_step(db, st);
		lc_db_release(db, st);
	}
	if (err >= 0)
		err = apply(db, *id, 1, patch);
	if (!err)
		err = lc_db_commit(db);
	if (err) {
		lc_db_rollback(db);
		*id = 0;
	}
out:
	lc_diag_append(d, &own);
	lc_diag_cleanup(&own);
	json_decref(patch);
	return err < 0 ? err : 0;
}

int lc_library_update(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                      const json_t *patch, struct lc_diag *d)
{
	struct lib_case c;
	int err = lib_case_load(db, id, &c);
	if (err)
		return err;
	err = may_write(actor, c.city_id);
	if (err)
		return err;
	bool revise = strcmp(c.state, "published") == 0;
	if (!revise && strcmp(c.state, "draft") != 0 && strcmp(c.state, "changes_requested") != 0) {
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_library_state", LC_ARG_S("state", c.state));
		return LC_ECONFLICT;
	}
	if (!json_is_object(patch)) {
		bad_type(d, "body", "object");
		return LC_EINVAL;
	}
	bool has[NLANGS];
	char original[4];
	err = version_langs(db, id, c.latest, has, original);
	if (err)
		return err;
	struct lc_diag own;
	lc_diag_init(&own);
	err = check_patch(db, patch, original, has, &own);
	if (!err && lc_diag_total(&own))
		err = LC_EINVAL;
	if (!err)
		err = lc_db_begin(db);
	if (err)
		goto out;
	if (revise) /* the effect of "revise" opens version latest + 1 */
		err = lc_wf_take(db, actor, &lc_library_process, id, "draft", NULL, &own, NULL);
	if (!err)
		err = apply(db, id, revise ? c.latest + 1 : c.latest, patch);
	if (!err)
		err = lc_audit_append_id(db, actor, "library.edit", "case", id, NULL, patch, NULL);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
out:
	lc_diag_append(d, &own);
	lc_diag_cleanup(&own);
	return err;
}

/* ---- checks -------------------------------------------------------------------------------- */

static void check_words(const json_t *texts, struct lc_diag *d)
{
	const char *l;
	const json_t *t;
	json_object_foreach((json_t *)texts, l, t)
	{
		for (size_t s = 1; s < NSECTIONS; s++) {
			const char *text =
			    json_string_value(json_object_get(t, lc_library_sections[s]));
			long limit = s == 1 ? LC_LIMIT_LIBRARY_SUMMARY_WORDS
			                    : LC_LIMIT_LIBRARY_SECTION_WORDS;
			long w = text ? lib_words(text) : 0;
			if (w > limit)
				lc_diag_addf(d, NULL, 0, 0, lc_library_sections[s],
				             "err_library_check_words",
				             LC_ARG_S("field", lc_library_sections[s]),
				             LC_ARG_S("lang", l), LC_ARG_I("count", w),
				             LC_ARG_I("limit", limit));
		}
	}
}

/* A list with its primary among it: "none" when empty, "primary" when the primary is missing. */
static void check_primary(const json_t *c, const char *list, const char *primary,
                          const char *none_code, const char *primary_code, struct lc_diag *d)
{
	const json_t *l = json_object_get(c, list);
	const json_t *p = json_object_get(c, primary);
	if (json_array_size(l) == 0) {
		lc_diag_add(d, NULL, 0, 0, list, none_code);
		return;
	}
	size_t i;
	const json_t *x;
	json_array_foreach(l, i, x) if (p && json_equal(x, p)) return;
	lc_diag_add(d, NULL, 0, 0, primary, primary_code);
}

void lib_check_submission(const json_t *v, struct lc_diag *d)
{
	const char *orig = json_string_value(json_object_get(v, "original"));
	const json_t *texts = json_object_get(v, "texts");
	const json_t *ot = json_object_get(texts, orig);
	for (size_t i = 0; i < sizeof required / sizeof *required; i++)
		if (!json_string_value(json_object_get(ot, required[i])))
			lc_diag_addf(d, NULL, 0, 0, required[i], "err_library_check_required",
			             LC_ARG_S("field", required[i]), LC_ARG_S("lang", orig));
	check_words(texts, d);
	check_primary(v, "areas", "primary_area", "err_library_check_area",
	              "err_library_check_primary_area", d);
	check_primary(v, "sdgs", "primary_sdg", "err_library_check_sdg",
	              "err_library_check_primary_sdg", d);
	size_t i;
	const json_t *im;
	json_array_foreach(json_object_get(v, "images"), i, im)
	{
		const char *alt =
		    json_string_value(json_object_get(json_object_get(im, "alt"), orig));
		if (!alt || !alt[0])
			lc_diag_addf(d, NULL, 0, 0, "images", "err_library_check_alt",
			             LC_ARG_I("n", i + 1), LC_ARG_S("lang", orig));
	}
}

int lc_library_checks(struct lc_db *db, int64_t id, struct lc_diag *d)
{
	struct lib_case c;
	int err = lib_case_load(db, id, &c);
	json_t *v = NULL;
	if (!err)
		err = lib_version_json(db, id, c.latest, &v);
	if (err)
		return err;
	lib_check_submission(v, d);
	json_decref(v);
	return 0;
}

/* ---- the process --------------------------------------------------------------------------- */

static const struct lc_wf_state states[] = {
    {.name = "draft", .waits_on = LC_WF_TELL_COORDINATORS},
    {.name = "submitted", .waits_on = LC_WF_TELL_SECRETARIAT},
    {.name = "changes_requested", .waits_on = LC_WF_TELL_COORDINATORS},
    {.name = "published"},
    {.name = "declined", .terminal = true},
    {.name = "withdrawn", .terminal = true},
};

/* No e-mail (tell 0): the author's and the curator's pages show the state and the thread. */
static const struct lc_wf_transition transitions[] = {
    {"submit", "draft", "submitted", LC_ACT_WRITE_CASE, 0, 0},
    {"resubmit", "changes_requested", "submitted", LC_ACT_WRITE_CASE, 0, 0},
    {"request_changes", "submitted", "changes_requested", LC_ACT_CURATE_LIBRARY, LC_WF_REASON, 0},
    {"publish", "submitted", "published", LC_ACT_CURATE_LIBRARY, 0, 0},
    {"decline", "submitted", "declined", LC_ACT_CURATE_LIBRARY, LC_WF_REASON, 0},
    {"revise", "published", "draft", LC_ACT_WRITE_CASE, 0, 0},
    {"withdraw", "published", "withdrawn", LC_ACT_CURATE_LIBRARY, LC_WF_REASON, 0},
    {"withdraw", "draft", "withdrawn", LC_ACT_WRITE_CASE, LC_WF_REASON, 0},
    {"withdraw", "submitted", "withdrawn", LC_ACT_WRITE_CASE, LC_WF_REASON, 0},
    {"withdraw", "changes_requested", "withdrawn", LC_ACT_WRITE_CASE, LC_WF_REASON, 0},
};

static int guard(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
                 const struct lc_wf_transition *t, struct lc_diag *d)
{
	if (strcmp(t->to, "submitted") == 0) {
		struct lc_diag own;
		lc_diag_init(&own);
		int err = lc_library_checks(db, item->id, &own);
		if (!err && lc_diag_total(&own))
			err = LC_EINVAL;
		lc_diag_append(d, &own);
		lc_diag_cleanup(&own);
		return err;
	}
	if (strcmp(t->to, "published") == 0) {
		for (size_t i = 0; i < actor->nroles; i++)
			if (actor->roles[i].kind == LC_ROLE_COORDINATOR &&
			    actor->roles[i].city_id == item->city_id) {
				lc_diag_add(d, NULL, 0, 0, NULL, "err_library_own_case");
				return LC_EPERM;
			}
	}
	return 0;
}

static int exec_id(struct lc_db *db, const char *sql, int64_t id, long n, const char *text)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	/* Each statement uses the parameters it needs: ?1 id, ?2 n, ?3 now, ?4 text. */
	int np = sqlite3_bind_parameter_count(st);
	sqlite3_bind_int64(st, 1, id);
	if (np >= 2)
		sqlite3_bind_int64(st, 2, n);
	if (np >= 3)
		sqlite3_bind_int64(st, 3, lc_clock_now());
	if (np >= 4)
		lc_db_bind_text(st, 4, text);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static int effect(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
                  const struct lc_wf_transition *t, const char *reason, struct lc_diag *d)
{
	(void)actor, (void)d;
	struct lib_case c;
	int err = lib_case_load(db, item->id, &c);
	if (err)
		return err;
	if (strcmp(t->to, "published") == 0) {
		err = exec_id(
		    db, "UPDATE lib_cases SET published = ?2, published_at = ?3 WHERE id = ?1",
		    item->id, c.latest, NULL);
		if (!err)
			err = exec_id(db,
			              "UPDATE lib_versions SET published_at = ?3"
			              " WHERE case_id = ?1 AND n = ?2",
			              item->id, c.latest, NULL);
		if (!err)
			err = lib_index(db, item->id, c.latest);
	} else if (strcmp(t->to, "draft") == 0 && strcmp(t->from, "published") == 0) {
		err = exec_id(db,
		              "INSERT INTO lib_versions (case_id, n, original, meta, created_at,"
		              " updated_at) SELECT case_id, n + 1, original, meta, ?3, ?3"
		              " FROM lib_versions WHERE case_id = ?1 AND n = ?2",
		              item->id, c.latest, NULL);
		if (!err)
			err = exec_id(
			    db,
			    "INSERT INTO lib_texts SELECT case_id, n + 1, lang, title, summary,"
			    " context, objectives, activities, outcomes, challenges, lessons,"
			    " sustainability, transferability, keywords FROM lib_texts"
			    " WHERE case_id = ?1 AND n = ?2",
			    item->id, c.latest, NULL);
	} else if (strcmp(t->to, "withdrawn") == 0 && c.published) {
		err = exec_id(db,
		              "UPDATE lib_cases SET withdrawn_at = ?3, withdrawn_reason = ?4"
		              " WHERE id = ?1",
		              item->id, 0, reason ? reason : "");
		if (!err)
			err = lib_index(db, item->id, 0);
	}
	return err;
}

static void title(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT t.title FROM lib_versions v JOIN lib_texts t ON t.case_id = v.case_id"
	        " AND t.n = v.n AND t.lang = v.original WHERE v.case_id = ?1 ORDER BY v.n DESC "
	        "LIMIT 1");
	if (n)
		out[0] = '\0';
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, item->id);
	if (lc_db_step(db, st) == 1 && lc_db_text(st, 0))
		snprintf(out, n, "%s", lc_db_text(st, 0));
	lc_db_release(db, st);
}

const struct lc_wf_process lc_library_process = {
    .name = "library",
    .initial = "draft",
    .states = states,
    .nstates = sizeof states / sizeof *states,
    .transitions = transitions,
    .ntransitions = sizeof transitions / sizeof *transitions,
    .path_fmt = "/library/%lld",
    .guard = guard,
    .effect = effect,
    .title = title,
};

int lc_library_take(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *to,
                    const char *reason, struct lc_diag *d)
{
	struct lib_case c;
	int err = lib_case_load(db, id, &c);
	if (err)
		return err;
	return lc_wf_take(db, actor, &lc_library_process, id, to, reason, d, NULL);
}

int lc_library_feature(struct lc_db *db, const struct lc_actor *actor, int64_t id, bool on)
{
	int err = lc_authz_check(actor, LC_ACT_CURATE_LIBRARY, NULL);
	struct lib_case c;
	if (!err)
		err = lib_case_load(db, id, &c);
	if (!err && (c.published == 0 || c.withdrawn))
		err = LC_ECONFLICT;
	if (!err)
		err = lc_db_begin(db);
	if (err)
		return err;
	err = exec_id(db, "UPDATE lib_cases SET featured = ?2 WHERE id = ?1", id, on, NULL);
	if (!err)
		err = lc_audit_append_id(db, actor, on ? "library.feature" : "library.unfeature",
		                         "case", id, NULL, NULL, NULL);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

int lc_library_delete(struct lc_db *db, const struct lc_actor *actor, int64_t id)
{
	struct lib_case c;
	int err = lib_case_load(db, id, &c);
	if (err)
		return err;
	err = may_write(actor, c.city_id);
	if (err)
		return err;
	if (c.published || c.withdrawn)
		return LC_ECONFLICT;
	err = lc_db_begin(db);
	if (err)
		return err;
	if (strcmp(c.state, "declined") != 0 && strcmp(c.state, "withdrawn") != 0)
		err = lc_wf_take(db, actor, &lc_library_process, id, "withdrawn", "deleted", NULL,
		                 NULL);
	if (!err)
		err = exec_id(db, "DELETE FROM lib_cases WHERE id = ?1", id, 0, NULL);
	if (!err)
		err = lc_audit_append_id(db, actor, "library.delete", "case", id, NULL, NULL, NULL);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

/* ---- the demonstration ------------------------------------------------------------------- */

int lc_library_demo(struct lc_db *db)
{
	const struct lc_embedded_file *f = lc_embedded_find("data/demo-library.json");
	if (!f)
		return LC_EINTERNAL;
	json_t *root = json_loadb((const char *)f->data, f->len, 0, NULL);
	if (!root)
		return LC_EINTERNAL;
	struct lc_actor sys;
	lc_actor_system(&sys);
	struct lc_diag d;
	lc_diag_init(&d);
	int err = 0;
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(root, "cases"), i, c)
	{
		if (err)
			break;
		bool featured = json_is_true(json_object_get(c, "featured"));
		json_t *body = json_deep_copy(c);
		json_object_del(body, "featured");
		json_object_set(
		    body, "title",
		    json_object_get(json_object_get(json_object_get(c, "texts"),
		                                    json_string_value(json_object_get(c, "lang"))),
		                    "title"));
		int64_t id = 0;
		err = lc_library_create(db, &sys, body, &id, &d);
		json_decref(body);
		if (!err)
			err = lc_library_take(db, &sys, id, "submitted", NULL, &d);
		if (!err)
			err = lc_library_take(db, &sys, id, "published", NULL, &d);
		if (!err && featured)
			err = lc_library_feature(db, &sys, id, true);
	}
	if (err && d.count)
		lc_log_error("library demo: %s", d.items[0].code);
	lc_diag_cleanup(&d);
	json_decref(root);
	return err;
}
