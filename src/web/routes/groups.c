/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The list of route groups, one line each, and their join into the one
 * table the router takes. Adding a route file means adding its line here.
 */
#include "web/routes/group.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "base/log.h"
#include "web/routes/auth.h"
#include "web/routes/site.h"

/* Every group, in the order the table lists them. */
#define LC_ROUTE_GROUPS(X)                                                                         \
	X(network)                                                                                 \
	X(city)                                                                                    \
	X(monitoring_pages)                                                                        \
	X(award)                                                                                   \
	X(award_rounds)                                                                            \
	X(award_jury)                                                                              \
	X(library)                                                                                 \
	X(library_feeds)                                                                           \
	X(library_form)                                                                            \
	X(conference)                                                                              \
	X(conference_admin)                                                                        \
	X(conference_registration)                                                                 \
	X(checkin)                                                                                 \
	X(programme)                                                                               \
	X(programme_export)                                                                        \
	X(framework)                                                                               \
	X(assets)                                                                                  \
	X(openapi)                                                                                 \
	X(login)                                                                                   \
	X(account)                                                                                 \
	X(admin)                                                                                   \
	X(monitoring_runs)                                                                         \
	X(monitoring_review)                                                                       \
	X(monitoring_api)                                                                          \
	X(monitoring_entry)                                                                        \
	X(monitoring_upload)                                                                       \
	X(monitoring_exports)                                                                      \
	X(monitoring_versions)                                                                     \
	X(signup)                                                                                  \
	X(calls)                                                                                   \
	X(applications)                                                                            \
	X(reports)                                                                                 \
	X(cohorts)                                                                                 \
	X(pipeline)                                                                                \
	X(home)

#define DECLARE(name) extern const struct lc_route_group lc_routes_##name;
#define ENTRY(name)   &lc_routes_##name,
LC_ROUTE_GROUPS(DECLARE)
static const struct lc_route_group *const groups[] = {LC_ROUTE_GROUPS(ENTRY)};
#undef DECLARE
#undef ENTRY

static struct lc_route joined[LC_LIMIT_ROUTES];
static size_t njoined;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void join(void)
{
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		/* Our own bug, found by every test that builds the router: never run short. */
		if (njoined + groups[g]->n > LC_LIMIT_ROUTES) {
			lc_log_error("route group %s: more than LC_LIMIT_ROUTES routes",
			             groups[g]->name);
			abort();
		}
		memcpy(joined + njoined, groups[g]->rows, groups[g]->n * sizeof joined[0]);
		njoined += groups[g]->n;
	}
}

const struct lc_route *lc_routes_table(size_t *n)
{
	pthread_once(&once, join);
	*n = njoined;
	return joined;
}

const struct lc_route_group *const *lc_routes_groups(size_t *n)
{
	*n = sizeof groups / sizeof groups[0];
	return groups;
}

void lc_routes_opts(struct lc_router_opts *opts)
{
	lc_site_router_opts(opts);
	opts->before = lc_auth_before;
	opts->head = lc_auth_head;
}
