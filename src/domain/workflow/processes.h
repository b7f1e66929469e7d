/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The registry of workflow processes (domain/workflow/workflow.h): every process
 * table of the product, so that the clock (lc_wf_tick, run by the server
 * and by `learncity workflow tick`) serves them all. A new process adds
 * its table here; it owns nothing else.
 */
#ifndef LC_PROCESSES_H
#define LC_PROCESSES_H

#include <stddef.h>

#include "domain/workflow/workflow.h"

/* The registered processes; *n gets their number. Static, never NULL. */
const struct lc_wf_process *const *lc_processes(size_t *n);

/* The process of that name, or NULL. */
const struct lc_wf_process *lc_process_find(const char *name);

#endif
