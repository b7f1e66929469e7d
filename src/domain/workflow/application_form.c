/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Membership applications' forms and reading (application.h): creating and
 * saving an application's answers, the signed pledge, one application's view
 * and the lists and queues.
 */
#include "domain/workflow/application.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/accounts/account.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/workflow/call.h"
#include "domain/directory/city.h"
#include "domain/platform/clock.h"
#include "domain/workflow/membership.h"
#include "domain/platform/outbox.h"
#include "domain/accounts/role.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"
#include "formats/filetype.h"
#include "domain/workflow/application_internal.h"

/* ---- creating and saving --------------------------------------------------------------------- */

static int fold_key(const char *name, char *out, size_t n)
{
	struct lc_buf b;
	lc_buf_init(&b, n - 1);
	lc_text_fold(name, strlen(name), &b);
	int err = lc_buf_error(&b) ? LC_EINVAL : 0;
	snprintf(out, n, "%s", err ? "" : lc_buf_cstr(&b));
	lc_buf_cleanup(&b);
	return err;
}

static int country_exists(struct lc_db *db, const char *cc, bool *yes)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT 1 FROM countries WHERE alpha2 = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, cc);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	*yes = rc == 1;
	return rc < 0 ? rc : 0;
}

int lc_application_create(struct lc_db *db, const struct lc_actor *actor, int64_t call_id,
                          const char *country, const char *city_name, struct lc_diag *d,
                          int64_t *id)
{
	*id = 0;
	if (!actor || actor->kind == LC_ACTOR_ANONYMOUS)
		return LC_EAUTH;
	struct lc_authz_object o = {.account_id = actor->account_id};
	int err = lc_authz_check(actor, LC_ACT_APPLY_MEMBERSHIP, &o);
	if (err)
		return err;
	char cc[3] = "";
	if (!country || strlen(country) != 2) {
		lc_diag_add(d, NULL, 0, 0, "country", "err_app_country_code_such_ie");
		return LC_EINVAL;
	}
	cc[0] = (char)(country[0] & ~0x20);
	cc[1] = (char)(country[1] & ~0x20);
	bool known = false;
	err = country_exists(db, cc, &known);
	if (err)
		return err;
	if (!known) {
		lc_diag_add(d, NULL, 0, 0, "country", "err_app_known_country");
		return LC_EINVAL;
	}
	const struct lc_application_field *fname = lc_application_field_named("city_name");
	json_t *name = city_name ? json_string(city_name) : json_null();
	json_t *nv = lc_application_check_field(fname, name, d);
	json_decref(name);
	if (!nv)
		return LC_EINVAL;
	struct lc_call call;
	err = lc_call_get(db, call_id, &call);
	if (err == LC_ENOTFOUND)
		lc_diag_add(d, NULL, 0, 0, "call", "err_app_call_applications");
	if (err)
		goto done;
	char today[11];
	lc_clock_date(lc_clock_now(), today);
	if (strcmp(today, call.closes) > 0) {
		lc_diag_addf(d, NULL, 0, 0, "call", "err_app_call_closed",
		             LC_ARG_S("closes", call.closes));
		err = LC_ECONFLICT;
		goto done;
	}
	char key[LC_LIMIT_NAME_BYTES * 4 + 1];
	err = fold_key(json_string_value(nv), key, sizeof key);
	if (err)
		goto done;
	err = lc_db_begin(db);
	if (err)
		goto done;
	struct lc_wf_item init = {.owner_id = actor->account_id, .year = call.year};
	memcpy(init.country, cc, 3);
	int64_t nid = 0;
	err = lc_wf_create(db, actor, &lc_application_process, &init, &nid);
	sqlite3_stmt *st = err ? NULL
	                       : lc_db_stmt(db, "INSERT INTO applications (item_id, call_id,"
	                                        " country, city_name, city_key, updated_at)"
	                                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!err && !st)
		err = LC_EDB;
	if (!err) {
		sqlite3_bind_int64(st, 1, nid);
		sqlite3_bind_int64(st, 2, call.id);
		lc_db_bind_text(st, 3, cc);
		lc_db_bind_text(st, 4, json_string_value(nv));
		lc_db_bind_text(st, 5, key);
		sqlite3_bind_int64(st, 6, lc_clock_now());
		err = lc_db_step(db, st);
		lc_db_release(db, st);
		err = err < 0 ? err : 0;
	}
	if (err) {
		lc_db_rollback(db);
		goto done;
	}
	err = lc_db_commit(db);
	if (!err)
		*id = nid;
done:
	json_decref(nv);
	return err;
}

