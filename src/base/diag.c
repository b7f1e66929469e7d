/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The diagnostics list of diag.h. */
#include "base/diag.h"

#include <stdarg.h>
#include <stdio.h>

#include "base/alloc.h"
#include "base/buf.h"

void lc_diag_init(struct lc_diag *d)
{
	d->items = NULL;
	d->count = d->cap = d->dropped = 0;
	d->max = LC_DIAG_DEFAULT_MAX;
}

void lc_diag_cleanup(struct lc_diag *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->count; i++) {
		lc_free(d->items[i].file);
		lc_free(d->items[i].field);
		lc_free(d->items[i].message);
	}
	lc_free(d->items);
	d->items = NULL;
	d->count = d->cap = d->dropped = 0;
}

void lc_diag_add(struct lc_diag *d, const char *file, long line, long column, const char *field,
                 const char *fmt, ...)
{
	if (d->count >= d->max) {
		d->dropped++;
		return;
	}
	if (d->count == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->items = lc_xreallocarray(d->items, d->cap, sizeof *d->items);
	}
	struct lc_buf msg;
	lc_buf_init(&msg, 4096);
	va_list ap;
	va_start(ap, fmt);
	lc_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	struct lc_diag_entry *e = &d->items[d->count++];
	e->file = file ? lc_xstrdup(file) : NULL;
	e->line = line;
	e->column = column;
	e->field = field ? lc_xstrdup(field) : NULL;
	e->message = lc_buf_steal(&msg, NULL);
}

size_t lc_diag_total(const struct lc_diag *d)
{
	return d->count + d->dropped;
}

void lc_diag_format(const struct lc_diag *d, struct lc_buf *out)
{
	for (size_t i = 0; i < d->count; i++) {
		const struct lc_diag_entry *e = &d->items[i];
		if (e->file)
			lc_buf_printf(out, "%s:", e->file);
		if (e->line)
			lc_buf_printf(out, "%ld:", e->line);
		if (e->column)
			lc_buf_printf(out, "%ld:", e->column);
		if (e->file || e->line || e->column)
			lc_buf_putc(out, ' ');
		if (e->field)
			lc_buf_printf(out, "%s: ", e->field);
		lc_buf_printf(out, "%s\n", e->message);
	}
	if (d->dropped)
		lc_buf_printf(out, "... and %zu more problems\n", d->dropped);
}
