/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * `learncity user add|list|passwd|disable`: accounts from the command line,
 * acting as the operator (the "system" actor, audited as such). Passwords
 * come from standard input when it is not a terminal (one line), or from a
 * prompt without echo, asked twice; they are never taken as an option (that
 * would leave them in the shell history and the process list). Bad options
 * or values exit 2 naming what is wrong.
 */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "cli/cli.h"
#include "db/db.h"
#include "domain/accounts/account.h"
#include "domain/accounts/authz.h"
#include "domain/accounts/password.h"
#include "domain/accounts/role.h"
#include "domain/platform/setting.h"

static const char *const usage =
    "Usage: learncity user add --db PATH --email E --name N [--role ROLE[:SCOPE]]...\n"
    "                          [--lang L] [--invite [--base-url URL]]\n"
    "       learncity user list --db PATH [--q TEXT] [--role ROLE] [--status S]\n"
    "       learncity user passwd --db PATH --email E\n"
    "       learncity user disable --db PATH --email E [--reason TEXT]\n"
    "Roles: admin, participant, coordinator:CITY-SLUG, natcom:CC, jury:YEAR,\n"
    "checkin:CONFERENCE-SLUG (door staff of a conference).\n"
    "The password is read from standard input when it is not a terminal (one line),\n"
    "else asked twice without echo. --invite sends an invitation e-mail instead (through\n"
    "the outbox; deliver with `learncity outbox send`).\n";

#define MAX_ROLES 16

