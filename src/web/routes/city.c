/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The directory of cities: /cities (search, filters, sorting, pagination)
 * and /cities/{slug}, as pages and as /api/v1/cities[/{slug}].
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/download.h"
#include "web/routes/city_map.h"
#include "web/routes/auth.h"
#include "web/routes/label.h"
#include "web/routes/reports.h"

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/award/award.h"
#include "domain/directory/city.h"
#include "domain/directory/country.h"
#include "domain/directory/region.h"
#include "domain/library/library.h"
#include "web/http.h"
#include "web/router.h"

static const char *const region_codes[] = {"AFR", "ARB", "APA", "EUR", "LAC", NULL};
static const char *const statuses[] = {LC_CITY_STATUSES, NULL};
static const char *const views[] = {"list", "map", NULL};
static const char *const sorts[] = {"name",    "-name",      "country",     "-country", "region",
                                    "-region", "award_year", "-award_year", NULL};

static const struct lc_param_spec city_list_params[] = {
    {.name = "q",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_SEARCH_BYTES},
    {.name = "region", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = region_codes},
    {.name = "country", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 2},
    {.name = "award_year",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_INT,
     .min = 1900,
     .max = 2999},
    {.name = "status", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = statuses},
    {.name = "sort",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_ENUM,
     .choices = sorts,
     .dflt = "name"},
    /* The page only: the list, or the map above it. */
    {.name = "view", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = views},
    LC_PAGE_PARAMS,
    {.name = NULL},
};

/* A non-empty string parameter, or NULL (an empty select means "any"). */
static const char *opt_str(const struct lc_req *req, const char *name)
{
	const char *s = lc_req_str(req, name);
	return s && *s ? s : NULL;
}

/* Fills q from the request's declared parameters. */
static int read_query(const struct lc_req *req, struct lc_city_query *q)
{
	memset(q, 0, sizeof *q);
	q->lang = req->lang;
	q->q = opt_str(req, "q");
	q->region = opt_str(req, "region");
	q->country = opt_str(req, "country");
	q->award_year = lc_req_int(req, "award_year", 0);
	q->status = opt_str(req, "status");
	q->page = lc_req_int(req, "page", 1);
	q->per_page = lc_req_int(req, "per_page", LC_DEFAULT_PER_PAGE);
	return lc_city_sort_parse(lc_req_str(req, "sort"), &q->sort, &q->desc);
}

/* The list of cities the request asks for (an lc_site_view loader). */
static int load_cities(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	struct lc_city_query q;
	int err = read_query(req, &q);
	if (!err)
		err = lc_city_list(db, &q, vm);
	if (err == LC_EINVAL && q.country)
		lc_diag_addf(d, NULL, 0, 0, "country", "err_city_filter_country",
		             LC_ARG_S("value", q.country));
	return err;
}

/* Marks the option whose key equals current as selected, in place. */
static void mark_selected(json_t *options, const char *key, const char *current)
{
	size_t i;
	json_t *o;
	json_array_foreach(options, i, o)
	{
		const json_t *k = json_object_get(o, key);
		char num[24];
		const char *s = json_string_value(k);
		if (json_is_integer(k)) {
			snprintf(num, sizeof num, "%lld", (long long)json_integer_value(k));
			s = num;
		}
		json_object_set_new(o, "selected",
		                    json_boolean(current && s && !strcmp(s, current)));
	}
}

