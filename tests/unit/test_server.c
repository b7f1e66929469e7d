/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of web/server.c over real sockets: a server on a free loopback port
 * with a small router defined here. Checks status codes, the security
 * headers, HEAD, body limits, keep-alive, percent-encoding through
 * libmicrohttpd, static files and a graceful stop with a request in flight.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "base/embedded.h"
#include "base/error.h"
#include "base/log.h"
#include "web/http.h"
#include "web/router.h"
#include "web/server.h"
#include "web/static.h"

static atomic_int slow_started;

static int h_home(struct lc_req *req, struct lc_resp *resp)
{
	(void)req;
	lc_buf_puts(&resp->body, "<!doctype html><title>home</title>home page");
	return 0;
}

static int h_echo(struct lc_req *req, struct lc_resp *resp)
{
	resp->content_type = "text/plain; charset=utf-8";
	lc_buf_printf(&resp->body, "name=%s q=%s n=%ld remote=%s body=%zu", lc_req_str(req, "name"),
	              lc_req_str(req, "q") ? lc_req_str(req, "q") : "-", lc_req_int(req, "n", -1),
	              req->remote_addr, req->body_len);
	return 0;
}

static int h_slow(struct lc_req *req, struct lc_resp *resp)
{
	(void)req;
	atomic_store(&slow_started, 1);
	struct timespec t = {0, 400 * 1000 * 1000};
	nanosleep(&t, NULL);
	lc_buf_puts(&resp->body, "slow done");
	return 0;
}

static int h_cookie(struct lc_req *req, struct lc_resp *resp)
{
	(void)req;
	lc_resp_set_cookie(resp, "sid", "abc", 60, 0);
	lc_resp_header(resp, "X-Frame-Options", "SAMEORIGIN"); /* a handler may override */
	return 0;
}

static int h_api(struct lc_req *req, struct lc_resp *resp)
{
	(void)req;
	json_t *v = json_pack("{s:i}", "ok", 1);
	lc_resp_json(resp, v);
	json_decref(v);
	return 0;
}

static const struct lc_param_spec echo_params[] = {
    {.name = "q", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 20},
    {.name = "n", .source = LC_PARAM_FORM, .type = LC_PARAM_INT, .min = 0, .max = 9},
    {0}};

static const struct lc_route routes[] = {
    {LC_HTTP_GET, "/", h_home, NULL, 0, 0, NULL},
    {LC_HTTP_GET | LC_HTTP_POST, "/echo/{name}", h_echo, echo_params, 0, 0, NULL},
    {LC_HTTP_POST, "/small", h_echo, NULL, 100, 0, NULL},
    {LC_HTTP_GET, "/slow", h_slow, NULL, 0, 0, NULL},
    {LC_HTTP_GET, "/cookie", h_cookie, NULL, 0, 0, NULL},
    {LC_HTTP_GET, "/api/v1/x", h_api, NULL, 0, 0, NULL},
    {LC_HTTP_GET, "/static/{file*}", lc_static_handler, NULL, 0, 0, NULL},
};

static const char css[] = "body{color:#123}\n";
static const struct lc_embedded_file files[] = {
    {"static/app.css", (const unsigned char *)css, sizeof css - 1},
};

struct fixture {
	struct lc_router *router;
	struct lc_server *server;
	uint16_t port;
};

static struct fixture *start(bool secure)
{
	struct fixture *f = calloc(1, sizeof *f); /* test code: the allocator rule is for src/ */
	assert_int_equal(
	    lc_router_new(routes, sizeof routes / sizeof routes[0], NULL, &f->router, NULL), 0);
	struct lc_server_config cfg = {.port = 0,
	                               .threads = 2,
	                               .router = f->router,
	                               .secure_cookies = secure,
	                               .trust_proxy = secure ? "127.0.0.1" : NULL};
	assert_int_equal(lc_server_start(&cfg, &f->server), 0);
	f->port = lc_server_port(f->server);
	assert_true(f->port > 0);
	return f;
}

