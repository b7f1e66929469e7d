/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of formats/award_csv.c and `learncity award rank` (cli/cmd_award.c):
 * issue 13's "Input columns: scores nomination,juror,criterion,score (an
 * empty score is "not scored"); criteria criterion,weight,independent
 * (independent is 0 or 1)", "Output CSV, one row per nomination" and "Bad
 * files: exit 2 with file, line and column".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "cli/cli.h"
#include "engine/award.h"
#include "formats/award_csv.h"
#include "formats/csv.h"

static const char CRITERIA[] = "criterion,weight,independent\n"
                               "plan,2,0\n"
                               "partners,1,0\n"
                               "gnlc,,1\n";

static const char SCORES[] = "nomination,juror,criterion,score\n"
                             "Cork,ana,plan,4\n"
                             "Cork,ana,partners,1\n"
                             "Cork,ana,gnlc,5\n"
                             "Pecs,ana,plan,\n"
                             "Pecs,bo,plan,3\n"
                             "Cork,bo,plan,2.5\n";

static int load(const char *scores, const char *criteria, struct lc_award_input *in,
                struct lc_diag *d)
{
	struct lc_csv s, c;
	lc_csv_init(&s);
	lc_csv_init(&c);
	assert_int_equal(lc_csv_parse(&s, scores, strlen(scores), "s.csv", NULL), 0);
	assert_int_equal(lc_csv_parse(&c, criteria, strlen(criteria), "c.csv", NULL), 0);
	int rc = lc_award_csv_load(&s, &c, in, d);
	lc_csv_cleanup(&s);
	lc_csv_cleanup(&c);
	return rc;
}

static double score(const struct lc_award_input *in, size_t n, size_t j, size_t c)
{
	return in->score[(n * in->n_jurors + j) * in->n_crit + c];
}

static void test_read(void **state)
{
	(void)state;
	struct lc_award_input in;
	lc_award_input_init(&in);
	assert_int_equal(load(SCORES, CRITERIA, &in, NULL), 0);
	assert_int_equal(in.n_noms, 2);
	assert_int_equal(in.n_jurors, 2);
	assert_int_equal(in.n_crit, 3);
	assert_string_equal(in.noms[0], "Cork");
	assert_string_equal(in.noms[1], "Pecs");
	assert_string_equal(in.jurors[1], "bo");
	assert_string_equal(in.crits[2], "gnlc");
	assert_true(in.weight[0] == 2 && in.weight[1] == 1);
	assert_false(in.independent[0]);
	assert_true(in.independent[2]);
	assert_true(score(&in, 0, 0, 0) == 4);
	assert_true(score(&in, 0, 0, 2) == 5);
	assert_true(isnan(score(&in, 1, 0, 0))); /* empty: not scored */
	assert_true(score(&in, 1, 1, 0) == 3);
	assert_true(score(&in, 0, 1, 0) == 2.5);
	assert_true(isnan(score(&in, 0, 1, 1)));
	lc_award_input_cleanup(&in);
}

/* Loads, expects failure, and checks the first problem's place and code. */
static void expect(const char *scores, const char *criteria, int rc, const char *file, long line,
                   long column, const char *code)
{
	struct lc_award_input in;
	struct lc_diag d;
	lc_award_input_init(&in);
	lc_diag_init(&d);
	assert_int_equal(load(scores, criteria, &in, &d), rc);
	assert_true(d.count >= 1);
	const struct lc_diag_entry *e = &d.items[0];
	if (strcmp(e->code, code) != 0 || e->line != line || e->column != column ||
	    strcmp(e->file, file) != 0)
		fail_msg("got %s:%ld:%ld %s, expected %s:%ld:%ld %s", e->file, e->line, e->column,
		         e->code, file, line, column, code);
	assert_int_equal(in.n_noms, 0); /* nothing kept */
	assert_null(in.score);
	lc_diag_cleanup(&d);
}

