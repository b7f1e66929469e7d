/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The static files (web/static.c): stylesheets, scripts, fonts and images
 * under /static/, with their own caching headers.
 */
#include "web/routes/group.h"

#include "web/http.h"
#include "web/static.h"

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/static/{file*}", lc_static_handler, NULL, 0, 0, NULL},
};

LC_ROUTE_GROUP(assets, rows);
