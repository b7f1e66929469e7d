/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/platform/outbox.c against a real SMTP server: Debian's
 * python3-aiosmtpd, started by the test on a free local port with its
 * Maildir handler. Checks the delivered message (headers, RFC 2047 subject,
 * the secret substituted, then erased from the database), retries with
 * backoff when the server is unreachable, the failed state and retry, the
 * admin list, and a full accounts scenario after which no password, token,
 * session id or link token appears anywhere in the database in clear.
 * Skips when /usr/bin/python3 lacks aiosmtpd (scripts/install-deps.sh test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/limits.h"
#include "domain/platform/outbox.h"
#include "domain/accounts/session.h"
#include "domain/platform/setting.h"
#include "domain/accounts/token.h"
#include "accounts_fixture.h"

#define PY "/usr/bin/python3"

static pid_t smtp_pid;
static int smtp_port;
static char maildir[64];
static char url[64];

static int free_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int port = -1;
	if (bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(s, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(s);
	return port;
}

static bool can_connect(int port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET,
	                        .sin_port = htons((uint16_t)port),
	                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	bool ok = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
	close(s);
	return ok;
}

/* Runs PY with args, output discarded; its exit status, or -1. */
static int run_py(char *const argv[])
{
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execv(PY, argv);
		_exit(127);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int start_smtp(void **state)
{
	(void)state;
	char *check[] = {PY, "-c", "import aiosmtpd", NULL};
	if (run_py(check) != 0)
		return 0; /* each test skips */
	snprintf(maildir, sizeof maildir, "/tmp/lc-test-mail-XXXXXX");
	if (!mkdtemp(maildir))
		return -1;
	/* Python's Maildir creates its folders only when the top one is missing. */
	static const char *const sub[] = {"tmp", "new", "cur"};
	for (int i = 0; i < 3; i++) {
		char p[96];
		snprintf(p, sizeof p, "%s/%s", maildir, sub[i]);
		if (mkdir(p, 0700) != 0)
			return -1;
	}
	smtp_port = free_port();
	char listen[32];
	snprintf(listen, sizeof listen, "127.0.0.1:%d", smtp_port);
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", smtp_port);
	smtp_pid = fork();
	if (smtp_pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execl(PY, PY, "-m", "aiosmtpd", "-n", "-l", listen, "-c",
		      "aiosmtpd.handlers.Mailbox", maildir, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200 && !can_connect(smtp_port); i++) {
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return can_connect(smtp_port) ? 0 : -1;
}

static int stop_smtp(void **state)
{
	(void)state;
	if (smtp_pid > 0) {
		kill(smtp_pid, SIGTERM);
		waitpid(smtp_pid, NULL, 0);
		/* The Maildir is three folders of files: remove them, then it. */
		static const char *const sub[] = {"tmp", "new", "cur"};
		for (int i = 0; i < 3; i++) {
			char dir[96];
			snprintf(dir, sizeof dir, "%s/%s", maildir, sub[i]);
			DIR *d = opendir(dir);
			struct dirent *e;
			while (d && (e = readdir(d)) != NULL) {
				char p[512];
				snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
				if (e->d_name[0] != '.')
					unlink(p);
			}
			if (d)
				closedir(d);
			rmdir(dir);
		}
		if (rmdir(maildir) != 0)
			return -1;
	}
	return 0;
}

static void need_smtp(void)
{
	if (smtp_pid <= 0) {
		print_message("python3-aiosmtpd is not installed: skipped\n");
		skip();
	}
}

/* Every delivered message in the Maildir, concatenated, soft line breaks removed. */
static char *mail_text(void)
{
	struct lc_buf b;
	lc_buf_init(&b, 64u << 20);
	char dir[128];
	snprintf(dir, sizeof dir, "%s/new", maildir);
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		char chunk[4096];
		size_t n;
		while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
			lc_buf_append(&b, chunk, n);
		if (f)
			fclose(f);
		lc_buf_puts(&b, "\n\x01\n");
	}
	if (d)
		closedir(d);
	char *s = lc_buf_steal(&b, NULL);
	/* Undo quoted-printable soft breaks and "=3D" so a long link reads whole. */
	char *w = s;
	for (char *r = s; *r;) {
		if (r[0] == '=' && r[1] == '\r' && r[2] == '\n')
			r += 3;
		else if (r[0] == '=' && r[1] == '\n')
			r += 2;
		else if (r[0] == '=' && r[1] == '3' && r[2] == 'D')
			r += 3, *w++ = '='; /* the '=' of "?token=" */
		else
			*w++ = *r++;
	}
	*w = '\0';
	return s;
}

/* The 43-character token after "marker" in the delivered mail (caller frees). */
static char *token_after(const char *marker)
{
	char *all = mail_text();
	char *p = NULL, *q = all;
	while ((q = strstr(q, marker)) != NULL)
		p = q++, (void)0;
	char *tok = NULL;
	if (p)
		tok = lc_xstrndup(p + strlen(marker), LC_SESSION_ID_CHARS);
	lc_free(all);
	return tok;
}

static void test_deliver(void **state)
{
	need_smtp();
	struct lc_db *db = *state;
	struct lc_actor sys;
	lc_actor_system(&sys);
	int64_t id1, id2;
	assert_int_equal(lc_outbox_enqueue(db, &sys, "Reader@Example.org", "Plain subject",
	                                   "Hello.\n.a line starting with a dot\nLink: "
	                                   "https://lc.example/x/" LC_OUTBOX_SECRET "\n",
	                                   "SECRETVALUE123", &id1),
	                 0);
	assert_int_equal(lc_outbox_enqueue(db, &sys, "lecteur@example.fr",
	                                   "Invitation à learncity — Café", "Bonjour, ça va ?\n",
	                                   NULL, &id2),
	                 0);
	assert_int_equal(
	    lc_outbox_enqueue(db, &sys, "x@example.org", "bad\r\nBcc: y@evil.org", "b", NULL, NULL),
	    LC_EINVAL);
	assert_int_equal(lc_outbox_enqueue(db, &sys, "not an address", "s", "b", NULL, NULL),
	                 LC_EINVAL);
	struct lc_smtp_config cfg = {.url = url, .from = "noreply@learncity.example"};
	struct lc_outbox_report rep;
	assert_int_equal(lc_outbox_deliver(db, &cfg, 0, &rep), 0);
	assert_int_equal(rep.sent, 2);
	assert_int_equal(rep.failed, 0);
	assert_int_equal(rep.queued, 0);
	char *all = mail_text();
	assert_non_null(strstr(all, "Date: "));
	assert_non_null(strstr(all, "Message-ID: <"));
	assert_non_null(strstr(all, "@learncity.example>"));
	assert_non_null(strstr(all, "To: <reader@example.org>"));
	assert_non_null(strstr(all, "Subject: Plain subject"));
	assert_non_null(strstr(all, "=?UTF-8?B?"));
	assert_non_null(strstr(all, "https://lc.example/x/SECRETVALUE123"));
	/* A line starting with a dot arrives whole (libcurl dot-stuffs it on the wire). */
	assert_non_null(strstr(all, "\n.a line starting with a dot"));
	/* Both parts, each UTF-8 in quoted-printable; the HTML part escapes the text. */
	assert_non_null(strstr(all, "Content-Type: multipart/alternative; boundary="));
	assert_non_null(strstr(all, "Content-Type: text/plain; charset=UTF-8"));
	assert_non_null(strstr(all, "Content-Type: text/html; charset=UTF-8"));
	assert_non_null(strstr(all, "Content-Transfer-Encoding: quoted-printable"));
	assert_non_null(strstr(all, "<p>Bonjour, =C3=A7a va ?</p>"));
	assert_non_null(strstr(all, "Bonjour, =C3=A7a va ?"));
	lc_free(all);
	/* Sent: the secret is gone from the database. */
	assert_int_equal(fx_count(db,
	                          "SELECT count(*) FROM outbox WHERE state = 'sent'"
	                          " AND secret IS NULL AND sent_at IS NOT NULL AND attempts = 1"),
	                 2);
	/* Nothing left: a second pass sends nothing. */
	assert_int_equal(lc_outbox_deliver(db, &cfg, 0, &rep), 0);
	assert_int_equal(rep.sent, 0);

	/* The admin list shows the placeholder, never the secret. */
	struct lc_actor admin, coord;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	json_t *j = NULL;
	struct lc_outbox_query q = {.state = "sent"};
	assert_int_equal(lc_outbox_list(db, &coord, &q, &j), LC_EPERM);
	assert_int_equal(lc_outbox_list(db, &admin, &q, &j), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
	json_t *m = json_array_get(json_object_get(j, "items"), 1);
	assert_non_null(strstr(json_string_value(json_object_get(m, "body")), LC_OUTBOX_SECRET));
	json_decref(j);
}

static void test_retry_backoff(void **state)
{
	need_smtp();
	struct lc_db *db = *state;
	struct lc_actor sys, admin;
	lc_actor_system(&sys);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	int64_t id;
	assert_int_equal(
	    lc_outbox_enqueue(db, &sys, "a@example.org", "s", "b " LC_OUTBOX_SECRET, "TOK", &id),
	    0);
	char dead[64];
	snprintf(dead, sizeof dead, "smtp://127.0.0.1:%d", free_port());
	struct lc_smtp_config bad = {
	    .url = dead, .from = "noreply@learncity.example", .timeout_s = 5};
	struct lc_outbox_report rep;
	assert_int_equal(lc_outbox_deliver(db, &bad, 0, &rep), 0);
	assert_int_equal(rep.failed, 1);
	assert_int_equal(rep.queued, 1);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox WHERE state = 'queued'"
	                              " AND attempts = 1 AND last_error IS NOT NULL"
	                              " AND secret = 'TOK' AND next_attempt_at = 1790000060"),
	                 1);
	/* Not due yet: nothing tried. */
	assert_int_equal(lc_outbox_deliver(db, &bad, 0, &rep), 0);
	assert_int_equal(rep.failed, 0);
	/* Each attempt doubles the wait; the last one marks it failed (kept). */
	int64_t t = T0;
	for (int i = 2; i <= LC_LIMIT_OUTBOX_ATTEMPTS; i++) {
		t += LC_LIMIT_OUTBOX_BACKOFF_MAX_S;
		lc_clock_set_test(t);
		assert_int_equal(lc_outbox_deliver(db, &bad, 0, &rep), 0);
		assert_int_equal(rep.failed, 1);
	}
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox WHERE state = 'failed'"
	                              " AND secret IS NULL"),
	                 1);
	/* The admin queues it again; a working server delivers it. */
	struct lc_actor coord;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	assert_int_equal(lc_outbox_retry(db, &coord, id), LC_EPERM);
	assert_int_equal(lc_outbox_retry(db, &admin, id), 0);
	assert_int_equal(lc_outbox_retry(db, &admin, id), LC_ENOTFOUND);
	struct lc_smtp_config good = {.url = url, .from = "noreply@learncity.example"};
	assert_int_equal(lc_outbox_deliver(db, &good, 0, &rep), 0);
	assert_int_equal(rep.sent, 1);
	char *all = mail_text();
	assert_non_null(strstr(all, "(expired: ask for a new link)"));
	lc_free(all);

	/* Settings supply the configuration. */
	char storage[512];
	struct lc_smtp_config cfg;
	assert_int_equal(lc_outbox_config_load(db, &cfg, storage, sizeof storage), LC_ENOTFOUND);
	assert_int_equal(lc_setting_set(db, &coord, "smtp.url", url), LC_EPERM);
	assert_int_equal(lc_setting_set(db, &admin, "smtp.url", url), 0);
	assert_int_equal(lc_setting_set(db, &admin, "smtp.from", "noreply@learncity.example"), 0);
	assert_int_equal(lc_setting_set(db, &admin, "smtp.password", "hunter2-smtp"), 0);
	assert_int_equal(lc_outbox_config_load(db, &cfg, storage, sizeof storage), 0);
	assert_string_equal(cfg.url, url);
	assert_string_equal(cfg.password, "hunter2-smtp");
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit WHERE after LIKE '%hunter2%'"),
	                 0);
	assert_int_equal(
	    lc_outbox_deliver(db, &(struct lc_smtp_config){.url = "http://x", .from = "a@b.org"}, 0,
	                      &rep),
	    LC_EINVAL);
}

