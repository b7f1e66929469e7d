/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of web/chart.c: every chart parses as XML (expat), holds the marks
 * its data asks for, escapes labels, says "No data" when there is nothing
 * to draw, survives NaN, infinities, huge values and bad UTF-8, and is
 * byte for byte deterministic. One case of each chart is compared with a
 * golden file in tests/unit/data/charts/.
 *
 * To regenerate the golden files after an intended change of the drawing:
 *   LC_UPDATE_GOLDEN=1 LC_SOURCE_DIR=$PWD build-x/test_chart
 * then look at them (see tests/unit/data/charts/README) and commit.
 * LC_CHART_DUMP=DIR also writes the right-to-left, hostile-input and empty
 * variants to DIR, to be looked at, not compared.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <expat.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/error.h"
#include "web/chart.h"

#define NONE      ((size_t)-1)
#define MAX_CELLS 16384

/* What the parser saw in one chart. */
struct seen {
	int depth;
	int svgs;
	int style_attrs; /* must stay 0: the CSP forbids inline styles */
	int bad_numbers; /* attribute values holding nan or inf */
	int circle, rect, path, text, title, desc;
	int marks, cells, na, bars, lines, bands, selected, highlight;
	bool root_ok; /* role="img", aria-labelledby and aria-describedby on the root */
	bool in_desc;
	struct lc_buf desc_text;
	/* Contrast (WCAG 2.1 1.4.3 and 1.4.11): fills inherited down the tree. */
	char fill[64][8];
	int values_depth; /* depth of the lc-cell-values group, 0 outside */
	struct cell {
		double x, y, w, h;
		char fill[8];
	} * cell; /* MAX_CELLS, on the heap */
	size_t n_cells;
	int low_contrast;
};

