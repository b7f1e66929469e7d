/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The deterministic pipeline: runs the steps of a spec (denominate, impute,
 * screen, treat, normalise, aggregate) over a data matrix and a tree and
 * returns the final matrix (indicators and aggregates), and on request every
 * step's matrix, the treatment report and the effective weights.
 *
 * Made for Monte Carlo use: lc_pipeline_run is re-entrant (no globals, no
 * printing, no I/O); a result reused across calls keeps its buffers, so a
 * run with keep_stages off allocates nothing once the buffers have grown
 * (bar diag entries on errors and warnings when asked for). One result per
 * thread; the input, tree and spec are only read and may be shared.
 */
#ifndef LC_PIPELINE_H
#define LC_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "engine/matrix.h"
#include "engine/spec.h"
#include "engine/treat.h"
#include "engine/tree.h"

/* What the pipeline reads; borrowed for the duration of a run. */
struct lc_engine_input {
	const struct lc_tree *tree;   /* finished (lc_tree_finish) */
	const struct lc_matrix *data; /* n_cols == tree->n; level-1 columns hold data */
};

struct lc_pipeline_opts {
	bool keep_stages; /* keep each step's matrix, the treated points, warnings */
	/*
	 * NULL, or tree->n weights (tree order) that replace both iMeta and
	 * the spec's weight overrides for this run (noisy weights).
	 */
	const double *weights;
};

/* The matrix after one step. */
struct lc_stage {
	enum lc_op op;
	size_t step; /* index into spec->steps */
	size_t n_units;
	size_t *units; /* owned; indices into the input units, ascending */
	double *x;     /* owned; x[col * n_units + i], all tree columns */
};

struct lc_pipeline_result {
	/* The final matrix. */
	size_t n_units;
	size_t *units; /* owned; kept units as indices into the input, ascending */
	double *x;     /* owned; x[col * n_units + i] for every tree column; NaN = NA */
	/* Set when an aggregate step ran. */
	bool aggregated;
	double *weights;     /* owned; tree->n weights used (raw, relative within parent) */
	double *eff_weights; /* owned; tree->n: product of normalised weights up the tree */
	/* Set when a treat step ran. */
	bool treated;
	struct lc_treat_info *treat; /* owned; tree->n, meaningful for level-1 columns */
	/* Only with keep_stages: */
	signed char *treat_points; /* owned; [col * n_input_units + input unit]: +1 winsorised high,
	                            * -1 low, 0 not */
	struct lc_stage *stages;   /* owned; one per step that ran, in order */
	size_t n_stages;
	size_t n_dropped;
	size_t *dropped;         /* owned; input indices of units removed by screening */
	struct lc_diag warnings; /* only with keep_stages: zero ranges, unknown codes... */
	void *scratch;           /* private reusable work space */
};

void lc_pipeline_result_init(struct lc_pipeline_result *r);
/* Frees everything. NULL allowed. */
void lc_pipeline_result_cleanup(struct lc_pipeline_result *r);

/*
 * Runs spec over in into out (initialised; reused across calls). Steps run
 * in order; absent steps are skipped. Returns 0, or LC_EINVAL when the data
 * or spec cannot be computed (a group column or code the spec names does
 * not exist, geometric or harmonic mean of x <= 0, no unit left after
 * screening...) or LC_ELIMIT (Copeland over too many units), with an
 * entry in diag (may be NULL: Monte Carlo counts failures without
 * messages). After an error *out holds no valid result.
 */
int lc_pipeline_run(const struct lc_engine_input *in, const struct lc_spec *spec,
                    const struct lc_pipeline_opts *opts, struct lc_pipeline_result *out,
                    struct lc_diag *diag);

/*
 * Ranks column col of r's final matrix into ranks[0 .. r->n_units): highest
 * value = 1, ties share the best rank, NA stays NaN. Uses r's scratch: not
 * allocation-free on first use only.
 */
void lc_pipeline_rank(struct lc_pipeline_result *r, size_t col, double *ranks);

#endif
