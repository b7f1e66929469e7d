/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Observations: a city's value for one framework measurement in one year,
 * with its source and note. Every way of entering data (web form, upload,
 * API, `learncity import`) validates and writes through this module, so the
 * rules live in one place:
 *
 * - A value is checked against its measurement's type (number, percentage
 *   0-100, yes_no, maturity_0_4, text), its goalposts when known, and the
 *   reporting years (LC_OBS_YEAR_MIN to the current year).
 * - A batch is all or nothing: one transaction, and any bad row rejects the
 *   whole batch with every problem listed (row, column, value, reason).
 * - A correction adds a version; nothing is overwritten. A value equal to the
 *   current one (value, source and note) is left alone and counted unchanged.
 * - The coordinator of a city enters its values while the year is a draft or
 *   returned; the secretariat (admin, and the operator) also while it is
 *   submitted; nobody while it is approved (it must be returned first).
 * - Every city-year a batch changes gets one audit row listing the codes and
 *   versions written; the versions themselves carry who and when.
 *
 * This module owns the observations and self_assessments tables' SQL and the
 * measurement catalogue; the review of a city-year (its states and steps)
 * is domain/monitoring/year_review.h; file formats in domain/monitoring/obs_import.h.
 */
#ifndef LC_OBSERVATION_H
#define LC_OBSERVATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/slice.h"

struct lc_actor;
struct lc_db;
struct lc_diag;

/* The earliest reporting year accepted (the Key Features date from 2013). */
#define LC_OBS_YEAR_MIN 2000
/* The reporting years a look back reads at most (2000 to 2199): the table holds years up to
 * the current one, so this is a bound on a loop, never a rule a city meets. */
#define LC_OBS_YEAR_SPAN 200

/*
 * The source of the demo's synthetic values (domain/monitoring/demo_monitoring.h), so
 * that profiles, reports and index runs can say plainly that such values
 * are not statistics.
 */
#define LC_OBS_SYNTHETIC_SOURCE "synthetic demonstration data, not statistics"

enum lc_obs_type {
	LC_OBS_NUMBER = 0, /* any finite number; within the goalposts when known */
	LC_OBS_PERCENTAGE, /* 0 to 100 (and within the goalposts when known) */
	LC_OBS_YES_NO,   /* yes/no (also true/false, 1/0, oui/non, si/no); stored "yes"/"no", 1/0 */
	LC_OBS_MATURITY, /* a whole level 0 to 4 */
	LC_OBS_TEXT,     /* free text up to LC_LIMIT_TEXT_BYTES; no number; not in indexes */
};

/* The type's name as in the framework ("number", ...), or NULL. */
const char *lc_obs_type_name(enum lc_obs_type t);
/* Parses a type name; 0 or LC_EINVAL. */
int lc_obs_type_parse(const char *s, enum lc_obs_type *out);

/* One measurement of the current framework version, as validation needs it. */
struct lc_obs_measure {
	int64_t id;  /* framework_measurements.id */
	char *code;  /* owned by the catalogue: "1.1.1.a" */
	char *label; /* owned: the English label */
	char *unit;  /* owned; NULL when none */
	char *area;  /* owned: the area of focus code ("1.1") */
	char *part;  /* owned: the part code ("1") */
	enum lc_obs_type type;
	int direction;    /* +1 higher is better, -1 lower is better, 0 neutral */
	double low, high; /* goalposts; NaN when unknown */
};

struct lc_obs_city {
	int64_t id;
	char *slug; /* owned by the catalogue */
	char *name; /* owned: the English name */
};

/*
 * What validating a batch needs from the database, loaded once: the current
 * framework's measurements (in code order) and every city (in slug order),
 * with the reporting years allowed now. Lookups are binary searches.
 */
struct lc_obs_catalog {
	int64_t version_id; /* framework_versions.id of the current version */
	struct lc_obs_measure *m;
	size_t nm;
	struct lc_obs_city *c;
	size_t nc;
	long year_min, year_max; /* LC_OBS_YEAR_MIN .. the current UTC year */
};

/*
 * Loads the catalogue. LC_ENOTFOUND when no framework version is loaded,
 * LC_EDB. Caller frees with lc_obs_catalog_cleanup (also after an error).
 */
int lc_obs_catalog_load(struct lc_db *db, struct lc_obs_catalog *cat);
void lc_obs_catalog_cleanup(struct lc_obs_catalog *cat);
/* The measurement with this code (exact), or NULL. Borrowed from cat. */
const struct lc_obs_measure *lc_obs_catalog_measure(const struct lc_obs_catalog *cat,
                                                    struct lc_slice code);
/* The city with this slug (exact), or NULL. Borrowed from cat. */
const struct lc_obs_city *lc_obs_catalog_city(const struct lc_obs_catalog *cat,
                                              struct lc_slice slug);

/*
 * Checks one value (surrounding spaces ignored) against m. On success
 * returns 0 with *norm the value to store (a part of value, or a static
 * "yes"/"no") and *num its number (NaN for text). On failure returns
 * LC_EINVAL and adds one problem to d (may be NULL) at file, line and col
 * (each may be unknown), field "value", code "err_obs_value_..." with the
 * value shown as argument "value".
 */
