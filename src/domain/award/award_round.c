/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The award's rounds as data (award_round.h): settings, their checks, the views, the demo round. */
#include "domain/award/award_round.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/award/award.h"
#include "domain/platform/audit.h"
#include "domain/platform/clock.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"

#define DAY 86400

void lc_award_round_cleanup(struct lc_award_round *r)
{
	if (!r)
		return;
	json_decref(r->criteria);
	r->criteria = NULL;
}

int64_t lc_award_day_end(const char *s)
{
	int y, m, dd;
	char tail;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3)
		return 0;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = dd};
	time_t t = timegm(&tm);
	/* timegm normalises 2026-02-30 into March: a date that moved was not a date. */
	if (t == (time_t)-1 || tm.tm_year != y - 1900 || tm.tm_mon != m - 1 || tm.tm_mday != dd)
		return 0;
	return (int64_t)t + DAY;
}

/* ---- the criteria ------------------------------------------------------------------------- */

static json_t *criterion(const char *id, const char *en, const char *fr)
{
	return json_pack("{s:s, s:{s:s, s:s}, s:i, s:i, s:b, s:b, s:i}", "id", id, "name", "en", en,
	                 "fr", fr, "weight", 1, "scale_max", 10, "required", 1, "independent", 0,
	                 "max_words", 500);
}

json_t *lc_award_round_default_criteria(void)
{
	/* The 2024 round's criteria (progress since joining), DOMAIN.md. */
	json_t *c = json_array();
	json_array_append_new(c,
	                      criterion("plan", "Learning city plan", "Plan de ville apprenante"));
	json_array_append_new(c,
	                      criterion("coordination", "Stakeholder coordination and partnerships",
	                                "Coordination des acteurs et partenariats"));
	json_array_append_new(c, criterion("resources", "Mobilising and using resources",
	                                   "Mobilisation et utilisation des ressources"));
	json_array_append_new(
	    c, criterion("monitoring", "Monitoring and evaluation", "Suivi et évaluation"));
	json_array_append_new(c, criterion("access", "Learning accessible to all",
	                                   "Un apprentissage accessible à tous"));
	json_array_append_new(c,
	                      criterion("culture", "A culture of lifelong learning",
	                                "Une culture de l'apprentissage tout au long de la vie"));
	json_array_append_new(
	    c, criterion("innovation", "Innovative practices", "Pratiques innovantes"));
	json_array_append_new(c, criterion("gnlc", "Contributions to GNLC activities",
	                                   "Contributions aux activités du GNLC"));
	return c;
}

static bool id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > LC_LIMIT_AWARD_CRITERION_ID)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* An integer member of o in lo..hi, or dflt when absent; false (and a problem) otherwise. */
static bool int_member(const json_t *o, const char *key, const char *field, long lo, long hi,
                       long dflt, long *out, struct lc_diag *d)
{
	const json_t *v = json_object_get(o, key);
	if (!v) {
		*out = dflt;
		return true;
	}
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_award_number", LC_ARG_I("low", lo),
		             LC_ARG_I("high", hi));
		return false;
	}
	*out = (long)json_integer_value(v);
	return true;
}

