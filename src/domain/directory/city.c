/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The directory of cities (city.h): the list with search, filters, sorting
 * and pages, and one city's record. Every query is a fixed literal so the
 * statement cache holds it: the sort orders are eight variants of one SELECT.
 */
#include "domain/directory/city.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/directory/region.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"

static const char *const statuses[] = {LC_CITY_STATUSES};

bool lc_city_status_ok(const char *s)
{
	return lc_str_index(statuses, sizeof(statuses) / sizeof(statuses[0]), s) >= 0;
}

static const char *const sort_names[] = {"name", "country", "region", "award_year"};
static const char *const sort_names_desc[] = {"-name", "-country", "-region", "-award_year"};

int lc_city_sort_parse(const char *s, enum lc_city_sort *sort, bool *desc)
{
	*sort = LC_CITY_SORT_NAME;
	*desc = false;
	if (!s || !s[0])
		return 0;
	bool d = s[0] == '-';
	const char *name = d ? s + 1 : s;
	long i = lc_str_index(sort_names, sizeof(sort_names) / sizeof(sort_names[0]), name);
	if (i < 0)
		return LC_EINVAL;
	*sort = (enum lc_city_sort)i;
	*desc = d;
	return 0;
}

const char *lc_city_sort_name(enum lc_city_sort sort, bool desc)
{
	size_t i = (size_t)sort < 4 ? (size_t)sort : 0;
	return desc ? sort_names_desc[i] : sort_names[i];
}

/* ---- the list ----------------------------------------------------------- */

/*
 * ?1 language path, ?2 folded search text, ?3 region, ?4 country, ?5 award
 * year, ?6 status, ?7 limit, ?8 offset. A NULL filter matches everything.
 * Filters are written as uncorrelated IN lists so that choosing the page
 * needs no join: SQLite builds each list once per query.
 */
#define CITY_WHERE                                                                                 \
	" WHERE (?2 IS NULL OR instr(c.search_key, ?2) > 0)"                                       \
	" AND (?3 IS NULL OR c.country IN (SELECT alpha2 FROM countries WHERE region = ?3))"       \
	" AND (?4 IS NULL OR c.country = ?4)"                                                      \
	" AND (?5 IS NULL OR c.id IN (SELECT city_id FROM awards WHERE round_year = ?5))"          \
	" AND (?6 IS NULL OR c.id IN (SELECT city_id FROM memberships WHERE to_date IS NULL"       \
	"      AND status = ?6))"

/*
 * The page is chosen first on ids and sort keys only (the inner query), then
 * only its rows are dressed with names, statuses and award years: the
 * translated columns and the award subquery cost per row, and a directory
 * has many more rows than a page. The inner query hands its sort keys
 * (k1..k3) out so the outer one can keep the order of its few rows; window
 * functions would cost more than the whole query.
 */
/* clang-format off */
#define CITY_PAGE_OPEN \
	"SELECT c.slug, " LC_ROW_TR("c.name") ", c.country, " LC_ROW_TR("co.name") "," \
	" co.region, " LC_ROW_TR("r.name") ", m.status," \
	" (SELECT group_concat(y) FROM (SELECT a.round_year AS y FROM awards a" \
	"   WHERE a.city_id = c.id ORDER BY a.round_year))" \
	" FROM (SELECT c.id AS id, "
/* clang-format on */
#define CITY_PAGE_JOIN                                                                             \
	" LIMIT ?7 OFFSET ?8) p"                                                                   \
	" JOIN cities c ON c.id = p.id"                                                            \
	" JOIN countries co ON co.alpha2 = c.country"                                              \
	" LEFT JOIN regions r ON r.code = co.region"                                               \
	" LEFT JOIN memberships m ON m.city_id = c.id AND m.to_date IS NULL"                       \
	" ORDER BY "

#define FROM_CITIES " FROM cities c" CITY_WHERE " ORDER BY "
#define FROM_COUNTRIES                                                                             \
	" FROM cities c JOIN countries co ON co.alpha2 = c.country" CITY_WHERE " ORDER BY "
