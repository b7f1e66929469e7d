/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The progress report's questionnaire as data, and the checks of answers (see questionnaire.h). */
#include "domain/workflow/questionnaire.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/embedded.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "base/utf8.h"

static const char *const types[] = {"text", "number", "yes_no", "choice", "statistic"};

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static bool id_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (!n || n > 40)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') ||
		      id[i] == '_'))
			return false;
	return true;
}

static bool has_en(const json_t *o, const char *k)
{
	const char *en = str(json_object_get(o, k), "en");
	return en && *en;
}

static void check_question(const json_t *qu, const char *where, json_t *seen, struct lc_diag *d)
{
	const char *id = str(qu, "id"), *type = str(qu, "type");
	if (!id_ok(id)) {
		lc_diag_add(d, where, 0, 0, "id", "err_quest_question_needs_id_z");
		return;
	}
	if (json_object_get(seen, id))
		lc_diag_addf(d, where, 0, 0, id, "err_quest_two_questions_have_id",
		             LC_ARG_S("id", id));
	json_object_set_new(seen, id, json_true());
	if (!type || lc_str_index(types, sizeof types / sizeof *types, type) < 0)
		lc_diag_addf(d, where, 0, 0, id, "err_quest_unknown_type", LC_ARG_S("id", id));
	if (!has_en(qu, "label"))
		lc_diag_addf(d, where, 0, 0, id, "err_quest_english_label", LC_ARG_S("id", id));
	if (!type)
		return;
	const json_t *mw = json_object_get(qu, "max_words");
	if (strcmp(type, "text") == 0 && (!json_is_integer(mw) || json_integer_value(mw) < 1))
		lc_diag_addf(d, where, 0, 0, id, "err_quest_text_question_needs_max",
		             LC_ARG_S("id", id));
	if (strcmp(type, "choice") == 0) {
		const json_t *opts = json_object_get(qu, "options");
		size_t i;
		const json_t *o;
		if (!json_array_size(opts))
			lc_diag_addf(d, where, 0, 0, id, "err_quest_choice_needs_options",
			             LC_ARG_S("id", id));
		json_array_foreach(opts, i, o) if (!id_ok(str(o, "value")) || !has_en(o, "label"))
		    lc_diag_addf(d, where, 0, 0, id, "err_quest_option_needs_value_label",
		                 LC_ARG_S("id", id));
	}
	if (strcmp(type, "statistic") == 0 && !str(qu, "measurement"))
		lc_diag_addf(d, where, 0, 0, id, "err_quest_statistic_names_measurement",
		             LC_ARG_S("id", id));
	if (strcmp(type, "statistic") == 0 && json_is_true(json_object_get(qu, "required")))
		lc_diag_addf(d, where, 0, 0, id, "err_quest_statistic_read_only_never",
		             LC_ARG_S("id", id));
}

int lc_questionnaire_parse(const char *text, size_t len, json_t **out, struct lc_diag *d)
{
	*out = NULL;
	if (len > LC_LIMIT_DATA_FILE)
		return LC_ELIMIT;
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		/* jansson's own words: not ours to translate. */
		lc_diag_add_text(d, "questionnaire", jerr.line, jerr.column, NULL, "%s", jerr.text);
		return LC_EINVAL;
	}
	size_t before = lc_diag_total(d), nq = 0, i, j;
	const char *format = str(root, "format");
	if (!format || strcmp(format, "learncity-questionnaire/1") != 0)
		lc_diag_add(d, "questionnaire", 0, 0, "format",
		            "err_quest_expected_learncity_questionnaire_1");
	if (!str(root, "version"))
		lc_diag_add(d, "questionnaire", 0, 0, "version",
		            "err_quest_questionnaire_needs_version");
	const json_t *sections = json_object_get(root, "sections"), *s, *qu;
	if (!json_array_size(sections))
		lc_diag_add(d, "questionnaire", 0, 0, "sections", "err_quest_sections");
	json_t *seen = json_object(), *sseen = json_object();
	json_array_foreach(sections, i, s)
	{
		char where[64];
		snprintf(where, sizeof where, "sections[%zu]", i);
		const char *sid = str(s, "id");
		if (!id_ok(sid) || json_object_get(sseen, sid) || !has_en(s, "title")) {
			lc_diag_add(d, where, 0, 0, "id", "err_quest_section_needs_unique_id");
			continue;
		}
		json_object_set_new(sseen, sid, json_true());
		const json_t *qs = json_object_get(s, "questions");
		if (!json_is_array(qs))
			lc_diag_add(d, where, 0, 0, sid, "err_quest_section_needs_list_questions");
		json_array_foreach(qs, j, qu)
		{
			if (++nq > LC_LIMIT_REPORT_QUESTIONS) {
				lc_diag_addf(d, where, 0, 0, sid, "err_quest_more_questions",
				             LC_ARG_I("limit", LC_LIMIT_REPORT_QUESTIONS));
				break;
			}
			check_question(qu, where, seen, d);
		}
	}
	json_decref(seen);
	json_decref(sseen);
	if (lc_diag_total(d) > before) {
		json_decref(root);
		return LC_EINVAL;
	}
	*out = root;
	return 0;
}

