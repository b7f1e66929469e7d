/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The people's side of the case-study library: the author's form and the
 * curator's queue. It owns no rule: the form writes through
 * lc_library_create and lc_library_update (the same calls as POST and PUT
 * /api/v1/library), submits through lc_library_take, and shows the checks
 * before submission as lc_library_checks lists them.
 *
 * Pages:
 *   GET|POST /library/new                 a new draft: city, original language, title
 *   GET|POST /library/{id}/edit?part=&tl= the draft, in parts so that it works without
 *                                         JavaScript: "about" (period, areas, SDGs, targets,
 *                                         licence), "people" (groups, settings, partners,
 *                                         funding, people reached, evidence, related records)
 *                                         and "text" in one language tl at a time; each part
 *                                         saves a draft ("save") or saves and submits
 *   GET      /admin/library               the curator's queue: submitted first, by state, paged
 *   POST     /library/{id}/featured       the secretariat's "featured" label (on=1 or 0)
 *   POST     /api/v1/library/{id}/featured {"featured": true|false}: 200 the case
 */
#include "web/routes/group.h"
#include "web/routes/site.h"
#include "web/routes/auth.h"
#include "web/routes/label.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "domain/accounts/authz.h"
#include "domain/library/library.h"
#include "web/http.h"
#include "web/multipart.h"

static const char *param(const struct lc_req *req, const char *name)
{
	const char *s = lc_req_str(req, name);
	return s && *s ? s : NULL;
}

static const struct lc_label section_keys[] = {
    {"title", "library_form_title"},
    {"summary", "library_section_summary"},
    {"context", "library_section_context"},
    {"objectives", "library_section_objectives"},
    {"activities", "library_section_activities"},
    {"outcomes", "library_section_outcomes"},
    {"challenges", "library_section_challenges"},
    {"lessons", "library_section_lessons"},
    {"sustainability", "library_section_sustainability"},
    {"transferability", "library_section_transferability"},
    {"keywords", "library_section_keywords"},
    {NULL, NULL},
};

static const char *const parts[] = {"about", "people", "text", "files", NULL};
static const char *const langs[] = {"ar", "zh", "en", "fr", "ru", "es", NULL};
static const char *const actions[] = {"save", "submit", NULL};
static const char *const licences[] = {"CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC0-1.0",
                                       NULL};

static const struct lc_label done_keys[] = {
    {"created", "library_done_created"},
    {"save", "library_done_saved"},
    {"submit", "library_done_submitted"},
    {"file", "library_done_file"},
    {NULL, NULL},
};

/* ---- a new draft ------------------------------------------------------------------------- */

static const struct lc_param_spec new_params[] = {
    {.name = "city", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 80},
    {.name = "original", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 8},
    {.name = "title",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_LIBRARY_TITLE_BYTES},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static json_t *lang_options(struct lc_req *req, const char *cur)
{
	json_t *a = json_array();
	for (size_t i = 0; langs[i]; i++)
		json_array_append_new(
		    a, json_pack("{s:s, s:s, s:b}", "code", langs[i], "name",
		                 lc_label_text(req, lc_label_library_langs, langs[i]), "selected",
		                 cur && strcmp(cur, langs[i]) == 0));
	return a;
}

static int new_page(struct lc_req *req, struct lc_resp *resp, const struct lc_diag *d, int status)
{
	json_t *cities = NULL;
	struct lc_db *db = NULL;
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_library_cities(db, lc_auth_actor(req), req->lang, &cities);
	lc_site_db_read_end(req, db);
	if (err)
		return err;
	const char *city = param(req, "city");
	size_t i;
	json_t *c;
	json_array_foreach(cities, i, c)
	{
		const char *slug = json_string_value(json_object_get(c, "slug"));
		json_object_set_new(c, "selected", json_boolean(city && strcmp(city, slug) == 0));
	}
	const char *lang = param(req, "original");
	json_t *vm =
	    json_pack("{s:o, s:o, s:s?}", "cities", cities, "langs",
	              lang_options(req, lang ? lang : req->lang), "title", param(req, "title"));
	json_t *extra = json_object();
	if (d && d->count) {
		json_object_set_new(extra, "errors", lc_site_field_errors(req, d));
		json_object_set_new(extra, "form_error",
		                    json_string(lc_site_t(req, "library_form_refused")));
	}
	err = lc_site_page(req, resp, "library_new", lc_site_t(req, "library_new_title"), "library",
	                   vm, extra);
	if (!err && status)
		resp->status = status;
	json_decref(vm);
	json_decref(extra);
	return err;
}

static int route_new(struct lc_req *req, struct lc_resp *resp)
{
	return lc_auth_fail(req, resp, new_page(req, resp, NULL, 0));
}

static int route_new_post(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_diag d;
	lc_diag_init(&d);
	json_t *body = json_pack("{s:s, s:s, s:s}", "city",
	                         lc_req_str(req, "city") ? lc_req_str(req, "city") : "", "lang",
	                         lc_req_str(req, "original") ? lc_req_str(req, "original") : "",
	                         "title", lc_req_str(req, "title") ? lc_req_str(req, "title") : "");
	int64_t id = 0;
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_library_create(db, lc_auth_actor(req), body, &id, &d);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL)
		err = new_page(req, resp, &d, 422);
	else if (!err)
		err = lc_resp_redirect(
		    resp, lc_arena_printf(req->arena, "/library/%lld/edit?part=text&done=created",
		                          (long long)id));
	json_decref(body);
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* ---- the draft's form ---------------------------------------------------------------------- */

#define TEXT_FIELD(n)                                                                              \
	{                                                                                          \
		.name = n, .source = LC_PARAM_FORM, .type = LC_PARAM_STRING,                       \
		.max_len = LC_LIMIT_LIBRARY_TEXT_BYTES                                             \
	}
#define SHORT_FIELD(n)                                                                             \
	{                                                                                          \
		.name = n, .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 40         \
	}
#define LIST_FIELD(n)                                                                              \
	{                                                                                          \
		.name = n, .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .multi = true,        \
		.max_len = 40                                                                      \
	}
static const struct lc_param_spec edit_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "part", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = parts},
    {.name = "tl", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = langs},
    {.name = "done", .source = LC_PARAM_QUERY, .type = LC_PARAM_STRING, .max_len = 16},
    {.name = "action", .source = LC_PARAM_FORM, .type = LC_PARAM_ENUM, .choices = actions},
    SHORT_FIELD("start"),
    SHORT_FIELD("end"),
    LIST_FIELD("areas"),
    SHORT_FIELD("primary_area"),
    LIST_FIELD("sdgs"),
    SHORT_FIELD("primary_sdg"),
    {.name = "targets", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 400},
    SHORT_FIELD("licence"),
    LIST_FIELD("target_groups"),
    LIST_FIELD("settings"),
    TEXT_FIELD("partners"),
    TEXT_FIELD("funding"),
    SHORT_FIELD("reached_number"),
    SHORT_FIELD("reached_year"),
    SHORT_FIELD("evaluation"),
    TEXT_FIELD("indicators"),
    TEXT_FIELD("related"),
    {.name = "title",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_LIBRARY_TITLE_BYTES},
    TEXT_FIELD("summary"),
    TEXT_FIELD("context"),
    TEXT_FIELD("objectives"),
    TEXT_FIELD("activities"),
    TEXT_FIELD("outcomes"),
    TEXT_FIELD("challenges"),
    TEXT_FIELD("lessons"),
    TEXT_FIELD("sustainability"),
    TEXT_FIELD("transferability"),
    TEXT_FIELD("keywords"),
    LC_CSRF_PARAM,
    {.name = NULL},
};
#undef TEXT_FIELD
#undef SHORT_FIELD
#undef LIST_FIELD

