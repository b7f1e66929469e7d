/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Diagnostics a user must read: an import's bad row, a form's bad field, a
 * spec's unknown key. Each entry names where (file, line, column, field) and
 * what is wrong as a stable code, a key of the message catalogues
 * (i18n/<lang>.json, "err_..."), with named arguments ("value", "limit",
 * ...) that the catalogue's text places as {name}. Whoever shows an entry
 * renders it in the reader's language from the code and the arguments
 * (base/catalogue.h); code compares codes, never sentences.
 *
 * Every entry also carries its English rendering (message), made from the
 * embedded English catalogue when it is added, for logs and tests.
 *
 * A list is capped so that a file with a million bad rows does not produce
 * a million messages: entries past the cap are only counted.
 */
#ifndef LC_DIAG_H
#define LC_DIAG_H

#include <stdbool.h>
#include <stddef.h>

struct lc_buf;

/* An argument as given to lc_diag_add (borrowed during the call): use the LC_ARG_ macros. */
struct lc_diag_arg {
	const char *name; /* [a-z0-9_]+; NULL ends the list */
	int type;         /* LC_DIAG_ARG_TEXT, _INT or _REAL */
	const char *s;
	long long i;
	double d;
};

#define LC_DIAG_ARG_TEXT 1
#define LC_DIAG_ARG_INT  2
#define LC_DIAG_ARG_REAL 3
#define LC_DIAG_ARG_KEY  4

/* A text argument (NULL reads as ""), cut to LC_LIMIT_DIAG_VALUE_BYTES. */
#define LC_ARG_S(n, v) ((struct lc_diag_arg){(n), LC_DIAG_ARG_TEXT, (v), 0, 0.0})
/* A whole number. */
#define LC_ARG_I(n, v) ((struct lc_diag_arg){(n), LC_DIAG_ARG_INT, NULL, (long long)(v), 0.0})
/* Another catalogue key, said in the same language (a reason inside a sentence). */
#define LC_ARG_K(n, v) ((struct lc_diag_arg){(n), LC_DIAG_ARG_KEY, (v), 0, 0.0})
/* A real number, shown as printf's %g. */
#define LC_ARG_G(n, v) ((struct lc_diag_arg){(n), LC_DIAG_ARG_REAL, NULL, 0, (double)(v)})

/* A stored argument: its value as text, and whether it is a number (for JSON). */
struct lc_diag_value {
	char *name;  /* owned */
	char *value; /* owned */
	bool number;
	bool key; /* value is a catalogue key, rendered in the reader's language */
};

struct lc_diag_entry {
	char *file;                 /* owned; NULL when not about a file */
	long line;                  /* 1-based; 0 when not known */
	long column;                /* 1-based; 0 when not known */
	char *field;                /* owned; a column or form field name, or NULL */
	char *code;                 /* owned; the catalogue key, or NULL for a text entry */
	struct lc_diag_value *args; /* owned */
	size_t nargs;               /* at most LC_DIAG_MAX_ARGS */
	char *message;              /* owned; the English rendering, without a trailing period */
};

struct lc_diag {
	struct lc_diag_entry *items; /* owned */
	size_t count;                /* entries stored */
	size_t cap;
	size_t dropped; /* entries past max, counted only */
	size_t max;     /* stored entries at most */
};

#define LC_DIAG_DEFAULT_MAX 1000
/* Arguments of one entry: our own messages name at most a handful. */
#define LC_DIAG_MAX_ARGS 8

/* An empty list keeping at most LC_DIAG_DEFAULT_MAX entries. */
void lc_diag_init(struct lc_diag *d);
/* Frees every entry. NULL allowed. */
void lc_diag_cleanup(struct lc_diag *d);

/*
 * Adds an entry with the catalogue key code and no arguments. file and field
 * may be NULL; d may be NULL (nothing happens). code must be a key of the
 * English catalogue (asserted).
 */
#define lc_diag_add(d, file, line, column, field, code)                                            \
	lc_diag_addv((d), (file), (line), (column), (field), (code), NULL)
/*
 * The same with arguments, e.g.
 *   lc_diag_addf(d, NULL, row, 0, "value", "err_obs_range", LC_ARG_S("value", text),
 *                LC_ARG_G("low", lo), LC_ARG_G("high", hi));
 */
#define lc_diag_addf(d, file, line, column, field, code, ...)                                      \
	lc_diag_addv((d), (file), (line), (column), (field), (code),                               \
	             (const struct lc_diag_arg[]){__VA_ARGS__, {NULL, 0, NULL, 0, 0.0}})
/* What the two expand to: args ends with an argument whose name is NULL, or is NULL. */
void lc_diag_addv(struct lc_diag *d, const char *file, long line, long column, const char *field,
                  const char *code, const struct lc_diag_arg *args);
/*
 * Adds an entry whose text is not ours to translate: code NULL, the text as
 * message, said as it is in every language. Only for text that is wholly a
 * library's (jansson's syntax error, SQLite's integrity report) and for the
 * problems of what ships inside the binary (templates, route tables, the
 * catalogues themselves), which a developer reads; a library's words inside
 * a problem of ours go as an argument of a coded entry ("reason").
 */
void lc_diag_add_text(struct lc_diag *d, const char *file, long line, long column,
                      const char *field, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Appends every entry of src (copies) to d. */
void lc_diag_append(struct lc_diag *d, const struct lc_diag *src);
/*
 * The same, each entry placed under field: its field becomes "field: its
 * field", or field when it had none (a problem inside one part of a larger
 * input, said with the part's name).
 */
void lc_diag_append_under(struct lc_diag *d, const struct lc_diag *src, const char *field);

/* The value of the argument name of e, or NULL. */
const char *lc_diag_arg(const struct lc_diag_entry *e, const char *name);
/* The arguments of e as a JSON object, numbers as numbers (a jansson json_t *, new reference). */
struct json_t;
struct json_t *lc_diag_args_json(const struct lc_diag_entry *e);
/* True when some entry has this code. */
bool lc_diag_has(const struct lc_diag *d, const char *code);
/* Total problems, stored or dropped. */
size_t lc_diag_total(const struct lc_diag *d);

/* Says a catalogue key in some language: the text, or NULL when unknown. */
typedef const char *(*lc_diag_lookup)(const void *ctx, const char *key);
/*
 * Appends text (a catalogue entry's) with every {name} replaced by e's
 * argument name, a key argument said through lookup; a {name} that e lacks
 * stays as it is.
 */
void lc_diag_render(const char *text, const struct lc_diag_entry *e, lc_diag_lookup lookup,
                    const void *ctx, struct lc_buf *out);
/*
 * Appends one line per entry: "file:line:column: field: message", leaving out
 * the parts that are unknown, then a line for dropped entries if any. English;
 * lc_catalogue_format_diag says them in another language.
 */
void lc_diag_format(const struct lc_diag *d, struct lc_buf *out);
/* The English text of a catalogue key (the embedded i18n/en.json), or NULL. */
const char *lc_diag_english(const char *key);

#endif
