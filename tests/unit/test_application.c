/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Membership applications (domain/workflow/application.h, domain/workflow/call.h) on the
 * demonstration database, whose 2026 call is open at the fixture's clock:
 * the process table, every forbidden transition for every role, the whole
 * path to a member city with its coordinator, the call's window and cap,
 * one application per city and call, the pledge's type and size checks,
 * word limits, visibility, escalation, self-registration and calls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sodium.h>

#include <stdio.h>
#include <string.h>

#include "accounts_fixture.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/catalogue.h"
#include "base/limits.h"
#include "domain/workflow/application.h"
#include "domain/workflow/call.h"
#include "domain/workflow/membership.h"
#include "domain/accounts/onetime.h"
#include "domain/workflow/processes.h"
#include "domain/accounts/throttle.h"
#include "formats/filetype.h"

#define DAY 86400

static const unsigned char png[] = {
    0x89, 'P',  'N',  'G',  '\r', '\n', 0x1a, '\n', 0,    0,    0,   13,  'I',  'H',  'D',  'R',  0,
    0,    0,    1,    0,    0,    0,    1,    8,    0,    0,    0,   0,   0x3a, 0x7e, 0x9b, 0x55, 0,
    0,    0,    10,   'I',  'D',  'A',  'T',  0x78, 0x9c, 0x63, 0,   1,   0,    0,    5,    0,    1,
    0x0d, 0x0a, 0x2d, 0xb4, 0,    0,    0,    0,    'I',  'E',  'N', 'D', 0xae, 0x42, 0x60, 0x82};

/* Confirms a sign-up with the link of the newest outbox message, as its owner would. */
static void confirm(struct lc_db *db, int64_t id, const char *password)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT secret FROM outbox ORDER BY id DESC LIMIT 1");
	assert_non_null(st);
	assert_int_equal(lc_db_step(db, st), 1);
	char tok[LC_ONETIME_CHARS + 1];
	snprintf(tok, sizeof tok, "%s", lc_db_text(st, 0));
	lc_db_release(db, st);
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t got = 0;
	assert_int_equal(lc_account_confirm_signup(db, tok, password, &d, &got), 0);
	assert_int_equal(got, id);
	lc_diag_cleanup(&d);
}

/* A new applicant account (self-registered and confirmed) and its actor. */
static int64_t applicant(struct lc_db *db, const char *email, struct lc_actor *a)
{
	struct lc_actor anon;
	lc_actor_anonymous(&anon);
	struct lc_account_new in = {
	    .email = email, .name = "Ann Applicant", .password = "Learning-city-2026!"};
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0;
	assert_int_equal(lc_account_signup(db, &anon, &in, "", "https://lc.example", &d, &id, NULL),
	                 0);
	confirm(db, id, in.password);
	lc_diag_cleanup(&d);
	assert_int_equal(lc_actor_load(db, id, a), 0);
	return id;
}

static const char *words(size_t n)
{
	static char buf[4096];
	size_t k = 0;
	for (size_t i = 0; i < n && k + 6 < sizeof buf; i++)
		k += (size_t)snprintf(buf + k, sizeof buf - k, i ? " word" : "word");
	buf[k] = '\0';
	return buf;
}

/* A complete form for city name (as JSON; caller decrefs). */
static json_t *full_form(const char *name)
{
	json_t *ch = json_object();
	for (size_t i = 0; i < lc_challenge_area_count; i++)
		json_object_set_new(ch, lc_challenge_areas[i].code, json_integer(1 + (long)i % 5));
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:f,s:f,s:f,s:f,s:s,s:s,s:s,s:[s],s:o}",
	                 "city_name", name, "mayor_name", "Máire Ní Bhriain", "mayor_title",
	                 "Lord Mayor", "contact_name", "Seán Ó Dálaigh", "contact_email",
	                 "Contact@Example.org", "language", "en", "data_year", 2025, "population",
	                 "82000", "area_km2", 41.2, "gdp_city_usd", 52000.0, "gdp_country_usd",
	                 48000.0, "schooling_men", 12.5, "schooling_women", "13,1", "motivation",
	                 words(150), "implementation", words(200), "links",
	                 "https://example.org/plan", "challenges", ch);
}

