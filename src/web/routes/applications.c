/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Membership applications on the web: self-registration (/signup), starting
 * an application (/apply), its page (the form while editable, the pledge,
 * the status, the history and the steps this person may take), the lists of
 * each party (/applications, /natcom/applications, /expert/applications,
 * /admin/applications), the calls (/admin/calls), and the JSON API:
 *
 *   GET  /api/v1/calls                          every call
 *   POST /api/v1/calls, PUT /api/v1/calls/{id}   {"year","title","opens","closes","cap"}
 *   POST /api/v1/applications                   {"call": id, "country": "IE",
 *                                                "city_name": "...", ...form fields}
 *   GET  /api/v1/applications[?state=&country=&year=&page=]
 *   GET  /api/v1/applications/{id}
 *   PUT  /api/v1/applications/{id}              form fields (draft, info_requested)
 *   POST /api/v1/applications/{id}/transitions  {"to": STATE, "reason": "...",
 *        "link_city": SLUG (approving when the city already exists)}
 *   POST /api/v1/applications/{id}/pledge       multipart/form-data (field "pledge"), or the
 *                                               file itself as the body
 *   GET  /api/v1/applications/{id}/pledge       the file (attachment)
 * Answers: 200/201 with the application; 409 for a step not open from the
 * current state or refused by a rule; 401/403 by role; 422 with
 * {"error", "problems": [{"field", "message"}]}.
 *
 * It owns no rule: every decision is domain/application.h's and
 * domain/call.h's; this file turns requests into calls and answers.
 */
#include "web/routes/applications.h"
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/catalogue.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/account.h"
#include "domain/workflow/application.h"
#include "domain/workflow/call.h"
#include "domain/directory/country.h"
#include "domain/accounts/onetime.h"
#include "domain/accounts/session.h"
#include "web/http.h"
#include "web/multipart.h"

/* ---- shared ---------------------------------------------------------------------------------- */

