/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Index runs: area, part and overall scores of the cities for a reporting
 * year, computed by the engine from APPROVED values only
 * (lc_monitoring_input_approved), with the default monitoring spec of
 * docs/methodology.md ("Default monitoring spec") and an uncertainty
 * analysis giving each city's 90 % intervals (5th-95th percentile over the
 * uncertainty runs) of the rank and the score of every area, part and the
 * index. Results are stored per run (index_runs, scores, score_summaries)
 * and never change once written: a new run adds rows, readers pick a run.
 *
 * A run also writes one summary per city (score_summaries, migration 0010):
 * its peer group (same region; same population class when both are known;
 * as the directory said at run time) and the group's median score of each
 * area (scores.peer_median), so that a profile reads a few rows of its own
 * city instead of a whole run and the directory. The monitoring view
 * computes the same figures the slow way for runs without summaries.
 *
 * This module owns the index_runs, scores, score_summaries and index_specs
 * tables' SQL and the "index_run" job kind. It does not draw anything (web/
 * does).
 *
 * Tree codes in the JSON below are those of the framework: areas of focus at
 * level 2, parts at level 3, and "index" (level 4) for the overall score.
 * Scores are on 0..100 (goalpost normalisation, arithmetic means). Ranks are
 * 1 = best; "rank_q5"/"rank_q95"/"rank_median" are only given for "index"
 * (null for areas and parts) and are null when the run had 0 uncertainty runs.
 */
#ifndef LC_SCORE_H
#define LC_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "domain/platform/job.h"

struct lc_actor;
struct lc_db;
struct lc_diag;

/* Default and maximum uncertainty runs of an index run. */
#define LC_SCORE_DEFAULT_RUNS 1000
#define LC_SCORE_MAX_RUNS     20000

struct lc_score_opts {
	long year;
	size_t runs;      /* uncertainty runs; 0 = none (no rank intervals) */
	uint64_t seed;    /* 0 = a fixed default (runs are reproducible) */
	json_t *spec;     /* borrowed; NULL = the default monitoring spec */
	bool synthetic;   /* mark the run as made from synthetic demo data */
	unsigned threads; /* 0 = online cores */
};

/*
 * Runs the index for opts->year on db (no transaction open) and stores it:
 * one index_runs row (state "done") and its scores, plus an audit row
 * ("index.run"), in one write transaction after the computation. Requires
 * LC_ACT_RUN_INDEX. ctx (may be NULL) receives progress and may cancel.
 * *run_id gets the new run's id. Errors: LC_EAUTH/LC_EPERM, LC_ENOTFOUND (no
 * framework), LC_EINVAL (no approved city for the year, fewer than 2
 * cities, or a bad spec; with a message in d, may be NULL), LC_EBUSY
 * (cancelled, nothing stored), LC_ELIMIT, LC_EDB.
 */
int lc_score_run(struct lc_db *db, const struct lc_actor *actor, const struct lc_score_opts *opts,
                 struct lc_job_ctx *ctx, int64_t *run_id, struct lc_diag *d);

/*
 * The default monitoring spec for year (goalposts fixed across years, see
 * docs/methodology.md) as JSON, built from the framework and all approved
 * values of every year. Caller owns *out. 0, LC_ENOTFOUND, LC_EDB.
 */
int lc_score_default_spec(struct lc_db *db, json_t **out);

/*
 * The "index_run" job kind: params {"year": 2024, "runs": 1000, "spec": "name"
 * (optional)}; result
 * type "index_run" with the run id. Pass it to lc_jobs_start.
 */
extern const struct lc_job_kind lc_score_job_kind;

/* A run ranks cities against each other: it needs this many with approved values. */
#define LC_SCORE_MIN_CITIES 2

/*
 * The years an index run can compute, newest first: [{year, cities}] for each
 * year with at least LC_SCORE_MIN_CITIES cities whose values are approved.
 * 0 (caller owns *out) or LC_EDB.
 */
int lc_score_years(struct lc_db *db, json_t **out);

/*
 * Enqueues an index run job after checking LC_ACT_RUN_INDEX and the params
 * (year 1900..2999 with at least LC_SCORE_MIN_CITIES approved cities,
 * refused with err_score_few_cities otherwise; runs 0..LC_SCORE_MAX_RUNS, default
 * LC_SCORE_DEFAULT_RUNS; spec_name NULL for the default spec, else a saved
 * spec's name, which must exist). 0, LC_EAUTH/LC_EPERM, LC_EINVAL (with d),
 * LC_EDB.
 */
int lc_score_enqueue(struct lc_db *db, const struct lc_actor *actor, long year, size_t runs,
                     const char *spec_name, int64_t *job_id, struct lc_diag *d);

