/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of the library's export and import (domain/library/library_io.c) and
 * of `learncity library export|import|reindex`: a library with cases in
 * every state exported, imported into a fresh database and exported again
 * gives the same bytes and the same search; bad files are refused with
 * every problem at its place and leave the database as it was; new ids on
 * request; reindex checks the indexes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts_fixture.h"
#include "base/alloc.h"
#include "base/limits.h"
#include "cli/cli.h"
#include "domain/library/library.h"

/* Runs learncity with args, standard output and error into files; returns the exit code. */
static int run(const char *const *args, char **out, char **err)
{
	char o[] = "/tmp/lc-lib-out-XXXXXX", e[] = "/tmp/lc-lib-err-XXXXXX";
	int fo = mkstemp(o), fe = mkstemp(e);
	assert_true(fo >= 0 && fe >= 0);
	fflush(stdout);
	fflush(stderr);
	int so = dup(1), se = dup(2);
	dup2(fo, 1);
	dup2(fe, 2);
	char *argv[32];
	int argc = 0;
	argv[argc++] = (char *)"learncity";
	for (; args[argc - 1]; argc++)
		argv[argc] = (char *)args[argc - 1];
	argv[argc] = NULL;
	int rc = lc_cli_main(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	char *bufs[2] = {NULL, NULL};
	int fds[2] = {fo, fe};
	for (int k = 0; k < 2; k++) {
		off_t n = lseek(fds[k], 0, SEEK_END);
		bufs[k] = lc_xcalloc((size_t)n + 1, 1);
		assert_int_equal(pread(fds[k], bufs[k], (size_t)n, 0), n);
		close(fds[k]);
	}
	unlink(o);
	unlink(e);
	*out = bufs[0];
	*err = bufs[1];
	return rc;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = lc_xcalloc((size_t)n + 1, 1);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return s;
}

static int64_t now = T0;

static int64_t create(struct lc_db *db, const struct lc_actor *a, const char *json)
{
	json_t *body = json_loads(json, 0, NULL);
	assert_non_null(body);
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0;
	lc_clock_set_test(now += 3600);
	assert_int_equal(lc_library_create(db, a, body, &id, &d), 0);
	json_decref(body);
	lc_diag_cleanup(&d);
	return id;
}

static void take(struct lc_db *db, const struct lc_actor *a, int64_t id, const char *to,
                 const char *reason)
{
	lc_clock_set_test(now += 3600); /* every step an hour later: each time its own */
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_library_take(db, a, id, to, reason, &d);
	for (size_t i = 0; err && i < d.count; i++)
		fprintf(stderr, "problem: %s %s\n", d.items[i].field ? d.items[i].field : "",
		        d.items[i].code);
	assert_int_equal(err, 0);
	lc_diag_cleanup(&d);
}

static const char *full =
    "{\"city\": \"cork\", \"lang\": \"fr\", \"title\": \"Ateliers du soir\","
    " \"areas\": [\"community\"], \"primary_area\": \"community\", \"sdgs\": [\"4\"],"
    " \"primary_sdg\": \"4\", \"evidence\": {\"indicators\": [{\"name\": \"taux\","
    " \"baseline\": 0.71, \"value\": 0.8333333333333334}]},"
    " \"texts\": {\"fr\": {\"summary\": \"Des ateliers.\", \"context\": \"Un port.\","
    " \"objectives\": \"Lire.\", \"activities\": \"Ateliers.\", \"outcomes\": \"Mille.\"},"
    " \"ar\": {\"title\": \"ورش المساء\", \"summary\": \"وَرْشات للكبار\"}}}";

/* A demonstration database with one case in each state besides the demo's published ones. */
static void build_library(const char *path)
{
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(path, LC_DB_CREATE, &db), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_demo_load(db, &d), 0);
	lc_diag_cleanup(&d);
	struct lc_actor admin, coord;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	create(db, &coord, "{\"city\": \"cork\", \"lang\": \"en\", \"title\": \"A draft\"}");
	int64_t sub = create(db, &coord, full);
	json_t *edit = json_loads("{\"texts\": {\"fr\": {\"lessons\": \"Écouter.\"}}}", 0, NULL);
	lc_clock_set_test(now += 3600); /* updated after it was created */
	assert_int_equal(lc_library_update(db, &coord, sub, edit, &d), 0);
	json_decref(edit);
	take(db, &coord, sub, "submitted", NULL);
	int64_t chg = create(db, &coord, full);
	take(db, &coord, chg, "submitted", NULL);
	take(db, &admin, chg, "changes_requested", "Say more.");
	int64_t rev = create(db, &coord, full);
	take(db, &coord, rev, "submitted", NULL);
	take(db, &admin, rev, "published", NULL);
	json_t *patch = json_loads("{\"texts\": {\"fr\": {\"lessons\": \"Plus tard.\"}}}", 0, NULL);
	lc_clock_set_test(now += 3600);
	assert_int_equal(lc_library_update(db, &coord, rev, patch, &d), 0);
	json_decref(patch);
	int64_t wd = create(db, &coord, full);
	take(db, &coord, wd, "submitted", NULL);
	take(db, &admin, wd, "published", NULL);
	take(db, &admin, wd, "withdrawn", "Out of date.");
	lc_db_close(db);
}

