/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A secretariat's badge spreadsheet (badge_csv.h). */
#include "formats/badge_csv.h"

#include <stdbool.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/utf8.h"

enum col {
	C_NAME_LATIN,
	C_NAME_NATIVE,
	C_ORGANISATION,
	C_CITY,
	C_COUNTRY,
	C_CATEGORY,
	C_COLOUR,
	C_LANGUAGE,
	C_TICKET,
	N_COLS
};

static const char *const NAMES[N_COLS] = {
    "name_latin", "name_native", "organisation", "city",   "country",
    "category",   "colour",      "language",     "ticket",
};

#define DEFAULT_COLOUR 0x6b7280u /* grey: a category without a colour */

void lc_badge_csv_init(struct lc_badge_csv *b)
{
	memset(b, 0, sizeof *b);
	lc_csv_init(&b->csv);
}

void lc_badge_csv_cleanup(struct lc_badge_csv *b)
{
	if (!b)
		return;
	lc_csv_cleanup(&b->csv);
	lc_free(b->badges);
	memset(b, 0, sizeof *b);
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "#RRGGBB" to 0xRRGGBB; false when it is not one. */
static bool colour(struct lc_slice s, uint32_t *out)
{
	if (s.len != 7 || s.ptr[0] != '#')
		return false;
	uint32_t v = 0;
	for (size_t i = 1; i < 7; i++) {
		int h = hex(s.ptr[i]);
		if (h < 0)
			return false;
		v = (v << 4) | (uint32_t)h;
	}
	*out = v;
	return true;
}

/* A BCP 47 tag's shape: letters, digits and hyphens, starting with a letter. */
static bool language(struct lc_slice s)
{
	if (s.len == 0 || s.len > 35)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (!(alpha || (i > 0 && ((c >= '0' && c <= '9') || c == '-'))))
			return false;
	}
	return true;
}

/* Maps the header's columns; every problem to diag. */
static int header(const struct lc_csv *c, long map[N_COLS], struct lc_diag *diag)
{
	int rc = 0;
	for (size_t k = 0; k < N_COLS; k++)
		map[k] = -1;
	for (size_t j = 0; j < c->n_cols; j++) {
		const char *h = lc_csv_cstr(c, 0, j);
		size_t k = 0;
		while (k < N_COLS && strcmp(NAMES[k], h) != 0)
			k++;
		if (k == N_COLS) {
			lc_diag_addf(diag, c->file, c->line[0], (long)j + 1, NULL,
			             "err_badge_csv_column_unknown", LC_ARG_S("column", h));
			rc = LC_EINVAL;
		} else if (map[k] >= 0) {
			lc_diag_addf(diag, c->file, c->line[0], (long)j + 1, NULL,
			             "err_badge_csv_column_twice", LC_ARG_S("column", h));
			rc = LC_EINVAL;
		} else {
			map[k] = (long)j;
		}
	}
	if (map[C_NAME_LATIN] < 0) {
		lc_diag_addf(diag, c->file, c->line[0], 0, NULL, "err_badge_csv_column_missing",
		             LC_ARG_S("column", NAMES[C_NAME_LATIN]));
		rc = LC_EINVAL;
	}
	return rc;
}

/* One cell into *out (NULL when the column is absent); problems to diag. */
static int cell(const struct lc_csv *c, size_t r, long col, enum col k, const char **out,
                struct lc_diag *diag)
{
	*out = NULL;
	if (col < 0)
		return 0;
	struct lc_slice s = lc_csv_cell(c, r, (size_t)col);
	long line = c->line[r], cn = col + 1;
	size_t limit = k == C_TICKET ? LC_LIMIT_BADGE_TICKET_BYTES : LC_LIMIT_BADGE_FIELD_BYTES;
	if (s.len > limit) {
		lc_diag_addf(diag, c->file, line, cn, NAMES[k], "err_badge_csv_long",
		             LC_ARG_I("limit", limit));
		return LC_ELIMIT;
	}
	if (!lc_utf8_valid(s.ptr, s.len)) {
		lc_diag_add(diag, c->file, line, cn, NAMES[k], "err_badge_csv_utf8");
		return LC_EINVAL;
	}
	*out = lc_csv_cstr(c, r, (size_t)col);
	return 0;
}

