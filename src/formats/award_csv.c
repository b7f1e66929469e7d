/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The award's scores and criteria files (award_csv.h). */
#include "formats/award_csv.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "engine/award.h"
#include "formats/csv.h"

/*
 * Names to indices: open addressing over borrowed strings (the table's
 * cells), so that 100,000 rows of marks do not compare every name with
 * every other.
 */
struct names {
	const char **key; /* slots; NULL empty */
	size_t *val;
	size_t cap;        /* a power of two, at least twice max */
	const char **list; /* in order of first appearance */
	size_t n, max;
};

static void names_init(struct names *t, size_t max)
{
	t->cap = 16;
	while (t->cap < 2 * max + 2)
		t->cap *= 2;
	t->key = lc_xcalloc(t->cap, sizeof(*t->key));
	t->val = lc_xcalloc(t->cap, sizeof(*t->val));
	t->list = lc_xcalloc(max + 1, sizeof(*t->list));
	t->n = 0;
	t->max = max;
}

static void names_cleanup(struct names *t)
{
	lc_free(t->key);
	lc_free(t->val);
	lc_free(t->list);
	memset(t, 0, sizeof(*t));
}

static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)h;
}

/* The slot of s: its own, or the empty one where it would go. */
static size_t names_slot(const struct names *t, const char *s)
{
	size_t k = hash(s) & (t->cap - 1);
	while (t->key[k] && strcmp(t->key[k], s) != 0)
		k = (k + 1) & (t->cap - 1);
	return k;
}

/* The index of s, or SIZE_MAX. */
static size_t names_find(const struct names *t, const char *s)
{
	size_t k = names_slot(t, s);
	return t->key[k] ? t->val[k] : SIZE_MAX;
}

/* The index of s, added when new; SIZE_MAX when the table is full (max names). */
static size_t names_intern(struct names *t, const char *s)
{
	size_t k = names_slot(t, s);
	if (t->key[k])
		return t->val[k];
	if (t->n >= t->max)
		return SIZE_MAX;
	t->key[k] = s;
	t->val[k] = t->n;
	t->list[t->n] = s;
	return t->n++;
}

/* The columns of a file by name; a missing required one is reported. */
static int find_cols(const struct lc_csv *c, const char *const *names, bool *required, long *col,
                     size_t n, struct lc_diag *diag)
{
	int err = LC_OK;
	for (size_t k = 0; k < n; k++) {
		col[k] = lc_csv_find_col(c, names[k]);
		if (col[k] < 0 && required[k]) {
			lc_diag_addf(diag, c->file, c->line[0], 0, names[k], "err_award_csv_column",
			             LC_ARG_S("column", names[k]));
			err = LC_EINVAL;
		}
	}
	return err;
}

/* A name cell: not empty, not too long. */
static bool name_ok(const struct lc_csv *c, size_t r, long col, const char *field,
                    struct lc_diag *diag)
{
	struct lc_slice s = lc_csv_cell(c, r, (size_t)col);
	if (s.len == 0) {
		lc_diag_addf(diag, c->file, c->line[r], col + 1, field, "err_award_csv_name",
		             LC_ARG_S("column", field));
		return false;
	}
	if (s.len > LC_LIMIT_NAME_BYTES) {
		lc_diag_addf(diag, c->file, c->line[r], col + 1, field, "err_award_csv_name_long",
		             LC_ARG_S("column", field), LC_ARG_I("limit", LC_LIMIT_NAME_BYTES));
		return false;
	}
	return true;
}

static bool has_rows(const struct lc_csv *c, struct lc_diag *diag)
{
	if (c->n_rows > 1)
		return true;
	lc_diag_add(diag, c->file, c->line[0], 0, NULL, "err_award_csv_no_rows");
	return false;
}

/* One criterion of the criteria file, before the input exists. */
struct crit_row {
	double weight;
	bool independent;
	long line;
};