/* Every value of every table, as SQL literals (blobs in hex), joined. */
static char *dump(struct lc_db *db)
{
	struct lc_buf b;
	lc_buf_init(&b, 256u << 20);
	sqlite3_stmt *t = lc_db_stmt(db, "SELECT name FROM sqlite_schema WHERE type = 'table'");
	char names[64][64];
	int n = 0;
	while (n < 64 && lc_db_step(db, t) == 1)
		snprintf(names[n++], sizeof names[0], "%s", lc_db_text(t, 0));
	lc_db_release(db, t);
	for (int i = 0; i < n; i++) {
		char sql[4200]; /* gcc cannot bound names[i] here */
		snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", names[i]);
		sqlite3_stmt *st = NULL;
		assert_int_equal(sqlite3_prepare_v2(lc_db_sqlite(db), sql, -1, &st, NULL),
		                 SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(st); c++) {
				if (sqlite3_column_type(st, c) == SQLITE_BLOB) {
					const unsigned char *p = sqlite3_column_blob(st, c);
					for (int k = 0; k < sqlite3_column_bytes(st, c); k++)
						lc_buf_printf(&b, "%02x", p[k]);
				} else if (sqlite3_column_text(st, c)) {
					lc_buf_puts(&b, (const char *)sqlite3_column_text(st, c));
				}
				lc_buf_putc(&b, '|');
			}
		}
		sqlite3_finalize(st);
	}
	return lc_buf_steal(&b, NULL);
}

