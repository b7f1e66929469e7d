/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A conference as its secretariat sets it up, and its participant categories (category.h). */
#include "domain/conference/category.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/award/award_round.h"
#include "domain/conference/event.h"
#include "domain/conference/form.h"
#include "domain/platform/audit.h"
#include "domain/platform/clock.h"
#include "domain/platform/text.h"

#define DAY 86400

void lc_conf_category_cleanup(struct lc_conf_category *c)
{
	if (!c)
		return;
	json_decref(c->name);
	json_decref(c->form);
	c->name = c->form = NULL;
}

#define CATEGORY_SELECT                                                                            \
	"SELECT id, event_id, code, name, form, capacity, opens, closes, visibility, moderated,"   \
	" edit_repends, offer_hours FROM conference_categories"

static json_t *parsed(sqlite3_stmt *st, int i)
{
	const char *s = lc_db_text(st, i);
	json_t *v = s ? json_loads(s, 0, NULL) : NULL;
	return v ? v : json_object();
}

static void fill(sqlite3_stmt *st, struct lc_conf_category *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	c->event_id = sqlite3_column_int64(st, 1);
	snprintf(c->code, sizeof c->code, "%s", lc_db_text(st, 2) ? lc_db_text(st, 2) : "");
	c->name = parsed(st, 3);
	c->form = parsed(st, 4);
	c->capacity = (long)sqlite3_column_int64(st, 5);
	snprintf(c->opens, sizeof c->opens, "%s", lc_db_text(st, 6) ? lc_db_text(st, 6) : "");
	snprintf(c->closes, sizeof c->closes, "%s", lc_db_text(st, 7) ? lc_db_text(st, 7) : "");
	const char *vis = lc_db_text(st, 8);
	c->invitation = vis && strcmp(vis, "invitation") == 0;
	c->moderated = sqlite3_column_int(st, 9) != 0;
	c->edit_repends = sqlite3_column_int(st, 10) != 0;
	c->offer_hours = (long)sqlite3_column_int64(st, 11);
}

static int load_where(struct lc_db *db, const char *where, int64_t a, const char *b,
                      struct lc_conf_category *out)
{
	char sql[512];
	memset(out, 0, sizeof *out);
	snprintf(sql, sizeof sql, "%s WHERE %s", CATEGORY_SELECT, where);
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, a);
	if (b)
		lc_db_bind_text(st, 2, b);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		fill(st, out);
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

int lc_conf_category_load(struct lc_db *db, int64_t event_id, const char *code,
                          struct lc_conf_category *out)
{
	if (!code || strlen(code) > LC_LIMIT_CONF_FORM_ID) {
		memset(out, 0, sizeof *out);
		return LC_ENOTFOUND;
	}
	return load_where(db, "event_id = ?1 AND code = ?2", event_id, code, out);
}

int lc_conf_category_load_id(struct lc_db *db, int64_t id, struct lc_conf_category *out)
{
	return load_where(db, "id = ?1", id, NULL, out);
}

int64_t lc_conf_category_close_at(const struct lc_conf_category *c)
{
	return lc_award_day_end(c->closes);
}

bool lc_conf_category_open(const struct lc_conf_category *c, int64_t now)
{
	return now >= lc_award_day_end(c->opens) - DAY && now < lc_award_day_end(c->closes);
}

