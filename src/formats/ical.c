/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* iCalendar for a conference programme through libical (ical.h). */
#include "formats/ical.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"

/* The text of a {lang: text} object in lang, English when it has none. */
static const char *tr(const json_t *obj, const char *lang)
{
	const char *s = json_string_value(json_object_get(obj, lang ? lang : "en"));
	if (!s || !*s)
		s = json_string_value(json_object_get(obj, "en"));
	return s ? s : "";
}

static const json_t *find(const json_t *arr, json_int_t id, const char *code)
{
	size_t i;
	const json_t *v;
	json_array_foreach(arr, i, v)
	{
		const char *c = json_string_value(json_object_get(v, "code"));
		if (code ? c && strcmp(c, code) == 0
		         : json_integer_value(json_object_get(v, "id")) == id)
			return v;
	}
	return NULL;
}

static bool wanted(const json_t *only, json_int_t id)
{
	if (!only)
		return true;
	size_t i;
	const json_t *v;
	json_array_foreach(only, i, v) if (json_integer_value(v) == id) return true;
	return false;
}

/* "YYYY-MM-DDTHH:MM" as a local icaltime; false when it is not one. */
static bool local_time(const char *s, struct icaltimetype *t)
{
	if (!s || strlen(s) != 16 || s[10] != 'T')
		return false;
	char b[16];
	memcpy(b, s, 4);
	memcpy(b + 4, s + 5, 2);
	memcpy(b + 6, s + 8, 2);
	b[8] = 'T';
	memcpy(b + 9, s + 11, 2);
	memcpy(b + 11, s + 14, 2);
	memcpy(b + 13, "00", 3);
	for (int i = 0; i < 15; i++)
		if (i != 8 && (b[i] < '0' || b[i] > '9'))
			return false;
	*t = icaltime_from_string(b);
	return !icaltime_is_null_time(*t) && icaltime_is_valid_time(*t);
}

int lc_ical_utc_offset(const char *tzid, const char *local, int *seconds)
{
	icaltimezone *z = tzid ? icaltimezone_get_builtin_timezone(tzid) : NULL;
	struct icaltimetype t;
	if (!z || !local_time(local, &t))
		return LC_EINVAL;
	int dst = 0;
	*seconds = icaltimezone_get_utc_offset(z, &t, &dst);
	return 0;
}

int lc_ical_day_add(const char *day, int days, char out[11])
{
	char s[17];
	if (!day || strlen(day) != 10)
		return LC_EINVAL;
	snprintf(s, sizeof s, "%sT00:00", day);
	struct icaltimetype t;
	if (!local_time(s, &t))
		return LC_EINVAL;
	icaltime_adjust(&t, days, 0, 0, 0);
	char b[40];
	snprintf(b, sizeof b, "%04d-%02d-%02d", t.year, t.month, t.day);
	memcpy(out, b, 10);
	out[10] = '\0';
	return 0;
}

void lc_ical_fold(const char *in, size_t n, struct lc_buf *out)
{
	size_t i = 0;
	while (i < n) {
		/* One logical line: up to an LF not followed by a space or a tab. */
		size_t col = 0;
		while (i < n) {
			if (in[i] == '\r' && i + 1 < n && in[i + 1] == '\n')
				i++;
			if (in[i] == '\n') {
				if (i + 1 < n && (in[i + 1] == ' ' || in[i + 1] == '\t')) {
					i += 2; /* a fold: unfold it */
					continue;
				}
				i++;
				break;
			}
			/* The length of this UTF-8 sequence: never cut inside one. */
			size_t len = 1;
			unsigned char c = (unsigned char)in[i];
			if (c >= 0xF0)
				len = 4;
			else if (c >= 0xE0)
				len = 3;
			else if (c >= 0xC0)
				len = 2;
			if (i + len > n)
				len = n - i;
			if (col + len > 75) {
				lc_buf_append(out, "\r\n ", 3);
				col = 1;
			}
			lc_buf_append(out, in + i, len);
			col += len;
			i += len;
		}
		lc_buf_append(out, "\r\n", 2);
	}
}

static void add_text(icalcomponent *c, icalproperty *p)
{
	if (p)
		icalcomponent_add_property(c, p);
}

/* DTSTART or DTEND in zone tzid. */
static icalproperty *zoned(icalproperty *p, const char *tzid)
{
	icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
	return p;
}

