/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * "Download CSV / XLSX" for any list a page shows: one declaration gives a
 * list two more rows, PATH.csv and PATH.xlsx, that answer every row of the
 * list under the same filters (every page of it, not the one on screen), as
 * the people who may see the page may see it: the rows' roles are the page's.
 *
 *   static const struct lc_site_column user_cols[] = {
 *       {"email", "email"}, {"name", "name"}, {"roles_text", "roles"}, {0}};
 *   static const struct lc_download users_dl = {
 *       .load = load_users, .columns = user_cols, .file = "users"};
 *   LC_DOWNLOADS("/admin/users", &users_dl, admin_users_params, flags),
 *
 * The loader is the page's: it reads the request's parameters (the router
 * has checked them against params) and answers a list view-model with its
 * rows under "items" and, when paged, "page" and "pages"; the download asks
 * for each page in turn at the largest page size. A list longer than
 * LC_LIMIT_DOWNLOAD_ROWS is refused with a problem that says to narrow the
 * filters, never cut short. CSV text cells are neutralised against formula
 * injection (lc_buf_append_csv); XLSX cells are text or numbers, never
 * formulas (formats/xlsx_write.h).
 */
#ifndef LC_ROUTES_DOWNLOAD_H
#define LC_ROUTES_DOWNLOAD_H

#include <jansson.h>

#include "web/http.h"

struct lc_db;
struct lc_diag;

/* One column: a dotted path into each row ("country.name") and the catalogue key of its header. */
struct lc_site_column {
	const char *path;
	const char *header_key;
};

struct lc_download {
	int (*load)(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d);
	const struct lc_site_column *columns; /* ends with {0} */
	const char *file;                     /* the file's name without extension: "cities" */
};

/* The handler of both download rows (the row's data is its struct lc_download). */
int lc_download_serve(struct lc_req *req, struct lc_resp *resp);

#define LC_DOWNLOADS(pattern, dl, params, flags)                                                   \
	{LC_HTTP_GET, pattern ".csv", lc_download_serve, params, 0, flags, dl},                    \
	{                                                                                          \
		LC_HTTP_GET, pattern ".xlsx", lc_download_serve, params, 0, flags, dl              \
	}

/*
 * The page's links to its downloads, keeping its filters (not its page):
 * {"csv": "/cities.csv?region=AFR", "xlsx": "/cities.xlsx?region=AFR"}, for
 * the "downloads" partial. path is the page's path ("/cities"). In the
 * request's arena; caller owns the object.
 */
json_t *lc_download_links(struct lc_req *req, const char *path);

#endif