/* Loads the item and checks the actor may change its form now. */
static int editable(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                    struct lc_wf_item *it, struct lc_diag *d)
{
	int err = lc_wf_get(db, &lc_application_process, id, it);
	if (err)
		return err;
	struct lc_authz_object o = {.account_id = it->owner_id};
	err = lc_authz_check(actor, LC_ACT_APPLY_MEMBERSHIP, &o);
	if (err)
		return err;
	if (strcmp(it->state, "draft") != 0 && strcmp(it->state, "info_requested") != 0) {
		lc_diag_add(d, NULL, 0, 0, "state", "err_app_application_can_changed_only");
		return LC_ECONFLICT;
	}
	return 0;
}

static int store_field(struct lc_db *db, int64_t id, const struct lc_application_field *f,
                       const json_t *v)
{
	char sql[160];
	snprintf(sql, sizeof sql,
	         "UPDATE applications SET %s = ?2, updated_at = ?3 WHERE item_id = ?1", f->name);
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 3, lc_clock_now());
	int err = 0;
	if (json_is_integer(v)) {
		sqlite3_bind_int64(st, 2, json_integer_value(v));
	} else if (json_is_real(v)) {
		sqlite3_bind_double(st, 2, json_real_value(v));
	} else if (json_is_string(v)) {
		lc_db_bind_text(st, 2, json_string_value(v));
	} else if (json_is_array(v) || json_is_object(v)) {
		struct lc_buf b;
		lc_buf_init(&b, LC_LIMIT_TEXT_BYTES);
		err = lc_row_dump(v, &b);
		if (!err)
			lc_db_bind_text(st, 2, lc_buf_cstr(&b));
		lc_buf_cleanup(&b);
	}
	if (!err)
		err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err >= 0 && strcmp(f->name, "city_name") == 0) {
		char key[LC_LIMIT_NAME_BYTES * 4 + 1];
		err = fold_key(json_string_value(v), key, sizeof key);
		st = err ? NULL
		         : lc_db_stmt(db,
		                      "UPDATE applications SET city_key = ?2 WHERE item_id = ?1");
		if (!err && !st)
			err = LC_EDB;
		if (!err) {
			sqlite3_bind_int64(st, 1, id);
			lc_db_bind_text(st, 2, key);
			err = lc_db_step(db, st);
			lc_db_release(db, st);
		}
	}
	return err < 0 ? err : 0;
}

int lc_application_save(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                        const json_t *in, struct lc_diag *d)
{
	if (!json_is_object(in))
		return LC_EINVAL;
	struct lc_wf_item it;
	int err = editable(db, actor, id, &it, d);
	if (err)
		return err;
	json_t *clean = json_object(), *before = json_object();
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)in, k, v)
	{
		const struct lc_application_field *f = lc_application_field_named(k);
		if (!f) {
			lc_diag_add(d, NULL, 0, 0, k, "err_app_field_application_form");
			err = LC_EINVAL;
			continue;
		}
		json_t *c = lc_application_check_field(f, v, d);
		if (!c)
			err = LC_EINVAL;
		else
			json_object_set_new(clean, k, c);
	}
	struct lc_application_row r = {0};
	if (err)
		goto done;
	err = lc_db_begin(db);
	if (err)
		goto done;
	err = lc_application_load_row(db, id, &r);
	json_object_foreach(clean, k, v)
	{
		if (err)
			break;
		json_object_set(before, k, json_object_get(r.form, k));
		err = store_field(db, id, lc_application_field_named(k), v);
	}
	if (!err)
		err = lc_audit_append_id(db, actor, "application.save", "application", id, before,
		                         clean, NULL);
	if (err) {
		lc_db_rollback(db);
		goto done;
	}
	err = lc_db_commit(db);
done:
	lc_application_row_cleanup(&r);
	json_decref(clean);
	json_decref(before);
	return err;
}

/* ---- the pledge ------------------------------------------------------------------------------ */

