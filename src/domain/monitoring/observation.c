/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Observations (observation.h): the catalogue, value validation, and batch
 * writes with versions (reading them back: observation_read.c; the
 * self-assessment and local measurements: observation_local.c). The write
 * path is the import's hot loop: it binds borrowed slices (SQLITE_STATIC)
 * to cached statements and allocates only once per city-year (its audit
 * row).
 */
#include "domain/monitoring/observation.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "base/utf8.h"
#include "db/db.h"
#include "domain/platform/audit.h"
#include "domain/accounts/authz.h"
#include "domain/platform/clock.h"
#include "domain/monitoring/year_review.h"
#include "domain/platform/row.h"
#include "domain/monitoring/observation_internal.h"

static const char *const type_names[] = {
    [LC_OBS_NUMBER] = "number", [LC_OBS_PERCENTAGE] = "percentage",
    [LC_OBS_YES_NO] = "yes_no", [LC_OBS_MATURITY] = "maturity_0_4",
    [LC_OBS_TEXT] = "text",
};

const char *lc_obs_type_name(enum lc_obs_type t)
{
	return (unsigned)t <= LC_OBS_TEXT ? type_names[t] : NULL;
}

int lc_obs_type_parse(const char *s, enum lc_obs_type *out)
{
	long t = lc_str_index(type_names, LC_OBS_TEXT + 1, s);
	if (t < 0)
		return LC_EINVAL;
	*out = (enum lc_obs_type)t;
	return 0;
}

/* ---- catalogue ---- */

static char *dup_col(sqlite3_stmt *st, int i)
{
	const char *s = lc_db_text(st, i);
	return s ? lc_xstrdup(s) : NULL;
}

static int cmp_measure(const void *a, const void *b)
{
	return strcmp(((const struct lc_obs_measure *)a)->code,
	              ((const struct lc_obs_measure *)b)->code);
}

static int cmp_city(const void *a, const void *b)
{
	return strcmp(((const struct lc_obs_city *)a)->slug, ((const struct lc_obs_city *)b)->slug);
}

long lc_obs_current_year(void)
{
	time_t t = (time_t)lc_clock_now();
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return LC_OBS_YEAR_MIN;
	return (long)tm.tm_year + 1900;
}

int lc_obs_catalog_load(struct lc_db *db, struct lc_obs_catalog *cat)
{
	memset(cat, 0, sizeof *cat);
	cat->year_min = LC_OBS_YEAR_MIN;
	cat->year_max = lc_obs_current_year();
	int err = 0, rc = 0;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT id FROM framework_versions WHERE is_current = 1");
	if (!st)
		return LC_EDB;
	err = lc_db_step(db, st);
	if (err == 1)
		cat->version_id = sqlite3_column_int64(st, 0);
	lc_db_release(db, st);
	if (err < 0)
		return err;
	if (err == 0)
		return LC_ENOTFOUND;

	size_t cap = 0;
	st = lc_db_stmt(db, "SELECT m.id, m.code, json_extract(m.label, '$.en'), m.unit, m.type,"
	                    " m.direction, m.goalpost_low, m.goalpost_high, a.code, p.code"
	                    " FROM framework_measurements m"
	                    " JOIN framework_features f ON f.id = m.feature_id"
	                    " JOIN framework_areas a ON a.id = f.area_id"
	                    " JOIN framework_parts p ON p.id = a.part_id"
	                    " WHERE p.version_id = ?1");
	if (!st)
		return LC_EDB;
	sqlite3_bind_int64(st, 1, cat->version_id);
	while (lc_db_next(db, st, &rc)) {
		if (cat->nm == cap) {
			cap = cap ? cap * 2 : 64;
			cat->m = lc_xreallocarray(cat->m, cap, sizeof *cat->m);
		}
		struct lc_obs_measure *m = &cat->m[cat->nm++];
		memset(m, 0, sizeof *m);
		m->id = sqlite3_column_int64(st, 0);
		m->code = dup_col(st, 1);
		m->label = dup_col(st, 2);
		m->unit = dup_col(st, 3);
		if (lc_obs_type_parse(lc_db_text(st, 4), &m->type) != 0)
			m->type = LC_OBS_TEXT;
		const char *dir = lc_db_text(st, 5);
		m->direction = dir && strcmp(dir, "lower_is_better") == 0    ? -1
		               : dir && strcmp(dir, "higher_is_better") == 0 ? 1
		                                                             : 0;
		m->low =
		    sqlite3_column_type(st, 6) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 6);
		m->high =
		    sqlite3_column_type(st, 7) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 7);
		m->area = dup_col(st, 8);
		m->part = dup_col(st, 9);
		if (!m->code || !m->area || !m->part) {
			rc = LC_EDB; /* NOT NULL columns: cannot happen */
			break;
		}
	}
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (cat->nm)
		qsort(cat->m, cat->nm, sizeof *cat->m, cmp_measure);

	cap = 0;
	st = lc_db_stmt(db, "SELECT id, slug, json_extract(name, '$.en') FROM cities");
	if (!st)
		return LC_EDB;
	while (lc_db_next(db, st, &rc)) {
		if (cat->nc == cap) {
			cap = cap ? cap * 2 : 256;
			cat->c = lc_xreallocarray(cat->c, cap, sizeof *cat->c);
		}
		struct lc_obs_city *c = &cat->c[cat->nc++];
		c->id = sqlite3_column_int64(st, 0);
		c->slug = dup_col(st, 1);
		c->name = dup_col(st, 2);
		if (!c->slug) {
			rc = LC_EDB;
			break;
		}
	}
	lc_db_release(db, st);
	if (rc < 0)
		return rc;
	if (cat->nc)
		qsort(cat->c, cat->nc, sizeof *cat->c, cmp_city);
	return err < 0 ? err : 0;
}

