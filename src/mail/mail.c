/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * E-mail in its reader's language (mail.h). One set of templates holds, for
 * every language, each catalogue entry whose key starts with "mail_"
 * (named "<lang>/<key>"), and the two layouts; it is compiled once and
 * never changes, so threads render from it without locking.
 */
#include "mail/mail.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/embedded.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/slice.h"
#include "base/utf8.h"
#include "base/catalogue.h"
#include "text/template.h"

const char *const lc_mail_kinds[] = {
    "invite",            /* an administrator's invitation: name, link */
    "reset",             /* a password reset link: name, link */
    "signup",            /* the confirmation of a sign-up: name, link */
    "signup_taken",      /* someone signed up with an address that has an account: name, login,
                            forgot */
    "coordinator_own",   /* an approved applicant became coordinator: city, id, existing */
    "coordinator_other", /* a city's other coordinators hear of the new one: city, id */
    "wf_transition",     /* a workflow step: the case (see workflow.c), from, to, by, reason,
                            due_date, path */
    "wf_reminder",       /* a workflow deadline ahead: the case, state, due_date, path */
    "report_overdue",    /* a progress report is overdue: the case, deadline_date, lapse_date,
                            path */
    "digest",            /* the weekly list of what waits on a person: name, count, items (each a
                            case with its state), more, has_more, path */
    "programme_changed", /* a conference programme's release changed sessions one speaks in or
                            starred: conference, version, moved, cancelled, renamed, path */
    /* A conference registration's own messages: name, conference, category, start_date,
       end_date, venue, path; offered adds offer_until_date, offer_until_time, timezone;
       rejected adds reason. */
    "conf_reg_confirmed", "conf_reg_waitlisted", "conf_reg_offered", "conf_reg_rejected",
    "conf_reg_reminder", "award_result", /* an award round's published result: year, path, natcom; a
                                            city's coordinator: city, awarded; a Commission:
                                            country, cities (each a name and awarded) */
};
const size_t lc_mail_nkinds = sizeof lc_mail_kinds / sizeof *lc_mail_kinds;

static const char layout_txt[] = "templates/mail/message.txt.mustache";
static const char layout_html[] = "templates/mail/message.html.mustache";

struct mailset {
	struct lc_catalogue *i18n;
	struct lc_tpl_set *tpl;
};

static int build(struct mailset *ms, struct lc_diag *d)
{
	memset(ms, 0, sizeof *ms);
	int err = lc_catalogue_new_embedded(&ms->i18n, d);
	if (err)
		return err;
	size_t cap = 2, n = 0;
	for (size_t k = 0; k < lc_catalogue_count(ms->i18n); k++)
		cap += json_object_size(
		    lc_catalogue_strings(ms->i18n, lc_catalogue_lang(ms->i18n, k)));
	struct lc_tpl_source *src = lc_xcalloc(cap, sizeof *src);
	char **names = lc_xcalloc(cap, sizeof *names);
	static const char *const layouts[][2] = {{"layout/txt", layout_txt},
	                                         {"layout/html", layout_html}};
	for (size_t k = 0; k < 2; k++) {
		const struct lc_embedded_file *f = lc_embedded_find(layouts[k][1]);
		if (!f) {
			if (d)
				lc_diag_add(d, layouts[k][1], 0, 0, NULL, "missing");
			err = LC_EINVAL;
			continue;
		}
		src[n++] = (struct lc_tpl_source){layouts[k][0], (const char *)f->data, f->len};
	}
	for (size_t k = 0; k < lc_catalogue_count(ms->i18n); k++) {
		const char *lang = lc_catalogue_lang(ms->i18n, k);
		const char *key;
		json_t *v;
		json_object_foreach((json_t *)lc_catalogue_strings(ms->i18n, lang), key, v)
		{
			if (strncmp(key, "mail_", 5) != 0)
				continue;
			size_t len = strlen(lang) + strlen(key) + 2;
			names[n] = lc_xmalloc(len);
			snprintf(names[n], len, "%s/%s", lang, key);
			src[n] = (struct lc_tpl_source){names[n], json_string_value(v),
			                                json_string_length(v)};
			n++;
		}
	}
	if (!err)
		err = lc_tpl_set_new(src, n, &ms->tpl, d);
	for (size_t k = 0; k < n; k++)
		lc_free(names[k]);
	lc_free(names);
	lc_free(src);
	if (err) {
		lc_catalogue_free(ms->i18n);
		memset(ms, 0, sizeof *ms);
	}
	return err;
}

