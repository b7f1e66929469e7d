/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Reading stored index runs back (score.h): a run's scores, a city's
 * scores across years and the runs of a year, as the JSON the pages and the
 * API show. Nothing here computes or writes.
 */
#include "domain/monitoring/score.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/platform/clock.h"
#include "domain/monitoring/monitoring_input.h"
#include "domain/monitoring/observation.h"
#include "engine/stats.h"
#include "engine/matrix.h"
#include "engine/pipeline.h"
#include "engine/spec.h"
#include "engine/tree.h"
#include "engine/uncertainty.h"
#include "domain/monitoring/score_internal.h"

/* ---- reading ---- */

static json_t *real_or_null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null()
	                                                 : json_real(sqlite3_column_double(st, i));
}

int lc_score_list(struct lc_db *db, long year, json_t **out)
{
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT id, year, state, ua_runs, ua_failed, n_cities,"
	                   " synthetic, created_by_email, " LC_SCORE_ISO(
	                       "created_at") " FROM index_runs WHERE ?1 = 0 OR year = ?1"
	                                     " ORDER BY id DESC LIMIT 1000");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	json_t *items = json_array();
	int rc = 0;
	while (lc_db_next(db, st, &rc)) {
		char href[64];
		snprintf(href, sizeof href, "/api/v1/index-runs/%lld",
		         (long long)sqlite3_column_int64(st, 0));
		json_array_append_new(
		    items,
		    json_pack("{s:I, s:I, s:s, s:I, s:I, s:I, s:b, s:s, s:s, s:s}", "id",
		              (json_int_t)sqlite3_column_int64(st, 0), "year",
		              (json_int_t)sqlite3_column_int64(st, 1), "state", lc_db_text(st, 2),
		              "runs", (json_int_t)sqlite3_column_int64(st, 3), "failed",
		              (json_int_t)sqlite3_column_int64(st, 4), "cities",
		              (json_int_t)sqlite3_column_int64(st, 5), "synthetic",
		              sqlite3_column_int(st, 6), "created_by", lc_db_text(st, 7),
		              "created_at", lc_db_text(st, 8), "href", href));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

int lc_score_latest(struct lc_db *db, long year, int64_t *run_id)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id FROM index_runs WHERE state = 'done'"
	                                  " AND (?1 = 0 OR year = ?1) ORDER BY year DESC, id DESC"
	                                  " LIMIT 1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*run_id = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc == 1 ? 0 : rc == 0 ? LC_ENOTFOUND : rc;
}

/* The members of a code's entry, in the order of the scores columns read. */
static const char *const score_keys[] = {"score",    "rank",     "rank_q5",  "rank_median",
                                         "rank_q95", "score_q5", "score_q95"};

static json_t *score_obj(sqlite3_stmt *st, int first)
{
	/* Set directly rather than packed: a profile builds a few hundred of these. */
	json_t *o = json_object();
	for (int i = 0; i < 7; i++)
		json_object_set_new_nocheck(o, score_keys[i], real_or_null(st, first + i));
	return o;
}

/* A read snapshot unless the caller already holds one (a nested SAVEPOINT costs a
 * statement each way and gains nothing for readers). *own says whether to end it. */
static int snap_begin(struct lc_db *db, bool *own)
{
	*own = lc_db_depth(db) == 0;
	return *own ? lc_db_begin_read(db) : 0;
}

