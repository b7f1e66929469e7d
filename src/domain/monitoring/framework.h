/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The monitoring framework (Key Features of Learning Cities) as data: versions,
 * parts, areas of focus, key features and their suggested measurements, every
 * row with its provenance. The official feature and measurement wording was not
 * available: what `init` loads from data/kflc.json marks parts and areas
 * verified and features and measurements provisional.
 *
 * Versions: a version is a draft or published. A new version starts as a copy
 * of another into a draft (never current), which admins edit (measurements:
 * label, unit, direction, type, goalposts, status; add and remove); publishing
 * makes it the one current version. A published version is frozen, and so is
 * any version that index runs or observations reference: its rows never
 * change again, so a year's scores always mean what they meant when computed
 * (index_runs.framework_version_id records the version a run used).
 *
 * Import and export: a version as JSON (the "learncity-framework/1" format of
 * data/kflc.json, every language) or CSV (one row per measurement, the
 * columns of LC_FRAMEWORK_CSV_COLUMNS, texts in English and French). An
 * import makes a new draft, all or nothing, with every problem listed.
 *
 * This module owns the framework_* tables' SQL. It does not know HTTP.
 */
#ifndef LC_FRAMEWORK_H
#define LC_FRAMEWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct lc_actor;
struct lc_buf;
struct lc_db;
struct lc_diag;
struct lc_diag;

/*
 * The CSV columns, in export order. On import the columns may come in any
 * order; those marked optional in docs (the *_fr, *_status, unit and
 * goalpost columns) may be left out. A row whose "code" is empty describes
 * a key feature without measurements.
 */
#define LC_FRAMEWORK_CSV_COLUMNS                                                                   \
	"part_code,part_title_en,part_title_fr,part_status,area_code,area_title_en,"               \
	"area_title_fr,area_status,feature_code,feature_title_en,feature_title_fr,"                \
	"feature_status,code,label_en,label_fr,unit,direction,type,goalpost_low,goalpost_high,"    \
	"status"

/*
 * Problems: every function that refuses a file, a form or a change lists why
 * in a struct lc_diag (base/diag.h), each entry with its place (CSV line and
 * column; the field: a CSV column, a form field or a JSON path such as
 * "parts[0].areas[1].code"), a code "err_fw_..." of the catalogues and its
 * arguments, "value" (the offending text as typed) among them when there is
 * one.
 */

/* ---- reading ---- */

/*
 * The current framework version as a tree:
 * {"version": {"code": "kflc-2013", "title": "...", "adopted": "2013-10-23" | null,
 *              "note": "..." | null, "provenance": "verified",
 *              "status": "published" | "draft", "is_current": true},
 *  "counts": {"parts": 3, "areas": 12, "features": 38, "measurements": N},
 *  "parts": [{"code": "1", "title": "...", "provenance": "verified",
 *    "areas": [{"code": "1.1", "title": "...", "provenance": "verified",
 *      "features": [{"code": "1.1.1", "title": "...", "provenance": "provisional",
 *        "measurements": [{"code": "1.1.1.a", "label": "...", "unit": "%" | null,
 *                          "direction": "higher_is_better" | "lower_is_better" | "neutral",
 *                          "type": "number" | "percentage" | "yes_no" | "maturity_0_4" | "text",
 *                          "goalpost_low": null | 0, "goalpost_high": null | 100,
 *                          "provenance": "provisional"}]}]}]}]}
 * Ordered by position. LC_ENOTFOUND when no version is loaded, LC_EDB.
 * Caller owns *out.
 */
int lc_framework_get(struct lc_db *db, const char *lang, json_t **out);

/*
 * As lc_framework_get for the version with this code (NULL: the current one).
 * With ids, every feature and measurement also carries its "id" (for the
 * admin pages). Drafts are returned too: callers decide who may see them.
 * LC_ENOTFOUND, LC_EDB. Caller owns *out.
 */
int lc_framework_get_version(struct lc_db *db, const char *code, const char *lang, bool ids,
                             json_t **out);

/*
 * The versions, the current one first, then drafts, then earlier ones (newest
 * first), page (1-based) of per_page:
 * {"items": [{"code", "title", "status", "is_current", "adopted", "based_on": code | null,
 *             "created_at": ISO | null, "published_at": ISO | null,
 *             "parts", "areas", "features", "measurements", "runs" (index runs using it),
 *             "href": "/admin/framework/CODE"}],
 *  "total", "page", "pages", "per_page"}.
 * With drafts false, drafts are left out. 0 or LC_EDB. Caller owns *out.
 */
int lc_framework_versions(struct lc_db *db, const char *lang, bool drafts, long page, long per_page,
                          json_t **out);

/*
 * What may be done with a version: *status "draft" or "published" (static
 * string), *frozen true when it may not be edited (published, or referenced
 * by index runs or observations), *why the reason (a static catalogue key, err_fw_...)
 * or NULL. 0, LC_ENOTFOUND, LC_EDB.
 */
int lc_framework_version_state(struct lc_db *db, const char *code, const char **status,
                               bool *frozen, const char **why);

/* ---- import and export ---- */

/*
 * The version with this code (NULL: current) in the JSON format of
 * data/kflc.json, every language. LC_ENOTFOUND, LC_EDB. Caller owns *out.
 */
