/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Biennial progress reports and membership overrides, pages and JSON API.
 *
 * It owns no rule: who may see, fill, submit, accept or return a report,
 * the questionnaire's checks, the deadlines and the lapse are
 * domain/progress.h's and domain/workflow.h's; membership overrides are
 * domain/membership.h's. This file turns requests into those calls and
 * their answers (and problems) into JSON or pages.
 *
 * API:
 *   POST /api/v1/reports             {"year", "deadline", "grace_days"?, "cities": [slug] | "all"}
 *                                    opens a cohort: 201 {"cohort", "reports": [ids]}
 *   GET  /api/v1/reports             ?state&city&year&page&per_page, scoped to the caller
 *   GET  /api/v1/reports/{id}        the report (lc_progress_get)
 *   PUT  /api/v1/reports/{id}        {"answers": {...}} saves a draft: 200 the report
 *   POST /api/v1/reports/{id}/transitions  {"to", "reason"?}: 200 the report
 *   POST /api/v1/cities/{slug}/membership/transitions  {"to", "reason"}: 200 the item
 * Refusals: 401 anonymous, 403 not yours, 404, 409 not from this state,
 * 422 {"error", "problems": [{"field", "message"}]}.
 *
 * Pages: /reports/{id} (the questionnaire, save and submit; the
 * secretariat's review), /cities/{slug}/reports, /admin/reports,
 * /admin/reports/cohorts, /admin/pipeline (every registered process by
 * state), and the membership override form of the city page.
 */
#include "web/routes/reports.h"
#include "web/routes/group.h"
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

/* ---- shared -------------------------------------------------------------- */

/*
 * Answers a domain refusal through the API: 422 with the problems for
 * LC_EINVAL, 409 for LC_ECONFLICT (with the problems too), else as
 * lc_auth_fail. Returns what the handler returns.
 */
static int64_t path_id(struct lc_req *req)
{
	return lc_req_int(req, "id", 0);
}

/* Adds "state_label" to every object of v (recursively) that has a string "state". */
static void label_states(struct lc_req *req, json_t *v, int depth)
{
	if (depth > 8)
		return;
	size_t i;
	json_t *e;
	if (json_is_array(v)) {
		json_array_foreach(v, i, e) label_states(req, e, depth + 1);
		return;
	}
	if (!json_is_object(v))
		return;
	const char *st = json_string_value(json_object_get(v, "state"));
	if (st)
		json_object_set_new(v, "state_label",
		                    json_string(lc_label_text(req, lc_reports_states, st)));
	const char *k;
	json_object_foreach(v, k, e)
	{
		if (strcmp(k, "state_label") != 0)
			label_states(req, e, depth + 1);
	}
}

/* The slug's city id, or 0. */
static int64_t city_id_of(struct lc_db *db, const char *slug)
{
	int64_t id = 0;
	return lc_membership_city_id(db, slug, &id) == 0 ? id : 0;
}

/* ---- the workflows' labels: literal catalogue keys, one table each ----------------------------
 */

const struct lc_label lc_reports_states[] = {
    {"draft", "wf_state_draft"},
    {"submitted", "wf_state_submitted"},
    {"returned", "wf_state_returned"},
    {"overdue", "wf_state_overdue"},
    {"accepted", "wf_state_accepted"},
    {"lapsed", "wf_state_lapsed"},
    {NULL, NULL},
};

static const struct lc_label report_steps[] = {
    {"create", "report_step_create"}, {"submit", "report_step_submit"},
    {"accept", "report_step_accept"}, {"return", "report_step_return"},
    {"flag", "report_step_flag"},     {"lapse", "report_step_lapse"},
    {"remind", "report_step_remind"}, {NULL, NULL},
};

/* The notice after a save or a step (?done=). */
static const struct lc_label report_done[] = {
    {"save", "report_done_save"},           {"submit", "report_done_submit"},
    {"accepted", "report_done_accepted"},   {"returned", "report_done_returned"},
    {"submitted", "report_done_submitted"}, {NULL, NULL},
};

/* The secretariat's buttons on a submitted report. */
static const struct lc_label report_actions[] = {
    {"accept", "report_do_accept"},
    {"return", "report_do_return"},
    {NULL, NULL},
};

const struct lc_label lc_membership_states[] = {
    {"member", "wf_state_member"},
    {"lapsed", "wf_state_lapsed"},
    {"suspended", "wf_state_suspended"},
    {"withdrawn", "wf_state_withdrawn"},
    {NULL, NULL},
};

static const struct lc_label membership_steps[] = {
    {"lapse", "membership_do_lapse"},       {"reinstate", "membership_do_reinstate"},
    {"restore", "membership_do_restore"},   {"suspend", "membership_do_suspend"},
    {"withdraw", "membership_do_withdraw"}, {NULL, NULL},
};

static const struct lc_wf_route report_wf;

/* ---- API ----------------------------------------------------------------- */

static const struct lc_param_spec reports_list_params[] = {
    {.name = "state", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 31},
    {.name = "city", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 80},
    {.name = "year", .source = LC_PARAM_QUERY, .type = LC_PARAM_INT, .min = 2000, .max = 2999},
    LC_PAGE_PARAMS,
    {.name = NULL},
};

static const struct lc_param_spec report_id_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = NULL},
};

