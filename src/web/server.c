/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The libmicrohttpd wrapper of server.h. It owns the daemon and, per
 * connection, an arena that each request on the connection reuses (reset
 * when the request completes), so a request costs no arena allocation in the
 * common case. It does not route or render: that is the router's work.
 *
 * libmicrohttpd calls the access handler several times per request: first
 * with the headers only, then with pieces of the body, then once more with
 * no data. We answer on the last call, never the first: answering on the
 * first call turns keep-alive off (about 10k instead of 35k requests/s). The
 * exception is a request with a body that will be refused whatever the body
 * says (the router's head hook refuses the caller, or the declared size is
 * over the route's limit): it is answered at once, and the connection
 * closed, so that the body is never read.
 *
 * Every open connection is in a list with the deadline of its request head
 * (0 while a request is being handled); a reaper thread shuts down the
 * socket of any connection past its deadline, and the connection callback
 * shuts down one from an address that already has per_address connections.
 * libmicrohttpd then sees the socket end and closes the connection itself.
 * A connection refused before its body keeps its socket open a little
 * after libmicrohttpd closes it (a duplicate descriptor the reaper drains
 * and closes), so that the client reads the refusal instead of a reset.
 */
#include "web/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/log.h"
#include "web/http.h"
#include "web/router.h"

/* How often the reaper looks for connections past their head deadline. */
#define REAP_INTERVAL_MS 250

/* An IP address as bytes, IPv4-mapped IPv6 addresses as IPv4, for comparisons. */
struct ipaddr {
	int family; /* AF_INET, AF_INET6, or 0: unknown */
	unsigned char b[16];
};

/* Per connection: the arena its requests reuse, and its place in the server's list. */
struct conn {
	struct lc_arena *arena;
	struct conn *prev, *next; /* the server's list, under its lock */
	int fd;
	struct ipaddr peer;
	atomic_llong deadline_ms; /* monotonic ms by which the next head must be in; 0: none */
	bool cut;                 /* shut down by us: once is enough */
	atomic_bool linger;       /* refused before its body: drain the socket after the answer */
};

/* A socket kept open after its connection closed, to drop what the client still sends. */
struct lingering {
	struct lingering *next;
	int fd; /* a duplicate of the connection's descriptor, ours to close */
	long long until_ms;
};

struct lc_server {
	struct MHD_Daemon *daemon;
	struct lc_server_config cfg;
	uint16_t port;
	atomic_int inflight; /* requests between their first call and completion */
	struct ipaddr proxy; /* the trusted proxy (family 0: none) */

	pthread_mutex_t lock; /* guards conns, and reaper_stop */
	pthread_cond_t wake;
	struct conn *conns;
	struct lingering *lingering;
	unsigned nlingering;
	bool reaper_stop;
	bool reaper_running;
	pthread_t reaper;
};

/* Per request, in the connection's arena. */
struct rq {
	struct conn *conn;
	struct lc_req req;
	struct lc_buf body;
	size_t limit;
	bool too_large;
	bool answered;   /* a 413 was queued on the first call */
	size_t received; /* body bytes seen, kept or not */
	int status;
	size_t bytes;
	struct timespec t0;
};

static const struct lc_header security_headers[] = {
    {"Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                "script-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
                                "form-action 'self'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "strict-origin-when-cross-origin"},
    {"X-Frame-Options", "DENY"},
};

/* Keeps percent escapes in the URL and arguments: the router decodes them segment by segment. */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The address of sa, or family 0 for anything but IPv4 and IPv6. */
static struct ipaddr ipaddr_of(const struct sockaddr *sa)
{
	struct ipaddr a;
	memset(&a, 0, sizeof a);
	if (!sa)
		return a;
	if (sa->sa_family == AF_INET) {
		a.family = AF_INET;
		memcpy(a.b, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		const struct in6_addr *v6 =
		    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(v6)) {
			a.family = AF_INET;
			memcpy(a.b, v6->s6_addr + 12, 4);
		} else {
			a.family = AF_INET6;
			memcpy(a.b, v6->s6_addr, 16);
		}
	}
	return a;
}

/* Parses an IP literal ("192.0.2.1", "2001:db8::1"); false when s is not one. */
static bool ipaddr_parse(const char *s, struct ipaddr *out)
{
	memset(out, 0, sizeof *out);
	struct in6_addr v6;
	if (inet_pton(AF_INET, s, out->b) == 1) {
		out->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, &v6) != 1)
		return false;
	if (IN6_IS_ADDR_V4MAPPED(&v6)) {
		out->family = AF_INET;
		memcpy(out->b, v6.s6_addr + 12, 4);
	} else {
		out->family = AF_INET6;
		memcpy(out->b, v6.s6_addr, 16);
	}
	return true;
}

static bool ipaddr_eq(const struct ipaddr *a, const struct ipaddr *b)
{
	return a->family && a->family == b->family &&
	       memcmp(a->b, b->b, a->family == AF_INET ? 4 : 16) == 0;
}

/*
 * Keeps the socket of fd open after libmicrohttpd closes its descriptor:
 * the answer and then the end of the stream go out, and the reaper drops
 * what the client still sends until it stops or LC_LIMIT_HTTP_LINGER_S
 * passes. Called under the lock.
 */
static void linger_add(struct lc_server *s, int fd)
{
	int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (dup_fd < 0)
		return;
	shutdown(dup_fd, SHUT_WR);
	struct lingering *l = lc_xmalloc(sizeof *l);
	l->fd = dup_fd;
	l->until_ms = now_ms() + LC_LIMIT_HTTP_LINGER_S * 1000;
	l->next = s->lingering;
	s->lingering = l;
	s->nlingering++;
}

/* Reads and drops what lingering sockets received; closes those done. Under the lock. */
static void linger_drain(struct lc_server *s, bool all)
{
	long long now = now_ms();
	for (struct lingering **p = &s->lingering; *p;) {
		struct lingering *l = *p;
		bool done = all || now >= l->until_ms;
		char sink[16384];
		for (int i = 0; !done && i < 64; i++) {
			ssize_t n = recv(l->fd, sink, sizeof sink, MSG_DONTWAIT);
			if (n > 0)
				continue;
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
				break;
			done = true; /* the client has finished, or the socket failed */
		}
		if (!done) {
			p = &l->next;
			continue;
		}
		close(l->fd);
		*p = l->next;
		s->nlingering--;
		lc_free(l);
	}
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	struct lc_server *s = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		struct conn *k = lc_xcalloc(1, sizeof *k);
		k->arena = lc_arena_new();
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		k->fd = ci ? ci->connect_fd : -1;
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		k->peer = ipaddr_of(ci ? ci->client_addr : NULL);
		atomic_init(&k->deadline_ms, now_ms() + (long long)s->cfg.head_timeout_s * 1000);
		*socket_context = k;
		unsigned same = 0;
		pthread_mutex_lock(&s->lock);
		bool counted = k->peer.family && !ipaddr_eq(&k->peer, &s->proxy);
		for (struct conn *o = s->conns; counted && o; o = o->next)
			if (ipaddr_eq(&o->peer, &k->peer) && !o->cut)
				same++;
		k->next = s->conns;
		if (s->conns)
			s->conns->prev = k;
		s->conns = k;
		if (counted && same >= s->cfg.per_address && k->fd >= 0) {
			/* No request has come yet to answer: the connection just ends. */
			k->cut = true;
			shutdown(k->fd, SHUT_RDWR);
		}
		pthread_mutex_unlock(&s->lock);
		if (k->cut)
			lc_log_debug("server: over %u connections from one address; closing one",
			             s->cfg.per_address);
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		struct conn *k = *socket_context;
		if (k) {
			/* Out of the list before libmicrohttpd closes the descriptor, so
			 * that the reaper never shuts down a number reused by another. */
			pthread_mutex_lock(&s->lock);
			if (k->prev)
				k->prev->next = k->next;
			else
				s->conns = k->next;
			if (k->next)
				k->next->prev = k->prev;
			if (atomic_load(&k->linger) && k->fd >= 0 &&
			    s->nlingering < s->cfg.max_connections)
				linger_add(s, k->fd);
			pthread_mutex_unlock(&s->lock);
			lc_arena_free(k->arena);
			lc_free(k);
			*socket_context = NULL;
		}
	}
}

