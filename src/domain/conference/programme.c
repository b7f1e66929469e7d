/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The programme's work in progress (programme.h): the document built from
 * the programme_* tables, and the edits of rooms, labels, speakers and
 * sessions. Releases, the changelog and favourites are in programme_release.c.
 */
#include "domain/conference/programme.h"

#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/conference/event.h"
#include "domain/conference/programme_internal.h"
#include "domain/platform/audit.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"

const char *lc_prog_tr(const json_t *obj, const char *lang)
{
	const char *s = json_string_value(json_object_get(obj, lc_text_lang(lang)));
	if (!s || !*s)
		s = json_string_value(json_object_get(obj, "en"));
	return s ? s : "";
}

const json_t *lc_prog_find(const json_t *arr, int64_t id, const char *code)
{
	size_t i;
	const json_t *v;
	json_array_foreach(arr, i, v)
	{
		if (code ? (json_string_value(json_object_get(v, "code")) &&
		            strcmp(json_string_value(json_object_get(v, "code")), code) == 0)
		         : json_integer_value(json_object_get(v, "id")) == id)
			return v;
	}
	return NULL;
}

/* ---- the document ---------------------------------------------------- */

static int each_row(struct lc_db *db, sqlite3_stmt *st, json_t *arr,
                    json_t *(*row)(sqlite3_stmt *st))
{
	int rc;
	while (lc_db_next(db, st, &rc))
		json_array_append_new(arr, row(st));
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static json_t *room_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:o, s:I, s:b, s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0),
	                 "name", lc_row_object(st, 1), "capacity",
	                 (json_int_t)sqlite3_column_int64(st, 2), "accessible",
	                 sqlite3_column_int(st, 3), "floor", lc_row_str(st, 4));
}

static json_t *label_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:o, s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0), "code",
	                 lc_row_str(st, 1), "name", lc_row_object(st, 2));
}

static json_t *speaker_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
	                 (json_int_t)sqlite3_column_int64(st, 0), "name", lc_row_str(st, 1),
	                 "name_native", lc_row_str(st, 2), "title", lc_row_str(st, 3),
	                 "organisation", lc_row_str(st, 4), "city", lc_row_str(st, 5), "bio",
	                 lc_row_object(st, 6));
}

static json_t *array_col(sqlite3_stmt *st, int i)
{
	const char *s = lc_db_text(st, i);
	json_t *v = s ? json_loads(s, 0, NULL) : NULL;
	if (!json_is_array(v)) {
		json_decref(v);
		v = json_array();
	}
	return v;
}

static json_t *session_row(sqlite3_stmt *st)
{
	json_t *row =
	    json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:b, s:i}", "id",
	              (json_int_t)sqlite3_column_int64(st, 0), "title", lc_row_object(st, 1),
	              "abstract", lc_row_object(st, 2), "type", lc_row_str(st, 3), "track",
	              lc_row_str(st, 4), "room", lc_row_int(st, 5), "start", lc_row_str(st, 6),
	              "duration", (json_int_t)sqlite3_column_int64(st, 7), "languages",
	              array_col(st, 8), "chair", lc_row_int(st, 9), "speakers", array_col(st, 10),
	              "cancelled", sqlite3_column_int(st, 11), "sequence", 0);
	/* Only a session that takes sign-ups has a capacity (migration 0024). */
	if (sqlite3_column_type(st, 12) != SQLITE_NULL)
		json_object_set_new(row, "capacity", json_integer(sqlite3_column_int64(st, 12)));
	return row;
}