static void test_no_clear_secrets(void **state)
{
	need_smtp();
	struct lc_db *db = *state;
	struct lc_actor admin;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	struct lc_smtp_config cfg = {.url = url, .from = "noreply@learncity.example"};
	struct lc_outbox_report rep;
	const char *secrets[16];
	char *owned[8] = {0};
	int ns = 0, no = 0;

	/* Logins, tokens, an invitation accepted, a reset done, passwords changed. */
	struct lc_login_result r1;
	struct lc_login li = {.email = DEMO_ADMIN, .password = DEMO_ADMIN_PW, .addr = "192.0.2.1"};
	assert_int_equal(lc_session_login(db, &li, &r1), 0);
	secrets[ns++] = DEMO_ADMIN_PW;
	secrets[ns++] = r1.cookie;
	secrets[ns++] = r1.session.csrf;
	char tok[LC_TOKEN_CHARS + 1];
	assert_int_equal(lc_token_create(db, &admin, admin.account_id, "ci", 0, tok, NULL), 0);
	secrets[ns++] = tok;
	secrets[ns++] = tok + 4;

	struct lc_account_new in = {.email = "scenario@example.org", .name = "Scenario"};
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id;
	assert_int_equal(lc_account_invite(db, &admin, &in, "https://lc.example", &d, &id), 0);
	assert_int_equal(lc_outbox_deliver(db, &cfg, 0, &rep), 0);
	assert_int_equal(rep.sent, 1);
	char *inv = token_after("https://lc.example/invitations?token=");
	assert_non_null(inv);
	secrets[ns++] = owned[no++] = inv;
	assert_int_equal(lc_account_accept_invitation(db, inv, "scenario first password", &d, &id),
	                 0);
	secrets[ns++] = "scenario first password";
	assert_int_equal(lc_account_request_reset(db, "scenario@example.org", "https://lc.example"),
	                 0);
	assert_int_equal(lc_outbox_deliver(db, &cfg, 0, &rep), 0);
	char *rst = token_after("https://lc.example/password/reset?token=");
	assert_non_null(rst);
	secrets[ns++] = owned[no++] = rst;
	assert_int_equal(lc_account_reset_password(db, rst, "scenario second password", &d, &id),
	                 0);
	secrets[ns++] = "scenario second password";
	struct lc_login_result r2;
	struct lc_login l2 = {.email = "scenario@example.org",
	                      .password = "scenario second password"};
	assert_int_equal(lc_session_login(db, &l2, &r2), 0);
	secrets[ns++] = r2.cookie;
	struct lc_actor me;
	assert_int_equal(lc_actor_load(db, id, &me), 0);
	assert_int_equal(lc_account_set_password(db, &me, id, "scenario second password",
	                                         "scenario third password", r2.session.id, &d),
	                 0);
	secrets[ns++] = "scenario third password";
	assert_int_equal(lc_setting_set(db, &admin, "smtp.password", "smtp-pass-9f3k"), 0);
	lc_diag_cleanup(&d);

	char *all = dump(db);
	assert_true(strlen(all) > 1000);
	for (int i = 0; i < ns; i++) {
		if (strstr(all, secrets[i]))
			print_error("found in the database in clear: secret %d\n", i);
		assert_null(strstr(all, secrets[i]));
	}
	/* The SMTP password is a setting the sender needs, but never in the audit trail. */
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit WHERE"
	                              " coalesce(before,'') || coalesce(after,'') LIKE '%9f3k%'"),
	                 0);
	lc_free(all);
	for (int i = 0; i < no; i++)
		lc_free(owned[i]);
}