/* The form's fields as the case holds them: text for the boxes, lists for the check boxes. */
static json_t *form_of_case(const json_t *c, const char *tl)
{
	json_t *f = json_object();
	const json_t *p = json_object_get(c, "period");
	if (json_is_integer(json_object_get(p, "start")))
		json_object_set_new(f, "start",
		                    json_sprintf("%lld", (long long)json_integer_value(
		                                             json_object_get(p, "start"))));
	if (json_is_integer(json_object_get(p, "end")))
		json_object_set_new(
		    f, "end",
		    json_sprintf("%lld", (long long)json_integer_value(json_object_get(p, "end"))));
	static const char *const lists[] = {"areas", "sdgs", "target_groups", "settings"};
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
		const json_t *l = json_object_get(c, lists[i]);
		json_object_set_new(f, lists[i],
		                    json_is_array(l) ? json_deep_copy(l) : json_array());
	}
	static const char *const strs[] = {"primary_area", "primary_sdg", "licence"};
	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
		if (json_is_string(json_object_get(c, strs[i])))
			json_object_set(f, strs[i], json_object_get(c, strs[i]));
	char buf[LC_LIMIT_LIBRARY_TEXT_BYTES];
	size_t i, n = 0;
	const json_t *x;
	/* Lists of records, one line each, members separated by " | ". */
#define LINES(member, body)                                                                        \
	n = 0;                                                                                     \
	buf[0] = '\0';                                                                             \
	json_array_foreach(json_object_get(c, member), i, x)                                       \
	{                                                                                          \
		int w = body;                                                                      \
		if (w < 0 || (size_t)w >= sizeof buf - n)                                          \
			break;                                                                     \
		n += (size_t)w;                                                                    \
	}                                                                                          \
	json_object_set_new(f, member, json_string(buf))
	LINES("targets", snprintf(buf + n, sizeof buf - n, "%s%s", n ? ", " : "",
	                          json_string_value(x) ? json_string_value(x) : ""));
	LINES("funding", snprintf(buf + n, sizeof buf - n, "%s\n",
	                          json_string_value(x) ? json_string_value(x) : ""));
#define S(o, k)                                                                                    \
	(json_string_value(json_object_get(o, k)) ? json_string_value(json_object_get(o, k)) : "")
	LINES("partners", snprintf(buf + n, sizeof buf - n, "%s | %s | %s\n", S(x, "name"),
	                           S(x, "type"), S(x, "role")));
	LINES("related", snprintf(buf + n, sizeof buf - n, "%s %lld\n", S(x, "kind"),
	                          (long long)json_integer_value(json_object_get(x, "id"))));
	const json_t *ev = json_object_get(c, "evidence");
	if (json_is_string(json_object_get(ev, "evaluation")))
		json_object_set(f, "evaluation", json_object_get(ev, "evaluation"));
	n = 0;
	buf[0] = '\0';
	json_array_foreach(json_object_get(ev, "indicators"), i, x)
	{
		char cells[5][64];
		static const char *const k[] = {"name", "baseline", "value", "year", "source"};
		for (int j = 0; j < 5; j++) {
			const json_t *v = json_object_get(x, k[j]);
			if (json_is_integer(v))
				snprintf(cells[j], sizeof cells[j], "%lld",
				         (long long)json_integer_value(v));
			else if (json_is_real(v))
				snprintf(cells[j], sizeof cells[j], "%g", json_real_value(v));
			else
				cells[j][0] = '\0';
		}
		int w = snprintf(
		    buf + n, sizeof buf - n, "%s | %s | %s | %s | %s\n", S(x, "name"),
		    json_is_string(json_object_get(x, "baseline")) ? S(x, "baseline") : cells[1],
		    json_is_string(json_object_get(x, "value")) ? S(x, "value") : cells[2],
		    cells[3], S(x, "source"));
		if (w < 0 || (size_t)w >= sizeof buf - n)
			break;
		n += (size_t)w;
	}
	json_object_set_new(f, "indicators", json_string(buf));
