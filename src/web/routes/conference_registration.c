/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Registrations for a conference run in learncity: the JSON API. It owns no
 * rule: registrations, places and the waiting list are
 * domain/conference/registration.h's; steps go through the generic
 * workflow routes (workflow.h).
 *
 * API:
 *   POST /api/v1/conferences/{slug}/registrations      {"category", "answers"}: 201 the
 * registration GET  /api/v1/conferences/{slug}/registrations/{id} the registration (its owner,
 * organisers) PUT  /api/v1/conferences/{slug}/registrations/{id} {"answers"}: 200 the registration
 *   POST /api/v1/conferences/{slug}/registrations/{id}/transitions {"to", "reason"?}: 200
 * Refusals: 401, 403, 404, 409 (closed, by invitation, already registered, not from
 * this state), 422 {"error", "problems": [...]} with every problem.
 *
 * Pages (without JavaScript): /conferences/{slug}/register/{category} (the
 * category's form drawn from its data, every problem next to its field), and
 * /conferences/{slug}/registrations/{id} (the person's registration: its state and
 * reason, an offer's deadline, the steps they may take with a confirmation, the
 * form to correct it, its history).
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/label.h"
#include "web/routes/workflow.h"

#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "base/arena.h"
#include "base/buf.h"
#include "domain/conference/category.h"
#include "domain/conference/event.h"
#include "domain/conference/form.h"
#include "domain/conference/registration.h"
#include "domain/workflow/workflow.h"
#include "web/http.h"
#include "web/urlcodec.h"

static const struct lc_param_spec slug_params[] = {
    {.name = "slug", .source = LC_PARAM_PATH, .type = LC_PARAM_STRING, .max_len = 64},
    {.name = NULL},
};

static const struct lc_param_spec id_params[] = {
    {.name = "slug", .source = LC_PARAM_PATH, .type = LC_PARAM_STRING, .max_len = 64},
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = NULL},
};

/* The registration of the path, when it belongs to the path's conference. */
static int view(struct lc_req *req, struct lc_db *db, int64_t id, json_t **out)
{
	int err = lc_conf_reg_view(db, lc_auth_actor(req), id, req->lang, out);
	const char *slug = lc_req_str(req, "slug");
	if (!err && slug &&
	    strcmp(json_string_value(json_object_get(json_object_get(*out, "conference"), "slug")),
	           slug) != 0) {
		json_decref(*out);
		*out = NULL;
		err = LC_ENOTFOUND;
	}
	return err;
}

static int route_api_create(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL, *vm = NULL;
	char msg[256];
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		return 0;
	}
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int64_t id = 0;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_conf_reg_create(db, lc_auth_actor(req), lc_req_str(req, "slug"),
		                         json_string_value(json_object_get(body, "category")),
		                         json_object_get(body, "answers"), &d, &id);
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