#define FROM_REGIONS                                                                               \
	" FROM cities c JOIN countries co ON co.alpha2 = c.country"                                \
	" LEFT JOIN regions r ON r.code = co.region" CITY_WHERE " ORDER BY "
#define NAME_KEY    LC_ROW_TR("c.sort_key")
#define COUNTRY_KEY LC_ROW_TR("co.sort_key")
#define FIRST_AWARD "(SELECT min(a.round_year) FROM awards a WHERE a.city_id = c.id)"
#define LAST_AWARD  "(SELECT max(a.round_year) FROM awards a WHERE a.city_id = c.id)"
/* keys: the select list "x AS k1, ..."; order: the same ORDER BY for both queries. */
#define CITY_SQL(keys, from, order) CITY_PAGE_OPEN keys from order CITY_PAGE_JOIN order

static const char *const list_sql[4][2] = {
    {CITY_SQL(NAME_KEY " AS k1, c.slug AS k2", FROM_CITIES, "k1, k2"),
     CITY_SQL(NAME_KEY " AS k1, c.slug AS k2", FROM_CITIES, "k1 DESC, k2 DESC")},
    {CITY_SQL(COUNTRY_KEY " AS k1, " NAME_KEY " AS k2, c.slug AS k3", FROM_COUNTRIES, "k1, k2, k3"),
     CITY_SQL(COUNTRY_KEY " AS k1, " NAME_KEY " AS k2, c.slug AS k3", FROM_COUNTRIES,
              "k1 DESC, k2, k3")},
    /* Cities of countries without a known region come last either way. */
    {CITY_SQL("coalesce(r.position, 99) AS k1, " COUNTRY_KEY " AS k2, " NAME_KEY " AS k3,"
              " c.slug AS k4",
              FROM_REGIONS, "k1, k2, k3, k4"),
     CITY_SQL("coalesce(r.position, 0) AS k1, " COUNTRY_KEY " AS k2, " NAME_KEY " AS k3,"
              " c.slug AS k4",
              FROM_REGIONS, "k1 DESC, k2, k3, k4")},
    {CITY_SQL("coalesce(" FIRST_AWARD ", 9999) AS k1, " NAME_KEY " AS k2, c.slug AS k3",
              FROM_CITIES, "k1, k2, k3"),
     CITY_SQL("coalesce(" LAST_AWARD ", 0) AS k1, " NAME_KEY " AS k2, c.slug AS k3", FROM_CITIES,
              "k1 DESC, k2, k3")},
};

static const char *const count_sql = "SELECT count(*) FROM cities c" CITY_WHERE;

/* "2015,2024" -> [2015, 2024] */
static json_t *years_array(const char *s)
{
	json_t *a = json_array();
	json_int_t v = 0;
	bool any = false;
	for (const char *p = s; p && *p; p++) {
		if (*p >= '0' && *p <= '9') {
			v = v * 10 + (*p - '0');
			any = true;
		} else if (*p == ',') {
			if (any)
				json_array_append_new(a, json_integer(v));
			v = 0;
			any = false;
		}
	}
	if (any)
		json_array_append_new(a, json_integer(v));
	return a;
}

static json_t *list_item(sqlite3_stmt *st)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "slug", lc_row_str(st, 0), "name",
	                 lc_row_str(st, 1), "country", lc_row_code_name(st, 2, 3), "region",
	                 lc_row_code_name(st, 4, 5), "status", lc_row_str(st, 6), "award_years",
	                 years_array(lc_db_text(st, 7)));
}

static void bind_filters(sqlite3_stmt *st, const char *path, const char *key, const char *region,
                         const char *country, long award_year, const char *status)
{
	lc_db_bind_text(st, 1, path);
	lc_db_bind_text(st, 2, key);
	lc_db_bind_text(st, 3, region);
	lc_db_bind_text(st, 4, country);
	if (award_year)
		sqlite3_bind_int64(st, 5, award_year);
	else
		sqlite3_bind_null(st, 5);
	lc_db_bind_text(st, 6, status);
}

static json_t *opt_str(const char *s)
{
	return s ? lc_row_cstr(s) : json_null();
}

