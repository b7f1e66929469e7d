/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Uncertainty and sensitivity analysis (see uncertainty.h).
 *
 * How a run gets its spec without allocating: each thread has an array of
 * step structs that it fills, per run, by plain struct copies from the
 * nominal spec and from the pre-parsed alternatives (which own their
 * strings, arrays and JSON); numeric inputs then go through
 * lc_spec_set_number, which writes only the copied struct. The pipeline
 * only reads a spec, so the borrowed pointers inside the copies are shared
 * safely between threads.
 *
 * Why results do not depend on the thread count: the sample rows come from
 * one design made before the runs, the weight sets are drawn before the
 * runs, every run writes only its own slots, and every statistic is
 * computed afterwards in run order.
 */
#include "engine/stats.h"
#include "engine/uncertainty.h"

#include <gsl/gsl_rng.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"

#define STREAM_WEIGHTS 0x7765696768747300ull /* "weights" */
#define STREAM_BOOT    0x626f6f7400000000ull /* "boot" */

size_t lc_ua_bin(double u, size_t n)
{
	double k;
	if (n == 0 || !(u > 0))
		return 0;
	k = floor(u * (double)n);
	if (k >= (double)n)
		return n - 1;
	return (size_t)k;
}

/* A spec whose steps are a caller array of struct copies; never cleaned up. */
static void borrow_spec(struct lc_spec *fake, struct lc_step *steps, const struct lc_spec *src)
{
	memcpy(steps, src->steps, src->n_steps * sizeof(*steps));
	fake->steps = steps;
	fake->n_steps = src->n_steps;
	fake->uncertain = NULL;
}

/* Would value v fit key path of step st? Tries it on a throw-away copy. */
static int number_fits(const struct lc_spec *src, const struct lc_step *st,
                       const struct lc_spec_path *path, double v)
{
	struct lc_step *steps = lc_xcalloc(src->n_steps, sizeof(*steps));
	struct lc_spec fake;
	int rc;

	borrow_spec(&fake, steps, src);
	if (st)
		steps[path->step] = *st;
	rc = lc_spec_set_number(&fake, path, v, NULL);
	lc_free(steps);
	return rc;
}

static void input_cleanup(struct lc_ua_input *x)
{
	lc_free(x->name);
	lc_free(x->numbers);
	if (x->variants) {
		for (size_t k = 0; k < x->n_values; k++)
			lc_spec_cleanup(&x->variants[k]);
		lc_free(x->variants);
	}
	lc_free(x->levels);
	lc_free(x->weights);
	memset(x, 0, sizeof(*x));
}

void lc_ua_cleanup(struct lc_ua *ua)
{
	if (!ua)
		return;
	for (size_t i = 0; i < ua->d; i++)
		input_cleanup(&ua->inputs[i]);
	lc_free(ua->inputs);
	lc_free(ua->nom_rank);
	lc_free(ua->nom_score);
	lc_free(ua->nom_weights);
	memset(ua, 0, sizeof(*ua));
}

/* Gives the problems of one alternative (tmp) under field, or says that it does not apply. */
static void relay_diag(struct lc_diag *diag, const struct lc_diag *tmp, const char *field)
{
	if (!diag)
		return;
	if (lc_diag_total(tmp) == 0)
		lc_diag_add(diag, NULL, 0, 0, field, "err_ua_value_invalid");
	else
		lc_diag_append_under(diag, tmp, field);
}

/* About how many bytes a parsed copy of spec takes: its steps as compact JSON, at least 1. */
static size_t spec_bytes(const struct lc_spec *spec)
{
	size_t n = 1;
	for (size_t s = 0; s < spec->n_steps; s++)
		if (spec->steps[s].json)
			n += json_dumpb(spec->steps[s].json, NULL, 0, JSON_COMPACT) +
			     sizeof(struct lc_step);
	return n;
}

static int parse_values(const struct lc_ua *ua, struct lc_ua_input *x, const json_t *vals,
                        const char *field, struct lc_diag *diag)
{
	size_t n = json_array_size(vals);
	bool all_numbers = x->path.key[0] != '\0';
	char f[96];

	if (!json_is_array(vals) || n == 0) {
		lc_diag_add(diag, NULL, 0, 0, field, "err_ua_values_array");
		return LC_EINVAL;
	}
	if (n > LC_LIMIT_UA_VALUES) {
		lc_diag_addf(diag, NULL, 0, 0, field, "err_ua_values_many",
		             LC_ARG_I("limit", LC_LIMIT_UA_VALUES));
		return LC_ELIMIT;
	}
	x->n_values = n;
	for (size_t k = 0; k < n && all_numbers; k++) {
		const json_t *v = json_array_get(vals, k);
		all_numbers = json_is_number(v) &&
		              number_fits(ua->nominal, NULL, &x->path, json_number_value(v)) == 0;
	}
	if (all_numbers) {
		/* Numbers of a numeric key: set at run time, no step copy needed. */
		x->kind = LC_UA_NUMBER;
		x->numbers = lc_xreallocarray(NULL, n, sizeof(double));
		for (size_t k = 0; k < n; k++)
			x->numbers[k] = json_number_value(json_array_get(vals, k));
		return 0;
	}
	x->kind = LC_UA_STEP;
	/* Each alternative keeps a whole parsed copy of the spec: bound their total size. */
	if (n > LC_LIMIT_UA_VARIANT_BYTES / spec_bytes(ua->nominal)) {
		lc_diag_addf(diag, NULL, 0, 0, field, "err_ua_variants_large", LC_ARG_I("count", n),
		             LC_ARG_I("bytes", spec_bytes(ua->nominal)),
		             LC_ARG_I("limit", LC_LIMIT_UA_VARIANT_BYTES));
		return LC_ELIMIT;
	}
	x->variants = lc_xcalloc(n, sizeof(*x->variants));
	for (size_t k = 0; k < n; k++) {
		struct lc_diag tmp;
		int rc;
		lc_spec_copy(&x->variants[k], ua->nominal);
		if (x->variants[k].uncertain) {
			json_decref(x->variants[k].uncertain);
			x->variants[k].uncertain = NULL;
		}
		lc_diag_init(&tmp);
		rc = lc_spec_apply(&x->variants[k], &x->path, json_array_get(vals, k), &tmp);
		if (rc) {
			snprintf(f, sizeof(f), "%s.values[%zu]", field, k);
			relay_diag(diag, &tmp, f);
		}
		lc_diag_cleanup(&tmp);
		if (rc)
			return LC_EINVAL;
	}
	return 0;
}