static const char *str_or_empty(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* ---- labels: literal catalogue keys, one table each ---------------------------------------- */

/* The application form's fields, as its problems name them. */
static const struct lc_label field_labels[] = {
    {"city_name", "app_f_city_name"},
    {"country", "app_f_country"},
    {"mayor_name", "app_f_mayor_name"},
    {"mayor_title", "app_f_mayor_title"},
    {"contact_name", "app_f_contact_name"},
    {"contact_email", "app_f_contact_email"},
    {"language", "app_f_language"},
    {"data_year", "app_f_data_year"},
    {"population", "app_f_population"},
    {"area_km2", "app_f_area_km2"},
    {"gdp_city_usd", "app_f_gdp_city_usd"},
    {"gdp_country_usd", "app_f_gdp_country_usd"},
    {"schooling_men", "app_f_schooling_men"},
    {"schooling_women", "app_f_schooling_women"},
    {"motivation", "app_f_motivation"},
    {"implementation", "app_f_implementation"},
    {"links", "app_f_links"},
    {"challenges", "app_f_challenges"},
    {"pledge", "app_f_pledge"},
    {"state", "app_f_state"},
    {NULL, NULL},
};

/* The notice after a step or a save (?done=): the state reached, or what was saved. */
static const struct lc_label done_notices[] = {
    {"saved", "app_done_saved"},
    {"pledge", "app_done_pledge"},
    {"submitted", "app_done_submitted"},
    {"screening", "app_done_screening"},
    {"info_requested", "app_done_info_requested"},
    {"jury_review", "app_done_jury_review"},
    {"recommended", "app_done_recommended"},
    {"not_recommended", "app_done_not_recommended"},
    {"approved", "app_done_approved"},
    {"rejected", "app_done_rejected"},
    {"declined", "app_done_declined"},
    {"withdrawn", "app_done_withdrawn"},
    {NULL, NULL},
};

/*
 * The challenge areas of domain/workflow/application.h (lc_challenge_areas);
 * the key of each is also the name of its rating's form field.
 */
static const struct lc_label challenge_labels[] = {
    {"inclusion", "challenge_inclusion"},
    {"literacy", "challenge_literacy"},
    {"employability", "challenge_employability"},
    {"health", "challenge_health"},
    {"sustainability", "challenge_sustainability"},
    {"citizenship", "challenge_citizenship"},
    {"digital", "challenge_digital"},
    {"governance", "challenge_governance"},
    {NULL, NULL},
};

const struct lc_label lc_application_states[] = {
    {"draft", "application_state_draft"},
    {"submitted", "application_state_submitted"},
    {"escalated", "application_state_escalated"},
    {"screening", "application_state_screening"},
    {"info_requested", "application_state_info_requested"},
    {"jury_review", "application_state_jury_review"},
    {"recommended", "application_state_recommended"},
    {"not_recommended", "application_state_not_recommended"},
    {"approved", "application_state_approved"},
    {"rejected", "application_state_rejected"},
    {"declined", "application_state_declined"},
    {"withdrawn", "application_state_withdrawn"},
    {NULL, NULL},
};

static const struct lc_label application_steps[] = {
    {"create", "app_step_create"},
    {"submit", "app_step_submit"},
    {"endorse", "app_step_endorse"},
    {"decline", "app_step_decline"},
    {"escalate", "app_step_escalate"},
    {"return", "app_step_return"},
    {"answer", "app_step_answer"},
    {"to_jury", "app_step_to_jury"},
    {"reject", "app_step_reject"},
    {"recommend", "app_step_recommend"},
    {"advise_against", "app_step_advise_against"},
    {"approve", "app_step_approve"},
    {"withdraw", "app_step_withdraw"},
    {NULL, NULL},
};

static const struct lc_wf_route application_wf;

/* ---- starting an application ----------------------------------------------------------------- */

static const struct lc_param_spec apply_params[] = {
    {.name = "call", .source = LC_PARAM_FORM, .type = LC_PARAM_INT, .min = 1, .max = 1L << 40},
    {.name = "country", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 2},
    {.name = "city_name", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 200},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static int apply_page(struct lc_req *req, struct lc_resp *resp, int status, json_t *errors)
{
	struct lc_db *db = NULL;
	json_t *vm = NULL, *countries = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_call_list(db, true, &vm);
	if (!err)
		err = lc_country_list(db, req->lang, false, &countries);
	lc_site_db_read_end(req, db);
	if (err)
		goto out;
	const char *cc = lc_req_str(req, "country");
	size_t i;
	json_t *c;
	json_array_foreach(countries, i, c)
	{
		json_object_set_new(
		    c, "selected",
		    json_boolean(cc && strcasecmp(cc, str_or_empty(c, "code")) == 0));
	}
	json_object_set(vm, "countries", countries);
	json_object_set_new(
	    vm, "city_name",
	    json_string(lc_req_str(req, "city_name") ? lc_req_str(req, "city_name") : ""));
	json_object_set_new(vm, "errors", errors ? errors : json_object());
	err = lc_site_page(req, resp, "apply", lc_site_t(req, "apply_title"), "applications", vm,
	                   NULL);
	resp->status = status;
out:
	json_decref(vm);
	json_decref(countries);
	return err;
}

static int route_apply_form(struct lc_req *req, struct lc_resp *resp)
{
	return lc_auth_fail(req, resp, apply_page(req, resp, 200, NULL));
}

static int route_apply(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int64_t id = 0;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_application_create(db, &u->actor, lc_req_int(req, "call", 0),
		                            lc_req_str(req, "country"),
		                            lc_req_str(req, "city_name"), &d, &id);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ECONFLICT || err == LC_ENOTFOUND) {
		if (!d.count)
			lc_diag_add(&d, NULL, 0, 0, "call", "err_app_call_applications");
		err = apply_page(req, resp, 422, lc_site_field_errors(req, &d));
	} else if (!err) {
		char *to = lc_arena_printf(req->arena, "/applications/%lld", (long long)id);
		err = lc_resp_redirect(resp, to);
	}
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* ---- the application's page ------------------------------------------------------------------ */

#define FORM_FIELD(n, len)                                                                         \
	{                                                                                          \
		.name = n, .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = len        \
	}

/* The form of an application's page (its save). */
static const struct lc_param_spec app_form_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = 1L << 40},
    FORM_FIELD("city_name", 200),
    FORM_FIELD("mayor_name", 200),
    FORM_FIELD("mayor_title", 200),
    FORM_FIELD("contact_name", 200),
    FORM_FIELD("contact_email", 320),
    FORM_FIELD("language", 2),
    FORM_FIELD("data_year", 16),
    FORM_FIELD("population", 32),
    FORM_FIELD("area_km2", 32),
    FORM_FIELD("gdp_city_usd", 32),
    FORM_FIELD("gdp_country_usd", 32),
    FORM_FIELD("schooling_men", 32),
    FORM_FIELD("schooling_women", 32),
    FORM_FIELD("motivation", LC_LIMIT_TEXT_BYTES),
    FORM_FIELD("implementation", LC_LIMIT_TEXT_BYTES),
    FORM_FIELD("links", 6000),
    FORM_FIELD("challenge_inclusion", 2),
    FORM_FIELD("challenge_literacy", 2),
    FORM_FIELD("challenge_employability", 2),
    FORM_FIELD("challenge_health", 2),
    FORM_FIELD("challenge_sustainability", 2),
    FORM_FIELD("challenge_citizenship", 2),
    FORM_FIELD("challenge_digital", 2),
    FORM_FIELD("challenge_governance", 2),
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* The upload form sends multipart/form-data; the router binds its plain fields like a
 * urlencoded form's, so the CSRF token is a hidden field as in every other form. It is
 * declared as a form field only: a token in the query string would end up in logs and
 * in the Referer of the next page, so it is not read from there. */
static const struct lc_param_spec pledge_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = 1L << 40},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const char *const text_fields[] = {
    "city_name",       "mayor_name",   "mayor_title",     "contact_name",
    "contact_email",   "language",     "data_year",       "population",
    "area_km2",        "gdp_city_usd", "gdp_country_usd", "schooling_men",
    "schooling_women", "motivation",   "implementation",  "links",
};

