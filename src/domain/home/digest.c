/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The weekly e-mail of what waits on a person (digest.h). */
#include "domain/home/digest.h"

#include <jansson.h>
#include <string.h>

#include "base/error.h"
#include "base/log.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/platform/audit.h"
#include "domain/platform/clock.h"
#include "domain/platform/outbox.h"
#include "domain/workflow/inbox.h"
#include "domain/workflow/workflow.h"

int lc_digest_get(struct lc_db *db, const struct lc_actor *actor, bool *weekly)
{
	*weekly = false;
	if (actor->kind != LC_ACTOR_ACCOUNT)
		return LC_EAUTH;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT weekly FROM account_digests WHERE account_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, actor->account_id);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*weekly = sqlite3_column_int(st, 0) != 0;
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_digest_set(struct lc_db *db, const struct lc_actor *actor, bool weekly)
{
	if (actor->kind != LC_ACTOR_ACCOUNT)
		return LC_EAUTH;
	int err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(
	    db, "INSERT INTO account_digests (account_id, weekly, updated_at) VALUES (?1, ?2, ?3)"
	        " ON CONFLICT (account_id) DO UPDATE SET weekly = ?2, updated_at = ?3");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, actor->account_id);
	sqlite3_bind_int(st, 2, weekly);
	sqlite3_bind_int64(st, 3, lc_clock_now());
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	json_t *after = json_pack("{s:b}", "weekly", weekly);
	err = lc_audit_append_id(db, actor, "account.digest", "account", actor->account_id, NULL,
	                         after, NULL);
	json_decref(after);
out:
	if (err) {
		lc_db_rollback(db);
		return err;
	}
	return lc_db_commit(db);
}

static const struct lc_wf_process *process_named(const struct lc_wf_process *const *procs, size_t n,
                                                 const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(procs[i]->name, name) == 0)
			return procs[i];
	return NULL;
}

/* The message's variables: the cases as the mail layer says a case (lc_wf_mail_vars). */
static int digest_vars(struct lc_db *db, const struct lc_actor *a,
                       const struct lc_wf_process *const *procs, size_t n, json_t **vars)
{
	*vars = NULL;
	json_t *list = NULL;
	int err = lc_inbox_list(db, a, procs, n, LC_DIGEST_ITEMS, &list);
	if (err)
		return err;
	json_int_t total = json_integer_value(json_object_get(list, "total"));
	json_t *items = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(list, "items"), i, it)
	{
		const struct lc_wf_process *p =
		    process_named(procs, n, json_string_value(json_object_get(it, "process")));
		struct lc_wf_item w;
		int e = p ? lc_wf_get(db, p, json_integer_value(json_object_get(it, "id")), &w) : 1;
		if (e == LC_EDB) {
			err = e;
			break;
		}
		if (e)
			continue;
		json_t *v = lc_wf_mail_vars(db, &w);
		if (!v) {
			err = LC_EDB;
			break;
		}
		json_object_set_new(v, "state", json_string(w.state));
		json_object_set_new(v, "overdue", json_boolean(lc_wf_overdue(&w, lc_clock_now())));
		json_array_append_new(items, v);
	}
	json_int_t shown = (json_int_t)json_array_size(items);
	if (err)
		json_decref(items);
	else if (shown > 0)
		*vars = json_pack("{s:s, s:I, s:I, s:b, s:o, s:s}", "name", a->name, "count", total,
		                  "more", total - shown, "has_more", total > shown, "items", items,
		                  "path", "/home");
	else
		json_decref(items);
	json_decref(list);
	return err;
}

/* One person's look: a message when something waits, and the time of the look. */
static int look(struct lc_db *db, int64_t account_id, const struct lc_wf_process *const *procs,
                size_t n, int64_t now, bool *sent)
{
	*sent = false;
	struct lc_actor a, sys;
	lc_actor_system(&sys);
	int err = lc_db_begin(db);
	if (err)
		return err;
	json_t *vars = NULL;
	err = lc_actor_load(db, account_id, &a);
	if (!err)
		err = digest_vars(db, &a, procs, n, &vars);
	if (!err && vars) {
		err = lc_outbox_mail(db, &sys, a.email, "digest", vars, NULL, NULL);
		*sent = err == 0;
	}
	json_decref(vars);
	if (!err || err == LC_ENOTFOUND || err == LC_EAUTH || err == LC_EINVAL) {
		/* A person who cannot be written to is looked at again next week, not every pass.
		 */
		sqlite3_stmt *st =
		    lc_db_stmt(db, "UPDATE account_digests SET last_at = ?2 WHERE account_id = ?1");
		int rc = st ? 0 : LC_EDB;
		if (st) {
			sqlite3_bind_int64(st, 1, account_id);
			sqlite3_bind_int64(st, 2, now);
			rc = lc_db_step(db, st);
			lc_db_release(db, st);
		}
		if (err)
			lc_log_warn("digest for account %lld: %s", (long long)account_id,
			            lc_strerror(err));
		err = rc < 0 ? rc : 0;
	}
	if (err) {
		lc_db_rollback(db);
		*sent = false;
		return err;
	}
	return lc_db_commit(db);
}

int lc_digest_tick(struct lc_db *db, const struct lc_wf_process *const *procs, size_t n,
                   int64_t now, long *sent)
{
	*sent = 0;
	/* The people due, read first: each look then runs in its own transaction. */
	int64_t due[LC_LIMIT_PER_PAGE];
	for (;;) {
		size_t k = 0;
		sqlite3_stmt *st =
		    lc_db_stmt(db, "SELECT d.account_id FROM account_digests d"
		                   " JOIN accounts a ON a.id = d.account_id AND a.status = 'active'"
		                   " WHERE d.weekly = 1 AND (d.last_at IS NULL OR d.last_at <= ?1)"
		                   " ORDER BY d.account_id LIMIT ?2");
		if (!st)
			return LC_EDB;
		sqlite3_bind_int64(st, 1, now - LC_DIGEST_PERIOD);
		sqlite3_bind_int64(st, 2, LC_LIMIT_PER_PAGE);
		int rc;
		while (k < LC_LIMIT_PER_PAGE && lc_db_next(db, st, &rc))
			due[k++] = sqlite3_column_int64(st, 0);
		lc_db_release(db, st);
		if (rc < 0)
			return rc;
		for (size_t i = 0; i < k; i++) {
			bool one = false;
			int err = look(db, due[i], procs, n, now, &one);
			if (err)
				return err;
			*sent += one;
		}
		if (k < LC_LIMIT_PER_PAGE)
			return 0;
	}
}
