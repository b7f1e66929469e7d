/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The award's decision and its publication (award_decision.h): pending
 * decisions in award_decisions, the caps checked when an awardee is
 * marked, and one publish step that makes them public and tells the
 * cities and their National Commissions.
 */
#include "domain/award/award_decision.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/award/award_round.h"
#include "domain/platform/audit.h"
#include "domain/platform/clock.h"
#include "domain/platform/outbox.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"

/* The round's caps and whether it is published. 0, LC_ENOTFOUND, LC_EDB. */
static int round_state(struct lc_db *db, long year, struct lc_award_round *r, bool *published,
                       json_t **published_at)
{
	int err = lc_award_round_load(db, year, r);
	if (err)
		return err;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT published_at IS NOT NULL,"
	                   " strftime('%Y-%m-%dT%H:%M:%SZ', published_at, 'unixepoch')"
	                   " FROM award_round_settings WHERE year = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	int rc = lc_db_step(db, st);
	*published = rc == 1 && sqlite3_column_int(st, 0) != 0;
	if (published_at)
		*published_at = rc == 1 ? lc_row_str(st, 1) : json_null();
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static json_t *cap_json(long v)
{
	return v > 0 ? json_integer(v) : json_null();
}

int lc_award_decisions(struct lc_db *db, const struct lc_actor *actor, long year, const char *lang,
                       json_t **out)
{
	*out = NULL;
	int err = lc_authz_check(actor, LC_ACT_MANAGE_AWARD, NULL);
	if (err)
		return err;
	struct lc_award_round r = {0};
	bool published = false;
	json_t *at = NULL;
	err = round_state(db, year, &r, &published, &at);
	if (err)
		goto out;
	char path[8];
	lc_text_lang_path(lang, path, sizeof path);
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT n.item_id, i.state, c.slug, " LC_ROW_TR(
	            "c.name") ", c.country, k.region, coalesce(x.decision, 'none')"
	                      " FROM award_nominations n JOIN wf_items i ON i.id = n.item_id"
	                      " JOIN cities c ON c.id = n.city_id"
	                      " LEFT JOIN countries k ON k.alpha2 = c.country"
	                      " LEFT JOIN award_decisions x ON x.item_id = n.item_id"
	                      " WHERE n.round_year = ?2 AND i.state = 'complete'"
	                      " ORDER BY c.country, " LC_ROW_TR("c.sort_key") ", n.item_id");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	lc_db_bind_text(st, 1, path);
	sqlite3_bind_int64(st, 2, year);
	json_t *items = json_array();
	long awardees = 0, shortlisted = 0;
	int rc;
	while (lc_db_next(db, st, &rc)) {
		const char *dec = lc_db_text(st, 6);
		awardees += strcmp(dec, "awardee") == 0;
		shortlisted += strcmp(dec, "shortlisted") == 0;
		json_array_append_new(
		    items, json_pack("{s:o, s:o, s:{s:o, s:o, s:o, s:o}, s:s, s:b}", "nomination",
		                     lc_row_int(st, 0), "state", lc_row_str(st, 1), "city", "slug",
		                     lc_row_str(st, 2), "name", lc_row_str(st, 3), "country",
		                     lc_row_str(st, 4), "region", lc_row_str(st, 5), "decision",
		                     dec, "decidable", !published));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(items);
		err = rc;
		goto out;
	}
	*out = json_pack("{s:I, s:b, s:O, s:o, s:o, s:I, s:I, s:o}", "year", (json_int_t)year,
	                 "published", published, "published_at", at, "cap_per_country",
	                 cap_json(r.cap_per_country), "cap_per_region", cap_json(r.cap_per_region),
	                 "awardees", (json_int_t)awardees, "shortlisted", (json_int_t)shortlisted,
	                 "items", items);
out:
	json_decref(at);
	lc_award_round_cleanup(&r);
	return err;
}

/* The nomination's state, city, country and region; 0, LC_ENOTFOUND (not of round year). */
struct nom {
	char state[32], decision[16], country[3], region[8];
	json_t *city; /* owned: the city's name */
};

