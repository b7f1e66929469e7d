/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The pipeline specification (ENGINE.md, "Pipeline spec"): a JSON object
 * {"steps": [...], "uncertain": [...]} parsed with jansson into a list of
 * steps with their parameters resolved to enums and numbers. Every unknown
 * key or op, wrong type or out-of-range value is reported in a struct
 * lc_diag naming the JSON path ("steps[3].winmax"). The "uncertain" list is
 * kept raw for the uncertainty analysis; lc_spec_apply and
 * lc_spec_set_number change one step or key of a parsed spec, which is how
 * every run of the analysis derives its spec from the nominal one.
 *
 * Codes named inside a spec (weights, goalposts) are not checked against a
 * tree here: the pipeline reports unknown ones when it runs.
 */
#ifndef LC_SPEC_H
#define LC_SPEC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct lc_diag;

enum lc_op {
	LC_OP_DENOMINATE = 1,
	LC_OP_IMPUTE,
	LC_OP_SCREEN,
	LC_OP_TREAT,
	LC_OP_NORMALISE,
	LC_OP_AGGREGATE,
};

enum lc_impute_method {
	LC_IMPUTE_MEAN,
	LC_IMPUTE_MEDIAN,
	LC_IMPUTE_GROUP_MEAN,
	LC_IMPUTE_GROUP_MEDIAN,
};

enum lc_screen_by { LC_SCREEN_NA, LC_SCREEN_ZEROS, LC_SCREEN_BOTH };

enum lc_treat_fallback { LC_TREAT_LOG_CT, LC_TREAT_LOG_CT_PLUS, LC_TREAT_NONE };

enum lc_norm_method {
	LC_NORM_MINMAX,
	LC_NORM_ZSCORE,
	LC_NORM_RANK,
	LC_NORM_PERCENTILE_RANK,
	LC_NORM_BORDA,
	LC_NORM_DIST_TO_MAX,
	LC_NORM_DIST_TO_TARGET,
	LC_NORM_FRACTION_OF_MAX,
	LC_NORM_GOALPOSTS,
};

enum lc_agg_method {
	LC_AGG_ARITHMETIC,
	LC_AGG_GEOMETRIC,
	LC_AGG_HARMONIC,
	LC_AGG_POWER,
	LC_AGG_COPELAND,
};

/* A value attached to a code: a weight or a goalpost. */
struct lc_code_value {
	char *code; /* owned */
	double value;
};

/*
 * One step. Only the member of the union matching op is meaningful.
 * Defaults (when a key is left out) are those of ENGINE.md/COINr and are
 * listed in docs/methodology.md.
 */
struct lc_step {
	enum lc_op op;
	bool absent;  /* removed by an uncertain alternative (null): skipped */
	json_t *json; /* owned reference: the step object as given (NULL when absent) */
	union {
		struct {
			enum lc_impute_method method; /* default mean */
			char *group;                  /* owned; required for group_* */
		} impute;
		struct {
			enum lc_screen_by by; /* default na */
			double min_fraction;  /* in [0, 1], default 0.66 */
		} screen;
		struct {
			int winmax;                      /* >= 0, default 5 */
			double skew;                     /* default 2 */
			double kurt;                     /* default 3.5 */
			enum lc_treat_fallback fallback; /* default log_CT */
		} treat;
		struct {
			enum lc_norm_method method;      /* default minmax */
			double lo, hi;                   /* minmax, default 0 and 100 */
			double mean, sd;                 /* zscore, default 0 and 1 */
			bool cap;                        /* dist_to_target, default false */
			double scale;                    /* goalposts, default 1 */
			struct lc_code_value *glo, *ghi; /* goalposts, owned */
			size_t n_glo, n_ghi;
		} normalise;
		struct {
			enum lc_agg_method method;     /* default arithmetic */
			double p;                      /* power: required, != 0 */
			double min_fraction;           /* NaN when not given */
			struct lc_code_value *weights; /* owned overrides */
			size_t n_weights;
		} aggregate;
	} u;
};

struct lc_spec {
	struct lc_step *steps; /* owned */
	size_t n_steps;        /* as written, including absent ones */
	json_t *uncertain;     /* owned reference to the raw "uncertain" array, or NULL */
};

void lc_spec_init(struct lc_spec *s);
/* Frees everything; s may be initialised again. NULL allowed. */
void lc_spec_cleanup(struct lc_spec *s);

/*
 * Parses a spec from len bytes of JSON text (not necessarily terminated).
 * file names the source in messages (may be NULL). On error returns
 * LC_EINVAL (or LC_ELIMIT past LC_LIMIT_SPEC_BYTES) with every problem in
 * diag, each naming its JSON path as the field, and leaves *s empty.
 * Caller cleans up *s with lc_spec_cleanup in every case.
 */
int lc_spec_parse(struct lc_spec *s, const char *text, size_t len, const char *file,
                  struct lc_diag *diag);
/* The same from a jansson value (borrowed). */
int lc_spec_from_json(struct lc_spec *s, const json_t *root, const char *file,
                      struct lc_diag *diag);

/* A deep copy (JSON included) that shares nothing with src; for one thread each. */
void lc_spec_copy(struct lc_spec *dst, const struct lc_spec *src);

/*
 * A parsed "path" of an uncertain input: "steps[N]" or "steps[N].KEY".
 */
struct lc_spec_path {
	size_t step;  /* N, an index into the steps as written */
	char key[32]; /* "" for the whole step */
};
/* Parses a path; 0 or LC_EINVAL (with a diag entry naming the path). */
int lc_spec_path_parse(const char *path, struct lc_spec_path *out, struct lc_diag *diag);

/*
 * Applies one alternative to spec in place.
 * - path "steps[N]": value is a step object that replaces step N, or NULL
 *   / JSON null, which makes step N absent (skipped).
 * - path "steps[N].KEY": value replaces KEY of step N (whose other keys
 *   stay); NULL / JSON null removes KEY, so its default applies. A step
 *   made absent must be given back whole first.
 * N counts the steps as written, so indices stay valid after a step is
 * made absent. The changed step is re-parsed and validated as at load: on
 * error returns LC_EINVAL with a diag entry naming the path, and the spec is
 * unchanged. value is borrowed (copied). Not thread-safe for one spec: give
 * each thread its own lc_spec_copy.
 */
int lc_spec_apply(struct lc_spec *spec, const struct lc_spec_path *path, const json_t *value,
                  struct lc_diag *diag);
/*
 * Fast path for a numeric key (winmax, skew, kurt, min_fraction, lo, hi,
 * mean, sd, scale, p): sets it without JSON and without allocating. The
 * step's json is left as it was (it then no longer describes the step
 * exactly; only lc_spec_apply keeps them in agreement). Returns 0, or
 * LC_EINVAL when the key is not numeric for that op or v is out of range
 * (spec unchanged; diag may be NULL).
 */
int lc_spec_set_number(struct lc_spec *spec, const struct lc_spec_path *path, double v,
                       struct lc_diag *diag);

/* The spec's name of an op or method ("normalise", "minmax"...), for reports. */
const char *lc_spec_op_name(enum lc_op op);

#endif
