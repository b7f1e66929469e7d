/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Shared set-up of the accounts tests: an in-memory demonstration database
 * (with the demo accounts), light password hashing, a fixed clock, and
 * helpers to load an actor by e-mail and count rows. Header-only, static.
 */
#ifndef LC_TEST_ACCOUNTS_FIXTURE_H
#define LC_TEST_ACCOUNTS_FIXTURE_H

#include <stdint.h>
#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "db/db.h"
#include "domain/accounts/account.h"
#include "domain/accounts/authz.h"
#include "domain/platform/clock.h"
#include "domain/demo/demo.h"
#include "domain/accounts/password.h"

/* The demonstration accounts' passwords (also in README.md). */
#define DEMO_ADMIN     "admin@example.org"
#define DEMO_ADMIN_PW  "Secretariat-demo-2024"
#define DEMO_COORD     "coordinator.cork@example.org"
#define DEMO_COORD_PW  "Cork-coordinator-demo"
#define DEMO_NATCOM    "natcom.ie@example.org"
#define DEMO_NATCOM_PW "Natcom-Ireland-demo"
#define DEMO_JURY      "jury.2024@example.org"
#define DEMO_JURY_PW   "Jury-2024-demo-pass"
#define DEMO_PART      "participant@example.org"
#define DEMO_PART_PW   "Participant-demo-pass"
#define DEMO_EXPERT    "expert@example.org"
#define DEMO_EXPERT_PW "Expert-jury-demo-pass"
#define DEMO_NOROLE    "norole@example.org"
#define DEMO_NOROLE_PW "No-role-demo-pass"

#define T0 1790000000 /* 2026-09-21: the fixed test time */

/* The demonstration's 2027 jury (lc_jury_demo): one juror, jury.2027@example.org, and four
 * nominations screened complete, each assigned to it. Counts over the round include them. */
#define DEMO_JURY_2027        "jury.2027@example.org"
#define DEMO_JURY_2027_PW     "Jury-2027-demo-pass"
#define DEMO_2027_NOMINATIONS 4

static inline int fx_setup(void **state)
{
	lc_password_set_light(true);
	lc_clock_set_test(T0);
	struct lc_db *db = NULL;
	if (lc_db_open(":memory:", 0, &db) != 0)
		return -1;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_demo_load(db, &d);
	lc_diag_cleanup(&d);
	if (err) {
		lc_db_close(db);
		return -1;
	}
	*state = db;
	return 0;
}

static inline int fx_teardown(void **state)
{
	lc_db_close(*state);
	lc_clock_set_test(0);
	return 0;
}

static inline int64_t fx_id(struct lc_db *db, const char *email)
{
	struct lc_account a;
	return lc_account_find(db, email, &a) == 0 ? a.id : 0;
}

static inline int fx_actor(struct lc_db *db, const char *email, struct lc_actor *a)
{
	return lc_actor_load(db, fx_id(db, email), a);
}

static inline long long fx_count(struct lc_db *db, const char *sql)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	long long n = -1;
	if (st && lc_db_step(db, st) == 1)
		n = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return n;
}

#endif