int lc_city_list(struct lc_db *db, const struct lc_city_query *q, json_t **out)
{
	*out = NULL;
	long page = q->page ? q->page : 1;
	long per_page = q->per_page ? q->per_page : LC_DEFAULT_PER_PAGE;
	if (page < 1 || per_page < 1 || per_page > LC_LIMIT_PER_PAGE)
		return LC_EINVAL;
	/* Past this page the offset would overflow; no directory is that long. */
	if (page > 1000000)
		return LC_EINVAL;
	if ((unsigned)q->sort > LC_CITY_SORT_AWARD_YEAR)
		return LC_EINVAL;
	if (q->award_year && (q->award_year < 1900 || q->award_year > 2999))
		return LC_EINVAL;
	const char *region = q->region && q->region[0] ? q->region : NULL;
	const char *status = q->status && q->status[0] ? q->status : NULL;
	if ((region && !lc_region_code_ok(region)) || (status && !lc_city_status_ok(status)))
		return LC_EINVAL;
	char country[3] = {0};
	if (q->country && q->country[0]) {
		const char *c = q->country;
		if (strlen(c) != 2)
			return LC_EINVAL;
		for (int i = 0; i < 2; i++) {
			char ch = c[i];
			if (ch >= 'a' && ch <= 'z')
				ch = (char)(ch - 32);
			if (ch < 'A' || ch > 'Z')
				return LC_EINVAL;
			country[i] = ch;
		}
	}
	if (q->q && strlen(q->q) > LC_LIMIT_SEARCH_BYTES)
		return LC_ELIMIT;

	struct lc_buf key;
	lc_buf_init(&key, LC_LIMIT_SEARCH_BYTES * 4);
	if (q->q)
		lc_text_fold(q->q, strlen(q->q), &key);
	/* A query of punctuation only folds to nothing and matches everything. */
	const char *keyp = key.len ? lc_buf_cstr(&key) : NULL;
	char path[8];
	lc_text_lang_path(q->lang, path, sizeof(path));
	const char *countryp = country[0] ? country : NULL;

	int err = 0, rc;
	json_t *items = json_array();
	long total = -1;
	sqlite3_stmt *st = lc_db_stmt(db, list_sql[q->sort][q->desc ? 1 : 0]);
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	bind_filters(st, path, keyp, region, countryp, q->award_year, status);
	sqlite3_bind_int64(st, 7, per_page);
	sqlite3_bind_int64(st, 8, (page - 1) * per_page);
	while (lc_db_next(db, st, &rc))
		json_array_append_new(items, list_item(st));
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	/* A first page that is not full holds everything: no need to count. */
	if (page == 1 && (long)json_array_size(items) < per_page)
		total = (long)json_array_size(items);
	if (total < 0) {
		st = lc_db_stmt(db, count_sql);
		if (!st) {
			err = LC_EDB;
			goto out;
		}
		bind_filters(st, path, keyp, region, countryp, q->award_year, status);
		rc = lc_db_step(db, st);
		total = rc == 1 ? (long)sqlite3_column_int64(st, 0) : 0;
		lc_db_release(db, st);
		if (rc < 0) {
			err = rc;
			goto out;
		}
	}
	long pages = (total + per_page - 1) / per_page;
	json_t *filters = json_pack(
	    "{s:o, s:o, s:o, s:o, s:o, s:s, s:s}", "q", opt_str(q->q && q->q[0] ? q->q : NULL),
	    "region", opt_str(region), "country", opt_str(countryp), "award_year",
	    q->award_year ? json_integer(q->award_year) : json_null(), "status", opt_str(status),
	    "sort", lc_city_sort_name(q->sort, q->desc), "lang", lc_text_lang(q->lang));
	*out = json_pack("{s:o, s:I, s:I, s:I, s:I, s:o}", "items", items, "total",
	                 (json_int_t)total, "page", (json_int_t)page, "per_page",
	                 (json_int_t)per_page, "pages", (json_int_t)pages, "filters", filters);
	items = NULL;
	if (!*out)
		err = LC_EINTERNAL;
out:
	json_decref(items);
	lc_buf_cleanup(&key);
	return err;
}

