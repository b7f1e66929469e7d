/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The command line: `learncity <command> [options]`. Each command lives in
 * cli/cmd_<name>.c and is listed in the table of cli.c. Exit codes: 0 success,
 * 1 failure while working, 2 bad usage or bad input (with a message naming
 * what is wrong).
 */
#ifndef LC_CLI_H
#define LC_CLI_H

#include <stdbool.h>
#include <stddef.h>

enum { LC_EXIT_OK = 0, LC_EXIT_FAIL = 1, LC_EXIT_USAGE = 2 };

/* Runs the command named by argv[1]; returns the process exit code. */
struct lc_buf;
struct lc_catalogue;
struct lc_diag;

int lc_cli_main(int argc, char **argv);

/*
 * A declared option of a command. Options are long only: --name VALUE or
 * --name=VALUE; flags take no value.
 */
struct lc_cli_opt {
	const char *name;  /* without the dashes */
	const char *value; /* in: default (may be NULL); out: what was given */
	bool flag;         /* takes no value; value becomes "1" when present */
	bool required;
	const char *help; /* one line */
};

/*
 * Parses argv[first..argc) against opts (terminated by a NULL name). Stores
 * remaining positional arguments in pos (at most max_pos, count in *npos).
 * On a problem prints "learncity CMD: message" to stderr and returns
 * LC_EXIT_USAGE; otherwise 0.
 */
int lc_cli_parse(const char *cmd, int argc, char **argv, int first, struct lc_cli_opt *opts,
                 const char **pos, size_t max_pos, size_t *npos);
/* Prints the options of a command, one per line, to stdout. */
void lc_cli_print_opts(const struct lc_cli_opt *opts);
/* Parses a whole decimal integer option in [lo, hi]; prints and returns LC_EXIT_USAGE if bad. */
int lc_cli_opt_long(const char *cmd, const char *name, const char *value, long lo, long hi,
                    long *out);

/*
 * Parses a duration option strictly: a whole number and one unit, s, m, h
 * or d ("90s", "30m", "24h", "7d"), nothing else (no sign, space, fraction
 * or second unit), in [lo, hi] seconds. Prints and returns LC_EXIT_USAGE if
 * bad; 0 with *out in seconds.
 */
int lc_cli_opt_duration(const char *cmd, const char *name, const char *value, long lo, long hi,
                        long *out);
/* Seconds as the shortest exact duration lc_cli_opt_duration reads ("90s", "1m", "7d"). */
void lc_cli_format_duration(long s, char *out, size_t size);
/*
 * Appends the problems of d, one a line, in the language of the environment
 * (LANG's primary tag, "fr_FR.UTF-8" -> "fr") when a catalogue has it, else
 * in English; lc_diag_format's lines otherwise.
 */
void lc_cli_format_diag(const struct lc_diag *d, struct lc_buf *out);

/*
 * Writes b to path through a temporary file in the same folder (mode 0644,
 * an output to share), flushed, synced and renamed over path: a reader never
 * sees half a file. 0, or -1 with errno set and nothing left behind.
 */
int lc_cli_write_atomic(const char *path, const struct lc_buf *b);
/* The language of the environment that cat has (as lc_cli_format_diag), else "en". Borrowed. */
const char *lc_cli_language(const struct lc_catalogue *cat);

/* The commands, each in its own file. argv[0] is the command name. */
int lc_cmd_serve(int argc, char **argv);
int lc_cmd_init(int argc, char **argv);
int lc_cmd_demo(int argc, char **argv);
int lc_cmd_check(int argc, char **argv);
int lc_cmd_index(int argc, char **argv);
int lc_cmd_import(int argc, char **argv); /* `import observations FILE` (cli/cmd_import.c) */
/* `learncity index uncertainty|sensitivity ...` (cli/cmd_index_ua.c); argv[0] is the subcommand. */
int lc_cmd_index_uncertainty(int argc, char **argv);
int lc_cmd_index_sensitivity(int argc, char **argv);
/* `learncity award rank ...` (cli/cmd_award.c); argv[0] is "award". */
int lc_cmd_award(int argc, char **argv);
/* `learncity conference registrations|checkin-keys|ticket|badges ...` (cli/cmd_conference.c,
 * which hands the door's subcommands to cli/cmd_checkin.c); argv[0] is "conference". */
int lc_cmd_conference(int argc, char **argv);
/* The door's subcommands of `learncity conference`: checkin-keys, ticket, badges. */
int lc_cmd_conference_door(int argc, char **argv);
/* `learncity conference programme export|import` (cmd_programme.c). */
int lc_cmd_conference_programme(int argc, char **argv);
/* `learncity user add|list|passwd|disable ...` (cli/cmd_user.c); argv[0] is "user". */
int lc_cmd_user(int argc, char **argv);
/* `learncity outbox send ...` (cli/cmd_outbox.c); argv[0] is "outbox". */
int lc_cmd_outbox(int argc, char **argv);
/* `learncity workflow tick ...` (cli/cmd_workflow.c); argv[0] is "workflow". */
int lc_cmd_workflow(int argc, char **argv);
/* `learncity framework list|export|import|publish` (cli/cmd_framework.c). */
int lc_cmd_framework(int argc, char **argv);
/* `learncity backup --db PATH --out FILE` and `learncity restore FILE --db PATH`
 * (cli/cmd_backup.c). */
int lc_cmd_backup(int argc, char **argv);
int lc_cmd_restore(int argc, char **argv);
/* `learncity library export|import|reindex` (cli/cmd_library.c); argv[0] is "library". */
int lc_cmd_library(int argc, char **argv);

#endif
