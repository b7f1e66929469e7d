/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/library/: a draft from three fields, who may write it,
 * the checks before submission, the curation steps (changes requested,
 * published, never by the city's own curator), versions (the public reads
 * the published one while the next is edited), the tombstone of a withdrawn
 * case, search in several scripts and hostile queries, and two property
 * tests: facet counts equal the results they lead to, and FTS5's
 * integrity-check holds after random sequences of writes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts_fixture.h"
#include "base/limits.h"
#include "domain/library/library.h"
#include "domain/workflow/workflow.h"

static int64_t city(struct lc_db *db, const char *slug)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id FROM cities WHERE slug = ?1");
	lc_db_bind_text(st, 1, slug);
	int64_t id = lc_db_step(db, st) == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	return id;
}

static int64_t create(struct lc_db *db, const struct lc_actor *a, const char *json, int expect)
{
	json_error_t e;
	json_t *body = json_loads(json, 0, &e);
	assert_non_null(body);
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0;
	int err = lc_library_create(db, a, body, &id, &d);
	if (err != expect) {
		for (size_t i = 0; i < d.count; i++)
			fprintf(stderr, "problem: %s\n", d.items[i].code);
	}
	assert_int_equal(err, expect);
	json_decref(body);
	lc_diag_cleanup(&d);
	return id;
}

static int update(struct lc_db *db, const struct lc_actor *a, int64_t id, const char *json)
{
	json_t *body = json_loads(json, 0, NULL);
	assert_non_null(body);
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_library_update(db, a, id, body, &d);
	json_decref(body);
	lc_diag_cleanup(&d);
	return err;
}

static int take(struct lc_db *db, const struct lc_actor *a, int64_t id, const char *to,
                const char *reason)
{
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_library_take(db, a, id, to, reason, &d);
	lc_diag_cleanup(&d);
	return err;
}

/* The whole of what submission needs, in French, with an English translation. */
static const char *full =
    "{\"areas\": [\"community\", \"education\"], \"primary_area\": \"community\","
    " \"sdgs\": [\"4\", \"5\"], \"primary_sdg\": \"4\", \"targets\": [\"4.6\"],"
    " \"period\": {\"start\": 2016, \"end\": null}, \"target_groups\": [\"adults\"],"
    " \"partners\": [{\"name\": \"Bibliothèque municipale\", \"role\": \"lieu\"}],"
    " \"reached\": {\"number\": 1200, \"year\": 2019},"
    " \"images\": [{\"src\": \"atelier.jpg\", \"alt\": {\"fr\": \"Un atelier du soir\"}}],"
    " \"texts\": {\"fr\": {\"summary\": \"Des ateliers d’écriture pour adultes.\","
    " \"context\": \"Une ville portuaire.\", \"objectives\": \"Lire et écrire.\","
    " \"activities\": \"Ateliers hebdomadaires à la bibliothèque.\","
    " \"outcomes\": \"Mille adultes formés.\"},"
    " \"en\": {\"title\": \"Evening writing workshops\", \"summary\": \"Adults learning to"
    " write in libraries.\"}}}";

static void count_problems(struct lc_db *db, int64_t id, const char *code, size_t want)
{
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_library_checks(db, id, &d), 0);
	size_t n = 0;
	for (size_t i = 0; i < d.count; i++)
		n += code == NULL || strcmp(d.items[i].code, code) == 0;
	assert_int_equal(n, want);
	lc_diag_cleanup(&d);
}

static long search_total(struct lc_db *db, const char *q)
{
	struct lc_library_query query = {.q = q, .lang = "en"};
	json_t *r = NULL;
	assert_int_equal(lc_library_search(db, &query, &r), 0);
	long n = (long)json_integer_value(json_object_get(r, "total"));
	json_decref(r);
	return n;
}