static int snap_end(struct lc_db *db, bool own, int err)
{
	if (!own)
		return err;
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

/* The scores of a year entry, and with_pm its areas' peer medians into pm. */
static int year_scores(struct lc_db *db, int64_t run, int64_t city, json_t *scores, json_t *pm)
{
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT code, score, rank, rank_q5, rank_median, rank_q95,"
	                   " score_q5, score_q95, peer_median FROM scores"
	                   " WHERE run_id = ?1 AND city_id = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, city);
	int rc;
	while (lc_db_next(db, st, &rc)) {
		const char *code = lc_db_text(st, 0);
		if (!code)
			continue;
		json_object_set_new(scores, code, score_obj(st, 1));
		if (pm && sqlite3_column_type(st, 8) != SQLITE_NULL)
			json_object_set_new(pm, code, json_real(sqlite3_column_double(st, 8)));
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_score_city_from(struct lc_db *db, const char *slug, bool use_summaries, json_t **out)
{
	bool own;
	int err = snap_begin(db, &own);
	if (err)
		return err;
	json_t *years = json_array(), *codes = NULL;
	char *codes_text = NULL;
	bool synthetic = false;
	int64_t city = 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id FROM cities WHERE slug = ?1");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	lc_db_bind_text(st, 1, slug);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		city = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	if (rc != 1) {
		err = rc == 0 ? LC_ENOTFOUND : rc;
		goto out;
	}
	/* The latest done run of every year in which the city was scored, with the city's
	 * summary of that run when it has one (runs before migration 0010 have none). */
	st = lc_db_stmt(db,
	                "SELECT r.id, r.year, r.n_cities, r.synthetic, r.codes, s.run_id,"
	                " s.region, s.pop_class, s.peers FROM index_runs r"
	                " LEFT JOIN score_summaries s ON s.city_id = ?1 AND s.run_id = r.id"
	                " WHERE r.state = 'done' AND r.id = (SELECT max(r2.id) FROM index_runs r2"
	                " WHERE r2.year = r.year AND r2.state = 'done')"
	                " AND (s.run_id IS NOT NULL OR EXISTS (SELECT 1 FROM scores x"
	                " WHERE x.run_id = r.id AND x.city_id = ?1)) ORDER BY r.year");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, city);
	while (lc_db_next(db, st, &rc)) {
		json_t *y =
		    json_pack("{s:I, s:I, s:I}", "year", (json_int_t)sqlite3_column_int64(st, 1),
		              "run", (json_int_t)sqlite3_column_int64(st, 0), "cities",
		              (json_int_t)sqlite3_column_int64(st, 2));
		if (use_summaries && sqlite3_column_type(st, 5) != SQLITE_NULL)
			json_object_set_new(y, "peer_group",
			                    json_pack("{s:s?, s:s?, s:I}", "region",
			                              lc_db_text(st, 6), "population_class",
			                              lc_db_text(st, 7), "count",
			                              (json_int_t)sqlite3_column_int64(st, 8)));
		json_array_append_new(years, y);
		synthetic = synthetic || sqlite3_column_int(st, 3);
		/* Only the newest run's codes are used: keep the text, parse once. */
		lc_free(codes_text);
		codes_text = lc_score_dup_or_null(lc_db_text(st, 4));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	size_t i;
	json_t *y;
	json_array_foreach(years, i, y)
	{
		json_t *scores = json_object();
		json_t *pm = json_object_get(y, "peer_group") ? json_object() : NULL;
		json_object_set_new(y, "scores", scores);
		if (pm)
			json_object_set_new(y, "peer_median", pm);
		err = year_scores(db, json_integer_value(json_object_get(y, "run")), city, scores,
		                  pm);
		if (err)
			goto out;
	}
	codes = json_loads(codes_text ? codes_text : "[]", 0, NULL);
	*out = json_pack("{s:s, s:b, s:o, s:O}", "city", slug, "synthetic", synthetic, "codes",
	                 codes ? codes : json_array(), "years", years);
	codes = NULL;
out:
	lc_free(codes_text);
	json_decref(years);
	return snap_end(db, own, err);
}

int lc_score_city(struct lc_db *db, const char *slug, json_t **out)
{
	return lc_score_city_from(db, slug, true, out);
}

int lc_score_peers(struct lc_db *db, int64_t run_id, const char *slug, json_t **out)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT c.slug, coalesce(json_extract(c.name, '$.en'), c.slug)"
	        " FROM cities mc JOIN score_summaries me ON me.city_id = mc.id AND me.run_id = ?1"
	        " JOIN score_summaries s ON s.run_id = me.run_id AND s.region = me.region"
	        "  AND s.city_id <> me.city_id"
	        "  AND (me.pop_class IS NULL OR s.pop_class IS NULL OR s.pop_class = me.pop_class)"
	        " JOIN cities c ON c.id = s.city_id"
	        " WHERE mc.slug = ?2 ORDER BY s.rank IS NULL, s.rank, c.slug");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, run_id);
	lc_db_bind_text(st, 2, slug);
	json_t *a = json_array();
	int rc;
	while (lc_db_next(db, st, &rc))
		json_array_append_new(a, json_pack("{s:s, s:s}", "slug", lc_db_text(st, 0), "name",
		                                   lc_db_text(st, 1)));
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* A city's place in the matrix, found by id (sorted by id for bsearch). */
struct city_pos {
	int64_t id;
	size_t pos;
};

