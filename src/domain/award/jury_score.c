/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A juror's scores (jury.h): one sheet per juror and nomination, a draft
 * until submitted, a score per criterion of the round within its scale and
 * a comment; the other jurors' submitted sheets shown as the round says.
 * A juror in conflict has no sheet to see: its nomination does not exist
 * for it (lc_jury_sees), and its scores, kept with their audit rows, count
 * nowhere.
 */
#include "domain/award/jury.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/award/award_round.h"
#include "domain/platform/audit.h"
#include "domain/platform/clock.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"
#include "engine/award.h"

/* The round of nomination id, for a juror of it who reads it: 0, LC_ENOTFOUND, LC_EAUTH. */
static int round_for(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                     struct lc_award_round *r)
{
	if (!actor || actor->kind == LC_ACTOR_ANONYMOUS)
		return LC_EAUTH;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT round_year FROM award_nominations"
	                                  " WHERE item_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	long year = rc == 1 ? (long)sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	/* Only the round's jurors score; anyone else learns nothing of the nomination here. */
	if (rc == 0 || !lc_jury_is_juror(actor, year))
		return LC_ENOTFOUND;
	int err = lc_jury_sees(db, actor, id);
	if (!err)
		err = lc_award_round_load(db, year, r);
	return err;
}

/* The round's setting of who sees others' scores, and whether jurors read blind. */
static int visibility(struct lc_db *db, long year, char out[16], bool *blind)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT score_visibility, blind FROM award_round_settings"
	                                  " WHERE year = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		snprintf(out, 16, "%s", lc_db_text(st, 0));
		*blind = sqlite3_column_int(st, 1) != 0;
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 1 ? 0 : LC_ENOTFOUND;
}

/* The sheet's state ("" none) and comment. */
static int sheet_of(struct lc_db *db, int64_t id, int64_t account, char state[16], json_t **comment)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT state, comment FROM award_score_sheets"
	                                  " WHERE item_id = ?1 AND account_id = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, account);
	int rc = lc_db_step(db, st);
	state[0] = 0;
	if (rc == 1) {
		snprintf(state, 16, "%s", lc_db_text(st, 0));
		if (comment)
			*comment = lc_row_str(st, 1);
	} else if (comment) {
		*comment = json_string("");
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* {criterion: score | null} of one sheet. */
static int scores_of(struct lc_db *db, int64_t id, int64_t account, json_t **out)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT criterion, score FROM award_scores"
	                                  " WHERE item_id = ?1 AND account_id = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, account);
	json_t *o = json_object();
	int rc;
	while (lc_db_next(db, st, &rc))
		json_object_set_new(o, lc_db_text(st, 0), lc_row_real(st, 1));
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

/* The other jurors' submitted sheets, none of a juror in conflict with the nomination. */
static int others_of(struct lc_db *db, int64_t id, int64_t account, json_t **out)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db,
	    "SELECT s.account_id, a.name, s.comment FROM award_score_sheets s"
	    " JOIN accounts a ON a.id = s.account_id WHERE s.item_id = ?1 AND s.account_id <> ?2"
	    " AND s.state = 'submitted' AND NOT EXISTS (SELECT 1 FROM award_conflicts k"
	    " WHERE k.item_id = s.item_id AND k.account_id = s.account_id"
	    " AND k.state IN " LC_JURY_CONFLICT_IN_FORCE ") ORDER BY a.name, s.account_id");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, account);
	json_t *list = json_array();
	int rc, err = 0;
	while (!err && lc_db_next(db, st, &rc)) {
		json_t *sc = NULL;
		err = scores_of(db, id, sqlite3_column_int64(st, 0), &sc);
		if (!err)
			json_array_append_new(list, json_pack("{s:o, s:o, s:o}", "juror",
			                                      lc_row_str(st, 1), "comment",
			                                      lc_row_str(st, 2), "scores", sc));
	}
	lc_db_release(db, st);
	if (!err && rc < 0)
		err = rc;
	if (err) {
		json_decref(list);
		return err;
	}
	*out = list;
	return 0;
}

