/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The data-entry pages of a city's year.
 *
 * The overview of a city's year (GET /cities/{slug}/data/{year}): its
 * status and the reviewer's comment, and the 12 areas with how many of their
 * measurements hold a value, each linking to its form; for a draft or
 * returned year a button submits it (POST /cities/{slug}/data/{year}/submit,
 * lc_year_review_submit decides who may).
 *
 * The entry page of one area of focus (GET and POST
 * /cities/{slug}/data/{year}/{area}): a form with every measurement of the
 * area (unit, type, allowed range, last year's value, value, source, note),
 * one batch through lc_obs_put on saving with every problem next to its
 * field, and each value's versions ("all versions": who, when, value).
 */
#include "web/routes/monitoring_entry.h"
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/label.h"
#include "web/routes/monitoring_review.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/log.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/monitoring/framework.h"
#include "domain/monitoring/monitoring_input.h"
#include "domain/monitoring/obs_import.h"
#include "domain/monitoring/obs_template.h"
#include "domain/monitoring/observation.h"
#include "domain/monitoring/year_review.h"
#include "domain/monitoring/score.h"
#include "engine/matrix.h"
#include "engine/tree.h"
#include "formats/xlsx.h"
#include "formats/coinr.h"
#include "formats/workbook.h"
#include "web/http.h"
#include "web/multipart.h"
#include "web/urlcodec.h"

/*
 * {year} of a path, as a number from LC_OBS_YEAR_MIN to 9999, or 0. Not a
 * declared parameter on purpose: the router would answer a malformed year
 * with 400 before the before hook's CSRF check, and a state-changing route
 * must refuse a forged request with 403 whatever its path holds.
 */
/* A string member or "". */
static const char *str_or_empty(const json_t *o, const char *k)
{
	const char *st = json_string_value(json_object_get(o, k));
	return st ? st : "";
}

const json_t *lc_monitoring_entry_current(const json_t *item)
{
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(item, "versions"), i, v)
	{
		if (json_is_true(json_object_get(v, "current")))
			return v;
	}
	return NULL;
}

long lc_monitoring_entry_year(const struct lc_req *req)
{
	const char *s = lc_req_str(req, "year");
	long y = 0;
	if (!s || !*s || strlen(s) > 4)
		return 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		y = y * 10 + (*p - '0');
	}
	return y >= LC_OBS_YEAR_MIN ? y : 0;
}

