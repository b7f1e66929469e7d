/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Parsing, copying and changing pipeline specs (spec.h). */
#include "engine/spec.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"

struct name_value {
	const char *name;
	int value;
};

static const struct name_value ops[] = {
    {"denominate", LC_OP_DENOMINATE},
    {"impute", LC_OP_IMPUTE},
    {"screen", LC_OP_SCREEN},
    {"treat", LC_OP_TREAT},
    {"normalise", LC_OP_NORMALISE},
    {"aggregate", LC_OP_AGGREGATE},
    {NULL, 0},
};
static const struct name_value impute_methods[] = {
    {"mean", LC_IMPUTE_MEAN},
    {"median", LC_IMPUTE_MEDIAN},
    {"group_mean", LC_IMPUTE_GROUP_MEAN},
    {"group_median", LC_IMPUTE_GROUP_MEDIAN},
    {NULL, 0},
};
static const struct name_value screen_bys[] = {
    {"na", LC_SCREEN_NA}, {"zeros", LC_SCREEN_ZEROS}, {"both", LC_SCREEN_BOTH}, {NULL, 0}};
static const struct name_value fallbacks[] = {{"log_CT", LC_TREAT_LOG_CT},
                                              {"log_CT_plus", LC_TREAT_LOG_CT_PLUS},
                                              {"none", LC_TREAT_NONE},
                                              {NULL, 0}};
static const struct name_value norm_methods[] = {
    {"minmax", LC_NORM_MINMAX},
    {"zscore", LC_NORM_ZSCORE},
    {"rank", LC_NORM_RANK},
    {"percentile_rank", LC_NORM_PERCENTILE_RANK},
    {"borda", LC_NORM_BORDA},
    {"dist_to_max", LC_NORM_DIST_TO_MAX},
    {"dist_to_target", LC_NORM_DIST_TO_TARGET},
    {"fraction_of_max", LC_NORM_FRACTION_OF_MAX},
    {"goalposts", LC_NORM_GOALPOSTS},
    {NULL, 0},
};
static const struct name_value agg_methods[] = {
    {"arithmetic", LC_AGG_ARITHMETIC}, {"geometric", LC_AGG_GEOMETRIC},
    {"harmonic", LC_AGG_HARMONIC},     {"power", LC_AGG_POWER},
    {"copeland", LC_AGG_COPELAND},     {NULL, 0},
};

/* The keys each op accepts, "op" included. */
static const char *const keys_denominate[] = {"op", NULL};
static const char *const keys_impute[] = {"op", "method", "group", NULL};
static const char *const keys_screen[] = {"op", "by", "min_fraction", NULL};
static const char *const keys_treat[] = {"op", "winmax", "skew", "kurt", "fallback", NULL};
/* Keys of other methods are accepted and ignored so that an uncertain
 * "steps[N].method" can switch methods without rewriting the step. */
static const char *const keys_normalise[] = {"op", "method", "lo",    "hi", "mean",
                                             "sd", "cap",    "scale", NULL};
static const char *const keys_aggregate[] = {"op", "method", "p", "min_fraction", "weights", NULL};

const char *lc_spec_op_name(enum lc_op op)
{
	for (const struct name_value *nv = ops; nv->name; nv++)
		if (nv->value == (int)op)
			return nv->name;
	return "?";
}

void lc_spec_init(struct lc_spec *s)
{
	memset(s, 0, sizeof *s);
}

static void free_cv(struct lc_code_value *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		lc_free(v[i].code);
	lc_free(v);
}

static void step_cleanup(struct lc_step *st)
{
	switch (st->op) {
	case LC_OP_IMPUTE: lc_free(st->u.impute.group); break;
	case LC_OP_NORMALISE:
		free_cv(st->u.normalise.glo, st->u.normalise.n_glo);
		free_cv(st->u.normalise.ghi, st->u.normalise.n_ghi);
		break;
	case LC_OP_AGGREGATE: free_cv(st->u.aggregate.weights, st->u.aggregate.n_weights); break;
	default: break;
	}
	if (st->json)
		json_decref(st->json);
	memset(st, 0, sizeof *st);
}

void lc_spec_cleanup(struct lc_spec *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_steps; i++)
		step_cleanup(&s->steps[i]);
	lc_free(s->steps);
	if (s->uncertain)
		json_decref(s->uncertain);
	lc_spec_init(s);
}