/* The city of nomination id, {slug, name, country}, or null in a blind round. */
static int city_of(struct lc_db *db, int64_t id, bool blind, const char *lang, json_t **out)
{
	*out = json_null();
	if (blind)
		return 0;
	char path[8];
	lc_text_lang_path(lang, path, sizeof path);
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT c.slug, " LC_ROW_TR("c.name") ", c.country FROM award_nominations n"
	                                              " JOIN cities c ON c.id = n.city_id"
	                                              " WHERE n.item_id = ?2");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, path);
	sqlite3_bind_int64(st, 2, id);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*out = json_pack("{s:o, s:o, s:o}", "slug", lc_row_str(st, 0), "name",
		                 lc_row_str(st, 1), "country", lc_row_str(st, 2));
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_jury_score_get(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *lang,
                      json_t **out)
{
	*out = NULL;
	struct lc_award_round r = {0};
	json_t *scores = NULL, *comment = NULL, *others = NULL, *city = NULL;
	int err = round_for(db, actor, id, &r);
	char state[16], vis[16] = "after_own";
	bool blind = false;
	if (!err)
		err = visibility(db, r.year, vis, &blind);
	if (!err)
		err = city_of(db, id, blind, lang, &city);
	if (!err)
		err = sheet_of(db, id, actor->account_id, state, &comment);
	if (!err)
		err = scores_of(db, id, actor->account_id, &scores);
	bool show = strcmp(vis, "always") == 0 ||
	            (strcmp(vis, "after_own") == 0 && strcmp(state, "submitted") == 0);
	if (!err && show)
		err = others_of(db, id, actor->account_id, &others);
	if (!err) {
		json_t *rj = lc_award_round_json(&r, lang);
		json_t *criteria = json_deep_copy(json_object_get(rj, "criteria"));
		json_decref(rj);
		size_t i;
		json_t *c;
		json_array_foreach(criteria, i, c)
		{
			const char *cid = json_string_value(json_object_get(c, "id"));
			json_t *s = cid ? json_object_get(scores, cid) : NULL;
			json_object_set_new(c, "score", s ? json_incref(s) : json_null());
		}
		int64_t now = lc_clock_now();
		bool open = now >= lc_award_day_end(r.scoring_open) - 86400 &&
		            now <= lc_award_day_end(r.scoring_close);
		*out = json_pack("{s:I, s:I, s:s, s:O, s:o, s:s, s:b, s:O, s:b, s:O*}",
		                 "nomination", (json_int_t)id, "year", (json_int_t)r.year, "state",
		                 state[0] ? state : "none", "comment", comment, "criteria",
		                 criteria, "visibility", vis, "blind", blind, "city", city,
		                 "scoring_now", open, "others", others);
	}
	json_decref(scores);
	json_decref(comment);
	json_decref(others);
	json_decref(city);
	lc_award_round_cleanup(&r);
	return err;
}

static bool truthy(const json_t *v)
{
	return json_is_true(v) || (json_is_integer(v) && json_integer_value(v) != 0);
}

