/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Problems are codes with arguments, said in the reader's language: an
 * import's cell error (with its row and column), a pipeline spec's error
 * and a backup's error render in French from the catalogues and carry
 * their arguments; a reason that is one of our error codes is translated
 * too, and so is a state's name; the command line says a coded problem as a whole sentence, in
 * French when LANG asks for it.
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

#include "accounts_fixture.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/catalogue.h"
#include "cli/cli.h"
#include "db/backup.h"
#include "domain/monitoring/obs_import.h"
#include "domain/monitoring/year_review.h"
#include "engine/spec.h"

/* d's lines as lc_catalogue_format_diag says them in lang, into out (caller cleans up). */
static const char *say(const struct lc_diag *d, const char *lang, struct lc_buf *out)
{
	const struct lc_catalogue *c = lc_catalogue_shared();
	assert_non_null(c);
	lc_buf_init(out, 1u << 16);
	lc_catalogue_format_diag(c, lang, d, out);
	return lc_buf_cstr(out);
}

static void contains(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("'%s' does not say '%s'", text, needle);
}

static void lacks(const char *text, const char *needle)
{
	if (strstr(text, needle))
		fail_msg("'%s' still says '%s'", text, needle);
}

/* The entry of d with this code, or a failed test. */
static const struct lc_diag_entry *entry(const struct lc_diag *d, const char *code)
{
	for (size_t i = 0; i < d->count; i++)
		if (d->items[i].code && strcmp(d->items[i].code, code) == 0)
			return &d->items[i];
	fail_msg("no entry has the code %s", code);
	return NULL;
}

static void test_import_cell(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor sys;
	lc_actor_system(&sys);
	struct lc_diag d;
	lc_diag_init(&d);
	const char *csv = "city,code,year,value,unit,source,note\n"
	                  "cork,1.1.1.a,2025,50,%,,\n"
	                  "cork,1.1.1.a,2024,150,%,,\n"
	                  "cork,1.3.3.b,2025,perhaps,,,\n"
	                  "atlantis,1.1.1.a,2025,50,%,,\n";
	assert_int_equal(lc_obs_import_csv(db, &sys, csv, strlen(csv), "obs.csv", NULL, &d, NULL),
	                 LC_EINVAL);
	const struct lc_diag_entry *e = entry(&d, "err_obs_value_percentage");
	assert_int_equal(e->line, 3);
	assert_int_equal(e->column, 4);
	assert_string_equal(lc_diag_arg(e, "value"), "150");
	struct lc_buf b;
	const char *fr = say(&d, "fr", &b);
	contains(fr, "obs.csv:3:4: value: « 150 » est un pourcentage et doit être compris entre "
	             "0 et 100");
	contains(fr, "obs.csv:4:4: value: « perhaps » doit être oui ou non");
	contains(fr, "obs.csv:5:1: city: « atlantis » : ville inconnue");
	lacks(fr, "percentage");
	lacks(fr, "unknown city");
	lc_buf_cleanup(&b);
	/* The English rendering is kept on the entry for logs. */
	assert_string_equal(e->message, "'150' is a percentage and must be from 0 to 100");
	lc_diag_cleanup(&d);
}

static void test_state_names(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	/* A year with no values is not started: approving it is refused with both states named. */
	assert_int_equal(lc_year_review_approve(db, &admin, "cork", 2019, &d), LC_ECONFLICT);
	const struct lc_diag_entry *e = entry(&d, "err_review_become");
	assert_string_equal(e->message, "cork 2019 is not started: it cannot become approved");
	struct lc_buf b;
	const char *fr = say(&d, "fr", &b);
	contains(
	    fr, "status: cork 2019 : état « non commencée », impossible de passer à « approuvée »");
	lacks(fr, "approved");
	lc_buf_cleanup(&b);
	lc_diag_cleanup(&d);
}

