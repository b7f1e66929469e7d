/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Membership applications (application.h): the process table, its guard
 * and effect, and the form's fields as a table (name, type, bounds) with
 * their checks. Saving the form, the pledge, views and lists are
 * application_form.c.
 */
#include "domain/workflow/application.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/catalogue.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/accounts/account.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/workflow/call.h"
#include "domain/directory/city.h"
#include "domain/platform/clock.h"
#include "domain/workflow/membership.h"
#include "domain/platform/outbox.h"
#include "domain/accounts/role.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"
#include "formats/filetype.h"
#include "domain/workflow/application_internal.h"

/* ---- the process ----------------------------------------------------------------------------- */

/* True when code is one of the interface's languages (i18n/languages.json), exactly. */
static bool language_ok(const char *code)
{
	const char *known = lc_catalogue_supported(lc_catalogue_shared(), lc_slice_cstr(code));
	return known && strcmp(known, code) == 0;
}
static const struct lc_wf_state states[] = {
    {.name = "draft", .waits_on = LC_WF_TELL_OWNER},
    {.name = "submitted",
     .due_days = 30,
     .remind_days = {14, 7},
     .remind = LC_WF_TELL_NATCOM,
     .on_due = "escalate",
     .waits_on = LC_WF_TELL_NATCOM},
    {.name = "escalated", .waits_on = LC_WF_TELL_NATCOM | LC_WF_TELL_SECRETARIAT},
    {.name = "screening", .waits_on = LC_WF_TELL_SECRETARIAT},
    {.name = "info_requested", .waits_on = LC_WF_TELL_OWNER},
    {.name = "jury_review", .waits_on = LC_WF_TELL_EXPERTS},
    {.name = "recommended", .waits_on = LC_WF_TELL_SECRETARIAT},
    {.name = "not_recommended", .waits_on = LC_WF_TELL_SECRETARIAT},
    {.name = "approved", .terminal = true},
    {.name = "rejected", .terminal = true},
    {.name = "declined", .terminal = true},
    {.name = "withdrawn", .terminal = true},
};

#define OWNER_STEP LC_ACT_APPLY_MEMBERSHIP, LC_WF_OWNER
#define TELL_ALL   (LC_WF_TELL_OWNER | LC_WF_TELL_SECRETARIAT)

static const struct lc_wf_transition transitions[] = {
    {"submit", "draft", "submitted", OWNER_STEP, LC_WF_TELL_NATCOM | TELL_ALL},
    {"endorse", "submitted", "screening", LC_ACT_ENDORSE_FOR_COUNTRY, 0, TELL_ALL},
    {"decline", "submitted", "declined", LC_ACT_ENDORSE_FOR_COUNTRY, LC_WF_REASON, TELL_ALL},
    {"escalate", "submitted", "escalated", LC_ACT_SCREEN_APPLICATION, LC_WF_CLOCK,
     LC_WF_TELL_NATCOM | LC_WF_TELL_SECRETARIAT},
    {"endorse", "escalated", "screening", LC_ACT_ENDORSE_FOR_COUNTRY, 0, TELL_ALL},
    {"decline", "escalated", "declined", LC_ACT_ENDORSE_FOR_COUNTRY, LC_WF_REASON, TELL_ALL},
    {"return", "screening", "info_requested", LC_ACT_SCREEN_APPLICATION, LC_WF_REASON,
     LC_WF_TELL_OWNER},
    {"answer", "info_requested", "screening", LC_ACT_APPLY_MEMBERSHIP, LC_WF_OWNER | LC_WF_REASON,
     LC_WF_TELL_SECRETARIAT},
    {"to_jury", "screening", "jury_review", LC_ACT_SCREEN_APPLICATION, 0,
     LC_WF_TELL_EXPERTS | LC_WF_TELL_OWNER},
    {"reject", "screening", "rejected", LC_ACT_SCREEN_APPLICATION, LC_WF_REASON, TELL_ALL},
    {"recommend", "jury_review", "recommended", LC_ACT_RECOMMEND_MEMBERSHIP, 0,
     LC_WF_TELL_SECRETARIAT},
    {"advise_against", "jury_review", "not_recommended", LC_ACT_RECOMMEND_MEMBERSHIP, LC_WF_REASON,
     LC_WF_TELL_SECRETARIAT},
    {"approve", "recommended", "approved", LC_ACT_DECIDE_MEMBERSHIP, LC_WF_REASON,
     TELL_ALL | LC_WF_TELL_NATCOM},
    {"reject", "recommended", "rejected", LC_ACT_DECIDE_MEMBERSHIP, LC_WF_REASON, TELL_ALL},
    {"approve", "not_recommended", "approved", LC_ACT_DECIDE_MEMBERSHIP, LC_WF_REASON,
     TELL_ALL | LC_WF_TELL_NATCOM},
    {"reject", "not_recommended", "rejected", LC_ACT_DECIDE_MEMBERSHIP, LC_WF_REASON, TELL_ALL},
    /* The owner may withdraw at any time before a decision. */
    {"withdraw", "draft", "withdrawn", OWNER_STEP, 0},
    {"withdraw", "submitted", "withdrawn", OWNER_STEP, TELL_ALL | LC_WF_TELL_NATCOM},
    {"withdraw", "escalated", "withdrawn", OWNER_STEP, TELL_ALL | LC_WF_TELL_NATCOM},
    {"withdraw", "screening", "withdrawn", OWNER_STEP, TELL_ALL},
    {"withdraw", "info_requested", "withdrawn", OWNER_STEP, TELL_ALL},
    {"withdraw", "jury_review", "withdrawn", OWNER_STEP, TELL_ALL},
    {"withdraw", "recommended", "withdrawn", OWNER_STEP, TELL_ALL},
    {"withdraw", "not_recommended", "withdrawn", OWNER_STEP, TELL_ALL},
};