/* Context for the messages of one step. */
struct ctx {
	const char *file;
	struct lc_diag *diag;
	size_t index;
	int errors;
};

/* Counts a problem of the step's key (NULL: the step itself) and records it as code with args. */
static void problem_args(struct ctx *c, const char *key, const char *code,
                         const struct lc_diag_arg *args)
{
	c->errors++;
	if (!c->diag)
		return;
	char path[128];
	if (key)
		snprintf(path, sizeof path, "steps[%zu].%s", c->index, key);
	else
		snprintf(path, sizeof path, "steps[%zu]", c->index);
	lc_diag_addv(c->diag, c->file, 0, 0, path, code, args);
}

#define problem(c, key, code) problem_args((c), (key), (code), NULL)
#define problemf(c, key, code, ...)                                                                \
	problem_args((c), (key), (code),                                                           \
	             (const struct lc_diag_arg[]){__VA_ARGS__, {NULL, 0, NULL, 0, 0.0}})

static int lookup(const struct name_value *tab, const char *name, int *out)
{
	for (const struct name_value *nv = tab; nv->name; nv++)
		if (strcmp(nv->name, name) == 0) {
			*out = nv->value;
			return 0;
		}
	return LC_EINVAL;
}

static void get_enum(struct ctx *c, const json_t *obj, const char *key,
                     const struct name_value *tab, int *out)
{
	const json_t *v = json_object_get(obj, key);
	if (!v)
		return;
	if (!json_is_string(v)) {
		problem(c, key, "err_spec_string");
		return;
	}
	if (lookup(tab, json_string_value(v), out) != 0) {
		char allowed[256] = "";
		size_t used = 0;
		for (const struct name_value *nv = tab; nv->name; nv++) {
			int k = snprintf(allowed + used, sizeof allowed - used, "%s%s",
			                 used ? ", " : "", nv->name);
			if (k < 0 || (size_t)k >= sizeof allowed - used)
				break;
			used += (size_t)k;
		}
		problemf(c, key, "err_spec_enum", LC_ARG_S("value", json_string_value(v)),
		         LC_ARG_S("choices", allowed));
	}
}

/* A finite number in [lo, hi]; leaves *out when the key is absent. */
static void get_number(struct ctx *c, const json_t *obj, const char *key, double lo, double hi,
                       double *out)
{
	const json_t *v = json_object_get(obj, key);
	if (!v)
		return;
	if (!json_is_number(v)) {
		problem(c, key, "err_spec_number");
		return;
	}
	double d = json_number_value(v);
	if (!isfinite(d) || d < lo || d > hi) {
		char value[32];
		snprintf(value, sizeof value, "%.17g", d);
		problemf(c, key, "err_spec_range", LC_ARG_S("value", value), LC_ARG_G("low", lo),
		         LC_ARG_G("high", hi));
		return;
	}
	*out = d;
}

static void get_code_values(struct ctx *c, const json_t *obj, const char *key, double lo,
                            struct lc_code_value **out, size_t *n)
{
	const json_t *v = json_object_get(obj, key);
	if (!v)
		return;
	if (!json_is_object(v)) {
		problem(c, key, "err_spec_code_values");
		return;
	}
	size_t cnt = json_object_size(v);
	if (cnt > LC_LIMIT_ENGINE_CODES) {
		problemf(c, key, "err_spec_too_many_codes",
		         LC_ARG_I("limit", LC_LIMIT_ENGINE_CODES));
		return;
	}
	struct lc_code_value *cv = lc_xcalloc(cnt + 1, sizeof *cv);
	size_t k = 0;
	const char *code;
	json_t *val;
	json_object_foreach((json_t *)v, code, val)
	{
		if (!json_is_number(val) || !isfinite(json_number_value(val)) ||
		    json_number_value(val) < lo) {
			char sub[64];
			snprintf(sub, sizeof sub, "%s.%s", key, code);
			if (lo > -INFINITY)
				problem(c, sub, "err_spec_finite_positive");
			else
				problem(c, sub, "err_spec_finite");
			continue;
		}
		cv[k].code = lc_xstrdup(code);
		cv[k].value = json_number_value(val);
		k++;
	}
	*out = cv;
	*n = k;
}

