/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The golden comparer: checks an output CSV of `learncity index run`
 * against a reference (COINr's, or an expected file of a case).
 *
 *   compare matrix REF OURS [TOL]   numbers by row key (first column) and column
 *                                   name, relative tolerance TOL (default 1e-9);
 *                                   empty and NA are missing and must match
 *   compare ranks REF OURS SCORES   ranks exactly, except where SCORES (the
 *                                   reference scores as printed) tie and ours give
 *                                   the tie group's best rank (see README.md)
 *   compare text REF OURS           cells as strings, by row key and column name
 *   compare treat REF OURS          COINr's treat details against treatment.csv
 *
 * Every reference row and column must exist in ours. Prints each mismatch
 * (at most 20) and exits 1 when there is one, 2 on bad usage or files.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/slice.h"
#include "formats/csv.h"

static int mismatches;

static void report(const char *fmt, const char *a, const char *b, const char *c, const char *d)
{
	if (++mismatches <= 20)
		fprintf(stderr, fmt, a, b, c, d);
}

static long find_row(const struct lc_csv *t, const char *key)
{
	for (size_t r = 1; r < t->n_rows; r++)
		if (strcmp(lc_csv_cstr(t, r, 0), key) == 0)
			return (long)r;
	return -1;
}

static int load(struct lc_csv *t, const char *path)
{
	struct lc_diag d;
	lc_diag_init(&d);
	lc_csv_init(t);
	int rc = lc_csv_read_file(t, path, &d);
	for (size_t i = 0; i < d.count; i++)
		fprintf(stderr, "%s:%ld:%ld: %s\n", path, d.items[i].line, d.items[i].column,
		        d.items[i].message);
	lc_diag_cleanup(&d);
	return rc;
}

static bool same_number(const char *a, const char *b, double tol)
{
	double x, y;
	if (lc_csv_number(lc_slice_cstr(a), &x) != 0 || lc_csv_number(lc_slice_cstr(b), &y) != 0)
		return strcmp(a, b) == 0;
	if (isnan(x) || isnan(y))
		return isnan(x) && isnan(y);
	return fabs(x - y) <= tol * fmax(1.0, fabs(x));
}

/* Calls cmp on every reference cell with our cell; mismatch when it returns false. */
static int each_cell(const struct lc_csv *ref, const struct lc_csv *ours,
                     bool (*cmp)(const char *, const char *, long, long, void *), void *arg)
{
	for (size_t c = 1; c < ref->n_cols; c++) {
		const char *name = lc_csv_cstr(ref, 0, c);
		long oc = lc_csv_find_col(ours, name);
		if (oc < 0) {
			report("column %s%s%s%s missing\n", name, "", "", "");
			continue;
		}
		for (size_t r = 1; r < ref->n_rows; r++) {
			const char *key = lc_csv_cstr(ref, r, 0);
			long orow = find_row(ours, key);
			if (orow < 0) {
				if (c == 1)
					report("row %s%s%s%s missing\n", key, "", "", "");
				continue;
			}
			const char *a = lc_csv_cstr(ref, r, c);
			const char *b = lc_csv_cstr(ours, (size_t)orow, (size_t)oc);
			if (!cmp(a, b, (long)r, (long)c, arg))
				report("%s/%s: reference '%s', ours '%s'\n", key, name, a, b);
		}
	}
	return mismatches;
}

static bool cmp_number(const char *a, const char *b, long r, long c, void *arg)
{
	(void)r;
	(void)c;
	return same_number(a, b, *(double *)arg);
}

static bool cmp_text(const char *a, const char *b, long r, long c, void *arg)
{
	(void)r;
	(void)c;
	(void)arg;
	return strcmp(a, b) == 0 ||
	       (lc_csv_is_na(lc_slice_cstr(a)) && lc_csv_is_na(lc_slice_cstr(b)));
}

struct rank_ctx {
	const struct lc_csv *ref, *scores;
	int tie_notes;
};

/*
 * A reference rank may differ from ours only where the reference scores,
 * as printed (15 digits), tie: R broke the tie with digits the CSV lost,
 * and our rank is then the group's best reference rank.
 */
static bool cmp_rank(const char *a, const char *b, long r, long c, void *arg)
{
	struct rank_ctx *k = arg;
	if (cmp_text(a, b, r, c, NULL))
		return true;
	const char *key = lc_csv_cstr(k->ref, (size_t)r, 0);
	const char *col = lc_csv_cstr(k->ref, 0, (size_t)c);
	long sr = find_row(k->scores, key), sc = lc_csv_find_col(k->scores, col);
	if (sr < 0 || sc < 0)
		return false;
	const char *mine = lc_csv_cstr(k->scores, (size_t)sr, (size_t)sc);
	double best = INFINITY;
	size_t group = 0;
	for (size_t rr = 1; rr < k->scores->n_rows; rr++) {
		if (strcmp(lc_csv_cstr(k->scores, rr, (size_t)sc), mine) != 0)
			continue;
		long rk = find_row(k->ref, lc_csv_cstr(k->scores, rr, 0));
		if (rk < 0)
			continue;
		double v = strtod(lc_csv_cstr(k->ref, (size_t)rk, (size_t)c), NULL);
		best = fmin(best, v);
		group++;
	}
	if (group > 1 && strtod(b, NULL) == best) {
		k->tie_notes++;
		fprintf(stderr,
		        "note: %s/%s: reference rank %s, ours %s: the reference scores tie at "
		        "printed precision (%s), ours take the group's best rank\n",
		        key, col, a, b, mine);
		return true;
	}
	return false;
}

/* COINr's treat details: Pass/Skew/Kurt before, nwin, Pass/Skew/Kurt after. */
static int compare_treat(const struct lc_csv *ref, const struct lc_csv *ours, double tol)
{
	static const char *const map[][2] = {
	    {"check_SkewKurt0.Pass", "pass_before"}, {"check_SkewKurt0.Skew", "skew_before"},
	    {"check_SkewKurt0.Kurt", "kurt_before"}, {"winsorise.nwin", "nwin"},
	    {"check_SkewKurt1.Pass", "pass_after"},  {"check_SkewKurt1.Skew", "skew_after"},
	    {"check_SkewKurt1.Kurt", "kurt_after"},
	};
	long treated = lc_csv_find_col(ours, "treated");
	for (size_t m = 0; m < sizeof map / sizeof map[0]; m++) {
		long rc = lc_csv_find_col(ref, map[m][0]), oc = lc_csv_find_col(ours, map[m][1]);
		if (rc < 0 || oc < 0 || treated < 0) {
			report("column %s / %s missing%s%s\n", map[m][0], map[m][1], "", "");
			continue;
		}
		for (size_t r = 1; r < ref->n_rows; r++) {
			const char *key = lc_csv_cstr(ref, r, 0);
			long orow = find_row(ours, key);
			if (orow < 0) {
				report("row %s missing%s%s%s\n", key, "", "", "");
				continue;
			}
			const char *a = lc_csv_cstr(ref, r, (size_t)rc);
			const char *b = lc_csv_cstr(ours, (size_t)orow, (size_t)oc);
			/* COINr gives NA for an untreated indicator's nwin. */
			if (strcmp(map[m][1], "nwin") == 0 &&
			    strcmp(lc_csv_cstr(ours, (size_t)orow, (size_t)treated), "TRUE") != 0)
				b = "NA";
			if (!same_number(a, b, tol) && !cmp_text(a, b, 0, 0, NULL))
				report("%s/%s: reference '%s', ours '%s'\n", key, map[m][0], a, b);
		}
	}
	return mismatches;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: compare matrix|ranks|text|treat REF OURS [TOL|SCORES]\n");
		return 2;
	}
	const char *mode = argv[1];
	struct lc_csv ref, ours, scores;
	lc_csv_init(&scores);
	if (load(&ref, argv[2]) != 0 || load(&ours, argv[3]) != 0)
		return 2;
	double tol = 1e-9;
	int rc = 2;
	if (strcmp(mode, "matrix") == 0) {
		if (argc > 4)
			tol = strtod(argv[4], NULL);
		each_cell(&ref, &ours, cmp_number, &tol);
		rc = 0;
	} else if (strcmp(mode, "text") == 0) {
		each_cell(&ref, &ours, cmp_text, NULL);
		rc = 0;
	} else if (strcmp(mode, "ranks") == 0 && argc > 4) {
		if (load(&scores, argv[4]) != 0)
			return 2;
		struct rank_ctx k = {&ref, &scores, 0};
		each_cell(&ref, &ours, cmp_rank, &k);
		rc = 0;
	} else if (strcmp(mode, "treat") == 0) {
		compare_treat(&ref, &ours, tol);
		rc = 0;
	} else {
		fprintf(stderr, "compare: unknown mode '%s'\n", mode);
	}
	if (rc == 0 && ref.n_rows != ours.n_rows) {
		fprintf(stderr, "%zu rows in the reference, %zu in ours\n", ref.n_rows - 1,
		        ours.n_rows - 1);
		mismatches++;
	}
	if (rc == 0 && mismatches) {
		fprintf(stderr, "%s: %d mismatches against %s\n", argv[3], mismatches, argv[2]);
		rc = 1;
	}
	lc_csv_cleanup(&ref);
	lc_csv_cleanup(&ours);
	lc_csv_cleanup(&scores);
	return rc;
}
