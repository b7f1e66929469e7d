/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A category's registration form as data, and the answers to it (form.h). */
#include "domain/conference/form.h"

#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/award/award_round.h"
#include "domain/platform/text.h"

static const char *const kinds[] = {"text", "choice", "date", "country", "file", "consent", NULL};

static bool kind_ok(const char *k)
{
	for (size_t i = 0; k && kinds[i]; i++)
		if (strcmp(kinds[i], k) == 0)
			return true;
	return false;
}

static bool id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > LC_LIMIT_CONF_FORM_ID)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* A translatable text: a string (English) or {lang: text} with English; NULL when bad. */
static json_t *texts(const json_t *v)
{
	json_t *out = json_object();
	if (json_is_string(v)) {
		json_object_set(out, "en", (json_t *)v);
	} else if (json_is_object(v)) {
		const char *lang;
		json_t *x;
		json_object_foreach((json_t *)v, lang, x)
		{
			if (!lc_text_lang_ok(lang) || !json_is_string(x) ||
			    json_string_length(x) > LC_LIMIT_CONF_LABEL_BYTES)
				goto bad;
			json_object_set(out, lang, x);
		}
	}
	const char *en = json_string_value(json_object_get(out, "en"));
	if (en && *en && strlen(en) <= LC_LIMIT_CONF_LABEL_BYTES)
		return out;
bad:
	json_decref(out);
	return NULL;
}

/* The text of a {lang: text} object in lang, English when it has none. */
static const char *say(const json_t *t, const char *lang)
{
	const char *s = json_string_value(json_object_get(t, lc_text_lang(lang)));
	if (!s)
		s = json_string_value(json_object_get(t, "en"));
	return s ? s : "";
}

/* show_if: {"field": an earlier field's id, "equals": a string or true}; NULL when absent. */
static json_t *check_show_if(const json_t *c, const json_t *seen, const char *f, bool *bad,
                             struct lc_diag *d)
{
	if (!c)
		return NULL;
	const char *field = json_string_value(json_object_get(c, "field"));
	const json_t *eq = json_object_get(c, "equals");
	if (!json_is_object(c) || !field || !json_object_get(seen, field) ||
	    !(json_is_string(eq) || json_is_boolean(eq))) {
		lc_diag_add(d, NULL, 0, 0, f, "err_conf_form_show_if");
		*bad = true;
		return NULL;
	}
	return json_pack("{s:s, s:O}", "field", field, "equals", eq);
}