static const char *const *keys_of(enum lc_op op)
{
	switch (op) {
	case LC_OP_DENOMINATE: return keys_denominate;
	case LC_OP_IMPUTE: return keys_impute;
	case LC_OP_SCREEN: return keys_screen;
	case LC_OP_TREAT: return keys_treat;
	case LC_OP_NORMALISE: return keys_normalise;
	case LC_OP_AGGREGATE: return keys_aggregate;
	}
	return keys_denominate;
}

/* Parses one step object into *st (zeroed first); returns the number of problems. */
static int parse_step(const json_t *obj, size_t index, const char *file, struct lc_diag *diag,
                      struct lc_step *st)
{
	struct ctx c = {file, diag, index, 0};
	memset(st, 0, sizeof *st);
	if (!json_is_object(obj)) {
		problem(&c, NULL, "err_spec_step_object");
		return c.errors;
	}
	const json_t *opv = json_object_get(obj, "op");
	int op = 0;
	if (!opv || !json_is_string(opv)) {
		problem(&c, "op", "err_spec_op_required");
		return c.errors;
	}
	if (lookup(ops, json_string_value(opv), &op) != 0) {
		problemf(&c, "op", "err_spec_op_unknown",
		         LC_ARG_S("value", json_string_value(opv)));
		return c.errors;
	}
	st->op = (enum lc_op)op;
	const char *key;
	json_t *val;
	json_object_foreach((json_t *)obj, key, val)
	{
		bool known = false;
		for (const char *const *k = keys_of(st->op); *k; k++)
			if (strcmp(*k, key) == 0)
				known = true;
		if (!known)
			problemf(&c, key, "err_spec_key_unknown",
			         LC_ARG_S("op", json_string_value(opv)));
	}
	int m;
	switch (st->op) {
	case LC_OP_DENOMINATE: break;
	case LC_OP_IMPUTE: {
		m = LC_IMPUTE_MEAN;
		get_enum(&c, obj, "method", impute_methods, &m);
		st->u.impute.method = (enum lc_impute_method)m;
		const json_t *g = json_object_get(obj, "group");
		if (g && !json_is_string(g))
			problem(&c, "group", "err_spec_group_string");
		else if (g)
			st->u.impute.group = lc_xstrdup(json_string_value(g));
		if ((m == LC_IMPUTE_GROUP_MEAN || m == LC_IMPUTE_GROUP_MEDIAN) &&
		    !st->u.impute.group)
			problem(&c, "group", "err_spec_group_required");
		break;
	}
	case LC_OP_SCREEN:
		m = LC_SCREEN_NA;
		get_enum(&c, obj, "by", screen_bys, &m);
		st->u.screen.by = (enum lc_screen_by)m;
		st->u.screen.min_fraction = 0.66;
		get_number(&c, obj, "min_fraction", 0, 1, &st->u.screen.min_fraction);
		break;
	case LC_OP_TREAT: {
		double w = 5;
		get_number(&c, obj, "winmax", 0, 1e6, &w);
		if (w != floor(w))
			problem(&c, "winmax", "err_spec_whole");
		st->u.treat.winmax = (int)w;
		st->u.treat.skew = 2.0;
		st->u.treat.kurt = 3.5;
		get_number(&c, obj, "skew", 0, INFINITY, &st->u.treat.skew);
		get_number(&c, obj, "kurt", -INFINITY, INFINITY, &st->u.treat.kurt);
		m = LC_TREAT_LOG_CT;
		get_enum(&c, obj, "fallback", fallbacks, &m);
		st->u.treat.fallback = (enum lc_treat_fallback)m;
		break;
	}
	case LC_OP_NORMALISE: {
		m = LC_NORM_MINMAX;
		get_enum(&c, obj, "method", norm_methods, &m);
		st->u.normalise.method = (enum lc_norm_method)m;
		st->u.normalise.lo = 0;
		st->u.normalise.hi = 100;
		st->u.normalise.mean = 0;
		st->u.normalise.sd = 1;
		st->u.normalise.scale = 1;
		if (m == LC_NORM_GOALPOSTS) {
			get_code_values(&c, obj, "lo", -INFINITY, &st->u.normalise.glo,
			                &st->u.normalise.n_glo);
			get_code_values(&c, obj, "hi", -INFINITY, &st->u.normalise.ghi,
			                &st->u.normalise.n_ghi);
			if (!json_object_get(obj, "lo") || !json_object_get(obj, "hi"))
				problem(&c, NULL, "err_spec_goalposts");
			for (size_t i = 0; i < st->u.normalise.n_glo; i++) {
				const struct lc_code_value *a = &st->u.normalise.glo[i];
				bool found = false;
				for (size_t j = 0; j < st->u.normalise.n_ghi; j++) {
					const struct lc_code_value *b = &st->u.normalise.ghi[j];
					if (strcmp(a->code, b->code) != 0)
						continue;
					found = true;
					if (!(a->value < b->value))
						problemf(&c, "lo", "err_spec_goalpost_order",
						         LC_ARG_S("code", a->code));
				}
				if (!found)
					problemf(&c, "hi", "err_spec_goalpost_missing",
					         LC_ARG_S("code", a->code));
			}
			if (st->u.normalise.n_ghi != st->u.normalise.n_glo)
				problem(&c, "lo", "err_spec_goalpost_codes");
		} else {
			const json_t *lo = json_object_get(obj, "lo"),
			             *hi = json_object_get(obj, "hi");
			/* Objects belong to goalposts; a switch of method ignores them. */
			if (!json_is_object(lo))
				get_number(&c, obj, "lo", -INFINITY, INFINITY, &st->u.normalise.lo);
			if (!json_is_object(hi))
				get_number(&c, obj, "hi", -INFINITY, INFINITY, &st->u.normalise.hi);
		}
		get_number(&c, obj, "mean", -INFINITY, INFINITY, &st->u.normalise.mean);
		get_number(&c, obj, "sd", -INFINITY, INFINITY, &st->u.normalise.sd);
		get_number(&c, obj, "scale", -INFINITY, INFINITY, &st->u.normalise.scale);
		const json_t *cap = json_object_get(obj, "cap");
		if (cap && !json_is_boolean(cap))
			problem(&c, "cap", "err_spec_boolean");
		st->u.normalise.cap = cap && json_is_true(cap);
		break;
	}
	case LC_OP_AGGREGATE: {
		m = LC_AGG_ARITHMETIC;
		get_enum(&c, obj, "method", agg_methods, &m);
		st->u.aggregate.method = (enum lc_agg_method)m;
		st->u.aggregate.p = NAN;
		get_number(&c, obj, "p", -1e6, 1e6, &st->u.aggregate.p);
		if (m == LC_AGG_POWER && (isnan(st->u.aggregate.p) || st->u.aggregate.p == 0))
			problem(&c, "p", "err_spec_power_p");
		st->u.aggregate.min_fraction = NAN;
		get_number(&c, obj, "min_fraction", 0, 1, &st->u.aggregate.min_fraction);
		get_code_values(&c, obj, "weights", 0, &st->u.aggregate.weights,
		                &st->u.aggregate.n_weights);
		break;
	}
	}
	if (c.errors)
		step_cleanup(st);
	else
		st->json = json_deep_copy(obj);
	return c.errors;
}

