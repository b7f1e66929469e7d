/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/demo/demo.c: what the demonstration data holds, refusing a
 * second load, reporting bad files, and an injected database failure at many
 * points of the load leaving the database exactly as before.
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

#include "base/diag.h"
#include "base/error.h"
#include "cli/cli.h"
#include "db/db.h"
#include "query.h"
#include "domain/demo/demo.h"

static void test_contents(void **state)
{
	(void)state;
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(":memory:", 0, &db), 0);
	bool flag = true;
	assert_int_equal(lc_demo_is_empty(db, &flag), 0);
	assert_true(flag);
	assert_int_equal(lc_demo_is_loaded(db, &flag), 0);
	assert_false(flag);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_demo_load(db, &d), 0);
	assert_int_equal(lc_diag_total(&d), 0);
	assert_int_equal(lc_demo_is_loaded(db, &flag), 0);
	assert_true(flag);
	assert_int_equal(lc_demo_is_empty(db, &flag), 0);
	assert_false(flag);

	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM cities"), 58);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM awards"), 58);
	assert_int_equal(lc_test_count(db, "SELECT count(DISTINCT city_id) FROM awards"), 57);
	/* The five past rounds, and the demonstration's 2027 round, open for nominations. */
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM award_rounds"), 6);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM award_round_settings"
	                                   " WHERE year = 2027 AND demo = 1"),
	                 1);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM conferences"), 6);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM memberships"), 57);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM network_counts"), 6);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM countries"), 249);
	/* Never invented: no populations, coordinates or join dates. */
	assert_int_equal(lc_test_count(db,
	                               "SELECT count(*) FROM cities WHERE population IS NOT NULL"
	                               " OR latitude IS NOT NULL OR area_km2 IS NOT NULL"),
	                 0);
	assert_int_equal(
	    lc_test_count(db, "SELECT count(*) FROM memberships WHERE from_date IS NOT NULL"), 0);
	/* Every awardee's country has a verified UNESCO region. */
	assert_int_equal(
	    lc_test_count(db, "SELECT count(*) FROM awards a JOIN cities c ON c.id = a.city_id"
	                      " JOIN countries co ON co.alpha2 = c.country"
	                      " WHERE co.region_provenance IS NOT 'verified'"),
	    0);
	assert_int_equal(
	    lc_test_count(db, "SELECT members FROM network_counts WHERE as_of = '2025-12'"), 425);

	assert_int_equal(lc_demo_load(db, &d), LC_ECONFLICT);
	assert_int_equal(lc_diag_total(&d), 1);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM cities"), 58);
	lc_diag_cleanup(&d);

	struct lc_diag c;
	lc_diag_init(&c);
	assert_int_equal(lc_db_check(db, &c), 0);
	assert_int_equal(lc_diag_total(&c), 0);
	lc_diag_cleanup(&c);
	lc_db_close(db);
}

static void expect_bad(const char *text, const char *field_part)
{
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(":memory:", 0, &db), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_demo_load_json(db, text, strlen(text), &d), LC_EINVAL);
	assert_true(lc_diag_total(&d) >= 1);
	if (field_part)
		assert_non_null(strstr(d.items[0].field ? d.items[0].field : "", field_part));
	lc_diag_cleanup(&d);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM countries"), 0);
	lc_db_close(db);
}

static void test_bad_files(void **state)
{
	(void)state;
	expect_bad("[", NULL);
	expect_bad("{\"format\": \"learncity-demo/2\"}", "format");
	expect_bad("{\"format\": \"learncity-demo/1\", \"cities\": 3}", "cities");
	expect_bad(
	    "{\"format\": \"learncity-demo/1\", \"cities\": [{\"slug\": \"Bad Slug\","
	    " \"name\": {\"en\": \"x\"}, \"country\": \"FR\", \"provenance\": \"verified\"}]}",
	    "cities[0]");
	expect_bad(
	    "{\"format\": \"learncity-demo/1\", \"cities\": [{\"slug\": \"x\","
	    " \"name\": {\"en\": \"X\"}, \"country\": \"QQ\", \"provenance\": \"verified\"}]}",
	    "cities[0]");
	expect_bad("{\"format\": \"learncity-demo/1\", \"cities\": [], \"conferences\": [],"
	           " \"award_rounds\": [{\"year\": 2015, \"provenance\": \"verified\","
	           " \"awardees\": [\"nowhere\"]}], \"memberships\": [], \"network_counts\": []}",
	           "awardees[0]");
}

