/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The framework tree of tree.h: building, linking and validation. */
#include "engine/tree.h"

#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"

void lc_tree_init(struct lc_tree *t)
{
	memset(t, 0, sizeof *t);
	t->root = -1;
}

void lc_tree_cleanup(struct lc_tree *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		lc_free(t->nodes[i].code);
		lc_free(t->nodes[i].name);
		lc_free(t->nodes[i].denominator);
		lc_free(t->nodes[i].parent_code);
	}
	lc_free(t->nodes);
	lc_free(t->children);
	lc_free(t->ind);
	lc_free(t->agg);
	lc_tree_init(t);
}

int lc_tree_add(struct lc_tree *t, const char *code, const char *name, int level, int direction,
                double weight, double target, const char *denominator, const char *parent,
                long line, struct lc_diag *diag, const char *file)
{
	if (t->n >= LC_LIMIT_ENGINE_CODES) {
		if (diag)
			lc_diag_addf(diag, file, line, 0, NULL, "err_tree_codes_many",
			             LC_ARG_I("limit", LC_LIMIT_ENGINE_CODES));
		return LC_ELIMIT;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->nodes = lc_xreallocarray(t->nodes, t->cap, sizeof *t->nodes);
	}
	struct lc_tree_node *nd = &t->nodes[t->n++];
	memset(nd, 0, sizeof *nd);
	nd->code = lc_xstrdup(code);
	nd->name = name ? lc_xstrdup(name) : NULL;
	nd->level = level;
	nd->direction = direction;
	nd->weight = weight;
	nd->target = target;
	nd->denominator = denominator ? lc_xstrdup(denominator) : NULL;
	nd->parent_code = parent ? lc_xstrdup(parent) : NULL;
	nd->parent = -1;
	nd->line = line;
	t->finished = false;
	return 0;
}

long lc_tree_find(const struct lc_tree *t, const char *code)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->nodes[i].code, code) == 0)
			return (long)i;
	return -1;
}

