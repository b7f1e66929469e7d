/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The monitoring pages' view-models: a city's profile (the network
 * dashboard is monitoring_network.c), assembled from stored runs (score.h), approved values
 * (observation.h) and the directory (city.h). Reads only, as the public.
 * See monitoring_view.h for the shapes.
 */
#include "domain/monitoring/monitoring_view.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/platform/clock.h"
#include "domain/accounts/authz.h"
#include "domain/directory/city.h"
#include "domain/monitoring/observation.h"
#include "domain/monitoring/year_review.h"
#include "domain/platform/row.h"
#include "domain/monitoring/score.h"
#include "domain/platform/text.h"
#include "domain/monitoring/monitoring_view_internal.h"

json_t *lc_monview_or_null(json_t *v)
{
	return v ? v : json_null();
}

json_t *lc_monview_or_false(json_t *v)
{
	return v ? v : json_false();
}

const char *lc_monview_str_or(const char *s)
{
	return s ? s : "";
}

const char *lc_monview_pop_class(long long population)
{
	return lc_score_pop_class(population);
}

bool lc_monview_num_of(const json_t *o, const char *key, double *out)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_number(v))
		return false;
	*out = json_number_value(v);
	return isfinite(*out);
}

double lc_monview_round1(double x)
{
	return round(x * 10.0) / 10.0;
}

int lc_monview_by_key_desc(const void *a, const void *b)
{
	const struct lc_monview_keyed *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? 1 : -1;
	return x->i < y->i ? -1 : (x->i > y->i);
}

void lc_monview_rank_areas(json_t *areas, size_t k, json_t **strengths, json_t **weaknesses,
                           json_t **improvements)
{
	size_t n = json_array_size(areas), ns = 0, nc = 0;
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		double s;
		if (lc_monview_num_of(json_array_get(areas, i), "score", &s)) {
			sum += s;
			ns++;
		}
	}
	struct lc_monview_keyed *dev = lc_xcalloc(n ? n : 1, sizeof *dev);
	struct lc_monview_keyed *chg = lc_xcalloc(n ? n : 1, sizeof *chg);
	size_t nd = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *a = json_array_get(areas, i);
		double s, p;
		if (!lc_monview_num_of(a, "score", &s))
			continue;
		double d = s - sum / (double)ns;
		json_object_set_new(a, "vs_own_mean", json_real(lc_monview_round1(d)));
		if (dev)
			dev[nd++] = (struct lc_monview_keyed){d, i};
		if (lc_monview_num_of(a, "previous", &p)) {
			json_object_set_new(a, "change", json_real(lc_monview_round1(s - p)));
			if (chg && s - p > 0)
				chg[nc++] = (struct lc_monview_keyed){s - p, i};
		}
	}
	*strengths = json_array();
	*weaknesses = json_array();
	*improvements = json_array();
	if (dev && chg) {
		qsort(dev, nd, sizeof *dev, lc_monview_by_key_desc);
		qsort(chg, nc, sizeof *chg, lc_monview_by_key_desc);
		/* Only areas above the mean are strengths and below it weaknesses, so a
		 * city with two scored areas never lists one as both. */
		for (size_t i = 0; i < nd && i < k && dev[i].key > 0; i++)
			json_array_append(*strengths, json_array_get(areas, dev[i].i));
		for (size_t i = 0; i < nd && i < k && dev[nd - 1 - i].key < 0; i++)
			json_array_append(*weaknesses, json_array_get(areas, dev[nd - 1 - i].i));
		for (size_t i = 0; i < nc && i < k; i++)
			json_array_append(*improvements, json_array_get(areas, chg[i].i));
	}
	lc_free(dev);
	lc_free(chg);
}

/* Whether code is an area's (level 2). */
bool lc_monview_is_area(const json_t *code)
{
	return json_integer_value(json_object_get(code, "level")) == 2;
}

/* Region, population and region name of every city, keyed by slug:
 * {"cork": [region|null, pop|null, region name|null]}. */
