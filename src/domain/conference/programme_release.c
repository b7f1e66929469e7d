/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The programme's releases (programme.h): freezing the work in progress,
 * SEQUENCE numbers, what changed between releases, the one e-mail per person
 * per release, the editor's warnings, and favourites.
 */
#include "domain/conference/programme.h"

#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/conference/event.h"
#include "domain/conference/programme_internal.h"
#include "domain/conference/programme_cache.h"
#include "domain/platform/audit.h"
#include "domain/platform/clock.h"
#include "domain/platform/outbox.h"
#include "domain/platform/row.h"

/* ---- comparing documents ----------------------------------------------- */

static bool same_member(const json_t *a, const json_t *b, const char *key)
{
	const json_t *x = json_object_get(a, key), *y = json_object_get(b, key);
	if (!x || json_is_null(x))
		return !y || json_is_null(y);
	return y && json_equal((json_t *)x, (json_t *)y);
}

/* A change of time, length, room or cancellation: what a calendar must be told of. */
static bool material(const json_t *a, const json_t *b)
{
	return !same_member(a, b, "start") || !same_member(a, b, "duration") ||
	       !same_member(a, b, "room") || !same_member(a, b, "cancelled");
}

/* Sets each session's "sequence" in doc from its previous release prev (NULL: none). */
static void sequence(const json_t *prev, json_t *doc)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(doc, "sessions"), i, s)
	{
		const json_t *p = lc_prog_find(json_object_get(prev, "sessions"),
		                               json_integer_value(json_object_get(s, "id")), NULL);
		json_int_t seq = p ? json_integer_value(json_object_get(p, "sequence")) : 0;
		if (p && material(p, s))
			seq++;
		json_object_set_new(s, "sequence", json_integer(seq));
	}
}

/* "2027-04-09T10:00" as "2027-04-09 10:00". */
static json_t *when(const json_t *s)
{
	const char *t = json_string_value(json_object_get(s, "start"));
	char out[17];
	snprintf(out, sizeof out, "%s", t ? t : "");
	if (strlen(out) == 16)
		out[10] = ' ';
	return json_string(out);
}

static json_t *room_name(const json_t *doc, const json_t *s, const char *lang)
{
	const json_t *r = lc_prog_find(json_object_get(doc, "rooms"),
	                               json_integer_value(json_object_get(s, "room")), NULL);
	return r ? json_string(lc_prog_tr(json_object_get(r, "name"), lang)) : json_null();
}

static json_t *brief(const json_t *doc, const json_t *s, const char *lang)
{
	return json_pack("{s:O, s:s, s:O, s:o, s:o}", "id", json_object_get(s, "id"), "title",
	                 lc_prog_tr(json_object_get(s, "title"), lang), "start",
	                 json_object_get(s, "start"), "when", when(s), "room",
	                 room_name(doc, s, lang));
}

json_t *lc_prog_changes(const json_t *old_doc, const json_t *new_doc, const char *lang)
{
	json_t *added = json_array(), *cancelled = json_array(), *moved = json_array(),
	       *renamed = json_array();
	size_t i;
	const json_t *s;
	json_array_foreach(json_object_get(new_doc, "sessions"), i, s)
	{
		const json_t *o =
		    old_doc ? lc_prog_find(json_object_get(old_doc, "sessions"),
		                           json_integer_value(json_object_get(s, "id")), NULL)
		            : NULL;
		bool now_off = json_is_true(json_object_get(s, "cancelled"));
		if (!o) {
			if (!now_off)
				json_array_append_new(added, brief(new_doc, s, lang));
			continue;
		}
		bool was_off = json_is_true(json_object_get(o, "cancelled"));
		if (now_off) {
			if (!was_off)
				json_array_append_new(cancelled, brief(new_doc, s, lang));
			continue;
		}
		if (was_off) { /* reinstated: new again to whoever reads the changelog */
			json_array_append_new(added, brief(new_doc, s, lang));
			continue;
		}
		if (!same_member(o, s, "start") || !same_member(o, s, "room") ||
		    !same_member(o, s, "duration")) {
			json_t *b = brief(new_doc, s, lang);
			json_object_set_new(b, "old_start",
			                    json_incref(json_object_get(o, "start")));
			json_object_set_new(b, "old_when", when(o));
			json_object_set_new(b, "old_room", room_name(old_doc, o, lang));
			json_object_set(b, "old_duration", json_object_get(o, "duration"));
			json_object_set(b, "duration", json_object_get(s, "duration"));
			json_array_append_new(moved, b);
		}
		if (!same_member(o, s, "title")) {
			json_t *b = brief(new_doc, s, lang);
			json_object_set_new(
			    b, "old_title",
			    json_string(lc_prog_tr(json_object_get(o, "title"), lang)));
			json_array_append_new(renamed, b);
		}
	}
	size_t n = json_array_size(added) + json_array_size(cancelled) + json_array_size(moved) +
	           json_array_size(renamed);
	return json_pack("{s:o, s:o, s:o, s:o, s:I}", "new", added, "cancelled", cancelled, "moved",
	                 moved, "renamed", renamed, "count", (json_int_t)n);
}

