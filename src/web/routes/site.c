/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The page toolkit (site.h): what every page shares, the application
 * context, the layout's globals (catalogue, language, navigation, language
 * links, the caller), the presentation decoration of view-models, the page
 * cache, pagination, problems in the reader's language and the HTML error
 * page. It knows no route and no module of web/routes/.
 */
#include "web/routes/site.h"
#include "web/routes/label.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/catalogue.h"
#include "base/diag.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/log.h"
#include "db/db.h"
#include "web/http.h"
#include "web/i18n.h"
#include "web/pagecache.h"
#include "web/router.h"
#include "web/static.h"
#include "text/template.h"

int lc_route_action(unsigned flags)
{
	unsigned a = (flags >> 8) & 0xffu;
	return a ? (int)a - 1 : -1;
}

static const struct lc_app *app_of(const struct lc_req *req)
{
	return req->app;
}

int lc_site_db(struct lc_req *req, struct lc_db **db)
{
	return lc_db_pool_acquire(app_of(req)->pool, db);
}

void lc_site_db_release(struct lc_req *req, struct lc_db *db)
{
	if (db)
		lc_db_pool_release(app_of(req)->pool, db);
}

int lc_site_db_read(struct lc_req *req, struct lc_db **db)
{
	int err = lc_site_db(req, db);
	if (err)
		return err;
	err = lc_db_begin_read(*db);
	if (err) {
		lc_site_db_release(req, *db);
		*db = NULL;
	}
	return err;
}

void lc_site_db_read_end(struct lc_req *req, struct lc_db *db)
{
	if (!db)
		return;
	/* A snapshot has nothing to commit; this only ends it. */
	lc_db_commit(db);
	lc_site_db_release(req, db);
}

/* True when the answer to req depends only on its language, path and query. */
static bool anonymous(struct lc_req *req, const struct lc_resp *resp)
{
	if (resp->nheaders > 0 || lc_req_header(req, "authorization"))
		return false;
	const char *cookie = lc_req_header(req, "cookie");
	if (!cookie)
		return true;
	struct lc_urlcodec_pair pairs[8];
	size_t n = 0;
	if (lc_urlcodec_split_cookies(lc_slice_cstr(cookie), pairs, 8, &n) != 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!lc_slice_eq(pairs[i].name, "lang"))
			return false;
	return true;
}

/* The cached forms of the content types handlers set: the cache keeps static strings. */
static const char *static_type(const char *t)
{
	static const char *const known[] = {"text/html; charset=utf-8", "application/json"};
	for (size_t i = 0; t && i < sizeof known / sizeof known[0]; i++)
		if (strcmp(t, known[i]) == 0)
			return known[i];
	return NULL;
}

/* Answers req by handler, through the page cache when the request is anonymous. */
static int through_cache(struct lc_req *req, struct lc_resp *resp, lc_handler handler)
{
	const struct lc_app *app = app_of(req);
	if (!app->cache || !anonymous(req, resp))
		return handler(req, resp);
	/* Everything the answer depends on: language, path, query as sent. */
	struct lc_buf key;
	lc_buf_init(&key, LC_LIMIT_HTTP_URL * 2);
	lc_buf_puts(&key, req->lang ? req->lang : "");
	lc_buf_putc(&key, '\n');
	lc_buf_puts(&key, req->raw_path ? req->raw_path : "");
	for (size_t i = 0; i < req->nquery; i++) {
		lc_buf_putc(&key, i ? '&' : '?');
		lc_buf_append(&key, req->query[i].name.ptr, req->query[i].name.len);
		lc_buf_putc(&key, '=');
		lc_buf_append(&key, req->query[i].value.ptr, req->query[i].value.len);
	}
	/* Read before the handler runs: a write during it makes the answer stale at once. */
	uint64_t gen = lc_db_write_generation();
	const char *type = NULL;
	int err = 0;
	if (lc_buf_error(&key)) {
		err = handler(req, resp);
	} else if (lc_pagecache_get(app->cache, key.data, key.len, gen, &resp->body, &type)) {
		resp->content_type = type;
		err = lc_resp_header(resp, "X-Cache", "hit");
	} else {
		err = handler(req, resp);
		type = static_type(resp->content_type);
		if (!err && resp->status == 200 && resp->nheaders == 0 && !resp->static_body &&
		    type && !lc_buf_error(&resp->body))
			lc_pagecache_put(app->cache, key.data, key.len, gen, type, resp->body.data,
			                 resp->body.len);
	}
	lc_buf_cleanup(&key);
	return err;
}