void lc_obs_catalog_cleanup(struct lc_obs_catalog *cat)
{
	if (!cat)
		return;
	for (size_t i = 0; i < cat->nm; i++) {
		lc_free(cat->m[i].code);
		lc_free(cat->m[i].label);
		lc_free(cat->m[i].unit);
		lc_free(cat->m[i].area);
		lc_free(cat->m[i].part);
	}
	for (size_t i = 0; i < cat->nc; i++) {
		lc_free(cat->c[i].slug);
		lc_free(cat->c[i].name);
	}
	lc_free(cat->m);
	lc_free(cat->c);
	memset(cat, 0, sizeof *cat);
}

/* strcmp of a slice against a C string. */
static int slice_cmp(struct lc_slice a, const char *s)
{
	size_t n = strlen(s);
	int c = memcmp(a.ptr ? a.ptr : "", s, a.len < n ? a.len : n);
	if (c)
		return c;
	return a.len < n ? -1 : a.len > n ? 1 : 0;
}

/*
 * Binary search in n elements of size bytes sorted by the C string found at
 * key_off in each element; the element or NULL.
 */
static const void *find_sorted(const void *base, size_t n, size_t size, size_t key_off,
                               struct lc_slice key)
{
	const char *elems = base;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *name;
		memcpy(&name, elems + mid * size + key_off, sizeof name);
		int c = slice_cmp(key, name);
		if (c == 0)
			return elems + mid * size;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct lc_obs_measure *lc_obs_catalog_measure(const struct lc_obs_catalog *cat,
                                                    struct lc_slice code)
{
	return find_sorted(cat->m, cat->nm, sizeof cat->m[0], offsetof(struct lc_obs_measure, code),
	                   code);
}

const struct lc_obs_city *lc_obs_catalog_city(const struct lc_obs_catalog *cat,
                                              struct lc_slice slug)
{
	return find_sorted(cat->c, cat->nc, sizeof cat->c[0], offsetof(struct lc_obs_city, slug),
	                   slug);
}

/* ---- validation ---- */

/*
 * A plain decimal: [-]digits[.digits][e[+-]digits]. Stricter than strtod on
 * purpose: no hex, no "inf", no spaces, no thousands separators.
 */
static bool plain_number(struct lc_slice s)
{
	size_t i = 0, digits = 0;
	if (i < s.len && (s.ptr[i] == '-' || s.ptr[i] == '+'))
		i++;
	for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++)
		digits++;
	if (i < s.len && s.ptr[i] == '.') {
		i++;
		for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++)
			digits++;
	}
	if (!digits)
		return false;
	if (i < s.len && (s.ptr[i] == 'e' || s.ptr[i] == 'E')) {
		i++;
		if (i < s.len && (s.ptr[i] == '-' || s.ptr[i] == '+'))
			i++;
		size_t ed = 0;
		for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++)
			ed++;
		if (!ed)
			return false;
	}
	return i == s.len;
}

