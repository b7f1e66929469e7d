/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Award nominations (nomination.h): the dossier, the signed forms, the
 * views and the lists; the process and its steps are nomination.c's.
 */
#include "domain/award/nomination.h"
#include "domain/award/nomination_internal.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/award/award_eligibility.h"
#include "domain/award/award_round.h"
#include "domain/award/jury.h"
#include "domain/platform/audit.h"
#include "domain/platform/clock.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"
#include "domain/workflow/questionnaire.h"
#include "domain/workflow/workflow.h"
#include "formats/filetype.h"

#define DAY 86400

int lc_nomination_may_view(struct lc_db *db, const struct lc_actor *actor,
                           const struct lc_wf_item *it)
{
	int err = lc_wf_may_view(actor, it);
	if (err == LC_EPERM && lc_jury_is_juror(actor, it->year))
		err = lc_jury_sees(db, actor, it->id);
	return err;
}

/* ---- the dossier ---------------------------------------------------------------------------- */

/* Loads item id and checks that actor may edit its dossier now. */
static int editable(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                    struct lc_wf_item *it, struct lc_nomination_row *n, struct lc_diag *d)
{
	int err = lc_wf_get(db, &lc_nomination_process, id, it);
	if (!err)
		err = lc_nomination_row_of(db, id, n);
	if (err)
		return err;
	struct lc_authz_object obj = {.city_id = it->city_id, .country = it->country};
	err = lc_authz_check(actor, LC_ACT_PREPARE_NOMINATION, &obj);
	if (err) {
		/* The Commission and the jury may read it, not write it; others learn nothing. */
		int v = lc_nomination_may_view(db, actor, it);
		return v == 0 ? LC_EPERM : v == LC_ENOTFOUND ? v : err;
	}
	if (strcmp(it->state, "draft") != 0 && strcmp(it->state, "returned") != 0) {
		char key[64];
		snprintf(key, sizeof key, "nomination_state_%s", it->state);
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_award_not_editable", LC_ARG_K("state", key));
		return LC_ECONFLICT;
	}
	return 0;
}

static bool link_ok(const char *s)
{
	size_t n = strlen(s);
	if (n > LC_LIMIT_AWARD_LINK_BYTES || !lc_utf8_valid(s, n))
		return false;
	size_t p = strncmp(s, "https://", 8) == 0 ? 8 : strncmp(s, "http://", 7) == 0 ? 7 : 0;
	if (!p || n == p)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return false;
	return true;
}