static int guard(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
                 const struct lc_wf_transition *t, struct lc_diag *d);
static int effect(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
                  const struct lc_wf_transition *t, const char *reason, struct lc_diag *d);
static void title(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n);
static void city_name(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n);

const struct lc_wf_process lc_application_process = {
    .name = "application",
    .initial = "draft",
    .states = states,
    .nstates = sizeof states / sizeof states[0],
    .transitions = transitions,
    .ntransitions = sizeof transitions / sizeof transitions[0],
    .path_fmt = "/applications/%lld",
    .guard = guard,
    .effect = effect,
    .title = title,
    .may_view = lc_application_may_view,
    .city_name = city_name,
};

/* ---- challenge areas ------------------------------------------------------------------------- */

const struct lc_challenge_area lc_challenge_areas[] = {
    {"inclusion", "Equity and inclusion in learning"},
    {"literacy", "Literacy and basic skills"},
    {"employability", "Skills for work and entrepreneurship"},
    {"health", "Health and well-being"},
    {"sustainability", "Education for sustainable development"},
    {"citizenship", "Global citizenship and social cohesion"},
    {"digital", "Digital learning"},
    {"governance", "Governance, partnerships and funding"},
};
const size_t lc_challenge_area_count = sizeof lc_challenge_areas / sizeof lc_challenge_areas[0];

static bool challenge_known(const char *code)
{
	for (size_t i = 0; i < lc_challenge_area_count; i++)
		if (strcmp(lc_challenge_areas[i].code, code) == 0)
			return true;
	return false;
}

/* ---- the form's fields ----------------------------------------------------------------------- */

