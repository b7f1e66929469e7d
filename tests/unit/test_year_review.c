/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The review of a city-year's data, the workflow process "year_review": the
 * whole path (enter, submit, return with a comment, correct, resubmit,
 * approve), every transition refused to
 * every role that may not make it, values locked while submitted (for the
 * coordinator) and approved (for everyone), the history, and the approved
 * engine input: only approved city-years, the tree built from the
 * framework, the matrix holding exactly what was put. Also the process
 * table, the guard when the engine is called directly, the comment's limit,
 * and migration 0012, which moves the rows of the old report_years and
 * report_history tables into the workflow's tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "accounts_fixture.h"
#include "base/limits.h"
#include "domain/monitoring/year_review.h"
#include "domain/workflow/processes.h"
#include "domain/monitoring/monitoring_input.h"
#include "domain/monitoring/observation.h"
#include "domain/workflow/workflow.h"
#include "engine/matrix.h"
#include "engine/pipeline.h"
#include "engine/spec.h"
#include "engine/tree.h"

static struct lc_obs_row row(const char *city, const char *code, const char *value)
{
	struct lc_obs_row r = {.city = lc_slice_cstr(city),
	                       .measurement = lc_slice_cstr(code),
	                       .year = lc_slice_cstr("2025"),
	                       .value = lc_slice_cstr(value),
	                       .line = 1};
	return r;
}

static int put1(struct lc_db *db, const struct lc_actor *a, const char *city, const char *code,
                const char *value)
{
	struct lc_obs_row r = row(city, code, value);
	struct lc_diag d;
	lc_diag_init(&d);
	int rc = lc_obs_put(db, a, &r, 1, &d, NULL);
	lc_diag_cleanup(&d);
	return rc;
}

