/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Letters for a conference's registrations (letter.h). */
#include "domain/conference/letter.h"

#include <string.h>

#include <sodium.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/catalogue.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/conference/checkin.h"
#include "domain/conference/event.h"
#include "domain/platform/audit.h"
#include "domain/platform/clock.h"
#include "domain/platform/secret.h"
#include "domain/platform/text.h"
#include "formats/letter_pdf.h"

#define CODE_CHARS 20

static bool filled(const char *s)
{
	return s && *s;
}

static bool iso_day(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !(s[i] >= '0' && s[i] <= '9'))
			return false;
	int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static bool text_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	return n <= max && lc_utf8_valid(s ? s : "", n);
}

/* Validates what the letter prints; invitation letters need the passport fields. */
static int check_person(struct lc_db *db, const struct lc_letter_person *p, bool invitation,
                        const char *conf_end, struct lc_diag *d)
{
	int rc = 0;
	if (!filled(p->name) || !text_ok(p->name, LC_LIMIT_LETTER_FIELD_BYTES)) {
		lc_diag_add(d, NULL, 0, 0, "name", "err_letter_name");
		rc = LC_EINVAL;
	}
	if (!text_ok(p->organisation, LC_LIMIT_LETTER_FIELD_BYTES)) {
		lc_diag_addf(d, NULL, 0, 0, "organisation", "err_letter_long",
		             LC_ARG_I("limit", LC_LIMIT_LETTER_FIELD_BYTES));
		rc = LC_EINVAL;
	}
	if (!invitation)
		return rc;
	const char *nat = p->nationality;
	bool nat_ok = nat && strlen(nat) == 2;
	if (nat_ok) {
		sqlite3_stmt *st = lc_db_stmt(db, "SELECT 1 FROM countries WHERE alpha2 = ?1");
		if (!st)
			return LC_EDB;
		lc_db_bind_text(st, 1, nat);
		int s = lc_db_step(db, st);
		lc_db_release(db, st);
		if (s < 0)
			return s;
		nat_ok = s == 1;
	}
	if (!nat_ok) {
		lc_diag_add(d, NULL, 0, 0, "nationality", "err_letter_nationality");
		rc = LC_EINVAL;
	}
	const char *pn = p->passport_number;
	size_t n = pn ? strlen(pn) : 0;
	bool pn_ok = n >= 5 && n <= 20;
	for (size_t i = 0; pn_ok && i < n; i++)
		pn_ok = (pn[i] >= 'A' && pn[i] <= 'Z') || (pn[i] >= '0' && pn[i] <= '9');
	if (!pn_ok) {
		lc_diag_add(d, NULL, 0, 0, "passport_number", "err_letter_passport");
		rc = LC_EINVAL;
	}
	if (!iso_day(p->birth_date)) {
		lc_diag_add(d, NULL, 0, 0, "birth_date", "err_letter_date");
		rc = LC_EINVAL;
	}
	if (!iso_day(p->passport_expiry)) {
		lc_diag_add(d, NULL, 0, 0, "passport_expiry", "err_letter_date");
		rc = LC_EINVAL;
	} else if (strcmp(p->passport_expiry, conf_end) <= 0) {
		lc_diag_addf(d, NULL, 0, 0, "passport_expiry", "err_letter_expiry",
		             LC_ARG_S("date", conf_end));
		rc = LC_EINVAL;
	}
	return rc;
}

static json_t *details(const struct lc_letter_person *p)
{
	json_t *o = json_pack("{s:s}", "name", p->name);
	const char *keys[] = {"organisation",    "nationality", "passport_number",
	                      "passport_expiry", "birth_date",  "language"};
	const char *vals[] = {p->organisation,    p->nationality, p->passport_number,
	                      p->passport_expiry, p->birth_date,  p->language};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (filled(vals[i]))
			json_object_set_new(o, keys[i], json_string(vals[i]));
	return o;
}

