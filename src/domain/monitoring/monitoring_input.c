/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The engine's input from approved monitoring data (monitoring_input.h):
 * the tree from the measurement catalogue, the matrix from the current
 * values of every city whose year is approved.
 */
#include "domain/monitoring/monitoring_input.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/monitoring/year_review.h"
#include "domain/monitoring/observation.h"

static bool used_code(const struct lc_obs_catalog *cat, const char *code, bool part)
{
	for (size_t i = 0; i < cat->nm; i++)
		if (cat->m[i].type != LC_OBS_TEXT &&
		    strcmp(part ? cat->m[i].part : cat->m[i].area, code) == 0)
			return true;
	return false;
}

int lc_monitoring_input_approved(struct lc_db *db, long year, struct lc_tree *tree,
                                 struct lc_matrix *m, struct lc_diag *d)
{
	struct lc_obs_catalog cat;
	int err = lc_db_begin_read(db);
	if (err)
		return err;
	err = lc_obs_catalog_load(db, &cat);
	if (err)
		goto out;
	/*
	 * Tree order: measurements (code order), then areas, then parts, then the
	 * index: COINr's iMeta lists indicators first. Areas and parts come from
	 * the measurements themselves, so one without any is left out.
	 */
	for (size_t i = 0; i < cat.nm && !err; i++) {
		const struct lc_obs_measure *x = &cat.m[i];
		if (x->type == LC_OBS_TEXT)
			continue;
		err = lc_tree_add(tree, x->code, x->label, 1, x->direction < 0 ? -1 : 1, 1.0, NAN,
		                  NULL, x->area, 0, d, NULL);
	}
	for (size_t i = 0; i < cat.nm && !err; i++) {
		const struct lc_obs_measure *x = &cat.m[i];
		if (x->type != LC_OBS_TEXT && lc_tree_find(tree, x->area) < 0)
			err = lc_tree_add(tree, x->area, NULL, 2, 1, 1.0, NAN, NULL, x->part, 0, d,
			                  NULL);
	}
	for (size_t i = 0; i < cat.nm && !err; i++) {
		const struct lc_obs_measure *x = &cat.m[i];
		if (x->type != LC_OBS_TEXT && lc_tree_find(tree, x->part) < 0 &&
		    used_code(&cat, x->part, true))
			err = lc_tree_add(tree, x->part, NULL, 3, 1, 1.0, NAN, NULL, "index", 0, d,
			                  NULL);
	}
	if (!err && tree->n > 0)
		err = lc_tree_add(tree, "index", "Learning city index", 4, 1, 1.0, NAN, NULL, NULL,
		                  0, d, NULL);
	if (!err)
		err = lc_tree_finish(tree, NULL, d);
	if (err)
		goto out;

	/* The units: every city whose year is approved, in slug order. */
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT c.id, c.slug, json_extract(c.name, '$.en')"
	                                  " FROM " LC_YEAR_REVIEW_APPROVED_SQL " r"
	                                  " JOIN cities c ON c.id = r.city_id WHERE r.year = ?1"
	                                  " ORDER BY c.slug");
	if (!st) {
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, year);
	size_t n = 0, cap = 0;
	int64_t *ids = NULL;
	char **slugs = NULL, **names = NULL;
	int rc = 0;
	while (lc_db_next(db, st, &rc)) {
		if (n == LC_LIMIT_ENGINE_UNITS) {
			rc = LC_ELIMIT;
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			ids = lc_xreallocarray(ids, cap, sizeof *ids);
			slugs = lc_xreallocarray(slugs, cap, sizeof *slugs);
			names = lc_xreallocarray(names, cap, sizeof *names);
		}
		ids[n] = sqlite3_column_int64(st, 0);
		slugs[n] = lc_xstrdup(lc_db_text(st, 1));
		const char *nm = lc_db_text(st, 2);
		names[n] = nm ? lc_xstrdup(nm) : NULL;
		n++;
	}
	lc_db_release(db, st);
	if (rc == 0 && n * tree->n > LC_LIMIT_ENGINE_CELLS)
		rc = LC_ELIMIT;
	if (rc < 0) {
		for (size_t i = 0; i < n; i++) {
			lc_free(slugs[i]);
			lc_free(names[i]);
		}
		lc_free(ids);
		lc_free(slugs);
		lc_free(names);
		err = rc;
		goto out;
	}
	lc_matrix_alloc(m, n, tree->n, 0, 0);
	for (size_t i = 0; i < n; i++) {
		m->ucodes[i] = slugs[i];
		m->unames[i] = names[i];
	}
	lc_free(slugs);
	lc_free(names);

	st = lc_db_stmt(
	    db, "SELECT o.city_id, fm.code, o.value_num FROM " LC_YEAR_REVIEW_APPROVED_SQL " r"
	        " JOIN observations o ON o.city_id = r.city_id AND o.year = r.year"
	        " AND o.is_current = 1"
	        " JOIN framework_measurements fm ON fm.id = o.measurement_id"
	        " WHERE r.year = ?1 AND o.value_num IS NOT NULL ORDER BY o.city_id");
	if (!st) {
		lc_free(ids);
		err = LC_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, year);
	size_t unit = 0;
	while (lc_db_next(db, st, &rc)) {
		int64_t cid = sqlite3_column_int64(st, 0);
		/* ids are in slug order, rows in id order: find the unit (cached for runs). */
		if (unit >= n || ids[unit] != cid) {
			unit = n;
			for (size_t i = 0; i < n; i++)
				if (ids[i] == cid)
					unit = i;
		}
		long col = unit < n ? lc_tree_find(tree, lc_db_text(st, 1)) : -1;
		if (col >= 0)
			m->x[(size_t)col * n + unit] = sqlite3_column_double(st, 2);
	}
	lc_db_release(db, st);
	lc_free(ids);
	if (rc < 0)
		err = rc;
out:
	lc_obs_catalog_cleanup(&cat);
	if (!err)
		err = lc_db_commit(db);
	if (err)
		lc_db_rollback(db);
	return err;
}