static void test_flow(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin, coord, norole, anon;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	assert_int_equal(fx_actor(db, DEMO_NOROLE, &norole), 0);
	lc_actor_anonymous(&anon);

	/* Only the city's coordinators (and the secretariat) write its cases. */
	const char *draft =
	    "{\"city\": \"cork\", \"lang\": \"fr\", \"title\": \"Ateliers d’écriture\"}";
	create(db, &anon, draft, LC_EAUTH);
	create(db, &norole, draft, LC_EPERM);
	create(db, &coord, "{\"city\": \"espoo\", \"lang\": \"fr\", \"title\": \"x\"}", LC_EPERM);
	create(db, &coord, "{\"city\": \"cork\", \"lang\": \"xx\", \"title\": \"x\"}", LC_EINVAL);
	create(db, &coord, "{\"city\": \"cork\", \"lang\": \"fr\", \"title\": \"  \"}", LC_EINVAL);
	create(db, &coord,
	       "{\"city\": \"cork\", \"lang\": \"fr\", \"title\": \"x\", \"sdgs\": [\"18\"]}",
	       LC_EINVAL);
	long long before = fx_count(db, "SELECT count(*) FROM lib_cases");
	assert_int_equal(fx_count(db, "SELECT count(*) FROM lib_cases"), before);
	int64_t id = create(db, &coord, draft, 0);
	assert_true(id > 0);

	/* A draft is nobody's business but its writers'. */
	json_t *v = NULL;
	assert_int_equal(lc_library_get(db, &anon, id, 0, "en", &v), LC_ENOTFOUND);
	assert_int_equal(lc_library_get(db, &coord, id, 0, "en", &v), 0);
	assert_string_equal(json_string_value(json_object_get(v, "state")), "draft");
	assert_string_equal(json_string_value(json_object_get(v, "licence")), "CC-BY-4.0");
	json_decref(v);

	/* The checks list what is missing; submission is refused until they pass. */
	count_problems(db, id, "err_library_check_required", 5);
	count_problems(db, id, "err_library_check_area", 1);
	count_problems(db, id, "err_library_check_sdg", 1);
	assert_int_equal(take(db, &coord, id, "submitted", NULL), LC_EINVAL);
	assert_int_equal(update(db, &coord, id, full), 0);
	count_problems(db, id, NULL, 0);
	/* An image without its alt text in the original language is a problem. */
	assert_int_equal(update(db, &coord, id, "{\"images\": [{\"src\": \"a.jpg\"}]}"), 0);
	count_problems(db, id, "err_library_check_alt", 1);
	assert_int_equal(update(db, &coord, id, "{\"images\": null}"), 0);
	/* The original's text cannot go; another language's can. */
	assert_int_equal(update(db, &coord, id, "{\"texts\": {\"fr\": null}}"), LC_EINVAL);
	assert_int_equal(update(db, &norole, id, "{\"licence\": \"CC0-1.0\"}"), LC_EPERM);

	assert_int_equal(take(db, &coord, id, "submitted", NULL), 0);
	assert_int_equal(update(db, &coord, id, "{\"licence\": \"CC0-1.0\"}"), LC_ECONFLICT);
	assert_int_equal(take(db, &coord, id, "published", NULL), LC_EPERM);
	assert_int_equal(take(db, &admin, id, "changes_requested", NULL), LC_EINVAL);
	assert_int_equal(take(db, &admin, id, "changes_requested", "Ajoutez des chiffres."), 0);
	assert_int_equal(take(db, &coord, id, "submitted", NULL), 0);

	/* A curator who coordinates the case's city does not publish it. */
	struct lc_actor mixed = admin;
	mixed.roles[mixed.nroles++] =
	    (struct lc_role){.kind = LC_ROLE_COORDINATOR, .city_id = city(db, "cork")};
	assert_int_equal(take(db, &mixed, id, "published", NULL), LC_EPERM);
	assert_int_equal(search_total(db, "écritures"), 0);
	assert_int_equal(take(db, &admin, id, "published", NULL), 0);
	assert_int_equal(search_total(db, "ecriture"), 1);
	assert_int_equal(search_total(db, "workshop"), 1);

	/* Editing the published case opens version 2; the public still reads version 1. */
	assert_int_equal(
	    update(db, &coord, id, "{\"texts\": {\"fr\": {\"title\": \"Contes du quai\"}}}"), 0);
	assert_int_equal(lc_library_get(db, &anon, id, 0, "en", &v), 0);
	assert_int_equal(json_integer_value(json_object_get(v, "version")), 1);
	json_decref(v);
	assert_int_equal(lc_library_get(db, &anon, id, 2, "en", &v), LC_ENOTFOUND);
	assert_int_equal(search_total(db, "quai"), 0);
	assert_int_equal(search_total(db, "ecriture"), 1);
	assert_int_equal(take(db, &coord, id, "submitted", NULL), 0);
	assert_int_equal(take(db, &admin, id, "published", NULL), 0);
	assert_int_equal(search_total(db, "quai"), 1);
	struct lc_library_query q = {.q = "contes", .lang = "fr"};
	json_t *r = NULL;
	assert_int_equal(lc_library_search(db, &q, &r), 0);
	json_t *card = json_array_get(json_object_get(r, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(card, "title")), "Contes du quai");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(card, "city"), "slug")), "cork");
	json_decref(r);
	assert_int_equal(lc_library_get(db, &anon, id, 1, "en", &v), 0);
	json_decref(v);

	/* Withdrawn: a tombstone with its reason and citation, and nothing in search. */
	assert_int_equal(take(db, &admin, id, "withdrawn", "Données contestées."), 0);
	assert_int_equal(search_total(db, "quai"), 0);
	assert_int_equal(lc_library_get(db, &anon, id, 0, "en", &v), 0);
	assert_non_null(json_object_get(v, "withdrawn"));
	assert_null(json_object_get(v, "areas"));
	assert_non_null(strstr(json_string_value(json_object_get(v, "cite")), "Contes du quai"));
	json_decref(v);
	assert_int_equal(lc_library_delete(db, &admin, id), LC_ECONFLICT);
}

