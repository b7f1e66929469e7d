/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Authorisation: THE single place of permission rules. An actor (nobody, a
 * person with an account and its scoped roles, or the operator at the
 * command line) asks lc_authz_check whether it may perform an action on an
 * object. Every domain function that changes something calls it, so no page
 * or route can forget a rule; pages and routes may call it too (to hide a
 * button), never instead.
 *
 * The rules are a table (lc_authz_actions): one row per protected action,
 * saying which roles may perform it and what the role's scope must match.
 * A new action is a new enum constant AND a new row; the permission-matrix
 * test iterates every row against every role and fails when a row is
 * missing or a result changes.
 *
 * This module owns no table; lc_actor_load reads accounts and role_grants.
 */
#ifndef LC_AUTHZ_H
#define LC_AUTHZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/limits.h"

struct lc_db;

/* The kinds of role. One person may hold several grants, each with its scope. */
enum lc_role_kind {
	LC_ROLE_ADMIN = 0,   /* the secretariat: everything; no scope */
	LC_ROLE_COORDINATOR, /* of one city: scope city_id */
	LC_ROLE_NATCOM,      /* National Commission for UNESCO of one country: scope country */
	LC_ROLE_JURY,        /* member of the jury of one award round: scope year */
	LC_ROLE_PARTICIPANT, /* conference participant; no scope */
	LC_ROLE_EXPERT,      /* member of the expert jury that recommends on membership
	                        applications (a standing panel); no scope */
	LC_ROLE_CHECKIN,     /* door staff of one conference: scope conference_id */
	LC_ROLE__COUNT
};

/* One role grant. Only the field of the kind's scope is meaningful; others are 0/"". */
struct lc_role {
	enum lc_role_kind kind;
	int64_t city_id;       /* coordinator: cities.id */
	char country[3];       /* natcom: ISO alpha-2, upper case */
	long year;             /* jury: award_rounds.year */
	int64_t conference_id; /* checkin: conference_events.id */
};

enum lc_actor_kind {
	LC_ACTOR_ANONYMOUS = 0, /* no login: only public actions */
	LC_ACTOR_ACCOUNT,       /* an active account, with its roles */
	LC_ACTOR_SYSTEM,        /* the operator at the command line (file access to the
	                           database): may do everything; audited as "system" */
};

/*
 * Who is acting. A plain value (no heap): build it with lc_actor_anonymous,
 * lc_actor_system or lc_actor_load; the web layer sets addr (the client
 * address, recorded in audit rows) afterwards.
 */
struct lc_actor {
	enum lc_actor_kind kind;
	int64_t account_id; /* 0 unless LC_ACTOR_ACCOUNT */
	char email[LC_LIMIT_EMAIL_BYTES + 1];
	char name[LC_LIMIT_NAME_BYTES + 1];
	char lang[8];   /* preferred language ("en", "fr", ...) */
	char addr[64];  /* request address for the audit trail, or "" */
	bool via_token; /* authenticated by a personal access token, not a session: may not
	                   mint tokens, so a stolen token cannot outlive its own expiry */
	size_t nroles;
	struct lc_role roles[LC_LIMIT_ACCOUNT_ROLES];
};