int lc_prog_doc(struct lc_db *db, int64_t event_id, json_t **out)
{
	*out = NULL;
	static const char *const sql[] = {
	    "SELECT id, name, capacity, accessible, floor FROM programme_rooms WHERE event_id = ?1"
	    " ORDER BY position, id",
	    "SELECT id, code, name FROM programme_labels WHERE event_id = ?1 AND kind = 'type'"
	    " ORDER BY id",
	    "SELECT id, code, name FROM programme_labels WHERE event_id = ?1 AND kind = 'track'"
	    " ORDER BY id",
	    "SELECT id, name, name_native, title, organisation, city, bio FROM programme_speakers"
	    " WHERE event_id = ?1 ORDER BY name, id",
	    "SELECT s.id, s.title, s.abstract, t.code, k.code, s.room_id, s.start, s.duration,"
	    " s.languages, s.chair_id, (SELECT json_group_array(speaker_id) FROM (SELECT speaker_id"
	    " FROM programme_session_speakers WHERE session_id = s.id ORDER BY position)),"
	    " s.cancelled, s.capacity FROM programme_sessions s JOIN programme_labels t ON t.id = "
	    "s.type_id"
	    " LEFT JOIN programme_labels k ON k.id = s.track_id"
	    " LEFT JOIN programme_rooms r ON r.id = s.room_id WHERE s.event_id = ?1"
	    " ORDER BY s.start, r.position, s.room_id, s.id",
	};
	static json_t *(*const rows[])(sqlite3_stmt *) = {room_row, label_row, label_row,
	                                                  speaker_row, session_row};
	static const char *const names[] = {"rooms", "types", "tracks", "speakers", "sessions"};
	json_t *doc = json_object();
	int err = 0;
	for (size_t k = 0; k < 5 && !err; k++) {
		sqlite3_stmt *st = lc_db_stmt(db, sql[k]);
		if (!st) {
			err = LC_EDB;
			break;
		}
		sqlite3_bind_int64(st, 1, event_id);
		json_t *arr = json_array();
		err = each_row(db, st, arr, rows[k]);
		json_object_set_new(doc, names[k], arr);
	}
	if (err) {
		json_decref(doc);
		return err;
	}
	*out = doc;
	return 0;
}

/* ---- checking specs -------------------------------------------------- */

/* A plain text member: a string of valid UTF-8 without control characters, at most max bytes. */
static const char *text_member(const json_t *spec, const char *field, bool required, size_t max,
                               struct lc_diag *d)
{
	const json_t *v = json_object_get(spec, field);
	if (!v || json_is_null(v)) {
		if (required)
			lc_diag_add(d, NULL, 0, 0, field, "err_prog_required");
		return "";
	}
	const char *s = json_string_value(v);
	size_t n = s ? json_string_length(v) : 0;
	bool ok = s && n <= max && lc_utf8_valid(s, n) && strlen(s) == n;
	for (size_t i = 0; ok && i < n; i++)
		if ((unsigned char)s[i] < 0x20)
			ok = false;
	if (!ok || (required && n == 0)) {
		lc_diag_addf(d, NULL, 0, 0, field,
		             required && n == 0 && s ? "err_prog_required" : "err_prog_text",
		             LC_ARG_I("limit", (long long)max));
		return "";
	}
	return s;
}

/* A translatable member: {lang: text}, English required when required. */
static void tr_member(const json_t *spec, const char *field, bool required, size_t max,
                      bool multiline, struct lc_diag *d)
{
	const json_t *v = json_object_get(spec, field);
	if (!v && !required)
		return;
	if (!json_is_object(v)) {
		lc_diag_add(d, NULL, 0, 0, field, required ? "err_prog_required" : "err_prog_tr");
		return;
	}
	if (json_object_size(v) > LC_LIMIT_PROG_LANGUAGES) {
		lc_diag_add(d, NULL, 0, 0, field, "err_prog_tr");
		return;
	}
	const char *lang;
	const json_t *t;
	json_object_foreach((json_t *)v, lang, t)
	{
		const char *s = json_string_value(t);
		size_t n = s ? json_string_length(t) : 0;
		bool ok =
		    lc_text_lang_ok(lang) && s && n <= max && lc_utf8_valid(s, n) && strlen(s) == n;
		for (size_t i = 0; ok && i < n; i++)
			if ((unsigned char)s[i] < 0x20 &&
			    !(multiline && (s[i] == '\n' || s[i] == '\r')))
				ok = false;
		if (!ok) {
			lc_diag_addf(d, NULL, 0, 0, field, "err_prog_tr_text",
			             LC_ARG_S("lang", lang), LC_ARG_I("limit", (long long)max));
			return;
		}
	}
	const char *en = json_string_value(json_object_get(v, "en"));
	if (required && (!en || !*en))
		lc_diag_add(d, NULL, 0, 0, field, "err_prog_required");
}

