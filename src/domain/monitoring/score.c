/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Index runs: builds the default monitoring spec (goalposts fixed across
 * years), runs the engine on a year's approved data with an uncertainty
 * analysis of the overall rank, stores the result per run (index_runs,
 * scores) with an audit row; stored runs are read back as JSON for the
 * pages in score_read.c. Also the "index_run" job kind. No drawing, no HTTP.
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
#include "domain/monitoring/year_review.h"
#include "engine/stats.h"
#include "engine/matrix.h"
#include "engine/pipeline.h"
#include "engine/spec.h"
#include "engine/tree.h"
#include "engine/uncertainty.h"
#include "domain/monitoring/score_internal.h"

#define DEFAULT_SEED 20241124u

static char *dump(const json_t *v)
{
	size_t n = json_dumpb(v, NULL, 0, JSON_COMPACT);
	char *s = lc_xmalloc(n + 1);
	json_dumpb(v, s, n, JSON_COMPACT);
	s[n] = '\0';
	return s;
}

const char *lc_score_pop_class(long long population)
{
	if (population <= 0)
		return NULL;
	if (population < 100000)
		return "<100k";
	if (population < 500000)
		return "100k-500k";
	if (population < 1000000)
		return "500k-1M";
	if (population < 5000000)
		return "1M-5M";
	return ">5M";
}

/* ---- the default spec ---- */

int lc_score_default_spec(struct lc_db *db, json_t **out)
{
	struct lc_obs_catalog cat;
	int err = lc_db_begin_read(db);
	if (err)
		return err;
	err = lc_obs_catalog_load(db, &cat);
	if (err)
		goto out;
	json_t *lo = json_object(), *hi = json_object();
	/* min/max over ALL approved years, so that a year's score compares with another's. */
	/* By code, like lc_monitoring_input_approved: values entered under an earlier framework
	 * version count for the same measurement of the current one. */
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT min(o.value_num), max(o.value_num)"
	                   " FROM observations o JOIN " LC_YEAR_REVIEW_APPROVED_SQL " r"
	                   " ON r.city_id = o.city_id AND r.year = o.year"
	                   " JOIN framework_measurements fm ON fm.id = o.measurement_id"
	                   " WHERE fm.code = ?1 AND o.is_current = 1"
	                   " AND o.value_num IS NOT NULL");
	for (size_t i = 0; i < cat.nm && !err; i++) {
		const struct lc_obs_measure *m = &cat.m[i];
		if (m->type == LC_OBS_TEXT)
			continue;
		double l = m->low, h = m->high;
		if (m->type == LC_OBS_YES_NO) {
			l = isnan(l) ? 0 : l;
			h = isnan(h) ? 1 : h;
		} else if (m->type == LC_OBS_MATURITY) {
			l = isnan(l) ? 0 : l;
			h = isnan(h) ? 4 : h;
		} else if (m->type == LC_OBS_PERCENTAGE) {
			l = isnan(l) ? 0 : l;
			h = isnan(h) ? 100 : h;
		}
		if (isnan(l) || isnan(h)) {
			if (!st) {
				err = LC_EDB;
				break;
			}
			lc_db_bind_text(st, 1, m->code);
			int rc = lc_db_step(db, st);
			if (rc < 0) {
				err = rc;
				break;
			}
			if (rc == 1 && sqlite3_column_type(st, 0) != SQLITE_NULL) {
				if (isnan(l))
					l = sqlite3_column_double(st, 0);
				if (isnan(h))
					h = sqlite3_column_double(st, 1);
			}
			lc_db_release(db, st);
			if (isnan(l) && isnan(h)) {
				l = 0;
				h = 1;
			} else if (isnan(l)) {
				l = h - 1;
			} else if (isnan(h)) {
				h = l + 1;
			}
		}
		if (!(l < h))
			h = l + 1; /* every value equal: all score 0 (or 100 reversed) */
		json_object_set_new(lo, m->code, json_real(l));
		json_object_set_new(hi, m->code, json_real(h));
	}
	if (err) {
		json_decref(lo);
		json_decref(hi);
		goto out;
	}
	*out =
	    json_pack("{s:[{s:s, s:s, s:o, s:o, s:f}, {s:s, s:s}],"
	              " s:[{s:s, s:{s:[i,i,i], s:f, s:i}},"
	              "    {s:s, s:s, s:[{s:s, s:s}, {s:s, s:s, s:f}]}]}",
	              "steps", "op", "normalise", "method", "goalposts", "lo", lo, "hi", hi,
	              "scale", 100.0, "op", "aggregate", "method", "arithmetic", "uncertain",
	              "name", "Weights", "noisy_weights", "levels", 1, 2, 3, "f", 0.25, "sets", 100,
	              "name", "Aggregation", "path", "steps[1]", "values", "op", "aggregate",
	              "method", "arithmetic", "op", "aggregate", "method", "power", "p", 0.5);
	if (!*out)
		err = LC_EINTERNAL;
