/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The view-models of the monitoring pages, built from stored index runs
 * (domain/monitoring/score.h), approved observations (domain/monitoring/observation.h) and the
 * directory (domain/directory/city.h): a city's profile (its own progress first, then
 * its peers, then its rank with its interval) and the network dashboard
 * (heat map, coverage, distributions, changes since the last cycle).
 *
 * Owns no table: it only reads, as the anonymous public (approved data and
 * done runs only), so the pages may be cached. Does not draw (web/ turns
 * these JSON objects into SVG with web/chart.h) and does not translate.
 */
#ifndef LC_MONITORING_VIEW_H
#define LC_MONITORING_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct lc_db;

/* The source mon-scores' demo cycle gives every synthetic value. */
#define LC_MONVIEW_SYNTHETIC_SOURCE "synthetic demonstration data, not statistics"
/* Strengths, weaknesses and improvements listed on a profile. */
#define LC_MONVIEW_TOP 3

/*
 * A city's monitoring profile (year 0 = its latest scored year):
 * {"city": {"slug", "name", "region": {...} | null, "population": n | null},
 *  "synthetic": bool, "has_scores": bool, "has_values": bool, "has_data": bool,
 *  "year": 2024 | null, "previous_year": 2022 | null, "years": [2022, 2024],
 *  "areas": [{"code": "1.1", "name": "...", "score": 61.2 | null,
 *             "previous": 55.0 | null, "peer_median": 50.1 | null,
 *             "change": 6.2 | null, "vs_own_mean": 3.1 | null,
 *             "score_q5", "score_q95", "rank", "rank_q5", "rank_q95": x | null
 *             (the area's 90 % intervals in the selected year)}, ...],
 *  "strengths": [area...], "weaknesses": [area...], "improvements": [area...],
 *  "trend": {"years": [2022, 2024], "series": [{"code", "name", "values": [..],
 *            "lo": [score_q5 per year], "hi": [score_q95 per year]}]},
 *  "peers": {"region": "EUR" | null, "population_class": "100k-500k" | null,
 *            "count": 4, "cities": [{"slug", "name"}]},
 *  "rank": {"rank": 5, "q5": 3, "median": 5, "q95": 8, "cities": 25} | null,
 *  "values": [{"code", "label", "unit", "value", "source", "synthetic": bool,
 *              "versions": [...]}] (lc_obs_list items of the year),
 *  "self_assessment": [the values of type maturity_0_4, with "level": 0..4]}
 * The scores, intervals and peers come from the run summaries
 * (lc_score_city); a run without summaries is read the slow way (its whole
 * scores and today's directory). Call inside one read snapshot.
 * LC_ENOTFOUND (no such city), LC_EDB. Caller owns *out.
 */
int lc_monview_city(struct lc_db *db, const char *slug, const char *lang, long year, json_t **out);
/* The same with use_summaries false: always the slow way (tests compare the two). */
int lc_monview_city_from(struct lc_db *db, const char *slug, const char *lang, long year,
                         bool use_summaries, json_t **out);

/*
 * The network dashboard for year (0 = the latest scored year):
 * {"year": 2024 | null, "years": [..], "synthetic": bool, "has_scores": bool,
 *  "run": 3 | null, "areas": [{"code", "name", "coverage": 0..100 | null,
 *                             "mean_change": x | null, "n_changed": k}],
 *  "cities": [{"slug", "name", "region", "scores": [per area, null allowed],
 *              "coverage": 0..100 | null, "rank", "rank_q5", "rank_q95"}],
 *  "regions": [{"code", "name", "cities": [city...]}],
 *  "previous_year": 2022 | null, "changes": [areas sorted by |mean_change|]}
 * 0 (has_scores false when no run is done), LC_EDB. Caller owns *out.
 */
int lc_monview_network(struct lc_db *db, const char *lang, long year, json_t **out);

/*
 * Fills the "vs_own_mean" and "change" members of each area object of areas
 * (from "score" and "previous") and returns the k areas furthest above the
 * city's own mean (*strengths), furthest below (*weaknesses) and with the
 * largest improvement (*improvements, only positive changes), as new arrays
 * of borrowed-and-increfed area objects. Areas without a score are skipped.
 * Exposed for tests.
 */
void lc_monview_rank_areas(json_t *areas, size_t k, json_t **strengths, json_t **weaknesses,
                           json_t **improvements);

/* The population class of a city ("<100k", "100k-500k", "500k-1M", "1M-5M", ">5M"), or NULL
 * for an unknown (<= 0) population. Static string. */
const char *lc_monview_pop_class(long long population);

#endif