/* The links of a patch: an array of strings, or one per line. */
static json_t *links_of(const json_t *v, struct lc_diag *d)
{
	json_t *out = json_array();
	if (json_is_array(v)) {
		size_t i;
		const json_t *e;
		json_array_foreach(v, i, e)
		{
			const char *s = json_string_value(e);
			if (s && !lc_nomination_blank(s))
				json_array_append_new(out, json_string(s));
			else if (!s)
				json_array_append_new(out, json_string(""));
		}
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		while (*s) {
			size_t n = strcspn(s, "\r\n");
			struct lc_slice l = lc_slice_trim((struct lc_slice){s, n});
			if (l.len)
				json_array_append_new(out, json_stringn(l.ptr, l.len));
			s += n;
			while (*s == '\r' || *s == '\n')
				s++;
		}
	} else {
		lc_diag_add(d, NULL, 0, 0, "links", "err_award_links");
		json_decref(out);
		return NULL;
	}
	if (json_array_size(out) > LC_LIMIT_AWARD_LINKS) {
		lc_diag_addf(d, NULL, 0, 0, "links", "err_award_links_many",
		             LC_ARG_I("limit", LC_LIMIT_AWARD_LINKS));
		json_decref(out);
		return NULL;
	}
	size_t i;
	const json_t *e;
	bool bad = false;
	json_array_foreach(out, i, e)
	{
		if (!link_ok(json_string_value(e))) {
			lc_diag_addf(d, NULL, 0, 0, "links", "err_award_link",
			             LC_ARG_I("limit", LC_LIMIT_AWARD_LINK_BYTES));
			bad = true;
			break;
		}
	}
	if (bad) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* A long text of the dossier: a string (or null for ""), valid UTF-8, within max bytes. */
static const char *text_of(const json_t *v, const char *field, size_t max, struct lc_diag *d)
{
	if (json_is_null(v))
		return "";
	const char *s = json_string_value(v);
	if (!s) {
		lc_diag_add(d, NULL, 0, 0, field, "err_award_text");
		return NULL;
	}
	size_t n = json_string_length(v);
	if (n > max || strlen(s) != n || !lc_utf8_valid(s, n)) {
		lc_diag_addf(d, NULL, 0, 0, field, "err_award_text_long",
		             LC_ARG_I("limit", (long)max));
		return NULL;
	}
	return s;
}

/* The answers of a patch merged over the stored ones, each checked against its criterion. */
static json_t *answers_of(const struct lc_award_round *r, const json_t *stored, const json_t *v,
                          struct lc_diag *d)
{
	if (!json_is_object(v)) {
		lc_diag_add(d, NULL, 0, 0, "answers", "err_award_answers");
		return NULL;
	}
	json_t *out = json_deep_copy(stored);
	const char *id;
	const json_t *a;
	bool bad = false;
	json_object_foreach((json_t *)v, id, a)
	{
		char f[64];
		snprintf(f, sizeof f, "answers.%.40s", id);
		const json_t *c = NULL;
		size_t i;
		const json_t *x;
		json_array_foreach(r->criteria, i, x)
		{
			if (strcmp(json_string_value(json_object_get(x, "id")), id) == 0)
				c = x;
		}
		if (!c) {
			lc_diag_addf(d, NULL, 0, 0, f, "err_award_answer_criterion",
			             LC_ARG_S("id", id));
			bad = true;
			continue;
		}
		const char *s = text_of(a, f, LC_LIMIT_AWARD_ANSWER_BYTES, d);
		if (!s) {
			bad = true;
			continue;
		}
		long max = (long)json_integer_value(json_object_get(c, "max_words"));
		size_t words = lc_questionnaire_words(s, strlen(s));
		if ((long)words > max) {
			lc_diag_addf(d, NULL, 0, 0, f, "err_award_answer_words",
			             LC_ARG_I("words", (long)words), LC_ARG_I("limit", max));
			bad = true;
			continue;
		}
		if (lc_nomination_blank(s))
			json_object_del(out, id);
		else
			json_object_set_new(out, id, json_string(s));
	}
	if (bad) {
		json_decref(out);
		return NULL;
	}
	return out;
}

int lc_nomination_save(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                       const json_t *patch, struct lc_diag *d)
{
	struct lc_wf_item it;
	struct lc_nomination_row n;
	int err = editable(db, actor, id, &it, &n, d);
	if (err)
		return err;
	struct lc_award_round r;
	err = lc_award_round_load(db, n.year, &r);
	if (err)
		return err;
	struct lc_nomination_dossier x;
	err = lc_nomination_dossier_of(db, id, &x);
	if (err) {
		lc_award_round_cleanup(&r);
		return err;
	}
	struct lc_diag own;
	lc_diag_init(&own);
	const char *general = x.general, *plan = x.plan;
	json_t *answers = json_incref(x.answers), *links = json_incref(x.links);
	const json_t *v;
	if (!json_is_object(patch))
		lc_diag_add(&own, NULL, 0, 0, NULL, "err_award_dossier_object");
	if ((v = json_object_get(patch, "general")))
		general = text_of(v, "general", LC_LIMIT_AWARD_TEXT_BYTES, &own);
	if ((v = json_object_get(patch, "plan")))
		plan = text_of(v, "plan", LC_LIMIT_AWARD_TEXT_BYTES, &own);
	if ((v = json_object_get(patch, "answers"))) {
		json_decref(answers);
		answers = answers_of(&r, x.answers, v, &own);
	}
	if ((v = json_object_get(patch, "links"))) {
		json_decref(links);
		links = links_of(v, &own);
	}
	if (lc_diag_total(&own)) {
		err = LC_EINVAL;
		goto out;
	}
	err = lc_db_begin(db);
	if (err)
		goto out;
	char *ja = json_dumps(answers, JSON_COMPACT), *jl = json_dumps(links, JSON_COMPACT);
	sqlite3_stmt *st = lc_db_stmt(db, "UPDATE award_nominations SET general = ?2, plan = ?3,"
	                                  " answers = ?4, links = ?5, updated_at = ?6"
	                                  " WHERE item_id = ?1");
	if (!st)
		err = LC_EDB;
	else {
		sqlite3_bind_int64(st, 1, id);
		lc_db_bind_text(st, 2, general);
		lc_db_bind_text(st, 3, plan);
		lc_db_bind_text(st, 4, ja);
		lc_db_bind_text(st, 5, jl);
		sqlite3_bind_int64(st, 6, lc_clock_now());
		err = lc_db_step(db, st);
		lc_db_release(db, st);
		err = err < 0 ? err : 0;
	}
	lc_free(ja);
	lc_free(jl);
	if (!err) {
		json_t *after =
		    json_pack("{s:I, s:I, s:O, s:O}", "general", (json_int_t)strlen(general),
		              "plan", (json_int_t)strlen(plan), "answers", answers, "links", links);
		/* The texts are counted, not copied: the audit trail is not a second dossier. */
		json_object_set_new(after, "answers",
		                    json_integer((json_int_t)json_object_size(answers)));
		err = lc_audit_append_id(db, actor, "nomination.save", "nomination", id, NULL,
		                         after, NULL);
		json_decref(after);
	}
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
out:
	lc_diag_append(d, &own);
	lc_diag_cleanup(&own);
	json_decref(answers);
	json_decref(links);
	lc_nomination_dossier_cleanup(&x);
	lc_award_round_cleanup(&r);
	return err;
}

/* ---- the signed forms ----------------------------------------------------------------------- */

static bool kind_ok(const char *kind)
{
	return kind && (strcmp(kind, "mayor_form") == 0 || strcmp(kind, "consent") == 0);
}

/* A download name from what the client called the file: safe bytes only, our extension. */
static void clean_filename(const char *in, const char *kind, const char *type, char *out, size_t n)
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
	char *dot = strrchr(base, '_');
	if (dot && strlen(dot) <= 5 && dot != base)
		*dot = '\0';
	snprintf(out, n, "%s.%s", base[0] ? base : kind, lc_filetype_ext(type));
}

