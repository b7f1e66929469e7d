/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Saltelli 2010 design and Sobol index estimators (see sobol.h). The design
 * is generated once, in the calling thread, so every run's inputs depend only
 * on the seed and the run index, never on how runs are shared among threads.
 */
#include "engine/sobol.h"

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/limits.h"

/* GSL's Sobol generator returns k / 2^30 with an integer k. */
#define SOBOL_BITS  30
#define SOBOL_SCALE 1073741824.0

static gsl_rng *rng_new(uint64_t seed)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	if (!r)
		return NULL;
	/* MT19937 takes an unsigned long; fold the high half in so 64-bit seeds differ. */
	gsl_rng_set(r, (unsigned long)(seed ^ (seed >> 32)));
	return r;
}

static int fill_qmc(struct lc_sobol_design *dz)
{
	size_t dim = 2 * dz->d;
	gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)dim);
	gsl_rng *r = rng_new(dz->seed);
	uint32_t mask[LC_SOBOL_QMC_MAX_DIM];
	double pt[LC_SOBOL_QMC_MAX_DIM];
	int err = LC_OK;

	if (!q || !r) {
		err = LC_EINTERNAL;
		goto out;
	}
	/* A digital shift keeps the sequence's net structure while the seed varies the sample. */
	for (size_t k = 0; k < dim; k++)
		mask[k] = (uint32_t)gsl_rng_uniform_int(r, 1ul << SOBOL_BITS);
	for (size_t j = 0; j < dz->n; j++) {
		if (gsl_qrng_get(q, pt) != 0) {
			err = LC_EINTERNAL;
			goto out;
		}
		for (size_t k = 0; k < dim; k++) {
			uint32_t u = (uint32_t)(pt[k] * SOBOL_SCALE) ^ mask[k];
			double v = (double)u / SOBOL_SCALE;
			if (k < dz->d)
				dz->a[j * dz->d + k] = v;
			else
				dz->b[j * dz->d + (k - dz->d)] = v;
		}
	}
out:
	gsl_qrng_free(q);
	gsl_rng_free(r);
	return err;
}

static int fill_rng(struct lc_sobol_design *dz)
{
	gsl_rng *r = rng_new(dz->seed);
	if (!r)
		return LC_EINTERNAL;
	for (size_t k = 0; k < dz->n * dz->d; k++)
		dz->a[k] = gsl_rng_uniform(r);
	for (size_t k = 0; k < dz->n * dz->d; k++)
		dz->b[k] = gsl_rng_uniform(r);
	gsl_rng_free(r);
	return LC_OK;
}

int lc_sobol_design_init(struct lc_sobol_design *design, size_t n, size_t d, uint64_t seed,
                         enum lc_sobol_source source)
{
	int err;

	memset(design, 0, sizeof(*design));
	if (n < 2 || d < 1)
		return LC_EINVAL;
	if (d + 2 > LC_LIMIT_ENGINE_RUNS / n)
		return LC_ELIMIT;
	if (source == LC_SOBOL_AUTO)
		source = 2 * d <= LC_SOBOL_QMC_MAX_DIM ? LC_SOBOL_QMC : LC_SOBOL_RNG;
	if (source == LC_SOBOL_QMC && 2 * d > LC_SOBOL_QMC_MAX_DIM)
		return LC_EINVAL;
	if (source != LC_SOBOL_QMC && source != LC_SOBOL_RNG)
		return LC_EINVAL;
	design->n = n;
	design->d = d;
	design->seed = seed;
	design->source = source;
	design->a = lc_xreallocarray(NULL, n * d, sizeof(double));
	design->b = lc_xreallocarray(NULL, n * d, sizeof(double));
	err = source == LC_SOBOL_QMC ? fill_qmc(design) : fill_rng(design);
	if (err)
		lc_sobol_design_cleanup(design);
	return err;
}

void lc_sobol_design_cleanup(struct lc_sobol_design *design)
{
	if (!design)
		return;
	lc_free(design->a);
	lc_free(design->b);
	memset(design, 0, sizeof(*design));
}