static struct mailset shared;
static int shared_err;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static void load_shared(void)
{
	struct lc_diag d;
	lc_diag_init(&d);
	shared_err = build(&shared, &d);
	if (shared_err) {
		struct lc_buf b;
		lc_buf_init(&b, 1 << 16);
		lc_diag_format(&d, &b);
		lc_log_error("mail: the e-mail templates do not compile: %s", lc_buf_cstr(&b));
		lc_buf_cleanup(&b);
	}
	lc_diag_cleanup(&d);
}

int lc_mail_check(struct lc_diag *d)
{
	struct mailset ms;
	int err = build(&ms, d);
	if (!err) {
		lc_tpl_set_free(ms.tpl);
		lc_catalogue_free(ms.i18n);
	}
	return err ? LC_EINVAL : 0;
}

/* Renders "<lang>/<key>" as text into out (reset first). */
static int render_key(const struct mailset *ms, const char *lang, const char *key,
                      const json_t *vars, struct lc_buf *out)
{
	char name[128];
	if (snprintf(name, sizeof name, "%s/%s", lang, key) >= (int)sizeof name)
		return LC_ENOTFOUND;
	lc_buf_reset(out);
	return lc_tpl_render_text(ms->tpl, name, vars, NULL, out, NULL);
}

static bool has_key(const struct mailset *ms, const char *lang, const char *key)
{
	char name[128];
	return snprintf(name, sizeof name, "%s/%s", lang, key) < (int)sizeof name &&
	       lc_tpl_exists(ms->tpl, name);
}

static bool iso_day(const char *s, int *y, int *m, int *d)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	return *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31;
}

/* Each kind of message and its two catalogue keys, written out so that a tool can list them. */
static const struct {
	const char *kind, *subject, *body;
} kinds[] = {
    {"conf_reg_confirmed", "mail_conf_reg_confirmed_subject", "mail_conf_reg_confirmed_body"},
    {"conf_reg_offered", "mail_conf_reg_offered_subject", "mail_conf_reg_offered_body"},
    {"conf_reg_rejected", "mail_conf_reg_rejected_subject", "mail_conf_reg_rejected_body"},
    {"conf_reg_reminder", "mail_conf_reg_reminder_subject", "mail_conf_reg_reminder_body"},
    {"conf_reg_waitlisted", "mail_conf_reg_waitlisted_subject", "mail_conf_reg_waitlisted_body"},
    {"coordinator_other", "mail_coordinator_other_subject", "mail_coordinator_other_body"},
    {"coordinator_own", "mail_coordinator_own_subject", "mail_coordinator_own_body"},
    {"digest", "mail_digest_subject", "mail_digest_body"},
    {"invite", "mail_invite_subject", "mail_invite_body"},
    {"programme_changed", "mail_programme_changed_subject", "mail_programme_changed_body"},
    {"report_overdue", "mail_report_overdue_subject", "mail_report_overdue_body"},
    {"reset", "mail_reset_subject", "mail_reset_body"},
    {"signup", "mail_signup_subject", "mail_signup_body"},
    {"signup_taken", "mail_signup_taken_subject", "mail_signup_taken_body"},
    {"wf_reminder", "mail_wf_reminder_subject", "mail_wf_reminder_body"},
    {"wf_transition", "mail_wf_transition_subject", "mail_wf_transition_body"},
    {"award_result", "mail_award_result_subject", "mail_award_result_body"},
};

static const char *const month_keys[12] = {
    "mail_month_1", "mail_month_2",  "mail_month_3",  "mail_month_4",
    "mail_month_5", "mail_month_6",  "mail_month_7",  "mail_month_8",
    "mail_month_9", "mail_month_10", "mail_month_11", "mail_month_12",
};

/* A workflow case's title per process (optional in a catalogue). */
static const struct {
	const char *process, *key;
} title_keys[] = {
    {"application", "mail_title_application"},
    {"conference_registration", "mail_title_conference_registration"},
    {"membership", "mail_title_membership"},
    {"nomination", "mail_title_nomination"},
    {"report", "mail_title_report"},
};

/*
 * A workflow state's label: the process's own first (an application's
 * "submitted" waits for the National Commission), then the shared one
 * (process NULL). Literal keys, so that the catalogue check sees them used.
 */
