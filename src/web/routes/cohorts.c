/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The cohorts of progress reports: the secretariat's page that lists them
 * and opens a new one (a year's reports for every member city, with their
 * deadline). Opening is domain/progress.h's lc_progress_open_cohort.
 */
#include "web/routes/group.h"
#include "web/routes/reports.h"
#include "web/routes/workflow.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/workflow.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/platform/clock.h"
#include "domain/workflow/membership.h"
#include "domain/workflow/processes.h"
#include "domain/workflow/progress.h"
#include "domain/workflow/workflow.h"
#include "web/http.h"
#include "web/urlcodec.h"

/* A non-empty string parameter, or NULL. */
static const char *param(const struct lc_req *req, const char *name)
{
	const char *s = lc_req_str(req, name);
	return s && *s ? s : NULL;
}

/* The slug's city id, or 0. */
static int64_t city_id_of(struct lc_db *db, const char *slug)
{
	int64_t id = 0;
	return lc_membership_city_id(db, slug, &id) == 0 ? id : 0;
}

/* ---- cohorts --------------------------------------------------------------- */

static const struct lc_param_spec report_cohort_params[] = {
    {.name = "year", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 8},
    {.name = "deadline", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 16},
    {.name = "grace_days", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 8},
    {.name = "scope",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_ENUM,
     .choices = (const char *const[]){"all", "list", NULL}},
    {.name = "cities", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 20000},
    {.name = "confirm", .source = LC_PARAM_FORM, .type = LC_PARAM_BOOL},
    {.name = "done", .source = LC_PARAM_QUERY, .type = LC_PARAM_INT, .min = 0, .max = 100000},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static int cohorts_page(struct lc_req *req, struct lc_resp *resp, json_t *form, int status)
{
	json_t *list = NULL;
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_progress_cohorts(db, lc_auth_actor(req), &list);
	lc_site_db_read_end(req, db);
	if (err) {
		json_decref(form);
		return err;
	}
	size_t i;
	json_t *c;
	json_array_foreach(list, i, c)
	{
		json_t *states = json_array();
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(c, "by_state"), k, v)
		{
			json_array_append_new(states,
			                      json_pack("{s:s, s:s, s:O}", "state", k, "label",
			                                lc_label_text(req, lc_reports_states, k),
			                                "count", v));
		}
		json_object_set_new(c, "states", states);
	}
	json_t *vm = json_pack(
	    "{s:o, s:b, s:o}", "cohorts", list, "has_cohorts", json_array_size(list) > 0, "form",
	    form ? form : json_pack("{s:s, s:s}", "grace_days", "90", "scope", "all"));
	json_t *f = json_object_get(vm, "form");
	const char *scope = json_string_value(json_object_get(f, "scope"));
	json_object_set_new(f, "scope_list", json_boolean(scope && strcmp(scope, "list") == 0));
	long done = lc_req_int(req, "done", 0);
	if (done > 0)
		json_object_set_new(vm, "done", json_integer(done));
	err = lc_site_page(req, resp, "report_cohorts", lc_site_t(req, "cohorts_title"), "reports",
	                   vm, NULL);
	if (!err && status)
		resp->status = status;
	json_decref(vm);
	return err;
}

static int route_admin_cohorts(struct lc_req *req, struct lc_resp *resp)
{
	return lc_auth_fail(req, resp, cohorts_page(req, resp, NULL, 0));
}