static const struct lc_application_field fields[] = {
    {"city_name", LC_APPLICATION_F_TEXT, 0, 0},
    {"mayor_name", LC_APPLICATION_F_TEXT, 0, 0},
    {"mayor_title", LC_APPLICATION_F_TEXT, 0, 0},
    {"contact_name", LC_APPLICATION_F_TEXT, 0, 0},
    {"contact_email", LC_APPLICATION_F_EMAIL, 0, 0},
    {"language", LC_APPLICATION_F_LANG, 0, 0},
    {"data_year", LC_APPLICATION_F_INT, 1990, 2999},
    {"population", LC_APPLICATION_F_INT, 1, 1e10},
    {"area_km2", LC_APPLICATION_F_REAL, 0.01, 1e6},
    {"gdp_city_usd", LC_APPLICATION_F_REAL, 0, 1e7},
    {"gdp_country_usd", LC_APPLICATION_F_REAL, 0, 1e7},
    {"schooling_men", LC_APPLICATION_F_REAL, 0, 30},
    {"schooling_women", LC_APPLICATION_F_REAL, 0, 30},
    {"motivation", LC_APPLICATION_F_WORDS, 0, 0},
    {"implementation", LC_APPLICATION_F_WORDS, 0, 0},
    {"links", LC_APPLICATION_F_LINKS, 0, 0},
    {"challenges", LC_APPLICATION_F_CHALLENGES, 0, 0},
};
#define NFIELDS (sizeof fields / sizeof fields[0])
#define FORM_COLS                                                                                  \
	"city_name, mayor_name, mayor_title, contact_name, contact_email, language, data_year,"    \
	" population, area_km2, gdp_city_usd, gdp_country_usd, schooling_men, schooling_women,"    \
	" motivation, implementation, links, challenges"

/* The smallest population of a city of the network (DOMAIN.md). */
#define MIN_POPULATION 10000
#define LINK_BYTES     500

size_t lc_application_words(const char *s)
{
	size_t n = 0;
	bool in = false;
	for (; s && *s; s++) {
		bool blank =
		    *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v';
		if (!blank && !in)
			n++;
		in = !blank;
	}
	return n;
}

/* Printable UTF-8 of 1..max bytes (newlines allowed when multiline). */
static bool text_ok(const char *s, size_t max, bool multiline)
{
	size_t n = strlen(s);
	if (n > max || !lc_utf8_valid(s, n))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) ||
		    c == 0x7f)
			return false;
	}
	return true;
}

static bool link_ok(const char *s, size_t n)
{
	if (n > LINK_BYTES || !(strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0))
		return false;
	size_t host = s[4] == 's' ? 8 : 7;
	if (n <= host)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\')
			return false;
	}
	return true;
}

/* A number from a JSON number or a numeric string; *empty for "", null. */
static bool number_of(const json_t *v, double *out, bool *empty)
{
	*empty = false;
	if (json_is_null(v)) {
		*empty = true;
		return true;
	}
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return isfinite(*out);
	}
	if (!json_is_string(v))
		return false;
	const char *s = json_string_value(v);
	while (*s == ' ')
		s++;
	if (!*s) {
		*empty = true;
		return true;
	}
	char buf[64];
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	if (n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (buf[i] == ',') /* "1,5" as written in French */
			buf[i] = '.';
	char *end = NULL;
	*out = strtod(buf, &end);
	return end && *end == '\0' && isfinite(*out);
}

/* Links from an array or a text of one a line; a new array, or NULL with a problem in d. */
static json_t *links_of(const json_t *v, struct lc_diag *d)
{
	json_t *out = json_array();
	if (json_is_null(v))
		return out;
	if (json_is_array(v)) {
		size_t i;
		const json_t *e;
		json_array_foreach(v, i, e)
		{
			const char *s = json_string_value(e);
			if (!s || !link_ok(s, strlen(s))) {
				lc_diag_add(d, NULL, 0, 0, "links",
				            "err_app_each_web_address_starting");
				json_decref(out);
				return NULL;
			}
			json_array_append_new(out, json_string(s));
		}
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		while (*s) {
			size_t n = strcspn(s, "\r\n");
			size_t a = 0, b = n;
			while (a < b && (s[a] == ' ' || s[a] == '\t'))
				a++;
			while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
				b--;
			if (b > a) {
				if (!link_ok(s + a, b - a)) {
					lc_diag_add(d, NULL, 0, 0, "links",
					            "err_app_each_web_address_starting");
					json_decref(out);
					return NULL;
				}
				json_array_append_new(out, json_stringn(s + a, b - a));
			}
			s += n;
			while (*s == '\r' || *s == '\n')
				s++;
		}
	} else {
		lc_diag_add(d, NULL, 0, 0, "links", "err_app_list_web_addresses");
		json_decref(out);
		return NULL;
	}
	if (json_array_size(out) > LC_LIMIT_APPLICATION_LINKS) {
		lc_diag_addf(d, NULL, 0, 0, "links", "err_app_may_list_most_web",
		             LC_ARG_I("limit", LC_LIMIT_APPLICATION_LINKS));
		json_decref(out);
		return NULL;
	}
	return out;
}

