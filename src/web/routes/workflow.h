/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The routes of any workflow process (domain/workflow.h), served by one set
 * of handlers: the step endpoints (POST .../transitions, the page form and
 * its /api/v1 JSON twin) and the paged history (page and JSON). A route
 * row names the handler and, as its data, the process's struct lc_wf_route:
 * the process table, the catalogue keys of its states and steps (literal,
 * one table each), and the few calls that differ from one process to
 * another (how the path names the case, the domain's take, the case's
 * JSON, its page). The route groups of the processes (reports.c,
 * applications.c) hold those rows; this file knows no process.
 */
#ifndef LC_WF_ROUTES_H
#define LC_WF_ROUTES_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "web/router.h"
#include "web/routes/label.h"

struct lc_actor;
struct lc_db;
struct lc_diag;
struct lc_req;
struct lc_resp;
struct lc_wf_process;

struct lc_wf_route {
	const struct lc_wf_process *process;
	const struct lc_label *states; /* every state of the process */
	const struct lc_label *steps;  /* every transition name, and "create" */
	/*
	 * The case the request's path names: its {id}, or (membership) the
	 * item of the city {slug}. 0 with *id set, LC_ENOTFOUND, LC_EDB.
	 */
	int (*locate)(struct lc_req *req, struct lc_db *db, int64_t *id);
	/*
	 * Takes step to on case id through the domain (which checks the caller
	 * and the case), for the request (a case its path names by more than
	 * an id reads it there): link is the value of link_field, or NULL. 0 or
	 * the domain's error, with the user's problems in d.
	 */
	int (*take)(struct lc_req *req, struct lc_db *db, const struct lc_actor *actor, int64_t id,
	            const char *to, const char *reason, const char *link, struct lc_diag *d);
	/* The case as the API answers it after a step (caller owns *out). */
	int (*view)(struct lc_req *req, struct lc_db *db, int64_t id, json_t **out);
	/* An extra text field of the step ("link_city"), form field and JSON member; or NULL. */
	const char *link_field;
	/*
	 * The step the route's path names ("/approve"), or NULL: the form's or
	 * the body's "to". With a step, the API reads a JSON body only when the
	 * step requires a reason (the process table says), and needs no "to".
	 */
	const char *step;
	/* The name of the reason, form field and JSON member: NULL means "reason". */
	const char *reason_field;
	/*
	 * Optional: the case's wf_items id for its history, when the path does
	 * not give it as {id}. 0 with *id set, LC_ENOTFOUND, LC_EDB.
	 */
	int (*item)(struct lc_req *req, struct lc_db *db, int64_t *id);
	/*
	 * Optional: answers a refused API step (LC_EINVAL 422, else 409) with
	 * the problems of d; NULL: the first problem as the error's message.
	 * Returns what the handler returns.
	 */
	int (*refused_api)(struct lc_req *req, struct lc_resp *resp, int status,
	                   const struct lc_diag *d);
	/* The page form must carry confirm=1 (a box the person ticks). */
	bool confirm;
	/*
	 * Answers a refused page step at status: the case's page with the
	 * problems of d, or (d NULL) the missing confirmation. Returns what the
	 * handler returns.
	 */
	int (*refused)(struct lc_req *req, struct lc_resp *resp, int64_t id, int status,
	               const struct lc_diag *d);
	/* Where a taken page step goes (in the request's arena): the case's page, say. */
	const char *(*done)(struct lc_req *req, int64_t id, const char *to);
};

/*
 * The page form of a step, for every process: to, reason, confirm, the
 * link fields (an approval's link_city) and csrf; what a process does not
 * use (its route has no link_field, no confirm) never reaches it.
 * lc_wf_step_params has the path's {id} too, for the processes whose cases
 * are addressed by it; lc_wf_case_step_params is for a case the path names
 * otherwise (a city's membership by its {slug}).
 */
extern const struct lc_param_spec lc_wf_step_params[];
extern const struct lc_param_spec lc_wf_case_step_params[];
/* POST .../transitions, the page form {to, reason, [link_field], [confirm], csrf}. */
int lc_wf_route_step(struct lc_req *req, struct lc_resp *resp);
/*
 * POST /api/v1/.../transitions, the JSON {"to", "reason"?, [link_field]?}
 * (with a route's step: no "to", and its reason_field): 200 the case.
 */
int lc_wf_route_api_step(struct lc_req *req, struct lc_resp *resp);
/* GET .../history and /api/v1/.../history: the case's whole history, paged (the route's item). */
extern const struct lc_param_spec lc_wf_history_params[]; /* {id} and the page */
int lc_wf_route_history(struct lc_req *req, struct lc_resp *resp);
int lc_wf_route_api_history(struct lc_req *req, struct lc_resp *resp);

/*
 * For a case's page: sets step_label, to_label and from_label on every entry
 * of vm["history"] (the partial "partials/history" draws them) and
 * vm["history_href"], the address of the whole history.
 */
void lc_wf_route_label_history(struct lc_req *req, const struct lc_wf_route *r, json_t *vm);

#endif