/* A draft of a in the demo call, complete with its pledge when full. */
static int64_t draft(struct lc_db *db, const struct lc_actor *a, const char *city, bool full)
{
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0;
	assert_int_equal(lc_application_create(db, a, 1, "ie", city, &d, &id), 0);
	if (full) {
		json_t *f = full_form(city);
		int err = lc_application_save(db, a, id, f, &d);
		if (err)
			fprintf(stderr, "%s: %s\n", d.items[0].field, d.items[0].message);
		assert_int_equal(err, 0);
		json_decref(f);
		assert_int_equal(
		    lc_application_pledge_put(db, a, id, "Pledge signed.PDF", png, sizeof png, &d),
		    0);
	}
	lc_diag_cleanup(&d);
	return id;
}

static int take(struct lc_db *db, const struct lc_actor *a, int64_t id, const char *to,
                const char *reason)
{
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_application_take(db, a, id, to, reason, &d);
	lc_diag_cleanup(&d);
	return err;
}

static const char *state_of(struct lc_db *db, int64_t id)
{
	static struct lc_wf_item it;
	assert_int_equal(lc_wf_get(db, &lc_application_process, id, &it), 0);
	return it.state;
}

static void force_state(struct lc_db *db, int64_t id, const char *state)
{
	sqlite3_stmt *st = lc_db_stmt(db, "UPDATE wf_items SET state = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, state);
	assert_int_equal(lc_db_step(db, st), 0);
	lc_db_release(db, st);
}

static void test_process_check(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_int_equal(lc_wf_process_check(&lc_application_process, &why), 0);
	assert_ptr_equal(lc_process_find("application"), &lc_application_process);
}

/* The roles of the matrix. */
enum who { W_ANON, W_OWNER, W_ADMIN, W_NATCOM, W_COORD, W_JURY, W_PART, W_EXPERT, W_NOROLE, W_N };

/* What the table allows: who may take t on an Irish application. */
static bool allowed(enum who w, const struct lc_wf_transition *t)
{
	if (t->flags & LC_WF_CLOCK)
		return false;
	if (w == W_ADMIN)
		return true;
	if ((t->flags & LC_WF_OWNER) && w == W_OWNER)
		return true;
	switch (t->action) {
	case LC_ACT_ENDORSE_FOR_COUNTRY: return w == W_NATCOM;
	case LC_ACT_RECOMMEND_MEMBERSHIP: return w == W_EXPERT;
	default: return false;
	}
}

static void test_forbidden_matrix(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor a[W_N];
	lc_actor_anonymous(&a[W_ANON]);
	applicant(db, "owner@example.net", &a[W_OWNER]);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &a[W_ADMIN]), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &a[W_NATCOM]), 0);
	assert_int_equal(fx_actor(db, DEMO_COORD, &a[W_COORD]), 0);
	assert_int_equal(fx_actor(db, DEMO_JURY, &a[W_JURY]), 0);
	assert_int_equal(fx_actor(db, DEMO_PART, &a[W_PART]), 0);
	assert_int_equal(fx_actor(db, DEMO_EXPERT, &a[W_EXPERT]), 0);
	assert_int_equal(fx_actor(db, DEMO_NOROLE, &a[W_NOROLE]), 0);
	int64_t id = draft(db, &a[W_OWNER], "Galway", true);
	const struct lc_wf_process *p = &lc_application_process;
	long refused = 0, permitted = 0;
	for (size_t s = 0; s < p->nstates; s++) {
		for (size_t t = 0; t < p->nstates; t++) {
			const char *from = p->states[s].name, *to = p->states[t].name;
			const struct lc_wf_transition *tr = lc_wf_transition_find(p, from, to);
			for (int w = 0; w < W_N; w++) {
				force_state(db, id, from);
				struct lc_wf_item it;
				assert_int_equal(lc_wf_get(db, p, id, &it), 0);
				if (tr && allowed((enum who)w, tr)) {
					assert_int_equal(lc_wf_may(&a[w], &it, tr), 0);
					permitted++;
					continue;
				}
				if (tr)
					assert_int_not_equal(lc_wf_may(&a[w], &it, tr), 0);
				int err = take(db, &a[w], id, to, "A reason.");
				if (err == 0)
					fail_msg("%s -> %s taken by role %d", from, to, w);
				assert_true(err == LC_EAUTH || err == LC_EPERM ||
				            err == LC_ECONFLICT);
				assert_string_equal(state_of(db, id), from);
				refused++;
			}
		}
	}
	assert_true(permitted > 20);
	assert_true(refused > 1000);
}

