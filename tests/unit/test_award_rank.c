/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of engine/award.c against hand-worked values, as issue 13 asks:
 * "Engine tests: weighted totals, z-scores, Schulze on a cycle, Borda ties,
 * α against hand-worked values, bootstrap intervals that contain the point
 * rank and do not change with the thread count."
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "engine/award.h"
#include "engine/rank.h"

#define EPS 1e-12

/* got within tol of want (cmocka here lacks assert_double_equal); says both when not. */
#define assert_double_equal(got, want, tol)                                                        \
	do {                                                                                       \
		double g_ = (got), w_ = (want);                                                    \
		if (!(fabs(g_ - w_) <= (tol)))                                                     \
			fail_msg("%s = %.17g, expected %.17g", #got, g_, w_);                      \
	} while (0)

/* An input of n nominations x j jurors x c criteria, every score NaN, weights 1. */
static void make(struct lc_award_input *in, size_t n, size_t j, size_t c)
{
	lc_award_input_init(in);
	assert_int_equal(lc_award_input_alloc(in, n, j, c), 0);
}

static void set(struct lc_award_input *in, size_t n, size_t j, size_t c, double s)
{
	in->score[(n * in->n_jurors + j) * in->n_crit + c] = s;
}

/*
 * "the weighted total (Σ w·s / Σ w over the criteria scored, "independent"
 * criteria out)": criteria A (w 2), B (w 1), C independent.
 */
static void test_weighted_totals(void **state)
{
	(void)state;
	struct lc_award_input in;
	make(&in, 1, 3, 3);
	in.weight[0] = 2;
	in.weight[1] = 1;
	in.weight[2] = 7;
	in.independent[2] = true;
	set(&in, 0, 0, 0, 4); /* (2*4 + 1*1) / 3 = 3; C's 5 is not counted */
	set(&in, 0, 0, 1, 1);
	set(&in, 0, 0, 2, 5);
	set(&in, 0, 1, 0, 5); /* B not scored: 2*5 / 2 = 5 */
	set(&in, 0, 2, 2, 3); /* only the independent criterion: the nomination is not scored */
	double t[3];
	lc_award_totals(&in, t);
	assert_double_equal(t[0], 3.0, EPS);
	assert_double_equal(t[1], 5.0, EPS);
	assert_true(isnan(t[2]));
	lc_award_input_cleanup(&in);
}

/*
 * "mean and median across jurors, disagreement (standard deviation and
 * max − min, flagged past a threshold)": totals 3, 5, 7, 9 give mean 6,
 * median 6, sd sqrt(20/3), range 6; totals 4, 4.5 give sd 0.3536.
 */
static void test_nomination_figures(void **state)
{
	(void)state;
	struct lc_award_input in;
	make(&in, 3, 4, 1);
	const double a[] = {3, 9, 5, 7}, b[] = {4, NAN, 4.5, NAN};
	for (size_t j = 0; j < 4; j++) {
		set(&in, 0, j, 0, a[j]);
		set(&in, 1, j, 0, b[j]);
	}
	struct lc_award_opts o = {.boot = 10, .seed = 1, .threads = 1, .flag_sd = 1.0};
	struct lc_award_result r;
	assert_int_equal(lc_award_rank(&in, &o, &r, NULL), 0);
	assert_int_equal(r.noms[0].n_jurors, 4);
	assert_double_equal(r.noms[0].mean, 6, EPS);
	assert_double_equal(r.noms[0].median, 6, EPS);
	assert_double_equal(r.noms[0].sd, sqrt(20.0 / 3), EPS);
	assert_double_equal(r.noms[0].range, 6, EPS);
	assert_true(r.noms[0].disagree);
	assert_int_equal(r.noms[1].n_jurors, 2);
	assert_double_equal(r.noms[1].median, 4.25, EPS);
	assert_double_equal(r.noms[1].sd, sqrt(0.125), EPS);
	assert_false(r.noms[1].disagree);
	/* Nobody scored the third: no figures, no rank in any order. */
	assert_int_equal(r.noms[2].n_jurors, 0);
	assert_true(isnan(r.noms[2].mean));
	assert_true(isnan(r.noms[2].rank_mean));
	assert_true(isnan(r.noms[2].rank_schulze));
	assert_true(isnan(r.noms[2].rank_borda));
	assert_true(isnan(r.noms[2].rank_lo));
	assert_double_equal(r.noms[2].p_top_k, 0, 0);
	assert_double_equal(r.noms[0].rank_mean, 1, 0);
	assert_double_equal(r.noms[1].rank_mean, 2, 0);
	lc_award_result_cleanup(&r);
	lc_award_input_cleanup(&in);
}

/*
 * "per-juror normalisation (z-scores, only for a juror with at least 5
 * scores; below that, raw and flagged)": juror 0 scores 1..5 (mean 3, sd
 * sqrt(2.5), z = (t - 3) / sqrt(2.5)); juror 1 scores four, juror 2 five
 * equal ones: neither is normalised.
 */
static void test_z_scores(void **state)
{
	(void)state;
	struct lc_award_input in;
	make(&in, 5, 3, 1);
	for (size_t n = 0; n < 5; n++) {
		set(&in, n, 0, 0, (double)n + 1);
		if (n < 4)
			set(&in, n, 1, 0, 10 - (double)n);
		set(&in, n, 2, 0, 6);
	}
	struct lc_award_opts o = {.boot = 10, .threads = 1};
	struct lc_award_result r;
	assert_int_equal(lc_award_rank(&in, &o, &r, NULL), 0);
	assert_true(r.jurors[0].normalised);
	assert_int_equal(r.jurors[0].n_scores, 5);
	assert_double_equal(r.jurors[0].mean, 3, EPS);
	assert_double_equal(r.jurors[0].sd, sqrt(2.5), EPS);
	const double z[] = {-1.2649110640673518, -0.6324555320336759, 0, 0.6324555320336759,
	                    1.2649110640673518};
	for (size_t n = 0; n < 5; n++) {
		assert_double_equal(r.z[n * 3 + 0], z[n], EPS);
		/* raw jurors: no z-score, the raw total kept beside it */
		assert_true(isnan(r.z[n * 3 + 1]));
		assert_true(isnan(r.z[n * 3 + 2]));
		assert_int_equal(r.noms[n].n_z, 1);
		assert_double_equal(r.noms[n].z_mean, z[n], EPS);
		assert_double_equal(r.noms[n].rank_z, 5 - (double)n, 0);
	}
	assert_false(r.jurors[1].normalised);
	assert_int_equal(r.jurors[1].n_scores, 4);
	assert_double_equal(r.total[0 * 3 + 1], 10, 0);
	assert_false(r.jurors[2].normalised); /* five scores but no spread */
	lc_award_result_cleanup(&r);
	lc_award_input_cleanup(&in);
}

/*
 * Schulze on the Condorcet cycle of the method's textbook example (45
 * voters, five candidates A-E; Schulze 2011, and Wikipedia's "Schulze
 * method"): no candidate beats every other one pairwise, the strongest
 * paths give E > A > C > B > D. Each ballot is a juror giving 5, 4, 3, 2, 1
 * down the ballot. The mean differs: E 147/45, A 143/45, B 137/45, C 134/45,
 * D 114/45 (hand-summed), so B and C swap.
 */
static const struct {
	int voters;
	const char *order;
} WIKI[] = {{5, "ACBED"}, {5, "ADECB"}, {8, "BEDAC"}, {3, "CABED"},
            {7, "CAEBD"}, {2, "CBADE"}, {7, "DCEBA"}, {8, "EBADC"}};

static void wiki_input(struct lc_award_input *in)
{
	make(in, 5, 45, 1);
	size_t j = 0;
	for (size_t b = 0; b < sizeof WIKI / sizeof WIKI[0]; b++)
		for (int v = 0; v < WIKI[b].voters; v++, j++)
			for (size_t pos = 0; pos < 5; pos++)
				set(in, (size_t)(WIKI[b].order[pos] - 'A'), j, 0, 5 - (double)pos);
}

static void test_schulze_cycle(void **state)
{
	(void)state;
	struct lc_award_input in;
	wiki_input(&in);
	struct lc_award_opts o = {.boot = 200, .seed = 7, .threads = 2};
	struct lc_award_result r;
	assert_int_equal(lc_award_rank(&in, &o, &r, NULL), 0);
	const double schulze[] = {2, 4, 3, 5, 1}, mean_rank[] = {2, 3, 4, 5, 1};
	const double mean[] = {143.0 / 45, 137.0 / 45, 134.0 / 45, 114.0 / 45, 147.0 / 45};
	for (size_t n = 0; n < 5; n++) {
		assert_double_equal(r.noms[n].rank_schulze, schulze[n], 0);
		assert_double_equal(r.noms[n].rank_mean, mean_rank[n], 0);
		assert_double_equal(r.noms[n].mean, mean[n], 1e-12);
	}
	/* The cycle: every candidate loses some pairwise contest (A 20:25 to B, hand-counted). */
	lc_award_result_cleanup(&r);
	lc_award_input_cleanup(&in);

	/* The plain three-way cycle A > B > C, B > C > A, C > A > B: every path is 2, all tie. */
	make(&in, 3, 3, 1);
	const char *ballot[] = {"ABC", "BCA", "CAB"};
	for (size_t j = 0; j < 3; j++)
		for (size_t pos = 0; pos < 3; pos++)
			set(&in, (size_t)(ballot[j][pos] - 'A'), j, 0, 3 - (double)pos);
	double rank[3];
	double t[9];
	lc_award_totals(&in, t);
	lc_award_schulze(t, 3, 3, rank);
	for (size_t n = 0; n < 3; n++)
		assert_double_equal(rank[n], 1, 0);
	lc_award_input_cleanup(&in);
}

/*
 * Borda with ties: juror 1 A > B > C, juror 2 B > A > C, juror 3 C > A = B.
 * Points (beaten + half the tied) / (others): A 1, 1/2, 1/4; B 1/2, 1, 1/4;
 * C 0, 0, 1. Means: A = B = 7/12, C = 1/3: A and B share rank 1, C is 3rd.
 */
static void test_borda_ties(void **state)
{
	(void)state;
	struct lc_award_input in;
	make(&in, 3, 3, 1);
	const double s[3][3] = {{3, 2, 1}, {2, 3, 1}, {1, 1, 3}}; /* [juror][nomination] */
	for (size_t j = 0; j < 3; j++)
		for (size_t n = 0; n < 3; n++)
			set(&in, n, j, 0, s[j][n]);
	struct lc_award_opts o = {.boot = 10, .threads = 1};
	struct lc_award_result r;
	assert_int_equal(lc_award_rank(&in, &o, &r, NULL), 0);
	assert_double_equal(r.noms[0].borda, 7.0 / 12, EPS);
	assert_double_equal(r.noms[1].borda, 7.0 / 12, EPS);
	assert_double_equal(r.noms[2].borda, 1.0 / 3, EPS);
	assert_double_equal(r.noms[0].rank_borda, 1, 0);
	assert_double_equal(r.noms[1].rank_borda, 1, 0);
	assert_double_equal(r.noms[2].rank_borda, 3, 0);
	/* The means tie too (2, 2, 5/3): the lower rank number, then 3. */
	assert_double_equal(r.noms[0].rank_mean, 1, 0);
	assert_double_equal(r.noms[1].rank_mean, 1, 0);
	assert_double_equal(r.noms[2].rank_mean, 3, 0);
	lc_award_result_cleanup(&r);
	lc_award_input_cleanup(&in);
}

/* Sums of the same numbers in another order tie: 0.1 + 0.2 + 0.3 against 0.3 + 0.2 + 0.1. */
static void test_rank_ties_to_12_digits(void **state)
{
	(void)state;
	double x[4] = {(0.1 + 0.2) + 0.3, (0.3 + 0.2) + 0.1, 0.5, NAN}, rank[4];
	struct lc_rank_pair sc[4];
	assert_true(x[0] != x[1]);
	lc_award_rank_desc(x, 4, rank, sc);
	assert_double_equal(rank[0], 1, 0);
	assert_double_equal(rank[1], 1, 0);
	assert_double_equal(rank[2], 3, 0);
	assert_true(isnan(rank[3]));
}

/*
 * Krippendorff's alpha, interval metric. By hand: units (1, 2), (3, 3),
 * (2, 4); n = 6 values, D_o = (2*1 + 0 + 2*4) / 6 = 10/6; the 30 ordered
 * pairs of all values sum 66, D_e = 66/30 = 2.2; alpha = 1 - (10/6)/2.2 =
 * 8/33. Then Krippendorff's own example ("Computing Krippendorff's
 * alpha-reliability", 2011: 4 observers, 12 units, missing values), whose
 * interval alpha he gives as 0.849 (exactly 0.8491071428571428 by the
 * pairs' sums); a unit with one value is not pairable.
 */
static void test_alpha(void **state)
{
	(void)state;
	const double small[] = {1, 2, 3, 3, 2, 4};
	size_t units, values;
	assert_double_equal(lc_award_alpha_interval(small, 3, 2, &units, &values), 8.0 / 33, EPS);
	assert_int_equal(units, 3);
	assert_int_equal(values, 6);

	const double N = NAN;
	const double obs[4][12] = {{1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N},
	                           {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3},
	                           {N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N},
	                           {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N}};
	double v[12 * 4];
	for (size_t u = 0; u < 12; u++)
		for (size_t k = 0; k < 4; k++)
			v[u * 4 + k] = obs[k][u];
	double a = lc_award_alpha_interval(v, 12, 4, &units, &values);
	assert_double_equal(a, 0.8491071428571428, 1e-12);
	assert_int_equal(units, 11);
	assert_int_equal(values, 40);

	/* No variation at all, or nothing pairable: undefined. */
	const double flat[] = {2, 2, 2, 2}, lone[] = {1, N, N, 2};
	assert_true(isnan(lc_award_alpha_interval(flat, 2, 2, NULL, NULL)));
	assert_true(isnan(lc_award_alpha_interval(lone, 2, 2, NULL, NULL)));
}

/* Alpha through the ranking: per criterion, nominations as units, jurors as coders. */
static void test_alpha_per_criterion(void **state)
{
	(void)state;
	struct lc_award_input in;
	make(&in, 3, 2, 2);
	const double small[] = {1, 2, 3, 3, 2, 4};
	for (size_t n = 0; n < 3; n++)
		for (size_t j = 0; j < 2; j++) {
			set(&in, n, j, 0, small[n * 2 + j]);
			set(&in, n, j, 1, 5);
		}
	in.independent[1] = true;
	struct lc_award_opts o = {.boot = 10, .threads = 1};
	struct lc_award_result r;
	assert_int_equal(lc_award_rank(&in, &o, &r, NULL), 0);
	assert_double_equal(r.crits[0].alpha, 8.0 / 33, EPS);
	assert_true(isnan(r.crits[1].alpha)); /* independent criteria get theirs too: none here */
	assert_int_equal(r.crits[1].n_values, 6);
	lc_award_result_cleanup(&r);
	lc_award_input_cleanup(&in);
}

/* A round of 30 nominations x 12 jurors x 3 criteria with some unscored cells. */
static void synthetic(struct lc_award_input *in)
{
	make(in, 30, 12, 3);
	uint64_t x = 12345;
	for (size_t n = 0; n < 30; n++)
		for (size_t j = 0; j < 12; j++)
			for (size_t c = 0; c < 3; c++) {
				x = x * 6364136223846793005ull + 1442695040888963407ull;
				unsigned u = (unsigned)(x >> 33);
				if (u % 17 == 0)
					continue; /* not scored */
				double quality = (double)(30 - n) / 6.0;
				set(in, n, j, c, floor(quality + (double)(u % 5) * 0.8));
			}
	in->weight[0] = 2;
}

static void test_bootstrap_threads(void **state)
{
	(void)state;
	struct lc_award_input in;
	synthetic(&in);
	struct lc_award_result r[3];
	const unsigned threads[] = {1, 2, 5};
	for (size_t t = 0; t < 3; t++) {
		struct lc_award_opts o = {.seed = 2024, .top_k = 5, .threads = threads[t]};
		assert_int_equal(lc_award_rank(&in, &o, &r[t], NULL), 0);
		assert_int_equal(r[t].boot, LC_AWARD_BOOT_DEFAULT);
		assert_int_equal(r[t].threads, threads[t]);
	}
	for (size_t t = 1; t < 3; t++)
		assert_memory_equal(r[0].noms, r[t].noms, 30 * sizeof(*r[0].noms));
	/* The 90 % interval holds the point rank, and the top 5 share is a share. */
	double sum_p = 0;
	for (size_t n = 0; n < 30; n++) {
		const struct lc_award_nom *m = &r[0].noms[n];
		assert_int_equal(m->boot_ranked, LC_AWARD_BOOT_DEFAULT);
		if (!(m->rank_lo <= m->rank_mean && m->rank_mean <= m->rank_hi))
			fail_msg("nomination %zu: rank %g outside [%g, %g]", n, m->rank_mean,
			         m->rank_lo, m->rank_hi);
		assert_true(m->rank_lo < m->rank_hi || m->p_top_k == 0 || m->p_top_k == 1);
		sum_p += m->p_top_k;
	}
	/* Each resample puts at least 5 in its top 5 (more only on ties). */
	assert_true(sum_p >= 5.0 - 1e-9);
	/* Another seed draws other resamples. */
	struct lc_award_opts o = {.seed = 2025, .top_k = 5, .threads = 2};
	struct lc_award_result other;
	assert_int_equal(lc_award_rank(&in, &o, &other, NULL), 0);
	assert_memory_not_equal(r[0].noms, other.noms, 30 * sizeof(*other.noms));
	lc_award_result_cleanup(&other);
	for (size_t t = 0; t < 3; t++)
		lc_award_result_cleanup(&r[t]);
	lc_award_input_cleanup(&in);
}

/*
 * When every juror gives the same totals every resample gives the point
 * ranks: the intervals are the point ranks, the top-2 shares 1 and 0.
 */
static void test_bootstrap_unanimous(void **state)
{
	(void)state;
	struct lc_award_input in;
	make(&in, 4, 6, 1);
	for (size_t n = 0; n < 4; n++)
		for (size_t j = 0; j < 6; j++)
			set(&in, n, j, 0, 10 - (double)n);
	struct lc_award_opts o = {.boot = 500, .seed = 3, .top_k = 2, .threads = 2};
	struct lc_award_result r;
	assert_int_equal(lc_award_rank(&in, &o, &r, NULL), 0);
	for (size_t n = 0; n < 4; n++) {
		assert_double_equal(r.noms[n].rank_lo, (double)n + 1, 0);
		assert_double_equal(r.noms[n].rank_hi, (double)n + 1, 0);
		assert_double_equal(r.noms[n].p_top_k, n < 2 ? 1 : 0, 0);
		assert_double_equal(r.noms[n].sd, 0, 0);
	}
	lc_award_result_cleanup(&r);
	lc_award_input_cleanup(&in);
}

/*
 * A resample computed from scratch (the drawn jurors' scores copied one by
 * one, totals recomputed, means taken) gives the same bytes as the engine's
 * weighted pass over the totals.
 */
static void test_resample_from_scratch(void **state)
{
	(void)state;
	struct lc_award_input in, re;
	synthetic(&in);
	size_t nn = in.n_noms, nj = in.n_jurors, nc = in.n_crit;
	double *total = lc_xcalloc(nn * nj, sizeof(double));
	double *fast = lc_xcalloc(nn, sizeof(double)), *slow = lc_xcalloc(nn, sizeof(double));
	unsigned *count = lc_xcalloc(nj, sizeof(unsigned));
	lc_award_totals(&in, total);
	for (size_t b = 0; b < 50; b++) {
		assert_int_equal(lc_award_draw(99, b, nj, count), 0);
		unsigned drawn = 0;
		for (size_t j = 0; j < nj; j++)
			drawn += count[j];
		assert_int_equal(drawn, nj);
		lc_award_resample_means(total, nn, nj, count, fast);
		make(&re, nn, nj, nc);
		memcpy(re.weight, in.weight, nc * sizeof(double));
		size_t jj = 0;
		for (size_t j = 0; j < nj; j++)
			for (unsigned k = 0; k < count[j]; k++, jj++)
				for (size_t n = 0; n < nn; n++)
					memcpy(&re.score[(n * nj + jj) * nc],
					       &in.score[(n * nj + j) * nc], nc * sizeof(double));
		double *t2 = lc_xcalloc(nn * nj, sizeof(double));
		lc_award_totals(&re, t2);
		for (size_t n = 0; n < nn; n++) {
			double s = 0;
			size_t m = 0;
			for (size_t j = 0; j < nj; j++)
				if (!isnan(t2[n * nj + j])) {
					s += t2[n * nj + j];
					m++;
				}
			slow[n] = m ? s / (double)m : NAN;
		}
		assert_memory_equal(fast, slow, nn * sizeof(double));
		lc_free(t2);
		lc_award_input_cleanup(&re);
	}
	lc_free(total);
	lc_free(fast);
	lc_free(slow);
	lc_free(count);
	lc_award_input_cleanup(&in);
}

static void test_bad_input(void **state)
{
	(void)state;
	struct lc_award_input in;
	struct lc_diag d;
	struct lc_award_result r;
	lc_diag_init(&d);
	make(&in, 2, 2, 2);
	in.weight[0] = 0;
	in.weight[1] = NAN;
	assert_int_equal(lc_award_rank(&in, NULL, &r, &d), LC_EINVAL);
	assert_int_equal(d.count, 2);
	assert_string_equal(d.items[0].code, "err_award_weight");
	lc_award_result_cleanup(&r);
	lc_diag_cleanup(&d);

	lc_diag_init(&d);
	in.independent[0] = in.independent[1] = true;
	assert_int_equal(lc_award_input_check(&in, &d), LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_award_no_counted_criterion"));
	lc_diag_cleanup(&d);
	in.independent[0] = false;
	in.weight[0] = 1;
	assert_int_equal(lc_award_input_check(&in, NULL), 0);
	struct lc_award_opts o = {.boot = LC_LIMIT_AWARD_BOOT + 1};
	assert_int_equal(lc_award_rank(&in, &o, &r, NULL), LC_ELIMIT);
	o = (struct lc_award_opts){.flag_sd = -1};
	assert_int_equal(lc_award_rank(&in, &o, &r, NULL), LC_EINVAL);
	in.score[0] = INFINITY;
	assert_int_equal(lc_award_input_check(&in, NULL), LC_EINVAL);
	in.score[0] = -LC_LIMIT_AWARD_SCORE;
	assert_int_equal(lc_award_input_check(&in, NULL), 0);
	in.score[0] = 1e308; /* finite, but 2 x 1e308 is not */
	lc_diag_init(&d);
	assert_int_equal(lc_award_input_check(&in, &d), LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_award_score_range"));
	lc_diag_cleanup(&d);
	lc_award_input_cleanup(&in);

	assert_int_equal(lc_award_input_alloc(&in, LC_LIMIT_AWARD_NOMINATIONS + 1, 1, 1),
	                 LC_ELIMIT);
	assert_int_equal(lc_award_input_alloc(&in, 0, 1, 1), LC_EINVAL);
	assert_int_equal(lc_award_input_alloc(&in, LC_LIMIT_AWARD_NOMINATIONS,
	                                      LC_LIMIT_AWARD_JURORS, LC_LIMIT_AWARD_CRITERIA),
	                 LC_ELIMIT);
	lc_award_input_cleanup(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_weighted_totals),
	    cmocka_unit_test(test_nomination_figures),
	    cmocka_unit_test(test_z_scores),
	    cmocka_unit_test(test_schulze_cycle),
	    cmocka_unit_test(test_borda_ties),
	    cmocka_unit_test(test_rank_ties_to_12_digits),
	    cmocka_unit_test(test_alpha),
	    cmocka_unit_test(test_alpha_per_criterion),
	    cmocka_unit_test(test_bootstrap_threads),
	    cmocka_unit_test(test_bootstrap_unanimous),
	    cmocka_unit_test(test_resample_from_scratch),
	    cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
