/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * GET /api/v1/openapi.json: the description of the JSON API (OpenAPI 3.1).
 * Its source is docs/openapi.yaml; the build converts it to JSON and embeds
 * it as "docs/openapi.json" (CMakeLists.txt, scripts/openapi-json.py), so
 * the binary serves the description of exactly the routes it has, and
 * test_openapi checks the two against each other. Public: the bytes are the
 * binary's own and the same for everyone; answered like a static file, with
 * an ETag that a client revalidates (304) instead of fetching it again.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"

#include <pthread.h>

#include "base/embedded.h"
#include "base/error.h"
#include "web/static.h"

#define SPEC_NAME "docs/openapi.json"

static const struct lc_embedded_file *spec;
static char etag[LC_STATIC_ETAG_BYTES];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Finds the embedded description and hashes it, once per process. */
static void find_spec(void)
{
	spec = lc_embedded_find(SPEC_NAME);
	if (spec)
		lc_static_make_etag(spec->data, spec->len, etag, sizeof etag);
}

static int route_api_openapi(struct lc_req *req, struct lc_resp *resp)
{
	pthread_once(&once, find_spec);
	if (!spec)
		return LC_ENOTFOUND;
	/* no-cache: a cache may keep it but asks again, so an upgraded server's is seen at once. */
	lc_static_send(req, resp, spec, etag, "public, no-cache");
	return 0;
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/api/v1/openapi.json", route_api_openapi, NULL, 0, 0, NULL},
};

#undef A

LC_ROUTE_GROUP(openapi, rows);