/* Shows at most 60 bytes of a cell in a message. */
#define SHOW(s) (int)((s).len > 60 ? 60 : (s).len), (s).ptr ? (s).ptr : ""
#define MORE(s) ((s).len > 60 ? "..." : "")

/* The value as a message shows it: its first 60 bytes, "..." when there are more. */
static void shown(struct lc_slice v, char *out, size_t size)
{
	snprintf(out, size, "%.*s%s", SHOW(v), MORE(v));
}

/* A problem of the value v of a cell: code with the shown value, and args after it. */
static void value_problem(struct lc_diag *d, const char *file, long line, long col,
                          struct lc_slice v, const char *code, struct lc_diag_arg a,
                          struct lc_diag_arg b)
{
	char value[80];
	shown(v, value, sizeof value);
	const struct lc_diag_arg args[] = {LC_ARG_S("value", value), a, b, {NULL, 0, NULL, 0, 0.0}};
	lc_diag_addv(d, file, line, col, "value", code, args);
}

/* No further argument (ends the list). */
#define NO_ARG ((struct lc_diag_arg){NULL, 0, NULL, 0, 0.0})

static int parse_number(struct lc_slice v, double *num, const char *file, long line, long col,
                        struct lc_diag *d)
{
	if (v.len > 64 || !plain_number(v)) {
		if (memchr(v.ptr, ',', v.len))
			value_problem(d, file, line, col, v, "err_obs_value_decimal", NO_ARG,
			              NO_ARG);
		else
			value_problem(d, file, line, col, v, "err_obs_value_number", NO_ARG,
			              NO_ARG);
		return LC_EINVAL;
	}
	char tmp[72];
	memcpy(tmp, v.ptr, v.len);
	tmp[v.len] = '\0';
	char *end = NULL;
	double x = strtod(tmp, &end);
	if (!isfinite(x)) {
		value_problem(d, file, line, col, v, "err_obs_value_large", NO_ARG, NO_ARG);
		return LC_EINVAL;
	}
	*num = x;
	return 0;
}

static bool word_in(struct lc_slice v, const char *const *words)
{
	for (; *words; words++)
		if (lc_slice_eq_nocase(v, *words))
			return true;
	return false;
}

