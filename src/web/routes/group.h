/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Route groups: each file of web/routes/ that serves routes exports one
 * object, its table of rows (static handlers, parameters declared per
 * route), with LC_ROUTE_GROUP at its end. groups.c lists the groups, one
 * line each, and joins them into the router's table: a new route file
 * adds that one line and touches no shared header or table.
 */
#ifndef LC_GROUP_H
#define LC_GROUP_H

#include <stddef.h>

#include "web/router.h"

struct lc_router_opts;

struct lc_route_group {
	const char *name;            /* the file's module: "reports" */
	const struct lc_route *rows; /* borrowed: a static table */
	size_t n;
};

/*
 * Defines the group lc_routes_<name> over the static array rows, with its
 * declaration (only groups.c refers to it).
 */
#define LC_ROUTE_GROUP(name, rows)                                                                 \
	extern const struct lc_route_group lc_routes_##name;                                       \
	const struct lc_route_group lc_routes_##name = {#name, rows, sizeof rows / sizeof rows[0]}

/*
 * Every group's rows joined, in the order of groups.c's list (static; built
 * on the first call, safe from any thread). The router's precedence
 * (literal, then {name}, then {name*}) makes the order of groups matter
 * only between equal patterns, which no two groups share.
 */
const struct lc_route *lc_routes_table(size_t *n);
/* The groups, in order (static). */
const struct lc_route_group *const *lc_routes_groups(size_t *n);
/* Router options: the error page and the before and head hooks (the caller fills in i18n). */
void lc_routes_opts(struct lc_router_opts *opts);

#endif