#undef S
#undef LINES
	const json_t *r = json_object_get(c, "reached");
	if (json_is_integer(json_object_get(r, "number")))
		json_object_set_new(f, "reached_number",
		                    json_sprintf("%lld", (long long)json_integer_value(
		                                             json_object_get(r, "number"))));
	if (json_is_integer(json_object_get(r, "year")))
		json_object_set_new(f, "reached_year",
		                    json_sprintf("%lld", (long long)json_integer_value(
		                                             json_object_get(r, "year"))));
	const json_t *t = json_object_get(json_object_get(c, "texts"), tl);
	for (size_t s = 0; section_keys[s].name; s++)
		if (json_is_string(json_object_get(t, section_keys[s].name)))
			json_object_set(f, section_keys[s].name,
			                json_object_get(t, section_keys[s].name));
	return f;
}

/* The form's fields as the request sent them (to show them again after a refusal). */
static json_t *form_of_request(struct lc_req *req)
{
	json_t *f = json_object();
	for (const struct lc_param_spec *s = edit_params; s->name; s++) {
		if (s->source != LC_PARAM_FORM || strcmp(s->name, "csrf") == 0)
			continue;
		const struct lc_req_param *p = lc_req_param(req, s->name);
		if (s->multi) {
			json_t *a = json_array();
			for (size_t i = 0; p && p->present && i < p->count; i++)
				if (p->all[i].str)
					json_array_append_new(a, json_string(p->all[i].str));
			json_object_set_new(f, s->name, a);
		} else if (p && p->present && p->v.str) {
			json_object_set_new(f, s->name, json_string(p->v.str));
		}
	}
	return f;
}

/* A whole number of the form, or bad when it is not one; 0 when empty. */
static long number(const char *s, bool *bad)
{
	if (!s || !*s)
		return 0;
	char *end = NULL;
	long v = strtol(s, &end, 10);
	while (end && (*end == ' ' || *end == '\t'))
		end++;
	if (!end || *end || v < 0)
		*bad = true;
	return v;
}

/* A cell of a line: trimmed, in the request's arena. */
static const char *cell(struct lc_req *req, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	char *o = lc_req_alloc(req, n + 1);
	memcpy(o, s, n);
	o[n] = '\0';
	return o;
}

/* The number in a cell as a JSON number when it is one, else as text. */
static json_t *number_or_text(const char *s)
{
	if (!*s)
		return json_null();
	char *end = NULL;
	double v = strtod(s, &end);
	if (end && !*end) {
		long long i = (long long)v;
		return (double)i == v ? json_integer(i) : json_real(v);
	}
	return json_string(s);
}

/* The lines of a box, each cut at '|' into at most max cells; empty lines skipped. */
static json_t *lines(struct lc_req *req, const char *text, const char *const *keys, size_t max,
                     bool numeric)
{
	json_t *a = json_array();
	const char *p = text ? text : "";
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		json_t *rec = keys ? json_object() : NULL;
		const char *q = p, *end = p + len;
		size_t k = 0;
		bool any = false;
		while (q <= end && k < max) {
			const char *bar = keys ? memchr(q, '|', (size_t)(end - q)) : NULL;
			if (k == max - 1 || !bar)
				bar = end;
			const char *v = cell(req, q, (size_t)(bar - q));
			any = any || *v;
			if (!keys) {
				if (*v)
					json_array_append_new(a, json_string(v));
			} else if (*v) {
				json_object_set_new(rec, keys[k],
				                    numeric && k > 0 && k < 4 ? number_or_text(v)
				                                              : json_string(v));
			}
			k++;
			q = bar + 1;
		}
		if (rec && any)
			json_array_append_new(a, rec);
		else
			json_decref(rec);
		p = eol ? eol + 1 : end;
	}
	return a;
}

/* The members of a list parameter (check boxes) as a JSON array. */
static json_t *list(struct lc_req *req, const char *name)
{
	json_t *a = json_array();
	const struct lc_req_param *p = lc_req_param(req, name);
	for (size_t i = 0; p && p->present && i < p->count; i++)
		if (p->all[i].str && *p->all[i].str)
			json_array_append_new(a, json_string(p->all[i].str));
	return a;
}

static json_t *str_or_null(struct lc_req *req, const char *name)
{
	const char *s = param(req, name);
	return s ? json_string(s) : json_null();
}

/* The patch of a part of the form (the members PUT /api/v1/library/{id} takes); problems the
 * form alone can see (a year that is not a number) to d. Caller owns the result. */
