/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Fuzz target for formats/csv.c and formats/coinr.c: the input is parsed as
 * CSV; when it holds a line "---", the part before is read as iMeta and
 * the part after as iData, loaded, and the ASEM recipe run over them.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/diag.h"
#include "engine/matrix.h"
#include "engine/pipeline.h"
#include "engine/spec.h"
#include "engine/tree.h"
#include "formats/coinr.h"
#include "formats/csv.h"

static const char RECIPE[] =
    "{\"steps\": [{\"op\": \"denominate\"}, {\"op\": \"impute\", \"method\": \"group_median\", "
    "\"group\": \"G\"}, {\"op\": \"screen\", \"min_fraction\": 0.5}, {\"op\": \"treat\"}, "
    "{\"op\": \"normalise\"}, {\"op\": \"aggregate\"}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_csv c;
	lc_csv_init(&c);
	if (lc_csv_parse(&c, text, size, "fuzz.csv", &d) == 0) {
		for (size_t r = 0; r < c.n_rows; r++)
			for (size_t j = 0; j < c.n_cols; j++) {
				double v;
				(void)lc_csv_number(lc_csv_cell(&c, r, j), &v);
			}
	}
	lc_csv_cleanup(&c);

	const char *sep = NULL;
	for (size_t i = 0; i + 5 <= size && !sep; i++)
		if (memcmp(text + i, "\n---\n", 5) == 0)
			sep = text + i;
	if (sep) {
		struct lc_csv im, id;
		lc_csv_init(&im);
		lc_csv_init(&id);
		size_t a = (size_t)(sep - text) + 1;
		if (lc_csv_parse(&im, text, a, "iMeta", &d) == 0 &&
		    lc_csv_parse(&id, sep + 5, size - a - 4, "iData", &d) == 0) {
			struct lc_tree t;
			struct lc_matrix m;
			lc_tree_init(&t);
			lc_matrix_init(&m);
			if (lc_coinr_load(&id, &im, &t, &m, &d) == 0) {
				struct lc_spec s;
				lc_spec_init(&s);
				if (lc_spec_parse(&s, RECIPE, sizeof RECIPE - 1, NULL, NULL) == 0) {
					struct lc_engine_input in = {&t, &m};
					struct lc_pipeline_opts o = {true, NULL};
					struct lc_pipeline_result r;
					lc_pipeline_result_init(&r);
					(void)lc_pipeline_run(&in, &s, &o, &r, &d);
					lc_pipeline_result_cleanup(&r);
				}
				lc_spec_cleanup(&s);
			}
			lc_matrix_cleanup(&m);
			lc_tree_cleanup(&t);
		}
		lc_csv_cleanup(&im);
		lc_csv_cleanup(&id);
	}
	lc_diag_cleanup(&d);
	return 0;
}
