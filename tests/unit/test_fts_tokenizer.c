/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of db/fts_tokenizer.c, script by script: accents and case (French,
 * Spanish), stems (English, French, Spanish, Russian), ё and е, Arabic
 * with and without harakat and tatweel, Chinese compounds found by two of
 * their characters (with highlight offsets in the original text), prefix
 * queries, and arguments refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "db/db.h"

static int setup(void **state)
{
	struct lc_db *db = NULL;
	if (lc_db_open(":memory:", LC_DB_CREATE | LC_DB_NO_MIGRATE, &db) != 0)
		return -1;
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	lc_db_close(*state);
	return 0;
}

/* Creates table t_<lang> with the tokenizer "lc <lang>" holding one row. */
static void put(struct lc_db *db, const char *lang, const char *text)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
	         "CREATE VIRTUAL TABLE IF NOT EXISTS t_%s USING fts5(x, tokenize='lc %s')", lang,
	         lang);
	assert_int_equal(sqlite3_exec(lc_db_sqlite(db), sql, NULL, NULL, NULL), SQLITE_OK);
	snprintf(sql, sizeof(sql), "INSERT INTO t_%s(x) VALUES (?1)", lang);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(lc_db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/* Rows of t_<lang> matching the FTS5 expression q. */
static int hits(struct lc_db *db, const char *lang, const char *q)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM t_%s WHERE t_%s MATCH ?1", lang, lang);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(lc_db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void test_french_accents_and_stems(void **state)
{
	struct lc_db *db = *state;
	put(db, "fr", "L'Éducation des adultes dans les villes apprenantes");
	assert_int_equal(hits(db, "fr", "\"education\""), 1);
	assert_int_equal(hits(db, "fr", "\"EDUCATIONS\""), 1);
	assert_int_equal(hits(db, "fr", "\"adulte\""), 1);
	assert_int_equal(hits(db, "fr", "\"ville\" \"apprenante\""), 1);
	assert_int_equal(hits(db, "fr", "\"apprentissage\""), 0);
}

static void test_english_stems_and_prefix(void **state)
{
	struct lc_db *db = *state;
	put(db, "en", "Learning Cities connect libraries");
	assert_int_equal(hits(db, "en", "\"learn\""), 1);
	assert_int_equal(hits(db, "en", "\"city\""), 1);
	assert_int_equal(hits(db, "en", "\"library\""), 1);
	/* A prefix is not stemmed, and finds the word itself. */
	assert_int_equal(hits(db, "en", "\"learni\"*"), 1);
	assert_int_equal(hits(db, "en", "\"librar\"*"), 1);
	assert_int_equal(hits(db, "en", "\"museum\""), 0);
}

static void test_spanish(void **state)
{
	struct lc_db *db = *state;
	put(db, "es", "Alfabetización de adultos en las bibliotecas públicas");
	assert_int_equal(hits(db, "es", "\"alfabetizacion\""), 1);
	assert_int_equal(hits(db, "es", "\"biblioteca\" \"publica\""), 1);
	assert_int_equal(hits(db, "es", "\"adulto\""), 1);
}

static void test_russian_yo(void **state)
{
	struct lc_db *db = *state;
	put(db, "ru", "Обучение взрослых: всё о новых учёных");
	assert_int_equal(hits(db, "ru", "\"все\""), 1);
	assert_int_equal(hits(db, "ru", "\"ученых\""), 1);
	assert_int_equal(hits(db, "ru", "\"учёный\""), 1);
	assert_int_equal(hits(db, "ru", "\"обучения\""), 1);
	assert_int_equal(hits(db, "ru", "\"взрослые\""), 1);
	/* No stem is shared with an unrelated word. */
	assert_int_equal(hits(db, "ru", "\"город\""), 0);
}

static void test_arabic_marks(void **state)
{
	struct lc_db *db = *state;
	/* "lifelong learning" with full harakat, then a word stretched with tatweel. */
	put(db, "ar", "التَّعَلُّمُ مَدَى الحَيَاةِ في المـــدينة");
	assert_int_equal(hits(db, "ar", "\"التعلم\""), 1);
	assert_int_equal(hits(db, "ar", "\"الحياة\""), 1);
	assert_int_equal(hits(db, "ar", "\"التعلم مدى الحياة\""), 1);
	assert_int_equal(hits(db, "ar", "\"المدينة\""), 1);
	/* And the other way round: a vowelled query finds plain text. */
	put(db, "ar", "محو الأمية");
	assert_int_equal(hits(db, "ar", "\"مَحْو\""), 1);
	assert_int_equal(hits(db, "ar", "\"مكتبة\""), 0);
}

static void test_chinese_bigrams(void **state)
{
	struct lc_db *db = *state;
	put(db, "zh", "终身学习城市建设，社区学习中心");
	assert_int_equal(hits(db, "zh", "\"学习\""), 1);
	assert_int_equal(hits(db, "zh", "\"城市\""), 1);
	assert_int_equal(hits(db, "zh", "\"终身学习\""), 1);
	assert_int_equal(hits(db, "zh", "\"学习中心\""), 1);
	/* The two characters must be neighbours. */
	assert_int_equal(hits(db, "zh", "\"学城\""), 0);
	assert_int_equal(hits(db, "zh", "\"图书\""), 0);

	/* Highlights fall on the original characters. */
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(lc_db_sqlite(db),
	                                    "SELECT highlight(t_zh, 0, '[', ']') FROM t_zh "
	                                    "WHERE t_zh MATCH '\"城市\"'",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0),
	                    "终身学习[城市]建设，社区学习中心");
	sqlite3_finalize(st);
}

static void test_mixed_token(void **state)
{
	struct lc_db *db = *state;
	/* Latin and Han in one unicode61 token: each part found on its own. */
	put(db, "none", "UNESCO学习城市网络");
	assert_int_equal(hits(db, "none", "\"unesco\""), 1);
	assert_int_equal(hits(db, "none", "\"网络\""), 1);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(lc_db_sqlite(db),
	                                    "SELECT highlight(t_none, 0, '[', ']') FROM t_none "
	                                    "WHERE t_none MATCH '\"unesco\"'",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "[UNESCO]学习城市网络");
	sqlite3_finalize(st);
}

static void test_bad_arguments(void **state)
{
	struct lc_db *db = *state;
	sqlite3 *h = lc_db_sqlite(db);
	assert_int_not_equal(sqlite3_exec(h,
	                                  "CREATE VIRTUAL TABLE b1 USING fts5(x, tokenize='lc xx')",
	                                  NULL, NULL, NULL),
	                     SQLITE_OK);
	assert_int_not_equal(
	    sqlite3_exec(h, "CREATE VIRTUAL TABLE b2 USING fts5(x, tokenize='lc en fr')", NULL,
	                 NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "CREATE VIRTUAL TABLE b3 USING fts5(x, tokenize='lc')",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_french_accents_and_stems, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_english_stems_and_prefix, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_spanish, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_russian_yo, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_arabic_marks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_chinese_bigrams, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mixed_token, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