static json_t *patch_of(struct lc_req *req, const char *part, const char *tl, struct lc_diag *d)
{
	json_t *p = json_object();
	bool bad = false;
	if (strcmp(part, "about") == 0) {
		const char *s = param(req, "start"), *e = param(req, "end");
		long start = number(s, &bad), end = number(e, &bad);
		if (bad)
			lc_diag_add(d, NULL, 0, 0, "period", "err_library_form_year");
		else if (!s && !e)
			json_object_set_new(p, "period", json_null());
		else if (!s)
			lc_diag_add(d, NULL, 0, 0, "period", "err_library_form_year");
		else
			json_object_set_new(p, "period",
			                    json_pack("{s:I, s:o}", "start", (json_int_t)start,
			                              "end", e ? json_integer(end) : json_null()));
		json_object_set_new(p, "areas", list(req, "areas"));
		json_object_set_new(p, "primary_area", str_or_null(req, "primary_area"));
		json_object_set_new(p, "sdgs", list(req, "sdgs"));
		json_object_set_new(p, "primary_sdg", str_or_null(req, "primary_sdg"));
		/* Targets: "4.6, 4.a" or one a line. */
		const char *t = param(req, "targets");
		char *tt = lc_req_alloc(req, t ? strlen(t) + 1 : 1);
		size_t n = 0;
		for (const char *c = t ? t : ""; *c; c++)
			tt[n++] = (*c == ',' || *c == ';' || *c == ' ') ? '\n' : *c;
		tt[n] = '\0';
		json_object_set_new(p, "targets", lines(req, tt, NULL, 1, false));
		json_object_set_new(p, "licence",
		                    param(req, "licence") ? str_or_null(req, "licence")
		                                          : json_string("CC-BY-4.0"));
	} else if (strcmp(part, "people") == 0) {
		static const char *const partner_keys[] = {"name", "type", "role"};
		static const char *const indicator_keys[] = {"name", "baseline", "value", "year",
		                                             "source"};
		json_object_set_new(p, "target_groups", list(req, "target_groups"));
		json_object_set_new(p, "settings", list(req, "settings"));
		json_object_set_new(p, "partners",
		                    lines(req, param(req, "partners"), partner_keys, 3, false));
		json_object_set_new(p, "funding",
		                    lines(req, param(req, "funding"), NULL, 1, false));
		const char *rn = param(req, "reached_number"), *ry = param(req, "reached_year");
		long num = number(rn, &bad), year = number(ry, &bad);
		if (bad || (!rn) != (!ry))
			lc_diag_add(d, NULL, 0, 0, "reached", "err_library_form_reached");
		else
			json_object_set_new(p, "reached",
			                    rn ? json_pack("{s:I, s:I}", "number", (json_int_t)num,
			                                   "year", (json_int_t)year)
			                       : json_null());
		json_t *ind = lines(req, param(req, "indicators"), indicator_keys, 5, true);
		const char *ev = param(req, "evaluation");
		if (!ev && !json_array_size(ind)) {
			json_object_set_new(p, "evidence", json_null());
			json_decref(ind);
		} else {
			json_t *o = json_pack("{s:o}", "indicators", ind);
			if (ev)
				json_object_set_new(o, "evaluation", json_string(ev));
			json_object_set_new(p, "evidence", o);
		}
		/* Related records: "case 7", "report 3", one a line. */
		json_t *rel = json_array();
		json_t *rl = lines(req, param(req, "related"), NULL, 1, false);
		size_t i;
		const json_t *x;
		json_array_foreach(rl, i, x)
		{
			char kind[16];
			long long rid = 0;
			int used = 0;
			const char *s = json_string_value(x);
			if (sscanf(s, "%15s %lld%n", kind, &rid, &used) != 2 ||
			    (size_t)used != strlen(s) || rid < 1) {
				lc_diag_addf(d, NULL, 0, 0, "related", "err_library_form_related",
				             LC_ARG_S("line", s));
				break;
			}
			json_array_append_new(
			    rel, json_pack("{s:s, s:I}", "kind", kind, "id", (json_int_t)rid));
		}
		json_decref(rl);
		json_object_set_new(p, "related", rel);
	} else if (strcmp(part, "text") == 0) {
		/* One language's text: an empty box removes its section; a language not written
		 * yet and left empty is no change. */
		json_t *t = json_object();
		bool any = false;
		for (size_t s = 0; section_keys[s].name; s++) {
			const char *v = param(req, section_keys[s].name);
			any = any || v;
			json_object_set_new(t, section_keys[s].name,
			                    v ? json_string(v) : json_null());
		}
		if (any || param(req, "title"))
			json_object_set_new(p, "texts", json_pack("{s:o}", tl, t));
		else
			json_decref(t);
	}
	return p;
}

/* Check boxes of a vocabulary: [{code, name, checked, primary}]. */
static void mark(json_t *options, const json_t *chosen, const char *primary)
{
	size_t i, j;
	json_t *o;
	const json_t *c;
	json_array_foreach(options, i, o)
	{
		const char *code = json_string_value(json_object_get(o, "code"));
		bool on = false;
		json_array_foreach(chosen, j, c) on =
		    on || (json_string_value(c) && code && strcmp(json_string_value(c), code) == 0);
		json_object_set_new(o, "checked", json_boolean(on));
		json_object_set_new(o, "primary",
		                    json_boolean(primary && code && strcmp(primary, code) == 0));
	}
}

static json_t *label_options(struct lc_req *req, const struct lc_label *table)
{
	json_t *a = json_array();
	for (size_t i = 0; table[i].name; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "code", table[i].name, "name",
		                                   lc_site_t(req, table[i].key)));
	return a;
}

/* The case's images and documents for the form's list: [{src, is_image, alt, lang, credit,
 * licence, no_alt}] (alt: in the original language, where the checks want it). */
static json_t *files_of(struct lc_req *req, const json_t *c)
{
	(void)req;
	const char *orig = json_string_value(json_object_get(c, "original"));
	json_t *a = json_array();
	size_t i;
	const json_t *x;
	json_array_foreach(json_object_get(c, "images"), i, x)
	{
		const char *alt =
		    json_string_value(json_object_get(json_object_get(x, "alt"), orig));
		json_array_append_new(a, json_pack("{s:O, s:b, s:s?, s:O?, s:O?, s:b}", "src",
		                                   json_object_get(x, "src"), "is_image", 1, "alt",
		                                   alt, "credit", json_object_get(x, "credit"),
		                                   "licence", json_object_get(x, "licence"),
		                                   "no_alt", !alt || !*alt));
	}
	json_array_foreach(json_object_get(c, "documents"), i, x) json_array_append_new(
	    a, json_pack("{s:O, s:b, s:O?, s:O?, s:O?, s:b}", "src", json_object_get(x, "src"),
	                 "is_image", 0, "lang", json_object_get(x, "lang"), "credit",
	                 json_object_get(x, "credit"), "licence", json_object_get(x, "licence"),
	                 "no_alt", 0));
	return a;
}

/*
 * The form page of case id: part, language tl, the fields of form (the case's, or what was
 * sent), the problems of d (a refused save), the checks before submission.
 */
