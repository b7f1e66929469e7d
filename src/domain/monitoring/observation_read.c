/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Reading observations (observation.h): a city-year's values with their
 * versions and the city's list of years, as the JSON the pages, the API and
 * the templates show. Nothing here writes.
 */
#include "domain/monitoring/observation.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/platform/clock.h"
#include "domain/monitoring/year_review.h"
#include "domain/platform/row.h"
#include "domain/monitoring/observation_internal.h"

/* ---- reading ---- */

int lc_obs_find_city(struct lc_db *db, const char *slug, int64_t *id)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id FROM cities WHERE slug = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, slug);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*id = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 1 ? 0 : LC_ENOTFOUND;
}

int lc_obs_may_enter(struct lc_db *db, const struct lc_actor *actor, const char *slug)
{
	int64_t id = 0;
	int err = slug ? lc_obs_find_city(db, slug, &id) : LC_ENOTFOUND;
	if (err)
		return err;
	struct lc_authz_object obj = {.city_id = id};
	return lc_authz_check(actor, LC_ACT_ENTER_OBSERVATIONS, &obj);
}

/*
 * The versions of each value, or (current_only) the current one alone: the
 * partial index observations_current answers the second without reading the
 * corrections, so pages that show values, not their history, cost the same
 * however often a value was corrected. FILTER narrows both halves of the
 * union. Columns: code, label, unit, type, version, value_text, value_num,
 * source, note, is_current, author, at, local.
 */
#define OBS_UNION_SQL(FILTER)                                                                      \
	"SELECT m.code AS code, json_extract(m.label, '$.en'), m.unit, m.type,"                    \
	" o.version AS version, o.value_text, o.value_num, o.source, o.note,"                      \
	" o.is_current AS is_current, " LC_OBS_AUTHOR_SQL(                                         \
	    "o") ", strftime('%Y-%m-%dT%H:%M:%SZ', o.created_at, 'unixepoch'),"                    \
	         " 0 AS local"                                                                     \
	         " FROM observations o JOIN framework_measurements m ON m.id = o.measurement_id"   \
	         " WHERE o.city_id = ?1 AND o.year = ?2" FILTER " UNION ALL"                       \
	         " SELECT m.code, json_extract(m.label, '$.en'), m.unit, m.type,"                  \
	         " o.version, o.value_text, o.value_num, o.source, o.note, o.is_current,"          \
	         " " LC_OBS_AUTHOR_SQL(                                                            \
	             "o") ", strftime('%Y-%m-%dT%H:%M:%SZ', o.created_at, 'unixepoch'),"           \
	                  " 1 AS local"                                                            \
	                  " FROM observations o JOIN local_measurements m ON m.id = "              \
	                  "o.local_measurement_id"                                                 \
	                  " WHERE o.city_id = ?1 AND o.year = ?2" FILTER
/*
 * The latest ?3 versions of each value with its count: from each current
 * version (the partial index observations_current), the versions above
 * current - ?3 through the index observations_version, so the cost follows
 * the values shown, never how often they were corrected. A value's versions
 * are numbered 1, 2, ... without a gap, so the current one's number is their
 * count. CROSS JOIN keeps SQLite from reading every version of the city-year
 * first. Columns as OBS_UNION_SQL's, then the count.
 */
#define OBS_LATEST_SQL(MCOL, MTABLE, LOCAL)                                                        \
	"SELECT m.code AS code, json_extract(m.label, '$.en'), m.unit, m.type,"                    \
	" o.version AS version, o.value_text, o.value_num, o.source, o.note, o.is_current,"        \
	" " LC_OBS_AUTHOR_SQL(                                                                     \
	    "o") ", strftime('%Y-%m-%dT%H:%M:%SZ', o.created_at, 'unixepoch'), " LOCAL             \
	         " AS local,"                                                                      \
	         " c.version FROM observations c JOIN " MTABLE " m ON m.id = c." MCOL              \
	         " CROSS JOIN observations o ON o.city_id = c.city_id AND o.year = c.year"         \
	         " AND coalesce(o.measurement_id, 0) = coalesce(c.measurement_id, 0)"              \
	         " AND coalesce(o.local_measurement_id, 0) = coalesce(c.local_measurement_id, 0)"  \
	         " AND o.version > c.version - ?3"                                                 \
	         " WHERE c.city_id = ?1 AND c.year = ?2 AND c.is_current = 1"
static const char LIST_SQL[] =
    OBS_LATEST_SQL("measurement_id", "framework_measurements", "0") " UNION ALL " OBS_LATEST_SQL(
        "local_measurement_id", "local_measurements", "1") " ORDER BY local, code, version DESC";
#undef OBS_LATEST_SQL
static const char CURRENT_SQL[] =
    "SELECT *, 1 FROM (" OBS_UNION_SQL(" AND o.is_current = 1") ") ORDER BY local, code";
/* One value's versions, newest first, a page at a time (?5 rows from ?6), and their count. */
static const char VERSIONS_SQL[] = "SELECT * FROM (" OBS_UNION_SQL(
    " AND m.code = ?3") ") WHERE local = ?4 ORDER BY version DESC LIMIT ?5 OFFSET ?6";
