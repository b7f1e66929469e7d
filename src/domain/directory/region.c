/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The five UNESCO regions (region.h). */
#include "domain/directory/region.h"

#include <string.h>

#include "base/error.h"
#include "db/db.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"

bool lc_region_code_ok(const char *code)
{
	static const char *const codes[] = {"AFR", "ARB", "APA", "EUR", "LAC"};
	if (!code)
		return false;
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(code, codes[i]) == 0)
			return true;
	return false;
}

/* clang-format off */
static const char *const list_sql =
	"SELECT r.code, " LC_ROW_TR("r.name") ", r.provenance, coalesce(n.cities, 0)"
	" FROM regions r LEFT JOIN"
	" (SELECT co.region AS region, count(*) AS cities"
	"  FROM cities c JOIN countries co ON co.alpha2 = c.country GROUP BY co.region) n"
	" ON n.region = r.code"
	" ORDER BY r.position";
/* clang-format on */

int lc_region_list(struct lc_db *db, const char *lang, json_t **out)
{
	*out = NULL;
	char path[8];
	sqlite3_stmt *st = lc_db_stmt(db, list_sql);
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, lc_text_lang_path(lang, path, sizeof(path)));
	json_t *list = json_array();
	int rc;
	while (lc_db_next(db, st, &rc)) {
		json_array_append_new(list, json_pack("{s:o, s:o, s:o, s:o}", "code",
		                                      lc_row_str(st, 0), "name", lc_row_str(st, 1),
		                                      "cities", lc_row_int(st, 3), "provenance",
		                                      lc_row_str(st, 2)));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}
