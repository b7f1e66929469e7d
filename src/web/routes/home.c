/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Where a person finds their work: /home (where login lands; the header's
 * first link), with what waits on them across every process and, per role,
 * where their work lives; and a city's data years, /cities/{slug}/data, with
 * a year picker. Both are views (site.h) with their /api/v1 twins.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/label.h"
#include "web/routes/pipeline.h"

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/directory/city.h"
#include "domain/home/home.h"
#include "domain/monitoring/observation.h"
#include "domain/monitoring/year_review.h"
#include "domain/platform/clock.h"
#include "web/http.h"

/* ---- /home ---- */

static int load_home(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	return lc_home_get(db, lc_auth_actor(req), req->lang, vm);
}

/* State labels, people's times, the process of each waiting case, flags for empty states. */
static int dress_home(struct lc_req *req, struct lc_db *db, json_t *vm, json_t *extra)
{
	(void)db;
	json_t *waiting = json_object_get(json_object_get(vm, "waiting"), "items");
	size_t i;
	json_t *it;
	json_array_foreach(waiting, i, it)
	{
		lc_label_states(
		    req, it, "state",
		    lc_pipeline_states(json_string_value(json_object_get(it, "process"))), 0);
		json_object_set_new(it, "process_label",
		                    json_string(lc_pipeline_process_label(
		                        req, json_string_value(json_object_get(it, "process")))));
	}
	json_array_foreach(json_object_get(vm, "cities"), i, it)
	{
		lc_label_states(req, json_object_get(it, "years"), "status",
		                lc_pipeline_states("year_review"), 1);
		lc_label_states(req, json_object_get(it, "reports"), "state",
		                lc_pipeline_states("report"), 1);
		json_object_set_new(it, "has_years",
		                    json_boolean(json_array_size(json_object_get(it, "years"))));
		json_object_set_new(it, "has_reports",
		                    json_boolean(json_array_size(json_object_get(it, "reports"))));
	}
	lc_label_states(req, json_object_get(vm, "applications"), "state",
	                lc_pipeline_states("application"), 1);
	lc_auth_human_times(vm);
	bool roles = json_array_size(json_object_get(vm, "cities")) ||
	             json_array_size(json_object_get(vm, "countries")) ||
	             json_array_size(json_object_get(vm, "juries")) ||
	             json_is_true(json_object_get(vm, "admin")) ||
	             json_is_true(json_object_get(vm, "expert"));
	json_object_set_new(extra, "has_waiting", json_boolean(json_array_size(waiting) > 0));
	json_object_set_new(extra, "has_roles", json_boolean(roles));
	json_object_set_new(extra, "has_countries",
	                    json_boolean(json_array_size(json_object_get(vm, "countries"))));
	json_object_set_new(extra, "has_applications",
	                    json_boolean(json_array_size(json_object_get(vm, "applications"))));
	return 0;
}

static const struct lc_site_view home = {
    .load = load_home,
    .tpl = "home_person",
    .title_key = "home_person_title",
    .nav = "home",
    .dress = dress_home,
};

/* ---- /cities/{slug}/data ---- */

static const struct lc_param_spec data_params[] = {
    {.name = "year",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_INT,
     .min = LC_OBS_YEAR_MIN,
     .max = 2999},
    {.name = NULL},
};

static int load_years(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	json_t *city = NULL, *years = NULL;
	struct lc_year_review_query q = {
	    .city = lc_req_str(req, "slug"), .lang = req->lang, .per_page = LC_LIMIT_PER_PAGE};
	int err = lc_year_review_queue(db, lc_auth_actor(req), &q, &years);
	if (!err)
		err = lc_city_get(db, q.city, req->lang, &city);
	if (!err)
		*vm = json_pack(
		    "{s:{s:O, s:O}, s:O, s:O}", "city", "slug", json_object_get(city, "slug"),
		    "name", json_object_get(city, "name"), "years", json_object_get(years, "items"),
		    "total", json_object_get(years, "total"));
	json_decref(city);
	json_decref(years);
	return err;
}

/* The state labels and the picker's years: this year back to LC_OBS_YEAR_MIN, those begun marked.
 */
static int dress_years(struct lc_req *req, struct lc_db *db, json_t *vm, json_t *extra)
{
	(void)db;
	json_t *years = json_object_get(vm, "years");
	lc_label_states(req, years, "status", lc_pipeline_states("year_review"), 1);
	lc_auth_human_times(vm);
	char today[11];
	lc_clock_date(lc_clock_now(), today);
	long now = 0;
	sscanf(today, "%4ld", &now);
	json_t *choices = json_array();
	for (long y = now; y >= LC_OBS_YEAR_MIN; y--) {
		bool begun = false;
		size_t i;
		json_t *it;
		json_array_foreach(years, i, it)
		{
			begun = begun || json_integer_value(json_object_get(it, "year")) == y;
		}
		json_array_append_new(
		    choices, json_pack("{s:I, s:b}", "year", (json_int_t)y, "begun", begun));
	}
	json_object_set_new(extra, "choices", choices);
	json_object_set_new(extra, "has_years", json_boolean(json_array_size(years) > 0));
	json_object_set_new(
	    extra, "title",
	    json_string(lc_arena_printf(
	        req->arena, "%s%s%s", lc_site_t(req, "data_years_title"),
	        lc_site_t(req, "title_colon"),
	        json_string_value(json_object_get(json_object_get(vm, "city"), "name")))));
	return 0;
}

static const struct lc_site_view data_years = {
    .load = load_years,
    .tpl = "data_years",
    .title_key = "data_years_title",
    .nav = "cities",
    .dress = dress_years,
};

/* The year picker sends ?year=: its year's page; without it, the list of years. */
static int route_data_years(struct lc_req *req, struct lc_resp *resp)
{
	long year = lc_req_int(req, "year", 0);
	if (!year)
		return lc_site_view(req, resp);
	struct lc_buf to;
	lc_buf_init(&to, 256);
	lc_buf_puts(&to, "/cities/");
	const char *slug = lc_req_str(req, "slug");
	lc_buf_append_url(&to, slug, strlen(slug));
	lc_buf_printf(&to, "/data/%ld", year);
	int err = lc_buf_error(&to) ? LC_ELIMIT : lc_resp_redirect(resp, lc_buf_cstr(&to));
	lc_buf_cleanup(&to);
	return err;
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    LC_SITE_VIEW("/home", &home, NULL, LC_ROUTE_LOGIN),
    {LC_HTTP_GET, "/cities/{slug}/data", route_data_years, data_params, 0, LC_ROUTE_LOGIN,
     &data_years},
    {LC_HTTP_GET, "/api/v1/cities/{slug}/years", lc_site_view, NULL, 0, LC_ROUTE_LOGIN,
     &data_years},
};

#undef A

LC_ROUTE_GROUP(home, rows);