out:
	lc_obs_catalog_cleanup(&cat);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

/* ---- a run ---- */

struct progress_ctx {
	struct lc_job_ctx *job;
};

static int on_progress(void *user, size_t done, size_t total)
{
	struct progress_ctx *p = user;
	return lc_job_progress(p->job, done, total, "uncertainty analysis", false);
}

static json_t *codes_json(const struct lc_tree *t)
{
	json_t *a = json_array();
	for (size_t k = 0; k < t->n_agg; k++) {
		const struct lc_tree_node *nd = &t->nodes[t->agg[k]];
		json_array_append_new(a, json_pack("{s:s, s:i, s:o}", "code", nd->code, "level",
		                                   nd->level, "name",
		                                   nd->name ? json_string(nd->name) : json_null()));
	}
	return a;
}

static void bind_real(sqlite3_stmt *st, int i, double v)
{
	if (isfinite(v))
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

struct computed {
	struct lc_pipeline_result res;
	double *ranks; /* n_agg x n_units (input units), NaN when none */
	struct lc_ua_report rep;
	bool has_ua;
	size_t *ua_col; /* n_agg: the code's column in rep.col_units, SIZE_MAX for the index */
};

/* The uncertainty statistics of agg code k for input unit u, NULL when the run had none. */
static const struct lc_ua_unit_stats *ua_stats(const struct computed *c, const struct lc_tree *t,
                                               size_t k, size_t u)
{
	if (!c->has_ua)
		return NULL;
	if ((long)t->agg[k] == t->root)
		return u < c->rep.n_units ? &c->rep.units[u] : NULL;
	size_t col = c->ua_col ? c->ua_col[k] : SIZE_MAX;
	if (col == SIZE_MAX || col >= c->rep.n_cols || u >= c->rep.n_units)
		return NULL;
	return &c->rep.col_units[col * c->rep.n_units + u];
}

/* What a summary needs to know of a scored city: its directory facts at run time. */
struct unit_fact {
	int64_t city;
	char *slug, *name, *region; /* owned; region NULL when unknown */
	const char *pclass;         /* static (lc_score_pop_class), NULL when unknown */
};

static void facts_free(struct unit_fact *f, size_t n)
{
	for (size_t i = 0; f && i < n; i++) {
		lc_free(f[i].slug);
		lc_free(f[i].name);
		lc_free(f[i].region);
	}
	lc_free(f);
}

char *lc_score_dup_or_null(const char *s)
{
	return s ? lc_xstrdup(s) : NULL;
}

/* The facts of every scored unit (result order), read in the run's transaction. */
static int read_facts(struct lc_db *db, const struct lc_pipeline_result *r,
                      const struct lc_matrix *m, struct unit_fact **out)
{
	struct unit_fact *f = lc_xcalloc(r->n_units + 1, sizeof *f);
	int err = 0;
	for (size_t i = 0; i < r->n_units && !err; i++) {
		sqlite3_stmt *st = lc_db_stmt(
		    db, "SELECT ci.id, ci.slug, coalesce(json_extract(ci.name, '$.en'), ci.slug),"
		        " co.region, ci.population FROM cities ci"
		        " LEFT JOIN countries co ON co.alpha2 = ci.country WHERE ci.slug = ?1");
		if (!st) {
			err = LC_EDB;
			break;
		}
		lc_db_bind_text(st, 1, m->ucodes[r->units[i]]);
		int rc = lc_db_step(db, st);
		if (rc == 1) {
			f[i].city = sqlite3_column_int64(st, 0);
			f[i].slug = lc_score_dup_or_null(lc_db_text(st, 1));
			f[i].name = lc_score_dup_or_null(lc_db_text(st, 2));
			f[i].region = lc_score_dup_or_null(lc_db_text(st, 3));
			f[i].pclass = lc_score_pop_class(sqlite3_column_int64(st, 4));
		}
		lc_db_release(db, st);
		if (rc != 1)
			err = rc < 0 ? rc : LC_ENOTFOUND;
	}
	if (err) {
		facts_free(f, r->n_units);
		return err;
	}
	*out = f;
	return 0;
}

/* Sort context of the peer order: qsort has none. */
struct peer_key {
	double rank;
	const char *slug;
	size_t i;
};

/* The matrix order: ranked first by rank, then unranked, ties by slug (bytes). */
static int by_rank_slug(const void *a, const void *b)
{
	const struct peer_key *x = a, *y = b;
	bool xn = isnan(x->rank), yn = isnan(y->rank);
	if (xn != yn)
		return xn ? 1 : -1;
	if (!xn && x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->slug ? x->slug : "", y->slug ? y->slug : "");
}

/* True when b is in a's peer group (see score.h, "Peer group"). */
static bool is_peer(const struct unit_fact *a, const struct unit_fact *b)
{
	if (a == b || !a->region || !b->region || strcmp(a->region, b->region) != 0)
		return false;
	return !a->pclass || !b->pclass || strcmp(a->pclass, b->pclass) == 0;
}

/*
 * The peer group of every scored city and the group's median score of each
 * area: pm[k * n + i] for agg code k and result unit i (NaN for other codes
 * and empty groups), np[i] the group's size. The same figures the profile
 * computes from the run's scores (monitoring_view.c, the slow path), once
 * per run: O(cities x group size x areas) with selection, not sorting.
 */
static void peer_medians(const struct lc_tree *tree, const struct computed *c,
                         const struct unit_fact *f, size_t kroot, double *pm, size_t *np)
{
	const struct lc_pipeline_result *r = &c->res;
	size_t n = r->n_units;
	struct peer_key *order = lc_xcalloc(n + 1, sizeof *order);
	for (size_t i = 0; i < n; i++)
		order[i] = (struct peer_key){kroot == SIZE_MAX ? NAN : c->ranks[kroot * n + i],
		                             f[i].slug, i};
	qsort(order, n, sizeof *order, by_rank_slug);
	size_t *peers = lc_xcalloc(n + 1, sizeof *peers);
	double *v = lc_xcalloc(n + 1, sizeof *v);
	for (size_t i = 0; i < tree->n_agg * n; i++)
		pm[i] = NAN;
	for (size_t i = 0; i < n; i++) {
		size_t cnt = 0;
		for (size_t q = 0; q < n; q++)
			if (is_peer(&f[i], &f[order[q].i]))
				peers[cnt++] = order[q].i;
		np[i] = cnt;
		for (size_t k = 0; k < tree->n_agg; k++) {
			size_t col = tree->agg[k];
			if (tree->nodes[col].level != 2)
				continue;
			size_t nv = 0;
			for (size_t q = 0; q < cnt; q++) {
				double x = r->x[col * n + peers[q]];
				if (isfinite(x))
					v[nv++] = x;
			}
			if (nv)
				pm[k * n + i] = lc_stats_quantile7(v, nv, 0.5);
		}
	}
	lc_free(order);
	lc_free(peers);
	lc_free(v);
}

/* One score_summaries row per scored city: the facts its peer group was chosen by. */
static int store_summaries(struct lc_db *db, int64_t id, long year, const struct computed *c,
                           const struct unit_fact *f, size_t kroot, const size_t *np)
{
	size_t n = c->res.n_units;
	int err = 0;
	for (size_t i = 0; i < n && !err; i++) {
		sqlite3_stmt *st =
		    lc_db_stmt(db, "INSERT INTO score_summaries (city_id, run_id, year, region,"
		                   " pop_class, peers, rank) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
		if (!st)
			return LC_EDB;
		sqlite3_bind_int64(st, 1, f[i].city);
		sqlite3_bind_int64(st, 2, id);
		sqlite3_bind_int64(st, 3, year);
		lc_db_bind_text(st, 4, f[i].region);
		lc_db_bind_text(st, 5, f[i].pclass);
		sqlite3_bind_int64(st, 6, (sqlite3_int64)np[i]);
		bind_real(st, 7, kroot == SIZE_MAX ? NAN : c->ranks[kroot * n + i]);
		int rc = lc_db_step(db, st);
		lc_db_release(db, st);
		if (rc < 0)
			err = rc;
	}
	return err;
}

/* Sort context of the coverage counts: result units by city id. */
struct city_unit {
	int64_t city;
	size_t i;
};

static int by_city(const void *a, const void *b)
{
	const struct city_unit *x = a, *y = b;
	return (x->city > y->city) - (x->city < y->city);
}

/*
 * How many measurements of each area every scored city reported for the
 * year (approved, current, not text): nv[k * n + i] for agg code k and
 * result unit i, -1 for codes that are not areas. The same count the
 * dashboard made on every view before the runs stored it.
 */
static int coverage_counts(struct lc_db *db, long year, const struct lc_tree *tree,
                           const struct lc_pipeline_result *r, const struct unit_fact *f,
                           long long *nv)
{
	size_t n = r->n_units;
	for (size_t k = 0; k < tree->n_agg; k++)
		for (size_t i = 0; i < n; i++)
			nv[k * n + i] = tree->nodes[tree->agg[k]].level == 2 ? 0 : -1;
	struct city_unit *by = lc_xcalloc(n + 1, sizeof *by);
	for (size_t i = 0; i < n; i++)
		by[i] = (struct city_unit){f[i].city, i};
	qsort(by, n, sizeof *by, by_city);
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT o.city_id, fa.code, count(*) FROM observations o"
	                   " JOIN " LC_YEAR_REVIEW_APPROVED_SQL " ry"
	                   "  ON ry.city_id = o.city_id AND ry.year = o.year"
	                   " JOIN framework_measurements fm ON fm.id = o.measurement_id"
	                   " JOIN framework_features ff ON ff.id = fm.feature_id"
	                   " JOIN framework_areas fa ON fa.id = ff.area_id"
	                   " WHERE o.year = ?1 AND o.is_current = 1 AND fm.type <> 'text'"
	                   " GROUP BY o.city_id, fa.code");
	if (!st) {
		lc_free(by);
		return LC_EDB;
	}
	sqlite3_bind_int64(st, 1, year);
	int rc;
	while (lc_db_next(db, st, &rc)) {
		struct city_unit key = {sqlite3_column_int64(st, 0), 0};
		const struct city_unit *u = n ? bsearch(&key, by, n, sizeof *by, by_city) : NULL;
		const char *code = lc_db_text(st, 1);
		for (size_t k = 0; u && code && k < tree->n_agg; k++) {
			const struct lc_tree_node *nd = &tree->nodes[tree->agg[k]];
			if (nd->level == 2 && strcmp(nd->code, code) == 0)
				nv[k * n + u->i] = sqlite3_column_int64(st, 2);
		}
	}
	lc_db_release(db, st);
	lc_free(by);
	return rc < 0 ? rc : 0;
}

static int store_scores(struct lc_db *db, int64_t id, long year, const struct lc_tree *tree,
                        const struct computed *c, const struct unit_fact *f)
{
	const struct lc_pipeline_result *r = &c->res;
	size_t n = r->n_units, kroot = SIZE_MAX;
	for (size_t k = 0; k < tree->n_agg; k++)
		if ((long)tree->agg[k] == tree->root)
			kroot = k;
	double *pm = lc_xcalloc(tree->n_agg * n + 1, sizeof *pm);
	size_t *np = lc_xcalloc(n + 1, sizeof *np);
	peer_medians(tree, c, f, kroot, pm, np);
	long long *nv = lc_xcalloc(tree->n_agg * n + 1, sizeof *nv);
	int err = coverage_counts(db, year, tree, r, f, nv);
	for (size_t i = 0; i < n && !err; i++) {
		size_t u = r->units[i];
		for (size_t k = 0; k < tree->n_agg && !err; k++) {
			size_t col = tree->agg[k];
			const struct lc_tree_node *nd = &tree->nodes[col];
			sqlite3_stmt *st = lc_db_stmt(
			    db,
			    "INSERT INTO scores (run_id, city_id, code, level, score, rank,"
			    " rank_q5, rank_median, rank_q95, score_q5, score_q95, peer_median,"
			    " n_values) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
			    " ?13)");
			if (!st) {
				err = LC_EDB;
				break;
			}
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int64(st, 2, f[i].city);
			lc_db_bind_text(st, 3, nd->code);
			sqlite3_bind_int(st, 4, nd->level);
			bind_real(st, 5, r->x[col * n + i]);
			bind_real(st, 6, c->ranks[k * n + i]);
			const struct lc_ua_unit_stats *us = ua_stats(c, tree, k, u);
			if (us) {
				bind_real(st, 7, us->rank_q5);
				bind_real(st, 8, us->rank_median);
				bind_real(st, 9, us->rank_q95);
				bind_real(st, 10, us->score_q5);
				bind_real(st, 11, us->score_q95);
			}
			bind_real(st, 12, pm[k * n + i]);
			if (nv[k * n + i] >= 0)
				sqlite3_bind_int64(st, 13, nv[k * n + i]);
			int rc = lc_db_step(db, st);
			lc_db_release(db, st);
			if (rc < 0)
				err = rc;
		}
	}
	if (!err)
		err = store_summaries(db, id, year, c, f, kroot, np);
	lc_free(pm);
	lc_free(np);
	lc_free(nv);
	return err;
}

/* 1 when any approved value of the year is synthetic demo data, 0 when none, or LC_EDB. */
static int has_synthetic(struct lc_db *db, long year)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT EXISTS (SELECT 1 FROM " LC_YEAR_REVIEW_APPROVED_SQL " r JOIN observations o"
	        " ON o.city_id = r.city_id AND o.year = r.year AND o.is_current = 1"
	        " WHERE r.year = ?1 AND o.source = ?2)");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	lc_db_bind_text(st, 2, LC_OBS_SYNTHETIC_SOURCE);
	int rc = lc_db_step(db, st);
	int v = rc == 1 ? sqlite3_column_int(st, 0) : 0;
	lc_db_release(db, st);
	return rc < 0 ? rc : v;
}

