/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The registry of workflow processes (see processes.h). */
#include "domain/workflow/processes.h"

#include <string.h>

#include "domain/monitoring/year_review.h"
#include "domain/award/nomination.h"
#include "domain/library/library.h"
#include "domain/conference/programme.h"
#include "domain/conference/registration.h"
#include "domain/workflow/application.h"
#include "domain/workflow/membership.h"
#include "domain/workflow/progress.h"

/* Add each process's table here (its module declares it in its header). */
static const struct lc_wf_process *const all[] = {
    &lc_application_process, /* application.h: a city's application for membership */
    &lc_membership_process,  /* membership.h: a member city's lifecycle */
    &lc_progress_process,    /* progress.h: the biennial progress report */
    &lc_year_review_process, /* monitoring/year_review.h: the review of a city's data year */
    &lc_nomination_process,  /* award/nomination.h: a city's nomination for the award */
    &lc_library_process,     /* library/library.h: a case study's curation */
    &lc_conf_reg_process,    /* conference/registration.h: a person's conference registration */
    &lc_prog_signup_process, /* conference/programme.h: a participant's sign-up for a session */
    NULL,                    /* last, and keeps the array non-empty; not counted */
};

const struct lc_wf_process *const *lc_processes(size_t *n)
{
	*n = sizeof all / sizeof *all - 1;
	return all;
}

const struct lc_wf_process *lc_process_find(const char *name)
{
	size_t n;
	const struct lc_wf_process *const *p = lc_processes(&n);
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(p[i]->name, name) == 0)
			return p[i];
	return NULL;
}
