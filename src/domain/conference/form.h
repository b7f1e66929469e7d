/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A participant category's registration form as data, and the answers to it.
 *
 * A form is {"sections": [{"id", "title": {lang: text}, "show_if"?, "fields":
 * [{"id", "kind", "label": {lang: text}, "required"?, "options"?, "show_if"?,
 * "max_len"?}]}]}, where kind is text, choice (with "options": [{"value",
 * "label": {lang: text}}]), date (an ISO day), country (an ISO alpha-2 code
 * of the directory), file or consent (a box ticked: true), and show_if
 * {"field": id, "equals": value} shows a section or a field only when an
 * earlier field has that answer. Field ids are unique across the form.
 *
 * This module owns no table: categories store their form (category.h),
 * registrations their answers (registration.h).
 */
#ifndef LC_CONF_FORM_H
#define LC_CONF_FORM_H

#include <jansson.h>

struct lc_db;
struct lc_diag;

/*
 * Checks form (borrowed) and returns its normalised copy (labels as
 * {lang: text}, flags filled in), or NULL with every problem in d, each
 * with its field under prefix ("categories[2].form.sections[0].fields[1].kind").
 */
json_t *lc_conf_form_check(const json_t *form, const char *prefix, struct lc_diag *d);

/* The default form of a category: name, name in Latin letters, organisation, position,
 * city, country, dietary and accessibility needs, the participant list and the privacy
 * notice; press adds its card number. New reference. */
json_t *lc_conf_form_default(const char *category_code);

/*
 * Checks answers (borrowed; a JSON object {"field id": value}) against form:
 * every field shown (its condition met) and required has an answer, every
 * answer has the kind of its field, no answer names a field the form does
 * not have; answers to hidden fields are dropped. A file field takes no
 * answer through this call (uploads are separate). Returns the kept answers
 * (new reference), or NULL with every problem in d under "answers.<id>".
 * db checks countries against the directory.
 */
json_t *lc_conf_form_answers(struct lc_db *db, const json_t *form, const json_t *answers,
                             struct lc_diag *d);

/*
 * The form for a page or the API in lang: labels and titles as text,
 * options' labels too, each field with its "value" from answers (may be
 * NULL) and "is_<kind>" for templates, and "error" from errors ({"answers.<id>":
 * text}, may be NULL). New reference.
 */
json_t *lc_conf_form_view(const json_t *form, const json_t *answers, const json_t *errors,
                          const char *lang);

#endif
