/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The award's jury ranking (award.h).
 *
 * Why the bootstrap is cheap: a juror's weighted totals do not change
 * between resamples, only how often each juror is drawn, so the totals are
 * computed once and a resample is one weighted pass over them (nominations
 * x jurors additions) and one sort. Recomputing each resample from the raw
 * scores (bench/award does it to compare) gives the same bytes, many times
 * slower.
 */
#include "engine/award.h"

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "engine/montecarlo.h"
#include "engine/rank.h"
#include "engine/stats.h"

#define STREAM_JURORS 0x6a75726f72730000ull /* "jurors" */

/* The bootstrap's interval: 90 %. */
#define BOOT_LO 0.05
#define BOOT_HI 0.95

void lc_award_input_init(struct lc_award_input *in)
{
	memset(in, 0, sizeof(*in));
}

static bool sizes_ok(size_t n_noms, size_t n_jurors, size_t n_crit)
{
	return n_noms <= LC_LIMIT_AWARD_NOMINATIONS && n_jurors <= LC_LIMIT_AWARD_JURORS &&
	       n_crit <= LC_LIMIT_AWARD_CRITERIA &&
	       n_noms * n_jurors <= LC_LIMIT_AWARD_CELLS / (n_crit ? n_crit : 1);
}

int lc_award_input_alloc(struct lc_award_input *in, size_t n_noms, size_t n_jurors, size_t n_crit)
{
	lc_award_input_cleanup(in);
	if (!n_noms || !n_jurors || !n_crit)
		return LC_EINVAL;
	if (!sizes_ok(n_noms, n_jurors, n_crit))
		return LC_ELIMIT;
	size_t cells = n_noms * n_jurors * n_crit;
	in->n_noms = n_noms;
	in->n_jurors = n_jurors;
	in->n_crit = n_crit;
	in->noms = lc_xcalloc(n_noms, sizeof(*in->noms));
	in->jurors = lc_xcalloc(n_jurors, sizeof(*in->jurors));
	in->crits = lc_xcalloc(n_crit, sizeof(*in->crits));
	in->weight = lc_xreallocarray(NULL, n_crit, sizeof(*in->weight));
	in->independent = lc_xcalloc(n_crit, sizeof(*in->independent));
	in->score = lc_xreallocarray(NULL, cells, sizeof(*in->score));
	for (size_t c = 0; c < n_crit; c++)
		in->weight[c] = 1;
	for (size_t k = 0; k < cells; k++)
		in->score[k] = NAN;
	return LC_OK;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		lc_free(names[i]);
	lc_free(names);
}

void lc_award_input_cleanup(struct lc_award_input *in)
{
	if (!in)
		return;
	free_names(in->noms, in->n_noms);
	free_names(in->jurors, in->n_jurors);
	free_names(in->crits, in->n_crit);
	lc_free(in->weight);
	lc_free(in->independent);
	lc_free(in->score);
	lc_award_input_init(in);
}

