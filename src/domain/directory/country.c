/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Countries: lists for dropdowns and the loader of data/countries.csv (country.h). */
#include "domain/directory/country.h"

#include <csv.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "db/db.h"
#include "domain/directory/region.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"

/* clang-format off */
/* ?1 language path. */
#define COUNTRY_COLUMNS \
	"co.alpha2, co.alpha3, co.numeric, " LC_ROW_TR("co.name") ", co.region, " \
	LC_ROW_TR("r.name") ", co.region_provenance"

static const char *const list_all_sql =
	"SELECT " COUNTRY_COLUMNS ","
	" (SELECT count(*) FROM cities c WHERE c.country = co.alpha2)"
	" FROM countries co LEFT JOIN regions r ON r.code = co.region"
	" ORDER BY " LC_ROW_TR("co.sort_key") ", co.alpha2";

/* Driven by the directory's cities (few) rather than every country (many). */
static const char *const list_used_sql =
	"SELECT " COUNTRY_COLUMNS ", n.cities"
	" FROM (SELECT country, count(*) AS cities FROM cities GROUP BY country) n"
	" JOIN countries co ON co.alpha2 = n.country"
	" LEFT JOIN regions r ON r.code = co.region"
	" ORDER BY " LC_ROW_TR("co.sort_key") ", co.alpha2";

static const char *const get_sql =
	"SELECT " COUNTRY_COLUMNS ","
	" (SELECT count(*) FROM cities c WHERE c.country = co.alpha2)"
	" FROM countries co LEFT JOIN regions r ON r.code = co.region"
	" WHERE co.alpha2 = ?2";
/* clang-format on */

static json_t *country_row(sqlite3_stmt *st)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "code", lc_row_str(st, 0), "alpha3",
	                 lc_row_str(st, 1), "numeric", lc_row_int(st, 2), "name", lc_row_str(st, 3),
	                 "region", lc_row_code_name(st, 4, 5), "region_provenance",
	                 lc_row_str(st, 6), "cities", lc_row_int(st, 7));
}

int lc_country_list(struct lc_db *db, const char *lang, bool with_cities_only, json_t **out)
{
	*out = NULL;
	char path[8];
	sqlite3_stmt *st = lc_db_stmt(db, with_cities_only ? list_used_sql : list_all_sql);
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, lc_text_lang_path(lang, path, sizeof(path)));
	json_t *list = json_array();
	int rc;
	while (lc_db_next(db, st, &rc))
		json_array_append_new(list, country_row(st));
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

static bool code_ok(const char *s, size_t n)
{
	if (!s || strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return false;
	return true;
}

int lc_country_get(struct lc_db *db, const char *code, const char *lang, json_t **out)
{
	*out = NULL;
	if (!code_ok(code, 2))
		return LC_EINVAL;
	char path[8];
	sqlite3_stmt *st = lc_db_stmt(db, get_sql);
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, lc_text_lang_path(lang, path, sizeof(path)));
	lc_db_bind_text(st, 2, code);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*out = country_row(st);
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

/* ---- loading ------------------------------------------------------------ */

enum { NCOLS = 7 };
static const char *const header[NCOLS] = {"alpha2",  "alpha3", "numeric",          "name_en",
                                          "name_fr", "region", "region_provenance"};

struct loader {
	struct lc_db *db;
	struct lc_diag *d;
	char *field[NCOLS]; /* owned copies of the current row */
	size_t nfields;
	long line;
	int err; /* first error: stops the load */
	bool too_long;
};

static void clear_row(struct loader *l)
{
	for (size_t i = 0; i < NCOLS; i++) {
		lc_free(l->field[i]);
		l->field[i] = NULL;
	}
	l->nfields = 0;
	l->too_long = false;
}

static void on_field(void *s, size_t n, void *data)
{
	struct loader *l = data;
	if (l->nfields < NCOLS) {
		if (n > LC_LIMIT_NAME_BYTES)
			l->too_long = true;
		else
			l->field[l->nfields] = lc_xstrndup(s ? s : "", n);
	}
	l->nfields++;
}

static void add_fold(json_t *obj, const char *lang, const char *name)
{
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_NAME_BYTES * 4);
	lc_text_fold(name, strlen(name), &b);
	json_object_set_new(obj, lang, lc_row_cstr(lc_buf_cstr(&b)));
	lc_buf_cleanup(&b);
}