static void test_bad_criteria(void **state)
{
	(void)state;
	expect(SCORES, "criterion,independent\nplan,0\n", LC_EINVAL, "c.csv", 1, 0,
	       "err_award_csv_column");
	expect(SCORES, "criterion,weight\n", LC_EINVAL, "c.csv", 1, 0, "err_award_csv_no_rows");
	expect(SCORES, "criterion,weight,independent\nplan,0,0\n", LC_EINVAL, "c.csv", 2, 2,
	       "err_award_csv_weight");
	expect(SCORES, "criterion,weight,independent\nplan,,0\n", LC_EINVAL, "c.csv", 2, 2,
	       "err_award_csv_weight");
	expect(SCORES, "criterion,weight,independent\nplan,two,0\n", LC_EINVAL, "c.csv", 2, 2,
	       "err_award_csv_weight");
	expect(SCORES, "criterion,weight,independent\nplan,1,yes\n", LC_EINVAL, "c.csv", 2, 3,
	       "err_award_csv_independent");
	expect(SCORES, "criterion,weight,independent\nplan,1,0\n\"\",1,0\n", LC_EINVAL, "c.csv", 3,
	       1, "err_award_csv_name");
	expect(SCORES, "weight,criterion\n1,plan\n2,partners\n1,plan\n", LC_EINVAL, "c.csv", 4, 2,
	       "err_award_csv_criterion_twice");
	expect(SCORES, "criterion,weight,independent\nplan,1,1\n", LC_EINVAL, "c.csv", 0, 0,
	       "err_award_no_counted_criterion");
	/* The duplicate names the line where the criterion first appeared. */
	struct lc_award_input in;
	struct lc_diag d;
	lc_award_input_init(&in);
	lc_diag_init(&d);
	assert_int_equal(load(SCORES, "criterion,weight\nplan,1\nx,1\nplan,1\n", &in, &d),
	                 LC_EINVAL);
	assert_string_equal(lc_diag_arg(&d.items[0], "line"), "2");
	lc_diag_cleanup(&d);

	/* Both files' problems at once: a bad weight and a bad score. */
	lc_diag_init(&d);
	assert_int_equal(load("nomination,juror,criterion,score\nCork,ana,plan,x\n",
	                      "criterion,weight\nplan,-1\n", &in, &d),
	                 LC_EINVAL);
	assert_int_equal(d.count, 2);
	assert_string_equal(d.items[0].code, "err_award_csv_weight");
	assert_string_equal(d.items[1].code, "err_award_csv_score");
	assert_string_equal(d.items[1].file, "s.csv");
	lc_diag_cleanup(&d);
}

static void test_bad_scores(void **state)
{
	(void)state;
	expect("nomination,juror,score\nCork,ana,1\n", CRITERIA, LC_EINVAL, "s.csv", 1, 0,
	       "err_award_csv_column");
	expect("nomination,juror,criterion,score\nCork,ana,plan,4\nCork,ana,budget,3\n", CRITERIA,
	       LC_EINVAL, "s.csv", 3, 3, "err_award_csv_unknown_criterion");
	expect("nomination,juror,criterion,score\nCork,ana,plan,high\n", CRITERIA, LC_EINVAL,
	       "s.csv", 2, 4, "err_award_csv_score");
	expect("nomination,juror,criterion,score\nCork,ana,plan,inf\n", CRITERIA, LC_EINVAL,
	       "s.csv", 2, 4, "err_award_csv_score");
	expect("nomination,juror,criterion,score\nCork,ana,plan,1e308\n", CRITERIA, LC_EINVAL,
	       "s.csv", 2, 4, "err_award_csv_score_range");
	expect("nomination,juror,criterion,score\nCork,,plan,4\n", CRITERIA, LC_EINVAL, "s.csv", 2,
	       2, "err_award_csv_name");
	expect("score,criterion,juror,nomination\n4,plan,ana,Cork\n3,partners,ana,Cork\n"
	       "5,plan,ana,Cork\n",
	       CRITERIA, LC_EINVAL, "s.csv", 4, 1, "err_award_csv_score_twice");
	expect("nomination,juror,criterion,score\n", CRITERIA, LC_EINVAL, "s.csv", 1, 0,
	       "err_award_csv_no_rows");
	/* Past the jurors' limit: refused at the first juror too many. */
	size_t cap = (LC_LIMIT_AWARD_JURORS + 2) * 40 + 64, len = 0;
	char *big = lc_xmalloc(cap);
	len += (size_t)snprintf(big + len, cap - len, "nomination,juror,criterion,score\n");
	for (int j = 0; j <= LC_LIMIT_AWARD_JURORS; j++)
		len += (size_t)snprintf(big + len, cap - len, "Cork,j%d,plan,1\n", j);
	expect(big, CRITERIA, LC_ELIMIT, "s.csv", LC_LIMIT_AWARD_JURORS + 2, 2,
	       "err_award_csv_jurors");
	lc_free(big);
}

