/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The Learning City Award's jury ranking (issue 13), pure computation: it
 * takes every juror's scores of every nomination on every criterion and
 * returns, per nomination, the figures the secretariat decides on.
 *
 * * A juror's weighted total of a nomination is sum(w * s) / sum(w) over the
 *   criteria that juror scored, "independent" criteria (shown, not counted)
 *   left out; a juror who scored none of the counted criteria did not score
 *   the nomination.
 * * Per nomination: the number of jurors, mean, median, sample standard
 *   deviation and range (max - min) of their totals, flagged as a
 *   disagreement past a threshold on the standard deviation.
 * * Per juror: z-scores of the juror's totals, only for a juror with at
 *   least LC_AWARD_Z_MIN_SCORES totals and some spread; another juror's
 *   totals stay raw and the juror is flagged. A nomination's z_mean is the
 *   mean of the z-scores it has (n_z of them).
 * * Orders: by the mean, by z_mean, Schulze's method over the jurors'
 *   preferences (each juror prefers a nomination with a higher total; a pair
 *   counts for the jurors who scored both) and Borda (each juror gives a
 *   nomination the share of the other nominations that juror scored which
 *   it beats, a tie counting half; a nomination's Borda score is the mean
 *   over its jurors, so jurors of different loads weigh the same).
 * * Krippendorff's alpha per criterion, interval metric: nominations are the
 *   units, jurors the coders, a missing score is missing.
 * * A bootstrap over jurors: B resamples of the jurors drawn with
 *   replacement; in each, nominations are ranked by the mean of the drawn
 *   jurors' totals (a juror drawn twice counts twice). Each nomination gets
 *   its 90 % rank interval (the 5th and 95th percentiles, as order
 *   statistics, of its ranks in the resamples where some drawn juror scored
 *   it) and the share of resamples in which its rank is at most k.
 *
 * Ranks: 1 is best; ties share the lower rank number; values equal to 12
 * significant digits tie (so that two sums of the same numbers in another
 * order do not split a tie); a nomination no juror scored has no rank (NaN).
 *
 * The bootstrap runs on the Monte Carlo runner (montecarlo.h): resample b
 * draws from GSL's MT19937 seeded with mix(mix(seed ^ stream) + b),
 * and every statistic is taken afterwards in resample order, so the result
 * has the same bytes for a seed on any number of threads.
 *
 * The input is the seam between the ways in: the command line reads it from
 * two CSV files (formats/award_csv.h); the award's database will fill the
 * same struct. No I/O here.
 */
#ifndef LC_ENGINE_AWARD_H
#define LC_ENGINE_AWARD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lc_diag;
struct lc_rank_pair;

/* Resamples of the bootstrap over jurors (issue 13). */
#define LC_AWARD_BOOT_DEFAULT 2000
/* The k of "probability of being in the top k" when none is given. */
#define LC_AWARD_TOP_DEFAULT 3
/* A nomination's jurors disagree when the standard deviation of their totals is above this. */
#define LC_AWARD_FLAG_SD_DEFAULT 1.0

/* Every score of a round. */
struct lc_award_input {
	size_t n_noms, n_jurors, n_crit;
	char **noms;       /* owned: n_noms names */
	char **jurors;     /* owned: n_jurors names */
	char **crits;      /* owned: n_crit names */
	double *weight;    /* owned: n_crit weights */
	bool *independent; /* owned: n_crit flags; an independent criterion is not counted */
	/* owned: score of nomination n by juror j on criterion c at (n * n_jurors + j) * n_crit +
	 * c; NaN where not scored */
	double *score;
};

void lc_award_input_init(struct lc_award_input *in);
/*
 * Allocates in (initialised, empty) for the given sizes: names NULL, weights
 * 1, no criterion independent, every score NaN. Returns 0, or LC_ELIMIT past
 * the LC_LIMIT_AWARD_* limits (in stays empty), or LC_EINVAL for a zero size.
 */
int lc_award_input_alloc(struct lc_award_input *in, size_t n_noms, size_t n_jurors, size_t n_crit);
/* Frees everything; NULL allowed. */
void lc_award_input_cleanup(struct lc_award_input *in);
/*
 * Checks what the ranking needs: sizes within limits, every counted
 * criterion's weight finite and above 0, at least one counted criterion, and
 * every score NaN or within +-LC_LIMIT_AWARD_SCORE. Returns 0 or LC_EINVAL / LC_ELIMIT with the
 * problems in diag (may be NULL).
 */
int lc_award_input_check(const struct lc_award_input *in, struct lc_diag *diag);

