/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Membership applications (application.h): the process table, its guard
 * and effect, the form's fields as a table (name, type, bounds), the
 * pledge, and the lists.
 */
#include "domain/application.h"

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
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/call.h"
#include "domain/city.h"
#include "domain/clock.h"
#include "domain/membership.h"
#include "domain/outbox.h"
#include "domain/role.h"
#include "domain/row.h"
#include "domain/text.h"
#include "formats/filetype.h"

/* ---- the process ----------------------------------------------------------------------------- */

static const struct lc_wf_state states[] = {
    {.name = "draft"},
    {.name = "submitted",
     .due_days = 30,
     .remind_days = {14, 7},
     .remind = LC_WF_TELL_NATCOM,
     .on_due = "escalate"},
    {.name = "escalated"},
    {.name = "screening"},
    {.name = "info_requested"},
    {.name = "jury_review"},
    {.name = "recommended"},
    {.name = "not_recommended"},
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

enum ftype { F_TEXT, F_EMAIL, F_LANG, F_INT, F_REAL, F_WORDS, F_LINKS, F_CHALLENGES };

struct field {
	const char *name; /* the JSON key and the column */
	enum ftype type;
	double min, max; /* numbers */
};

static const struct field fields[] = {
    {"city_name", F_TEXT, 0, 0},         {"mayor_name", F_TEXT, 0, 0},
    {"mayor_title", F_TEXT, 0, 0},       {"contact_name", F_TEXT, 0, 0},
    {"contact_email", F_EMAIL, 0, 0},    {"language", F_LANG, 0, 0},
    {"data_year", F_INT, 1990, 2999},    {"population", F_INT, 1, 1e10},
    {"area_km2", F_REAL, 0.01, 1e6},     {"gdp_city_usd", F_REAL, 0, 1e7},
    {"gdp_country_usd", F_REAL, 0, 1e7}, {"schooling_men", F_REAL, 0, 30},
    {"schooling_women", F_REAL, 0, 30},  {"motivation", F_WORDS, 0, 0},
    {"implementation", F_WORDS, 0, 0},   {"links", F_LINKS, 0, 0},
    {"challenges", F_CHALLENGES, 0, 0},
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

/* True when code is one of the interface's languages (i18n/languages.json), exactly. */
static bool language_ok(const char *code)
{
	const char *known = lc_catalogue_supported(lc_catalogue_shared(), lc_slice_cstr(code));
	return known && strcmp(known, code) == 0;
}

/* Checks one field's value; the value to store (new reference, json null clears) or NULL. */
static json_t *check_field(const struct field *f, const json_t *v, struct lc_diag *d)
{
	double x = 0;
	bool empty = false;
	switch (f->type) {
	case F_TEXT:
	case F_EMAIL:
	case F_LANG:
	case F_WORDS: {
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
		if (f->type == F_TEXT && !text_ok(t, LC_LIMIT_NAME_BYTES, false)) {
			lc_diag_add(d, NULL, 0, 0, f->name, "err_app_most_200_bytes_text");
		} else if (f->type == F_EMAIL && n) {
			char norm[LC_LIMIT_EMAIL_BYTES + 1];
			if (lc_account_email_normalise(t, n, norm, sizeof norm) != 0)
				lc_diag_add(d, NULL, 0, 0, f->name,
				            "err_account_valid_e_mail_address");
			else
				r = json_string(norm);
		} else if (f->type == F_LANG && n && !language_ok(t)) {
			struct lc_buf codes;
			lc_buf_init(&codes, LC_LIMIT_NAME_BYTES);
			lc_catalogue_list_codes(lc_catalogue_shared(), &codes);
			lc_diag_addf(d, NULL, 0, 0, f->name, "err_app_language",
			             LC_ARG_S("choices", lc_buf_cstr(&codes)));
			lc_buf_cleanup(&codes);
		} else if (f->type == F_WORDS && !text_ok(t, LC_LIMIT_TEXT_BYTES, true)) {
			lc_diag_add(d, NULL, 0, 0, f->name,
			            "err_app_text_without_control_characters");
		} else if (f->type == F_WORDS &&
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
	case F_INT:
	case F_REAL:
		if (!number_of(v, &x, &empty)) {
			lc_diag_add(d, NULL, 0, 0, f->name, "err_app_number");
			return NULL;
		}
		if (empty)
			return json_null();
		if (f->type == F_INT && x != floor(x)) {
			lc_diag_add(d, NULL, 0, 0, f->name, "err_app_whole_number");
			return NULL;
		}
		if (x < f->min || x > f->max) {
			lc_diag_addf(d, NULL, 0, 0, f->name, "err_app_between",
			             LC_ARG_G("min", f->min), LC_ARG_G("max", f->max));
			return NULL;
		}
		return f->type == F_INT ? json_integer((json_int_t)x) : json_real(x);
	case F_LINKS: return links_of(v, d);
	case F_CHALLENGES: return challenges_of(v, d);
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

static const struct field *field_named(const char *name)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

/* ---- rows ------------------------------------------------------------------------------------ */

struct app_row {
	int64_t call_id;
	char country[3];
	char city_name[LC_LIMIT_NAME_BYTES + 1];
	char city_key[LC_LIMIT_NAME_BYTES * 4 + 1];
	int64_t city_id;
	json_t *form; /* owned: every field, null when empty */
};

static void app_row_cleanup(struct app_row *r)
{
	json_decref(r->form);
	r->form = NULL;
}

static int load_row(struct lc_db *db, int64_t id, struct app_row *r)
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
			const struct field *f = &fields[i];
			int c = 4 + (int)i;
			json_t *v;
			switch (f->type) {
			case F_INT: v = lc_row_int(st, c); break;
			case F_REAL: v = lc_row_real(st, c); break;
			case F_LINKS: v = links_row(st, c); break;
			case F_CHALLENGES: v = lc_row_object(st, c); break;
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
static void check_complete(const json_t *form, struct lc_diag *d)
{
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];
		const json_t *v = json_object_get(form, f->name);
		if (f->type == F_LINKS)
			continue; /* links are optional */
		if (f->type == F_CHALLENGES) {
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

static int pledge_exists(struct lc_db *db, int64_t id, bool *yes)
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

static bool has_natcom(const struct lc_actor *a, const char *country)
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
	struct app_row r;
	struct lc_call call;
	int err = load_row(db, item->id, &r);
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
	check_complete(r.form, d);
	bool pledge = false;
	err = pledge_exists(db, item->id, &pledge);
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
			             "err_app_application_city_was_call", LC_ARG_S("value", s));
		else
			lc_diag_add(d, NULL, 0, 0, "city_name",
			            "err_app_city_already_has_application");
	}
	lc_db_release(db, st);
	err = rc < 0 ? rc : rc == 1 ? LC_ECONFLICT : 0;
out:
	app_row_cleanup(&r);
	return err;
}

static int guard_endorse(struct lc_db *db, const struct lc_actor *actor,
                         const struct lc_wf_item *item, bool decline, struct lc_diag *d)
{
	/* The commission has its month; the secretariat steps in after the escalation. */
	if (strcmp(item->state, "submitted") == 0 && actor->kind == LC_ACTOR_ACCOUNT &&
	    !has_natcom(actor, item->country)) {
		lc_diag_add(d, NULL, 0, 0, "to", "err_app_national_commission_decides_first");
		return LC_ECONFLICT;
	}
	if (decline)
		return 0;
	struct app_row r;
	struct lc_call call;
	int err = load_row(db, item->id, &r);
	if (!err)
		err = lc_call_get(db, r.call_id, &call);
	app_row_cleanup(&r);
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
	struct app_row r;
	int err = load_row(db, item->id, &r);
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
	app_row_cleanup(&r);
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
	struct app_row r;
	int err = load_row(db, item->id, &r);
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
	app_row_cleanup(&r);
	return err;
}

static void title(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	struct app_row r;
	if (load_row(db, item->id, &r) == 0 && r.city_name[0])
		snprintf(out, n, "Application of %s (%s)", r.city_name, item->country);
	else
		snprintf(out, n, "Application #%lld (%s)", (long long)item->id, item->country);
	app_row_cleanup(&r);
}

/* The city the application names, as the applicant wrote it ("" when not yet). */
static void city_name(struct lc_db *db, const struct lc_wf_item *item, char *out, size_t n)
{
	struct app_row r;
	snprintf(out, n, "%s", load_row(db, item->id, &r) == 0 ? r.city_name : "");
	app_row_cleanup(&r);
}

/* ---- creating and saving --------------------------------------------------------------------- */

static int fold_key(const char *name, char *out, size_t n)
{
	struct lc_buf b;
	lc_buf_init(&b, n - 1);
	lc_text_fold(name, strlen(name), &b);
	int err = lc_buf_error(&b) ? LC_EINVAL : 0;
	snprintf(out, n, "%s", err ? "" : lc_buf_cstr(&b));
	lc_buf_cleanup(&b);
	return err;
}

static int country_exists(struct lc_db *db, const char *cc, bool *yes)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT 1 FROM countries WHERE alpha2 = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, cc);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	*yes = rc == 1;
	return rc < 0 ? rc : 0;
}

int lc_application_create(struct lc_db *db, const struct lc_actor *actor, int64_t call_id,
                          const char *country, const char *city_name, struct lc_diag *d,
                          int64_t *id)
{
	*id = 0;
	if (!actor || actor->kind == LC_ACTOR_ANONYMOUS)
		return LC_EAUTH;
	struct lc_authz_object o = {.account_id = actor->account_id};
	int err = lc_authz_check(actor, LC_ACT_APPLY_MEMBERSHIP, &o);
	if (err)
		return err;
	char cc[3] = "";
	if (!country || strlen(country) != 2) {
		lc_diag_add(d, NULL, 0, 0, "country", "err_app_country_code_such_ie");
		return LC_EINVAL;
	}
	cc[0] = (char)(country[0] & ~0x20);
	cc[1] = (char)(country[1] & ~0x20);
	bool known = false;
	err = country_exists(db, cc, &known);
	if (err)
		return err;
	if (!known) {
		lc_diag_add(d, NULL, 0, 0, "country", "err_app_known_country");
		return LC_EINVAL;
	}
	const struct field *fname = field_named("city_name");
	json_t *name = city_name ? json_string(city_name) : json_null();
	json_t *nv = check_field(fname, name, d);
	json_decref(name);
	if (!nv)
		return LC_EINVAL;
	struct lc_call call;
	err = lc_call_get(db, call_id, &call);
	if (err == LC_ENOTFOUND)
		lc_diag_add(d, NULL, 0, 0, "call", "err_app_call_applications");
	if (err)
		goto done;
	char today[11];
	lc_clock_date(lc_clock_now(), today);
	if (strcmp(today, call.closes) > 0) {
		lc_diag_addf(d, NULL, 0, 0, "call", "err_app_call_closed",
		             LC_ARG_S("closes", call.closes));
		err = LC_ECONFLICT;
		goto done;
	}
	char key[LC_LIMIT_NAME_BYTES * 4 + 1];
	err = fold_key(json_string_value(nv), key, sizeof key);
	if (err)
		goto done;
	err = lc_db_begin(db);
	if (err)
		goto done;
	struct lc_wf_item init = {.owner_id = actor->account_id, .year = call.year};
	memcpy(init.country, cc, 3);
	int64_t nid = 0;
	err = lc_wf_create(db, actor, &lc_application_process, &init, &nid);
	sqlite3_stmt *st = err ? NULL
	                       : lc_db_stmt(db, "INSERT INTO applications (item_id, call_id,"
	                                        " country, city_name, city_key, updated_at)"
	                                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!err && !st)
		err = LC_EDB;
	if (!err) {
		sqlite3_bind_int64(st, 1, nid);
		sqlite3_bind_int64(st, 2, call.id);
		lc_db_bind_text(st, 3, cc);
		lc_db_bind_text(st, 4, json_string_value(nv));
		lc_db_bind_text(st, 5, key);
		sqlite3_bind_int64(st, 6, lc_clock_now());
		err = lc_db_step(db, st);
		lc_db_release(db, st);
		err = err < 0 ? err : 0;
	}
	if (err) {
		lc_db_rollback(db);
		goto done;
	}
	err = lc_db_commit(db);
	if (!err)
		*id = nid;
done:
	json_decref(nv);
	return err;
}

/* Loads the item and checks the actor may change its form now. */
static int editable(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                    struct lc_wf_item *it, struct lc_diag *d)
{
	int err = lc_wf_get(db, &lc_application_process, id, it);
	if (err)
		return err;
	struct lc_authz_object o = {.account_id = it->owner_id};
	err = lc_authz_check(actor, LC_ACT_APPLY_MEMBERSHIP, &o);
	if (err)
		return err;
	if (strcmp(it->state, "draft") != 0 && strcmp(it->state, "info_requested") != 0) {
		lc_diag_add(d, NULL, 0, 0, "state", "err_app_application_can_changed_only");
		return LC_ECONFLICT;
	}
	return 0;
}

static int store_field(struct lc_db *db, int64_t id, const struct field *f, const json_t *v)
{
	char sql[160];
	snprintf(sql, sizeof sql,
	         "UPDATE applications SET %s = ?2, updated_at = ?3 WHERE item_id = ?1", f->name);
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 3, lc_clock_now());
	int err = 0;
	if (json_is_integer(v)) {
		sqlite3_bind_int64(st, 2, json_integer_value(v));
	} else if (json_is_real(v)) {
		sqlite3_bind_double(st, 2, json_real_value(v));
	} else if (json_is_string(v)) {
		lc_db_bind_text(st, 2, json_string_value(v));
	} else if (json_is_array(v) || json_is_object(v)) {
		struct lc_buf b;
		lc_buf_init(&b, LC_LIMIT_TEXT_BYTES);
		err = lc_row_dump(v, &b);
		if (!err)
			lc_db_bind_text(st, 2, lc_buf_cstr(&b));
		lc_buf_cleanup(&b);
	}
	if (!err)
		err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err >= 0 && strcmp(f->name, "city_name") == 0) {
		char key[LC_LIMIT_NAME_BYTES * 4 + 1];
		err = fold_key(json_string_value(v), key, sizeof key);
		st = err ? NULL
		         : lc_db_stmt(db,
		                      "UPDATE applications SET city_key = ?2 WHERE item_id = ?1");
		if (!err && !st)
			err = LC_EDB;
		if (!err) {
			sqlite3_bind_int64(st, 1, id);
			lc_db_bind_text(st, 2, key);
			err = lc_db_step(db, st);
			lc_db_release(db, st);
		}
	}
	return err < 0 ? err : 0;
}

int lc_application_save(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                        const json_t *in, struct lc_diag *d)
{
	if (!json_is_object(in))
		return LC_EINVAL;
	struct lc_wf_item it;
	int err = editable(db, actor, id, &it, d);
	if (err)
		return err;
	json_t *clean = json_object(), *before = json_object();
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)in, k, v)
	{
		const struct field *f = field_named(k);
		if (!f) {
			lc_diag_add(d, NULL, 0, 0, k, "err_app_field_application_form");
			err = LC_EINVAL;
			continue;
		}
		json_t *c = check_field(f, v, d);
		if (!c)
			err = LC_EINVAL;
		else
			json_object_set_new(clean, k, c);
	}
	struct app_row r = {0};
	if (err)
		goto done;
	err = lc_db_begin(db);
	if (err)
		goto done;
	err = load_row(db, id, &r);
	json_object_foreach(clean, k, v)
	{
		if (err)
			break;
		json_object_set(before, k, json_object_get(r.form, k));
		err = store_field(db, id, field_named(k), v);
	}
	if (!err)
		err = lc_audit_append_id(db, actor, "application.save", "application", id, before,
		                         clean, NULL);
	if (err) {
		lc_db_rollback(db);
		goto done;
	}
	err = lc_db_commit(db);
