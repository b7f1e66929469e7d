/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What the membership applications (applications.c) lend the pipeline page: the states' labels. */
#ifndef LC_APPLICATIONS_H
#define LC_APPLICATIONS_H

#include "web/routes/label.h"

/* The states of an application and their catalogue keys ("awaiting the National Commission"). */
extern const struct lc_label lc_application_states[];

#endif