static const struct {
	const char *process, *state, *key;
} state_keys[] = {
    {"application", "draft", "application_state_draft"},
    {"application", "submitted", "application_state_submitted"},
    {"application", "escalated", "application_state_escalated"},
    {"application", "screening", "application_state_screening"},
    {"application", "info_requested", "application_state_info_requested"},
    {"application", "jury_review", "application_state_jury_review"},
    {"application", "recommended", "application_state_recommended"},
    {"application", "not_recommended", "application_state_not_recommended"},
    {"application", "approved", "application_state_approved"},
    {"application", "rejected", "application_state_rejected"},
    {"application", "declined", "application_state_declined"},
    {"application", "withdrawn", "application_state_withdrawn"},
    {"nomination", "draft", "nomination_state_draft"},
    {"nomination", "submitted", "nomination_state_submitted"},
    {"nomination", "nominated", "nomination_state_nominated"},
    {"nomination", "screening", "nomination_state_screening"},
    {"nomination", "returned", "nomination_state_returned"},
    {"nomination", "complete", "nomination_state_complete"},
    {"nomination", "declined", "nomination_state_declined"},
    {"nomination", "withdrawn", "nomination_state_withdrawn"},
    {"nomination", "expired", "nomination_state_expired"},
    {"nomination", "ineligible", "nomination_state_ineligible"},
    {"nomination", "rejected", "nomination_state_rejected"},
    {"conference_registration", "pending", "conf_state_pending"},
    {"conference_registration", "approved", "conf_state_approved"},
    {"conference_registration", "waitlisted", "conf_state_waitlisted"},
    {"conference_registration", "offered", "conf_state_offered"},
    {"conference_registration", "rejected", "conf_state_rejected"},
    {"conference_registration", "withdrawn", "conf_state_withdrawn"},
    {"conference_registration", "cancelled", "conf_state_cancelled"},
    {"conference_registration", "expired", "conf_state_expired"},
    {"session_signup", "signed_up", "signup_state_signed_up"},
    {"session_signup", "waitlisted", "signup_state_waitlisted"},
    {"session_signup", "offered", "signup_state_offered"},
    {"session_signup", "withdrawn", "signup_state_withdrawn"},
    {"session_signup", "expired", "signup_state_expired"},
    {NULL, "draft", "wf_state_draft"},
    {NULL, "submitted", "wf_state_submitted"},
    {NULL, "returned", "wf_state_returned"},
    {NULL, "overdue", "wf_state_overdue"},
    {NULL, "accepted", "wf_state_accepted"},
    {NULL, "lapsed", "wf_state_lapsed"},
    {NULL, "member", "wf_state_member"},
    {NULL, "suspended", "wf_state_suspended"},
    {NULL, "withdrawn", "wf_state_withdrawn"},
};

/* The catalogue key of state in process, or NULL. */
static const char *state_key(const char *process, const char *state)
{
	const char *common = NULL;
	for (size_t i = 0; i < sizeof state_keys / sizeof *state_keys; i++) {
		if (strcmp(state_keys[i].state, state) != 0)
			continue;
		if (state_keys[i].process && strcmp(state_keys[i].process, process) == 0)
			return state_keys[i].key;
		if (!state_keys[i].process)
			common = state_keys[i].key;
	}
	return common;
}

/* The derived variables of mail.h: dates in the reader's way, state labels, the case title;
 * also for each object of a list variable (a digest's cases), one level down. */
