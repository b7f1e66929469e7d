/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The data matrix of matrix.h. */
#include "engine/matrix.h"

#include <math.h>
#include <string.h>

#include "base/alloc.h"

void lc_matrix_init(struct lc_matrix *m)
{
	memset(m, 0, sizeof *m);
}

static void free_strings(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		lc_free(v[i]);
	lc_free(v);
}

void lc_matrix_cleanup(struct lc_matrix *m)
{
	if (!m)
		return;
	free_strings(m->ucodes, m->n_units);
	free_strings(m->unames, m->n_units);
	lc_free(m->x);
	free_strings(m->denom_names, m->n_denoms);
	lc_free(m->denoms);
	if (m->group_levels)
		for (size_t g = 0; g < m->n_groups; g++)
			free_strings(m->group_levels[g], m->n_group_levels[g]);
	lc_free(m->group_levels);
	lc_free(m->n_group_levels);
	free_strings(m->group_names, m->n_groups);
	lc_free(m->groups);
	lc_matrix_init(m);
}

void lc_matrix_alloc(struct lc_matrix *m, size_t n_units, size_t n_cols, size_t n_denoms,
                     size_t n_groups)
{
	m->n_units = n_units;
	m->n_cols = n_cols;
	m->n_denoms = n_denoms;
	m->n_groups = n_groups;
	m->ucodes = lc_xcalloc(n_units + 1, sizeof *m->ucodes);
	m->unames = lc_xcalloc(n_units + 1, sizeof *m->unames);
	size_t nx = n_units * n_cols;
	m->x = lc_xreallocarray(NULL, nx + 1, sizeof *m->x);
	for (size_t i = 0; i < nx; i++)
		m->x[i] = NAN;
	m->denom_names = lc_xcalloc(n_denoms + 1, sizeof *m->denom_names);
	m->denoms = lc_xreallocarray(NULL, n_denoms * n_units + 1, sizeof *m->denoms);
	for (size_t i = 0; i < n_denoms * n_units; i++)
		m->denoms[i] = NAN;
	m->group_names = lc_xcalloc(n_groups + 1, sizeof *m->group_names);
	m->groups = lc_xreallocarray(NULL, n_groups * n_units + 1, sizeof *m->groups);
	for (size_t i = 0; i < n_groups * n_units; i++)
		m->groups[i] = -1;
	m->group_levels = lc_xcalloc(n_groups + 1, sizeof *m->group_levels);
	m->n_group_levels = lc_xcalloc(n_groups + 1, sizeof *m->n_group_levels);
}

static long find_name(char *const *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] && strcmp(v[i], name) == 0)
			return (long)i;
	return -1;
}

long lc_matrix_find_denom(const struct lc_matrix *m, const char *name)
{
	return find_name(m->denom_names, m->n_denoms, name);
}

long lc_matrix_find_group(const struct lc_matrix *m, const char *name)
{
	return find_name(m->group_names, m->n_groups, name);
}

long lc_matrix_find_unit(const struct lc_matrix *m, const char *ucode)
{
	return find_name(m->ucodes, m->n_units, ucode);
}