/* Checks one criterion and returns its normalised copy (defaults filled), or NULL. */
static json_t *check_criterion(const json_t *c, size_t i, struct lc_diag *d)
{
	char f[64];
	size_t before = lc_diag_total(d);
	if (!json_is_object(c)) {
		snprintf(f, sizeof f, "criteria[%zu]", i);
		lc_diag_add(d, NULL, 0, 0, f, "err_award_criterion_object");
		return NULL;
	}
	const char *id = json_string_value(json_object_get(c, "id"));
	snprintf(f, sizeof f, "criteria[%zu].id", i);
	if (!id_ok(id))
		lc_diag_addf(d, NULL, 0, 0, f, "err_award_criterion_id",
		             LC_ARG_I("limit", LC_LIMIT_AWARD_CRITERION_ID));
	const json_t *name = json_object_get(c, "name");
	json_t *names = json_object();
	snprintf(f, sizeof f, "criteria[%zu].name", i);
	if (json_is_string(name))
		json_object_set(names, "en", (json_t *)name);
	else if (json_is_object(name)) {
		const char *lang;
		json_t *v;
		json_object_foreach((json_t *)name, lang, v)
		{
			if (lc_text_lang_ok(lang) && json_is_string(v))
				json_object_set(names, lang, v);
			else
				lc_diag_add(d, NULL, 0, 0, f, "err_award_criterion_name");
		}
	}
	const char *en = json_string_value(json_object_get(names, "en"));
	if (!en || !*en || strlen(en) > LC_LIMIT_AWARD_CRITERION_NAME)
		lc_diag_addf(d, NULL, 0, 0, f, "err_award_criterion_name_en",
		             LC_ARG_I("limit", LC_LIMIT_AWARD_CRITERION_NAME));
	const json_t *w = json_object_get(c, "weight");
	double weight = w ? json_number_value(w) : 1.0;
	snprintf(f, sizeof f, "criteria[%zu].weight", i);
	if ((w && !json_is_number(w)) || !(weight >= 0.0 && weight <= 100.0))
		lc_diag_add(d, NULL, 0, 0, f, "err_award_criterion_weight");
	long scale = 10, words = 500;
	snprintf(f, sizeof f, "criteria[%zu].scale_max", i);
	int_member(c, "scale_max", f, 1, 100, 10, &scale, d);
	snprintf(f, sizeof f, "criteria[%zu].max_words", i);
	int_member(c, "max_words", f, 1, LC_LIMIT_AWARD_WORDS, 500, &words, d);
	const json_t *req = json_object_get(c, "required"),
	             *ind = json_object_get(c, "independent");
	snprintf(f, sizeof f, "criteria[%zu]", i);
	if ((req && !json_is_boolean(req)) || (ind && !json_is_boolean(ind)))
		lc_diag_add(d, NULL, 0, 0, f, "err_award_criterion_flags");
	bool independent = ind && json_is_true(ind);
	/* A counted criterion needs a weight; an independent one is shown, never counted. */
	if (!independent && w && json_is_number(w) && weight <= 0.0) {
		snprintf(f, sizeof f, "criteria[%zu].weight", i);
		lc_diag_add(d, NULL, 0, 0, f, "err_award_criterion_weight");
	}
	if (lc_diag_total(d) > before) {
		json_decref(names);
		return NULL;
	}
	return json_pack("{s:s, s:o, s:f, s:i, s:b, s:b, s:i}", "id", id, "name", names, "weight",
	                 weight, "scale_max", (int)scale, "required", !req || json_is_true(req),
	                 "independent", independent, "max_words", (int)words);
}

