/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A one-page letter as PDF (letter_pdf.h). */
#include "formats/letter_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include "base/buf.h"
#include "base/error.h"

#define A4_W   595.276
#define A4_H   841.890
#define MARGIN 72.0

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	struct lc_buf *b = closure;
	lc_buf_append(b, data, len);
	return lc_buf_error(b) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* One paragraph at y in the text column; returns its height. */
static double para(cairo_t *cr, double y, const char *s, const char *font, const char *lang,
                   PangoAlignment align)
{
	if (!s || !*s)
		return 0;
	PangoLayout *lay = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(lay, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(lay, (int)((A4_W - 2 * MARGIN) * PANGO_SCALE));
	pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(lay, align);
	pango_layout_set_auto_dir(lay, TRUE);
	if (lang && *lang) {
		PangoAttrList *attrs = pango_attr_list_new();
		pango_attr_list_insert(attrs,
		                       pango_attr_language_new(pango_language_from_string(lang)));
		pango_layout_set_attributes(lay, attrs);
		pango_attr_list_unref(attrs);
	}
	pango_layout_set_text(lay, s, -1);
	int w = 0, h = 0;
	pango_layout_get_size(lay, &w, &h);
	cairo_move_to(cr, MARGIN, y);
	pango_cairo_show_layout(cr, lay);
	g_object_unref(lay);
	return (double)h / PANGO_SCALE;
}

void lc_pdf_fonts_release(void)
{
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
}

int lc_letter_pdf(const struct lc_letter_text *t, struct lc_buf *out)
{
	if (!t->heading || !*t->heading)
		return LC_EINVAL;
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, A4_W, A4_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, t->heading);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "learncity");
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 0.0, 0.2, 0.45);
	cairo_rectangle(cr, 0, 0, A4_W, 12);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0.05, 0.05, 0.05);
	double y = MARGIN;
	y += para(cr, y, t->date_line, "Noto Sans 10", t->language, PANGO_ALIGN_RIGHT) + 24;
	y += para(cr, y, t->heading, "Noto Sans Bold 18", t->language, PANGO_ALIGN_LEFT) + 18;
	for (size_t i = 0; i < t->n_paragraphs; i++)
		y += para(cr, y, t->paragraphs[i], "Noto Serif 11", t->language, PANGO_ALIGN_LEFT) +
		     10;
	y += 24;
	para(cr, y, t->signature, "Noto Sans Italic 11", t->language, PANGO_ALIGN_LEFT);
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
	para(cr, A4_H - MARGIN, t->verify_line, "Noto Sans 9", t->language, PANGO_ALIGN_LEFT);
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	int rc = 0;
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		rc = lc_buf_error(out) ? LC_ELIMIT : LC_EINTERNAL;
	cairo_surface_destroy(s);
	return rc;
}