/* Reads one line (without its end) into out; 0, or LC_ELIMIT/LC_EIO. */
static int read_line(FILE *f, char *out, size_t n)
{
	if (!fgets(out, (int)n, f))
		return LC_EIO;
	size_t len = strlen(out);
	if (len == n - 1 && out[len - 1] != '\n')
		return LC_ELIMIT;
	while (len && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	return 0;
}

static int prompt(const char *text, char *out, size_t n)
{
	struct termios old, quiet;
	if (tcgetattr(STDIN_FILENO, &old) != 0)
		return LC_EIO;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	fputs(text, stderr);
	fflush(stderr);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	int err = read_line(stdin, out, n);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return err;
}

/* The new password, from stdin or a prompt; exit code on failure (message printed). */
static int get_password(const char *cmd, char *pw, size_t n)
{
	int err;
	if (isatty(STDIN_FILENO)) {
		char again[LC_LIMIT_PASSWORD_BYTES + 2];
		err = prompt("New password: ", pw, n);
		if (!err)
			err = prompt("Again: ", again, sizeof again);
		if (!err && strcmp(pw, again) != 0) {
			fprintf(stderr, "learncity %s: the two passwords differ\n", cmd);
			err = LC_EINVAL;
		}
		sodium_memzero(again, sizeof again);
		if (err == LC_EINVAL)
			return LC_EXIT_USAGE;
	} else {
		err = read_line(stdin, pw, n);
	}
	if (err == LC_ELIMIT) {
		fprintf(stderr, "learncity %s: the password is longer than %d bytes\n", cmd,
		        LC_LIMIT_PASSWORD_BYTES);
		return LC_EXIT_USAGE;
	}
	if (err) {
		fprintf(stderr, "learncity %s: no password on standard input (or use --invite)\n",
		        cmd);
		return LC_EXIT_USAGE;
	}
	return 0;
}

static int open_db(const char *cmd, const char *path, struct lc_db **db)
{
	if (!path || !path[0]) {
		fprintf(stderr, "learncity %s: option '--db' is required\n", cmd);
		return LC_EXIT_USAGE;
	}
	int err = lc_db_open(path, 0, db);
	if (err) {
		fprintf(stderr, "learncity %s: cannot open %s: %s\n", cmd, path, lc_strerror(err));
		return LC_EXIT_FAIL;
	}
	return 0;
}

static void print_diag(const char *cmd, const struct lc_diag *d)
{
	for (size_t i = 0; i < d->count; i++)
		fprintf(stderr, "learncity %s: %s %s\n", cmd,
		        d->items[i].field ? d->items[i].field : "input", d->items[i].message);
}

static int user_add(int argc, char **argv)
{
	const char *cmd = "user add";
	/* --role may repeat: take every one out before the common parser sees the rest. */
	const char *specs[MAX_ROLES];
	size_t nspecs = 0;
	char **rest = lc_xcalloc((size_t)argc + 1, sizeof *rest);
	int nrest = 0;
	int rc = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *v = NULL;
		if (strcmp(a, "--role") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "learncity %s: option '--role' needs a value\n",
				        cmd);
				rc = LC_EXIT_USAGE;
				break;
			}
			v = argv[++i];
		} else if (strncmp(a, "--role=", 7) == 0) {
			v = a + 7;
		} else {
			rest[nrest++] = argv[i];
			continue;
		}
		if (nspecs == MAX_ROLES) {
			fprintf(stderr, "learncity %s: at most %d roles\n", cmd, MAX_ROLES);
			rc = LC_EXIT_USAGE;
			break;
		}
		specs[nspecs++] = v;
	}
	struct lc_cli_opt opts[] = {
	    {.name = "db", .help = "the database file"},
	    {.name = "email", .required = true, .help = "the person's e-mail address"},
	    {.name = "name", .required = true, .help = "the display name"},
	    {.name = "lang", .value = "en", .help = "preferred language"},
	    {.name = "invite", .flag = true, .help = "send an invitation instead of a password"},
	    {.name = "base-url", .help = "the site's address for the invitation link"},
	    {.name = "role", .help = "ROLE[:SCOPE]; repeat for several"},
	    {0},
	};
	if (!rc)
		rc = lc_cli_parse(cmd, nrest, rest, 1, opts, NULL, 0, NULL);
	lc_free(rest);
	if (rc)
		return rc;
	struct lc_db *db = NULL;
	rc = open_db(cmd, opts[0].value, &db);
	if (rc)
		return rc;
	struct lc_role roles[MAX_ROLES];
	for (size_t i = 0; i < nspecs && !rc; i++) {
		const char *why = NULL;
		int err = lc_role_parse(db, specs[i], &roles[i], &why);
		if (err == LC_EINVAL || err == LC_ENOTFOUND) {
			fprintf(stderr, "learncity %s: role '%s' %s\n", cmd, specs[i], why);
			rc = LC_EXIT_USAGE;
		} else if (err) {
			fprintf(stderr, "learncity %s: %s\n", cmd, lc_strerror(err));
			rc = LC_EXIT_FAIL;
		}
	}
	char norm[LC_LIMIT_EMAIL_BYTES + 1];
	const char *email = opts[1].value;
	if (!rc && lc_account_email_normalise(email, strlen(email), norm, sizeof norm) != 0) {
		fprintf(stderr, "learncity %s: '%s' is not a valid e-mail address\n", cmd, email);
		rc = LC_EXIT_USAGE;
	}
	bool invite = opts[4].value != NULL;
	char pw[LC_LIMIT_PASSWORD_BYTES + 2] = "";
	if (!rc && !invite) {
		rc = get_password(cmd, pw, sizeof pw);
		const char *why = NULL;
		if (!rc && lc_password_check(pw, norm, &why) != 0) {
			fprintf(stderr, "learncity %s: the password %s\n", cmd,
			        lc_diag_english(why));
			rc = LC_EXIT_USAGE;
		}
	}
	char *base = NULL;
	if (!rc && invite) {
		if (opts[5].value)
			base = lc_xstrdup(opts[5].value);
		else if (lc_setting_get(db, "site.base_url", &base) != 0)
			base = lc_xstrdup("http://localhost:8080");
	}
	if (!rc) {
		struct lc_actor sys;
		lc_actor_system(&sys);
		struct lc_account_new in = {.email = email,
		                            .name = opts[2].value,
		                            .lang = opts[3].value,
		                            .password = invite ? NULL : pw,
		                            .roles = roles,
		                            .nroles = nspecs};
		struct lc_diag d;
		lc_diag_init(&d);
		int64_t id = 0;
		int err = invite ? lc_account_invite(db, &sys, &in, base, &d, &id)
		                 : lc_account_create(db, &sys, &in, &d, &id);
		if (err == LC_EINVAL || err == LC_ECONFLICT) {
			print_diag(cmd, &d);
			if (!d.count)
				fprintf(stderr,
				        "learncity %s: bad value (is --base-url http(s)://host?)\n",
				        cmd);
			rc = LC_EXIT_USAGE;
		} else if (err) {
			fprintf(stderr, "learncity %s: %s\n", cmd, lc_strerror(err));
			rc = LC_EXIT_FAIL;
		} else {
			printf("learncity %s: account %lld %s (%s)\n", cmd, (long long)id, norm,
			       invite ? "invited; run `learncity outbox send` to deliver the e-mail"
			              : "active");
		}
		lc_diag_cleanup(&d);
	}
	sodium_memzero(pw, sizeof pw);
	lc_free(base);
	lc_db_close(db);
	return rc;
}

static int user_list(int argc, char **argv)
{
	const char *cmd = "user list";
	struct lc_cli_opt opts[] = {
	    {.name = "db", .help = "the database file"},
	    {.name = "q", .help = "part of an e-mail address or name"},
	    {.name = "role", .help = "only holders of this role kind"},
	    {.name = "status", .help = "invited, active or disabled"},
	    {0},
	};
	int rc = lc_cli_parse(cmd, argc, argv, 1, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	struct lc_db *db = NULL;
	rc = open_db(cmd, opts[0].value, &db);
	if (rc)
		return rc;
	struct lc_actor sys;
	lc_actor_system(&sys);
	for (long page = 1;; page++) {
		struct lc_account_query q = {.q = opts[1].value,
		                             .role = opts[2].value,
		                             .status = opts[3].value,
		                             .page = page,
		                             .per_page = LC_LIMIT_PER_PAGE};
		json_t *j = NULL;
		int err = lc_account_list(db, &sys, &q, &j);
		if (err) {
			fprintf(stderr, "learncity %s: %s\n", cmd,
			        err == LC_EINVAL ? "bad --role or --status" : lc_strerror(err));
			rc = err == LC_EINVAL || err == LC_ELIMIT ? LC_EXIT_USAGE : LC_EXIT_FAIL;
			break;
		}
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(j, "items"), i, it)
		{
			printf("%lld\t%s\t%s\t%s\t",
			       (long long)json_integer_value(json_object_get(it, "id")),
			       json_string_value(json_object_get(it, "email")),
			       json_string_value(json_object_get(it, "status")),
			       json_string_value(json_object_get(it, "name")));
			size_t k;
			json_t *r;
			json_array_foreach(json_object_get(it, "roles"), k, r)
			    printf("%s%s", k ? "," : "", json_string_value(r));
			putchar('\n');
		}
		bool last = page >= json_integer_value(json_object_get(j, "pages"));
		json_decref(j);
		if (last)
			break;
	}
	lc_db_close(db);
	return rc;
}

