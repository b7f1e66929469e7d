/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What index runs compute from: the engine's input (tree and matrix) for a
 * reporting year, built from approved data only. It reads the measurement
 * catalogue (domain/monitoring/observation.h), the current values, and the approved
 * city-years (LC_YEAR_REVIEW_APPROVED_SQL of domain/monitoring/year_review.h,
 * whose steps the workflow engine takes), and writes nothing. Kept apart
 * from both so that the modules depend one way: monitoring_input on
 * observation and year_review, observation on year_review.
 */
#ifndef LC_MONITORING_INPUT_H
#define LC_MONITORING_INPUT_H

#include "engine/matrix.h"
#include "engine/tree.h"

struct lc_db;
struct lc_diag;

/*
 * The engine's input for a year, from approved data only: the tree of the
 * current framework (measurements of every type but text at level 1,
 * weight 1, direction +1 or -1 (neutral counts as +1); areas of focus at
 * level 2; parts at level 3; "index" at level 4; an area or part without
 * any measurement is left out) and the matrix of every city whose year is
 * approved (unit code = slug, name = English name; NaN where a value is
 * missing). With no approved city the matrix has 0 units. tree and m must
 * be initialised (lc_tree_init, lc_matrix_init) and empty; the caller
 * cleans them up, also after an error. Errors: LC_ENOTFOUND (no framework),
 * LC_ELIMIT (engine limits), LC_EINVAL (the tree does not check: a bug,
 * with d), LC_EDB.
 */
int lc_monitoring_input_approved(struct lc_db *db, long year, struct lc_tree *tree,
                                 struct lc_matrix *m, struct lc_diag *d);

#endif
