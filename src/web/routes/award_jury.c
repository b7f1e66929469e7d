/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The award's jury: JSON API. It owns no rule: jurors, assignments and
 * conflicts of interest are domain/award/jury.h's, which checks who may.
 *
 *   GET  /api/v1/award-rounds/{year}/conflicts    the conflicts the caller may see
 *   POST /api/v1/award-rounds/{year}/conflicts    {"nomination", "action", "type"?,
 *                                                  "juror"?, "reason"?}: 200 the conflicts
 *   POST /api/v1/award-rounds/{year}/jurors       {"juror", "country"?, "panel"?, "load"}: 201
 *   POST /api/v1/award-rounds/{year}/assignments  {"juror", "nomination"}: 201
 *   GET  /api/v1/nominations/{id}/scores/me       the caller's sheet (a juror of the round)
 *   PUT  /api/v1/nominations/{id}/scores/me       {"scores"?, "comment"?, "submit"?}: the sheet
 *   GET  /api/v1/award-rounds/{year}/ranking      the jury's ranking (the secretariat): JSON,
 *                                                  or CSV with ?format=csv or Accept: text/csv
 *
 * Pages (a juror's; they work without JavaScript):
 *   GET  /jury               my rounds: the nominations I read, "7 of 12 scored", my
 *                            conflicts, a form to declare one (POST /jury/conflicts)
 *   GET  /jury/{id}          the scoring form: every criterion with its scale, a comment,
 *   POST /jury/{id}          save a draft or submit (then locked); the others' sheets as
 *                            the round's visibility says
 * Refusals: 401 anonymous, 403 not yours, 404 (a nomination a juror does
 * not read answers as one that does not exist), 409 not from this state
 * (or a juror's load), 422 {"error", "problems": [...]} with every problem.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/label.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "domain/award/jury.h"
#include "engine/award.h"
#include "formats/award_csv.h"
#include "web/http.h"
#include "web/urlcodec.h"

static const struct lc_param_spec year_params[] = {
    {.name = "year", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1900, .max = 2999},
    {.name = NULL},
};

/* ---- conflicts ------------------------------------------------------------------------------ */

static int load_conflicts(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	return lc_jury_conflicts(db, lc_auth_actor(req), lc_req_int(req, "year", 0), req->lang, vm);
}

static const struct lc_site_view conflicts_view = {.load = load_conflicts};

/* The JSON object body of a write, or 1 when it answered 400. */
static int body_of(struct lc_req *req, struct lc_resp *resp, json_t **body)
{
	char msg[256];
	*body = NULL;
	if (lc_req_json(req, body, msg, sizeof msg) || !json_is_object(*body)) {
		json_decref(*body);
		*body = NULL;
		lc_resp_error(resp, 400, "the body is a JSON object");
		return 1;
	}
	return 0;
}

static int route_conflict_post(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL, *vm = NULL;
	if (body_of(req, resp, &body))
		return 0;
	struct lc_diag d;
	lc_diag_init(&d);
	long year = lc_req_int(req, "year", 0);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_jury_conflict(db, lc_auth_actor(req), year, body, &d);
	if (!err)
		err = lc_jury_conflicts(db, lc_auth_actor(req), year, req->lang, &vm);
	lc_site_db_release(req, db);
	err = err ? lc_auth_api_fail(req, resp, err, &d) : lc_resp_json(resp, vm);
	json_decref(vm);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

/* ---- jurors and assignments ----------------------------------------------------------------- */

static int route_juror_post(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL;
	if (body_of(req, resp, &body))
		return 0;
	const json_t *load = json_object_get(body, "load");
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_jury_juror_set(db, lc_auth_actor(req), lc_req_int(req, "year", 0),
		                        json_string_value(json_object_get(body, "juror")),
		                        json_string_value(json_object_get(body, "country")),
		                        json_string_value(json_object_get(body, "panel")),
		                        json_is_integer(load) ? (long)json_integer_value(load) : 0,
		                        &d);
	lc_site_db_release(req, db);
	if (!err) {
		err = lc_resp_json(resp, body);
		resp->status = 201;
	} else {
		err = lc_auth_api_fail(req, resp, err, &d);
	}
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

static int route_assignment_post(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL;
	if (body_of(req, resp, &body))
		return 0;
	const json_t *nom = json_object_get(body, "nomination");
	struct lc_diag d;
	lc_diag_init(&d);
	int err = 0;
	if (!json_is_integer(nom) || json_integer_value(nom) <= 0) {
		lc_diag_add(&d, NULL, 0, 0, "nomination", "err_jury_nomination");
		err = LC_EINVAL;
	}
	struct lc_db *db = NULL;
	if (!err)
		err = lc_site_db(req, &db);
	if (!err)
		err = lc_jury_assign(db, lc_auth_actor(req), lc_req_int(req, "year", 0),
		                     (int64_t)json_integer_value(nom),
		                     json_string_value(json_object_get(body, "juror")), &d);
	lc_site_db_release(req, db);
	if (!err) {
		err = lc_resp_json(resp, body);
		resp->status = 201;
	} else {
		err = lc_auth_api_fail(req, resp, err, &d);
	}
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

/* ---- a juror's scores ---------------------------------------------------------------------- */

static const struct lc_param_spec id_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = NULL},
};

static int load_scores(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	return lc_jury_score_get(db, lc_auth_actor(req), lc_site_path_id(req), req->lang, vm);
}

static const struct lc_site_view scores_view = {.load = load_scores};

static int route_scores_put(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL, *vm = NULL;
	if (body_of(req, resp, &body))
		return 0;
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = lc_site_path_id(req);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_jury_score_put(db, lc_auth_actor(req), id, body, &d);
	if (!err)
		err = lc_jury_score_get(db, lc_auth_actor(req), id, req->lang, &vm);
	lc_site_db_release(req, db);
	err = err ? lc_auth_api_fail(req, resp, err, &d) : lc_resp_json(resp, vm);
	json_decref(vm);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

/* ---- the jury's ranking ------------------------------------------------------------------- */

static const char *const ranking_formats[] = {"json", "csv", NULL};

static const struct lc_param_spec ranking_params[] = {
    {.name = "year", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1900, .max = 2999},
    {.name = "format", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = ranking_formats},
    {.name = NULL},
};

/* CSV when ?format=csv, or without ?format when Accept names text/csv. */
static bool wants_csv(const struct lc_req *req)
{
	const char *f = lc_req_str(req, "format");
	if (f && *f)
		return strcmp(f, "csv") == 0;
	const char *accept = lc_req_header(req, "Accept");
	for (const char *p = accept; p && *p; p++)
		if (strncasecmp(p, "text/csv", 8) == 0)
			return true;
	return false;
}

static int route_ranking(struct lc_req *req, struct lc_resp *resp)
{
	long year = lc_req_int(req, "year", 0);
	struct lc_award_input in;
	struct lc_award_result r;
	struct lc_diag d;
	struct lc_buf b;
	json_t *doc = NULL;
	lc_award_input_init(&in);
	memset(&r, 0, sizeof(r));
	lc_diag_init(&d);
	lc_buf_init(&b, LC_LIMIT_HTTP_RESPONSE);
	struct lc_award_opts opts = {.seed = LC_AWARD_RANKING_SEED,
	                             .threads = LC_LIMIT_AWARD_RANKING_THREADS};
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_jury_rank(db, lc_auth_actor(req), year, &opts, &in, &r, &d);
	lc_site_db_read_end(req, db);
	if (err) {
		err = lc_auth_api_fail(req, resp, err, &d);
	} else if (wants_csv(req)) {
		lc_award_csv_write_ranking(&b, &in, &r);
		if (lc_buf_error(&b)) {
			err = lc_auth_fail(req, resp, LC_ELIMIT);
		} else {
			lc_resp_text(resp, "text/csv; charset=utf-8", lc_buf_cstr(&b), b.len);
			lc_resp_header(resp, "Content-Disposition",
			               lc_arena_printf(
			                   req->arena,
			                   "attachment; filename=\"award-%ld-ranking.csv\"", year));
		}
	} else {
		doc = lc_award_ranking_json(&in, &r);
		json_object_set_new(doc, "year", json_integer(year));
		err = lc_resp_json(resp, doc);
	}
	json_decref(doc);
	lc_buf_cleanup(&b);
	lc_diag_cleanup(&d);
	lc_award_result_cleanup(&r);
	lc_award_input_cleanup(&in);
	return err;
}

/* ---- the juror's pages: /jury and the scoring form /jury/{id} ------------------------------ */

static const struct lc_label sheet_states[] = {
    {"none", "jury_sheet_none"},
    {"draft", "jury_sheet_draft"},
    {"submitted", "jury_sheet_submitted"},
    {NULL, NULL},
};

static const struct lc_label conflict_types[] = {
    {"own_country", "jury_conflict_own_country"},
    {"nominating_body", "jury_conflict_nominating_body"},
    {"employer_adviser", "jury_conflict_employer_adviser"},
    {"personal", "jury_conflict_personal"},
    {"other", "jury_conflict_other"},
    {NULL, NULL},
};

static const struct lc_label conflict_states[] = {
    {"suggested", "jury_conflict_suggested"}, {"declared", "jury_conflict_declared"},
    {"confirmed", "jury_conflict_confirmed"}, {"dismissed", "jury_conflict_dismissed"},
    {"withdrawn", "jury_conflict_withdrawn"}, {NULL, NULL},
};

/* The catalogue's text of key with its arguments, in the request's arena. */
static const char *say(struct lc_req *req, const char *key, long a, long b)
{
	struct lc_diag d;
	lc_diag_init(&d);
	lc_diag_addf(&d, NULL, 0, 0, NULL, key, LC_ARG_I("n", a), LC_ARG_I("total", b));
	const char *s = lc_arena_strdup(req->arena, lc_site_problem(req, &d.items[0]));
	lc_diag_cleanup(&d);
	return s;
}

/* A nomination as a juror reads it: its city, or in a blind round its number only. */
static void name_nomination(struct lc_req *req, json_t *x)
{
	const json_t *city = json_object_get(x, "city");
	const char *name = json_string_value(json_object_get(city, "name"));
	json_object_set_new(
	    x, "label",
	    json_string(name ? name
	                     : say(req, "jury_nomination_n",
	                           (long)json_integer_value(json_object_get(x, "nomination")), 0)));
}

static int load_mine(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	return lc_jury_mine(db, lc_auth_actor(req), req->lang, vm);
}

/* What /jury adds for people: progress in words, labels, the kinds of conflict to declare. */
static int dress_mine(struct lc_req *req, struct lc_db *db, json_t *vm, json_t *extra)
{
	(void)db;
	size_t i, j;
	json_t *r, *x;
	json_array_foreach(json_object_get(vm, "rounds"), i, r)
	{
		json_object_set_new(
		    r, "progress",
		    json_string(say(req, "jury_progress",
		                    (long)json_integer_value(json_object_get(r, "submitted")),
		                    (long)json_integer_value(json_object_get(r, "total")))));
		json_object_set_new(r, "has_items",
		                    json_boolean(json_array_size(json_object_get(r, "items")) > 0));
		json_object_set_new(
		    r, "has_conflicts",
		    json_boolean(json_array_size(json_object_get(r, "conflicts")) > 0));
		json_array_foreach(json_object_get(r, "items"), j, x) name_nomination(req, x);
		lc_label_states(req, json_object_get(r, "items"), "state", sheet_states, 1);
		json_array_foreach(json_object_get(r, "conflicts"), j, x)
		{
			const char *st = json_string_value(json_object_get(x, "state"));
			name_nomination(req, x);
			json_object_set_new(x, "type_label",
			                    json_string(lc_label_text(
			                        req, conflict_types,
			                        json_string_value(json_object_get(x, "type")))));
			json_object_set_new(x, "state_label",
			                    json_string(lc_label_text(req, conflict_states, st)));
			/* The juror may take back its own declaration until the secretariat
			 * confirms it. */
			json_object_set_new(x, "can_withdraw",
			                    json_boolean(st && strcmp(st, "declared") == 0));
		}
	}
	json_t *types = json_array();
	for (const struct lc_label *t = conflict_types; t->name; t++)
		json_array_append_new(types, json_pack("{s:s, s:s}", "value", t->name, "label",
		                                       lc_site_t(req, t->key)));
	json_object_set_new(extra, "conflict_types", types);
	const char *done = lc_req_str(req, "done");
	if (done && *done)
		json_object_set_new(
		    extra, "done_text",
		    json_string(lc_site_t(req, strcmp(done, "withdraw") == 0
		                                   ? "jury_conflict_withdrawn_done"
		                                   : "jury_conflict_declared_done")));
	return 0;
}

static const struct lc_site_view mine_view = {
    .load = load_mine, .tpl = "jury", .title_key = "jury_title", .dress = dress_mine};

static const char *const done_choices[] = {"conflict", "withdraw", "save", "submit", NULL};

static const struct lc_param_spec mine_params[] = {
    {.name = "done", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = done_choices},
    {.name = NULL},
};

/* /jury again after a refused conflict form, with the problems (at status). */
static int mine_page(struct lc_req *req, struct lc_resp *resp, int status, const struct lc_diag *d)
{
	json_t *vm = NULL, *extra = json_object();
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_jury_mine(db, lc_auth_actor(req), req->lang, &vm);
	if (!err)
		err = dress_mine(req, db, vm, extra);
	lc_site_db_read_end(req, db);
	if (!err) {
		json_object_set_new(extra, "form_error",
		                    json_string(lc_site_t(req, "award_refused")));
		json_object_set_new(extra, "problems", lc_site_problems(req, d, false));
		resp->status = status;
		err =
		    lc_site_page(req, resp, "jury", lc_site_t(req, "jury_title"), NULL, vm, extra);
	}
	json_decref(vm);
	json_decref(extra);
	return lc_auth_fail(req, resp, err);
}

static const char *const conflict_actions[] = {"declare", "withdraw", NULL};

static const struct lc_param_spec conflict_form_params[] = {
    {.name = "year", .source = LC_PARAM_FORM, .type = LC_PARAM_INT, .min = 1900, .max = 2999},
    {.name = "nomination",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_INT,
     .min = 1,
     .max = INT32_MAX},
    {.name = "action", .source = LC_PARAM_FORM, .type = LC_PARAM_ENUM, .choices = conflict_actions},
    {.name = "type", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 31},
    {.name = "reason",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_REASON_BYTES},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* A juror declares a conflict on a nomination it reads, or withdraws its declaration. */
static int route_conflict_form(struct lc_req *req, struct lc_resp *resp)
{
	const char *action = lc_req_str(req, "action");
	const char *type = lc_req_str(req, "type"), *reason = lc_req_str(req, "reason");
	if (!action)
		action = ""; /* the domain refuses it, naming the steps there are */
	json_t *body = json_pack("{s:I, s:s}", "nomination",
	                         (json_int_t)lc_req_int(req, "nomination", 0), "action", action);
	if (type && *type)
		json_object_set_new(body, "type", json_string(type));
	if (reason && *reason)
		json_object_set_new(body, "reason", json_string(reason));
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err =
		    lc_jury_conflict(db, lc_auth_actor(req), lc_req_int(req, "year", 0), body, &d);
	lc_site_db_release(req, db);
	json_decref(body);
	if (err == LC_EINVAL || err == LC_ECONFLICT)
		err = mine_page(req, resp, err == LC_EINVAL ? 422 : 409, &d);
	else if (!err)
		err =
		    lc_resp_redirect(resp, strcmp(action, "withdraw") == 0 ? "/jury?done=withdraw"
		                                                           : "/jury?done=conflict");
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* The scoring form: the sheet with labels, what was typed after a refusal (typed), problems. */
static int sheet_page(struct lc_req *req, struct lc_resp *resp, int status, const json_t *typed,
                      const struct lc_diag *d)
{
	json_t *vm = NULL;
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err =
		    lc_jury_score_get(db, lc_auth_actor(req), lc_site_path_id(req), req->lang, &vm);
	lc_site_db_read_end(req, db);
	if (err)
		return lc_auth_fail(req, resp, err);
	name_nomination(req, vm);
	lc_label_states(req, vm, "state", sheet_states, 0);
	bool locked = strcmp(json_string_value(json_object_get(vm, "state")), "submitted") == 0;
	json_object_set_new(vm, "locked", json_boolean(locked));
	json_object_set_new(
	    vm, "editable",
	    json_boolean(!locked && json_is_true(json_object_get(vm, "scoring_now"))));
	size_t i;
	json_t *c;
	json_t *criteria = json_object_get(vm, "criteria");
	json_array_foreach(criteria, i, c)
	{
		const char *cid = json_string_value(json_object_get(c, "id"));
		const json_t *t = typed ? json_object_get(typed, cid) : NULL;
		const json_t *s = json_object_get(c, "score");
		char num[32] = "";
		if (json_is_number(s))
			snprintf(num, sizeof num, "%g", json_number_value(s));
		json_object_set_new(
		    c, "value", json_string(t ? json_string_value(t) : lc_site_decimal(req, num)));
		json_object_set_new(
		    c, "shown", json_string(json_is_number(s) ? lc_site_decimal(req, num) : "–"));
	}
	/* The other jurors' sheets as rows: one mark per criterion, in the criteria's order. */
	json_t *o;
	json_array_foreach(json_object_get(vm, "others"), i, o)
	{
		json_t *marks = json_array();
		size_t k;
		json_array_foreach(criteria, k, c)
		{
			const json_t *s =
			    json_object_get(json_object_get(o, "scores"),
			                    json_string_value(json_object_get(c, "id")));
			char num[32] = "–";
			if (json_is_number(s))
				snprintf(num, sizeof num, "%g", json_number_value(s));
			json_array_append_new(marks, json_string(lc_site_decimal(req, num)));
		}
		json_object_set_new(o, "marks", marks);
	}
	json_object_set_new(vm, "has_others",
	                    json_boolean(json_array_size(json_object_get(vm, "others")) > 0));
	const char *vis = json_string_value(json_object_get(vm, "visibility"));
	json_object_set_new(vm, "visibility_text",
	                    json_string(lc_site_t(
	                        req, strcmp(vis, "never") == 0    ? "jury_visibility_never"
	                             : strcmp(vis, "always") == 0 ? "jury_visibility_always"
	                                                          : "jury_visibility_after_own")));
	json_t *extra = json_object();
	if (d && d->count) {
		json_object_set_new(extra, "form_error",
		                    json_string(lc_site_t(req, "award_refused")));
		json_object_set_new(extra, "problems", lc_site_problems(req, d, false));
	}
	const char *done = lc_req_str(req, "done");
	if (done && *done && req->method == LC_HTTP_GET)
		json_object_set_new(
		    extra, "done_text",
		    json_string(lc_site_t(req, strcmp(done, "submit") == 0 ? "jury_submitted_done"
		                                                           : "jury_saved_done")));
	const char *title =
	    lc_arena_printf(req->arena, "%s – %s", lc_site_t(req, "jury_sheet_title"),
	                    json_string_value(json_object_get(vm, "label")));
	resp->status = status;
	err = lc_site_page(req, resp, "jury_sheet", title, NULL, vm, extra);
	json_decref(vm);
	json_decref(extra);
	return err;
}

static const struct lc_param_spec sheet_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "done", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = done_choices},
    {.name = NULL},
};

static int route_sheet(struct lc_req *req, struct lc_resp *resp)
{
	return sheet_page(req, resp, 200, NULL, NULL);
}

static const char *const sheet_actions[] = {"save", "submit", NULL};

static const struct lc_param_spec sheet_save_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "comment",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_AWARD_TEXT_BYTES},
    {.name = "action", .source = LC_PARAM_FORM, .type = LC_PARAM_ENUM, .choices = sheet_actions},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/*
 * The marks of the form: every s_<criterion id> field, as typed (typed) and as
 * the domain reads them (scores): empty is "not scored" (null), a decimal with
 * either mark a number, anything else the text itself, which the domain refuses
 * naming the criterion. Not declared parameters: the round says which criteria
 * there are, and the domain checks each against it.
 */
static int form_scores(struct lc_req *req, json_t **scores, json_t **typed)
{
	struct lc_urlcodec_pair pairs[LC_LIMIT_HTTP_PARAMS];
	size_t np = 0;
	*scores = *typed = NULL;
	int err =
	    lc_urlcodec_split_query((struct lc_slice){req->body ? req->body : "", req->body_len},
	                            pairs, LC_LIMIT_HTTP_PARAMS, &np);
	if (err)
		return err;
	json_t *s = json_object(), *t = json_object();
	for (size_t i = 0; i < np; i++) {
		if (pairs[i].name.len < 3 || pairs[i].name.len > 2 + LC_LIMIT_AWARD_CRITERION_ID ||
		    memcmp(pairs[i].name.ptr, "s_", 2) != 0)
			continue;
		struct lc_slice v;
		if (lc_urlcodec_decode(req->arena, pairs[i].value, true, &v) != 0 ||
		    v.len > LC_LIMIT_JURY_MARK_BYTES)
			v = (struct lc_slice){"?", 1};
		char id[LC_LIMIT_AWARD_CRITERION_ID + 1], num[LC_LIMIT_JURY_MARK_BYTES + 1];
		snprintf(id, sizeof id, "%.*s", (int)pairs[i].name.len - 2, pairs[i].name.ptr + 2);
		size_t n = 0;
		for (size_t k = 0; k < v.len; k++)
			if (v.ptr[k] != ' ')
				num[n++] = v.ptr[k] == ',' ? '.' : v.ptr[k];
		num[n] = '\0';
		json_object_set_new(t, id, json_stringn(v.ptr, v.len));
		char *end = NULL;
		double x = n ? strtod(num, &end) : 0.0;
		if (!n)
			json_object_set_new(s, id, json_null());
		else if (end && *end == '\0' && isfinite(x))
			json_object_set_new(s, id, json_real(x));
		else
			json_object_set_new(s, id, json_string(num));
	}
	*scores = s;
	*typed = t;
	return 0;
}

static int route_sheet_save(struct lc_req *req, struct lc_resp *resp)
{
	json_t *scores = NULL, *typed = NULL;
	int err = form_scores(req, &scores, &typed);
	if (err)
		return lc_auth_fail(req, resp, err);
	const char *action = lc_req_str(req, "action");
	bool submit = action && strcmp(action, "submit") == 0;
	const char *comment = lc_req_str(req, "comment");
	json_t *body = json_pack("{s:o, s:b}", "scores", scores, "submit", submit);
	if (comment)
		json_object_set_new(body, "comment", json_string(comment));
	int64_t id = lc_site_path_id(req);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	err = lc_site_db(req, &db);
	if (!err)
		err = lc_jury_score_put(db, lc_auth_actor(req), id, body, &d);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ECONFLICT)
		err = sheet_page(req, resp, err == LC_EINVAL ? 422 : 409, typed, &d);
	else if (!err)
		err = lc_resp_redirect(resp,
		                       lc_arena_printf(req->arena, "/jury/%lld?done=%s",
		                                       (long long)id, submit ? "submit" : "save"));
	json_decref(body);
	json_decref(typed);
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/api/v1/award-rounds/{year}/conflicts", lc_site_view, year_params, 0,
     LC_ROUTE_LOGIN, &conflicts_view},
    {LC_HTTP_POST, "/api/v1/award-rounds/{year}/conflicts", route_conflict_post, year_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_POST, "/api/v1/award-rounds/{year}/jurors", route_juror_post, year_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_AWARD), NULL},
    {LC_HTTP_POST, "/api/v1/award-rounds/{year}/assignments", route_assignment_post, year_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_AWARD), NULL},
    {LC_HTTP_GET, "/api/v1/award-rounds/{year}/ranking", route_ranking, ranking_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_AWARD), NULL},
    {LC_HTTP_GET, "/api/v1/nominations/{id}/scores/me", lc_site_view, id_params, 0, LC_ROUTE_LOGIN,
     &scores_view},
    {LC_HTTP_PUT, "/api/v1/nominations/{id}/scores/me", route_scores_put, id_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/jury", lc_site_view, mine_params, 0, LC_ROUTE_LOGIN, &mine_view},
    {LC_HTTP_POST, "/jury/conflicts", route_conflict_form, conflict_form_params, 0, LC_ROUTE_LOGIN,
     NULL},
    {LC_HTTP_GET, "/jury/{id}", route_sheet, sheet_params, 0, LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_POST, "/jury/{id}", route_sheet_save, sheet_save_params, 0, LC_ROUTE_LOGIN, NULL},
};

#undef A

LC_ROUTE_GROUP(award_jury, rows);