/* ---- one city ----------------------------------------------------------- */

/* clang-format off */
static const char *const city_sql =
	"SELECT c.id, c.slug, " LC_ROW_TR("c.name") ", c.name, c.kind, c.country, "
	LC_ROW_TR("co.name") ", co.region, " LC_ROW_TR("r.name") ", co.region_provenance,"
	" c.population, c.population_year, c.area_km2, c.latitude, c.longitude,"
	" c.provenance, m.status"
	" FROM cities c JOIN countries co ON co.alpha2 = c.country"
	" LEFT JOIN regions r ON r.code = co.region"
	" LEFT JOIN memberships m ON m.city_id = c.id AND m.to_date IS NULL"
	" WHERE c.slug = ?2";

static const char *const membership_sql =
	"SELECT status, from_date, to_date, known_by, reason, source, provenance,"
	" count(*) OVER () FROM memberships WHERE city_id = ?1"
	" ORDER BY coalesce(from_date, known_by) DESC, id DESC LIMIT ?2";

static const char *const awards_sql =
	"SELECT a.round_year, ar.conference_number, h.slug, " LC_ROW_TR("h.name") ","
	" a.provenance"
	" FROM awards a JOIN award_rounds ar ON ar.year = a.round_year"
	" LEFT JOIN conferences k ON k.number = ar.conference_number"
	" LEFT JOIN cities h ON h.id = k.host_city_id"
	" WHERE a.city_id = ?2 ORDER BY a.round_year";

static const char *const hosted_sql =
	"SELECT number, CAST(substr(start_date, 1, 4) AS INTEGER), " LC_ROW_TR("theme") ","
	" start_date, end_date FROM conferences WHERE host_city_id = ?2 ORDER BY number";
/* clang-format on */

static int add_membership(struct lc_db *db, sqlite3_int64 id, json_t *city)
{
	sqlite3_stmt *st = lc_db_stmt(db, membership_sql);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, LC_WF_HISTORY_SHOWN);
	json_t *list = json_array();
	json_int_t total = 0;
	int rc;
	/* The latest periods, newest first from SQL, listed oldest first. */
	while (lc_db_next(db, st, &rc)) {
		total = sqlite3_column_int64(st, 7);
		json_array_insert_new(
		    list, 0,
		    json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "status", lc_row_str(st, 0),
		              "from", lc_row_str(st, 1), "to", lc_row_str(st, 2), "known_by",
		              lc_row_str(st, 3), "reason", lc_row_str(st, 4), "source",
		              lc_row_str(st, 5), "provenance", lc_row_str(st, 6)));
	}
	lc_db_release(db, st);
	json_object_set_new(city, "membership", list);
	json_object_set_new(city, "membership_total", json_integer(total));
	return rc < 0 ? rc : 0;
}

static int add_awards(struct lc_db *db, const char *path, sqlite3_int64 id, json_t *city)
{
	sqlite3_stmt *st = lc_db_stmt(db, awards_sql);
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, path);
	sqlite3_bind_int64(st, 2, id);
	json_t *list = json_array();
	int rc;
	while (lc_db_next(db, st, &rc)) {
		json_t *host = sqlite3_column_type(st, 2) == SQLITE_NULL
		                   ? json_null()
		                   : json_pack("{s:o, s:o}", "slug", lc_row_str(st, 2), "name",
		                               lc_row_str(st, 3));
		json_array_append_new(list,
		                      json_pack("{s:o, s:o, s:o, s:o}", "year", lc_row_int(st, 0),
		                                "conference_number", lc_row_int(st, 1), "host_city",
		                                host, "provenance", lc_row_str(st, 4)));
	}
	lc_db_release(db, st);
	json_object_set_new(city, "awards", list);
	return rc < 0 ? rc : 0;
}

