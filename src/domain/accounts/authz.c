/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The permission rules (authz.h). Reading the table: an action is allowed
 * to everyone when "anonymous", to every active account when "any_account"
 * (then scope ACCOUNT means "on its own account"), and to the holders of the
 * listed roles whose grant matches the object's scope. Admin and the
 * command-line operator pass every check.
 */
#include "domain/accounts/authz.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/slice.h"
#include "db/db.h"

#define R(k) (1u << (k))

const struct lc_authz_rule lc_authz_actions[LC_ACT__COUNT] = {
    [LC_ACT_VIEW_DIRECTORY] = {LC_ACT_VIEW_DIRECTORY, "view_directory", true, true, 0,
                               LC_SCOPE_NONE},
    [LC_ACT_LOGIN] = {LC_ACT_LOGIN, "login", true, true, 0, LC_SCOPE_NONE},
    [LC_ACT_VIEW_OWN_ACCOUNT] = {LC_ACT_VIEW_OWN_ACCOUNT, "view_own_account", false, true, 0,
                                 LC_SCOPE_NONE},
    [LC_ACT_EDIT_OWN_ACCOUNT] = {LC_ACT_EDIT_OWN_ACCOUNT, "edit_own_account", false, true, 0,
                                 LC_SCOPE_ACCOUNT},
    [LC_ACT_MANAGE_OWN_TOKENS] = {LC_ACT_MANAGE_OWN_TOKENS, "manage_own_tokens", false, true, 0,
                                  LC_SCOPE_ACCOUNT},
    [LC_ACT_VIEW_ADMIN] = {LC_ACT_VIEW_ADMIN, "view_admin", false, false, 0, LC_SCOPE_NONE},
    [LC_ACT_MANAGE_USERS] = {LC_ACT_MANAGE_USERS, "manage_users", false, false, 0, LC_SCOPE_NONE},
    [LC_ACT_INVITE] = {LC_ACT_INVITE, "invite", false, false, 0, LC_SCOPE_NONE},
    [LC_ACT_VIEW_AUDIT] = {LC_ACT_VIEW_AUDIT, "view_audit", false, false, 0, LC_SCOPE_NONE},
    [LC_ACT_VIEW_OUTBOX] = {LC_ACT_VIEW_OUTBOX, "view_outbox", false, false, 0, LC_SCOPE_NONE},
    [LC_ACT_SEND_OUTBOX] = {LC_ACT_SEND_OUTBOX, "send_outbox", false, false, 0, LC_SCOPE_NONE},
    [LC_ACT_MANAGE_SETTINGS] = {LC_ACT_MANAGE_SETTINGS, "manage_settings", false, false, 0,
                                LC_SCOPE_NONE},
    [LC_ACT_EDIT_CITY] = {LC_ACT_EDIT_CITY, "edit_city", false, false, R(LC_ROLE_COORDINATOR),
                          LC_SCOPE_CITY},
    [LC_ACT_ENDORSE_FOR_COUNTRY] = {LC_ACT_ENDORSE_FOR_COUNTRY, "endorse_for_country", false, false,
                                    R(LC_ROLE_NATCOM), LC_SCOPE_COUNTRY},
    [LC_ACT_SCORE_ROUND] = {LC_ACT_SCORE_ROUND, "score_round", false, false, R(LC_ROLE_JURY),
                            LC_SCOPE_YEAR},
    [LC_ACT_JOIN_CONFERENCE] = {LC_ACT_JOIN_CONFERENCE, "join_conference", false, false,
                                R(LC_ROLE_PARTICIPANT), LC_SCOPE_NONE},
    [LC_ACT_VIEW_OBSERVATIONS] = {LC_ACT_VIEW_OBSERVATIONS, "view_observations", false, false,
                                  R(LC_ROLE_COORDINATOR), LC_SCOPE_CITY},
    [LC_ACT_ENTER_OBSERVATIONS] = {LC_ACT_ENTER_OBSERVATIONS, "enter_observations", false, false,
                                   R(LC_ROLE_COORDINATOR), LC_SCOPE_CITY},
    [LC_ACT_SUBMIT_YEAR] = {LC_ACT_SUBMIT_YEAR, "submit_year", false, false, R(LC_ROLE_COORDINATOR),
                            LC_SCOPE_CITY},
    [LC_ACT_REVIEW_OBSERVATIONS] = {LC_ACT_REVIEW_OBSERVATIONS, "review_observations", false, false,
                                    0, LC_SCOPE_NONE},
    [LC_ACT_EDIT_FRAMEWORK] = {LC_ACT_EDIT_FRAMEWORK, "edit_framework", false, false, 0,
                               LC_SCOPE_NONE},
    [LC_ACT_RUN_INDEX] = {LC_ACT_RUN_INDEX, "run_index", false, false, 0, LC_SCOPE_NONE},
    [LC_ACT_APPLY_MEMBERSHIP] = {LC_ACT_APPLY_MEMBERSHIP, "apply_membership", false, true, 0,
                                 LC_SCOPE_ACCOUNT},
    [LC_ACT_MANAGE_CALLS] = {LC_ACT_MANAGE_CALLS, "manage_calls", false, false, 0, LC_SCOPE_NONE},
    [LC_ACT_SCREEN_APPLICATION] = {LC_ACT_SCREEN_APPLICATION, "screen_application", false, false, 0,
                                   LC_SCOPE_NONE},
    [LC_ACT_RECOMMEND_MEMBERSHIP] = {LC_ACT_RECOMMEND_MEMBERSHIP, "recommend_membership", false,
                                     false, R(LC_ROLE_EXPERT), LC_SCOPE_NONE},
    [LC_ACT_DECIDE_MEMBERSHIP] = {LC_ACT_DECIDE_MEMBERSHIP, "decide_membership", false, false, 0,
                                  LC_SCOPE_NONE},
    [LC_ACT_FILE_REPORT] = {LC_ACT_FILE_REPORT, "file_report", false, false, R(LC_ROLE_COORDINATOR),
                            LC_SCOPE_CITY},
    [LC_ACT_REVIEW_REPORT] = {LC_ACT_REVIEW_REPORT, "review_report", false, false, 0,
                              LC_SCOPE_NONE},
    [LC_ACT_MANAGE_AWARD] = {LC_ACT_MANAGE_AWARD, "manage_award", false, false, 0, LC_SCOPE_NONE},
    [LC_ACT_PREPARE_NOMINATION] = {LC_ACT_PREPARE_NOMINATION, "prepare_nomination", false, false,
                                   R(LC_ROLE_COORDINATOR), LC_SCOPE_CITY},
    [LC_ACT_WRITE_CASE] = {LC_ACT_WRITE_CASE, "write_case", false, false, R(LC_ROLE_COORDINATOR),
                           LC_SCOPE_CITY},
    [LC_ACT_CURATE_LIBRARY] = {LC_ACT_CURATE_LIBRARY, "curate_library", false, false, 0,
                               LC_SCOPE_NONE},
    [LC_ACT_MANAGE_CONFERENCE] = {LC_ACT_MANAGE_CONFERENCE, "manage_conference", false, false, 0,
                                  LC_SCOPE_NONE},
    [LC_ACT_REGISTER_CONFERENCE] = {LC_ACT_REGISTER_CONFERENCE, "register_conference", false, true,
                                    0, LC_SCOPE_NONE},
    [LC_ACT_CHECK_IN] = {LC_ACT_CHECK_IN, "check_in", false, false, R(LC_ROLE_CHECKIN),
                         LC_SCOPE_CONFERENCE},
    [LC_ACT_ISSUE_LETTERS] = {LC_ACT_ISSUE_LETTERS, "issue_letters", false, false, 0,
                              LC_SCOPE_NONE},
    [LC_ACT_EDIT_PROGRAMME] = {LC_ACT_EDIT_PROGRAMME, "edit_programme", false, false, 0,
                               LC_SCOPE_NONE},
    [LC_ACT_STAR_SESSIONS] = {LC_ACT_STAR_SESSIONS, "star_sessions", false, true, 0, LC_SCOPE_NONE},
};