static int parse_uniform(const struct lc_ua *ua, struct lc_ua_input *x, const json_t *r,
                         const char *field, struct lc_diag *diag)
{
	const json_t *a = json_array_get(r, 0), *b = json_array_get(r, 1);

	x->kind = LC_UA_UNIFORM;
	if (!json_is_array(r) || json_array_size(r) != 2 || !json_is_number(a) ||
	    !json_is_number(b)) {
		lc_diag_add(diag, NULL, 0, 0, field, "err_ua_uniform_pair");
		return LC_EINVAL;
	}
	x->lo = json_number_value(a);
	x->hi = json_number_value(b);
	if (!isfinite(x->lo) || !isfinite(x->hi) || !(x->lo < x->hi)) {
		lc_diag_add(diag, NULL, 0, 0, field, "err_ua_uniform_order");
		return LC_EINVAL;
	}
	if (x->path.key[0] == '\0' || number_fits(ua->nominal, NULL, &x->path, x->lo) ||
	    number_fits(ua->nominal, NULL, &x->path, x->hi)) {
		lc_diag_add(diag, NULL, 0, 0, field, "err_ua_uniform_path");
		return LC_EINVAL;
	}
	return 0;
}

static int parse_noisy(struct lc_ua *ua, struct lc_ua_input *x, size_t index, const json_t *o,
                       const char *field, struct lc_diag *diag)
{
	const struct lc_tree *t = ua->in->tree;
	const json_t *lv = json_object_get(o, "levels"), *f = json_object_get(o, "f");
	const json_t *sets = json_object_get(o, "sets");
	const char *key;
	const json_t *val;
	gsl_rng *r;
	int err = 0;

	x->kind = LC_UA_NOISY;
	if (!json_is_object(o)) {
		lc_diag_add(diag, NULL, 0, 0, field, "err_ua_noisy_object");
		return LC_EINVAL;
	}
	json_object_foreach((json_t *)o, key, val)
	{
		if (strcmp(key, "levels") && strcmp(key, "f") && strcmp(key, "sets")) {
			lc_diag_addf(diag, NULL, 0, 0, field, "err_ua_noisy_key",
			             LC_ARG_S("key", key));
			err = LC_EINVAL;
		}
	}
	if (!json_is_array(lv) || json_array_size(lv) == 0 ||
	    json_array_size(lv) > LC_LIMIT_ENGINE_LEVELS) {
		lc_diag_add(diag, NULL, 0, 0, field, "err_ua_levels_array");
		return LC_EINVAL;
	}
	x->n_levels = json_array_size(lv);
	x->levels = lc_xcalloc(x->n_levels, sizeof(int));
	for (size_t k = 0; k < x->n_levels; k++) {
		const json_t *l = json_array_get(lv, k);
		json_int_t li = json_is_integer(l) ? json_integer_value(l) : 0;
		if (li < 1 || li > t->n_levels) {
			lc_diag_addf(diag, NULL, 0, 0, field, "err_ua_level", LC_ARG_I("index", k),
			             LC_ARG_I("limit", t->n_levels));
			err = LC_EINVAL;
		}
		x->levels[k] = (int)(li > 0 && li <= LC_LIMIT_ENGINE_LEVELS ? li : 0);
	}
	x->f = json_is_number(f) ? json_number_value(f) : NAN;
	/* f >= 1 could make a weight negative, which no aggregation accepts. */
	if (!(x->f > 0 && x->f < 1)) {
		lc_diag_add(diag, NULL, 0, 0, field, "err_ua_noisy_f");
		err = LC_EINVAL;
	}
	if (!json_is_integer(sets) || json_integer_value(sets) < 1 ||
	    json_integer_value(sets) > LC_LIMIT_UA_WEIGHT_SETS) {
		lc_diag_addf(diag, NULL, 0, 0, field, "err_ua_noisy_sets",
		             LC_ARG_I("limit", LC_LIMIT_UA_WEIGHT_SETS));
		return LC_EINVAL;
	}
	if (err)
		return err;
	x->n_values = (size_t)json_integer_value(sets);
	if (x->n_values > LC_LIMIT_UA_WEIGHT_CELLS / (t->n ? t->n : 1)) {
		lc_diag_addf(diag, NULL, 0, 0, field, "err_ua_noisy_cells",
		             LC_ARG_I("count", x->n_values), LC_ARG_I("weights", t->n),
		             LC_ARG_I("limit", LC_LIMIT_UA_WEIGHT_CELLS));
		return LC_ELIMIT;
	}
	x->weights = lc_xreallocarray(NULL, x->n_values * t->n, sizeof(double));
	/* Drawn once, in set and tree order, from a stream of the seed and the entry. */
	r = gsl_rng_alloc(gsl_rng_mt19937);
	if (!r)
		return LC_EINTERNAL;
	gsl_rng_set(r, (unsigned long)lc_mc_mix64(ua->seed ^ (STREAM_WEIGHTS + index)));
	for (size_t s = 0; s < x->n_values; s++) {
		double *w = x->weights + s * t->n;
		for (size_t c = 0; c < t->n; c++) {
			bool noisy = false;
			for (size_t k = 0; k < x->n_levels; k++)
				noisy = noisy || t->nodes[c].level == x->levels[k];
			w[c] = ua->nom_weights[c];
			if (noisy)
				w[c] *= 1.0 + x->f * (2.0 * gsl_rng_uniform(r) - 1.0);
		}
	}
	gsl_rng_free(r);
	return 0;
}