done:
	app_row_cleanup(&r);
	json_decref(clean);
	json_decref(before);
	return err;
}

/* ---- the pledge ------------------------------------------------------------------------------ */

/* A download name from what the client called the file: safe bytes only, our extension. */
static void clean_filename(const char *in, const char *type, char *out, size_t n)
{
	char base[96];
	size_t k = 0;
	for (const char *s = in ? in : ""; *s && k + 1 < sizeof base; s++) {
		char c = *s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_')
			base[k++] = c;
		else if (c == '.' || c == ' ')
			base[k++] = '_';
	}
	base[k] = '\0';
	/* Drop the client's extension, now "_pdf" or the like. */
	char *dot = strrchr(base, '_');
	if (dot && strlen(dot) <= 5 && dot != base)
		*dot = '\0';
	snprintf(out, n, "%s.%s", base[0] ? base : "pledge", lc_filetype_ext(type));
}

int lc_application_pledge_put(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                              const char *filename, const unsigned char *data, size_t n,
                              struct lc_diag *d)
{
	struct lc_wf_item it;
	int err = editable(db, actor, id, &it, d);
	if (err)
		return err;
	if (n > LC_LIMIT_PLEDGE_BYTES) {
		lc_diag_addf(d, NULL, 0, 0, "pledge", "err_app_larger_mib",
		             LC_ARG_I("limit", LC_LIMIT_PLEDGE_BYTES >> 20));
		return LC_ELIMIT;
	}
	const char *type = NULL, *why = NULL;
	if (lc_filetype_sniff(data, n, &type, &why) != 0) {
		lc_diag_add(d, NULL, 0, 0, "pledge", why);
		return LC_EINVAL;
	}
	unsigned char hash[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256(hash, data, n);
	sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
	char name[128];
	clean_filename(filename, type, name, sizeof name);
	err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(
	    db, "INSERT INTO application_pledges (item_id, content_type, size, sha256,"
	        " filename, data, uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	        " ON CONFLICT (item_id) DO UPDATE SET content_type = excluded.content_type,"
	        " size = excluded.size, sha256 = excluded.sha256,"
	        " filename = excluded.filename, data = excluded.data,"
	        " uploaded_at = excluded.uploaded_at");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, type);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)n);
	lc_db_bind_text(st, 4, hex);
	lc_db_bind_text(st, 5, name);
	sqlite3_bind_blob64(st, 6, data, n, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, lc_clock_now());
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto out;
	json_t *after = json_pack("{s:s,s:I,s:s,s:s}", "content_type", type, "size", (json_int_t)n,
	                          "sha256", hex, "filename", name);
	err = lc_audit_append_id(db, actor, "application.pledge", "application", id, NULL, after,
	                         NULL);
	json_decref(after);
