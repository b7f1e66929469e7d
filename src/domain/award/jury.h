/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The Learning City Award's jury: jurors (accounts with the role
 * jury:YEAR) in panels, by UNESCO region by default; the nominations the
 * secretariat assigns to each juror, at most the juror's load; and the
 * conflicts of interest that keep a juror away from a nomination.
 *
 * A conflict is typed (own_country, nominating_body, employer_adviser,
 * personal, other). A juror declares one; the secretariat sets one, or
 * confirms or dismisses what the system suggests when it assigns: the
 * juror's country is the city's, or the juror's e-mail domain is one of
 * the city's coordinators' (never a public mail domain, a table of data:
 * public_mail_domains). A confirmed conflict cannot be removed by the
 * juror; an unconfirmed declaration can be withdrawn. Every conflict but
 * a dismissed or withdrawn one is in force from the moment it exists: a
 * juror in conflict never sees the nomination, in no list, count, view or
 * file, and asking for it answers as for one that does not exist
 * (lc_jury_sees). Scores given before a conflict stay in the audit trail
 * and out of every aggregate.
 *
 * This module owns award_panels, award_jurors, award_assignments and
 * award_conflicts (migration 0015). Every change writes an audit row.
 */
#ifndef LC_JURY_H
#define LC_JURY_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct lc_actor;
struct lc_db;
struct lc_diag;
struct lc_award_input;
struct lc_award_opts;
struct lc_award_result;

/* The conflict states in force (SQL list): the juror stays away from the nomination. */
#define LC_JURY_CONFLICT_IN_FORCE "('suggested', 'declared', 'confirmed')"

/*
 * SQL: the nominations (wf_items.id) that account ?N, a juror, reads: those
 * assigned to it with no conflict in force. For a query's "i.id IN (...)".
 */
#define LC_JURY_VISIBLE_SQL(n)                                                                     \
	"SELECT a.item_id FROM award_assignments a WHERE a.account_id = ?" n                       \
	" AND NOT EXISTS (SELECT 1 FROM award_conflicts k WHERE k.item_id = a.item_id"             \
	" AND k.account_id = a.account_id AND k.state IN " LC_JURY_CONFLICT_IN_FORCE ")"

/* The seed of the ranking's bootstrap on the web and by default on the command line: the
 * same scores give the same intervals every time. */
#define LC_AWARD_RANKING_SEED 1

/* True when actor holds the role jury:year (an admin is not a juror for that). */
bool lc_jury_is_juror(const struct lc_actor *actor, long year);

/*
 * Whether juror actor reads nomination item_id: 0 when it is assigned to
 * the actor and no conflict of the actor's on it is in force, else
 * LC_ENOTFOUND (as for a nomination that does not exist); LC_EDB.
 */
int lc_jury_sees(struct lc_db *db, const struct lc_actor *actor, int64_t item_id);

/*
 * The secretariat makes the account of email a juror of round year, or
 * changes its row: country (alpha-2, or NULL: unknown), panel the UNESCO
 * region it reads (AFR, ARB, APA, EUR, LAC; its panel is created when
 * missing) or NULL, load the most nominations it reads
 * (1..LC_LIMIT_AWARD_JUROR_LOAD). The account must hold jury:year. Every
 * problem in d; nothing written unless all is well. Audit "award.juror".
 * LC_ACT_MANAGE_AWARD. 0; LC_EINVAL, LC_ENOTFOUND (no round),
 * LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_jury_juror_set(struct lc_db *db, const struct lc_actor *actor, long year, const char *email,
                      const char *country, const char *panel, long load, struct lc_diag *d);

/*
 * The secretariat assigns nomination item_id of round year (else
 * LC_ENOTFOUND) to the juror of email, and records the conflicts the system sees for the
 * pair as "suggested". Refused: not a juror of the round (LC_EINVAL), the
 * juror's load reached (LC_ECONFLICT, err_jury_load with the load), a
 * conflict in force (LC_ECONFLICT, err_jury_conflicted). Assigning twice
 * is no change. Audit "award.assign". LC_ACT_MANAGE_AWARD. 0; LC_ENOTFOUND,
 * LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_jury_assign(struct lc_db *db, const struct lc_actor *actor, long year, int64_t item_id,
                   const char *email, struct lc_diag *d);

/*
 * A step on a conflict of round year, body {"nomination": id, "action",
 * "type"?, "juror"? (e-mail), "reason"?}:
 *   "declare"  a juror, on a nomination assigned to it: type required
 *   "withdraw" a juror, its own declaration not yet confirmed
 *   "set"      the secretariat, on juror's pair: type required; confirmed
 *   "confirm"  the secretariat: a suggested or declared conflict
 *   "dismiss"  the secretariat: a suggested conflict (reason required)
 * Every problem in d (LC_EINVAL); a step not open from the conflict's
 * state LC_ECONFLICT (a juror removing a confirmed conflict among them).
 * A juror asking about a nomination it does not read gets LC_ENOTFOUND.
 * Audit "award.conflict" with before and after. 0; LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_jury_conflict(struct lc_db *db, const struct lc_actor *actor, long year, const json_t *body,
                     struct lc_diag *d);

/*
 * The conflicts of round year: the secretariat sees every one,
 * {"items": [{"nomination", "city": {slug, name, country}, "juror": {email, name},
 *   "type", "state", "reason", "updated_by", "updated_at"}], "total"};
 * a juror its own, without the city ({"nomination", "type", "state",
 * "reason", "updated_at"}); anyone else LC_EPERM. 0 (caller owns *out),
 * LC_ENOTFOUND (no round), LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_jury_conflicts(struct lc_db *db, const struct lc_actor *actor, long year, const char *lang,
                      json_t **out);

/*
 * Juror actor's own work, per round it judges (its jury:YEAR roles that are
 * rounds run here), newest first:
 * {"rounds": [{"year", "demo", "scoring_open", "scoring_close", "scoring_now" (the
 *   window is open today), "visibility", "blind", "total" (nominations it reads),
 *   "submitted", "drafts", "items": [{"nomination", "state": "none" | "draft" |
 *   "submitted", "city": {slug, name, country} | null (blind)}], "conflicts":
 *   as lc_jury_conflicts gives a juror}]}
 * A nomination kept away by a conflict in force is in no item and no count.
 * Any account (a non-juror gets no rounds). 0 (caller owns *out), LC_EAUTH, LC_EDB.
 */