/* A download name from what the client called the file: safe bytes only, our extension. */
static void clean_filename(const char *in, const char *type, char *out, size_t n)
{
	char base[96];
	size_t k = 0;
	for (const char *s = in ? in : ""; *s && k + 1 < sizeof base; s++) {
		char c = *s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_')
			base[k++] = c;
		else if (c == '.' || c == ' ')
			base[k++] = '_';
	}
	base[k] = '\0';
	/* Drop the client's extension, now "_pdf" or the like. */
	char *dot = strrchr(base, '_');
	if (dot && strlen(dot) <= 5 && dot != base)
		*dot = '\0';
	snprintf(out, n, "%s.%s", base[0] ? base : "pledge", lc_filetype_ext(type));
}

int lc_application_pledge_put(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                              const char *filename, const unsigned char *data, size_t n,
                              struct lc_diag *d)
{
	struct lc_wf_item it;
	int err = editable(db, actor, id, &it, d);
	if (err)
		return err;
	if (n > LC_LIMIT_PLEDGE_BYTES) {
		lc_diag_addf(d, NULL, 0, 0, "pledge", "err_app_larger_mib",
		             LC_ARG_I("limit", LC_LIMIT_PLEDGE_BYTES >> 20));
		return LC_ELIMIT;
	}
	const char *type = NULL, *why = NULL;
	if (lc_filetype_sniff(data, n, &type, &why) != 0) {
		lc_diag_add(d, NULL, 0, 0, "pledge", why);
		return LC_EINVAL;
	}
	unsigned char hash[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256(hash, data, n);
	sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
	char name[128];
	clean_filename(filename, type, name, sizeof name);
	err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(
	    db, "INSERT INTO application_pledges (item_id, content_type, size, sha256,"
	        " filename, data, uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	        " ON CONFLICT (item_id) DO UPDATE SET content_type = excluded.content_type,"
	        " size = excluded.size, sha256 = excluded.sha256,"
	        " filename = excluded.filename, data = excluded.data,"
	        " uploaded_at = excluded.uploaded_at");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, type);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)n);
	lc_db_bind_text(st, 4, hex);
	lc_db_bind_text(st, 5, name);
	sqlite3_bind_blob64(st, 6, data, n, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, lc_clock_now());
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto out;
	json_t *after = json_pack("{s:s,s:I,s:s,s:s}", "content_type", type, "size", (json_int_t)n,
	                          "sha256", hex, "filename", name);
	err = lc_audit_append_id(db, actor, "application.pledge", "application", id, NULL, after,
	                         NULL);
	json_decref(after);
out:
	if (err) {
		lc_db_rollback(db);
		return err;
	}
	return lc_db_commit(db);
}

int lc_application_may_view(struct lc_db *db, const struct lc_actor *actor,
                            const struct lc_wf_item *item)
{
	int err = lc_wf_may_view(actor, item);
	if (err)
		return err;
	if (actor->kind == LC_ACTOR_SYSTEM || lc_actor_has_role(actor, LC_ROLE_ADMIN) ||
	    (actor->kind == LC_ACTOR_ACCOUNT && actor->account_id == item->owner_id))
		return 0;
	/* The commission sees what was submitted to it; the jury what was passed to it. */
	bool natcom = lc_application_has_natcom(actor, item->country);
	if (!natcom && !lc_actor_has_role(actor, LC_ROLE_EXPERT))
		return LC_EPERM;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT 1 FROM wf_history WHERE item_id = ?1"
	                                  " AND to_state = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, item->id);
	lc_db_bind_text(st, 2, natcom ? "submitted" : "jury_review");
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 1 ? 0 : LC_EPERM;
}

int lc_application_pledge_get(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                              struct lc_pledge *out)
{
	memset(out, 0, sizeof *out);
	struct lc_wf_item it;
	int err = lc_wf_get(db, &lc_application_process, id, &it);
	if (!err)
		err = lc_application_may_view(db, actor, &it);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT content_type, sha256, filename, data"
	                                  " FROM application_pledges WHERE item_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		snprintf(out->content_type, sizeof out->content_type, "%s", lc_db_text(st, 0));
		snprintf(out->sha256, sizeof out->sha256, "%s", lc_db_text(st, 1));
		snprintf(out->filename, sizeof out->filename, "%s", lc_db_text(st, 2));
		lc_row_blob(st, 3, &out->data, &out->size);
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

void lc_application_pledge_cleanup(struct lc_pledge *p)
{
	if (!p)
		return;
	lc_free(p->data);
	p->data = NULL;
}

/* ---- views ----------------------------------------------------------------------------------- */

static json_t *pledge_json(struct lc_db *db, int64_t id)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT content_type, size, sha256, filename, uploaded_at"
	                                  " FROM application_pledges WHERE item_id = ?1");
	if (!st)
		return json_null();
	sqlite3_bind_int64(st, 1, id);
	json_t *j = json_null();
	if (lc_db_step(db, st) == 1) {
		char at[21];
		lc_clock_iso(sqlite3_column_int64(st, 4), at);
		j = json_pack("{s:o,s:o,s:o,s:o,s:s}", "content_type", lc_row_str(st, 0), "size",
		              lc_row_int(st, 1), "sha256", lc_row_str(st, 2), "filename",
		              lc_row_str(st, 3), "uploaded_at", at);
	}
	lc_db_release(db, st);
	return j ? j : json_null();
}

