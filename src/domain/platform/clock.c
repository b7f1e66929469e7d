/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The accounts clock with its test hook (clock.h). */
#include "domain/platform/clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
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

/* The broken-down UTC time of t; all zeros when the platform cannot represent it. */
static struct tm utc(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm = {0};
	if (!gmtime_r(&tt, &tm))
		memset(&tm, 0, sizeof tm);
	return tm;
}

void lc_clock_date(int64_t t, char out[11])
{
	struct tm tm = utc(t);
	/* The modulos tell the compiler the fields fit their widths. */
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
	         (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

void lc_clock_iso(int64_t t, char out[21])
{
	struct tm tm = utc(t);
	snprintf(out, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)(tm.tm_year + 1900) % 10000u,
	         (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u,
	         (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
	         (unsigned)tm.tm_sec % 100u);
}