static long search_total(struct lc_db *db, const char *q)
{
	struct lc_library_query query = {.q = q, .lang = "en"};
	json_t *r = NULL;
	assert_int_equal(lc_library_search(db, &query, &r), 0);
	long n = (long)json_integer_value(json_object_get(r, "total"));
	json_decref(r);
	return n;
}

static void test_roundtrip(void **state)
{
	(void)state;
	char dir[] = "/tmp/lc-lib-XXXXXX", a[64], b[64], e1[64], e2[64];
	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof a, "%s/a.db", dir);
	snprintf(b, sizeof b, "%s/b.db", dir);
	snprintf(e1, sizeof e1, "%s/one.json", dir);
	snprintf(e2, sizeof e2, "%s/two.json", dir);
	lc_password_set_light(true);
	lc_clock_set_test(T0);
	build_library(a);

	/* The fresh database: reference data and the same cities, no workflow item at all. */
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(b, LC_DB_CREATE, &db), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_demo_load_reference(db, &d), 0);
	lc_diag_cleanup(&d);
	char sql[256];
	snprintf(sql, sizeof sql, "ATTACH '%s' AS a", a);
	assert_int_equal(lc_db_exec(db, sql), 0);
	assert_int_equal(lc_db_exec(db, "INSERT INTO cities SELECT * FROM a.cities"), 0);
	assert_int_equal(lc_db_exec(db, "DETACH a"), 0);
	lc_db_close(db);

	char *out = NULL, *err = NULL;
	const char *exp1[] = {"library", "export", "--db", a, "--out", e1, NULL};
	assert_int_equal(run(exp1, &out, &err), 0);
	lc_free(out), lc_free(err);
	const char *imp[] = {"library", "import", "--db", b, e1, NULL};
	int rc = run(imp, &out, &err);
	if (rc)
		fprintf(stderr, "%s", err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "case(s) imported"));
	lc_free(out), lc_free(err);
	const char *exp2[] = {"library", "export", "--db", b, "--out", e2, NULL};
	assert_int_equal(run(exp2, &out, &err), 0);
	lc_free(out), lc_free(err);
	char *one = slurp(e1), *two = slurp(e2);
	assert_true(strlen(one) > 1000);
	assert_string_equal(one, two);
	/* Every state is there, and a number with 17 digits came back whole. */
	static const char *const st[] = {"draft", "submitted", "changes_requested", "published",
	                                 "withdrawn"};
	for (size_t i = 0; i < 5; i++) {
		char needle[64];
		snprintf(needle, sizeof needle, "\"state\": \"%s\"", st[i]);
		assert_non_null(strstr(one, needle));
	}
	assert_non_null(strstr(one, "0.8333333333333333"));
	lc_free(one);
	lc_free(two);

	/* The same search in both, and sound indexes after a reindex. */
	struct lc_db *da = NULL, *dbb = NULL;
	assert_int_equal(lc_db_open(a, 0, &da), 0);
	assert_int_equal(lc_db_open(b, 0, &dbb), 0);
	static const char *const qs[] = {"", "ateliers", "ورش", "learning", "ville"};
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(search_total(da, qs[i]), search_total(dbb, qs[i]));
	assert_true(search_total(dbb, "ورش") >= 1);
	lc_db_close(da);
	lc_db_close(dbb);
	const char *re[] = {"library", "reindex", "--db", b, NULL};
	assert_int_equal(run(re, &out, &err), 0);
	assert_non_null(strstr(out, "integrity-check passed"));
	lc_free(out), lc_free(err);

	/* Importing the same file again: every id is taken, nothing changes. */
	rc = run(imp, &out, &err);
	assert_int_equal(rc, LC_EXIT_USAGE);
	assert_non_null(strstr(err, "cases[0].id: "));
	assert_non_null(strstr(err, "nothing written"));
	lc_free(out), lc_free(err);
	const char *imp_new[] = {"library", "import", "--db", b, "--new-ids", e1, NULL};
	assert_int_equal(run(imp_new, &out, &err), 0);
	lc_free(out), lc_free(err);

	lc_clock_set_test(0);
	unlink(a), unlink(b), unlink(e1), unlink(e2);
	rmdir(dir);
}

