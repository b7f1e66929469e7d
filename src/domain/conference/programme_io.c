/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A programme's work in progress out of and into a file (programme_io.h). */
#include "domain/conference/programme_io.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/conference/event.h"
#include "domain/conference/programme.h"
#include "domain/conference/programme_internal.h"

int lc_prog_export_doc(struct lc_db *db, const struct lc_actor *actor,
                       const struct lc_conf_event *e, json_t **out)
{
	*out = NULL;
	json_t *doc = NULL;
	int err = lc_prog_draft(db, actor, e, &doc);
	if (err)
		return err;
	json_object_del(doc, "warnings");
	json_object_del(doc, "pending");
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(doc, "sessions"), i, s) json_object_del(s, "sequence");
	*out = doc;
	return 0;
}

/* The database id of the file's id in map (a {"id": new id} object), or the id itself. */
static json_t *mapped(const json_t *map, const json_t *v)
{
	if (!json_is_integer(v))
		return json_incref((json_t *)v);
	char key[24];
	snprintf(key, sizeof key, "%lld", (long long)json_integer_value(v));
	const json_t *to = json_object_get(map, key);
	return json_incref((json_t *)(to ? to : v));
}

static void remember(json_t *map, const json_t *file_id, int64_t id)
{
	if (!json_is_integer(file_id))
		return;
	char key[24];
	snprintf(key, sizeof key, "%lld", (long long)json_integer_value(file_id));
	json_object_set_new(map, key, json_integer(id));
}

/* Moves the problems of one element into d, at its row and under its list's name. */
static void place(struct lc_diag *d, struct lc_diag *own, const char *list, long row)
{
	for (size_t k = 0; k < own->count; k++)
		own->items[k].line = row;
	lc_diag_append_under(d, own, list);
	lc_diag_cleanup(own);
	lc_diag_init(own);
}

/* The element's spec for a write: without the file's bookkeeping. */
static json_t *spec_of(const json_t *el)
{
	json_t *spec = json_deep_copy(el);
	json_object_del(spec, "id");
	json_object_del(spec, "row");
	json_object_del(spec, "sequence");
	return spec;
}

/* The id el updates: its id when it is an element of cur_list, else 0 (created). */
static int64_t target(const json_t *cur_list, const json_t *el, const char *code)
{
	if (code) {
		const json_t *c = json_object_get(el, "code");
		const json_t *l =
		    json_is_string(c) ? lc_prog_find(cur_list, 0, json_string_value(c)) : NULL;
		return l ? json_integer_value(json_object_get(l, "id")) : 0;
	}
	const json_t *id = json_object_get(el, "id");
	return json_is_integer(id) && lc_prog_find(cur_list, json_integer_value(id), NULL)
	           ? json_integer_value(id)
	           : 0;
}

int lc_prog_import(struct lc_db *db, const struct lc_actor *actor, const struct lc_conf_event *e,
                   const json_t *doc, struct lc_diag *d, json_t **counts)
{
	if (counts)
		*counts = NULL;
	int err = lc_authz_check(actor, LC_ACT_EDIT_PROGRAMME, NULL);
	if (err)
		return err;
	json_t *cur = NULL, *rooms = json_object(), *speakers = json_object();
	long created = 0, updated = 0;
	size_t before = lc_diag_total(d);
	struct lc_diag own;
	lc_diag_init(&own);
	err = lc_db_begin(db);
	if (err)
		goto out;
	err = lc_prog_doc(db, e->id, &cur);
	static const char *const lists[] = {"rooms", "types", "tracks", "speakers", "sessions"};
	for (size_t k = 0; !err && k < 5; k++) {
		size_t i;
		const json_t *el;
		json_array_foreach(json_object_get(doc, lists[k]), i, el)
		{
			long row = (long)json_integer_value(json_object_get(el, "row"));
			const json_t *cur_list = json_object_get(cur, lists[k]);
			int64_t id = target(cur_list, el, k == 1 || k == 2 ? "code" : NULL),
			        new_id = 0;
			json_t *spec = spec_of(el);
			if (k == 4) {
				/* The file's ids of rooms and speakers stand for what this import
				 * made. */
				const char *refs[] = {"room", "chair"};
				for (int r = 0; r < 2; r++)
					if (json_object_get(spec, refs[r]))
						json_object_set_new(
						    spec, refs[r],
						    mapped(r ? speakers : rooms,
						           json_object_get(spec, refs[r])));
				const json_t *sp = json_object_get(el, "speakers");
				if (json_is_array(sp)) {
					json_t *ids = json_array();
					size_t j;
					const json_t *v;
					json_array_foreach(sp, j, v)
					    json_array_append_new(ids, mapped(speakers, v));
					json_object_set_new(spec, "speakers", ids);
				}
			}
			int rc;
			switch (k) {
			case 0: rc = lc_prog_room_put(db, actor, e, id, spec, &own, &new_id); break;
			case 1:
			case 2:
				rc = lc_prog_label_put(db, actor, e, k == 1 ? "type" : "track", id,
				                       spec, &own, &new_id);
				break;
			case 3:
				rc = lc_prog_speaker_put(db, actor, e, id, spec, &own, &new_id);
				break;
			default: rc = lc_prog_session_put(db, actor, e, id, spec, &own, &new_id);
			}
			json_decref(spec);
			if (rc == LC_EINVAL || rc == LC_ENOTFOUND) {
				if (rc == LC_ENOTFOUND)
					lc_diag_add(&own, NULL, 0, 0, "id", "err_prog_unknown");
				place(d, &own, lists[k], row);
				continue;
			}
			if (rc) {
				err = rc;
				break;
			}
			if (id)
				updated++;
			else
				created++;
			if (k == 0 || k == 3)
				remember(k == 0 ? rooms : speakers, json_object_get(el, "id"),
				         new_id);
		}
		/* Sessions name types and tracks by code: read the work in progress again
		   once they are in, as later lists check against it. */
		if (!err && k == 2) {
			json_decref(cur);
			cur = NULL;
			err = lc_prog_doc(db, e->id, &cur);
		}
	}
	if (!err && lc_diag_total(d) > before)
		err = LC_EINVAL;
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
out:
	lc_diag_cleanup(&own);
	json_decref(cur);
	json_decref(rooms);
	json_decref(speakers);
	if (!err && counts)
		*counts = json_pack("{s:I, s:I}", "created", (json_int_t)created, "updated",
		                    (json_int_t)updated);
	return err;
}
