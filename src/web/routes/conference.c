/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The International Conferences on Learning Cities: /conferences and /api/v1/conferences. */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"

#include "domain/conference/conference.h"

static const struct lc_site_view conferences = {
    .list = lc_conference_list,
    .wrap = "conferences",
    .tpl = "conferences",
    .title_key = "conferences_title",
    .nav = "conferences",
    .cached = true,
};

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    LC_SITE_VIEW("/conferences", &conferences, NULL, 0),
};

#undef A

LC_ROUTE_GROUP(conference, rows);
