/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The Key Features of Learning Cities: /framework and /api/v1/framework. */
#include "web/routes/routes.h"

#include "domain/framework.h"

int lc_route_api_framework(struct lc_req *req, struct lc_resp *resp)
{
	return lc_site_serve(req, resp, lc_framework_get, NULL, NULL, NULL, NULL);
}

int lc_route_framework(struct lc_req *req, struct lc_resp *resp)
{
	return lc_site_serve(req, resp, lc_framework_get, NULL, "framework", "framework_title",
	                     "framework");
}
