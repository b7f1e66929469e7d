/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Password policy and argon2id hashing (password.h). The semaphore is a
 * mutex and a condition variable counting the hashes in flight; the
 * parameters are read once per call so the test hook takes effect at once.
 */
#include "domain/accounts/password.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <sodium.h>

#include "base/embedded.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/utf8.h"
#include "domain/platform/secret.h"

/* t = 3 and 64 MiB, as the issue asks (libsodium's MODERATE is t = 3, 256 MiB). */
#define OPS_NORMAL 3ull
#define MEM_NORMAL (64ull << 20)

static atomic_bool light_mode;

static pthread_mutex_t slot_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slot_cv = PTHREAD_COND_INITIALIZER;
static int slots_used;

static void slot_take(void)
{
	pthread_mutex_lock(&slot_mu);
	while (slots_used >= LC_LIMIT_PASSWORD_HASHES)
		pthread_cond_wait(&slot_cv, &slot_mu);
	slots_used++;
	pthread_mutex_unlock(&slot_mu);
}

static void slot_give(void)
{
	pthread_mutex_lock(&slot_mu);
	slots_used--;
	pthread_cond_signal(&slot_cv);
	pthread_mutex_unlock(&slot_mu);
}

static void params(unsigned long long *ops, size_t *mem)
{
	if (atomic_load(&light_mode)) {
		*ops = crypto_pwhash_OPSLIMIT_MIN;
		*mem = crypto_pwhash_MEMLIMIT_MIN;
	} else {
		*ops = OPS_NORMAL;
		*mem = (size_t)MEM_NORMAL;
	}
}

void lc_password_set_light(bool light)
{
	atomic_store(&light_mode, light);
}

bool lc_password_is_common(const char *pw)
{
	const struct lc_embedded_file *f = lc_embedded_find("data/common-passwords.txt");
	if (!f || !pw)
		return false;
	size_t n = strlen(pw);
	const char *p = (const char *)f->data, *end = p + f->len;
	/* 3,400 short lines: a linear scan costs microseconds, far below one hash. */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (len == n) {
			size_t i = 0;
			while (i < n) {
				char c = pw[i];
				if (c >= 'A' && c <= 'Z')
					c = (char)(c - 'A' + 'a');
				if (c != p[i])
					break;
				i++;
			}
			if (i == n)
				return true;
		}
		p += len + 1;
	}
	return false;
}

static bool same_nocase(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a, y = *b;
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return *a == *b;
}

int lc_password_check(const char *pw, const char *email, const char **why)
{
	const char *reason = NULL;
	size_t n = pw ? strnlen(pw, LC_LIMIT_PASSWORD_BYTES + 1) : 0;
	size_t chars = 0;
	if (!pw || n == 0) {
		reason = "err_password_empty";
	} else if (n > LC_LIMIT_PASSWORD_BYTES) {
		reason = "err_password_long";
	} else if (!lc_utf8_valid(pw, n)) {
		reason = "err_password_utf8";
	} else {
		for (size_t i = 0; i < n; i++)
			chars += ((unsigned char)pw[i] & 0xC0) != 0x80;
		for (size_t i = 0; i < n && !reason; i++)
			if ((unsigned char)pw[i] < 0x20 || pw[i] == 0x7f)
				reason = "err_password_control";
		if (reason) {
		} else if (chars < LC_LIMIT_PASSWORD_MIN) {
			reason = "err_password_short";
		} else if (lc_password_is_common(pw)) {
			reason = "err_password_common";
		} else if (email && same_nocase(pw, email)) {
			reason = "err_password_is_email";
		}
	}
	if (why)
		*why = reason;
	return reason ? LC_EINVAL : 0;
}

int lc_password_hash(const char *pw, char out[LC_PASSWORD_HASH_BYTES])
{
	size_t n = strnlen(pw, LC_LIMIT_PASSWORD_BYTES + 1);
	if (n > LC_LIMIT_PASSWORD_BYTES)
		return LC_ELIMIT;
	lc_secret_init();
	unsigned long long ops;
	size_t mem;
	params(&ops, &mem);
	char tmp[crypto_pwhash_STRBYTES];
	slot_take();
	int rc = crypto_pwhash_str_alg(tmp, pw, n, ops, mem, crypto_pwhash_ALG_ARGON2ID13);
	slot_give();
	if (rc != 0 || strlen(tmp) >= LC_PASSWORD_HASH_BYTES)
		return LC_EINTERNAL;
	memcpy(out, tmp, strlen(tmp) + 1);
	return 0;
}

int lc_password_verify(const char *hash, const char *pw, bool *needs_rehash)
{
	*needs_rehash = false;
	if (!hash || !pw)
		return LC_EAUTH;
	size_t n = strnlen(pw, LC_LIMIT_PASSWORD_BYTES + 1);
	if (n > LC_LIMIT_PASSWORD_BYTES || strncmp(hash, "$argon2id$", 10) != 0)
		return LC_EAUTH;
	lc_secret_init();
	slot_take();
	int rc = crypto_pwhash_str_verify(hash, pw, n);
	slot_give();
	if (rc != 0)
		return LC_EAUTH;
	unsigned long long ops;
	size_t mem;
	params(&ops, &mem);
	*needs_rehash = crypto_pwhash_str_needs_rehash(hash, ops, mem) != 0;
	return 0;
}

void lc_password_dummy_verify(const char *pw)
{
	/*
	 * A hash of a random password with the current parameters, made once:
	 * verifying against it costs what a real verification costs.
	 */
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static char dummy[LC_PASSWORD_HASH_BYTES];
	static bool dummy_light;
	bool light = atomic_load(&light_mode);
	pthread_mutex_lock(&mu);
	if (!dummy[0] || dummy_light != light) {
		char rnd[LC_SECRET_CHARS + 1];
		uint8_t h[32];
		lc_secret_new(rnd, h);
		if (lc_password_hash(rnd, dummy) != 0)
			dummy[0] = '\0';
		dummy_light = light;
	}
	char copy[LC_PASSWORD_HASH_BYTES];
	memcpy(copy, dummy, sizeof copy);
	pthread_mutex_unlock(&mu);
	bool rehash;
	if (copy[0])
		(void)lc_password_verify(copy, pw ? pw : "", &rehash);
}
