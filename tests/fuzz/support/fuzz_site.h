/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The whole site in memory for fuzz targets that send requests through the
 * router as the server does: the embedded templates and catalogues, the
 * route table and its before hook, and a demonstration database (a pool of
 * one in-memory connection) with an administrator, the coordinator of Cork
 * (whose 2026 progress report is open) and an applicant holding a draft
 * application, each with a personal access token and a session.
 *
 * A request that writes to the database is undone after it is answered
 * (the prepared database is copied back), so every input meets the same
 * state and a crash replays from its input alone.
 */
#ifndef LC_FUZZ_SITE_H
#define LC_FUZZ_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Who sends a request. */
enum lc_fuzz_who {
	LC_FUZZ_ADMIN,
	LC_FUZZ_COORDINATOR, /* coordinator:cork */
	LC_FUZZ_APPLICANT,   /* owns the draft application */
	LC_FUZZ_ANONYMOUS,
	LC_FUZZ_NWHO
};

/* A request as libmicrohttpd hands it over; strings NUL-terminated, borrowed. */
struct lc_fuzz_request {
	const char *method;
	const char *url; /* path, then optionally '?' and the query as sent */
	const char *names[64], *values[64];
	size_t nheaders;
	const char *peer; /* the connection's address, e.g. "127.0.0.1" */
	const uint8_t *body;
	size_t body_len;
};

/*
 * Prepares the site on the first call (aborts when it cannot: a broken
 * fixture, not a finding). with_cache: anonymous pages go through a page
 * cache, as in `learncity serve`; trust_proxy: X-Forwarded-For is read from
 * the peer 127.0.0.1 (as `--trust-proxy 127.0.0.1`).
 */
void lc_fuzz_site_init(bool with_cache, bool trust_proxy);

/* The bearer token, session cookie value and CSRF token of who (never anonymous). */
const char *lc_fuzz_site_token(enum lc_fuzz_who who);
const char *lc_fuzz_site_session(enum lc_fuzz_who who);
const char *lc_fuzz_site_csrf(enum lc_fuzz_who who);
/* The draft application's and the Cork 2026 report's ids. */
int64_t lc_fuzz_site_draft(void);
int64_t lc_fuzz_site_report(void);

/*
 * Serves one request as the access handler does (lc_server_head, the 413 of
 * a declared or actual body over the limit, lc_router_dispatch), then undoes
 * its writes. Checks what must hold of every answer (a known status, a JSON
 * body under /api/, no header with CR or LF) and aborts otherwise. Returns
 * the status. With LC_FUZZ_TRACE set in the environment, each request is
 * printed with its status and the start of its answer (to read a crash's
 * input).
 */
int lc_fuzz_site_serve(const struct lc_fuzz_request *in);

#endif