/* The page's view of the form: the stored values, or what was just sent when it was refused. */
static json_t *form_view(struct lc_req *req, const json_t *app, const json_t *sent)
{
	const json_t *form = json_object_get(app, "form");
	json_t *v = json_object();
	for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
		const char *k = text_fields[i];
		const json_t *x = sent ? json_object_get(sent, k) : json_object_get(form, k);
		if (json_is_string(x)) {
			json_object_set_new(v, k, json_string(json_string_value(x)));
		} else if (json_is_integer(x)) {
			json_object_set_new(
			    v, k, json_sprintf("%" JSON_INTEGER_FORMAT, json_integer_value(x)));
		} else if (json_is_real(x)) {
			json_object_set_new(v, k, json_sprintf("%.15g", json_real_value(x)));
		} else if (json_is_array(x)) {
			struct lc_buf b;
			lc_buf_init(&b, 8000);
			size_t n;
			const json_t *e;
			json_array_foreach(x, n, e)
			{
				if (n)
					lc_buf_putc(&b, '\n');
				lc_buf_puts(&b, json_string_value(e) ? json_string_value(e) : "");
			}
			json_object_set_new(v, k, json_string(lc_buf_cstr(&b)));
			lc_buf_cleanup(&b);
		}
	}
	json_object_set_new(v, "motivation_words",
	                    json_integer((json_int_t)lc_application_words(
	                        json_string_value(json_object_get(v, "motivation")))));
	json_object_set_new(v, "implementation_words",
	                    json_integer((json_int_t)lc_application_words(
	                        json_string_value(json_object_get(v, "implementation")))));
	const char *lang = json_string_value(json_object_get(v, "language"));
	const struct lc_catalogue *langs = ((const struct lc_app *)req->app)->i18n;
	json_t *options = json_array();
	for (size_t k = 0; k < lc_catalogue_count(langs); k++) {
		const char *code = lc_catalogue_lang(langs, k);
		json_array_append_new(options, json_pack("{s:s,s:s,s:b}", "code", code, "name",
		                                         lc_catalogue_name(langs, code), "selected",
		                                         lang && strcmp(lang, code) == 0));
	}
	json_object_set_new(v, "language_options", options);
	if (lang && lc_catalogue_name(langs, lang))
		json_object_set_new(v, "language_name",
		                    json_string(lc_catalogue_name(langs, lang)));
	const json_t *ch =
	    sent ? json_object_get(sent, "challenges") : json_object_get(form, "challenges");
	json_t *rows = json_array();
	for (size_t i = 0; i < lc_challenge_area_count; i++) {
		const char *code = lc_challenge_areas[i].code;
		const json_t *r = json_object_get(ch, code);
		long have = json_is_integer(r)  ? (long)json_integer_value(r)
		            : json_is_string(r) ? lc_site_number(json_string_value(r), 0)
		                                : 0;
		json_t *opts = json_array();
		for (long k = 1; k <= 5; k++)
			json_array_append_new(opts, json_pack("{s:I,s:b,s:s}", "n", (json_int_t)k,
			                                      "checked", k == have, "code", code));
		json_array_append_new(rows, json_pack("{s:s,s:s,s:o,s:b}", "code", code, "label",
		                                      lc_label_text(req, challenge_labels, code),
		                                      "options", opts, "rated", have > 0));
	}
	json_object_set_new(v, "challenge_rows", rows);
	return v;
}

/* Labels the states, steps and history of an application for a page, in place. */
static void label_app(struct lc_req *req, json_t *app)
{
	json_object_set_new(
	    app, "state_label",
	    json_string(lc_label_text(req, lc_application_states, str_or_empty(app, "state"))));
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(app, "next"), i, e)
	{
		json_object_set_new(
		    e, "label",
		    json_string(lc_label_text(req, application_steps, str_or_empty(e, "name"))));
		json_object_set_new(e, "danger",
		                    json_boolean(strstr("decline reject withdraw advise_against",
		                                        str_or_empty(e, "name")) != NULL));
	}
	lc_wf_route_label_history(req, &application_wf, app);
	json_array_foreach(json_object_get(app, "missing"), i, e)
	{
		json_object_set_new(
		    e, "field_label",
		    json_string(lc_label_text(req, field_labels, str_or_empty(e, "field"))));
		json_object_set_new(e, "message", json_string(lc_site_problem_json(req, e)));
	}
	json_t *p = json_object_get(app, "pledge");
	if (json_is_object(p))
		json_object_set_new(
		    p, "kib",
		    json_integer(
		        (json_int_t)((json_integer_value(json_object_get(p, "size")) + 1023) /
		                     1024)));
}

/*
 * Renders the page of application id: status, steps, history, and the form
 * when editable (with sent values and errors after a refused save), at status.
 */
