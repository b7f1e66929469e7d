/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Dated membership statuses and the membership lifecycle process (see membership.h). */
#include "domain/workflow/membership.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/platform/clock.h"
#include "domain/workflow/workflow.h"

static const char *const statuses[] = {"member", "lapsed", "suspended", "withdrawn", "applicant"};

int lc_membership_set(struct lc_db *db, const struct lc_actor *actor, int64_t city_id,
                      const char *status, const char *reason)
{
	int err = lc_authz_check(actor, LC_ACT_DECIDE_MEMBERSHIP, NULL);
	if (err)
		return err;
	if (!status || lc_str_index(statuses, sizeof statuses / sizeof *statuses, status) < 0)
		return LC_EINVAL;
	struct lc_slice r = lc_slice_trim(lc_slice_cstr(reason ? reason : ""));
	if (r.len > LC_LIMIT_REASON_BYTES || (!r.len && strcmp(status, "member") != 0))
		return LC_EINVAL;
	char why[LC_LIMIT_REASON_BYTES + 1];
	memcpy(why, r.ptr, r.len);
	why[r.len] = '\0';
	char day[16];
	lc_clock_date(lc_clock_now(), day);
	err = lc_db_begin(db);
	if (err)
		return err;
	char current[16] = "";
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT c.id, m.status FROM cities c LEFT JOIN memberships"
	                   " m ON m.city_id = c.id AND m.to_date IS NULL"
	                   " WHERE c.id = ?1");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, city_id);
	err = lc_db_step(db, st);
	if (err == 1 && lc_db_text(st, 1))
		snprintf(current, sizeof current, "%s", lc_db_text(st, 1));
	lc_db_release(db, st);
	if (err <= 0) {
		err = err ? err : LC_ENOTFOUND;
		goto out;
	}
	err = 0;
	if (strcmp(current, status) == 0)
		goto out;
	/* A row that started today and is replaced today ends today too (to_date >= from_date). */
	st = lc_db_stmt(db, "UPDATE memberships SET to_date = max(?2, coalesce(from_date, ?2))"
	                    " WHERE city_id = ?1 AND to_date IS NULL");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, city_id);
	lc_db_bind_text(st, 2, day);
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto out;
	st = lc_db_stmt(db, "INSERT INTO memberships (city_id, status, from_date, reason, source,"
	                    " provenance) VALUES (?1, ?2, ?3, ?4, 'learncity', 'verified')");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, city_id);
	lc_db_bind_text(st, 2, status);
	lc_db_bind_text(st, 3, day);
	lc_db_bind_text(st, 4, why[0] ? why : NULL);
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto out;
	char action[40];
	snprintf(action, sizeof action, "membership.%s", status);
	json_t *before = current[0] ? json_pack("{s:s}", "status", current) : NULL;
	json_t *after = json_pack("{s:s, s:s}", "status", status, "from", day);
	err = lc_audit_append_id(db, actor, action, "city", city_id, before, after,
	                         why[0] ? why : NULL);
	json_decref(before);
	json_decref(after);
out:
	if (err) {
		lc_db_rollback(db);
		return err;
	}
	return lc_db_commit(db);
}

/* ---- the lifecycle process ----------------------------------------------- */

/* Every step is the secretariat's (or the system's, for a lapse), with a reason. */
#define STEP(name, from, to)                                                                       \
	{                                                                                          \
		name, from, to, LC_ACT_DECIDE_MEMBERSHIP, LC_WF_REASON,                            \
		    LC_WF_TELL_COORDINATORS | LC_WF_TELL_SECRETARIAT                               \
	}

static const struct lc_wf_state life_states[] = {
    {.name = "member"},
    {.name = "lapsed"},
    {.name = "suspended"},
    /* Not terminal: a withdrawal made in error is restored with a reason. */
    {.name = "withdrawn"},
};

static const struct lc_wf_transition life_transitions[] = {
    STEP("suspend", "member", "suspended"),  STEP("reinstate", "suspended", "member"),
    STEP("withdraw", "member", "withdrawn"), STEP("withdraw", "suspended", "withdrawn"),
    STEP("withdraw", "lapsed", "withdrawn"), STEP("lapse", "member", "lapsed"),
    STEP("lapse", "suspended", "lapsed"),    STEP("restore", "lapsed", "member"),
    STEP("restore", "withdrawn", "member"),
};

