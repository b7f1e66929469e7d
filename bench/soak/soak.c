/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The soak's load driver (bench/soak/run.sh starts the server and runs it):
 * keeps N connections (64) busy for a given time with a weighted mix of
 * anonymous pages, logged-in pages (a session cookie: the page cache is
 * bypassed), API reads with personal access tokens, and writes: data-entry
 * draft saves, deliberately bad saves, progress-report draft saves and its
 * submit/return cycle, and membership suspend/reinstate steps. Every answer
 * is classed by its operation as expected, an expected refusal (a step the
 * state does not allow now: 409; a bad save: 422) or an error (anything
 * else, a transport failure included).
 *
 * Every 5 s it samples the server process (resident memory from
 * /proc/PID/status, open descriptors in /proc/PID/fd, CPU time) and the
 * size of the database's WAL file, with the window's requests, errors,
 * refusals and latency (max and p99), and prints a row. At the end it
 * prints each operation's figures and the verdict on each criterion, and
 * exits 1 when one fails.
 *
 * Usage: bench_soak --url http://127.0.0.1:PORT --pid PID --db PATH
 *                   [--seconds N] [--connections N]
 * (--seconds defaults to SOAK_SECONDS, else 600.)
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "base/alloc.h"
#include "base/buf.h"

/* The criteria. */
#define MAX_LATENCY_US 1000000 /* no request over 1 s */
#define RSS_GROWTH     0.05    /* last window's RSS within 5 % of the reference's */
/*
 * A run shorter than three minutes compares seconds 10-20 with its last 10 s,
 * while the server's bounded caches are still filling as the database grows:
 * SQLite's page cache of each pooled connection (2 MiB by default; the pool
 * is the HTTP threads + 2, so 4 connections on 2 cores) and the page cache of
 * anonymous pages. Such a run may grow by that much on top of the 5 %; a leak
 * shows in the 10-minute run, whose minute 2 is warm.
 */
#define RSS_WARMUP_KB     (4L * 2048)
#define FD_SLACK          8           /* SMTP and SQLite temporary files come and go */
#define WAL_BOUND         (16L << 20) /* SQLite checkpoints every 1,000 pages (4 MiB): 4x that */
#define SAMPLE_S          5
#define MAX_CONNECTIONS   256
#define HIST_STEP_US      100                       /* latency histogram: 0.1 ms buckets */
#define HIST_N            (20000000 / HIST_STEP_US) /* up to 20 s; the last bucket takes the rest */
#define MAX_SAMPLES       4096
#define MAX_MEMBERS       64 /* cities whose membership the admin suspends and reinstates */
#define MAX_CODES         64
#define ERRORS_SHOWN      10
#define REQUEST_TIMEOUT_S 30
#define YEAR              2025
#define REPORT_YEAR       2026
#define REPORT_DEADLINE   "2027-06-30"
#define BODY_MAX          (1u << 16)
#define SETUP_ANSWER_MAX  (4u << 20)

enum who { ANON, COORD, ADMIN, COORD_TOKEN, ADMIN_TOKEN };
enum kind { K_ANON, K_PAGE, K_READ, K_WRITE, K_NKINDS };
static const char *const kind_names[] = {"anonymous page", "logged-in page", "API read", "write"};

enum op_id {
	OP_HOME,
	OP_CITIES,
	OP_CITY,
	OP_CITY_FR,
	OP_PROFILE,
	OP_DASHBOARD,
	OP_FRAMEWORK,
	OP_STATIC,
	OP_API_CITIES,
	OP_API_CITY,
	OP_DATA_PAGE,
	OP_REPORT_PAGE,
	OP_CITY_LOGGED,
	OP_PIPELINE,
	OP_REVIEW,
	OP_ADMIN_REPORTS,
	OP_OUTBOX,
	OP_AUDIT,
	OP_API_REPORT,
	OP_API_OBS,
	OP_API_ME,
	OP_API_REPORTS,
	OP_OBS_SAVE,
	OP_OBS_BAD,
	OP_REPORT_SAVE,
	OP_REPORT_SUBMIT,
	OP_REPORT_RETURN,
	OP_MEMBER_STEP,
	OP_N
};

struct op {
	const char *name;
	enum kind kind;
	enum who who;
	unsigned weight; /* per mille of the requests */
	int ok[2];       /* the answers that mean it worked (0: none) */
	int refused[2];  /* the answers the state or the input makes expected */
};

