/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Shared cmocka fixtures of the unit tests (tests/unit/support/ builds into
 * a small library every test links).
 */
#ifndef LC_TEST_DEMO_DB_H
#define LC_TEST_DEMO_DB_H

/*
 * A group or test setup that opens an in-memory database with the reference
 * and demonstration data loaded, stored in *state as a struct lc_db *.
 * Returns 0, or -1 when the database cannot be made.
 */
int lc_test_demo_setup(void **state);
/* Closes the database of lc_test_demo_setup. */
int lc_test_demo_teardown(void **state);

#endif