static int nom_of(struct lc_db *db, long year, int64_t id, struct nom *n)
{
	memset(n, 0, sizeof *n);
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT i.state, coalesce(x.decision, 'none'), c.country, coalesce(k.region, ''),"
	        " json_extract(c.name, '$.en') FROM award_nominations n"
	        " JOIN wf_items i ON i.id = n.item_id JOIN cities c ON c.id = n.city_id"
	        " LEFT JOIN countries k ON k.alpha2 = c.country"
	        " LEFT JOIN award_decisions x ON x.item_id = n.item_id"
	        " WHERE n.item_id = ?1 AND n.round_year = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, year);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		snprintf(n->state, sizeof n->state, "%s", lc_db_text(st, 0));
		snprintf(n->decision, sizeof n->decision, "%s", lc_db_text(st, 1));
		snprintf(n->country, sizeof n->country, "%s", lc_db_text(st, 2));
		snprintf(n->region, sizeof n->region, "%s", lc_db_text(st, 3));
		n->city = lc_row_str(st, 4);
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

/*
 * The awardees of round year other than item id in the country (by_region
 * false) or the region: how many, and the English name of one of them.
 */
static int awarded_in(struct lc_db *db, long year, int64_t id, bool by_region, const char *where,
                      long *count, char *city, size_t n)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db, by_region
	            ? "SELECT count(*), min(json_extract(c.name, '$.en'))"
	              " FROM award_decisions x JOIN award_nominations n ON n.item_id = x.item_id"
	              " JOIN cities c ON c.id = n.city_id JOIN countries k ON k.alpha2 = c.country"
	              " WHERE x.round_year = ?1 AND x.decision = 'awardee' AND x.item_id <> ?2"
	              " AND k.region = ?3"
	            : "SELECT count(*), min(json_extract(c.name, '$.en'))"
	              " FROM award_decisions x JOIN award_nominations n ON n.item_id = x.item_id"
	              " JOIN cities c ON c.id = n.city_id"
	              " WHERE x.round_year = ?1 AND x.decision = 'awardee' AND x.item_id <> ?2"
	              " AND c.country = ?3");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	sqlite3_bind_int64(st, 2, id);
	lc_db_bind_text(st, 3, where);
	int rc = lc_db_step(db, st);
	*count = rc == 1 ? (long)sqlite3_column_int64(st, 0) : 0;
	snprintf(city, n, "%s", rc == 1 && lc_db_text(st, 1) ? lc_db_text(st, 1) : "");
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_award_decide(struct lc_db *db, const struct lc_actor *actor, long year, int64_t item_id,
                    const char *decision, struct lc_diag *d)
{
	int err = lc_authz_check(actor, LC_ACT_MANAGE_AWARD, NULL);
	if (err)
		return err;
	struct lc_award_round r = {0};
	struct nom n = {0};
	bool published = false;
	err = round_state(db, year, &r, &published, NULL);
	if (!err)
		err = nom_of(db, year, item_id, &n);
	if (err)
		goto out;
	if (!decision || (strcmp(decision, "none") != 0 && strcmp(decision, "shortlisted") != 0 &&
	                  strcmp(decision, "awardee") != 0)) {
		lc_diag_addf(d, NULL, 0, 0, "decision", "err_decision_value",
		             LC_ARG_S("value", decision ? decision : ""));
		err = LC_EINVAL;
		goto out;
	}
	if (published) {
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_decision_published", LC_ARG_I("year", year));
		err = LC_ECONFLICT;
		goto out;
	}
	if (strcmp(n.state, "complete") != 0) {
		char key[64];
		snprintf(key, sizeof key, "nomination_state_%s", n.state);
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_decision_state", LC_ARG_K("state", key));
		err = LC_ECONFLICT;
		goto out;
	}
	if (strcmp(decision, "awardee") == 0) {
		long count = 0;
		char city[256];
		err = awarded_in(db, year, item_id, false, n.country, &count, city, sizeof city);
		if (err)
			goto out;
		if (r.cap_per_country > 0 && count >= r.cap_per_country) {
			lc_diag_addf(d, NULL, 0, 0, "decision", "err_decision_cap_country",
			             LC_ARG_I("cap", r.cap_per_country),
			             LC_ARG_S("country", n.country), LC_ARG_S("city", city));
			err = LC_ECONFLICT;
		}
		if (n.region[0] && r.cap_per_region > 0) {
			int e2 = awarded_in(db, year, item_id, true, n.region, &count, city,
			                    sizeof city);
			if (e2) {
				err = e2;
				goto out;
			}
			if (count >= r.cap_per_region) {
				lc_diag_addf(d, NULL, 0, 0, "decision", "err_decision_cap_region",
				             LC_ARG_I("cap", r.cap_per_region),
				             LC_ARG_S("region", n.region), LC_ARG_S("city", city));
				err = LC_ECONFLICT;
			}
		}
		if (err)
			goto out;
	}
	if (strcmp(decision, n.decision) == 0)
		goto out; /* no change */
	err = lc_db_begin(db);
	if (err)
		goto out;
	sqlite3_stmt *st =
	    strcmp(decision, "none") == 0
	        ? lc_db_stmt(db, "DELETE FROM award_decisions WHERE item_id = ?1")
	        : lc_db_stmt(db, "INSERT INTO award_decisions (item_id, round_year, decision,"
	                         " decided_by, decided_at) VALUES (?1, ?2, ?3, ?4, ?5)"
	                         " ON CONFLICT DO UPDATE SET decision = ?3, decided_by = ?4,"
	                         " decided_at = ?5");
	if (!st) {
		err = LC_EDB;
	} else {
		sqlite3_bind_int64(st, 1, item_id);
		if (strcmp(decision, "none") != 0) {
			sqlite3_bind_int64(st, 2, year);
			lc_db_bind_text(st, 3, decision);
			lc_db_bind_text(st, 4, actor->email[0] ? actor->email : "system");
			sqlite3_bind_int64(st, 5, lc_clock_now());
		}
		int rc = lc_db_step(db, st);
		lc_db_release(db, st);
		err = rc < 0 ? rc : 0;
	}
	if (!err) {
		json_t *before = json_pack("{s:s}", "decision", n.decision);
		json_t *after = json_pack("{s:s}", "decision", decision);
		err = lc_audit_append_id(db, actor, "award.decision", "nomination", item_id, before,
		                         after, NULL);
		json_decref(before);
		json_decref(after);
	}
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
out:
	json_decref(n.city);
	lc_award_round_cleanup(&r);
	return err;
}

