/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/monitoring/framework.c: the embedded KFLC (3 parts, 12 areas, the 38
 * feature themes DOMAIN.md lists, measurements), provenance at every level,
 * loading twice, and rejecting bad framework files; the versioning rules
 * (drafts, publishing, frozen versions, index runs recording their version);
 * import of good and bad JSON and CSV files with every problem listed; and
 * export -> import round trips giving identical content.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/embedded.h"
#include "base/error.h"
#include "db/db.h"
#include "demo_db.h"
#include "domain/accounts/authz.h"
#include "domain/demo/demo.h"
#include "domain/monitoring/demo_monitoring.h"
#include "domain/monitoring/framework.h"
#include "domain/monitoring/observation.h"
#include "domain/monitoring/score.h"

static int setup(void **state)
{
	struct lc_db *db = NULL;
	if (lc_db_open(":memory:", 0, &db) != 0)
		return -1;
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	lc_db_close(*state);
	return 0;
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void test_empty(void **state)
{
	json_t *f = NULL;
	assert_int_equal(lc_framework_get(*state, "en", &f), LC_ENOTFOUND);
	assert_null(f);
}

static void load(struct lc_db *db)
{
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_demo_load_reference(db, &d), 0);
	assert_int_equal(lc_diag_total(&d), 0);
	lc_diag_cleanup(&d);
}

static void test_tree(void **state)
{
	struct lc_db *db = *state;
	load(db);
	load(db); /* a second load keeps the loaded version */
	json_t *f = NULL;
	assert_int_equal(lc_framework_get(db, "fr", &f), 0);
	json_t *counts = json_object_get(f, "counts");
	assert_int_equal(json_integer_value(json_object_get(counts, "parts")), 3);
	assert_int_equal(json_integer_value(json_object_get(counts, "areas")), 12);
	assert_int_equal(json_integer_value(json_object_get(counts, "features")), 38);
	long nm = (long)json_integer_value(json_object_get(counts, "measurements"));
	assert_true(nm >= 38);
	json_t *v = json_object_get(f, "version");
	assert_string_equal(str(v, "code"), "kflc-2013");
	assert_string_equal(str(v, "provenance"), "verified");
	assert_non_null(strstr(str(v, "note"), "pas disponible")); /* the French note */

	static const char *const area_codes[] = {"1.1", "1.2", "1.3", "2.1", "2.2", "2.3",
	                                         "2.4", "2.5", "2.6", "3.1", "3.2", "3.3"};
	static const size_t features_per_area[] = {4, 2, 3, 4, 3, 3, 3, 4, 3, 3, 2, 4};
	size_t ai = 0, pi, aj, fk, ml;
	long seen_m = 0;
	json_t *p, *a, *fe, *m;
	json_array_foreach(json_object_get(f, "parts"), pi, p)
	{
		assert_string_equal(str(p, "provenance"), "verified");
		json_array_foreach(json_object_get(p, "areas"), aj, a)
		{
			assert_string_equal(str(a, "code"), area_codes[ai]);
			assert_string_equal(str(a, "provenance"), "verified");
			json_t *fs = json_object_get(a, "features");
			assert_int_equal(json_array_size(fs), features_per_area[ai]);
			json_array_foreach(fs, fk, fe)
			{
				assert_string_equal(str(fe, "provenance"), "provisional");
				assert_true(strncmp(str(fe, "code"), area_codes[ai], 3) == 0);
				json_t *ms = json_object_get(fe, "measurements");
				assert_true(json_array_size(ms) >= 1);
				json_array_foreach(ms, ml, m)
				{
					seen_m++;
					assert_string_equal(str(m, "provenance"), "provisional");
					const char *t = str(m, "type");
					assert_true(strcmp(t, "number") == 0 ||
					            strcmp(t, "percentage") == 0 ||
					            strcmp(t, "yes_no") == 0 ||
					            strcmp(t, "maturity_0_4") == 0 ||
					            strcmp(t, "text") == 0);
					assert_non_null(str(m, "direction"));
					assert_non_null(str(m, "label"));
					if (strcmp(t, "percentage") == 0)
						assert_true(json_real_value(json_object_get(
						                m, "goalpost_high")) == 100.0);
				}
			}
			ai++;
		}
	}
	assert_int_equal(ai, 12);
	assert_int_equal(seen_m, nm);
	json_t *a11 = json_array_get(
	    json_object_get(json_array_get(json_object_get(f, "parts"), 0), "areas"), 0);
	assert_string_equal(str(a11, "title"), "Autonomisation des individus et cohésion sociale");
	json_decref(f);
}

