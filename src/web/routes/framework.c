/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The Key Features of Learning Cities, read and edited:
 *
 *   /framework[?version=CODE]                  the current (or another published) version
 *   /api/v1/framework[?version=CODE][&format=json|csv]
 *        no format: the page's view-model; json: the version as a
 *        "learncity-framework/1" file; csv: one row per measurement
 *   /api/v1/framework/versions                 every version with counts (admins)
 *   /api/v1/framework/versions/{code}[.csv]    a version's file, drafts too (admins)
 *   POST /api/v1/framework/versions[?code=&title=]  import a JSON or CSV body as a new
 *        draft: 201, or 422 with every problem (row, column, field, value, reason)
 *   POST /api/v1/framework/versions/{code}/publish
 *   /admin/framework ...                       the admin pages: versions, a new draft, a
 *        version's tree with edit, add and remove (confirmed) of measurements, publish
 *        (confirmed)
 *
 * Drafts are shown only to those who may edit the framework: anyone else gets
 * 404. Rules, validation and permissions are domain/framework.h's; this file
 * turns requests into its calls and its problems into pages and JSON.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/label.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/monitoring/framework.h"
#include "web/http.h"
#include "web/router.h"

static const char *const formats[] = {"json", "csv", NULL};
static const char *const fw_done[] = {"draft",     "saved",    "added", "removed",
                                      "published", "imported", NULL};
static const char *const directions[] = {"higher_is_better", "lower_is_better", "neutral", NULL};
static const char *const types[] = {"number", "percentage", "yes_no", "maturity_0_4", "text", NULL};
static const char *const statuses[] = {"verified", "secondary", "provisional", NULL};

#define VERSION_QUERY                                                                              \
	{                                                                                          \
		.name = "version", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING,              \
		.max_len = 32                                                                      \
	}
#define CODE_PATH                                                                                  \
	{                                                                                          \
		.name = "code", .source = LC_PARAM_PATH, .type = LC_PARAM_STRING, .max_len = 40    \
	}
/* The admin pages name the version {version}: their forms' "code" is a measurement's. */
#define VERSION_PATH                                                                               \
	{                                                                                          \
		.name = "version", .source = LC_PARAM_PATH, .type = LC_PARAM_STRING, .max_len = 40 \
	}
#define ID_PATH                                                                                    \
	{                                                                                          \
		.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1,             \
		.max = INT32_MAX                                                                   \
	}
#define FORM_STR(n, len)                                                                           \
	{                                                                                          \
		.name = n, .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = len        \
	}
#define DONE_QUERY                                                                                 \
	{                                                                                          \
		.name = "done", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM,                   \
		.choices = fw_done                                                                 \
	}

static const struct lc_param_spec framework_params[] = {
    VERSION_QUERY,
    {.name = "format", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = formats},
    {.name = NULL},
};

static const struct lc_param_spec framework_versions_params[] = {
    LC_PAGE_PARAMS,
    DONE_QUERY,
    {.name = NULL},
};

static const struct lc_param_spec framework_import_params[] = {
    {.name = "code", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 32},
    {.name = "title", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 500},
    {.name = NULL},
};

static const struct lc_param_spec framework_version_params[] = {
    VERSION_PATH,
    DONE_QUERY,
    {.name = NULL},
};

