/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A conference programme as a JSON or CSV file (programme_file.h). */
#include "formats/programme_file.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/slice.h"
#include "formats/csv.h"

/* The lists of a document and the members each element may have. */
static const char *const LISTS[] = {"rooms", "types", "tracks", "speakers", "sessions"};
static const char *const ROOM_M[] = {"id", "name", "capacity", "accessible", "floor"};
static const char *const LABEL_M[] = {"id", "code", "name"};
static const char *const SPEAKER_M[] = {"id",           "name", "name_native", "title",
                                        "organisation", "city", "bio"};
static const char *const SESSION_M[] = {"id",       "title",     "abstract", "type",      "track",
                                        "room",     "start",     "duration", "languages", "chair",
                                        "speakers", "cancelled", "sequence", "capacity"};

#define N(a) (sizeof(a) / sizeof *(a))

static bool known(const char *const *names, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], key) == 0)
			return true;
	return false;
}

int lc_prog_file_parse_json(const char *data, size_t n, json_t **doc, struct lc_diag *d)
{
	*doc = NULL;
	if (n > LC_LIMIT_PROG_IMPORT_BYTES) {
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_prog_file_too_big",
		             LC_ARG_I("limit", LC_LIMIT_PROG_IMPORT_BYTES));
		return LC_ELIMIT;
	}
	json_error_t je;
	json_t *root = json_loadb(data, n, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		lc_diag_addf(d, NULL, je.line > 0 ? je.line : 0, je.column > 0 ? je.column : 0,
		             NULL, "err_prog_file_json", LC_ARG_S("reason", je.text));
		return LC_EINVAL;
	}
	size_t before = lc_diag_total(d);
	if (!json_is_object(root)) {
		lc_diag_add(d, NULL, 0, 0, NULL, "err_prog_object");
		goto out;
	}
	const char *key;
	json_t *list;
	json_object_foreach(root, key, list)
	{
		size_t k = 0;
		while (k < N(LISTS) && strcmp(LISTS[k], key) != 0)
			k++;
		if (k == N(LISTS)) {
			lc_diag_addf(d, NULL, 0, 0, NULL, "err_prog_file_member",
			             LC_ARG_S("value", key));
			continue;
		}
		if (!json_is_array(list)) {
			lc_diag_add(d, NULL, 0, 0, key, "err_prog_file_list");
			continue;
		}
		const char *const *names = k == 0   ? ROOM_M
		                           : k <= 2 ? LABEL_M
		                           : k == 3 ? SPEAKER_M
		                                    : SESSION_M;
		size_t nn = k == 0   ? N(ROOM_M)
		            : k <= 2 ? N(LABEL_M)
		            : k == 3 ? N(SPEAKER_M)
		                     : N(SESSION_M);
		size_t i;
		json_t *el;
		json_array_foreach(list, i, el)
		{
			long row = (long)i + 1;
			if (!json_is_object(el)) {
				lc_diag_add(d, NULL, row, 0, key, "err_prog_file_list");
				continue;
			}
			const char *m;
			json_t *v;
			json_object_foreach(el, m, v)
			{
				if (!known(names, nn, m)) {
					char field[96];
					snprintf(field, sizeof field, "%s: %s", key, m);
					lc_diag_addf(d, NULL, row, 0, field, "err_prog_file_member",
					             LC_ARG_S("value", m));
				}
			}
			const json_t *id = json_object_get(el, "id");
			if (id && !(json_is_integer(id) && json_integer_value(id) > 0)) {
				char field[96];
				snprintf(field, sizeof field, "%s: id", key);
				lc_diag_add(d, NULL, row, 0, field, "err_prog_file_id");
			}
			json_object_set_new(el, "row", json_integer(row));
		}
	}
out:
	if (lc_diag_total(d) > before) {
		json_decref(root);
		return LC_EINVAL;
	}
	*doc = root;
	return 0;
}

/* ---- CSV ------------------------------------------------------------------ */

enum col {
	C_ID,
	C_START,
	C_DURATION,
	C_ROOM,
	C_TYPE,
	C_TRACK,
	C_LANGS,
	C_CHAIR,
	C_SPEAKERS,
	C_CANCELLED,
	N_FIXED
};
static const char *const COLS[N_FIXED] = {"id",       "start",    "duration",  "room",
                                          "type",     "track",    "languages", "chair",
                                          "speakers", "cancelled"};