/* The problems of importing text into db, with the database unchanged. */
static struct lc_diag *import_bad(struct lc_db *db, const char *text, int expect)
{
	static struct lc_diag d;
	lc_diag_init(&d);
	long long cases = fx_count(db, "SELECT count(*) FROM lib_cases");
	long long items = fx_count(db, "SELECT count(*) FROM wf_items");
	long long facets = fx_count(db, "SELECT count(*) FROM lib_facets");
	struct lc_actor sys;
	lc_actor_system(&sys);
	size_t n = 99;
	assert_int_equal(lc_library_import(db, &sys, text, strlen(text), 0, &n, &d), expect);
	assert_int_equal(n, 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM lib_cases"), cases);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM wf_items"), items);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM lib_facets"), facets);
	return &d;
}

static bool has(const struct lc_diag *d, const char *field, const char *code)
{
	for (size_t i = 0; i < d->count; i++)
		if (d->items[i].field && strcmp(d->items[i].field, field) == 0 &&
		    strcmp(d->items[i].code, code) == 0)
			return true;
	for (size_t i = 0; i < d->count; i++)
		fprintf(stderr, "have: %s %s\n", d->items[i].field ? d->items[i].field : "-",
		        d->items[i].code);
	return false;
}

static char *many_words(int n)
{
	char *s = lc_xmalloc((size_t)n * 4 + 1);
	for (int i = 0; i < n; i++)
		memcpy(s + i * 4, "mot ", 4);
	s[n * 4 - 1] = '\0';
	return s;
}