out:
	if (err) {
		lc_db_rollback(db);
		return err;
	}
	return lc_db_commit(db);
}

int lc_application_may_view(struct lc_db *db, const struct lc_actor *actor,
                            const struct lc_wf_item *item)
{
	int err = lc_wf_may_view(actor, item);
	if (err)
		return err;
	if (actor->kind == LC_ACTOR_SYSTEM || lc_actor_has_role(actor, LC_ROLE_ADMIN) ||
	    (actor->kind == LC_ACTOR_ACCOUNT && actor->account_id == item->owner_id))
		return 0;
	/* The commission sees what was submitted to it; the jury what was passed to it. */
	bool natcom = has_natcom(actor, item->country);
	if (!natcom && !lc_actor_has_role(actor, LC_ROLE_EXPERT))
		return LC_EPERM;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT 1 FROM wf_history WHERE item_id = ?1"
	                                  " AND to_state = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, item->id);
	lc_db_bind_text(st, 2, natcom ? "submitted" : "jury_review");
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 1 ? 0 : LC_EPERM;
}

int lc_application_pledge_get(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                              struct lc_pledge *out)
{
	memset(out, 0, sizeof *out);
	struct lc_wf_item it;
	int err = lc_wf_get(db, &lc_application_process, id, &it);
	if (!err)
		err = lc_application_may_view(db, actor, &it);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT content_type, sha256, filename, data"
	                                  " FROM application_pledges WHERE item_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		snprintf(out->content_type, sizeof out->content_type, "%s", lc_db_text(st, 0));
		snprintf(out->sha256, sizeof out->sha256, "%s", lc_db_text(st, 1));
		snprintf(out->filename, sizeof out->filename, "%s", lc_db_text(st, 2));
		const void *b = sqlite3_column_blob(st, 3);
		out->size = (size_t)sqlite3_column_bytes(st, 3);
		out->data = lc_xmalloc(out->size ? out->size : 1);
		if (out->size)
			memcpy(out->data, b, out->size);
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

void lc_application_pledge_cleanup(struct lc_pledge *p)
{
	if (!p)
		return;
	lc_free(p->data);
	p->data = NULL;
}

/* ---- views ----------------------------------------------------------------------------------- */

static json_t *pledge_json(struct lc_db *db, int64_t id)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT content_type, size, sha256, filename, uploaded_at"
	                                  " FROM application_pledges WHERE item_id = ?1");
	if (!st)
		return json_null();
	sqlite3_bind_int64(st, 1, id);
	json_t *j = json_null();
	if (lc_db_step(db, st) == 1) {
		char at[21];
		lc_clock_iso(sqlite3_column_int64(st, 4), at);
		j = json_pack("{s:o,s:o,s:o,s:o,s:s}", "content_type", lc_row_str(st, 0), "size",
		              lc_row_int(st, 1), "sha256", lc_row_str(st, 2), "filename",
		              lc_row_str(st, 3), "uploaded_at", at);
	}
	lc_db_release(db, st);
	return j ? j : json_null();
}

