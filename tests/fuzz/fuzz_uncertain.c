/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * libFuzzer target for the "uncertain" list of a pipeline spec (outside
 * input: analysts upload specs). Parses the bytes as a spec, reads its
 * uncertain inputs against a small fixed index (8 units, 4 indicators, 2
 * pillars), and for three sample rows derives the run's spec and runs the
 * pipeline, as one run of the analysis would. Must never crash, leak or
 * read out of bounds, whatever the spec.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "engine/matrix.h"
#include "engine/pipeline.h"
#include "engine/spec.h"
#include "engine/tree.h"
#include "engine/uncertainty.h"
#include "base/limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lc_tree tree;
static struct lc_matrix mat;
static int ready;

static void build_index(void)
{
	static const char *const codes[7] = {"i1", "i2", "i3", "i4", "P1", "P2", "Index"};
	static const char *const parents[7] = {"P1", "P1", "P2", "P2", "Index", "Index", NULL};
	static const int levels[7] = {1, 1, 1, 1, 2, 2, 3};
	struct lc_diag d;

	lc_diag_init(&d);
	lc_tree_init(&tree);
	for (int i = 0; i < 7; i++)
		lc_tree_add(&tree, codes[i], NULL, levels[i], i == 2 ? -1 : 1, 1.0, NAN, NULL,
		            parents[i], 0, &d, NULL);
	lc_tree_finish(&tree, NULL, &d);
	lc_matrix_init(&mat);
	lc_matrix_alloc(&mat, 8, tree.n, 0, 0);
	for (size_t u = 0; u < 8; u++) {
		char code[8] = {'U', (char)('A' + u), 0};
		mat.ucodes[u] = lc_xstrdup(code);
		for (size_t i = 0; i < 4; i++)
			mat.x[i * 8 + u] =
			    (u == 5 && i == 1) ? NAN : (double)((u * 7 + i * 3) % 11 + 1);
	}
	lc_diag_cleanup(&d);
	ready = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lc_engine_input in = {.tree = &tree, .data = &mat};
	struct lc_spec spec;
	struct lc_ua ua;
	struct lc_diag d;

	if (!ready)
		build_index();
	lc_spec_init(&spec);
	lc_diag_init(&d);
	memset(&ua, 0, sizeof(ua));
	if (lc_spec_parse(&spec, (const char *)data, size, "fuzz.json", &d) == 0 &&
	    lc_ua_init(&ua, &in, &spec, 1, &d) == 0) {
		struct lc_ua_ws *ws = lc_ua_ws_new(&ua);
		struct lc_pipeline_result r;
		const double rows[3] = {0.0, 0.5, 0.999999};
		double u[LC_LIMIT_UA_INPUTS];
		lc_pipeline_result_init(&r);
		for (int k = 0; k < 3; k++) {
			const struct lc_spec *rs;
			struct lc_pipeline_opts po = {.keep_stages = false};
			for (size_t i = 0; i < ua.d; i++)
				u[i] = rows[k];
			if (lc_ua_apply(&ua, ws, u, &rs, &po.weights) == 0)
				(void)lc_pipeline_run(&in, rs, &po, &r, NULL);
		}
		lc_pipeline_result_cleanup(&r);
		lc_ua_ws_free(ws);
	}
	lc_ua_cleanup(&ua);
	lc_spec_cleanup(&spec);
	lc_diag_cleanup(&d);
	return 0;
}
