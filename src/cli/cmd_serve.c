/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity serve`: opens the database pool, compiles the templates and
 * catalogues, builds the router, serves until SIGTERM or SIGINT, then lets
 * requests in flight finish and closes everything cleanly.
 */
#include "cli/cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/log.h"
#include "db/db.h"
#include "web/i18n.h"
#include "web/pagecache.h"
#include "web/router.h"
#include "web/routes/routes.h"
#include "web/server.h"
#include "web/template.h"

static int parse_level(const char *s, enum lc_log_level *out)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};
	for (int i = 0; i < 4; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum lc_log_level)i;
			return 0;
		}
	}
	fprintf(stderr,
	        "learncity serve: --log-level must be debug, info, warn or error, not '%s'\n", s);
	return LC_EXIT_USAGE;
}

/* Prints the problems of a failed load and returns LC_EXIT_FAIL. */
static int report(const char *what, struct lc_diag *d)
{
	struct lc_buf b;
	lc_buf_init(&b, 1 << 16);
	lc_diag_format(d, &b);
	fprintf(stderr, "learncity serve: %s:\n%s", what, lc_buf_cstr(&b));
	lc_buf_cleanup(&b);
	return LC_EXIT_FAIL;
}

int lc_cmd_serve(int argc, char **argv)
{
	enum { DB, BIND, PORT, THREADS, LOG_LEVEL, ACCESS_LOG, SECURE, CACHE_MS, CACHE_MB, HELP };
	struct lc_cli_opt opts[] = {
	    [DB] = {"db", "learncity.db", false, false, "SQLite database file"},
	    [BIND] = {"bind", "127.0.0.1", false, false, "address to listen on"},
	    [PORT] = {"port", "8080", false, false, "TCP port (0: any free port)"},
	    [THREADS] = {"threads", "0", false, false, "HTTP worker threads (0: one per CPU)"},
	    [LOG_LEVEL] = {"log-level", "info", false, false, "debug, info, warn or error"},
	    [ACCESS_LOG] = {"access-log", NULL, true, false, "log every request at info level"},
	    [SECURE] = {"secure-cookies", NULL, true, false, "mark cookies Secure (behind TLS)"},
	    [CACHE_MS] = {"page-cache-ms", "2000", false, false,
	                  "keep anonymous pages this long at most (0: no cache)"},
	    [CACHE_MB] = {"page-cache-mb", "64", false, false, "memory for cached pages"},
	    [HELP] = {"help", NULL, true, false, "show this help"},
	    {NULL, NULL, false, false, NULL},
	};
	if (lc_cli_parse("serve", argc, argv, 1, opts, NULL, 0, NULL))
		return LC_EXIT_USAGE;
	if (opts[HELP].value) {
		printf("Usage: learncity serve [options]\n\nServes the web interface and the JSON "
		       "API until SIGTERM or SIGINT.\n\nOptions:\n");
		lc_cli_print_opts(opts);
		return LC_EXIT_OK;
	}
	long port, threads, cache_ms, cache_mb;
	enum lc_log_level level;
	if (lc_cli_opt_long("serve", "port", opts[PORT].value, 0, 65535, &port) ||
	    lc_cli_opt_long("serve", "threads", opts[THREADS].value, 0, 256, &threads) ||
	    lc_cli_opt_long("serve", "page-cache-ms", opts[CACHE_MS].value, 0, 3600000,
	                    &cache_ms) ||
	    lc_cli_opt_long("serve", "page-cache-mb", opts[CACHE_MB].value, 1, 65536, &cache_mb) ||
	    parse_level(opts[LOG_LEVEL].value, &level))
		return LC_EXIT_USAGE;
	lc_log_set_level(level);
	if (threads == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		threads = cpus > 0 ? cpus : 2;
	}

	/* Before any thread exists, so that every thread inherits the mask. */
	lc_server_block_signals();

	int rc = LC_EXIT_FAIL;
	struct lc_db_pool *pool = NULL;
	struct lc_tpl_set *templates = NULL;
	struct lc_i18n *i18n = NULL;
	struct lc_router *router = NULL;
	struct lc_server *server = NULL;
	struct lc_pagecache *cache = NULL;
	struct lc_diag d;
	lc_diag_init(&d);

	const char *path = opts[DB].value;
	int err = lc_db_pool_new(path, (size_t)threads, 0, &pool);
	if (err == LC_ENOTFOUND) {
		fprintf(stderr,
		        "learncity serve: no database at %s (create one with 'learncity init --db "
		        "%s' or 'learncity demo --db %s')\n",
		        path, path, path);
		rc = LC_EXIT_USAGE;
		goto out;
	}
	if (err) {
		fprintf(stderr, "learncity serve: cannot open %s: %s\n", path, lc_strerror(err));
		goto out;
	}
	if (lc_tpl_set_new_embedded(&templates, &d)) {
		rc = report("the templates do not compile", &d);
		goto out;
	}
	if (lc_i18n_new_embedded(&i18n, &d)) {
		rc = report("the message catalogues do not load", &d);
		goto out;
	}
	/*
	 * Writes in this process invalidate cached pages at once; the time to
	 * live bounds how long a change made by another process stays unseen.
	 */
	if (cache_ms > 0)
		cache = lc_pagecache_new((size_t)cache_mb << 20, (unsigned)cache_ms);
	struct lc_app app = {.pool = pool, .templates = templates, .i18n = i18n, .cache = cache};
	struct lc_router_opts ropts = {.i18n = i18n};
	lc_routes_opts(&ropts);
	size_t nroutes;
	const struct lc_route *table = lc_routes_table(&nroutes);
	if (lc_router_new(table, nroutes, &ropts, &router, &d)) {
		rc = report("the route table is wrong", &d);
		goto out;
	}
	struct lc_server_config cfg = {
	    .bind = opts[BIND].value,
	    .port = (uint16_t)port,
	    .threads = (unsigned)threads,
	    .secure_cookies = opts[SECURE].value != NULL,
	    .access_log = opts[ACCESS_LOG].value != NULL,
	    .router = router,
	    .app = &app,
	};
	err = lc_server_start(&cfg, &server);
	if (err) {
		fprintf(stderr, "learncity serve: cannot listen on %s port %ld: %s\n", cfg.bind,
		        port, lc_strerror(err));
		goto out;
	}
	bool v6 = strchr(cfg.bind, ':') != NULL;
	printf("learncity: listening on http://%s%s%s:%u (database %s, %ld threads)\n",
	       v6 ? "[" : "", cfg.bind, v6 ? "]" : "", lc_server_port(server), path, threads);
	fflush(stdout);
	int sig = lc_server_wait_signal();
	lc_log_info("signal %d: finishing requests in flight, then stopping", sig);
	lc_server_stop(server);
	server = NULL;
	rc = LC_EXIT_OK;
out:
	lc_server_stop(server);
	lc_router_free(router);
	lc_i18n_free(i18n);
	lc_tpl_set_free(templates);
	lc_pagecache_free(cache);
	lc_db_pool_free(pool);
	lc_diag_cleanup(&d);
	return rc;
}