static bool has_token(const char *list, const char *tok)
{
	size_t n = strlen(tok);
	for (const char *p = list; (p = strstr(p, tok)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return true;
	return false;
}

static double channel(unsigned v)
{
	double s = v / 255.0;
	return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
}

/* Contrast ratio of two "#rrggbb" colours; 0 when either is not one. */
static double contrast(const char *a, const char *b)
{
	unsigned ra, ga, ba, rb, gb, bb;
	if (!a || !b || strlen(a) != 7 || strlen(b) != 7 ||
	    sscanf(a, "#%2x%2x%2x", &ra, &ga, &ba) != 3 ||
	    sscanf(b, "#%2x%2x%2x", &rb, &gb, &bb) != 3)
		return 0;
	double la = 0.2126 * channel(ra) + 0.7152 * channel(ga) + 0.0722 * channel(ba);
	double lb = 0.2126 * channel(rb) + 0.7152 * channel(gb) + 0.0722 * channel(bb);
	return (fmax(la, lb) + 0.05) / (fmin(la, lb) + 0.05);
}

static const char *attr(const XML_Char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (strcmp(atts[i], name) == 0)
			return atts[i + 1];
	return NULL;
}

/* Text must reach 4.5:1 on its background, data marks and lines 3:1 on white. */
static void check_contrast(struct seen *s, const char *name, const XML_Char **atts)
{
	int d = s->depth < 64 ? s->depth : 63;
	const char *own = attr(atts, "fill");
	snprintf(s->fill[d], sizeof s->fill[d], "%s",
	         own && own[0] == '#' ? own : (d ? s->fill[d - 1] : "#000000"));
	const char *cls = attr(atts, "class");
	cls = cls ? cls : "";
	const char *ax = attr(atts, "x"), *ay = attr(atts, "y");
	if (has_token(cls, "lc-cell") && own && own[0] == '#' && s->n_cells < MAX_CELLS && ax &&
	    ay) {
		s->cell[s->n_cells].x = strtod(ax, NULL);
		s->cell[s->n_cells].y = strtod(ay, NULL);
		s->cell[s->n_cells].w = strtod(attr(atts, "width"), NULL);
		s->cell[s->n_cells].h = strtod(attr(atts, "height"), NULL);
		snprintf(s->cell[s->n_cells].fill, 8, "%s", own);
		s->n_cells++;
	}
	if (has_token(cls, "lc-cell-values"))
		s->values_depth = s->depth + 1;
	if (strcmp(name, "text") == 0) {
		const char *bg = "#ffffff";
		if (s->values_depth && s->depth >= s->values_depth && ax && ay) {
			/* A value printed in a cell: its background is the cell under it. */
			double x = strtod(ax, NULL), y = strtod(ay, NULL);
			bg = NULL;
			for (size_t i = 0; i < s->n_cells; i++)
				if (x > s->cell[i].x && x < s->cell[i].x + s->cell[i].w &&
				    y > s->cell[i].y && y < s->cell[i].y + s->cell[i].h)
					bg = s->cell[i].fill;
			assert_non_null(bg);
		}
		if (contrast(s->fill[d], bg) < 4.5) {
			fprintf(stderr, "low text contrast: %s on %s\n", s->fill[d], bg);
			s->low_contrast++;
		}
	}
	if (has_token(cls, "lc-mark") || has_token(cls, "lc-line") || has_token(cls, "lc-bar")) {
		const char *stroke = attr(atts, "stroke");
		double c = fmax(contrast(s->fill[d], "#ffffff"), contrast(stroke, "#ffffff"));
		if (has_token(cls, "lc-line") || (own && strcmp(own, "none") == 0))
			c = contrast(stroke, "#ffffff");
		if (c < 3) {
			fprintf(stderr, "low mark contrast: %s %s / %s\n", cls, s->fill[d], stroke);
			s->low_contrast++;
		}
	}
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct seen *s = ud;
	if (s->depth == 0 && strcmp(name, "svg") == 0) {
		bool role = false, lab = false, dsc = false;
		for (int i = 0; atts[i]; i += 2) {
			role |= strcmp(atts[i], "role") == 0 && strcmp(atts[i + 1], "img") == 0;
			lab |= strcmp(atts[i], "aria-labelledby") == 0 &&
			       strstr(atts[i + 1], "-t") != NULL;
			dsc |= strcmp(atts[i], "aria-describedby") == 0 &&
			       strstr(atts[i + 1], "-d") != NULL;
		}
		s->root_ok = role && lab && dsc;
	}
	check_contrast(s, name, atts);
	s->depth++;
	s->svgs += strcmp(name, "svg") == 0;
	s->circle += strcmp(name, "circle") == 0;
	s->rect += strcmp(name, "rect") == 0;
	s->path += strcmp(name, "path") == 0;
	s->text += strcmp(name, "text") == 0;
	s->title += strcmp(name, "title") == 0;
	s->desc += strcmp(name, "desc") == 0;
	if (strcmp(name, "desc") == 0)
		s->in_desc = true;
	for (int i = 0; atts[i]; i += 2) {
		const char *k = atts[i], *v = atts[i + 1];
		if (strcmp(k, "style") == 0)
			s->style_attrs++;
		if (strstr(v, "nan") || strstr(v, "inf") || strstr(v, "NaN"))
			s->bad_numbers++;
		if (strcmp(k, "class") == 0) {
			s->marks += has_token(v, "lc-mark");
			s->cells += has_token(v, "lc-cell");
			s->na += has_token(v, "lc-na");
			s->bars += has_token(v, "lc-bar");
			s->lines += has_token(v, "lc-line");
			s->bands += has_token(v, "lc-band");
			s->selected += has_token(v, "lc-selected");
			s->highlight += has_token(v, "lc-highlight");
		}
	}
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct seen *s = ud;
	if (s->values_depth && s->depth == s->values_depth)
		s->values_depth = 0;
	s->depth--;
	if (strcmp(name, "desc") == 0)
		s->in_desc = false;
}

static void XMLCALL on_chars(void *ud, const XML_Char *t, int len)
{
	struct seen *s = ud;
	if (s->in_desc)
		lc_buf_append(&s->desc_text, t, (size_t)len);
}

/* Parses an SVG; fails the test when it is not well-formed or breaks the common rules. */
static void parse(const struct lc_buf *b, struct seen *s)
{
	memset(s, 0, sizeof *s);
	lc_buf_init(&s->desc_text, 1 << 24);
	s->cell = lc_xcalloc(MAX_CELLS, sizeof *s->cell);
	XML_Parser p = XML_ParserCreate("UTF-8");
	XML_SetUserData(p, s);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_chars);
	enum XML_Status st = XML_Parse(p, lc_buf_cstr(b), (int)b->len, 1);
	if (st != XML_STATUS_OK)
		fprintf(stderr, "expat: %s at line %lu\n%s\n", XML_ErrorString(XML_GetErrorCode(p)),
		        (unsigned long)XML_GetCurrentLineNumber(p), lc_buf_cstr(b));
	XML_ParserFree(p);
	assert_int_equal(st, XML_STATUS_OK);
	assert_int_equal(s->svgs, 1);
	assert_true(s->root_ok);
	assert_true(s->title >= 1);
	assert_int_equal(s->desc, 1);
	assert_int_equal(s->style_attrs, 0);
	assert_int_equal(s->bad_numbers, 0);
	assert_int_equal(s->low_contrast, 0);
}

static void seen_cleanup(struct seen *s)
{
	lc_buf_cleanup(&s->desc_text);
	lc_free(s->cell);
}

static bool contains(const struct lc_buf *b, const char *needle)
{
	return strstr(lc_buf_cstr(b), needle) != NULL;
}

/* The empty state: a panel whose text says "No data". */
static bool is_empty(const struct lc_buf *b)
{
	return contains(b, "class=\"lc-empty-text\"") && contains(b, "No data\xe2\x81\xa9</text>");
}

/* ---- shared data ------------------------------------------------------ */

static const char *const codes[12] = {"1.1", "1.2", "1.3", "1.4", "2.1", "2.2",
                                      "2.3", "2.4", "3.1", "3.2", "3.3", "3.4"};
static const char *const names[12] = {"Inclusive learning",
                                      "Revitalised learning",
                                      "Workplace learning",
                                      "Modern technologies",
                                      "Quality in learning",
                                      "Culture of learning",
                                      "Political will",
                                      "Governance",
                                      "Resources",
                                      "Individual",
                                      "Social",
                                      "Sustainable"};

static const struct lc_chart_frame frame = {.id = "t1", .title = "Profile", .desc = "Areas."};

/* Renders one chart kind with a given frame into b; returns the rc. */
typedef int (*render_fn)(struct lc_buf *b, const struct lc_chart_frame *f, const void *chart);

static int r_radar(struct lc_buf *b, const struct lc_chart_frame *f, const void *c)
{
	return lc_chart_radar(b, f, c);
}
static int r_trend(struct lc_buf *b, const struct lc_chart_frame *f, const void *c)
{
	return lc_chart_trend(b, f, c);
}
static int r_heat(struct lc_buf *b, const struct lc_chart_frame *f, const void *c)
{
	return lc_chart_heatmap(b, f, c);
}
static int r_ranks(struct lc_buf *b, const struct lc_chart_frame *f, const void *c)
{
	return lc_chart_ranks(b, f, c);
}
static int r_dist(struct lc_buf *b, const struct lc_chart_frame *f, const void *c)
{
	return lc_chart_dist(b, f, c);
}
static int r_bars(struct lc_buf *b, const struct lc_chart_frame *f, const void *c)
{
	return lc_chart_bars(b, f, c);
}

/* The golden case of each chart: small, with a gap, an NA and a label to escape. */
static const double cur[12] = {3.2, 2.8, NAN, 3.9, 2.1, 2.5, 3.0, 1.8, 2.2, 3.6, 2.9, 3.1};
static const double prev[12] = {2.9, 2.5, 2.0, 3.5, 1.9, NAN, 2.7, 1.5, 2.0, 3.1, 2.6, 2.8};
static const double peer[12] = {2.5, 2.6, 2.4, 2.9, 2.2, 2.4, 2.5, 2.1, 2.3, 2.7, 2.5, 2.6};
static const struct lc_chart_series radar_series[3] = {
    {.label = "Cork 2024", .values = cur},
    {.label = "Cork 2022", .values = prev},
    {.label = "Peer median <b>&", .values = peer},
};
static const struct lc_chart_radar radar = {.n_axes = 12,
                                            .codes = codes,
                                            .names = names,
                                            .max = 4,
                                            .n_series = 3,
                                            .series = radar_series,
                                            .decimals = 1};

static const int years[6] = {2015, 2017, 2019, 2021, 2023, 2025};
static const double t1[6] = {41.2, 44.0, NAN, 49.5, 52.3, 55.1};
static const double t1lo[6] = {38.0, 40.1, NAN, 46.0, 48.2, 50.9};
static const double t1hi[6] = {44.5, 47.9, NAN, 53.1, 56.0, 59.4};
static const double t2[6] = {NAN, 39.0, 42.5, 43.1, NAN, 47.0};
static const struct lc_chart_series trend_series[2] = {
    {.label = "Overall", .values = t1, .lo = t1lo, .hi = t1hi},
    {.label = "Peer <b>&", .values = t2},
};
static const struct lc_chart_trend trend = {.n_years = 6,
                                            .years = years,
                                            .n_series = 2,
                                            .series = trend_series,
                                            .y_label = "Score",
                                            .y_min = NAN,
                                            .y_max = NAN,
                                            .decimals = 1};

static const char *const cities[4] = {"Aswan", "Cork <b>&", "Medell\xc3\xadn", "Wuhan"};
static const double heat_values[4 * 5] = {
    62.0, 55.5, NAN,  71.2, 48.0, /* */
    80.1, 77.3, 69.0, 90.5, 85.2, /* */
    35.0, NAN,  42.8, 50.0, 39.9, /* */
    58.3, 61.0, 66.6, 12.4, 70.0,
};
static const struct lc_chart_heatmap heat = {.n_rows = 4,
                                             .n_cols = 5,
                                             .row_labels = cities,
                                             .col_labels = codes,
                                             .col_names = names,
                                             .values = heat_values,
                                             .min = 0,
                                             .max = 100,
                                             .decimals = 0};

static const struct lc_chart_rank_unit units[6] = {
    {"Wuhan", 3, 2, 5},    {"Cork <b>&", 1, 1, 3},           {"Aswan", 5, 3, 6},
    {"Medellín", 2, 1, 4}, {"Unranked city", NAN, NAN, NAN}, {"Espoo", 4, 2, 6},
};
static const struct lc_chart_ranks ranks = {.n = 6, .units = units, .highlight = 1};

static const double dist_values[16] = {12, 18, 22,  25, 25, 31, 33, 38,
                                       41, 44, NAN, 52, 57, 63, 71, 88};
static const struct lc_chart_dist dist = {.n = 16,
                                          .values = dist_values,
                                          .selected = 8,
                                          .selected_label = "Cork <b>&",
                                          .x_label = "Adult participation in learning (%)",
                                          .min = NAN,
                                          .max = NAN,
                                          .decimals = 0};

static const char *const regions[5] = {"Africa", "Arab States", "Asia and the Pacific <b>&",
                                       "Europe and North America",
                                       "Latin America and the Caribbean"};
static const double region_values[5] = {42, 18, 96, 140, NAN};
static const struct lc_chart_bars bars = {
    .n = 5, .labels = regions, .values = region_values, .max = NAN, .decimals = 0};

static const struct {
	const char *name;
	render_fn fn;
	const void *chart;
} golden[] = {
    {"radar", r_radar, &radar}, {"trend", r_trend, &trend}, {"heatmap", r_heat, &heat},
    {"ranks", r_ranks, &ranks}, {"dist", r_dist, &dist},    {"bars", r_bars, &bars},
};

static void render(render_fn fn, const void *chart, const struct lc_chart_frame *f,
                   struct lc_buf *b)
{
	lc_buf_init(b, 1 << 24);
	assert_int_equal(fn(b, f, chart), 0);
}

/* With LC_CHART_DUMP=DIR, charts are also written there to be looked at (not compared). */
static void dump(const char *name, const char *suffix, const struct lc_buf *b)
{
	const char *dir = getenv("LC_CHART_DUMP");
	if (!dir)
		return;
	char path[1024];
	snprintf(path, sizeof path, "%s/%s%s.svg", dir, name, suffix);
	FILE *fp = fopen(path, "wb");
	if (!fp)
		return;
	fwrite(lc_buf_cstr(b), 1, b->len, fp);
	fclose(fp);
}

/* ---- tests ------------------------------------------------------------- */

static void test_ticks(void **state)
{
	(void)state;
	double first, step;
	int count;
	lc_chart_ticks(0, 4, 4, &first, &step, &count);
	assert_true(first == 0 && step == 1 && count == 5);
	lc_chart_ticks(38, 59.4, 5, &first, &step, &count);
	assert_true(first == 35 && step == 5 && count == 6);
	lc_chart_ticks(3, 3, 5, &first, &step, &count); /* zero range widened */
	assert_true(count >= 2 && first <= 3 && first + step * (count - 1) >= 3);
	lc_chart_ticks(0, 0, 5, &first, &step, &count);
	assert_true(first == 0 && count >= 2);
	lc_chart_ticks(NAN, INFINITY, 5, &first, &step, &count);
	assert_true(isfinite(first) && isfinite(step) && step > 0 && count >= 2);
	lc_chart_ticks(-1e300, 1e300, 5, &first, &step, &count);
	assert_true(isfinite(first) && isfinite(step) && count >= 2 && count <= 1000);
}

static void test_radar(void **state)
{
	(void)state;
	struct lc_buf b;
	struct seen s;
	render(r_radar, &radar, &frame, &b);
	parse(&b, &s);
	/* One marker per present value: 11 + 11 + 12. */
	assert_int_equal(s.marks, 34);
	/* The complete peer series is one closed polygon; the two with a gap are open paths. */
	assert_int_equal(s.lines, 3);
	assert_true(contains(&b, "Peer median &lt;b&gt;&amp;"));
	assert_false(contains(&b, "<b>"));
	/* The text alternative names every area and says which values are missing. */
	assert_true(strstr(lc_buf_cstr(&s.desc_text), "1.3 Workplace learning: No data"));
	assert_true(strstr(lc_buf_cstr(&s.desc_text), "3.4 Sustainable: 3.1"));
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
}

static void test_radar_edges(void **state)
{
	(void)state;
	struct lc_buf b;
	struct seen s;
	/* No series at all: the empty state. */
	struct lc_chart_radar r = radar;
	r.n_series = 0;
	render(r_radar, &r, &frame, &b);
	parse(&b, &s);
	dump("radar", "-empty", &b);
	assert_true(is_empty(&b));
	assert_int_equal(s.marks, 0);
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
	/* Every value missing: the empty state too, not a polygon of zeros. */
	const double allnan[12] = {NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
	struct lc_chart_series one = {.label = "x", .values = allnan};
	r.n_series = 1;
	r.series = &one;
	render(r_radar, &r, &frame, &b);
	parse(&b, &s);
	assert_true(is_empty(&b));
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
	/* One value: a marker and no line. */
	double single[12];
	for (int i = 0; i < 12; i++)
		single[i] = i == 4 ? 2 : NAN;
	one.values = single;
	render(r_radar, &r, &frame, &b);
	parse(&b, &s);
	assert_int_equal(s.marks, 1);
	assert_int_equal(s.lines, 0);
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
	/* All equal, no max given: a scale is still chosen. */
	double equal[12];
	for (int i = 0; i < 12; i++)
		equal[i] = 0;
	one.values = equal;
	r.max = NAN;
	render(r_radar, &r, &frame, &b);
	parse(&b, &s);
	assert_int_equal(s.marks, 12);
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
	/* Alternating gaps: six isolated points, no line. */
	double alt[12];
	for (int i = 0; i < 12; i++)
		alt[i] = i % 2 ? NAN : 1;
	one.values = alt;
	render(r_radar, &r, &frame, &b);
	parse(&b, &s);
	assert_int_equal(s.marks, 6);
	assert_int_equal(s.lines, 0);
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
}

static void test_trend(void **state)
{
	(void)state;
	struct lc_buf b;
	struct seen s;
	render(r_trend, &trend, &frame, &b);
	parse(&b, &s);
	assert_int_equal(s.marks, 5 + 4);
	assert_int_equal(s.lines, 2);
	/* The band breaks at the missing year: two shapes. */
	assert_int_equal(s.bands, 2);
	assert_true(contains(&b, "Peer &lt;b&gt;&amp;"));
	assert_true(strstr(lc_buf_cstr(&s.desc_text), "2019 No data"));
	assert_true(strstr(lc_buf_cstr(&s.desc_text), "2015 41.2 (5th to 95th percentile 38.0"));
	seen_cleanup(&s);
	lc_buf_cleanup(&b);

	/* One point with a band: a marker and a whisker, no line. */
	const int y1[1] = {2024};
	const double v1[1] = {3}, lo1[1] = {2}, hi1[1] = {4};
	struct lc_chart_series se = {.label = "one", .values = v1, .lo = lo1, .hi = hi1};
	struct lc_chart_trend t = {
	    .n_years = 1, .years = y1, .n_series = 1, .series = &se, .y_min = NAN, .y_max = NAN};
	render(r_trend, &t, &frame, &b);
	parse(&b, &s);
	assert_int_equal(s.marks, 1);
	assert_int_equal(s.lines, 0);
	assert_int_equal(s.bands, 1);
	seen_cleanup(&s);
	lc_buf_cleanup(&b);

	/* Nothing: the empty state. */
	t.n_series = 0;
	render(r_trend, &t, &frame, &b);
	parse(&b, &s);
	assert_true(is_empty(&b));
	seen_cleanup(&s);
	lc_buf_cleanup(&b);

	/* Many years: only some are labelled, all are drawn. */
	int many[40];
	double mv[40];
	for (int i = 0; i < 40; i++) {
		many[i] = 1990 + i;
		mv[i] = 5; /* a zero range */
	}
	se = (struct lc_chart_series){.label = "flat", .values = mv};
	t = (struct lc_chart_trend){
	    .n_years = 40, .years = many, .n_series = 1, .series = &se, .y_min = NAN, .y_max = NAN};
	render(r_trend, &t, &frame, &b);
	parse(&b, &s);
	dump("trend", "-flat40", &b);
	assert_int_equal(s.marks, 40);
	assert_int_equal(s.lines, 1);
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
}

static void test_heatmap(void **state)
{
	(void)state;
	struct lc_buf b;
	struct seen s;
	render(r_heat, &heat, &frame, &b);
	parse(&b, &s);
	/* 20 cells, 2 of them NA (plus the legend's NA swatch and the "no data" class tokens). */
	assert_int_equal(s.cells, 20);
	assert_true(s.na >= 2);
	assert_true(contains(&b, "Cork &lt;b&gt;&amp;"));
	assert_true(contains(&b, ">85</text>")); /* 85.2 with no decimals, printed in its cell */
	assert_true(strstr(lc_buf_cstr(&s.desc_text), "Aswan: 1.1 Inclusive learning 62; "));
	seen_cleanup(&s);
	lc_buf_cleanup(&b);

	/* Small cells: no values printed. */
	struct lc_chart_heatmap h = heat;
	h.cell_w = 12;
	h.cell_h = 12;
	render(r_heat, &h, &frame, &b);
	parse(&b, &s);
	assert_false(contains(&b, "lc-cell-value"));
	seen_cleanup(&s);
	lc_buf_cleanup(&b);

	/* All NA and no scale: hatched cells, a default scale. */
	double nas[3] = {NAN, NAN, NAN};
	h = (struct lc_chart_heatmap){.n_rows = 1,
	                              .n_cols = 3,
	                              .row_labels = cities,
	                              .col_labels = codes,
	                              .values = nas,
	                              .min = NAN,
	                              .max = NAN};
	render(r_heat, &h, &frame, &b);
	parse(&b, &s);
	assert_int_equal(s.cells, 3);
	seen_cleanup(&s);
	lc_buf_cleanup(&b);

	/* Empty. */
	h.n_rows = 0;
	render(r_heat, &h, &frame, &b);
	parse(&b, &s);
	assert_true(is_empty(&b));
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
}

static void test_ranks(void **state)
{
	(void)state;
	struct lc_buf b;
	struct seen s;
	render(r_ranks, &ranks, &frame, &b);
	parse(&b, &s);
	assert_int_equal(s.marks, 5);
	assert_int_equal(s.bars, 5);
	assert_true(s.highlight >= 1);
	/* Sorted by rank, the unranked unit last. */
	const char *d = lc_buf_cstr(&s.desc_text);
	const char *p1 = strstr(d, "Cork <b>&: Rank 1"), *p2 = strstr(d, "Medellín: Rank 2"),
	           *p5 = strstr(d, "Aswan: Rank 5"), *pn = strstr(d, "Unranked city: Rank No data");
	assert_non_null(p1);
	assert_non_null(p2);
	assert_non_null(p5);
	assert_non_null(pn);
	assert_true(p1 < p2 && p2 < p5 && p5 < pn);
	seen_cleanup(&s);
	lc_buf_cleanup(&b);

	/* One unit, no interval, highlight out of range. */
	struct lc_chart_rank_unit u = {"Only", 1, NAN, NAN};
	struct lc_chart_ranks r = {.n = 1, .units = &u, .highlight = 7};
	render(r_ranks, &r, &frame, &b);
	parse(&b, &s);
	assert_int_equal(s.marks, 1);
	assert_int_equal(s.bars, 0);
	seen_cleanup(&s);
	lc_buf_cleanup(&b);

	r.n = 0;
	render(r_ranks, &r, &frame, &b);
	parse(&b, &s);
	assert_true(is_empty(&b));
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
}

static void test_dist(void **state)
{
	(void)state;
	struct lc_buf b;
	struct seen s;
	render(r_dist, &dist, &frame, &b);
	parse(&b, &s);
	assert_true(s.bars >= 5);
	assert_int_equal(s.selected, 1); /* the bar of the selected city */
	assert_int_equal(s.marks, 1);
	assert_true(contains(&b, "Cork &lt;b&gt;&amp;: 41"));
	const char *d = lc_buf_cstr(&s.desc_text);
	assert_non_null(strstr(d, "15 cities (No data: 1)"));
	assert_non_null(strstr(d, "median 38"));
	seen_cleanup(&s);
	lc_buf_cleanup(&b);

	/* All equal, one value, none selected. */
	const double eq[3] = {7, 7, 7};
	struct lc_chart_dist dd = {.n = 3, .values = eq, .selected = NONE, .min = NAN, .max = NAN};
	render(r_dist, &dd, &frame, &b);
	parse(&b, &s);
	assert_int_equal(s.bars, 1);
	assert_int_equal(s.marks, 0);
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
	dd.n = 1;
	dd.selected = 0;
	render(r_dist, &dd, &frame, &b);
	parse(&b, &s);
	assert_int_equal(s.bars, 1);
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
	dd.n = 0;
	render(r_dist, &dd, &frame, &b);
	parse(&b, &s);
	assert_true(is_empty(&b));
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
}

static void test_bars(void **state)
{
	(void)state;
	struct lc_buf b;
	struct seen s;
	render(r_bars, &bars, &frame, &b);
	parse(&b, &s);
	assert_int_equal(s.bars, 4);
	assert_true(contains(&b, "Asia and the Pacific &lt;b&gt;&amp;"));
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
	/* Negative values get a zero line; all zeros still draw. */
	const double neg[3] = {-5, 0, 3};
	struct lc_chart_bars r = {.n = 3, .labels = regions, .values = neg, .max = NAN};
	render(r_bars, &r, &frame, &b);
	parse(&b, &s);
	dump("bars", "-negative", &b);
	assert_int_equal(s.bars, 3);
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
	r.n = 0;
	render(r_bars, &r, &frame, &b);
	parse(&b, &s);
	assert_true(is_empty(&b));
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
}

/* A French page writes its values with a decimal comma; the next English chart with a point. */
static void test_decimal_mark(void **state)
{
	(void)state;
	const double v[2] = {24.5, 3};
	struct lc_chart_bars r = {
	    .n = 2, .labels = regions, .values = v, .max = NAN, .decimals = 1};
	const struct lc_chart_words fr = {.decimal_mark = ","};
	struct lc_chart_frame f = frame;
	f.words = &fr;
	struct lc_buf b;
	render(r_bars, &r, &f, &b);
	assert_true(contains(&b, "24,5"));
	assert_false(contains(&b, "24.5"));
	lc_buf_cleanup(&b);
	render(r_bars, &r, &frame, &b);
	assert_true(contains(&b, "24.5"));
	assert_false(contains(&b, "24,5"));
	lc_buf_cleanup(&b);
}

/* Histograms side by side: the peak is the largest bin, and count_max lifts the scale. */
static void test_dist_scale(void **state)
{
	(void)state;
	const double v[6] = {10, 12, 14, 55, 90, NAN};
	struct lc_chart_dist d = {
	    .n = 6, .values = v, .selected = (size_t)-1, .min = 0, .max = 100};
	assert_int_equal(lc_chart_dist_peak(&d), 3);
	struct lc_buf b;
	render(r_dist, &d, &frame, &b);
	bool had_8 = contains(&b, ">8<");
	lc_buf_cleanup(&b);
	d.count_max = 8;
	render(r_dist, &d, &frame, &b);
	assert_false(had_8);
	assert_true(contains(&b, ">8<"));
	lc_buf_cleanup(&b);
}

/* NaN, infinities, huge and negative values, empty, bad and long labels in every chart. */
static void test_hostile(void **state)
{
	(void)state;
	static const double v[12] = {NAN, INFINITY, -INFINITY, 1e300, -1e300, -5,
	                             0,   1e-300,   DBL_MAX,   -0.0,  3,      4};
	static const char long_label[] = "a very long city name that goes on and on and on beyond "
	                                 "any reasonable label width at all";
	static const char *const lab[12] = {
	    "",
	    "\xff\xfe bad utf-8 \xc3",
	    "ctl\x01\x1f\x7f",
	    "<script>alert(1)</script>",
	    "\"quoted\" 'single' &amp;",
	    "\xd8\xa7\xd9\x84\xd9\x82\xd8\xa7\xd9\x87\xd8\xb1\xd8\xa9",
	    "\xe6\xad\xa6\xe6\xb1\x89",
	    long_label,
	    "]]>",
	    "x",
	    "y",
	    "z"};
	struct lc_chart_series se[3] = {{.label = lab[1], .values = v, .lo = v, .hi = v},
	                                {.label = lab[3], .values = v},
	                                {.label = "", .values = v}};
	int yrs[12];
	for (int i = 0; i < 12; i++)
		yrs[i] = 2000 + i;
	struct lc_chart_rank_unit u[12];
	for (int i = 0; i < 12; i++)
		u[i] = (struct lc_chart_rank_unit){lab[i], v[i], v[(i + 3) % 12], v[(i + 5) % 12]};
	double cells[12 * 12];
	for (int i = 0; i < 144; i++)
		cells[i] = v[i % 12];

	const struct lc_chart_radar rr = {.n_axes = 12,
	                                  .codes = lab,
	                                  .names = lab,
	                                  .max = NAN,
	                                  .n_series = 3,
	                                  .series = se,
	                                  .decimals = 99};
	const struct lc_chart_trend tt = {.n_years = 12,
	                                  .years = yrs,
	                                  .n_series = 3,
	                                  .series = se,
	                                  .y_label = lab[2],
	                                  .y_min = -INFINITY,
	                                  .y_max = NAN,
	                                  .decimals = -3};
	const struct lc_chart_heatmap hh = {.n_rows = 12,
	                                    .n_cols = 12,
	                                    .row_labels = lab,
	                                    .col_labels = lab,
	                                    .col_names = lab,
	                                    .values = cells,
	                                    .min = NAN,
	                                    .max = NAN,
	                                    .cell_w = -1,
	                                    .cell_h = 100000};
	const struct lc_chart_ranks kk = {.n = 12, .units = u, .highlight = 3};
	const struct lc_chart_dist dd = {.n = 12,
	                                 .values = v,
	                                 .selected = 3,
	                                 .selected_label = lab[4],
	                                 .x_label = lab[0],
	                                 .min = NAN,
	                                 .max = -INFINITY};
	const struct lc_chart_bars bb = {.n = 12, .labels = lab, .values = v, .max = INFINITY};
	const void *charts[6] = {&rr, &tt, &hh, &kk, &dd, &bb};
	const render_fn fns[6] = {r_radar, r_trend, r_heat, r_ranks, r_dist, r_bars};
	struct lc_chart_frame frames[3] = {
	    {.id = "\"><x", .title = "<t>", .desc = "]]> &", .rtl = false},
	    {.id = NULL, .title = NULL, .desc = NULL, .rtl = true},
	    {.id = "", .title = "", .desc = "", .rtl = true},
	};
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < 6; i++) {
			struct lc_buf b;
			struct seen s;
			render(fns[i], charts[i], &frames[k], &b);
			parse(&b, &s);
			char suffix[32];
			snprintf(suffix, sizeof suffix, "-hostile%d", k);
			dump(golden[i].name, suffix, &b);
			assert_false(contains(&b, "<script>"));
			seen_cleanup(&s);
			lc_buf_cleanup(&b);
		}
}

/* Tiny and subnormal ranges, years out of order and at the ends of int. */
static void test_odd_ranges(void **state)
{
	(void)state;
	const double tiny[4] = {5e-324, 1e-323, 4.9e-324, 0};
	const double near[4] = {1e9, 1e9 + 1e-6, 1e9, 1e9};
	const int yrs[4] = {2020, 2010, INT_MIN, INT_MAX};
	const double *sets[2] = {tiny, near};
	for (int k = 0; k < 2; k++) {
		struct lc_chart_series se = {
		    .label = "s", .values = sets[k], .lo = sets[k], .hi = sets[k]};
		struct lc_chart_trend t = {.n_years = 4,
		                           .years = yrs,
		                           .n_series = 1,
		                           .series = &se,
		                           .y_min = NAN,
		                           .y_max = NAN,
		                           .decimals = 2};
		struct lc_chart_dist d = {
		    .n = 4, .values = sets[k], .selected = 1, .min = NAN, .max = NAN};
		struct lc_chart_heatmap h = {.n_rows = 2,
		                             .n_cols = 2,
		                             .row_labels = cities,
		                             .col_labels = codes,
		                             .values = sets[k],
		                             .min = NAN,
		                             .max = NAN};
		struct lc_chart_bars r = {.n = 4, .labels = regions, .values = sets[k], .max = NAN};
		struct lc_buf b;
		struct seen s;
		render(r_trend, &t, &frame, &b);
		parse(&b, &s);
		assert_int_equal(s.marks, 4);
		seen_cleanup(&s);
		lc_buf_cleanup(&b);
		render(r_dist, &d, &frame, &b);
		parse(&b, &s);
		seen_cleanup(&s);
		lc_buf_cleanup(&b);
		render(r_heat, &h, &frame, &b);
		parse(&b, &s);
		seen_cleanup(&s);
		lc_buf_cleanup(&b);
		render(r_bars, &r, &frame, &b);
		parse(&b, &s);
		seen_cleanup(&s);
		lc_buf_cleanup(&b);
	}
	double first, step;
	int count;
	lc_chart_ticks(5e-324, 1e-323, 5, &first, &step, &count);
	assert_true(isfinite(first) && step > 0 && count >= 2);
}

/* A small deterministic generator: the same "random" charts on every run. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
	return n ? (uint32_t)(rng_state >> 33) % n : 0;
}

static double rnd_value(void)
{
	static const double special[] = {NAN,    INFINITY, -INFINITY, 0,  -0.0, 1e300,
	                                 -1e300, 1e-300,   DBL_MAX,   -1, 4,    100};
	if (rnd(3) == 0)
		return special[rnd(sizeof special / sizeof special[0])];
	return ((double)rnd(200001) - 100000) / (double)(1 + rnd(1000));
}

/* A label of random bytes (never NUL): invalid UTF-8, controls, markup characters. */
static void rnd_label(char *out, size_t cap)
{
	size_t n = rnd((uint32_t)cap);
	for (size_t i = 0; i < n; i++)
		out[i] = (char)(1 + rnd(255));
	out[n] = '\0';
}

/* Random charts of every kind: each must parse, contrast and carry no NaN. */
static void test_random(void **state)
{
	(void)state;
	enum { K = 24 };
	static char lab[K][40];
	static const char *labp[K];
	static double v[3][K * K], lo[K], hi[K];
	static int yrs[K];
	static struct lc_chart_rank_unit u[K];
	for (int iter = 0; iter < 400; iter++) {
		size_t n = rnd(K + 1), m = rnd(K + 1);
		for (size_t i = 0; i < K; i++) {
			rnd_label(lab[i], sizeof lab[i]);
			labp[i] = lab[i];
			lo[i] = rnd_value();
			hi[i] = rnd_value();
			yrs[i] = (int)(1990 + rnd(60));
			u[i] = (struct lc_chart_rank_unit){lab[i], rnd_value(), rnd_value(),
			                                   rnd_value()};
		}
		for (size_t k = 0; k < 3; k++)
			for (size_t i = 0; i < K * K; i++)
				v[k][i] = rnd_value();
		struct lc_chart_series se[3] = {
		    {lab[0], v[0], lo, hi}, {lab[1], v[1], NULL, NULL}, {lab[2], v[2], lo, NULL}};
		size_t ns = rnd(4);
		struct lc_chart_frame f = {
		    .id = lab[3], .title = lab[4], .desc = lab[5], .rtl = rnd(2) == 1};
		struct lc_chart_radar rr = {n, labp, labp, rnd_value(), ns, se, (int)rnd(9) - 1};
		struct lc_chart_trend tt = {
		    n, yrs, ns, se, lab[6], rnd_value(), rnd_value(), 1, rnd(2) ? 300 : 0};
		struct lc_chart_heatmap hh = {
		    n,           m,           labp, labp,         rnd(2) ? labp : NULL, v[0],
		    rnd_value(), rnd_value(), 1,    (int)rnd(60), (int)rnd(40),         NULL,
		    NULL};
		struct lc_chart_ranks kk = {n, u, rnd(K + 2)};
		struct lc_chart_dist dd = {n,           v[1],        rnd(K + 2), lab[7], lab[8],
		                           rnd_value(), rnd_value(), 2,          rnd(50)};
		struct lc_chart_bars bb = {n, labp, v[2], rnd_value(), 1};
		const void *charts[6] = {&rr, &tt, &hh, &kk, &dd, &bb};
		const render_fn fns[6] = {r_radar, r_trend, r_heat, r_ranks, r_dist, r_bars};
		for (int i = 0; i < 6; i++) {
			struct lc_buf b;
			struct seen s;
			render(fns[i], charts[i], &f, &b);
			parse(&b, &s);
			seen_cleanup(&s);
			lc_buf_cleanup(&b);
		}
	}
}

static void test_errors(void **state)
{
	(void)state;
	struct lc_buf b;
	lc_buf_init(&b, 64); /* far too small: the chart reports the limit */
	assert_int_equal(lc_chart_radar(&b, &frame, &radar), LC_ELIMIT);
	lc_buf_cleanup(&b);
	lc_buf_init(&b, 1 << 20);
	assert_int_equal(lc_chart_radar(NULL, &frame, &radar), LC_EINVAL);
	assert_int_equal(lc_chart_radar(&b, NULL, &radar), LC_EINVAL);
	assert_int_equal(lc_chart_trend(&b, &frame, NULL), LC_EINVAL);
	struct lc_chart_radar r = radar;
	r.codes = NULL;
	assert_int_equal(lc_chart_radar(&b, &frame, &r), LC_EINVAL);
	r = radar;
	r.n_axes = LC_CHART_MAX_AXES + 1;
	assert_int_equal(lc_chart_radar(&b, &frame, &r), LC_ELIMIT);
	struct lc_chart_heatmap h = heat;
	h.n_cols = LC_CHART_MAX_COLS + 1;
	assert_int_equal(lc_chart_heatmap(&b, &frame, &h), LC_ELIMIT);
	assert_int_equal(b.len, 0);
	lc_buf_cleanup(&b);
}

static void test_rtl_and_words(void **state)
{
	(void)state;
	const struct lc_chart_words fr = {.no_data = "Pas de donn\xc3\xa9"
	                                             "es",
	                                  .rank = "Rang"};
	const struct lc_chart_frame f = {.id = "ar", .title = "t", .rtl = true, .words = &fr};
	for (size_t i = 0; i < sizeof golden / sizeof golden[0]; i++) {
		struct lc_buf b;
		struct seen s;
		render(golden[i].fn, golden[i].chart, &f, &b);
		parse(&b, &s);
		assert_true(contains(&b, "direction=\"rtl\""));
		dump(golden[i].name, "-rtl", &b);
		seen_cleanup(&s);
		lc_buf_cleanup(&b);
	}
	struct lc_buf b;
	struct lc_chart_ranks r = ranks;
	render(r_ranks, &r, &f, &b);
	assert_true(contains(&b, "Rang"));
	assert_true(contains(&b, "Pas de donn\xc3\xa9"
	                         "es"));
	lc_buf_cleanup(&b);
}

static void test_deterministic(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof golden / sizeof golden[0]; i++) {
		struct lc_buf a, b;
		render(golden[i].fn, golden[i].chart, &frame, &a);
		render(golden[i].fn, golden[i].chart, &frame, &b);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(lc_buf_cstr(&a), lc_buf_cstr(&b), a.len);
		lc_buf_cleanup(&a);
		lc_buf_cleanup(&b);
	}
}

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	struct lc_buf b;
	lc_buf_init(&b, 1 << 24);
	char tmp[4096];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0)
		lc_buf_append(&b, tmp, n);
	fclose(fp);
	return lc_buf_steal(&b, len);
}

