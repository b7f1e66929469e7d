/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A conference run in learncity, as its secretariat sets it up and as the
 * public sees it. It owns no rule: conferences and their categories are
 * domain/conference/category.h's.
 *
 * API:
 *   POST /api/v1/conferences          creates a conference (secretariat): 201 its view
 *   GET  /api/v1/conferences/{slug}   the conference, its categories and their places
 *   PUT  /api/v1/conferences/{slug}   edits it and its categories (secretariat): 200 its view
 *   GET  /api/v1/conferences/{slug}/registrations  the organisers' list: filters, paging,
 *        counts by state, the waiting lists, the needs as totals
 * Refusals: 401, 403, 404, 422 {"error", "problems": [...]} with every problem.
 *
 * Pages: /conferences/{slug} (public), /admin/conferences (the conferences
 * run here and the form that creates one), /admin/conferences/{slug} (its
 * registrations by category and state with search and paging, the moderation
 * queue, the waiting lists, the needs as totals) and its CSV export
 * /admin/conferences/{slug}/registrations.csv.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/label.h"

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "domain/conference/category.h"
#include "domain/conference/event.h"
#include "domain/conference/registration.h"
#include "web/http.h"

static const struct lc_param_spec slug_params[] = {
    {.name = "slug", .source = LC_PARAM_PATH, .type = LC_PARAM_STRING, .max_len = 64},
    {.name = NULL},
};

/* ---- the public view ---------------------------------------------------------------------- */

static int load_conf(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	return lc_conf_view(db, lc_req_str(req, "slug"), req->lang, vm);
}

static int dress_conf(struct lc_req *req, struct lc_db *db, json_t *vm, json_t *extra)
{
	(void)req, (void)db;
	json_object_set(extra, "title", json_object_get(vm, "title"));
	return 0;
}

static const struct lc_site_view conf_view = {
    .load = load_conf,
    .tpl = "conference",
    .nav = "conferences",
    .dress = dress_conf,
};

/* ---- creating and editing ----------------------------------------------------------------- */

static int api_save(struct lc_req *req, struct lc_resp *resp, const char *slug)
{
	json_t *body = NULL, *vm = NULL;
	char msg[256], made[LC_LIMIT_CONF_SLUG + 1];
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		return 0;
	}
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_conf_save(db, lc_auth_actor(req), slug, body, &d, made);
	if (!err)
		err = lc_conf_view(db, made, req->lang, &vm);
	lc_site_db_release(req, db);
	if (!err) {
		err = lc_resp_json(resp, vm);
		resp->status = slug ? 200 : 201;
	} else if (err == LC_EINVAL) {
		err = lc_site_refuse(req, resp, err, &d);
	} else {
		err = lc_auth_fail(req, resp, err);
	}
	json_decref(vm);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

static int route_api_create(struct lc_req *req, struct lc_resp *resp)
{
	return api_save(req, resp, NULL);
}

static int route_api_edit(struct lc_req *req, struct lc_resp *resp)
{
	return api_save(req, resp, lc_req_str(req, "slug"));
}

/* The form's fields, kept as typed after a refusal. */
static const char *const form_fields[] = {"slug",     "title",    "title_fr", "start_date",
                                          "end_date", "timezone", "venue",    "languages"};

static int admin_page(struct lc_req *req, struct lc_resp *resp, int status, const struct lc_diag *d)
{
	json_t *events = NULL;
	struct lc_db *db = NULL;
	int err = lc_authz_check(lc_auth_actor(req), LC_ACT_MANAGE_CONFERENCE, NULL);
	if (!err)
		err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_conf_event_list(db, req->lang, &events);
	lc_site_db_read_end(req, db);
	if (err)
		return lc_auth_fail(req, resp, err);
	json_t *vm =
	    json_pack("{s:o, s:b}", "events", events, "has_events", json_array_size(events) > 0);
	json_t *extra = json_object(), *f = json_object();
	if (d && d->count) {
		json_object_set_new(extra, "problems", lc_site_problems(req, d, false));
		json_object_set_new(extra, "field_errors", lc_site_field_errors(req, d));
		json_object_set_new(extra, "form_error",
		                    json_string(lc_site_t(req, "conf_refused")));
		for (size_t i = 0; i < sizeof form_fields / sizeof *form_fields; i++) {
			const char *v = lc_req_str(req, form_fields[i]);
			json_object_set_new(f, form_fields[i], json_string(v ? v : ""));
		}
	} else {
		json_object_set_new(f, "timezone", json_string("Europe/Paris"));
		json_object_set_new(f, "languages", json_string("en, fr"));
	}
	json_object_set_new(extra, "f", f);
	resp->status = status;
	err = lc_site_page(req, resp, "admin_conferences", lc_site_t(req, "conf_admin_title"),
	                   "admin_conferences", vm, extra);
	json_decref(vm);
	json_decref(extra);
	return err;
}