static long long int_member(const json_t *spec, const char *field, long long lo, long long hi,
                            struct lc_diag *d)
{
	const json_t *v = json_object_get(spec, field);
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_prog_number", LC_ARG_I("low", lo),
		             LC_ARG_I("high", hi));
		return lo;
	}
	return json_integer_value(v);
}

/* A copy of cur with spec's members over it: an update names only what it changes. */
static json_t *merged(const json_t *cur, const json_t *spec)
{
	json_t *m = cur ? json_deep_copy(cur) : json_object();
	if (json_is_object(spec))
		json_object_update(m, (json_t *)spec);
	return m;
}

static int authorised(const struct lc_actor *actor)
{
	return lc_authz_check(actor, LC_ACT_EDIT_PROGRAMME, NULL);
}

/* Ends a write: commits, or rolls back on err. */
static int finish(struct lc_db *db, int err)
{
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

static int audit(struct lc_db *db, const struct lc_actor *actor, const char *what, int64_t id,
                 const json_t *before, const json_t *after)
{
	char action[48];
	snprintf(action, sizeof action, "programme.%s.put", what);
	char type[48];
	snprintf(type, sizeof type, "programme_%s", what);
	return lc_audit_append_id(db, actor, action, type, id, before, after, NULL);
}

/* Binds a JSON value's compact text. */
static void bind_json(sqlite3_stmt *st, int i, const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT);
	lc_db_bind_text(st, i, s);
	lc_free(s);
}

/* Runs st (already bound), stores the new row id when id is 0. */
static int run_write(struct lc_db *db, sqlite3_stmt *st, int64_t *id)
{
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (!*id)
		*id = lc_db_last_id(db);
	return 0;
}

/* ---- rooms and labels -------------------------------------------------- */

int lc_prog_room_put(struct lc_db *db, const struct lc_actor *actor, const struct lc_conf_event *e,
                     int64_t id, const json_t *spec, struct lc_diag *d, int64_t *out_id)
{
	int err = authorised(actor);
	if (err)
		return err;
	json_t *doc = NULL, *m = NULL;
	const json_t *cur = NULL;
	err = lc_prog_doc(db, e->id, &doc);
	if (err)
		return err;
	if (id) {
		cur = lc_prog_find(json_object_get(doc, "rooms"), id, NULL);
		if (!cur) {
			err = LC_ENOTFOUND;
			goto out;
		}
	}
	m = merged(cur, spec);
	if (!json_object_get(m, "accessible"))
		json_object_set_new(m, "accessible", json_true());
	struct lc_diag own;
	lc_diag_init(&own);
	if (!json_is_object(spec))
		lc_diag_add(&own, NULL, 0, 0, NULL, "err_prog_object");
	tr_member(m, "name", true, LC_LIMIT_PROG_NAME_BYTES, false, &own);
	long long capacity = int_member(m, "capacity", 1, LC_LIMIT_PROG_ROOM_CAPACITY, &own);
	if (!json_is_boolean(json_object_get(m, "accessible")))
		lc_diag_add(&own, NULL, 0, 0, "accessible", "err_prog_boolean");
	const char *floor = text_member(m, "floor", false, LC_LIMIT_PROG_FLOOR_BYTES, &own);
	if (!id && json_array_size(json_object_get(doc, "rooms")) >= LC_LIMIT_PROG_ROOMS)
		lc_diag_addf(&own, NULL, 0, 0, NULL, "err_prog_too_many",
		             LC_ARG_I("limit", LC_LIMIT_PROG_ROOMS));
	err = lc_diag_total(&own) ? LC_EINVAL : 0;
	lc_diag_append(d, &own);
	lc_diag_cleanup(&own);
	if (err)
		goto out;
	err = lc_db_begin(db);
	if (err)
		goto out;
	sqlite3_stmt *st = lc_db_stmt(
	    db,
	    id ? "UPDATE programme_rooms SET name = ?2, capacity = ?3, accessible = ?4, floor = ?5"
	         " WHERE id = ?1 AND event_id = ?6"
	       : "INSERT INTO programme_rooms (name, capacity, accessible, floor, event_id,"
	         " position) VALUES (?2, ?3, ?4, ?5, ?6, (SELECT count(*) FROM programme_rooms"
	         " WHERE event_id = ?6))");
	if (!st) {
		err = finish(db, LC_EDB);
		goto out;
	}
	if (id)
		sqlite3_bind_int64(st, 1, id);
	bind_json(st, 2, json_object_get(m, "name"));
	sqlite3_bind_int64(st, 3, capacity);
	sqlite3_bind_int(st, 4, json_is_true(json_object_get(m, "accessible")));
	lc_db_bind_text(st, 5, floor);
	sqlite3_bind_int64(st, 6, e->id);
	err = run_write(db, st, &id);
	if (!err)
		err = audit(db, actor, "room", id, cur, m);
	err = finish(db, err);
	if (!err && out_id)
		*out_id = id;
out:
	json_decref(m);
	json_decref(doc);
	return err;
}

