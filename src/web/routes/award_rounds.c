/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The Learning City Award's rounds and nominations: pages and JSON API.
 * It owns no rule: rounds, eligibility and nominations are
 * domain/award/award_round.h's, award_eligibility.h's and nomination.h's;
 * the steps and histories are the generic workflow routes' (workflow.h).
 *
 * API:
 *   GET  /api/v1/award-rounds                      every round, its settings or null
 *   POST /api/v1/award-rounds                      opens a round (secretariat): 201 the round
 *   GET  /api/v1/award-rounds/{year}               one round: facts, awardees, settings
 *   GET  /api/v1/award-rounds/{year}/nominations   the nominations the caller may see
 *   POST /api/v1/award-rounds/{year}/nominations   {"city": slug, "override"?: reason}: 201
 *   GET  /api/v1/nominations/{id}                  the nomination (dossier, eligibility, steps)
 *   PUT  /api/v1/nominations/{id}                  {"general"?, "plan"?, "answers"?, "links"?}
 *                                                  and/or {"eligibility_override": reason}
 *   POST /api/v1/nominations/{id}/transitions      {"to", "reason"?}: 200 the nomination
 *   GET  /api/v1/nominations/{id}/history          the whole history, paged
 *   POST /api/v1/nominations/{id}/files/{kind}     a signed form (mayor_form, consent): the body
 *                                                  or the multipart part "file"
 *   GET  /api/v1/nominations/{id}/files/{kind}     the form (attachment)
 *   GET  /api/v1/award-rounds/{year}/decisions     the pending decisions (secretariat)
 *   POST /api/v1/award-rounds/{year}/decisions     {"nomination", "decision": none |
 *                                                  shortlisted | awardee}: 200 the decisions
 *   POST /api/v1/award-rounds/{year}/publish       publishes the round once: 200 {"year",
 *                                                  "awardees", "mails"}
 * Refusals: 401 anonymous, 403 not yours, 404, 409 not from this state (or the cap),
 * 422 {"error", "problems": [...]} with every problem.
 *
 * Pages: /awards/{year} (public), /admin/awards (the rounds, open one),
 * /admin/awards/{year} (the pipeline, the decision and the publish button), /nominations/{id} (the
 * dossier and its steps; the secretariat's override of eligibility), /natcom/nominations (a
 * Commission's nominations, start one).
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/award_rounds.h"
#include "web/routes/chart_words.h"
#include "web/routes/label.h"
#include "web/routes/workflow.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "domain/award/award_decision.h"
#include "domain/award/award_round.h"
#include "domain/award/jury.h"
#include "domain/award/nomination.h"
#include "domain/directory/city.h"
#include "domain/workflow/workflow.h"
#include "engine/award.h"
#include "formats/award_csv.h"
#include "web/chart.h"
#include "web/http.h"
#include "web/multipart.h"
#include "web/urlcodec.h"

/* ---- shared ------------------------------------------------------------------------------ */

const struct lc_label lc_nomination_states[] = {
    {"draft", "nomination_state_draft"},         {"submitted", "nomination_state_submitted"},
    {"nominated", "nomination_state_nominated"}, {"screening", "nomination_state_screening"},
    {"returned", "nomination_state_returned"},   {"complete", "nomination_state_complete"},
    {"declined", "nomination_state_declined"},   {"withdrawn", "nomination_state_withdrawn"},
    {"expired", "nomination_state_expired"},     {"ineligible", "nomination_state_ineligible"},
    {"rejected", "nomination_state_rejected"},   {NULL, NULL},
};

static const struct lc_label steps[] = {
    {"create", "nomination_step_create"},
    {"submit", "nomination_step_submit"},
    {"revise", "nomination_step_revise"},
    {"nominate", "nomination_step_nominate"},
    {"decline", "nomination_step_decline"},
    {"withdraw", "nomination_step_withdraw"},
    {"expire", "nomination_step_expire"},
    {"close", "nomination_step_close"},
    {"ineligible", "nomination_step_ineligible"},
    {"accept", "nomination_step_accept"},
    {"return", "nomination_step_return"},
    {"resubmit", "nomination_step_resubmit"},
    {"reject", "nomination_step_reject"},
    {"remind", "nomination_step_remind"},
    {NULL, NULL},
};

/* The problems of a view ({field, code, args, message}) said in the reader's language. */
static void say_problems(struct lc_req *req, json_t *list)
{
	size_t i;
	json_t *p;
	json_array_foreach(list, i, p)
	{
		json_object_set_new(p, "message", json_string(lc_site_problem_json(req, p)));
	}
}

/* ---- rounds ------------------------------------------------------------------------------ */

static const struct lc_param_spec year_params[] = {
    {.name = "year", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1900, .max = 2999},
    {.name = NULL},
};

/* Every round, as JSON (the secretariat's page of rounds is /admin/awards). */
static const struct lc_site_view rounds_view = {.list = lc_award_rounds};

/* One round: its facts, criteria, awardees and settings (public). */
static int load_round(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	return lc_award_round_view(db, lc_req_int(req, "year", 0), req->lang, vm);
}

/* The page's title names the year. */
static int dress_round(struct lc_req *req, struct lc_db *db, json_t *vm, json_t *extra)
{
	(void)db, (void)vm;
	json_object_set_new(
	    extra, "title",
	    json_string(lc_arena_printf(req->arena, "%s %ld", lc_site_t(req, "award_round_title"),
	                                lc_req_int(req, "year", 0))));
	return 0;
}

/* /awards/{year} and /api/v1/award-rounds/{year}. */
static const struct lc_site_view round_view = {
    .load = load_round, .tpl = "award_round", .nav = "awards", .dress = dress_round};

static int route_api_round_open(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL, *vm = NULL;
	char msg[256];
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		return 0;
	}
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_award_round_open(db, lc_auth_actor(req), body, &d);
	if (!err)
		err = lc_award_round_view(
		    db, (long)json_integer_value(json_object_get(body, "year")), req->lang, &vm);
	lc_site_db_release(req, db);
	if (!err) {
		err = lc_resp_json(resp, vm);
		resp->status = 201;
	} else {
		err = lc_auth_api_fail(req, resp, err, &d);
	}
	json_decref(vm);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

/* The admin's list of rounds, with the form to open one (and its problems after a refusal). */
static int admin_rounds_page(struct lc_req *req, struct lc_resp *resp, int status,
                             const struct lc_diag *d)
{
	json_t *vm = NULL;
	struct lc_db *db = NULL;
	int err = lc_authz_check(lc_auth_actor(req), LC_ACT_MANAGE_AWARD, NULL);
	if (!err)
		err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_award_rounds(db, req->lang, &vm);
	lc_site_db_read_end(req, db);
	if (err)
		return lc_auth_fail(req, resp, err);
	json_t *extra = json_object();
	if (d && d->count) {
		json_object_set_new(extra, "problems", lc_site_problems(req, d, false));
		json_object_set_new(extra, "form_error",
		                    json_string(lc_site_t(req, "award_refused")));
		/* What was typed stays in the form. */
		static const char *const keep[] = {
		    "year",         "nominations_open", "nominations_close", "natcom_deadline",
		    "scoring_open", "scoring_close",    "cap_per_natcom"};
		json_t *f = json_object();
		for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
			const char *v = lc_req_str(req, keep[i]);
			json_object_set_new(f, keep[i], json_string(v ? v : ""));
		}
		json_object_set_new(extra, "f", f);
	} else {
		json_object_set_new(extra, "f", json_pack("{s:s}", "cap_per_natcom", "2"));
	}
	resp->status = status;
	err = lc_site_page(req, resp, "admin_awards", lc_site_t(req, "award_admin_title"),
	                   "admin_awards", vm, extra);
	json_decref(vm);
	json_decref(extra);
	return err;
}

