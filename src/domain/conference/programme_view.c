/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The programme's view-models for pages and the API (programme.h, lc_prog_view*). */
#include "domain/conference/programme.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/error.h"
#include "base/limits.h"
#include "domain/conference/event.h"
#include "domain/conference/programme_internal.h"
#include "domain/conference/programme_cache.h"
#include "formats/ical.h"

static json_t *label(const json_t *doc, const char *kind, const char *code, const char *lang)
{
	const json_t *l = code ? lc_prog_find(json_object_get(doc, kind), 0, code) : NULL;
	if (!l)
		return json_null();
	return json_pack("{s:s, s:s}", "code", code, "name",
	                 lc_prog_tr(json_object_get(l, "name"), lang));
}

static json_t *person(const json_t *doc, json_int_t id)
{
	const json_t *p = lc_prog_find(json_object_get(doc, "speakers"), id, NULL);
	if (!p)
		return json_null();
	const char *native = json_string_value(json_object_get(p, "name_native"));
	return json_pack("{s:I, s:O, s:s*}", "id", id, "name", json_object_get(p, "name"),
	                 "name_native", native && *native ? native : NULL);
}

static json_t *hhmm(int minutes)
{
	char b[8];
	snprintf(b, sizeof b, "%02d:%02d", (minutes / 60) % 100, minutes % 60);
	return json_string(b);
}

json_t *lc_prog_session_json(const json_t *doc, const json_t *s, const char *lang)
{
	const char *start = json_string_value(json_object_get(s, "start"));
	int m0 = lc_prog_minutes(start);
	int m1 = m0 + (int)json_integer_value(json_object_get(s, "duration"));
	const json_t *r = lc_prog_find(json_object_get(doc, "rooms"),
	                               json_integer_value(json_object_get(s, "room")), NULL);
	json_t *room =
	    r ? json_pack("{s:O, s:s, s:O, s:O, s:O}", "id", json_object_get(r, "id"), "name",
	                  lc_prog_tr(json_object_get(r, "name"), lang), "capacity",
	                  json_object_get(r, "capacity"), "accessible",
	                  json_object_get(r, "accessible"), "floor", json_object_get(r, "floor"))
	      : json_null();
	json_t *speakers = json_array();
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(s, "speakers"), i, v)
	    json_array_append_new(speakers, person(doc, json_integer_value(v)));
	const json_t *chair = json_object_get(s, "chair");
	char day[11];
	snprintf(day, sizeof day, "%.10s", start ? start : "");
	return json_pack(
	    "{s:O, s:s, s:s, s:O, s:s, s:o, s:o, s:O, s:o, s:o, s:o, s:O, s:o, s:o, s:O, s:O}",
	    "id", json_object_get(s, "id"), "title", lc_prog_tr(json_object_get(s, "title"), lang),
	    "abstract", lc_prog_tr(json_object_get(s, "abstract"), lang), "start",
	    json_object_get(s, "start"), "day", day, "time", hhmm(m0), "end_time", hhmm(m1),
	    "duration", json_object_get(s, "duration"), "room", room, "type",
	    label(doc, "types", json_string_value(json_object_get(s, "type")), lang), "track",
	    label(doc, "tracks", json_string_value(json_object_get(s, "track")), lang), "languages",
	    json_object_get(s, "languages"), "chair",
	    json_is_integer(chair) ? person(doc, json_integer_value(chair)) : json_null(),
	    "speakers", speakers, "cancelled", json_object_get(s, "cancelled"), "sequence",
	    json_object_get(s, "sequence"));
}

static bool has_lang(const json_t *s, const char *lang)
{
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(s, "languages"), i,
	                   v) if (json_string_value(v) &&
	                          strcmp(json_string_value(v), lang) == 0) return true;
	return false;
}

static bool keep(const json_t *s, const struct lc_prog_filter *f)
{
	if (f->only) {
		bool in = false;
		size_t i;
		const json_t *v;
		json_array_foreach(f->only, i, v) in =
		    in || json_integer_value(v) == json_integer_value(json_object_get(s, "id"));
		if (!in)
			return false;
	}
	const char *track = json_string_value(json_object_get(s, "track"));
	if (f->track && (!track || strcmp(track, f->track) != 0))
		return false;
	const char *type = json_string_value(json_object_get(s, "type"));
	if (f->type && (!type || strcmp(type, f->type) != 0))
		return false;
	if (f->lang && !has_lang(s, f->lang))
		return false;
	if (f->room && json_integer_value(json_object_get(s, "room")) != f->room)
		return false;
	const char *start = json_string_value(json_object_get(s, "start"));
	if (f->day && (!start || strncmp(start, f->day, 10) != 0))
		return false;
	return true;
}