static bool code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > LC_LIMIT_PROG_CODE)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

int lc_prog_label_put(struct lc_db *db, const struct lc_actor *actor, const struct lc_conf_event *e,
                      const char *kind, int64_t id, const json_t *spec, struct lc_diag *d,
                      int64_t *out_id)
{
	int err = authorised(actor);
	if (err)
		return err;
	bool type = kind && strcmp(kind, "type") == 0;
	if (!type && !(kind && strcmp(kind, "track") == 0))
		return LC_EINVAL;
	json_t *doc = NULL, *m = NULL;
	const json_t *cur = NULL;
	err = lc_prog_doc(db, e->id, &doc);
	if (err)
		return err;
	const json_t *labels = json_object_get(doc, type ? "types" : "tracks");
	if (id) {
		cur = lc_prog_find(labels, id, NULL);
		if (!cur) {
			err = LC_ENOTFOUND;
			goto out;
		}
	}
	m = merged(cur, spec);
	struct lc_diag own;
	lc_diag_init(&own);
	if (!json_is_object(spec))
		lc_diag_add(&own, NULL, 0, 0, NULL, "err_prog_object");
	const char *code = json_string_value(json_object_get(m, "code"));
	if (!code_ok(code))
		lc_diag_addf(&own, NULL, 0, 0, "code", "err_prog_code",
		             LC_ARG_I("limit", LC_LIMIT_PROG_CODE));
	else {
		const json_t *same = lc_prog_find(labels, 0, code);
		if (same && json_integer_value(json_object_get(same, "id")) != id)
			lc_diag_addf(&own, NULL, 0, 0, "code", "err_prog_code_taken",
			             LC_ARG_S("value", code));
	}
	tr_member(m, "name", true, LC_LIMIT_PROG_NAME_BYTES, false, &own);
	if (!id && json_array_size(labels) >= LC_LIMIT_PROG_LABELS)
		lc_diag_addf(&own, NULL, 0, 0, NULL, "err_prog_too_many",
		             LC_ARG_I("limit", LC_LIMIT_PROG_LABELS));
	err = lc_diag_total(&own) ? LC_EINVAL : 0;
	lc_diag_append(d, &own);
	lc_diag_cleanup(&own);
	if (err)
		goto out;
	err = lc_db_begin(db);
	if (err)
		goto out;
	sqlite3_stmt *st =
	    lc_db_stmt(db, id ? "UPDATE programme_labels SET code = ?2, name = ?3"
	                        " WHERE id = ?1 AND event_id = ?4 AND kind = ?5"
	                      : "INSERT INTO programme_labels (code, name, event_id, kind)"
	                        " VALUES (?2, ?3, ?4, ?5)");
	if (!st) {
		err = finish(db, LC_EDB);
		goto out;
	}
	if (id)
		sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, code);
	bind_json(st, 3, json_object_get(m, "name"));
	sqlite3_bind_int64(st, 4, e->id);
	lc_db_bind_text(st, 5, type ? "type" : "track");
	err = run_write(db, st, &id);
	if (!err)
		err = audit(db, actor, type ? "type" : "track", id, cur, m);
	err = finish(db, err);
	if (!err && out_id)
		*out_id = id;
