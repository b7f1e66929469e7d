/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What the progress reports (reports.c) lend the city page: its reports
 * link and the secretariat's membership steps.
 */
#ifndef LC_REPORTS_H
#define LC_REPORTS_H

#include <jansson.h>

#include "web/routes/label.h"

struct lc_db;
struct lc_req;

/* The states of a progress report and their catalogue keys (workflow.h). */
extern const struct lc_label lc_reports_states[];

/* The states of a city's membership and their catalogue keys. */
extern const struct lc_label lc_membership_states[];

/*
 * For the city page of slug, puts into extra "reports_link": true for who
 * may file its reports, and for the secretariat "membership_admin": {state,
 * state_label, steps: [{to, name, label}], has_steps}; nothing for the
 * anonymous. On db, outside a read snapshot: looking may create the
 * membership item of a member from before the workflow.
 */
void lc_reports_city_extra(struct lc_req *req, struct lc_db *db, const char *slug, json_t *extra);

#endif
