/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A conference's programme: the released programme, its sessions and
 * speakers and the changelog (pages and /api/v1 twins), its exports
 * (iCalendar, Frab JSON and XML), a participant's favourites ("my
 * programme"), and the secretariat's editor (a day x room grid of forms)
 * with its API writes. Every write goes through domain/conference/programme.h.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/label.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "domain/conference/event.h"
#include "domain/conference/programme.h"
#include "domain/platform/clock.h"
#include "formats/frab.h"
#include "formats/ical.h"
#include "web/http.h"
#include "web/router.h"

static const struct lc_param_spec slug_param[] = {
    {.name = "slug",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_CONF_SLUG},
    {.name = NULL},
};

static const struct lc_param_spec slug_id_params[] = {
    {.name = "slug",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_CONF_SLUG},
    {.name = "id",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_INT,
     .min = 1,
     .max = 9007199254740991L},
    {.name = NULL},
};

static const struct lc_param_spec programme_params[] = {
    {.name = "slug",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_CONF_SLUG},
    {.name = "version",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_PROG_VERSION_NAME},
    {.name = "track",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_PROG_CODE},
    {.name = "type",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_PROG_CODE},
    {.name = "language", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 8},
    {.name = "room",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_INT,
     .min = 0,
     .max = 9007199254740991L},
    {.name = "day", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 10},
    {.name = NULL},
};

static const struct lc_param_spec now_params[] = {
    {.name = "slug",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_CONF_SLUG},
    {.name = "at", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 16},
    {.name = NULL},
};

static const struct lc_param_spec ics_params[] = {
    {.name = "slug",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_CONF_SLUG},
    {.name = "session",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_INT,
     .min = 1,
     .max = 9007199254740991L},
    {.name = "room",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_INT,
     .min = 1,
     .max = 9007199254740991L},
    {.name = "track",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_PROG_CODE},
    {.name = NULL},
};

