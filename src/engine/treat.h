/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Outlier treatment, one indicator at a time (ENGINE.md, COINr's Treat with
 * winsorise then log_CT): an indicator fails when |skew| >= skew and
 * kurtosis >= kurt; while it fails and fewer than winmax points have been
 * changed, every value tied at the extreme on the side of the skew takes
 * the next value inside; if it still fails, the winsorisation is undone and
 * the fallback transform is applied to the original values (fallback none
 * keeps the winsorised values).
 */
#ifndef LC_TREAT_H
#define LC_TREAT_H

#include <stdbool.h>
#include <stddef.h>

struct lc_tree;
struct lc_step;

enum lc_treat_status {
	LC_TREAT_PASSED = 0, /* passed the skew/kurtosis test untreated */
	LC_TREAT_WINSORISED, /* winsorised until it passed */
	LC_TREAT_LOGGED,     /* winsorising did not suffice: fallback transform */
	LC_TREAT_FAILED,     /* still failing (fallback none, or the log failed too) */
	LC_TREAT_SKIPPED,    /* fewer than 4 values or zero variance: not tested */
};

/* The treatment of one indicator (the last treat step of the run). */
struct lc_treat_info {
	enum lc_treat_status status;
	int nwin;            /* points winsorised (kept or undone) */
	bool pass0, pass1;   /* test before; after (pass1 meaningless when PASSED) */
	double skew0, kurt0; /* before */
	double skew1, kurt1; /* after treatment; NaN when untreated */
};

/*
 * x: n units by tree column; level-1 columns are treated. info: tree->n
 * entries, filled for level-1 columns. points (may be NULL): tree->n *
 * n_in flags indexed [col * n_in + units[i]], set to +1/-1 for values
 * winsorised high/low and 0 otherwise. backup: n doubles; flags: n bytes.
 */
void lc_treat_run(const struct lc_step *st, const struct lc_tree *t, double *x, size_t n,
                  struct lc_treat_info *info, signed char *points, const size_t *units, size_t n_in,
                  double *backup, signed char *flags);

#endif
