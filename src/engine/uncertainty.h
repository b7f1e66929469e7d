/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Uncertainty and sensitivity analysis of a composite index (ENGINE.md,
 * "Uncertainty and sensitivity analysis" and "Uncertain inputs in the spec").
 *
 * lc_ua_init reads the spec's "uncertain" list into d inputs, each mapping a
 * number u in [0, 1) to a change of the nominal spec:
 *   values        discrete alternatives, picked by splitting [0, 1) into
 *                 equal bins (u in [k/n, (k+1)/n) picks value k); a value of
 *                 a whole step (path "steps[N]") replaces that step, null
 *                 makes it absent; a value of a key ("steps[N].key")
 *                 replaces that key;
 *   uniform       [lo, hi]: the key gets lo + u (hi - lo);
 *   noisy_weights {levels, f, sets}: `sets` weight sets are drawn once from
 *                 the seed, each weight at the given tree levels multiplied
 *                 by 1 + f U(-1, 1) (COINr's get_noisy_weights), and u
 *                 picks one set per run.
 * Every alternative is parsed and validated once, here, so a run only
 * copies step structs and sets numbers: no JSON, no allocation.
 *
 * lc_ua_uncertainty runs N samples; lc_ua_sensitivity runs the N(d + 2)
 * runs of the Saltelli design (engine/sobol.h). Both run the pipeline on
 * every core (engine/montecarlo.h), report per unit the nominal rank and
 * score and the mean, median, 5th and 95th percentile of rank and score
 * over the runs (quantiles as R's default, type 7), and count failed runs.
 * The sensitivity analysis also gives S_i and S_Ti with bootstrap
 * intervals of a scalar output: the mean absolute rank shift against the
 * nominal ranks (Handbook eq. 38) or one unit's score.
 *
 * Owns its parsed inputs, alternative steps and weight sets. Borrows the
 * engine input and the nominal spec, which must outlive it. No I/O.
 */
#ifndef LC_ENGINE_UNCERTAINTY_H
#define LC_ENGINE_UNCERTAINTY_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/montecarlo.h"
#include "engine/pipeline.h"
#include "engine/sobol.h"
#include "engine/spec.h"

struct lc_diag;

enum lc_ua_kind {
	LC_UA_NUMBER,  /* discrete numbers set with lc_spec_set_number */
	LC_UA_STEP,    /* discrete alternatives that replace a whole step */
	LC_UA_UNIFORM, /* continuous range of a numeric key */
	LC_UA_NOISY,   /* one of `sets` noisy weight sets */
};

struct lc_ua_input {
	char *name; /* owned */
	enum lc_ua_kind kind;
	struct lc_spec_path path; /* not for LC_UA_NOISY */
	size_t n_values;          /* alternatives (NUMBER, STEP) or sets (NOISY) */
	double *numbers;          /* owned; NUMBER: n_values */
	struct lc_spec *variants; /* owned; STEP: n_values specs, each the nominal with
	                           * alternative k applied; only step path.step is used */
	double lo, hi;            /* UNIFORM */
	double f;                 /* NOISY: noise factor */
	int *levels;              /* owned; NOISY */
	size_t n_levels;
	double *weights; /* owned; NOISY: n_values x tree->n weights, set-major */
};

struct lc_ua {
	const struct lc_engine_input *in; /* borrowed */
	const struct lc_spec *nominal;    /* borrowed */
	uint64_t seed;
	size_t d;                   /* inputs */
	struct lc_ua_input *inputs; /* owned; d */
	size_t root;                /* the index column (tree->root) */
	size_t n_units;             /* input units (in->data->n_units) */
	double *nom_rank;           /* owned; n_units, NaN when screened out */
	double *nom_score;          /* owned; n_units, NaN when screened out */
	double *nom_weights;        /* owned; tree->n weights of the nominal run */
};

/*
 * Parses spec->uncertain and runs the nominal pipeline (the spec without
 * its uncertain list). seed fixes the noisy weight sets. Returns 0;
 * LC_EINVAL with every problem in diag (field "uncertain[i]..." naming the
 * entry) when the list is missing, empty or wrong, or the nominal run
 * fails; LC_ELIMIT past a limit of base/limits.h. Caller cleans up with
 * lc_ua_cleanup in every case.
 */
int lc_ua_init(struct lc_ua *ua, const struct lc_engine_input *in, const struct lc_spec *spec,
               uint64_t seed, struct lc_diag *diag);
/* Frees what ua owns; NULL and a zeroed struct are fine. */
void lc_ua_cleanup(struct lc_ua *ua);

/* The bin of u in [0, 1) among n equal bins: floor(u n), at most n - 1. */
size_t lc_ua_bin(double u, size_t n);

/* One thread's working state: a run spec, a pipeline result, rank buffers. */
struct lc_ua_ws;
struct lc_ua_ws *lc_ua_ws_new(const struct lc_ua *ua);
/* NULL allowed. */
void lc_ua_ws_free(struct lc_ua_ws *ws);
/*
 * Derives the spec of sample row u (d values in [0, 1)) into ws. Discrete
 * and whole-step inputs apply first, then numeric ones (a numeric key of a
 * step made absent is ignored). *spec and *weights (NULL = the spec's own
 * weights) are borrowed from ws and ua until the next call. Returns 0 or
 * LC_EINVAL when a numeric key does not fit the step chosen (the run fails).
 */
int lc_ua_apply(const struct lc_ua *ua, struct lc_ua_ws *ws, const double *u,
                const struct lc_spec **spec, const double **weights);

enum lc_ua_output {
	LC_UA_OUT_RANKSHIFT, /* mean absolute rank shift against nominal */
	LC_UA_OUT_SCORE,     /* the index score of one unit */
};

struct lc_ua_opts {
	size_t n;         /* UA: runs; SA: base sample size N (runs N(d + 2)) */
	unsigned threads; /* 0 = online cores */
	enum lc_sobol_source source;
	enum lc_ua_output output; /* SA only */
	size_t unit;              /* LC_UA_OUT_SCORE: input unit index */
	size_t boot;              /* SA bootstrap resamples; 0 = none */
	lc_mc_progress_fn progress;
	void *progress_user;
	atomic_bool *cancel;
	/*
	 * Off (default): leading steps that only discrete inputs touch are
	 * computed once per combination of their values, before the runs (same
	 * results, less work). On: every run runs every step (for tests).
	 */
	bool no_cache;
	/*
	 * Other tree columns (areas, parts) whose rank and score statistics are
	 * kept too, in rep->col_units; borrowed, n_cols of them (0 = none).
	 * Their ranks are among the units of the same run, like the index's.
	 */
	const size_t *cols;
	size_t n_cols;
};

struct lc_ua_unit_stats {
	size_t n_runs; /* runs in which the unit had a rank */
	double nom_rank, rank_mean, rank_median, rank_q5, rank_q95;
	double nom_score, score_mean, score_median, score_q5, score_q95;
};

struct lc_ua_report {
	size_t runs;      /* runs asked for */
	size_t failed;    /* runs whose pipeline failed (counted, never dropped silently) */
	size_t not_run;   /* runs skipped after a cancellation */
	size_t stat_runs; /* runs (0 .. stat_runs-1) kept for the rank/score statistics */
	int first_error;  /* of the lowest-numbered failed run, 0 when none */
	size_t first_failed_run;
	char first_error_msg[256]; /* its diagnostic, "" when none */
	unsigned threads;
	double seconds;      /* wall-clock time of the runs */
	size_t cached_steps; /* leading steps computed once per combination, not per run */
	enum lc_sobol_source source;
	size_t n_units;                 /* input units, in input order */
	struct lc_ua_unit_stats *units; /* owned; n_units */
	/*
	 * The statistics of opts->cols: col_units[k * n_units + u] for column
	 * cols[k] (nom_rank and nom_score NaN: the caller has the nominal run),
	 * over the successful runs among the first col_stat_runs (all runs
	 * unless runs x units x n_cols exceeds LC_LIMIT_UA_STORED_COL_CELLS).
	 * Kept as floats: 7 digits are plenty for an interval.
	 */
	size_t n_cols;
	size_t col_stat_runs;
	struct lc_ua_unit_stats *col_units; /* owned; n_cols x n_units */
	/* Sensitivity analysis only: */
	bool has_sobol;
	struct lc_sobol_result sobol; /* one index per input, in ua->inputs order */
	double *y;                    /* owned; the scalar output of every run (NaN = failed) */
};

/*
 * Uncertainty analysis: runs i = 0..n-1 use rows of the design's matrix A
 * (seeded with ua->seed). Statistics use the successful runs among the
 * first stat_runs (all runs unless runs x units exceeds
 * LC_LIMIT_UA_STORED_CELLS). Returns 0 (read rep->failed), LC_EBUSY when
 * cancelled, LC_EINVAL/LC_ELIMIT on bad options. Caller frees rep with
 * lc_ua_report_cleanup in every case.
 */
int lc_ua_uncertainty(const struct lc_ua *ua, const struct lc_ua_opts *opts,
                      struct lc_ua_report *rep);
/*
 * Sensitivity analysis: the N(d + 2) runs of the Saltelli design, the rank
 * and score statistics as above over all of them, and Sobol indices of the
 * chosen output with bootstrap 5/95 % intervals. A run that fails marks its
 * base row unusable for the indices (rep->sobol.n_dropped). Same returns.
 */
int lc_ua_sensitivity(const struct lc_ua *ua, const struct lc_ua_opts *opts,
                      struct lc_ua_report *rep);
/* NULL allowed. */
void lc_ua_report_cleanup(struct lc_ua_report *rep);

#endif
