/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of web/routes/openapi.c and docs/openapi.yaml against the route table
 * (web/routes/site.c): the embedded description (the YAML as the build
 * converted it) has an operation for every method of every /api/ route and
 * none for a route that does not exist, method and path template compared
 * exactly; each operation's path and query parameters are the route's
 * declared ones with the same type, bounds, choices, default and required
 * flag (form parameters are the pages' way in: the API reads JSON bodies);
 * and a route that needs a login documents credentials and its 401, and
 * its 403 when the action it performs is not every account's.
 * Every mismatch is printed before the test fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/embedded.h"
#include "base/limits.h"
#include "domain/accounts/authz.h"
#include "web/http.h"
#include "web/router.h"
#include "web/routes/group.h"
#include "web/routes/site.h"

static const unsigned methods[] = {LC_HTTP_GET,    LC_HTTP_POST,  LC_HTTP_PUT,
                                   LC_HTTP_DELETE, LC_HTTP_PATCH, LC_HTTP_OPTIONS};
#define NMETHODS (sizeof methods / sizeof methods[0])

/* The embedded description, parsed. Caller decrefs. */
static json_t *load_spec(void)
{
	const struct lc_embedded_file *f = lc_embedded_find("docs/openapi.json");
	assert_non_null(f);
	json_error_t e;
	json_t *spec = json_loadb((const char *)f->data, f->len, 0, &e);
	if (!spec)
		fail_msg("docs/openapi.json: %s at line %d", e.text, e.line);
	assert_true(json_is_object(json_object_get(spec, "paths")));
	return spec;
}

/* "get" for LC_HTTP_GET: the key of an operation in a path item. */
static void method_key(unsigned m, char *out, size_t size)
{
	const char *name = lc_http_method_name((enum lc_http_method)m);
	size_t i = 0;
	for (; name[i] && i + 1 < size; i++)
		out[i] = (char)tolower((unsigned char)name[i]);
	out[i] = '\0';
}

static bool is_api(const struct lc_route *r)
{
	return strncmp(r->pattern, "/api/", 5) == 0;
}

static const json_t *operation(const json_t *spec, const char *path, unsigned m)
{
	char key[16];
	method_key(m, key, sizeof key);
	return json_object_get(json_object_get(json_object_get(spec, "paths"), path), key);
}

/* A "$ref": "#/components/..." resolved in spec; v itself when it is no reference. */
static const json_t *deref(const json_t *spec, const json_t *v)
{
	const char *ref = json_string_value(json_object_get(v, "$ref"));
	if (!ref)
		return v;
	if (strncmp(ref, "#/", 2) != 0)
		return NULL;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", ref + 2);
	const json_t *at = spec;
	for (char *seg = buf, *next; seg && at; seg = next) {
		next = strchr(seg, '/');
		if (next)
			*next++ = '\0';
		at = json_object_get(at, seg);
	}
	return at;
}

static void test_every_route_documented(void **state)
{
	(void)state;
	json_t *spec = load_spec();
	size_t n, missing = 0, api = 0;
	const struct lc_route *t = lc_routes_table(&n);
	for (size_t i = 0; i < n; i++) {
		if (!is_api(&t[i]))
			continue;
		for (size_t k = 0; k < NMETHODS; k++) {
			if (!(t[i].methods & methods[k]))
				continue;
			api++;
			if (!operation(spec, t[i].pattern, methods[k])) {
				print_error("route without its entry in docs/openapi.yaml: %s %s\n",
				            lc_http_method_name((enum lc_http_method)methods[k]),
				            t[i].pattern);
				missing++;
			}
		}
	}
	assert_true(api > 40);
	assert_int_equal(missing, 0);
	json_decref(spec);
}

static bool route_exists(const char *path, unsigned m)
{
	size_t n;
	const struct lc_route *t = lc_routes_table(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].pattern, path) == 0 && (t[i].methods & m))
			return true;
	return false;
}

static void test_every_entry_has_route(void **state)
{
	(void)state;
	json_t *spec = load_spec();
	static const char *const other_keys[] = {"head", "trace"};
	size_t extra = 0;
	const char *path;
	json_t *item;
	json_object_foreach(json_object_get(spec, "paths"), path, item)
	{
		for (size_t k = 0; k < NMETHODS; k++) {
			char key[16];
			method_key(methods[k], key, sizeof key);
			if (json_object_get(item, key) && !route_exists(path, methods[k])) {
				print_error("entry in docs/openapi.yaml without its route: %s %s\n",
				            key, path);
				extra++;
			}
		}
		/* HEAD is every GET route's; TRACE no route's: neither is documented apart. */
		for (size_t k = 0; k < sizeof other_keys / sizeof other_keys[0]; k++)
			if (json_object_get(item, other_keys[k])) {
				print_error(
				    "docs/openapi.yaml: %s %s is not an operation of its own\n",
				    other_keys[k], path);
				extra++;
			}
	}
	assert_int_equal(extra, 0);
	json_decref(spec);
}