int lc_site_cached(struct lc_req *req, struct lc_resp *resp)
{
	const struct lc_site_cacheable *c = req->route->data;
	return through_cache(req, resp, c->handler);
}

const char *lc_site_decimal(const struct lc_req *req, const char *text)
{
	const char *mark = lc_site_t(req, "decimal_mark");
	if (!text || strlen(mark) != 1 || mark[0] == '.')
		return text;
	const char *p = text + (*text == '-');
	size_t ni = strspn(p, "0123456789");
	if (!ni || p[ni] != '.' || !p[ni + 1] ||
	    strspn(p + ni + 1, "0123456789") != strlen(p + ni + 1))
		return text;
	char *out = lc_arena_printf(req->arena, "%s", text);
	out[(size_t)(p - text) + ni] = mark[0];
	return out;
}

const char *lc_site_t(const struct lc_req *req, const char *key)
{
	const json_t *v = req->t ? json_object_get(req->t, key) : NULL;
	return json_is_string(v) ? json_string_value(v) : key;
}

/* True when the raw query pair p is named name. */
static bool pair_is(const struct lc_urlcodec_pair *p, const char *name)
{
	return lc_slice_eq(p->name, name);
}

const char *lc_site_url_with(struct lc_req *req, const char *key, const char *value)
{
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_HTTP_URL * 2);
	/* A path of this site, whatever was asked: "//evil.example/x" (or "/\\evil", or with a
	 * tab or newline between, which browsers drop) would be a link to another site. One
	 * '/' stands for the whole run of slashes, backslashes and control characters. */
	const char *path = req->raw_path ? req->raw_path : "/";
	while (*path &&
	       (*path == '/' || *path == '\\' || (unsigned char)*path <= 0x20 || *path == 0x7f))
		path++;
	lc_buf_putc(&b, '/');
	lc_buf_puts(&b, path);
	char sep = '?';
	for (size_t i = 0; i < req->nquery; i++) {
		const struct lc_urlcodec_pair *p = &req->query[i];
		if (pair_is(p, "lang") || (key && pair_is(p, key)))
			continue;
		lc_buf_putc(&b, sep);
		lc_buf_append(&b, p->name.ptr, p->name.len);
		if (p->value.len) {
			lc_buf_putc(&b, '=');
			lc_buf_append(&b, p->value.ptr, p->value.len);
		}
		sep = '&';
	}
	if (key && value) {
		lc_buf_putc(&b, sep);
		lc_buf_append_url(&b, key, strlen(key));
		lc_buf_putc(&b, '=');
		lc_buf_append_url(&b, value, strlen(value));
	}
	char *url = lc_arena_strndup(req->arena, lc_buf_cstr(&b), b.len);
	lc_buf_cleanup(&b);
	return url;
}

static const struct lc_label provenance_labels[] = {
    {"verified", "prov_verified"},
    {"secondary", "prov_secondary"},
    {"provisional", "prov_provisional"},
    {NULL, NULL},
};

static const struct lc_label direction_labels[] = {
    {"neutral", "direction_neutral"},
    {"higher_is_better", "direction_higher_is_better"},
    {"lower_is_better", "direction_lower_is_better"},
    {NULL, NULL},
};

/* Sets obj[key_label] to the label of obj[key] in table when obj[key] is a string. */
static void add_label(const struct lc_req *req, json_t *obj, json_t *adds, const char *key,
                      const struct lc_label *table)
{
	const json_t *v = json_object_get(obj, key);
	if (!json_is_string(v))
		return;
	char label[64];
	snprintf(label, sizeof label, "%s_label", key);
	json_object_set_new(adds, label,
	                    json_string(lc_label_text(req, table, json_string_value(v))));
}

/*
 * Presentation decoration, in place: "provenance", "status" and "direction"
 * values get a translated "<key>_label"; every non-empty array member X gets
 * "has_X": true (Mustache cannot test an array's length); a "names" object
 * {lang: name} gets "name_list": [{lang, name}] for iteration.
 */