static json_t *city_json(struct lc_db *db, int64_t city)
{
	if (!city)
		return json_null();
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id, slug FROM cities WHERE id = ?1");
	if (!st)
		return json_null();
	sqlite3_bind_int64(st, 1, city);
	json_t *j = json_null();
	if (lc_db_step(db, st) == 1)
		j = json_pack("{s:o,s:o}", "id", lc_row_int(st, 0), "slug", lc_row_str(st, 1));
	lc_db_release(db, st);
	return j ? j : json_null();
}

/* Drops from "next" the commission's steps the secretariat may not take yet. */
static void filter_next(const struct lc_actor *actor, const struct lc_wf_item *it, json_t *item)
{
	if (strcmp(it->state, "submitted") != 0 || has_natcom(actor, it->country) ||
	    actor->kind != LC_ACTOR_ACCOUNT)
		return;
	json_t *next = json_object_get(item, "next");
	for (size_t i = json_array_size(next); i-- > 0;) {
		const char *n = json_string_value(json_object_get(json_array_get(next, i), "name"));
		if (n && (strcmp(n, "endorse") == 0 || strcmp(n, "decline") == 0))
			json_array_remove(next, i);
	}
}

int lc_application_json(struct lc_db *db, const struct lc_actor *actor, int64_t id, json_t **out)
{
	*out = NULL;
	struct lc_wf_item it;
	struct app_row r = {0};
	struct lc_call call;
	json_t *j = NULL;
	int err = lc_wf_get(db, &lc_application_process, id, &it);
	if (!err)
		err = lc_application_may_view(db, actor, &it);
	if (!err)
		err = load_row(db, id, &r);
	if (!err)
		err = lc_call_get(db, r.call_id, &call);
	if (!err)
		err = lc_wf_item_json(db, actor, &it, &j);
	if (err)
		goto out;
	filter_next(actor, &it, j);
	struct lc_diag miss;
	lc_diag_init(&miss);
	check_complete(r.form, &miss);
	bool pledge = false;
	err = pledge_exists(db, id, &pledge);
	if (!pledge)
		lc_diag_add(&miss, NULL, 0, 0, "pledge", "err_app_required_upload_signed_pledge");
	json_t *missing = json_array();
	for (size_t i = 0; i < miss.count; i++)
		json_array_append_new(
		    missing, json_pack("{s:s?,s:s,s:s?,s:o}", "field", miss.items[i].field,
		                       "message", miss.items[i].message, "code", miss.items[i].code,
		                       "args", lc_diag_args_json(&miss.items[i])));
	lc_diag_cleanup(&miss);
	struct lc_authz_object o = {.account_id = it.owner_id};
	bool can_edit =
	    (strcmp(it.state, "draft") == 0 || strcmp(it.state, "info_requested") == 0) &&
	    lc_authz_check(actor, LC_ACT_APPLY_MEMBERSHIP, &o) == 0;
	char t[256];
	title(db, &it, t, sizeof t);
	json_object_set(j, "form", r.form);
	json_object_set_new(j, "call", lc_call_json(&call));
	json_object_set_new(j, "pledge", pledge_json(db, id));
	json_object_set_new(j, "editable", json_boolean(can_edit));
	json_object_set_new(j, "missing", missing);
	json_object_set_new(j, "city", city_json(db, r.city_id));
	json_object_set_new(j, "title", json_string(t));
	/* Until it is decided, everyone who sees the case is warned when its city already
	 * exists: approving would link the application to that city. */
	json_t *match = NULL;
	if (!err && !r.city_id && !lc_wf_state_find(&lc_application_process, it.state)->terminal)
		err = lc_city_match(db, r.city_name, r.country, &match);
	json_object_set_new(j, "existing_city", match ? match : json_null());
	*out = j;
	j = NULL;
out:
	json_decref(j);
	app_row_cleanup(&r);
	return err;
}

