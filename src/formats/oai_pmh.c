/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * OAI-PMH 2.0 requests and answers (oai_pmh.h). The rules of what each
 * verb takes are the table allowed[] below; everything a harvester sends
 * is checked here before the repository reads anything.
 */
#include "formats/oai_pmh.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "formats/atom.h"
#include "base/slice.h"

const char *const lc_oai_verb_names[LC_OAI_VERBS] = {
    "Identify", "ListMetadataFormats", "ListSets", "GetRecord", "ListIdentifiers", "ListRecords",
};
const char *const lc_oai_arg_names[LC_OAI_ARGS] = {
    "identifier", "metadataPrefix", "from", "until", "set", "resumptionToken",
};

/* Per verb: the arguments it requires and those it allows (bits of enum lc_oai_arg). A
 * resumptionToken is exclusive: with it, nothing else but the verb. */
#define BIT(a) (1u << (a))
static const unsigned required[LC_OAI_VERBS] = {
    [LC_OAI_GET_RECORD] = BIT(LC_OAI_ARG_IDENTIFIER) | BIT(LC_OAI_ARG_METADATA_PREFIX),
    [LC_OAI_LIST_IDENTIFIERS] = BIT(LC_OAI_ARG_METADATA_PREFIX),
    [LC_OAI_LIST_RECORDS] = BIT(LC_OAI_ARG_METADATA_PREFIX),
};
static const unsigned allowed[LC_OAI_VERBS] = {
    [LC_OAI_IDENTIFY] = 0,
    [LC_OAI_LIST_METADATA_FORMATS] = BIT(LC_OAI_ARG_IDENTIFIER),
    [LC_OAI_LIST_SETS] = BIT(LC_OAI_ARG_RESUMPTION_TOKEN),
    [LC_OAI_GET_RECORD] = BIT(LC_OAI_ARG_IDENTIFIER) | BIT(LC_OAI_ARG_METADATA_PREFIX),
    [LC_OAI_LIST_IDENTIFIERS] = BIT(LC_OAI_ARG_METADATA_PREFIX) | BIT(LC_OAI_ARG_FROM) |
                                BIT(LC_OAI_ARG_UNTIL) | BIT(LC_OAI_ARG_SET) |
                                BIT(LC_OAI_ARG_RESUMPTION_TOKEN),
    [LC_OAI_LIST_RECORDS] = BIT(LC_OAI_ARG_METADATA_PREFIX) | BIT(LC_OAI_ARG_FROM) |
                            BIT(LC_OAI_ARG_UNTIL) | BIT(LC_OAI_ARG_SET) |
                            BIT(LC_OAI_ARG_RESUMPTION_TOKEN),
};

static int fail(struct lc_oai_request *r, const char *error, const char *message)
{
	r->error = error;
	r->message = message;
	return LC_EINVAL;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool digits(const char *s, size_t n, unsigned *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return true;
}

/* A datestamp: 0 with *t and *day (the day granularity), or -1. end: until's day ends at 23:59:59.
 */
static int parse_date(const char *s, bool end, int64_t *t, bool *day)
{
	size_t n = strlen(s);
	unsigned y, mo, d, h = 0, mi = 0, se = 0;
	if ((n != 10 && n != 20) || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
	    !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d))
		return -1;
	if (n == 20 &&
	    (s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
	     !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se)))
		return -1;
	static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || se > 59)
		return -1;
	*day = n == 10;
	if (*day && end)
		h = 23, mi = 59, se = 59;
	*t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}

/* The schema's metadataPrefixType and the characters of one setSpec part. */
static bool mark_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("-_.!~*'()", c));
}

static bool prefix_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!mark_char(*s))
			return false;
	return true;
}

/* setSpecType: parts of mark characters joined by ':'. */
static bool set_ok(const char *s)
{
	bool part = false;
	for (; *s; s++) {
		if (*s == ':') {
			if (!part)
				return false;
			part = false;
		} else if (mark_char(*s))
			part = true;
		else
			return false;
	}
	return part;
}