static void test_injected_failures_roll_back(void **state)
{
	(void)state;
	long fired_runs = 0;
	/* Sample failure points across the whole load (about 1,500 database calls). */
	for (long n = 1; n < 100000; n += 53) {
		struct lc_db *db = NULL;
		assert_int_equal(lc_db_open(":memory:", 0, &db), 0);
		struct lc_diag d;
		lc_diag_init(&d);
		lc_db_fault_set(n);
		int err = lc_demo_load(db, &d);
		bool fired = !lc_db_fault_pending();
		lc_db_fault_set(0);
		lc_diag_cleanup(&d);
		if (!fired) {
			assert_int_equal(err, 0);
			lc_db_close(db);
			break;
		}
		fired_runs++;
		assert_int_not_equal(err, 0);
		assert_int_equal(lc_db_depth(db), 0);
		assert_int_equal(lc_test_count(db, "SELECT count(*) FROM countries"), 0);
		assert_int_equal(lc_test_count(db, "SELECT count(*) FROM cities"), 0);
		assert_int_equal(lc_test_count(db, "SELECT count(*) FROM framework_versions"), 0);
		bool loaded = true;
		assert_int_equal(lc_demo_is_loaded(db, &loaded), 0);
		assert_false(loaded);
		lc_db_close(db);
	}
	assert_true(fired_runs > 10);
}

static int run_cmd(int (*cmd)(int, char **), const char *a0, const char *a1, const char *a2,
                   const char *a3)
{
	char *argv[5] = {(char *)a0, (char *)a1, (char *)a2, (char *)a3, NULL};
	int argc = 1;
	while (argc < 4 && argv[argc])
		argc++;
	return cmd(argc, argv);
}

static void test_commands(void **state)
{
	(void)state;
	char dir[] = "/tmp/lc-test-cmd-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/x.db", dir);

	assert_int_equal(run_cmd(lc_cmd_init, "init", NULL, NULL, NULL), LC_EXIT_USAGE);
	assert_int_equal(run_cmd(lc_cmd_init, "init", "--nope", NULL, NULL), LC_EXIT_USAGE);
	assert_int_equal(run_cmd(lc_cmd_init, "init", "--help", NULL, NULL), LC_EXIT_OK);
	assert_int_equal(run_cmd(lc_cmd_demo, "demo", "--help", NULL, NULL), LC_EXIT_OK);
	assert_int_equal(run_cmd(lc_cmd_check, "check", "--help", NULL, NULL), LC_EXIT_OK);
	assert_int_equal(run_cmd(lc_cmd_check, "check", "--db", path, NULL), LC_EXIT_FAIL);

	assert_int_equal(run_cmd(lc_cmd_init, "init", "--db", path, NULL), LC_EXIT_OK);
	assert_int_equal(run_cmd(lc_cmd_init, "init", "--db", path, NULL), LC_EXIT_OK);
	assert_int_equal(run_cmd(lc_cmd_check, "check", "--db", path, NULL), LC_EXIT_OK);
	assert_int_equal(run_cmd(lc_cmd_demo, "demo", "--db", path, NULL), LC_EXIT_OK);
	assert_int_equal(run_cmd(lc_cmd_demo, "demo", "--db", path, NULL), LC_EXIT_OK);
	/* A database with cities is not initialised again without --force. */
	assert_int_equal(run_cmd(lc_cmd_init, "init", "--db", path, NULL), LC_EXIT_FAIL);
	assert_int_equal(run_cmd(lc_cmd_check, "check", "--db", path, NULL), LC_EXIT_OK);

	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(path, 0, &db), 0);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM cities"), 58);
	assert_int_equal(lc_db_exec(db, "UPDATE schema_migrations SET sha256 = 'edited'"), 0);
	lc_db_close(db);
	assert_int_equal(run_cmd(lc_cmd_check, "check", "--db", path, NULL), LC_EXIT_FAIL);

	assert_int_equal(run_cmd(lc_cmd_init, "init", "--db", path, "--force"), LC_EXIT_OK);
	assert_int_equal(lc_db_open(path, 0, &db), 0);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM cities"), 0);
	assert_int_equal(lc_test_count(db, "SELECT count(*) FROM countries"), 249);
	/* A database from a newer learncity is left alone. */
	assert_int_equal(lc_db_exec(db, "INSERT INTO schema_migrations (version, name, sha256)"
	                                " VALUES (9998, '9998_future.sql', 'x')"),
	                 0);
	lc_db_close(db);
	assert_int_equal(run_cmd(lc_cmd_init, "init", "--db", path, NULL), LC_EXIT_FAIL);
	assert_int_equal(run_cmd(lc_cmd_demo, "demo", "--db", path, NULL), LC_EXIT_FAIL);
	assert_int_equal(run_cmd(lc_cmd_check, "check", "--db", path, NULL), LC_EXIT_FAIL);
	assert_int_equal(run_cmd(lc_cmd_demo, "demo", "--db", path, "--force"), LC_EXIT_OK);
	assert_int_equal(run_cmd(lc_cmd_check, "check", "--db", path, NULL), LC_EXIT_OK);

	static const char *const sfx[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		char p[96];
		snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
		unlink(p);
	}
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_contents),
	    cmocka_unit_test(test_bad_files),
	    cmocka_unit_test(test_injected_failures_roll_back),
	    cmocka_unit_test(test_commands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
