/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Settings (setting.h). */
#include "domain/platform/setting.h"

#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"

static bool key_ok(const char *k)
{
	size_t n = k ? strnlen(k, 65) : 0;
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}

static bool secret_key(const char *k)
{
	size_t n = strlen(k);
	return (n >= 9 && strcmp(k + n - 9, ".password") == 0) ||
	       (n >= 7 && strcmp(k + n - 7, ".secret") == 0);
}

int lc_setting_get(struct lc_db *db, const char *key, char **out)
{
	*out = NULL;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT value FROM settings WHERE key = ?1");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, key);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*out = lc_xstrdup(lc_db_text(st, 0));
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

int lc_setting_set(struct lc_db *db, const struct lc_actor *actor, const char *key,
                   const char *value)
{
	int err = lc_authz_check(actor, LC_ACT_MANAGE_SETTINGS, NULL);
	if (err)
		return err;
	if (!key_ok(key) || (value && strlen(value) > LC_LIMIT_TEXT_BYTES))
		return LC_EINVAL;
	char *old = NULL;
	err = lc_db_begin(db);
	if (err)
		return err;
	err = lc_setting_get(db, key, &old);
	if (err == LC_ENOTFOUND)
		err = 0;
	if (err)
		goto out;
	sqlite3_stmt *st =
	    lc_db_stmt(db, value ? "INSERT INTO settings (key, value) VALUES (?1, ?2)"
	                           " ON CONFLICT (key) DO UPDATE SET value = ?2"
	                         : "DELETE FROM settings WHERE key = ?1");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	lc_db_bind_text(st, 1, key);
	if (value)
		lc_db_bind_text(st, 2, value);
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto out;
	bool hide = secret_key(key);
	json_t *before = old ? json_pack("{s:s}", "value", hide ? "(set)" : old) : NULL;
	json_t *after = value ? json_pack("{s:s}", "value", hide ? "(changed)" : value) : NULL;
	err = lc_audit_append(db, actor, "setting.set", "setting", key, before, after, NULL);
	json_decref(before);
	json_decref(after);
	if (!err)
		err = lc_db_commit(db);
out:
	if (err)
		lc_db_rollback(db);
	lc_free(old);
	return err;
}
