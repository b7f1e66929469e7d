/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The case-study library's files (library.h): images and documents
 * uploaded with a case, checked by their content, kept in lib_files and
 * named by the version's "images" or "documents". Writing one edits the
 * case through lc_library_update, so the same rules (who, which state, a
 * published case revised as a new version) and the same audit apply; the
 * public is served only what the published version names.
 */
#include "domain/library/library.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/library/library_internal.h"
#include "domain/platform/audit.h"
#include "domain/platform/clock.h"
#include "domain/platform/row.h"
#include "formats/filetype.h"

static bool one_of(const char *const *names, const char *s)
{
	for (size_t i = 0; s && names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return true;
	return false;
}

/* A name safe to give back in Content-Disposition: letters, digits, '-', '_', then our extension.
 */
static void clean_filename(const char *in, const char *type, char *out, size_t n)
{
	char base[64];
	size_t k = 0;
	for (const char *c = in ? in : ""; *c && k < sizeof base - 1; c++) {
		char ch = *c;
		if (ch == '/' || ch == '\\')
			k = 0; /* a path: keep its last part */
		else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		         (ch >= '0' && ch <= '9') || ch == '-' || ch == '_')
			base[k++] = ch;
		else if (ch == '.' || ch == ' ')
			base[k++] = '_';
	}
	base[k] = '\0';
	char *dot = strrchr(base, '_');
	if (dot && strlen(dot) <= 5 && dot != base)
		*dot = '\0';
	snprintf(out, n, "%s.%s", base[0] ? base : "file", lc_filetype_ext(type));
}

static int count_files(struct lc_db *db, int64_t id, long *n)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT count(*) FROM lib_files WHERE case_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	*n = rc == 1 ? (long)sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

int lc_library_file_put(struct lc_db *db, const struct lc_actor *actor, int64_t id,
                        const struct lc_library_upload *u, int64_t *fid, struct lc_diag *d)
{
	static const char *const kinds[] = {"image", "document", NULL};
	*fid = 0;
	struct lib_case c;
	int err = lib_case_load(db, id, &c);
	if (err)
		return err;
	struct lc_authz_object obj = {.city_id = c.city_id};
	err = lc_authz_check(actor, LC_ACT_WRITE_CASE, &obj);
	if (err)
		return err;
	if (!one_of(kinds, u->kind)) {
		lc_diag_addf(d, NULL, 0, 0, "kind", "err_library_value", LC_ARG_S("field", "kind"),
		             LC_ARG_S("value", u->kind ? u->kind : ""));
		return LC_EINVAL;
	}
	if (!u->data || !u->n) {
		lc_diag_add(d, NULL, 0, 0, "file", "err_library_file_type");
		return LC_EINVAL;
	}
	if (u->n > LC_LIMIT_LIBRARY_FILE_BYTES) {
		lc_diag_addf(d, NULL, 0, 0, "file", "err_library_file_large",
		             LC_ARG_I("limit", LC_LIMIT_LIBRARY_FILE_BYTES >> 20));
		return LC_ELIMIT;
	}
	long have = 0;
	err = count_files(db, id, &have);
	if (err)
		return err;
	if (have >= LC_LIMIT_LIBRARY_FILES) {
		lc_diag_addf(d, NULL, 0, 0, "file", "err_library_too_many",
		             LC_ARG_S("field", "file"), LC_ARG_I("limit", LC_LIMIT_LIBRARY_FILES));
		return LC_ELIMIT;
	}
	const char *type = NULL, *why = NULL;
	bool image = strcmp(u->kind, "image") == 0;
	if (lc_filetype_sniff(u->data, u->n, &type, &why) != 0 ||
	    image == (strcmp(type, "application/pdf") == 0)) {
		lc_diag_add(d, NULL, 0, 0, "file",
		            image ? "err_library_file_image" : "err_library_file_type");
		return LC_EINVAL;
	}
	if (!one_of(lc_library_langs, u->lang)) {
		lc_diag_addf(d, NULL, 0, 0, "lang", "err_library_lang",
		             LC_ARG_S("lang", u->lang ? u->lang : ""));
		return LC_EINVAL;
	}
	unsigned char hash[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256(hash, u->data, u->n);
	sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
	char name[128];
	clean_filename(u->filename, type, name, sizeof name);
	json_t *v = NULL, *patch = NULL;
	err = lib_version_json(db, id, c.latest, &v);
	if (err)
		return err;
	err = lc_db_begin(db);
	if (err)
		goto out;
	sqlite3_stmt *st =
	    lc_db_stmt(db, "INSERT INTO lib_files (case_id, kind, content_type, size,"
	                   " sha256, filename, data, uploaded_at)"
	                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	if (!st) {
		err = LC_EDB;
		goto rollback;
	}
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, u->kind);
	lc_db_bind_text(st, 3, type);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)u->n);
	lc_db_bind_text(st, 5, hex);
	lc_db_bind_text(st, 6, name);
	sqlite3_bind_blob64(st, 7, u->data, u->n, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, lc_clock_now());
	err = lc_db_step(db, st);
	lc_db_release(db, st);
	if (err < 0)
		goto rollback;
	*fid = lc_db_last_id(db);
	/* The version names the file: an image with its alt text in its language. */
	char src[64];
	snprintf(src, sizeof src, "/library/%lld/files/%lld", (long long)id, (long long)*fid);
	const char *member = image ? "images" : "documents";
	json_t *list = json_deep_copy(json_object_get(v, member));
	if (!json_is_array(list)) {
		json_decref(list);
		list = json_array();
	}
	json_t *rec = json_pack("{s:s}", "src", src);
	if (u->credit && *u->credit)
		json_object_set_new(rec, "credit", json_string(u->credit));
	if (u->licence && *u->licence)
		json_object_set_new(rec, "licence", json_string(u->licence));
	if (image)
		json_object_set_new(rec, "alt",
		                    u->alt && *u->alt ? json_pack("{s:s}", u->lang, u->alt)
		                                      : json_object());
	else
		json_object_set_new(rec, "lang", json_string(u->lang));
	json_array_append_new(list, rec);
	patch = json_pack("{s:o}", member, list);
	err = lc_library_update(db, actor, id, patch, d);
	if (!err) {
		json_t *after =
		    json_pack("{s:I, s:s, s:s, s:I, s:s, s:s}", "file", (json_int_t)*fid, "kind",
		              u->kind, "content_type", type, "size", (json_int_t)u->n, "sha256",
		              hex, "filename", name);
		err = lc_audit_append_id(db, actor, "library.file", "case", id, NULL, after, NULL);
		json_decref(after);
	}
	if (!err)
		err = lc_db_commit(db);
	if (!err)
		goto out;
