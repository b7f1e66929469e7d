/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Generates the demo's synthetic reporting cycle (see demo_monitoring.h):
 * values from splitmix64 seeded by the city, measurement and year, so every
 * load gives the same numbers; written through domain/monitoring/observation.h (all
 * validation applies), reviewed through domain/monitoring/year_review.h,
 * and scored with domain/monitoring/score.h. Owns no table.
 */
#include "domain/monitoring/demo_monitoring.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/slice.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/monitoring/observation.h"
#include "domain/monitoring/year_review.h"
#include "domain/monitoring/score.h"

static const long years[] = {2022, 2024};

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u; /* FNV-1a */
	return h;
}

/* Uniform in [0, 1). */
static double unif(uint64_t *s)
{
	return (double)(splitmix(s) >> 11) * 0x1.0p-53;
}

/*
 * A city's value for a measurement: a city "level" (shared by all its
 * measurements, so cities differ overall) plus noise, and a change from 2022
 * to 2024 that is mostly an improvement.
 */
static void value_for(const struct lc_obs_measure *m, const char *slug, long year, char *out,
                      size_t size)
{
	uint64_t cs = hash_str(0xcbf29ce484222325u, slug);
	double level = unif(&cs); /* 0..1, the city's general standing */
	uint64_t s = hash_str(hash_str(0xcbf29ce484222325u, slug), m->code);
	double u = 0.5 * level + 0.5 * unif(&s);
	double change = -0.05 + 0.2 * unif(&s); /* 2022 -> 2024, in fractions of the range */
	if (year > years[0])
		u += m->direction < 0 ? -change : change;
	u = u < 0 ? 0 : u > 1 ? 1 : u;
	if (m->direction < 0)
		u = 1 - u;
	switch (m->type) {
	case LC_OBS_YES_NO: snprintf(out, size, "%s", u > 0.45 ? "yes" : "no"); return;
	case LC_OBS_MATURITY: snprintf(out, size, "%d", (int)lround(u * 4)); return;
	default: break;
	}
	double lo = m->low, hi = m->high;
	if (m->type == LC_OBS_PERCENTAGE) {
		lo = isnan(lo) ? 0 : lo;
		hi = isnan(hi) ? 100 : hi;
	}
	if (isnan(lo) || isnan(hi)) {
		/* No goalposts: a magnitude of its own per measurement (10 to 1000). */
		uint64_t ms = hash_str(0x84222325cbf29ce4u, m->code);
		double mag = pow(10.0, 1 + 2 * unif(&ms));
		lo = isnan(lo) ? 0 : lo;
		hi = isnan(hi) ? lo + mag : hi;
	}
	snprintf(out, size, "%.1f", lo + u * (hi - lo));
}

int lc_demo_load_monitoring(struct lc_db *db, struct lc_diag *d)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT count(*) FROM observations WHERE source = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, LC_OBS_SYNTHETIC_SOURCE);
	int rc = lc_db_step(db, st);
	long long have = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (have > 0)
		return 0;

	struct lc_obs_catalog cat;
	int err = lc_obs_catalog_load(db, &cat);
	if (err) {
		lc_obs_catalog_cleanup(&cat);
		return err;
	}
	/* Awardee cities, in slug order. */
	size_t nc = 0, cap = 0;
	char **slugs = NULL;
	st = lc_db_stmt(db, "SELECT DISTINCT c.slug FROM awards a JOIN cities c ON c.id = a.city_id"
	                    " ORDER BY c.slug");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	while (lc_db_next(db, st, &rc)) {
		if (nc == cap) {
			cap = cap ? cap * 2 : 64;
			slugs = lc_xreallocarray(slugs, cap, sizeof *slugs);
		}
		slugs[nc++] = lc_xstrdup(lc_db_text(st, 0));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	struct lc_actor sys;
	lc_actor_system(&sys);
	/* One city-year per batch: its values, then submit and approve. */
	struct lc_obs_row *rows = lc_xcalloc(cat.nm ? cat.nm : 1, sizeof *rows);
	char(*vals)[32] = lc_xcalloc(cat.nm ? cat.nm : 1, sizeof *vals);
	char ybuf[8];
	for (size_t y = 0; y < sizeof years / sizeof years[0] && !err; y++) {
		snprintf(ybuf, sizeof ybuf, "%ld", years[y]);
		for (size_t c = 0; c < nc && !err; c++) {
			size_t n = 0;
			for (size_t i = 0; i < cat.nm; i++) {
				const struct lc_obs_measure *m = &cat.m[i];
				if (m->type == LC_OBS_TEXT)
					continue;
				value_for(m, slugs[c], years[y], vals[n], sizeof vals[n]);
				rows[n] = (struct lc_obs_row){
				    .city = lc_slice_cstr(slugs[c]),
				    .measurement = lc_slice_cstr(m->code),
				    .year = lc_slice_cstr(ybuf),
				    .value = lc_slice_cstr(vals[n]),
				    .source = lc_slice_cstr(LC_OBS_SYNTHETIC_SOURCE),
				    .line = (long)n + 1};
				n++;
			}
			err = lc_obs_put(db, &sys, rows, n, d, NULL);
			if (!err)
				err = lc_year_review_submit(db, &sys, slugs[c], years[y], d);
			if (!err)
				err = lc_year_review_approve(db, &sys, slugs[c], years[y], d);
		}
	}
	lc_free(rows);
	lc_free(vals);
	for (size_t y = 0; y < sizeof years / sizeof years[0] && !err && nc >= 2; y++) {
		struct lc_score_opts o = {
		    .year = years[y], .runs = LC_DEMO_MONITORING_RUNS, .synthetic = true};
		int64_t run = 0;
		err = lc_score_run(db, &sys, &o, NULL, &run, d);
	}
out:
	for (size_t i = 0; i < nc; i++)
		lc_free(slugs[i]);
	lc_free(slugs);
	lc_obs_catalog_cleanup(&cat);
	return err;
}