static void decorate(const struct lc_req *req, json_t *v, int depth)
{
	if (depth > 16)
		return;
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e) decorate(req, e, depth + 1);
		return;
	}
	if (!json_is_object(v))
		return;
	json_t *adds = json_object();
	add_label(req, v, adds, "provenance", provenance_labels);
	add_label(req, v, adds, "status", lc_label_status);
	add_label(req, v, adds, "direction", direction_labels);
	const char *key;
	json_t *val;
	json_object_foreach(v, key, val)
	{
		if (json_is_array(val) && json_array_size(val) > 0) {
			char flag[96];
			snprintf(flag, sizeof flag, "has_%s", key);
			json_object_set_new(adds, flag, json_true());
		}
		if (strcmp(key, "names") == 0 && json_is_object(val)) {
			json_t *list = json_array();
			const char *lang;
			json_t *name;
			json_object_foreach(val, lang, name)
			{
				json_array_append_new(
				    list, json_pack("{s:s,s:O}", "lang", lang, "name", name));
			}
			json_object_set_new(adds, "name_list", list);
		}
		decorate(req, val, depth + 1);
	}
	json_object_update(v, adds);
	json_decref(adds);
}

void lc_site_decorate(const struct lc_req *req, json_t *v)
{
	decorate(req, v, 0);
}

/* What the layout shows of the caller: {"me": {...} | absent, "csrf": "..." | absent}. */
static json_t *caller_globals(struct lc_req *req)
{
	json_t *g = json_object();
	struct lc_web_user *u = req->user;
	if (!u || u->actor.kind != LC_ACTOR_ACCOUNT)
		return g;
	json_object_set_new(
	    g, "me",
	    json_pack("{s:I,s:s,s:s,s:b,s:b,s:b}", "id", (json_int_t)u->actor.account_id, "email",
	              u->actor.email, "name", u->actor.name, "admin",
	              lc_authz_check(&u->actor, LC_ACT_VIEW_ADMIN, NULL) == 0, "audit",
	              lc_authz_check(&u->actor, LC_ACT_VIEW_AUDIT, NULL) == 0, "outbox",
	              lc_authz_check(&u->actor, LC_ACT_VIEW_OUTBOX, NULL) == 0));
	if (u->has_session)
		json_object_set_new(g, "csrf", json_string(u->session.csrf));
	return g;
}

/* The globals every page's layout reads. Caller owns the result. */
static json_t *page_globals(struct lc_req *req, const char *title, const char *nav)
{
	const struct lc_app *app = app_of(req);
	json_t *g = json_object();
	/* Shared read-only catalogue: jansson's reference counts are atomic. */
	if (req->t)
		json_object_set(g, "t", (json_t *)(uintptr_t)req->t);
	json_object_set_new(g, "lang", json_string(req->lang ? req->lang : "en"));
	json_object_set_new(g, "dir", json_string(req->dir ? req->dir : "ltr"));
	/* Reals print with the language's decimal mark (text/template.h). */
	json_object_set_new(g, "decimal_mark", json_string(lc_site_t(req, "decimal_mark")));
	json_object_set_new(g, "page_title", json_string(title ? title : "learncity"));
	json_object_set_new(g, "app_version", json_string(LC_VERSION));
	json_t *navs = json_object();
	if (nav)
		json_object_set_new(navs, nav, json_true());
	json_object_set_new(g, "nav", navs);
	json_t *langs = json_array();
	size_t n = app->i18n ? lc_catalogue_count(app->i18n) : 0;
	for (size_t k = 0; k < n; k++) {
		const char *code = lc_catalogue_lang(app->i18n, k);
		char upper[16];
		size_t i = 0;
		for (; code[i] && i + 1 < sizeof upper; i++)
			upper[i] =
			    (char)(code[i] >= 'a' && code[i] <= 'z' ? code[i] - 32 : code[i]);
		upper[i] = '\0';
		json_array_append_new(
		    langs, json_pack("{s:s,s:s,s:s,s:b}", "code", code, "label", upper, "href",
		                     lc_site_url_with(req, "lang", code), "current",
		                     req->lang && strcmp(req->lang, code) == 0));
	}
	json_object_set_new(g, "languages", langs);
	/* Who is logged in (header, logout button) and the CSRF token of every form. */
	json_t *auth = caller_globals(req);
	json_object_update(g, auth);
	json_decref(auth);
	return g;
}

/*
 * Renders page template tpl over vm and the globals g inside the one page
 * layout ("layout": head, header, <main>, footer) into out. The layout reads
 * the globals only, and places the page where it writes {{{content}}}, so no
 * name of a view-model can change the frame.
 */
static int render_in_layout(const struct lc_tpl_set *set, const char *tpl, const json_t *vm,
                            const json_t *g, struct lc_buf *out)
{
	return lc_tpl_render_in(set, "layout", "content", tpl, vm, g, out, NULL);
}