out:
	json_decref(m);
	json_decref(doc);
	return err;
}

/* ---- speakers ---------------------------------------------------------- */

/* The private members of speaker id (email, lang) added to cur. */
static int speaker_private(struct lc_db *db, int64_t id, json_t *cur)
{
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT email, lang FROM programme_speakers WHERE id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		json_object_set_new(cur, "email", lc_row_str(st, 0));
		json_object_set_new(cur, "lang", lc_row_str(st, 1));
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

static bool email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	return at && at != s && at[1] && !strchr(at + 1, '@') && strchr(at + 1, '.') &&
	       !strpbrk(s, " \t<>,;\"");
}

int lc_prog_speaker_put(struct lc_db *db, const struct lc_actor *actor,
                        const struct lc_conf_event *e, int64_t id, const json_t *spec,
                        struct lc_diag *d, int64_t *out_id)
{
	int err = authorised(actor);
	if (err)
		return err;
	json_t *doc = NULL, *m = NULL, *cur = NULL;
	err = lc_prog_doc(db, e->id, &doc);
	if (err)
		return err;
	if (id) {
		const json_t *c = lc_prog_find(json_object_get(doc, "speakers"), id, NULL);
		if (!c) {
			err = LC_ENOTFOUND;
			goto out;
		}
		cur = json_deep_copy(c);
		err = speaker_private(db, id, cur);
		if (err)
			goto out;
	}
	m = merged(cur, spec);
	struct lc_diag own;
	lc_diag_init(&own);
	if (!json_is_object(spec))
		lc_diag_add(&own, NULL, 0, 0, NULL, "err_prog_object");
	const size_t nb = LC_LIMIT_PROG_NAME_BYTES;
	const char *name = text_member(m, "name", true, nb, &own);
	const char *native = text_member(m, "name_native", false, nb, &own);
	const char *title = text_member(m, "title", false, nb, &own);
	const char *org = text_member(m, "organisation", false, nb, &own);
	const char *city = text_member(m, "city", false, nb, &own);
	const char *email = text_member(m, "email", false, LC_LIMIT_EMAIL_BYTES, &own);
	if (*email && !email_ok(email))
		lc_diag_addf(&own, NULL, 0, 0, "email", "err_prog_email", LC_ARG_S("value", email));
	const char *lang = text_member(m, "lang", false, 8, &own);
	if (*lang && !lc_text_lang_ok(lang))
		lc_diag_addf(&own, NULL, 0, 0, "lang", "err_prog_language",
		             LC_ARG_S("value", lang));
	tr_member(m, "bio", false, LC_LIMIT_PROG_TEXT_BYTES, true, &own);
	if (!id && json_array_size(json_object_get(doc, "speakers")) >= LC_LIMIT_PROG_SPEAKERS)
		lc_diag_addf(&own, NULL, 0, 0, NULL, "err_prog_too_many",
		             LC_ARG_I("limit", LC_LIMIT_PROG_SPEAKERS));
	err = lc_diag_total(&own) ? LC_EINVAL : 0;
	lc_diag_append(d, &own);
	lc_diag_cleanup(&own);
	if (err)
		goto out;
	err = lc_db_begin(db);
	if (err)
		goto out;
	sqlite3_stmt *st = lc_db_stmt(
	    db, id ? "UPDATE programme_speakers SET name = ?2, name_native = ?3, title = ?4,"
	             " organisation = ?5, city = ?6, email = ?7, lang = ?8, bio = ?9"
	             " WHERE id = ?1 AND event_id = ?10"
	           : "INSERT INTO programme_speakers (name, name_native, title, organisation, city,"
	             " email, lang, bio, event_id) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	if (!st) {
		err = finish(db, LC_EDB);
		goto out;
	}
	if (id)
		sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, name);
	lc_db_bind_text(st, 3, native);
	lc_db_bind_text(st, 4, title);
	lc_db_bind_text(st, 5, org);
	lc_db_bind_text(st, 6, city);
	lc_db_bind_text(st, 7, *email ? email : NULL);
	lc_db_bind_text(st, 8, *lang ? lang : "en");
	json_t *bio = json_object_get(m, "bio");
	if (bio)
		bind_json(st, 9, bio);
	else
		lc_db_bind_text(st, 9, "{}");
	sqlite3_bind_int64(st, 10, e->id);
	err = run_write(db, st, &id);
	if (!err)
		err = audit(db, actor, "speaker", id, cur, m);
	err = finish(db, err);
	if (!err && out_id)
		*out_id = id;