int lc_award_input_check(const struct lc_award_input *in, struct lc_diag *diag)
{
	int err = LC_OK;
	size_t counted = 0;

	if (!in->n_noms || !in->n_jurors || !in->n_crit || !in->score || !in->weight ||
	    !in->independent) {
		lc_diag_add(diag, NULL, 0, 0, NULL, "err_award_no_scores");
		return LC_EINVAL;
	}
	if (!sizes_ok(in->n_noms, in->n_jurors, in->n_crit)) {
		lc_diag_addf(diag, NULL, 0, 0, NULL, "err_award_too_large",
		             LC_ARG_I("nominations", in->n_noms), LC_ARG_I("jurors", in->n_jurors),
		             LC_ARG_I("criteria", in->n_crit),
		             LC_ARG_I("max_nominations", LC_LIMIT_AWARD_NOMINATIONS),
		             LC_ARG_I("max_jurors", LC_LIMIT_AWARD_JURORS),
		             LC_ARG_I("max_criteria", LC_LIMIT_AWARD_CRITERIA),
		             LC_ARG_I("max_cells", LC_LIMIT_AWARD_CELLS));
		return LC_ELIMIT;
	}
	for (size_t c = 0; c < in->n_crit; c++) {
		const char *name = in->crits && in->crits[c] ? in->crits[c] : "";
		if (in->independent[c])
			continue;
		counted++;
		if (!isfinite(in->weight[c]) || !(in->weight[c] > 0)) {
			lc_diag_addf(diag, NULL, 0, 0, NULL, "err_award_weight",
			             LC_ARG_S("criterion", name), LC_ARG_G("value", in->weight[c]));
			err = LC_EINVAL;
		}
	}
	if (counted == 0) {
		lc_diag_add(diag, NULL, 0, 0, NULL, "err_award_no_counted_criterion");
		err = LC_EINVAL;
	}
	size_t cells = in->n_noms * in->n_jurors * in->n_crit;
	for (size_t k = 0; k < cells; k++)
		if (fabs(in->score[k]) > LC_LIMIT_AWARD_SCORE) {
			lc_diag_addf(diag, NULL, 0, 0, NULL, "err_award_score_range",
			             LC_ARG_G("value", in->score[k]),
			             LC_ARG_G("limit", LC_LIMIT_AWARD_SCORE));
			err = LC_EINVAL;
			break;
		}
	return err;
}

/*
 * The value that ranks compare: x rounded to 40 significant bits (about 12
 * decimal digits), so that the same numbers summed in another order tie.
 */
static double tie_key(double x)
{
	int e;
	if (!isfinite(x) || x == 0)
		return x;
	double m = frexp(x, &e);
	return ldexp(nearbyint(ldexp(m, 40)), e - 40);
}

void lc_award_rank_desc(const double *x, size_t n, double *rank, struct lc_rank_pair *scratch)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(x[i])) {
			rank[i] = NAN;
			continue;
		}
		scratch[m].v = -tie_key(x[i]);
		scratch[m].i = i;
		m++;
	}
	lc_rank_sort_pairs(scratch, m);
	size_t start = 0;
	for (size_t k = 0; k < m; k++) {
		if (k > 0 && scratch[k].v != scratch[k - 1].v)
			start = k;
		rank[scratch[k].i] = (double)(start + 1);
	}
}

void lc_award_totals(const struct lc_award_input *in, double *total)
{
	size_t nc = in->n_crit;
	for (size_t nj = 0; nj < in->n_noms * in->n_jurors; nj++) {
		const double *s = in->score + nj * nc;
		double sw = 0, sws = 0;
		for (size_t c = 0; c < nc; c++) {
			if (in->independent[c] || isnan(s[c]))
				continue;
			sw += in->weight[c];
			sws += in->weight[c] * s[c];
		}
		total[nj] = sw > 0 ? sws / sw : NAN;
	}
}

