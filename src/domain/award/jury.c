/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The award's jury (jury.h): jurors and their panels, assignments within a
 * juror's load, and conflicts of interest (declared, set, suggested,
 * confirmed, dismissed). The nominations' own views ask lc_jury_sees which
 * nominations a juror reads; scores are not kept here.
 */
#include "domain/award/jury.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/account.h"
#include "domain/accounts/authz.h"
#include "domain/award/award_round.h"
#include "domain/platform/audit.h"
#include "domain/platform/clock.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"

bool lc_jury_is_juror(const struct lc_actor *actor, long year)
{
	for (size_t i = 0; actor && i < actor->nroles; i++)
		if (actor->roles[i].kind == LC_ROLE_JURY && actor->roles[i].year == year)
			return true;
	return false;
}

/* 1 when the query on ?1 = a, ?2 = b finds a row, 0 when not, or LC_EDB. */
static int exists2(struct lc_db *db, const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc;
}

int lc_jury_sees(struct lc_db *db, const struct lc_actor *actor, int64_t item_id)
{
	if (!actor || actor->kind != LC_ACTOR_ACCOUNT)
		return LC_ENOTFOUND;
	int rc = exists2(db, "SELECT 1 WHERE ?2 IN (" LC_JURY_VISIBLE_SQL("1") ")",
	                 actor->account_id, item_id);
	return rc < 0 ? rc : rc == 1 ? 0 : LC_ENOTFOUND;
}

/* What the jury needs of a nomination (the nominations module includes this one, not back). */
struct nom {
	int64_t id;
	long year;
	int64_t city_id;
	char country[3];
};

/* Nomination id. 0, LC_ENOTFOUND, LC_EDB. */
static int nom_get(struct lc_db *db, int64_t id, struct nom *it)
{
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT n.round_year, n.city_id, c.country"
	                   " FROM award_nominations n JOIN cities c ON c.id = n.city_id"
	                   " WHERE n.item_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		it->id = id;
		it->year = (long)sqlite3_column_int64(st, 0);
		it->city_id = sqlite3_column_int64(st, 1);
		snprintf(it->country, sizeof it->country, "%s", lc_db_text(st, 2));
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 1 ? 0 : LC_ENOTFOUND;
}

/* ---- jurors ------------------------------------------------------------------------------- */

static const char *const regions[] = {"AFR", "ARB", "APA", "EUR", "LAC"};

static bool region_ok(const char *r)
{
	for (size_t i = 0; i < sizeof regions / sizeof *regions; i++)
		if (strcmp(regions[i], r) == 0)
			return true;
	return false;
}

/* The panel of region in round year, created when missing. */
static int panel_of(struct lc_db *db, long year, const char *region, int64_t *id)
{
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO award_panels (round_year, name, region)"
	                                  " VALUES (?1, ?2, ?2) ON CONFLICT DO NOTHING");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	lc_db_bind_text(st, 2, region);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	st = lc_db_stmt(db, "SELECT id FROM award_panels WHERE round_year = ?1 AND name = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	lc_db_bind_text(st, 2, region);
	rc = lc_db_step(db, st);
	if (rc == 1)
		*id = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 1 ? 0 : LC_EDB;
}

/* Finds the account of email holding jury:year (problems in d under field). */
static int juror_account(struct lc_db *db, long year, const char *email, const char *field,
                         struct lc_account *acc, struct lc_diag *d)
{
	if (!email || !*email || lc_account_find(db, email, acc) != 0) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_jury_not_juror",
		             LC_ARG_S("email", email ? email : ""), LC_ARG_I("year", year));
		return LC_EINVAL;
	}
	int rc = exists2(db,
	                 "SELECT 1 FROM role_grants WHERE account_id = ?1 AND role = 'jury'"
	                 " AND year = ?2",
	                 acc->id, year);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_jury_not_juror", LC_ARG_S("email", email),
		             LC_ARG_I("year", year));
		return LC_EINVAL;
	}
	return 0;
}