static void expect_bad(struct lc_db *db, const char *text, const char *field_part)
{
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_framework_load_json(db, text, strlen(text), &d), LC_EINVAL);
	assert_true(lc_diag_total(&d) >= 1);
	if (field_part)
		assert_non_null(strstr(d.items[0].field ? d.items[0].field : "", field_part));
	lc_diag_cleanup(&d);
}

static void test_bad_files(void **state)
{
	struct lc_db *db = *state;
	expect_bad(db, "{", NULL);
	expect_bad(db, "{\"format\": \"other\"}", "format");
	expect_bad(db,
	           "{\"format\": \"learncity-framework/1\", \"version\": {\"code\": \"v\","
	           " \"title\": {\"fr\": \"x\"}, \"provenance\": \"verified\"}, \"parts\": []}",
	           "version");
	expect_bad(db,
	           "{\"format\": \"learncity-framework/1\", \"version\": {\"code\": \"v\","
	           " \"title\": {\"en\": \"x\"}, \"provenance\": \"verified\"}, \"parts\": ["
	           "{\"code\": \"1\", \"title\": {\"en\": \"P\"}, \"provenance\": \"verified\","
	           " \"areas\": [{\"code\": \"1.1\", \"title\": {\"en\": \"A\"}, \"provenance\":"
	           " \"verified\", \"features\": [{\"code\": \"1.1.1\", \"title\": {\"en\": \"F\"},"
	           " \"provenance\": \"provisional\", \"measurements\": [{\"code\": \"m\","
	           " \"label\": {\"en\": \"M\"}, \"direction\": \"up\", \"type\": \"number\","
	           " \"provenance\": \"provisional\"}]}]}]}]}",
	           "measurements[0]");
	/* Nothing of the failed loads remains. */
	json_t *f = NULL;
	assert_int_equal(lc_framework_get(db, "en", &f), LC_ENOTFOUND);
}

/* ---- versioning ---- */

static int64_t scalar(struct lc_db *db, const char *sql)
{
	sqlite3_stmt *st = lc_db_stmt(db, sql);
	assert_non_null(st);
	assert_int_equal(lc_db_step(db, st), 1);
	int64_t v = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	return v;
}

static const char *current_code(struct lc_db *db, char *buf, size_t n)
{
	json_t *f = NULL;
	assert_int_equal(lc_framework_get(db, "en", &f), 0);
	snprintf(buf, n, "%s", str(json_object_get(f, "version"), "code"));
	json_decref(f);
	return buf;
}

/* The first measurement of a version, from its tree with ids. */
static int64_t first_measurement(struct lc_db *db, const char *version)
{
	json_t *f = NULL;
	assert_int_equal(lc_framework_get_version(db, version, "en", true, &f), 0);
	json_t *p = json_array_get(json_object_get(f, "parts"), 0);
	json_t *a = json_array_get(json_object_get(p, "areas"), 0);
	json_t *fe = json_array_get(json_object_get(a, "features"), 0);
	json_t *m = json_array_get(json_object_get(fe, "measurements"), 0);
	int64_t id = (int64_t)json_integer_value(json_object_get(m, "id"));
	json_decref(f);
	assert_true(id > 0);
	return id;
}

static const struct lc_framework_measure_form good_form = {
    .code = "1.1.1.a",
    .label_en = "Adult literacy rate (revised)",
    .label_fr = "Taux d'alphabétisation des adultes",
    .unit = "%",
    .direction = "higher_is_better",
    .type = "percentage",
    .goalpost_low = "10",
    .goalpost_high = "95.5",
    .status = "verified",
};

static bool has_problem(const struct lc_diag *p, const char *field, const char *reason_part)
{
	for (size_t i = 0; i < p->count; i++)
		if (p->items[i].field && strcmp(p->items[i].field, field) == 0 &&
		    (!reason_part || strstr(p->items[i].message, reason_part)))
			return true;
	return false;
}

