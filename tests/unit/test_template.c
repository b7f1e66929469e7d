/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of web/template.c: each Mustache feature, escaping, numbers,
 * standalone lines, partials and their indentation, errors with line and
 * column, depth limits and recursive partials.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/embedded.h"
#include "base/error.h"
#include "base/limits.h"
#include "text/template.h"

/* Renders template "main" of a set made of main plus optional partials (name, text, ...). */
static char *render_set(const char *main, const char *json, const char *globals_json, int *rc,
                        const char *p1, const char *t1, const char *p2, const char *t2)
{
	struct lc_tpl_source src[3] = {{"main", main, strlen(main)}};
	size_t n = 1;
	if (p1)
		src[n++] = (struct lc_tpl_source){p1, t1, strlen(t1)};
	if (p2)
		src[n++] = (struct lc_tpl_source){p2, t2, strlen(t2)};
	struct lc_tpl_set *set;
	struct lc_diag d;
	lc_diag_init(&d);
	int e = lc_tpl_set_new(src, n, &set, &d);
	if (e) {
		struct lc_buf b;
		lc_buf_init(&b, 1 << 16);
		lc_diag_format(&d, &b);
		print_error("compile failed: %s\n", lc_buf_cstr(&b));
		lc_buf_cleanup(&b);
		lc_diag_cleanup(&d);
		*rc = e;
		return NULL;
	}
	json_error_t err;
	json_t *ctx = json_loads(json, JSON_DECODE_ANY, &err);
	assert_non_null(ctx);
	json_t *g = globals_json ? json_loads(globals_json, 0, &err) : NULL;
	struct lc_buf out;
	lc_buf_init(&out, 1 << 20);
	*rc = lc_tpl_render(set, "main", ctx, g, &out, &d);
	json_decref(ctx);
	json_decref(g);
	lc_tpl_set_free(set);
	lc_diag_cleanup(&d);
	return lc_buf_steal(&out, NULL);
}

static void check(const char *tpl, const char *json, const char *want)
{
	int rc;
	char *got = render_set(tpl, json, NULL, &rc, NULL, NULL, NULL, NULL);
	assert_non_null(got);
	assert_int_equal(rc, 0);
	assert_string_equal(got, want);
	lc_free(got);
}

static void check_p(const char *tpl, const char *json, const char *pname, const char *ptext,
                    const char *want)
{
	int rc;
	char *got = render_set(tpl, json, NULL, &rc, pname, ptext, NULL, NULL);
	assert_non_null(got);
	assert_int_equal(rc, 0);
	assert_string_equal(got, want);
	lc_free(got);
}

static void test_interpolation(void **state)
{
	(void)state;
	check("Hello, {{name}}!", "{\"name\":\"World\"}", "Hello, World!");
	check("{{ name }}|{{missing}}|", "{\"name\":\"x\"}", "x||");
	check("{{a}}", "{\"a\":\"<b>&\\\"'</b>\"}", "&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;");
	check("{{{a}}}|{{& a}}", "{\"a\":\"<b>\"}", "<b>|<b>");
	check("{{n}} {{r}} {{z}} {{big}} {{f}}",
	      "{\"n\":42,\"r\":0.71,\"z\":2.0,\"big\":-7,\"f\":1.5e21}", "42 0.71 2 -7 1.5e+21");
	check("{{x}}", "{\"x\":0.1234567890123456789}", "0.123456789012346");
	check("{{t}} {{f}} {{nul}} {{obj}} {{arr}}",
	      "{\"t\":true,\"f\":false,\"nul\":null,\"obj\":{},\"arr\":[1]}", "true false   ");
	check("{{a.b.c}} {{a.b.x}} {{a.z.c}}", "{\"a\":{\"b\":{\"c\":\"deep\"}}}", "deep  ");
	check("{{.}}", "\"top\"", "top");
	check("{{ñame}}", "{\"ñame\":\"ü\"}", "ü");
	check("no tags at all", "{}", "no tags at all");
	check("", "{}", "");
	check("a { b } {c} }}", "{}", "a { b } {c} }}");
}

