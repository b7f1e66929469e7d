/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * E-mail in its reader's language (mail/mail.c): every kind renders in
 * English and in French from the catalogues, with a text and an HTML part;
 * what a user typed is escaped in the HTML and never becomes a link; dates
 * are written as each language writes them; an unknown kind or language is
 * handled.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "mail/mail.h"

#define HOSTILE "O'Brien <script>alert(1)</script> & https://evil.example"

/* Variables that every kind's entries may name. */
static json_t *sample_vars(void)
{
	return json_pack(
	    "{s:s,s:s,s:s,s:s,s:s,s:I,s:b,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "name",
	    HOSTILE, "link", "https://lc.example/invitations?token={{secret}}", "login",
	    "https://lc.example/login", "forgot", "https://lc.example/password/forgot", "city",
	    "Montréal", "id", (json_int_t)12, "existing", 1, "process", "application", "title",
	    "Application #12", "country", "CA", "path", "/applications/12", "year",
	    (json_int_t)2026, "from", "screening", "to", "approved", "state", "screening", "by",
	    "admin@example.org", "reason", HOSTILE, "due_date", "2026-10-01");
}

static void render_ok(const char *kind, const char *lang, const json_t *v, struct lc_mail *m)
{
	int rc = lc_mail_render(kind, lang, v, m);
	if (rc)
		fail_msg("%s in %s: %d", kind, lang, rc);
	assert_true(m->subject[0]);
	assert_null(strpbrk(m->subject, "\r\n"));
	assert_true(strlen(m->subject) <= LC_LIMIT_MAIL_SUBJECT_BYTES);
	assert_true(m->text[0]);
	assert_non_null(strstr(m->html, "<!DOCTYPE html>"));
	/* Nothing is left of the templates, in either part. */
	assert_null(strstr(m->subject, "{{"));
	assert_null(strstr(m->html, "mail_"));
	assert_null(strstr(m->text, "mail_"));
}

static void test_every_kind_in_en_and_fr(void **state)
{
	(void)state;
	json_t *v = sample_vars();
	json_t *extra =
	    json_pack("{s:s,s:s}", "deadline_date", "2026-12-31", "lapse_date", "2027-03-31");
	json_object_update(v, extra);
	json_decref(extra);
	for (size_t k = 0; k < lc_mail_nkinds; k++) {
		struct lc_mail en, fr;
		render_ok(lc_mail_kinds[k], "en", v, &en);
		render_ok(lc_mail_kinds[k], "fr", v, &fr);
		assert_string_equal(en.lang, "en");
		assert_string_equal(fr.lang, "fr");
		/* Two languages, two messages: every kind is translated. */
		if (strcmp(en.subject, fr.subject) == 0 || strcmp(en.text, fr.text) == 0)
			fail_msg("%s is not translated: %s", lc_mail_kinds[k], fr.subject);
		assert_non_null(strstr(en.text, "Hello"));
		assert_non_null(strstr(fr.text, "Bonjour"));
		assert_non_null(strstr(en.html, "<html lang=\"en\" dir=\"ltr\">"));
		assert_non_null(strstr(fr.html, "<html lang=\"fr\" dir=\"ltr\">"));
		/* What a user typed is text in the text part and escaped in the HTML one. */
		assert_null(strstr(en.html, "<script>"));
		assert_null(strstr(fr.html, "<script>"));
		assert_null(strstr(en.html, "href=\"https://evil"));
		lc_mail_cleanup(&en);
		lc_mail_cleanup(&fr);
	}
	json_decref(v);
}

static void test_invitation(void **state)
{
	(void)state;
	json_t *v = sample_vars();
	struct lc_mail en, fr;
	render_ok("invite", "en", v, &en);
	render_ok("invite", "fr", v, &fr);
	assert_string_equal(en.subject, "Your invitation to learncity");
	assert_string_equal(fr.subject, "Votre invitation à learncity");
	assert_non_null(strstr(en.text, "Hello " HOSTILE ",\n\nYou are invited"));
	assert_non_null(strstr(fr.text, "Bonjour " HOSTILE ",\n\nVous êtes invité·e"));
	/* The link, with the outbox's placeholder for the token, on a line of its own. */
	assert_non_null(strstr(en.text, "\n\nhttps://lc.example/invitations?token={{secret}}\n\n"));
	assert_non_null(strstr(fr.html,
	                       "<p><a href=\"https://lc.example/invitations?token={{secret}}\">"
	                       "https://lc.example/invitations?token={{secret}}</a></p>"));
	assert_non_null(strstr(en.html,
	                       "<p>Hello O&#39;Brien &lt;script&gt;alert(1)&lt;/script&gt; "
	                       "&amp; https://evil.example,</p>"));
	lc_mail_cleanup(&en);
	lc_mail_cleanup(&fr);
	json_decref(v);
}

