/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What the files behind framework.h share (framework.c, framework_check.c,
 * framework_csv.c, framework_store.c, framework_edit.c) and no other module
 * includes: the document's format name, the validator's context, and the
 * helpers more than one of them calls.
 */
#ifndef LC_FRAMEWORK_INTERNAL_H
#define LC_FRAMEWORK_INTERNAL_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

struct lc_csv;
struct lc_db;

#define LC_FRAMEWORK_DOC_FORMAT "learncity-framework/1"

/* The validator's walk: where its problems go and what it has seen so far. */
struct lc_framework_vctx {
	struct lc_diag *p;
	const struct lc_csv *csv; /* the rows came from this CSV, or NULL */
	json_t *codes;            /* every code seen in the version: code -> true */
	size_t nodes;
	bool over; /* more nodes than LC_LIMIT_FRAMEWORK_NODES */
};

/* Where a node is: a JSON path, or flat names (CSV columns, form fields) with a prefix. */
struct lc_framework_loc {
	const char *path;   /* NULL: flat names */
	const char *prefix; /* "part_", "area_", "feature_", "version_" or "" */
	long ri;            /* the CSV row index, or -1 */
};

/* A number as the shortest decimal text that reads back to the same double. */
void lc_framework_fmt_num(double v, char *out, size_t size);

/* ---- framework_check.c ---- */

/* Extra arguments of a problem: LC_FW_ARGS(LC_ARG_I("limit", 64), ...). */
#define LC_FW_ARGS(...) ((const struct lc_diag_arg[]){__VA_ARGS__, {NULL, 0, NULL, 0, 0.0}})
/*
 * Adds the problem code to d (NULL: nothing happens) with the argument
 * "value" when value is not empty, then extra (NULL or LC_FW_ARGS).
 */
void lc_framework_problem_add(struct lc_diag *d, long row, long column, const char *field,
                              const char *value, const char *code, const struct lc_diag_arg *extra);
/* Checks one measurement of the form or a document; problems in v. */
void lc_framework_check_measurement(struct lc_framework_vctx *v, const struct lc_framework_loc *l,
                                    json_t *m);
/* The checks of a whole document; problems in p; LC_EINVAL or LC_ELIMIT when any. */
int lc_framework_check_doc(json_t *doc, const struct lc_csv *csv, bool flat_version,
                           struct lc_diag *p);

/* ---- framework.c ---- */

/* The id and status of version code (NULL: current). 0, LC_ENOTFOUND, LC_EDB. */
int lc_framework_version_find(struct lc_db *db, const char *code, sqlite3_int64 *vid, bool *draft);
/* One 0/1 answer of a query on ?1 = vid; negative on error. */
int lc_framework_exists(struct lc_db *db, const char *sql, sqlite3_int64 vid);
/* 1 when version vid may not change (*why: the English reason), 0 when it may, negative on error.
 */
int lc_framework_frozen(struct lc_db *db, sqlite3_int64 vid, bool draft, const char **why);

/* ---- framework_csv.c ---- */

/* Builds the framework document of a CSV file; problems of the cells in p. New reference or NULL.
 */
json_t *lc_framework_csv_doc(const struct lc_csv *csv, struct lc_diag *p);

/* ---- framework_store.c ---- */

/* Binds a JSON value as its text (NULL and null as NULL). 0 or LC_EDB. */
int lc_framework_bind_json(sqlite3_stmt *st, int i, const json_t *v);
/* Binds a number, or NULL when v is not one. */
void lc_framework_bind_num(sqlite3_stmt *st, int i, const json_t *v);
/* The string member k of o, or NULL. Borrowed. */
const char *lc_framework_str_of(const json_t *o, const char *k);
/* Inserts the parts, areas, features and measurements of a validated doc into version vid. */
int lc_framework_insert_tree(struct lc_db *db, json_t *doc, sqlite3_int64 vid);
/* Inserts the version row of doc (status draft or published) in *vid. */
int lc_framework_insert_version(struct lc_db *db, json_t *ver, bool draft, sqlite3_int64 based_on,
                                sqlite3_int64 *vid);
/* Checks that the document's version code is free; a problem in p when not. */
int lc_framework_check_free(struct lc_db *db, json_t *doc, bool flat, struct lc_diag *p);

#endif