static int parse_entry(struct lc_ua *ua, size_t i, const json_t *e, struct lc_diag *diag)
{
	struct lc_ua_input *x = &ua->inputs[i];
	const json_t *name = json_object_get(e, "name"), *path = json_object_get(e, "path");
	const json_t *vals = json_object_get(e, "values"), *uni = json_object_get(e, "uniform");
	const json_t *noisy = json_object_get(e, "noisy_weights");
	char field[64];
	const char *key;
	const json_t *val;
	int kinds = (vals != NULL) + (uni != NULL) + (noisy != NULL), err = 0;

	snprintf(field, sizeof(field), "uncertain[%zu]", i);
	if (!json_is_object(e)) {
		lc_diag_add(diag, NULL, 0, 0, field, "err_ua_input_object");
		return LC_EINVAL;
	}
	json_object_foreach((json_t *)e, key, val)
	{
		if (strcmp(key, "name") && strcmp(key, "path") && strcmp(key, "values") &&
		    strcmp(key, "uniform") && strcmp(key, "noisy_weights")) {
			lc_diag_addf(diag, NULL, 0, 0, field, "err_ua_input_key",
			             LC_ARG_S("key", key));
			err = LC_EINVAL;
		}
	}
	if (name && (!json_is_string(name) || json_string_length(name) == 0 ||
	             json_string_length(name) > LC_LIMIT_NAME_BYTES)) {
		lc_diag_addf(diag, NULL, 0, 0, field, "err_ua_input_name",
		             LC_ARG_I("limit", LC_LIMIT_NAME_BYTES));
		return LC_EINVAL;
	}
	x->name = lc_xstrdup(name ? json_string_value(name) : field);
	if (kinds != 1) {
		lc_diag_add(diag, NULL, 0, 0, field, "err_ua_input_kind");
		return LC_EINVAL;
	}
	if (noisy) {
		if (path) {
			lc_diag_add(diag, NULL, 0, 0, field, "err_ua_noisy_path");
			return LC_EINVAL;
		}
		return err ? err : parse_noisy(ua, x, i, noisy, field, diag);
	}
	if (!json_is_string(path)) {
		lc_diag_add(diag, NULL, 0, 0, field, "err_ua_path_string");
		return LC_EINVAL;
	}
	if (lc_spec_path_parse(json_string_value(path), &x->path, NULL) != 0 ||
	    x->path.step >= ua->nominal->n_steps) {
		lc_diag_addf(diag, NULL, 0, 0, field, "err_ua_path_step",
		             LC_ARG_S("path", json_string_value(path)),
		             LC_ARG_I("last", ua->nominal->n_steps - 1));
		return LC_EINVAL;
	}
	if (err)
		return err;
	return vals ? parse_values(ua, x, vals, field, diag)
	            : parse_uniform(ua, x, uni, field, diag);
}

/*
 * Inputs must combine without depending on their order: one whole-step input
 * per step, one weights input, and numeric keys that fit every alternative
 * of their step.
 */
static int check_combination(const struct lc_ua *ua, struct lc_diag *diag)
{
	int err = 0;
	for (size_t i = 0; i < ua->d; i++) {
		const struct lc_ua_input *x = &ua->inputs[i];
		for (size_t j = 0; j < i; j++) {
			const struct lc_ua_input *y = &ua->inputs[j];
			bool clash = (x->kind == LC_UA_NOISY && y->kind == LC_UA_NOISY) ||
			             (x->kind == LC_UA_STEP && y->kind == LC_UA_STEP &&
			              x->path.step == y->path.step);
			if (clash) {
				if (x->kind == LC_UA_NOISY)
					lc_diag_addf(
					    diag, NULL, 0, 0, "uncertain", "err_ua_clash_weights",
					    LC_ARG_S("name", y->name), LC_ARG_S("name2", x->name));
				else
					lc_diag_addf(diag, NULL, 0, 0, "uncertain",
					             "err_ua_clash_step", LC_ARG_S("name", y->name),
					             LC_ARG_S("name2", x->name));
				err = LC_EINVAL;
			}
		}
		if (x->kind != LC_UA_NUMBER && x->kind != LC_UA_UNIFORM)
			continue;
		for (size_t j = 0; j < ua->d; j++) {
			const struct lc_ua_input *y = &ua->inputs[j];
			if (y->kind != LC_UA_STEP || y->path.step != x->path.step)
				continue;
			for (size_t k = 0; k < y->n_values; k++) {
				const struct lc_step *st = &y->variants[k].steps[x->path.step];
				size_t nv = x->kind == LC_UA_NUMBER ? x->n_values : 2;
				if (st->absent)
					continue;
				for (size_t v = 0; v < nv; v++) {
					double num = x->kind == LC_UA_NUMBER ? x->numbers[v]
					                                     : (v ? x->hi : x->lo);
					if (number_fits(ua->nominal, st, &x->path, num) == 0)
						continue;
					lc_diag_addf(
					    diag, NULL, 0, 0, "uncertain", "err_ua_key_missing",
					    LC_ARG_S("name", x->name), LC_ARG_S("key", x->path.key),
					    LC_ARG_I("index", k), LC_ARG_S("name2", y->name));
					err = LC_EINVAL;
					v = nv;
				}
			}
		}
	}
	return err;
}

/* Ranks and scores of a finished run, by input unit (NaN when screened out). */
static void unit_results(const struct lc_ua *ua, struct lc_pipeline_result *r, const size_t *map,
                         double *tmp, double *rank, double *score)
{
	for (size_t u = 0; u < ua->n_units; u++)
		rank[u] = score[u] = NAN;
	lc_pipeline_rank(r, ua->root, tmp);
	for (size_t i = 0; i < r->n_units; i++) {
		/* map: the run's input was a cached subset of the units (see struct ua_cache). */
		size_t u = map ? map[r->units[i]] : r->units[i];
		rank[u] = tmp[i];
		score[u] = r->x[ua->root * r->n_units + i];
	}
}