static const struct lc_param_spec data_area_params[] = {
    {.name = "area", .source = LC_PARAM_PATH, .type = LC_PARAM_STRING, .max_len = 16},
    {.name = "saved", .source = LC_PARAM_QUERY, .type = LC_PARAM_BOOL},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* The item of a city-year list with this code, or NULL. */
static const json_t *item_of(const json_t *list, const char *code)
{
	size_t i;
	const json_t *it;
	json_array_foreach(json_object_get(list, "items"), i,
	                   it) if (strcmp(str_or_empty(it, "code"), code) == 0) return it;
	return NULL;
}

/* The measurement types (lc_obs_type_name) and their catalogue keys. */
static const struct lc_label type_labels[] = {
    {"number", "data_type_number"}, {"percentage", "data_type_percentage"},
    {"yes_no", "data_type_yes_no"}, {"maturity_0_4", "data_type_maturity_0_4"},
    {"text", "data_type_text"},     {NULL, NULL},
};

/* The type's name in the request's language. */
static const char *type_label(struct lc_req *req, enum lc_obs_type t)
{
	return lc_label_text(req, type_labels, lc_obs_type_name(t));
}

/* A year's review status ("draft", "submitted", ...) in the request's language. */
static const char *status_label(struct lc_req *req, const char *status)
{
	return lc_label_text(req, lc_label_status, status && *status ? status : "draft");
}

/* What a person may type for m, as text ("0 to 100", "yes or no"), or "". */
static const char *range_text(struct lc_req *req, const struct lc_obs_measure *m)
{
	char tmp[96] = "";
	switch (m->type) {
	case LC_OBS_PERCENTAGE: return "0 – 100";
	case LC_OBS_MATURITY: return "0 – 4";
	case LC_OBS_YES_NO: return lc_site_t(req, "data_yes_no");
	case LC_OBS_NUMBER:
		if (!isnan(m->low) && !isnan(m->high))
			snprintf(tmp, sizeof tmp, "%g – %g", m->low, m->high);
		break;
	case LC_OBS_TEXT: break;
	}
	return lc_arena_strdup(req->arena, tmp);
}

/*
 * Renders the area page. typed: code -> {value, source, note} as posted (or
 * NULL: the stored values); errors: code -> {field -> message} (or NULL).
 */
static int area_page(struct lc_req *req, struct lc_resp *resp, json_t *typed, json_t *errors,
                     int status, long kept)
{
	struct lc_web_user *u = lc_auth_user(req);
	const char *slug = lc_req_str(req, "slug"), *area = lc_req_str(req, "area");
	long year = lc_monitoring_entry_year(req);
	struct lc_obs_catalog cat;
	json_t *cur = NULL, *prev = NULL, *items = json_array(), *vm = NULL, *names = json_object();
	struct lc_db *db = NULL;
	memset(&cat, 0, sizeof cat);
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_obs_catalog_load(db, &cat);
	if (!err)
		err = lc_obs_list(db, &u->actor, slug, year, &cur);
	if (!err && lc_obs_latest_before(db, &u->actor, slug, year, &prev))
		prev = NULL; /* an earlier value is a help, not a requirement */
	if (!err)
		lc_review_names(req, db, slug, area, names);
	lc_site_db_read_end(req, db);
	if (err)
		goto out;
	for (size_t i = 0; i < cat.nm; i++) {
		const struct lc_obs_measure *m = &cat.m[i];
		if (strcmp(m->area, area) != 0)
			continue;
		const json_t *it = item_of(cur, m->code),
		             *last = prev ? item_of(prev, m->code) : NULL;
		const json_t *cv = it ? lc_monitoring_entry_current(it) : NULL;
		const json_t *ty = typed ? json_object_get(typed, m->code) : NULL;
		const json_t *src = ty ? ty : cv;
		json_t *e = errors ? json_object_get(errors, m->code) : NULL;
		json_t *versions = it ? json_object_get(it, "versions") : NULL;
		json_t *row = json_pack(
		    "{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:b}", "code", m->code, "label",
		    m->label, "unit", m->unit ? m->unit : "", "type", type_label(req, m->type),
		    "range", range_text(req, m), "last_year",
		    last ? str_or_empty(last, "value") : "", "value", str_or_empty(src, "value"),
		    "source", str_or_empty(src, "source"), "note", str_or_empty(src, "note"),
		    "versions", versions ? json_incref(versions) : json_array(), "has_versions",
		    json_array_size(versions) > 0);
		if (e)
			json_object_set(row, "error", e);
		if (last)
			json_object_set(row, "last_year_of", json_object_get(last, "year"));
		json_int_t nv = it ? json_integer_value(json_object_get(it, "versions_total")) : 0;
		if (nv > (json_int_t)json_array_size(versions)) {
			/* Slugs and codes are URL-safe ([a-z0-9-], [A-Za-z0-9._-]). */
			char href[256];
			snprintf(href, sizeof href, "/cities/%s/data/%ld/versions/%s", slug, year,
			         m->code);
			json_object_set_new(row, "versions_more", json_true());
			json_object_set_new(row, "versions_total", json_integer(nv));
			json_object_set_new(row, "versions_href", json_string(href));
		}
		json_array_append_new(items, row);
	}
	if (!json_array_size(items)) {
		err = LC_ENOTFOUND;
		goto out;
	}
	vm = json_pack("{s:s,s:I,s:s,s:O,s:O,s:b,s:b}", "city", slug, "year", (json_int_t)year,
	               "area", area, "status", json_object_get(cur, "status"), "items", items,
	               "saved", lc_req_bool(req, "saved"), "has_errors",
	               errors && json_object_size(errors) > 0);
	/* A submitted or approved year shows its values without a form that would only refuse. */
	const char *state = json_string_value(json_object_get(cur, "status"));
	state = state ? state : "draft";
	/* The page's decoration names the state (site.h): a year not begun is a draft. */
	json_object_set_new(vm, "status", json_string(state));
	json_object_set_new(
	    vm, "locked", json_boolean(!strcmp(state, "submitted") || !strcmp(state, "approved")));
	json_object_set_new(
	    vm, "locked_why",
	    json_string(lc_site_t(req, !strcmp(state, "approved") ? "data_locked_approved"
	                                                          : "data_locked_submitted")));
	if (kept)
		json_object_set_new(vm, "kept", json_integer(kept));
	lc_auth_human_times(vm);
	json_object_update(vm, names);
	const char *aname = json_string_value(json_object_get(names, "area_title"));
	char title[320];
	snprintf(title, sizeof title, "%s %s – %s %ld", area, aname ? aname : "",
	         json_string_value(json_object_get(names, "city_name")), year);
	err = lc_site_page(req, resp, "data_area", title, "cities", vm, NULL);
	if (!err && status)
		resp->status = status;
out:
	lc_obs_catalog_cleanup(&cat);
	json_decref(cur);
	json_decref(prev);
	json_decref(items);
	json_decref(vm);
	json_decref(names);
	return err;
}

static int route_data_area(struct lc_req *req, struct lc_resp *resp)
{
	if (!lc_monitoring_entry_year(req))
		return lc_auth_fail(req, resp, LC_ENOTFOUND);
	return lc_auth_fail(req, resp, area_page(req, resp, NULL, NULL, 0, 0));
}

/* The decoded value of form field name, or "" (arena). */
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
	return "";
}

