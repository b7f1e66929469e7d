/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The Learning City Award rounds and awardees: /awards and /api/v1/awards. */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"

#include "domain/award/award.h"

static const struct lc_site_view awards = {
    .list = lc_award_list,
    .wrap = "rounds",
    .tpl = "awards",
    .title_key = "awards_title",
    .nav = "awards",
    .cached = true,
};

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    LC_SITE_VIEW("/awards", &awards, NULL, 0),
};

#undef A

LC_ROUTE_GROUP(award, rows);