static const char VERSIONS_COUNT_SQL[] =
    "SELECT count(*) FROM observations o JOIN framework_measurements m"
    " ON m.id = o.measurement_id WHERE o.city_id = ?1 AND o.year = ?2 AND m.code = ?3"
    " AND ?4 = 0 UNION ALL"
    " SELECT count(*) FROM observations o JOIN local_measurements m"
    " ON m.id = o.local_measurement_id WHERE o.city_id = ?1 AND o.year = ?2 AND m.code = ?3"
    " AND ?4 = 1";
#undef OBS_UNION_SQL

/* A version as JSON from a row of the SQL above. */
static json_t *version_json(sqlite3_stmt *st)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o}", "version", lc_row_int(st, 4),
	                 "value", lc_row_str(st, 5), "number", lc_row_real(st, 6), "source",
	                 lc_row_str(st, 7), "note", lc_row_str(st, 8), "current",
	                 sqlite3_column_int(st, 9) != 0, "author", lc_row_str(st, 10), "at",
	                 lc_row_str(st, 11));
}

/*
 * Finds the city and checks that the actor may read its year: approved years
 * are public, others need LC_ACT_VIEW_OBSERVATIONS on the city. Sets *status
 * to the year's review status (a new reference, JSON null without one).
 */
static int readable_year(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                         long year, int64_t *city_id, json_t **status)
{
	*status = NULL;
	int err = lc_obs_find_city(db, city_slug, city_id);
	if (err)
		return err;
	enum lc_year_review_state state;
	int rc = lc_year_review_state_find(db, *city_id, year, &state);
	if (rc < 0)
		return rc;
	json_t *s = rc ? json_string(lc_year_review_state_name(state)) : json_null();
	if (!json_is_string(s) || strcmp(json_string_value(s), "approved") != 0) {
		struct lc_authz_object obj = {.city_id = *city_id};
		err = lc_authz_check(actor, LC_ACT_VIEW_OBSERVATIONS, &obj);
		if (err) {
			json_decref(s);
			return err;
		}
	}
	*status = s;
	return 0;
}

static int list_values(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                       long year, bool current_only, json_t **out)
{
	*out = NULL;
	int64_t city_id = 0;
	json_t *status = NULL;
	int err = readable_year(db, actor, city_slug, year, &city_id, &status);
	if (err)
		return err;
	json_t *items = json_array();
	json_t *res = json_pack("{s:s, s:I, s:o, s:o}", "city", city_slug, "year", (json_int_t)year,
	                        "status", status, "items", items);
	sqlite3_stmt *st = lc_db_stmt(db, current_only ? CURRENT_SQL : LIST_SQL);
	if (!st) {
		json_decref(res);
		return LC_EDB;
	}
	sqlite3_bind_int64(st, 1, city_id);
	sqlite3_bind_int64(st, 2, year);
	if (!current_only)
		sqlite3_bind_int64(st, 3, LC_OBS_VERSIONS_SHOWN);
	json_t *item = NULL;
	const char *last = NULL;
	int last_local = 0;
	int rc;
	while (lc_db_next(db, st, &rc)) {
		const char *code = lc_db_text(st, 0);
		int local = sqlite3_column_int(st, 12);
		if (!item || !last || strcmp(last, code) != 0 || local != last_local) {
			item = json_pack("{s:o, s:o, s:o, s:o, s:b, s:n, s:[]}", "code",
			                 lc_row_str(st, 0), "label", lc_row_str(st, 1), "unit",
			                 lc_row_str(st, 2), "type", lc_row_str(st, 3), "local",
			                 local, "value", "versions");
			if (!current_only)
				json_object_set_new(item, "versions_total",
				                    json_integer(sqlite3_column_int64(st, 13)));
			last_local = local;
			json_array_append_new(items, item);
			last = json_string_value(json_object_get(item, "code"));
		}
		if (sqlite3_column_int(st, 9) != 0)
			json_object_set_new(item, "value", lc_row_str(st, 5));
		json_array_append_new(json_object_get(item, "versions"), version_json(st));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(res);
		return rc;
	}
	*out = res;
	return 0;
}