/* Plain text (an e-mail's subject and text part): nothing is HTML-escaped. */
static void test_text_mode(void **state)
{
	(void)state;
	static const char main[] = "{{a}} {{{a}}} {{#s}}[{{.}}]{{/s}}";
	struct lc_tpl_source src = {"main", main, sizeof main - 1};
	struct lc_tpl_set *set;
	assert_int_equal(lc_tpl_set_new(&src, 1, &set, NULL), 0);
	json_t *ctx = json_pack("{s:s,s:[s]}", "a", "O'Brien <b> & co", "s", "x<y");
	struct lc_buf out;
	lc_buf_init(&out, 1 << 16);
	assert_int_equal(lc_tpl_render_text(set, "main", ctx, NULL, &out, NULL), 0);
	assert_string_equal(lc_buf_cstr(&out), "O'Brien <b> & co O'Brien <b> & co [x<y]");
	lc_buf_reset(&out);
	assert_int_equal(lc_tpl_render(set, "main", ctx, NULL, &out, NULL), 0);
	assert_string_equal(lc_buf_cstr(&out),
	                    "O&#39;Brien &lt;b&gt; &amp; co O'Brien <b> & co [x&lt;y]");
	lc_buf_cleanup(&out);
	json_decref(ctx);
	lc_tpl_set_free(set);
}

static void test_sections(void **state)
{
	(void)state;
	check("{{#t}}yes{{/t}}{{#f}}no{{/f}}", "{\"t\":true,\"f\":false}", "yes");
	check("{{#n}}no{{/n}}{{#m}}no{{/m}}{{#e}}no{{/e}}{{#s}}no{{/s}}",
	      "{\"n\":null,\"e\":[],\"s\":\"\"}", "");
	check("{{#z}}zero is true{{/z}}", "{\"z\":0}", "zero is true");
	check("{{#list}}[{{name}}]{{/list}}", "{\"list\":[{\"name\":\"a\"},{\"name\":\"b\"}]}",
	      "[a][b]");
	check("{{#list}}{{.}},{{/list}}", "{\"list\":[1,\"two\",3.5]}", "1,two,3.5,");
	check("{{#obj}}{{x}}-{{y}}{{/obj}}", "{\"obj\":{\"x\":1},\"y\":\"outer\"}", "1-outer");
	check("{{#s}}{{.}}{{/s}}", "{\"s\":\"str\"}", "str");
	check("{{#l}}({{#.}}{{.}}{{/.}}){{/l}}", "{\"l\":[[1,2,3],[\"a\",\"b\"]]}", "(123)(ab)");
	check("{{#a}}{{b.c}}{{/a}}", "{\"a\":{\"b\":{}},\"b\":{\"c\":\"ERROR\"}}", "");
	check("{{#a}}{{#b}}{{c}}{{/b}}{{/a}}", "{\"a\":{\"b\":{\"c\":\"n\"}}}", "n");
	check("{{#a.b}}{{c}}{{/a.b}}", "{\"a\":{\"b\":{\"c\":\"dotted\"}}}", "dotted");
	check("{{#list}}{{#inner}}{{.}}{{/inner}};{{/list}}",
	      "{\"list\":[{\"inner\":[1,2]},{\"inner\":[]},{\"inner\":[3]}]}", "12;;3;");
	/* Inner names shadow outer ones; missing ones fall through to outer contexts. */
	check("{{#a}}{{n}}{{#b}}{{n}}{{m}}{{/b}}{{/a}}",
	      "{\"n\":0,\"m\":\"M\",\"a\":{\"n\":1,\"b\":{\"n\":2}}}", "12M");
}

static void test_inverted_and_comments(void **state)
{
	(void)state;
	check("{{^f}}shown{{/f}}{{^t}}hidden{{/t}}", "{\"f\":false,\"t\":true}", "shown");
	check("{{^e}}empty{{/e}}{{^m}}missing{{/m}}", "{\"e\":[]}", "emptymissing");
	check("a{{! a comment }}b{{!\nmulti\nline}}c", "{}", "abc");
}

