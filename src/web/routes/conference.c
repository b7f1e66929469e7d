/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The International Conferences on Learning Cities: /conferences and /api/v1/conferences. */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"

#include "domain/conference/conference.h"
#include "domain/conference/event.h"

/* The six ICLCs, and the conferences run here ("events": event.h's list). */
static int load_conferences(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	json_t *past = NULL, *here = NULL;
	int err = lc_conference_list(db, req->lang, &past);
	if (!err)
		err = lc_conf_event_list(db, req->lang, &here);
	if (!err)
		*vm = json_pack("{s:o, s:o, s:b}", "conferences", past, "events", here,
		                "has_events", json_array_size(here) > 0);
	else
		json_decref(past);
	return err;
}

static const struct lc_site_view conferences = {
    .load = load_conferences,
    .tpl = "conferences",
    .title_key = "conferences_title",
    .nav = "conferences",
    .cached = true,
};

/* ---- the routes ---- */

#define A(x) LC_ROUTE_ACTION(LC_ACT_##x)

static const struct lc_route rows[] = {
    LC_SITE_VIEW("/conferences", &conferences, NULL, 0),
};

#undef A

LC_ROUTE_GROUP(conference, rows);