struct lc_award_opts {
	size_t boot;         /* B; 0 = LC_AWARD_BOOT_DEFAULT; at most LC_LIMIT_AWARD_BOOT */
	uint64_t seed;       /* of the bootstrap's draws */
	size_t top_k;        /* 0 = LC_AWARD_TOP_DEFAULT */
	unsigned threads;    /* of the bootstrap; 0 = the online cores */
	double flag_sd;      /* disagreement threshold; 0 or NaN = LC_AWARD_FLAG_SD_DEFAULT */
	atomic_bool *cancel; /* optional: raising it stops the bootstrap (LC_EBUSY) */
};

struct lc_award_nom {
	size_t n_jurors; /* jurors with a total */
	double mean;     /* of their totals; NaN when n_jurors is 0 */
	double median;
	double sd;        /* sample (n - 1); NaN below 2 jurors */
	double range;     /* max - min */
	bool disagree;    /* sd above the threshold */
	size_t n_z;       /* normalised jurors with a total */
	double z_mean;    /* mean of their z-scores; NaN when n_z is 0 */
	double borda;     /* in [0, 1]; NaN when no juror scored two nominations or more */
	double rank_mean; /* ranks: NaN when unranked */
	double rank_z;
	double rank_schulze;
	double rank_borda;
	double rank_lo; /* the 90 % bootstrap interval of rank_mean */
	double rank_hi;
	double p_top_k;     /* share of resamples with rank <= top_k */
	size_t boot_ranked; /* resamples in which some drawn juror scored it */
};

struct lc_award_juror {
	size_t n_scores; /* nominations with a total */
	double mean, sd; /* of those totals (sd: NaN below 2) */
	bool normalised; /* z-scores made (else raw and flagged) */
};

struct lc_award_crit {
	size_t n_units;  /* nominations with two scores or more on it (pairable) */
	size_t n_values; /* their scores */
	double alpha;    /* Krippendorff's alpha, interval; NaN when undefined */
};

struct lc_award_result {
	size_t n_noms, n_jurors, n_crit;
	double
	    *total; /* owned: n_noms * n_jurors weighted totals at n * n_jurors + j, NaN unscored */
	double *z;  /* owned: the same cells as z-scores, NaN where there is none */
	struct lc_award_nom *noms;     /* owned: n_noms */
	struct lc_award_juror *jurors; /* owned: n_jurors */
	struct lc_award_crit *crits;   /* owned: n_crit */
	size_t boot, top_k;
	uint64_t seed;
	double flag_sd;
	unsigned threads; /* the bootstrap's */
	double boot_seconds;
};

/*
 * Ranks the round. r is filled (caller cleans up with lc_award_result_cleanup
 * in every case). Returns 0; LC_EINVAL / LC_ELIMIT for input that
 * lc_award_input_check refuses (with diag) or bad options; LC_EBUSY when
 * cancelled; LC_EINTERNAL when a thread or the generator cannot be made.
 */
int lc_award_rank(const struct lc_award_input *in, const struct lc_award_opts *opts,
                  struct lc_award_result *r, struct lc_diag *diag);
void lc_award_result_cleanup(struct lc_award_result *r);

/*
 * The parts, for tests and for the benchmark's from-scratch bootstrap. All
 * take totals as n_noms * n_jurors cells (n * n_jurors + j, NaN unscored).
 */
/* Weighted totals of every nomination and juror into total (n_noms * n_jurors). */
void lc_award_totals(const struct lc_award_input *in, double *total);
/*
 * Descending ranks of x[0..n) with ties (to 12 significant digits) at the
 * lower number, NaN left unranked; scratch holds n pairs.
 */
void lc_award_rank_desc(const double *x, size_t n, double *rank, struct lc_rank_pair *scratch);
/* Schulze ranks of the nominations from the jurors' totals (rank NaN where nobody scored). */
void lc_award_schulze(const double *total, size_t n_noms, size_t n_jurors, double *rank);
/* Borda scores (see above) of the nominations; NaN where no juror's ballot has two or more. */
void lc_award_borda(const double *total, size_t n_noms, size_t n_jurors, double *borda);
/*
 * Krippendorff's alpha, interval metric, of value[u * n_coders + k] (NaN
 * missing). *units_used and *values_used get the pairable units and their
 * values (may be NULL). NaN when fewer than two pairable values or no variation.
 */
double lc_award_alpha_interval(const double *value, size_t n_units, size_t n_coders,
                               size_t *units_used, size_t *values_used);
/*
 * The jurors of resample b: count[j] = how often juror j is drawn among
 * n_jurors draws with replacement, from seed and b only. Returns 0 or
 * LC_EINTERNAL when the generator cannot be made.
 */
int lc_award_draw(uint64_t seed, size_t b, size_t n_jurors, unsigned *count);
/*
 * The mean of each nomination over a resample: sum over jurors in index
 * order, juror j's total added count[j] times, divided by the draws that
 * scored it; NaN when none did. mean holds n_noms.
 */
void lc_award_resample_means(const double *total, size_t n_noms, size_t n_jurors,
                             const unsigned *count, double *mean);

#endif
