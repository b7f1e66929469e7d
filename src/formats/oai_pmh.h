/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * OAI-PMH 2.0 (the Open Archives Initiative's harvesting protocol): the
 * reading of a request's arguments, with every rule of the protocol's
 * section 3.6 on what a verb takes (an illegal, missing or repeated
 * argument is badArgument, a missing, unknown or repeated verb badVerb),
 * the resumption token (opaque to harvesters; here a fixed text of the
 * position and the list's filters, checked field by field when it comes
 * back), and the writing of answers as the OAI-PMH.xsd schema wants them,
 * with records in oai_dc (unqualified Dublin Core). What a repository
 * holds is the caller's: this module writes what it is given.
 */
#ifndef LC_OAI_PMH_H
#define LC_OAI_PMH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct lc_buf;

enum lc_oai_verb {
	LC_OAI_IDENTIFY,
	LC_OAI_LIST_METADATA_FORMATS,
	LC_OAI_LIST_SETS,
	LC_OAI_GET_RECORD,
	LC_OAI_LIST_IDENTIFIERS,
	LC_OAI_LIST_RECORDS,
	LC_OAI_VERBS
};

enum lc_oai_arg {
	LC_OAI_ARG_IDENTIFIER,
	LC_OAI_ARG_METADATA_PREFIX,
	LC_OAI_ARG_FROM,
	LC_OAI_ARG_UNTIL,
	LC_OAI_ARG_SET,
	LC_OAI_ARG_RESUMPTION_TOKEN,
	LC_OAI_ARGS
};

/* The protocol's names of the verbs and arguments, in the enums' order. */
extern const char *const lc_oai_verb_names[LC_OAI_VERBS];
extern const char *const lc_oai_arg_names[LC_OAI_ARGS];

/* A request as read. */
struct lc_oai_request {
	int verb;                      /* enum lc_oai_verb, or -1 (badVerb) */
	const char *args[LC_OAI_ARGS]; /* as sent, NULL when absent */
	int64_t from, until;           /* seconds since 1970; 0: absent; until is inclusive */
	const char *error;             /* NULL, "badVerb" or "badArgument" */
	const char *message;           /* why, in English (the protocol's messages are) */
};

/* One argument as sent, percent-decoded (NUL-terminated; borrowed). */
struct lc_oai_pair {
	const char *name;
	const char *value;
};

/*
 * Reads the n decoded arguments of a query string or form body into r
 * (r's strings borrow the pairs'). A pair whose value is NULL was not
 * decodable: badArgument. 0 when the request is well formed; LC_EINVAL with
 * r->error and r->message set otherwise. Dates are YYYY-MM-DD or
 * YYYY-MM-DDThh:mm:ssZ, from and until of the same granularity and in
 * order; metadataPrefix and set keep to the schema's patterns; a
 * resumptionToken comes alone; at most LC_LIMIT_OAI_ARG_BYTES per value.
 */
int lc_oai_parse(const struct lc_oai_pair *pairs, size_t n, struct lc_oai_request *r);

/* Where a list stopped, and what it lists. */
struct lc_oai_token {
	int64_t after; /* the last id listed */
	long cursor;   /* how many were listed before this page */
	int64_t from;  /* the list's from (0: none) */
	int64_t until; /* the list's until (0: none) */
	char set[64];  /* the list's set, "" for none */
};

/* Reads a token: 0, or LC_EINVAL when it is not one this module wrote (badResumptionToken). */
int lc_oai_token_parse(const char *s, struct lc_oai_token *t);
/* Writes t as a token into out (size n, NUL included; 128 is enough). */
void lc_oai_token_write(const struct lc_oai_token *t, char *out, size_t n);

/*
 * The answer's opening: the XML declaration, <OAI-PMH>, responseDate (now,
 * "YYYY-MM-DDThh:mm:ssZ") and <request> with base_url, echoing the
 * arguments unless r->error is set (the protocol asks so for badVerb and
 * badArgument).
 */
void lc_oai_open(struct lc_buf *b, const char *now, const char *base_url,
                 const struct lc_oai_request *r);
/* <error code="code">message</error>. */
void lc_oai_error(struct lc_buf *b, const char *code, const char *message);
/* </OAI-PMH>. */
void lc_oai_close(struct lc_buf *b);

/*
 * <Identify> of repo: {"name", "base_url", "admin_email", "earliest": "...Z"},
 * deletedRecord persistent, granularity to seconds.
 */
void lc_oai_identify(struct lc_buf *b, const json_t *repo);
/* <ListMetadataFormats> with oai_dc, the one format this repository disseminates. */
void lc_oai_formats(struct lc_buf *b);
/* <ListSets> of sets: [{"spec", "name"}]. */
void lc_oai_sets(struct lc_buf *b, const json_t *sets);

/*
 * One record, rec: {"identifier", "datestamp": "...Z", "sets": ["region:EUR"],
 * "deleted": bool, "dc": {"title": [{"text", "lang"?}], "description": [...], ...}}
 * (dc's members: the fifteen elements of simple Dublin Core, in any order,
 * written in the schema's order). header_only: its <header> alone
 * (ListIdentifiers); a deleted record never has metadata.
 */
void lc_oai_record(struct lc_buf *b, const json_t *rec, bool header_only);
/* <resumptionToken> (token "" ends a list) with completeListSize and cursor. */
void lc_oai_resumption(struct lc_buf *b, const char *token, long size, long cursor);

#endif