static int store_row(struct loader *l)
{
	char **f = l->field;
	long numeric = 0;
	if (!code_ok(f[0], 2) || !code_ok(f[1], 3)) {
		lc_diag_add(l->d, "countries.csv", l->line, 0, "alpha2",
		            "err_country_expected_upper_case_iso");
		return LC_EINVAL;
	}
	if (lc_slice_to_long(lc_slice_cstr(f[2]), 1, 999, &numeric) != 0) {
		lc_diag_add(l->d, "countries.csv", l->line, 0, "numeric",
		            "err_country_expected_number_1_999");
		return LC_EINVAL;
	}
	if (!f[3][0]) {
		lc_diag_add(l->d, "countries.csv", l->line, 0, "name_en", "err_country_name_empty");
		return LC_EINVAL;
	}
	bool has_region = f[5][0] != '\0';
	if ((has_region && !lc_region_code_ok(f[5])) || (has_region != (f[6][0] != '\0')) ||
	    (has_region && !lc_row_provenance_ok(f[6]))) {
		lc_diag_add(l->d, "countries.csv", l->line, 0, "region",
		            "err_country_expected_empty_region_region");
		return LC_EINVAL;
	}
	json_t *name = json_pack("{s:s}", "en", f[3]);
	json_t *sort = json_object();
	if (!name) {
		lc_diag_add(l->d, "countries.csv", l->line, 0, "name_en",
		            "err_country_valid_utf_8");
		json_decref(sort);
		return LC_EINVAL;
	}
	add_fold(sort, "en", f[3]);
	if (f[4][0] && json_object_set_new(name, "fr", json_string(f[4])) == 0)
		add_fold(sort, "fr", f[4]);
	struct lc_buf nb, sb;
	lc_buf_init(&nb, LC_LIMIT_TEXT_BYTES);
	lc_buf_init(&sb, LC_LIMIT_TEXT_BYTES);
	lc_row_dump(name, &nb);
	lc_row_dump(sort, &sb);
	json_decref(name);
	json_decref(sort);
	int err = 0;
	sqlite3_stmt *st = lc_db_stmt(
	    l->db,
	    "INSERT INTO countries (alpha2, alpha3, numeric, name, sort_key, region,"
	    " region_provenance) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " ON CONFLICT (alpha2) DO UPDATE SET alpha3 = excluded.alpha3,"
	    " numeric = excluded.numeric, name = excluded.name, sort_key = excluded.sort_key,"
	    " region = excluded.region, region_provenance = excluded.region_provenance");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	lc_db_bind_text(st, 1, f[0]);
	lc_db_bind_text(st, 2, f[1]);
	sqlite3_bind_int64(st, 3, numeric);
	lc_db_bind_text(st, 4, lc_buf_cstr(&nb));
	lc_db_bind_text(st, 5, lc_buf_cstr(&sb));
	lc_db_bind_text(st, 6, has_region ? f[5] : NULL);
	lc_db_bind_text(st, 7, has_region ? f[6] : NULL);
	int rc = lc_db_step(l->db, st);
	lc_db_release(l->db, st);
	if (rc < 0) {
		lc_diag_addf(l->d, "countries.csv", l->line, 0, NULL, "err_country_store",
		             LC_ARG_S("code", f[0]), LC_ARG_S("db", lc_db_errmsg(l->db)));
		err = rc;
	}
out:
	lc_buf_cleanup(&nb);
	lc_buf_cleanup(&sb);
	return err;
}

static void on_row(int c, void *data)
{
	(void)c;
	struct loader *l = data;
	l->line++;
	if (l->err)
		goto out;
	if (l->too_long) {
		lc_diag_addf(l->d, "countries.csv", l->line, 0, NULL,
		             "err_country_field_exceeds_bytes",
		             LC_ARG_I("limit", LC_LIMIT_NAME_BYTES));
		l->err = LC_ELIMIT;
		goto out;
	}
	if (l->nfields != NCOLS) {
		lc_diag_addf(l->d, "countries.csv", l->line, 0, NULL,
		             "err_country_expected_fields_found", LC_ARG_I("ncols", NCOLS),
		             LC_ARG_I("nfields", l->nfields));
		l->err = LC_EINVAL;
		goto out;
	}
	if (l->line == 1) {
		for (size_t i = 0; i < NCOLS; i++) {
			if (strcmp(l->field[i], header[i]) != 0) {
				lc_diag_addf(l->d, "countries.csv", 1, (long)i + 1, header[i],
				             "err_country_expected_column",
				             LC_ARG_S("column", header[i]));
				l->err = LC_EINVAL;
			}
		}
		goto out;
	}
	l->err = store_row(l);
out:
	clear_row(l);
}

int lc_country_load_csv(struct lc_db *db, const char *text, size_t len, struct lc_diag *d)
{
	if (len > LC_LIMIT_CSV_BYTES)
		return LC_ELIMIT;
	struct loader l = {.db = db, .d = d};
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL | CSV_STRICT_FINI) != 0)
		return LC_EINTERNAL;
	csv_set_realloc_func(&p, lc_xrealloc);
	csv_set_free_func(&p, lc_free);
	int err = lc_db_begin(db);
	if (err)
		goto out;
	if (csv_parse(&p, text, len, on_field, on_row, &l) != len ||
	    csv_fini(&p, on_field, on_row, &l) != 0) {
		lc_diag_addf(d, "countries.csv", l.line + 1, 0, NULL, "err_country_malformed_csv",
		             LC_ARG_S("error", csv_strerror(csv_error(&p))));
		if (!l.err)
			l.err = LC_EINVAL;
	}
	if (!l.err && l.line == 0) {
		lc_diag_add(d, "countries.csv", 0, 0, NULL, "err_country_file_empty");
		l.err = LC_EINVAL;
	}
	err = l.err;
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
out:
	clear_row(&l);
	csv_free(&p);
	return err;
}