static int app_page(struct lc_req *req, struct lc_resp *resp, int64_t id, int status,
                    const json_t *sent, json_t *errors, const char *step_error)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_db *db = NULL;
	json_t *app = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_application_json(db, &u->actor, id, &app);
	lc_site_db_read_end(req, db);
	if (err)
		return err;
	label_app(req, app);
	lc_auth_human_times(app);
	json_object_set_new(app, "f", form_view(req, app, sent));
	json_object_set_new(app, "errors", errors ? errors : json_object());
	if (step_error)
		json_object_set_new(app, "step_error", json_string(step_error));
	const char *done = lc_req_str(req, "done");
	if (done && *done && req->method == LC_HTTP_GET)
		json_object_set_new(app, "done_text",
		                    json_string(lc_label_text(req, done_notices, done)));
	json_object_set_new(app, "is_owner",
	                    json_boolean(u->actor.account_id &&
	                                 json_integer_value(json_object_get(app, "owner_id")) ==
	                                     u->actor.account_id));
	/* Back to the list this person came from: their own, or the queue they work in. */
	bool owner = json_is_true(json_object_get(app, "is_owner"));
	const struct lc_actor *a = &u->actor;
	const char *back = owner                                  ? "/applications"
	                   : lc_actor_has_role(a, LC_ROLE_ADMIN)  ? "/admin/applications"
	                   : lc_actor_has_role(a, LC_ROLE_NATCOM) ? "/natcom/applications"
	                   : lc_actor_has_role(a, LC_ROLE_EXPERT) ? "/expert/applications"
	                                                          : "/applications";
	const char *back_key = owner                                  ? "apps_mine_title"
	                       : lc_actor_has_role(a, LC_ROLE_ADMIN)  ? "apps_admin_title"
	                       : lc_actor_has_role(a, LC_ROLE_NATCOM) ? "apps_natcom_title"
	                       : lc_actor_has_role(a, LC_ROLE_EXPERT) ? "apps_expert_title"
	                                                              : "apps_mine_title";
	json_object_set_new(
	    app, "back", json_pack("{s:s,s:s}", "href", back, "label", lc_site_t(req, back_key)));
	json_object_set_new(app, "max_words", json_integer(LC_LIMIT_APPLICATION_WORDS));
	json_object_set_new(app, "max_mib", json_integer(LC_LIMIT_PLEDGE_BYTES >> 20));
	/* An existing city of this name: its status in words, and on the approve step the
	 * box that confirms the link (a member or suspended city cannot be linked). */
	json_t *ex = json_object_get(app, "existing_city");
	if (json_is_object(ex)) {
		const char *st = json_string_value(json_object_get(ex, "status"));
		json_object_set_new(ex, "status_label",
		                    json_string(st ? lc_label_text(req, lc_label_status, st)
		                                   : lc_site_t(req, "app_existing_city_none")));
		bool linkable = !st || (strcmp(st, "member") != 0 && strcmp(st, "suspended") != 0);
		size_t i;
		json_t *n;
		json_array_foreach(json_object_get(app, "next"), i, n)
		{
			const char *to = json_string_value(json_object_get(n, "to"));
			if (linkable && to && strcmp(to, "approved") == 0)
				json_object_set(n, "link_city", json_object_get(ex, "slug"));
		}
	}
	/* The title in the page's language ("title" stays the e-mails' English). */
	const char *city =
	    json_string_value(json_object_get(json_object_get(app, "form"), "city_name"));
	const char *page_title = lc_arena_printf(
	    req->arena, "%s %s (%s)", lc_site_t(req, "app_title_of"),
	    city && *city ? city : lc_site_t(req, "app_unnamed"), str_or_empty(app, "country"));
	json_object_set_new(app, "page_heading", json_string(page_title));
	err = lc_site_page(req, resp, "application", page_title, "applications", app, NULL);
	resp->status = status;
	json_decref(app);
	return err;
}

static int route_application(struct lc_req *req, struct lc_resp *resp)
{
	return lc_auth_fail(req, resp,
	                    app_page(req, resp, lc_site_path_id(req), 200, NULL, NULL, NULL));
}

/* The form fields of a page POST as the domain's JSON (strings; challenges as an object). */
static json_t *fields_from_form(struct lc_req *req)
{
	json_t *f = json_object();
	for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
		const char *v = lc_req_str(req, text_fields[i]);
		if (v)
			json_object_set_new(f, text_fields[i], json_string(v));
	}
	json_t *ch = json_object();
	/* Each area's rating is the form field named as its label's key (app_form_params). */
	for (const struct lc_label *l = challenge_labels; l->name; l++) {
		const char *v = lc_req_str(req, l->key);
		if (v && *v)
			json_object_set_new(ch, l->name, json_string(v));
	}
	json_object_set_new(f, "challenges", ch);
	return f;
}

static int route_application_save(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	int64_t id = lc_site_path_id(req);
	json_t *f = fields_from_form(req);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_application_save(db, &u->actor, id, f, &d);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ECONFLICT)
		err = app_page(req, resp, id, 422, f, lc_site_field_errors(req, &d), NULL);
	else if (!err)
		err = lc_resp_redirect(
		    resp,
		    lc_arena_printf(req->arena, "/applications/%lld?done=saved", (long long)id));
	json_decref(f);
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* The pledge's bytes from a request: the "pledge" part of a multipart body (which the
 * router has parsed into req->parts while binding the form fields), or the body. */