/*
 * After lc_obs_put refused rows for problems of their own (d names them by
 * line), writes the others, so that one bad field does not lose the area's
 * good values; the form then shows the bad ones marked. *kept gets how many
 * were written. LC_EINVAL (the refusal stands, d kept), or another error.
 */
static int put_the_good(struct lc_db *db, const struct lc_actor *actor, struct lc_obs_row *rows,
                        size_t n, const struct lc_diag *d, long *kept)
{
	*kept = 0;
	size_t good = 0;
	for (size_t i = 0; i < n; i++) {
		bool bad = false;
		for (size_t k = 0; k < d->count && !bad; k++)
			bad = d->items[k].line == rows[i].line;
		/* A problem of no row (the year's state, the city) refuses every row. */
		for (size_t k = 0; k < d->count && !bad; k++)
			bad = d->items[k].line < 1 || (size_t)d->items[k].line > n;
		if (!bad)
			rows[good++] = rows[i];
	}
	if (!good || good == n)
		return LC_EINVAL;
	struct lc_diag again;
	lc_diag_init(&again);
	int err = lc_obs_put(db, actor, rows, good, &again, NULL);
	lc_diag_cleanup(&again);
	if (err)
		return err == LC_EINVAL ? LC_EINVAL : err;
	*kept = (long)good;
	return LC_EINVAL;
}

static int route_data_area_save(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_web_user *u = lc_auth_user(req);
	const char *slug = lc_req_str(req, "slug"), *area = lc_req_str(req, "area");
	long year = lc_monitoring_entry_year(req);
	struct lc_urlcodec_pair pairs[LC_LIMIT_HTTP_PARAMS];
	size_t np = 0;
	struct lc_obs_catalog cat;
	struct lc_diag d;
	struct lc_db *db = NULL;
	json_t *typed = json_object(), *errors = json_object();
	memset(&cat, 0, sizeof cat);
	lc_diag_init(&d);
	int err = 0;
	if (u->actor.kind == LC_ACTOR_ANONYMOUS) {
		err = LC_EAUTH;
		goto out;
	}
	if (!year) {
		err = LC_ENOTFOUND;
		goto out;
	}
	err = lc_urlcodec_split_query((struct lc_slice){req->body ? req->body : "", req->body_len},
	                              pairs, LC_LIMIT_HTTP_PARAMS, &np);
	if (err)
		goto out;
	err = lc_site_db(req, &db);
	if (!err)
		err = lc_obs_may_enter(db, &u->actor, slug);
	if (!err)
		err = lc_obs_catalog_load(db, &cat);
	if (err)
		goto out;
	char ybuf[32], name[64];
	snprintf(ybuf, sizeof ybuf, "%ld", year);
	struct lc_obs_row *rows = lc_req_alloc(req, (cat.nm ? cat.nm : 1) * sizeof *rows);
	const char **codes = lc_req_alloc(req, (cat.nm ? cat.nm : 1) * sizeof *codes);
	size_t n = 0;
	for (size_t i = 0; i < cat.nm; i++) {
		const struct lc_obs_measure *m = &cat.m[i];
		if (strcmp(m->area, area) != 0)
			continue;
		snprintf(name, sizeof name, "v_%s", m->code);
		const char *v = form_field(req, pairs, np, name);
		snprintf(name, sizeof name, "s_%s", m->code);
		const char *src = form_field(req, pairs, np, name);
		snprintf(name, sizeof name, "n_%s", m->code);
		const char *note = form_field(req, pairs, np, name);
		json_object_set_new(
		    typed, m->code,
		    json_pack("{s:s,s:s,s:s}", "value", v, "source", src, "note", note));
		if (!*v)
			continue; /* an empty field is "not entered": nothing to write */
		struct lc_obs_row *r = &rows[n];
		memset(r, 0, sizeof *r);
		r->city = (struct lc_slice){slug, strlen(slug)};
		r->measurement = (struct lc_slice){m->code, strlen(m->code)};
		r->year = (struct lc_slice){ybuf, strlen(ybuf)};
		r->value = (struct lc_slice){v, strlen(v)};
		r->source = (struct lc_slice){src, strlen(src)};
		r->note = (struct lc_slice){note, strlen(note)};
		r->line = (long)n + 1;
		codes[n++] = m->code;
	}
	err = lc_obs_put(db, &u->actor, rows, n, &d, NULL);
	long kept = 0;
	if (err == LC_EINVAL)
		err = put_the_good(db, &u->actor, rows, n, &d, &kept);
	lc_site_db_release(req, db);
	db = NULL;
	if (err == LC_EINVAL || err == LC_EPERM) {
		for (size_t i = 0; i < d.count; i++) {
			const struct lc_diag_entry *e = &d.items[i];
			const char *code =
			    e->line >= 1 && (size_t)e->line <= n ? codes[e->line - 1] : NULL;
			const char *field = e->field && strcmp(e->field, "source") == 0 ? "source"
			                    : e->field && strcmp(e->field, "note") == 0 ? "note"
			                                                                : "value";
			if (!code)
				continue;
			json_t *fe = json_object_get(errors, code);
			if (!fe) {
				fe = json_object();
				json_object_set_new(errors, code, fe);
			}
			if (!json_object_get(fe, field))
				json_object_set_new(fe, field,
				                    json_string(lc_site_problem(req, e)));
		}
		if (err == LC_EPERM && !json_object_size(errors)) {
			err = LC_EPERM;
			goto out;
		}
		err = area_page(req, resp, typed, errors, err == LC_EPERM ? 403 : 422, kept);
		goto out;
	}
	if (!err) {
		char *to = lc_req_alloc(req, 256);
		snprintf(to, 256, "/cities/%s/data/%ld/%s?saved=1", slug, year, area);
		err = lc_resp_redirect(resp, to);
	}
out:
	lc_site_db_release(req, db);
	lc_obs_catalog_cleanup(&cat);
	lc_diag_cleanup(&d);
	json_decref(typed);
	json_decref(errors);
	return lc_auth_fail(req, resp, err);
}

