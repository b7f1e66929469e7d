/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Benchmark of the observation import (domain/monitoring/obs_import.c): a database
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
#include "domain/accounts/authz.h"
#include "domain/demo/demo.h"
#include "domain/monitoring/monitoring_input.h"
#include "domain/monitoring/obs_import.h"
#include "domain/monitoring/observation.h"
#include "domain/monitoring/year_review.h"
#include "engine/matrix.h"
#include "engine/tree.h"

#include "bench_data.h"

enum { YEARS = 10 };

static double run(struct lc_db *db, const struct lc_actor *sys, struct bench_table *t,
                  const char *what)
{
	struct lc_obs_table tab = {.n_rows = t->n_rows, .n_cols = BENCH_COLS, .cells = t->cells};
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_obs_summary sum;
	double t0 = bench_now_s(), c0 = bench_cpu_s();
	int err = lc_obs_import_table(db, sys, &tab, NULL, &d, &sum);
	double dt = bench_now_s() - t0, dc = bench_cpu_s() - c0;
	if (err)
		bench_die(what, err, &d);
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
	struct lc_db *db = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	bench_open_seeded(path, &db);
	int err;
	struct lc_obs_catalog cat;
	err = lc_obs_catalog_load(db, &cat);
	if (err)
		bench_die("catalogue", err, NULL);
	printf("import benchmark: %d cities x %zu measurements x %d years, file %s\n", BENCH_CITIES,
	       cat.nm < BENCH_MEASURES ? cat.nm : (size_t)BENCH_MEASURES, YEARS, path);
	struct lc_actor sys;
	lc_actor_system(&sys);

	struct bench_table t;
	double t0 = bench_now_s();
	bench_table_build(&cat, YEARS, 0, &t);
	printf("%-28s %8zu rows    %6.2f s\n", "build table in memory", t.n_rows - 1,
	       bench_now_s() - t0);
	double first = run(db, &sys, &t, "import (all new)");
	run(db, &sys, &t, "re-import (all unchanged)");
	bench_table_cleanup(&t);
	bench_table_build(&cat, YEARS, 1, &t);
	run(db, &sys, &t, "re-import (all corrected)");
	bench_table_cleanup(&t);

	/* Approve the last year for every city, then build the engine input. */
	char year[8];
	snprintf(year, sizeof year, "%ld", cat.year_max);
	t0 = bench_now_s();
	for (int c = 0; c < BENCH_CITIES; c++) {
		char slug[32];
		snprintf(slug, sizeof slug, "bench-%04d", c);
		err = lc_year_review_submit(db, &sys, slug, cat.year_max, &d);
		if (!err)
			err = lc_year_review_approve(db, &sys, slug, cat.year_max, &d);
		if (err)
			bench_die("approve", err, &d);
	}
	printf("%-28s %8d years   %6.2f s\n", "submit + approve", BENCH_CITIES, bench_now_s() - t0);
	struct lc_tree tree;
	struct lc_matrix m;
	lc_tree_init(&tree);
	lc_matrix_init(&m);
	t0 = bench_now_s();
	err = lc_monitoring_input_approved(db, cat.year_max, &tree, &m, &d);
	if (err)
		bench_die("approved input", err, &d);
	printf("%-28s %8zu units x %zu codes  %6.3f s\n", "approved engine input", m.n_units,
	       tree.n, bench_now_s() - t0);
	lc_tree_cleanup(&tree);
	lc_matrix_cleanup(&m);
	lc_obs_catalog_cleanup(&cat);
	lc_diag_cleanup(&d);
	lc_db_close(db);
	printf("target >= 100000 values/s: %s\n", first >= 100000 ? "met" : "NOT met");
	return 0;
}