/* Weights sum to 1000: 40 % anonymous, 25 % logged-in pages, 20 % API reads, 15 % writes. */
static const struct op OPS[OP_N] = {
    [OP_HOME] = {"GET /", K_ANON, ANON, 60, {200}, {0}},
    [OP_CITIES] = {"GET /cities", K_ANON, ANON, 50, {200}, {0}},
    [OP_CITY] = {"GET /cities/{member}", K_ANON, ANON, 60, {200}, {0}},
    [OP_CITY_FR] = {"GET /cities/cork?lang=fr", K_ANON, ANON, 30, {200}, {0}},
    [OP_PROFILE] = {"GET /cities/cork/monitoring", K_ANON, ANON, 50, {200}, {0}},
    [OP_DASHBOARD] = {"GET /monitoring", K_ANON, ANON, 40, {200}, {0}},
    [OP_FRAMEWORK] = {"GET /framework", K_ANON, ANON, 20, {200}, {0}},
    [OP_STATIC] = {"GET /static/style.css", K_ANON, ANON, 20, {200}, {0}},
    [OP_API_CITIES] = {"GET /api/v1/cities", K_ANON, ANON, 40, {200}, {0}},
    [OP_API_CITY] = {"GET /api/v1/cities/{member}", K_ANON, ANON, 30, {200}, {0}},
    [OP_DATA_PAGE] = {"GET /cities/cork/data/Y (coordinator)", K_PAGE, COORD, 50, {200}, {0}},
    [OP_REPORT_PAGE] = {"GET /reports/{id} (coordinator)", K_PAGE, COORD, 40, {200}, {0}},
    [OP_CITY_LOGGED] = {"GET /cities/{member} (coordinator)", K_PAGE, COORD, 40, {200}, {0}},
    [OP_PIPELINE] = {"GET /admin/pipeline", K_PAGE, ADMIN, 30, {200}, {0}},
    [OP_REVIEW] = {"GET /admin/review", K_PAGE, ADMIN, 20, {200}, {0}},
    [OP_ADMIN_REPORTS] = {"GET /admin/reports", K_PAGE, ADMIN, 20, {200}, {0}},
    [OP_OUTBOX] = {"GET /admin/outbox", K_PAGE, ADMIN, 25, {200}, {0}},
    [OP_AUDIT] = {"GET /admin/audit", K_PAGE, ADMIN, 25, {200}, {0}},
    [OP_API_REPORT] = {"GET /api/v1/reports/{id} (token)", K_READ, COORD_TOKEN, 50, {200}, {0}},
    [OP_API_OBS] = {"GET /api/v1/cities/cork/observations", K_READ, COORD_TOKEN, 50, {200}, {0}},
    [OP_API_ME] = {"GET /api/v1/me (token)", K_READ, COORD_TOKEN, 40, {200}, {0}},
    [OP_API_REPORTS] = {"GET /api/v1/reports (admin token)", K_READ, ADMIN_TOKEN, 60, {200}, {0}},
    [OP_OBS_SAVE] = {"PUT observations (draft save)", K_WRITE, COORD, 50, {200}, {0}},
    [OP_OBS_BAD] = {"PUT observations (out of range)", K_WRITE, COORD, 10, {0}, {422}},
    [OP_REPORT_SAVE] = {"PUT /api/v1/reports/{id} (draft)", K_WRITE, COORD, 60, {200}, {409}},
    [OP_REPORT_SUBMIT] = {"POST report submit", K_WRITE, COORD, 5, {200}, {409}},
    [OP_REPORT_RETURN] = {"POST report return (admin)", K_WRITE, ADMIN_TOKEN, 5, {200}, {409}},
    [OP_MEMBER_STEP] =
        {"POST membership suspend|reinstate", K_WRITE, ADMIN_TOKEN, 20, {200}, {409}},
};

struct hist {
	uint32_t n[HIST_N];
	uint64_t count;
	uint64_t max_us;
};

struct op_stats {
	uint64_t count, ok, refused, errors;
	struct hist *h;
};

struct sample {
	double t;
	uint64_t requests, errors, refused;
	double p99_ms, max_ms;
	long rss_kb, fds;
	long long wal_bytes;
	double cpu_s;
	bool alive;
};

struct cred {
	char cookie[160]; /* "lc_session=..." */
	char csrf[96];
	char token[160]; /* "Authorization: Bearer ..." */
};

struct slot {
	CURL *h;
	struct curl_slist *hdrs;
	struct lc_buf body;
	struct lc_buf answer; /* the first bytes, to show an error */
	char url[512];
	enum op_id op;
	bool busy;
};