/*
 * Renders the overview of a city's year; upload (may be NULL) is the
 * result of an upload to show above the areas, and status (0: 200) the
 * answer's status.
 */
int lc_monitoring_entry_year_page(struct lc_req *req, struct lc_resp *resp, json_t *upload,
                                  int status)
{
	struct lc_web_user *u = lc_auth_user(req);
	const char *slug = lc_req_str(req, "slug");
	long year = lc_monitoring_entry_year(req);
	json_t *fw = NULL, *cur = NULL, *rep = NULL, *areas = json_array(), *vm = NULL;
	json_t *names = json_object();
	struct lc_db *db = NULL;
	int err = year ? lc_site_db_read(req, &db) : LC_ENOTFOUND;
	if (!err)
		err = lc_obs_current(db, &u->actor, slug, year, &cur);
	if (!err)
		err = lc_framework_get(db, req->lang, &fw);
	if (!err && lc_year_review_get(db, &u->actor, slug, year, &rep))
		rep = NULL; /* a year without a status row yet: a draft without history */
	if (!err)
		lc_review_names(req, db, slug, NULL, names);
	lc_site_db_read_end(req, db);
	if (err)
		goto out;
	size_t total = 0, done = 0, pi, ai, fi, mi;
	const json_t *part, *area, *feat, *m;
	json_array_foreach(json_object_get(fw, "parts"), pi, part)
	{
		json_array_foreach(json_object_get(part, "areas"), ai, area)
		{
			size_t n = 0, k = 0;
			json_array_foreach(json_object_get(area, "features"), fi, feat)
			{
				json_array_foreach(json_object_get(feat, "measurements"), mi, m)
				{
					n++;
					const json_t *it = item_of(cur, str_or_empty(m, "code"));
					if (it && json_is_string(json_object_get(it, "value")))
						k++;
				}
			}
			total += n;
			done += k;
			json_array_append_new(
			    areas, json_pack("{s:s,s:s,s:I,s:I,s:I,s:b}", "code",
			                     str_or_empty(area, "code"), "title",
			                     str_or_empty(area, "title"), "entered", (json_int_t)k,
			                     "total", (json_int_t)n, "percent",
			                     (json_int_t)(n ? (k * 100 + n / 2) / n : 0),
			                     "complete", n && k == n));
		}
	}
	const char *st = rep ? str_or_empty(rep, "status") : "draft";
	vm = json_pack("{s:s,s:I,s:s,s:O?,s:O,s:I,s:I}", "city", slug, "year", (json_int_t)year,
	               "status", rep ? str_or_empty(rep, "status") : "draft", "comment",
	               rep ? json_object_get(rep, "comment") : json_null(), "areas", areas,
	               "entered", (json_int_t)done, "total", (json_int_t)total);
	if (!vm) {
		err = LC_EINTERNAL;
		goto out;
	}
	json_object_set_new(vm, "status_label", json_string(status_label(req, st)));
	json_object_set_new(
	    vm, "can_submit",
	    json_boolean(done > 0 && (strcmp(st, "draft") == 0 || strcmp(st, "returned") == 0)));
	json_object_set_new(vm, "submitted", json_boolean(lc_req_bool(req, "submitted")));
	/* The review: what this person may do now, and who returned the year last. */
	json_object_update(vm, names);
	json_object_set(vm, "may", json_object_get(rep, "may"));
	size_t hi;
	const json_t *h;
	json_array_foreach(json_object_get(rep, "history"), hi, h)
	{
		if (strcmp(str_or_empty(h, "to"), "returned") == 0)
			json_object_set_new(vm, "returned",
			                    json_pack("{s:s,s:s}", "by", str_or_empty(h, "actor"),
			                              "at", str_or_empty(h, "at")));
	}
	if (strcmp(st, "returned") != 0)
		json_object_del(vm, "returned");
	lc_auth_human_times(vm);
	/* As the domain decides who may write (observation.h): the city's people while
	   the year is a draft or returned, the secretariat also while it is submitted. */
	bool open = strcmp(st, "draft") == 0 || strcmp(st, "returned") == 0 ||
	            (strcmp(st, "submitted") == 0 &&
	             lc_authz_check(&u->actor, LC_ACT_REVIEW_OBSERVATIONS, NULL) == 0);
	bool can_upload = open && u->actor.kind != LC_ACTOR_ANONYMOUS;
	json_object_set_new(vm, "can_upload", json_boolean(can_upload));
	json_object_set_new(vm, "show_files", json_boolean(can_upload || upload));
	if (upload)
		json_object_set(vm, "upload", upload);
	char title[320];
	snprintf(title, sizeof title, "%s – %s %ld", lc_site_t(req, "data_year"),
	         json_string_value(json_object_get(names, "city_name")), year);
	err = lc_site_page(req, resp, "data_year", title, "cities", vm, NULL);
	if (!err && status)
		resp->status = status;
out:
	json_decref(fw);
	json_decref(cur);
	json_decref(rep);
	json_decref(areas);
	json_decref(vm);
	json_decref(names);
	return lc_auth_fail(req, resp, err);
}