/* Publishes a case of city slug in lang with the given title and lists. */
static int64_t publish(struct lc_db *db, const struct lc_actor *admin, const char *slug,
                       const char *lang, const char *title, const char *area, const char *sdg,
                       const char *group)
{
	char json[2048];
	snprintf(json, sizeof json,
	         "{\"city\": \"%s\", \"lang\": \"%s\", \"title\": \"%s\", \"areas\": [\"%s\"],"
	         " \"primary_area\": \"%s\", \"sdgs\": [\"%s\"], \"primary_sdg\": \"%s\","
	         " \"target_groups\": [\"%s\"], \"period\": {\"start\": 2012, \"end\": 2021},"
	         " \"texts\": {\"%s\": {\"summary\": \"s\", \"context\": \"c\","
	         " \"objectives\": \"o\", \"activities\": \"a\", \"outcomes\": \"r\"}}}",
	         slug, lang, title, area, area, sdg, sdg, group, lang);
	int64_t id = create(db, admin, json, 0);
	assert_int_equal(take(db, admin, id, "submitted", NULL), 0);
	assert_int_equal(take(db, admin, id, "published", NULL), 0);
	return id;
}

static void test_scripts_and_hostile_queries(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	/* Each query's count before, from the demonstration's cases in the same scripts. */
	static const char *const queries[] = {"education",     "ÉDUCATIONS", "alfabetizacion",
	                                      "التعلم",        "学习",       "все обучения",
	                                      "взрослых курсы"};
	long base[7];
	for (size_t i = 0; i < 7; i++)
		base[i] = search_total(db, queries[i]);
	publish(db, &admin, "cork", "fr", "Éducation des adultes", "community", "4", "adults");
	publish(db, &admin, "espoo", "es", "Alfabetización en bibliotecas", "education", "4",
	        "adults");
	publish(db, &admin, "cork", "ar", "التَّعَلُّمُ مَدَى الحَيَاةِ", "community", "5", "women");
	publish(db, &admin, "espoo", "zh", "终身学习城市建设", "technology", "11", "youth");
	publish(db, &admin, "cork", "ru", "Обучение взрослых всё время", "workplace", "8",
	        "workers");
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(search_total(db, queries[i]), base[i] + 1);
	assert_int_equal(search_total(db, queries[6]), base[6]);
	assert_int_equal(search_total(db, ""), 5 + 6); /* and the demonstration's six */

	static const char *const hostile[] = {
	    "\"",
	    "\"\"\"",
	    "C++",
	    "AND",
	    "OR NOT",
	    "NEAR(a b)",
	    "(",
	    ")",
	    "*",
	    "a*",
	    "-",
	    "title:x",
	    "^start",
	    "'",
	    "l'éducation",
	    "e-learning",
	    "\"unclosed",
	    "{col} : x",
	    "a AND OR b",
	    "NEAR/3",
	    "\\",
	    "%_",
	    "\x01\x02\x03",
	    "🙂",
	};
	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		struct lc_library_query q = {.q = hostile[i]};
		json_t *r = NULL;
		assert_int_equal(lc_library_search(db, &q, &r), 0);
		json_decref(r);
	}
	/* 2,000 characters of mixed script. */
	char big[LC_LIMIT_LIBRARY_QUERY_BYTES];
	size_t at = 0;
	while (at + 8 < sizeof big && at < 6000) {
		static const char *const parts[] = {"学习 ", "\"x\" ", "(AND ", "éé-", "*"};
		const char *p = parts[at % 5];
		size_t l = strlen(p);
		memcpy(big + at, p, l);
		at += l;
	}
	big[at] = '\0';
	struct lc_library_query q = {.q = big};
	json_t *r = NULL;
	assert_int_equal(lc_library_search(db, &q, &r), 0);
	json_decref(r);
	assert_int_equal(lc_library_suggest(db, "educ", &r), 0);
	assert_int_equal(json_array_size(r), 1);
	json_decref(r);
}