static void test_whole_path(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor me, admin, natcom, expert;
	int64_t me_id = applicant(db, "tralee@example.net", &me);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	assert_int_equal(fx_actor(db, DEMO_EXPERT, &expert), 0);
	int64_t id = draft(db, &me, "Tralee", false);

	/* Incomplete: refused, naming the fields. */
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_application_take(db, &me, id, "submitted", NULL, &d), LC_EINVAL);
	bool pledge = false, mayor = false;
	for (size_t i = 0; i < d.count; i++) {
		pledge |= strcmp(d.items[i].field, "pledge") == 0;
		mayor |= strcmp(d.items[i].field, "mayor_name") == 0;
	}
	assert_true(pledge && mayor);
	lc_diag_cleanup(&d);
	/* The commission sees no draft; the expert nothing before the jury. */
	json_t *j = NULL;
	assert_int_equal(lc_application_json(db, &natcom, id, &j), LC_EPERM);
	lc_diag_init(&d);
	json_t *f = full_form("Tralee");
	assert_int_equal(lc_application_save(db, &me, id, f, &d), 0);
	json_decref(f);
	assert_int_equal(lc_application_pledge_put(db, &me, id, "pledge.pdf", png, sizeof png, &d),
	                 0);
	lc_diag_cleanup(&d);
	assert_int_equal(take(db, &me, id, "submitted", NULL), 0);
	/* Not editable once submitted. */
	lc_diag_init(&d);
	json_t *small = json_pack("{s:s}", "mayor_title", "Mayor");
	assert_int_equal(lc_application_save(db, &me, id, small, &d), LC_ECONFLICT);
	lc_diag_cleanup(&d);
	assert_int_equal(lc_application_json(db, &expert, id, &j), LC_EPERM);
	/* The secretariat waits for the commission's month. */
	assert_int_equal(take(db, &admin, id, "screening", NULL), LC_ECONFLICT);
	assert_int_equal(lc_application_json(db, &admin, id, &j), 0);
	assert_int_equal(json_array_size(json_object_get(j, "next")),
	                 1); /* withdraw, for the owner */
	json_decref(j);
	assert_int_equal(lc_application_json(db, &natcom, id, &j), 0);
	assert_int_equal(json_array_size(json_object_get(j, "next")), 2);
	json_decref(j);
	assert_int_equal(take(db, &natcom, id, "screening", NULL), 0);
	assert_int_equal(take(db, &admin, id, "info_requested", NULL), LC_EINVAL);
	assert_int_equal(take(db, &admin, id, "info_requested", "What is the budget?"), 0);
	lc_diag_init(&d);
	assert_int_equal(lc_application_save(db, &me, id, small, &d), 0);
	lc_diag_cleanup(&d);
	json_decref(small);
	assert_int_equal(take(db, &me, id, "screening", "EUR 2 million a year."), 0);
	assert_int_equal(take(db, &admin, id, "jury_review", NULL), 0);
	assert_int_equal(lc_application_json(db, &expert, id, &j), 0);
	json_decref(j);
	assert_int_equal(take(db, &expert, id, "recommended", NULL), 0);
	assert_int_equal(take(db, &admin, id, "approved", "A strong plan."), 0);
	assert_string_equal(state_of(db, id), "approved");

	/* The city exists, is a member, and the applicant coordinates it. */
	assert_int_equal(fx_count(db, "SELECT count(*) FROM cities WHERE slug = 'tralee'"
	                              " AND country = 'IE' AND provenance = 'verified'"
	                              " AND population = 82000"),
	                 1);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM memberships m JOIN cities c"
	                              " ON c.id = m.city_id WHERE c.slug = 'tralee'"
	                              " AND m.status = 'member' AND m.to_date IS NULL"),
	                 1);
	struct lc_actor again;
	assert_int_equal(lc_actor_load(db, me_id, &again), 0);
	assert_int_equal(again.nroles, 1);
	assert_int_equal(again.roles[0].kind, LC_ROLE_COORDINATOR);
	assert_int_equal(lc_application_json(db, &me, id, &j), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "city"), "slug")),
	                    "tralee");
	assert_int_equal(json_array_size(json_object_get(j, "history")), 8);
	json_decref(j);
	assert_true(fx_count(db, "SELECT count(*) FROM audit WHERE action LIKE 'application.%'") >=
	            8);
	assert_true(fx_count(db, "SELECT count(*) FROM outbox") >= 6);

	/* The applicant was told, and the grant is audited. */
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM outbox WHERE to_addr = 'tralee@example.net'"
	                 " AND subject = 'You are now the coordinator of Tralee on learncity'"),
	    1);
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM audit WHERE action = 'application.coordinator'"
	                 " AND json_extract(after, '$.existing_city') = 0"),
	    1);

	/* A second application for the same city, now a member, cannot take it over. */
	int64_t id2 = draft(db, &me, "TRALEE", true);
	force_state(db, id2, "recommended");
	assert_int_equal(take(db, &admin, id2, "approved", "Again."), LC_ECONFLICT);
	assert_string_equal(state_of(db, id2), "recommended");
	assert_int_equal(fx_count(db, "SELECT count(*) FROM cities WHERE slug LIKE 'tralee%'"), 1);
}