static int store(struct lc_db *db, const struct lc_actor *actor, const struct lc_score_opts *o,
                 const json_t *spec, const struct lc_tree *tree, const struct lc_matrix *m,
                 struct computed *c, int64_t *run_id)
{
	char *spec_text = dump(spec);
	json_t *codes = codes_json(tree);
	char *codes_text = dump(codes);
	json_decref(codes);
	int err = lc_db_begin(db);
	if (err)
		goto done;
	sqlite3_stmt *st = lc_db_stmt(
	    db,
	    "INSERT INTO index_runs (year, spec, ua_runs, codes, ua_failed, n_cities, synthetic,"
	    " state, created_by, created_by_email, created_at, framework_version_id)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'done', ?8, ?9, ?10,"
	    " (SELECT id FROM framework_versions WHERE is_current = 1))");
	if (!st) {
		err = LC_EDB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, o->year);
	lc_db_bind_text(st, 2, spec_text);
	sqlite3_bind_int64(st, 3, c->has_ua ? (sqlite3_int64)o->runs : 0);
	lc_db_bind_text(st, 4, codes_text);
	sqlite3_bind_int64(st, 5, c->has_ua ? (sqlite3_int64)c->rep.failed : 0);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)m->n_units);
	int syn = o->synthetic ? 1 : has_synthetic(db, o->year);
	if (syn < 0) {
		err = syn;
		goto fail;
	}
	sqlite3_bind_int(st, 7, syn);
	if (actor->kind == LC_ACTOR_ACCOUNT)
		sqlite3_bind_int64(st, 8, actor->account_id);
	lc_db_bind_text(st, 9, actor->kind == LC_ACTOR_ACCOUNT ? actor->email : "system");
	sqlite3_bind_int64(st, 10, lc_clock_now());
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto fail;
	int64_t id = lc_db_last_id(db);

	struct unit_fact *facts = NULL;
	err = read_facts(db, &c->res, m, &facts);
	if (!err)
		err = store_scores(db, id, o->year, tree, c, facts);
	facts_free(facts, c->res.n_units);
	if (err)
		goto fail;
	json_t *after = json_pack("{s:I, s:i, s:I, s:I}", "year", (json_int_t)o->year, "cities",
	                          (int)m->n_units, "runs", (json_int_t)(c->has_ua ? o->runs : 0),
	                          "failed", (json_int_t)(c->has_ua ? c->rep.failed : 0));
	err = lc_audit_append_id(db, actor, "index.run", "index_run", id, NULL, after, NULL);
	json_decref(after);
	if (err)
		goto fail;
	err = lc_db_commit(db);
	if (err)
		goto fail;
	*run_id = id;
	goto done;