static void test_review_path(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor coord, admin;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	/* Nothing to submit yet. */
	assert_int_equal(lc_year_review_submit(db, &coord, "cork", 2025, &d), LC_EINVAL);
	assert_non_null(strstr(d.items[0].message, "no values"));
	assert_int_equal(put1(db, &coord, "cork", "1.1.1.a", "80"), 0);
	enum lc_year_review_state s;
	int64_t cork = fx_count(db, "SELECT id FROM cities WHERE slug = 'cork'");
	assert_int_equal(lc_year_review_state_get(db, cork, 2025, &s), 0);
	assert_int_equal(s, LC_YEAR_REVIEW_DRAFT);
	assert_int_equal(lc_year_review_submit(db, &coord, "cork", 2025, &d), 0);
	/* The year's item, as its history routes find it; none for a year not started. */
	int64_t item = 0;
	assert_int_equal(lc_year_review_item_id(db, "cork", 2025, &item), 0);
	assert_int_equal(item, fx_count(db, "SELECT id FROM wf_items WHERE process = 'year_review'"
	                                    " AND year = 2025 AND city_id = "
	                                    "(SELECT id FROM cities WHERE slug = 'cork')"));
	assert_true(item > 0);
	assert_int_equal(lc_year_review_item_id(db, "cork", 2031, &item), 0);
	assert_int_equal(item, 0);
	assert_int_equal(lc_year_review_item_id(db, "nowhere", 2025, &item), LC_ENOTFOUND);
	assert_int_equal(lc_year_review_state_get(db, cork, 2025, &s), 0);
	assert_int_equal(s, LC_YEAR_REVIEW_SUBMITTED);
	/* Submitted: the coordinator may not change values; the secretariat may. */
	assert_int_equal(put1(db, &coord, "cork", "1.1.1.a", "81"), LC_EINVAL);
	assert_int_equal(put1(db, &admin, "cork", "1.1.1.b", "3"), 0);
	/* Submitting twice, approving by the coordinator: refused. */
	assert_int_equal(lc_year_review_submit(db, &coord, "cork", 2025, &d), LC_ECONFLICT);
	assert_int_equal(lc_year_review_approve(db, &coord, "cork", 2025, &d), LC_EPERM);
	/* A return needs a comment. */
	assert_int_equal(lc_year_review_return(db, &admin, "cork", 2025, "  ", &d), LC_EINVAL);
	assert_int_equal(lc_year_review_return(db, &admin, "cork", 2025, NULL, &d), LC_EINVAL);
	assert_int_equal(lc_year_review_return(db, &admin, "cork", 2025,
	                                       "1.1.1.a looks low: check the source", &d),
	                 0);
	/* Returned: the coordinator corrects and resubmits. */
	assert_int_equal(put1(db, &coord, "cork", "1.1.1.a", "88"), 0);
	assert_int_equal(lc_year_review_submit(db, &coord, "cork", 2025, &d), 0);
	assert_int_equal(lc_year_review_approve(db, &admin, "cork", 2025, &d), 0);
	/* Approved: nobody changes values until it is returned. */
	assert_int_equal(put1(db, &coord, "cork", "1.1.1.a", "89"), LC_EINVAL);
	assert_int_equal(put1(db, &admin, "cork", "1.1.1.a", "89"), LC_EINVAL);
	assert_int_equal(lc_year_review_approve(db, &admin, "cork", 2025, &d), LC_ECONFLICT);
	assert_int_equal(lc_year_review_submit(db, &coord, "cork", 2025, &d), LC_ECONFLICT);

	json_t *r = NULL;
	assert_int_equal(lc_year_review_get(db, &coord, "cork", 2025, &r), 0);
	assert_string_equal(json_string_value(json_object_get(r, "status")), "approved");
	json_t *h = json_object_get(r, "history");
	/* created, submitted, returned, submitted, approved */
	assert_int_equal(json_array_size(h), 5);
	assert_true(json_is_null(json_object_get(json_array_get(h, 0), "from")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(h, 2), "comment")),
	                    "1.1.1.a looks low: check the source");
	assert_string_equal(json_string_value(json_object_get(json_array_get(h, 4), "actor")),
	                    DEMO_ADMIN);
	json_decref(r);
	/* Approved values are public. */
	struct lc_actor anon;
	lc_actor_anonymous(&anon);
	assert_int_equal(lc_obs_list(db, &anon, "cork", 2025, &r), 0);
	json_decref(r);
	assert_int_equal(lc_year_review_get(db, &anon, "cork", 2025, &r), LC_EAUTH);
	/* submit, return, submit, approve; and the year's creation with its first value. */
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM audit WHERE action IN ('year_review.submit',"
	                 " 'year_review.return', 'year_review.approve')"),
	    4);
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM audit WHERE action = 'year_review.create'"), 1);
	/* Versions: 80 then 88 (81 and 89 were refused). */
	assert_int_equal(fx_count(db, "SELECT count(*) FROM observations o"
	                              " JOIN framework_measurements m ON m.id = o.measurement_id"
	                              " WHERE m.code = '1.1.1.a'"),
	                 2);
	/* An approved year can be returned to correct it. */
	assert_int_equal(lc_year_review_return(db, &admin, "cork", 2025, "reopened for a fix", &d),
	                 0);
	assert_int_equal(put1(db, &coord, "cork", "1.1.1.a", "89"), 0);
	assert_int_equal(lc_year_review_submit(db, &coord, "nowhere", 2025, &d), LC_ENOTFOUND);
	lc_diag_cleanup(&d);
}