static int load_criteria(const struct lc_csv *cr, struct names *crits, struct crit_row *rows,
                         struct lc_diag *diag)
{
	static const char *const cols[] = {"criterion", "weight", "independent"};
	bool req[] = {true, true, false};
	long col[3];
	int err = find_cols(cr, cols, req, col, 3, diag);
	if (err || !has_rows(cr, diag))
		return LC_EINVAL;
	size_t counted = 0;
	for (size_t r = 1; r < cr->n_rows; r++) {
		if (!name_ok(cr, r, col[0], "criterion", diag)) {
			err = LC_EINVAL;
			continue;
		}
		const char *name = lc_csv_cstr(cr, r, (size_t)col[0]);
		size_t seen = names_find(crits, name);
		if (seen != SIZE_MAX) {
			lc_diag_addf(diag, cr->file, cr->line[r], col[0] + 1, "criterion",
			             "err_award_csv_criterion_twice", LC_ARG_S("value", name),
			             LC_ARG_I("line", rows[seen].line));
			err = LC_EINVAL;
			continue;
		}
		size_t k = names_intern(crits, name);
		if (k == SIZE_MAX) {
			lc_diag_addf(diag, cr->file, cr->line[r], col[0] + 1, "criterion",
			             "err_award_csv_criteria",
			             LC_ARG_I("limit", LC_LIMIT_AWARD_CRITERIA));
			return LC_ELIMIT;
		}
		struct crit_row *cw = &rows[k];
		cw->line = cr->line[r];
		cw->independent = false;
		if (col[2] >= 0) {
			struct lc_slice f = lc_csv_cell(cr, r, (size_t)col[2]);
			if (lc_slice_eq(f, "1"))
				cw->independent = true;
			else if (!lc_slice_eq(f, "0")) {
				lc_diag_addf(diag, cr->file, cr->line[r], col[2] + 1, "independent",
				             "err_award_csv_independent",
				             LC_ARG_S("value", lc_csv_cstr(cr, r, (size_t)col[2])));
				err = LC_EINVAL;
			}
		}
		double w;
		struct lc_slice ws = lc_csv_cell(cr, r, (size_t)col[1]);
		bool bad = lc_csv_number(ws, &w) != 0;
		if (!bad && isnan(w))
			bad = !cw->independent; /* a counted criterion needs its weight */
		else if (!bad)
			bad = cw->independent ? !(w >= 0) : !(w > 0);
		if (bad) {
			lc_diag_addf(diag, cr->file, cr->line[r], col[1] + 1, "weight",
			             "err_award_csv_weight",
			             LC_ARG_S("value", lc_csv_cstr(cr, r, (size_t)col[1])));
			err = LC_EINVAL;
		}
		cw->weight = isnan(w) ? 0 : w;
		counted += !cw->independent;
	}
	if (!err && counted == 0) {
		lc_diag_add(diag, cr->file, 0, 0, "independent", "err_award_no_counted_criterion");
		err = LC_EINVAL;
	}
	return err;
}

/* One mark of the scores file. */
struct mark {
	size_t nom, juror, crit, row;
	double score;
};