fail:
	lc_db_rollback(db);
done:
	lc_free(spec_text);
	lc_free(codes_text);
	return err;
}

int lc_score_run(struct lc_db *db, const struct lc_actor *actor, const struct lc_score_opts *opts,
                 struct lc_job_ctx *ctx, int64_t *run_id, struct lc_diag *d)
{
	int err = lc_authz_check(actor, LC_ACT_RUN_INDEX, NULL);
	if (err)
		return err;
	if (opts->runs > LC_SCORE_MAX_RUNS) {
		if (d)
			lc_diag_addf(d, NULL, 0, 0, "runs", "err_score_most_uncertainty_runs",
			             LC_ARG_I("limit", LC_SCORE_MAX_RUNS));
		return LC_EINVAL;
	}
	struct lc_tree tree;
	struct lc_matrix m;
	struct lc_spec spec;
	struct lc_ua ua;
	struct computed c;
	json_t *spec_json = NULL;
	memset(&ua, 0, sizeof ua);
	memset(&c, 0, sizeof c);
	lc_tree_init(&tree);
	lc_matrix_init(&m);
	lc_spec_init(&spec);
	lc_pipeline_result_init(&c.res);

	lc_job_progress(ctx, 0, opts->runs, "reading approved data", true);
	err = lc_monitoring_input_approved(db, opts->year, &tree, &m, d);
	if (err)
		goto out;
	if (m.n_units < LC_SCORE_MIN_CITIES || tree.root < 0) {
		if (d)
			lc_diag_addf(d, NULL, 0, 0, "year",
			             m.n_units == 1 ? "err_score_one_city" : "err_score_few_cities",
			             LC_ARG_I("year", opts->year), LC_ARG_I("count", m.n_units));
		err = LC_EINVAL;
		goto out;
	}
	if (opts->spec) {
		spec_json = json_deep_copy(opts->spec);
	} else {
		err = lc_score_default_spec(db, &spec_json);
		if (err)
			goto out;
	}
	/* Without uncertainty runs the stored spec says so: no "uncertain" list. */
	if (opts->runs == 0)
		json_object_del(spec_json, "uncertain");
	err = lc_spec_from_json(&spec, spec_json, "spec", d);
	if (err)
		goto out;
	struct lc_engine_input in = {.tree = &tree, .data = &m};
	struct lc_pipeline_opts po = {0};
	err = lc_pipeline_run(&in, &spec, &po, &c.res, d);
	if (err)
		goto out;
	c.ranks = lc_xmalloc(tree.n_agg * (c.res.n_units ? c.res.n_units : 1) * sizeof(double));
	for (size_t k = 0; k < tree.n_agg; k++)
		lc_pipeline_rank(&c.res, tree.agg[k], c.ranks + k * c.res.n_units);