static const char *param(const struct lc_req *req, const char *name)
{
	const char *s = lc_req_str(req, name);
	return s && *s ? s : NULL;
}

/* Reads the list filter; an unknown city slug is a city that has no report. */
static int list_reports(struct lc_req *req, struct lc_db *db, json_t **out)
{
	struct lc_progress_query q = {.state = param(req, "state"),
	                              .year = lc_req_int(req, "year", 0),
	                              .page = lc_req_int(req, "page", 1),
	                              .per_page = lc_req_int(req, "per_page", LC_DEFAULT_PER_PAGE)};
	const char *slug = param(req, "city");
	if (slug) {
		q.city_id = city_id_of(db, slug);
		if (!q.city_id)
			return LC_ENOTFOUND;
	}
	return lc_progress_list(db, lc_auth_actor(req), &q, req->lang, out);
}

static int route_api_reports(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL;
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = list_reports(req, db, &vm);
	lc_site_db_read_end(req, db);
	if (!err)
		err = lc_resp_json(resp, vm);
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

/* The cities of a cohort body: "all" (NULL, 0) or a list of slugs. */
static int cohort_cities(struct lc_req *req, struct lc_db *db, const json_t *v, int64_t **ids,
                         size_t *n, struct lc_diag *d)
{
	*ids = NULL;
	*n = 0;
	if (json_is_string(v) && strcmp(json_string_value(v), "all") == 0)
		return 0;
	if (!json_is_array(v) || !json_array_size(v)) {
		lc_diag_add(d, NULL, 0, 0, "cities", "err_report_give_all_list_city");
		return LC_EINVAL;
	}
	if (json_array_size(v) > LC_LIMIT_REPORT_COHORT)
		return LC_ELIMIT;
	int64_t *out = lc_req_alloc(req, json_array_size(v) * sizeof *out);
	size_t i;
	const json_t *s;
	json_array_foreach(v, i, s)
	{
		const char *slug = json_string_value(s);
		int64_t id = slug ? city_id_of(db, slug) : 0;
		if (!id)
			lc_diag_addf(d, NULL, 0, 0, "cities", "err_report_city",
			             LC_ARG_S("slug", slug ? slug : ""));
		else
			out[(*n)++] = id;
	}
	*ids = out;
	return lc_diag_total(d) ? LC_EINVAL : 0;
}

static int route_api_report_cohort(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL, *ids = NULL;
	struct lc_db *db = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	char msg[256];
	int err = lc_req_json(req, &body, msg, sizeof msg);
	if (err) {
		lc_resp_error(resp, 400, "%s", msg);
		return 0;
	}
	const json_t *jy = json_object_get(body, "year"), *jd = json_object_get(body, "deadline");
	const json_t *jg = json_object_get(body, "grace_days");
	if (!json_is_integer(jy) || !json_is_string(jd) || (jg && !json_is_integer(jg))) {
		lc_resp_error(resp, 400,
		              "the body needs \"year\" (a whole number), \"deadline\" (YYYY-MM-DD),"
		              " \"cities\" and optionally \"grace_days\"");
		json_decref(body);
		return 0;
	}
	struct lc_progress_cohort c = {
	    .year = (long)json_integer_value(jy),
	    .deadline = json_string_value(jd),
	    .grace_days = jg ? (long)json_integer_value(jg) : -1,
	};
	int64_t cohort = 0;
	err = lc_site_db(req, &db);
	if (!err)
		err = lc_authz_check(lc_auth_actor(req), LC_ACT_REVIEW_REPORT, NULL);
	if (!err)
		err = cohort_cities(req, db, json_object_get(body, "cities"), (int64_t **)&c.cities,
		                    &c.ncities, &d);
	if (!err)
		err = lc_progress_cohort_open(db, lc_auth_actor(req), &c, &cohort, &ids, &d);
	lc_site_db_release(req, db);
	if (!err) {
		json_t *j = json_pack("{s:I, s:O}", "cohort", (json_int_t)cohort, "reports", ids);
		err = lc_resp_json(resp, j);
		resp->status = 201;
		json_decref(j);
	} else {
		err = lc_auth_api_fail(req, resp, err, &d);
	}
	json_decref(ids);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

static int get_report(struct lc_req *req, int64_t id, json_t **vm)
{
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_progress_get(db, lc_auth_actor(req), id, req->lang, vm);
	lc_site_db_read_end(req, db);
	return err;
}

static int route_api_report(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL;
	int err = get_report(req, path_id(req), &vm);
	if (!err)
		err = lc_resp_json(resp, vm);
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

static int route_api_report_put(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL, *vm = NULL;
	struct lc_db *db = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	char msg[256];
	int err = 0;
	if (lc_auth_actor(req)->kind == LC_ACTOR_ANONYMOUS)
		return lc_auth_fail(req, resp, LC_EAUTH);
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		return 0;
	}
	const json_t *answers = json_object_get(body, "answers");
	if (!json_is_object(answers)) {
		lc_resp_error(resp, 400, "the body needs \"answers\": {\"question id\": value}");
		json_decref(body);
		return 0;
	}
	err = lc_site_db(req, &db);
	if (!err)
		err = lc_progress_save(db, lc_auth_actor(req), path_id(req), answers, &d);
	if (!err)
		err = lc_progress_get(db, lc_auth_actor(req), path_id(req), req->lang, &vm);
	lc_site_db_release(req, db);
	if (!err)
		err = lc_resp_json(resp, vm);
	else
		err = lc_auth_api_fail(req, resp, err, &d);
	json_decref(vm);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

/* ---- the report page ----------------------------------------------------- */

static const struct lc_param_spec report_page_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "done", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 31},
    {.name = "action",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_ENUM,
     .choices = (const char *const[]){"save", "submit", NULL}},
    {.name = "confirm", .source = LC_PARAM_FORM, .type = LC_PARAM_BOOL},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/*
 * Decorates a report's view-model for its page: type flags of each
 * question, the typed values and errors of a refused form (typed, errors:
 * objects by question id; may be NULL), the review steps the actor may take.
 */
static void decorate_report(struct lc_req *req, json_t *vm, const json_t *typed,
                            const json_t *errors)
{
	size_t i, j;
	json_t *s, *q;
	json_array_foreach(json_object_get(vm, "sections"), i, s)
	{
		/* The section navigation's target. */
		json_object_set_new(s, "anchor", json_sprintf("section-%zu", i + 1));
		json_array_foreach(json_object_get(s, "questions"), j, q)
		{
			const char *id = json_string_value(json_object_get(q, "id"));
			const char *type = json_string_value(json_object_get(q, "type"));
			char flag[32];
			snprintf(flag, sizeof flag, "is_%s", type ? type : "");
			json_object_set_new(q, flag, json_true());
			/* A short answer gets a short box. */
			json_int_t mw = json_integer_value(json_object_get(q, "max_words"));
			json_object_set_new(q, "rows", json_integer(mw <= 200 ? 5 : 9));
			json_object_set_new(q, "short", json_boolean(mw > 0 && mw <= 30));
			const json_t *tv = json_object_get(typed, id);
			if (json_is_string(tv)) {
				json_object_set(q, "value", (json_t *)tv);
				const char *v = json_string_value(tv);
				size_t k;
				json_t *o;
				json_array_foreach(json_object_get(q, "options"), k, o)
				{
					const char *ov =
					    json_string_value(json_object_get(o, "value"));
					json_object_set_new(o, "selected",
					                    json_boolean(ov && strcmp(ov, v) == 0));
				}
			}
			const char *v = json_string_value(json_object_get(q, "value"));
			json_object_set_new(q, "is_yes", json_boolean(v && strcmp(v, "yes") == 0));
			json_object_set_new(q, "is_no", json_boolean(v && strcmp(v, "no") == 0));
			const json_t *e = json_object_get(errors, id);
			if (e)
				json_object_set(q, "error", (json_t *)e);
		}
	}
	/* The secretariat's steps, one form each. */
	json_t *review = json_array();
	const json_t *n;
	json_array_foreach(json_object_get(vm, "next"), i, n)
	{
		const char *name = json_string_value(json_object_get(n, "name"));
		if (!name || strcmp(name, "submit") == 0)
			continue;
		json_t *r = json_deep_copy(n);
		json_object_set_new(r, "label",
		                    json_string(lc_label_text(req, report_actions, name)));
		json_object_set_new(r, "is_return", json_boolean(strcmp(name, "return") == 0));
		json_array_append_new(review, r);
	}
	json_object_set_new(vm, "review", review);
	bool may_submit = false;
	json_array_foreach(json_object_get(vm, "next"), i, n)
	{
		const char *name = json_string_value(json_object_get(n, "name"));
		may_submit = may_submit || (name && strcmp(name, "submit") == 0);
	}
	json_object_set_new(vm, "may_submit", json_boolean(may_submit));
	lc_wf_route_label_history(req, &report_wf, vm);
	/* The secretariat's comment heads the page while it waits for an answer; once the
	 * report is resubmitted or decided, the history keeps it as the step's reason. */
	const json_t *c0 = json_array_get(json_object_get(vm, "comments"), 0);
	const char *state = json_string_value(json_object_get(vm, "state"));
	if (c0 && state && strcmp(state, "returned") == 0)
		json_object_set(vm, "latest_comment", (json_t *)c0);
	label_states(req, vm, 0);
	lc_auth_human_times(vm);
}

static int report_page(struct lc_req *req, struct lc_resp *resp, const json_t *typed,
                       const json_t *errors, const char *flash, int status)
{
	json_t *vm = NULL;
	int err = get_report(req, path_id(req), &vm);
	if (err)
		return err;
	decorate_report(req, vm, typed, errors);
	const char *done = param(req, "done");
	json_t *extra = json_object();
	if (lc_label_key(report_done, done))
		json_object_set_new(extra, "done",
		                    json_string(lc_site_t(req, lc_label_key(report_done, done))));
	if (flash)
		json_object_set_new(extra, "form_error", json_string(flash));
	/* An error summary linking to each refused answer. */
	json_t *problems = json_array();
	const char *qid;
	json_t *msg;
	json_object_foreach((json_t *)errors, qid, msg)
	{
		json_array_append_new(problems, json_pack("{s:s, s:O}", "id", qid, "message", msg));
	}
	json_object_set_new(extra, "problems", problems);
	json_object_set_new(extra, "has_errors", json_boolean(errors && json_object_size(errors)));
	char title[200];
	snprintf(
	    title, sizeof title, "%s %lld – %s", lc_site_t(req, "report_title"),
	    (long long)json_integer_value(json_object_get(json_object_get(vm, "cohort"), "year")),
	    json_string_value(json_object_get(json_object_get(vm, "city"), "name")));
	err = lc_site_page(req, resp, "report", title, "reports", vm, extra);
	if (!err && status)
		resp->status = status;
	json_decref(vm);
	json_decref(extra);
	return err;
}

static int route_report(struct lc_req *req, struct lc_resp *resp)
{
	return lc_auth_fail(req, resp, report_page(req, resp, NULL, NULL, NULL, 0));
}

/* The decoded value of form field name, or NULL when absent (arena). */
static const char *form_field(struct lc_req *req, const struct lc_urlcodec_pair *p, size_t n,
                              const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < n; i++) {
		if (p[i].name.len != len || memcmp(p[i].name.ptr, name, len) != 0)
			continue;
		struct lc_slice out;
		if (lc_urlcodec_decode(req->arena, p[i].value, true, &out) == 0)
			return out.ptr;
	}
	return NULL;
}

/* The answers of the form: every q_<id> field present, by question id. */
static int form_answers(struct lc_req *req, json_t **out)
{
	struct lc_urlcodec_pair pairs[LC_LIMIT_HTTP_PARAMS];
	size_t np = 0;
	*out = NULL;
	int err =
	    lc_urlcodec_split_query((struct lc_slice){req->body ? req->body : "", req->body_len},
	                            pairs, LC_LIMIT_HTTP_PARAMS, &np);
	if (err)
		return err;
	json_t *a = json_object();
	for (size_t i = 0; i < np; i++) {
		if (pairs[i].name.len < 3 || pairs[i].name.len > 42 ||
		    memcmp(pairs[i].name.ptr, "q_", 2) != 0)
			continue;
		char name[48], id[48];
		snprintf(name, sizeof name, "%.*s", (int)pairs[i].name.len, pairs[i].name.ptr);
		snprintf(id, sizeof id, "%s", name + 2);
		const char *v = form_field(req, pairs, np, name);
		if (v)
			json_object_set_new(a, id, json_string(v));
	}
	*out = a;
	return 0;
}

static int route_report_save(struct lc_req *req, struct lc_resp *resp)
{
	json_t *answers = NULL, *errors = json_object();
	struct lc_db *db = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = path_id(req);
	bool submit =
	    strcmp(lc_req_str(req, "action") ? lc_req_str(req, "action") : "", "submit") == 0;
	int err = form_answers(req, &answers);
	if (!err)
		err = lc_site_db(req, &db);
	if (!err)
		err = lc_progress_save(db, lc_auth_actor(req), id, answers, &d);
	if (!err && submit && !lc_req_bool(req, "confirm")) {
		lc_site_db_release(req, db);
		db = NULL;
		err = report_page(req, resp, NULL, NULL, lc_site_t(req, "report_confirm_needed"),
		                  422);
		goto out;
	}
	if (!err && submit)
		err = lc_progress_take(db, lc_auth_actor(req), id, "submitted", NULL, &d);
	lc_site_db_release(req, db);
	db = NULL;
	if (err == LC_EINVAL || err == LC_ECONFLICT) {
		for (size_t i = 0; i < d.count; i++)
			if (d.items[i].field && !json_object_get(errors, d.items[i].field))
				json_object_set_new(errors, d.items[i].field,
				                    json_string(lc_site_problem(req, &d.items[i])));
		err = report_page(
		    req, resp, answers, errors,
		    lc_site_t(req, submit ? "report_submit_refused" : "report_save_refused"),
		    err == LC_EINVAL ? 422 : 409);
		goto out;
	}
	if (!err) {
		char *to = lc_req_alloc(req, 64);
		snprintf(to, 64, "/reports/%lld?done=%s", (long long)id,
		         submit ? "submit" : "save");
		err = lc_resp_redirect(resp, to);
	}
out:
	lc_site_db_release(req, db);
	json_decref(answers);
	json_decref(errors);
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* ---- lists ----------------------------------------------------------------- */

static int list_page(struct lc_req *req, struct lc_resp *resp, const char *tpl, const char *title,
                     const char *nav, json_t *extra_in)
{
	json_t *vm = NULL;
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = list_reports(req, db, &vm);
	lc_site_db_read_end(req, db);
	if (err) {
		json_decref(extra_in);
		return err;
	}
	json_t *extra = extra_in ? extra_in : json_object();
	/* Counts per state as filter links, in the process's order. */
	json_t *tabs = json_array();
	const json_t *by = json_object_get(vm, "by_state");
	const char *cur = param(req, "state");
	for (size_t i = 0; i < lc_progress_process.nstates; i++) {
		const char *s = lc_progress_process.states[i].name;
		json_array_append_new(tabs,
		                      json_pack("{s:s, s:s, s:I, s:s, s:b}", "state", s, "label",
		                                lc_label_text(req, lc_reports_states, s), "count",
		                                json_integer_value(json_object_get(by, s)), "href",
		                                lc_site_url_with(req, "state", s), "current",
		                                cur && strcmp(cur, s) == 0));
	}
	json_object_set_new(extra, "tabs", tabs);
	json_object_set_new(extra, "show_tabs", json_true());
	json_object_set_new(extra, "all_href", json_string(lc_site_url_with(req, "state", NULL)));
	json_object_set_new(extra, "all_current", json_boolean(!cur));
	json_object_set_new(extra, "pager", lc_site_pager(req, vm));
	json_object_set_new(extra, "has_results",
	                    json_boolean(json_array_size(json_object_get(vm, "items")) > 0));
	label_states(req, vm, 0);
	err = lc_site_page(req, resp, tpl, title, nav, vm, extra);
	json_decref(vm);
	json_decref(extra);
	return err;
}

static int route_admin_reports(struct lc_req *req, struct lc_resp *resp)
{
	json_t *extra = json_pack("{s:b}", "admin_list", 1);
	return lc_auth_fail(req, resp,
	                    list_page(req, resp, "reports", lc_site_t(req, "reports_admin_title"),
	                              "reports", extra));
}

static int route_city_reports(struct lc_req *req, struct lc_resp *resp)
{
	/* The city of the path is the filter; the domain scopes it to the actor. */
	const char *slug = lc_req_str(req, "slug");
	json_t *vm = NULL, *extra = NULL;
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	int64_t city = err ? 0 : city_id_of(db, slug);
	struct lc_progress_query q = {.city_id = city,
	                              .state = param(req, "state"),
	                              .page = lc_req_int(req, "page", 1),
	                              .per_page = lc_req_int(req, "per_page", LC_DEFAULT_PER_PAGE)};
	if (!err && !city)
		err = LC_ENOTFOUND;
	if (!err)
		err = lc_progress_list(db, lc_auth_actor(req), &q, req->lang, &vm);
	lc_site_db_read_end(req, db);
	if (err)
		return lc_auth_fail(req, resp, err);
	/* The city's name as its rows give it (in the reader's language); the slug when
	 * there is no row yet. */
	const char *name = json_string_value(json_object_get(
	    json_object_get(json_array_get(json_object_get(vm, "items"), 0), "city"), "name"));
	if (!name || !*name)
		name = slug;
	extra = json_pack("{s:s, s:s, s:o, s:b}", "city_slug", slug, "city_name", name, "pager",
	                  lc_site_pager(req, vm), "has_results",
	                  json_array_size(json_object_get(vm, "items")) > 0);
	label_states(req, vm, 0);
	char title[160];
	snprintf(title, sizeof title, "%s – %s", lc_site_t(req, "reports_city_title"), name);
	err = lc_site_page(req, resp, "reports", title, "cities", vm, extra);
	json_decref(vm);
	json_decref(extra);
	return lc_auth_fail(req, resp, err);
}

/* ---- membership ------------------------------------------------------------ */

void lc_reports_city_extra(struct lc_req *req, struct lc_db *db, const char *slug, json_t *extra)
{
	const struct lc_actor *a = lc_auth_actor(req);
	if (a->kind == LC_ACTOR_ANONYMOUS)
		return;
	int64_t city = city_id_of(db, slug);
	struct lc_authz_object o = {.city_id = city};
	if (city && lc_authz_check(a, LC_ACT_FILE_REPORT, &o) == 0)
		json_object_set_new(extra, "reports_link", json_true());
	struct lc_wf_item it;
	json_t *item = NULL;
	/* Looking may create the item of a member from before the workflow (as the system). */
	if (city && lc_authz_check(a, LC_ACT_DECIDE_MEMBERSHIP, NULL) == 0 &&
	    lc_membership_item(db, city, &it) == 0 && lc_wf_item_json(db, a, &it, &item) == 0) {
		json_t *steps = json_array();
		size_t i;
		const json_t *n;
		json_array_foreach(json_object_get(item, "next"), i, n)
		{
			const char *name = json_string_value(json_object_get(n, "name"));
			json_array_append_new(
			    steps, json_pack("{s:O, s:s, s:s}", "to", json_object_get(n, "to"),
			                     "name", name ? name : "", "label",
			                     lc_label_text(req, membership_steps, name)));
		}
		json_object_set_new(
		    extra, "membership_admin",
		    json_pack("{s:s, s:s, s:o, s:b}", "state", it.state, "state_label",
		              lc_label_text(req, lc_membership_states, it.state), "steps", steps,
		              "has_steps", json_array_size(steps) > 0));
		json_decref(item);
	}
}

static const struct lc_param_spec membership_item_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = NULL},
};

