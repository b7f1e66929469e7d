/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The site of fuzz_site.h: set up once per process, then one request at a
 * time through lc_server_head and lc_router_dispatch, the database copied
 * back from a pristine in-memory copy whenever a request changed it.
 */
#include "fuzz_site.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/catalogue.h"
#include "base/diag.h"
#include "base/limits.h"
#include "base/log.h"
#include "db/db.h"
#include "domain/accounts/account.h"
#include "domain/workflow/application.h"
#include "domain/accounts/authz.h"
#include "domain/demo/demo.h"
#include "domain/accounts/onetime.h"
#include "domain/accounts/password.h"
#include "domain/accounts/role.h"
#include "domain/accounts/session.h"
#include "domain/accounts/token.h"
#include "web/http.h"
#include "web/i18n.h"
#include "web/pagecache.h"
#include "web/router.h"
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/server.h"
#include "text/template.h"
#include "web/urlcodec.h"

#define PASSWORD "Learning-city-2026!"

static struct {
	bool ready;
	struct lc_db_pool *pool;
	struct lc_tpl_set *templates;
	struct lc_catalogue *i18n;
	struct lc_pagecache *cache;
	struct lc_router *router;
	struct lc_app app;
	struct lc_server_config cfg;
	sqlite3 *pristine;
	uint64_t gen;
	char token[LC_FUZZ_NWHO][LC_TOKEN_CHARS + 1];
	char session[LC_FUZZ_NWHO][LC_SESSION_ID_CHARS + 1];
	char csrf[LC_FUZZ_NWHO][LC_SESSION_CSRF_CHARS + 1];
	int64_t draft, report;
} site;

static void fail(const char *what, const struct lc_diag *d)
{
	fprintf(stderr, "fuzz site: %s\n", what);
	for (size_t i = 0; d && i < d->count; i++)
		fprintf(stderr, "  %s\n", d->items[i].message ? d->items[i].message : "");
	__builtin_trap();
}

/* Copies database src into dst, page by page (SQLite's online backup). */
static void copy_db(sqlite3 *dst, sqlite3 *src)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE)
		fail(sqlite3_errmsg(dst), NULL);
	if (sqlite3_backup_finish(b) != SQLITE_OK)
		fail(sqlite3_errmsg(dst), NULL);
}

/* Logs who in: a token and a session, as a client would hold them. */
static void credentials(struct lc_db *db, enum lc_fuzz_who who, int64_t id)
{
	struct lc_actor me;
	struct lc_session s;
	if (lc_actor_load(db, id, &me) != 0 ||
	    lc_token_create(db, &me, id, "fuzz", 0, site.token[who], NULL) != 0 ||
	    lc_session_create(db, id, "127.0.0.1", "fuzz", site.session[who], &s) != 0)
		fail("cannot log in", NULL);
	snprintf(site.csrf[who], sizeof site.csrf[who], "%s", s.csrf);
}

static int64_t account(struct lc_db *db, const char *email, const char *role, struct lc_diag *d)
{
	struct lc_actor sys;
	lc_actor_system(&sys);
	struct lc_role r;
	if (lc_role_parse(db, role, &r, NULL) != 0)
		fail(role, NULL);
	struct lc_account_new in = {
	    .email = email, .name = role, .password = PASSWORD, .roles = &r, .nroles = 1};
	int64_t id = 0;
	if (lc_account_create(db, &sys, &in, d, &id) != 0)
		fail(email, d);
	return id;
}

/* An applicant signs up, confirms the address and starts an application. */
static int64_t applicant(struct lc_db *db, struct lc_diag *d)
{
	struct lc_actor anon, me;
	lc_actor_anonymous(&anon);
	struct lc_account_new in = {
	    .email = "applicant@fuzz.example", .name = "Applicant", .password = PASSWORD};
	int64_t id = 0, got = 0;
	if (lc_account_signup(db, &anon, &in, "", "https://lc.example", d, &id, NULL) != 0)
		fail("sign-up", d);
	char tok[LC_ONETIME_CHARS + 1] = "";
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT secret FROM outbox ORDER BY id DESC LIMIT 1");
	if (st && lc_db_step(db, st) == 1)
		snprintf(tok, sizeof tok, "%s", lc_db_text(st, 0));
	lc_db_release(db, st);
	if (lc_account_confirm_signup(db, tok, PASSWORD, d, &got) != 0 ||
	    lc_actor_load(db, id, &me) != 0 ||
	    lc_application_create(db, &me, 1, "IE", "Fuzzton", d, &site.draft) != 0)
		fail("application", d);
	return id;
}

