/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Fuzz target for the progress report's outside input: the same bytes as a
 * body of answers (PUT /api/v1/reports/{id}: JSON checked against the
 * embedded questionnaire by lc_questionnaire_normalise), as a questionnaire
 * file (lc_questionnaire_parse), and as text whose words are counted. Any
 * input must be accepted or refused with problems, never crash or leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/diag.h"
#include "base/log.h"
#include "domain/workflow/questionnaire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_t *quest;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!quest) {
		lc_log_set_level(LC_LOG_ERROR);
		if (lc_questionnaire_get(&quest) != 0)
			abort();
	}
	const char *text = (const char *)data;
	struct lc_diag d;
	lc_diag_init(&d);
	json_t *body = json_loadb(text, size, JSON_REJECT_DUPLICATES, NULL);
	json_t *out = NULL;
	if (body) {
		const json_t *answers = json_object_get(body, "answers");
		int rc = lc_questionnaire_normalise(quest, answers ? answers : body, &out, &d);
		/* Accepted answers are strings, each a question of the questionnaire. */
		const char *k;
		json_t *v;
		json_object_foreach(out, k, v)
		{
			if (!json_is_string(v) || !lc_questionnaire_find(quest, k))
				abort();
		}
		if (rc == 0 && !out)
			abort();
		if (out)
			lc_questionnaire_complete(quest, out, &d);
	}
	json_decref(out);
	json_decref(body);
	json_t *q = NULL;
	lc_questionnaire_parse(text, size, &q, &d);
	json_decref(q);
	(void)lc_questionnaire_words(text, size);
	lc_diag_cleanup(&d);
	return 0;
}
