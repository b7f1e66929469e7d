/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The Frab schedule in JSON and XML (frab.h). The XML is written from the JSON. */
#include "formats/frab.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/error.h"

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

void lc_frab_uuid(const char *text, char out[37])
{
	unsigned char h[16];
	crypto_generichash(h, sizeof h, (const unsigned char *)text, strlen(text), NULL, 0);
	h[6] = (unsigned char)((h[6] & 0x0F) | 0x80); /* version 8: made by its application */
	h[8] = (unsigned char)((h[8] & 0x3F) | 0x80); /* the RFC 9562 variant */
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (size_t i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[h[i] >> 4];
		out[o++] = hex[h[i] & 15];
	}
	out[o] = '\0';
}

/* "YYYY-MM-DDTHH:MM" in zone tzid as an RFC 3339 time with its offset. */
static int rfc3339(const char *tzid, const char *local, char out[32])
{
	int off = 0;
	int err = lc_ical_utc_offset(tzid, local, &off);
	if (err)
		return err;
	int a = off < 0 ? -off : off;
	snprintf(out, 32, "%.16s:00%c%02d:%02d", local, off < 0 ? '-' : '+', (a / 3600) % 100,
	         (a / 60) % 60);
	return 0;
}

/* The Frab acronym: the slug with underscores for hyphens (the schema's pattern). */
static void acronym(const char *slug, char *out, size_t n)
{
	snprintf(out, n, "%s", slug);
	for (char *p = out; *p; p++)
		if (*p == '-')
			*p = '_';
}

static json_t *person(const json_t *p, const char *lang)
{
	char name[700];
	const char *native = json_string_value(json_object_get(p, "name_native"));
	snprintf(name, sizeof name, native && *native ? "%s (%s)" : "%s",
	         json_string_value(json_object_get(p, "name")), native ? native : "");
	return json_pack("{s:O, s:s, s:s}", "id", json_object_get(p, "id"), "name", name,
	                 "biography", tr(json_object_get(p, "bio"), lang));
}

static json_t *event_json(const json_t *doc, const json_t *s, const struct lc_prog_export *x,
                          const char *acr, const char *room, const char *date)
{
	json_int_t id = json_integer_value(json_object_get(s, "id"));
	char name[200], guid[37], slug[200], url[600];
	snprintf(name, sizeof name, "learncity:%s:session:%lld", x->slug, (long long)id);
	lc_frab_uuid(name, guid);
	snprintf(slug, sizeof slug, "%s-session-%lld", acr, (long long)id);
	snprintf(url, sizeof url, "%s/conferences/%s/sessions/%lld", x->base_url ? x->base_url : "",
	         x->slug, (long long)id);
	json_int_t minutes = json_integer_value(json_object_get(s, "duration"));
	char duration[16];
	snprintf(duration, sizeof duration, "%02d:%02d", (int)(minutes / 60) % 100,
	         (int)(minutes % 60));
	const char *start = json_string_value(json_object_get(s, "start"));
	const json_t *type =
	    find(json_object_get(doc, "types"), 0, json_string_value(json_object_get(s, "type")));
	const char *tcode = json_string_value(json_object_get(s, "track"));
	const json_t *track = tcode ? find(json_object_get(doc, "tracks"), 0, tcode) : NULL;
	json_t *persons = json_array();
	size_t i;
	const json_t *sp;
	json_array_foreach(json_object_get(s, "speakers"), i, sp)
	{
		const json_t *p =
		    find(json_object_get(doc, "speakers"), json_integer_value(sp), NULL);
		if (p)
			json_array_append_new(persons, person(p, x->lang));
	}
	const json_t *langs = json_object_get(s, "languages");
	const char *lang = json_string_value(json_array_get(langs, 0));
	return json_pack(
	    "{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:n, s:o, s:s, s:s, s:s, s:n, s:o, "
	    "s:[]}",
	    "guid", guid, "id", id, "date", date, "start", start + 11, "duration", duration, "room",
	    room, "slug", slug, "url", url, "title", tr(json_object_get(s, "title"), x->lang),
	    "subtitle", "track",
	    track ? json_string(tr(json_object_get(track, "name"), x->lang)) : json_null(), "type",
	    type ? tr(json_object_get(type, "name"), "en") : "", "language", lang ? lang : "en",
	    "abstract", tr(json_object_get(s, "abstract"), x->lang), "description", "persons",
	    persons, "links");
}