/* The first active account holding role (coordinator of city ?2, or natcom of country ?3). */
static int first_holder(struct lc_db *db, const char *role, int64_t city_id, const char *country,
                        char *to, size_t n)
{
	to[0] = '\0';
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT a.email FROM role_grants g JOIN accounts a ON a.id = g.account_id"
	        " WHERE g.role = ?1 AND a.status = 'active' AND (g.city_id = ?2 OR g.country = ?3)"
	        " ORDER BY g.created_at, g.id LIMIT 1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, role);
	if (city_id)
		sqlite3_bind_int64(st, 2, city_id);
	lc_db_bind_text(st, 3, country);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		snprintf(to, n, "%s", lc_db_text(st, 0));
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* The e-mails of the publication: one per nominated city, one per nominating country. */
static int tell(struct lc_db *db, const struct lc_actor *actor, long year, long *mails)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT n.city_id, json_extract(c.name, '$.en'), c.country,"
	        " coalesce(x.decision, 'none') = 'awardee' FROM award_nominations n"
	        " JOIN wf_items i ON i.id = n.item_id JOIN cities c ON c.id = n.city_id"
	        " LEFT JOIN award_decisions x ON x.item_id = n.item_id"
	        " WHERE n.round_year = ?1 AND i.state = 'complete' ORDER BY c.country, n.item_id");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	json_t *countries = json_object();
	int rc, err = 0;
	char path[32], to[320];
	snprintf(path, sizeof path, "/awards/%ld", year);
	while (!err && lc_db_next(db, st, &rc)) {
		const char *country = lc_db_text(st, 2);
		bool awarded = sqlite3_column_int(st, 3) != 0;
		json_t *city =
		    json_pack("{s:s, s:b}", "name", lc_db_text(st, 1), "awarded", awarded);
		json_t *list = json_object_get(countries, country);
		if (!list) {
			list = json_array();
			json_object_set_new(countries, country, list);
		}
		json_array_append(list, city);
		err =
		    first_holder(db, "coordinator", sqlite3_column_int64(st, 0), "", to, sizeof to);
		if (!err && to[0]) {
			json_t *vars =
			    json_pack("{s:I, s:O, s:b, s:s, s:b}", "year", (json_int_t)year, "city",
			              json_object_get(city, "name"), "awarded", awarded, "path",
			              path, "natcom", false);
			err = lc_outbox_mail(db, actor, to, "award_result", vars, NULL, NULL);
			json_decref(vars);
			*mails += !err;
		}
		json_decref(city);
	}
	lc_db_release(db, st);
	if (!err && rc < 0)
		err = rc;
	const char *country;
	json_t *list;
	json_object_foreach(countries, country, list)
	{
		if (err)
			break;
		err = first_holder(db, "natcom", 0, country, to, sizeof to);
		if (!err && to[0]) {
			json_t *vars = json_pack("{s:I, s:s, s:O, s:s, s:b}", "year",
			                         (json_int_t)year, "country", country, "cities",
			                         list, "path", path, "natcom", true);
			err = lc_outbox_mail(db, actor, to, "award_result", vars, NULL, NULL);
			json_decref(vars);
			*mails += !err;
		}
	}
	json_decref(countries);
	return err;
}