/* ---- warnings ------------------------------------------------------------ */

static bool overlap(const json_t *a, const json_t *b)
{
	const char *sa = json_string_value(json_object_get(a, "start"));
	const char *sb = json_string_value(json_object_get(b, "start"));
	if (!sa || !sb || strncmp(sa, sb, 10) != 0)
		return false;
	long a0 = lc_prog_minutes(sa), b0 = lc_prog_minutes(sb);
	long a1 = a0 + (long)json_integer_value(json_object_get(a, "duration"));
	long b1 = b0 + (long)json_integer_value(json_object_get(b, "duration"));
	return a0 < b1 && b0 < a1;
}

/* The speakers of a session with its chair. */
static bool takes_part(const json_t *s, json_int_t who)
{
	if (json_integer_value(json_object_get(s, "chair")) == who)
		return true;
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(s, "speakers"), i,
	                   v) if (json_integer_value(v) == who) return true;
	return false;
}

static void warn(json_t *out, const char *code, const json_t *s, const json_t *other,
                 json_int_t speaker)
{
	json_t *w = json_pack("{s:s, s:O}", "code", code, "session", json_object_get(s, "id"));
	if (other)
		json_object_set(w, "other", json_object_get(other, "id"));
	if (speaker)
		json_object_set_new(w, "speaker", json_integer(speaker));
	json_array_append_new(out, w);
}

json_t *lc_prog_warnings(const json_t *doc)
{
	json_t *out = json_array();
	const json_t *sessions = json_object_get(doc, "sessions");
	size_t n = json_array_size(sessions);
	for (size_t i = 0; i < n; i++) {
		const json_t *a = json_array_get(sessions, i);
		if (json_is_true(json_object_get(a, "cancelled")))
			continue;
		int m0 = lc_prog_minutes(json_string_value(json_object_get(a, "start")));
		if (m0 + json_integer_value(json_object_get(a, "duration")) > 24 * 60)
			warn(out, "outside_day", a, NULL, 0);
		const json_t *room =
		    lc_prog_find(json_object_get(doc, "rooms"),
		                 json_integer_value(json_object_get(a, "room")), NULL);
		if (room && json_integer_value(json_object_get(a, "signups")) >
		                json_integer_value(json_object_get(room, "capacity")))
			warn(out, "room_small", a, NULL, 0);
		for (size_t j = i + 1; j < n; j++) {
			const json_t *b = json_array_get(sessions, j);
			if (json_is_true(json_object_get(b, "cancelled")) || !overlap(a, b))
				continue;
			json_int_t ra = json_integer_value(json_object_get(a, "room"));
			if (ra && ra == json_integer_value(json_object_get(b, "room")))
				warn(out, "room_twice", a, b, 0);
			size_t k;
			const json_t *sp;
			json_array_foreach(json_object_get(doc, "speakers"), k, sp)
			{
				json_int_t who = json_integer_value(json_object_get(sp, "id"));
				if (takes_part(a, who) && takes_part(b, who))
					warn(out, "speaker_twice", a, b, who);
			}
		}
	}
	return out;
}