int lc_jury_juror_set(struct lc_db *db, const struct lc_actor *actor, long year, const char *email,
                      const char *country, const char *panel, long load, struct lc_diag *d)
{
	int err = lc_authz_check(actor, LC_ACT_MANAGE_AWARD, NULL);
	if (err)
		return err;
	struct lc_award_round r = {0};
	err = lc_award_round_load(db, year, &r);
	lc_award_round_cleanup(&r);
	if (err)
		return err;
	struct lc_account acc;
	int bad = juror_account(db, year, email, "juror", &acc, d);
	if (bad && bad != LC_EINVAL)
		return bad;
	char cc[3] = "";
	if (country && *country) {
		if (strlen(country) == 2) {
			cc[0] = (char)(country[0] & ~0x20);
			cc[1] = (char)(country[1] & ~0x20);
		}
		int rc = exists2(db, "SELECT 1 FROM countries WHERE alpha2 = char(?1, ?2)",
		                 (unsigned char)cc[0], (unsigned char)cc[1]);
		if (rc < 0)
			return rc;
		if (rc == 0 || !cc[0]) {
			lc_diag_addf(d, NULL, 0, 0, "country", "err_jury_country",
			             LC_ARG_S("value", country));
			bad = LC_EINVAL;
		}
	}
	if (panel && *panel && !region_ok(panel)) {
		lc_diag_addf(d, NULL, 0, 0, "panel", "err_jury_panel", LC_ARG_S("value", panel));
		bad = LC_EINVAL;
	}
	if (load < 1 || load > LC_LIMIT_AWARD_JUROR_LOAD) {
		lc_diag_addf(d, NULL, 0, 0, "load", "err_jury_load_range",
		             LC_ARG_I("max", LC_LIMIT_AWARD_JUROR_LOAD));
		bad = LC_EINVAL;
	}
	if (bad)
		return bad;
	err = lc_db_begin(db);
	if (err)
		return err;
	int64_t panel_id = 0;
	if (panel && *panel)
		err = panel_of(db, year, panel, &panel_id);
	sqlite3_stmt *st = NULL;
	if (!err) {
		st =
		    lc_db_stmt(db, "INSERT INTO award_jurors (round_year, account_id, panel_id,"
		                   " country, max_load, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
		                   " ON CONFLICT DO UPDATE SET panel_id = ?3, country = ?4,"
		                   " max_load = ?5");
		err = st ? 0 : LC_EDB;
	}
	if (!err) {
		sqlite3_bind_int64(st, 1, year);
		sqlite3_bind_int64(st, 2, acc.id);
		if (panel_id)
			sqlite3_bind_int64(st, 3, panel_id);
		if (cc[0])
			lc_db_bind_text(st, 4, cc);
		sqlite3_bind_int64(st, 5, load);
		sqlite3_bind_int64(st, 6, lc_clock_now());
		int rc = lc_db_step(db, st);
		lc_db_release(db, st);
		err = rc < 0 ? rc : 0;
	}
	if (!err) {
		json_t *after = json_pack("{s:I, s:s, s:s?, s:s?, s:I}", "year", (json_int_t)year,
		                          "juror", acc.email, "country", cc[0] ? cc : NULL, "panel",
		                          panel && *panel ? panel : NULL, "load", (json_int_t)load);
		err = lc_audit_append_id(db, actor, "award.juror", "account", acc.id, NULL, after,
		                         NULL);
		json_decref(after);
	}
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

/* ---- assignments -------------------------------------------------------------------------- */

/* The juror's row: country ("" unknown) and load. 1 found, 0 not, LC_EDB. */
static int juror_row(struct lc_db *db, long year, int64_t account_id, char country[3], long *load)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT coalesce(country, ''), max_load FROM award_jurors"
	                                  " WHERE round_year = ?1 AND account_id = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	sqlite3_bind_int64(st, 2, account_id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		snprintf(country, 3, "%s", lc_db_text(st, 0));
		*load = (long)sqlite3_column_int64(st, 1);
	}
	lc_db_release(db, st);
	return rc;
}

