/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A juror's own view of its work (jury.h, lc_jury_mine): per round it
 * judges, the nominations it reads with the state of its sheet, how many
 * it has submitted, and its conflicts. It reads only what lc_jury_sees
 * allows (LC_JURY_VISIBLE_SQL): a nomination kept away by a conflict is in
 * no list and no count. In a blind round the city is left out.
 */
#include "domain/award/jury.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/accounts/role.h"
#include "domain/award/award_round.h"
#include "domain/award/nomination.h"
#include "domain/platform/clock.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"

int lc_jury_round_blind(struct lc_db *db, long year, bool *blind)
{
	*blind = false;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT blind FROM award_round_settings WHERE year = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*blind = sqlite3_column_int(st, 0) != 0;
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* The nominations juror actor reads in round year, with its sheet's state; counts. */
static int items_of(struct lc_db *db, const struct lc_actor *actor, long year, bool blind,
                    const char *lang, json_t *round)
{
	char path[8];
	lc_text_lang_path(lang, path, sizeof path);
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT n.item_id, c.slug, " LC_ROW_TR(
	            "c.name") ", c.country, coalesce(s.state, 'none')"
	                      " FROM award_nominations n JOIN cities c ON c.id = n.city_id"
	                      " LEFT JOIN award_score_sheets s ON s.item_id = n.item_id"
	                      " AND s.account_id = ?2 WHERE n.round_year = ?3 AND n.item_id IN"
	                      " (" LC_JURY_VISIBLE_SQL("2") ")"
	                                                    " ORDER BY CASE WHEN ?4 THEN n.item_id "
	                                                    "END, c.country, " LC_ROW_TR(
	                                                        "c.sort_key") ", n.item_id");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, path);
	sqlite3_bind_int64(st, 2, actor->account_id);
	sqlite3_bind_int64(st, 3, year);
	sqlite3_bind_int(st, 4, blind);
	json_t *items = json_array();
	long submitted = 0, drafts = 0;
	int rc;
	while (lc_db_next(db, st, &rc)) {
		const char *state = lc_db_text(st, 4);
		json_t *e =
		    json_pack("{s:o, s:s}", "nomination", lc_row_int(st, 0), "state", state);
		/* Blind: nothing that names the city, not even its slug. */
		json_object_set_new(e, "city",
		                    blind ? json_null()
		                          : json_pack("{s:o, s:o, s:o}", "slug", lc_row_str(st, 1),
		                                      "name", lc_row_str(st, 2), "country",
		                                      lc_row_str(st, 3)));
		submitted += strcmp(state, "submitted") == 0;
		drafts += strcmp(state, "draft") == 0;
		json_array_append_new(items, e);
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	json_object_set_new(round, "total", json_integer((json_int_t)json_array_size(items)));
	json_object_set_new(round, "submitted", json_integer(submitted));
	json_object_set_new(round, "drafts", json_integer(drafts));
	json_object_set_new(round, "items", items);
	return 0;
}

/* Juror actor's work in round year, or *out NULL when the year is not a round run here. */
static int round_of(struct lc_db *db, const struct lc_actor *actor, long year, const char *lang,
                    json_t **out)
{
	*out = NULL;
	struct lc_award_round r = {0};
	int err = lc_award_round_load(db, year, &r);
	if (err == LC_ENOTFOUND)
		return 0;
	if (err)
		return err;
	char vis[16] = "after_own";
	bool blind = false;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT score_visibility, blind FROM award_round_settings"
	                                  " WHERE year = ?1");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, year);
	if (lc_db_step(db, st) == 1) {
		snprintf(vis, sizeof vis, "%s", lc_db_text(st, 0));
		blind = sqlite3_column_int(st, 1) != 0;
	}
	lc_db_release(db, st);
	int64_t now = lc_clock_now();
	bool open = now >= lc_award_day_end(r.scoring_open) - 86400 &&
	            now <= lc_award_day_end(r.scoring_close);
	json_t *round =
	    json_pack("{s:I, s:b, s:s, s:s, s:s, s:b, s:b}", "year", (json_int_t)year, "demo",
	              r.demo, "scoring_open", r.scoring_open, "scoring_close", r.scoring_close,
	              "visibility", vis, "blind", blind, "scoring_now", open);
	err = items_of(db, actor, year, blind, lang, round);
	json_t *conflicts = NULL;
	if (!err)
		err = lc_jury_conflicts(db, actor, year, lang, &conflicts);
	if (!err) {
		json_object_set(round, "conflicts", json_object_get(conflicts, "items"));
		*out = round;
		round = NULL;
	}
	json_decref(conflicts);
	json_decref(round);