static icalcomponent *event(const json_t *doc, const json_t *s, const struct lc_prog_export *x,
                            icaltimezone *zone, const char *tzid)
{
	struct icaltimetype start;
	if (!local_time(json_string_value(json_object_get(s, "start")), &start))
		return NULL;
	json_int_t id = json_integer_value(json_object_get(s, "id"));
	struct icaltimetype end = start;
	icaltime_adjust(&end, 0, 0, (int)json_integer_value(json_object_get(s, "duration")), 0);
	start = icaltime_set_timezone(&start, zone);
	end = icaltime_set_timezone(&end, zone);
	icalcomponent *ev = icalcomponent_new_vevent();
	char uid[160];
	snprintf(uid, sizeof uid, "session-%lld-%s@learncity", (long long)id, x->slug);
	add_text(ev, icalproperty_new_uid(uid));
	add_text(ev, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(
	                 (time_t)x->dtstamp, 0, icaltimezone_get_utc_timezone())));
	add_text(ev, zoned(icalproperty_new_dtstart(start), tzid));
	add_text(ev, zoned(icalproperty_new_dtend(end), tzid));
	add_text(
	    ev, icalproperty_new_sequence((int)json_integer_value(json_object_get(s, "sequence"))));
	bool cancelled = json_is_true(json_object_get(s, "cancelled"));
	add_text(
	    ev, icalproperty_new_status(cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
	add_text(ev, icalproperty_new_summary(tr(json_object_get(s, "title"), x->lang)));
	/* The description: the abstract, then who speaks. */
	struct lc_buf d;
	lc_buf_init(&d, LC_LIMIT_PROG_TEXT_BYTES * 2);
	lc_buf_puts(&d, tr(json_object_get(s, "abstract"), x->lang));
	size_t i;
	const json_t *sp;
	json_array_foreach(json_object_get(s, "speakers"), i, sp)
	{
		const json_t *p =
		    find(json_object_get(doc, "speakers"), json_integer_value(sp), NULL);
		if (!p)
			continue;
		lc_buf_puts(&d, i == 0 ? "\n\n" : "\n");
		lc_buf_puts(&d, json_string_value(json_object_get(p, "name")));
		const char *native = json_string_value(json_object_get(p, "name_native"));
		if (native && *native)
			lc_buf_printf(&d, " (%s)", native);
	}
	if (!lc_buf_error(&d) && lc_buf_cstr(&d)[0])
		add_text(ev, icalproperty_new_description(lc_buf_cstr(&d)));
	lc_buf_cleanup(&d);
	const json_t *room = find(json_object_get(doc, "rooms"),
	                          json_integer_value(json_object_get(s, "room")), NULL);
	if (room)
		add_text(ev, icalproperty_new_location(tr(json_object_get(room, "name"), x->lang)));
	const json_t *type =
	    find(json_object_get(doc, "types"), 0, json_string_value(json_object_get(s, "type")));
	if (type)
		add_text(ev,
		         icalproperty_new_categories(tr(json_object_get(type, "name"), x->lang)));
	const char *track_code = json_string_value(json_object_get(s, "track"));
	const json_t *track =
	    track_code ? find(json_object_get(doc, "tracks"), 0, track_code) : NULL;
	if (track)
		add_text(ev,
		         icalproperty_new_categories(tr(json_object_get(track, "name"), x->lang)));
	if (x->base_url && *x->base_url) {
		char url[512];
		snprintf(url, sizeof url, "%s/conferences/%s/sessions/%lld", x->base_url, x->slug,
		         (long long)id);
		add_text(ev, icalproperty_new_url(url));
	}
	return ev;
}

int lc_ical_programme(const json_t *doc, const struct lc_prog_export *x, struct lc_buf *out)
{
	icaltimezone *zone = x->timezone ? icaltimezone_get_builtin_timezone(x->timezone) : NULL;
	if (!zone)
		return LC_EINVAL;
	icalcomponent *cal = icalcomponent_new_vcalendar();
	add_text(cal, icalproperty_new_version("2.0"));
	add_text(cal, icalproperty_new_prodid("-//UNESCO GNLC//learncity//EN"));
	add_text(cal, icalproperty_new_calscale("GREGORIAN"));
	add_text(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	icalproperty *name = icalproperty_new_x(x->calname ? x->calname : x->title ? x->title : "");
	icalproperty_set_x_name(name, "X-WR-CALNAME");
	add_text(cal, name);
	/* The zone's rules, cut to the conference's year and the one before, named by its
	 * IANA name (libical's own names carry a prefix calendars do not know). */
	icalcomponent *tz = icalcomponent_new_clone(icaltimezone_get_component(zone));
	struct icaltimetype from = icaltime_null_time(), to = icaltime_null_time();
	if (x->start_date && strlen(x->start_date) == 10) {
		from = icaltime_from_day_of_year(1, (int)strtol(x->start_date, NULL, 10) - 1);
		to = icaltime_from_day_of_year(1, (int)strtol(x->start_date, NULL, 10) + 2);
		from = icaltime_set_timezone(&from, icaltimezone_get_utc_timezone());
		to = icaltime_set_timezone(&to, icaltimezone_get_utc_timezone());
		from.is_date = to.is_date = 0;
		icaltimezone_truncate_vtimezone(tz, from, to, 1);
	}
	icalproperty *tzp = icalcomponent_get_first_property(tz, ICAL_TZID_PROPERTY);
	if (tzp)
		icalproperty_set_tzid(tzp, x->timezone);
	icalcomponent_add_component(cal, tz);
	size_t i;
	const json_t *s;
	int err = 0;
	json_array_foreach(json_object_get(doc, "sessions"), i, s)
	{
		if (!wanted(x->only, json_integer_value(json_object_get(s, "id"))))
			continue;
		icalcomponent *ev = event(doc, s, x, zone, x->timezone);
		if (!ev) {
			err = LC_EINVAL;
			break;
		}
		icalcomponent_add_component(cal, ev);
	}
	if (!err) {
		char *text = icalcomponent_as_ical_string_r(cal);
		if (!text)
			err = LC_EINTERNAL;
		else {
			lc_ical_fold(text, strlen(text), out);
			icalmemory_free_buffer(text);
			err = lc_buf_error(out) ? LC_ELIMIT : 0;
		}
	}
	icalcomponent_free(cal);
	return err;
}

/* "YYYY-MM-DD" as an iCalendar DATE. */
static bool date_of(const char *s, struct icaltimetype *t)
{
	int y, m, d;
	char tail;
	if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 ||
	    d > 31)
		return false;
	*t = icaltime_null_date();
	t->year = y;
	t->month = m;
	t->day = d;
	return icaltime_is_valid_time(*t) != 0;
}

int lc_ical_registration(const struct lc_ical_registration *r, struct lc_buf *out)
{
	struct icaltimetype start, end;
	char after[11];
	if (!date_of(r->start_date, &start) || lc_ical_day_add(r->end_date, 1, after) != 0 ||
	    !date_of(after, &end))
		return LC_EINVAL;
	icalcomponent *cal = icalcomponent_new_vcalendar();
	add_text(cal, icalproperty_new_version("2.0"));
	add_text(cal, icalproperty_new_prodid("-//UNESCO GNLC//learncity//EN"));
	add_text(cal, icalproperty_new_calscale("GREGORIAN"));
	add_text(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	icalcomponent *ev = icalcomponent_new_vevent();
	char uid[96];
	snprintf(uid, sizeof uid, "conference-registration-%lld@learncity", (long long)r->id);
	add_text(ev, icalproperty_new_uid(uid));
	add_text(ev, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(
	                 (time_t)r->dtstamp, 0, icaltimezone_get_utc_timezone())));
	/* All-day: DTEND is the day after the last, exclusive (RFC 5545 3.6.1). */
	add_text(ev, icalproperty_new_dtstart(start));
	add_text(ev, icalproperty_new_dtend(end));
	add_text(ev, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
	add_text(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	add_text(ev, icalproperty_new_summary(r->title ? r->title : ""));
	if (r->summary && *r->summary)
		add_text(ev, icalproperty_new_description(r->summary));
	if (r->location && *r->location)
		add_text(ev, icalproperty_new_location(r->location));
	if (r->url && *r->url)
		add_text(ev, icalproperty_new_url(r->url));
	icalcomponent_add_component(cal, ev);
	int err = 0;
	char *text = icalcomponent_as_ical_string_r(cal);
	if (!text) {
		err = LC_EINTERNAL;
	} else {
		lc_ical_fold(text, strlen(text), out);
		icalmemory_free_buffer(text);
		err = lc_buf_error(out) ? LC_ELIMIT : 0;
	}
	icalcomponent_free(cal);
	return err;
}

int lc_ical_local(const char *tzid, int64_t t, char day[11], char hm[6])
{
	icaltimezone *zone = tzid ? icaltimezone_get_builtin_timezone(tzid) : NULL;
	if (!zone)
		return LC_EINVAL;
	struct icaltimetype l = icaltime_from_timet_with_zone((time_t)t, 0, zone);
	unsigned y = (unsigned)l.year % 10000u, mo = (unsigned)l.month % 100u,
	         d = (unsigned)l.day % 100u, h = (unsigned)l.hour % 100u,
	         mi = (unsigned)l.minute % 100u;
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%04u-%02u-%02u", y, mo, d);
	memcpy(day, tmp, 10);
	day[10] = '\0';
	snprintf(tmp, sizeof tmp, "%02u:%02u", h, mi);
	memcpy(hm, tmp, 5);
	hm[5] = '\0';
	return 0;
}
