/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The framework validator (framework.h): walks a "learncity-framework/1"
 * document collecting every problem, each named by its JSON path, CSV row
 * and column, or form field, before anything is written.
 */
#include "domain/monitoring/framework.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
#include "domain/platform/row.h"
#include "domain/platform/text.h"
#include "domain/monitoring/framework_internal.h"
#include "formats/csv.h"

#define CODE_MAX 32
#define UNIT_MAX 64

static const char *const directions[] = {"higher_is_better", "lower_is_better", "neutral", NULL};
static const char *const types[] = {"number", "percentage", "yes_no", "maturity_0_4", "text", NULL};
static const char *const provenances[] = {"verified", "secondary", "provisional", NULL};

static bool one_of(const char *s, const char *const *set)
{
	for (; s && *set; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

/* ---- problems ----------------------------------------------------------- */

static char *dup_cut(const char *s, size_t max)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	if (n > max) {
		/* Cut on a character boundary so the text stays valid UTF-8. */
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	char *c = lc_xmalloc(n + 1);
	memcpy(c, s, n);
	c[n] = '\0';
	return c;
}

void lc_framework_problem_add(struct lc_diag *d, long row, long column, const char *field,
                              const char *value, const char *code, const struct lc_diag_arg *extra)
{
	struct lc_diag_arg args[LC_DIAG_MAX_ARGS + 1];
	size_t n = 0;
	if (value && value[0])
		args[n++] = LC_ARG_S("value", value);
	for (size_t i = 0; extra && extra[i].name && n < LC_DIAG_MAX_ARGS; i++)
		args[n++] = extra[i];
	args[n] = (struct lc_diag_arg){NULL, 0, NULL, 0, 0.0};
	lc_diag_addv(d, NULL, row, column, field, code, args);
}

/* ---- validation --------------------------------------------------------- */

/* The flat name of key: "title" -> PREFIX"title_en", "label.fr" -> "label_fr", ... */
static void flat_name(const char *prefix, const char *key, char *out, size_t size)
{
	if (!key) {
		size_t n = strlen(prefix);
		snprintf(out, size, "%.*s", (int)(n > 0 ? n - 1 : 0), prefix);
	} else if (strcmp(key, "title") == 0 || strcmp(key, "title.en") == 0) {
		snprintf(out, size, "%stitle_en", prefix);
	} else if (strcmp(key, "title.fr") == 0) {
		snprintf(out, size, "%stitle_fr", prefix);
	} else if (strcmp(key, "label") == 0 || strcmp(key, "label.en") == 0) {
		snprintf(out, size, "label_en");
	} else if (strcmp(key, "label.fr") == 0) {
		snprintf(out, size, "label_fr");
	} else if (strncmp(key, "title.", 6) == 0 || strncmp(key, "label.", 6) == 0) {
		snprintf(out, size, "%s%s_en", strncmp(key, "title", 5) == 0 ? prefix : "",
		         strncmp(key, "title", 5) == 0 ? "title" : "label");
	} else if (strcmp(key, "provenance") == 0) {
		snprintf(out, size, "%sstatus", prefix);
	} else if (strcmp(key, "code") == 0) {
		snprintf(out, size, "%scode", prefix);
	} else {
		snprintf(out, size, "%s", key);
	}
}

/* A JSON value as the text a person typed: strings as they are, null as nothing. */
static char *value_text(const json_t *v)
{
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return dup_cut(json_string_value(v), 200);
	if (json_is_number(v)) {
		char t[40];
		lc_framework_fmt_num(json_number_value(v), t, sizeof(t));
		return dup_cut(t, 200);
	}
	char t[201];
	size_t n = json_dumpb(v, t, sizeof(t) - 1, JSON_COMPACT | JSON_ENCODE_ANY);
	t[n < sizeof(t) - 1 ? n : sizeof(t) - 1] = '\0';
	return dup_cut(t, 200);
}

/* Adds the problem code (extra: more arguments, or NULL) at key of the node at l. */
static void vproblem(struct lc_framework_vctx *v, const struct lc_framework_loc *l, const char *key,
                     const json_t *value, const char *code, const struct lc_diag_arg *extra)
{
	char field[256];
	if (l->path)
		snprintf(field, sizeof(field), "%s%s%s", l->path, key && l->path[0] ? "." : "",
		         key ? key : "");
	else
		flat_name(l->prefix, key, field, sizeof(field));
	long row = 0, col = 0;
	char *text = NULL;
	if (v->csv && l->ri >= 0 && (size_t)l->ri < v->csv->n_rows) {
		row = v->csv->line[l->ri];
		long c = lc_csv_find_col(v->csv, field);
		if (c >= 0) {
			col = c + 1;
			text = dup_cut(lc_csv_cstr(v->csv, (size_t)l->ri, (size_t)c), 200);
		}
	}
	if (!col)
		text = value_text(value);
	lc_framework_problem_add(v->p, row, col, field, text, code, extra);
	lc_free(text);
}

/* A code: 1..32 ASCII letters, digits, '.', '-', '_'. */
static bool code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	bool ok = n >= 1 && n <= CODE_MAX;
	for (size_t i = 0; ok && i < n; i++) {
		char c = s[i];
		ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		     c == '.' || c == '-' || c == '_';
	}
	return ok;
}

/* The node's code if valid and (unless version) unique in the version; else NULL. */
static const char *check_code(struct lc_framework_vctx *v, const struct lc_framework_loc *l,
                              json_t *node, bool version)
{
	json_t *c = json_object_get(node, "code");
	const char *s = json_string_value(c);
	if (!c || json_is_null(c) || (s && !s[0])) {
		vproblem(v, l, "code", c, "err_fw_required", NULL);
		return NULL;
	}
	if (!code_ok(s)) {
		vproblem(v, l, "code", c, "err_fw_code", NULL);
		return NULL;
	}
	if (version) {
		size_t n = strlen(s);
		if ((n >= 4 && strcmp(s + n - 4, ".csv") == 0) ||
		    (n >= 5 && strcmp(s + n - 5, ".json") == 0)) {
			vproblem(v, l, "code", c, "err_fw_code_file", NULL);
			return NULL;
		}
		return s;
	}
	if (strcmp(s, "index") == 0) {
		vproblem(v, l, "code", c, "err_fw_code_index", NULL);
		return NULL;
	}
	if (json_object_get(v->codes, s)) {
		vproblem(v, l, "code", c, "err_fw_code_twice", NULL);
		return NULL;
	}
	json_object_set_new(v->codes, s, json_true());
	return s;
}

/* A translatable text: an object of language -> non-empty text, with "en". */
static void check_text(struct lc_framework_vctx *v, const struct lc_framework_loc *l, json_t *node,
                       const char *key, bool required)
{
	json_t *t = json_object_get(node, key);
	if (!t || json_is_null(t)) {
		if (required)
			vproblem(v, l, key, NULL, "err_fw_required", NULL);
		return;
	}
	if (!json_is_object(t)) {
		vproblem(v, l, key, t, "err_fw_text_map", NULL);
		return;
	}
	json_t *en = json_object_get(t, "en");
	if (!json_is_string(en) || json_string_length(en) == 0) {
		char k[32];
		snprintf(k, sizeof(k), "%s.en", key);
		vproblem(v, l, k, en, "err_fw_english", NULL);
	}
	const char *lang;
	json_t *x;
	json_object_foreach(t, lang, x)
	{
		char k[64];
		snprintf(k, sizeof(k), "%s.%.16s", key, lang);
		if (!lc_text_lang_ok(lang))
			vproblem(v, l, k, NULL, "err_fw_language",
			         LC_FW_ARGS(LC_ARG_S("lang", lang)));
		else if (!json_is_string(x) || (json_string_length(x) == 0 && strcmp(lang, "en")))
			vproblem(v, l, k, x, "err_fw_text", NULL);
		else if (json_string_length(x) > LC_LIMIT_TEXT_BYTES)
			vproblem(v, l, k, NULL, "err_fw_text_long",
			         LC_FW_ARGS(LC_ARG_I("limit", LC_LIMIT_TEXT_BYTES)));
	}
}

static void check_enum(struct lc_framework_vctx *v, const struct lc_framework_loc *l, json_t *node,
                       const char *key, const char *const *set, const char *expect)
{
	json_t *x = json_object_get(node, key);
	const char *s = json_string_value(x);
	if (!x || json_is_null(x) || (s && !s[0]))
		vproblem(v, l, key, x, "err_fw_enum_required",
		         LC_FW_ARGS(LC_ARG_S("choices", expect)));
	else if (!one_of(s, set))
		vproblem(v, l, key, x, "err_fw_enum", LC_FW_ARGS(LC_ARG_S("choices", expect)));
}

/* s without leading and trailing white space, or NULL when it has none to lose. */
static json_t *trimmed(const json_t *s)
{
	const char *t = json_string_value(s);
	size_t n = json_string_length(s), a = 0;
	if (!t)
		return NULL;
	while (a < n && strchr(" \t\r\n\v\f", t[a]) && t[a])
		a++;
	while (n > a && strchr(" \t\r\n\v\f", t[n - 1]) && t[n - 1])
		n--;
	if (a == 0 && n == json_string_length(s))
		return NULL;
	return json_stringn(t + a, n - a);
}

/*
 * Tidies a node in place before it is checked: texts and the unit lose
 * leading and trailing white space (a CSV cell loses it anyway, so every way
 * in stores the same text and an export imports back unchanged), and an
 * empty unit becomes none.
 */
static void tidy(json_t *node)
{
	static const char *const texts[] = {"title", "label", "note", NULL};
	for (size_t i = 0; texts[i]; i++) {
		json_t *t = json_object_get(node, texts[i]);
		const char *lang;
		json_t *x;
		void *tmp;
		json_object_foreach_safe(t, tmp, lang, x)
		{
			json_t *y = trimmed(x);
			if (y)
				json_object_set_new(t, lang, y);
		}
	}
	json_t *unit = json_object_get(node, "unit");
	json_t *u = trimmed(unit);
	if (u)
		json_object_set_new(node, "unit", u);
	if (json_is_string(json_object_get(node, "unit")) &&
	    json_string_length(json_object_get(node, "unit")) == 0)
		json_object_set_new(node, "unit", json_null());
}

static bool check_node(struct lc_framework_vctx *v, const struct lc_framework_loc *l, json_t *node)
{
	if (!json_is_object(node)) {
		vproblem(v, l, NULL, node, "err_fw_object", NULL);
		return false;
	}
	tidy(node);
	if (++v->nodes > LC_LIMIT_FRAMEWORK_NODES) {
		if (!v->over)
			vproblem(v, l, NULL, NULL, "err_fw_too_many",
			         LC_FW_ARGS(LC_ARG_I("limit", LC_LIMIT_FRAMEWORK_NODES)));
		v->over = true;
		return false;
	}
	return true;
}

void lc_framework_check_measurement(struct lc_framework_vctx *v, const struct lc_framework_loc *l,
                                    json_t *m)
{
	if (!check_node(v, l, m))
		return;
	check_code(v, l, m, false);
	check_text(v, l, m, "label", true);
	json_t *unit = json_object_get(m, "unit");
	if (unit && !json_is_null(unit) &&
	    (!json_is_string(unit) || json_string_length(unit) > UNIT_MAX))
		vproblem(v, l, "unit", unit, "err_fw_unit",
		         LC_FW_ARGS(LC_ARG_I("limit", UNIT_MAX)));
	check_enum(v, l, m, "direction", directions,
	           "higher_is_better, lower_is_better or neutral");
	check_enum(v, l, m, "type", types, "number, percentage, yes_no, maturity_0_4 or text");
	json_t *lo = json_object_get(m, "goalpost_low"), *hi = json_object_get(m, "goalpost_high");
	bool ok = true;
	if (lo && !json_is_null(lo) && !(json_is_number(lo) && isfinite(json_number_value(lo)))) {
		vproblem(v, l, "goalpost_low", lo, "err_fw_number", NULL);
		ok = false;
	}
	if (hi && !json_is_null(hi) && !(json_is_number(hi) && isfinite(json_number_value(hi)))) {
		vproblem(v, l, "goalpost_high", hi, "err_fw_number", NULL);
		ok = false;
	}
	if (ok && json_is_number(lo) && json_is_number(hi) &&
	    !(json_number_value(lo) < json_number_value(hi)))
		vproblem(v, l, "goalpost_high", hi, "err_fw_goalposts", NULL);
	check_enum(v, l, m, "provenance", provenances, "verified, secondary or provisional");
}

/* A level's array of children: problems when it is not an array. */
static json_t *check_list(struct lc_framework_vctx *v, const struct lc_framework_loc *l,
                          json_t *node, const char *key)
{
	json_t *a = json_object_get(node, key);
	if (!json_is_array(a)) {
		vproblem(v, l, key, a, "err_fw_array", NULL);
		return NULL;
	}
	return a;
}

/* A part, area or feature: code, title, provenance. */
static bool check_group(struct lc_framework_vctx *v, const struct lc_framework_loc *l, json_t *n)
{
	if (!check_node(v, l, n))
		return false;
	check_code(v, l, n, false);
	check_text(v, l, n, "title", true);
	check_enum(v, l, n, "provenance", provenances, "verified, secondary or provisional");
	return true;
}

/* The location of a child node: its JSON path, or the CSV row it came from. */
static void child_loc(struct lc_framework_vctx *v, struct lc_framework_loc *l, char *buf,
                      size_t size, const char *parent, const char *key, size_t i, json_t *n,
                      const char *prefix)
{
	json_t *ri = json_object_get(n, "_ri");
	if (v->csv) {
		l->path = NULL;
		l->prefix = prefix;
		l->ri = json_is_integer(ri) ? (long)json_integer_value(ri) : -1;
	} else {
		snprintf(buf, size, "%s%s%s[%zu]", parent, parent[0] ? "." : "", key, i);
		l->path = buf;
		l->prefix = prefix;
		l->ri = -1;
	}
}

static bool date_ok(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m < 1 || m > 12 || d < 1)
		return false;
	return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

static void check_version(struct lc_framework_vctx *v, const struct lc_framework_loc *l,
                          json_t *ver)
{
	if (!json_is_object(ver)) {
		vproblem(v, l, NULL, ver, "err_fw_object", NULL);
		return;
	}
	tidy(ver);
	check_code(v, l, ver, true);
	check_text(v, l, ver, "title", true);
	check_text(v, l, ver, "note", false);
	json_t *adopted = json_object_get(ver, "adopted");
	if (adopted && !json_is_null(adopted) && !date_ok(json_string_value(adopted)))
		vproblem(v, l, "adopted", adopted, "err_fw_date", NULL);
	check_enum(v, l, ver, "provenance", provenances, "verified, secondary or provisional");
}

/* Walks the parts of doc (problems in v); the version itself is checked by the caller. */
static void check_tree(struct lc_framework_vctx *v, json_t *doc)
{
	struct lc_framework_loc top = {.path = "", .prefix = "", .ri = -1};
	json_t *parts = check_list(v, &top, doc, "parts");
	if (!parts)
		return;
	char pp[64], ap[96], fp[128], mp[176];
	size_t i, j, k, m;
	json_t *p, *a, *f, *x;
	json_array_foreach(parts, i, p)
	{
		struct lc_framework_loc pl, al, fl, ml;
		child_loc(v, &pl, pp, sizeof(pp), "", "parts", i, p, "part_");
		if (!check_group(v, &pl, p))
			continue;
		json_t *areas = check_list(v, &pl, p, "areas");
		json_array_foreach(areas, j, a)
		{
			child_loc(v, &al, ap, sizeof(ap), pp, "areas", j, a, "area_");
			if (!check_group(v, &al, a))
				continue;
			json_t *features = check_list(v, &al, a, "features");
			json_array_foreach(features, k, f)
			{
				child_loc(v, &fl, fp, sizeof(fp), ap, "features", k, f, "feature_");
				if (!check_group(v, &fl, f))
					continue;
				json_t *ms = check_list(v, &fl, f, "measurements");
				json_array_foreach(ms, m, x)
				{
					child_loc(v, &ml, mp, sizeof(mp), fp, "measurements", m, x,
					          "");
					lc_framework_check_measurement(v, &ml, x);
					if (v->over)
						return;
				}
			}
		}
	}
}

/* The checks of a whole document; problems in p; LC_EINVAL or LC_ELIMIT when any. */
int lc_framework_check_doc(json_t *doc, const struct lc_csv *csv, bool flat_version,
                           struct lc_diag *p)
{
	size_t before = lc_diag_total(p);
	struct lc_framework_vctx v = {.p = p, .csv = csv, .codes = json_object()};
	struct lc_framework_loc vl = {
	    .path = flat_version ? NULL : "version", .prefix = "version_", .ri = -1};
	check_version(&v, &vl, json_object_get(doc, "version"));
	check_tree(&v, doc);
	json_decref(v.codes);
	if (v.over)
		return LC_ELIMIT;
	return p && lc_diag_total(p) > before ? LC_EINVAL : 0;
}
