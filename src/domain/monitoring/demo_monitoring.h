/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The demo's synthetic reporting cycle: for every awardee city, values of
 * the framework's numeric measurements (every type but text) for the years
 * in LC_DEMO_MONITORING_YEARS, generated deterministically from a seeded
 * PRNG, submitted and approved, and one index run per year (synthetic, few
 * uncertainty runs). Every value carries the source LC_OBS_SYNTHETIC_SOURCE
 * (observation.h) so pages can say plainly that they are not statistics.
 * Kept apart from lc_demo_load (whose fixture the unit tests share):
 * `learncity demo` calls it after lc_demo_load.
 */
#ifndef LC_DEMO_MONITORING_H
#define LC_DEMO_MONITORING_H

struct lc_db;
struct lc_diag;

/* Uncertainty runs of the demo's index runs: enough for intervals, fast to load. */
#define LC_DEMO_MONITORING_RUNS 200

/*
 * Loads the cycle (2022 and 2024) into a database holding the demo data, as
 * the system actor. Does nothing when the demo already holds synthetic
 * values. 0, or the error of the step that failed (with d): LC_EINVAL,
 * LC_ENOTFOUND (no framework), LC_EBUSY, LC_EDB.
 */
int lc_demo_load_monitoring(struct lc_db *db, struct lc_diag *d);

#endif