static json_t *check_field(const json_t *x, const char *f, json_t *seen, struct lc_diag *d)
{
	char g[232];
	bool bad = false;
	if (!json_is_object(x)) {
		lc_diag_add(d, NULL, 0, 0, f, "err_conf_form_object");
		return NULL;
	}
	const char *id = json_string_value(json_object_get(x, "id"));
	snprintf(g, sizeof g, "%s.id", f);
	if (!id_ok(id)) {
		lc_diag_addf(d, NULL, 0, 0, g, "err_conf_form_id",
		             LC_ARG_I("limit", LC_LIMIT_CONF_FORM_ID));
		bad = true;
	} else if (json_object_get(seen, id)) {
		lc_diag_addf(d, NULL, 0, 0, g, "err_conf_form_id_twice", LC_ARG_S("id", id));
		bad = true;
	}
	const char *kind = json_string_value(json_object_get(x, "kind"));
	snprintf(g, sizeof g, "%s.kind", f);
	if (!kind_ok(kind)) {
		lc_diag_add(d, NULL, 0, 0, g, "err_conf_form_kind");
		bad = true;
	}
	json_t *label = texts(json_object_get(x, "label"));
	snprintf(g, sizeof g, "%s.label", f);
	if (!label) {
		lc_diag_addf(d, NULL, 0, 0, g, "err_conf_form_label",
		             LC_ARG_I("limit", LC_LIMIT_CONF_LABEL_BYTES));
		bad = true;
	}
	const json_t *req = json_object_get(x, "required");
	snprintf(g, sizeof g, "%s.required", f);
	if (req && !json_is_boolean(req)) {
		lc_diag_add(d, NULL, 0, 0, g, "err_conf_flag");
		bad = true;
	}
	const json_t *ml = json_object_get(x, "max_len");
	long max_len = LC_LIMIT_CONF_ANSWER_BYTES;
	snprintf(g, sizeof g, "%s.max_len", f);
	if (ml && (!json_is_integer(ml) || json_integer_value(ml) < 1 ||
	           json_integer_value(ml) > LC_LIMIT_CONF_ANSWER_BYTES)) {
		lc_diag_addf(d, NULL, 0, 0, g, "err_conf_number", LC_ARG_I("low", 1),
		             LC_ARG_I("high", LC_LIMIT_CONF_ANSWER_BYTES));
		bad = true;
	} else if (ml) {
		max_len = (long)json_integer_value(ml);
	}
	json_t *options = json_array();
	const json_t *opts = json_object_get(x, "options");
	snprintf(g, sizeof g, "%s.options", f);
	if (kind && strcmp(kind, "choice") == 0) {
		size_t n = json_array_size(opts);
		if (!json_is_array(opts) || n == 0 || n > LC_LIMIT_CONF_FORM_OPTIONS) {
			lc_diag_addf(d, NULL, 0, 0, g, "err_conf_form_options",
			             LC_ARG_I("limit", LC_LIMIT_CONF_FORM_OPTIONS));
			bad = true;
		}
		for (size_t i = 0; i < n; i++) {
			const json_t *o = json_array_get(opts, i);
			const char *v = json_string_value(json_object_get(o, "value"));
			json_t *ol = texts(json_object_get(o, "label"));
			bool twice = false;
			for (size_t j = 0; v && j < json_array_size(options); j++)
				twice = twice || strcmp(json_string_value(json_object_get(
				                            json_array_get(options, j), "value")),
				                        v) == 0;
			if (!id_ok(v) || !ol || twice) {
				lc_diag_addf(d, NULL, 0, 0, g, "err_conf_form_options",
				             LC_ARG_I("limit", LC_LIMIT_CONF_FORM_OPTIONS));
				json_decref(ol);
				bad = true;
				break;
			}
			json_array_append_new(options,
			                      json_pack("{s:s, s:o}", "value", v, "label", ol));
		}
	} else if (opts) {
		lc_diag_addf(d, NULL, 0, 0, g, "err_conf_form_options",
		             LC_ARG_I("limit", LC_LIMIT_CONF_FORM_OPTIONS));
		bad = true;
	}
	snprintf(g, sizeof g, "%s.show_if", f);
	json_t *cond = check_show_if(json_object_get(x, "show_if"), seen, g, &bad, d);
	if (bad) {
		json_decref(label);
		json_decref(options);
		json_decref(cond);
		return NULL;
	}
	json_object_set_new(seen, id, json_true());
	json_t *out = json_pack("{s:s, s:s, s:o, s:b, s:I}", "id", id, "kind", kind, "label", label,
	                        "required", json_is_true(req), "max_len", (json_int_t)max_len);
	if (strcmp(kind, "choice") == 0)
		json_object_set_new(out, "options", options);
	else
		json_decref(options);
	if (cond)
		json_object_set_new(out, "show_if", cond);
	return out;
}