static const struct lc_param_spec framework_publish_params[] = {
    VERSION_PATH,
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec framework_api_publish_params[] = {
    CODE_PATH,
    {.name = NULL},
};

static const struct lc_param_spec framework_draft_params[] = {
    FORM_STR("from", 32),
    FORM_STR("version_code", 64),
    FORM_STR("version_title_en", 500),
    FORM_STR("version_title_fr", 500),
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec framework_import_form_params[] = {
    FORM_STR("version_code", 64),
    FORM_STR("version_title_en", 500),
    {.name = "content",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_HTTP_BODY},
    LC_CSRF_PARAM,
    {.name = NULL},
};

#define MEASURE_FORM                                                                               \
	FORM_STR("code", 64), FORM_STR("label_en", 2000), FORM_STR("label_fr", 2000),              \
	    FORM_STR("unit", 128), FORM_STR("direction", 32), FORM_STR("type", 32),                \
	    FORM_STR("goalpost_low", 64), FORM_STR("goalpost_high", 64), FORM_STR("status", 32)

static const struct lc_param_spec framework_measurement_params[] = {
    VERSION_PATH, ID_PATH, MEASURE_FORM, LC_CSRF_PARAM, {.name = NULL},
};

static const struct lc_param_spec framework_measurement_new_params[] = {
    VERSION_PATH, FORM_STR("feature", 32), MEASURE_FORM, LC_CSRF_PARAM, {.name = NULL},
};

static const struct lc_param_spec framework_measurement_remove_params[] = {
    VERSION_PATH,
    ID_PATH,
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* ---- helpers ---- */

static bool may_edit(struct lc_req *req)
{
	return lc_authz_check(lc_auth_actor(req), LC_ACT_EDIT_FRAMEWORK, NULL) == 0;
}

/* A non-empty string parameter, or NULL. */
static const char *param(const struct lc_req *req, const char *name)
{
	const char *s = lc_req_str(req, name);
	return s && *s ? s : NULL;
}

/* "/admin/framework/CODE" + rest, in the arena. */
static const char *version_href(struct lc_req *req, const char *code, const char *rest)
{
	struct lc_buf b;
	lc_buf_init(&b, 512);
	lc_buf_append_url(&b, code, strlen(code));
	const char *s =
	    lc_arena_printf(req->arena, "/admin/framework/%s%s", lc_buf_cstr(&b), rest ? rest : "");
	lc_buf_cleanup(&b);
	return s;
}

/* The problems as {"field": "reason", ..., "form": "reason"} for a page (the first of each). */
static json_t *form_errors(struct lc_req *req, const struct lc_diag *p)
{
	json_t *e = json_object();
	for (size_t i = 0; i < p->count; i++) {
		const char *field = p->items[i].field ? p->items[i].field : "form";
		if (!json_object_get(e, field))
			json_object_set_new(e, field,
			                    json_string(lc_site_problem(req, &p->items[i])));
	}
	return e;
}

/* Options of a select: {value, label, selected}; labels from the catalogue (prefix + value). */
static json_t *options(struct lc_req *req, const char *const *values, const char *prefix,
                       const char *current)
{
	json_t *a = json_array();
	for (size_t i = 0; values[i]; i++) {
		char key[64];
		snprintf(key, sizeof key, "%s%s", prefix, values[i]);
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", values[i], "label",
		                                   prefix[0] ? lc_site_t(req, key) : values[i],
		                                   "selected",
		                                   current && !strcmp(current, values[i])));
	}
	return a;
}

static void set_done(struct lc_req *req, json_t *vm)
{
	const char *done = param(req, "done");
	if (!done || req->method != LC_HTTP_GET)
		return;
	static const struct lc_label notices[] = {
	    {"draft", "fw_done_draft"},
	    {"saved", "fw_done_saved"},
	    {"added", "fw_done_added"},
	    {"removed", "fw_done_removed"},
	    {"published", "fw_done_published"},
	    {"imported", "fw_done_imported"},
	    {NULL, NULL},
	};
	/* A value the table lacks is no notice (a hand-typed ?done=). */
	if (lc_label_key(notices, done))
		json_object_set_new(vm, "done", json_string(lc_label_text(req, notices, done)));
}

/*
 * The problems said in the request's language: [{"row", "column", "field",
 * "value", "reason", "code", "args"}, ...] (lc_site_problems with the value).
 */
static json_t *problems_json(struct lc_req *req, const struct lc_diag *p)
{
	json_t *a = lc_site_problems(req, p, true);
	size_t i;
	json_t *it;
	json_array_foreach(a, i, it)
	{
		const char *value = lc_diag_arg(&p->items[i], "value");
		json_object_set_new(it, "value", value ? json_string(value) : json_null());
		json_object_set(it, "reason", json_object_get(it, "message"));
		json_object_del(it, "message");
	}
	return a;
}

/* Answers a refused change: 422 (409 when frozen) with every problem, for the API. */
static int answer_problems(struct lc_req *req, struct lc_resp *resp, int err,
                           const struct lc_diag *p)
{
	int status = err == LC_ECONFLICT ? 409 : 422;
	json_t *j = json_pack("{s:{s:i,s:s},s:o,s:I}", "error", "status", status, "message",
	                      err == LC_ECONFLICT ? "the framework version cannot change"
	                                          : "refused; nothing was written",
	                      "problems", problems_json(req, p), "dropped", (json_int_t)p->dropped);
	int rc = lc_resp_json(resp, j);
	json_decref(j);
	resp->status = status;
	return rc;
}

/*
 * The version of the request's "version" (NULL: current) for reading: a draft
 * only for those who may edit the framework, else LC_ENOTFOUND.
 */
static int visible(struct lc_req *req, struct lc_db *db, const char *code)
{
	const char *status = NULL, *why = NULL;
	bool fz = false;
	if (!code)
		return 0;
	int err = lc_framework_version_state(db, code, &status, &fz, &why);
	if (!err && strcmp(status, "draft") == 0 && !may_edit(req))
		err = LC_ENOTFOUND;
	return err;
}

static int answer_csv(struct lc_req *req, struct lc_resp *resp, struct lc_db *db, const char *code)
{
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_HTTP_RESPONSE);
	int err = lc_framework_export_csv(db, code, &b);
	if (!err) {
		lc_resp_text(resp, "text/csv; charset=utf-8", lc_buf_cstr(&b), b.len);
		lc_resp_header(resp, "Content-Disposition",
		               lc_arena_printf(req->arena,
		                               "attachment; filename=\"framework-%s.csv\"",
		                               code ? code : "current"));
	}
	lc_buf_cleanup(&b);
	return err;
}