int lc_spec_from_json(struct lc_spec *s, const json_t *root, const char *file, struct lc_diag *diag)
{
	int errors = 0;
	lc_spec_cleanup(s);
	if (!json_is_object(root)) {
		if (diag)
			lc_diag_add(diag, file, 0, 0, NULL, "err_spec_object");
		return LC_EINVAL;
	}
	const char *key;
	json_t *val;
	json_object_foreach((json_t *)root, key, val)
	{
		if (strcmp(key, "steps") != 0 && strcmp(key, "uncertain") != 0) {
			errors++;
			if (diag)
				lc_diag_add(diag, file, 0, 0, key, "err_spec_top_key");
		}
	}
	const json_t *steps = json_object_get(root, "steps");
	if (!json_is_array(steps)) {
		if (diag)
			lc_diag_add(diag, file, 0, 0, "steps", "err_spec_steps_required");
		return LC_EINVAL;
	}
	size_t n = json_array_size(steps);
	if (n > LC_LIMIT_SPEC_STEPS) {
		if (diag)
			lc_diag_addf(diag, file, 0, 0, "steps", "err_spec_steps_many",
			             LC_ARG_I("limit", LC_LIMIT_SPEC_STEPS));
		return LC_ELIMIT;
	}
	s->steps = lc_xcalloc(n + 1, sizeof *s->steps);
	for (size_t i = 0; i < n; i++) {
		const json_t *obj = json_array_get(steps, i);
		if (json_is_null(obj)) {
			/* A step written as null is absent; it keeps its index. */
			s->steps[i].absent = true;
			s->steps[i].op = LC_OP_DENOMINATE;
			continue;
		}
		errors += parse_step(obj, i, file, diag, &s->steps[i]);
	}
	s->n_steps = n;
	const json_t *unc = json_object_get(root, "uncertain");
	if (unc && !json_is_array(unc)) {
		errors++;
		if (diag)
			lc_diag_add(diag, file, 0, 0, "uncertain", "err_spec_array");
	} else if (unc) {
		s->uncertain = json_deep_copy(unc);
	}
	if (errors) {
		lc_spec_cleanup(s);
		return LC_EINVAL;
	}
	return 0;
}

