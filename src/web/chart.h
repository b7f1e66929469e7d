/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Charts drawn by the server as inline SVG: a radar of the areas of focus,
 * trend lines, a heat map, rank intervals (a "caterpillar"), the
 * distribution of one indicator and small horizontal bars. Each function
 * takes plain C arrays and appends one complete <svg> element to a struct
 * lc_buf; a template inserts it with {{{triple}}} braces.
 *
 * What every chart promises:
 * - Accessible: role="img", aria-labelledby pointing at the <title> (a
 *   short name) and aria-describedby at the <desc>, a text alternative
 *   that states the data (every value, or for a distribution its summary
 *   and bins). Series differ by colour AND by dash pattern and marker
 *   shape; the highlighted unit by a bold label and a diamond; missing
 *   cells by hatching; values are printed where there is room. Colours
 *   meet 3:1 against white for marks and 4.5:1 for text (test_chart.c
 *   checks every chart it draws).
 * - No inline style attributes (the Content-Security-Policy forbids them):
 *   only presentation attributes (fill, stroke, font-size...) and classes
 *   (lc-chart, lc-chart-<kind>, ...) that static/style.css may restyle.
 *   The presentation attributes alone give a readable chart, so an SVG
 *   saved to a file still looks right.
 * - Right-to-left: with frame.rtl the horizontal layout is mirrored (labels
 *   on the right, time and ranks running right to left, the radar turning
 *   counter-clockwise) and text gets direction="rtl".
 * - Every label is escaped for XML; invalid UTF-8 becomes U+FFFD and
 *   control characters are dropped, so the output always parses.
 * - Deterministic: the same input gives the same bytes (coordinates with
 *   one decimal, values with the chart's decimals).
 * - Robust: NaN and infinities are missing values (drawn as gaps, hatched
 *   cells or "no data", never as zeros); values beyond +-LC_CHART_ABS_MAX
 *   are clamped for drawing; empty data gives a small SVG saying "No data".
 *
 * Use from a route (the SVG is HTML, so the template inserts it raw):
 *
 *   struct lc_buf svg;
 *   lc_buf_init(&svg, LC_LIMIT_HTTP_RESPONSE);
 *   const struct lc_chart_frame f = {.id = "radar", .title = "...", .rtl = rtl};
 *   if (lc_chart_radar(&svg, &f, &radar) == 0) ... hand lc_buf_cstr(&svg) to the page
 *   template: <figure class="lc-figure">{{{radar_svg}}}<figcaption>...</figcaption></figure>
 *   (a heat map inside <div class="lc-chart-wrap"> scrolls instead of shrinking)
 *
 * Owns nothing: inputs are borrowed for the duration of the call.
 * Does not: query the database, translate (the caller passes the words of
 * the page's language in struct lc_chart_words), or emit scripts.
 */
#ifndef LC_CHART_H
#define LC_CHART_H

#include <stdbool.h>
#include <stddef.h>

struct lc_buf;

/* Limits of what one chart draws; beyond them the function returns LC_ELIMIT. */
#define LC_CHART_MAX_AXES    64     /* radar spokes: the framework has 12 areas */
#define LC_CHART_MAX_SERIES  12     /* lines in one chart: more are unreadable */
#define LC_CHART_MAX_POINTS  1000   /* years of a trend: decades, not millennia */
#define LC_CHART_MAX_ROWS    100000 /* heat map rows, ranked units, histogram values (a network) */
#define LC_CHART_MAX_COLS    256    /* heat map columns: areas or measurements */
#define LC_CHART_MAX_PLACES  5000   /* map points: the network has hundreds of cities */
#define LC_CHART_ABS_MAX     1e12   /* larger magnitudes are clamped for drawing */
#define LC_CHART_LABEL_CHARS 40     /* labels drawn longer than this are cut with an ellipsis */

/*
 * The words a chart writes, in the page's language. Any NULL member (or a
 * NULL pointer to the struct) takes the English default shown.
 */
struct lc_chart_words {
	const char *no_data;      /* "No data": empty chart and missing values */
	const char *scale;        /* "Scale": legend of a heat map */
	const char *rank;         /* "Rank" */
	const char *interval;     /* "5th to 95th percentile" */
	const char *count;        /* "Number of cities" */
	const char *cities;       /* "cities" */
	const char *median;       /* "median" */
	const char *quartiles;    /* "quartiles" */
	const char *range;        /* "range" */
	const char *lower;        /* "cities with a lower value" */
	const char *decimal_mark; /* ".": between a value's units and decimals in text */
};

/* Common to every chart. */
struct lc_chart_frame {
	const char *id;    /* unique in the page; [A-Za-z0-9_-] kept, others become '_' */
	const char *title; /* short title: <title> of the SVG */
	const char *desc;  /* optional first sentence of the text alternative */
	bool rtl;          /* right-to-left page */
	const struct lc_chart_words *words; /* NULL: English */
};

/* One line of values; NaN or an infinity is a missing value. */
struct lc_chart_series {
	const char *label;    /* legend and text alternative */
	const double *values; /* as many as the chart's axes or years */
	const double *lo;     /* trend only, may be NULL: 5th percentile per point */
	const double *hi;     /* trend only, may be NULL: 95th percentile per point */
};

struct lc_chart_radar {
	size_t n_axes;            /* 0 (empty chart) .. LC_CHART_MAX_AXES */
	const char *const *codes; /* n_axes short labels drawn at the spokes ("1.1") */
	const char *const *names; /* may be NULL: full names for the text alternative */
	double max;      /* scale 0..max; <= 0 or not finite: a round number above the data */
	size_t n_series; /* up to LC_CHART_MAX_SERIES; the profile: current, previous, peers */
	const struct lc_chart_series *series;
	int decimals; /* decimals of values in text (0..6) */
};

struct lc_chart_trend {
	size_t n_years;                       /* 0 .. LC_CHART_MAX_POINTS */
	const int *years;                     /* ascending (others are drawn clamped to the axis) */
	size_t n_series;                      /* 0 .. LC_CHART_MAX_SERIES */
	const struct lc_chart_series *series; /* values (and lo/hi) per year */
	const char *y_label;                  /* may be NULL: "Score" above the y axis */
	double y_min, y_max;                  /* NaN: from the data and bands, rounded outwards */
	int decimals;
	double width; /* 0: 600; from 280, a smaller chart (small multiples) */
};

struct lc_chart_heatmap {
	size_t n_rows, n_cols;
	const char *const *row_labels; /* n_rows: cities */
	const char *const *col_labels; /* n_cols: short codes drawn on top */
	const char *const *col_names;  /* may be NULL: full names for the text alternative */
	const double *values;          /* n_rows x n_cols, row-major; NaN: hatched "no data" */
	double min, max;               /* colour scale; NaN: from the data */
	int decimals;
	int cell_w, cell_h; /* 0: 44 x 24; values are printed when cells are at least 28 x 14 */
	/* May be NULL: n_rows x n_cols, nonzero marks the cell (a cross over it, mark_label in
	 * its title and in the text alternative): a juror's conflict on a nomination. */
	const unsigned char *marks;
	const char *mark_label;
};

struct lc_chart_rank_unit {
	const char *label;
	double rank;   /* nominal (or median) rank, 1 = first; NaN: unranked, listed last */
	double lo, hi; /* 5th and 95th percentile of the rank; NaN: no interval */
};

struct lc_chart_ranks {
	size_t n; /* units, in any order: the chart sorts by rank (ties keep input order) */
	const struct lc_chart_rank_unit *units;
	size_t highlight; /* index into units, or (size_t)-1 for none */
};

struct lc_chart_dist {
	size_t n;
	const double *values;       /* one per city; NaN: no data, counted apart */
	size_t selected;            /* index into values, or (size_t)-1 for none */
	const char *selected_label; /* the selected city's name */
	const char *x_label;        /* the indicator: axis label and text alternative */
	double min, max;            /* x range; NaN: from the data, rounded outwards */
	int decimals;
	size_t count_max; /* the count axis reaches at least this: one scale for side by side */
};

struct lc_chart_bars {
	size_t n;
	const char *const *labels;
	const double *values; /* NaN: "no data", no bar */
	double max;           /* bar scale 0..max; <= 0 or not finite: the largest value */
	int decimals;
};

/*
 * Each function appends one <svg> element to b and returns 0, LC_EINVAL
 * when b, f or the chart is NULL or a required array is NULL while its
 * count is not 0, LC_ELIMIT when a count exceeds the limits above or b
 * is full (then b holds a truncated document: discard it). With no
 * drawable value the SVG is a small "No data" panel.
 */
int lc_chart_radar(struct lc_buf *b, const struct lc_chart_frame *f,
                   const struct lc_chart_radar *c);
int lc_chart_trend(struct lc_buf *b, const struct lc_chart_frame *f,
                   const struct lc_chart_trend *c);
int lc_chart_heatmap(struct lc_buf *b, const struct lc_chart_frame *f,
                     const struct lc_chart_heatmap *c);
int lc_chart_ranks(struct lc_buf *b, const struct lc_chart_frame *f,
                   const struct lc_chart_ranks *c);
int lc_chart_dist(struct lc_buf *b, const struct lc_chart_frame *f, const struct lc_chart_dist *c);
/* The largest bin count lc_chart_dist would draw for c (0 when none): give the
 * largest of several as their count_max to draw them on one scale. */
size_t lc_chart_dist_peak(const struct lc_chart_dist *c);
int lc_chart_bars(struct lc_buf *b, const struct lc_chart_frame *f, const struct lc_chart_bars *c);

/*
 * Round axis ticks for [lo, hi]: about `target` steps of 1, 2 or 5 times a
 * power of ten covering the range. Writes the first tick, the step and the
 * count (at least 2). A zero or non-finite range is widened first.
 * Exposed for tests.
 */
void lc_chart_ticks(double lo, double hi, int target, double *first, double *step, int *count);

/*
 * A world map with the network's cities as points. The land is the picture
 * static/world-110m.svg (Natural Earth 1:110m, converted once by
 * scripts/world-map.mjs), drawn under the points with <image> so that the
 * browser fetches and caches it once; data/world-centroids.json, embedded,
 * places the points. A city with coordinates is a filled dot at them; one
 * without is a ring at its country's centroid (the text alternative should
 * say so: frame.desc). Cities at the same spot make one larger dot whose
 * <title> names them all. The page's list of the cities is the map's text
 * alternative: the desc says how many places it shows.
 */
struct lc_chart_place {
	const char *label; /* the city's name */
	double lat, lon;   /* NaN when unknown */
	int country;       /* ISO 3166 numeric code, for the centroid */
};
struct lc_chart_map {
	size_t n; /* 0 .. LC_CHART_MAX_PLACES */
	const struct lc_chart_place *places;
};
/* 0; LC_EINVAL (bad arguments), LC_ELIMIT (too many places or b full), LC_EINTERNAL (no map data).
 */
int lc_chart_map(struct lc_buf *b, const struct lc_chart_frame *f, const struct lc_chart_map *m);

#endif