/* passwd and disable: --db and --email name an existing account. */
static int one_account(const char *cmd, struct lc_cli_opt *opts, int argc, char **argv,
                       struct lc_db **db, struct lc_account *a)
{
	int rc = lc_cli_parse(cmd, argc, argv, 1, opts, NULL, 0, NULL);
	if (rc)
		return rc;
	rc = open_db(cmd, opts[0].value, db);
	if (rc)
		return rc;
	int err = lc_account_find(*db, opts[1].value, a);
	if (err) {
		fprintf(stderr, "learncity %s: %s\n", cmd,
		        err == LC_ENOTFOUND ? "no account has this e-mail address"
		                            : lc_strerror(err));
		lc_db_close(*db);
		*db = NULL;
		return err == LC_ENOTFOUND ? LC_EXIT_USAGE : LC_EXIT_FAIL;
	}
	return 0;
}

static int user_passwd(int argc, char **argv)
{
	const char *cmd = "user passwd";
	struct lc_cli_opt opts[] = {
	    {.name = "db", .help = "the database file"},
	    {.name = "email", .required = true, .help = "the account's e-mail address"},
	    {0},
	};
	struct lc_db *db = NULL;
	struct lc_account a;
	int rc = one_account(cmd, opts, argc, argv, &db, &a);
	if (rc)
		return rc;
	char pw[LC_LIMIT_PASSWORD_BYTES + 2] = "";
	rc = get_password(cmd, pw, sizeof pw);
	if (!rc) {
		struct lc_actor sys;
		lc_actor_system(&sys);
		struct lc_diag d;
		lc_diag_init(&d);
		int err = lc_account_set_password(db, &sys, a.id, NULL, pw, 0, &d);
		if (err == LC_EINVAL) {
			fprintf(stderr, "learncity %s: the password %s\n", cmd,
			        d.count ? d.items[0].message : "is not acceptable");
			rc = LC_EXIT_USAGE;
		} else if (err) {
			fprintf(stderr, "learncity %s: %s\n", cmd,
			        err == LC_EPERM ? "the account is disabled" : lc_strerror(err));
			rc = LC_EXIT_FAIL;
		} else {
			printf("learncity %s: password of %s changed; its sessions ended\n", cmd,
			       a.email);
		}
		lc_diag_cleanup(&d);
	}
	sodium_memzero(pw, sizeof pw);
	lc_db_close(db);
	return rc;
}

static int user_disable(int argc, char **argv)
{
	const char *cmd = "user disable";
	struct lc_cli_opt opts[] = {
	    {.name = "db", .help = "the database file"},
	    {.name = "email", .required = true, .help = "the account's e-mail address"},
	    {.name = "reason",
	     .value = "disabled from the command line",
	     .help = "why (kept in the audit trail)"},
	    {0},
	};
	struct lc_db *db = NULL;
	struct lc_account a;
	int rc = one_account(cmd, opts, argc, argv, &db, &a);
	if (rc)
		return rc;
	struct lc_actor sys;
	lc_actor_system(&sys);
	int err = lc_account_disable(db, &sys, a.id, opts[2].value);
	if (err == LC_EINVAL) {
		fprintf(stderr, "learncity %s: --reason must be non-empty text\n", cmd);
		rc = LC_EXIT_USAGE;
	} else if (err) {
		fprintf(stderr, "learncity %s: %s\n", cmd, lc_strerror(err));
		rc = LC_EXIT_FAIL;
	} else {
		printf("learncity %s: %s disabled; its sessions and tokens ended\n", cmd, a.email);
	}
	lc_db_close(db);
	return rc;
}

int lc_cmd_user(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? LC_EXIT_USAGE : LC_EXIT_OK;
	}
	static const struct {
		const char *name;
		int (*run)(int, char **);
	} subs[] = {{"add", user_add},
	            {"list", user_list},
	            {"passwd", user_passwd},
	            {"disable", user_disable}};
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(argc - 1, argv + 1);
	fprintf(stderr, "learncity user: unknown subcommand '%s'\n%s", argv[1], usage);
	return LC_EXIT_USAGE;
}