static json_t *city_json(struct lc_db *db, int64_t city)
{
	if (!city)
		return json_null();
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id, slug FROM cities WHERE id = ?1");
	if (!st)
		return json_null();
	sqlite3_bind_int64(st, 1, city);
	json_t *j = json_null();
	if (lc_db_step(db, st) == 1)
		j = json_pack("{s:o,s:o}", "id", lc_row_int(st, 0), "slug", lc_row_str(st, 1));
	lc_db_release(db, st);
	return j ? j : json_null();
}

/* Drops from "next" the commission's steps the secretariat may not take yet. */
static void filter_next(const struct lc_actor *actor, const struct lc_wf_item *it, json_t *item)
{
	if (strcmp(it->state, "submitted") != 0 || lc_application_has_natcom(actor, it->country) ||
	    actor->kind != LC_ACTOR_ACCOUNT)
		return;
	json_t *next = json_object_get(item, "next");
	for (size_t i = json_array_size(next); i-- > 0;) {
		const char *n = json_string_value(json_object_get(json_array_get(next, i), "name"));
		if (n && (strcmp(n, "endorse") == 0 || strcmp(n, "decline") == 0))
			json_array_remove(next, i);
	}
}

int lc_application_json(struct lc_db *db, const struct lc_actor *actor, int64_t id, json_t **out)
{
	*out = NULL;
	struct lc_wf_item it;
	struct lc_application_row r = {0};
	struct lc_call call;
	json_t *j = NULL;
	int err = lc_wf_get(db, &lc_application_process, id, &it);
	if (!err)
		err = lc_application_may_view(db, actor, &it);
	if (!err)
		err = lc_application_load_row(db, id, &r);
	if (!err)
		err = lc_call_get(db, r.call_id, &call);
	if (!err)
		err = lc_wf_item_json(db, actor, &it, &j);
	if (err)
		goto out;
	filter_next(actor, &it, j);
	struct lc_diag miss;
	lc_diag_init(&miss);
	lc_application_check_complete(r.form, &miss);
	bool pledge = false;
	err = lc_application_pledge_exists(db, id, &pledge);
	if (!pledge)
		lc_diag_add(&miss, NULL, 0, 0, "pledge", "err_app_required_upload_signed_pledge");
	json_t *missing = json_array();
	for (size_t i = 0; i < miss.count; i++)
		json_array_append_new(
		    missing, json_pack("{s:s?,s:s,s:s?,s:o}", "field", miss.items[i].field,
		                       "message", miss.items[i].message, "code", miss.items[i].code,
		                       "args", lc_diag_args_json(&miss.items[i])));
	lc_diag_cleanup(&miss);
	struct lc_authz_object o = {.account_id = it.owner_id};
	bool can_edit =
	    (strcmp(it.state, "draft") == 0 || strcmp(it.state, "info_requested") == 0) &&
	    lc_authz_check(actor, LC_ACT_APPLY_MEMBERSHIP, &o) == 0;
	char t[256];
	lc_application_process.title(db, &it, t, sizeof t);
	json_object_set(j, "form", r.form);
	json_object_set_new(j, "call", lc_call_json(&call));
	json_object_set_new(j, "pledge", pledge_json(db, id));
	json_object_set_new(j, "editable", json_boolean(can_edit));
	json_object_set_new(j, "missing", missing);
	json_object_set_new(j, "city", city_json(db, r.city_id));
	json_object_set_new(j, "title", json_string(t));
	/* Until it is decided, everyone who sees the case is warned when its city already
	 * exists: approving would link the application to that city. */
	json_t *match = NULL;
	if (!err && !r.city_id && !lc_wf_state_find(&lc_application_process, it.state)->terminal)
		err = lc_city_match(db, r.city_name, r.country, &match);
	json_object_set_new(j, "existing_city", match ? match : json_null());
	*out = j;
	j = NULL;
out:
	json_decref(j);
	lc_application_row_cleanup(&r);
	return err;
}