json_t *lc_conf_form_check(const json_t *form, const char *prefix, struct lc_diag *d)
{
	char f[160];
	size_t before = lc_diag_total(d);
	const json_t *sections = json_object_get(form, "sections");
	size_t ns = json_array_size(sections);
	snprintf(f, sizeof f, "%s.sections", prefix);
	if (!json_is_object(form) || !json_is_array(sections) || ns > LC_LIMIT_CONF_FORM_SECTIONS) {
		lc_diag_addf(d, NULL, 0, 0, f, "err_conf_form_sections",
		             LC_ARG_I("limit", LC_LIMIT_CONF_FORM_SECTIONS));
		return NULL;
	}
	json_t *seen = json_object(), *secs = json_array();
	size_t nfields = 0;
	for (size_t i = 0; i < ns; i++) {
		const json_t *s = json_array_get(sections, i);
		char g[160];
		snprintf(g, sizeof g, "%s.sections[%zu]", prefix, i);
		const json_t *fields = json_object_get(s, "fields");
		if (!json_is_object(s) || !json_is_array(fields)) {
			lc_diag_add(d, NULL, 0, 0, g, "err_conf_form_object");
			continue;
		}
		bool bad = false;
		const char *sid = json_string_value(json_object_get(s, "id"));
		char h[208];
		snprintf(h, sizeof h, "%s.id", g);
		if (!id_ok(sid)) {
			lc_diag_addf(d, NULL, 0, 0, h, "err_conf_form_id",
			             LC_ARG_I("limit", LC_LIMIT_CONF_FORM_ID));
			bad = true;
		}
		json_t *title = texts(json_object_get(s, "title"));
		snprintf(h, sizeof h, "%s.title", g);
		if (!title) {
			lc_diag_addf(d, NULL, 0, 0, h, "err_conf_form_label",
			             LC_ARG_I("limit", LC_LIMIT_CONF_LABEL_BYTES));
			bad = true;
		}
		snprintf(h, sizeof h, "%s.show_if", g);
		json_t *cond = check_show_if(json_object_get(s, "show_if"), seen, h, &bad, d);
		json_t *out = json_array();
		for (size_t j = 0; j < json_array_size(fields); j++) {
			snprintf(h, sizeof h, "%s.fields[%zu]", g, j);
			if (++nfields > LC_LIMIT_CONF_FORM_FIELDS) {
				lc_diag_addf(d, NULL, 0, 0, h, "err_conf_form_fields",
				             LC_ARG_I("limit", LC_LIMIT_CONF_FORM_FIELDS));
				break;
			}
			json_t *x = check_field(json_array_get(fields, j), h, seen, d);
			if (x)
				json_array_append_new(out, x);
		}
		if (bad) {
			json_decref(title);
			json_decref(cond);
			json_decref(out);
			continue;
		}
		json_t *sec =
		    json_pack("{s:s, s:o, s:o}", "id", sid, "title", title, "fields", out);
		if (cond)
			json_object_set_new(sec, "show_if", cond);
		json_array_append_new(secs, sec);
	}
	json_decref(seen);
	if (lc_diag_total(d) > before) {
		json_decref(secs);
		return NULL;
	}
	return json_pack("{s:o}", "sections", secs);
}

/* ---- the default form --------------------------------------------------------------------- */

static json_t *field(const char *id, const char *kind, const char *en, const char *fr,
                     bool required)
{
	return json_pack("{s:s, s:s, s:{s:s, s:s}, s:b, s:i}", "id", id, "kind", kind, "label",
	                 "en", en, "fr", fr, "required", required, "max_len", 200);
}

static json_t *option(const char *value, const char *en, const char *fr)
{
	return json_pack("{s:s, s:{s:s, s:s}}", "value", value, "label", "en", en, "fr", fr);
}

json_t *lc_conf_form_default(const char *code)
{
	json_t *about = json_array();
	json_array_append_new(about, field("name", "text", "Your name as you write it",
	                                   "Votre nom tel que vous l'écrivez", true));
	json_array_append_new(about, field("name_latin", "text", "Your name in Latin letters",
	                                   "Votre nom en lettres latines", false));
	json_array_append_new(about,
	                      field("organisation", "text", "Organisation", "Organisation", true));
	json_array_append_new(about, field("position", "text", "Position", "Fonction", false));
	json_array_append_new(about, field("city", "text", "City", "Ville", false));
	json_array_append_new(about, field("country", "country", "Country (ISO code, e.g. FR)",
	                                   "Pays (code ISO, p. ex. FR)", true));
	if (code && strcmp(code, "press") == 0)
		json_array_append_new(about, field("press_card", "text", "Press card number",
		                                   "Numéro de carte de presse", true));
	json_t *needs = json_array();
	json_t *diet = field("dietary", "choice", "Dietary needs", "Régime alimentaire", false);
	json_t *opts = json_array();
	json_array_append_new(opts, option("none", "None", "Aucun"));
	json_array_append_new(opts, option("vegetarian", "Vegetarian", "Végétarien"));
	json_array_append_new(opts, option("vegan", "Vegan", "Végétalien"));
	json_array_append_new(opts, option("halal", "Halal", "Halal"));
	json_array_append_new(opts, option("kosher", "Kosher", "Casher"));
	json_array_append_new(opts, option("other", "Other", "Autre"));
	json_object_set_new(diet, "options", opts);
	json_array_append_new(needs, diet);
	json_t *other = field("dietary_other", "text", "Your dietary need", "Votre régime", true);
	json_object_set_new(other, "show_if",
	                    json_pack("{s:s, s:s}", "field", "dietary", "equals", "other"));
	json_array_append_new(needs, other);
	json_array_append_new(needs, field("accessibility", "text", "Accessibility needs",
	                                   "Besoins d'accessibilité", false));
	json_t *consent = json_array();
	json_array_append_new(
	    consent, field("list_consent", "consent",
	                   "Show my name, organisation and city in the participant list",
	                   "Afficher mon nom, mon organisation et ma ville dans la liste des "
	                   "participants",
	                   false));
	json_array_append_new(
	    consent, field("privacy", "consent",
	                   "I have read the privacy notice: my data serve this conference "
	                   "only and sensitive fields are deleted after it",
	                   "J'ai lu la notice de confidentialité : mes données ne servent "
	                   "qu'à cette conférence et les champs sensibles sont effacés après",
	                   true));
	json_t *secs = json_array();
	json_array_append_new(secs, json_pack("{s:s, s:{s:s, s:s}, s:o}", "id", "about", "title",
	                                      "en", "About you", "fr", "Vous", "fields", about));
	json_array_append_new(secs,
	                      json_pack("{s:s, s:{s:s, s:s}, s:o}", "id", "needs", "title", "en",
	                                "Your needs", "fr", "Vos besoins", "fields", needs));
	json_array_append_new(secs,
	                      json_pack("{s:s, s:{s:s, s:s}, s:o}", "id", "consent", "title", "en",
	                                "Privacy", "fr", "Confidentialité", "fields", consent));
	return json_pack("{s:o}", "sections", secs);
}

