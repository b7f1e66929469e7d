/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The Learning City Award's rounds, eligibility and nominations: rounds as
 * data (a 2017-style cap of 3 is a setting; a bad round lists every
 * problem and writes nothing); eligibility at every boundary (12 months
 * minus and plus a day, a start known only by known_by, Y + 5 and Y + 6,
 * each membership state); the override with its reason, audited; the
 * dossier's checks; the signed forms checked by content; the flow
 * coordinator -> National Commission -> secretariat with its e-mails; the
 * cap and cap + 1 naming the nominations made; the clock at the deadline
 * (expiry, the second eligibility check); the secretariat's single return;
 * every forbidden step for every role; the lists' scoping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "accounts_fixture.h"
#include "domain/accounts/role.h"
#include "domain/award/award_eligibility.h"
#include "domain/award/award_round.h"
#include "domain/award/nomination.h"
#include "domain/workflow/processes.h"
#include "domain/workflow/workflow.h"

/* The demo round's National Commission deadline, 2027-03-31: due at 2027-04-01T00:00:00Z. */
#define DUE 1806537600LL

static const unsigned char pdf[] = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
static const unsigned char html[] = "<html><body>%PDF-1.4 not really</body></html>\n";

static int64_t city(struct lc_db *db, const char *slug)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT id FROM cities WHERE slug = '%s'", slug);
	return (int64_t)fx_count(db, sql);
}

static void exec(struct lc_db *db, const char *sql)
{
	assert_int_equal(lc_db_exec(db, sql), 0);
}

/* A round in memory for the eligibility function: close of nominations and its year. */
static struct lc_award_round round_of(long year, const char *close)
{
	struct lc_award_round r = {
	    .year = year, .min_member_months = 12, .bar_years = 6, .cap_per_natcom = 2};
	snprintf(r.nominations_close, sizeof r.nominations_close, "%s", close);
	return r;
}

/* Sets Espoo's current membership (never awarded... except 2015: see the bar tests). */
static void membership(struct lc_db *db, const char *slug, const char *status, const char *from,
                       const char *known_by)
{
	char sql[512];
	snprintf(sql, sizeof sql,
	         "UPDATE memberships SET status = '%s', from_date = %s%s%s, known_by = %s%s%s"
	         " WHERE to_date IS NULL AND city_id = (SELECT id FROM cities WHERE slug = '%s')",
	         status, from ? "'" : "", from ? from : "NULL", from ? "'" : "",
	         known_by ? "'" : "", known_by ? known_by : "NULL", known_by ? "'" : "", slug);
	exec(db, sql);
}

static int check(struct lc_db *db, const struct lc_award_round *r, const char *slug,
                 const char *code)
{
	struct lc_diag d;
	lc_diag_init(&d);
	int rc = lc_award_eligibility_check(db, r, city(db, slug), &d);
	if (code)
		assert_true(lc_diag_has(&d, code));
	else if (rc)
		fprintf(stderr, "%s: %s\n", slug, d.count ? d.items[0].message : "?");
	lc_diag_cleanup(&d);
	return rc;
}

static void test_tables(void **state)
{
	(void)state;
	const char *why = NULL;
	int rc = lc_wf_process_check(&lc_nomination_process, &why);
	if (rc)
		fprintf(stderr, "nomination: %s\n", why);
	assert_int_equal(rc, 0);
	assert_ptr_equal(lc_process_find("nomination"), &lc_nomination_process);
}