static void test_versions(void **state)
{
	struct lc_db *db = *state;
	load(db);
	struct lc_actor sys, nobody, anon;
	lc_actor_system(&sys);
	lc_actor_anonymous(&anon);
	memset(&nobody, 0, sizeof(nobody));
	nobody.kind = LC_ACTOR_ACCOUNT;
	nobody.account_id = 424242;
	snprintf(nobody.email, sizeof(nobody.email), "nobody@example.org");
	struct lc_diag p;
	lc_diag_init(&p);
	char cur[40];

	/* Only those who may edit the framework make drafts. */
	assert_int_equal(lc_framework_draft_new(db, &nobody, NULL, "v2", "V2", NULL, &p), LC_EPERM);
	assert_int_equal(lc_framework_draft_new(db, &anon, NULL, "v2", "V2", NULL, &p), LC_EAUTH);

	/* A draft is a copy, not current. */
	assert_int_equal(lc_framework_draft_new(db, &sys, NULL, "v2", "Key Features 2026",
	                                        "Caractéristiques 2026", &p),
	                 0);
	assert_int_equal(p.count, 0);
	assert_string_equal(current_code(db, cur, sizeof cur), "kflc-2013");
	json_t *a = NULL, *b = NULL;
	assert_int_equal(lc_framework_get_version(db, "kflc-2013", "en", false, &a), 0);
	assert_int_equal(lc_framework_get_version(db, "v2", "en", false, &b), 0);
	assert_true(json_equal(json_object_get(a, "parts"), json_object_get(b, "parts")));
	assert_string_equal(str(json_object_get(b, "version"), "status"), "draft");
	json_decref(a);
	json_decref(b);
	/* Its code must be new and well formed. */
	assert_int_equal(lc_framework_draft_new(db, &sys, NULL, "v2", "again", NULL, &p),
	                 LC_EINVAL);
	assert_true(has_problem(&p, "version_code", "already"));
	lc_diag_cleanup(&p);
	assert_int_equal(lc_framework_draft_new(db, &sys, NULL, "bad code!", NULL, NULL, &p),
	                 LC_EINVAL);
	assert_true(has_problem(&p, "version_code", NULL));
	lc_diag_cleanup(&p);
	assert_int_equal(lc_framework_draft_new(db, &sys, "nope", "v3", NULL, NULL, &p),
	                 LC_ENOTFOUND);

	json_t *list = NULL;
	assert_int_equal(lc_framework_versions(db, "en", true, 1, 20, &list), 0);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 2);
	json_t *first = json_array_get(json_object_get(list, "items"), 0);
	assert_string_equal(str(first, "code"), "kflc-2013");
	assert_true(json_is_true(json_object_get(first, "is_current")));
	json_t *second = json_array_get(json_object_get(list, "items"), 1);
	assert_string_equal(str(second, "based_on"), "kflc-2013");
	assert_int_equal(json_integer_value(json_object_get(second, "measurements")),
	                 json_integer_value(json_object_get(first, "measurements")));
	json_decref(list);
	assert_int_equal(lc_framework_versions(db, "en", false, 1, 20, &list), 0);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 1);
	json_decref(list);

	/* Editing the draft: label and goalposts. */
	int64_t mid = first_measurement(db, "v2");
	int64_t old_mid = first_measurement(db, "kflc-2013");
	assert_int_equal(
	    lc_framework_measurement_save(db, &nobody, "v2", mid, NULL, &good_form, NULL, &p),
	    LC_EPERM);
	assert_int_equal(
	    lc_framework_measurement_save(db, &sys, "v2", mid, NULL, &good_form, NULL, &p), 0);
	json_t *m = NULL;
	assert_int_equal(lc_framework_measurement_get(db, "v2", mid, "en", &m), 0);
	assert_string_equal(str(m, "label_en"), "Adult literacy rate (revised)");
	assert_string_equal(str(m, "label_fr"), "Taux d'alphabétisation des adultes");
	assert_string_equal(str(m, "goalpost_low"), "10");
	assert_string_equal(str(m, "goalpost_high"), "95.5");
	assert_string_equal(str(m, "status"), "verified");
	json_decref(m);
	/* A measurement of another version is not found through this one. */
	assert_int_equal(lc_framework_measurement_get(db, "v2", old_mid, "en", &m), LC_ENOTFOUND);
	assert_int_equal(
	    lc_framework_measurement_save(db, &sys, "v2", old_mid, NULL, &good_form, NULL, &p),
	    LC_ENOTFOUND);

	/* Bad values: every one named by its field, nothing changed. */
	struct lc_framework_measure_form bad = good_form;
	bad.code = "1.1.1.b"; /* another measurement's code */
	bad.label_en = "";
	bad.goalpost_low = "abc";
	bad.type = "percent";
	bad.direction = NULL;
	assert_int_equal(lc_framework_measurement_save(db, &sys, "v2", mid, NULL, &bad, NULL, &p),
	                 LC_EINVAL);
	assert_true(has_problem(&p, "code", "twice"));
	assert_true(has_problem(&p, "label_en", NULL));
	assert_true(has_problem(&p, "goalpost_low", "number"));
	assert_true(has_problem(&p, "type", NULL));
	assert_true(has_problem(&p, "direction", "required"));
	lc_diag_cleanup(&p);
	bad = good_form;
	bad.goalpost_low = "100";
	bad.goalpost_high = "5";
	assert_int_equal(lc_framework_measurement_save(db, &sys, "v2", mid, NULL, &bad, NULL, &p),
	                 LC_EINVAL);
	assert_true(has_problem(&p, "goalpost_high", "greater"));
	lc_diag_cleanup(&p);

	/* Adding and removing within a feature. */
	struct lc_framework_measure_form add = good_form;
	add.code = "1.1.1.z";
	int64_t new_id = 0;
	assert_int_equal(
	    lc_framework_measurement_save(db, &sys, "v2", 0, "9.9.9", &add, &new_id, &p),
	    LC_ENOTFOUND);
	assert_int_equal(
	    lc_framework_measurement_save(db, &sys, "v2", 0, "1.1.1", &add, &new_id, &p), 0);
	assert_true(new_id > 0);
	assert_int_equal(lc_framework_measurement_remove(db, &nobody, "v2", new_id, &p), LC_EPERM);
	assert_int_equal(lc_framework_measurement_remove(db, &sys, "v2", new_id, &p), 0);
	assert_int_equal(lc_framework_measurement_remove(db, &sys, "v2", new_id, &p), LC_ENOTFOUND);

	/* The published version is frozen, in the domain and in the database. */
	assert_int_equal(lc_framework_measurement_save(db, &sys, "kflc-2013", old_mid, NULL,
	                                               &good_form, NULL, &p),
	                 LC_ECONFLICT);
	assert_true(p.count == 1 && strstr(p.items[0].message, "published"));
	lc_diag_cleanup(&p);
	assert_int_equal(lc_framework_measurement_remove(db, &sys, "kflc-2013", old_mid, &p),
	                 LC_ECONFLICT);
	lc_diag_cleanup(&p);
	assert_int_not_equal(
	    lc_db_exec(db, "UPDATE framework_measurements SET unit = 'x' WHERE id IN (SELECT m.id"
	                   " FROM framework_measurements m JOIN framework_features f ON"
	                   " f.id = m.feature_id JOIN framework_areas a ON a.id = f.area_id"
	                   " JOIN framework_parts p ON p.id = a.part_id JOIN framework_versions v"
	                   " ON v.id = p.version_id WHERE v.code = 'kflc-2013')"),
	    0);
	assert_int_not_equal(
	    lc_db_exec(db, "UPDATE framework_versions SET is_current = 0 WHERE is_current = 1;"
	                   " UPDATE framework_versions SET is_current = 1 WHERE code = 'v2'"),
	    0);

	/* The current version is untouched by the draft's edits. */
	assert_int_equal(lc_framework_measurement_get(db, "kflc-2013", old_mid, "en", &m), 0);
	assert_string_equal(str(m, "label_en"), "Adult literacy rate");
	json_decref(m);

	/* Publishing: one current version; the old one stays published and frozen. */
	assert_int_equal(lc_framework_publish(db, &nobody, "v2", &p), LC_EPERM);
	assert_int_equal(lc_framework_publish(db, &sys, "kflc-2013", &p), LC_ECONFLICT);
	lc_diag_cleanup(&p);
	assert_int_equal(lc_framework_publish(db, &sys, "v2", &p), 0);
	assert_string_equal(current_code(db, cur, sizeof cur), "v2");
	assert_int_equal(scalar(db, "SELECT count(*) FROM framework_versions WHERE is_current = 1"),
	                 1);
	const char *status = NULL, *why = NULL;
	bool fz = false;
	assert_int_equal(lc_framework_version_state(db, "kflc-2013", &status, &fz, &why), 0);
	assert_string_equal(status, "published");
	assert_true(fz);
	assert_int_equal(lc_framework_version_state(db, "v2", &status, &fz, &why), 0);
	assert_true(fz);
	assert_int_equal(
	    lc_framework_measurement_save(db, &sys, "v2", mid, NULL, &good_form, NULL, &p),
	    LC_ECONFLICT);
	lc_diag_cleanup(&p);
	assert_int_equal(scalar(db, "SELECT count(*) FROM audit WHERE action LIKE 'framework.%'"),
	                 5);

	/* A draft referenced by an index run is frozen too. */
	assert_int_equal(lc_framework_draft_new(db, &sys, "v2", "v3", NULL, NULL, &p), 0);
	assert_int_equal(lc_framework_version_state(db, "v3", &status, &fz, &why), 0);
	assert_string_equal(status, "draft");
	assert_false(fz);
	assert_int_equal(
	    lc_db_exec(db, "INSERT INTO index_runs (year, spec, ua_runs, state, created_by_email,"
	                   " created_at, framework_version_id) VALUES (2025, '{}', 0, 'done',"
	                   " 'system', 0, (SELECT id FROM framework_versions WHERE code = 'v3'))"),
	    0);
	assert_int_equal(lc_framework_version_state(db, "v3", &status, &fz, &why), 0);
	assert_true(fz);
	assert_string_equal(why, "err_fw_runs");
	int64_t v3m = first_measurement(db, "v3");
	assert_int_equal(
	    lc_framework_measurement_save(db, &sys, "v3", v3m, NULL, &good_form, NULL, &p),
	    LC_ECONFLICT);
	assert_string_equal(p.items[0].code, "err_fw_runs");
	lc_diag_cleanup(&p);
}

