/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Random secrets shared by sessions, personal access tokens and one-time
 * tokens: 32 bytes from libsodium's CSPRNG written as 43 characters of
 * unpadded base64url, and the SHA-256 of those bytes that the database
 * keeps instead. A secret has full entropy, so a plain hash (no salt, no
 * slow KDF) is enough. It owns nothing and logs nothing.
 */
#ifndef LC_SECRET_H
#define LC_SECRET_H

#include <stddef.h>
#include <stdint.h>

#define LC_SECRET_BYTES 32
#define LC_SECRET_CHARS 43

/* Makes a new secret: clear (NUL-terminated) and its hash. Aborts if libsodium cannot start. */
void lc_secret_new(char clear[LC_SECRET_CHARS + 1], uint8_t hash[32]);

/*
 * Decodes a clear secret of exactly LC_SECRET_CHARS base64url characters and
 * hashes it; raw (may be NULL) receives the 32 bytes. 0 or LC_EINVAL.
 */
int lc_secret_hash(const char *clear, uint8_t hash[32], uint8_t raw[LC_SECRET_BYTES]);

/* Initialises libsodium once (thread-safe); aborts when it cannot. */
void lc_secret_init(void);

#endif