int lc_monview_city_facts(struct lc_db *db, const char *lang, json_t **out)
{
	char path[16];
	lc_text_lang_path(lang, path, sizeof path);
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT ci.slug, co.region, ci.population,"
	                   " coalesce(json_extract(r.name, ?1), json_extract(r.name, '$.en'))"
	                   " FROM cities ci JOIN countries co ON co.alpha2 = ci.country"
	                   " LEFT JOIN regions r ON r.code = co.region");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, path);
	json_t *m = json_object();
	int rc;
	while (lc_db_next(db, st, &rc)) {
		const char *slug = lc_db_text(st, 0), *region = lc_db_text(st, 1);
		json_t *pop = sqlite3_column_type(st, 2) == SQLITE_NULL
		                  ? json_null()
		                  : json_integer(sqlite3_column_int64(st, 2));
		json_object_set_new(m, slug ? slug : "",
		                    json_pack("[s?os?]", region, pop, lc_db_text(st, 3)));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(m);
		return rc;
	}
	*out = m;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static json_t *median_of(double *v, size_t n)
{
	if (n == 0)
		return json_null();
	qsort(v, n, sizeof *v, cmp_double);
	double m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
	return json_real(lc_monview_round1(m));
}

/* The peer group of slug in matrix mx and each area's peer median into areas[i]. */
static void add_peers(json_t *vm, json_t *areas, const json_t *mx, const json_t *facts,
                      const char *slug)
{
	const json_t *mine = json_object_get(facts, slug);
	const char *region = json_string_value(json_array_get(mine, 0));
	const char *pclass = lc_monview_pop_class(json_integer_value(json_array_get(mine, 1)));
	json_t *codes = json_object_get(mx, "codes"), *cities = json_object_get(mx, "cities");
	json_t *peers = json_array();
	size_t nc = json_array_size(cities);
	bool *use = lc_xcalloc(nc ? nc : 1, sizeof *use);
	for (size_t i = 0; use && i < nc; i++) {
		json_t *c = json_array_get(cities, i);
		const char *s = json_string_value(json_object_get(c, "slug"));
		if (!s || strcmp(s, slug) == 0 || !region)
			continue;
		const json_t *f = json_object_get(facts, s);
		const char *r = json_string_value(json_array_get(f, 0));
		if (!r || strcmp(r, region) != 0)
			continue;
		/* The population class narrows the group only when both populations are known. */
		const char *pc = lc_monview_pop_class(json_integer_value(json_array_get(f, 1)));
		if (pclass && pc && strcmp(pclass, pc) != 0)
			continue;
		use[i] = true;
		json_array_append_new(peers,
		                      json_pack("{s:O,s:O}", "slug", json_object_get(c, "slug"),
		                                "name", json_object_get(c, "name")));
	}
	double *v = lc_xcalloc(nc ? nc : 1, sizeof *v);
	for (size_t a = 0; v && use && a < json_array_size(areas); a++) {
		json_t *area = json_array_get(areas, a);
		const char *code = json_string_value(json_object_get(area, "code"));
		size_t col = SIZE_MAX;
		for (size_t j = 0; code && j < json_array_size(codes); j++)
			if (strcmp(lc_monview_str_or(json_string_value(
			               json_object_get(json_array_get(codes, j), "code"))),
			           code) == 0)
				col = j;
		size_t n = 0;
		for (size_t i = 0; col != SIZE_MAX && i < nc; i++) {
			if (!use[i])
				continue;
			json_t *x = json_array_get(
			    json_object_get(json_array_get(cities, i), "scores"), col);
			if (json_is_number(x))
				v[n++] = json_number_value(x);
		}
		json_object_set_new(area, "peer_median", median_of(v, n));
	}
	lc_free(v);
	lc_free(use);
	json_object_set_new(vm, "peers",
	                    json_pack("{s:s?,s:s?,s:I,s:o}", "region", region, "population_class",
	                              pclass, "count", (json_int_t)json_array_size(peers), "cities",
	                              peers));
}

/*
 * The self-assessment of an approved city-year from its table: the current
 * maturity per key feature with evidence, links, who and when. Appended to self.
 */