int lc_ua_init(struct lc_ua *ua, const struct lc_engine_input *in, const struct lc_spec *spec,
               uint64_t seed, struct lc_diag *diag)
{
	const json_t *unc = spec->uncertain;
	struct lc_pipeline_result r;
	struct lc_pipeline_opts po = {.keep_stages = false, .weights = NULL};
	struct lc_spec nominal;
	double *tmp = NULL;
	int err = 0;

	memset(ua, 0, sizeof(*ua));
	ua->in = in;
	ua->nominal = spec;
	ua->seed = seed;
	ua->n_units = in->data->n_units;
	lc_pipeline_result_init(&r);
	if (in->tree->root < 0) {
		lc_diag_add(diag, NULL, 0, 0, "iMeta", "err_ua_several_roots");
		err = LC_EINVAL;
		goto out;
	}
	ua->root = (size_t)in->tree->root;

	/* The nominal run: the spec as written, its uncertain list ignored. */
	nominal = *spec;
	nominal.uncertain = NULL;
	err = lc_pipeline_run(in, &nominal, &po, &r, diag);
	if (err)
		goto out;
	if (!r.aggregated) {
		lc_diag_add(diag, NULL, 0, 0, "steps", "err_ua_no_aggregate");
		err = LC_EINVAL;
		goto out;
	}
	ua->nom_rank = lc_xreallocarray(NULL, ua->n_units, sizeof(double));
	ua->nom_score = lc_xreallocarray(NULL, ua->n_units, sizeof(double));
	tmp = lc_xreallocarray(NULL, ua->n_units ? ua->n_units : 1, sizeof(double));
	unit_results(ua, &r, NULL, tmp, ua->nom_rank, ua->nom_score);
	ua->nom_weights = lc_xreallocarray(NULL, in->tree->n, sizeof(double));
	memcpy(ua->nom_weights, r.weights, in->tree->n * sizeof(double));

	if (!json_is_array(unc) || json_array_size(unc) == 0) {
		lc_diag_add(diag, NULL, 0, 0, "uncertain", "err_ua_no_inputs");
		err = LC_EINVAL;
		goto out;
	}
	if (json_array_size(unc) > LC_LIMIT_UA_INPUTS) {
		lc_diag_addf(diag, NULL, 0, 0, "uncertain", "err_ua_inputs_many",
		             LC_ARG_I("limit", LC_LIMIT_UA_INPUTS));
		err = LC_ELIMIT;
		goto out;
	}
	ua->d = json_array_size(unc);
	ua->inputs = lc_xcalloc(ua->d, sizeof(*ua->inputs));
	for (size_t i = 0; i < ua->d; i++) {
		int rc = parse_entry(ua, i, json_array_get(unc, i), diag);
		if (rc && !err)
			err = rc;
	}
	if (!err)
		err = check_combination(ua, diag);
out:
	lc_free(tmp);
	lc_pipeline_result_cleanup(&r);
	return err;
}

struct lc_ua_ws {
	struct lc_spec spec;   /* steps borrowed: see the top of the file */
	struct lc_step *steps; /* owned array of struct copies */
	struct lc_pipeline_result res;
	double *row;   /* d sample values */
	double *tmp;   /* ranks of kept units */
	double *rank;  /* by input unit */
	double *score; /* by input unit */
};

struct lc_ua_ws *lc_ua_ws_new(const struct lc_ua *ua)
{
	struct lc_ua_ws *ws = lc_xcalloc(1, sizeof(*ws));
	size_t n = ua->n_units ? ua->n_units : 1;
	ws->steps = lc_xcalloc(ua->nominal->n_steps + 1, sizeof(*ws->steps));
	borrow_spec(&ws->spec, ws->steps, ua->nominal);
	lc_pipeline_result_init(&ws->res);
	ws->row = lc_xcalloc(ua->d ? ua->d : 1, sizeof(double));
	ws->tmp = lc_xcalloc(n, sizeof(double));
	ws->rank = lc_xcalloc(n, sizeof(double));
	ws->score = lc_xcalloc(n, sizeof(double));
	return ws;
}

void lc_ua_ws_free(struct lc_ua_ws *ws)
{
	if (!ws)
		return;
	/* The steps are struct copies of specs owned elsewhere: free only the array. */
	lc_free(ws->steps);
	lc_pipeline_result_cleanup(&ws->res);
	lc_free(ws->row);
	lc_free(ws->tmp);
	lc_free(ws->rank);
	lc_free(ws->score);
	lc_free(ws);
}

int lc_ua_apply(const struct lc_ua *ua, struct lc_ua_ws *ws, const double *u,
                const struct lc_spec **spec, const double **weights)
{
	const double *w = NULL;

	memcpy(ws->steps, ua->nominal->steps, ua->nominal->n_steps * sizeof(*ws->steps));
	for (size_t i = 0; i < ua->d; i++) {
		const struct lc_ua_input *x = &ua->inputs[i];
		size_t k = lc_ua_bin(u[i], x->n_values);
		if (x->kind == LC_UA_STEP)
			ws->steps[x->path.step] = x->variants[k].steps[x->path.step];
		else if (x->kind == LC_UA_NOISY)
			w = x->weights + k * ua->in->tree->n;
	}
	for (size_t i = 0; i < ua->d; i++) {
		const struct lc_ua_input *x = &ua->inputs[i];
		double v;
		if (x->kind != LC_UA_NUMBER && x->kind != LC_UA_UNIFORM)
			continue;
		if (ws->steps[x->path.step].absent)
			continue;
		if (x->kind == LC_UA_NUMBER)
			v = x->numbers[lc_ua_bin(u[i], x->n_values)];
		else
			v = x->lo + u[i] * (x->hi - x->lo);
		if (lc_spec_set_number(&ws->spec, &x->path, v, NULL) != 0)
			return LC_EINVAL;
	}
	*spec = &ws->spec;
	*weights = w;
	return 0;
}

