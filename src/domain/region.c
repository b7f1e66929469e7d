/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The five UNESCO regions (region.h). */
#include "domain/region.h"

#include <string.h>

#include "base/error.h"
#include "db/db.h"
#include "domain/row.h"
#include "domain/text.h"

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

int lc_region_list(struct lc_db *db, const char *lang, json_t **out)
{
	*out = NULL;
	char path[8];
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT r.code, " LC_ROW_TR("r.name") ", r.provenance,"
	                                              " (SELECT count(*) FROM cities c JOIN "
	                                              "countries co ON co.alpha2 = c.country"
	                                              "  WHERE co.region = r.code)"
	                                              " FROM regions r ORDER BY r.position");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, lc_text_lang_path(lang, path, sizeof(path)));
	json_t *list = json_array();
	int rc;
	while ((rc = lc_db_step(db, st)) == 1) {
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
