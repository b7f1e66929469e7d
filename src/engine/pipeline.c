/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The pipeline of pipeline.h: runs the steps over a work matrix held in
 * the result, whose buffers grow once and are reused by later runs.
 */
#include "engine/pipeline.h"

#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/limits.h"
#include "engine/aggregate.h"
#include "engine/denominate.h"
#include "engine/impute.h"
#include "engine/normalise.h"
#include "engine/rank.h"
#include "engine/screen.h"
#include "engine/treat.h"
#include "engine/weights.h"

/* Work space sized for the largest input seen so far. */
struct scratch {
	size_t cap_units, cap_cols, cap_levels;
	size_t *pos;
	struct lc_rank_pair *pairs;
	double *t1, *t2, *t3; /* cap_units each */
	double *tmp;          /* 2 * max(cap_units, cap_levels) */
	int *grp;
	signed char *flags;
	double *wtmp; /* cap_cols */
};

void lc_pipeline_result_init(struct lc_pipeline_result *r)
{
	memset(r, 0, sizeof *r);
	lc_diag_init(&r->warnings);
}

static void free_stages(struct lc_pipeline_result *r)
{
	for (size_t i = 0; i < r->n_stages; i++) {
		lc_free(r->stages[i].units);
		lc_free(r->stages[i].x);
	}
	lc_free(r->stages);
	r->stages = NULL;
	r->n_stages = 0;
}

static void scratch_free(struct scratch *s)
{
	if (!s)
		return;
	lc_free(s->pos);
	lc_free(s->pairs);
	lc_free(s->t1);
	lc_free(s->t2);
	lc_free(s->t3);
	lc_free(s->tmp);
	lc_free(s->grp);
	lc_free(s->flags);
	lc_free(s->wtmp);
	lc_free(s);
}

void lc_pipeline_result_cleanup(struct lc_pipeline_result *r)
{
	if (!r)
		return;
	lc_free(r->units);
	lc_free(r->x);
	lc_free(r->weights);
	lc_free(r->eff_weights);
	lc_free(r->treat);
	lc_free(r->treat_points);
	lc_free(r->dropped);
	free_stages(r);
	lc_diag_cleanup(&r->warnings);
	scratch_free(r->scratch);
	memset(r, 0, sizeof *r);
	lc_diag_init(&r->warnings);
}

/* Grows the result's buffers to hold n_units x n_cols; no-op when they do. */
static struct scratch *grow(struct lc_pipeline_result *r, size_t n_units, size_t n_cols,
                            size_t n_levels)
{
	struct scratch *s = r->scratch;
	if (!s) {
		s = lc_xcalloc(1, sizeof *s);
		r->scratch = s;
	}
	if (s->cap_units >= n_units && s->cap_cols >= n_cols && s->cap_levels >= n_levels)
		return s;
	size_t u = n_units > s->cap_units ? n_units : s->cap_units;
	size_t c = n_cols > s->cap_cols ? n_cols : s->cap_cols;
	size_t l = n_levels > s->cap_levels ? n_levels : s->cap_levels;
	size_t big = (u > l ? u : l) + 1;
	r->units = lc_xreallocarray(r->units, u + 1, sizeof *r->units);
	r->dropped = lc_xreallocarray(r->dropped, u + 1, sizeof *r->dropped);
	r->x = lc_xreallocarray(r->x, u * c + 1, sizeof *r->x);
	r->weights = lc_xreallocarray(r->weights, c + 1, sizeof *r->weights);
	r->eff_weights = lc_xreallocarray(r->eff_weights, c + 1, sizeof *r->eff_weights);
	r->treat = lc_xreallocarray(r->treat, c + 1, sizeof *r->treat);
	s->pos = lc_xreallocarray(s->pos, u + 1, sizeof *s->pos);
	s->pairs = lc_xreallocarray(s->pairs, u + 1, sizeof *s->pairs);
	s->t1 = lc_xreallocarray(s->t1, u + 1, sizeof *s->t1);
	s->t2 = lc_xreallocarray(s->t2, u + 1, sizeof *s->t2);
	s->t3 = lc_xreallocarray(s->t3, u + 1, sizeof *s->t3);
	s->tmp = lc_xreallocarray(s->tmp, 2 * big, sizeof *s->tmp);
	s->grp = lc_xreallocarray(s->grp, u + 1, sizeof *s->grp);
	s->flags = lc_xreallocarray(s->flags, u + 1, sizeof *s->flags);
	s->wtmp = lc_xreallocarray(s->wtmp, c + 1, sizeof *s->wtmp);
	s->cap_units = u;
	s->cap_cols = c;
	s->cap_levels = l;
	return s;
}

static void push_stage(struct lc_pipeline_result *r, enum lc_op op, size_t step, size_t n_cols)
{
	r->stages = lc_xreallocarray(r->stages, r->n_stages + 1, sizeof *r->stages);
	struct lc_stage *sg = &r->stages[r->n_stages++];
	sg->op = op;
	sg->step = step;
	sg->n_units = r->n_units;
	sg->units = lc_xreallocarray(NULL, r->n_units + 1, sizeof *sg->units);
	memcpy(sg->units, r->units, r->n_units * sizeof *sg->units);
	sg->x = lc_xreallocarray(NULL, r->n_units * n_cols + 1, sizeof *sg->x);
	memcpy(sg->x, r->x, r->n_units * n_cols * sizeof *sg->x);
}