/* Shuts down the connections whose request head is late; runs until lc_server_stop. */
static void *reaper_main(void *arg)
{
	struct lc_server *s = arg;
	pthread_mutex_lock(&s->lock);
	while (!s->reaper_stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += REAP_INTERVAL_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->wake, &s->lock, &until);
		long long now = now_ms();
		unsigned n = 0;
		for (struct conn *k = s->conns; k; k = k->next) {
			long long d = atomic_load(&k->deadline_ms);
			if (d && now >= d && !k->cut && k->fd >= 0) {
				k->cut = true;
				shutdown(k->fd, SHUT_RDWR);
				n++;
			}
		}
		if (n)
			lc_log_debug("server: closed %u connections whose request head was late",
			             n);
		linger_drain(s, false);
	}
	linger_drain(s, true);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

struct collect {
	struct lc_req *req;
	struct lc_header *headers;
	size_t n, max;
	struct lc_urlcodec_pair *pairs;
};

static enum MHD_Result count_value(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
	(void)kind;
	(void)key;
	(void)value;
	(*(size_t *)cls)++;
	return MHD_YES;
}

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
	(void)kind;
	struct collect *c = cls;
	if (c->n == c->max)
		return MHD_NO;
	c->headers[c->n].name = key;
	c->headers[c->n].value = value ? value : "";
	c->n++;
	return MHD_YES;
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
	(void)kind;
	struct collect *c = cls;
	if (c->n == c->max)
		return MHD_NO;
	c->pairs[c->n].name = lc_slice_cstr(key);
	c->pairs[c->n].value = value ? lc_slice_cstr(value) : lc_slice_make(NULL, 0);
	c->n++;
	return MHD_YES;
}

