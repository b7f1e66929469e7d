/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The data-entry template of one city and year, to fill in offline and
 * upload back (domain/monitoring/obs_import.h reads it): one row per measurement of the
 * current framework with its code, label, unit, type and allowed values,
 * last year's value (the most recent earlier year that holds any value),
 * and the year's own value, source and note where already entered, so that
 * uploading an untouched template changes nothing.
 *
 * XLSX: a sheet "Data" with those columns (header bold and frozen) and a
 * hidden, protected sheet "meta" of key,value rows naming the city, the
 * year, last year and the framework version; the importer checks the city
 * and year against where the file is uploaded. CSV: the same columns, the
 * city and year given apart. Numbers are written so that they read back as
 * the same text: a canonical number (the shortest text of its double) as a
 * number cell, anything else as text. In CSV a source or note starting with
 * = + - @ gets a leading quote (formula injection), as every CSV export.
 *
 * Owns nothing; reads through domain/monitoring/observation.h and writes through
 * formats/xlsx_write.h. Local (contextualised) measurements are left out:
 * they are entered in the browser.
 */
#ifndef LC_OBS_TEMPLATE_H
#define LC_OBS_TEMPLATE_H

#include <stdbool.h>

struct lc_actor;
struct lc_buf;
struct lc_db;
struct lc_diag;

enum lc_obs_template_format {
	LC_OBS_TEMPLATE_CSV = 0,
	LC_OBS_TEMPLATE_XLSX,
};

/*
 * Appends the template of city_slug's year to out. The actor needs
 * LC_ACT_ENTER_OBSERVATIONS on the city (a template serves data entry).
 * *last_year (may be NULL) gets the year whose values fill the last_year
 * column, or 0 when there is none. Returns 0; LC_ENOTFOUND (no such city or
 * no framework), LC_EINVAL (year outside LC_OBS_YEAR_MIN..this year),
 * LC_EAUTH, LC_EPERM, LC_EDB, LC_ELIMIT (out's maximum), LC_EIO (the XLSX
 * writer's temporary file); problems a person should read go to d.
 */
int lc_obs_template(struct lc_db *db, const struct lc_actor *actor, const char *city_slug,
                    long year, enum lc_obs_template_format fmt, struct lc_buf *out, long *last_year,
                    struct lc_diag *d);

#endif