/* A fresh verification code: 20 characters of RFC 4648 base32 (100 bits). */
static void new_code(char out[CODE_CHARS + 1])
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	lc_secret_init();
	uint8_t r[CODE_CHARS];
	randombytes_buf(r, sizeof r);
	for (size_t i = 0; i < CODE_CHARS; i++)
		out[i] = alphabet[r[i] & 31];
	out[CODE_CHARS] = '\0';
}

/* The conference's end date, for the passport's expiry; LC_ENOTFOUND when none. */
static int conf_end(struct lc_db *db, int64_t conf, char out[11])
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT end_date FROM conference_events WHERE id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, conf);
	int rc = lc_db_step(db, st);
	if (rc == 1)
		snprintf(out, 11, "%s", lc_db_text(st, 0));
	lc_db_release(db, st);
	return rc < 0 ? rc : rc == 0 ? LC_ENOTFOUND : 0;
}

static int insert(struct lc_db *db, const struct lc_actor *actor, int64_t conf, int64_t reg,
                  const char *kind, const struct lc_letter_person *p, int64_t *id)
{
	bool cert = strcmp(kind, "certificate") == 0;
	char code[CODE_CHARS + 1];
	new_code(code);
	json_t *det = details(p);
	char *text = json_dumps(det, JSON_COMPACT | JSON_SORT_KEYS);
	sqlite3_stmt *st = lc_db_stmt(
	    db, "INSERT INTO letters (conference_id, registration_id, kind, state, details,"
	        " code, requested_at, decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	int rc = LC_EDB;
	if (st) {
		int64_t now = lc_clock_now();
		sqlite3_bind_int64(st, 1, conf);
		sqlite3_bind_int64(st, 2, reg);
		lc_db_bind_text(st, 3, kind);
		lc_db_bind_text(st, 4, cert ? "issued" : "requested");
		lc_db_bind_text(st, 5, text);
		lc_db_bind_text(st, 6, cert ? code : NULL);
		sqlite3_bind_int64(st, 7, now);
		if (cert)
			sqlite3_bind_int64(st, 8, now);
		rc = lc_db_step(db, st);
		lc_db_release(db, st);
	}
	json_decref(det);
	lc_free(text);
	if (rc < 0)
		return rc;
	*id = lc_db_last_id(db);
	/* The audit keeps who asked for what, never passport details. */
	json_t *after = json_pack("{s:s, s:I, s:I}", "kind", kind, "conference_id",
	                          (json_int_t)conf, "registration_id", (json_int_t)reg);
	rc = lc_audit_append_id(db, actor, cert ? "letter.certificate" : "letter.request", "letter",
	                        *id, NULL, after, NULL);
	json_decref(after);
	return rc;
}

int lc_letter_request(struct lc_db *db, const struct lc_actor *actor, int64_t conference_id,
                      int64_t registration_id, const struct lc_letter_person *p, int64_t *id,
                      struct lc_diag *d)
{
	int rc = lc_authz_check(actor, LC_ACT_VIEW_OWN_ACCOUNT, NULL);
	if (rc)
		return rc;
	if (registration_id < 1)
		return LC_EINVAL;
	char end[11];
	rc = conf_end(db, conference_id, end);
	if (!rc)
		rc = check_person(db, p, true, end, d);
	if (rc)
		return rc;
	rc = lc_db_begin(db);
	if (rc)
		return rc;
	rc = insert(db, actor, conference_id, registration_id, "invitation", p, id);
	if (!rc)
		rc = lc_db_commit(db);
	if (rc)
		lc_db_rollback(db);
	return rc;
}

int lc_letter_decide(struct lc_db *db, const struct lc_actor *actor, int64_t id, bool issue,
                     const char *reason, struct lc_diag *d)
{
	int rc = lc_authz_check(actor, LC_ACT_ISSUE_LETTERS, NULL);
	if (rc)
		return rc;
	if (!issue && (!filled(reason) || !text_ok(reason, LC_LIMIT_LETTER_FIELD_BYTES * 10))) {
		lc_diag_add(d, NULL, 0, 0, "reason", "err_letter_reason");
		return LC_EINVAL;
	}
	rc = lc_db_begin(db);
	if (rc)
		return rc;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT state FROM letters WHERE id = ?1");
	if (!st) {
		rc = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	rc = lc_db_step(db, st);
	bool requested = rc == 1 && strcmp(lc_db_text(st, 0), "requested") == 0;
	lc_db_release(db, st);
	if (rc <= 0) {
		rc = rc < 0 ? rc : LC_ENOTFOUND;
		goto out;
	}
	if (!requested) {
		lc_diag_add(d, NULL, 0, 0, NULL, "err_letter_decided");
		rc = LC_ECONFLICT;
		goto out;
	}
	char code[CODE_CHARS + 1];
	new_code(code);
	st = lc_db_stmt(db, "UPDATE letters SET state = ?2, code = ?3, reason = ?4, decided_at = ?5"
	                    " WHERE id = ?1");
	if (!st) {
		rc = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	lc_db_bind_text(st, 2, issue ? "issued" : "refused");
	lc_db_bind_text(st, 3, issue ? code : NULL);
	lc_db_bind_text(st, 4, issue ? NULL : reason);
	sqlite3_bind_int64(st, 5, lc_clock_now());
	rc = lc_db_step(db, st);
	lc_db_release(db, st);
	if (rc < 0)
		goto out;
	rc = lc_audit_append_id(db, actor, issue ? "letter.issue" : "letter.refuse", "letter", id,
	                        NULL, NULL, issue ? NULL : reason);
	if (!rc)
		rc = lc_db_commit(db);
out:
	if (rc)
		lc_db_rollback(db);
	return rc;
}

int lc_letter_certificate(struct lc_db *db, const struct lc_actor *actor, int64_t conference_id,
                          int64_t registration_id, const struct lc_letter_person *p, int64_t *id,
                          struct lc_diag *d)
{
	int rc = lc_authz_check(actor, LC_ACT_VIEW_OWN_ACCOUNT, NULL);
	if (rc)
		return rc;
	rc = check_person(db, p, false, "", d);
	if (rc)
		return rc;
	int64_t first = 0;
	rc = lc_checkin_first(db, conference_id, registration_id, &first);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		lc_diag_add(d, NULL, 0, 0, NULL, "err_letter_not_checked_in");
		return LC_ECONFLICT;
	}
	rc = lc_db_begin(db);
	if (rc)
		return rc;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id FROM letters WHERE conference_id = ?1"
	                                  " AND registration_id = ?2 AND kind = 'certificate'");
	if (!st) {
		rc = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, conference_id);
	sqlite3_bind_int64(st, 2, registration_id);
	rc = lc_db_step(db, st);
	if (rc == 1)
		*id = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	if (rc == 0)
		rc = insert(db, actor, conference_id, registration_id, "certificate", p, id);
	else if (rc == 1)
		rc = 0;
	if (!rc)
		rc = lc_db_commit(db);
out:
	if (rc)
		lc_db_rollback(db);
	return rc;
}

/* The catalogue's text of key in lang with {name} placeholders filled from vars. */
static void say(const char *lang, const char *key, const json_t *vars, struct lc_buf *out)
{
	const json_t *strings = lc_catalogue_strings(lc_catalogue_shared(), lang);
	const char *t = json_string_value(json_object_get(strings, key));
	if (!t)
		t = json_string_value(
		    json_object_get(lc_catalogue_strings(lc_catalogue_shared(), "en"), key));
	if (!t)
		t = key;
	for (const char *s = t; *s;) {
		const char *close = *s == '{' ? strchr(s, '}') : NULL;
		if (close && close - s < 40) {
			char name[40];
			memcpy(name, s + 1, (size_t)(close - s - 1));
			name[close - s - 1] = '\0';
			const char *v = json_string_value(json_object_get(vars, name));
			if (v) {
				lc_buf_puts(out, v);
				s = close + 1;
				continue;
			}
		}
		lc_buf_putc(out, *s++);
	}
}

int lc_letter_pdf_write(struct lc_db *db, int64_t id, const char *base_url, struct lc_buf *out)
{
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT l.kind, l.state, l.details, l.code, l.decided_at,"
	                                  " e.slug FROM letters l JOIN conference_events e"
	                                  " ON e.id = l.conference_id WHERE l.id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = lc_db_step(db, st);
	char kind[16] = "", state[16] = "", code[CODE_CHARS + 1] = "",
	     slug[LC_LIMIT_CONF_SLUG + 1] = "";
	json_t *det = NULL;
	int64_t decided = 0;
	if (rc == 1) {
		snprintf(kind, sizeof kind, "%s", lc_db_text(st, 0));
		snprintf(state, sizeof state, "%s", lc_db_text(st, 1));
		det = json_loads(lc_db_text(st, 2), 0, NULL);
		snprintf(code, sizeof code, "%s", lc_db_text(st, 3) ? lc_db_text(st, 3) : "");
		decided = sqlite3_column_int64(st, 4);
		snprintf(slug, sizeof slug, "%s", lc_db_text(st, 5));
	}
	lc_db_release(db, st);
	if (rc <= 0)
		return rc < 0 ? rc : LC_ENOTFOUND;
	if (strcmp(state, "issued") != 0 || !det) {
		json_decref(det);
		return LC_ECONFLICT;
	}
	struct lc_conf_event e;
	rc = lc_conf_event_load(db, slug, &e);
	if (rc) {
		json_decref(det);
		return rc;
	}
	const char *lang = lc_text_lang(json_string_value(json_object_get(det, "language")));
	json_t *ev = lc_conf_event_json(&e, lang);
	char issued[11];
	lc_clock_date(decided, issued);
	struct lc_buf url;
	lc_buf_init(&url, 1024);
	lc_buf_printf(&url, "%s/letters/verify/%s", base_url ? base_url : "", code);
	const char *org = json_string_value(json_object_get(det, "organisation"));
	json_t *vars = json_pack(
	    "{s:O, s:s, s:O, s:O, s:O, s:s, s:s, s:s}", "name", json_object_get(det, "name"),
	    "organisation", org ? org : "", "conference", json_object_get(ev, "title"), "start",
	    json_object_get(ev, "start_date"), "end", json_object_get(ev, "end_date"), "venue",
	    json_string_value(json_object_get(json_object_get(ev, "venue"), "name"))
	        ? json_string_value(json_object_get(json_object_get(ev, "venue"), "name"))
	        : "",
	    "code", code, "url", lc_buf_cstr(&url));
	json_object_set_new(vars, "date", json_string(issued));
	for (const char *k = "nationality"; k;
	     k = strcmp(k, "nationality") == 0 ? "passport" : NULL) {
		const char *src = strcmp(k, "passport") == 0 ? "passport_number" : k;
		const json_t *v = json_object_get(det, src);
		json_object_set_new(vars, k,
		                    json_string(json_is_string(v) ? json_string_value(v) : ""));
	}
	bool cert = strcmp(kind, "certificate") == 0;
	struct lc_buf b[6];
	for (int i = 0; i < 6; i++)
		lc_buf_init(&b[i], 8192);
	say(lang, cert ? "letter_certificate_heading" : "letter_invitation_heading", vars, &b[0]);
	say(lang, "letter_date_line", vars, &b[1]);
	say(lang, cert ? "letter_certificate_body" : "letter_invitation_body", vars, &b[2]);
	say(lang, cert ? "letter_certificate_closing" : "letter_invitation_closing", vars, &b[3]);
	say(lang, "letter_signature", vars, &b[4]);
	say(lang, "letter_verify_line", vars, &b[5]);
	const char *paras[] = {lc_buf_cstr(&b[2]), lc_buf_cstr(&b[3])};
	struct lc_letter_text t = {.heading = lc_buf_cstr(&b[0]),
	                           .date_line = lc_buf_cstr(&b[1]),
	                           .paragraphs = paras,
	                           .n_paragraphs = 2,
	                           .signature = lc_buf_cstr(&b[4]),
	                           .verify_line = lc_buf_cstr(&b[5]),
	                           .language = lang};
	rc = lc_letter_pdf(&t, out);
	for (int i = 0; i < 6; i++)
		lc_buf_cleanup(&b[i]);
	lc_buf_cleanup(&url);
	json_decref(vars);
	json_decref(ev);
	json_decref(det);
	lc_conf_event_cleanup(&e);
	return rc;
}

int lc_letter_verify(struct lc_db *db, const char *code, const char *lang, json_t **out)
{
	*out = NULL;
	if (!code || strlen(code) != CODE_CHARS)
		return LC_ENOTFOUND;
	for (size_t i = 0; i < CODE_CHARS; i++)
		if (!((code[i] >= 'A' && code[i] <= 'Z') || (code[i] >= '2' && code[i] <= '7')))
			return LC_ENOTFOUND;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT l.kind, l.details, l.decided_at, e.slug"
	                                  " FROM letters l JOIN conference_events e"
	                                  " ON e.id = l.conference_id"
	                                  " WHERE l.code = ?1 AND l.state = 'issued'");
	if (!st)
		return LC_EDB;
	lc_db_bind_text(st, 1, code);
	int rc = lc_db_step(db, st);
	char kind[16] = "", slug[LC_LIMIT_CONF_SLUG + 1] = "";
	json_t *det = NULL;
	int64_t decided = 0;
	if (rc == 1) {
		snprintf(kind, sizeof kind, "%s", lc_db_text(st, 0));
		det = json_loads(lc_db_text(st, 1), 0, NULL);
		decided = sqlite3_column_int64(st, 2);
		snprintf(slug, sizeof slug, "%s", lc_db_text(st, 3));
	}
	lc_db_release(db, st);
	if (rc <= 0 || !det) {
		json_decref(det);
		return rc < 0 ? rc : LC_ENOTFOUND;
	}
	struct lc_conf_event e;
	rc = lc_conf_event_load(db, slug, &e);
	if (rc) {
		json_decref(det);
		return rc;
	}
	json_t *ev = lc_conf_event_json(&e, lang);
	lc_conf_event_cleanup(&e);
	/* The passport number masked but for its last four characters. */
	json_t *passport = json_null();
	const char *pn = json_string_value(json_object_get(det, "passport_number"));
	if (pn) {
		char masked[32];
		size_t n = strlen(pn), keep = n > 4 ? 4 : n;
		memset(masked, '*', n - keep);
		memcpy(masked + n - keep, pn + n - keep, keep);
		masked[n] = '\0';
		passport = json_string(masked);
	}
	char issued[11];
	lc_clock_date(decided, issued);
	const json_t *org = json_object_get(det, "organisation");
	const json_t *nat = json_object_get(det, "nationality");
	*out = json_pack(
	    "{s:s, s:s, s:O, s:o, s:o, s:o, s:o, s:s}", "code", code, "kind", kind, "name",
	    json_object_get(det, "name"), "organisation",
	    org ? json_incref((json_t *)org) : json_null(), "nationality",
	    nat ? json_incref((json_t *)nat) : json_null(), "passport", passport, "conference",
	    json_pack("{s:O, s:O, s:O, s:O}", "slug", json_object_get(ev, "slug"), "title",
	              json_object_get(ev, "title"), "start_date", json_object_get(ev, "start_date"),
	              "end_date", json_object_get(ev, "end_date")),
	    "issued_on", issued);
	json_decref(ev);
	json_decref(det);
	return 0;
}