struct soak {
	const char *base;
	long pid;
	const char *db;
	long seconds;
	long conns;
	struct cred coord, admin;
	long report_id;
	char members[MAX_MEMBERS][64];
	size_t nmembers;
	char codes[MAX_CODES][16];
	double values[MAX_CODES]; /* what the coordinator's form holds for each code */
	size_t ncodes;
	uint64_t rng;
	struct op_stats ops[OP_N];
	struct hist *total, *window;
	uint64_t w_requests, w_errors, w_refused;
	struct sample samples[MAX_SAMPLES];
	size_t nsamples;
	unsigned errors_shown;
	long clk_tck;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* xorshift64*: a fixed seed, so two soaks send the same sequence. */
static uint64_t rnd(struct soak *k)
{
	k->rng ^= k->rng >> 12;
	k->rng ^= k->rng << 25;
	k->rng ^= k->rng >> 27;
	return k->rng * 2685821657736338717ULL;
}

static size_t rnd_below(struct soak *k, size_t n)
{
	return (size_t)(rnd(k) % n);
}

static void hist_add(struct hist *h, uint64_t us)
{
	uint64_t b = us / HIST_STEP_US;
	h->n[b < HIST_N ? b : HIST_N - 1]++;
	h->count++;
	if (us > h->max_us)
		h->max_us = us;
}

/* The latency under which q of the requests fell, in ms (bucket upper bound). */
static double hist_quantile_ms(const struct hist *h, double q)
{
	if (h->count == 0)
		return 0;
	uint64_t want = (uint64_t)((double)h->count * q + 0.5), seen = 0;
	if (want == 0)
		want = 1;
	for (size_t i = 0; i < HIST_N; i++) {
		seen += h->n[i];
		if (seen >= want) {
			double ms = (double)(i + 1) * HIST_STEP_US / 1000.0;
			double max_ms = (double)h->max_us / 1000.0;
			return ms < max_ms ? ms : max_ms;
		}
	}
	return (double)h->max_us / 1000.0;
}

/* Keeps the first bytes of an answer, up to the buffer's maximum; counts the rest away. */
static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct lc_buf *b = arg;
	size_t len = size * n;
	if (b->len < b->max)
		lc_buf_append(b, p, len < b->max - b->len ? len : b->max - b->len);
	return len;
}

/* Keeps lc_session from a Set-Cookie header. */
static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct cred *c = arg;
	size_t len = size * n;
	static const char name[] = "set-cookie: lc_session=";
	if (len > sizeof name - 1 && strncasecmp(p, name, sizeof name - 1) == 0) {
		const char *v = p + sizeof name - 1;
		size_t vlen = 0;
		while (v + vlen < p + len && v[vlen] != ';' && v[vlen] != '\r' && v[vlen] != '\n')
			vlen++;
		snprintf(c->cookie, sizeof c->cookie, "lc_session=%.*s", (int)vlen, v);
	}
	return len;
}

static struct curl_slist *auth_headers(const struct cred *c, bool token, bool json_body, bool write)
{
	struct curl_slist *l = curl_slist_append(NULL, "Expect:");
	if (json_body)
		l = curl_slist_append(l, "Content-Type: application/json");
	if (c && token)
		l = curl_slist_append(l, c->token);
	if (c && !token && write) {
		char h[128];
		snprintf(h, sizeof h, "X-CSRF-Token: %s", c->csrf);
		l = curl_slist_append(l, h);
	}
	return l;
}

/*
 * One blocking request for the setup. Returns the status (0 on a transport
 * failure) and the answer parsed as JSON in *out when it is JSON.
 */
static long call(struct soak *k, const char *method, const char *path, struct cred *c, bool token,
                 const char *body, json_t **out)
{
	CURL *h = curl_easy_init();
	struct lc_buf ans;
	lc_buf_init(&ans, SETUP_ANSWER_MAX);
	char url[512];
	snprintf(url, sizeof url, "%s%s", k->base, path);
	struct curl_slist *hdrs = auth_headers(c, token, body != NULL, strcmp(method, "GET") != 0);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)REQUEST_TIMEOUT_S);
	if (strcmp(method, "GET") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	if (body)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	if (c && !token && c->cookie[0])
		curl_easy_setopt(h, CURLOPT_COOKIE, c->cookie);
	if (c && !token) {
		curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
	}
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &ans);
	long status = 0;
	CURLcode rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (out) {
		*out = NULL;
		if (status)
			*out = json_loads(lc_buf_cstr(&ans), 0, NULL);
	}
	if (status < 200 || status > 299)
		fprintf(stderr, "soak: setup: %s %s: %ld %.300s\n", method, path, status,
		        rc == CURLE_OK ? lc_buf_cstr(&ans) : curl_easy_strerror(rc));
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	lc_buf_cleanup(&ans);
	return status;
}

static int login(struct soak *k, struct cred *c, const char *email, const char *password)
{
	json_t *ans = NULL;
	char body[256];
	snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
	if (call(k, "POST", "/api/v1/login", c, false, body, &ans) != 200 || !ans)
		goto fail;
	const char *csrf = json_string_value(json_object_get(ans, "csrf_token"));
	if (!csrf || !c->cookie[0])
		goto fail;
	snprintf(c->csrf, sizeof c->csrf, "%s", csrf);
	json_decref(ans);
	/* A personal access token beside the session, for the API reads. */
	if (call(k, "POST", "/api/v1/tokens", c, false, "{\"name\":\"soak\",\"expires_days\":1}",
	         &ans) != 201 ||
	    !ans || !json_string_value(json_object_get(ans, "token")))
		goto fail;
	snprintf(c->token, sizeof c->token, "Authorization: Bearer %s",
	         json_string_value(json_object_get(ans, "token")));
	json_decref(ans);
	return 0;
fail:
	json_decref(ans);
	fprintf(stderr, "soak: cannot log in %s\n", email);
	return -1;
}