/* The first problem's message of a refused approval (or "" when there is none). */
static int approve(struct lc_db *db, const struct lc_actor *a, int64_t id, const char *link,
                   char *field, char *msg, size_t n)
{
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_application_take_linked(db, a, id, "approved", "Approved.", link, &d);
	snprintf(field, n, "%s", d.count && d.items[0].field ? d.items[0].field : "");
	snprintf(msg, n, "%s", d.count ? d.items[0].message : "");
	lc_diag_cleanup(&d);
	return err;
}

/* "Córk", IE names Cork: warned everywhere, refused while Cork is a member or suspended,
 * and linked to Cork only when the secretariat confirms it, never silently. */
static void test_existing_city(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor me, admin;
	int64_t me_id = applicant(db, "mallory@example.net", &me);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	int64_t id = draft(db, &me, "Córk", true);
	force_state(db, id, "recommended");
	json_t *j = NULL;
	assert_int_equal(lc_application_json(db, &me, id, &j), 0);
	json_t *ex = json_object_get(j, "existing_city");
	assert_string_equal(json_string_value(json_object_get(ex, "slug")), "cork");
	assert_string_equal(json_string_value(json_object_get(ex, "status")), "member");
	json_decref(j);
	struct lc_application_query q = {.scope = LC_APP_SCOPE_ALL};
	assert_int_equal(lc_application_list(db, &admin, &q, &j), 0);
	json_t *row = json_array_get(json_object_get(j, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(row, "id")), id);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(row, "existing_city"), "slug")),
	    "cork");
	json_decref(j);

	char field[256], msg[256];
	long long grants = fx_count(db, "SELECT count(*) FROM role_grants");
	assert_int_equal(approve(db, &admin, id, NULL, field, msg, sizeof msg), LC_ECONFLICT);
	assert_string_equal(msg, "A city of this name in this country is already a member");
	assert_int_equal(approve(db, &admin, id, "cork", field, msg, sizeof msg), LC_ECONFLICT);
	assert_string_equal(state_of(db, id), "recommended");

	/* Suspended: refused with the reason (not an empty list of problems). */
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t cork = 0;
	assert_int_equal(lc_membership_city_id(db, "cork", &cork), 0);
	assert_int_equal(lc_membership_take(db, &admin, cork, "suspended", "Test.", &d, NULL), 0);
	assert_int_equal(approve(db, &admin, id, NULL, field, msg, sizeof msg), LC_ECONFLICT);
	assert_string_equal(field, "to");
	assert_string_equal(msg, "A city of this name in this country is suspended");

	/* Withdrawn: approving needs the secretariat to confirm the link to Cork. */
	assert_int_equal(lc_membership_take(db, &admin, cork, "withdrawn", "Test.", &d, NULL), 0);
	lc_diag_cleanup(&d);
	assert_int_equal(approve(db, &admin, id, NULL, field, msg, sizeof msg), LC_EINVAL);
	assert_string_equal(field, "link_city");
	assert_int_equal(approve(db, &admin, id, "galway", field, msg, sizeof msg), LC_EINVAL);
	assert_string_equal(field, "link_city");
	assert_int_equal(fx_count(db, "SELECT count(*) FROM role_grants"), grants);
	assert_string_equal(state_of(db, id), "recommended");
	assert_int_equal(approve(db, &admin, id, "cork", field, msg, sizeof msg), 0);
	struct lc_actor now;
	assert_int_equal(lc_actor_load(db, me_id, &now), 0);
	assert_int_equal(now.nroles, 1);
	assert_int_equal(now.roles[0].city_id, cork);
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM audit WHERE action = 'application.coordinator'"
	                 " AND json_extract(after, '$.existing_city') = 1"
	                 " AND json_extract(after, '$.city') = 'cork'"),
	    1);
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM outbox WHERE to_addr = 'mallory@example.net'"
	                 " AND subject = 'You are now the coordinator of Cork on learncity'"),
	    1);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox WHERE"
	                              " to_addr = 'coordinator.cork@example.org'"
	                              " AND subject = 'A new coordinator for Cork on learncity'"),
	                 1);
	/* Decided: no more warning. */
	assert_int_equal(lc_application_json(db, &me, id, &j), 0);
	assert_true(json_is_null(json_object_get(j, "existing_city")));
	json_decref(j);
}