static int route_membership_item(struct lc_req *req, struct lc_resp *resp)
{
	/* The e-mails of the membership process link here: the city's page shows it. */
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	char *to = lc_req_alloc(req, 160);
	if (!err)
		err = lc_membership_item_path(db, path_id(req), to, 160);
	lc_site_db_read_end(req, db);
	if (!err)
		err = lc_resp_redirect(resp, to);
	return lc_auth_fail(req, resp, err);
}

/* ---- the workflow routes' data (workflow.h) ------------------------------------------------- */

static int locate_report(struct lc_req *req, struct lc_db *db, int64_t *id)
{
	(void)db;
	*id = path_id(req);
	return 0;
}

static int take_report(struct lc_req *req, struct lc_db *db, const struct lc_actor *actor,
                       int64_t id, const char *to, const char *reason, const char *link,
                       struct lc_diag *d)
{
	(void)req;
	(void)link;
	return lc_progress_take(db, actor, id, to, reason, d);
}

static int view_report(struct lc_req *req, struct lc_db *db, int64_t id, json_t **out)
{
	return lc_progress_get(db, lc_auth_actor(req), id, req->lang, out);
}

static int refused_report(struct lc_req *req, struct lc_resp *resp, int64_t id, int status,
                          const struct lc_diag *d)
{
	(void)id;
	const char *msg = !d         ? lc_site_t(req, "report_confirm_needed")
	                  : d->count ? lc_site_problem(req, &d->items[0])
	                             : lc_site_t(req, "report_step_refused");
	return report_page(req, resp, NULL, NULL, msg, status);
}