static int pledge_from(struct lc_req *req, const char **data, size_t *n, const char **name,
                       struct lc_diag *d)
{
	const char *ct = req->content_type ? req->content_type : "";
	*name = NULL;
	if (strncasecmp(ct, "multipart/", 10) != 0) {
		*data = req->body ? req->body : "";
		*n = req->body_len;
		return 0;
	}
	const struct lc_multipart_part *p = lc_multipart_find(req->parts, req->nparts, "pledge");
	if (!p || !p->filename) {
		lc_diag_add(d, NULL, 0, 0, "pledge", "err_app_required_upload_signed_pledge");
		return LC_EINVAL;
	}
	*data = p->data;
	*n = p->len;
	*name = p->filename;
	return 0;
}

static int put_pledge(struct lc_req *req, struct lc_diag *d)
{
	struct lc_web_user *u = lc_auth_user(req);
	const char *data = NULL, *name = NULL;
	size_t n = 0;
	int err = pledge_from(req, &data, &n, &name, d);
	struct lc_db *db = NULL;
	if (!err)
		err = lc_site_db(req, &db);
	if (!err)
		err = lc_application_pledge_put(db, &u->actor, lc_site_path_id(req), name,
		                                (const unsigned char *)data, n, d);
	lc_site_db_release(req, db);
	return err;
}