static void test_match_builder(void **state)
{
	(void)state;
	char out[256];
	assert_int_equal(lc_library_match("C++ AND \"x", 10, false, out, sizeof out), 15);
	assert_string_equal(out, "\"C++\" \"AND\" \"x\"");
	lc_library_match("say \"hi\"", 8, true, out, sizeof out);
	assert_string_equal(out, "\"say\" \"hi\"*");
	lc_library_match("a\"b", 3, false, out, sizeof out);
	assert_string_equal(out, "\"a\"\"b\"");
	assert_int_equal(lc_library_match("((( *** )))", 11, true, out, sizeof out), 0);
	assert_int_equal(lc_library_match("abc", 3, false, out, 4), -1);
}

/* A small deterministic generator, so that a failure can be replayed. */
static unsigned long seed = 12345;
static unsigned rnd(unsigned n)
{
	seed = seed * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)((seed >> 33) % n);
}

static void test_facet_counts_property(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	static const char *const slugs[] = {"cork", "espoo", "medellin", "yeonsu-gu"};
	static const char *const langs[] = {"en", "fr", "es"};
	static const char *const areas[] = {"community", "education", "workplace"};
	static const char *const sdgs[] = {"4", "5", "11"};
	static const char *const groups_[] = {"adults", "youth", "women"};
	for (int i = 0; i < 24; i++) {
		char title[64];
		snprintf(title, sizeof title, "learning case %d", i);
		publish(db, &admin, slugs[rnd(4)], langs[rnd(3)], title, areas[rnd(3)],
		        sdgs[rnd(3)], groups_[rnd(3)]);
	}
	for (int round = 0; round < 40; round++) {
		/* Random selections in random facets. */
		const char *vals[LC_LIBRARY_FACETS][3];
		struct lc_library_query q = {.lang = "en", .per_page = 100};
		if (rnd(2))
			q.q = "learning";
		json_t *all = NULL;
		assert_int_equal(lc_library_search(db, &q, &all), 0);
		json_t *facets = json_object_get(all, "facets");
		for (int f = 0; f < LC_LIBRARY_FACETS; f++) {
			json_t *list = json_object_get(facets, lc_library_facet_names[f]);
			size_t n = json_array_size(list);
			if (!n || rnd(3))
				continue;
			size_t k = 1 + rnd(n < 3 ? (unsigned)n : 2);
			for (size_t j = 0; j < k; j++)
				vals[f][j] = json_string_value(json_object_get(
				    json_array_get(list, rnd((unsigned)n)), "value"));
			q.values[f] = vals[f];
			q.nvalues[f] = k;
		}
		json_t *r = NULL;
		assert_int_equal(lc_library_search(db, &q, &r), 0);
		/* Each value's count is the total of the search with that facet's selection
		 * replaced by the value alone. */
		json_t *fr = json_object_get(r, "facets");
		for (int f = 0; f < LC_LIBRARY_FACETS; f++) {
			size_t i;
			json_t *e;
			json_array_foreach(json_object_get(fr, lc_library_facet_names[f]), i, e)
			{
				struct lc_library_query q2 = q;
				const char *one[1] = {
				    json_string_value(json_object_get(e, "value"))};
				q2.values[f] = one;
				q2.nvalues[f] = 1;
				json_t *r2 = NULL;
				assert_int_equal(lc_library_search(db, &q2, &r2), 0);
				assert_int_equal(json_integer_value(json_object_get(e, "count")),
				                 json_integer_value(json_object_get(r2, "total")));
				json_decref(r2);
			}
		}
		json_decref(r);
		json_decref(all);
	}
}