static json_t *challenges_of(const json_t *v, struct lc_diag *d)
{
	json_t *out = json_object();
	if (json_is_null(v))
		return out;
	if (!json_is_object(v)) {
		lc_diag_add(d, NULL, 0, 0, "challenges", "err_app_rate_each_challenge_1");
		json_decref(out);
		return NULL;
	}
	const char *k;
	const json_t *e;
	json_object_foreach((json_t *)v, k, e)
	{
		double x = 0;
		bool empty = false;
		if (!challenge_known(k)) {
			lc_diag_add(d, NULL, 0, 0, "challenges",
			            "err_app_names_unknown_challenge_area");
			json_decref(out);
			return NULL;
		}
		if (!number_of(e, &x, &empty) || (!empty && (x != floor(x) || x < 1 || x > 5))) {
			char f[64];
			snprintf(f, sizeof f, "challenge_%s", k);
			lc_diag_add(d, NULL, 0, 0, f, "err_app_rating_1_5");
			json_decref(out);
			return NULL;
		}
		if (!empty)
			json_object_set_new(out, k, json_integer((json_int_t)x));
	}
	return out;
}

/* Checks one field's value; the value to store (new reference, json null clears) or NULL. */
json_t *lc_application_check_field(const struct lc_application_field *f, const json_t *v,
                                   struct lc_diag *d)
{
	double x = 0;
	bool empty = false;
	switch (f->type) {
	case LC_APPLICATION_F_TEXT:
	case LC_APPLICATION_F_EMAIL:
	case LC_APPLICATION_F_LANG:
	case LC_APPLICATION_F_WORDS: {
		if (json_is_null(v))
			return json_string("");
		const char *s = json_string_value(v);
		if (!s) {
			lc_diag_add(d, NULL, 0, 0, f->name, "err_app_text");
			return NULL;
		}
		/* Surrounding blanks are noise from copying and pasting. */
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		size_t n = strlen(s);
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
		             s[n - 1] == '\r'))
			n--;
		char *t = lc_xstrndup(s, n);
		json_t *r = NULL;
		if (f->type == LC_APPLICATION_F_TEXT && !text_ok(t, LC_LIMIT_NAME_BYTES, false)) {
			lc_diag_add(d, NULL, 0, 0, f->name, "err_app_most_200_bytes_text");
		} else if (f->type == LC_APPLICATION_F_EMAIL && n) {
			char norm[LC_LIMIT_EMAIL_BYTES + 1];
			if (lc_account_email_normalise(t, n, norm, sizeof norm) != 0)
				lc_diag_add(d, NULL, 0, 0, f->name,
				            "err_account_valid_e_mail_address");
			else
				r = json_string(norm);
		} else if (f->type == LC_APPLICATION_F_LANG && n && !language_ok(t)) {
			struct lc_buf codes;
			lc_buf_init(&codes, LC_LIMIT_NAME_BYTES);
			lc_catalogue_list_codes(lc_catalogue_shared(), &codes);
			lc_diag_addf(d, NULL, 0, 0, f->name, "err_app_language",
			             LC_ARG_S("choices", lc_buf_cstr(&codes)));
			lc_buf_cleanup(&codes);
		} else if (f->type == LC_APPLICATION_F_WORDS &&
		           !text_ok(t, LC_LIMIT_TEXT_BYTES, true)) {
			lc_diag_add(d, NULL, 0, 0, f->name,
			            "err_app_text_without_control_characters");
		} else if (f->type == LC_APPLICATION_F_WORDS &&
		           lc_application_words(t) > LC_LIMIT_APPLICATION_WORDS) {
			lc_diag_addf(d, NULL, 0, 0, f->name, "err_app_has_words_most_allowed",
			             LC_ARG_I("value", lc_application_words(t)),
			             LC_ARG_I("limit", LC_LIMIT_APPLICATION_WORDS));
		} else if (!r) {
			r = json_string(t);
		}
		lc_free(t);
		return r;
	}
	case LC_APPLICATION_F_INT:
	case LC_APPLICATION_F_REAL:
		if (!number_of(v, &x, &empty)) {
			lc_diag_add(d, NULL, 0, 0, f->name, "err_app_number");
			return NULL;
		}
		if (empty)
			return json_null();
		if (f->type == LC_APPLICATION_F_INT && x != floor(x)) {
			lc_diag_add(d, NULL, 0, 0, f->name, "err_app_whole_number");
			return NULL;
		}
		if (x < f->min || x > f->max) {
			lc_diag_addf(d, NULL, 0, 0, f->name, "err_app_between",
			             LC_ARG_G("min", f->min), LC_ARG_G("max", f->max));
			return NULL;
		}
		return f->type == LC_APPLICATION_F_INT ? json_integer((json_int_t)x) : json_real(x);
	case LC_APPLICATION_F_LINKS: return links_of(v, d);
	case LC_APPLICATION_F_CHALLENGES: return challenges_of(v, d);
	}
	return NULL;
}