static int edit_page(struct lc_req *req, struct lc_resp *resp, json_t *typed,
                     const struct lc_diag *d, int status, const char *part)
{
	int64_t id = lc_site_path_id(req);
	json_t *c = NULL, *areas = NULL, *sdgs = NULL;
	struct lc_db *db = NULL;
	struct lc_diag checks;
	lc_diag_init(&checks);
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_library_get(db, lc_auth_actor(req), id, 0, req->lang, &c);
	/* Only its writers and curators see the working version (with "state"). */
	if (!err && !json_object_get(c, "state"))
		err = lc_auth_actor(req)->kind == LC_ACTOR_ANONYMOUS ? LC_EAUTH : LC_ENOTFOUND;
	if (!err)
		err = lc_library_checks(db, id, &checks);
	if (!err)
		err = lc_library_vocab(db, "area", req->lang, &areas);
	if (!err)
		err = lc_library_vocab(db, "sdg", req->lang, &sdgs);
	lc_site_db_read_end(req, db);
	if (err)
		goto out;
	const char *orig = json_string_value(json_object_get(c, "original"));
	const char *tl = param(req, "tl") ? param(req, "tl") : orig;
	json_t *f = typed ? json_incref(typed) : form_of_case(c, tl);
	json_t *vm = json_pack("{s:I, s:s, s:s, s:O, s:O?, s:O?}", "id", (json_int_t)id, "part",
	                       part, "tl", tl, "form", f, "state", json_object_get(c, "state"),
	                       "city", json_object_get(c, "city"));
	json_t *extra = json_object();
	/* The tabs: two parts, then one a language (the original first), each a link. */
	json_t *tabs = json_array();
	json_array_append_new(
	    tabs,
	    json_pack("{s:s, s:s, s:b}", "href",
	              lc_arena_printf(req->arena, "/library/%lld/edit?part=about", (long long)id),
	              "label", lc_site_t(req, "library_part_about"), "current",
	              strcmp(part, "about") == 0));
	json_array_append_new(
	    tabs,
	    json_pack("{s:s, s:s, s:b}", "href",
	              lc_arena_printf(req->arena, "/library/%lld/edit?part=people", (long long)id),
	              "label", lc_site_t(req, "library_part_people"), "current",
	              strcmp(part, "people") == 0));
	const json_t *texts = json_object_get(c, "texts");
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; langs[i]; i++) {
			bool is_orig = orig && strcmp(langs[i], orig) == 0;
			if ((pass == 0) != is_orig)
				continue;
			const char *name = lc_label_text(req, lc_label_library_langs, langs[i]);
			json_array_append_new(
			    tabs, json_pack("{s:s, s:s, s:b, s:s, s:b, s:b}", "href",
			                    lc_arena_printf(req->arena,
			                                    "/library/%lld/edit?part=text&tl=%s",
			                                    (long long)id, langs[i]),
			                    "label", name, "current",
			                    strcmp(part, "text") == 0 && strcmp(tl, langs[i]) == 0,
			                    "lang", langs[i], "original", is_orig, "written",
			                    json_object_get(texts, langs[i]) != NULL));
		}
	json_array_append_new(
	    tabs,
	    json_pack("{s:s, s:s, s:b}", "href",
	              lc_arena_printf(req->arena, "/library/%lld/edit?part=files", (long long)id),
	              "label", lc_site_t(req, "library_part_files"), "current",
	              strcmp(part, "files") == 0));
	json_object_set_new(extra, "tabs", tabs);
	json_object_set_new(extra, "is_files", json_boolean(strcmp(part, "files") == 0));
	json_t *files = files_of(req, c);
	json_object_set_new(extra, "has_files", json_boolean(json_array_size(files)));
	json_object_set_new(extra, "files", files);
	json_object_set_new(extra, "file_langs", lang_options(req, orig));
	json_object_set_new(extra, "max_file_mb", json_integer(LC_LIMIT_LIBRARY_FILE_BYTES >> 20));
	json_object_set_new(extra, "is_about", json_boolean(strcmp(part, "about") == 0));
	json_object_set_new(extra, "is_people", json_boolean(strcmp(part, "people") == 0));
	json_object_set_new(extra, "is_text", json_boolean(strcmp(part, "text") == 0));
	json_object_set_new(
	    extra, "action",
	    json_string(lc_arena_printf(req->arena, "/library/%lld/edit?part=%s&tl=%s",
	                                (long long)id, part, tl)));
	mark(areas, json_object_get(f, "areas"),
	     json_string_value(json_object_get(f, "primary_area")));
	mark(sdgs, json_object_get(f, "sdgs"),
	     json_string_value(json_object_get(f, "primary_sdg")));
	json_t *groups = label_options(req, lc_label_library_groups);
	mark(groups, json_object_get(f, "target_groups"), NULL);
	json_t *settings = label_options(req, lc_label_library_settings);
	mark(settings, json_object_get(f, "settings"), NULL);
	json_t *evals = label_options(req, lc_label_library_evaluations);
	json_t *lic = json_array();
	const char *cur_lic = json_string_value(json_object_get(f, "licence"));
	for (size_t i = 0; licences[i]; i++)
		json_array_append_new(
		    lic, json_pack("{s:s, s:b}", "code", licences[i], "selected",
		                   cur_lic ? strcmp(cur_lic, licences[i]) == 0 : i == 0));
	size_t i;
	json_t *o;
	const char *cur_ev = json_string_value(json_object_get(f, "evaluation"));
	json_array_foreach(evals, i, o) json_object_set_new(
	    o, "selected",
	    json_boolean(cur_ev &&
	                 strcmp(cur_ev, json_string_value(json_object_get(o, "code"))) == 0));
	json_object_set_new(extra, "areas", areas);
	json_object_set_new(extra, "sdgs", sdgs);
	json_object_set_new(extra, "groups", groups);
	json_object_set_new(extra, "settings", settings);
	json_object_set_new(extra, "evaluations", evals);
	json_object_set_new(extra, "licences", lic);
	areas = sdgs = NULL;
	/* The text's sections with their word counts, counted here as the checks count. */
	json_t *secs = json_array();
	for (size_t s = 0; section_keys[s].name; s++) {
		const char *v = json_string_value(json_object_get(f, section_keys[s].name));
		long limit = s == 0   ? 0
		             : s == 1 ? LC_LIMIT_LIBRARY_SUMMARY_WORDS
		                      : LC_LIMIT_LIBRARY_SECTION_WORDS;
		long w = lc_library_words(v);
		json_array_append_new(secs, json_pack("{s:s, s:s, s:s?, s:b, s:I, s:I, s:b, s:I}",
		                                      "name", section_keys[s].name, "label",
		                                      lc_site_t(req, section_keys[s].key), "value",
		                                      v, "is_title", s == 0, "max_words",
		                                      (json_int_t)limit, "words", (json_int_t)w,
		                                      "over", limit && w > limit, "rows",
		                                      (json_int_t)(s == 1    ? 6
		                                                   : s == 10 ? 2
		                                                             : 8)));
	}
	json_object_set_new(extra, "sections", secs);
	json_object_set_new(extra, "tl_name",
	                    json_string(lc_label_text(req, lc_label_library_langs, tl)));
	json_object_set_new(extra, "tl_dir", json_string(strcmp(tl, "ar") == 0 ? "rtl" : "ltr"));
	json_object_set_new(extra, "tl_original", json_boolean(orig && strcmp(tl, orig) == 0));
	/* The checks before submission, said to the author as the curator will see them. */
	json_t *cl = json_array();
	for (size_t k = 0; k < checks.count; k++)
		json_array_append_new(cl,
		                      json_pack("{s:s?, s:s}", "field", checks.items[k].field,
		                                "message", lc_site_problem(req, &checks.items[k])));
	json_object_set_new(extra, "checks", cl);
	json_object_set_new(extra, "checks_ok", json_boolean(checks.count == 0));
	bool may_submit = false;
	const json_t *n;
	json_array_foreach(json_object_get(c, "next"), i, n)
	{
		const char *to = json_string_value(json_object_get(n, "to"));
		may_submit = may_submit || (to && strcmp(to, "submitted") == 0);
	}
	json_object_set_new(extra, "may_submit", json_boolean(may_submit));
	const char *st = json_string_value(json_object_get(c, "state"));
	bool editable = st && (strcmp(st, "draft") == 0 || strcmp(st, "changes_requested") == 0 ||
	                       strcmp(st, "published") == 0);
	json_object_set_new(extra, "editable", json_boolean(editable));
	json_object_set_new(extra, "state_label",
	                    json_string(lc_label_text(req, lc_label_library_states, st)));
	/* The curator's comments, newest first: the thread of changes requested. */
	json_t *thread = json_array();
	json_array_foreach(json_object_get(c, "history"), i, n)
	{
		if (json_is_string(json_object_get(n, "reason")))
			json_array_append_new(thread, json_deep_copy(n));
	}
	json_object_set_new(extra, "has_thread", json_boolean(json_array_size(thread)));
	json_object_set_new(extra, "thread", thread);
	const char *done = param(req, "done");
	if (lc_label_key(done_keys, done))
		json_object_set_new(extra, "done",
		                    json_string(lc_label_text(req, done_keys, done)));
	if (d && d->count) {
		json_object_set_new(extra, "errors", lc_site_field_errors(req, d));
		json_t *probs = json_array();
		for (size_t k = 0; k < d->count; k++)
			json_array_append_new(probs, json_pack("{s:s?, s:s}", "field",
			                                       d->items[k].field, "message",
			                                       lc_site_problem(req, &d->items[k])));
		json_object_set_new(extra, "problems", probs);
		json_object_set_new(extra, "form_error",
		                    json_string(lc_site_t(req, "library_form_refused")));
	}
	const char *title =
	    json_string_value(json_object_get(json_object_get(texts, orig), "title"));
	err =
	    lc_site_page(req, resp, "library_edit",
	                 lc_arena_printf(req->arena, "%s – %s",
	                                 lc_site_t(req, "library_edit_title"), title ? title : ""),
	                 "library", vm, extra);
	if (!err && status)
		resp->status = status;
	json_decref(f);
	json_decref(vm);
	json_decref(extra);