static void derive(const struct mailset *ms, const char *lang, json_t *v, struct lc_buf *tmp,
                   int depth)
{
	const char *key;
	json_t *val;
	void *iter;
	json_object_foreach_safe(v, iter, key, val)
	{
		if (json_is_array(val) && depth == 0) {
			size_t i;
			json_t *e;
			json_array_foreach(val, i, e) if (json_is_object(e))
			    derive(ms, lang, e, tmp, 1);
			continue;
		}
		size_t kl = strlen(key);
		int y, m, d;
		if (kl < 5 || strcmp(key + kl - 5, "_date") != 0 ||
		    !iso_day(json_string_value(val), &y, &m, &d))
			continue;
		/* "first": the first of the month, which some languages write apart (1er). */
		json_t *parts =
		    json_pack("{s:i,s:b,s:s,s:i}", "day", d, "first", d == 1, "month",
		              lc_catalogue_get(ms->i18n, lang, month_keys[m - 1]), "year", y);
		if (render_key(ms, lang, "mail_date", parts, tmp) == 0 && !lc_buf_error(tmp))
			json_object_set_new(v, key, json_string(lc_buf_cstr(tmp)));
		json_decref(parts);
	}
	const char *process = json_string_value(json_object_get(v, "process"));
	if (!process)
		return;
	const json_t *cat = lc_catalogue_strings(ms->i18n, lang);
	static const char *const codes[] = {"from", "to", "state"};
	for (size_t k = 0; k < 3; k++) {
		const char *code = json_string_value(json_object_get(v, codes[k]));
		if (!code)
			continue;
		char label[32];
		const char *sk = state_key(process, code);
		const char *s = sk ? json_string_value(json_object_get(cat, sk)) : NULL;
		snprintf(label, sizeof label, "%s_label", codes[k]);
		json_object_set_new(v, label, json_string(s ? s : code));
	}
	const char *title = NULL;
	for (size_t k = 0; k < sizeof title_keys / sizeof title_keys[0]; k++)
		if (strcmp(title_keys[k].process, process) == 0)
			title = title_keys[k].key;
	if (title && has_key(ms, lang, title) && render_key(ms, lang, title, v, tmp) == 0 &&
	    !lc_buf_error(tmp))
		json_object_set_new(v, "title", json_string(lc_buf_cstr(tmp)));
}

/* One line: runs of white space (line ends included) become one space; cut at max bytes. */
static char *one_line(const char *s, size_t max)
{
	struct lc_buf b;
	lc_buf_init(&b, max + 4);
	bool space = false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = b.len > 0;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			continue;
		if (space)
			lc_buf_putc(&b, ' ');
		space = false;
		lc_buf_putc(&b, (char)c);
		if (b.len >= max)
			break;
	}
	char *out = lc_buf_steal(&b, NULL);
	if (!out)
		return lc_xstrdup("");
	size_t n = strlen(out);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)out[n] & 0xC0) == 0x80)
			n--;
		out[n] = '\0';
	}
	return out;
}

/*
 * The body's paragraphs (split at blank lines, trimmed) as the layouts read
 * them: {"text", "lines": [{"l", "br"}]} or, for the one that is exactly
 * link, {"text", "link"}.
 */
static json_t *paragraphs(const char *body, const char *link)
{
	json_t *paras = json_array();
	struct lc_slice rest = lc_slice_cstr(body);
	while (rest.len) {
		/* The next blank line (only spaces or tabs between two line ends). */
		size_t end = rest.len, next = rest.len;
		for (size_t i = 0; i < rest.len; i++) {
			if (rest.ptr[i] != '\n')
				continue;
			size_t j = i + 1;
			while (j < rest.len && (rest.ptr[j] == ' ' || rest.ptr[j] == '\t'))
				j++;
			if (j < rest.len && rest.ptr[j] == '\n') {
				end = i;
				next = j + 1;
				break;
			}
		}
		struct lc_slice p = lc_slice_trim((struct lc_slice){rest.ptr, end});
		rest = (struct lc_slice){rest.ptr + next, rest.len - next};
		if (!p.len)
			continue;
		json_t *o = json_object();
		json_object_set_new(o, "text", json_stringn(p.ptr, p.len));
		if (link && link[0] && lc_slice_eq(p, link)) {
			json_object_set_new(o, "link", json_string(link));
		} else {
			json_t *lines = json_array();
			struct lc_slice line, q = p;
			bool first = true;
			while (q.len) {
				q = lc_slice_cut(q, '\n', &line);
				json_array_append_new(lines, json_pack("{s:s%,s:b}", "l", line.ptr,
				                                       line.len, "br", !first));
				first = false;
			}
			json_object_set_new(o, "lines", lines);
		}
		json_array_append_new(paras, o);
	}
	return paras;
}

