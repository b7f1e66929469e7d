/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The network dashboard's view-model (monitoring_view.h): coverage of the
 * year's values, the distribution and movement of the scores across member
 * cities, assembled from stored runs. Reads only, as the public.
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

/*
 * The counts the coverage below gives per city from a run that stored them
 * (scores.n_values, migration 0010): {"slug": {"1.1": have}}, or NULL when
 * the run has none (an older run: count the values now, the slow way).
 */
static json_t *run_coverage(const json_t *mx)
{
	const json_t *codes = json_object_get(mx, "codes"), *c;
	json_t *pc = json_object();
	bool any = false;
	size_t i;
	json_array_foreach(json_object_get(mx, "cities"), i, c)
	{
		const json_t *nv = json_object_get(c, "n_values");
		json_t *per = json_object();
		for (size_t k = 0; k < json_array_size(nv); k++) {
			const json_t *v = json_array_get(nv, k);
			if (!json_is_integer(v))
				continue;
			any = true;
			json_object_set_new(per,
			                    lc_monview_str_or(json_string_value(
			                        json_object_get(json_array_get(codes, k), "code"))),
			                    json_integer(json_integer_value(v)));
		}
		json_object_set_new(
		    pc, lc_monview_str_or(json_string_value(json_object_get(c, "slug"))), per);
	}
	if (!any) {
		json_decref(pc);
		return NULL;
	}
	return pc;
}

/* Coverage: per city slug, the share of the framework's measurements of each area that the
 * city reported (approved, current) for year, as {"slug": {"1.1": [have, total]}}; per_city
 * NULL when only the totals are wanted. */
static int coverage(struct lc_db *db, long year, json_t **per_city, json_t **totals)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT fa.code, count(*) FROM framework_measurements fm"
	        " JOIN framework_features ff ON ff.id = fm.feature_id"
	        " JOIN framework_areas fa ON fa.id = ff.area_id"
	        " WHERE fm.type <> 'text' AND fa.part_id IN (SELECT id FROM framework_parts"
	        "  WHERE version_id = (SELECT id FROM framework_versions WHERE is_current = 1))"
	        " GROUP BY fa.code");
	if (!st)
		return LC_EDB;
	json_t *t = json_object();
	int rc;
	while (lc_db_next(db, st, &rc))
		json_object_set_new(t, lc_monview_str_or(lc_db_text(st, 0)),
		                    json_integer(sqlite3_column_int64(st, 1)));
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(t);
		return rc;
	}
	if (!per_city) {
		*totals = t;
		return 0;
	}
	st = lc_db_stmt(db, "SELECT ci.slug, fa.code, count(*) FROM observations o"
	                    " JOIN cities ci ON ci.id = o.city_id"
	                    " JOIN " LC_YEAR_REVIEW_APPROVED_SQL " ry"
	                    "  ON ry.city_id = o.city_id AND ry.year = o.year"
	                    " JOIN framework_measurements fm ON fm.id = o.measurement_id"
	                    " JOIN framework_features ff ON ff.id = fm.feature_id"
	                    " JOIN framework_areas fa ON fa.id = ff.area_id"
	                    " WHERE o.year = ? AND o.is_current = 1 AND fm.type <> 'text'"
	                    " GROUP BY ci.slug, fa.code");
	if (!st) {
		json_decref(t);
		return LC_EDB;
	}
	sqlite3_bind_int64(st, 1, year);
	json_t *pc = json_object();
	while (lc_db_next(db, st, &rc)) {
		const char *slug = lc_monview_str_or(lc_db_text(st, 0));
		json_t *c = json_object_get(pc, slug);
		if (!c) {
			c = json_object();
			json_object_set_new(pc, slug, c);
		}
		json_object_set_new(c, lc_monview_str_or(lc_db_text(st, 1)),
		                    json_integer(sqlite3_column_int64(st, 2)));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(t);
		json_decref(pc);
		return rc;
	}
	*per_city = pc;
	*totals = t;
	return 0;
}

/*
 * Per area code, the sum of the changes of score from run prun to run run
 * over the cities scored in both, and their number: {"1.1": [sum, n]}. One
 * aggregate over the two runs' primary keys instead of the previous run's
 * whole matrix.
 */
