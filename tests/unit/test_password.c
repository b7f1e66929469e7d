/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Tests of domain/accounts/password.c: the strength policy (length, common list in
 * any case, e-mail, UTF-8), hashing with the production parameters,
 * verification, rehash detection across parameter changes, the demo
 * accounts' hashes, and the two-slot semaphore under four threads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include <jansson.h>

#include "base/embedded.h"
#include "base/diag.h"
#include "base/error.h"
#include "domain/accounts/password.h"
#include "accounts_fixture.h"

static void expect_weak(const char *pw, const char *email, const char *reason)
{
	const char *why = NULL;
	assert_int_equal(lc_password_check(pw, email, &why), LC_EINVAL);
	assert_non_null(why);
	assert_non_null(strstr(lc_diag_english(why), reason)); /* why is a catalogue key */
}

static void test_policy(void **state)
{
	(void)state;
	expect_weak("", NULL, "empty");
	expect_weak(NULL, NULL, "empty");
	expect_weak("short1!", NULL, "shorter than 10");
	expect_weak("ééééééééé", NULL, "shorter than 10"); /* 9 characters, 18 bytes */
	expect_weak("1234567890", NULL, "most common");
	expect_weak("BaSkEtBaLl", NULL, "most common"); /* any case */
	expect_weak("someone@example.org", "Someone@Example.org", "e-mail");
	expect_weak("tab\there-is-long", NULL, "control");
	expect_weak("\xff\xfe invalid utf8", NULL, "UTF-8");
	char big[1100];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	expect_weak(big, NULL, "longer");
	assert_int_equal(lc_password_check("correct horse battery", NULL, NULL), 0);
	assert_int_equal(lc_password_check("éééééééééé", NULL, NULL), 0); /* 10 characters */
	assert_true(lc_password_is_common("password"));
	assert_true(lc_password_is_common("PASSWORD"));
	assert_false(lc_password_is_common("no-such-common-password"));
	const char *demo[] = {DEMO_ADMIN_PW, DEMO_COORD_PW, DEMO_NATCOM_PW,
	                      DEMO_JURY_PW,  DEMO_PART_PW,  DEMO_NOROLE_PW};
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(lc_password_check(demo[i], NULL, NULL), 0);
}

static void test_hash_verify_rehash(void **state)
{
	(void)state;
	char h[LC_PASSWORD_HASH_BYTES];
	bool rehash = true;
	/* Production parameters: t = 3, 64 MiB. */
	lc_password_set_light(false);
	assert_int_equal(lc_password_hash("correct horse battery", h), 0);
	assert_non_null(strstr(h, "$argon2id$"));
	assert_non_null(strstr(h, "m=65536,t=3"));
	assert_int_equal(lc_password_verify(h, "correct horse battery", &rehash), 0);
	assert_false(rehash);
	assert_int_equal(lc_password_verify(h, "correct horse batterY", &rehash), LC_EAUTH);
	assert_int_equal(lc_password_verify("not a hash", "x", &rehash), LC_EAUTH);
	/* A hash made with other parameters verifies but asks for a rehash. */
	lc_password_set_light(true);
	char light[LC_PASSWORD_HASH_BYTES];
	assert_int_equal(lc_password_hash("correct horse battery", light), 0);
	lc_password_set_light(false);
	assert_int_equal(lc_password_verify(light, "correct horse battery", &rehash), 0);
	assert_true(rehash);
	lc_password_set_light(true);
}

/* The embedded demo accounts' hashes are of the documented passwords. */
static void test_demo_hashes(void **state)
{
	(void)state;
	const struct lc_embedded_file *f = lc_embedded_find("data/demo-accounts.json");
	assert_non_null(f);
	json_t *root = json_loadb((const char *)f->data, f->len, 0, NULL);
	assert_non_null(root);
	const char *pw[] = {DEMO_ADMIN_PW,     DEMO_COORD_PW,  DEMO_NATCOM_PW, DEMO_JURY_PW,
	                    DEMO_JURY_2027_PW, DEMO_EXPERT_PW, DEMO_PART_PW,   DEMO_NOROLE_PW};
	enum { N = sizeof pw / sizeof *pw };
	json_t *list = json_object_get(root, "accounts");
	assert_int_equal(json_array_size(list), N);
	lc_password_set_light(false);
	for (size_t i = 0; i < N; i++) {
		const char *h =
		    json_string_value(json_object_get(json_array_get(list, i), "password_hash"));
		bool rehash = true;
		assert_int_equal(lc_password_verify(h, pw[i], &rehash), 0);
		assert_false(rehash);
	}
	lc_password_set_light(true);
	json_decref(root);
}

static void *hash_thread(void *arg)
{
	char h[LC_PASSWORD_HASH_BYTES];
	*(int *)arg = lc_password_hash("four threads hashing", h);
	return NULL;
}

/* Four threads at once all succeed (two wait for a slot). */
static void test_concurrent(void **state)
{
	(void)state;
	lc_password_set_light(false);
	pthread_t t[4];
	int rc[4] = {-1, -1, -1, -1};
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hash_thread, &rc[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(rc[i], 0);
	}
	lc_password_set_light(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_policy),
	    cmocka_unit_test(test_hash_verify_rehash),
	    cmocka_unit_test(test_demo_hashes),
	    cmocka_unit_test(test_concurrent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