static void test_standalone(void **state)
{
	(void)state;
	check("begin\n{{#t}}\nyes\n{{/t}}\nend\n", "{\"t\":true}", "begin\nyes\nend\n");
	check("begin\n  {{#t}}  \n  yes\n  {{/t}}\nend", "{\"t\":true}", "begin\n  yes\nend");
	check("begin\r\n{{#t}}\r\nyes\r\n{{/t}}\r\nend", "{\"t\":true}", "begin\r\nyes\r\nend");
	check("a\n{{! comment }}\nb", "{}", "a\nb");
	check("{{#t}}\nlast{{/t}}", "{\"t\":true}", "last");
	/* Not standalone: other content on the line. */
	check(" {{#t}}x{{/t}} \n", "{\"t\":true}", " x \n");
	check("|\n{{#f}}\nno\n{{/f}}\n|", "{\"f\":false}", "|\n|");
	/* A variable tag is never standalone. */
	check("  {{v}}\n", "{\"v\":\"x\"}", "  x\n");
	check("{{#l}}\n- {{.}}\n{{/l}}\n", "{\"l\":[1,2]}", "- 1\n- 2\n");
	check(" | {{#b}} {{! keep }}\n {{/b}} | \n", "{\"b\":true}", " |  \n  | \n");
	check("#{{#b}}\n/\n  {{/b}}", "{\"b\":true}", "#\n/\n");
	check("Begin.\n  {{!\n    multi\n  }}\nEnd.\n", "{}", "Begin.\nEnd.\n");
	check("  12 {{! 34 }}\n", "{}", "  12 \n");
}

static void test_partials(void **state)
{
	(void)state;
	check_p("[{{> p}}]", "{\"x\":\"X\"}", "p", "<{{x}}>", "[<X>]");
	check_p("{{#l}}{{>item}}{{/l}}", "{\"l\":[{\"v\":1},{\"v\":2}]}", "item", "({{v}})",
	        "(1)(2)");
	/* A standalone partial is indented like its tag, line by line; data is not. */
	check_p(">\n  {{> p}}\n>", "{\"c\":\"<\\n->\"}", "p", "|\n{{{c}}}\n|\n",
	        ">\n  |\n  <\n->\n  |\n>");
	check_p("a\n{{> p}}\nb", "{}", "p", "P\n", "a\nP\nb");
	check_p("x {{> p}} y", "{}", "p", "1\n2", "x 1\n2 y");
	check_p("  {{>p}}\n>", "{}", "p", ">\n>", "  >\n  >>");
	check_p(">\n  {{>p}}", "{}", "p", ">\n>", ">\n  >\n  >");
	check_p("|\r\n{{>p}}\r\n|", "{}", "p", ">", "|\r\n>|");
	check_p("  {{v}}  {{> p}}\n", "{\"v\":\"|\"}", "p", ">\n>", "  |  >\n>\n");
	check_p("{{>n}}", "{\"c\":\"X\",\"nodes\":[{\"c\":\"Y\",\"nodes\":[]}]}", "n",
	        "{{c}}<{{#nodes}}{{>n}}{{/nodes}}>", "X<Y<>>");
	int rc;
	char *got = render_set("{{> a}}", "{}", NULL, &rc, "a", "A{{> b}}", "b", "B");
	assert_string_equal(got, "AB");
	lc_free(got);
}

static void test_globals(void **state)
{
	(void)state;
	int rc;
	char *got = render_set("{{t.hello}} {{lang}} {{#items}}{{t.item}}{{name}} {{/items}}",
	                       "{\"items\":[{\"name\":\"a\"},{\"name\":\"b\",\"lang\":\"x\"}]}",
	                       "{\"t\":{\"hello\":\"Bonjour\",\"item\":\"- \"},\"lang\":\"fr\"}",
	                       &rc, NULL, NULL, NULL, NULL);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "Bonjour fr - a - b ");
	lc_free(got);
	/* The context wins over globals. */
	got = render_set("{{lang}}", "{\"lang\":\"ctx\"}", "{\"lang\":\"g\"}", &rc, NULL, NULL,
	                 NULL, NULL);
	assert_string_equal(got, "ctx");
	lc_free(got);
}

/* Compiles one template expecting an error at line:column with a message containing what. */
static void check_error(const char *tpl, long line, long col, const char *what)
{
	struct lc_tpl_source src = {"bad", tpl, strlen(tpl)};
	struct lc_tpl_set *set = (struct lc_tpl_set *)1;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_tpl_set_new(&src, 1, &set, &d), LC_EINVAL);
	assert_null(set);
	assert_true(d.count >= 1);
	assert_string_equal(d.items[0].file, "bad");
	if (line) {
		assert_int_equal(d.items[0].line, line);
		assert_int_equal(d.items[0].column, col);
	}
	if (!strstr(d.items[0].message, what))
		fail_msg("message \"%s\" lacks \"%s\"", d.items[0].message, what);
	lc_diag_cleanup(&d);
}

