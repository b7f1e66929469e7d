/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The monitoring pages people read: a city's profile
 * (/cities/{slug}/monitoring) and the network dashboard (/monitoring), each
 * with its JSON twin under /api/v1 serving the same view-model
 * (domain/monitoring_view.h). The pages add only the charts, drawn by
 * web/chart.h from that view-model; every chart has its text alternative and
 * the page's tables carry the same numbers, so it reads without CSS or
 * JavaScript. Public, read-only and cacheable.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/chart_words.h"
#include "web/routes/auth.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "domain/monitoring/monitoring_view.h"
#include "domain/platform/text.h"
#include "web/chart.h"
#include "web/http.h"

static const struct lc_param_spec monitoring_params[] = {
    {.name = "year", .source = LC_PARAM_QUERY, .type = LC_PARAM_INT, .min = 1900, .max = 2999},
    {.name = "city", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 80},
    {0}};

/* The number of a JSON value, NaN when it is not one (charts draw NaN as missing). */
static double num(const json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* Puts the SVG in b into extra[key] when drawing succeeded; resets b. */
static void put_svg(json_t *extra, const char *key, struct lc_buf *b, int err)
{
	/* The chart escaped every label it drew from validated text: no second UTF-8 scan
	 * of tens of kilobytes of SVG. */
	if (err == 0 && !lc_buf_error(b))
		json_object_set_new(extra, key, json_stringn_nocheck(lc_buf_cstr(b), b->len));
	lc_buf_reset(b);
}

/* The codes and names of an array of objects, borrowed from it. */
static void codes_names(const json_t *arr, const char **codes, const char **names)
{
	size_t i;
	json_t *a;
	json_array_foreach(arr, i, a)
	{
		codes[i] = json_string_value(json_object_get(a, "code"));
		names[i] = json_string_value(json_object_get(a, "name"));
	}
}

/* The self-assessment as bars of maturity levels 0..4. */
static void self_chart(struct lc_req *req, json_t *vm, json_t *extra)
{
	struct lc_chart_words w;
	lc_chart_words_of(req, &w);
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_HTTP_RESPONSE);
	json_t *self = json_object_get(vm, "self_assessment");
	size_t nsa = json_array_size(self);
	const char **sl = lc_xcalloc(nsa + 1, sizeof *sl);
	double *sv = lc_xcalloc(nsa + 1, sizeof *sv);
	for (size_t i = 0; i < nsa; i++) {
		json_t *it = json_array_get(self, i);
		sl[i] = json_string_value(json_object_get(it, "code"));
		sv[i] = num(json_object_get(it, "level"));
	}
	if (nsa) {
		const struct lc_chart_bars bars = {
		    .n = nsa, .labels = sl, .values = sv, .max = 4, .decimals = 0};
		const struct lc_chart_frame fb = {.id = "mon-self",
		                                  .title = lc_site_t(req, "mon_self_title"),
		                                  .rtl = lc_chart_rtl(req),
		                                  .words = &w};
		put_svg(extra, "self_svg", &b, lc_chart_bars(&b, &fb, &bars));
	}
	lc_free(sl);
	lc_free(sv);
	lc_buf_cleanup(&b);
}