static int route_admin_rounds(struct lc_req *req, struct lc_resp *resp)
{
	return admin_rounds_page(req, resp, 200, NULL);
}

static const struct lc_param_spec open_params[] = {
    {.name = "year", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 8},
    {.name = "nominations_open", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 10},
    {.name = "nominations_close", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 10},
    {.name = "natcom_deadline", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 10},
    {.name = "scoring_open", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 10},
    {.name = "scoring_close", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 10},
    {.name = "cap_per_natcom", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 8},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* The form's round: the dates as typed, the year and the cap as numbers, the rest default. */
static int route_admin_round_open(struct lc_req *req, struct lc_resp *resp)
{
	json_t *spec = json_object();
	static const char *const dates[] = {"nominations_open", "nominations_close",
	                                    "natcom_deadline", "scoring_open", "scoring_close"};
	for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
		const char *v = lc_req_str(req, dates[i]);
		json_object_set_new(spec, dates[i], json_string(v ? v : ""));
	}
	json_object_set_new(spec, "year", json_integer(lc_site_number(lc_req_str(req, "year"), 0)));
	const char *cap = lc_req_str(req, "cap_per_natcom");
	if (cap && *cap)
		json_object_set_new(spec, "cap_per_natcom", json_integer(lc_site_number(cap, 0)));
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_award_round_open(db, lc_auth_actor(req), spec, &d);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL)
		err = admin_rounds_page(req, resp, 422, &d);
	else if (!err)
		err = lc_resp_redirect(resp, lc_arena_printf(req->arena, "/admin/awards/%lld",
		                                             (long long)json_integer_value(
		                                                 json_object_get(spec, "year"))));
	json_decref(spec);
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* ---- nominations: lists ------------------------------------------------------------------ */

static const struct lc_param_spec list_params[] = {
    {.name = "year", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1900, .max = 2999},
    {.name = "state", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 31},
    LC_PAGE_PARAMS,
    {.name = NULL},
};

static const struct lc_param_spec natcom_params[] = {
    {.name = "year", .source = LC_PARAM_QUERY, .type = LC_PARAM_INT, .min = 1900, .max = 2999},
    {.name = "state", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 31},
    LC_PAGE_PARAMS,
    {.name = NULL},
};

/* The nominations of the query's round (or every round) that the caller may see. */
static int load_nominations(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	const char *state = lc_req_str(req, "state");
	struct lc_nomination_query q = {.year = lc_req_int(req, "year", 0),
	                                .state = state && *state ? state : NULL,
	                                .page = lc_req_int(req, "page", 1),
	                                .per_page =
	                                    lc_req_int(req, "per_page", LC_DEFAULT_PER_PAGE)};
	return lc_nomination_list(db, lc_auth_actor(req), &q, req->lang, vm);
}

/* What a list page adds for people: state labels and times, the counts by state, the pager. */
static void dress_list(struct lc_req *req, json_t *vm, json_t *extra)
{
	lc_label_states(req, vm, "state", lc_nomination_states, 4);
	lc_auth_human_times(vm);
	json_t *states_seen = json_array();
	const char *k;
	json_t *n;
	json_object_foreach(json_object_get(vm, "by_state"), k, n)
	{
		json_array_append_new(states_seen,
		                      json_pack("{s:s, s:s, s:O}", "state", k, "label",
		                                lc_label_text(req, lc_nomination_states, k),
		                                "count", n));
	}
	json_object_set_new(vm, "states", states_seen);
	json_object_set_new(vm, "has_items",
	                    json_boolean(json_array_size(json_object_get(vm, "items")) > 0));
	json_object_set_new(extra, "pager", lc_site_pager(req, vm));
}

/* A figure of the ranking's JSON for the page: two decimals, or a dash for none (null). */
static json_t *figure(const json_t *v)
{
	char s[32];
	if (!json_is_number(v))
		return json_string("–");
	snprintf(s, sizeof s, "%.2f", json_number_value(v));
	return json_string(s);
}