int lc_questionnaire_get(json_t **out)
{
	const struct lc_embedded_file *f = lc_embedded_find("data/report-questionnaire.json");
	if (!f)
		return LC_EINTERNAL;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_questionnaire_parse((const char *)f->data, f->len, out, &d);
	lc_diag_cleanup(&d);
	return err ? LC_EINTERNAL : 0;
}

const json_t *lc_questionnaire_find(const json_t *q, const char *id)
{
	size_t i, j;
	const json_t *s, *qu;
	if (!id)
		return NULL;
	json_array_foreach(json_object_get(q, "sections"), i, s)
	{
		json_array_foreach(json_object_get(s, "questions"), j, qu)
		{
			const char *qid = str(qu, "id");
			if (qid && strcmp(qid, id) == 0)
				return qu;
		}
	}
	return NULL;
}

static bool is_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
	       cp == 0xA0 || cp == 0x2000 || (cp >= 0x2001 && cp <= 0x200B) || cp == 0x202F ||
	       cp == 0x205F || cp == 0x3000;
}

size_t lc_questionnaire_words(const char *s, size_t len)
{
	size_t words = 0, i = 0;
	bool in = false;
	while (i < len) {
		uint32_t cp;
		size_t k = lc_utf8_decode(s + i, len - i, &cp);
		if (!k)
			k = 1, cp = 0xFFFD; /* invalid bytes count as a letter, never loop */
		bool sp = is_space(cp);
		if (!sp && !in)
			words++;
		in = !sp;
		i += k;
	}
	return words;
}

static const char *label_of(const json_t *qu)
{
	const char *en = str(json_object_get(qu, "label"), "en");
	return en ? en : str(qu, "id");
}

/* A JSON answer as text; false when its JSON type has no text form. */
static bool text_of(const json_t *v, char *tmp, size_t n, const char **out)
{
	*out = NULL;
	if (!v || json_is_null(v))
		*out = "";
	else if (json_is_string(v))
		*out = json_string_value(v);
	else if (json_is_integer(v))
		snprintf(tmp, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v)), *out = tmp;
	else if (json_is_real(v))
		snprintf(tmp, n, "%.15g", json_real_value(v)), *out = tmp;
	else if (json_is_boolean(v))
		*out = json_is_true(v) ? "yes" : "no";
	return *out != NULL;
}

static bool has_option(const json_t *qu, const char *v)
{
	size_t i;
	const json_t *o;
	json_array_foreach(json_object_get(qu, "options"), i, o)
	{
		const char *ov = str(o, "value");
		if (ov && strcmp(ov, v) == 0)
			return true;
	}
	return false;
}