static int answer_export_json(struct lc_resp *resp, struct lc_db *db, const char *code)
{
	json_t *doc = NULL;
	int err = lc_framework_export_json(db, code, &doc);
	if (!err)
		err = lc_resp_json(resp, doc);
	json_decref(doc);
	return err;
}

/* ---- public reading ---- */

static int load_framework(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	const char *code = param(req, "version");
	int err = visible(req, db, code);
	if (!err)
		err = lc_framework_get_version(db, code, req->lang, false, vm);
	return err;
}

/* The other published versions, for readers of an earlier year's scores. */
static int dress_framework(struct lc_req *req, struct lc_db *db, json_t *vm, json_t *extra)
{
	(void)extra;
	json_t *versions = NULL;
	int err = lc_framework_versions(db, req->lang, false, 1, LC_LIMIT_PER_PAGE, &versions);
	if (err)
		return err;
	const char *shown =
	    json_string_value(json_object_get(json_object_get(vm, "version"), "code"));
	json_t *others = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(versions, "items"), i, it)
	{
		const char *c = json_string_value(json_object_get(it, "code"));
		if (c && shown && strcmp(c, shown) != 0)
			json_array_append_new(
			    others,
			    json_pack("{s:s, s:O, s:O, s:s}", "code", c, "title",
			              json_object_get(it, "title"), "is_current",
			              json_object_get(it, "is_current"), "href",
			              lc_arena_printf(req->arena, "/framework?version=%s", c)));
	}
	json_object_set_new(vm, "other_versions", others);
	json_object_set_new(vm, "has_other_versions", json_boolean(json_array_size(others) > 0));
	json_decref(versions);
	return 0;
}

static const struct lc_site_view framework = {
    .load = load_framework,
    .tpl = "framework",
    .title_key = "framework_title",
    .nav = "framework",
    .dress = dress_framework,
    .cached = true,
};

/* The view's JSON twin, which also exports the version as a file (?format=csv|json). */
static int route_api_framework(struct lc_req *req, struct lc_resp *resp)
{
	const char *code = param(req, "version");
	const char *format = param(req, "format");
	if (!format)
		return lc_site_view(req, resp);
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = visible(req, db, code);
	if (err)
		goto out;
	if (strcmp(format, "csv") == 0)
		err = answer_csv(req, resp, db, code);
	else
		err = answer_export_json(resp, db, code);
out:
	lc_site_db_read_end(req, db);
	return err;
}

/* ---- API for admins ---- */

static int route_api_framework_versions(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	json_t *vm = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_framework_versions(db, req->lang, true, lc_req_int(req, "page", 1),
		                            lc_req_int(req, "per_page", LC_DEFAULT_PER_PAGE), &vm);
	lc_site_db_read_end(req, db);
	if (!err)
		err = lc_resp_json(resp, vm);
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

static int route_api_framework_version(struct lc_req *req, struct lc_resp *resp)
{
	const char *code = lc_req_str(req, "code");
	size_t n = code ? strlen(code) : 0;
	bool csv = n > 4 && strcmp(code + n - 4, ".csv") == 0;
	bool json = n > 5 && strcmp(code + n - 5, ".json") == 0;
	if (csv || json)
		code = lc_arena_printf(req->arena, "%.*s", (int)(n - (csv ? 4 : 5)), code);
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = csv ? answer_csv(req, resp, db, code) : answer_export_json(resp, db, code);
	lc_site_db_read_end(req, db);
	return lc_auth_fail(req, resp, err);
}

static int route_api_framework_import(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_diag p;
	lc_diag_init(&p);
	const char *ct = req->content_type ? req->content_type : "";
	struct lc_framework_import_opts o = {
	    .format = strncasecmp(ct, "text/csv", 8) == 0 ? LC_FRAMEWORK_CSV : LC_FRAMEWORK_JSON,
	    .code = param(req, "code"),
	    .title = param(req, "title")};
	char code[40] = "";
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_framework_import(db, lc_auth_actor(req), req->body ? req->body : "",
		                          req->body_len, &o, code, sizeof code, &p);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ELIMIT) {
		err = answer_problems(req, resp, LC_EINVAL, &p);
	} else if (!err) {
		const char *href =
		    lc_arena_printf(req->arena, "/api/v1/framework/versions/%s", code);
		json_t *j =
		    json_pack("{s:s, s:s, s:s}", "code", code, "status", "draft", "href", href);
		err = lc_resp_json(resp, j);
		json_decref(j);
		resp->status = 201;
		lc_resp_header(resp, "Location", href);
	}
	lc_diag_cleanup(&p);
	return lc_auth_fail(req, resp, err);
}