int lc_site_page(struct lc_req *req, struct lc_resp *resp, const char *tpl, const char *title,
                 const char *nav, json_t *vm, json_t *extra)
{
	decorate(req, vm, 0);
	json_t *g = page_globals(req, title, nav);
	if (extra)
		json_object_update(g, extra);
	lc_buf_reset(&resp->body);
	resp->content_type = "text/html; charset=utf-8";
	int err = render_in_layout(app_of(req)->templates, tpl, vm, g, &resp->body);
	json_decref(g);
	if (err)
		lc_log_error("rendering template %s failed: %s", tpl, lc_strerror(err));
	return err;
}

int lc_site_load(struct lc_req *req, lc_site_loader loader, const char *wrap, json_t **vm)
{
	struct lc_db *db = NULL;
	json_t *v = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = loader(db, req->lang, &v);
	lc_site_db_read_end(req, db);
	if (!err)
		*vm = wrap ? json_pack("{s:o}", wrap, v) : v;
	return err;
}

/* Loads a view's view-model (step 1 of lc_site_view) on db. */
static int view_load(struct lc_req *req, const struct lc_site_view *v, struct lc_db *db,
                     json_t **vm, struct lc_diag *d)
{
	if (v->load)
		return v->load(req, db, vm, d);
	json_t *r = NULL;
	int err = v->list(db, req->lang, &r);
	if (!err)
		*vm = v->wrap ? json_pack("{s:o}", v->wrap, r) : r;
	return err;
}

/* Answers a view's refusal: 404, or 400 with the problems of d. */
static int view_refuse(struct lc_req *req, struct lc_resp *resp, int err, const struct lc_diag *d)
{
	if (err == LC_EINVAL && d->count > 0) {
		const char *msg = lc_site_problem(req, &d->items[0]);
		if (req->api)
			return lc_site_refusal(req, resp, 400, msg, d);
		lc_resp_error(resp, 400, "%s", msg);
		return 0;
	}
	return err;
}

static int serve_view(struct lc_req *req, struct lc_resp *resp)
{
	const struct lc_site_view *v = req->route->data;
	struct lc_db *db = NULL;
	struct lc_diag d;
	json_t *vm = NULL, *extra = NULL;
	lc_diag_init(&d);
	int err = lc_site_db_read(req, &db);
	if (err)
		goto out;
	err = view_load(req, v, db, &vm, &d);
	/* The snapshot ends here; the connection stays for dressing (see site.h). */
	lc_db_commit(db);
	if (err) {
		err = view_refuse(req, resp, err, &d);
		goto out;
	}
	if (req->api) {
		err = lc_resp_json(resp, vm);
		goto out;
	}
	extra = json_object();
	if (v->dress)
		err = v->dress(req, db, vm, extra);
	lc_site_db_release(req, db);
	db = NULL;
	if (err)
		goto out;
	const char *title = json_string_value(json_object_get(extra, "title"));
	err = lc_site_page(req, resp, v->tpl, title ? title : lc_site_t(req, v->title_key), v->nav,
	                   vm, extra);
out:
	lc_site_db_release(req, db);
	lc_diag_cleanup(&d);
	json_decref(vm);
	json_decref(extra);
	return err;
}

int lc_site_view(struct lc_req *req, struct lc_resp *resp)
{
	const struct lc_site_view *v = req->route->data;
	return v->cached ? through_cache(req, resp, serve_view) : serve_view(req, resp);
}

static json_t *rounded(const json_t *v, double scale)
{
	return json_real(round(json_real_value(v) * scale) / scale);
}

static void round_reals(json_t *v, double scale, int depth)
{
	if (depth > 32)
		return;
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
		{
			if (json_is_real(e))
				json_array_set_new(v, i, rounded(e, scale));
			else
				round_reals(e, scale, depth + 1);
		}
	} else if (json_is_object(v)) {
		const char *k;
		json_t *e;
		json_object_foreach(v, k, e)
		{
			/* Replacing the value of an existing key keeps the iteration valid. */
			if (json_is_real(e))
				json_object_set_new(v, k, rounded(e, scale));
			else
				round_reals(e, scale, depth + 1);
		}
	}
}

void lc_site_round_reals(json_t *vm, int decimals)
{
	round_reals(vm, pow(10.0, decimals), 0);
}

