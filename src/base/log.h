/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Logging to standard error, one line per event, with a UTC timestamp and a
 * level. Thread-safe. Never log passwords, tokens or session ids.
 */
#ifndef LC_LOG_H
#define LC_LOG_H

enum lc_log_level { LC_LOG_DEBUG, LC_LOG_INFO, LC_LOG_WARN, LC_LOG_ERROR };

/* Events below level are not written. The default is LC_LOG_INFO. */
void lc_log_set_level(enum lc_log_level level);
void lc_log(enum lc_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define lc_log_debug(...) lc_log(LC_LOG_DEBUG, __VA_ARGS__)
#define lc_log_info(...)  lc_log(LC_LOG_INFO, __VA_ARGS__)
#define lc_log_warn(...)  lc_log(LC_LOG_WARN, __VA_ARGS__)
#define lc_log_error(...) lc_log(LC_LOG_ERROR, __VA_ARGS__)

#endif