int lc_oai_parse(const struct lc_oai_pair *pairs, size_t n, struct lc_oai_request *r)
{
	memset(r, 0, sizeof *r);
	r->verb = -1;
	const char *verb = NULL;
	bool verb_twice = false;
	unsigned seen = 0;
	const char *unknown = NULL, *twice = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *name = pairs[i].name, *value = pairs[i].value;
		if (!name || !value)
			return fail(r, "badArgument", "An argument is not well encoded.");
		if (strnlen(value, LC_LIMIT_OAI_ARG_BYTES + 1) > LC_LIMIT_OAI_ARG_BYTES)
			return fail(r, "badArgument", "An argument's value is too long.");
		if (strcmp(name, "verb") == 0) {
			verb_twice = verb_twice || verb != NULL;
			verb = value;
			continue;
		}
		long k = lc_str_index(lc_oai_arg_names, LC_OAI_ARGS, name);
		if (k < 0) {
			unknown = unknown ? unknown : name;
			continue;
		}
		if (seen & BIT(k))
			twice = twice ? twice : name;
		seen |= BIT(k);
		r->args[k] = value;
	}
	if (!verb)
		return fail(r, "badVerb", "The verb argument is missing.");
	if (verb_twice)
		return fail(r, "badVerb", "The verb argument is repeated.");
	long v = lc_str_index(lc_oai_verb_names, LC_OAI_VERBS, verb);
	if (v < 0)
		return fail(r, "badVerb",
		            "The value of the verb argument is not a legal OAI-PMH verb.");
	r->verb = (int)v;
	if (unknown)
		return fail(r, "badArgument", "The request includes an illegal argument.");
	if (twice)
		return fail(r, "badArgument", "The request repeats an argument.");
	if (seen & ~allowed[v])
		return fail(r, "badArgument",
		            "The request includes an argument this verb does not take.");
	if ((seen & BIT(LC_OAI_ARG_RESUMPTION_TOKEN)) && seen != BIT(LC_OAI_ARG_RESUMPTION_TOKEN))
		return fail(r, "badArgument", "A resumptionToken is an exclusive argument.");
	if (!(seen & BIT(LC_OAI_ARG_RESUMPTION_TOKEN)) && (seen & required[v]) != required[v])
		return fail(r, "badArgument", "The request is missing a required argument.");
	const char *p = r->args[LC_OAI_ARG_METADATA_PREFIX];
	if (p && !prefix_ok(p))
		return fail(r, "badArgument", "The metadataPrefix is not a legal prefix.");
	const char *s = r->args[LC_OAI_ARG_SET];
	if (s && (!set_ok(s) || strlen(s) >= sizeof((struct lc_oai_token *)0)->set))
		return fail(r, "badArgument", "The set is not a legal setSpec.");
	const char *id = r->args[LC_OAI_ARG_IDENTIFIER];
	if (id && (!*id || strpbrk(id, " <>\"{}|\\^`")))
		return fail(r, "badArgument", "The identifier is not a legal identifier.");
	bool fday = false, uday = false;
	const char *f = r->args[LC_OAI_ARG_FROM], *u = r->args[LC_OAI_ARG_UNTIL];
	if (f && parse_date(f, false, &r->from, &fday))
		return fail(r, "badArgument", "The from argument is not a legal datestamp.");
	if (u && parse_date(u, true, &r->until, &uday))
		return fail(r, "badArgument", "The until argument is not a legal datestamp.");
	if (f && u && fday != uday)
		return fail(r, "badArgument",
		            "The from and until arguments have different granularities.");
	if (f && u && r->from > r->until)
		return fail(r, "badArgument",
		            "The from argument is later than the until argument.");
	return 0;
}

/* ---- resumption tokens ---------------------------------------------------------------------- */

/* A decimal number of at most 19 digits at *s ending at the separator '.': advances *s. */
static int token_number(const char **s, int64_t *v)
{
	const char *p = *s;
	int64_t x = 0;
	size_t k = 0;
	while (*p >= '0' && *p <= '9' && k < 18) {
		x = x * 10 + (*p++ - '0');
		k++;
	}
	if (k == 0 || *p != '.' || (k > 1 && **s == '0'))
		return -1;
	*v = x;
	*s = p + 1;
	return 0;
}

int lc_oai_token_parse(const char *s, struct lc_oai_token *t)
{
	memset(t, 0, sizeof *t);
	if (strncmp(s, "lc1.", 4) != 0)
		return LC_EINVAL;
	s += 4;
	int64_t cursor;
	if (token_number(&s, &t->after) || token_number(&s, &cursor) ||
	    token_number(&s, &t->from) || token_number(&s, &t->until))
		return LC_EINVAL;
	if (cursor > LC_LIMIT_PAGE * (int64_t)LC_LIMIT_LIBRARY_HARVEST || t->after > INT32_MAX ||
	    (t->until && t->from > t->until))
		return LC_EINVAL;
	t->cursor = (long)cursor;
	size_t n = strlen(s);
	if (n >= sizeof t->set || (n && !set_ok(s)))
		return LC_EINVAL;
	memcpy(t->set, s, n + 1);
	return 0;
}

void lc_oai_token_write(const struct lc_oai_token *t, char *out, size_t n)
{
	snprintf(out, n, "lc1.%" PRId64 ".%ld.%" PRId64 ".%" PRId64 ".%s", t->after, t->cursor,
	         t->from, t->until, t->set);
}

/* ---- answers -------------------------------------------------------------------------------- */

static void put(struct lc_buf *b, const char *s)
{
	if (s)
		lc_atom_text(b, s, strlen(s));
}

static void element(struct lc_buf *b, const char *name, const char *text)
{
	lc_buf_printf(b, "<%s>", name);
	put(b, text);
	lc_buf_printf(b, "</%s>", name);
}

