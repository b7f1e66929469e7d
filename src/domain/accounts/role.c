/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Scoped role grants (role.h). */
#include "domain/accounts/role.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/slice.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"

static int fail(const char **why, const char *msg, int err)
{
	if (why)
		*why = msg;
	return err;
}

/* 1 when the query bound with one text or integer finds a row, 0 when not. */
static int exists(struct lc_db *db, const char *sql, const char *text, long num, int64_t *id)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	if (text)
		lc_db_bind_text(st, 1, text);
	else
		sqlite3_bind_int64(st, 1, num);
	int rc = lc_db_step(db, st);
	if (rc == 1 && id)
		*id = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc;
}

int lc_role_parse(struct lc_db *db, const char *spec, struct lc_role *out, const char **why)
{
	memset(out, 0, sizeof *out);
	if (why)
		*why = NULL;
	if (!spec || strlen(spec) > 128)
		return fail(why, "is not ROLE or ROLE:SCOPE", LC_EINVAL);
	struct lc_slice head;
	struct lc_slice scope = lc_slice_cut(lc_slice_cstr(spec), ':', &head);
	char kind[16];
	if (head.len == 0 || head.len >= sizeof kind)
		return fail(why,
		            "names no known role (admin, coordinator, natcom, jury, participant, "
		            "expert, checkin)",
		            LC_EINVAL);
	memcpy(kind, head.ptr, head.len);
	kind[head.len] = '\0';
	if (lc_role_kind_parse(kind, &out->kind) != 0)
		return fail(why,
		            "names no known role (admin, coordinator, natcom, jury, participant, "
		            "expert, checkin)",
		            LC_EINVAL);
	bool scoped = out->kind == LC_ROLE_COORDINATOR || out->kind == LC_ROLE_NATCOM ||
	              out->kind == LC_ROLE_JURY || out->kind == LC_ROLE_CHECKIN;
	if (!scoped)
		return scope.ptr
		           ? fail(why, "takes no scope (admin, participant and expert are global)",
		                  LC_EINVAL)
		           : 0;
	if (!scope.ptr || scope.len == 0)
		return fail(why,
		            out->kind == LC_ROLE_COORDINATOR ? "needs a city: coordinator:CITY-SLUG"
		            : out->kind == LC_ROLE_NATCOM    ? "needs a country: natcom:XX"
		            : out->kind == LC_ROLE_CHECKIN   ? "needs a conference: checkin:SLUG"
		                                             : "needs a year: jury:YYYY",
		            LC_EINVAL);
	char s[100];
	if (scope.len >= sizeof s)
		return fail(why, "has a malformed scope", LC_EINVAL);
	memcpy(s, scope.ptr, scope.len);
	s[scope.len] = '\0';
	int rc;
	switch (out->kind) {
	case LC_ROLE_COORDINATOR:
		if (!lc_text_slug_ok(s))
			return fail(why, "has a malformed city slug", LC_EINVAL);
		rc = exists(db, "SELECT id FROM cities WHERE slug = ?1", s, 0, &out->city_id);
		if (rc == 0)
			return fail(why, "names no city with this slug", LC_ENOTFOUND);
		break;
	case LC_ROLE_CHECKIN:
		if (!lc_text_slug_ok(s))
			return fail(why, "has a malformed conference slug", LC_EINVAL);
		rc = exists(db, "SELECT id FROM conference_events WHERE slug = ?1", s, 0,
		            &out->conference_id);
		if (rc == 0)
			return fail(why, "names no conference with this slug", LC_ENOTFOUND);
		break;
	case LC_ROLE_NATCOM:
		if (strlen(s) != 2 || !((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z') ||
		    !((s[1] | 0x20) >= 'a' && (s[1] | 0x20) <= 'z'))
			return fail(why, "has a malformed country code (two letters)", LC_EINVAL);
		out->country[0] = (char)(s[0] & ~0x20);
		out->country[1] = (char)(s[1] & ~0x20);
		out->country[2] = '\0';
		rc = exists(db, "SELECT 1 FROM countries WHERE alpha2 = ?1", out->country, 0, NULL);
		if (rc == 0)
			return fail(why, "names no known country", LC_ENOTFOUND);
		break;
	default: {
		long y;
		if (lc_slice_to_long(lc_slice_cstr(s), 1900, 2999, &y) != 0)
			return fail(why, "has a malformed year", LC_EINVAL);
		out->year = y;
		rc = exists(db, "SELECT 1 FROM award_rounds WHERE year = ?1", NULL, y, NULL);
		if (rc == 0)
			return fail(why, "names no award round of this year", LC_ENOTFOUND);
		break;
	}
	}
	return rc < 0 ? rc : 0;
}

int lc_role_format(struct lc_db *db, const struct lc_role *r, char *out, size_t n)
{
	const char *name = lc_role_kind_name(r->kind);
	if (!name)
		return LC_EINVAL;
	switch (r->kind) {
	case LC_ROLE_COORDINATOR: {
		sqlite3_stmt *st = lc_db_stmt(db, "SELECT slug FROM cities WHERE id = ?1");
		if (!st)
			return LC_EDB;
		sqlite3_bind_int64(st, 1, r->city_id);
		int rc = lc_db_step(db, st);
		if (rc == 1)
			snprintf(out, n, "coordinator:%s", lc_db_text(st, 0));
		lc_db_release(db, st);
		return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
	}
	case LC_ROLE_CHECKIN: {
		sqlite3_stmt *st =
		    lc_db_stmt(db, "SELECT slug FROM conference_events WHERE id = ?1");
		if (!st)
			return LC_EDB;
		sqlite3_bind_int64(st, 1, r->conference_id);
		int rc = lc_db_step(db, st);
		if (rc == 1)
			snprintf(out, n, "checkin:%s", lc_db_text(st, 0));
		lc_db_release(db, st);
		return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
	}
	case LC_ROLE_NATCOM: snprintf(out, n, "natcom:%s", r->country); return 0;
	case LC_ROLE_JURY: snprintf(out, n, "jury:%ld", r->year); return 0;
	default: snprintf(out, n, "%s", name); return 0;
	}
}

static void bind_role(sqlite3_stmt *st, int64_t account_id, const struct lc_role *r)
{
	sqlite3_bind_int64(st, 1, account_id);
	lc_db_bind_text(st, 2, lc_role_kind_name(r->kind));
	if (r->kind == LC_ROLE_COORDINATOR)
		sqlite3_bind_int64(st, 3, r->city_id);
	if (r->kind == LC_ROLE_NATCOM)
		lc_db_bind_text(st, 4, r->country);
	if (r->kind == LC_ROLE_JURY)
		sqlite3_bind_int64(st, 5, r->year);
	if (r->kind == LC_ROLE_CHECKIN)
		sqlite3_bind_int64(st, 6, r->conference_id);
}

static int held(struct lc_db *db, int64_t account_id, const struct lc_role *r, int64_t *id)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id FROM role_grants WHERE account_id = ?1"
	                                  " AND role = ?2 AND city_id IS ?3 AND country IS ?4"
	                                  " AND year IS ?5 AND conference_id IS ?6");
	if (!st)
		return LC_EDB;
	bind_role(st, account_id, r);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*id = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return rc;
}