out:
	json_decref(cur);
	json_decref(m);
	json_decref(doc);
	return err;
}

/* ---- sessions ---------------------------------------------------------- */

/* Minutes since midnight of "YYYY-MM-DDTHH:MM", or -1 when s is not one. */
int lc_prog_minutes(const char *s)
{
	if (!s || strlen(s) != 16 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':')
		return -1;
	for (int i = 0; i < 16; i++)
		if (i != 4 && i != 7 && i != 10 && i != 13 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int mo = (s[5] - '0') * 10 + (s[6] - '0'), dd = (s[8] - '0') * 10 + (s[9] - '0');
	int h = (s[11] - '0') * 10 + (s[12] - '0'), mi = (s[14] - '0') * 10 + (s[15] - '0');
	if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || h > 23 || mi > 59)
		return -1;
	return h * 60 + mi;
}

static bool in_array(const json_t *arr, const char *s)
{
	size_t i;
	const json_t *v;
	json_array_foreach(arr, i, v) if (json_string_value(v) &&
	                                  strcmp(json_string_value(v), s) == 0) return true;
	return false;
}

/* An id member naming an element of arr, or null when nullable. Returns the id or 0. */
static int64_t ref_member(const json_t *m, const char *field, const json_t *arr, bool nullable,
                          struct lc_diag *d)
{
	const json_t *v = json_object_get(m, field);
	if (!v || json_is_null(v)) {
		if (!nullable)
			lc_diag_add(d, NULL, 0, 0, field, "err_prog_required");
		return 0;
	}
	if (!json_is_integer(v) || !lc_prog_find(arr, json_integer_value(v), NULL)) {
		lc_diag_add(d, NULL, 0, 0, field, "err_prog_unknown");
		return 0;
	}
	return json_integer_value(v);
}

/* A code member naming a label of labels; returns its id or 0. */
static int64_t code_member(const json_t *m, const char *field, const json_t *labels, bool nullable,
                           struct lc_diag *d)
{
	const json_t *v = json_object_get(m, field);
	if (!v || json_is_null(v)) {
		if (!nullable)
			lc_diag_add(d, NULL, 0, 0, field, "err_prog_required");
		return 0;
	}
	const json_t *l = json_is_string(v) ? lc_prog_find(labels, 0, json_string_value(v)) : NULL;
	if (!l) {
		lc_diag_add(d, NULL, 0, 0, field, "err_prog_unknown");
		return 0;
	}
	return json_integer_value(json_object_get(l, "id"));
}