/* Every protected action of the product. Keep in step with lc_authz_actions. */
enum lc_action {
	LC_ACT_VIEW_DIRECTORY = 0, /* public directory pages and API: everyone */
	LC_ACT_LOGIN,              /* log in, accept an invitation, ask for a reset: everyone */
	LC_ACT_VIEW_OWN_ACCOUNT,   /* the account page, GET /api/v1/me: any account */
	LC_ACT_EDIT_OWN_ACCOUNT,   /* name, language, password, logout everywhere: any account;
	                              object: the account (must be the actor's own unless admin) */
	LC_ACT_MANAGE_OWN_TOKENS, /* create, list, revoke personal access tokens; object as above */
	LC_ACT_VIEW_ADMIN,        /* the /admin area */
	LC_ACT_MANAGE_USERS,      /* create, disable, grant and revoke roles (/admin/users) */
	LC_ACT_INVITE,            /* send an invitation */
	LC_ACT_VIEW_AUDIT,        /* /admin/audit and its JSON export */
	LC_ACT_VIEW_OUTBOX,       /* /admin/outbox */
	LC_ACT_SEND_OUTBOX,       /* deliver or retry queued e-mail */
	LC_ACT_MANAGE_SETTINGS,   /* SMTP configuration and other settings */
	LC_ACT_EDIT_CITY,         /* a city's record and membership evidence; object: city_id */
	LC_ACT_ENDORSE_FOR_COUNTRY, /* endorse a city's application or award candidacy for a
	                               country; object: country */
	LC_ACT_SCORE_ROUND,        /* read the candidacies and score an award round; object: year */
	LC_ACT_JOIN_CONFERENCE,    /* the participants' area of a conference */
	LC_ACT_VIEW_OBSERVATIONS,  /* a city's unapproved (draft, submitted, returned) monitoring
	                              values and their versions; object: city_id */
	LC_ACT_ENTER_OBSERVATIONS, /* put or correct a city's monitoring values and
	                              self-assessment while its year is a draft or returned;
	                              object: city_id */
	LC_ACT_SUBMIT_YEAR,        /* submit a city's reporting year for review; object: city_id */
	LC_ACT_REVIEW_OBSERVATIONS,  /* return (with a comment) or approve a submitted year */
	LC_ACT_EDIT_FRAMEWORK,       /* load or edit framework versions and measurements */
	LC_ACT_RUN_INDEX,            /* start an index run on approved data, save specs */
	LC_ACT_APPLY_MEMBERSHIP,     /* start, edit, submit, answer or withdraw one's own membership
	                                application: any account; object: the applicant's account */
	LC_ACT_MANAGE_CALLS,         /* open, edit and close calls for applications */
	LC_ACT_SCREEN_APPLICATION,   /* the secretariat's screening: return for information, pass
	                                to the jury, reject */
	LC_ACT_RECOMMEND_MEMBERSHIP, /* the expert jury's recommendation on an application */
	LC_ACT_DECIDE_MEMBERSHIP,    /* approve or reject an application; suspend, reinstate,
	                                withdraw a member (with a reason) */
	LC_ACT_FILE_REPORT,          /* draft and submit a city's biennial progress report;
	                                object: city_id */
	LC_ACT_REVIEW_REPORT,        /* accept or return a progress report; open report cohorts */
	LC_ACT_MANAGE_AWARD,         /* open award rounds; screen nominations (accept, return once,
	                                reject); override a city's eligibility with a reason */
	LC_ACT_PREPARE_NOMINATION,   /* prepare a city's award dossier and send it to its National
	                                Commission, or withdraw it; object: city_id */
	LC_ACT_WRITE_CASE,           /* write a city's case studies and submit them to the
	                                library's curators; object: city_id */
	LC_ACT_CURATE_LIBRARY,       /* request changes to, publish, decline, feature or withdraw
	                                case studies (never a city's own: the process's guard) */
	/* Conference registration (domain/conference/) */
	LC_ACT_MANAGE_CONFERENCE,   /* create and edit conferences and their categories; moderate,
	                               promote, remove and cancel registrations; see them all */
	LC_ACT_REGISTER_CONFERENCE, /* register oneself for a conference: any account */
	LC_ACT_CHECK_IN,            /* scan tickets at a conference's door, read its keys,
	                               revocations and check-in counts; object: conference_id */
	LC_ACT_ISSUE_LETTERS,       /* issue or refuse a conference's visa invitation letters */
	LC_ACT_EDIT_PROGRAMME,      /* edit a conference's programme and release its versions */
	LC_ACT_STAR_SESSIONS,       /* star sessions of a programme ("my programme"): any account */
	LC_ACT__COUNT
};

/* What a rule's role must match in the object. */
enum lc_authz_scope {
	LC_SCOPE_NONE = 0,   /* the role alone suffices */
	LC_SCOPE_ACCOUNT,    /* object.account_id must be the actor's own account */
	LC_SCOPE_CITY,       /* a coordinator grant with object.city_id */
	LC_SCOPE_COUNTRY,    /* a natcom grant with object.country */
	LC_SCOPE_YEAR,       /* a jury grant with object.year */
	LC_SCOPE_CONFERENCE, /* a checkin grant with object.conference_id */
};

/* One row of the rules table. */
struct lc_authz_rule {
	enum lc_action action;
	const char *name; /* stable snake_case name ("edit_city"): tests, logs, JSON */
	bool anonymous;   /* allowed without login */
	bool any_account; /* allowed to every active account (subject to scope) */
	unsigned roles;   /* bit mask of (1u << lc_role_kind) also allowed */
	enum lc_authz_scope scope;
};

/* The rules, indexed by enum lc_action (lc_authz_actions[a].action == a). */
extern const struct lc_authz_rule lc_authz_actions[LC_ACT__COUNT];

/* The object an action applies to; unused fields stay 0/"". */
struct lc_authz_object {
	int64_t account_id;
	int64_t city_id;
	const char *country; /* alpha-2, any case */
	long year;
	int64_t conference_id;
};

/*
 * May actor perform action on obj? Admin and system may do everything.
 * For a scoped action, obj NULL means "on at least one object" (to decide
 * whether to show a menu entry): true when the actor holds a grant of the
 * right kind whatever its scope.
 * Returns 0 (allowed), LC_EAUTH (anonymous actor, login required) or
 * LC_EPERM (logged in or not, this actor may not). LC_EINVAL for an action
 * outside the enum.
 */
int lc_authz_check(const struct lc_actor *actor, enum lc_action action,
                   const struct lc_authz_object *obj);

/* The rule's name of an action, or NULL outside the enum. */
const char *lc_authz_action_name(enum lc_action action);

/* Fills a as the anonymous actor (no account, no roles). */
void lc_actor_anonymous(struct lc_actor *a);
/* Fills a as the command-line operator (LC_ACTOR_SYSTEM, email "system"). */
void lc_actor_system(struct lc_actor *a);

/*
 * Loads an account and its roles into a. Only an active account becomes an
 * actor: LC_EAUTH when the account is invited or disabled, LC_ENOTFOUND when
 * there is none, LC_EDB. a->addr is left "" for the caller to fill.
 */
int lc_actor_load(struct lc_db *db, int64_t account_id, struct lc_actor *a);

/* True when the actor holds a grant of this kind (any scope). */
bool lc_actor_has_role(const struct lc_actor *a, enum lc_role_kind kind);

/* The role kind names ("admin", "coordinator", "natcom", "jury", "participant"). */
const char *lc_role_kind_name(enum lc_role_kind kind);
/* Parses a role kind name; 0 or LC_EINVAL. */
int lc_role_kind_parse(const char *s, enum lc_role_kind *out);

#endif