static void test_golden(void **state)
{
	(void)state;
	const char *src = getenv("LC_SOURCE_DIR");
	if (!src)
		src = ".";
	bool update = getenv("LC_UPDATE_GOLDEN") != NULL;
	const struct lc_chart_frame f = {
	    .id = "golden", .title = "Golden chart", .desc = "A test chart."};
	for (size_t i = 0; i < sizeof golden / sizeof golden[0]; i++) {
		struct lc_buf b;
		render(golden[i].fn, golden[i].chart, &f, &b);
		char path[1024];
		snprintf(path, sizeof path, "%s/tests/unit/data/charts/%s.svg", src,
		         golden[i].name);
		if (update) {
			FILE *fp = fopen(path, "wb");
			assert_non_null(fp);
			assert_int_equal(fwrite(lc_buf_cstr(&b), 1, b.len, fp), b.len);
			fclose(fp);
		}
		size_t len = 0;
		char *want = read_file(path, &len);
		if (!want)
			fail_msg("missing golden file %s (LC_UPDATE_GOLDEN=1 writes it)", path);
		if (len != b.len || memcmp(want, lc_buf_cstr(&b), len) != 0)
			fail_msg("%s differs from its golden file %s:\n%s", golden[i].name, path,
			         lc_buf_cstr(&b));
		lc_free(want);
		lc_buf_cleanup(&b);
	}
}

