/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Shared between programme.c and programme_release.c; not for other modules. */
#ifndef LC_PROGRAMME_INTERNAL_H
#define LC_PROGRAMME_INTERNAL_H

#include <stdint.h>

#include <jansson.h>

struct lc_db;

/* The work in progress of conference event_id as a document (programme.h). 0 or LC_EDB. */
int lc_prog_doc(struct lc_db *db, int64_t event_id, json_t **out);

#endif