/* A rank of the ranking's JSON for the chart: NaN for none (null). */
static double rank_of(const json_t *x, const char *key)
{
	const json_t *v = json_object_get(x, key);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/*
 * The juror x nomination heat map of the secretariat's page: each juror's
 * weighted total (sum of w.s over sum of w, the criteria it scored, the
 * independent ones out) for each nomination whose sheet counts, a cross
 * on a pair with a conflict in force; and the same as a table for readers
 * without the picture (extra "heat_svg", "heat_table").
 */
static int dress_heatmap(struct lc_req *req, struct lc_db *db, long year,
                         const struct lc_award_input *in, const json_t *rows, json_t *extra)
{
	json_t *conf = NULL;
	int err = lc_jury_conflicts(db, lc_auth_actor(req), year, req->lang, &conf);
	if (err)
		return err;
	size_t R = in->n_noms, C = in->n_jurors;
	double *v = lc_xcalloc(R * C + 1, sizeof *v);
	unsigned char *marks = lc_xcalloc(R * C + 1, 1);
	const char **rl = lc_xcalloc(R + 1, sizeof *rl), **cl = lc_xcalloc(C + 1, sizeof *cl);
	for (size_t j = 0; j < C; j++)
		cl[j] = lc_arena_printf(req->arena, "J%zu", j + 1);
	json_t *table_rows = json_array(), *cols = json_array();
	for (size_t j = 0; j < C; j++)
		json_array_append_new(
		    cols, json_pack("{s:s, s:s}", "label", cl[j], "email", in->jurors[j]));
	for (size_t i = 0; i < R; i++) {
		rl[i] = in->noms[i];
		size_t k;
		const json_t *x;
		json_array_foreach(rows, k, x)
		{
			if (strcmp(json_string_value(json_object_get(x, "slug")), in->noms[i]) == 0)
				rl[i] = lc_arena_strdup(
				    req->arena, json_string_value(json_object_get(x, "name")));
		}
		json_t *cells = json_array();
		for (size_t j = 0; j < C; j++) {
			double sw = 0, s = 0;
			for (size_t c = 0; c < in->n_crit; c++) {
				double m = in->score[(i * C + j) * in->n_crit + c];
				if (in->independent[c] || isnan(m))
					continue;
				sw += in->weight[c];
				s += in->weight[c] * m;
			}
			v[i * C + j] = sw > 0 ? s / sw : NAN;
			json_array_foreach(json_object_get(conf, "items"), k, x)
			{
				const char *st = json_string_value(json_object_get(x, "state"));
				if (strcmp(json_string_value(
				               json_object_get(json_object_get(x, "city"), "slug")),
				           in->noms[i]) == 0 &&
				    strcmp(json_string_value(json_object_get(
				               json_object_get(x, "juror"), "email")),
				           in->jurors[j]) == 0 &&
				    (!strcmp(st, "suggested") || !strcmp(st, "declared") ||
				     !strcmp(st, "confirmed")))
					marks[i * C + j] = 1;
			}
			char num[32] = "–";
			if (!isnan(v[i * C + j]))
				snprintf(num, sizeof num, "%.1f", v[i * C + j]);
			json_array_append_new(
			    cells,
			    json_string(marks[i * C + j] ? lc_site_t(req, "decision_heat_conflict")
			                                 : lc_site_decimal(req, num)));
		}
		json_array_append_new(table_rows,
		                      json_pack("{s:s, s:o}", "name", rl[i], "cells", cells));
	}
	json_object_set_new(extra, "heat_table",
	                    json_pack("{s:o, s:o}", "cols", cols, "rows", table_rows));
	struct lc_chart_words w;
	lc_chart_words_of(req, &w);
	const struct lc_chart_heatmap hm = {.n_rows = R,
	                                    .n_cols = C,
	                                    .row_labels = rl,
	                                    .col_labels = cl,
	                                    .col_names = (const char *const *)in->jurors,
	                                    .values = v,
	                                    .min = 0,
	                                    .max = NAN,
	                                    .decimals = 1,
	                                    .marks = marks,
	                                    .mark_label = lc_site_t(req, "decision_heat_conflict")};
	const struct lc_chart_frame fr = {.id = "award-heat",
	                                  .title = lc_site_t(req, "decision_heat_title"),
	                                  .desc = lc_site_t(req, "decision_heat_desc"),
	                                  .rtl = lc_chart_rtl(req),
	                                  .words = &w};
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_HTTP_RESPONSE);
	if (lc_chart_heatmap(&b, &fr, &hm) == 0 && !lc_buf_error(&b))
		json_object_set_new(extra, "heat_svg",
		                    json_stringn_nocheck(lc_buf_cstr(&b), b.len));
	lc_buf_cleanup(&b);
	lc_free(v);
	lc_free(marks);
	lc_free(rl);
	lc_free(cl);
	json_decref(conf);
	return 0;
}

/*
 * The jury's ranking of the round for the secretariat's page (lc_jury_rank,
 * as the API): vm's "ranking" rows best first (city, jurors, mean, median,
 * sd, 90 % rank interval, probability of the top k) and extra's
 * "ranking_svg", the rank intervals; "has_ranking" false while no sheet
 * counts (the page says so). Other failures are the page's.
 */
