/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Synthetic data of the monitoring benchmarks: see bench_data.h. The SQL
 * here is bench-only (it writes cities and measurements directly, which no
 * domain path does); the values go through the real import.
 */
#include "bench_data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "db/db.h"
#include "domain/demo/demo.h"
#include "domain/monitoring/observation.h"

double bench_now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* This process's CPU seconds: steadier than the wall clock on a loaded machine. */
double bench_cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

_Noreturn void bench_die(const char *what, int err, struct lc_diag *d)
{
	fprintf(stderr, "bench: %s: %s\n", what, lc_strerror(err));
	if (d && lc_diag_total(d)) {
		struct lc_buf b;
		lc_buf_init(&b, 1u << 16);
		lc_diag_format(d, &b);
		fprintf(stderr, "%s", lc_buf_cstr(&b));
		lc_buf_cleanup(&b);
	}
	exit(1);
}

static void exec_sql(struct lc_db *db, const char *sql)
{
	if (lc_db_exec(db, sql) != 0)
		bench_die(sql, LC_EDB, NULL);
}

/* Synthetic cities and measurements: bench-only SQL, not a domain path. */
static void seed(struct lc_db *db)
{
	exec_sql(db, "BEGIN");
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO cities (slug, name, search_key, sort_key,"
	                                  " country, provenance) VALUES (?1, json_object('en', ?2),"
	                                  " ?2, json_object('en', ?2), 'IE', 'provisional')");
	for (int i = 0; i < BENCH_CITIES; i++) {
		char slug[32], name[32];
		snprintf(slug, sizeof slug, "bench-%04d", i);
		snprintf(name, sizeof name, "Bench city %d", i);
		lc_db_bind_text(st, 1, slug);
		lc_db_bind_text(st, 2, name);
		if (lc_db_step(db, st) < 0)
			bench_die("insert city", LC_EDB, NULL);
	}
	lc_db_release(db, st);
	exec_sql(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)"
	             " INSERT INTO framework_measurements (feature_id, code, position, label, unit,"
	             " direction, type, provenance)"
	             " SELECT (SELECT min(id) FROM framework_features), 'zz.bench.' || i, 100 + i,"
	             " '{\"en\":\"Synthetic\"}', NULL, 'higher_is_better', 'number', 'provisional'"
	             " FROM n WHERE i <= 60 - (SELECT count(*) FROM framework_measurements)");
	exec_sql(db, "COMMIT");
}

/* A value valid for m, varied by city, year and round. */
static void value_for(const struct lc_obs_measure *m, int c, int y, int round, char *out, size_t n)
{
	unsigned h = (unsigned)(c * 7919 + y * 104729 + round * 31 + (int)m->id * 13);
	switch (m->type) {
	case LC_OBS_YES_NO: snprintf(out, n, "%s", h % 2 ? "yes" : "no"); break;
	case LC_OBS_MATURITY: snprintf(out, n, "%u", h % 5); break;
	case LC_OBS_TEXT: snprintf(out, n, "text %u", h % 1000); break;
	case LC_OBS_PERCENTAGE: snprintf(out, n, "%u.%u", h % 100, h % 10); break;
	case LC_OBS_NUMBER:
		if (!isnan(m->low) && !isnan(m->high))
			snprintf(out, n, "%g",
			         m->low + (m->high - m->low) * (double)(h % 1000) / 1000);
		else
			snprintf(out, n, "%u.%u", h % 5000, h % 10);
		break;
	}
}

void bench_table_build(const struct lc_obs_catalog *cat, int years, int round,
                       struct bench_table *t)
{
	static const char *const header[BENCH_COLS] = {"city",  "code",   "year",
	                                               "value", "source", "note"};
	size_t rows = (size_t)BENCH_CITIES * BENCH_MEASURES * (size_t)years + 1;
	t->n_rows = rows;
	t->cells = lc_xreallocarray(NULL, rows * BENCH_COLS, sizeof *t->cells);
	lc_buf_init(&t->text, 1u << 30);
	/* Offsets first (the buffer moves while it grows), slices at the end. */
	size_t *off = lc_xreallocarray(NULL, rows * BENCH_COLS * 2, sizeof *off);
	size_t k = 0;
#define PUT(s)                                                                                     \
	do {                                                                                       \
		off[2 * k] = t->text.len;                                                          \
		lc_buf_puts(&t->text, s);                                                          \
		off[2 * k + 1] = t->text.len - off[2 * k];                                         \
		k++;                                                                               \
	} while (0)
	for (int i = 0; i < BENCH_COLS; i++)
		PUT(header[i]);
	char slug[32], year[24], value[64];
	for (int c = 0; c < BENCH_CITIES; c++) {
		snprintf(slug, sizeof slug, "bench-%04d", c);
		for (int y = 0; y < years; y++) {
			snprintf(year, sizeof year, "%ld", cat->year_max - years + 1 + y);
			for (size_t m = 0; m < cat->nm && m < BENCH_MEASURES; m++) {
				value_for(&cat->m[m], c, y, round, value, sizeof value);
				PUT(slug);
				PUT(cat->m[m].code);
				PUT(year);
				PUT(value);
				PUT("Synthetic benchmark data");
				PUT("");
			}
		}
	}
#undef PUT
	if (lc_buf_error(&t->text))
		bench_die("build", LC_ELIMIT, NULL);
	t->n_rows = k / BENCH_COLS;
	for (size_t i = 0; i < k; i++)
		t->cells[i] = lc_slice_make(t->text.data + off[2 * i], off[2 * i + 1]);
	lc_free(off);
}

void bench_table_cleanup(struct bench_table *t)
{
	lc_buf_cleanup(&t->text);
	lc_free(t->cells);
	t->cells = NULL;
}

void bench_open_seeded(const char *path, struct lc_db **db)
{
	char aux[4200];
	unlink(path);
	snprintf(aux, sizeof aux, "%s-wal", path);
	unlink(aux);
	snprintf(aux, sizeof aux, "%s-shm", path);
	unlink(aux);
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_db_open(path, LC_DB_CREATE, db);
	if (!err)
		err = lc_demo_load(*db, &d);
	if (err)
		bench_die("demo database", err, &d);
	lc_diag_cleanup(&d);
	seed(*db);
}
