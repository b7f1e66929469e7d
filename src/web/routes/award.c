/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The Learning City Award rounds and awardees: /awards and /api/v1/awards. */
#include "web/routes/routes.h"

#include "domain/award/award.h"

int lc_route_api_awards(struct lc_req *req, struct lc_resp *resp)
{
	return lc_site_serve(req, resp, lc_award_list, "rounds", NULL, NULL, NULL);
}

int lc_route_awards(struct lc_req *req, struct lc_resp *resp)
{
	return lc_site_serve(req, resp, lc_award_list, "rounds", "awards", "awards_title",
	                     "awards");
}