static void test_errors(void **state)
{
	(void)state;
	check_error("abc {{name", 1, 5, "unclosed");
	check_error("a\nb {{#x}}\nc", 2, 3, "not closed");
	check_error("{{#x}}{{/y}}", 1, 7, "does not match");
	check_error("\n\n  {{/x}}", 3, 3, "without an open");
	check_error("{{=<% %>=}}", 1, 1, "delimiters");
	check_error("{{a b}}", 1, 1, "spaces");
	check_error("{{a..b}}", 1, 1, "empty");
	check_error("{{}}", 1, 1, "empty");
	check_error("x {{> nowhere}}", 1, 3, "unknown partial");
	check_error("{{{a}}", 1, 1, "unclosed");
	check_error("\xC3(", 0, 0, "UTF-8");
	/* Sections deeper than the limit fail at compile time. */
	char deep[LC_LIMIT_TEMPLATE_DEPTH * 12 + 64] = "";
	for (size_t i = 0; i <= LC_LIMIT_TEMPLATE_DEPTH; i++)
		memcpy(deep + 6 * i, "{{#a}}", 7);
	check_error(deep, 1, 0 + 1 + 6 * LC_LIMIT_TEMPLATE_DEPTH, "deeply");
}

static void test_limits(void **state)
{
	(void)state;
	/* A recursive partial ends with an error, not a crash. */
	int rc;
	char *got = render_set("{{> r}}", "{}", NULL, &rc, "r", "x{{> r}}", NULL, NULL);
	assert_int_equal(rc, LC_ELIMIT);
	assert_int_equal(strlen(got), LC_LIMIT_TEMPLATE_DEPTH);
	lc_free(got);
	/* Nested data sections at the limit at run time. */
	got = render_set("{{#a}}{{> r}}{{/a}}", "{\"a\":{\"a\":{}}}", NULL, &rc, "r",
	                 "{{#a}}{{> r}}{{/a}}", NULL, NULL);
	assert_int_equal(rc, LC_ELIMIT);
	lc_free(got);
	/* A template over the size limit. */
	size_t big = LC_LIMIT_TEMPLATE_BYTES + 1;
	char *text = lc_xmalloc(big);
	memset(text, 'x', big);
	struct lc_tpl_source src = {"big", text, big};
	struct lc_tpl_set *set;
	assert_int_equal(lc_tpl_set_new(&src, 1, &set, NULL), LC_EINVAL);
	lc_free(text);
	/* Output over the buffer's maximum. */
	struct lc_tpl_source s2 = {"m", "{{#l}}0123456789{{/l}}", 22};
	assert_int_equal(lc_tpl_set_new(&s2, 1, &set, NULL), 0);
	json_t *ctx = json_pack("{s:[iiiii]}", "l", 1, 2, 3, 4, 5);
	struct lc_buf out;
	lc_buf_init(&out, 25);
	assert_int_equal(lc_tpl_render(set, "m", ctx, NULL, &out, NULL), LC_ELIMIT);
	assert_int_equal(lc_tpl_render(set, "nope", ctx, NULL, &out, NULL), LC_ENOTFOUND);
	assert_true(lc_tpl_exists(set, "m"));
	assert_false(lc_tpl_exists(set, "nope"));
	lc_buf_cleanup(&out);
	json_decref(ctx);
	lc_tpl_set_free(set);
}

static void test_render_many(void **state)
{
	(void)state;
	/* One compiled set renders many times with the same result. */
	const char *t = "<ul>{{#cities}}<li>{{name}} {{score}}</li>{{/cities}}</ul>";
	struct lc_tpl_source src = {"page", t, strlen(t)};
	struct lc_tpl_set *set;
	assert_int_equal(lc_tpl_set_new(&src, 1, &set, NULL), 0);
	json_t *ctx = json_pack("{s:[{s:s,s:f},{s:s,s:f}]}", "cities", "name", "Cork", "score",
	                        61.5, "name", "Hangzhou", "score", 70.25);
	struct lc_buf out;
	lc_buf_init(&out, 1 << 16);
	for (int i = 0; i < 1000; i++) {
		lc_buf_reset(&out);
		assert_int_equal(lc_tpl_render(set, "page", ctx, NULL, &out, NULL), 0);
	}
	assert_string_equal(lc_buf_cstr(&out),
	                    "<ul><li>Cork 61.5</li><li>Hangzhou 70.25</li></ul>");
	lc_buf_cleanup(&out);
	json_decref(ctx);
	lc_tpl_set_free(set);
}