static const char *done_report(struct lc_req *req, int64_t id, const char *to)
{
	return lc_arena_printf(req->arena, "/reports/%lld?done=%s", (long long)id, to);
}

static const struct lc_wf_route report_wf = {
    .process = &lc_progress_process,
    .states = lc_reports_states,
    .steps = report_steps,
    .locate = locate_report,
    .take = take_report,
    .view = view_report,
    .confirm = true,
    .refused = refused_report,
    .done = done_report,
};

/* A city's membership: the case is the city of the path's {slug}. */
static int locate_city(struct lc_req *req, struct lc_db *db, int64_t *id)
{
	*id = city_id_of(db, lc_req_str(req, "slug"));
	return *id ? 0 : LC_ENOTFOUND;
}

static int take_membership(struct lc_req *req, struct lc_db *db, const struct lc_actor *actor,
                           int64_t city, const char *to, const char *reason, const char *link,
                           struct lc_diag *d)
{
	(void)req;
	(void)link;
	return lc_membership_take(db, actor, city, to, reason, d, NULL);
}

static int view_membership(struct lc_req *req, struct lc_db *db, int64_t city, json_t **out)
{
	struct lc_wf_item it;
	int err = lc_membership_item(db, city, &it);
	if (!err)
		err = lc_wf_item_json(db, lc_auth_actor(req), &it, out);
	return err;
}

