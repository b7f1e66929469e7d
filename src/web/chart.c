/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The SVG charts of chart.h. Each chart is laid out left to right in a
 * fixed coordinate system and mirrored at the moment a coordinate is
 * written when the page is right to left; text anchors stay logical because
 * the root carries direction="rtl", except for numbers, which are set
 * left to right with the anchor flipped so that "-1.5" never reads "1.5-".
 * Owns nothing beyond temporary arrays freed before returning.
 */
#include "web/chart.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/embedded.h"
#include "base/error.h"
#include "base/utf8.h"

/* Colours: the site's brand, and darker variants where a mark must reach 3:1 on white. */
#define INK        "#1b2430"
#define MUTED      "#546173" /* 6.2:1 on white: secondary text */
#define GRID       "#d9dee5"
#define AXIS       "#76828f" /* 3.8:1: axes, outlines, hatching */
#define SOFT       "#f3f6f9"
#define BRAND      "#0a5bb5" /* 6.6:1 */
#define BRAND_DARK "#073f7e"
#define BRAND_MID  "#4f82c3" /* 3.8:1: interval bars, histogram bars */
#define ACCENT     "#e8a317" /* 2.2:1: only as a fill with a dark outline */
#define ACCENT_DK  "#9a5b00" /* 5.4:1: lines and text in the accent's hue */
#define HL_BG      "#fff3d6"
#define LC_PI      3.14159265358979323846
#define FONT       "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"

enum anchor { A_START, A_MIDDLE, A_END };
enum shape { S_CIRCLE, S_SQUARE, S_TRIANGLE, S_DIAMOND };

/* Series differ by colour, dash pattern and marker shape: colour is never the only cue. */
static const struct {
	const char *color;
	const char *dash; /* NULL: solid */
} styles[6] = {
    {BRAND, NULL},           {ACCENT_DK, "7 4"}, {MUTED, "2 3"},
    {"#1d7a46", "10 3 2 3"}, {"#7a3b8f", "4 2"}, {INK, "1 3"},
};

static const char *series_color(size_t i)
{
	return styles[i % 6].color;
}

static const char *series_dash(size_t i)
{
	return styles[i % 6].dash;
}

static enum shape series_shape(size_t i)
{
	return (enum shape)(i % 4);
}

struct words {
	const char *no_data, *scale, *rank, *interval, *count, *cities, *median, *quartiles, *range,
	    *lower;
};

struct ctx {
	struct lc_buf *b;
	const struct lc_chart_frame *f;
	struct words w;
	char id[48];
	double width, height;
	bool rtl;
};

/* ---- numbers ---------------------------------------------------------- */

static bool ok(double v)
{
	return isfinite(v);
}

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* A finite value clamped to +-LC_CHART_ABS_MAX for drawing (callers test ok() first). */
static double drawable(double v)
{
	return clampd(v, -LC_CHART_ABS_MAX, LC_CHART_ABS_MAX);
}

/* Drops the sign of a printed zero ("-0.0" -> "0.0"). */
static void unsign_zero(char *s)
{
	if (s[0] != '-')
		return;
	for (const char *p = s + 1; *p; p++)
		if (*p != '0' && *p != '.')
			return;
	memmove(s, s + 1, strlen(s));
}

/* A coordinate with at most one decimal, mirrored by the caller when needed. */
static void coord(struct lc_buf *b, double v)
{
	/* Written by hand: a chart has thousands of coordinates and snprintf dominated. */
	char s[32], *p = s + sizeof s;
	v = clampd(ok(v) ? v : 0, -1e9, 1e9);
	long long t = llround(v * 10);
	bool neg = t < 0;
	unsigned long long u = (unsigned long long)(neg ? -t : t);
	if (u % 10) {
		*--p = (char)('0' + u % 10);
		*--p = '.';
	}
	u /= 10;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (neg)
		*--p = '-';
	lc_buf_append(b, p, (size_t)(s + sizeof s - p));
}

static int clamp_decimals(int d)
{
	return d < 0 ? 0 : d > 6 ? 6 : d;
}

/*
 * The decimal mark of the chart being drawn (its words' decimal_mark), set by
 * ctx_init: every public function starts there, and the value writers below
 * have no context of their own. One per thread, as pages render in parallel.
 */
static _Thread_local char decimal_mark = '.';

/* A data value as text; huge magnitudes in short scientific notation (1e+12). */
static void fmt_value(char *s, size_t n, double v, int decimals)
{
	if (fabs(v) >= 1e9)
		snprintf(s, n, "%.4g", v);
	else
		snprintf(s, n, "%.*f", clamp_decimals(decimals), v);
	unsign_zero(s);
	char *dot = decimal_mark != '.' ? strchr(s, '.') : NULL;
	if (dot)
		*dot = decimal_mark;
}

static void put_value(struct lc_buf *b, double v, int decimals)
{
	char s[48];
	fmt_value(s, sizeof s, v, decimals);
	lc_buf_puts(b, s);
}

/* Decimals that print every tick of this step exactly. */
static int step_decimals(double step)
{
	if (!(step > 0) || step >= 1)
		return 0;
	int d = (int)ceil(-log10(step) - 1e-9);
	return clamp_decimals(d);
}

void lc_chart_ticks(double lo, double hi, int target, double *first, double *step, int *count)
{
	lo = ok(lo) ? drawable(lo) : 0;
	hi = ok(hi) ? drawable(hi) : lo;
	if (hi < lo) {
		double t = lo;
		lo = hi;
		hi = t;
	}
	if (target < 1)
		target = 1;
	if (target > 50)
		target = 50;
	if (!(hi - lo > fmax(fabs(lo), fabs(hi)) * 1e-12) || hi - lo < 1e-12) {
		/* A zero range (all values equal): widen it so the axis has room. Magnitudes
		 * below 1e-9 count as zero: no score or rate is that small, and the step's
		 * logarithm must stay finite. */
		if (fabs(lo) < 1e-9 && fabs(hi) < 1e-9) {
			lo = 0;
			hi = 1;
		} else {
			double d = fmax(fabs(lo), fabs(hi)) * 0.1;
			lo -= d;
			hi += d;
		}
	}
	double raw = (hi - lo) / target;
	double mag = pow(10, floor(log10(raw)));
	double r = raw / mag;
	double nice = r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10;
	double s = nice * mag;
	double f = floor(lo / s + 1e-9) * s;
	double l = ceil(hi / s - 1e-9) * s;
	if (!isfinite(s) || !(s > 0) || !isfinite(f) || !isfinite(l)) {
		*first = 0;
		*step = 1;
		*count = 2;
		return;
	}
	long long k = llround((l - f) / s) + 1;
	*first = f;
	*step = s;
	*count = k < 2 ? 2 : k > 1000 ? 1000 : (int)k;
}

/* ---- text ------------------------------------------------------------- */

static size_t count_chars(const char *s)
{
	size_t n = strlen(s), i = 0, chars = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = lc_utf8_decode(s + i, n - i, &cp);
		i += k ? k : 1;
		chars++;
	}
	return chars;
}

/*
 * Appends s as XML text: escaped, invalid UTF-8 as U+FFFD, characters XML
 * 1.0 forbids dropped, and cut to maxchars (0: no limit) with an ellipsis.
 */
static void put_text(struct lc_buf *b, const char *s, size_t maxchars)
{
	if (!s)
		return;
	size_t n = strlen(s), i = 0, chars = 0;
	bool cut = maxchars && count_chars(s) > maxchars;
	while (i < n) {
		if (cut && chars + 1 >= maxchars) {
			lc_buf_puts(b, "\xe2\x80\xa6");
			return;
		}
		uint32_t cp;
		size_t k = lc_utf8_decode(s + i, n - i, &cp);
		bool bad = k == 0;
		if (bad) {
			cp = 0xFFFD;
			k = 1;
		}
		chars++;
		switch (cp) {
		case '&': lc_buf_puts(b, "&amp;"); break;
		case '<': lc_buf_puts(b, "&lt;"); break;
		case '>': lc_buf_puts(b, "&gt;"); break;
		case '"': lc_buf_puts(b, "&quot;"); break;
		case '\'': lc_buf_puts(b, "&#39;"); break;
		default:
			/* C0 controls are not XML; DEL and C1 controls draw as boxes. */
			if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
			    (cp >= 0x7F && cp < 0xA0) || cp == 0xFFFE || cp == 0xFFFF) {
				chars--;
			} else if (bad) {
				lc_buf_puts(b, "\xef\xbf\xbd");
			} else {
				lc_buf_append(b, s + i, k);
			}
		}
		i += k;
	}
}