/* crits NULL: the criteria file was refused; the rest of each row is still checked. */
static int load_scores(const struct lc_csv *sc, const struct names *crits, struct names *noms,
                       struct names *jurors, struct mark *marks, size_t *n_marks,
                       struct lc_diag *diag)
{
	static const char *const cols[] = {"nomination", "juror", "criterion", "score"};
	bool req[] = {true, true, true, true};
	long col[4];
	int err = find_cols(sc, cols, req, col, 4, diag);
	if (err || !has_rows(sc, diag))
		return LC_EINVAL;
	size_t m = 0;
	for (size_t r = 1; r < sc->n_rows; r++) {
		bool ok = name_ok(sc, r, col[0], "nomination", diag);
		ok = name_ok(sc, r, col[1], "juror", diag) && ok;
		ok = name_ok(sc, r, col[2], "criterion", diag) && ok;
		if (!ok) {
			err = LC_EINVAL;
			continue;
		}
		const char *cname = lc_csv_cstr(sc, r, (size_t)col[2]);
		size_t c = crits ? names_find(crits, cname) : SIZE_MAX;
		if (crits && c == SIZE_MAX) {
			lc_diag_addf(diag, sc->file, sc->line[r], col[2] + 1, "criterion",
			             "err_award_csv_unknown_criterion", LC_ARG_S("value", cname));
			err = LC_EINVAL;
		}
		double v;
		if (lc_csv_number(lc_csv_cell(sc, r, (size_t)col[3]), &v) != 0) {
			lc_diag_addf(diag, sc->file, sc->line[r], col[3] + 1, "score",
			             "err_award_csv_score",
			             LC_ARG_S("value", lc_csv_cstr(sc, r, (size_t)col[3])));
			err = LC_EINVAL;
		} else if (fabs(v) > LC_LIMIT_AWARD_SCORE) {
			lc_diag_addf(diag, sc->file, sc->line[r], col[3] + 1, "score",
			             "err_award_csv_score_range",
			             LC_ARG_S("value", lc_csv_cstr(sc, r, (size_t)col[3])),
			             LC_ARG_G("limit", LC_LIMIT_AWARD_SCORE));
			err = LC_EINVAL;
		}
		size_t n = names_intern(noms, lc_csv_cstr(sc, r, (size_t)col[0]));
		if (n == SIZE_MAX) {
			lc_diag_addf(diag, sc->file, sc->line[r], col[0] + 1, "nomination",
			             "err_award_csv_nominations",
			             LC_ARG_I("limit", LC_LIMIT_AWARD_NOMINATIONS));
			return LC_ELIMIT;
		}
		size_t j = names_intern(jurors, lc_csv_cstr(sc, r, (size_t)col[1]));
		if (j == SIZE_MAX) {
			lc_diag_addf(diag, sc->file, sc->line[r], col[1] + 1, "juror",
			             "err_award_csv_jurors",
			             LC_ARG_I("limit", LC_LIMIT_AWARD_JURORS));
			return LC_ELIMIT;
		}
		if (c != SIZE_MAX && !err)
			marks[m++] = (struct mark){n, j, c, r, v};
	}
	*n_marks = m;
	return err;
}

/* Copies the names into the input's arrays (made by lc_award_input_alloc, NULL each). */
static void copy_names(char **dst, const struct names *t)
{
	for (size_t i = 0; i < t->n; i++)
		dst[i] = lc_xstrdup(t->list[i]);
}

/* Moves the marks into the input, refusing a nomination, juror and criterion marked twice. */
static int fill(const struct lc_csv *sc, const struct mark *marks, size_t n_marks,
                struct lc_award_input *in, struct lc_diag *diag)
{
	size_t cells = in->n_noms * in->n_jurors * in->n_crit;
	/* The row of each cell's mark, 0 for none (row 0 is the header). */
	uint32_t *row_of = lc_xcalloc(cells, sizeof(*row_of));
	long col = lc_csv_find_col(sc, "score");
	int err = LC_OK;
	for (size_t k = 0; k < n_marks; k++) {
		const struct mark *mk = &marks[k];
		size_t cell = (mk->nom * in->n_jurors + mk->juror) * in->n_crit + mk->crit;
		if (row_of[cell]) {
			lc_diag_addf(diag, sc->file, sc->line[mk->row], col + 1, "score",
			             "err_award_csv_score_twice",
			             LC_ARG_I("line", sc->line[row_of[cell]]));
			err = LC_EINVAL;
			continue;
		}
		row_of[cell] = (uint32_t)mk->row;
		in->score[cell] = mk->score;
	}
	lc_free(row_of);
	return err;
}

int lc_award_csv_load(const struct lc_csv *scores, const struct lc_csv *criteria,
                      struct lc_award_input *in, struct lc_diag *diag)
{
	struct names crits, noms, jurors;
	struct crit_row *rows = lc_xcalloc(LC_LIMIT_AWARD_CRITERIA + 1, sizeof(*rows));
	struct mark *marks = lc_xcalloc(scores->n_rows + 1, sizeof(*marks));
	size_t n_marks = 0;
	int err;

