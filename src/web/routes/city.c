/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The directory of cities: /cities (search, filters, sorting, pagination)
 * and /cities/{slug}, as pages and as /api/v1/cities[/{slug}].
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/reports.h"

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/award/award.h"
#include "domain/directory/city.h"
#include "domain/directory/country.h"
#include "domain/directory/region.h"
#include "web/http.h"
#include "web/router.h"

static const char *const region_codes[] = {"AFR", "ARB", "APA", "EUR", "LAC", NULL};
static const char *const statuses[] = {LC_CITY_STATUSES, NULL};
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

/* Runs the list query; on a bad value answers 400 naming it. */
static int list(struct lc_resp *resp, struct lc_db *db, const struct lc_city_query *q, json_t **out)
{
	int err = lc_city_list(db, q, out);
	if (err == LC_EINVAL && q->country) {
		lc_resp_error(resp, 400, "parameter country: '%s' is not an ISO 3166 alpha-2 code",
		              q->country);
		return 0;
	}
	return err;
}

static int route_api_cities(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_city_query q;
	struct lc_db *db = NULL;
	json_t *vm = NULL;
	int err = read_query(req, &q);
	if (err)
		goto out;
	err = lc_site_db_read(req, &db);
	if (err)
		goto out;
	err = list(resp, db, &q, &vm);
	if (!err && vm)
		err = lc_resp_json(resp, vm);
out:
	lc_site_db_read_end(req, db);
	json_decref(vm);
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
		char key[48];
		snprintf(key, sizeof key, "status_%s", statuses[k]);
		json_array_append_new(status_opts,
		                      json_pack("{s:s,s:s,s:b}", "value", statuses[k], "label",
		                                lc_site_t(req, key), "selected",
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

static int route_cities(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_city_query q;
	struct lc_db *db = NULL;
	json_t *vm = NULL, *extra = json_object(), *form = json_object();
	int err = read_query(req, &q);
	if (err)
		goto out;
	err = lc_site_db_read(req, &db);
	if (err)
		goto out;
	err = list(resp, db, &q, &vm);
	if (err || !vm)
		goto out;
	err = form_state(req, db, &q, form);
	if (err)
		goto out;
	lc_site_db_read_end(req, db);
	db = NULL;
	long total = (long)json_integer_value(json_object_get(vm, "total"));
	json_object_set_new(extra, "has_results", json_boolean(total > 0));
	json_object_set_new(extra, "one_result", json_boolean(total == 1));
	json_object_set(extra, "form", form);
	json_object_set_new(extra, "pager", lc_site_pager(req, vm));
	err =
	    lc_site_page(req, resp, "cities", lc_site_t(req, "cities_title"), "cities", vm, extra);
out:
	lc_site_db_read_end(req, db);
	json_decref(vm);
	json_decref(form);
	json_decref(extra);
	return err;
}

/* Loads one city's view-model, or answers 404. */
static int get_city(struct lc_req *req, json_t **vm)
{
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_city_get(db, lc_req_str(req, "slug"), req->lang, vm);
	lc_site_db_read_end(req, db);
	return err;
}

static int route_api_city(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL;
	int err = get_city(req, &vm);
	if (err == LC_ENOTFOUND) {
		lc_resp_error(resp, 404, "no city with this address");
		return 0;
	}
	if (!err)
		err = lc_resp_json(resp, vm);
	json_decref(vm);
	return err;
}

static int route_city(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL, *extra = NULL;
	int err = get_city(req, &vm);
	/* Reports link and membership overrides (reports.c); NULL for anonymous visitors. */
	if (!err)
		extra = lc_reports_city_extra(req, lc_req_str(req, "slug"));
	if (!err)
		err =
		    lc_site_page(req, resp, "city", json_string_value(json_object_get(vm, "name")),
		                 "cities", vm, extra);
	json_decref(vm);
	json_decref(extra);
	return err;
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    LC_SITE_CACHED("/cities", route_cities, city_list_params),
    LC_SITE_CACHED("/cities/{slug}", route_city, NULL),
    LC_SITE_CACHED("/api/v1/cities", route_api_cities, city_list_params),
    LC_SITE_CACHED("/api/v1/cities/{slug}", route_api_city, NULL),
};

#undef A

LC_ROUTE_GROUP(city, rows);