int lc_application_take(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *to,
                        const char *reason, struct lc_diag *d)
{
	return lc_application_take_linked(db, actor, id, to, reason, NULL, d);
}

/*
 * Approving an application whose city matches an existing city that is not a
 * member needs link_city to be that city's slug: the secretariat says it is the
 * same city. The member and suspended cases are refused by the guard.
 */
static int check_link(struct lc_db *db, int64_t id, const char *link_city, struct lc_diag *d)
{
	struct lc_application_row r;
	int err = lc_application_load_row(db, id, &r);
	json_t *m = NULL;
	if (!err)
		err = lc_city_match(db, r.city_name, r.country, &m);
	const char *slug = json_string_value(json_object_get(m, "slug"));
	const char *status = json_string_value(json_object_get(m, "status"));
	/* A member or suspended city: the guard refuses, whatever is confirmed. */
	if (status && (strcmp(status, "member") == 0 || strcmp(status, "suspended") == 0)) {
		slug = NULL;
		link_city = NULL;
	}
	bool given = link_city && *link_city;
	if (!err && slug && (!given || strcmp(link_city, slug) != 0)) {
		lc_diag_add(d, NULL, 0, 0, "link_city",
		            given ? "err_app_does_name_existing_city" : "err_app_link_needed");
		err = LC_EINVAL;
	} else if (!err && !slug && given) {
		lc_diag_add(d, NULL, 0, 0, "link_city", "err_app_does_name_existing_city");
		err = LC_EINVAL;
	}
	json_decref(m);
	lc_application_row_cleanup(&r);
	return err;
}

