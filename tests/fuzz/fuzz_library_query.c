/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * libFuzzer target for the library's search box: the input is what a
 * person typed. lc_library_match must build an expression FTS5 always
 * accepts (a syntax error aborts), with and without the prefix star, and
 * the tokenizer "lc" must index the same bytes as a document in every
 * language without failing.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "db/db.h"
#include "domain/library/library.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lc_db *db;

static void must(int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE) {
		fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(lc_db_sqlite(db)));
		abort();
	}
}

static void open_once(void)
{
	if (db)
		return;
	if (lc_db_open(":memory:", LC_DB_CREATE | LC_DB_NO_MIGRATE, &db) != 0)
		abort();
	for (size_t l = 0; lc_library_langs[l]; l++) {
		char sql[160];
		snprintf(sql, sizeof sql,
		         "CREATE VIRTUAL TABLE t_%s USING fts5(a, b, tokenize='lc %s')",
		         lc_library_langs[l], lc_library_langs[l]);
		must(sqlite3_exec(lc_db_sqlite(db), sql, NULL, NULL, NULL), "create");
		snprintf(sql, sizeof sql,
		         "INSERT INTO t_%s VALUES ('Éducation C++ التَّعَلُّمُ', '终身学习城市 всё')",
		         lc_library_langs[l]);
		must(sqlite3_exec(lc_db_sqlite(db), sql, NULL, NULL, NULL), "insert");
	}
}

static void query(const char *table_sql, const char *expr)
{
	sqlite3_stmt *st = NULL;
	must(sqlite3_prepare_v2(lc_db_sqlite(db), table_sql, -1, &st, NULL), "prepare");
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	must(rc, expr);
	sqlite3_finalize(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	open_once();
	if (size > LC_LIMIT_LIBRARY_QUERY_BYTES)
		size = LC_LIMIT_LIBRARY_QUERY_BYTES;
	static char expr[2 * LC_LIMIT_LIBRARY_QUERY_BYTES + 4 * LC_LIMIT_LIBRARY_QUERY_TERMS + 8];
	for (int prefix = 0; prefix < 2; prefix++) {
		long n = lc_library_match((const char *)data, size, prefix, expr, sizeof expr);
		if (n < 0)
			abort(); /* the buffer is sized for the worst case */
		if (n == 0)
			continue;
		query("SELECT rowid, snippet(t_en, -1, '[', ']', '...', 8) FROM t_en WHERE t_en "
		      "MATCH ?1",
		      expr);
		query("SELECT rowid FROM t_zh WHERE t_zh MATCH ?1 ORDER BY rank", expr);
		query("SELECT rowid FROM t_ar WHERE a MATCH ?1", expr);
	}
	/* The same bytes as a document. */
	sqlite3_stmt *st = NULL;
	must(sqlite3_prepare_v2(lc_db_sqlite(db), "INSERT INTO t_ru (rowid, a) VALUES (7, ?1)", -1,
	                        &st, NULL),
	     "prepare");
	sqlite3_bind_text(st, 1, (const char *)data, (int)size, SQLITE_STATIC);
	must(sqlite3_step(st), "index");
	sqlite3_finalize(st);
	must(sqlite3_exec(lc_db_sqlite(db), "DELETE FROM t_ru WHERE rowid = 7", NULL, NULL, NULL),
	     "delete");
	return 0;
}
