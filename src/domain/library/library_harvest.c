/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The library for harvesters (library_harvest.h): lists of published and
 * withdrawn cases by id or datestamp, with the filters OAI-PMH's sets and
 * dates need, and the names of the vocabularies. Reads only; every case it
 * lists has a published version (lib_cases.published), so a draft never
 * reaches a feed, a sitemap or a harvest.
 */
#include "domain/library/library_harvest.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/library/library.h"

/* The cases of a harvest; ?1 deleted too, ?2 from, ?3 until (0: none), ?4 region, ?5 area. The
 * datestamp: the withdrawal, else the publication of the version the public reads. */
#define HARVEST_FROM                                                                               \
	" FROM lib_cases c JOIN lib_versions v ON v.case_id = c.id AND v.n = c.published"          \
	" JOIN cities ci ON ci.id = c.city_id JOIN countries co ON co.alpha2 = ci.country"         \
	" WHERE c.published IS NOT NULL AND (?1 OR c.withdrawn_at IS NULL)"                        \
	" AND coalesce(c.withdrawn_at, v.published_at) >= ?2"                                      \
	" AND (?3 = 0 OR coalesce(c.withdrawn_at, v.published_at) <= ?3)"                          \
	" AND (?4 IS NULL OR co.region = ?4)"                                                      \
	" AND (?5 IS NULL OR EXISTS (SELECT 1 FROM json_each(v.meta, '$.areas') WHERE value = "    \
	"?5))"
#define HARVEST_COLS                                                                               \
	"SELECT c.id, coalesce(c.withdrawn_at, v.published_at), c.withdrawn_at IS NOT NULL,"       \
	" co.region, json_extract(v.meta, '$.areas'),"                                             \
	" (SELECT json_group_array(t.lang) FROM lib_texts t WHERE t.case_id = c.id AND t.n = v.n)"

static const char *const by_id_sql =
    HARVEST_COLS HARVEST_FROM " AND c.id > ?6 ORDER BY c.id LIMIT ?7";
static const char *const by_date_sql = HARVEST_COLS HARVEST_FROM
    " ORDER BY coalesce(c.withdrawn_at, v.published_at) DESC, c.id DESC LIMIT ?7";
static const char *const count_sql = "SELECT count(*)" HARVEST_FROM;

static void bind_filters(sqlite3_stmt *st, const struct lc_library_harvest *h)
{
	sqlite3_bind_int(st, 1, h->deleted);
	sqlite3_bind_int64(st, 2, h->from);
	sqlite3_bind_int64(st, 3, h->until);
	lc_db_bind_text(st, 4, h->region);
	lc_db_bind_text(st, 5, h->area);
}

static json_t *json_column(sqlite3_stmt *st, int i)
{
	json_t *v = lc_db_text(st, i) ? json_loads(lc_db_text(st, i), 0, NULL) : NULL;
	return json_is_array(v) ? v : (json_decref(v), json_array());
}

int lc_library_harvest(struct lc_db *db, const struct lc_library_harvest *h, json_t **out)
{
	*out = NULL;
	if (h->limit < 1 || h->limit > LC_LIMIT_LIBRARY_HARVEST)
		return LC_EINVAL;
	int err = lc_db_begin_read(db);
	if (err)
		return err;
	json_t *items = json_array();
	json_int_t total = 0;
	sqlite3_stmt *st = lc_db_stmt(db, count_sql);
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	bind_filters(st, h);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		total = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	st = lc_db_stmt(db, h->newest_first ? by_date_sql : by_id_sql);
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	bind_filters(st, h);
	sqlite3_bind_int64(st, 6, h->after);
	sqlite3_bind_int64(st, 7, h->limit);
	while (lc_db_next(db, st, &rc)) {
		json_array_append_new(
		    items, json_pack("{s:I, s:I, s:b, s:s?, s:o, s:o}", "id",
		                     (json_int_t)sqlite3_column_int64(st, 0), "datestamp",
		                     (json_int_t)sqlite3_column_int64(st, 1), "deleted",
		                     sqlite3_column_int(st, 2), "region", lc_db_text(st, 3),
		                     "areas", json_column(st, 4), "langs", json_column(st, 5)));
	}
	if (rc < 0) {
		err = rc;
		goto out;
	}
	if (h->records) {
		struct lc_actor anon;
		lc_actor_anonymous(&anon);
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it)
		{
			json_t *c = NULL;
			err =
			    lc_library_get(db, &anon, json_integer_value(json_object_get(it, "id")),
			                   0, h->lang ? h->lang : "en", &c);
			if (err)
				goto out;
			json_object_set_new(it, "case", c);
		}
	}
out:
	lc_db_commit(db);
	if (!err)
		*out = json_pack("{s:o, s:I}", "items", items, "total", total);
	else
		json_decref(items);
	return err;
}

/* Adds the names of one kind to o: {kind: {code: name}, kind_order: [codes]}. */
static int vocab_kind(struct lc_db *db, const char *sql, const char *kind, const char *lang,
                      json_t *o)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	json_t *names = json_object(), *order = json_array();
	int rc;
	while (lc_db_next(db, st, &rc)) {
		json_t *n = json_loads(lc_db_text(st, 1), 0, NULL);
		const char *s = json_string_value(json_object_get(n, lang));
		if (!s)
			s = json_string_value(json_object_get(n, "en"));
		json_object_set_new(names, lc_db_text(st, 0),
		                    json_string(s ? s : lc_db_text(st, 0)));
		json_array_append_new(order, json_string(lc_db_text(st, 0)));
		json_decref(n);
	}
	char key[32];
	snprintf(key, sizeof key, "%s_order", kind);
	json_object_set_new(o, kind, names);
	json_object_set_new(o, key, order);
	return rc;
}

int lc_library_harvest_vocab(struct lc_db *db, const char *lang, json_t **out)
{
	json_t *o = json_object();
	int err =
	    vocab_kind(db, "SELECT code, name FROM regions ORDER BY position", "region", lang, o);
	if (!err)
		err = vocab_kind(
		    db, "SELECT code, name FROM lib_vocab WHERE kind = 'area' ORDER BY position",
		    "area", lang, o);
	if (!err)
		err = vocab_kind(
		    db, "SELECT code, name FROM lib_vocab WHERE kind = 'sdg' ORDER BY position",
		    "sdg", lang, o);
	if (err) {
		json_decref(o);
		o = NULL;
	}
	*out = o;
	return err;
}

int lc_library_earliest(struct lc_db *db, int64_t *t)
{
	*t = 0;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT min(v.published_at) FROM lib_cases c JOIN lib_versions v"
	                   " ON v.case_id = c.id WHERE c.published IS NOT NULL");
	if (!st)
		return LC_EDB;
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*t = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}
