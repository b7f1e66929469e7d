/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A conference programme as a printable PDF (programme_pdf.h). */
#include "formats/programme_pdf.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"

/* Points: A4 portrait, its margins and the column of times. */
#define A4_W   595.276
#define A4_H   841.890
#define MARGIN 42.0
#define TIME_W 78.0
#define BODY_W (A4_W - 2 * MARGIN)

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	struct lc_buf *b = closure;
	lc_buf_append(b, data, len);
	return lc_buf_error(b) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* The drawing state: where the next line goes, and the page's current headings. */
struct page {
	cairo_t *cr;
	double y;
	const char *day, *room; /* repeated at the top of a new page */
};

/*
 * A paragraph of markup-free text in font, width w, at (x, y) when draw is
 * set; the base direction follows the text, so an Arabic name is laid out
 * right to left. Returns its height.
 */
static double para(cairo_t *cr, double x, double y, double w, const char *s, const char *font,
                   bool draw)
{
	if (!s || !*s)
		return 0;
	PangoLayout *lay = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(lay, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(lay, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_auto_dir(lay, FALSE);
	pango_layout_set_text(lay, s, -1);
	int pw = 0, ph = 0;
	pango_layout_get_size(lay, &pw, &ph);
	if (draw) {
		cairo_move_to(cr, x, y);
		pango_cairo_show_layout(cr, lay);
	}
	g_object_unref(lay);
	return (double)ph / PANGO_SCALE;
}

static void new_page(struct page *p, bool repeat)
{
	cairo_show_page(p->cr);
	p->y = MARGIN;
	if (repeat && p->day) {
		cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
		p->y += para(p->cr, MARGIN, p->y, BODY_W, p->day, "Noto Sans Bold 10", true) + 4;
	}
	if (repeat && p->room) {
		cairo_set_source_rgb(p->cr, 0.1, 0.25, 0.45);
		p->y += para(p->cr, MARGIN, p->y, BODY_W, p->room, "Noto Sans Bold 11", true) + 4;
	}
}

/* Room for h more points on this page, or a new page. */
static void need(struct page *p, double h)
{
	if (p->y + h > A4_H - MARGIN)
		new_page(p, true);
}

/* A person's name, and in their own script when it has one, isolated so that an
   Arabic name does not reorder the names around it (U+2068 ... U+2069). */
static void person(struct lc_buf *b, const json_t *p)
{
	lc_buf_puts(b, str(p, "name"));
	if (*str(p, "name_native"))
		lc_buf_printf(b, " (\xe2\x81\xa8%s\xe2\x81\xa9)", str(p, "name_native"));
}

/* The line under a session's title: type, track, languages, chair and speakers. */
static void details(const json_t *s, const struct lc_prog_pdf_words *w, struct lc_buf *b)
{
	lc_buf_puts(b, str(json_object_get(s, "type"), "name"));
	const json_t *tr = json_object_get(s, "track");
	if (json_is_object(tr))
		lc_buf_printf(b, " \xc2\xb7 %s", str(tr, "name"));
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(s, "languages"), i, v)
	    lc_buf_printf(b, "%s%s", i ? ", " : " \xc2\xb7 ", json_string_value(v));
	const json_t *chair = json_object_get(s, "chair");
	if (json_is_object(chair)) {
		lc_buf_printf(b, "\n%s: ", w->chair);
		person(b, chair);
	}
	json_array_foreach(json_object_get(s, "speakers"), i, v)
	{
		lc_buf_puts(b, i ? "; " : "\n");
		person(b, v);
	}
}

/* One session: its time in the left column, title and details beside it. */
static void session(struct page *p, const json_t *s, const struct lc_prog_pdf_words *w)
{
	cairo_t *cr = p->cr;
	char when[40];
	snprintf(when, sizeof when, "%s\xe2\x80\x93%s", str(s, "time"), str(s, "end_time"));
	struct lc_buf title, more;
	lc_buf_init(&title, LC_LIMIT_PROG_NAME_BYTES + 64);
	lc_buf_init(&more, LC_LIMIT_PROG_TEXT_BYTES);
	bool off = json_is_true(json_object_get(s, "cancelled"));
	if (off)
		lc_buf_printf(&title, "%s: ", w->cancelled);
	lc_buf_puts(&title, str(s, "title"));
	details(s, w, &more);
	double x = MARGIN + TIME_W, bw = BODY_W - TIME_W;
	double h = para(cr, x, 0, bw, lc_buf_cstr(&title), "Noto Sans Bold 10", false) + 2 +
	           para(cr, x, 0, bw, lc_buf_cstr(&more), "Noto Sans 8.5", false) + 8;
	need(p, h);
	double g = off ? 0.55 : 0.0;
	cairo_set_source_rgb(cr, g, g, g);
	para(cr, MARGIN, p->y, TIME_W - 4, when, "Noto Sans 9.5", true);
	double y = p->y;
	y += para(cr, x, y, bw, lc_buf_cstr(&title), "Noto Sans Bold 10", true) + 2;
	cairo_set_source_rgb(cr, off ? 0.55 : 0.3, off ? 0.55 : 0.3, off ? 0.55 : 0.3);
	para(cr, x, y, bw, lc_buf_cstr(&more), "Noto Sans 8.5", true);
	p->y += h;
	lc_buf_cleanup(&title);
	lc_buf_cleanup(&more);
}

/* The sessions of day in room (room_id 0: those without a room), under the room's heading. */
static void room(struct page *p, const json_t *day, json_int_t room_id, const char *name,
                 const struct lc_prog_pdf_words *w)
{
	size_t i;
	const json_t *s;
	bool any = false;
	json_array_foreach(json_object_get(day, "sessions"), i, s)
	{
		const json_t *r = json_object_get(s, "room");
		json_int_t id =
		    json_is_object(r) ? json_integer_value(json_object_get(r, "id")) : 0;
		if (id != room_id)
			continue;
		if (!any) {
			p->room = NULL;
			need(p, 60);
			p->y += 4;
			cairo_set_source_rgb(p->cr, 0.1, 0.25, 0.45);
			p->y +=
			    para(p->cr, MARGIN, p->y, BODY_W, name, "Noto Sans Bold 11", true) + 4;
			p->room = name;
			any = true;
		}
		session(p, s, w);
	}
	(void)w;
}

int lc_prog_pdf(const json_t *view, const struct lc_prog_pdf_words *w, struct lc_buf *out)
{
	cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(to_buf, out, A4_W, A4_H);
	const json_t *conf = json_object_get(view, "conference");
	cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, str(conf, "title"));
	cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "learncity");
	cairo_t *cr = cairo_create(surf);
	struct page p = {.cr = cr, .y = MARGIN};
	cairo_set_source_rgb(cr, 0, 0, 0);
	p.y += para(cr, MARGIN, p.y, BODY_W, str(conf, "title"), "Noto Sans Bold 18", true) + 4;
	char line[400];
	const json_t *ver = json_object_get(view, "version");
	snprintf(line, sizeof line, "%s \xc2\xb7 %s %s \xc2\xb7 %s\xe2\x80\x93%s \xc2\xb7 %s %s",
	         w->heading, w->version, str(ver, "name"), str(conf, "start_date"),
	         str(conf, "end_date"), w->times_in, str(conf, "timezone"));
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
	p.y += para(cr, MARGIN, p.y, BODY_W, line, "Noto Sans 10", true) + 10;
	size_t i;
	const json_t *day;
	json_array_foreach(json_object_get(view, "days"), i, day)
	{
		p.day = NULL;
		p.room = NULL;
		if (i)
			new_page(&p, false);
		cairo_set_source_rgb(cr, 0, 0, 0);
		p.y +=
		    para(cr, MARGIN, p.y, BODY_W, str(day, "date"), "Noto Sans Bold 14", true) + 6;
		p.day = str(day, "date");
		size_t k;
		const json_t *r;
		json_array_foreach(json_object_get(view, "rooms"), k, r)
		    room(&p, day, json_integer_value(json_object_get(r, "id")), str(r, "name"), w);
		room(&p, day, 0, w->off_site, w);
	}
	cairo_destroy(cr);
	cairo_surface_finish(surf);
	cairo_status_t st = cairo_surface_status(surf);
	cairo_surface_destroy(surf);
	if (lc_buf_error(out))
		return LC_ELIMIT;
	return st == CAIRO_STATUS_SUCCESS ? 0 : LC_EINTERNAL;
}