static int dress_ranking(struct lc_req *req, struct lc_db *db, long year, json_t *vm, json_t *extra)
{
	struct lc_award_input in;
	struct lc_award_result r;
	struct lc_diag d;
	lc_diag_init(&d);
	const struct lc_award_opts opts = {.seed = LC_AWARD_RANKING_SEED,
	                                   .threads = LC_LIMIT_AWARD_RANKING_THREADS};
	json_t *doc = NULL;
	struct lc_chart_rank_unit *units = NULL;
	int err = lc_jury_rank(db, lc_auth_actor(req), year, &opts, &in, &r, &d);
	json_object_set_new(vm, "has_ranking", json_boolean(err == 0));
	if (err == LC_EINVAL) /* err_jury_no_scores: the empty state */
		err = 0;
	if (err)
		goto out;
	doc = lc_award_ranking_json(&in, &r);
	const json_t *noms = json_object_get(doc, "nominations");
	size_t n = json_array_size(noms);
	units = lc_xcalloc(n + 1, sizeof *units);
	json_t *rows = json_array();
	size_t i;
	const json_t *x;
	json_array_foreach(noms, i, x)
	{
		const char *slug = json_string_value(json_object_get(x, "nomination"));
		const char *name = slug;
		json_t *city = NULL;
		if (lc_city_get(db, slug, req->lang, &city) == 0 &&
		    json_is_string(json_object_get(city, "name")))
			name = lc_arena_strdup(req->arena,
			                       json_string_value(json_object_get(city, "name")));
		json_decref(city);
		units[i] = (struct lc_chart_rank_unit){.label = name,
		                                       .rank = rank_of(x, "rank_mean"),
		                                       .lo = rank_of(x, "rank_lo"),
		                                       .hi = rank_of(x, "rank_hi")};
		json_t *row = json_pack("{s:s, s:s, s:O, s:o, s:o, s:o, s:o}", "slug", slug, "name",
		                        name, "n_jurors", json_object_get(x, "n_jurors"), "mean",
		                        figure(json_object_get(x, "mean")), "median",
		                        figure(json_object_get(x, "median")), "sd",
		                        figure(json_object_get(x, "sd")), "p_top",
		                        figure(json_object_get(x, "p_top_k")));
		if (!isnan(units[i].lo) && !isnan(units[i].hi))
			json_object_set_new(row, "interval",
			                    json_string(lc_arena_printf(req->arena, "%.0f–%.0f",
			                                                units[i].lo, units[i].hi)));
		else
			json_object_set_new(row, "interval", json_string("–"));
		json_array_append_new(rows, row);
	}
	json_object_set_new(vm, "ranking", rows);
	json_object_set(vm, "ranking_top_k", json_object_get(doc, "top_k"));
	err = dress_heatmap(req, db, year, &in, rows, extra);
	if (err)
		goto out;

	struct lc_chart_words w;
	lc_chart_words_of(req, &w);
	const struct lc_chart_ranks rk = {.n = n, .units = units, .highlight = (size_t)-1};
	const struct lc_chart_frame fr = {.id = "award-ranks",
	                                  .title = lc_site_t(req, "award_ranking_chart"),
	                                  .desc = lc_site_t(req, "award_ranking_uncertain"),
	                                  .rtl = lc_chart_rtl(req),
	                                  .words = &w};
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_HTTP_RESPONSE);
	if (lc_chart_ranks(&b, &fr, &rk) == 0 && !lc_buf_error(&b))
		json_object_set_new(extra, "ranking_svg",
		                    json_stringn_nocheck(lc_buf_cstr(&b), b.len));
	lc_buf_cleanup(&b);
out:
	lc_free(units);
	json_decref(doc);
	lc_award_result_cleanup(&r);
	lc_award_input_cleanup(&in);
	lc_diag_cleanup(&d);
	return err;
}

static int dress_decisions(struct lc_req *req, struct lc_db *db, long year, json_t *vm);

/* The secretariat's pipeline of a round: its nominations with the round, the pending
 * decisions and the jury's ranking. */
static int dress_pipeline(struct lc_req *req, struct lc_db *db, json_t *vm, json_t *extra)
{
	json_t *round = NULL;
	int err = lc_award_round_view(db, lc_req_int(req, "year", 0), req->lang, &round);
	if (err)
		return err;
	json_object_set_new(vm, "round", round);
	err = dress_ranking(req, db, lc_req_int(req, "year", 0), vm, extra);
	if (!err && lc_authz_check(lc_auth_actor(req), LC_ACT_MANAGE_AWARD, NULL) == 0)
		err = dress_decisions(req, db, lc_req_int(req, "year", 0), vm);
	if (err)
		return err;
	dress_list(req, vm, extra);
	json_object_set_new(extra, "title",
	                    json_string(lc_arena_printf(req->arena, "%s %ld",
	                                                lc_site_t(req, "award_pipeline_title"),
	                                                lc_req_int(req, "year", 0))));
	return 0;
}

/*
 * /admin/awards/{year} (the secretariat) and /api/v1/award-rounds/{year}/nominations
 * (anyone signed in: the domain lists what the caller may see): two rows, two rules.
 */
static const struct lc_site_view nominations_view = {.load = load_nominations,
                                                     .tpl = "admin_award_round",
                                                     .nav = "admin_awards",
                                                     .dress = dress_pipeline};

/* ---- the decision and its publication (award_decision.h) ---------------------------------- */

static const struct lc_label decisions[] = {
    {"none", "decision_none"},
    {"shortlisted", "decision_shortlisted"},
    {"awardee", "decision_awardee"},
    {NULL, NULL},
};

/* The pending decisions on the secretariat's page: labels, and which buttons each row has. */
static int dress_decisions(struct lc_req *req, struct lc_db *db, long year, json_t *vm)
{
	json_t *dv = NULL;
	int err = lc_award_decisions(db, lc_auth_actor(req), year, req->lang, &dv);
	if (err)
		return err;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(dv, "items"), i, x)
	{
		const char *dec = json_string_value(json_object_get(x, "decision"));
		json_object_set_new(x, "decision_label",
		                    json_string(lc_label_text(req, decisions, dec)));
		json_object_set_new(x, "is_awardee", json_boolean(strcmp(dec, "awardee") == 0));
		json_object_set_new(x, "is_shortlisted",
		                    json_boolean(strcmp(dec, "shortlisted") == 0));
		json_object_set_new(x, "is_none", json_boolean(strcmp(dec, "none") == 0));
	}
	json_object_set_new(dv, "has_items",
	                    json_boolean(json_array_size(json_object_get(dv, "items")) > 0));
	json_object_set_new(vm, "decisions", dv);
	return 0;
}

static int load_decisions(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	return lc_award_decisions(db, lc_auth_actor(req), lc_req_int(req, "year", 0), req->lang,
	                          vm);
}

static const struct lc_site_view decisions_view = {.load = load_decisions};

