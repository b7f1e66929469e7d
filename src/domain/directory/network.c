/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The network at a glance (network.h). */
#include "domain/directory/network.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/error.h"
#include "db/db.h"
#include "domain/award/award.h"
#include "domain/conference/conference.h"
#include "domain/conference/event.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"

/* clang-format off */
/* Per region (NULL: countries without a known region): cities, members, countries. */
static const char *const stats_sql =
	"SELECT co.region, count(*), count(m.id), count(DISTINCT c.country)"
	" FROM cities c JOIN countries co ON co.alpha2 = c.country"
	" LEFT JOIN memberships m ON m.city_id = c.id AND m.to_date IS NULL"
	" AND m.status = 'member'"
	" GROUP BY co.region";

static const char *const regions_sql =
	"SELECT code, " LC_ROW_TR("name") " FROM regions ORDER BY position";

static const char *const published_sql =
	"SELECT as_of, members, countries, source, provenance FROM network_counts ORDER BY as_of";
/* clang-format on */

struct region_stats {
	char code[4]; /* "" for cities whose country has no known region */
	json_int_t cities, members, countries;
};

enum { MAX_GROUPS = 8 }; /* five regions and "none", with room to spare */

static int directory(struct lc_db *db, const char *path, json_t *out)
{
	struct region_stats g[MAX_GROUPS];
	size_t ng = 0;
	sqlite3_stmt *st = lc_db_stmt(db, stats_sql);
	if (!st)
		return LC_EDB;
	int rc;
	while (ng < MAX_GROUPS && lc_db_next(db, st, &rc)) {
		const char *code = lc_db_text(st, 0);
		snprintf(g[ng].code, sizeof(g[ng].code), "%s", code ? code : "");
		g[ng].cities = sqlite3_column_int64(st, 1);
		g[ng].members = sqlite3_column_int64(st, 2);
		g[ng].countries = sqlite3_column_int64(st, 3);
		ng++;
	}
	lc_db_release(db, st);
	if (rc < 0)
		return rc;

	json_int_t cities = 0, members = 0, countries = 0, regions = 0, without = 0;
	for (size_t i = 0; i < ng; i++) {
		cities += g[i].cities;
		members += g[i].members;
		/* A country lies in one region, so the groups' counts add up. */
		countries += g[i].countries;
		if (g[i].code[0])
			regions++;
		else
			without = g[i].cities;
	}
	json_t *per = json_array();
	st = lc_db_stmt(db, regions_sql);
	if (!st) {
		json_decref(per);
		return LC_EDB;
	}
	lc_db_bind_text(st, 1, path);
	while (lc_db_next(db, st, &rc)) {
		const char *code = lc_db_text(st, 0);
		struct region_stats zero = {{0}, 0, 0, 0}, *r = &zero;
		for (size_t i = 0; code && i < ng; i++)
			if (strcmp(g[i].code, code) == 0)
				r = &g[i];
		json_array_append_new(per, json_pack("{s:o, s:o, s:I, s:I, s:I}", "code",
		                                     lc_row_str(st, 0), "name", lc_row_str(st, 1),
		                                     "cities", r->cities, "members", r->members,
		                                     "countries", r->countries));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(per);
		return rc;
	}
	json_object_set_new(out, "directory",
	                    json_pack("{s:I, s:I, s:I, s:I, s:I, s:o}", "cities", cities, "members",
	                              members, "countries", countries, "regions", regions,
	                              "without_region", without, "per_region", per));
	return 0;
}

static int published(struct lc_db *db, json_t *out)
{
	sqlite3_stmt *st = lc_db_stmt(db, published_sql);
	if (!st)
		return LC_EDB;
	json_t *list = json_array();
	int rc;
	while (lc_db_next(db, st, &rc))
		json_array_append_new(
		    list, json_pack("{s:o, s:o, s:o, s:o, s:o}", "as_of", lc_row_str(st, 0),
		                    "members", lc_row_int(st, 1), "countries", lc_row_int(st, 2),
		                    "source", lc_row_str(st, 3), "provenance", lc_row_str(st, 4)));
	lc_db_release(db, st);
	size_t n = json_array_size(list);
	json_object_set_new(out, "published_latest",
	                    n ? json_incref(json_array_get(list, n - 1)) : json_null());
	json_object_set_new(out, "published", list);
	return rc < 0 ? rc : 0;
}

/* The latest round with a result: a round still open for nominations has no awardees yet. */
static int latest_award(struct lc_db *db, const char *lang, json_t *out)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT max(round_year) FROM awards");
	if (!st)
		return LC_EDB;
	int rc = lc_db_step(db, st);
	long year = rc == 1 ? (long)sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	json_t *round = NULL;
	if (year) {
		int err = lc_award_round_get(db, year, lang, &round);
		if (err && err != LC_ENOTFOUND)
			return err;
	}
	json_object_set_new(out, "latest_award", round ? round : json_null());
	return 0;
}

static int conferences(struct lc_db *db, const char *lang, const char *today, json_t *out)
{
	json_t *list = NULL;
	int err = lc_conference_list(db, lang, &list);
	if (err)
		return err;
	json_t *last = NULL, *next = NULL, *c;
	size_t i;
	/* Sorted by number, which is also date order. */
	json_array_foreach(list, i, c)
	{
		const char *start = json_string_value(json_object_get(c, "start_date"));
		if (!start)
			continue;
		if (strcmp(start, today) <= 0)
			last = c;
		else if (!next)
			next = c;
	}
	json_object_set_new(out, "last_conference", last ? json_incref(last) : json_null());
	json_object_set_new(out, "next_conference", next ? json_incref(next) : json_null());
	json_object_set_new(out, "conferences", list);
	/* The next conference run here, whose registration and programme are on this site. */
	json_t *events = NULL, *upcoming = NULL;
	err = lc_conf_event_list(db, lang, &events);
	if (err)
		return err;
	json_array_foreach(events, i, c)
	{
		const char *end = json_string_value(json_object_get(c, "end_date"));
		if (end && strcmp(end, today) >= 0) {
			upcoming = json_incref(c);
			break;
		}
	}
	json_decref(events);
	json_object_set_new(out, "upcoming_event", upcoming ? upcoming : json_null());
	return 0;
}

int lc_network_summary_on(struct lc_db *db, const char *lang, const char *today, json_t **out)
{
	*out = NULL;
	char path[8];
	lc_text_lang_path(lang, path, sizeof(path));
	json_t *s = json_object();
	int err = directory(db, path, s);
	if (!err)
		err = published(db, s);
	if (!err)
		err = latest_award(db, lang, s);
	if (!err)
		err = conferences(db, lang, today, s);
	if (err) {
		json_decref(s);
		return err;
	}
	*out = s;
	return 0;
}

int lc_network_summary(struct lc_db *db, const char *lang, json_t **out)
{
	char today[16];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	return lc_network_summary_on(db, lang, today, out);
}