/* An index run records the framework version it was computed with. */
static void test_run_records_version(void **state)
{
	struct lc_db *db = *state;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_demo_load_monitoring(db, &d), 0);
	lc_diag_cleanup(&d);
	assert_true(scalar(db, "SELECT count(*) FROM index_runs") >= 1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM index_runs WHERE framework_version_id"
	                            " IS NOT (SELECT id FROM framework_versions"
	                            " WHERE is_current = 1)"),
	                 0);
	/* A new draft changes nothing of what runs and readers use. */
	struct lc_actor sys;
	lc_actor_system(&sys);
	struct lc_diag p;
	lc_diag_init(&p);
	assert_int_equal(lc_framework_draft_new(db, &sys, NULL, "next", NULL, NULL, &p), 0);
	int64_t before = scalar(db, "SELECT count(*) FROM index_runs");
	long year = (long)scalar(db, "SELECT max(year) FROM index_runs");
	struct lc_score_opts o = {.year = year, .runs = 0};
	int64_t run = 0;
	assert_int_equal(lc_score_run(db, &sys, &o, NULL, &run, NULL), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM index_runs"), before + 1);
	char sql[200];
	snprintf(sql, sizeof sql,
	         "SELECT framework_version_id = (SELECT id FROM framework_versions WHERE"
	         " code = 'kflc-2013') FROM index_runs WHERE id = %lld",
	         (long long)run);
	assert_int_equal(scalar(db, sql), 1);

	/*
	 * After publishing a copy, a new run of the same year uses the new version and the
	 * values entered under the old one (by measurement code): the same scores.
	 */
	assert_int_equal(lc_framework_draft_new(db, &sys, NULL, "pub", NULL, NULL, &p), 0);
	assert_int_equal(lc_framework_publish(db, &sys, "pub", &p), 0);
	int64_t run2 = 0;
	assert_int_equal(lc_score_run(db, &sys, &o, NULL, &run2, NULL), 0);
	snprintf(sql, sizeof sql,
	         "SELECT framework_version_id = (SELECT id FROM framework_versions WHERE"
	         " code = 'pub') FROM index_runs WHERE id = %lld",
	         (long long)run2);
	assert_int_equal(scalar(db, sql), 1);
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM scores a JOIN scores b ON b.city_id = a.city_id"
	         " AND b.code = a.code WHERE a.run_id = %lld AND b.run_id = %lld"
	         " AND a.score IS NOT NULL AND abs(a.score - b.score) < 1e-9",
	         (long long)run, (long long)run2);
	int64_t same = scalar(db, sql);
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM scores WHERE run_id = %lld AND score IS NOT NULL",
	         (long long)run);
	assert_true(same > 0);
	assert_int_equal(same, scalar(db, sql));

	/* A draft that observations point at is frozen (observations, then self-assessments). */
	const char *status = NULL, *why = NULL;
	bool fz = true;
	assert_int_equal(lc_framework_version_state(db, "next", &status, &fz, &why), 0);
	assert_false(fz);
	assert_int_equal(
	    lc_db_exec(db,
	               "INSERT INTO observations (city_id, measurement_id, year, version,"
	               " is_current, value_text, author_email, created_at)"
	               " SELECT (SELECT min(id) FROM cities), m.id, 2030, 1, 1, '1', 'system', 0"
	               " FROM framework_measurements m JOIN framework_features f"
	               " ON f.id = m.feature_id JOIN framework_areas a ON a.id = f.area_id"
	               " JOIN framework_parts pa ON pa.id = a.part_id JOIN framework_versions v"
	               " ON v.id = pa.version_id WHERE v.code = 'next' LIMIT 1"),
	    0);
	assert_int_equal(lc_framework_version_state(db, "next", &status, &fz, &why), 0);
	assert_true(fz);
	assert_string_equal(why, "err_fw_observations");
	assert_int_equal(lc_framework_draft_new(db, &sys, NULL, "next2", NULL, NULL, &p), 0);
	assert_int_equal(
	    lc_db_exec(db, "INSERT INTO self_assessments (city_id, feature_id, year, version,"
	                   " is_current, maturity, author_email, created_at)"
	                   " SELECT (SELECT min(id) FROM cities), f.id, 2030, 1, 1, 2, 'system', 0"
	                   " FROM framework_features f JOIN framework_areas a ON a.id = f.area_id"
	                   " JOIN framework_parts pa ON pa.id = a.part_id JOIN framework_versions v"
	                   " ON v.id = pa.version_id WHERE v.code = 'next2' LIMIT 1"),
	    0);
	assert_int_equal(lc_framework_version_state(db, "next2", &status, &fz, &why), 0);
	assert_true(fz);
	assert_string_equal(why, "err_fw_local");
	lc_diag_cleanup(&p);
}