static int route_api_decide(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL, *vm = NULL;
	char msg[256];
	if (lc_req_json(req, &body, msg, sizeof msg) || !json_is_object(body)) {
		json_decref(body);
		lc_resp_error(resp, 400, "the body is a JSON object");
		return 0;
	}
	struct lc_diag d;
	lc_diag_init(&d);
	long year = lc_req_int(req, "year", 0);
	const json_t *nom = json_object_get(body, "nomination");
	int err = 0;
	if (!json_is_integer(nom) || json_integer_value(nom) <= 0) {
		lc_diag_add(&d, NULL, 0, 0, "nomination", "err_jury_nomination");
		err = LC_EINVAL;
	}
	struct lc_db *db = NULL;
	if (!err)
		err = lc_site_db(req, &db);
	if (!err)
		err =
		    lc_award_decide(db, lc_auth_actor(req), year, (int64_t)json_integer_value(nom),
		                    json_string_value(json_object_get(body, "decision")), &d);
	if (!err)
		err = lc_award_decisions(db, lc_auth_actor(req), year, req->lang, &vm);
	lc_site_db_release(req, db);
	err = err ? lc_auth_api_fail(req, resp, err, &d) : lc_resp_json(resp, vm);
	json_decref(vm);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

static int route_api_publish(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_diag d;
	lc_diag_init(&d);
	long year = lc_req_int(req, "year", 0), awardees = 0, mails = 0;
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_award_publish(db, lc_auth_actor(req), year, &awardees, &mails, &d);
	lc_site_db_release(req, db);
	if (!err) {
		json_t *v = json_pack("{s:I, s:I, s:I}", "year", (json_int_t)year, "awardees",
		                      (json_int_t)awardees, "mails", (json_int_t)mails);
		err = lc_resp_json(resp, v);
		json_decref(v);
	} else {
		err = lc_auth_api_fail(req, resp, err, &d);
	}
	lc_diag_cleanup(&d);
	return err;
}

/* /admin/awards/{year} again after a refused decision or publication, with its problems. */
static int pipeline_page(struct lc_req *req, struct lc_resp *resp, int status,
                         const struct lc_diag *d, const char *message)
{
	json_t *vm = NULL, *extra = json_object();
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = load_nominations(req, db, &vm, NULL);
	if (!err)
		err = dress_pipeline(req, db, vm, extra);
	lc_site_db_read_end(req, db);
	if (!err) {
		json_object_set_new(
		    extra, "form_error",
		    json_string(message ? message : lc_site_t(req, "award_refused")));
		if (d)
			json_object_set_new(extra, "problems", lc_site_problems(req, d, false));
		resp->status = status;
		err = lc_site_page(req, resp, "admin_award_round",
		                   json_string_value(json_object_get(extra, "title")), "admin", vm,
		                   extra);
	}
	json_decref(vm);
	json_decref(extra);
	return lc_auth_fail(req, resp, err);
}

static const char *const decision_choices[] = {"none", "shortlisted", "awardee", NULL};

static const struct lc_param_spec decide_params[] = {
    {.name = "year", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1900, .max = 2999},
    {.name = "nomination",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_INT,
     .min = 1,
     .max = INT32_MAX},
    {.name = "decision",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_ENUM,
     .choices = decision_choices},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static int route_decide(struct lc_req *req, struct lc_resp *resp)
{
	long year = lc_req_int(req, "year", 0);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err =
		    lc_award_decide(db, lc_auth_actor(req), year, lc_req_int(req, "nomination", 0),
		                    lc_req_str(req, "decision"), &d);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ECONFLICT)
		err = pipeline_page(req, resp, err == LC_EINVAL ? 422 : 409, &d, NULL);
	else if (!err)
		err = lc_resp_redirect(
		    resp, lc_arena_printf(req->arena, "/admin/awards/%ld#h-decision", year));
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

static const struct lc_param_spec publish_params[] = {
    {.name = "year", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1900, .max = 2999},
    {.name = "confirm", .source = LC_PARAM_FORM, .type = LC_PARAM_BOOL},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* The publish button: only with its box ticked, as every irreversible step. */
static int route_publish(struct lc_req *req, struct lc_resp *resp)
{
	long year = lc_req_int(req, "year", 0), awardees = 0, mails = 0;
	if (!lc_req_int(req, "confirm", 0))
		return pipeline_page(req, resp, 422, NULL, lc_site_t(req, "award_confirm_needed"));
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_award_publish(db, lc_auth_actor(req), year, &awardees, &mails, &d);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ECONFLICT)
		err = pipeline_page(req, resp, err == LC_EINVAL ? 422 : 409, &d, NULL);
	else if (!err)
		err = lc_resp_redirect(resp, lc_arena_printf(req->arena, "/awards/%ld", year));
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* A Commission's nominations, with the rounds open today for the form that starts one. */
static int natcom_page(struct lc_req *req, struct lc_resp *resp, int status,
                       const struct lc_diag *d)
{
	json_t *vm = NULL, *rounds = NULL;
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = load_nominations(req, db, &vm, NULL);
	if (!err)
		err = lc_award_rounds(db, req->lang, &rounds);
	lc_site_db_read_end(req, db);
	if (err) {
		json_decref(vm);
		json_decref(rounds);
		return lc_auth_fail(req, resp, err);
	}
	json_t *open = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(rounds, "items"), i, r)
	{
		if (json_is_true(json_object_get(json_object_get(r, "settings"), "open")))
			json_array_append(open, r);
	}
	json_object_set_new(vm, "open_rounds", open);
	json_decref(rounds);
	json_t *extra = json_object();
	dress_list(req, vm, extra);
	if (d && d->count) {
		json_object_set_new(extra, "problems", lc_site_problems(req, d, false));
		json_object_set_new(extra, "form_error",
		                    json_string(lc_site_t(req, "award_refused")));
	}
	resp->status = status;
	err = lc_site_page(req, resp, "natcom_nominations", lc_site_t(req, "award_natcom_title"),
	                   NULL, vm, extra);
	json_decref(vm);
	json_decref(extra);
	return err;
}

static int route_natcom_nominations(struct lc_req *req, struct lc_resp *resp)
{
	return natcom_page(req, resp, 200, NULL);
}

/* ---- nominations: starting one ----------------------------------------------------------- */

static int create(struct lc_req *req, long year, const char *city, const char *override,
                  int64_t *id, struct lc_diag *d)
{
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_nomination_create(db, lc_auth_actor(req), year, city, override, id, d);
	lc_site_db_release(req, db);
	return err;
}

static int view(struct lc_req *req, struct lc_db *db, int64_t id, json_t **out)
{
	int err = lc_nomination_get(db, lc_auth_actor(req), id, req->lang, out);
	if (!err) {
		say_problems(req,
		             json_object_get(json_object_get(*out, "eligibility"), "problems"));
		say_problems(req, json_object_get(*out, "complete"));
	}
	return err;
}

static int route_api_nomination_create(struct lc_req *req, struct lc_resp *resp)
{
	json_t *body = NULL, *vm = NULL;
	char msg[256];
	if (lc_req_json(req, &body, msg, sizeof msg)) {
		lc_resp_error(resp, 400, "%s", msg);
		return 0;
	}
	const json_t *city = json_object_get(body, "city"), *ov = json_object_get(body, "override");
	if (!json_is_string(city) || (ov && !json_is_null(ov) && !json_is_string(ov))) {
		json_decref(body);
		lc_resp_error(resp, 400,
		              "the body needs \"city\" (a slug) and optionally"
		              " \"override\" (a reason)");
		return 0;
	}
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0;
	int err = create(req, lc_req_int(req, "year", 0), json_string_value(city),
	                 json_string_value(ov), &id, &d);
	if (!err) {
		struct lc_db *db = NULL;
		err = lc_site_db_read(req, &db);
		if (!err)
			err = view(req, db, id, &vm);
		lc_site_db_read_end(req, db);
	}
	if (!err) {
		err = lc_resp_json(resp, vm);
		resp->status = 201;
	} else {
		err = lc_auth_api_fail(req, resp, err, &d);
	}
	json_decref(vm);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

static const struct lc_param_spec natcom_create_params[] = {
    {.name = "year", .source = LC_PARAM_FORM, .type = LC_PARAM_INT, .min = 1900, .max = 2999},
    {.name = "city", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 80},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static int route_natcom_create(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0;
	int err = create(req, lc_req_int(req, "year", 0), lc_req_str(req, "city"), NULL, &id, &d);
	if (err == LC_EINVAL)
		err = natcom_page(req, resp, 422, &d);
	else if (!err)
		err = lc_resp_redirect(
		    resp, lc_arena_printf(req->arena, "/nominations/%lld", (long long)id));
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* ---- one nomination ---------------------------------------------------------------------- */

static const struct lc_param_spec id_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = NULL},
};

static int get_nomination(struct lc_req *req, int64_t id, json_t **vm)
{
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = view(req, db, id, vm);
	lc_site_db_read_end(req, db);
	return err;
}

static int route_api_nomination(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL;
	int err = get_nomination(req, lc_site_path_id(req), &vm);
	if (!err)
		err = lc_resp_json(resp, vm);
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

/* Saves a dossier patch and/or the override of body; every problem in d. */
static int put(struct lc_req *req, int64_t id, const json_t *body, struct lc_diag *d)
{
	const json_t *ov = json_object_get(body, "eligibility_override");
	json_t *patch = json_deep_copy(body);
	json_object_del(patch, "eligibility_override");
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err && ov)
		err = lc_nomination_override(db, lc_auth_actor(req), id, json_string_value(ov), d);
	if (!err && (json_object_size(patch) || !ov))
		err = lc_nomination_save(db, lc_auth_actor(req), id, patch, d);
	lc_site_db_release(req, db);
	json_decref(patch);
	return err;
}

static int route_api_nomination_put(struct lc_req *req, struct lc_resp *resp)
{
	if (lc_auth_actor(req)->kind == LC_ACTOR_ANONYMOUS)
		return lc_auth_fail(req, resp, LC_EAUTH);
	json_t *body = NULL, *vm = NULL;
	char msg[256];
	if (lc_req_json(req, &body, msg, sizeof msg) || !json_is_object(body)) {
		json_decref(body);
		lc_resp_error(resp, 400, "the body is a JSON object");
		return 0;
	}
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = lc_site_path_id(req);
	int err = put(req, id, body, &d);
	if (!err)
		err = get_nomination(req, id, &vm);
	if (!err)
		err = lc_resp_json(resp, vm);
	else
		err = lc_auth_api_fail(req, resp, err, &d);
	json_decref(vm);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

static const struct lc_wf_route nomination_wf;

/* The dossier page, with the problems of a refused save or step (at status). */
static int nomination_page(struct lc_req *req, struct lc_resp *resp, int64_t id, int status,
                           const struct lc_diag *d, const char *message)
{
	json_t *vm = NULL;
	int err = get_nomination(req, id, &vm);
	if (err)
		return lc_auth_fail(req, resp, err);
	lc_label_states(req, vm, "state", lc_nomination_states, 4);
	lc_auth_human_times(vm);
	json_t *next = json_object_get(vm, "next");
	size_t i;
	json_t *n;
	json_array_foreach(next, i, n)
	{
		json_object_set_new(
		    n, "label",
		    json_string(
		        lc_label_text(req, steps, json_string_value(json_object_get(n, "name")))));
	}
	json_object_set_new(vm, "has_next", json_boolean(json_array_size(next) > 0));
	const json_t *elig = json_object_get(vm, "eligibility");
	json_object_set_new(
	    vm, "may_override",
	    json_boolean(lc_authz_check(lc_auth_actor(req), LC_ACT_MANAGE_AWARD, NULL) == 0 &&
	                 !json_is_true(json_object_get(vm, "terminal")) &&
	                 json_is_null(json_object_get(elig, "override")) &&
	                 json_array_size(json_object_get(elig, "problems")) > 0));
	json_object_set_new(vm, "has_todo",
	                    json_boolean(json_array_size(json_object_get(vm, "complete")) > 0));
	lc_wf_route_label_history(req, &nomination_wf, vm);
	json_t *extra = json_object();
	if (message || (d && d->count)) {
		json_object_set_new(
		    extra, "form_error",
		    json_string(message ? message : lc_site_t(req, "award_refused")));
		if (d)
			json_object_set_new(extra, "problems", lc_site_problems(req, d, false));
	}
	const char *done = lc_req_str(req, "done");
	if (done && *done && req->method == LC_HTTP_GET)
		json_object_set_new(extra, "done_text", json_string(lc_site_t(req, "award_saved")));
	char title[200];
	const char *city = json_string_value(json_object_get(json_object_get(vm, "city"), "name"));
	snprintf(title, sizeof title, "%s – %s", lc_site_t(req, "award_nomination_title"),
	         city ? city : lc_arena_printf(req->arena, "%lld", (long long)id));
	resp->status = status;
	err = lc_site_page(req, resp, "nomination", title, NULL, vm, extra);
	json_decref(vm);
	json_decref(extra);
	return err;
}

static const struct lc_param_spec page_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "done", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 31},
    {.name = NULL},
};

static int route_nomination(struct lc_req *req, struct lc_resp *resp)
{
	return nomination_page(req, resp, lc_site_path_id(req), 200, NULL, NULL);
}

static const struct lc_param_spec save_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "general",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_AWARD_TEXT_BYTES},
    {.name = "plan",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_AWARD_TEXT_BYTES},
    {.name = "links",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_AWARD_LINKS * (LC_LIMIT_AWARD_LINK_BYTES + 2)},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* The answers of the page form: every a_<criterion id> field (not declared: the round says
 * which criteria there are, and the domain checks each against it). */
static int form_answers(struct lc_req *req, json_t **out)
{
	struct lc_urlcodec_pair pairs[LC_LIMIT_HTTP_PARAMS];
	size_t np = 0;
	*out = NULL;
	int err =
	    lc_urlcodec_split_query((struct lc_slice){req->body ? req->body : "", req->body_len},
	                            pairs, LC_LIMIT_HTTP_PARAMS, &np);
	if (err)
		return err;
	json_t *a = json_object();
	for (size_t i = 0; i < np; i++) {
		if (pairs[i].name.len < 3 || pairs[i].name.len > 2 + LC_LIMIT_AWARD_CRITERION_ID ||
		    memcmp(pairs[i].name.ptr, "a_", 2) != 0)
			continue;
		struct lc_slice v;
		if (lc_urlcodec_decode(req->arena, pairs[i].value, true, &v) != 0)
			continue;
		char id[LC_LIMIT_AWARD_CRITERION_ID + 1];
		snprintf(id, sizeof id, "%.*s", (int)pairs[i].name.len - 2, pairs[i].name.ptr + 2);
		json_object_set_new(a, id, json_stringn(v.ptr, v.len));
	}
	*out = a;
	return 0;
}

static int route_nomination_save(struct lc_req *req, struct lc_resp *resp)
{
	int64_t id = lc_site_path_id(req);
	json_t *patch = json_object();
	static const char *const fields[] = {"general", "plan", "links"};
	for (size_t i = 0; i < 3; i++) {
		const char *v = lc_req_str(req, fields[i]);
		if (v)
			json_object_set_new(patch, fields[i], json_string(v));
	}
	json_t *answers = NULL;
	int err = form_answers(req, &answers);
	if (err) {
		json_decref(patch);
		return lc_auth_fail(req, resp, err);
	}
	json_object_set_new(patch, "answers", answers);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	err = lc_site_db(req, &db);
	if (!err)
		err = lc_nomination_save(db, lc_auth_actor(req), id, patch, &d);
	lc_site_db_release(req, db);
	json_decref(patch);
	if (err == LC_EINVAL || err == LC_ECONFLICT)
		err = nomination_page(req, resp, id, err == LC_EINVAL ? 422 : 409, &d, NULL);
	else if (!err)
		err = lc_resp_redirect(
		    resp,
		    lc_arena_printf(req->arena, "/nominations/%lld?done=save", (long long)id));
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

static const struct lc_param_spec override_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "reason",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_REASON_BYTES},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* The secretariat's override of the eligibility rules, with its reason (the page form). */
static int route_nomination_override(struct lc_req *req, struct lc_resp *resp)
{
	int64_t id = lc_site_path_id(req);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_nomination_override(db, lc_auth_actor(req), id, lc_req_str(req, "reason"),
		                             &d);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ECONFLICT)
		err = nomination_page(req, resp, id, err == LC_EINVAL ? 422 : 409, &d, NULL);
	else if (!err)
		err = lc_resp_redirect(
		    resp,
		    lc_arena_printf(req->arena, "/nominations/%lld?done=override", (long long)id));
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* ---- the signed forms -------------------------------------------------------------------- */

static const struct lc_param_spec file_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "kind", .source = LC_PARAM_PATH, .type = LC_PARAM_STRING, .max_len = 16},
    LC_CSRF_PARAM,
    {.name = NULL},
};

