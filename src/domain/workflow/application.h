/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Membership applications: the form a prospective coordinator fills for a
 * city (applications table, keyed by the workflow item), its signed pledge
 * (application_pledges: the file's bytes, its SHA-256 and the type its
 * content shows), and the process "application" that moves it from draft to
 * a decision (domain/workflow/workflow.h):
 *
 *   draft --submit (owner)--> submitted --endorse / decline (National
 *   Commission of the country; 30 days, reminders 14 and 7 days before,
 *   then the clock escalates)--> screening | declined
 *   escalated --endorse / decline (the commission, or the secretariat)-->
 *   screening --return (secretariat; reason = the question)--> info_requested
 *   --answer (owner; reason = the answer)--> screening --to_jury-->
 *   jury_review --recommend / advise_against (expert; reason to advise
 *   against)--> recommended | not_recommended --approve / reject (admin,
 *   reason)--> approved | rejected. The secretariat may also reject at
 *   screening; the owner may withdraw before a decision.
 *
 * Rules live here once: the call's window and a complete form with its
 * pledge to submit; one application per city and call (a declined or
 * rejected one cannot come back in the same call); the call's cap of
 * endorsements per country; the commission decides first, the secretariat
 * only after the escalation. Approving makes the city (or finds it, only
 * when it is not a member or suspended and the secretariat confirmed the
 * link), makes it a member and makes the applicant its coordinator, audited
 * and told by e-mail, in the transition's transaction.
 */
#ifndef LC_APPLICATION_H
#define LC_APPLICATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "domain/workflow/workflow.h"

struct lc_actor;
struct lc_db;
struct lc_diag;

/* The process table (registered in domain/workflow/processes.c). */
extern const struct lc_wf_process lc_application_process;

/* The challenge areas an application rates from 1 to 5, as data. */
struct lc_challenge_area {
	const char *code;  /* "inclusion": the form's key; catalogue key "challenge_<code>" */
	const char *title; /* English title */
};
extern const struct lc_challenge_area lc_challenge_areas[];
extern const size_t lc_challenge_area_count;

/* The number of words of UTF-8 text s (runs of non-blank bytes). */
size_t lc_application_words(const char *s);

/*
 * Starts a draft application of the actor (any account) in call call_id for
 * a city of country (alpha-2, any case; it names the National Commission
 * and cannot change afterwards) named city_name (may be NULL or ""). The
 * call must not have closed. Requires LC_ACT_APPLY_MEMBERSHIP on the
 * actor's own account. Problems to d by field ("call", "country",
 * "city_name"). 0 with *id; LC_EINVAL, LC_ENOTFOUND (no such call),
 * LC_ECONFLICT (the call closed; also in d), LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_application_create(struct lc_db *db, const struct lc_actor *actor, int64_t call_id,
                          const char *country, const char *city_name, struct lc_diag *d,
                          int64_t *id);

/*
 * Saves the form fields present in fields (a JSON object; other members are
 * left as they are) of application id, while it is a draft or waits for
 * information, by its owner (or an admin). Values: strings for the texts;
 * numbers or numeric strings for numbers ("" or null clears); "language"
 * "en"/"fr"; "links" an array of http(s) URLs or one string of them, one a
 * line; "challenges" {"<code>": 1..5} (replaces the ratings). Every field
 * is checked (type, bounds, e-mail address, words <=
 * LC_LIMIT_APPLICATION_WORDS) and nothing is saved when one is wrong; each
 * problem goes to d under the field's name. Unknown members are problems
 * too. Audit "application.save". 0; LC_EINVAL (see d), LC_ECONFLICT (not
 * editable in its state; in d), LC_ENOTFOUND, LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_application_save(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                        const json_t *fields, struct lc_diag *d);

/*
 * Stores the signed pledge of application id (draft or info_requested, by
 * its owner or an admin): at most LC_LIMIT_PLEDGE_BYTES, a PDF, PNG or JPEG
 * by its content (formats/filetype.h), whatever filename says; filename
 * (may be NULL) is kept, cleaned, only to name the download. Replaces an
 * earlier pledge. Audit "application.pledge" with size, type and SHA-256.
 * 0; LC_EINVAL (empty, not one of the types: reason in d under "pledge"),
 * LC_ELIMIT (too large; in d), LC_ECONFLICT, LC_ENOTFOUND, LC_EAUTH/LC_EPERM,
 * LC_EDB.
 */