/* The form's options and state: regions, countries, award years, sorts. */
static int form_state(struct lc_req *req, struct lc_db *db, const struct lc_city_query *q,
                      json_t *form)
{
	json_t *regions = NULL, *countries = NULL, *rounds = NULL;
	int err = lc_region_list(db, req->lang, &regions);
	if (!err)
		err = lc_country_list(db, req->lang, true, &countries);
	if (!err)
		err = lc_award_list(db, req->lang, &rounds);
	if (err)
		goto out;
	mark_selected(regions, "code", q->region);
	mark_selected(countries, "code", q->country);
	json_t *years = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(rounds, i, r)
	{
		json_array_append_new(years,
		                      json_pack("{s:O}", "year", json_object_get(r, "year")));
	}
	char year[24] = "";
	if (q->award_year)
		snprintf(year, sizeof year, "%ld", q->award_year);
	mark_selected(years, "year", year);
	static const struct {
		const char *value, *label;
	} sort_labels[] = {{"name", "sort_name"},
	                   {"-name", "sort_name_desc"},
	                   {"country", "sort_country"},
	                   {"region", "sort_region"},
	                   {"award_year", "sort_award_year"},
	                   {"-award_year", "sort_award_year_desc"}};
	json_t *sort_opts = json_array();
	const char *cur = lc_city_sort_name(q->sort, q->desc);
	for (size_t k = 0; k < sizeof sort_labels / sizeof sort_labels[0]; k++)
		json_array_append_new(sort_opts,
		                      json_pack("{s:s,s:s,s:b}", "value", sort_labels[k].value,
		                                "label", lc_site_t(req, sort_labels[k].label),
		                                "selected", !strcmp(cur, sort_labels[k].value)));
	json_t *status_opts = json_array();
	for (size_t k = 0; statuses[k]; k++) {
		json_array_append_new(status_opts,
		                      json_pack("{s:s,s:s,s:b}", "value", statuses[k], "label",
		                                lc_label_text(req, lc_label_status, statuses[k]),
		                                "selected",
		                                q->status && !strcmp(q->status, statuses[k])));
	}
	json_object_set_new(form, "statuses", status_opts);
	json_object_set_new(form, "q", json_string(q->q ? q->q : ""));
	json_object_set(form, "regions", regions);
	json_object_set(form, "countries", countries);
	json_object_set_new(form, "award_years", years);
	json_object_set_new(form, "sorts", sort_opts);
	json_object_set_new(
	    form, "active",
	    json_boolean(q->q || q->region || q->country || q->award_year || q->status));
out:
	json_decref(regions);
	json_decref(countries);
	json_decref(rounds);
	return err;
}

/* The page's filter form, its result counts and its pager. */
static int dress_cities(struct lc_req *req, struct lc_db *db, json_t *vm, json_t *extra)
{
	struct lc_city_query q;
	json_t *form = json_object();
	int err = read_query(req, &q);
	if (!err)
		err = form_state(req, db, &q, form);
	long total = (long)json_integer_value(json_object_get(vm, "total"));
	json_object_set_new(extra, "has_results", json_boolean(total > 0));
	json_object_set_new(extra, "one_result", json_boolean(total == 1));
	json_object_set_new(extra, "form", form);
	json_object_set_new(extra, "pager", lc_site_pager(req, vm));
	json_object_set_new(extra, "downloads", lc_download_links(req, "/cities"));
	const char *view = lc_req_str(req, "view");
	bool map = view && strcmp(view, "map") == 0;
	json_object_set_new(extra, "view_map", json_boolean(map));
	json_object_set_new(extra, "map_href", json_string(lc_site_url_with(req, "view", "map")));
	json_object_set_new(extra, "list_href", json_string(lc_site_url_with(req, "view", NULL)));
	if (!err && map)
		err = lc_city_map(req, db, &q, extra);
	return err;
}

static const struct lc_site_view cities = {
    .load = load_cities,
    .tpl = "cities",
    .title_key = "cities_title",
    .nav = "cities",
    .dress = dress_cities,
    .cached = true,
};

static const struct lc_site_column city_columns[] = {
    {"name", "city"},
    {"country.name", "country"},
    {"region.name", "region"},
    {"status_label", "status"},
    {"award_years", "awards"},
    {"slug", "city_slug"},
    {0},
};

static const struct lc_download cities_download = {
    .load = load_cities, .columns = city_columns, .file = "cities"};

static int load_city(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	return lc_city_get(db, lc_req_str(req, "slug"), req->lang, vm);
}

/* The city's name as the title; its reports link and membership steps for who may use them. */
static int dress_city(struct lc_req *req, struct lc_db *db, json_t *vm, json_t *extra)
{
	json_object_set(extra, "title", json_object_get(vm, "name"));
	lc_reports_city_extra(req, db, lc_req_str(req, "slug"), extra);
	json_t *cases = NULL;
	if (lc_library_city_cases(db, lc_req_str(req, "slug"), &cases) == 0 &&
	    json_array_size(cases)) {
		json_object_set(extra, "library_cases", cases);
		json_object_set_new(extra, "has_library_cases", json_true());
	}
	json_decref(cases);
	return 0;
}

static const struct lc_site_view city = {
    .load = load_city,
    .tpl = "city",
    .nav = "cities",
    .dress = dress_city,
    .cached = true,
};

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    LC_SITE_VIEW("/cities", &cities, city_list_params, 0),
    LC_DOWNLOADS("/cities", &cities_download, city_list_params, 0),
    LC_SITE_VIEW("/cities/{slug}", &city, NULL, 0),
};

#undef A

LC_ROUTE_GROUP(city, rows);