int lc_conf_category_places(struct lc_db *db, int64_t category_id, long *used, long *waiting)
{
	*used = *waiting = 0;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT coalesce(sum(w.state IN ('pending', 'approved', 'offered')), 0),"
	                   " coalesce(sum(w.state IN ('waitlisted', 'offered')), 0)"
	                   " FROM conference_registrations r JOIN wf_items w ON w.id = r.item_id"
	                   " WHERE r.category_id = ?1 AND r.active = 1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, category_id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		*used = (long)sqlite3_column_int64(st, 0);
		*waiting = (long)sqlite3_column_int64(st, 1);
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* ---- views -------------------------------------------------------------------------------- */

static const char *say(const json_t *t, const char *lang)
{
	const char *s = json_string_value(json_object_get(t, lc_text_lang(lang)));
	if (!s)
		s = json_string_value(json_object_get(t, "en"));
	return s ? s : "";
}

json_t *lc_conf_category_json(struct lc_db *db, const struct lc_conf_category *c, const char *slug,
                              const char *lang, bool with_form)
{
	long used = 0, waiting = 0;
	lc_conf_category_places(db, c->id, &used, &waiting);
	char href[LC_LIMIT_CONF_SLUG + LC_LIMIT_CONF_FORM_ID + 32];
	snprintf(href, sizeof href, "/conferences/%s/register/%s", slug, c->code);
	long available = c->capacity - used;
	json_t *j = json_pack(
	    "{s:s, s:s, s:I, s:I, s:I, s:I, s:b, s:s, s:s, s:b, s:s, s:b, s:b, s:b, s:I, s:s}",
	    "code", c->code, "name", say(c->name, lang), "capacity", (json_int_t)c->capacity,
	    "used", (json_int_t)used, "available", (json_int_t)(available > 0 ? available : 0),
	    "waiting", (json_int_t)waiting, "full", available <= 0 || waiting > 0, "opens",
	    c->opens, "closes", c->closes, "open", lc_conf_category_open(c, lc_clock_now()),
	    "visibility", c->invitation ? "invitation" : "public", "invitation", c->invitation,
	    "moderated", c->moderated, "edit_repends", c->edit_repends, "offer_hours",
	    (json_int_t)c->offer_hours, "register_href", href);
	json_object_set_new(j, "has_waiting", json_boolean(waiting > 0));
	if (with_form)
		json_object_set_new(j, "form", lc_conf_form_view(c->form, NULL, NULL, lang));
	return j;
}

int lc_conf_view(struct lc_db *db, const char *slug, const char *lang, json_t **out)
{
	*out = NULL;
	struct lc_conf_event e;
	int err = lc_conf_event_load(db, slug, &e);
	if (err)
		return err;
	json_t *v = lc_conf_event_json(&e, lang), *cats = json_array();
	sqlite3_stmt *st =
	    lc_db_stmt(db, CATEGORY_SELECT " WHERE event_id = ?1 ORDER BY position, id");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, e.id);
	int rc;
	while (lc_db_next(db, st, &rc)) {
		struct lc_conf_category c;
		fill(st, &c);
		json_array_append_new(cats, lc_conf_category_json(db, &c, e.slug, lang, false));
		lc_conf_category_cleanup(&c);
	}
	lc_db_release(db, st);
	err = rc < 0 ? rc : 0;
out:
	lc_conf_event_cleanup(&e);
	if (err) {
		json_decref(v);
		json_decref(cats);
		return err;
	}
	json_object_set_new(v, "categories", cats);
	json_object_set_new(v, "has_categories", json_boolean(json_array_size(cats) > 0));
	*out = v;
	return 0;
}

/* ---- checking a conference ---------------------------------------------------------------- */

/* A translatable text of at most limit bytes: a string (English) or {lang: text} with English. */
static json_t *texts(const json_t *v, size_t limit)
{
	json_t *out = json_object();
	if (json_is_string(v)) {
		json_object_set(out, "en", (json_t *)v);
	} else if (json_is_object(v)) {
		const char *lang;
		json_t *x;
		json_object_foreach((json_t *)v, lang, x)
		{
			if (!lc_text_lang_ok(lang) || !json_is_string(x) ||
			    json_string_length(x) > limit)
				goto bad;
			json_object_set(out, lang, x);
		}
	}
	const char *en = json_string_value(json_object_get(out, "en"));
	if (en && *en && strlen(en) <= limit)
		return out;
bad:
	json_decref(out);
	return NULL;
}

static void day(const json_t *o, const char *key, const char *field, char out[11],
                struct lc_diag *d)
{
	const char *s = json_string_value(json_object_get(o, key));
	out[0] = '\0';
	if (!lc_award_day_end(s))
		lc_diag_add(d, NULL, 0, 0, field, "err_conf_date");
	else
		snprintf(out, 11, "%s", s);
}

