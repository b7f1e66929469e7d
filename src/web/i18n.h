/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The choice of a request's language among the catalogues of
 * base/catalogue.h.
 *
 * Negotiation, first that applies: ?lang=xx naming a supported language
 * (and the response sets the cookie lang=xx for a year); the lang cookie
 * naming a supported language; Accept-Language with q-values; "en".
 */
#ifndef LC_I18N_H
#define LC_I18N_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/slice.h"

struct lc_catalogue;
struct lc_req;
struct lc_resp;

#define LC_I18N_COOKIE         "lang"
#define LC_I18N_COOKIE_MAX_AGE (365L * 24 * 3600)

/*
 * Chooses the language from the three sources above (each may be empty) and
 * returns the supported code; *from_query is set when query_lang decided
 * (the caller then sets the cookie). i may be NULL: "en".
 */
const char *lc_i18n_negotiate(const struct lc_catalogue *i, struct lc_slice query_lang,
                              struct lc_slice cookie_lang, struct lc_slice accept_language,
                              bool *from_query);

/*
 * Sets req->lang, req->dir and req->t from the request (its raw "lang"
 * query pair, cookie and Accept-Language header) and, when ?lang= decided,
 * adds the Set-Cookie to resp. The router calls this for every request.
 */
void lc_i18n_resolve(const struct lc_catalogue *i, struct lc_req *req, struct lc_resp *resp);

#endif