/* A network-sized dashboard: 1,000 cities x 12 areas and 1,000 rank intervals. */
static void test_large(void **state)
{
	(void)state;
	enum { N = 1000 };
	char(*label)[16] = lc_xcalloc(N, sizeof *label);
	const char **rows = lc_xcalloc(N, sizeof *rows);
	double *cells = lc_xcalloc(N * 12, sizeof *cells);
	struct lc_chart_rank_unit *u = lc_xcalloc(N, sizeof *u);
	for (int i = 0; i < N; i++) {
		snprintf(label[i], sizeof label[i], "City %d", i);
		rows[i] = label[i];
		for (int j = 0; j < 12; j++)
			cells[i * 12 + j] =
			    (i * 7 + j * 13) % 17 == 0 ? NAN : (double)((i * 31 + j) % 101);
		u[i] = (struct lc_chart_rank_unit){label[i], N - i, fmax(1, N - i - 40),
		                                   fmin(N, N - i + 40)};
	}
	struct lc_chart_heatmap h = {.n_rows = N,
	                             .n_cols = 12,
	                             .row_labels = rows,
	                             .col_labels = codes,
	                             .col_names = names,
	                             .values = cells,
	                             .min = 0,
	                             .max = 100};
	struct lc_buf b;
	struct seen s;
	render(r_heat, &h, &frame, &b);
	parse(&b, &s);
	assert_int_equal(s.cells, N * 12);
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
	struct lc_chart_ranks r = {.n = N, .units = u, .highlight = 500};
	render(r_ranks, &r, &frame, &b);
	parse(&b, &s);
	assert_int_equal(s.marks, N);
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
	lc_free(u);
	lc_free(cells);
	lc_free(rows);
	lc_free(label);
}