int lc_role_grant(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                  const struct lc_role *r)
{
	int err = lc_authz_check(actor, LC_ACT_MANAGE_USERS, NULL);
	if (err)
		return err;
	if ((unsigned)r->kind >= LC_ROLE__COUNT)
		return LC_EINVAL;
	char spec[160];
	err = lc_db_begin(db);
	if (err)
		return err;
	int64_t gid = 0;
	err = held(db, account_id, r, &gid);
	if (err != 0)
		goto out; /* 1: already held, nothing to do; or an error */
	err = exists(db, "SELECT count(*) FROM role_grants WHERE account_id = ?1", NULL,
	             (long)account_id, &gid);
	if (err < 0)
		goto out;
	err = gid >= LC_LIMIT_ACCOUNT_ROLES ? LC_ELIMIT : 0;
	if (err)
		goto out;
	sqlite3_stmt *st = lc_db_stmt(db, "INSERT INTO role_grants (account_id, role, city_id,"
	                                  " country, year, conference_id, created_at)"
	                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, unixepoch())");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	bind_role(st, account_id, r);
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err == LC_ECONFLICT)
		err = LC_ENOTFOUND; /* a foreign key: no such account, city, country or round */
	if (err < 0)
		goto out;
	err = lc_role_format(db, r, spec, sizeof spec);
	if (!err) {
		json_t *after = json_pack("{s:s}", "role", spec);
		err = lc_audit_append_id(db, actor, "role.grant", "account", account_id, NULL,
		                         after, NULL);
		json_decref(after);
	}
