/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The framework tree of a composite index (COINr's iMeta): indicators at
 * level 1, aggregates above, each code with its parent one level up, its
 * weight relative to its siblings, its direction, target and denominator.
 * The tree owns its codes and validates itself (unknown parent, cycle, a
 * level that skips, duplicate code). It does no I/O: loaders fill it with
 * lc_tree_add and check it with lc_tree_finish.
 */
#ifndef LC_TREE_H
#define LC_TREE_H

#include <stdbool.h>
#include <stddef.h>

struct lc_diag;

struct lc_tree_node {
	char *code;        /* owned, unique */
	char *name;        /* owned; may be NULL */
	int level;         /* 1 = indicator */
	int direction;     /* +1 or -1 */
	double weight;     /* relative to siblings; >= 0 */
	double target;     /* NaN when none */
	char *denominator; /* owned; a denominator column name, or NULL */
	char *parent_code; /* owned; NULL at the top */
	long parent;       /* index into nodes, -1 at the top (set by lc_tree_finish) */
	size_t first_child, n_children; /* children[first_child ..] (set by lc_tree_finish) */
	/* Where the row came from, for messages; 0 when unknown. */
	long line, col_code, col_level, col_parent;
};

struct lc_tree {
	struct lc_tree_node *nodes; /* owned; in the order added (iMeta order) */
	size_t n, cap;
	/* Filled by lc_tree_finish: */
	size_t *children; /* owned; child indices grouped by parent, in node order */
	size_t *ind;      /* owned; indices of the level-1 nodes, in node order */
	size_t n_ind;
	size_t *agg; /* owned; indices of aggregates, by level ascending then node order */
	size_t n_agg;
	int n_levels; /* the highest level */
	long root;    /* the single node at the top level, or -1 when there are several */
	bool finished;
};

void lc_tree_init(struct lc_tree *t);
/* Frees everything; t may be initialised again. NULL allowed. */
void lc_tree_cleanup(struct lc_tree *t);
/*
 * Appends a code. Strings are copied; name, denominator and parent may be
 * NULL. line/col_* locate the row for messages (0 = unknown). Returns 0 or
 * LC_ELIMIT past LC_LIMIT_ENGINE_CODES (with a diag entry in file).
 */
int lc_tree_add(struct lc_tree *t, const char *code, const char *name, int level, int direction,
                double weight, double target, const char *denominator, const char *parent,
                long line, struct lc_diag *diag, const char *file);
/*
 * Links parents and children and checks the tree: duplicate code, unknown
 * parent, a parent not exactly one level up (a level that skips), a cycle,
 * a level outside 1..LC_LIMIT_ENGINE_LEVELS, a direction other than +-1, a
 * negative or non-finite weight, an aggregate without children, a top-level
 * code below the highest level. Every problem goes into diag (file may be
 * NULL) with the line and column recorded by lc_tree_add. Returns 0 or
 * LC_EINVAL.
 */
int lc_tree_finish(struct lc_tree *t, const char *file, struct lc_diag *diag);
/* The index of code, or -1. Linear; for loading and reports, not hot loops. */
long lc_tree_find(const struct lc_tree *t, const char *code);

#endif