/* Every role against every transition on a year in the right state for it. */
static void test_forbidden_transitions(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor coord, admin, sys, a;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	lc_actor_system(&sys);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(put1(db, &sys, "cork", "1.1.1.a", "80"), 0);
	assert_int_equal(put1(db, &sys, "medellin", "1.1.1.a", "70"), 0);
	static const char *const nobody[] = {DEMO_NATCOM, DEMO_JURY, DEMO_PART, DEMO_NOROLE};
	for (size_t i = 0; i < 5; i++) {
		if (i < 4)
			assert_int_equal(fx_actor(db, nobody[i], &a), 0);
		else
			lc_actor_anonymous(&a);
		int want = i < 4 ? LC_EPERM : LC_EAUTH;
		assert_int_equal(lc_year_review_submit(db, &a, "cork", 2025, &d), want);
	}
	/* The coordinator of Cork may not submit Medellín. */
	assert_int_equal(lc_year_review_submit(db, &coord, "medellin", 2025, &d), LC_EPERM);
	assert_int_equal(lc_year_review_submit(db, &coord, "cork", 2025, &d), 0);
	assert_int_equal(lc_year_review_submit(db, &sys, "medellin", 2025, &d), 0);
	for (size_t i = 0; i < 5; i++) {
		if (i < 4)
			assert_int_equal(fx_actor(db, nobody[i], &a), 0);
		else
			lc_actor_anonymous(&a);
		int want = i < 4 ? LC_EPERM : LC_EAUTH;
		assert_int_equal(lc_year_review_approve(db, &a, "cork", 2025, &d), want);
		assert_int_equal(lc_year_review_return(db, &a, "cork", 2025, "no", &d), want);
	}
	assert_int_equal(lc_year_review_approve(db, &coord, "cork", 2025, &d), LC_EPERM);
	assert_int_equal(lc_year_review_return(db, &coord, "cork", 2025, "mine", &d), LC_EPERM);
	/* The operator at the command line may review. */
	assert_int_equal(lc_year_review_approve(db, &sys, "medellin", 2025, &d), 0);
	assert_int_equal(lc_year_review_approve(db, &admin, "cork", 2025, &d), 0);
	/* Returning a draft is refused. */
	assert_int_equal(put1(db, &sys, "cork", "1.1.1.a", "80"), LC_EINVAL);
	assert_int_equal(put1(db, &sys, "amman", "1.1.1.a", "80"), 0);
	assert_int_equal(lc_year_review_return(db, &admin, "amman", 2025, "why", &d), LC_ECONFLICT);
	assert_int_equal(lc_year_review_approve(db, &admin, "amman", 2025, &d), LC_ECONFLICT);
	lc_diag_cleanup(&d);
}