static int exec1(struct lc_db *db, const char *sql, long year)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, year);
	sqlite3_bind_int64(st, 2, lc_clock_now());
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_award_publish(struct lc_db *db, const struct lc_actor *actor, long year, long *awardees,
                     long *mails, struct lc_diag *d)
{
	*awardees = *mails = 0;
	int err = lc_authz_check(actor, LC_ACT_MANAGE_AWARD, NULL);
	if (err)
		return err;
	struct lc_award_round r = {0};
	bool published = false;
	err = round_state(db, year, &r, &published, NULL);
	lc_award_round_cleanup(&r);
	if (err)
		return err;
	if (published) {
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_decision_published", LC_ARG_I("year", year));
		return LC_ECONFLICT;
	}
	err = lc_db_begin(db);
	if (err)
		return err;
	err = exec1(db,
	            "INSERT INTO awards (round_year, city_id, provenance) SELECT ?1, n.city_id,"
	            " 'verified' FROM award_decisions x JOIN award_nominations n"
	            " ON n.item_id = x.item_id WHERE x.round_year = ?1 AND x.decision = 'awardee'"
	            " AND ?2 IS NOT NULL",
	            year);
	if (!err)
		*awardees = (long)lc_db_changes(db);
	if (!err && *awardees == 0) {
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_decision_no_awardee",
		             LC_ARG_I("year", year));
		err = LC_EINVAL;
	}
	if (!err)
		err = exec1(db, "UPDATE award_round_settings SET published_at = ?2 WHERE year = ?1",
		            year);
	if (!err)
		err = tell(db, actor, year, mails);
	if (!err) {
		json_t *after = json_pack("{s:I, s:I}", "awardees", (json_int_t)*awardees, "mails",
		                          (json_int_t)*mails);
		err = lc_audit_append_id(db, actor, "award.publish", "award_round", year, NULL,
		                         after, NULL);
		json_decref(after);
	}
	if (!err)
		err = lc_db_commit(db);
	if (err) {
		lc_db_rollback(db);
		*awardees = *mails = 0;
	}
	return err;
}