static int route_application_pledge(struct lc_req *req, struct lc_resp *resp)
{
	int64_t id = lc_site_path_id(req);
	struct lc_diag d;
	lc_diag_init(&d);
	int err = put_pledge(req, &d);
	if (err == LC_EINVAL || err == LC_ELIMIT || err == LC_ECONFLICT) {
		if (!d.count)
			lc_diag_add(&d, NULL, 0, 0, "pledge", "err_app_pdf_document_png_image");
		err = app_page(req, resp, id, err == LC_ELIMIT ? 413 : 422, NULL,
		               lc_site_field_errors(req, &d), NULL);
	} else if (!err) {
		err = lc_resp_redirect(
		    resp,
		    lc_arena_printf(req->arena, "/applications/%lld?done=pledge", (long long)id));
	}
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

static int route_pledge_download(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_db *db = NULL;
	struct lc_pledge p = {0};
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_application_pledge_get(db, &u->actor, lc_site_path_id(req), &p);
	lc_site_db_read_end(req, db);
	if (!err) {
		/* Our type, decided from the content; an attachment, never rendered inline. */
		const char *type = strcmp(p.content_type, "application/pdf") == 0
		                       ? "application/pdf"
		                   : strcmp(p.content_type, "image/png") == 0 ? "image/png"
		                                                              : "image/jpeg";
		lc_resp_text(resp, type, (const char *)p.data, p.size);
		lc_resp_header(
		    resp, "Content-Disposition",
		    lc_arena_printf(req->arena, "attachment; filename=\"%s\"", p.filename));
		lc_resp_header(resp, "X-Content-Type-Options", "nosniff");
		lc_resp_header(resp, "X-Pledge-SHA256", p.sha256);
		lc_resp_header(resp, "Content-Security-Policy", "default-src 'none'; sandbox");
	}
	lc_application_pledge_cleanup(&p);
	return lc_auth_fail(req, resp, err);
}

/* ---- lists ----------------------------------------------------------------------------------- */

static const struct lc_param_spec applications_params[] = {
    {.name = "state", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 31},
    {.name = "country", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 2},
    {.name = "year", .source = LC_PARAM_QUERY, .type = LC_PARAM_INT, .min = 1900, .max = 2999},
    LC_PAGE_PARAMS,
    {.name = NULL},
};

static int load_list(struct lc_req *req, enum lc_application_scope scope, json_t **out)
{
	struct lc_web_user *u = lc_auth_user(req);
	struct lc_application_query q = {
	    .scope = scope,
	    .state = lc_req_str(req, "state"),
	    .country = lc_req_str(req, "country"),
	    .year = lc_req_int(req, "year", 0),
	    .page = lc_req_int(req, "page", 1),
	    .per_page = lc_req_int(req, "per_page", 0),
	};
	char cc[3] = "";
	if (q.country && strlen(q.country) == 2) {
		cc[0] = (char)(q.country[0] & ~0x20);
		cc[1] = (char)(q.country[1] & ~0x20);
		q.country = cc;
	}
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_application_list(db, &u->actor, &q, out);
	lc_site_db_read_end(req, db);
	return err;
}

/* A state tab's link: the list's other filters kept, the page reset. Arena. */
static const char *tab_href(struct lc_req *req, const char *base, const char *state)
{
	struct lc_buf b;
	lc_buf_init(&b, 512);
	lc_buf_puts(&b, base);
	char sep = '?';
	const char *cc = lc_req_str(req, "country");
	long year = lc_req_int(req, "year", 0);
	if (state) {
		lc_buf_printf(&b, "%cstate=", sep);
		lc_buf_append_url(&b, state, strlen(state));
		sep = '&';
	}
	if (cc && *cc) {
		lc_buf_printf(&b, "%ccountry=", sep);
		lc_buf_append_url(&b, cc, strlen(cc));
		sep = '&';
	}
	if (year)
		lc_buf_printf(&b, "%cyear=%ld", sep, year);
	const char *out = lc_arena_strdup(req->arena, lc_buf_cstr(&b));
	lc_buf_cleanup(&b);
	return out;
}

static int list_page(struct lc_req *req, struct lc_resp *resp, enum lc_application_scope scope,
                     const char *title_key, const char *nav, const char *base)
{
	json_t *vm = NULL;
	int err = load_list(req, scope, &vm);
	if (err == LC_EINVAL) {
		lc_resp_error(resp, 400, "%s", lc_site_t(req, "app_bad_state"));
		return 0;
	}
	if (err)
		return lc_auth_fail(req, resp, err);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(vm, "items"), i, e)
	{
		json_object_set_new(e, "state_label",
		                    json_string(lc_label_text(req, lc_application_states,
		                                              str_or_empty(e, "state"))));
		if (!json_string_length(json_object_get(e, "city_name")))
			json_object_set_new(e, "city_name",
			                    json_string(lc_site_t(req, "app_unnamed")));
	}
	lc_auth_human_times(vm);
	/* The state tabs, in the process's order, with their counts. */
	json_t *tabs = json_array();
	const char *cur = lc_req_str(req, "state");
	json_array_append_new(tabs,
	                      json_pack("{s:s,s:s,s:I,s:b}", "href", tab_href(req, base, NULL),
	                                "label", lc_site_t(req, "app_all_states"), "n",
	                                (json_int_t)0, "current", !cur || !*cur));
	const json_t *by = json_object_get(vm, "by_state");
	long all = 0;
	for (size_t k = 0; k < lc_application_process.nstates; k++) {
		const char *s = lc_application_process.states[k].name;
		long n = (long)json_integer_value(json_object_get(by, s));
		all += n;
		if (!n && !(cur && strcmp(cur, s) == 0))
			continue;
		json_array_append_new(
		    tabs, json_pack("{s:s,s:s,s:I,s:b}", "href", tab_href(req, base, s), "label",
		                    lc_label_text(req, lc_application_states, s), "n",
		                    (json_int_t)n, "current", cur && strcmp(cur, s) == 0));
	}
	json_object_set_new(json_array_get(tabs, 0), "n", json_integer(all));
	json_object_set_new(vm, "tabs", tabs);
	json_object_set_new(vm, "heading", json_string(lc_site_t(req, title_key)));
	json_object_set_new(vm, "show_applicant", json_boolean(scope != LC_APP_SCOPE_MINE));
	json_object_set_new(vm, "mine", json_boolean(scope == LC_APP_SCOPE_MINE));
	json_object_set_new(vm, "admin_list", json_boolean(scope == LC_APP_SCOPE_ALL));
	json_t *filter = json_object();
	if (lc_req_str(req, "state"))
		json_object_set_new(filter, "state", json_string(lc_req_str(req, "state")));
	if (lc_req_str(req, "country"))
		json_object_set_new(filter, "country", json_string(lc_req_str(req, "country")));
	if (lc_req_int(req, "year", 0))
		json_object_set_new(filter, "year", json_integer(lc_req_int(req, "year", 0)));
	json_object_set_new(vm, "filter", filter);
	/* Links to the other queues this person works in. */
	const struct lc_actor *a = &lc_auth_user(req)->actor;
	if (scope == LC_APP_SCOPE_MINE)
		json_object_set_new(vm, "queues",
		                    json_pack("{s:b,s:b,s:b}", "natcom",
		                              lc_actor_has_role(a, LC_ROLE_NATCOM), "expert",
		                              lc_actor_has_role(a, LC_ROLE_EXPERT), "admin",
		                              lc_actor_has_role(a, LC_ROLE_ADMIN)));
	json_t *extra = json_pack("{s:o}", "pager", lc_site_pager(req, vm));
	err = lc_site_page(req, resp, "applications", lc_site_t(req, title_key), nav, vm, extra);
	json_decref(extra);
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

static int route_applications_mine(struct lc_req *req, struct lc_resp *resp)
{
	return list_page(req, resp, LC_APP_SCOPE_MINE, "apps_mine_title", "applications",
	                 "/applications");
}

static int route_applications_natcom(struct lc_req *req, struct lc_resp *resp)
{
	return list_page(req, resp, LC_APP_SCOPE_NATCOM, "apps_natcom_title", "applications",
	                 "/natcom/applications");
}

static int route_applications_expert(struct lc_req *req, struct lc_resp *resp)
{
	return list_page(req, resp, LC_APP_SCOPE_EXPERT, "apps_expert_title", "applications",
	                 "/expert/applications");
}

static int route_applications_admin(struct lc_req *req, struct lc_resp *resp)
{
	return list_page(req, resp, LC_APP_SCOPE_ALL, "apps_admin_title", "pipeline_apps",
	                 "/admin/applications");
}

/* ---- the API --------------------------------------------------------------------------------- */

static int api_app(struct lc_req *req, struct lc_resp *resp, struct lc_db *db, int64_t id,
                   int status)
{
	json_t *app = NULL;
	int err = lc_application_json(db, &lc_auth_user(req)->actor, id, &app);
	if (!err)
		err = lc_resp_json(resp, app);
	if (!err)
		resp->status = status;
	json_decref(app);
	return err;
}

static int route_api_applications(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL;
	int err = load_list(req, LC_APP_SCOPE_VISIBLE, &vm);
	if (err == LC_EINVAL) {
		lc_resp_error(resp, 400, "unknown state");
		return 0;
	}
	if (!err)
		err = lc_resp_json(resp, vm);
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

static int route_api_application(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = api_app(req, resp, db, lc_site_path_id(req), 200);
	lc_site_db_read_end(req, db);
	return lc_auth_fail(req, resp, err);
}

static int route_api_application_new(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	json_t *body = NULL;
	char msg[256];
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		return 0;
	}
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int64_t id = 0;
	const json_t *call = json_object_get(body, "call");
	json_t *rest = json_deep_copy(body);
	json_object_del(rest, "call");
	json_object_del(rest, "country");
	json_object_del(rest, "city_name");
	int err = lc_site_db(req, &db);
	if (err)
		goto out;
	if (!json_is_integer(call)) {
		lc_diag_add(&d, NULL, 0, 0, "call", "err_app_id_call_applications");
		err = LC_EINVAL;
	}
	if (!err)
		err = lc_application_create(db, &u->actor, (int64_t)json_integer_value(call),
		                            json_string_value(json_object_get(body, "country")),
		                            json_string_value(json_object_get(body, "city_name")),
		                            &d, &id);
	if (err == LC_ENOTFOUND) {
		err = LC_EINVAL; /* the call named in the body: a problem of the body */
		if (!d.count)
			lc_diag_add(&d, NULL, 0, 0, "call", "err_app_call_applications");
	}
	/* The other fields in the same request: the draft exists, their problems are listed. */
	if (!err && json_object_size(rest) > 0)
		err = lc_application_save(db, &u->actor, id, rest, &d);
	if (!err || (id && err == LC_EINVAL)) {
		int e2 = api_app(req, resp, db, id, 201);
		if (!err)
			err = e2;
		else if (!e2) {
			/* Created, with problems: 422 names them, Location the draft. */
			json_t *j =
			    json_pack("{s:{s:i,s:s},s:o,s:I}", "error", "status", 422, "message",
			              lc_site_problem(req, &d.items[0]), "problems",
			              lc_site_problems(req, &d, false), "id", (json_int_t)id);
			lc_resp_json(resp, j);
			json_decref(j);
			resp->status = 422;
			err = 0;
		}
		lc_resp_header(
		    resp, "Location",
		    lc_arena_printf(req->arena, "/api/v1/applications/%lld", (long long)id));
	} else if (err == LC_EINVAL || err == LC_ECONFLICT) {
		err = lc_site_refuse(req, resp, err, &d);
	}
out:
	lc_site_db_release(req, db);
	lc_diag_cleanup(&d);
	json_decref(rest);
	json_decref(body);
	return lc_auth_fail(req, resp, err);
}

static int route_api_application_put(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	json_t *body = NULL;
	char msg[256];
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		return 0;
	}
	if (!json_is_object(body)) {
		json_decref(body);
		lc_resp_error(resp, 400, "the body must be a JSON object of form fields");
		return 0;
	}
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_application_save(db, &u->actor, lc_site_path_id(req), body, &d);
	if (!err)
		err = api_app(req, resp, db, lc_site_path_id(req), 200);
	else if (err == LC_EINVAL || err == LC_ECONFLICT)
		err = lc_site_refuse(req, resp, err, &d);
	lc_site_db_release(req, db);
	lc_diag_cleanup(&d);
	json_decref(body);
	return lc_auth_fail(req, resp, err);
}