/*
 * The client of a request relayed by the trusted proxy: the right-most hop
 * of its X-Forwarded-For headers (taken together, in order) that is not the
 * proxy, in canonical form; the peer when there is none or that hop is not
 * an IP address. Hops further left are the client's own words.
 */
static const char *forwarded_for(const struct ipaddr *proxy, struct lc_req *r, const char *peer)
{
	for (size_t i = r->nheaders; i-- > 0;) {
		if (strcasecmp(r->headers[i].name, "X-Forwarded-For") != 0)
			continue;
		struct lc_slice rest = lc_slice_cstr(r->headers[i].value);
		while (rest.len) {
			/* The last comma-separated hop of what is left. */
			size_t k = rest.len;
			while (k && rest.ptr[k - 1] != ',')
				k--;
			struct lc_slice hop =
			    lc_slice_trim(lc_slice_make(rest.ptr + k, rest.len - k));
			rest.len = k ? k - 1 : 0;
			char text[INET6_ADDRSTRLEN + 1];
			struct ipaddr a;
			if (hop.len == 0 || hop.len >= sizeof text)
				return peer;
			memcpy(text, hop.ptr, hop.len);
			text[hop.len] = '\0';
			if (!ipaddr_parse(text, &a))
				return peer;
			if (ipaddr_eq(&a, proxy))
				continue;
			char out[INET6_ADDRSTRLEN] = "";
			inet_ntop(a.family, a.b, out, sizeof out);
			return lc_arena_strdup(r->arena, out);
		}
	}
	return peer;
}

