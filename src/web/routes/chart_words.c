/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/routes/chart_words.h"

#include <string.h>

#include "web/chart.h"
#include "web/http.h"
#include "web/routes/site.h"

void lc_chart_words_of(const struct lc_req *req, struct lc_chart_words *w)
{
	*w = (struct lc_chart_words){
	    .no_data = lc_site_t(req, "chart_no_data"),
	    .scale = lc_site_t(req, "chart_scale"),
	    .rank = lc_site_t(req, "chart_rank"),
	    .interval = lc_site_t(req, "chart_interval"),
	    .count = lc_site_t(req, "chart_count"),
	    .cities = lc_site_t(req, "chart_cities"),
	    .median = lc_site_t(req, "chart_median"),
	    .quartiles = lc_site_t(req, "chart_quartiles"),
	    .range = lc_site_t(req, "chart_range"),
	    .lower = lc_site_t(req, "chart_lower"),
	    .decimal_mark = lc_site_t(req, "decimal_mark"),
	};
}

bool lc_chart_rtl(const struct lc_req *req)
{
	return req->dir && strcmp(req->dir, "rtl") == 0;
}
