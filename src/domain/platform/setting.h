/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Settings (settings table): small named values the administrator
 * configures, such as the SMTP server ("smtp.url", "smtp.from",
 * "smtp.user", "smtp.password"). Writing requires LC_ACT_MANAGE_SETTINGS and
 * is audited; a key ending in ".password" or ".secret" is recorded in the
 * audit row as "(changed)", never its value.
 */
#ifndef LC_SETTING_H
#define LC_SETTING_H

struct lc_actor;
struct lc_db;

/*
 * The value of key: caller frees *out with lc_free. 0, LC_ENOTFOUND, LC_EDB.
 */
int lc_setting_get(struct lc_db *db, const char *key, char **out);

/*
 * Sets key (1..64 bytes of [a-z0-9._-]) to value (at most
 * LC_LIMIT_TEXT_BYTES; NULL deletes it). Requires LC_ACT_MANAGE_SETTINGS.
 * Audit "setting.set". 0, LC_EINVAL, LC_EPERM/LC_EAUTH, LC_EDB.
 */
int lc_setting_set(struct lc_db *db, const struct lc_actor *actor, const char *key,
                   const char *value);

#endif