static void profile_charts(struct lc_req *req, json_t *vm, json_t *extra)
{
	struct lc_chart_words w;
	lc_chart_words_of(req, &w);
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_HTTP_RESPONSE);
	json_t *areas = json_object_get(vm, "areas");
	size_t n = json_array_size(areas);
	const char **codes = lc_xcalloc(n + 1, sizeof *codes);
	const char **names = lc_xcalloc(n + 1, sizeof *names);
	double *cur = lc_xcalloc(n + 1, sizeof *cur), *prev = lc_xcalloc(n + 1, sizeof *prev),
	       *peer = lc_xcalloc(n + 1, sizeof *peer);
	codes_names(areas, codes, names);
	for (size_t i = 0; i < n; i++) {
		json_t *a = json_array_get(areas, i);
		cur[i] = num(json_object_get(a, "score"));
		prev[i] = num(json_object_get(a, "previous"));
		peer[i] = num(json_object_get(a, "peer_median"));
	}
	char l_cur[64], l_prev[64];
	snprintf(l_cur, sizeof l_cur, "%lld",
	         (long long)json_integer_value(json_object_get(vm, "year")));
	snprintf(l_prev, sizeof l_prev, "%lld",
	         (long long)json_integer_value(json_object_get(vm, "previous_year")));
	struct lc_chart_series s[3];
	size_t ns = 0;
	s[ns++] = (struct lc_chart_series){.label = l_cur, .values = cur};
	if (!json_is_null(json_object_get(vm, "previous_year")))
		s[ns++] = (struct lc_chart_series){.label = l_prev, .values = prev};
	if (json_integer_value(json_object_get(json_object_get(vm, "peers"), "count")) > 0)
		s[ns++] = (struct lc_chart_series){.label = lc_site_t(req, "mon_peer_median"),
		                                   .values = peer};
	const struct lc_chart_radar radar = {.n_axes = n,
	                                     .codes = codes,
	                                     .names = names,
	                                     .max = 100,
	                                     .n_series = ns,
	                                     .series = s,
	                                     .decimals = 1};
	const struct lc_chart_frame fr = {.id = "mon-radar",
	                                  .title = lc_site_t(req, "mon_radar_title"),
	                                  .rtl = lc_chart_rtl(req),
	                                  .words = &w};
	put_svg(extra, "radar_svg", &b, lc_chart_radar(&b, &fr, &radar));

	/* Trend lines: one series per area, across the years of the stored runs. */
	json_t *trend = json_object_get(vm, "trend");
	json_t *years = json_object_get(trend, "years"), *series = json_object_get(trend, "series");
	size_t ny = json_array_size(years), nser = json_array_size(series);
	if (nser > LC_CHART_MAX_SERIES)
		nser = LC_CHART_MAX_SERIES;
	int *yv = lc_xcalloc(ny + 1, sizeof *yv);
	/* values, then the 5th and the 95th percentile of each area: its 90 % band */
	double *vals = lc_xcalloc(3 * ny * nser + 1, sizeof *vals);
	double *lo = vals + ny * nser, *hi = vals + 2 * ny * nser;
	struct lc_chart_series *ts = lc_xcalloc(nser + 1, sizeof *ts);
	for (size_t i = 0; i < ny; i++)
		yv[i] = (int)json_integer_value(json_array_get(years, i));
	for (size_t k = 0; k < nser; k++) {
		json_t *se = json_array_get(series, k);
		bool band = false;
		for (size_t i = 0; i < ny; i++) {
			vals[k * ny + i] = num(json_array_get(json_object_get(se, "values"), i));
			lo[k * ny + i] = num(json_array_get(json_object_get(se, "lo"), i));
			hi[k * ny + i] = num(json_array_get(json_object_get(se, "hi"), i));
			band = band || (isfinite(lo[k * ny + i]) && isfinite(hi[k * ny + i]));
		}
		ts[k] = (struct lc_chart_series){.label =
		                                     json_string_value(json_object_get(se, "code")),
		                                 .values = vals + k * ny,
		                                 .lo = band ? lo + k * ny : NULL,
		                                 .hi = band ? hi + k * ny : NULL};
	}
	/*
	 * Small multiples, one chart per area on the same 0-100 scale: twelve lines
	 * with their bands in one chart could not be told apart.
	 */
	json_t *multiples = json_array();
	for (size_t k = 0; k < nser; k++) {
		const char *code = ts[k].label ? ts[k].label : "";
		const char *name = "";
		for (size_t i = 0; i < n; i++)
			if (codes[i] && strcmp(codes[i], code) == 0)
				name = names[i] ? names[i] : "";
		const char *title = lc_arena_printf(req->arena, "%s %s", code, name);
		const struct lc_chart_trend tr = {.n_years = ny,
		                                  .years = yv,
		                                  .n_series = 1,
		                                  .series = &ts[k],
		                                  .y_label = lc_site_t(req, "mon_score"),
		                                  .y_min = 0,
		                                  .y_max = 100,
		                                  .decimals = 1,
		                                  .width = 300};
		const struct lc_chart_frame ft = {
		    .id = lc_arena_printf(req->arena, "mon-trend-%zu", k + 1),
		    .title = title,
		    .rtl = lc_chart_rtl(req),
		    .words = &w};
		json_t *one = json_pack("{s:s}", "title", title);
		put_svg(one, "svg", &b, lc_chart_trend(&b, &ft, &tr));
		json_array_append_new(multiples, one);
	}
	json_object_set_new(extra, "trend_multiples", multiples);

	self_chart(req, vm, extra);
	lc_free(yv);
	lc_free(vals);
	lc_free(ts);
	lc_free(codes);
	lc_free(names);
	lc_free(cur);
	lc_free(prev);
	lc_free(peer);
	lc_buf_cleanup(&b);
}

