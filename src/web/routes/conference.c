/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The International Conferences on Learning Cities: /conferences and /api/v1/conferences. */
#include "web/routes/routes.h"

#include "domain/conference/conference.h"

int lc_route_api_conferences(struct lc_req *req, struct lc_resp *resp)
{
	return lc_site_serve(req, resp, lc_conference_list, "conferences", NULL, NULL, NULL);
}

int lc_route_conferences(struct lc_req *req, struct lc_resp *resp)
{
	return lc_site_serve(req, resp, lc_conference_list, "conferences", "conferences",
	                     "conferences_title", "conferences");
}