int lc_framework_export_json(struct lc_db *db, const char *code, json_t **out);
/*
 * The same version as CSV (header LC_FRAMEWORK_CSV_COLUMNS, one row per
 * measurement, numbers exact, formula-like cells neutralised with a leading
 * quote which the import removes), appended to out. LC_ENOTFOUND, LC_EDB,
 * LC_ELIMIT (out is full).
 */
int lc_framework_export_csv(struct lc_db *db, const char *code, struct lc_buf *out);

enum lc_framework_format { LC_FRAMEWORK_JSON, LC_FRAMEWORK_CSV };

struct lc_framework_import_opts {
	enum lc_framework_format format;
	const char *code;  /* the new version's code; required for CSV, overrides JSON's */
	const char *title; /* its English title; NULL: JSON's, or the code for CSV */
};

/*
 * Imports a framework version from text (len bytes) as a new DRAFT, all or
 * nothing: every problem of the file goes to p (line, column, field, code, value)
 * and then nothing is written. Requires LC_ACT_EDIT_FRAMEWORK; audited
 * ("framework.import"). The new code is copied to code_out (size >= 33).
 * 0, LC_EAUTH/LC_EPERM, LC_EINVAL (problems in p), LC_ELIMIT (too large),
 * LC_EDB.
 */
int lc_framework_import(struct lc_db *db, const struct lc_actor *actor, const char *text,
                        size_t len, const struct lc_framework_import_opts *opts, char *code_out,
                        size_t code_size, struct lc_diag *p);

/*
 * Loads a framework version from JSON text in the format of data/kflc.json in
 * one transaction as a published version, and makes it the current version.
 * For `init` and the demo (no actor: reference data). A version whose code
 * already exists is left alone (returns 0). Problems go to d (field: the JSON
 * path): LC_EINVAL; LC_ELIMIT; LC_EDB on a database error.
 */
int lc_framework_load_json(struct lc_db *db, const char *text, size_t len, struct lc_diag *d);

/* ---- editing ---- */

/*
 * Copies version from (NULL: the current one) into a new draft with this code
 * and title (title_en NULL or empty: the original's title; title_fr may be
 * NULL). Problems (fields "version_code", "version_title_en") go to p.
 * Requires LC_ACT_EDIT_FRAMEWORK; audited ("framework.draft").
 * 0, LC_EAUTH/LC_EPERM, LC_ENOTFOUND (no such version), LC_EINVAL, LC_EDB.
 */
int lc_framework_draft_new(struct lc_db *db, const struct lc_actor *actor, const char *from,
                           const char *code, const char *title_en, const char *title_fr,
                           struct lc_diag *p);

/*
 * Publishes draft code: it becomes published and the current version (the
 * previous current one stays published, no longer current). A draft without
 * measurements is refused. Requires LC_ACT_EDIT_FRAMEWORK; audited
 * ("framework.publish"). 0, LC_EAUTH/LC_EPERM, LC_ENOTFOUND, LC_ECONFLICT
 * (not a draft; reason in p), LC_EINVAL (empty; in p), LC_EDB.
 */
int lc_framework_publish(struct lc_db *db, const struct lc_actor *actor, const char *code,
                         struct lc_diag *p);

/* A measurement as a form gives it: texts as typed; NULL or "" = empty. */
struct lc_framework_measure_form {
	const char *code;
	const char *label_en, *label_fr;
	const char *unit;
	const char *direction; /* higher_is_better, lower_is_better, neutral */
	const char *type;      /* number, percentage, yes_no, maturity_0_4, text */
	const char *goalpost_low, *goalpost_high; /* decimal numbers or empty */
	const char *status;                       /* verified, secondary, provisional */
};

/*
 * One measurement of draft version for its edit form:
 * {"id", "code", "label_en", "label_fr", "unit", "direction", "type",
 *  "goalpost_low", "goalpost_high" (texts, "" when none), "status",
 *  "feature": {"code", "title"}}. LC_ENOTFOUND (not in that version), LC_EDB.
 */
int lc_framework_measurement_get(struct lc_db *db, const char *version, int64_t id,
                                 const char *lang, json_t **out);

/*
 * Saves a measurement of draft version: id > 0 changes that one, id 0 adds one
 * at the end of the key feature feature_code. Labels in other languages than
 * English and French are kept. Problems name the form fields ("code",
 * "label_en", "goalpost_low", ...). Requires LC_ACT_EDIT_FRAMEWORK; audited
 * ("framework.measurement_edit" / "framework.measurement_add", before and
 * after). *id_out (may be NULL) gets the id. 0, LC_EAUTH/LC_EPERM,
 * LC_ENOTFOUND, LC_ECONFLICT (the version is frozen; reason in p),
 * LC_EINVAL (p), LC_EDB.
 */
int lc_framework_measurement_save(struct lc_db *db, const struct lc_actor *actor,
                                  const char *version, int64_t id, const char *feature_code,
                                  const struct lc_framework_measure_form *f, int64_t *id_out,
                                  struct lc_diag *p);

/*
 * Removes measurement id from draft version. Requires LC_ACT_EDIT_FRAMEWORK;
 * audited ("framework.measurement_remove", with what it was). 0,
 * LC_EAUTH/LC_EPERM, LC_ENOTFOUND, LC_ECONFLICT (frozen; reason in p), LC_EDB.
 */
int lc_framework_measurement_remove(struct lc_db *db, const struct lc_actor *actor,
                                    const char *version, int64_t id, struct lc_diag *p);

#endif
