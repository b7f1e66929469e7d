/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The questionnaire of the biennial progress report, as data
 * (data/report-questionnaire.json, embedded): sections of questions, each
 * with an id, a type (text, number, yes_no, choice, statistic), en/fr
 * labels, a required flag, a word limit for text, bounds for numbers and
 * options for choices; "statistic" questions name a monitoring measurement
 * whose value the report shows read-only.
 *
 * This module parses and checks the questionnaire and checks answers
 * against it (types, word limits, required answers). It is pure: no
 * database, no permissions; domain/workflow/progress.h stores the answers.
 */
#ifndef LC_QUESTIONNAIRE_H
#define LC_QUESTIONNAIRE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct lc_diag;

/*
 * Parses and checks a questionnaire text (format "learncity-questionnaire/1"):
 * sections with unique ids and en titles, questions with unique ids
 * ([a-z0-9_], at most 40 bytes), a known type, an en label, max_words > 0
 * for text, options for choice, a measurement for statistic; at most
 * LC_LIMIT_REPORT_QUESTIONS questions. 0 with *out (caller json_decref);
 * LC_EINVAL with the problems in d; LC_ELIMIT.
 */
int lc_questionnaire_parse(const char *text, size_t len, json_t **out, struct lc_diag *d);

/* The embedded questionnaire, parsed: 0 with *out (caller json_decref), LC_EINTERNAL. */
int lc_questionnaire_get(json_t **out);

/* The question of that id (borrowed from q), or NULL. */
const json_t *lc_questionnaire_find(const json_t *q, const char *id);

/* The number of words of UTF-8 text: runs of characters between white space. */
size_t lc_questionnaire_words(const char *s, size_t len);

/*
 * Turns submitted answers (a JSON object: question id -> string, number,
 * boolean or null) into their stored form: an object of strings, trimmed;
 * numbers in shortest decimal form, yes/no for booleans, "" for null or an
 * empty answer (which clears it). Checks each against its question: it
 * exists and is not a statistic, text within its word limit and
 * LC_LIMIT_REPORT_ANSWER_BYTES, numbers within bounds (whole when asked),
 * yes_no and choice among their values. Every problem goes to d with the
 * question id as field and a sentence naming the question. 0 with *out
 * (caller json_decref); LC_EINVAL (nothing in *out).
 */
int lc_questionnaire_normalise(const json_t *q, const json_t *answers, json_t **out,
                               struct lc_diag *d);

/*
 * Checks that stored answers (question id -> string) answer every
 * required question. Problems to d as above. 0 or LC_EINVAL.
 */
int lc_questionnaire_complete(const json_t *q, const json_t *stored, struct lc_diag *d);

#endif