rollback:
	lc_db_rollback(db);
	*fid = 0;
out:
	json_decref(v);
	json_decref(patch);
	return err;
}

/* Whether the list member of version v names src. */
static bool names(const json_t *v, const char *member, const char *src)
{
	size_t i;
	const json_t *x;
	json_array_foreach(json_object_get(v, member), i, x)
	{
		const char *s = json_string_value(json_object_get(x, "src"));
		if (s && strcmp(s, src) == 0)
			return true;
	}
	return false;
}

int lc_library_file_get(struct lc_db *db, const struct lc_actor *actor, int64_t id, int64_t fid,
                        struct lc_library_file *out)
{
	memset(out, 0, sizeof *out);
	struct lib_case c;
	int err = lib_case_load(db, id, &c);
	if (err)
		return err;
	struct lc_authz_object obj = {.city_id = c.city_id};
	bool editor = lc_authz_check(actor, LC_ACT_WRITE_CASE, &obj) == 0 ||
	              lc_authz_check(actor, LC_ACT_CURATE_LIBRARY, NULL) == 0;
	if (!editor) {
		/* The public: only a file its published version names. */
		if (!c.published || c.withdrawn)
			return LC_ENOTFOUND;
		json_t *v = NULL;
		err = lib_version_json(db, id, c.published, &v);
		if (err)
			return err;
		char src[64];
		snprintf(src, sizeof src, "/library/%lld/files/%lld", (long long)id,
		         (long long)fid);
		bool ok = names(v, "images", src) || names(v, "documents", src);
		json_decref(v);
		if (!ok)
			return LC_ENOTFOUND;
	}
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT content_type, filename, data FROM lib_files"
	                                  " WHERE id = ?1 AND case_id = ?2");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, fid);
	sqlite3_bind_int64(st, 2, id);
	int rc = lc_db_step(db, st);
	if (rc == 1) {
		snprintf(out->content_type, sizeof out->content_type, "%s", lc_db_text(st, 0));
		snprintf(out->filename, sizeof out->filename, "%s", lc_db_text(st, 1));
		lc_row_blob(st, 2, &out->data, &out->size);
	}
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

void lc_library_file_cleanup(struct lc_library_file *f)
{
	if (!f)
		return;
	lc_free(f->data);
	f->data = NULL;
}
