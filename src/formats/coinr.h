/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * COINr-format input (ENGINE.md "Inputs"): iMeta gives the framework tree,
 * iData the units' indicator values, groups and denominators. This module
 * turns the two CSV tables into an engine tree and data matrix, checking
 * every cell: a non-numeric value, a duplicate or empty uCode, an
 * indicator without a column, an unknown denominator, and the tree's own
 * checks (unknown Parent, cycle, skipped Level, duplicate iCode) are each
 * reported with file, line and column. Units come out sorted by uCode.
 */
#ifndef LC_COINR_H
#define LC_COINR_H

struct lc_csv;
struct lc_buf;
struct lc_tree;
struct lc_matrix;
struct lc_diag;
struct lc_spec;

/*
 * Builds *tree (initialised, empty) from imeta and *m (initialised, empty)
 * from idata. iMeta rows whose Type is Group or Denominator (or whose Level
 * is NA) describe iData columns instead of codes. An iData column that is
 * neither uCode, uName, Time nor an indicator is a group column, and also a
 * denominator column when every cell is numeric or NA (unless iMeta types
 * it). Returns 0 or LC_EINVAL with every problem in diag; the caller cleans
 * up tree and m in every case.
 */
int lc_coinr_load(const struct lc_csv *idata, const struct lc_csv *imeta, struct lc_tree *tree,
                  struct lc_matrix *m, struct lc_diag *diag);
/* Reads both files then loads them (LC_EIO, LC_ELIMIT, LC_EINVAL). */
int lc_coinr_load_files(const char *idata_path, const char *imeta_path, struct lc_tree *tree,
                        struct lc_matrix *m, struct lc_diag *diag);
/*
 * The same for panel data (several rows per unit, one per Time): only the
 * rows whose Time cell equals time are read (time NULL: every row, as
 * above). An error when there is no Time column or no row of that Time.
 */
int lc_coinr_load_time(const struct lc_csv *idata, const struct lc_csv *imeta, const char *time,
                       struct lc_tree *tree, struct lc_matrix *m, struct lc_diag *diag);
int lc_coinr_load_files_time(const char *idata_path, const char *imeta_path, const char *time,
                             struct lc_tree *tree, struct lc_matrix *m, struct lc_diag *diag);

/*
 * Reads a pipeline spec file (at most LC_LIMIT_SPEC_BYTES) into *spec
 * (initialised) with lc_spec_parse. Returns 0, LC_EIO, LC_ELIMIT or
 * LC_EINVAL with the problems in diag naming the file.
 */
int lc_coinr_read_spec(const char *path, struct lc_spec *spec, struct lc_diag *diag);

/*
 * Writes the iMeta file of tree t to b (CRLF lines): a row per node in the
 * tree's order, iCode, iName, Level, Parent, Direction, Weight, Type. Check
 * b's sticky error once at the end.
 */
void lc_coinr_write_imeta(struct lc_buf *b, const struct lc_tree *t);
/*
 * Writes the iData file of matrix m over tree t to b: uCode, uName and a
 * column per indicator, "NA" for a missing value; learncity index run reads
 * both files back.
 */
void lc_coinr_write_idata(struct lc_buf *b, const struct lc_tree *t, const struct lc_matrix *m);

#endif