static void open_report(void)
{
	static const char body[] =
	    "{\"year\":2026,\"deadline\":\"2099-01-01\",\"cities\":[\"cork\"]}";
	char auth[16 + LC_TOKEN_CHARS];
	snprintf(auth, sizeof auth, "Bearer %s", site.token[LC_FUZZ_ADMIN]);
	struct lc_fuzz_request rq = {.method = "POST",
	                             .url = "/api/v1/reports",
	                             .names = {"Content-Type", "Authorization"},
	                             .values = {"application/json", auth},
	                             .nheaders = 2,
	                             .peer = "127.0.0.1",
	                             .body = (const uint8_t *)body,
	                             .body_len = sizeof body - 1};
	if (lc_fuzz_site_serve(&rq) >= 300)
		fail("cannot open the 2026 reports", NULL);
	struct lc_db *db;
	if (lc_db_pool_acquire(site.pool, &db) != 0)
		fail("pool", NULL);
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT r.item_id FROM reports r JOIN cities c ON "
	                                  "c.id = r.city_id WHERE c.slug = 'cork'");
	if (!st || lc_db_step(db, st) != 1)
		fail("no report for Cork", NULL);
	site.report = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	lc_db_pool_release(site.pool, db);
}

void lc_fuzz_site_init(bool with_cache, bool trust_proxy)
{
	if (site.ready)
		return;
	lc_log_set_level(LC_LOG_ERROR);
	lc_password_set_light(true);
	struct lc_diag d;
	lc_diag_init(&d);
	/* One connection: ":memory:" gives each connection its own database. */
	if (lc_db_pool_new(":memory:", 1, 0, &site.pool) != 0)
		fail("pool", NULL);
	if (lc_tpl_set_new_embedded(&site.templates, &d) != 0 ||
	    lc_catalogue_new_embedded(&site.i18n, &d) != 0)
		fail("templates or catalogues", &d);
	if (with_cache)
		site.cache = lc_pagecache_new(4u << 20, 60000);
	site.app = (struct lc_app){.pool = site.pool,
	                           .templates = site.templates,
	                           .i18n = site.i18n,
	                           .cache = site.cache,
	                           .base_url = "https://lc.example"};
	struct lc_router_opts ropts = {.i18n = site.i18n};
	lc_routes_opts(&ropts);
	size_t n;
	const struct lc_route *table = lc_routes_table(&n);
	if (lc_router_new(table, n, &ropts, &site.router, &d) != 0)
		fail("route table", &d);
	site.cfg = (struct lc_server_config){.body_limit = LC_LIMIT_HTTP_BODY,
	                                     .trust_proxy = trust_proxy ? "127.0.0.1" : NULL,
	                                     .router = site.router,
	                                     .app = &site.app};
	struct lc_db *db;
	if (lc_db_pool_acquire(site.pool, &db) != 0 || lc_demo_load(db, &d) != 0)
		fail("demonstration data", &d);
	credentials(db, LC_FUZZ_ADMIN, account(db, "admin@fuzz.example", "admin", &d));
	credentials(db, LC_FUZZ_COORDINATOR,
	            account(db, "cork@fuzz.example", "coordinator:cork", &d));
	credentials(db, LC_FUZZ_APPLICANT, applicant(db, &d));
	lc_db_pool_release(site.pool, db);
	site.ready = true;
	open_report();
	if (sqlite3_open(":memory:", &site.pristine) != SQLITE_OK ||
	    lc_db_pool_acquire(site.pool, &db) != 0)
		fail("pristine copy", NULL);
	/* Tokens and sessions were used in the future: using them again writes
	 * nothing (a use is recorded at most every LC_LIMIT_SESSION_TOUCH_S), so
	 * a request that changes nothing needs no copying back. */
	if (lc_db_exec(db, "UPDATE access_tokens SET last_used_at = "
	                   "CAST(strftime('%s', 'now') AS INTEGER) + 31536000;"
	                   "UPDATE sessions SET last_seen_at = "
	                   "CAST(strftime('%s', 'now') AS INTEGER) + 31536000") != 0)
		fail("tokens", NULL);
	copy_db(site.pristine, lc_db_sqlite(db));
	lc_db_pool_release(site.pool, db);
	site.gen = lc_db_write_generation();
	lc_diag_cleanup(&d);
}

const char *lc_fuzz_site_token(enum lc_fuzz_who who)
{
	return who < LC_FUZZ_ANONYMOUS ? site.token[who] : "";
}

const char *lc_fuzz_site_session(enum lc_fuzz_who who)
{
	return who < LC_FUZZ_ANONYMOUS ? site.session[who] : "";
}

