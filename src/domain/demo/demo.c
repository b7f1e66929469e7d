/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Loading the embedded reference and demonstration data sets (demo.h).
 * The format of data/demo.json ("learncity-demo/1"):
 *   cities: [{slug, name: {lang: text}, country: alpha-2, kind|null, provenance}]
 *   conferences: [{number, start_date, end_date, host: slug, mode|null,
 *                  theme, outcome|null, participation|null (texts per language), provenance}]
 *   award_rounds: [{year, conference: number|null, eligibility|null, selection|null,
 *                   criteria|null, rules_provenance|null, provenance, awardees: [slug]}]
 *   memberships: [{city: slug, status, from|null, to|null, known_by|null, reason|null,
 *                  source, provenance}]
 *   network_counts: [{as_of, members, countries|null, source, provenance}]
 * The database's CHECK constraints validate values; this loader checks shapes
 * and reports which entry failed.
 */
#include "domain/demo/demo.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/embedded.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/account.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/award/award_round.h"
#include "domain/award/jury.h"
#include "domain/conference/event.h"
#include "domain/library/library.h"
#include "domain/conference/programme.h"
#include "domain/workflow/call.h"
#include "domain/platform/clock.h"
#include "domain/conference/category.h"
#include "domain/conference/registration.h"
#include "domain/directory/country.h"
#include "domain/monitoring/framework.h"
#include "domain/accounts/role.h"
#include "domain/platform/row.h"
#include "domain/platform/text.h"

static int load_embedded(struct lc_db *db, const char *name, struct lc_diag *d,
                         int (*fn)(struct lc_db *, const char *, size_t, struct lc_diag *))
{
	const struct lc_embedded_file *f = lc_embedded_find(name);
	if (!f) {
		lc_diag_add(d, name, 0, 0, NULL, "err_demo_embedded_binary");
		return LC_EINTERNAL;
	}
	return fn(db, (const char *)f->data, f->len, d);
}

int lc_demo_load_reference(struct lc_db *db, struct lc_diag *d)
{
	int err = lc_db_begin(db);
	if (err)
		return err;
	err = load_embedded(db, "data/countries.csv", d, lc_country_load_csv);
	if (!err)
		err = load_embedded(db, "data/kflc.json", d, lc_framework_load_json);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}

int lc_demo_is_loaded(struct lc_db *db, bool *loaded)
{
	*loaded = false;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT 1 FROM app_meta WHERE key = 'demo_loaded_at'");
	if (!st)
		return LC_EDB;
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	*loaded = rc == 1;
	return 0;
}

int lc_demo_is_empty(struct lc_db *db, bool *empty)
{
	*empty = false;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT NOT EXISTS (SELECT 1 FROM cities)");
	if (!st)
		return LC_EDB;
	int rc = lc_db_step(db, st);
	if (rc == 1)
		*empty = sqlite3_column_int(st, 0) != 0;
	lc_db_release(db, st);
	return rc < 0 ? rc : 0;
}

/* ---- demo.json ---------------------------------------------------------- */

struct demo {
	struct lc_db *db;
	struct lc_diag *d;
	char where[96];
};

/* Reports the problem code at the current entry. */
static int bad(struct demo *x, const char *code)
{
	lc_diag_add(x->d, "demo.json", 0, 0, x->where, code);
	return LC_EINVAL;
}

/* Runs a prepared insert; reports a constraint failure against the current entry. */
static int run(struct demo *x, sqlite3_stmt *st)
{
	int rc = lc_db_step(x->db, st);
	lc_db_release(x->db, st);
	if (rc == LC_ECONFLICT) {
		lc_diag_addf(x->d, "demo.json", 0, 0, x->where, "err_demo_rejected_database",
		             LC_ARG_S("db", lc_db_errmsg(x->db)));
		return LC_EINVAL;
	}
	return rc < 0 ? rc : 0;
}

/* Runs st when binding went well (err 0); otherwise only releases it. */
static int finish(struct demo *x, sqlite3_stmt *st, int err)
{
	if (err) {
		lc_db_release(x->db, st);
		return err;
	}
	return run(x, st);
}

/* Binds an optional string member (absent or null binds NULL). */
static int bind_opt(struct demo *x, sqlite3_stmt *st, int i, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (v && !json_is_null(v) && !json_is_string(v))
		return bad(x, "err_demo_text_type");
	return lc_db_bind_text(st, i, json_string_value(v));
}