out:
	if (err == 1)
		err = 0;
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

int lc_role_revoke(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                   const struct lc_role *r)
{
	int err = lc_authz_check(actor, LC_ACT_MANAGE_USERS, NULL);
	if (err)
		return err;
	if (r->kind == LC_ROLE_ADMIN && actor->kind == LC_ACTOR_ACCOUNT &&
	    actor->account_id == account_id)
		return LC_EPERM;
	char spec[160];
	err = lc_db_begin(db);
	if (err)
		return err;
	int64_t gid = 0;
	err = held(db, account_id, r, &gid);
	if (err == 0)
		err = LC_ENOTFOUND;
	if (err < 0)
		goto out;
	err = lc_role_format(db, r, spec, sizeof spec);
	if (err)
		goto out;
	sqlite3_stmt *st = lc_db_stmt(db, "DELETE FROM role_grants WHERE id = ?1");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, gid);
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto out;
	json_t *before = json_pack("{s:s}", "role", spec);
	err =
	    lc_audit_append_id(db, actor, "role.revoke", "account", account_id, before, NULL, NULL);
	json_decref(before);
out:
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

int lc_role_list(struct lc_db *db, int64_t account_id, const char *lang, json_t **out)
{
	*out = NULL;
	char path[16];
	lc_text_lang_path(lang, path, sizeof path);
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT g.role, c.id, c.slug, " LC_ROW_TR("c.name") ", g.country, " LC_ROW_TR(
	            "k.name") ", g.year, e.slug FROM role_grants g"
	                      " LEFT JOIN cities c ON c.id = g.city_id"
	                      " LEFT JOIN countries k ON k.alpha2 = g.country"
	                      " LEFT JOIN conference_events e ON e.id = g.conference_id"
	                      " WHERE g.account_id = ?2 ORDER BY g.role, c.slug, g.country, g.year,"
	                      " e.slug");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, path);
	sqlite3_bind_int64(st, 2, account_id);
	json_t *a = json_array();
	int rc;
	while ((rc = lc_db_step(db, st)) == 1) {
		const char *role = lc_db_text(st, 0);
		json_t *o = json_pack("{s:s}", "role", role ? role : "");
		char spec[160];
		if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
			json_object_set_new(o, "city",
			                    json_pack("{s:o,s:o,s:o}", "id", lc_row_int(st, 1),
			                              "slug", lc_row_str(st, 2), "name",
			                              lc_row_str(st, 3)));
			snprintf(spec, sizeof spec, "%s:%s", role, lc_db_text(st, 2));
		} else if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
			json_object_set_new(o, "country",
			                    json_pack("{s:o,s:o}", "code", lc_row_str(st, 4),
			                              "name", lc_row_str(st, 5)));
			snprintf(spec, sizeof spec, "%s:%s", role, lc_db_text(st, 4));
		} else if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
			json_object_set_new(o, "year", lc_row_int(st, 6));
			snprintf(spec, sizeof spec, "%s:%lld", role,
			         (long long)sqlite3_column_int64(st, 6));
		} else if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
			json_object_set_new(o, "conference", lc_row_str(st, 7));
			snprintf(spec, sizeof spec, "%s:%s", role, lc_db_text(st, 7));
		} else {
			snprintf(spec, sizeof spec, "%s", role);
		}
		json_object_set_new(o, "spec", json_string(spec));
		json_array_append_new(a, o);
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}