out:
	json_decref(c);
	json_decref(areas);
	json_decref(sdgs);
	lc_diag_cleanup(&checks);
	return err;
}

static int route_edit(struct lc_req *req, struct lc_resp *resp)
{
	const char *part = param(req, "part");
	return lc_auth_fail(req, resp, edit_page(req, resp, NULL, NULL, 0, part ? part : "about"));
}

static int route_edit_post(struct lc_req *req, struct lc_resp *resp)
{
	int64_t id = lc_site_path_id(req);
	const char *part = param(req, "part") ? param(req, "part") : "about";
	const char *action = param(req, "action") ? param(req, "action") : "save";
	bool submit = strcmp(action, "submit") == 0;
	struct lc_diag d;
	lc_diag_init(&d);
	json_t *c = NULL;
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	/* The language of a text part: the one asked, else the original. */
	if (!err)
		err = lc_library_get(db, lc_auth_actor(req), id, 0, req->lang, &c);
	const char *tl = param(req, "tl");
	if (!err && !tl)
		tl = lc_arena_printf(req->arena, "%s",
		                     json_string_value(json_object_get(c, "original")));
	json_t *patch = err ? NULL : patch_of(req, part, tl, &d);
	if (!err && d.count)
		err = LC_EINVAL;
	if (!err && json_object_size(patch))
		err = lc_library_update(db, lc_auth_actor(req), id, patch, &d);
	if (!err && submit)
		err = lc_library_take(db, lc_auth_actor(req), id, "submitted", NULL, &d);
	lc_site_db_release(req, db);
	if (err == LC_EINVAL || err == LC_ECONFLICT || (err == LC_EPERM && d.count)) {
		json_t *typed = form_of_request(req);
		err = edit_page(req, resp, typed, &d,
		                err == LC_EINVAL  ? 422
		                : err == LC_EPERM ? 403
		                                  : 409,
		                part);
		json_decref(typed);
	} else if (!err) {
		err = lc_resp_redirect(
		    resp,
		    submit
		        ? lc_arena_printf(req->arena, "/library/%lld?done=submit", (long long)id)
		        : lc_arena_printf(req->arena, "/library/%lld/edit?part=%s&tl=%s&done=save",
		                          (long long)id, part, tl));
	}
	json_decref(patch);
	json_decref(c);
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

/* ---- files ---------------------------------------------------------------------------------- */

static const struct lc_param_spec file_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "kind", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 16},
    {.name = "file_lang", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 8},
    {.name = "licence", .source = LC_PARAM_FORM, .type = LC_PARAM_STRING, .max_len = 40},
    {.name = "credit",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_LIBRARY_FIELD_BYTES},
    {.name = "alt",
     .source = LC_PARAM_FORM,
     .type = LC_PARAM_STRING,
     .max_len = LC_LIMIT_LIBRARY_FIELD_BYTES},
    LC_CSRF_PARAM,
    {.name = NULL},
};