int lc_obs_validate(const struct lc_obs_measure *m, struct lc_slice value, struct lc_slice *norm,
                    double *num, const char *file, long line, long col, struct lc_diag *d);

/*
 * One value of a batch, as given: borrowed text cells, with where they came
 * from for messages (line = the row number users see; col_* = 1-based
 * column numbers, 0 when the cells were not in columns, e.g. JSON).
 */
struct lc_obs_row {
	struct lc_slice city, measurement, year, value, source, note;
	long line;
	long col_city, col_measurement, col_year, col_value, col_source, col_note;
};

/* A checked value ready to write; slices borrowed from the row's input. */
struct lc_obs_entry {
	const struct lc_obs_city *city;
	const struct lc_obs_measure *m;
	long year;
	struct lc_slice value, source, note; /* value normalised; source, note trimmed */
	double num;
	long line;
};

/*
 * Resolves and checks one row: a known city, a known measurement, a whole
 * year in the catalogue's range, a valid value, a source and note within
 * LC_LIMIT_TEXT_BYTES, and no cell that starts with '=' (a spreadsheet
 * formula: refused rather than stored as text). Every problem of the row
 * goes to d (file may be NULL) with its line, column, field name and the
 * offending value. 0 with *out filled, or LC_EINVAL.
 */
int lc_obs_check_row(const struct lc_obs_catalog *cat, const struct lc_obs_row *row,
                     const char *file, struct lc_obs_entry *out, struct lc_diag *d);

/*
 * Sorts entries by city, year, measurement and row, and reports to d every
 * entry that repeats an earlier one's city, measurement and year. Returns
 * the number of duplicates found.
 */
size_t lc_obs_check_duplicates(struct lc_obs_entry *entries, size_t n, const char *file,
                               struct lc_diag *d);

/* What a batch did. */
struct lc_obs_summary {
	size_t rows;      /* values given */
	size_t written;   /* new versions written (first values and corrections) */
	size_t corrected; /* of which corrections of an existing value */
	size_t unchanged; /* equal to the current version: nothing written */
	size_t city_years;
};

/*
 * Progress of a long batch: fn(ctx, phase, done, total) is called now and
 * then with phase "checking" or "writing", and once at the end of each.
 */
struct lc_obs_progress {
	void (*fn)(void *ctx, const char *phase, size_t done, size_t total);
	void *ctx;
};

/*
 * Writes n checked entries in one transaction (nested in the caller's when
 * there is one): refuses duplicates (the same city, measurement and year
 * twice), values the actor may not enter (LC_ACT_ENTER_OBSERVATIONS on the
 * city) and values of a year whose status forbids it (see the file
 * comment); each refusal goes to d with its line. With any problem nothing
 * is written and the result is LC_EINVAL (LC_EPERM when the only problems
 * are permissions). Creates the city-year as a draft when it has no status
 * yet. Reorders entries (sorted by city, year, measurement). sum may be
 * NULL; progress may be NULL. Errors: LC_EINVAL, LC_EPERM, LC_EBUSY, LC_EDB.
 */
int lc_obs_write(struct lc_db *db, const struct lc_actor *actor, const struct lc_obs_catalog *cat,
                 struct lc_obs_entry *entries, size_t n, const char *file, struct lc_diag *d,
                 struct lc_obs_summary *sum, const struct lc_obs_progress *progress);

/*
 * The convenience of the two steps above for callers with a few values
 * (forms, the JSON API): loads the catalogue, checks every row (all
 * problems listed) and writes them if all are good. Errors as lc_obs_write,
 * LC_ELIMIT past LC_LIMIT_CSV_ROWS rows.
 */
int lc_obs_put(struct lc_db *db, const struct lc_actor *actor, const struct lc_obs_row *rows,
               size_t n, struct lc_diag *d, struct lc_obs_summary *sum);

/*
 * A city-year's values with their latest versions, newest first:
 * {"city": "cork", "year": 2025, "status": "draft" | ... | null,
 *  "items": [{"code": "1.1.1.a", "label": "...", "unit": "%" | null, "type": "percentage",
 *             "value": "92.5" | null (current), "versions": [{"version": 2, "value": "92.5",
 *             "number": 92.5 | null, "source": "..." | null, "note": "..." | null,
 *             "current": true, "author": "coordinator.cork@example.org", "at":
 *             "2026-09-21T00:00:00Z"}, ...], "versions_total": 2}, ...]}
 * "versions" holds the latest LC_OBS_VERSIONS_SHOWN versions (the current one
 * always), so that a value corrected a thousand times costs no more to show;
 * "versions_total" counts them all, and lc_obs_versions pages through them.
 * Only measurements with at least one version are listed, in code order
 * (then the city's local measurements, each item with "local": true/false).
 * Approved years are public; others need LC_ACT_VIEW_OBSERVATIONS on the
 * city. LC_ENOTFOUND (no such city), LC_EAUTH/LC_EPERM, LC_EDB. Caller owns
 * *out.
 */
int lc_obs_list(struct lc_db *db, const struct lc_actor *actor, const char *city_slug, long year,
                json_t **out);