/*
 * Saves a spec under name (1..80 bytes) for later runs, after checking it
 * parses (lc_spec_from_json; its codes are checked when a run uses it).
 * Requires LC_ACT_RUN_INDEX; audited ("index.spec_save"). 0,
 * LC_EAUTH/LC_EPERM, LC_EINVAL (with d), LC_ECONFLICT (the name exists),
 * LC_EDB.
 */
int lc_score_spec_save(struct lc_db *db, const struct lc_actor *actor, const char *name,
                       const json_t *spec, struct lc_diag *d);
/* The saved spec called name (a new reference in *out). 0, LC_ENOTFOUND, LC_EDB. */
int lc_score_spec_get(struct lc_db *db, const char *name, json_t **out);

/*
 * The runs of a year (year 0 = every year), newest first. Public read.
 * {"items": [{"id": 3, "year": 2024, "state": "done", "runs": 1000,
 *             "failed": 0, "cities": 25, "synthetic": true,
 *             "created_by": "admin@example.org", "created_at": "2026-...Z",
 *             "href": "/api/v1/index-runs/3"}, ...]}
 * 0 or LC_EDB. Caller owns *out.
 */
int lc_score_list(struct lc_db *db, long year, json_t **out);

/*
 * The id of the latest done run of year (year 0 = the latest of any year)
 * in *run_id. 0, LC_ENOTFOUND (none), LC_EDB.
 */
int lc_score_latest(struct lc_db *db, long year, int64_t *run_id);

/* The population class of a peer group ("<100k", "100k-500k", "500k-1M", "1M-5M", ">5M"), or
 * NULL for an unknown (<= 0) population. Static string. */
const char *lc_score_pop_class(long long population);

/*
 * One city's scores over the years, from the latest done run of each year:
 * {"city": "cork", "synthetic": true,
 *  "codes": [{"code": "1.1", "level": 2, "name": "..." | null}, ...],  (tree order of
 *          the latest run: areas, then parts, then "index")
 *  "years": [{"year": 2022, "run": 1, "cities": 25,
 *             "scores": {"A1": {"score": 61.2, "rank": 4, "rank_q5": 2,
 *                               "rank_median": 4, "rank_q95": 7,
 *                               "score_q5": 57.0, "score_q95": 64.8}, ...,
 *                        "index": {...the same members...}},
 *             "peer_median": {"A1": 50.1 | null, ...},               (areas; only from
 *             "peer_group": {"region": "EUR" | null,                 a summary)
 *                            "population_class": "1M-5M" | null, "count": 4}}, ...]}
 * years oldest first (for trend lines); the last entry is the newest (for
 * the radar, against the one before it). "score" may be null; peer medians
 * are not rounded. Public read; one read snapshot (the caller's when it
 * holds one). 0 (years [] when the city has no score), LC_ENOTFOUND (no
 * such city), LC_EDB. Caller owns *out.
 *
 * "peer_median" and "peer_group" are given for runs with summaries;
 * lc_score_city_from with use_summaries false never gives them (the slow
 * path, which tests compare with); lc_score_city is use_summaries true.
 */
int lc_score_city(struct lc_db *db, const char *slug, json_t **out);
int lc_score_city_from(struct lc_db *db, const char *slug, bool use_summaries, json_t **out);

/*
 * The peer group of city slug in run run_id as the run's summaries recorded
 * it, in the run's order (overall rank, unranked last, then slug):
 * [{"slug": "dublin", "name": "Dublin"}, ...] ([] when the run has no summary
 * of the city). 0 or LC_EDB. Caller owns *out.
 */
int lc_score_peers(struct lc_db *db, int64_t run_id, const char *slug, json_t **out);

/*
 * One run as a cities x codes matrix (the network heat map):
 * {"run": 3, "year": 2024, "synthetic": true, "runs": 1000,
 *  "codes": [{"code": "A1", "level": 2, "name": "..."}, ..., {"code": "index", ...}],
 *  "cities": [{"slug": "cork", "name": "Cork", "scores": [61.2, null, ...],
 *              "n_values": [7, null, ...],
 *              "rank": 5, "rank_q5": 3, "rank_median": 5, "rank_q95": 8}, ...]}
 * scores[i] is codes[i]'s score (null when missing); n_values[i], for an
 * area, how many of its measurements the city reported (approved, current,
 * not text) when the run was made (null for parts, the index, and runs
 * stored before migration 0010); cities sorted by
 * overall rank (unranked last, then by slug). Public read. 0, LC_ENOTFOUND
 * (no such run or not done), LC_EDB. Caller owns *out.
 */
int lc_score_matrix(struct lc_db *db, int64_t run_id, json_t **out);

#endif