int lc_application_pledge_put(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                              const char *filename, const unsigned char *data, size_t n,
                              struct lc_diag *d);

/* A stored pledge, as lc_application_pledge_get returns it. */
struct lc_pledge {
	unsigned char *data; /* owned: free with lc_application_pledge_cleanup */
	size_t size;
	char content_type[32];
	char sha256[65]; /* hex */
	char filename[128];
};

/*
 * The pledge of application id for an actor who may see the application.
 * 0; LC_ENOTFOUND (no application or no pledge), LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_application_pledge_get(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                              struct lc_pledge *out);
void lc_application_pledge_cleanup(struct lc_pledge *p);

/*
 * May actor see application item: admins and the owner always; the
 * National Commission of its country once it was submitted (whatever came
 * after); the experts once it went to the jury. 0, LC_EAUTH, LC_EPERM, LC_EDB.
 */
int lc_application_may_view(struct lc_db *db, const struct lc_actor *actor,
                            const struct lc_wf_item *item);

/*
 * The application for pages and the API: lc_wf_item_json (its "next" lists
 * only the steps this actor may take now) plus
 *   "form": {every field, null when empty}, "call": {lc_call_json},
 *   "pledge": {"content_type", "size", "sha256", "filename", "uploaded_at"} | null,
 *   "editable": bool (the actor may change the form now),
 *   "missing": [{"field", "message"}] (what submitting would still need),
 *   "city": {"id", "slug"} | null (after approval), "title": "Application of X (CC)",
 *   "existing_city": {lc_city_match} | null (before a decision: the city this
 *   application's name already names, a warning for every reader).
 * 0 (caller owns *out); LC_ENOTFOUND, LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_application_json(struct lc_db *db, const struct lc_actor *actor, int64_t id, json_t **out);

/*
 * Takes a step of application id (see lc_wf_take for the errors; guards say
 * why in d: the window, the missing fields, the cap, the city's earlier
 * application, the commission's turn).
 */
int lc_application_take(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *to,
                        const char *reason, struct lc_diag *d);

/*
 * lc_application_take with the secretariat's confirmation of an existing
 * city: when the application's city (folded name and country, as
 * lc_city_match finds it) already exists, approving refuses (LC_ECONFLICT,
 * in d under "to") when that city is a member or suspended, and otherwise
 * needs link_city to be that city's slug (LC_EINVAL, in d under
 * "link_city"; a link_city naming no match is refused too). Whoever may not
 * see the application gets LC_EPERM/LC_EAUTH (or LC_ENOTFOUND) before any
 * state is compared, so a refusal tells nothing of its state. Approving
 * grants the applicant the city's coordinator role with an audit row
 * "application.coordinator" and e-mails the applicant (and, for an existing
 * city, its other coordinators).
 */
int lc_application_take_linked(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                               const char *to, const char *reason, const char *link_city,
                               struct lc_diag *d);

/* Which applications a list shows. */
enum lc_application_scope {
	LC_APP_SCOPE_VISIBLE = 0, /* everything the actor may see (the API's default) */
	LC_APP_SCOPE_MINE,        /* the actor's own */
	LC_APP_SCOPE_NATCOM,      /* those once submitted, of the actor's commission countries */
	LC_APP_SCOPE_EXPERT,      /* those that went to the jury (experts) */
	LC_APP_SCOPE_ALL,         /* every one (admins; empty for others) */
};

struct lc_application_query {
	enum lc_application_scope scope;
	const char *state;   /* or NULL */
	const char *country; /* or NULL */
	long year;           /* the call's year, or 0 */
	long page;           /* 1-based; 0 means 1 */
	long per_page;       /* 0: LC_DEFAULT_PER_PAGE; at most LC_LIMIT_PER_PAGE */
};

/*
 * A page of applications for the actor, overdue first, then by deadline,
 * then newest: {"items": [{"id", "state", "city_name", "country", "year",
 * "due_at", "overdue", "entered_at", "applicant", "existing_city": {lc_city_match} |
 * null}], "by_state": {"submitted":
 * 2, ...} (over the scope, without the state filter), "total", "page",
 * "pages", "per_page"}. Caller owns *out. 0, LC_EAUTH, LC_EINVAL, LC_EDB.
 */
int lc_application_list(struct lc_db *db, const struct lc_actor *actor,
                        const struct lc_application_query *q, json_t **out);

#endif