/* Estimated width of s at font size fs: wide scripts 1 em, others 0.64 em (DejaVu Sans is wide). */
static double text_width(const char *s, size_t maxchars, double fs)
{
	if (!s)
		return 0;
	size_t n = strlen(s), i = 0, chars = 0;
	double w = 0;
	while (i < n && (!maxchars || chars < maxchars)) {
		uint32_t cp = 0;
		size_t k = lc_utf8_decode(s + i, n - i, &cp);
		i += k ? k : 1;
		chars++;
		w += cp >= 0x1100 ? fs : 0.64 * fs;
	}
	return w;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* ---- elements --------------------------------------------------------- */

static double X(const struct ctx *c, double x)
{
	return c->rtl ? c->width - x : x;
}

static void pt(struct ctx *c, double x, double y)
{
	coord(c->b, X(c, x));
	lc_buf_putc(c->b, ',');
	coord(c->b, y);
}

static void attr_num(struct ctx *c, const char *name, double v)
{
	lc_buf_printf(c->b, " %s=\"", name);
	coord(c->b, v);
	lc_buf_putc(c->b, '"');
}

/*
 * Opens a <text>. The anchor is logical (start = where reading begins). A
 * numeric text is set left to right in every page, so in a right-to-left
 * page its anchor is flipped to keep the mirrored position.
 */
static void text_open(struct ctx *c, double x, double y, enum anchor a, bool numeric,
                      const char *cls, const char *attrs)
{
	lc_buf_puts(c->b, "<text");
	attr_num(c, "x", X(c, x));
	attr_num(c, "y", y);
	if (c->rtl && numeric) {
		a = a == A_START ? A_END : a == A_END ? A_START : A_MIDDLE;
		lc_buf_puts(c->b, " direction=\"ltr\"");
	}
	if (a == A_MIDDLE)
		lc_buf_puts(c->b, " text-anchor=\"middle\"");
	else if (a == A_END)
		lc_buf_puts(c->b, " text-anchor=\"end\"");
	if (cls)
		lc_buf_printf(c->b, " class=\"%s\"", cls);
	if (attrs)
		lc_buf_puts(c->b, attrs);
	lc_buf_putc(c->b, '>');
}

/*
 * A drawn label between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, so
 * that "Cork <b>&" stays in its own order on a right-to-left page and an
 * Arabic name keeps its order on a left-to-right one.
 */
static void put_label(struct lc_buf *b, const char *s, size_t maxchars)
{
	lc_buf_puts(b, "\xe2\x81\xa8");
	put_text(b, s, maxchars);
	lc_buf_puts(b, "\xe2\x81\xa9");
}

static void text(struct ctx *c, double x, double y, enum anchor a, const char *cls,
                 const char *attrs, const char *s, size_t maxchars)
{
	text_open(c, x, y, a, false, cls, attrs);
	put_label(c->b, s, maxchars);
	if (maxchars && s && count_chars(s) > maxchars) {
		/* The full label stays available as a tooltip. */
		lc_buf_puts(c->b, "<title>");
		put_text(c->b, s, 0);
		lc_buf_puts(c->b, "</title>");
	}
	lc_buf_puts(c->b, "</text>");
}

static void num_text(struct ctx *c, double x, double y, enum anchor a, const char *cls,
                     const char *attrs, double v, int decimals)
{
	text_open(c, x, y, a, true, cls, attrs);
	put_value(c->b, v, decimals);
	lc_buf_puts(c->b, "</text>");
}

static void line(struct ctx *c, double x1, double y1, double x2, double y2, const char *cls,
                 const char *attrs)
{
	lc_buf_puts(c->b, "<path d=\"M");
	pt(c, x1, y1);
	lc_buf_puts(c->b, " L");
	pt(c, x2, y2);
	lc_buf_printf(c->b, "\" class=\"%s\" fill=\"none\"%s/>", cls, attrs ? attrs : "");
}

/* A rectangle given in left-to-right coordinates, mirrored as a whole. */
static void rect_open(struct ctx *c, double x, double y, double w, double h, const char *cls,
                      const char *attrs)
{
	lc_buf_puts(c->b, "<rect");
	attr_num(c, "x", c->rtl ? c->width - x - w : x);
	attr_num(c, "y", y);
	attr_num(c, "width", w);
	attr_num(c, "height", h);
	if (cls)
		lc_buf_printf(c->b, " class=\"%s\"", cls);
	if (attrs)
		lc_buf_puts(c->b, attrs);
}

static void rect(struct ctx *c, double x, double y, double w, double h, const char *cls,
                 const char *attrs)
{
	rect_open(c, x, y, w, h, cls, attrs);
	lc_buf_puts(c->b, "/>");
}

/* Opens a marker of the given shape; returns the element name to close it with. */
static const char *marker_open(struct ctx *c, enum shape s, double x, double y, double r,
                               const char *fill, const char *stroke, const char *cls)
{
	const char *tag;
	switch (s) {
	case S_CIRCLE:
		tag = "circle";
		lc_buf_puts(c->b, "<circle");
		attr_num(c, "cx", X(c, x));
		attr_num(c, "cy", y);
		attr_num(c, "r", r);
		break;
	case S_SQUARE:
		tag = "rect";
		r *= 0.9;
		lc_buf_puts(c->b, "<rect");
		attr_num(c, "x", X(c, x) - r);
		attr_num(c, "y", y - r);
		attr_num(c, "width", 2 * r);
		attr_num(c, "height", 2 * r);
		break;
	case S_TRIANGLE:
		tag = "path";
		r *= 1.2;
		lc_buf_puts(c->b, "<path d=\"M");
		pt(c, x, y - r);
		lc_buf_puts(c->b, " L");
		pt(c, x + r, y + r * 0.8);
		lc_buf_puts(c->b, " L");
		pt(c, x - r, y + r * 0.8);
		lc_buf_puts(c->b, " Z\"");
		break;
	default:
		tag = "path";
		r *= 1.3;
		lc_buf_puts(c->b, "<path d=\"M");
		pt(c, x, y - r);
		lc_buf_puts(c->b, " L");
		pt(c, x + r, y);
		lc_buf_puts(c->b, " L");
		pt(c, x, y + r);
		lc_buf_puts(c->b, " L");
		pt(c, x - r, y);
		lc_buf_puts(c->b, " Z\"");
		break;
	}
	/* A white outline separates overlapping markers; a light fill gets a dark one instead. */
	lc_buf_printf(c->b, " class=\"%s\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\">", cls,
	              fill, stroke ? stroke : "#ffffff", stroke ? "1.5" : "1");
	return tag;
}

/* ---- frame ------------------------------------------------------------ */

/* A word of the page's language, or the English default. */
#define WORD(w, m, d) ((w) && (w)->m ? (w)->m : (d))

static void ctx_init(struct ctx *c, struct lc_buf *b, const struct lc_chart_frame *f)
{
	memset(c, 0, sizeof *c);
	c->b = b;
	c->f = f;
	c->rtl = f->rtl;
	const struct lc_chart_words *w = f->words;
	c->w.no_data = WORD(w, no_data, "No data");
	c->w.scale = WORD(w, scale, "Scale");
	c->w.rank = WORD(w, rank, "Rank");
	c->w.interval = WORD(w, interval, "5th to 95th percentile");
	c->w.count = WORD(w, count, "Number of cities");
	c->w.cities = WORD(w, cities, "cities");
	c->w.median = WORD(w, median, "median");
	c->w.quartiles = WORD(w, quartiles, "quartiles");
	c->w.range = WORD(w, range, "range");
	c->w.lower = WORD(w, lower, "cities with a lower value");
	const char *mark = WORD(w, decimal_mark, ".");
	decimal_mark = mark[0] && !mark[1] ? mark[0] : '.';
	/* Ids must be unique in the page and valid XML names: prefixed, sanitised, bounded. */
	size_t j = 0;
	const char *id = f->id && *f->id ? f->id : "chart";
	for (size_t i = 0; id[i] && j < sizeof c->id - 1; i++) {
		char ch = id[i];
		bool good = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		            (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
		c->id[j++] = good ? ch : '_';
	}
	c->id[j] = '\0';
}

/* Writes <svg>, <title> and the opening of <desc> (with the frame's own sentence). */
static void open_svg(struct ctx *c, const char *kind, double w, double h)
{
	c->width = w;
	c->height = h;
	struct lc_buf *b = c->b;
	lc_buf_printf(b,
	              "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lc-chart lc-chart-%s\" "
	              "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
	              "aria-labelledby=\"lc-%s-t\" aria-describedby=\"lc-%s-d\" font-family=\"" FONT
	              "\" font-size=\"12\" fill=\"" INK "\"%s>\n",
	              kind, w, h, w, h, c->id, c->id, c->rtl ? " direction=\"rtl\"" : "");
	lc_buf_printf(b, "<title id=\"lc-%s-t\">", c->id);
	put_text(b, nz(c->f->title), 0);
	lc_buf_printf(b, "</title>\n<desc id=\"lc-%s-d\">", c->id);
	if (c->f->desc && *c->f->desc) {
		put_text(b, c->f->desc, 0);
		lc_buf_putc(b, ' ');
	}
}

static void close_desc(struct ctx *c)
{
	lc_buf_puts(c->b, "</desc>\n");
}

static int close_svg(struct ctx *c)
{
	lc_buf_puts(c->b, "</svg>\n");
	return lc_buf_error(c->b);
}

/* The empty state: a panel that says so, rather than an empty file. */
static int empty_svg(struct ctx *c, const char *kind, double w)
{
	open_svg(c, kind, w, 80);
	put_text(c->b, c->w.no_data, 0);
	lc_buf_putc(c->b, '.');
	close_desc(c);
	rect(c, 0.5, 0.5, w - 1, 79, "lc-empty", " rx=\"6\" fill=\"" SOFT "\" stroke=\"" GRID "\"");
	lc_buf_putc(c->b, '\n');
	text(c, w / 2, 45, A_MIDDLE, "lc-empty-text", " font-size=\"14\" fill=\"" MUTED "\"",
	     c->w.no_data, 0);
	lc_buf_putc(c->b, '\n');
	return close_svg(c);
}

/* A value in the text alternative, or the words for a missing one. */
static void desc_value(struct ctx *c, double v, int decimals)
{
	if (ok(v))
		put_value(c->b, v, decimals);
	else
		put_text(c->b, c->w.no_data, 0);
}

/* The hatching of missing cells and bars, declared once per chart. */
static void hatch_def(struct ctx *c)
{
	lc_buf_printf(c->b,
	              "<defs><pattern id=\"lc-%s-na\" patternUnits=\"userSpaceOnUse\" width=\"6\" "
	              "height=\"6\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" "
	              "fill=\"#ffffff\"/><path d=\"M0,0 V6\" stroke=\"" AXIS
	              "\" stroke-width=\"2\"/></pattern></defs>\n",
	              c->id);
}

static void stroke_attrs(struct lc_buf *b, size_t i, double width)
{
	lc_buf_printf(b, " stroke=\"%s\" stroke-width=\"%.1f\"", series_color(i), width);
	if (series_dash(i))
		lc_buf_printf(b, " stroke-dasharray=\"%s\"", series_dash(i));
}

/*
 * Lays out (draw false) or draws a legend of series from y downwards,
 * wrapping within the width; returns its height.
 */
static double legend(struct ctx *c, double y, const struct lc_chart_series *s, size_t n, bool draw)
{
	double x = 16, row = 0, maxw = c->width - 16;
	for (size_t i = 0; i < n; i++) {
		double iw = 34 + text_width(nz(s[i].label), LC_CHART_LABEL_CHARS, 12) + 20;
		if (x > 16 && x + iw > maxw) {
			x = 16;
			row++;
		}
		if (draw) {
			double yy = y + row * 20 + 10;
			lc_buf_puts(c->b, "<g class=\"lc-legend-item\">");
			lc_buf_puts(c->b, "<path d=\"M");
			pt(c, x, yy);
			lc_buf_puts(c->b, " H");
			coord(c->b, X(c, x + 28));
			lc_buf_puts(c->b, "\" class=\"lc-legend-line\" fill=\"none\"");
			stroke_attrs(c->b, i, 2.5);
			lc_buf_puts(c->b, "/>");
			const char *tag = marker_open(c, series_shape(i), x + 14, yy, 4,
			                              series_color(i), NULL, "lc-legend-mark");
			lc_buf_printf(c->b, "</%s>", tag);
			text(c, x + 34, yy + 4, A_START, "lc-legend-text", NULL, nz(s[i].label),
			     LC_CHART_LABEL_CHARS);
			lc_buf_puts(c->b, "</g>\n");
		}
		x += iw;
	}
	return n ? (row + 1) * 20 : 0;
}

static int check_frame(struct lc_buf *b, const struct lc_chart_frame *f, const void *chart)
{
	if (!b || !f || !chart)
		return LC_EINVAL;
	return lc_buf_error(b);
}

/* ---- radar ------------------------------------------------------------ */

int lc_chart_radar(struct lc_buf *b, const struct lc_chart_frame *f, const struct lc_chart_radar *r)
{
	int rc = check_frame(b, f, r);
	if (rc)
		return rc;
	if (r->n_axes > LC_CHART_MAX_AXES || r->n_series > LC_CHART_MAX_SERIES)
		return LC_ELIMIT;
	if ((r->n_axes && !r->codes) || (r->n_series && !r->series))
		return LC_EINVAL;
	for (size_t s = 0; s < r->n_series; s++)
		if (r->n_axes && !r->series[s].values)
			return LC_EINVAL;
	struct ctx cx, *c = &cx;
	ctx_init(c, b, f);
	int dec = clamp_decimals(r->decimals);

	double vmax = 0;
	size_t present = 0;
	for (size_t s = 0; s < r->n_series; s++)
		for (size_t i = 0; i < r->n_axes; i++) {
			double v = r->series[s].values[i];
			if (ok(v)) {
				present++;
				if (drawable(v) > vmax)
					vmax = drawable(v);
			}
		}
	if (!present)
		return empty_svg(c, "radar", 520);
	double max = r->max;
	if (!ok(max) || max <= 0) {
		double first, step;
		int count;
		lc_chart_ticks(0, vmax, 4, &first, &step, &count);
		max = first + step * (count - 1);
	}
	max = drawable(max);

	const double W = 520, cxp = 260, cyp = 190, R = 150;
	c->width = W;
	double legend_h = legend(c, 0, r->series, r->n_series, false);
	double H = cyp + R + 44 + legend_h + 8;
	open_svg(c, "radar", W, H);
	put_text(b, c->w.scale, 0);
	lc_buf_puts(b, " 0\xe2\x80\x93");
	put_value(b, max, max == floor(max) ? 0 : dec); /* "0–4", not "0–4.0" */
	lc_buf_puts(b, ".");
	for (size_t s = 0; s < r->n_series; s++) {
		lc_buf_putc(b, ' ');
		put_text(b, nz(r->series[s].label), 0);
		lc_buf_puts(b, ": ");
		for (size_t i = 0; i < r->n_axes; i++) {
			put_text(b, nz(r->codes[i]), 0);
			if (r->names && r->names[i] && *r->names[i]) {
				lc_buf_putc(b, ' ');
				put_text(b, r->names[i], 0);
			}
			lc_buf_puts(b, ": ");
			desc_value(c, r->series[s].values[i], dec);
			lc_buf_puts(b, i + 1 < r->n_axes ? "; " : ".");
		}
	}
	close_desc(c);

	size_t n = r->n_axes;
	/* Spoke i points up for i = 0 and turns clockwise (counter-clockwise once mirrored). */
	double ang[LC_CHART_MAX_AXES];
	for (size_t i = 0; i < n; i++)
		ang[i] = -LC_PI / 2 + 2 * LC_PI * (double)i / (double)n;

	/* Rings at round values, the outermost at max. */
	double first, step;
	int count;
	lc_chart_ticks(0, max, 4, &first, &step, &count);
	lc_buf_puts(b, "<g class=\"lc-grid\" fill=\"none\" stroke=\"" GRID "\">");
	for (int k = 1; k < count + 1; k++) {
		double v = k * step;
		if (v > max * (1 + 1e-9))
			v = max;
		double rr = R * v / max;
		lc_buf_puts(b, "<path d=\"");
		for (size_t i = 0; i < n; i++) {
			lc_buf_putc(b, i ? 'L' : 'M');
			pt(c, cxp + rr * cos(ang[i]), cyp + rr * sin(ang[i]));
			lc_buf_putc(b, ' ');
		}
		lc_buf_puts(b, "Z\"/>");
		if (v >= max)
			break;
	}
	for (size_t i = 0; i < n; i++) {
		lc_buf_puts(b, "<path d=\"M");
		pt(c, cxp, cyp);
		lc_buf_puts(b, " L");
		pt(c, cxp + R * cos(ang[i]), cyp + R * sin(ang[i]));
		lc_buf_puts(b, "\"/>");
	}
	lc_buf_puts(b, "</g>\n");
	lc_buf_puts(b, "<g class=\"lc-axis-labels\" font-weight=\"600\">");
	for (size_t i = 0; i < n; i++) {
		double dx = cos(ang[i]), dy = sin(ang[i]);
		enum anchor a = dx > 0.3 ? A_START : dx < -0.3 ? A_END : A_MIDDLE;
		double y = cyp + (R + 14) * dy + 4 + (dy > 0.3 ? 6 : dy < -0.3 ? -2 : 0);
		text_open(c, cxp + (R + 10) * dx, y, a, false, NULL, NULL);
		put_label(b, nz(r->codes[i]), 12);
		if (r->names && r->names[i] && *r->names[i]) {
			lc_buf_puts(b, "<title>");
			put_text(b, r->names[i], 0);
			lc_buf_puts(b, "</title>");
		}
		lc_buf_puts(b, "</text>");
	}
	lc_buf_puts(b, "</g>\n");

	/* Series: the polygon is closed and filled only when no value is missing; a
	 * missing value leaves a gap, so a run of present neighbours is drawn alone. */
	for (size_t s = 0; s < r->n_series; s++) {
		const double *v = r->series[s].values;
		lc_buf_printf(b, "<g class=\"lc-series lc-series-%zu\">", s);
		size_t miss = n;
		for (size_t i = 0; i < n; i++)
			if (!ok(v[i])) {
				miss = i;
				break;
			}
		double px[LC_CHART_MAX_AXES], py[LC_CHART_MAX_AXES];
		for (size_t i = 0; i < n; i++) {
			double rr = ok(v[i]) ? R * clampd(drawable(v[i]), 0, max) / max : 0;
			px[i] = cxp + rr * cos(ang[i]);
			py[i] = cyp + rr * sin(ang[i]);
		}
		if (miss == n && n >= 2) {
			lc_buf_puts(b, "<path d=\"");
			for (size_t i = 0; i < n; i++) {
				lc_buf_putc(b, i ? 'L' : 'M');
				pt(c, px[i], py[i]);
				lc_buf_putc(b, ' ');
			}
			lc_buf_printf(b, "Z\" class=\"lc-line\" fill=\"%s\" fill-opacity=\"0.1\"",
			              series_color(s));
			stroke_attrs(b, s, 2.5);
			lc_buf_puts(b, "/>");
		} else if (miss < n) {
			struct lc_buf d;
			lc_buf_init(&d, b->max);
			size_t run = 0;
			/* Walk once around the circle starting after a gap. */
			for (size_t k = 1; k <= n; k++) {
				size_t i = (miss + k) % n;
				if (ok(v[i])) {
					if (run == 0) {
						size_t j = (i + 1) % n;
						if (!ok(v[j]))
							continue; /* an isolated point: its marker
							             says it */
						lc_buf_puts(&d, d.len ? " M" : "M");
					} else {
						lc_buf_puts(&d, " L");
					}
					struct ctx dc = *c;
					dc.b = &d;
					pt(&dc, px[i], py[i]);
					run++;
				} else {
					run = 0;
				}
			}
			if (d.len) {
				lc_buf_puts(b, "<path d=\"");
				lc_buf_append(b, lc_buf_cstr(&d), d.len);
				lc_buf_puts(b, "\" class=\"lc-line\" fill=\"none\"");
				stroke_attrs(b, s, 2.5);
				lc_buf_puts(b, "/>");
			}
			if (lc_buf_error(&d))
				b->err = lc_buf_error(&d);
			lc_buf_cleanup(&d);
		}
		for (size_t i = 0; i < n; i++) {
			if (!ok(v[i]))
				continue;
			const char *tag = marker_open(c, series_shape(s), px[i], py[i], 4,
			                              series_color(s), NULL, "lc-mark");
			lc_buf_puts(b, "<title>");
			put_text(b, nz(r->series[s].label), 0);
			lc_buf_puts(b, " \xe2\x80\x94 ");
			put_text(b, nz(r->codes[i]), 0);
			if (r->names && r->names[i] && *r->names[i]) {
				lc_buf_putc(b, ' ');
				put_text(b, r->names[i], 0);
			}
			lc_buf_puts(b, ": ");
			put_value(b, v[i], dec);
			lc_buf_printf(b, "</title></%s>", tag);
		}
		lc_buf_puts(b, "</g>\n");
	}
	/* Ring values sit between the first two spokes, clear of the axis labels, on a white
	 * halo, drawn over the series so that no line hides them. */
	lc_buf_puts(b, "<g class=\"lc-ticks\" font-size=\"10\" fill=\"" MUTED
	               "\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">");
	double mid = -LC_PI / 2 + (n > 1 ? LC_PI / (double)n : 0);
	for (int k = 1; k < count + 1; k++) {
		double v = k * step;
		bool on_step = v <= max * (1 + 1e-9);
		if (!on_step)
			v = max;
		double rr = R * v / max * cos(n > 2 ? LC_PI / (double)n : 0);
		num_text(c, cxp + rr * cos(mid), cyp + rr * sin(mid) + 3, A_MIDDLE, NULL, NULL, v,
		         on_step ? step_decimals(step) : dec);
		if (v >= max)
			break;
	}
	lc_buf_puts(b, "</g>\n");
	legend(c, cyp + R + 40, r->series, r->n_series, true);
	return close_svg(c);
}

/* ---- trend ------------------------------------------------------------ */

int lc_chart_trend(struct lc_buf *b, const struct lc_chart_frame *f, const struct lc_chart_trend *t)
{
	int rc = check_frame(b, f, t);
	if (rc)
		return rc;
	if (t->n_years > LC_CHART_MAX_POINTS || t->n_series > LC_CHART_MAX_SERIES)
		return LC_ELIMIT;
	if ((t->n_years && !t->years) || (t->n_series && !t->series))
		return LC_EINVAL;
	for (size_t s = 0; s < t->n_series; s++)
		if (t->n_years && !t->series[s].values)
			return LC_EINVAL;
	struct ctx cx, *c = &cx;
	ctx_init(c, b, f);
	int dec = clamp_decimals(t->decimals);
	size_t n = t->n_years;

	double lo = INFINITY, hi = -INFINITY;
	size_t present = 0;
	for (size_t s = 0; s < t->n_series; s++) {
		const struct lc_chart_series *se = &t->series[s];
		for (size_t i = 0; i < n; i++) {
			const double cand[3] = {se->values[i], se->lo ? se->lo[i] : NAN,
			                        se->hi ? se->hi[i] : NAN};
			if (ok(cand[0]))
				present++;
			for (int k = 0; k < 3; k++)
				if (ok(cand[k])) {
					lo = fmin(lo, drawable(cand[k]));
					hi = fmax(hi, drawable(cand[k]));
				}
		}
	}
	if (!present)
		return empty_svg(c, "trend", 600);
	double first, step;
	int count;
	if (ok(t->y_min) && ok(t->y_max) && t->y_min < t->y_max) {
		double tf;
		lc_chart_ticks(t->y_min, t->y_max, 5, &tf, &step, &count);
		lo = drawable(t->y_min);
		hi = drawable(t->y_max);
		first = ceil(lo / step - 1e-9) * step;
	} else {
		lc_chart_ticks(lo, hi, 5, &first, &step, &count);
		lo = first;
		hi = first + step * (count - 1);
	}
	int tdec = step_decimals(step);

	/* The left margin fits the widest tick label (huge values print as 1e+12). */
	double ml = 56;
	for (int k = 0; k < count; k++) {
		char tl[48];
		fmt_value(tl, sizeof tl, first + k * step, tdec);
		ml = fmax(ml, text_width(tl, 0, 11) + 14);
	}
	/* A small multiple keeps the text's size and gives up plot area. */
	const double W = t->width >= 280 && t->width < 600 ? t->width : 600, mr = 20, mt = 30,
	             ph = W < 600 ? 130 : 220;
	const double pw = W - ml - mr, pad = 14;
	c->width = W;
	/* One line needs no key: the chart's title names it. */
	double legend_h = t->n_series > 1 ? legend(c, 0, t->series, t->n_series, false) : 0;
	double H = mt + ph + 34 + legend_h + 8;
	open_svg(c, "trend", W, H);
	if (t->y_label && *t->y_label) {
		put_text(b, t->y_label, 0);
		lc_buf_puts(b, ". ");
	}
	for (size_t s = 0; s < t->n_series; s++) {
		const struct lc_chart_series *se = &t->series[s];
		if (s)
			lc_buf_putc(b, ' ');
		put_text(b, nz(se->label), 0);
		lc_buf_puts(b, ": ");
		for (size_t i = 0; i < n; i++) {
			lc_buf_printf(b, "%d ", t->years[i]);
			desc_value(c, se->values[i], dec);
			if (se->lo && se->hi && ok(se->lo[i]) && ok(se->hi[i])) {
				lc_buf_puts(b, " (");
				put_text(b, c->w.interval, 0);
				lc_buf_puts(b, " ");
				put_value(b, se->lo[i], dec);
				lc_buf_puts(b, "\xe2\x80\x93");
				put_value(b, se->hi[i], dec);
				lc_buf_puts(b, ")");
			}
			lc_buf_puts(b, i + 1 < n ? "; " : ".");
		}
	}
	close_desc(c);

	double y0 = (double)t->years[0], y1 = (double)t->years[n - 1];
	double span = y1 - y0;
#define TX(i)                                                                                      \
	(span > 0 ? ml + pad + (pw - 2 * pad) * clampd(((double)t->years[i] - y0) / span, 0, 1)    \
	          : ml + pw / 2)
#define TY(v) (mt + ph - ph * (clampd(drawable(v), lo, hi) - lo) / (hi - lo))

	lc_buf_puts(b, "<g class=\"lc-grid\" stroke=\"" GRID "\">");
	for (int k = 0; k < count; k++) {
		double v = first + k * step;
		if (v < lo - 1e-9 * fabs(step) || v > hi + 1e-9 * fabs(step))
			continue;
		line(c, ml, TY(v), ml + pw, TY(v), "lc-gridline", NULL);
	}
	lc_buf_puts(b, "</g>\n");
	line(c, ml, mt + ph, ml + pw, mt + ph, "lc-axis", " stroke=\"" AXIS "\"");
	lc_buf_puts(b, "\n<g class=\"lc-ticks\" font-size=\"11\" fill=\"" MUTED "\">");
	for (int k = 0; k < count; k++) {
		double v = first + k * step;
		if (v < lo - 1e-9 * fabs(step) || v > hi + 1e-9 * fabs(step))
			continue;
		num_text(c, ml - 6, TY(v) + 4, A_END, NULL, NULL, v, tdec);
	}
	size_t every = n > 10 ? (n + 9) / 10 : 1;
	for (size_t i = 0; i < n; i++) {
		if (i % every)
			continue;
		text_open(c, TX(i), mt + ph + 18, A_MIDDLE, true, NULL, NULL);
		lc_buf_printf(b, "%d</text>", t->years[i]);
	}
	lc_buf_puts(b, "</g>\n");
	if (t->y_label && *t->y_label)
		text(c, 8, 16, A_START, "lc-axis-title", " font-weight=\"600\"", t->y_label,
		     LC_CHART_LABEL_CHARS);

	for (size_t s = 0; s < t->n_series; s++) {
		const struct lc_chart_series *se = &t->series[s];
		const double *v = se->values;
		lc_buf_printf(b, "<g class=\"lc-series lc-series-%zu\">", s);
		/* The band: a shape over each run of years that have both percentiles,
		 * a whisker where a year stands alone. */
		if (se->lo && se->hi) {
			size_t i = 0;
			while (i < n) {
				if (!ok(se->lo[i]) || !ok(se->hi[i])) {
					i++;
					continue;
				}
				size_t j = i;
				while (j + 1 < n && ok(se->lo[j + 1]) && ok(se->hi[j + 1]))
					j++;
				lc_buf_puts(b, "<path d=\"M");
				if (j == i) {
					/* A whisker with caps, in the series' full colour (3:1 on
					 * white). */
					pt(c, TX(i) - 4, TY(se->hi[i]));
					lc_buf_puts(b, " L");
					pt(c, TX(i) + 4, TY(se->hi[i]));
					lc_buf_puts(b, " M");
					pt(c, TX(i), TY(se->hi[i]));
					lc_buf_puts(b, " L");
					pt(c, TX(i), TY(se->lo[i]));
					lc_buf_puts(b, " M");
					pt(c, TX(i) - 4, TY(se->lo[i]));
					lc_buf_puts(b, " L");
					pt(c, TX(i) + 4, TY(se->lo[i]));
					lc_buf_printf(
					    b,
					    "\" class=\"lc-band\" fill=\"none\" stroke=\"%s\" "
					    "stroke-width=\"1.5\"/>",
					    series_color(s));
				} else {
					for (size_t k = i; k <= j; k++) {
						lc_buf_puts(b, k > i ? " L" : "");
						pt(c, TX(k), TY(se->hi[k]));
					}
					for (size_t k = j + 1; k-- > i;) {
						lc_buf_puts(b, " L");
						pt(c, TX(k), TY(se->lo[k]));
					}
					/* The pale fill shows the area; a thin outline in the full
					 * colour gives the band's edges the contrast a graphic
					 * needs. */
					lc_buf_printf(b,
					              " Z\" class=\"lc-band\" fill=\"%s\" "
					              "fill-opacity=\"0.15\" "
					              "stroke=\"%s\" stroke-width=\"0.75\" "
					              "stroke-dasharray=\"3 2\"/>",
					              series_color(s), series_color(s));
				}
				i = j + 1;
			}
		}
		bool any = false;
		for (size_t i = 0; i < n; i++) {
			if (!ok(v[i]))
				continue;
			bool prev = i > 0 && ok(v[i - 1]), next = i + 1 < n && ok(v[i + 1]);
			if (!prev && !next)
				continue;
			if (!any)
				lc_buf_puts(b, "<path d=\"");
			lc_buf_puts(b, prev ? " L" : (any ? " M" : "M"));
			pt(c, TX(i), TY(v[i]));
			any = true;
		}
		if (any) {
			lc_buf_puts(b, "\" class=\"lc-line\" fill=\"none\"");
			stroke_attrs(b, s, 2.5);
			lc_buf_puts(b, "/>");
		}
		for (size_t i = 0; i < n; i++) {
			if (!ok(v[i]))
				continue;
			const char *tag = marker_open(c, series_shape(s), TX(i), TY(v[i]), 4,
			                              series_color(s), NULL, "lc-mark");
			lc_buf_puts(b, "<title>");
			put_text(b, nz(se->label), 0);
			lc_buf_printf(b, " \xe2\x80\x94 %d: ", t->years[i]);
			put_value(b, v[i], dec);
			lc_buf_printf(b, "</title></%s>", tag);
		}
		lc_buf_puts(b, "</g>\n");
	}
#undef TX
#undef TY
	if (t->n_series > 1)
		legend(c, mt + ph + 30, t->series, t->n_series, true);
	return close_svg(c);
}

/* ---- heat map --------------------------------------------------------- */

/* A sequential blue ramp (light to dark), readable with every common colour-vision deficiency. */
static const unsigned char ramp[9][3] = {
    {0xf7, 0xfb, 0xff}, {0xde, 0xeb, 0xf7}, {0xc6, 0xdb, 0xef},
    {0x9e, 0xca, 0xe1}, {0x6b, 0xae, 0xd6}, {0x42, 0x92, 0xc6},
    {0x21, 0x71, 0xb5}, {0x08, 0x51, 0x9c}, {0x08, 0x30, 0x6b},
};

static void ramp_color(double t, unsigned char rgb[3])
{
	t = clampd(ok(t) ? t : 0, 0, 1) * 8;
	int k = (int)floor(t);
	if (k >= 8)
		k = 7;
	double u = t - k;
	for (int j = 0; j < 3; j++)
		rgb[j] = (unsigned char)lround(ramp[k][j] + (ramp[k + 1][j] - ramp[k][j]) * u);
}

static double lin(unsigned char v)
{
	double s = v / 255.0;
	return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
}

/* Black or white, whichever contrasts more with the cell (at least 4.58:1 by construction). */
static const char *ink_on(const unsigned char rgb[3])
{
	double l = 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
	return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000000" : "#ffffff";
}

int lc_chart_heatmap(struct lc_buf *b, const struct lc_chart_frame *f,
                     const struct lc_chart_heatmap *h)
{
	int rc = check_frame(b, f, h);
	if (rc)
		return rc;
	if (h->n_rows > LC_CHART_MAX_ROWS || h->n_cols > LC_CHART_MAX_COLS)
		return LC_ELIMIT;
	if ((h->n_rows && h->n_cols) && (!h->row_labels || !h->col_labels || !h->values))
		return LC_EINVAL;
	struct ctx cx, *c = &cx;
	ctx_init(c, b, f);
	int dec = clamp_decimals(h->decimals);
	size_t R = h->n_rows, C = h->n_cols;
	if (!R || !C)
		return empty_svg(c, "heatmap", 400);

	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < R * C; i++)
		if (ok(h->values[i])) {
			lo = fmin(lo, drawable(h->values[i]));
			hi = fmax(hi, drawable(h->values[i]));
		}
	if (ok(h->min))
		lo = drawable(h->min);
	if (ok(h->max))
		hi = drawable(h->max);
	if (!ok(lo) && !ok(hi)) {
		lo = 0;
		hi = 1;
	} else if (!ok(lo) || !ok(hi)) {
		/* Only one bound known (all values missing but one bound given). */
		lo = ok(lo) ? lo : hi - 1;
		hi = ok(hi) ? hi : lo + 1;
	}
	if (hi < lo) {
		double tt = lo;
		lo = hi;
		hi = tt;
	}
	double first, step;
	int count;
	lc_chart_ticks(lo, hi, 4, &first, &step, &count);
	if (hi - lo <= fabs(hi) * 1e-12) {
		/* All values equal: the scale spans the widened round range. */
		lo = first;
		hi = first + step * (count - 1);
	}

	double cw = h->cell_w > 0 ? clampd(h->cell_w, 4, 200) : 44;
	double ch = h->cell_h > 0 ? clampd(h->cell_h, 4, 200) : 24;
	bool values_fit = cw >= 28 && ch >= 14;
	size_t col_chars = (size_t)fmax(1, floor((cw - 6) / 8.2)); /* bold */
	double lw = 40;
	for (size_t i = 0; i < R; i++)
		lw = fmax(lw, text_width(nz(h->row_labels[i]), 28, 12) + 14);
	lw = fmax(lw, text_width(c->w.scale, 20, 12) + 14);
	lw = ceil(fmin(lw, 220)); /* whole pixels keep coordinates short */
	size_t row_chars = (size_t)fmax(4, floor((lw - 14) / 7.68 + 0.5));
	if (row_chars > 28)
		row_chars = 28;
	const double mt = 30;
	/* Wide enough for the legend: ramp, swatch and the words for missing values. */
	double W = fmax(lw + (double)C * cw + 16, lw + 252 + text_width(c->w.no_data, 20, 12) + 16);
	double gy = mt + (double)R * ch;
	double H = gy + 66;
	c->width = W;

	open_svg(c, "heatmap", W, H);
	put_text(b, c->w.scale, 0);
	lc_buf_putc(b, ' ');
	put_value(b, lo, dec);
	lc_buf_puts(b, "\xe2\x80\x93");
	put_value(b, hi, dec);
	lc_buf_puts(b, ".");
	for (size_t i = 0; i < R; i++) {
		lc_buf_putc(b, ' ');
		put_text(b, nz(h->row_labels[i]), 0);
		lc_buf_puts(b, ": ");
		for (size_t j = 0; j < C; j++) {
			put_text(b, nz(h->col_labels[j]), 0);
			if (h->col_names && h->col_names[j] && *h->col_names[j]) {
				lc_buf_putc(b, ' ');
				put_text(b, h->col_names[j], 0);
			}
			lc_buf_puts(b, " ");
			desc_value(c, h->values[i * C + j], dec);
			if (h->marks && h->marks[i * C + j] && h->mark_label) {
				lc_buf_puts(b, " (");
				put_text(b, h->mark_label, 0);
				lc_buf_putc(b, ')');
			}
			lc_buf_puts(b, j + 1 < C ? "; " : ".");
		}
	}
	close_desc(c);
	hatch_def(c);
	lc_buf_printf(b,
	              "<defs><linearGradient id=\"lc-%s-ramp\" x1=\"%d\" x2=\"%d\" y1=\"0\" "
	              "y2=\"0\">",
	              c->id, c->rtl ? 1 : 0, c->rtl ? 0 : 1);
	for (int k = 0; k < 9; k++)
		lc_buf_printf(b, "<stop offset=\"%d%%\" stop-color=\"#%02x%02x%02x\"/>",
		              (k * 100 + 4) / 8, ramp[k][0], ramp[k][1], ramp[k][2]);
	lc_buf_puts(b, "</linearGradient></defs>\n");

	lc_buf_puts(b, "<g class=\"lc-col-labels\" font-weight=\"600\">");
	for (size_t j = 0; j < C; j++) {
		text_open(c, lw + (double)j * cw + cw / 2, mt - 8, A_MIDDLE, false, NULL, NULL);
		put_label(b, nz(h->col_labels[j]), col_chars);
		if (h->col_names && h->col_names[j] && *h->col_names[j]) {
			lc_buf_puts(b, "<title>");
			put_text(b, h->col_names[j], 0);
			lc_buf_puts(b, "</title>");
		}
		lc_buf_puts(b, "</text>");
	}
	lc_buf_puts(b, "</g>\n<g class=\"lc-row-labels\">");
	for (size_t i = 0; i < R; i++)
		text(c, lw - 8, mt + (double)i * ch + ch / 2 + 4, A_END, NULL, NULL,
		     nz(h->row_labels[i]), row_chars);
	lc_buf_puts(b, "</g>\n<g class=\"lc-cells\" stroke=\"#ffffff\" stroke-width=\"1\">\n");
	char fill[160];
	for (size_t i = 0; i < R; i++) {
		for (size_t j = 0; j < C; j++) {
			double v = h->values[i * C + j];
			double x = lw + (double)j * cw, y = mt + (double)i * ch;
			unsigned char rgb[3] = {0, 0, 0};
			if (ok(v)) {
				ramp_color((drawable(v) - lo) / (hi - lo), rgb);
				snprintf(fill, sizeof fill, " fill=\"#%02x%02x%02x\"", rgb[0],
				         rgb[1], rgb[2]);
			} else {
				snprintf(fill, sizeof fill, " fill=\"url(#lc-%s-na)\"", c->id);
			}
			rect_open(c, x, y, cw, ch, ok(v) ? "lc-cell" : "lc-cell lc-na", fill);
			lc_buf_puts(b, "><title>");
			put_text(b, nz(h->row_labels[i]), 0);
			lc_buf_puts(b, " \xe2\x80\x94 ");
			put_text(b, nz(h->col_labels[j]), 0);
			lc_buf_puts(b, ": ");
			desc_value(c, v, dec);
			bool marked = h->marks && h->marks[i * C + j];
			if (marked && h->mark_label) {
				lc_buf_puts(b, " (");
				put_text(b, h->mark_label, 0);
				lc_buf_putc(b, ')');
			}
			lc_buf_puts(b, "</title></rect>");
			if (marked)
				lc_buf_printf(
				    b,
				    "<path class=\"lc-mark\" d=\"M%.0f %.0fL%.0f %.0fM%.0f "
				    "%.0fL%.0f %.0f\" stroke=\"#000000\" stroke-width=\"2\"/>",
				    x + 4, y + 4, x + cw - 4, y + ch - 4, x + cw - 4, y + 4, x + 4,
				    y + ch - 4);
		}
		lc_buf_putc(b, '\n');
	}
	lc_buf_puts(b, "</g>\n");
	/* Values go in one group after the cells, so each costs only its position (and a white
	 * fill on dark cells): a network's heat map has thousands of them. */
	if (values_fit) {
		lc_buf_puts(b, "<g class=\"lc-cell-values\" font-size=\"11\" fill=\"#000000\">\n");
		for (size_t i = 0; i < R; i++) {
			for (size_t j = 0; j < C; j++) {
				double v = h->values[i * C + j];
				if (!ok(v))
					continue;
				char s[48];
				fmt_value(s, sizeof s, v, dec);
				if (text_width(s, 0, 11) > cw - 4)
					continue;
				unsigned char rgb[3];
				ramp_color((drawable(v) - lo) / (hi - lo), rgb);
				bool white = strcmp(ink_on(rgb), "#ffffff") == 0;
				text_open(c, lw + (double)j * cw + cw / 2,
				          mt + (double)i * ch + ch / 2 + 4, A_MIDDLE, true, NULL,
				          white ? " fill=\"#ffffff\"" : NULL);
				lc_buf_puts(b, s);
				lc_buf_puts(b, "</text>");
			}
			lc_buf_putc(b, '\n');
		}
		lc_buf_puts(b, "</g>\n");
	}
	/* An outline bounds the grid, so that the palest cells still stand out from the page. */
	rect(c, lw, mt, (double)C * cw, (double)R * ch, "lc-grid-outline",
	     " fill=\"none\" stroke=\"" AXIS "\" stroke-width=\"1\"");
	lc_buf_puts(b, "\n<g class=\"lc-legend\">");
	/* The legend: the ramp with round ticks, then the hatching of missing values. */
	double ly = gy + 14, lx = lw, lwid = 200;
	text(c, lx - 8, ly + 10, A_END, "lc-legend-text", NULL, c->w.scale, 20);
	lc_buf_puts(b, "<rect x=\"");
	coord(b, c->rtl ? W - lx - lwid : lx);
	lc_buf_puts(b, "\" y=\"");
	coord(b, ly);
	lc_buf_printf(b,
	              "\" width=\"%.0f\" height=\"12\" fill=\"url(#lc-%s-ramp)\" stroke=\"" AXIS
	              "\" stroke-width=\"0.5\" class=\"lc-ramp\"/>",
	              lwid, c->id);
	int tdec = step_decimals(step);
	lc_buf_puts(b, "<g font-size=\"11\" fill=\"" MUTED "\">");
	for (int k = 0; k < count; k++) {
		double v = first + k * step;
		if (v < lo - 1e-9 * step || v > hi + 1e-9 * step)
			continue;
		double x = lx + lwid * (v - lo) / (hi - lo);
		line(c, x, ly + 12, x, ly + 16, "lc-tick", " stroke=\"" AXIS "\"");
		num_text(c, x, ly + 28, A_MIDDLE, NULL, NULL, v, tdec);
	}
	lc_buf_puts(b, "</g>");
	double nx = lx + lwid + 28;
	char na[160];
	snprintf(na, sizeof na, " fill=\"url(#lc-%s-na)\" stroke=\"" AXIS "\" stroke-width=\"0.5\"",
	         c->id);
	rect(c, nx, ly, 18, 12, "lc-na-swatch", na);
	text(c, nx + 24, ly + 10, A_START, "lc-legend-text", NULL, c->w.no_data, 20);
	lc_buf_puts(b, "</g>\n");
	return close_svg(c);
}

/* ---- rank intervals ---------------------------------------------------- */

struct rank_key {
	double rank;
	size_t index;
};

static int rank_cmp(const void *a, const void *b)
{
	const struct rank_key *x = a, *y = b;
	bool ox = ok(x->rank), oy = ok(y->rank);
	if (ox != oy)
		return ox ? -1 : 1;
	if (ox && x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int lc_chart_ranks(struct lc_buf *b, const struct lc_chart_frame *f, const struct lc_chart_ranks *r)
{
	int rc = check_frame(b, f, r);
	if (rc)
		return rc;
	if (r->n > LC_CHART_MAX_ROWS)
		return LC_ELIMIT;
	if (r->n && !r->units)
		return LC_EINVAL;
	struct ctx cx, *c = &cx;
	ctx_init(c, b, f);
	size_t n = r->n;
	double amax = 1;
	size_t ranked = 0;
	for (size_t i = 0; i < n; i++) {
		const struct lc_chart_rank_unit *u = &r->units[i];
		if (ok(u->rank)) {
			ranked++;
			amax = fmax(amax, drawable(u->rank));
		}
		if (ok(u->lo))
			amax = fmax(amax, drawable(u->lo));
		if (ok(u->hi))
			amax = fmax(amax, drawable(u->hi));
	}
	if (!ranked)
		return empty_svg(c, "ranks", 600);
	amax = fmax(amax, (double)ranked);
	double first, step;
	int count;
	lc_chart_ticks(1, amax, 6, &first, &step, &count);
	if (step < 1)
		step = 1;
	amax = ceil(amax);

	struct rank_key *key = lc_xcalloc(n, sizeof *key);
	for (size_t i = 0; i < n; i++) {
		key[i].rank = r->units[i].rank;
		key[i].index = i;
	}
	qsort(key, n, sizeof *key, rank_cmp);

	double lw = 60;
	for (size_t i = 0; i < n; i++)
		lw = fmax(lw, text_width(nz(r->units[i].label), 28, 12) + 14);
	lw = ceil(fmin(lw, 220)); /* whole pixels keep coordinates short */
	size_t row_chars = (size_t)fmax(4, floor((lw - 14) / 7.68 + 0.5));
	if (row_chars > 28)
		row_chars = 28;
	const double W = 600, mr = 24, mt = 30, rh = 18;
	const double px0 = lw + 16, pw = W - mr - px0;
	double H = mt + (double)n * rh + 36;
	open_svg(c, "ranks", W, H);
	for (size_t k = 0; k < n; k++) {
		const struct lc_chart_rank_unit *u = &r->units[key[k].index];
		if (k)
			lc_buf_puts(b, "; ");
		put_text(b, nz(u->label), 0);
		lc_buf_puts(b, ": ");
		put_text(b, c->w.rank, 0);
		lc_buf_putc(b, ' ');
		desc_value(c, u->rank, ok(u->rank) && u->rank != floor(u->rank) ? 1 : 0);
		if (ok(u->lo) && ok(u->hi)) {
			lc_buf_puts(b, " (");
			put_text(b, c->w.interval, 0);
			lc_buf_putc(b, ' ');
			put_value(b, u->lo, u->lo != floor(u->lo) ? 1 : 0);
			lc_buf_puts(b, "\xe2\x80\x93");
			put_value(b, u->hi, u->hi != floor(u->hi) ? 1 : 0);
			lc_buf_putc(b, ')');
		}
	}
	lc_buf_putc(b, '.');
	close_desc(c);

#define RX(v) (amax > 1 ? px0 + pw * (clampd(drawable(v), 1, amax) - 1) / (amax - 1) : px0 + pw / 2)
	/* Ticks at 1 and at multiples of the step: ranks start at 1, not 0. */
	lc_buf_puts(b, "<g class=\"lc-grid\" stroke=\"" GRID "\">");
	for (double v = 1; v <= amax + 1e-9; v = (v == 1 && step > 1) ? step : v + step)
		line(c, RX(v), mt, RX(v), mt + (double)n * rh + 4, "lc-gridline", NULL);
	lc_buf_puts(b, "</g>\n<g class=\"lc-ticks\" font-size=\"11\" fill=\"" MUTED "\">");
	for (double v = 1; v <= amax + 1e-9; v = (v == 1 && step > 1) ? step : v + step) {
		if (v == step && step > 1 && RX(step) - RX(1) < 20)
			continue;
		num_text(c, RX(v), mt - 8, A_MIDDLE, NULL, NULL, v, 0);
		if (n > 15)
			num_text(c, RX(v), mt + (double)n * rh + 18, A_MIDDLE, NULL, NULL, v, 0);
	}
	lc_buf_puts(b, "</g>\n");
	text(c, lw, mt - 8, A_END, "lc-axis-title", " font-weight=\"600\"", c->w.rank, 20);
	for (size_t k = 0; k < n; k++) {
		size_t idx = key[k].index;
		const struct lc_chart_rank_unit *u = &r->units[idx];
		bool hl = idx == r->highlight;
		double y = mt + 4 + (double)k * rh + rh / 2;
		lc_buf_printf(b, "<g class=\"lc-unit%s\">", hl ? " lc-highlight" : "");
		if (hl)
			rect(c, 0, y - rh / 2, W, rh, "lc-highlight-bg", " fill=\"" HL_BG "\"");
		text(c, lw, y + 4, A_END, NULL, hl ? " font-weight=\"700\"" : NULL, nz(u->label),
		     row_chars);
		if (!ok(u->rank)) {
			text(c, px0, y + 4, A_START, "lc-na-text",
			     " fill=\"" MUTED "\" font-size=\"11\"", c->w.no_data, 0);
			lc_buf_puts(b, "</g>\n");
			continue;
		}
		if (ok(u->lo) && ok(u->hi)) {
			double a = fmin(u->lo, u->hi), z = fmax(u->lo, u->hi);
			line(c, RX(a), y, RX(z), y, "lc-bar",
			     hl ? " stroke=\"" ACCENT_DK
			          "\" stroke-width=\"5\" stroke-linecap=\"round\""
			        : " stroke=\"" BRAND_MID
			          "\" stroke-width=\"5\" stroke-linecap=\"round\"");
		}
		/* The accent alone is too light on white: the highlight's diamond is outlined dark.
		 */
		const char *tag =
		    hl ? marker_open(c, S_DIAMOND, RX(u->rank), y, 4.5, ACCENT, ACCENT_DK,
		                     "lc-mark")
		       : marker_open(c, S_CIRCLE, RX(u->rank), y, 4, BRAND_DARK, NULL, "lc-mark");
		lc_buf_puts(b, "<title>");
		put_text(b, nz(u->label), 0);
		lc_buf_puts(b, ": ");
		put_text(b, c->w.rank, 0);
		lc_buf_putc(b, ' ');
		put_value(b, u->rank, u->rank != floor(u->rank) ? 1 : 0);
		lc_buf_printf(b, "</title></%s></g>\n", tag);
	}
#undef RX
	lc_free(key);
	return close_svg(c);
}

/* ---- distribution ------------------------------------------------------ */

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Quantile of sorted values by linear interpolation (type 7, as R's default). */
static double quantile(const double *v, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t k = (size_t)floor(h);
	if (k + 1 >= n)
		return v[n - 1];
	return v[k] + (h - (double)k) * (v[k + 1] - v[k]);
}

/*
 * The histogram of d: its values that are present, sorted, in *out (caller
 * frees; NULL when none), their number in *m, the bins' first edge, width
 * and number, the count in each bin (bins[1000]) and the largest count.
 */
static void dist_bins(const struct lc_chart_dist *d, double **out, size_t *m, double *first,
                      double *step, size_t *nb, size_t *bins, size_t *cmax)
{
	*out = NULL;
	*m = 0;
	*cmax = 0;
	*nb = 0;
	for (size_t i = 0; i < d->n; i++)
		*m += ok(d->values[i]);
	if (!*m)
		return;
	double *v = lc_xcalloc(*m, sizeof *v);
	size_t k = 0;
	for (size_t i = 0; i < d->n; i++)
		if (ok(d->values[i]))
			v[k++] = drawable(d->values[i]);
	qsort(v, *m, sizeof *v, dbl_cmp);
	double lo = ok(d->min) ? drawable(d->min) : v[0];
	double hi = ok(d->max) ? drawable(d->max) : v[*m - 1];
	if (hi < lo) {
		double t = lo;
		lo = hi;
		hi = t;
	}
	int count;
	lc_chart_ticks(lo, hi, 8, first, step, &count);
	*nb = (size_t)(count - 1);
	for (size_t i = 0; i < *m; i++) {
		double kk = floor((v[i] - *first) / *step);
		size_t bi = kk < 0 ? 0 : kk >= (double)*nb ? *nb - 1 : (size_t)kk;
		bins[bi]++;
	}
	for (size_t j = 0; j < *nb; j++)
		if (bins[j] > *cmax)
			*cmax = bins[j];
	*out = v;
}

size_t lc_chart_dist_peak(const struct lc_chart_dist *d)
{
	if (!d || d->n > LC_CHART_MAX_ROWS || (d->n && !d->values))
		return 0;
	double *v, first, step;
	size_t m, nb, cmax, bins[1000] = {0};
	dist_bins(d, &v, &m, &first, &step, &nb, bins, &cmax);
	lc_free(v);
	return cmax;
}

int lc_chart_dist(struct lc_buf *b, const struct lc_chart_frame *f, const struct lc_chart_dist *d)
{
	int rc = check_frame(b, f, d);
	if (rc)
		return rc;
	if (d->n > LC_CHART_MAX_ROWS)
		return LC_ELIMIT;
	if (d->n && !d->values)
		return LC_EINVAL;
	struct ctx cx, *c = &cx;
	ctx_init(c, b, f);
	int dec = clamp_decimals(d->decimals);
	double *v, first, step;
	size_t m, nb, cmax, bins[1000] = {0};
	dist_bins(d, &v, &m, &first, &step, &nb, bins, &cmax);
	if (!m)
		return empty_svg(c, "dist", 560);
	/* Histograms side by side share a count scale when the caller gives one. */
	if (d->count_max > cmax)
		cmax = d->count_max;
	double cf, cs;
	int cc;
	lc_chart_ticks(0, (double)cmax, 4, &cf, &cs, &cc);
	if (cs < 1)
		cs = 1;
	double ctop = ceil((double)cmax / cs) * cs;

	bool sel = d->selected < d->n && ok(d->values[d->selected]);
	double sv = sel ? drawable(d->values[d->selected]) : 0;

	const double W = 560, ml = 52, mr = 20, mt = 44, ph = 170;
	const double pw = W - ml - mr;
	double H = mt + ph + 48;
	open_svg(c, "dist", W, H);
	if (d->x_label && *d->x_label) {
		put_text(b, d->x_label, 0);
		lc_buf_puts(b, ": ");
	}
	lc_buf_printf(b, "%zu ", m);
	put_text(b, c->w.cities, 0);
	if (m < d->n) {
		lc_buf_puts(b, " (");
		put_text(b, c->w.no_data, 0);
		lc_buf_printf(b, ": %zu)", d->n - m);
	}
	lc_buf_puts(b, "; ");
	put_text(b, c->w.median, 0);
	lc_buf_putc(b, ' ');
	put_value(b, quantile(v, m, 0.5), dec);
	lc_buf_puts(b, "; ");
	put_text(b, c->w.quartiles, 0);
	lc_buf_putc(b, ' ');
	put_value(b, quantile(v, m, 0.25), dec);
	lc_buf_puts(b, "\xe2\x80\x93");
	put_value(b, quantile(v, m, 0.75), dec);
	lc_buf_puts(b, "; ");
	put_text(b, c->w.range, 0);
	lc_buf_putc(b, ' ');
	put_value(b, v[0], dec);
	lc_buf_puts(b, "\xe2\x80\x93");
	put_value(b, v[m - 1], dec);
	lc_buf_puts(b, ".");
	if (sel) {
		size_t below = 0;
		for (size_t i = 0; i < m; i++)
			below += v[i] < sv;
		lc_buf_putc(b, ' ');
		put_text(b, nz(d->selected_label), 0);
		lc_buf_puts(b, ": ");
		put_value(b, d->values[d->selected], dec);
		lc_buf_puts(b, " (");
		put_text(b, c->w.lower, 0);
		lc_buf_printf(b, ": %zu/%zu).", below, m);
	}
	int tdec = step_decimals(step);
	for (size_t k = 0; k < nb; k++) {
		lc_buf_putc(b, ' ');
		put_value(b, first + (double)k * step, tdec);
		lc_buf_puts(b, "\xe2\x80\x93");
		put_value(b, first + (double)(k + 1) * step, tdec);
		lc_buf_printf(b, ": %zu%s", bins[k], k + 1 < nb ? ";" : ".");
	}
	close_desc(c);

	double xlo = first, xhi = first + step * (double)nb;
#define DX(x) (ml + pw * (clampd((x), xlo, xhi) - xlo) / (xhi - xlo))
#define DY(k) (mt + ph - ph * (double)(k) / ctop)
	lc_buf_puts(b, "<g class=\"lc-grid\" stroke=\"" GRID "\">");
	for (double k = cs; k <= ctop + 1e-9; k += cs)
		line(c, ml, DY(k), ml + pw, DY(k), "lc-gridline", NULL);
	lc_buf_puts(b, "</g>\n<g class=\"lc-ticks\" font-size=\"11\" fill=\"" MUTED "\">");
	for (double k = 0; k <= ctop + 1e-9; k += cs)
		num_text(c, ml - 6, DY(k) + 4, A_END, NULL, NULL, k, 0);
	size_t every = nb > 10 ? 2 : 1;
	for (size_t k = 0; k <= nb; k += every)
		num_text(c, DX(first + (double)k * step), mt + ph + 16, A_MIDDLE, NULL, NULL,
		         first + (double)k * step, tdec);
	lc_buf_puts(b, "</g>\n");
	text(c, 8, 16, A_START, "lc-axis-title", " font-weight=\"600\"", c->w.count, 40);
	if (d->x_label && *d->x_label)
		text(c, ml + pw / 2, mt + ph + 38, A_MIDDLE, "lc-axis-title",
		     " font-weight=\"600\"", d->x_label, 60);
	size_t sbin = SIZE_MAX;
	if (sel) {
		double k = floor((sv - first) / step);
		sbin = k < 0 ? 0 : k >= (double)nb ? nb - 1 : (size_t)k;
	}
	lc_buf_puts(b, "<g class=\"lc-bars\">");
	for (size_t k = 0; k < nb; k++) {
		if (!bins[k])
			continue;
		double x0 = DX(first + (double)k * step), x1 = DX(first + (double)(k + 1) * step);
		rect_open(c, x0 + 1, DY(bins[k]), x1 - x0 - 2, DY(0) - DY(bins[k]),
		          k == sbin ? "lc-bar lc-selected" : "lc-bar",
		          k == sbin ? " fill=\"" ACCENT "\" stroke=\"" ACCENT_DK
		                      "\" stroke-width=\"1.5\""
		                    : " fill=\"" BRAND_MID "\"");
		lc_buf_puts(b, "><title>");
		put_value(b, first + (double)k * step, tdec);
		lc_buf_puts(b, "\xe2\x80\x93");
		put_value(b, first + (double)(k + 1) * step, tdec);
		lc_buf_printf(b, ": %zu ", bins[k]);
		put_text(b, c->w.cities, 0);
		lc_buf_puts(b, "</title></rect>");
	}
	lc_buf_puts(b, "</g>\n");
	line(c, ml, mt + ph, ml + pw, mt + ph, "lc-axis", " stroke=\"" AXIS "\"");
	if (sel) {
		/* The selected city: a dashed rule, a marker and its name, not colour alone. */
		double x = DX(sv);
		lc_buf_puts(b, "\n<g class=\"lc-selected-mark\">");
		line(c, x, mt - 8, x, mt + ph, "lc-rule",
		     " stroke=\"" INK "\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"");
		const char *tag = marker_open(c, S_TRIANGLE, x, mt - 12, 5, INK, NULL, "lc-mark");
		lc_buf_printf(b, "</%s>", tag);
		bool right_half = x > ml + pw * 0.6;
		text_open(c, right_half ? x - 9 : x + 9, mt - 24, right_half ? A_END : A_START,
		          false, "lc-selected-label", " font-weight=\"700\"");
		put_label(b, nz(d->selected_label), LC_CHART_LABEL_CHARS);
		lc_buf_puts(b, ": ");
		put_value(b, d->values[d->selected], dec);
		lc_buf_puts(b, "</text></g>");
	}
#undef DX
#undef DY
	lc_buf_putc(b, '\n');
	lc_free(v);
	return close_svg(c);
}

/* ---- bars -------------------------------------------------------------- */

int lc_chart_bars(struct lc_buf *b, const struct lc_chart_frame *f, const struct lc_chart_bars *r)
{
	int rc = check_frame(b, f, r);
	if (rc)
		return rc;
	if (r->n > LC_CHART_MAX_ROWS)
		return LC_ELIMIT;
	if (r->n && (!r->labels || !r->values))
		return LC_EINVAL;
	struct ctx cx, *c = &cx;
	ctx_init(c, b, f);
	int dec = clamp_decimals(r->decimals);
	size_t n = r->n, present = 0;
	double vmin = 0, vmax = 0;
	for (size_t i = 0; i < n; i++)
		if (ok(r->values[i])) {
			present++;
			vmin = fmin(vmin, drawable(r->values[i]));
			vmax = fmax(vmax, drawable(r->values[i]));
		}
	if (!present)
		return empty_svg(c, "bars", 520);
	if (ok(r->max) && r->max > 0)
		vmax = drawable(r->max);
	if (vmax - vmin <= 0)
		vmax = vmin + 1;
	double lw = 40;
	for (size_t i = 0; i < n; i++)
		lw = fmax(lw, text_width(nz(r->labels[i]), 32, 12) + 12);
	lw = ceil(fmin(lw, 260)); /* whole pixels keep coordinates short */
	size_t row_chars = (size_t)fmax(4, floor((lw - 12) / 7.68 + 0.5));
	if (row_chars > 32)
		row_chars = 32;
	const double W = 520, rh = 22, vw = 64;
	/* Negative values print left of their bar: they get a margin of their own. */
	const double bx = lw + 4 + (vmin < 0 ? vw : 0), bw = W - bx - vw;
	double H = (double)n * rh + 8;
	open_svg(c, "bars", W, H);
	for (size_t i = 0; i < n; i++) {
		if (i)
			lc_buf_puts(b, "; ");
		put_text(b, nz(r->labels[i]), 0);
		lc_buf_puts(b, ": ");
		desc_value(c, r->values[i], dec);
	}
	lc_buf_putc(b, '.');
	close_desc(c);
	double zx = bx + bw * (0 - vmin) / (vmax - vmin);
	for (size_t i = 0; i < n; i++) {
		double v = r->values[i], y = 4 + (double)i * rh;
		lc_buf_puts(b, "<g class=\"lc-bar-row\">");
		text(c, lw - 4, y + rh / 2 + 4, A_END, NULL, NULL, nz(r->labels[i]), row_chars);
		if (!ok(v)) {
			text(c, bx, y + rh / 2 + 4, A_START, "lc-na-text",
			     " fill=\"" MUTED "\" font-size=\"11\"", c->w.no_data, 0);
			lc_buf_puts(b, "</g>\n");
			continue;
		}
		double vx = bx + bw * (clampd(drawable(v), vmin, vmax) - vmin) / (vmax - vmin);
		double x0 = fmin(zx, vx), w = fabs(vx - zx);
		rect(c, x0, y + 5, fmax(w, 1), rh - 10, "lc-bar", " rx=\"2\" fill=\"" BRAND "\"");
		if (v < 0)
			num_text(c, vx - 6, y + rh / 2 + 4, A_END, "lc-bar-value", NULL, v, dec);
		else
			num_text(c, vx + 6, y + rh / 2 + 4, A_START, "lc-bar-value", NULL, v, dec);
		lc_buf_puts(b, "</g>\n");
	}
	if (vmin < 0)
		line(c, zx, 2, zx, H - 2, "lc-axis", " stroke=\"" AXIS "\"");
	return close_svg(c);
}

/* ---- world map ---------------------------------------------------------- */

/* data/world-centroids.json, parsed once: the projection and each country's centroid. */
static struct {
	json_t *doc;
	double scale, north, width, height;
} world;
static pthread_once_t world_once = PTHREAD_ONCE_INIT;

static void world_load(void)
{
	const struct lc_embedded_file *f = lc_embedded_find("data/world-centroids.json");
	if (!f)
		return;
	json_t *doc = json_loadb((const char *)f->data, f->len, 0, NULL);
	world.scale = json_number_value(json_object_get(doc, "scale"));
	world.north = json_number_value(json_object_get(doc, "north"));
	world.width = json_number_value(json_object_get(doc, "width"));
	world.height = json_number_value(json_object_get(doc, "height"));
	if (!json_is_object(json_object_get(doc, "countries")) || world.scale <= 0 ||
	    world.width <= 0 || world.height <= 0) {
		json_decref(doc);
		return;
	}
	world.doc = doc;
}

/* Where a place is drawn; false when neither its coordinates nor its country are known. */
static bool world_xy(const struct lc_chart_place *p, double *x, double *y, bool *exact)
{
	*exact = ok(p->lat) && ok(p->lon) && fabs(p->lat) <= 90 && fabs(p->lon) <= 180;
	if (*exact) {
		*x = (p->lon + 180) * world.scale;
		*y = clampd((world.north - p->lat) * world.scale, 0, world.height);
		return true;
	}
	char key[16];
	snprintf(key, sizeof key, "%d", p->country);
	const json_t *c = json_object_get(json_object_get(world.doc, "countries"), key);
	if (json_array_size(c) != 2)
		return false;
	*x = json_number_value(json_array_get(c, 0));
	*y = json_number_value(json_array_get(c, 1));
	return true;
}

struct map_spot {
	double x, y;
	bool exact;
	size_t first, count; /* places[order[first .. first + count)] */
};

int lc_chart_map(struct lc_buf *b, const struct lc_chart_frame *f, const struct lc_chart_map *m)
{
	int rc = check_frame(b, f, m);
	if (rc)
		return rc;
	if (m->n > LC_CHART_MAX_PLACES)
		return LC_ELIMIT;
	if (m->n && !m->places)
		return LC_EINVAL;
	pthread_once(&world_once, world_load);
	if (!world.doc)
		return LC_EINTERNAL;
	struct ctx cx, *c = &cx;
	ctx_init(c, b, f);
	/* One spot per position (rounded as drawn), listing the places there in input order. */
	struct map_spot *spot = lc_xcalloc(m->n + 1, sizeof *spot);
	size_t *at = lc_xcalloc(m->n + 1, sizeof *at), ns = 0;
	for (size_t i = 0; i < m->n; i++) {
		double x, y;
		bool exact;
		at[i] = SIZE_MAX;
		if (!world_xy(&m->places[i], &x, &y, &exact))
			continue;
		x = round(x * 10) / 10;
		y = round(y * 10) / 10;
		size_t k = 0;
		while (k < ns && !(spot[k].x == x && spot[k].y == y && spot[k].exact == exact))
			k++;
		if (k == ns)
			spot[ns++] = (struct map_spot){.x = x, .y = y, .exact = exact};
		spot[k].count++;
		at[i] = k;
	}
	/* Larger spots first, so that a small one beside them stays visible on top. */
	size_t *order = lc_xcalloc(ns + 1, sizeof *order);
	for (size_t k = 0; k < ns; k++)
		order[k] = k;
	for (size_t i = 1; i < ns; i++)
		for (size_t j = i; j > 0 && spot[order[j]].count > spot[order[j - 1]].count; j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	open_svg(c, "map", world.width, world.height);
	close_desc(c);
	lc_buf_printf(b,
	              "<image href=\"/static/world-110m.svg\" x=\"0\" y=\"0\" width=\"%.0f\" "
	              "height=\"%.0f\"/>\n",
	              world.width, world.height);
	for (size_t o = 0; o < ns; o++) {
		const struct map_spot *s = &spot[order[o]];
		double r = 4.5 * sqrt((double)s->count);
		lc_buf_printf(b,
		              "<circle class=\"lc-place%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" "
		              "%s><title>",
		              s->exact ? "" : " lc-place-approx", s->x, s->y, fmin(r, 24),
		              s->exact ? "fill=\"" BRAND
		                         "\" fill-opacity=\"0.85\" stroke=\"#ffffff\""
		                       : "fill=\"#ffffff\" fill-opacity=\"0.6\" stroke=\"" BRAND
		                         "\" stroke-width=\"2\"");
		size_t shown = 0;
		for (size_t i = 0; i < m->n; i++) {
			if (at[i] != order[o])
				continue;
			if (shown++)
				lc_buf_puts(b, ", ");
			put_text(b, nz(m->places[i].label), 80);
		}
		lc_buf_puts(b, "</title></circle>\n");
	}
	lc_free(order);
	lc_free(at);
	lc_free(spot);
	return close_svg(c);
}