size_t lc_server_head(const struct lc_server_config *cfg, struct lc_req *r, const char *method,
                      const char *url, const char *peer)
{
	struct lc_arena *a = r->arena;
	r->method = lc_http_method_parse(method);
	r->is_head = strcmp(method, "HEAD") == 0;
	r->method_name = lc_arena_strdup(a, method);
	/* A copy: the access log reads it after libmicrohttpd has finished with the request. */
	r->raw_path = lc_arena_strdup(a, url);
	r->app = cfg->app;
	r->secure_cookies = cfg->secure_cookies;
	r->content_type = lc_req_header(r, "Content-Type");
	r->remote_addr = peer;
	struct ipaddr proxy, from;
	if (cfg->trust_proxy && ipaddr_parse(cfg->trust_proxy, &proxy) &&
	    ipaddr_parse(peer, &from) && ipaddr_eq(&from, &proxy))
		r->remote_addr = forwarded_for(&proxy, r, peer);
	const struct lc_route *route = lc_router_match(cfg->router, r);
	size_t limit = cfg->body_limit ? cfg->body_limit : LC_LIMIT_HTTP_BODY;
	return route && route->max_body ? route->max_body : limit;
}

static const char *remote_addr(struct lc_arena *a, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return "";
	char tmp[INET6_ADDRSTRLEN] = "";
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, tmp,
		          sizeof tmp);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		          tmp, sizeof tmp);
	return lc_arena_strdup(a, tmp);
}

static struct rq *begin(struct lc_server *s, struct MHD_Connection *c, const char *url,
                        const char *method)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn *k = ci ? ci->socket_context : NULL;
	if (!k)
		return NULL;
	struct lc_arena *a = k->arena;
	struct rq *q = lc_arena_alloc(a, sizeof *q);
	q->conn = k;
	/* The head is in: no deadline while the request is handled. */
	atomic_store(&k->deadline_ms, 0);
	clock_gettime(CLOCK_MONOTONIC, &q->t0);
	lc_req_init(&q->req, a);
	struct lc_req *r = &q->req;

	size_t nh = 0, nq = 0;
	MHD_get_connection_values(c, MHD_HEADER_KIND, count_value, &nh);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, count_value, &nq);
	struct collect col = {r, NULL, 0, nh, NULL};
	col.headers = lc_arena_alloc(a, (nh ? nh : 1) * sizeof *col.headers);
	MHD_get_connection_values(c, MHD_HEADER_KIND, add_header, &col);
	r->headers = col.headers;
	r->nheaders = col.n;
	/* Keep one pair more than allowed, so that the router can tell "too many". */
	size_t maxq = nq < LC_LIMIT_HTTP_PARAMS + 1 ? nq : LC_LIMIT_HTTP_PARAMS + 1;
	struct collect qc = {r, NULL, 0, maxq, NULL};
	qc.pairs = lc_arena_alloc(a, (maxq ? maxq : 1) * sizeof *qc.pairs);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, &qc);
	r->query = qc.pairs;
	r->nquery = qc.n;
	q->limit = lc_server_head(&s->cfg, r, method, url, remote_addr(a, c));
	lc_buf_init(&q->body, q->limit);
	q->too_large = false;
	q->answered = false;
	q->received = 0;
	q->status = 0;
	q->bytes = 0;
	return q;
}

static bool has_header(const struct lc_resp *resp, const char *name)
{
	for (size_t i = 0; i < resp->nheaders; i++)
		if (strcasecmp(resp->headers[i].name, name) == 0)
			return true;
	return false;
}