/* The form's bytes: the multipart part "file", or the whole body. */
static int put_file(struct lc_req *req, struct lc_diag *d)
{
	const char *kind = lc_req_str(req, "kind");
	const char *ct = req->content_type ? req->content_type : "";
	const char *data = req->body ? req->body : "", *name = NULL;
	size_t n = req->body_len;
	if (strncasecmp(ct, "multipart/", 10) == 0) {
		const struct lc_multipart_part *p =
		    lc_multipart_find(req->parts, req->nparts, "file");
		if (!p || !p->filename || !p->len) {
			lc_diag_add(d, NULL, 0, 0, kind, "err_award_file_type");
			return LC_EINVAL;
		}
		data = p->data;
		n = p->len;
		name = p->filename;
	}
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_nomination_file_put(db, lc_auth_actor(req), lc_site_path_id(req), kind,
		                             name, (const unsigned char *)data, n, d);
	lc_site_db_release(req, db);
	return err;
}

static int route_api_file_put(struct lc_req *req, struct lc_resp *resp)
{
	if (lc_auth_actor(req)->kind == LC_ACTOR_ANONYMOUS)
		return lc_auth_fail(req, resp, LC_EAUTH);
	struct lc_diag d;
	lc_diag_init(&d);
	json_t *vm = NULL;
	int err = put_file(req, &d);
	if (!err)
		err = get_nomination(req, lc_site_path_id(req), &vm);
	if (!err)
		err = lc_resp_json(resp, json_object_get(vm, "files"));
	else
		err = lc_auth_api_fail(req, resp, err, &d);
	json_decref(vm);
	lc_diag_cleanup(&d);
	return err;
}

