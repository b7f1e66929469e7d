/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The International Conferences on Learning Cities (conference.h). */
#include "domain/conference/conference.h"

#include "base/error.h"
#include "db/db.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"

/* clang-format off */
/* ?1 language path; conf_one_sql takes ?2, a conference number. */
#define CONF_SELECT \
	"SELECT k.number, CAST(substr(k.start_date, 1, 4) AS INTEGER), k.start_date," \
	" k.end_date, h.slug, " LC_ROW_TR("h.name") ", h.country, " LC_ROW_TR("hc.name") "," \
	" k.mode, " LC_ROW_TR("k.theme") ", " LC_ROW_TR("k.outcome") ", " \
	LC_ROW_TR("k.participation") "," \
	" (SELECT ar.year FROM award_rounds ar WHERE ar.conference_number = k.number)," \
	" k.provenance" \
	" FROM conferences k" \
	" JOIN cities h ON h.id = k.host_city_id" \
	" JOIN countries hc ON hc.alpha2 = h.country"

static const char *const conf_all_sql = CONF_SELECT " ORDER BY k.number";
static const char *const conf_one_sql = CONF_SELECT " WHERE k.number = ?2";
/* clang-format on */

static json_t *conf_item(sqlite3_stmt *st)
{
	json_t *host = json_pack("{s:o, s:o, s:o}", "slug", lc_row_str(st, 4), "name",
	                         lc_row_str(st, 5), "country", lc_row_code_name(st, 6, 7));
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "number",
	                 lc_row_int(st, 0), "year", lc_row_int(st, 1), "start_date",
	                 lc_row_str(st, 2), "end_date", lc_row_str(st, 3), "host", host, "mode",
	                 lc_row_str(st, 8), "theme", lc_row_str(st, 9), "outcome",
	                 lc_row_str(st, 10), "participation", lc_row_str(st, 11), "award_year",
	                 lc_row_int(st, 12), "provenance", lc_row_str(st, 13));
}

static int load(struct lc_db *db, long number, const char *lang, json_t **out)
{
	*out = NULL;
	char path[8];
	sqlite3_stmt *st = lc_db_stmt(db, number ? conf_one_sql : conf_all_sql);
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, lc_text_lang_path(lang, path, sizeof(path)));
	if (number)
		sqlite3_bind_int64(st, 2, number);
	json_t *list = json_array();
	int rc;
	while (lc_db_next(db, st, &rc))
		json_array_append_new(list, conf_item(st));
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

int lc_conference_list(struct lc_db *db, const char *lang, json_t **out)
{
	return load(db, 0, lang, out);
}

int lc_conference_get(struct lc_db *db, long number, const char *lang, json_t **out)
{
	*out = NULL;
	if (number < 1 || number > 99)
		return LC_ENOTFOUND;
	json_t *list = NULL;
	int err = load(db, number, lang, &list);
	if (err)
		return err;
	json_t *c = json_array_get(list, 0);
	if (c)
		*out = json_incref(c);
	json_decref(list);
	return c ? 0 : LC_ENOTFOUND;
}