int lc_nomination_file_put(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                           const char *kind, const char *filename, const unsigned char *data,
                           size_t n, struct lc_diag *d)
{
	if (!kind_ok(kind))
		return LC_ENOTFOUND;
	struct lc_wf_item it;
	struct lc_nomination_row nm;
	int err = editable(db, actor, id, &it, &nm, d);
	if (err)
		return err;
	if (n > LC_LIMIT_AWARD_FILE_BYTES) {
		lc_diag_addf(d, NULL, 0, 0, kind, "err_award_file_large",
		             LC_ARG_I("limit", LC_LIMIT_AWARD_FILE_BYTES >> 20));
		return LC_ELIMIT;
	}
	const char *type = NULL, *why = NULL;
	if (lc_filetype_sniff(data, n, &type, &why) != 0) {
		lc_diag_add(d, NULL, 0, 0, kind, "err_award_file_type");
		return LC_EINVAL;
	}
	unsigned char hash[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256(hash, data, n);
	sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
	char name[128];
	clean_filename(filename, kind, type, name, sizeof name);
	err = lc_db_begin(db);
	if (err)
		return err;
	sqlite3_stmt *st = lc_db_stmt(
	    db, "INSERT INTO award_nomination_files (item_id, kind, content_type, size, sha256,"
	        " filename, data, uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	        " ON CONFLICT (item_id, kind) DO UPDATE SET content_type = excluded.content_type,"
	        " size = excluded.size, sha256 = excluded.sha256, filename = excluded.filename,"
	        " data = excluded.data, uploaded_at = excluded.uploaded_at");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, kind);
	lc_db_bind_text(st, 3, type);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)n);
	lc_db_bind_text(st, 5, hex);
	lc_db_bind_text(st, 6, name);
	sqlite3_bind_blob64(st, 7, data, n, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, lc_clock_now());
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto out;
	json_t *after = json_pack("{s:s, s:s, s:I, s:s, s:s}", "kind", kind, "content_type", type,
	                          "size", (json_int_t)n, "sha256", hex, "filename", name);
	err = lc_audit_append_id(db, actor, "nomination.file", "nomination", id, NULL, after, NULL);
	json_decref(after);
out:
	if (err) {
		lc_db_rollback(db);
		return err;
	}
	return lc_db_commit(db);
}

