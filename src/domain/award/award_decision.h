/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The Learning City Award's decision: the secretariat shortlists screened
 * nominations and marks awardees, within the round's caps of awardees per
 * country and per UNESCO region (award_round.h), checked at that step with
 * a refusal that names the cap and the awardee already there. Decisions
 * stay pending, seen by the secretariat only (no other view reads them),
 * until one publish step writes the awardees into awards (the public
 * /awards/{year} and each city's page) and queues one e-mail per
 * nominated city (its first coordinator) and per National Commission (its
 * first account), each in its reader's language, in the outbox for review.
 *
 * This module owns award_decisions and award_round_settings.published_at
 * (migration 0026). Every change writes an audit row.
 */
#ifndef LC_AWARD_DECISION_H
#define LC_AWARD_DECISION_H

#include <stdint.h>

#include <jansson.h>

struct lc_actor;
struct lc_db;
struct lc_diag;

/*
 * The decisions of round year for the secretariat (LC_ACT_MANAGE_AWARD):
 * {"year", "published": bool, "published_at": ISO | null, "cap_per_country" | null,
 *  "cap_per_region" | null, "awardees", "shortlisted", "items": [{"nomination",
 *  "state" (the nomination's), "city": {slug, name, country, region | null},
 *  "decision": "none" | "shortlisted" | "awardee", "decidable": bool (screened
 *  complete and the round not published)}]}, the items by country and city.
 * 0 (caller owns *out), LC_ENOTFOUND (no round run here), LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_award_decisions(struct lc_db *db, const struct lc_actor *actor, long year, const char *lang,
                       json_t **out);

/*
 * Sets the decision on nomination item_id of round year: "none" (clears
 * it), "shortlisted" or "awardee". Refused: a decision not one of these
 * (LC_EINVAL, err_decision_value); a nomination not screened complete
 * (LC_ECONFLICT, err_decision_state); a published round (LC_ECONFLICT,
 * err_decision_published); an awardee past the country's cap
 * (LC_ECONFLICT, err_decision_cap_country with cap, country and the city
 * awarded already) or the region's (err_decision_cap_region with cap,
 * region and city). Nothing written on a refusal. Audit "award.decision"
 * with before and after. LC_ACT_MANAGE_AWARD. 0; LC_ENOTFOUND (no round,
 * or the nomination is not of it), LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_award_decide(struct lc_db *db, const struct lc_actor *actor, long year, int64_t item_id,
                    const char *decision, struct lc_diag *d);

/*
 * Publishes round year once: its awardees into awards (provenance
 * "verified"), published_at set, and the e-mails queued (kind
 * "award_result": to each nominated city's first active coordinator and
 * to each nominating country's first active National Commission account).
 * *awardees and *mails say how many. Refused: published already
 * (LC_ECONFLICT, err_decision_published); no awardee marked (LC_EINVAL,
 * err_decision_no_awardee). One transaction; audit "award.publish".
 * LC_ACT_MANAGE_AWARD. 0; LC_ENOTFOUND, LC_EAUTH/LC_EPERM, LC_EDB and the
 * outbox's errors.
 */
int lc_award_publish(struct lc_db *db, const struct lc_actor *actor, long year, long *awardees,
                     long *mails, struct lc_diag *d);

#endif
