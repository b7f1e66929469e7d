/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A conference's registrations for its organisers: the list, the waiting lists, the needs as
 * totals, the CSV export (registration.h). */
#include "domain/conference/registration.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/conference/category.h"
#include "domain/conference/event.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"

#define ISO(col) "strftime('%Y-%m-%dT%H:%M:%SZ', " col ", 'unixepoch')"

/* The filter of the list, on ?1 event, ?2 category, ?3 state, ?4 search pattern. */
#define FILTER                                                                                     \
	" FROM conference_registrations r JOIN wf_items w ON w.id = r.item_id"                     \
	" JOIN conference_categories c ON c.id = r.category_id"                                    \
	" WHERE r.event_id = ?1 AND (?2 IS NULL OR c.code = ?2) AND (?3 IS NULL OR w.state = ?3)"  \
	" AND (?4 IS NULL OR r.name LIKE ?4 ESCAPE '\\' OR r.name_latin LIKE ?4 ESCAPE '\\'"       \
	" OR r.email LIKE ?4 ESCAPE '\\')"

static void bind_filter(sqlite3_stmt *st, int64_t event_id, const struct lc_conf_reg_query *q,
                        const char *pattern)
{
	sqlite3_bind_int64(st, 1, event_id);
	lc_db_bind_text(st, 2, q->category);
	lc_db_bind_text(st, 3, q->state);
	lc_db_bind_text(st, 4, pattern);
}

/* "%text%" with LIKE's wildcards escaped, or NULL for an empty search. */
static char *like_pattern(const char *s, char *out, size_t n)
{
	if (!s || !*s)
		return NULL;
	size_t k = 0;
	out[k++] = '%';
	for (; *s && k + 3 < n; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			out[k++] = '\\';
		out[k++] = *s;
	}
	out[k++] = '%';
	out[k] = '\0';
	return out;
}

static int counts(struct lc_db *db, const char *sql, int64_t event_id, json_t *into, bool by_value)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, event_id);
	int rc;
	while (lc_db_next(db, st, &rc)) {
		const char *k = lc_db_text(st, 0);
		if (by_value)
			json_array_append_new(into,
			                      json_pack("{s:s, s:I}", "value", k ? k : "", "count",
			                                (json_int_t)sqlite3_column_int64(st, 1)));
		else
			json_object_set_new(into, k ? k : "",
			                    json_integer((json_int_t)sqlite3_column_int64(st, 1)));
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* Each category with its places and its waiting list in order. */
static int categories(struct lc_db *db, const struct lc_conf_event *e, const char *lang,
                      json_t *into)
{
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT id FROM conference_categories WHERE event_id = ?1 ORDER BY position, id");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, e->id);
	int rc, err = 0;
	while (!err && lc_db_next(db, st, &rc)) {
		struct lc_conf_category c;
		err = lc_conf_category_load_id(db, sqlite3_column_int64(st, 0), &c);
		if (err)
			break;
		json_t *cj = lc_conf_category_json(db, &c, e->slug, lang, false);
		json_t *wl = json_array();
		sqlite3_stmt *w =
		    lc_db_stmt(db, "SELECT r.item_id, r.name, w.state, " ISO(
		                       "w.entered_at") " FROM conference_registrations r JOIN "
		                                       "wf_items w ON w.id = r.item_id"
		                                       " WHERE r.category_id = ?1 AND w.state IN "
		                                       "('waitlisted', 'offered')"
		                                       " ORDER BY w.state = 'waitlisted', "
		                                       "w.entered_at, w.id LIMIT ?2");
		if (!w) {
			err = LC_EDB;
		} else {
			sqlite3_bind_int64(w, 1, c.id);
			sqlite3_bind_int64(w, 2, LC_LIMIT_PER_PAGE);
			int r2;
			while (lc_db_next(db, w, &r2))
				json_array_append_new(
				    wl, json_pack("{s:I, s:o, s:o, s:o}", "id",
				                  (json_int_t)sqlite3_column_int64(w, 0), "name",
				                  lc_row_str(w, 1), "state", lc_row_str(w, 2),
				                  "since", lc_row_str(w, 3)));
			lc_db_release(db, w);
			err = r2 < 0 ? r2 : 0;
		}
		json_object_set_new(cj, "waitlist", wl);
		json_object_set_new(cj, "has_waitlist", json_boolean(json_array_size(wl) > 0));
		json_array_append_new(into, cj);
		lc_conf_category_cleanup(&c);
	}
	lc_db_release(db, st);
	return err ? err : rc < 0 ? rc : 0;
}

static bool state_ok(const char *s)
{
	return !s || lc_wf_state_find(&lc_conf_reg_process, s) != NULL;
}

int lc_conf_reg_list(struct lc_db *db, const struct lc_actor *actor, const char *slug,
                     const struct lc_conf_reg_query *q, const char *lang, json_t **out)
{
	*out = NULL;
	int err = lc_authz_check(actor, LC_ACT_MANAGE_CONFERENCE, NULL);
	if (err)
		return err;
	struct lc_row_page pg;
	if (lc_row_page_init(&pg, q->page, q->per_page) || !state_ok(q->state))
		return LC_EINVAL;
	struct lc_conf_event e;
	err = lc_conf_event_load(db, slug, &e);
	if (err)
		return err;
	char pat[LC_LIMIT_NAME_BYTES * 2 + 4];
	const char *pattern = like_pattern(q->q, pat, sizeof pat);
	json_t *items = json_array(), *by_state = json_object(), *cats = json_array();
	json_t *diet = json_array();
	long long total = 0, access = 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT count(*)" FILTER);
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	bind_filter(st, e.id, q, pattern);
	int rc = lc_db_step(db, st);
	total = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	st = lc_db_stmt(db, "SELECT r.item_id, w.state, c.code, coalesce(json_extract(c.name, ?7),"
	                    " json_extract(c.name, '$.en')), r.name, r.name_latin, r.email, r.lang,"
	                    " json_extract(r.answers, '$.organisation'),"
	                    " json_extract(r.answers, '$.country'), " ISO("r.created_at") ", " ISO(
	                        "r.offer_until") FILTER " ORDER BY r.created_at, r.item_id"
	                                                " LIMIT ?5 OFFSET ?6");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	char path[16];
	lc_text_lang_path(lang, path, sizeof path);
	bind_filter(st, e.id, q, pattern);
	sqlite3_bind_int64(st, 5, pg.per_page);
	sqlite3_bind_int64(st, 6, lc_row_page_offset(&pg));
	lc_db_bind_text(st, 7, path);
	while (lc_db_next(db, st, &rc)) {
		char href[LC_LIMIT_CONF_SLUG + 64];
		long long id = sqlite3_column_int64(st, 0);
		snprintf(href, sizeof href, "/conferences/%s/registrations/%lld", e.slug, id);
		json_array_append_new(
		    items,
		    json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s}",
		              "id", (json_int_t)id, "state", lc_row_str(st, 1), "category",
		              lc_row_str(st, 2), "category_name", lc_row_str(st, 3), "name",
		              lc_row_str(st, 4), "name_latin", lc_row_str(st, 5), "email",
		              lc_row_str(st, 6), "lang", lc_row_str(st, 7), "organisation",
		              lc_row_str(st, 8), "country", lc_row_str(st, 9), "registered_at",
		              lc_row_str(st, 10), "offer_until", lc_row_str(st, 11), "href", href));
	}
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	err = counts(db,
	             "SELECT w.state, count(*) FROM conference_registrations r"
	             " JOIN wf_items w ON w.id = r.item_id WHERE r.event_id = ?1 GROUP BY w.state",
	             e.id, by_state, false);
	/* Needs as totals, never with names: the caterer and the venue need numbers. */
	if (!err)
		err = counts(db,
		             "SELECT json_extract(answers, '$.dietary') AS v, count(*)"
		             " FROM conference_registrations WHERE event_id = ?1 AND active = 1"
		             " AND v IS NOT NULL GROUP BY v ORDER BY v",
		             e.id, diet, true);
	if (!err) {
		st = lc_db_stmt(db,
		                "SELECT count(*) FROM conference_registrations WHERE event_id = ?1"
		                " AND active = 1 AND length(json_extract(answers,"
		                " '$.accessibility')) > 0");
		if (!st) {
			err = LC_EDB;
		} else {
			sqlite3_bind_int64(st, 1, e.id);
			rc = lc_db_step(db, st);
			access = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
			lc_db_release(db, st);
			err = rc < 0 ? rc : 0;
		}
	}
	if (!err)
		err = categories(db, &e, lang, cats);
	if (err)
		goto out;
	json_t *res = lc_row_paged(json_incref(items), total, &pg);
	if (!res) {
		err = LC_EINTERNAL;
		goto out;
	}
	json_object_set_new(res, "conference", lc_conf_event_json(&e, lang));
	json_object_set_new(res, "filters",
	                    json_pack("{s:o, s:o, s:o}", "category", lc_row_cstr(q->category),
	                              "state", lc_row_cstr(q->state), "q", lc_row_cstr(q->q)));
	json_object_set(res, "by_state", by_state);
	json_object_set(res, "categories", cats);
	json_object_set_new(
	    res, "needs",
	    json_pack("{s:O, s:I}", "dietary", diet, "accessibility", (json_int_t)access));
	*out = res;