int lc_nomination_file_get(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                           const char *kind, struct lc_nomination_file *out)
{
	memset(out, 0, sizeof *out);
	if (!kind_ok(kind))
		return LC_ENOTFOUND;
	struct lc_wf_item it;
	int err = lc_wf_get(db, &lc_nomination_process, id, &it);
	if (!err)
		err = lc_nomination_may_view(db, actor, &it);
	if (err)
		return err;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT content_type, filename, data FROM"
	                   " award_nomination_files WHERE item_id = ?1 AND kind = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, kind);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		snprintf(out->content_type, sizeof out->content_type, "%s", lc_db_text(st, 0));
		snprintf(out->filename, sizeof out->filename, "%s", lc_db_text(st, 1));
		lc_row_blob(st, 2, &out->data, &out->size);
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

void lc_nomination_file_cleanup(struct lc_nomination_file *f)
{
	if (!f)
		return;
	lc_free(f->data);
	f->data = NULL;
}

/* ---- views ---------------------------------------------------------------------------------- */

static json_t *files_json(struct lc_db *db, int64_t id)
{
	json_t *out = json_pack("{s:n, s:n}", "mayor_form", "consent");
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT kind, content_type, size, sha256, filename,"
	                   " strftime('%Y-%m-%dT%H:%M:%SZ', uploaded_at, 'unixepoch')"
	                   " FROM award_nomination_files WHERE item_id = ?1");
	if (!st)
		return out;
	sqlite3_bind_int64(st, 1, id);
	int rc;
	while (lc_db_next(db, st, &rc))
		json_object_set_new(out, lc_db_text(st, 0),
		                    json_pack("{s:o, s:o, s:o, s:o, s:o}", "content_type",
		                              lc_row_str(st, 1), "size", lc_row_int(st, 2),
		                              "sha256", lc_row_str(st, 3), "filename",
		                              lc_row_str(st, 4), "uploaded_at", lc_row_str(st, 5)));
	lc_db_release(db, st);
	return out;
}

static json_t *problems_json(const struct lc_diag *d)
{
	json_t *a = json_array();
	for (size_t i = 0; i < d->count; i++)
		json_array_append_new(a, json_pack("{s:s?, s:s?, s:o, s:s?}", "field",
		                                   d->items[i].field, "code", d->items[i].code,
		                                   "args", lc_diag_args_json(&d->items[i]),
		                                   "message", d->items[i].message));
	return a;
}

/* The city of the item: {slug, name, country}. */
static json_t *city_json(struct lc_db *db, int64_t city_id, const char *lang)
{
	char path[8];
	lc_text_lang_path(lang, path, sizeof path);
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT slug, " LC_ROW_TR("name") ", country FROM cities"
	                                                                    " WHERE id = ?2");
	if (!st)
		return json_null();
	lc_db_bind_text(st, 1, path);
	sqlite3_bind_int64(st, 2, city_id);
	json_t *c = json_null();
	if (lc_db_step(db, st) == 1)
		c = json_pack("{s:o, s:o, s:o}", "slug", lc_row_str(st, 0), "name",
		              lc_row_str(st, 1), "country", lc_row_str(st, 2));
	lc_db_release(db, st);
	return c;
}

