/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The network's map (web/chart.h lc_chart_map) for the pages that show it:
 * the home page (every city) and the directory's map view (the cities of its
 * filters).
 */
#ifndef LC_ROUTES_CITY_MAP_H
#define LC_ROUTES_CITY_MAP_H

#include <jansson.h>

struct lc_city_query;
struct lc_db;
struct lc_req;

/*
 * Sets extra["map_svg"] to the map of the cities matching q (q's page is
 * ignored) and extra["map_count"] to how many it shows. 0, or the error of
 * lc_city_places (the page then shows no map).
 */
int lc_city_map(struct lc_req *req, struct lc_db *db, const struct lc_city_query *q, json_t *extra);

#endif
