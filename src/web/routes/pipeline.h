/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What the pipeline (pipeline.c) lends the home page: every registered
 * process's name and states for people, from the label tables their route
 * groups keep.
 */
#ifndef LC_PIPELINE_H
#define LC_PIPELINE_H

struct lc_req;
struct lc_label;

/* The label table of the states of the process named process, or NULL. */
const struct lc_label *lc_pipeline_states(const char *process);
/* State state of the process named process, in the request's language (else state itself). */
const char *lc_pipeline_state_label(struct lc_req *req, const char *process, const char *state);
/* The process's name for people ("Biennial progress reports"), else its name. */
const char *lc_pipeline_process_label(struct lc_req *req, const char *process);

#endif