void lc_award_schulze(const double *total, size_t n_noms, size_t n_jurors, double *rank)
{
	size_t n = n_noms;
	uint32_t *d = lc_xcalloc(n * n + 1, sizeof(*d));
	uint32_t *p = lc_xcalloc(n * n + 1, sizeof(*p));
	size_t *who = lc_xcalloc(n + 1, sizeof(*who));
	double *key = lc_xcalloc(n + 1, sizeof(*key));
	bool *seen = lc_xcalloc(n + 1, sizeof(*seen));

	/* d[a][b]: the jurors who scored both and gave a the higher total. */
	for (size_t j = 0; j < n_jurors; j++) {
		size_t m = 0;
		for (size_t a = 0; a < n; a++) {
			double t = total[a * n_jurors + j];
			if (isnan(t))
				continue;
			who[m] = a;
			key[m++] = tie_key(t);
			seen[a] = true;
		}
		for (size_t x = 0; x < m; x++) {
			uint32_t *row = d + who[x] * n;
			for (size_t y = 0; y < m; y++)
				row[who[y]] += key[x] > key[y];
		}
	}
	/* The strength of a direct link is its winning count; a lost or tied pair has none. */
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++)
			p[a * n + b] = a != b && d[a * n + b] > d[b * n + a] ? d[a * n + b] : 0;
	/* Strongest paths (widest paths, Floyd-Warshall); the diagonal is never read back. */
	for (size_t i = 0; i < n; i++) {
		const uint32_t *pi = p + i * n;
		for (size_t j = 0; j < n; j++) {
			if (j == i)
				continue;
			uint32_t pji = p[j * n + i];
			if (pji == 0)
				continue;
			uint32_t *pj = p + j * n;
			for (size_t k = 0; k < n; k++) {
				uint32_t w = pji < pi[k] ? pji : pi[k];
				if (w > pj[k])
					pj[k] = w;
			}
		}
	}
	/* Schulze's relation is transitive: a's rank is one more than the nominations beating it.
	 */
	for (size_t a = 0; a < n; a++) {
		if (!seen[a]) {
			rank[a] = NAN;
			continue;
		}
		size_t beaten = 0;
		for (size_t b = 0; b < n; b++)
			beaten += b != a && seen[b] && p[b * n + a] > p[a * n + b];
		rank[a] = (double)(beaten + 1);
	}
	lc_free(d);
	lc_free(p);
	lc_free(who);
	lc_free(key);
	lc_free(seen);
}

void lc_award_borda(const double *total, size_t n_noms, size_t n_jurors, double *borda)
{
	struct lc_rank_pair *pairs = lc_xcalloc(n_noms + 1, sizeof(*pairs));
	size_t *count = lc_xcalloc(n_noms + 1, sizeof(*count));
	for (size_t a = 0; a < n_noms; a++)
		borda[a] = 0;
	for (size_t j = 0; j < n_jurors; j++) {
		size_t m = 0;
		for (size_t a = 0; a < n_noms; a++) {
			double t = total[a * n_jurors + j];
			if (isnan(t))
				continue;
			pairs[m].v = tie_key(t);
			pairs[m++].i = a;
		}
		if (m < 2)
			continue;
		lc_rank_sort_pairs(pairs, m);
		/* Ascending: a group of equal totals beats everything before it and ties within. */
		for (size_t s = 0, e; s < m; s = e) {
			for (e = s + 1; e < m && pairs[e].v == pairs[s].v; e++)
				;
			double pts = (double)(2 * s + (e - s - 1)) / (double)(2 * (m - 1));
			for (size_t k = s; k < e; k++) {
				borda[pairs[k].i] += pts;
				count[pairs[k].i]++;
			}
		}
	}
	for (size_t a = 0; a < n_noms; a++)
		borda[a] = count[a] ? borda[a] / (double)count[a] : NAN;
	lc_free(pairs);
	lc_free(count);
}

double lc_award_alpha_interval(const double *value, size_t n_units, size_t n_coders,
                               size_t *units_used, size_t *values_used)
{
	/*
	 * With n pairable values, D_o = (1/n) sum_u 2 m_u SS_u / (m_u - 1) and
	 * D_e = 2 SS / (n - 1), SS_u and SS the sums of squared deviations from a
	 * unit's mean and from the mean of all pairable values: the sums over
	 * pairs of (v - v')^2 without the pairs.
	 */
	size_t n = 0, units = 0;
	double sum = 0, within = 0;
	for (size_t u = 0; u < n_units; u++) {
		const double *v = value + u * n_coders;
		size_t m;
		double mu = lc_stats_mean(v, n_coders, &m);
		if (m < 2)
			continue;
		double ss = 0;
		for (size_t k = 0; k < n_coders; k++)
			if (!isnan(v[k]))
				ss += (v[k] - mu) * (v[k] - mu);
		within += (double)m * ss / (double)(m - 1);
		sum += mu * (double)m;
		n += m;
		units++;
	}
	if (units_used)
		*units_used = units;
	if (values_used)
		*values_used = n;
	if (n < 2)
		return NAN;
	double grand = sum / (double)n, ss = 0;
	for (size_t u = 0; u < n_units; u++) {
		const double *v = value + u * n_coders;
		size_t m = 0;
		for (size_t k = 0; k < n_coders; k++)
			m += isnan(v[k]) ? 0u : 1u;
		if (m < 2)
			continue;
		for (size_t k = 0; k < n_coders; k++)
			if (!isnan(v[k]))
				ss += (v[k] - grand) * (v[k] - grand);
	}
	if (!(ss > 0))
		return NAN;
	double d_o = 2 * within / (double)n, d_e = 2 * ss / (double)(n - 1);
	return 1 - d_o / d_e;
}