static void stop(struct fixture *f)
{
	lc_server_stop(f->server);
	lc_router_free(f->router);
	free(f);
}

static int setup(void **state)
{
	lc_static_use_files(files, 1);
	if (getenv("LC_TEST_DEBUG"))
		lc_log_set_level(LC_LOG_DEBUG);
	*state = start(false);
	return 0;
}

static int teardown(void **state)
{
	stop(*state);
	return 0;
}

/* A client connection with a read buffer. */
struct conn {
	int fd;
	char buf[1 << 16];
	size_t len;
};

struct reply {
	int status;
	char head[8192];
	char body[1 << 15];
	size_t body_len;
	long content_length;
};

static void conn_open(struct conn *c, uint16_t port)
{
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(c->fd >= 0);
	struct timeval tv = {5, 0};
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(c->fd, (struct sockaddr *)&a, sizeof a), 0);
	c->len = 0;
}

static void conn_send(struct conn *c, const char *s, size_t n)
{
	while (n) {
		ssize_t w = send(c->fd, s, n, MSG_NOSIGNAL);
		if (w <= 0)
			return; /* the server may close early (413) */
		s += w;
		n -= (size_t)w;
	}
}

static bool fill(struct conn *c)
{
	if (c->len == sizeof c->buf)
		return false;
	ssize_t r = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
	if (r <= 0)
		return false;
	c->len += (size_t)r;
	return true;
}

static const char *find_header(const struct reply *r, const char *name)
{
	static char value[1024];
	size_t n = strlen(name);
	const char *p = r->head;
	while ((p = strstr(p, "\r\n"))) {
		p += 2;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ')
				v++;
			const char *e = strstr(v, "\r\n");
			size_t k = e ? (size_t)(e - v) : strlen(v);
			if (k >= sizeof value)
				k = sizeof value - 1;
			memcpy(value, v, k);
			value[k] = '\0';
			return value;
		}
	}
	return NULL;
}

/* Reads one response; false when the connection ended first. */
static bool conn_read(struct conn *c, struct reply *r, bool head)
{
	size_t hl = 0;
	for (;;) {
		for (size_t i = 0; !hl && i + 4 <= c->len; i++)
			if (memcmp(c->buf + i, "\r\n\r\n", 4) == 0)
				hl = i + 4;
		if (hl)
			break;
		if (!fill(c))
			return false;
	}
	assert_true(hl < sizeof r->head);
	memcpy(r->head, c->buf, hl);
	r->head[hl] = '\0';
	assert_int_equal(sscanf(r->head, "HTTP/1.1 %d", &r->status), 1);
	const char *cl = find_header(r, "Content-Length");
	r->content_length = cl ? strtol(cl, NULL, 10) : -1;
	size_t want = head || r->content_length < 0 ? 0 : (size_t)r->content_length;
	while (c->len < hl + want)
		if (!fill(c))
			return false;
	assert_true(want < sizeof r->body);
	memcpy(r->body, c->buf + hl, want);
	r->body[want] = '\0';
	r->body_len = want;
	memmove(c->buf, c->buf + hl + want, c->len - hl - want);
	c->len -= hl + want;
	return true;
}

static void request(uint16_t port, const char *raw, struct reply *r)
{
	struct conn *c = calloc(1, sizeof *c);
	conn_open(c, port);
	conn_send(c, raw, strlen(raw));
	assert_true(conn_read(c, r, strncmp(raw, "HEAD", 4) == 0));
	close(c->fd);
	free(c);
}

static void check_security_headers(const struct reply *r)
{
	assert_non_null(find_header(r, "Content-Security-Policy"));
	assert_non_null(
	    strstr(find_header(r, "Content-Security-Policy"), "frame-ancestors 'none'"));
	assert_string_equal(find_header(r, "X-Content-Type-Options"), "nosniff");
	assert_string_equal(find_header(r, "Referrer-Policy"), "strict-origin-when-cross-origin");
	assert_non_null(find_header(r, "X-Frame-Options"));
}