int lc_obs_validate(const struct lc_obs_measure *m, struct lc_slice value, struct lc_slice *norm,
                    double *num, const char *file, long line, long col, struct lc_diag *d)
{
	static const char *const yes[] = {"yes", "y", "true", "1", "oui", "si", "sí", "sim", NULL};
	static const char *const no[] = {"no", "n", "false", "0", "non", "não", "nao", NULL};
	struct lc_slice v = lc_slice_trim(value);
	*num = NAN;
	if (v.len == 0) {
		lc_diag_add(d, file, line, col, "value", "err_obs_value_empty");
		return LC_EINVAL;
	}
	if (!lc_utf8_valid(v.ptr, v.len)) {
		/* Bytes that are not text are not shown back. */
		lc_diag_add(d, file, line, col, "value", "err_obs_value_utf8");
		return LC_EINVAL;
	}
	if (v.len > LC_LIMIT_TEXT_BYTES) {
		value_problem(d, file, line, col, v, "err_obs_value_long",
		              LC_ARG_I("limit", LC_LIMIT_TEXT_BYTES), NO_ARG);
		return LC_EINVAL;
	}
	double x = NAN;
	switch (m->type) {
	case LC_OBS_TEXT: *norm = v; return 0;
	case LC_OBS_YES_NO:
		if (word_in(v, yes)) {
			*norm = lc_slice_cstr("yes");
			*num = 1;
			return 0;
		}
		if (word_in(v, no)) {
			*norm = lc_slice_cstr("no");
			*num = 0;
			return 0;
		}
		value_problem(d, file, line, col, v, "err_obs_value_yes_no", NO_ARG, NO_ARG);
		return LC_EINVAL;
	case LC_OBS_MATURITY: {
		long lvl = 0;
		if (lc_slice_to_long(v, 0, 4, &lvl) != 0) {
			value_problem(d, file, line, col, v, "err_obs_value_maturity", NO_ARG,
			              NO_ARG);
			return LC_EINVAL;
		}
		*norm = v;
		*num = (double)lvl;
		return 0;
	}
	case LC_OBS_PERCENTAGE:
		/* "12.5%" and "12.5 %" mean 12.5: the unit is the measurement's. */
		if (v.len && v.ptr[v.len - 1] == '%')
			v = lc_slice_trim(lc_slice_make(v.ptr, v.len - 1));
		if (parse_number(v, &x, file, line, col, d))
			return LC_EINVAL;
		if (x < 0 || x > 100) {
			value_problem(d, file, line, col, v, "err_obs_value_percentage", NO_ARG,
			              NO_ARG);
			return LC_EINVAL;
		}
		break;
	case LC_OBS_NUMBER:
		if (parse_number(v, &x, file, line, col, d))
			return LC_EINVAL;
		break;
	}
	if ((!isnan(m->low) && x < m->low) || (!isnan(m->high) && x > m->high)) {
		char lo[32] = "-inf", hi[32] = "+inf", said[80];
		if (!isnan(m->low))
			snprintf(lo, sizeof lo, "%g", m->low);
		if (!isnan(m->high))
			snprintf(hi, sizeof hi, "%g", m->high);
		shown(v, said, sizeof said);
		if (m->unit)
			lc_diag_addf(d, file, line, col, "value", "err_obs_value_goalposts_unit",
			             LC_ARG_S("value", said), LC_ARG_S("code", m->code),
			             LC_ARG_S("low", lo), LC_ARG_S("high", hi),
			             LC_ARG_S("unit", m->unit));
		else
			lc_diag_addf(d, file, line, col, "value", "err_obs_value_goalposts",
			             LC_ARG_S("value", said), LC_ARG_S("code", m->code),
			             LC_ARG_S("low", lo), LC_ARG_S("high", hi));
		return LC_EINVAL;
	}
	*norm = v;
	*num = x;
	return 0;
}

static bool is_formula(struct lc_slice s)
{
	s = lc_slice_trim(s);
	return s.len > 0 && s.ptr[0] == '=';
}

int lc_obs_check_text(struct lc_slice s, const char *file, long line, long col, const char *field,
                      struct lc_diag *d)
{
	if (s.len > LC_LIMIT_TEXT_BYTES) {
		lc_diag_addf(d, file, line, col, field, "err_obs_longer_bytes",
		             LC_ARG_I("limit", LC_LIMIT_TEXT_BYTES));
		return LC_EINVAL;
	}
	if (!lc_utf8_valid(s.ptr ? s.ptr : "", s.len)) {
		lc_diag_add(d, file, line, col, field, "err_obs_valid_utf_8_text");
		return LC_EINVAL;
	}
	return 0;
}

