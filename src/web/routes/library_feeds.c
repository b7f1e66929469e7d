/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The library for machines: the JSON-LD of a case page, the Atom feed of
 * published cases (/library/feed.atom), the site's sitemap (/sitemap.xml)
 * and the OAI-PMH 2.0 repository (/oai, GET and POST) that libraries and
 * UNESCO's repositories harvest. What is listed is the domain's
 * (domain/library/library_harvest.h: published versions and the
 * tombstones of withdrawn cases, never a draft); how it is written is
 * formats/atom.h's and formats/oai_pmh.h's.
 *
 * OAI-PMH: identifiers "oai:<host>:library/<id>", datestamps to the second,
 * sets "region:<code>" (the UNESCO regions) and "area:<code>" (the twelve
 * areas of the Key Features), records in oai_dc with one dc:title and
 * dc:description per language, withdrawn cases kept as deleted records
 * (deletedRecord persistent), lists of LC_LIMIT_LIBRARY_HARVEST records
 * per page with a resumption token.
 */
#include "web/routes/library_feeds.h"

#include "web/routes/group.h"
#include "web/routes/site.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/log.h"
#include "domain/library/library.h"
#include "domain/library/library_harvest.h"
#include "domain/platform/clock.h"
#include "formats/atom.h"
#include "formats/oai_pmh.h"
#include "web/http.h"
#include "web/urlcodec.h"

/* The site's base URL ("http://host:port"), configured, never from the Host header. */
static const char *base_of(const struct lc_req *req)
{
	const struct lc_app *app = req->app;
	return app && app->base_url ? app->base_url : "";
}

static const char *url_of(struct lc_req *req, const char *fmt, long long id)
{
	size_t n = strlen(base_of(req)) + strlen(fmt) + 24;
	char *s = lc_req_alloc(req, n);
	int k = snprintf(s, n, "%s", base_of(req));
	snprintf(s + k, n - (size_t)k, fmt, id);
	return s;
}

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

const char *lc_library_licence_url(const char *spdx)
{
	static const char *const map[][2] = {
	    {"CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"},
	    {"CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/"},
	    {"CC-BY-NC-4.0", "https://creativecommons.org/licenses/by-nc/4.0/"},
	    {"CC-BY-NC-SA-4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"},
	    {"CC-BY-ND-4.0", "https://creativecommons.org/licenses/by-nd/4.0/"},
	    {"CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"},
	};
	for (size_t i = 0; spdx && i < sizeof map / sizeof *map; i++)
		if (strcmp(spdx, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

/* ---- JSON-LD -------------------------------------------------------------------------------- */

/* The vocabularies' terms of the case: areas and SDGs as schema.org DefinedTerms. */
static json_t *about(const json_t *c, const json_t *vocab)
{
	json_t *a = json_array();
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(c, "areas"), i, v)
	{
		const char *code = json_string_value(v);
		const char *name = str(json_object_get(vocab, "area"), code ? code : "");
		if (code)
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "@type",
			                                   "DefinedTerm", "termCode", code, "name",
			                                   name ? name : code, "inDefinedTermSet",
			                                   "Key Features of Learning Cities"));
	}
	json_array_foreach(json_object_get(c, "sdgs"), i, v)
	{
		const char *code = json_string_value(v);
		const char *name = str(json_object_get(vocab, "sdg"), code ? code : "");
		if (code)
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "@type",
			                                   "DefinedTerm", "termCode", code, "name",
			                                   name ? name : code, "inDefinedTermSet",
			                                   "https://sdgs.un.org/goals"));
	}
	return a;
}

/* Removes the members that are null (a section the case does not have), at every depth. */
static void drop_nulls(json_t *v)
{
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) drop_nulls(x);
		return;
	}
	const char *k;
	json_t *x;
	void *tmp;
	json_object_foreach_safe(v, tmp, k, x)
	{
		if (json_is_null(x))
			json_object_del(v, k);
		else
			drop_nulls(x);
	}
}