/*
 * Every version of one value of a city-year (a framework measurement's code,
 * or the city's own measurement's when local), newest first, a page at a
 * time: {"city", "year", "code", "local", "status", "items": [<versions as in
 * lc_obs_list>], "total", "page", "per_page", "pages"}. page 0 means 1,
 * per_page 0 LC_DEFAULT_PER_PAGE. Same permissions as lc_obs_list;
 * LC_ENOTFOUND when the city is unknown or the value has no version that
 * year; LC_EINVAL for a page out of range. Caller owns *out.
 */
int lc_obs_versions(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                    const char *code, bool local, long year, long page, long per_page,
                    json_t **out);

/*
 * lc_obs_list's answer with only the current version of each value in
 * "versions": for what shows or uses the values, not their history (a
 * year's overview, last year's values, templates, exports, a report's
 * statistics). Its cost does not grow with the corrections of a value.
 * Same permissions and errors; caller owns *out.
 */
int lc_obs_current(struct lc_db *db, const struct lc_actor *actor, const char *city_slug, long year,
                   json_t **out);

/*
 * The most recent year before year that holds values of the city the actor
 * may see, as lc_obs_current answers it, in *out with its year in
 * *out_year: with biennial reporting last year is often empty, and data
 * entry shows the latest earlier value beside each field. *out NULL and
 * *out_year 0 when no earlier year has values. 0 or LC_EDB.
 */
int lc_obs_previous(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                    long year, json_t **out, long *out_year);

/*
 * Per value of the city, the latest one of a year before year that the
 * actor may see: {"items": [{"code": "1.2.1.a", "local": false, "value":
 * "41", "year": 2024}, ...]}, the form's help beside each field (one value
 * may be from 2024, another from 2020). 0 (caller owns *out) or LC_EDB.
 */
int lc_obs_latest_before(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                         long year, json_t **out);

/*
 * Puts a self-assessment of a key feature (code "1.1.1") for a city-year:
 * maturity 0..4, evidence text (may be NULL) and links (a JSON array of
 * http(s) URLs, may be NULL), as a new version when it differs from the
 * current one. Same permission and status rules and audit as values.
 * Problems go to d: LC_EINVAL, LC_ENOTFOUND (city or feature), LC_EPERM,
 * LC_EAUTH, LC_EDB.
 */
int lc_obs_put_self_assessment(struct lc_db *db, const struct lc_actor *actor,
                               const char *city_slug, const char *feature_code, long year,
                               long maturity, const char *evidence, const json_t *links,
                               struct lc_diag *d);

/*
 * A city's own "contextualised" measurement: it counts in that city's
 * profile only, never in the network's index (lc_monitoring_input_approved
 * leaves it out).
 */
struct lc_obs_local {
	const char *code;    /* 1..40 bytes of [A-Za-z0-9._-], unique within the city */
	const char *label;   /* English label, 1..LC_LIMIT_NAME_BYTES bytes */
	const char *feature; /* the key feature it contextualises ("1.1.1") */
	const char *unit;    /* or NULL */
	enum lc_obs_type type;
	int direction;    /* +1 higher is better, -1 lower is better, 0 neutral */
	double low, high; /* goalposts; NaN when unknown */
};

/*
 * Adds a local measurement to a city (LC_ACT_ENTER_OBSERVATIONS on the
 * city), with an audit row. Problems go to d. *id (may be NULL) gets its
 * id. Errors: LC_EINVAL, LC_ENOTFOUND (city or feature), LC_ECONFLICT (the
 * code exists for this city), LC_EAUTH, LC_EPERM, LC_EDB.
 */
int lc_obs_local_add(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                     const struct lc_obs_local *m, struct lc_diag *d, int64_t *id);

/*
 * Puts one value of a city's local measurement (by its code) for a year:
 * validated, versioned, permitted and audited like lc_obs_put's values;
 * an unchanged value writes nothing. Problems go to d. Errors: LC_EINVAL,
 * LC_ENOTFOUND (city or local measurement), LC_ECONFLICT (the year's status
 * forbids it), LC_EAUTH, LC_EPERM, LC_EDB. lc_obs_list lists these values
 * after the framework's, with "local": true.
 */
int lc_obs_put_local(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                     const char *code, long year, const char *value, const char *source,
                     const char *note, struct lc_diag *d);

/*
 * May actor enter values for the city of slug (LC_ACT_ENTER_OBSERVATIONS on
 * it)? Pages and the API ask before anything else, so that even an empty
 * batch for another city is refused instead of answered "saved".
 * 0, LC_ENOTFOUND (no such city), LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_obs_may_enter(struct lc_db *db, const struct lc_actor *actor, const char *slug);

/*
 * The SQL expression naming the author of an observation or self-assessment
 * row (table alias a) to its readers: the account's display name, or
 * "learncity" for the command line. Never the e-mail address: approved values
 * are public, and their authors' addresses are not.
 */
#define LC_OBS_AUTHOR_SQL(a)                                                                       \
	"coalesce((SELECT name FROM accounts WHERE id = " a ".author_id), 'learncity')"

#endif