int lc_jury_score_put(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                      const json_t *body, struct lc_diag *d)
{
	struct lc_award_round r = {0};
	int err = round_for(db, actor, id, &r);
	if (err)
		goto out;
	char state[16];
	err = sheet_of(db, id, actor->account_id, state, NULL);
	if (err)
		goto out;
	if (strcmp(state, "submitted") == 0) {
		lc_diag_add(d, NULL, 0, 0, NULL, "err_jury_submitted");
		err = LC_ECONFLICT;
		goto out;
	}
	/* Scoring is open in the round's window, its days inclusive (UTC). */
	int64_t now = lc_clock_now();
	if (now < lc_award_day_end(r.scoring_open) - 86400 ||
	    now > lc_award_day_end(r.scoring_close)) {
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_jury_scoring_closed",
		             LC_ARG_S("open", r.scoring_open), LC_ARG_S("close", r.scoring_close));
		err = LC_ECONFLICT;
		goto out;
	}
	const json_t *given = json_object_get(body, "scores");
	const json_t *cm = json_object_get(body, "comment");
	bool submit = json_is_true(json_object_get(body, "submit"));
	if (given && !json_is_object(given)) {
		lc_diag_add(d, NULL, 0, 0, "scores", "err_jury_scores");
		err = LC_EINVAL;
	}
	if (cm && !json_is_null(cm) &&
	    (!json_is_string(cm) || json_string_length(cm) > LC_LIMIT_AWARD_TEXT_BYTES)) {
		lc_diag_addf(d, NULL, 0, 0, "comment", "err_jury_comment",
		             LC_ARG_I("max", LC_LIMIT_AWARD_TEXT_BYTES));
		err = LC_EINVAL;
	}
	json_t *stored = NULL;
	int e2 = scores_of(db, id, actor->account_id, &stored);
	if (e2) {
		err = e2;
		goto out;
	}
	/* The sheet after this request: what was stored, with what is given over it. */
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)given, k, v)
	{
		const json_t *c = NULL;
		size_t i;
		const json_t *x;
		json_array_foreach(r.criteria, i, x)
		{
			if (strcmp(json_string_value(json_object_get(x, "id")), k) == 0)
				c = x;
		}
		char field[64];
		snprintf(field, sizeof field, "scores.%.40s", k);
		if (!c) {
			lc_diag_addf(d, NULL, 0, 0, field, "err_jury_criterion",
			             LC_ARG_S("value", k));
			err = LC_EINVAL;
			continue;
		}
		double max = (double)json_integer_value(json_object_get(c, "scale_max"));
		if (!json_is_null(v) &&
		    (!json_is_number(v) || !isfinite(json_number_value(v)) ||
		     json_number_value(v) < 0.0 || json_number_value(v) > max)) {
			lc_diag_addf(d, NULL, 0, 0, field, "err_jury_score_range",
			             LC_ARG_G("max", max));
			err = LC_EINVAL;
			continue;
		}
		json_object_set_new(
		    stored, k, json_is_null(v) ? json_null() : json_real(json_number_value(v)));
	}
	if (!err && submit) {
		size_t i;
		const json_t *x;
		json_array_foreach(r.criteria, i, x)
		{
			const char *cid = json_string_value(json_object_get(x, "id"));
			if (truthy(json_object_get(x, "required")) &&
			    !json_is_number(json_object_get(stored, cid))) {
				char field[64];
				snprintf(field, sizeof field, "scores.%.40s", cid);
				lc_diag_add(d, NULL, 0, 0, field, "err_jury_score_missing");
				err = LC_EINVAL;
			}
		}
	}
	if (err) {
		json_decref(stored);
		goto out;
	}
	err = lc_db_begin(db);
	if (err) {
		json_decref(stored);
		goto out;
	}
	sqlite3_stmt *st = lc_db_stmt(
	    db, "INSERT INTO award_score_sheets (item_id, account_id, state, comment, updated_at,"
	        " submitted_at) VALUES (?1, ?2, ?3, coalesce(?4, ''), ?5, ?6) ON CONFLICT DO UPDATE"
	        " SET state = ?3, comment = coalesce(?4, comment), updated_at = ?5,"
	        " submitted_at = ?6");
	if (!st)
		err = LC_EDB;
	if (!err) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, actor->account_id);
		lc_db_bind_text(st, 3, submit ? "submitted" : "draft");
		if (json_is_string(cm))
			lc_db_bind_text(st, 4, json_string_value(cm));
		sqlite3_bind_int64(st, 5, now);
		if (submit)
			sqlite3_bind_int64(st, 6, now);
		int rc = lc_db_step(db, st);
		lc_db_release(db, st);
		err = rc < 0 ? rc : 0;
	}
	json_object_foreach(stored, k, v)
	{
		if (err)
			break;
		st = lc_db_stmt(db,
		                "INSERT INTO award_scores (item_id, account_id, criterion, score)"
		                " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO UPDATE SET score = ?4");
		if (!st) {
			err = LC_EDB;
			break;
		}
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, actor->account_id);
		lc_db_bind_text(st, 3, k);
		if (json_is_number(v))
			sqlite3_bind_double(st, 4, json_number_value(v));
		int rc = lc_db_step(db, st);
		lc_db_release(db, st);
		err = rc < 0 ? rc : 0;
	}
	if (!err) {
		json_t *after = json_pack("{s:s, s:O}", "state", submit ? "submitted" : "draft",
		                          "scores", stored);
		err = lc_audit_append_id(db, actor,
		                         submit ? "award.score.submit" : "award.score.save",
		                         "nomination", id, NULL, after, NULL);
		json_decref(after);
	}
	json_decref(stored);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
out:
	lc_award_round_cleanup(&r);
	return err;
}

/* ---- the ranking's input -------------------------------------------------------------------- */

/* The sheets that count: submitted, of round ?1, with no conflict in force on them. */
#define COUNTED                                                                                    \
	" FROM award_score_sheets s JOIN award_nominations n ON n.item_id = s.item_id"             \
	" JOIN cities c ON c.id = n.city_id JOIN accounts a ON a.id = s.account_id"                \
	" LEFT JOIN award_scores x ON x.item_id = s.item_id AND x.account_id = s.account_id"       \
	" WHERE n.round_year = ?1 AND s.state = 'submitted' AND NOT EXISTS (SELECT 1"              \
	" FROM award_conflicts k WHERE k.item_id = s.item_id AND k.account_id = s.account_id"      \
	" AND k.state IN " LC_JURY_CONFLICT_IN_FORCE ")"

