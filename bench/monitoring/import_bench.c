/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Benchmark of the observation import (domain/obs_import.c): a database
 * file with the demonstration data, 1,000 synthetic cities and 60
 * measurements (the framework's, topped up with synthetic numeric ones),
 * then 1,000 cities x 60 measurements x 10 years of valid values built in
 * memory as a cell table and imported in one transaction as the operator.
 * Reports values/s of the first import (all new), of a re-import (all
 * unchanged), of a re-import with every value changed (all corrections),
 * and the time to build the approved engine input of one year after
 * approving it for every city. Target: >= 100,000 values/s.
 * Usage: bench_monitoring_import [DB_PATH] (default /tmp/lc-import-bench.db,
 * overwritten). Synthetic data only.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "db/db.h"
#include "domain/authz.h"
#include "domain/demo.h"
#include "domain/obs_import.h"
#include "domain/observation.h"
#include "domain/reporting.h"
#include "engine/matrix.h"
#include "engine/tree.h"

enum { CITIES = 1000, MEASURES = 60, YEARS = 10, COLS = 6 };

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* This process's CPU seconds: steadier than the wall clock on a loaded machine. */
static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, int err, struct lc_diag *d)
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

static void exec(struct lc_db *db, const char *sql)
{
	if (lc_db_exec(db, sql) != 0)
		die(sql, LC_EDB, NULL);
}

/* Synthetic cities and measurements: bench-only SQL, not a domain path. */
static void seed(struct lc_db *db)
{
	exec(db, "BEGIN");
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO cities (slug, name, search_key, sort_key,"
	                                  " country, provenance) VALUES (?1, json_object('en', ?2),"
	                                  " ?2, json_object('en', ?2), 'IE', 'provisional')");
	for (int i = 0; i < CITIES; i++) {
		char slug[32], name[32];
		snprintf(slug, sizeof slug, "bench-%04d", i);
		snprintf(name, sizeof name, "Bench city %d", i);
		lc_db_bind_text(st, 1, slug);
		lc_db_bind_text(st, 2, name);
		if (lc_db_step(db, st) < 0)
			die("insert city", LC_EDB, NULL);
	}
	lc_db_release(db, st);
	exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)"
	         " INSERT INTO framework_measurements (feature_id, code, position, label, unit,"
	         " direction, type, provenance)"
	         " SELECT (SELECT min(id) FROM framework_features), 'zz.bench.' || i, 100 + i,"
	         " '{\"en\":\"Synthetic\"}', NULL, 'higher_is_better', 'number', 'provisional'"
	         " FROM n WHERE i <= 60 - (SELECT count(*) FROM framework_measurements)");
	exec(db, "COMMIT");
}

struct table {
	struct lc_buf text;
	struct lc_slice *cells;
	size_t n_rows;
};

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