void lc_oai_open(struct lc_buf *b, const char *now, const char *base_url,
                 const struct lc_oai_request *r)
{
	lc_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	               "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\""
	               " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
	               " xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/"
	               " http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\">\n");
	element(b, "responseDate", now);
	lc_buf_puts(b, "\n<request");
	if (!r->error && r->verb >= 0) {
		lc_buf_printf(b, " verb=\"%s\"", lc_oai_verb_names[r->verb]);
		for (int k = 0; k < LC_OAI_ARGS; k++) {
			if (!r->args[k])
				continue;
			lc_buf_printf(b, " %s=\"", lc_oai_arg_names[k]);
			put(b, r->args[k]);
			lc_buf_putc(b, '"');
		}
	}
	lc_buf_putc(b, '>');
	put(b, base_url);
	lc_buf_puts(b, "</request>\n");
}

void lc_oai_error(struct lc_buf *b, const char *code, const char *message)
{
	lc_buf_printf(b, "<error code=\"%s\">", code);
	put(b, message);
	lc_buf_puts(b, "</error>\n");
}

void lc_oai_close(struct lc_buf *b)
{
	lc_buf_puts(b, "</OAI-PMH>\n");
}

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

void lc_oai_identify(struct lc_buf *b, const json_t *repo)
{
	lc_buf_puts(b, "<Identify>");
	element(b, "repositoryName", str(repo, "name"));
	element(b, "baseURL", str(repo, "base_url"));
	element(b, "protocolVersion", "2.0");
	element(b, "adminEmail", str(repo, "admin_email"));
	element(b, "earliestDatestamp", str(repo, "earliest"));
	element(b, "deletedRecord", "persistent");
	element(b, "granularity", "YYYY-MM-DDThh:mm:ssZ");
	lc_buf_puts(b, "</Identify>\n");
}

void lc_oai_formats(struct lc_buf *b)
{
	lc_buf_puts(b, "<ListMetadataFormats><metadataFormat>"
	               "<metadataPrefix>oai_dc</metadataPrefix>"
	               "<schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</schema>"
	               "<metadataNamespace>http://www.openarchives.org/OAI/2.0/oai_dc/"
	               "</metadataNamespace></metadataFormat></ListMetadataFormats>\n");
}

void lc_oai_sets(struct lc_buf *b, const json_t *sets)
{
	lc_buf_puts(b, "<ListSets>");
	size_t i;
	const json_t *s;
	json_array_foreach(sets, i, s)
	{
		lc_buf_puts(b, "<set>");
		element(b, "setSpec", str(s, "spec"));
		element(b, "setName", str(s, "name"));
		lc_buf_puts(b, "</set>\n");
	}
	lc_buf_puts(b, "</ListSets>\n");
}

/* The fifteen elements of simple Dublin Core, in the order records write them. */
static const char *const dc_elements[] = {
    "title",  "creator",    "subject", "description", "publisher", "contributor", "date",   "type",
    "format", "identifier", "source",  "language",    "relation",  "coverage",    "rights", NULL};

static void header(struct lc_buf *b, const json_t *rec)
{
	bool deleted = json_is_true(json_object_get(rec, "deleted"));
	lc_buf_puts(b, deleted ? "<header status=\"deleted\">" : "<header>");
	element(b, "identifier", str(rec, "identifier"));
	element(b, "datestamp", str(rec, "datestamp"));
	size_t i;
	const json_t *s;
	json_array_foreach(json_object_get(rec, "sets"), i, s)
	    element(b, "setSpec", json_string_value(s));
	lc_buf_puts(b, "</header>");
}

void lc_oai_record(struct lc_buf *b, const json_t *rec, bool header_only)
{
	if (header_only) {
		header(b, rec);
		lc_buf_putc(b, '\n');
		return;
	}
	lc_buf_puts(b, "<record>");
	header(b, rec);
	const json_t *dc = json_object_get(rec, "dc");
	if (!json_is_true(json_object_get(rec, "deleted")) && dc) {
		lc_buf_puts(b, "<metadata><oai_dc:dc"
		               " xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\""
		               " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
		               " xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/"
		               " http://www.openarchives.org/OAI/2.0/oai_dc.xsd\">");
		for (size_t k = 0; dc_elements[k]; k++) {
			size_t i;
			const json_t *v;
			json_array_foreach(json_object_get(dc, dc_elements[k]), i, v)
			{
				if (!str(v, "text"))
					continue;
				lc_buf_printf(b, "<dc:%s", dc_elements[k]);
				if (str(v, "lang")) {
					lc_buf_puts(b, " xml:lang=\"");
					put(b, str(v, "lang"));
					lc_buf_putc(b, '"');
				}
				lc_buf_putc(b, '>');
				put(b, str(v, "text"));
				lc_buf_printf(b, "</dc:%s>", dc_elements[k]);
			}
		}
		lc_buf_puts(b, "</oai_dc:dc></metadata>");
	}
	lc_buf_puts(b, "</record>\n");
}

void lc_oai_resumption(struct lc_buf *b, const char *token, long size, long cursor)
{
	lc_buf_printf(b, "<resumptionToken completeListSize=\"%ld\" cursor=\"%ld\">", size, cursor);
	put(b, token);
	lc_buf_puts(b, "</resumptionToken>\n");
}