int lc_spec_parse(struct lc_spec *s, const char *text, size_t len, const char *file,
                  struct lc_diag *diag)
{
	lc_spec_cleanup(s);
	if (len > LC_LIMIT_SPEC_BYTES) {
		if (diag)
			lc_diag_addf(diag, file, 0, 0, NULL, "err_spec_large",
			             LC_ARG_I("limit", LC_LIMIT_SPEC_BYTES));
		return LC_ELIMIT;
	}
	json_error_t err;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		if (diag)
			lc_diag_addf(diag, file, err.line > 0 ? err.line : 0,
			             err.column > 0 ? err.column : 0, NULL, "err_spec_json",
			             LC_ARG_S("reason", err.text));
		return LC_EINVAL;
	}
	int rc = lc_spec_from_json(s, root, file, diag);
	json_decref(root);
	return rc;
}

static struct lc_code_value *copy_cv(const struct lc_code_value *v, size_t n)
{
	struct lc_code_value *c = lc_xcalloc(n + 1, sizeof *c);
	for (size_t i = 0; i < n; i++) {
		c[i].code = lc_xstrdup(v[i].code);
		c[i].value = v[i].value;
	}
	return c;
}

static void step_copy(struct lc_step *d, const struct lc_step *s)
{
	*d = *s;
	d->json = s->json ? json_deep_copy(s->json) : NULL;
	switch (s->op) {
	case LC_OP_IMPUTE:
		d->u.impute.group = s->u.impute.group ? lc_xstrdup(s->u.impute.group) : NULL;
		break;
	case LC_OP_NORMALISE:
		d->u.normalise.glo = copy_cv(s->u.normalise.glo, s->u.normalise.n_glo);
		d->u.normalise.ghi = copy_cv(s->u.normalise.ghi, s->u.normalise.n_ghi);
		break;
	case LC_OP_AGGREGATE:
		d->u.aggregate.weights = copy_cv(s->u.aggregate.weights, s->u.aggregate.n_weights);
		break;
	default: break;
	}
}

void lc_spec_copy(struct lc_spec *dst, const struct lc_spec *src)
{
	lc_spec_init(dst);
	dst->steps = lc_xcalloc(src->n_steps + 1, sizeof *dst->steps);
	for (size_t i = 0; i < src->n_steps; i++)
		step_copy(&dst->steps[i], &src->steps[i]);
	dst->n_steps = src->n_steps;
	dst->uncertain = src->uncertain ? json_deep_copy(src->uncertain) : NULL;
}

int lc_spec_path_parse(const char *path, struct lc_spec_path *out, struct lc_diag *diag)
{
	memset(out, 0, sizeof *out);
	struct lc_slice s = lc_slice_cstr(path);
	struct lc_slice head;
	long idx = -1;
	if (s.len < 8 || memcmp(s.ptr, "steps[", 6) != 0)
		goto bad;
	s = lc_slice_make(s.ptr + 6, s.len - 6);
	struct lc_slice rest = lc_slice_cut(s, ']', &head);
	if (!rest.ptr || lc_slice_to_long(head, 0, LC_LIMIT_SPEC_STEPS - 1, &idx) != 0)
		goto bad;
	out->step = (size_t)idx;
	if (rest.len == 0)
		return 0;
	if (rest.ptr[0] != '.' || rest.len < 2 || rest.len - 1 >= sizeof out->key)
		goto bad;
	memcpy(out->key, rest.ptr + 1, rest.len - 1);
	out->key[rest.len - 1] = '\0';
	for (size_t i = 0; out->key[i]; i++) {
		char ch = out->key[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
		      (ch >= '0' && ch <= '9')))
			goto bad;
	}
	return 0;