/* Binds an optional translatable member as its JSON text. */
static int bind_tr(struct demo *x, sqlite3_stmt *st, int i, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return lc_db_bind_text(st, i, NULL);
	if (!json_is_object(v))
		return bad(x, "err_demo_translatable");
	struct lc_buf b;
	lc_buf_init(&b, LC_LIMIT_TEXT_BYTES * 2);
	int err = lc_row_dump(v, &b);
	if (!err)
		err = lc_db_bind_text(st, i, lc_buf_cstr(&b));
	lc_buf_cleanup(&b);
	return err;
}

static int bind_int_opt(struct demo *x, sqlite3_stmt *st, int i, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return sqlite3_bind_null(st, i) == SQLITE_OK ? 0 : LC_EDB;
	if (!json_is_integer(v))
		return bad(x, "err_demo_number_type");
	return sqlite3_bind_int64(st, i, json_integer_value(v)) == SQLITE_OK ? 0 : LC_EDB;
}

/*
 * The search key: every name folded, joined by " | ", plus a variant with
 * apostrophes as spaces ("n zerekore") when it differs; the sort key: the
 * folded name per language.
 */
static int city_keys(struct demo *x, json_t *names, struct lc_buf *search, struct lc_buf *sort)
{
	json_t *sortobj = json_object();
	const char *lang;
	json_t *v;
	int err = 0;
	json_object_foreach(names, lang, v)
	{
		const char *s = json_string_value(v);
		if (!s || !lc_text_lang_ok(lang) || strlen(s) > LC_LIMIT_NAME_BYTES || !s[0]) {
			err = bad(x, "err_demo_name_map");
			break;
		}
		struct lc_buf f, g;
		lc_buf_init(&f, LC_LIMIT_NAME_BYTES * 4);
		lc_buf_init(&g, LC_LIMIT_NAME_BYTES * 4);
		lc_text_fold(s, strlen(s), &f);
		lc_text_slug(s, strlen(s), &g);
		for (size_t i = 0; i < g.len; i++)
			if (g.data[i] == '-')
				g.data[i] = ' ';
		if (search->len)
			lc_buf_puts(search, " | ");
		lc_buf_puts(search, lc_buf_cstr(&f));
		if (g.len && strcmp(lc_buf_cstr(&f), lc_buf_cstr(&g)) != 0) {
			lc_buf_puts(search, " | ");
			lc_buf_puts(search, lc_buf_cstr(&g));
		}
		json_object_set_new(sortobj, lang, lc_row_cstr(lc_buf_cstr(&f)));
		lc_buf_cleanup(&f);
		lc_buf_cleanup(&g);
	}
	if (!err && !json_object_get(sortobj, "en"))
		err = bad(x, "err_demo_name_english");
	if (!err)
		err = lc_row_dump(sortobj, sort);
	json_decref(sortobj);
	if (!err && (lc_buf_error(search) || lc_buf_error(sort)))
		err = bad(x, "err_demo_names_long");
	return err;
}