static void test_workflow_dates_and_labels(void **state)
{
	(void)state;
	json_t *v = sample_vars();
	struct lc_mail en, fr;
	render_ok("wf_transition", "en", v, &en);
	render_ok("wf_transition", "fr", v, &fr);
	/* The case's title in the reader's language, the states by their names. */
	assert_string_equal(en.subject, "Application of Montréal (CA): approved");
	assert_string_equal(fr.subject, "Candidature de Montréal (CA) : approuvée");
	assert_non_null(strstr(en.text, "Next deadline: 1 October 2026 (UTC)"));
	assert_non_null(strstr(fr.text, "Prochaine échéance : 1er octobre 2026 (UTC)"));
	assert_non_null(strstr(fr.text, "Motif : " HOSTILE));
	/* Lines of one paragraph are kept apart in the HTML part. */
	assert_non_null(strstr(fr.html, "<br>\nPar : admin@example.org"));
	lc_mail_cleanup(&en);
	lc_mail_cleanup(&fr);
	render_ok("wf_reminder", "fr", v, &fr);
	assert_string_equal(fr.subject,
	                    "Rappel : Candidature de Montréal (CA), échéance le 1er octobre 2026");
	lc_mail_cleanup(&fr);
	json_t *more = json_pack("{s:s,s:s,s:s}", "process", "report", "deadline_date",
	                         "2026-12-15", "lapse_date", "2027-03-31");
	json_object_update(v, more);
	json_decref(more);
	render_ok("report_overdue", "fr", v, &fr);
	assert_string_equal(fr.subject, "Rapport d'étape 2026 de Montréal : en retard");
	assert_non_null(strstr(fr.text, "attendu le 15 décembre 2026"));
	assert_non_null(strstr(fr.text, "expire le 31 mars 2027 (UTC)"));
	lc_mail_cleanup(&fr);
	render_ok("report_overdue", "en", v, &en);
	assert_non_null(strstr(en.text, "lapses on 31 March 2027 (UTC)"));
	lc_mail_cleanup(&en);
	json_decref(v);
}

static void test_fallbacks(void **state)
{
	(void)state;
	json_t *v = json_pack("{s:s}", "link", "https://lc.example/x");
	struct lc_mail m;
	/* A language without a catalogue, or none: English. */
	render_ok("reset", "xx", v, &m);
	assert_string_equal(m.lang, "en");
	assert_string_equal(m.subject, "Reset your learncity password");
	/* No name: the greeting does without. */
	assert_non_null(strstr(m.text, "Hello,\n"));
	lc_mail_cleanup(&m);
	render_ok("reset", NULL, v, &m);
	assert_string_equal(m.lang, "en");
	lc_mail_cleanup(&m);
	render_ok("reset", "FR", v, &m);
	assert_string_equal(m.lang, "fr");
	lc_mail_cleanup(&m);
	assert_int_equal(lc_mail_render("no_such_kind", "en", v, &m), LC_ENOTFOUND);
	assert_null(m.subject);
	assert_int_equal(lc_mail_render(NULL, "en", v, &m), LC_ENOTFOUND);
	json_t *bad = json_string("not an object");
	assert_int_equal(lc_mail_render("reset", "en", bad, &m), LC_EINVAL);
	json_decref(bad);
	json_decref(v);
	/* A subject never spans lines, whatever a variable holds. */
	v = json_pack("{s:s,s:I}", "city", "Line\r\nBcc: x@evil.example", "id", (json_int_t)1);
	render_ok("coordinator_other", "en", v, &m);
	assert_string_equal(m.subject,
	                    "A new coordinator for Line Bcc: x@evil.example on learncity");
	lc_mail_cleanup(&m);
	json_decref(v);
}

static void test_html_from_text(void **state)
{
	(void)state;
	char *h = lc_mail_html_from_text("fr", "Sujet <b>", "Un & deux\ntrois\n\nquatre");
	assert_non_null(h);
	assert_non_null(strstr(h, "<html lang=\"fr\""));
	assert_non_null(strstr(h, "<title>Sujet &lt;b&gt;</title>"));
	assert_non_null(strstr(h, "<p>Un &amp; deux<br>\ntrois</p>"));
	assert_non_null(strstr(h, "<p>quatre</p>"));
	lc_free(h);
}

static void test_templates_compile(void **state)
{
	(void)state;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_mail_check(&d), 0);
	lc_diag_cleanup(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_templates_compile),
	    cmocka_unit_test(test_every_kind_in_en_and_fr),
	    cmocka_unit_test(test_invitation),
	    cmocka_unit_test(test_workflow_dates_and_labels),
	    cmocka_unit_test(test_fallbacks),
	    cmocka_unit_test(test_html_from_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
