/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Award rounds and their awardees (award.h): two statements for the whole list. */
#include "domain/award/award.h"

#include "base/error.h"
#include "db/db.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"

/* clang-format off */
/* ?1 language path; the _one variants take ?2, a year. */
#define ROUNDS_SELECT \
	"SELECT ar.year, ar.conference_number, h.slug, " LC_ROW_TR("h.name") ", h.country, " \
	LC_ROW_TR("hc.name") ", k.end_date, " LC_ROW_TR("ar.eligibility") ", " \
	LC_ROW_TR("ar.selection") ", ar.rules_provenance, ar.provenance," \
	" (SELECT count(*) FROM awards a WHERE a.round_year = ar.year), " \
	LC_ROW_TR("ar.criteria") \
	" FROM award_rounds ar" \
	" LEFT JOIN conferences k ON k.number = ar.conference_number" \
	" LEFT JOIN cities h ON h.id = k.host_city_id" \
	" LEFT JOIN countries hc ON hc.alpha2 = h.country"

/* A round run in learncity (with settings) joins the list once it has awardees. */
static const char *const rounds_all_sql =
	ROUNDS_SELECT " WHERE NOT EXISTS (SELECT 1 FROM award_round_settings s WHERE s.year = ar.year)"
	" OR EXISTS (SELECT 1 FROM awards a WHERE a.round_year = ar.year) ORDER BY ar.year DESC";
static const char *const rounds_one_sql = ROUNDS_SELECT " WHERE ar.year = ?2";

#define AWARDEES_SELECT \
	"SELECT a.round_year, c.slug, " LC_ROW_TR("c.name") ", c.country, " \
	LC_ROW_TR("co.name") ", co.region, " LC_ROW_TR("r.name") ", a.provenance" \
	" FROM awards a JOIN cities c ON c.id = a.city_id" \
	" JOIN countries co ON co.alpha2 = c.country" \
	" LEFT JOIN regions r ON r.code = co.region"
#define AWARDEES_ORDER \
	" ORDER BY a.round_year DESC, " LC_ROW_TR("co.sort_key") ", " LC_ROW_TR("c.sort_key") \
	", c.slug"

static const char *const awardees_all_sql = AWARDEES_SELECT AWARDEES_ORDER;
static const char *const awardees_one_sql =
	AWARDEES_SELECT " WHERE a.round_year = ?2" AWARDEES_ORDER;
/* clang-format on */

static json_t *round_item(sqlite3_stmt *st)
{
	json_t *host = json_null();
	if (sqlite3_column_type(st, 2) != SQLITE_NULL)
		host = json_pack("{s:o, s:o, s:o}", "slug", lc_row_str(st, 2), "name",
		                 lc_row_str(st, 3), "country", lc_row_code_name(st, 4, 5));
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "year",
	                 lc_row_int(st, 0), "conference_number", lc_row_int(st, 1), "host_city",
	                 host, "date", lc_row_str(st, 6), "eligibility", lc_row_str(st, 7),
	                 "selection", lc_row_str(st, 8), "rules_provenance", lc_row_str(st, 9),
	                 "provenance", lc_row_str(st, 10), "count", lc_row_int(st, 11), "criteria",
	                 lc_row_str(st, 12), "awardees", json_array());
}

/* The rounds of a year, or all when year is 0, with their awardees. */
static int load(struct lc_db *db, long year, const char *lang, json_t **out)
{
	*out = NULL;
	char path[8];
	lc_text_lang_path(lang, path, sizeof(path));
	json_t *rounds = json_array();
	int rc;
	sqlite3_stmt *st = lc_db_stmt(db, year ? rounds_one_sql : rounds_all_sql);
	if (!st) {
		rc = LC_EDB;
		goto fail;
	}
	lc_db_bind_text(st, 1, path);
	if (year)
		sqlite3_bind_int64(st, 2, year);
	while (lc_db_next(db, st, &rc))
		json_array_append_new(rounds, round_item(st));
	lc_db_release(db, st);
	if (rc < 0)
		goto fail;

	st = lc_db_stmt(db, year ? awardees_one_sql : awardees_all_sql);
	if (!st) {
		rc = LC_EDB;
		goto fail;
	}
	lc_db_bind_text(st, 1, path);
	if (year)
		sqlite3_bind_int64(st, 2, year);
	/* Both queries are ordered by year descending: walk the rounds in step. */
	size_t i = 0;
	while (lc_db_next(db, st, &rc)) {
		json_int_t y = sqlite3_column_int64(st, 0);
		while (i < json_array_size(rounds) &&
		       json_integer_value(json_object_get(json_array_get(rounds, i), "year")) > y)
			i++;
		json_t *r = json_array_get(rounds, i);
		if (!r || json_integer_value(json_object_get(r, "year")) != y)
			continue;
		json_array_append_new(
		    json_object_get(r, "awardees"),
		    json_pack("{s:o, s:o, s:o, s:o, s:o}", "slug", lc_row_str(st, 1), "name",
		              lc_row_str(st, 2), "country", lc_row_code_name(st, 3, 4), "region",
		              lc_row_code_name(st, 5, 6), "provenance", lc_row_str(st, 7)));
	}
	lc_db_release(db, st);
	if (rc < 0)
		goto fail;
	*out = rounds;
	return 0;
fail:
	json_decref(rounds);
	return rc;
}

int lc_award_list(struct lc_db *db, const char *lang, json_t **out)
{
	return load(db, 0, lang, out);
}

int lc_award_round_get(struct lc_db *db, long year, const char *lang, json_t **out)
{
	*out = NULL;
	if (year < 1900 || year > 2999)
		return LC_ENOTFOUND;
	json_t *list = NULL;
	int err = load(db, year, lang, &list);
	if (err)
		return err;
	json_t *r = json_array_get(list, 0);
	if (!r) {
		json_decref(list);
		return LC_ENOTFOUND;
	}
	*out = json_incref(r);
	json_decref(list);
	return 0;
}