static int route_api_framework_publish(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_diag p;
	lc_diag_init(&p);
	const char *code = lc_req_str(req, "code");
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_framework_publish(db, lc_auth_actor(req), code, &p);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ECONFLICT) {
		err = answer_problems(req, resp, err, &p);
	} else if (!err) {
		json_t *j = json_pack("{s:s, s:s, s:b}", "code", code, "status", "published",
		                      "is_current", 1);
		err = lc_resp_json(resp, j);
		json_decref(j);
	}
	lc_diag_cleanup(&p);
	return lc_auth_fail(req, resp, err);
}

/* ---- admin pages ---- */

/*
 * The versions page; form: the draft form's values and errors, imp: the import
 * form's values and problems (both borrowed, may be NULL).
 */
static int versions_page(struct lc_req *req, struct lc_resp *resp, int status, json_t *form,
                         json_t *imp)
{
	struct lc_db *db = NULL;
	json_t *vm = NULL, *extra = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_framework_versions(db, req->lang, true, lc_req_int(req, "page", 1),
		                            lc_req_int(req, "per_page", LC_DEFAULT_PER_PAGE), &vm);
	lc_site_db_read_end(req, db);
	if (err)
		goto out;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(vm, "items"), i, it)
	{
		const char *c = json_string_value(json_object_get(it, "code"));
		json_object_set_new(it, "href", json_string(version_href(req, c ? c : "", NULL)));
		const char *st = json_string_value(json_object_get(it, "status"));
		json_object_set_new(it, "is_draft", json_boolean(st && !strcmp(st, "draft")));
	}
	extra = json_object();
	json_object_set_new(extra, "has_versions",
	                    json_boolean(json_array_size(json_object_get(vm, "items")) > 0));
	json_object_set_new(extra, "pager", lc_site_pager(req, vm));
	json_object_set_new(extra, "draft", form ? json_deep_copy(form) : json_object());
	json_object_set_new(extra, "import", imp ? json_deep_copy(imp) : json_object());
	set_done(req, vm);
	lc_auth_human_times(vm);
	err = lc_site_page(req, resp, "admin_framework", lc_site_t(req, "fw_admin_title"),
	                   "framework_admin", vm, extra);
	resp->status = status;
out:
	json_decref(vm);
	json_decref(extra);
	return lc_auth_fail(req, resp, err);
}

static int route_admin_framework(struct lc_req *req, struct lc_resp *resp)
{
	return versions_page(req, resp, 200, NULL, NULL);
}

static int route_admin_framework_draft(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_diag p;
	lc_diag_init(&p);
	const char *code = param(req, "version_code");
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_framework_draft_new(db, lc_auth_actor(req), param(req, "from"), code,
		                             param(req, "version_title_en"),
		                             param(req, "version_title_fr"), &p);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ENOTFOUND) {
		json_t *form =
		    json_pack("{s:s?, s:s?, s:s?, s:o}", "version_code", code, "version_title_en",
		              param(req, "version_title_en"), "version_title_fr",
		              param(req, "version_title_fr"), "errors", form_errors(req, &p));
		if (err == LC_ENOTFOUND)
			json_object_set_new(json_object_get(form, "errors"), "from",
			                    json_string(lc_site_t(req, "fw_no_such_version")));
		err = versions_page(req, resp, 422, form, NULL);
		json_decref(form);
	} else if (!err) {
		err = lc_resp_redirect(resp, version_href(req, code, "?done=draft"));
	}
	lc_diag_cleanup(&p);
	return lc_auth_fail(req, resp, err);
}