/*
 * Rounds every real of v to one decimal for display, in place: the view-model
 * is this request's own (nothing in it is shared with anything longer-lived),
 * so no value is replaced and nothing allocated. Skips the top-level "values"
 * list, whose reals ("number") the page does not print: it prints the value
 * as entered.
 */
static void round_display(json_t *v, int depth)
{
	if (depth > 32)
		return;
	size_t i;
	const char *k;
	json_t *e;
	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
		{
			if (json_is_real(e))
				json_real_set(e, round(json_real_value(e) * 10.0) / 10.0);
			else
				round_display(e, depth + 1);
		}
	} else if (json_is_object(v)) {
		json_object_foreach(v, k, e)
		{
			if (json_is_real(e))
				json_real_set(e, round(json_real_value(e) * 10.0) / 10.0);
			else if (depth > 0 || strcmp(k, "values") != 0)
				round_display(e, depth + 1);
		}
	}
}

/* o's "value" (a number as entered) with the reader's decimal mark. */
static void localize_value(const struct lc_req *req, json_t *o)
{
	const char *v = json_string_value(json_object_get(o, "value"));
	const char *l = lc_site_decimal(req, v);
	if (l != v)
		json_object_set_new(o, "value", json_string(l));
}

static int load_city(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	return lc_monview_city(db, lc_req_str(req, "slug"), req->lang, lc_req_int(req, "year", 0),
	                       vm);
}

/* The charts, the intervals to print, people's times and rounded scores of a city's profile. */
static int dress_city(struct lc_req *req, struct lc_db *db, json_t *vm, json_t *extra)
{
	(void)db;
	/* The page's copy only: which areas have intervals to print (a 0 is one). */
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(vm, "areas"), i, a)
	{
		json_object_set_new(a, "has_interval",
		                    json_boolean(json_is_number(json_object_get(a, "score_q5")) &&
		                                 json_is_number(json_object_get(a, "score_q95"))));
		json_object_set_new(a, "has_rank_interval",
		                    json_boolean(json_is_number(json_object_get(a, "rank_q5")) &&
		                                 json_is_number(json_object_get(a, "rank_q95"))));
	}
	if (json_is_true(json_object_get(vm, "has_scores")))
		profile_charts(req, vm, extra);
	else if (json_array_size(json_object_get(vm, "self_assessment")))
		self_chart(req, vm, extra);
	/* Values as entered, with the reader's decimal mark. */
	json_array_foreach(json_object_get(vm, "values"), i, a)
	{
		localize_value(req, a);
		size_t k;
		json_t *v;
		json_array_foreach(json_object_get(a, "versions"), k, v) localize_value(req, v);
	}
	/* Only the values' versions and the self-assessment carry times. */
	lc_auth_human_times(json_object_get(vm, "values"));
	lc_auth_human_times(json_object_get(vm, "self_assessment"));
	json_object_set_new(
	    extra, "title",
	    json_string(lc_arena_printf(
	        req->arena, "%s%s%s", lc_site_t(req, "mon_profile_title"),
	        lc_site_t(req, "title_colon"),
	        json_string_value(json_object_get(json_object_get(vm, "city"), "name")))));
	round_display(vm, 0);
	return 0;
}

static const struct lc_site_view city_monitoring = {
    .load = load_city,
    .tpl = "monitoring_city",
    .nav = "monitoring",
    .dress = dress_city,
    .cached = true,
};