static enum MHD_Result send_resp(struct MHD_Connection *c, struct rq *q, struct lc_resp *resp)
{
	struct MHD_Response *m;
	size_t len;
	if (resp->static_body) {
		len = resp->static_len;
		m = MHD_create_response_from_buffer(len, (void *)(uintptr_t)resp->static_body,
		                                    MHD_RESPMEM_PERSISTENT);
	} else {
		/* The body goes to libmicrohttpd as it is; it frees it after sending. */
		char *data = lc_buf_steal(&resp->body, &len);
		if (len == 0) {
			lc_free(data);
			m = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		} else {
			m = MHD_create_response_from_buffer_with_free_callback(len, data, lc_free);
			if (!m)
				lc_free(data);
		}
	}
	if (!m)
		return MHD_NO;
	if (resp->status != 204 && resp->status != 304 && resp->content_type)
		MHD_add_response_header(m, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
	for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
		if (!has_header(resp, security_headers[i].name))
			MHD_add_response_header(m, security_headers[i].name,
			                        security_headers[i].value);
	for (size_t i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(m, resp->headers[i].name, resp->headers[i].value);
	q->status = resp->status;
	q->bytes = len;
	enum MHD_Result rc = MHD_queue_response(c, (unsigned)resp->status, m);
	MHD_destroy_response(m);
	return rc;
}

static enum MHD_Result answer_413(struct lc_server *s, struct MHD_Connection *c, struct rq *q)
{
	struct lc_resp resp;
	lc_resp_init(&resp, &q->req);
	q->req.error_page = lc_router_opts(s->cfg.router)->error_page;
	lc_resp_error(&resp, 413, "The request body is larger than %zu bytes.", q->limit);
	/* The unread body makes the connection unusable: say so. */
	lc_resp_header(&resp, "Connection", "close");
	enum MHD_Result rc = send_resp(c, q, &resp);
	lc_resp_cleanup(&resp);
	return rc;
}

/*
 * The declared Content-Length: 0 with *n set, 1 when the header is absent,
 * -1 when it is not a plain decimal number that fits 64 bits (such a size
 * can only be refused: libmicrohttpd may still take some as sizes).
 */
static int content_length(const struct lc_req *r, unsigned long long *n)
{
	const char *cl = lc_req_header(r, "Content-Length");
	*n = 0;
	if (!cl)
		return 1;
	if (!*cl)
		return -1;
	for (const char *p = cl; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		unsigned d = (unsigned)(*p - '0');
		if (*n > (~0ull - d) / 10)
			return -1;
		*n = *n * 10 + d;
	}
	return 0;
}

bool lc_server_declared_too_large(const struct lc_req *r, size_t limit)
{
	unsigned long long n;
	int cl = content_length(r, &n);
	return cl < 0 || (cl == 0 && n > limit);
}

/*
 * The first call, for a request that carries a body: refuses it from its
 * head when the router's head hook refuses the caller, or with 413 when the
 * declared size is over the limit. MHD_YES with q->answered set when it has
 * answered; the connection is then closed.
 */
static enum MHD_Result check_head(struct lc_server *s, struct MHD_Connection *c, struct rq *q)
{
	unsigned long long n;
	int cl = content_length(&q->req, &n);
	bool chunked = lc_req_header(&q->req, "Transfer-Encoding") != NULL;
	if (cl == 1 && !chunked)
		return MHD_YES;
	if (cl == 0 && n == 0 && !chunked)
		return MHD_YES;
	struct lc_resp resp;
	lc_resp_init(&resp, &q->req);
	enum MHD_Result rc = MHD_YES;
	if (lc_router_head(s->cfg.router, &q->req, &resp) > 0) {
		q->answered = true;
		atomic_store(&q->conn->linger, true);
		lc_resp_header(&resp, "Connection", "close");
		rc = send_resp(c, q, &resp);
	}
	lc_resp_cleanup(&resp);
	if (q->answered)
		return rc;
	if (lc_server_declared_too_large(&q->req, q->limit)) {
		q->too_large = true;
		q->answered = true;
		atomic_store(&q->conn->linger, true);
		return answer_413(s, c, q);
	}
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
	(void)version;
	struct lc_server *s = cls;
	struct rq *q = *con_cls;
	if (!q) {
		q = begin(s, c, url, method);
		if (!q)
			return MHD_NO;
		*con_cls = q;
		atomic_fetch_add(&s->inflight, 1);
		/* See the file comment: answer later, unless the body is refused unread. */
		return check_head(s, c, q);
	}
	if (q->answered) {
		*upload_size = 0; /* the 413 is on its way; nothing more to read */
		return MHD_YES;
	}
	if (*upload_size) {
		/* A body without Content-Length (chunked) that outgrows the limit is
		 * drained and answered 413 at its end: libmicrohttpd cannot answer in
		 * the middle of an upload. Draining stops, and the connection with it,
		 * past LC_LIMIT_HTTP_UPLOAD. */
		q->received += *upload_size;
		if (!q->too_large) {
			lc_buf_append(&q->body, upload_data, *upload_size);
			if (lc_buf_error(&q->body))
				q->too_large = true;
		}
		*upload_size = 0;
		if (q->too_large && q->received > LC_LIMIT_HTTP_UPLOAD)
			return MHD_NO;
		return MHD_YES;
	}
	if (q->too_large)
		return answer_413(s, c, q);
	q->req.body = q->body.data ? q->body.data : "";
	q->req.body_len = q->body.len;
	struct lc_resp resp;
	lc_resp_init(&resp, &q->req);
	lc_router_dispatch(s->cfg.router, &q->req, &resp);
	enum MHD_Result rc = send_resp(c, q, &resp);
	lc_resp_cleanup(&resp);
	return rc;
}

/*
 * Copies a raw path for a log line: bytes outside printable ASCII become
 * \xHH so that a request cannot write terminal escapes or fake lines into
 * the log; long paths are cut with "...".
 */
static void log_safe(char *out, size_t size, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool plain = c >= 0x21 && c < 0x7f && c != '\\';
		if (n + (plain ? 1 : 4) + 4 > size) {
			memcpy(out + n, "...", 3);
			n += 3;
			break;
		}
		if (plain) {
			out[n++] = (char)c;
		} else {
			out[n++] = '\\';
			out[n++] = 'x';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		}
	}
	out[n] = '\0';
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)c;
	struct lc_server *s = cls;
	struct rq *q = *con_cls;
	if (!q)
		return;
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long us = (t1.tv_sec - q->t0.tv_sec) * 1000000L + (t1.tv_nsec - q->t0.tv_nsec) / 1000L;
	/* Never the query string, cookies or Authorization: they may hold secrets. */
	char path[256];
	log_safe(path, sizeof path, q->req.raw_path);
	lc_log(s->cfg.access_log ? LC_LOG_INFO : LC_LOG_DEBUG, "http %s %s %d %zu %ldus%s",
	       q->req.method_name, path, q->status, q->bytes, us,
	       toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	lc_buf_cleanup(&q->body);
	*con_cls = NULL;
	/* The next request on a kept-alive connection gets a fresh head deadline. */
	atomic_store(&q->conn->deadline_ms, now_ms() + (long long)s->cfg.head_timeout_s * 1000);
	struct lc_arena *a = q->req.arena;
	lc_arena_reset(a); /* q lived there */
	atomic_fetch_sub(&s->inflight, 1);
}

static void sigmask_server(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

void lc_server_block_signals(void)
{
	sigmask_server(NULL);
}

int lc_server_wait_signal(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	int sig = 0;
	while (sigwait(&set, &sig) != 0)
		;
	return sig;
}

/*
 * Every connection is a descriptor: raises the soft limit of open files
 * towards what max_connections needs, and lowers max_connections to what
 * the hard limit allows.
 */
static void fit_fd_limit(struct lc_server *s)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	rlim_t want =
	    (rlim_t)s->cfg.max_connections + LC_LIMIT_HTTP_FD_RESERVE + 4 * (rlim_t)s->cfg.threads;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rl.rlim_cur =
		    rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want ? want : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return;
	rlim_t room = rl.rlim_cur > LC_LIMIT_HTTP_FD_RESERVE + 4 * (rlim_t)s->cfg.threads + 16
	                  ? rl.rlim_cur - LC_LIMIT_HTTP_FD_RESERVE - 4 * (rlim_t)s->cfg.threads
	                  : 16;
	lc_log_warn("server: the open-file limit (%llu) allows %llu connections, not %u",
	            (unsigned long long)rl.rlim_cur, (unsigned long long)room,
	            s->cfg.max_connections);
	s->cfg.max_connections = (unsigned)room;
}

int lc_server_start(const struct lc_server_config *cfg, struct lc_server **out)
{
	*out = NULL;
	if (!cfg->router)
		return LC_EINVAL;
	struct lc_server *s = lc_xcalloc(1, sizeof *s);
	s->cfg = *cfg;
	if (!s->cfg.bind)
		s->cfg.bind = "127.0.0.1";
	if (!s->cfg.threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		s->cfg.threads = n > 0 ? (unsigned)n : 1;
	}
	if (!s->cfg.body_limit)
		s->cfg.body_limit = LC_LIMIT_HTTP_BODY;
	if (!s->cfg.timeout_s)
		s->cfg.timeout_s = LC_LIMIT_HTTP_TIMEOUT_S;
	if (!s->cfg.max_connections)
		s->cfg.max_connections = LC_LIMIT_HTTP_CONNECTIONS;
	if (!s->cfg.per_address)
		s->cfg.per_address = LC_LIMIT_HTTP_PER_ADDRESS;
	if (!s->cfg.head_timeout_s)
		s->cfg.head_timeout_s = LC_LIMIT_HTTP_HEAD_S;
	atomic_init(&s->inflight, 0);
	if (s->cfg.trust_proxy && !ipaddr_parse(s->cfg.trust_proxy, &s->proxy)) {
		lc_log_error("server: trusted proxy \"%s\" is not an IP address",
		             s->cfg.trust_proxy);
		lc_free(s);
		return LC_EINVAL;
	}
	fit_fd_limit(s);

	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
	const struct sockaddr *sa;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_TURBO;
	memset(&v4, 0, sizeof v4);
	memset(&v6, 0, sizeof v6);
	if (inet_pton(AF_INET, s->cfg.bind, &v4.sin_addr) == 1) {
		v4.sin_family = AF_INET;
		v4.sin_port = htons(s->cfg.port);
		sa = (const struct sockaddr *)&v4;
	} else if (inet_pton(AF_INET6, s->cfg.bind, &v6.sin6_addr) == 1) {
		v6.sin6_family = AF_INET6;
		v6.sin6_port = htons(s->cfg.port);
		sa = (const struct sockaddr *)&v6;
		flags |= MHD_USE_IPv6;
	} else {
		lc_log_error("server: bind address \"%s\" is not an IP address", s->cfg.bind);
		lc_free(s);
		return LC_EINVAL;
	}

	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	/* The server's threads inherit this mask: signals go to the thread that waits for them. */
	sigset_t old;
	sigmask_server(&old);
	s->daemon = MHD_start_daemon(
	    flags, s->cfg.port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, sa,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->cfg.threads, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)s->cfg.timeout_s, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)s->cfg.max_connections, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_UNESCAPE_CALLBACK,
	    no_unescape, s, MHD_OPTION_END);
	if (s->daemon && pthread_create(&s->reaper, NULL, reaper_main, s) == 0)
		s->reaper_running = true;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!s->daemon || !s->reaper_running) {
		lc_log_error("server: cannot listen on %s port %u", s->cfg.bind,
		             (unsigned)s->cfg.port);
		if (s->daemon)
			MHD_stop_daemon(s->daemon);
		pthread_cond_destroy(&s->wake);
		pthread_mutex_destroy(&s->lock);
		lc_free(s);
		return LC_EIO;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : s->cfg.port;
	*out = s;
	return 0;
}

uint16_t lc_server_port(const struct lc_server *s)
{
	return s->port;
}

void lc_server_stop(struct lc_server *s)
{
	if (!s)
		return;
	MHD_socket fd = MHD_quiesce_daemon(s->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	/* Let requests in flight finish; idle keep-alive connections are closed below. */
	struct timespec step = {0, 10 * 1000 * 1000};
	for (int i = 0; i < LC_LIMIT_HTTP_DRAIN_S * 100 && atomic_load(&s->inflight) > 0; i++)
		nanosleep(&step, NULL);
	if (atomic_load(&s->inflight) > 0)
		lc_log_warn("server: stopping with %d requests still in flight",
		            atomic_load(&s->inflight));
	pthread_mutex_lock(&s->lock);
	s->reaper_stop = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->reaper, NULL);
	MHD_stop_daemon(s->daemon);
	/* Connections closed by the stop may have left sockets to drain: close them now. */
	linger_drain(s, true);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	lc_free(s);
}