int lc_tree_finish(struct lc_tree *t, const char *file, struct lc_diag *diag)
{
	size_t before = diag ? lc_diag_total(diag) : 0;
	bool bad = false;
#define PROBLEM(nd, col, fld, ...)                                                                 \
	do {                                                                                       \
		bad = true;                                                                        \
		if (diag)                                                                          \
			lc_diag_addf(diag, file, (nd)->line, (nd)->col, fld, __VA_ARGS__);         \
	} while (0)

	lc_free(t->children);
	lc_free(t->ind);
	lc_free(t->agg);
	t->children = lc_xcalloc(t->n ? t->n : 1, sizeof *t->children);
	t->ind = lc_xcalloc(t->n ? t->n : 1, sizeof *t->ind);
	t->agg = lc_xcalloc(t->n ? t->n : 1, sizeof *t->agg);
	t->n_ind = t->n_agg = 0;
	t->n_levels = 0;
	t->root = -1;
	t->finished = false;

	if (t->n == 0) {
		if (diag)
			lc_diag_add(diag, file, 0, 0, NULL, "err_tree_empty");
		return LC_EINVAL;
	}
	for (size_t i = 0; i < t->n; i++) {
		struct lc_tree_node *nd = &t->nodes[i];
		nd->parent = -1;
		nd->n_children = 0;
		if (nd->level < 1 || nd->level > LC_LIMIT_ENGINE_LEVELS)
			PROBLEM(nd, col_level, "Level", "err_tree_level",
			        LC_ARG_I("level", nd->level), LC_ARG_S("code", nd->code),
			        LC_ARG_I("limit", LC_LIMIT_ENGINE_LEVELS));
		if (nd->direction != 1 && nd->direction != -1)
			PROBLEM(nd, col_code, "Direction", "err_tree_direction",
			        LC_ARG_S("code", nd->code));
		if (!isfinite(nd->weight) || nd->weight < 0)
			PROBLEM(nd, col_code, "Weight", "err_tree_weight",
			        LC_ARG_S("code", nd->code));
		if (nd->level > t->n_levels)
			t->n_levels = nd->level;
		/* Quadratic, but only on load and far below the code limit in practice. */
		for (size_t j = 0; j < i; j++)
			if (strcmp(t->nodes[j].code, nd->code) == 0) {
				PROBLEM(nd, col_code, "iCode", "err_tree_code_twice",
				        LC_ARG_S("code", nd->code),
				        LC_ARG_I("line", t->nodes[j].line));
				break;
			}
	}
	for (size_t i = 0; i < t->n; i++) {
		struct lc_tree_node *nd = &t->nodes[i];
		if (!nd->parent_code)
			continue;
		long p = lc_tree_find(t, nd->parent_code);
		if (p < 0) {
			PROBLEM(nd, col_parent, "Parent", "err_tree_parent_unknown",
			        LC_ARG_S("parent", nd->parent_code), LC_ARG_S("code", nd->code));
			continue;
		}
		if ((size_t)p == i) {
			PROBLEM(nd, col_parent, "Parent", "err_tree_own_parent",
			        LC_ARG_S("code", nd->code));
			continue;
		}
		nd->parent = p;
		if (t->nodes[p].level != nd->level + 1)
			PROBLEM(nd, col_parent, "Parent", "err_tree_level_skip",
			        LC_ARG_S("parent", nd->parent_code), LC_ARG_S("code", nd->code),
			        LC_ARG_I("level", t->nodes[p].level),
			        LC_ARG_I("expected", nd->level + 1));
	}
	/* A cycle shows as a walk up that is longer than the number of nodes. */
	for (size_t i = 0; i < t->n; i++) {
		long p = t->nodes[i].parent;
		size_t steps = 0;
		while (p >= 0 && steps <= t->n) {
			p = t->nodes[p].parent;
			steps++;
		}
		if (p >= 0) {
			PROBLEM(&t->nodes[i], col_parent, "Parent", "err_tree_cycle",
			        LC_ARG_S("code", t->nodes[i].code));
			/* Break it so that later walks end. */
			t->nodes[i].parent = -1;
		}
	}
	if (bad)
		goto out;

	/* Children grouped by parent, each group in node order (counting sort). */
	size_t *start = lc_xcalloc(t->n + 1, sizeof *start);
	for (size_t i = 0; i < t->n; i++)
		if (t->nodes[i].parent >= 0)
			start[t->nodes[i].parent + 1]++;
	for (size_t i = 0; i < t->n; i++)
		start[i + 1] += start[i];
	for (size_t i = 0; i < t->n; i++) {
		t->nodes[i].first_child = start[i];
		t->nodes[i].n_children = 0;
	}
	for (size_t i = 0; i < t->n; i++) {
		long p = t->nodes[i].parent;
		if (p >= 0) {
			struct lc_tree_node *pn = &t->nodes[p];
			t->children[pn->first_child + pn->n_children++] = i;
		}
	}
	lc_free(start);

	size_t n_top = 0;
	for (size_t i = 0; i < t->n; i++) {
		struct lc_tree_node *nd = &t->nodes[i];
		if (nd->level == 1) {
			t->ind[t->n_ind++] = i;
			if (nd->n_children)
				PROBLEM(nd, col_level, "Level", "err_tree_indicator_children",
				        LC_ARG_S("code", nd->code));
		} else if (nd->n_children == 0) {
			PROBLEM(nd, col_code, "iCode", "err_tree_aggregate_empty",
			        LC_ARG_S("code", nd->code));
		}
		if (nd->parent < 0) {
			if (nd->level != t->n_levels)
				PROBLEM(nd, col_parent, "Parent", "err_tree_no_parent",
				        LC_ARG_S("code", nd->code), LC_ARG_I("level", nd->level),
				        LC_ARG_I("top", t->n_levels));
			n_top++;
			t->root = (long)i;
		}
	}
	if (n_top != 1)
		t->root = -1;
	for (int lv = 2; lv <= t->n_levels; lv++)
		for (size_t i = 0; i < t->n; i++)
			if (t->nodes[i].level == lv)
				t->agg[t->n_agg++] = i;
out:
#undef PROBLEM
	if (bad || (diag && lc_diag_total(diag) != before))
		return LC_EINVAL;
	t->finished = true;
	return 0;
}