/* Collects the codes of the current framework's percentage measurements (0 to 100). */
static void collect_codes(struct soak *k, json_t *node)
{
	if (json_is_array(node)) {
		size_t i;
		json_t *v;
		json_array_foreach(node, i, v) collect_codes(k, v);
		return;
	}
	if (!json_is_object(node))
		return;
	const char *type = json_string_value(json_object_get(node, "type"));
	const char *code = json_string_value(json_object_get(node, "code"));
	if (type && code && strcmp(type, "percentage") == 0 && k->ncodes < MAX_CODES &&
	    strlen(code) < sizeof k->codes[0]) {
		snprintf(k->codes[k->ncodes++], sizeof k->codes[0], "%s", code);
		return;
	}
	const char *key;
	json_t *v;
	json_object_foreach(node, key, v) collect_codes(k, v);
}

/*
 * Logs in the coordinator of Cork and the secretariat, opens a progress
 * report cohort for Cork and fills the report's required answers, and picks
 * the member cities whose membership the load suspends and reinstates.
 */
static int setup(struct soak *k)
{
	json_t *ans = NULL;
	if (login(k, &k->coord, "coordinator.cork@example.org", "Cork-coordinator-demo") ||
	    login(k, &k->admin, "admin@example.org", "Secretariat-demo-2024"))
		return -1;
	char body[512];
	snprintf(body, sizeof body, "{\"year\":%d,\"deadline\":\"%s\",\"cities\":[\"cork\"]}",
	         REPORT_YEAR, REPORT_DEADLINE);
	if (call(k, "POST", "/api/v1/reports", &k->admin, true, body, &ans) != 201 || !ans)
		goto fail;
	k->report_id = (long)json_integer_value(json_array_get(json_object_get(ans, "reports"), 0));
	json_decref(ans);
	ans = NULL;
	if (k->report_id <= 0)
		goto fail;
	char path[128];
	snprintf(path, sizeof path, "/api/v1/reports/%ld", k->report_id);
	if (call(k, "PUT", path, &k->coord, false,
	         "{\"answers\":{\"contact_name\":\"Jane Murphy\",\"plan_adopted\":true,"
	         "\"progress_planning\":\"The plan was renewed.\","
	         "\"progress_involvement\":\"Partners meet quarterly.\"}}",
	         NULL) != 200)
		goto fail;
	if (call(k, "GET", "/api/v1/cities?per_page=100", NULL, false, NULL, &ans) != 200 || !ans)
		goto fail;
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(ans, "items"), i, c)
	{
		const char *slug = json_string_value(json_object_get(c, "slug"));
		const char *status = json_string_value(json_object_get(c, "status"));
		if (slug && status && strcmp(status, "member") == 0 && strcmp(slug, "cork") != 0 &&
		    k->nmembers < MAX_MEMBERS && strlen(slug) < sizeof k->members[0])
			snprintf(k->members[k->nmembers++], sizeof k->members[0], "%s", slug);
	}
	json_decref(ans);
	ans = NULL;
	if (call(k, "GET", "/api/v1/framework", NULL, false, NULL, &ans) != 200 || !ans)
		goto fail;
	collect_codes(k, json_object_get(ans, "parts"));
	for (size_t n = 0; n < k->ncodes; n++)
		k->values[n] = -1;
	json_decref(ans);
	ans = NULL;
	if (k->nmembers == 0 || k->ncodes == 0) {
		fprintf(stderr, "soak: the demo database has no member city or no percentage "
		                "measurement\n");
		return -1;
	}
	return 0;
fail:
	json_decref(ans);
	fprintf(stderr, "soak: the setup failed\n");
	return -1;
}

/* The weights are per mille: a table that does not sum to 1000 is our bug. */
static bool weights_sum_to_1000(void)
{
	unsigned sum = 0;
	for (int i = 0; i < OP_N; i++)
		sum += OPS[i].weight;
	return sum == 1000;
}

static enum op_id pick_op(struct soak *k)
{
	size_t r = rnd_below(k, 1000), acc = 0;
	for (int i = 0; i < OP_N; i++) {
		acc += OPS[i].weight;
		if (r < acc)
			return (enum op_id)i;
	}
	return OP_HOME;
}