int lc_obs_check_row(const struct lc_obs_catalog *cat, const struct lc_obs_row *row,
                     const char *file, struct lc_obs_entry *out, struct lc_diag *d)
{
	int err = 0;
	long line = row->line;
	memset(out, 0, sizeof *out);
	out->line = line;
	const struct {
		struct lc_slice s;
		long col;
		const char *name;
	} cells[] = {
	    {row->city, row->col_city, "city"},
	    {row->measurement, row->col_measurement, "code"},
	    {row->year, row->col_year, "year"},
	    {row->value, row->col_value, "value"},
	    {row->source, row->col_source, "source"},
	    {row->note, row->col_note, "note"},
	};
	bool formula[6] = {false};
	for (size_t i = 0; i < 6; i++) {
		if (is_formula(cells[i].s)) {
			formula[i] = true;
			char value[80];
			shown(cells[i].s, value, sizeof value);
			lc_diag_addf(d, file, line, cells[i].col, cells[i].name, "err_obs_formula",
			             LC_ARG_S("value", value));
			err = LC_EINVAL;
		}
	}
	struct lc_slice city = lc_slice_trim(row->city), code = lc_slice_trim(row->measurement);
	struct lc_slice year = lc_slice_trim(row->year);
	if (!formula[0]) {
		out->city = city.len ? lc_obs_catalog_city(cat, city) : NULL;
		if (!out->city) {
			if (city.len) {
				char value[80];
				shown(city, value, sizeof value);
				lc_diag_addf(d, file, line, row->col_city, "city",
				             "err_obs_city_unknown", LC_ARG_S("value", value));
			} else
				lc_diag_add(d, file, line, row->col_city, "city",
				            "err_obs_city_missing");
			err = LC_EINVAL;
		}
	}
	if (!formula[1]) {
		out->m = code.len ? lc_obs_catalog_measure(cat, code) : NULL;
		if (!out->m) {
			if (code.len) {
				char value[80];
				shown(code, value, sizeof value);
				lc_diag_addf(d, file, line, row->col_measurement, "code",
				             "err_obs_code_unknown", LC_ARG_S("value", value));
			} else
				lc_diag_add(d, file, line, row->col_measurement, "code",
				            "err_obs_measurement_code_missing");
			err = LC_EINVAL;
		}
	}
	if (!formula[2] && lc_slice_to_long(year, cat->year_min, cat->year_max, &out->year) != 0) {
		char value[80];
		shown(year, value, sizeof value);
		lc_diag_addf(d, file, line, row->col_year, "year", "err_obs_year_cell",
		             LC_ARG_S("value", value), LC_ARG_I("min", cat->year_min),
		             LC_ARG_I("max", cat->year_max));
		err = LC_EINVAL;
	}
	if (!formula[3] && out->m &&
	    lc_obs_validate(out->m, row->value, &out->value, &out->num, file, line, row->col_value,
	                    d) != 0)
		err = LC_EINVAL;
	out->source = lc_slice_trim(row->source);
	out->note = lc_slice_trim(row->note);
	if (!formula[4] && lc_obs_check_text(out->source, file, line, row->col_source, "source", d))
		err = LC_EINVAL;
	if (!formula[5] && lc_obs_check_text(out->note, file, line, row->col_note, "note", d))
		err = LC_EINVAL;
	return err;
}

/* ---- writing ---- */

static int cmp_entry(const void *pa, const void *pb)
{
	const struct lc_obs_entry *a = pa, *b = pb;
	if (a->city->id != b->city->id)
		return a->city->id < b->city->id ? -1 : 1;
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->m->id != b->m->id)
		return a->m->id < b->m->id ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

bool lc_obs_col_eq(sqlite3_stmt *st, int i, struct lc_slice s)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return s.len == 0;
	const void *p = sqlite3_column_text(st, i);
	size_t n = (size_t)sqlite3_column_bytes(st, i);
	return n == s.len && (n == 0 || memcmp(p, s.ptr, n) == 0);
}

void lc_obs_bind_slice(sqlite3_stmt *st, int i, struct lc_slice s)
{
	if (s.len == 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s.ptr, (int)s.len, SQLITE_STATIC);
}

void lc_obs_bind_author(sqlite3_stmt *st, int id_col, int email_col, const struct lc_actor *actor)
{
	if (actor && actor->kind == LC_ACTOR_ACCOUNT) {
		sqlite3_bind_int64(st, id_col, actor->account_id);
		lc_db_bind_text(st, email_col, actor->email);
	} else {
		sqlite3_bind_null(st, id_col);
		lc_db_bind_text(st, email_col,
		                actor && actor->kind == LC_ACTOR_SYSTEM ? "system" : "anonymous");
	}
}

/* Can this actor change values of a year in status s? Sets why on refusal. */
bool lc_obs_status_allows(const struct lc_actor *actor, enum lc_year_review_state s,
                          const char **why)
{
	if (s == LC_YEAR_REVIEW_APPROVED) {
		*why = "err_obs_status_approved";
		return false;
	}
	if (s == LC_YEAR_REVIEW_SUBMITTED &&
	    lc_authz_check(actor, LC_ACT_REVIEW_OBSERVATIONS, NULL) != 0) {
		*why = "err_obs_status_submitted";
		return false;
	}
	return true;
}