static void test_get_and_headers(void **state)
{
	struct fixture *f = *state;
	struct reply *r = calloc(1, sizeof *r);
	request(f->port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", r);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->body, "<!doctype html><title>home</title>home page");
	assert_string_equal(find_header(r, "Content-Type"), "text/html; charset=utf-8");
	assert_string_equal(find_header(r, "X-Frame-Options"), "DENY");
	check_security_headers(r);
	request(f->port, "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", r);
	assert_int_equal(r->status, 404);
	check_security_headers(r);
	request(f->port, "DELETE /echo/x HTTP/1.1\r\nHost: x\r\n\r\n", r);
	assert_int_equal(r->status, 405);
	assert_string_equal(find_header(r, "Allow"), "GET, HEAD, POST");
	request(f->port, "GET /echo/x?q=012345678901234567890 HTTP/1.1\r\nHost: x\r\n\r\n", r);
	assert_int_equal(r->status, 400);
	assert_non_null(strstr(r->body, "Parameter &#39;q&#39;: too long"));
	request(f->port, "GET /api/v1/x HTTP/1.1\r\nHost: x\r\n\r\n", r);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->body, "{\"ok\":1}");
	assert_string_equal(find_header(r, "Content-Type"), "application/json");
	request(f->port, "GET /api/v1/y HTTP/1.1\r\nHost: x\r\n\r\n", r);
	assert_int_equal(r->status, 404);
	assert_non_null(strstr(r->body, "{\"error\":{\"status\":404,"));
	request(f->port, "GET /cookie HTTP/1.1\r\nHost: x\r\n\r\n", r);
	assert_string_equal(find_header(r, "Set-Cookie"),
	                    "sid=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
	assert_string_equal(find_header(r, "X-Frame-Options"), "SAMEORIGIN");
	free(r);
}

static void test_head_and_keepalive(void **state)
{
	struct fixture *f = *state;
	struct reply *get = calloc(1, sizeof *get), *head = calloc(1, sizeof *head);
	struct conn *c = calloc(1, sizeof *c);
	conn_open(c, f->port);
	const char *g = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	const char *h = "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n";
	conn_send(c, g, strlen(g));
	assert_true(conn_read(c, get, false));
	conn_send(c, h, strlen(h));
	assert_true(conn_read(c, head, true));
	assert_int_equal(head->status, 200);
	assert_int_equal(head->content_length, get->content_length);
	check_security_headers(head);
	/* No body followed the HEAD answer: the next answer on the same connection starts clean. */
	conn_send(c, g, strlen(g));
	assert_true(conn_read(c, get, false));
	assert_int_equal(get->status, 200);
	assert_int_equal(c->len, 0);
	/* Keep-alive held through three requests. */
	const char *conn_hdr = find_header(get, "Connection");
	assert_true(!conn_hdr || strcasecmp(conn_hdr, "close") != 0);
	close(c->fd);
	free(c);
	free(get);
	free(head);
}

static void test_decoding_through_server(void **state)
{
	struct fixture *f = *state;
	struct reply *r = calloc(1, sizeof *r);
	request(f->port, "GET /echo/S%C3%A3o?q=1%2B2+3&utm_source=x HTTP/1.1\r\nHost: x\r\n\r\n",
	        r);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->body, "name=São q=1+2 3 n=-1 remote=127.0.0.1 body=0");
	/* X-Forwarded-For counts only when the server trusts a local proxy. */
	request(f->port, "GET /echo/x HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n",
	        r);
	assert_string_equal(r->body, "name=x q=- n=-1 remote=127.0.0.1 body=0");
	request(f->port, "GET /echo/a%2Fb HTTP/1.1\r\nHost: x\r\n\r\n", r);
	assert_int_equal(r->status, 400);
	request(f->port, "GET /echo/%2e%2e HTTP/1.1\r\nHost: x\r\n\r\n", r);
	assert_int_equal(r->status, 400);
	request(f->port, "GET /echo/x?q=%00 HTTP/1.1\r\nHost: x\r\n\r\n", r);
	assert_int_equal(r->status, 400);
	request(f->port, "GET /echo/x/?q=a+b HTTP/1.1\r\nHost: x\r\n\r\n", r);
	assert_int_equal(r->status, 308);
	assert_string_equal(find_header(r, "Location"), "/echo/x?q=a+b");
	request(f->port,
	        "POST /echo/form HTTP/1.1\r\nHost: x\r\nContent-Type: "
	        "application/x-www-form-urlencoded\r\n"
	        "Content-Length: 7\r\n\r\nn=7&z=%",
	        r);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->body, "name=form q=- n=7 remote=127.0.0.1 body=7");
	free(r);
}