/* Whole number of a form field, or `bad` when it is not one. */
static long form_long(const char *s, long bad)
{
	if (!s || !*s || strlen(s) > 7)
		return bad;
	long v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return bad;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/* The slugs of a text (separated by commas, spaces or lines) as city ids. */
static int slugs_to_ids(struct lc_req *req, struct lc_db *db, const char *text, int64_t **ids,
                        size_t *n, struct lc_diag *d)
{
	size_t cap = 16;
	int64_t *v = lc_req_alloc(req, cap * sizeof *v);
	*n = 0;
	const char *p = text ? text : "";
	while (*p) {
		while (*p == ',' || *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
			p++;
		const char *s = p;
		while (*p && *p != ',' && *p != ' ' && *p != '\n' && *p != '\r' && *p != '\t')
			p++;
		if (p == s)
			break;
		char slug[96];
		snprintf(slug, sizeof slug, "%.*s", (int)(p - s), s);
		int64_t id = city_id_of(db, slug);
		if (!id) {
			lc_diag_addf(d, NULL, 0, 0, "cities", "err_report_city",
			             LC_ARG_S("slug", slug));
			continue;
		}
		if (*n == LC_LIMIT_REPORT_COHORT)
			return LC_ELIMIT;
		if (*n == cap) {
			int64_t *w = lc_req_alloc(req, 2 * cap * sizeof *w);
			memcpy(w, v, cap * sizeof *w);
			v = w;
			cap *= 2;
		}
		v[(*n)++] = id;
	}
	*ids = v;
	if (!*n && !lc_diag_total(d))
		lc_diag_add(d, NULL, 0, 0, "cities", "err_report_list_cities_their_short");
	return lc_diag_total(d) ? LC_EINVAL : 0;
}

static int route_admin_cohort_open(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	const char *scope = lc_req_str(req, "scope");
	json_t *form =
	    json_pack("{s:s, s:s, s:s, s:s, s:s}", "year",
	              lc_req_str(req, "year") ? lc_req_str(req, "year") : "", "deadline",
	              lc_req_str(req, "deadline") ? lc_req_str(req, "deadline") : "", "grace_days",
	              lc_req_str(req, "grace_days") ? lc_req_str(req, "grace_days") : "", "scope",
	              scope ? scope : "all", "cities",
	              lc_req_str(req, "cities") ? lc_req_str(req, "cities") : "");
	struct lc_progress_cohort c = {
	    .year = form_long(lc_req_str(req, "year"), 0),
	    .deadline = lc_req_str(req, "deadline"),
	    .grace_days =
	        param(req, "grace_days") ? form_long(param(req, "grace_days"), 100000) : -1,
	};
	int64_t cohort = 0;
	int err = lc_site_db(req, &db);
	if (!err && !lc_req_bool(req, "confirm")) {
		lc_diag_add(&d, NULL, 0, 0, "confirm", "report_confirm_needed");
		err = LC_EINVAL;
	}
	if (!err && scope && strcmp(scope, "list") == 0)
		err = slugs_to_ids(req, db, lc_req_str(req, "cities"), (int64_t **)&c.cities,
		                   &c.ncities, &d);
	if (!err)
		err = lc_progress_cohort_open(db, lc_auth_actor(req), &c, &cohort, NULL, &d);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL) {
		json_t *errors = json_object();
		for (size_t i = 0; i < d.count; i++) {
			const char *f = d.items[i].field ? d.items[i].field : "form";
			const char *prev = json_string_value(json_object_get(errors, f));
			char msg[600];
			snprintf(msg, sizeof msg, "%s%s%s", prev ? prev : "", prev ? " " : "",
			         lc_site_problem(req, &d.items[i]));
			json_object_set_new(errors, f, json_string(msg));
		}
		json_object_set_new(form, "errors", errors);
		lc_diag_cleanup(&d);
		return lc_auth_fail(req, resp, cohorts_page(req, resp, form, 422));
	}
	json_decref(form);
	lc_diag_cleanup(&d);
	if (!err) {
		char *to = lc_req_alloc(req, 64);
		snprintf(to, 64, "/admin/reports/cohorts?done=%lld", (long long)cohort);
		err = lc_resp_redirect(resp, to);
	}
	return lc_auth_fail(req, resp, err);
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/admin/reports/cohorts", route_admin_cohorts, report_cohort_params, 0,
     LC_ROUTE_LOGIN | A(REVIEW_REPORT), NULL},
    {LC_HTTP_POST, "/admin/reports/cohorts", route_admin_cohort_open, report_cohort_params, 0,
     LC_ROUTE_LOGIN | A(REVIEW_REPORT), NULL},
};

#undef A

LC_ROUTE_GROUP(cohorts, rows);