static void test_numbers_match_printf(void **state)
{
	(void)state;
	/* The fast path for reals prints exactly what "%.15g" prints. */
	double fixed[] = {0.71,
	                  61.5,
	                  70.25,
	                  -2.5,
	                  0.1 + 0.2,
	                  1e-5,
	                  0.0001,
	                  0.00012,
	                  123456789.123456,
	                  999999999.5,
	                  1e9,
	                  1e21,
	                  -0.0,
	                  0.0,
	                  1.0 / 3,
	                  2.0,
	                  100,
	                  0.000123456,
	                  5e-324,
	                  1.7976931348623157e308,
	                  12.3456789};
	struct lc_buf b;
	lc_buf_init(&b, 1 << 10);
	char want[64];
	unsigned long long x = 88172645463325252ull;
	for (int i = 0; i < 200000; i++) {
		double v;
		if (i < (int)(sizeof fixed / sizeof fixed[0])) {
			v = fixed[i];
		} else {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* Short decimals (the common case), then arbitrary doubles. */
			if (i % 2)
				v = (double)(long long)(x % 2000000000ull - 1000000000ull) /
				    (double)(1ull << (x % 7)) / (x % 3 ? 100.0 : 10.0);
			else
				memcpy(&v, &x, sizeof v);
			if (v != v || v - v != 0)
				continue; /* NaN and infinities are not JSON */
		}
		json_t *j = json_real(v);
		if (!j)
			continue;
		lc_buf_reset(&b);
		lc_tpl_put_number(&b, j);
		snprintf(want, sizeof want, "%.15g", v);
		if (strcmp(lc_buf_cstr(&b), want) != 0)
			fail_msg("%.17g: got %s, want %s", v, lc_buf_cstr(&b), want);
		json_decref(j);
	}
	json_t *j = json_integer(-9223372036854775807LL - 1);
	lc_buf_reset(&b);
	lc_tpl_put_number(&b, j);
	assert_string_equal(lc_buf_cstr(&b), "-9223372036854775808");
	json_decref(j);
	lc_buf_cleanup(&b);
}

/* Renders page inside layout with lc_tpl_render_in over ctx and globals. */
static char *render_in(const char *layout, const char *page, const char *ctx_json,
                       const char *globals_json, int *rc)
{
	struct lc_tpl_source src[] = {{"layout", layout, strlen(layout)},
	                              {"page", page, strlen(page)},
	                              {"partials/p", "[{{x}}]", 7}};
	struct lc_tpl_set *set;
	assert_int_equal(lc_tpl_set_new(src, 3, &set, NULL), 0);
	json_t *ctx = json_loads(ctx_json, 0, NULL), *g = json_loads(globals_json, 0, NULL);
	struct lc_buf out;
	lc_buf_init(&out, 1 << 16);
	*rc = lc_tpl_render_in(set, "layout", "content", "page", ctx, g, &out, NULL);
	json_decref(ctx);
	json_decref(g);
	lc_tpl_set_free(set);
	return lc_buf_steal(&out, NULL);
}

static void test_render_in(void **state)
{
	(void)state;
	int rc;
	/* The page renders where the layout says, over its own context and the
	 * globals; the layout sees the globals only. */
	char *got =
	    render_in("<t>{{title}}{{x}}</t><m>{{{content}}}</m>", "{{x}}{{title}}{{> partials/p}}",
	              "{\"x\": \"<1>\"}", "{\"title\": \"T\"}", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "<t>T</t><m>&lt;1&gt;T[&lt;1&gt;]</m>");
	lc_free(got);
	/* Inside a layout's section the page still sees only its context, and a
	 * page's own {{{content}}} is a name like any other. */
	got = render_in("{{#sec}}({{{content}}}){{/sec}}", "{{y}}|{{{content}}}|{{x}}",
	                "{\"x\": 1, \"content\": \"c\"}", "{\"sec\": {\"y\": \"leak\"}}", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "(|c|1)");
	lc_free(got);
	/* A layout without the slot renders no page; an unknown page is refused. */
	got = render_in("<m></m>", "x", "{}", "{}", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "<m></m>");
	lc_free(got);
	struct lc_tpl_source one = {"layout", "{{{content}}}", 13};
	struct lc_tpl_set *set;
	assert_int_equal(lc_tpl_set_new(&one, 1, &set, NULL), 0);
	struct lc_buf out;
	lc_buf_init(&out, 64);
	assert_int_equal(lc_tpl_render_in(set, "layout", "content", "nope", NULL, NULL, &out, NULL),
	                 LC_ENOTFOUND);
	assert_int_equal(lc_tpl_render_in(set, "nope", "content", "layout", NULL, NULL, &out, NULL),
	                 LC_ENOTFOUND);
	lc_buf_cleanup(&out);
	lc_tpl_set_free(set);
}