static void test_body_limits(void **state)
{
	struct fixture *f = *state;
	struct reply *r = calloc(1, sizeof *r);
	/* Declared too large: answered at once, without the body ever being sent. */
	request(f->port,
	        "POST /echo/x HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
	        "Content-Length: 5000000\r\n\r\n",
	        r);
	assert_int_equal(r->status, 413);
	check_security_headers(r);
	request(f->port, "POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n", r);
	assert_int_equal(r->status, 413);
	/* Within the route's limit. */
	char req[512];
	char body[101];
	memset(body, 'b', 100);
	body[100] = '\0';
	snprintf(req, sizeof req,
	         "POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n%s", body);
	request(f->port, req, r);
	assert_int_equal(r->status, 200);
	assert_non_null(strstr(r->body, "body=100"));
	/* Chunked, growing past the limit while it is read. */
	struct conn *c = calloc(1, sizeof *c);
	conn_open(c, f->port);
	const char *h = "POST /small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
	conn_send(c, h, strlen(h));
	for (int i = 0; i < 4; i++)
		conn_send(
		    c, "40\r\n0123456789012345678901234567890123456789012345678901234567890123\r\n",
		    70);
	conn_send(c, "0\r\n\r\n", 5);
	assert_true(conn_read(c, r, false));
	assert_int_equal(r->status, 413);
	close(c->fd);
	free(c);
	free(r);
}

static void test_static(void **state)
{
	struct fixture *f = *state;
	struct reply *r = calloc(1, sizeof *r);
	request(f->port, "GET /static/app.css HTTP/1.1\r\nHost: x\r\n\r\n", r);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->body, css);
	assert_string_equal(find_header(r, "Content-Type"), "text/css; charset=utf-8");
	assert_string_equal(find_header(r, "Cache-Control"), "public, max-age=86400");
	char etag[128];
	snprintf(etag, sizeof etag, "%s", find_header(r, "ETag"));
	assert_string_equal(etag, lc_static_etag("app.css"));
	assert_true(etag[0] == '"');
	char req[512];
	snprintf(req, sizeof req,
	         "GET /static/app.css HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"x\", %s\r\n\r\n",
	         etag);
	request(f->port, req, r);
	assert_int_equal(r->status, 304);
	assert_int_equal(r->body_len, 0);
	assert_string_equal(find_header(r, "ETag"), etag);
	request(f->port,
	        "GET /static/app.css HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"other\"\r\n\r\n", r);
	assert_int_equal(r->status, 200);
	request(f->port, "GET /static/nope.css HTTP/1.1\r\nHost: x\r\n\r\n", r);
	assert_int_equal(r->status, 404);
	request(f->port, "HEAD /static/app.css HTTP/1.1\r\nHost: x\r\n\r\n", r);
	assert_int_equal(r->status, 200);
	assert_int_equal(r->content_length, (long)strlen(css));
	free(r);
}

struct slow_client {
	uint16_t port;
	struct reply r;
	bool ok;
};

static void *slow_request(void *arg)
{
	struct slow_client *s = arg;
	struct conn *c = calloc(1, sizeof *c);
	conn_open(c, s->port);
	const char *g = "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n";
	conn_send(c, g, strlen(g));
	s->ok = conn_read(c, &s->r, false);
	close(c->fd);
	free(c);
	return NULL;
}