/* The distinct ids of column col of the counted sheets, in order, as a JSON array. */
static int ids_of(struct lc_db *db, long year, const char *sql, json_t **out)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	json_t *a = json_array();
	int rc;
	while (lc_db_next(db, st, &rc))
		json_array_append_new(a, json_pack("{s:I, s:s}", "id",
		                                   (json_int_t)sqlite3_column_int64(st, 0), "name",
		                                   lc_db_text(st, 1)));
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

static size_t index_of(const json_t *list, int64_t id)
{
	size_t i;
	const json_t *x;
	json_array_foreach(list, i, x)
	{
		if (json_integer_value(json_object_get(x, "id")) == id)
			return i;
	}
	return SIZE_MAX;
}

int lc_jury_ranking_input(struct lc_db *db, const struct lc_actor *actor, long year,
                          struct lc_award_input *in, struct lc_diag *d)
{
	lc_award_input_init(in);
	int err = lc_authz_check(actor, LC_ACT_MANAGE_AWARD, NULL);
	if (err)
		return err;
	struct lc_award_round r = {0};
	json_t *noms = NULL, *jurors = NULL;
	err = lc_award_round_load(db, year, &r);
	if (!err)
		err = ids_of(db, year,
		             "SELECT DISTINCT s.item_id, c.slug" COUNTED " ORDER BY s.item_id",
		             &noms);
	if (err)
		goto out;
	err = ids_of(db, year,
	             "SELECT DISTINCT s.account_id, a.email_norm" COUNTED " ORDER BY s.account_id",
	             &jurors);
	if (err)
		goto out;
	size_t nc = json_array_size(r.criteria);
	if (!json_array_size(noms) || !json_array_size(jurors) || !nc) {
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_jury_no_scores", LC_ARG_I("year", year));
		err = LC_EINVAL;
		goto out;
	}
	err = lc_award_input_alloc(in, json_array_size(noms), json_array_size(jurors), nc);
	if (err)
		goto out;
	size_t i;
	const json_t *x;
	json_array_foreach(noms, i, x) in->noms[i] =
	    lc_xstrdup(json_string_value(json_object_get(x, "name")));
	json_array_foreach(jurors, i, x) in->jurors[i] =
	    lc_xstrdup(json_string_value(json_object_get(x, "name")));
	json_array_foreach(r.criteria, i, x)
	{
		in->crits[i] = lc_xstrdup(json_string_value(json_object_get(x, "id")));
		in->weight[i] = json_number_value(json_object_get(x, "weight"));
		in->independent[i] = truthy(json_object_get(x, "independent"));
	}
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT s.item_id, s.account_id, x.criterion, x.score" COUNTED
	                   " AND x.score IS NOT NULL");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, year);
	int rc;
	while (lc_db_next(db, st, &rc)) {
		size_t ni = index_of(noms, sqlite3_column_int64(st, 0));
		size_t ji = index_of(jurors, sqlite3_column_int64(st, 1));
		size_t ci = SIZE_MAX;
		json_array_foreach(r.criteria, i, x)
		{
			if (strcmp(json_string_value(json_object_get(x, "id")),
			           lc_db_text(st, 2)) == 0)
				ci = i;
		}
		/* A criterion the round no longer has counts nowhere. */
		if (ni == SIZE_MAX || ji == SIZE_MAX || ci == SIZE_MAX)
			continue;
		in->score[(ni * in->n_jurors + ji) * in->n_crit + ci] =
		    sqlite3_column_double(st, 3);
	}
	lc_db_release(db, st);
	err = rc < 0 ? rc : 0;
out:
	if (err)
		lc_award_input_cleanup(in);
	json_decref(noms);
	json_decref(jurors);
	lc_award_round_cleanup(&r);
	return err;
}

int lc_jury_rank(struct lc_db *db, const struct lc_actor *actor, long year,
                 const struct lc_award_opts *opts, struct lc_award_input *in,
                 struct lc_award_result *r, struct lc_diag *d)
{
	memset(r, 0, sizeof(*r));
	int err = lc_jury_ranking_input(db, actor, year, in, d);
	if (!err)
		err = lc_award_rank(in, opts, r, d);
	return err;
}
