/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The case-study library: pages and JSON API. It owns no rule: cases,
 * curation and search are domain/library/library.h's; the steps are the
 * generic workflow routes' (workflow.h).
 *
 * API:
 *   GET  /api/v1/library                  search: ?q=&region=&country=&area=&sdg=&group=
 *                                         &period=&language=&sort=&page=&per_page= (facets repeat)
 *   GET  /api/v1/library/suggest?q=       titles for the search box
 *   POST /api/v1/library                  {"city", "lang", "title", ...}: 201 the draft
 *   GET  /api/v1/library/{id}             the case (the published version; its writers and
 *                                         curators: the working one); 410 withdrawn
 *   GET  /api/v1/library/{id}/v/{n}       one version
 *   PUT  /api/v1/library/{id}             members of the case: 200 the case
 *   POST /api/v1/library/{id}/transitions {"to", "reason"?}: 200 the case
 * Refusals: 401 anonymous, 403 not yours, 404, 409 not in this state,
 * 422 {"error", "problems": [...]} with every problem.
 *
 * Pages: /library (search, facets, cards, paging), /library/{id} and
 * /library/{id}/v/{n} (the case, a notice on an earlier version, the
 * tombstone of a withdrawn one at 410).
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/label.h"
#include "web/routes/workflow.h"

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "domain/library/library.h"
#include "domain/workflow/workflow.h"
#include "web/http.h"

static const struct lc_actor *actor_of(struct lc_req *req)
{
	return &lc_auth_user(req)->actor;
}

/* 409 for LC_ECONFLICT, 422 with the problems for LC_EINVAL, else as the auth refusals. */
static int api_fail(struct lc_req *req, struct lc_resp *resp, int err, const struct lc_diag *d)
{
	if (err == LC_ECONFLICT)
		return lc_site_refusal(req, resp, 409,
		                       d->count ? lc_site_problem(req, &d->items[0])
		                                : "not possible in the current state",
		                       d);
	if (err == LC_EINVAL || err == LC_ELIMIT)
		return lc_site_refuse(req, resp, err, d);
	return lc_auth_fail(req, resp, err);
}

static const struct lc_label *const states = lc_label_library_states;

static const struct lc_label steps[] = {
    {"create", "library_step_create"},
    {"submit", "library_step_submit"},
    {"resubmit", "library_step_resubmit"},
    {"request_changes", "library_step_request_changes"},
    {"publish", "library_step_publish"},
    {"decline", "library_step_decline"},
    {"revise", "library_step_revise"},
    {"withdraw", "library_step_withdraw"},
    {"import", "library_step_import"}, /* learncity library import */
    {NULL, NULL},
};

/* The problems of a check list said in the reader's language: [{field, code, message}]. */
static json_t *checks_json(struct lc_req *req, const struct lc_diag *d)
{
	json_t *a = json_array();
	for (size_t i = 0; i < d->count; i++)
		json_array_append_new(a, json_pack("{s:s?, s:s, s:s}", "field", d->items[i].field,
		                                   "code", d->items[i].code, "message",
		                                   lc_site_problem(req, &d->items[i])));
	return a;
}

/* The case as the API answers it; the checks for those who see its working version. */
static int view(struct lc_req *req, struct lc_db *db, int64_t id, json_t **out)
{
	int err = lc_library_get(db, actor_of(req), id, 0, req->lang, out);
	if (!err && json_object_get(*out, "state")) {
		struct lc_diag d;
		lc_diag_init(&d);
		if (lc_library_checks(db, id, &d) == 0)
			json_object_set_new(*out, "checks", checks_json(req, &d));
		lc_diag_cleanup(&d);
		json_object_set_new(
		    *out, "state_label",
		    json_string(lc_label_text(req, states,
		                              json_string_value(json_object_get(*out, "state")))));
	}
	return err;
}

/* ---- search ---------------------------------------------------------------------------------- */

static const char *const sorts[] = {"relevance", "date", "city", NULL};

/* The query parameter of each facet, in the order of lc_library_facet_names ("lang" is the
 * interface's language everywhere, so the facet of the text's language is "language"). */
static const char *const facet_params[LC_LIBRARY_FACETS] = {"region", "country", "area",    "sdg",
                                                            "group",  "period",  "language"};

#define FACET(n)                                                                                   \
	{                                                                                          \
		.name = n, .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .multi = true,       \
		.max_len = 40                                                                      \
	}
static const struct lc_param_spec search_params[] = {
    {.name = "q",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_LIBRARY_QUERY_BYTES},
    FACET("region"),
    FACET("country"),
    FACET("area"),
    FACET("sdg"),
    FACET("group"),
    FACET("period"),
    FACET("language"),
    {.name = "sort", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = sorts},
    LC_PAGE_PARAMS,
    {.name = NULL},
};
#undef FACET