/* ---- releases ------------------------------------------------------------ */

/* The newest release's snapshot and name, or NULL when none. */
static int latest(struct lc_db *db, int64_t event_id, json_t **doc, long *count)
{
	*doc = NULL;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT snapshot, (SELECT count(*) FROM programme_versions"
	                   " WHERE event_id = ?1) FROM programme_versions"
	                   " WHERE event_id = ?1 ORDER BY id DESC LIMIT 1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, event_id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		*doc = lc_row_object(st, 0);
		if (count)
			*count = (long)sqlite3_column_int64(st, 1);
	} else if (count)
		*count = 0;
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_prog_draft(struct lc_db *db, const struct lc_actor *actor, const struct lc_conf_event *e,
                  json_t **out)
{
	*out = NULL;
	int err = lc_authz_check(actor, LC_ACT_EDIT_PROGRAMME, NULL);
	if (err)
		return err;
	json_t *doc = NULL, *prev = NULL;
	err = lc_prog_doc(db, e->id, &doc);
	if (!err)
		err = latest(db, e->id, &prev, NULL);
	if (err) {
		json_decref(doc);
		return err;
	}
	sequence(prev, doc);
	err = lc_prog_signup_counts(db, e->id, doc);
	if (err) {
		json_decref(doc);
		json_decref(prev);
		return err;
	}
	json_object_set_new(doc, "warnings", lc_prog_warnings(doc));
	json_object_set_new(doc, "pending", lc_prog_changes(prev, doc, actor->lang));
	json_decref(prev);
	*out = doc;
	return 0;
}

static bool version_name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > LC_LIMIT_PROG_VERSION_NAME)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

static int name_taken(struct lc_db *db, int64_t event_id, const char *name, bool *taken)
{
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT 1 FROM programme_versions WHERE event_id = ?1 AND name = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, event_id);
	lc_db_bind_text(st, 2, name);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	*taken = rc == 1;
	return rc < 0 ? rc : 0;
}

/* Adds session id to the list of address to in people ({address: [ids]}). */
static void tell(json_t *people, const char *to, json_t *id)
{
	if (!to || !*to)
		return;
	json_t *ids = json_object_get(people, to);
	if (!ids) {
		ids = json_array();
		json_object_set_new(people, to, ids);
	}
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v) if (json_equal(v, id)) return;
	json_array_append(ids, id);
}

/*
 * The addresses of the changed sessions' speakers, of those who starred them and of
 * those signed up for them, each with its sessions.
 */
static int recipients(struct lc_db *db, const json_t *prev, const json_t *doc,
                      const json_t *changed, json_t *people)
{
	size_t i;
	json_t *id;
	int err = 0;
	json_array_foreach((json_t *)changed, i, id)
	{
		json_int_t sid = json_integer_value(id);
		const json_t *docs[2] = {prev, doc};
		for (int k = 0; k < 2 && !err; k++) {
			const json_t *s =
			    lc_prog_find(json_object_get(docs[k], "sessions"), sid, NULL);
			json_t *who = json_array();
			if (json_is_integer(json_object_get(s, "chair")))
				json_array_append(who, json_object_get(s, "chair"));
			json_array_extend(who, json_object_get(s, "speakers"));
			size_t j;
			json_t *sp;
			json_array_foreach(who, j, sp)
			{
				sqlite3_stmt *st = lc_db_stmt(
				    db, "SELECT email FROM programme_speakers WHERE id = ?1");
				if (!st) {
					err = LC_EDB;
					break;
				}
				sqlite3_bind_int64(st, 1, json_integer_value(sp));
				int rc = lc_db_step(db, st);
				if (rc == 1)
					tell(people, lc_db_text(st, 0), id);
				lc_db_release(db, st);
				if (rc < 0) {
					err = rc;
					break;
				}
			}
			json_decref(who);
		}
		if (err)
			break;
		/* Those who starred it, and those signed up for it or waiting for a place. */
		sqlite3_stmt *st = lc_db_stmt(
		    db, "SELECT a.email FROM programme_favourites f"
		        " JOIN accounts a ON a.id = f.account_id"
		        " WHERE f.session_id = ?1 AND a.status = 'active'"
		        " UNION SELECT a.email FROM programme_signups g"
		        " JOIN accounts a ON a.id = g.account_id"
		        " WHERE g.session_id = ?1 AND g.active = 1 AND a.status = 'active'");
		if (!st)
			return LC_EDB;
		sqlite3_bind_int64(st, 1, sid);
		int rc;
		while (lc_db_next(db, st, &rc))
			tell(people, lc_db_text(st, 0), id);
		lc_db_release(db, st);
		if (rc < 0)
			return rc;
	}
	return err;
}