	if (opts->runs > 0 && spec.uncertain) {
		err = lc_ua_init(&ua, &in, &spec, opts->seed ? opts->seed : DEFAULT_SEED, d);
		if (err)
			goto out;
		struct progress_ctx pc = {.job = ctx};
		/* Every area and part gets its intervals from the same runs as the index. */
		size_t *cols = lc_xcalloc(tree.n_agg + 1, sizeof *cols), ncols = 0;
		c.ua_col = lc_xcalloc(tree.n_agg + 1, sizeof *c.ua_col);
		for (size_t k = 0; k < tree.n_agg; k++) {
			c.ua_col[k] = SIZE_MAX;
			if ((long)tree.agg[k] != tree.root) {
				c.ua_col[k] = ncols;
				cols[ncols++] = tree.agg[k];
			}
		}
		struct lc_ua_opts uo = {.n = opts->runs,
		                        .cols = cols,
		                        .n_cols = ncols,
		                        .threads = opts->threads,
		                        .progress = ctx ? on_progress : NULL,
		                        .progress_user = &pc,
		                        .cancel = lc_job_cancel_flag(ctx)};
		err = lc_ua_uncertainty(&ua, &uo, &c.rep);
		lc_free(cols);
		c.has_ua = true;
		if (err)
			goto out;
	}
	if (lc_job_progress(ctx, opts->runs, opts->runs, "storing the scores", true)) {
		err = LC_EBUSY;
		goto out;
	}
	err = store(db, actor, opts, spec_json, &tree, &m, &c, run_id);
out:
	lc_ua_report_cleanup(&c.rep);
	lc_ua_cleanup(&ua);
	lc_free(c.ranks);
	lc_free(c.ua_col);
	lc_pipeline_result_cleanup(&c.res);
	lc_spec_cleanup(&spec);
	json_decref(spec_json);
	lc_matrix_cleanup(&m);
	lc_tree_cleanup(&tree);
	return err;
}

