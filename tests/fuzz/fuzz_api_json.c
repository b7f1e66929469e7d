/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * libFuzzer target for the JSON bodies of the API: every /api/v1 route
 * that reads one, served through the real route table, before hook and
 * handler (fuzz_site.h) against a demonstration database whose writes are
 * undone after each request. The first byte of an input chooses the route,
 * the second who sends it (administrator, coordinator of Cork, applicant,
 * anonymous; with a bearer token), the rest is the body, sent as
 * application/json. Properties: no crash, leak or undefined behaviour, a
 * known status, and every API refusal a JSON error.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fuzz_site.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The routes with a JSON body; "%d" stands for the draft or the report. */
enum id { NONE, DRAFT, REPORT };
static const struct {
	const char *method, *path;
	enum id id;
} routes[] = {
    {"POST", "/api/v1/login", NONE},
    {"POST", "/api/v1/tokens", NONE},
    {"POST", "/api/v1/index-runs", NONE},
    {"POST", "/api/v1/index-specs", NONE},
    {"POST", "/api/v1/framework/versions", NONE},
    {"PUT", "/api/v1/cities/cork/observations", NONE},
    {"POST", "/api/v1/cities/cork/years/2025/submit", NONE},
    {"POST", "/api/v1/cities/cork/years/2025/return", NONE},
    {"POST", "/api/v1/cities/cork/years/2025/approve", NONE},
    {"POST", "/api/v1/calls", NONE},
    {"PUT", "/api/v1/calls/1", NONE},
    {"POST", "/api/v1/applications", NONE},
    {"PUT", "/api/v1/applications/%lld", DRAFT},
    {"POST", "/api/v1/applications/%lld/transitions", DRAFT},
    {"POST", "/api/v1/reports", NONE},
    {"PUT", "/api/v1/reports/%lld", REPORT},
    {"POST", "/api/v1/reports/%lld/transitions", REPORT},
    {"POST", "/api/v1/cities/cork/membership/transitions", NONE},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lc_fuzz_site_init(false, false);
	if (size < 2)
		return 0;
	size_t n = sizeof routes / sizeof routes[0];
	size_t r = data[0] % n;
	enum lc_fuzz_who who = (enum lc_fuzz_who)(data[1] % LC_FUZZ_NWHO);
	char url[128];
	long long id = routes[r].id == DRAFT    ? (long long)lc_fuzz_site_draft()
	               : routes[r].id == REPORT ? (long long)lc_fuzz_site_report()
	                                        : 0;
	if (routes[r].id == NONE)
		snprintf(url, sizeof url, "%s", routes[r].path);
	else
		snprintf(url, sizeof url, routes[r].path, id);
	char auth[128];
	snprintf(auth, sizeof auth, "Bearer %s", lc_fuzz_site_token(who));
	struct lc_fuzz_request rq = {
	    .method = routes[r].method,
	    .url = url,
	    .names = {"Content-Type", "Host", "Origin", "Authorization"},
	    .values = {"application/json", "lc.example", "https://lc.example", auth},
	    .nheaders = who == LC_FUZZ_ANONYMOUS ? 3 : 4,
	    .peer = "127.0.0.1",
	    .body = data + 2,
	    .body_len = size - 2};
	lc_fuzz_site_serve(&rq);
	return 0;
}