int lc_jury_mine(struct lc_db *db, const struct lc_actor *actor, const char *lang, json_t **out);

/* Whether round year is blind (its jurors do not see the city); false for no round. 0, LC_EDB. */
int lc_jury_round_blind(struct lc_db *db, long year, bool *blind);

/*
 * Juror actor's sheet for nomination id:
 * {"nomination", "year", "state": "none" | "draft" | "submitted", "comment",
 *  "criteria": [{"id", "name", "weight", "scale_max", "required", "independent",
 *  "max_words", "score": number | null}], "visibility": "never" | "after_own" |
 *  "always", "blind", "city": {slug, name, country} | null (blind), "scoring_now" (the
 *  round's scoring window is open today), "others"?: [{"juror",
 *  "comment", "scores": {id: number | null}}]}
 * others, the other jurors' submitted sheets (none of a juror in conflict),
 * as the round's visibility says: never, after actor submitted, always.
 * Only a juror of the round who reads the nomination; anyone else gets
 * LC_ENOTFOUND (LC_EAUTH anonymous). 0 (caller owns *out), LC_EDB.
 */
int lc_jury_score_get(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *lang,
                      json_t **out);

/*
 * Saves juror actor's sheet for nomination id from body {"scores"?: {criterion
 * id: number within 0..scale_max | null}, "comment"?: text, "submit"?: bool}:
 * the scores given replace those stored, the others stay. With submit, every
 * required criterion must be scored, and the sheet becomes final. Every
 * problem in d (LC_EINVAL), nothing written unless all is well; a submitted
 * sheet or a day outside the round's scoring window LC_ECONFLICT. Audit
 * "award.score.save" / "award.score.submit" with the scores. Who: as
 * lc_jury_score_get. 0; LC_ENOTFOUND, LC_EAUTH, LC_EDB.
 */
int lc_jury_score_put(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                      const json_t *body, struct lc_diag *d);

/*
 * The input of the jury's ranking (engine/award.h) for round year, from the
 * database: every submitted sheet with no conflict in force on it (a juror
 * who recused after scoring counts nowhere), nominations named by their
 * city's slug, jurors by their e-mail, the round's criteria with their
 * weights and "independent" flags; a score not given is NaN. in is
 * initialised here; the caller cleans it up (lc_award_input_cleanup) in
 * every case. The secretariat only (LC_ACT_MANAGE_AWARD). 0; LC_EINVAL
 * (err_jury_no_scores: no sheet counts yet), LC_ELIMIT, LC_ENOTFOUND,
 * LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_jury_ranking_input(struct lc_db *db, const struct lc_actor *actor, long year,
                          struct lc_award_input *in, struct lc_diag *d);

/*
 * The jury's ranking of round year: lc_jury_ranking_input, then
 * lc_award_rank with opts. The one way in of the API, the admin page and
 * `learncity award rank --db`. in and r are filled; the caller cleans both
 * up in every case. Errors as the two (LC_EINVAL with err_jury_no_scores
 * when no sheet counts yet).
 */
int lc_jury_rank(struct lc_db *db, const struct lc_actor *actor, long year,
                 const struct lc_award_opts *opts, struct lc_award_input *in,
                 struct lc_award_result *r, struct lc_diag *d);

/*
 * The demonstration's jury (learncity demo): the demo juror jury.2027@example.org
 * gets jury:2027, four nominations of the 2027 demonstration round screened
 * complete (no city's own: override recorded) are assigned to it, so that /jury
 * shows a juror's work. Inside the caller's transaction, after the accounts and
 * the 2027 round. Nothing when the account is missing. 0 or an error.
 */
int lc_jury_demo(struct lc_db *db);

#endif