/*
 * Column i, the links as stored (a JSON array text), parsed; an empty array when NULL
 * or not an array. (lc_row_object is for objects: it turned the list into {}, and the
 * links were lost on the page and in the API.) New reference.
 */
static json_t *links_row(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	int n = sqlite3_column_bytes(st, i);
	json_t *j = t && n > 0 ? json_loadb(t, (size_t)n, 0, NULL) : NULL;
	if (!json_is_array(j)) {
		json_decref(j);
		return json_array();
	}
	return j;
}

const struct lc_application_field *lc_application_field_named(const char *name)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

/* ---- rows ------------------------------------------------------------------------------------ */

void lc_application_row_cleanup(struct lc_application_row *r)
{
	json_decref(r->form);
	r->form = NULL;
}

int lc_application_load_row(struct lc_db *db, int64_t id, struct lc_application_row *r)
{
	memset(r, 0, sizeof *r);
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT call_id, country, city_key, city_id, " FORM_COLS
	                                  " FROM applications WHERE item_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		r->call_id = sqlite3_column_int64(st, 0);
		snprintf(r->country, sizeof r->country, "%s", lc_db_text(st, 1));
		snprintf(r->city_key, sizeof r->city_key, "%s", lc_db_text(st, 2));
		r->city_id = sqlite3_column_int64(st, 3);
		r->form = json_object();
		for (size_t i = 0; i < NFIELDS; i++) {
			const struct lc_application_field *f = &fields[i];
			int c = 4 + (int)i;
			json_t *v;
			switch (f->type) {
			case LC_APPLICATION_F_INT: v = lc_row_int(st, c); break;
			case LC_APPLICATION_F_REAL: v = lc_row_real(st, c); break;
			case LC_APPLICATION_F_LINKS: v = links_row(st, c); break;
			case LC_APPLICATION_F_CHALLENGES: v = lc_row_object(st, c); break;
			default: {
				const char *s = lc_db_text(st, c);
				v = s && *s ? json_string(s) : json_null();
			}
			}
			json_object_set_new(r->form, f->name, v ? v : json_null());
		}
		const char *cn = json_string_value(json_object_get(r->form, "city_name"));
		snprintf(r->city_name, sizeof r->city_name, "%s", cn ? cn : "");
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

/* The form's missing answers, for submitting: one entry per field in d. */
void lc_application_check_complete(const json_t *form, struct lc_diag *d)
{
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct lc_application_field *f = &fields[i];
		const json_t *v = json_object_get(form, f->name);
		if (f->type == LC_APPLICATION_F_LINKS)
			continue; /* links are optional */
		if (f->type == LC_APPLICATION_F_CHALLENGES) {
			for (size_t k = 0; k < lc_challenge_area_count; k++) {
				if (json_object_get(v, lc_challenge_areas[k].code))
					continue;
				lc_diag_add(d, NULL, 0, 0, "challenges",
				            "err_app_rate_every_challenge_area");
				break;
			}
			continue;
		}
		if (!v || json_is_null(v) || (json_is_string(v) && !json_string_length(v)))
			lc_diag_add(d, NULL, 0, 0, f->name, "err_account_required");
	}
	const json_t *pop = json_object_get(form, "population");
	if (json_is_integer(pop) && json_integer_value(pop) < MIN_POPULATION)
		lc_diag_add(d, NULL, 0, 0, "population", "err_app_least_10_000_inhabitants");
}

