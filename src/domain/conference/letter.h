/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Letters for a conference's registrations (migration 0018, table letters):
 * visa invitation letters, requested with passport details, reviewed and
 * issued (or refused with a reason) by the secretariat; certificates of
 * attendance, issued at once but only to a person checked in (checkin.h).
 * An issued letter is a PDF (formats/letter_pdf.h) in the person's language
 * with a verification code anyone can check (lc_letter_verify): the check
 * shows what the letter says and nothing more, the passport number masked.
 *
 * It does not know registrations: the registration side checks that the
 * person asking owns the registration, and passes what the letter prints.
 */
#ifndef LC_CONFERENCE_LETTER_H
#define LC_CONFERENCE_LETTER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct lc_actor;
struct lc_buf;
struct lc_db;
struct lc_diag;

/* What a letter prints about the person. Borrowed UTF-8; NULL or "" where optional. */
struct lc_letter_person {
	const char *name;            /* required, as in the passport */
	const char *organisation;    /* optional */
	const char *nationality;     /* invitation: ISO alpha-2 country code */
	const char *passport_number; /* invitation: 5..20 of A-Z and 0-9 */
	const char *passport_expiry; /* invitation: YYYY-MM-DD, after the conference ends */
	const char *birth_date;      /* invitation: YYYY-MM-DD */
	const char *language; /* the letter's language ("en", "fr", ...); English if unknown */
};

/*
 * A request for a visa invitation letter, in state "requested", by any
 * account (the registration side decides who may ask for which
 * registration). Every problem with its field in d before anything is
 * written; audit "letter.request". *id gets the letter. 0, LC_EINVAL,
 * LC_EAUTH, LC_ENOTFOUND (no conference), LC_EDB.
 */
int lc_letter_request(struct lc_db *db, const struct lc_actor *actor, int64_t conference_id,
                      int64_t registration_id, const struct lc_letter_person *p, int64_t *id,
                      struct lc_diag *d);

/*
 * The secretariat's decision on a requested letter (LC_ACT_ISSUE_LETTERS):
 * issue (a verification code is drawn) or refuse with a reason (required).
 * Audit "letter.issue" / "letter.refuse". 0, LC_EINVAL (no reason),
 * LC_ECONFLICT (decided already), LC_ENOTFOUND, LC_EPERM/LC_EAUTH, LC_EDB.
 */
int lc_letter_decide(struct lc_db *db, const struct lc_actor *actor, int64_t id, bool issue,
                     const char *reason, struct lc_diag *d);

/*
 * The registration's certificate of attendance, issued the first time it is
 * asked for (the same letter afterwards), only when the registration was
 * checked in: else LC_ECONFLICT with err_letter_not_checked_in in d. Any
 * account, as lc_letter_request. 0, LC_EINVAL, LC_EAUTH, LC_EDB.
 */
int lc_letter_certificate(struct lc_db *db, const struct lc_actor *actor, int64_t conference_id,
                          int64_t registration_id, const struct lc_letter_person *p, int64_t *id,
                          struct lc_diag *d);

/*
 * The issued letter as PDF appended to out, verification address under
 * base_url ("https://host"). LC_ENOTFOUND (none), LC_ECONFLICT (not issued),
 * LC_EDB, the PDF's errors. The caller checks who may read it.
 */
int lc_letter_pdf_write(struct lc_db *db, int64_t id, const char *base_url, struct lc_buf *out);

/*
 * The public check of a code: {"code", "kind": "invitation" | "certificate",
 * "name", "organisation" | null, "nationality" | null, "passport": "*****1234" | null,
 * "conference": {"slug", "title", "start_date", "end_date"}, "issued_on": "YYYY-MM-DD"}.
 * LC_ENOTFOUND for a code that is not an issued letter's (or cannot be one).
 */
int lc_letter_verify(struct lc_db *db, const char *code, const char *lang, json_t **out);

#endif