/* ---- answers ------------------------------------------------------------------------------ */

/* Is a show_if met by the answers kept so far? */
static bool shown(const json_t *cond, const json_t *kept)
{
	if (!cond)
		return true;
	const json_t *v = json_object_get(kept, json_string_value(json_object_get(cond, "field")));
	return v && json_equal((json_t *)v, json_object_get(cond, "equals"));
}

static bool country_ok(struct lc_db *db, const char *s)
{
	if (!s || strlen(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z')
		return false;
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT 1 FROM countries WHERE alpha2 = ?1");
	if (!st)
		return false;
	lc_db_bind_text(st, 1, s);
	int rc = lc_db_step(db, st);
	lc_db_release(db, st);
	return rc == 1;
}

/* One answer v (may be NULL) to field x, into kept; problems to d under f. */
static void answer(struct lc_db *db, const json_t *x, const json_t *v, json_t *kept,
                   struct lc_diag *d)
{
	const char *id = json_string_value(json_object_get(x, "id"));
	const char *kind = json_string_value(json_object_get(x, "kind"));
	bool required = json_is_true(json_object_get(x, "required"));
	char f[96];
	snprintf(f, sizeof f, "answers.%s", id);
	/* An empty text or an unticked box is no answer. */
	bool empty = !v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0) ||
	             json_is_false(v);
	if (strcmp(kind, "file") == 0) {
		if (!empty)
			lc_diag_add(d, NULL, 0, 0, f, "err_conf_answer_file");
		else if (required)
			lc_diag_add(d, NULL, 0, 0, f, "err_conf_answer_required");
		return;
	}
	if (empty) {
		if (required)
			lc_diag_add(d, NULL, 0, 0, f,
			            strcmp(kind, "consent") == 0 ? "err_conf_answer_consent"
			                                         : "err_conf_answer_required");
		return;
	}
	const char *s = json_string_value(v);
	if (strcmp(kind, "consent") == 0) {
		if (!json_is_true(v)) {
			lc_diag_add(d, NULL, 0, 0, f, "err_conf_answer_consent");
			return;
		}
	} else if (!s) {
		lc_diag_add(d, NULL, 0, 0, f, "err_conf_answer_text");
		return;
	} else if (strcmp(kind, "text") == 0) {
		json_int_t max = json_integer_value(json_object_get(x, "max_len"));
		if ((json_int_t)json_string_length(v) > max) {
			lc_diag_addf(d, NULL, 0, 0, f, "err_conf_answer_long",
			             LC_ARG_I("limit", max));
			return;
		}
	} else if (strcmp(kind, "choice") == 0) {
		bool ok = false;
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(x, "options"), i, o)
		{
			ok = ok || strcmp(json_string_value(json_object_get(o, "value")), s) == 0;
		}
		if (!ok) {
			lc_diag_add(d, NULL, 0, 0, f, "err_conf_answer_choice");
			return;
		}
	} else if (strcmp(kind, "date") == 0) {
		if (!lc_award_day_end(s)) {
			lc_diag_add(d, NULL, 0, 0, f, "err_conf_answer_date");
			return;
		}
	} else if (strcmp(kind, "country") == 0) {
		if (!country_ok(db, s)) {
			lc_diag_add(d, NULL, 0, 0, f, "err_conf_answer_country");
			return;
		}
	}
	json_object_set(kept, id, (json_t *)v);
}