const char *lc_fuzz_site_csrf(enum lc_fuzz_who who)
{
	return who < LC_FUZZ_ANONYMOUS ? site.csrf[who] : "";
}

int64_t lc_fuzz_site_draft(void)
{
	return site.draft;
}

int64_t lc_fuzz_site_report(void)
{
	return site.report;
}

/* The raw query pairs as libmicrohttpd gives them: split on '&', '+' already a space. */
static void query(struct lc_req *req, const char *q)
{
	size_t len = strlen(q);
	char *s = lc_arena_strndup(req->arena, q, len);
	for (size_t i = 0; i < len; i++)
		if (s[i] == '+')
			s[i] = ' ';
	size_t max = LC_LIMIT_HTTP_PARAMS + 1;
	req->query = lc_arena_alloc(req->arena, max * sizeof *req->query);
	lc_urlcodec_split_query(lc_slice_make(s, len), req->query, max, &req->nquery);
}

/* What every answer must be, whatever was asked. */
static void check(const struct lc_req *req, const struct lc_resp *resp)
{
	if (resp->status < 100 || resp->status > 599 ||
	    strcmp(lc_http_status_text(resp->status), "Unknown") == 0)
		fail("an unknown status", NULL);
	for (size_t i = 0; i < resp->nheaders; i++)
		if (strpbrk(resp->headers[i].name, "\r\n") ||
		    strpbrk(resp->headers[i].value, "\r\n"))
			fail("a header with CR or LF", NULL);
	if (req->api && resp->status >= 400) {
		json_t *j =
		    json_loadb(resp->body.data ? resp->body.data : "", resp->body.len, 0, NULL);
		if (!json_is_object(json_object_get(j, "error")))
			fail("an API error that is not a JSON error", NULL);
		json_decref(j);
	}
}

/* Undoes what the request wrote, so that the next input meets the same database. */
static bool restore(void)
{
	if (lc_db_write_generation() == site.gen)
		return false;
	struct lc_db *db;
	if (lc_db_pool_acquire(site.pool, &db) != 0)
		fail("pool", NULL);
	copy_db(lc_db_sqlite(db), site.pristine);
	lc_db_pool_release(site.pool, db);
	site.gen = lc_db_write_generation();
	return true;
}

int lc_fuzz_site_serve(const struct lc_fuzz_request *in)
{
	struct lc_arena *a = lc_arena_new();
	struct lc_req req;
	lc_req_init(&req, a);
	struct lc_header *h = lc_arena_alloc(a, (in->nheaders ? in->nheaders : 1) * sizeof *h);
	for (size_t i = 0; i < in->nheaders; i++)
		h[i] = (struct lc_header){in->names[i], in->values[i]};
	req.headers = h;
	req.nheaders = in->nheaders;
	const char *q = strchr(in->url, '?');
	const char *path = q ? lc_arena_strndup(a, in->url, (size_t)(q - in->url)) : in->url;
	if (q)
		query(&req, q + 1);
	size_t limit = lc_server_head(&site.cfg, &req, in->method, path, in->peer);
	/* The body in a block of its own size, so that reading past it is caught. */
	char *body = NULL;
	struct lc_resp resp;
	lc_resp_init(&resp, &req);
	/* A request with a body meets the head hook first, as in the server. */
	bool has_body = in->body_len || lc_req_header(&req, "Content-Length") ||
	                lc_req_header(&req, "Transfer-Encoding");
	if (has_body && lc_router_head(site.router, &req, &resp) > 0) {
		/* Refused from its head (login, role): the body is never read. */
	} else if (lc_server_declared_too_large(&req, limit) || in->body_len > limit) {
		req.error_page = lc_router_opts(site.router)->error_page;
		lc_resp_error(&resp, 413, "The request body is larger than %zu bytes.", limit);
	} else {
		if (in->body_len) {
			body = lc_xmalloc(in->body_len);
			memcpy(body, in->body, in->body_len);
		}
		req.body = body ? body : "";
		req.body_len = in->body_len;
		lc_router_dispatch(site.router, &req, &resp);
	}
	check(&req, &resp);
	int status = resp.status;
	if (getenv("LC_FUZZ_TRACE"))
		fprintf(stderr, "%s %s -> %d %.*s\n", in->method, in->url, status,
		        (int)(resp.body.len < 300 ? resp.body.len : 300),
		        resp.body.data ? resp.body.data : "");
	lc_resp_cleanup(&resp);
	lc_free(body);
	lc_arena_free(a);
	if (site.pristine && restore() && getenv("LC_FUZZ_TRACE"))
		fprintf(stderr, "(the database was copied back)\n");
	return status;
}
