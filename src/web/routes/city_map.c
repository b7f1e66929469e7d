/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The network's map on the home page and the directory (city_map.h). */
#include "web/routes/city_map.h"

#include <math.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/limits.h"
#include "domain/directory/city.h"
#include "web/chart.h"
#include "web/http.h"
#include "web/routes/site.h"

int lc_city_map(struct lc_req *req, struct lc_db *db, const struct lc_city_query *q, json_t *extra)
{
	json_t *places = NULL;
	int err = lc_city_places(db, q, &places);
	if (err)
		return err;
	size_t n = json_array_size(places);
	struct lc_chart_place *p = lc_xcalloc(n + 1, sizeof *p);
	size_t i;
	json_t *it;
	json_array_foreach(places, i, it)
	{
		const json_t *lat = json_object_get(it, "latitude"),
		             *lon = json_object_get(it, "longitude");
		p[i] = (struct lc_chart_place){
		    .label = json_string_value(json_object_get(it, "name")),
		    .lat = json_is_number(lat) ? json_number_value(lat) : NAN,
		    .lon = json_is_number(lon) ? json_number_value(lon) : NAN,
		    .country = (int)json_integer_value(
		        json_object_get(json_object_get(it, "country"), "numeric")),
		};
	}
	const char *desc = lc_arena_printf(req->arena, "%zu %s", n,
	                                   lc_site_t(req, n == 1 ? "map_desc_one" : "map_desc"));
	const struct lc_chart_frame f = {.id = "map",
	                                 .title = lc_site_t(req, "map_title"),
	                                 .desc = desc,
	                                 .rtl = req->dir && req->dir[0] == 'r'};
	const struct lc_chart_map m = {.n = n, .places = p};
	struct lc_buf svg;
	lc_buf_init(&svg, LC_LIMIT_HTTP_RESPONSE);
	err = lc_chart_map(&svg, &f, &m);
	if (!err) {
		json_object_set_new(extra, "map_svg", json_string(lc_buf_cstr(&svg)));
		json_object_set_new(extra, "map_count", json_integer((json_int_t)n));
	}
	lc_buf_cleanup(&svg);
	lc_free(p);
	json_decref(places);
	return err;
}
