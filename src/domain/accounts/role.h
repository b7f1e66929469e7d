/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Role grants: an account holds roles scoped to objects (role_grants table):
 * admin; coordinator of a city; natcom of a country; jury of an award round;
 * participant. Granting and revoking require LC_ACT_MANAGE_USERS and append
 * an audit row in the same transaction. The rules of what a role may do live
 * in authz.h, not here.
 */
#ifndef LC_ROLE_H
#define LC_ROLE_H

#include <stdint.h>

#include <jansson.h>

#include "domain/accounts/authz.h"

struct lc_db;

/*
 * Parses "ROLE[:SCOPE]" as the command line and forms write it:
 * "admin", "participant", "coordinator:cork" (city slug), "natcom:IE"
 * (alpha-2, any case), "jury:2024" (award round year), "checkin:demo-conference"
 * (conference slug: its door staff). The scope must exist
 * in the database. 0; LC_EINVAL (unknown role, a scope missing, given where
 * none is allowed, or malformed) or LC_ENOTFOUND (no such city, country or
 * round), each with *why set to a static English reason (why may be NULL);
 * LC_EDB.
 */
int lc_role_parse(struct lc_db *db, const char *spec, struct lc_role *out, const char **why);

/*
 * Writes a role as "coordinator:cork" / "natcom:IE" / "jury:2024" / "admin"
 * into out (size n, at least 128 is always enough). Reads the city slug.
 * 0, LC_ENOTFOUND (the city is gone), LC_EDB.
 */
int lc_role_format(struct lc_db *db, const struct lc_role *r, char *out, size_t n);

/*
 * Grants r to an account. Idempotent (granting a held role changes nothing
 * and appends no row). Requires LC_ACT_MANAGE_USERS. Audit action
 * "role.grant", object ("account", id), after {"role": "coordinator:cork"}.
 * 0, LC_EPERM/LC_EAUTH, LC_ENOTFOUND (no account or scope object), LC_ELIMIT
 * (LC_LIMIT_ACCOUNT_ROLES reached), LC_EDB.
 */
int lc_role_grant(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                  const struct lc_role *r);

/*
 * Revokes r from an account. Requires LC_ACT_MANAGE_USERS; an actor cannot
 * revoke its own admin role (so the secretariat cannot lock itself out by
 * mistake): LC_EPERM. Audit "role.revoke". 0, LC_ENOTFOUND (not held), LC_EDB.
 */
int lc_role_revoke(struct lc_db *db, const struct lc_actor *actor, int64_t account_id,
                   const struct lc_role *r);

/*
 * The roles of an account, for pages and /api/v1/me:
 * [{"role": "coordinator", "spec": "coordinator:cork",
 *   "city": {"id": 3, "slug": "cork", "name": "Cork"} (coordinator only),
 *   "country": {"code": "IE", "name": "Ireland"} (natcom only),
 *   "year": 2024 (jury only), "conference": "demo-conference" (checkin only)}, ...]
 * Names in lang (NULL = "en"). No permission check (callers show a person
 * their own roles, or check LC_ACT_MANAGE_USERS first). Caller owns *out.
 * 0 or LC_EDB.
 */
int lc_role_list(struct lc_db *db, int64_t account_id, const char *lang, json_t **out);

#endif