/* The draws of resample b on a generator r (any state): n_jurors draws with replacement. */
static void draw_counts(gsl_rng *r, uint64_t seed, size_t b, size_t n_jurors, unsigned *count)
{
	/*
	 * The seed is mixed before the resample's index is added: with seed ^ (stream + b),
	 * seeds 2024 and 2025 would draw the same resamples in another order (b and b ^ 1).
	 */
	uint64_t s = lc_mc_mix64(lc_mc_mix64(seed ^ STREAM_JURORS) + b);
	/* MT19937 takes 32 bits of its seed; fold the high half in so 64-bit seeds differ. */
	gsl_rng_set(r, (unsigned long)(uint32_t)(s ^ (s >> 32)));
	memset(count, 0, n_jurors * sizeof(*count));
	for (size_t k = 0; k < n_jurors; k++)
		count[gsl_rng_uniform_int(r, (unsigned long)n_jurors)]++;
}

int lc_award_draw(uint64_t seed, size_t b, size_t n_jurors, unsigned *count)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	if (!r)
		return LC_EINTERNAL;
	draw_counts(r, seed, b, n_jurors, count);
	gsl_rng_free(r);
	return LC_OK;
}

void lc_award_resample_means(const double *total, size_t n_noms, size_t n_jurors,
                             const unsigned *count, double *mean)
{
	for (size_t a = 0; a < n_noms; a++) {
		const double *t = total + a * n_jurors;
		double s = 0;
		unsigned m = 0;
		for (size_t j = 0; j < n_jurors; j++) {
			if (!count[j] || isnan(t[j]))
				continue;
			/* Added, not multiplied: the same bytes as the drawn jurors listed one by
			 * one. */
			for (unsigned k = 0; k < count[j]; k++)
				s += t[j];
			m += count[j];
		}
		mean[a] = m ? s / (double)m : NAN;
	}
}

/* The bootstrap's shared input and one thread's workspace. */
struct boot_ctx {
	const double *total;
	size_t n_noms, n_jurors;
	uint64_t seed;
};

struct boot_ws {
	gsl_rng *r;
	unsigned *count;
	double *mean;
	struct lc_rank_pair *pairs;
};

static void boot_ws_free(void *vctx, void *vws)
{
	(void)vctx;
	struct boot_ws *w = vws;
	if (!w)
		return;
	if (w->r)
		gsl_rng_free(w->r);
	lc_free(w->count);
	lc_free(w->mean);
	lc_free(w->pairs);
	lc_free(w);
}

static void *boot_ws_new(void *vctx)
{
	const struct boot_ctx *c = vctx;
	struct boot_ws *w = lc_xcalloc(1, sizeof(*w));
	w->r = gsl_rng_alloc(gsl_rng_mt19937);
	if (!w->r) {
		boot_ws_free(vctx, w);
		return NULL;
	}
	w->count = lc_xcalloc(c->n_jurors, sizeof(*w->count));
	w->mean = lc_xcalloc(c->n_noms, sizeof(*w->mean));
	w->pairs = lc_xcalloc(c->n_noms, sizeof(*w->pairs));
	return w;
}

static int boot_run(void *vctx, void *vws, size_t b, double *out)
{
	const struct boot_ctx *c = vctx;
	struct boot_ws *w = vws;
	draw_counts(w->r, c->seed, b, c->n_jurors, w->count);
	lc_award_resample_means(c->total, c->n_noms, c->n_jurors, w->count, w->mean);
	lc_award_rank_desc(w->mean, c->n_noms, out, w->pairs);
	return LC_OK;
}