/*
 * Imports a file pasted into the page's form (no upload needed): JSON when it
 * starts with '{', else CSV; a new draft, or the page again with every problem.
 */
static int route_admin_framework_import(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_diag p;
	lc_diag_init(&p);
	const char *content = lc_req_str(req, "content");
	content = content ? content : "";
	const char *t = content + strspn(content, " \t\r\n");
	/* The UTF-8 byte order mark a spreadsheet may put first is not content either. */
	if (strncmp(t, "\xEF\xBB\xBF", 3) == 0)
		t += 3 + strspn(t + 3, " \t\r\n");
	struct lc_framework_import_opts o = {.format =
	                                         *t == '{' ? LC_FRAMEWORK_JSON : LC_FRAMEWORK_CSV,
	                                     .code = param(req, "version_code"),
	                                     .title = param(req, "version_title_en")};
	char code[40] = "";
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_framework_import(db, lc_auth_actor(req), content, strlen(content), &o,
		                          code, sizeof code, &p);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ELIMIT) {
		json_t *problems = problems_json(req, &p);
		json_t *imp =
		    json_pack("{s:s?, s:s?, s:s, s:o, s:b, s:I}", "version_code", o.code,
		              "version_title_en", o.title, "content", content, "problems", problems,
		              "has_problems", 1, "dropped", (json_int_t)p.dropped);
		err = versions_page(req, resp, 422, NULL, imp);
		json_decref(imp);
	} else if (!err) {
		err = lc_resp_redirect(resp, version_href(req, code, "?done=imported"));
	}
	lc_diag_cleanup(&p);
	return lc_auth_fail(req, resp, err);
}

/* Adds the state of a version to vm: status, editable, why not. */
static int add_state(struct lc_db *db, const char *code, json_t *vm)
{
	const char *status = NULL, *why = NULL;
	bool fz = false;
	int err = lc_framework_version_state(db, code, &status, &fz, &why);
	if (err)
		return err;
	json_object_set_new(vm, "is_draft", json_boolean(!strcmp(status, "draft")));
	json_object_set_new(vm, "editable", json_boolean(!fz));
	json_object_set_new(vm, "frozen_why", why ? json_string(why) : json_null());
	return 0;
}

