/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The Learning City Award's rounds as data: a round run in learncity has,
 * beside its facts in award_rounds (award.h), its settings: the nomination
 * window, the National Commission's deadline, the jury's scoring window,
 * the caps (nominations per National Commission, awardees per country and
 * per UNESCO region), the eligibility parameters (award_eligibility.h) and
 * the criteria, each with a weight, a scale, required or not, or
 * "independent" (shown, never counted). A 2017-style round (three
 * nominations per Commission) is a setting, not code. The past rounds
 * (2015-2024) have no settings and stay facts.
 *
 * This module owns award_round_settings. It does not run nominations
 * (nomination.h) nor the jury.
 */
#ifndef LC_AWARD_ROUND_H
#define LC_AWARD_ROUND_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct lc_actor;
struct lc_db;
struct lc_diag;

#define LC_AWARD_ROUND_CAP_NATCOM    2  /* nominations per National Commission (2021, 2024) */
#define LC_AWARD_ROUND_CAP_COUNTRY   1  /* awardees per country (2024) */
#define LC_AWARD_ROUND_MEMBER_MONTHS 12 /* a member for more than 12 months (2024) */
#define LC_AWARD_ROUND_BAR_YEARS     6  /* an awardee of Y is eligible again from Y + 6 */

/* A round's settings, as loaded. */
struct lc_award_round {
	long year;
	bool demo;
	char nominations_open[11], nominations_close[11], natcom_deadline[11];
	char scoring_open[11], scoring_close[11];
	long cap_per_natcom;
	long cap_per_country; /* 0: no cap */
	long cap_per_region;  /* 0: no cap */
	long min_member_months;
	long bar_years;
	char score_visibility[16]; /* the other jurors' scores: never, after_own, always */
	bool blind;                /* jurors are not told the city */
	json_t *criteria;          /* owned: [{"id", "name": {lang: text}, "weight", "scale_max",
	                     "required", "independent", "max_words"}] */
};

/* Frees r->criteria. NULL allowed. */
void lc_award_round_cleanup(struct lc_award_round *r);

/* Loads the settings of round year. 0, LC_ENOTFOUND (no round run in learncity), LC_EDB. */
int lc_award_round_load(struct lc_db *db, long year, struct lc_award_round *out);

/* The eight criteria of 2024 (DOMAIN.md), weight 1, scale 0..10, required, 500 words. New ref. */
json_t *lc_award_round_default_criteria(void);

/*
 * Opens a round from spec (the JSON of POST /api/v1/award-rounds):
 * {"year", "nominations_open", "nominations_close", "natcom_deadline",
 *  "scoring_open", "scoring_close" (YYYY-MM-DD, in this order or equal),
 *  "cap_per_natcom"? (1..LC_LIMIT_AWARD_CAP, default 2), "cap_per_country"? (>= 1 or null
 *  for none, default 1), "cap_per_region"? (>= 1 or null, default none),
 *  "min_member_months"? (0..120, default 12), "bar_years"? (0..50, default 6),
 *  "criteria"? (default: the eight of 2024), "demo"? (false), "blind"? (false: jurors
 *  are not told the city), "score_visibility"? ("never", "after_own" (default), "always")}.
 * Every problem goes to d with its field; nothing is written unless all is
 * well. A year that is already a round (a past one included) is refused.
 * Writes award_rounds and award_round_settings and the audit row
 * "award_round.open". Requires LC_ACT_MANAGE_AWARD. 0; LC_EINVAL (d),
 * LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_award_round_open(struct lc_db *db, const struct lc_actor *actor, const json_t *spec,
                        struct lc_diag *d);

/*
 * The rounds, newest first, for the API and the admin page:
 * {"items": [{"year", "settings": {...} | null, "count" (awardees),
 *             "nominations" (items of the round)}]}
 * settings: {"demo", "nominations_open", "nominations_close", "natcom_deadline",
 * "scoring_open", "scoring_close", "cap_per_natcom", "cap_per_country" | null,
 * "cap_per_region" | null, "min_member_months", "bar_years", "criteria":
 * [{"id", "name" (in lang), "weight", "scale_max", "required", "independent",
 * "max_words"}], "open": bool (nominations open today), "score_visibility", "blind"}.
 * Public. 0 (caller owns *out), LC_EDB.
 */
int lc_award_rounds(struct lc_db *db, const char *lang, json_t **out);

/*
 * One round: award.h's round (facts, awardees) with "settings" as above
 * (null for a past round). 0, LC_ENOTFOUND, LC_EDB. Caller owns *out.
 */
int lc_award_round_view(struct lc_db *db, long year, const char *lang, json_t **out);

/* The settings of r as JSON (criteria names in lang), as in lc_award_rounds. New ref. */
json_t *lc_award_round_json(const struct lc_award_round *r, const char *lang);

/* Unix seconds of the end (UTC) of ISO day s, or 0 when s is not a day. */
int64_t lc_award_day_end(const char *s);

/*
 * The demonstration's round: 2027, marked demo, nominations open from
 * 2026-09-01 to 2027-03-15, National Commissions until 2027-03-31, the
 * jury from 2027-04-15 to 2027-06-30, default caps and criteria. Inside
 * the caller's transaction; nothing when the year exists. 0 or LC_EDB.
 */
int lc_award_round_demo(struct lc_db *db);

#endif
