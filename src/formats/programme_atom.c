/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "formats/programme_atom.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "formats/ical.h"

/* Text for XML 1.0: escaped, and without the control characters XML forbids. */
static void xml_text(struct lc_buf *b, const char *s)
{
	if (!s)
		return;
	size_t n = strlen(s), start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
			continue;
		lc_buf_append_html(b, s + start, i - start);
		start = i + 1;
	}
	lc_buf_append_html(b, s + start, n - start);
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void element(struct lc_buf *b, const char *name, const char *text)
{
	lc_buf_printf(b, "<%s>", name);
	xml_text(b, text);
	lc_buf_printf(b, "</%s>", name);
}

/* base + path, or path alone. */
static void url(struct lc_buf *b, const struct lc_prog_export *x, const char *path)
{
	xml_text(b, x->base_url ? x->base_url : "");
	xml_text(b, path);
}

/* A session's time and room: "2026-10-12 09:30, Room A". */
static void where(struct lc_buf *b, const json_t *s, const char *when_key, const char *room_key)
{
	xml_text(b, str(s, when_key));
	const char *room = json_string_value(json_object_get(s, room_key));
	if (room) {
		lc_buf_puts(b, ", ");
		xml_text(b, room);
	}
}

/* One list of changes as an XHTML heading and list; kind says how each item reads. */
static void section(struct lc_buf *b, const json_t *ch, const char *key, const char *heading,
                    int kind)
{
	const json_t *list = json_object_get(ch, key);
	if (!json_array_size(list))
		return;
	lc_buf_puts(b, "<h3>");
	xml_text(b, heading);
	lc_buf_puts(b, "</h3><ul>");
	size_t i;
	const json_t *s;
	json_array_foreach(list, i, s)
	{
		lc_buf_printf(b, "<li class=\"%s\" id=\"%s-%lld\">", key, key,
		              (long long)json_integer_value(json_object_get(s, "id")));
		if (kind == 2) { /* renamed: old → new */
			xml_text(b, str(s, "old_title"));
			lc_buf_puts(b, " \xe2\x86\x92 ");
			xml_text(b, str(s, "title"));
		} else {
			xml_text(b, str(s, "title"));
			lc_buf_puts(b, ": ");
			if (kind == 1) { /* moved: old time and room → new */
				where(b, s, "old_when", "old_room");
				lc_buf_puts(b, " \xe2\x86\x92 ");
			}
			where(b, s, "when", "room");
		}
		lc_buf_puts(b, "</li>");
	}
	lc_buf_puts(b, "</ul>");
}

int lc_prog_atom(const json_t *changelog, const struct lc_prog_export *x,
                 const struct lc_prog_atom_words *w, struct lc_buf *out)
{
	const json_t *items = json_object_get(changelog, "items");
	char path[200];
	lc_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                 "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
	lc_buf_puts(out, "<title>");
	xml_text(out, x->title);
	lc_buf_puts(out, " \xe2\x80\x94 ");
	xml_text(out, w->feed_title);
	lc_buf_puts(out, "</title>\n");
	snprintf(path, sizeof path, "/conferences/%s/changelog", x->slug);
	/* The id is an IRI: the page's absolute address, or a tag URI when the
	   server does not know its own address. */
	lc_buf_puts(out, "<id>");
	if (x->base_url)
		url(out, x, path);
	else {
		lc_buf_puts(out, "tag:learncity,2024:");
		xml_text(out, path + 1);
	}
	lc_buf_puts(out, "</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	url(out, x, path);
	lc_buf_puts(out, "\"/>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	url(out, x, path);
	lc_buf_puts(out, ".atom\"/>\n");
	/* A feed with no release yet is as old as the epoch: nothing has happened. */
	const json_t *newest = json_array_get(items, 0);
	element(out, "updated", newest ? str(newest, "released_at") : "1970-01-01T00:00:00Z");
	lc_buf_puts(out, "\n<author>");
	element(out, "name", x->title);
	lc_buf_puts(out, "</author>\n");
	size_t i;
	const json_t *it;
	json_array_foreach(items, i, it)
	{
		const json_t *ch = json_object_get(it, "changes");
		lc_buf_puts(out, "<entry>\n<title>");
		xml_text(out, w->version);
		lc_buf_putc(out, ' ');
		xml_text(out, str(it, "name"));
		lc_buf_puts(out, "</title>\n<id>");
		if (x->base_url) {
			url(out, x, path);
			lc_buf_puts(out, "#v-");
		} else {
			lc_buf_puts(out, "tag:learncity,2024:");
			xml_text(out, path + 1);
			lc_buf_puts(out, ":");
		}
		xml_text(out, str(it, "name"));
		lc_buf_puts(out, "</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
		url(out, x, path);
		lc_buf_puts(out, "#v-");
		xml_text(out, str(it, "name"));
		lc_buf_puts(out, "\"/>\n");
		element(out, "updated", str(it, "released_at"));
		element(out, "published", str(it, "released_at"));
		if (*str(it, "note")) {
			lc_buf_puts(out, "\n");
			element(out, "summary", str(it, "note"));
		}
		lc_buf_puts(
		    out, "\n<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">");
		if (json_is_true(json_object_get(ch, "first"))) {
			lc_buf_puts(out, "<p>");
			xml_text(out, w->first);
			lc_buf_puts(out, "</p>");
		} else {
			section(out, ch, "moved", w->moved, 1);
			section(out, ch, "cancelled", w->cancelled, 0);
			section(out, ch, "renamed", w->renamed, 2);
			section(out, ch, "new", w->added, 0);
		}
		lc_buf_puts(out, "</div></content>\n</entry>\n");
	}
	lc_buf_puts(out, "</feed>\n");
	return lc_buf_error(out) ? LC_ELIMIT : 0;
}
