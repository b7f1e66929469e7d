/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Result columns to jansson values (row.h). */
#include "domain/platform/row.h"

#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"

json_t *lc_row_cstr(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	return j ? j : json_null();
}

json_t *lc_row_str(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	return lc_row_cstr((const char *)sqlite3_column_text(st, i));
}

json_t *lc_row_int(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	return json_integer((json_int_t)sqlite3_column_int64(st, i));
}

json_t *lc_row_real(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	return json_real(sqlite3_column_double(st, i));
}

json_t *lc_row_object(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	int n = sqlite3_column_bytes(st, i);
	json_t *j = t ? json_loadb(t, (size_t)n, 0, NULL) : NULL;
	if (!json_is_object(j)) {
		json_decref(j);
		return json_object();
	}
	return j;
}

void lc_row_blob(sqlite3_stmt *st, int i, unsigned char **data, size_t *size)
{
	const void *b = sqlite3_column_blob(st, i);
	*size = (size_t)sqlite3_column_bytes(st, i);
	*data = lc_xmalloc(*size ? *size : 1);
	if (*size)
		memcpy(*data, b, *size);
}

json_t *lc_row_code_name(sqlite3_stmt *st, int code, int name)
{
	if (sqlite3_column_type(st, code) == SQLITE_NULL)
		return json_null();
	return json_pack("{s:o, s:o}", "code", lc_row_str(st, code), "name", lc_row_str(st, name));
}

int lc_row_dump(const json_t *j, struct lc_buf *out)
{
	size_t need = json_dumpb(j, NULL, 0, JSON_COMPACT);
	if (need == 0)
		return LC_EINVAL;
	char *tmp = lc_xmalloc(need);
	size_t got = json_dumpb(j, tmp, need, JSON_COMPACT);
	lc_buf_append(out, tmp, got);
	lc_free(tmp);
	return lc_buf_error(out);
}

int lc_row_page_init(struct lc_row_page *p, long page, long per_page)
{
	p->page = page ? page : 1;
	p->per_page = per_page ? per_page : LC_DEFAULT_PER_PAGE;
	if (p->page < 1 || p->page > LC_LIMIT_PAGE || p->per_page < 1 ||
	    p->per_page > LC_LIMIT_PER_PAGE)
		return LC_EINVAL;
	return 0;
}

long lc_row_page_offset(const struct lc_row_page *p)
{
	return (p->page - 1) * p->per_page;
}

json_t *lc_row_paged(json_t *items, long long total, const struct lc_row_page *p)
{
	return json_pack("{s:o, s:I, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total,
	                 "page", (json_int_t)p->page, "per_page", (json_int_t)p->per_page, "pages",
	                 (json_int_t)((total + p->per_page - 1) / p->per_page));
}

int lc_row_provenance_ok(const char *s)
{
	return s && (strcmp(s, "verified") == 0 || strcmp(s, "secondary") == 0 ||
	             strcmp(s, "provisional") == 0);
}
