/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The data matrix entering the pipeline: units (rows) by codes (columns of
 * the tree, in tree order), stored column-major as doubles with NaN for NA,
 * plus the units' denominator columns and group memberships. Only level-1
 * columns carry data on input; aggregate columns are NaN until aggregation.
 * The matrix owns everything it holds; it does no I/O.
 */
#ifndef LC_MATRIX_H
#define LC_MATRIX_H

#include <stddef.h>

struct lc_matrix {
	size_t n_units;
	size_t n_cols; /* == tree->n */
	char **ucodes; /* owned, n_units unique unit codes */
	char **unames; /* owned, n_units (entries may be NULL) */
	double *x;     /* owned, x[col * n_units + unit]; NaN = NA */
	size_t n_denoms;
	char **denom_names; /* owned, n_denoms */
	double *denoms;     /* owned, denoms[d * n_units + unit]; NaN = NA */
	size_t n_groups;
	char **group_names;   /* owned, n_groups (iData column names) */
	int *groups;          /* owned, groups[g * n_units + unit]: a level id >= 0, or -1 = NA */
	char ***group_levels; /* owned, group_levels[g][id]: the level's text */
	size_t *n_group_levels;
};

/* An empty matrix. */
void lc_matrix_init(struct lc_matrix *m);
/* Frees everything; m may be initialised again. NULL allowed. */
void lc_matrix_cleanup(struct lc_matrix *m);
/*
 * Allocates n_units x n_cols (all NaN), n_denoms denominator columns (NaN)
 * and n_groups group columns (-1) in an empty matrix; names are NULL until
 * the caller sets them (lc_xstrdup). The caller checks sizes against
 * base/limits.h first.
 */
void lc_matrix_alloc(struct lc_matrix *m, size_t n_units, size_t n_cols, size_t n_denoms,
                     size_t n_groups);
/* The index of a denominator column or group column by name, or -1. */
long lc_matrix_find_denom(const struct lc_matrix *m, const char *name);
long lc_matrix_find_group(const struct lc_matrix *m, const char *name);
/* Index of the unit with this code, or -1 (linear). */
long lc_matrix_find_unit(const struct lc_matrix *m, const char *ucode);

#endif
