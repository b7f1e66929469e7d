/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The audit trail (audit table): one row per change made through domain/:
 * who (account id and e-mail at the time, or "system"/"anonymous"), when,
 * what action ("account.create", "role.grant", ...), which object (type and
 * id as text), the object before and after as JSON, a reason where one is
 * required, and the request address. Triggers make the table append-only:
 * UPDATE and DELETE abort. Rows never hold passwords, hashes or tokens: the
 * callers build the snapshots without them.
 */
#ifndef LC_AUDIT_H
#define LC_AUDIT_H

#include <stdint.h>

#include <jansson.h>

struct lc_actor;
struct lc_db;

/*
 * Appends a row within the caller's transaction (call it between the
 * caller's lc_db_begin and lc_db_commit so that the change and its record
 * commit or roll back together). before/after: JSON objects or NULL
 * (borrowed); reason may be NULL. 0, LC_ELIMIT (a snapshot larger than
 * LC_LIMIT_AUDIT_JSON_BYTES), LC_EDB.
 */
int lc_audit_append(struct lc_db *db, const struct lc_actor *actor, const char *action,
                    const char *object_type, const char *object_id, const json_t *before,
                    const json_t *after, const char *reason);

/* As lc_audit_append with an integer object id. */
int lc_audit_append_id(struct lc_db *db, const struct lc_actor *actor, const char *action,
                       const char *object_type, int64_t object_id, const json_t *before,
                       const json_t *after, const char *reason);

struct lc_audit_query {
	const char *person;      /* e-mail address of the actor (any case), or NULL */
	int64_t person_id;       /* or the actor's account id; 0 = any */
	const char *action;      /* exact action ("account.create") or a prefix ending in '.'
	                            ("account."), or NULL */
	const char *object_type; /* "account", "token", ... or NULL */
	const char *object_id;   /* with object_type, or NULL */
	const char *from;        /* "YYYY-MM-DD" (UTC, inclusive) or NULL */
	const char *to;          /* "YYYY-MM-DD" (UTC, inclusive) or NULL */
	long page;               /* 1-based; 0 means 1 */
	long per_page;           /* 1..LC_LIMIT_PER_PAGE; 0 means LC_DEFAULT_PER_PAGE */
};

/*
 * The page of rows matching q, newest first. Requires LC_ACT_VIEW_AUDIT.
 * {"items": [{"id": 7, "at": "2026-11-24T03:00:00Z",
 *             "actor": {"id": 1 | null, "email": "admin@example.org" | "system"},
 *             "action": "account.create", "object": {"type": "account", "id": "5"},
 *             "before": {...} | null, "after": {...} | null, "reason": "..." | null,
 *             "addr": "192.0.2.1" | null}, ...],
 *  "total": 12, "total_more": false, "page": 1, "per_page": 20, "pages": 1,
 *  "filters": {"person": null, "action": null, "object_type": null, "object_id": null,
 *              "from": null, "to": null}}
 * "total" stops at LC_LIMIT_AUDIT_COUNT, with "total_more" true past it.
 * 0; LC_EINVAL (malformed date, page or per_page), LC_EPERM/LC_EAUTH, LC_EDB.
 * Caller owns *out.
 */
int lc_audit_list(struct lc_db *db, const struct lc_actor *actor, const struct lc_audit_query *q,
                  json_t **out);

/*
 * Every row matching q (page fields ignored), oldest first, as a JSON array
 * of the items above: the export. Requires LC_ACT_VIEW_AUDIT. LC_ELIMIT when
 * more than LC_LIMIT_AUDIT_EXPORT rows match (narrow the dates). Caller owns
 * *out.
 */
int lc_audit_export(struct lc_db *db, const struct lc_actor *actor, const struct lc_audit_query *q,
                    json_t **out);

#endif