/* The world map: places at a spot share one mark; unknown coordinates ring the country's centroid.
 */
static void test_map(void **state)
{
	(void)state;
	const struct lc_chart_place places[] = {
	    {.label = "Cork", .lat = NAN, .lon = NAN, .country = 372},
	    {.label = "Limerick <b>&", .lat = NAN, .lon = NAN, .country = 372},
	    {.label = "Null Island", .lat = 0, .lon = 0, .country = 0},
	    {.label = "Nowhere", .lat = NAN, .lon = NAN, .country = 999},
	};
	const struct lc_chart_map m = {.n = 4, .places = places};
	struct lc_buf b;
	struct seen s;
	lc_buf_init(&b, 1 << 20);
	assert_int_equal(lc_chart_map(&b, &frame, &m), 0);
	parse(&b, &s);
	dump("map", "", &b);
	assert_true(s.root_ok);
	assert_int_equal(s.style_attrs, 0);
	assert_int_equal(s.circle,
	                 2); /* Ireland's two cities share one ring; Nowhere is left out */
	assert_true(contains(&b, "<title>Cork, Limerick &lt;b&gt;&amp;</title>"));
	/* Ireland's centroid (data/world-centroids.json), as a ring; 0,0 as a filled dot. */
	assert_true(contains(&b, "lc-place lc-place-approx\" cx=\"430.0\" cy=\"77.1\""));
	assert_true(contains(&b, "class=\"lc-place\" cx=\"450.0\" cy=\"210.0\""));
	assert_true(contains(&b, "<image href=\"/static/world-110m.svg\""));
	seen_cleanup(&s);
	lc_buf_cleanup(&b);
	/* Too many places is a refusal, not a slow page. */
	const struct lc_chart_map big = {.n = LC_CHART_MAX_PLACES + 1, .places = places};
	lc_buf_init(&b, 1 << 20);
	assert_int_equal(lc_chart_map(&b, &frame, &big), LC_ELIMIT);
	const struct lc_chart_map none = {.n = 2, .places = NULL};
	assert_int_equal(lc_chart_map(&b, &frame, &none), LC_EINVAL);
	lc_buf_cleanup(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ticks),         cmocka_unit_test(test_radar),
	    cmocka_unit_test(test_radar_edges),   cmocka_unit_test(test_trend),
	    cmocka_unit_test(test_heatmap),       cmocka_unit_test(test_ranks),
	    cmocka_unit_test(test_dist),          cmocka_unit_test(test_bars),
	    cmocka_unit_test(test_decimal_mark),  cmocka_unit_test(test_dist_scale),
	    cmocka_unit_test(test_hostile),       cmocka_unit_test(test_odd_ranges),
	    cmocka_unit_test(test_random),        cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_rtl_and_words), cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_golden),        cmocka_unit_test(test_large),
	    cmocka_unit_test(test_map),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
