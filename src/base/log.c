/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The logger of log.h: one formatted line per call, written with one fputs. */
#include "base/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static atomic_int min_level = LC_LOG_INFO;

void lc_log_set_level(enum lc_log_level level)
{
	atomic_store(&min_level, (int)level);
}

void lc_log(enum lc_log_level level, const char *fmt, ...)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};
	if ((int)level < atomic_load(&min_level))
		return;
	char line[2048];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	size_t n = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%SZ ", &tm);
	int m = snprintf(line + n, sizeof line - n, "%s ", names[level]);
	if (m > 0)
		n += (size_t)m;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - n, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", line);
}