/* ---- the job kind ---- */

static int job_run(struct lc_db *db, struct lc_job_ctx *ctx, const struct lc_actor *actor,
                   const json_t *params, const char **result_type, int64_t *result_id, char *msg,
                   size_t msg_size)
{
	struct lc_score_opts o = {.year = (long)json_integer_value(json_object_get(params, "year")),
	                          .runs = LC_SCORE_DEFAULT_RUNS};
	const json_t *runs = json_object_get(params, "runs");
	if (json_is_integer(runs))
		o.runs = (size_t)json_integer_value(runs);
	struct lc_diag d;
	lc_diag_init(&d);
	json_t *spec = NULL;
	const char *name = json_string_value(json_object_get(params, "spec"));
	int err = 0;
	if (name && (err = lc_score_spec_get(db, name, &spec)) != 0)
		snprintf(msg, msg_size, "spec: no saved spec called '%s'", name);
	o.spec = spec;
	if (!err)
		err = lc_score_run(db, actor, &o, ctx, result_id, &d);
	json_decref(spec);
	if (!err) {
		*result_type = "index_run";
	} else if (d.count > 0) {
		snprintf(msg, msg_size, "%s%s%s", d.items[0].field ? d.items[0].field : "",
		         d.items[0].field ? ": " : "", d.items[0].message);
	}
	lc_diag_cleanup(&d);
	return err;
}

