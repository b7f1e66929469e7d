/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What application.c (the process, its guard and effect, the form's field
 * table) and application_form.c (saving, the pledge, views and lists) share
 * and no other module includes.
 */
#ifndef LC_APPLICATION_INTERNAL_H
#define LC_APPLICATION_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/limits.h"

struct lc_actor;
struct lc_db;
struct lc_diag;

/* How a field of the form is checked. */
enum lc_application_ftype {
	LC_APPLICATION_F_TEXT,
	LC_APPLICATION_F_EMAIL,
	LC_APPLICATION_F_LANG,
	LC_APPLICATION_F_INT,
	LC_APPLICATION_F_REAL,
	LC_APPLICATION_F_WORDS,
	LC_APPLICATION_F_LINKS,
	LC_APPLICATION_F_CHALLENGES
};

/* One field of the form: application.c's table lists them all. */
struct lc_application_field {
	const char *name; /* the JSON key and the column */
	enum lc_application_ftype type;
	double min, max; /* numbers */
};

/* An application's row as the form's functions read it. */
struct lc_application_row {
	int64_t call_id;
	char country[3];
	char city_name[LC_LIMIT_NAME_BYTES + 1];
	char city_key[LC_LIMIT_NAME_BYTES * 4 + 1];
	int64_t city_id;
	json_t *form; /* owned: every field, null when empty */
};

/* Checks one field's value; the value to store (new reference, json null clears) or NULL. */
json_t *lc_application_check_field(const struct lc_application_field *f, const json_t *v,
                                   struct lc_diag *d);
/* The field called name, or NULL. */
const struct lc_application_field *lc_application_field_named(const char *name);
/* Frees what r owns. */
void lc_application_row_cleanup(struct lc_application_row *r);
/* The row of application (workflow item) id in *r: 0, LC_ENOTFOUND or LC_EDB. */
int lc_application_load_row(struct lc_db *db, int64_t id, struct lc_application_row *r);
/* The form's missing answers, for submitting: one entry per field in d. */
void lc_application_check_complete(const json_t *form, struct lc_diag *d);
/* Whether application id has a signed pledge, in *yes: 0 or LC_EDB. */
int lc_application_pledge_exists(struct lc_db *db, int64_t id, bool *yes);
/* Whether a is the National Commission of country. */
bool lc_application_has_natcom(const struct lc_actor *a, const char *country);

#endif