static int route_admin_framework_version(struct lc_req *req, struct lc_resp *resp)
{
	const char *code = lc_req_str(req, "version");
	struct lc_db *db = NULL;
	json_t *vm = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_framework_get_version(db, code, req->lang, true, &vm);
	if (!err)
		err = add_state(db, code, vm);
	lc_site_db_read_end(req, db);
	if (err)
		goto out;
	json_t *fz = json_object_get(vm, "frozen_why");
	if (json_is_string(fz))
		json_object_set_new(vm, "frozen_why",
		                    json_string(lc_site_t(req, json_string_value(fz))));
	json_object_set_new(vm, "base", json_string(version_href(req, code, NULL)));
	json_object_set_new(
	    vm, "export_json",
	    json_string(lc_arena_printf(req->arena, "/api/v1/framework/versions/%s", code)));
	json_object_set_new(
	    vm, "export_csv",
	    json_string(lc_arena_printf(req->arena, "/api/v1/framework/versions/%s.csv", code)));
	set_done(req, vm);
	err = lc_site_page(req, resp, "admin_framework_version", lc_site_t(req, "fw_version_title"),
	                   "framework_admin", vm, NULL);
out:
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

/* The measurement form page: values m (borrowed), errors (borrowed, may be NULL). */
static int measurement_page(struct lc_req *req, struct lc_resp *resp, int status, json_t *m,
                            json_t *errors, bool is_new)
{
	const char *code = lc_req_str(req, "version");
	json_t *vm = json_deep_copy(m);
	json_object_set_new(vm, "version", json_string(code));
	json_object_set_new(vm, "base", json_string(version_href(req, code, NULL)));
	json_object_set_new(vm, "is_new", json_boolean(is_new));
	json_object_set_new(
	    vm, "action",
	    json_string(is_new
	                    ? version_href(req, code, "/measurements")
	                    : version_href(req, code,
	                                   lc_arena_printf(req->arena, "/measurements/%lld",
	                                                   (long long)lc_req_int(req, "id", 0)))));
	json_object_set_new(vm, "directions",
	                    options(req, directions, "direction_",
	                            json_string_value(json_object_get(m, "direction"))));
	json_object_set_new(
	    vm, "types",
	    options(req, types, "data_type_", json_string_value(json_object_get(m, "type"))));
	json_object_set_new(
	    vm, "statuses",
	    options(req, statuses, "prov_", json_string_value(json_object_get(m, "status"))));
	json_object_set_new(vm, "errors", errors ? json_deep_copy(errors) : json_object());
	int err = lc_site_page(req, resp, "admin_framework_measurement",
	                       lc_site_t(req, is_new ? "fw_add_title" : "fw_edit_title"),
	                       "framework_admin", vm, NULL);
	resp->status = status;
	json_decref(vm);
	return err;
}

/* The form's values as the page shows them again after a refusal. */
static json_t *posted(struct lc_req *req)
{
	static const char *const keys[] = {"code",      "label_en", "label_fr",     "unit",
	                                   "direction", "type",     "goalpost_low", "goalpost_high",
	                                   "status",    NULL};
	json_t *m = json_object();
	for (size_t i = 0; keys[i]; i++) {
		const char *v = lc_req_str(req, keys[i]);
		json_object_set_new(m, keys[i], json_string(v ? v : ""));
	}
	const char *feature = lc_req_str(req, "feature");
	json_object_set_new(m, "feature", json_pack("{s:s}", "code", feature ? feature : ""));
	json_object_set_new(m, "id", json_integer(lc_req_int(req, "id", 0)));
	return m;
}

/* Refuses a change to a version that cannot change: 409 with the reason on the error page. */
static int refuse_frozen(struct lc_req *req, struct lc_resp *resp, const struct lc_diag *p)
{
	lc_resp_error(resp, 409, "%s", p->count ? lc_site_problem(req, &p->items[0]) : "frozen");
	return 0;
}

static int check_editable(struct lc_req *req, struct lc_resp *resp, struct lc_db *db,
                          const char *code, bool *refused);

static int route_admin_framework_measurement(struct lc_req *req, struct lc_resp *resp)
{
	const char *code = lc_req_str(req, "version");
	struct lc_db *db = NULL;
	json_t *m = NULL;
	bool refused = false;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = check_editable(req, resp, db, code, &refused);
	if (!err && !refused)
		err =
		    lc_framework_measurement_get(db, code, lc_req_int(req, "id", 0), req->lang, &m);
	lc_site_db_read_end(req, db);
	if (!err && !refused)
		err = measurement_page(req, resp, 200, m, NULL, false);
	json_decref(m);
	return lc_auth_fail(req, resp, err);
}

static int route_admin_framework_measurement_new(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	bool refused = false;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = check_editable(req, resp, db, lc_req_str(req, "version"), &refused);
	lc_site_db_read_end(req, db);
	if (err || refused)
		return lc_auth_fail(req, resp, err);
	json_t *m = posted(req);
	json_object_set_new(m, "direction", json_string("higher_is_better"));
	json_object_set_new(m, "type", json_string("number"));
	json_object_set_new(m, "status", json_string("provisional"));
	err = measurement_page(req, resp, 200, m, NULL, true);
	json_decref(m);
	return lc_auth_fail(req, resp, err);
}

/* Saves the posted measurement: id > 0 edits it, 0 adds one to the form's feature. */
static int save(struct lc_req *req, struct lc_resp *resp, int64_t id)
{
	const char *code = lc_req_str(req, "version");
	struct lc_diag p;
	lc_diag_init(&p);
	struct lc_framework_measure_form form = {
	    .code = lc_req_str(req, "code"),
	    .label_en = lc_req_str(req, "label_en"),
	    .label_fr = lc_req_str(req, "label_fr"),
	    .unit = lc_req_str(req, "unit"),
	    .direction = lc_req_str(req, "direction"),
	    .type = lc_req_str(req, "type"),
	    .goalpost_low = lc_req_str(req, "goalpost_low"),
	    .goalpost_high = lc_req_str(req, "goalpost_high"),
	    .status = lc_req_str(req, "status"),
	};
	int64_t new_id = 0;
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_framework_measurement_save(db, lc_auth_actor(req), code, id,
		                                    param(req, "feature"), &form, &new_id, &p);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL) {
		json_t *m = posted(req), *was = NULL;
		json_t *errors = form_errors(req, &p);
		/* The feature a measurement belongs to is not part of its form. */
		if (id > 0 && lc_site_db_read(req, &db) == 0) {
			if (lc_framework_measurement_get(db, code, id, req->lang, &was) == 0)
				json_object_set(m, "feature", json_object_get(was, "feature"));
			lc_site_db_read_end(req, db);
			json_decref(was);
		}
		err = measurement_page(req, resp, 422, m, errors, id == 0);
		json_decref(m);
		json_decref(errors);
	} else if (err == LC_ECONFLICT) {
		err = refuse_frozen(req, resp, &p);
	} else if (!err) {
		err = lc_resp_redirect(
		    resp, version_href(req, code,
		                       lc_arena_printf(req->arena, "?done=%s#m-%lld",
		                                       id ? "saved" : "added", (long long)new_id)));
	}
	lc_diag_cleanup(&p);
	return lc_auth_fail(req, resp, err);
}