static int route_api_get(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL;
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = view(req, db, lc_site_path_id(req), &vm);
	lc_site_db_read_end(req, db);
	if (!err)
		err = lc_resp_json(resp, vm);
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

/* The person's badge: for the person and the organisers, 404 for anyone else. */
static int route_api_badge(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	int64_t id = lc_site_path_id(req);
	lc_buf_reset(&resp->body);
	/* Writes: the first badge issues the registration's ticket. */
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_conf_reg_badge_pdf(db, lc_auth_actor(req), lc_req_str(req, "slug"), id,
		                            &resp->body);
	lc_site_db_release(req, db);
	if (err == LC_ECONFLICT) {
		struct lc_diag d;
		lc_diag_init(&d);
		lc_diag_add(&d, NULL, 0, 0, NULL, "err_conf_badge_state");
		lc_buf_reset(&resp->body);
		err = lc_auth_api_fail(req, resp, err, &d);
		lc_diag_cleanup(&d);
		return err;
	}
	if (err) {
		lc_buf_reset(&resp->body);
		return lc_auth_fail(req, resp, err);
	}
	resp->content_type = "application/pdf";
	return lc_resp_header(
	    resp, "Content-Disposition",
	    lc_arena_printf(req->arena, "inline; filename=\"badge-%lld.pdf\"", (long long)id));
}

static int route_api_put(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL, *vm = NULL;
	char msg[256];
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		return 0;
	}
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int64_t id = lc_site_path_id(req);
	int err = lc_site_db(req, &db);
	if (!err)
		err = view(req, db, id, &vm); /* the path's conference, and the right to see it */
	json_decref(vm);
	vm = NULL;
	if (!err)
		err = lc_conf_reg_update(db, lc_auth_actor(req), id,
		                         json_object_get(body, "answers"), &d);
	if (!err)
		err = view(req, db, id, &vm);
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

/* ---- the workflow routes' data (workflow.h) ---------------------------------------------- */

static const struct lc_label *const states = lc_label_conf_reg_states;

static const struct lc_label steps[] = {
    {"create", "conf_step_create"},   {"approve", "conf_step_approve"},
    {"reject", "conf_step_reject"},   {"waitlist", "conf_step_waitlist"},
    {"offer", "conf_step_offer"},     {"accept", "conf_step_accept"},
    {"decline", "conf_step_decline"}, {"expire", "conf_step_expire"},
    {"promote", "conf_step_promote"}, {"remove", "conf_step_remove"},
    {"cancel", "conf_step_cancel"},   {"withdraw", "conf_step_withdraw"},
    {"repend", "conf_step_repend"},   {NULL, NULL},
};

static int locate(struct lc_req *req, struct lc_db *db, int64_t *id)
{
	json_t *v = NULL;
	*id = lc_site_path_id(req);
	/* The path's conference must be the registration's. */
	int err = view(req, db, *id, &v);
	json_decref(v);
	return err == LC_EAUTH || err == LC_EPERM ? 0 : err;
}

static int take(struct lc_req *req, struct lc_db *db, const struct lc_actor *actor, int64_t id,
                const char *to, const char *reason, const char *link, struct lc_diag *d)
{
	(void)req, (void)link;
	return lc_conf_reg_take(db, actor, id, to, reason, d);
}

static int refused(struct lc_req *req, struct lc_resp *resp, int64_t id, int status,
                   const struct lc_diag *d);
static const char *done(struct lc_req *req, int64_t id, const char *to);

static const struct lc_wf_route reg_wf = {
    .process = &lc_conf_reg_process,
    .states = states,
    .steps = steps,
    .locate = locate,
    .take = take,
    .view = view,
    .confirm = true,
    .refused = refused,
    .done = done,
};

/* ---- pages -------------------------------------------------------------------------------- */

static const struct lc_param_spec register_params[] = {
    {.name = "slug", .source = LC_PARAM_PATH, .type = LC_PARAM_STRING, .max_len = 64},
    {.name = "category", .source = LC_PARAM_PATH, .type = LC_PARAM_STRING, .max_len = 32},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec page_params[] = {
    {.name = "slug", .source = LC_PARAM_PATH, .type = LC_PARAM_STRING, .max_len = 64},
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "done", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 31},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* The decoded value of the body's field name, or NULL (arena). */
static const char *form_field(struct lc_req *req, const struct lc_urlcodec_pair *p, size_t n,
                              struct lc_slice name)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i].name.len != name.len || memcmp(p[i].name.ptr, name.ptr, name.len) != 0)
			continue;
		struct lc_slice out;
		if (lc_urlcodec_decode(req->arena, p[i].value, true, &out) == 0)
			return out.ptr;
	}
	return NULL;
}

/*
 * The answers of the page's form: every a_<field> of the body, by field id; a consent
 * box ticked is true (form is form.h's view, which names each field's kind).
 */
static int form_answers(struct lc_req *req, const json_t *form, json_t **out)
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
	size_t i, j;
	json_t *sec, *f;
	json_array_foreach(json_object_get(form, "sections"), i, sec){json_array_foreach(
	    json_object_get(sec, "fields"), j, f){char name[LC_LIMIT_CONF_FORM_ID + 3];
	const char *id = json_string_value(json_object_get(f, "id"));
	snprintf(name, sizeof name, "a_%s", id);
	const char *v = form_field(req, pairs, np, lc_slice_cstr(name));
	if (json_is_true(json_object_get(f, "is_consent")))
		json_object_set_new(a, id, json_boolean(v && *v));
	else if (v && *v)
		json_object_set_new(a, id, json_string(v));
}
}
*out = a;
return 0;
}

/* {"answers.<id>": sentence} and the list of problems, for a page's form. */
static void page_problems(struct lc_req *req, const struct lc_diag *d, json_t *extra,
                          json_t **errors)
{
	*errors = json_object();
	json_t *list = json_array();
	for (size_t i = 0; i < d->count; i++) {
		const char *msg = lc_site_problem(req, &d->items[i]);
		const char *field = d->items[i].field;
		if (field && !json_object_get(*errors, field))
			json_object_set_new(*errors, field, json_string(msg));
		json_array_append_new(list, json_pack("{s:s}", "message", msg));
	}
	json_object_set_new(extra, "problems", list);
	json_object_set_new(extra, "form_error", json_string(lc_site_t(req, "conf_refused")));
}

