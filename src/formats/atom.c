/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Atom (RFC 4287) and sitemap writers, and XML text escaping (atom.h).
 * Every text goes through lc_atom_text, so no person's text can close an
 * element or carry a character that makes the document ill-formed.
 */
#include "formats/atom.h"

#include <string.h>

#include "base/buf.h"
#include "base/error.h"

void lc_atom_text(struct lc_buf *b, const char *s, size_t n)
{
	size_t run = 0; /* start of the bytes not yet appended */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;
		size_t skip = 1;
		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		default:
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				rep = "";
			/* U+FFFE and U+FFFF: EF BF BE and EF BF BF. */
			else if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
			         ((unsigned char)s[i + 2] == 0xBE ||
			          (unsigned char)s[i + 2] == 0xBF)) {
				rep = "";
				skip = 3;
			}
		}
		if (!rep)
			continue;
		lc_buf_append(b, s + run, i - run);
		lc_buf_puts(b, rep);
		i += skip - 1;
		run = i + 1;
	}
	lc_buf_append(b, s + run, n - run);
}

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void put(struct lc_buf *b, const char *s)
{
	if (s)
		lc_atom_text(b, s, strlen(s));
}

/* <name>text</name>, left out when text is NULL. */
static void element(struct lc_buf *b, const char *name, const char *text)
{
	if (!text)
		return;
	lc_buf_printf(b, "<%s>", name);
	put(b, text);
	lc_buf_printf(b, "</%s>", name);
}

static int entry(struct lc_buf *b, const json_t *e)
{
	if (!str(e, "id") || !str(e, "title") || !str(e, "updated") || !str(e, "link"))
		return LC_EINVAL;
	lc_buf_puts(b, "<entry");
	if (str(e, "lang")) {
		lc_buf_puts(b, " xml:lang=\"");
		put(b, str(e, "lang"));
		lc_buf_putc(b, '"');
	}
	lc_buf_puts(b, ">");
	element(b, "id", str(e, "id"));
	element(b, "title", str(e, "title"));
	element(b, "updated", str(e, "updated"));
	element(b, "published", str(e, "published"));
	lc_buf_puts(b, "<link rel=\"alternate\" type=\"text/html\" href=\"");
	put(b, str(e, "link"));
	lc_buf_puts(b, "\"/>");
	if (str(e, "author")) {
		lc_buf_puts(b, "<author>");
		element(b, "name", str(e, "author"));
		lc_buf_puts(b, "</author>");
	}
	size_t i;
	const json_t *c;
	json_array_foreach(json_object_get(e, "categories"), i, c)
	{
		lc_buf_puts(b, "<category term=\"");
		put(b, str(c, "term"));
		lc_buf_puts(b, "\"");
		if (str(c, "label")) {
			lc_buf_puts(b, " label=\"");
			put(b, str(c, "label"));
			lc_buf_puts(b, "\"");
		}
		lc_buf_puts(b, "/>");
	}
	if (str(e, "summary")) {
		lc_buf_puts(b, "<summary type=\"text\">");
		put(b, str(e, "summary"));
		lc_buf_puts(b, "</summary>");
	}
	element(b, "rights", str(e, "rights"));
	lc_buf_puts(b, "</entry>\n");
	return 0;
}

int lc_atom_feed(const json_t *feed, struct lc_buf *out)
{
	if (!str(feed, "id") || !str(feed, "title") || !str(feed, "updated") ||
	    !str(feed, "author"))
		return LC_EINVAL;
	lc_buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	                 "<feed xmlns=\"http://www.w3.org/2005/Atom\"");
	if (str(feed, "lang")) {
		lc_buf_puts(out, " xml:lang=\"");
		put(out, str(feed, "lang"));
		lc_buf_putc(out, '"');
	}
	lc_buf_puts(out, ">\n");
	element(out, "id", str(feed, "id"));
	element(out, "title", str(feed, "title"));
	element(out, "updated", str(feed, "updated"));
	lc_buf_puts(out, "<author>");
	element(out, "name", str(feed, "author"));
	lc_buf_puts(out, "</author>\n");
	if (str(feed, "self")) {
		lc_buf_puts(out, "<link rel=\"self\" type=\"application/atom+xml\" href=\"");
		put(out, str(feed, "self"));
		lc_buf_puts(out, "\"/>\n");
	}
	if (str(feed, "alternate")) {
		lc_buf_puts(out, "<link rel=\"alternate\" type=\"text/html\" href=\"");
		put(out, str(feed, "alternate"));
		lc_buf_puts(out, "\"/>\n");
	}
	size_t i;
	const json_t *e;
	json_array_foreach(json_object_get(feed, "entries"), i, e)
	{
		int err = entry(out, e);
		if (err)
			return err;
	}
	lc_buf_puts(out, "</feed>\n");
	return lc_buf_error(out);
}

int lc_atom_sitemap(const json_t *urls, struct lc_buf *out)
{
	lc_buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	                 "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\""
	                 " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
	size_t i;
	const json_t *u;
	json_array_foreach(urls, i, u)
	{
		if (!str(u, "loc"))
			return LC_EINVAL;
		lc_buf_puts(out, "<url>");
		element(out, "loc", str(u, "loc"));
		element(out, "lastmod", str(u, "lastmod"));
		size_t k;
		const json_t *a;
		json_array_foreach(json_object_get(u, "alternates"), k, a)
		{
			lc_buf_puts(out, "<xhtml:link rel=\"alternate\" hreflang=\"");
			put(out, str(a, "hreflang"));
			lc_buf_puts(out, "\" href=\"");
			put(out, str(a, "href"));
			lc_buf_puts(out, "\"/>");
		}
		lc_buf_puts(out, "</url>\n");
	}
	lc_buf_puts(out, "</urlset>\n");
	return lc_buf_error(out);
}
