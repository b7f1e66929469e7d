/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A conference programme's exports beside the iCalendar and Frab ones
 * (programme.c): the Atom feed of the changelog. Each reads the released
 * programme through domain/conference/programme.h and writes through a
 * formats/ writer; none writes to the database.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "domain/conference/event.h"
#include "domain/conference/programme.h"
#include "formats/ical.h"
#include "formats/programme_atom.h"
#include "web/http.h"
#include "web/router.h"

static const struct lc_param_spec slug_param[] = {
    {.name = "slug",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_CONF_SLUG},
    {.name = NULL},
};

/* What a writer needs of the conference, in the request's language. */
static struct lc_prog_export export_of(const struct lc_req *req, const struct lc_conf_event *e)
{
	const struct lc_app *app = req->app;
	return (struct lc_prog_export){
	    .slug = e->slug,
	    .title = lc_prog_tr(e->title, req->lang),
	    .timezone = e->timezone,
	    .start_date = e->start_date,
	    .end_date = e->end_date,
	    .lang = req->lang,
	    .base_url = app ? app->base_url : NULL,
	};
}

static int route_atom(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	struct lc_conf_event e = {0};
	json_t *log = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (!err)
		err = lc_prog_changelog(db, &e, req->lang, &log);
	lc_site_db_read_end(req, db);
	if (!err) {
		struct lc_prog_export x = export_of(req, &e);
		struct lc_prog_atom_words w = {
		    .feed_title = lc_site_t(req, "prog_changelog_title"),
		    .version = lc_site_t(req, "prog_version"),
		    .first = lc_site_t(req, "prog_first_release"),
		    .moved = lc_site_t(req, "prog_moved"),
		    .cancelled = lc_site_t(req, "prog_cancelled_list"),
		    .renamed = lc_site_t(req, "prog_renamed"),
		    .added = lc_site_t(req, "prog_new"),
		};
		struct lc_buf b;
		lc_buf_init(&b, LC_LIMIT_PROG_EXPORT_BYTES);
		err = lc_prog_atom(log, &x, &w, &b);
		if (!err)
			lc_resp_text(resp, "application/atom+xml; charset=utf-8", lc_buf_cstr(&b),
			             strlen(lc_buf_cstr(&b)));
		lc_buf_cleanup(&b);
	}
	json_decref(log);
	lc_conf_event_cleanup(&e);
	return err;
}

static const struct lc_route rows[] = {
    LC_SITE_CACHED("/conferences/{slug}/changelog.atom", route_atom, slug_param),
};

LC_ROUTE_GROUP(programme_export, rows);
