/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/conference/category.c, form.c and registration.c on the
 * demonstration database: a conference and its categories created with
 * every problem named, registration in every state and every refusal, one
 * active registration per e-mail, and the waiting list as a clock (a place
 * frees, an offer holds it 48 hours, expires and passes on; a decline
 * passes at once; nothing is offered after registration closes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <libical/ical.h>

#include "accounts_fixture.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "domain/conference/category.h"
#include "domain/conference/event.h"
#include "domain/conference/registration.h"
#include "domain/conference/ticket.h"
#include "domain/workflow/processes.h"
#include "domain/workflow/workflow.h"
#include "formats/letter_pdf.h"

#define HOUR 3600

static json_t *answers(const char *name)
{
	return json_pack("{s:s, s:s, s:s, s:b}", "name", name, "organisation", "Cork City Council",
	                 "country", "IE", "privacy", 1);
}

static const char *state_of(struct lc_db *db, int64_t id)
{
	static char s[32];
	struct lc_wf_item it;
	if (lc_wf_get(db, &lc_conf_reg_process, id, &it) != 0)
		return "?";
	snprintf(s, sizeof s, "%s", it.state);
	return s;
}

/* The registration id of a demo person by e-mail. */
static int64_t reg_id(struct lc_db *db, const char *email)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT item_id FROM conference_registrations"
	                                  " WHERE email = ?1 ORDER BY item_id DESC LIMIT 1");
	lc_db_bind_text(st, 1, email);
	int64_t id = lc_db_step(db, st) == 1 ? sqlite3_column_int64(st, 0) : 0;
	lc_db_release(db, st);
	return id;
}

static void expert_places(struct lc_db *db, long *used, long *waiting)
{
	struct lc_conf_event e;
	struct lc_conf_category c;
	assert_int_equal(lc_conf_event_load(db, LC_CONF_EVENT_DEMO_SLUG, &e), 0);
	assert_int_equal(lc_conf_category_load(db, e.id, "expert", &c), 0);
	assert_int_equal(lc_conf_category_places(db, c.id, used, waiting), 0);
	lc_conf_category_cleanup(&c);
	lc_conf_event_cleanup(&e);
}

static void test_process_table(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_int_equal(lc_wf_process_check(&lc_conf_reg_process, &why), 0);
	assert_ptr_equal(lc_process_find("conference_registration"), &lc_conf_reg_process);
}

static void test_demo(void **state)
{
	struct lc_db *db = *state;
	json_t *v = NULL;
	assert_int_equal(lc_conf_view(db, LC_CONF_EVENT_DEMO_SLUG, "fr", &v), 0);
	json_t *cats = json_object_get(v, "categories");
	assert_int_equal(json_array_size(cats), 8);
	json_t *expert = json_array_get(cats, 5);
	assert_string_equal(json_string_value(json_object_get(expert, "code")), "expert");
	assert_int_equal(json_integer_value(json_object_get(expert, "capacity")), 2);
	assert_int_equal(json_integer_value(json_object_get(expert, "available")), 0);
	assert_int_equal(json_integer_value(json_object_get(expert, "waiting")), 2);
	assert_true(json_is_true(json_object_get(expert, "full")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(cats, 0), "name")),
	                    "Maire ou maire adjoint");
	json_decref(v);
	assert_int_equal(fx_count(db, "SELECT count(DISTINCT lang) FROM conference_registrations"),
	                 6);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM conference_registrations"
	                              " WHERE name = 'أمينة حداد' OR name = '李伟'"
	                              " OR name = 'Ольга Смирнова'"),
	                 3);
	assert_int_equal(lc_conf_view(db, "no-such-conference", "en", &v), LC_ENOTFOUND);
}