static void integrity(struct lc_db *db)
{
	static const char *const langs[] = {"ar", "zh", "en", "fr", "ru", "es"};
	for (size_t i = 0; i < 6; i++) {
		char sql[128];
		snprintf(sql, sizeof sql,
		         "INSERT INTO lib_fts_%s(lib_fts_%s) VALUES ('integrity-check')", langs[i],
		         langs[i]);
		assert_int_equal(lc_db_exec(db, sql), 0);
	}
}

static void test_integrity_property(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	static const char *const langs[] = {"ar", "zh", "en", "fr", "ru", "es"};
	static const char *const titles[] = {"التَّعَلُّمُ",          "终身学习",
	                                     "Learning cities", "Villes apprenantes",
	                                     "Учёба",           "Ciudades del aprendizaje"};
	int64_t ids[64];
	size_t n = 0;
	for (int step = 0; step < 200; step++) {
		unsigned op = rnd(6);
		if (op == 0 || n == 0) { /* create */
			if (n == 64)
				continue;
			unsigned l = rnd(6);
			ids[n++] = publish(db, &admin, rnd(2) ? "cork" : "espoo", langs[l],
			                   titles[l], "community", "4", "adults");
			continue;
		}
		int64_t id = ids[rnd((unsigned)n)];
		char json[512];
		unsigned l = rnd(6);
		switch (op) {
		case 1: /* translate */
			snprintf(json, sizeof json, "{\"texts\": {\"%s\": {\"title\": \"%s %d\"}}}",
			         langs[l], titles[l], step);
			update(db, &admin, id, json);
			break;
		case 2: /* edit */
			snprintf(json, sizeof json,
			         "{\"texts\": {\"%s\": {\"keywords\": \"k%d\"}}}", langs[l], step);
			update(db, &admin, id, json);
			break;
		case 3: /* publish whatever is ready */
			take(db, &admin, id, "submitted", NULL);
			take(db, &admin, id, "published", NULL);
			break;
		case 4: /* withdraw */ take(db, &admin, id, "withdrawn", "gone"); break;
		case 5: /* delete (only the never published can go) */
			lc_library_delete(db, &admin, id);
			break;
		}
		if (step % 20 == 0)
			integrity(db);
	}
	integrity(db);
	assert_int_equal(lc_library_reindex(db), 0);
	integrity(db);
	/* Nothing unpublished or withdrawn is indexed. */
	assert_int_equal(fx_count(db, "SELECT count(*) FROM lib_facets f JOIN lib_cases c"
	                              " ON c.id = f.case_id WHERE c.published IS NULL"
	                              " OR c.withdrawn_at IS NOT NULL"),
	                 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_flow, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_scripts_and_hostile_queries, fx_setup,
	                                    fx_teardown),
	    cmocka_unit_test(test_match_builder),
	    cmocka_unit_test_setup_teardown(test_facet_counts_property, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_integrity_property, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
