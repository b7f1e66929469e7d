/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The wall clock of the accounts modules (sessions, tokens, throttling,
 * audit, outbox), in Unix seconds, with a test hook so tests can move time
 * instead of sleeping. It owns one process-wide setting; production code
 * never calls the hook.
 */
#ifndef LC_CLOCK_H
#define LC_CLOCK_H

#include <stdint.h>

/* Seconds since the epoch: the test time when one is set, else time(NULL). */
int64_t lc_clock_now(void);

/* Test hook: every following lc_clock_now returns t; t = 0 returns to the real clock. */
void lc_clock_set_test(int64_t t);

/* Unix seconds t as the UTC day "2026-11-24" (out holds 11 bytes). */
void lc_clock_date(int64_t t, char out[11]);
/* Unix seconds t as the UTC time "2026-11-24T08:00:00Z" (out holds 21 bytes). */
void lc_clock_iso(int64_t t, char out[21]);

#endif