static int route_api_pledge_put(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_diag d;
	lc_diag_init(&d);
	int err = put_pledge(req, &d);
	if (err == LC_EINVAL || err == LC_ELIMIT || err == LC_ECONFLICT) {
		err = lc_site_refuse(req, resp, err, &d);
	} else if (!err) {
		struct lc_db *db = NULL;
		err = lc_site_db_read(req, &db);
		if (!err)
			err = api_app(req, resp, db, lc_site_path_id(req), 200);
		lc_site_db_read_end(req, db);
	}
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* ---- the workflow routes' data (workflow.h) ------------------------------------------------- */

static int locate_app(struct lc_req *req, struct lc_db *db, int64_t *id)
{
	(void)db;
	*id = lc_site_path_id(req);
	return 0;
}

static int take_app(struct lc_req *req, struct lc_db *db, const struct lc_actor *actor, int64_t id,
                    const char *to, const char *reason, const char *link, struct lc_diag *d)
{
	(void)req;
	return lc_application_take_linked(db, actor, id, to, reason, link, d);
}

static int view_app(struct lc_req *req, struct lc_db *db, int64_t id, json_t **out)
{
	return lc_application_json(db, &lc_auth_user(req)->actor, id, out);
}

/* A refused step: the page with every problem, each after its field's name. */
static int refused_app(struct lc_req *req, struct lc_resp *resp, int64_t id, int status,
                       const struct lc_diag *d)
{
	struct lc_buf b;
	lc_buf_init(&b, 4000);
	for (size_t i = 0; d && i < d->count; i++) {
		if (i)
			lc_buf_puts(&b, " ");
		if (d->items[i].field && strcmp(d->items[i].field, "to") != 0 &&
		    strcmp(d->items[i].field, "call") != 0) {
			lc_buf_puts(&b, lc_label_text(req, field_labels, d->items[i].field));
			lc_buf_puts(&b, ": ");
		}
		lc_buf_puts(&b, lc_site_problem(req, &d->items[i]));
		lc_buf_puts(&b, ".");
	}
	const char *msg = b.len ? lc_arena_strdup(req->arena, lc_buf_cstr(&b))
	                        : lc_site_t(req, "app_step_refused");
	lc_buf_cleanup(&b);
	return app_page(req, resp, id, status, NULL, NULL, msg);
}

static const char *done_app(struct lc_req *req, int64_t id, const char *to)
{
	return lc_arena_printf(req->arena, "/applications/%lld?done=%s", (long long)id, to);
}

static const struct lc_wf_route application_wf = {
    .process = &lc_application_process,
    .states = lc_application_states,
    .steps = application_steps,
    .locate = locate_app,
    .take = take_app,
    .view = view_app,
    .link_field = "link_city",
    .refused = refused_app,
    .done = done_app,
};

/* The application's page and its JSON: the case, and the page's notice after a step. */
static const struct lc_param_spec app_view_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = 1L << 40},
    {.name = "done", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 32},
    {.name = NULL},
};

