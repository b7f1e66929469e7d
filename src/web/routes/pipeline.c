/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The pipeline of every workflow process (/admin/pipeline): for the
 * secretariat, how many cases wait in each state of each process, and the
 * cases whose deadline is nearest.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/workflow.h"
#include "web/routes/pipeline.h"
#include "web/routes/award_rounds.h"
#include "web/routes/applications.h"
#include "web/routes/label.h"
#include "web/routes/monitoring_review.h"
#include "web/routes/reports.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/platform/clock.h"
#include "domain/workflow/membership.h"
#include "domain/workflow/processes.h"
#include "domain/workflow/progress.h"
#include "domain/workflow/workflow.h"
#include "web/http.h"
#include "web/urlcodec.h"

/*
 * Every registered process's name and states for people, from the tables
 * its route group keeps (an application's "submitted" waits for the
 * National Commission). A process not listed is named as it is.
 */
static const struct {
	const char *process;
	const char *key;
	const struct lc_label *states;
} process_labels[] = {
    {"application", "process_application", lc_application_states},
    {"membership", "process_membership", lc_membership_states},
    {"report", "process_report", lc_reports_states},
    {"year_review", "process_year_review", lc_review_states},
    {"nomination", "process_nomination", lc_nomination_states},
    {"library", "process_library", lc_label_library_states},
    {"conference_registration", "process_conference_registration", lc_label_conf_reg_states},
    {"session_signup", "process_session_signup", lc_label_signup_states},
};

/* The index of the process named p in process_labels, or SIZE_MAX. */
static size_t labels_of_name(const char *p)
{
	for (size_t i = 0; p && i < sizeof process_labels / sizeof *process_labels; i++)
		if (strcmp(process_labels[i].process, p) == 0)
			return i;
	return SIZE_MAX;
}

static size_t labels_of(const struct lc_wf_process *p)
{
	return labels_of_name(p->name);
}

const struct lc_label *lc_pipeline_states(const char *process)
{
	size_t i = labels_of_name(process);
	return i == SIZE_MAX ? NULL : process_labels[i].states;
}

const char *lc_pipeline_state_label(struct lc_req *req, const char *process, const char *state)
{
	return lc_label_text(req, lc_pipeline_states(process), state);
}

const char *lc_pipeline_process_label(struct lc_req *req, const char *process)
{
	size_t i = labels_of_name(process);
	return i == SIZE_MAX ? (process ? process : "") : lc_site_t(req, process_labels[i].key);
}

static const char *process_state_label(struct lc_req *req, const struct lc_wf_process *p,
                                       const char *s)
{
	return lc_pipeline_state_label(req, p->name, s);
}

/* ---- the pipeline of every process ---------------------------------------- */

#define PIPELINE_ITEMS 10 /* the first open items of each process, overdue first */

static int process_json(struct lc_req *req, struct lc_db *db, const struct lc_wf_process *p,
                        json_t **out)
{
	struct lc_wf_query q = {.waiting_only = true, .per_page = PIPELINE_ITEMS};
	int64_t *ids = NULL;
	size_t n = 0;
	long total = 0;
	json_t *by = NULL;
	int err = lc_wf_list(db, p, &q, &ids, &n, &total, NULL);
	if (err)
		return err;
	/* Counts of every state, closed ones too. */
	struct lc_wf_query all_q = {.per_page = 1};
	int64_t *one = NULL;
	size_t n1 = 0;
	long t1 = 0;
	err = lc_wf_list(db, p, &all_q, &one, &n1, &t1, &by);
	lc_free(one);
	if (err) {
		lc_free(ids);
		return err;
	}
	json_t *states = json_array(), *items = json_array();
	long all = 0;
	for (size_t i = 0; i < p->nstates; i++) {
		json_int_t c = json_integer_value(json_object_get(by, p->states[i].name));
		all += (long)c;
		json_array_append_new(
		    states, json_pack("{s:s, s:s, s:I, s:b}", "state", p->states[i].name, "label",
		                      process_state_label(req, p, p->states[i].name), "count", c,
		                      "terminal", p->states[i].terminal));
	}
	long overdue = 0;
	int64_t now = lc_clock_now();
	for (size_t i = 0; !err && i < n; i++) {
		struct lc_wf_item it;
		err = lc_wf_get(db, p, ids[i], &it);
		if (err)
			break;
		char title[200], href[96], due[11] = "";
		lc_wf_title(db, &it, title, sizeof title);
		lc_wf_path(db, &it, href, sizeof href);
		lc_wf_due_day(&it, due);
		bool late = lc_wf_overdue(&it, now);
		overdue += late;
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "id",
		                                       (json_int_t)it.id, "title", title, "href",
		                                       href, "state", it.state, "state_label",
		                                       process_state_label(req, p, it.state), "due",
		                                       due, "overdue", late));
	}
	lc_free(ids);
	json_decref(by);
	if (err) {
		json_decref(states);
		json_decref(items);
		return err;
	}
	size_t li = labels_of(p);
	const char *label = li == SIZE_MAX ? p->name : lc_site_t(req, process_labels[li].key);
	*out = json_pack("{s:s, s:s, s:o, s:o, s:I, s:I, s:I, s:b}", "name", p->name, "label",
	                 label, "states", states, "items", items, "total", (json_int_t)all, "open",
	                 (json_int_t)total, "overdue", (json_int_t)overdue, "has_open", total > 0);
	json_object_set_new(*out, "has_overdue", json_boolean(overdue > 0));
	return 0;
}

static int route_admin_pipeline(struct lc_req *req, struct lc_resp *resp)
{
	size_t np;
	const struct lc_wf_process *const *procs = lc_processes(&np);
	json_t *list = json_array();
	struct lc_db *db = NULL;
	int err = lc_authz_check(lc_auth_actor(req), LC_ACT_VIEW_ADMIN, NULL);
	/* Members from before the workflow get their lifecycle item (as the system) first. */
	if (!err)
		err = lc_site_db(req, &db);
	if (!err)
		err = lc_membership_sync(db, NULL);
	lc_site_db_release(req, db);
	db = NULL;
	if (!err)
		err = lc_site_db_read(req, &db);
	for (size_t i = 0; !err && i < np; i++) {
		json_t *p = NULL;
		err = process_json(req, db, procs[i], &p);
		if (!err)
			json_array_append_new(list, p);
	}
	lc_site_db_read_end(req, db);
	if (!err) {
		json_t *vm = json_pack("{s:O}", "processes", list);
		err = lc_site_page(req, resp, "pipeline", lc_site_t(req, "pipeline_title"),
		                   "pipeline", vm, NULL);
		json_decref(vm);
	}
	json_decref(list);
	return lc_auth_fail(req, resp, err);
}

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/admin/pipeline", route_admin_pipeline, NULL, 0, LC_ROUTE_LOGIN | A(VIEW_ADMIN),
     NULL},
};

#undef A

LC_ROUTE_GROUP(pipeline, rows);