static int refused_membership(struct lc_req *req, struct lc_resp *resp, int64_t city, int status,
                              const struct lc_diag *d)
{
	(void)city;
	lc_resp_error(resp, status, "%s",
	              !d         ? lc_site_t(req, "report_confirm_needed")
	              : d->count ? lc_site_problem(req, &d->items[0])
	                         : lc_site_t(req, "report_step_refused"));
	return 0;
}

static const char *done_membership(struct lc_req *req, int64_t city, const char *to)
{
	(void)city;
	(void)to;
	return lc_arena_printf(req->arena, "/cities/%s?membership=changed#h-membership",
	                       lc_req_str(req, "slug"));
}

static const struct lc_wf_route membership_wf = {
    .process = &lc_membership_process,
    .states = lc_membership_states,
    .steps = membership_steps,
    .locate = locate_city,
    .take = take_membership,
    .view = view_membership,
    .confirm = true,
    .refused = refused_membership,
    .done = done_membership,
};

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/reports/{id}/history", lc_wf_route_history, lc_wf_history_params, 0,
     LC_ROUTE_LOGIN, &report_wf},
    {LC_HTTP_GET, "/api/v1/reports/{id}/history", lc_wf_route_api_history, lc_wf_history_params, 0,
     LC_ROUTE_LOGIN, &report_wf},
    {LC_HTTP_GET, "/api/v1/reports", route_api_reports, reports_list_params, 0, LC_ROUTE_LOGIN,
     NULL},
    {LC_HTTP_POST, "/api/v1/reports", route_api_report_cohort, NULL, 0,
     LC_ROUTE_LOGIN | A(REVIEW_REPORT), NULL},
    {LC_HTTP_GET, "/api/v1/reports/{id}", route_api_report, report_id_params, 0, LC_ROUTE_LOGIN,
     NULL},
    {LC_HTTP_PUT, "/api/v1/reports/{id}", route_api_report_put, report_id_params, 0,
     LC_ROUTE_LOGIN | A(FILE_REPORT), NULL},
    {LC_HTTP_POST, "/api/v1/reports/{id}/transitions", lc_wf_route_api_step, report_id_params, 0,
     LC_ROUTE_LOGIN, &report_wf},
    {LC_HTTP_POST, "/api/v1/cities/{slug}/membership/transitions", lc_wf_route_api_step, NULL, 0,
     LC_ROUTE_LOGIN | A(DECIDE_MEMBERSHIP), &membership_wf},
    {LC_HTTP_GET, "/reports/{id}", route_report, report_page_params, 0, LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_POST, "/reports/{id}", route_report_save, report_page_params, 0,
     LC_ROUTE_LOGIN | A(FILE_REPORT), NULL},
    {LC_HTTP_POST, "/reports/{id}/transitions", lc_wf_route_step, lc_wf_step_params, 0,
     LC_ROUTE_LOGIN, &report_wf},
    {LC_HTTP_GET, "/cities/{slug}/reports", route_city_reports, reports_list_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_POST, "/cities/{slug}/membership", lc_wf_route_step, lc_wf_case_step_params, 0,
     LC_ROUTE_LOGIN | A(DECIDE_MEMBERSHIP), &membership_wf},
    {LC_HTTP_GET, "/memberships/{id}", route_membership_item, membership_item_params, 0, 0, NULL},
    {LC_HTTP_GET, "/admin/reports", route_admin_reports, reports_list_params, 0,
     LC_ROUTE_LOGIN | A(REVIEW_REPORT), NULL},
};

#undef A

LC_ROUTE_GROUP(reports, rows);