int lc_application_pledge_exists(struct lc_db *db, int64_t id, bool *yes)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT 1 FROM application_pledges WHERE item_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	*yes = rc == 1;
	return rc < 0 ? rc : 0;
}

bool lc_application_has_natcom(const struct lc_actor *a, const char *country)
{
	for (size_t i = 0; a && a->kind == LC_ACTOR_ACCOUNT && i < a->nroles; i++)
		if (a->roles[i].kind == LC_ROLE_NATCOM && strcmp(a->roles[i].country, country) == 0)
			return true;
	return false;
}

/* ---- guard and effect ------------------------------------------------------------------------ */

static int guard_submit(struct lc_db *db, const struct lc_wf_item *item, bool need_window,
                        struct lc_diag *d)
{
	struct lc_application_row r;
	struct lc_call call;
	int err = lc_application_load_row(db, item->id, &r);
	if (err)
		return err;
	err = lc_call_get(db, r.call_id, &call);
	if (err)
		goto out;
	char today[11];
	lc_clock_date(lc_clock_now(), today);
	if (need_window && strcmp(today, call.opens) < 0) {
		lc_diag_addf(d, NULL, 0, 0, "call", "err_app_call_opens",
		             LC_ARG_S("opens", call.opens));
		err = LC_ECONFLICT;
		goto out;
	}
	if (need_window && strcmp(today, call.closes) > 0) {
		lc_diag_addf(d, NULL, 0, 0, "call", "err_app_call_closed",
		             LC_ARG_S("closes", call.closes));
		err = LC_ECONFLICT;
		goto out;
	}
	size_t before = lc_diag_total(d);
	lc_application_check_complete(r.form, d);
	bool pledge = false;
	err = lc_application_pledge_exists(db, item->id, &pledge);
	if (err)
		goto out;
	if (!pledge)
		lc_diag_add(d, NULL, 0, 0, "pledge", "err_app_required_upload_signed_pledge");
	if (lc_diag_total(d) > before) {
		err = LC_EINVAL;
		goto out;
	}
	/* One city, one application per call: a declined or rejected one stays decided. */
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT w.state FROM applications a"
	                                  " JOIN wf_items w ON w.id = a.item_id"
	                                  " WHERE a.call_id = ?1 AND a.country = ?2"
	                                  " AND a.city_key = ?3 AND a.item_id <> ?4"
	                                  " AND w.state NOT IN ('draft', 'withdrawn')"
	                                  " ORDER BY w.state IN ('declined', 'rejected') DESC");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, r.call_id);
	lc_db_bind_text(st, 2, r.country);
	lc_db_bind_text(st, 3, r.city_key);
	sqlite3_bind_int64(st, 4, item->id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		const char *s = lc_db_text(st, 0);
		if (s && (strcmp(s, "declined") == 0 || strcmp(s, "rejected") == 0))
			lc_diag_addf(d, NULL, 0, 0, "city_name",
			             "err_app_application_city_was_call",
			             LC_ARG_K("value", strcmp(s, "declined") == 0
			                                   ? "application_state_declined"
			                                   : "application_state_rejected"));
		else
			lc_diag_add(d, NULL, 0, 0, "city_name",
			            "err_app_city_already_has_application");
	}
	lc_db_release(db, st);
	err = rc < 0 ? rc : rc == 1 ? LC_ECONFLICT : 0;
out:
	lc_application_row_cleanup(&r);
	return err;
}