out:
	lc_award_round_cleanup(&r);
	return err;
}

int lc_jury_mine(struct lc_db *db, const struct lc_actor *actor, const char *lang, json_t **out)
{
	*out = NULL;
	if (!actor || actor->kind == LC_ACTOR_ANONYMOUS)
		return LC_EAUTH;
	json_t *rounds = json_array();
	int err = 0;
	/* Newest round first: the roles are in the order granted. */
	long years[LC_LIMIT_ACCOUNT_ROLES];
	size_t ny = 0;
	for (size_t i = 0; i < actor->nroles; i++) {
		if (actor->roles[i].kind != LC_ROLE_JURY)
			continue;
		size_t j = ny++;
		while (j > 0 && years[j - 1] < actor->roles[i].year) {
			years[j] = years[j - 1];
			j--;
		}
		years[j] = actor->roles[i].year;
	}
	for (size_t i = 0; !err && i < ny; i++) {
		json_t *round = NULL;
		err = round_of(db, actor, years[i], lang, &round);
		if (!err && round)
			json_array_append_new(rounds, round);
	}
	if (err) {
		json_decref(rounds);
		return err;
	}
	*out = json_pack("{s:o}", "rounds", rounds);
	return 0;
}

/* ---- the demonstration ---------------------------------------------------------------------- */

/* The demonstration's juror (data/demo-accounts.json) and the cities it reads. */
#define DEMO_JUROR "jury.2027@example.org"
static const char *const demo_cities[] = {"gelsenkirchen", "namyangju", "okayama", "contagem"};

int lc_jury_demo(struct lc_db *db)
{
	struct lc_actor sys;
	lc_actor_system(&sys);
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t account = 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id FROM accounts WHERE email_norm = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, DEMO_JUROR);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		account = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	/* No demonstration juror (an older accounts file): nothing to show. */
	if (rc <= 0)
		return rc;
	struct lc_role role;
	int err = lc_role_parse(db, "jury:2027", &role, NULL);
	if (!err)
		err = lc_role_grant(db, &sys, account, &role);
	if (!err)
		err = lc_jury_juror_set(db, &sys, 2027, DEMO_JUROR, NULL, NULL, 12, &d);
	for (size_t i = 0; !err && i < sizeof demo_cities / sizeof *demo_cities; i++) {
		int64_t id = 0;
		err =
		    lc_nomination_create(db, &sys, 2027, demo_cities[i],
		                         "A demonstration nomination, not a city's own.", &id, &d);
		/* Screened complete: the jury's part of the round, which the demo shows. */
		st = err ? NULL
		         : lc_db_stmt(db, "UPDATE wf_items SET state = 'complete', due_at = NULL"
		                          " WHERE id = ?1");
		if (!err && !st)
			err = LC_EDB;
		if (!err) {
			sqlite3_bind_int64(st, 1, id);
			rc = lc_db_step(db, st);
			lc_db_release(db, st);
			err = rc < 0 ? rc : 0;
		}
		if (!err)
			err = lc_jury_assign(db, &sys, 2027, id, DEMO_JUROR, &d);
	}
	lc_diag_cleanup(&d);
	return err;
}