/* Each nomination's interval and top-k share from the resamples' ranks, in resample order. */
static void boot_stats(const double *ranks, size_t boot, struct lc_award_result *r)
{
	double *v = lc_xcalloc(boot + 1, sizeof(*v));
	for (size_t a = 0; a < r->n_noms; a++) {
		struct lc_award_nom *nm = &r->noms[a];
		size_t m = 0, top = 0;
		for (size_t b = 0; b < boot; b++) {
			double x = ranks[b * r->n_noms + a];
			if (isnan(x))
				continue;
			v[m++] = x;
			top += x <= (double)r->top_k;
		}
		nm->boot_ranked = m;
		nm->p_top_k = (double)top / (double)boot;
		if (m == 0) {
			nm->rank_lo = nm->rank_hi = NAN;
			continue;
		}
		gsl_sort(v, 1, m);
		nm->rank_lo = v[(size_t)floor(BOOT_LO * (double)(m - 1))];
		nm->rank_hi = v[(size_t)ceil(BOOT_HI * (double)(m - 1))];
	}
	lc_free(v);
}

static int bootstrap(const struct lc_award_opts *o, struct lc_award_result *r)
{
	struct boot_ctx c = {r->total, r->n_noms, r->n_jurors, r->seed};
	struct lc_mc_report mr;
	double *ranks = lc_xreallocarray(NULL, r->boot * r->n_noms, sizeof(*ranks));
	struct lc_mc_opts mo = {.runs = r->boot,
	                        .threads = o->threads,
	                        .out_len = r->n_noms,
	                        .run = boot_run,
	                        .ws_new = boot_ws_new,
	                        .ws_free = boot_ws_free,
	                        .ctx = &c,
	                        .cancel = o->cancel};
	int err = lc_mc_run(&mo, ranks, NULL, &mr);
	r->threads = mr.threads;
	r->boot_seconds = mr.seconds;
	if (!err && mr.failed)
		err = mr.first_error ? mr.first_error : LC_EINTERNAL;
	if (!err)
		boot_stats(ranks, r->boot, r);
	lc_free(ranks);
	return err;
}

/* Per juror: mean and spread of the juror's totals, and z-scores where there are enough. */
static void normalise_jurors(struct lc_award_result *r, double *col)
{
	size_t nn = r->n_noms, nj = r->n_jurors;
	for (size_t j = 0; j < nj; j++) {
		struct lc_award_juror *ju = &r->jurors[j];
		for (size_t a = 0; a < nn; a++)
			col[a] = r->total[a * nj + j];
		ju->mean = lc_stats_mean(col, nn, &ju->n_scores);
		ju->sd = lc_stats_sd(col, nn);
		ju->normalised = ju->n_scores >= LC_AWARD_Z_MIN_SCORES && ju->sd > 0;
		for (size_t a = 0; a < nn; a++) {
			double t = r->total[a * nj + j];
			r->z[a * nj + j] =
			    ju->normalised && !isnan(t) ? (t - ju->mean) / ju->sd : NAN;
		}
	}
}

static void nomination_stats(struct lc_award_result *r, double *row)
{
	size_t nj = r->n_jurors;
	for (size_t a = 0; a < r->n_noms; a++) {
		struct lc_award_nom *nm = &r->noms[a];
		const double *t = r->total + a * nj;
		double lo, hi;
		nm->mean = lc_stats_mean(t, nj, &nm->n_jurors);
		nm->sd = lc_stats_sd(t, nj);
		lc_stats_range(t, nj, &lo, &hi);
		nm->range = hi - lo;
		nm->disagree = nm->sd > r->flag_sd;
		size_t m = 0;
		for (size_t j = 0; j < nj; j++)
			if (!isnan(t[j]))
				row[m++] = t[j];
		nm->median = lc_stats_median_sort(row, m);
		nm->z_mean = lc_stats_mean(r->z + a * nj, nj, &nm->n_z);
	}
}