int lc_frab_json(const json_t *doc, const struct lc_prog_export *x, const char *no_room,
                 json_t **out)
{
	*out = NULL;
	char acr[80];
	acronym(x->slug, acr, sizeof acr);
	json_t *rooms = json_array(), *tracks = json_array(), *days = json_array();
	size_t i;
	const json_t *v;
	char name[200], guid[37];
	json_array_foreach(json_object_get(doc, "rooms"), i, v)
	{
		snprintf(name, sizeof name, "learncity:%s:room:%lld", x->slug,
		         (long long)json_integer_value(json_object_get(v, "id")));
		lc_frab_uuid(name, guid);
		json_array_append_new(rooms,
		                      json_pack("{s:s, s:s, s:O}", "name",
		                                tr(json_object_get(v, "name"), x->lang), "guid",
		                                guid, "capacity", json_object_get(v, "capacity")));
	}
	json_array_foreach(json_object_get(doc, "tracks"), i, v) json_array_append_new(
	    tracks, json_pack("{s:s, s:O}", "name", tr(json_object_get(v, "name"), x->lang), "slug",
	                      json_object_get(v, "code")));
	int err = 0;
	char day[11];
	int n = 0;
	for (n = 0; n < 366 && !err; n++) {
		err = lc_ical_day_add(x->start_date, n, day);
		if (err || strcmp(day, x->end_date) > 0)
			break;
		char t0[17], t1[17], d0[32], d1[32];
		snprintf(t0, sizeof t0, "%sT00:00", day);
		snprintf(t1, sizeof t1, "%sT23:59", day);
		err = rfc3339(x->timezone, t0, d0);
		if (!err)
			err = rfc3339(x->timezone, t1, d1);
		if (err)
			break;
		json_t *by_room = json_object();
		const json_t *s;
		size_t k;
		json_array_foreach(json_object_get(doc, "sessions"), k, s)
		{
			const char *start = json_string_value(json_object_get(s, "start"));
			if (!start || strncmp(start, day, 10) != 0 ||
			    json_is_true(json_object_get(s, "cancelled")))
				continue;
			const json_t *r =
			    find(json_object_get(doc, "rooms"),
			         json_integer_value(json_object_get(s, "room")), NULL);
			const char *room = r ? tr(json_object_get(r, "name"), x->lang) : no_room;
			char date[32];
			err = rfc3339(x->timezone, start, date);
			if (err)
				break;
			json_t *list = json_object_get(by_room, room);
			if (!list) {
				list = json_array();
				json_object_set_new(by_room, room, list);
			}
			json_array_append_new(list, event_json(doc, s, x, acr, room, date));
		}
		json_array_append_new(days, json_pack("{s:i, s:s, s:s, s:s, s:o}", "index", n + 1,
		                                      "date", day, "day_start", d0, "day_end", d1,
		                                      "rooms", by_room));
	}
	if (err || n == 0) {
		json_decref(rooms);
		json_decref(tracks);
		json_decref(days);
		return LC_EINVAL;
	}
	json_t *conf =
	    json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:o, s:o, s:o}", "acronym", acr, "title",
	              x->title ? x->title : x->slug, "start", x->start_date, "end", x->end_date,
	              "daysCount", n, "timeslot_duration", "00:15", "time_zone_name", x->timezone,
	              "tracks", tracks, "rooms", rooms, "days", days);
	json_t *sched =
	    json_pack("{s:s, s:o}", "version", x->version ? x->version : "", "conference", conf);
	if (x->base_url && *x->base_url) {
		char url[600];
		snprintf(url, sizeof url, "%s/conferences/%s/programme", x->base_url, x->slug);
		json_object_set_new(conf, "url", json_string(url));
		json_object_set_new(sched, "base_url", json_string(x->base_url));
	}
	*out = json_pack("{s:s, s:{s:s}, s:o}", "$schema", "https://c3voc.de/schedule/schema.json",
	                 "generator", "name", "learncity", "schedule", sched);
	return 0;
}

/* ---- XML ------------------------------------------------------------------ */

static void text_el(struct lc_buf *b, const char *name, const char *value)
{
	lc_buf_printf(b, "<%s>", name);
	if (value)
		lc_buf_append_html(b, value, strlen(value));
	lc_buf_printf(b, "</%s>", name);
}

static void attr(struct lc_buf *b, const char *name, const char *value)
{
	lc_buf_printf(b, " %s=\"", name);
	lc_buf_append_html(b, value ? value : "", value ? strlen(value) : 0);
	lc_buf_putc(b, '"');
}

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* The schedule.xml XSD's track slug: a letter, then letters, digits, hyphens. */
static bool xml_slug_ok(const char *s)
{
	if (!s || !(s[0] >= 'a' && s[0] <= 'z') || !s[1])
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	return true;
}

