/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * A conference programme's work in progress out of and into a file
 * (formats/programme_file.h reads and writes the bytes): the secretariat
 * prepares a programme in a spreadsheet or another tool and loads it, or
 * moves one between databases. An import goes into the work in progress,
 * never into a release, through the same writes as the editor
 * (programme.h), and is all or nothing.
 */
#ifndef LC_PROGRAMME_IO_H
#define LC_PROGRAMME_IO_H

#include <jansson.h>

struct lc_actor;
struct lc_conf_event;
struct lc_db;
struct lc_diag;

/*
 * The work in progress as a programme document (programme.h), without the
 * editor's warnings and the sessions' sequences; speakers' e-mail addresses
 * are not in it. Requires LC_ACT_EDIT_PROGRAMME. Caller owns *out.
 * 0, LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_prog_export_doc(struct lc_db *db, const struct lc_actor *actor,
                       const struct lc_conf_event *e, json_t **out);

/*
 * Imports doc (lc_prog_file_parse_json's or _csv's) into the work in
 * progress, in one transaction: rooms, then types and tracks, speakers and
 * sessions. An element whose id is one of this conference's updates it
 * (members it lacks keep their value); one without an id, or with an id the
 * conference does not have, is created, and the file's id stands for the
 * new element in the sessions that refer to it (room, chair, speakers).
 * Types and tracks are matched by code. Every problem goes to d with its
 * row ("row" of the element) and field ("sessions: start"); on any problem
 * nothing is written. Requires LC_ACT_EDIT_PROGRAMME.
 * 0 with *counts {"created", "updated"} (may be NULL; caller owns);
 * LC_EINVAL (d), LC_EAUTH/LC_EPERM, LC_EDB.
 */
int lc_prog_import(struct lc_db *db, const struct lc_actor *actor, const struct lc_conf_event *e,
                   const json_t *doc, struct lc_diag *d, json_t **counts);

#endif
