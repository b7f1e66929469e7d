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
#include "web/routes/download.h"
#include "web/routes/label.h"
#include "web/routes/library_feeds.h"
#include "web/routes/workflow.h"

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "domain/library/library.h"
#include "domain/workflow/workflow.h"
#include "domain/accounts/authz.h"
#include "web/http.h"

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
	int err = lc_library_get(db, lc_auth_actor(req), id, 0, req->lang, out);
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
static int search_page(struct lc_req *req, long page, long per_page, json_t **out)
{
	struct lc_library_query q = {
	    .q = lc_req_str(req, "q"),
	    .sort = lc_req_str(req, "sort"),
	    .page = page,
	    .per_page = per_page,
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

static int search(struct lc_req *req, json_t **out)
{
	return search_page(req, lc_req_int(req, "page", 1),
	                   lc_req_int(req, "per_page", LC_DEFAULT_PER_PAGE), out);
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
			label_values(req, values, lc_label_library_groups);
		if (f == 6)
			label_values(req, values, lc_label_library_langs);
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
	json_object_set_new(extra, "feed_link", json_string("/library/feed.atom"));
	json_t *dl = lc_download_links(req, "/library");
	const char *csv = json_string_value(json_object_get(dl, "csv"));
	if (csv)
		json_object_set_new(
		    extra, "export_json",
		    json_string(lc_arena_printf(req->arena, "/api/v1/library/export%s",
		                                csv + strlen("/library.csv"))));
	json_object_set_new(extra, "downloads", dl);
	json_object_set_new(extra, "has_results",
	                    json_boolean(json_array_size(json_object_get(vm, "items"))));
	/* The way to the author's form and to the curator's queue, for those who may. */
	const struct lc_actor *a = lc_auth_actor(req);
	bool curator = lc_authz_check(a, LC_ACT_CURATE_LIBRARY, NULL) == 0;
	bool writer = curator;
	for (size_t i = 0; i < a->nroles; i++)
		writer = writer || a->roles[i].kind == LC_ROLE_COORDINATOR;
	json_object_set_new(extra, "may_write", json_boolean(writer));
	json_object_set_new(extra, "may_curate", json_boolean(curator));
	return 0;
}

/* The search's results as a file (CSV, XLSX): every page of them, the same filters. */
static const struct lc_site_column export_columns[] = {
    {"id", "library_export_id"},        {"title", "library_export_title"},
    {"lang", "library_facet_language"}, {"city.name", "city"},
    {"city.country_name", "country"},   {"published_at", "library_export_published"},
    {"line", "library_export_line"},    {0},
};
static const struct lc_download search_download = {
    .load = load_search, .columns = export_columns, .file = "library"};

/* The search's results as one JSON document: {"q", "sort", "total", "items": [every card]},
 * at most LC_LIMIT_DOWNLOAD_ROWS of them (more: 422, narrow the filters). */
static int route_api_export(struct lc_req *req, struct lc_resp *resp)
{
	json_t *all = json_array(), *vm = NULL, *out = NULL;
	int err = 0;
	long pages = 1;
	for (long k = 1; !err && k <= pages && k <= LC_LIMIT_PAGE; k++) {
		json_decref(vm);
		vm = NULL;
		err = search_page(req, k, LC_LIMIT_PER_PAGE, &vm);
		if (err)
			break;
		pages = (long)json_integer_value(json_object_get(vm, "pages"));
		json_array_extend(all, json_object_get(vm, "items"));
		if (json_array_size(all) > LC_LIMIT_DOWNLOAD_ROWS) {
			json_decref(all);
			json_decref(vm);
			struct lc_diag d;
			lc_diag_init(&d);
			lc_diag_addf(&d, NULL, 0, 0, NULL, "err_download_too_many",
			             LC_ARG_I("limit", LC_LIMIT_DOWNLOAD_ROWS));
			err =
			    lc_site_refusal(req, resp, 422, lc_site_problem(req, &d.items[0]), &d);
			lc_diag_cleanup(&d);
			return err;
		}
	}
	if (!err) {
		out = json_pack("{s:O, s:O, s:I, s:O}", "q", json_object_get(vm, "q"), "sort",
		                json_object_get(vm, "sort"), "total",
		                (json_int_t)json_array_size(all), "items", all);
		err = lc_resp_json(resp, out);
		lc_resp_header(resp, "Content-Disposition",
		               "attachment; filename=\"library.json\"");
	}
	json_decref(out);
	json_decref(all);
	json_decref(vm);
	if (err == LC_EINVAL) {
		struct lc_diag d;
		lc_diag_init(&d);
		lc_diag_addf(&d, NULL, 0, 0, NULL, "err_library_facet_values",
		             LC_ARG_I("limit", LC_LIMIT_LIBRARY_FACET_VALUES));
		/* As the search's view answers it: 400 with the problem. */
		err = lc_site_refusal(req, resp, 400, lc_site_problem(req, &d.items[0]), &d);
		lc_diag_cleanup(&d);
	}
	return err;
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
static const struct lc_param_spec page_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "done", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 16},
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
		err =
		    lc_library_get(db, lc_auth_actor(req), lc_site_path_id(req), n, req->lang, out);
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
	if (lc_auth_actor(req)->kind == LC_ACTOR_ANONYMOUS)
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
		err = lc_library_create(db, lc_auth_actor(req), body, &id, &d);
	if (!err)
		err = view(req, db, id, &vm);
	lc_site_db_release(req, db);
	if (!err) {
		err = lc_resp_json(resp, vm);
		resp->status = 201;
	} else {
		err = lc_auth_api_fail(req, resp, err, &d);
	}
	json_decref(vm);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

static int route_api_put(struct lc_req *req, struct lc_resp *resp)
{
	if (lc_auth_actor(req)->kind == LC_ACTOR_ANONYMOUS)
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
		err = lc_library_update(db, lc_auth_actor(req), id, body, &d);
	if (!err)
		err = view(req, db, id, &vm);
	lc_site_db_release(req, db);
	if (err == LC_ENOTFOUND) {
		lc_resp_error(resp, 404, "no such case study");
		err = 0;
	} else if (!err)
		err = lc_resp_json(resp, vm);
	else
		err = lc_auth_api_fail(req, resp, err, &d);
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

static const struct lc_wf_route library_wf;

static const struct lc_label done_keys[] = {
    {"submit", "library_done_submitted"},
    {"featured", "library_done_featured"},
    {"step", "library_done_step"},
    {NULL, NULL},
};

/* For its writers and curators: the steps they may take (one form each, a comment where the
 * step needs one), the history with its comments (the thread), the edit link and the featured
 * label's switch; for everyone the images with their alt text in the reader's language. */
static void dress_case(struct lc_req *req, json_t *vm, json_t *extra)
{
	const char *state = json_string_value(json_object_get(vm, "state"));
	if (state) {
		json_t *list = json_array();
		size_t i;
		const json_t *n;
		json_array_foreach(json_object_get(vm, "next"), i, n)
		{
			const char *name = json_string_value(json_object_get(n, "name"));
			if (!name || strcmp(name, "revise") == 0)
				continue;
			json_array_append_new(
			    list, json_pack("{s:O, s:s, s:s, s:b}", "to", json_object_get(n, "to"),
			                    "name", name, "label", lc_label_text(req, steps, name),
			                    "reason",
			                    json_is_true(json_object_get(n, "reason_required"))));
		}
		json_object_set_new(extra, "wf_steps", list);
		json_object_set_new(extra, "has_wf_steps", json_boolean(json_array_size(list)));
		lc_wf_route_label_history(req, &library_wf, vm);
		bool editable = strcmp(state, "draft") == 0 ||
		                strcmp(state, "changes_requested") == 0 ||
		                strcmp(state, "published") == 0;
		json_object_set_new(extra, "may_edit", json_boolean(editable));
		bool curator = lc_authz_check(lc_auth_actor(req), LC_ACT_CURATE_LIBRARY, NULL) == 0;
		bool published = json_is_integer(json_object_get(vm, "latest_published")) &&
		                 !json_is_object(json_object_get(vm, "withdrawn"));
		json_object_set_new(extra, "may_feature", json_boolean(curator && published));
	}
	/* The images with their alt text in the reader's language, else the original's. */
	const char *orig = json_string_value(json_object_get(vm, "original"));
	json_t *figs = json_array();
	size_t k;
	const json_t *im;
	json_array_foreach(json_object_get(vm, "images"), k, im)
	{
		const json_t *alt = json_object_get(im, "alt");
		const char *al = req->lang, *a = json_string_value(json_object_get(alt, al));
		if (!a || !*a)
			a = json_string_value(json_object_get(alt, al = orig ? orig : "en"));
		json_array_append_new(figs, json_pack("{s:O, s:s, s:s, s:O?, s:O?}", "src",
		                                      json_object_get(im, "src"), "alt", a ? a : "",
		                                      "alt_lang", al, "credit",
		                                      json_object_get(im, "credit"), "licence",
		                                      json_object_get(im, "licence")));
	}
	json_object_set_new(extra, "has_figures", json_boolean(json_array_size(figs)));
	json_object_set_new(extra, "figures", figs);
	const char *done = lc_req_str(req, "done");
	if (lc_label_key(done_keys, done))
		json_object_set_new(extra, "done",
		                    json_string(lc_label_text(req, done_keys, done)));
}

static int route_case_page(struct lc_req *req, struct lc_resp *resp)
{
	long n = lc_req_param(req, "n") ? lc_req_int(req, "n", 0) : 0;
	json_t *vm = NULL;
	int err = get_case(req, n, &vm);
	if (err)
		return lc_auth_fail(req, resp, err);
	json_t *extra = json_object();
	/* Linked data and the citation's address, for a version the world may read. */
	struct lc_db *db = NULL;
	if (lc_site_db_read(req, &db) == 0) {
		json_t *ld = lc_library_ld(req, db, vm);
		const char *script = lc_library_ld_script(req, ld);
		if (script)
			json_object_set_new(extra, "head_ld", json_string(script));
		json_object_set(extra, "cite_url", json_object_get(ld, "url"));
		json_decref(ld);
	}
	lc_site_db_read_end(req, db);
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
	dress_case(req, vm, extra);
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

static int refused_page(struct lc_req *req, struct lc_resp *resp, int64_t id, int status,
                        const struct lc_diag *d)
{
	(void)id;
	lc_resp_error(resp, status, "%s",
	              d && d->count ? lc_site_problem(req, &d->items[0])
	                            : lc_site_t(req, "report_step_refused"));
	return 0;
}

static const char *done_page(struct lc_req *req, int64_t id, const char *to)
{
	(void)to;
	return lc_arena_printf(req->arena, "/library/%lld?done=step", (long long)id);
}

static const struct lc_wf_route library_wf = {
    .process = &lc_library_process,
    .states = states,
    .steps = steps,
    .locate = locate,
    .take = take,
    .view = view,
    .refused = refused_page,
    .done = done_page,
};

/* ---- the routes ---- */

static const struct lc_route rows[] = {
    LC_SITE_VIEW("/library", &search_view, search_params, 0),
    LC_DOWNLOADS("/library", &search_download, search_params, 0),
    {LC_HTTP_GET, "/api/v1/library/export", route_api_export, search_params, 0, 0, NULL},
    {LC_HTTP_POST, "/api/v1/library", route_api_create, NULL, 0, LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/api/v1/library/suggest", route_api_suggest, suggest_params, 0, 0, NULL},
    {LC_HTTP_GET, "/api/v1/library/{id}", route_api_case, id_params, 0, 0, NULL},
    {LC_HTTP_GET, "/library/{id}", route_case_page, page_params, 0, 0, NULL},
    {LC_HTTP_GET, "/library/{id}/v/{n}", route_case_page, version_params, 0, 0, NULL},
    {LC_HTTP_PUT, "/api/v1/library/{id}", route_api_put, id_params, 0, LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/api/v1/library/{id}/v/{n}", route_api_version, version_params, 0, 0, NULL},
    {LC_HTTP_POST, "/api/v1/library/{id}/transitions", lc_wf_route_api_step, id_params, 0,
     LC_ROUTE_LOGIN, &library_wf},
    {LC_HTTP_GET, "/api/v1/library/{id}/history", lc_wf_route_api_history, lc_wf_history_params, 0,
     LC_ROUTE_LOGIN, &library_wf},
    {LC_HTTP_POST, "/library/{id}/transitions", lc_wf_route_step, lc_wf_step_params, 0,
     LC_ROUTE_LOGIN, &library_wf},
    {LC_HTTP_GET, "/library/{id}/history", lc_wf_route_history, lc_wf_history_params, 0,
     LC_ROUTE_LOGIN, &library_wf},
};

LC_ROUTE_GROUP(library, rows);