static void test_approved_input(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor sys;
	lc_actor_system(&sys);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_obs_row rows[] = {
	    row("cork", "1.1.1.a", "80"),     row("cork", "1.3.3.b", "yes"),
	    row("cork", "2.1.4.b", "3"),      row("medellin", "1.1.1.a", "60"),
	    row("medellin", "1.1.1.b", "12"), row("amman", "1.1.1.a", "99"),
	};
	assert_int_equal(lc_obs_put(db, &sys, rows, 6, &d, NULL), 0);
	/* Amman stays a draft: it must not appear. */
	assert_int_equal(lc_year_review_submit(db, &sys, "cork", 2025, &d), 0);
	assert_int_equal(lc_year_review_approve(db, &sys, "cork", 2025, &d), 0);
	assert_int_equal(lc_year_review_submit(db, &sys, "medellin", 2025, &d), 0);
	assert_int_equal(lc_year_review_approve(db, &sys, "medellin", 2025, &d), 0);
	assert_int_equal(lc_year_review_submit(db, &sys, "amman", 2025, &d), 0);

	struct lc_tree t;
	struct lc_matrix m;
	lc_tree_init(&t);
	lc_matrix_init(&m);
	assert_int_equal(lc_monitoring_input_approved(db, 2025, &t, &m, &d), 0);
	assert_true(t.finished);
	assert_true(t.root >= 0);
	assert_string_equal(t.nodes[t.root].code, "index");
	assert_int_equal(t.n_levels, 4);
	assert_int_equal(t.nodes[lc_tree_find(&t, "1.1")].level, 2);
	assert_int_equal(t.nodes[lc_tree_find(&t, "2")].level, 3);
	assert_string_equal(t.nodes[lc_tree_find(&t, "1.1.1.a")].parent_code, "1.1");
	assert_int_equal(m.n_units, 2);
	assert_int_equal(m.n_cols, t.n);
	assert_string_equal(m.ucodes[0], "cork");
	assert_string_equal(m.ucodes[1], "medellin");
	long a = lc_tree_find(&t, "1.1.1.a"), b = lc_tree_find(&t, "1.1.1.b");
	long y = lc_tree_find(&t, "1.3.3.b"), k = lc_tree_find(&t, "2.1.4.b");
	assert_true(m.x[(size_t)a * 2 + 0] == 80);
	assert_true(m.x[(size_t)a * 2 + 1] == 60);
	assert_true(isnan(m.x[(size_t)b * 2 + 0]));
	assert_true(m.x[(size_t)b * 2 + 1] == 12);
	assert_true(m.x[(size_t)y * 2 + 0] == 1);
	assert_true(m.x[(size_t)k * 2 + 0] == 3);
	/* Every other cell is NA. */
	size_t set = 0;
	for (size_t i = 0; i < m.n_units * m.n_cols; i++)
		set += isnan(m.x[i]) ? 0u : 1u;
	assert_int_equal(set, 5);
	/* Engine-ready: the pipeline runs on it and scores both cities. */
	static const char spec_text[] =
	    "{\"steps\": [{\"op\": \"normalise\", \"method\": \"minmax\", \"lo\": 0,"
	    " \"hi\": 100}, {\"op\": \"aggregate\", \"method\": \"arithmetic\"}]}";
	struct lc_spec spec;
	lc_spec_init(&spec);
	assert_int_equal(lc_spec_parse(&spec, spec_text, sizeof spec_text - 1, NULL, &d), 0);
	struct lc_engine_input in = {.tree = &t, .data = &m};
	struct lc_pipeline_result res;
	lc_pipeline_result_init(&res);
	assert_int_equal(lc_pipeline_run(&in, &spec, NULL, &res, &d), 0);
	assert_int_equal(res.n_units, 2);
	/* 1.1.1.a: Cork 80 is the maximum (100), Medellín 60 the minimum (0). */
	assert_true(res.x[(size_t)a * 2 + 0] == 100);
	assert_true(res.x[(size_t)a * 2 + 1] == 0);
	assert_true(isfinite(res.x[(size_t)t.root * 2 + 0]));
	lc_pipeline_result_cleanup(&res);
	lc_spec_cleanup(&spec);
	lc_tree_cleanup(&t);
	lc_matrix_cleanup(&m);

	/* Another year: no approved city, an empty matrix on the same tree. */
	lc_tree_init(&t);
	lc_matrix_init(&m);
	assert_int_equal(lc_monitoring_input_approved(db, 2024, &t, &m, &d), 0);
	assert_int_equal(m.n_units, 0);
	assert_true(t.n > 50);
	lc_tree_cleanup(&t);
	lc_matrix_cleanup(&m);
	assert_int_equal(lc_diag_total(&d), 0);
	lc_diag_cleanup(&d);
}