/* The API's writes of one application: its path id; the body is JSON. */
static const struct lc_param_spec app_id_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = 1L << 40},
    {.name = NULL},
};

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/applications/{id}/history", lc_wf_route_history, lc_wf_history_params, 0,
     LC_ROUTE_LOGIN, &application_wf},
    {LC_HTTP_GET, "/api/v1/applications/{id}/history", lc_wf_route_api_history,
     lc_wf_history_params, 0, LC_ROUTE_LOGIN, &application_wf},
    {LC_HTTP_GET, "/apply", route_apply_form, apply_params, 0, LC_ROUTE_LOGIN | A(APPLY_MEMBERSHIP),
     NULL},
    {LC_HTTP_POST, "/apply", route_apply, apply_params, 0, LC_ROUTE_LOGIN | A(APPLY_MEMBERSHIP),
     NULL},
    {LC_HTTP_GET, "/applications", route_applications_mine, applications_params, 0,
     LC_ROUTE_LOGIN | A(APPLY_MEMBERSHIP), NULL},
    {LC_HTTP_GET, "/applications/{id}", route_application, app_view_params, 0, LC_ROUTE_LOGIN,
     NULL},
    {LC_HTTP_POST, "/applications/{id}", route_application_save, app_form_params, 0, LC_ROUTE_LOGIN,
     NULL},
    {LC_HTTP_POST, "/applications/{id}/transitions", lc_wf_route_step, lc_wf_step_params, 0,
     LC_ROUTE_LOGIN, &application_wf},
    {LC_HTTP_POST, "/applications/{id}/pledge", route_application_pledge, pledge_params,
     LC_LIMIT_PLEDGE_BYTES + (64u << 10), LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/applications/{id}/pledge", route_pledge_download, pledge_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/natcom/applications", route_applications_natcom, applications_params, 0,
     LC_ROUTE_LOGIN | A(ENDORSE_FOR_COUNTRY), NULL},
    {LC_HTTP_GET, "/expert/applications", route_applications_expert, applications_params, 0,
     LC_ROUTE_LOGIN | A(RECOMMEND_MEMBERSHIP), NULL},
    {LC_HTTP_GET, "/admin/applications", route_applications_admin, applications_params, 0,
     LC_ROUTE_LOGIN | A(SCREEN_APPLICATION), NULL},
    {LC_HTTP_GET, "/api/v1/applications", route_api_applications, applications_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_POST, "/api/v1/applications", route_api_application_new, NULL, 0,
     LC_ROUTE_LOGIN | A(APPLY_MEMBERSHIP), NULL},
    {LC_HTTP_GET, "/api/v1/applications/{id}", route_api_application, app_view_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_PUT, "/api/v1/applications/{id}", route_api_application_put, app_id_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_POST, "/api/v1/applications/{id}/transitions", lc_wf_route_api_step, app_id_params, 0,
     LC_ROUTE_LOGIN, &application_wf},
    {LC_HTTP_POST, "/api/v1/applications/{id}/pledge", route_api_pledge_put, pledge_params,
     LC_LIMIT_PLEDGE_BYTES + (64u << 10), LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/api/v1/applications/{id}/pledge", route_pledge_download, pledge_params, 0,
     LC_ROUTE_LOGIN, NULL},
};

#undef A

LC_ROUTE_GROUP(applications, rows);
