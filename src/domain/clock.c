/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The accounts clock with its test hook (clock.h). */
#include "domain/clock.h"

#include <stdatomic.h>
#include <time.h>

static _Atomic int64_t test_now;

int64_t lc_clock_now(void)
{
	int64_t t = atomic_load(&test_now);
	return t ? t : (int64_t)time(NULL);
}

void lc_clock_set_test(int64_t t)
{
	atomic_store(&test_now, t);
}