static int mean_changes(struct lc_db *db, int64_t run, int64_t prun, json_t **out)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT n.code, sum(n.score - w.score), count(*) FROM scores n"
	        " JOIN scores w ON w.run_id = ?2 AND w.city_id = n.city_id AND w.code = n.code"
	        " WHERE n.run_id = ?1 AND n.level = 2 AND n.score IS NOT NULL"
	        " AND w.score IS NOT NULL GROUP BY n.code");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, prun);
	json_t *m = json_object();
	int rc;
	while (lc_db_next(db, st, &rc))
		json_object_set_new(m, lc_monview_str_or(lc_db_text(st, 0)),
		                    json_pack("[f,I]", sqlite3_column_double(st, 1),
		                              (json_int_t)sqlite3_column_int64(st, 2)));
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(m);
		return rc;
	}
	*out = m;
	return 0;
}

static json_t *pct(json_int_t have, json_int_t total)
{
	return total > 0 ? json_real(lc_monview_round1(100.0 * (double)have / (double)total))
	                 : json_null();
}

int lc_monview_network(struct lc_db *db, const char *lang, long year, json_t **out)
{
	json_t *vm = NULL, *mx = NULL, *runs = NULL, *facts = NULL, *pc = NULL, *tot = NULL;
	int64_t run = 0, prun = 0;
	int err = lc_score_list(db, 0, &runs);
	if (err == LC_ENOTFOUND) {
		runs = json_pack("{s:[]}", "items");
		err = 0;
	}
	if (err)
		goto out;
	json_t *ylist = json_array(), *it;
	size_t i;
	json_array_foreach(json_object_get(runs, "items"), i, it)
	{
		json_t *yv = json_object_get(it, "year");
		bool seen = false;
		json_t *e;
		size_t j;
		json_array_foreach(ylist, j, e) seen = seen || json_equal(e, yv);
		const char *state = json_string_value(json_object_get(it, "state"));
		if (!seen && state && strcmp(state, "done") == 0)
			json_array_append(ylist, yv);
	}
	vm = json_pack("{s:o}", "years", ylist);
	err = lc_score_latest(db, year, &run);
	if (err == LC_ENOTFOUND) {
		err = 0;
		json_object_set_new(vm, "has_scores", json_false());
		json_object_set_new(vm, "synthetic", json_false());
		json_object_set_new(vm, "year", year > 0 ? json_integer(year) : json_null());
		json_object_set_new(vm, "cities", json_array());
		json_object_set_new(vm, "areas", json_array());
		json_object_set_new(vm, "regions", json_array());
		json_object_set_new(vm, "changes", json_array());
		json_object_set_new(vm, "previous_year", json_null());
		json_object_set_new(vm, "run", json_null());
		*out = vm;
		vm = NULL;
		goto out;
	}
	if (err == 0)
		err = lc_score_matrix(db, run, &mx);
	if (err == 0)
		err = lc_monview_city_facts(db, lang, &facts);
	if (err == 0)
		err = lc_monview_name_areas(db, lang, run, json_object_get(mx, "codes"));
	if (err)
		goto out;
	long the_year = (long)json_integer_value(json_object_get(mx, "year"));
	/* The run's own counts of the values it used when it stored them. */
	pc = run_coverage(mx);
	if (coverage(db, the_year, pc ? NULL : &pc, &tot) != 0) {
		err = LC_EDB;
		goto out;
	}
	/* The previous cycle: the latest run of an earlier year. */
	long prev_year = 0;
	json_array_foreach(ylist, i, it)
	{
		long yy = (long)json_integer_value(it);
		if (yy < the_year && yy > prev_year)
			prev_year = yy;
	}
	if (prev_year && lc_score_latest(db, prev_year, &prun) != 0)
		prun = 0;
	json_object_set_new(vm, "year", json_integer(the_year));
	json_object_set_new(vm, "previous_year", prev_year ? json_integer(prev_year) : json_null());
	json_object_set_new(vm, "run", json_integer(run));
	json_object_set_new(vm, "has_scores", json_true());
	json_object_set(vm, "synthetic", lc_monview_or_false(json_object_get(mx, "synthetic")));
	json_t *codes = json_object_get(mx, "codes"), *cities = json_object_get(mx, "cities");
	json_t *areas = json_array(), *out_cities = json_array();
	size_t ncodes = json_array_size(codes);
	json_t *cd;
	json_array_foreach(codes, i, cd)
	{
		if (!lc_monview_is_area(cd))
			continue;
		json_array_append_new(
		    areas, json_pack("{s:O,s:O,s:I}", "code", json_object_get(cd, "code"), "name",
		                     json_object_get(cd, "name"), "col", (json_int_t)i));
	}
	json_int_t all_have = 0, all_total = 0;
	json_t *c;
	json_array_foreach(cities, i, c)
	{
		const char *slug = lc_monview_str_or(json_string_value(json_object_get(c, "slug")));
		json_t *sc = json_array(), *a;
		size_t j;
		json_int_t have = 0, total = 0;
		json_array_foreach(areas, j, a)
		{
			size_t col = (size_t)json_integer_value(json_object_get(a, "col"));
			json_t *v = json_array_get(json_object_get(c, "scores"), col);
			json_array_append(sc, lc_monview_or_null(v));
			const char *code = json_string_value(json_object_get(a, "code"));
			have +=
			    json_integer_value(json_object_get(json_object_get(pc, slug), code));
			total += json_integer_value(json_object_get(tot, code));
		}
		all_have += have;
		all_total += total;
		const char *region =
		    json_string_value(json_array_get(json_object_get(facts, slug), 0));
		json_array_append_new(
		    out_cities,
		    json_pack("{s:O,s:O,s:s?,s:o,s:o,s:O,s:O,s:O}", "slug",
		              json_object_get(c, "slug"), "name", json_object_get(c, "name"),
		              "region", region, "scores", sc, "coverage", pct(have, total), "rank",
		              lc_monview_or_null(json_object_get(c, "rank")), "rank_q5",
		              lc_monview_or_null(json_object_get(c, "rank_q5")), "rank_q95",
		              lc_monview_or_null(json_object_get(c, "rank_q95"))));
	}
	/* Per area: coverage across the network and the mean change since the previous cycle. */
	json_t *changes_of = NULL;
	if (prun && mean_changes(db, run, prun, &changes_of) != 0) {
		err = LC_EDB;
		goto out;
	}
	json_t *a;
	json_array_foreach(areas, i, a)
	{
		const char *code = json_string_value(json_object_get(a, "code"));
		json_int_t have = 0;
		const char *k;
		json_t *v;
		json_object_foreach(pc, k, v) have += json_integer_value(json_object_get(v, code));
		json_object_set_new(a, "coverage",
		                    pct(have, json_integer_value(json_object_get(tot, code)) *
		                                  (json_int_t)json_array_size(cities)));
		const json_t *ch = json_object_get(changes_of, code);
		double sum = json_number_value(json_array_get(ch, 0));
		json_int_t nch = json_integer_value(json_array_get(ch, 1));
		json_object_set_new(a, "mean_change",
		                    nch ? json_real(lc_monview_round1(sum / (double)nch))
		                        : json_null());
		json_object_set_new(a, "n_changed", json_integer(nch));
		json_object_del(a, "col");
	}
	json_decref(changes_of);
	(void)ncodes;
	/* Changes: the areas sorted by how far they moved, either way. */
	size_t na = json_array_size(areas);
	struct lc_monview_keyed *kk = lc_xcalloc(na ? na : 1, sizeof *kk);
	json_t *changes = json_array();
	size_t nk = 0;
	json_array_foreach(areas, i, a)
	{
		double d;
		if (kk && lc_monview_num_of(a, "mean_change", &d))
			kk[nk++] = (struct lc_monview_keyed){fabs(d), i};
	}
	if (kk)
		qsort(kk, nk, sizeof *kk, lc_monview_by_key_desc);
	for (size_t q = 0; q < nk; q++)
		json_array_append(changes, json_array_get(areas, kk[q].i));
	lc_free(kk);
	/* Grouping by region for long lists. */
	json_t *regions = json_array();
	json_array_foreach(out_cities, i, c)
	{
		json_t *r = json_object_get(c, "region");
		json_t *g = NULL, *e;
		size_t j;
		json_array_foreach(regions, j, e) if (json_equal(json_object_get(e, "code"), r)) g =
		    e;
		if (!g) {
			g = json_pack("{s:O,s:O,s:[]}", "code", lc_monview_or_null(r), "name",
			              lc_monview_or_null(json_array_get(
			                  json_object_get(
			                      facts, json_string_value(json_object_get(c, "slug"))),
			                  2)),
			              "cities");
			json_array_append_new(regions, g);
		}
		json_array_append(json_object_get(g, "cities"), c);
		json_object_set_new(
		    g, "count",
		    json_integer((json_int_t)json_array_size(json_object_get(g, "cities"))));
	}
	json_object_set_new(vm, "areas", areas);
	json_object_set_new(vm, "cities", out_cities);
	json_object_set_new(vm, "regions", regions);
	json_object_set_new(vm, "changes", changes);
	json_object_set_new(vm, "coverage", pct(all_have, all_total));
	*out = vm;
	vm = NULL;
out:
	json_decref(vm);
	json_decref(mx);
	json_decref(runs);
	json_decref(facts);
	json_decref(pc);
	json_decref(tot);
	return err;
}
