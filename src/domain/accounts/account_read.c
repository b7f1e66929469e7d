/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Reading accounts (account.h): one account with its roles, and the paged,
 * filtered list the administrators' pages show. Nothing here writes.
 */
#include "domain/accounts/account.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/slice.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/platform/clock.h"
#include "domain/accounts/onetime.h"
#include "domain/platform/outbox.h"
#include "domain/accounts/password.h"
#include "domain/accounts/role.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"
#include "domain/accounts/throttle.h"
#include "mail/address.h"
#include "domain/accounts/account_internal.h"

/* ---- reading ------------------------------------------------------------- */

#define ACCOUNT_COLS                                                                               \
	"id, email, name, lang, status, password_hash IS NOT NULL, created_at, updated_at"

static void fill(sqlite3_stmt *st, struct lc_account *out)
{
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(st, 0);
	snprintf(out->email, sizeof out->email, "%s", lc_db_text(st, 1));
	snprintf(out->name, sizeof out->name, "%s", lc_db_text(st, 2));
	snprintf(out->lang, sizeof out->lang, "%s", lc_db_text(st, 3));
	if (lc_account_status_parse(lc_db_text(st, 4), &out->status) != 0)
		out->status = LC_ACCOUNT_DISABLED;
	out->has_password = sqlite3_column_int(st, 5) != 0;
	out->created_at = sqlite3_column_int64(st, 6);
	out->updated_at = sqlite3_column_int64(st, 7);
}

int lc_account_get(struct lc_db *db, int64_t id, struct lc_account *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT " ACCOUNT_COLS " FROM accounts WHERE id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		fill(st, out);
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

int lc_account_find(struct lc_db *db, const char *email, struct lc_account *out)
{
	memset(out, 0, sizeof *out);
	char norm[LC_LIMIT_EMAIL_BYTES + 1];
	if (!email || lc_account_email_normalise(email, strlen(email), norm, sizeof norm) != 0)
		return LC_ENOTFOUND;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT " ACCOUNT_COLS " FROM accounts WHERE email_norm = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, norm);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		fill(st, out);
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

#define ROLE_SPECS                                                                                 \
	"(SELECT group_concat(spec, ' ') FROM (SELECT g.role || coalesce(':' || c.slug,"           \
	" ':' || g.country, ':' || g.year, '') AS spec FROM role_grants g"                         \
	" LEFT JOIN cities c ON c.id = g.city_id WHERE g.account_id = a.id ORDER BY 1))"

#define LIST_WHERE                                                                                 \
	" WHERE (?1 IS NULL OR instr(a.email_norm, lower(?1)) > 0"                                 \
	"        OR instr(lower(a.name), lower(?1)) > 0)"                                          \
	" AND (?2 IS NULL OR a.status = ?2)"                                                       \
	" AND (?3 IS NULL OR EXISTS (SELECT 1 FROM role_grants r WHERE r.account_id = a.id"        \
	"      AND r.role = ?3))"

int lc_account_list(struct lc_db *db, const struct lc_actor *actor,
                    const struct lc_account_query *q, json_t **out)
{
	*out = NULL;
	int err = lc_authz_check(actor, LC_ACT_MANAGE_USERS, NULL);
	if (err)
		return err;
	const char *text = q->q && q->q[0] ? q->q : NULL;
	const char *status = q->status && q->status[0] ? q->status : NULL;
	const char *role = q->role && q->role[0] ? q->role : NULL;
	enum lc_account_status s;
	enum lc_role_kind k;
	if (text && strlen(text) > LC_LIMIT_SEARCH_BYTES)
		return LC_ELIMIT;
	if ((status && lc_account_status_parse(status, &s) != 0) ||
	    (role && lc_role_kind_parse(role, &k)))
		return LC_EINVAL;
	struct lc_row_page pg;
	if (lc_row_page_init(&pg, q->page, q->per_page))
		return LC_EINVAL;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT count(*) FROM accounts a" LIST_WHERE);
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, text);
	lc_db_bind_text(st, 2, status);
	lc_db_bind_text(st, 3, role);
	int rc = lc_db_step(db, st);
	long long total = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	st = lc_db_stmt(db, "SELECT a.id, a.email, a.name, a.lang, a.status, " LC_ACCOUNT_ISO(
	                        "a.created_at") ", " ROLE_SPECS " FROM accounts a" LIST_WHERE
	                                        " ORDER BY a.email_norm LIMIT ?4 OFFSET ?5");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, text);
	lc_db_bind_text(st, 2, status);
	lc_db_bind_text(st, 3, role);
	sqlite3_bind_int64(st, 4, pg.per_page);
	sqlite3_bind_int64(st, 5, lc_row_page_offset(&pg));
	json_t *items = json_array();
	while ((rc = lc_db_step(db, st)) == 1) {
		json_t *roles = json_array();
		const char *specs = lc_db_text(st, 6);
		while (specs && *specs) {
			const char *sp = strchr(specs, ' ');
			size_t n = sp ? (size_t)(sp - specs) : strlen(specs);
			json_array_append_new(roles, json_stringn(specs, n));
			specs += n + (sp ? 1 : 0);
		}
		json_array_append_new(
		    items, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", lc_row_int(st, 0),
		                     "email", lc_row_str(st, 1), "name", lc_row_str(st, 2), "lang",
		                     lc_row_str(st, 3), "status", lc_row_str(st, 4), "created_at",
		                     lc_row_str(st, 5), "roles", roles));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = lc_row_paged(items, total, &pg);
	if (!*out)
		return LC_EINTERNAL;
	json_object_set_new(*out, "filters",
	                    json_pack("{s:o,s:o,s:o}", "q", lc_row_cstr(text), "status",
	                              lc_row_cstr(status), "role", lc_row_cstr(role)));
	return 0;
}

int lc_account_json(struct lc_db *db, int64_t id, const char *lang, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id, email, name, lang, status, " LC_ACCOUNT_ISO(
	                                      "created_at") " FROM accounts WHERE id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	json_t *o = NULL;
	if (rc == 1)
		o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "id", lc_row_int(st, 0), "email",
		              lc_row_str(st, 1), "name", lc_row_str(st, 2), "lang",
		              lc_row_str(st, 3), "status", lc_row_str(st, 4), "created_at",
		              lc_row_str(st, 5));
	lc_db_release(db, st);
	if (rc != 1)
		return rc < 0 ? rc : LC_ENOTFOUND;
	json_t *roles = NULL;
	int err = lc_role_list(db, id, lang, &roles);
	if (err) {
		json_decref(o);
		return err;
	}
	json_object_set_new(o, "roles", roles);
	*out = o;
	return 0;
}