static int override_json(struct lc_db *db, int64_t id, json_t **out)
{
	*out = json_null();
	sqlite3_stmt *st =
	    lc_db_stmt(db, "SELECT override_reason, override_by,"
	                   " strftime('%Y-%m-%dT%H:%M:%SZ', override_at, 'unixepoch')"
	                   " FROM award_nominations WHERE item_id = ?1"
	                   " AND override_reason IS NOT NULL");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*out = json_pack("{s:o, s:o, s:o}", "reason", lc_row_str(st, 0), "by",
		                 lc_row_str(st, 1), "at", lc_row_str(st, 2));
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_nomination_get(struct lc_db *db, const struct lc_actor *actor, int64_t id, const char *lang,
                      json_t **out)
{
	*out = NULL;
	if (!actor || actor->kind == LC_ACTOR_ANONYMOUS)
		return LC_EAUTH;
	struct lc_wf_item it;
	int err = lc_wf_get(db, &lc_nomination_process, id, &it);
	if (!err)
		err = lc_nomination_may_view(db, actor, &it);
	if (err)
		return err;
	struct lc_nomination_row n;
	struct lc_award_round r = {0};
	struct lc_nomination_dossier x = {0};
	json_t *v = NULL, *ov = NULL;
	struct lc_diag elig, todo;
	lc_diag_init(&elig);
	lc_diag_init(&todo);
	err = lc_nomination_row_of(db, id, &n);
	if (!err)
		err = lc_award_round_load(db, n.year, &r);
	if (!err)
		err = lc_nomination_dossier_of(db, id, &x);
	if (!err)
		err = lc_wf_item_json(db, actor, &it, &v);
	if (!err)
		err = override_json(db, id, &ov);
	if (!err) {
		err = lc_award_eligibility_check(db, &r, n.city_id, &elig);
		if (err == LC_EINVAL)
			err = 0;
	}
	if (err)
		goto out;
	lc_nomination_completeness(&r, &x, &todo);
	json_t *round = lc_award_round_json(&r, lang);
	json_t *answers = json_array();
	size_t i;
	const json_t *c;
	json_array_foreach(json_object_get(round, "criteria"), i, c)
	{
		const char *cid = json_string_value(json_object_get(c, "id"));
		const char *a = json_string_value(json_object_get(x.answers, cid));
		json_t *e = json_deep_copy(c);
		json_object_set_new(e, "text", json_string(a ? a : ""));
		json_object_set_new(
		    e, "words",
		    json_integer((json_int_t)(a ? lc_questionnaire_words(a, strlen(a)) : 0)));
		json_array_append_new(answers, e);
	}
	json_object_set_new(round, "year", json_integer(n.year));
	json_object_set_new(v, "city", city_json(db, n.city_id, lang));
	json_object_set_new(v, "round", round);
	json_object_set_new(v, "dossier",
	                    json_pack("{s:s, s:s, s:o, s:O}", "general", x.general, "plan", x.plan,
	                              "answers", answers, "links", x.links));
	json_object_set_new(v, "files", files_json(db, id));
	json_object_set_new(v, "eligibility",
	                    json_pack("{s:b, s:o, s:O}", "eligible", elig.count == 0 || n.override,
	                              "problems", problems_json(&elig), "override", ov));
	json_object_set_new(v, "complete", problems_json(&todo));
	struct lc_authz_object obj = {.city_id = it.city_id, .country = it.country};
	json_object_set_new(
	    v, "can_edit",
	    json_boolean(lc_authz_check(actor, LC_ACT_PREPARE_NOMINATION, &obj) == 0 &&
	                 (strcmp(it.state, "draft") == 0 || strcmp(it.state, "returned") == 0)));
	/* A juror of a blind round (one who reads it only as a juror) is not told the city:
	 * neither its name nor its country, nor who wrote the dossier (the history's actors). */
	bool blind = false;
	if (lc_wf_may_view(actor, &it) != 0)
		err = lc_jury_round_blind(db, n.year, &blind);
	if (err)
		goto out;
	if (blind) {
		json_object_set_new(v, "city", json_null());
		json_object_set_new(v, "country", json_null());
		json_object_set_new(v, "city_id", json_null());
		json_object_set_new(v, "owner_id", json_null());
		json_object_set_new(v, "history", json_array());
		json_object_del(v, "history_total");
		json_object_del(v, "history_more");
		json_object_set_new(v, "blind", json_true());
	}
	*out = v;
	v = NULL;
out:
	json_decref(v);
	json_decref(ov);
	lc_nomination_dossier_cleanup(&x);
	lc_award_round_cleanup(&r);
	lc_diag_cleanup(&elig);
	lc_diag_cleanup(&todo);
	return err;
}

int lc_nomination_list(struct lc_db *db, const struct lc_actor *actor,
                       const struct lc_nomination_query *q, const char *lang, json_t **out)
{
	*out = NULL;
	if (!actor || actor->kind == LC_ACTOR_ANONYMOUS)
		return LC_EAUTH;
	long page = q->page > 0 ? q->page : 1;
	long per = q->per_page > 0 ? q->per_page : LC_DEFAULT_PER_PAGE;
	if (per > LC_LIMIT_PER_PAGE || page > 1000000)
		return LC_EINVAL;
	/* The scope: every nomination, or the actor's countries and cities. */
	bool all = lc_authz_check(actor, LC_ACT_MANAGE_AWARD, NULL) == 0;
	json_t *countries = json_array(), *cities = json_array(), *juries = json_array();
	for (size_t i = 0; !all && i < actor->nroles; i++) {
		if (actor->roles[i].kind == LC_ROLE_NATCOM)
			json_array_append_new(countries, json_string(actor->roles[i].country));
		else if (actor->roles[i].kind == LC_ROLE_COORDINATOR)
			json_array_append_new(cities, json_integer(actor->roles[i].city_id));
		else if (actor->roles[i].kind == LC_ROLE_JURY)
			json_array_append_new(juries, json_integer(actor->roles[i].year));
	}
	int err = 0;
	json_t *items = json_array(), *by_state = json_object();
	char *jc = json_dumps(countries, JSON_COMPACT), *jt = json_dumps(cities, JSON_COMPACT);
	char *jj = json_dumps(juries, JSON_COMPACT);
	char path[8];
	lc_text_lang_path(lang, path, sizeof path);
	long long total = 0;
	if (!all && !json_array_size(countries) && !json_array_size(cities) &&
	    !json_array_size(juries)) {
		err = LC_EPERM;
		goto out;
	}
#define SCOPE                                                                                      \
	" FROM wf_items i JOIN award_nominations n ON n.item_id = i.id"                            \
	" JOIN cities c ON c.id = n.city_id WHERE i.process = 'nomination'"                        \
	" AND (?2 OR i.country IN (SELECT value FROM json_each(?3))"                               \
	" OR i.city_id IN (SELECT value FROM json_each(?4))"                                       \
	" OR (i.year IN (SELECT value FROM json_each(?10)) AND i.id IN (" LC_JURY_VISIBLE_SQL(     \
	    "9") ")))"                                                                             \
	         " AND (?5 = 0 OR i.year = ?5)"
/* A row the actor reads only as a juror of a blind round: the city is not said, and the order
 * does not group by country. */
#define BLIND                                                                                      \
	"(NOT (?2 OR i.country IN (SELECT value FROM json_each(?3))"                               \
	" OR i.city_id IN (SELECT value FROM json_each(?4)))"                                      \
	" AND coalesce((SELECT b.blind FROM award_round_settings b WHERE b.year = i.year), 0))"
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT i.state, count(*)" SCOPE " GROUP BY i.state");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int(st, 2, all);
	lc_db_bind_text(st, 3, jc);
	lc_db_bind_text(st, 4, jt);
	sqlite3_bind_int64(st, 5, q->year);
	sqlite3_bind_int64(st, 9, actor->account_id);
	lc_db_bind_text(st, 10, jj);
	int rc;
	while (lc_db_next(db, st, &rc)) {
		long long k = sqlite3_column_int64(st, 1);
		json_object_set_new(by_state, lc_db_text(st, 0), json_integer(k));
		if (!q->state || strcmp(q->state, lc_db_text(st, 0)) == 0)
			total += k;
	}
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	st = lc_db_stmt(db, "SELECT i.id, i.year, i.state, c.slug, " LC_ROW_TR(
	                        "c.name") ", i.country,"
	                                  " strftime('%Y-%m-%dT%H:%M:%SZ', i.due_at, 'unixepoch'),"
	                                  " n.override_reason IS NOT NULL, " BLIND SCOPE
	                                  " AND (?6 IS NULL OR i.state = ?6)"
	                                  " ORDER BY i.year DESC, CASE WHEN " BLIND
	                                  " THEN i.id END, i.country, " LC_ROW_TR(
	                                      "c.sort_key") ", i.id"
	                                                    " LIMIT ?7 OFFSET ?8");
#undef SCOPE
#undef BLIND
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	lc_db_bind_text(st, 1, path);
	sqlite3_bind_int(st, 2, all);
	lc_db_bind_text(st, 3, jc);
	lc_db_bind_text(st, 4, jt);
	sqlite3_bind_int64(st, 5, q->year);
	if (q->state)
		lc_db_bind_text(st, 6, q->state);
	sqlite3_bind_int64(st, 7, per);
	sqlite3_bind_int64(st, 8, (page - 1) * per);
	sqlite3_bind_int64(st, 9, actor->account_id);
	lc_db_bind_text(st, 10, jj);
	while (lc_db_next(db, st, &rc)) {
		json_t *e =
		    json_pack("{s:o, s:o, s:o, s:o, s:b}", "id", lc_row_int(st, 0), "year",
		              lc_row_int(st, 1), "state", lc_row_str(st, 2), "due_at",
		              lc_row_str(st, 6), "override", sqlite3_column_int(st, 7) != 0);
		json_object_set_new(e, "city",
		                    sqlite3_column_int(st, 8)
		                        ? json_null()
		                        : json_pack("{s:o, s:o, s:o}", "slug", lc_row_str(st, 3),
		                                    "name", lc_row_str(st, 4), "country",
		                                    lc_row_str(st, 5)));
		json_array_append_new(items, e);
	}
	lc_db_release(db, st);
	if (rc < 0) {
		err = rc;
		goto out;
	}
	*out = json_pack("{s:O, s:O, s:I, s:I, s:I, s:I}", "items", items, "by_state", by_state,
	                 "total", (json_int_t)total, "page", (json_int_t)page, "per_page",
	                 (json_int_t)per, "pages", (json_int_t)((total + per - 1) / per));
out:
	lc_free(jc);
	lc_free(jt);
	lc_free(jj);
	json_decref(countries);
	json_decref(cities);
	json_decref(juries);
	json_decref(items);
	json_decref(by_state);
	return err;
}
