/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Labels looked up by value in tables of literal catalogue keys (label.h). */
#include "web/routes/label.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "web/http.h"
#include "web/router.h"

const struct lc_label lc_label_roles[] = {
    {"admin", "role_admin"},
    {"coordinator", "role_coordinator"},
    {"natcom", "role_natcom"},
    {"jury", "role_jury"},
    {"participant", "role_participant"},
    {"expert", "role_expert"},
    {"checkin", "role_checkin"},
    {NULL, NULL},
};

const char *lc_label_role(struct lc_req *req, const char *spec)
{
	if (!spec)
		return "";
	const char *colon = strchr(spec, ':');
	char kind[32];
	snprintf(kind, sizeof kind, "%.*s", colon ? (int)(colon - spec) : (int)strlen(spec), spec);
	const char *label = lc_label_text(req, lc_label_roles, kind);
	return colon ? lc_arena_printf(req->arena, "%s (%s)", label, colon + 1) : label;
}

const struct lc_label lc_label_library_states[] = {
    {"draft", "library_state_draft"},
    {"submitted", "library_state_submitted"},
    {"changes_requested", "library_state_changes_requested"},
    {"published", "library_state_published"},
    {"declined", "library_state_declined"},
    {"withdrawn", "library_state_withdrawn"},
    {NULL, NULL},
};

const struct lc_label lc_label_library_groups[] = {
    {"children", "library_group_children"},
    {"youth", "library_group_youth"},
    {"adults", "library_group_adults"},
    {"older_people", "library_group_older_people"},
    {"women", "library_group_women"},
    {"migrants", "library_group_migrants"},
    {"refugees", "library_group_refugees"},
    {"disabled", "library_group_disabled"},
    {"unemployed", "library_group_unemployed"},
    {"low_literacy", "library_group_low_literacy"},
    {"families", "library_group_families"},
    {"teachers", "library_group_teachers"},
    {"workers", "library_group_workers"},
    {"rural", "library_group_rural"},
    {"indigenous", "library_group_indigenous"},
    {"everyone", "library_group_everyone"},
    {NULL, NULL},
};

const struct lc_label lc_label_library_langs[] = {
    {"ar", "library_lang_ar"},
    {"zh", "library_lang_zh"},
    {"en", "library_lang_en"},
    {"fr", "library_lang_fr"},
    {"ru", "library_lang_ru"},
    {"es", "library_lang_es"},
    {NULL, NULL},
};

const struct lc_label lc_label_library_settings[] = {
    {"formal", "library_setting_formal"},
    {"non_formal", "library_setting_non_formal"},
    {"informal", "library_setting_informal"},
    {"workplace", "library_setting_workplace"},
    {"family", "library_setting_family"},
    {"community", "library_setting_community"},
    {"online", "library_setting_online"},
    {"library", "library_setting_library"},
    {"museum", "library_setting_museum"},
    {"public_space", "library_setting_public_space"},
    {NULL, NULL},
};

const struct lc_label lc_label_library_evaluations[] = {
    {"none", "library_eval_none"},
    {"internal", "library_eval_internal"},
    {"external", "library_eval_external"},
    {"academic", "library_eval_academic"},
    {NULL, NULL},
};

const struct lc_label lc_label_conf_reg_states[] = {
    {"pending", "conf_state_pending"},
    {"approved", "conf_state_approved"},
    {"waitlisted", "conf_state_waitlisted"},
    {"offered", "conf_state_offered"},
    {"rejected", "conf_state_rejected"},
    {"withdrawn", "conf_state_withdrawn"},
    {"cancelled", "conf_state_cancelled"},
    {"expired", "conf_state_expired"},
    {NULL, NULL},
};

const struct lc_label lc_label_signup_states[] = {
    {"signed_up", "signup_state_signed_up"}, {"waitlisted", "signup_state_waitlisted"},
    {"offered", "signup_state_offered"},     {"withdrawn", "signup_state_withdrawn"},
    {"expired", "signup_state_expired"},     {NULL, NULL},
};

const struct lc_label lc_label_status[] = {
    {"member", "status_member"},       {"lapsed", "status_lapsed"},
    {"suspended", "status_suspended"}, {"withdrawn", "status_withdrawn"},
    {"applicant", "status_applicant"}, {"unknown", "status_unknown"},
    {"draft", "status_draft"},         {"submitted", "status_submitted"},
    {"returned", "status_returned"},   {"approved", "status_approved"},
    {"published", "status_published"}, {NULL, NULL},
};

const char *lc_label_key(const struct lc_label *table, const char *name)
{
	for (const struct lc_label *l = table; name && l && l->name; l++)
		if (strcmp(l->name, name) == 0)
			return l->key;
	return NULL;
}

const char *lc_label_text(const struct lc_req *req, const struct lc_label *table, const char *name)
{
	const char *key = lc_label_key(table, name);
	/* The request's catalogue, as lc_site_t reads it (site.h sits above this module). */
	const json_t *v = key && req->t ? json_object_get(req->t, key) : NULL;
	if (json_is_string(v))
		return json_string_value(v);
	/* A value the table does not list yet: its name rather than nothing. */
	return key ? key : name ? name : "";
}

void lc_label_states(const struct lc_req *req, json_t *v, const char *key,
                     const struct lc_label *table, int levels)
{
	if (json_is_object(v)) {
		const char *s = json_string_value(json_object_get(v, key));
		if (s)
			json_object_set_new(v, "state_label",
			                    json_string(lc_label_text(req, table, s)));
	}
	if (levels <= 0)
		return;
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x)
		{
			if (json_is_array(x) || json_is_object(x))
				lc_label_states(req, x, key, table, levels - 1);
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) lc_label_states(req, x, key, table, levels - 1);
	}
}