/* ---- import and export ---- */

static char *export_csv(struct lc_db *db, const char *code)
{
	struct lc_buf b;
	lc_buf_init(&b, 16u << 20);
	assert_int_equal(lc_framework_export_csv(db, code, &b), 0);
	char *s = strdup(lc_buf_cstr(&b));
	lc_buf_cleanup(&b);
	return s;
}

static void test_round_trip(void **state)
{
	struct lc_db *db = *state;
	load(db);
	struct lc_actor sys;
	lc_actor_system(&sys);
	struct lc_diag p;
	lc_diag_init(&p);
	/* Give the data a French text, a negative goalpost and a text with a comma. */
	assert_int_equal(lc_framework_draft_new(db, &sys, NULL, "src", "Source", "Source fr", &p),
	                 0);
	struct lc_framework_measure_form f = good_form;
	f.label_en = "Rate, \"quoted\", =formula";
	f.goalpost_low = "-5.25";
	f.goalpost_high = "0.71";
	assert_int_equal(lc_framework_measurement_save(
	                     db, &sys, "src", first_measurement(db, "src"), NULL, &f, NULL, &p),
	                 0);

	/* JSON: export, import under another code, export again: identical but the code. */
	json_t *doc = NULL, *again = NULL;
	assert_int_equal(lc_framework_export_json(db, "src", &doc), 0);
	char *text = json_dumps(doc, JSON_COMPACT);
	struct lc_framework_import_opts o = {.format = LC_FRAMEWORK_JSON, .code = "copy-json"};
	char code[40];
	assert_int_equal(
	    lc_framework_import(db, &sys, text, strlen(text), &o, code, sizeof code, &p), 0);
	assert_string_equal(code, "copy-json");
	free(text);
	assert_int_equal(lc_framework_export_json(db, "copy-json", &again), 0);
	json_object_set_new(json_object_get(again, "version"), "code", json_string("src"));
	assert_true(json_equal(doc, again));
	json_decref(doc);
	json_decref(again);

	/* CSV: the same, row for row. */
	char *csv1 = export_csv(db, "src");
	assert_non_null(strstr(csv1, "\"'-5.25\""));
	assert_non_null(strstr(csv1, ",0.71,"));
	o = (struct lc_framework_import_opts){.format = LC_FRAMEWORK_CSV, .code = "copy-csv"};
	assert_int_equal(
	    lc_framework_import(db, &sys, csv1, strlen(csv1), &o, code, sizeof code, &p), 0);
	assert_int_equal(p.count, 0);
	char *csv2 = export_csv(db, "copy-csv");
	assert_string_equal(csv1, csv2);
	free(csv1);
	free(csv2);
	/* Imports are drafts; the current version stays. */
	char cur[40];
	assert_string_equal(current_code(db, cur, sizeof cur), "kflc-2013");
	const char *status = NULL, *why = NULL;
	bool fz = true;
	assert_int_equal(lc_framework_version_state(db, "copy-csv", &status, &fz, &why), 0);
	assert_string_equal(status, "draft");
	assert_false(fz);
	lc_diag_cleanup(&p);
}

