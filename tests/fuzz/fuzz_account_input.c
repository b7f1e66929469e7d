/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * libFuzzer target for the accounts input that comes from outside before
 * any permission check: e-mail addresses (lc_account_email_normalise, with
 * its properties: the result is lower case, has no control characters,
 * and normalises to itself), passwords against the policy, session cookie /
 * token values (lc_secret_hash), Bearer and one-time tokens and role specs
 * looked up in a demonstration database opened once.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/limits.h"
#include "db/db.h"
#include "domain/accounts/account.h"
#include "domain/demo/demo.h"
#include "domain/accounts/onetime.h"
#include "domain/accounts/password.h"
#include "domain/accounts/role.h"
#include "domain/platform/secret.h"
#include "domain/accounts/session.h"
#include "domain/accounts/token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lc_db *db;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db) {
		struct lc_diag d;
		lc_diag_init(&d);
		if (lc_db_open(":memory:", 0, &db) != 0 || lc_demo_load(db, &d) != 0)
			__builtin_trap();
		lc_diag_cleanup(&d);
	}
	char *s = lc_xstrndup((const char *)data, size);

	char out[LC_LIMIT_EMAIL_BYTES + 1], again[LC_LIMIT_EMAIL_BYTES + 1];
	if (lc_account_email_normalise((const char *)data, size, out, sizeof out) == 0) {
		size_t n = strlen(out);
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)out[i];
			if ((c >= 'A' && c <= 'Z') || c <= 0x20 || c == 0x7f)
				__builtin_trap();
		}
		if (lc_account_email_normalise(out, n, again, sizeof again) != 0 ||
		    strcmp(out, again) != 0)
			__builtin_trap();
	} else if (out[0] != '\0') {
		__builtin_trap();
	}

	const char *why = NULL;
	if (lc_password_check(s, NULL, &why) != 0 && !why)
		__builtin_trap();

	uint8_t hash[32];
	(void)lc_secret_hash(s, hash, NULL);
	struct lc_session sess;
	if (lc_session_lookup(db, s, &sess) == 0)
		__builtin_trap(); /* no session exists */
	int64_t id;
	if (lc_token_verify(db, s, &id, NULL) == 0 ||
	    lc_onetime_peek(db, s, LC_ONETIME_INVITE, &id) == 0)
		__builtin_trap();
	struct lc_role r;
	(void)lc_role_parse(db, s, &r, &why);
	lc_free(s);
	return 0;
}
