/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * E-mail rendered in its reader's language. Each kind of message is a few
 * catalogue entries (i18n/<lang>.json, all prefixed "mail_"):
 *
 *   mail_<kind>_subject   the subject, one line
 *   mail_<kind>_body      the body: paragraphs separated by blank lines
 *   mail_title_<process>  (optional) a workflow case's title, replacing "title"
 * (mail.c lists every kind and process with its keys written out: a new kind
 * is a row there and its catalogue entries)
 *
 * each a Mustache template (text/template.h) over the message's variables,
 * rendered as plain text (nothing escaped). The shared entries mail_greeting
 * ("Hello{{#name}} {{name}}{{/name}},"), mail_footer, mail_date and
 * mail_month_1..12 frame every message. The text part and the HTML part are
 * then laid out by templates/mail/message.txt.mustache and
 * message.html.mustache; the HTML layout escapes every paragraph, and only a
 * paragraph that is exactly the variable "link" becomes a hyperlink, so
 * nothing a user typed (a name, a reason) ever becomes one.
 *
 * Variables: strings, numbers and booleans. Two conventions: a variable
 * whose name ends in "_date" holding "YYYY-MM-DD" is shown as the reader's
 * language writes dates (mail_date over day, first, month and year: "1
 * October 2026", "1er octobre 2026"); and with a
 * "process" variable, "from", "to" and "state" (workflow state codes) gain
 * "from_label", "to_label" and "state_label" from the catalogue entries
 * <process>_state_<code> or wf_state_<code>, else the code.
 *
 * Adding a language is adding a catalogue and its row in
 * i18n/languages.json (base/catalogue.h): no code. The templates are
 * compiled once, on first use, and then shared read-only by every thread.
 */
#ifndef LC_MAIL_H
#define LC_MAIL_H

#include <jansson.h>
#include <stddef.h>

struct lc_diag;

/* A rendered message. Strings owned (lc_free); lc_mail_cleanup frees them. */
struct lc_mail {
	char lang[9]; /* the language it is written in: the one asked for if supported, else "en" */
	char *subject; /* one line, at most LC_LIMIT_MAIL_SUBJECT_BYTES (cut at a character) */
	char *text;    /* UTF-8, LF line ends, at most LC_LIMIT_MAIL_BODY_BYTES */
	char *html;    /* a whole HTML document, at most LC_LIMIT_MAIL_HTML_BYTES */
};

/* Every kind of message the product sends (for the tests that render each). */
extern const char *const lc_mail_kinds[];
extern const size_t lc_mail_nkinds;

/*
 * Renders message kind in lang (NULL or unsupported: English) with vars
 * (an object, borrowed). 0 with *out filled; LC_ENOTFOUND (no such kind),
 * LC_ELIMIT (a part over its limit), LC_EINTERNAL (the embedded catalogues
 * or layouts do not compile: lc_mail_check says why). *out is zeroed first
 * and holds nothing on error.
 */
int lc_mail_render(const char *kind, const char *lang, const json_t *vars, struct lc_mail *out);
void lc_mail_cleanup(struct lc_mail *m);

/*
 * The HTML part for a message stored without one (queued before messages
 * had one): its text escaped in the same layout, lang's direction. Caller
 * frees; NULL when over LC_LIMIT_MAIL_HTML_BYTES.
 */
char *lc_mail_html_from_text(const char *lang, const char *subject, const char *text);

/*
 * Compiles the embedded catalogues' mail entries and layouts afresh,
 * putting every problem into d: 0 or LC_EINVAL. `serve` checks this at
 * start and the unit tests too, so a bad translation is found before mail
 * is due.
 */
int lc_mail_check(struct lc_diag *d);

#endif