static int add_hosted(struct lc_db *db, const char *path, sqlite3_int64 id, json_t *city)
{
	sqlite3_stmt *st = lc_db_stmt(db, hosted_sql);
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, path);
	sqlite3_bind_int64(st, 2, id);
	json_t *list = json_array();
	int rc;
	while (lc_db_next(db, st, &rc))
		json_array_append_new(list,
		                      json_pack("{s:o, s:o, s:o, s:o, s:o}", "number",
		                                lc_row_int(st, 0), "year", lc_row_int(st, 1),
		                                "title", lc_row_str(st, 2), "start_date",
		                                lc_row_str(st, 3), "end_date", lc_row_str(st, 4)));
	lc_db_release(db, st);
	json_object_set_new(city, "conferences_hosted", list);
	return rc < 0 ? rc : 0;
}

int lc_city_get(struct lc_db *db, const char *slug, const char *lang, json_t **out)
{
	*out = NULL;
	if (!lc_text_slug_ok(slug))
		return LC_ENOTFOUND;
	char path[8];
	lc_text_lang_path(lang, path, sizeof(path));
	sqlite3_stmt *st = lc_db_stmt(db, city_sql);
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, path);
	lc_db_bind_text(st, 2, slug);
	int rc = lc_db_step(db, st);
	if (rc != 1) {
		lc_db_release(db, st);
		return rc < 0 ? rc : LC_ENOTFOUND;
	}
	sqlite3_int64 id = sqlite3_column_int64(st, 0);
	json_t *region = json_null();
	if (sqlite3_column_type(st, 7) != SQLITE_NULL)
		region = json_pack("{s:o, s:o, s:o}", "code", lc_row_str(st, 7), "name",
		                   lc_row_str(st, 8), "provenance", lc_row_str(st, 9));
	json_t *city = json_pack(
	    "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "slug",
	    lc_row_str(st, 1), "name", lc_row_str(st, 2), "names", lc_row_object(st, 3), "kind",
	    lc_row_str(st, 4), "country", lc_row_code_name(st, 5, 6), "region", region, "status",
	    lc_row_str(st, 16), "population", lc_row_int(st, 10), "population_year",
	    lc_row_int(st, 11), "area_km2", lc_row_real(st, 12), "latitude", lc_row_real(st, 13),
	    "longitude", lc_row_real(st, 14), "provenance", lc_row_str(st, 15), "awards",
	    json_array());
	lc_db_release(db, st);
	if (!city)
		return LC_EINTERNAL;
	int err = add_membership(db, id, city);
	if (!err)
		err = add_awards(db, path, id, city);
	if (!err)
		err = add_hosted(db, path, id, city);
	if (err) {
		json_decref(city);
		return err;
	}
	*out = city;
	return 0;
}

/* ---- creating a city (an approved application) ----------------------------------------------- */

static int find_by_key(struct lc_db *db, const char *key, const char *country, int64_t *id)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id FROM cities WHERE country = ?1"
	                                  " AND json_extract(sort_key, '$.en') = ?2");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, country);
	lc_db_bind_text(st, 2, key);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*id = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

static int slug_taken(struct lc_db *db, const char *slug, bool *taken)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT 1 FROM cities WHERE slug = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, slug);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	*taken = rc == 1;
	return rc < 0 ? rc : 0;
}

/* A free slug from the name: "tartu", else "tartu-ee", else "tartu-ee-2" ... */
static int free_slug(struct lc_db *db, const char *name, const char *country, char *out, size_t n)
{
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_NAME_BYTES * 4);
	lc_text_slug(name, strlen(name), &b);
	char base[64];
	/* A name in another script may give no slug: the country then stands for it. */
	snprintf(base, sizeof base, "%.48s", b.len && !lc_buf_error(&b) ? lc_buf_cstr(&b) : "city");
	lc_buf_cleanup(&b);
	size_t bl = strlen(base);
	while (bl && base[bl - 1] == '-')
		base[--bl] = '\0';
	char cc[3] = {(char)(country[0] | 0x20), (char)(country[1] | 0x20), 0};
	int err = 0;
	for (int k = 0; k < 1000 && !err; k++) {
		bool taken = true;
		if (k == 0)
			snprintf(out, n, "%s", base);
		else if (k == 1)
			snprintf(out, n, "%s-%s", base, cc);
		else
			snprintf(out, n, "%s-%s-%d", base, cc, k);
		if (!lc_text_slug_ok(out))
			continue;
		err = slug_taken(db, out, &taken);
		if (!err && !taken)
			return 0;
	}
	return err ? err : LC_ECONFLICT;
}