static int load_cities(struct demo *x, json_t *list)
{
	size_t i;
	json_t *c;
	json_array_foreach(list, i, c)
	{
		snprintf(x->where, sizeof(x->where), "cities[%zu]", i);
		const char *slug = json_string_value(json_object_get(c, "slug"));
		json_t *names = json_object_get(c, "name");
		if (!lc_text_slug_ok(slug) || !json_is_object(names))
			return bad(x, "err_demo_city");
		struct lc_buf search, sort;
		lc_buf_init(&search, LC_LIMIT_TEXT_BYTES);
		lc_buf_init(&sort, LC_LIMIT_TEXT_BYTES);
		int err = city_keys(x, names, &search, &sort);
		sqlite3_stmt *st = NULL;
		if (!err) {
			st = lc_db_stmt(x->db,
			                "INSERT INTO cities (slug, name, search_key, sort_key,"
			                " country, kind, provenance)"
			                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
			err = st ? 0 : LC_EDB;
		}
		if (!err) {
			lc_db_bind_text(st, 1, slug);
			lc_db_bind_text(st, 3, lc_buf_cstr(&search));
			lc_db_bind_text(st, 4, lc_buf_cstr(&sort));
			err = bind_tr(x, st, 2, c, "name");
			if (!err)
				err = bind_opt(x, st, 5, c, "country");
			if (!err)
				err = bind_opt(x, st, 6, c, "kind");
			if (!err)
				err = bind_opt(x, st, 7, c, "provenance");
			err = finish(x, st, err);
		}
		lc_buf_cleanup(&search);
		lc_buf_cleanup(&sort);
		if (err)
			return err;
	}
	return 0;
}

static int load_conferences(struct demo *x, json_t *list)
{
	size_t i;
	json_t *c;
	json_array_foreach(list, i, c)
	{
		snprintf(x->where, sizeof(x->where), "conferences[%zu]", i);
		sqlite3_stmt *st = lc_db_stmt(
		    x->db, "INSERT INTO conferences (number, start_date, end_date, host_city_id,"
		           " mode, theme, outcome, participation, provenance)"
		           " VALUES (?1, ?2, ?3, (SELECT id FROM cities WHERE slug = ?4), ?5, ?6,"
		           " ?7, ?8, ?9)");
		if (!st)
			return LC_EDB;
		int err = bind_int_opt(x, st, 1, c, "number");
		if (!err)
			err = bind_opt(x, st, 2, c, "start_date");
		if (!err)
			err = bind_opt(x, st, 3, c, "end_date");
		if (!err)
			err = bind_opt(x, st, 4, c, "host");
		if (!err)
			err = bind_opt(x, st, 5, c, "mode");
		if (!err)
			err = bind_tr(x, st, 6, c, "theme");
		if (!err)
			err = bind_tr(x, st, 7, c, "outcome");
		if (!err)
			err = bind_tr(x, st, 8, c, "participation");
		if (!err)
			err = bind_opt(x, st, 9, c, "provenance");
		err = finish(x, st, err);
		if (err)
			return err;
	}
	return 0;
}

static int load_rounds(struct demo *x, json_t *list)
{
	size_t i, j;
	json_t *r, *a;
	json_array_foreach(list, i, r)
	{
		snprintf(x->where, sizeof(x->where), "award_rounds[%zu]", i);
		sqlite3_stmt *st = lc_db_stmt(
		    x->db, "INSERT INTO award_rounds (year, conference_number, eligibility,"
		           " selection, rules_provenance, provenance, criteria)"
		           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
		if (!st)
			return LC_EDB;
		int err = bind_int_opt(x, st, 1, r, "year");
		if (!err)
			err = bind_int_opt(x, st, 2, r, "conference");
		if (!err)
			err = bind_tr(x, st, 3, r, "eligibility");
		if (!err)
			err = bind_tr(x, st, 4, r, "selection");
		if (!err)
			err = bind_opt(x, st, 5, r, "rules_provenance");
		if (!err)
			err = bind_opt(x, st, 6, r, "provenance");
		if (!err)
			err = bind_tr(x, st, 7, r, "criteria");
		err = finish(x, st, err);
		if (err)
			return err;
		json_t *year = json_object_get(r, "year");
		json_t *awardees = json_object_get(r, "awardees");
		if (!json_is_array(awardees))
			return bad(x, "err_demo_awardees");
		json_array_foreach(awardees, j, a)
		{
			snprintf(x->where, sizeof(x->where), "award_rounds[%zu].awardees[%zu]", i,
			         j);
			if (!json_is_string(a))
				return bad(x, "err_demo_awardee");
			st =
			    lc_db_stmt(x->db, "INSERT INTO awards (round_year, city_id, provenance)"
			                      " SELECT ?1, id, ?3 FROM cities WHERE slug = ?2");
			if (!st)
				return LC_EDB;
			sqlite3_bind_int64(st, 1, json_integer_value(year));
			lc_db_bind_text(st, 2, json_string_value(a));
			err = bind_opt(x, st, 3, r, "provenance");
			err = finish(x, st, err);
			if (err)
				return err;
			if (lc_db_changes(x->db) != 1)
				return bad(x, "err_demo_no_city");
		}
	}
	return 0;
}

static int load_memberships(struct demo *x, json_t *list)
{
	size_t i;
	json_t *m;
	json_array_foreach(list, i, m)
	{
		snprintf(x->where, sizeof(x->where), "memberships[%zu]", i);
		sqlite3_stmt *st = lc_db_stmt(
		    x->db, "INSERT INTO memberships (city_id, status, from_date, to_date,"
		           " known_by, reason, source, provenance)"
		           " SELECT id, ?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM cities WHERE slug = ?1");
		if (!st)
			return LC_EDB;
		static const char *const keys[] = {"city",     "status", "from",   "to",
		                                   "known_by", "reason", "source", "provenance"};
		int err = 0;
		for (int k = 0; k < 8 && !err; k++)
			err = bind_opt(x, st, k + 1, m, keys[k]);
		err = finish(x, st, err);
		if (err)
			return err;
		if (lc_db_changes(x->db) != 1)
			return bad(x, "err_demo_no_city");
	}
	return 0;
}

static int load_counts(struct demo *x, json_t *list)
{
	size_t i;
	json_t *c;
	json_array_foreach(list, i, c)
	{
		snprintf(x->where, sizeof(x->where), "network_counts[%zu]", i);
		sqlite3_stmt *st = lc_db_stmt(
		    x->db, "INSERT INTO network_counts (as_of, members, countries, source,"
		           " provenance) VALUES (?1, ?2, ?3, ?4, ?5)");
		if (!st)
			return LC_EDB;
		int err = bind_opt(x, st, 1, c, "as_of");
		if (!err)
			err = bind_int_opt(x, st, 2, c, "members");
		if (!err)
			err = bind_int_opt(x, st, 3, c, "countries");
		if (!err)
			err = bind_opt(x, st, 4, c, "source");
		if (!err)
			err = bind_opt(x, st, 5, c, "provenance");
		err = finish(x, st, err);
		if (err)
			return err;
	}
	return 0;
}

static json_t *section(struct demo *x, json_t *root, const char *key)
{
	json_t *a = json_object_get(root, key);
	if (!json_is_array(a)) {
		snprintf(x->where, sizeof(x->where), "%s", key);
		bad(x, "err_demo_array");
		return NULL;
	}
	return a;
}

int lc_demo_load_json(struct lc_db *db, const char *text, size_t len, struct lc_diag *d)
{
	if (len > LC_LIMIT_DATA_FILE)
		return LC_ELIMIT;
	struct demo x = {.db = db, .d = d};
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		/* jansson's own words: not ours to translate. */
		lc_diag_add_text(d, "demo.json", jerr.line, jerr.column, NULL, "%s", jerr.text);
		return LC_EINVAL;
	}
	int err = lc_db_begin(db);
	if (err) {
		json_decref(root);
		return err;
	}
	bool loaded = false;
	err = lc_demo_is_loaded(db, &loaded);
	if (!err && loaded) {
		lc_diag_add(d, "demo.json", 0, 0, NULL,
		            "err_demo_demonstration_data_already_loaded");
		err = LC_ECONFLICT;
	}
	const char *format = json_string_value(json_object_get(root, "format"));
	if (!err && (!format || strcmp(format, "learncity-demo/1") != 0)) {
		snprintf(x.where, sizeof(x.where), "format");
		err = bad(&x, "err_demo_format");
	}
	if (!err)
		err = lc_demo_load_reference(db, d);
	static const struct {
		const char *key;
		int (*load)(struct demo *, json_t *);
	} sections[] = {
	    {"cities", load_cities},         {"conferences", load_conferences},
	    {"award_rounds", load_rounds},   {"memberships", load_memberships},
	    {"network_counts", load_counts},
	};
	for (size_t i = 0; !err && i < sizeof(sections) / sizeof(sections[0]); i++) {
		json_t *list = section(&x, root, sections[i].key);
		err = list ? sections[i].load(&x, list) : LC_EINVAL;
	}
	if (!err)
		err = lc_db_exec(db, "INSERT INTO app_meta (key, value) VALUES ('demo_loaded_at',"
		                     " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	json_decref(root);
	return err;
}

/* ---- demo-accounts.json -------------------------------------------------- */

/*
 * One demonstration account: inserted with its precomputed hash (hashing six
 * passwords at 64 MiB would cost every test that loads the demo a second),
 * audited as created by the system, then its roles granted through role.c.
 */
static int load_account(struct demo *x, const struct lc_actor *sys, json_t *a)
{
	const char *email = json_string_value(json_object_get(a, "email"));
	const char *name = json_string_value(json_object_get(a, "name"));
	const char *lang = json_string_value(json_object_get(a, "lang"));
	const char *hash = json_string_value(json_object_get(a, "password_hash"));
	json_t *roles = json_object_get(a, "roles");
	char norm[LC_LIMIT_EMAIL_BYTES + 1];
	if (!email || !name || !lang || !hash || !json_is_array(roles) ||
	    lc_account_email_normalise(email, strlen(email), norm, sizeof norm) != 0)
		return bad(x, "err_demo_account");
	sqlite3_stmt *st = lc_db_stmt(x->db, "INSERT INTO accounts (email, email_norm, name, lang,"
	                                     " status, password_hash, created_at, updated_at)"
	                                     " VALUES (?1, ?2, ?3, ?4, 'active', ?5, ?6, ?6)");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, email);
	lc_db_bind_text(st, 2, norm);
	lc_db_bind_text(st, 3, name);
	lc_db_bind_text(st, 4, lang);
	lc_db_bind_text(st, 5, hash);
	sqlite3_bind_int64(st, 6, lc_clock_now());
	int err = run(x, st);
	if (err)
		return err;
	int64_t id = lc_db_last_id(x->db);
	json_t *after = json_pack("{s:s,s:s,s:s,s:s}", "email", email, "name", name, "lang", lang,
	                          "status", "active");
	err = lc_audit_append_id(x->db, sys, "account.create", "account", id, NULL, after,
	                         "demonstration data");
	json_decref(after);
	size_t i;
	json_t *r;
	json_array_foreach(roles, i, r)
	{
		if (err)
			break;
		struct lc_role role;
		const char *why = NULL;
		err = lc_role_parse(x->db, json_string_value(r), &role, &why);
		if (err == LC_EINVAL || err == LC_ENOTFOUND) {
			/* lc_role_parse says why in English only (its reason is shared with the
			 * admin pages). */
			lc_diag_addf(x->d, "demo.json", 0, 0, x->where, "err_demo_role",
			             LC_ARG_S("role", json_string_value(r)),
			             LC_ARG_S("reason", why ? why : "is malformed"));
			return LC_EINVAL;
		}
		if (!err)
			err = lc_role_grant(x->db, sys, id, &role);
	}
	return err;
}

static int load_accounts(struct lc_db *db, struct lc_diag *d)
{
	const struct lc_embedded_file *f = lc_embedded_find("data/demo-accounts.json");
	if (!f) {
		lc_diag_add(d, "data/demo-accounts.json", 0, 0, NULL, "err_demo_embedded_binary");
		return LC_EINTERNAL;
	}
	json_error_t jerr;
	json_t *root = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		/* jansson's own words: not ours to translate. */
		lc_diag_add_text(d, "demo-accounts.json", jerr.line, jerr.column, NULL, "%s",
		                 jerr.text);
		return LC_EINVAL;
	}
	struct demo x = {.db = db, .d = d};
	struct lc_actor sys;
	lc_actor_system(&sys);
	json_t *list = json_object_get(root, "accounts");
	int err = json_is_array(list) ? 0 : LC_EINVAL;
	size_t i;
	json_t *a;
	json_array_foreach(list, i, a)
	{
		if (err)
			break;
		snprintf(x.where, sizeof(x.where), "accounts[%zu]", i);
		err = load_account(&x, &sys, a);
	}
	json_decref(root);
	return err;
}