json_t *lc_site_pager(struct lc_req *req, const json_t *list)
{
	long page = (long)json_integer_value(json_object_get(list, "page"));
	long pages = (long)json_integer_value(json_object_get(list, "pages"));
	long per_page = (long)json_integer_value(json_object_get(list, "per_page"));
	long total = (long)json_integer_value(json_object_get(list, "total"));
	json_t *p = json_object();
	char n[24];
	long to = page * per_page;
	json_object_set_new(p, "from", json_integer(total ? (page - 1) * per_page + 1 : 0));
	json_object_set_new(p, "to", json_integer(to < total ? to : total));
	json_object_set_new(p, "total", json_integer(total));
	if (pages <= 1)
		return p;
	if (page > 1) {
		snprintf(n, sizeof n, "%ld", page - 1);
		json_object_set_new(p, "prev_href", json_string(lc_site_url_with(req, "page", n)));
	}
	if (page < pages) {
		snprintf(n, sizeof n, "%ld", page + 1);
		json_object_set_new(p, "next_href", json_string(lc_site_url_with(req, "page", n)));
	}
	json_t *links = json_array();
	bool gap = false;
	for (long k = 1; k <= pages; k++) {
		if (k != 1 && k != pages && (k < page - 2 || k > page + 2)) {
			if (!gap)
				json_array_append_new(links, json_pack("{s:b}", "gap", 1));
			gap = true;
			continue;
		}
		gap = false;
		snprintf(n, sizeof n, "%ld", k);
		json_array_append_new(links, json_pack("{s:I,s:s,s:b}", "n", (json_int_t)k, "href",
		                                       lc_site_url_with(req, "page", n), "current",
		                                       k == page));
	}
	json_object_set_new(p, "links", links);
	return p;
}

/* The error pages' titles for people; another status has the HTTP reason phrase. */
static const struct {
	int status;
	const char *key;
} error_titles[] = {
    {400, "error_400_title"}, {401, "error_401_title"}, {403, "error_403_title"},
    {404, "error_404_title"}, {405, "error_405_title"}, {409, "error_409_title"},
    {413, "error_413_title"}, {422, "error_422_title"}, {429, "error_429_title"},
    {500, "error_500_title"},
};

/* The error page: the layout with a title and a message for people. */
static void error_page(struct lc_req *req, struct lc_resp *resp, int status, const char *message)
{
	const struct lc_app *app = app_of(req);
	const char *key = NULL;
	for (size_t i = 0; !key && i < sizeof error_titles / sizeof *error_titles; i++)
		if (error_titles[i].status == status)
			key = error_titles[i].key;
	const char *title = key ? lc_site_t(req, key) : lc_http_status_text(status);
	if (status == 404 && (!message || !*message || strcmp(message, "Not Found") == 0))
		message = lc_site_t(req, "error_404");
	if (status >= 500)
		message = lc_site_t(req, "error_500");
	if (!app || !app->templates || !req->t) {
		lc_resp_error_builtin(resp, status, message);
		return;
	}
	json_t *vm = json_pack("{s:i,s:s,s:s}", "status", status, "title", title, "message",
	                       message ? message : "");
	json_t *g = page_globals(req, title, NULL);
	lc_buf_reset(&resp->body);
	resp->content_type = "text/html; charset=utf-8";
	if (render_in_layout(app->templates, "error", vm, g, &resp->body) != 0)
		lc_resp_error_builtin(resp, status, message);
	json_decref(g);
	json_decref(vm);
}

void lc_site_router_opts(struct lc_router_opts *opts)
{
	opts->error_page = error_page;
}

/* A catalogue key in the request's language, or NULL (lc_diag_lookup). */
static const char *say(const void *ctx, const char *key)
{
	const struct lc_req *req = ctx;
	return json_string_value(req->t ? json_object_get(req->t, key) : NULL);
}

const char *lc_site_problem(const struct lc_req *req, const struct lc_diag_entry *e)
{
	const char *text = e->code ? say(req, e->code) : NULL;
	if (!text)
		return e->message ? e->message : "";
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_TEXT_BYTES);
	lc_diag_render(text, e, say, req, &b);
	const char *s =
	    lc_buf_error(&b) ? e->message : lc_arena_strdup(req->arena, lc_buf_cstr(&b));
	lc_buf_cleanup(&b);
	return s ? s : "";
}