/* Keeps in list only the items whose "id" is in ids. */
static json_t *only(const json_t *list, const json_t *ids)
{
	json_t *out = json_array();
	size_t i, j;
	const json_t *v, *id;
	json_array_foreach(list, i, v)
	{
		json_array_foreach(ids, j,
		                   id) if (json_equal(json_object_get(v, "id"), (json_t *)id))
		{
			json_array_append((json_t *)out, (json_t *)v);
			break;
		}
	}
	return out;
}

/* One e-mail to each person concerned by a moved, cancelled or renamed session. */
static int notify(struct lc_db *db, const struct lc_actor *actor, const struct lc_conf_event *e,
                  const char *name, const json_t *prev, const json_t *doc)
{
	json_t *all = lc_prog_changes(prev, doc, "en"), *changed = json_array();
	const char *kinds[] = {"moved", "cancelled", "renamed"};
	for (int k = 0; k < 3; k++) {
		size_t i;
		json_t *v;
		json_array_foreach(json_object_get(all, kinds[k]), i, v)
		    json_array_append(changed, json_object_get(v, "id"));
	}
	json_decref(all);
	json_t *people = json_object();
	int err = recipients(db, prev, doc, changed, people);
	const char *to;
	json_t *ids;
	json_object_foreach(people, to, ids)
	{
		if (err)
			break;
		char lang[16];
		err = lc_outbox_lang(db, to, lang, sizeof lang);
		if (err)
			break;
		json_t *ch = lc_prog_changes(prev, doc, lang);
		char path[160];
		snprintf(path, sizeof path, "/conferences/%s/changelog", e->slug);
		const json_t *title = json_object_get(e->title, lang);
		if (!json_is_string(title))
			title = json_object_get(e->title, "en");
		json_t *vars =
		    json_pack("{s:O, s:s, s:o, s:o, s:o, s:s}", "conference", title, "version",
		              name, "moved", only(json_object_get(ch, "moved"), ids), "cancelled",
		              only(json_object_get(ch, "cancelled"), ids), "renamed",
		              only(json_object_get(ch, "renamed"), ids), "path", path);
		json_decref(ch);
		err = lc_outbox_mail(db, actor, to, "programme_changed", vars, NULL, NULL);
		json_decref(vars);
	}
	json_decref(people);
	json_decref(changed);
	return err;
}