/* Records a suggested conflict of the pair, unless the pair already has one. */
static int suggest(struct lc_db *db, const struct lc_actor *actor, int64_t item_id,
                   int64_t account_id, const char *type)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db,
	    "INSERT INTO award_conflicts (item_id, account_id, type, state, updated_by,"
	    " updated_at) VALUES (?1, ?2, ?3, 'suggested', 'system', ?4) ON CONFLICT DO NOTHING");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, item_id);
	sqlite3_bind_int64(st, 2, account_id);
	lc_db_bind_text(st, 3, type);
	sqlite3_bind_int64(st, 4, lc_clock_now());
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (lc_db_changes(db) == 0)
		return 0;
	json_t *after = json_pack("{s:I, s:s, s:s}", "juror", (json_int_t)account_id, "type", type,
	                          "state", "suggested");
	rc = lc_audit_append_id(db, actor, "award.conflict", "nomination", item_id, NULL, after,
	                        NULL);
	json_decref(after);
	return rc;
}

/*
 * What the system sees of the pair: the juror's country is the city's; the
 * juror's e-mail domain is one of the city's coordinators', and not a
 * public mail domain.
 */
static int suggest_for(struct lc_db *db, const struct lc_actor *actor, const struct nom *it,
                       const struct lc_account *acc, const char *country)
{
	if (*country && strcasecmp(country, it->country) == 0) {
		int err = suggest(db, actor, it->id, acc->id, "own_country");
		if (err)
			return err;
	}
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT 1 FROM role_grants g JOIN accounts a ON a.id = g.account_id"
	        " WHERE g.role = 'coordinator' AND g.city_id = ?1"
	        " AND substr(a.email_norm, instr(a.email_norm, '@') + 1) = lower(?2)"
	        " AND lower(?2) NOT IN (SELECT domain FROM public_mail_domains) LIMIT 1");
	if (!st)
		return LC_EDB;
	const char *at = strrchr(acc->email, '@');
	sqlite3_bind_int64(st, 1, it->city_id);
	lc_db_bind_text(st, 2, at ? at + 1 : "");
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	return rc == 1 ? suggest(db, actor, it->id, acc->id, "employer_adviser") : 0;
}

