/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Diagnostics a user must read: an import's bad row, a form's bad field, a
 * spec's unknown key. Each entry names where (file, line, column, field) and
 * what is wrong. A list is capped so that a file with a million bad rows does
 * not produce a million messages: entries past the cap are only counted.
 */
#ifndef LC_DIAG_H
#define LC_DIAG_H

#include <stddef.h>

struct lc_buf;

struct lc_diag_entry {
	char *file;    /* owned; NULL when not about a file */
	long line;     /* 1-based; 0 when not known */
	long column;   /* 1-based; 0 when not known */
	char *field;   /* owned; a column or form field name, or NULL */
	char *message; /* owned; a sentence without a trailing period */
};

struct lc_diag {
	struct lc_diag_entry *items; /* owned */
	size_t count;                /* entries stored */
	size_t cap;
	size_t dropped; /* entries past max, counted only */
	size_t max;     /* stored entries at most */
};

#define LC_DIAG_DEFAULT_MAX 1000

/* An empty list keeping at most LC_DIAG_DEFAULT_MAX entries. */
void lc_diag_init(struct lc_diag *d);
/* Frees every entry. NULL allowed. */
void lc_diag_cleanup(struct lc_diag *d);
/* Adds an entry; file and field may be NULL. */
void lc_diag_add(struct lc_diag *d, const char *file, long line, long column, const char *field,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Total problems, stored or dropped. */
size_t lc_diag_total(const struct lc_diag *d);
/*
 * Appends one line per entry: "file:line:column: field: message", leaving out
 * the parts that are unknown, then a line for dropped entries if any.
 */
void lc_diag_format(const struct lc_diag *d, struct lc_buf *out);

#endif
