/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Fuzz target for formats/award_csv.c: the input is a criteria file, a line
 * "---", then a scores file (without the line, the whole input is the
 * scores file under a fixed criteria file). What loads is ranked with a
 * short bootstrap, so the engine sees every shape the reader lets through.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/diag.h"
#include "engine/award.h"
#include "formats/award_csv.h"
#include "formats/csv.h"

static const char CRITERIA[] = "criterion,weight,independent\nplan,2,0\npartners,1,0\ngnlc,,1\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *crit = CRITERIA, *scores = text;
	size_t crit_len = sizeof CRITERIA - 1, scores_len = size;
	for (size_t i = 0; i + 5 <= size; i++)
		if (memcmp(text + i, "\n---\n", 5) == 0) {
			crit = text;
			crit_len = i + 1;
			scores = text + i + 5;
			scores_len = size - i - 5;
			break;
		}
	struct lc_diag d;
	struct lc_csv c, s;
	struct lc_award_input in;
	lc_diag_init(&d);
	lc_csv_init(&c);
	lc_csv_init(&s);
	lc_award_input_init(&in);
	if (lc_csv_parse(&c, crit, crit_len, "criteria.csv", &d) == 0 &&
	    lc_csv_parse(&s, scores, scores_len, "scores.csv", &d) == 0 &&
	    lc_award_csv_load(&s, &c, &in, &d) == 0) {
		struct lc_award_opts o = {.boot = 20, .seed = 1, .threads = 1};
		struct lc_award_result r;
		(void)lc_award_rank(&in, &o, &r, &d);
		lc_award_result_cleanup(&r);
	}
	lc_award_input_cleanup(&in);
	lc_csv_cleanup(&c);
	lc_csv_cleanup(&s);
	lc_diag_cleanup(&d);
	return 0;
}