static int self_assessment(struct lc_db *db, const char *slug, const char *lang, long year,
                           json_t *self)
{
	char path[16];
	lc_text_lang_path(lang, path, sizeof path);
	sqlite3_stmt *st = lc_db_stmt(
	    db,
	    "SELECT ff.code, coalesce(json_extract(ff.title, ?3), json_extract(ff.title, '$.en')),"
	    " sa.maturity, sa.evidence, sa.links, " LC_OBS_AUTHOR_SQL(
	        "sa") ","
	              " strftime('%Y-%m-%dT%H:%M:%SZ', sa.created_at, 'unixepoch')"
	              " FROM self_assessments sa JOIN cities ci ON ci.id = sa.city_id"
	              " JOIN framework_features ff ON ff.id = sa.feature_id"
	              " JOIN " LC_YEAR_REVIEW_APPROVED_SQL " ry"
	              "  ON ry.city_id = sa.city_id AND ry.year = sa.year"
	              " WHERE ci.slug = ?1 AND sa.year = ?2 AND sa.is_current = 1 ORDER BY "
	              "ff.code");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, slug);
	sqlite3_bind_int64(st, 2, year);
	lc_db_bind_text(st, 3, path);
	int rc;
	while (lc_db_next(db, st, &rc)) {
		json_t *links = json_loads(lc_monview_str_or(lc_db_text(st, 4)), 0, NULL);
		json_array_append_new(
		    self, json_pack("{s:s?,s:s?,s:I,s:s?,s:o,s:s?,s:s?}", "code", lc_db_text(st, 0),
		                    "label", lc_db_text(st, 1), "level",
		                    (json_int_t)sqlite3_column_int64(st, 2), "evidence",
		                    lc_db_text(st, 3), "links", links ? links : json_array(),
		                    "author", lc_db_text(st, 5), "at", lc_db_text(st, 6)));
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* A text column as a JSON string (stored text was validated UTF-8 when written), or null. */
static json_t *col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return json_null();
	return json_stringn_nocheck((const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

static json_t *col_real(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null()
	                                                 : json_real(sqlite3_column_double(st, i));
}

/* Unix seconds as "2026-11-24T08:00:00Z", as the other views give times. */
static json_t *iso_time(int64_t t)
{
	char buf[21];
	lc_clock_iso(t, buf);
	return json_string_nocheck(buf);
}

/* Sort context of the values: framework measurements before the city's own, then by code. */
struct value_key {
	int local;
	const char *code;
	json_t *item;
};

static int by_local_code(const void *a, const void *b)
{
	const struct value_key *x = a, *y = b;
	if (x->local != y->local)
		return x->local - y->local;
	return strcmp(x->code, y->code);
}

/* Versions newest first (a value has a few: insertion sort in place). */
static void versions_desc(json_t *versions)
{
	size_t n = json_array_size(versions);
	for (size_t i = 1; i < n; i++) {
		for (size_t j = i; j > 0; j--) {
			json_t *a = json_array_get(versions, j - 1),
			       *b = json_array_get(versions, j);
			if (json_integer_value(json_object_get(a, "version")) >=
			    json_integer_value(json_object_get(b, "version")))
				break;
			json_incref(a);
			json_array_set(versions, j - 1, b);
			json_array_set_new(versions, j, a);
		}
	}
}

/*
 * The values of an approved city-year with every version, newest first, in
 * lc_obs_list's item shape and order (framework measurements by code, then
 * the city's own): the same rows lc_obs_list gives the public, read in index
 * order (sorted here, not by SQLite's sorter) with no JSON packing per row,
 * since the profile shows them all. *items is empty when the year is not
 * approved (the public sees none).
 */
static int public_values(struct lc_db *db, const char *slug, long year, json_t **items)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db,
	    "SELECT m.code, json_extract(m.label, '$.en'), m.unit, m.type, o.version,"
	    " o.value_text, o.value_num, o.source, o.note, o.is_current, " LC_OBS_AUTHOR_SQL(
	        "o") ","
	             " o.created_at, 0 AS local"
	             " FROM cities ci JOIN " LC_YEAR_REVIEW_APPROVED_SQL " ry"
	             "  ON ry.city_id = ci.id AND ry.year = ?2"
	             " JOIN observations o ON o.city_id = ci.id AND o.year = ?2"
	             " JOIN framework_measurements m ON m.id = o.measurement_id WHERE ci.slug = ?1"
	             " UNION ALL"
	             " SELECT m.code, json_extract(m.label, '$.en'), m.unit, m.type, o.version,"
	             " o.value_text, o.value_num, o.source, o.note, "
	             "o.is_current, " LC_OBS_AUTHOR_SQL(
	                 "o") ","
	                      " o.created_at, 1 AS local"
	                      " FROM cities ci JOIN " LC_YEAR_REVIEW_APPROVED_SQL " ry"
	                      "  ON ry.city_id = ci.id AND ry.year = ?2"
	                      " JOIN observations o ON o.city_id = ci.id AND o.year = ?2"
	                      " JOIN local_measurements m ON m.id = o.local_measurement_id WHERE "
	                      "ci.slug = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, slug);
	sqlite3_bind_int64(st, 2, year);
	/* Items by "<local><code>": a value's versions may come in any order. */
	json_t *by_code = json_object();
	int rc;
	while (lc_db_next(db, st, &rc)) {
		const char *code = lc_db_text(st, 0);
		int local = sqlite3_column_int(st, 12);
		if (!code)
			continue;
		char key[LC_LIMIT_SLUG_BYTES + 160];
		snprintf(key, sizeof key, "%d%s", local, code);
		json_t *item = json_object_get(by_code, key);
		if (!item) {
			item = json_object();
			json_object_set_new_nocheck(item, "code", col_str(st, 0));
			json_object_set_new_nocheck(item, "label", col_str(st, 1));
			json_object_set_new_nocheck(item, "unit", col_str(st, 2));
			json_object_set_new_nocheck(item, "type", col_str(st, 3));
			json_object_set_new_nocheck(item, "local", json_boolean(local));
			json_object_set_new_nocheck(item, "value", json_null());
			json_object_set_new_nocheck(item, "versions", json_array());
			json_object_set_new(by_code, key, item);
		}
		bool current = sqlite3_column_int(st, 9) != 0;
		json_t *v = json_object();
		json_object_set_new_nocheck(v, "version",
		                            json_integer(sqlite3_column_int64(st, 4)));
		json_object_set_new_nocheck(v, "value", col_str(st, 5));
		json_object_set_new_nocheck(v, "number", col_real(st, 6));
		json_object_set_new_nocheck(v, "source", col_str(st, 7));
		json_object_set_new_nocheck(v, "note", col_str(st, 8));
		json_object_set_new_nocheck(v, "current", json_boolean(current));
		json_object_set_new_nocheck(v, "author", col_str(st, 10));
		json_object_set_new_nocheck(v, "at", iso_time(sqlite3_column_int64(st, 11)));
		if (current)
			json_object_set_new_nocheck(item, "value", col_str(st, 5));
		json_array_append_new(json_object_get(item, "versions"), v);
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(by_code);
		return rc;
	}
	size_t n = json_object_size(by_code), k = 0;
	struct value_key *keys = lc_xcalloc(n + 1, sizeof *keys);
	const char *key;
	json_t *item;
	json_object_foreach(by_code, key, item)
	{
		keys[k++] = (struct value_key){
		    json_is_true(json_object_get(item, "local")),
		    lc_monview_str_or(json_string_value(json_object_get(item, "code"))), item};
		versions_desc(json_object_get(item, "versions"));
	}
	qsort(keys, k, sizeof *keys, by_local_code);
	json_t *a = json_array();
	for (size_t i = 0; i < k; i++)
		json_array_append(a, keys[i].item);
	lc_free(keys);
	json_decref(by_code);
	*items = a;
	return 0;
}

/* The values of the year (public: approved only) and the self-assessment. */
static int add_values(struct lc_db *db, json_t *vm, const char *slug, const char *lang, long year,
                      bool *synthetic)
{
	json_t *values = json_array(), *self = json_array();
	if (year > 0) {
		json_t *obs = NULL;
		int err = public_values(db, slug, year, &obs);
		if (err == 0) {
			json_t *it;
			size_t i;
			json_array_foreach(obs, i, it)
			{
				json_t *cur = json_array_get(json_object_get(it, "versions"), 0);
				const char *src = json_string_value(json_object_get(cur, "source"));
				bool syn = src && strstr(src, LC_MONVIEW_SYNTHETIC_SOURCE);
				*synthetic = *synthetic || syn;
				json_object_set(it, "source", json_object_get(cur, "source"));
				json_object_set_new(it, "synthetic", json_boolean(syn));
				json_object_set_new(it, "n_versions",
				                    json_integer((json_int_t)json_array_size(
				                        json_object_get(it, "versions"))));
				json_array_append(values, it);
				const char *type = json_string_value(json_object_get(it, "type"));
				if (type && strcmp(type, "maturity_0_4") == 0) {
					json_array_append_new(
					    self,
					    json_pack(
					        "{s:O,s:O,s:O,s:O,s:[],s:O,s:O}", "code",
					        json_object_get(it, "code"), "label",
					        json_object_get(it, "label"), "level",
					        lc_monview_or_null(json_object_get(cur, "number")),
					        "evidence",
					        lc_monview_or_null(json_object_get(cur, "note")),
					        "links", "author",
					        lc_monview_or_null(json_object_get(cur, "author")),
					        "at",
					        lc_monview_or_null(json_object_get(cur, "at"))));
				}
			}
			json_decref(obs);
			err = self_assessment(db, slug, lang, year, self);
		}
		if (err) {
			json_decref(values);
			json_decref(self);
			return err;
		}
	}
	json_object_set_new(vm, "values", values);
	json_object_set_new(vm, "self_assessment", self);
	return 0;
}

/* The peer group and each area's peer median from the year's run summary (the fast path). */
static int summary_peers(struct lc_db *db, json_t *vm, json_t *areas, const json_t *cur,
                         const char *slug)
{
	const json_t *grp = json_object_get(cur, "peer_group");
	const json_t *pm = json_object_get(cur, "peer_median");
	json_t *list = NULL;
	int err = lc_score_peers(db, json_integer_value(json_object_get(cur, "run")), slug, &list);
	if (err)
		return err;
	size_t i;
	json_t *a;
	json_array_foreach(areas, i, a)
	{
		double v;
		json_object_set_new(
		    a, "peer_median",
		    lc_monview_num_of(pm, json_string_value(json_object_get(a, "code")), &v)
		        ? json_real(lc_monview_round1(v))
		        : json_null());
	}
	json_object_set_new(vm, "peers",
	                    json_pack("{s:O,s:O,s:I,s:o}", "region",
	                              lc_monview_or_null(json_object_get(grp, "region")),
	                              "population_class",
	                              lc_monview_or_null(json_object_get(grp, "population_class")),
	                              "count", (json_int_t)json_array_size(list), "cities", list));
	return 0;
}

/* A score member of a year's code entry, borrowed, NULL when absent. */
static json_t *member(const json_t *year, const char *code, const char *key)
{
	return year ? json_object_get(json_object_get(json_object_get(year, "scores"), code), key)
	            : NULL;
}

/*
 * The members of lc_city_get's city that a profile shows (slug, name, region
 * {code, name, provenance} | null, population), with the same rules (an
 * unknown or malformed slug, or a city without its country, is
 * LC_ENOTFOUND), without the membership, awards and conferences it also reads.
 */
int lc_monview_name_areas(struct lc_db *db, const char *lang, int64_t run, json_t *codes)
{
	char path[16];
	lc_text_lang_path(lang, path, sizeof path);
	sqlite3_stmt *st = lc_db_stmt(
	    db,
	    "SELECT a.code, " LC_ROW_TR("a.title") " FROM framework_areas a"
	                                           " JOIN framework_parts p ON p.id = a.part_id"
	                                           " WHERE p.version_id = coalesce("
	                                           " (SELECT framework_version_id FROM index_runs"
	                                           "  WHERE id = ?2),"
	                                           " (SELECT id FROM framework_versions"
	                                           "  WHERE is_current = 1))");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, path);
	sqlite3_bind_int64(st, 2, run);
	json_t *titles = json_object();
	int rc;
	while ((rc = lc_db_step(db, st)) == 1) {
		const char *code = lc_db_text(st, 0), *title = lc_db_text(st, 1);
		if (code && title && *title)
			json_object_set_new(titles, code, json_string(title));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(titles);
		return LC_EDB;
	}
	json_t *cd;
	size_t i;
	json_array_foreach(codes, i, cd)
	{
		json_t *t = json_object_get(titles, json_string_value(json_object_get(cd, "code")));
		if (t && json_is_object(cd))
			json_object_set(cd, "name", t);
	}
	json_decref(titles);
	return 0;
}

static int city_head(struct lc_db *db, const char *slug, const char *lang, json_t **out)
{
	if (!lc_text_slug_ok(slug))
		return LC_ENOTFOUND;
	char path[16];
	lc_text_lang_path(lang, path, sizeof path);
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT c.slug, " LC_ROW_TR("c.name") ", co.region, " LC_ROW_TR(
	                       "r.name") ", co.region_provenance,"
	                                 " c.population"
	                                 " FROM cities c JOIN countries co"
	                                 " ON co.alpha2 = c.country"
	                                 " LEFT JOIN regions r ON r.code ="
	                                 " co.region WHERE c.slug = ?2");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, path);
	lc_db_bind_text(st, 2, slug);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		json_t *region = json_null();
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			region = json_pack("{s:o, s:o, s:o}", "code", lc_row_str(st, 2), "name",
			                   lc_row_str(st, 3), "provenance", lc_row_str(st, 4));
		*out =
		    json_pack("{s:o, s:o, s:o, s:o}", "slug", lc_row_str(st, 0), "name",
		              lc_row_str(st, 1), "region", region, "population", lc_row_int(st, 5));
	}
	lc_db_release(db, st);
	if (rc != 1)
		return rc < 0 ? rc : LC_ENOTFOUND;
	return *out ? 0 : LC_EINTERNAL;
}

