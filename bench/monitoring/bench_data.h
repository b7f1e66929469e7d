/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Synthetic data of the monitoring benchmarks (import_bench.c,
 * index_bench.c): 1,000 bench cities and the framework topped up to 60
 * numeric measurements, written with bench-only SQL, and tables of valid
 * values for them as lc_obs_import_table takes them. Owns nothing global;
 * benchmark code only (exits on any error), never linked into learncity.
 */
#ifndef LC_BENCH_DATA_H
#define LC_BENCH_DATA_H

#include <stddef.h>

#include "base/buf.h"
#include "base/slice.h"

struct lc_db;
struct lc_diag;
struct lc_obs_catalog;

enum { BENCH_CITIES = 1000, BENCH_MEASURES = 60, BENCH_COLS = 6 };

/* Wall-clock and this process's CPU seconds. */
double bench_now_s(void);
double bench_cpu_s(void);

/* Prints what failed (and d's problems when d is not NULL) and exits 1. */
_Noreturn void bench_die(const char *what, int err, struct lc_diag *d);

/* Creates path (removing an old file and its WAL) with the demo data, 1,000
 * cities "bench-0000".. and 60 measurements; *db is open on it. */
void bench_open_seeded(const char *path, struct lc_db **db);

/* A cell table of city x measurement x year values (header row first):
 * text holds the bytes the cells point to; free both with bench_table_cleanup. */
struct bench_table {
	struct lc_buf text;
	struct lc_slice *cells;
	size_t n_rows;
};

/* Values of every bench city for the first 60 measurements of cat in the
 * `years` years ending at cat->year_max; round varies the values. */
void bench_table_build(const struct lc_obs_catalog *cat, int years, int round,
                       struct bench_table *t);
void bench_table_cleanup(struct bench_table *t);

#endif