int lc_city_match(struct lc_db *db, const char *name, const char *country, json_t **out)
{
	*out = NULL;
	if (!name || !name[0] || strlen(name) > LC_LIMIT_NAME_BYTES || !country ||
	    strlen(country) != 2)
		return 0;
	char cc[3] = {(char)(country[0] & ~0x20), (char)(country[1] & ~0x20), 0};
	struct lc_buf key;
	lc_buf_init(&key, LC_LIMIT_NAME_BYTES * 4);
	lc_text_fold(name, strlen(name), &key);
	int err = 0;
	int64_t id = 0;
	if (!lc_buf_error(&key))
		err = find_by_key(db, lc_buf_cstr(&key), cc, &id);
	lc_buf_cleanup(&key);
	if (err == LC_ENOTFOUND || !id)
		return err == LC_ENOTFOUND ? 0 : err;
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT c.slug, json_extract(c.name, '$.en'), m.status"
	                                  " FROM cities c LEFT JOIN memberships m"
	                                  " ON m.city_id = c.id AND m.to_date IS NULL"
	                                  " WHERE c.id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*out =
		    json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)id, "slug", lc_db_text(st, 0),
		              "name", lc_db_text(st, 1) ? lc_db_text(st, 1) : lc_db_text(st, 0),
		              "status", lc_row_str(st, 2));
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_city_create(struct lc_db *db, const struct lc_actor *actor, const struct lc_city_new *in,
                   int64_t *id, bool *created)
{
	if (created)
		*created = false;
	int err = lc_authz_check(actor, LC_ACT_DECIDE_MEMBERSHIP, NULL);
	if (err)
		return err;
	if (!in->name || !in->name[0] || strlen(in->name) > LC_LIMIT_NAME_BYTES || !in->country ||
	    strlen(in->country) != 2)
		return LC_EINVAL;
	char cc[3] = {(char)(in->country[0] & ~0x20), (char)(in->country[1] & ~0x20), 0};
	struct lc_buf key, search, sort;
	lc_buf_init(&key, LC_LIMIT_NAME_BYTES * 4);
	lc_buf_init(&search, LC_LIMIT_NAME_BYTES * 10);
	lc_buf_init(&sort, LC_LIMIT_NAME_BYTES * 10);
	json_t *names = NULL, *sortobj = NULL, *after = NULL;
	lc_text_fold(in->name, strlen(in->name), &key);
	err = lc_db_begin(db);
	if (err)
		goto done;
	err = find_by_key(db, lc_buf_cstr(&key), cc, id);
	if (err != LC_ENOTFOUND)
		goto out;
	char slug[96];
	err = free_slug(db, in->name, cc, slug, sizeof slug);
	if (err)
		goto out;
	/* The search key as the directory's loader makes it: the folded name, and
	 * its variant with apostrophes as spaces when that differs. */
	lc_buf_puts(&search, lc_buf_cstr(&key));
	struct lc_buf g;
	lc_buf_init(&g, LC_LIMIT_NAME_BYTES * 4);
	lc_text_slug(in->name, strlen(in->name), &g);
	for (size_t i = 0; i < g.len; i++)
		if (g.data[i] == '-')
			g.data[i] = ' ';
	if (g.len && strcmp(lc_buf_cstr(&g), lc_buf_cstr(&key)) != 0) {
		lc_buf_puts(&search, " | ");
		lc_buf_puts(&search, lc_buf_cstr(&g));
	}
	lc_buf_cleanup(&g);
	names = json_pack("{s:s}", "en", in->name);
	sortobj = json_pack("{s:s}", "en", lc_buf_cstr(&key));
	struct lc_buf nb;
	lc_buf_init(&nb, LC_LIMIT_NAME_BYTES * 10);
	err = lc_row_dump(names, &nb);
	if (!err)
		err = lc_row_dump(sortobj, &sort);
	if (!err && (lc_buf_error(&search) || lc_buf_error(&sort)))
		err = LC_EINVAL;
	sqlite3_stmt *st =
	    err ? NULL
	        : lc_db_stmt(db, "INSERT INTO cities (slug, name, search_key, sort_key,"
	                         " country, kind, population, population_year,"
	                         " area_km2, provenance) VALUES (?1, ?2, ?3, ?4, ?5,"
	                         " 'city', ?6, ?7, ?8, 'verified')");
	if (!err && !st)
		err = LC_EDB;
	if (!err) {
		lc_db_bind_text(st, 1, slug);
		lc_db_bind_text(st, 2, lc_buf_cstr(&nb));
		lc_db_bind_text(st, 3, lc_buf_cstr(&search));
		lc_db_bind_text(st, 4, lc_buf_cstr(&sort));
		lc_db_bind_text(st, 5, cc);
		if (in->population > 0)
			sqlite3_bind_int64(st, 6, in->population);
		if (in->population > 0 && in->population_year >= 1900 &&
		    in->population_year <= 2999)
			sqlite3_bind_int64(st, 7, in->population_year);
		if (in->area_km2 > 0)
			sqlite3_bind_double(st, 8, in->area_km2);
		err = lc_db_step(db, st);
		lc_db_release(db, st);
		/* A missing country is a broken foreign key. */
		if (err == LC_ECONFLICT)
			err = LC_ENOTFOUND;
	}
	lc_buf_cleanup(&nb);
	if (err < 0)
		goto out;
	*id = lc_db_last_id(db);
	after = json_pack("{s:s,s:s,s:s}", "slug", slug, "name", in->name, "country", cc);
	err = lc_audit_append_id(db, actor, "city.create", "city", *id, NULL, after, NULL);
	if (!err && created)
		*created = true;
out:
	if (err)
		lc_db_rollback(db);
	else
		err = lc_db_commit(db);
done:
	json_decref(names);
	json_decref(sortobj);
	json_decref(after);
	lc_buf_cleanup(&key);
	lc_buf_cleanup(&search);
	lc_buf_cleanup(&sort);
	return err;
}