int lc_monview_city(struct lc_db *db, const char *slug, const char *lang, long year, json_t **out)
{
	return lc_monview_city_from(db, slug, lang, year, true, out);
}

int lc_monview_city_from(struct lc_db *db, const char *slug, const char *lang, long year,
                         bool use_summaries, json_t **out)
{
	json_t *city = NULL, *sc = NULL, *vm = NULL, *mx = NULL, *facts = NULL;
	int err = city_head(db, slug, lang, &city);
	if (err)
		return err;
	err = lc_score_city_from(db, slug, use_summaries, &sc);
	if (err == LC_ENOTFOUND) {
		sc = json_pack("{s:[],s:[],s:b}", "codes", "years", "synthetic", 0);
		err = 0;
	}
	if (err)
		goto out;
	vm = json_pack("{s:O}", "city", city);
	bool synthetic = json_is_true(json_object_get(sc, "synthetic"));
	json_t *years = json_object_get(sc, "years"), *codes = json_object_get(sc, "codes");
	/* The selected year's entry (the latest by default) and the one before it. */
	long n = (long)json_array_size(years), sel = n - 1;
	for (long i = 0; year > 0 && i < n; i++)
		if (json_integer_value(json_object_get(json_array_get(years, (size_t)i), "year")) ==
		    year)
			sel = i;
	if (year > 0 && (sel < 0 || json_integer_value(json_object_get(
	                                json_array_get(years, (size_t)sel), "year")) != year))
		sel = -1;
	json_t *cur = sel >= 0 ? json_array_get(years, (size_t)sel) : NULL;
	json_t *prev = sel >= 1 ? json_array_get(years, (size_t)sel - 1) : NULL;
	/* codes are the newest run's: its framework version names them. */
	json_t *newest = n > 0 ? json_array_get(years, (size_t)n - 1) : NULL;
	err = lc_monview_name_areas(db, lang, json_integer_value(json_object_get(newest, "run")),
	                            codes);
	if (err)
		goto out;
	long the_year = cur ? (long)json_integer_value(json_object_get(cur, "year")) : year;
	json_object_set_new(vm, "year", the_year > 0 ? json_integer(the_year) : json_null());
	json_object_set(vm, "previous_year", prev ? json_object_get(prev, "year") : json_null());
	json_t *ylist = json_array(), *areas = json_array(), *series = json_array();
	json_t *y;
	size_t i;
	json_array_foreach(years, i, y) json_array_append(ylist, json_object_get(y, "year"));
	json_t *cd;
	json_array_foreach(codes, i, cd)
	{
		if (!lc_monview_is_area(cd))
			continue;
		const char *code = json_string_value(json_object_get(cd, "code"));
		/* The area's own 90 % intervals of the selected year, as for the index. */
		json_array_append_new(
		    areas,
		    json_pack("{s:O,s:O,s:O,s:O,s:n,s:n,s:n,s:O,s:O,s:O,s:O,s:O}", "code",
		              json_object_get(cd, "code"), "name", json_object_get(cd, "name"),
		              "score", lc_monview_or_null(member(cur, code, "score")), "previous",
		              lc_monview_or_null(member(prev, code, "score")), "peer_median",
		              "change", "vs_own_mean", "score_q5",
		              lc_monview_or_null(member(cur, code, "score_q5")), "score_q95",
		              lc_monview_or_null(member(cur, code, "score_q95")), "rank",
		              lc_monview_or_null(member(cur, code, "rank")), "rank_q5",
		              lc_monview_or_null(member(cur, code, "rank_q5")), "rank_q95",
		              lc_monview_or_null(member(cur, code, "rank_q95"))));
		json_t *vals = json_array(), *lo = json_array(), *hi = json_array();
		size_t j;
		json_array_foreach(years, j, y)
		{
			json_array_append(vals, lc_monview_or_null(member(y, code, "score")));
			json_array_append(lo, lc_monview_or_null(member(y, code, "score_q5")));
			json_array_append(hi, lc_monview_or_null(member(y, code, "score_q95")));
		}
		json_array_append_new(series, json_pack("{s:O,s:O,s:o,s:o,s:o}", "code",
		                                        json_object_get(cd, "code"), "name",
		                                        json_object_get(cd, "name"), "values", vals,
		                                        "lo", lo, "hi", hi));
	}
	json_object_set_new(vm, "years", ylist);
	json_object_set_new(vm, "trend", json_pack("{s:O,s:o}", "years", ylist, "series", series));
	/* Peers from the run the selected year's scores come from. */
	json_t *rank = json_null();
	if (cur) {
		int64_t run = json_integer_value(json_object_get(cur, "run"));
		if (json_object_get(cur, "peer_group")) {
			err = summary_peers(db, vm, areas, cur, slug);
			if (err)
				goto out;
		} else {
			/* A run without summaries: the peers from the whole run's scores. */
			err = lc_score_matrix(db, run, &mx);
			if (err == 0)
				err = lc_monview_city_facts(db, lang, &facts);
			if (err == 0)
				add_peers(vm, areas, mx, facts, slug);
			else if (err != LC_ENOTFOUND)
				goto out;
			err = 0;
		}
		json_t *ix = json_object_get(json_object_get(cur, "scores"), "index");
		if (ix && !json_is_null(json_object_get(ix, "rank")))
			rank = json_pack(
			    "{s:O,s:O,s:O,s:O,s:O,s:O}", "rank", json_object_get(ix, "rank"), "q5",
			    lc_monview_or_null(json_object_get(ix, "rank_q5")), "median",
			    lc_monview_or_null(json_object_get(ix, "rank_median")), "q95",
			    lc_monview_or_null(json_object_get(ix, "rank_q95")), "cities",
			    lc_monview_or_null(json_object_get(cur, "cities")), "score",
			    lc_monview_or_null(json_object_get(ix, "score")));
	}
	if (!json_object_get(vm, "peers"))
		json_object_set_new(vm, "peers",
		                    json_pack("{s:n,s:n,s:i,s:[]}", "region", "population_class",
		                              "count", 0, "cities"));
	json_object_set_new(vm, "rank", rank);
	json_t *st, *we, *im;
	lc_monview_rank_areas(areas, LC_MONVIEW_TOP, &st, &we, &im);
	json_object_set_new(vm, "areas", areas);
	json_object_set_new(vm, "strengths", st);
	json_object_set_new(vm, "weaknesses", we);
	json_object_set_new(vm, "improvements", im);
	err = add_values(db, vm, slug, lang, the_year, &synthetic);
	if (err)
		goto out;
	bool has_scores = cur != NULL;
	bool has_values = json_array_size(json_object_get(vm, "values")) > 0;
	json_object_set_new(vm, "synthetic", json_boolean(synthetic));
	json_object_set_new(vm, "has_scores", json_boolean(has_scores));
	json_object_set_new(vm, "has_values", json_boolean(has_values));
	json_object_set_new(vm, "has_data", json_boolean(has_scores || has_values));
	*out = vm;
	vm = NULL;
out:
	json_decref(vm);
	json_decref(city);
	json_decref(sc);
	json_decref(mx);
	json_decref(facts);
	return err;
}