static const char *const role_names[LC_ROLE__COUNT] = {
    [LC_ROLE_ADMIN] = "admin",
    [LC_ROLE_COORDINATOR] = "coordinator",
    [LC_ROLE_NATCOM] = "natcom",
    [LC_ROLE_JURY] = "jury",
    [LC_ROLE_PARTICIPANT] = "participant",
    [LC_ROLE_EXPERT] = "expert",
    [LC_ROLE_CHECKIN] = "checkin",
};

const char *lc_role_kind_name(enum lc_role_kind kind)
{
	return (unsigned)kind < LC_ROLE__COUNT ? role_names[kind] : NULL;
}

int lc_role_kind_parse(const char *s, enum lc_role_kind *out)
{
	long k = lc_str_index(role_names, LC_ROLE__COUNT, s);
	if (k < 0)
		return LC_EINVAL;
	*out = (enum lc_role_kind)k;
	return 0;
}

const char *lc_authz_action_name(enum lc_action action)
{
	return (unsigned)action < LC_ACT__COUNT ? lc_authz_actions[action].name : NULL;
}

bool lc_actor_has_role(const struct lc_actor *a, enum lc_role_kind kind)
{
	if (!a || a->kind != LC_ACTOR_ACCOUNT)
		return false;
	for (size_t i = 0; i < a->nroles; i++)
		if (a->roles[i].kind == kind)
			return true;
	return false;
}