static void network_charts(struct lc_req *req, json_t *vm, json_t *extra)
{
	struct lc_chart_words w;
	lc_chart_words_of(req, &w);
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_HTTP_RESPONSE);
	json_t *areas = json_object_get(vm, "areas"), *cities = json_object_get(vm, "cities");
	size_t na = json_array_size(areas), nc = json_array_size(cities);
	const char **codes = lc_xcalloc(na + 1, sizeof *codes);
	const char **names = lc_xcalloc(na + 1, sizeof *names);
	const char **rows = lc_xcalloc(nc + 1, sizeof *rows);
	double *cells = lc_xcalloc(na * nc + 1, sizeof *cells);
	struct lc_chart_rank_unit *units = lc_xcalloc(nc + 1, sizeof *units);
	codes_names(areas, codes, names);
	const char *sel = lc_req_str(req, "city");
	size_t selected = (size_t)-1;
	for (size_t r = 0; r < nc; r++) {
		json_t *c = json_array_get(cities, r);
		rows[r] = json_string_value(json_object_get(c, "name"));
		const char *slug = json_string_value(json_object_get(c, "slug"));
		if (sel && slug && strcmp(sel, slug) == 0) {
			selected = r;
			/* The page's copy only: the select keeps the marked city chosen. */
			json_object_set_new(c, "selected", json_true());
		}
		for (size_t k = 0; k < na; k++)
			cells[r * na + k] = num(json_array_get(json_object_get(c, "scores"), k));
		units[r] = (struct lc_chart_rank_unit){.label = rows[r],
		                                       .rank = num(json_object_get(c, "rank")),
		                                       .lo = num(json_object_get(c, "rank_q5")),
		                                       .hi = num(json_object_get(c, "rank_q95"))};
	}
	/*
	 * The heat map lists the cities by name: the page says the scores are not a
	 * league table, and rows in rank order would read as one. The rank chart
	 * below keeps the rank order, with its uncertainty.
	 */
	size_t *order = lc_xcalloc(nc + 1, sizeof *order);
	const char **keys = lc_xcalloc(nc + 1, sizeof *keys);
	struct lc_buf kb;
	lc_buf_init(&kb, LC_LIMIT_NAME_BYTES * 4);
	for (size_t r = 0; r < nc; r++) {
		order[r] = r;
		/* Accents and case folded, so Câmara de Lobos sorts beside Cork, not after Cuenca.
		 */
		lc_buf_reset(&kb);
		lc_text_fold(rows[r] ? rows[r] : "", rows[r] ? strlen(rows[r]) : 0, &kb);
		keys[r] = lc_arena_strdup(req->arena, lc_buf_error(&kb) ? "" : lc_buf_cstr(&kb));
	}
	lc_buf_cleanup(&kb);
	for (size_t i = 1; i < nc; i++) /* insertion sort: a few hundred cities at most */
		for (size_t j = i; j > 0 && strcmp(keys[order[j - 1]], keys[order[j]]) > 0; j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	const char **hrows = lc_xcalloc(nc + 1, sizeof *hrows);
	double *hcells = lc_xcalloc(na * nc + 1, sizeof *hcells);
	for (size_t r = 0; r < nc; r++) {
		hrows[r] = rows[order[r]];
		memcpy(hcells + r * na, cells + order[r] * na, na * sizeof *hcells);
	}
	const struct lc_chart_heatmap hm = {.n_rows = nc,
	                                    .n_cols = na,
	                                    .row_labels = hrows,
	                                    .col_labels = codes,
	                                    .col_names = names,
	                                    .values = hcells,
	                                    .min = 0,
	                                    .max = 100,
	                                    .decimals = 0};
	const struct lc_chart_frame fh = {.id = "mon-heat",
	                                  .title = lc_site_t(req, "mon_heat_title"),
	                                  .rtl = lc_chart_rtl(req),
	                                  .words = &w};
	put_svg(extra, "heat_svg", &b, lc_chart_heatmap(&b, &fh, &hm));
	lc_free(order);
	lc_free(keys);
	lc_free(hrows);
	lc_free(hcells);

	const struct lc_chart_ranks rk = {.n = nc, .units = units, .highlight = selected};
	const struct lc_chart_frame fr = {.id = "mon-ranks",
	                                  .title = lc_site_t(req, "mon_ranks_title"),
	                                  .desc = lc_site_t(req, "mon_rank_uncertain"),
	                                  .rtl = lc_chart_rtl(req),
	                                  .words = &w};
	put_svg(extra, "ranks_svg", &b, lc_chart_ranks(&b, &fr, &rk));

	/* Coverage and change per area as bars. */
	double *cov = lc_xcalloc(na + 1, sizeof *cov), *chg = lc_xcalloc(na + 1, sizeof *chg);
	for (size_t k = 0; k < na; k++) {
		cov[k] = num(json_object_get(json_array_get(areas, k), "coverage"));
		chg[k] = num(json_object_get(json_array_get(areas, k), "mean_change"));
	}
	const struct lc_chart_bars cb = {
	    .n = na, .labels = codes, .values = cov, .max = 100, .decimals = 0};
	const struct lc_chart_frame fc = {.id = "mon-coverage",
	                                  .title = lc_site_t(req, "mon_coverage_title"),
	                                  .rtl = lc_chart_rtl(req),
	                                  .words = &w};
	put_svg(extra, "coverage_svg", &b, lc_chart_bars(&b, &fc, &cb));

	/* One distribution per area, the selected city marked. */
	json_t *dists = json_array();
	double *col = lc_xcalloc(nc + 1, sizeof *col);
	const char *sel_name = selected != (size_t)-1 ? rows[selected] : NULL;
	/* Side by side, the histograms share one count scale: the tallest bin of any. */
	size_t peak = 0;
	for (size_t k = 0; k < na; k++) {
		for (size_t r = 0; r < nc; r++)
			col[r] = cells[r * na + k];
		const struct lc_chart_dist d = {.n = nc, .values = col, .min = 0, .max = 100};
		size_t p = lc_chart_dist_peak(&d);
		peak = p > peak ? p : peak;
	}
	for (size_t k = 0; k < na; k++) {
		for (size_t r = 0; r < nc; r++)
			col[r] = cells[r * na + k];
		char id[32], label[256];
		snprintf(id, sizeof id, "mon-dist-%zu", k);
		snprintf(label, sizeof label, "%s %s", codes[k] ? codes[k] : "",
		         names[k] ? names[k] : "");
		const struct lc_chart_dist d = {.n = nc,
		                                .values = col,
		                                .selected = selected,
		                                .selected_label = sel_name,
		                                .x_label = label,
		                                .min = 0,
		                                .max = 100,
		                                .decimals = 1,
		                                .count_max = peak};
		const struct lc_chart_frame fd = {
		    .id = id, .title = label, .rtl = lc_chart_rtl(req), .words = &w};
		if (lc_chart_dist(&b, &fd, &d) == 0)
			json_array_append_new(dists,
			                      json_pack("{s:s?,s:s?,s:s}", "code", codes[k], "name",
			                                names[k], "svg", lc_buf_cstr(&b)));
		lc_buf_reset(&b);
	}
	json_object_set_new(extra, "dists", dists);
	if (sel_name)
		json_object_set_new(extra, "selected_name", json_string(sel_name));
	lc_free(col);
	lc_free(cov);
	lc_free(chg);
	lc_free(codes);
	lc_free(names);
	lc_free(rows);
	lc_free(cells);
	lc_free(units);
	lc_buf_cleanup(&b);
}