json_t *lc_library_ld(struct lc_req *req, struct lc_db *db, const json_t *c)
{
	if (json_is_object(json_object_get(c, "withdrawn")) || !str(c, "version_published_at"))
		return NULL;
	json_t *vocab = NULL;
	if (lc_library_harvest_vocab(db, req->lang ? req->lang : "en", &vocab))
		return NULL;
	long long id = (long long)json_integer_value(json_object_get(c, "id"));
	json_int_t n = json_integer_value(json_object_get(c, "version"));
	const char *page = url_of(req, "/library/%lld", id);
	const char *orig = str(c, "original");
	const json_t *texts = json_object_get(c, "texts");
	const json_t *ot = json_object_get(texts, orig ? orig : "");
	const json_t *city = json_object_get(c, "city");
	const char *lic = str(c, "licence");
	const char *lic_url = lc_library_licence_url(lic);
	json_t *ld =
	    json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s, s:b}",
	              "@context", "https://schema.org", "@type", "Article", "@id", page, "url",
	              page, "headline", str(ot, "title"), "name", str(ot, "title"), "inLanguage",
	              orig, "abstract", str(ot, "summary"), "keywords", str(ot, "keywords"),
	              "license", lic_url ? lic_url : lic, "version", "", "isAccessibleForFree", 1);
	json_object_set_new(ld, "version", json_integer(n));
	if (str(c, "published_at"))
		json_object_set_new(ld, "datePublished", json_string(str(c, "published_at")));
	json_object_set_new(ld, "dateModified", json_string(str(c, "version_published_at")));
	json_object_set_new(
	    ld, "author",
	    json_pack("{s:s, s:s?}", "@type", "GovernmentOrganization", "name", str(city, "name")));
	json_object_set_new(ld, "spatialCoverage",
	                    json_pack("{s:s, s:s?, s:{s:s, s:s?, s:s?}}", "@type", "City", "name",
	                              str(city, "name"), "containedInPlace", "@type", "Country",
	                              "name", str(city, "country_name"), "identifier",
	                              str(city, "country")));
	json_object_set_new(ld, "about", about(c, vocab));
	json_object_set_new(ld, "publisher",
	                    json_pack("{s:s, s:s, s:s}", "@type", "Organization", "name",
	                              "learncity", "url", url_of(req, "/library", 0)));
	if (str(c, "cite"))
		json_object_set_new(ld, "creditText", json_string(str(c, "cite")));
	/* The other languages: translations of this work, each pointing back to it. */
	json_t *tr = json_array();
	const char *l;
	const json_t *t;
	json_object_foreach((json_t *)texts, l, t)
	{
		if (orig && strcmp(l, orig) == 0)
			continue;
		size_t un = strlen(page) + 16;
		char *u = lc_req_alloc(req, un);
		snprintf(u, un, "%s#text-%s", page, l);
		json_array_append_new(
		    tr, json_pack("{s:s, s:s, s:s?, s:s, s:s?, s:{s:s}}", "@type", "Article", "@id",
		                  u, "headline", str(t, "title"), "inLanguage", l, "abstract",
		                  str(t, "summary"), "translationOfWork", "@id", page));
	}
	if (json_array_size(tr))
		json_object_set_new(ld, "workTranslation", tr);
	else
		json_decref(tr);
	json_decref(vocab);
	drop_nulls(ld);
	return ld;
}

const char *lc_library_ld_script(struct lc_req *req, const json_t *ld)
{
	if (!ld)
		return NULL;
	char *s = json_dumps(ld, JSON_COMPACT);
	if (!s)
		return NULL;
	size_t n = strlen(s), k = 0;
	char *out = lc_req_alloc(req, 6 * n + 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '<' || s[i] == '>' || s[i] == '&') {
			snprintf(out + k, 7, "\\u%04x", (unsigned)s[i]);
			k += 6;
		} else
			out[k++] = s[i];
	}
	out[k] = '\0';
	lc_free(s);
	return out;
}

/* ---- the Atom feed -------------------------------------------------------------------------- */

static json_t *iso(int64_t t)
{
	char b[21];
	lc_clock_iso(t, b);
	return json_string(b);
}