/* The review queue and the "may" of lc_year_review_get: what each person sees and may do. */
static void test_queue_and_may(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor coord, admin, anon;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	lc_actor_anonymous(&anon);
	struct lc_year_review_query q = {.status = "submitted"};
	json_t *out = NULL;
	assert_int_equal(lc_year_review_queue(db, &coord, &q, &out), LC_EPERM);
	assert_int_equal(lc_year_review_queue(db, &anon, &q, &out), LC_EAUTH);
	assert_null(out);
	assert_int_equal(lc_year_review_queue(db, &admin, &q, &out), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 0);
	assert_int_equal(json_array_size(json_object_get(out, "items")), 0);
	json_decref(out);

	assert_int_equal(put1(db, &coord, "cork", "1.1.1.a", "80"), 0);
	json_t *r = NULL;
	assert_int_equal(lc_year_review_get(db, &coord, "cork", 2025, &r), 0);
	json_t *may = json_object_get(r, "may");
	assert_true(json_is_true(json_object_get(may, "submit")));
	assert_true(json_is_false(json_object_get(may, "approve")));
	assert_true(json_is_false(json_object_get(may, "return")));
	json_decref(r);
	/* A year without values cannot be submitted: no button for it either. */
	assert_int_equal(lc_year_review_get(db, &coord, "cork", 2031, &r), 0);
	assert_true(json_is_false(json_object_get(json_object_get(r, "may"), "submit")));
	json_decref(r);

	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_year_review_submit(db, &coord, "cork", 2025, &d), 0);
	lc_diag_cleanup(&d);
	assert_int_equal(lc_year_review_get(db, &coord, "cork", 2025, &r), 0);
	may = json_object_get(r, "may");
	assert_true(json_is_false(json_object_get(may, "submit")));
	assert_true(json_is_false(json_object_get(may, "approve")));
	json_decref(r);
	assert_int_equal(lc_year_review_get(db, &admin, "cork", 2025, &r), 0);
	may = json_object_get(r, "may");
	assert_true(json_is_true(json_object_get(may, "approve")));
	assert_true(json_is_true(json_object_get(may, "return")));
	assert_true(json_is_false(json_object_get(may, "submit")));
	json_decref(r);

	q.lang = "fr";
	assert_int_equal(lc_year_review_queue(db, &admin, &q, &out), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 1);
	json_t *it = json_array_get(json_object_get(out, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(it, "city")), "cork");
	assert_string_equal(json_string_value(json_object_get(it, "city_name")), "Cork");
	assert_int_equal(json_integer_value(json_object_get(it, "year")), 2025);
	assert_int_equal(json_integer_value(json_object_get(it, "entered")), 1);
	assert_int_equal(json_integer_value(json_object_get(it, "total")),
	                 fx_count(db, "SELECT count(*) FROM framework_measurements"));
	assert_string_equal(json_string_value(json_object_get(it, "submitted_by")), DEMO_COORD);
	assert_string_equal(json_string_value(json_object_get(it, "href")),
	                    "/cities/cork/data/2025");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(out, "filters"), "status")),
	    "submitted");
	json_decref(out);

	/* Every status, a page of one at a time. */
	struct lc_year_review_query all = {.per_page = 1, .page = 1};
	assert_int_equal(lc_year_review_queue(db, &admin, &all, &out), 0);
	long long total = json_integer_value(json_object_get(out, "total"));
	assert_true(total >= 1);
	assert_int_equal(json_integer_value(json_object_get(out, "pages")), total);
	assert_int_equal(json_array_size(json_object_get(out, "items")), 1);
	json_decref(out);
	/* One city's one year: its row only, with its completeness; another year: none. */
	struct lc_year_review_query one = {.city = "cork", .year = 2025};
	assert_int_equal(lc_year_review_queue(db, &coord, &one, &out), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 1);
	it = json_array_get(json_object_get(out, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(it, "year")), 2025);
	assert_int_equal(json_integer_value(json_object_get(it, "entered")), 1);
	json_decref(out);
	one.year = 2024;
	assert_int_equal(lc_year_review_queue(db, &coord, &one, &out), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 0);
	assert_int_equal(json_array_size(json_object_get(out, "items")), 0);
	json_decref(out);
	struct lc_year_review_query bad = {.status = "pending"};
	assert_int_equal(lc_year_review_queue(db, &admin, &bad, &out), LC_EINVAL);
	bad = (struct lc_year_review_query){.per_page = LC_LIMIT_PER_PAGE + 1};
	assert_int_equal(lc_year_review_queue(db, &admin, &bad, &out), LC_EINVAL);
	assert_null(out);
}

static void test_status_names(void **state)
{
	(void)state;
	enum lc_year_review_state s;
	for (int i = LC_YEAR_REVIEW_DRAFT; i <= LC_YEAR_REVIEW_APPROVED; i++) {
		assert_int_equal(lc_year_review_state_parse(
		                     lc_year_review_state_name((enum lc_year_review_state)i), &s),
		                 0);
		assert_int_equal(s, i);
	}
	assert_int_equal(lc_year_review_state_parse("published", &s), LC_EINVAL);
	assert_null(
	    lc_year_review_state_name((enum lc_year_review_state)(LC_YEAR_REVIEW_APPROVED + 1)));
}