/* One city-year's group: checks, then writes. Called twice: check pass, write pass. */
struct group_ctx {
	struct lc_db *db;
	const struct lc_actor *actor;
	struct lc_buf codes;
	int64_t now;
	/* The statements of the hot loop, looked up once per batch. */
	sqlite3_stmt *cur, *cur_code, *up, *ins;
};

/* The current version of a value: first under the same measurement row (one index
   lookup); failing that, under the same code in another framework version, so that a
   correction after a new version was published supersedes the old value instead of
   standing beside it. */
static const char SQL_CURRENT[] =
    "SELECT id, version, value_text, source, note FROM observations"
    " WHERE city_id = ?1 AND year = ?2 AND coalesce(measurement_id, 0) = ?3"
    " AND coalesce(local_measurement_id, 0) = 0 AND is_current = 1";
static const char SQL_CURRENT_BY_CODE[] =
    "SELECT id, version, value_text, source, note FROM observations"
    " WHERE city_id = ?1 AND year = ?2 AND coalesce(measurement_id, 0) IN"
    " (SELECT id FROM framework_measurements"
    "  WHERE code = (SELECT code FROM framework_measurements WHERE id = ?3))"
    " AND coalesce(local_measurement_id, 0) = 0 AND is_current = 1";
static const char SQL_INSERT[] =
    "INSERT INTO observations (city_id, measurement_id, year, version, is_current,"
    " value_text, value_num, source, note, author_id, author_email, created_at)"
    " VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

/*
 * Looks up the current version of e's value: 1 when it equals e (nothing
 * to write); 0 with *old_id and *version set (0 and 1 when there is none)
 * after marking the old one superseded; or a negative error.
 */
static int supersede(struct lc_db *db, sqlite3_stmt *exact, sqlite3_stmt *by_code, sqlite3_stmt *up,
                     const struct lc_obs_entry *e, int64_t *old_id, int64_t *version)
{
	sqlite3_stmt *cur = exact;
	int rc = 0;
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		cur = pass ? by_code : exact;
		sqlite3_bind_int64(cur, 1, e->city->id);
		sqlite3_bind_int64(cur, 2, e->year);
		sqlite3_bind_int64(cur, 3, e->m->id);
		rc = lc_db_step(db, cur);
	}
	if (rc == 1) {
		bool same = lc_obs_col_eq(cur, 2, e->value) && lc_obs_col_eq(cur, 3, e->source) &&
		            lc_obs_col_eq(cur, 4, e->note);
		*old_id = sqlite3_column_int64(cur, 0);
		*version = sqlite3_column_int64(cur, 1) + 1;
		sqlite3_reset(cur);
		if (same) {
			*old_id = 0;
			return 1;
		}
	}
	if (rc < 0 || !*old_id)
		return rc < 0 ? rc : 0;
	sqlite3_bind_int64(up, 1, *old_id);
	rc = lc_db_step(db, up);
	return rc < 0 ? rc : 0;
}

