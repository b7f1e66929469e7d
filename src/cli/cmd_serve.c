/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity serve`: opens the database pool, compiles the templates and
 * catalogues, builds the router, serves until SIGTERM or SIGINT, then lets
 * requests in flight finish and closes everything cleanly. A background
 * thread delivers the outbox by SMTP every --outbox-interval seconds when
 * SMTP is configured (--smtp/--mail-from, or the smtp.* settings) and purges
 * expired sessions and old login failures; with --backup-dir another takes
 * a backup every --backup-every and keeps the newest --keep. Both stop with
 * the server.
 * `serve --routes` prints the route table with its access rules as JSON and
 * exits (the permission-matrix test reads it).
 */
#include "cli/cli.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/catalogue.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/slice.h"
#include "db/backup.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/platform/job.h"
#include "domain/platform/clock.h"
#include "domain/platform/outbox.h"
#include "mail/mail.h"
#include "mail/smtp.h"
#include "domain/home/digest.h"
#include "domain/workflow/processes.h"
#include "formats/letter_pdf.h"
#include "domain/workflow/workflow.h"
#include "domain/monitoring/score.h"
#include "domain/accounts/session.h"
#include "domain/accounts/throttle.h"
#include "web/http.h"
#include "web/i18n.h"
#include "web/pagecache.h"
#include "web/router.h"
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/server.h"
#include "text/template.h"

/* The default of an option from a limit, which is a plain number. */
#define STR_(x) #x
#define STR(x)  STR_(x)

/* True for an IPv4 or IPv6 address literal. */
static bool is_ip(const char *s)
{
	struct in6_addr a;
	return inet_pton(AF_INET, s, &a) == 1 || inet_pton(AF_INET6, s, &a) == 1;
}

static int parse_level(const char *s, enum lc_log_level *out)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};
	long i = lc_str_index(names, 4, s);
	if (i >= 0) {
		*out = (enum lc_log_level)i;
		return 0;
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

/* Prints the route table: one JSON object per route with its methods, pattern and rules. */
static int print_routes(void)
{
	size_t n;
	const struct lc_route *table = lc_routes_table(&n);
	json_t *all = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *methods = json_array();
		for (unsigned bit = 1; bit <= LC_HTTP_OPTIONS; bit <<= 1)
			if (table[i].methods & bit)
				json_array_append_new(methods, json_string(lc_http_method_name(
				                                   (enum lc_http_method)bit)));
		int action = lc_route_action(table[i].flags);
		const char *aname =
		    action >= 0 ? lc_authz_action_name((enum lc_action)action) : NULL;
		json_array_append_new(all, json_pack("{s:o,s:s,s:b,s:s?}", "methods", methods,
		                                     "pattern", table[i].pattern, "login",
		                                     (table[i].flags & LC_ROUTE_LOGIN) != 0,
		                                     "action", aname));
	}
	int rc = json_dumpf(all, stdout, JSON_INDENT(1)) == 0 ? LC_EXIT_OK : LC_EXIT_FAIL;
	putchar('\n');
	json_decref(all);
	return rc;
}

/*
 * A background thread that runs pass(arg) again and again, waiting between
 * two passes the seconds the pass returns, until the server stops. The
 * outbox and the scheduled backups each have one.
 */
struct ticker {
	long (*pass)(void *arg);
	void *arg;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
	bool running;
	pthread_t thread;
};

/* The background delivery of the outbox and the housekeeping of sessions and failures. */
struct mailer {
	struct lc_db_pool *pool;
	const char *smtp_url, *mail_from; /* from the command line, or NULL: the settings */
	long interval_s;
};

/* One pass: purge, then deliver what is due when SMTP is configured. */
static long mailer_pass(void *arg)
{
	struct mailer *m = arg;
	struct lc_db *db = NULL;
	if (lc_db_pool_acquire(m->pool, &db))
		return m->interval_s;
	lc_session_purge(db);
	lc_throttle_purge(db);
	/* The workflows' reminders and deadline steps first, so their e-mails go in this pass. */
	size_t nprocs;
	const struct lc_wf_process *const *procs = lc_processes(&nprocs);
	struct lc_wf_tick_report wrep = {0};
	int werr = lc_wf_tick(db, procs, nprocs, lc_clock_now(), &wrep);
	if (werr)
		lc_log_warn("workflow clock: %s", lc_strerror(werr));
	else if (wrep.reminders || wrep.moved || wrep.failed)
		lc_log_info("workflow clock: %ld reminders, %ld steps, %ld refused", wrep.reminders,
		            wrep.moved, wrep.failed);
	/* The weekly summaries of what waits on people who chose them (domain/home/digest.h). */
	long digests = 0;
	int derr = lc_digest_tick(db, procs, nprocs, lc_clock_now(), &digests);
	if (derr)
		lc_log_warn("weekly summaries: %s", lc_strerror(derr));
	else if (digests)
		lc_log_info("weekly summaries: %ld queued", digests);
	char storage[2048];
	struct lc_smtp_config cfg = {0};
	int err = 0;
	if (m->smtp_url) {
		cfg.url = m->smtp_url;
		cfg.from = m->mail_from;
	} else {
		err = lc_outbox_config_load(db, &cfg, storage, sizeof storage);
	}
	if (!err) {
		struct lc_outbox_report rep = {0};
		err = lc_outbox_deliver(db, &cfg, 0, &rep);
		if (err)
			lc_log_warn("outbox delivery: %s", lc_strerror(err));
		else if (rep.sent || rep.failed)
			lc_log_info("outbox: %d sent, %d failed, %d waiting", rep.sent, rep.failed,
			            rep.queued);
	} else if (err != LC_ENOTFOUND) {
		lc_log_warn("outbox: cannot read the SMTP settings: %s", lc_strerror(err));
	}
	memset(storage, 0, sizeof storage);
	lc_db_pool_release(m->pool, db);
	return m->interval_s;
}

/*
 * The scheduled backups (--backup-dir): the first is due at start when the
 * folder's newest backup is older than the interval (or there is none), so
 * that restarting the server does not postpone them; then one every
 * interval, the newest keep kept.
 */
struct backups {
	const char *db_path, *dir;
	long every_s, keep;
	int64_t due; /* Unix time of the next backup; 0 until the folder is read */
};

static long backups_pass(void *arg)
{
	struct backups *b = arg;
	int64_t now = lc_clock_now();
	if (b->due == 0) {
		int64_t newest = 0;
		int err = lc_backup_newest(b->dir, &newest);
		if (err)
			lc_log_warn("backup: cannot read %s: %s", b->dir, lc_strerror(err));
		b->due = newest > 0 ? newest + b->every_s : now;
	}
	if (now < b->due)
		return (long)(b->due - now);
	char written[LC_LIMIT_PATH_BYTES];
	size_t removed = 0;
	struct lc_diag d;
	lc_diag_init(&d);
	int err =
	    lc_backup_take(b->db_path, b->dir, now, b->keep, written, sizeof written, &removed, &d);
	if (err) {
		struct lc_buf msg;
		lc_buf_init(&msg, 1 << 16);
		lc_diag_format(&d, &msg);
		lc_log_error("backup: failed (%s), trying again in %d s: %s", lc_strerror(err),
		             LC_LIMIT_BACKUP_RETRY_S, lc_buf_cstr(&msg));
		lc_buf_cleanup(&msg);
		b->due = now + (b->every_s < LC_LIMIT_BACKUP_RETRY_S ? b->every_s
		                                                     : LC_LIMIT_BACKUP_RETRY_S);
	} else {
		lc_log_info("backup: wrote %s; removed %zu older", written, removed);
		b->due = now + b->every_s;
	}
	lc_diag_cleanup(&d);
	int64_t wait = b->due - lc_clock_now();
	return wait > 0 ? (long)wait : 1;
}

static void *ticker_main(void *arg)
{
	struct ticker *t = arg;
	pthread_mutex_lock(&t->lock);
	while (!t->stop) {
		pthread_mutex_unlock(&t->lock);
		long wait_s = t->pass(t->arg);
		/* Whatever the HTTP threads freed since the last pass goes back to the system. */
		lc_alloc_release();
		pthread_mutex_lock(&t->lock);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += wait_s > 0 ? wait_s : 1;
		while (!t->stop) {
			if (pthread_cond_timedwait(&t->wake, &t->lock, &until) == ETIMEDOUT)
				break;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

static int ticker_start(struct ticker *t, long (*pass)(void *), void *arg)
{
	t->pass = pass;
	t->arg = arg;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->wake, NULL);
	if (pthread_create(&t->thread, NULL, ticker_main, t) != 0) {
		pthread_cond_destroy(&t->wake);
		pthread_mutex_destroy(&t->lock);
		return LC_EINTERNAL;
	}
	t->running = true;
	return 0;
}

/* Wakes the thread, lets a pass in progress finish, joins it. */
static void ticker_stop(struct ticker *t)
{
	if (!t->running)
		return;
	pthread_mutex_lock(&t->lock);
	t->stop = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->wake);
	pthread_mutex_destroy(&t->lock);
	t->running = false;
}

int lc_cmd_serve(int argc, char **argv)
{
	enum {
		DB,
		BIND,
		PORT,
		THREADS,
		LOG_LEVEL,
		ACCESS_LOG,
		SECURE,
		HELP,
		BASE_URL,
		SMTP,
		MAIL_FROM,
		OUTBOX_INTERVAL,
		TRUST_PROXY,
		ROUTES,
		CACHE_MS,
		CACHE_MB,
		DB_CACHE,
		MAX_CONNS,
		PER_ADDRESS,
		HEAD_TIMEOUT,
		BACKUP_DIR,
		BACKUP_EVERY,
		KEEP
	};
	struct lc_cli_opt opts[] = {
	    [DB] = {"db", "learncity.db", false, false, "SQLite database file"},
	    [BIND] = {"bind", "127.0.0.1", false, false, "address to listen on"},
	    [PORT] = {"port", "8080", false, false, "TCP port (0: any free port)"},
	    [THREADS] = {"threads", "0", false, false, "HTTP worker threads (0: one per CPU)"},
	    [LOG_LEVEL] = {"log-level", "info", false, false, "debug, info, warn or error"},
	    [ACCESS_LOG] = {"access-log", NULL, true, false, "log every request at info level"},
	    [SECURE] = {"secure-cookies", NULL, true, false, "mark cookies Secure (behind TLS)"},
	    [HELP] = {"help", NULL, true, false, "show this help"},
	    [BASE_URL] = {"base-url", NULL, false, false,
	                  "public address for links in e-mail (default http://BIND:PORT)"},
	    [SMTP] = {"smtp", NULL, false, false, "SMTP server for the outbox, smtp://host:port"},
	    [MAIL_FROM] = {"mail-from", NULL, false, false,
	                   "sender address of e-mail (with --smtp)"},
	    [OUTBOX_INTERVAL] = {"outbox-interval", "30", false, false,
	                         "seconds between outbox deliveries"},
	    [TRUST_PROXY] = {"trust-proxy", NULL, false, false,
	                     "address of the proxy in front (e.g. 127.0.0.1 for nginx): client "
	                     "addresses of its requests come from X-Forwarded-For"},
	    [ROUTES] = {"routes", NULL, true, false, "print the route table as JSON and exit"},
	    [CACHE_MS] = {"page-cache-ms", "2000", false, false,
	                  "keep anonymous pages this long at most (0: no cache)"},
	    [CACHE_MB] = {"page-cache-mb", "64", false, false, "memory for cached pages"},
	    [DB_CACHE] = {"db-cache-kib", STR(LC_DB_CACHE_KIB), false, false,
	                  "SQLite's page cache per database connection (threads + 2 of them)"},
	    [MAX_CONNS] = {"max-connections", STR(LC_LIMIT_HTTP_CONNECTIONS), false, false,
	                   "concurrent connections"},
	    [PER_ADDRESS] = {"per-address", STR(LC_LIMIT_HTTP_PER_ADDRESS), false, false,
	                     "concurrent connections from one client address (not the proxy)"},
	    [HEAD_TIMEOUT] = {"head-timeout", STR(LC_LIMIT_HTTP_HEAD_S), false, false,
	                      "seconds a client has to send a request's line and headers"},
	    [BACKUP_DIR] = {"backup-dir", NULL, false, false,
	                    "take scheduled backups into this folder"},
	    [BACKUP_EVERY] = {"backup-every", NULL, false, false,
	                      "time between backups: 30m, 24h, 7d (default 24h)"},
	    [KEEP] = {"keep", NULL, false, false, "backups kept in --backup-dir (default 14)"},
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
	if (opts[ROUTES].value)
		return print_routes();
	long port, threads, interval, cache_ms, cache_mb, db_cache, max_conns, per_address,
	    head_timeout;
	enum lc_log_level level;
	if (lc_cli_opt_long("serve", "port", opts[PORT].value, 0, 65535, &port) ||
	    lc_cli_opt_long("serve", "threads", opts[THREADS].value, 0, 256, &threads) ||
	    lc_cli_opt_long("serve", "outbox-interval", opts[OUTBOX_INTERVAL].value, 1, 86400,
	                    &interval) ||
	    lc_cli_opt_long("serve", "page-cache-ms", opts[CACHE_MS].value, 0, 3600000,
	                    &cache_ms) ||
	    lc_cli_opt_long("serve", "page-cache-mb", opts[CACHE_MB].value, 1, 65536, &cache_mb) ||
	    lc_cli_opt_long("serve", "db-cache-kib", opts[DB_CACHE].value, 64,
	                    LC_LIMIT_DB_CACHE_KIB, &db_cache) ||
	    lc_cli_opt_long("serve", "max-connections", opts[MAX_CONNS].value, 16, 1000000,
	                    &max_conns) ||
	    lc_cli_opt_long("serve", "per-address", opts[PER_ADDRESS].value, 1, 1000000,
	                    &per_address) ||
	    lc_cli_opt_long("serve", "head-timeout", opts[HEAD_TIMEOUT].value, 1, 3600,
	                    &head_timeout) ||
	    parse_level(opts[LOG_LEVEL].value, &level))
		return LC_EXIT_USAGE;
	long backup_every = 86400, keep = 14;
	if ((opts[BACKUP_EVERY].value &&
	     lc_cli_opt_duration("serve", "backup-every", opts[BACKUP_EVERY].value,
	                         LC_LIMIT_BACKUP_EVERY_MIN_S, LC_LIMIT_BACKUP_EVERY_MAX_S,
	                         &backup_every)) ||
	    (opts[KEEP].value &&
	     lc_cli_opt_long("serve", "keep", opts[KEEP].value, 1, LC_LIMIT_BACKUP_KEEP, &keep)))
		return LC_EXIT_USAGE;
	if (!opts[BACKUP_DIR].value && (opts[BACKUP_EVERY].value || opts[KEEP].value)) {
		fprintf(stderr,
		        "learncity serve: --backup-every and --keep go with --backup-dir\n");
		return LC_EXIT_USAGE;
	}
	if (opts[BACKUP_DIR].value) {
		struct stat sb;
		const char *dir = opts[BACKUP_DIR].value;
		if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode) || access(dir, W_OK | X_OK) != 0) {
			fprintf(stderr,
			        "learncity serve: --backup-dir %s is not a folder this user may "
			        "write to\n",
			        dir);
			return LC_EXIT_USAGE;
		}
	}
	lc_log_set_level(level);
	if ((opts[SMTP].value == NULL) != (opts[MAIL_FROM].value == NULL)) {
		fprintf(stderr, "learncity serve: --smtp and --mail-from go together\n");
		return LC_EXIT_USAGE;
	}
	if (opts[BASE_URL].value && strncmp(opts[BASE_URL].value, "http://", 7) != 0 &&
	    strncmp(opts[BASE_URL].value, "https://", 8) != 0) {
		fprintf(stderr,
		        "learncity serve: --base-url must start with http:// or https://\n");
		return LC_EXIT_USAGE;
	}
	if (opts[TRUST_PROXY].value && !is_ip(opts[TRUST_PROXY].value)) {
		fprintf(stderr,
		        "learncity serve: --trust-proxy must be the proxy's IP address (such as "
		        "127.0.0.1), not '%s'\n",
		        opts[TRUST_PROXY].value);
		return LC_EXIT_USAGE;
	}
	if (threads == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		threads = cpus > 0 ? cpus : 2;
	}
	/* One arena per HTTP thread and one for the background threads (tickers, jobs). */
	lc_alloc_server_policy((int)threads + 1);

	/* Before any thread exists, so that every thread inherits the mask. */
	lc_server_block_signals();

	int rc = LC_EXIT_FAIL;
	struct lc_db_pool *pool = NULL;
	struct lc_tpl_set *templates = NULL;
	struct lc_catalogue *i18n = NULL;
	struct lc_router *router = NULL;
	struct lc_server *server = NULL;
	struct lc_pagecache *cache = NULL;
	struct lc_jobs *jobs = NULL;
	struct mailer mailer = {.smtp_url = opts[SMTP].value,
	                        .mail_from = opts[MAIL_FROM].value,
	                        .interval_s = interval};
	struct backups backups = {.db_path = opts[DB].value,
	                          .dir = opts[BACKUP_DIR].value,
	                          .every_s = backup_every,
	                          .keep = keep};
	struct ticker mail_ticker = {0}, backup_ticker = {0};
	char base_url[512] = "";
	struct lc_diag d;
	lc_diag_init(&d);

	const char *path = opts[DB].value;
	/*
	 * One connection per HTTP thread, plus the outbox thread's and the job
	 * worker's, which holds one for the whole of a job: a long index run
	 * never makes page views wait for a connection.
	 */
	int err = lc_db_pool_new(path, (size_t)threads + 2, 0, &pool);
	if (err == LC_ENOTFOUND) {
		fprintf(stderr,
		        "learncity serve: no database at %s (create one with 'learncity init --db "
		        "%s' or 'learncity demo --db %s')\n",
		        path, path, path);
		rc = LC_EXIT_USAGE;
		goto out;
	}
	if (!err)
		err = lc_db_pool_cache(pool, db_cache);
	if (err) {
		fprintf(stderr, "learncity serve: cannot open %s: %s\n", path, lc_strerror(err));
		goto out;
	}
	if (lc_tpl_set_new_embedded(&templates, &d)) {
		rc = report("the templates do not compile", &d);
		goto out;
	}
	if (lc_catalogue_new_embedded(&i18n, &d)) {
		rc = report("the message catalogues do not load", &d);
		goto out;
	}
	/* A translation that breaks an e-mail template stops the start, not a later mail. */
	if (lc_mail_check(&d)) {
		rc = report("the e-mail templates do not compile", &d);
		goto out;
	}
	/*
	 * Writes in this process invalidate cached pages at once; the time to
	 * live bounds how long a change made by another process stays unseen.
	 */
	if (cache_ms > 0)
		cache = lc_pagecache_new((size_t)cache_mb << 20, (unsigned)cache_ms);
	struct lc_app app = {.pool = pool,
	                     .templates = templates,
	                     .i18n = i18n,
	                     .cache = cache,
	                     .base_url = base_url};
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
	    .trust_proxy = opts[TRUST_PROXY].value,
	    .max_connections = (unsigned)max_conns,
	    .per_address = (unsigned)per_address,
	    .head_timeout_s = (unsigned)head_timeout,
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
	if (opts[BASE_URL].value) {
		size_t len = strlen(opts[BASE_URL].value);
		while (len > 0 && opts[BASE_URL].value[len - 1] == '/')
			len--;
		snprintf(base_url, sizeof base_url, "%.*s", (int)len, opts[BASE_URL].value);
	} else {
		snprintf(base_url, sizeof base_url, "http://%s%s%s:%u", v6 ? "[" : "", cfg.bind,
		         v6 ? "]" : "", lc_server_port(server));
	}
	mailer.pool = pool;
	if (ticker_start(&mail_ticker, mailer_pass, &mailer))
		lc_log_warn(
		    "the outbox thread did not start: e-mail waits for 'learncity outbox send'");
	if (backups.dir && ticker_start(&backup_ticker, backups_pass, &backups)) {
		fprintf(stderr, "learncity serve: the backup thread did not start\n");
		goto out;
	}
	/* Index runs and other long work run on this thread, never on a request's. */
	if (lc_jobs_start(pool, &lc_score_job_kind, 1, &jobs))
		lc_log_warn("the job thread did not start: queued index runs wait");
	printf("learncity: listening on http://%s%s%s:%u (database %s, %ld threads)\n",
	       v6 ? "[" : "", cfg.bind, v6 ? "]" : "", lc_server_port(server), path, threads);
	fflush(stdout);
	int sig = lc_server_wait_signal();
	lc_log_info("signal %d: finishing requests in flight, then stopping", sig);
	lc_server_stop(server);
	server = NULL;
	lc_jobs_stop(jobs);
	jobs = NULL;
	ticker_stop(&mail_ticker);
	ticker_stop(&backup_ticker);
	rc = LC_EXIT_OK;
out:
	lc_server_stop(server);
	lc_jobs_stop(jobs);
	ticker_stop(&mail_ticker);
	ticker_stop(&backup_ticker);
	lc_router_free(router);
	lc_catalogue_free(i18n);
	lc_tpl_set_free(templates);
	lc_pagecache_free(cache);
	lc_db_pool_free(pool);
	lc_diag_cleanup(&d);
	/* The programme PDF and letters drew with pango: free the font caches it keeps. */
	lc_pdf_fonts_release();
	return rc;
}