static void test_spec(void **state)
{
	(void)state;
	const char *json = "{\"steps\": [{\"op\": \"normalise\", \"method\": \"nope\"},"
	                   " {\"op\": \"treat\", \"winmax\": -1}, {\"op\": \"blend\"}]}";
	struct lc_spec s;
	lc_spec_init(&s);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_spec_parse(&s, json, strlen(json), "spec.json", &d), LC_EINVAL);
	const struct lc_diag_entry *e = entry(&d, "err_spec_enum");
	assert_string_equal(e->field, "steps[0].method");
	assert_string_equal(lc_diag_arg(e, "value"), "nope");
	struct lc_buf b;
	const char *fr = say(&d, "fr", &b);
	contains(fr, "spec.json: steps[0].method: valeur inconnue « nope » (attendu : ");
	contains(fr, "spec.json: steps[1].winmax: -1 est hors de l’intervalle [0, 1e+06]");
	contains(fr, "spec.json: steps[2].op: opération inconnue « blend »");
	lacks(fr, "unknown");
	lc_buf_cleanup(&b);
	lc_diag_cleanup(&d);
	lc_spec_cleanup(&s);
}

static void test_backup(void **state)
{
	(void)state;
	char dir[] = "/tmp/lc-diag-fr-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char notdb[128], missing[128];
	snprintf(notdb, sizeof notdb, "%s/notes.txt", dir);
	snprintf(missing, sizeof missing, "%s/none.db", dir);
	FILE *f = fopen(notdb, "w");
	assert_non_null(f);
	fputs("not a database, only some words that are long enough\n", f);
	fclose(f);

	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_backup_verify(notdb, NULL, &d), LC_EINVAL);
	assert_int_equal(lc_backup_verify(missing, NULL, &d), LC_ENOTFOUND);
	assert_string_equal(lc_diag_arg(entry(&d, "err_backup_not_sqlite"), "path"), notdb);
	/* A reason that is one of our error codes is a key, said in the reader's language. */
	lc_diag_addf(&d, NULL, 0, 0, "backup", "err_backup_read", LC_ARG_S("path", notdb),
	             LC_ARG_K("reason", lc_error_key(LC_EIO)));
	struct lc_buf b;
	const char *fr = say(&d, "fr", &b);
	char want[256];
	snprintf(want, sizeof want, "restore: %s n’est pas une base de données SQLite", notdb);
	contains(fr, want);
	snprintf(want, sizeof want, "restore: aucun fichier à l’emplacement %s", missing);
	contains(fr, want);
	snprintf(want, sizeof want, "backup: impossible de lire %s : erreur d’entrée-sortie",
	         notdb);
	contains(fr, want);
	lacks(fr, "not a SQLite");
	lc_buf_cleanup(&b);
	assert_non_null(strstr(d.items[2].message, ": input/output error"));
	lc_diag_cleanup(&d);
	unlink(notdb);
	rmdir(dir);
}

static void test_cli(void **state)
{
	(void)state;
	struct lc_diag d;
	lc_diag_init(&d);
	lc_diag_addf(&d, "spec.json", 0, 0, "steps[2].op", "err_spec_op_unknown",
	             LC_ARG_S("value", "blend"));
	const char *before = getenv("LANG");
	char *saved = before ? lc_xstrdup(before) : NULL;
	struct lc_buf b;

	setenv("LANG", "fr_FR.UTF-8", 1);
	lc_buf_init(&b, 4096);
	lc_cli_format_diag(&d, &b);
	assert_string_equal(lc_buf_cstr(&b),
	                    "spec.json: steps[2].op: opération inconnue « blend » (attendu : "
	                    "denominate, impute, screen, treat, normalise ou aggregate)\n");
	lc_buf_cleanup(&b);

	setenv("LANG", "C.UTF-8", 1);
	lc_buf_init(&b, 4096);
	lc_cli_format_diag(&d, &b);
	assert_string_equal(lc_buf_cstr(&b),
	                    "spec.json: steps[2].op: unknown op 'blend' (expected denominate, "
	                    "impute, screen, treat, normalise or aggregate)\n");
	lc_buf_cleanup(&b);

	if (saved)
		setenv("LANG", saved, 1);
	else
		unsetenv("LANG");
	lc_free(saved);
	lc_diag_cleanup(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_import_cell, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_state_names, fx_setup, fx_teardown),
	    cmocka_unit_test(test_spec),
	    cmocka_unit_test(test_backup),
	    cmocka_unit_test(test_cli),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