/* Mail is written in the reader's language: the account's, else English. */
/* An attachment goes out with its message, base64 in the multipart/mixed, named. */
static void test_deliver_attachment(void **state)
{
	need_smtp();
	struct lc_db *db = *state;
	struct lc_actor sys;
	lc_actor_system(&sys);
	int64_t id;
	assert_int_equal(lc_outbox_enqueue(db, &sys, "cal@example.org", "With a file",
	                                   "See the file.\n", NULL, &id),
	                 0);
	const char ics[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
	assert_int_equal(lc_outbox_attach(db, id, "a b.ics", "text/calendar", ics, sizeof ics - 1),
	                 LC_EINVAL);
	assert_int_equal(lc_outbox_attach(db, id, "x.exe", "application/octet-stream", ics, 3),
	                 LC_EINVAL);
	assert_int_equal(
	    lc_outbox_attach(db, id, "registration.ics", "text/calendar", ics, sizeof ics - 1), 0);
	struct lc_smtp_config cfg = {.url = url, .from = "noreply@learncity.example"};
	struct lc_outbox_report rep;
	assert_int_equal(lc_outbox_deliver(db, &cfg, 0, &rep), 0);
	assert_int_equal(rep.sent, 1);
	char *all = mail_text();
	assert_non_null(strstr(all, "Content-Type: multipart/mixed"));
	assert_non_null(strstr(all, "Content-Type: text/calendar"));
	assert_non_null(strstr(all, "filename=\"registration.ics\""));
	assert_non_null(strstr(all, "Content-Transfer-Encoding: base64"));
	/* base64 of "BEGIN:VCALENDAR\r\n..." */
	assert_non_null(strstr(all, "QkVHSU46VkNBTEVOREFS"));
	lc_free(all);
}

static void test_reader_language(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor sys;
	lc_actor_system(&sys);
	assert_int_equal(
	    lc_db_exec(db, "UPDATE accounts SET lang = 'fr' WHERE email_norm = '" DEMO_COORD "'"),
	    0);
	char lang[16];
	assert_int_equal(lc_outbox_lang(db, "Coordinator.Cork@example.org", lang, sizeof lang), 0);
	assert_string_equal(lang, "fr");
	assert_int_equal(lc_outbox_lang(db, DEMO_ADMIN, lang, sizeof lang), 0);
	assert_string_equal(lang, "en");
	assert_int_equal(lc_outbox_lang(db, "stranger@example.net", lang, sizeof lang), 0);
	assert_string_equal(lang, "en");
	json_t *v = json_pack("{s:s,s:s}", "name", "Aoife", "link",
	                      "https://lc.example/password/reset?token=" LC_OUTBOX_SECRET);
	int64_t fr, en;
	assert_int_equal(lc_outbox_mail(db, &sys, DEMO_COORD, "reset", v, "TOKEN", &fr), 0);
	assert_int_equal(lc_outbox_mail(db, &sys, DEMO_ADMIN, "reset", v, "TOKEN", &en), 0);
	assert_int_equal(lc_outbox_mail(db, &sys, DEMO_ADMIN, "no_such_kind", v, NULL, NULL),
	                 LC_ENOTFOUND);
	json_decref(v);
	assert_int_equal(fx_count(db,
	                          "SELECT count(*) FROM outbox WHERE kind = 'reset' AND lang = 'fr'"
	                          " AND subject = 'Réinitialiser votre mot de passe learncity'"
	                          " AND body LIKE 'Bonjour Aoife,%' AND html LIKE '%lang=\"fr\"%'"
	                          " AND secret = 'TOKEN'"),
	                 1);
	assert_int_equal(fx_count(db,
	                          "SELECT count(*) FROM outbox WHERE kind = 'reset' AND lang = 'en'"
	                          " AND subject = 'Reset your learncity password'"),
	                 1);
	long n = 0;
	assert_int_equal(lc_outbox_count_since(db, DEMO_ADMIN, "reset", 0, &n), 0);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_deliver, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_deliver_attachment, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_reader_language, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_retry_backoff, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_no_clear_secrets, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, start_smtp, stop_smtp);
}