static const struct lc_param_spec file_get_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "fid", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = NULL},
};

/* The multipart part "file" and the fields that describe it, through the domain. */
static int put_file(struct lc_req *req, int64_t *fid, struct lc_diag *d)
{
	const struct lc_multipart_part *p = lc_multipart_find(req->parts, req->nparts, "file");
	struct lc_library_upload u = {
	    .kind = param(req, "kind") ? param(req, "kind") : "image",
	    .lang = param(req, "file_lang"),
	    .licence = param(req, "licence"),
	    .credit = param(req, "credit"),
	    .alt = param(req, "alt"),
	    .filename = p ? p->filename : NULL,
	    .data = p && p->filename ? (const unsigned char *)p->data : NULL,
	    .n = p && p->filename ? p->len : 0,
	};
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err && !u.lang) {
		/* The original language, when the form did not say. */
		json_t *c = NULL;
		err =
		    lc_library_get(db, lc_auth_actor(req), lc_site_path_id(req), 0, req->lang, &c);
		if (!err)
			u.lang = lc_arena_printf(req->arena, "%s",
			                         json_string_value(json_object_get(c, "original")));
		json_decref(c);
	}
	if (!err)
		err = lc_library_file_put(db, lc_auth_actor(req), lc_site_path_id(req), &u, fid, d);
	lc_site_db_release(req, db);
	return err;
}

static int route_file_post(struct lc_req *req, struct lc_resp *resp)
{
	int64_t id = lc_site_path_id(req), fid = 0;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = put_file(req, &fid, &d);
	if (err == LC_EINVAL || err == LC_ELIMIT || err == LC_ECONFLICT) {
		err = edit_page(req, resp, NULL, &d,
		                err == LC_ELIMIT   ? 413
		                : err == LC_EINVAL ? 422
		                                   : 409,
		                "files");
	} else if (!err) {
		err = lc_resp_redirect(
		    resp, lc_arena_printf(req->arena, "/library/%lld/edit?part=files&done=file",
		                          (long long)id));
	}
	lc_diag_cleanup(&d);
	return lc_auth_fail(req, resp, err);
}

static int route_api_file_post(struct lc_req *req, struct lc_resp *resp)
{
	if (lc_auth_actor(req)->kind == LC_ACTOR_ANONYMOUS)
		return lc_auth_fail(req, resp, LC_EAUTH);
	int64_t fid = 0;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = put_file(req, &fid, &d);
	if (!err) {
		json_t *j =
		    json_pack("{s:I, s:s}", "id", (json_int_t)fid, "src",
		              lc_arena_printf(req->arena, "/library/%lld/files/%lld",
		                              (long long)lc_site_path_id(req), (long long)fid));
		err = lc_resp_json(resp, j);
		resp->status = 201;
		json_decref(j);
	} else if (err == LC_ECONFLICT || err == LC_EINVAL || err == LC_ELIMIT) {
		err = lc_site_refuse(req, resp, err, &d);
	} else if (err == LC_ENOTFOUND) {
		lc_resp_error(resp, 404, "no such case study");
		err = 0;
	} else {
		err = lc_auth_fail(req, resp, err);
	}
	lc_diag_cleanup(&d);
	return err;
}

static int route_file_get(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	struct lc_library_file f = {0};
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_library_file_get(db, lc_auth_actor(req), lc_site_path_id(req),
		                          lc_req_int(req, "fid", 0), &f);
	lc_site_db_read_end(req, db);
	if (!err) {
		/* Our type, decided from the content: images shown in the page, a document
		 * downloaded; never a type the client named. */
		bool pdf = strcmp(f.content_type, "application/pdf") == 0;
		const char *type = pdf                                        ? "application/pdf"
		                   : strcmp(f.content_type, "image/png") == 0 ? "image/png"
		                                                              : "image/jpeg";
		lc_resp_text(resp, type, (const char *)f.data, f.size);
		lc_resp_header(resp, "Content-Disposition",
		               lc_arena_printf(req->arena, "%s; filename=\"%s\"",
		                               pdf ? "attachment" : "inline", f.filename));
		lc_resp_header(resp, "X-Content-Type-Options", "nosniff");
		lc_resp_header(resp, "Content-Security-Policy", "default-src 'none'; sandbox");
		lc_resp_header(resp, "Cache-Control", "private, no-cache");
	}
	lc_library_file_cleanup(&f);
	return lc_auth_fail(req, resp, err);
}

/* ---- the curator's queue --------------------------------------------------------------------- */

static const char *const queue_states[] = {"submitted", "changes_requested", "draft", "published",
                                           "declined",  "withdrawn",         NULL};

static const struct lc_param_spec queue_params[] = {
    {.name = "state", .source = LC_PARAM_QUERY, .type = LC_PARAM_ENUM, .choices = queue_states},
    LC_PAGE_PARAMS,
    {.name = NULL},
};

