/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Check-in at a conference's door: the staff's page
 * /conferences/{slug}/checkin (camera or USB scanner, signatures verified in
 * the browser, scans kept while offline: static/checkin.js), the bundle it
 * downloads (public keys and revoked serials), the upload of scans and the
 * organisers' live counts. Everything needs LC_ACT_CHECK_IN on the
 * conference (checkin:SLUG or admin), checked again by domain/conference/checkin.c.
 * Also the public check of a letter's verification code, /letters/verify/{code}.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"

#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "domain/conference/checkin.h"
#include "domain/conference/event.h"
#include "domain/conference/letter.h"
#include "web/http.h"

static const struct lc_param_spec slug_params[] = {
    {.name = "slug",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_CONF_SLUG,
     .required = true},
    {0},
};

/* The conference of the path's slug: its id, and its title in the request's language. */
static int conference(struct lc_req *req, struct lc_db *db, int64_t *id, json_t **view)
{
	struct lc_conf_event e;
	int err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (err)
		return err;
	*id = e.id;
	if (view)
		*view = lc_conf_event_json(&e, req->lang);
	lc_conf_event_cleanup(&e);
	return 0;
}

/* GET /api/v1/conferences/{slug}/checkin-keys: what the page verifies tickets with offline. */
static int route_api_keys(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	json_t *vm = NULL;
	int64_t conf = 0;
	int err = lc_site_db(req, &db);
	if (!err)
		err = conference(req, db, &conf, NULL);
	if (!err)
		err =
		    lc_checkin_offline(db, lc_auth_actor(req), conf, lc_req_str(req, "slug"), &vm);
	lc_site_db_release(req, db);
	if (err)
		return lc_auth_fail(req, resp, err);
	err = lc_resp_json(resp, vm);
	json_decref(vm);
	return err;
}

/* POST /api/v1/conferences/{slug}/checkins: a batch of scans, {"scans": [...]}. */
static int route_api_record(struct lc_req *req, struct lc_resp *resp)
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
	int64_t conf = 0;
	int err = lc_site_db(req, &db);
	if (!err)
		err = conference(req, db, &conf, NULL);
	if (!err)
		err = lc_checkin_record(db, lc_auth_actor(req), conf,
		                        json_object_get(body, "scans"), &vm, &d);
	lc_site_db_release(req, db);
	err = err ? lc_auth_api_fail(req, resp, err, &d) : lc_resp_json(resp, vm);
	json_decref(vm);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

/* GET /api/v1/conferences/{slug}/checkins: the live counts. */
static int route_api_counts(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	json_t *vm = NULL;
	int64_t conf = 0;
	int err = lc_site_db(req, &db);
	if (!err)
		err = conference(req, db, &conf, NULL);
	if (!err)
		err = lc_checkin_counts(db, lc_auth_actor(req), conf, &vm);
	lc_site_db_release(req, db);
	if (err)
		return lc_auth_fail(req, resp, err);
	err = lc_resp_json(resp, vm);
	json_decref(vm);
	return err;
}

/* GET /conferences/{slug}/checkin: the staff's page, with the counts when it opens. */
static int route_page(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	json_t *conf_view = NULL, *counts = NULL;
	int64_t conf = 0;
	int err = lc_site_db(req, &db);
	if (!err)
		err = conference(req, db, &conf, &conf_view);
	if (!err)
		err = lc_checkin_counts(db, lc_auth_actor(req), conf, &counts);
	lc_site_db_release(req, db);
	if (err) {
		json_decref(conf_view);
		return lc_auth_fail(req, resp, err);
	}
	json_t *vm = json_pack("{s:o, s:o}", "conference", conf_view, "counts", counts);
	json_t *extra = json_pack("{s:s}", "script", "checkin.js");
	char title[256];
	snprintf(title, sizeof title, "%s: %s", lc_site_t(req, "checkin_title"),
	         json_string_value(json_object_get(conf_view, "title")));
	err = lc_site_page(req, resp, "checkin", title, "conferences", vm, extra);
	json_decref(extra);
	json_decref(vm);
	return err;
}

/* ---- the check of a letter ---- */

static const struct lc_param_spec code_params[] = {
    {.name = "code", .source = LC_PARAM_PATH, .type = LC_PARAM_STRING, .max_len = 32},
    {0},
};

static int load_letter(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	return lc_letter_verify(db, lc_req_str(req, "code"), req->lang, vm);
}

/* The kind as words, for the page. */
static int dress_letter(struct lc_req *req, struct lc_db *db, json_t *vm, json_t *extra)
{
	(void)req;
	(void)db;
	(void)extra;
	const char *kind = json_string_value(json_object_get(vm, "kind"));
	json_object_set_new(vm, "is_invitation",
	                    json_boolean(kind && strcmp(kind, "invitation") == 0));
	return 0;
}

static const struct lc_site_view letter_view = {
    .load = load_letter,
    .tpl = "letter_verify",
    .title_key = "letter_verify_title",
    .nav = "conferences",
    .dress = dress_letter,
};

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/conferences/{slug}/checkin", route_page, slug_params, 0,
     LC_ROUTE_LOGIN | A(CHECK_IN), NULL},
    {LC_HTTP_GET, "/api/v1/conferences/{slug}/checkin-keys", route_api_keys, slug_params, 0,
     LC_ROUTE_LOGIN | A(CHECK_IN), NULL},
    {LC_HTTP_GET, "/api/v1/conferences/{slug}/checkins", route_api_counts, slug_params, 0,
     LC_ROUTE_LOGIN | A(CHECK_IN), NULL},
    {LC_HTTP_POST, "/api/v1/conferences/{slug}/checkins", route_api_record, slug_params, 0,
     LC_ROUTE_LOGIN | A(CHECK_IN), NULL},
    LC_SITE_VIEW("/letters/verify/{code}", &letter_view, code_params, 0),
};

#undef A

LC_ROUTE_GROUP(checkin, rows);