size_t lc_sobol_design_runs(const struct lc_sobol_design *design)
{
	return design->n * (design->d + 2);
}

void lc_sobol_design_row(const struct lc_sobol_design *design, size_t run, double *row)
{
	size_t n = design->n, d = design->d;
	size_t block = run / n, j = run % n;

	if (block == 1) {
		memcpy(row, design->b + j * d, d * sizeof(double));
		return;
	}
	memcpy(row, design->a + j * d, d * sizeof(double));
	if (block >= 2)
		row[block - 2] = design->b[j * d + (block - 2)];
}

double lc_sobol_quantile7(const double *sorted, size_t n, double p)
{
	double h, f;
	size_t lo;

	if (n == 1 || p <= 0)
		return sorted[0];
	if (p >= 1)
		return sorted[n - 1];
	h = (double)(n - 1) * p;
	f = floor(h);
	lo = (size_t)f;
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + (h - f) * (sorted[lo + 1] - sorted[lo]);
}

/*
 * Computes the indices over rows rows[0..m) (with repetition for the
 * bootstrap) of the centred outputs ya, yb, yab (d blocks of stride n).
 * Sums are accumulated so that one pass serves every input.
 */
static int indices(const double *ya, const double *yb, const double *yab, size_t n, size_t d,
                   const size_t *rows, size_t m, double *acc, double *s, double *st,
                   double *mean_out, double *var_out)
{
	double sum = 0, sq = 0, mean, var;

	/* acc: per input, sum of yB*(yABi - yA), sum of (yABi - yA), sum of squares. */
	memset(acc, 0, 3 * d * sizeof(double));
	for (size_t k = 0; k < m; k++) {
		size_t j = rows ? rows[k] : k;
		double a = ya[j], b = yb[j];
		sum += a + b;
		sq += a * a + b * b;
		for (size_t i = 0; i < d; i++) {
			double diff = yab[i * n + j] - a;
			acc[3 * i] += b * diff;
			acc[3 * i + 1] += diff;
			acc[3 * i + 2] += diff * diff;
		}
	}
	mean = sum / (2.0 * (double)m);
	var = sq / (2.0 * (double)m) - mean * mean;
	if (mean_out)
		*mean_out = mean;
	if (var_out)
		*var_out = var;
	if (!(var > 0)) {
		for (size_t i = 0; i < d; i++)
			s[i] = st[i] = NAN;
		return LC_EINVAL;
	}
	for (size_t i = 0; i < d; i++) {
		/* (yB - mean)(yABi - yA) summed: the centring of Saltelli 2010's estimator. */
		s[i] = (acc[3 * i] - mean * acc[3 * i + 1]) / (double)m / var;
		st[i] = acc[3 * i + 2] / (2.0 * (double)m) / var;
	}
	return LC_OK;
}

/* Moves the finite values of x[0..n) to the front, sorts them, returns how many. */
static size_t finite_sorted(double *x, size_t n)
{
	size_t k = 0;
	for (size_t j = 0; j < n; j++)
		if (isfinite(x[j]))
			x[k++] = x[j];
	if (k > 0)
		gsl_sort(x, 1, k);
	return k;
}

int lc_sobol_estimate(const double *y, size_t n, size_t d, const struct lc_sobol_opts *opts,
                      struct lc_sobol_result *res)
{
	size_t m = 0, boot = opts ? opts->boot : 0;
	double *ya = NULL, *yb = NULL, *yab = NULL, *acc = NULL, *s = NULL, *st = NULL;
	double *bs = NULL, *bst = NULL, centre = 0;
	size_t *rows = NULL;
	gsl_rng *r = NULL;
	int err = LC_OK;

	memset(res, 0, sizeof(*res));
	res->d = d;
	res->idx = lc_xcalloc(d ? d : 1, sizeof(*res->idx));
	for (size_t i = 0; i < d; i++) {
		struct lc_sobol_index *x = &res->idx[i];
		x->s = x->s_lo = x->s_hi = x->st = x->st_lo = x->st_hi = NAN;
	}
	if (n < 2 || d < 1) {
		err = LC_EINVAL;
		goto out;
	}