static int load_network(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	return lc_monview_network(db, req->lang, lc_req_int(req, "year", 0), vm);
}

/* The dashboard's charts, its year selector and rounded scores. */
static int dress_network(struct lc_req *req, struct lc_db *db, json_t *vm, json_t *extra)
{
	(void)db;
	if (json_is_true(json_object_get(vm, "has_scores")))
		network_charts(req, vm, extra);
	/* The year selector: each year with its link and whether it is shown. */
	json_t *ys = json_array(), *y;
	size_t i;
	json_array_foreach(json_object_get(vm, "years"), i, y)
	{
		char v[16];
		snprintf(v, sizeof v, "%lld", (long long)json_integer_value(y));
		json_array_append_new(ys, json_pack("{s:O,s:s,s:b}", "year", y, "href",
		                                    lc_site_url_with(req, "year", v), "current",
		                                    json_equal(y, json_object_get(vm, "year"))));
	}
	json_object_set_new(extra, "year_links", ys);
	lc_site_round_reals(vm, 1);
	return 0;
}

static const struct lc_site_view network = {
    .load = load_network,
    .tpl = "monitoring_network",
    .title_key = "mon_network_title",
    .nav = "monitoring",
    .dress = dress_network,
    .cached = true,
};

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    LC_SITE_VIEW("/cities/{slug}/monitoring", &city_monitoring, monitoring_params, 0),
    LC_SITE_VIEW("/monitoring", &network, monitoring_params, 0),
};

#undef A

LC_ROUTE_GROUP(monitoring_pages, rows);