/* The harvest's items as Atom entries, in the language of each case's original. */
static json_t *feed_entries(struct lc_req *req, const json_t *items, const json_t *vocab)
{
	json_t *entries = json_array();
	size_t i;
	const json_t *it;
	json_array_foreach(items, i, it)
	{
		const json_t *c = json_object_get(it, "case");
		const char *orig = str(c, "original");
		const json_t *t = json_object_get(json_object_get(c, "texts"), orig ? orig : "");
		const json_t *city = json_object_get(c, "city");
		long long id = (long long)json_integer_value(json_object_get(it, "id"));
		char author[512];
		snprintf(author, sizeof author, "%s, %s",
		         str(city, "name") ? str(city, "name") : "",
		         str(city, "country_name") ? str(city, "country_name") : "");
		json_t *cats = json_array();
		size_t k;
		const json_t *a;
		json_array_foreach(json_object_get(c, "areas"), k, a)
		{
			const char *code = json_string_value(a);
			if (code)
				json_array_append_new(
				    cats, json_pack("{s:s, s:s?}", "term", code, "label",
				                    str(json_object_get(vocab, "area"), code)));
		}
		const char *link = url_of(req, "/library/%lld", id);
		json_array_append_new(
		    entries,
		    json_pack("{s:s, s:s?, s:s?, s:o, s:s?, s:s?, s:s, s:s, s:s?, s:o}", "id", link,
		              "title", str(t, "title"), "lang", orig, "updated",
		              iso(json_integer_value(json_object_get(it, "datestamp"))),
		              "published", str(c, "published_at"), "summary", str(t, "summary"),
		              "link", link, "author", author, "rights", str(c, "licence"),
		              "categories", cats));
	}
	return entries;
}

static int route_feed(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_db *db = NULL;
	json_t *h = NULL, *vocab = NULL, *feed = NULL;
	int err = lc_site_db(req, &db);
	struct lc_library_harvest q = {
	    .limit = LC_LIMIT_LIBRARY_HARVEST,
	    .newest_first = true,
	    .records = true,
	    .lang = req->lang,
	};
	if (!err)
		err = lc_library_harvest(db, &q, &h);
	if (!err)
		err = lc_library_harvest_vocab(db, req->lang ? req->lang : "en", &vocab);
	lc_site_db_release(req, db);
	if (err)
		goto out;
	const json_t *items = json_object_get(h, "items");
	json_t *newest = json_object_get(json_array_get(items, 0), "datestamp");
	feed =
	    json_pack("{s:s, s:s, s:s?, s:o, s:s, s:s, s:s, s:o}", "id", url_of(req, "/library", 0),
	              "title", lc_site_t(req, "library_feed_title"), "lang", req->lang, "updated",
	              iso(newest ? json_integer_value(newest) : lc_clock_now()), "self",
	              url_of(req, "/library/feed.atom", 0), "alternate", url_of(req, "/library", 0),
	              "author", "learncity", "entries", feed_entries(req, items, vocab));
	err = lc_atom_feed(feed, &resp->body);
	resp->content_type = "application/atom+xml; charset=utf-8";
out:
	json_decref(feed);
	json_decref(vocab);
	json_decref(h);
	return err;
}

/* ---- the sitemap ---------------------------------------------------------------------------- */

/* The public pages anyone may read, besides the cases. */
static const char *const public_pages[] = {"/",       "/cities",      "/library",
                                           "/awards", "/conferences", NULL};

/* The page in each interface language: [{"hreflang", "href"}]. */
static json_t *alternates(const char *loc)
{
	static const char *const langs[] = {"en", "fr"};
	json_t *a = json_array();
	for (size_t i = 0; i < 2; i++) {
		char u[600];
		snprintf(u, sizeof u, "%s?lang=%s", loc, langs[i]);
		json_array_append_new(a, json_pack("{s:s, s:s}", "hreflang", langs[i], "href", u));
	}
	return a;
}

static int route_sitemap(struct lc_req *req, struct lc_resp *resp)
{
	json_t *urls = json_array();
	for (size_t i = 0; public_pages[i]; i++) {
		const char *loc = url_of(req, public_pages[i], 0);
		json_array_append_new(
		    urls, json_pack("{s:s, s:o}", "loc", loc, "alternates", alternates(loc)));
	}
	struct lc_db *db = NULL;
	int err = lc_site_db(req, &db);
	struct lc_library_harvest q = {.limit = LC_LIMIT_LIBRARY_HARVEST};
	long listed = 0;
	while (!err && listed < LC_LIMIT_SITEMAP_URLS) {
		json_t *h = NULL;
		err = lc_library_harvest(db, &q, &h);
		if (err)
			break;
		const json_t *items = json_object_get(h, "items");
		size_t i;
		const json_t *it;
		json_array_foreach(items, i, it)
		{
			long long id = (long long)json_integer_value(json_object_get(it, "id"));
			char day[11];
			lc_clock_date(json_integer_value(json_object_get(it, "datestamp")), day);
			const char *loc = url_of(req, "/library/%lld", id);
			json_array_append_new(urls,
			                      json_pack("{s:s, s:s, s:o}", "loc", loc, "lastmod",
			                                day, "alternates", alternates(loc)));
			q.after = id;
			listed++;
		}
		bool more = json_array_size(items) == (size_t)q.limit;
		json_decref(h);
		if (!more)
			break;
	}
	lc_site_db_release(req, db);
	if (!err)
		err = lc_atom_sitemap(urls, &resp->body);
	resp->content_type = "application/xml; charset=utf-8";
	json_decref(urls);
	return err;
}