/* A text cell as the writer neutralised it: the apostrophe before a formula's first
   character comes off again, so that an export imports back unchanged. */
static json_t *text_cell(struct lc_slice v)
{
	if (v.len >= 2 && v.ptr[0] == '\'' && strchr("=+-@\t\r", v.ptr[1]))
		return json_stringn(v.ptr + 1, v.len - 1);
	return json_stringn(v.ptr, v.len);
}

/* A whole number for an id (empty: null); otherwise the text itself, which the
   domain refuses with its field, so that every problem of the file is said at once. */
static json_t *id_cell(struct lc_slice s)
{
	long v;
	if (s.len == 0)
		return json_null();
	if (lc_slice_to_long(s, 1, 9007199254740991L, &v) == 0)
		return json_integer(v);
	return json_stringn(s.ptr, s.len);
}

/* The space-separated words of s as strings, or as ids when ids is set. */
static json_t *words(struct lc_slice s, bool ids)
{
	json_t *arr = json_array();
	while (s.len && json_array_size(arr) <= LC_LIMIT_PROG_SESSION_SPEAKERS) {
		struct lc_slice w;
		s = lc_slice_cut(s, ' ', &w);
		w = lc_slice_trim(w);
		if (w.len)
			json_array_append_new(arr, ids ? id_cell(w) : json_stringn(w.ptr, w.len));
	}
	return arr;
}

int lc_prog_file_parse_csv(const char *data, size_t n, json_t **doc, struct lc_diag *d)
{
	*doc = NULL;
	if (n > LC_LIMIT_PROG_IMPORT_BYTES) {
		lc_diag_addf(d, NULL, 0, 0, NULL, "err_prog_file_too_big",
		             LC_ARG_I("limit", LC_LIMIT_PROG_IMPORT_BYTES));
		return LC_ELIMIT;
	}
	struct lc_csv c;
	lc_csv_init(&c);
	int err = lc_csv_parse(&c, data, n, NULL, d);
	if (err)
		return err;
	size_t before = lc_diag_total(d);
	/* Which column is what: a fixed one, or a text in a language ("title.fr"). */
	long fixed[N_FIXED];
	for (size_t k = 0; k < N_FIXED; k++)
		fixed[k] = lc_csv_find_col(&c, COLS[k]);
	for (size_t col = 0; col < c.n_cols; col++) {
		const char *h = lc_csv_cstr(&c, 0, col);
		bool ok = false;
		for (size_t k = 0; k < N_FIXED; k++)
			ok = ok || strcmp(h, COLS[k]) == 0;
		const char *dot = strchr(h, '.');
		if (dot && dot[1] && strlen(dot + 1) <= 8 &&
		    ((dot - h == 5 && strncmp(h, "title", 5) == 0) ||
		     (dot - h == 8 && strncmp(h, "abstract", 8) == 0)))
			ok = true;
		if (!ok)
			lc_diag_addf(d, NULL, c.line[0], (long)col + 1, h, "err_prog_file_column",
			             LC_ARG_S("value", h));
	}
	json_t *sessions = json_array();
	for (size_t r = 1; r < c.n_rows; r++) {
		long line = c.line[r];
		json_t *s = json_pack("{s:I}", "row", (json_int_t)line);
		for (size_t k = 0; k < N_FIXED; k++) {
			if (fixed[k] < 0)
				continue;
			struct lc_slice v = lc_csv_cell(&c, r, (size_t)fixed[k]);
			json_t *j = NULL;
			switch (k) {
			case C_ID:
				/* The id is the file's own: only the parser can say it is wrong. */
				if (v.len) {
					j = id_cell(v);
					if (!json_is_integer(j)) {
						lc_diag_add(d, NULL, line, fixed[k] + 1, "id",
						            "err_prog_file_id");
						json_decref(j);
						j = NULL;
					}
				}
				break;
			case C_ROOM:
			case C_CHAIR: j = id_cell(v); break;
			case C_DURATION: j = v.len ? id_cell(v) : NULL; break;
			case C_SPEAKERS: j = words(v, true); break;
			case C_LANGS: j = words(v, false); break;
			case C_CANCELLED:
				if (!v.len || lc_slice_eq_nocase(v, "no") ||
				    lc_slice_eq_nocase(v, "false") || lc_slice_eq(v, "0"))
					j = json_false();
				else if (lc_slice_eq_nocase(v, "yes") ||
				         lc_slice_eq_nocase(v, "true") || lc_slice_eq(v, "1"))
					j = json_true();
				else
					j = json_stringn(v.ptr, v.len);
				break;
			case C_TRACK: j = v.len ? json_stringn(v.ptr, v.len) : json_null(); break;
			default:
				if (v.len)
					j = json_stringn(v.ptr, v.len);
			}
			if (j)
				json_object_set_new(s, COLS[k], j);
		}
		for (size_t col = 0; col < c.n_cols; col++) {
			const char *h = lc_csv_cstr(&c, 0, col), *dot = strchr(h, '.');
			struct lc_slice v = lc_csv_cell(&c, r, col);
			if (!dot || !v.len)
				continue;
			char member[16];
			snprintf(member, sizeof member, "%.*s", (int)(dot - h), h);
			if (!json_object_get(s, member))
				json_object_set_new(s, member, json_object());
			json_object_set_new(json_object_get(s, member), dot + 1, text_cell(v));
		}
		json_array_append_new(sessions, s);
	}
	lc_csv_cleanup(&c);
	if (lc_diag_total(d) > before) {
		json_decref(sessions);
		return LC_EINVAL;
	}
	*doc = json_pack("{s:o}", "sessions", sessions);
	return 0;
}