static void test_create_refused(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin, part;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	long long before = fx_count(db, "SELECT count(*) FROM conference_events");
	json_t *spec = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:{s:s}, s:[s], s:[{s:s, s:s, s:i, s:s, s:s, s:s, s:b,"
	    " s:{s:[{s:s, s:s, s:[{s:s, s:s, s:s}]}]}}]}",
	    "slug", "Bad Slug", "title", "", "start_date", "2027-02-30", "end_date", "2027-01-01",
	    "timezone", "Europe/Paris", "venue", "name", "Hall", "languages", "en", "categories",
	    "code", "mayor", "name", "Mayors", "capacity", 0, "opens", "2027-01-10", "closes",
	    "2027-01-01", "visibility", "secret", "moderated", 1, "form", "sections", "id", "s",
	    "title", "S", "fields", "id", "f", "kind", "photo", "label", "F");
	struct lc_diag d;
	lc_diag_init(&d);
	char slug[LC_LIMIT_CONF_SLUG + 1];
	assert_int_equal(lc_conf_save(db, &part, NULL, spec, &d, slug), LC_EPERM);
	assert_int_equal(lc_conf_save(db, &admin, NULL, spec, &d, slug), LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_conf_slug"));
	assert_true(lc_diag_has(&d, "err_conf_title"));
	assert_true(lc_diag_has(&d, "err_conf_date"));
	assert_true(lc_diag_has(&d, "err_conf_number"));
	assert_true(lc_diag_has(&d, "err_conf_date_order"));
	assert_true(lc_diag_has(&d, "err_conf_visibility"));
	assert_true(lc_diag_has(&d, "err_conf_form_kind"));
	bool kind_field = false;
	for (size_t i = 0; i < d.count; i++)
		kind_field =
		    kind_field || (d.items[i].field &&
		                   strcmp(d.items[i].field,
		                          "categories[0].form.sections[0].fields[0].kind") == 0);
	assert_true(kind_field);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM conference_events"), before);
	json_decref(spec);
	lc_diag_cleanup(&d);

	/* A good one: the eight default categories come with it; an edit changes one. */
	spec = json_pack("{s:s, s:{s:s, s:s}, s:s, s:s, s:s, s:{s:s, s:n}, s:[s, s]}", "slug",
	                 "iclc-2029", "title", "en", "ICLC 2029", "fr", "CIVA 2029", "start_date",
	                 "2029-09-10", "end_date", "2029-09-12", "timezone", "Asia/Shanghai",
	                 "venue", "name", "Centre", "address", "languages", "en", "zh");
	lc_diag_init(&d);
	assert_int_equal(lc_conf_save(db, &admin, NULL, spec, &d, slug), 0);
	assert_string_equal(slug, "iclc-2029");
	assert_int_equal(lc_conf_save(db, &admin, NULL, spec, &d, slug), LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_conf_slug_taken"));
	json_decref(spec);
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	spec = json_pack("{s:s, s:s, s:s, s:s, s:{s:s}, s:[s], s:[{s:s, s:s, s:i, s:s, s:s, s:s,"
	                 " s:b, s:i}]}",
	                 "title", "ICLC 2029", "start_date", "2029-09-10", "end_date", "2029-09-12",
	                 "timezone", "Asia/Shanghai", "venue", "name", "Centre", "languages", "en",
	                 "categories", "code", "press", "name", "Press", "capacity", 5, "opens",
	                 "2029-01-01", "closes", "2029-09-01", "visibility", "public", "moderated",
	                 0, "offer_hours", 24);
	assert_int_equal(lc_conf_save(db, &admin, "iclc-2029", spec, &d, slug), 0);
	json_t *v = NULL;
	assert_int_equal(lc_conf_view(db, "iclc-2029", "zh", &v), 0);
	assert_int_equal(json_array_size(json_object_get(v, "categories")), 8);
	json_t *press = json_array_get(json_object_get(v, "categories"), 6);
	assert_string_equal(json_string_value(json_object_get(press, "code")), "press");
	assert_int_equal(json_integer_value(json_object_get(press, "capacity")), 5);
	assert_int_equal(json_integer_value(json_object_get(press, "offer_hours")), 24);
	json_decref(v);
	json_decref(spec);
	lc_diag_cleanup(&d);
	assert_int_equal(
	    fx_count(db, "SELECT count(*) FROM audit WHERE action LIKE 'conference.%'"), 2);
}

static void test_register_duplicate(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor part, anon;
	lc_actor_anonymous(&anon);
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0, id2 = 0;
	json_t *a = answers("Participant Demo");
	assert_int_equal(lc_conf_reg_create(db, &anon, LC_CONF_EVENT_DEMO_SLUG, "ngo", a, &d, &id),
	                 LC_EAUTH);
	assert_int_equal(lc_conf_reg_create(db, &part, LC_CONF_EVENT_DEMO_SLUG, "nope", a, &d, &id),
	                 LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_conf_reg_category"));
	assert_int_equal(
	    lc_conf_reg_create(db, &part, LC_CONF_EVENT_DEMO_SLUG, "staff", a, &d, &id),
	    LC_ECONFLICT);
	assert_true(lc_diag_has(&d, "err_conf_reg_invitation"));
	assert_int_equal(lc_conf_reg_create(db, &part, LC_CONF_EVENT_DEMO_SLUG, "ngo", a, &d, &id),
	                 0);
	assert_string_equal(state_of(db, id), "approved");
	/* The same address in another case, in another category: refused clearly. */
	snprintf(part.email, sizeof part.email, "%s", "PARTICIPANT@Example.org");
	lc_diag_cleanup(&d);
	lc_diag_init(&d);
	assert_int_equal(
	    lc_conf_reg_create(db, &part, LC_CONF_EVENT_DEMO_SLUG, "expert", a, &d, &id2),
	    LC_ECONFLICT);
	assert_true(lc_diag_has(&d, "err_conf_reg_duplicate"));
	assert_int_equal(fx_count(db, "SELECT count(*) FROM conference_registrations"
	                              " WHERE email LIKE 'participant@%'"),
	                 1);
	/* Withdrawn, the person may register again. */
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	assert_int_equal(lc_conf_reg_take(db, &part, id, "withdrawn", NULL, &d), 0);
	assert_int_equal(lc_conf_reg_create(db, &part, LC_CONF_EVENT_DEMO_SLUG, "ngo", a, &d, &id2),
	                 0);
	assert_true(id2 != id);
	/* Someone else may neither see nor move it. */
	struct lc_actor other;
	assert_int_equal(fx_actor(db, DEMO_NOROLE, &other), 0);
	json_t *v = NULL;
	assert_int_equal(lc_conf_reg_view(db, &other, id2, "en", &v), LC_EPERM);
	assert_int_equal(lc_conf_reg_take(db, &other, id2, "withdrawn", NULL, &d), LC_EPERM);
	assert_int_equal(lc_conf_reg_view(db, &part, id2, "en", &v), 0);
	assert_string_equal(json_string_value(json_object_get(v, "state")), "approved");
	json_decref(v);
	json_decref(a);
	lc_diag_cleanup(&d);
}

static bool has_field(const struct lc_diag *d, const char *field, const char *code)
{
	for (size_t i = 0; i < d->count; i++)
		if (d->items[i].field && strcmp(d->items[i].field, field) == 0 &&
		    strcmp(d->items[i].code, code) == 0)
			return true;
	return false;
}

static void test_answers(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor part;
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	json_t *a = json_pack("{s:s, s:s, s:s, s:s, s:b}", "name", "X", "country", "ZZ", "dietary",
	                      "other", "shoe_size", "44", "privacy", 0);
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0;
	long long before = fx_count(db, "SELECT count(*) FROM wf_items");
	assert_int_equal(lc_conf_reg_create(db, &part, LC_CONF_EVENT_DEMO_SLUG, "ngo", a, &d, &id),
	                 LC_EINVAL);
	assert_true(has_field(&d, "answers.organisation", "err_conf_answer_required"));
	assert_true(has_field(&d, "answers.country", "err_conf_answer_country"));
	assert_true(has_field(&d, "answers.dietary_other", "err_conf_answer_required"));
	assert_true(has_field(&d, "answers.shoe_size", "err_conf_answer_unknown"));
	assert_true(has_field(&d, "answers.privacy", "err_conf_answer_consent"));
	assert_int_equal(fx_count(db, "SELECT count(*) FROM wf_items"), before);
	json_decref(a);
	lc_diag_cleanup(&d);
}

static void test_moderated(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor part, admin;
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0;
	json_t *a = answers("Participant Demo");
	assert_int_equal(
	    lc_conf_reg_create(db, &part, LC_CONF_EVENT_DEMO_SLUG, "mayor", a, &d, &id), 0);
	assert_string_equal(state_of(db, id), "pending");
	assert_int_equal(lc_conf_reg_take(db, &part, id, "approved", NULL, &d), LC_EPERM);
	assert_int_equal(lc_conf_reg_take(db, &admin, id, "approved", NULL, &d), 0);
	/* An edit by the person after approval goes back to review. */
	json_object_set_new(a, "position", json_string("Deputy mayor"));
	assert_int_equal(lc_conf_reg_update(db, &part, id, a, &d), 0);
	assert_string_equal(state_of(db, id), "pending");
	/* A rejection needs its reason, which the person then reads. */
	assert_int_equal(lc_conf_reg_take(db, &admin, id, "rejected", NULL, &d), LC_EINVAL);
	assert_string_equal(state_of(db, id), "pending");
	assert_int_equal(
	    lc_conf_reg_take(db, &admin, id, "rejected", "Mayors register through their city.", &d),
	    0);
	json_t *v = NULL;
	assert_int_equal(lc_conf_reg_view(db, &part, id, "en", &v), 0);
	assert_string_equal(json_string_value(json_object_get(v, "reason")),
	                    "Mayors register through their city.");
	json_decref(v);
	/* The rejection's own e-mail carries the reason the person reads. */
	assert_int_equal(fx_count(db,
	                          "SELECT count(*) FROM outbox WHERE to_addr ="
	                          " 'participant@example.org' AND kind = 'conf_reg_rejected'"
	                          " AND body LIKE '%Reason: Mayors register through their city.%'"),
	                 1);
	assert_int_equal(lc_conf_reg_update(db, &part, id, a, &d), LC_ECONFLICT);
	json_decref(a);
	lc_diag_cleanup(&d);
}

/* A ticket follows its registration: a new name revokes the old ticket, an end revokes it. */
static void test_ticket_follows(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor part, admin;
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0;
	json_t *a = answers("Participant Demo");
	assert_int_equal(lc_conf_reg_create(db, &part, LC_CONF_EVENT_DEMO_SLUG, "ngo", a, &d, &id),
	                 0);
	assert_string_equal(state_of(db, id), "approved");
	struct lc_conf_event e;
	assert_int_equal(lc_conf_event_load(db, LC_CONF_EVENT_DEMO_SLUG, &e), 0);
	char old[LC_TICKET_CHARS + 1], cur[LC_TICKET_CHARS + 1];
	assert_int_equal(lc_ticket_current(db, e.id, id, old), 0);
	enum lc_ticket_status why;
	assert_int_equal(lc_ticket_verify(db, e.id, old, strlen(old), NULL, &why), 0);
	/* Another answer than the name keeps the ticket. */
	json_object_set_new(a, "position", json_string("Adviser"));
	assert_int_equal(lc_conf_reg_update(db, &part, id, a, &d), 0);
	assert_int_equal(lc_ticket_current(db, e.id, id, cur), 0);
	assert_string_equal(cur, old);
	/* A new name: the old ticket is refused at the door, a new one is current. */
	json_object_set_new(a, "name", json_string("Participant Renamed"));
	assert_int_equal(lc_conf_reg_update(db, &part, id, a, &d), 0);
	assert_int_equal(lc_ticket_verify(db, e.id, old, strlen(old), NULL, &why), LC_EINVAL);
	assert_int_equal(why, LC_TICKET_REVOKED);
	assert_int_equal(lc_ticket_current(db, e.id, id, cur), 0);
	assert_string_not_equal(cur, old);
	assert_int_equal(lc_ticket_verify(db, e.id, cur, strlen(cur), NULL, &why), 0);
	/* The badge carries it, for the person and the organisers; for anyone else none exists. */
	struct lc_buf pdf;
	lc_buf_init(&pdf, 1u << 22);
	assert_int_equal(lc_conf_reg_badge_pdf(db, &part, LC_CONF_EVENT_DEMO_SLUG, id, &pdf), 0);
	assert_true(pdf.len > 1000 && memcmp(pdf.data, "%PDF", 4) == 0);
	lc_buf_reset(&pdf);
	assert_int_equal(lc_conf_reg_badge_pdf(db, &admin, LC_CONF_EVENT_DEMO_SLUG, id, &pdf), 0);
	struct lc_actor other;
	assert_int_equal(fx_actor(db, DEMO_COORD, &other), 0);
	assert_int_equal(lc_conf_reg_badge_pdf(db, &other, LC_CONF_EVENT_DEMO_SLUG, id, &pdf),
	                 LC_ENOTFOUND);
	assert_int_equal(lc_conf_reg_badge_pdf(db, &part, "no-such-conference", id, &pdf),
	                 LC_ENOTFOUND);
	lc_buf_cleanup(&pdf);
	/* Nothing in this test program draws again: release the font caches for the leak check. */
	lc_pdf_fonts_release();
	/* Withdrawn: the current ticket is revoked, none replaces it. */
	assert_int_equal(lc_conf_reg_take(db, &part, id, "withdrawn", NULL, &d), 0);
	assert_int_equal(lc_ticket_verify(db, e.id, cur, strlen(cur), NULL, &why), LC_EINVAL);
	assert_int_equal(why, LC_TICKET_REVOKED);
	lc_conf_event_cleanup(&e);
	json_decref(a);
	lc_diag_cleanup(&d);
}

/* A French participant's confirmation is in French and carries a calendar that parses. */
static void test_confirmation_mail(void **state)
{
	struct lc_db *db = *state;
	assert_int_equal(lc_db_exec(db, "UPDATE accounts SET lang = 'fr'"
	                                " WHERE email = 'participant@example.org'"),
	                 0);
	struct lc_actor part;
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t id = 0;
	json_t *a = answers("Participant Demo");
	assert_int_equal(lc_conf_reg_create(db, &part, LC_CONF_EVENT_DEMO_SLUG, "ngo", a, &d, &id),
	                 0);
	assert_string_equal(state_of(db, id), "approved");
	sqlite3_stmt *st = lc_db_stmt(
	    db, "SELECT o.subject, o.body, o.lang, a.filename, a.content_type, a.data"
	        " FROM outbox o JOIN outbox_attachments a ON a.outbox_id = o.id"
	        " WHERE o.to_addr = 'participant@example.org' AND o.kind = 'conf_reg_confirmed'");
	assert_non_null(st);
	assert_int_equal(lc_db_step(db, st), 1);
	assert_string_equal(lc_db_text(st, 2), "fr");
	assert_non_null(strstr(lc_db_text(st, 0), "est confirmée"));
	assert_non_null(strstr(lc_db_text(st, 1), "La conférence a lieu du"));
	assert_string_equal(lc_db_text(st, 3), "registration.ics");
	assert_string_equal(lc_db_text(st, 4), "text/calendar");
	char *ics = lc_xstrndup(sqlite3_column_blob(st, 5), (size_t)sqlite3_column_bytes(st, 5));
	lc_db_release(db, st);
	icalcomponent *cal = icalparser_parse_string(ics);
	assert_non_null(cal);
	icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	assert_non_null(ev);
	struct lc_conf_event e;
	assert_int_equal(lc_conf_event_load(db, LC_CONF_EVENT_DEMO_SLUG, &e), 0);
	struct icaltimetype start = icalcomponent_get_dtstart(ev);
	char day[32];
	snprintf(day, sizeof day, "%04d-%02d-%02d", start.year % 10000, start.month % 100,
	         start.day % 100);
	assert_string_equal(day, e.start_date);
	assert_true(start.is_date);
	char uid[64];
	snprintf(uid, sizeof uid, "conference-registration-%lld@learncity", (long long)id);
	assert_string_equal(icalcomponent_get_uid(ev), uid);
	icalcomponent_free(cal);
	lc_free(ics);
	lc_conf_event_cleanup(&e);
	/* The reminder goes once to each approved person, in their language; organisers only. */
	long sent = 0;
	assert_int_equal(lc_conf_reg_remind(db, &part, LC_CONF_EVENT_DEMO_SLUG, &sent), LC_EPERM);
	struct lc_actor admin;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(lc_conf_reg_remind(db, &admin, LC_CONF_EVENT_DEMO_SLUG, &sent), 0);
	assert_int_equal(sent, 1);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM outbox WHERE kind = 'conf_reg_reminder'"
	                              " AND lang = 'fr' AND to_addr = 'participant@example.org'"),
	                 1);
	assert_int_equal(lc_conf_reg_remind(db, &admin, LC_CONF_EVENT_DEMO_SLUG, &sent), 0);
	assert_int_equal(sent, 0);
	assert_int_equal(lc_conf_reg_remind(db, &admin, "no-such", &sent), LC_ENOTFOUND);
	json_decref(a);
	lc_diag_cleanup(&d);
}

static int tick(struct lc_db *db, int64_t now)
{
	size_t n;
	const struct lc_wf_process *const *p = lc_processes(&n);
	return lc_wf_tick(db, p, n, now, NULL);
}

static void test_waitlist_clock(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor part, admin;
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t me = 0;
	json_t *a = answers("Participant Demo");
	/* Full, with two waiting: the newcomer is third on the list. */
	assert_int_equal(
	    lc_conf_reg_create(db, &part, LC_CONF_EVENT_DEMO_SLUG, "expert", a, &d, &me), 0);
	assert_string_equal(state_of(db, me), "waitlisted");
	int64_t jean = reg_id(db, "jean.dupont@example.org"),
	        aoife = reg_id(db, "aoife.murphy@example.org"),
	        kofi = reg_id(db, "kofi.mensah@example.org");
	/* A manual removal needs a reason. */
	assert_int_equal(lc_conf_reg_take(db, &admin, kofi, "cancelled", NULL, &d), LC_EINVAL);
	/* A place frees: the first waiting gets the offer, held 48 hours. */
	int64_t t = T0 + 10;
	lc_clock_set_test(t);
	assert_int_equal(lc_conf_reg_take(db, &admin, jean, "cancelled", "Cannot travel.", &d), 0);
	assert_string_equal(state_of(db, aoife), "offered");
	assert_string_equal(state_of(db, kofi), "waitlisted");
	long used = 0, waiting = 0;
	expert_places(db, &used, &waiting);
	assert_int_equal(used, 2);
	assert_int_equal(waiting, 3);
	/* A newcomer cannot take the held place (nor any while people wait). */
	assert_int_equal(tick(db, t + 48 * HOUR - 1), 0);
	assert_string_equal(state_of(db, aoife), "offered");
	assert_string_equal(state_of(db, kofi), "waitlisted");
	/* At 48 hours it expires and passes on. */
	lc_clock_set_test(t + 48 * HOUR);
	assert_int_equal(tick(db, t + 48 * HOUR), 0);
	assert_string_equal(state_of(db, aoife), "expired");
	assert_string_equal(state_of(db, kofi), "offered");
	/* A decline passes it at once. */
	assert_int_equal(lc_conf_reg_take(db, &admin, kofi, "withdrawn", NULL, &d), 0);
	assert_string_equal(state_of(db, me), "offered");
	/* The offer's own e-mail says until when the place is held, in the conference's local
	 * time, with the page to take it on. */
	assert_int_equal(fx_count(db,
	                          "SELECT count(*) FROM outbox WHERE to_addr ="
	                          " 'participant@example.org' AND kind = 'conf_reg_offered'"
	                          " AND body LIKE '%is held for you until %'"
	                          " AND body LIKE '% time)%'"
	                          " AND body LIKE '%/conferences/demo-conference/registrations/%'"
	                          " AND subject LIKE '%is held for you%'"),
	                 1);
	/* Joining the list had its own message too. */
	assert_int_equal(fx_count(db,
	                          "SELECT count(*) FROM outbox WHERE to_addr ="
	                          " 'participant@example.org' AND kind = 'conf_reg_waitlisted'"),
	                 1);
	assert_int_equal(lc_conf_reg_take(db, &part, me, "approved", NULL, &d), 0);
	assert_string_equal(state_of(db, me), "approved");
	expert_places(db, &used, &waiting);
	assert_int_equal(used, 2);
	assert_int_equal(waiting, 0);
	/* A promotion needs a free place. */
	json_decref(a);
	lc_diag_cleanup(&d);
}

static void test_nothing_after_close(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	struct lc_conf_event e;
	assert_int_equal(lc_conf_event_load(db, LC_CONF_EVENT_DEMO_SLUG, &e), 0);
	struct lc_conf_category c;
	assert_int_equal(lc_conf_category_load(db, e.id, "expert", &c), 0);
	int64_t after = lc_conf_category_close_at(&c);
	lc_conf_category_cleanup(&c);
	lc_conf_event_cleanup(&e);
	lc_clock_set_test(after);
	struct lc_diag d;
	lc_diag_init(&d);
	int64_t jean = reg_id(db, "jean.dupont@example.org"),
	        aoife = reg_id(db, "aoife.murphy@example.org");
	assert_int_equal(lc_conf_reg_take(db, &admin, jean, "cancelled", "Cannot travel.", &d), 0);
	assert_string_equal(state_of(db, aoife), "waitlisted");
	assert_int_equal(tick(db, after + 72 * HOUR), 0);
	assert_string_equal(state_of(db, aoife), "waitlisted");
	/* Nor can an organiser promote past the capacity; a free place may be given by hand. */
	assert_int_equal(lc_conf_reg_take(db, &admin, aoife, "approved", NULL, &d), LC_EINVAL);
	assert_int_equal(lc_conf_reg_take(db, &admin, aoife, "approved", "Keynote speaker.", &d),
	                 0);
	int64_t kofi = reg_id(db, "kofi.mensah@example.org");
	assert_int_equal(lc_conf_reg_take(db, &admin, kofi, "approved", "One more.", &d),
	                 LC_ECONFLICT);
	assert_true(lc_diag_has(&d, "err_conf_reg_full"));
	lc_diag_cleanup(&d);
}

static void test_organisers_list(void **state)
{
	struct lc_db *db = *state;
	struct lc_actor admin, part;
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	struct lc_conf_reg_query q = {.category = "expert", .state = "waitlisted"};
	json_t *v = NULL;
	assert_int_equal(lc_conf_reg_list(db, &part, LC_CONF_EVENT_DEMO_SLUG, &q, "en", &v),
	                 LC_EPERM);
	assert_int_equal(lc_conf_reg_list(db, &admin, LC_CONF_EVENT_DEMO_SLUG, &q, "en", &v), 0);
	assert_int_equal(json_integer_value(json_object_get(v, "total")), 2);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(json_object_get(v, "items"), 0), "name")),
	                    "Aoife Murphy");
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(v, "by_state"), "approved")), 5);
	/* Needs as totals: 4 none, 3 vegetarian, no names. */
	json_t *diet = json_object_get(json_object_get(v, "needs"), "dietary");
	assert_int_equal(json_array_size(diet), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(diet, 1), "count")), 3);
	char *needs = json_dumps(json_object_get(v, "needs"), 0);
	assert_null(strstr(needs, "Murphy"));
	lc_free(needs);
	json_decref(v);
	/* Search: a part of a name in any script; LIKE's wildcards are taken literally. */
	struct lc_conf_reg_query s1 = {.q = "Смирн"}, s2 = {.q = "%"}, bad = {.state = "lost"};
	assert_int_equal(lc_conf_reg_list(db, &admin, LC_CONF_EVENT_DEMO_SLUG, &s1, "en", &v), 0);
	assert_int_equal(json_integer_value(json_object_get(v, "total")), 1);
	json_decref(v);
	assert_int_equal(lc_conf_reg_list(db, &admin, LC_CONF_EVENT_DEMO_SLUG, &s2, "en", &v), 0);
	assert_int_equal(json_integer_value(json_object_get(v, "total")), 0);
	json_decref(v);
	assert_int_equal(lc_conf_reg_list(db, &admin, LC_CONF_EVENT_DEMO_SLUG, &bad, "en", &v),
	                 LC_EINVAL);
	/* The export: a row each, no needs. */
	struct lc_buf b;
	lc_buf_init(&b, 1u << 20);
	assert_int_equal(lc_conf_reg_csv(db, &part, LC_CONF_EVENT_DEMO_SLUG, &b), LC_EPERM);
	assert_int_equal(lc_conf_reg_csv(db, &admin, LC_CONF_EVENT_DEMO_SLUG, &b), 0);
	const char *csv = lc_buf_cstr(&b);
	size_t lines = 0;
	for (const char *p = csv; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 8);
	assert_non_null(strstr(csv, "李伟,Li Wei,li.wei@example.org,zh"));
	assert_null(strstr(csv, "vegetarian"));
	lc_buf_cleanup(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_process_table),
	    cmocka_unit_test_setup_teardown(test_demo, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_create_refused, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_register_duplicate, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_answers, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_moderated, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_ticket_follows, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_confirmation_mail, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_waitlist_clock, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_nothing_after_close, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_organisers_list, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