int lc_application_take_linked(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                               const char *to, const char *reason, const char *link_city,
                               struct lc_diag *d)
{
	int err = lc_db_begin(db);
	if (err)
		return err;
	/* Whoever may not see the case learns nothing of its state: the same answer as
	 * for any case they may not see, before any state is compared. */
	struct lc_wf_item it;
	err = lc_wf_get(db, &lc_application_process, id, &it);
	if (!err)
		err = lc_application_may_view(db, actor, &it);
	const struct lc_wf_transition *t =
	    err || !to ? NULL : lc_wf_transition_find(&lc_application_process, it.state, to);
	if (t && strcmp(t->name, "approve") == 0 && lc_wf_may(actor, &it, t) == 0)
		err = check_link(db, id, link_city, d);
	if (!err)
		err = lc_wf_take(db, actor, &lc_application_process, id, to, reason, d, NULL);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

/* ---- lists ----------------------------------------------------------------------------------- */

#define LIST_FROM                                                                                  \
	" FROM wf_items w JOIN applications a ON a.item_id = w.id"                                 \
	" LEFT JOIN accounts o ON o.id = w.owner_id"                                               \
	" WHERE w.process = 'application'"                                                         \
	" AND ((?2 AND w.owner_id = ?1) OR ?3"                                                     \
	"  OR (?4 AND w.country IN (SELECT country FROM role_grants"                               \
	"      WHERE account_id = ?1 AND role = 'natcom')"                                         \
	"      AND w.id IN (SELECT item_id FROM wf_history WHERE to_state = 'submitted'))"         \
	"  OR (?5 AND w.id IN (SELECT item_id FROM wf_history WHERE to_state = 'jury_review')))"   \
	" AND (?7 IS NULL OR w.country = ?7) AND (?8 IS NULL OR w.year = ?8)"

static void bind_scope(sqlite3_stmt *st, const struct lc_actor *a,
                       const struct lc_application_query *q)
{
	bool admin = lc_actor_has_role(a, LC_ROLE_ADMIN) || a->kind == LC_ACTOR_SYSTEM;
	bool expert = lc_actor_has_role(a, LC_ROLE_EXPERT);
	enum lc_application_scope s = q->scope;
	sqlite3_bind_int64(st, 1, a->account_id);
	sqlite3_bind_int(st, 2, s == LC_APP_SCOPE_VISIBLE || s == LC_APP_SCOPE_MINE);
	sqlite3_bind_int(st, 3, (s == LC_APP_SCOPE_VISIBLE || s == LC_APP_SCOPE_ALL) && admin);
	sqlite3_bind_int(st, 4, s == LC_APP_SCOPE_VISIBLE || s == LC_APP_SCOPE_NATCOM);
	sqlite3_bind_int(st, 5, (s == LC_APP_SCOPE_VISIBLE || s == LC_APP_SCOPE_EXPERT) && expert);
	if (q->country && *q->country)
		lc_db_bind_text(st, 7, q->country);
	if (q->year)
		sqlite3_bind_int64(st, 8, q->year);
}

int lc_application_list(struct lc_db *db, const struct lc_actor *actor,
                        const struct lc_application_query *q, json_t **out)
{
	*out = NULL;
	if (!actor || actor->kind == LC_ACTOR_ANONYMOUS)
		return LC_EAUTH;
	if (q->state && *q->state && !lc_wf_state_find(&lc_application_process, q->state))
		return LC_EINVAL;
	long per = q->per_page > 0 ? q->per_page : LC_DEFAULT_PER_PAGE;
	if (per > LC_LIMIT_PER_PAGE)
		per = LC_LIMIT_PER_PAGE;
	long page = q->page > 0 ? q->page : 1;
	int64_t now = lc_clock_now();
	json_t *by = json_object(), *items = json_array();
	long total = 0;
	int rc = 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT w.state, count(*)" LIST_FROM " GROUP BY w.state");
	if (!st) {
		rc = LC_EDB;
		goto out;
	}
	bind_scope(st, actor, q);
	while (lc_db_next(db, st, &rc)) {
		const char *s = lc_db_text(st, 0);
		long n = (long)sqlite3_column_int64(st, 1);
		json_object_set_new(by, s, json_integer(n));
		if (!q->state || !*q->state || strcmp(q->state, s) == 0)
			total += n;
	}
	lc_db_release(db, st);
	if (rc < 0)
		goto out;
	st = lc_db_stmt(db, "SELECT w.id, w.state, a.city_name, w.country, w.year, w.due_at,"
	                    " w.entered_at, o.email" LIST_FROM " AND (?6 IS NULL OR w.state = ?6)"
	                    " ORDER BY (w.due_at IS NOT NULL AND w.due_at <= ?9) DESC,"
	                    " w.due_at IS NULL, w.due_at, w.id DESC LIMIT ?10 OFFSET ?11");
	if (!st) {
		rc = LC_EDB;
		goto out;
	}
	bind_scope(st, actor, q);
	if (q->state && *q->state)
		lc_db_bind_text(st, 6, q->state);
	sqlite3_bind_int64(st, 9, now);
	sqlite3_bind_int64(st, 10, per);
	sqlite3_bind_int64(st, 11, (page - 1) * per);
	while (lc_db_next(db, st, &rc)) {
		char due[21] = "", at[21] = "";
		int64_t d = sqlite3_column_int64(st, 5), e = sqlite3_column_int64(st, 6);
		if (d)
			lc_clock_iso(d, due);
		lc_clock_iso(e, at);
		const struct lc_wf_state *ws =
		    lc_wf_state_find(&lc_application_process, lc_db_text(st, 1));
		json_t *match = NULL;
		if (ws && !ws->terminal)
			rc = lc_city_match(db, lc_db_text(st, 2), lc_db_text(st, 3), &match);
		if (rc < 0)
			break;
		json_array_append_new(
		    items,
		    json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:b,s:s,s:o,s:o}", "id",
		              (json_int_t)sqlite3_column_int64(st, 0), "state", lc_row_str(st, 1),
		              "city_name", lc_row_str(st, 2), "country", lc_row_str(st, 3), "year",
		              lc_row_int(st, 4), "due_at", d ? json_string(due) : json_null(),
		              "overdue", d && d <= now, "entered_at", at, "applicant",
		              lc_row_str(st, 7), "existing_city", match ? match : json_null()));
	}
	lc_db_release(db, st);
	if (rc < 0)
		goto out;
	*out = json_pack("{s:O,s:O,s:I,s:I,s:I,s:I}", "items", items, "by_state", by, "total",
	                 (json_int_t)total, "page", (json_int_t)page, "pages",
	                 (json_int_t)(total ? (total + per - 1) / per : 1), "per_page",
	                 (json_int_t)per);
	rc = *out ? 0 : LC_EINTERNAL;
out:
	json_decref(by);
	json_decref(items);
	return rc < 0 ? rc : 0;
}