static int route_queue(struct lc_req *req, struct lc_resp *resp)
{
	json_t *vm = NULL;
	struct lc_db *db = NULL;
	const char *state = param(req, "state");
	int err = lc_site_db_read(req, &db);
	if (!err)
		err = lc_library_queue(db, lc_auth_actor(req), state, lc_req_int(req, "page", 1),
		                       lc_req_int(req, "per_page", LC_DEFAULT_PER_PAGE), req->lang,
		                       &vm);
	lc_site_db_read_end(req, db);
	if (err)
		return lc_auth_fail(req, resp, err);
	json_t *extra = json_object();
	json_t *tabs = json_array();
	const json_t *by = json_object_get(vm, "by_state");
	for (size_t i = 0; queue_states[i]; i++)
		json_array_append_new(
		    tabs,
		    json_pack("{s:s, s:s, s:I, s:s, s:b}", "state", queue_states[i], "label",
		              lc_label_text(req, lc_label_library_states, queue_states[i]), "count",
		              json_integer_value(json_object_get(by, queue_states[i])), "href",
		              lc_site_url_with(req, "state", queue_states[i]), "current",
		              state && strcmp(state, queue_states[i]) == 0));
	json_object_set_new(extra, "tabs", tabs);
	json_object_set_new(extra, "all_href", json_string(lc_site_url_with(req, "state", NULL)));
	json_object_set_new(extra, "all_current", json_boolean(!state));
	json_object_set_new(extra, "pager", lc_site_pager(req, vm));
	json_object_set_new(extra, "has_results",
	                    json_boolean(json_array_size(json_object_get(vm, "items")) > 0));
	lc_label_states(req, vm, "state", lc_label_library_states, 2);
	/* "since" as the other admin lists show a time: day and minute, not ISO's T and Z. */
	size_t k;
	json_t *it;
	json_array_foreach(json_object_get(vm, "items"), k, it)
	    json_object_set(it, "since_at", json_object_get(it, "since"));
	lc_auth_human_times(vm);
	err = lc_site_page(req, resp, "admin_library", lc_site_t(req, "library_queue_title"),
	                   "admin_library", vm, extra);
	json_decref(vm);
	json_decref(extra);
	return lc_auth_fail(req, resp, err);
}

/* ---- the "featured" label -------------------------------------------------------------------- */

static const struct lc_param_spec feature_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = "on", .source = LC_PARAM_FORM, .type = LC_PARAM_BOOL},
    LC_CSRF_PARAM,
    {.name = NULL},
};
static const struct lc_param_spec feature_api_params[] = {
    {.name = "id", .source = LC_PARAM_PATH, .type = LC_PARAM_INT, .min = 1, .max = INT32_MAX},
    {.name = NULL},
};

static int feature(struct lc_req *req, bool on)
{
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	if (!err)
		err = lc_library_feature(db, lc_auth_actor(req), lc_site_path_id(req), on);
	lc_site_db_release(req, db);
	return err;
}

static int route_feature(struct lc_req *req, struct lc_resp *resp)
{
	int64_t id = lc_site_path_id(req);
	int err = feature(req, lc_req_bool(req, "on"));
	if (err == LC_ECONFLICT) {
		lc_resp_error(resp, 409, "%s", lc_site_t(req, "err_library_feature_state"));
		return 0;
	}
	if (!err)
		err = lc_resp_redirect(
		    resp,
		    lc_arena_printf(req->arena, "/library/%lld?done=featured", (long long)id));
	return lc_auth_fail(req, resp, err);
}

static int route_api_feature(struct lc_req *req, struct lc_resp *resp)
{
	if (lc_auth_actor(req)->kind == LC_ACTOR_ANONYMOUS)
		return lc_auth_fail(req, resp, LC_EAUTH);
	json_t *body = NULL, *vm = NULL;
	char msg[256];
	if (lc_req_json(req, &body, msg, sizeof msg) ||
	    !json_is_boolean(json_object_get(body, "featured"))) {
		json_decref(body);
		lc_resp_error(resp, 400, "the body is {\"featured\": true or false}");
		return 0;
	}
	int err = feature(req, json_is_true(json_object_get(body, "featured")));
	json_decref(body);
	if (err == LC_ECONFLICT) {
		struct lc_diag d;
		lc_diag_init(&d);
		lc_diag_add(&d, NULL, 0, 0, "featured", "err_library_feature_state");
		err = lc_site_refusal(req, resp, 409, lc_site_problem(req, &d.items[0]), &d);
		lc_diag_cleanup(&d);
		return err;
	}
	if (err == LC_ENOTFOUND) {
		lc_resp_error(resp, 404, "no such case study");
		return 0;
	}
	struct lc_db *db = NULL;
	if (!err)
		err = lc_site_db_read(req, &db);
	if (!err)
		err =
		    lc_library_get(db, lc_auth_actor(req), lc_site_path_id(req), 0, req->lang, &vm);
	lc_site_db_read_end(req, db);
	if (!err)
		err = lc_resp_json(resp, vm);
	json_decref(vm);
	return lc_auth_fail(req, resp, err);
}

/* ---- the routes ---- */

/* The server refuses those who may write no case at all before reading a body; the domain
 * decides on the case's city (another city's draft is as absent as to the public). */
#define WRITE (LC_ROUTE_LOGIN | LC_ROUTE_ACTION(LC_ACT_WRITE_CASE))
/* A file and the multipart envelope around it. */
#define FILE_BODY (LC_LIMIT_LIBRARY_FILE_BYTES + (64u << 10))

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/library/new", route_new, new_params, 0, WRITE, NULL},
    {LC_HTTP_POST, "/library/new", route_new_post, new_params, 0, WRITE, NULL},
    {LC_HTTP_GET, "/library/{id}/edit", route_edit, edit_params, 0, WRITE, NULL},
    {LC_HTTP_POST, "/library/{id}/edit", route_edit_post, edit_params, 0, WRITE, NULL},
    {LC_HTTP_POST, "/library/{id}/files", route_file_post, file_params, FILE_BODY, WRITE, NULL},
    {LC_HTTP_POST, "/api/v1/library/{id}/files", route_api_file_post, file_params, FILE_BODY, WRITE,
     NULL},
    {LC_HTTP_GET, "/library/{id}/files/{fid}", route_file_get, file_get_params, 0, 0, NULL},
    {LC_HTTP_GET, "/admin/library", route_queue, queue_params, 0,
     LC_ROUTE_LOGIN | LC_ROUTE_ACTION(LC_ACT_CURATE_LIBRARY), NULL},
    {LC_HTTP_POST, "/library/{id}/featured", route_feature, feature_params, 0,
     LC_ROUTE_LOGIN | LC_ROUTE_ACTION(LC_ACT_CURATE_LIBRARY), NULL},
    {LC_HTTP_POST, "/api/v1/library/{id}/featured", route_api_feature, feature_api_params, 0,
     LC_ROUTE_LOGIN | LC_ROUTE_ACTION(LC_ACT_CURATE_LIBRARY), NULL},
};

#undef WRITE
#undef FILE_BODY

LC_ROUTE_GROUP(library_form, rows);