int lc_jury_assign(struct lc_db *db, const struct lc_actor *actor, long year, int64_t item_id,
                   const char *email, struct lc_diag *d)
{
	int err = lc_authz_check(actor, LC_ACT_MANAGE_AWARD, NULL);
	if (err)
		return err;
	struct nom it;
	err = nom_get(db, item_id, &it);
	if (!err && it.year != year)
		err = LC_ENOTFOUND;
	if (err)
		return err;
	struct lc_account acc;
	err = juror_account(db, it.year, email, "juror", &acc, d);
	if (err)
		return err;
	char country[3] = "";
	long load = 0;
	int rc = juror_row(db, it.year, acc.id, country, &load);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		lc_diag_addf(d, NULL, 0, 0, "juror", "err_jury_not_juror", LC_ARG_S("email", email),
		             LC_ARG_I("year", it.year));
		return LC_EINVAL;
	}
	rc = exists2(db, "SELECT 1 FROM award_assignments WHERE item_id = ?1 AND account_id = ?2",
	             item_id, acc.id);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	rc = exists2(db,
	             "SELECT 1 FROM award_conflicts WHERE item_id = ?1 AND account_id = ?2"
	             " AND state IN " LC_JURY_CONFLICT_IN_FORCE,
	             item_id, acc.id);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		lc_diag_addf(d, NULL, 0, 0, "juror", "err_jury_conflicted",
		             LC_ARG_S("email", email));
		return LC_ECONFLICT;
	}
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT count(*) FROM award_assignments a"
	                                  " JOIN award_nominations n ON n.item_id = a.item_id"
	                                  " WHERE a.account_id = ?1 AND n.round_year = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, acc.id);
	sqlite3_bind_int64(st, 2, it.year);
	rc = lc_db_step(db, st);
	long have = rc == 1 ? (long)sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (have >= load) {
		lc_diag_addf(d, NULL, 0, 0, "juror", "err_jury_load", LC_ARG_S("email", email),
		             LC_ARG_I("load", load));
		return LC_ECONFLICT;
	}
	err = lc_db_begin(db);
	if (err)
		return err;
	st = lc_db_stmt(db, "INSERT INTO award_assignments (item_id, account_id, assigned_by,"
	                    " assigned_at) VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		err = LC_EDB;
	if (!err) {
		sqlite3_bind_int64(st, 1, item_id);
		sqlite3_bind_int64(st, 2, acc.id);
		lc_db_bind_text(st, 3, actor->kind == LC_ACTOR_SYSTEM ? "system" : actor->email);
		sqlite3_bind_int64(st, 4, lc_clock_now());
		rc = lc_db_step(db, st);
		lc_db_release(db, st);
		err = rc < 0 ? rc : 0;
	}
	if (!err) {
		json_t *after = json_pack("{s:s}", "juror", acc.email);
		err = lc_audit_append_id(db, actor, "award.assign", "nomination", item_id, NULL,
		                         after, NULL);
		json_decref(after);
	}
	if (!err)
		err = suggest_for(db, actor, &it, &acc, country);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

/* ---- conflicts ---------------------------------------------------------------------------- */

static const char *const types[] = {"own_country", "nominating_body", "employer_adviser",
                                    "personal", "other"};

static bool type_ok(const char *t)
{
	for (size_t i = 0; t && i < sizeof types / sizeof *types; i++)
		if (strcmp(types[i], t) == 0)
			return true;
	return false;
}

/* The pair's conflict: 1 with type and state, 0 none, LC_EDB. */
static int conflict_of(struct lc_db *db, int64_t item_id, int64_t account_id, char type[24],
                       char state[16])
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT type, state FROM award_conflicts"
	                                  " WHERE item_id = ?1 AND account_id = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, item_id);
	sqlite3_bind_int64(st, 2, account_id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		snprintf(type, 24, "%s", lc_db_text(st, 0));
		snprintf(state, 16, "%s", lc_db_text(st, 1));
	}
	lc_db_release(db, st);
	return rc;
}