static int route_admin(struct lc_req *req, struct lc_resp *resp)
{
	return admin_page(req, resp, 200, NULL);
}

static const struct lc_param_spec create_params[] = {
    {.name = "slug", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 64},
    {.name = "title", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 400},
    {.name = "title_fr", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 400},
    {.name = "start_date", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 10},
    {.name = "end_date", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 10},
    {.name = "timezone", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 64},
    {.name = "venue", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 400},
    {.name = "languages", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 120},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* "en, fr ar" -> ["en", "fr", "ar"]; words that are no language stay, for the domain to name. */
static json_t *words(const char *s)
{
	json_t *a = json_array();
	char w[16];
	size_t n = 0;
	for (const char *p = s ? s : "";; p++) {
		bool sep = *p == '\0' || *p == ',' || *p == ' ';
		if (!sep && n + 1 < sizeof w)
			w[n++] = *p;
		else if (sep && n) {
			w[n] = '\0';
			json_array_append_new(a, json_string(w));
			n = 0;
		}
		if (!*p)
			break;
	}
	return a;
}

static int route_admin_create(struct lc_req *req, struct lc_resp *resp)
{
	const char *title = lc_req_str(req, "title"), *title_fr = lc_req_str(req, "title_fr");
	json_t *t = json_pack("{s:s}", "en", title ? title : "");
	if (title_fr && *title_fr)
		json_object_set_new(t, "fr", json_string(title_fr));
	const char *venue = lc_req_str(req, "venue");
	json_t *spec = json_pack(
	    "{s:s, s:o, s:s, s:s, s:s, s:{s:s}, s:o}", "slug",
	    lc_req_str(req, "slug") ? lc_req_str(req, "slug") : "", "title", t, "start_date",
	    lc_req_str(req, "start_date") ? lc_req_str(req, "start_date") : "", "end_date",
	    lc_req_str(req, "end_date") ? lc_req_str(req, "end_date") : "", "timezone",
	    lc_req_str(req, "timezone") ? lc_req_str(req, "timezone") : "", "venue", "name",
	    venue ? venue : "", "languages", words(lc_req_str(req, "languages")));
	struct lc_diag d;
	lc_diag_init(&d);
	char made[LC_LIMIT_CONF_SLUG + 1];
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_conf_save(db, lc_auth_actor(req), NULL, spec, &d, made);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL)
		err = admin_page(req, resp, 422, &d);
	else if (!err)
		err = lc_resp_redirect(resp, lc_arena_printf(req->arena, "/conferences/%s", made));
	json_decref(spec);
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* ---- the organisers' view ----------------------------------------------------------------- */

static const struct lc_param_spec list_params[] = {
    {.name = "slug", .source = LC_PARAM_PATH, .type = LC_PARAM_STRING, .max_len = 64},
    {.name = "category", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 32},
    {.name = "state", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 31},
    {.name = "q", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 200},
    LC_PAGE_PARAMS,
    {.name = NULL},
};

static const struct lc_label *const reg_states = lc_label_conf_reg_states;

static const char *param(struct lc_req *req, const char *name)
{
	const char *v = lc_req_str(req, name);
	return v && *v ? v : NULL;
}

static int list(struct lc_req *req, json_t **vm)
{
	struct lc_conf_reg_query q = {.category = param(req, "category"),
	                              .state = param(req, "state"),
	                              .q = param(req, "q"),
	                              .page = lc_req_int(req, "page", 1),
	                              .per_page = lc_req_int(req, "per_page", LC_DEFAULT_PER_PAGE)};
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_conf_reg_list(db, lc_auth_actor(req), lc_req_str(req, "slug"), &q,
		                       req->lang, vm);
	lc_site_db_read_end(req, db);
	return err;
}

static int route_api_list(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL;
	int err = list(req, &vm);
	if (!err)
		err = lc_resp_json(resp, vm);
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

static int route_admin_conf(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL;
	int err = list(req, &vm);
	if (err)
		return lc_auth_fail(req, resp, err);
	/* States said in the reader's language; the filters' choices, the current one selected. */
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(vm, "items"), i, x)
	{
		const char *st = json_string_value(json_object_get(x, "state"));
		json_object_set_new(x, "state_label",
		                    json_string(lc_label_text(req, reg_states, st)));
	}
	json_array_foreach(json_object_get(vm, "categories"), i, x)
	{
		size_t j;
		json_t *w;
		json_array_foreach(json_object_get(x, "waitlist"), j, w)
		{
			const char *st = json_string_value(json_object_get(w, "state"));
			json_object_set_new(w, "state_label",
			                    json_string(lc_label_text(req, reg_states, st)));
		}
		const char *code = json_string_value(json_object_get(x, "code"));
		json_object_set_new(x, "selected",
		                    json_boolean(param(req, "category") &&
		                                 strcmp(param(req, "category"), code) == 0));
	}
	json_t *states = json_array();
	for (const struct lc_label *l = reg_states; l->name; l++) {
		json_t *n = json_object_get(json_object_get(vm, "by_state"), l->name);
		json_array_append_new(
		    states,
		    json_pack("{s:s, s:s, s:I, s:b}", "state", l->name, "label",
		              lc_site_t(req, l->key), "count",
		              (json_int_t)(n ? json_integer_value(n) : 0), "selected",
		              param(req, "state") && strcmp(param(req, "state"), l->name) == 0));
	}
	json_object_set_new(vm, "states", states);
	json_object_set_new(vm, "has_items",
	                    json_boolean(json_array_size(json_object_get(vm, "items")) > 0));
	json_t *needs = json_object_get(vm, "needs");
	json_object_set_new(needs, "has_dietary",
	                    json_boolean(json_array_size(json_object_get(needs, "dietary")) > 0));
	json_t *extra = json_object();
	json_object_set_new(extra, "pager", lc_site_pager(req, vm));
	json_object_set(extra, "title",
	                json_object_get(json_object_get(vm, "conference"), "title"));
	err = lc_site_page(req, resp, "admin_conference", NULL, "admin_conferences", vm, extra);
	json_decref(vm);
	json_decref(extra);
	return err;
}

static int route_admin_csv(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	struct lc_buf *b = &resp->body;
	lc_buf_reset(b);
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_conf_reg_csv(db, lc_auth_actor(req), lc_req_str(req, "slug"), b);
	lc_site_db_read_end(req, db);
	if (!err) {
		resp->content_type = "text/csv; charset=utf-8";
		lc_resp_header(resp, "Content-Disposition",
		               lc_arena_printf(req->arena,
		                               "attachment; filename=\"%s-registrations.csv\"",
		                               lc_req_str(req, "slug")));
	}
	return lc_auth_fail(req, resp, err);
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_POST, "/api/v1/conferences", route_api_create, NULL, 0,
     LC_ROUTE_LOGIN | A(MANAGE_CONFERENCE), NULL},
    LC_SITE_VIEW("/conferences/{slug}", &conf_view, slug_params, 0),
    {LC_HTTP_PUT, "/api/v1/conferences/{slug}", route_api_edit, slug_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_CONFERENCE), NULL},
    {LC_HTTP_GET, "/admin/conferences", route_admin, NULL, 0, LC_ROUTE_LOGIN | A(MANAGE_CONFERENCE),
     NULL},
    {LC_HTTP_POST, "/admin/conferences", route_admin_create, create_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_CONFERENCE), NULL},
    {LC_HTTP_GET, "/api/v1/conferences/{slug}/registrations", route_api_list, list_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_CONFERENCE), NULL},
    {LC_HTTP_GET, "/admin/conferences/{slug}", route_admin_conf, list_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_CONFERENCE), NULL},
    {LC_HTTP_GET, "/admin/conferences/{slug}/registrations.csv", route_admin_csv, slug_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_CONFERENCE), NULL},
};

#undef A

LC_ROUTE_GROUP(conference_admin, rows);