/* Whoever may not see a case learns nothing of its state from a refused step. */
static void test_unseen_case_step(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor me, natcom, expert;
	applicant(db, "quiet@example.net", &me);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	assert_int_equal(fx_actor(db, DEMO_EXPERT, &expert), 0);
	int64_t id = draft(db, &me, "Kinsale", true);
	const char *all[] = {"submitted",   "screening", "declined", "jury_review",
	                     "recommended", "approved",  "rejected", "withdrawn"};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		assert_int_equal(take(db, &natcom, id, all[i], "r"), LC_EPERM);
		assert_int_equal(take(db, &expert, id, all[i], "r"), LC_EPERM);
	}
	assert_int_equal(take(db, &me, id, "submitted", NULL), 0);
	/* Submitted: the commission sees it now; the expert still does not. */
	assert_int_equal(take(db, &natcom, id, "approved", "r"), LC_ECONFLICT);
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		assert_int_equal(take(db, &expert, id, all[i], "r"), LC_EPERM);
}

static void test_window(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor me;
	applicant(db, "window@example.net", &me);
	int64_t id = draft(db, &me, "Sligo", true);
	lc_clock_set_test(1788220800 - 1); /* 2026-08-31T23:59:59Z */
	assert_int_equal(take(db, &me, id, "submitted", NULL), LC_ECONFLICT);
	lc_clock_set_test(1788220800); /* 2026-09-01: opens */
	assert_int_equal(take(db, &me, id, "withdrawn", NULL), 0);
	id = draft(db, &me, "Ennis", true);
	lc_clock_set_test(1798761600); /* 2027-01-01: closed */
	assert_int_equal(take(db, &me, id, "submitted", NULL), LC_ECONFLICT);
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t nid = 0;
	assert_int_equal(lc_application_create(db, &me, 1, "IE", "Kilkenny", &d, &nid),
	                 LC_ECONFLICT);
	lc_diag_cleanup(&d);
	lc_clock_set_test(1798761600 - 1); /* 2026-12-31T23:59:59Z: the last day counts */
	assert_int_equal(take(db, &me, id, "submitted", NULL), 0);
}

static void test_cap(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor me, natcom;
	applicant(db, "cap@example.net", &me);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	const char *cities[] = {"Athlone", "Bray", "Carlow", "Dundalk"};
	int64_t id[4];
	for (int i = 0; i < 4; i++) {
		id[i] = draft(db, &me, cities[i], true);
		assert_int_equal(take(db, &me, id[i], "submitted", NULL), 0);
	}
	for (int i = 0; i < 3; i++)
		assert_int_equal(take(db, &natcom, id[i], "screening", NULL), 0);
	assert_int_equal(take(db, &natcom, id[3], "screening", NULL), LC_ECONFLICT);
	/* Declining is always possible; a withdrawn endorsement frees a place. */
	assert_int_equal(take(db, &me, id[1], "withdrawn", NULL), 0);
	assert_int_equal(take(db, &natcom, id[3], "screening", NULL), 0);
}

