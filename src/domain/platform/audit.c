/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The audit trail (audit.h). One fixed WHERE clause serves every filter:
 * each condition is "?n IS NULL OR ...", so the statement is prepared once
 * and cached, and the filters are bound, never spliced into SQL.
 */
#include "domain/platform/audit.h"

#include <stdbool.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/platform/clock.h"
#include "domain/platform/row.h"

#define WHERE                                                                                      \
	" WHERE (?1 IS NULL OR lower(actor_email) = lower(?1))"                                    \
	" AND (?2 = 0 OR actor_id = ?2)"                                                           \
	" AND (?3 IS NULL OR action = ?3 OR (substr(?3, -1) = '.'"                                 \
	"      AND substr(action, 1, length(?3)) = ?3))"                                           \
	" AND (?4 IS NULL OR object_type = ?4)"                                                    \
	" AND (?5 IS NULL OR object_id = ?5)"                                                      \
	" AND (?6 IS NULL OR at >= unixepoch(?6))"                                                 \
	" AND (?7 IS NULL OR at < unixepoch(?7, '+1 day'))"

#define COLS                                                                                       \
	"id, strftime('%Y-%m-%dT%H:%M:%SZ', at, 'unixepoch'), actor_id, actor_email, action,"      \
	" object_type, object_id, before, after, reason, addr"

static int dump(const json_t *j, struct lc_buf *b)
{
	if (!j)
		return 0;
	lc_buf_init(b, LC_LIMIT_AUDIT_JSON_BYTES);
	return lc_row_dump(j, b) ? LC_ELIMIT : 0;
}

int lc_audit_append(struct lc_db *db, const struct lc_actor *actor, const char *action,
                    const char *object_type, const char *object_id, const json_t *before,
                    const json_t *after, const char *reason)
{
	struct lc_buf b = {0}, a = {0};
	int err = dump(before, &b);
	if (!err)
		err = dump(after, &a);
	sqlite3_stmt *st = NULL;
	if (!err) {
		st = lc_db_stmt(db, "INSERT INTO audit (at, actor_id, actor_email, action,"
		                    " object_type, object_id, before, after, reason, addr)"
		                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
		if (!st)
			err = LC_EDB;
	}
	if (err)
		goto out;
	sqlite3_bind_int64(st, 1, lc_clock_now());
	if (actor && actor->kind == LC_ACTOR_ACCOUNT) {
		sqlite3_bind_int64(st, 2, actor->account_id);
		lc_db_bind_text(st, 3, actor->email);
	} else {
		lc_db_bind_text(st, 3,
		                actor && actor->kind == LC_ACTOR_SYSTEM ? "system" : "anonymous");
	}
	lc_db_bind_text(st, 4, action);
	lc_db_bind_text(st, 5, object_type);
	lc_db_bind_text(st, 6, object_id);
	lc_db_bind_text(st, 7, before ? lc_buf_cstr(&b) : NULL);
	lc_db_bind_text(st, 8, after ? lc_buf_cstr(&a) : NULL);
	lc_db_bind_text(st, 9, reason && reason[0] ? reason : NULL);
	lc_db_bind_text(st, 10, actor && actor->addr[0] ? actor->addr : NULL);
	err = lc_db_step(db, st);
	err = err < 0 ? err : 0;
	lc_db_release(db, st);
out:
	if (before)
		lc_buf_cleanup(&b);
	if (after)
		lc_buf_cleanup(&a);
	return err;
}

int lc_audit_append_id(struct lc_db *db, const struct lc_actor *actor, const char *action,
                       const char *object_type, int64_t object_id, const json_t *before,
                       const json_t *after, const char *reason)
{
	char id[24];
	struct lc_buf b;
	lc_buf_init(&b, sizeof id);
	lc_buf_printf(&b, "%lld", (long long)object_id);
	memcpy(id, lc_buf_cstr(&b), b.len + 1);
	lc_buf_cleanup(&b);
	return lc_audit_append(db, actor, action, object_type, id, before, after, reason);
}

static bool date_ok(const char *s)
{
	if (!s)
		return true;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	int mo = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	return mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

static const char *nz(const char *s)
{
	return s && s[0] ? s : NULL;
}

static void bind_filters(sqlite3_stmt *st, const struct lc_audit_query *q)
{
	lc_db_bind_text(st, 1, nz(q->person));
	sqlite3_bind_int64(st, 2, q->person_id);
	lc_db_bind_text(st, 3, nz(q->action));
	lc_db_bind_text(st, 4, nz(q->object_type));
	lc_db_bind_text(st, 5, nz(q->object_type) ? nz(q->object_id) : NULL);
	lc_db_bind_text(st, 6, nz(q->from));
	lc_db_bind_text(st, 7, nz(q->to));
}

static json_t *parsed(sqlite3_stmt *st, int i)
{
	const char *s = lc_db_text(st, i);
	json_t *j = s ? json_loads(s, 0, NULL) : NULL;
	return j ? j : json_null();
}

static json_t *item(sqlite3_stmt *st)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", lc_row_int(st, 0));
	json_object_set_new(o, "at", lc_row_str(st, 1));
	json_object_set_new(
	    o, "actor",
	    json_pack("{s:o,s:o}", "id", lc_row_int(st, 2), "email", lc_row_str(st, 3)));
	json_object_set_new(o, "action", lc_row_str(st, 4));
	json_object_set_new(
	    o, "object",
	    json_pack("{s:o,s:o}", "type", lc_row_str(st, 5), "id", lc_row_str(st, 6)));
	json_object_set_new(o, "before", parsed(st, 7));
	json_object_set_new(o, "after", parsed(st, 8));
	json_object_set_new(o, "reason", lc_row_str(st, 9));
	json_object_set_new(o, "addr", lc_row_str(st, 10));
	return o;
}

static int check_query(const struct lc_actor *actor, const struct lc_audit_query *q)
{
	int err = lc_authz_check(actor, LC_ACT_VIEW_AUDIT, NULL);
	if (err)
		return err;
	if (!date_ok(nz(q->from)) || !date_ok(nz(q->to)))
		return LC_EINVAL;
	if ((q->person && strlen(q->person) > LC_LIMIT_EMAIL_BYTES) ||
	    (q->action && strlen(q->action) > 64) ||
	    (q->object_type && strlen(q->object_type) > 64) ||
	    (q->object_id && strlen(q->object_id) > 64))
		return LC_ELIMIT;
	return 0;
}

static json_t *filters(const struct lc_audit_query *q)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "person", lc_row_cstr(nz(q->person)),
	                 "action", lc_row_cstr(nz(q->action)), "object_type",
	                 lc_row_cstr(nz(q->object_type)), "object_id",
	                 lc_row_cstr(nz(q->object_id)), "from", lc_row_cstr(nz(q->from)), "to",
	                 lc_row_cstr(nz(q->to)));
}