const struct lc_job_kind lc_score_job_kind = {"index_run", job_run};

/* The approved cities of the years that have any, newest first: the units a run would take. */
#define APPROVED_YEARS_SQL                                                                         \
	"SELECT r.year, COUNT(*) FROM " LC_YEAR_REVIEW_APPROVED_SQL " r"                           \
	" WHERE (?1 = 0 OR r.year = ?1) GROUP BY r.year ORDER BY r.year DESC"

int lc_score_years(struct lc_db *db, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = lc_db_stmt(db, APPROVED_YEARS_SQL);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, 0);
	json_t *years = json_array();
	int rc;
	while ((rc = lc_db_step(db, st)) == 1) {
		if (sqlite3_column_int64(st, 1) >= LC_SCORE_MIN_CITIES)
			json_array_append_new(
			    years,
			    json_pack("{s:I, s:I}", "year", (json_int_t)sqlite3_column_int64(st, 0),
			              "cities", (json_int_t)sqlite3_column_int64(st, 1)));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(years);
		return rc;
	}
	*out = years;
	return 0;
}

/* How many cities' values of year are approved; negative LC_E* when the read fails. */
static int64_t approved_cities(struct lc_db *db, long year)
{
	sqlite3_stmt *st = lc_db_stmt(db, APPROVED_YEARS_SQL);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	int rc = lc_db_step(db, st);
	int64_t n = rc == 1 ? sqlite3_column_int64(st, 1) : 0;
	lc_db_release(db, st);
	return rc < 0 ? rc : n;
}

