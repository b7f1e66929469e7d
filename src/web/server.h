/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The HTTP server: libmicrohttpd with its internal epoll thread pool, in
 * front of a router (router.h).
 *
 * For every request it builds a struct lc_req (arena, method, raw path,
 * query pairs, headers, body up to the route's limit -- larger bodies get
 * 413 before they are read), lets the router answer, and sends the response
 * without copying its body, adding to every response:
 *   Content-Security-Policy: default-src 'self'; img-src 'self' data:;
 *     style-src 'self'; script-src 'self'; frame-ancestors 'none';
 *     base-uri 'self'; form-action 'self'
 *   X-Content-Type-Options: nosniff
 *   Referrer-Policy: strict-origin-when-cross-origin
 *   X-Frame-Options: DENY
 * (a handler may replace any of them by setting a header of the same name).
 * HEAD runs the GET handler; libmicrohttpd sends the headers (with the
 * body's Content-Length) and drops the body.
 *
 * Before any body byte is read, a request that carries a body goes through
 * the router's head hook (lc_router_head: who is calling, may they use the
 * route) and its size is checked against the route's limit; a refusal is
 * answered at once and the connection closed, so nobody uploads into memory
 * what will be refused. A chunked body is counted as it arrives.
 *
 * Slow clients: a connection has head_timeout_s to send each request's line
 * and headers, however it trickles them (counted from its opening or from
 * its previous answer); one that does not is closed. At most
 * per_address connections come from one client address at once (the trusted
 * proxy excepted); more are closed as soon as they open.
 *
 * Each request is logged after it completes -- method, path without query,
 * status, body bytes, microseconds -- at info level when access_log is set,
 * else at debug level. Cookies, Authorization and query strings are never
 * logged.
 */
#ifndef LC_SERVER_H
#define LC_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lc_req;
struct lc_router;
struct lc_server;

struct lc_server_config {
	const char *bind;         /* IPv4 or IPv6 literal; NULL: "127.0.0.1" */
	uint16_t port;            /* 0: a free port (see lc_server_port) */
	unsigned threads;         /* epoll threads; 0: the number of online CPUs */
	size_t body_limit;        /* 0: LC_LIMIT_HTTP_BODY; a route's max_body overrides */
	unsigned timeout_s;       /* idle connection timeout; 0: LC_LIMIT_HTTP_TIMEOUT_S */
	unsigned max_connections; /* 0: LC_LIMIT_HTTP_CONNECTIONS (lowered to fit the fd limit) */
	unsigned per_address;     /* connections per client address; 0: LC_LIMIT_HTTP_PER_ADDRESS */
	unsigned head_timeout_s;  /* deadline for a request's head; 0: LC_LIMIT_HTTP_HEAD_S */
	bool secure_cookies;      /* Set-Cookie gets Secure (behind TLS) */
	bool access_log;          /* access lines at info level instead of debug */
	/*
	 * The IPv4 or IPv6 address of the one proxy in front of the server
	 * (deploy/nginx.conf), or NULL. For connections from exactly that
	 * address, req->remote_addr is the right-most hop of X-Forwarded-For
	 * (all such headers, in order) that is not the proxy itself: the
	 * address the proxy saw. A hop that is not an IP address stops the
	 * walk and the proxy's own address is used, never a hop further left,
	 * which the client may have written. Any other peer's header is ignored.
	 */
	const char *trust_proxy;
	const struct lc_router *router; /* borrowed; must outlive the server */
	void *app;                      /* copied to every req->app */
};

/*
 * Starts listening and serving. Returns 0 with *out set (stop and free with
 * lc_server_stop), or LC_EIO when the address cannot be bound (logged) or
 * LC_EINVAL for a bad configuration (bind or trust_proxy not an IP address).
 * Raises the soft limit of open files as far as the connections need and
 * the hard limit allows; past that, max_connections is lowered (logged). SIGINT and SIGTERM are
 * blocked in the server's threads so that lc_server_wait_signal receives them.
 */
int lc_server_start(const struct lc_server_config *cfg, struct lc_server **out);

/* The port the server listens on (the chosen one when the configuration said 0). */
uint16_t lc_server_port(const struct lc_server *s);

/*
 * What the access handler does with a request's head once libmicrohttpd has
 * parsed it, apart from the connection (so that the fuzz targets run it
 * too): r (initialised, its headers and raw query pairs filled) gets the
 * method, the raw path url (without query), cfg's app and cookie setting,
 * its Content-Type, and the client address peer ("" when unknown), or, when
 * peer is cfg->trust_proxy, the X-Forwarded-For hop described above; then
 * the route is matched (lc_router_match). Returns the body limit: the
 * route's max_body, else cfg->body_limit, else LC_LIMIT_HTTP_BODY.
 */
size_t lc_server_head(const struct lc_server_config *cfg, struct lc_req *r, const char *method,
                      const char *url, const char *peer);

/*
 * True when r's Content-Length declares a body over limit, or cannot be read
 * (not digits, or over 64 bits): answered 413 unread.
 */
bool lc_server_declared_too_large(const struct lc_req *r, size_t limit);

/*
 * Graceful stop, then free: stops accepting connections, waits up to
 * LC_LIMIT_HTTP_DRAIN_S for requests in flight to complete, then closes
 * every connection. NULL allowed.
 */
void lc_server_stop(struct lc_server *s);

/*
 * Blocks SIGINT and SIGTERM in the calling thread, so that threads created
 * afterwards inherit the mask and lc_server_wait_signal can take them. Call
 * it first thing in `serve`, before any thread exists.
 */
void lc_server_block_signals(void);

/* Waits for SIGINT or SIGTERM (blocked by lc_server_block_signals) and returns its number. */
int lc_server_wait_signal(void);

#endif