static bool code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > LC_LIMIT_CONF_FORM_ID)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* A checked category spec: {"code", "name", "form", ...} normalised, or NULL. */
static json_t *check_category(const json_t *c, size_t i, const char *end_date, struct lc_diag *d)
{
	char f[96];
	size_t before = lc_diag_total(d);
	snprintf(f, sizeof f, "categories[%zu]", i);
	if (!json_is_object(c)) {
		lc_diag_add(d, NULL, 0, 0, f, "err_conf_category_object");
		return NULL;
	}
	const char *code = json_string_value(json_object_get(c, "code"));
	snprintf(f, sizeof f, "categories[%zu].code", i);
	if (!code_ok(code))
		lc_diag_addf(d, NULL, 0, 0, f, "err_conf_category_code",
		             LC_ARG_I("limit", LC_LIMIT_CONF_FORM_ID));
	json_t *name = texts(json_object_get(c, "name"), LC_LIMIT_CONF_LABEL_BYTES);
	snprintf(f, sizeof f, "categories[%zu].name", i);
	if (!name)
		lc_diag_addf(d, NULL, 0, 0, f, "err_conf_title",
		             LC_ARG_I("limit", LC_LIMIT_CONF_LABEL_BYTES));
	snprintf(f, sizeof f, "categories[%zu].form", i);
	const json_t *fv = json_object_get(c, "form");
	json_t *form = fv ? lc_conf_form_check(fv, f, d) : lc_conf_form_default(code);
	const json_t *cap = json_object_get(c, "capacity");
	snprintf(f, sizeof f, "categories[%zu].capacity", i);
	if (!json_is_integer(cap) || json_integer_value(cap) < 1 ||
	    json_integer_value(cap) > LC_LIMIT_CONF_CAPACITY)
		lc_diag_addf(d, NULL, 0, 0, f, "err_conf_number", LC_ARG_I("low", 1),
		             LC_ARG_I("high", LC_LIMIT_CONF_CAPACITY));
	char opens[11], closes[11];
	snprintf(f, sizeof f, "categories[%zu].opens", i);
	day(c, "opens", f, opens, d);
	snprintf(f, sizeof f, "categories[%zu].closes", i);
	day(c, "closes", f, closes, d);
	if (opens[0] && closes[0] && strcmp(opens, closes) > 0)
		lc_diag_addf(d, NULL, 0, 0, f, "err_conf_date_order", LC_ARG_S("after", opens));
	else if (closes[0] && end_date && end_date[0] && strcmp(closes, end_date) > 0)
		lc_diag_addf(d, NULL, 0, 0, f, "err_conf_closes_after", LC_ARG_S("end", end_date));
	const char *vis = json_string_value(json_object_get(c, "visibility"));
	snprintf(f, sizeof f, "categories[%zu].visibility", i);
	if (!vis || (strcmp(vis, "public") != 0 && strcmp(vis, "invitation") != 0))
		lc_diag_add(d, NULL, 0, 0, f, "err_conf_visibility");
	const json_t *mod = json_object_get(c, "moderated"),
	             *rep = json_object_get(c, "edit_repends");
	snprintf(f, sizeof f, "categories[%zu].moderated", i);
	if (!json_is_boolean(mod))
		lc_diag_add(d, NULL, 0, 0, f, "err_conf_flag");
	snprintf(f, sizeof f, "categories[%zu].edit_repends", i);
	if (rep && !json_is_boolean(rep))
		lc_diag_add(d, NULL, 0, 0, f, "err_conf_flag");
	const json_t *oh = json_object_get(c, "offer_hours");
	snprintf(f, sizeof f, "categories[%zu].offer_hours", i);
	if (oh && (!json_is_integer(oh) || json_integer_value(oh) < 1 ||
	           json_integer_value(oh) > LC_LIMIT_CONF_OFFER_HOURS))
		lc_diag_addf(d, NULL, 0, 0, f, "err_conf_number", LC_ARG_I("low", 1),
		             LC_ARG_I("high", LC_LIMIT_CONF_OFFER_HOURS));
	if (lc_diag_total(d) > before) {
		json_decref(name);
		json_decref(form);
		return NULL;
	}
	return json_pack("{s:s, s:o, s:o, s:O, s:s, s:s, s:s, s:O, s:b, s:I}", "code", code, "name",
	                 name, "form", form, "capacity", cap, "opens", opens, "closes", closes,
	                 "visibility", vis, "moderated", mod, "edit_repends",
	                 !rep || json_is_true(rep), "offer_hours",
	                 (json_int_t)(oh ? json_integer_value(oh) : 48));
}

struct def {
	const char *code, *en, *fr;
	bool moderated;
};
static const struct def defaults[] = {
    {"mayor", "Mayor or deputy mayor", "Maire ou maire adjoint", true},
    {"minister", "Minister", "Ministre", true},
    {"delegation", "City delegation", "Délégation de ville", false},
    {"international", "International organisation", "Organisation internationale", false},
    {"ngo", "NGO", "ONG", false},
    {"expert", "Expert", "Expert", false},
    {"press", "Press", "Presse", true},
    {"staff", "Staff", "Personnel", false},
};