static int write_group(struct group_ctx *g, struct lc_obs_entry *e, size_t n,
                       struct lc_obs_summary *sum)
{
	struct lc_db *db = g->db;
	int err = lc_year_review_ensure(db, g->actor, e[0].city->id, e[0].year);
	if (err < 0)
		return err;
	/* A city-year created now holds no values: no current version to look up. */
	bool fresh = err == 1;
	err = 0;
	size_t written = 0, corrected = 0, unchanged = 0;
	lc_buf_reset(&g->codes);
	for (size_t i = 0; i < n && !err; i++) {
		int64_t old_id = 0, version = 1;
		int rc =
		    fresh ? 0 : supersede(db, g->cur, g->cur_code, g->up, &e[i], &old_id, &version);
		if (rc < 0)
			return rc;
		if (rc == 1) {
			unchanged++;
			continue;
		}
		if (old_id)
			corrected++;
		sqlite3_stmt *ins = g->ins;
		sqlite3_bind_int64(ins, 1, e[i].city->id);
		sqlite3_bind_int64(ins, 2, e[i].m->id);
		sqlite3_bind_int64(ins, 3, e[i].year);
		sqlite3_bind_int64(ins, 4, version);
		sqlite3_bind_text(ins, 5, e[i].value.ptr, (int)e[i].value.len, SQLITE_STATIC);
		if (isnan(e[i].num))
			sqlite3_bind_null(ins, 6);
		else
			sqlite3_bind_double(ins, 6, e[i].num);
		lc_obs_bind_slice(ins, 7, e[i].source);
		lc_obs_bind_slice(ins, 8, e[i].note);
		lc_obs_bind_author(ins, 9, 10, g->actor);
		sqlite3_bind_int64(ins, 11, g->now);
		rc = lc_db_step(db, ins);
		if (rc < 0)
			return rc;
		written++;
		lc_buf_printf(&g->codes, "%s%s@%lld", g->codes.len ? " " : "", e[i].m->code,
		              (long long)version);
	}
	sum->written += written;
	sum->corrected += corrected;
	sum->unchanged += unchanged;
	if (!written)
		return 0;
	if (lc_buf_error(&g->codes))
		return LC_ELIMIT;
	json_t *after = json_pack("{s:s, s:I, s:I, s:I, s:I, s:s}", "city", e[0].city->slug, "year",
	                          (json_int_t)e[0].year, "written", (json_int_t)written,
	                          "corrected", (json_int_t)corrected, "unchanged",
	                          (json_int_t)unchanged, "versions", lc_buf_cstr(&g->codes));
	if (!after)
		return LC_EINTERNAL;
	char oid[48];
	snprintf(oid, sizeof oid, "%lld/%ld", (long long)e[0].city->id, e[0].year);
	err =
	    lc_audit_append(db, g->actor, "observations.put", "city_year", oid, NULL, after, NULL);
	json_decref(after);
	return err;
}

size_t lc_obs_check_duplicates(struct lc_obs_entry *entries, size_t n, const char *file,
                               struct lc_diag *d)
{
	size_t dups = 0;
	if (n > 1)
		qsort(entries, n, sizeof *entries, cmp_entry);
	for (size_t k = 1; k < n; k++) {
		const struct lc_obs_entry *a = &entries[k - 1], *b = &entries[k];
		if (a->city == b->city && a->year == b->year && a->m == b->m) {
			lc_diag_addf(d, file, b->line, 0, NULL,
			             "err_obs_duplicate_row_already_gives",
			             LC_ARG_I("line", a->line), LC_ARG_S("code", b->m->code),
			             LC_ARG_S("slug", b->city->slug), LC_ARG_I("year", b->year));
			dups++;
		}
	}
	return dups;
}