/* The register page: the conference, the category and its form (answers and errors may be NULL). */
static int register_page(struct lc_req *req, struct lc_resp *resp, int status,
                         const json_t *answers, const struct lc_diag *d)
{
	struct lc_db *db = NULL;
	struct lc_conf_event e;
	struct lc_conf_category c;
	memset(&e, 0, sizeof e);
	memset(&c, 0, sizeof c);
	json_t *vm = NULL, *extra = json_object(), *errors = NULL;
	if (d && d->count)
		page_problems(req, d, extra, &errors);
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (!err)
		err = lc_conf_category_load(db, e.id, lc_req_str(req, "category"), &c);
	if (!err) {
		json_t *cat = lc_conf_category_json(db, &c, e.slug, req->lang, false);
		json_object_set_new(cat, "form",
		                    lc_conf_form_view(c.form, answers, errors, req->lang));
		json_t *ev = lc_conf_event_json(&e, req->lang);
		vm = json_pack("{s:o, s:o}", "conference", ev, "category", cat);
	}
	lc_site_db_read_end(req, db);
	if (!err) {
		resp->status = status;
		err = lc_site_page(req, resp, "conference_register",
		                   lc_site_t(req, "conf_register_title"), "conferences", vm, extra);
	}
	json_decref(vm);
	json_decref(extra);
	json_decref(errors);
	lc_conf_category_cleanup(&c);
	lc_conf_event_cleanup(&e);
	return lc_auth_fail(req, resp, err);
}

static int route_register(struct lc_req *req, struct lc_resp *resp)
{
	return register_page(req, resp, 200, NULL, NULL);
}

static int route_register_post(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	struct lc_conf_event e;
	struct lc_conf_category c;
	memset(&e, 0, sizeof e);
	memset(&c, 0, sizeof c);
	json_t *answers = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (!err)
		err = lc_conf_category_load(db, e.id, lc_req_str(req, "category"), &c);
	if (!err) {
		json_t *form = lc_conf_form_view(c.form, NULL, NULL, "en");
		err = form_answers(req, form, &answers);
		json_decref(form);
	}
	if (!err)
		err = lc_conf_reg_create(db, lc_auth_actor(req), e.slug, c.code, answers, &d, &id);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ECONFLICT)
		err = register_page(req, resp, err == LC_EINVAL ? 422 : 409, answers, &d);
	else if (!err)
		err = lc_resp_redirect(resp, lc_arena_printf(req->arena,
		                                             "/conferences/%s/registrations/%lld",
		                                             e.slug, (long long)id));
	else
		err = lc_auth_fail(req, resp, err);
	json_decref(answers);
	lc_diag_cleanup(&d);
	lc_conf_category_cleanup(&c);
	lc_conf_event_cleanup(&e);
	return err;
}

/* The registration page, with the problems of a refused edit or step (d may be NULL). */
static int reg_page(struct lc_req *req, struct lc_resp *resp, int64_t id, int status,
                    const json_t *answers, const struct lc_diag *d, const char *note)
{
	struct lc_db *db = NULL;
	json_t *vm = NULL, *extra = json_object(), *errors = NULL;
	if (d && d->count)
		page_problems(req, d, extra, &errors);
	else if (note)
		json_object_set_new(extra, "form_error", json_string(note));
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = view(req, db, id, &vm);
	lc_site_db_read_end(req, db);
	if (err) {
		json_decref(extra);
		json_decref(errors);
		return lc_auth_fail(req, resp, err);
	}
	const char *state = json_string_value(json_object_get(vm, "state"));
	json_object_set_new(vm, "state_label", json_string(lc_label_text(req, states, state)));
	/* The steps this person may take now, said in their language. */
	json_t *steps_now = json_array();
	size_t i;
	json_t *n;
	json_array_foreach(json_object_get(json_object_get(vm, "workflow"), "next"), i, n)
	{
		const char *to = json_string_value(json_object_get(n, "to"));
		const char *name = json_string_value(json_object_get(n, "name"));
		json_array_append_new(steps_now, json_pack("{s:s, s:s}", "to", to, "label",
		                                           lc_label_text(req, steps, name)));
	}
	json_object_set_new(vm, "has_steps", json_boolean(json_array_size(steps_now) > 0));
	json_object_set_new(vm, "steps", steps_now);
	bool editable = strcmp(state, "pending") == 0 || strcmp(state, "approved") == 0 ||
	                strcmp(state, "waitlisted") == 0 || strcmp(state, "offered") == 0;
	json_object_set_new(vm, "editable", json_boolean(editable));
	json_object_set_new(vm, "has_badge", json_boolean(strcmp(state, "approved") == 0));
	json_t *cat = json_object_get(vm, "category");
	json_object_set_new(vm, "repends",
	                    json_boolean(strcmp(state, "approved") == 0 &&
	                                 json_is_true(json_object_get(cat, "moderated"))));
	if (answers || errors) {
		/* The form as typed, with its problems. */
		struct lc_db *db2 = NULL;
		struct lc_conf_category c;
		memset(&c, 0, sizeof c);
		int e2 = lc_site_db_read(req, &db2);
		struct lc_conf_event ev;
		memset(&ev, 0, sizeof ev);
		if (!e2)
			e2 = lc_conf_event_load(db2,
			                        json_string_value(json_object_get(
			                            json_object_get(vm, "conference"), "slug")),
			                        &ev);
		if (!e2)
			e2 = lc_conf_category_load(
			    db2, ev.id, json_string_value(json_object_get(cat, "code")), &c);
		if (!e2)
			json_object_set_new(
			    vm, "form",
			    lc_conf_form_view(c.form,
			                      answers ? answers : json_object_get(vm, "answers"),
			                      errors, req->lang));
		lc_site_db_read_end(req, db2);
		lc_conf_category_cleanup(&c);
		lc_conf_event_cleanup(&ev);
	}
	const char *done = lc_req_str(req, "done");
	if (done && *done && status == 200)
		json_object_set_new(vm, "done_label",
		                    json_string(lc_label_text(req, states, done)));
	lc_wf_route_label_history(req, &reg_wf, json_object_get(vm, "workflow"));
	lc_auth_human_times(vm);
	resp->status = status;
	err = lc_site_page(req, resp, "conference_registration",
	                   lc_site_t(req, "conf_registration_title"), "conferences", vm, extra);
	json_decref(vm);
	json_decref(extra);
	json_decref(errors);
	return err;
}

