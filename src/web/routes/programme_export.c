/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A conference programme's exports beside the iCalendar and Frab ones
 * (programme.c): the Atom feed of the changelog, the printable PDF of a
 * released version, and the organisers' CSV and XLSX of the work in
 * progress's sessions. Each reads through domain/conference/programme.h and
 * writes through a formats/ writer (or download.h); none writes to the
 * database.
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/download.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "domain/conference/event.h"
#include "domain/conference/programme.h"
#include "formats/ical.h"
#include "formats/programme_atom.h"
#include "formats/programme_pdf.h"
#include "web/http.h"
#include "web/router.h"

static const struct lc_param_spec slug_param[] = {
    {.name = "slug",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_CONF_SLUG},
    {.name = NULL},
};

static const struct lc_param_spec pdf_params[] = {
    {.name = "slug",
     .source = LC_PARAM_PATH,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_CONF_SLUG},
    {.name = "version",
     .source = LC_PARAM_QUERY,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_PROG_VERSION_NAME},
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

/* A released version (the newest, or ?version=) as a printable A4 PDF. */
static int route_pdf(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	struct lc_conf_event e = {0};
	json_t *vm = NULL;
	const char *version = lc_req_str(req, "version");
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (!err) {
		struct lc_prog_filter f = {0};
		err =
		    lc_prog_view(db, &e, version && *version ? version : NULL, req->lang, &f, &vm);
	}
	lc_site_db_read_end(req, db);
	if (!err) {
		struct lc_prog_pdf_words w = {
		    .heading = lc_site_t(req, "prog_title"),
		    .version = lc_site_t(req, "prog_version"),
		    .times_in = lc_site_t(req, "prog_times_in"),
		    .off_site = lc_site_t(req, "prog_off_site"),
		    .cancelled = lc_site_t(req, "prog_cancelled"),
		    .chair = lc_site_t(req, "prog_chair"),
		};
		struct lc_buf b;
		lc_buf_init(&b, LC_LIMIT_PROG_EXPORT_BYTES);
		err = lc_prog_pdf(vm, &w, &b);
		if (!err) {
			size_t n = 0;
			char *pdf = lc_buf_steal(&b, &n);
			lc_resp_text(resp, "application/pdf", pdf, n);
			lc_free(pdf);
			char cd[160];
			snprintf(cd, sizeof cd, "inline; filename=\"%s-programme.pdf\"", e.slug);
			err = lc_resp_header(resp, "Content-Disposition", cd);
		}
		lc_buf_cleanup(&b);
	}
	json_decref(vm);
	lc_conf_event_cleanup(&e);
	return err;
}

/*
 * The organisers' list of the work in progress's sessions, one row each
 * with what a spreadsheet needs (names, not ids), for the CSV and XLSX
 * downloads; in time order, as the editor shows them.
 */
static int load_sessions(struct lc_req *req, struct lc_db *db, json_t **vm, struct lc_diag *d)
{
	(void)d;
	struct lc_conf_event e;
	json_t *draft = NULL;
	int err = lc_conf_event_load(db, lc_req_str(req, "slug"), &e);
	if (err)
		return err;
	err = lc_prog_draft(db, &lc_auth_user(req)->actor, &e, &draft);
	lc_conf_event_cleanup(&e);
	if (err)
		return err;
	json_t *items = json_array();
	size_t i;
	const json_t *s;
	json_array_foreach(json_object_get(draft, "sessions"), i, s)
	{
		json_t *row = lc_prog_session_json(draft, s, req->lang);
		json_t *names = json_array();
		size_t k;
		const json_t *p;
		json_array_foreach(json_object_get(row, "speakers"), k, p)
		{
			const char *native = json_string_value(json_object_get(p, "name_native"));
			const char *name = json_string_value(json_object_get(p, "name"));
			json_array_append_new(
			    names, native && *native
			               ? json_sprintf("%s (%s)", name ? name : "", native)
			               : json_string(name ? name : ""));
		}
		json_object_set_new(row, "speaker_names", names);
		json_array_append_new(items, row);
	}
	json_decref(draft);
	*vm = json_pack("{s:o}", "items", items);
	return 0;
}

static const struct lc_site_column session_columns[] = {
    {"id", "prog_x_id"},
    {"day", "prog_x_day"},
    {"time", "prog_start"},
    {"end_time", "prog_x_end"},
    {"duration", "prog_duration"},
    {"room.name", "prog_room"},
    {"track.name", "prog_track"},
    {"type.name", "prog_type"},
    {"title", "prog_x_title"},
    {"speaker_names", "prog_speakers_title"},
    {"chair.name", "prog_chair"},
    {"languages", "prog_language"},
    {"cancelled", "prog_cancelled"},
    {0},
};
static const struct lc_download sessions_download = {
    .load = load_sessions, .columns = session_columns, .file = "programme-sessions"};

static const struct lc_route rows[] = {
    LC_SITE_CACHED("/conferences/{slug}/changelog.atom", route_atom, slug_param),
    LC_SITE_CACHED("/conferences/{slug}/programme.pdf", route_pdf, pdf_params),
    LC_DOWNLOADS("/conferences/{slug}/programme/sessions", &sessions_download, slug_param,
                 LC_ROUTE_LOGIN | LC_ROUTE_ACTION(LC_ACT_EDIT_PROGRAMME)),
};

LC_ROUTE_GROUP(programme_export, rows);