/* One cell: text neutralised, a comma before all but the first. */
static void cell(struct lc_buf *b, bool first, const char *s)
{
	if (!first)
		lc_buf_putc(b, ',');
	if (s)
		lc_buf_append_csv(b, s, strlen(s));
}

static void int_cell(struct lc_buf *b, const json_t *v)
{
	lc_buf_putc(b, ',');
	if (json_is_integer(v))
		lc_buf_printf(b, "%lld", (long long)json_integer_value(v));
}

int lc_prog_file_write_csv(const json_t *doc, const json_t *langs, struct lc_buf *out)
{
	for (size_t k = 0; k < N_FIXED; k++)
		cell(out, k == 0, COLS[k]);
	size_t i;
	const json_t *l;
	json_array_foreach(langs, i, l) lc_buf_printf(out, ",title.%s", json_string_value(l));
	json_array_foreach(langs, i, l) lc_buf_printf(out, ",abstract.%s", json_string_value(l));
	lc_buf_puts(out, "\r\n");
	const json_t *s;
	json_array_foreach(json_object_get(doc, "sessions"), i, s)
	{
		lc_buf_printf(out, "%lld", (long long)json_integer_value(json_object_get(s, "id")));
		cell(out, false, json_string_value(json_object_get(s, "start")));
		int_cell(out, json_object_get(s, "duration"));
		int_cell(out, json_object_get(s, "room"));
		cell(out, false, json_string_value(json_object_get(s, "type")));
		cell(out, false, json_string_value(json_object_get(s, "track")));
		for (int ids = 0; ids < 2; ids++) {
			struct lc_buf w;
			lc_buf_init(&w, LC_LIMIT_PROG_TEXT_BYTES);
			size_t k;
			const json_t *v;
			json_array_foreach(json_object_get(s, ids ? "speakers" : "languages"), k, v)
			{
				if (k)
					lc_buf_putc(&w, ' ');
				if (ids)
					lc_buf_printf(&w, "%lld", (long long)json_integer_value(v));
				else
					lc_buf_puts(&w, json_string_value(v) ? json_string_value(v)
					                                     : "");
			}
			if (ids)
				int_cell(out, json_object_get(s, "chair"));
			cell(out, false, lc_buf_cstr(&w));
			lc_buf_cleanup(&w);
		}
		cell(out, false, json_is_true(json_object_get(s, "cancelled")) ? "yes" : "no");
		for (int t = 0; t < 2; t++) {
			const json_t *tr = json_object_get(s, t ? "abstract" : "title");
			size_t k;
			json_array_foreach(langs, k, l)
			    cell(out, false,
			         json_string_value(json_object_get(tr, json_string_value(l))));
		}
		lc_buf_puts(out, "\r\n");
	}
	return lc_buf_error(out) ? LC_ELIMIT : 0;
}
