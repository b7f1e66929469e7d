/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What the two files behind nomination.h share: nomination.c (the process,
 * starting a nomination, the override, the steps) and nomination_form.c
 * (the dossier, the signed forms, the views and lists). Not for other modules.
 */
#ifndef LC_NOMINATION_INTERNAL_H
#define LC_NOMINATION_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct lc_award_round;
struct lc_db;
struct lc_diag;

/* The nomination row of an item. */
struct lc_nomination_row {
	long year;
	int64_t city_id;
	bool override;
};

/* The row of item_id. 0, LC_ENOTFOUND, LC_EDB. */
int lc_nomination_row_of(struct lc_db *db, int64_t item_id, struct lc_nomination_row *n);

/* The stored dossier: general, plan, answers (object), links (array), files present. */
struct lc_nomination_dossier {
	json_t *answers, *links;
	char *general, *plan;
	bool mayor_form, consent;
};

/* Loads the dossier of item_id (free with lc_nomination_dossier_cleanup). 0, LC_ENOTFOUND, LC_EDB.
 */
int lc_nomination_dossier_of(struct lc_db *db, int64_t item_id, struct lc_nomination_dossier *x);
void lc_nomination_dossier_cleanup(struct lc_nomination_dossier *x);

/*
 * May actor see nomination it: as the workflow says (lc_wf_may_view), or as
 * a juror of its round reading it (jury.h). A juror who may not gets
 * LC_ENOTFOUND, as for a nomination that does not exist, so that a
 * conflict says nothing. 0, LC_EAUTH, LC_EPERM, LC_ENOTFOUND, LC_EDB.
 */
struct lc_actor;
struct lc_wf_item;
int lc_nomination_may_view(struct lc_db *db, const struct lc_actor *actor,
                           const struct lc_wf_item *it);

/* True when s is NULL or only white space. */
bool lc_nomination_blank(const char *s);

/* What sending the dossier still needs, one problem each (field, code) in d. */
void lc_nomination_completeness(const struct lc_award_round *r,
                                const struct lc_nomination_dossier *x, struct lc_diag *d);

#endif