/* The eight default categories, open from today to the day before start_date. */
static json_t *default_categories(const char *start_date, long capacity)
{
	char opens[11], closes[11];
	lc_clock_date(lc_clock_now(), opens);
	lc_clock_date(lc_award_day_end(start_date) - 2 * DAY, closes);
	if (strcmp(closes, opens) < 0)
		snprintf(closes, sizeof closes, "%s", opens);
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
		json_array_append_new(
		    a,
		    json_pack("{s:s, s:{s:s, s:s}, s:o, s:I, s:s, s:s, s:s, s:b, s:b, s:i}", "code",
		              defaults[i].code, "name", "en", defaults[i].en, "fr", defaults[i].fr,
		              "form", lc_conf_form_default(defaults[i].code), "capacity",
		              (json_int_t)capacity, "opens", opens, "closes", closes, "visibility",
		              strcmp(defaults[i].code, "staff") == 0 ? "invitation" : "public",
		              "moderated", defaults[i].moderated, "edit_repends", 1, "offer_hours",
		              48));
	return a;
}

/* The checked conference: {"slug", "title", "start_date", ..., "categories": [...]}, or NULL. */
static json_t *check_spec(struct lc_db *db, const json_t *spec, bool create,
                          const struct lc_conf_event *old, struct lc_diag *d)
{
	if (!json_is_object(spec)) {
		lc_diag_add(d, NULL, 0, 0, NULL, "err_conf_object");
		return NULL;
	}
	const char *slug = create ? json_string_value(json_object_get(spec, "slug")) : old->slug;
	if (!slug || strlen(slug) < 2 || strlen(slug) > LC_LIMIT_CONF_SLUG ||
	    !lc_text_slug_ok(slug))
		lc_diag_addf(d, NULL, 0, 0, "slug", "err_conf_slug",
		             LC_ARG_I("limit", LC_LIMIT_CONF_SLUG));
	else if (create) {
		struct lc_conf_event e;
		if (lc_conf_event_load(db, slug, &e) == 0)
			lc_diag_addf(d, NULL, 0, 0, "slug", "err_conf_slug_taken",
			             LC_ARG_S("slug", slug));
		lc_conf_event_cleanup(&e);
	}
	json_t *title = texts(json_object_get(spec, "title"), LC_LIMIT_CONF_LABEL_BYTES);
	if (!title)
		lc_diag_addf(d, NULL, 0, 0, "title", "err_conf_title",
		             LC_ARG_I("limit", LC_LIMIT_CONF_LABEL_BYTES));
	char start[11], end[11];
	day(spec, "start_date", "start_date", start, d);
	day(spec, "end_date", "end_date", end, d);
	if (start[0] && end[0] && strcmp(start, end) > 0)
		lc_diag_addf(d, NULL, 0, 0, "end_date", "err_conf_date_order",
		             LC_ARG_S("after", start));
	const char *tz = json_string_value(json_object_get(spec, "timezone"));
	bool tz_ok = tz && *tz && strlen(tz) <= LC_LIMIT_CONF_TIMEZONE;
	for (const char *p = tz; tz_ok && *p; p++)
		tz_ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		        (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' || *p == '-' ||
		        *p == '+';
	if (!tz_ok)
		lc_diag_add(d, NULL, 0, 0, "timezone", "err_conf_timezone");
	const json_t *venue = json_object_get(spec, "venue");
	json_t *vname = texts(json_object_get(venue, "name"), LC_LIMIT_CONF_LABEL_BYTES);
	const json_t *addr = json_object_get(venue, "address");
	if (!vname ||
	    (addr && !json_is_null(addr) &&
	     (!json_is_string(addr) || json_string_length(addr) > LC_LIMIT_CONF_LABEL_BYTES)))
		lc_diag_add(d, NULL, 0, 0, "venue", "err_conf_venue");
	const json_t *langs = json_object_get(spec, "languages");
	size_t nl = json_array_size(langs);
	bool langs_ok = json_is_array(langs) && nl >= 1 && nl <= 20;
	for (size_t i = 0; langs_ok && i < nl; i++)
		langs_ok = lc_text_lang_ok(json_string_value(json_array_get(langs, i)));
	if (!langs_ok)
		lc_diag_add(d, NULL, 0, 0, "languages", "err_conf_languages");
	const json_t *demo = json_object_get(spec, "demo");
	if (demo && !json_is_boolean(demo))
		lc_diag_add(d, NULL, 0, 0, "demo", "err_conf_flag");
	const json_t *cv = json_object_get(spec, "categories");
	json_t *cats = json_array();
	if (cv && (!json_is_array(cv) || json_array_size(cv) > LC_LIMIT_CONF_CATEGORIES)) {
		lc_diag_addf(d, NULL, 0, 0, "categories", "err_conf_categories",
		             LC_ARG_I("limit", LC_LIMIT_CONF_CATEGORIES));
	} else if (cv) {
		for (size_t i = 0; i < json_array_size(cv); i++) {
			json_t *c = check_category(json_array_get(cv, i), i, end, d);
			if (!c)
				continue;
			const char *code = json_string_value(json_object_get(c, "code"));
			for (size_t j = 0; j < json_array_size(cats); j++)
				if (strcmp(json_string_value(
				               json_object_get(json_array_get(cats, j), "code")),
				           code) == 0)
					lc_diag_addf(d, NULL, 0, 0, "categories",
					             "err_conf_category_twice",
					             LC_ARG_S("code", code));
			json_array_append_new(cats, c);
		}
	} else if (create && start[0]) {
		json_decref(cats);
		cats = default_categories(start, 100);
	}
	if (lc_diag_total(d)) {
		json_decref(title);
		json_decref(vname);
		json_decref(cats);
		return NULL;
	}
	return json_pack("{s:s, s:o, s:s, s:s, s:s, s:{s:o, s:O*}, s:O, s:b, s:o}", "slug", slug,
	                 "title", title, "start_date", start, "end_date", end, "timezone", tz,
	                 "venue", "name", vname, "address", addr, "languages", langs, "demo",
	                 demo ? json_is_true(demo) : (old && old->demo), "categories", cats);
}

static int bind_json(sqlite3_stmt *st, int i, const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT);
	int rc = sqlite3_bind_text(st, i, s ? s : "null", -1, SQLITE_TRANSIENT);
	lc_free(s);
	return rc;
}