static void test_declined_not_again(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor me, other, natcom;
	applicant(db, "decl@example.net", &me);
	applicant(db, "decl2@example.net", &other);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	int64_t id = draft(db, &me, "Naas", true);
	assert_int_equal(take(db, &me, id, "submitted", NULL), 0);
	assert_int_equal(take(db, &natcom, id, "declined", NULL), LC_EINVAL); /* reason needed */
	assert_int_equal(take(db, &natcom, id, "declined", "Not a city council."), 0);
	assert_int_equal(take(db, &me, id, "submitted", NULL), LC_ECONFLICT); /* terminal */
	/* A new application of the same city, by anyone, in the same call: refused. */
	int64_t id2 = draft(db, &other, "NAAS", true);
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_application_take(db, &other, id2, "submitted", NULL, &d), LC_ECONFLICT);
	assert_string_equal(d.items[0].field, "city_name");
	assert_non_null(strstr(d.items[0].message, "declined"));
	/* The earlier state is a catalogue key: French names it in French. */
	struct lc_buf fr;
	lc_buf_init(&fr, 4096);
	lc_catalogue_message(lc_catalogue_shared(), "fr", &d.items[0], &fr);
	assert_non_null(strstr(lc_buf_cstr(&fr), "a été refusée par la Commission nationale"));
	lc_buf_cleanup(&fr);
	lc_diag_cleanup(&d);
	/* Another city is fine. */
	int64_t id3 = draft(db, &other, "Navan", true);
	assert_int_equal(take(db, &other, id3, "submitted", NULL), 0);
}

static void test_pledge_checks(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor me, other;
	applicant(db, "pledge@example.net", &me);
	applicant(db, "intruder@example.net", &other);
	int64_t id = draft(db, &me, "Wexford", false);
	struct lc_diag d;
	lc_diag_init(&d);
	const char *html = "<!doctype html><html><body>not a pdf</body></html>";
	assert_int_equal(lc_application_pledge_put(db, &me, id, "pledge.pdf",
	                                           (const unsigned char *)html, strlen(html), &d),
	                 LC_EINVAL);
	const char *fake = "%PDF-1.4\n<html><script>alert(1)</script></html>\n";
	assert_int_equal(lc_application_pledge_put(db, &me, id, "pledge.pdf",
	                                           (const unsigned char *)fake, strlen(fake), &d),
	                 LC_EINVAL);
	unsigned char bad[sizeof png];
	memcpy(bad, png, sizeof png);
	bad[11] = 14; /* IHDR length */
	assert_int_equal(lc_application_pledge_put(db, &me, id, "p.png", bad, sizeof bad, &d),
	                 LC_EINVAL);
	memcpy(bad, png, sizeof png);
	bad[sizeof png - 9] = 0x40; /* IEND chunk length runs past the end */
	assert_int_equal(lc_application_pledge_put(db, &me, id, "p.png", bad, sizeof bad, &d),
	                 LC_EINVAL);
	const unsigned char jpeg_cut[] = {0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F'};
	assert_int_equal(
	    lc_application_pledge_put(db, &me, id, "p.jpg", jpeg_cut, sizeof jpeg_cut, &d),
	    LC_EINVAL);
	assert_int_equal(lc_application_pledge_put(db, &me, id, "p.png", png, 0, &d), LC_EINVAL);
	size_t big = LC_LIMIT_PLEDGE_BYTES + 1;
	unsigned char *huge = lc_xcalloc(big, 1);
	memcpy(huge, "%PDF-1.7\n", 9);
	memcpy(huge + big - 6, "%%EOF\n", 6);
	assert_int_equal(lc_application_pledge_put(db, &me, id, "big.pdf", huge, big, &d),
	                 LC_ELIMIT);
	/* The same at the limit is accepted, typed by content. */
	memcpy(huge + big - 7, "%%EOF\n", 6);
	assert_int_equal(lc_application_pledge_put(db, &me, id, "big.png", huge, big - 1, &d), 0);
	lc_free(huge);
	assert_true(d.count >= 6);
	for (size_t i = 0; i < d.count; i++)
		assert_string_equal(d.items[i].field, "pledge");
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	/* Someone else cannot upload or read it. */
	assert_int_equal(lc_application_pledge_put(db, &other, id, "p.png", png, sizeof png, &d),
	                 LC_EPERM);
	struct lc_pledge p;
	assert_int_equal(lc_application_pledge_get(db, &other, id, &p), LC_EPERM);
	assert_int_equal(
	    lc_application_pledge_put(db, &me, id, "../../etc/x.pdf", png, sizeof png, &d), 0);
	assert_int_equal(lc_application_pledge_get(db, &me, id, &p), 0);
	assert_string_equal(p.content_type, "image/png");
	assert_int_equal(p.size, sizeof png);
	assert_memory_equal(p.data, png, sizeof png);
	assert_null(strchr(p.filename, '/'));
	assert_string_equal(p.filename + strlen(p.filename) - 4, ".png");
	unsigned char h[32];
	char hex[65];
	crypto_hash_sha256(h, png, sizeof png);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	assert_string_equal(p.sha256, hex);
	lc_application_pledge_cleanup(&p);
	lc_diag_cleanup(&d);
}

static void test_form_checks(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor me;
	applicant(db, "form@example.net", &me);
	int64_t id = draft(db, &me, "Cobh", false);
	struct lc_diag d;
	lc_diag_init(&d);
	json_t *f = json_pack("{s:s,s:s,s:s,s:i,s:s,s:{s:i},s:s,s:s}", "motivation", words(201),
	                      "contact_email", "not an address", "language", "de", "population", -5,
	                      "area_km2", "lots", "challenges", "health", 7, "links",
	                      "javascript:alert(1)", "colour", "blue");
	assert_int_equal(lc_application_save(db, &me, id, f, &d), LC_EINVAL);
	json_decref(f);
	const char *want[] = {"motivation", "contact_email",    "language", "population",
	                      "area_km2",   "challenge_health", "links",    "colour"};
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
		bool seen = false;
		for (size_t i = 0; i < d.count; i++)
			seen |= strcmp(d.items[i].field, want[k]) == 0;
		if (!seen)
			fail_msg("no problem reported for %s", want[k]);
	}
	lc_diag_cleanup(&d);
	assert_int_equal(lc_application_words("  one\ttwo\n\nthree  "), 3);
	assert_int_equal(lc_application_words(""), 0);
	/* Nothing was saved. */
	assert_int_equal(fx_count(db, "SELECT count(*) FROM applications WHERE motivation <> ''"),
	                 0);
	/* A small city cannot submit. */
	lc_diag_init(&d);
	f = full_form("Cobh");
	json_object_set_new(f, "population", json_integer(9999));
	assert_int_equal(lc_application_save(db, &me, id, f, &d), 0);
	json_decref(f);
	assert_int_equal(lc_application_pledge_put(db, &me, id, "p.png", png, sizeof png, &d), 0);
	assert_int_equal(lc_application_take(db, &me, id, "submitted", NULL, &d), LC_EINVAL);
	assert_string_equal(d.items[0].field, "population");
	lc_diag_cleanup(&d);
}