static void test_problems(void **state)
{
	struct lc_db *db = *state;
	json_t *doc = NULL;
	assert_int_equal(lc_library_export(db, &doc), 0);
	json_t *cases = json_object_get(doc, "cases");
	assert_true(json_array_size(cases) >= 2);
	json_t *good = json_deep_copy(json_array_get(cases, 0));
	json_object_del(good, "id");
	struct lc_diag *d;

	d = import_bad(db, "{\"format\": ", LC_EINVAL);
	assert_true(lc_diag_has(d, "err_library_import_json"));
	lc_diag_cleanup(d);
	d = import_bad(db, "{\"format\": \"other\", \"version\": 1, \"cases\": []}", LC_EINVAL);
	assert_true(lc_diag_has(d, "err_library_import_format"));
	lc_diag_cleanup(d);
	d = import_bad(db, "[1, 2]", LC_EINVAL);
	assert_true(lc_diag_has(d, "err_library_import_format"));
	lc_diag_cleanup(d);

	/* Many problems in one file, each at its place; the good case is not written either. */
	json_t *bad = json_pack("{s:s, s:i, s:[O]}", "format", LC_LIBRARY_FORMAT, "version", 1,
	                        "cases", good);
	json_t *list = json_object_get(bad, "cases");
	json_t *c1 = json_deep_copy(good); /* [1]: a summary too long in French, published */
	json_t *v0 = json_array_get(json_object_get(c1, "versions"), 0);
	json_t *fr = json_object();
	char *words = many_words(LC_LIMIT_LIBRARY_SUMMARY_WORDS + 12);
	json_object_set_new(fr, "title", json_string("Titre"));
	json_object_set_new(fr, "summary", json_string(words));
	lc_free(words);
	json_object_set_new(json_object_get(v0, "translations"), "fr", fr);
	json_array_append_new(list, c1);
	json_t *c2 = json_deep_copy(good); /* [2]: no such city, a taken id, a bad time */
	json_object_set_new(c2, "city", json_string("atlantis"));
	json_object_set(c2, "id", json_object_get(json_array_get(cases, 1), "id"));
	json_object_set_new(c2, "created_at", json_string("2025-02-30T00:00:00Z"));
	json_array_append_new(list, c2);
	json_t *c3 = json_deep_copy(good); /* [3]: published but no version was */
	json_object_set_new(json_array_get(json_object_get(c3, "versions"), 0), "published_at",
	                    json_null());
	json_object_set_new(c3, "colour", json_string("blue"));
	json_array_append_new(list, c3);
	json_t *c4 = json_deep_copy(good); /* [4]: an unknown SDG and an unknown language */
	json_t *v4 = json_array_get(json_object_get(c4, "versions"), 0);
	json_object_set_new(json_object_get(v4, "meta"), "sdgs", json_pack("[s]", "18"));
	json_object_set_new(json_object_get(v4, "translations"), "de",
	                    json_pack("{s:s}", "title", "Titel"));
	json_array_append_new(list, c4);
	json_t *c5 = json_deep_copy(good); /* [5]: the id twice in the file */
	json_object_set_new(c5, "id", json_integer(900001));
	json_array_append_new(list, json_deep_copy(c5));
	json_array_append_new(list, c5);
	char *text = json_dumps(bad, 0);
	d = import_bad(db, text, LC_EINVAL);
	assert_true(
	    has(d, "cases[1].versions[0].translations.fr.summary", "err_library_check_words"));
	assert_true(has(d, "cases[2].city", "err_library_city"));
	assert_true(has(d, "cases[2].id", "err_library_import_id"));
	assert_true(has(d, "cases[2].created_at", "err_library_import_time"));
	assert_true(has(d, "cases[3].published", "err_library_import_published"));
	assert_true(has(d, "cases[3].colour", "err_library_field"));
	assert_true(has(d, "cases[4].versions[0].meta.sdgs", "err_library_value"));
	assert_true(has(d, "cases[4].versions[0].translations", "err_library_lang"));
	assert_true(has(d, "cases[6].id", "err_library_import_id"));
	assert_false(lc_diag_has(d, "err_library_import_published_at"));
	lc_diag_cleanup(d);
	lc_free(text);

	/* Only the good case: it goes in, with a new id, published and found. */
	json_t *ok = json_pack("{s:s, s:i, s:[O]}", "format", LC_LIBRARY_FORMAT, "version", 1,
	                       "cases", good);
	text = json_dumps(ok, 0);
	struct lc_actor sys, anon;
	lc_actor_system(&sys);
	lc_actor_anonymous(&anon);
	struct lc_diag dd;
	lc_diag_init(&dd);
	size_t n = 0;
	assert_int_equal(lc_library_import(db, &anon, text, strlen(text), 0, &n, &dd), LC_EAUTH);
	long long before = fx_count(db, "SELECT count(*) FROM lib_cases");
	long long indexed = fx_count(db, "SELECT count(DISTINCT case_id) FROM lib_facets");
	assert_int_equal(lc_library_import(db, &sys, text, strlen(text), 0, &n, &dd), 0);
	assert_int_equal(n, 1);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM lib_cases"), before + 1);
	assert_int_equal(fx_count(db, "SELECT count(DISTINCT case_id) FROM lib_facets"),
	                 indexed + 1);
	const char *bad_lang = NULL;
	assert_int_equal(lc_library_fts_check(db, &bad_lang), 0);
	lc_diag_cleanup(&dd);
	lc_free(text);
	json_decref(ok);
	json_decref(bad);
	json_decref(good);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test_setup_teardown(test_problems, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