static const char csv_head[] = LC_FRAMEWORK_CSV_COLUMNS "\n";

static void test_import_bad_csv(void **state)
{
	struct lc_db *db = *state;
	load(db);
	struct lc_actor sys, nobody;
	lc_actor_system(&sys);
	memset(&nobody, 0, sizeof(nobody));
	nobody.kind = LC_ACTOR_ACCOUNT;
	nobody.account_id = 7;
	struct lc_diag p;
	lc_diag_init(&p);
	char code[40];
	struct lc_framework_import_opts o = {.format = LC_FRAMEWORK_CSV, .code = "bad"};
	int64_t versions = scalar(db, "SELECT count(*) FROM framework_versions");

	/* Every bad cell of every row, with its line, column and value. */
	struct lc_buf b;
	lc_buf_init(&b, 1u << 20);
	lc_buf_append(&b, csv_head, strlen(csv_head));
	lc_buf_printf(&b, "1,P,,verified,1.1,A,,verified,1.1.1,F,,provisional,m1,M one,,%%,"
	                  "higher_is_better,percentage,0,100,provisional\n");
	lc_buf_printf(&b, "1,P,,verified,1.1,A,,verified,1.1.1,F,,provisional,m2,M two,,,"
	                  "up,number,abc,5,provisional\n");
	lc_buf_printf(&b, "1,P,,verified,1.1,A,,verified,1.1.1,F,,provisional,m1,Dup,,,"
	                  "neutral,count,9,1,sure\n");
	lc_buf_printf(&b, "1,Other title,,verified,1.1,A,,verified,1.1.1,F,,provisional,m3,,,,"
	                  "neutral,number,,,provisional\n");
	const char *text = lc_buf_cstr(&b);
	assert_int_equal(lc_framework_import(db, &nobody, text, b.len, &o, code, sizeof code, &p),
	                 LC_EPERM);
	assert_int_equal(lc_framework_import(db, &sys, text, b.len, &o, code, sizeof code, &p),
	                 LC_EINVAL);
	struct {
		long row, column;
		const char *field, *value;
	} want[] = {
	    {3, 17, "direction", "up"},
	    {3, 19, "goalpost_low", "abc"},
	    {4, 13, "code", "m1"},
	    {4, 18, "type", "count"},
	    {4, 20, "goalpost_high", "1"},
	    {4, 21, "status", "sure"},
	    {5, 2, "part_title_en", "Other title"},
	    {5, 14, "label_en", NULL},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		bool found = false;
		for (size_t k = 0; k < p.count && !found; k++) {
			const struct lc_diag_entry *e = &p.items[k];
			const char *value = lc_diag_arg(e, "value");
			found = e->line == want[i].row && e->column == want[i].column &&
			        strcmp(e->field, want[i].field) == 0 &&
			        (want[i].value ? value && strcmp(value, want[i].value) == 0
			                       : value == NULL);
		}
		if (!found) {
			struct lc_buf f;
			lc_buf_init(&f, 1u << 16);
			lc_diag_format(&p, &f);
			print_message("missing %s on line %ld:\n%s", want[i].field, want[i].row,
			              lc_buf_cstr(&f));
			lc_buf_cleanup(&f);
		}
		assert_true(found);
	}
	assert_int_equal(p.count, sizeof want / sizeof want[0]);
	/* Every problem is a catalogue code with its arguments, never a bare sentence. */
	for (size_t k = 0; k < p.count; k++)
		assert_non_null(p.items[k].code);
	assert_true(lc_diag_has(&p, "err_fw_enum"));
	assert_true(lc_diag_has(&p, "err_fw_not_number"));
	assert_true(lc_diag_has(&p, "err_fw_code_twice"));
	assert_true(lc_diag_has(&p, "err_fw_part_differs"));
	for (size_t k = 0; k < p.count; k++)
		if (strcmp(p.items[k].field, "direction") == 0)
			assert_string_equal(lc_diag_arg(&p.items[k], "choices"),
			                    "higher_is_better, lower_is_better or neutral");
	lc_diag_cleanup(&p);
	lc_buf_cleanup(&b);

	/* Wrong columns, no code, malformed CSV, an existing code, empty. */
	const char *cols = "part_code,title,code\n1,x,y\n";
	assert_int_equal(
	    lc_framework_import(db, &sys, cols, strlen(cols), &o, code, sizeof code, &p),
	    LC_EINVAL);
	assert_true(has_problem(&p, "title", "not a column"));
	assert_true(has_problem(&p, "direction", "missing"));
	lc_diag_cleanup(&p);
	struct lc_framework_import_opts nocode = {.format = LC_FRAMEWORK_CSV};
	assert_int_equal(lc_framework_import(db, &sys, csv_head, strlen(csv_head), &nocode, code,
	                                     sizeof code, &p),
	                 LC_EINVAL);
	assert_true(has_problem(&p, "version_code", NULL));
	lc_diag_cleanup(&p);
	const char *quote = "part_code\n\"1\n";
	assert_int_not_equal(
	    lc_framework_import(db, &sys, quote, strlen(quote), &o, code, sizeof code, &p), 0);
	assert_true(p.count >= 1);
	lc_diag_cleanup(&p);
	assert_int_equal(
	    lc_framework_import(db, &sys, csv_head, strlen(csv_head), &o, code, sizeof code, &p),
	    LC_EINVAL);
	lc_diag_cleanup(&p);
	char *good = export_csv(db, NULL);
	struct lc_framework_import_opts taken = {.format = LC_FRAMEWORK_CSV, .code = "kflc-2013"};
	assert_int_equal(
	    lc_framework_import(db, &sys, good, strlen(good), &taken, code, sizeof code, &p),
	    LC_EINVAL);
	assert_true(has_problem(&p, "version_code", "already"));
	lc_diag_cleanup(&p);
	free(good);

	/* JSON: every problem with its path. */
	const char *bad_json =
	    "{\"format\": \"learncity-framework/1\", \"version\": {\"code\": \"j\","
	    " \"title\": {\"en\": \"x\"}, \"adopted\": \"2023-02-29\", \"provenance\": "
	    "\"verified\"},"
	    " \"parts\": [{\"code\": \"1\", \"title\": {\"en\": \"P\"}, \"provenance\": "
	    "\"verified\","
	    " \"areas\": [{\"code\": \"1\", \"title\": {\"en\": \"A\", \"xx-bad!\": \"?\"},"
	    " \"provenance\": \"verified\", \"features\": [{\"code\": \"1.1.1\", \"title\": "
	    "{\"en\":"
	    " \"F\"}, \"provenance\": \"provisional\", \"measurements\": [{\"code\": \"m\","
	    " \"label\": {\"en\": \"M\"}, \"direction\": \"up\", \"type\": \"number\","
	    " \"goalpost_low\": \"0\", \"provenance\": \"provisional\"}]}]}]}]}";
	struct lc_framework_import_opts jo = {.format = LC_FRAMEWORK_JSON};
	assert_int_equal(
	    lc_framework_import(db, &sys, bad_json, strlen(bad_json), &jo, code, sizeof code, &p),
	    LC_EINVAL);
	assert_true(has_problem(&p, "version.adopted", NULL));
	assert_true(has_problem(&p, "parts[0].areas[0].code", "twice"));
	assert_true(has_problem(&p, "parts[0].areas[0].title.xx-bad!", NULL));
	assert_true(
	    has_problem(&p, "parts[0].areas[0].features[0].measurements[0].direction", NULL));
	assert_true(
	    has_problem(&p, "parts[0].areas[0].features[0].measurements[0].goalpost_low", NULL));
	lc_diag_cleanup(&p);

	/* Nothing of the refused files was written. */
	assert_int_equal(scalar(db, "SELECT count(*) FROM framework_versions"), versions);
}

