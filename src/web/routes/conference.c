/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The International Conferences on Learning Cities: /conferences and /api/v1/conferences. */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"

#include "domain/conference/conference.h"

static int route_api_conferences(struct lc_req *req, struct lc_resp *resp)
{
	return lc_site_serve(req, resp, lc_conference_list, "conferences", NULL, NULL, NULL);
}

static int route_conferences(struct lc_req *req, struct lc_resp *resp)
{
	return lc_site_serve(req, resp, lc_conference_list, "conferences", "conferences",
	                     "conferences_title", "conferences");
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    LC_SITE_CACHED("/conferences", route_conferences, NULL),
    LC_SITE_CACHED("/api/v1/conferences", route_api_conferences, NULL),
};

#undef A

LC_ROUTE_GROUP(conference, rows);