static void orders(struct lc_award_result *r, double *x, double *rank)
{
	size_t nn = r->n_noms;
	struct lc_rank_pair *pairs = lc_xcalloc(nn + 1, sizeof(*pairs));
	for (size_t a = 0; a < nn; a++)
		x[a] = r->noms[a].mean;
	lc_award_rank_desc(x, nn, rank, pairs);
	for (size_t a = 0; a < nn; a++) {
		r->noms[a].rank_mean = rank[a];
		x[a] = r->noms[a].z_mean;
	}
	lc_award_rank_desc(x, nn, rank, pairs);
	for (size_t a = 0; a < nn; a++)
		r->noms[a].rank_z = rank[a];
	lc_award_schulze(r->total, nn, r->n_jurors, rank);
	for (size_t a = 0; a < nn; a++)
		r->noms[a].rank_schulze = rank[a];
	lc_award_borda(r->total, nn, r->n_jurors, x);
	lc_award_rank_desc(x, nn, rank, pairs);
	for (size_t a = 0; a < nn; a++) {
		r->noms[a].borda = x[a];
		r->noms[a].rank_borda = rank[a];
	}
	lc_free(pairs);
}

static void agreement(const struct lc_award_input *in, struct lc_award_result *r)
{
	size_t nn = in->n_noms, nj = in->n_jurors, nc = in->n_crit;
	double *v = lc_xreallocarray(NULL, nn * nj, sizeof(*v));
	for (size_t c = 0; c < nc; c++) {
		for (size_t k = 0; k < nn * nj; k++)
			v[k] = in->score[k * nc + c];
		r->crits[c].alpha =
		    lc_award_alpha_interval(v, nn, nj, &r->crits[c].n_units, &r->crits[c].n_values);
	}
	lc_free(v);
}

int lc_award_rank(const struct lc_award_input *in, const struct lc_award_opts *opts,
                  struct lc_award_result *r, struct lc_diag *diag)
{
	struct lc_award_opts none = {0};
	const struct lc_award_opts *o = opts ? opts : &none;
	int err;

	memset(r, 0, sizeof(*r));
	err = lc_award_input_check(in, diag);
	if (err)
		return err;
	if (o->boot > LC_LIMIT_AWARD_BOOT)
		return LC_ELIMIT;
	if (o->flag_sd < 0 || isinf(o->flag_sd))
		return LC_EINVAL;
	r->boot = o->boot ? o->boot : LC_AWARD_BOOT_DEFAULT;
	r->top_k = o->top_k ? o->top_k : LC_AWARD_TOP_DEFAULT;
	r->seed = o->seed;
	r->flag_sd = o->flag_sd > 0 ? o->flag_sd : LC_AWARD_FLAG_SD_DEFAULT;

	size_t nn = in->n_noms, nj = in->n_jurors;
	r->n_noms = nn;
	r->n_jurors = nj;
	r->n_crit = in->n_crit;
	r->total = lc_xreallocarray(NULL, nn * nj, sizeof(*r->total));
	r->z = lc_xreallocarray(NULL, nn * nj, sizeof(*r->z));
	r->noms = lc_xcalloc(nn, sizeof(*r->noms));
	r->jurors = lc_xcalloc(nj, sizeof(*r->jurors));
	r->crits = lc_xcalloc(in->n_crit, sizeof(*r->crits));
	double *x = lc_xcalloc(nn + nj + 1, sizeof(*x));
	double *y = lc_xcalloc(nn + nj + 1, sizeof(*y));

	lc_award_totals(in, r->total);
	normalise_jurors(r, x);
	nomination_stats(r, x);
	orders(r, x, y);
	agreement(in, r);
	err = bootstrap(o, r);
	lc_free(x);
	lc_free(y);
	return err;
}

void lc_award_result_cleanup(struct lc_award_result *r)
{
	if (!r)
		return;
	lc_free(r->total);
	lc_free(r->z);
	lc_free(r->noms);
	lc_free(r->jurors);
	lc_free(r->crits);
	memset(r, 0, sizeof(*r));
}