int lc_application_take(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *to,
                        const char *reason, struct lc_diag *d)
{
	return lc_application_take_linked(db, actor, id, to, reason, NULL, d);
}

/*
 * Approving an application whose city matches an existing city that is not a
 * member needs link_city to be that city's slug: the secretariat says it is the
 * same city. The member and suspended cases are refused by the guard.
 */
static int check_link(struct lc_db *db, int64_t id, const char *link_city, struct lc_diag *d)
{
	struct app_row r;
	int err = load_row(db, id, &r);
	json_t *m = NULL;
	if (!err)
		err = lc_city_match(db, r.city_name, r.country, &m);
	const char *slug = json_string_value(json_object_get(m, "slug"));
	const char *status = json_string_value(json_object_get(m, "status"));
	/* A member or suspended city: the guard refuses, whatever is confirmed. */
	if (status && (strcmp(status, "member") == 0 || strcmp(status, "suspended") == 0)) {
		slug = NULL;
		link_city = NULL;
	}
	bool given = link_city && *link_city;
	if (!err && slug && (!given || strcmp(link_city, slug) != 0)) {
		lc_diag_add(d, NULL, 0, 0, "link_city",
		            given ? "err_app_does_name_existing_city" : "err_app_link_needed");
		err = LC_EINVAL;
	} else if (!err && !slug && given) {
		lc_diag_add(d, NULL, 0, 0, "link_city", "err_app_does_name_existing_city");
		err = LC_EINVAL;
	}
	json_decref(m);
	app_row_cleanup(&r);
	return err;
}