static json_t *choices(const json_t *arr, const char *key, const char *sel, int64_t sel_id,
                       const char *lang)
{
	json_t *out = json_array();
	size_t i;
	const json_t *v;
	json_array_foreach(arr, i, v)
	{
		const char *code = json_string_value(json_object_get(v, key));
		json_int_t id = json_integer_value(json_object_get(v, "id"));
		bool on = code ? sel && strcmp(code, sel) == 0 : sel_id && id == sel_id;
		json_t *c = json_pack("{s:s, s:b}", "name",
		                      lc_prog_tr(json_object_get(v, "name"), lang), "selected", on);
		json_object_set(c, key, json_object_get(v, key));
		json_array_append_new(out, c);
	}
	return out;
}

int lc_prog_view(struct lc_db *db, const struct lc_conf_event *e, const char *version,
                 const char *lang, const struct lc_prog_filter *f, json_t **out)
{
	*out = NULL;
	json_t *rel = NULL;
	int err = lc_prog_released_shared(db, e, version, &rel);
	if (err)
		return err;
	const json_t *doc = json_object_get(rel, "programme");
	json_t *days = json_array();
	size_t i;
	const json_t *s;
	json_t *day = NULL;
	long count = 0;
	json_array_foreach(json_object_get(doc, "sessions"), i, s)
	{
		if (!keep(s, f))
			continue;
		json_t *sj = lc_prog_session_json(doc, s, lang);
		const char *d = json_string_value(json_object_get(sj, "day"));
		if (!day || strcmp(json_string_value(json_object_get(day, "date")), d) != 0) {
			day = json_pack("{s:s, s:[]}", "date", d, "sessions");
			json_array_append_new(days, day);
		}
		json_array_append_new(json_object_get(day, "sessions"), sj);
		count++;
	}
	json_t *langs = json_array();
	json_array_foreach(e->languages, i, s) json_array_append_new(
	    langs, json_pack("{s:O, s:b}", "code", s, "selected",
	                     f->lang && strcmp(f->lang, json_string_value(s)) == 0));
	*out =
	    json_pack("{s:o, s:O, s:o, s:I, s:o, s:o, s:o, s:o, s:{s:s?, s:s?, s:s?, s:I, s:s?}}",
	              "conference", lc_conf_event_json(e, lang), "version",
	              json_object_get(rel, "version"), "days", days, "count", (json_int_t)count,
	              "tracks", choices(json_object_get(doc, "tracks"), "code", f->track, 0, lang),
	              "types", choices(json_object_get(doc, "types"), "code", f->type, 0, lang),
	              "rooms", choices(json_object_get(doc, "rooms"), "id", NULL, f->room, lang),
	              "languages", langs, "filters", "track", f->track, "type", f->type, "lang",
	              f->lang, "room", (json_int_t)f->room, "day", f->day);
	json_decref(rel);
	return *out ? 0 : LC_EINTERNAL;
}

int lc_prog_session_view(struct lc_db *db, const struct lc_conf_event *e, int64_t id,
                         const char *lang, json_t **out)
{
	*out = NULL;
	json_t *rel = NULL;
	int err = lc_prog_released_shared(db, e, NULL, &rel);
	if (err)
		return err;
	const json_t *doc = json_object_get(rel, "programme");
	const json_t *s = lc_prog_find(json_object_get(doc, "sessions"), id, NULL);
	if (!s) {
		json_decref(rel);
		return LC_ENOTFOUND;
	}
	*out = json_pack("{s:o, s:O, s:o}", "conference", lc_conf_event_json(e, lang), "version",
	                 json_object_get(rel, "version"), "session",
	                 lc_prog_session_json(doc, s, lang));
	json_decref(rel);
	return 0;
}

int lc_prog_speakers_view(struct lc_db *db, const struct lc_conf_event *e, int64_t id,
                          const char *lang, json_t **out)
{
	*out = NULL;
	json_t *rel = NULL;
	int err = lc_prog_released_shared(db, e, NULL, &rel);
	if (err)
		return err;
	const json_t *doc = json_object_get(rel, "programme");
	json_t *list = json_array();
	size_t i;
	const json_t *p;
	json_array_foreach(json_object_get(doc, "speakers"), i, p)
	{
		json_int_t pid = json_integer_value(json_object_get(p, "id"));
		if (id && pid != id)
			continue;
		json_t *sessions = json_array();
		size_t k;
		const json_t *s;
		json_array_foreach(json_object_get(doc, "sessions"), k, s)
		{
			bool in = json_integer_value(json_object_get(s, "chair")) == pid;
			size_t j;
			const json_t *v;
			json_array_foreach(json_object_get(s, "speakers"), j, v) in =
			    in || json_integer_value(v) == pid;
			if (in && !json_is_true(json_object_get(s, "cancelled")))
				json_array_append_new(sessions, lc_prog_session_json(doc, s, lang));
		}
		const char *native = json_string_value(json_object_get(p, "name_native"));
		json_array_append_new(list,
		                      json_pack("{s:I, s:O, s:s*, s:O, s:O, s:O, s:s, s:o}", "id",
		                                pid, "name", json_object_get(p, "name"),
		                                "name_native", native && *native ? native : NULL,
		                                "title", json_object_get(p, "title"),
		                                "organisation", json_object_get(p, "organisation"),
		                                "city", json_object_get(p, "city"), "bio",
		                                lc_prog_tr(json_object_get(p, "bio"), lang),
		                                "sessions", sessions));
	}
	if (id && json_array_size(list) == 0) {
		json_decref(list);
		json_decref(rel);
		return LC_ENOTFOUND;
	}
	*out = json_pack("{s:o, s:O}", "conference", lc_conf_event_json(e, lang), "version",
	                 json_object_get(rel, "version"));
	if (id)
		json_object_set(*out, "speaker", json_array_get(list, 0));
	json_object_set_new(*out, "speakers", list);
	json_decref(rel);
	return 0;
}