static void test_eligibility_membership(void **state)
{
	struct lc_db *db = *state;
	/* Dublin: awarded 2021, so eligible again from 2027; close of nominations 2027-03-15. */
	struct lc_award_round r = round_of(2027, "2027-03-15");
	membership(db, "dublin", "member", "2026-03-14", NULL); /* 12 months and a day */
	assert_int_equal(check(db, &r, "dublin", NULL), 0);
	membership(db, "dublin", "member", "2026-03-15", NULL); /* exactly 12: not more */
	assert_int_equal(check(db, &r, "dublin", "err_award_member_months"), LC_EINVAL);
	membership(db, "dublin", "member", "2026-03-16", NULL); /* 12 months minus a day */
	assert_int_equal(check(db, &r, "dublin", "err_award_member_months"), LC_EINVAL);
	/* A start known only by known_by counts from it. */
	membership(db, "dublin", "member", NULL, "2026-03-14");
	assert_int_equal(check(db, &r, "dublin", NULL), 0);
	membership(db, "dublin", "member", NULL, "2026-03-16");
	assert_int_equal(check(db, &r, "dublin", "err_award_member_months"), LC_EINVAL);
	membership(db, "dublin", "member", NULL, NULL);
	assert_int_equal(check(db, &r, "dublin", "err_award_member_since_unknown"), LC_EINVAL);
	/* Each state that is not "member". */
	const char *const bad[] = {"suspended", "lapsed", "withdrawn"};
	for (size_t i = 0; i < 3; i++) {
		membership(db, "dublin", bad[i], "2020-01-01", NULL);
		assert_int_equal(check(db, &r, "dublin", "err_award_member_status"), LC_EINVAL);
	}
	membership(db, "dublin", "applicant", "2020-01-01", NULL);
	assert_int_equal(check(db, &r, "dublin", "err_award_not_member"), LC_EINVAL);
	exec(db, "DELETE FROM memberships WHERE city_id = (SELECT id FROM cities"
	         " WHERE slug = 'dublin')");
	assert_int_equal(check(db, &r, "dublin", "err_award_not_member"), LC_EINVAL);
	assert_int_equal(lc_award_eligibility_check(db, &r, 999999, NULL), LC_ENOTFOUND);
}

static void test_eligibility_bar(void **state)
{
	struct lc_db *db = *state;
	/* Dublin was awarded in 2021: Y + 5 = 2026 is barred, Y + 6 = 2027 is not. */
	struct lc_award_round y5 = round_of(2026, "2026-03-15"), y6 = round_of(2027, "2027-03-15");
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_award_eligibility_check(db, &y5, city(db, "dublin"), &d), LC_EINVAL);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].code, "err_award_awarded");
	assert_string_equal(lc_diag_arg(&d.items[0], "awarded"), "2021");
	assert_string_equal(lc_diag_arg(&d.items[0], "from"), "2027");
	lc_diag_cleanup(&d);
	assert_int_equal(check(db, &y6, "dublin", NULL), 0);
	/* Cork, awarded 2015 and 2024: the latest award counts. */
	assert_int_equal(check(db, &y6, "cork", "err_award_awarded"), LC_EINVAL);
	/* A round's own awardees are not "earlier awards" of it. */
	struct lc_award_round y2024 = round_of(2024, "2024-03-15");
	assert_int_equal(check(db, &y2024, "cork", NULL), 0);
	/* A six-year bar is a setting: with 3, Cork is eligible again in 2027. */
	y6.bar_years = 3;
	assert_int_equal(check(db, &y6, "cork", NULL), 0);
}