static bool country_eq(const char *a, const char *b)
{
	if (!a || !b || strlen(b) != 2)
		return false;
	for (int i = 0; i < 2; i++) {
		char y = b[i];
		if (y >= 'a' && y <= 'z')
			y = (char)(y - 'a' + 'A');
		if (a[i] != y)
			return false;
	}
	return true;
}

static bool grant_matches(const struct lc_role *r, enum lc_authz_scope scope,
                          const struct lc_authz_object *obj)
{
	if (!obj)
		return true; /* "on at least one object" */
	switch (scope) {
	case LC_SCOPE_CITY: return r->city_id != 0 && r->city_id == obj->city_id;
	case LC_SCOPE_COUNTRY: return country_eq(r->country, obj->country);
	case LC_SCOPE_YEAR: return r->year != 0 && r->year == obj->year;
	case LC_SCOPE_CONFERENCE:
		return r->conference_id != 0 && r->conference_id == obj->conference_id;
	case LC_SCOPE_NONE:
	case LC_SCOPE_ACCOUNT: return true;
	}
	return false;
}

int lc_authz_check(const struct lc_actor *actor, enum lc_action action,
                   const struct lc_authz_object *obj)
{
	if ((unsigned)action >= LC_ACT__COUNT)
		return LC_EINVAL;
	const struct lc_authz_rule *rule = &lc_authz_actions[action];
	if (rule->anonymous)
		return 0;
	if (!actor || actor->kind == LC_ACTOR_ANONYMOUS)
		return LC_EAUTH;
	if (actor->kind == LC_ACTOR_SYSTEM || lc_actor_has_role(actor, LC_ROLE_ADMIN))
		return 0;
	if (actor->kind != LC_ACTOR_ACCOUNT)
		return LC_EPERM;
	if (rule->any_account) {
		if (rule->scope != LC_SCOPE_ACCOUNT || !obj || obj->account_id == actor->account_id)
			return 0;
		return LC_EPERM;
	}
	for (size_t i = 0; i < actor->nroles; i++) {
		const struct lc_role *r = &actor->roles[i];
		if ((rule->roles & R(r->kind)) && grant_matches(r, rule->scope, obj))
			return 0;
	}
	return LC_EPERM;
}

void lc_actor_anonymous(struct lc_actor *a)
{
	memset(a, 0, sizeof *a);
	a->kind = LC_ACTOR_ANONYMOUS;
	snprintf(a->email, sizeof a->email, "anonymous");
	snprintf(a->lang, sizeof a->lang, "en");
}

void lc_actor_system(struct lc_actor *a)
{
	memset(a, 0, sizeof *a);
	a->kind = LC_ACTOR_SYSTEM;
	snprintf(a->email, sizeof a->email, "system");
	snprintf(a->name, sizeof a->name, "system");
	snprintf(a->lang, sizeof a->lang, "en");
}

int lc_actor_load(struct lc_db *db, int64_t account_id, struct lc_actor *a)
{
	lc_actor_anonymous(a);
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT email, name, lang, status FROM accounts WHERE id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, account_id);
	int rc = lc_db_step(db, st);
	int err = rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
	if (!err) {
		const char *status = lc_db_text(st, 3);
		if (!status || strcmp(status, "active") != 0) {
			err = LC_EAUTH;
		} else {
			snprintf(a->email, sizeof a->email, "%s", lc_db_text(st, 0));
			snprintf(a->name, sizeof a->name, "%s", lc_db_text(st, 1));
			snprintf(a->lang, sizeof a->lang, "%s", lc_db_text(st, 2));
		}
	}
	lc_db_release(db, st);
	if (err) {
		lc_actor_anonymous(a);
		return err;
	}
	st = lc_db_stmt(db, "SELECT role, coalesce(city_id, 0), coalesce(country, ''),"
	                    " coalesce(year, 0), coalesce(conference_id, 0) FROM role_grants"
	                    " WHERE account_id = ?1 ORDER BY id");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, account_id);
	while ((rc = lc_db_step(db, st)) == 1) {
		if (a->nroles == LC_LIMIT_ACCOUNT_ROLES)
			continue; /* lc_role_grant refuses more; never reached */
		struct lc_role *r = &a->roles[a->nroles];
		memset(r, 0, sizeof *r);
		if (lc_role_kind_parse(lc_db_text(st, 0), &r->kind) != 0)
			continue;
		r->city_id = sqlite3_column_int64(st, 1);
		snprintf(r->country, sizeof r->country, "%s", lc_db_text(st, 2));
		r->year = (long)sqlite3_column_int64(st, 3);
		r->conference_id = sqlite3_column_int64(st, 4);
		a->nroles++;
	}
	lc_db_release(db, st);
	if (rc < 0) {
		lc_actor_anonymous(a);
		return rc;
	}
	a->kind = LC_ACTOR_ACCOUNT;
	a->account_id = account_id;
	return 0;
}