int lc_application_take_linked(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                               const char *to, const char *reason, const char *link_city,
                               struct lc_diag *d)
{
	int err = lc_db_begin(db);
	if (err)
		return err;
	/* Whoever may not see the case learns nothing of its state: the same answer as
	 * for any case they may not see, before any state is compared. */
	struct lc_wf_item it;
	err = lc_wf_get(db, &lc_application_process, id, &it);
	if (!err)
		err = lc_application_may_view(db, actor, &it);
	const struct lc_wf_transition *t =
	    err || !to ? NULL : lc_wf_transition_find(&lc_application_process, it.state, to);
	if (t && strcmp(t->name, "approve") == 0 && lc_wf_may(actor, &it, t) == 0)
		err = check_link(db, id, link_city, d);
	if (!err)
		err = lc_wf_take(db, actor, &lc_application_process, id, to, reason, d, NULL);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

/* ---- lists ----------------------------------------------------------------------------------- */

#define LIST_FROM                                                                                  \
	" FROM wf_items w JOIN applications a ON a.item_id = w.id"                                 \
	" LEFT JOIN accounts o ON o.id = w.owner_id"                                               \
	" WHERE w.process = 'application'"                                                         \
	" AND ((?2 AND w.owner_id = ?1) OR ?3"                                                     \
	"  OR (?4 AND w.country IN (SELECT country FROM role_grants"                               \
	"      WHERE account_id = ?1 AND role = 'natcom')"                                         \
	"      AND w.id IN (SELECT item_id FROM wf_history WHERE to_state = 'submitted'))"         \
	"  OR (?5 AND w.id IN (SELECT item_id FROM wf_history WHERE to_state = 'jury_review')))"   \
	" AND (?7 IS NULL OR w.country = ?7) AND (?8 IS NULL OR w.year = ?8)"

static void bind_scope(sqlite3_stmt *st, const struct lc_actor *a,
                       const struct lc_application_query *q)
{
	bool admin = lc_actor_has_role(a, LC_ROLE_ADMIN) || a->kind == LC_ACTOR_SYSTEM;
	bool expert = lc_actor_has_role(a, LC_ROLE_EXPERT);
	enum lc_application_scope s = q->scope;
	sqlite3_bind_int64(st, 1, a->account_id);
	sqlite3_bind_int(st, 2, s == LC_APP_SCOPE_VISIBLE || s == LC_APP_SCOPE_MINE);
	sqlite3_bind_int(st, 3, (s == LC_APP_SCOPE_VISIBLE || s == LC_APP_SCOPE_ALL) && admin);
	sqlite3_bind_int(st, 4, s == LC_APP_SCOPE_VISIBLE || s == LC_APP_SCOPE_NATCOM);
	sqlite3_bind_int(st, 5, (s == LC_APP_SCOPE_VISIBLE || s == LC_APP_SCOPE_EXPERT) && expert);
	if (q->country && *q->country)
		lc_db_bind_text(st, 7, q->country);
	if (q->year)
		sqlite3_bind_int64(st, 8, q->year);
}

int lc_application_list(struct lc_db *db, const struct lc_actor *actor,
                        const struct lc_application_query *q, json_t **out)
{
	*out = NULL;
	if (!actor || actor->kind == LC_ACTOR_ANONYMOUS)
		return LC_EAUTH;
	if (q->state && *q->state && !lc_wf_state_find(&lc_application_process, q->state))
		return LC_EINVAL;
	long per = q->per_page > 0 ? q->per_page : LC_DEFAULT_PER_PAGE;
	if (per > LC_LIMIT_PER_PAGE)
		per = LC_LIMIT_PER_PAGE;
	long page = q->page > 0 ? q->page : 1;
	int64_t now = lc_clock_now();
	json_t *by = json_object(), *items = json_array();
	long total = 0;
	int rc = 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT w.state, count(*)" LIST_FROM " GROUP BY w.state");
	if (!st) {
		rc = LC_EDB;
		goto out;
	}
	bind_scope(st, actor, q);
	while (lc_db_next(db, st, &rc)) {
		const char *s = lc_db_text(st, 0);
		long n = (long)sqlite3_column_int64(st, 1);
		json_object_set_new(by, s, json_integer(n));
		if (!q->state || !*q->state || strcmp(q->state, s) == 0)
			total += n;
	}
	lc_db_release(db, st);
	if (rc < 0)
		goto out;
	st = lc_db_stmt(db, "SELECT w.id, w.state, a.city_name, w.country, w.year, w.due_at,"
	                    " w.entered_at, o.email" LIST_FROM " AND (?6 IS NULL OR w.state = ?6)"
	                    " ORDER BY (w.due_at IS NOT NULL AND w.due_at <= ?9) DESC,"
	                    " w.due_at IS NULL, w.due_at, w.id DESC LIMIT ?10 OFFSET ?11");
	if (!st) {
		rc = LC_EDB;
		goto out;
	}
	bind_scope(st, actor, q);
	if (q->state && *q->state)
		lc_db_bind_text(st, 6, q->state);
	sqlite3_bind_int64(st, 9, now);
	sqlite3_bind_int64(st, 10, per);
	sqlite3_bind_int64(st, 11, (page - 1) * per);
	while (lc_db_next(db, st, &rc)) {
		char due[21] = "", at[21] = "";
		int64_t d = sqlite3_column_int64(st, 5), e = sqlite3_column_int64(st, 6);
		if (d)
			lc_clock_iso(d, due);
		lc_clock_iso(e, at);
		const struct lc_wf_state *ws =
		    lc_wf_state_find(&lc_application_process, lc_db_text(st, 1));
		json_t *match = NULL;
		if (ws && !ws->terminal)
			rc = lc_city_match(db, lc_db_text(st, 2), lc_db_text(st, 3), &match);
		if (rc < 0)
			break;
		json_array_append_new(
		    items,
		    json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:b,s:s,s:o,s:o}", "id",
		              (json_int_t)sqlite3_column_int64(st, 0), "state", lc_row_str(st, 1),
		              "city_name", lc_row_str(st, 2), "country", lc_row_str(st, 3), "year",
		              lc_row_int(st, 4), "due_at", d ? json_string(due) : json_null(),
		              "overdue", d && d <= now, "entered_at", at, "applicant",
		              lc_row_str(st, 7), "existing_city", match ? match : json_null()));
	}
	lc_db_release(db, st);
	if (rc < 0)
		goto out;
	*out = json_pack("{s:O,s:O,s:I,s:I,s:I,s:I}", "items", items, "by_state", by, "total",
	                 (json_int_t)total, "page", (json_int_t)page, "pages",
	                 (json_int_t)(total ? (total + per - 1) / per : 1), "per_page",
	                 (json_int_t)per);
	rc = *out ? 0 : LC_EINTERNAL;
out:
	json_decref(by);
	json_decref(items);
	return rc < 0 ? rc : 0;
}