int lc_pipeline_run(const struct lc_engine_input *in, const struct lc_spec *spec,
                    const struct lc_pipeline_opts *opts, struct lc_pipeline_result *out,
                    struct lc_diag *diag)
{
	static const struct lc_pipeline_opts defaults = {false, NULL};
	const struct lc_tree *t = in->tree;
	const struct lc_matrix *m = in->data;
	if (!opts)
		opts = &defaults;
	if (!t->finished || m->n_cols != t->n || m->n_units == 0 ||
	    m->n_units > LC_LIMIT_ENGINE_UNITS || t->n > LC_LIMIT_ENGINE_CELLS / m->n_units) {
		if (diag)
			lc_diag_addf(diag, NULL, 0, 0, NULL, "err_pipeline_misfit",
			             LC_ARG_I("columns", m->n_cols), LC_ARG_I("codes", t->n),
			             LC_ARG_I("units", m->n_units));
		return LC_EINVAL;
	}
	size_t n_levels = 0;
	for (size_t g = 0; g < m->n_groups; g++)
		if (m->n_group_levels[g] > n_levels)
			n_levels = m->n_group_levels[g];
	size_t n_in = m->n_units, nc = t->n;
	struct scratch *s = grow(out, n_in, nc, n_levels);
	bool keep = opts->keep_stages;
	struct lc_diag *warn = keep ? &out->warnings : NULL;

	free_stages(out);
	lc_diag_cleanup(&out->warnings);
	lc_diag_init(&out->warnings);
	lc_free(out->treat_points);
	out->treat_points = NULL;
	if (keep)
		out->treat_points = lc_xcalloc(nc * n_in + 1, sizeof *out->treat_points);
	out->aggregated = out->treated = false;
	out->n_units = n_in;
	out->n_dropped = 0;
	for (size_t i = 0; i < n_in; i++)
		out->units[i] = i;
	/* Indicator columns from the data; aggregates start NA whatever the input holds. */
	memcpy(out->x, m->x, nc * n_in * sizeof *out->x);
	for (size_t g = 0; g < t->n_agg; g++)
		for (size_t i = 0; i < n_in; i++)
			out->x[t->agg[g] * n_in + i] = NAN;

	int rc = 0;
	for (size_t k = 0; k < spec->n_steps; k++) {
		const struct lc_step *st = &spec->steps[k];
		if (st->absent)
			continue;
		size_t n = out->n_units;
		switch (st->op) {
		case LC_OP_DENOMINATE:
			rc = lc_denominate_run(t, m, out->units, n, out->x, warn, diag);
			break;
		case LC_OP_IMPUTE:
			rc = lc_impute_run(st, t, m, out->units, n, out->x, s->pairs, s->tmp,
			                   s->grp, diag);
			break;
		case LC_OP_SCREEN:
			lc_screen_run(st, t, out->x, &out->n_units, out->units, out->dropped,
			              &out->n_dropped, s->pos, s->t2, s->t3);
			if (out->n_units == 0) {
				if (diag)
					lc_diag_addf(diag, NULL, 0, 0, NULL,
					             "err_pipeline_screen_empty",
					             LC_ARG_I("step", k));
				rc = LC_EINVAL;
			} else if (warn && out->n_dropped) {
				lc_diag_addf(warn, NULL, 0, 0, NULL, "warn_pipeline_screen_dropped",
				             LC_ARG_I("count", out->n_dropped));
			}
			break;
		case LC_OP_TREAT:
			lc_treat_run(st, t, out->x, n, out->treat, out->treat_points, out->units,
			             n_in, s->t1, s->flags);
			out->treated = true;
			break;
		case LC_OP_NORMALISE:
			rc = lc_normalise_run(st, t, out->x, n, s->t1, s->pairs, warn, diag);
			break;
		case LC_OP_AGGREGATE:
			if (opts->weights)
				memcpy(out->weights, opts->weights, nc * sizeof *out->weights);
			else
				rc = lc_weights_resolve(t, st->u.aggregate.weights,
				                        st->u.aggregate.n_weights, out->weights,
				                        diag);
			if (rc == 0)
				rc = lc_aggregate_run(st, t, out->weights, out->x, n, m, out->units,
				                      s->t1, s->t2, s->t3, diag);
			if (rc == 0) {
				lc_weights_effective(t, out->weights, out->eff_weights, s->wtmp);
				out->aggregated = true;
			}
			break;
		}
		if (rc != 0)
			return rc;
		if (keep)
			push_stage(out, st->op, k, nc);
	}
	return 0;
}

void lc_pipeline_rank(struct lc_pipeline_result *r, size_t col, double *ranks)
{
	struct scratch *s = r->scratch;
	lc_rank_min(r->x + col * r->n_units, r->n_units, true, ranks, s->pairs);
}