static void build(const struct lc_obs_catalog *cat, int round, struct table *t)
{
	static const char *const header[COLS] = {"city", "code", "year", "value", "source", "note"};
	size_t rows = (size_t)CITIES * MEASURES * YEARS + 1;
	t->n_rows = rows;
	t->cells = lc_xreallocarray(NULL, rows * COLS, sizeof *t->cells);
	lc_buf_init(&t->text, 1u << 30);
	/* Offsets first (the buffer moves while it grows), slices at the end. */
	size_t *off = lc_xreallocarray(NULL, rows * COLS * 2, sizeof *off);
	size_t k = 0;
#define PUT(s)                                                                                     \
	do {                                                                                       \
		off[2 * k] = t->text.len;                                                          \
		lc_buf_puts(&t->text, s);                                                          \
		off[2 * k + 1] = t->text.len - off[2 * k];                                         \
		k++;                                                                               \
	} while (0)
	for (int i = 0; i < COLS; i++)
		PUT(header[i]);
	char slug[32], year[8], value[64];
	for (int c = 0; c < CITIES; c++) {
		snprintf(slug, sizeof slug, "bench-%04d", c);
		for (int y = 0; y < YEARS; y++) {
			snprintf(year, sizeof year, "%ld", cat->year_max - YEARS + 1 + y);
			for (size_t m = 0; m < cat->nm && m < MEASURES; m++) {
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
		die("build", LC_ELIMIT, NULL);
	t->n_rows = k / COLS;
	for (size_t i = 0; i < k; i++)
		t->cells[i] = lc_slice_make(t->text.data + off[2 * i], off[2 * i + 1]);
	lc_free(off);
}

static double run(struct lc_db *db, const struct lc_actor *sys, struct table *t, const char *what)
{
	struct lc_obs_table tab = {.n_rows = t->n_rows, .n_cols = COLS, .cells = t->cells};
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_obs_summary sum;
	double t0 = now_s(), c0 = cpu_s();
	int err = lc_obs_import_table(db, sys, &tab, NULL, &d, &sum);
	double dt = now_s() - t0, dc = cpu_s() - c0;
	if (err)
		die(what, err, &d);
	lc_diag_cleanup(&d);
	printf("%-28s %8zu values  %6.2f s  %9.0f values/s (CPU %.2f s: %.0f/s)  written %zu, "
	       "corrected %zu, unchanged %zu\n",
	       what, sum.rows, dt, (double)sum.rows / dt, dc, (double)sum.rows / dc, sum.written,
	       sum.corrected, sum.unchanged);
	return (double)sum.rows / dt;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/tmp/lc-import-bench.db";
	char aux[4200];
	unlink(path);
	snprintf(aux, sizeof aux, "%s-wal", path);
	unlink(aux);
	snprintf(aux, sizeof aux, "%s-shm", path);
	unlink(aux);
	struct lc_db *db = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_db_open(path, LC_DB_CREATE, &db);
	if (!err)
		err = lc_demo_load(db, &d);
	if (err)
		die("demo database", err, &d);
	seed(db);
	struct lc_obs_catalog cat;
	err = lc_obs_catalog_load(db, &cat);
	if (err)
		die("catalogue", err, NULL);
	printf("import benchmark: %d cities x %zu measurements x %d years, file %s\n", CITIES,
	       cat.nm < MEASURES ? cat.nm : (size_t)MEASURES, YEARS, path);
	struct lc_actor sys;
	lc_actor_system(&sys);

	struct table t;
	double t0 = now_s();
	build(&cat, 0, &t);
	printf("%-28s %8zu rows    %6.2f s\n", "build table in memory", t.n_rows - 1, now_s() - t0);
	double first = run(db, &sys, &t, "import (all new)");
	run(db, &sys, &t, "re-import (all unchanged)");
	lc_buf_cleanup(&t.text);
	lc_free(t.cells);
	build(&cat, 1, &t);
	run(db, &sys, &t, "re-import (all corrected)");
	lc_buf_cleanup(&t.text);
	lc_free(t.cells);

	/* Approve the last year for every city, then build the engine input. */
	char year[8];
	snprintf(year, sizeof year, "%ld", cat.year_max);
	t0 = now_s();
	for (int c = 0; c < CITIES; c++) {
		char slug[32];
		snprintf(slug, sizeof slug, "bench-%04d", c);
		err = lc_report_submit(db, &sys, slug, cat.year_max, &d);
		if (!err)
			err = lc_report_approve(db, &sys, slug, cat.year_max, &d);
		if (err)
			die("approve", err, &d);
	}
	printf("%-28s %8d years   %6.2f s\n", "submit + approve", CITIES, now_s() - t0);
	struct lc_tree tree;
	struct lc_matrix m;
	lc_tree_init(&tree);
	lc_matrix_init(&m);
	t0 = now_s();
	err = lc_report_approved_input(db, cat.year_max, &tree, &m, &d);
	if (err)
		die("approved input", err, &d);
	printf("%-28s %8zu units x %zu codes  %6.3f s\n", "approved engine input", m.n_units,
	       tree.n, now_s() - t0);
	lc_tree_cleanup(&tree);
	lc_matrix_cleanup(&m);
	lc_obs_catalog_cleanup(&cat);
	lc_diag_cleanup(&d);
	lc_db_close(db);
	printf("target >= 100000 values/s: %s\n", first >= 100000 ? "met" : "NOT met");
	return 0;
}