/* ---- OAI-PMH -------------------------------------------------------------------------------- */

/* The repository's namespace: the host of the base URL ("example.org"), or "learncity". */
static const char *oai_host(struct lc_req *req)
{
	const char *b = base_of(req);
	const char *p = strstr(b, "://");
	p = p ? p + 3 : b;
	size_t n = strcspn(p, ":/");
	if (n == 0 || *p == '[')
		return "learncity";
	return lc_arena_strndup(req->arena, p, n);
}

static const char *oai_identifier(struct lc_req *req, long long id)
{
	const char *host = oai_host(req);
	size_t n = strlen(host) + 40;
	char *s = lc_req_alloc(req, n);
	snprintf(s, n, "oai:%s:library/%lld", host, id);
	return s;
}

/* The case id of an identifier of this repository, or 0. */
static long long oai_case_id(struct lc_req *req, const char *identifier)
{
	const char *host = oai_host(req);
	size_t hl = strlen(host);
	if (strncmp(identifier, "oai:", 4) != 0 || strncmp(identifier + 4, host, hl) != 0 ||
	    strncmp(identifier + 4 + hl, ":library/", 9) != 0)
		return 0;
	const char *d = identifier + 4 + hl + 9;
	long long v = 0;
	size_t k = 0;
	for (; d[k] >= '0' && d[k] <= '9' && k < 10; k++)
		v = v * 10 + (d[k] - '0');
	if (k == 0 || d[k] || d[0] == '0' || v > INT32_MAX)
		return 0;
	return v;
}

/* The request's arguments, from the query (GET) or the form body (POST), decoded. */
static int oai_pairs(struct lc_req *req, struct lc_oai_pair **out, size_t *n)
{
	struct lc_urlcodec_pair *raw = req->query;
	size_t nraw = req->nquery;
	if (req->method == LC_HTTP_POST) {
		size_t max = LC_LIMIT_HTTP_PARAMS;
		raw = lc_req_alloc(req, max * sizeof *raw);
		struct lc_slice body = {req->body, req->body_len};
		if (lc_urlcodec_split_query(body, raw, max, &nraw))
			return LC_EINVAL;
	}
	struct lc_oai_pair *p = lc_req_alloc(req, (nraw ? nraw : 1) * sizeof *p);
	for (size_t i = 0; i < nraw; i++) {
		struct lc_slice name, value;
		p[i].name =
		    lc_urlcodec_decode(req->arena, raw[i].name, true, &name) ? "" : name.ptr;
		p[i].value =
		    lc_urlcodec_decode(req->arena, raw[i].value, true, &value) ? NULL : value.ptr;
	}
	*out = p;
	*n = nraw;
	return 0;
}

static const char *const dc_kinds[] = {"title",     "creator",  "subject", "description",
                                       "publisher", "date",     "type",    "identifier",
                                       "language",  "coverage", "rights",  NULL};

static void dc_add(json_t *dc, const char *el, const char *text, const char *lang)
{
	if (text && *text)
		json_array_append_new(json_object_get(dc, el),
		                      json_pack("{s:s, s:s?}", "text", text, "lang", lang));
}

