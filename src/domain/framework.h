/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The monitoring framework (Key Features of Learning Cities) as data: versions,
 * parts, areas of focus, key features and their suggested measurements, every
 * row with its provenance. The official feature and measurement wording was not
 * available: what `init` loads from data/kflc.json marks parts and areas
 * verified and features and measurements provisional.
 */
#ifndef LC_FRAMEWORK_H
#define LC_FRAMEWORK_H

#include <stddef.h>

#include <jansson.h>

struct lc_db;
struct lc_diag;

/*
 * The current framework version as a tree:
 * {"version": {"code": "kflc-2013", "title": "...", "adopted": "2013-10-23" | null,
 *              "note": "..." | null, "provenance": "verified"},
 *  "counts": {"parts": 3, "areas": 12, "features": 38, "measurements": N},
 *  "parts": [{"code": "1", "title": "...", "provenance": "verified",
 *    "areas": [{"code": "1.1", "title": "...", "provenance": "verified",
 *      "features": [{"code": "1.1.1", "title": "...", "provenance": "provisional",
 *        "measurements": [{"code": "1.1.1.a", "label": "...", "unit": "%" | null,
 *                          "direction": "higher_is_better" | "lower_is_better" | "neutral",
 *                          "type": "number" | "percentage" | "yes_no" | "maturity_0_4" | "text",
 *                          "goalpost_low": null | 0, "goalpost_high": null | 100,
 *                          "provenance": "provisional"}]}]}]}]}
 * Ordered by code. LC_ENOTFOUND when no version is loaded, LC_EDB.
 * Caller owns *out.
 */
int lc_framework_get(struct lc_db *db, const char *lang, json_t **out);

/*
 * Loads a framework version from JSON text in the format of data/kflc.json
 * (documented there and in docs) in one transaction, and makes it the current
 * version. A version whose code already exists is left alone (returns 0):
 * editing a loaded version is future work. Problems go to d: LC_EINVAL;
 * LC_EDB on a database error.
 */
int lc_framework_load_json(struct lc_db *db, const char *text, size_t len, struct lc_diag *d);

#endif
