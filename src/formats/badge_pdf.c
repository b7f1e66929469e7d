/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Conference badges as PDF (badge_pdf.h). */
#include "formats/badge_pdf.h"

#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"

/* Points: A4 and A6 portrait, and the badge's inner margin. */
#define A4_W    595.276
#define A4_H    841.890
#define A6_W    297.638
#define A6_H    419.528
#define MARGIN  18.0
#define BAND_H  58.0
#define QR_SIZE 118.0

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	struct lc_buf *b = closure;
	lc_buf_append(b, data, len);
	return lc_buf_error(b) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static bool filled(const char *s)
{
	return s && *s;
}

/* Black or white text on a band of colour c, whichever reads better. */
static double ink_on(uint32_t c)
{
	double r = (c >> 16) & 0xff, g = (c >> 8) & 0xff, b = c & 0xff;
	return (0.299 * r + 0.587 * g + 0.114 * b) > 150 ? 0.0 : 1.0;
}

/*
 * One paragraph centred in width w at y, in font (a pango description), with
 * lang's glyphs; the base direction follows the text (Arabic is laid out
 * right to left). Returns its height.
 */
static double text(cairo_t *cr, double x, double y, double w, const char *s, const char *font,
                   const char *lang, int max_lines)
{
	if (!filled(s))
		return 0;
	PangoLayout *lay = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(lay, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(lay, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_END);
	pango_layout_set_height(lay, -max_lines);
	pango_layout_set_alignment(lay, PANGO_ALIGN_CENTER);
	pango_layout_set_auto_dir(lay, TRUE);
	if (filled(lang)) {
		PangoAttrList *attrs = pango_attr_list_new();
		pango_attr_list_insert(attrs,
		                       pango_attr_language_new(pango_language_from_string(lang)));
		pango_layout_set_attributes(lay, attrs);
		pango_attr_list_unref(attrs);
	}
	pango_layout_set_text(lay, s, -1);
	int pw = 0, ph = 0;
	pango_layout_get_size(lay, &pw, &ph);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, lay);
	g_object_unref(lay);
	return (double)ph / PANGO_SCALE;
}

/* The ticket's QR code, size points square with its quiet zone, centred on cx at y. */
static int qr(cairo_t *cr, const char *ticket, double cx, double y, double size)
{
	QRcode *q = QRcode_encodeString8bit(ticket, 0, QR_ECLEVEL_M);
	if (!q)
		return LC_ELIMIT;
	int n = q->width, quiet = 4;
	double m = size / (n + 2 * quiet);
	double x0 = cx - size / 2;
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x0, y, size, size);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int r = 0; r < n; r++)
		for (int c = 0; c < n; c++)
			if (q->data[r * n + c] & 1)
				cairo_rectangle(cr, x0 + (c + quiet) * m, y + (r + quiet) * m, m,
				                m);
	cairo_fill(cr);
	QRcode_free(q);
	return 0;
}

/* One badge with its top-left corner at (x, y). */
static int badge(cairo_t *cr, const struct lc_badge *b, double x, double y)
{
	double w = A6_W - 2 * MARGIN;
	cairo_save(cr);
	cairo_rectangle(cr, x, y, A6_W, A6_H);
	cairo_clip(cr);
	uint32_t c = b->colour;
	cairo_set_source_rgb(cr, ((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0,
	                     (c & 0xff) / 255.0);
	cairo_rectangle(cr, x, y, A6_W, BAND_H);
	cairo_fill(cr);
	double ink = ink_on(c);
	cairo_set_source_rgb(cr, ink, ink, ink);
	text(cr, x + MARGIN, y + 17, w, b->category, "Noto Sans Bold 15", NULL, 1);

	cairo_set_source_rgb(cr, 0.05, 0.05, 0.05);
	double at = y + BAND_H + 22;
	at += text(cr, x + MARGIN, at, w, b->name_latin, "Noto Sans Bold 21", "en", 2) + 6;
	at += text(cr, x + MARGIN, at, w, b->name_native, "Noto Sans 19", b->language, 2) + 12;
	cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
	at += text(cr, x + MARGIN, at, w, b->organisation, "Noto Sans 11", NULL, 2) + 4;
	char place[2 * LC_LIMIT_BADGE_FIELD_BYTES + 4];
	snprintf(place, sizeof place, "%s%s%s", filled(b->city) ? b->city : "",
	         filled(b->city) && filled(b->country) ? ", " : "",
	         filled(b->country) ? b->country : "");
	text(cr, x + MARGIN, at, w, place, "Noto Sans 11", NULL, 1);
	int rc = 0;
	if (filled(b->ticket))
		rc = qr(cr, b->ticket, x + A6_W / 2, y + A6_H - MARGIN - QR_SIZE, QR_SIZE);
	cairo_restore(cr);
	return rc;
}

/* Thin cut marks between the four badges of a sheet. */
static void cut_marks(cairo_t *cr, double ox, double oy)
{
	cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
	cairo_set_line_width(cr, 0.5);
	double dash[] = {3.0, 3.0};
	cairo_set_dash(cr, dash, 2, 0);
	cairo_move_to(cr, ox + A6_W, oy);
	cairo_line_to(cr, ox + A6_W, oy + 2 * A6_H);
	cairo_move_to(cr, ox, oy + A6_H);
	cairo_line_to(cr, ox + 2 * A6_W, oy + A6_H);
	cairo_rectangle(cr, ox, oy, 2 * A6_W, 2 * A6_H);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
}

int lc_badge_pdf(const struct lc_badge *badges, size_t n, bool single, struct lc_buf *out)
{
	if (n == 0 || n > LC_LIMIT_BADGES)
		return LC_EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!filled(badges[i].name_latin))
			return LC_EINVAL;
		if (badges[i].ticket && strlen(badges[i].ticket) > LC_LIMIT_BADGE_TICKET_BYTES)
			return LC_ELIMIT;
	}
	double pw = single ? A6_W : A4_W, ph = single ? A6_H : A4_H;
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, pw, ph);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "Badges");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "learncity");
	cairo_t *cr = cairo_create(s);
	/* The sheet's four badges sit centred on the A4 page. */
	double ox = (A4_W - 2 * A6_W) / 2, oy = (A4_H - 2 * A6_H) / 2;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		size_t slot = single ? 0 : i % 4;
		if (i > 0 && slot == 0)
			cairo_show_page(cr);
		double x = single ? 0 : ox + (double)(slot % 2) * A6_W;
		double y = single ? 0 : oy + (double)(slot / 2) * A6_H;
		rc = badge(cr, &badges[i], x, y);
		if (!single && (slot == 3 || i == n - 1))
			cut_marks(cr, ox, oy);
	}
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (rc == 0 && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		rc = lc_buf_error(out) ? LC_ELIMIT : LC_EINTERNAL;
	cairo_surface_destroy(s);
	return rc;
}