/* The badges of the table in b->csv. */
static int load(struct lc_badge_csv *b, struct lc_diag *diag)
{
	int rc = 0;
	const struct lc_csv *c = &b->csv;
	long map[N_COLS];
	rc = header(c, map, diag);
	if (rc)
		goto out;
	size_t n = c->n_rows - 1;
	if (n == 0) {
		lc_diag_add(diag, c->file, c->line[0], 0, NULL, "err_badge_csv_empty");
		rc = LC_EINVAL;
		goto out;
	}
	if (n > LC_LIMIT_BADGES) {
		lc_diag_addf(diag, c->file, c->line[LC_LIMIT_BADGES + 1], 0, NULL,
		             "err_badge_csv_rows", LC_ARG_I("limit", LC_LIMIT_BADGES));
		rc = LC_ELIMIT;
		goto out;
	}
	b->badges = lc_xcalloc(n, sizeof *b->badges);
	for (size_t r = 1; r <= n; r++) {
		struct lc_badge *g = &b->badges[r - 1];
		const char *v[N_COLS];
		for (size_t k = 0; k < N_COLS; k++) {
			int e = cell(c, r, map[k], (enum col)k, &v[k], diag);
			if (e && rc != LC_ELIMIT)
				rc = e;
		}
		if (v[C_NAME_LATIN] && !*v[C_NAME_LATIN]) {
			lc_diag_add(diag, c->file, c->line[r], map[C_NAME_LATIN] + 1,
			            NAMES[C_NAME_LATIN], "err_badge_csv_name_missing");
			rc = rc ? rc : LC_EINVAL;
		}
		g->colour = DEFAULT_COLOUR;
		if (v[C_COLOUR] && *v[C_COLOUR] &&
		    !colour(lc_csv_cell(c, r, (size_t)map[C_COLOUR]), &g->colour)) {
			lc_diag_addf(diag, c->file, c->line[r], map[C_COLOUR] + 1, NAMES[C_COLOUR],
			             "err_badge_csv_colour", LC_ARG_S("value", v[C_COLOUR]));
			rc = rc ? rc : LC_EINVAL;
		}
		if (v[C_LANGUAGE] && *v[C_LANGUAGE] &&
		    !language(lc_csv_cell(c, r, (size_t)map[C_LANGUAGE]))) {
			lc_diag_addf(diag, c->file, c->line[r], map[C_LANGUAGE] + 1,
			             NAMES[C_LANGUAGE], "err_badge_csv_language",
			             LC_ARG_S("value", v[C_LANGUAGE]));
			rc = rc ? rc : LC_EINVAL;
		}
		g->name_latin = v[C_NAME_LATIN];
		g->name_native = v[C_NAME_NATIVE];
		g->organisation = v[C_ORGANISATION];
		g->city = v[C_CITY];
		g->country = v[C_COUNTRY];
		g->category = v[C_CATEGORY];
		g->language = v[C_LANGUAGE];
		g->ticket = v[C_TICKET] && *v[C_TICKET] ? v[C_TICKET] : NULL;
	}
	b->n = n;
out:
	if (rc) {
		lc_badge_csv_cleanup(b);
		lc_badge_csv_init(b);
	}
	return rc;
}

int lc_badge_csv_parse(struct lc_badge_csv *b, const char *data, size_t len, const char *file,
                       struct lc_diag *diag)
{
	lc_badge_csv_cleanup(b);
	lc_badge_csv_init(b);
	int rc = lc_csv_parse(&b->csv, data, len, file, diag);
	return rc ? rc : load(b, diag);
}

int lc_badge_csv_read_file(struct lc_badge_csv *b, const char *path, struct lc_diag *diag)
{
	lc_badge_csv_cleanup(b);
	lc_badge_csv_init(b);
	int rc = lc_csv_read_file(&b->csv, path, diag);
	return rc ? rc : load(b, diag);
}