	/* Compact the usable rows and centre them on their mean: less cancellation in the sums. */
	ya = lc_xreallocarray(NULL, n, sizeof(double));
	yb = lc_xreallocarray(NULL, n, sizeof(double));
	yab = lc_xreallocarray(NULL, n * d, sizeof(double));
	for (size_t j = 0; j < n; j++) {
		int ok = 1;
		for (size_t blk = 0; blk < d + 2 && ok; blk++)
			ok = isfinite(y[blk * n + j]);
		if (!ok) {
			res->n_dropped++;
			continue;
		}
		centre += y[j] + y[n + j];
		m++;
	}
	res->n_used = m;
	if (m < 2) {
		err = LC_EINVAL;
		goto out;
	}
	centre /= 2.0 * (double)m;
	{
		size_t k = 0;
		for (size_t j = 0; j < n; j++) {
			int ok = 1;
			for (size_t blk = 0; blk < d + 2 && ok; blk++)
				ok = isfinite(y[blk * n + j]);
			if (!ok)
				continue;
			ya[k] = y[j] - centre;
			yb[k] = y[n + j] - centre;
			for (size_t i = 0; i < d; i++)
				yab[i * n + k] = y[(2 + i) * n + j] - centre;
			k++;
		}
	}

	acc = lc_xreallocarray(NULL, 3 * d, sizeof(double));
	s = lc_xreallocarray(NULL, d, sizeof(double));
	st = lc_xreallocarray(NULL, d, sizeof(double));
	err = indices(ya, yb, yab, n, d, NULL, m, acc, s, st, &res->mean, &res->var);
	res->mean += centre;
	if (err)
		goto out;
	for (size_t i = 0; i < d; i++) {
		res->idx[i].s = s[i];
		res->idx[i].st = st[i];
	}
	if (boot == 0)
		goto out;

	r = rng_new(opts->seed);
	if (!r) {
		err = LC_EINTERNAL;
		goto out;
	}
	rows = lc_xreallocarray(NULL, m, sizeof(size_t));
	bs = lc_xreallocarray(NULL, boot * d, sizeof(double));
	bst = lc_xreallocarray(NULL, boot * d, sizeof(double));
	for (size_t b = 0; b < boot; b++) {
		for (size_t k = 0; k < m; k++)
			rows[k] = (size_t)gsl_rng_uniform_int(r, (unsigned long)m);
		/* A degenerate resample (zero variance) gives NaN; it is left out of the quantiles.
		 */
		(void)indices(ya, yb, yab, n, d, rows, m, acc, s, st, NULL, NULL);
		for (size_t i = 0; i < d; i++) {
			bs[i * boot + b] = s[i];
			bst[i * boot + b] = st[i];
		}
	}
	for (size_t i = 0; i < d; i++) {
		size_t nx = finite_sorted(bs + i * boot, boot),
		       nz = finite_sorted(bst + i * boot, boot);
		if (nx > 0) {
			res->idx[i].s_lo = lc_sobol_quantile7(bs + i * boot, nx, opts->lo);
			res->idx[i].s_hi = lc_sobol_quantile7(bs + i * boot, nx, opts->hi);
		}
		if (nz > 0) {
			res->idx[i].st_lo = lc_sobol_quantile7(bst + i * boot, nz, opts->lo);
			res->idx[i].st_hi = lc_sobol_quantile7(bst + i * boot, nz, opts->hi);
		}
	}
out:
	gsl_rng_free(r);
	lc_free(ya);
	lc_free(yb);
	lc_free(yab);
	lc_free(acc);
	lc_free(s);
	lc_free(st);
	lc_free(bs);
	lc_free(bst);
	lc_free(rows);
	return err;
}

void lc_sobol_result_cleanup(struct lc_sobol_result *res)
{
	if (!res)
		return;
	lc_free(res->idx);
	res->idx = NULL;
}