int lc_obs_write(struct lc_db *db, const struct lc_actor *actor, const struct lc_obs_catalog *cat,
                 struct lc_obs_entry *entries, size_t n, const char *file, struct lc_diag *d,
                 struct lc_obs_summary *sum, const struct lc_obs_progress *progress)
{
	(void)cat;
	struct lc_obs_summary local = {0};
	if (!sum)
		sum = &local;
	memset(sum, 0, sizeof *sum);
	sum->rows = n;
	if (n == 0)
		return 0;
	size_t problems = lc_obs_check_duplicates(entries, n, file, d), perm_problems = 0;
	long old_cache = 0;
	int err = lc_db_begin(db);
	if (err)
		return err;
	/* Check pass: permissions and statuses, before anything is written. */
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && entries[j].city == entries[i].city &&
		       entries[j].year == entries[i].year)
			j++;
		const struct lc_obs_entry *e = &entries[i];
		struct lc_authz_object obj = {.city_id = e->city->id};
		int a = lc_authz_check(actor, LC_ACT_ENTER_OBSERVATIONS, &obj);
		if (a) {
			lc_diag_addf(d, file, e->line, 0, NULL,
			             j - i == 1 ? "err_obs_may_not_enter_row"
			                        : "err_obs_may_not_enter_rows",
			             LC_ARG_S("actor", actor && actor->kind == LC_ACTOR_ACCOUNT
			                                   ? actor->email
			                                   : "nobody"),
			             LC_ARG_S("slug", e->city->slug), LC_ARG_I("count", j - i));
			problems++;
			perm_problems++;
		} else {
			enum lc_year_review_state s;
			const char *why = NULL;
			err = lc_year_review_state_get(db, e->city->id, e->year, &s);
			if (err)
				goto out;
			if (!lc_obs_status_allows(actor, s, &why)) {
				lc_diag_addf(
				    d, file, e->line, 0, NULL,
				    j - i == 1 ? "err_obs_status_row" : "err_obs_status_rows",
				    LC_ARG_S("slug", e->city->slug), LC_ARG_I("year", e->year),
				    LC_ARG_K("why", why), LC_ARG_I("count", j - i));
				problems++;
			}
		}
		sum->city_years++;
		i = j;
	}
	if (problems) {
		err = perm_problems == problems ? LC_EPERM : LC_EINVAL;
		goto out;
	}
	/* A big batch gets a big page cache for its transaction, then the old one back. */
	if (n >= LC_IMPORT_BIG_BATCH) {
		sqlite3_stmt *pc = lc_db_stmt(db, "PRAGMA cache_size");
		if (pc && lc_db_step(db, pc) == 1)
			old_cache = (long)sqlite3_column_int64(pc, 0);
		lc_db_release(db, pc);
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA cache_size = -%u", LC_LIMIT_IMPORT_CACHE_KIB);
		if (old_cache)
			(void)lc_db_exec(db, sql);
	}
	struct group_ctx g = {.db = db,
	                      .actor = actor,
	                      .now = lc_clock_now(),
	                      .cur = lc_db_stmt(db, SQL_CURRENT),
	                      .cur_code = lc_db_stmt(db, SQL_CURRENT_BY_CODE),
	                      .up = lc_db_stmt(db, LC_OBS_SQL_SUPERSEDE),
	                      .ins = lc_db_stmt(db, SQL_INSERT)};
	if (!g.cur || !g.cur_code || !g.up || !g.ins)
		err = LC_EDB;
	lc_buf_init(&g.codes, LC_LIMIT_AUDIT_JSON_BYTES / 2);
	for (size_t i = 0; i < n && !err;) {
		size_t j = i + 1;
		while (j < n && entries[j].city == entries[i].city &&
		       entries[j].year == entries[i].year)
			j++;
		err = write_group(&g, &entries[i], j - i, sum);
		/* Every 8192 values or so: a progress bar does not need more. */
		if (progress && progress->fn && (j >> 13) != (i >> 13))
			progress->fn(progress->ctx, "writing", j, n);
		i = j;
	}
	if (progress && progress->fn && !err)
		progress->fn(progress->ctx, "writing", n, n);
	lc_buf_cleanup(&g.codes);
	lc_db_release(db, g.cur);
	lc_db_release(db, g.cur_code);
	lc_db_release(db, g.up);
	lc_db_release(db, g.ins);
	if (!err)
		err = lc_db_commit(db);
out:
	if (err) {
		lc_db_rollback(db);
		sum->written = sum->corrected = sum->unchanged = 0;
	}
	if (old_cache) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA cache_size = %ld", old_cache);
		(void)lc_db_exec(db, sql);
	}
	return err;
}

int lc_obs_put(struct lc_db *db, const struct lc_actor *actor, const struct lc_obs_row *rows,
               size_t n, struct lc_diag *d, struct lc_obs_summary *sum)
{
	if (n > LC_LIMIT_CSV_ROWS) {
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_obs_more_values_one_batch",
		             LC_ARG_I("limit", (unsigned)LC_LIMIT_CSV_ROWS));
		return LC_ELIMIT;
	}
	struct lc_obs_catalog cat;
	int err = lc_obs_catalog_load(db, &cat);
	struct lc_obs_entry *e = NULL;
	if (err)
		goto out;
	e = lc_xcalloc(n ? n : 1, sizeof *e);
	for (size_t i = 0; i < n; i++)
		if (lc_obs_check_row(&cat, &rows[i], NULL, &e[i], d) != 0)
			err = LC_EINVAL;
	if (!err)
		err = lc_obs_write(db, actor, &cat, e, n, NULL, d, sum, NULL);
out:
	lc_free(e);
	lc_obs_catalog_cleanup(&cat);
	return err;
}