/* The numeric code and coordinates of every city, by slug. */
static int place_facts(struct lc_db *db, json_t *facts)
{
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT c.slug, co.numeric, c.latitude, c.longitude"
	                   " FROM cities c JOIN countries co ON co.alpha2 = c.country");
	if (!st)
		return LC_EDB;
	int rc;
	while (lc_db_next(db, st, &rc))
		json_object_set_new(facts, lc_db_text(st, 0),
		                    json_pack("{s:o, s:o, s:o}", "numeric", lc_row_int(st, 1),
		                              "latitude", lc_row_real(st, 2), "longitude",
		                              lc_row_real(st, 3)));
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_city_places(struct lc_db *db, const struct lc_city_query *q, json_t **out)
{
	*out = NULL;
	struct lc_city_query pq = *q;
	pq.per_page = LC_LIMIT_PER_PAGE;
	json_t *places = json_array(), *facts = json_object();
	int err = place_facts(db, facts);
	for (pq.page = 1; !err; pq.page++) {
		json_t *list = NULL;
		err = lc_city_list(db, &pq, &list);
		if (err)
			break;
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(list, "items"), i, it)
		{
			const json_t *f =
			    json_object_get(facts, json_string_value(json_object_get(it, "slug")));
			json_t *country = json_deep_copy(json_object_get(it, "country"));
			const json_t *num = json_object_get(f, "numeric");
			json_object_set_new(country, "numeric",
			                    num ? json_incref((json_t *)num) : json_null());
			json_array_append_new(
			    places, json_pack("{s:O, s:O, s:o, s:O?, s:O?}", "slug",
			                      json_object_get(it, "slug"), "name",
			                      json_object_get(it, "name"), "country", country,
			                      "latitude", json_object_get(f, "latitude"),
			                      "longitude", json_object_get(f, "longitude")));
		}
		long pages = (long)json_integer_value(json_object_get(list, "pages"));
		json_decref(list);
		if (pq.page >= pages)
			break;
	}
	json_decref(facts);
	if (err) {
		json_decref(places);
		return err;
	}
	*out = places;
	return 0;
}