/* The search of the request's parameters: 0 with *out, LC_EINVAL (too many values), LC_EDB. */
static int search(struct lc_req *req, json_t **out)
{
	struct lc_library_query q = {
	    .q = lc_req_str(req, "q"),
	    .sort = lc_req_str(req, "sort"),
	    .page = lc_req_int(req, "page", 1),
	    .per_page = lc_req_int(req, "per_page", LC_DEFAULT_PER_PAGE),
	    .lang = req->lang,
	};
	for (int f = 0; f < LC_LIBRARY_FACETS; f++) {
		const struct lc_req_param *p = lc_req_param(req, facet_params[f]);
		if (!p || !p->present)
			continue;
		if (p->count > LC_LIMIT_LIBRARY_FACET_VALUES)
			return LC_EINVAL;
		const char **v = lc_req_alloc(req, p->count * sizeof *v);
		for (size_t i = 0; i < p->count; i++)
			v[i] = p->all[i].str;
		q.values[f] = v;
		q.nvalues[f] = p->count;
	}
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_library_search(db, &q, out);
	lc_site_db_release(req, db);
	return err;
}

/* The search as a view's loader (the page and its /api/v1 twin). */
static int load_search(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)db;
	int err = search(req, vm);
	if (err == LC_EINVAL)
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_library_facet_values",
		             LC_ARG_I("limit", LC_LIMIT_LIBRARY_FACET_VALUES));
	return err;
}

static const struct lc_label facet_keys[] = {
    {"region", "library_facet_region"}, {"country", "library_facet_country"},
    {"area", "library_facet_area"},     {"sdg", "library_facet_sdg"},
    {"group", "library_facet_group"},   {"period", "library_facet_period"},
    {"lang", "library_facet_language"}, {NULL, NULL},
};

static const struct lc_label sort_keys[] = {
    {"relevance", "library_sort_relevance"},
    {"date", "library_sort_date"},
    {"city", "library_sort_city"},
    {NULL, NULL},
};

static const struct lc_label group_keys[] = {
    {"children", "library_group_children"},
    {"youth", "library_group_youth"},
    {"adults", "library_group_adults"},
    {"older_people", "library_group_older_people"},
    {"women", "library_group_women"},
    {"migrants", "library_group_migrants"},
    {"refugees", "library_group_refugees"},
    {"disabled", "library_group_disabled"},
    {"unemployed", "library_group_unemployed"},
    {"low_literacy", "library_group_low_literacy"},
    {"families", "library_group_families"},
    {"teachers", "library_group_teachers"},
    {"workers", "library_group_workers"},
    {"rural", "library_group_rural"},
    {"indigenous", "library_group_indigenous"},
    {"everyone", "library_group_everyone"},
    {NULL, NULL},
};

static const struct lc_label lang_keys[] = {
    {"ar", "library_lang_ar"},
    {"zh", "library_lang_zh"},
    {"en", "library_lang_en"},
    {"fr", "library_lang_fr"},
    {"ru", "library_lang_ru"},
    {"es", "library_lang_es"},
    {NULL, NULL},
};

/* Names the values of the facets whose values are codes of ours (groups, languages). */
static void label_values(struct lc_req *req, json_t *values, const struct lc_label *table)
{
	size_t i;
	json_t *v;
	json_array_foreach(values, i, v)
	{
		const char *code = json_string_value(json_object_get(v, "value"));
		json_object_set_new(v, "label", json_string(lc_label_text(req, table, code)));
	}
}

/* For people: the facets as fieldsets of check boxes, the sort options, the pager, and the
 * language of each card (lang and dir of its title). */
static int dress_search(struct lc_req *req, struct lc_db *db, json_t *vm, json_t *extra)
{
	(void)db;
	json_t *groups = json_array();
	json_t *facets = json_object_get(vm, "facets");
	for (int f = 0; f < LC_LIBRARY_FACETS; f++) {
		json_t *values = json_object_get(facets, lc_library_facet_names[f]);
		if (!json_array_size(values))
			continue;
		if (f == 4)
			label_values(req, values, group_keys);
		if (f == 6)
			label_values(req, values, lang_keys);
		json_array_append_new(
		    groups, json_pack("{s:s, s:s, s:O}", "param", facet_params[f], "label",
		                      lc_label_text(req, facet_keys, lc_library_facet_names[f]),
		                      "values", values));
	}
	json_object_set_new(extra, "facet_groups", groups);
	json_t *sortv = json_array();
	const char *cur = json_string_value(json_object_get(vm, "sort"));
	for (size_t i = 0; sorts[i]; i++)
		json_array_append_new(sortv,
		                      json_pack("{s:s, s:s, s:b}", "value", sorts[i], "label",
		                                lc_label_text(req, sort_keys, sorts[i]), "selected",
		                                cur && strcmp(cur, sorts[i]) == 0));
	json_object_set_new(extra, "sorts", sortv);
	json_object_set_new(extra, "pager", lc_site_pager(req, vm));
	json_object_set_new(extra, "has_results",
	                    json_boolean(json_array_size(json_object_get(vm, "items"))));
	return 0;
}