static int route_file_put(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = lc_site_path_id(req);
	int err = put_file(req, &d);
	if (err == LC_EINVAL || err == LC_ELIMIT || err == LC_ECONFLICT)
		err = nomination_page(req, resp, id,
		                      err == LC_ELIMIT   ? 413
		                      : err == LC_EINVAL ? 422
		                                         : 409,
		                      &d, NULL);
	else if (!err)
		err = lc_resp_redirect(
		    resp,
		    lc_arena_printf(req->arena, "/nominations/%lld?done=file", (long long)id));
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

static int route_file_get(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	struct lc_nomination_file f = {0};
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_nomination_file_get(db, lc_auth_actor(req), lc_site_path_id(req),
		                             lc_req_str(req, "kind"), &f);
	lc_site_db_read_end(req, db);
	if (!err) {
		/* Our type, decided from the content; an attachment, never rendered inline. */
		const char *type = strcmp(f.content_type, "application/pdf") == 0
		                       ? "application/pdf"
		                   : strcmp(f.content_type, "image/png") == 0 ? "image/png"
		                                                              : "image/jpeg";
		lc_resp_text(resp, type, (const char *)f.data, f.size);
		lc_resp_header(
		    resp, "Content-Disposition",
		    lc_arena_printf(req->arena, "attachment; filename=\"%s\"", f.filename));
		lc_resp_header(resp, "X-Content-Type-Options", "nosniff");
		lc_resp_header(resp, "Content-Security-Policy", "default-src 'none'; sandbox");
	}
	lc_nomination_file_cleanup(&f);
	return lc_auth_fail(req, resp, err);
}

/* ---- the workflow routes' data (workflow.h) ---------------------------------------------- */

static int locate(struct lc_req *req, struct lc_db *db, int64_t *id)
{
	(void)db;
	*id = lc_site_path_id(req);
	return 0;
}

static int take(struct lc_req *req, struct lc_db *db, const struct lc_actor *actor, int64_t id,
                const char *to, const char *reason, const char *link, struct lc_diag *d)
{
	(void)req, (void)link;
	return lc_nomination_take(db, actor, id, to, reason, d);
}

static int refused(struct lc_req *req, struct lc_resp *resp, int64_t id, int status,
                   const struct lc_diag *d)
{
	return nomination_page(req, resp, id, status, d,
	                       d ? NULL : lc_site_t(req, "award_confirm_needed"));
}

static const char *done(struct lc_req *req, int64_t id, const char *to)
{
	return lc_arena_printf(req->arena, "/nominations/%lld?done=%s", (long long)id, to);
}

static const struct lc_wf_route nomination_wf = {
    .process = &lc_nomination_process,
    .states = lc_nomination_states,
    .steps = steps,
    .locate = locate,
    .take = take,
    .view = view,
    .confirm = true,
    .refused = refused,
    .done = done,
};

/* ---- the routes ---- */

#define A(x)      LC_ROUTE_ACTION(LC_ACT_##x)
#define FILE_BODY (LC_LIMIT_AWARD_FILE_BYTES + (64u << 10))

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/api/v1/award-rounds", lc_site_view, NULL, 0, 0, &rounds_view},
    {LC_HTTP_POST, "/api/v1/award-rounds", route_api_round_open, NULL, 0,
     LC_ROUTE_LOGIN | A(MANAGE_AWARD), NULL},
    LC_SITE_VIEW_AT("/awards/{year}", "/api/v1/award-rounds/{year}", &round_view, year_params, 0),
    {LC_HTTP_GET, "/api/v1/award-rounds/{year}/nominations", lc_site_view, list_params, 0,
     LC_ROUTE_LOGIN, &nominations_view},
    {LC_HTTP_POST, "/api/v1/award-rounds/{year}/nominations", route_api_nomination_create,
     year_params, 0, LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/api/v1/nominations/{id}", route_api_nomination, id_params, 0, LC_ROUTE_LOGIN,
     NULL},
    {LC_HTTP_PUT, "/api/v1/nominations/{id}", route_api_nomination_put, id_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_POST, "/api/v1/nominations/{id}/transitions", lc_wf_route_api_step, id_params, 0,
     LC_ROUTE_LOGIN, &nomination_wf},
    {LC_HTTP_GET, "/api/v1/nominations/{id}/history", lc_wf_route_api_history, lc_wf_history_params,
     0, LC_ROUTE_LOGIN, &nomination_wf},
    {LC_HTTP_POST, "/api/v1/nominations/{id}/files/{kind}", route_api_file_put, file_params,
     FILE_BODY, LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/api/v1/nominations/{id}/files/{kind}", route_file_get, file_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/admin/awards", route_admin_rounds, NULL, 0, LC_ROUTE_LOGIN | A(MANAGE_AWARD),
     NULL},
    {LC_HTTP_POST, "/admin/awards", route_admin_round_open, open_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_AWARD), NULL},
    {LC_HTTP_GET, "/admin/awards/{year}", lc_site_view, list_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_AWARD), &nominations_view},
    {LC_HTTP_POST, "/admin/awards/{year}/decisions", route_decide, decide_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_AWARD), NULL},
    {LC_HTTP_POST, "/admin/awards/{year}/publish", route_publish, publish_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_AWARD), NULL},
    {LC_HTTP_GET, "/api/v1/award-rounds/{year}/decisions", lc_site_view, year_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_AWARD), &decisions_view},
    {LC_HTTP_POST, "/api/v1/award-rounds/{year}/decisions", route_api_decide, year_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_AWARD), NULL},
    {LC_HTTP_POST, "/api/v1/award-rounds/{year}/publish", route_api_publish, year_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_AWARD), NULL},
    {LC_HTTP_GET, "/natcom/nominations", route_natcom_nominations, natcom_params, 0, LC_ROUTE_LOGIN,
     NULL},
    {LC_HTTP_POST, "/natcom/nominations", route_natcom_create, natcom_create_params, 0,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/nominations/{id}", route_nomination, page_params, 0, LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_POST, "/nominations/{id}", route_nomination_save, save_params, 0, LC_ROUTE_LOGIN,
     NULL},
    {LC_HTTP_POST, "/nominations/{id}/override", route_nomination_override, override_params, 0,
     LC_ROUTE_LOGIN | A(MANAGE_AWARD), NULL},
    {LC_HTTP_POST, "/nominations/{id}/transitions", lc_wf_route_step, lc_wf_step_params, 0,
     LC_ROUTE_LOGIN, &nomination_wf},
    {LC_HTTP_GET, "/nominations/{id}/history", lc_wf_route_history, lc_wf_history_params, 0,
     LC_ROUTE_LOGIN, &nomination_wf},
    {LC_HTTP_POST, "/nominations/{id}/files/{kind}", route_file_put, file_params, FILE_BODY,
     LC_ROUTE_LOGIN, NULL},
    {LC_HTTP_GET, "/nominations/{id}/files/{kind}", route_file_get, file_params, 0, LC_ROUTE_LOGIN,
     NULL},
};

#undef A

LC_ROUTE_GROUP(award_rounds, rows);