static int route_data_year(struct lc_req *req, struct lc_resp *resp)
{
	json_t *upload = NULL;
	if (lc_req_bool(req, "uploaded"))
		upload = json_pack("{s:b,s:I,s:I,s:I}", "ok", 1, "new",
		                   (json_int_t)lc_req_int(req, "new", 0), "changed",
		                   (json_int_t)lc_req_int(req, "changed", 0), "unchanged",
		                   (json_int_t)lc_req_int(req, "unchanged", 0));
	int rc = lc_monitoring_entry_year_page(req, resp, upload, 0);
	json_decref(upload);
	return rc;
}

static const struct lc_param_spec data_year_params[] = {
    {.name = "submitted", .source = LC_PARAM_QUERY, .type = LC_PARAM_BOOL},
    /* The summary of a successful upload, after its redirect. */
    {.name = "uploaded", .source = LC_PARAM_QUERY, .type = LC_PARAM_BOOL},
    {.name = "new", .source = LC_PARAM_QUERY, .type = LC_PARAM_INT, .max = LC_LIMIT_CSV_ROWS},
    {.name = "changed", .source = LC_PARAM_QUERY, .type = LC_PARAM_INT, .max = LC_LIMIT_CSV_ROWS},
    {.name = "unchanged", .source = LC_PARAM_QUERY, .type = LC_PARAM_INT, .max = LC_LIMIT_CSV_ROWS},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/cities/{slug}/data/{year}", route_data_year, data_year_params, 0, 0, NULL},
    {LC_HTTP_GET, "/cities/{slug}/data/{year}/{area}", route_data_area, data_area_params, 0, 0,
     NULL},
    {LC_HTTP_POST, "/cities/{slug}/data/{year}/{area}", route_data_area_save, data_area_params, 0,
     0, NULL},
};

#undef A

LC_ROUTE_GROUP(monitoring_entry, rows);
