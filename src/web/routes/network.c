/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The network at a glance: the home page, /api/v1/network, and the health
 * check /api/v1/health.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/city_map.h"

#include "base/error.h"
#include "db/db.h"
#include "domain/award/award.h"
#include "domain/directory/city.h"
#include "domain/directory/network.h"
#include "web/http.h"

static int route_api_health(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	/* Healthy means the database answers, not only that the process runs. */
	int err = lc_site_db(req, &db);
	if (!err && lc_db_schema_version(db) < 0)
		err = LC_EDB;
	lc_site_db_release(req, db);
	if (err) {
		lc_resp_error(resp, 503, "the database does not answer");
		return 0;
	}
	json_t *v = json_pack("{s:s,s:s}", "status", "ok", "version", LC_VERSION);
	err = lc_resp_json(resp, v);
	json_decref(v);
	return err;
}

/* The summary with the counts the home page shows beside it (an lc_site_loader). */
static int summary(struct lc_db *db, const char *lang, json_t **out)
{
	json_t *vm = NULL, *rounds = NULL;
	int err = lc_network_summary(db, lang, &vm);
	if (!err)
		err = lc_award_list(db, lang, &rounds);
	if (err)
		goto out;
	json_int_t awards = 0;
	size_t i;
	json_t *r;
	json_array_foreach(rounds, i, r) awards += json_integer_value(json_object_get(r, "count"));
	json_object_set_new(vm, "awards_total", json_integer(awards));
	json_object_set_new(
	    vm, "conferences_total",
	    json_integer((json_int_t)json_array_size(json_object_get(vm, "conferences"))));
	*out = vm;
	vm = NULL;
out:
	json_decref(vm);
	json_decref(rounds);
	return err;
}

/* Bar lengths for the per-region chart, relative to the largest region. */
static void add_bars(json_t *vm)
{
	json_t *regions = json_object_get(json_object_get(vm, "directory"), "per_region");
	json_int_t max = 0;
	size_t i;
	json_t *r;
	json_array_foreach(regions, i, r)
	{
		json_int_t c = json_integer_value(json_object_get(r, "cities"));
		if (c > max)
			max = c;
	}
	json_array_foreach(regions, i, r)
	{
		json_int_t c = json_integer_value(json_object_get(r, "cities"));
		json_object_set_new(r, "bar_pct", json_integer(max ? c * 100 / max : 0));
	}
}

static int dress_home(struct lc_req *req, struct lc_db *db, json_t *vm, json_t *extra)
{
	add_bars(vm);
	const struct lc_city_query every = {.lang = req->lang};
	return lc_city_map(req, db, &every, extra);
}

/* The home page, and the same summary as /api/v1/network. */
static const struct lc_site_view home = {
    .list = summary,
    .tpl = "home",
    .title_key = "home_title",
    .dress = dress_home,
    .cached = true,
};

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    LC_SITE_VIEW_AT("/", "/api/v1/network", &home, NULL, 0),
    {LC_HTTP_GET, "/api/v1/health", route_api_health, NULL, 0, 0, NULL},
};

#undef A

LC_ROUTE_GROUP(network, rows);
