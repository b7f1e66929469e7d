/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Fuzz target for engine/spec.c: parses the input as a pipeline spec; a
 * spec that parses is copied, has each of its "uncertain" paths applied
 * with their first value, and runs over a small fixed data set.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "engine/matrix.h"
#include "engine/pipeline.h"
#include "engine/spec.h"
#include "engine/tree.h"

static void build(struct lc_tree *t, struct lc_matrix *m)
{
	lc_tree_init(t);
	lc_tree_add(t, "a", NULL, 1, 1, 1, 5, "D", "A", 0, NULL, NULL);
	lc_tree_add(t, "b", NULL, 1, -1, 2, NAN, NULL, "A", 0, NULL, NULL);
	lc_tree_add(t, "c", NULL, 1, 1, 1, 3, NULL, "B", 0, NULL, NULL);
	lc_tree_add(t, "A", NULL, 2, 1, 1, NAN, NULL, "I", 0, NULL, NULL);
	lc_tree_add(t, "B", NULL, 2, 1, 1, NAN, NULL, "I", 0, NULL, NULL);
	lc_tree_add(t, "I", NULL, 3, 1, 1, NAN, NULL, NULL, 0, NULL, NULL);
	lc_tree_finish(t, NULL, NULL);
	const size_t n = 7;
	lc_matrix_init(m);
	lc_matrix_alloc(m, n, 6, 1, 1);
	const double va[] = {1, 2, NAN, 4, 100, 0, 3}, vb[] = {5, 0, 1, NAN, 2, 2, 9},
	             vc[] = {0.5, 0.25, 3, 3, 1, 8, NAN}, den[] = {1, 2, 0, 4, NAN, 1, 1};
	m->group_levels[0] = lc_xcalloc(2, sizeof(char *));
	m->group_levels[0][0] = lc_xstrdup("x");
	m->group_levels[0][1] = lc_xstrdup("y");
	m->n_group_levels[0] = 2;
	m->group_names[0] = lc_xstrdup("G");
	m->denom_names[0] = lc_xstrdup("D");
	for (size_t i = 0; i < n; i++) {
		char code[8];
		snprintf(code, sizeof code, "U%zu", i);
		m->ucodes[i] = lc_xstrdup(code);
		m->x[i] = va[i];
		m->x[n + i] = vb[i];
		m->x[2 * n + i] = vc[i];
		m->denoms[i] = den[i];
		m->groups[i] = (int)(i % 3) - 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lc_diag d;
	lc_diag_init(&d);
	struct lc_spec s, c;
	lc_spec_init(&s);
	if (lc_spec_parse(&s, (const char *)data, size, "fuzz.json", &d) == 0) {
		lc_spec_copy(&c, &s);
		size_t k;
		json_t *u;
		if (c.uncertain)
			json_array_foreach(c.uncertain, k, u)
			{
				const char *path = json_string_value(json_object_get(u, "path"));
				json_t *vals = json_object_get(u, "values");
				struct lc_spec_path p;
				if (!path || lc_spec_path_parse(path, &p, &d) != 0)
					continue;
				if (json_is_array(vals) && json_array_size(vals) > 0)
					(void)lc_spec_apply(&c, &p, json_array_get(vals, 0), &d);
				json_t *uni = json_object_get(u, "uniform");
				if (json_is_array(uni) && json_is_number(json_array_get(uni, 0)))
					(void)lc_spec_set_number(
					    &c, &p, json_number_value(json_array_get(uni, 0)), &d);
			}
		struct lc_tree t;
		struct lc_matrix m;
		build(&t, &m);
		struct lc_engine_input in = {&t, &m};
		struct lc_pipeline_opts o = {true, NULL};
		struct lc_pipeline_result r;
		lc_pipeline_result_init(&r);
		(void)lc_pipeline_run(&in, &s, &o, &r, &d);
		(void)lc_pipeline_run(&in, &c, NULL, &r, NULL);
		lc_pipeline_result_cleanup(&r);
		lc_matrix_cleanup(&m);
		lc_tree_cleanup(&t);
		lc_spec_cleanup(&c);
	}
	lc_spec_cleanup(&s);
	lc_diag_cleanup(&d);
	return 0;
}