/* Writes the pair's conflict (type, state, reason) with its audit row. */
static int write_conflict(struct lc_db *db, const struct lc_actor *actor, int64_t item_id,
                          int64_t account_id, const char *old_type, const char *old_state,
                          const char *type, const char *state, const char *reason)
{
	int err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(
	    db, "INSERT INTO award_conflicts (item_id, account_id, type, state, reason, updated_by,"
	        " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO UPDATE SET"
	        " type = ?3, state = ?4, reason = ?5, updated_by = ?6, updated_at = ?7");
	if (!st)
		err = LC_EDB;
	if (!err) {
		sqlite3_bind_int64(st, 1, item_id);
		sqlite3_bind_int64(st, 2, account_id);
		lc_db_bind_text(st, 3, type);
		lc_db_bind_text(st, 4, state);
		if (reason && *reason)
			lc_db_bind_text(st, 5, reason);
		lc_db_bind_text(st, 6, actor->kind == LC_ACTOR_SYSTEM ? "system" : actor->email);
		sqlite3_bind_int64(st, 7, lc_clock_now());
		int rc = lc_db_step(db, st);
		lc_db_release(db, st);
		err = rc < 0 ? rc : 0;
	}
	if (!err) {
		json_t *before = old_state
		                     ? json_pack("{s:I, s:s, s:s}", "juror", (json_int_t)account_id,
		                                 "type", old_type, "state", old_state)
		                     : NULL;
		json_t *after = json_pack("{s:I, s:s, s:s}", "juror", (json_int_t)account_id,
		                          "type", type, "state", state);
		err = lc_audit_append_id(db, actor, "award.conflict", "nomination", item_id, before,
		                         after, reason && *reason ? reason : NULL);
		json_decref(before);
		json_decref(after);
	}
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

/* True when s has a character other than white space. */
static bool has_text(const char *s)
{
	for (; s && *s; s++)
		if (!strchr(" \t\r\n", *s))
			return true;
	return false;
}

/* The step is not open from the conflict's state (said with the state). */
static int not_open(struct lc_diag *d, const char *action, const char *state)
{
	lc_diag_addf(d, NULL, 0, 0, "action", "err_jury_conflict_step", LC_ARG_S("action", action),
	             LC_ARG_S("state", state ? state : "none"));
	return LC_ECONFLICT;
}

int lc_jury_conflict(struct lc_db *db, const struct lc_actor *actor, long year, const json_t *body,
                     struct lc_diag *d)
{
	if (!actor || actor->kind == LC_ACTOR_ANONYMOUS)
		return LC_EAUTH;
	bool admin = lc_authz_check(actor, LC_ACT_MANAGE_AWARD, NULL) == 0;
	bool juror = lc_jury_is_juror(actor, year);
	if (!admin && !juror)
		return LC_EPERM;
	struct lc_award_round r = {0};
	int err = lc_award_round_load(db, year, &r);
	lc_award_round_cleanup(&r);
	if (err)
		return err;
	const char *action = json_string_value(json_object_get(body, "action"));
	const char *type = json_string_value(json_object_get(body, "type"));
	const char *reason = json_string_value(json_object_get(body, "reason"));
	const json_t *nom = json_object_get(body, "nomination");
	int64_t item_id = json_is_integer(nom) ? (int64_t)json_integer_value(nom) : 0;
	static const char *const juror_steps[] = {"declare", "withdraw"};
	static const char *const admin_steps[] = {"set", "confirm", "dismiss"};
	bool mine = false, theirs = false;
	for (size_t i = 0; action && i < 2; i++)
		mine = mine || strcmp(action, juror_steps[i]) == 0;
	for (size_t i = 0; action && i < 3; i++)
		theirs = theirs || strcmp(action, admin_steps[i]) == 0;
	if (!mine && !theirs) {
		lc_diag_addf(d, NULL, 0, 0, "action", "err_jury_action",
		             LC_ARG_S("value", action ? action : ""));
		return LC_EINVAL;
	}
	if ((mine && !juror) || (theirs && !admin))
		return LC_EPERM;
	if (item_id <= 0) {
		lc_diag_add(d, NULL, 0, 0, "nomination", "err_jury_nomination");
		return LC_EINVAL;
	}
	struct nom it;
	err = nom_get(db, item_id, &it);
	if (!err && it.year != year)
		err = LC_ENOTFOUND;
	if (err)
		return err;
	struct lc_account acc = {0};
	if (mine) {
		acc.id = actor->account_id;
		snprintf(acc.email, sizeof acc.email, "%s", actor->email);
		/* A juror acts on what it was assigned: declared or not, the pair exists. */
		int rc = exists2(db,
		                 "SELECT 1 FROM award_assignments WHERE item_id = ?1"
		                 " AND account_id = ?2",
		                 item_id, acc.id);
		if (rc <= 0)
			return rc < 0 ? rc : LC_ENOTFOUND;
	} else {
		err = juror_account(db, year, json_string_value(json_object_get(body, "juror")),
		                    "juror", &acc, d);
		if (err)
			return err;
	}
	bool needs_type = strcmp(action, "declare") == 0 || strcmp(action, "set") == 0;
	if (needs_type && !type_ok(type)) {
		lc_diag_addf(d, NULL, 0, 0, "type", "err_jury_type",
		             LC_ARG_S("value", type ? type : ""));
		err = LC_EINVAL;
	}
	if (reason && strlen(reason) > LC_LIMIT_REASON_BYTES) {
		lc_diag_addf(d, NULL, 0, 0, "reason", "err_jury_reason",
		             LC_ARG_I("max", LC_LIMIT_REASON_BYTES));
		err = LC_EINVAL;
	}
	if (strcmp(action, "dismiss") == 0 && !has_text(reason)) {
		lc_diag_add(d, NULL, 0, 0, "reason", "err_jury_reason_needed");
		err = LC_EINVAL;
	}
	if (err)
		return err;
	char old_type[24] = "", old_state[16] = "";
	int rc = conflict_of(db, item_id, acc.id, old_type, old_state);
	if (rc < 0)
		return rc;
	const char *had = rc == 1 ? old_state : NULL;
	const char *to = NULL, *new_type = type;
	if (strcmp(action, "declare") == 0) {
		/* Declaring over a suggestion or a withdrawn declaration; never over the
		 * secretariat. */
		if (had && strcmp(had, "suggested") != 0 && strcmp(had, "withdrawn") != 0 &&
		    strcmp(had, "dismissed") != 0)
			return not_open(d, action, had);
		to = "declared";
	} else if (strcmp(action, "withdraw") == 0) {
		if (!had || strcmp(had, "declared") != 0)
			return not_open(d, action, had);
		to = "withdrawn";
		new_type = old_type;
	} else if (strcmp(action, "set") == 0) {
		to = "confirmed";
	} else if (strcmp(action, "confirm") == 0) {
		if (!had || (strcmp(had, "suggested") != 0 && strcmp(had, "declared") != 0))
			return not_open(d, action, had);
		to = "confirmed";
		new_type = type_ok(type) ? type : old_type;
	} else {
		if (!had || strcmp(had, "suggested") != 0)
			return not_open(d, action, had);
		to = "dismissed";
		new_type = old_type;
	}
	return write_conflict(db, actor, item_id, acc.id, old_type, had, new_type, to, reason);
}

int lc_jury_conflicts(struct lc_db *db, const struct lc_actor *actor, long year, const char *lang,
                      json_t **out)
{
	*out = NULL;
	if (!actor || actor->kind == LC_ACTOR_ANONYMOUS)
		return LC_EAUTH;
	bool admin = lc_authz_check(actor, LC_ACT_MANAGE_AWARD, NULL) == 0;
	if (!admin && !lc_jury_is_juror(actor, year))
		return LC_EPERM;
	struct lc_award_round r = {0};
	int err = lc_award_round_load(db, year, &r);
	lc_award_round_cleanup(&r);
	if (err)
		return err;
	char path[8];
	lc_text_lang_path(lang, path, sizeof path);
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT k.item_id, c.slug, " LC_ROW_TR(
	            "c.name") ", c.country, a.email, a.name,"
	                      " k.type, k.state, k.reason, k.updated_by,"
	                      " strftime('%Y-%m-%dT%H:%M:%SZ', k.updated_at, 'unixepoch')"
	                      " FROM award_conflicts k JOIN award_nominations n ON n.item_id = "
	                      "k.item_id"
	                      " JOIN cities c ON c.id = n.city_id JOIN accounts a ON a.id = "
	                      "k.account_id"
	                      " WHERE n.round_year = ?2 AND (?3 OR k.account_id = ?4)"
	                      " ORDER BY k.state = 'suggested' DESC, k.item_id, a.email_norm");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, path);
	sqlite3_bind_int64(st, 2, year);
	sqlite3_bind_int(st, 3, admin);
	sqlite3_bind_int64(st, 4, actor->account_id);
	json_t *items = json_array();
	int rc;
	while (lc_db_next(db, st, &rc)) {
		json_t *e =
		    json_pack("{s:o, s:o, s:o, s:o, s:o}", "nomination", lc_row_int(st, 0), "type",
		              lc_row_str(st, 6), "state", lc_row_str(st, 7), "reason",
		              lc_row_str(st, 8), "updated_at", lc_row_str(st, 10));
		/* A juror is not shown which city its conflict keeps it away from. */
		if (admin) {
			json_object_set_new(e, "city",
			                    json_pack("{s:o, s:o, s:o}", "slug", lc_row_str(st, 1),
			                              "name", lc_row_str(st, 2), "country",
			                              lc_row_str(st, 3)));
			json_object_set_new(e, "juror",
			                    json_pack("{s:o, s:o}", "email", lc_row_str(st, 4),
			                              "name", lc_row_str(st, 5)));
			json_object_set_new(e, "updated_by", lc_row_str(st, 9));
		}
		json_array_append_new(items, e);
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:I, s:o}", "total", (json_int_t)json_array_size(items), "items", items);
	return 0;
}