static int route_admin_framework_measurement_save(struct lc_req *req, struct lc_resp *resp)
{
	return save(req, resp, lc_req_int(req, "id", 0));
}

static int route_admin_framework_measurement_add(struct lc_req *req, struct lc_resp *resp)
{
	return save(req, resp, 0);
}

/* A confirmation page: what will happen, a form posting to action, and a way back. */
static int confirm_page(struct lc_req *req, struct lc_resp *resp, const char *title_key,
                        const char *warning_key, const char *button_key, const char *action,
                        json_t *detail)
{
	const char *code = lc_req_str(req, "version");
	json_t *vm = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:O?}", "title",
	                       lc_site_t(req, title_key), "warning", lc_site_t(req, warning_key),
	                       "button", lc_site_t(req, button_key), "action", action, "back",
	                       version_href(req, code, NULL), "version", code, "detail", detail);
	int err = lc_site_page(req, resp, "admin_framework_confirm", lc_site_t(req, title_key),
	                       "framework_admin", vm, NULL);
	json_decref(vm);
	return err;
}

/* The version may change (else 409 with the reason) and exists (else 404). */
static int check_editable(struct lc_req *req, struct lc_resp *resp, struct lc_db *db,
                          const char *code, bool *refused)
{
	const char *status = NULL, *why = NULL;
	bool fz = false;
	*refused = false;
	int err = lc_framework_version_state(db, code, &status, &fz, &why);
	if (!err && fz) {
		lc_resp_error(resp, 409, "%s", lc_site_t(req, why));
		*refused = true;
	}
	return err;
}

static int route_admin_framework_remove_form(struct lc_req *req, struct lc_resp *resp)
{
	const char *code = lc_req_str(req, "version");
	int64_t id = lc_req_int(req, "id", 0);
	struct lc_db *db = NULL;
	json_t *m = NULL;
	bool refused = false;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = check_editable(req, resp, db, code, &refused);
	if (!err && !refused)
		err = lc_framework_measurement_get(db, code, id, req->lang, &m);
	lc_site_db_read_end(req, db);
	if (!err && !refused)
		err = confirm_page(
		    req, resp, "fw_remove_title", "fw_remove_warning", "fw_remove_confirm",
		    version_href(
		        req, code,
		        lc_arena_printf(req->arena, "/measurements/%lld/remove", (long long)id)),
		    m);
	json_decref(m);
	return lc_auth_fail(req, resp, err);
}

static int route_admin_framework_remove(struct lc_req *req, struct lc_resp *resp)
{
	const char *code = lc_req_str(req, "version");
	struct lc_diag p;
	lc_diag_init(&p);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_framework_measurement_remove(db, lc_auth_actor(req), code,
		                                      lc_req_int(req, "id", 0), &p);
	lc_site_db_release(req, db);
	if (err == LC_ECONFLICT) {
		err = refuse_frozen(req, resp, &p);
	} else if (!err) {
		err = lc_resp_redirect(resp, version_href(req, code, "?done=removed"));
	}
	lc_diag_cleanup(&p);
	return lc_auth_fail(req, resp, err);
}

static int route_admin_framework_publish_form(struct lc_req *req, struct lc_resp *resp)
{
	const char *code = lc_req_str(req, "version");
	struct lc_db *db = NULL;
	bool refused = false;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = check_editable(req, resp, db, code, &refused);
	lc_site_db_read_end(req, db);
	if (!err && !refused)
		err = confirm_page(req, resp, "fw_publish_title", "fw_publish_warning",
		                   "fw_publish_confirm", version_href(req, code, "/publish"), NULL);
	return lc_auth_fail(req, resp, err);
}