	lc_award_input_cleanup(in);
	names_init(&crits, LC_LIMIT_AWARD_CRITERIA);
	names_init(&noms, LC_LIMIT_AWARD_NOMINATIONS);
	names_init(&jurors, LC_LIMIT_AWARD_JURORS);
	err = load_criteria(criteria, &crits, rows, diag);
	if (err == LC_ELIMIT)
		goto out;
	/* A bad criteria file still lets the scores file be checked, but for its criteria. */
	int err_scores =
	    load_scores(scores, err ? NULL : &crits, &noms, &jurors, marks, &n_marks, diag);
	if (!err)
		err = err_scores;
	if (err)
		goto out;
	err = lc_award_input_alloc(in, noms.n, jurors.n, crits.n);
	if (err) {
		lc_diag_addf(diag, scores->file, 0, 0, NULL, "err_award_too_large",
		             LC_ARG_I("nominations", noms.n), LC_ARG_I("jurors", jurors.n),
		             LC_ARG_I("criteria", crits.n),
		             LC_ARG_I("max_nominations", LC_LIMIT_AWARD_NOMINATIONS),
		             LC_ARG_I("max_jurors", LC_LIMIT_AWARD_JURORS),
		             LC_ARG_I("max_criteria", LC_LIMIT_AWARD_CRITERIA),
		             LC_ARG_I("max_cells", LC_LIMIT_AWARD_CELLS));
		goto out;
	}
	copy_names(in->noms, &noms);
	copy_names(in->jurors, &jurors);
	copy_names(in->crits, &crits);
	for (size_t c = 0; c < crits.n; c++) {
		in->weight[c] = rows[c].weight;
		in->independent[c] = rows[c].independent;
	}
	err = fill(scores, marks, n_marks, in, diag);
out:
	if (err)
		lc_award_input_cleanup(in);
	names_cleanup(&crits);
	names_cleanup(&noms);
	names_cleanup(&jurors);
	lc_free(rows);
	lc_free(marks);
	return err;
}

int lc_award_csv_load_files(const char *scores_path, const char *criteria_path,
                            struct lc_award_input *in, struct lc_diag *diag)
{
	struct lc_csv sc, cr;
	lc_csv_init(&sc);
	lc_csv_init(&cr);
	int err = lc_csv_read_file(&cr, criteria_path, diag);
	int err2 = lc_csv_read_file(&sc, scores_path, diag);
	if (!err)
		err = err2;
	if (!err)
		err = lc_award_csv_load(&sc, &cr, in, diag);
	lc_csv_cleanup(&sc);
	lc_csv_cleanup(&cr);
	return err;
}

/* ---- the ranking written out ---- */

static const char *const CSV_COLS =
    "nomination,n_jurors,mean,median,sd,range,z_mean,rank_mean,rank_z,rank_schulze,"
    "rank_borda,rank_lo,rank_hi,p_top_k,n_z,borda,disagreement\n";

/* A figure: 12 significant digits, nothing for NaN. */
static void put_num(struct lc_buf *b, double v)
{
	if (!isnan(v))
		lc_buf_printf(b, "%.12g", v);
}

/* A figure for JSON: null for NaN. */
static json_t *jnum(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

/* A rank for JSON: a whole number, null when unranked. */
static json_t *jrank(double v)
{
	return isnan(v) ? json_null() : json_integer((json_int_t)v);
}

/* Nominations best first by the mean, unranked last, ties in the files' order. */
static int cmp_order(const void *pa, const void *pb, const struct lc_award_result *r)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	double x = r->noms[a].rank_mean, y = r->noms[b].rank_mean;
	if (isnan(x) != isnan(y))
		return isnan(x) ? 1 : -1;
	if (!isnan(x) && x != y)
		return x < y ? -1 : 1;
	return (a > b) - (a < b);
}

static size_t *best_first(const struct lc_award_result *r)
{
	size_t n = r->n_noms;
	size_t *order = lc_xcalloc(n + 1, sizeof(*order));
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	/* Insertion sort: a round has at most LC_LIMIT_AWARD_NOMINATIONS, sorted once. */
	for (size_t i = 1; i < n; i++) {
		size_t x = order[i], j = i;
		while (j > 0 && cmp_order(&x, &order[j - 1], r) < 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = x;
	}
	return order;
}

void lc_award_csv_write_ranking(struct lc_buf *b, const struct lc_award_input *in,
                                const struct lc_award_result *r)
{
	size_t *order = best_first(r);
	lc_buf_puts(b, CSV_COLS);
	for (size_t i = 0; i < r->n_noms; i++) {
		const struct lc_award_nom *m = &r->noms[order[i]];
		const char *name = in->noms[order[i]];
		const double f[] = {m->mean,       m->median,    m->sd,      m->range,
		                    m->z_mean,     m->rank_mean, m->rank_z,  m->rank_schulze,
		                    m->rank_borda, m->rank_lo,   m->rank_hi, m->p_top_k};
		lc_buf_append_csv(b, name, strlen(name));
		lc_buf_printf(b, ",%zu", m->n_jurors);
		for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
			lc_buf_putc(b, ',');
			put_num(b, f[k]);
		}
		lc_buf_printf(b, ",%zu,", m->n_z);
		put_num(b, m->borda);
		lc_buf_printf(b, ",%d\n", m->disagree ? 1 : 0);
	}
	lc_free(order);
}

