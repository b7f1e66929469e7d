/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Random secrets and their hashes (secret.h). */
#include "domain/platform/secret.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/error.h"
#include "base/log.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_once(void)
{
	if (sodium_init() < 0) {
		lc_log_error("libsodium cannot start");
		abort();
	}
}

void lc_secret_init(void)
{
	pthread_once(&once, init_once);
}

void lc_secret_new(char clear[LC_SECRET_CHARS + 1], uint8_t hash[32])
{
	lc_secret_init();
	uint8_t raw[LC_SECRET_BYTES];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(clear, LC_SECRET_CHARS + 1, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	crypto_hash_sha256(hash, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
}

int lc_secret_hash(const char *clear, uint8_t hash[32], uint8_t raw[LC_SECRET_BYTES])
{
	lc_secret_init();
	if (!clear || strnlen(clear, LC_SECRET_CHARS + 1) != LC_SECRET_CHARS)
		return LC_EINVAL;
	uint8_t bin[LC_SECRET_BYTES];
	size_t len = 0;
	if (sodium_base642bin(bin, sizeof bin, clear, LC_SECRET_CHARS, NULL, &len, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    len != sizeof bin)
		return LC_EINVAL;
	crypto_hash_sha256(hash, bin, sizeof bin);
	if (raw)
		memcpy(raw, bin, sizeof bin);
	sodium_memzero(bin, sizeof bin);
	return 0;
}