static const struct lc_param_spec star_params[] = {
    {.name = "slug",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_CONF_SLUG},
    {.name = "id",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_INT,
     .min = 1,
     .max = 9007199254740991L},
    {.name = "on", .source = LC_PARAM_FORM, .type = LC_PARAM_BOOL},
    {.name = "back", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 300},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec move_params[] = {
    {.name = "slug",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_CONF_SLUG},
    {.name = "id",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_INT,
     .min = 1,
     .max = 9007199254740991L},
    {.name = "start", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 16},
    {.name = "duration", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 8},
    {.name = "room", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 20},
    {.name = "title_en",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_PROG_NAME_BYTES},
    {.name = "cancelled", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 1},
    {.name = "day", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 10},
    {.name = "time", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 5},
    {.name = "capacity", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 8},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec create_params[] = {
    {.name = "slug",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_CONF_SLUG},
    {.name = "title_en",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_PROG_NAME_BYTES},
    {.name = "type",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_PROG_CODE},
    {.name = "day", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 10},
    {.name = "time", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 5},
    {.name = "duration", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 8},
    {.name = "room", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 20},
    {.name = "capacity", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 8},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec editor_params[] = {
    {.name = "slug",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_CONF_SLUG},
    {.name = "day", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 10},
    {.name = "done", .source = LC_PARAM_QUERY, .type = LC_PARAM_BOOL},
    {.name = NULL},
};

static const struct lc_param_spec signup_params[] = {
    {.name = "slug",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_CONF_SLUG},
    {.name = "id",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_INT,
     .min = 1,
     .max = 9007199254740991L},
    {.name = "withdraw", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 1},
    {.name = "back", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 300},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec release_params[] = {
    {.name = "slug",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_CONF_SLUG},
    {.name = "name",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_PROG_VERSION_NAME + 8},
    {.name = "note",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_PROG_NOTE_BYTES + 8},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const char *opt(const struct lc_req *req, const char *name)
{
	const char *s = lc_req_str(req, name);
	return s && *s ? s : NULL;
}

/* ---- views ---------------------------------------------------------------- */

static int load_programme(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	struct lc_conf_event e;
	int err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (err)
		return err;
	struct lc_prog_filter f = {.track = opt(req, "track"),
	                           .type = opt(req, "type"),
	                           .lang = opt(req, "language"),
	                           .day = opt(req, "day"),
	                           .room = lc_req_int(req, "room", 0)};
	err = lc_prog_view(db, &e, opt(req, "version"), req->lang, &f, vm);
	lc_conf_event_cleanup(&e);
	return err;
}

static int load_session(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	struct lc_conf_event e;
	int err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (err)
		return err;
	err = lc_prog_session_view(db, &e, lc_req_int(req, "id", 0), req->lang, vm);
	lc_conf_event_cleanup(&e);
	return err;
}

static int load_speakers(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	struct lc_conf_event e;
	int err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (err)
		return err;
	err = lc_prog_speakers_view(db, &e, lc_req_int(req, "id", 0), req->lang, vm);
	lc_conf_event_cleanup(&e);
	return err;
}

static int load_changelog(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	struct lc_conf_event e;
	int err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (err)
		return err;
	err = lc_prog_changelog(db, &e, req->lang, vm);
	if (!err)
		json_object_set_new(*vm, "conference", lc_conf_event_json(&e, req->lang));
	lc_conf_event_cleanup(&e);
	return err;
}

/* Sets "signup" on session s when it takes sign-ups: its places and the reader's state. */
static void signup_of(json_t *s, const json_t *places, const json_t *mine)
{
	char key[24];
	snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(s, "id")));
	const json_t *p = json_object_get(places, key);
	if (!p)
		return;
	json_t *v = json_deep_copy(p);
	const json_t *m = json_object_get(mine, key);
	const char *state = json_string_value(json_object_get(m, "state"));
	json_object_set_new(v, "full",
	                    json_boolean(json_integer_value(json_object_get(p, "left")) == 0));
	if (state) {
		json_object_set_new(v, state, json_true());
		json_object_set(v, "offer_until", json_object_get(m, "offer_until"));
	} else
		json_object_set_new(v, "none", json_true());
	json_object_set_new(s, "signup", v);
}

/* The sign-up places of the sessions of vm (a day list or one session) and the reader's own. */
static void dress_signups(struct lc_req *req, struct lc_db *db, json_t *vm)
{
	const char *slug =
	    json_string_value(json_object_get(json_object_get(vm, "conference"), "slug"));
	struct lc_conf_event e;
	if (!slug || lc_conf_event_load(db, slug, &e) != 0)
		return;
	json_t *places = NULL, *mine = NULL;
	if (lc_prog_signup_places(db, &e, &places) == 0 &&
	    lc_prog_signup_mine(db, lc_auth_actor(req), &e, &mine) == 0) {
		size_t i, k;
		json_t *day, *s;
		json_array_foreach(json_object_get(vm, "days"), i, day)
		    json_array_foreach(json_object_get(day, "sessions"), k, s)
		        signup_of(s, places, mine);
		json_t *one = json_object_get(vm, "session");
		if (one)
			signup_of(one, places, mine);
	}
	json_decref(places);
	json_decref(mine);
	lc_conf_event_cleanup(&e);
}

static int load_now(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	struct lc_conf_event e;
	int err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (err)
		return err;
	err = lc_prog_now(db, &e, opt(req, "at"), lc_clock_now(), req->lang, vm);
	if (err == LC_EINVAL)
		lc_diag_add(d, NULL, 0, 0, "at", "err_prog_start");
	lc_conf_event_cleanup(&e);
	return err;
}

/* What pages add for people: who may star, edit, and the filters' state. */
static int dress_programme(struct lc_req *req, struct lc_db *db, json_t *vm, json_t *extra)
{
	const struct lc_actor *a = lc_auth_actor(req);
	json_object_set_new(extra, "can_edit",
	                    json_boolean(lc_authz_check(a, LC_ACT_EDIT_PROGRAMME, NULL) == 0));
	bool star = a->kind == LC_ACTOR_ACCOUNT;
	json_object_set_new(extra, "can_star", json_boolean(star));
	json_object_set_new(extra, "here", json_string(req->path));
	dress_signups(req, db, vm);
	if (star) {
		struct lc_conf_event e;
		json_t *fav = NULL;
		const char *slug =
		    json_string_value(json_object_get(json_object_get(vm, "conference"), "slug"));
		if (lc_conf_event_load(db, slug, &e) == 0) {
			if (lc_prog_favourites(db, a, &e, &fav) == 0) {
				/* Marks the starred sessions of every day (and the one session). */
				size_t i, k;
				json_t *day, *s;
				json_array_foreach(json_object_get(vm, "days"), i, day)
				    json_array_foreach(json_object_get(day, "sessions"), k, s)
				{
					size_t j;
					json_t *v;
					json_array_foreach(
					    fav, j, v) if (json_equal(v, json_object_get(s, "id")))
					    json_object_set_new(s, "starred", json_true());
				}
				json_t *one = json_object_get(vm, "session");
				size_t j;
				json_t *v;
				json_array_foreach(
				    fav, j, v) if (one && json_equal(v, json_object_get(one, "id")))
				    json_object_set_new(one, "starred", json_true());
				json_decref(fav);
			}
			lc_conf_event_cleanup(&e);
		}
	}
	return 0;
}

static const struct lc_site_view programme_view = {
    .load = load_programme,
    .tpl = "programme",
    .title_key = "prog_title",
    .nav = "conferences",
    .dress = dress_programme,
    .cached = true,
};
static const struct lc_site_view session_view = {
    .load = load_session,
    .tpl = "programme_session",
    .title_key = "prog_session_title",
    .nav = "conferences",
    .dress = dress_programme,
    .cached = true,
};
static const struct lc_site_view speakers_view = {
    .load = load_speakers,
    .tpl = "programme_speakers",
    .title_key = "prog_speakers_title",
    .nav = "conferences",
    .cached = true,
};
/* Not cached: it follows the clock. */
static const struct lc_site_view now_view = {
    .load = load_now,
    .tpl = "programme_now",
    .title_key = "prog_now_title",
    .nav = "conferences",
};
static const struct lc_site_view changelog_view = {
    .load = load_changelog,
    .tpl = "programme_changelog",
    .title_key = "prog_changelog_title",
    .nav = "conferences",
    .cached = true,
};

/* ---- exports ------------------------------------------------------------------ */

/* The newest release of the path's conference, and what an export needs. */
static int released(struct lc_req *req, struct lc_db *db, struct lc_conf_event *e, json_t **rel,
                    struct lc_prog_export *x)
{
	int err = lc_conf_event_load(db, lc_req_str(req, "slug"), e);
	if (err)
		return err;
	err = lc_prog_released(db, e, NULL, rel);
	if (err)
		return err;
	const json_t *v = json_object_get(*rel, "version");
	const struct lc_app *app = req->app;
	*x = (struct lc_prog_export){
	    .slug = e->slug,
	    .title = lc_prog_tr(e->title, req->lang),
	    .timezone = e->timezone,
	    .start_date = e->start_date,
	    .end_date = e->end_date,
	    .lang = req->lang,
	    .base_url = app ? app->base_url : NULL,
	    .version = json_string_value(json_object_get(v, "name")),
	};
	/* DTSTAMP: when the release was made ("YYYY-MM-DDTHH:MM:SSZ"), as Unix seconds
	 * (days from civil, Howard Hinnant's algorithm). */
	const char *at = json_string_value(json_object_get(v, "released_at"));
	int y = 0, m = 0, d = 0, hh = 0, mi = 0, ss = 0;
	x->dtstamp = 0;
	if (at && sscanf(at, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &m, &d, &hh, &mi, &ss) == 6) {
		y -= m <= 2;
		long era = (y >= 0 ? y : y - 399) / 400;
		long yoe = y - era * 400;
		long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		long days = era * 146097 + doe - 719468;
		x->dtstamp = (int64_t)days * 86400 + hh * 3600 + mi * 60 + ss;
	}
	return 0;
}

static int send_ics(struct lc_req *req, struct lc_resp *resp, const json_t *only, const char *file)
{
	struct lc_db *db = NULL;
	struct lc_conf_event e = {0};
	json_t *rel = NULL;
	struct lc_prog_export x;
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_PROG_EXPORT_BYTES);
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = released(req, db, &e, &rel, &x);
	lc_site_db_read_end(req, db);
	if (!err) {
		x.only = only;
		err = lc_ical_programme(json_object_get(rel, "programme"), &x, &b);
	}
	if (!err) {
		lc_resp_text(resp, "text/calendar; charset=utf-8", lc_buf_cstr(&b),
		             strlen(lc_buf_cstr(&b)));
		char cd[160];
		snprintf(cd, sizeof cd, "attachment; filename=\"%s-%s.ics\"", e.slug, file);
		lc_resp_header(resp, "Content-Disposition", cd);
	}
	lc_buf_cleanup(&b);
	json_decref(rel);
	lc_conf_event_cleanup(&e);
	return err;
}

/* The sessions of doc a filter of the query keeps (one session, a room, a track). */
static json_t *selection(struct lc_req *req, struct lc_db *db)
{
	long session = lc_req_int(req, "session", 0), room = lc_req_int(req, "room", 0);
	const char *track = opt(req, "track");
	if (!session && !room && !track)
		return NULL;
	struct lc_conf_event e;
	json_t *rel = NULL, *ids = json_array();
	if (lc_conf_event_load(db, lc_req_str(req, "slug"), &e) == 0) {
		if (lc_prog_released(db, &e, NULL, &rel) == 0) {
			size_t i;
			const json_t *s;
			json_array_foreach(
			    json_object_get(json_object_get(rel, "programme"), "sessions"), i, s)
			{
				const char *t = json_string_value(json_object_get(s, "track"));
				if ((session &&
				     json_integer_value(json_object_get(s, "id")) != session) ||
				    (room &&
				     json_integer_value(json_object_get(s, "room")) != room) ||
				    (track && (!t || strcmp(t, track) != 0)))
					continue;
				json_array_append(ids, json_object_get(s, "id"));
			}
			json_decref(rel);
		}
		lc_conf_event_cleanup(&e);
	}
	return ids;
}

static int route_ics(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	json_t *only = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		only = selection(req, db);
	lc_site_db_read_end(req, db);
	if (!err)
		err = send_ics(req, resp, only, "programme");
	json_decref(only);
	return err;
}

static int route_my_ics(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	json_t *fav = NULL;
	struct lc_conf_event e;
	int err = lc_site_db_read(req, &db);
	if (!err) {
		err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
		if (!err) {
			err = lc_prog_favourites(db, lc_auth_actor(req), &e, &fav);
			lc_conf_event_cleanup(&e);
		}
	}
	lc_site_db_read_end(req, db);
	if (!err)
		err = send_ics(req, resp, fav, "my-programme");
	json_decref(fav);
	return lc_auth_fail(req, resp, err);
}

static int route_frab(struct lc_req *req, struct lc_resp *resp, bool xml)
{
	struct lc_db *db = NULL;
	struct lc_conf_event e = {0};
	json_t *rel = NULL, *j = NULL;
	struct lc_prog_export x;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = released(req, db, &e, &rel, &x);
	lc_site_db_read_end(req, db);
	const char *no_room = lc_site_t(req, "prog_off_site");
	if (!err && xml) {
		struct lc_buf b;
		lc_buf_init(&b, LC_LIMIT_PROG_EXPORT_BYTES);
		err = lc_frab_xml(json_object_get(rel, "programme"), &x, no_room, &b);
		if (!err)
			lc_resp_text(resp, "application/xml; charset=utf-8", lc_buf_cstr(&b),
			             strlen(lc_buf_cstr(&b)));
		lc_buf_cleanup(&b);
	} else if (!err) {
		err = lc_frab_json(json_object_get(rel, "programme"), &x, no_room, &j);
		if (!err)
			err = lc_resp_json(resp, j);
	}
	json_decref(j);
	json_decref(rel);
	lc_conf_event_cleanup(&e);
	return err;
}

static int route_frab_json(struct lc_req *req, struct lc_resp *resp)
{
	return route_frab(req, resp, false);
}

static int route_frab_xml(struct lc_req *req, struct lc_resp *resp)
{
	return route_frab(req, resp, true);
}

/* ---- favourites ------------------------------------------------------------- */

static int route_my_programme(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	json_t *vm = NULL, *fav = NULL, *extra = json_object();
	struct lc_conf_event e;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (!err) {
		err = lc_prog_favourites(db, lc_auth_actor(req), &e, &fav);
		struct lc_prog_filter f = {.only = fav};
		if (!err)
			err = lc_prog_view(db, &e, NULL, req->lang, &f, &vm);
		lc_conf_event_cleanup(&e);
	}
	if (!err)
		dress_signups(req, db, vm);
	lc_site_db_read_end(req, db);
	if (!err) {
		json_object_set_new(vm, "mine", json_true());
		json_object_set_new(extra, "can_star", json_true());
		json_object_set_new(extra, "here", json_string(req->path));
		size_t i, k;
		json_t *day, *s;
		json_array_foreach(json_object_get(vm, "days"), i, day)
		    json_array_foreach(json_object_get(day, "sessions"), k, s)
		        json_object_set_new(s, "starred", json_true());
		err = lc_site_page(req, resp, "programme", lc_site_t(req, "prog_mine_title"),
		                   "conferences", vm, extra);
	}
	json_decref(vm);
	json_decref(fav);
	json_decref(extra);
	return lc_auth_fail(req, resp, err);
}

static int route_star(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	struct lc_conf_event e;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (!err) {
		err = lc_prog_favourite_set(db, lc_auth_actor(req), &e, lc_req_int(req, "id", 0),
		                            lc_req_bool(req, "on"));
		lc_conf_event_cleanup(&e);
	}
	lc_site_db_release(req, db);
	if (!err) {
		const char *back = lc_req_str(req, "back");
		char where[400];
		if (back && lc_auth_safe_next(back))
			snprintf(where, sizeof where, "%s", back);
		else
			snprintf(where, sizeof where, "/conferences/%s/programme",
			         lc_req_str(req, "slug"));
		err = lc_resp_redirect(resp, where);
	}
	return lc_auth_fail(req, resp, err);
}

/* ---- sign-up for sessions ----------------------------------------------------- */

/* Signs up (or accepts an offer, or withdraws with withdraw=1): d and *state as lc_prog_signup. */
static int signup_write(struct lc_req *req, bool withdraw, struct lc_diag *d, char state[32])
{
	struct lc_db *db = NULL;
	struct lc_conf_event e;
	state[0] = '\0';
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (!err) {
		int64_t id = lc_req_int(req, "id", 0);
		err = withdraw ? lc_prog_signup_withdraw(db, lc_auth_actor(req), &e, id)
		               : lc_prog_signup(db, lc_auth_actor(req), &e, id, d, state);
		lc_conf_event_cleanup(&e);
	}
	lc_site_db_release(req, db);
	return err;
}

static int route_signup(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_diag d;
	lc_diag_init(&d);
	char state[32];
	const char *w = lc_req_str(req, "withdraw");
	int err = signup_write(req, w && strcmp(w, "1") == 0, &d, state);
	if (err == LC_ECONFLICT) {
		/* The session's page again, with the reason in words. */
		struct lc_db *db = NULL;
		json_t *vm = NULL, *extra = json_object();
		err = lc_site_db_read(req, &db);
		if (!err)
			err = load_session(req, db, &vm, NULL);
		if (!err)
			dress_programme(req, db, vm, extra);
		lc_site_db_read_end(req, db);
		if (!err) {
			json_object_set_new(
			    vm, "signup_error",
			    json_string(d.count ? lc_site_problem(req, &d.items[0]) : ""));
			err = lc_site_page(req, resp, "programme_session",
			                   lc_site_t(req, "prog_session_title"), "conferences", vm,
			                   extra);
			resp->status = 409;
		}
		json_decref(vm);
		json_decref(extra);
	} else if (!err) {
		const char *back = lc_req_str(req, "back");
		char where[400];
		if (back && lc_auth_safe_next(back))
			snprintf(where, sizeof where, "%s", back);
		else
			snprintf(where, sizeof where, "/conferences/%s/sessions/%ld",
			         lc_req_str(req, "slug"), lc_req_int(req, "id", 0));
		err = lc_resp_redirect(resp, where);
	}
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* POST signs up (201 {"state"}), DELETE withdraws (200 {"state": "withdrawn"}). */
static int api_signup(struct lc_req *req, struct lc_resp *resp, bool withdraw)
{
	struct lc_diag d;
	lc_diag_init(&d);
	char state[32];
	int err = signup_write(req, withdraw, &d, state);
	if (err == LC_ECONFLICT)
		err = lc_site_refusal(req, resp, 409,
		                      d.count ? lc_site_problem(req, &d.items[0]) : "", &d);
	else if (!err) {
		json_t *ok = json_pack("{s:s}", "state", withdraw ? "withdrawn" : state);
		err = lc_resp_json(resp, ok);
		json_decref(ok);
		if (!withdraw)
			resp->status = 201;
	}
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

static int route_api_signup(struct lc_req *req, struct lc_resp *resp)
{
	return api_signup(req, resp, false);
}

static int route_api_withdraw(struct lc_req *req, struct lc_resp *resp)
{
	return api_signup(req, resp, true);
}

static int load_signups(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	struct lc_conf_event e;
	int err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (err)
		return err;
	err = lc_prog_signup_list(db, lc_auth_actor(req), &e, lc_req_int(req, "id", 0), req->lang,
	                          vm);
	if (!err) {
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(*vm, "items"), i, it) json_object_set_new(
		    it, "state_text",
		    json_string(lc_label_text(req, lc_label_signup_states,
		                              json_string_value(json_object_get(it, "state")))));
	}
	lc_conf_event_cleanup(&e);
	return err;
}

static const struct lc_site_view signups_view = {
    .load = load_signups,
    .tpl = "programme_signups",
    .title_key = "prog_signups_title",
    .nav = "conferences",
};

/* ---- the editor ----------------------------------------------------------- */

/* "HH:MM" of minutes since midnight. */
static void hhmm(long m, char out[8])
{
	snprintf(out, 8, "%02d:%02d", (int)(m / 60) % 100, (int)(m % 60));
}

/* The catalogue key of a warning's code (literal keys, for the catalogue check). */
static const char *warning_key(const char *code)
{
	if (strcmp(code, "room_twice") == 0)
		return "prog_warn_room_twice";
	if (strcmp(code, "speaker_twice") == 0)
		return "prog_warn_speaker_twice";
	if (strcmp(code, "room_small") == 0)
		return "prog_warn_room_small";
	return "prog_warn_outside_day";
}

/* The warnings of draft said with the sessions' titles and where they are on the grid. */
static json_t *warnings_said(struct lc_req *req, const json_t *draft)
{
	json_t *out = json_array();
	size_t i;
	const json_t *w;
	const json_t *sessions = json_object_get(draft, "sessions");
	json_array_foreach(json_object_get(draft, "warnings"), i, w)
	{
		const json_t *a =
		    lc_prog_find(sessions, json_integer_value(json_object_get(w, "session")), NULL);
		const json_t *b =
		    lc_prog_find(sessions, json_integer_value(json_object_get(w, "other")), NULL);
		const char *start = json_string_value(json_object_get(a, "start"));
		char day[11] = "";
		if (start && strlen(start) >= 10) {
			memcpy(day, start, 10);
			day[10] = '\0';
		}
		json_array_append_new(
		    out,
		    json_pack(
		        "{s:s, s:O, s:s, s:s*, s:s}", "text",
		        lc_site_t(req, warning_key(json_string_value(json_object_get(w, "code")))),
		        "id", json_object_get(w, "session"), "title",
		        lc_prog_tr(json_object_get(a, "title"), req->lang), "other",
		        b ? lc_prog_tr(json_object_get(b, "title"), req->lang) : NULL, "day", day));
	}
	return out;
}

/* The rooms of draft as choices, room (0: none) selected. */
static json_t *room_choices(struct lc_req *req, const json_t *draft, json_int_t room)
{
	json_t *rooms = json_array();
	size_t k;
	const json_t *r;
	json_array_foreach(json_object_get(draft, "rooms"), k, r) json_array_append_new(
	    rooms, json_pack("{s:O, s:s, s:b}", "id", json_object_get(r, "id"), "name",
	                     lc_prog_tr(json_object_get(r, "name"), req->lang), "selected",
	                     json_integer_value(json_object_get(r, "id")) == room));
	return rooms;
}

/*
 * The grid of one day: a column per room (and one for sessions without a
 * room), a row per LC_LIMIT_PROG_GRID_SLOT minutes from the day's first
 * session (08:00 at the latest) to its last end (18:00 at the earliest); a
 * session's card, with its own form, sits in the slot its start falls in.
 */
static json_t *grid(struct lc_req *req, const json_t *draft, const char *date, json_t *warned)
{
	const json_t *sessions = json_object_get(draft, "sessions");
	long first = 8 * 60, last = 18 * 60;
	size_t i;
	const json_t *s;
	json_array_foreach(sessions, i, s)
	{
		const char *start = json_string_value(json_object_get(s, "start"));
		if (!start || strncmp(start, date, 10) != 0)
			continue;
		long m0 = lc_prog_minutes(start);
		long m1 = m0 + (long)json_integer_value(json_object_get(s, "duration"));
		if (m0 < first)
			first = m0;
		if (m1 > last)
			last = m1;
	}
	first -= first % LC_LIMIT_PROG_GRID_SLOT;
	if (last > 24 * 60)
		last = 24 * 60;
	json_t *cols = json_array();
	const json_t *r;
	json_array_foreach(json_object_get(draft, "rooms"), i, r) json_array_append_new(
	    cols, json_pack("{s:O, s:s, s:O}", "id", json_object_get(r, "id"), "name",
	                    lc_prog_tr(json_object_get(r, "name"), req->lang), "capacity",
	                    json_object_get(r, "capacity")));
	json_array_append_new(
	    cols, json_pack("{s:s, s:s}", "id", "", "name", lc_site_t(req, "prog_off_site")));
	json_t *rows = json_array();
	for (long m = first; m < last; m += LC_LIMIT_PROG_GRID_SLOT) {
		char t[8];
		hhmm(m, t);
		json_t *cells = json_array();
		size_t c;
		const json_t *col;
		json_array_foreach(cols, c, col)
		{
			json_t *cards = json_array();
			json_int_t room = json_integer_value(json_object_get(col, "id"));
			json_array_foreach(sessions, i, s)
			{
				const char *start = json_string_value(json_object_get(s, "start"));
				if (!start || strncmp(start, date, 10) != 0 ||
				    json_integer_value(json_object_get(s, "room")) != room)
					continue;
				long m0 = lc_prog_minutes(start);
				if (m0 < m || m0 >= m + LC_LIMIT_PROG_GRID_SLOT)
					continue;
				json_t *card = lc_prog_session_json(draft, s, req->lang);
				json_object_set_new(card, "room_choices",
				                    room_choices(req, draft, room));
				json_object_set_new(card, "date", json_string(date));
				/* Places for sign-up and how many took them (lc_prog_draft counts).
				 */
				json_object_set(card, "capacity", json_object_get(s, "capacity"));
				json_object_set_new(card, "signups",
				                    json_integer(json_integer_value(
				                        json_object_get(s, "signups"))));
				json_object_set(card, "waiting", json_object_get(s, "waiting"));
				json_t *mine = json_array();
				size_t k;
				const json_t *w;
				json_int_t id = json_integer_value(json_object_get(s, "id"));
				json_array_foreach(
				    warned, k,
				    w) if (json_integer_value(json_object_get(w, "id")) == id)
				    json_array_append(mine, (json_t *)w);
				json_object_set_new(card, "has_warnings",
				                    json_boolean(json_array_size(mine) > 0));
				json_object_set_new(card, "warnings", mine);
				json_array_append_new(cards, card);
			}
			json_array_append_new(
			    cells, json_pack("{s:s, s:s, s:O, s:O, s:o}", "day", date, "time", t,
			                     "room", json_object_get(col, "id"), "room_name",
			                     json_object_get(col, "name"), "sessions", cards));
		}
		json_array_append_new(rows, json_pack("{s:s, s:o}", "time", t, "cells", cells));
	}
	return json_pack("{s:o, s:o}", "rooms", cols, "rows", rows);
}

/* The editor of one day (?day=, the first day by default), with errors (taken) when a form failed.
 */
static int editor_page(struct lc_req *req, struct lc_resp *resp, int status, json_t *errors)
{
	struct lc_db *db = NULL;
	struct lc_conf_event e;
	json_t *draft = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (!err) {
		err = lc_prog_draft(db, lc_auth_actor(req), &e, &draft);
		if (err) {
			lc_conf_event_cleanup(&e);
		}
	}
	lc_site_db_read_end(req, db);
	if (err) {
		json_decref(errors);
		return err;
	}
	json_t *days = lc_prog_days(&e);
	const char *date = opt(req, "day");
	bool known = false;
	size_t i;
	const json_t *v;
	json_array_foreach(days, i, v) known =
	    known || (date && strcmp(json_string_value(v), date) == 0);
	if (!known)
		date = json_string_value(json_array_get(days, 0));
	json_t *day_choices = json_array();
	json_array_foreach(days, i, v) json_array_append_new(
	    day_choices, json_pack("{s:O, s:b}", "date", v, "selected",
	                           date && strcmp(json_string_value(v), date) == 0));
	json_t *warned = warnings_said(req, draft);
	json_t *vm = json_pack("{s:o, s:o, s:s*}", "conference", lc_conf_event_json(&e, req->lang),
	                       "days", day_choices, "day", date);
	json_object_set_new(vm, "grid", date ? grid(req, draft, date, warned) : json_null());
	json_t *types = json_array();
	const json_t *t;
	json_array_foreach(json_object_get(draft, "types"), i, t) json_array_append_new(
	    types, json_pack("{s:O, s:s}", "code", json_object_get(t, "code"), "name",
	                     lc_prog_tr(json_object_get(t, "name"), req->lang)));
	json_object_set_new(vm, "types", types);
	json_object_set_new(vm, "room_choices", room_choices(req, draft, 0));
	json_object_set_new(vm, "has_warnings", json_boolean(json_array_size(warned) > 0));
	json_object_set_new(vm, "warnings", warned);
	json_object_set(vm, "pending", json_object_get(draft, "pending"));
	json_object_set_new(vm, "errors", errors ? errors : json_object());
	json_object_set_new(vm, "done", json_boolean(lc_req_bool(req, "done")));
	json_t *extra = json_pack("{s:s}", "script", "programme_edit.js");
	err = lc_site_page(req, resp, "programme_edit", lc_site_t(req, "prog_edit_title"),
	                   "conferences", vm, extra);
	resp->status = status;
	json_decref(extra);
	json_decref(vm);
	json_decref(days);
	json_decref(draft);
	lc_conf_event_cleanup(&e);
	return err;
}

static int route_editor(struct lc_req *req, struct lc_resp *resp)
{
	return lc_auth_fail(req, resp, editor_page(req, resp, 200, NULL));
}

/* "start" of a form: "start" itself, or "day" and "time" together; NULL when neither. */
static json_t *form_start(struct lc_req *req)
{
	const char *start = opt(req, "start"), *day = opt(req, "day"), *time = opt(req, "time");
	if (day || time) {
		char buf[40];
		snprintf(buf, sizeof buf, "%sT%s", day ? day : "", time ? time : "");
		return json_string(buf);
	}
	return start ? json_string(start) : NULL;
}

/* The form of one session (or of a new one): only what it sends changes. */
static json_t *move_spec(struct lc_req *req)
{
	json_t *spec = json_object();
	const char *duration = opt(req, "duration");
	const char *room = lc_req_str(req, "room"), *title = opt(req, "title_en");
	const char *cancelled = opt(req, "cancelled");
	json_t *start = form_start(req);
	if (start)
		json_object_set_new(spec, "start", start);
	if (duration)
		json_object_set_new(spec, "duration", json_integer(lc_site_number(duration, -1)));
	if (room)
		json_object_set_new(spec, "room",
		                    *room ? json_integer(lc_site_number(room, -1)) : json_null());
	if (title) {
		json_object_set_new(spec, "title", json_object());
		json_object_set_new(json_object_get(spec, "title"), "en", json_string(title));
	}
	if (cancelled)
		json_object_set_new(spec, "cancelled", json_boolean(strcmp(cancelled, "1") == 0));
	/* Places for sign-up: empty means the session takes none. */
	const char *capacity = lc_req_str(req, "capacity");
	if (capacity)
		json_object_set_new(spec, "capacity",
		                    *capacity ? json_integer(lc_site_number(capacity, -1))
		                              : json_null());
	return spec;
}

/* Back to the grid of the day the session now starts on, at its card. */
static int to_grid(struct lc_req *req, struct lc_resp *resp, const json_t *spec, int64_t id)
{
	const char *start = json_string_value(json_object_get(spec, "start"));
	char day[11] = "";
	if (start && strlen(start) >= 10) {
		memcpy(day, start, 10);
		day[10] = '\0';
	}
	char where[200];
	snprintf(where, sizeof where, "/conferences/%s/programme/edit?done=1%s%s#s%lld",
	         lc_req_str(req, "slug"), *day ? "&day=" : "", day, (long long)id);
	return lc_resp_redirect(resp, where);
}

static int route_editor_move(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	struct lc_conf_event e;
	struct lc_diag d;
	lc_diag_init(&d);
	json_t *spec = move_spec(req);
	int64_t id = lc_req_int(req, "id", 0);
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (!err) {
		/* The title form sends English only: keep the other languages. */
		json_t *draft = NULL;
		if (json_object_get(spec, "title") &&
		    lc_prog_draft(db, lc_auth_actor(req), &e, &draft) == 0) {
			const json_t *s =
			    lc_prog_find(json_object_get(draft, "sessions"), id, NULL);
			if (s) {
				json_t *t = json_deep_copy(json_object_get(s, "title"));
				json_object_set(
				    t, "en", json_object_get(json_object_get(spec, "title"), "en"));
				json_object_set_new(spec, "title", t);
			}
			json_decref(draft);
		}
		err = lc_prog_session_put(db, lc_auth_actor(req), &e, id, spec, &d, NULL);
		lc_conf_event_cleanup(&e);
	}
	lc_site_db_release(req, db);
	if (err == LC_EINVAL)
		err = editor_page(req, resp, 422, lc_site_field_errors(req, &d));
	else if (!err)
		err = to_grid(req, resp, spec, id);
	json_decref(spec);
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

static int route_editor_create(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	struct lc_conf_event e;
	struct lc_diag d;
	lc_diag_init(&d);
	json_t *spec = move_spec(req);
	const char *type = opt(req, "type");
	if (type)
		json_object_set_new(spec, "type", json_string(type));
	if (!json_object_get(spec, "title"))
		json_object_set_new(spec, "title", json_object());
	int64_t id = 0;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (!err) {
		err = lc_prog_session_put(db, lc_auth_actor(req), &e, 0, spec, &d, &id);
		lc_conf_event_cleanup(&e);
	}
	lc_site_db_release(req, db);
	if (err == LC_EINVAL)
		err = editor_page(req, resp, 422, lc_site_field_errors(req, &d));
	else if (!err)
		err = to_grid(req, resp, spec, id);
	json_decref(spec);
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

static int route_editor_release(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	struct lc_conf_event e;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (!err) {
		err = lc_prog_release(db, lc_auth_actor(req), &e, lc_req_str(req, "name"),
		                      lc_req_str(req, "note"), &d);
		lc_conf_event_cleanup(&e);
	}
	lc_site_db_release(req, db);
	if (err == LC_EINVAL)
		err = editor_page(req, resp, 422, lc_site_field_errors(req, &d));
	else if (!err) {
		char where[200];
		snprintf(where, sizeof where, "/conferences/%s/changelog", lc_req_str(req, "slug"));
		err = lc_resp_redirect(resp, where);
	}
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* ---- API writes --------------------------------------------------------------- */

static int route_api_draft(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	struct lc_conf_event e;
	json_t *draft = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (!err) {
		err = lc_prog_draft(db, lc_auth_actor(req), &e, &draft);
		lc_conf_event_cleanup(&e);
	}
	lc_site_db_read_end(req, db);
	if (!err)
		err = lc_resp_json(resp, draft);
	json_decref(draft);
	return lc_auth_fail(req, resp, err);
}

/* PUT .../sessions/{id} updates, POST .../sessions creates; POST .../releases releases. */
static int api_write(struct lc_req *req, struct lc_resp *resp, int what)
{
	json_t *body = NULL;
	char msg[256];
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		return 0;
	}
	struct lc_db *db = NULL;
	struct lc_conf_event e;
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = what == 0 ? lc_req_int(req, "id", 0) : 0;
	json_t *warnings = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (!err) {
		if (what == 2)
			err = lc_prog_release(db, lc_auth_actor(req), &e,
			                      json_string_value(json_object_get(body, "name")),
			                      json_string_value(json_object_get(body, "note")), &d);
		else
			err = lc_prog_session_put(db, lc_auth_actor(req), &e, id, body, &d, &id);
		/* A session's write answers with the warnings it is part of: saved, not hidden. */
		json_t *draft = NULL;
		if (!err && what != 2 && lc_prog_draft(db, lc_auth_actor(req), &e, &draft) == 0) {
			warnings = json_array();
			size_t i;
			json_t *w;
			json_array_foreach(
			    json_object_get(draft, "warnings"), i,
			    w) if (json_integer_value(json_object_get(w, "session")) == id ||
			           json_integer_value(json_object_get(w, "other")) == id)
			    json_array_append(warnings, w);
			json_decref(draft);
		}
		lc_conf_event_cleanup(&e);
	}
	lc_site_db_release(req, db);
	json_decref(body);
	if (!warnings)
		warnings = json_array();
	if (err == LC_EINVAL)
		err = lc_site_refuse(req, resp, err, &d);
	else if (!err) {
		json_t *ok = what == 2 ? json_pack("{s:b}", "released", 1)
		                       : json_pack("{s:I, s:O}", "id", id, "warnings", warnings);
		err = lc_resp_json(resp, ok);
		json_decref(ok);
		if (what != 0)
			resp->status = 201;
	}
	json_decref(warnings);
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

static int route_api_session_put(struct lc_req *req, struct lc_resp *resp)
{
	return api_write(req, resp, 0);
}

static int route_api_session_new(struct lc_req *req, struct lc_resp *resp)
{
	return api_write(req, resp, 1);
}

static int route_api_release(struct lc_req *req, struct lc_resp *resp)
{
	return api_write(req, resp, 2);
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    LC_SITE_VIEW("/conferences/{slug}/programme", &programme_view, programme_params, 0),
    LC_SITE_VIEW("/conferences/{slug}/sessions/{id}", &session_view, slug_id_params, 0),
    LC_SITE_VIEW("/conferences/{slug}/speakers", &speakers_view, slug_param, 0),
    LC_SITE_VIEW("/conferences/{slug}/speakers/{id}", &speakers_view, slug_id_params, 0),
    LC_SITE_VIEW("/conferences/{slug}/changelog", &changelog_view, slug_param, 0),
    LC_SITE_VIEW("/conferences/{slug}/now", &now_view, now_params, 0),
    LC_SITE_CACHED("/conferences/{slug}/programme.ics", route_ics, ics_params),
    LC_SITE_CACHED("/conferences/{slug}/schedule.json", route_frab_json, slug_param),
    LC_SITE_CACHED("/conferences/{slug}/schedule.xml", route_frab_xml, slug_param),
    {LC_HTTP_GET, "/conferences/{slug}/my-programme", route_my_programme, slug_param, 0,
     LC_ROUTE_LOGIN | A(STAR_SESSIONS), NULL},
    {LC_HTTP_GET, "/conferences/{slug}/my-programme.ics", route_my_ics, slug_param, 0,
     LC_ROUTE_LOGIN | A(STAR_SESSIONS), NULL},
    {LC_HTTP_POST, "/conferences/{slug}/sessions/{id}/star", route_star, star_params, 0,
     LC_ROUTE_LOGIN | A(STAR_SESSIONS), NULL},
    {LC_HTTP_POST, "/conferences/{slug}/sessions/{id}/signup", route_signup, signup_params, 0,
     LC_ROUTE_LOGIN | A(STAR_SESSIONS), NULL},
    {LC_HTTP_POST, "/api/v1/conferences/{slug}/sessions/{id}/signup", route_api_signup,
     slug_id_params, 0, LC_ROUTE_LOGIN | A(STAR_SESSIONS), NULL},
    {LC_HTTP_DELETE, "/api/v1/conferences/{slug}/sessions/{id}/signup", route_api_withdraw,
     slug_id_params, 0, LC_ROUTE_LOGIN | A(STAR_SESSIONS), NULL},
    LC_SITE_VIEW("/conferences/{slug}/sessions/{id}/signups", &signups_view, slug_id_params,
                 LC_ROUTE_LOGIN | A(EDIT_PROGRAMME)),
    {LC_HTTP_GET, "/conferences/{slug}/programme/edit", route_editor, editor_params, 0,
     LC_ROUTE_LOGIN | A(EDIT_PROGRAMME), NULL},
    {LC_HTTP_POST, "/conferences/{slug}/programme/sessions/{id}", route_editor_move, move_params, 0,
     LC_ROUTE_LOGIN | A(EDIT_PROGRAMME), NULL},
    {LC_HTTP_POST, "/conferences/{slug}/programme/sessions", route_editor_create, create_params, 0,
     LC_ROUTE_LOGIN | A(EDIT_PROGRAMME), NULL},
    {LC_HTTP_POST, "/conferences/{slug}/programme/release", route_editor_release, release_params, 0,
     LC_ROUTE_LOGIN | A(EDIT_PROGRAMME), NULL},
    {LC_HTTP_GET, "/api/v1/conferences/{slug}/programme/draft", route_api_draft, slug_param, 0,
     LC_ROUTE_LOGIN | A(EDIT_PROGRAMME), NULL},
    {LC_HTTP_POST, "/api/v1/conferences/{slug}/programme/sessions", route_api_session_new,
     slug_param, 0, LC_ROUTE_LOGIN | A(EDIT_PROGRAMME), NULL},
    {LC_HTTP_PUT, "/api/v1/conferences/{slug}/programme/sessions/{id}", route_api_session_put,
     slug_id_params, 0, LC_ROUTE_LOGIN | A(EDIT_PROGRAMME), NULL},
    {LC_HTTP_POST, "/api/v1/conferences/{slug}/programme/releases", route_api_release, slug_param,
     0, LC_ROUTE_LOGIN | A(EDIT_PROGRAMME), NULL},
};

#undef A

LC_ROUTE_GROUP(programme, rows);