/* The checked criteria of spec (the default when absent), or NULL with problems in d. */
static json_t *check_criteria(const json_t *v, struct lc_diag *d)
{
	if (!v)
		return lc_award_round_default_criteria();
	size_t n = json_array_size(v);
	if (!json_is_array(v) || n == 0 || n > LC_LIMIT_AWARD_ROUND_CRITERIA) {
		lc_diag_addf(d, NULL, 0, 0, "criteria", "err_award_criteria_count",
		             LC_ARG_I("limit", LC_LIMIT_AWARD_ROUND_CRITERIA));
		return NULL;
	}
	json_t *out = json_array();
	bool counted = false;
	for (size_t i = 0; i < n; i++) {
		json_t *c = check_criterion(json_array_get(v, i), i, d);
		if (!c)
			continue;
		const char *id = json_string_value(json_object_get(c, "id"));
		for (size_t j = 0; j < json_array_size(out); j++)
			if (strcmp(json_string_value(json_object_get(json_array_get(out, j), "id")),
			           id) == 0)
				lc_diag_addf(d, NULL, 0, 0, "criteria", "err_award_criterion_twice",
				             LC_ARG_S("id", id));
		counted = counted || !json_is_true(json_object_get(c, "independent"));
		json_array_append_new(out, c);
	}
	if (json_array_size(out) == n && !counted)
		lc_diag_add(d, NULL, 0, 0, "criteria", "err_award_criteria_counted");
	if (lc_diag_total(d)) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* ---- load and views ----------------------------------------------------------------------- */

static const char *const settings_sql =
    "SELECT year, demo, nominations_open, nominations_close, natcom_deadline, scoring_open,"
    " scoring_close, cap_per_natcom, cap_per_country, cap_per_region, min_member_months,"
    " bar_years, criteria, score_visibility, blind FROM award_round_settings";

static void copy(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

static void fill(sqlite3_stmt *st, struct lc_award_round *r)
{
	r->year = (long)sqlite3_column_int64(st, 0);
	r->demo = sqlite3_column_int(st, 1) != 0;
	copy(r->nominations_open, sizeof r->nominations_open, lc_db_text(st, 2));
	copy(r->nominations_close, sizeof r->nominations_close, lc_db_text(st, 3));
	copy(r->natcom_deadline, sizeof r->natcom_deadline, lc_db_text(st, 4));
	copy(r->scoring_open, sizeof r->scoring_open, lc_db_text(st, 5));
	copy(r->scoring_close, sizeof r->scoring_close, lc_db_text(st, 6));
	r->cap_per_natcom = (long)sqlite3_column_int64(st, 7);
	r->cap_per_country = (long)sqlite3_column_int64(st, 8); /* NULL reads 0: no cap */
	r->cap_per_region = (long)sqlite3_column_int64(st, 9);
	r->min_member_months = (long)sqlite3_column_int64(st, 10);
	r->bar_years = (long)sqlite3_column_int64(st, 11);
	const char *c = lc_db_text(st, 12);
	r->criteria = c ? json_loads(c, 0, NULL) : NULL;
	if (!r->criteria)
		r->criteria = json_array();
	copy(r->score_visibility, sizeof r->score_visibility, lc_db_text(st, 13));
	r->blind = sqlite3_column_int(st, 14) != 0;
}

int lc_award_round_load(struct lc_db *db, long year, struct lc_award_round *out)
{
	memset(out, 0, sizeof *out);
	char sql[512];
	snprintf(sql, sizeof sql, "%s WHERE year = ?1", settings_sql);
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		fill(st, out);
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

static json_t *or_null(long v)
{
	return v > 0 ? json_integer(v) : json_null();
}

json_t *lc_award_round_json(const struct lc_award_round *r, const char *lang)
{
	json_t *crit = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(r->criteria, i, c)
	{
		const json_t *names = json_object_get(c, "name");
		const char *name = json_string_value(json_object_get(names, lc_text_lang(lang)));
		if (!name)
			name = json_string_value(json_object_get(names, "en"));
		json_t *x = json_deep_copy(c);
		json_object_set_new(x, "name", json_string(name ? name : ""));
		json_array_append_new(crit, x);
	}
	int64_t now = lc_clock_now();
	bool open = now >= lc_award_day_end(r->nominations_open) - DAY &&
	            now < lc_award_day_end(r->nominations_close);
	return json_pack(
	    "{s:b, s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:i, s:i, s:o, s:b, s:s, s:b}", "demo",
	    r->demo, "nominations_open", r->nominations_open, "nominations_close",
	    r->nominations_close, "natcom_deadline", r->natcom_deadline, "scoring_open",
	    r->scoring_open, "scoring_close", r->scoring_close, "cap_per_natcom",
	    (int)r->cap_per_natcom, "cap_per_country", or_null(r->cap_per_country),
	    "cap_per_region", or_null(r->cap_per_region), "min_member_months",
	    (int)r->min_member_months, "bar_years", (int)r->bar_years, "criteria", crit, "open",
	    open, "score_visibility", r->score_visibility[0] ? r->score_visibility : "after_own",
	    "blind", r->blind);
}

int lc_award_rounds(struct lc_db *db, const char *lang, json_t **out)
{
	*out = NULL;
	char sql[1024];
	snprintf(sql, sizeof sql,
	         "SELECT ar.year, s.year IS NOT NULL, (SELECT count(*) FROM awards a"
	         " WHERE a.round_year = ar.year), (SELECT count(*) FROM award_nominations n"
	         " WHERE n.round_year = ar.year), s.demo, s.nominations_open, s.nominations_close,"
	         " s.natcom_deadline, s.scoring_open, s.scoring_close, s.cap_per_natcom,"
	         " s.cap_per_country, s.cap_per_region, s.min_member_months, s.bar_years,"
	         " s.criteria FROM award_rounds ar LEFT JOIN award_round_settings s"
	         " ON s.year = ar.year ORDER BY ar.year DESC");
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	json_t *items = json_array();
	int rc;
	while (lc_db_next(db, st, &rc)) {
		json_t *settings = json_null();
		if (sqlite3_column_int(st, 1)) {
			struct lc_award_round r = {.year = (long)sqlite3_column_int64(st, 0),
			                           .demo = sqlite3_column_int(st, 4) != 0};
			copy(r.nominations_open, sizeof r.nominations_open, lc_db_text(st, 5));
			copy(r.nominations_close, sizeof r.nominations_close, lc_db_text(st, 6));
			copy(r.natcom_deadline, sizeof r.natcom_deadline, lc_db_text(st, 7));
			copy(r.scoring_open, sizeof r.scoring_open, lc_db_text(st, 8));
			copy(r.scoring_close, sizeof r.scoring_close, lc_db_text(st, 9));
			r.cap_per_natcom = (long)sqlite3_column_int64(st, 10);
			r.cap_per_country = (long)sqlite3_column_int64(st, 11);
			r.cap_per_region = (long)sqlite3_column_int64(st, 12);
			r.min_member_months = (long)sqlite3_column_int64(st, 13);
			r.bar_years = (long)sqlite3_column_int64(st, 14);
			r.criteria =
			    json_loads(lc_db_text(st, 15) ? lc_db_text(st, 15) : "[]", 0, NULL);
			settings = lc_award_round_json(&r, lang);
			lc_award_round_cleanup(&r);
		}
		json_array_append_new(
		    items, json_pack("{s:I, s:o, s:I, s:I}", "year",
		                     (json_int_t)sqlite3_column_int64(st, 0), "settings", settings,
		                     "count", (json_int_t)sqlite3_column_int64(st, 2),
		                     "nominations", (json_int_t)sqlite3_column_int64(st, 3)));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

int lc_award_round_view(struct lc_db *db, long year, const char *lang, json_t **out)
{
	json_t *r = NULL;
	int err = lc_award_round_get(db, year, lang, &r);
	if (err)
		return err;
	struct lc_award_round s;
	err = lc_award_round_load(db, year, &s);
	if (err == LC_ENOTFOUND) {
		json_object_set_new(r, "settings", json_null());
		err = 0;
	} else if (!err) {
		json_object_set_new(r, "settings", lc_award_round_json(&s, lang));
		lc_award_round_cleanup(&s);
	}
	if (err) {
		json_decref(r);
		return err;
	}
	*out = r;
	return 0;
}

/* ---- opening a round ---------------------------------------------------------------------- */

/* A day member of spec into out (11 bytes); a problem when absent or not a day. */
static void day_member(const json_t *spec, const char *key, char *out, struct lc_diag *d)
{
	const char *s = json_string_value(json_object_get(spec, key));
	out[0] = '\0';
	if (!lc_award_day_end(s))
		lc_diag_add(d, NULL, 0, 0, key, "err_award_date");
	else
		snprintf(out, 11, "%s", s);
}

/* A cap that may be null (no cap); absent means dflt. */
static void cap_member(const json_t *spec, const char *key, long dflt, long *out, struct lc_diag *d)
{
	const json_t *v = json_object_get(spec, key);
	if (json_is_null(v)) {
		*out = 0;
		return;
	}
	int_member(spec, key, key, 1, LC_LIMIT_AWARD_CAP, dflt, out, d);
}

static int insert(struct lc_db *db, const struct lc_award_round *r)
{
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO award_rounds (year, provenance)"
	                                  " VALUES (?1, 'provisional')");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, r->year);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	char *crit = json_dumps(r->criteria, JSON_COMPACT);
	st = lc_db_stmt(
	    db,
	    "INSERT INTO award_round_settings (year, demo, nominations_open, nominations_close,"
	    " natcom_deadline, scoring_open, scoring_close, cap_per_natcom, cap_per_country,"
	    " cap_per_region, min_member_months, bar_years, criteria, created_at, score_visibility,"
	    " blind) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, nullif(?9, 0), nullif(?10, 0), ?11, "
	    "?12,"
	    " ?13, ?14, ?15, ?16)");
	if (!st) {
		lc_free(crit);
		return LC_EDB;
	}
	sqlite3_bind_int64(st, 1, r->year);
	sqlite3_bind_int(st, 2, r->demo);
	lc_db_bind_text(st, 3, r->nominations_open);
	lc_db_bind_text(st, 4, r->nominations_close);
	lc_db_bind_text(st, 5, r->natcom_deadline);
	lc_db_bind_text(st, 6, r->scoring_open);
	lc_db_bind_text(st, 7, r->scoring_close);
	sqlite3_bind_int64(st, 8, r->cap_per_natcom);
	sqlite3_bind_int64(st, 9, r->cap_per_country);
	sqlite3_bind_int64(st, 10, r->cap_per_region);
	sqlite3_bind_int64(st, 11, r->min_member_months);
	sqlite3_bind_int64(st, 12, r->bar_years);
	lc_db_bind_text(st, 13, crit);
	sqlite3_bind_int64(st, 14, lc_clock_now());
	lc_db_bind_text(st, 15, r->score_visibility[0] ? r->score_visibility : "after_own");
	sqlite3_bind_int(st, 16, r->blind);
	rc = lc_db_step(db, st);
	lc_db_release(db, st);
	lc_free(crit);
	return rc < 0 ? rc : 0;
}

static int year_taken(struct lc_db *db, long year, bool *taken)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT 1 FROM award_rounds WHERE year = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	*taken = rc == 1;
	return rc < 0 ? rc : 0;
}

/* Checks spec into r (criteria owned by r); every problem to d. */
static void check_spec(const json_t *spec, struct lc_award_round *r, struct lc_diag *d)
{
	int_member(spec, "year", "year", 2000, 2999, 0, &r->year, d);
	if (!json_object_get(spec, "year"))
		lc_diag_addf(d, NULL, 0, 0, "year", "err_award_number", LC_ARG_I("low", 2000),
		             LC_ARG_I("high", 2999));
	day_member(spec, "nominations_open", r->nominations_open, d);
	day_member(spec, "nominations_close", r->nominations_close, d);
	day_member(spec, "natcom_deadline", r->natcom_deadline, d);
	day_member(spec, "scoring_open", r->scoring_open, d);
	day_member(spec, "scoring_close", r->scoring_close, d);
	/* The dates follow one another (ISO days compare as text). */
	const char *seq[] = {r->nominations_open, r->nominations_close, r->natcom_deadline,
	                     r->scoring_open, r->scoring_close};
	const char *names[] = {"nominations_open", "nominations_close", "natcom_deadline",
	                       "scoring_open", "scoring_close"};
	for (size_t i = 1; i < 5; i++)
		if (seq[i - 1][0] && seq[i][0] && strcmp(seq[i - 1], seq[i]) > 0)
			lc_diag_addf(d, NULL, 0, 0, names[i], "err_award_date_order",
			             LC_ARG_S("after", names[i - 1]));
	int_member(spec, "cap_per_natcom", "cap_per_natcom", 1, LC_LIMIT_AWARD_CAP,
	           LC_AWARD_ROUND_CAP_NATCOM, &r->cap_per_natcom, d);
	cap_member(spec, "cap_per_country", LC_AWARD_ROUND_CAP_COUNTRY, &r->cap_per_country, d);
	cap_member(spec, "cap_per_region", 0, &r->cap_per_region, d);
	int_member(spec, "min_member_months", "min_member_months", 0, 120,
	           LC_AWARD_ROUND_MEMBER_MONTHS, &r->min_member_months, d);
	int_member(spec, "bar_years", "bar_years", 0, 50, LC_AWARD_ROUND_BAR_YEARS, &r->bar_years,
	           d);
	const json_t *demo = json_object_get(spec, "demo");
	if (demo && !json_is_boolean(demo))
		lc_diag_add(d, NULL, 0, 0, "demo", "err_award_demo");
	r->demo = json_is_true(demo);
	const json_t *blind = json_object_get(spec, "blind");
	if (blind && !json_is_boolean(blind))
		lc_diag_add(d, NULL, 0, 0, "blind", "jury_err_blind");
	r->blind = json_is_true(blind);
	const json_t *vis = json_object_get(spec, "score_visibility");
	const char *v = json_string_value(vis);
	if (vis && (!v || (strcmp(v, "never") != 0 && strcmp(v, "after_own") != 0 &&
	                   strcmp(v, "always") != 0)))
		lc_diag_add(d, NULL, 0, 0, "score_visibility", "jury_err_visibility");
	copy(r->score_visibility, sizeof r->score_visibility, v ? v : "after_own");
	r->criteria = check_criteria(json_object_get(spec, "criteria"), d);
}

int lc_award_round_open(struct lc_db *db, const struct lc_actor *actor, const json_t *spec,
                        struct lc_diag *d)
{
	int err = lc_authz_check(actor, LC_ACT_MANAGE_AWARD, NULL);
	if (err)
		return err;
	struct lc_award_round r = {0};
	struct lc_diag own;
	lc_diag_init(&own);
	if (!json_is_object(spec))
		lc_diag_add(&own, NULL, 0, 0, NULL, "err_award_round_object");
	else
		check_spec(spec, &r, &own);
	if (r.year && !lc_diag_total(&own)) {
		bool taken = false;
		err = year_taken(db, r.year, &taken);
		if (!err && taken)
			lc_diag_addf(&own, NULL, 0, 0, "year", "err_award_round_exists",
			             LC_ARG_I("year", r.year));
	}
	if (!err && lc_diag_total(&own))
		err = LC_EINVAL;
	lc_diag_append(d, &own);
	lc_diag_cleanup(&own);
	if (err)
		goto done;
	err = lc_db_begin(db);
	if (err)
		goto done;
	err = insert(db, &r);
	if (!err) {
		json_t *after = lc_award_round_json(&r, "en");
		err = lc_audit_append_id(db, actor, "award_round.open", "award_round", r.year, NULL,
		                         after, NULL);
		json_decref(after);
	}
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
done:
	lc_award_round_cleanup(&r);
	return err;
}

int lc_award_round_demo(struct lc_db *db)
{
	bool taken = false;
	int err = year_taken(db, 2027, &taken);
	if (err || taken)
		return err;
	struct lc_award_round r = {
	    .year = 2027,
	    .demo = true,
	    .cap_per_natcom = LC_AWARD_ROUND_CAP_NATCOM,
	    .cap_per_country = LC_AWARD_ROUND_CAP_COUNTRY,
	    .min_member_months = LC_AWARD_ROUND_MEMBER_MONTHS,
	    .bar_years = LC_AWARD_ROUND_BAR_YEARS,
	    .criteria = lc_award_round_default_criteria(),
	};
	/* A demonstration is open whenever it is made: its window is counted from today,
	 * with the spacing of a real round (made on 2026-09-21: open from 2026-09-01,
	 * closing 2027-03-15, the Commissions' deadline 2027-03-31, scoring from 2027-04-15
	 * to 2027-06-30). */
	const int64_t day = 86400, now = lc_clock_now();
	lc_clock_date(now - 20 * day, r.nominations_open);
	lc_clock_date(now + 175 * day, r.nominations_close);
	lc_clock_date(now + 191 * day, r.natcom_deadline);
	lc_clock_date(now + 206 * day, r.scoring_open);
	lc_clock_date(now + 282 * day, r.scoring_close);
	err = insert(db, &r);
	lc_award_round_cleanup(&r);
	return err;
}
