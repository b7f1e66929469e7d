/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A conference run in learncity (event.h). */
#include "domain/conference/event.h"

#include <string.h>

#include "base/error.h"
#include "db/db.h"
#include "domain/platform/clock.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"

/* clang-format off */
#define EVENT_SELECT \
	"SELECT e.id, e.slug, e.number, e.start_date, e.end_date, e.timezone, e.city_id," \
	" e.demo, e.title, e.venue, e.languages, c.slug, c.name" \
	" FROM conference_events e LEFT JOIN cities c ON c.id = e.city_id"
/* clang-format on */

void lc_conf_event_cleanup(struct lc_conf_event *e)
{
	json_decref(e->title);
	json_decref(e->venue);
	json_decref(e->languages);
	memset(e, 0, sizeof *e);
}

static json_t *parsed(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	json_t *v = s ? json_loads(s, 0, NULL) : NULL;
	return v ? v : json_object();
}

static void copy_col(sqlite3_stmt *st, int i, char *out, size_t size)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	snprintf(out, size, "%s", s ? s : "");
}

static void fill(sqlite3_stmt *st, struct lc_conf_event *e)
{
	e->id = sqlite3_column_int64(st, 0);
	copy_col(st, 1, e->slug, sizeof e->slug);
	e->number = (long)sqlite3_column_int64(st, 2);
	copy_col(st, 3, e->start_date, sizeof e->start_date);
	copy_col(st, 4, e->end_date, sizeof e->end_date);
	copy_col(st, 5, e->timezone, sizeof e->timezone);
	e->city_id = sqlite3_column_int64(st, 6);
	e->demo = sqlite3_column_int(st, 7) != 0;
	e->title = parsed(st, 8);
	e->venue = parsed(st, 9);
	e->languages = parsed(st, 10);
}

int lc_conf_event_load(struct lc_db *db, const char *slug, struct lc_conf_event *out)
{
	memset(out, 0, sizeof *out);
	if (!slug || strlen(slug) > LC_LIMIT_CONF_SLUG || !lc_text_slug_ok(slug))
		return LC_ENOTFOUND;
	sqlite3_stmt *st = lc_db_stmt(db, EVENT_SELECT " WHERE e.slug = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, slug);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		fill(st, out);
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

/* The text of tr (a {"en": ...} object) in lang, English when it has none. */
static json_t *tr(const json_t *obj, const char *lang)
{
	const json_t *v = json_object_get(obj, lc_text_lang(lang));
	if (!json_is_string(v))
		v = json_object_get(obj, "en");
	return json_is_string(v) ? json_incref((json_t *)v) : json_null();
}

static json_t *event_json(const struct lc_conf_event *e, const char *lang, sqlite3_stmt *st)
{
	json_t *city = json_null();
	if (st && sqlite3_column_type(st, 11) != SQLITE_NULL) {
		json_decref(city);
		json_t *names = lc_row_object(st, 12);
		city = json_pack("{s:o, s:o}", "slug", lc_row_str(st, 11), "name", tr(names, lang));
		json_decref(names);
	}
	json_t *venue =
	    json_pack("{s:o, s:O*}", "name", tr(json_object_get(e->venue, "name"), lang), "address",
	              json_object_get(e->venue, "address"));
	return json_pack(
	    "{s:I, s:s, s:o, s:o, s:s, s:s, s:s, s:o, s:o, s:O, s:b}", "id", (json_int_t)e->id,
	    "slug", e->slug, "number", e->number ? json_integer(e->number) : json_null(), "title",
	    tr(e->title, lang), "start_date", e->start_date, "end_date", e->end_date, "timezone",
	    e->timezone, "venue", venue, "city", city, "languages", e->languages, "demo", e->demo);
}

json_t *lc_conf_event_json(const struct lc_conf_event *e, const char *lang)
{
	return event_json(e, lang, NULL);
}

int lc_conf_event_list(struct lc_db *db, const char *lang, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = lc_db_stmt(db, EVENT_SELECT " ORDER BY e.start_date, e.id");
	if (!st)
		return LC_EDB;
	json_t *list = json_array();
	int rc;
	while (lc_db_next(db, st, &rc)) {
		struct lc_conf_event e;
		memset(&e, 0, sizeof e);
		fill(st, &e);
		json_array_append_new(list, event_json(&e, lang, st));
		lc_conf_event_cleanup(&e);
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

int lc_conf_event_demo(struct lc_db *db)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT 1 FROM conference_events WHERE slug = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, LC_CONF_EVENT_DEMO_SLUG);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	/* Dated from today so that registration is open whenever the demo is made:
	 * four months ahead, three days, as the ICLCs run. */
	const int64_t day = 86400, now = lc_clock_now();
	char start[11], end[11];
	lc_clock_date(now + 120 * day, start);
	lc_clock_date(now + 122 * day, end);
	st = lc_db_stmt(db, "INSERT INTO conference_events (slug, title, start_date, end_date,"
	                    " timezone, venue, languages, demo, created_at)"
	                    " VALUES (?1, ?2, ?3, ?4, 'Europe/Paris', ?5, ?6, 1, ?7)");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, LC_CONF_EVENT_DEMO_SLUG);
	lc_db_bind_text(st, 2,
	                "{\"en\": \"Demonstration conference on learning cities\","
	                " \"fr\": \"Conférence de démonstration sur les villes apprenantes\"}");
	lc_db_bind_text(st, 3, start);
	lc_db_bind_text(st, 4, end);
	lc_db_bind_text(st, 5,
	                "{\"name\": {\"en\": \"Demonstration venue\","
	                " \"fr\": \"Lieu de démonstration\"}, \"address\": null}");
	lc_db_bind_text(st, 6, "[\"en\", \"fr\", \"ar\", \"zh\", \"ru\", \"es\"]");
	sqlite3_bind_int64(st, 7, now);
	rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}