/* The harvest's item as an OAI record: header, sets and (unless withdrawn) its oai_dc. */
static json_t *oai_record(struct lc_req *req, const json_t *it, const json_t *vocab)
{
	long long id = (long long)json_integer_value(json_object_get(it, "id"));
	bool deleted = json_is_true(json_object_get(it, "deleted"));
	json_t *sets = json_array();
	if (str(it, "region")) {
		char s[64];
		snprintf(s, sizeof s, "region:%s", str(it, "region"));
		json_array_append_new(sets, json_string(s));
	}
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(it, "areas"), i, v)
	{
		char s[64];
		snprintf(s, sizeof s, "area:%s", json_string_value(v) ? json_string_value(v) : "");
		json_array_append_new(sets, json_string(s));
	}
	json_t *rec =
	    json_pack("{s:s, s:o, s:o, s:b}", "identifier", oai_identifier(req, id), "datestamp",
	              iso(json_integer_value(json_object_get(it, "datestamp"))), "sets", sets,
	              "deleted", deleted);
	const json_t *c = json_object_get(it, "case");
	if (deleted || !c)
		return rec;
	json_t *dc = json_object();
	for (size_t k = 0; dc_kinds[k]; k++)
		json_object_set_new(dc, dc_kinds[k], json_array());
	const char *orig = str(c, "original");
	const json_t *texts = json_object_get(c, "texts");
	const json_t *ot = json_object_get(texts, orig ? orig : "");
	/* The original first, then the translations. */
	dc_add(dc, "title", str(ot, "title"), orig);
	dc_add(dc, "description", str(ot, "summary"), orig);
	dc_add(dc, "language", orig, NULL);
	const char *l;
	const json_t *t;
	json_object_foreach((json_t *)texts, l, t)
	{
		if (orig && strcmp(l, orig) == 0)
			continue;
		dc_add(dc, "title", str(t, "title"), l);
		dc_add(dc, "description", str(t, "summary"), l);
		dc_add(dc, "language", l, NULL);
	}
	const json_t *city = json_object_get(c, "city");
	dc_add(dc, "creator", str(city, "name"), NULL);
	dc_add(dc, "publisher", "learncity", NULL);
	json_array_foreach(json_object_get(c, "areas"), i, v)
	    dc_add(dc, "subject", str(json_object_get(vocab, "area"), json_string_value(v)), "en");
	json_array_foreach(json_object_get(c, "sdgs"), i, v)
	{
		char s[160];
		const char *name = str(json_object_get(vocab, "sdg"), json_string_value(v));
		snprintf(s, sizeof s, "SDG %s: %s", json_string_value(v), name ? name : "");
		dc_add(dc, "subject", s, "en");
	}
	dc_add(dc, "subject", str(ot, "keywords"), orig);
	dc_add(dc, "coverage", str(city, "name"), NULL);
	dc_add(dc, "coverage", str(city, "country_name"), "en");
	const json_t *period = json_object_get(c, "period");
	if (json_is_integer(json_object_get(period, "start"))) {
		char s[48];
		json_int_t end = json_integer_value(json_object_get(period, "end"));
		if (end)
			snprintf(s, sizeof s, "%lld-%lld",
			         (long long)json_integer_value(json_object_get(period, "start")),
			         (long long)end);
		else
			snprintf(s, sizeof s, "%lld-",
			         (long long)json_integer_value(json_object_get(period, "start")));
		dc_add(dc, "coverage", s, NULL);
	}
	const char *pub = str(c, "version_published_at");
	if (pub) {
		char day[11];
		snprintf(day, sizeof day, "%.10s", pub);
		dc_add(dc, "date", day, NULL);
	}
	dc_add(dc, "type", "Text", NULL);
	dc_add(dc, "identifier", url_of(req, "/library/%lld", id), NULL);
	dc_add(dc, "identifier", str(c, "cite"), NULL);
	const char *lic = str(c, "licence");
	dc_add(dc, "rights", lc_library_licence_url(lic) ? lc_library_licence_url(lic) : lic, NULL);
	json_object_set_new(rec, "dc", dc);
	return rec;
}

/* The sets: every region and every area, named in English. */
static json_t *oai_sets(const json_t *vocab)
{
	json_t *a = json_array();
	static const char *const kinds[] = {"region", "area"};
	for (size_t k = 0; k < 2; k++) {
		char key[32];
		snprintf(key, sizeof key, "%s_order", kinds[k]);
		size_t i;
		const json_t *v;
		json_array_foreach(json_object_get(vocab, key), i, v)
		{
			char spec[64];
			snprintf(spec, sizeof spec, "%s:%s", kinds[k], json_string_value(v));
			json_array_append_new(a, json_pack("{s:s, s:s?}", "spec", spec, "name",
			                                   str(json_object_get(vocab, kinds[k]),
			                                       json_string_value(v))));
		}
	}
	return a;
}

