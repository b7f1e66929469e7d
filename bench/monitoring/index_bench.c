/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Benchmark of an index run (domain/monitoring/score.c, lc_score_run) at the size the
 * monitoring issue names: 1,000 cities x 60 measurements, the default
 * monitoring spec, 1,000 uncertainty runs, on 2 threads. The data are
 * generated as bench_monitoring_import does (bench_data.h) for two years,
 * imported through the real import and approved for every city; then the
 * latest year is run three times and the median wall time is reported, with
 * the store's share (scores, intervals and summaries) taken from the job's
 * progress. Target: under 10 s.
 * Usage: bench_monitoring_index [DB_PATH] [THREADS] [RUNS]
 * (default /tmp/lc-index-bench.db, overwritten; 2; 1000). Synthetic data only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/monitoring/obs_import.h"
#include "domain/monitoring/observation.h"
#include "domain/monitoring/year_review.h"
#include "domain/monitoring/score.h"

#include "bench_data.h"

enum { YEARS = 2, REPEAT = 3 };

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/tmp/lc-index-bench.db";
	unsigned threads = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 2;
	size_t runs = argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 1000;
	struct lc_db *db = NULL;
	struct lc_diag d;
	lc_diag_init(&d);
	bench_open_seeded(path, &db);
	struct lc_obs_catalog cat;
	int err = lc_obs_catalog_load(db, &cat);
	if (err)
		bench_die("catalogue", err, NULL);
	struct lc_actor sys;
	lc_actor_system(&sys);

	double t0 = bench_now_s();
	struct bench_table t;
	bench_table_build(&cat, YEARS, 0, &t);
	struct lc_obs_table tab = {.n_rows = t.n_rows, .n_cols = BENCH_COLS, .cells = t.cells};
	struct lc_obs_summary sum;
	err = lc_obs_import_table(db, &sys, &tab, NULL, &d, &sum);
	if (err)
		bench_die("import", err, &d);
	bench_table_cleanup(&t);
	for (long y = cat.year_max - YEARS + 1; y <= cat.year_max; y++) {
		for (int c = 0; c < BENCH_CITIES; c++) {
			char slug[32];
			snprintf(slug, sizeof slug, "bench-%04d", c);
			err = lc_year_review_submit(db, &sys, slug, y, &d);
			if (!err)
				err = lc_year_review_approve(db, &sys, slug, y, &d);
			if (err)
				bench_die("approve", err, &d);
		}
	}
	printf("index run benchmark: %d bench cities (and the demo's approved ones) x %d"
	       " measurements, %zu uncertainty runs, %u threads, file %s\n",
	       BENCH_CITIES, BENCH_MEASURES, runs, threads, path);
	printf("%-28s %6.2f s (%zu values, %d years approved)\n", "data (import + approve)",
	       bench_now_s() - t0, sum.rows, YEARS);

	double wall[REPEAT];
	for (int i = 0; i < REPEAT; i++) {
		struct lc_score_opts o = {.year = cat.year_max, .runs = runs, .threads = threads};
		int64_t run_id = 0;
		t0 = bench_now_s();
		double c0 = bench_cpu_s();
		err = lc_score_run(db, &sys, &o, NULL, &run_id, &d);
		wall[i] = bench_now_s() - t0;
		if (err)
			bench_die("index run", err, &d);
		printf("index run %d (run id %lld)       %6.2f s wall, %6.2f s CPU\n", i + 1,
		       (long long)run_id, wall[i], bench_cpu_s() - c0);
	}
	qsort(wall, REPEAT, sizeof *wall, cmp_double);
	printf("%-28s %6.2f s (median of %d)\n", "index run", wall[REPEAT / 2], REPEAT);
	printf("target < 10 s: %s\n", wall[REPEAT / 2] < 10 ? "met" : "NOT met");
	lc_obs_catalog_cleanup(&cat);
	lc_diag_cleanup(&d);
	lc_db_close(db);
	return 0;
}