static int guard_endorse(struct lc_db *db, const struct lc_actor *actor,
                         const struct lc_wf_item *item, bool decline, struct lc_diag *d)
{
	/* The commission has its month; the secretariat steps in after the escalation. */
	if (strcmp(item->state, "submitted") == 0 && actor->kind == LC_ACTOR_ACCOUNT &&
	    !lc_application_has_natcom(actor, item->country)) {
		lc_diag_add(d, NULL, 0, 0, "to", "err_app_national_commission_decides_first");
		return LC_ECONFLICT;
	}
	if (decline)
		return 0;
	struct lc_application_row r;
	struct lc_call call;
	int err = lc_application_load_row(db, item->id, &r);
	if (!err)
		err = lc_call_get(db, r.call_id, &call);
	lc_application_row_cleanup(&r);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT count(*) FROM applications a"
	                                  " JOIN wf_items w ON w.id = a.item_id"
	                                  " WHERE a.call_id = ?1 AND a.country = ?2"
	                                  " AND a.item_id <> ?3 AND w.state <> 'withdrawn'"
	                                  " AND EXISTS (SELECT 1 FROM wf_history h"
	                                  "  WHERE h.item_id = a.item_id"
	                                  "  AND h.transition = 'endorse')");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, call.id);
	lc_db_bind_text(st, 2, item->country);
	sqlite3_bind_int64(st, 3, item->id);
	int rc = lc_db_step(db, st);
	long n = rc == 1 ? (long)sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (n >= call.cap) {
		lc_diag_addf(d, NULL, 0, 0, "to", "err_app_applications_endorsed_call_already",
		             LC_ARG_I("count", n), LC_ARG_S("country", item->country),
		             LC_ARG_I("cap", call.cap));
		return LC_ECONFLICT;
	}
	return 0;
}

/*
 * Approving never takes over a city that is a member or suspended: its
 * coordinators and data stay theirs (a suspended city is reinstated on its
 * own page, not by a new application). Checked in the step's transaction.
 */
static int guard_approve(struct lc_db *db, const struct lc_wf_item *item, struct lc_diag *d)
{
	struct lc_application_row r;
	int err = lc_application_load_row(db, item->id, &r);
	json_t *m = NULL;
	if (!err)
		err = lc_city_match(db, r.city_name, r.country, &m);
	const char *st = json_string_value(json_object_get(m, "status"));
	if (!err && st && (strcmp(st, "member") == 0 || strcmp(st, "suspended") == 0)) {
		lc_diag_add(d, NULL, 0, 0, "to",
		            strcmp(st, "member") == 0 ? "err_app_city_member"
		                                      : "err_app_city_suspended");
		err = LC_ECONFLICT;
	}
	json_decref(m);
	lc_application_row_cleanup(&r);
	return err;
}

static int guard(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
                 const struct lc_wf_transition *t, struct lc_diag *d)
{
	if (strcmp(t->name, "approve") == 0)
		return guard_approve(db, item, d);
	if (strcmp(t->name, "submit") == 0)
		return guard_submit(db, item, true, d);
	if (strcmp(t->name, "answer") == 0)
		return guard_submit(db, item, false, d);
	if (strcmp(t->name, "endorse") == 0 || strcmp(t->name, "decline") == 0)
		return guard_endorse(db, actor, item, strcmp(t->name, "decline") == 0, d);
	return 0;
}

/*
 * A coordinator role is never granted silently: an audit row names the
 * application, the city and whether it existed before, the applicant is told
 * by e-mail, and so are the city's other coordinators when an existing city
 * was linked.
 */