/* Runs learncity with args, standard output and error into files; returns the exit code. */
static int run(const char *const *args, char **out, char **err)
{
	char o[] = "/tmp/lc-award-out-XXXXXX", e[] = "/tmp/lc-award-err-XXXXXX";
	int fo = mkstemp(o), fe = mkstemp(e);
	assert_true(fo >= 0 && fe >= 0);
	fflush(stdout);
	fflush(stderr);
	int so = dup(1), se = dup(2);
	dup2(fo, 1);
	dup2(fe, 2);
	char *argv[32];
	int argc = 0;
	argv[argc++] = (char *)"learncity";
	for (; args[argc - 1]; argc++)
		argv[argc] = (char *)args[argc - 1];
	argv[argc] = NULL;
	int rc = lc_cli_main(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	char *bufs[2] = {NULL, NULL};
	int fds[2] = {fo, fe};
	for (int k = 0; k < 2; k++) {
		off_t n = lseek(fds[k], 0, SEEK_END);
		bufs[k] = lc_xcalloc((size_t)n + 1, 1);
		assert_int_equal(pread(fds[k], bufs[k], (size_t)n, 0), n);
		close(fds[k]);
	}
	unlink(o);
	unlink(e);
	*out = bufs[0];
	*err = bufs[1];
	return rc;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

static void test_cli(void **state)
{
	(void)state;
	char dir[] = "/tmp/lc-award-XXXXXX", sp[64], cp[64], bp[64];
	assert_non_null(mkdtemp(dir));
	snprintf(sp, sizeof sp, "%s/scores.csv", dir);
	snprintf(cp, sizeof cp, "%s/criteria.csv", dir);
	snprintf(bp, sizeof bp, "%s/bad.csv", dir);
	write_file(sp, SCORES);
	write_file(cp, CRITERIA);
	write_file(bp, "nomination,juror,criterion,score\nCork,ana,plan,4\nCork,bo,plan,x\n");
	char *out, *err, *out2, *err2;

	const char *a1[] = {"award", "rank",      "--scores", sp,  "--criteria",
	                    cp,      "--threads", "1",        NULL};
	assert_int_equal(run(a1, &out, &err), 0);
	/*
	 * Cork: ana (2*4 + 1) / 3 = 3 (gnlc is independent), bo 2.5: mean 2.75, sd
	 * sqrt(0.125); Pecs: bo 3 (ana's empty score is not scored). Pecs is first by the
	 * mean, and by Schulze and Borda (bo, the one juror who scored both, prefers it).
	 */
	const char *want_head =
	    "nomination,n_jurors,mean,median,sd,range,z_mean,rank_mean,rank_z,rank_schulze,"
	    "rank_borda,rank_lo,rank_hi,p_top_k,n_z,borda,disagreement\n";
	assert_true(strncmp(out, want_head, strlen(want_head)) == 0);
	const char *row1 = out + strlen(want_head);
	if (strncmp(row1, "Pecs,1,3,3,,0,,1,,1,1,", 22) != 0)
		fail_msg("first row: %s", row1);
	const char *row2 = strchr(row1, '\n') + 1;
	if (strncmp(row2, "Cork,2,2.75,2.75,0.353553390593,0.5,,2,,2,2,", 44) != 0)
		fail_msg("second row: %s", row2);
	assert_string_equal(err, "");

	const char *a2[] = {"award", "rank",      "--scores", sp,  "--criteria",
	                    cp,      "--threads", "3",        NULL};
	assert_int_equal(run(a2, &out2, &err2), 0);
	assert_string_equal(out, out2); /* the same bytes on any thread count */
	lc_free(out);
	lc_free(err);
	lc_free(out2);
	lc_free(err2);

	const char *a3[] = {"award",    "rank", "--scores", sp,  "--criteria", cp,
	                    "--format", "json", "--top",    "1", NULL};
	assert_int_equal(run(a3, &out, &err), 0);
	assert_non_null(strstr(out, "\"top_k\": 1"));
	assert_non_null(strstr(out, "\"normalised\": false"));
	assert_non_null(strstr(out, "\"alpha\": null"));
	lc_free(out);
	lc_free(err);

	/* A bad file: exit 2, file, line and column. */
	const char *a4[] = {"award", "rank", "--scores", bp, "--criteria", cp, NULL};
	assert_int_equal(run(a4, &out, &err), LC_EXIT_USAGE);
	assert_string_equal(out, "");
	char want[160];
	snprintf(want, sizeof want, "%s:3:4: score:", bp);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("stderr: %s", err);
	lc_free(out);
	lc_free(err);

	const char *a5[] = {"award", "rank",     "--scores", sp,  "--criteria",
	                    cp,      "--format", "xml",      NULL};
	assert_int_equal(run(a5, &out, &err), LC_EXIT_USAGE);
	lc_free(out);
	lc_free(err);
	const char *a6[] = {"award", "rank", "--scores", sp, "--criteria", cp, "--top", "0", NULL};
	assert_int_equal(run(a6, &out, &err), LC_EXIT_USAGE);
	lc_free(out);
	lc_free(err);
	const char *a7[] = {"award",      "rank", "--scores", "/nonexistent/s.csv",
	                    "--criteria", cp,     NULL};
	assert_int_equal(run(a7, &out, &err), LC_EXIT_USAGE);
	assert_non_null(strstr(err, "/nonexistent/s.csv"));
	lc_free(out);
	lc_free(err);

	unlink(sp);
	unlink(cp);
	unlink(bp);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read),
	    cmocka_unit_test(test_bad_criteria),
	    cmocka_unit_test(test_bad_scores),
	    cmocka_unit_test(test_cli),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