static void check_session(const struct lc_conf_event *e, const json_t *doc, const json_t *m,
                          struct lc_diag *d, int64_t ids[4])
{
	tr_member(m, "title", true, LC_LIMIT_PROG_NAME_BYTES, false, d);
	tr_member(m, "abstract", false, LC_LIMIT_PROG_TEXT_BYTES, true, d);
	ids[0] = code_member(m, "type", json_object_get(doc, "types"), false, d);
	ids[1] = code_member(m, "track", json_object_get(doc, "tracks"), true, d);
	ids[2] = ref_member(m, "room", json_object_get(doc, "rooms"), true, d);
	ids[3] = ref_member(m, "chair", json_object_get(doc, "speakers"), true, d);
	const char *start = json_string_value(json_object_get(m, "start"));
	if (lc_prog_minutes(start) < 0)
		lc_diag_add(d, NULL, 0, 0, "start", "err_prog_start");
	else {
		char day[11];
		memcpy(day, start, 10);
		day[10] = '\0';
		if (strcmp(day, e->start_date) < 0 || strcmp(day, e->end_date) > 0)
			lc_diag_addf(d, NULL, 0, 0, "start", "err_prog_start_day",
			             LC_ARG_S("from", e->start_date), LC_ARG_S("to", e->end_date));
	}
	int_member(m, "duration", LC_LIMIT_PROG_MIN_DURATION, LC_LIMIT_PROG_MAX_DURATION, d);
	const json_t *langs = json_object_get(m, "languages");
	if (langs && !json_is_array(langs))
		lc_diag_add(d, NULL, 0, 0, "languages", "err_prog_language_list");
	size_t i;
	const json_t *v;
	json_array_foreach(langs, i, v)
	{
		if (!json_is_string(v) || !in_array(e->languages, json_string_value(v)) ||
		    i >= LC_LIMIT_PROG_LANGUAGES) {
			lc_diag_addf(d, NULL, 0, 0, "languages", "err_prog_language",
			             LC_ARG_S("value", json_string_value(v)));
			break;
		}
	}
	const json_t *sp = json_object_get(m, "speakers");
	if (sp && !json_is_array(sp))
		lc_diag_add(d, NULL, 0, 0, "speakers", "err_prog_unknown");
	if (json_array_size(sp) > LC_LIMIT_PROG_SESSION_SPEAKERS)
		lc_diag_addf(d, NULL, 0, 0, "speakers", "err_prog_too_many",
		             LC_ARG_I("limit", LC_LIMIT_PROG_SESSION_SPEAKERS));
	json_array_foreach(sp, i, v)
	{
		bool dup = false;
		for (size_t j = 0; j < i; j++)
			dup = dup || json_equal(json_array_get(sp, j), (json_t *)v);
		if (!json_is_integer(v) || dup ||
		    !lc_prog_find(json_object_get(doc, "speakers"), json_integer_value(v), NULL)) {
			lc_diag_add(d, NULL, 0, 0, "speakers", "err_prog_unknown");
			break;
		}
	}
	const json_t *c = json_object_get(m, "cancelled");
	if (c && !json_is_boolean(c))
		lc_diag_add(d, NULL, 0, 0, "cancelled", "err_prog_boolean");
	if (json_object_get(m, "capacity") && !json_is_null(json_object_get(m, "capacity")))
		int_member(m, "capacity", 1, LC_LIMIT_PROG_ROOM_CAPACITY, d);
}

