/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A person's home: what they land on after login, built from their roles.
 * What waits on them across every process (inbox.h) comes first; then, per
 * role, where their work lives: a coordinator's cities with their data
 * years (state and completeness) and progress reports, a National
 * Commission's countries, the applications a person made. It reads the
 * other rooms and owns nothing.
 */
#ifndef LC_HOME_H
#define LC_HOME_H

#include <jansson.h>

#include "domain/accounts/authz.h"

struct lc_db;

/* Cases of the inbox a home shows; "more" links to the rest. */
#define LC_HOME_WAITING 20
/* Data years and reports shown per city. */
#define LC_HOME_PER_CITY 6

/*
 * The home of actor, names in lang:
 * {"waiting": {lc_inbox_list}, "admin": bool, "expert": bool,
 *  "cities": [{"slug", "name", "years": [lc_year_review_queue items],
 *              "years_total", "reports": [lc_progress_list items], "reports_total"}],
 *  "countries": [{"code", "name"}], "juries": [2027, ...],
 *  "applications": [lc_application_list items (the actor's own)],
 *  "applications_total"}
 * 0 (caller owns *out), LC_EAUTH (not an account), LC_EDB.
 */
int lc_home_get(struct lc_db *db, const struct lc_actor *actor, const char *lang, json_t **out);

#endif