static const struct lc_site_view search_view = {
    .load = load_search,
    .tpl = "library",
    .title_key = "library_title",
    .dress = dress_search,
};

static const struct lc_param_spec suggest_params[] = {
    {.name = "q", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 400},
    {.name = NULL},
};

static int route_api_suggest(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	json_t *r = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_library_suggest(db, lc_req_str(req, "q"), &r);
	lc_site_db_release(req, db);
	if (!err)
		err = lc_resp_json(resp, r);
	json_decref(r);
	return err;
}

/* ---- one case -------------------------------------------------------------------------------- */

static const struct lc_param_spec id_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = NULL},
};
static const struct lc_param_spec version_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "n", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = NULL},
};

static int get_case(struct lc_req *req, long n, json_t **out)
{
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err && n == 0)
		err = view(req, db, lc_site_path_id(req), out);
	else if (!err)
		err = lc_library_get(db, actor_of(req), lc_site_path_id(req), n, req->lang, out);
	lc_site_db_read_end(req, db);
	return err;
}

static int answer_case(struct lc_req *req, struct lc_resp *resp, long n)
{
	json_t *vm = NULL;
	int err = get_case(req, n, &vm);
	if (err == LC_ENOTFOUND) {
		lc_resp_error(resp, 404, "no such case study");
		return 0;
	}
	if (!err) {
		err = lc_resp_json(resp, vm);
		/* A withdrawn case answers its tombstone to those who cannot edit it. */
		if (!json_is_null(json_object_get(vm, "withdrawn")) &&
		    json_object_get(vm, "withdrawn") && !json_object_get(vm, "state"))
			resp->status = 410;
	}
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

static int route_api_case(struct lc_req *req, struct lc_resp *resp)
{
	return answer_case(req, resp, 0);
}

static int route_api_version(struct lc_req *req, struct lc_resp *resp)
{
	return answer_case(req, resp, lc_req_int(req, "n", 1));
}

static int route_api_create(struct lc_req *req, struct lc_resp *resp)
{
	if (actor_of(req)->kind == LC_ACTOR_ANONYMOUS)
		return lc_auth_fail(req, resp, LC_EAUTH);
	json_t *body = NULL, *vm = NULL;
	char msg[256];
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		return 0;
	}
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0;
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_library_create(db, actor_of(req), body, &id, &d);
	if (!err)
		err = view(req, db, id, &vm);
	lc_site_db_release(req, db);
	if (!err) {
		err = lc_resp_json(resp, vm);
		resp->status = 201;
	} else {
		err = api_fail(req, resp, err, &d);
	}
	json_decref(vm);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

static int route_api_put(struct lc_req *req, struct lc_resp *resp)
{
	if (actor_of(req)->kind == LC_ACTOR_ANONYMOUS)
		return lc_auth_fail(req, resp, LC_EAUTH);
	json_t *body = NULL, *vm = NULL;
	char msg[256];
	if (lc_req_json(req, &body, msg, sizeof msg) || !json_is_object(body)) {
		json_decref(body);
		lc_resp_error(resp, 400, "the body is a JSON object");
		return 0;
	}
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = lc_site_path_id(req);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_library_update(db, actor_of(req), id, body, &d);
	if (!err)
		err = view(req, db, id, &vm);
	lc_site_db_release(req, db);
	if (err == LC_ENOTFOUND) {
		lc_resp_error(resp, 404, "no such case study");
		err = 0;
	} else if (!err)
		err = lc_resp_json(resp, vm);
	else
		err = api_fail(req, resp, err, &d);
	json_decref(vm);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

/* ---- the case's page ---------------------------------------------------------------------- */

static const struct lc_label section_keys[] = {
    {"summary", "library_section_summary"},
    {"context", "library_section_context"},
    {"objectives", "library_section_objectives"},
    {"activities", "library_section_activities"},
    {"outcomes", "library_section_outcomes"},
    {"challenges", "library_section_challenges"},
    {"lessons", "library_section_lessons"},
    {"sustainability", "library_section_sustainability"},
    {"transferability", "library_section_transferability"},
    {"keywords", "library_section_keywords"},
    {NULL, NULL},
};

/* One translation for the page: its language (lang and dir marked), title and sections. */
static json_t *translation(struct lc_req *req, const char *lang, const json_t *t, bool original)
{
	json_t *secs = json_array();
	for (size_t i = 0; section_keys[i].name; i++) {
		const char *text = json_string_value(json_object_get(t, section_keys[i].name));
		if (text)
			json_array_append_new(secs, json_pack("{s:s, s:s}", "label",
			                                      lc_site_t(req, section_keys[i].key),
			                                      "text", text));
	}
	return json_pack("{s:s, s:s, s:b, s:s?, s:o}", "lang", lang, "dir",
	                 strcmp(lang, "ar") == 0 ? "rtl" : "ltr", "original", original, "title",
	                 json_string_value(json_object_get(t, "title")), "sections", secs);
}

static int route_case_page(struct lc_req *req, struct lc_resp *resp)
{
	long n = lc_req_param(req, "n") ? lc_req_int(req, "n", 0) : 0;
	json_t *vm = NULL;
	int err = get_case(req, n, &vm);
	if (err)
		return lc_auth_fail(req, resp, err);
	json_t *extra = json_object();
	const char *orig = json_string_value(json_object_get(vm, "original"));
	json_t *texts = json_object_get(vm, "texts");
	json_t *list = json_array();
	json_t *t = json_object_get(texts, orig);
	if (t)
		json_array_append_new(list, translation(req, orig, t, true));
	const char *l;
	json_object_foreach(texts, l, t)
	{
		if (strcmp(l, orig) != 0)
			json_array_append_new(list, translation(req, l, t, false));
	}
	json_object_set_new(extra, "translations", list);
	json_t *first = json_array_get(list, 0);
	json_object_set(extra, "title", json_object_get(first, "title"));
	json_object_set(extra, "title_lang", json_object_get(first, "lang"));
	json_object_set(extra, "title_dir", json_object_get(first, "dir"));
	json_int_t v = json_integer_value(json_object_get(vm, "version"));
	json_int_t latest = json_integer_value(json_object_get(vm, "latest_published"));
	json_object_set_new(extra, "earlier", json_boolean(latest && v < latest));
	bool gone = json_is_object(json_object_get(vm, "withdrawn"));
	json_object_set_new(extra, "gone", json_boolean(gone));
	err = lc_site_page(req, resp, "library_case", NULL, NULL, vm, extra);
	if (!err && gone && !json_object_get(vm, "state"))
		resp->status = 410;
	json_decref(extra);
	json_decref(vm);
	return err;
}

/* ---- the workflow routes' data (workflow.h) ---------------------------------------------- */

static int locate(struct lc_req *req, struct lc_db *db, int64_t *id)
{
	(void)db;
	*id = lc_site_path_id(req);
	return 0;
}

static int take(struct lc_req *req, struct lc_db *db, const struct lc_actor *actor, int64_t id,
                const char *to, const char *reason, const char *link, struct lc_diag *d)
{
	(void)req, (void)link;
	return lc_library_take(db, actor, id, to, reason, d);
}

static int refused_api(struct lc_req *req, struct lc_resp *resp, int status,
                       const struct lc_diag *d)
{
	return lc_site_refusal(req, resp, status,
	                       d && d->count ? lc_site_problem(req, &d->items[0])
	                                     : "not possible in the current state",
	                       d);
}

static const struct lc_wf_route library_wf = {
    .process = &lc_library_process,
    .states = states,
    .steps = steps,
    .locate = locate,
    .take = take,
    .view = view,
    .refused_api = refused_api,
};

/* ---- the routes ---- */

static const struct lc_route rows[] = {
    LC_SITE_VIEW("/library", &search_view, search_params, 0),
    {LC_HTTP_POST, "/api/v1/library", route_api_create, NULL, 0, LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/api/v1/library/suggest", route_api_suggest, suggest_params, 0, 0, NULL},
    {LC_HTTP_GET, "/api/v1/library/{id}", route_api_case, id_params, 0, 0, NULL},
    {LC_HTTP_GET, "/library/{id}", route_case_page, id_params, 0, 0, NULL},
    {LC_HTTP_GET, "/library/{id}/v/{n}", route_case_page, version_params, 0, 0, NULL},
    {LC_HTTP_PUT, "/api/v1/library/{id}", route_api_put, id_params, 0, LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/api/v1/library/{id}/v/{n}", route_api_version, version_params, 0, 0, NULL},
    {LC_HTTP_POST, "/api/v1/library/{id}/transitions", lc_wf_route_api_step, id_params, 0,
     LC_ROUTE_LOGIN, &library_wf},
    {LC_HTTP_GET, "/api/v1/library/{id}/history", lc_wf_route_api_history, lc_wf_history_params, 0,
     LC_ROUTE_LOGIN, &library_wf},
};

LC_ROUTE_GROUP(library, rows);