static void test_graceful_stop(void **state)
{
	(void)state;
	struct fixture *f = start(true);
	/* An idle keep-alive connection must not hold the stop up. */
	struct conn *idle = calloc(1, sizeof *idle);
	conn_open(idle, f->port);
	struct slow_client *s = calloc(1, sizeof *s);
	s->port = f->port;
	atomic_store(&slow_started, 0);
	pthread_t t;
	pthread_create(&t, NULL, slow_request, s);
	struct timespec step = {0, 5 * 1000 * 1000};
	for (int i = 0; i < 1000 && !atomic_load(&slow_started); i++)
		nanosleep(&step, NULL);
	assert_true(atomic_load(&slow_started));
	struct reply *x = calloc(1, sizeof *x);
	request(f->port, "GET /echo/x HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 2001:db8::7\r\n\r\n",
	        x);
	assert_string_equal(x->body, "name=x q=- n=-1 remote=2001:db8::7 body=0");
	request(f->port,
	        "GET /echo/x HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 1.2.3.4, 5.6.7.8\r\n\r\n", x);
	assert_string_equal(x->body, "name=x q=- n=-1 remote=5.6.7.8 body=0");
	request(f->port, "GET /cookie HTTP/1.1\r\nHost: x\r\n\r\n", x);
	assert_string_equal(find_header(x, "Set-Cookie"),
	                    "sid=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure");
	free(x);
	uint16_t port = f->port;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	stop(f);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_join(t, NULL);
	assert_true(s->ok);
	assert_int_equal(s->r.status, 200);
	assert_string_equal(s->r.body, "slow done");
	assert_true(t1.tv_sec - t0.tv_sec < 5);
	/* Nothing listens any more. */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(connect(fd, (struct sockaddr *)&a, sizeof a) != 0);
	close(fd);
	close(idle->fd);
	free(idle);
	free(s);
}

static void test_access_log(void **state)
{
	(void)state;
	/* One line per request with method, path, status, bytes and time; no query, cookie or
	 * Authorization; raw bytes escaped. stderr goes to a file for the test. */
	char path[] = "/tmp/lc-test-access-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);
	lc_log_set_level(LC_LOG_INFO);
	struct lc_router *router;
	assert_int_equal(
	    lc_router_new(routes, sizeof routes / sizeof routes[0], NULL, &router, NULL), 0);
	struct lc_server_config cfg = {.threads = 1, .router = router, .access_log = true};
	struct lc_server *srv;
	assert_int_equal(lc_server_start(&cfg, &srv), 0);
	struct reply *r = calloc(1, sizeof *r);
	request(lc_server_port(srv),
	        "GET /echo/x?q=secret-query HTTP/1.1\r\nHost: x\r\nCookie: sid=secret-cookie\r\n"
	        "Authorization: Bearer secret-token\r\n\r\n",
	        r);
	assert_int_equal(r->status, 200);
	request(lc_server_port(srv), "GET /a\x01\x7f\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n", r);
	free(r);
	lc_server_stop(srv);
	lc_router_free(router);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	lc_log_set_level(getenv("LC_TEST_DEBUG") ? LC_LOG_DEBUG : LC_LOG_INFO);
	char log[4096] = "";
	ssize_t n = pread(fd, log, sizeof log - 1, 0);
	close(fd);
	unlink(path);
	assert_true(n > 0);
	log[n] = '\0';
	if (getenv("LC_TEST_DEBUG"))
		print_message("%s", log);
	assert_non_null(strstr(log, "info http GET /echo/x 200 "));
	assert_null(strstr(log, "secret"));
	/* libmicrohttpd may refuse raw control bytes itself; if the request got through, its
	 * path is logged escaped. */
	assert_null(strchr(log, '\x01'));
	assert_null(strchr(log, '\x7f'));
}

/* The remote address the echo route sees for a request with these extra header lines. */
static const char *remote_with(uint16_t port, const char *headers)
{
	static char out[128];
	char raw[1024];
	struct reply *r = calloc(1, sizeof *r);
	snprintf(raw, sizeof raw, "GET /echo/x HTTP/1.1\r\nHost: x\r\n%s\r\n", headers);
	request(port, raw, r);
	const char *p = strstr(r->body, "remote=");
	snprintf(out, sizeof out, "%.*s", p ? (int)strcspn(p + 7, " ") : 0, p ? p + 7 : "");
	free(r);
	return out;
}