/* The filters of a set: 0, or -1 when it names no set of this repository. */
static int set_filter(const char *set, const json_t *vocab, struct lc_library_harvest *q)
{
	if (!set || !*set)
		return 0;
	if (strncmp(set, "region:", 7) == 0 && str(json_object_get(vocab, "region"), set + 7)) {
		q->region = set + 7;
		return 0;
	}
	if (strncmp(set, "area:", 5) == 0 && str(json_object_get(vocab, "area"), set + 5)) {
		q->area = set + 5;
		return 0;
	}
	return -1;
}

/* ListIdentifiers and ListRecords. */
static int oai_list(struct lc_req *req, struct lc_db *db, const struct lc_oai_request *r,
                    const json_t *vocab, struct lc_buf *b)
{
	struct lc_oai_token tok = {0};
	const char *tk = r->args[LC_OAI_ARG_RESUMPTION_TOKEN];
	if (tk) {
		if (lc_oai_token_parse(tk, &tok)) {
			lc_oai_error(b, "badResumptionToken",
			             "The resumptionToken is not one this repository gave.");
			return 0;
		}
	} else {
		if (strcmp(r->args[LC_OAI_ARG_METADATA_PREFIX], "oai_dc") != 0) {
			lc_oai_error(b, "cannotDisseminateFormat",
			             "This repository disseminates oai_dc only.");
			return 0;
		}
		tok.from = r->from;
		tok.until = r->until;
		if (r->args[LC_OAI_ARG_SET])
			snprintf(tok.set, sizeof tok.set, "%s", r->args[LC_OAI_ARG_SET]);
	}
	struct lc_library_harvest q = {
	    .from = tok.from,
	    .until = tok.until,
	    .after = tok.after,
	    .limit = LC_LIMIT_LIBRARY_HARVEST,
	    .deleted = true,
	    .records = r->verb == LC_OAI_LIST_RECORDS,
	    .lang = "en",
	};
	if (set_filter(tok.set, vocab, &q)) {
		if (tk)
			lc_oai_error(b, "badResumptionToken",
			             "The resumptionToken is not one this repository gave.");
		else
			lc_oai_error(b, "noRecordsMatch", "This repository has no such set.");
		return 0;
	}
	json_t *h = NULL;
	int err = lc_library_harvest(db, &q, &h);
	if (err)
		return err;
	const json_t *items = json_object_get(h, "items");
	long total = (long)json_integer_value(json_object_get(h, "total"));
	if (json_array_size(items) == 0) {
		if (tk)
			lc_oai_error(b, "badResumptionToken", "The list has changed or has ended.");
		else
			lc_oai_error(b, "noRecordsMatch", "No record matches the arguments.");
		json_decref(h);
		return 0;
	}
	bool ids = r->verb == LC_OAI_LIST_IDENTIFIERS;
	lc_buf_puts(b, ids ? "<ListIdentifiers>\n" : "<ListRecords>\n");
	size_t i;
	const json_t *it;
	int64_t last = 0;
	json_array_foreach(items, i, it)
	{
		json_t *rec = oai_record(req, it, vocab);
		lc_oai_record(b, rec, ids);
		json_decref(rec);
		last = json_integer_value(json_object_get(it, "id"));
	}
	long shown = tok.cursor + (long)json_array_size(items);
	if (shown < total) {
		struct lc_oai_token next = tok;
		next.after = last;
		next.cursor = shown;
		char t[160];
		lc_oai_token_write(&next, t, sizeof t);
		lc_oai_resumption(b, t, total, tok.cursor);
	} else if (tk) {
		lc_oai_resumption(b, "", total, tok.cursor);
	}
	lc_buf_puts(b, ids ? "</ListIdentifiers>\n" : "</ListRecords>\n");
	json_decref(h);
	return 0;
}

/* GetRecord, and the identifier check of ListMetadataFormats: the item of case id or NULL. */
static int oai_item(struct lc_db *db, long long id, bool records, json_t **h, const json_t **it)
{
	*it = NULL;
	struct lc_library_harvest q = {
	    .after = id - 1, .limit = 1, .deleted = true, .records = records, .lang = "en"};
	int err = lc_library_harvest(db, &q, h);
	if (err)
		return err;
	const json_t *x = json_array_get(json_object_get(*h, "items"), 0);
	if (x && json_integer_value(json_object_get(x, "id")) == id)
		*it = x;
	return 0;
}

