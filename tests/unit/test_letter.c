/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/conference/letter.c: a visa invitation letter requested,
 * refused without a reason, issued by the secretariat, its PDF read back by
 * pdftotext, its public check showing what it says with the passport masked;
 * a certificate of attendance only after a check-in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "accounts_fixture.h"
#include "base/buf.h"
#include "domain/conference/checkin.h"
#include "domain/conference/event.h"
#include "domain/conference/letter.h"
#include "domain/conference/ticket.h"
#include "formats/letter_pdf.h"

static int64_t demo_conf(struct lc_db *db)
{
	struct lc_conf_event e;
	assert_int_equal(lc_conf_event_load(db, LC_CONF_EVENT_DEMO_SLUG, &e), 0);
	int64_t id = e.id;
	lc_conf_event_cleanup(&e);
	return id;
}

/* The text of a PDF, by pdftotext (poppler-utils). Caller frees. */
static char *pdf_text(const struct lc_buf *pdf)
{
	char path[] = "/tmp/lc-letter-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pdf->data, pdf->len), (ssize_t)pdf->len);
	close(fd);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s -", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t cap = 1 << 16, n = 0;
	char *out = calloc(cap, 1);
	size_t got;
	while ((got = fread(out + n, 1, cap - 1 - n, p)) > 0)
		n += got;
	assert_int_equal(pclose(p), 0);
	unlink(path);
	return out;
}

static const struct lc_letter_person amina = {
    .name = "Amina Haddad",
    .organisation = "Jubail Industrial City",
    .nationality = "SA",
    .passport_number = "K12345678",
    .passport_expiry = "2031-05-01",
    .birth_date = "1980-02-29",
    .language = "en",
};

static void test_invitation(void **state)
{
	struct lc_db *db = *state;
	int64_t conf = demo_conf(db);
	struct lc_actor part, admin;
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	struct lc_diag d;
	lc_diag_init(&d);

	/* Bad fields: every one named, nothing written. */
	long long before = fx_count(db, "SELECT count(*) FROM letters");
	struct lc_letter_person bad = amina;
	bad.passport_number = "k-1";
	bad.nationality = "XX";
	bad.passport_expiry = "2020-01-01";
	bad.birth_date = "1980-13-01";
	int64_t id = 0;
	assert_int_equal(lc_letter_request(db, &part, conf, 77, &bad, &id, &d), LC_EINVAL);
	assert_true(lc_diag_has(&d, "err_letter_passport"));
	assert_true(lc_diag_has(&d, "err_letter_nationality"));
	assert_true(lc_diag_has(&d, "err_letter_expiry"));
	assert_true(lc_diag_has(&d, "err_letter_date"));
	assert_int_equal(fx_count(db, "SELECT count(*) FROM letters"), before);
	lc_diag_cleanup(&d);
	lc_diag_init(&d);

	assert_int_equal(lc_letter_request(db, &part, conf, 77, &amina, &id, &d), 0);
	struct lc_buf pdf;
	lc_buf_init(&pdf, 8u << 20);
	assert_int_equal(lc_letter_pdf_write(db, id, "https://example.org", &pdf), LC_ECONFLICT);
	/* Only the secretariat decides; a refusal needs a reason. */
	assert_int_equal(lc_letter_decide(db, &part, id, true, NULL, &d), LC_EPERM);
	assert_int_equal(lc_letter_decide(db, &admin, id, false, "", &d), LC_EINVAL);
	assert_int_equal(lc_letter_decide(db, &admin, id, true, NULL, &d), 0);
	assert_int_equal(lc_letter_decide(db, &admin, id, true, NULL, &d), LC_ECONFLICT);

	assert_int_equal(lc_letter_pdf_write(db, id, "https://example.org", &pdf), 0);
	char *text = pdf_text(&pdf);
	assert_non_null(strstr(text, "Letter of invitation"));
	assert_non_null(strstr(text, "Amina Haddad"));
	assert_non_null(strstr(text, "K12345678"));
	assert_non_null(strstr(text, "Demonstration conference on learning cities"));
	assert_non_null(strstr(text, "https://example.org/"));
	char *at = strstr(text, "Verification code ");
	assert_non_null(at);
	char code[21];
	memcpy(code, at + strlen("Verification code "), 20);
	code[20] = '\0';
	free(text);

	json_t *v = NULL;
	assert_int_equal(lc_letter_verify(db, code, "en", &v), 0);
	assert_string_equal(json_string_value(json_object_get(v, "kind")), "invitation");
	assert_string_equal(json_string_value(json_object_get(v, "name")), "Amina Haddad");
	assert_string_equal(json_string_value(json_object_get(v, "passport")), "*****5678");
	assert_null(json_object_get(v, "birth_date"));
	assert_null(json_object_get(v, "passport_expiry"));
	json_decref(v);
	v = NULL;
	code[0] = code[0] == 'A' ? 'B' : 'A';
	assert_int_equal(lc_letter_verify(db, code, "en", &v), LC_ENOTFOUND);
	assert_int_equal(lc_letter_verify(db, "short", "en", &v), LC_ENOTFOUND);
	assert_null(v);
	lc_buf_cleanup(&pdf);
	lc_diag_cleanup(&d);
}

static void test_certificate(void **state)
{
	struct lc_db *db = *state;
	int64_t conf = demo_conf(db);
	struct lc_actor part, admin;
	assert_int_equal(fx_actor(db, DEMO_PART, &part), 0);
	assert_int_equal(fx_actor(db, DEMO_ADMIN, &admin), 0);
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_letter_person p = {
	    .name = "Ирина Петрова", .organisation = "Moscow City University", .language = "fr"};
	int64_t id = 0, again = 0;
	assert_int_equal(lc_letter_certificate(db, &part, conf, 88, &p, &id, &d), LC_ECONFLICT);
	assert_true(lc_diag_has(&d, "err_letter_not_checked_in"));
	assert_int_equal(fx_count(db, "SELECT count(*) FROM letters WHERE kind = 'certificate'"),
	                 0);

	char ticket[LC_TICKET_CHARS + 1];
	assert_int_equal(lc_ticket_current(db, conf, 88, ticket), 0);
	json_t *scans = json_pack("[{s:s, s:s, s:s, s:I}]", "ticket", ticket, "device", "door-1",
	                          "nonce", "letter-test-nonce-1", "scanned_at", (json_int_t)T0);
	json_t *out = NULL;
	assert_int_equal(lc_checkin_record(db, &admin, conf, scans, &out, &d), 0);
	json_decref(out);
	json_decref(scans);
	assert_int_equal(lc_letter_certificate(db, &part, conf, 88, &p, &id, &d), 0);
	assert_int_equal(lc_letter_certificate(db, &part, conf, 88, &p, &again, &d), 0);
	assert_int_equal(id, again);
	struct lc_buf pdf;
	lc_buf_init(&pdf, 8u << 20);
	assert_int_equal(lc_letter_pdf_write(db, id, "https://example.org", &pdf), 0);
	char *text = pdf_text(&pdf);
	assert_non_null(strstr(text, "Attestation de présence"));
	assert_non_null(strstr(text, "Ирина Петрова"));
	free(text);
	lc_buf_cleanup(&pdf);
	lc_diag_cleanup(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_invitation),
	    cmocka_unit_test(test_certificate),
	};
	int rc = cmocka_run_group_tests(tests, fx_setup, fx_teardown);
	lc_pdf_fonts_release();
	return rc;
}