json_t *lc_conf_form_answers(struct lc_db *db, const json_t *form, const json_t *answers,
                             struct lc_diag *d)
{
	size_t before = lc_diag_total(d);
	if (!json_is_object(answers)) {
		lc_diag_add(d, NULL, 0, 0, "answers", "err_conf_answers_object");
		return NULL;
	}
	json_t *kept = json_object(), *known = json_object();
	size_t i, j;
	json_t *s, *x;
	json_array_foreach(json_object_get(form, "sections"), i, s)
	{
		bool sec_shown = shown(json_object_get(s, "show_if"), kept);
		json_array_foreach(json_object_get(s, "fields"), j, x)
		{
			const char *id = json_string_value(json_object_get(x, "id"));
			json_object_set_new(known, id, json_true());
			if (sec_shown && shown(json_object_get(x, "show_if"), kept))
				answer(db, x, json_object_get(answers, id), kept, d);
		}
	}
	const char *k;
	json_object_foreach((json_t *)answers, k, x)
	{
		if (!json_object_get(known, k)) {
			char f[96];
			snprintf(f, sizeof f, "answers.%.80s", k);
			lc_diag_add(d, NULL, 0, 0, f, "err_conf_answer_unknown");
		}
	}
	json_decref(known);
	if (lc_diag_total(d) > before) {
		json_decref(kept);
		return NULL;
	}
	return kept;
}

json_t *lc_conf_form_view(const json_t *form, const json_t *answers, const json_t *errors,
                          const char *lang)
{
	json_t *secs = json_array();
	size_t i, j, k;
	json_t *s, *x, *o;
	json_array_foreach(json_object_get(form, "sections"), i, s)
	{
		json_t *fields = json_array();
		json_array_foreach(json_object_get(s, "fields"), j, x)
		{
			const char *id = json_string_value(json_object_get(x, "id"));
			const char *kind = json_string_value(json_object_get(x, "kind"));
			const json_t *v = json_object_get(answers, id);
			char key[96], is[16];
			snprintf(key, sizeof key, "answers.%s", id);
			snprintf(is, sizeof is, "is_%s", kind);
			const char *err = json_string_value(json_object_get(errors, key));
			json_t *opts = json_array();
			json_array_foreach(json_object_get(x, "options"), k, o)
			{
				const char *ov = json_string_value(json_object_get(o, "value"));
				json_array_append_new(
				    opts,
				    json_pack("{s:s, s:s, s:b}", "value", ov, "label",
				              say(json_object_get(o, "label"), lang), "selected",
				              json_is_string(v) &&
				                  strcmp(json_string_value(v), ov) == 0));
			}
			json_t *fv =
			    json_pack("{s:s, s:s, s:s, s:b, s:I, s:o, s:b, s:b}", "id", id, "kind",
			              kind, "label", say(json_object_get(x, "label"), lang),
			              "required", json_is_true(json_object_get(x, "required")),
			              "max_len", json_integer_value(json_object_get(x, "max_len")),
			              "options", opts, is, true, "checked", json_is_true(v));
			json_object_set_new(fv, "value",
			                    json_is_string(v) ? json_incref((json_t *)v)
			                                      : json_string(""));
			json_object_set_new(fv, "error", err ? json_string(err) : json_null());
			const json_t *cond = json_object_get(x, "show_if");
			if (cond)
				json_object_set(fv, "show_if", (json_t *)cond);
			json_array_append_new(fields, fv);
		}
		json_array_append_new(
		    secs, json_pack("{s:O, s:s, s:o}", "id", json_object_get(s, "id"), "title",
		                    say(json_object_get(s, "title"), lang), "fields", fields));
	}
	return json_pack("{s:o}", "sections", secs);
}
