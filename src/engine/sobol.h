/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Variance-based (Sobol) sensitivity analysis: the Saltelli 2010 sampling
 * design and its estimators. The module builds the two base matrices A and
 * B (N x d, values in [0, 1)), tells which sample row each of the N(d + 2)
 * runs uses, and turns the N(d + 2) scalar outputs into first-order indices
 * S_i (Saltelli et al. 2010, computed on centred outputs) and total indices
 * S_Ti (Jansen 1999) with bootstrap percentile intervals.
 *
 * It owns only the design matrices and the result arrays. It does not run
 * any model: a caller maps a row to model inputs and evaluates it (see
 * engine/montecarlo.h for the parallel runner). Pure computation, no I/O.
 *
 * Run order (fixed, so outputs can be stored in one array indexed by run):
 *   runs [0, N)                 rows of A
 *   runs [N, 2N)                rows of B
 *   runs [(2 + i)N, (3 + i)N)   rows of A_B^(i): A with column i taken from B
 */
#ifndef LC_ENGINE_SOBOL_H
#define LC_ENGINE_SOBOL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Where the 2d-dimensional base sample comes from.
 * LC_SOBOL_QMC: GSL's Sobol low-discrepancy sequence (gsl_qrng_sobol, at most
 * LC_SOBOL_QMC_MAX_DIM = 40 dimensions, so d <= 20), points 1..N (GSL skips
 * the all-zero point), each coordinate digitally shifted (XOR of its 30-bit
 * fraction with a per-dimension mask drawn from the seed) so that the seed
 * gives a different, equally well spread sample. Converges about as 1/N.
 * LC_SOBOL_RNG: independent uniforms from GSL's MT19937 seeded with the seed,
 * filled row by row (A then B). Converges as 1/sqrt(N); works for any d.
 * LC_SOBOL_AUTO picks QMC when d <= 20 and RNG otherwise.
 */
enum lc_sobol_source { LC_SOBOL_AUTO = 0, LC_SOBOL_QMC, LC_SOBOL_RNG };

#define LC_SOBOL_QMC_MAX_DIM 40

struct lc_sobol_design {
	size_t n;                    /* base sample size N */
	size_t d;                    /* number of inputs */
	enum lc_sobol_source source; /* the source actually used (never AUTO) */
	uint64_t seed;
	double *a; /* owned; N x d, row-major, values in [0, 1) */
	double *b; /* owned; N x d, row-major, values in [0, 1) */
};

/*
 * Builds A and B. n >= 2, d >= 1, n * (d + 2) <= LC_LIMIT_ENGINE_RUNS.
 * Returns 0, LC_EINVAL (bad n or d, or QMC asked with d > 20) or LC_ELIMIT.
 * On success the caller releases with lc_sobol_design_cleanup.
 */
int lc_sobol_design_init(struct lc_sobol_design *design, size_t n, size_t d, uint64_t seed,
                         enum lc_sobol_source source);
/* Frees the matrices; NULL allowed, and a zeroed struct is fine. */
void lc_sobol_design_cleanup(struct lc_sobol_design *design);
/* N(d + 2): the number of model runs the design asks for. */
size_t lc_sobol_design_runs(const struct lc_sobol_design *design);
/* Writes the d input values of run `run` (< N(d + 2)) to row. */
void lc_sobol_design_row(const struct lc_sobol_design *design, size_t run, double *row);

/* One input's indices and their bootstrap interval (NaN when not estimable). */
struct lc_sobol_index {
	double s, s_lo, s_hi;    /* first order */
	double st, st_lo, st_hi; /* total */
};

struct lc_sobol_opts {
	size_t boot;   /* bootstrap resamples; 0 = no intervals (NaN) */
	uint64_t seed; /* seeds the bootstrap (GSL MT19937) */
	double lo, hi; /* interval quantiles, e.g. 0.05 and 0.95 (R type 7) */
};

struct lc_sobol_result {
	size_t d;
	size_t n_used;              /* base rows whose d + 2 outputs were all finite */
	size_t n_dropped;           /* base rows left out because one of their runs failed */
	double mean;                /* mean of the outputs of A and B over the used rows */
	double var;                 /* their variance (denominator 2 n_used) */
	struct lc_sobol_index *idx; /* owned; d entries */
};

/*
 * Estimates the indices from y, the N(d + 2) outputs in run order (see top of
 * file). A run whose output is not finite marks its whole base row j as
 * unusable: that row's d + 2 outputs are all left out (counted in n_dropped).
 *   V    = variance of { y_A[j], y_B[j] } over used rows (population form)
 *   S_i  = mean_j (y_B[j] - m) (y_ABi[j] - y_A[j]) / V, m = mean of y_A, y_B
 *          (Saltelli 2010, table 2 (b), on outputs centred by m)
 *   S_Ti = mean_j (y_A[j] - y_ABi[j])^2 / (2 V)   (Jansen 1999)
 * Bootstrap: opts->boot resamples of the used rows with replacement (the same
 * rows for every matrix), indices recomputed, opts->lo / opts->hi quantiles.
 * Returns 0; LC_EINVAL when fewer than 2 rows are usable or V is 0 (the
 * result then holds NaN indices but valid counts). Caller frees with
 * lc_sobol_result_cleanup in both cases.
 */
int lc_sobol_estimate(const double *y, size_t n, size_t d, const struct lc_sobol_opts *opts,
                      struct lc_sobol_result *res);
/* Frees res->idx; NULL allowed. */
void lc_sobol_result_cleanup(struct lc_sobol_result *res);

/*
 * Quantile of sorted data (ascending, n >= 1), R's default definition
 * (type 7): h = (n - 1) p, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
 */
double lc_sobol_quantile7(const double *sorted, size_t n, double p);

#endif