int lc_obs_versions(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                    const char *code, bool local, long year, long page, long per_page, json_t **out)
{
	*out = NULL;
	struct lc_row_page pg;
	if (lc_row_page_init(&pg, page, per_page) || !code)
		return LC_EINVAL;
	int64_t city_id = 0;
	json_t *status = NULL;
	int err = readable_year(db, actor, city_slug, year, &city_id, &status);
	if (err)
		return err;
	/* The count, then the page: both answered by the index observations_version. */
	json_int_t total = 0;
	json_t *items = json_array();
	int rc = 0;
	for (int pass = 0; pass < 2 && rc >= 0; pass++) {
		sqlite3_stmt *st = lc_db_stmt(db, pass ? VERSIONS_SQL : VERSIONS_COUNT_SQL);
		if (!st) {
			rc = LC_EDB;
			break;
		}
		sqlite3_bind_int64(st, 1, city_id);
		sqlite3_bind_int64(st, 2, year);
		lc_db_bind_text(st, 3, code);
		sqlite3_bind_int(st, 4, local ? 1 : 0);
		if (pass) {
			sqlite3_bind_int64(st, 5, pg.per_page);
			sqlite3_bind_int64(st, 6, lc_row_page_offset(&pg));
		}
		while (lc_db_next(db, st, &rc)) {
			if (pass)
				json_array_append_new(items, version_json(st));
			else
				total += sqlite3_column_int64(st, 0);
		}
		lc_db_release(db, st);
	}
	if (rc < 0) {
		json_decref(status);
		json_decref(items);
		return rc;
	}
	if (!total) {
		json_decref(status);
		json_decref(items);
		return LC_ENOTFOUND; /* no such measurement, or no value for it this year */
	}
	*out = lc_row_paged(items, total, &pg);
	if (!*out) {
		json_decref(status);
		return LC_EINTERNAL;
	}
	json_object_set_new(*out, "city", json_string(city_slug));
	json_object_set_new(*out, "year", json_integer((json_int_t)year));
	json_object_set_new(*out, "code", json_string(code));
	json_object_set_new(*out, "local", json_boolean(local));
	json_object_set_new(*out, "status", status);
	return 0;
}

int lc_obs_list(struct lc_db *db, const struct lc_actor *actor, const char *city_slug, long year,
                json_t **out)
{
	return list_values(db, actor, city_slug, year, false, out);
}

int lc_obs_current(struct lc_db *db, const struct lc_actor *actor, const char *city_slug, long year,
                   json_t **out)
{
	return list_values(db, actor, city_slug, year, true, out);
}

/*
 * Calls visit with each year before year that holds values of the city and
 * that the actor may see, newest first, as lc_obs_current answers it, until
 * visit returns nonzero (1: stop, found; < 0: an error, returned). One query
 * finds the years, so a city with two years of data costs two reads, not
 * one per year since LC_OBS_YEAR_MIN.
 */
static int walk_back(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                     long year, int (*visit)(long y, json_t *l, void *ctx), void *ctx)
{
	int64_t city_id = 0;
	int err = lc_obs_find_city(db, city_slug, &city_id);
	if (err)
		return err == LC_EDB ? err : 0;
	long years[LC_OBS_YEAR_SPAN];
	size_t n = 0;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT DISTINCT year FROM observations WHERE city_id = ?1"
	                   " AND year < ?2 AND year >= ?3 ORDER BY year DESC");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, city_id);
	sqlite3_bind_int64(st, 2, year);
	sqlite3_bind_int64(st, 3, LC_OBS_YEAR_MIN);
	int rc;
	while (n < LC_OBS_YEAR_SPAN && lc_db_next(db, st, &rc))
		years[n++] = (long)sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		json_t *l = NULL;
		int e = lc_obs_current(db, actor, city_slug, years[i], &l);
		if (e == LC_EDB)
			return e;
		if (e)
			continue; /* a year this actor may not see is no help */
		e = visit(years[i], l, ctx);
		json_decref(l);
		if (e)
			return e < 0 ? e : 0;
	}
	return 0;
}

/* lc_obs_latest_before's visit: each value not seen in a later year. */
struct latest {
	json_t *items, *seen;
};

static int add_latest(long y, json_t *l, void *ctx)
{
	struct latest *x = ctx;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(l, "items"), i, it)
	{
		const json_t *v = json_object_get(it, "value");
		const char *code = json_string_value(json_object_get(it, "code"));
		bool local = json_is_true(json_object_get(it, "local"));
		char key[LC_LIMIT_NAME_BYTES + 4];
		snprintf(key, sizeof key, "%d:%s", local, code ? code : "");
		if (!json_is_string(v) || json_object_get(x->seen, key))
			continue;
		json_object_set_new(x->seen, key, json_true());
		json_array_append_new(
		    x->items, json_pack("{s:O, s:b, s:O, s:I}", "code", json_object_get(it, "code"),
		                        "local", local, "value", v, "year", (json_int_t)y));
	}
	return 0;
}

int lc_obs_latest_before(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                         long year, json_t **out)
{
	struct latest x = {.items = json_array(), .seen = json_object()};
	int err = walk_back(db, actor, city_slug, year, add_latest, &x);
	json_decref(x.seen);
	if (err) {
		json_decref(x.items);
		return err;
	}
	*out = json_pack("{s:o}", "items", x.items);
	return 0;
}

/* lc_obs_previous's visit: the first year with values, whole. */
struct previous {
	json_t *list;
	long year;
};

static int take_first(long y, json_t *l, void *ctx)
{
	struct previous *x = ctx;
	if (json_array_size(json_object_get(l, "items")) == 0)
		return 0;
	x->list = json_incref(l);
	x->year = y;
	return 1;
}

int lc_obs_previous(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                    long year, json_t **out, long *out_year)
{
	struct previous x = {0};
	int err = walk_back(db, actor, city_slug, year, take_first, &x);
	*out = err ? NULL : x.list;
	*out_year = err ? 0 : x.year;
	if (err)
		json_decref(x.list);
	return err;
}