static void test_open_round(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin, natcom;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	long long rounds = fx_count(db, "SELECT count(*) FROM award_rounds");
	json_t *spec = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:i}", "year", 2029,
	                         "nominations_open", "2028-09-01", "nominations_close",
	                         "2029-01-31", "natcom_deadline", "2029-02-28", "scoring_open",
	                         "2029-03-01", "scoring_close", "2029-05-31", "cap_per_natcom", 3);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_award_round_open(db, &natcom, spec, &d), LC_EPERM);
	assert_int_equal(lc_award_round_open(db, &admin, spec, &d), 0);
	struct lc_award_round r;
	assert_int_equal(lc_award_round_load(db, 2029, &r), 0);
	assert_int_equal(r.cap_per_natcom, 3);
	assert_int_equal(r.cap_per_country, 1);
	assert_int_equal(r.cap_per_region, 0);
	assert_int_equal(json_array_size(r.criteria), 8);
	lc_award_round_cleanup(&r);
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM audit WHERE action = 'award_round.open'"), 1);
	/* The same year again, and a past round's year, are refused. */
	assert_int_equal(lc_award_round_open(db, &admin, spec, &d), LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_award_round_exists"));
	json_object_set_new(spec, "year", json_integer(2024));
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(lc_award_round_open(db, &admin, spec, &d), LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_award_round_exists"));
	/* Every problem at once, nothing written. */
	json_t *bad =
	    json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:i, s:[{s:s, s:s, s:i}, {s:s, s:s, s:i}]}",
	              "year", 2031, "nominations_open", "2030-09-01", "nominations_close",
	              "2030-02-30", "natcom_deadline", "2030-08-01", "scoring_open", "2030-07-01",
	              "scoring_close", "2030-12-01", "cap_per_natcom", 0, "criteria", "id", "Plan!",
	              "name", "Plan", "weight", 0, "id", "x", "name", "X", "required", 1);
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(lc_award_round_open(db, &admin, bad, &d), LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_award_date"));
	assert_true(lc_diag_has(&d, "err_award_date_order"));
	assert_true(lc_diag_has(&d, "err_award_number"));
	assert_true(lc_diag_has(&d, "err_award_criterion_id"));
	assert_true(lc_diag_has(&d, "err_award_criterion_weight"));
	assert_true(lc_diag_has(&d, "err_award_criterion_flags"));
	assert_int_equal(fx_count(db, "SELECT count(*) FROM award_rounds"), rounds + 1);
	/* The demo round is there, open at the test time, and marked. */
	json_t *v = NULL;
	assert_int_equal(lc_award_round_view(db, 2027, "fr", &v), 0);
	json_t *s = json_object_get(v, "settings");
	assert_true(json_is_true(json_object_get(s, "demo")));
	assert_true(json_is_true(json_object_get(s, "open")));
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(json_object_get(s, "criteria"), 0), "name")),
	                    "Plan de ville apprenante");
	json_decref(v);
	assert_int_equal(lc_award_round_view(db, 2024, "en", &v), 0);
	assert_true(json_is_null(json_object_get(v, "settings")));
	assert_true(json_array_size(json_object_get(v, "awardees")) > 0);
	json_decref(v);
	json_decref(spec);
	json_decref(bad);
	lc_diag_cleanup(&d);
}

/* Fills the whole dossier and both forms as actor. */
static void complete(struct lc_db *db, const struct lc_actor *a, int64_t id)
{
	json_t *patch =
	    json_pack("{s:s, s:s, s:{}, s:[s]}", "general", "Population 210,000.", "plan",
	              "The plan of 2023.", "answers", "links", "https://example.org/plan");
	const char *const ids[] = {"plan",   "coordination", "resources",  "monitoring",
	                           "access", "culture",      "innovation", "gnlc"};
	for (size_t i = 0; i < 8; i++)
		json_object_set_new(json_object_get(patch, "answers"), ids[i],
		                    json_string("Progress since joining."));
	struct lc_diag d;
	lc_diag_init(&d);
	int rc = lc_nomination_save(db, a, id, patch, &d);
	if (rc && d.count)
		fprintf(stderr, "save: %s\n", d.items[0].message);
	assert_int_equal(rc, 0);
	assert_int_equal(
	    lc_nomination_file_put(db, a, id, "mayor_form", "Mayor.pdf", pdf, sizeof pdf - 1, &d),
	    0);
	assert_int_equal(
	    lc_nomination_file_put(db, a, id, "consent", "consent.pdf", pdf, sizeof pdf - 1, &d),
	    0);
	lc_diag_cleanup(&d);
	json_decref(patch);
}

static int64_t create(struct lc_db *db, const struct lc_actor *a, const char *slug,
                      const char *override)
{
	int64_t id = 0;
	struct lc_diag d;
	lc_diag_init(&d);
	int rc = lc_nomination_create(db, a, 2027, slug, override, &id, &d);
	if (rc && d.count)
		fprintf(stderr, "create %s: %s\n", slug, d.items[0].message);
	assert_int_equal(rc, 0);
	lc_diag_cleanup(&d);
	return id;
}

static int take(struct lc_db *db, const struct lc_actor *a, int64_t id, const char *to,
                const char *reason, const char *code)
{
	struct lc_diag d;
	lc_diag_init(&d);
	int rc = lc_nomination_take(db, a, id, to, reason, &d);
	if (code)
		assert_true(lc_diag_has(&d, code));
	else if (rc && d.count)
		fprintf(stderr, "take %s: %s\n", to, d.items[0].message);
	lc_diag_cleanup(&d);
	return rc;
}

