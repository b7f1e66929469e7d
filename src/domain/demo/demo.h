/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Loading the embedded data sets: the reference data every database needs
 * (countries from data/countries.csv, the framework from data/kflc.json;
 * regions come with migration 0001) and the demonstration data
 * (data/demo.json: the award winners and conference hosts as cities, their
 * membership evidence, the award rounds, the six conferences and the
 * published membership series). Everything in demo.json comes from the
 * project's DOMAIN.md and carries its provenance; unknown facts stay empty.
 */
#ifndef LC_DEMO_H
#define LC_DEMO_H

#include <stdbool.h>
#include <stddef.h>

struct lc_db;
struct lc_diag;

/*
 * Loads countries and the framework (idempotent: existing rows are updated or
 * kept). One transaction. 0, LC_EINVAL (a bad embedded file; see d), LC_EDB.
 */
int lc_demo_load_reference(struct lc_db *db, struct lc_diag *d);

/*
 * Loads the reference data, the demonstration data and the demonstration
 * accounts (data/demo-accounts.json: one active account per role, stored
 * with precomputed argon2id hashes; their passwords are in README.md), in one
 * transaction. Refuses with LC_ECONFLICT when the demonstration data is
 * already loaded (nothing changes). 0, LC_EINVAL (bad data; see d), LC_EDB.
 */
int lc_demo_load(struct lc_db *db, struct lc_diag *d);
/* As lc_demo_load from JSON text in the format of data/demo.json. */
int lc_demo_load_json(struct lc_db *db, const char *text, size_t len, struct lc_diag *d);

/* *loaded tells whether demonstration data was loaded. 0 or LC_EDB. */
int lc_demo_is_loaded(struct lc_db *db, bool *loaded);

/*
 * True when the database holds nothing but the reference data (no cities):
 * what `init` accepts to re-initialise without --force. 0 or LC_EDB.
 */
int lc_demo_is_empty(struct lc_db *db, bool *empty);

#endif