/*
 * Stages that do not depend on the sample, computed once. Steps [0, k) are
 * touched only by discrete inputs (no uniform range, no aggregation, which
 * noisy weights change), so their result is a function of those inputs'
 * bins alone: one matrix per combination of bins, computed before the runs.
 * A run then starts from its combination's matrix with steps [0, k) marked
 * absent. The pipeline is a function of the matrix and the steps only, so
 * the results are the same bytes as running every step (a test compares
 * both ways on ASEM).
 */
struct cache_entry {
	int err;            /* the prefix failed for this combination: its runs fail */
	struct lc_matrix m; /* arrays owned here, strings borrowed from the input */
	size_t *map;        /* m's units as indices of the input units */
};

struct ua_cache {
	size_t k; /* steps [0, k) are cached; 0 = no cache */
	size_t n_combos;
	size_t *stride; /* per input: its bin's weight in the combination, 0 = not in prefix */
	struct cache_entry *e;
};

/* At most this many prefix results: enough for a few discrete inputs, cheap to precompute. */
#define UA_CACHE_COMBOS 256

static void cache_cleanup(struct ua_cache *c)
{
	for (size_t j = 0; c->e && j < c->n_combos; j++) {
		struct lc_matrix *m = &c->e[j].m;
		lc_free(m->ucodes);
		lc_free(m->unames);
		lc_free(m->x);
		lc_free(m->denoms);
		lc_free(m->groups);
		lc_free(c->e[j].map);
	}
	lc_free(c->e);
	lc_free(c->stride);
	memset(c, 0, sizeof(*c));
}

/* Is step s, nominal or any alternative, an aggregation? */
static bool step_aggregates(const struct lc_ua *ua, size_t s)
{
	if (!ua->nominal->steps[s].absent && ua->nominal->steps[s].op == LC_OP_AGGREGATE)
		return true;
	for (size_t i = 0; i < ua->d; i++) {
		const struct lc_ua_input *x = &ua->inputs[i];
		if (x->kind != LC_UA_STEP || x->path.step != s)
			continue;
		for (size_t v = 0; v < x->n_values; v++)
			if (!x->variants[v].steps[s].absent &&
			    x->variants[v].steps[s].op == LC_OP_AGGREGATE)
				return true;
	}
	return false;
}

/* The longest cacheable prefix and its number of combinations (see struct ua_cache). */
static size_t cache_prefix(const struct lc_ua *ua, size_t *combos)
{
	size_t best = 0, best_combos = 1;
	for (size_t k = 1; k <= ua->nominal->n_steps; k++) {
		size_t s = k - 1, n = 1;
		bool ok = !step_aggregates(ua, s);
		for (size_t i = 0; i < ua->d && ok; i++) {
			const struct lc_ua_input *x = &ua->inputs[i];
			if (x->kind == LC_UA_NOISY || x->path.step >= k)
				continue;
			if (x->kind == LC_UA_UNIFORM || n > UA_CACHE_COMBOS / x->n_values)
				ok = false;
			else
				n *= x->n_values;
		}
		if (!ok)
			break;
		best = k;
		best_combos = n;
	}
	*combos = best_combos;
	return best;
}

/* Keeps the prefix result r as a matrix of its units (subset of the input's). */
static void cache_store(const struct lc_ua *ua, const struct lc_pipeline_result *r,
                        struct cache_entry *e)
{
	const struct lc_matrix *in = ua->in->data;
	struct lc_matrix *m = &e->m;
	size_t n = r->n_units;

	memset(m, 0, sizeof(*m));
	m->n_units = n;
	m->n_cols = in->n_cols;
	m->ucodes = lc_xcalloc(n, sizeof(char *));
	m->unames = lc_xcalloc(n, sizeof(char *));
	e->map = lc_xcalloc(n, sizeof(size_t));
	m->x = lc_xreallocarray(NULL, n * in->n_cols + 1, sizeof(double));
	memcpy(m->x, r->x, n * in->n_cols * sizeof(double));
	m->n_denoms = in->n_denoms;
	m->denom_names = in->denom_names;
	m->denoms = lc_xreallocarray(NULL, n * in->n_denoms + 1, sizeof(double));
	m->n_groups = in->n_groups;
	m->group_names = in->group_names;
	m->groups = lc_xreallocarray(NULL, n * in->n_groups + 1, sizeof(int));
	m->group_levels = in->group_levels;
	m->n_group_levels = in->n_group_levels;
	for (size_t i = 0; i < n; i++) {
		size_t u = r->units[i];
		e->map[i] = u;
		m->ucodes[i] = in->ucodes[u];
		m->unames[i] = in->unames ? in->unames[u] : NULL;
		for (size_t d = 0; d < in->n_denoms; d++)
			m->denoms[d * n + i] = in->denoms[d * in->n_units + u];
		for (size_t g = 0; g < in->n_groups; g++)
			m->groups[g * n + i] = in->groups[g * in->n_units + u];
	}
}

/* The combination of prefix bins of sample row u. */
static size_t cache_combo(const struct lc_ua *ua, const struct ua_cache *c, const double *u)
{
	size_t j = 0;
	for (size_t i = 0; i < ua->d; i++)
		if (c->stride[i])
			j += c->stride[i] * lc_ua_bin(u[i], ua->inputs[i].n_values);
	return j;
}