int lc_prog_session_put(struct lc_db *db, const struct lc_actor *actor,
                        const struct lc_conf_event *e, int64_t id, const json_t *spec,
                        struct lc_diag *d, int64_t *out_id)
{
	int err = authorised(actor);
	if (err)
		return err;
	json_t *doc = NULL, *m = NULL;
	const json_t *cur = NULL;
	err = lc_prog_doc(db, e->id, &doc);
	if (err)
		return err;
	if (id) {
		cur = lc_prog_find(json_object_get(doc, "sessions"), id, NULL);
		if (!cur) {
			err = LC_ENOTFOUND;
			goto out;
		}
	}
	m = merged(cur, spec);
	json_object_del(m, "sequence");
	struct lc_diag own;
	lc_diag_init(&own);
	int64_t ids[4] = {0};
	if (!json_is_object(spec))
		lc_diag_add(&own, NULL, 0, 0, NULL, "err_prog_object");
	else
		check_session(e, doc, m, &own, ids);
	if (!id && json_array_size(json_object_get(doc, "sessions")) >= LC_LIMIT_PROG_SESSIONS)
		lc_diag_addf(&own, NULL, 0, 0, NULL, "err_prog_too_many",
		             LC_ARG_I("limit", LC_LIMIT_PROG_SESSIONS));
	err = lc_diag_total(&own) ? LC_EINVAL : 0;
	lc_diag_append(d, &own);
	lc_diag_cleanup(&own);
	if (err)
		goto out;
	err = lc_db_begin(db);
	if (err)
		goto out;
	sqlite3_stmt *st = lc_db_stmt(
	    db,
	    id ? "UPDATE programme_sessions SET title = ?2, abstract = ?3, type_id = ?4,"
	         " track_id = ?5, room_id = ?6, start = ?7, duration = ?8, languages = ?9,"
	         " chair_id = ?10, cancelled = ?11, capacity = ?13 WHERE id = ?1 AND event_id = ?12"
	       : "INSERT INTO programme_sessions (title, abstract, type_id, track_id, room_id,"
	         " start, duration, languages, chair_id, cancelled, event_id, capacity)"
	         " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
	if (!st) {
		err = finish(db, LC_EDB);
		goto out;
	}
	if (id)
		sqlite3_bind_int64(st, 1, id);
	bind_json(st, 2, json_object_get(m, "title"));
	const json_t *abs = json_object_get(m, "abstract");
	if (abs)
		bind_json(st, 3, abs);
	else
		lc_db_bind_text(st, 3, "{}");
	for (int k = 0; k < 4; k++) {
		int col = k < 3 ? 4 + k : 10;
		if (ids[k])
			sqlite3_bind_int64(st, col, ids[k]);
		else
			sqlite3_bind_null(st, col);
	}
	lc_db_bind_text(st, 7, json_string_value(json_object_get(m, "start")));
	sqlite3_bind_int64(st, 8, json_integer_value(json_object_get(m, "duration")));
	const json_t *langs = json_object_get(m, "languages");
	if (langs)
		bind_json(st, 9, langs);
	else
		lc_db_bind_text(st, 9, "[]");
	sqlite3_bind_int(st, 11, json_is_true(json_object_get(m, "cancelled")));
	sqlite3_bind_int64(st, 12, e->id);
	const json_t *cap = json_object_get(m, "capacity");
	if (json_is_integer(cap))
		sqlite3_bind_int64(st, 13, json_integer_value(cap));
	else
		sqlite3_bind_null(st, 13);
	err = run_write(db, st, &id);
	const json_t *sp = json_object_get(m, "speakers");
	if (!err && json_object_get(spec, "speakers")) {
		st = lc_db_stmt(db, "DELETE FROM programme_session_speakers WHERE session_id = ?1");
		if (!st)
			err = LC_EDB;
		else {
			sqlite3_bind_int64(st, 1, id);
			err = lc_db_step(db, st);
			lc_db_release(db, st);
			err = err < 0 ? err : 0;
		}
		size_t i;
		const json_t *v;
		json_array_foreach(sp, i, v)
		{
			if (err)
				break;
			st = lc_db_stmt(db, "INSERT INTO programme_session_speakers (session_id,"
			                    " speaker_id, position) VALUES (?1, ?2, ?3)");
			if (!st) {
				err = LC_EDB;
				break;
			}
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int64(st, 2, json_integer_value(v));
			sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
			int rc = lc_db_step(db, st);
			lc_db_release(db, st);
			err = rc < 0 ? rc : 0;
		}
	}
	/* A capacity raised (or a session uncancelled) frees places for those waiting. */
	if (!err && cur)
		err = lc_prog_signup_offer_free(db, id);
	if (!err)
		err = audit(db, actor, "session", id, cur, m);
	err = finish(db, err);
	if (!err && out_id)
		*out_id = id;
out:
	json_decref(m);
	json_decref(doc);
	return err;
}