static int save_category(struct lc_db *db, int64_t event_id, const json_t *c, long position,
                         struct lc_diag *d)
{
	const char *code = json_string_value(json_object_get(c, "code"));
	struct lc_conf_category old;
	int err = lc_conf_category_load(db, event_id, code, &old);
	if (err && err != LC_ENOTFOUND)
		return err;
	bool exists = err == 0;
	lc_conf_category_cleanup(&old);
	long cap = (long)json_integer_value(json_object_get(c, "capacity"));
	if (exists) {
		long used = 0, waiting = 0;
		err = lc_conf_category_places(db, old.id, &used, &waiting);
		if (err)
			return err;
		if (cap < used) {
			lc_diag_addf(d, NULL, 0, 0, "capacity", "err_conf_capacity_used",
			             LC_ARG_S("code", code), LC_ARG_I("used", used));
			return LC_EINVAL;
		}
	}
	sqlite3_stmt *st = lc_db_stmt(
	    db, exists
	            ? "UPDATE conference_categories SET name = ?3, form = ?4, capacity = ?5,"
	              " opens = ?6, closes = ?7, visibility = ?8, moderated = ?9,"
	              " edit_repends = ?10, offer_hours = ?11 WHERE event_id = ?1 AND code = ?2"
	            : "INSERT INTO conference_categories (event_id, code, name, form, capacity,"
	              " opens, closes, visibility, moderated, edit_repends, offer_hours, position)"
	              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, event_id);
	lc_db_bind_text(st, 2, code);
	bind_json(st, 3, json_object_get(c, "name"));
	bind_json(st, 4, json_object_get(c, "form"));
	sqlite3_bind_int64(st, 5, cap);
	lc_db_bind_text(st, 6, json_string_value(json_object_get(c, "opens")));
	lc_db_bind_text(st, 7, json_string_value(json_object_get(c, "closes")));
	lc_db_bind_text(st, 8, json_string_value(json_object_get(c, "visibility")));
	sqlite3_bind_int(st, 9, json_is_true(json_object_get(c, "moderated")));
	sqlite3_bind_int(st, 10, json_is_true(json_object_get(c, "edit_repends")));
	sqlite3_bind_int64(st, 11, json_integer_value(json_object_get(c, "offer_hours")));
	if (!exists) {
		/* After the categories there are: a new one comes last. */
		sqlite3_bind_int64(st, 12, position);
	}
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static int write_event(struct lc_db *db, bool create, const json_t *c, int64_t *id)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db, create
	            ? "INSERT INTO conference_events (slug, title, start_date, end_date, timezone,"
	              " venue, languages, demo, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	              " ?8, ?9)"
	            : "UPDATE conference_events SET title = ?2, start_date = ?3, end_date = ?4,"
	              " timezone = ?5, venue = ?6, languages = ?7, demo = ?8 WHERE slug = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, json_string_value(json_object_get(c, "slug")));
	bind_json(st, 2, json_object_get(c, "title"));
	lc_db_bind_text(st, 3, json_string_value(json_object_get(c, "start_date")));
	lc_db_bind_text(st, 4, json_string_value(json_object_get(c, "end_date")));
	lc_db_bind_text(st, 5, json_string_value(json_object_get(c, "timezone")));
	bind_json(st, 6, json_object_get(c, "venue"));
	bind_json(st, 7, json_object_get(c, "languages"));
	sqlite3_bind_int(st, 8, json_is_true(json_object_get(c, "demo")));
	if (create)
		sqlite3_bind_int64(st, 9, lc_clock_now());
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (create)
		*id = lc_db_last_id(db);
	return 0;
}

