/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Labels looked up by value: a table of a value's name ("submitted") and the
 * literal catalogue key that says it ("wf_state_submitted"), one table a
 * kind of value. A key is never composed from a prefix and a value at run
 * time, so scripts/check-catalogues.py sees every key a table names as
 * used, and a value the table lacks is said as it is rather than as a key.
 */
#ifndef LC_LABEL_H
#define LC_LABEL_H

#include <jansson.h>

struct lc_req;

/* A value's name and the catalogue key that says it. Tables end with a NULL name. */
struct lc_label {
	const char *name;
	const char *key;
};

/*
 * Every value a view-model's "status" member takes (a city's membership, a
 * year's review, a case study's curation), said as "status_<value>".
 */
extern const struct lc_label lc_label_status[];

/* The states of a case study's curation (library.c) and of a conference registration
 * (conference_registration.c, conference_admin.c), for their pages and the pipeline. */
extern const struct lc_label lc_label_library_states[];
extern const struct lc_label lc_label_conf_reg_states[];
/* A case study's target groups, languages, learning settings and kinds of evaluation
 * (library.c, library_form.c), in the order the form lists them. */
extern const struct lc_label lc_label_library_groups[];
extern const struct lc_label lc_label_library_langs[];
extern const struct lc_label lc_label_library_settings[];
extern const struct lc_label lc_label_library_evaluations[];
/* A session sign-up's states (domain/conference/programme_signup.c). */
extern const struct lc_label lc_label_signup_states[];

/* Every kind of role: "admin", "coordinator", ..., said as "role_<kind>". */
extern const struct lc_label lc_label_roles[];

/*
 * A role as people read it: "City coordinator (cork)" for "coordinator:cork",
 * "Administrator" for "admin". In the request's arena; never NULL.
 */
const char *lc_label_role(struct lc_req *req, const char *spec);

/* The key of name in table, or NULL (name NULL, or not in the table). */
const char *lc_label_key(const struct lc_label *table, const char *name);

/* The catalogue's text for name in table, else name itself; "" for NULL. Never NULL. */
const char *lc_label_text(const struct lc_req *req, const struct lc_label *table, const char *name);

/*
 * Adds "state_label" (lc_label_text of table) to v when v is an object with a
 * string member key, and to every such object inside v down to levels of
 * nested arrays and objects (0: v alone; 1: v and the items of a list). For
 * pages: a view-model's states said in the reader's language.
 */
void lc_label_states(const struct lc_req *req, json_t *v, const char *key,
                     const struct lc_label *table, int levels);

#endif
