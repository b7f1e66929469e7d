/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Nominations for the Learning City Award, as the workflow process
 * "nomination" (domain/workflow/workflow.h): its states and steps are the
 * table in nomination.c, taken by the engine, not control flow here.
 *
 *   draft --submit--> submitted --nominate--> nominated --close (clock)--> screening
 *     ^                  |  \--decline (reason)--> declined
 *     '--revise (reason)-'                                 screening --accept--> complete
 *   draft, submitted --withdraw--> withdrawn              screening --return (reason, once)-->
 * returned draft, submitted, returned --expire (clock)--> expired  returned --resubmit--> screening
 *   screening --ineligible (clock, reason)--> ineligible   screening --reject (reason)--> rejected
 *
 * The city's National Commission (or its coordinator) starts a nomination
 * in a round's nomination window; the coordinator prepares the dossier
 * (general information, the learning-city plan, one answer per criterion
 * within its word limit, evidence links, the mayor's signed form and the
 * consent form, checked by content) and sends it; the Commission nominates
 * it (at most the round's cap, counted over its country's nominations) or
 * declines with a reason. At the Commission's deadline the clock closes
 * nominations: drafts and unsent dossiers expire, and the eligibility of
 * every nominated city is checked again (award_eligibility.h); an
 * ineligible one leaves the round with the reasons. The secretariat then
 * screens: complete, returned once for more information, or rejected.
 * Every step is a wf_history row, an audit row and e-mail to the parties
 * (the engine's wf_transition mail in each reader's language).
 *
 * Eligibility is checked when the nomination starts, when the dossier is
 * sent, when the Commission nominates and at the deadline, unless the
 * secretariat overrode it with a reason (audited "nomination.override").
 *
 * This module owns award_nominations and award_nomination_files. The jury
 * (panels, conflicts, scores) continues from "complete".
 */
#ifndef LC_NOMINATION_H
#define LC_NOMINATION_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct lc_actor;
struct lc_db;
struct lc_diag;
struct lc_wf_process;

/* The "nomination" process table (registered in domain/workflow/processes.c). */
extern const struct lc_wf_process lc_nomination_process;

/* Days a returned dossier has to come back before it expires. */
#define LC_NOMINATION_RETURN_DAYS 14

/*
 * Starts the nomination of city (a slug) in round year, in draft, with the
 * round's National Commission deadline as its deadline. Allowed to the
 * city's National Commission (LC_ACT_ENDORSE_FOR_COUNTRY on its country)
 * and its coordinators (LC_ACT_PREPARE_NOMINATION); override, a reason,
 * only to the secretariat (LC_ACT_MANAGE_AWARD), sets aside the
 * eligibility rules. Refused with problems in d (LC_EINVAL): an unknown
 * city, a round not open for nominations today, a city not eligible (each
 * reason), a city already nominated in the round. 0 with *id; LC_ENOTFOUND
 * (no such round run in learncity), LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_nomination_create(struct lc_db *db, const struct lc_actor *actor, long year,
                         const char *city, const char *override, int64_t *id, struct lc_diag *d);

/*
 * Saves the dossier while it is a draft or returned: patch holds any of
 * "general", "plan" (text up to LC_LIMIT_AWARD_TEXT_BYTES), "answers"
 * ({criterion id: text within its max_words}), "links" ([http(s) URL] or
 * one per line). Every problem in d, with its field ("answers.plan");
 * nothing is written unless all is well. Audit "nomination.save".
 * Requires LC_ACT_PREPARE_NOMINATION on the city. 0; LC_EINVAL,
 * LC_ECONFLICT (not editable in its state), LC_ENOTFOUND, LC_EAUTH/LC_EPERM,
 * LC_EDB.
 */
int lc_nomination_save(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                       const json_t *patch, struct lc_diag *d);

/*
 * Stores a signed form, kind "mayor_form" or "consent", checked by content
 * (formats/filetype.h: PDF, PNG or JPEG) and at most
 * LC_LIMIT_AWARD_FILE_BYTES, replacing an earlier one; as save for who and
 * when. Audit "nomination.file" with kind, type, size and SHA-256. 0;
 * LC_EINVAL (d, field kind), LC_ELIMIT, LC_ECONFLICT, LC_ENOTFOUND,
 * LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_nomination_file_put(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                           const char *kind, const char *filename, const unsigned char *data,
                           size_t n, struct lc_diag *d);

/* A stored form, as lc_nomination_file_get returns it. */
struct lc_nomination_file {
	unsigned char *data; /* owned: lc_nomination_file_cleanup */
	size_t size;
	char content_type[32];
	char filename[128];
};
/* The form of that kind for an actor who may see the nomination. LC_ENOTFOUND, LC_EAUTH/EPERM. */
int lc_nomination_file_get(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                           const char *kind, struct lc_nomination_file *out);
void lc_nomination_file_cleanup(struct lc_nomination_file *f);

/*
 * The secretariat overrides the eligibility rules of nomination id with a
 * reason (1..LC_LIMIT_REASON_BYTES), while it is not in a final state.
 * Audit "nomination.override" with the reason. Requires
 * LC_ACT_MANAGE_AWARD. 0; LC_EINVAL, LC_ECONFLICT, LC_ENOTFOUND,
 * LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_nomination_override(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                           const char *reason, struct lc_diag *d);

/* Takes a step (lc_wf_take on the process): errors as lc_wf_take, problems in d. */
int lc_nomination_take(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *to,
                       const char *reason, struct lc_diag *d);

/*
 * Nomination id for an actor who may see it (the secretariat, the city's
 * coordinators, its National Commission): the workflow item
 * (lc_wf_item_json) plus "city" {slug, name, country}, "round" (the
 * settings, award_round.h), "dossier" {general, plan, answers [{id, name,
 * max_words, required, independent, text, words}], links}, "files"
 * {mayor_form, consent: {content_type, size, sha256, filename,
 * uploaded_at} | null}, "eligibility" {"eligible", "problems": [{code,
 * args}], "override": {reason, by, at} | null}, "complete" (what sending
 * still needs: [{field, code}]) and "can_edit". A juror of a blind round who
 * reads it only as a juror gets "blind": true and no city, country, owner or
 * history (city and country null, history []). 0 (caller owns *out),
 * LC_ENOTFOUND, LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_nomination_get(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *lang,
                      json_t **out);

/* A filter of nominations. */
struct lc_nomination_query {
	long year;         /* or 0: every round */
	const char *state; /* or NULL */
	long page;         /* 1-based; 0 means 1 */
	long per_page;     /* 0: LC_DEFAULT_PER_PAGE, at most LC_LIMIT_PER_PAGE */
};

/*
 * The nominations an actor may see: the secretariat every one, a National
 * Commission its country's, a coordinator its cities'; anyone else none
 * (LC_EPERM), nobody logged in LC_EAUTH. Newest round first, then by
 * country and city:
 * {"items": [{"id", "year", "state", "city": {slug, name, country} | null, "due_at",
 *   "override": bool}], "by_state": {state: n}, "total", "page", "per_page", "pages"}
 * city is null on a row the actor reads only as a juror of a blind round (jury.h).
 * 0 (caller owns *out), LC_EINVAL (page), LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_nomination_list(struct lc_db *db, const struct lc_actor *actor,
                       const struct lc_nomination_query *q, const char *lang, json_t **out);

#endif
