/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Helpers shared by the domain modules to turn result columns into jansson
 * values and to read translatable JSON columns. Internal to src/domain/.
 */
#ifndef LC_ROW_H
#define LC_ROW_H

#include <jansson.h>
#include <sqlite3.h>

/* The SQL that resolves translatable column COL in the language path bound as ?1. */
#define LC_ROW_TR(col) "coalesce(json_extract(" col ", ?1), json_extract(" col ", '$.en'))"

/* Column i as a JSON string, or JSON null when NULL (or not valid UTF-8). New reference. */
json_t *lc_row_str(sqlite3_stmt *st, int i);
/* Column i as a JSON integer, or null when NULL. New reference. */
json_t *lc_row_int(sqlite3_stmt *st, int i);
/* Column i as a JSON real, or null when NULL. New reference. */
json_t *lc_row_real(sqlite3_stmt *st, int i);
/* A C string as a JSON string, null for NULL or invalid UTF-8. New reference. */
json_t *lc_row_cstr(const char *s);
/*
 * Column i, a JSON object text such as {"en": "..", "fr": ".."}, parsed; an
 * empty object when NULL or not an object. New reference.
 */
json_t *lc_row_object(sqlite3_stmt *st, int i);
/* {"code": <col code>, "name": <col name>} or null when the code column is NULL. */
json_t *lc_row_code_name(sqlite3_stmt *st, int code, int name);

/*
 * Column i, a BLOB (an uploaded file), copied into a new allocation in *data
 * (at least one byte, so never NULL; the caller frees it with lc_free) with
 * its length in *size.
 */
void lc_row_blob(sqlite3_stmt *st, int i, unsigned char **data, size_t *size);

/* One page of a list, as lc_row_page_init checked it. */
struct lc_row_page {
	long page;     /* 1..LC_LIMIT_PAGE */
	long per_page; /* 1..LC_LIMIT_PER_PAGE */
};

/*
 * The page of a list that page and per_page ask for (0 means 1 and
 * LC_DEFAULT_PER_PAGE), in *p. 0, or LC_EINVAL when either is out of range.
 */
int lc_row_page_init(struct lc_row_page *p, long page, long per_page);
/* The rows before the page, for OFFSET. */
long lc_row_page_offset(const struct lc_row_page *p);
/*
 * The paged answer of a list, {"items": items, "total": total, "page",
 * "per_page", "pages"}; callers add their own members ("filters"). Takes
 * ownership of items. New reference, or NULL when out of memory.
 */
json_t *lc_row_paged(json_t *items, long long total, const struct lc_row_page *p);

struct lc_buf;
/* Appends the compact JSON text of j to out. 0, or LC_ELIMIT when out is full. */
int lc_row_dump(const json_t *j, struct lc_buf *out);
/* True when s is "verified", "secondary" or "provisional". */
int lc_row_provenance_ok(const char *s);
#endif