/* The documented parameter named name in where ("path", "query"), or NULL. */
static const json_t *find_param(const json_t *spec, const json_t *params, const char *name,
                                const char *where)
{
	size_t i;
	const json_t *p;
	json_array_foreach(params, i, p)
	{
		const json_t *d = deref(spec, p);
		if (d && strcmp(json_string_value(json_object_get(d, "name")), name) == 0 &&
		    strcmp(json_string_value(json_object_get(d, "in")), where) == 0)
			return d;
	}
	return NULL;
}

/* Prints a mismatch of one parameter of one operation; counts it. */
static void mismatch(size_t *bad, const char *op, const char *name, const char *what)
{
	print_error("%s: parameter '%s': %s\n", op, name, what);
	(*bad)++;
}

static bool int_is(const json_t *v, long want)
{
	return json_is_integer(v) && json_integer_value(v) == want;
}

/* Compares a documented parameter d with its declaration p (NULL: an undeclared path one). */
static void compare_param(const char *op, const json_t *d, const struct lc_param_spec *p,
                          size_t *bad)
{
	const char *name = json_string_value(json_object_get(d, "name"));
	const json_t *s = json_object_get(d, "schema");
	const char *type = json_string_value(json_object_get(s, "type"));
	bool path = strcmp(json_string_value(json_object_get(d, "in")), "path") == 0;
	if (path && !json_is_true(json_object_get(d, "required")))
		mismatch(bad, op, name, "a path parameter is required");
	if (!path && json_is_true(json_object_get(d, "required")) != p->required)
		mismatch(bad, op, name, p->required ? "is required" : "is not required");
	enum lc_param_type pt = p ? p->type : LC_PARAM_STRING;
	const char *want = pt == LC_PARAM_INT    ? "integer"
	                   : pt == LC_PARAM_BOOL ? "boolean"
	                                         : "string";
	if (!type || strcmp(type, want) != 0) {
		mismatch(bad, op, name, want);
		return;
	}
	if (pt == LC_PARAM_STRING) {
		size_t max = p && p->max_len ? p->max_len : LC_LIMIT_NAME_BYTES;
		if (!int_is(json_object_get(s, "maxLength"), (long)max))
			mismatch(bad, op, name, "maxLength differs from the declaration");
	}
	if (pt == LC_PARAM_INT && (p->min || p->max) &&
	    (!int_is(json_object_get(s, "minimum"), p->min) ||
	     !int_is(json_object_get(s, "maximum"), p->max)))
		mismatch(bad, op, name, "minimum/maximum differ from the declaration");
	if (pt == LC_PARAM_ENUM) {
		const json_t *e = json_object_get(s, "enum");
		size_t k = 0;
		for (; p->choices[k]; k++) {
			const char *c = json_string_value(json_array_get(e, k));
			if (!c || strcmp(c, p->choices[k]) != 0)
				break;
		}
		if (p->choices[k] || json_array_size(e) != k)
			mismatch(bad, op, name, "enum differs from the declared choices");
	}
	const json_t *dflt = json_object_get(s, "default");
	const char *pd = p ? p->dflt : NULL;
	if (!pd != !dflt)
		mismatch(bad, op, name, pd ? "the declared default is missing" : "no default");
	else if (pd && pt == LC_PARAM_INT && !int_is(dflt, strtol(pd, NULL, 10)))
		mismatch(bad, op, name, "the default differs");
	else if (pd && pt != LC_PARAM_INT &&
	         (!json_is_string(dflt) || strcmp(json_string_value(dflt), pd) != 0))
		mismatch(bad, op, name, "the default differs");
}