/* The process table passes the engine's check and says what the module's steps do. */
static void test_process_table(void **state)
{
	(void)state;
	const struct lc_wf_process *p = &lc_year_review_process;
	const char *why = NULL;
	assert_int_equal(lc_wf_process_check(p, &why), 0);
	assert_string_equal(p->name, "year_review");
	assert_string_equal(p->initial, "draft");
	/* Registered like every process: the clock and the pipeline walk it. */
	assert_ptr_equal(lc_process_find("year_review"), p);
	static const char *const ok[][2] = {{"draft", "submitted"},
	                                    {"returned", "submitted"},
	                                    {"submitted", "returned"},
	                                    {"approved", "returned"},
	                                    {"submitted", "approved"}};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		assert_non_null(lc_wf_transition_find(p, ok[i][0], ok[i][1]));
	assert_null(lc_wf_transition_find(p, "draft", "approved"));
	assert_null(lc_wf_transition_find(p, "approved", "submitted"));
	assert_true(lc_wf_transition_find(p, "submitted", "returned")->flags & LC_WF_REASON);
	for (size_t i = 0; i < p->nstates; i++)
		assert_false(p->states[i].terminal);
}

/* The engine called directly (as a generic step route would) keeps the rules of the year. */
static void test_engine_keeps_rules(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor coord, admin;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	int64_t cork = fx_count(db, "SELECT id FROM cities WHERE slug = 'cork'");
	assert_int_equal(lc_db_begin(db), 0);
	assert_int_equal(lc_year_review_ensure(db, &coord, cork, 2026), 1);
	assert_int_equal(lc_year_review_ensure(db, &coord, cork, 2026), 0);
	assert_int_equal(lc_db_commit(db), 0);
	int64_t id = fx_count(db, "SELECT id FROM wf_items WHERE process = 'year_review'"
	                          " AND year = 2026");
	struct lc_diag d;
	lc_diag_init(&d);
	/* No value: the guard refuses the submission. */
	assert_int_equal(
	    lc_wf_take(db, &coord, &lc_year_review_process, id, "submitted", NULL, &d, NULL),
	    LC_EINVAL);
	assert_non_null(strstr(d.items[0].message, "no values"));
	assert_int_equal(put1(db, &coord, "cork", "1.1.1.a", "80"), 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM wf_items WHERE process = 'year_review'"
	                              " AND city_id = (SELECT id FROM cities WHERE slug = 'cork')"),
	                 2);
	assert_int_equal(lc_year_review_submit(db, &coord, "cork", 2025, &d), 0);
	int64_t y25 = fx_count(db, "SELECT id FROM wf_items WHERE process = 'year_review'"
	                           " AND year = 2025");
	/* A return without a reason and an approval by the coordinator: refused. */
	assert_int_equal(
	    lc_wf_take(db, &admin, &lc_year_review_process, y25, "returned", " ", &d, NULL),
	    LC_EINVAL);
	assert_int_equal(
	    lc_wf_take(db, &coord, &lc_year_review_process, y25, "approved", NULL, &d, NULL),
	    LC_EPERM);
	/* Whoever may see the year may read its history; others may not. */
	json_t *h = NULL;
	assert_int_equal(lc_wf_history_of(db, &coord, &lc_year_review_process, y25, 1, 0, &h), 0);
	assert_int_equal(json_integer_value(json_object_get(h, "total")), 2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(h, "item"), "title")),
	                    "Cork 2025");
	json_decref(h);
	struct lc_actor natcom;
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	assert_int_equal(lc_wf_history_of(db, &natcom, &lc_year_review_process, y25, 1, 0, &h),
	                 LC_EPERM);
	lc_diag_cleanup(&d);
}

