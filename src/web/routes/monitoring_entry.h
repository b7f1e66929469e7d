/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What the data-entry pages (monitoring_entry.c) share with the entry API
 * (monitoring_api.c) and the offline files (monitoring_upload.c).
 */
#ifndef LC_MONITORING_ENTRY_H
#define LC_MONITORING_ENTRY_H

#include <jansson.h>

struct lc_req;
struct lc_resp;

/*
 * The {year} of the request's path, as a number from LC_OBS_YEAR_MIN to
 * 9999, or 0. Not a declared parameter on purpose: the router would answer a
 * malformed year with 400 before the before hook's CSRF check, and a
 * state-changing route must refuse a forged request with 403 whatever its
 * path holds.
 */
long lc_monitoring_entry_year(const struct lc_req *req);
/* The current version of a value's view-model (the one flagged current), or NULL. Borrowed. */
const json_t *lc_monitoring_entry_current(const json_t *item);
/*
 * Renders the overview of a city's year; upload (may be NULL; borrowed) is
 * the result of an upload to show above the areas, and status (0: 200) the
 * answer's status.
 */
int lc_monitoring_entry_year_page(struct lc_req *req, struct lc_resp *resp, json_t *upload,
                                  int status);

#endif