/* A correction entered after a new version was published supersedes the value entered
   under the old version (same measurement code): one current value, two versions. */
static void test_correction_across_versions(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor sys;
	lc_actor_system(&sys);
	const char *code = "1.1.1.a";
	struct lc_obs_row row = {.city = lc_slice_cstr("cork"),
	                         .measurement = lc_slice_cstr(code),
	                         .year = lc_slice_cstr("2021"),
	                         .value = lc_slice_cstr("1"),
	                         .line = 1};
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_obs_summary sum = {0};
	int rc = lc_obs_put(db, &sys, &row, 1, &d, &sum);
	if (rc && d.count)
		print_error("%s\n", d.items[0].message);
	assert_int_equal(rc, 0);
	struct lc_diag p;
	lc_diag_init(&p);
	assert_int_equal(lc_framework_draft_new(db, &sys, NULL, "v-next", NULL, NULL, &p), 0);
	assert_int_equal(lc_framework_publish(db, &sys, "v-next", &p), 0);
	lc_diag_cleanup(&p);
	row.value = lc_slice_cstr("0");
	assert_int_equal(lc_obs_put(db, &sys, &row, 1, &d, &sum), 0);
	lc_diag_cleanup(&d);
	const char *sql = "SELECT count(*) FROM observations o JOIN framework_measurements m"
	                  " ON m.id = o.measurement_id JOIN cities c ON c.id = o.city_id"
	                  " WHERE c.slug = 'cork' AND o.year = 2021 AND m.code = '1.1.1.a'";
	char q[400];
	snprintf(q, sizeof q, "%s AND o.is_current = 1", sql);
	assert_int_equal(scalar(db, q), 1);
	assert_int_equal(scalar(db, sql), 2);
	snprintf(q, sizeof q, "%s AND o.is_current = 1 AND o.version = 2 AND o.value_text = '0'",
	         sql);
	assert_int_equal(scalar(db, q), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tree, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_versions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_bad_csv, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_run_records_version, lc_test_demo_setup,
	                                    lc_test_demo_teardown),
	    cmocka_unit_test_setup_teardown(test_correction_across_versions, lc_test_demo_setup,
	                                    lc_test_demo_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
