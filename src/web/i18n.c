/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Language negotiation of i18n.h over the catalogues of base/catalogue.h. */
#include "web/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/catalogue.h"
#include "web/http.h"
#include "web/urlcodec.h"

const char *lc_i18n_negotiate(const struct lc_catalogue *i, struct lc_slice query_lang,
                              struct lc_slice cookie_lang, struct lc_slice accept_language,
                              bool *from_query)
{
	*from_query = false;
	if (!i)
		return "en";
	const char *l = lc_catalogue_supported(i, query_lang);
	if (l) {
		*from_query = true;
		return l;
	}
	l = lc_catalogue_supported(i, cookie_lang);
	if (l)
		return l;
	const char *const *codes = lc_catalogue_codes(i);
	if (accept_language.len) {
		int k = lc_urlcodec_pick_language(accept_language, codes, lc_catalogue_count(i));
		if (k >= 0)
			return codes[k];
	}
	return codes[0];
}

void lc_i18n_resolve(const struct lc_catalogue *i, struct lc_req *req, struct lc_resp *resp)
{
	if (!i) {
		req->lang = "en";
		req->dir = "ltr";
		req->t = NULL;
		return;
	}
	struct lc_slice q = {NULL, 0};
	for (size_t k = 0; k < req->nquery; k++)
		if (lc_slice_eq(req->query[k].name, "lang"))
			q = req->query[k].value;
	const char *cookie = lc_req_cookie(req, LC_I18N_COOKIE);
	const char *al = lc_req_header(req, "Accept-Language");
	bool from_query;
	const char *lang =
	    lc_i18n_negotiate(i, q, lc_slice_cstr(cookie), lc_slice_cstr(al), &from_query);
	req->lang = lang;
	req->dir = lc_catalogue_dir(i, lang);
	req->t = lc_catalogue_strings(i, lang);
	if (from_query && resp && !(cookie && strcmp(cookie, lang) == 0))
		lc_resp_set_cookie(resp, LC_I18N_COOKIE, lang, LC_I18N_COOKIE_MAX_AGE, 0);
}