json_t *lc_prog_days(const struct lc_conf_event *e)
{
	json_t *out = json_array();
	struct tm tm = {0};
	if (sscanf(e->start_date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return out;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12;
	time_t t = timegm(&tm);
	for (int i = 0; i < LC_LIMIT_PROG_DAYS; i++) {
		time_t at = t + (time_t)i * 86400;
		struct tm d;
		char b[16];
		if (!gmtime_r(&at, &d))
			break;
		strftime(b, sizeof b, "%Y-%m-%d", &d);
		if (strcmp(b, e->end_date) > 0)
			break;
		json_array_append_new(out, json_string(b));
	}
	return out;
}

/* "YYYY-MM-DDTHH:MM" of Unix time t shifted by offset seconds. */
static void local_of(int64_t t, int offset, char out[17])
{
	time_t at = (time_t)(t + offset);
	struct tm tm;
	char b[32] = "";
	if (gmtime_r(&at, &tm))
		strftime(b, sizeof b, "%Y-%m-%dT%H:%M", &tm);
	snprintf(out, 17, "%s", b);
}

int lc_prog_now(struct lc_db *db, const struct lc_conf_event *e, const char *at, int64_t now,
                const char *lang, json_t **out)
{
	*out = NULL;
	char local[17];
	if (at) {
		if (lc_prog_minutes(at) < 0)
			return LC_EINVAL;
		snprintf(local, sizeof local, "%s", at);
	} else {
		/* The venue's wall clock: the offset of the UTC time, then of the local time
		 * found (right on both sides of a change of offset but its hour). */
		int off = 0;
		local_of(now, 0, local);
		if (lc_ical_utc_offset(e->timezone, local, &off) == 0) {
			local_of(now, off, local);
			if (lc_ical_utc_offset(e->timezone, local, &off) == 0)
				local_of(now, off, local);
		}
	}
	char today[11];
	memcpy(today, local, 10);
	today[10] = '\0';
	int minute = lc_prog_minutes(local);
	json_t *rel = NULL;
	int err = lc_prog_released(db, e, NULL, &rel);
	if (err)
		return err;
	const json_t *doc = json_object_get(rel, "programme");
	json_t *running = json_array(), *next = json_array();
	int next_at = 24 * 60;
	size_t i;
	const json_t *s;
	/* The earliest start after now today: "next" is every session starting then. */
	json_array_foreach(json_object_get(doc, "sessions"), i, s)
	{
		const char *start = json_string_value(json_object_get(s, "start"));
		int m0 = lc_prog_minutes(start);
		if (!start || strncmp(start, today, 10) != 0 ||
		    json_is_true(json_object_get(s, "cancelled")))
			continue;
		if (m0 > minute && m0 < next_at)
			next_at = m0;
	}
	long later = 0;
	json_array_foreach(json_object_get(doc, "sessions"), i, s)
	{
		const char *start = json_string_value(json_object_get(s, "start"));
		int m0 = lc_prog_minutes(start);
		int m1 = m0 + (int)json_integer_value(json_object_get(s, "duration"));
		if (!start || strncmp(start, today, 10) != 0 ||
		    json_is_true(json_object_get(s, "cancelled")))
			continue;
		if (m0 <= minute && minute < m1)
			json_array_append_new(running, lc_prog_session_json(doc, s, lang));
		else if (m0 == next_at)
			json_array_append_new(next, lc_prog_session_json(doc, s, lang));
		else if (m0 > next_at)
			later++;
	}
	bool on_day = strcmp(today, e->start_date) >= 0 && strcmp(today, e->end_date) <= 0;
	char hm[6];
	memcpy(hm, local + 11, 5);
	hm[5] = '\0';
	*out =
	    json_pack("{s:o, s:O, s:b, s:b, s:s, s:s, s:o, s:o, s:I}", "conference",
	              lc_conf_event_json(e, lang), "version", json_object_get(rel, "version"),
	              "on_day", on_day, "before", strcmp(today, e->start_date) < 0, "today", today,
	              "time", hm, "now", running, "next", next, "later", (json_int_t)later);
	json_decref(rel);
	return 0;
}
