/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The workbooks learncity exports, as XLSX bytes (formats/xlsx_write.h).
 * Both append to out (whose maximum bounds the file) and return 0,
 * LC_EINVAL with the writer's problem in d (our bug: the sheets are ours),
 * or the writer's error.
 */
#ifndef LC_WORKBOOK_H
#define LC_WORKBOOK_H

#include <jansson.h>

struct lc_buf;
struct lc_diag;

/*
 * One sheet "Observations": a row per member of rows ({"city", "code",
 * "value", "unit", "source", "note", "number"?}; borrowed), with the year;
 * "number", when present, becomes a number cell instead of the value text.
 */
int lc_workbook_observations(const json_t *rows, long year, struct lc_buf *out, struct lc_diag *d);
/*
 * The scores of an index run m (domain/score.h's lc_score_matrix view-model;
 * borrowed): sheet "Scores", a city per row (only the city of slug only
 * when not NULL or empty), a column per code, the rank and its interval;
 * sheet "About", which run and whether its figures are synthetic.
 */
int lc_workbook_scores(const json_t *m, const char *only, struct lc_buf *out, struct lc_diag *d);

#endif
