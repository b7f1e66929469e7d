/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * libFuzzer target for the application form (domain/workflow/application.h): any
 * JSON body of PUT /api/v1/applications/{id} goes through
 * lc_application_save on a draft of a demonstration database opened once.
 * Properties: it never crashes or leaks, a refusal always names a field,
 * and the stored form always reads back.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/diag.h"
#include "base/error.h"
#include "db/db.h"
#include "domain/accounts/account.h"
#include "domain/workflow/application.h"
#include "domain/accounts/authz.h"
#include "domain/demo/demo.h"
#include "domain/accounts/onetime.h"
#include "domain/accounts/password.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lc_db *db;
static struct lc_actor me;
static int64_t draft;

static void setup(void)
{
	struct lc_diag d;
	lc_diag_init(&d);
	lc_password_set_light(true);
	if (lc_db_open(":memory:", 0, &db) != 0 || lc_demo_load(db, &d) != 0)
		__builtin_trap();
	struct lc_actor anon;
	lc_actor_anonymous(&anon);
	struct lc_account_new in = {
	    .email = "fuzz@example.net", .name = "Fuzz", .password = "Learning-city-2026!"};
	int64_t id = 0;
	if (lc_account_signup(db, &anon, &in, "", "https://lc.example", &d, &id, NULL) != 0)
		__builtin_trap();
	/* Confirm the sign-up with the link's token, as its owner would. */
	char tok[LC_ONETIME_CHARS + 1] = "";
	sqlite3_stmt *st = lc_db_stmt(db, "SELECT secret FROM outbox ORDER BY id DESC LIMIT 1");
	if (st && lc_db_step(db, st) == 1)
		snprintf(tok, sizeof tok, "%s", lc_db_text(st, 0));
	lc_db_release(db, st);
	int64_t got = 0;
	if (lc_account_confirm_signup(db, tok, in.password, &d, &got) != 0 ||
	    lc_actor_load(db, id, &me) != 0 ||
	    lc_application_create(db, &me, 1, "IE", "Fuzzton", &d, &draft) != 0)
		__builtin_trap();
	lc_diag_cleanup(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db)
		setup();
	json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (!j)
		return 0;
	struct lc_diag d;
	lc_diag_init(&d);
	int err = lc_application_save(db, &me, draft, j, &d);
	if (err && err != LC_EINVAL)
		__builtin_trap();
	if (err == LC_EINVAL && json_is_object(j) && (!d.count || !d.items[0].field))
		__builtin_trap();
	json_t *out = NULL;
	if (lc_application_json(db, &me, draft, &out) != 0)
		__builtin_trap();
	json_decref(out);
	lc_diag_cleanup(&d);
	json_decref(j);
	return 0;
}