static void event_xml(struct lc_buf *b, const json_t *e)
{
	char id[32];
	snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(e, "id")));
	lc_buf_puts(b, "<event");
	attr(b, "id", id);
	attr(b, "guid", str(e, "guid"));
	lc_buf_puts(b, ">");
	text_el(b, "room", str(e, "room"));
	text_el(b, "title", str(e, "title"));
	text_el(b, "subtitle", "");
	text_el(b, "type", str(e, "type"));
	text_el(b, "date", str(e, "date"));
	text_el(b, "start", str(e, "start"));
	text_el(b, "duration", str(e, "duration"));
	text_el(b, "abstract", str(e, "abstract"));
	text_el(b, "slug", str(e, "slug"));
	text_el(b, "track", str(e, "track") ? str(e, "track") : "");
	lc_buf_puts(b, "<persons>");
	size_t i;
	const json_t *p;
	json_array_foreach(json_object_get(e, "persons"), i, p)
	{
		char pid[32];
		snprintf(pid, sizeof pid, "%lld",
		         (long long)json_integer_value(json_object_get(p, "id")));
		lc_buf_puts(b, "<person");
		attr(b, "id", pid);
		lc_buf_puts(b, ">");
		lc_buf_append_html(b, str(p, "name"), strlen(str(p, "name")));
		lc_buf_puts(b, "</person>");
	}
	lc_buf_puts(b, "</persons>");
	text_el(b, "language", str(e, "language"));
	text_el(b, "description", "");
	lc_buf_puts(b, "<links></links>");
	if (str(e, "url") && strncmp(str(e, "url"), "http", 4) == 0)
		text_el(b, "url", str(e, "url"));
	lc_buf_puts(b, "</event>\n");
}

int lc_frab_xml(const json_t *doc, const struct lc_prog_export *x, const char *no_room,
                struct lc_buf *out)
{
	json_t *j = NULL;
	int err = lc_frab_json(doc, x, no_room, &j);
	if (err)
		return err;
	const json_t *s = json_object_get(j, "schedule");
	const json_t *c = json_object_get(s, "conference");
	lc_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schedule>\n");
	lc_buf_puts(out, "<generator name=\"learncity\"/>\n");
	text_el(out, "version", str(s, "version"));
	lc_buf_puts(out, "\n<conference>");
	text_el(out, "title", str(c, "title"));
	text_el(out, "acronym", str(c, "acronym"));
	text_el(out, "start", str(c, "start"));
	text_el(out, "end", str(c, "end"));
	char days[16];
	snprintf(days, sizeof days, "%lld",
	         (long long)json_integer_value(json_object_get(c, "daysCount")));
	text_el(out, "days", days);
	text_el(out, "timeslot_duration", str(c, "timeslot_duration"));
	if (str(s, "base_url"))
		text_el(out, "base_url", str(s, "base_url"));
	if (str(c, "url"))
		text_el(out, "url", str(c, "url"));
	text_el(out, "time_zone_name", str(c, "time_zone_name"));
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(c, "tracks"), i, v)
	{
		lc_buf_puts(out, "<track");
		attr(out, "name", str(v, "name"));
		if (xml_slug_ok(str(v, "slug")))
			attr(out, "slug", str(v, "slug"));
		lc_buf_puts(out, "></track>");
	}
	lc_buf_puts(out, "</conference>\n");
	json_array_foreach(json_object_get(c, "days"), i, v)
	{
		char index[16];
		snprintf(index, sizeof index, "%lld",
		         (long long)json_integer_value(json_object_get(v, "index")));
		lc_buf_puts(out, "<day");
		attr(out, "index", index);
		attr(out, "date", str(v, "date"));
		attr(out, "start", str(v, "day_start"));
		attr(out, "end", str(v, "day_end"));
		lc_buf_puts(out, ">\n");
		const char *room;
		const json_t *events;
		json_object_foreach((json_t *)json_object_get(v, "rooms"), room, events)
		{
			lc_buf_puts(out, "<room");
			attr(out, "name", room);
			lc_buf_puts(out, ">\n");
			size_t k;
			const json_t *e;
			json_array_foreach(events, k, e) event_xml(out, e);
			lc_buf_puts(out, "</room>\n");
		}
		lc_buf_puts(out, "</day>\n");
	}
	lc_buf_puts(out, "</schedule>\n");
	json_decref(j);
	return lc_buf_error(out) ? LC_ELIMIT : 0;
}