int lc_prog_release(struct lc_db *db, const struct lc_actor *actor, const struct lc_conf_event *e,
                    const char *name, const char *note, struct lc_diag *d)
{
	int err = lc_authz_check(actor, LC_ACT_EDIT_PROGRAMME, NULL);
	if (err)
		return err;
	err = lc_db_begin(db);
	if (err)
		return err;
	json_t *doc = NULL, *prev = NULL, *snap = NULL;
	long count = 0;
	err = lc_prog_doc(db, e->id, &doc);
	if (!err)
		err = latest(db, e->id, &prev, &count);
	if (err)
		goto out;
	sequence(prev, doc);
	struct lc_diag own;
	lc_diag_init(&own);
	bool taken = false;
	if (!version_name_ok(name))
		lc_diag_addf(&own, NULL, 0, 0, "name", "err_prog_version_name",
		             LC_ARG_I("limit", LC_LIMIT_PROG_VERSION_NAME));
	else
		err = name_taken(db, e->id, name, &taken);
	if (taken)
		lc_diag_addf(&own, NULL, 0, 0, "name", "err_prog_version_taken",
		             LC_ARG_S("value", name));
	if (note && strlen(note) > LC_LIMIT_PROG_NOTE_BYTES)
		lc_diag_addf(&own, NULL, 0, 0, "note", "err_prog_text",
		             LC_ARG_I("limit", LC_LIMIT_PROG_NOTE_BYTES));
	if (json_array_size(json_object_get(doc, "sessions")) == 0)
		lc_diag_add(&own, NULL, 0, 0, NULL, "err_prog_empty");
	else if (prev && json_equal(prev, doc))
		lc_diag_add(&own, NULL, 0, 0, NULL, "err_prog_unchanged");
	if (count >= LC_LIMIT_PROG_VERSIONS)
		lc_diag_addf(&own, NULL, 0, 0, NULL, "err_prog_too_many",
		             LC_ARG_I("limit", LC_LIMIT_PROG_VERSIONS));
	if (!err && lc_diag_total(&own))
		err = LC_EINVAL;
	lc_diag_append(d, &own);
	lc_diag_cleanup(&own);
	if (err)
		goto out;
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO programme_versions (event_id, name, note,"
	                                  " snapshot, released_at, released_by)"
	                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	char *text = json_dumps(doc, JSON_COMPACT);
	sqlite3_bind_int64(st, 1, e->id);
	lc_db_bind_text(st, 2, name);
	lc_db_bind_text(st, 3, note ? note : "");
	lc_db_bind_text(st, 4, text);
	sqlite3_bind_int64(st, 5, lc_clock_now());
	if (actor->kind == LC_ACTOR_ACCOUNT)
		sqlite3_bind_int64(st, 6, actor->account_id);
	else
		sqlite3_bind_null(st, 6);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	lc_free(text);
	err = rc < 0 ? rc : 0;
	if (!err) {
		snap = json_pack("{s:s, s:s, s:s, s:I}", "event", e->slug, "name", name, "note",
		                 note ? note : "", "sessions",
		                 (json_int_t)json_array_size(json_object_get(doc, "sessions")));
		err = lc_audit_append_id(db, actor, "programme.release", "programme_version",
		                         lc_db_last_id(db), NULL, snap, NULL);
	}
	if (!err && prev)
		err = notify(db, actor, e, name, prev, doc);
out:
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	json_decref(snap);
	json_decref(doc);
	json_decref(prev);
	return err;
}

int lc_prog_released(struct lc_db *db, const struct lc_conf_event *e, const char *name,
                     json_t **out)
{
	/* The caller may change its copy; the shared document stays as it was. */
	int err = lc_prog_released_shared(db, e, name, out);
	if (!err)
		json_object_set_new(*out, "programme",
		                    json_deep_copy(json_object_get(*out, "programme")));
	return err;
}

int lc_prog_released_shared(struct lc_db *db, const struct lc_conf_event *e, const char *name,
                            json_t **out)
{
	*out = NULL;
	if (name && !version_name_ok(name))
		return LC_ENOTFOUND;
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT v.name, v.note, v.released_at, v.snapshot, (SELECT p.name FROM"
	        " programme_versions p WHERE p.event_id = v.event_id AND p.id < v.id ORDER BY p.id"
	        " DESC LIMIT 1) FROM programme_versions v WHERE v.event_id = ?1"
	        " AND (?2 IS NULL OR v.name = ?2) ORDER BY v.id DESC LIMIT 1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, e->id);
	lc_db_bind_text(st, 2, name);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		char at[21];
		lc_clock_iso(sqlite3_column_int64(st, 2), at);
		*out = json_pack("{s:{s:o, s:o, s:s, s:o}, s:o}", "version", "name",
		                 lc_row_str(st, 0), "note", lc_row_str(st, 1), "released_at", at,
		                 "previous", lc_row_str(st, 4), "programme",
		                 lc_prog_cache_doc((const char *)sqlite3_column_text(st, 3),
		                                   (size_t)sqlite3_column_bytes(st, 3)));
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

int lc_prog_changelog(struct lc_db *db, const struct lc_conf_event *e, const char *lang,
                      json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT name, note, released_at, snapshot FROM"
	                                  " programme_versions WHERE event_id = ?1 ORDER BY id");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, e->id);
	json_t *items = json_array(), *prev = NULL;
	int rc;
	while (lc_db_next(db, st, &rc)) {
		json_t *doc = lc_row_object(st, 3);
		char at[21];
		lc_clock_iso(sqlite3_column_int64(st, 2), at);
		json_t *ch = lc_prog_changes(prev, doc, lang);
		json_object_set_new(ch, "first", json_boolean(prev == NULL));
		json_array_insert_new(items, 0,
		                      json_pack("{s:o, s:o, s:s, s:o}", "name", lc_row_str(st, 0),
		                                "note", lc_row_str(st, 1), "released_at", at,
		                                "changes", ch));
		json_decref(prev);
		prev = doc;
	}
	lc_db_release(db, st);
	json_decref(prev);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

/* ---- favourites ---------------------------------------------------------- */

int lc_prog_favourite_set(struct lc_db *db, const struct lc_actor *actor,
                          const struct lc_conf_event *e, int64_t session_id, bool on)
{
	int err = lc_authz_check(actor, LC_ACT_STAR_SESSIONS, NULL);
	if (err)
		return err;
	if (actor->kind != LC_ACTOR_ACCOUNT)
		return LC_EPERM;
	json_t *rel = NULL;
	err = lc_prog_released(db, e, NULL, &rel);
	if (err)
		return err;
	bool found = lc_prog_find(json_object_get(json_object_get(rel, "programme"), "sessions"),
	                          session_id, NULL) != NULL;
	json_decref(rel);
	if (!found)
		return LC_ENOTFOUND;
	err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st;
	if (on) {
		st = lc_db_stmt(db,
		                "SELECT count(*) FROM programme_favourites WHERE account_id = ?1");
		if (!st) {
			err = LC_EDB;
			goto out;
		}
		sqlite3_bind_int64(st, 1, actor->account_id);
		int rc = lc_db_step(db, st);
		long n = rc == 1 ? (long)sqlite3_column_int64(st, 0) : 0;
		lc_db_release(db, st);
		if (rc < 0 || n >= LC_LIMIT_PROG_FAVOURITES) {
			err = rc < 0 ? rc : LC_ELIMIT;
			goto out;
		}
	}
	st = lc_db_stmt(db, on ? "INSERT OR IGNORE INTO programme_favourites (account_id,"
	                         " session_id, created_at) VALUES (?1, ?2, ?3)"
	                       : "DELETE FROM programme_favourites WHERE account_id = ?1"
	                         " AND session_id = ?2 AND ?3 IS NOT NULL");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, actor->account_id);
	sqlite3_bind_int64(st, 2, session_id);
	sqlite3_bind_int64(st, 3, lc_clock_now());
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	err = rc < 0 ? rc : 0;
	if (!err)
		err = lc_audit_append_id(db, actor, on ? "programme.star" : "programme.unstar",
		                         "programme_session", session_id, NULL, NULL, NULL);
out:
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

int lc_prog_favourites(struct lc_db *db, const struct lc_actor *actor,
                       const struct lc_conf_event *e, json_t **out)
{
	*out = NULL;
	int err = lc_authz_check(actor, LC_ACT_STAR_SESSIONS, NULL);
	if (err)
		return err;
	json_t *ids = json_array();
	if (actor->kind == LC_ACTOR_ACCOUNT) {
		sqlite3_stmt *st = lc_db_stmt(
		    db, "SELECT f.session_id FROM programme_favourites f JOIN programme_sessions s"
		        " ON s.id = f.session_id WHERE f.account_id = ?1 AND s.event_id = ?2"
		        " ORDER BY s.start, s.id");
		if (!st) {
			json_decref(ids);
			return LC_EDB;
		}
		sqlite3_bind_int64(st, 1, actor->account_id);
		sqlite3_bind_int64(st, 2, e->id);
		int rc;
		while (lc_db_next(db, st, &rc))
			json_array_append_new(ids, json_integer(sqlite3_column_int64(st, 0)));
		lc_db_release(db, st);
		if (rc < 0) {
			json_decref(ids);
			return rc;
		}
	}
	*out = ids;
	return 0;
}