static void test_trust_proxy(void **state)
{
	(void)state;
	/* Only the configured proxy is trusted, not any loopback peer. */
	struct lc_router *router;
	assert_int_equal(
	    lc_router_new(routes, sizeof routes / sizeof routes[0], NULL, &router, NULL), 0);
	struct lc_server *srv;
	struct lc_server_config cfg = {.threads = 1, .router = router, .trust_proxy = "127.0.0.2"};
	assert_int_equal(lc_server_start(&cfg, &srv), 0);
	uint16_t port = lc_server_port(srv);
	assert_string_equal(remote_with(port, "X-Forwarded-For: 203.0.113.9\r\n"), "127.0.0.1");
	lc_server_stop(srv);

	/* From the proxy: the right-most hop that is not the proxy, never one further left. */
	cfg.trust_proxy = "127.0.0.1";
	assert_int_equal(lc_server_start(&cfg, &srv), 0);
	port = lc_server_port(srv);
	assert_string_equal(remote_with(port, "X-Forwarded-For: 203.0.113.9\r\n"), "203.0.113.9");
	assert_string_equal(remote_with(port, "X-Forwarded-For: 6.6.6.6, 203.0.113.9\r\n"),
	                    "203.0.113.9");
	assert_string_equal(
	    remote_with(port, "X-Forwarded-For: 6.6.6.6,203.0.113.9 , 127.0.0.1\r\n"),
	    "203.0.113.9");
	assert_string_equal(remote_with(port, "X-Forwarded-For: 6.6.6.6\r\n"
	                                      "X-Forwarded-For: 203.0.113.9\r\n"),
	                    "203.0.113.9");
	assert_string_equal(remote_with(port, "X-Forwarded-For: 2001:DB8::7\r\n"), "2001:db8::7");
	/* A hop that is no address stops the walk: the proxy's own address, not the left one. */
	assert_string_equal(remote_with(port, "X-Forwarded-For: 6.6.6.6, unknown\r\n"),
	                    "127.0.0.1");
	assert_string_equal(remote_with(port, "X-Forwarded-For: 203.0.113.9:80\r\n"), "127.0.0.1");
	assert_string_equal(remote_with(port, "X-Forwarded-For: 127.0.0.1\r\n"), "127.0.0.1");
	assert_string_equal(remote_with(port, ""), "127.0.0.1");
	lc_server_stop(srv);

	cfg.trust_proxy = "localhost";
	assert_int_equal(lc_server_start(&cfg, &srv), LC_EINVAL);
	lc_router_free(router);
}

static void test_bad_config(void **state)
{
	(void)state;
	struct lc_server *s = (struct lc_server *)1;
	struct lc_server_config cfg = {.bind = "not-an-ip", .router = NULL};
	assert_int_equal(lc_server_start(&cfg, &s), LC_EINVAL);
	assert_null(s);
	struct fixture *f = *(struct fixture **)state;
	cfg.router = f->router;
	assert_int_equal(lc_server_start(&cfg, &s), LC_EINVAL);
	cfg.bind = "127.0.0.1";
	cfg.port = f->port; /* taken */
	assert_int_equal(lc_server_start(&cfg, &s), LC_EIO);
	cfg.bind = "::1";
	cfg.port = 0;
	if (lc_server_start(&cfg, &s) == 0) /* IPv6 may be off in a container */
		lc_server_stop(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_get_and_headers),
	    cmocka_unit_test(test_head_and_keepalive),
	    cmocka_unit_test(test_decoding_through_server),
	    cmocka_unit_test(test_body_limits),
	    cmocka_unit_test(test_static),
	    cmocka_unit_test(test_graceful_stop),
	    cmocka_unit_test(test_access_log),
	    cmocka_unit_test(test_trust_proxy),
	    cmocka_unit_test(test_bad_config),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