/* Computes every prefix result, on the calling thread, before the runs. */
static void cache_build(const struct lc_ua *ua, struct ua_cache *c)
{
	struct lc_ua_ws *ws;
	struct lc_pipeline_result r;
	double *u;
	size_t combos, stride = 1;

	memset(c, 0, sizeof(*c));
	c->k = cache_prefix(ua, &combos);
	if (c->k == 0)
		return;
	c->n_combos = combos;
	c->stride = lc_xcalloc(ua->d, sizeof(size_t));
	for (size_t i = 0; i < ua->d; i++) {
		const struct lc_ua_input *x = &ua->inputs[i];
		if (x->kind == LC_UA_NOISY || x->path.step >= c->k)
			continue;
		c->stride[i] = stride;
		stride *= x->n_values;
	}
	c->e = lc_xcalloc(combos, sizeof(*c->e));
	ws = lc_ua_ws_new(ua);
	u = lc_xcalloc(ua->d, sizeof(double));
	lc_pipeline_result_init(&r);
	for (size_t j = 0; j < combos; j++) {
		const struct lc_spec *spec;
		const double *w;
		struct lc_pipeline_opts po = {.keep_stages = false};
		/* The middle of each prefix input's bin; other inputs do not reach the prefix. */
		for (size_t i = 0; i < ua->d; i++) {
			size_t nv = ua->inputs[i].n_values;
			u[i] =
			    c->stride[i] ? ((double)(j / c->stride[i] % nv) + 0.5) / (double)nv : 0;
		}
		c->e[j].err = lc_ua_apply(ua, ws, u, &spec, &w);
		if (c->e[j].err)
			continue;
		for (size_t s = c->k; s < ws->spec.n_steps; s++)
			ws->steps[s].absent = true;
		c->e[j].err = lc_pipeline_run(ua->in, &ws->spec, &po, &r, NULL);
		if (!c->e[j].err)
			cache_store(ua, &r, &c->e[j]);
	}
	lc_pipeline_result_cleanup(&r);
	lc_free(u);
	lc_ua_ws_free(ws);
}

/* What every run shares. */
struct run_ctx {
	const struct lc_ua *ua;
	const struct lc_sobol_design *dz;
	bool sa;
	enum lc_ua_output output;
	size_t unit;
	size_t stat_runs;
	const struct ua_cache *cache; /* NULL: every run runs every step */
	float *ranks;                 /* unit-major: ranks[u * stat_runs + run] */
	double *scores;               /* unit-major */
	const size_t *cols;           /* opts->cols */
	size_t n_cols;
	size_t col_stat_runs;
	float *cranks;  /* cranks[(k * n_units + u) * col_stat_runs + run] */
	float *cscores; /* same layout */
};

static void *ws_new_cb(void *vctx)
{
	const struct run_ctx *c = vctx;
	return lc_ua_ws_new(c->ua);
}

static void ws_free_cb(void *vctx, void *ws)
{
	(void)vctx;
	lc_ua_ws_free(ws);
}

/* Ranks and scores of the other columns of a finished run into c->cranks/cscores. */
static void col_results(const struct run_ctx *c, struct lc_ua_ws *ws, const size_t *map, size_t run)
{
	const struct lc_ua *ua = c->ua;
	struct lc_pipeline_result *r = &ws->res;
	size_t sr = c->col_stat_runs;
	for (size_t k = 0; k < c->n_cols; k++) {
		float *rk = c->cranks + k * ua->n_units * sr,
		      *sc = c->cscores + k * ua->n_units * sr;
		for (size_t u = 0; u < ua->n_units; u++)
			rk[u * sr + run] = sc[u * sr + run] = NAN;
		lc_pipeline_rank(r, c->cols[k], ws->tmp);
		for (size_t i = 0; i < r->n_units; i++) {
			size_t u = map ? map[r->units[i]] : r->units[i];
			rk[u * sr + run] = (float)ws->tmp[i];
			sc[u * sr + run] = (float)r->x[c->cols[k] * r->n_units + i];
		}
	}
}

/* One run: derive the spec, run the pipeline, rank. diag may be NULL. */
static int one_run(const struct run_ctx *c, struct lc_ua_ws *ws, size_t run, double *out,
                   struct lc_diag *diag)
{
	const struct lc_ua *ua = c->ua;
	const struct lc_spec *spec;
	struct lc_pipeline_opts po = {.keep_stages = false};
	struct lc_engine_input cin;
	const struct lc_engine_input *in = ua->in;
	const size_t *map = NULL;
	int rc;

	/* UA runs use the rows of A; SA runs follow the design's run order. */
	lc_sobol_design_row(c->dz, run, ws->row);
	rc = lc_ua_apply(ua, ws, ws->row, &spec, &po.weights);
	if (rc) {
		if (diag)
			lc_diag_add(diag, NULL, 0, 0, "uncertain", "err_ua_number_misfit");
		return rc;
	}
	if (c->cache && c->cache->k > 0) {
		const struct cache_entry *e = &c->cache->e[cache_combo(ua, c->cache, ws->row)];
		if (e->err)
			return e->err;
		for (size_t s = 0; s < c->cache->k; s++)
			ws->steps[s].absent = true;
		cin.tree = ua->in->tree;
		cin.data = &e->m;
		in = &cin;
		map = e->map;
	}
	rc = lc_pipeline_run(in, spec, &po, &ws->res, diag);
	if (rc)
		return rc;
	unit_results(ua, &ws->res, map, ws->tmp, ws->rank, ws->score);
	if (out) {
		if (c->output == LC_UA_OUT_SCORE) {
			out[0] = ws->score[c->unit];
			if (!isfinite(out[0])) {
				if (diag)
					lc_diag_add(diag, NULL, 0, 0, "output", "err_ua_no_score");
				return LC_ENOTFOUND;
			}
		} else {
			double s = 0;
			size_t m = 0;
			for (size_t u = 0; u < ua->n_units; u++) {
				if (isnan(ws->rank[u]) || isnan(ua->nom_rank[u]))
					continue;
				s += fabs(ws->rank[u] - ua->nom_rank[u]);
				m++;
			}
			if (m == 0) {
				if (diag)
					lc_diag_add(diag, NULL, 0, 0, "output",
					            "err_ua_no_common_rank");
				return LC_EINVAL;
			}
			out[0] = s / (double)m;
		}
	}
	if (run < c->stat_runs) {
		for (size_t u = 0; u < ua->n_units; u++) {
			c->ranks[u * c->stat_runs + run] = (float)ws->rank[u];
			c->scores[u * c->stat_runs + run] = ws->score[u];
		}
	}
	if (run < c->col_stat_runs)
		col_results(c, ws, map, run);
	return 0;
}

static int run_cb(void *vctx, void *vws, size_t run, double *out)
{
	return one_run(vctx, vws, run, out, NULL);
}