bad:
	if (diag)
		lc_diag_addf(diag, NULL, 0, 0, "path", "err_spec_path_form",
		             LC_ARG_S("value", path));
	memset(out, 0, sizeof *out);
	return LC_EINVAL;
}

int lc_spec_apply(struct lc_spec *spec, const struct lc_spec_path *path, const json_t *value,
                  struct lc_diag *diag)
{
	if (path->step >= spec->n_steps) {
		if (diag)
			lc_diag_addf(diag, NULL, 0, 0, "path", "err_spec_path_step",
			             LC_ARG_I("step", path->step),
			             LC_ARG_I("count", spec->n_steps));
		return LC_EINVAL;
	}
	struct lc_step *st = &spec->steps[path->step];
	json_t *obj;
	if (path->key[0] == '\0') {
		if (!value || json_is_null(value)) {
			step_cleanup(st);
			st->absent = true;
			st->op = LC_OP_DENOMINATE;
			return 0;
		}
		obj = json_deep_copy(value);
	} else {
		if (st->absent || !st->json) {
			if (diag)
				lc_diag_addf(diag, NULL, 0, 0, "path", "err_spec_path_absent",
				             LC_ARG_I("step", path->step),
				             LC_ARG_S("key", path->key));
			return LC_EINVAL;
		}
		obj = json_deep_copy(st->json);
		if (!value || json_is_null(value))
			json_object_del(obj, path->key);
		else
			json_object_set_new(obj, path->key, json_deep_copy(value));
	}
	struct lc_step fresh;
	int errors = parse_step(obj, path->step, NULL, diag, &fresh);
	json_decref(obj);
	if (errors)
		return LC_EINVAL;
	step_cleanup(st);
	*st = fresh;
	return 0;
}

int lc_spec_set_number(struct lc_spec *spec, const struct lc_spec_path *path, double v,
                       struct lc_diag *diag)
{
	if (path->step >= spec->n_steps || spec->steps[path->step].absent || !isfinite(v))
		goto bad;
	struct lc_step *st = &spec->steps[path->step];
	const char *k = path->key;
	switch (st->op) {
	case LC_OP_SCREEN:
		if (strcmp(k, "min_fraction") == 0 && v >= 0 && v <= 1) {
			st->u.screen.min_fraction = v;
			return 0;
		}
		break;
	case LC_OP_TREAT:
		if (strcmp(k, "winmax") == 0 && v >= 0 && v <= 1e6) {
			/* A uniform draw of a count is rounded to the nearest whole number. */
			st->u.treat.winmax = (int)floor(v + 0.5);
			return 0;
		}
		if (strcmp(k, "skew") == 0 && v >= 0) {
			st->u.treat.skew = v;
			return 0;
		}
		if (strcmp(k, "kurt") == 0) {
			st->u.treat.kurt = v;
			return 0;
		}
		break;
	case LC_OP_NORMALISE: {
		double *slot = NULL;
		if (strcmp(k, "lo") == 0 && st->u.normalise.method != LC_NORM_GOALPOSTS)
			slot = &st->u.normalise.lo;
		else if (strcmp(k, "hi") == 0 && st->u.normalise.method != LC_NORM_GOALPOSTS)
			slot = &st->u.normalise.hi;
		else if (strcmp(k, "mean") == 0)
			slot = &st->u.normalise.mean;
		else if (strcmp(k, "sd") == 0)
			slot = &st->u.normalise.sd;
		else if (strcmp(k, "scale") == 0)
			slot = &st->u.normalise.scale;
		if (slot) {
			*slot = v;
			return 0;
		}
		break;
	}
	case LC_OP_AGGREGATE:
		if (strcmp(k, "p") == 0 && v != 0) {
			st->u.aggregate.p = v;
			return 0;
		}
		if (strcmp(k, "min_fraction") == 0 && v >= 0 && v <= 1) {
			st->u.aggregate.min_fraction = v;
			return 0;
		}
		break;
	default: break;
	}
bad:
	if (diag) {
		char value[32];
		snprintf(value, sizeof value, "%.17g", v);
		lc_diag_addf(diag, NULL, 0, 0, "path", "err_spec_path_number",
		             LC_ARG_I("step", path->step), LC_ARG_S("key", path->key),
		             LC_ARG_S("value", value));
	}
	return LC_EINVAL;
}