int lc_demo_load(struct lc_db *db, struct lc_diag *d)
{
	const struct lc_embedded_file *f = lc_embedded_find("data/demo.json");
	if (!f) {
		lc_diag_add(d, "data/demo.json", 0, 0, NULL, "err_demo_embedded_binary");
		return LC_EINTERNAL;
	}
	/* The accounts need the cities, countries and rounds their roles name. */
	int err = lc_db_begin(db);
	if (err)
		return err;
	err = lc_demo_load_json(db, (const char *)f->data, f->len, d);
	if (!err)
		err = load_accounts(db, d);
	if (!err)
		err = lc_call_demo(db); /* a call open around the demo's clock */
	if (!err)
		err = lc_award_round_demo(db); /* the 2027 round, open for nominations */
	if (!err)
		err = lc_jury_demo(db); /* its demo juror, with nominations to score */
	if (!err)
		err = lc_conf_event_demo(db); /* a conference open for registration */
	if (!err)
		err = lc_library_demo(db); /* case studies in six languages */
	if (!err)
		err = lc_conf_category_demo(db); /* its categories, one full with a waiting list */
	if (!err)
		err = lc_conf_reg_demo(db); /* registrations in several scripts and languages */
	if (!err)
		err = lc_prog_demo(db); /* its programme, released twice */
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}
