/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What the review of reporting years (monitoring_review.c) lends the data
 * entry pages: the names in their headings.
 */
#ifndef LC_MONITORING_REVIEW_H
#define LC_MONITORING_REVIEW_H

#include <jansson.h>

#include "web/routes/label.h"

struct lc_db;
struct lc_req;

/* The states of a year under review and their catalogue keys ("report_status_..."). */
extern const struct lc_label lc_review_states[];

/*
 * Sets vm["city_name"] (the city's name in the request's language, else its
 * slug) and, when area is not NULL, vm["area_title"] (the area of focus's
 * title, when the current framework has it), reading through db: for the
 * headings of the data-entry pages.
 */
void lc_review_names(struct lc_req *req, struct lc_db *db, const char *slug, const char *area,
                     json_t *vm);

#endif