/* Checks one answer; adds its stored text to out. */
static void check_answer(const json_t *qu, const char *id, const json_t *v, json_t *out,
                         struct lc_diag *d)
{
	char tmp[64];
	const char *raw;
	const char *type = str(qu, "type"), *label = label_of(qu);
	if (strcmp(type, "statistic") == 0) {
		lc_diag_addf(d, NULL, 0, 0, id, "err_quest_read_monitoring_data_answered",
		             LC_ARG_S("label", label));
		return;
	}
	if (!text_of(v, tmp, sizeof tmp, &raw)) {
		lc_diag_addf(d, NULL, 0, 0, id, "err_quest_answer_text_number_yes",
		             LC_ARG_S("label", label));
		return;
	}
	size_t len = strlen(raw);
	if (len > LC_LIMIT_REPORT_ANSWER_BYTES || !lc_utf8_valid(raw, len)) {
		lc_diag_addf(d, NULL, 0, 0, id, "err_quest_answer_too_long_utf",
		             LC_ARG_S("label", label));
		return;
	}
	struct lc_slice t = lc_slice_trim(lc_slice_make(raw, len));
	char *val = lc_xstrndup(t.ptr, t.len);
	if (!t.len) {
		json_object_set_new(out, id, json_string(""));
		lc_free(val);
		return;
	}
	bool ok = true;
	if (strcmp(type, "text") == 0) {
		size_t words = lc_questionnaire_words(val, t.len);
		json_int_t max = json_integer_value(json_object_get(qu, "max_words"));
		if ((json_int_t)words > max) {
			lc_diag_addf(d, NULL, 0, 0, id, "err_quest_words", LC_ARG_S("label", label),
			             LC_ARG_I("count", words), LC_ARG_I("limit", max));
			ok = false;
		}
	} else if (strcmp(type, "number") == 0) {
		char *end = NULL;
		errno = 0;
		double x = strtod(val, &end);
		const json_t *mn = json_object_get(qu, "min"), *mx = json_object_get(qu, "max");
		if (end == val || *end || errno || !isfinite(x)) {
			lc_diag_addf(d, NULL, 0, 0, id, "err_quest_number",
			             LC_ARG_S("label", label));
			ok = false;
		} else if (json_is_true(json_object_get(qu, "integer")) && x != floor(x)) {
			lc_diag_addf(d, NULL, 0, 0, id, "err_quest_whole_number_expected",
			             LC_ARG_S("label", label));
			ok = false;
		} else if ((json_is_number(mn) && x < json_number_value(mn)) ||
		           (json_is_number(mx) && x > json_number_value(mx))) {
			lc_diag_addf(
			    d, NULL, 0, 0, id, "err_quest_out_range", LC_ARG_S("label", label),
			    LC_ARG_S("val", val),
			    LC_ARG_G("low", json_is_number(mn) ? json_number_value(mn) : -HUGE_VAL),
			    LC_ARG_G("high",
			             json_is_number(mx) ? json_number_value(mx) : HUGE_VAL));
			ok = false;
		} else {
			snprintf(tmp, sizeof tmp, "%.15g", x);
			lc_free(val);
			val = lc_xstrdup(tmp);
		}
	} else if (strcmp(type, "yes_no") == 0) {
		if (strcmp(val, "yes") != 0 && strcmp(val, "no") != 0) {
			lc_diag_addf(d, NULL, 0, 0, id, "err_quest_answer_yes",
			             LC_ARG_S("label", label));
			ok = false;
		}
	} else if (strcmp(type, "choice") == 0 && !has_option(qu, val)) {
		lc_diag_addf(d, NULL, 0, 0, id, "err_quest_one_options", LC_ARG_S("label", label),
		             LC_ARG_S("val", val));
		ok = false;
	}
	if (ok)
		json_object_set_new(out, id, json_string(val));
	lc_free(val);
}

int lc_questionnaire_normalise(const json_t *q, const json_t *answers, json_t **out,
                               struct lc_diag *d)
{
	*out = NULL;
	if (!json_is_object(answers)) {
		lc_diag_add(d, NULL, 0, 0, "answers", "err_quest_answers_object");
		return LC_EINVAL;
	}
	if (json_object_size(answers) > LC_LIMIT_REPORT_QUESTIONS) {
		lc_diag_add(d, NULL, 0, 0, "answers", "err_quest_more_answers_questions");
		return LC_EINVAL;
	}
	size_t before = lc_diag_total(d);
	json_t *res = json_object();
	const char *id;
	const json_t *v;
	json_object_foreach((json_t *)answers, id, v)
	{
		const json_t *qu = lc_questionnaire_find(q, id);
		if (!qu) {
			lc_diag_addf(d, NULL, 0, 0, id, "err_quest_question_report",
			             LC_ARG_S("id", id));
			continue;
		}
		check_answer(qu, id, v, res, d);
	}
	if (lc_diag_total(d) > before) {
		json_decref(res);
		return LC_EINVAL;
	}
	*out = res;
	return 0;
}

int lc_questionnaire_complete(const json_t *q, const json_t *stored, struct lc_diag *d)
{
	size_t before = lc_diag_total(d), i, j;
	const json_t *s, *qu;
	json_array_foreach(json_object_get(q, "sections"), i, s)
	{
		json_array_foreach(json_object_get(s, "questions"), j, qu)
		{
			if (!json_is_true(json_object_get(qu, "required")))
				continue;
			const char *v = str(stored, str(qu, "id"));
			if (!v || !*v)
				lc_diag_addf(d, NULL, 0, 0, str(qu, "id"), "err_quest_required",
				             LC_ARG_S("label", label_of(qu)));
		}
	}
	return lc_diag_total(d) > before ? LC_EINVAL : 0;
}