static int tell_coordinator(struct lc_db *db, const struct lc_actor *actor,
                            const struct lc_wf_item *item, int64_t city, bool existing)
{
	char name[LC_LIMIT_NAME_BYTES + 1] = "a city", slug[128] = "";
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT coalesce(json_extract(name, '$.en'), slug), slug"
	                                  " FROM cities WHERE id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, city);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		snprintf(name, sizeof name, "%s", lc_db_text(st, 0));
		snprintf(slug, sizeof slug, "%s", lc_db_text(st, 1));
	}
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	json_t *after =
	    json_pack("{s:I,s:s,s:I,s:b}", "application", (json_int_t)item->id, "city", slug,
	              "account", (json_int_t)item->owner_id, "existing_city", existing);
	int err = lc_audit_append_id(db, actor, "application.coordinator", "account",
	                             item->owner_id, NULL, after, NULL);
	json_decref(after);
	if (err)
		return err;
	/* The applicant, then (an existing city only) its other coordinators. */
	st = lc_db_stmt(db, "SELECT a.email, a.id = ?2 FROM accounts a WHERE a.status = 'active'"
	                    " AND (a.id = ?2 OR (?3 AND a.id IN (SELECT account_id FROM role_grants"
	                    " WHERE role = 'coordinator' AND city_id = ?1)))"
	                    " ORDER BY a.id = ?2 DESC, a.id LIMIT ?4");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, city);
	sqlite3_bind_int64(st, 2, item->owner_id);
	sqlite3_bind_int(st, 3, existing);
	sqlite3_bind_int(st, 4, LC_LIMIT_WF_RECIPIENTS);
	char to[LC_LIMIT_WF_RECIPIENTS][LC_LIMIT_EMAIL_BYTES + 1];
	bool own[LC_LIMIT_WF_RECIPIENTS];
	size_t n = 0;
	while (n < LC_LIMIT_WF_RECIPIENTS && lc_db_next(db, st, &rc)) {
		snprintf(to[n], sizeof to[n], "%s", lc_db_text(st, 0));
		own[n++] = sqlite3_column_int(st, 1) != 0;
	}
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	for (size_t i = 0; !err && i < n; i++) {
		json_t *vars = json_pack("{s:s,s:I,s:b}", "city", name, "id", (json_int_t)item->id,
		                         "existing", existing);
		err = lc_outbox_mail(db, actor, to[i],
		                     own[i] ? "coordinator_own" : "coordinator_other", vars, NULL,
		                     NULL);
		json_decref(vars);
	}
	return err;
}

static int effect(struct lc_db *db, const struct lc_actor *actor, const struct lc_wf_item *item,
                  const struct lc_wf_transition *t, const char *reason, struct lc_diag *d)
{
	if (strcmp(t->name, "approve") != 0)
		return 0;
	struct lc_application_row r;
	int err = lc_application_load_row(db, item->id, &r);
	if (err)
		return err;
	const json_t *f = r.form;
	struct lc_city_new in = {
	    .name = r.city_name,
	    .country = r.country,
	    .population = (long)json_integer_value(json_object_get(f, "population")),
	    .population_year = (long)json_integer_value(json_object_get(f, "data_year")),
	    .area_km2 = json_number_value(json_object_get(f, "area_km2")),
	};
	int64_t city = 0;
	bool created = false;
	err = lc_city_create(db, actor, &in, &city, &created);
	if (!err)
		err = lc_membership_admit(db, actor, city, reason);
	if (!err && item->owner_id) {
		struct lc_role role = {.kind = LC_ROLE_COORDINATOR, .city_id = city};
		err = lc_role_grant(db, actor, item->owner_id, &role);
		if (err == LC_ELIMIT)
			lc_diag_add(d, NULL, 0, 0, "to", "err_app_applicant_holds_too_many");
		if (!err)
			err = tell_coordinator(db, actor, item, city, !created);
	}
	if (!err) {
		sqlite3_stmt *st =
		    lc_db_stmt(db, "UPDATE applications SET city_id = ?2 WHERE item_id = ?1");
		if (!st) {
			err = LC_EDB;
		} else {
			sqlite3_bind_int64(st, 1, item->id);
			sqlite3_bind_int64(st, 2, city);
			err = lc_db_step(db, st);
			lc_db_release(db, st);
			err = err < 0 ? err : 0;
		}
	}
	lc_application_row_cleanup(&r);
	return err;
}

static void title(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	struct lc_application_row r;
	if (lc_application_load_row(db, item->id, &r) == 0 && r.city_name[0])
		snprintf(out, n, "Application of %s (%s)", r.city_name, item->country);
	else
		snprintf(out, n, "Application #%lld (%s)", (long long)item->id, item->country);
	lc_application_row_cleanup(&r);
}

/* The city the application names, as the applicant wrote it ("" when not yet). */
static void city_name(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	struct lc_application_row r;
	snprintf(out, n, "%s", lc_application_load_row(db, item->id, &r) == 0 ? r.city_name : "");
	lc_application_row_cleanup(&r);
}