static void test_flow(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin, natcom, coord, norole;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	assert_int_equal(fx_actor(db, DEMO_NOROLE, &norole), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0;
	/* Cork won in 2024: the Commission is told why, and nothing is written. */
	assert_int_equal(lc_nomination_create(db, &natcom, 2027, "cork", NULL, &id, &d), LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_award_awarded"));
	assert_int_equal(fx_count(db, "SELECT count(*) FROM award_nominations"),
	                 DEMO_2027_NOMINATIONS);
	/* Only the secretariat overrides, with a reason. */
	assert_int_equal(lc_nomination_create(db, &natcom, 2027, "cork", "Because.", &id, &d),
	                 LC_EPERM);
	assert_int_equal(lc_nomination_create(db, &norole, 2027, "dublin", NULL, &id, &d),
	                 LC_EPERM);
	assert_int_equal(lc_nomination_create(db, &natcom, 2027, "espoo", NULL, &id, &d), LC_EPERM);
	assert_int_equal(lc_nomination_create(db, &natcom, 2026, "dublin", NULL, &id, &d),
	                 LC_ENOTFOUND);
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(lc_nomination_create(db, &admin, 2027, "cork", "  ", &id, &d), LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_award_reason"));
	id = create(db, &admin, "cork",
	            "The 2024 award was for the city region; decided 2026-09-01.");
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit WHERE action ="
	                              " 'nomination.override' AND reason LIKE 'The 2024 award%'"),
	                 1);
	/* Twice in a round is refused. */
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	int64_t again = 0;
	assert_int_equal(lc_nomination_create(db, &admin, 2027, "cork", "x", &again, &d),
	                 LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_award_nominated_already"));
	/* The dossier: every problem listed, nothing written. */
	json_t *bad = json_pack("{s:i, s:{s:s, s:s}, s:[s, s]}", "general", 3, "answers", "nope",
	                        "text", "plan", "", "links", "ftp://x", "https://ok.example");
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(lc_nomination_save(db, &coord, id, bad, &d), LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_award_text"));
	assert_true(lc_diag_has(&d, "err_award_answer_criterion"));
	assert_true(lc_diag_has(&d, "err_award_link"));
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM award_nominations WHERE answers <> '{}'"), 0);
	json_decref(bad);
	/* Too many words for a criterion: 501 of 500. */
	char words[501 * 2 + 1];
	for (size_t i = 0; i < 501; i++) {
		words[2 * i] = 'w';
		words[2 * i + 1] = ' ';
	}
	words[sizeof words - 1] = '\0';
	bad = json_pack("{s:{s:s}}", "answers", "plan", words);
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(lc_nomination_save(db, &coord, id, bad, &d), LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_award_answer_words"));
	json_decref(bad);
	words[1000] = '\0'; /* 500 words: the limit itself is allowed */
	bad = json_pack("{s:{s:s}}", "answers", "plan", words);
	assert_int_equal(lc_nomination_save(db, &coord, id, bad, &d), 0);
	json_decref(bad);
	/* Not sendable yet: each missing part is named. */
	assert_int_equal(take(db, &coord, id, "submitted", NULL, "err_award_mayor_form_needed"),
	                 LC_EINVAL);
	assert_int_equal(take(db, &coord, id, "submitted", NULL, "err_award_answer_needed"),
	                 LC_EINVAL);
	/* A form is checked by its content, not its name. */
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(lc_nomination_file_put(db, &coord, id, "consent", "consent.pdf", html,
	                                        sizeof html - 1, &d),
	                 LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_award_file_type"));
	assert_int_equal(
	    lc_nomination_file_put(db, &natcom, id, "consent", "c.pdf", pdf, sizeof pdf - 1, &d),
	    LC_EPERM);
	complete(db, &coord, id);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM award_nomination_files"), 2);
	long long mail0 = fx_count(db, "SELECT count(*) FROM outbox");
	exec(db, "UPDATE accounts SET lang = 'fr' WHERE email = 'natcom.ie@example.org'");
	assert_int_equal(take(db, &coord, id, "submitted", NULL, NULL), 0);
	/* The Commission is told, in its language. */
	assert_int_equal(fx_count(db,
	                          "SELECT count(*) FROM outbox WHERE to_addr ="
	                          " 'natcom.ie@example.org' AND subject ="
	                          " 'Nomination de Cork (IE) au Prix des villes apprenantes 2027 :"
	                          " transmise à la Commission nationale'"),
	                 1);
	assert_true(fx_count(db, "SELECT count(*) FROM outbox") > mail0);
	/* The dossier is frozen once sent. */
	json_t *p = json_pack("{s:s}", "plan", "changed");
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(lc_nomination_save(db, &coord, id, p, &d), LC_ECONFLICT);
	assert_true(lc_diag_has(&d, "err_award_not_editable"));
	json_decref(p);
	/* Declining needs a reason; nominating is the Commission's. */
	assert_int_equal(take(db, &natcom, id, "declined", NULL, NULL), LC_EINVAL);
	assert_int_equal(take(db, &coord, id, "nominated", NULL, NULL), LC_EPERM);
	assert_int_equal(take(db, &natcom, id, "nominated", NULL, NULL), 0);
	/* The view. */
	json_t *v = NULL;
	assert_int_equal(lc_nomination_get(db, &coord, id, "en", &v), 0);
	assert_string_equal(json_string_value(json_object_get(v, "state")), "nominated");
	assert_true(json_is_true(json_object_get(json_object_get(v, "eligibility"), "eligible")));
	assert_non_null(json_object_get(
	    json_object_get(json_object_get(v, "eligibility"), "override"), "reason"));
	assert_false(json_is_true(json_object_get(v, "can_edit")));
	assert_int_equal(json_array_size(json_object_get(v, "complete")), 0);
	json_decref(v);
	assert_int_equal(lc_nomination_get(db, &norole, id, "en", &v), LC_EPERM);
	lc_diag_cleanup(&d);
}

static void test_cap(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin, natcom;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	int64_t a = create(db, &natcom, "dublin", NULL);
	int64_t b = create(db, &natcom, "limerick", NULL);
	int64_t c = create(db, &admin, "cork", "Decided by the secretariat.");
	int64_t ids[] = {a, b, c};
	for (int i = 0; i < 3; i++) {
		complete(db, &admin, ids[i]);
		assert_int_equal(take(db, &admin, ids[i], "submitted", NULL, NULL), 0);
	}
	/* The cap (2): the first two pass, the third is refused naming the cap and the others. */
	assert_int_equal(take(db, &natcom, a, "nominated", NULL, NULL), 0);
	assert_int_equal(take(db, &natcom, b, "nominated", NULL, NULL), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_nomination_take(db, &natcom, c, "nominated", NULL, &d), LC_ECONFLICT);
	assert_true(lc_diag_has(&d, "err_award_cap"));
	assert_string_equal(lc_diag_arg(&d.items[0], "cap"), "2");
	assert_string_equal(lc_diag_arg(&d.items[0], "made"), "Dublin, Limerick");
	lc_diag_cleanup(&d);
	/* Still submitted, and declining it frees nothing but is allowed with a reason. */
	assert_int_equal(take(db, &natcom, c, "declined", "Two cities already.", NULL), 0);
	/* A 2017-style round with three is a setting. */
	exec(db, "UPDATE award_round_settings SET cap_per_natcom = 3 WHERE year = 2027");
	assert_int_equal(take(db, &natcom, c, "nominated", NULL, NULL),
	                 LC_ECONFLICT); /* declined */
}

static void test_deadline(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin, natcom, coord;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	int64_t cork = create(db, &admin, "cork", "Decided by the secretariat.");
	int64_t dublin = create(db, &natcom, "dublin", NULL);
	int64_t limerick = create(db, &natcom, "limerick", NULL); /* left in draft */
	complete(db, &coord, cork);
	complete(db, &admin, dublin);
	assert_int_equal(take(db, &coord, cork, "submitted", NULL, NULL), 0);
	assert_int_equal(take(db, &admin, dublin, "submitted", NULL, NULL), 0);
	assert_int_equal(take(db, &natcom, cork, "nominated", NULL, NULL), 0);
	assert_int_equal(take(db, &natcom, dublin, "nominated", NULL, NULL), 0);
	/* The secretariat cannot screen before the deadline. */
	assert_int_equal(take(db, &admin, cork, "complete", NULL, NULL), LC_ECONFLICT);
	/* Dublin's membership lapses before the deadline: the second check catches it. */
	membership(db, "dublin", "lapsed", "2027-01-10", NULL);
	const struct lc_wf_process *procs[] = {&lc_nomination_process};
	struct lc_wf_tick_report rep = {0};
	assert_int_equal(lc_wf_tick(db, procs, 1, DUE - 1, &rep), 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM wf_items WHERE process = 'nomination'"
	                              " AND state = 'nominated'"),
	                 2);
	assert_int_equal(lc_wf_tick(db, procs, 1, DUE, &rep), 0);
	struct lc_wf_item it;
	assert_int_equal(lc_wf_get(db, &lc_nomination_process, cork, &it), 0);
	assert_string_equal(it.state, "screening"); /* overridden: stays */
	assert_int_equal(lc_wf_get(db, &lc_nomination_process, dublin, &it), 0);
	assert_string_equal(it.state, "ineligible");
	assert_int_equal(lc_wf_get(db, &lc_nomination_process, limerick, &it), 0);
	assert_string_equal(it.state, "expired");
	assert_int_equal(fx_count(db,
	                          "SELECT count(*) FROM wf_history WHERE transition ="
	                          " 'ineligible' AND reason LIKE 'Not eligible at the deadline:%'"),
	                 1);
	/* Returned once for more information, then no more. */
	lc_clock_set_test(DUE + 86400);
	assert_int_equal(take(db, &admin, cork, "returned", NULL, NULL), LC_EINVAL); /* reason */
	assert_int_equal(take(db, &admin, cork, "returned", "Send the 2025 budget.", NULL), 0);
	assert_int_equal(take(db, &coord, cork, "screening", NULL, NULL), 0);
	assert_int_equal(take(db, &admin, cork, "returned", "Again.", "err_award_returned_once"),
	                 LC_ECONFLICT);
	assert_int_equal(take(db, &admin, cork, "complete", NULL, NULL), 0);
	/* A final nomination's override cannot change. */
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_nomination_override(db, &admin, dublin, "Late.", &d), LC_ECONFLICT);
	lc_diag_cleanup(&d);
}

/* The actors of the matrix; OTHER coordinates another city (Espoo). */
enum { ANON, NOROLE, NATCOM, PART, EXPERT, JURY, OTHER, COORD, ADMIN, SYS, NACTORS };

static bool allowed(const struct lc_wf_transition *t, int k)
{
	if (t->flags & LC_WF_CLOCK)
		return k == SYS;
	if (k == ADMIN || k == SYS)
		return true;
	return (t->action == LC_ACT_PREPARE_NOMINATION && k == COORD) ||
	       (t->action == LC_ACT_ENDORSE_FOR_COUNTRY && k == NATCOM);
}

static void put_state(struct lc_db *db, int64_t id, const char *s)
{
	sqlite3_stmt *st = lc_db_stmt(db, "UPDATE wf_items SET state = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, s);
	assert_int_equal(lc_db_step(db, st), 0);
	lc_db_release(db, st);
}

static void test_matrix(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor a[NACTORS];
	lc_actor_anonymous(&a[ANON]);
	lc_actor_system(&a[SYS]);
	assert_int_equal(fx_actor(db, DEMO_NOROLE, &a[NOROLE]), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &a[NATCOM]), 0);
	assert_int_equal(fx_actor(db, DEMO_PART, &a[PART]), 0);
	assert_int_equal(fx_actor(db, DEMO_EXPERT, &a[EXPERT]), 0);
	assert_int_equal(fx_actor(db, DEMO_JURY, &a[JURY]), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &a[COORD]), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &a[ADMIN]), 0);
	struct lc_role r = {.kind = LC_ROLE_COORDINATOR, .city_id = city(db, "espoo")};
	assert_int_equal(lc_role_grant(db, &a[SYS], fx_id(db, DEMO_PART), &r), 0);
	assert_int_equal(fx_actor(db, DEMO_PART, &a[OTHER]), 0);
	int64_t id = create(db, &a[ADMIN], "cork", "Decided by the secretariat.");
	complete(db, &a[COORD], id);
	const struct lc_wf_process *p = &lc_nomination_process;
	long taken = 0, refused = 0;
	bool returned = false;
	for (size_t i = 0; i < p->nstates; i++) {
		for (size_t j = 0; j < p->nstates; j++) {
			const char *from = p->states[i].name, *to = p->states[j].name;
			const struct lc_wf_transition *t = lc_wf_transition_find(p, from, to);
			for (int k = 0; k < NACTORS; k++) {
				put_state(db, id, from);
				struct lc_diag d;
				lc_diag_init(&d);
				int rc = lc_wf_take(db, &a[k], p, id, to, "A reason.", &d, NULL);
				bool once = t && strcmp(t->name, "return") == 0 && returned;
				if (t && allowed(t, k) && !once) {
					if (rc)
						fprintf(stderr, "%s->%s actor %d: %d %s\n", from,
						        to, k, rc,
						        d.count ? d.items[0].message : "");
					assert_int_equal(rc, 0);
					returned = returned || strcmp(t->name, "return") == 0;
					taken++;
				} else if (t && allowed(t, k)) {
					/* Only one return in a nomination's life. */
					assert_int_equal(rc, LC_ECONFLICT);
					assert_true(lc_diag_has(&d, "err_award_returned_once"));
				} else {
					if (!rc)
						fprintf(stderr, "%s->%s actor %d allowed\n", from,
						        to, k);
					assert_true(rc == LC_ECONFLICT || rc == LC_EPERM ||
					            rc == LC_EAUTH);
					if (k == ANON)
						assert_int_equal(rc, LC_EAUTH);
					refused++;
				}
				lc_diag_cleanup(&d);
			}
		}
	}
	assert_true(taken >= 20);
	assert_true(refused > 1000);
}

static void test_lists(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin, natcom, coord, norole, anon;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &coord), 0);
	assert_int_equal(fx_actor(db, DEMO_NOROLE, &norole), 0);
	lc_actor_anonymous(&anon);
	create(db, &natcom, "dublin", NULL);
	create(db, &admin, "cork", "Decided by the secretariat.");
	/* Espoo (Finland): a Finnish commission's, not Ireland's. */
	exec(db, "UPDATE memberships SET from_date = '2020-01-01' WHERE to_date IS NULL AND"
	         " city_id = (SELECT id FROM cities WHERE slug = 'espoo')");
	exec(db, "DELETE FROM awards WHERE city_id = (SELECT id FROM cities WHERE slug = 'espoo')");
	create(db, &admin, "espoo", NULL);
	struct lc_nomination_query q = {.year = 2027};
	json_t *v = NULL;
	assert_int_equal(lc_nomination_list(db, &admin, &q, "en", &v), 0);
	assert_int_equal(json_integer_value(json_object_get(v, "total")),
	                 3 + DEMO_2027_NOMINATIONS);
	json_decref(v);
	assert_int_equal(lc_nomination_list(db, &natcom, &q, "en", &v), 0);
	assert_int_equal(json_integer_value(json_object_get(v, "total")), 2);
	json_decref(v);
	assert_int_equal(lc_nomination_list(db, &coord, &q, "en", &v), 0);
	assert_int_equal(json_integer_value(json_object_get(v, "total")), 1);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_object_get(json_array_get(json_object_get(v, "items"), 0), "city"), "slug")),
	    "cork");
	json_decref(v);
	assert_int_equal(lc_nomination_list(db, &norole, &q, "en", &v), LC_EPERM);
	assert_int_equal(lc_nomination_list(db, &anon, &q, "en", &v), LC_EAUTH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tables),
	    cmocka_unit_test_setup_teardown(test_eligibility_membership, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_eligibility_bar, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_open_round, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_flow, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_cap, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_deadline, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_matrix, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_lists, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