static int by_city_id(const void *a, const void *b)
{
	const struct city_pos *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

int lc_score_matrix(struct lc_db *db, int64_t run_id, json_t **out)
{
	bool own;
	int err = snap_begin(db, &own);
	if (err)
		return err;
	json_t *codes = NULL, *cities = NULL, *head = NULL;
	struct city_pos *pos = NULL;
	const char **code_s = NULL;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT year, synthetic, ua_runs, codes FROM index_runs"
	                                  " WHERE id = ?1 AND state = 'done'");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, run_id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		const char *ct = lc_db_text(st, 3);
		codes = json_loads(ct ? ct : "[]", 0, NULL);
		head = json_pack("{s:I, s:I, s:b, s:I}", "run", (json_int_t)run_id, "year",
		                 (json_int_t)sqlite3_column_int64(st, 0), "synthetic",
		                 sqlite3_column_int(st, 1), "runs",
		                 (json_int_t)sqlite3_column_int64(st, 2));
	}
	lc_db_release(db, st);
	if (rc != 1 || !codes || !head) {
		err = rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : LC_EINTERNAL;
		goto out;
	}
	size_t ncodes = json_array_size(codes);
	code_s = lc_xcalloc(ncodes + 1, sizeof *code_s);
	for (size_t k = 0; k < ncodes; k++)
		code_s[k] = json_string_value(json_object_get(json_array_get(codes, k), "code"));
	cities = json_array();
	st = lc_db_stmt(db,
	                "SELECT c.id, c.slug, json_extract(c.name, '$.en'), s.rank, s.rank_q5,"
	                " s.rank_median, s.rank_q95 FROM scores s JOIN cities c ON c.id = s.city_id"
	                " WHERE s.run_id = ?1 AND s.code = 'index'"
	                " ORDER BY s.rank IS NULL, s.rank, c.slug");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, run_id);
	size_t npos = 0, cap = 0;
	while (lc_db_next(db, st, &rc)) {
		const char *nm = lc_db_text(st, 2);
		json_t *arr = json_array();
		for (size_t k = 0; k < ncodes; k++)
			json_array_append_new(arr, json_null());
		if (npos == cap) {
			cap = cap ? 2 * cap : 64;
			pos = lc_xreallocarray(pos, cap, sizeof *pos);
		}
		pos[npos] = (struct city_pos){sqlite3_column_int64(st, 0), npos};
		npos++;
		json_t *nva = json_array();
		for (size_t k = 0; k < ncodes; k++)
			json_array_append_new(nva, json_null());
		json_array_append_new(
		    cities,
		    json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "slug", lc_db_text(st, 1),
		              "name", nm ? nm : lc_db_text(st, 1), "scores", arr, "n_values", nva,
		              "rank", real_or_null(st, 3), "rank_q5", real_or_null(st, 4),
		              "rank_median", real_or_null(st, 5), "rank_q95", real_or_null(st, 6)));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	if (npos)
		qsort(pos, npos, sizeof *pos, by_city_id);
	/* Every score of the run in one pass of its primary key, placed by city and code. */
	st = lc_db_stmt(db, "SELECT city_id, code, score, n_values FROM scores WHERE run_id = ?1");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, run_id);
	size_t last_k = 0;
	while (lc_db_next(db, st, &rc)) {
		struct city_pos key = {sqlite3_column_int64(st, 0), 0};
		const struct city_pos *p =
		    npos ? bsearch(&key, pos, npos, sizeof *pos, by_city_id) : NULL;
		const char *cc = lc_db_text(st, 1);
		if (!p || !cc)
			continue;
		/* Rows come code-sorted per city, as codes mostly are: try the next one first. */
		size_t k = SIZE_MAX;
		for (size_t t = 0; t < ncodes; t++) {
			size_t cand = (last_k + 1 + t) % ncodes;
			if (code_s[cand] && strcmp(code_s[cand], cc) == 0) {
				k = cand;
				break;
			}
		}
		if (k == SIZE_MAX)
			continue;
		last_k = k;
		json_t *cty = json_array_get(cities, p->pos);
		json_array_set_new(json_object_get(cty, "scores"), k, real_or_null(st, 2));
		if (sqlite3_column_type(st, 3) != SQLITE_NULL)
			json_array_set_new(json_object_get(cty, "n_values"), k,
			                   json_integer(sqlite3_column_int64(st, 3)));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	json_object_set(head, "codes", codes);
	json_object_set(head, "cities", cities);
	*out = head;
	head = NULL;
out:
	lc_free(pos);
	lc_free(code_s);
	json_decref(head);
	json_decref(codes);
	json_decref(cities);
	return snap_end(db, own, err);
}