int lc_audit_list(struct lc_db *db, const struct lc_actor *actor, const struct lc_audit_query *q,
                  json_t **out)
{
	*out = NULL;
	int err = check_query(actor, q);
	if (err)
		return err;
	struct lc_row_page pg;
	if (lc_row_page_init(&pg, q->page, q->per_page))
		return LC_EINVAL;
	/* Counting stops past LC_LIMIT_AUDIT_COUNT: the trail only grows, and a
	 * count of all of it would cost every look at the first page more. */
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT count(*) FROM (SELECT 1 FROM audit" WHERE " LIMIT ?8)");
	if (!st)
		return LC_EDB;
	bind_filters(st, q);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)LC_LIMIT_AUDIT_COUNT + 1);
	int rc = lc_db_step(db, st);
	long long total = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	bool more = total > LC_LIMIT_AUDIT_COUNT;
	if (more)
		total = LC_LIMIT_AUDIT_COUNT;
	st = lc_db_stmt(db, "SELECT " COLS " FROM audit" WHERE
	                    " ORDER BY at DESC, id DESC LIMIT ?8 OFFSET ?9");
	if (!st)
		return LC_EDB;
	bind_filters(st, q);
	sqlite3_bind_int64(st, 8, pg.per_page);
	sqlite3_bind_int64(st, 9, lc_row_page_offset(&pg));
	json_t *items = json_array();
	while ((rc = lc_db_step(db, st)) == 1)
		json_array_append_new(items, item(st));
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = lc_row_paged(items, total, &pg);
	if (!*out)
		return LC_EINTERNAL;
	json_object_set_new(*out, "total_more", json_boolean(more));
	json_object_set_new(*out, "filters", filters(q));
	return 0;
}

int lc_audit_export(struct lc_db *db, const struct lc_actor *actor, const struct lc_audit_query *q,
                    json_t **out)
{
	*out = NULL;
	int err = check_query(actor, q);
	if (err)
		return err;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT " COLS " FROM audit" WHERE " ORDER BY at, id LIMIT ?8");
	if (!st)
		return LC_EDB;
	bind_filters(st, q);
	sqlite3_bind_int64(st, 8, LC_LIMIT_AUDIT_EXPORT + 1);
	json_t *items = json_array();
	int rc;
	while ((rc = lc_db_step(db, st)) == 1)
		json_array_append_new(items, item(st));
	lc_db_release(db, st);
	if (rc < 0 || json_array_size(items) > LC_LIMIT_AUDIT_EXPORT) {
		json_decref(items);
		return rc < 0 ? rc : LC_ELIMIT;
	}
	*out = items;
	return 0;
}