/* Fills the slot's URL and body for its operation, and sets the easy handle up. */
static void prepare(struct soak *k, struct slot *s)
{
	const struct op *op = &OPS[s->op];
	const char *member = k->members[rnd_below(k, k->nmembers)];
	size_t ci = rnd_below(k, k->ncodes);
	const char *code = k->codes[ci];
	char path[256];
	const char *method = "GET";
	lc_buf_reset(&s->body);
	switch (s->op) {
	case OP_HOME: snprintf(path, sizeof path, "/"); break;
	case OP_CITIES: snprintf(path, sizeof path, "/cities"); break;
	case OP_CITY:
	case OP_CITY_LOGGED: snprintf(path, sizeof path, "/cities/%s", member); break;
	case OP_CITY_FR: snprintf(path, sizeof path, "/cities/cork?lang=fr"); break;
	case OP_PROFILE: snprintf(path, sizeof path, "/cities/cork/monitoring"); break;
	case OP_DASHBOARD: snprintf(path, sizeof path, "/monitoring"); break;
	case OP_FRAMEWORK: snprintf(path, sizeof path, "/framework"); break;
	case OP_STATIC: snprintf(path, sizeof path, "/static/style.css"); break;
	case OP_API_CITIES: snprintf(path, sizeof path, "/api/v1/cities?per_page=50"); break;
	case OP_API_CITY: snprintf(path, sizeof path, "/api/v1/cities/%s", member); break;
	case OP_DATA_PAGE: snprintf(path, sizeof path, "/cities/cork/data/%d", YEAR); break;
	case OP_REPORT_PAGE: snprintf(path, sizeof path, "/reports/%ld", k->report_id); break;
	case OP_PIPELINE: snprintf(path, sizeof path, "/admin/pipeline"); break;
	case OP_REVIEW: snprintf(path, sizeof path, "/admin/review"); break;
	case OP_ADMIN_REPORTS: snprintf(path, sizeof path, "/admin/reports"); break;
	case OP_OUTBOX: snprintf(path, sizeof path, "/admin/outbox"); break;
	case OP_AUDIT: snprintf(path, sizeof path, "/admin/audit"); break;
	case OP_API_REPORT: snprintf(path, sizeof path, "/api/v1/reports/%ld", k->report_id); break;
	case OP_API_OBS:
		snprintf(path, sizeof path, "/api/v1/cities/cork/observations?year=%d", YEAR);
		break;
	case OP_API_ME: snprintf(path, sizeof path, "/api/v1/me"); break;
	case OP_API_REPORTS: snprintf(path, sizeof path, "/api/v1/reports"); break;
	case OP_OBS_SAVE:
		/* A draft save sends the form again: one save in eight corrects the value. */
		if (k->values[ci] < 0 || rnd_below(k, 8) == 0)
			k->values[ci] = (double)rnd_below(k, 1001) / 10.0;
		/* fall through */
	case OP_OBS_BAD:
		method = "PUT";
		snprintf(path, sizeof path, "/api/v1/cities/cork/observations");
		lc_buf_printf(&s->body,
		              "{\"year\":%d,\"values\":[{\"code\":\"%s\",\"value\":%.1f,"
		              "\"source\":\"Survey\"}]}",
		              YEAR, code,
		              s->op == OP_OBS_BAD ? 100.5 + (double)rnd_below(k, 100)
		                                  : k->values[ci]);
		break;
	case OP_REPORT_SAVE:
		method = "PUT";
		snprintf(path, sizeof path, "/api/v1/reports/%ld", k->report_id);
		lc_buf_printf(&s->body,
		              "{\"answers\":{\"learners_reached\":%zu,\"progress_access\":"
		              "\"Libraries opened %zu evening classes.\"}}",
		              rnd_below(k, 100000), rnd_below(k, 50));
		break;
	case OP_REPORT_SUBMIT:
		method = "POST";
		snprintf(path, sizeof path, "/api/v1/reports/%ld/transitions", k->report_id);
		lc_buf_puts(&s->body, "{\"to\":\"submitted\"}");
		break;
	case OP_REPORT_RETURN:
		method = "POST";
		snprintf(path, sizeof path, "/api/v1/reports/%ld/transitions", k->report_id);
		lc_buf_printf(&s->body,
		              "{\"to\":\"returned\",\"reason\":\"Please add the figures "
		              "of %zu.\"}",
		              2020 + rnd_below(k, 6));
		break;
	case OP_MEMBER_STEP:
		method = "POST";
		snprintf(path, sizeof path, "/api/v1/cities/%s/membership/transitions", member);
		lc_buf_printf(&s->body, "{\"to\":\"%s\",\"reason\":\"Review of the network.\"}",
		              rnd_below(k, 2) ? "suspended" : "member");
		break;
	case OP_N: break;
	}
	snprintf(s->url, sizeof s->url, "%s%s", k->base, path);
	const struct cred *c = op->who == COORD || op->who == COORD_TOKEN   ? &k->coord
	                       : op->who == ADMIN || op->who == ADMIN_TOKEN ? &k->admin
	                                                                    : NULL;
	bool token = op->who == COORD_TOKEN || op->who == ADMIN_TOKEN;
	bool write = strcmp(method, "GET") != 0;
	curl_slist_free_all(s->hdrs);
	s->hdrs = auth_headers(c, token, s->body.len > 0, write);
	lc_buf_reset(&s->answer);
	curl_easy_setopt(s->h, CURLOPT_URL, s->url);
	curl_easy_setopt(s->h, CURLOPT_HTTPHEADER, s->hdrs);
	curl_easy_setopt(s->h, CURLOPT_COOKIE, c && !token ? c->cookie : NULL);
	if (write) {
		curl_easy_setopt(s->h, CURLOPT_POSTFIELDS, lc_buf_cstr(&s->body));
		curl_easy_setopt(s->h, CURLOPT_POSTFIELDSIZE, (long)s->body.len);
		curl_easy_setopt(s->h, CURLOPT_CUSTOMREQUEST, method);
	} else {
		curl_easy_setopt(s->h, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(s->h, CURLOPT_CUSTOMREQUEST, NULL);
	}
}

static bool has(const int set[2], long status)
{
	return status != 0 && (set[0] == status || set[1] == status);
}

/* Classes one finished request and counts it. */
static void finish(struct soak *k, struct slot *s, CURLcode rc)
{
	const struct op *op = &OPS[s->op];
	struct op_stats *st = &k->ops[s->op];
	long status = 0;
	curl_off_t us = 0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(s->h, CURLINFO_TOTAL_TIME_T, &us);
	uint64_t lat = us > 0 ? (uint64_t)us : 0;
	hist_add(k->total, lat);
	hist_add(k->window, lat);
	hist_add(st->h, lat);
	st->count++;
	k->w_requests++;
	if (rc == CURLE_OK && has(op->ok, status)) {
		st->ok++;
	} else if (rc == CURLE_OK && has(op->refused, status)) {
		st->refused++;
		k->w_refused++;
	} else {
		st->errors++;
		k->w_errors++;
		if (k->errors_shown++ < ERRORS_SHOWN)
			fprintf(stderr, "soak: error: %s %s: %s %ld: %.300s\n", op->name, s->url,
			        rc == CURLE_OK ? "HTTP" : curl_easy_strerror(rc), status,
			        lc_buf_cstr(&s->answer));
	}
}

static long read_rss_kb(long pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%ld/status", pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

static long count_fds(long pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%ld/fd", pid);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	long n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* User + system CPU seconds of the process (fields 14 and 15 of /proc/PID/stat). */
static double read_cpu_s(long pid, long tck)
{
	char path[64], line[1024];
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(line, 1, sizeof line - 1, f);
	fclose(f);
	line[n] = '\0';
	const char *p = strrchr(line, ')');
	if (!p)
		return -1;
	/* After ") " come fields 3, 4, ...: skip to field 14. */
	p += 2;
	for (int field = 3; field < 14 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p)
		return -1;
	char *end;
	double ut = (double)strtoull(p, &end, 10);
	double st = (double)strtoull(end, NULL, 10);
	return (ut + st) / (double)tck;
}

static void print_sample_header(void)
{
	printf("%6s %8s %7s %7s %8s %8s %8s %5s %8s %6s\n", "t_s", "req/s", "errors", "refused",
	       "p99_ms", "max_ms", "rss_MiB", "fds", "wal_MiB", "cpu%");
}

static void print_sample(const struct sample *s, const struct sample *prev)
{
	double dt = s->t - (prev ? prev->t : 0);
	double cpu =
	    prev && prev->cpu_s >= 0 && s->cpu_s >= 0 ? (s->cpu_s - prev->cpu_s) / dt * 100 : 0;
	printf("%6.0f %8.0f %7" PRIu64 " %7" PRIu64 " %8.1f %8.1f %8.1f %5ld %8.2f %6.0f\n", s->t,
	       dt > 0 ? (double)s->requests / dt : 0, s->errors, s->refused, s->p99_ms, s->max_ms,
	       (double)s->rss_kb / 1024.0, s->fds, (double)s->wal_bytes / 1048576.0, cpu);
	fflush(stdout);
}

static void take_sample(struct soak *k, double t)
{
	if (k->nsamples == MAX_SAMPLES)
		return;
	struct sample *s = &k->samples[k->nsamples++];
	char wal[1024];
	struct stat sb;
	snprintf(wal, sizeof wal, "%s-wal", k->db);
	s->t = t;
	s->requests = k->w_requests;
	s->errors = k->w_errors;
	s->refused = k->w_refused;
	s->p99_ms = hist_quantile_ms(k->window, 0.99);
	s->max_ms = (double)k->window->max_us / 1000.0;
	s->rss_kb = read_rss_kb(k->pid);
	s->fds = count_fds(k->pid);
	s->wal_bytes = stat(wal, &sb) == 0 ? (long long)sb.st_size : 0;
	s->cpu_s = read_cpu_s(k->pid, k->clk_tck);
	s->alive = s->rss_kb >= 0;
	print_sample(s, k->nsamples > 1 ? s - 1 : NULL);
	memset(k->window, 0, sizeof *k->window);
	k->w_requests = k->w_errors = k->w_refused = 0;
}

/* Runs the load for k->seconds, sampling every SAMPLE_S. 0, or -1 when curl cannot start. */
static int run(struct soak *k)
{
	CURLM *m = curl_multi_init();
	if (!m)
		return -1;
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, k->conns);
	curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, k->conns);
	struct slot *slots = lc_xcalloc((size_t)k->conns, sizeof *slots);
	print_sample_header();
	double t0 = now_s(), end = t0 + (double)k->seconds, next = t0 + SAMPLE_S;
	long active = 0;
	for (long i = 0; i < k->conns; i++) {
		struct slot *s = &slots[i];
		s->h = curl_easy_init();
		lc_buf_init(&s->body, BODY_MAX);
		lc_buf_init(&s->answer, 600);
		curl_easy_setopt(s->h, CURLOPT_PRIVATE, s);
		curl_easy_setopt(s->h, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(s->h, CURLOPT_WRITEDATA, &s->answer);
		curl_easy_setopt(s->h, CURLOPT_TIMEOUT, (long)REQUEST_TIMEOUT_S);
		curl_easy_setopt(s->h, CURLOPT_TCP_NODELAY, 1L);
		s->op = pick_op(k);
		prepare(k, s);
		curl_multi_add_handle(m, s->h);
		s->busy = true;
		active++;
	}
	while (active > 0) {
		int running = 0, left = 0;
		curl_multi_perform(m, &running);
		CURLMsg *msg;
		while ((msg = curl_multi_info_read(m, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			struct slot *s = NULL;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
			CURLcode rc = msg->data.result;
			finish(k, s, rc);
			curl_multi_remove_handle(m, s->h);
			if (now_s() < end) {
				s->op = pick_op(k);
				prepare(k, s);
				curl_multi_add_handle(m, s->h);
			} else {
				s->busy = false;
				active--;
			}
		}
		double t = now_s();
		if (t >= next) {
			take_sample(k, next - t0);
			next += SAMPLE_S;
		}
		curl_multi_poll(m, NULL, 0, 50, NULL);
	}
	/* What finished after the last full window, counted in a last sample. */
	if (k->w_requests > 0)
		take_sample(k, now_s() - t0);
	for (long i = 0; i < k->conns; i++) {
		curl_easy_cleanup(slots[i].h);
		curl_slist_free_all(slots[i].hdrs);
		lc_buf_cleanup(&slots[i].body);
		lc_buf_cleanup(&slots[i].answer);
	}
	lc_free(slots);
	curl_multi_cleanup(m);
	return 0;
}

/* The largest RSS, fds and WAL size among the samples with from < t <= to. */
static void window_max(const struct soak *k, double from, double to, long *rss, long *fds,
                       long long *wal)
{
	*rss = *fds = -1;
	*wal = -1;
	for (size_t i = 0; i < k->nsamples; i++) {
		const struct sample *s = &k->samples[i];
		if (s->t <= from || s->t > to + 0.5)
			continue;
		if (s->rss_kb > *rss)
			*rss = s->rss_kb;
		if (s->fds > *fds)
			*fds = s->fds;
		if (s->wal_bytes > *wal)
			*wal = s->wal_bytes;
	}
}

static bool verdict(bool pass, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool verdict(bool pass, const char *what, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("  %-4s %-26s ", pass ? "PASS" : "FAIL", what);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	return pass;
}

/* Prints the figures per operation and the verdicts; true when every criterion holds. */
static bool report(struct soak *k, double elapsed)
{
	uint64_t total = 0, errors = 0, refused = 0, by_kind[K_NKINDS] = {0};
	printf("\n%-40s %9s %9s %8s %7s %8s %8s\n", "operation", "requests", "expected", "refused",
	       "errors", "p99_ms", "max_ms");
	for (int i = 0; i < OP_N; i++) {
		const struct op_stats *st = &k->ops[i];
		printf("%-40s %9" PRIu64 " %9" PRIu64 " %8" PRIu64 " %7" PRIu64 " %8.1f %8.1f\n",
		       OPS[i].name, st->count, st->ok, st->refused, st->errors,
		       hist_quantile_ms(st->h, 0.99), (double)st->h->max_us / 1000.0);
		total += st->count;
		errors += st->errors;
		refused += st->refused;
		by_kind[OPS[i].kind] += st->count;
	}
	printf("\nmix:");
	for (int i = 0; i < K_NKINDS; i++)
		printf(" %s %.1f %%%s", kind_names[i],
		       total ? 100.0 * (double)by_kind[i] / (double)total : 0.0,
		       i + 1 < K_NKINDS ? "," : "\n");
	printf("%" PRIu64 " requests in %.0f s (%.0f/s) on %ld connections; p99 %.1f ms, max "
	       "%.1f ms\n",
	       total, elapsed, (double)total / elapsed, k->conns, hist_quantile_ms(k->total, 0.99),
	       (double)k->total->max_us / 1000.0);

	/* Memory and descriptors: the last window against an early one, once warm. */
	double T = elapsed, span = T >= 180 ? 60 : 10;
	double ref_from = T >= 180 ? 60 : 10, ref_to = ref_from + span;
	long rss_ref, fds_ref, rss_last, fds_last;
	long long wal_ref, wal_last, wal_max = 0;
	window_max(k, ref_from, ref_to, &rss_ref, &fds_ref, &wal_ref);
	window_max(k, T - span, T, &rss_last, &fds_last, &wal_last);
	bool alive = k->nsamples > 0 && k->samples[k->nsamples - 1].alive;
	for (size_t i = 0; i < k->nsamples; i++)
		if (k->samples[i].wal_bytes > wal_max)
			wal_max = k->samples[i].wal_bytes;

	printf("\ncriteria (RSS and fds: the largest sample of seconds %.0f-%.0f against the "
	       "largest of the last %.0f s):\n",
	       ref_from, ref_to, span);
	bool ok = true;
	ok &= verdict(errors == 0, "errors", "%" PRIu64 " (expected refusals: %" PRIu64 ")", errors,
	              refused);
	ok &= verdict(k->total->max_us <= MAX_LATENCY_US, "no request over 1 s",
	              "max %.1f ms, p99 %.1f ms", (double)k->total->max_us / 1000.0,
	              hist_quantile_ms(k->total, 0.99));
	long warmup_kb = T >= 180 ? 0 : RSS_WARMUP_KB;
	ok &= verdict(
	    rss_ref > 0 && rss_last > 0 &&
	        (double)rss_last <= (double)rss_ref * (1.0 + RSS_GROWTH) + (double)warmup_kb,
	    "resident memory flat",
	    "%.1f MiB then %.1f MiB (%+.1f %%, at most +%.0f %% + %.0f MiB of caches warming)",
	    (double)rss_ref / 1024.0, (double)rss_last / 1024.0,
	    rss_ref > 0 ? 100.0 * ((double)rss_last / (double)rss_ref - 1.0) : 0.0,
	    100.0 * RSS_GROWTH, (double)warmup_kb / 1024.0);
	ok &= verdict(fds_ref > 0 && fds_last > 0 && fds_last <= fds_ref + FD_SLACK,
	              "file descriptors flat", "%ld then %ld (at most +%d)", fds_ref, fds_last,
	              FD_SLACK);
	ok &= verdict(wal_max <= WAL_BOUND, "WAL checkpointed",
	              "largest %.2f MiB, last %.2f MiB (at most %.0f MiB)",
	              (double)wal_max / 1048576.0, (double)wal_last / 1048576.0,
	              (double)WAL_BOUND / 1048576.0);
	/* The writes must have happened, or the soak measured reads only. */
	bool wrote = true;
	for (int i = 0; i < OP_N; i++)
		if (OPS[i].kind == K_WRITE &&
		    (OPS[i].ok[0] ? k->ops[i].ok == 0 : k->ops[i].refused == 0))
			wrote = false;
	ok &=
	    verdict(wrote, "every write took effect",
	            "%" PRIu64 " draft saves, %" PRIu64 " report saves, %" PRIu64
	            " submits, %" PRIu64 " returns, %" PRIu64 " membership steps",
	            k->ops[OP_OBS_SAVE].ok, k->ops[OP_REPORT_SAVE].ok, k->ops[OP_REPORT_SUBMIT].ok,
	            k->ops[OP_REPORT_RETURN].ok, k->ops[OP_MEMBER_STEP].ok);
	ok &= verdict(alive, "server alive", "pid %ld", k->pid);
	printf("soak: %s\n", ok ? "all criteria met" : "criteria NOT met");
	return ok;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_soak --url http://127.0.0.1:PORT --pid PID --db PATH "
	                "[--seconds N] [--connections N]\n");
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

int main(int argc, char **argv)
{
	static struct soak k;
	k.seconds = 600;
	k.conns = 64;
	k.rng = 0x9e3779b97f4a7c15ULL;
	const char *env = getenv("SOAK_SECONDS");
	if (env && !parse_long(env, 10, 86400, &k.seconds)) {
		fprintf(stderr, "soak: SOAK_SECONDS must be 10 to 86400, not '%s'\n", env);
		return 2;
	}
	/* Options come in pairs: --name value. */
	for (int i = 1; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool good = v != NULL;
		if (good && strcmp(a, "--url") == 0)
			k.base = v;
		else if (good && strcmp(a, "--db") == 0)
			k.db = v;
		else if (good && strcmp(a, "--pid") == 0)
			good = parse_long(v, 1, 1L << 30, &k.pid);
		else if (good && strcmp(a, "--seconds") == 0)
			good = parse_long(v, 10, 86400, &k.seconds);
		else if (good && strcmp(a, "--connections") == 0)
			good = parse_long(v, 1, MAX_CONNECTIONS, &k.conns);
		else
			good = false;
		if (!good) {
			usage();
			return 2;
		}
	}
	if (!k.base || !k.db || !k.pid) {
		usage();
		return 2;
	}
	if (!weights_sum_to_1000()) {
		fprintf(stderr, "soak: the weights of the mix do not sum to 1000\n");
		return 1;
	}
	k.clk_tck = sysconf(_SC_CLK_TCK);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	k.total = lc_xcalloc(1, sizeof *k.total);
	k.window = lc_xcalloc(1, sizeof *k.window);
	for (int i = 0; i < OP_N; i++)
		k.ops[i].h = lc_xcalloc(1, sizeof *k.ops[i].h);
	int rc = 1;
	if (setup(&k))
		goto out;
	printf("soak: %ld s at %ld connections against %s (server pid %ld); report %ld, "
	       "%zu member cities, %zu measurements\n",
	       k.seconds, k.conns, k.base, k.pid, k.report_id, k.nmembers, k.ncodes);
	double t0 = now_s();
	if (run(&k))
		goto out;
	rc = report(&k, now_s() - t0) ? 0 : 1;
out:
	for (int i = 0; i < OP_N; i++)
		lc_free(k.ops[i].h);
	lc_free(k.total);
	lc_free(k.window);
	curl_global_cleanup();
	return rc;
}