/* Checks one operation's parameters against route r's pattern and declarations. */
static void check_params(const json_t *spec, const struct lc_route *r, unsigned m,
                         const json_t *item, const json_t *o, size_t *bad)
{
	char op[256];
	snprintf(op, sizeof op, "%s %s", lc_http_method_name((enum lc_http_method)m), r->pattern);
	json_t *params = json_array();
	json_array_extend(params, json_object_get(item, "parameters"));
	json_array_extend(params, json_object_get(o, "parameters"));
	size_t expected = 0;
	/* The pattern's {name} segments, declared or not. */
	for (const char *s = strchr(r->pattern, '{'); s; s = strchr(s + 1, '{')) {
		const char *e = strchr(s, '}');
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(e - s - 1), s + 1);
		const struct lc_param_spec *p = NULL;
		for (const struct lc_param_spec *q = r->params; q && q->name; q++)
			if (q->source == LC_PARAM_PATH && strcmp(q->name, name) == 0)
				p = q;
		const json_t *d = find_param(spec, params, name, "path");
		expected++;
		if (!d)
			mismatch(bad, op, name, "the path parameter is not documented");
		else
			compare_param(op, d, p, bad);
	}
	for (const struct lc_param_spec *q = r->params; q && q->name; q++) {
		if (q->source != LC_PARAM_QUERY)
			continue;
		const json_t *d = find_param(spec, params, q->name, "query");
		expected++;
		if (!d)
			mismatch(bad, op, q->name,
			         "the declared query parameter is not documented");
		else
			compare_param(op, d, q, bad);
	}
	size_t i;
	const json_t *p;
	size_t documented = 0;
	json_array_foreach(params, i, p)
	{
		const json_t *d = deref(spec, p);
		const char *in = d ? json_string_value(json_object_get(d, "in")) : NULL;
		if (!in || strcmp(in, "header") != 0)
			documented++;
	}
	if (documented != expected) {
		print_error("%s: %zu parameters documented, %zu declared\n", op, documented,
		            expected);
		(*bad)++;
	}
	json_decref(params);
}

/* Whether an operation's security (its own, else the document's) admits anonymous callers. */
static bool anonymous_allowed(const json_t *spec, const json_t *o)
{
	const json_t *sec = json_object_get(o, "security");
	if (!sec)
		sec = json_object_get(spec, "security");
	size_t i;
	const json_t *req;
	json_array_foreach(sec, i, req) if (json_object_size(req) == 0) return true;
	return json_array_size(sec) == 0;
}

static void test_parameters_and_rules(void **state)
{
	(void)state;
	json_t *spec = load_spec();
	size_t n, bad = 0, checked = 0;
	const struct lc_route *t = lc_routes_table(&n);
	for (size_t i = 0; i < n; i++) {
		if (!is_api(&t[i]))
			continue;
		const json_t *item = json_object_get(json_object_get(spec, "paths"), t[i].pattern);
		for (size_t k = 0; k < NMETHODS; k++) {
			const json_t *o = t[i].methods & methods[k]
			                      ? operation(spec, t[i].pattern, methods[k])
			                      : NULL;
			if (!o)
				continue; /* test_every_route_documented reports it */
			checked++;
			check_params(spec, &t[i], methods[k], item, o, &bad);
			const json_t *responses = json_object_get(o, "responses");
			if ((t[i].flags & LC_ROUTE_LOGIN) &&
			    (anonymous_allowed(spec, o) || !json_object_get(responses, "401"))) {
				print_error("%s %s needs a login: document credentials and 401\n",
				            lc_http_method_name((enum lc_http_method)methods[k]),
				            t[i].pattern);
				bad++;
			}
			int action = lc_route_action(t[i].flags);
			if ((t[i].flags & LC_ROUTE_LOGIN) && action >= 0 &&
			    !lc_authz_actions[action].any_account &&
			    !json_object_get(responses, "403")) {
				print_error("%s %s checks a role: document 403\n",
				            lc_http_method_name((enum lc_http_method)methods[k]),
				            t[i].pattern);
				bad++;
			}
		}
	}
	assert_true(checked > 40);
	assert_int_equal(bad, 0);
	json_decref(spec);
}

/* The document is OpenAPI 3.1 and names the three ways of authenticating. */
static void test_spec_is_openapi_31(void **state)
{
	(void)state;
	json_t *spec = load_spec();
	const char *v = json_string_value(json_object_get(spec, "openapi"));
	assert_non_null(v);
	assert_int_equal(strncmp(v, "3.1.", 4), 0);
	const json_t *schemes =
	    json_object_get(json_object_get(spec, "components"), "securitySchemes");
	assert_non_null(json_object_get(schemes, "sessionCookie"));
	assert_non_null(json_object_get(schemes, "csrfHeader"));
	assert_non_null(json_object_get(schemes, "bearerToken"));
	json_decref(spec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_route_documented),
	    cmocka_unit_test(test_every_entry_has_route),
	    cmocka_unit_test(test_parameters_and_rules),
	    cmocka_unit_test(test_spec_is_openapi_31),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