static void fill_unit_stats(const struct lc_ua *ua, const struct run_ctx *c,
                            const signed char *status, struct lc_ua_report *rep)
{
	double *v = lc_xreallocarray(NULL, c->stat_runs ? c->stat_runs : 1, sizeof(double));

	rep->n_units = ua->n_units;
	rep->units = lc_xcalloc(ua->n_units ? ua->n_units : 1, sizeof(*rep->units));
	for (size_t u = 0; u < ua->n_units; u++) {
		struct lc_ua_unit_stats *s = &rep->units[u];
		size_t m = 0;
		double sum = 0;
		s->nom_rank = ua->nom_rank[u];
		s->nom_score = ua->nom_score[u];
		/* Ranks: sums in run order, so the mean is the same for any thread count. */
		for (size_t r = 0; r < c->stat_runs; r++) {
			double x = c->ranks[u * c->stat_runs + r];
			if (status[r] != LC_MC_OK || isnan(x))
				continue;
			v[m++] = x;
			sum += x;
		}
		s->n_runs = m;
		if (m == 0) {
			s->rank_mean = s->rank_median = s->rank_q5 = s->rank_q95 = NAN;
			s->score_mean = s->score_median = s->score_q5 = s->score_q95 = NAN;
			continue;
		}
		s->rank_mean = sum / (double)m;
		s->rank_median = lc_stats_quantile7(v, m, 0.5);
		s->rank_q5 = lc_stats_quantile7(v, m, 0.05);
		s->rank_q95 = lc_stats_quantile7(v, m, 0.95);
		m = 0;
		sum = 0;
		for (size_t r = 0; r < c->stat_runs; r++) {
			double x = c->scores[u * c->stat_runs + r];
			if (status[r] != LC_MC_OK || isnan(x))
				continue;
			v[m++] = x;
			sum += x;
		}
		if (m == 0) {
			s->score_mean = s->score_median = s->score_q5 = s->score_q95 = NAN;
			continue;
		}
		s->score_mean = sum / (double)m;
		s->score_median = lc_stats_quantile7(v, m, 0.5);
		s->score_q5 = lc_stats_quantile7(v, m, 0.05);
		s->score_q95 = lc_stats_quantile7(v, m, 0.95);
	}
	lc_free(v);
}

/* Mean, median, 5th and 95th percentile of the successful runs' finite values of x[0..n). */
static size_t float_stats(const float *x, size_t n, const signed char *status, double *v,
                          double *mean, double *median, double *q5, double *q95)
{
	size_t m = 0;
	double sum = 0;
	for (size_t r = 0; r < n; r++) {
		if (status[r] != LC_MC_OK || isnan(x[r]))
			continue;
		v[m++] = x[r];
		sum += x[r];
	}
	if (m == 0) {
		*mean = *median = *q5 = *q95 = NAN;
		return 0;
	}
	*mean = sum / (double)m;
	*median = lc_stats_quantile7(v, m, 0.5);
	*q5 = lc_stats_quantile7(v, m, 0.05);
	*q95 = lc_stats_quantile7(v, m, 0.95);
	return m;
}

/* Threads for the columns' statistics: the runs' count, at most this (a stack array). */
#define COL_STAT_THREADS 64

/* A share of the columns' statistics, for one thread. */
struct col_share {
	const struct run_ctx *c;
	const signed char *status;
	struct lc_ua_unit_stats *out; /* rep->col_units */
	size_t k0, k1;                /* columns [k0, k1) */
};

static void *col_stats_share(void *arg)
{
	const struct col_share *sh = arg;
	const struct run_ctx *c = sh->c;
	size_t sr = c->col_stat_runs, nu = c->ua->n_units;
	double *v = lc_xreallocarray(NULL, sr ? sr : 1, sizeof(double));
	for (size_t k = sh->k0; k < sh->k1; k++) {
		for (size_t u = 0; u < nu; u++) {
			struct lc_ua_unit_stats *s = &sh->out[k * nu + u];
			size_t at = (k * nu + u) * sr;
			s->nom_rank = s->nom_score = NAN;
			s->n_runs = float_stats(c->cranks + at, sr, sh->status, v, &s->rank_mean,
			                        &s->rank_median, &s->rank_q5, &s->rank_q95);
			(void)float_stats(c->cscores + at, sr, sh->status, v, &s->score_mean,
			                  &s->score_median, &s->score_q5, &s->score_q95);
		}
	}
	lc_free(v);
	return NULL;
}

/*
 * The columns' statistics, split by column over the threads the runs used
 * (every cell is computed on its own, so the result does not depend on the
 * split): the quantiles of every area and part were the serial tail of a
 * run. A thread that cannot be started leaves its share to this one.
 */
static void fill_col_stats(const struct run_ctx *c, const signed char *status, unsigned threads,
                           struct lc_ua_report *rep)
{
	size_t nu = c->ua->n_units;
	rep->n_cols = c->n_cols;
	rep->col_stat_runs = c->col_stat_runs;
	rep->col_units = lc_xcalloc(c->n_cols * nu + 1, sizeof(*rep->col_units));
	size_t t = threads ? threads : 1;
	if (t > c->n_cols)
		t = c->n_cols ? c->n_cols : 1;
	if (t > COL_STAT_THREADS)
		t = COL_STAT_THREADS;
	struct col_share sh[COL_STAT_THREADS];
	pthread_t tid[COL_STAT_THREADS];
	bool started[COL_STAT_THREADS] = {false};
	for (size_t i = 0; i < t; i++)
		sh[i] = (struct col_share){c, status, rep->col_units, c->n_cols * i / t,
		                           c->n_cols * (i + 1) / t};
	for (size_t i = 1; i < t; i++)
		started[i] = pthread_create(&tid[i], NULL, col_stats_share, &sh[i]) == 0;
	col_stats_share(&sh[0]);
	for (size_t i = 1; i < t; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			col_stats_share(&sh[i]);
	}
}