/* The name of an embedded page or partial ("home", "partials/pager"), or NULL for other files. */
static const char *template_name(const struct lc_embedded_file *f, char *out, size_t size)
{
	size_t len = strlen(f->name);
	if (strncmp(f->name, "templates/", 10) != 0 || len < 19 ||
	    strcmp(f->name + len - 9, ".mustache") != 0 || len - 19 >= size)
		return NULL;
	memcpy(out, f->name + 10, len - 19);
	out[len - 19] = '\0';
	return out;
}

static void test_one_layout(void **state)
{
	(void)state;
	/* The embedded set compiles, templates in subfolders named by their path. */
	struct lc_tpl_set *set;
	struct lc_diag d;
	lc_diag_init(&d);
	assert_int_equal(lc_tpl_set_new_embedded(&set, &d), 0);
	assert_true(lc_tpl_exists(set, "layout"));
	assert_true(lc_tpl_exists(set, "partials/header"));
	assert_true(lc_tpl_exists(set, "partials/csrf"));
	assert_true(lc_tpl_exists(set, "mail/message.html"));
	assert_false(lc_tpl_exists(set, "header"));
	/* The layout draws the frame around the page it is given. */
	json_t *g = json_pack("{s:s,s:s,s:s,s:s}", "lang", "fr", "dir", "ltr", "page_title", "T",
	                      "content", "<p>the page</p>");
	struct lc_buf out;
	lc_buf_init(&out, 1 << 20);
	assert_int_equal(lc_tpl_render(set, "layout", g, NULL, &out, NULL), 0);
	const char *html = lc_buf_cstr(&out);
	assert_non_null(strstr(html, "<html lang=\"fr\" dir=\"ltr\">"));
	assert_non_null(strstr(html, "<header class=\"site\">"));
	assert_non_null(strstr(html, "<main id=\"content\">\n<p>the page</p>\n</main>"));
	assert_non_null(strstr(html, "<footer class=\"site\">"));
	lc_buf_cleanup(&out);
	json_decref(g);
	lc_tpl_set_free(set);
	lc_diag_cleanup(&d);

	/* Pages hold only their content: no frame of their own, and the pieces
	 * they share come from partials/ (the mail layouts have their own folder). */
	size_t pages = 0;
	for (size_t k = 0; k < lc_embedded_count; k++) {
		const struct lc_embedded_file *f = &lc_embedded_files[k];
		char name[128];
		if (!template_name(f, name, sizeof name) || strncmp(name, "mail/", 5) == 0)
			continue;
		const char *text = (const char *)f->data;
		bool page = !strchr(name, '/') && strcmp(name, "layout") != 0;
		pages += page;
		static const char *const frame[] = {"<html",
		                                    "<head",
		                                    "<body",
		                                    "<main",
		                                    "</main>",
		                                    "<header class=\"site\"",
		                                    "<footer class=\"site\""};
		for (size_t i = 0; page && i < sizeof frame / sizeof *frame; i++)
			if (strstr(text, frame[i]))
				fail_msg("%s draws its own frame (%s): the layout does", f->name,
				         frame[i]);
		for (const char *p = text; (p = strstr(p, "{{>")) != NULL; p += 3) {
			const char *n = p + 3;
			while (*n == ' ')
				n++;
			if (strncmp(n, "partials/", 9) != 0)
				fail_msg("%s includes a partial outside templates/partials/",
				         f->name);
		}
	}
	assert_true(pages > 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_interpolation),
	    cmocka_unit_test(test_text_mode),
	    cmocka_unit_test(test_sections),
	    cmocka_unit_test(test_inverted_and_comments),
	    cmocka_unit_test(test_standalone),
	    cmocka_unit_test(test_partials),
	    cmocka_unit_test(test_globals),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_render_many),
	    cmocka_unit_test(test_numbers_match_printf),
	    cmocka_unit_test(test_render_in),
	    cmocka_unit_test(test_one_layout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
