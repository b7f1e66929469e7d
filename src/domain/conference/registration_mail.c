/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A registration's own e-mails (registration.h): confirmation (with the
 * registration as an .ics attachment), waiting list, offer (the hold's end
 * in the conference's local time, written the reader's way), rejection with
 * its reason, and the reminder before the conference. Each is queued
 * through the outbox in the step's transaction, in the recipient's language.
 */
#include "domain/conference/registration.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/conference/event.h"
#include "domain/platform/audit.h"
#include "domain/platform/clock.h"
#include "domain/platform/outbox.h"
#include "domain/platform/text.h"
#include "formats/ical.h"

/* The mail kind of each state a person hears of (literal kinds, see mail.c). */
static const struct {
	const char *state, *kind;
} kinds[] = {
    {"approved", "conf_reg_confirmed"},
    {"waitlisted", "conf_reg_waitlisted"},
    {"offered", "conf_reg_offered"},
    {"rejected", "conf_reg_rejected"},
};

static const char *text_in(const json_t *obj, const char *lang)
{
	const char *s = json_string_value(json_object_get(obj, lang));
	return s && *s ? s : json_string_value(json_object_get(obj, "en"));
}

/* Queues kind to the registration's person; with the .ics when ics is set. */
static int send(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *kind,
                const char *reason, bool ics)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT r.email, r.name, e.slug, r.offer_until, c.name"
	        " FROM conference_registrations r JOIN conference_events e ON e.id = r.event_id"
	        " JOIN conference_categories c ON c.id = r.category_id WHERE r.item_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	char email[LC_LIMIT_EMAIL_BYTES + 1] = "", slug[LC_LIMIT_CONF_SLUG + 1] = "";
	char name[LC_LIMIT_CONF_ANSWER_BYTES + 1] = "";
	int64_t until = 0;
	json_t *cname = NULL;
	if (rc == 1) {
		snprintf(email, sizeof email, "%s", lc_db_text(st, 0) ? lc_db_text(st, 0) : "");
		snprintf(name, sizeof name, "%s", lc_db_text(st, 1) ? lc_db_text(st, 1) : "");
		snprintf(slug, sizeof slug, "%s", lc_db_text(st, 2) ? lc_db_text(st, 2) : "");
		until = sqlite3_column_int64(st, 3);
		cname = json_loads(lc_db_text(st, 4) ? lc_db_text(st, 4) : "{}", 0, NULL);
	}
	lc_db_release(db, st);
	if (rc <= 0)
		return rc < 0 ? rc : LC_ENOTFOUND;
	char lang[16];
	struct lc_conf_event e;
	memset(&e, 0, sizeof e);
	int err = lc_outbox_lang(db, email, lang, sizeof lang);
	if (!err)
		err = lc_conf_event_load(db, slug, &e);
	json_t *vars = NULL;
	struct lc_buf cal;
	lc_buf_init(&cal, LC_LIMIT_MAIL_ATTACHMENT_BYTES);
	if (err)
		goto out;
	const char *l = lc_text_lang(lang);
	const char *title = text_in(e.title, l);
	const char *venue = text_in(json_object_get(e.venue, "name"), l);
	const char *category = text_in(cname, l);
	char path[LC_LIMIT_CONF_SLUG + 64];
	snprintf(path, sizeof path, "/conferences/%s/registrations/%lld", slug, (long long)id);
	vars = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name", name, "conference",
	                 title ? title : slug, "category", category ? category : "", "start_date",
	                 e.start_date, "end_date", e.end_date, "venue", venue ? venue : "", "path",
	                 path);
	if (reason)
		json_object_set_new(vars, "reason", json_string(reason));
	if (until > 0) {
		/* The hold's end where the conference is, its date the reader's way. */
		char day[11], hm[6];
		if (lc_ical_local(e.timezone, until, day, hm) == 0) {
			json_object_set_new(vars, "offer_until_date", json_string(day));
			json_object_set_new(vars, "offer_until_time", json_string(hm));
			json_object_set_new(vars, "timezone", json_string(e.timezone));
		}
	}
	int64_t mid = 0;
	err = lc_outbox_mail(db, actor, email, kind, vars, NULL, &mid);
	if (!err && ics) {
		struct lc_ical_registration r = {.id = id,
		                                 .title = title ? title : slug,
		                                 .start_date = e.start_date,
		                                 .end_date = e.end_date,
		                                 .location = venue,
		                                 .summary = category,
		                                 .url = path,
		                                 .dtstamp = lc_clock_now()};
		err = lc_ical_registration(&r, &cal);
		if (!err)
			err = lc_outbox_attach(db, mid, "registration.ics", "text/calendar",
			                       cal.data, cal.len);
	}
out:
	lc_buf_cleanup(&cal);
	json_decref(vars);
	json_decref(cname);
	lc_conf_event_cleanup(&e);
	return err;
}

int lc_conf_reg_mail(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *state,
                     const char *reason)
{
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (strcmp(state, kinds[i].state) == 0)
			return send(db, actor, id, kinds[i].kind, reason,
			            strcmp(state, "approved") == 0);
	return 0;
}

int lc_conf_reg_remind(struct lc_db *db, const struct lc_actor *actor, const char *slug, long *sent)
{
	*sent = 0;
	int err = lc_authz_check(actor, LC_ACT_MANAGE_CONFERENCE, NULL);
	if (err)
		return err;
	struct lc_conf_event e;
	err = lc_conf_event_load(db, slug, &e);
	if (err)
		return err;
	int64_t event_id = e.id;
	lc_conf_event_cleanup(&e);
	err = lc_db_begin(db);
	if (err)
		return err;
	/* Approved people with an account who have had no reminder, by id: each once. */
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT r.item_id FROM conference_registrations r"
	                                  " JOIN wf_items w ON w.id = r.item_id"
	                                  " WHERE r.event_id = ?1 AND w.state = 'approved'"
	                                  " AND w.owner_id IS NOT NULL AND r.reminded_at IS NULL"
	                                  " ORDER BY r.item_id");
	json_t *ids = json_array();
	if (!st) {
		err = LC_EDB;
	} else {
		sqlite3_bind_int64(st, 1, event_id);
		int rc;
		while ((rc = lc_db_step(db, st)) == 1)
			json_array_append_new(ids, json_integer(sqlite3_column_int64(st, 0)));
		lc_db_release(db, st);
		err = rc < 0 ? rc : 0;
	}
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v)
	{
		if (err)
			break;
		int64_t id = (int64_t)json_integer_value(v);
		err = send(db, actor, id, "conf_reg_reminder", NULL, false);
		sqlite3_stmt *up =
		    err ? NULL
		        : lc_db_stmt(db, "UPDATE conference_registrations SET reminded_at = ?2"
		                         " WHERE item_id = ?1");
		if (!err && !up)
			err = LC_EDB;
		if (!err) {
			sqlite3_bind_int64(up, 1, id);
			sqlite3_bind_int64(up, 2, lc_clock_now());
			int rc = lc_db_step(db, up);
			lc_db_release(db, up);
			err = rc < 0 ? rc : 0;
		}
	}
	if (!err) {
		json_t *after = json_pack("{s:s, s:I}", "conference", slug, "reminded",
		                          (json_int_t)json_array_size(ids));
		err = lc_audit_append_id(db, actor, "conference.remind", "conference", event_id,
		                         NULL, after, NULL);
		json_decref(after);
	}
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	else
		*sent = (long)json_array_size(ids);
	json_decref(ids);
	return err;
}