/* Re-runs the first failed run on this thread to tell the user why it failed. */
static void explain_failure(const struct run_ctx *c, struct lc_ua_report *rep)
{
	struct lc_ua_ws *ws = lc_ua_ws_new(c->ua);
	struct lc_diag diag;
	struct run_ctx quiet = *c;
	double y;

	quiet.stat_runs = 0; /* the stored statistics are not touched again */
	quiet.col_stat_runs = 0;
	quiet.cache = NULL; /* every step again, so the message names the step that failed */
	lc_diag_init(&diag);
	(void)one_run(&quiet, ws, rep->first_failed_run, &y, &diag);
	if (diag.count > 0) {
		const struct lc_diag_entry *e = &diag.items[0];
		snprintf(rep->first_error_msg, sizeof(rep->first_error_msg), "%s%s%s",
		         e->field ? e->field : "", e->field ? ": " : "", e->message);
	}
	lc_diag_cleanup(&diag);
	lc_ua_ws_free(ws);
}

static int analyse(const struct lc_ua *ua, const struct lc_ua_opts *opts, bool sa,
                   struct lc_ua_report *rep)
{
	struct lc_sobol_design dz;
	struct run_ctx c;
	struct ua_cache cache;
	struct lc_mc_report mr;
	signed char *status = NULL;
	size_t runs;
	int err;

	memset(rep, 0, sizeof(*rep));
	memset(&dz, 0, sizeof(dz));
	memset(&c, 0, sizeof(c));
	memset(&cache, 0, sizeof(cache));
	if (!ua->d || !ua->inputs || !opts || opts->n < 2)
		return LC_EINVAL;
	if (opts->output == LC_UA_OUT_SCORE && opts->unit >= ua->n_units)
		return LC_EINVAL;
	err = lc_sobol_design_init(&dz, opts->n, ua->d, ua->seed, opts->source);
	if (err)
		return err;
	runs = sa ? lc_sobol_design_runs(&dz) : opts->n;
	rep->runs = runs;
	rep->source = dz.source;

	c.ua = ua;
	c.dz = &dz;
	c.sa = sa;
	c.output = opts->output;
	c.unit = opts->unit;
	/* Keep every run for the quantiles unless that would take too much memory. */
	c.stat_runs = ua->n_units ? LC_LIMIT_UA_STORED_CELLS / ua->n_units : runs;
	if (c.stat_runs > runs)
		c.stat_runs = runs;
	rep->stat_runs = c.stat_runs;
	c.ranks = lc_xreallocarray(NULL, c.stat_runs * ua->n_units + 1, sizeof(float));
	c.scores = lc_xreallocarray(NULL, c.stat_runs * ua->n_units + 1, sizeof(double));
	c.cols = opts->cols;
	c.n_cols = opts->cols ? opts->n_cols : 0;
	for (size_t k = 0; k < c.n_cols; k++)
		if (c.cols[k] >= ua->in->tree->n) {
			err = LC_EINVAL;
			goto out;
		}
	if (c.n_cols > 0 && ua->n_units > 0) {
		c.col_stat_runs = LC_LIMIT_UA_STORED_COL_CELLS / (ua->n_units * c.n_cols);
		if (c.col_stat_runs > runs)
			c.col_stat_runs = runs;
		c.cranks = lc_xreallocarray(NULL, c.col_stat_runs * ua->n_units * c.n_cols + 1,
		                            sizeof(float));
		c.cscores = lc_xreallocarray(NULL, c.col_stat_runs * ua->n_units * c.n_cols + 1,
		                             sizeof(float));
	}
	status = lc_xmalloc(runs);
	if (!opts->no_cache) {
		cache_build(ua, &cache);
		c.cache = &cache;
	}
	rep->cached_steps = cache.k;
	if (sa)
		rep->y = lc_xreallocarray(NULL, runs, sizeof(double));

	struct lc_mc_opts mo = {.runs = runs,
	                        .threads = opts->threads,
	                        .out_len = sa ? 1 : 0,
	                        .run = run_cb,
	                        .ws_new = ws_new_cb,
	                        .ws_free = ws_free_cb,
	                        .ctx = &c,
	                        .progress = opts->progress,
	                        .progress_user = opts->progress_user,
	                        .cancel = opts->cancel};
	err = lc_mc_run(&mo, rep->y, status, &mr);
	rep->failed = mr.failed;
	rep->not_run = mr.not_run;
	rep->threads = mr.threads;
	rep->seconds = mr.seconds;
	rep->first_error = mr.first_error;
	rep->first_failed_run = mr.first_failed_run;
	if (err)
		goto out;
	if (rep->failed > 0)
		explain_failure(&c, rep);
	fill_unit_stats(ua, &c, status, rep);
	if (c.n_cols > 0)
		fill_col_stats(&c, status, mr.threads, rep);
	if (sa) {
		struct lc_sobol_opts so = {.boot = opts->boot,
		                           .seed = lc_mc_mix64(ua->seed ^ STREAM_BOOT),
		                           .lo = 0.05,
		                           .hi = 0.95};
		/* Too few usable rows gives NaN indices and counts: reported, not an error here. */
		(void)lc_sobol_estimate(rep->y, dz.n, dz.d, &so, &rep->sobol);
		rep->has_sobol = true;
	}
out:
	cache_cleanup(&cache);
	lc_free(status);
	lc_free(c.ranks);
	lc_free(c.scores);
	lc_free(c.cranks);
	lc_free(c.cscores);
	lc_sobol_design_cleanup(&dz);
	return err;
}

int lc_ua_uncertainty(const struct lc_ua *ua, const struct lc_ua_opts *opts,
                      struct lc_ua_report *rep)
{
	return analyse(ua, opts, false, rep);
}

int lc_ua_sensitivity(const struct lc_ua *ua, const struct lc_ua_opts *opts,
                      struct lc_ua_report *rep)
{
	return analyse(ua, opts, true, rep);
}

void lc_ua_report_cleanup(struct lc_ua_report *rep)
{
	if (!rep)
		return;
	lc_free(rep->units);
	lc_free(rep->col_units);
	lc_free(rep->y);
	lc_sobol_result_cleanup(&rep->sobol);
	memset(rep, 0, sizeof(*rep));
}