static void test_escalation_and_lists(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor me, admin, natcom, expert, other;
	applicant(db, "esc@example.net", &me);
	applicant(db, "someone@example.net", &other);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	assert_int_equal(fx_actor(db, DEMO_EXPERT, &expert), 0);
	int64_t id = draft(db, &me, "Mallow", true);
	int64_t id2 = draft(db, &me, "Youghal", true);
	assert_int_equal(take(db, &me, id, "submitted", NULL), 0);
	size_t np;
	const struct lc_wf_process *const *procs = lc_processes(&np);
	struct lc_wf_tick_report r;
	assert_int_equal(lc_wf_tick(db, procs, np, T0 + 30 * DAY - 1, &r), 0);
	assert_string_equal(state_of(db, id), "submitted");
	assert_true(r.reminders >= 1); /* 14 and 7 days before */
	assert_int_equal(lc_wf_tick(db, procs, np, T0 + 30 * DAY, &r), 0);
	assert_string_equal(state_of(db, id), "escalated");
	/* Now the secretariat may act for the commission. */
	assert_int_equal(take(db, &admin, id, "screening", NULL), 0);

	struct lc_application_query q = {.scope = LC_APP_SCOPE_VISIBLE};
	json_t *l = NULL;
	assert_int_equal(lc_application_list(db, &me, &q, &l), 0);
	assert_int_equal(json_integer_value(json_object_get(l, "total")), 2);
	json_decref(l);
	assert_int_equal(lc_application_list(db, &natcom, &q, &l), 0);
	assert_int_equal(json_integer_value(json_object_get(l, "total")), 1); /* no draft */
	json_decref(l);
	assert_int_equal(lc_application_list(db, &expert, &q, &l), 0);
	assert_int_equal(json_integer_value(json_object_get(l, "total")), 0);
	json_decref(l);
	assert_int_equal(lc_application_list(db, &other, &q, &l), 0);
	assert_int_equal(json_integer_value(json_object_get(l, "total")), 0);
	json_decref(l);
	q.scope = LC_APP_SCOPE_ALL;
	assert_int_equal(lc_application_list(db, &admin, &q, &l), 0);
	assert_int_equal(json_integer_value(json_object_get(l, "total")), 2);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(l, "by_state"), "draft")), 1);
	json_decref(l);
	q.state = "draft";
	assert_int_equal(lc_application_list(db, &admin, &q, &l), 0);
	json_t *first = json_array_get(json_object_get(l, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(first, "id")), id2);
	json_decref(l);
	q.state = "nonsense";
	assert_int_equal(lc_application_list(db, &admin, &q, &l), LC_EINVAL);
	/* A draft withdrawn unsubmitted never reaches the commission. */
	assert_int_equal(take(db, &me, id2, "withdrawn", NULL), 0);
	assert_int_equal(lc_application_json(db, &natcom, id2, &l), LC_EPERM);
	q = (struct lc_application_query){.scope = LC_APP_SCOPE_NATCOM};
	assert_int_equal(lc_application_list(db, &natcom, &q, &l), 0);
	assert_int_equal(json_integer_value(json_object_get(l, "total")), 1);
	json_decref(l);
}