const char *lc_site_problem_json(const struct lc_req *req, const json_t *p)
{
	struct lc_diag_value v[LC_DIAG_MAX_ARGS];
	struct lc_diag_entry e = {0};
	e.code = (char *)json_string_value(json_object_get(p, "code"));
	e.message = (char *)json_string_value(json_object_get(p, "message"));
	const char *name;
	json_t *a;
	json_object_foreach(json_object_get(p, "args"), name, a)
	{
		if (e.nargs == LC_DIAG_MAX_ARGS)
			break;
		char num[64] = "";
		if (json_is_integer(a))
			snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(a));
		else if (json_is_real(a))
			snprintf(num, sizeof num, "%g", json_real_value(a));
		const char *s = json_is_string(a) ? json_string_value(a) : num;
		v[e.nargs++] =
		    (struct lc_diag_value){(char *)name, lc_arena_strdup(req->arena, s ? s : ""),
		                           !json_is_string(a), false};
	}
	e.args = v;
	return lc_site_problem(req, &e);
}

json_t *lc_site_problems(const struct lc_req *req, const struct lc_diag *d, bool with_place)
{
	json_t *a = json_array();
	for (size_t i = 0; i < d->count; i++) {
		const struct lc_diag_entry *e = &d->items[i];
		const char *msg = lc_site_problem(req, e);
		json_t *p = with_place ? json_pack("{s:I,s:I,s:s?,s:s}", "row", (json_int_t)e->line,
		                                   "column", (json_int_t)e->column, "field",
		                                   e->field, "message", msg)
		                       : json_pack("{s:s?,s:s}", "field", e->field, "message", msg);
		json_object_set_new(p, "code", e->code ? json_string(e->code) : json_null());
		json_object_set_new(p, "args", lc_diag_args_json(e));
		json_array_append_new(a, p);
	}
	return a;
}

int lc_site_refusal(const struct lc_req *req, struct lc_resp *resp, int status, const char *message,
                    const struct lc_diag *d)
{
	json_t *j = json_pack("{s:{s:i,s:s},s:o}", "error", "status", status, "message", message,
	                      "problems", lc_site_problems(req, d, false));
	int rc = lc_resp_json(resp, j);
	json_decref(j);
	resp->status = status;
	return rc;
}

int lc_site_read_step(struct lc_req *req, struct lc_resp *resp, json_t **body, const char **to,
                      const char **reason)
{
	char msg[256];
	if (lc_req_json(req, body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		return 1;
	}
	const json_t *jt = json_object_get(*body, "to"), *jr = json_object_get(*body, "reason");
	if (!json_is_string(jt) || (jr && !json_is_null(jr) && !json_is_string(jr))) {
		lc_resp_error(resp, 400, "the body needs \"to\" (a state) and may give \"reason\"");
		json_decref(*body);
		*body = NULL;
		return 1;
	}
	*to = json_string_value(jt);
	*reason = json_string_value(jr);
	return 0;
}

int lc_site_refuse(const struct lc_req *req, struct lc_resp *resp, int err, const struct lc_diag *d)
{
	int status = err == LC_EINVAL   ? 422
	             : err == LC_ELIMIT ? 413
	             : err == LC_EBUSY  ? 429
	                                : lc_http_status_for_error(err);
	/* A refusal that names no problem of its own still speaks the reader's language. */
	const char *fallback = err == LC_EINVAL      ? "refused_invalid"
	                       : err == LC_ECONFLICT ? "refused_conflict"
	                                             : "refused";
	return lc_site_refusal(
	    req, resp, status,
	    d && d->count ? lc_site_problem(req, &d->items[0]) : lc_site_t(req, fallback), d);
}

json_t *lc_site_field_errors(const struct lc_req *req, const struct lc_diag *d)
{
	json_t *e = json_object();
	for (size_t i = 0; i < d->count; i++) {
		const char *f = d->items[i].field ? d->items[i].field : "form";
		if (!json_object_get(e, f))
			json_object_set_new(e, f, json_string(lc_site_problem(req, &d->items[i])));
	}
	return e;
}

int64_t lc_site_path_id(const struct lc_req *req)
{
	const struct lc_req_param *p = lc_req_param(req, "id");
	if (!p || !p->present)
		return 0;
	if (p->spec && p->spec->type == LC_PARAM_INT)
		return p->v.num;
	char *end = NULL;
	long long v = strtoll(p->v.str ? p->v.str : "", &end, 10);
	return end && *end == '\0' && v > 0 ? (int64_t)v : -1;
}

long lc_site_number(const char *s, long bad)
{
	if (!s || !*s)
		return 0;
	char *end = NULL;
	long v = strtol(s, &end, 10);
	return end && *end == '\0' ? v : bad;
}
