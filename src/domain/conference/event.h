/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A conference run in learncity (migration 0014): the row that registration,
 * the programme and check-in hang on, found by its slug. The facts of the
 * past ICLCs stay in conference.h.
 */
#ifndef LC_CONFERENCE_EVENT_H
#define LC_CONFERENCE_EVENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/limits.h"

struct lc_db;

struct lc_conf_event {
	int64_t id;
	char slug[LC_LIMIT_CONF_SLUG + 1];
	long number;         /* the ICLC it is, or 0 */
	char start_date[11]; /* ISO days, local to the venue */
	char end_date[11];
	char timezone[LC_LIMIT_CONF_TIMEZONE + 1]; /* IANA name */
	int64_t city_id;                           /* 0 when none */
	bool demo;
	json_t *title;     /* {"en": ..., ...}, owned */
	json_t *venue;     /* {"name": {"en": ...}, "address": ...}, owned */
	json_t *languages; /* ["en", ...], owned */
};

void lc_conf_event_cleanup(struct lc_conf_event *e);

/* The conference of this slug. LC_ENOTFOUND (also for a slug that cannot be one), LC_EDB. */
int lc_conf_event_load(struct lc_db *db, const char *slug, struct lc_conf_event *out);

/*
 * Its public view: {"id", "slug", "number", "title" (in lang, English
 * fallback), "start_date", "end_date", "timezone", "venue": {"name",
 * "address"}, "city": {"slug", "name"} | null, "languages", "demo"}.
 * Caller owns *out. LC_ENOTFOUND, LC_EDB.
 */
json_t *lc_conf_event_json(const struct lc_conf_event *e, const char *lang);

/* Every conference run here, soonest first, each as lc_conf_event_json. 0 or LC_EDB. */
int lc_conf_event_list(struct lc_db *db, const char *lang, json_t **out);

/*
 * The demonstration conference "demo-conference", dated from today (four
 * months ahead, three days), in the six languages, when it is not there yet.
 * Runs inside the demo's transaction. 0 or LC_EDB.
 */
int lc_conf_event_demo(struct lc_db *db);

#define LC_CONF_EVENT_DEMO_SLUG "demo-conference"

#endif