static int route_reg_page(struct lc_req *req, struct lc_resp *resp)
{
	return reg_page(req, resp, lc_site_path_id(req), 200, NULL, NULL, NULL);
}

static int route_reg_save(struct lc_req *req, struct lc_resp *resp)
{
	int64_t id = lc_site_path_id(req);
	struct lc_db *db = NULL;
	json_t *vm = NULL, *answers = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_site_db(req, &db);
	if (!err)
		err = view(req, db, id, &vm);
	if (!err)
		err = form_answers(req, json_object_get(vm, "form"), &answers);
	if (!err)
		err = lc_conf_reg_update(db, lc_auth_actor(req), id, answers, &d);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ECONFLICT)
		err = reg_page(req, resp, id, err == LC_EINVAL ? 422 : 409, answers, &d, NULL);
	else if (!err)
		err = lc_resp_redirect(
		    resp, lc_arena_printf(req->arena, "/conferences/%s/registrations/%lld",
		                          lc_req_str(req, "slug"), (long long)id));
	else
		err = lc_auth_fail(req, resp, err);
	json_decref(vm);
	json_decref(answers);
	lc_diag_cleanup(&d);
	return err;
}

static int refused(struct lc_req *req, struct lc_resp *resp, int64_t id, int status,
                   const struct lc_diag *d)
{
	return reg_page(req, resp, id, status, NULL, d,
	                d ? NULL : lc_site_t(req, "conf_confirm_needed"));
}

static const char *done(struct lc_req *req, int64_t id, const char *to)
{
	return lc_arena_printf(req->arena, "/conferences/%s/registrations/%lld?done=%s",
	                       lc_req_str(req, "slug"), (long long)id, to);
}

/* ---- the routes ---- */

static const struct lc_route rows[] = {
    {LC_HTTP_POST, "/api/v1/conferences/{slug}/registrations", route_api_create, slug_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/api/v1/conferences/{slug}/registrations/{id}", route_api_get, id_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_PUT, "/api/v1/conferences/{slug}/registrations/{id}", route_api_put, id_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/api/v1/conferences/{slug}/registrations/{id}/badge.pdf", route_api_badge,
     id_params, 0, LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_POST, "/api/v1/conferences/{slug}/registrations/{id}/transitions",
     lc_wf_route_api_step, id_params, 0, LC_ROUTE_LOGIN, &reg_wf},
    {LC_HTTP_GET, "/conferences/{slug}/register/{category}", route_register, register_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_POST, "/conferences/{slug}/register/{category}", route_register_post, register_params,
     0, LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/conferences/{slug}/registrations/{id}", route_reg_page, page_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_POST, "/conferences/{slug}/registrations/{id}", route_reg_save, page_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_POST, "/conferences/{slug}/registrations/{id}/transitions", lc_wf_route_step,
     lc_wf_step_params, 0, LC_ROUTE_LOGIN, &reg_wf},
};

LC_ROUTE_GROUP(conference_registration, rows);