/* Lays out the parts: ctx's subject, greeting, paras and footer. */
static int lay_out(const struct mailset *ms, const char *lang, json_t *ctx, struct lc_mail *out)
{
	json_object_set_new(ctx, "lang", json_string(lang));
	json_object_set_new(ctx, "dir", json_string(lc_catalogue_dir(ms->i18n, lang)));
	struct lc_buf text, html;
	lc_buf_init(&text, LC_LIMIT_MAIL_BODY_BYTES);
	lc_buf_init(&html, LC_LIMIT_MAIL_HTML_BYTES);
	int err = lc_tpl_render_text(ms->tpl, "layout/txt", ctx, NULL, &text, NULL);
	if (!err)
		err = lc_tpl_render(ms->tpl, "layout/html", ctx, NULL, &html, NULL);
	if (!err && (lc_buf_error(&text) || lc_buf_error(&html)))
		err = LC_ELIMIT;
	if (!err) {
		out->text = lc_buf_steal(&text, NULL);
		out->html = lc_buf_steal(&html, NULL);
	}
	lc_buf_cleanup(&text);
	lc_buf_cleanup(&html);
	return err;
}

int lc_mail_render(const char *kind, const char *lang, const json_t *vars, struct lc_mail *out)
{
	memset(out, 0, sizeof *out);
	pthread_once(&shared_once, load_shared);
	if (shared_err)
		return LC_EINTERNAL;
	const struct mailset *ms = &shared;
	const char *l = lang ? lc_catalogue_supported(ms->i18n, lc_slice_cstr(lang)) : NULL;
	if (!l)
		l = "en";
	const char *subject_key = NULL, *body_key = NULL;
	for (size_t k = 0; kind && k < sizeof kinds / sizeof kinds[0]; k++)
		if (strcmp(kinds[k].kind, kind) == 0) {
			subject_key = kinds[k].subject;
			body_key = kinds[k].body;
		}
	if (!subject_key || !has_key(ms, l, subject_key) || !has_key(ms, l, body_key))
		return LC_ENOTFOUND;
	if (vars && !json_is_object(vars))
		return LC_EINVAL;
	json_t *v = vars ? json_deep_copy(vars) : json_object();
	struct lc_buf tmp;
	lc_buf_init(&tmp, LC_LIMIT_MAIL_BODY_BYTES);
	derive(ms, l, v, &tmp, 0);
	json_t *ctx = json_object();
	int err = render_key(ms, l, subject_key, v, &tmp);
	if (!err) {
		out->subject = one_line(lc_buf_cstr(&tmp), LC_LIMIT_MAIL_SUBJECT_BYTES);
		json_object_set_new(ctx, "subject", json_string(out->subject));
		err = render_key(ms, l, "mail_greeting", v, &tmp);
	}
	if (!err) {
		json_object_set_new(ctx, "greeting", json_string(lc_buf_cstr(&tmp)));
		err = render_key(ms, l, "mail_footer", v, &tmp);
	}
	if (!err) {
		json_object_set_new(ctx, "footer", json_string(lc_buf_cstr(&tmp)));
		err = render_key(ms, l, body_key, v, &tmp);
	}
	if (!err && lc_buf_error(&tmp))
		err = LC_ELIMIT;
	if (!err) {
		json_object_set_new(
		    ctx, "paras",
		    paragraphs(lc_buf_cstr(&tmp), json_string_value(json_object_get(v, "link"))));
		err = lay_out(ms, l, ctx, out);
	}
	snprintf(out->lang, sizeof out->lang, "%s", l);
	json_decref(ctx);
	json_decref(v);
	lc_buf_cleanup(&tmp);
	if (err)
		lc_mail_cleanup(out);
	return err;
}

char *lc_mail_html_from_text(const char *lang, const char *subject, const char *text)
{
	pthread_once(&shared_once, load_shared);
	if (shared_err)
		return NULL;
	const struct mailset *ms = &shared;
	const char *l = lang ? lc_catalogue_supported(ms->i18n, lc_slice_cstr(lang)) : NULL;
	if (!l)
		l = "en";
	json_t *ctx = json_pack("{s:s,s:s,s:s,s:o}", "subject", subject ? subject : "", "greeting",
	                        "", "footer", "", "paras", paragraphs(text ? text : "", NULL));
	struct lc_mail m = {0};
	char *html = NULL;
	if (ctx && lay_out(ms, l, ctx, &m) == 0) {
		html = m.html;
		m.html = NULL;
	}
	lc_mail_cleanup(&m);
	json_decref(ctx);
	return html;
}

void lc_mail_cleanup(struct lc_mail *m)
{
	if (!m)
		return;
	lc_free(m->subject);
	lc_free(m->text);
	lc_free(m->html);
	m->subject = m->text = m->html = NULL;
}
