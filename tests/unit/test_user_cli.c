/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of cli/cmd_user.c and cli/cmd_outbox.c, run in-process on a
 * temporary database with standard input from a file: exit codes (2 for
 * unknown roles, malformed scopes, weak passwords, bad addresses, missing
 * SMTP configuration), accounts and roles created, invitations queued,
 * passwords changed, accounts disabled, and audit rows by "system".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "accounts_fixture.h"

static char dbpath[64];
static char inpath[64];

static int run_with_input(const char *input, int argc, const char **argv)
{
	FILE *f = fopen(inpath, "w");
	fputs(input, f);
	fclose(f);
	assert_non_null(freopen(inpath, "r", stdin));
	return lc_cli_main(argc, (char **)argv);
}

#define RUN(input, ...)                                                                            \
	run_with_input(input, (int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)), \
	               (const char *[]){__VA_ARGS__})

static int setup(void **state)
{
	(void)state;
	lc_password_set_light(true);
	snprintf(dbpath, sizeof dbpath, "/tmp/lc-test-user-XXXXXX");
	int fd = mkstemp(dbpath);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(dbpath);
	snprintf(inpath, sizeof inpath, "/tmp/lc-test-in-XXXXXX");
	fd = mkstemp(inpath);
	if (fd < 0)
		return -1;
	close(fd);
	const char *argv[] = {"learncity", "demo", "--db", dbpath};
	return lc_cli_main(4, (char **)argv) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char p[96];
	unlink(dbpath);
	snprintf(p, sizeof p, "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", dbpath);
	unlink(p);
	unlink(inpath);
	return 0;
}

static long long count(const char *sql)
{
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(dbpath, 0, &db), 0);
	long long n = fx_count(db, sql);
	lc_db_close(db);
	return n;
}

static void test_add(void **state)
{
	(void)state;
	const char *L = "learncity";
	assert_int_equal(RUN("a good long password\n", L, "user", "add", "--db", dbpath, "--email",
	                     "x@example.org", "--name", "X", "--role", "king"),
	                 LC_EXIT_USAGE);
	assert_int_equal(RUN("a good long password\n", L, "user", "add", "--db", dbpath, "--email",
	                     "x@example.org", "--name", "X", "--role", "coordinator:Not A Slug"),
	                 LC_EXIT_USAGE);
	assert_int_equal(RUN("a good long password\n", L, "user", "add", "--db", dbpath, "--email",
	                     "x@example.org", "--name", "X", "--role", "jury:1999"),
	                 LC_EXIT_USAGE);
	assert_int_equal(RUN("qwertyuiop\n", L, "user", "add", "--db", dbpath, "--email",
	                     "x@example.org", "--name", "X"),
	                 LC_EXIT_USAGE);
	assert_int_equal(
	    RUN("", L, "user", "add", "--db", dbpath, "--email", "x@example.org", "--name", "X"),
	    LC_EXIT_USAGE);
	assert_int_equal(RUN("a good long password\n", L, "user", "add", "--db", dbpath, "--email",
	                     "not-an-address", "--name", "X"),
	                 LC_EXIT_USAGE);
	assert_int_equal(
	    RUN("a good long password\n", L, "user", "add", "--db", dbpath, "--name", "X"),
	    LC_EXIT_USAGE);
	assert_int_equal(RUN("", L, "user", "frobnicate"), LC_EXIT_USAGE);
	assert_int_equal(count("SELECT count(*) FROM accounts"), 8);

	assert_int_equal(RUN("a good long password\r\n", L, "user", "add", "--db", dbpath,
	                     "--email", "X@Example.org", "--name", "Xavier", "--role",
	                     "coordinator:cork", "--role=natcom:ie", "--lang", "fr"),
	                 LC_EXIT_OK);
	assert_int_equal(count("SELECT count(*) FROM accounts WHERE email_norm = 'x@example.org'"
	                       " AND status = 'active' AND lang = 'fr'"),
	                 1);
	assert_int_equal(count("SELECT count(*) FROM role_grants g JOIN accounts a"
	                       " ON a.id = g.account_id WHERE a.email_norm = 'x@example.org'"),
	                 2);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE actor_email = 'system'"
	                       " AND object_type = 'account' AND object_id ="
	                       " (SELECT id FROM accounts WHERE email_norm = 'x@example.org')"),
	                 3);
	/* The same address again: refused. */
	assert_int_equal(RUN("a good long password\n", L, "user", "add", "--db", dbpath, "--email",
	                     "x@example.ORG", "--name", "X"),
	                 LC_EXIT_USAGE);

	/* An invitation: queued in the outbox. */
	assert_int_equal(RUN("", L, "user", "add", "--db", dbpath, "--email", "inv@example.org",
	                     "--name", "Inv", "--invite", "--base-url", "https://lc.example"),
	                 LC_EXIT_OK);
	assert_int_equal(count("SELECT count(*) FROM outbox WHERE to_addr = 'inv@example.org'"
	                       " AND state = 'queued' AND body LIKE"
	                       " '%https://lc.example/invitations?token={{secret}}%'"),
	                 1);
	assert_int_equal(RUN("", L, "user", "list", "--db", dbpath, "--status", "invited"),
	                 LC_EXIT_OK);
	assert_int_equal(RUN("", L, "user", "list", "--db", dbpath, "--status", "sleeping"),
	                 LC_EXIT_USAGE);

	/* passwd and disable. */
	long long hashes = count("SELECT count(DISTINCT password_hash) FROM accounts");
	assert_int_equal(
	    RUN("short\n", L, "user", "passwd", "--db", dbpath, "--email", "x@example.org"),
	    LC_EXIT_USAGE);
	assert_int_equal(RUN("yet another long password\n", L, "user", "passwd", "--db", dbpath,
	                     "--email", "nobody@example.org"),
	                 LC_EXIT_USAGE);
	assert_int_equal(RUN("yet another long password\n", L, "user", "passwd", "--db", dbpath,
	                     "--email", "x@example.org"),
	                 LC_EXIT_OK);
	assert_int_equal(count("SELECT count(DISTINCT password_hash) FROM accounts"), hashes);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action = 'account.password'"), 1);
	assert_int_equal(RUN("", L, "user", "disable", "--db", dbpath, "--email", "x@example.org",
	                     "--reason", "left"),
	                 LC_EXIT_OK);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action = 'account.disable'"
	                       " AND reason = 'left'"),
	                 1);
	assert_int_equal(count("SELECT count(*) FROM accounts WHERE status = 'disabled'"), 1);

	/* outbox send: no configuration is a usage error; an unreachable server a failure. */
	assert_int_equal(RUN("", L, "outbox", "send", "--db", dbpath), LC_EXIT_USAGE);
	assert_int_equal(RUN("", L, "outbox", "send", "--db", dbpath, "--smtp", "http://x",
	                     "--from", "a@example.org"),
	                 LC_EXIT_USAGE);
	assert_int_equal(RUN("", L, "outbox", "send", "--db", dbpath, "--smtp",
	                     "smtp://127.0.0.1:1", "--from", "noreply@example.org"),
	                 LC_EXIT_FAIL);
	assert_int_equal(
	    count("SELECT count(*) FROM outbox WHERE state = 'queued' AND attempts = 1"), 1);
	assert_int_equal(RUN("", L, "outbox"), LC_EXIT_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_add, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
