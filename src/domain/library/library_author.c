/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The people's side of the case-study library (library.h): what the
 * author's form offers (the vocabularies, the cities one may write for) and
 * the curator's queue. It writes nothing: the form writes through
 * lc_library_create and lc_library_update, the queue's steps through
 * lc_library_take.
 */
#include "domain/library/library.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/library/library_internal.h"
#include "domain/platform/clock.h"

static const char *name_in(json_t *names, const char *lang)
{
	const char *s = json_string_value(json_object_get(names, lang));
	return s ? s : json_string_value(json_object_get(names, "en"));
}

int lc_library_vocab(struct lc_db *db, const char *kind, const char *lang, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT code, name FROM lib_vocab WHERE kind = ?1 ORDER BY position");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, kind);
	json_t *a = json_array();
	int rc;
	while (lc_db_next(db, st, &rc)) {
		json_t *names = json_loads(lc_db_text(st, 1), 0, NULL);
		json_array_append_new(a, json_pack("{s:s, s:s?}", "code", lc_db_text(st, 0), "name",
		                                   name_in(names, lang)));
		json_decref(names);
	}
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

int lc_library_cities(struct lc_db *db, const struct lc_actor *actor, const char *lang,
                      json_t **out)
{
	*out = NULL;
	if (actor->kind == LC_ACTOR_ANONYMOUS)
		return LC_EAUTH;
	bool all = lc_authz_check(actor, LC_ACT_CURATE_LIBRARY, NULL) == 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id, slug, name FROM cities"
	                                  " ORDER BY json_extract(sort_key, '$.en')");
	if (!st)
		return LC_EDB;
	json_t *a = json_array();
	int rc;
	while (lc_db_next(db, st, &rc)) {
		struct lc_authz_object obj = {.city_id = sqlite3_column_int64(st, 0)};
		if (!all && lc_authz_check(actor, LC_ACT_WRITE_CASE, &obj) != 0)
			continue;
		json_t *names = json_loads(lc_db_text(st, 2), 0, NULL);
		json_array_append_new(a, json_pack("{s:s, s:s?}", "slug", lc_db_text(st, 1), "name",
		                                   name_in(names, lang)));
		json_decref(names);
	}
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	if (!json_array_size(a)) {
		json_decref(a);
		return LC_EPERM;
	}
	*out = a;
	return 0;
}

/* The states of the queue, in the order of its tabs: what waits for a curator first. */
static const char *const queue_states[] = {"submitted", "changes_requested", "draft", "published",
                                           "declined",  "withdrawn",         NULL};

int lc_library_queue(struct lc_db *db, const struct lc_actor *actor, const char *state, long page,
                     long per_page, const char *lang, json_t **out)
{
	*out = NULL;
	int err = lc_authz_check(actor, LC_ACT_CURATE_LIBRARY, NULL);
	if (err)
		return err;
	bool known = state == NULL;
	for (size_t i = 0; !known && queue_states[i]; i++)
		known = strcmp(queue_states[i], state) == 0;
	if (!known || page < 1 || per_page < 1 || per_page > LC_LIMIT_PER_PAGE)
		return LC_EINVAL;
	json_t *by = json_object();
	json_int_t total = 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT w.state, count(*) FROM lib_cases c"
	                                  " JOIN wf_items w ON w.id = c.id GROUP BY w.state");
	if (!st) {
		json_decref(by);
		return LC_EDB;
	}
	int rc;
	while (lc_db_next(db, st, &rc)) {
		json_int_t k = sqlite3_column_int64(st, 1);
		json_object_set_new(by, lc_db_text(st, 0), json_integer(k));
		if (!state || strcmp(state, lc_db_text(st, 0)) == 0)
			total += k;
	}
	if (rc < 0) {
		json_decref(by);
		return rc;
	}
	/* Submitted cases first, the longest waiting at the top; then the others, the latest
	 * moved first. */
	st = lc_db_stmt(
	    db, "SELECT c.id, w.state, w.entered_at, c.featured, ci.slug, ci.name, v.original,"
	        " t.title, v.n FROM lib_cases c JOIN wf_items w ON w.id = c.id"
	        " JOIN cities ci ON ci.id = c.city_id"
	        " JOIN lib_versions v ON v.case_id = c.id"
	        " AND v.n = (SELECT max(n) FROM lib_versions WHERE case_id = c.id)"
	        " LEFT JOIN lib_texts t ON t.case_id = c.id AND t.n = v.n AND t.lang = v.original"
	        " WHERE ?1 IS NULL OR w.state = ?1"
	        " ORDER BY w.state <> 'submitted',"
	        " CASE WHEN w.state = 'submitted' THEN w.entered_at ELSE -w.entered_at END, c.id"
	        " LIMIT ?2 OFFSET ?3");
	if (!st) {
		json_decref(by);
		return LC_EDB;
	}
	lc_db_bind_text(st, 1, state);
	sqlite3_bind_int64(st, 2, per_page);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)(page - 1) * per_page);
	json_t *items = json_array();
	while (lc_db_next(db, st, &rc)) {
		char at[21];
		lc_clock_iso(sqlite3_column_int64(st, 2), at);
		json_t *names = json_loads(lc_db_text(st, 5), 0, NULL);
		const char *orig = lc_db_text(st, 6);
		json_array_append_new(
		    items,
		    json_pack("{s:I, s:s, s:s, s:b, s:{s:s, s:s?}, s:s, s:b, s:s?, s:I}", "id",
		              (json_int_t)sqlite3_column_int64(st, 0), "state", lc_db_text(st, 1),
		              "since", at, "featured", sqlite3_column_int(st, 3), "city", "slug",
		              lc_db_text(st, 4), "name", name_in(names, lang), "lang", orig, "rtl",
		              orig && strcmp(orig, "ar") == 0, "title", lc_db_text(st, 7),
		              "version", (json_int_t)sqlite3_column_int64(st, 8)));
		json_decref(names);
	}
	if (rc < 0) {
		json_decref(items);
		json_decref(by);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:I, s:I, s:I, s:o, s:s?}", "items", items, "total", total,
	                 "page", (json_int_t)page, "per_page", (json_int_t)per_page, "pages",
	                 (json_int_t)((total + per_page - 1) / per_page), "by_state", by, "state",
	                 state);
	return 0;
}

long lc_library_words(const char *s)
{
	return s ? lib_words(s) : 0;
}