static void test_signup_and_calls(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor anon, admin, natcom;
	lc_actor_anonymous(&anon);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_NATCOM, &natcom), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id;
	long wait = 0;
	struct lc_account_new weak = {.email = "w@example.net", .name = "W", .password = "short"};
	assert_int_equal(
	    lc_account_signup(db, &anon, &weak, "10.0.0.1", "https://lc.example", &d, &id, &wait),
	    LC_EINVAL);
	struct lc_account_new taken = {
	    .email = DEMO_ADMIN, .name = "X", .password = "Learning-city-2026!"};
	/* A taken address answers as a new one would (no account made, the owner told). */
	assert_int_equal(
	    lc_account_signup(db, &anon, &taken, "10.0.0.1", "https://lc.example", &d, &id, &wait),
	    0);
	assert_int_equal(id, 0);
	for (int i = 2; i < LC_LIMIT_THROTTLE_ADDR; i++)
		(void)lc_account_signup(db, &anon, &weak, "10.0.0.1", "https://lc.example", &d, &id,
		                        &wait);
	struct lc_account_new ok = {
	    .email = "ok@example.net", .name = "Ok", .password = "Learning-city-2026!"};
	assert_int_equal(
	    lc_account_signup(db, &anon, &ok, "10.0.0.1", "https://lc.example", &d, &id, &wait),
	    LC_EBUSY);
	assert_true(wait > 0);
	assert_int_equal(
	    lc_account_signup(db, &anon, &ok, "10.0.0.2", "https://lc.example", &d, &id, &wait), 0);
	confirm(db, id, ok.password);
	struct lc_actor a;
	assert_int_equal(lc_actor_load(db, id, &a), 0); /* active */
	assert_int_equal(a.nroles, 0);
	lc_diag_cleanup(&d);

	lc_diag_init(&d);
	struct lc_call c = {.year = 2027, .opens = "2027-04-01", .closes = "2027-05-31"};
	snprintf(c.title, sizeof c.title, "Call 2027");
	int64_t cid = 0;
	assert_int_equal(lc_call_save(db, &natcom, &c, &d, &cid), LC_EPERM);
	assert_int_equal(lc_call_save(db, &admin, &c, &d, &cid), 0);
	struct lc_call got;
	assert_int_equal(lc_call_get(db, cid, &got), 0);
	assert_int_equal(got.cap, LC_CALL_DEFAULT_CAP);
	assert_false(lc_call_is_open(&got, T0));
	assert_int_equal(lc_call_save(db, &admin, &c, &d, &cid), LC_ECONFLICT); /* same year */
	struct lc_call bad = {
	    .year = 2028, .opens = "2028-02-30", .closes = "2028-01-01", .cap = 99};
	assert_int_equal(lc_call_save(db, &admin, &bad, &d, &cid), LC_EINVAL);
	assert_true(d.count >= 3); /* title, opens, cap */
	lc_diag_cleanup(&d);
	json_t *l = NULL;
	assert_int_equal(lc_call_list(db, true, &l), 0);
	assert_int_equal(json_array_size(json_object_get(l, "calls")), 1);
	json_decref(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_process_check),
	    cmocka_unit_test_setup_teardown(test_forbidden_matrix, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_whole_path, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_existing_city, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_unseen_case_step, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_window, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_cap, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_declined_not_again, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_pledge_checks, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_form_checks, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_escalation_and_lists, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_signup_and_calls, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