static json_t *nomination_json(const char *name, const struct lc_award_nom *m)
{
	json_t *o = json_object();
	json_object_set_new(o, "nomination", json_string(name));
	json_object_set_new(o, "n_jurors", json_integer((json_int_t)m->n_jurors));
	json_object_set_new(o, "mean", jnum(m->mean));
	json_object_set_new(o, "median", jnum(m->median));
	json_object_set_new(o, "sd", jnum(m->sd));
	json_object_set_new(o, "range", jnum(m->range));
	json_object_set_new(o, "disagreement", json_boolean(m->disagree));
	json_object_set_new(o, "n_z", json_integer((json_int_t)m->n_z));
	json_object_set_new(o, "z_mean", jnum(m->z_mean));
	json_object_set_new(o, "borda", jnum(m->borda));
	json_object_set_new(o, "rank_mean", jrank(m->rank_mean));
	json_object_set_new(o, "rank_z", jrank(m->rank_z));
	json_object_set_new(o, "rank_schulze", jrank(m->rank_schulze));
	json_object_set_new(o, "rank_borda", jrank(m->rank_borda));
	json_object_set_new(o, "rank_lo", jrank(m->rank_lo));
	json_object_set_new(o, "rank_hi", jrank(m->rank_hi));
	json_object_set_new(o, "p_top_k", jnum(m->p_top_k));
	json_object_set_new(o, "boot_ranked", json_integer((json_int_t)m->boot_ranked));
	return o;
}

json_t *lc_award_ranking_json(const struct lc_award_input *in, const struct lc_award_result *r)
{
	json_t *doc = json_object(), *noms = json_array(), *jurors = json_array(),
	       *crits = json_array();
	size_t *order = best_first(r);
	json_object_set_new(doc, "boot", json_integer((json_int_t)r->boot));
	json_object_set_new(doc, "seed", json_integer((json_int_t)r->seed));
	json_object_set_new(doc, "top_k", json_integer((json_int_t)r->top_k));
	json_object_set_new(doc, "flag_sd", json_real(r->flag_sd));
	json_object_set_new(doc, "z_min_scores", json_integer(LC_AWARD_Z_MIN_SCORES));
	for (size_t i = 0; i < r->n_noms; i++)
		json_array_append_new(noms,
		                      nomination_json(in->noms[order[i]], &r->noms[order[i]]));
	for (size_t j = 0; j < r->n_jurors; j++) {
		const struct lc_award_juror *ju = &r->jurors[j];
		json_t *o = json_object();
		json_object_set_new(o, "juror", json_string(in->jurors[j]));
		json_object_set_new(o, "n_scores", json_integer((json_int_t)ju->n_scores));
		json_object_set_new(o, "mean", jnum(ju->mean));
		json_object_set_new(o, "sd", jnum(ju->sd));
		json_object_set_new(o, "normalised", json_boolean(ju->normalised));
		json_array_append_new(jurors, o);
	}
	for (size_t c = 0; c < r->n_crit; c++) {
		const struct lc_award_crit *cr = &r->crits[c];
		json_t *o = json_object();
		json_object_set_new(o, "criterion", json_string(in->crits[c]));
		json_object_set_new(o, "weight", json_real(in->weight[c]));
		json_object_set_new(o, "independent", json_boolean(in->independent[c]));
		json_object_set_new(o, "alpha", jnum(cr->alpha));
		json_object_set_new(o, "n_units", json_integer((json_int_t)cr->n_units));
		json_object_set_new(o, "n_values", json_integer((json_int_t)cr->n_values));
		json_array_append_new(crits, o);
	}
	json_object_set_new(doc, "nominations", noms);
	json_object_set_new(doc, "jurors", jurors);
	json_object_set_new(doc, "criteria", crits);
	lc_free(order);
	return doc;
}
