/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Mustache templates over jansson values. The view-model of a page is a
 * json_t; the same json_t is what the JSON API serves.
 *
 * Supported: {{name}} (HTML-escaped), {{{name}}} and {{& name}} (raw),
 * dotted names (a.b.c), {{.}}, sections {{#x}}...{{/x}} (false, null, 0-length
 * arrays and empty strings skip; an array renders once per element with the
 * element pushed on the context stack; any other value -- object, true,
 * number, non-empty string -- is pushed and renders once, so {{.}} prints
 * it; numbers, 0 included, are true), inverted sections {{^x}}...{{/x}},
 * comments {{! ...}}, partials {{> name}} (from the same set) and the
 * standalone-line rules of the Mustache spec (a line holding only a section
 * tag, comment or partial leaves no trace; a standalone partial is indented
 * like its tag). Not supported (parse error): set delimiters {{= =}} and
 * lambdas.
 *
 * Interpolation: strings as they are; integers in decimal; reals with up to
 * 15 significant digits and no trailing zeros ("%.15g": 0.71 -> "0.71", 2.0
 * -> "2", 1e21 -> "1e+21"); true -> "true", false -> "false"; null, a
 * missing name, objects and arrays -> nothing.
 *
 * Name lookup walks the context stack from the innermost value outwards,
 * then the globals object (see lc_tpl_render). A dotted name resolves its
 * first part that way and the rest inside it.
 *
 * A set is compiled once (each template to an instruction list; partial
 * names resolved, so a missing partial is a load error) and rendered many
 * times by many threads at once: rendering reads the set, allocates nothing
 * but the output buffer's growth, and stops at LC_LIMIT_TEMPLATE_DEPTH
 * nested sections and partials (recursive partials end with an error).
 */
#ifndef LC_TEMPLATE_H
#define LC_TEMPLATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct lc_buf;
struct lc_diag;
struct lc_tpl_set;

/* A template given in memory (tests, fuzzing). Strings are borrowed during lc_tpl_set_new. */
struct lc_tpl_source {
	const char *name; /* "city", "partials/head" */
	const char *text; /* need not be NUL-terminated */
	size_t len;
};

/*
 * Compiles n templates into a set. Each problem (syntax, unclosed or
 * mismatched section, unknown partial, template over LC_LIMIT_TEMPLATE_BYTES,
 * invalid UTF-8) goes into diag (may be NULL) with the template name as file,
 * line and column, and the function returns LC_EINVAL with *out NULL. On
 * success *out is the set; free with lc_tpl_set_free.
 */
int lc_tpl_set_new(const struct lc_tpl_source *src, size_t n, struct lc_tpl_set **out,
                   struct lc_diag *diag);

/*
 * Compiles every embedded file "templates/<name>.mustache" as template
 * <name> ("templates/partials/head.mustache" is "partials/head"). As
 * lc_tpl_set_new otherwise.
 */
int lc_tpl_set_new_embedded(struct lc_tpl_set **out, struct lc_diag *diag);

void lc_tpl_set_free(struct lc_tpl_set *set);

/* True when the set holds a template of this name. */
bool lc_tpl_exists(const struct lc_tpl_set *set, const char *name);

/*
 * Renders template name with ctx as the root of the context stack and
 * globals (may be NULL; an object such as {"t": catalogue, "lang": "fr"}) as
 * the last place names are looked up, appending to out. Both are borrowed.
 * A real number prints with the globals' "decimal_mark" (one ASCII byte, as
 * "," in French) between its units and its decimals, "." without one;
 * integers print as they are (they also fill attributes such as max).
 * Returns 0; LC_ENOTFOUND for an unknown name; LC_ELIMIT when the depth
 * limit is reached or out is full (out then holds a partial page and diag,
 * which may be NULL, says where).
 */
int lc_tpl_render(const struct lc_tpl_set *set, const char *name, const json_t *ctx,
                  const json_t *globals, struct lc_buf *out, struct lc_diag *diag);

/*
 * Renders template page inside template layout, appending to out: the
 * layout renders over the globals alone, and where it writes {{{slot}}}
 * ("content") the page renders over ctx and the globals, straight into out
 * (no copy of the page). The page does not see the layout's sections. As
 * lc_tpl_render otherwise (LC_ENOTFOUND when either name is unknown).
 */
int lc_tpl_render_in(const struct lc_tpl_set *set, const char *layout, const char *slot,
                     const char *page, const json_t *ctx, const json_t *globals, struct lc_buf *out,
                     struct lc_diag *diag);

/*
 * As lc_tpl_render, for plain text (an e-mail's subject and text part):
 * {{name}} prints its value as it is, like {{{name}}}.
 */
int lc_tpl_render_text(const struct lc_tpl_set *set, const char *name, const json_t *ctx,
                       const json_t *globals, struct lc_buf *out, struct lc_diag *diag);

/* Appends a number as interpolation prints it (see above). */
void lc_tpl_put_number(struct lc_buf *out, const json_t *v);

#endif