out:
	json_decref(items);
	json_decref(by_state);
	json_decref(cats);
	json_decref(diet);
	lc_conf_event_cleanup(&e);
	return err;
}

static void cell(struct lc_buf *b, const char *s, bool last)
{
	if (s)
		lc_buf_append_csv(b, s, strlen(s));
	lc_buf_putc(b, last ? '\n' : ',');
}

int lc_conf_reg_csv(struct lc_db *db, const struct lc_actor *actor, const char *slug,
                    struct lc_buf *out)
{
	int err = lc_authz_check(actor, LC_ACT_MANAGE_CONFERENCE, NULL);
	if (err)
		return err;
	struct lc_conf_event e;
	err = lc_conf_event_load(db, slug, &e);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT r.item_id, w.state, c.code, r.name, r.name_latin, r.email, r.lang,"
	        " json_extract(r.answers, '$.organisation'), json_extract(r.answers, '$.position'),"
	        " json_extract(r.answers, '$.city'), json_extract(r.answers, '$.country'),"
	        " " ISO("r.created_at") " FROM conference_registrations r"
	                                " JOIN wf_items w ON w.id = r.item_id"
	                                " JOIN conference_categories c ON c.id = r.category_id"
	                                " WHERE r.event_id = ?1 ORDER BY r.created_at, r.item_id");
	int64_t event_id = e.id;
	lc_conf_event_cleanup(&e);
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, event_id);
	lc_buf_puts(out, "id,state,category,name,name_latin,email,lang,organisation,position,city,"
	                 "country,registered_at\n");
	int rc;
	while (lc_db_next(db, st, &rc)) {
		lc_buf_printf(out, "%lld,", (long long)sqlite3_column_int64(st, 0));
		for (int i = 1; i <= 11; i++)
			cell(out, lc_db_text(st, i), i == 11);
	}
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	return lc_buf_error(out) ? LC_ELIMIT : 0;
}