static int route_admin_framework_publish(struct lc_req *req, struct lc_resp *resp)
{
	const char *code = lc_req_str(req, "version");
	struct lc_diag p;
	lc_diag_init(&p);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_framework_publish(db, lc_auth_actor(req), code, &p);
	lc_site_db_release(req, db);
	if (err == LC_ECONFLICT || err == LC_EINVAL) {
		lc_resp_error(resp, err == LC_EINVAL ? 422 : 409, "%s",
		              p.count ? lc_site_problem(req, &p.items[0]) : "refused");
		err = 0;
	} else if (!err) {
		err = lc_resp_redirect(resp, version_href(req, code, "?done=published"));
	}
	lc_diag_cleanup(&p);
	return lc_auth_fail(req, resp, err);
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/framework", lc_site_view, framework_params, 0, 0, &framework},
    {LC_HTTP_GET, "/api/v1/framework", route_api_framework, framework_params, 0, 0, &framework},
    {LC_HTTP_GET, "/api/v1/framework/versions", route_api_framework_versions,
     framework_versions_params, 0, LC_ROUTE_LOGIN | A(EDIT_FRAMEWORK), NULL},
    {LC_HTTP_POST, "/api/v1/framework/versions", route_api_framework_import,
     framework_import_params, LC_LIMIT_HTTP_UPLOAD, LC_ROUTE_LOGIN | A(EDIT_FRAMEWORK), NULL},
    {LC_HTTP_GET, "/api/v1/framework/versions/{code}", route_api_framework_version, NULL, 0,
     LC_ROUTE_LOGIN | A(EDIT_FRAMEWORK), NULL},
    {LC_HTTP_POST, "/api/v1/framework/versions/{code}/publish", route_api_framework_publish,
     framework_api_publish_params, 0, LC_ROUTE_LOGIN | A(EDIT_FRAMEWORK), NULL},
    {LC_HTTP_GET, "/admin/framework", route_admin_framework, framework_versions_params, 0,
     LC_ROUTE_LOGIN | A(EDIT_FRAMEWORK), NULL},
    {LC_HTTP_POST, "/admin/framework/drafts", route_admin_framework_draft, framework_draft_params,
     0, LC_ROUTE_LOGIN | A(EDIT_FRAMEWORK), NULL},
    {LC_HTTP_POST, "/admin/framework/import", route_admin_framework_import,
     framework_import_form_params, 4 * LC_LIMIT_HTTP_BODY, LC_ROUTE_LOGIN | A(EDIT_FRAMEWORK),
     NULL},
    {LC_HTTP_GET, "/admin/framework/{version}", route_admin_framework_version,
     framework_version_params, 0, LC_ROUTE_LOGIN | A(EDIT_FRAMEWORK), NULL},
    {LC_HTTP_GET, "/admin/framework/{version}/measurements/new",
     route_admin_framework_measurement_new, framework_measurement_new_params, 0,
     LC_ROUTE_LOGIN | A(EDIT_FRAMEWORK), NULL},
    {LC_HTTP_POST, "/admin/framework/{version}/measurements", route_admin_framework_measurement_add,
     framework_measurement_new_params, 0, LC_ROUTE_LOGIN | A(EDIT_FRAMEWORK), NULL},
    {LC_HTTP_GET, "/admin/framework/{version}/measurements/{id}", route_admin_framework_measurement,
     framework_measurement_params, 0, LC_ROUTE_LOGIN | A(EDIT_FRAMEWORK), NULL},
    {LC_HTTP_POST, "/admin/framework/{version}/measurements/{id}",
     route_admin_framework_measurement_save, framework_measurement_params, 0,
     LC_ROUTE_LOGIN | A(EDIT_FRAMEWORK), NULL},
    {LC_HTTP_GET, "/admin/framework/{version}/measurements/{id}/remove",
     route_admin_framework_remove_form, framework_measurement_remove_params, 0,
     LC_ROUTE_LOGIN | A(EDIT_FRAMEWORK), NULL},
    {LC_HTTP_POST, "/admin/framework/{version}/measurements/{id}/remove",
     route_admin_framework_remove, framework_measurement_remove_params, 0,
     LC_ROUTE_LOGIN | A(EDIT_FRAMEWORK), NULL},
    {LC_HTTP_GET, "/admin/framework/{version}/publish", route_admin_framework_publish_form,
     framework_publish_params, 0, LC_ROUTE_LOGIN | A(EDIT_FRAMEWORK), NULL},
    {LC_HTTP_POST, "/admin/framework/{version}/publish", route_admin_framework_publish,
     framework_publish_params, 0, LC_ROUTE_LOGIN | A(EDIT_FRAMEWORK), NULL},
};

#undef A

LC_ROUTE_GROUP(framework, rows);