/* The dated row follows the item: one status, one reason, one transaction. */
static int life_effect(struct lc_db *db, const struct lc_actor *actor,
                       const struct lc_wf_item *item, const struct lc_wf_transition *t,
                       const char *reason, struct lc_diag *d)
{
	(void)t;
	(void)d;
	return lc_membership_set(db, actor, item->city_id, item->state, reason);
}

static void life_title(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	char city[96]; /* titles are at most 160 bytes (workflow.c) */
	lc_wf_city_name(db, item, city, sizeof city);
	/* A title only: a very long name may be cut. */
	if (snprintf(out, n, "Membership of %s (%s)", city, item->country) >= (int)n)
		return;
}

const struct lc_wf_process lc_membership_process = {
    .name = "membership",
    .initial = "member",
    .states = life_states,
    .nstates = sizeof life_states / sizeof *life_states,
    .transitions = life_transitions,
    .ntransitions = sizeof life_transitions / sizeof *life_transitions,
    .path_fmt = "/memberships/%lld",
    .effect = life_effect,
    .title = life_title,
};

/* The id of the city's item, or 0. */
static int find_item(struct lc_db *db, int64_t city_id, int64_t *id)
{
	*id = 0;
	int64_t *ids = NULL;
	size_t n = 0;
	long total = 0;
	struct lc_wf_query q = {.city_id = city_id, .per_page = 1};
	int err = lc_wf_list(db, &lc_membership_process, &q, &ids, &n, &total, NULL);
	if (!err && n)
		*id = ids[0];
	lc_free(ids);
	return err;
}

/* The city's country and current status ("" when none); LC_ENOTFOUND without the city. */
static int city_status(struct lc_db *db, int64_t city_id, char *country, char *status, size_t n)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT c.country, m.status FROM cities c"
	                                  " LEFT JOIN memberships m ON m.city_id = c.id"
	                                  " AND m.to_date IS NULL WHERE c.id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, city_id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		snprintf(country, 3, "%s", lc_db_text(st, 0) ? lc_db_text(st, 0) : "");
		snprintf(status, n, "%s", lc_db_text(st, 1) ? lc_db_text(st, 1) : "");
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

static int create_item(struct lc_db *db, const struct lc_actor *actor, int64_t city_id,
                       const char *country, int64_t *id)
{
	struct lc_wf_item init = {.city_id = city_id};
	snprintf(init.country, sizeof init.country, "%s", country);
	return lc_wf_create(db, actor, &lc_membership_process, &init, id);
}

int lc_membership_item(struct lc_db *db, int64_t city_id, struct lc_wf_item *out)
{
	int64_t id;
	int err = find_item(db, city_id, &id);
	if (err || id)
		return err ? err : lc_wf_get(db, &lc_membership_process, id, out);
	/* Look again inside a write transaction: two first looks must not make two items. */
	err = lc_db_begin(db);
	if (err)
		return err;
	err = find_item(db, city_id, &id);
	if (!err && !id) {
		char country[3] = "", status[16] = "";
		err = city_status(db, city_id, country, status, sizeof status);
		if (!err && strcmp(status, "member") != 0)
			err = LC_ENOTFOUND;
		/* A member from before the workflow: its item starts now, as the system's. */
		struct lc_actor sys;
		lc_actor_system(&sys);
		if (!err)
			err = create_item(db, &sys, city_id, country, &id);
	}
	if (!err)
		err = lc_wf_get(db, &lc_membership_process, id, out);
	if (err) {
		lc_db_rollback(db);
		return err;
	}
	return lc_db_commit(db);
}

int lc_membership_take(struct lc_db *db, const struct lc_actor *actor, int64_t city_id,
                       const char *to, const char *reason, struct lc_diag *d,
                       struct lc_wf_item *out)
{
	/* Strangers learn nothing, not even whether the city has a membership. */
	int err = lc_authz_check(actor, LC_ACT_DECIDE_MEMBERSHIP, NULL);
	if (err)
		return err;
	err = lc_db_begin(db);
	if (err)
		return err;
	struct lc_wf_item it;
	err = lc_membership_item(db, city_id, &it);
	if (err == LC_ENOTFOUND && d)
		lc_diag_add(d, NULL, 0, 0, "to", "err_membership_city_member");
	if (!err)
		err = lc_wf_take(db, actor, &lc_membership_process, it.id, to, reason, d, out);
	if (err) {
		lc_db_rollback(db);
		return err;
	}
	return lc_db_commit(db);
}