/* A return's comment is a workflow reason: at most LC_LIMIT_REASON_BYTES. */
static void test_comment_limit(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor coord, admin;
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(put1(db, &coord, "cork", "1.1.1.a", "80"), 0);
	assert_int_equal(lc_year_review_submit(db, &coord, "cork", 2025, &d), 0);
	static char c[LC_LIMIT_REASON_BYTES + 2];
	memset(c, 'x', LC_LIMIT_REASON_BYTES + 1);
	assert_int_equal(lc_year_review_return(db, &admin, "cork", 2025, c, &d), LC_EINVAL);
	assert_string_equal(d.items[d.count - 1].field, "comment");
	assert_non_null(strstr(d.items[d.count - 1].message, "too long"));
	c[LC_LIMIT_REASON_BYTES] = '\0';
	assert_int_equal(lc_year_review_return(db, &admin, "cork", 2025, c, &d), 0);
	json_t *r = NULL;
	assert_int_equal(lc_year_review_get(db, &coord, "cork", 2025, &r), 0);
	assert_string_equal(json_string_value(json_object_get(r, "status")), "returned");
	assert_int_equal(strlen(json_string_value(json_object_get(r, "comment"))),
	                 LC_LIMIT_REASON_BYTES);
	json_decref(r);
	lc_diag_cleanup(&d);
}

/* Runs one statement of the migration test's set-up. */
static void exec(struct lc_db *db, const char *sql)
{
	assert_int_equal(lc_db_exec(db, sql), 0);
}

/*
 * Migration 0012 on a database written before it: every city-year and every
 * history row moves to the workflow (who, when, comment), the old tables are
 * gone, the module reads the years as before and takes the next step, and
 * the database check finds nothing wrong.
 */
