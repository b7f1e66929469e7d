/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The Learning City Award rounds and awardees: /awards and /api/v1/awards. */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"

#include "domain/award/award.h"

static int route_api_awards(struct lc_req *req, struct lc_resp *resp)
{
	return lc_site_serve(req, resp, lc_award_list, "rounds", NULL, NULL, NULL);
}

static int route_awards(struct lc_req *req, struct lc_resp *resp)
{
	return lc_site_serve(req, resp, lc_award_list, "rounds", "awards", "awards_title",
	                     "awards");
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    LC_SITE_CACHED("/awards", route_awards, NULL),
    LC_SITE_CACHED("/api/v1/awards", route_api_awards, NULL),
};

#undef A

LC_ROUTE_GROUP(award, rows);