int lc_membership_admit(struct lc_db *db, const struct lc_actor *actor, int64_t city_id,
                        const char *reason)
{
	int err = lc_authz_check(actor, LC_ACT_DECIDE_MEMBERSHIP, NULL);
	if (err)
		return err;
	const char *why = reason && *reason ? reason : "Admitted.";
	err = lc_db_begin(db);
	if (err)
		return err;
	char country[3] = "", status[16] = "";
	int64_t id = 0;
	err = city_status(db, city_id, country, status, sizeof status);
	if (!err)
		err = find_item(db, city_id, &id);
	if (err)
		goto out;
	if (!id) {
		err = create_item(db, actor, city_id, country, &id);
		if (!err)
			err = lc_membership_set(db, actor, city_id, "member", why);
		goto out;
	}
	struct lc_wf_item it;
	err = lc_wf_get(db, &lc_membership_process, id, &it);
	if (err)
		goto out;
	if (strcmp(it.state, "member") == 0)
		err = lc_membership_set(db, actor, city_id, "member", why);
	else if (strcmp(it.state, "suspended") == 0)
		err = LC_ECONFLICT; /* a suspended member is reinstated, not admitted */
	else {
		struct lc_diag
		    d; /* the engine writes its sentences here; admit's caller has its own */
		lc_diag_init(&d);
		err = lc_wf_take(db, actor, &lc_membership_process, id, "member", why, &d, NULL);
		lc_diag_cleanup(&d);
	}
out:
	if (err) {
		lc_db_rollback(db);
		return err;
	}
	return lc_db_commit(db);
}

int lc_membership_sync(struct lc_db *db, long *created)
{
	long k = 0;
	struct lc_actor sys;
	lc_actor_system(&sys);
	int err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT c.id, c.country FROM cities c JOIN memberships m ON m.city_id = c.id"
	        " AND m.to_date IS NULL AND m.status = 'member'"
	        " WHERE NOT EXISTS (SELECT 1 FROM wf_items w WHERE w.process = 'membership'"
	        " AND w.city_id = c.id) ORDER BY c.id");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	int rc;
	/* Collect first: creating items while the cursor reads would see them. */
	size_t n = 0, cap = 16;
	int64_t *ids = lc_xcalloc(cap, sizeof *ids);
	char(*countries)[3] = lc_xcalloc(cap, sizeof *countries);
	while (lc_db_next(db, st, &rc)) {
		if (n == cap) {
			cap *= 2;
			ids = lc_xrealloc(ids, cap * sizeof *ids);
			countries = lc_xrealloc(countries, cap * sizeof *countries);
		}
		ids[n] = sqlite3_column_int64(st, 0);
		snprintf(countries[n], 3, "%s", lc_db_text(st, 1) ? lc_db_text(st, 1) : "");
		n++;
	}
	lc_db_release(db, st);
	err = rc < 0 ? rc : 0;
	for (size_t i = 0; !err && i < n; i++) {
		int64_t id;
		err = create_item(db, &sys, ids[i], countries[i], &id);
		if (!err)
			k++;
	}
	lc_free(ids);
	lc_free(countries);
out:
	if (err) {
		lc_db_rollback(db);
		return err;
	}
	if (created)
		*created = k;
	return lc_db_commit(db);
}

int lc_membership_city_id(struct lc_db *db, const char *slug, int64_t *id)
{
	*id = 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id FROM cities WHERE slug = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, slug ? slug : "");
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*id = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

int lc_membership_item_path(struct lc_db *db, int64_t id, char *out, size_t n)
{
	struct lc_wf_item it;
	int err = lc_wf_get(db, &lc_membership_process, id, &it);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT slug FROM cities WHERE id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, it.city_id);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		snprintf(out, n, "/cities/%s#h-membership", lc_db_text(st, 0));
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}