static void test_migration(void **state)
{
	(void)state;
	struct lc_db *db = NULL;
	assert_int_equal(lc_db_open(":memory:", LC_DB_NO_MIGRATE, &db), 0);
	assert_int_equal(lc_db_migrate_to(db, 11), 0);
	assert_int_equal(lc_db_schema_version(db), 11);
	exec(db, "INSERT INTO countries (alpha2, alpha3, numeric, name, sort_key)"
	         " VALUES ('IE', 'IRL', 372, '{\"en\":\"Ireland\"}', '{\"en\":\"ireland\"}')");
	exec(db, "INSERT INTO cities (id, slug, name, search_key, sort_key, country, provenance)"
	         " VALUES (1, 'cork', '{\"en\":\"Cork\"}', 'cork', '{\"en\":\"cork\"}', 'IE',"
	         " 'verified'), (2, 'galway', '{\"en\":\"Galway\"}', 'galway',"
	         " '{\"en\":\"galway\"}', 'IE', 'verified')");
	exec(db, "INSERT INTO accounts (id, email, email_norm, name, status, created_at,"
	         " updated_at) VALUES (7, 'c@example.org', 'c@example.org', 'C', 'invited', 1, 1)");
	/* Cork 2024: approved. Cork 2025: returned with a comment. Galway 2025: a draft. */
	exec(db, "INSERT INTO report_years (city_id, year, status, comment, updated_at) VALUES"
	         " (1, 2024, 'approved', NULL, 1700000300),"
	         " (1, 2025, 'returned', 'Check 1.1.1.a', 1700001200),"
	         " (2, 2025, 'draft', NULL, 1700000500)");
	exec(db, "INSERT INTO report_history (city_id, year, from_status, to_status, comment,"
	         " actor_id, actor_email, at) VALUES"
	         " (1, 2024, NULL, 'draft', NULL, 7, 'c@example.org', 1700000100),"
	         " (1, 2025, NULL, 'draft', NULL, 7, 'c@example.org', 1700000150),"
	         " (1, 2024, 'draft', 'submitted', NULL, 7, 'c@example.org', 1700000200),"
	         " (1, 2024, 'submitted', 'approved', NULL, NULL, 'system', 1700000300),"
	         " (2, 2025, NULL, 'draft', NULL, NULL, 'anonymous', 1700000500),"
	         " (1, 2025, 'draft', 'submitted', NULL, 7, 'c@example.org', 1700001000),"
	         " (1, 2025, 'submitted', 'returned', 'Check 1.1.1.a', NULL, 'system',"
	         " 1700001200)");
	assert_int_equal(lc_db_migrate(db), 0);
	assert_int_equal(lc_db_schema_version(db), lc_db_schema_version_embedded());

	assert_int_equal(fx_count(db, "SELECT count(*) FROM sqlite_schema"
	                              " WHERE name IN ('report_years', 'report_history')"),
	                 0);
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM wf_items WHERE process = 'year_review'"), 3);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM wf_history"), 7);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM wf_items WHERE process = 'year_review'"
	                              " AND city_id = 1 AND year = 2025 AND state = 'returned'"
	                              " AND created_at = 1700000150 AND entered_at = 1700001200"),
	                 1);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM wf_history h JOIN wf_items w"
	                              " ON w.id = h.item_id WHERE w.city_id = 1 AND w.year = 2024"
	                              " AND h.transition = 'approve' AND h.actor_id IS NULL"
	                              " AND h.actor_email = 'system' AND h.at = 1700000300"),
	                 1);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM wf_history WHERE transition = 'create'"
	                              " AND from_state IS NULL AND to_state = 'draft'"),
	                 3);

	struct lc_actor sys;
	lc_actor_system(&sys);
	enum lc_year_review_state s;
	assert_int_equal(lc_year_review_state_get(db, 1, 2024, &s), 0);
	assert_int_equal(s, LC_YEAR_REVIEW_APPROVED);
	assert_int_equal(lc_year_review_state_get(db, 2, 2025, &s), 0);
	assert_int_equal(s, LC_YEAR_REVIEW_DRAFT);
	json_t *r = NULL;
	assert_int_equal(lc_year_review_get(db, &sys, "cork", 2025, &r), 0);
	assert_string_equal(json_string_value(json_object_get(r, "status")), "returned");
	assert_string_equal(json_string_value(json_object_get(r, "comment")), "Check 1.1.1.a");
	json_t *h = json_object_get(r, "history");
	assert_int_equal(json_array_size(h), 3);
	static const char *const to[] = {"draft", "submitted", "returned"};
	static const char *const at[] = {"2023-11-14T22:15:50Z", "2023-11-14T22:30:00Z",
	                                 "2023-11-14T22:33:20Z"};
	for (size_t i = 0; i < 3; i++) {
		json_t *e = json_array_get(h, i);
		assert_string_equal(json_string_value(json_object_get(e, "to")), to[i]);
		assert_string_equal(json_string_value(json_object_get(e, "at")), at[i]);
	}
	assert_string_equal(json_string_value(json_object_get(json_array_get(h, 0), "actor")),
	                    "c@example.org");
	assert_string_equal(json_string_value(json_object_get(json_array_get(h, 2), "comment")),
	                    "Check 1.1.1.a");
	json_decref(r);

	/* The moved years go on: the approved one is returned, and its history grows. */
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_year_review_return(db, &sys, "cork", 2024, "reopened", &d), 0);
	assert_int_equal(lc_year_review_approve(db, &sys, "galway", 2025, &d), LC_ECONFLICT);
	assert_int_equal(lc_year_review_get(db, &sys, "cork", 2024, &r), 0);
	assert_int_equal(json_array_size(json_object_get(r, "history")), 4);
	assert_string_equal(json_string_value(json_object_get(r, "status")), "returned");
	json_decref(r);
	/* One item per city-year, as the old primary key said. */
	assert_int_not_equal(lc_db_exec(db, "INSERT INTO wf_items (process, state, city_id, year,"
	                                    " created_at, entered_at) VALUES ('year_review',"
	                                    " 'draft', 1, 2024, 1, 1)"),
	                     0);
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(lc_db_check(db, &d), 0);
	assert_int_equal(lc_diag_total(&d), 0);
	lc_diag_cleanup(&d);
	lc_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_status_names),
	    cmocka_unit_test(test_process_table),
	    cmocka_unit_test(test_migration),
	    cmocka_unit_test_setup_teardown(test_engine_keeps_rules, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_comment_limit, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_review_path, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_queue_and_may, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_forbidden_transitions, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_approved_input, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