int lc_score_enqueue(struct lc_db *db, const struct lc_actor *actor, long year, size_t runs,
                     const char *spec_name, int64_t *job_id, struct lc_diag *d)
{
	int err = lc_authz_check(actor, LC_ACT_RUN_INDEX, NULL);
	if (err)
		return err;
	if (year < 1900 || year > 2999) {
		if (d)
			lc_diag_add(d, NULL, 0, 0, "year", "err_score_year_1900_2999");
		return LC_EINVAL;
	}
	if (runs > LC_SCORE_MAX_RUNS) {
		if (d)
			lc_diag_addf(d, NULL, 0, 0, "runs", "err_score_0",
			             LC_ARG_I("limit", LC_SCORE_MAX_RUNS));
		return LC_EINVAL;
	}
	if (spec_name) {
		json_t *spec = NULL;
		err = lc_score_spec_get(db, spec_name, &spec);
		json_decref(spec);
		if (err == LC_ENOTFOUND) {
			if (d)
				lc_diag_add(d, NULL, 0, 0, "spec", "err_score_saved_spec_has_name");
			return LC_EINVAL;
		}
		if (err)
			return err;
	}
	/* A year that cannot be computed is refused now, not by a job failing later. */
	int64_t cities = approved_cities(db, year);
	if (cities < 0)
		return (int)cities;
	if (cities < LC_SCORE_MIN_CITIES) {
		if (d)
			lc_diag_addf(d, NULL, 0, 0, "year",
			             cities == 1 ? "err_score_one_city" : "err_score_few_cities",
			             LC_ARG_I("year", year), LC_ARG_I("count", cities));
		return LC_EINVAL;
	}
	json_t *p = json_pack("{s:I, s:I}", "year", (json_int_t)year, "runs", (json_int_t)runs);
	if (spec_name)
		json_object_set_new(p, "spec", json_string(spec_name));
	err = lc_job_enqueue(db, actor, "index_run", p, job_id);
	json_decref(p);
	return err;
}

/* ---- saved specs ---- */

int lc_score_spec_save(struct lc_db *db, const struct lc_actor *actor, const char *name,
                       const json_t *spec, struct lc_diag *d)
{
	int err = lc_authz_check(actor, LC_ACT_RUN_INDEX, NULL);
	if (err)
		return err;
	size_t len = name ? strlen(name) : 0;
	if (len < 1 || len > 80) {
		if (d)
			lc_diag_add(d, NULL, 0, 0, "name", "err_score_spec_needs_name_1");
		return LC_EINVAL;
	}
	struct lc_spec parsed;
	lc_spec_init(&parsed);
	err = spec ? lc_spec_from_json(&parsed, spec, "spec", d) : LC_EINVAL;
	lc_spec_cleanup(&parsed);
	if (err)
		return LC_EINVAL;
	char *text = dump(spec);
	err = lc_db_begin(db);
	if (err)
		goto done;
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO index_specs (name, spec, created_by_email,"
	                                  " created_at) VALUES (?1, ?2, ?3, ?4)");
	if (!st) {
		err = LC_EDB;
		goto fail;
	}
	lc_db_bind_text(st, 1, name);
	lc_db_bind_text(st, 2, text);
	lc_db_bind_text(st, 3, actor->kind == LC_ACTOR_ACCOUNT ? actor->email : "system");
	sqlite3_bind_int64(st, 4, lc_clock_now());
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto fail;
	json_t *after = json_pack("{s:s}", "name", name);
	err = lc_audit_append_id(db, actor, "index.spec_save", "index_spec", lc_db_last_id(db),
	                         NULL, after, NULL);
	json_decref(after);
	if (!err)
		err = lc_db_commit(db);
	if (!err)
		goto done;
fail:
	lc_db_rollback(db);
done:
	lc_free(text);
	return err;
}

int lc_score_spec_get(struct lc_db *db, const char *name, json_t **out)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT spec FROM index_specs WHERE name = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, name);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		const char *t = lc_db_text(st, 0);
		*out = json_loads(t ? t : "null", 0, NULL);
	}
	lc_db_release(db, st);
	if (rc != 1)
		return rc == 0 ? LC_ENOTFOUND : rc;
	return *out ? 0 : LC_EINTERNAL;
}