static int oai_answer(struct lc_req *req, struct lc_db *db, const struct lc_oai_request *r,
                      struct lc_buf *b)
{
	json_t *vocab = NULL, *h = NULL;
	int err = lc_library_harvest_vocab(db, "en", &vocab);
	if (err)
		return err;
	const json_t *it = NULL;
	const char *id = r->args[LC_OAI_ARG_IDENTIFIER];
	switch (r->verb) {
	case LC_OAI_IDENTIFY: {
		int64_t earliest = 0;
		err = lc_library_earliest(db, &earliest);
		if (err)
			break;
		const char *host = oai_host(req);
		char mail[300];
		snprintf(mail, sizeof mail, "secretariat@%s%s", host,
		         strchr(host, '.') ? "" : ".invalid");
		json_t *repo =
		    json_pack("{s:s, s:s, s:s, s:o}", "name", "learncity case-study library",
		              "base_url", url_of(req, "/oai", 0), "admin_email", mail, "earliest",
		              iso(earliest ? earliest : lc_clock_now()));
		lc_oai_identify(b, repo);
		json_decref(repo);
		break;
	}
	case LC_OAI_LIST_METADATA_FORMATS:
		if (id) {
			long long cid = oai_case_id(req, id);
			err = cid ? oai_item(db, cid, false, &h, &it) : 0;
			if (!err && !it) {
				lc_oai_error(b, "idDoesNotExist", "No record has this identifier.");
				break;
			}
		}
		if (!err)
			lc_oai_formats(b);
		break;
	case LC_OAI_LIST_SETS:
		if (r->args[LC_OAI_ARG_RESUMPTION_TOKEN]) {
			lc_oai_error(b, "badResumptionToken",
			             "The list of sets comes in one piece.");
			break;
		}
		json_t *sets = oai_sets(vocab);
		lc_oai_sets(b, sets);
		json_decref(sets);
		break;
	case LC_OAI_GET_RECORD: {
		long long cid = oai_case_id(req, id);
		err = cid ? oai_item(db, cid, true, &h, &it) : 0;
		if (err)
			break;
		if (!it) {
			lc_oai_error(b, "idDoesNotExist", "No record has this identifier.");
			break;
		}
		if (strcmp(r->args[LC_OAI_ARG_METADATA_PREFIX], "oai_dc") != 0) {
			lc_oai_error(b, "cannotDisseminateFormat",
			             "This repository disseminates oai_dc only.");
			break;
		}
		json_t *rec = oai_record(req, it, vocab);
		lc_buf_puts(b, "<GetRecord>");
		lc_oai_record(b, rec, false);
		lc_buf_puts(b, "</GetRecord>\n");
		json_decref(rec);
		break;
	}
	default: err = oai_list(req, db, r, vocab, b);
	}
	json_decref(h);
	json_decref(vocab);
	return err;
}

static int route_oai(struct lc_req *req, struct lc_resp *resp)
{
	struct lc_oai_pair *pairs = NULL;
	size_t n = 0;
	struct lc_oai_request r;
	int bad = oai_pairs(req, &pairs, &n);
	if (bad) {
		memset(&r, 0, sizeof r);
		r.verb = -1;
		r.error = "badArgument";
		r.message = "The request has too many arguments.";
	} else
		bad = lc_oai_parse(pairs, n, &r);
	char now[21];
	lc_clock_iso(lc_clock_now(), now);
	struct lc_buf *b = &resp->body;
	lc_oai_open(b, now, url_of(req, "/oai", 0), &r);
	int err = 0;
	if (bad)
		lc_oai_error(b, r.error, r.message);
	else {
		struct lc_db *db = NULL;
		err = lc_site_db(req, &db);
		if (!err)
			err = oai_answer(req, db, &r, b);
		lc_site_db_release(req, db);
	}
	lc_oai_close(b);
	resp->content_type = "text/xml; charset=utf-8";
	return err ? err : lc_buf_error(b);
}

/* ---- the routes ---- */

static const struct lc_route rows[] = {
    {LC_HTTP_GET, "/library/feed.atom", route_feed, NULL, 0, 0, NULL},
    {LC_HTTP_GET, "/sitemap.xml", route_sitemap, NULL, 0, 0, NULL},
    {LC_HTTP_GET | LC_HTTP_POST, "/oai", route_oai, NULL, 0, 0, NULL},
};

LC_ROUTE_GROUP(library_feeds, rows);