int lc_conf_save(struct lc_db *db, const struct lc_actor *actor, const char *slug,
                 const json_t *spec, struct lc_diag *d, char slug_out[LC_LIMIT_CONF_SLUG + 1])
{
	slug_out[0] = '\0';
	int err = lc_authz_check(actor, LC_ACT_MANAGE_CONFERENCE, NULL);
	if (err)
		return err;
	bool create = slug == NULL;
	struct lc_conf_event old;
	memset(&old, 0, sizeof old);
	if (!create) {
		err = lc_conf_event_load(db, slug, &old);
		if (err)
			return err;
	}
	struct lc_diag own;
	lc_diag_init(&own);
	json_t *c = check_spec(db, spec, create, &old, &own), *before = NULL;
	if (!c) {
		err = LC_EINVAL;
		goto done;
	}
	err = lc_db_begin(db);
	if (err)
		goto done;
	int64_t id = old.id;
	if (!create)
		before = lc_conf_event_json(&old, "en");
	err = write_event(db, create, c, &id);
	long pos = 0;
	if (!err) {
		sqlite3_stmt *st = lc_db_stmt(db, "SELECT coalesce(max(position), 0) FROM "
		                                  "conference_categories WHERE event_id = ?1");
		if (!st)
			err = LC_EDB;
		else {
			sqlite3_bind_int64(st, 1, id);
			if (lc_db_step(db, st) == 1)
				pos = (long)sqlite3_column_int64(st, 0);
			lc_db_release(db, st);
		}
	}
	size_t i;
	json_t *cat;
	json_array_foreach(json_object_get(c, "categories"), i, cat)
	{
		if (!err)
			err = save_category(db, id, cat, pos + (long)i + 1, &own);
	}
	if (!err)
		err =
		    lc_audit_append_id(db, actor, create ? "conference.create" : "conference.edit",
		                       "conference", id, before, c, NULL);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	else
		snprintf(slug_out, LC_LIMIT_CONF_SLUG + 1, "%s",
		         json_string_value(json_object_get(c, "slug")));
done:
	lc_diag_append(d, &own);
	lc_diag_cleanup(&own);
	json_decref(c);
	json_decref(before);
	lc_conf_event_cleanup(&old);
	return err;
}

/* ---- the demonstration -------------------------------------------------------------------- */

int lc_conf_category_demo(struct lc_db *db)
{
	struct lc_conf_event e;
	int err = lc_conf_event_load(db, LC_CONF_EVENT_DEMO_SLUG, &e);
	if (err)
		return err == LC_ENOTFOUND ? 0 : err;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT count(*) FROM conference_categories WHERE event_id = ?1");
	int rc = LC_EDB;
	if (st) {
		sqlite3_bind_int64(st, 1, e.id);
		rc = lc_db_step(db, st);
		if (rc == 1 && sqlite3_column_int64(st, 0) > 0)
			rc = 0;
		lc_db_release(db, st);
	}
	if (rc != 1) {
		lc_conf_event_cleanup(&e);
		return rc < 0 ? rc : 0;
	}
	json_t *cats = default_categories(e.start_date, 100);
	size_t i;
	json_t *c;
	json_array_foreach(cats, i, c)
	{
		/* The expert category is small: two places, both taken, and a waiting list. */
		if (strcmp(json_string_value(json_object_get(c, "code")), "expert") == 0)
			json_object_set_new(c, "capacity", json_integer(2));
		if (!err)
			err = save_category(db, e.id, c, (long)i + 1, NULL);
	}
	json_decref(cats);
	lc_conf_event_cleanup(&e);
	return err;
}
